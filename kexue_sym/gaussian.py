r"""KL divergence, Bhattacharyya distance and Wasserstein-2 distance between multivariate
normals p = N(mu1, cov1), q = N(mu2, cov2) on R^n: closed forms in torch.

Source: Su Jianlin, 两个多元正态分布的KL散度、巴氏距离和W距离 (2021-07-08),
https://kexue.fm/archives/8512:

.. math::
    KL(p\|q) = \tfrac12\left[\Delta^\top\Sigma_2^{-1}\Delta + \mathrm{tr}(\Sigma_2^{-1}\Sigma_1)
               - n + \log\det\Sigma_2 - \log\det\Sigma_1\right]

    BD(p, q) = \tfrac18\Delta^\top\Sigma^{-1}\Delta + \tfrac12\log\frac{\det\Sigma}
               {\sqrt{\det\Sigma_1\det\Sigma_2}},\qquad \Sigma = \tfrac12(\Sigma_1 + \Sigma_2)

    W_2(p, q)^2 = \|\Delta\|^2 + \mathrm{tr}\,\Sigma_1 + \mathrm{tr}\,\Sigma_2
                  - 2\,\mathrm{tr}\big((\Sigma_1^{1/2}\Sigma_2\Sigma_1^{1/2})^{1/2}\big)

with :math:`\Delta = \mu_1 - \mu_2`.  Numerically: Cholesky factors and triangular solves (no
inverse, no determinant is ever formed: log-determinants are sums of logs of Cholesky
diagonals), except KL for n <= 3, which runs the proved written-out form
(:func:`kl_explicit_expr`, LDL^T written out entrywise) as a few elementwise passes; and for W2
the trace of the square root as :math:`\sum_i\sqrt{\lambda_i}` of the symmetric matrix
:math:`L_1^\top\Sigma_2L_1` (:math:`\Sigma_1 = L_1L_1^\top`), which is similar to
:math:`\Sigma_1\Sigma_2` (the article's implementation note).  Inputs broadcast over leading
batch dimensions; float32 and float64; CPU or GPU; differentiable.  A covariance that is not
symmetric or not positive definite raises ``ValueError`` (never a silent NaN).

The sympy forms (``kl_expr``, ``bhattacharyya_expr``, ``wasserstein2_expr``,
``entropy_expr``) are the expressions that ``derivations/gaussian.py`` proves (``kexue-sym
verify gaussian``); the torch functions are their numerically careful twins, held against the
lambdified sympy forms, ``torch.distributions``, mpmath and Monte Carlo in the tests and in
``kexue-sym crosscheck gaussian``.
"""
from __future__ import annotations

import functools
import operator
import warnings

import sympy as sp


class _LazyTorch:
    """``torch`` imported on first use: the sympy forms here (and ``kexue-sym list``, which
    imports every derivation) do not pay torch's import time."""

    def __getattr__(self, name: str):
        import torch as real
        globals()["torch"] = real  # later accesses hit the module itself
        return getattr(real, name)


torch = _LazyTorch()

