"""Cross-check of ``kexue_sym.gaussian`` (KL, Bhattacharyya, W2 in torch) against independent
references, none of which shares code with the torch functions:

  * ``torch.distributions.kl_divergence`` between ``MultivariateNormal`` objects (its own
    Cholesky factors and Mahalanobis code), evaluated in float64;
  * mpmath at 50 digits: LU determinants and inverses for KL and BD, and for W2 version 1 of the
    article through symmetric eigendecompositions (``mpmath.eigsy``): sqrt(S1), then the root of
    sqrt(S1) S2 sqrt(S1) (the torch function uses a Cholesky factor and version 2's similarity);
  * numpy float64 ``eigh`` square roots (version 1 again) for larger batches;
  * mpmath quadrature of the defining integrals (n = 1 at 30 digits, n = 2 by mpmath.fp);
  * Monte Carlo: E_p[log p - log q] and -log E_p[sqrt(q/p)] with ``MultivariateNormal.log_prob``,
    and E|x - T x|^2 for the optimal linear coupling T built from numpy square roots (it attains
    W2^2); tolerance 5 standard errors of the estimate; 1e7 samples per case on a GPU;
  * the proved sympy forms (``kl_expr`` ...) lambdified through ``torchify`` at n = 2.

Tolerances.  KL and BD are sums of log-determinants, traces and Mahalanobis terms.  First-order
perturbation theory with Cholesky's backward error O(n eps): ``log det S`` moves by at most
``n cond(S) eps`` (absolute), and a term solved against S (``tr(S2^-1 S1)``,
``D^T S2^-1 D``) by ``n cond(S) eps`` times its own size; 10 covers the constants
(``log_det_tol``).  So tol(KL) = log_det_tol(n, cond S2) (|tr| + |maha|) + log_det_tol(n,
cond S1) + log_det_tol(n, cond S2), and likewise for BD with S = (S1 + S2)/2.  W2^2 carries
eigenvalues of ``L1^T S2 L1`` with absolute error
``delta = 10 n eps |L1^T S2 L1|``; each sqrt(lambda) then moves by at most
``min(delta / (2 sqrt(lambda)), sqrt(delta))``; that plus ``10 n eps`` times the traces bounds
|d W2^2|, and |d W2| <= min(|d W2^2| / W2, sqrt(|d W2^2|)).
"""
from __future__ import annotations

import math
from typing import Any

import mpmath
import numpy as np
import torch
from torch.distributions import MultivariateNormal, kl_divergence

from kexue_sym import gaussian, tolerances

_EPS = tolerances.EPS
#: double-precision 2-D tanh-sinh: ~1e3 float64 evaluations summed, each with relative rounding
#: 1e-16; 1e-10 leaves room for the integrand's own cancellation (log p - log q)
_FP_QUAD_RTOL = 1e-10
_MC_SIGMAS = 5.0  # Monte Carlo tolerance in standard errors (two-sided 5.7e-7 per row)


def _spd(rng: np.random.Generator, batch: int, n: int, cond: float) -> np.ndarray:
    """Random SPD matrices with eigenvalues log-spaced in [1, cond] (random rotation)."""
    Q = np.linalg.qr(rng.standard_normal((batch, n, n)))[0]
    eig = np.logspace(0, np.log10(cond), n) * rng.uniform(0.5, 2.0, (batch, 1))
    C = (Q * eig[:, None, :]) @ np.swapaxes(Q, -1, -2)
    return (C + np.swapaxes(C, -1, -2)) / 2


def _row(case, device, dtype, n, batch, reference, err, tol) -> dict[str, Any]:
    err = np.atleast_1d(np.asarray(err, dtype=float))
    tol = np.broadcast_to(np.asarray(tol, dtype=float), err.shape)
    worst = int(np.argmax(err / tol)) if err.size else 0
    return {"case": case, "device": device, "dtype": str(dtype).removeprefix("torch."), "n": int(n),
            "batch": int(batch), "reference": reference, "worst_error": float(err[worst]),
            "tolerance": float(tol[worst]), "ok": bool(np.all(err <= tol))}


