"""Opening the DuckDB file: one writer at a time, readers that wait briefly.

DuckDB lets one process write a file and refuses every other open (even
read-only) meanwhile. claimwatch therefore keeps write transactions short
(connect, write one batch, close) and has both writers and readers retry for
a few seconds when the file is busy, so an analyst's query during a scheduled
run waits instead of failing.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from storage.migrate import migrate

DEFAULT_DB = "claimwatch.duckdb"
_BUSY_MARKERS = ("Could not set lock", "Conflicting lock", "lock on file")


class DatabaseBusy(RuntimeError):
    """The file stayed locked by another process for longer than we wait."""


class DatabaseMissing(FileNotFoundError):
    """A read was asked of a database file that does not exist."""


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--db, else $CLAIMWATCH_DB, else ./claimwatch.duckdb."""
    return Path(explicit or os.environ.get("CLAIMWATCH_DB") or DEFAULT_DB)


def _is_busy(exc: BaseException) -> bool:
    return any(m in str(exc) for m in _BUSY_MARKERS)


def _open(path: Path, read_only: bool, wait_s: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_s
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if not _is_busy(exc) or time.monotonic() >= deadline:
                if _is_busy(exc):
                    raise DatabaseBusy(
                        f"{path} is busy (another claimwatch process is writing); gave up after {wait_s:.0f}s"
                    ) from exc
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


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


@contextlib.contextmanager
def run_lock(path: str | os.PathLike[str] | None = None, wait_s: float = 0.0) -> Iterator[Path]:
    """Hold an exclusive advisory lock for a whole run, so two runs never interleave.

    The lock file sits beside the database (`<db>.runlock`); the OS drops it
    if the process dies, so a killed run never leaves a stale lock.
    """
    p = db_path(path)
    lock_path = p.with_name(p.name + ".runlock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(lock_path, "a+")  # noqa: SIM115 - held for the whole context
    deadline = time.monotonic() + wait_s
    try:
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise RunLocked(
                        f"another claimwatch run is writing {p}; try again when it finishes"
                    ) from None
                time.sleep(0.2)
        yield lock_path
    finally:
        fh.close()
