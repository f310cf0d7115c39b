r"""Understanding Riemannian geometry 6: counting and computing curvature.

Title
    【理解黎曼几何】6. 曲率的计数与计算(Python), Su Jianlin, 2016-10-19.

Main results
    * The four symmetries of eq. (51) -- antisymmetry in each index pair, pair exchange and the
      cyclic (first Bianchi) identity -- PROVED component by component, all n^4 components
      computed from eq. (49) without using any symmetry, as exact identities: for an arbitrary
      metric in n = 2, 3, 4 dimensions through its 2-jet at a point (polynomials in the
      arbitrary first and second derivatives, g = I there after a linear change of
      coordinates, which a tensor identity does not notice), for a fully general 2-D metric
      (three arbitrary functions), a general diagonal 3-D metric, and every 4-D metric of the
      catalogue (Minkowski, Schwarzschild, Reissner-Nordstrom, Kerr, FLRW, de Sitter) plus the
      2- and 3-sphere (exact rational functions).
    * The count (52) - C(n, 4) = n^2 (n^2 - 1) / 12 PROVED as a polynomial identity in n, and
      equal to the dimension of the solution space of the linear system (51), computed by exact
      linear algebra, for n = 1..8.
    * The article's worked examples: the 2-sphere (R_0101 = sin^2, K = 1, Ricci = g) and the
      conformal metric f (dx^2 + dy^2) with its **corrected** curvature
      R^0_101 = -lap(ln f) / 2 ([erratum]: the article prints -lap(f)/f + |grad f|^2/(2 f^2),
      off by a factor 2 in the Laplacian term; the difference is PROVED below).

Assumptions
    Smooth metrics; the fast curvature engine works in QQ(coordinates, parameters, jets of
    the metric functions) with cos(theta) for a polar angle (kexue_sym.riemann).

Not machine-checked
    The reduction to g = I at the point (a linear change of coordinates exists by Gram-Schmidt,
    and a tensor identity holding in one coordinate system holds in all) is argued, not
    checked.  A fully general non-diagonal 3-D metric as functions (rather than its 2-jet)
    takes the rational engine more than five minutes and is not run.

References
    https://kexue.fm/archives/4026 eqs. (49)-(53); part 5: https://kexue.fm/archives/4014
    (eq. 49, the sign convention).
"""
from __future__ import annotations

import itertools

import sympy as sp

from kexue_sym.derivation import Derivation, Step
from kexue_sym.notation import (correct_value, dim_solutions, laplacian, mixed_component,
                                printed_value)
from kexue_sym.registry import derivation
from kexue_sym.riemann import SYMMETRIES, Metric, independent_components, riemann_of_general_jet
from kexue_sym.riemann import metrics as catalogue
from kexue_sym.verdict import Status, Verdict

SOURCE = "https://kexue.fm/archives/4026"

_R = sp.IndexedBase("R")
_a, _b, _c, _d = sp.symbols("a b c d", integer=True)
_DISPLAY = {
    "antisymmetric in the last pair": _R[_a, _b, _c, _d] + _R[_a, _b, _d, _c],
    "antisymmetric in the first pair": _R[_a, _b, _c, _d] + _R[_b, _a, _c, _d],
    "pair exchange": _R[_a, _b, _c, _d] - _R[_c, _d, _a, _b],
    "first Bianchi (cyclic)": _R[_a, _b, _c, _d] + _R[_a, _c, _d, _b] + _R[_a, _d, _b, _c],
}


def _symmetry_checker(components, identity: str):
    """Every component of the identity's residual must equal the step's right side (0).

    ``components()`` gives ``(R, n, convert, normal, show, where)``: all n^4 components R_abcd,
    each computed from eq. (49) without using a symmetry, in an exact representation where
    equality is decided by ``==`` after ``normal`` (rational-function field elements, or
    expanded polynomials); ``convert`` brings the step's right side into it.
    """
    def run(step: Step, timeout, done) -> Verdict:
        R, n, convert, normal, show, where = components()
        target = convert(step.rhs)
        residual = SYMMETRIES[identity]
        for idx in itertools.product(range(n), repeat=4):
            value = normal(residual(R, *idx))
            if value != target:
                return Verdict(Status.REFUTED, "exact arithmetic",
                               f"component {idx}: residual {show(value)}",
                               witness={"a, b, c, d": str(idx)}, witness_value=show(value - target))
        return Verdict(Status.PROVED, "exact identity",
                       f"all {n ** 4} components equal, each R_abcd computed from eq. (49) "
                       f"without using a symmetry, {where}")
    return run


def _field_components(metric: Metric):
    def components():
        c = metric.curvature
        if not c.e.exact:  # exp/roots/trig generators: field equality is not function equality
            raise ValueError("this metric needs generators with algebraic relations; field "
                             "arithmetic cannot decide its identities")
        gens = ", ".join(map(str, c.e.K.symbols))
        return (c.all_components, c.e.n, c.e.K.from_expr, lambda v: v, c.e.to_expr,
                f"as exact rational functions in QQ({gens})")
    return components


def _jet_components(n: int):
    cache = {}

    def components():
        if "R" not in cache:
            cache["R"] = riemann_of_general_jet(n)
        return (cache["R"], n, sp.expand, sp.expand, str,
                "as polynomials in the 2-jet (A_ijk, B_ijkl) of an arbitrary metric with g = I "
                "at the point (a linear change of coordinates; (51) is tensorial)")
    return components


