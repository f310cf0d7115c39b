"""The verdict cache (kexue_sym.cache): content keys, what is stored, damaged and foreign
files, concurrent writers, and the CLI around it (--no-cache, --jobs, cache info|clear)."""
from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

from kexue_sym.cache import VerdictCache, step_key
from kexue_sym.derivation import Derivation
from kexue_sym.justify import ByPremise
from kexue_sym.verdict import Status, Verdict

a, b = sp.symbols("a b", real=True)


def _demo(rhs_of_first=None):
    """Three steps: the second cites the first, the third stands alone."""
    d = Derivation("demo", title="T", source="https://example.org")
    first = d.step((a + b) ** 2, "=", rhs_of_first or a**2 + 2 * a * b + b**2, by="expand")
    d.step((a + b) ** 2 - 2 * a * b, "=", a**2 + b**2,
           by=ByPremise(first, rewrite={(a + b) ** 2: a**2 + 2 * a * b + b**2}))
    d.step(sp.sin(a) ** 2 + sp.cos(a) ** 2, "=", 1, by="Pythagoras")
    return d


def test_a_warm_run_takes_every_verdict_from_the_cache(tmp_path):
    cache = VerdictCache(tmp_path / "v.sqlite3")
    cold = _demo().run(cache=cache)
    warm = _demo().run(cache=VerdictCache(tmp_path / "v.sqlite3"))
    assert [r.verdict.status for r in cold.results] == [r.verdict.status for r in warm.results]
    assert not any(r.verdict.cached for r in cold.results)
    assert all(r.verdict.cached for r in warm.results)
    assert all(r.to_json()["evidence"]["cached"] for r in warm.results)
    assert "(cached)" in warm.results[0].verdict.summary()


def test_editing_a_step_rechecks_it_and_the_steps_citing_it(tmp_path):
    path = tmp_path / "v.sqlite3"
    _demo().run(cache=VerdictCache(path))
    edited = _demo(rhs_of_first=(a + b) * (a + b)).run(cache=VerdictCache(path))
    assert [r.verdict.cached for r in edited.results] == [False, False, True]
    assert all(r.verdict.status is Status.PROVED for r in edited.results)


def test_keys_see_assumptions_relations_and_justifications():
    x, xp = sp.Symbol("x"), sp.Symbol("x", positive=True)
    d = Derivation("k", title="T", source="s")
    steps = [d.step(sp.sqrt(x**2), "=", x, by="r"), d.step(sp.sqrt(xp**2), "=", xp, by="r"),
             d.step(sp.sqrt(x**2), "<=", x, by="r"), d.step(sp.sqrt(x**2), "=", x, by="other"),
             d.step(x**2, "<=", x**2 + 1, by="r", certificate=[1])]
    keys = [step_key(s) for s in steps]
    assert None not in keys and len(set(keys)) == len(keys)
    again = Derivation("k", title="T", source="s").step(sp.sqrt(x**2), "=", x, by="r")
    assert step_key(again) == keys[0]


def test_time_limited_and_undecided_verdicts_are_not_stored(tmp_path):
    cache = VerdictCache(tmp_path / "v.sqlite3")
    limited = Verdict(Status.CHECKED, "numeric", "symbolic stages stopped after 2 s; 8 points")
    flagged = Verdict(Status.CHECKED, "numeric", "8 points", timed_out=True)
    inner = Verdict(Status.PROVED, "lemmas", parts=(flagged,))
    undecided = Verdict(Status.UNDECIDED, "symbolic", "sympy could not decide")
    assert not cache.put("k1", limited) and not cache.put("k2", flagged)
    assert not cache.put("k3", undecided)
    assert cache.put("k4", Verdict(Status.CHECKED, "numeric", "8 points"))
    assert cache.put("k5", inner) is False  # a part ran out of time
    assert cache.get("k1") is None and cache.get("k4").status is Status.CHECKED
    other = VerdictCache(tmp_path / "v.sqlite3", timeout=99.0)  # CHECKED depends on the limit
    assert other.get("k4") is None


def test_a_damaged_cache_is_ignored_with_one_warning(tmp_path, capsys):
    path = tmp_path / "v.sqlite3"
    path.write_bytes(b"\x00not a database" * 100)
    report = _demo().run(cache=VerdictCache(path))
    assert report.ok()
    err = [line for line in capsys.readouterr().err.splitlines() if line]
    assert len(err) == 1 and err[0].startswith("kexue-sym: warning:") and "unusable" in err[0]


def test_a_foreign_sqlite_file_is_ignored(tmp_path, capsys):
    path = tmp_path / "v.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE verdicts (key TEXT, verdict TEXT, created REAL)")
        db.execute("INSERT INTO verdicts VALUES ('x:final', '{}', 0)")
    assert _demo().run(cache=VerdictCache(path)).ok()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is not a kexue-sym cache" in err[0]
    with sqlite3.connect(path) as db:  # left as it was
        assert db.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0] == 1


