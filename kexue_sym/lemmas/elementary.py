"""Sums, products and elementary inequalities."""
from __future__ import annotations

import sympy as sp

from .. import check
from ..verdict import Status, Verdict
from .core import Lemma


def _prod_pow_instances() -> list[Verdict]:
    f, j = sp.IndexedBase("f", real=True), sp.Symbol("j", integer=True)
    return [check.equal(sp.Product(f[j], (j, 1, n)) ** 2, sp.Product(f[j] ** 2, (j, 1, n)),
                        numeric=False)
            for n in (1, 2, 3, 4)]


PROD_POW = Lemma(
    "prod_pow", "square of a product",
    "(prod_j f_j)^2 = prod_j f_j^2", "commutativity of multiplication",
    instance=lambda f, j, n: (sp.Product(f, (j, 1, n)) ** 2, "=", sp.Product(f ** 2, (j, 1, n))),
    self_check=_prod_pow_instances, checked_on="n = 1..4 symbolically")



def _drop_terms_instances() -> list[Verdict]:
    out = []
    for m in (1, 2, 3, 4, 5):
        f = [sp.Symbol(f"f_{i}", nonnegative=True) for i in range(1, m + 1)]
        out.append(check.le(f[-1], sp.Add(*f), certificate=f[:-1], numeric=False))
    return out


DROP_NONNEGATIVE_TERMS = Lemma(
    "drop_nonnegative_terms", "drop non-negative terms",
    "f_j <= sum_{k=1}^j f_k when every f_k >= 0",
    "the dropped terms are non-negative",
    instance=lambda f, k, j: (f.subs(k, j), "<=", sp.Sum(f, (k, 1, j))),
    hypotheses=lambda f, k, j: [(f, ">=", 0)],
    self_check=_drop_terms_instances, checked_on="j = 1..5 with non-negative symbols")


def _prod_mono_instances() -> list[Verdict]:
    out = []
    for m in (1, 2, 3, 4):
        f = [sp.Symbol(f"f_{i}", nonnegative=True) for i in range(m)]
        e = [sp.Symbol(f"e_{i}", nonnegative=True) for i in range(m)]
        lhs, rhs = sp.Mul(*f), sp.Mul(*[a + b for a, b in zip(f, e)])
        # (f+e) products minus f products: a polynomial with non-negative coefficients
        out.append(check.le(lhs, rhs, certificate=[sp.expand(rhs - lhs)], numeric=False))
    return out


PROD_MONO = Lemma(
    "prod_mono", "multiply non-negative bounds",
    "prod_j f_j <= prod_j g_j when 0 <= f_j <= g_j for all j",
    "monotonicity of products of non-negative numbers",
    instance=lambda f, g, j, n: (sp.Product(f, (j, 1, n)), "<=", sp.Product(g, (j, 1, n))),
    hypotheses=lambda f, g, j, n: [(f, ">=", 0)],
    self_check=_prod_mono_instances, checked_on="n = 1..4 with g_j = f_j + e_j, f, e >= 0")


def _log_le_linear_instances() -> list[Verdict]:
    # exact numbers: the sign of x - 1 - log x is decided by sympy's rigorous evaluation
    return [check.le(sp.log(x), x - 1, numeric=False)
            for x in (sp.Rational(1, 100), sp.Rational(1, 3), sp.Rational(1, 2), sp.Integer(1),
                      sp.Rational(3, 2), sp.Integer(2), sp.Integer(10), sp.Integer(1000))]


LOG_LE_LINEAR = Lemma(
    "log_le_linear", "log x <= x - 1",
    "log x <= x - 1 for x > 0, with equality only at x = 1",
    "concavity of log: the tangent at x = 1 lies above it",
    instance=lambda x: (sp.log(x), "<=", x - 1),
    hypotheses=lambda x: [(x, ">", 0)],
    self_check=_log_le_linear_instances, checked_on="x = 1/100, 1/3, 1/2, 1, 3/2, 2, 10, 1000")




def _indexed_instances(build, sizes=(1, 2, 3, 4)) -> list[Verdict]:
    """The lemma at m = 1..4 terms, written out: ``build(f, c, m)`` returns (lhs, rhs)."""
    f, j = sp.IndexedBase("f", real=True), sp.Symbol("j", integer=True)
    c = sp.Symbol("c", real=True)
    out = []
    for m in sizes:
        lhs, rhs = build(f[j], j, c, m)
        out.append(check.equal(lhs, rhs, numeric=False))
    return out


PROD_EXP = Lemma(
    "prod_exp", "a product of exponentials",
    "prod_{j=1}^m exp(f_j) = exp(sum_{j=1}^m f_j)", "exp(a) exp(b) = exp(a + b)",
    instance=lambda f, j, m: (sp.Product(sp.exp(f), (j, 1, m)), "=",
                              sp.exp(sp.Sum(f, (j, 1, m)))),
    self_check=lambda: _indexed_instances(
        lambda f, j, c, m: (sp.Product(sp.exp(f), (j, 1, m)), sp.exp(sp.Sum(f, (j, 1, m))))),
    checked_on="m = 1..4 symbolically")


def _sum_factor(c, f, j, m):
    if j in c.free_symbols:
        raise ValueError(f"sum_factor: the factor {c} depends on the index {j}")
    return sp.Sum(c * f, (j, 1, m)), "=", c * sp.Sum(f, (j, 1, m))


