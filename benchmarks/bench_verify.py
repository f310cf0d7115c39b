"""Wall time of ``kexue-sym verify --all`` cold (empty verdict cache), warm (every verdict
cached), cold with ``--jobs 2``, and of ``kexue-sym mutate --all``, as medians of several runs,
each in a fresh process with its own cache directory.

    python benchmarks/bench_verify.py [--runs 3] [--mutate-runs 1] [--no-mutate]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPT = str(Path(sys.executable).parent / "kexue-sym")


def _run(args: list[str], cache: str) -> tuple[float, subprocess.CompletedProcess]:
    env = {**os.environ, "XDG_CACHE_HOME": cache}
    start = time.perf_counter()
    proc = subprocess.run([SCRIPT, *args], capture_output=True, text=True, env=env)
    return time.perf_counter() - start, proc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mutate-runs", type=int, default=1)
    parser.add_argument("--no-mutate", action="store_true")
    args = parser.parse_args()
    times: dict[str, list[float]] = {"cold": [], "warm": [], "cold --jobs 2": [],
                                     "warm --jobs 2": []}
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as cache:
            for label, extra in (("cold", []), ("warm", [])):
                t, proc = _run(["verify", "--all", "--json"], cache)
                assert proc.returncode == 0, proc.stderr
                times[label].append(t)
        with tempfile.TemporaryDirectory() as cache:
            for label in ("cold --jobs 2", "warm --jobs 2"):
                t, proc = _run(["verify", "--all", "--json", "--jobs", "2"], cache)
                assert proc.returncode == 0, proc.stderr
                times[label].append(t)
    cold = statistics.median(times["cold"])
    for label, ts in times.items():
        med = statistics.median(ts)
        print(f"verify --all {label:14} median {med:6.2f} s over {len(ts)} runs "
              f"({', '.join(f'{t:.1f}' for t in ts)}); {cold / med:4.1f}x the cold serial run")
    if args.no_mutate:
        return
    runs = []
    report = None
    for _ in range(args.mutate_runs):
        with tempfile.TemporaryDirectory() as cache:
            t, proc = _run(["mutate", "--all", "--json", "--jobs", "2"], cache)
            runs.append(t)
            report = json.loads(proc.stdout)
    print(f"mutate --all --jobs 2   median {statistics.median(runs):6.1f} s over {len(runs)} runs")
    print(f"{'derivation':18} {'mutants':>7} {'REFUTED':>7} {'UNDEC.':>6} {'accepted':>8} "
          f"{'not eq.':>7} {'refuted of false':>16} {'seconds':>7}")
    for d in report["derivations"]:
        print(f"{d['name']:18} {d['mutants']:7d} {d['refuted']:7d} {d['undecided']:6d} "
              f"{d['accepted']:8d} {d['not_equivalent_accepted']:7d} "
              f"{100 * d['refuted_rate_of_false']:15.1f}% {d['seconds']:7.1f}")


if __name__ == "__main__":
    main()