def _torch(fn, device, dtype, *arrays) -> np.ndarray:
    ts = [torch.as_tensor(a, dtype=dtype, device=device) for a in arrays]
    return fn(*ts).double().cpu().numpy()


# --- 50-digit references ------------------------------------------------------------------------

def _mp_terms(mu1, c1, mu2, c2):
    """(KL, KL's term scale, BD, BD's term scale, W2, |L1^T S2 L1| proxy, eigenvalues) at 50 digits."""
    with mpmath.workdps(50):
        n = len(mu1)
        A, B = mpmath.matrix(c1.tolist()), mpmath.matrix(c2.tolist())
        d = mpmath.matrix((mu1 - mu2).tolist())
        Bi = B ** -1
        maha = (d.T * Bi * d)[0]
        trace = sum((Bi * A)[i, i] for i in range(n))
        ld1, ld2 = mpmath.log(mpmath.det(A)), mpmath.log(mpmath.det(B))
        kl = (maha + trace - n + ld2 - ld1) / 2
        kl_scale = abs(maha) + abs(trace)  # the terms solved against S2
        S = (A + B) / 2
        maha_s = (d.T * S ** -1 * d)[0]
        lds = mpmath.log(mpmath.det(S))
        bd = maha_s / 8 + lds / 2 - (ld1 + ld2) / 4
        bd_scale = abs(maha_s) / 8  # the term solved against S
        w, V = mpmath.eigsy(A)
        rA = V * mpmath.diag([mpmath.sqrt(x) for x in w]) * V.T
        lam, _ = mpmath.eigsy(rA * B * rA)
        root_trace = mpmath.fsum(mpmath.sqrt(max(x, 0)) for x in lam)
        w2sq = (d.T * d)[0] + sum(A[i, i] + B[i, i] for i in range(n)) - 2 * root_trace
        return (float(kl), float(kl_scale), float(bd), float(bd_scale),
                float(mpmath.sqrt(max(w2sq, 0))), [float(x) for x in lam],
                float(sum(A[i, i] + B[i, i] for i in range(n)) + (d.T * d)[0]))


def _w2_tol(dtype, n, lam, traces, w2, inner_norm):
    eps = _EPS[str(dtype).removeprefix("torch.")]
    delta = 10 * n * eps * inner_norm
    lam = np.maximum(np.asarray(lam), 0)
    root_err = np.sum(np.minimum(delta / (2 * np.sqrt(np.maximum(lam, 1e-300))), np.sqrt(delta)))
    w2sq_tol = 10 * n * eps * traces + 2 * root_err
    return min(w2sq_tol / w2, np.sqrt(w2sq_tol)) if w2 > 0 else np.sqrt(w2sq_tol)


def _mp_rows(device, rng, batch, n, cond, dtype, case) -> list[dict[str, Any]]:
    mu1, mu2 = rng.standard_normal((batch, n)), rng.standard_normal((batch, n))
    c1, c2 = _spd(rng, batch, n, cond), _spd(rng, batch, n, cond)
    # round the inputs to dtype first, so the reference answers the question the torch
    # function was asked (float32 inputs are not the float64 ones)
    cast = np.float32 if dtype is torch.float32 else np.float64
    mu1, mu2, c1, c2 = (x.astype(cast).astype(np.float64) for x in (mu1, mu2, c1, c2))
    c1, c2 = (c1 + np.swapaxes(c1, -1, -2)) / 2, (c2 + np.swapaxes(c2, -1, -2)) / 2
    refs = [_mp_terms(*args) for args in zip(mu1, c1, mu2, c2)]
    got_kl = _torch(gaussian.kl, device, dtype, mu1, c1, mu2, c2)
    got_bd = _torch(gaussian.bhattacharyya, device, dtype, mu1, c1, mu2, c2)
    got_w2 = _torch(gaussian.wasserstein2, device, dtype, mu1, c1, mu2, c2)
    k1, k2, ks = np.linalg.cond(c1), np.linalg.cond(c2), np.linalg.cond((c1 + c2) / 2)
    ldt = lambda k: tolerances.log_det_tol(dtype, n, k)  # noqa: E731
    tol_kl = [ldt(b) * r[1] + ldt(a) + ldt(b) for a, b, r in zip(k1, k2, refs)]
    tol_bd = [ldt(s) * (r[3] + 1) + ldt(a) + ldt(b) for a, b, s, r in zip(k1, k2, ks, refs)]
    inner = [np.linalg.norm(np.linalg.cholesky(a).T @ b @ np.linalg.cholesky(a), 2)
             for a, b in zip(c1, c2)]
    tol_w2 = [_w2_tol(dtype, n, r[5], r[6], r[4], s) for r, s in zip(refs, inner)]
    ref = "mpmath 50 digits"
    return [
        _row(f"KL, {case}", device, dtype, n, batch, ref + " (LU)",
             np.abs(got_kl - [r[0] for r in refs]), tol_kl),
        _row(f"BD, {case}", device, dtype, n, batch, ref + " (LU)",
             np.abs(got_bd - [r[2] for r in refs]), tol_bd),
        _row(f"W2, {case}", device, dtype, n, batch, ref + " (eigsy, version 1)",
             np.abs(got_w2 - [r[4] for r in refs]), tol_w2),
    ]


