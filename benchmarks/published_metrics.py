"""Published metrics outside kexue-sym's catalogue, one or more per class of the differential
field (issue 16), each with its source, and a plain sympy loop to compare against.

Every entry is ``name -> Case(build, kind, source, functions)``: ``build()`` returns
``(g, coords)``; ``kind`` is the class that makes the metric hard (exp, radical, power, log,
constant, trig, jet, derivative, special, rational, general: outside the field);
``functions`` replaces each undefined function by a concrete one when a result is evaluated
at a point.  Used by
benchmarks/bench_riemann_published.py and tests/test_riemann_published.py.
"""
from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

t, r, th, ph = sp.symbols("t r theta phi", real=True)
x, y, z, u, v = sp.symbols("x y z u v", real=True)
M, a, l, Q, L, w, H, eta, vs, g_ = sp.symbols("M a l Q Lambda omega H eta v_s gamma",
                                                positive=True)
p1, p2, p3, k = sp.symbols("p1 p2 p3 k", real=True)
S2 = [r ** 2, r ** 2 * sp.sin(th) ** 2]  # the round sphere's r^2 dOmega^2


@dataclass(frozen=True)
class Case:
    build: Callable[[], tuple]
    kind: str
    source: str
    functions: dict = field(default_factory=dict)


def _painleve_gullstrand():
    s = sp.sqrt(2 * M / r)
    g = sp.diag(-(1 - 2 * M / r), 1, *S2)
    g[0, 1] = g[1, 0] = s
    return g, [t, r, th, ph]


def _morris_thorne():
    Phi, b = sp.Function("Phi"), sp.Function("b")
    return sp.diag(-sp.exp(2 * Phi(r)), 1 / (1 - b(r) / r), *S2), [t, r, th, ph]


def _godel():
    g = a ** 2 * sp.Matrix([[-1, 0, 0, -sp.exp(x)], [0, 1, 0, 0], [0, 0, 1, 0],
                            [-sp.exp(x), 0, 0, -sp.exp(2 * x) / 2]])
    return g, [t, x, y, z]


def _kasner():
    return sp.diag(-1, t ** (2 * p1), t ** (2 * p2), t ** (2 * p3)), [t, x, y, z]


def _bertotti_kasner():
    return sp.diag(-1, sp.exp(2 * sp.sqrt(L) * t), 1 / L, sp.sin(th) ** 2 / L), [t, r, th, ph]


def _de_sitter_flat():
    e = sp.exp(2 * H * t)
    return sp.diag(-1, e, e, e), [t, x, y, z]


def _janis_newman_winicour():
    F = 1 - 2 * M / (g_ * r)
    return sp.diag(-F ** g_, F ** -g_, F ** (1 - g_) * r ** 2,
                   F ** (1 - g_) * r ** 2 * sp.sin(th) ** 2), [t, r, th, ph]


def _kerr_schild_schwarzschild():
    R = sp.sqrt(x ** 2 + y ** 2 + z ** 2)
    lk = [1, x / R, y / R, z / R]
    return (sp.diag(-1, 1, 1, 1) + 2 * M / R * sp.Matrix(4, 4, lambda i, j: lk[i] * lk[j]),
            [t, x, y, z])


def _alcubierre():
    f = sp.Function("f")
    rs = sp.sqrt((x - vs * t) ** 2 + y ** 2 + z ** 2)
    beta = -vs * f(rs)  # shift along x: ds^2 = -dt^2 + (dx - v_s f dt)^2 + dy^2 + dz^2
    g = sp.diag(-1 + beta ** 2, 1, 1, 1)
    g[0, 1] = g[1, 0] = beta
    return g, [t, x, y, z]


def _charged_btz():
    f = -M + r ** 2 / l ** 2 - Q ** 2 / 2 * sp.log(r / l)
    return sp.diag(-f, 1 / f, r ** 2), [t, r, ph]


def _global_monopole():
    c = 1 - 8 * sp.pi * eta ** 2
    return sp.diag(-1, 1, c * r ** 2, c * r ** 2 * sp.sin(th) ** 2), [t, r, th, ph]


def _rosen_plane_wave():
    g = sp.diag(0, 0, sp.cos(k * u) ** 2, sp.cosh(k * u) ** 2)
    g[0, 1] = g[1, 0] = -1
    return g, [u, v, x, y]


def _ltb():
    Y, E = sp.Function("Y"), sp.Function("E")
    return sp.diag(-1, sp.diff(Y(t, r), r) ** 2 / (1 + 2 * E(r)), Y(t, r) ** 2,
                   Y(t, r) ** 2 * sp.sin(th) ** 2), [t, r, th, ph]


def _vaidya():
    m = sp.Function("m")
    g = sp.diag(-(1 - 2 * m(v) / r), 0, *S2)
    g[0, 1] = g[1, 0] = 1
    return g, [v, r, th, ph]


