"""Opening the DuckDB file: one writer at a time, readers that wait briefly.

DuckDB lets one process write a file and refuses every other open (even
read-only) meanwhile. claimwatch therefore keeps write transactions short
(connect, write one batch, close) and has both writers and readers retry for
a few seconds when the file is busy, so an analyst's query during a scheduled
run waits instead of failing.

A run writes batch after batch, and the file is free only for the moment
between closing one write connection and opening the next, which a polling
reader would rarely hit. So a reader that finds the file busy takes a shared
lock on `<db>.readers` while it waits, and a writer about to open the file
first waits (at most `READER_PRIORITY_S`) until no reader holds that lock.
The OS drops the lock if a process dies, so nothing is ever left stale.
"""

from __future__ import annotations

import contextlib
import contextvars
import fcntl
import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import duckdb

from storage.migrate import migrate

DEFAULT_DB = "claimwatch.duckdb"
_connect_lock = threading.Lock()
_BUSY_MARKERS = ("Unique file handle conflict", "Could not set lock", "Conflicting lock", "lock on file")
READER_PRIORITY_S = 10.0  # longest a writer stands aside for waiting readers


class DatabaseBusy(RuntimeError):
    """The file stayed locked by another process for longer than we wait."""


class DatabaseMissing(FileNotFoundError):
    """A read was asked of a database file that does not exist."""


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--db, else $CLAIMWATCH_DB, else ./claimwatch.duckdb."""
    return Path(explicit or os.environ.get("CLAIMWATCH_DB") or DEFAULT_DB)


def _is_busy(exc: BaseException) -> bool:
    return any(m in str(exc) for m in _BUSY_MARKERS)


def _readers_path(path: Path) -> Path:
    return path.with_name(path.name + ".readers")


def _wait_for_readers(path: Path, max_wait_s: float = READER_PRIORITY_S) -> None:
    """Before a writer opens the file: let readers that are waiting for it go first."""
    try:
        fh = open(_readers_path(path), "a+")  # noqa: SIM115 - closed below
    except OSError:
        return
    deadline = time.monotonic() + max_wait_s
    try:
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return
                time.sleep(0.02)
    finally:
        fh.close()


def _open(path: Path, read_only: bool, wait_s: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_s
    delay = 0.05
    announced = False
    waiting: IO[str] | None = None  # a reader's shared lock on <db>.readers while it waits
    if not read_only:
        _wait_for_readers(path)
    try:
        while True:
            try:
                with _connect_lock:  # DuckDB's instance cache races when threads open one file at once
                    return duckdb.connect(str(path), read_only=read_only)
            except (duckdb.IOException, duckdb.ResourceInUseException) as exc:
                if not _is_busy(exc) or time.monotonic() >= deadline:
                    if _is_busy(exc):
                        raise DatabaseBusy(
                            f"{path} is busy (another claimwatch process is writing); gave up after {wait_s:.0f}s"
                        ) from exc
                    raise
                if read_only and not announced:
                    announced = True
                    waiting = _announce_reader(path)
                time.sleep(delay)
                delay = min(delay * 2, 0.1 if announced else 0.5)
    finally:
        if waiting is not None:
            waiting.close()


def _announce_reader(path: Path) -> IO[str] | None:
    """Hold a shared lock on <db>.readers: writers about to open the file wait for us."""
    try:
        fh = open(_readers_path(path), "a+")  # noqa: SIM115 - closed by the caller
    except OSError:
        return None
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_SH)
    except OSError:
        fh.close()
        return None
    return fh


@contextlib.contextmanager
def writer(path: str | os.PathLike[str] | None = None, wait_s: float = 60.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived writing connection on a migrated database. Close it soon."""
    p = db_path(path)
    if p.parent and not p.parent.exists():
        p.parent.mkdir(parents=True, exist_ok=True)
    con = _open(p, read_only=False, wait_s=wait_s)
    try:
        migrate(con)
        yield con
    finally:
        con.close()


@contextlib.contextmanager
def reader(path: str | os.PathLike[str] | None = None, wait_s: float = 30.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection, waiting while a writer holds the file."""
    p = db_path(path)
    if not p.exists():
        raise DatabaseMissing(f"no database at {p} (run `claimwatch run` first, or pass --db)")
    con = _open(p, read_only=True, wait_s=wait_s)
    try:
        yield con
    finally:
        con.close()


class RunLocked(RuntimeError):
    """Another run holds the database's run lock."""


def exclusive_lock(lock_path: Path, wait_s: float, poll_s: float = 0.1) -> IO[str] | None:
    """An open file holding an exclusive flock on `lock_path`, or None if it stayed taken for `wait_s`.

    The caller closes the file to release the lock; the OS releases it if the process dies.
    """
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(lock_path, "a+")  # noqa: SIM115 - returned to the caller, who closes it
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fh
        except BlockingIOError:
            if time.monotonic() >= deadline:
                fh.close()
                return None
            time.sleep(poll_s)


_held: dict[Path, int] = {}
_scope: contextvars.ContextVar[str | None] = contextvars.ContextVar("claimwatch_run_scope", default=None)


def _lock_file(p: Path, scope: str | None) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", scope) if scope else None
    return p.with_name(f"{p.name}.{safe}.runlock" if safe else f"{p.name}.runlock").resolve()


@contextlib.contextmanager
def run_lock(
    path: str | os.PathLike[str] | None = None, wait_s: float = 0.0, scope: str | None = None
) -> Iterator[Path]:
    """Hold an exclusive advisory lock for a whole run, so two runs never interleave.

    The lock file sits beside the database (`<db>.runlock`); the OS drops it
    if the process dies, so a killed run never leaves a stale lock. Re-entrant
    within a process, so a pipeline can call flows that take it too; those
    inherit the pipeline's `scope`. Runs of different scopes (feed shards) may
    overlap: their batches still write one at a time, through DuckDB's own lock.
    """
    p = db_path(path)
    scope = scope if scope is not None else _scope.get()
    lock_path = _lock_file(p, scope)
    if _held.get(lock_path):
        _held[lock_path] += 1
        try:
            yield lock_path
        finally:
            _held[lock_path] -= 1
        return
    fh = exclusive_lock(lock_path, wait_s)
    if fh is None:
        what = f"run ({scope})" if scope else "run"
        raise RunLocked(f"another claimwatch {what} is writing {p}; try again when it finishes")
    try:
        _held[lock_path] = 1
        token = _scope.set(scope)
        try:
            yield lock_path
        finally:
            _scope.reset(token)
            _held.pop(lock_path, None)
    finally:
        fh.close()
