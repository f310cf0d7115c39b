r"""KL divergence, Bhattacharyya distance and W distance between two multivariate normals.

Title
    两个多元正态分布的KL散度、巴氏距离和W距离, Su Jianlin, 2021-07-08.

Main results
    * The Gaussian integral (g-int), n = 1 and n = 2 with a symbolic Cholesky factor of the
      precision and a symbolic linear term (PROVED).
    * KL and Bhattacharyya (n = 1, 2) and the entropy (n = 2): the defining integrals
      evaluated and PROVED equal to ``kexue_sym.gaussian.kl_expr`` / ``bhattacharyya_expr`` /
      ``entropy_expr`` with symbolic means and covariances (every SPD 2 x 2 covariance is
      L L^T for a lower-triangular L with positive diagonal, so the Cholesky entries as symbols
      cover all).
      The n = 2 integrals go through a linear change of variables and (g-int), cited as named
      lemmas whose own instances are machine-checked.
    * The general-n matrix steps (trace trick, the second moment about mu_q, the KL assembly, the
      Bhattacharyya identities of steps 3, 5, 6, the Schur complement, the optimal coupling,
      version 1 = version 2 of W2) as exact identities with generic symbolic matrices of the
      sizes stated in each step's scope (n = 2, 3); the written-out KL that
      ``kexue_sym.gaussian.kl`` runs for n <= 3 (LDL^T written out entrywise) equal to
      ``kl_expr`` for every SPD covariance, n = 1, 2, 3.
    * W2: version 1 = version 2 = version 1 with p and q swapped for n = 2 (symbolic, via the
      2 x 2 trace-of-square-root lemma); the commuting case; the 1-D forms; the optimal linear
      coupling attains version 1; the maximisation over couplings for n = 1.
    * Properties: KL(p||p) = BD(p, p) = W2(p, p) = 0, symmetry of BD and W2, KL against a
      standard normal (PROVED); KL >= 0 (Gibbs) for every SPD pair, n = 1, 2, 3, from the
      LDL^T form: squares over positive pivots plus r_i - 1 - log r_i, each >= 0 by the lemma
      log x <= x - 1 (PROVED given the lemma).

Assumptions
    Real means; symmetric positive-definite covariances, parametrised by Cholesky factors
    (diagonals positive), by LDL^T factors (unit lower-triangular L, positive diagonal D: every
    SPD matrix exactly once) or, for square-root identities, by symmetric positive-definite
    square roots A = Sigma_p^{1/2} (generic symmetric symbols; positive definiteness is the
    domain).

Not machine-checked
    The lemmas themselves (change of variables, (g-int) for general n, the trace of a matrix
    square root, log x <= x - 1) are trusted textbook facts checked on small instances; the
    "only if" of KL = 0 iff p = q (it reads off the LDL^T form, each term vanishing only at
    equal means, factors and pivots, but is not a checked step); the upper bound
    Tr C <= tr (Sigma_p^{1/2} Sigma_q Sigma_p^{1/2})^{1/2} over all couplings for n >= 2 (the
    article's Lagrange / Weyl argument) is not encoded: the coupling attaining it is; W2 symmetry
    and version 1 = version 2 for n >= 4 only numerically (``kexue-sym crosscheck gaussian``).

References
    https://kexue.fm/archives/8512: the Gaussian integral (g-int), the KL divergence, the
    Bhattacharyya distance (steps 1-6), the Wasserstein distance (versions 1, 2 and derivation
    1) and the one-dimensional forms.
"""
from __future__ import annotations

import sympy as sp

from kexue_sym.derivation import Derivation
from kexue_sym.gaussian import (bhattacharyya_expr, entropy_expr, kl_explicit_expr, kl_expr,
                                wasserstein2_expr)
from kexue_sym.justify import ByLemmas, ByLinearity, ByPremise, BySlack, UnderIntegral
from kexue_sym.lemmas import (CHANGE_OF_VARIABLES, GAUSSIAN_INTEGRAL, LOG_LE_LINEAR,
                              STANDARD_NORMAL_MOMENT, TRACE_SQRT_2X2, TRACE_SQRT_SIMILAR,
                              TraceSqrt, gaussian_integral_value, gaussian_kernel,
                              standard_normal_density, whole_space)
from kexue_sym.notation import (BD, KL, W2, adjugate_form, entropy, expectation, integral_over,
                                minor_sum, norm, normal, scalar, sum_over)
from kexue_sym.registry import derivation
from kexue_sym.symbols import (cholesky_factor, generic_matrix, ldl_covariance, ldl_factors,
                               symmetric_matrix, vector)

#: the two distributions in display forms (KL(p, q) ...), never in a checked claim
_P, _Q = sp.symbols("p q")

SOURCE = "https://kexue.fm/archives/8512"

# -- the page's notation for n = 2 (display forms only; the checks use explicit entries) --------
_Sp, _Sq, _S, _M, _K = (sp.MatrixSymbol(name, 2, 2) for name in ("S_p", "S_q", "S", "M", "K"))
_mp, _mq, _Dl, _w, _om, _xv, _yv = (sp.MatrixSymbol(name, 2, 1) for name in
                                    ("mu_p", "mu_q", "Delta", "w", "omega", "x", "y"))
_z, _Lp, _mu_p, _alpha, _kappa = sp.symbols("z L_p mu_p alpha kappa")  # scalars in p(mu_p + L_p z)
_c, _m = sp.IndexedBase("c"), sp.IndexedBase("m")
_p, _g, _phi = (sp.Function(name) for name in ("p", "g", "phi"))
_det = sp.Determinant


