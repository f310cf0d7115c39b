"""Integrals over R^n: linear change of variables, the Gaussian integral, normal moments."""
from __future__ import annotations

from typing import Any, Sequence

import sympy as sp

from .. import check
from ..check import as_expr
from ..verdict import Verdict
from .core import Lemma
from .linear_algebra import invertible, spd_witness


def whole_space(variables: Sequence[sp.Symbol]) -> tuple[tuple[Any, Any, Any], ...]:
    """Integration limits over all of R^n for ``variables``."""
    return tuple((v, -sp.oo, sp.oo) for v in variables)


def _substituted(integrand: Any, old: Sequence[sp.Symbol], new: Sequence[sp.Symbol],
                 shift: sp.Matrix, L: sp.Matrix) -> sp.Integral:
    """|det L| * integral of ``integrand`` at x = shift + L z, over R^n in ``new``."""
    image = shift + L * sp.Matrix(new)
    moved = as_expr(integrand).xreplace(dict(zip(old, image)))
    return sp.Integral(sp.Abs(L.det()) * moved, *whole_space(new))



def _change_of_variables_instances() -> list[Verdict]:
    x, z = sp.Symbol("x", real=True), sp.Symbol("z", real=True)
    m, s = sp.Symbol("m", real=True), sp.Symbol("s", positive=True)
    f = (x**2 + x) * sp.exp(-x**2)
    # both sides are integrals: the checker evaluates them with certificates
    out = [check.equal(sp.Integral(f, (x, -sp.oo, sp.oo)),
                       _substituted(f, [x], [z], sp.Matrix([m]), sp.Matrix([[s]])),
                       numeric=False)]
    xs, zs = sp.symbols("x_1 x_2", real=True), sp.symbols("z_1 z_2", real=True)
    g = (1 + xs[0] * xs[1]) * sp.exp(-xs[0] ** 2 - 2 * xs[1] ** 2)
    L = sp.Matrix([[2, 0], [1, 3]])
    out.append(check.equal(sp.Integral(g, *whole_space(xs)),
                           _substituted(g, xs, zs, sp.Matrix([1, -1]), L), numeric=False))
    return out


CHANGE_OF_VARIABLES = Lemma(
    "change_of_variables", "linear change of variables",
    "int_{R^n} f(x) dx = |det L| int_{R^n} f(c + L z) dz for invertible L",
    "linear change of variables (Jacobian det L)",
    instance=lambda integrand, old, new, shift, L: (
        sp.Integral(integrand, *whole_space(old)), "=", _substituted(integrand, old, new, shift, L)),
    hypotheses=lambda integrand, old, new, shift, L: [invertible(L)],
    self_check=_change_of_variables_instances,
    checked_on="n = 1 symbolic (shift m, scale s > 0); n = 2 a fixed shear, both sides by sympy")


def gaussian_kernel(M: sp.Matrix, omega: sp.Matrix, variables: Sequence[sp.Symbol]) -> sp.Expr:
    """exp(-x^T M x / 2 + omega^T x), the integrand of the Gaussian integral (g-int)."""
    X = sp.Matrix(variables)
    return sp.exp(sp.expand(-(X.T * M * X)[0] / 2 + (omega.T * X)[0]))


def gaussian_integral_value(M: sp.Matrix, omega: sp.Matrix) -> sp.Expr:
    """(2 pi)^{n/2} det(M)^{-1/2} exp(omega^T M^{-1} omega / 2), the value of (g-int)."""
    n = M.shape[0]
    # det M stays an unevaluated Determinant: a derivation can rewrite it as one unit (e.g. by
    # a form that is positive by the assumptions) before sympy splits the square root
    return (2 * sp.pi) ** sp.Rational(n, 2) / sp.sqrt(sp.Determinant(sp.ImmutableMatrix(M))) \
        * sp.exp(sp.cancel((omega.T * M.inv() * omega)[0]) / 2)


