r"""KL divergence, Bhattacharyya distance and Wasserstein-2 distance between multivariate
normals p = N(mu1, cov1), q = N(mu2, cov2) on R^n: closed forms in torch.

Source: Su Jianlin, 两个多元正态分布的KL散度、巴氏距离和W距离 (2021-07-08),
https://kexue.fm/archives/8512 (reference/ARTICLES.md §D):

.. math::
    KL(p\|q) = \tfrac12\left[\Delta^\top\Sigma_2^{-1}\Delta + \mathrm{tr}(\Sigma_2^{-1}\Sigma_1)
               - n + \log\det\Sigma_2 - \log\det\Sigma_1\right]

    BD(p, q) = \tfrac18\Delta^\top\Sigma^{-1}\Delta + \tfrac12\log\frac{\det\Sigma}
               {\sqrt{\det\Sigma_1\det\Sigma_2}},\qquad \Sigma = \tfrac12(\Sigma_1 + \Sigma_2)

    W_2(p, q)^2 = \|\Delta\|^2 + \mathrm{tr}\,\Sigma_1 + \mathrm{tr}\,\Sigma_2
                  - 2\,\mathrm{tr}\big((\Sigma_1^{1/2}\Sigma_2\Sigma_1^{1/2})^{1/2}\big)

with :math:`\Delta = \mu_1 - \mu_2`.  Numerically: Cholesky factors and triangular solves (no
inverse, no determinant is ever formed: log-determinants are sums of logs of Cholesky
diagonals), and for W2 the trace of the square root as :math:`\sum_i\sqrt{\lambda_i}` of the
symmetric matrix :math:`L_1^\top\Sigma_2L_1` (:math:`\Sigma_1 = L_1L_1^\top`), which is similar
to :math:`\Sigma_1\Sigma_2` (the article's implementation note).  Inputs broadcast over leading
batch dimensions; float32 and float64; CPU or GPU; differentiable.  A covariance that is not
symmetric or not positive definite raises ``ValueError`` (never a silent NaN).

The sympy forms (``kl_expr``, ``bhattacharyya_expr``, ``wasserstein2_expr``,
``entropy_expr``) are the expressions that ``derivations/gaussian.py`` proves (``kexue-sym
verify gaussian``); the torch functions are their numerically careful twins, held against the
lambdified sympy forms, ``torch.distributions``, mpmath and Monte Carlo in the tests and in
``kexue-sym crosscheck gaussian``.
"""
from __future__ import annotations

import sympy as sp
import torch

__all__ = ["kl", "bhattacharyya", "wasserstein2", "kl_expr", "bhattacharyya_expr",
           "wasserstein2_expr", "entropy_expr", "trace_sqrt_expr"]


# ---------------------------------------------------------------------------------------------
# sympy forms: what the derivation proves
# ---------------------------------------------------------------------------------------------

def _sym_args(mu1, cov1, mu2, cov2):
    mu1, mu2 = sp.Matrix(mu1), sp.Matrix(mu2)
    cov1, cov2 = sp.Matrix(cov1), sp.Matrix(cov2)
    return mu1, cov1, mu2, cov2, mu1 - mu2


def kl_expr(mu1, cov1, mu2, cov2) -> sp.Expr:
    r"""KL(N(mu1, cov1) || N(mu2, cov2)) as a sympy expression (sympy matrices in).

    .. math:: \tfrac12\left[\Delta^\top\Sigma_2^{-1}\Delta + \mathrm{tr}(\Sigma_2^{-1}\Sigma_1) - n
              + \log\det\Sigma_2 - \log\det\Sigma_1\right],\quad \Delta = \mu_1 - \mu_2

    Assumptions: symmetric positive-definite covariances.  The article writes
    :math:`-\log\det(\Sigma_2^{-1}\Sigma_1)` for the two log-determinants (equal for SPD).
    Source: https://kexue.fm/archives/8512, KL result (ARTICLES.md §D.3).
    """
    mu1, cov1, mu2, cov2, delta = _sym_args(mu1, cov1, mu2, cov2)
    inv2 = cov2.inv()
    return ((delta.T * inv2 * delta)[0] + (inv2 * cov1).trace() - cov1.shape[0]
            + sp.log(cov2.det()) - sp.log(cov1.det())) / 2


