"""kexue_sym.gaussian against torch.distributions, an independent matrix square root (numpy
eigh), and closed 1-D formulas; errors on bad covariances."""
import shutil
import warnings

import numpy as np
import pytest
import torch
from torch.distributions import MultivariateNormal, Normal, kl_divergence

from kexue_sym import gaussian
from kexue_sym.tolerances import log_det_tol, rtol


def _spd(batch, n, dtype=torch.float64, cond=10.0, seed=0):
    g = torch.Generator().manual_seed(seed)
    Q = torch.linalg.qr(torch.randn(*batch, n, n, generator=g, dtype=torch.float64)).Q
    eig = torch.logspace(0, np.log10(cond), n, dtype=torch.float64).expand(*batch, n)
    C = Q @ torch.diag_embed(eig) @ Q.mT
    return ((C + C.mT) / 2).to(dtype)


def _params(batch=(64,), n=5, dtype=torch.float64, seed=0):
    g = torch.Generator().manual_seed(seed + 1)
    mu1 = torch.randn(*batch, n, generator=g, dtype=torch.float64).to(dtype)
    mu2 = torch.randn(*batch, n, generator=g, dtype=torch.float64).to(dtype)
    return mu1, _spd(batch, n, dtype, seed=seed), mu2, _spd(batch, n, dtype, seed=seed + 7)


@pytest.mark.parametrize("n", [1, 2, 3, 5])  # n <= 3: the written-out path; 5: Cholesky
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_kl_matches_torch_distributions(dtype, n):
    mu1, c1, mu2, c2 = _params(dtype=dtype, n=n)
    ref = kl_divergence(MultivariateNormal(mu1.double(), c1.double()),
                        MultivariateNormal(mu2.double(), c2.double()))
    got = gaussian.kl(mu1, c1, mu2, c2)
    assert got.dtype == dtype
    torch.testing.assert_close(got.double(), ref, rtol=rtol(dtype) * 100, atol=rtol(dtype) * 100)


def test_one_dimensional_closed_forms():
    m1, s1, m2, s2 = 0.3, 0.7, -1.1, 1.9
    args = (torch.tensor([m1], dtype=torch.float64), torch.tensor([[s1**2]], dtype=torch.float64),
            torch.tensor([m2], dtype=torch.float64), torch.tensor([[s2**2]], dtype=torch.float64))
    kl1 = np.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5
    bd1 = (m1 - m2) ** 2 / (4 * (s1**2 + s2**2)) + 0.5 * np.log((s1**2 + s2**2) / (2 * s1 * s2))
    w21 = np.hypot(m1 - m2, s1 - s2)
    assert gaussian.kl(*args).item() == pytest.approx(kl1, rel=rtol(torch.float64))
    f64 = lambda v: torch.tensor(v, dtype=torch.float64)  # noqa: E731
    ref = kl_divergence(Normal(f64(m1), f64(s1)), Normal(f64(m2), f64(s2))).item()
    assert gaussian.kl(*args).item() == pytest.approx(ref, rel=rtol(torch.float64))
    assert gaussian.bhattacharyya(*args).item() == pytest.approx(bd1, rel=rtol(torch.float64))
    assert gaussian.wasserstein2(*args).item() == pytest.approx(w21, rel=rtol(torch.float64))


def _np_sqrtm(C):
    w, V = np.linalg.eigh(C)
    return (V * np.sqrt(np.clip(w, 0, None))) @ V.T


def test_wasserstein2_against_independent_square_roots():
    mu1, c1, mu2, c2 = _params(batch=(32,), n=6)
    got = gaussian.wasserstein2(mu1, c1, mu2, c2).numpy()
    for k in range(32):
        A, B = c1[k].numpy(), c2[k].numpy()
        rA = _np_sqrtm(A)
        w2sq = (np.sum((mu1[k] - mu2[k]).numpy() ** 2) + np.trace(A) + np.trace(B)
                - 2 * np.trace(_np_sqrtm(rA @ B @ rA)))
        assert got[k] == pytest.approx(np.sqrt(w2sq), rel=rtol(torch.float64))


def test_properties_symmetry_and_zero():
    mu1, c1, mu2, c2 = _params()
    torch.testing.assert_close(gaussian.bhattacharyya(mu1, c1, mu2, c2),
                               gaussian.bhattacharyya(mu2, c2, mu1, c1))
    torch.testing.assert_close(gaussian.wasserstein2(mu1, c1, mu2, c2),
                               gaussian.wasserstein2(mu2, c2, mu1, c1))
    assert bool((gaussian.kl(mu1, c1, mu2, c2) > 0).all())
    assert gaussian.kl(mu1, c1, mu1, c1).abs().max() < rtol(torch.float64)
    assert gaussian.wasserstein2(mu1, c1, mu1, c1).max() < np.sqrt(rtol(torch.float64))  # sqrt of rounding