__all__ = ["kl", "bhattacharyya", "wasserstein2", "kl_expr", "kl_explicit_expr",
           "bhattacharyya_expr", "wasserstein2_expr", "entropy_expr", "trace_sqrt_expr"]


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
    Source: https://kexue.fm/archives/8512, the KL divergence section (its result).
    """
    mu1, cov1, mu2, cov2, delta = _sym_args(mu1, cov1, mu2, cov2)
    inv2 = cov2.inv()
    return ((delta.T * inv2 * delta)[0] + (inv2 * cov1).trace() - cov1.shape[0]
            + sp.log(cov2.det()) - sp.log(cov1.det())) / 2


def entropy_expr(cov) -> sp.Expr:
    r"""Differential entropy of N(mu, cov): :math:`\tfrac n2(1 + \log 2\pi) + \tfrac12\log\det\Sigma`.

    Source: https://kexue.fm/archives/8512 (the entropy, used in the KL derivation).
    """
    cov = sp.Matrix(cov)
    n = cov.shape[0]
    return sp.Rational(n, 2) * (1 + sp.log(2 * sp.pi)) + sp.log(cov.det()) / 2


#: KL runs the written-out form (elementwise arithmetic only) up to this dimension
EXPLICIT_MAX_N = 3


def _total(terms):
    """Sum of a sequence (0 when empty) without a leading ``0 +``: one kernel fewer per sum on
    tensors, and the same expression on sympy objects."""
    terms = list(terms)
    return functools.reduce(operator.add, terms) if terms else 0


def _ldl(S, n: int):
    """Sigma = L D L^T written out (unit lower-triangular L, diagonal D), on nested lists of
    sympy expressions or of tensors alike: the same arithmetic gives the proved expression and
    the numbers.  Pivots D_j > 0 for every j iff Sigma is positive definite (Sylvester)."""
    L = [[None] * n for _ in range(n)]
    D = [None] * n
    for j in range(n):
        D[j] = S[j][j] - _total(L[j][k] * L[j][k] * D[k] for k in range(j))
        for i in range(j + 1, n):
            L[i][j] = (S[i][j] - _total(L[i][k] * L[j][k] * D[k] for k in range(j))) / D[j]
    return L, D


def _kl_from_ldl(delta, L1, D1, L2, D2, n: int, log):
    """KL from the LDL^T factors: forward substitution with the unit-triangular L2 for the
    Mahalanobis term and for M = L2^-1 L1 (tr(S2^-1 S1) = sum_ij M_ij^2 D1_j / D2_i), and
    log det = sum log D (one log of the pivot ratio per row).  Generic arithmetic, like
    :func:`_ldl`."""
    y = [None] * n
    for i in range(n):
        y[i] = delta[i] - _total(L2[i][k] * y[k] for k in range(i))
    M = [[None] * n for _ in range(n)]  # unit lower-triangular: only i > j is computed
    for j in range(n):
        for i in range(j + 1, n):
            M[i][j] = L1[i][j] - L2[i][j] - _total(L2[i][k] * M[k][j] for k in range(j + 1, i))
    # row i: y_i (y_i / D2_i) + (D1_i + sum_j<i M_ij^2 D1_j) / D2_i -- y_i^2 is never formed,
    # so y = 1e160 against D2 = 1e300 stays finite; log D2_i - log D1_i, not log(D2_i / D1_i),
    # which overflows for D2 / D1 = 1e320 although the KL is 735.8
    rows = _total(y[i] * (y[i] / D2[i])
                  + (D1[i] + _total(M[i][j] * M[i][j] * D1[j] for j in range(i))) / D2[i]
                  for i in range(n))
    return (rows - n + _total(log(D2[i]) - log(D1[i]) for i in range(n))) / 2


def kl_explicit_expr(mu1, cov1, mu2, cov2) -> sp.Expr:
    r"""KL written out in the entries of small covariances: what :func:`kl` runs for n <= 3.

    .. math:: \tfrac12\Big[\sum_i y_i\frac{y_i}{D^{(2)}_i}
              + \sum_{i \ge j} \frac{M_{ij}^2 D^{(1)}_j}{D^{(2)}_i} - n
              + \sum_i \log D^{(2)}_i - \sum_i \log D^{(1)}_i\Big]

    with :math:`\Sigma_k = L_k D^{(k)} L_k^\top` written out entrywise (unit lower-triangular
    :math:`L_k`, pivots :math:`D^{(k)}`), :math:`y = L_2^{-1}\Delta`, :math:`M = L_2^{-1}L_1`
    by forward substitution: the KL result with :math:`\Sigma_2^{-1} = L_2^{-\top}
    (D^{(2)})^{-1}L_2^{-1}` and :math:`\log\det\Sigma = \sum\log D`.  No factorisation
    routine and no determinant (whose cofactor expansion loses :math:`\mathrm{cond}^{3/2}`
    for n = 3), so it is as accurate as Cholesky.  ``derivations/gaussian.py`` proves it equal to
    :func:`kl_expr` for every SPD covariance (n = 1, 2, 3).  Assumptions: SPD covariances.
    Source: https://kexue.fm/archives/8512, the KL divergence section (its result).
    """
    mu1, cov1, mu2, cov2, delta = _sym_args(mu1, cov1, mu2, cov2)
    n = cov1.shape[0]
    rows = lambda c: [[c[i, j] for j in range(n)] for i in range(n)]  # noqa: E731
    return _kl_from_ldl(list(-delta), *_ldl(rows(cov1), n), *_ldl(rows(cov2), n), n, sp.log)


def bhattacharyya_expr(mu1, cov1, mu2, cov2) -> sp.Expr:
    r"""Bhattacharyya distance :math:`-\log\int\sqrt{pq}` as a sympy expression.

    .. math:: \tfrac18\Delta^\top\Sigma^{-1}\Delta + \tfrac12\log\det\Sigma
              - \tfrac14(\log\det\Sigma_1 + \log\det\Sigma_2),\quad \Sigma = \tfrac12(\Sigma_1 + \Sigma_2)

    (the article's :math:`\tfrac12\log(\det\Sigma/\sqrt{\det\Sigma_1\Sigma_2})` with the logs split,
    valid for SPD covariances).  Source: https://kexue.fm/archives/8512, the Bhattacharyya
    distance section (steps 1-6).
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
    Source: https://kexue.fm/archives/8512, the Wasserstein distance section (versions 1, 2).
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
    """Tensors of one real floating dtype (float32/float64), shapes checked and broadcastable;
    every problem is a ``ValueError`` naming the argument."""
    tensors = [torch.as_tensor(t) for t in (mu1, cov1, mu2, cov2)]
    names = ("mu1", "cov1", "mu2", "cov2")
    for name, t in zip(names, tensors):
        if t.is_complex():
            raise ValueError(f"{name} is complex; means and covariances must be real")
    dtype = torch.promote_types(*(t.dtype for t in tensors[:2]))
    dtype = torch.promote_types(dtype, torch.promote_types(tensors[2].dtype, tensors[3].dtype))
    if not dtype.is_floating_point:
        dtype = torch.get_default_dtype()
    if dtype not in (torch.float32, torch.float64):
        raise ValueError(f"{dtype} is not supported (Cholesky and eigvalsh need float32 or "
                         "float64): convert the inputs with .float() or .double()")
    mu1, cov1, mu2, cov2 = (t.to(dtype) for t in tensors)
    for name, mu, cov in (("1", mu1, cov1), ("2", mu2, cov2)):
        if cov.ndim < 2 or cov.shape[-1] != cov.shape[-2]:
            raise ValueError(f"cov{name} must have shape (..., n, n), got {tuple(cov.shape)}")
        if cov.shape[-1] == 0:
            raise ValueError(f"cov{name} is 0 x 0: the dimension n must be at least 1")
        if mu.ndim < 1 or mu.shape[-1] != cov.shape[-1]:
            raise ValueError(f"mu{name} must have shape (..., {cov.shape[-1]}), got {tuple(mu.shape)}")
    if cov1.shape[-1] != cov2.shape[-1]:
        raise ValueError(f"dimensions differ: {cov1.shape[-1]} vs {cov2.shape[-1]}")
    try:
        torch.broadcast_shapes(mu1.shape[:-1], cov1.shape[:-2], mu2.shape[:-1], cov2.shape[:-2])
    except RuntimeError:
        raise ValueError("batch shapes do not broadcast: mu1 " + str(tuple(mu1.shape[:-1]))
                         + ", cov1 " + str(tuple(cov1.shape[:-2])) + ", mu2 "
                         + str(tuple(mu2.shape[:-1])) + ", cov2 " + str(tuple(cov2.shape[:-2])))
    return mu1, cov1, mu2, cov2


