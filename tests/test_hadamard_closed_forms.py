"""kexue_sym.hadamard: torch twins held against exact arithmetic, numpy and calculus."""
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
import torch

from kexue_sym import hadamard
from kexue_sym.crosscheck.hadamard import _exact_log_ratio, _mp_log_ratio
from kexue_sym.tolerances import log_det_tol, rtol


def _exact(A):
    M = sp.Matrix(A.astype(int).tolist())
    return Fraction(int(M.det() ** 2)), Fraction(int(hadamard.bound_expr(M)))


def test_integer_matrices_against_exact_rationals():
    rng = np.random.default_rng(1)
    A = rng.integers(-5, 6, (20, 4, 4)).astype(np.float64)
    t = torch.as_tensor(A)
    for k in range(len(A)):
        det2, bound = _exact(A[k])
        # computed in log space: exact up to the rounding of exp/log, not bit-exact
        assert hadamard.bound(t[k]).item() == pytest.approx(float(bound), rel=rtol(torch.float64))
        if det2:
            cond = np.linalg.cond(A[k])
            assert hadamard.ratio(t[k]).item() == pytest.approx(
                float(det2 / bound), rel=log_det_tol(torch.float64, 4, cond))


def test_batched_shapes_broadcast():
    A = torch.randn(2, 3, 5, 5, dtype=torch.float64)
    assert hadamard.ratio(A).shape == (2, 3)
    assert hadamard.bound(A).shape == (2, 3)
    torch.testing.assert_close(hadamard.ratio(A)[1, 2], hadamard.ratio(A[1, 2]))


@pytest.mark.parametrize("bad", [torch.zeros(3, 4), torch.zeros(5), torch.zeros(2, 0, 0),
                                 torch.zeros(2, 2, dtype=torch.complex64)])
def test_bad_input_raises_clear_value_error(bad):
    for fn in (hadamard.ratio, hadamard.bound, hadamard.log_ratio, hadamard.log_bound):
        with pytest.raises(ValueError, match="square|n >= 1|real"):
            fn(bad)


def test_sympy_forms_reject_non_square():
    with pytest.raises(ValueError, match="square"):
        hadamard.bound_expr(sp.Matrix([[1, 2, 3]]))


def test_range_equality_and_zero_column():
    A = torch.randn(200, 6, 6, dtype=torch.float64)
    r = hadamard.ratio(A)
    assert bool(((r >= 0) & (r <= 1)).all())
    Q = torch.linalg.qr(torch.randn(6, 6, dtype=torch.float64)).Q
    D = torch.diag(torch.tensor([1e-3, 2.0, 5.0, 1e3, 7.0, 0.5], dtype=torch.float64))
    assert abs(hadamard.log_ratio(Q @ D).item()) < log_det_tol(torch.float64, 6, 1.0)
    Z = torch.randn(6, 6, dtype=torch.float64)
    Z[:, 3] = 0
    assert hadamard.ratio(Z).item() == 0.0 and hadamard.bound(Z).item() == 0.0
    assert hadamard.log_ratio(Z).item() == -np.inf


@pytest.mark.parametrize("scale", [1e150, 1e-150])
def test_extreme_scales_in_log_space(scale):
    A = torch.randn(4, 8, 8, dtype=torch.float64)
    S = A * scale
    cond = np.linalg.cond(A.numpy() / np.linalg.norm(A.numpy(), axis=-2, keepdims=True))
    diff = (hadamard.log_ratio(S) - hadamard.log_ratio(A)).abs().numpy()
    assert np.all(diff <= 2 * log_det_tol(torch.float64, 8, cond))
    expected = hadamard.log_bound(A) + 16 * np.log(scale)  # |value| ~ 5500: relative rounding
    torch.testing.assert_close(hadamard.log_bound(S), expected, rtol=rtol(torch.float64), atol=0)
    ref = np.array([_mp_log_ratio(M) for M in S.numpy()])
    got = hadamard.log_ratio(S).numpy()
    assert np.all(np.abs(got - ref) <= log_det_tol(torch.float64, 8, np.linalg.cond(A.numpy())))


def test_large_n_against_numpy_lu():
    A = np.random.default_rng(2).standard_normal((2, 512, 512))
    _, logdet = np.linalg.slogdet(A)
    ref = 2 * logdet - np.log((A ** 2).sum(axis=-2)).sum(-1)
    got = hadamard.log_ratio(torch.as_tensor(A)).numpy()
    tol = 2 * log_det_tol(torch.float64, 512, np.linalg.cond(A))
    assert np.all(np.abs(got - ref) <= tol)


