"""Run a function under limits that really stop it: CPU time, memory, and the parent's life.

sympy's simplification can run for minutes inside one call, and a signal-based timeout cannot
interrupt work done in C (large-integer arithmetic, flint).  So each guarded call runs in a
forked child process, and the result comes back pickled through a pipe.  The child

* is killed when its **CPU time** (user + system, read from ``/proc``) passes the limit: a
  verdict must not depend on how loaded the machine is, so three concurrent runs on two cores
  give the same verdicts as one (a wall-clock backstop of ``5 * seconds + 5`` catches a child
  that blocks without using CPU);
* has an address-space limit of its current size plus :data:`MEMORY_BUDGET_MB` (environment
  variable ``KEXUE_SYM_MEMORY_MB``), so a runaway expansion fails with ``MemoryError`` instead
  of taking the machine's memory;
* dies with its parent (``PR_SET_PDEATHSIG``): a parent killed by SIGTERM, SIGHUP or SIGKILL
  leaves no orphan running without a limit.

Where ``fork`` is unavailable (Windows, some macOS set-ups) the call runs in-process with no
limit, and says so through :data:`HARD_TIMEOUTS`; without ``/proc`` the limit is wall-clock.
"""
from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import time
import traceback
from dataclasses import dataclass
from typing import Any, Callable

HARD_TIMEOUTS = hasattr(os, "fork") and sys.platform != "win32"
_PROC = os.path.isdir("/proc/self")

#: Extra address space (MiB) a checker child may map beyond what it inherits from its parent.
MEMORY_BUDGET_MB = int(os.environ.get("KEXUE_SYM_MEMORY_MB", "4096"))
#: How often the parent reads the child's CPU time, seconds.
_POLL = 0.05


class CheckTimeout(Exception):
    """The guarded call used more than its CPU-time limit (or the wall-clock backstop) and was
    killed."""

    def __init__(self, seconds: float, wall: bool = False):
        what = "wall-clock backstop" if wall else "CPU time limit"
        super().__init__(f"stopped after {seconds:.3g} s ({what})")
        self.seconds = seconds


class ChildError(Exception):
    """The guarded call raised, or its process died; ``str`` carries the reason."""


class CheckMemory(ChildError):
    """The guarded call ran out of its memory budget."""


@dataclass(frozen=True)
class Outcome:
    """A guarded call's value and the CPU seconds its process used."""

    value: Any
    cpu_seconds: float


def _die_with_parent(parent: int) -> None:
    """Ask the kernel to SIGKILL this process when its parent exits (Linux)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _vm_size_bytes() -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:
        return
    current = _vm_size_bytes()
    if current is None or MEMORY_BUDGET_MB <= 0:
        return
    limit = current + MEMORY_BUDGET_MB * 1024 * 1024
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a live process, from /proc (None where unreadable)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (OSError, IndexError, ValueError):
        return None


def _child(fn: Callable[..., Any], args: tuple, kwargs: dict, write_fd: int, parent: int) -> None:
    _die_with_parent(parent)
    _limit_memory()
    try:
        payload = pickle.dumps(("ok", fn(*args, **kwargs)))
    except MemoryError:
        payload = pickle.dumps(("memory", f"out of memory (budget {MEMORY_BUDGET_MB} MiB)", ""))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        try:
            payload = pickle.dumps(("error", f"{type(exc).__name__}: {exc}",
                                    traceback.format_exc(limit=4)))
        except BaseException:  # noqa: BLE001 - even formatting the error can fail
            payload = pickle.dumps(("error", type(exc).__name__, ""))
    try:
        with os.fdopen(write_fd, "wb") as out:
            out.write(payload)
    finally:
        os._exit(0)


def run_limited(fn: Callable[..., Any], *args: Any, seconds: float | None,
                **kwargs: Any) -> Outcome:
    """``fn(*args, **kwargs)`` in a limited child (module docstring), with its CPU time.

    ``seconds=None`` (or no fork) runs the call in this process.  Raises :class:`CheckTimeout`,
    :class:`CheckMemory`, or :class:`ChildError` with the child's exception type and message.
    """
    if seconds is None or not HARD_TIMEOUTS:
        start = time.process_time()
        value = fn(*args, **kwargs)
        return Outcome(value, time.process_time() - start)
    read_fd, write_fd = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _child(fn, args, kwargs, write_fd, parent)
    os.close(write_fd)
    chunks: list[bytes] = []
    start = time.monotonic()
    backstop = 5 * seconds + 5
    cpu = 0.0
    try:
        while True:
            wall = time.monotonic() - start
            if _PROC:
                used = _cpu_seconds(pid)
                cpu = used if used is not None else cpu
                if cpu > seconds:
                    raise CheckTimeout(seconds)
                if wall > backstop:
                    raise CheckTimeout(backstop, wall=True)
                wait = _POLL
            else:
                if wall > seconds:
                    raise CheckTimeout(seconds, wall=True)
                wait = seconds - wall
            ready, _, _ = select.select([read_fd], [], [], wait)
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
    _, status, usage = os.wait4(pid, 0)
    cpu = usage.ru_utime + usage.ru_stime
    if not chunks:
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            try:
                name = signal.Signals(sig).name
            except ValueError:
                name = f"signal {sig}"
            hint = " (out of memory?)" if sig in (signal.SIGKILL, signal.SIGABRT,
                                                   signal.SIGSEGV) else ""
            raise ChildError(f"the checker process was killed by {name}{hint}")
        raise ChildError("the checker process died without a result")
    try:
        result = pickle.loads(b"".join(chunks))
    except Exception as exc:  # noqa: BLE001 - a truncated or foreign payload
        raise ChildError(f"the checker's result could not be read ({type(exc).__name__})") from None
    if result[0] == "ok":
        return Outcome(result[1], cpu)
    if result[0] == "memory":
        raise CheckMemory(result[1])
    raise ChildError(result[1])


def call_with_timeout(fn: Callable[..., Any], *args: Any, seconds: float | None, **kwargs: Any) -> Any:
    """Return ``fn(*args, **kwargs)`` computed under the limits of :func:`run_limited`."""
    return run_limited(fn, *args, seconds=seconds, **kwargs).value
