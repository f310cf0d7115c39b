"""Running many derivations: in this process, in ``jobs`` worker processes, or on a Dask
cluster, with the same reports in the same order every way.

One task is one derivation: a worker loads the registry (and the user's ``files``), builds the
derivation, runs it (with the verdict cache, :mod:`kexue_sym.cache`, unless it is off) and
sends back its verdicts, which are plain data; this process builds the same derivation to pair
them with its steps.  Reports are handed to ``on_report`` in the order the names were given,
each as soon as it and every one before it are done, so output is stable under any ``jobs``.
"""
from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Callable, Sequence

from . import registry
from .derivation import Report, StepResult
from .verdict import Verdict

__all__ = ["Task", "Outcome", "run_task", "run_all", "mutate_all"]


@dataclass(frozen=True)
class Task:
    """What a worker needs to run one derivation (picklable: names and paths only)."""

    name: str
    files: tuple[str, ...] = ()
    timeout: float | None = None
    cache: str | None = None  # the cache file, or None for no cache


@dataclass(frozen=True)
class Outcome:
    name: str
    verdicts: tuple[Verdict, ...]
    seconds: float
    hits: int = 0


def _entry(task: Task) -> registry.Entry:
    registry.discover()
    for path in task.files:
        registry.load_file(path)
    return registry.get(task.name)


def run_task(task: Task, progress=None, starting=None, derivation=None,
             start: float | None = None) -> tuple[Outcome, Report]:
    """Build (unless given) and run one derivation, in whatever process calls it."""
    from .cache import VerdictCache

    start = time.perf_counter() if start is None else start
    if derivation is None:
        derivation = _entry(task).build()
    cache = VerdictCache(task.cache) if task.cache else None
    report = derivation.run(timeout=task.timeout, cache=cache, progress=progress,
                            starting=starting)
    report.seconds = time.perf_counter() - start  # building counts too
    if cache is not None:
        cache.close()
    outcome = Outcome(task.name, tuple(r.verdict for r in report.results), report.seconds,
                      cache.hits if cache else 0)
    return outcome, report


def _remote(task: Task) -> Outcome:
    return run_task(task)[0]


def _report(outcome: Outcome, task: Task) -> Report:
    """The worker's verdicts paired with this process's build of the same derivation."""
    derivation = _entry(task).build()
    if len(derivation.steps) != len(outcome.verdicts):
        raise RuntimeError(f"derivation '{task.name}' built {len(derivation.steps)} steps here "
                           f"and {len(outcome.verdicts)} in the worker: its builder is not "
                           "deterministic")
    results = [StepResult(i, s, v) for i, (s, v) in enumerate(
        zip(derivation.steps, outcome.verdicts), 1)]
    return Report(derivation, results, outcome.seconds)


def run_all(tasks: Sequence[Task], *, jobs: int = 1, dask: str | None = None,
            on_report: Callable[[Report], None] | None = None,
            progress_for: Callable[[str, int], tuple] | None = None) -> list[Report]:
    """Run every task; ``on_report(report)`` in the tasks' order.  ``jobs=1`` without ``dask``
    runs in this process, with ``progress_for(name, steps)`` giving per-step callbacks
    ``(starting, progress)``; otherwise the callbacks replay once a derivation is done."""
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    reports: list[Report] = []

    def deliver(report: Report) -> None:
        reports.append(report)
        if on_report is not None:
            on_report(report)

    if jobs == 1 and dask is None:
        for task in tasks:
            start = time.perf_counter()
            derivation = _entry(task).build()
            starting = progress = None
            if progress_for is not None:
                starting, progress = progress_for(task.name, len(derivation.steps))
            deliver(run_task(task, progress, starting, derivation, start)[1])
        return reports

    def replay(report: Report) -> None:
        if progress_for is not None:
            starting, progress = progress_for(report.name, len(report.results))
            for r in report.results:
                if progress is not None:
                    progress(r.index, r.step, r.verdict)
        deliver(report)

    if dask is not None:
        try:
            from dask.distributed import Client
        except ImportError:
            raise RuntimeError("--dask needs dask.distributed: pip install 'kexue-sym[dask]'") \
                from None
        client = Client(dask) if isinstance(dask, str) else dask
        try:
            futures = client.map(_remote, list(tasks), pure=False)
            for task, future in zip(tasks, futures):
                replay(_report(future.result(), task))
        finally:
            if isinstance(dask, str):
                client.close()
        return reports

    with ProcessPoolExecutor(max_workers=min(jobs, max(len(tasks), 1))) as pool:
        futures = [pool.submit(_remote, task) for task in tasks]
        for task, future in zip(tasks, futures):
            replay(_report(future.result(), task))
    return reports



def _mutate_one(task: Task) -> dict:
    from .mutate import mutate

    derivation = _entry(task).build()
    return mutate(derivation, timeout=task.timeout or 10.0).to_json()


def mutate_all(tasks: Sequence[Task], *, jobs: int = 1,
               on_result: Callable[[dict], None] | None = None) -> list[dict]:
    """Mutation reports (``MutationReport.to_json()``) of every task, in order; one derivation
    per worker process when ``jobs > 1``."""
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    out: list[dict] = []
    if jobs == 1:
        results = (_mutate_one(t) for t in tasks)
        for r in results:
            out.append(r)
            if on_result:
                on_result(r)
        return out
    with ProcessPoolExecutor(max_workers=min(jobs, max(len(tasks), 1))) as pool:
        for future in [pool.submit(_mutate_one, t) for t in tasks]:
            r = future.result()
            out.append(r)
            if on_result:
                on_result(r)
    return out