def test_commuting_covariances_w2():
    """Diagonal covariances commute: W2^2 = |dmu|^2 + |sqrt(S1) - sqrt(S2)|_F^2 (article)."""
    d1 = torch.tensor([0.5, 2.0, 3.0], dtype=torch.float64)
    d2 = torch.tensor([1.5, 0.2, 3.0], dtype=torch.float64)
    mu1, mu2 = torch.tensor([0.0, 1.0, 2.0], dtype=torch.float64), torch.zeros(3, dtype=torch.float64)
    expected = torch.sqrt(((mu1 - mu2) ** 2).sum() + ((d1.sqrt() - d2.sqrt()) ** 2).sum())
    torch.testing.assert_close(gaussian.wasserstein2(mu1, torch.diag(d1), mu2, torch.diag(d2)), expected)


def test_broadcasting_batches():
    mu1, c1, mu2, c2 = _params(batch=(4, 1), n=3)
    c2 = c2[0, 0]  # one covariance for all
    assert gaussian.kl(mu1, c1, mu2[:1, :1], c2).shape == (4, 1)


def test_gradcheck():
    """Through a symmetric parametrisation cov = A A^T + I (gradcheck perturbs single entries,
    which would make a raw covariance asymmetric and be refused)."""
    for n in (2, 4):  # the written-out KL and the Cholesky one
        mu1, c1, mu2, c2 = _params(batch=(3,), n=n)
        A1, A2 = (torch.linalg.cholesky(c) for c in (c1, c2))
        eye = torch.eye(n, dtype=torch.float64)
        for fn in (gaussian.kl, gaussian.bhattacharyya, gaussian.wasserstein2):
            wrapped = lambda m1, a1, m2, a2: fn(m1, a1 @ a1.mT + eye, m2, a2 @ a2.mT + eye)  # noqa: E731
            inputs = tuple(t.clone().requires_grad_() for t in (mu1, A1, mu2, A2))
            assert torch.autograd.gradcheck(wrapped, inputs)


def test_written_out_kl_gradient_is_symmetric():
    """For n <= 3 the entries C_ij and C_ji are read as their mean: equal gradients (autograd
    on a raw covariance; KL depends on the symmetric part only)."""
    mu1, c1, mu2, c2 = _params(batch=(2,), n=3)
    c1 = c1.clone().requires_grad_()
    gaussian.kl(mu1, c1, mu2, c2).sum().backward()
    torch.testing.assert_close(c1.grad, c1.grad.mT)


@pytest.mark.parametrize("n", [3, 4])  # the written-out KL (n = 3) and the Cholesky one
def test_ill_conditioned_float64_against_mpmath(n):
    """Both covariances with condition number 1e8: a determinant by cofactors would lose
    cond^(3/2) eps at n = 3; the written-out LDL^T must stay within n cond eps."""
    import mpmath

    mu1, _, mu2, _ = _params(batch=(4,), n=n)
    c1, c2 = _spd((4,), n, cond=1e8, seed=3), _spd((4,), n, cond=1e8, seed=5)
    got = gaussian.kl(mu1, c1, mu2, c2)
    with mpmath.workdps(50):
        for k in range(4):
            A, B = mpmath.matrix(c1[k].tolist()), mpmath.matrix(c2[k].tolist())
            d = mpmath.matrix((mu2[k] - mu1[k]).tolist())
            Bi = B ** -1
            ref = ((d.T * Bi * d)[0] + sum((Bi * A)[i, i] for i in range(n)) - n
                   + mpmath.log(mpmath.det(B)) - mpmath.log(mpmath.det(A))) / 2
            # KL carries log-determinants and traces of a cond-1e8 matrix: n cond eps
            assert float(got[k]) == pytest.approx(float(ref), rel=log_det_tol(torch.float64, n, 1e8))


