"""argmax(mu + eps) probabilities for standard normal noise, n = 64 classes:
kexue_sym.softmax.probabilities(noise="normal") against the peers a user would reach for, in
one run, medians:

* Monte Carlo (argmax of noisy logits, torch, the same device): its throughput is measured on
  the same rows; the draws it needs for our accuracy (absolute 1e-6: p(1 - p)/N <= 1e-12 at
  p = 1/2, so N = 2.5e11 draws a row) give its time, and the error it reaches in our time is
  reported too;
* ``scipy.stats.multivariate_normal.cdf`` (Genz's quasi-Monte Carlo) on the equivalent orthant
  probability: p_i = P[eps_j - eps_i < mu_i - mu_j for all j != i], an (n - 1)-dimensional
  normal with covariance I + 1 1^T; timed on a sample of rows (every class of each) and scaled
  to the batch; its error against ours is printed.

Ratio = peer time / kexue-sym time for the whole batch (> 1: kexue-sym is faster).

    python benchmarks/bench_softmax.py [--device cpu|cuda] [--batch 100000] [--runs 3]
"""
from __future__ import annotations

import argparse
import math
import sys
import time

import numpy as np
import torch
from _timing import median_time  # benchmarks/ is on sys.path when run as a script

from kexue_sym import softmax


def genz_row(mu: np.ndarray) -> tuple[np.ndarray, float]:
    """Every p_i of one row by scipy's multivariate normal CDF, and the seconds it took."""
    from scipy.stats import multivariate_normal

    n = len(mu)
    cov = np.eye(n - 1) + np.ones((n - 1, n - 1))
    start = time.perf_counter()
    out = np.empty(n)
    for i in range(n):
        upper = mu[i] - np.delete(mu, i)
        out[i] = multivariate_normal(mean=np.zeros(n - 1), cov=cov).cdf(upper, rng=0)
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--batch", type=int, default=100_000)
    parser.add_argument("--n", type=int, default=64)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--genz-rows", type=int, default=2)
    args = parser.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("bench_softmax: --device cuda but CUDA is not available here")
    sync = torch.cuda.synchronize if args.device == "cuda" else (lambda: None)
    print(f"torch {torch.__version__}, device {args.device}, {torch.get_num_threads()} threads; "
          f"batch {args.batch}, n = {args.n}, normal noise")
    g = torch.Generator(device=args.device).manual_seed(0)
    mu = torch.randn(args.batch, args.n, dtype=torch.float64, device=args.device,
                     generator=g) * 3
    for dtype in (torch.float64, torch.float32):
        x = mu.to(dtype)
        ours = median_time(lambda: softmax.probabilities(x, "normal"), args.runs, sync)
        print(f"kexue-sym probabilities ({str(dtype)[6:]}): {ours:.3f} s "
              f"({ours / args.batch * 1e6:.1f} us a row)")
        if dtype is torch.float64:
            ours64 = ours
    # Monte Carlo throughput on the same rows (draws in blocks of 1000 per row)
    block = 1000
    rows = min(args.batch, 10_000)
    mc = median_time(lambda: softmax.sample(mu[:rows], "normal", block, generator=g), args.runs,
                     sync)
    per_draw_row = mc / (rows * block)
    need = 0.25 / 1e-12  # draws a row for a standard error of 1e-6 at p = 1/2
    mc_total = per_draw_row * need * args.batch
    reach = math.sqrt(0.25 / (ours64 / (per_draw_row * args.batch)))
    print(f"Monte Carlo: {per_draw_row * 1e9:.2f} ns a draw-row; for 1e-6 it needs "
          f"{need:.1e} draws a row: {mc_total:.3e} s for the batch, ratio "
          f"{mc_total / ours64:.3e}; in our time it reaches a standard error of {reach:.1e}")
    # scipy Genz on a sample of rows, scaled
    ref = softmax.probabilities(mu[:args.genz_rows].cpu(), "normal").numpy()
    times, errors = [], []
    for r in range(args.genz_rows):
        p, seconds = genz_row(mu[r].cpu().numpy())
        times.append(seconds)
        errors.append(np.abs(p - ref[r]).max())
    per_row = float(np.median(times))
    genz_total = per_row * args.batch
    print(f"scipy multivariate_normal.cdf (Genz): {per_row:.2f} s a row ({args.n} CDFs of "
          f"dimension {args.n - 1}), {genz_total:.3e} s for the batch, ratio "
          f"{genz_total / ours64:.3e}; its worst error against ours {max(errors):.1e}")


if __name__ == "__main__":
    main()
