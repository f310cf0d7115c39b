"""Per-sample gradient penalties of an MLP (depth 4, width 256, Tanh, d_in = 256), B = 4096:
kexue_sym.gradient_penalty (torch.func, batched) against a per-sample autograd loop (the way a
user writes it without the library: torch.autograd.grad for every sample), same run, medians.
Throughput in pairs (network, input) a second; ratio = loop time / batched time.

The loop is timed on --loop-rows samples and scaled to B (it is linear in B).

    python benchmarks/bench_gradient_penalty.py [--device cpu|cuda] [--batch 4096] [--runs 3]
        [--bound-runs 1]
"""
from __future__ import annotations

import argparse
import sys

import torch
from _timing import median_time  # benchmarks/ is on sys.path when run as a script
from torch import nn

from kexue_sym import gradient_penalty as gp


def loop_penalties(model: nn.Module, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """||grad_x f||^2 and ||grad_theta f||^2 by one autograd call a sample."""
    params = list(model.parameters())
    gx, gt = [], []
    for xi in x:
        xi = xi.detach().requires_grad_(True)
        grads = torch.autograd.grad(model(xi).squeeze(), [xi, *params])
        gx.append((grads[0] ** 2).sum())
        gt.append(sum((g ** 2).sum() for g in grads[1:]))
    return torch.stack(gx), torch.stack(gt)


def loop_jacobian_norms(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """The spectral norms of dh^(t)/dx a sample (what the bound needs besides the penalties)."""
    linears = [m for m in model if isinstance(m, nn.Linear)]
    out = []
    for xi in x:
        captured = []
        hooks = [m.register_forward_hook(lambda mod, inp, _o: captured.append(inp[0]))
                 for m in linears[1:]]

        def inputs(z):
            captured.clear()
            model(z)
            return tuple(captured)

        try:
            jac = torch.autograd.functional.jacobian(inputs, xi)
        finally:
            for h in hooks:
                h.remove()
        out.append(torch.stack([torch.linalg.matrix_norm(J, ord=2) for J in jac]))
    return torch.stack(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--batch", type=int, default=4096)
    parser.add_argument("--width", type=int, default=256)
    parser.add_argument("--depth", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--loop-rows", type=int, default=256)
    parser.add_argument("--bound-runs", type=int, default=None,
                        help="runs of input_penalty_bound (default --runs; it is the slow one)")
    args = parser.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("bench_gradient_penalty: --device cuda but CUDA is not available here")
    sync = torch.cuda.synchronize if args.device == "cuda" else (lambda: None)
    torch.manual_seed(0)
    sizes = [args.width] * args.depth + [1]
    mods: list[nn.Module] = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        mods += [nn.Linear(a, b)] + ([nn.Tanh()] if b != 1 else [])
    print(f"torch {torch.__version__}, device {args.device}, {torch.get_num_threads()} threads; "
          f"B = {args.batch}, depth {args.depth}, width {args.width}")
    for dtype in (torch.float32, torch.float64):
        model = nn.Sequential(*mods).to(dtype=dtype, device=args.device)
        x = torch.randn(args.batch, args.width, dtype=dtype, device=args.device)
        small = x[:args.loop_rows]
        with torch.no_grad():
            pen = median_time(lambda: (gp.input_penalty(model, x), gp.param_penalty(model, x)),
                              args.runs, sync)
            bound = median_time(lambda: gp.input_penalty_bound(model, x),
                                args.bound_runs or args.runs, sync)
        loop = median_time(lambda: loop_penalties(model, small), args.runs, sync)
        loop = loop * args.batch / args.loop_rows
        jac = median_time(lambda: loop_jacobian_norms(model, small[:32]), 1, sync)
        jac = jac * args.batch / 32
        name = str(dtype)[6:]
        print(f"{name}: penalties batched {args.batch / pen:,.0f} pairs/s, loop "
              f"{args.batch / loop:,.0f} pairs/s, ratio {loop / pen:.1f}; bound batched "
              f"{args.batch / bound:,.0f} pairs/s, loop (penalties + Jacobian norms) "
              f"{args.batch / (loop + jac):,.1f} pairs/s, ratio {(loop + jac) / bound:.1f}",
              flush=True)


if __name__ == "__main__":
    main()
