"""Full Riemann tensor + Kretschmann scalar, checked against the closed form, in one run:
kexue-sym against SageManifolds, einsteinpy and sympy.diffgeom (the peers of
reference/PEERS.md).  Every tool runs in a forked child with a time limit; a result counts only
if its Kretschmann scalar equals the known closed form.  Ratios are peer time / kexue-sym time.

    pip install -e '.[bench]'
    python benchmarks/bench_riemann.py [--runs 3] [--timeout 300] [--metrics sphere,schwarzschild,flrw,kerr]
"""
from __future__ import annotations

import argparse
import statistics
import time

import sympy as sp

from kexue_sym.riemann import metrics as cat
from kexue_sym.timeout import CheckTimeout, ChildError, call_with_timeout


def _cases():
    R = sp.Symbol("R", positive=True)
    A = sp.Function("a")(cat.t)
    return {
        "sphere": (cat.sphere(2), 4 / R**4),
        "schwarzschild": (cat.schwarzschild(), 48 * cat.M**2 / cat.r**6),
        "flrw": (cat.flrw(), 12 * ((A * A.diff(cat.t, 2)) ** 2
                                   + (A.diff(cat.t) ** 2 + cat.k) ** 2) / A**4),
        "kerr": (cat.kerr(), cat.kerr_kretschmann()),
    }


def _same(expr, closed, coords_real) -> bool:
    expr = expr.xreplace({s: sp.Symbol(s.name, **s.assumptions0) for s in expr.free_symbols})
    return sp.simplify(sp.factor(expr - closed)) == 0


def run_kexue(name):
    metric, closed = _cases()[name]
    start = time.perf_counter()
    from kexue_sym.riemann import Metric

    m = Metric(metric.g, metric.coords)
    m.riemann()
    K = m.kretschmann()
    elapsed = time.perf_counter() - start
    return elapsed, _same(K, closed, True)


def run_diffgeom(name):
    from sympy.diffgeom import CoordSystem, Manifold, Patch, TensorProduct
    from sympy.diffgeom import metric_to_Riemann_components

    metric, closed = _cases()[name]
    start = time.perf_counter()
    n = len(metric.coords)
    cs = CoordSystem("c", Patch("P", Manifold("M", n)), sp.symbols([c.name for c in metric.coords]))
    fns, forms = cs.coord_functions(), cs.base_oneforms()
    g = metric.g.subs(dict(zip(metric.coords, fns)))
    form = sum((g[i, j] * TensorProduct(forms[i], forms[j])
                for i in range(n) for j in range(n) if g[i, j] != 0), sp.Integer(0))
    R = metric_to_Riemann_components(form)  # R^a_{bcd}
    gm = g.subs(dict(zip(fns, metric.coords)))
    gi = gm.inv()
    # .doit(): diffgeom leaves Subs(Derivative(a(_xi), _xi), _xi, t) for functions like a(t)
    Rs = [[[[R[a, b, c, d].subs(dict(zip(fns, metric.coords))).doit() for d in range(n)]
            for c in range(n)] for b in range(n)] for a in range(n)]
    down = [[[[sum(gm[a, e] * Rs[e][b][c][d] for e in range(n)) for d in range(n)]
              for c in range(n)] for b in range(n)] for a in range(n)]
    K = 0
    for a, b, c, d in __import__("itertools").product(range(n), repeat=4):
        up = sum(gi[b, q] * gi[c, s] * gi[d, u] * Rs[a][q][s][u]
                 for q in range(n) for s in range(n) for u in range(n)
                 if gi[b, q] != 0 and gi[c, s] != 0 and gi[d, u] != 0)
        K += down[a][b][c][d] * up
    K = sp.simplify(K.xreplace(dict(zip(fns, metric.coords))).doit())
    elapsed = time.perf_counter() - start
    return elapsed, _same(K, closed, True)