def entropy_expr(cov) -> sp.Expr:
    r"""Differential entropy of N(mu, cov): :math:`\tfrac n2(1 + \log 2\pi) + \tfrac12\log\det\Sigma`.

    Source: https://kexue.fm/archives/8512 (ARTICLES.md §D.1).
    """
    cov = sp.Matrix(cov)
    n = cov.shape[0]
    return sp.Rational(n, 2) * (1 + sp.log(2 * sp.pi)) + sp.log(cov.det()) / 2


def bhattacharyya_expr(mu1, cov1, mu2, cov2) -> sp.Expr:
    r"""Bhattacharyya distance :math:`-\log\int\sqrt{pq}` as a sympy expression.

    .. math:: \tfrac18\Delta^\top\Sigma^{-1}\Delta + \tfrac12\log\det\Sigma
              - \tfrac14(\log\det\Sigma_1 + \log\det\Sigma_2),\quad \Sigma = \tfrac12(\Sigma_1 + \Sigma_2)

    (the article's :math:`\tfrac12\log(\det\Sigma/\sqrt{\det\Sigma_1\Sigma_2})` with the logs split,
    valid for SPD covariances).  Source: https://kexue.fm/archives/8512 (ARTICLES.md §D.4).
    """
    mu1, cov1, mu2, cov2, delta = _sym_args(mu1, cov1, mu2, cov2)
    mean_cov = (cov1 + cov2) / 2
    return ((delta.T * mean_cov.inv() * delta)[0] / 8 + sp.log(mean_cov.det()) / 2
            - (sp.log(cov1.det()) + sp.log(cov2.det())) / 4)


def trace_sqrt_expr(M) -> sp.Expr:
    r"""tr of the principal square root of M (positive eigenvalues), exactly: sqrt for n = 1,
    :math:`\sqrt{\mathrm{tr}M + 2\sqrt{\det M}}` for n = 2 (Cayley-Hamilton), else
    :math:`\sum_i\sqrt{\lambda_i}` over sympy's eigenvalues with multiplicity."""
    M = sp.Matrix(M)
    if M.shape == (1, 1):
        return sp.sqrt(M[0, 0])
    if M.shape == (2, 2):
        return sp.sqrt(M.trace() + 2 * sp.sqrt(M.det()))
    return sp.Add(*[k * sp.sqrt(lam) for lam, k in M.eigenvals().items()])


def wasserstein2_expr(mu1, cov1, mu2, cov2) -> sp.Expr:
    r"""The W2 distance (not squared) between two normals, version 2 of the article:

    .. math:: W_2 = \sqrt{\|\Delta\|^2 + \mathrm{tr}\Sigma_1 + \mathrm{tr}\Sigma_2
              - 2\,\mathrm{tr}(\Sigma_1\Sigma_2)^{1/2}}

    with the trace of the principal root from :func:`trace_sqrt_expr`.  The derivation proves
    version 1 (:math:`\mathrm{tr}(\Sigma_1^{1/2}\Sigma_2\Sigma_1^{1/2})^{1/2}`) equal to it.
    Source: https://kexue.fm/archives/8512 (ARTICLES.md §D.5).
    """
    mu1, cov1, mu2, cov2, delta = _sym_args(mu1, cov1, mu2, cov2)
    return sp.sqrt((delta.T * delta)[0] + cov1.trace() + cov2.trace()
                   - 2 * trace_sqrt_expr(cov1 * cov2))


# ---------------------------------------------------------------------------------------------
# torch twins
# ---------------------------------------------------------------------------------------------

