r"""Building discrete distributions from reparameterization: softmax as argmax of noisy logits.

Title
    从重参数的角度看离散概率分布的构建 (Building discrete probability distributions from the
    angle of reparameterization), Su Jianlin, 2022-05-25.

Main results
    * ``construction``: for i.i.d. noise with density :math:`p` and CDF :math:`\Phi`,
      :math:`p_i = P[\operatorname{argmax}(\mu+\varepsilon) = i] = \int p(\varepsilon)
      \prod_{j\ne i}\Phi(\mu_i-\mu_j+\varepsilon)\,d\varepsilon` (eq. :math:`p_i`; each link an
      instance of a named lemma: total probability, independence, the CDF).
    * ``gumbel``: Gumbel noise gives :math:`p_i = e^{\mu_i}/\sum_j e^{\mu_j}` for every n
      (PROVED: the substitution :math:`u = e^{-\varepsilon}` as a named change of variables, the
      other classes as one positive sum :math:`A`, the integral evaluated with a certificate).
    * Conditions 1, 2, 4 for softmax (n = 4, symbolic); shift invariance of eq. :math:`p_i` for
      every n; condition 3 for strictly increasing :math:`\Phi`: :math:`\mu_i > \mu_k
      \Rightarrow p_i > p_k` (PROVED modulo lemmas, every n).
    * Closed forms for n = 2 (:math:`\Delta = \mu_1 - \mu_2`): Gumbel :math:`\sigma(\Delta)`,
      normal :math:`\Phi_{\mathcal N}(\Delta/\sqrt2)`, exponential :math:`1 - e^{-\Delta}/2`
      (:math:`\Delta \ge 0`), uniform :math:`1/2 + \Delta - \Delta^2/2` (:math:`0 < \Delta <
      1`); exponential noise for any n: a polynomial integral (PROVED, evaluated at n = 2, 3,
      4 with symbolic coefficients).
    * Uniform noise breaks condition 3 (:math:`\Leftarrow`): two classes at least 1 below the
      top both get :math:`p = 0` (PROVED), so "p_3 >= p_2 implies mu_3 >= mu_2" is REFUTED
      (an expected refutation).

Assumptions
    Real logits; i.i.d. continuous noise (ties have probability 0); the other classes' logits
    are :math:`\nu_1, \dots, \nu_m` with :math:`m = n - 1 \ge 1` (:math:`m = n - 2` remaining
    classes in the monotonicity argument).

Not machine-checked
    The probability lemmas (total probability, independence, the CDF of a density, a strictly
    larger integrand has a larger mean, the CDF of a difference) and the substitution rule are
    trusted textbook facts, self-checked on concrete noises; the step from the noise's CDF to
    its density and support (e.g. exponential noise lives on :math:`\varepsilon \ge 0`) is
    the start of each chain, stated, not proved.

References
    https://kexue.fm/archives/9085 (the conditions, eq. :math:`p_i`, the Gumbel derivation and
    the quantile form).  The n = 2 closed forms, the exponential formula for any n and the
    uniform counterexample are a supplement, not in the article.
"""
from __future__ import annotations

import sympy as sp

from kexue_sym.derivation import Derivation
from kexue_sym.justify import ByLemmas, ByPremise, UnderIntegral
from kexue_sym.lemmas import (CDF_OF_DENSITY, DIFFERENCE_CDF, EXPECTATION_STRICT_MONO,
                              INDEPENDENCE, MONOTONE_SUBSTITUTION, PROD_EXP, PROD_STRICT_MONO,
                              STRICT_CDF, SUM_FACTOR, SUM_POSITIVE, TOTAL_PROBABILITY)
from kexue_sym.lemmas.probability import gumbel_cdf, normal_cdf, normal_density, uniform_cdf
from kexue_sym.notation import argmax_is, conditional, every_other, probability
from kexue_sym.registry import derivation
from kexue_sym.softmax_forms import exponential_polynomial_integral, probabilities_expr

SOURCE = "https://kexue.fm/archives/9085"

oo = sp.oo
eps = sp.Symbol("varepsilon", real=True)
x, t, u, s = (sp.Symbol(name, real=True) for name in "xtus")
mu_i, mu_k, c = (sp.Symbol(name, real=True) for name in ("mu_i", "mu_k", "c"))
nu, a = sp.IndexedBase("nu", real=True), sp.IndexedBase("a", positive=True)
j = sp.Symbol("j", integer=True, positive=True)
m = sp.Symbol("m", integer=True, positive=True)
p, Phi = sp.Function("p"), sp.Function("Phi")
Phi_U = sp.Function("Phi_U")  # display name of the uniform CDF


