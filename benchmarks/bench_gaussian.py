"""KL between batches of multivariate normals: kexue_sym.gaussian.kl against
torch.distributions.kl_divergence(MultivariateNormal, MultivariateNormal), same run, medians.
Ratio = torch.distributions time / kexue-sym time (> 1: kexue-sym is faster).  For d <= 3 also
``kl(..., compiled=True)`` (the written-out form fused by torch.compile); its one-off compile
time is printed separately and not in the median (the warm-up run absorbs it).

    python benchmarks/bench_gaussian.py [--device cpu|cuda] [--runs 5]
"""
from __future__ import annotations

import argparse
import sys
import time

import torch
from _timing import median_time  # benchmarks/ is on sys.path when run as a script
from torch.distributions import MultivariateNormal, kl_divergence

from kexue_sym import gaussian


def spd(batch: int, d: int, dtype, device):
    A = torch.randn(batch, d, d, dtype=dtype, device=device)
    return A @ A.mT / d + torch.eye(d, dtype=dtype, device=device)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("bench_gaussian: --device cuda but CUDA is not available here")
    sync = torch.cuda.synchronize if args.device == "cuda" else (lambda: None)
    print(f"torch {torch.__version__}, device {args.device}, {torch.get_num_threads()} threads")
    print(f"{'batch':>8} {'d':>3} {'dtype':8} {'torch.distributions':>20} {'kexue-sym':>10} {'ratio':>6}"
          f" {'compiled':>9} {'ratio':>6} {'compile':>8}")
    # the three sizes, then d = 3 (the largest written-out one)
    for batch, d in ((100_000, 16), (10_000, 64), (1_000_000, 2), (1_000_000, 3)):
        for dtype in (torch.float64, torch.float32):
            mu1 = torch.randn(batch, d, dtype=dtype, device=args.device)
            mu2 = torch.randn(batch, d, dtype=dtype, device=args.device)
            c1, c2 = spd(batch, d, dtype, args.device), spd(batch, d, dtype, args.device)
            ref = median_time(lambda: kl_divergence(MultivariateNormal(mu1, c1),
                                                    MultivariateNormal(mu2, c2)), args.runs, sync)
            ours = median_time(lambda: gaussian.kl(mu1, c1, mu2, c2), args.runs, sync)
            line = (f"{batch:>8} {d:>3} {str(dtype)[6:]:8} {ref * 1e3:>17.2f} ms {ours * 1e3:>7.2f} ms "
                    f"{ref / ours:>6.2f}")
            if d <= gaussian.EXPLICIT_MAX_N:
                start = time.perf_counter()
                gaussian.kl(mu1, c1, mu2, c2, compiled=True)
                sync()
                first = time.perf_counter() - start
                fused = median_time(lambda: gaussian.kl(mu1, c1, mu2, c2, compiled=True),
                                    args.runs, sync)
                line += f" {fused * 1e3:>6.2f} ms {ref / fused:>6.2f} {first:>7.1f}s"
            print(line, flush=True)


if __name__ == "__main__":
    main()