def _form(u, A, v) -> sp.Expr:
    """u^T A v of matrix symbols, as the number it is."""
    return scalar(u.T * A * v)


def _dot(u, v) -> sp.Expr:
    """u^T v of matrix symbols, as the number it is."""
    return scalar(u.T * v)


# general n: the same names as n x n matrix symbols
_n = sp.Symbol("n", integer=True, positive=True)
_SpN, _SqN, _SN, _AN, _RN = (sp.MatrixSymbol(name, _n, _n) for name in ("S_p", "S_q", "S", "A", "R"))
_vN, _mpN, _mqN, _DN, _xN, _yN = (sp.MatrixSymbol(name, _n, 1)
                                  for name in ("v", "mu_p", "mu_q", "Delta", "x", "y"))
def _root(X) -> sp.MatPow:
    """X^{1/2}, the principal square root of a symmetric positive semi-definite matrix."""
    return sp.MatPow(X, sp.Rational(1, 2))


_i, _j = sp.symbols("i j", integer=True, positive=True)
_Dp, _Dq, _yI, _MI, _r = (sp.IndexedBase(name) for name in ("D_p", "D_q", "y", "M", "r"))
#: KL for general n in the article's notation, and as kexue_sym.gaussian.kl computes it
_KL_SHOWN_N = (sp.Trace(_SqN.I * _SpN) + _form(_DN, _SqN.I, _DN) - _n
               + sp.log(_det(_SqN)) - sp.log(_det(_SpN))) / 2
_KL_EXPLICIT_SHOWN = (sp.Trace(_SqN.I * _SpN) + _form(_DN, _SqN.I, _DN) - _n
                      + sum_over(sp.log(_Dq[_i]) - sp.log(_Dp[_i]), _i)) / 2
#: KL in the LDL^T factors: y = L_q^-1 Delta, M = L_q^-1 L_p, r_i = D_p,i / D_q,i
_GIBBS_SHOWN = (sum_over(_yI[_i] ** 2 / _Dq[_i], _i)
                + sum_over(_MI[_i, _j] ** 2 * _Dp[_j] / _Dq[_i], sp.Lt(_j, _i))
                + sum_over(_r[_i] - 1 - sp.log(_r[_i]), _i)) / 2

#: the closed forms of the article in its notation (n = 2), for display
_KL_SHOWN = (sp.Trace(_Sq.I * _Sp) + _form(_Dl, _Sq.I, _Dl) - 2
             + sp.log(_det(_Sq)) - sp.log(_det(_Sp))) / 2
_BD_SHOWN = (_form(_Dl, _S.I, _Dl) / 8 + sp.log(_det(_S)) / 2
             - (sp.log(_det(_Sp)) + sp.log(_det(_Sq))) / 4)


def log_density(L: sp.Matrix, mu: sp.Matrix, X: sp.Matrix) -> sp.Expr:
    """log N(X; mu, L L^T) = -n/2 log 2 pi - log det L - |L^-1 (X - mu)|^2 / 2 (L triangular)."""
    w = L.inv() * (X - mu)
    return -sp.Rational(L.shape[0], 2) * sp.log(2 * sp.pi) - sp.log(L.det()) - (w.T * w)[0] / 2


def density(L: sp.Matrix, mu: sp.Matrix, X: sp.Matrix) -> sp.Expr:
    """N(X; mu, L L^T), the exponent kept as |L^-1 (X - mu)|^2 (a form sympy integrates)."""
    w = L.inv() * (X - mu)
    n = L.shape[0]
    return sp.exp(-(w.T * w)[0] / 2) / ((2 * sp.pi) ** sp.Rational(n, 2) * L.det())


def _expectation_n2(d: Derivation, L: sp.Matrix, mu: sp.Matrix, g: sp.Expr, result: sp.Expr,
                    *, display: sp.Expr, result_shown: sp.Expr, xs, zs, by: str) -> None:
    """The chain E_p[g] = int p g dx = int phi(z) g(mu + L z) dz = result (p = N(mu, L L^T));
    ``display`` and ``result_shown`` are its two ends in the page's notation."""
    X, Z = sp.Matrix(xs), sp.Matrix(zs)
    p = density(L, mu, X)
    phi = standard_normal_density(zs)
    moved = g.xreplace(dict(zip(xs, mu + L * Z)))
    changed = CHANGE_OF_VARIABLES.instance(integrand=p * g, old=xs, new=zs, shift=mu, L=L)[2]
    # g(mu + L z) is a polynomial in z: split it into monomials (sympy integrates those fast)
    terms = sp.Poly(sp.expand(moved), *zs).terms()
    moment_uses = [(STANDARD_NORMAL_MOMENT, dict(powers=powers, variables=zs)) for powers, _ in terms]
    instances = [lemma.instance(**bindings) for lemma, bindings in moment_uses]
    moments = sp.Add(*[c * integral for (_, c), (integral, _, _) in zip(terms, instances)])
    moment_values = sp.Add(*[c * value for (_, c), (_, _, value) in zip(terms, instances)])
    moved_shown = _p(_mu_p + _Lp * _z) * _g(_mu_p + _Lp * _z)
    (d.calc(sp.Integral(p * g, *whole_space(xs)), display=display)
       .eq(changed, by=ByLemmas((CHANGE_OF_VARIABLES, dict(integrand=p * g, old=xs, new=zs,
                                                           shift=mu, L=L)), note="x = mu + L z"),
           display=integral_over(_det(sp.MatrixSymbol("L_p", 2, 2)) * moved_shown, _z, 2))
       .eq(sp.Integral(phi * moved, *whole_space(zs)),
           by=UnderIntegral("|det L| p(mu + L z) = phi(z_1) phi(z_2), the standard normal density"),
           display=integral_over(_phi(_z) * _g(_mu_p + _Lp * _z), _z, 2))
       .eq(moments, by=ByLinearity("linearity: g(mu + L z) is a quadratic polynomial in z"),
           display=sum_over(_c[_alpha] * expectation(_z ** _alpha), _alpha))
       .eq(moment_values, by=ByLemmas(*moment_uses, note="E z_i = 0, E z_i z_j = delta_ij"),
           display=sum_over(_c[_alpha] * _m[_alpha], _alpha))
       .eq(result, by=by, display=result_shown))