def _general_2d() -> Metric:
    x = sp.symbols("x0 x1", real=True)
    f = {(i, j): sp.Function(f"g{i}{j}")(*x) for i in range(2) for j in range(i, 2)}
    return Metric(sp.Matrix(2, 2, lambda i, j: f[min(i, j), max(i, j)]), x)


def _diagonal_3d() -> Metric:
    x = sp.symbols("x0 x1 x2", real=True)
    return Metric(sp.diag(*[sp.Function(f"h{i}")(*x) for i in range(3)]), x)


@derivation("riemann", title="Counting and computing curvature (Riemannian geometry 6)",
            source=SOURCE, summary="the symmetries (51) of R_abcd, the count n^2 (n^2 - 1) / 12 "
            "of independent components, and worked examples",
            crosscheck="kexue_sym.crosscheck.riemann:run")
def build(d: Derivation) -> None:

    # -- eq. (51) ---------------------------------------------------------------------------------
    metrics = [("general 2-D metric g_ij(x0, x1)", _general_2d()),
               ("general diagonal 3-D metric h_i(x0, x1, x2)", _diagonal_3d()),
               ("2-sphere", catalogue.sphere(2)), ("3-sphere", catalogue.sphere(3)),
               ("Minkowski", catalogue.minkowski(4)), ("Schwarzschild", catalogue.schwarzschild()),
               ("Reissner-Nordstrom", catalogue.reissner_nordstrom()),
               ("Kerr (Boyer-Lindquist)", catalogue.kerr()), ("FLRW (k, a(t))", catalogue.flrw()),
               ("de Sitter (static patch)", catalogue.de_sitter())]
    sources = [(f"any metric, n = {k} (its 2-jet at a point)", _jet_components(k)) for k in (2, 3, 4)]
    sources += [(label, _field_components(metric)) for label, metric in metrics]
    for label, source in sources:
        d.section(f"symmetries (51): {label}")
        for identity, shown in _DISPLAY.items():
            d.step(shown, "=", sp.Integer(0), by=identity, using=_symmetry_checker(source, identity),
                   scope=f"{label}, every component")

    # -- eqs. (52)-(53) ---------------------------------------------------------------------------
    d.section("counting the independent components (52)-(53)")
    n = sp.Symbol("n", integer=True, positive=True)
    N = n * (n - 1) / 2
    (d.calc(N * (N + 1) / 2 - sp.expand_func(sp.binomial(n, 4)),
            display=N * (N + 1) / 2 - sp.binomial(n, 4))
       .eq(n**2 * (n**2 - 1) / 12, by="the cyclic identity removes one constraint per 4-set"))
    sizes = range(1, 9)
    d.step(sp.Matrix([independent_components(k) for k in sizes]), "=",
           sp.Matrix([k**2 * (k**2 - 1) / 12 for k in sizes]),
           by="null-space dimension of the linear system (51), exact linear algebra",
           scope="n = 1..8", display=(dim_solutions(51), n**2 * (n**2 - 1) / 12))

    # -- worked examples ----------------------------------------------------------------------
    d.section("example 1: the unit 2-sphere")
    sphere = catalogue.sphere(2, 1)
    chi = sphere.coords[0]
    d.step(sphere.riemann()[(0, 1, 0, 1)], "=", sp.sin(chi) ** 2, by="computed R_0101",
           display=(_R[0, 1, 0, 1], sp.sin(chi) ** 2))
    d.step(sphere.riemann()[(0, 1, 0, 1)] / sphere.g.det(), "=", 1,
           by="Gaussian curvature K = R_0101 / det g", display=(sp.Symbol("K"), 1))
    d.step(sphere.ricci(), "=", sphere.g, by="Ricci = g",
           display=(sp.IndexedBase("R")[_a, _b], sp.IndexedBase("g")[_a, _b]))

    d.section("example 2: the conformal metric f(x0, x1) (dx0^2 + dx1^2), corrected")
    conformal = catalogue.conformal_2d()
    x0, x1 = conformal.coords
    f = sp.Function("f")(x0, x1)
    lap = lambda e: sp.diff(e, x0, 2) + sp.diff(e, x1, 2)  # noqa: E731
    f_shown = sp.Symbol("f", positive=True)  # the page writes f for f(x0, x1)
    R0101_up = conformal.riemann()[(0, 1, 0, 1)] / f  # R^0_101 = g^00 R_0101
    correct = -lap(sp.log(f)) / 2
    printed = -lap(f) / f + (sp.diff(f, x0) ** 2 + sp.diff(f, x1) ** 2) / (2 * f**2)
    d.step(R0101_up, "=", correct, by="computed R^0_101 = -lap(ln f) / 2",
           display=(mixed_component(sp.Symbol("R"), 0, 1, 0, 1), -laplacian(sp.log(f_shown)) / 2))
    d.step(printed - correct, "=", -lap(f) / (2 * f),
           by="[erratum] the article's printed value is off by -lap(f)/(2f)",
           display=(printed_value - correct_value, -laplacian(f_shown) / (2 * f_shown)))
    d.step(conformal.ricci_scalar() / 2, "=", -lap(sp.log(f)) / (2 * f),
           by="Gaussian curvature K = R / 2 = -lap(ln f) / (2 f)",
           display=(sp.Symbol("K"), -laplacian(sp.log(f_shown)) / (2 * f_shown)))