@pytest.mark.parametrize("bad, message", [
    (torch.tensor([[1.0, 0.5], [0.0, 1.0]], dtype=torch.float64), "not symmetric"),
    (torch.tensor([[1.0, 2.0], [2.0, 1.0]], dtype=torch.float64), "not positive definite"),
    (torch.ones(2, 3, dtype=torch.float64), "shape"),
    (torch.tensor([[1.0, 0.5, 0], [0.0, 1.0, 0], [0, 0, 1]], dtype=torch.float64), "not symmetric"),
    (torch.diag(torch.tensor([1.0, -1.0, 1.0], dtype=torch.float64)), "not positive definite"),
    (torch.tensor([[1.0, 0.9, 0.9], [0.9, 1.0, -0.9], [0.9, -0.9, 1.0]], dtype=torch.float64),
     "not positive definite"),  # every 2 x 2 minor positive, det < 0: the last pivot catches it
    (torch.tensor([[1.0, float("nan")], [float("nan"), 1.0]], dtype=torch.float64),
     "NaN or infinite"),
    (torch.eye(4, dtype=torch.float64) + torch.triu(torch.ones(4, 4, dtype=torch.float64), 1) * 0.1,
     "not symmetric"),
    (torch.diag(torch.tensor([1.0, 2.0, 3.0, -4.0], dtype=torch.float64)), "not positive definite"),
])
def test_bad_covariance_raises(bad, message):
    n = bad.shape[-1] if bad.shape[-1] == bad.shape[-2] else 2
    mu = torch.zeros(n, dtype=torch.float64)
    good = torch.eye(n, dtype=torch.float64)
    for fn in (gaussian.kl, gaussian.bhattacharyya, gaussian.wasserstein2):
        with pytest.raises(ValueError, match=message):
            fn(mu, bad, mu, good)


# --- the proved sympy forms and the derivation ------------------------------------------------

def test_sympy_forms_match_torch_at_exact_points():
    """kl_expr / bhattacharyya_expr / wasserstein2_expr (what the derivation proves) evaluated
    exactly by sympy at rational inputs, against the torch twins (n = 3: not the n = 2 the
    derivation uses, so trace_sqrt_expr goes through sympy's eigenvalues)."""
    import sympy as sp

    mu1, mu2 = [1, 0, -2], [sp.Rational(1, 2), 1, 0]
    c1 = sp.Matrix([[4, 1, 0], [1, 3, 1], [0, 1, 2]])
    c2 = sp.Matrix([[2, 0, 1], [0, 1, 0], [1, 0, 3]])
    t = [torch.tensor(np.array(x, dtype=float), dtype=torch.float64)
         for x in (mu1, c1.tolist(), mu2, c2.tolist())]
    for expr_fn, fn in ((gaussian.kl_expr, gaussian.kl),
                        (gaussian.bhattacharyya_expr, gaussian.bhattacharyya),
                        (gaussian.wasserstein2_expr, gaussian.wasserstein2)):
        exact = complex(sp.N(expr_fn(sp.Matrix(mu1), c1, sp.Matrix(mu2), c2), 30))
        assert abs(exact.imag) < 1e-25
        assert fn(*t).item() == pytest.approx(exact.real, rel=rtol(torch.float64))
    assert float(gaussian.entropy_expr(c1)) == pytest.approx(
        MultivariateNormal(t[0], t[1]).entropy().item(), rel=rtol(torch.float64))


def test_gaussian_derivation_verdicts(verified):
    """The n = 2 integrals are PROVED through the named lemmas, KL >= 0 through log x <= x - 1
    and the slack of its instances; nothing rests on numeric evidence."""
    report = verified("gaussian")
    assert report.ok()
    assert report.counts()["PROVED"] == len(report.results)
    gibbs = [r for r in report.results if "Gibbs" in r.step.section]
    assert len(gibbs) == 3 * 2 + 6  # per n: KL = form, form >= 0; and n log premises
    assert sum("log_le_linear" in r.verdict.checker for r in gibbs) == 6
    assert sum("slack" in r.verdict.checker for r in gibbs) == 3
    two_d = [r for r in report.results if "n = 2" in r.step.section]
    assert len(two_d) >= 20 and all(r.verdict.status.name == "PROVED" for r in two_d)
    lemma_names = " ".join(r.verdict.checker for r in report.results)
    for name in ("change_of_variables", "gaussian_integral", "trace_sqrt_2x2", "trace_sqrt_similar"):
        assert name in lemma_names, name