@derivation("gaussian", title="KL, Bhattacharyya and W2 between normal distributions",
            source=SOURCE, summary="closed forms between N(mu_p, S_p) and N(mu_q, S_q)",
            crosscheck="kexue_sym.crosscheck.gaussian:run")
def build(d: Derivation) -> None:
    _one_dimension(d)
    _two_dimensions(d)
    _general_n(d)
    _gibbs(d)
    _wasserstein(d)


# ---------------------------------------------------------------------------------------------
# n = 1: the defining integrals evaluated directly
# ---------------------------------------------------------------------------------------------

def _one_dimension(d: Derivation) -> None:
    x = sp.Symbol("x", real=True)
    m1, m2, w = sp.symbols("mu_p mu_q omega", real=True)
    s1, s2, s = sp.symbols("sigma_p sigma_q sigma", positive=True)
    line = (x, -sp.oo, sp.oo)

    def normal(m, sd):
        return sp.exp(-(x - m) ** 2 / (2 * sd**2)) / (sp.sqrt(2 * sp.pi) * sd)

    p, q = normal(m1, s1), normal(m2, s2)
    S1, S2 = sp.Matrix([[s1**2]]), sp.Matrix([[s2**2]])
    M1, M2 = sp.Matrix([m1]), sp.Matrix([m2])

    d.section("the Gaussian integral (n = 1)")
    d.step(sp.Integral(p, line), "=", 1, by="normalisation of the density")
    d.step(sp.Integral(sp.exp(-x**2 / (2 * s**2) + w * x), line), "=",
           sp.sqrt(2 * sp.pi) * s * sp.exp(s**2 * w**2 / 2), by="(g-int) with Sigma = sigma^2")

    d.section("KL divergence (n = 1)")
    log_ratio = sp.expand(sp.log(s2 / s1) - (x - m1) ** 2 / (2 * s1**2) + (x - m2) ** 2 / (2 * s2**2))
    d.step(sp.log(p) - sp.log(q), "=", log_ratio, by="log of the two densities",
           display=(sp.log(_P) - sp.log(_Q), log_ratio))
    kl_1d = sp.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - sp.Rational(1, 2)
    (d.calc(sp.Integral(p * log_ratio, line), display=KL(_P, _Q))
       .eq(kl_1d, by="E_p of a quadratic: the moments of p"))
    d.step(kl_expr(M1, S1, M2, S2), "=", kl_1d,
           by="the n-dimensional formula at n = 1 (the article's 1-D form)")

    d.section("Bhattacharyya distance (n = 1)")
    bd_1d = (m1 - m2) ** 2 / (4 * (s1**2 + s2**2)) + sp.log((s1**2 + s2**2) / (2 * s1 * s2)) / 2
    d.step(-sp.log(sp.Integral(sp.sqrt(p * q), line)), "=", bd_1d,
           by="complete the square in the exponent", display=(BD(_P, _Q), bd_1d))
    d.step(bhattacharyya_expr(M1, S1, M2, S2), "=", bd_1d, by="the n-dimensional formula at n = 1")

    d.section("Wasserstein-2 distance (n = 1)")
    w2_v1 = (m1 - m2) ** 2 + s1**2 + s2**2 - 2 * sp.sqrt(s1 * s2**2 * s1)
    d.step(w2_v1, "=", (m1 - m2) ** 2 + (s1 - s2) ** 2, by="version 1 at n = 1 (the article's 1-D form)",
           display=(W2(_P, _Q) ** 2, (m1 - m2) ** 2 + (s1 - s2) ** 2))
    d.step(wasserstein2_expr(M1, S1, M2, S2), "=", sp.sqrt((m1 - m2) ** 2 + (s1 - s2) ** 2),
           by="version 2 at n = 1")
    # The optimisation itself at n = 1: a coupling's joint covariance [[s1^2, c], [c, s2^2]] is
    # PSD iff c = rho s1 s2 with |rho| <= 1; rho = (1 - t^2)/(1 + t^2) covers (-1, 1].
    t = sp.Symbol("t", real=True)
    c = (1 - t**2) / (1 + t**2) * s1 * s2
    d.step(c, "<=", s1 * s2, by="max Tr C over PSD joint covariances (n = 1): c = rho s_p s_q, "
           "|rho| <= 1", certificate=[2 * t**2 * s1 * s2 / (1 + t**2)],
           display=(sp.Symbol("C"), s1 * s2))


# ---------------------------------------------------------------------------------------------
# n = 2: symbolic covariances through their Cholesky factors
# ---------------------------------------------------------------------------------------------

