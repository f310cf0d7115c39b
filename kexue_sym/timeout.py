"""Run a function under a wall-clock limit that really stops it.

sympy's simplification can run for minutes inside one call, and a signal-based timeout cannot
interrupt work done in C (large-integer arithmetic, flint). So each guarded call runs in a
forked child process that is killed when its time is up; the result comes back pickled through
a pipe. Where ``fork`` is unavailable (Windows, some macOS set-ups) the call runs in-process
with no limit, and says so through :data:`HARD_TIMEOUTS`.
"""
from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import time
import traceback
from typing import Any, Callable

HARD_TIMEOUTS = hasattr(os, "fork") and sys.platform != "win32"


class CheckTimeout(Exception):
    """The guarded call ran past its limit and was killed."""

    def __init__(self, seconds: float):
        super().__init__(f"stopped after {seconds:.3g} s")
        self.seconds = seconds


class ChildError(Exception):
    """The guarded call raised; ``str`` carries the child's exception text."""


def call_with_timeout(fn: Callable[..., Any], *args: Any, seconds: float | None, **kwargs: Any) -> Any:
    """Return ``fn(*args, **kwargs)``, or raise :class:`CheckTimeout` after ``seconds``.

    ``seconds=None`` (or no fork) runs the call in this process.  The child's exceptions come
    back as :class:`ChildError` with the original type name and message.
    """
    if seconds is None or not HARD_TIMEOUTS:
        return fn(*args, **kwargs)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        try:
            payload = pickle.dumps(("ok", fn(*args, **kwargs)))
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            payload = pickle.dumps(("error", f"{type(exc).__name__}: {exc}",
                                    traceback.format_exc(limit=4)))
        with os.fdopen(write_fd, "wb") as out:
            out.write(payload)
        os._exit(0)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + seconds
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CheckTimeout(seconds)
            ready, _, _ = select.select([read_fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(read_fd)
        raise
    os.close(read_fd)
    os.waitpid(pid, 0)
    if not chunks:
        raise ChildError("the checker process died without a result")
    result = pickle.loads(b"".join(chunks))
    if result[0] == "ok":
        return result[1]
    raise ChildError(result[1])