def _integral(f, var=eps, lo=-oo, hi=oo):
    return sp.Integral(f, (var, lo, hi))


def _others(f):
    """prod over the other classes j = 1..m."""
    return sp.Product(f, (j, 1, m))


@derivation("softmax-reparam", title="Softmax as a reparameterization: argmax of noisy logits",
            source=SOURCE,
            summary="p_i = P[argmax(mu + epsilon) = i]; Gumbel noise gives softmax; closed forms "
                    "for n = 2 and exponential noise",
            crosscheck="kexue_sym.crosscheck.softmax:run")
def build(d: Derivation) -> None:
    _conditions(d)
    construction = _construction(d)
    _gumbel(d, construction)
    _shift_and_order(d)
    _two_classes(d)
    _exponential_any_n(d)
    _uniform_breaks_condition_3(d)


def _conditions(d: Derivation) -> None:
    d.section("the four conditions, met by softmax")
    mus = sp.symbols("mu_1:5", real=True)
    soft = probabilities_expr(4, "gumbel", mus)
    shifted = probabilities_expr(4, "gumbel", [v + c for v in mus])
    scope = "n = 4, symbolic logits mu_1..mu_4 and shift c"
    d.step(soft[0], ">", 0, by="condition 1, p_i >= 0: a ratio of positive exponentials",
           scope=scope)
    d.step(sp.Add(*soft), "=", 1, by="condition 2, sum_i p_i = 1", scope=scope,
           display=(sp.Sum(sp.Indexed("p", j), (j, 1, 4)), sp.Integer(1)))
    d.step(soft[0] - soft[1], "=", (sp.exp(mus[0]) - sp.exp(mus[1])) / sp.Add(*map(sp.exp, mus)),
           by="condition 3: p_1 - p_2 has the sign of exp(mu_1) - exp(mu_2), that is of mu_1 - mu_2",
           scope=scope)
    T, mu_vec = sp.Function("T"), sp.Symbol("mu")
    d.step(sp.Matrix(shifted), "=", sp.Matrix(soft), scope=scope,
           by="condition 4, T(mu + c) = T(mu) for c added to every logit: exp(c) cancels",
           display=(T(mu_vec + c), T(mu_vec)))


def _construction(d: Derivation):
    d.section("the construction p_i = P[argmax(mu + epsilon) = i]")
    scope = ("every n: class i against the other classes' logits nu_1..nu_m (m = n - 1), "
             "i.i.d. noise with density p and CDF Phi")
    eps_i, eps_j = sp.Symbol("varepsilon_i", real=True), sp.Symbol("varepsilon_j", real=True)
    threshold = mu_i - nu[j] + eps_i
    event = d.step((mu_i + eps_i) - (nu[j] + eps_j), "=", threshold - eps_j, name="event",
                   display=(sp.Add(mu_i + eps_i, -sp.Add(nu[j], eps_j, evaluate=False),
                                   evaluate=False),
                            sp.Add(threshold, -eps_j, evaluate=False)),
                   by="argmax(mu + epsilon) = i is the event epsilon_j < mu_i - nu_j + epsilon_i for "
                      "every other class j", scope=scope)
    cdf = d.step(sp.Integral(p(x), (x, -oo, threshold)), "=", Phi(threshold), name="CDF",
                 by=ByLemmas((CDF_OF_DENSITY, dict(p=p, Phi=Phi, x=x, t=threshold)),
                             note="given epsilon_i, each event has probability Phi(mu_i - nu_j + "
                                  "epsilon_i)"),
                 scope=scope,
                 display=(conditional(sp.StrictLessThan(eps_j, threshold), eps_i),
                          Phi(threshold)))
    win = sp.Function("P_win")(mu_i)
    given = sp.Function("P_given")(eps_i)
    conditional_cdf = sp.Integral(p(x), (x, -oo, threshold))
    shown_event = argmax_is(sp.Symbol("mu") + sp.Symbol("varepsilon"), sp.Symbol("i"))
    shown_given = conditional(every_other(sp.StrictLessThan(eps_j, threshold), sp.Symbol("j")),
                              eps_i)
    chain = (
        d.calc(win, display=probability(shown_event))
         .eq(sp.Integral(p(eps_i) * given, (eps_i, -oo, oo)),
             by=ByLemmas((TOTAL_PROBABILITY, dict(event=win, p=p, conditional=given, e=eps_i)),
                         premises=[event], note="average over epsilon_i"),
             display=sp.Integral(p(eps_i) * shown_given, (eps_i, -oo, oo)), scope=scope)
         .eq(sp.Integral(p(eps_i) * _others(conditional_cdf), (eps_i, -oo, oo)),
             by=ByLemmas((INDEPENDENCE, dict(joint=given, factor=conditional_cdf, j=j, m=m)),
                         note="the epsilon_j are independent: the events' probabilities multiply"),
             display=sp.Integral(p(eps_i) * _others(conditional(
                 sp.StrictLessThan(eps_j, threshold), eps_i)), (eps_i, -oo, oo)), scope=scope)
         .eq(sp.Integral(p(eps_i) * _others(Phi(threshold)), (eps_i, -oo, oo)),
             by=ByPremise(cdf, rewrite={conditional_cdf: Phi(threshold)},
                          note="each factor is Phi(mu_i - nu_j + epsilon_i)"), scope=scope, name="eq_p"))
    return chain.last