#: relative asymmetry tolerated in a covariance, in units of the dtype's eps times n
_SYMMETRY_SLACK = 64


def _prepare(mu1, cov1, mu2, cov2):
    tensors = [torch.as_tensor(t) for t in (mu1, cov1, mu2, cov2)]
    dtype = torch.promote_types(*(t.dtype for t in tensors[:2]))
    dtype = torch.promote_types(dtype, torch.promote_types(tensors[2].dtype, tensors[3].dtype))
    if not dtype.is_floating_point:
        dtype = torch.get_default_dtype()
    mu1, cov1, mu2, cov2 = (t.to(dtype) for t in tensors)
    for name, mu, cov in (("1", mu1, cov1), ("2", mu2, cov2)):
        if cov.ndim < 2 or cov.shape[-1] != cov.shape[-2]:
            raise ValueError(f"cov{name} must have shape (..., n, n), got {tuple(cov.shape)}")
        if mu.ndim < 1 or mu.shape[-1] != cov.shape[-1]:
            raise ValueError(f"mu{name} must have shape (..., {cov.shape[-1]}), got {tuple(mu.shape)}")
    if cov1.shape[-1] != cov2.shape[-1]:
        raise ValueError(f"dimensions differ: {cov1.shape[-1]} vs {cov2.shape[-1]}")
    return mu1, cov1, mu2, cov2


def _cholesky(cov, name: str):
    n = cov.shape[-1]
    eps = torch.finfo(cov.dtype).eps
    scale = cov.abs().amax(dim=(-2, -1), keepdim=True)
    if bool(((cov - cov.mT).abs() > _SYMMETRY_SLACK * n * eps * scale).any()):
        raise ValueError(f"{name} is not symmetric")
    L, info = torch.linalg.cholesky_ex(cov)
    if bool((info != 0).any()):
        raise ValueError(f"{name} is not positive definite")
    return L


def _logdet(L):
    return 2 * torch.log(torch.diagonal(L, dim1=-2, dim2=-1)).sum(-1)


def _solve(L, b):
    """L^{-1} b for lower-triangular L (b: (..., n) vector or (..., n, k) matrix)."""
    if b.ndim == L.ndim - 1:
        return torch.linalg.solve_triangular(L, b.unsqueeze(-1), upper=False).squeeze(-1)
    return torch.linalg.solve_triangular(L, b, upper=False)


def kl(mu1, cov1, mu2, cov2):
    r"""KL(N(mu1, cov1) || N(mu2, cov2)) in nats (torch, batched, differentiable).

    Formula: ``(|L2^-1 (mu2 - mu1)|^2 + |L2^-1 L1|_F^2 - n + logdet cov2 - logdet cov1) / 2``
    with Cholesky factors ``cov = L L^T``; for n = 2 the same formula written out with the
    explicit 2 x 2 inverse and determinants.  Assumptions: symmetric positive-definite
    covariances.
    Source: https://kexue.fm/archives/8512, the KL result (ARTICLES.md §D.3).
    """
    mu1, cov1, mu2, cov2 = _prepare(mu1, cov1, mu2, cov2)
    if cov1.shape[-1] == 2:
        return _kl_2d(mu1, cov1, mu2, cov2)
    L1, L2 = _cholesky(cov1, "cov1"), _cholesky(cov2, "cov2")
    L1, L2 = torch.broadcast_tensors(L1, L2)
    n = cov1.shape[-1]
    maha = _solve(L2, torch.broadcast_to(mu2 - mu1, L2.shape[:-1])).pow(2).sum(-1)
    trace = _solve(L2, L1).pow(2).sum((-2, -1))
    return 0.5 * (maha + trace - n + _logdet(L2) - _logdet(L1))