def run_einsteinpy(name):
    from einsteinpy.symbolic import MetricTensor, RiemannCurvatureTensor

    metric, closed = _cases()[name]
    start = time.perf_counter()
    g = MetricTensor(metric.g.tolist(), metric.coords)
    riem = RiemannCurvatureTensor.from_metric(g)
    down = riem.change_config("llll").tensor()
    up = riem.change_config("uuuu").tensor()
    n = len(metric.coords)
    K = sp.simplify(sum(down[a, b, c, d] * up[a, b, c, d]
                        for a in range(n) for b in range(n) for c in range(n) for d in range(n)))
    elapsed = time.perf_counter() - start
    return elapsed, _same(K, closed, True)


def run_sage(name):
    from sage.all__sagemath_symbolics import Parallelism, cos, function, sin, var
    from sage.manifolds.manifold import Manifold
    from sympy.core.function import AppliedUndef

    metric, closed = _cases()[name]
    start = time.perf_counter()
    n = len(metric.coords)
    M = Manifold(n, "M", structure="Lorentzian" if n == 4 else "Riemannian")
    names = " ".join(c.name for c in metric.coords)
    X = M.chart(names)
    g = M.metric()
    names = {c.name: X[i] for i, c in enumerate(metric.coords)}
    names.update({p.name: var(p.name) for p in metric.g.free_symbols - set(metric.coords)})
    funcs = {f.func.__name__ for f in metric.g.atoms(AppliedUndef)}
    # two processes, except with a function like a(t), where Sage's parallel mode fails
    # (reference/PEERS.md: "2-process mode fails on a(t)")
    Parallelism().set(nproc=1 if funcs else 2)
    names.update({f: function(f) for f in funcs})
    for i in range(n):
        for j in range(i, n):
            if metric.g[i, j] != 0:
                # our own catalogue's sympy text, rebuilt in Sage's symbolic ring
                g[i, j] = eval(sp.sstr(metric.g[i, j]),  # noqa: S307 - benchmark harness
                               {"__builtins__": {}, "sin": sin, "cos": cos}, names)
    Riem = g.riemann()
    K = (Riem.down(g)["_abcd"] * Riem.up(g)["^abcd"]).expr().simplify_full()
    elapsed = time.perf_counter() - start
    # the peer's own output (not user input), read back into sympy to compare
    table = {c.name: c for c in metric.coords} | {s.name: s for s in closed.free_symbols}
    table |= {f: sp.Function(f) for f in funcs} | {"diff": sp.diff}
    back = sp.sympify(str(K).replace("^", "**"), locals=table)
    return elapsed, _same(back, closed, True)


TOOLS = {"kexue-sym": run_kexue, "SageManifolds": run_sage, "einsteinpy": run_einsteinpy,
         "sympy.diffgeom": run_diffgeom}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--metrics", default="sphere,schwarzschild,flrw,kerr")
    parser.add_argument("--tools", default=",".join(TOOLS))
    args = parser.parse_args()
    tools = args.tools.split(",")
    print(f"{'metric':14} " + " ".join(f"{t:>16}" for t in tools) + "   ratios (peer / kexue-sym)")
    for name in args.metrics.split(","):
        cells, medians = [], {}
        for tool in tools:
            times, note = [], ""
            for _ in range(args.runs):
                try:
                    elapsed, ok = call_with_timeout(TOOLS[tool], name, seconds=args.timeout)
                except CheckTimeout:
                    note = f"> {args.timeout:g} s"
                    break
                except ChildError as exc:
                    note = f"error: {str(exc)[:40]}"
                    break
                if not ok:
                    note = "K != closed form"
                    break
                times.append(elapsed)
                if elapsed > args.timeout / 3:
                    break  # one run is enough for the slow ones
            if times and not note:
                medians[tool] = statistics.median(times)
                cells.append(f"{medians[tool]:>14.2f} s")
            else:
                medians[tool] = args.timeout if note.startswith(">") else None
                cells.append(f"{note:>16}")
        ours = medians.get("kexue-sym")
        ratios = []
        for tool in tools[1:]:
            t = medians.get(tool)
            if ours and t:
                ratios.append(f"{tool} {'>' if t == args.timeout else ''}{t / ours:.0f}x")
        print(f"{name:14} " + " ".join(cells) + "   " + ", ".join(ratios), flush=True)


if __name__ == "__main__":
    main()