def _gumbel(d: Derivation, construction) -> None:
    d.section("Gumbel noise gives softmax, for every n")
    scope = "every n; A = sum_j exp(nu_j - mu_i) > 0 collects the other classes"
    density = sp.exp(-x - sp.exp(-x))
    gumbel_def = d.step(sp.diff(gumbel_cdf(x), x), "=", density, name="Gumbel",
                        by="Gumbel noise epsilon = -log(-log u): Phi(x) = exp(-exp(-x)), p = Phi'",
                        display=(sp.Derivative(Phi(x), x), density), scope=scope)
    factor_form = sp.exp(-sp.exp(-eps) * sp.exp(-mu_i) * sp.exp(nu[j]))
    factor = d.step(gumbel_cdf(mu_i - nu[j] + eps), "=", factor_form, name="factor",
                    by="exp(-(mu_i - nu_j + epsilon)) = exp(-epsilon) exp(-mu_i) exp(nu_j)",
                    display=(Phi(mu_i - nu[j] + eps), factor_form), scope=scope)
    eps_i = sp.Symbol("varepsilon_i", real=True)
    generic = construction.rhs.xreplace({eps_i: eps})
    term = sp.exp(-mu_i) * sp.exp(nu[j])
    A = sp.Symbol("A", positive=True)
    A_sum = sp.Sum(term, (j, 1, m))
    positive = d.step(A_sum, ">", 0, name="A",
                      by=ByLemmas((SUM_POSITIVE, dict(f=term, j=j, m=m))), scope=scope,
                      display=(A, sp.Integer(0)))
    exponent_sum = sp.Sum(-sp.exp(-eps) * term, (j, 1, m))
    (d.calc(generic)
       .eq(_integral(density.xreplace({x: eps}) * _others(factor_form)),
           by=ByPremise(gumbel_def, factor,
                        rewrite={p(eps): density.xreplace({x: eps}),
                                 Phi(mu_i - nu[j] + eps): factor_form},
                        note="eq. p_i with the Gumbel density and CDF"), scope=scope)
       .eq(_integral(density.xreplace({x: eps}) * sp.exp(exponent_sum)),
           by=ByLemmas((PROD_EXP, dict(f=-sp.exp(-eps) * term, j=j, m=m))), scope=scope)
       .eq(_integral(density.xreplace({x: eps}) * sp.exp(-sp.exp(-eps) * A_sum)),
           by=ByLemmas((SUM_FACTOR, dict(c=-sp.exp(-eps), f=term, j=j, m=m))), scope=scope)
       .eq(_integral(density.xreplace({x: eps}) * sp.exp(-sp.exp(-eps) * A)),
           by=ByPremise(positive, rewrite={A_sum: A}, note="call the other classes' sum A"),
           scope=scope)
       .eq(_integral(sp.exp(-(1 + A) * sp.exp(-eps)) * sp.exp(-eps)),
           by=UnderIntegral(note="collect exp(-epsilon) (1 + A) in the exponent"), scope=scope)
       .eq(sp.Integral(sp.exp(-(1 + A) * u), (u, 0, oo)),
           by=ByLemmas((MONOTONE_SUBSTITUTION,
                        dict(f=sp.exp(-(1 + A) * u), u=u, g=sp.exp(-eps), x=eps, a=-oo, b=oo)),
                       note="u = exp(-epsilon) maps (-oo, oo) onto (0, oo), du = -exp(-epsilon) d epsilon"),
           scope=scope)
       .eq(1 / (1 + A), by="the integral evaluated (certified antiderivative)", scope=scope)
       .eq(1 / (1 + A_sum), by=ByPremise(positive, rewrite={A: A_sum}, note="A written out"),
           scope=scope)
       .eq(1 / (1 + sp.exp(-mu_i) * sp.Sum(sp.exp(nu[j]), (j, 1, m))),
           by=ByLemmas((SUM_FACTOR, dict(c=sp.exp(-mu_i), f=sp.exp(nu[j]), j=j, m=m))),
           scope=scope)
       .eq(sp.exp(mu_i) / (sp.exp(mu_i) + sp.Sum(sp.exp(nu[j]), (j, 1, m))),
           by="multiply above and below by exp(mu_i): the softmax", scope=scope, name="gumbel"))


