r"""Hadamard's inequality: closed forms, proved in ``derivations/hadamard.py``.

For a real square matrix :math:`A` with columns :math:`a_1, \dots, a_n`

.. math::  (\det A)^2 \le \prod_{j=1}^n \|a_j\|^2 ,

with equality iff the columns are pairwise orthogonal or one of them is zero.

Source: Su Jianlin, "体积与阿达马不等式" (Volume and Hadamard's inequality), 2013-12-26,
https://kexue.fm/archives/2215 (the inequality as stated there; proof by QR, the article's
"best coordinate system").

sympy forms (``bound_expr``, ``ratio_expr``) are the single source of truth the derivation
proves; the torch functions are their fast, stable twins (log space, LU, column scaling) and
are held against them and against independent references in the tests and
``kexue-sym crosscheck hadamard``.
"""
from __future__ import annotations

import sympy as sp

__all__ = ["bound_expr", "ratio_expr", "bound", "log_bound", "ratio", "log_ratio"]


def bound_expr(A: sp.Matrix) -> sp.Expr:
    r"""Hadamard's bound :math:`\prod_j \sum_i A_{ij}^2` of a sympy matrix (product over columns).

    Source: https://kexue.fm/archives/2215, the inequality :math:`(\det A)^2 \le \prod_i
    (a_{1i}^2 + \dots + a_{ni}^2)`.
    """
    _require_square_sympy(A)
    return sp.Mul(*[sum(A[i, j] ** 2 for i in range(A.rows)) for j in range(A.cols)])


def ratio_expr(A: sp.Matrix) -> sp.Expr:
    r""":math:`(\det A)^2 / \prod_j \|a_j\|^2`, in [0, 1] by Hadamard's inequality (nonzero columns)."""
    return A.det() ** 2 / bound_expr(A)


def _require_square_sympy(A: sp.Matrix) -> None:
    if not isinstance(A, sp.MatrixBase) or A.rows != A.cols:
        shape = getattr(A, "shape", type(A).__name__)
        raise ValueError(f"Hadamard's inequality needs a square matrix, got shape {shape}")


# ------------------------------------------------------------------------------------------------
# torch twins
# ------------------------------------------------------------------------------------------------

def _square(A):
    import torch

    if not isinstance(A, torch.Tensor):
        A = torch.as_tensor(A)
    if A.ndim < 2 or A.shape[-1] != A.shape[-2]:
        raise ValueError("expected square matrices with shape (..., n, n), got shape "
                         f"{tuple(A.shape)}")
    if A.shape[-1] == 0:
        raise ValueError("expected n >= 1, got an empty 0 x 0 matrix")
    if not (A.is_floating_point() or A.is_complex()):
        A = A.to(torch.get_default_dtype())
    if A.is_complex():
        raise ValueError("Hadamard's inequality here is for real matrices; got a complex tensor")
    return A


def _column_norms(A):
    """``(A', sq, log_scale, zero)``: ``A' = A / s`` column-wise, ``sq`` its squared column
    norms, ``log s`` per column, and a mask of zero columns.

    ``s = 1`` on the fast path; when a square sum overflows or leaves the normal range (entries
    beyond ~1e+-154 in float64) every column is first divided by its largest |entry|, so
    ``||a_j||^2 = s_j^2 sq_j`` with everything finite.
    """
    import torch

    sq = (A * A).sum(dim=-2)
    if bool((torch.isfinite(sq) & (sq >= torch.finfo(A.dtype).tiny)).all()):
        return A, sq, torch.zeros_like(sq), torch.zeros_like(sq, dtype=torch.bool)
    scale = A.abs().amax(dim=-2, keepdim=True)
    zero = scale.squeeze(-2) == 0
    scale = torch.where(scale > 0, scale, torch.ones_like(scale))
    A = A / scale
    return A, (A * A).sum(dim=-2), torch.log(scale.squeeze(-2)), zero


def log_bound(A):
    r"""``log prod_j ||a_j||^2`` for a batch of square matrices ``(..., n, n)`` (torch).

    Formula: :math:`\sum_j \log \sum_i a_{ij}^2`; columns are rescaled by their largest entry
    when the squares would overflow or underflow, so entries of size 1e+-300 are safe.  A zero
    column gives ``-inf``.  Differentiable; dtype and device follow ``A``.
    Source: https://kexue.fm/archives/2215 (right-hand side of Hadamard's inequality).
    """
    import torch

    _, sq, log_scale, zero = _column_norms(_square(A))
    per_column = torch.where(zero, torch.full_like(sq, -torch.inf), 2 * log_scale + torch.log(sq))
    return per_column.sum(dim=-1)


def bound(A):
    r"""Hadamard's bound :math:`\prod_j \|a_j\|^2` (torch, batched over leading dimensions).

    ``exp(log_bound(A))``: scale-safe inside, ``inf`` only when the true value exceeds the
    dtype's range (use :func:`log_bound` then).  Raises ``ValueError`` for non-square input.
    Source: https://kexue.fm/archives/2215.
    """
    import torch

    return torch.exp(log_bound(A))


def log_ratio(A):
    r"""``log((det A)^2 / prod_j ||a_j||^2)`` in ``[-inf, 0]`` (torch, batched, differentiable).

    Formula: :math:`2\log|\det(A D^{-1})|`, :math:`D = \mathrm{diag}(\|a_j\|)`: the columns
    are normalised first (after a rescaling by their largest entry when squares would overflow
    or underflow), so no large logarithms cancel and entries of any size are safe; ``log|det|``
    comes from an LU factorisation (``torch.linalg.slogdet``).  Hadamard's inequality makes the
    value <= 0; rounding can push an orthogonal matrix's value to about ``+n eps``, so it is
    clamped at 0 (where the gradient is then 0).  A singular ``A`` (a zero column included)
    gives ``-inf``.  Error: ``|d log ratio| <~ n cond(A D^-1) eps`` (``tolerances.log_det_tol``).
    Assumptions: real square ``A``.  Source: https://kexue.fm/archives/2215.
    """
    import torch

    A, sq, _, zero = _column_norms(_square(A))
    unit = A * torch.rsqrt(torch.where(zero, torch.ones_like(sq), sq)).unsqueeze(-2)
    value = 2 * torch.linalg.slogdet(unit).logabsdet
    value = torch.where(zero.any(dim=-1), torch.full_like(value, -torch.inf), value)
    return torch.clamp(value, max=0.0)


def ratio(A):
    r"""Hadamard ratio :math:`(\det A)^2 / \prod_j \|a_j\|^2 \in [0, 1]` (torch, batched).

    1 iff the columns are orthogonal; 0 iff ``A`` is singular (a zero column included, where the
    quotient 0/0 is taken as 0).  ``exp(log_ratio(A))``; see :func:`log_ratio` for the method.
    Raises ``ValueError`` for non-square input.  Source: https://kexue.fm/archives/2215.
    """
    import torch

    return torch.exp(log_ratio(A))
