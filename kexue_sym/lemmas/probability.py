"""Probability: CDFs of densities, independence, total probability, strict monotonicity.

The lemmas speak of i.i.d. real noise with density ``p`` and CDF ``Phi`` (undefined sympy
functions in a general argument); each is self-checked on concrete noises whose integrals the
checker evaluates with a certificate (exponential, Gumbel, normal).
"""
from __future__ import annotations


import sympy as sp

from .. import check
from ..verdict import Status, Verdict
from .core import Lemma

_x, _y, _t = sp.Symbol("x", real=True), sp.Symbol("y", real=True), sp.Symbol("t", real=True)
_a, _b, _D = sp.symbols("a b Delta", positive=True)


def gumbel_cdf(x: sp.Expr) -> sp.Expr:
    """Phi(x) = exp(-exp(-x)), the CDF of the standard Gumbel distribution."""
    return sp.exp(-sp.exp(-x))


def normal_cdf(x: sp.Expr) -> sp.Expr:
    """Phi(x) = (1 + erf(x / sqrt 2)) / 2, the CDF of N(0, 1)."""
    return (1 + sp.erf(x / sp.sqrt(2))) / 2


def normal_density(x: sp.Expr) -> sp.Expr:
    """phi(x) = exp(-x^2 / 2) / sqrt(2 pi)."""
    return sp.exp(-x ** 2 / 2) / sp.sqrt(2 * sp.pi)


def uniform_cdf(x: sp.Expr) -> sp.Expr:
    """Phi(x) = min(1, max(0, x)), the CDF of U[0, 1]."""
    return sp.Min(1, sp.Max(0, x))


def _cdf_instances() -> list[Verdict]:
    return [
        check.equal(sp.Integral(sp.exp(-_x - sp.exp(-_x)), (_x, -sp.oo, _t)), gumbel_cdf(_t),
                    numeric=False),
        check.equal(sp.Integral(normal_density(_x), (_x, -sp.oo, _t)), normal_cdf(_t),
                    numeric=False),
        # Exp(1): the density is 0 below 0, so P[X < a] = int_0^a e^-x dx
        check.equal(sp.Integral(sp.exp(-_x), (_x, 0, _a)), 1 - sp.exp(-_a), numeric=False)]


CDF_OF_DENSITY = Lemma(
    "cdf_of_density", "the CDF integrates the density",
    "P[X < t] = int_{-oo}^t p(x) dx = Phi(t) for X with density p and CDF Phi",
    "definition of the CDF",
    instance=lambda p, Phi, x, t: (sp.Integral(p(x), (x, -sp.oo, t)), "=", Phi(t)),
    self_check=_cdf_instances,
    checked_on="Gumbel and N(0, 1) at symbolic t, Exp(1) at symbolic a > 0, by the checker")


def _independence_instances() -> list[Verdict]:
    # P[X < a, Y < b] as the double integral of the joint density p(x) p(y)
    return [
        check.equal(sp.Integral(sp.exp(-_x) * sp.exp(-_y), (_y, 0, _b), (_x, 0, _a)),
                    (1 - sp.exp(-_a)) * (1 - sp.exp(-_b)), numeric=False),
        check.equal(sp.Integral(normal_density(_x) * normal_density(_y), (_y, -sp.oo, _b),
                                (_x, -sp.oo, _t)), normal_cdf(_t) * normal_cdf(_b),
                    numeric=False)]


INDEPENDENCE = Lemma(
    "independence", "independent events multiply",
    "P[X_1 < t_1, ..., X_m < t_m] = prod_j P[X_j < t_j] for independent X_j",
    "definition of independence (the joint density is the product of the densities)",
    instance=lambda joint, factor, j, m: (joint, "=", sp.Product(factor, (j, 1, m))),
    self_check=_independence_instances,
    checked_on="m = 2: Exp(1) at a, b > 0 and N(0, 1) at t, b, the joint density integrated")


def _total_probability_instances() -> list[Verdict]:
    # P[Y < X + Delta] for X, Y ~ Exp(1): the double integral over the region against
    # int p(x) P[Y < x + Delta] dx, the conditional probability being the CDF
    # (x is positive: the inner limits 0 < x + Delta are then ordered)
    x = sp.Symbol("x", positive=True)
    region = sp.Integral(sp.exp(-x) * sp.exp(-_y), (_y, 0, x + _D), (x, 0, sp.oo))
    averaged = sp.Integral(sp.exp(-x) * (1 - sp.exp(-(x + _D))), (x, 0, sp.oo))
    return [check.equal(region, averaged, numeric=False),
            check.equal(region, 1 - sp.exp(-_D) / 2, numeric=False)]


TOTAL_PROBABILITY = Lemma(
    "total_probability", "average over the conditioning variable",
    "P[E] = int p(e) P[E | X = e] de for X with density p (law of total probability)",
    "Fubini's theorem on the joint density",
    instance=lambda event, p, conditional, e: (
        event, "=", sp.Integral(p(e) * conditional, (e, -sp.oo, sp.oo))),
    self_check=_total_probability_instances,
    checked_on="P[Y < X + Delta], X, Y ~ Exp(1), Delta > 0: region integral = averaged integral")