# --- torch.distributions and numpy square roots ---------------------------------------------------

def _torch_distributions_rows(device, rng, batch, n, dtype) -> list[dict[str, Any]]:
    mu1, mu2 = rng.standard_normal((batch, n)), rng.standard_normal((batch, n))
    c1, c2 = _spd(rng, batch, n, 100.0), _spd(rng, batch, n, 100.0)
    cast = np.float32 if dtype is torch.float32 else np.float64
    mu1, mu2, c1, c2 = (x.astype(cast).astype(np.float64) for x in (mu1, mu2, c1, c2))
    t = [torch.as_tensor(x, dtype=torch.float64) for x in (mu1, c1, mu2, c2)]
    ref = kl_divergence(MultivariateNormal(t[0], t[1]), MultivariateNormal(t[2], t[3])).numpy()
    got = _torch(gaussian.kl, device, dtype, mu1, c1, mu2, c2)
    k1, k2 = np.linalg.cond(c1), np.linalg.cond(c2)
    # the same bound as the mpmath rows, with |KL| + n bounding |tr| + |maha|, for both sides
    tol = sum(tolerances.log_det_tol(dt, n, k2) * (np.abs(ref) + n) + tolerances.log_det_tol(
        dt, n, k1) + tolerances.log_det_tol(dt, n, k2) for dt in (dtype, torch.float64))
    return [_row("KL vs torch.distributions", device, dtype, n, batch,
                 "kl_divergence(MVN, MVN) f64", np.abs(got - ref), tol)]


def _np_sqrtm(C: np.ndarray) -> np.ndarray:
    w, V = np.linalg.eigh(C)
    return (V * np.sqrt(np.clip(w, 0, None))[..., None, :]) @ np.swapaxes(V, -1, -2)


def _numpy_w2_rows(device, rng, batch, n, dtype) -> list[dict[str, Any]]:
    mu1, mu2 = rng.standard_normal((batch, n)), rng.standard_normal((batch, n))
    c1, c2 = _spd(rng, batch, n, 100.0), _spd(rng, batch, n, 100.0)
    cast = np.float32 if dtype is torch.float32 else np.float64
    mu1, mu2, c1, c2 = (x.astype(cast).astype(np.float64) for x in (mu1, mu2, c1, c2))
    c1, c2 = (c1 + np.swapaxes(c1, -1, -2)) / 2, (c2 + np.swapaxes(c2, -1, -2)) / 2
    rA = _np_sqrtm(c1)
    mid = rA @ c2 @ rA
    lam = np.linalg.eigvalsh((mid + np.swapaxes(mid, -1, -2)) / 2)
    traces = np.trace(c1, axis1=-2, axis2=-1) + np.trace(c2, axis1=-2, axis2=-1) \
        + ((mu1 - mu2) ** 2).sum(-1)
    w2 = np.sqrt(np.clip(traces - 2 * np.sqrt(np.clip(lam, 0, None)).sum(-1), 0, None))
    got = _torch(gaussian.wasserstein2, device, dtype, mu1, c1, mu2, c2)
    norms = np.linalg.norm(mid, 2, axis=(-2, -1))
    tol = [_w2_tol(dtype, n, lm, tr, w, s) + _w2_tol(torch.float64, n, lm, tr, w, s)
           for lm, tr, w, s in zip(lam, traces, w2, norms)]
    rows = [_row("W2 vs numpy eigh (version 1)", device, dtype, n, batch,
                 "numpy sqrtm(sqrtm(S1) S2 sqrtm(S1))", np.abs(got - w2), tol)]
    # symmetry of BD and W2 (the derivation proves it for n = 2)
    for name, fn in (("BD", gaussian.bhattacharyya), ("W2", gaussian.wasserstein2)):
        a = _torch(fn, device, dtype, mu1, c1, mu2, c2)
        b = _torch(fn, device, dtype, mu2, c2, mu1, c1)
        rows.append(_row(f"{name}(p, q) = {name}(q, p)", device, dtype, n, batch, "itself, swapped",
                         np.abs(a - b), tolerances.rtol(dtype) * (np.abs(a) + 1) * n))
    return rows