def _finite_checks(mu1, cov1, mu2, cov2):
    """(message, device flag) pairs for NaN/inf entries: checked with the others in one sync."""
    return [(f"{name} has NaN or infinite entries", ~torch.isfinite(t).all())
            for name, t in (("mu1", mu1), ("cov1", cov1), ("mu2", mu2), ("cov2", cov2))]


def _common_scale(cov1, cov2):
    """An integer k per batch element such that s = 2^k brings the two largest variances to
    reciprocal sizes (``s^2 p1 * s^2 p2 ~ 1``, the geometric mean of p1 and p2 to ~1).  KL and
    the Bhattacharyya distance are unchanged when x -> s x (covariances times s^2, means times
    s) and W2 scales by s; centring on the geometric mean keeps both covariances, their
    products ``L1^T cov2 L1`` and ratios ``cov2^-1 cov1`` inside the dtype's range wherever the
    answer itself is (scaling to the larger one instead sends the smaller to 0 when they are
    1e300 apart).  Exact: powers of two, no rounding."""
    def exponent(cov):
        peak = torch.diagonal(cov, dim1=-2, dim2=-1).abs().amax(-1)
        peak = torch.where(torch.isfinite(peak) & (peak > 0), peak, torch.ones_like(peak))
        return torch.frexp(peak).exponent
    return -torch.div(exponent(cov1) + exponent(cov2), 4, rounding_mode="floor")