def _shift_and_order(d: Derivation) -> None:
    d.section("shift invariance and order (conditions 4 and 3) for every noise")
    scope = "every n, any noise: eq. p_i"
    integrand = p(eps) * _others(Phi(mu_i - nu[j] + eps))
    shifted = sp.Add(mu_i + c, -(nu[j] + c), eps, evaluate=False)
    d.step(_integral(p(eps) * _others(Phi(mu_i + c - (nu[j] + c) + eps))), "=",
           _integral(integrand), by="eq. p_i holds only differences mu_i - nu_j: adding c to "
                                    "every logit changes nothing", scope=scope,
           display=(_integral(p(eps) * _others(sp.Function("Phi")(shifted))), _integral(integrand)))
    # condition 3: classes i, k with mu_i = mu_k + delta, delta > 0, and m remaining classes
    delta = sp.Symbol("delta", positive=True)
    scope = ("every n, Phi strictly increasing; mu_i = mu_k + delta, delta > 0; the m = n - 2 "
             "remaining classes nu_1..nu_m")
    big, small = mu_k + delta, mu_k
    lead_i, lead_k = Phi(big - small + eps), Phi(small - big + eps)
    rest_i, rest_k = Phi(big - nu[j] + eps), Phi(small - nu[j] + eps)
    lead = d.step(lead_k, "<", lead_i, scope=scope,
                  by=ByLemmas((STRICT_CDF, dict(Phi=Phi, x=small - big + eps, y=big - small + eps)),
                              note="Phi is strictly increasing and -delta + epsilon < delta + epsilon"))
    rest = d.step(rest_k, "<", rest_i, scope=scope,
                  by=ByLemmas((STRICT_CDF, dict(Phi=Phi, x=small - nu[j] + eps, y=big - nu[j] + eps)),
                              note="Phi is strictly increasing and mu_k < mu_i"))
    positive = d.step(rest_k, ">", 0, scope=scope,
                      by=ByLemmas((STRICT_CDF, dict(Phi=Phi, x=small - nu[j] + eps,
                                                    part="positive"))))
    integrand_k, integrand_i = lead_k * _others(rest_k), lead_i * _others(rest_i)
    pointwise = d.step(integrand_k, "<", integrand_i, scope=scope,
                       by=ByLemmas((PROD_STRICT_MONO, dict(f0=lead_k, g0=lead_i, f=rest_k,
                                                           g=rest_i, j=j, m=m)),
                                   premises=[lead, rest, positive],
                                   note="factor by factor, the first strictly"))
    d.step(_integral(p(eps) * integrand_k), "<", _integral(p(eps) * integrand_i), scope=scope,
           by=ByLemmas((EXPECTATION_STRICT_MONO, dict(p=p, F=integrand_k, G=integrand_i, x=eps)),
                       premises=[pointwise],
                       note="p_k < p_i: a strictly larger integrand against the density p; so "
                            "p_i >= p_k iff mu_i >= mu_k (condition 3)"))


