"""Cross-check of ``kexue_sym.gradient_penalty`` against plain per-sample autograd, and of the
inequality (f) on random (network, input) pairs.

The reference shares no code with the library: for each sample separately it calls
``torch.autograd.grad`` on the model itself (the input gradient, and the gradient of every
parameter from ``model.parameters()``), captures each Linear layer's input h^(t) with forward
hooks, takes the Jacobians dh^(t)/dx with ``torch.autograd.functional.jacobian`` and the
spectral norms with numpy's SVD.

Tolerance.  Both sides are float64 sums of squares of gradients that agree to rounding, so the
relative gap is a few eps times the depth; 1e-9 relative leaves room for the SVD.  The
inequality is required on every pair with the same relative slack (it is tight only where a
layer's h, W and J align, which random networks never do exactly).  The strengthened variant
(the smallest singular value of W in place of the spectral norm) must fail on some pairs of
the same run, so the check is known to fail when it should.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from kexue_sym import gradient_penalty as gp

#: every activation kexue_sym.gradient_penalty supports (LeakyReLU with a visible slope)
ACTIVATIONS = tuple(cls if cls is not nn.LeakyReLU else (lambda: nn.LeakyReLU(0.1))
                    for cls in gp.ELEMENTWISE)
RTOL = 1e-9


def autograd_reference(model: nn.Module, x: torch.Tensor) -> dict[str, np.ndarray]:
    """Per-sample ||grad_x f||^2, ||grad_theta f||^2, the left side of (f) and of the variant
    with sigma_min(W), by a Python loop of plain autograd calls."""
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    params = [p for p in model.parameters()]
    out = {k: [] for k in ("input", "param", "bound", "variant")}
    W_spec = [np.linalg.svd(m.weight.detach().cpu().numpy(), compute_uv=False) for m in linears]
    for xi in x:
        xi = xi.detach().clone().requires_grad_(True)
        captured: list[torch.Tensor] = []
        hooks = [m.register_forward_hook(lambda mod, inp, _o: captured.append(inp[0]))
                 for m in linears]
        try:
            f = model(xi).squeeze()
            grads = torch.autograd.grad(f, [xi, *params])

            def inputs_of(z):
                captured.clear()
                model(z)
                return tuple(captured)

            jac = torch.autograd.functional.jacobian(inputs_of, xi.detach())
            model(xi.detach())  # refill captured with this sample's h^(t)
            hs = [h.detach() for h in captured]
        finally:
            for h in hooks:
                h.remove()
        gx = float((grads[0] ** 2).sum())
        out["input"].append(gx)
        out["param"].append(float(sum((g ** 2).sum() for g in grads[1:])))
        bound = variant = 0.0
        for t, (m, h, J, s) in enumerate(zip(linears, hs, jac, W_spec)):
            J_spec = np.linalg.svd(J.cpu().numpy(), compute_uv=False)[0]
            top = float((h ** 2).sum()) + (1.0 if m.bias is not None else 0.0)
            if gx > 0:
                bound += gx * top / (s[0] ** 2 * J_spec ** 2)
                variant += gx * top / (s[-1] ** 2 * J_spec ** 2) if s[-1] > 0 else np.inf
        out["bound"].append(bound)
        out["variant"].append(variant)
    return {k: np.array(v) for k, v in out.items()}


def random_mlp(rng: np.random.Generator, depth: int, width: int, d_in: int, activation,
               dtype=torch.float64, device="cpu") -> nn.Sequential:
    """depth Linear layers (the last to one output), each hidden one followed by ``activation``;
    weights scaled by a random gain so that the layers' norms vary."""
    torch.manual_seed(int(rng.integers(2 ** 31)))
    mods: list[nn.Module] = []
    sizes = [d_in] + [width] * (depth - 1) + [1]
    for a, b in zip(sizes[:-1], sizes[1:]):
        lin = nn.Linear(a, b)
        with torch.no_grad():
            lin.weight.mul_(float(rng.uniform(0.3, 3.0)))
            lin.bias.normal_()
        mods.append(lin)
        if b != 1:
            mods.append(activation())
    return nn.Sequential(*mods).to(dtype=dtype, device=device)