def _entries_2d(cov, name: str):
    """a, b, c, det of [[a, b], [b, c]], with the same symmetry and definiteness checks."""
    a, b, b2, c = cov[..., 0, 0], cov[..., 0, 1], cov[..., 1, 0], cov[..., 1, 1]
    eps = torch.finfo(cov.dtype).eps
    scale = torch.maximum(a.abs(), c.abs()).clamp_min(torch.finfo(cov.dtype).tiny)
    if bool(((b - b2).abs() > _SYMMETRY_SLACK * 2 * eps * scale).any()):
        raise ValueError(f"{name} is not symmetric")
    det = a * c - b * b
    if bool(((a <= 0) | (det <= 0)).any()):
        raise ValueError(f"{name} is not positive definite")
    return a, b, c, det


def _kl_2d(mu1, cov1, mu2, cov2):
    """d = 2 written out: no factorisation, one pass over the data (memory-bound)."""
    a1, b1, c1, det1 = _entries_2d(cov1, "cov1")
    a2, b2, c2, det2 = _entries_2d(cov2, "cov2")
    x, y = (mu2 - mu1).unbind(-1)
    maha = (c2 * x * x - 2 * b2 * x * y + a2 * y * y) / det2
    trace = (c2 * a1 - 2 * b2 * b1 + a2 * c1) / det2
    return 0.5 * (maha + trace - 2 + torch.log(det2) - torch.log(det1))


def bhattacharyya(mu1, cov1, mu2, cov2):
    r"""Bhattacharyya distance -log ∫ sqrt(p q) between two normals (torch, batched).

    Formula: ``|L^-1 (mu1 - mu2)|^2 / 8 + (logdet S - (logdet cov1 + logdet cov2) / 2) / 2``
    with ``S = (cov1 + cov2) / 2 = L L^T``.  Symmetric in p and q.
    Source: https://kexue.fm/archives/8512, the Bhattacharyya result (ARTICLES.md §D.4).
    """
    mu1, cov1, mu2, cov2 = _prepare(mu1, cov1, mu2, cov2)
    L1, L2 = _cholesky(cov1, "cov1"), _cholesky(cov2, "cov2")
    L = torch.linalg.cholesky((cov1 + cov2) / 2)
    maha = _solve(L, torch.broadcast_to(mu1 - mu2, L.shape[:-1])).pow(2).sum(-1)
    return maha / 8 + 0.5 * (_logdet(L) - 0.5 * (_logdet(L1) + _logdet(L2)))


def wasserstein2(mu1, cov1, mu2, cov2):
    r"""The Wasserstein-2 distance W2 (not squared) between two normals (torch, batched).

    Formula: ``W2^2 = |mu1 - mu2|^2 + tr cov1 + tr cov2 - 2 sum_i sqrt(lambda_i)``, lambda the
    eigenvalues of the symmetric ``L1^T cov2 L1`` (similar to ``cov1 cov2``, so
    ``sum sqrt(lambda) = tr (cov1^{1/2} cov2 cov1^{1/2})^{1/2}``).  W2^2 is clamped at 0 before
    the square root (rounding can leave -eps for equal distributions).
    Source: https://kexue.fm/archives/8512, W2 versions 1 and 2 (ARTICLES.md §D.5).
    """
    mu1, cov1, mu2, cov2 = _prepare(mu1, cov1, mu2, cov2)
    L1 = _cholesky(cov1, "cov1")
    _cholesky(cov2, "cov2")
    inner = L1.mT @ cov2 @ L1
    lam = torch.linalg.eigvalsh((inner + inner.mT) / 2)
    tiny = torch.finfo(lam.dtype).tiny
    root_trace = torch.sqrt(lam.clamp_min(tiny)).sum(-1)
    w2_sq = ((mu1 - mu2) ** 2).sum(-1) + torch.diagonal(cov1, dim1=-2, dim2=-1).sum(-1) \
        + torch.diagonal(cov2, dim1=-2, dim2=-1).sum(-1) - 2 * root_trace
    return torch.sqrt(w2_sq.clamp_min(0.0))
