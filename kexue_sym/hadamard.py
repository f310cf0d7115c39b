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

import math

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
    if A.is_complex():
        raise ValueError("Hadamard's inequality here is for real matrices; got a complex tensor")
    if not A.is_floating_point():
        A = A.to(torch.get_default_dtype())
    if A.dtype not in (torch.float32, torch.float64):
        raise ValueError(f"{A.dtype} is not supported (LU needs float32 or float64): "
                         "convert with A.float() or A.double()")
    return A


#: squared column norms inside [2^-900, 2^900] (float64) or [2^-100, 2^100] (float32) are
#: computed directly; a column outside (or zero, or not finite) sends its matrix to the rescaled
#: path, where every column is first scaled by an exact power of two
_WINDOW = {"torch.float64": 2.0 ** 900, "torch.float32": 2.0 ** 100}


def _split(A, flat=None):
    """``(flat, sq, bad, direct)``: the batch as ``(B, n, n)``, its squared column norms, the
    indices of the matrices that need the rescaled path (None when none does), and whether
    every norm is inside :data:`_DIRECT_WINDOW`: one min/max reduction and one host sync
    decide both."""
    import torch

    flat = A.reshape(-1, A.shape[-2], A.shape[-1]) if flat is None else flat
    sq = (flat * flat).sum(dim=-2)
    w = _WINDOW[str(A.dtype)]
    lo, hi = (float(v) for v in torch.aminmax(sq.detach()))
    if 1 / w <= lo and hi <= w:  # False for NaN
        return flat, sq, None, 1 / _DIRECT_WINDOW <= lo and hi <= _DIRECT_WINDOW
    inside = (sq >= 1 / w) & (sq <= w)
    return flat, sq, torch.nonzero((~inside).any(dim=-1)).squeeze(-1), False


#: up to this n the pivots of LU(A) are paired with A's own columns (few small operations);
#: beyond it LU of the column-major view A^T is faster (no transposing copy of the batch)
_PAIRED_MAX_N = 16
#: beyond _PAIRED_MAX_N the logarithms of pivots and norms are summed directly when every
#: squared column norm of the batch lies in [2^-24, 2^24]: each logarithm is then at most ~17
#: (or a pivot's log is large because A is near-singular, where the LU's own error n cond eps
#: is larger still), so their rounding stays below the LU's error; batches with norms outside
#: are combined exactly through mantissas and powers of two (no cancellation of big logs)
_DIRECT_WINDOW = 2.0 ** 24
#: up to this n the paired ratios are multiplied before one logarithm per matrix (n ratios in
#: (0, growth^2] cannot overflow; an underflow is detected and redone as a sum of logarithms)
_PRODUCT_MAX_N = 16


def _rescaled(flat):
    """``(scaled, log_scale, zero)`` for matrices with columns outside the window: every column
    divided by a power of two near its largest |entry| (exact: no rounding), in two halves so
    that even subnormal columns scale without overflow.  Raises ValueError for NaN/inf."""
    import torch

    amax = flat.abs().amax(dim=-2)
    if not bool(torch.isfinite(amax).all()):
        raise ValueError("A has NaN or infinite entries")
    zero = amax == 0
    exponent = torch.frexp(torch.where(zero, torch.ones_like(amax), amax)).exponent
    half = exponent // 2
    one = torch.ones_like(amax)
    scaled = flat * torch.ldexp(one, -half).unsqueeze(-2) * torch.ldexp(one, half - exponent).unsqueeze(-2)
    log_scale = exponent.to(flat.dtype) * math.log(2.0)  # |column| = 2^exponent |scaled column|
    return scaled, log_scale, zero


def _assemble(flat, good_value, bad, bad_value):
    """Values of the good and the rescaled matrices back in batch order (differentiable)."""
    import torch

    out = torch.zeros(flat.shape[0], dtype=good_value.dtype, device=flat.device)
    good = _complement(bad, flat.shape[0])
    return out.index_put((good,), good_value).index_put((bad,), bad_value)


def _log_bound_rows(sq):
    import torch

    return torch.log(sq).sum(dim=-1)


