"""The closed forms of :mod:`kexue_sym.softmax` as sympy expressions (torch-free, so that the
derivation ``softmax-reparam`` and ``kexue-sym list`` do not import torch); the one source of
the forms the derivation proves and the cross-check lambdifies."""
from __future__ import annotations

import difflib
import itertools
from typing import Any

import sympy as sp

#: the noises evaluated by name (their CDFs have closed forms)
NOISES = ("gumbel", "normal", "exponential", "uniform")


def check_noise_name(noise: str) -> str:
    """``noise`` if it is one of :data:`NOISES`, else ValueError naming the closest ones."""
    if noise not in NOISES:
        close = difflib.get_close_matches(noise, NOISES, n=2)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise ValueError(f"unknown noise {noise!r}: use one of {', '.join(NOISES)}, or an "
                         f"object with cdf and icdf{hint}")
    return noise


def probabilities_expr(n: int, noise: str = "gumbel", mu: Any = None) -> list:
    r"""The closed forms the derivation ``softmax-reparam`` proves, as sympy expressions in
    ``mu`` (default symbols ``mu_1 .. mu_n``, real), one per class:

    * ``gumbel``, any n: :math:`p_i = e^{\mu_i} / \sum_j e^{\mu_j}` (softmax);
    * ``exponential``, any n: :math:`p_i = \sum_{k=0}^{n-1} (-1)^k e_k(a) L^{k+1} / (k + 1)`
      with :math:`a_j = e^{\mu_j - \mu_i}` (j != i), :math:`e_k` the elementary symmetric
      polynomials and :math:`L = e^{\mu_i - \max_j \mu_j}` (the polynomial integral
      :math:`\int_0^L \prod_{j\ne i}(1 - a_j s)\,ds`);
    * ``normal``, n = 2: :math:`p_1 = \Phi(\Delta/\sqrt2)`, :math:`\Delta = \mu_1 - \mu_2`;
    * ``uniform``, n = 2: :math:`p_1 = 1/2 + \Delta - \Delta^2/2` for :math:`0 \le \Delta \le
      1`, 1 above (and :math:`1 - p_1(-\Delta)` below 0).

    Other cases have no closed form here (ValueError: use :func:`probabilities`).
    Source: https://kexue.fm/archives/9085 (Gumbel); the other forms are the supplement the
    derivation adds (n = 2 through the difference of two noises).
    """
    check_noise_name(noise)
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    mu = list(mu) if mu is not None else list(sp.symbols(f"mu_1:{n + 1}", real=True))
    if len(mu) != n:
        raise ValueError(f"{len(mu)} logits given for n = {n}")
    if noise == "gumbel":
        total = sp.Add(*[sp.exp(m) for m in mu])
        return [sp.exp(m) / total for m in mu]
    if noise == "exponential":
        top = sp.Max(*mu) if n > 1 else mu[0]
        return [exponential_polynomial_integral([sp.exp(mu[j] - m) for j in range(n) if j != i],
                                                sp.exp(m - top)) for i, m in enumerate(mu)]
    if n != 2:
        raise ValueError(f"no closed form for {noise} noise with n = {n} (only n = 2): use "
                         "kexue_sym.softmax.probabilities")
    delta = mu[0] - mu[1]
    if noise == "normal":
        first = (1 + sp.erf(delta / 2)) / 2
    else:
        first = sp.Piecewise((0, delta <= -1), ((1 + delta) ** 2 / 2, delta <= 0),
                             (sp.Rational(1, 2) + delta - delta ** 2 / 2, delta <= 1), (1, True))
    return [first, 1 - first]


def exponential_polynomial_integral(a: list, L: Any):
    r""":math:`\int_0^L \prod_j (1 - a_j s)\,ds = \sum_{k=0}^{m} (-1)^k e_k(a) L^{k+1}/(k+1)`
    for the m coefficients ``a`` (sympy): p_i for exponential noise with
    :math:`a_j = e^{\mu_j - \mu_i}`, :math:`L = e^{\mu_i - \max\mu}`.  Source: the supplement
    of the derivation ``softmax-reparam`` to https://kexue.fm/archives/9085."""
    return sp.Add(*[sp.Integer(-1) ** k * _elementary_symmetric(a, k) * L ** (k + 1) / (k + 1)
                    for k in range(len(a) + 1)])


def _elementary_symmetric(a: list, k: int):
    return sp.Add(*[sp.Mul(*c) for c in itertools.combinations(a, k)])