def _two_classes(d: Derivation) -> None:
    d.section("two classes: closed forms (Delta = mu_1 - mu_2)")
    D = sp.Symbol("Delta", real=True)
    mu1, mu2 = sp.symbols("mu_1 mu_2", real=True)

    def closed(noise):  # the library's closed form for p_1, in Delta
        return probabilities_expr(2, noise, [mu2 + D, mu2])[0]

    sigma = 1 / (1 + sp.exp(-D))
    (d.calc(sp.exp(mu2 + D) / (sp.exp(mu2 + D) + sp.exp(mu2)),
            display=sp.exp(mu1) / (sp.exp(mu1) + sp.exp(mu2)))
       .eq(sigma, by="the softmax at n = 2, divided by exp(mu_1): the logistic sigma(Delta)",
           display=sp.Function("sigma")(D), scope="Gumbel, mu_1 = mu_2 + Delta")
       .eq(closed("gumbel"), by="kexue_sym.softmax.probabilities_expr(2, 'gumbel')"))
    tt = sp.Symbol("t", real=True)
    (d.calc(_integral(normal_density(eps) * normal_cdf(D + eps)),
            display=_integral(sp.Function("varphi")(eps) * Phi(D + eps)))
       .eq(sp.Integral(sp.Integral(normal_density(x) * normal_density(x + tt), (x, -oo, oo)),
                       (tt, -oo, D)),
           by=ByLemmas((DIFFERENCE_CDF, dict(p=normal_density, Phi=normal_cdf, e=eps, x=x, t=tt,
                                             delta=D)),
                       note="p_1 = P[epsilon_2 - epsilon_1 < Delta], the CDF of the difference"),
           scope="N(0, 1) noise")
       .eq(sp.Integral(sp.exp(-tt ** 2 / 4) / (2 * sp.sqrt(sp.pi)), (tt, -oo, D)),
           by="the difference's density: a Gaussian integral, evaluated (N(0, 2))",
           scope="N(0, 1) noise")
       .eq(closed("normal"), by="the integral evaluated: Phi_N(Delta / sqrt 2)",
           display=sp.Function("Phi_N")(D / sp.sqrt(2)), scope="N(0, 1) noise"))
    Dp = sp.Symbol("Delta", positive=True)
    (d.calc(sp.Integral(sp.exp(-eps) * (1 - sp.exp(-(Dp + eps))), (eps, 0, oo)),
            display=sp.Integral(sp.exp(-eps) * Phi(Dp + eps), (eps, 0, oo)))
       .eq(1 - sp.exp(-Dp) / 2, by="Exp(1) noise: p = exp(-x) on x >= 0, Phi(x) = 1 - exp(-x) "
                                   "there; the integral evaluated", scope="Exp(1), Delta > 0")
       .eq(probabilities_expr(2, "exponential", [mu2 + Dp, mu2])[0],
           by="kexue_sym.softmax.probabilities_expr(2, 'exponential')", scope="Exp(1), Delta > 0"))
    w = sp.Symbol("w", positive=True)
    Du = 1 / (1 + w)  # 0 < Delta < 1
    scope = "U[0, 1] noise, 0 < Delta < 1 (Delta = 1/(1 + w), w > 0)"
    (d.calc(sp.Integral(Du + eps, (eps, 0, 1 - Du)) + sp.Integral(1, (eps, 1 - Du, 1)),
            display=sp.Integral(Phi_U(sp.Symbol("Delta") + eps), (eps, 0, 1)))
       .eq(sp.Rational(1, 2) + Du - Du ** 2 / 2,
           by="Phi_U(Delta + epsilon) = Delta + epsilon up to epsilon = 1 - Delta, then 1: two polynomial "
              "integrals", scope=scope,
           display=sp.Rational(1, 2) + sp.Symbol("Delta") - sp.Symbol("Delta") ** 2 / 2)
       .eq(closed("uniform").xreplace({D: Du}),
           by="kexue_sym.softmax.probabilities_expr(2, 'uniform') on 0 < Delta < 1",
           scope=scope, display=sp.Rational(1, 2) + sp.Symbol("Delta")
           - sp.Symbol("Delta") ** 2 / 2))


