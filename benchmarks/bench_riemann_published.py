"""Curvature of published metrics outside the catalogue (benchmarks/published_metrics.py):
kexue-sym against einsteinpy and a plain sympy loop, in one run.

Each tool computes the Ricci scalar and the Kretschmann scalar of each metric in a forked
child under a CPU-time limit; the timed part ends when both scalars exist as sympy expressions
(kexue-sym also prints nothing but does build its independent R_abcd).  Every result is then
evaluated at two random rational points (undefined functions replaced by concrete ones) to 40
digits and must agree with every other tool's to 30 digits.  The ratio is the fastest peer's
median time over kexue-sym's.

    pip install -e '.[bench]'
    python benchmarks/bench_riemann_published.py [--runs 3] [--timeout 120] [--metrics a,b]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

import published_metrics as pm  # noqa: E402 - benchmarks/ is on sys.path as a script
from kexue_sym.timeout import CheckTimeout, ChildError, call_with_timeout  # noqa: E402


def _values(case, g, coords, R, K) -> list[str]:
    return [str(pm.evaluate(e, case, p)) for p in pm.points(case, g, coords) for e in (R, K)]


def run_kexue(name):
    from kexue_sym.riemann import Metric

    case = pm.CASES[name]
    g, coords = case.build()
    start = time.perf_counter()
    m = Metric(g, coords)
    m.riemann()
    R, K = m.ricci_scalar(), m.kretschmann()
    elapsed = time.perf_counter() - start
    return elapsed, _values(case, g, coords, R, K), m.path


def run_plain(name):
    case = pm.CASES[name]
    g, coords = case.build()
    start = time.perf_counter()
    R, K = pm.plain_loop(g, coords)
    elapsed = time.perf_counter() - start
    return elapsed, _values(case, g, coords, R, K), ""


def run_einsteinpy(name):
    from einsteinpy.symbolic import (MetricTensor, RicciScalar, RicciTensor,
                                     RiemannCurvatureTensor)

    case = pm.CASES[name]
    g, coords = case.build()
    n = len(coords)
    start = time.perf_counter()
    metric = MetricTensor(g.tolist(), coords)
    riem = RiemannCurvatureTensor.from_metric(metric)
    R = RicciScalar.from_riccitensor(RicciTensor.from_riemann(riem)).expr
    down = riem.change_config("llll").tensor()
    up = riem.change_config("uuuu").tensor()
    K = sum(down[i, j, c, d] * up[i, j, c, d] for i in range(n) for j in range(n)
            for c in range(n) for d in range(n))
    elapsed = time.perf_counter() - start
    return elapsed, _values(case, g, coords, R, K), ""


TOOLS = {"kexue-sym": run_kexue, "einsteinpy": run_einsteinpy, "sympy loop": run_plain}


def _agree(a: list[str], b: list[str]) -> bool:
    import sympy as sp

    return all(pm.agree(sp.Float(x, 45) if "I" not in x else sp.sympify(x),
                        sp.Float(y, 45) if "I" not in y else sp.sympify(y))
               for x, y in zip(a, b))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--metrics", default=",".join(pm.CASES))
    args = parser.parse_args()
    tools = list(TOOLS)
    print(f"{'metric':22} {'class':10} {'path':8} " + " ".join(f"{t:>11}" for t in tools)
          + "   ratio   agree (30 digits)")
    summary = []
    for name in args.metrics.split(","):
        medians, values, path = {}, {}, ""
        cells = []
        for tool in tools:
            times, note = [], ""
            for _ in range(args.runs):
                try:
                    elapsed, vals, p = call_with_timeout(TOOLS[tool], name, seconds=args.timeout)
                except CheckTimeout:
                    note = f">{args.timeout:g} s"
                    break
                except ChildError as exc:
                    note = "error"
                    print(f"  {tool} on {name}: {str(exc).splitlines()[-1][:90]}", flush=True)
                    break
                times.append(elapsed)
                values[tool], path = vals, p or path
                if elapsed > args.timeout / 3:
                    break  # one run is enough for the slow ones
            if times:
                medians[tool] = statistics.median(times)
                cells.append(f"{medians[tool]:>9.2f} s")
            else:
                cells.append(f"{note:>11}")
        ours = medians.get("kexue-sym")
        peers = [medians[t] for t in tools[1:] if t in medians]
        if ours and peers:
            ratio = f"{min(peers) / ours:6.1f}x"
        elif ours:
            ratio = "  only"  # no peer finished within the limit
        else:
            ratio = "     -"
        ref = values.get("kexue-sym")
        checks = [f"{t}: {'ok' if _agree(ref, values[t]) else 'DIFFER'}"
                  for t in tools[1:] if ref and t in values]
        print(f"{name:22} {pm.CASES[name].kind:10} {path:8} " + " ".join(cells)
              + f"   {ratio}   {', '.join(checks) or '-'}", flush=True)
        summary.append((name, ours, min(peers) if peers else None))
    ratios = [p / o for _, o, p in summary if o and p]
    if ratios:
        geo = statistics.geometric_mean(ratios)
        print(f"geometric mean of the ratio over {len(ratios)} metrics with a finishing peer: "
              f"{geo:.1f}x; slowest ratio {min(ratios):.1f}x")


if __name__ == "__main__":
    main()