def _ldexp(x, k):
    """x * 2^k for an integer tensor k, exactly and without overflow of 2^k itself."""
    one = torch.ones_like(x)
    h = k // 2
    return x * torch.ldexp(one, h) * torch.ldexp(one, k - h)


def _asymmetric(cov):
    """Whether any covariance in the batch is asymmetric beyond rounding, as a device flag (no
    sync).  The scale is the largest diagonal entry (|C_ij| <= max_k C_kk for SPD), so the test
    reads the matrix once for C - C^T and once for its norm."""
    n = cov.shape[-1]
    scale = torch.diagonal(cov, dim1=-2, dim2=-1).abs().amax(-1)
    gap = torch.linalg.vector_norm(cov - cov.mT, ord=float("inf"), dim=(-2, -1))
    return (gap > _SYMMETRY_SLACK * n * torch.finfo(cov.dtype).eps * scale).any()


def _cholesky(cov, name: str):
    """The Cholesky factor and the (message, device flag) pairs that :func:`_raise_on_bad` checks."""
    L, info = torch.linalg.cholesky_ex(cov)
    return L, [(f"{name} is not symmetric", _asymmetric(cov)),
               (f"{name} is not positive definite", (info != 0).any())]


def _raise_on_bad(checks) -> None:
    """Raise ValueError for the first failed check; all flags come back in one device sync,
    after the kernels are queued."""
    flags = torch.stack([flag for _, flag in checks]).tolist()
    for (message, _), flag in zip(checks, flags):
        if flag:
            raise ValueError(message)


def _logdet(L):
    return 2 * torch.log(torch.diagonal(L, dim1=-2, dim2=-1)).sum(-1)


def _solve(L, b):
    """L^{-1} b for lower-triangular L (b: (..., n) vector or (..., n, k) matrix)."""
    if b.ndim == L.ndim - 1:
        return torch.linalg.solve_triangular(L, b.unsqueeze(-1), upper=False).squeeze(-1)
    return torch.linalg.solve_triangular(L, b, upper=False)


def kl(mu1, cov1, mu2, cov2, *, compiled: bool = False):
    r"""KL(N(mu1, cov1) || N(mu2, cov2)) in nats (torch, batched, differentiable).

    Formula: ``(|L2^-1 (mu2 - mu1)|^2 + |L2^-1 L1|_F^2 - n + logdet cov2 - logdet cov1) / 2``
    with Cholesky factors ``cov = L L^T``; for n <= 3 the proved written-out form
    :func:`kl_explicit_expr` (the same Python arithmetic that gives the sympy expression, run on
    the batched entries: no factorisation routine, a few elementwise passes over the data).
    ``compiled=True`` (n <= 3 only) runs that form through ``torch.compile`` (dynamic shapes),
    which fuses it into one kernel (C++ on CPU, Triton on CUDA): the first call per dtype and
    device compiles for seconds, later ones read the data about once.  If compiling fails, a
    warning says so and the eager form runs.
    Assumptions: symmetric positive-definite covariances (for n <= 3 off-diagonal entries are
    read as ``(C_ij + C_ji) / 2``).  Right at every representable scale: a value that is not
    finite sends the batch through :func:`_common_scale` (x -> s x leaves KL unchanged), and
    ``inf`` is returned only when the KL itself exceeds the dtype's range.  NaN/inf inputs,
    complex or half-precision tensors, n = 0 and batch shapes that do not broadcast raise
    ``ValueError``.
    Source: https://kexue.fm/archives/8512, the KL divergence section (its result).
    """
    inputs = _prepare(mu1, cov1, mu2, cov2)
    value, checks = _kl_with_checks(*inputs, compiled=compiled)
    return _settle(value, checks, inputs, lambda: _kl_with_checks(
        *_scaled(*inputs), compiled=compiled))


def _kl_with_checks(mu1, cov1, mu2, cov2, compiled: bool = False):
    n = cov1.shape[-1]
    if n <= EXPLICIT_MAX_N:
        value, flags = _run_small(mu1, cov1, mu2, cov2, compiled)
        return value, list(zip(_SMALL_CHECKS, flags.unbind()))
    (L1, checks1), (L2, checks2) = _cholesky(cov1, "cov1"), _cholesky(cov2, "cov2")
    L1, L2 = torch.broadcast_tensors(L1, L2)
    maha = _solve(L2, torch.broadcast_to(mu2 - mu1, L2.shape[:-1])).pow(2).sum(-1)
    trace = _solve(L2, L1).pow(2).sum((-2, -1))
    return 0.5 * (maha + trace - n + _logdet(L2) - _logdet(L1)), checks1 + checks2