def _strict_cdf_instances() -> list[Verdict]:
    out = []
    for Phi in (gumbel_cdf, normal_cdf, lambda z: 1 / (1 + sp.exp(-z))):
        for lo, hi in [(-3, -1), (sp.Rational(-1, 2), sp.Rational(1, 3)), (1, 4)]:
            out.append(check.le(Phi(lo), Phi(hi), numeric=False))
            gap, low = sp.N(Phi(hi) - Phi(lo), 50), sp.N(Phi(lo), 50)
            ok = gap > 0 and low > 0
            out.append(Verdict(Status.PROVED if ok else Status.REFUTED, "50-digit evaluation",
                               f"Phi({lo}) = {low:.6g} > 0, Phi({hi}) - Phi({lo}) = {gap:.6g} > 0"))
    return out


def _strict_cdf(Phi, x, y=None, part="increasing"):
    if part == "positive":
        return Phi(x), ">", 0
    return Phi(x), "<", Phi(y)


STRICT_CDF = Lemma(
    "strict_cdf", "a strictly increasing CDF",
    "a strictly increasing CDF Phi on R has 0 < Phi(x) < Phi(y) for all x < y",
    "Phi(x) > Phi(x - 1) >= 0",
    instance=_strict_cdf,
    hypotheses=lambda Phi, x, y=None, part="increasing": [] if part == "positive"
    else [(y - x, ">", 0)],
    self_check=_strict_cdf_instances,
    checked_on="Gumbel, N(0, 1) and logistic CDFs at three pairs x < y (50-digit evaluation)")


def _expectation_instances() -> list[Verdict]:
    # int p (G - F) for F < G: the difference evaluated exactly, and positive
    cases = [(normal_density(_x), sp.Integer(0), _x ** 2), (normal_density(_x), sp.exp(-_x ** 2),
                                                             1 + sp.exp(-_x ** 2))]
    out = []
    for p, F, G in cases:
        gap = sp.Integral(p * G, (_x, -sp.oo, sp.oo)) - sp.Integral(p * F, (_x, -sp.oo, sp.oo))
        value = sp.simplify(sp.integrate(p * (G - F), (_x, -sp.oo, sp.oo)))
        out.append(check.equal(gap, value, numeric=False))
        out.append(Verdict(Status.PROVED if value.is_positive else Status.UNDECIDED,
                           "sign of the exact value", f"int p (G - F) = {value}"))
    return out


EXPECTATION_STRICT_MONO = Lemma(
    "expectation_strict_mono", "a strictly larger integrand has a larger mean",
    "int p F < int p G for a probability density p and bounded F < G everywhere",
    "the integral of a positive function against a probability measure is positive",
    instance=lambda p, F, G, x: (sp.Integral(p(x) * F, (x, -sp.oo, sp.oo)), "<",
                                 sp.Integral(p(x) * G, (x, -sp.oo, sp.oo))),
    self_check=_expectation_instances,
    checked_on="N(0, 1) with (F, G) = (0, x^2) and (e^{-x^2}, 1 + e^{-x^2}) (x^2 is unbounded: "
               "the instance checks the integral, not the bound)")


def _difference_instances() -> list[Verdict]:
    # Exp(1), Delta > 0: the density of D = Y - X is e^{-|t|} / 2, so P[D < Delta]
    # = int_{-oo}^0 e^t / 2 dt + int_0^Delta e^-t / 2 dt, each piece from its inner integral
    inner_neg = sp.Integral(sp.exp(-_x) * sp.exp(-(_x + _t)), (_x, -_t, sp.oo))
    inner_pos = sp.Integral(sp.exp(-_x) * sp.exp(-(_x + _a)), (_x, 0, sp.oo))
    return [check.equal(inner_neg, sp.exp(_t) / 2, numeric=False),
            check.equal(inner_pos, sp.exp(-_a) / 2, numeric=False),
            check.equal(sp.Integral(sp.exp(_t) / 2, (_t, -sp.oo, 0))
                        + sp.Integral(sp.exp(-_t) / 2, (_t, 0, _D)),
                        sp.Integral(sp.exp(-_x) * (1 - sp.exp(-(_x + _D))), (_x, 0, sp.oo)),
                        numeric=False)]


def _difference_cdf(p, Phi, e, x, t, delta):
    return (sp.Integral(p(e) * Phi(delta + e), (e, -sp.oo, sp.oo)), "=",
            sp.Integral(sp.Integral(p(x) * p(x + t), (x, -sp.oo, sp.oo)), (t, -sp.oo, delta)))


DIFFERENCE_CDF = Lemma(
    "difference_cdf", "the CDF of a difference of i.i.d. variables",
    "int p(e) Phi(Delta + e) de = P[Y - X < Delta] = int_{-oo}^Delta (int p(x) p(x + t) dx) dt "
    "for i.i.d. X, Y with density p",
    "Fubini's theorem; the density of Y - X is the correlation of p with itself",
    instance=_difference_cdf, self_check=_difference_instances,
    checked_on="Exp(1), Delta > 0: the density e^{-|t|}/2 from its inner integrals, and "
               "P[Y - X < Delta] both ways")