def _gaussian_integral_instances() -> list[Verdict]:
    x = sp.Symbol("x", real=True)
    m, w = sp.Symbol("m", positive=True), sp.Symbol("omega", real=True)
    M1, w1 = sp.Matrix([[m]]), sp.Matrix([w])
    out = [check.equal(sp.Integral(gaussian_kernel(M1, w1, [x]), (x, -sp.oo, sp.oo)),
                       gaussian_integral_value(M1, w1), numeric=False)]
    # n = 2, a coupled M = [[1, 1], [1, 3]] and omega = (1, 0); the exponent is written as
    # -(x1 + x2)^2 / 2 - x2^2 + x1 (the same polynomial), a form sympy integrates quickly
    x1, x2 = sp.symbols("x_1 x_2", real=True)
    M2, w2 = sp.Matrix([[1, 1], [1, 3]]), sp.Matrix([1, 0])
    exponent = -(x1 + x2) ** 2 / 2 - x2**2 + x1
    out.append(check.equal(sp.expand(exponent), sp.log(gaussian_kernel(M2, w2, [x1, x2])),
                           numeric=False))
    out.append(check.equal(sp.Integral(sp.exp(exponent), *whole_space([x1, x2])),
                           gaussian_integral_value(M2, w2), numeric=False))
    return out


GAUSSIAN_INTEGRAL = Lemma(
    "gaussian_integral", "the Gaussian integral (g-int)",
    "int_{R^n} exp(-x^T M x / 2 + w^T x) dx = (2 pi)^{n/2} det(M)^{-1/2} exp(w^T M^{-1} w / 2) "
    "for symmetric positive-definite M",
    "(g-int), kexue.fm/archives/8512; completing the square",
    instance=lambda M, omega, variables, G: (
        sp.Integral(gaussian_kernel(M, omega, variables), *whole_space(variables)), "=",
        gaussian_integral_value(M, omega)),
    hypotheses=lambda M, omega, variables, G: spd_witness(M, G),
    self_check=_gaussian_integral_instances,
    checked_on="n = 1 symbolic (m > 0, omega); n = 2 a fixed coupled M, by sympy")



def standard_normal_density(variables: Sequence[sp.Symbol]) -> sp.Expr:
    """phi(z) = exp(-|z|^2 / 2) / (2 pi)^{n/2}, the standard normal density on R^n."""
    Z = sp.Matrix(variables)
    return sp.exp(-(Z.T * Z)[0] / 2) / (2 * sp.pi) ** sp.Rational(len(variables), 2)


def _moment_value(powers: Sequence[int]) -> sp.Integer:
    """E z_1^k_1 ... z_n^k_n for a standard normal: prod of (k - 1)!! (0 when any k is odd)."""
    return sp.Mul(*[0 if k % 2 else sp.factorial2(k - 1) for k in powers])


def _moment_integral(powers: Sequence[int], variables: Sequence[sp.Symbol]) -> sp.Integral:
    monomial = sp.Mul(*[v**k for v, k in zip(variables, powers)])
    return sp.Integral(standard_normal_density(variables) * monomial, *whole_space(variables))


def _standard_normal_moment_instances() -> list[Verdict]:
    out = []
    for n in (1, 2):
        zs = sp.symbols(" ".join(f"z_{i + 1}" for i in range(n)), real=True, seq=True)
        for total in range(5):
            for powers in _compositions(total, n):
                out.append(check.equal(_moment_integral(powers, zs), _moment_value(powers),
                                       numeric=False))
    return out


def _compositions(total: int, parts: int) -> list[tuple[int, ...]]:
    if parts == 1:
        return [(total,)]
    return [(k, *rest) for k in range(total + 1) for rest in _compositions(total - k, parts - 1)]