def _scaled(mu1, cov1, mu2, cov2):
    """The inputs with x -> s x, s = 2^k from :func:`_common_scale` (exact), and k."""
    k = _common_scale(cov1, cov2)
    kk = (2 * k)[..., None, None]
    return (_ldexp(mu1, k[..., None]), _ldexp(cov1, kk), _ldexp(mu2, k[..., None]),
            _ldexp(cov2, kk))


def _settle(value, checks, inputs, rescaled):
    """Raise for a failed input check; for a value that is not finite, tell NaN/inf inputs
    (ValueError) from intermediate overflow (recompute on rescaled inputs).  One sync when
    all is well, as before: the output flag travels with the input checks."""
    flags = torch.stack([flag for _, flag in checks] + [~torch.isfinite(value).all()]).tolist()
    if any(flags):  # NaN/inf inputs first: they also fail the other checks, less clearly
        _raise_on_bad(_finite_checks(*inputs))
    for (message, _), flag in zip(checks, flags):
        if flag:
            raise ValueError(message)
    if flags[-1]:
        again, checks_again = rescaled()
        bad = torch.stack([flag for _, flag in checks_again] + [torch.isnan(again).any()])
        if bool(bad.any()):  # a covariance underflowed at the common scale
            raise ValueError(f"cov1 and cov2 differ in scale by more than {value.dtype} can "
                             "hold in one computation; rescale the problem or use float64")
        value = torch.where(torch.isfinite(value), value, again)  # finite values were right
    return value


_SMALL_CHECKS = ("cov1 is not symmetric", "cov2 is not symmetric",
                 "cov1 is not positive definite", "cov2 is not positive definite")


def _kl_small(mu1, cov1, mu2, cov2):
    """The written-out KL (n <= 3) and its input checks as device flags in the order of
    ``_SMALL_CHECKS``: no host sync inside, so torch.compile can fuse all of it."""
    n = cov1.shape[-1]
    (S1, asym1), (S2, asym2) = _entries(cov1), _entries(cov2)
    (L1, D1), (L2, D2) = _ldl(S1, n), _ldl(S2, n)
    value = _kl_from_ldl((mu2 - mu1).unbind(-1), L1, D1, L2, D2, n, torch.log)
    return value, torch.stack([asym1, asym2, _not_pd(D1), _not_pd(D2)])


@functools.cache
def _kl_small_compiled():
    return torch.compile(_kl_small, dynamic=True)


def _run_small(mu1, cov1, mu2, cov2, compiled: bool):
    if compiled:
        try:
            return _kl_small_compiled()(mu1, cov1, mu2, cov2)
        except Exception as exc:  # noqa: BLE001 - no compiler, unsupported backend ...
            warnings.warn(f"kexue_sym.gaussian.kl: torch.compile failed ({type(exc).__name__}: "
                          f"{str(exc).splitlines()[0][:200] if str(exc) else ''}); running the "
                          "eager form", RuntimeWarning, stacklevel=3)
    return _kl_small(mu1, cov1, mu2, cov2)


def _entries(cov):
    """A small covariance as nested lists of batched entries, and whether any is asymmetric
    beyond rounding (the test of :func:`_cholesky`, entrywise).  Off-diagonals are
    symmetrised, so gradients reach C_ij and C_ji alike."""
    n = cov.shape[-1]
    c = lambda i, j: cov[..., i, j]  # noqa: E731
    entries = [[c(i, i) if i == j else (c(i, j) + c(j, i)) / 2 for j in range(n)] for i in range(n)]
    if n == 1:
        return entries, torch.zeros((), dtype=torch.bool, device=cov.device)
    # entrywise: reductions over tiny matrices are slow, and n <= 3 is all there is
    scale = functools.reduce(torch.maximum, [c(i, i).abs() for i in range(n)])
    gap = functools.reduce(torch.maximum, [(c(i, j) - c(j, i)).abs()
                                           for i in range(n) for j in range(i)])
    return entries, (gap > _SYMMETRY_SLACK * n * torch.finfo(cov.dtype).eps * scale).any()


def _not_pd(D):
    return (~(torch.stack(torch.broadcast_tensors(*D)) > 0)).any()  # ~(d > 0): NaN fails too


