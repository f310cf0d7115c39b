"""Cross-check of ``kexue_sym.softmax`` against independent references, none of which shares
code with the torch rules:

  * mpmath quadrature (30 digits) of the article's integral
    :math:`p_i = \\int p(\\varepsilon)\\prod_{j\\ne i}\\Phi(\\mu_i-\\mu_j+\\varepsilon)\\,d\\varepsilon`,
    split at every kink of the integrand, with each noise's density and CDF written in mpmath;
  * Monte Carlo: argmax frequencies of the construction itself (``sample``: inverse-CDF noise
    and ``torch.argmax``) against the probabilities, by a chi-square test (its p-value is
    reported) and by the largest frequency error in standard errors; 1e8 draws per case on a
    GPU, 2e6 on a CPU (2e5 in quick mode);
  * the closed forms the derivation proves (``probabilities_expr``), lambdified through
    ``torchify``: exponential noise for n = 4, normal and uniform noise for n = 2.

Tolerances.  Absolute 1e-6 in float64 (the accuracy the library promises for n <= 64 and logit
spreads <= 30; measured errors are ~1e-16 for the built-in noises and <= 1e-8 for a user noise
through tanh-sinh); float32 carries ~n eps32 of rounding in its products, 1e-5.  Monte Carlo:
every frequency within 5 standard errors and a chi-square p-value above 1e-4.
"""
from __future__ import annotations

from typing import Any

import mpmath as mp
import numpy as np
import sympy as sp
import torch

from kexue_sym import softmax
from kexue_sym.torchify import torchify

#: (density, CDF, support) of each noise in mpmath: the reference's own definitions
MP_NOISE = {
    "gumbel": (lambda e: mp.exp(-e - mp.exp(-e)),
               lambda x: mp.exp(-mp.exp(-x)) if x > -8 else mp.mpf(0), (-8, mp.inf)),
    "normal": (mp.npdf, mp.ncdf, (-mp.inf, mp.inf)),
    "exponential": (lambda e: mp.exp(-e), lambda x: 1 - mp.exp(-x) if x > 0 else mp.mpf(0),
                    (0, mp.inf)),
    "uniform": (lambda e: mp.mpf(1), lambda x: min(max(x, mp.mpf(0)), mp.mpf(1)), (0, 1)),
    "laplace": (lambda e: mp.exp(-abs(e)) / 2,
                lambda x: mp.exp(x) / 2 if x < 0 else 1 - mp.exp(-x) / 2, (-mp.inf, mp.inf)),
    "cauchy": (lambda e: 1 / (mp.pi * (1 + e * e)), lambda x: mp.atan(x) / mp.pi + mp.mpf(1) / 2,
               (-mp.inf, mp.inf)),
    "normal(0, 2)": (lambda e: mp.npdf(e, 0, 2), lambda x: mp.ncdf(x, 0, 2), (-mp.inf, mp.inf)),
}


def torch_noise(name: str, dtype=torch.float64, device="cpu") -> Any:
    """The noise as :func:`softmax.probabilities` takes it: a name, or a torch distribution."""
    zero, one, two = (torch.tensor(v, dtype=dtype, device=device) for v in (0.0, 1.0, 2.0))
    users = {"laplace": lambda: torch.distributions.Laplace(zero, one),
             "cauchy": lambda: torch.distributions.Cauchy(zero, one),
             "normal(0, 2)": lambda: torch.distributions.Normal(zero, two)}
    return users[name]() if name in users else name


def mp_probability(mu, noise: str, i: int, digits: int = 30) -> float:
    """p_i = int p(e) prod_{j != i} Phi(mu_i - mu_j + e) de by mpmath, split at every kink."""
    pdf, cdf, (lo, hi) = MP_NOISE[noise]
    with mp.workdps(digits):
        mu = [mp.mpf(float(m)) for m in mu]
        d = [mu[i] - m for j, m in enumerate(mu) if j != i]
        points = sorted({-dj for dj in d} | {1 - dj for dj in d} | {mp.mpf(0)})
        points = [p for p in points if lo < p < hi]
        return float(mp.quad(lambda e: pdf(e) * mp.fprod(cdf(dj + e) for dj in d),
                             [lo, *points, hi]))


