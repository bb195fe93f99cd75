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
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_PARALLEL = 48
MIN_STREAM = 16  # `submit`: fewer jobs than this in a batch run in-process unless the pool is already up
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


# Imported once by the forkserver, so every worker starts with them (copy-on-write) instead of importing
# trafilatura, lxml and langdetect itself; data (lexicons, language profiles) is loaded by `_init_worker`.
PRELOAD = ["extractors.pipeline", "flows.process", "trafilatura", "langdetect.detector_factory"]


def _init_worker() -> None:
    try:
        from extractors.pipeline import warm_up

        warm_up()
    except Exception:  # pragma: no cover - a worker that cannot preload still works, only slower
        pass


def _get_pool(n: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size != n:
        shutdown()
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        _pool = ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_init_worker)
        _pool_size = n
    return _pool


def warm(workers: int | None = None) -> int:
    """Start the worker processes now (not on the first big batch); returns how many there are."""
    n = worker_count() if workers is None else workers
    if n > 1:
        pool = _get_pool(n)
        list(pool.map(_noop, range(n * 2)))
    return n


def _noop(_: int) -> None:
    return None


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


def run_guarded(fn: Callable[..., Any], job: dict[str, Any]) -> Outcome:
    """fn(**job) here, in this process, as an Outcome."""
    return _guarded(fn, job)


def map_outcomes(fn: Callable[..., R], jobs: Sequence[dict[str, Any]], workers: int | None = None) -> list[Outcome]:
    """fn(**job) for every job, in order, on all cores when the batch is big enough."""
    n = worker_count() if workers is None else workers
    if n <= 1 or len(jobs) < MIN_PARALLEL:
        return [_guarded(fn, j) for j in jobs]
    pool = _get_pool(n)
    chunk = max(1, len(jobs) // (n * 4))
    return list(pool.map(_guarded, [fn] * len(jobs), jobs, chunksize=chunk))


def pool_running() -> bool:
    return _pool is not None


def streaming(n_jobs: int, workers: int | None = None) -> bool:
    """Whether a batch of `n_jobs` should go through `submit` (worker processes) rather than run in-process."""
    n = worker_count() if workers is None else workers
    return n > 1 and n_jobs > 0 and (n_jobs >= MIN_STREAM or (pool_running() and _pool_size == n))


def submit(fn: Callable[..., Any], job: dict[str, Any], workers: int | None = None) -> Future[Outcome]:
    """fn(**job) in a worker process, as soon as one is free: the streaming form of `map_outcomes`.

    Safe to call from several threads (e.g. each fetch thread hands over its page as it arrives).
    """
    n = worker_count() if workers is None else workers
    if n <= 1:
        done: Future[Outcome] = Future()
        done.set_result(_guarded(fn, job))
        return done
    with _submit_lock:
        pool = _get_pool(n)
    return pool.submit(_guarded, fn, job)


_submit_lock = threading.Lock()