def test_slack_checker_is_not_fooled():
    """BySlack: a true bound through a premise is PROVED; a bound the slack cannot give (the
    premise used the wrong way round) is not, and a false one with a witness is REFUTED."""
    import sympy as sp

    from kexue_sym.derivation import Derivation
    from kexue_sym.justify import ByLemmas, BySlack
    from kexue_sym.lemmas import LOG_LE_LINEAR

    x = sp.Symbol("x", positive=True)
    d = Derivation("t", title="t", source="t")
    premise = d.step(sp.log(x), "<=", x - 1, by=ByLemmas((LOG_LE_LINEAR, dict(x=x))))
    d.step(x - sp.log(x), ">=", 1, by=BySlack(premise))
    d.step(sp.log(x) - x, ">=", -1, by=BySlack(premise, note="wrong way"))
    d.step(x - sp.log(x), ">=", 2, by=BySlack(premise, note="false"))
    status = [r.verdict.status.name for r in d.run(timeout=20).results]
    assert status[:2] == ["PROVED", "PROVED"]
    assert status[2] != "PROVED" and status[2] != "CHECKED"
    assert status[3] == "REFUTED"


def test_lemma_hypotheses_catch_a_wrong_witness():
    """The (g-int) lemma applied with an SPD witness G that does not give M = G^T G: the step is
    true, its justification is not, so it is UNDECIDED (neither PROVED nor REFUTED)."""
    import sympy as sp

    from kexue_sym.derivation import Derivation
    from kexue_sym.justify import ByLemmas
    from kexue_sym.lemmas import (GAUSSIAN_INTEGRAL, gaussian_integral_value, gaussian_kernel,
                                  whole_space)

    xs = sp.symbols("x_1 x_2", real=True)
    M, w = sp.Matrix([[2, 1], [1, 3]]), sp.Matrix([1, 0])
    d = Derivation("t", title="t", source="s")
    d.step(sp.Integral(gaussian_kernel(M, w, xs), *whole_space(xs)), "=",
           gaussian_integral_value(M, w),
           by=ByLemmas((GAUSSIAN_INTEGRAL, dict(M=M, omega=w, variables=xs, G=sp.eye(2))),
                       note="with a wrong witness"))
    verdict = d.run(timeout=20).results[0].verdict
    assert verdict.status.name == "UNDECIDED", str(verdict)
    assert "justification fails" in verdict.detail


@pytest.mark.gpu
def test_gaussian_cuda_matches_cpu():
    for n in (2, 3, 6):  # the written-out KL and the Cholesky paths
        mu1, c1, mu2, c2 = _params(batch=(128,), n=n)
        for fn in (gaussian.kl, gaussian.bhattacharyya, gaussian.wasserstein2):
            cpu = fn(mu1, c1, mu2, c2)
            gpu = fn(mu1.cuda(), c1.cuda(), mu2.cuda(), c2.cuda()).cpu()
            torch.testing.assert_close(gpu, cpu, rtol=rtol(torch.float64), atol=rtol(torch.float64))
    mu1, c1, mu2, c2 = _params(batch=(128,), n=2)
    fused = gaussian.kl(mu1.cuda(), c1.cuda(), mu2.cuda(), c2.cuda(), compiled=True).cpu()
    torch.testing.assert_close(fused, gaussian.kl(mu1, c1, mu2, c2),
                               rtol=rtol(torch.float64), atol=rtol(torch.float64))


@pytest.mark.skipif(shutil.which("g++") is None and shutil.which("c++") is None,
                    reason="torch.compile on CPU needs a C++ compiler")
def test_compiled_kl_matches_eager_and_still_refuses_bad_input():
    """kl(..., compiled=True): the same written-out form fused by torch.compile (no fallback
    warning on this machine), equal to the eager one to rounding, input checks intact."""
    mu1, c1, mu2, c2 = _params(batch=(257,), n=2)
    with warnings.catch_warnings():
        # a fallback to eager would hide a compile failure here: make its warning an error
        warnings.filterwarnings("error", message="kexue_sym.gaussian.kl: torch.compile failed")
        got = gaussian.kl(mu1, c1, mu2, c2, compiled=True)
    torch.testing.assert_close(got, gaussian.kl(mu1, c1, mu2, c2), rtol=1e-13, atol=1e-13)
    bad = c2.clone()
    bad[5] = torch.tensor([[1.0, 2.0], [2.0, 1.0]], dtype=torch.float64)
    with pytest.raises(ValueError, match="cov2 is not positive definite"):
        gaussian.kl(mu1, c1, mu2, bad, compiled=True)


# --- finding 6 of issue 12: every representable scale, or a ValueError --------------------------

