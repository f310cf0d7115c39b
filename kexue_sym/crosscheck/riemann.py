"""Cross-check of the symbolic curvature against torch autograd, from the metric alone.

For each metric: the symbolic independent components R_abcd (kexue_sym.riemann, exact field
arithmetic) are lambdified to torch (``torchify``) and evaluated at random points of the
domain; independently, the metric's entries alone are differentiated by autograd
(``torch.func.jacrev`` for Christoffel symbols, ``jacfwd`` of those for their derivatives),
eq. (49) is assembled numerically and lowered with g.  Both in float64, batched with ``vmap``.
The error is relative to the size of the Riemann tensor at the point.
"""
from __future__ import annotations

from typing import Any

import sympy as sp
import torch

from kexue_sym import tolerances
from kexue_sym.riemann import Metric
from kexue_sym.riemann import metrics as cat
from kexue_sym.torchify import torchify

TOLERANCE = tolerances.CURVATURE_AUTOGRAD_RTOL


def _cases():
    M, Q, a, k, H = cat.M, cat.Q, cat.a, cat.k, cat.H
    t, r, th = cat.t, cat.r, cat.theta
    chi1, chi2 = sp.symbols("chi1 chi2", real=True)
    scale = sp.Function("a")
    flrw = cat.flrw()
    concrete = {scale(t): 1 + t**2 / 2}
    yield "2-sphere (R = 2)", cat.sphere(2, 2), {}, {chi1: (0.3, 2.8)}
    yield "3-sphere", cat.sphere(3, 1), {}, {chi1: (0.3, 2.8), chi2: (0.3, 2.8)}
    yield "Schwarzschild (M = 1)", cat.schwarzschild(), {M: 1}, {r: (3, 10), th: (0.3, 2.8)}
    yield "Reissner-Nordstrom (M = 1, Q = 1/2)", cat.reissner_nordstrom(), {M: 1, Q: sp.Rational(1, 2)}, \
        {r: (3, 10), th: (0.3, 2.8)}
    yield "Kerr (M = 1, a = 0.6)", cat.kerr(), {M: 1, a: sp.Rational(3, 5)}, {r: (3, 10), th: (0.3, 2.8)}
    yield "FLRW (k = 1, a = 1 + t^2/2)", flrw, {k: 1, **concrete}, \
        {t: (0.1, 2), r: (0.1, 0.9), th: (0.3, 2.8)}
    yield "de Sitter (H = 1/2)", cat.de_sitter(), {H: sp.Rational(1, 2)}, {r: (0.1, 1.5), th: (0.3, 2.8)}


def _concrete(e: sp.Expr, values: dict) -> sp.Expr:
    return e.subs(values).doit()


def run(device: str = "cpu", quick: bool = False, seed: int = 0) -> list[dict[str, Any]]:
    """One row per metric: worst relative difference over the sampled points."""
    points = 256 if quick else (100_000 if device == "cuda" else 4096)
    gen = torch.Generator().manual_seed(seed)
    rows = []
    for label, metric, values, domain in _cases():
        rows.append(_one(label, metric, values, domain, points, device, gen))
    return rows


def _one(label: str, metric: Metric, values: dict, domain: dict, points: int, device: str,
         gen: torch.Generator) -> dict[str, Any]:
    coords = metric.coords
    n = len(coords)
    g_fns = [[torchify(_concrete(metric.g[i, j], values), coords) for j in range(n)]
             for i in range(n)]
    symbolic = {idx: torchify(_concrete(v, values), coords) for idx, v in metric.riemann().items()}

    X = torch.empty(points, n, dtype=torch.float64)
    for i, c in enumerate(coords):
        lo, hi = domain.get(c, (-1.0, 1.0))
        X[:, i] = lo + (hi - lo) * torch.rand(points, generator=gen, dtype=torch.float64)
    X = X.to(device)

    def g_at(x):
        cols = [x[i] for i in range(n)]
        return torch.stack([torch.stack([g_fns[i][j](*cols) for j in range(n)]) for i in range(n)])

    def gamma_at(x):
        g = g_at(x)
        dg = torch.func.jacrev(g_at)(x)  # dg[i, j, c] = d_c g_ij
        gi = torch.linalg.inv(g)
        # Gamma^a_{bc} = 1/2 g^{ad} (d_b g_dc + d_c g_db - d_d g_bc)
        Gd = 0.5 * (torch.einsum("dcb->dbc", dg) + torch.einsum("dbc->dbc", dg)
                    - torch.einsum("bcd->dbc", dg))
        return torch.einsum("ad,dbc->abc", gi, Gd)

    def riemann_at(x):
        G = gamma_at(x)
        dG = torch.func.jacfwd(gamma_at)(x)  # dG[a, b, c, e] = d_e Gamma^a_{bc}
        # R^a_{bcd} = d_c G^a_{db} - d_d G^a_{cb} + G^a_{ce} G^e_{db} - G^a_{de} G^e_{cb}
        up = (torch.einsum("adbc->abcd", dG) - torch.einsum("acbd->abcd", dG)
              + torch.einsum("ace,edb->abcd", G, G) - torch.einsum("ade,ecb->abcd", G, G))
        return torch.einsum("ae,ebcd->abcd", g_at(x), up)

    numeric = torch.vmap(riemann_at)(X)
    cols = [X[:, i] for i in range(n)]
    worst = 0.0
    size = numeric.abs().flatten(1).amax(dim=1).clamp_min(1e-300)
    for (a_, b_, c_, d_), fn in symbolic.items():
        err = (fn(*cols) - numeric[:, a_, b_, c_, d_]).abs() / size
        worst = max(worst, float(err.max()))
    # components the symbolic engine found to be zero must vanish numerically too
    mask = torch.ones(n, n, n, n, dtype=torch.bool, device=numeric.device)
    for (a_, b_, c_, d_) in symbolic:
        for p, q in (((a_, b_), (c_, d_)), ((c_, d_), (a_, b_))):
            for s1 in (p, p[::-1]):
                for s2 in (q, q[::-1]):
                    mask[s1 + s2] = False
    zero_err = float((numeric[:, mask].abs() / size[:, None]).max()) if mask.any() else 0.0
    worst = max(worst, zero_err)
    return {"case": label, "device": str(X.device.type), "dtype": "float64", "n": n,
            "batch": points, "reference": "torch autograd of g (eq. 49)",
            "worst_error": worst, "tolerance": TOLERANCE, "ok": worst <= TOLERANCE}
