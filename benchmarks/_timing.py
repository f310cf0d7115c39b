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