def _row(case, device, n, batch, reference, err, tol, **extra) -> dict[str, Any]:
    return {"case": case, "device": device, "dtype": "float64", "n": int(n), "batch": int(batch),
            "reference": reference, "worst_error": float(err), "tolerance": float(tol),
            "ok": bool(err <= tol) and extra.pop("ok", True), **extra}


def run(device: str = "cpu", quick: bool = False, seed: int = 0) -> list[dict[str, Any]]:
    """Rows for random networks: the library against per-sample autograd, and (f) on every
    pair; ``quick`` shrinks the sample."""
    rng = np.random.default_rng(seed)
    rows: list[dict[str, Any]] = []
    networks = 26 if quick else (400 if device.startswith("cuda") else 120)
    per_net = 4 if quick else (32 if device.startswith("cuda") else 16)
    ratios, shallow, zero_bound, variant_fails = [], [], 0, 0
    closest = (np.inf, "")
    worst = {"input": 0.0, "param": 0.0, "bound": 0.0}
    for k in range(networks):
        activation = ACTIVATIONS[k % len(ACTIVATIONS)]
        depth = int(rng.integers(1, 7))
        width = int(rng.choice([2, 3, 8, 32] if quick else [2, 3, 8, 32, 128, 256]))
        d_in = int(rng.integers(1, 9))
        model = random_mlp(rng, depth, width, d_in, activation, device=device)
        x = torch.randn(per_net, d_in, dtype=torch.float64, device=device) * rng.uniform(0.1, 3)
        ref = autograd_reference(model, x)
        with torch.no_grad():
            got = {"input": gp.input_penalty(model, x), "param": gp.param_penalty(model, x),
                   "bound": gp.input_penalty_bound(model, x)}
        for key in worst:
            g = got[key].cpu().numpy()
            scale = np.maximum(np.abs(ref[key]), 1e-300)
            worst[key] = max(worst[key], float(np.max(np.abs(g - ref[key]) / scale)))
        lhs, rhs = ref["bound"], ref["param"]
        # a pair whose input gradient is 0 (a dead ReLU path) has bound 0: (f) holds, and
        # it says nothing about tightness
        live = lhs > 0
        zero_bound += int(np.sum(~live))
        ratio = rhs[live] / lhs[live]
        if depth == 1:
            shallow.extend(ratio.tolist())  # one Linear layer: (f) is an equality
        else:
            ratios.extend(ratio.tolist())
            if ratio.size and ratio.min() < closest[0]:
                name = activation().__class__.__name__
                closest = (float(ratio.min()),
                           f"depth {depth}, width {width}, d_in {d_in}, {name}")
        variant_fails += int(np.sum(ref["variant"] > rhs * (1 + RTOL)))
    pairs = networks * per_net
    for key, name in (("input", "input_penalty"), ("param", "param_penalty"),
                      ("bound", "input_penalty_bound")):
        rows.append(_row(f"{name} vs autograd", device, networks, pairs,
                         "per-sample torch.autograd", worst[key], RTOL))
    r = np.array(ratios)
    q = np.quantile(r, [0.0, 0.1, 0.5, 0.9]) if r.size else np.full(4, np.nan)
    rows.append(_row("(f) param/bound >= 1, depth >= 2", device, networks, r.size,
                     f"min {q[0]:.3g}, median {q[2]:.3g}", max(0.0, 1 - q[0]), RTOL,
                     ratio_min=float(q[0]), ratio_p10=float(q[1]), ratio_median=float(q[2]),
                     ratio_p90=float(q[3]), closest=closest[1], zero_bound_pairs=zero_bound))
    sh = np.array(shallow)
    rows.append(_row("(f) is equality at depth 1", device, networks, sh.size,
                     "param = bound (one Linear)", float(np.max(np.abs(sh - 1))) if sh.size
                     else 0.0, RTOL))
    rows.append(_row("variant sigma_min(W) fails", device, networks, pairs,
                     f"{variant_fails} of {pairs} pairs", 0.0, 1.0, ok=variant_fails > 0,
                     variant_failures=variant_fails))
    return rows
