from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from storage.db import DatabaseMissing, RunLocked, reader, run_lock, writer


def test_reader_on_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(DatabaseMissing, match="no database"), reader(tmp_path / "nope.duckdb"):
        pass


def test_reader_waits_for_a_writer_in_another_process(db_file: str) -> None:
    with writer(db_file) as con:
        con.execute("CREATE TABLE t AS SELECT 42 AS x")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, time; c = duckdb.connect({db_file!r}); print('locked', flush=True); time.sleep(2); c.close()"],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    t0 = time.monotonic()
    with reader(db_file, wait_s=20) as con:
        assert con.execute("SELECT x FROM t").fetchone() == (42,)
    holder.wait()
    assert time.monotonic() - t0 > 0.5  # it had to wait for the writer to let go


def test_run_lock_excludes_a_second_run(db_file: str) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"from storage.db import run_lock; import time\nwith run_lock({db_file!r}):\n    print('held', flush=True); time.sleep(3)"],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    with pytest.raises(RunLocked, match="another claimwatch run"), run_lock(db_file, wait_s=0.2):
        pass
    holder.wait()
    with run_lock(db_file, wait_s=1):
        pass


def test_run_lock_is_reentrant_in_one_process(db_file: str) -> None:
    with run_lock(db_file), run_lock(db_file, wait_s=0):
        pass
    with run_lock(db_file, wait_s=0):
        pass


def test_scoped_run_locks_are_independent_and_inherited(db_file: str) -> None:
    with run_lock(db_file, scope="shard-1/2") as outer:
        with run_lock(db_file, wait_s=0) as inner:  # a flow called inside the run inherits its scope
            assert inner == outer
        holder = subprocess.run(
            [sys.executable, "-c",
             f"from storage.db import run_lock\nwith run_lock({db_file!r}, scope='shard-2/2'):\n    print('ok')"],
            capture_output=True, text=True, timeout=60,
        )
        assert holder.stdout.strip() == "ok"  # another shard is not blocked
        blocked = subprocess.run(
            [sys.executable, "-c",
             f"from storage.db import run_lock\nwith run_lock({db_file!r}, scope='shard-1/2'):\n    pass"],
            capture_output=True, text=True, timeout=60,
        )
        assert blocked.returncode != 0 and "RunLocked" in blocked.stderr


def test_threads_of_one_process_open_one_file_at_once(tmp_path: Path) -> None:
    """Tasks running in threads (alert channels, say) open the same file at the same moment; none may fail."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    for round_ in range(15):
        db = str(tmp_path / f"r{round_}.duckdb")
        with writer(db) as con:
            con.execute("CREATE TABLE hits (n INTEGER)")
        start = threading.Barrier(6)

        def write(n: int, db: str = db, start: threading.Barrier = start) -> int:
            start.wait()
            with writer(db) as con:
                con.execute("INSERT INTO hits VALUES (?)", [n])
            return n

        with ThreadPoolExecutor(6) as pool:
            assert sorted(pool.map(write, range(6))) == list(range(6))
        with reader(db) as con:
            assert con.execute("SELECT count(*) FROM hits").fetchone() == (6,)