def _two_dimensions(d: Derivation) -> None:
    xs, zs, ys = (sp.symbols(f"{v}_1 {v}_2", real=True) for v in ("x", "z", "y"))
    X = sp.Matrix(xs)
    Lp, Lq = cholesky_factor("p"), cholesky_factor("q")
    Sp, Sq = Lp * Lp.T, Lq * Lq.T
    mp, mq = vector("mu_p", 2), vector("mu_q", 2)
    scope = "n = 2, every SPD covariance (symbolic Cholesky factors)"

    d.section("the Gaussian integral (n = 2, symbolic precision K K^T and linear term)")
    K, omega = cholesky_factor("k"), vector("omega", 2)
    M = K * K.T
    Kt_inv = K.T.inv()
    kernel = gaussian_kernel(M, omega, xs)
    Z = sp.Matrix(zs)
    standard = sp.exp(-(Z.T * Z)[0] / 2 + (omega.T * Kt_inv * Z)[0])
    zv, KtI = sp.MatrixSymbol("z", 2, 1), _K.T.I
    (d.calc(sp.Integral(kernel, *whole_space(xs)),
            display=integral_over(sp.exp(-_form(_xv, _K * _K.T, _xv) / 2 + _dot(_om, _xv)),
                                  _xv, 2))
       .eq(CHANGE_OF_VARIABLES.instance(integrand=kernel, old=xs, new=zs, shift=sp.zeros(2, 1),
                                        L=Kt_inv)[2],
           by=ByLemmas((CHANGE_OF_VARIABLES, dict(integrand=kernel, old=xs, new=zs,
                                                  shift=sp.zeros(2, 1), L=Kt_inv)),
                       note="x = K^{-T} z"), scope=scope,
           display=integral_over(sp.exp(-scalar((KtI * zv).T * _K * _K.T * KtI * zv) / 2
                                        + _form(_om, KtI, zv)), zv, 2) / _det(_K))
       .eq(sp.Integral(standard, *whole_space(zs)) / K.det(),
           by=UnderIntegral("x^T K K^T x = |z|^2"), scope=scope,
           display=integral_over(sp.exp(-_dot(zv, zv) / 2 + _form(_om, KtI, zv)),
                                 zv, 2) / _det(_K))
       .eq(gaussian_integral_value(M, omega), by="two 1-D Gaussian integrals", scope=scope,
           display=2 * sp.pi / _det(_K) * sp.exp(_form(_om, (_K * _K.T).I, _om) / 2)))

    d.section("KL divergence and entropy (n = 2)")
    g = sp.expand(log_density(Lp, mp, X) - log_density(Lq, mq, X))
    _expectation_n2(d, Lp, mp, g, kl_expr(mp, Sp, mq, Sq), xs=xs, zs=zs,
                    display=KL(_P, _Q), result_shown=_KL_SHOWN,
                    by="algebra: the closed form, n = 2 (g = log p - log q)")
    _expectation_n2(d, Lp, mp, -sp.expand(log_density(Lp, mp, X)), entropy_expr(Sp), xs=xs,
                    zs=zs, display=entropy(_P),
                    result_shown=1 + sp.log(2 * sp.pi) + sp.log(_det(_Sp)) / 2,
                    by="algebra: the entropy formula, n = 2 (g = -log p)")
    d.step(kl_expr(mp, Sp, mq, Sq), "=",
           (((mp - mq).T * Sq.inv() * (mp - mq))[0] - sp.log((Sq.inv() * Sp).det())
            + (Sq.inv() * Sp).trace() - 2) / 2,
           by="the article's form: -log det(S_q^-1 S_p) = log det S_q - log det S_p", scope=scope,
           display=(_KL_SHOWN, (_form(_Dl, _Sq.I, _Dl) - sp.log(_det(_Sq.I * _Sp))
                                + sp.Trace(_Sq.I * _Sp) - 2) / 2))
    eye = sp.eye(2)
    d.step(kl_expr(mp, Sp, sp.zeros(2, 1), eye), "=",
           ((mp.T * mp)[0] - sp.log(Sp.det()) + Sp.trace() - 2) / 2,
           by="q standard normal (special case)", scope=scope,
           display=(KL(_P, normal(0, sp.Identity(2))),
                    (_dot(_mp, _mp) - sp.log(_det(_Sp)) + sp.Trace(_Sp) - 2) / 2))
    d.step(kl_expr(mp, Sp, mp, Sp), "=", 0, by="KL(p||p) = 0", scope=scope,
           display=(KL(_P, _P), sp.Integer(0)))

    d.section("Bhattacharyya distance (n = 2), the article's steps 1-6")
    p, q = density(Lp, mp, X), density(Lq, mq, X)
    Pp, Pq = Sp.inv(), Sq.inv()
    Y = sp.Matrix(ys)
    delta = mp - mq
    quad = sp.expand(-((X - mp).T * Pp * (X - mp))[0] / 4 - ((X - mq).T * Pq * (X - mq))[0] / 4)
    prefactor = 1 / (2 * sp.pi * sp.sqrt(Lp.det() * Lq.det()))
    Mbd = (Pp + Pq) / 2
    w_bd = -Pq * delta / 2
    kappa = sp.expand(-(delta.T * Pq * delta)[0] / 4)
    shifted = sp.exp(quad).xreplace(dict(zip(xs, mp + Y)))
    G = sp.Matrix.vstack(Lp.inv(), Lq.inv()) / sp.sqrt(2)  # Mbd = G^T G: Mbd is SPD
    # det S for S = (S_p + S_q)/2 = H^T H, H = [L_p^T; L_q^T]/sqrt 2, by Cauchy-Binet: a sum of
    # squared 2 x 2 minors of H, one of them (a_p c_p)^2/4, so positive by the assumptions alone
    S = (Sp + Sq) / 2
    H = sp.Matrix.vstack(Lp.T, Lq.T) / sp.sqrt(2)
    det_mean_cb = sp.Add(*[H[[i, j], :].det() ** 2 for i in range(4) for j in range(i + 1, 4)])
    det_pq = (Lp.det() * Lq.det()) ** 2
    # the exponent kappa + w^T M^-1 w / 2 as -Delta^T adj(S) Delta / (8 det S), det S by
    # Cauchy-Binet: real by the assumptions (M^-1's denominators are not known to be non-zero)
    exponent = sp.Add(kappa, sp.cancel((w_bd.T * Mbd.inv() * w_bd)[0]) / 2)
    exponent_cb = -(delta.T * S.adjugate() * delta)[0] / (8 * det_mean_cb)
    H_shown = sp.MatrixSymbol("H", 4, 2)
    adj_over_det = -adjugate_form(_Dl, _S) / (8 * minor_sum(H_shown))
    exponent_step = d.step(exponent, "=", exponent_cb, scope=scope,
                           by="kappa + w^T M^-1 w / 2 = -Delta^T S^-1 Delta / 8 (steps 4-5)",
                           display=(_kappa + _form(_w, _M.I, _w) / 2, adj_over_det))
    positive = prefactor * (2 * sp.pi) * Lp.det() * Lq.det() / sp.sqrt(det_mean_cb)
    det_M = sp.Determinant(sp.ImmutableMatrix(Mbd))
    det_step = d.step(det_M, "=", det_mean_cb / det_pq, scope=scope,
                      by="det M = det S / (det S_p det S_q), det S as the Cauchy-Binet sum over the "
                         "2 x 2 minors H_I of H = [L_p^T; L_q^T] / sqrt 2",
                      display=(_det(_M), minor_sum(H_shown) / (_det(_Sp) * _det(_Sq))))
    # the page's forms of the chain: c the normalisers, the exponent split as in the article
    c_shown = 1 / (2 * sp.pi * _det(_Sp) ** sp.Rational(1, 4) * _det(_Sq) ** sp.Rational(1, 4))
    quad_x = -_form(_xv - _mp, _Sp.I, _xv - _mp) / 4 - _form(_xv - _mq, _Sq.I, _xv - _mq) / 4
    quad_y = -_form(_yv, _Sp.I, _yv) / 4 - _form(_yv + _Dl, _Sq.I, _yv + _Dl) / 4
    kernel_y = sp.exp(-_form(_yv, _M, _yv) / 2 + _dot(_w, _yv))
    value_y = 2 * sp.pi / sp.sqrt(_det(_M)) * sp.exp(_form(_w, _M.I, _w) / 2)
    value_cb = (2 * sp.pi * sp.sqrt(_det(_Sp) * _det(_Sq) / minor_sum(H_shown))
                * sp.exp(_form(_w, _M.I, _w) / 2))
    positive_shown = (_det(_Sp) * _det(_Sq)) ** sp.Rational(1, 4) / sp.sqrt(minor_sum(H_shown))
    logs = sp.log(minor_sum(H_shown)) / 2 - (sp.log(_det(_Sp)) + sp.log(_det(_Sq))) / 4
    (d.calc(-sp.log(sp.Integral(sp.sqrt(p * q), *whole_space(xs))), display=BD(_P, _Q))
       .eq(-sp.log(prefactor * sp.Integral(sp.exp(quad), *whole_space(xs))),
           by=UnderIntegral("step 1: the normalisers leave the integral"), scope=scope,
           display=-sp.log(c_shown) - sp.log(integral_over(sp.exp(quad_x), _xv, 2)))
       .eq(-sp.log(prefactor * sp.Integral(shifted, *whole_space(ys))),
           by=ByLemmas((CHANGE_OF_VARIABLES, dict(integrand=sp.exp(quad), old=xs, new=ys,
                                                  shift=mp, L=eye)), note="step 2: y = x - mu_p"),
           scope=scope, display=-sp.log(c_shown * integral_over(sp.exp(quad_y), _yv, 2)))
       .eq(-sp.log(prefactor * sp.exp(kappa)
                   * sp.Integral(gaussian_kernel(Mbd, w_bd, ys), *whole_space(ys))),
           by=UnderIntegral("steps 2-3: exponent -y^T M y/2 + w^T y + kappa, "
                            "M = (S_p^-1 + S_q^-1)/2, w = -S_q^-1 Delta/2"), scope=scope,
           display=-sp.log(c_shown * sp.exp(_kappa) * integral_over(kernel_y, _yv, 2)))
       .eq(-sp.log(prefactor * sp.exp(kappa) * gaussian_integral_value(Mbd, w_bd)),
           by=ByLemmas((GAUSSIAN_INTEGRAL, dict(M=Mbd, omega=w_bd, variables=ys, G=G)),
                       note="step 4: M = G^T G, G = [L_p^-1; L_q^-1]/sqrt 2"),
           scope=scope, display=-sp.log(c_shown * sp.exp(_kappa) * value_y))
       .eq(-sp.log(prefactor * sp.exp(kappa) * gaussian_integral_value(Mbd, w_bd)
                   .xreplace({det_M: det_mean_cb / det_pq})),
           by=ByPremise(det_step, rewrite={det_M: det_mean_cb / det_pq}, note="step 6: det M"),
           scope=scope, display=-sp.log(c_shown * sp.exp(_kappa) * value_cb))
       .eq(-sp.log(positive * sp.exp(exponent)), by="exp(kappa) exp(w) = exp(kappa + w)",
           scope=scope,
           display=-sp.log(positive_shown * sp.exp(_kappa + _form(_w, _M.I, _w) / 2)))
       .eq(-sp.log(positive * sp.exp(exponent_cb)),
           by=ByPremise(exponent_step, rewrite={exponent: exponent_cb}, note="step 5: the exponent"),
           scope=scope, display=-sp.log(positive_shown * sp.exp(adj_over_det)))
       .eq(-exponent_cb + sp.log(det_mean_cb) / 2 - (sp.log(Sp.det()) + sp.log(Sq.det())) / 4,
           by="log of a product of positive factors", scope=scope,
           display=-adj_over_det + logs)
       .eq((delta.T * S.inv() * delta)[0] / 8 + sp.log(det_mean_cb) / 2
           - (sp.log(Sp.det()) + sp.log(Sq.det())) / 4, by="adj(S) / det S = S^-1", scope=scope,
           display=_form(_Dl, _S.I, _Dl) / 8 + logs)
       .eq(bhattacharyya_expr(mp, Sp, mq, Sq), by="the Cauchy-Binet sum is det S", scope=scope,
           display=_BD_SHOWN))
    d.step(bhattacharyya_expr(mp, Sp, mq, Sq), "=", bhattacharyya_expr(mq, Sq, mp, Sp),
           by="BD is symmetric", scope=scope, display=(BD(_P, _Q), BD(_Q, _P)))
    d.step(bhattacharyya_expr(mp, Sp, mp, Sp), "=", 0, by="BD(p, p) = 0", scope=scope,
           display=(BD(_P, _P), sp.Integer(0)))


