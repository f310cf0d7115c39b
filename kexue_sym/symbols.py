"""Symbol builders: generic matrices and vectors, parametrisations that cover a whole class.

A symbolic proof is as general as its symbols: a step about "every SPD matrix" must use a
parametrisation that reaches every one (Cholesky, LDL^T), an orthogonal matrix one that is
orthogonal identically (Cayley, quaternions).  The builders here say which class they cover.
"""
from __future__ import annotations

import sympy as sp


def generic_matrix(name: str, n: int, *, upper: bool = False) -> sp.Matrix:
    """An n x n matrix of independent real symbols ``name_ij`` (upper-triangular if asked)."""
    return sp.Matrix(n, n, lambda i, j: sp.Integer(0) if upper and i > j
                     else sp.Symbol(f"{name}_{i + 1}{j + 1}", real=True))


def cayley_orthogonal(n: int, name: str = "k") -> sp.Matrix:
    """Q = (I - K)(I + K)^{-1} with K skew-symmetric of free real symbols: QᵀQ = I exactly.

    Rational in K, so identities about Q are rational-function identities that ``cancel``
    decides exactly.  (Covers the orthogonal matrices without eigenvalue -1.)
    """
    K = sp.zeros(n, n)
    for i in range(n):
        for j in range(i + 1, n):
            K[i, j] = sp.Symbol(f"{name}_{i + 1}{j + 1}", real=True)
            K[j, i] = -K[i, j]
    eye = sp.eye(n)
    return (eye - K) * (eye + K).inv()


def rotation_3d(names: str = "q_0 q_1 q_2 q_3") -> sp.Matrix:
    """The rotation of a quaternion q (Euler-Rodrigues): every element of SO(3), rational in q.

    Q = P(q) / |q|^2 with P quadratic in q, so identities about Q are rational-function
    identities that ``cancel`` decides exactly.
    """
    a, b, c, d = sp.symbols(names, real=True)
    P = sp.Matrix([
        [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
        [2 * (b * c + a * d), a * a - b * b + c * c - d * d, 2 * (c * d - a * b)],
        [2 * (b * d - a * c), 2 * (c * d + a * b), a * a - b * b - c * c + d * d]])
    return P / (a * a + b * b + c * c + d * d)


def cholesky_factor(tag: str) -> sp.Matrix:
    """[[a, 0], [b, c]] with a, c > 0: every SPD 2 x 2 covariance is L L^T for one such L."""
    a, c = sp.symbols(f"a_{tag} c_{tag}", positive=True)
    return sp.Matrix([[a, 0], [sp.Symbol(f"b_{tag}", real=True), c]])


def ldl_factors(tag: str, n: int) -> tuple[sp.Matrix, sp.Matrix]:
    """L unit lower-triangular of real symbols and D > 0 diagonal: L D L^T is every SPD n x n
    matrix, exactly once (the LDL^T factorisation exists and is unique)."""
    L = sp.Matrix(n, n, lambda i, j: sp.Integer(1) if i == j else sp.Integer(0) if i < j
                  else sp.Symbol(f"l_{tag}{i + 1}{j + 1}", real=True))
    D = sp.diag(*[sp.Symbol(f"d_{tag}{i + 1}", positive=True) for i in range(n)])
    return L, D


def ldl_covariance(tag: str, n: int) -> sp.Matrix:
    """L D L^T from :func:`ldl_factors`: a symbolic SPD matrix covering all of them."""
    L, D = ldl_factors(tag, n)
    return L * D * L.T


def symmetric_matrix(name: str, n: int) -> sp.Matrix:
    """An n x n symmetric matrix of independent real symbols ``name_ij`` (i <= j)."""
    return sp.Matrix(n, n, lambda i, j: sp.Symbol(f"{name}_{min(i, j) + 1}{max(i, j) + 1}",
                                                  real=True))


def vector(name: str, n: int) -> sp.Matrix:
    """A column of n independent real symbols ``name_1 .. name_n``."""
    return sp.Matrix([sp.Symbol(f"{name}_{i + 1}", real=True) for i in range(n)])


def simplex_point(n: int, name: str = "w") -> sp.Matrix:
    """p_i = w_i / (w_1 + ... + w_n) with w_i > 0: every point of the open probability simplex
    (each one for a ray of w), so a claim about "every distribution on n classes" is a claim
    about positive symbols."""
    w = [sp.Symbol(f"{name}_{i + 1}", positive=True) for i in range(n)]
    total = sp.Add(*w)
    return sp.Matrix([wi / total for wi in w])