# --- quadrature ------------------------------------------------------------------------------------

def _quadrature_rows(device, rng, cases_1d, cases_2d) -> list[dict[str, Any]]:
    """The defining integrals by mpmath quadrature (n = 1 at 30 digits, n = 2 in double)."""
    rows = []
    errs, tols = [], []
    errs_bd, tols_bd = [], []
    for _ in range(cases_1d):
        m1, m2 = rng.standard_normal(2)
        s1, s2 = rng.uniform(0.3, 3.0, 2)
        with mpmath.workdps(30):
            p = lambda x: mpmath.npdf(x, m1, s1)  # noqa: E731
            q = lambda x: mpmath.npdf(x, m2, s2)  # noqa: E731
            kl, e1 = mpmath.quad(lambda x: p(x) * (mpmath.log(p(x)) - mpmath.log(q(x))),
                                 [-mpmath.inf, m1, mpmath.inf], error=True)
            bc, e2 = mpmath.quad(lambda x: mpmath.sqrt(p(x) * q(x)), [-mpmath.inf, m1, mpmath.inf],
                                 error=True)
            bd = -mpmath.log(bc)
        args = (np.array([[m1]]), np.array([[[s1**2]]]), np.array([[m2]]), np.array([[[s2**2]]]))
        errs.append(abs(_torch(gaussian.kl, device, torch.float64, *args)[0] - float(kl)))
        tols.append(tolerances.rtol(torch.float64) * (abs(float(kl)) + 1) + 10 * float(e1))
        errs_bd.append(abs(_torch(gaussian.bhattacharyya, device, torch.float64, *args)[0] - float(bd)))
        tols_bd.append(tolerances.rtol(torch.float64) * (abs(float(bd)) + 1) + 10 * float(e2 / bc))
    rows.append(_row("KL, n = 1", device, torch.float64, 1, cases_1d, "mpmath.quad 30 digits",
                     errs, tols))
    rows.append(_row("BD, n = 1", device, torch.float64, 1, cases_1d, "mpmath.quad 30 digits",
                     errs_bd, tols_bd))
    errs, tols, errs_bd, tols_bd = [], [], [], []
    for _ in range(cases_2d):
        mu1, mu2 = rng.standard_normal(2), rng.standard_normal(2)
        c1, c2 = _spd(rng, 1, 2, 4.0)[0], _spd(rng, 1, 2, 4.0)[0]
        i1, i2 = np.linalg.inv(c1), np.linalg.inv(c2)
        det1, det2 = np.linalg.det(c1), np.linalg.det(c2)

        def logpdf(x, y, mu, inv, det):
            a, b = x - mu[0], y - mu[1]
            return -(inv[0, 0] * a * a + 2 * inv[0, 1] * a * b + inv[1, 1] * b * b) / 2 \
                - math.log(2 * math.pi) - math.log(det) / 2

        # tanh-sinh in double precision (mpmath.fp) on mu_p +- 10 sd: the mass outside is
        # below exp(-50), far under the tolerance; 2-D at 50 digits would take a minute a case
        r = 10 * np.sqrt(np.diag(c1))
        lim = [[mu1[0] - r[0], mu1[0], mu1[0] + r[0]], [mu1[1] - r[1], mu1[1], mu1[1] + r[1]]]
        kl = mpmath.fp.quad(lambda x, y: math.exp(logpdf(x, y, mu1, i1, det1))
                            * (logpdf(x, y, mu1, i1, det1) - logpdf(x, y, mu2, i2, det2)), *lim)
        bc = mpmath.fp.quad(lambda x, y: math.exp((logpdf(x, y, mu1, i1, det1)
                                                   + logpdf(x, y, mu2, i2, det2)) / 2), *lim)
        args = (mu1[None], c1[None], mu2[None], c2[None])
        errs.append(abs(_torch(gaussian.kl, device, torch.float64, *args)[0] - kl))
        tols.append(_FP_QUAD_RTOL * (abs(kl) + 1))
        errs_bd.append(abs(_torch(gaussian.bhattacharyya, device, torch.float64, *args)[0]
                           + math.log(bc)))
        tols_bd.append(_FP_QUAD_RTOL * (abs(math.log(bc)) + 1))
    rows.append(_row("KL, n = 2", device, torch.float64, 2, cases_2d, "mpmath.fp.quad 2-D", errs,
                     tols))
    rows.append(_row("BD, n = 2", device, torch.float64, 2, cases_2d, "mpmath.fp.quad 2-D",
                     errs_bd, tols_bd))
    return rows