def test_a_damaged_row_switches_the_cache_off(tmp_path, capsys):
    path = tmp_path / "v.sqlite3"
    cache = VerdictCache(path)
    _demo().run(cache=cache)
    cache.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE verdicts SET verdict = '{\"status\": \"MAYBE\"'")
    report = _demo().run(cache=VerdictCache(path))
    assert report.ok() and not any(r.verdict.cached for r in report.results)
    assert "is damaged" in capsys.readouterr().err


def _writer(path, worker, count):
    cache = VerdictCache(path)
    for i in range(count):
        # every worker writes its own keys and one shared key, which must stay readable
        assert cache.put(f"w{worker}-{i}", Verdict(Status.PROVED, "w", f"{worker}/{i}"))
        assert cache.put("shared", Verdict(Status.PROVED, "w", f"{worker}/{i}"))
        assert cache.get(f"w{worker}-{i}") is not None


def test_concurrent_writers_do_not_corrupt_the_cache(tmp_path):
    path = str(tmp_path / "v.sqlite3")
    VerdictCache(path).info()  # not needed: the writers race to create it too
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, w, 150)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0] == 4 * 150 + 1
    assert VerdictCache(path).get("shared").status is Status.PROVED


def _cli(*args, env_cache):
    script = Path(sys.executable).parent / "kexue-sym"
    env = {**os.environ, "XDG_CACHE_HOME": str(env_cache)}
    return subprocess.run([str(script), *args], capture_output=True, text=True, env=env,
                          timeout=600)


def _without_times(report):
    for d in report["derivations"]:
        d.pop("seconds")
        for s in d["steps"]:
            s.pop("seconds")
            s["evidence"].pop("cached", None)
    return report


def test_jobs_give_the_serial_report_and_the_cli_manages_the_cache(tmp_path):
    serial = _cli("verify", "hadamard", "softmax-reparam", "--json", "--no-cache",
                  env_cache=tmp_path)
    assert serial.returncode == 0, serial.stderr
    assert not (tmp_path / "kexue-sym").exists()  # --no-cache wrote nothing
    parallel = _cli("verify", "hadamard", "softmax-reparam", "--json", "--jobs", "2",
                    env_cache=tmp_path)
    assert parallel.returncode == 0, parallel.stderr
    assert _without_times(json.loads(parallel.stdout)) == _without_times(json.loads(serial.stdout))
    info = _cli("cache", "info", "--json", env_cache=tmp_path)
    assert json.loads(info.stdout)["entries"] >= 29 + 47
    warm = _cli("verify", "hadamard", "--json", env_cache=tmp_path)
    steps = json.loads(warm.stdout)["derivations"][0]["steps"]
    assert all(s["evidence"].get("cached") for s in steps)
    cleared = _cli("cache", "clear", env_cache=tmp_path)
    assert cleared.returncode == 0 and "removed" in cleared.stdout
    assert json.loads(_cli("cache", "info", "--json", env_cache=tmp_path).stdout)["entries"] == 0


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_bad_jobs_is_a_usage_error(jobs, tmp_path):
    r = _cli("verify", "hadamard", "--jobs", jobs, env_cache=tmp_path)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1


def test_a_local_dask_cluster_gives_the_serial_report(tmp_path):
    """Two Dask workers (processes) run the derivations; the report equals the serial one."""
    distributed = pytest.importorskip("dask.distributed")
    from kexue_sym.runner import Task, run_all

    tasks = [Task("hadamard"), Task("softmax-reparam")]
    serial = run_all(tasks)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = run_all(tasks, dask=cluster.scheduler_address)
    assert [r.name for r in remote] == [r.name for r in serial]
    for a, b in zip(serial, remote):
        assert [x.verdict.status for x in a.results] == [x.verdict.status for x in b.results]
        assert [x.verdict.summary() for x in a.results] == [x.verdict.summary() for x in b.results]


_USER_FILE = '''
import sympy as sp
from kexue_sym.registry import derivation
from kexue_sym.verdict import Status, Verdict

a, b = sp.symbols("a b", real=True)


def yes(step, timeout, done):
    return Verdict(Status.PROVED, "a checker that accepts everything")


@derivation("{name}", title="T", source="https://example.org")
def build(d):
    d.step((a + b) ** 2, "=", a**2 + 2*a*b + b**2, by="expand", **{options})
    d.step(a**2 + b**2, ">=", 2*a*b, by="(a - b)^2 >= 0", certificate=[(a - b)**2])
'''


def test_mutate_json_and_a_checker_that_accepts_everything(tmp_path):
    good = tmp_path / "good.py"
    good.write_text(_USER_FILE.format(name="mut-good", options="{}"))
    r = _cli("mutate", "--file", str(good), "--json", env_cache=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    (d,) = json.loads(r.stdout)["derivations"]
    assert set(d) >= {"name", "mutants", "refuted", "undecided", "accepted", "accepted_examples"}
    assert d["mutants"] >= 6 and d["refuted"] >= 5 and d["not_equivalent_accepted"] == 0
    bad = tmp_path / "bad.py"
    bad.write_text(_USER_FILE.format(name="mut-bad", options="{'using': yes}"))
    r = _cli("mutate", "--file", str(bad), env_cache=tmp_path)
    assert r.returncode == 1
    assert "NOT shown equivalent" in r.stdout