# ---------------------------------------------------------------------------------------------
# general n: the matrix identities, with generic symbolic matrices
# ---------------------------------------------------------------------------------------------

def _general_n(d: Derivation) -> None:
    d.section("the matrix steps for general n (generic symbolic matrices)")
    for n in (2, 3):
        scope = f"generic symbolic n = {n}"
        A, Sp, Sq = generic_matrix("A", n), symmetric_matrix("S_p", n), symmetric_matrix("S_q", n)
        v, mp, mq = vector("v", n), vector("mu_p", n), vector("mu_q", n)
        delta = mp - mq
        d.step((v.T * A * v)[0], "=", (A * v * v.T).trace(), by="trace trick: a scalar is its "
               "trace, tr(XY) = tr(YX)", scope=scope,
               display=(_form(_vN, _AN, _vN), sp.Trace(_AN * _vN * _vN.T)))
        d.step((Sp + mp * mp.T) - mq * mp.T - mp * mq.T + mq * mq.T, "=", Sp + delta * delta.T,
               by="KL step 3: E_p[(x - mu_q)(x - mu_q)^T] from E x x^T = S_p + mu_p mu_p^T",
               scope=scope,
               display=(_SpN + _mpN * _mpN.T - _mqN * _mpN.T - _mpN * _mqN.T + _mqN * _mqN.T,
                        _SpN + _DN * _DN.T))
        if n == 2:  # the 3 x 3 inverses make these slow without adding anything
            Pq = Sq.inv()
            d.step((Pq * (Sp + delta * delta.T)).trace(), "=",
                   (Pq * Sp).trace() + (delta.T * Pq * delta)[0],
                   by="KL step 4: linearity and cyclicity of the trace", scope=scope,
                   display=(sp.Trace(_SqN.I * (_SpN + _DN * _DN.T)),
                            sp.Trace(_SqN.I * _SpN) + _form(_DN, _SqN.I, _DN)))
            Pp, S = Sp.inv(), (Sp + Sq) / 2
            d.step(Pp + Pq, "=", 2 * Pp * S * Pq, by="BD step 3, S = (S_p + S_q) / 2", scope=scope,
                   display=(_SpN.I + _SqN.I, 2 * _SpN.I * _SN * _SqN.I))
            d.step(S.inv() * Sp * Pq - 2 * Pq, "=", -S.inv(), by="BD step 5", scope=scope,
                   display=(_SN.I * _SpN * _SqN.I - 2 * _SqN.I, -_SN.I))
            d.step((Sq * S.inv() * Sp).det(), "=", Sp.det() * Sq.det() / S.det(),
                   by="BD step 6: det is multiplicative", scope=scope,
                   display=(_det(_SqN * _SN.I * _SpN), _det(_SpN) * _det(_SqN) / _det(_SN)))
    for n in (1, 2, 3):  # what kexue_sym.gaussian.kl runs for n <= 3
        mp, mq = vector("mu_p", n), vector("mu_q", n)
        Sp, Sq = ldl_covariance("p", n), ldl_covariance("q", n)
        d.step(kl_explicit_expr(mp, Sp, mq, Sq), "=", kl_expr(mp, Sp, mq, Sq),
               by="the KL result written out: S = L D L^T entrywise, forward substitution, "
               "log det S = sum log D", scope=f"every SPD n = {n} (S = L D L^T, D > 0)",
               display=(_KL_EXPLICIT_SHOWN, _KL_SHOWN_N))
    n_sym, T, Q, lp, lq = sp.symbols("n T Q logdet_p logdet_q", real=True)
    d.step((n_sym * sp.log(2 * sp.pi) + lq + T + Q) / 2 - (n_sym * sp.log(2 * sp.pi) + lp + n_sym) / 2,
           "=", (Q + T - n_sym + lq - lp) / 2,
           by="KL step 5: E_p[-log q] - E_p[-log p], T = tr(S_q^-1 S_p), Q = Delta^T S_q^-1 Delta",
           scope="symbolic n",
           display=((_n * sp.log(2 * sp.pi) + sp.log(_det(_SqN)) + T + Q) / 2
                    - (_n * sp.log(2 * sp.pi) + sp.log(_det(_SpN)) + _n) / 2,
                    (Q + T - _n + sp.log(_det(_SqN)) - sp.log(_det(_SpN))) / 2))