# --- Monte Carlo -----------------------------------------------------------------------------------

def _monte_carlo_rows(device, rng, samples, n) -> list[dict[str, Any]]:
    gen = torch.Generator(device=device).manual_seed(int(rng.integers(2**31)))
    mu1, mu2 = (torch.as_tensor(rng.standard_normal(n), device=device) for _ in range(2))
    c1, c2 = (torch.as_tensor(_spd(rng, 1, n, 10.0)[0], device=device) for _ in range(2))
    p, q = MultivariateNormal(mu1, c1), MultivariateNormal(mu2, c2)
    L1 = torch.linalg.cholesky(c1)
    chunk = min(samples, 1_000_000)
    kl_sum = kl_sq = bc_sum = bc_sq = w_sum = w_sq = 0.0
    rA = torch.as_tensor(_np_sqrtm(c1.cpu().numpy()), device=device)
    rAi = torch.linalg.inv(rA)
    T = rAi @ torch.as_tensor(_np_sqrtm((rA @ c2 @ rA).cpu().numpy()), device=device) @ rAi
    for start in range(0, samples, chunk):
        z = torch.randn(min(chunk, samples - start), n, generator=gen, device=device,
                        dtype=torch.float64)
        x = mu1 + z @ L1.T
        lr = p.log_prob(x) - q.log_prob(x)
        kl_sum += float(lr.sum())
        kl_sq += float((lr**2).sum())
        ratio = torch.exp(-lr / 2)  # sqrt(q/p)
        bc_sum += float(ratio.sum())
        bc_sq += float((ratio**2).sum())
        y = mu2 + (x - mu1) @ T.T  # the optimal linear coupling y = mu2 + T (x - mu1)
        d2 = ((x - y) ** 2).sum(-1)
        w_sum += float(d2.sum())
        w_sq += float((d2**2).sum())
    N = samples
    rows = []
    a = [t.unsqueeze(0) for t in (mu1, c1, mu2, c2)]
    for case, s, sq, exact, transform in (
            ("KL", kl_sum, kl_sq, float(gaussian.kl(*a)), lambda m: m),
            ("BD", bc_sum, bc_sq, float(gaussian.bhattacharyya(*a)), lambda m: -np.log(m)),
            ("W2^2 (optimal coupling)", w_sum, w_sq, float(gaussian.wasserstein2(*a)) ** 2,
             lambda m: m)):
        mean = s / N
        se = np.sqrt(max(sq / N - mean**2, 0) / N)
        if case == "BD":
            se = se / mean  # delta method for -log(mean)
        rows.append(_row(f"{case}, Monte Carlo", device, torch.float64, n, N,
                         f"{N:.0e} samples, {_MC_SIGMAS:.0f} s.e.", abs(transform(mean) - exact),
                         _MC_SIGMAS * se))
    return rows