def _mcvittie():
    A = sp.Function("A")
    mu = M / (2 * A(t) * r)
    return sp.diag(-((1 - mu) / (1 + mu)) ** 2, *[A(t) ** 2 * (1 + mu) ** 4 * e
                                                  for e in (1, *S2)]), [t, r, th, ph]


def _c_metric():
    A = sp.Symbol("A", positive=True)
    G = 1 - x ** 2 - 2 * M * A * x ** 3
    F = -1 + y ** 2 - 2 * M * A * y ** 3
    c = 1 / (A ** 2 * (x + y) ** 2)
    return sp.diag(-c * F, c / F, c / G, c * G), [t, y, x, ph]


def _einstein_rosen_bessel():
    gam = sp.Function("gamma")
    psi = sp.besselj(0, r) * sp.cos(t)
    e = sp.exp(2 * gam(t, r) - 2 * psi)
    return sp.diag(-e, e, sp.exp(-2 * psi) * r ** 2, sp.exp(2 * psi)), [t, r, ph, z]


def _kruskal():
    T, X = sp.symbols("T X", real=True)
    rr = 2 * M * (1 + sp.LambertW((X ** 2 - T ** 2) / sp.E))
    c = 32 * M ** 3 / rr * sp.exp(-rr / (2 * M))
    return sp.diag(-c, c, rr ** 2, rr ** 2 * sp.sin(th) ** 2), [T, X, th, ph]


def _domain_wall():
    # the planar domain wall at x = 0: |x| makes the metric non-smooth there (a delta in the
    # curvature), so this is the general path's case
    w = (1 - k * sp.Abs(x)) ** 2
    return sp.diag(w, -1, -w * sp.exp(2 * k * t), -w * sp.exp(2 * k * t)), [t, x, y, z]


CASES: dict[str, Case] = {
    "painleve_gullstrand": Case(_painleve_gullstrand, "radical",
                                "P. Painleve, C. R. Acad. Sci. 173 (1921) 677"),
    "kerr_schild_schw": Case(_kerr_schild_schwarzschild, "radical",
                             "R. P. Kerr, A. Schild, Proc. Symp. Appl. Math. 17 (1965) 199"),
    "alcubierre": Case(_alcubierre, "radical",
                       "M. Alcubierre, Class. Quantum Grav. 11 (1994) L73, eq. (8)",
                       {"f": lambda s: 1 / (1 + s ** 2)}),
    "morris_thorne": Case(_morris_thorne, "exp", "M. S. Morris, K. S. Thorne, Am. J. Phys. 56 "
                          "(1988) 395, eq. (1)",
                          {"Phi": lambda s: 1 / (2 + s), "b": lambda s: 1 + s / 3}),
    "godel": Case(_godel, "exp", "K. Goedel, Rev. Mod. Phys. 21 (1949) 447, eq. (1)"),
    "bertotti_kasner": Case(_bertotti_kasner, "exp",
                            "J. B. Griffiths, J. Podolsky, Exact Space-Times (2009), sec. 7.2"),
    "de_sitter_flat": Case(_de_sitter_flat, "exp", "W. de Sitter (1917); flat slicing, "
                           "e.g. Hawking-Ellis (1973) sec. 5.2"),
    "kasner": Case(_kasner, "power", "E. Kasner, Am. J. Math. 43 (1921) 217"),
    "janis_newman_winicour": Case(_janis_newman_winicour, "power",
                                  "A. I. Janis, E. T. Newman, J. Winicour, PRL 20 (1968) 878; "
                                  "K. S. Virbhadra, IJMPA 12 (1997) 4831"),
    "charged_btz": Case(_charged_btz, "log", "C. Martinez, C. Teitelboim, J. Zanelli, PRD 61 "
                        "(2000) 104013, eq. (13)"),
    "global_monopole": Case(_global_monopole, "constant",
                            "M. Barriola, A. Vilenkin, PRL 63 (1989) 341, eq. (11)"),
    "rosen_plane_wave": Case(_rosen_plane_wave, "trig",
                             "J. B. Griffiths, J. Podolsky, Exact Space-Times (2009), sec. 17.5"),
    "ltb": Case(_ltb, "derivative", "H. Bondi, MNRAS 107 (1947) 410",
                {"Y": lambda s, q: q * (1 + s ** 2 / 5), "E": lambda s: s / 7}),
    "vaidya": Case(_vaidya, "jet", "P. C. Vaidya, Proc. Indian Acad. Sci. A33 (1951) 264",
                   {"m": lambda s: 1 + s ** 2 / 3}),
    "mcvittie": Case(_mcvittie, "jet", "G. C. McVittie, MNRAS 93 (1933) 325",
                     {"A": lambda s: 1 + s / 4}),
    "c_metric": Case(_c_metric, "rational",
                     "J. B. Griffiths, J. Podolsky, Exact Space-Times (2009), eq. (14.6)"),
    "einstein_rosen_bessel": Case(_einstein_rosen_bessel, "special",
                                  "A. Einstein, N. Rosen, J. Franklin Inst. 223 (1937) 43",
                                  {"gamma": lambda s, q: s * q / 3}),
    "kruskal": Case(_kruskal, "special", "M. D. Kruskal, Phys. Rev. 119 (1960) 1743"),
    "domain_wall": Case(_domain_wall, "general", "J. Ipser, P. Sikivie, Phys. Rev. D 30 (1984) "
                        "712 (the planar wall, |x| across it)"),
}

