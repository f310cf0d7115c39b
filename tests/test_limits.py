"""kexue_sym.timeout: the limits that make verdicts independent of the machine -- CPU time (not
wall time), an address-space cap, a child that dies with its parent, a dead child reported."""
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from kexue_sym import timeout as lim

pytestmark = pytest.mark.skipif(not lim.HARD_TIMEOUTS, reason="needs fork")


def _spin():
    while True:
        pass


def test_cpu_time_not_wall_time():
    # sleeping uses no CPU: a 1 s CPU limit lets a 2 s sleep finish (the wall backstop is 10 s)
    out = lim.run_limited(time.sleep, 2.0, seconds=1.0)
    assert out.cpu_seconds < 0.5
    start = time.perf_counter()
    with pytest.raises(lim.CheckTimeout, match="CPU time"):
        lim.run_limited(_spin, seconds=0.5)
    assert time.perf_counter() - start < 5


def _allocate(mib):
    block = bytearray(mib * 2**20)
    return len(block)


def test_memory_budget_gives_a_clear_error(monkeypatch):
    monkeypatch.setattr(lim, "MEMORY_BUDGET_MB", 256)
    assert lim.run_limited(_allocate, 64, seconds=10).value == 64 * 2**20
    with pytest.raises(lim.CheckMemory):
        lim.run_limited(_allocate, 2048, seconds=10)


def _kill_self():
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_killed_child_is_reported_not_a_traceback():
    with pytest.raises(lim.ChildError, match="SIGKILL|signal 9|killed"):
        lim.run_limited(_kill_self, seconds=5)


def _raise():
    raise ArithmeticError("inside the child")


def test_an_exception_in_the_child_comes_back():
    with pytest.raises(lim.ChildError, match="inside the child"):
        lim.run_limited(_raise, seconds=5)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_the_child_dies_with_its_parent(tmp_path, sig):
    pidfile = tmp_path / "child.pid"
    script = textwrap.dedent(f"""
        import os, sys
        from kexue_sym import timeout as lim
        def spin():
            open({str(pidfile)!r}, "w").write(str(os.getpid()))
            while True:
                pass
        lim.run_limited(spin, seconds=600)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script])
    for _ in range(200):
        if pidfile.exists() and pidfile.read_text():
            break
        time.sleep(0.05)
    child = int(pidfile.read_text())
    parent.send_signal(sig)
    parent.wait(timeout=10)
    for _ in range(100):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(child, signal.SIGKILL)
    pytest.fail(f"the child {child} outlived its parent (signal {sig})")