def log_bound(A):
    r"""``log prod_j ||a_j||^2`` for a batch of square matrices ``(..., n, n)`` (torch).

    Formula: :math:`\sum_j \log \sum_i a_{ij}^2`.  A matrix with a column whose squared norm
    leaves [2^-900, 2^900] (float64; [2^-100, 2^100] float32) has its columns scaled by exact
    powers of two first, so entries of any finite size are safe.  A zero column gives ``-inf``
    (with gradient 0).  NaN or infinite entries raise ``ValueError``.  Differentiable; dtype
    and device follow ``A``.  Source: https://kexue.fm/archives/2215 (right-hand side of
    Hadamard's inequality).
    """
    import torch

    A = _square(A)
    flat, sq, bad, _ = _split(A)
    if bad is None:
        return _log_bound_rows(sq).reshape(A.shape[:-2])
    good = _log_bound_rows(sq[_complement(bad, flat.shape[0])])
    scaled, log_scale, zero = _rescaled(flat[bad])
    ssq = (scaled * scaled).sum(dim=-2)
    per_column = torch.log(torch.where(zero, torch.ones_like(ssq), ssq)) + 2 * log_scale
    value = torch.where(zero.any(dim=-1), torch.full_like(per_column[..., 0], -torch.inf),
                        per_column.sum(dim=-1))
    return _assemble(flat, good, bad, value).reshape(A.shape[:-2])


def _complement(bad, size):
    import torch

    keep = torch.ones(size, dtype=torch.bool, device=bad.device)
    keep[bad] = False
    return torch.nonzero(keep).squeeze(-1)


def bound(A):
    r"""Hadamard's bound :math:`\prod_j \|a_j\|^2` (torch, batched over leading dimensions).

    ``exp(log_bound(A))``: scale-safe inside, ``inf`` only when the true value exceeds the
    dtype's range (use :func:`log_bound` then); 0 with gradient 0 at a zero column (the
    derivative of the product there).  Raises ``ValueError`` for non-square input or NaN/inf
    entries.  Source: https://kexue.fm/archives/2215.
    """
    import torch

    return torch.exp(log_bound(A))


def _split_exponent(x):
    """``(m, e)`` with ``x = m * 2**e`` and ``|m|`` in [1/2, 1) (0 for 0): the mantissa
    differentiable in ``x``, the exponent an exact integer (``frexp`` has no gradient, so the
    scale is applied as two exact powers of two, which also covers subnormal ``x``)."""
    import torch

    with torch.no_grad():
        e = torch.frexp(x).exponent
    half = e // 2
    one = torch.ones_like(x)
    return x * torch.ldexp(one, -half) * torch.ldexp(one, half - e), e


def _paired_log_ratio(pivots, sq):
    """log((det M)^2 / prod_j sq_j) from LU(M): partial pivoting permutes rows, so pivot
    u_jj belongs to column j and u_jj^2 / ||m_j||^2 is at most the growth factor squared --
    one logarithm per column of a number near 1, no cancellation."""
    import torch

    ratios = pivots * pivots / sq
    if ratios.shape[-1] <= _PRODUCT_MAX_N and ratios.numel():
        product = ratios.prod(dim=-1)
        if float(product.detach().min()) >= torch.finfo(product.dtype).tiny:  # one sync
            return torch.log(product)
    return torch.log(ratios).sum(dim=-1)


def _pivots(M):
    """The pivots u_jj of LU(M) (n <= _PAIRED_MAX_N) or of LU(M^T) (larger n), copied out so
    that the factors are freed at once: the next B x n x n temporary then reuses their memory
    instead of faulting in fresh pages (1 ms of 4 at B = 10^4, n = 8)."""
    import torch

    paired = M.shape[-1] <= _PAIRED_MAX_N
    LU = torch.linalg.lu_factor_ex(M if paired else M.mT)[0]
    return torch.diagonal(LU, dim1=-2, dim2=-1).clone()


