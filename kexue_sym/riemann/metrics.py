"""A catalogue of metrics, each with its coordinates and source.

Every function returns a :class:`kexue_sym.riemann.Metric`.  Tests hold each to its known
invariants and limiting cases (tests/test_riemann.py).
"""
from __future__ import annotations

import sympy as sp

from . import Metric

t, r, theta, phi = sp.symbols("t r theta phi", real=True)
M, Q, a, k, H = sp.symbols("M Q a k H", real=True)


def minkowski(n: int = 4) -> Metric:
    """Flat spacetime diag(-1, 1, ..., 1) in Cartesian coordinates x0..x{n-1}."""
    xs = sp.symbols(f"x0:{n}", real=True)
    return Metric(sp.diag(-1, *([1] * (n - 1))), xs)


def sphere(n: int = 2, radius: sp.Expr = sp.Symbol("R", positive=True)) -> Metric:
    """The n-sphere of radius R in hyperspherical angles chi1..chin:
    ds^2 = R^2 (dchi1^2 + sin^2 chi1 dchi2^2 + sin^2 chi1 sin^2 chi2 dchi3^2 + ...).
    Scalar curvature n (n - 1) / R^2.  Source: any GR text; kexue.fm/archives/4026 (n = 2)."""
    chis = sp.symbols(f"chi1:{n + 1}", real=True)
    diag, w = [], radius ** 2
    for c in chis:
        diag.append(w)
        w = w * sp.sin(c) ** 2
    return Metric(sp.diag(*diag), chis)


def conformal_2d(f: sp.Function = sp.Function("f")) -> Metric:
    """f(x0, x1) (dx0^2 + dx1^2): the article's example 2 (kexue.fm/archives/4026); its
    Gaussian curvature is -lap(ln f) / (2 f) (the article's printed value is wrong)."""
    x0, x1 = sp.symbols("x0 x1", real=True)
    return Metric(sp.diag(f(x0, x1), f(x0, x1)), (x0, x1))


def poincare_half_plane() -> Metric:
    """(dx^2 + dy^2) / y^2 on y > 0: constant curvature -1."""
    x, y = sp.symbols("x y", real=True)
    return Metric(sp.diag(1 / y ** 2, 1 / y ** 2), (x, y))


def _static(f: sp.Expr, angles: int = 2) -> Metric:
    """-f dt^2 + dr^2 / f + r^2 dOmega^2 on an angles-sphere."""
    chis = [theta, phi] if angles == 2 else list(sp.symbols(f"chi1:{angles + 1}", real=True))
    diag, w = [-f, 1 / f], r ** 2
    for c in chis:
        diag.append(w)
        w = w * sp.sin(c) ** 2
    return Metric(sp.diag(*diag), [t, r, *chis])


def schwarzschild() -> Metric:
    """Schwarzschild (G = c = 1): f = 1 - 2M/r.  Kretschmann 48 M^2 / r^6."""
    return _static(1 - 2 * M / r)


def tangherlini(n: int = 5) -> Metric:
    """Schwarzschild-Tangherlini in n >= 4 dimensions: f = 1 - M / r^(n-3) (M the mass
    parameter mu).  Source: F. R. Tangherlini, Nuovo Cimento 27 (1963) 636."""
    if n < 4:
        raise ValueError("Tangherlini needs n >= 4 dimensions")
    return _static(1 - M / r ** (n - 3), angles=n - 2)


def reissner_nordstrom() -> Metric:
    """Reissner-Nordstrom: f = 1 - 2M/r + Q^2/r^2 (geometrised units)."""
    return _static(1 - 2 * M / r + Q ** 2 / r ** 2)


def de_sitter() -> Metric:
    """de Sitter, static patch: f = 1 - H^2 r^2.  Ricci = 3 H^2 g, scalar 12 H^2."""
    return _static(1 - H ** 2 * r ** 2)


def kerr() -> Metric:
    """Kerr in Boyer-Lindquist coordinates (G = c = 1), Sigma = r^2 + a^2 cos^2 theta,
    Delta = r^2 - 2 M r + a^2.  Source: R. P. Kerr, PRL 11 (1963) 237; the standard form in
    e.g. Misner-Thorne-Wheeler eq. (33.2)."""
    sigma = r ** 2 + a ** 2 * sp.cos(theta) ** 2
    delta = r ** 2 - 2 * M * r + a ** 2
    g = sp.zeros(4)
    g[0, 0] = -(1 - 2 * M * r / sigma)
    g[0, 3] = g[3, 0] = -2 * M * a * r * sp.sin(theta) ** 2 / sigma
    g[1, 1] = sigma / delta
    g[2, 2] = sigma
    g[3, 3] = (r ** 2 + a ** 2 + 2 * M * r * a ** 2 * sp.sin(theta) ** 2 / sigma) * sp.sin(theta) ** 2
    return Metric(g, [t, r, theta, phi])


def kerr_kretschmann() -> sp.Expr:
    """The closed form 48 M^2 (r^6 - 15 a^2 r^4 c^2 + 15 a^4 r^2 c^4 - a^6 c^6) / Sigma^6,
    c = cos theta (Henry, ApJ 535 (2000) 350)."""
    c = sp.cos(theta)
    sigma = r ** 2 + a ** 2 * c ** 2
    return 48 * M ** 2 * (r ** 6 - 15 * a ** 2 * r ** 4 * c ** 2 + 15 * a ** 4 * r ** 2 * c ** 4
                          - a ** 6 * c ** 6) / sigma ** 6


def flrw(scale: sp.Function = sp.Function("a")) -> Metric:
    """FLRW with curvature k and scale factor a(t):
    -dt^2 + a^2 (dr^2 / (1 - k r^2) + r^2 dOmega^2).  Scalar 6 (a a'' + a'^2 + k) / a^2."""
    A = scale(t)
    return Metric(sp.diag(-1, A ** 2 / (1 - k * r ** 2), A ** 2 * r ** 2,
                          A ** 2 * r ** 2 * sp.sin(theta) ** 2), [t, r, theta, phi])


CATALOGUE = {"minkowski": minkowski, "sphere": sphere, "conformal_2d": conformal_2d,
             "poincare_half_plane": poincare_half_plane, "schwarzschild": schwarzschild,
             "tangherlini": tangherlini, "reissner_nordstrom": reissner_nordstrom,
             "de_sitter": de_sitter, "kerr": kerr, "flrw": flrw}
