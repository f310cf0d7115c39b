r"""Hadamard's inequality: closed forms, proved in ``derivations/hadamard.py``.

For a real square matrix :math:`A` with columns :math:`a_1, \dots, a_n`

.. math::  (\det A)^2 \le \prod_{j=1}^n \|a_j\|^2 ,

with equality iff the columns are pairwise orthogonal or one of them is zero.

Source: Su Jianlin, "体积与阿达马不等式" (Volume and Hadamard's inequality), 2013-12-26,
https://kexue.fm/archives/2215 (the inequality as stated there; proof by QR, the article's
"best coordinate system").

sympy forms (``bound_expr``, ``ratio_expr``) are the single source of truth the derivation
proves; the torch functions are their fast, stable twins (log space, column scaling, QR) and
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


def _column_scaled(A):
    """A with each column divided by its largest |entry| (1 for a zero column), and log scale."""
    import torch

    scale = A.abs().amax(dim=-2, keepdim=True)
    safe = torch.where(scale > 0, scale, torch.ones_like(scale))
    return A / safe, torch.log(safe).squeeze(-2), scale.squeeze(-2) > 0


def log_bound(A):
    r"""``log prod_j ||a_j||^2`` for a batch of square matrices ``(..., n, n)`` (torch).

    Formula: :math:`\sum_j \left(2\log s_j + \log \sum_i (a_{ij}/s_j)^2\right)`,
    :math:`s_j = \max_i |a_{ij}|`: the column scaling keeps entries of size 1e+-300 finite.
    A zero column gives ``-inf``.  Differentiable; dtype and device follow ``A``.
    Source: https://kexue.fm/archives/2215 (right-hand side of Hadamard's inequality).
    """
    import torch

    A = _square(A)
    scaled, log_scale, nonzero = _column_scaled(A)
    sq = (scaled ** 2).sum(dim=-2)
    log_sq = torch.log(torch.where(nonzero, sq, torch.ones_like(sq)))
    per_column = torch.where(nonzero, 2 * log_scale + log_sq, torch.full_like(sq, -torch.inf))
    return per_column.sum(dim=-1)


def bound(A):
    r"""Hadamard's bound :math:`\prod_j \|a_j\|^2` (torch, batched over leading dimensions).

    ``exp(log_bound(A))``: exact-scale-safe inside, ``inf`` only when the true value exceeds
    the dtype's range (use :func:`log_bound` then).  Raises ``ValueError`` for non-square input.
    Source: https://kexue.fm/archives/2215.
    """
    import torch

    return torch.exp(log_bound(A))


def log_ratio(A):
    r"""``log((det A)^2 / prod_j ||a_j||^2)`` in ``[-inf, 0]`` (torch, batched, differentiable).

    Computed as the proof does (QR, the article's "best coordinate system"): with
    :math:`A D^{-1} = U R` for the column scaling :math:`D`,
    :math:`\log\text{ratio} = \sum_j \log\left(r_{jj}^2 / \sum_{i\le j} r_{ij}^2\right)`.
    Each term is :math:`\le 0` in floating point too (a sum of non-negative terms is never below
    one of them), so the result never exceeds 0.  Scale-invariant per column, hence stable for
    entries of size 1e+-150 and large n.  A zero column gives ``-inf`` (ratio 0: the matrix is
    singular).  Assumptions: real square ``A``.
    Source: https://kexue.fm/archives/2215; proof of reference/ARTICLES.md §B.2.
    """
    import torch

    A = _square(A)
    scaled, _, nonzero = _column_scaled(A)
    mode = "reduced" if scaled.requires_grad else "r"
    R = torch.linalg.qr(scaled, mode=mode).R
    diag_sq = R.diagonal(dim1=-2, dim2=-1) ** 2
    col_sq = (R ** 2).sum(dim=-2)
    safe = torch.where(nonzero, col_sq, torch.ones_like(col_sq))
    terms = torch.log(diag_sq) - torch.log(safe)
    terms = torch.where(nonzero, terms, torch.full_like(terms, -torch.inf))
    return terms.sum(dim=-1)


def ratio(A):
    r"""Hadamard ratio :math:`(\det A)^2 / \prod_j \|a_j\|^2 \in [0, 1]` (torch, batched).

    1 iff the columns are orthogonal; 0 iff ``A`` is singular (a zero column included, where the
    quotient 0/0 is taken as 0).  ``exp(log_ratio(A))``; see :func:`log_ratio` for the method.
    Raises ``ValueError`` for non-square input.  Source: https://kexue.fm/archives/2215.
    """
    import torch

    return torch.exp(log_ratio(A))