# ---------------------------------------------------------------------------------------------
# KL >= 0: Gibbs' inequality from the LDL^T form
# ---------------------------------------------------------------------------------------------

def _gibbs(d: Derivation) -> None:
    """KL = (sum of squares over pivots + sum_i (r_i - 1 - log r_i)) / 2 with r_i = Dp_i / Dq_i:
    every term is >= 0 (the last by log x <= x - 1), so KL >= 0, with equality exactly when the
    means, the unit factors and the pivots agree, i.e. p = q."""
    d.section("KL >= 0 (Gibbs' inequality) for every SPD pair, from the LDL^T form")
    for n in (1, 2, 3):
        scope = f"every SPD n = {n} (S = L D L^T, D > 0)"
        mp, mq = vector("mu_p", n), vector("mu_q", n)
        (Lp, Dp), (Lq, Dq) = ldl_factors("p", n), ldl_factors("q", n)
        Lq_inv = Lq.inv()  # unit lower-triangular: polynomial entries, exactly
        y, M = Lq_inv * (mp - mq), Lq_inv * Lp
        ratios = [Dp[i, i] / Dq[i, i] for i in range(n)]
        squares = sp.Add(*[y[i] ** 2 / Dq[i, i] for i in range(n)]) + sp.Add(
            *[M[i, j] ** 2 * Dp[j, j] / Dq[i, i] for i in range(n) for j in range(i)])
        gibbs = (squares + sp.Add(*[r - 1 - sp.log(r) for r in ratios])) / 2
        premises = [d.step(sp.log(r), "<=", r - 1, scope=scope,
                           by=ByLemmas((LOG_LE_LINEAR, dict(x=r)), note="at a pivot ratio"))
                    for r in ratios]
        (d.calc(kl_expr(mp, Lp * Dp * Lp.T, mq, Lq * Dq * Lq.T), display=KL(_P, _Q))
           .eq(gibbs, by="KL in the LDL^T factors: y = Lq^-1 (mu_p - mu_q), M = Lq^-1 Lp, "
               "r_i = Dp_i / Dq_i", scope=scope, display=_GIBBS_SHOWN)
           .ge(0, by=BySlack(*premises, note="squares over positive pivots, and r_i - 1 - log r_i >= 0"),
               scope=scope))


