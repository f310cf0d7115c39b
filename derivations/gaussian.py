r"""KL divergence, Bhattacharyya distance and W distance between two multivariate normals.

Title
    两个多元正态分布的KL散度、巴氏距离和W距离, Su Jianlin, 2021-07-08.

Main results (so far; issue 4 is in progress)
    * The normalisation and the Gaussian integral (g-int) in one dimension, evaluated exactly.
    * KL, Bhattacharyya and W2 between 1-D normals: the defining integrals evaluated by sympy and
      PROVED equal to the article's closed forms specialised to n = 1; W2 version 1 at n = 1.
    * W2 for commuting (diagonal) covariances in n = 2: version 1 equals
      |dmu|^2 + |S1^{1/2} - S2^{1/2}|_F^2 (PROVED).
    * Symmetry of the Bhattacharyya distance (PROVED, n = 1); KL >= 0 (n = 1, numeric only).

Assumptions
    sigma_1, sigma_2 > 0; means real.

Not machine-checked yet
    The n = 2 integrals with symbolic covariances, the general-n matrix steps (trace trick,
    Schur complement, Weyl's inequality) and the equality of W2 versions 1 and 2 for general n.

References
    https://kexue.fm/archives/8512 (reference/ARTICLES.md §D).
"""
from __future__ import annotations

import sympy as sp

from kexue_sym.derivation import Derivation
from kexue_sym.registry import derivation

SOURCE = "https://kexue.fm/archives/8512"


@derivation("gaussian", title="KL, Bhattacharyya and W2 between normal distributions",
            source=SOURCE)
def build() -> Derivation:
    d = Derivation("gaussian", title="KL, Bhattacharyya and W2 between normal distributions",
                   source=SOURCE, summary="closed forms between N(mu1, S1) and N(mu2, S2)")
    x = sp.Symbol("x", real=True)
    m1, m2, w = sp.symbols("mu1 mu2 omega", real=True)
    s1, s2, s = sp.symbols("sigma1 sigma2 sigma", positive=True)
    line = (x, -sp.oo, sp.oo)

    def normal(m, sd):
        return sp.exp(-(x - m) ** 2 / (2 * sd**2)) / (sp.sqrt(2 * sp.pi) * sd)

    p, q = normal(m1, s1), normal(m2, s2)

    d.section("the Gaussian integral (n = 1)")
    d.step(sp.Integral(p, line), "=", 1, by="normalisation of the density")
    d.step(sp.Integral(sp.exp(-x**2 / (2 * s**2) + w * x), line), "=",
           sp.sqrt(2 * sp.pi) * s * sp.exp(s**2 * w**2 / 2), by="(g-int) with Sigma = sigma^2")

    d.section("KL divergence (n = 1)")
    log_ratio = sp.expand(sp.log(s2 / s1) - (x - m1) ** 2 / (2 * s1**2) + (x - m2) ** 2 / (2 * s2**2))
    d.step(sp.log(p) - sp.log(q), "=", log_ratio, by="log of the two densities",
           display=(sp.Symbol("log p - log q"), log_ratio))
    kl_1d = sp.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - sp.Rational(1, 2)
    (d.calc(sp.Integral(p * log_ratio, line), display=sp.Symbol("KL(p||q)"))
       .eq(kl_1d, by="E_p of a quadratic: the moments of p"))
    delta = sp.Matrix([m1 - m2])
    S1, S2 = sp.Matrix([[s1**2]]), sp.Matrix([[s2**2]])
    general = (delta.T * S2.inv() * delta)[0] - sp.log((S2.inv() * S1).det()) \
        + (S2.inv() * S1).trace() - 1
    d.step(general / 2, "=", kl_1d, by="the article's n-dimensional formula at n = 1")
    d.step(0, "<=", kl_1d, by="KL >= 0 (Gibbs)")

    d.section("Bhattacharyya distance (n = 1)")
    bd_1d = (m1 - m2) ** 2 / (4 * (s1**2 + s2**2)) + sp.log((s1**2 + s2**2) / (2 * s1 * s2)) / 2
    d.step(-sp.log(sp.Integral(sp.sqrt(p * q), line)), "=", bd_1d,
           by="complete the square in the exponent", display=(sp.Symbol("BD(p, q)"), bd_1d))
    d.step(bd_1d, "=", bd_1d.xreplace({m1: m2, m2: m1, s1: s2, s2: s1}), by="BD is symmetric")

    d.section("Wasserstein-2 distance")
    w2_v1 = (m1 - m2) ** 2 + s1**2 + s2**2 - 2 * sp.sqrt(s1 * s2**2 * s1)
    d.step(w2_v1, "=", (m1 - m2) ** 2 + (s1 - s2) ** 2, by="version 1 at n = 1",
           display=(sp.Symbol("W2^2"), (m1 - m2) ** 2 + (s1 - s2) ** 2))
    a1, a2, b1, b2 = sp.symbols("a1 a2 b1 b2", positive=True)
    D1, D2 = sp.diag(a1, a2), sp.diag(b1, b2)
    root = lambda M: M.applyfunc(sp.sqrt)  # noqa: E731 - square root of a diagonal PD matrix
    lhs = (D1.trace() + D2.trace() - 2 * root(root(D1) * D2 * root(D1)).trace())
    rhs = sum(e**2 for e in (root(D1) - root(D2)))
    d.step(lhs, "=", rhs, by="commuting covariances: version 1 = |S1^1/2 - S2^1/2|_F^2",
           scope="diagonal (hence commuting) covariances, n = 2")
    return d