STANDARD_NORMAL_MOMENT = Lemma(
    "standard_normal_moment", "moments of the standard normal",
    "int z^k phi(z) dz = prod_i (k_i - 1)!! (0 if any k_i is odd)",
    "moments of N(0, I): independent coordinates, E z^k = (k - 1)!! for even k",
    instance=lambda powers, variables: (_moment_integral(powers, variables), "=",
                                        _moment_value(powers)),
    self_check=_standard_normal_moment_instances,
    checked_on="every monomial of degree <= 4 in n = 1, 2, integrated by sympy")


def _image(g: sp.Expr, x: sp.Symbol, end: Any) -> tuple[Any, list[tuple[Any, str, Any]]]:
    """g at an end of the interval and the claim that certifies it (a limit at an infinite
    end; a value that is itself infinite is certified through 1/g -> 0 with g of one sign)."""
    if end in (sp.oo, -sp.oo):
        value = sp.limit(g, x, end)
        if value in (sp.oo, -sp.oo):
            sign = g if value == sp.oo else -g
            return value, [(sign, ">", 0), (sp.Limit(1 / g, x, end), "=", 0)]
        return value, [(sp.Limit(g, x, end), "=", value)]
    return g.xreplace({x: end}), []


def substitution_instance(f: sp.Expr, u: sp.Symbol, g: sp.Expr, x: sp.Symbol, a: Any,
                          b: Any) -> tuple[sp.Integral, str, sp.Integral]:
    """int_{g(a)}^{g(b)} f(u) du = int_a^b f(g(x)) g'(x) dx, both ends oriented upward: for a
    decreasing g the left limits are swapped and |g'| = -g' appears on the right."""
    (ga, _), (gb, _) = _image(g, x, a), _image(g, x, b)
    dg = sp.diff(g, x)
    lo, hi, weight = (ga, gb, dg) if _increasing(dg) else (gb, ga, -dg)
    return (sp.Integral(f, (u, lo, hi)), "=",
            sp.Integral(f.xreplace({u: g}) * weight, (x, a, b)))


def _increasing(dg: sp.Expr) -> bool:
    return dg.is_positive is True


def _substitution_hypotheses(f, u, g, x, a, b) -> list[tuple[Any, str, Any]]:
    dg = sp.diff(g, x)
    hyps = [(dg, ">", 0)] if _increasing(dg) else [(-dg, ">", 0)]
    for end in (a, b):
        hyps.extend(_image(g, x, end)[1])
    return hyps


def _substitution_instances() -> list[Verdict]:
    x, u = sp.Symbol("x", real=True), sp.Symbol("u", real=True)
    c = sp.Symbol("c", positive=True)
    out = []
    # both sides integrated by the checker: a polynomial image, an exponential one (increasing
    # and decreasing), and an infinite end mapped to a finite one
    for f, g, a, b in [(u, x ** 2, 0, 2), (u ** 2, sp.exp(x), 0, 1), (u, sp.exp(-x), 0, 1),
                       (sp.Integer(1), sp.exp(-x), 0, sp.oo),
                       (sp.exp(-c * u), sp.exp(-x), -sp.oo, sp.oo),
                       (u ** 2, 1 - sp.exp(-x), 0, sp.oo)]:
        left, _, right = substitution_instance(f, u, g, x, a, b)
        out.append(check.equal(left, right, numeric=False))
    return out


MONOTONE_SUBSTITUTION = Lemma(
    "monotone_substitution", "substitution u = g(x)",
    "int_{g(a)}^{g(b)} f(u) du = int_a^b f(g(x)) g'(x) dx for g continuously differentiable and "
    "strictly monotone on (a, b) (ends as limits; decreasing g: the limits swap and -g' > 0)",
    "change of variables in one dimension (the article's t = -e^{-eps}, kexue.fm/archives/9085)",
    instance=substitution_instance, hypotheses=_substitution_hypotheses,
    self_check=_substitution_instances,
    checked_on="g = x^2, e^x, e^-x on [0, 2] and [0, 1]; e^-x on [0, oo) and (-oo, oo) with "
               "f = 1, e^{-cu}; 1 - e^-x on [0, oo), both sides by the checker")
