"""CPU-heavy work (cleaning, language detection, extraction) in worker processes.

One writer stores; parsing runs on every core. The pool is created on first
use, reused for the rest of the process, and uses the forkserver start
method: forking a process that runs Prefect's threads is not safe. Small
batches stay in-process, where a pool would cost more than it saves.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_PARALLEL = 48
_pool: ProcessPoolExecutor | None = None
_pool_size = 0


def worker_count() -> int:
    """$CLAIMWATCH_WORKERS, else the number of usable cores."""
    env = os.environ.get("CLAIMWATCH_WORKERS")
    if env:
        return max(1, int(env))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _get_pool(n: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size != n:
        shutdown()
        _pool = ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("forkserver"))
        _pool_size = n
    return _pool


def shutdown() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


atexit.register(shutdown)


class Outcome:
    """A result or the error that replaced it: one bad input never sinks a batch."""

    __slots__ = ("value", "error")

    def __init__(self, value: Any = None, error: str | None = None) -> None:
        self.value = value
        self.error = error


def _guarded(fn: Callable[..., Any], kwargs: dict[str, Any]) -> Outcome:
    try:
        return Outcome(fn(**kwargs))
    except Exception as exc:  # reported per item by the caller
        return Outcome(error=f"{type(exc).__name__}: {exc}")


def map_outcomes(fn: Callable[..., R], jobs: Sequence[dict[str, Any]], workers: int | None = None) -> list[Outcome]:
    """fn(**job) for every job, in order, on all cores when the batch is big enough."""
    n = worker_count() if workers is None else workers
    if n <= 1 or len(jobs) < MIN_PARALLEL:
        return [_guarded(fn, j) for j in jobs]
    pool = _get_pool(n)
    chunk = max(1, len(jobs) // (n * 4))
    return list(pool.map(_guarded, [fn] * len(jobs), jobs, chunksize=chunk))