#: the classes the field engine extends QQ with (issue 16 asks >= 5x on these)
GENERATOR_KINDS = {"exp", "radical", "power"}


def plain_loop(g: sp.Matrix, coords) -> tuple[sp.Expr, sp.Expr]:
    """The 30-line loop a user writes: Christoffels by diff, Riemann from its definition,
    ``cancel`` on every component, all n^4 components, no symmetry used beyond c < d."""
    n = len(coords)
    gi = g.inv().applyfunc(sp.cancel)
    Gam = [[[sp.cancel(sum(gi[i, m] * (sp.diff(g[m, j], coords[kk]) + sp.diff(g[m, kk], coords[j])
                                      - sp.diff(g[j, kk], coords[m])) for m in range(n)) / 2)
             for kk in range(n)] for j in range(n)] for i in range(n)]
    Rup = {}
    for i, j, kk, m in itertools.product(range(n), repeat=4):
        if kk < m:
            Rup[i, j, kk, m] = sp.cancel(
                sp.diff(Gam[i][m][j], coords[kk]) - sp.diff(Gam[i][kk][j], coords[m])
                + sum(Gam[i][kk][e] * Gam[e][m][j] - Gam[i][m][e] * Gam[e][kk][j]
                      for e in range(n)))
            Rup[i, j, m, kk] = -Rup[i, j, kk, m]
        elif kk == m:
            Rup[i, j, kk, m] = sp.Integer(0)
    ric = [[sp.cancel(sum(Rup[i, j, i, m] for i in range(n))) for m in range(n)] for j in range(n)]
    scalar = sp.cancel(sum(gi[j, m] * ric[j][m] for j in range(n) for m in range(n)))
    down = {(i, j, kk, m): sp.cancel(sum(g[i, e] * Rup[e, j, kk, m] for e in range(n)))
            for i, j, kk, m in itertools.product(range(n), repeat=4)}
    up = dict(down)
    for slot in range(4):  # raise one index at a time
        up = {idx: sp.cancel(sum(gi[idx[slot], e] * up[idx[:slot] + (e,) + idx[slot + 1:]]
                                 for e in range(n) if gi[idx[slot], e] != 0))
              for idx in up}
    kret = sp.cancel(sum(down[idx] * up[idx] for idx in down))
    return scalar, kret


def points(case: Case, g: sp.Matrix, coords, count: int = 2, seed: int = 16) -> list[dict]:
    """Random rational points (coordinates and parameters) inside the metric's domain,
    chosen so that no denominator vanishes: values in (0.3, 0.9) for parameters and
    (0.2, 0.9) for coordinates, so r > 2M fails for Schwarzschild-like metrics but every
    expression here is finite there (the curvature is a rational function of them)."""
    rng = random.Random(seed)
    free = sorted(g.free_symbols, key=str)
    return [{s: sp.Rational(rng.randint(20, 90), 100) for s in free} for _ in range(count)]


def evaluate(expr: sp.Expr, case: Case, point: dict, digits: int = 40) -> sp.Expr:
    """expr at point, undefined functions replaced by the case's concrete ones, to `digits`."""
    from sympy.core.function import AppliedUndef

    e = expr
    funcs = {f.func for f in e.atoms(AppliedUndef)}
    for F in funcs:
        body = case.functions[F.__name__]
        nargs = body.__code__.co_argcount
        xs = sp.symbols(f"_q0:{nargs}")
        e = e.replace(F, sp.Lambda(xs, body(*xs)))
    # a peer may rebuild symbols without their assumptions: match them by name
    by_name = {s.name: val for s, val in point.items()}
    e = e.doit()
    e = e.xreplace({s: by_name[s.name] for s in e.free_symbols if s.name in by_name})
    return sp.N(e, digits)


def agree(a: sp.Expr, b: sp.Expr, digits: int = 30) -> bool:
    """Two evaluated values equal to `digits` significant digits."""
    return abs(complex(sp.N(a - b, digits + 10))) <= 10.0 ** -digits * max(1.0, abs(complex(a)))