SUM_FACTOR = Lemma(
    "sum_factor", "a common factor out of a sum",
    "sum_{j=1}^m c f_j = c sum_{j=1}^m f_j for c free of j", "distributivity",
    instance=lambda c, f, j, m: _sum_factor(c, f, j, m),
    self_check=lambda: _indexed_instances(
        lambda f, j, c, m: (sp.Sum(c * f, (j, 1, m)), c * sp.Sum(f, (j, 1, m)))),
    checked_on="m = 1..4 symbolically")


def _sum_positive_instances() -> list[Verdict]:
    out = []
    for m in (1, 2, 3, 4):
        f = sp.symbols(f"f_1:{m + 1}", positive=True)
        gap = sp.Add(*f)
        out.append(Verdict(Status.PROVED if gap.is_positive else Status.UNDECIDED,
                           "sign from assumptions", f"sum of {m} positive symbols"))
    return out


SUM_POSITIVE = Lemma(
    "sum_positive", "a sum of positive terms is positive",
    "sum_{j=1}^m f_j > 0 when every f_j > 0 and m >= 1", "order axioms",
    instance=lambda f, j, m: (sp.Sum(f, (j, 1, m)), ">", 0),
    hypotheses=lambda f, j, m: [(f, ">", 0), (m, ">", 0)],
    self_check=_sum_positive_instances, checked_on="m = 1..4 positive symbols")


def _prod_strict_instances() -> list[Verdict]:
    out = []
    for m in (0, 1, 2, 3):
        f0, e0 = sp.symbols("f_0 e_0", positive=True)
        f = sp.symbols(f"f_1:{m + 2}", positive=True)[:m]
        e = sp.symbols(f"e_1:{m + 2}", nonnegative=True)[:m]
        gap = sp.expand((f0 + e0) * sp.Mul(*[a + b for a, b in zip(f, e)]) - f0 * sp.Mul(*f))
        out.append(Verdict(Status.PROVED if gap.is_positive else Status.UNDECIDED,
                           "sign from assumptions", f"{m} + 1 factors, g = f + e: {gap}"))
    return out


PROD_STRICT_MONO = Lemma(
    "prod_strict_mono", "multiply positive bounds, one strict",
    "f_0 prod_{j=1}^m f_j < g_0 prod_{j=1}^m g_j when 0 < f_0 < g_0 and 0 < f_j <= g_j",
    "monotonicity of products of positive numbers",
    instance=lambda f0, g0, f, g, j, m: (f0 * sp.Product(f, (j, 1, m)), "<",
                                         g0 * sp.Product(g, (j, 1, m))),
    self_check=_prod_strict_instances,
    checked_on="m = 0..3 with g_0 = f_0 + e_0, g_j = f_j + e_j, f > 0, e_0 > 0, e_j >= 0 "
               "(every term of the expanded gap positive)")


def _square_mono_instances() -> list[Verdict]:
    u, e = sp.Symbol("u", nonnegative=True), sp.Symbol("e", nonnegative=True)
    # v = u + e: v^2 - u^2 = 2 u e + e^2 >= 0
    return [check.le(u ** 2, (u + e) ** 2, certificate=[2 * u * e, e ** 2], numeric=False)]


SQUARE_MONO = Lemma(
    "square_mono", "square both sides",
    "u^2 <= v^2 when 0 <= u <= v", "monotonicity of x^2 on [0, oo)",
    instance=lambda u, v: (u ** 2, "<=", v ** 2),
    hypotheses=lambda u, v: [(u, ">=", 0)],
    self_check=_square_mono_instances, checked_on="v = u + e with u, e >= 0 symbolic")


def _divide_positive_instances() -> list[Verdict]:
    c, u, e = sp.Symbol("c", positive=True), sp.Symbol("u", real=True), \
        sp.Symbol("e", nonnegative=True)
    # c u <= c v written as v = u + e / c: then u <= v with slack e / c >= 0
    return [check.le(u, u + e / c, certificate=[e / c], numeric=False)]


DIVIDE_POSITIVE = Lemma(
    "divide_positive", "divide by a positive number",
    "u <= v when c u <= c v and c > 0", "order axioms",
    instance=lambda c, u, v: (u, "<=", v),
    hypotheses=lambda c, u, v: [(c, ">", 0)],
    self_check=_divide_positive_instances,
    checked_on="c > 0 symbolic, c v = c u + e with e >= 0")


def _sum_mono_instances() -> list[Verdict]:
    out = []
    for m in (1, 2, 3, 4):
        f = sp.symbols(f"f_1:{m + 1}", real=True)
        e = sp.symbols(f"e_1:{m + 1}", nonnegative=True)
        out.append(check.le(sp.Add(*f), sp.Add(*[a + b for a, b in zip(f, e)]),
                            certificate=list(e), numeric=False))
    return out


SUM_MONO = Lemma(
    "sum_mono", "add the bounds term by term",
    "sum_{t=1}^l f_t <= sum_{t=1}^l g_t when f_t <= g_t for every t", "order axioms",
    instance=lambda f, g, t, l: (sp.Sum(f, (t, 1, l)), "<=", sp.Sum(g, (t, 1, l))),
    self_check=_sum_mono_instances, checked_on="l = 1..4 with g_t = f_t + e_t, e_t >= 0")