# ---------------------------------------------------------------------------------------------
# W2: versions 1 and 2, the coupling, the swap
# ---------------------------------------------------------------------------------------------

def _wasserstein(d: Derivation) -> None:
    d.section("W2: removing the means and the joint covariance (derivation 1, steps 1-3)")
    n = 3
    x, y, mp, mq = (vector(v, n) for v in ("x", "y", "mu_p", "mu_q"))
    delta = mp - mq
    diff = (x + mp) - (y + mq)
    d.step((diff.T * diff)[0], "=", ((x - y).T * (x - y))[0] + 2 * ((x - y).T * delta)[0]
           + (delta.T * delta)[0], by="step 1: expand; the cross term has zero mean",
           scope="generic symbolic n = 3",
           display=(_dot(_xN - _yN + _DN, _xN - _yN + _DN),
                    _dot(_xN - _yN, _xN - _yN) + 2 * _dot(_xN - _yN, _DN)
                    + _dot(_DN, _DN)))
    d.step(((x - y).T * (x - y))[0], "=", (x * x.T + y * y.T - 2 * x * y.T).trace(),
           by="step 2: |x - y|^2 = tr(x x^T + y y^T - 2 x y^T), then E", scope="generic symbolic n = 3",
           display=(_dot(_xN - _yN, _xN - _yN),
                    sp.Trace(_xN * _xN.T + _yN * _yN.T - 2 * _xN * _yN.T)))
    Sp, Sq, C = symmetric_matrix("S_p", 2), symmetric_matrix("S_q", 2), generic_matrix("C", 2)
    Pp, eye, zero = Sp.inv(), sp.eye(2), sp.zeros(2)
    schur = Sq - C.T * Pp * C
    lower = sp.Matrix(sp.BlockMatrix([[eye, zero], [C.T * Pp, eye]]))
    middle = sp.Matrix(sp.BlockMatrix([[Sp, zero], [zero, schur]]))
    joint = sp.Matrix(sp.BlockMatrix([[Sp, C], [C.T, Sq]]))
    I2, O2, CB = sp.Identity(2), sp.ZeroMatrix(2, 2), sp.MatrixSymbol("C", 2, 2)
    d.step(lower * middle * lower.T, "=", joint,
           by="step 3: Schur complement S = S_q - C^T S_p^-1 C", scope="generic symbolic 2 x 2 blocks",
           display=(sp.BlockMatrix([[I2, O2], [CB.T * _Sp.I, I2]])
                    * sp.BlockMatrix([[_Sp, O2], [O2, _Sq - CB.T * _Sp.I * CB]])
                    * sp.BlockMatrix([[I2, _Sp.I * CB], [O2, I2]]),
                    sp.BlockMatrix([[_Sp, CB], [CB.T, _Sq]])))

    d.section("W2: the optimal coupling attains version 1 (every SPD pair)")
    # Every SPD pair is S_p = A^2, S_q = A^-1 R^2 A^-1 with A = S_p^{1/2}, R = (A S_q A)^{1/2}.
    for n in (2, 3):  # n = 3: only the trace identities (the 3 x 3 matrix ones take ~15 s each)
        scope = f"generic symmetric A, R, n = {n}"
        A, R = symmetric_matrix("A", n), symmetric_matrix("R", n)
        Ai = A.inv()
        Sp, Sq = A * A, Ai * R * R * Ai
        T = Ai * R * Ai  # S_p^{-1/2} (S_p^{1/2} S_q S_p^{1/2})^{1/2} S_p^{-1/2}
        TN = sp.MatrixSymbol("T", _n, _n)
        if n == 2:
            d.step(T * Sp * T.T, "=", Sq, scope=scope,
                   by="S_p = A^2, S_q = A^-1 R^2 A^-1, T = A^-1 R A^-1: y = T x has covariance "
                      "T S_p T^T = S_q",
                   display=(TN * _SpN * TN.T, _SqN))
        d.step((Sp * T.T).trace(), "=", R.trace(), by="its Tr C = tr(S_p T^T) = tr R", scope=scope,
               display=(sp.Trace(_SpN * TN.T), sp.Trace(_RN)))
        if n == 2:
            d.step((A * R * Ai) ** 2, "=", Sp * Sq,
                   by="version 2: (A R A^-1)^2 = S_p S_q, a root similar to R", scope=scope,
                   display=((_AN * _RN * _AN.I) ** 2, _SpN * _SqN))
        d.step((A * R * Ai).trace(), "=", R.trace(), by="so tr (S_p S_q)^{1/2} = tr R = version 1",
               scope=scope, display=(sp.Trace(_AN * _RN * _AN.I), sp.Trace(_RN)))

    d.section("W2: version 1 = version 2 = version 1 swapped (n = 2, symbolic)")
    # S_p = A^2, S_q = B^2 with A, B the (symmetric positive-definite) principal roots.
    A, B = symmetric_matrix("A", 2), symmetric_matrix("B", 2)
    Sp, Sq = A * A, B * B
    scope = "n = 2, A = S_p^{1/2}, B = S_q^{1/2} generic symmetric"
    value = sp.sqrt((Sp * Sq).trace() + 2 * sp.sqrt(Sp.det() * Sq.det()))
    v1, v1_swapped = A * Sq * A, B * Sp * B
    v1_shown = sp.Trace(_root(_root(_Sp) * _Sq * _root(_Sp)))
    value_shown = sp.sqrt(sp.Trace(_Sp * _Sq) + 2 * sp.sqrt(_det(_Sp) * _det(_Sq)))
    d.step(TraceSqrt(sp.ImmutableMatrix(v1)), "=", value, scope=scope,
           by=ByLemmas((TRACE_SQRT_2X2, dict(M=v1, G=B * A)),
                       note="version 1: S_p^{1/2} S_q S_p^{1/2} = (BA)^T BA"),
           display=(v1_shown, value_shown))
    d.step(TraceSqrt(sp.ImmutableMatrix(v1_swapped)), "=", value, scope=scope,
           by=ByLemmas((TRACE_SQRT_2X2, dict(M=v1_swapped, G=A * B)),
                       note="p and q swapped: the same value, so W2 is symmetric"),
           display=(sp.Trace(_root(_root(_Sq) * _Sp * _root(_Sq))), value_shown))
    d.step(TraceSqrt(sp.ImmutableMatrix(Sp * Sq)), "=", TraceSqrt(sp.ImmutableMatrix(v1)),
           scope=scope, by=ByLemmas((TRACE_SQRT_SIMILAR, dict(M=Sp * Sq, P=A, N=v1)),
                                    note="version 2 = version 1: S_p S_q = A (A S_q A) A^-1"),
           display=(sp.Trace(_root(_Sp * _Sq)), v1_shown))
    mp, mq = vector("mu_p", 2), vector("mu_q", 2)
    v1_w2 = sp.sqrt(((mp - mq).T * (mp - mq))[0] + Sp.trace() + Sq.trace()
                    - 2 * TraceSqrt(sp.ImmutableMatrix(v1)))
    spread = _dot(_Dl, _Dl) + sp.Trace(_Sp) + sp.Trace(_Sq)
    d.step(v1_w2, "=", wasserstein2_expr(mp, Sp, mq, Sq), scope=scope,
           by=ByLemmas((TRACE_SQRT_2X2, dict(M=v1, G=B * A)),
                       note="version 1 = kexue_sym.gaussian.wasserstein2_expr"),
           display=(sp.sqrt(spread - 2 * v1_shown), sp.sqrt(spread - 2 * value_shown)))
    L = cholesky_factor("p")
    d.step(wasserstein2_expr(mp, L * L.T, mp, L * L.T), "=", 0, by="W2(p, p) = 0",
           scope="n = 2, every SPD covariance (symbolic Cholesky factor)",
           display=(W2(_P, _P), sp.Integer(0)))

    a1, a2, b1, b2 = sp.symbols("a1 a2 b1 b2", positive=True)
    D1, D2 = sp.diag(a1, a2), sp.diag(b1, b2)
    root = lambda M: M.applyfunc(sp.sqrt)  # noqa: E731 - square root of a diagonal PD matrix
    lhs = (D1.trace() + D2.trace() - 2 * root(root(D1) * D2 * root(D1)).trace())
    rhs = sum(e**2 for e in (root(D1) - root(D2)))
    d.step(lhs, "=", rhs, by="commuting covariances: version 1 = ||S_p^{1/2} - S_q^{1/2}||_F^2",
           scope="diagonal (hence commuting) covariances, n = 2",
           display=(sp.Trace(_Sp) + sp.Trace(_Sq) - 2 * v1_shown,
                    norm(_root(_Sp) - _root(_Sq)) ** 2))