def test_exact_reference_helper_agrees_with_sympy():
    A = np.array([[2.0, -1, 0], [1, 3, 1], [0, 1, 4]])
    det2, bound = _exact(A)
    assert _exact_log_ratio(A) == pytest.approx(float(np.log(float(det2 / bound))), rel=rtol(torch.float64))


def test_float32_agrees_with_float64():
    A = torch.randn(64, 6, 6, dtype=torch.float64)
    cond = np.linalg.cond(A.numpy())
    diff = (hadamard.log_ratio(A.float()).double() - hadamard.log_ratio(A)).abs().numpy()
    assert np.all(diff <= log_det_tol(torch.float32, 6, cond))


def test_gradcheck():
    A = torch.randn(3, 4, 4, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(hadamard.log_ratio, (A,))
    assert torch.autograd.gradcheck(hadamard.log_bound, (A,))


def test_gradient_matches_calculus():
    """d/dA log ratio = 2 A^{-T} - 2 A / ||a_j||^2 (Jacobi's formula; independent of QR)."""
    g = torch.Generator().manual_seed(5)
    A = torch.randn(5, 5, dtype=torch.float64, generator=g).requires_grad_()
    hadamard.log_ratio(A).backward()
    with torch.no_grad():
        inverse_term, norm_term = 2 * torch.linalg.inv(A).T, 2 * A / (A ** 2).sum(dim=0, keepdim=True)
    expected = inverse_term - norm_term
    # an entry where the two terms nearly cancel keeps the absolute error of the terms
    # themselves (relative to their size, not to the small difference): atol scales with them
    cond = float(np.linalg.cond(A.detach().numpy()))
    tol = log_det_tol(torch.float64, 5, cond)
    scale = float(torch.maximum(inverse_term.abs(), norm_term.abs()).max())
    torch.testing.assert_close(A.grad, expected, rtol=tol, atol=tol * scale)


def test_integer_tensor_input_is_promoted():
    A = torch.tensor([[3, 1], [4, 2]])
    assert hadamard.ratio(A).dtype == torch.get_default_dtype()
    assert hadamard.bound(A).item() == pytest.approx(25 * 5)


@pytest.mark.gpu
def test_cuda_matches_cpu():
    A = torch.randn(16, 32, 32, dtype=torch.float64)
    torch.testing.assert_close(hadamard.log_ratio(A.cuda()).cpu(), hadamard.log_ratio(A),
                               rtol=0,
                               atol=log_det_tol(torch.float64, 32, float(np.linalg.cond(A.numpy()).max())))


# --- finding 6 of issue 12: right at every finite scale, or a ValueError -----------------------

_ALL = (hadamard.ratio, hadamard.bound, hadamard.log_ratio, hadamard.log_bound)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_entries_raise(value):
    A = torch.randn(3, 5, 5, dtype=torch.float64)
    A[1, 2, 3] = value  # one entry of one batch element poisons nothing silently
    for fn in _ALL:
        with pytest.raises(ValueError, match="NaN or infinite"):
            fn(A)


def test_half_precision_raises():
    for fn in _ALL:
        with pytest.raises(ValueError, match="float32 or float64"):
            fn(torch.eye(3, dtype=torch.float16))


def test_bound_gradient_at_a_zero_column_is_the_calculus_one():
    # bound = prod_j |a_j|^2; with a_2 = 0 every partial derivative has the factor |a_2|^2 = 0
    # (or 2 a_2 = 0): the gradient is exactly zero, not NaN from log(0)
    A = torch.randn(4, 4, dtype=torch.float64)
    A[:, 2] = 0
    A.requires_grad_(True)
    hadamard.bound(A).backward()
    assert torch.equal(A.grad, torch.zeros_like(A))


@pytest.mark.parametrize("n", [3, 8, 40])
def test_columns_at_both_ends_of_the_range_against_mpmath(n):
    # columns scaled by 1e-300 ... 1e300 in one matrix: the log ratio is scale-free, so it
    # equals that of the unscaled matrix, computed independently by mpmath at 50 digits
    g = torch.Generator().manual_seed(n)
    A = torch.randn(n, n, generator=g, dtype=torch.float64)
    scales = torch.logspace(-300, 300, n, dtype=torch.float64)
    got = hadamard.log_ratio(A * scales).item()
    ref = _mp_log_ratio(A.numpy())
    assert abs(got - ref) <= log_det_tol(torch.float64, n, np.linalg.cond(A.numpy()))
    log_bound = hadamard.log_bound(A * scales).item()
    expected = hadamard.log_bound(A).item() + 2 * float(torch.log(scales).sum())
    assert log_bound == pytest.approx(expected, rel=1e-12)
