"""Sums, products and elementary inequalities."""
from __future__ import annotations

import sympy as sp

from .. import check
from ..verdict import Verdict
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