# --- the proved sympy forms, lambdified ---------------------------------------------------------

def _sympy_rows(device, rng, batch) -> list[dict[str, Any]]:
    import sympy as sp

    from kexue_sym.torchify import torchify

    m1, m2 = sp.symbols("m1_1 m1_2", real=True), sp.symbols("m2_1 m2_2", real=True)
    s1, s2 = sp.symbols("p11 p12 p22", real=True), sp.symbols("q11 q12 q22", real=True)
    S1 = sp.Matrix([[s1[0], s1[1]], [s1[1], s1[2]]])
    S2 = sp.Matrix([[s2[0], s2[1]], [s2[1], s2[2]]])
    syms = [*m1, *s1, *m2, *s2]
    mu1, mu2 = rng.standard_normal((batch, 2)), rng.standard_normal((batch, 2))
    c1, c2 = _spd(rng, batch, 2, 20.0), _spd(rng, batch, 2, 20.0)
    rows = []
    for name, expr_fn, fn in (("kl_expr", gaussian.kl_expr, gaussian.kl),
                              ("bhattacharyya_expr", gaussian.bhattacharyya_expr,
                               gaussian.bhattacharyya),
                              ("wasserstein2_expr", gaussian.wasserstein2_expr,
                               gaussian.wasserstein2)):
        lam = torchify(expr_fn(sp.Matrix(m1), S1, sp.Matrix(m2), S2), syms, name=name)
        for dtype in (torch.float64, torch.float32):
            t = [torch.as_tensor(x, dtype=dtype, device=device) for x in (mu1, c1, mu2, c2)]
            args = [t[0][:, 0], t[0][:, 1], t[1][:, 0, 0], t[1][:, 0, 1], t[1][:, 1, 1],
                    t[2][:, 0], t[2][:, 1], t[3][:, 0, 0], t[3][:, 0, 1], t[3][:, 1, 1]]
            ref = lam(*args).double().cpu().numpy()
            got = fn(*t).double().cpu().numpy()
            conds = np.linalg.cond(c1) * np.linalg.cond(c2)
            tol = tolerances.log_det_tol(dtype, 2, conds) * (np.abs(ref) + 5)
            if name == "wasserstein2_expr":  # sqrt of a difference: see the W2 bound above
                tol = np.sqrt(tol * (np.abs(ref) + 5))
            rows.append(_row(f"sympy {name} (lambdified)", device, dtype, 2, batch,
                             "torchify(proved form)", np.abs(got - ref), tol))
    return rows


def run(device: str = "cpu", quick: bool = False, seed: int = 0) -> list[dict[str, Any]]:
    """All cross-check rows for ``device``; ``quick`` shrinks sizes for the test suite."""
    rng = np.random.default_rng(seed)
    rows: list[dict[str, Any]] = []
    batch = 6 if quick else 24
    for dtype in (torch.float64, torch.float32):
        for n in ((2, 3, 5) if quick else (1, 2, 3, 5, 16, 64)):
            rows.extend(_torch_distributions_rows(device, rng, 64 if quick else 1024, n, dtype))
            rows.extend(_numpy_w2_rows(device, rng, 64 if quick else 1024, n, dtype))
    for n in ((2, 3, 4) if quick else (1, 2, 3, 4, 8)):  # n <= 3: KL's written-out path
        rows.extend(_mp_rows(device, rng, batch, n, 10.0, torch.float64, "well conditioned"))
        rows.extend(_mp_rows(device, rng, batch, n, 1e8, torch.float64, "cond 1e8"))
        rows.extend(_mp_rows(device, rng, batch, n, 1e3, torch.float32, "cond 1e3"))
    rows.extend(_quadrature_rows(device, rng, 3 if quick else 8, 1 if quick else 3))
    samples = 10_000_000 if device == "cuda" else (100_000 if quick else 2_000_000)
    for n in ((3,) if quick else (2, 8)):
        rows.extend(_monte_carlo_rows(device, rng, samples, n))
    rows.extend(_sympy_rows(device, rng, 256))
    return rows
