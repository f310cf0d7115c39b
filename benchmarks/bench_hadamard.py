"""Benchmarks for the Hadamard derivation and its closed forms.

1. ``kexue-sym verify hadamard``: cold (a fresh process: interpreter start, imports, lemma
   self-checks, every step) and warm (the same process again), medians of N runs.
2. ``kexue_sym.hadamard.log_ratio`` against the formula a user would write with plain torch
   (``2 slogdet(A) - sum log ||a_j||^2``, fast but unsafe at extreme scales) and against numpy,
   measured in the same run; printed as ratios (peer time / our time, > 1 means we are faster).

    python benchmarks/bench_hadamard.py [--runs 5] [--device cpu|cuda]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch
from _timing import interleaved_medians, median_time  # benchmarks/ is on sys.path as a script

import kexue_sym
from kexue_sym import hadamard


def bench_verify(runs: int) -> None:
    script = Path(sys.executable).parent / "kexue-sym"
    cmd = [str(script), "verify", "hadamard", "--json"]
    cold = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        cold.append(time.perf_counter() - start)
    warm = median_time(lambda: kexue_sym.verify("hadamard"), runs)
    print(f"verify hadamard: cold median {statistics.median(cold):.2f} s "
          f"(min {min(cold):.2f}, max {max(cold):.2f}, {runs} runs, fresh processes); "
          f"warm median {warm:.2f} s")


def plain_torch_log_ratio(A: torch.Tensor) -> torch.Tensor:
    return 2 * torch.linalg.slogdet(A).logabsdet - torch.log((A * A).sum(-2)).sum(-1)


def numpy_log_ratio(A: np.ndarray) -> np.ndarray:
    return 2 * np.linalg.slogdet(A)[1] - np.log((A * A).sum(-2)).sum(-1)


def bench_closed_form(runs: int, device: str) -> None:
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    print(f"\nlog_ratio on {device} (median of {runs}); ratio = peer time / kexue-sym time")
    print(f"{'batch':>7} {'n':>4} {'dtype':8} {'kexue-sym':>10} {'plain torch':>12} {'ratio':>6} "
          f"{'numpy':>9} {'ratio':>6}")
    for batch, n in ((100_000, 8) if device == "cuda" else (10_000, 8), (1_000, 64), (8, 512)):
        for dtype in (torch.float64, torch.float32):
            A = torch.randn(batch, n, n, dtype=dtype, device=device)
            An = A.cpu().numpy()
            # numpy on its own: its BLAS threads keep spinning after a call and slow down
            # whatever torch runs next, so interleaving it would bias the torch pair
            t = interleaved_medians({"ours": lambda: hadamard.log_ratio(A),
                                     "plain": lambda: plain_torch_log_ratio(A)}, runs, sync)
            ours, plain = t["ours"], t["plain"]
            nump = median_time(lambda: numpy_log_ratio(An), runs)
            print(f"{batch:>7} {n:>4} {str(dtype)[6:]:8} {ours * 1e3:>8.2f}ms {plain * 1e3:>10.2f}ms "
                  f"{plain / ours:>6.2f} {nump * 1e3:>7.2f}ms {nump / ours:>6.2f}")
    A = torch.randn(64, 8, 8, dtype=torch.float64, device=device) * 1e200
    print("at entries ~1e200: plain torch gives", plain_torch_log_ratio(A)[:2].tolist(),
          "kexue-sym gives", hadamard.log_ratio(A)[:2].tolist())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--skip-verify", action="store_true")
    args = parser.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("bench_hadamard: --device cuda but CUDA is not available here")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, device {args.device}")
    if not args.skip_verify:
        bench_verify(args.runs)
    bench_closed_form(args.runs, args.device)


if __name__ == "__main__":
    main()
