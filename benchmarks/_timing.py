"""Timing shared by the benchmark scripts: medians, with a device sync around each run."""
from __future__ import annotations

import statistics
import time
from typing import Callable


def median_time(fn: Callable[[], object], runs: int, sync: Callable[[], None] = lambda: None) -> float:
    """Median wall time of ``fn`` over ``runs`` runs after one warm-up run."""
    fn()
    sync()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved_medians(fns: dict[str, Callable[[], object]], runs: int,
                        sync: Callable[[], None] = lambda: None) -> dict[str, float]:
    """Median wall time of each function, the runs interleaved after one warm-up each: on a
    shared, noisy machine a slow spell then hits every contender alike instead of whichever
    happened to be measured during it.  The order rotates each round (A B C, B C A, C A B):
    a contender that leaves threads spinning (numpy's BLAS after a call) would otherwise always
    slow down the same successor."""
    for fn in fns.values():
        fn()
        sync()
    times: dict[str, list[float]] = {name: [] for name in fns}
    items = list(fns.items())
    for r in range(runs):
        for name, fn in items[r % len(items):] + items[:r % len(items)]:
            start = time.perf_counter()
            fn()
            sync()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}