def _row(case, device, dtype, n, batch, reference, err, tol, **extra) -> dict[str, Any]:
    return {"case": case, "device": device, "dtype": str(dtype).removeprefix("torch."),
            "n": int(n), "batch": int(batch), "reference": reference, "worst_error": float(err),
            "tolerance": float(tol), "ok": bool(err <= tol) and extra.pop("ok", True), **extra}


def chi_square_p_value(counts: np.ndarray, expected: np.ndarray) -> float:
    """Upper tail of the chi-square statistic over the classes with expected count > 0."""
    possible = expected > 0
    chi2 = float(((counts - expected)[possible] ** 2 / expected[possible]).sum())
    dof = int(possible.sum()) - 1
    return float(mp.gammainc(dof / 2, chi2 / 2, mp.inf, regularized=True)) if dof > 0 else 1.0


def run(device: str = "cpu", quick: bool = False, seed: int = 0) -> list[dict[str, Any]]:
    """All cross-check rows for ``device``; ``quick`` shrinks sizes for the test suite."""
    rng = np.random.default_rng(seed)
    rows: list[dict[str, Any]] = []
    sizes = ((3, 3.0), (8, 30.0)) if quick else ((3, 3.0), (8, 30.0), (16, 10.0), (64, 30.0))
    for noise in MP_NOISE:
        for n, spread in sizes:
            mu = (rng.random(n) - 0.5) * spread
            # n = 64: the three top classes and a middle one (the rest are < 1e-6 or alike)
            order = np.argsort(-mu)
            classes = list(range(n)) if n <= 16 else [*order[:3], order[5]]
            ref = np.array([mp_probability(mu, noise, i, digits=30 if n <= 16 else 20)
                            for i in classes])
            for dtype, tol in ((torch.float64, 1e-6), (torch.float32, 1e-5)):
                got = softmax.probabilities(torch.tensor(mu, dtype=dtype, device=device),
                                            torch_noise(noise, dtype, device))
                err = np.abs(got.double().cpu().numpy()[classes] - ref).max()
                rows.append(_row(f"{noise}, spread {spread:g}", device, dtype, n, 1,
                                 "mpmath quad, 30 digits", err, tol))
    draws = (100_000_000 if device.startswith("cuda") else 200_000 if quick else 2_000_000)
    for noise in softmax.NOISES:
        for n in (4, 16):
            mu = torch.tensor((rng.random(n) - 0.5) * 3, dtype=torch.float64, device=device)
            g = torch.Generator(device=device).manual_seed(seed + n)
            counts = torch.zeros(n, dtype=torch.float64, device=device)
            for start in range(0, draws, 10_000_000):
                size = min(10_000_000, draws - start)
                counts += torch.bincount(softmax.sample(mu, noise, size, generator=g),
                                         minlength=n).double()
            p = softmax.probabilities(mu, noise)
            expected = (p * draws).cpu().numpy()
            counts_np = counts.cpu().numpy()
            sd = np.sqrt(np.maximum(expected * (1 - p.cpu().numpy()), 1e-300))
            z = np.where(expected > 0, np.abs(counts_np - expected) / sd,
                         np.where(counts_np > 0, np.inf, 0.0)).max()
            pv = chi_square_p_value(counts_np, expected)
            rows.append(_row(f"{noise}, argmax frequencies", device, torch.float64, n, draws,
                             f"Monte Carlo, chi2 p={pv:.3f}", z, 5.0, p_value=pv,
                             ok=pv > 1e-4))
    # the proved closed forms, lambdified, against the torch rules
    for noise, n in (("exponential", 4), ("normal", 2), ("uniform", 2), ("gumbel", 5)):
        mus = sp.symbols(f"mu_1:{n + 1}", real=True)
        forms = softmax.probabilities_expr(n, noise, mus)
        mu = torch.tensor((rng.random((64, n)) - 0.5) * 4, dtype=torch.float64, device=device)
        got = softmax.probabilities(mu, noise)
        closed = torch.stack([torchify(e, mus, name=f"p_{k}")(*mu.unbind(-1))
                              for k, e in enumerate(forms)], dim=-1)
        rows.append(_row(f"{noise}, proved closed form", device, torch.float64, n, 64,
                         "torchify(probabilities_expr)", float((got - closed).abs().max()),
                         1e-12))
    return rows
