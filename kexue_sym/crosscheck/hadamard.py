"""Cross-check of ``kexue_sym.hadamard`` (torch, QR in log space) against independent references.

References, none of which shares code with the torch functions:
  * mpmath at 50 digits: LU determinant and column norms of each matrix (``mpmath.det``);
  * exact rational arithmetic (``fractions.Fraction``) for integer matrices;
  * numpy float64 Householder QR for large n, where 50-digit references are too slow (a
    different factorisation from the LU the torch function uses);
  * the sympy closed form ``det(A)^2 / prod ||a_j||^2`` lambdified through ``torchify``.

Errors are measured on ``log ratio`` (a relative error of the ratio) with the first-order bound
``|d log|det A|| <= n cond(A) |dA|/|A|`` and LU's backward error ``~ n eps``: the tolerance is
``10 n cond(A) eps(dtype)`` (:func:`kexue_sym.tolerances.log_det_tol`), so ill-conditioned cases
get the looser bound the mathematics allows and no more.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import torch

from kexue_sym import hadamard, tolerances


def _mp_log_ratio(A: np.ndarray, digits: int = 50) -> float:
    """log((det A)^2 / prod ||a_j||^2) at ``digits`` digits; -inf for a singular A."""
    with mpmath.workdps(digits):
        det = _det_by_elimination([[mpmath.mpf(float(v)) for v in row] for row in A])
        if det == 0:
            return float("-inf")
        n = len(A)
        log_bound = mpmath.fsum(
            mpmath.log(mpmath.fsum(mpmath.mpf(float(A[i][j])) ** 2 for i in range(n)))
            for j in range(n))
        return float(2 * mpmath.log(abs(det)) - log_bound)


def _det_by_elimination(M: list[list]) -> Any:
    """Determinant by Gaussian elimination with partial pivoting, in the entries' own number
    type: exact for ``Fraction``, the working precision for mpmath ``mpf``.

    Written out because ``mpmath.det`` declares a matrix singular when a pivot is small against
    the matrix norm, which misjudges matrices whose columns differ in scale by 1e300.
    """
    n, det = len(M), M[0][0] * 0 + 1
    M = [row[:] for row in M]
    for c in range(n):
        pivot = max(range(c, n), key=lambda r: abs(M[r][c]))
        if M[pivot][c] == 0:
            return det * 0
        if pivot != c:
            M[c], M[pivot] = M[pivot], M[c]
            det = -det
        det *= M[c][c]
        for r in range(c + 1, n):
            f = M[r][c] / M[c][c]
            M[r] = [a - f * b for a, b in zip(M[r], M[c])]
    return det


def _exact_log_ratio(A: np.ndarray) -> float:
    """The same from exact rational arithmetic (integer matrices)."""
    det = _det_by_elimination([[Fraction(int(v)) for v in row] for row in A])
    if det == 0:
        return float("-inf")
    bound = Fraction(1)
    for j in range(len(A)):
        bound *= sum(Fraction(int(A[i, j])) ** 2 for i in range(len(A)))
    with mpmath.workdps(30):
        return float(mpmath.log(mpmath.mpf(det.numerator ** 2) / det.denominator ** 2)
                     - mpmath.log(mpmath.mpf(bound.numerator) / bound.denominator))


def _np_qr_log_ratio(A: np.ndarray) -> np.ndarray:
    """From numpy's Householder QR (LAPACK geqrf), a different algorithm from the LU that the
    torch function uses: log ratio = sum_j log(r_jj^2 / ||a_j||^2)."""
    R = np.linalg.qr(A, mode="r")
    diag_sq = np.diagonal(R, axis1=-2, axis2=-1) ** 2
    return (np.log(diag_sq) - np.log((A ** 2).sum(axis=-2))).sum(-1)


def _cond(A: np.ndarray) -> np.ndarray:
    """2-norm condition number of each column-normalised matrix (what log_ratio factorises)."""
    An = A / np.linalg.norm(A, axis=-2, keepdims=True)
    with np.errstate(divide="ignore"):
        return np.linalg.cond(An)


def _row(case: str, device: str, dtype: torch.dtype, A: np.ndarray, reference: str,
         ref: np.ndarray, got: np.ndarray, tol: np.ndarray | float) -> dict[str, Any]:
    err = np.abs(got - ref)
    both_inf = np.isneginf(got) & np.isneginf(ref)
    err = np.where(both_inf, 0.0, err)
    tol = np.broadcast_to(np.asarray(tol, dtype=float), err.shape)
    worst = int(np.argmax(err / tol)) if err.size else 0
    return {"case": case, "device": device, "dtype": str(dtype).removeprefix("torch."),
            "n": int(A.shape[-1]), "batch": int(np.prod(A.shape[:-2], dtype=int)),
            "reference": reference, "worst_error": float(err.flat[worst]),
            "tolerance": float(tol.flat[worst]), "ok": bool(np.all(err <= tol))}


def _torch_log_ratio(A: np.ndarray, device: str, dtype: torch.dtype) -> np.ndarray:
    t = torch.as_tensor(A, dtype=dtype, device=device)
    return hadamard.log_ratio(t).double().cpu().numpy()


def run(device: str = "cpu", quick: bool = False, seed: int = 0) -> list[dict[str, Any]]:
    """All cross-check rows for ``device``; ``quick`` shrinks sizes for the test suite."""
    rng = np.random.default_rng(seed)
    rows: list[dict[str, Any]] = []
    dtypes = (torch.float64, torch.float32)
    batch = 8 if quick else 48

    def mp_case(case: str, mats: np.ndarray, scale_tol: bool = True) -> None:
        ref = np.array([_mp_log_ratio(M) for M in mats])
        cond = _cond(mats)
        for dtype in dtypes:
            if dtype is torch.float32 and (np.abs(mats).max() > 1e30 or np.abs(mats).min() < 1e-30
                                           or np.max(cond) * tolerances.EPS["float32"] > 1e-2):
                # entries outside float32's range, or a matrix float32 cannot even store to
                # 1% (cond * eps > 0.01): not a question float32 can answer; float64 covers it
                continue
            got = _torch_log_ratio(mats, device, dtype)
            tol = tolerances.log_det_tol(dtype, mats.shape[-1], cond if scale_tol else 1.0)
            rows.append(_row(case, device, dtype, mats, "mpmath 50 digits (LU)", ref, got, tol))

    for n in ((2, 3, 8) if quick else (2, 3, 8, 32)):
        mp_case("gaussian", rng.standard_normal((batch, n, n)))
    n = 8
    Q = np.linalg.qr(rng.standard_normal((batch, n, n)))[0]
    mp_case("nearly orthogonal (1e-6)", Q @ (np.eye(n) + 1e-6 * rng.standard_normal((batch, n, n))))
    mp_case("orthogonal columns (equality)", Q * rng.uniform(0.1, 10.0, (batch, 1, n)))
    near = rng.standard_normal((batch, n, n))
    near[..., -1] = near[..., 0] + 1e-9 * rng.standard_normal((batch, n))
    mp_case("nearly singular (1e-9)", near)
    base = rng.standard_normal((batch, n, n))
    mp_case("entries x 1e+150", base * 1e150)
    mp_case("entries x 1e-150", base * 1e-150)
    mp_case("columns x 10^U(-150,150)", base * 10.0 ** rng.integers(-150, 150, (batch, 1, n)))

    ints = rng.integers(-9, 10, (batch, 5, 5)).astype(float)
    ints[0, :, 2] = 0  # a zero column: ratio 0, log ratio -inf exactly
    ints[1, :, 3] = ints[1, :, 1] * 2  # singular without a zero column
    ref = np.array([_exact_log_ratio(M) for M in ints])
    regular = np.isfinite(ref)
    for dtype in dtypes:
        got = _torch_log_ratio(ints, device, dtype)
        tol = tolerances.log_det_tol(dtype, 5, _cond(ints[regular]))
        rows.append(_row("integer, exact", device, dtype, ints[regular], "exact rationals",
                         ref[regular], got[regular], tol))
        # exactly singular: floating point cannot give 0 without a zero column, but it must
        # give a ratio below the dtype's eps, and -inf for the zero column
        eps_log = np.log(np.finfo(np.float32 if dtype is torch.float32 else np.float64).eps)
        singular_ok = got[~regular] <= eps_log
        rows.append({"case": "integer, exactly singular", "device": device,
                     "dtype": str(dtype).removeprefix("torch."), "n": 5,
                     "batch": int((~regular).sum()), "reference": "exact rationals (ratio 0)",
                     "worst_error": float(np.exp(got[~regular].max())), "tolerance": float(np.exp(eps_log)),
                     "ok": bool(singular_ok.all() and np.isneginf(got[0]))})

    for n in ((64,) if quick else (128, 512)):
        big = rng.standard_normal((2 if quick else 4, n, n))
        ref = _np_qr_log_ratio(big)
        for dtype in dtypes:
            got = _torch_log_ratio(big, device, dtype)
            tol = tolerances.log_det_tol(dtype, n, _cond(big)) + tolerances.log_det_tol(
                torch.float64, n, _cond(big))  # the float64 reference has its own error
            rows.append(_row("gaussian, large n", device, dtype, big, "numpy QR (Householder)",
                             ref, got, tol))

    rows.extend(_sympy_rows(device, rng, batch))
    return rows


def _sympy_rows(device: str, rng: np.random.Generator, batch: int) -> list[dict[str, Any]]:
    """The proved sympy closed forms, lambdified, against the torch twins (n = 2, 3)."""
    from kexue_sym.symbols import generic_matrix
    from kexue_sym.torchify import torchify

    rows = []
    for n in (2, 3):
        G = generic_matrix("a", n)
        entries = list(G)
        ratio_fn = torchify(hadamard.ratio_expr(G), entries, name=f"ratio_expr n={n}")
        bound_fn = torchify(hadamard.bound_expr(G), entries, name=f"bound_expr n={n}")
        mats = rng.standard_normal((batch * 64, n, n))
        for dtype in (torch.float64, torch.float32):
            t = torch.as_tensor(mats, dtype=dtype, device=device)
            args = [t[..., i, j] for i in range(n) for j in range(n)]
            ref_ratio = ratio_fn(*args).double().cpu().numpy()
            got_ratio = hadamard.ratio(t).double().cpu().numpy()
            cond = _cond(mats)
            tol = np.exp(tolerances.log_det_tol(dtype, n, cond)) - 1  # relative, on the ratio
            rows.append(_row("sympy ratio_expr (lambdified)", device, dtype, mats,
                             "torchify(det^2/prod|a_j|^2)", ref_ratio, got_ratio,
                             tol * np.maximum(ref_ratio, np.finfo(float).tiny) * 2))
            ref_bound = bound_fn(*args).double().cpu().numpy()
            got_bound = hadamard.bound(t).double().cpu().numpy()
            rows.append(_row("sympy bound_expr (lambdified)", device, dtype, mats,
                             "torchify(prod_j sum_i a_ij^2)", ref_bound, got_bound,
                             tolerances.rtol(dtype) * ref_bound))
    return rows