def _mp_kl_diagonal(d1, d2, delta):
    """KL between diagonal normals at 60 digits, from the 1-D formula summed over axes."""
    import mpmath
    with mpmath.workdps(60):
        return float(sum((mpmath.mpf(a) / b + mpmath.mpf(m) ** 2 / b - 1 + mpmath.log(b)
                          - mpmath.log(a)) / 2 for a, b, m in zip(d1, d2, delta)))


@pytest.mark.parametrize("n", [1, 2, 3, 5])  # the written-out path and the Cholesky path
@pytest.mark.parametrize("small, large", [(1e-160, 1e160), (1e-300, 1e300), (1e-150, 1e-140)])
def test_kl_at_extreme_scales_against_mpmath(n, small, large):
    I = torch.eye(n, dtype=torch.float64)
    mu = torch.zeros(n, dtype=torch.float64)
    got = gaussian.kl(mu, small * I, mu, large * I).item()
    ref = _mp_kl_diagonal([small] * n, [large] * n, [0.0] * n)
    assert got == pytest.approx(ref, rel=1e-12)
    # the reversed direction: the trace term alone is ~1e320 * n / 2, beyond float64: inf is right
    back = gaussian.kl(mu, large * I, mu, small * I).item()
    assert back == (np.inf if large / small > 1e308 else pytest.approx(
        _mp_kl_diagonal([large] * n, [small] * n, [0.0] * n), rel=1e-12))


@pytest.mark.parametrize("n", [2, 5])
def test_bhattacharyya_at_extreme_scales_against_mpmath(n):
    import mpmath
    I = torch.eye(n, dtype=torch.float64)
    mu = torch.zeros(n, dtype=torch.float64)
    for a, b in ((1e-300, 4e-300), (1e300, 4e300), (1e-160, 1e160)):
        got = gaussian.bhattacharyya(mu, a * I, mu, b * I).item()
        with mpmath.workdps(60):
            s = (mpmath.mpf(a) + b) / 2  # n identical 1-D terms of (log s - (log a + log b)/2)/2
            ref = float(n * (mpmath.log(s) - (mpmath.log(a) + mpmath.log(b)) / 2) / 2)
        assert got == pytest.approx(ref, rel=1e-12)


@pytest.mark.parametrize("n", [2, 5])
def test_wasserstein2_at_extreme_scales(n):
    I = torch.eye(n, dtype=torch.float64)
    mu = torch.zeros(n, dtype=torch.float64)
    # commuting covariances: W2 = sqrt(n) |sqrt(a) - sqrt(b)|, by hand
    for a, b in ((1e300, 4e300), (1e-300, 4e-300), (1e-200, 1e200)):
        got = gaussian.wasserstein2(mu, a * I, mu, b * I).item()
        assert got == pytest.approx(np.sqrt(n) * abs(np.sqrt(a) - np.sqrt(b)), rel=1e-12)
    far = torch.full((n,), 1e200, dtype=torch.float64)
    assert gaussian.wasserstein2(far, I, mu, I).item() == pytest.approx(1e200 * np.sqrt(n), rel=1e-14)
    assert gaussian.kl(far * 1e-60, I, mu, I).item() == pytest.approx(n * 1e280 / 2, rel=1e-14)


@pytest.mark.parametrize("fn", [gaussian.kl, gaussian.bhattacharyya, gaussian.wasserstein2])
@pytest.mark.parametrize("n", [2, 5])
def test_non_finite_and_unsupported_inputs_raise(fn, n):
    I = torch.eye(n, dtype=torch.float64)
    mu = torch.zeros(n, dtype=torch.float64)
    inf_diag = I.clone()
    inf_diag[0, 0] = np.inf
    for args in ((mu, inf_diag, mu, I), (mu, I, mu, inf_diag),
                 (torch.full((n,), np.nan, dtype=torch.float64), I, mu, I),
                 (mu, I, torch.full((n,), -np.inf, dtype=torch.float64), I)):
        with pytest.raises(ValueError, match="NaN or infinite"):
            fn(*args)
    with pytest.raises(ValueError, match="complex"):
        fn(mu, I.to(torch.complex128), mu, I)
    with pytest.raises(ValueError, match="float32 or float64"):
        fn(mu.half(), I.half(), mu.half(), I.half())
    with pytest.raises(ValueError, match="at least 1"):
        fn(torch.zeros(0), torch.zeros(0, 0), torch.zeros(0), torch.zeros(0, 0))
    with pytest.raises(ValueError, match="do not broadcast"):
        fn(torch.zeros(3, n), I.expand(3, n, n), torch.zeros(4, n), I.expand(4, n, n))