def _log_ratio_rows(M, sq, pivots=None, direct=False):
    """log((det M)^2 / prod_j sq_j) from the pivots of an LU factorisation (of M for small n,
    see :func:`_paired_log_ratio`; of M^T otherwise, where pivots and columns do not pair).
    ``direct`` (norms inside :data:`_DIRECT_WINDOW`): the logarithms summed as they are.
    Otherwise every pivot and every squared norm is split into a mantissa in [1/2, 1) and an
    integer power of two, the logarithms of the mantissas are summed (each at most 0.7 in size:
    no cancellation), and the powers of two are combined exactly as integers -- so entries at
    1e100 lose nothing to the cancellation of two logarithms of size 460 n."""
    import torch

    pivots = _pivots(M) if pivots is None else pivots
    if M.shape[-1] <= _PAIRED_MAX_N:
        return _paired_log_ratio(pivots, sq)
    if direct:
        return 2 * torch.log(pivots.abs()).sum(dim=-1) - torch.log(sq).sum(dim=-1)
    pivot_m, pivot_e = _split_exponent(pivots.abs())
    norm_m, norm_e = _split_exponent(sq)
    powers = (2 * pivot_e.sum(dim=-1) - norm_e.sum(dim=-1)).to(M.dtype)
    return (2 * torch.log(pivot_m).sum(dim=-1) - torch.log(norm_m).sum(dim=-1)
            + powers * math.log(2.0))


def log_ratio(A):
    r"""``log((det A)^2 / prod_j ||a_j||^2)`` in ``[-inf, 0]`` (torch, batched, differentiable).

    Formula: :math:`2\log|\det A| - \sum_j\log\|a_j\|^2` with :math:`|\det A| = \prod_j
    |u_{jj}|` from an LU factorisation with partial pivoting (``torch.linalg.lu_factor_ex``).
    For n <= 16 each pivot is divided by the norm of its own column before the logarithm
    (partial pivoting permutes rows only); for larger n the LU of the contiguous column-major
    view :math:`A^\top` is faster (no transposing copy), and when every squared column norm of
    the batch is in [2^-24, 2^24] the logarithms are summed directly (each is small, so their
    rounding is below the LU's own error), otherwise pivots and norms are split into mantissas
    and powers of two, the mantissas' logarithms summed and the powers combined exactly as
    integers.  Either way the large logarithms of the one-line
    ``2 slogdet(A) - sum log ||a_j||^2`` never cancel -- at the same cost (benchmarks/
    bench_hadamard.py: ratios 0.94-1.18 on CPU, the spread of one function timed twice).  Matrices with a
    squared column norm outside [2^-900, 2^900] (float64; [2^-100, 2^100] float32), or a zero
    column, take a rescaled path (columns scaled by exact powers of two first), so entries of
    any finite size are safe; one host sync decides.  Hadamard's inequality makes the value
    <= 0; rounding can push an orthogonal matrix's value to about ``+n eps``, so it is clamped
    at 0.  A singular ``A`` (a zero column included) gives ``-inf``.  Error:
    ``|d log ratio| <~ n cond(A D^-1) eps`` (``tolerances.log_det_tol``).  NaN or infinite
    entries raise ``ValueError``.  Assumptions: real square ``A``.
    Source: https://kexue.fm/archives/2215.
    """
    import torch

    A = _square(A)
    flat = A.reshape(-1, A.shape[-2], A.shape[-1])
    # the factorisation first, the column norms after: on CPU an elementwise pass just before
    # LAPACK leaves torch's OpenMP threads spinning against LAPACK's (2x slower at n = 64)
    pivots = _pivots(flat)
    flat, sq, bad, direct = _split(A, flat)
    if bad is None:
        value = _log_ratio_rows(flat, sq, pivots, direct)
    else:
        keep = _complement(bad, flat.shape[0])
        good = _log_ratio_rows(flat[keep], sq[keep], pivots[keep])
        scaled, _, zero = _rescaled(flat[bad])
        ssq = (scaled * scaled).sum(dim=-2)
        rows = _log_ratio_rows(scaled, torch.where(zero, torch.ones_like(ssq), ssq))
        rows = torch.where(zero.any(dim=-1), torch.full_like(rows, -torch.inf), rows)
        value = _assemble(flat, good, bad, rows)
    return torch.clamp(value, max=0.0).reshape(A.shape[:-2])


def ratio(A):
    r"""Hadamard ratio :math:`(\det A)^2 / \prod_j \|a_j\|^2 \in [0, 1]` (torch, batched).

    1 iff the columns are orthogonal; 0 iff ``A`` is singular (a zero column included, where the
    quotient 0/0 is taken as 0).  ``exp(log_ratio(A))``; see :func:`log_ratio` for the method.
    Raises ``ValueError`` for non-square input or NaN/inf entries.
    Source: https://kexue.fm/archives/2215.
    """
    import torch

    return torch.exp(log_ratio(A))