def _exponential_any_n(d: Derivation) -> None:
    d.section("exponential noise, any n: a polynomial integral")
    scope = ("every n, Exp(1) noise, i the top class: a_j = exp(nu_j - mu_i) in (0, 1], "
             "Phi(mu_i - nu_j + epsilon) = 1 - a_j exp(-epsilon) on epsilon >= 0")
    f = _others(1 - a[j] * s)
    (d.calc(sp.Integral(sp.exp(-eps) * _others(1 - a[j] * sp.exp(-eps)), (eps, 0, oo)),
            display=sp.Integral(sp.exp(-eps) * _others(Phi(mu_i - nu[j] + eps)), (eps, 0, oo)))
       .eq(sp.Integral(f, (s, 0, 1)),
           by=ByLemmas((MONOTONE_SUBSTITUTION, dict(f=f, u=s, g=sp.exp(-eps), x=eps, a=0, b=oo)),
                       note="s = exp(-epsilon) maps [0, oo) onto (0, 1]"), scope=scope))
    L = sp.Symbol("L", positive=True)
    (d.calc(sp.Integral(sp.exp(-eps) * _others(1 - a[j] * sp.exp(-eps)), (eps, -sp.log(L), oo)),
            display=sp.Integral(sp.exp(-eps) * _others(Phi(mu_i - nu[j] + eps)),
                                (eps, -sp.log(L), oo)))
       .eq(sp.Integral(f, (s, 0, L)),
           by=ByLemmas((MONOTONE_SUBSTITUTION,
                        dict(f=f, u=s, g=sp.exp(-eps), x=eps, a=-sp.log(L), b=oo)),
                       note="any class: the integrand vanishes until epsilon = max mu - mu_i = "
                            "-log L, L = exp(mu_i - max mu)"),
           scope="every n, Exp(1) noise, any class i"))
    for size in (2, 3, 4):
        mus = sp.symbols(f"mu_1:{size + 1}", real=True)
        shown = [sp.exp(mus[k] - mus[0]) for k in range(1, size)]
        coeffs = sp.symbols(f"a_1:{size}", positive=True)
        poly = sp.Mul(*[1 - ak * s for ak in coeffs])
        d.step(sp.Integral(poly, (s, 0, L)), "=", exponential_polynomial_integral(coeffs, L),
               by="the polynomial integral evaluated: sum_k (-1)^k e_k(a) L^(k+1)/(k+1) "
                  "(probabilities_expr)",
               scope=f"n = {size}, symbolic a_j > 0 and L > 0 ({', '.join(map(str, shown))})")


def _uniform_breaks_condition_3(d: Derivation) -> None:
    d.section("uniform noise breaks condition 3: p_i >= p_j no longer implies mu_i >= mu_j")
    h, r = sp.Symbol("h", nonnegative=True), sp.Symbol("r", positive=True)
    tau = sp.Symbol("tau", real=True)
    scope = "n = 3, U[0, 1] noise, mu = (1 + h, 0, -r): h >= 0, r > 0"
    mu = (1 + h, sp.Integer(0), -r)
    zeros = []
    for cls, others in ((1, (0, 2)), (2, (0, 1))):
        factors = [uniform_cdf(mu[cls] - mu[o] + u) for o in others]
        f = sp.Mul(*factors)
        image = sp.Mul(*[uniform_cdf(mu[cls] - mu[o] + 1 - sp.exp(-tau)) for o in others])
        shown_f = sp.Mul(*[Phi_U(sp.Add(mu[cls] - mu[o], u, evaluate=False)) for o in others])
        shown_image = sp.Mul(*[Phi_U(sp.Add(mu[cls] - mu[o], 1 - sp.exp(-tau), evaluate=False))
                               for o in others])
        chain = (d.calc(sp.Integral(f, (u, 0, 1)), display=sp.Integral(shown_f, (u, 0, 1)))
                   .eq(sp.Integral(image * sp.exp(-tau), (tau, 0, oo)),
                       by=ByLemmas((MONOTONE_SUBSTITUTION,
                                    dict(f=f, u=u, g=1 - sp.exp(-tau), x=tau, a=0, b=oo)),
                                   note="epsilon = 1 - exp(-tau) maps [0, oo) onto [0, 1)"),
                       display=sp.Integral(shown_image * sp.exp(-tau), (tau, 0, oo)), scope=scope)
                   .eq(0, by=f"Phi_U vanishes below 0 and mu_{cls + 1} - mu_1 + 1 - exp(-tau) < 0: "
                             f"p_{cls + 1} = 0", scope=scope))
        zeros.append(chain)
    p2, p3 = sp.Indexed("p", 2), sp.Indexed("p", 3)
    (first, second) = (z.links[0].lhs for z in zeros)
    tie = d.step(second - first, "=", 0, scope=scope, display=(p3 - p2, sp.Integer(0)),
                 by=ByPremise(*(link for z in zeros for link in z.links),
                              rewrite={first: 0, second: 0}, note="p_3 - p_2 = 0 - 0, so p_3 >= p_2"))
    d.step(mu[2], ">=", mu[1], scope=scope, expect="REFUTED",
           by=ByPremise(tie, rewrite={},
                        note="[claim] condition 3 (p_i >= p_j implies mu_i >= mu_j) for uniform "
                             "noise: p_3 >= p_2 would give mu_3 >= mu_2"),
           display=(sp.Symbol("mu_3"), sp.Symbol("mu_2")))