def bhattacharyya(mu1, cov1, mu2, cov2):
    r"""Bhattacharyya distance -log ∫ sqrt(p q) between two normals (torch, batched).

    Formula: ``|L^-1 (mu1 - mu2)|^2 / 8 + (logdet S - (logdet cov1 + logdet cov2) / 2) / 2``
    with ``S = (cov1 + cov2) / 2 = L L^T``.  Symmetric in p and q.  Scale-safe like :func:`kl`
    (the distance is invariant under x -> s x); the same input errors.
    Source: https://kexue.fm/archives/8512, the Bhattacharyya distance
    section (its result).
    """
    inputs = _prepare(mu1, cov1, mu2, cov2)
    value, checks = _bhattacharyya_with_checks(*inputs)
    return _settle(value, checks, inputs, lambda: _bhattacharyya_with_checks(*_scaled(*inputs)))


def _bhattacharyya_with_checks(mu1, cov1, mu2, cov2):
    (L1, checks1), (L2, checks2) = _cholesky(cov1, "cov1"), _cholesky(cov2, "cov2")
    L, info = torch.linalg.cholesky_ex(cov1 / 2 + cov2 / 2)
    maha = _solve(L, torch.broadcast_to(mu1 - mu2, L.shape[:-1])).pow(2).sum(-1)
    value = maha / 8 + 0.5 * (_logdet(L) - 0.5 * (_logdet(L1) + _logdet(L2)))
    return value, checks1 + checks2 + [("(cov1 + cov2) / 2 is not positive definite in this "
                                        "precision", (info != 0).any())]


def wasserstein2(mu1, cov1, mu2, cov2):
    r"""The Wasserstein-2 distance W2 (not squared) between two normals (torch, batched).

    Formula: ``W2^2 = |mu1 - mu2|^2 + tr cov1 + tr cov2 - 2 sum_i sqrt(lambda_i)``, lambda the
    eigenvalues of the symmetric ``L1^T cov2 L1`` (similar to ``cov1 cov2``, so
    ``sum sqrt(lambda) = tr (cov1^{1/2} cov2 cov1^{1/2})^{1/2}``).  The covariance part is
    clamped at 0 before its square root (rounding can leave -eps for equal distributions), and
    ``W2 = hypot(|mu1 - mu2|, sqrt(rest))`` with the norm taken after dividing by the largest
    |difference|, so means at 1e200 give W2 ~ 1e200, not inf.  Covariances are scaled by an
    exact power of two s^2 first (``W2(s x) = s W2(x)``), so entries near 1e300 are safe.
    NaN/inf inputs, complex or half-precision tensors, n = 0 and batch shapes that do not
    broadcast raise ``ValueError``.
    Source: https://kexue.fm/archives/8512, the Wasserstein distance
    section (versions 1 and 2).
    """
    inputs = _prepare(mu1, cov1, mu2, cov2)
    mu1, cov1, mu2, cov2 = inputs
    k = _common_scale(cov1, cov2)
    kk = (2 * k)[..., None, None]
    c1, c2 = _ldexp(cov1, kk), _ldexp(cov2, kk)
    (L1, checks1), (_, checks2) = _cholesky(c1, "cov1"), _cholesky(c2, "cov2")
    _raise_on_bad(_finite_checks(*inputs) + checks1 + checks2)  # NaN first; before eigvalsh
    inner = L1.mT @ c2 @ L1
    lam = torch.linalg.eigvalsh((inner + inner.mT) / 2)
    tiny = torch.finfo(lam.dtype).tiny
    root_trace = torch.sqrt(lam.clamp_min(tiny)).sum(-1)
    rest = torch.diagonal(c1, dim1=-2, dim2=-1).sum(-1) \
        + torch.diagonal(c2, dim1=-2, dim2=-1).sum(-1) - 2 * root_trace
    half_delta = mu1 / 2 - mu2 / 2  # mu1 - mu2 itself can overflow (1e308 - -1e308)
    peak = half_delta.abs().amax(-1, keepdim=True)
    unit = half_delta / torch.where(peak > 0, peak, torch.ones_like(peak))
    distance = 2 * peak.squeeze(-1) * torch.sqrt((unit * unit).sum(-1))
    # |delta| in the original units, rest in the scaled ones: bring rest back by 2^-k
    return torch.hypot(distance, _ldexp(torch.sqrt(rest.clamp_min(0.0)), -k))
