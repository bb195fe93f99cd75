"""Analysts' queries during a run: `claimwatch sql` and `highs` answer instead of failing on the lock."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_cli

from storage.db import reader, writer

# A writer in another process that opens the file, writes for `hold` seconds, closes and at once opens
# it again, for `total` seconds: a scheduled run writing one batch after another with no pause between.
WRITER = """
import sys, time
from storage.db import reader, writer
path, hold, total = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
end = time.monotonic() + total
n = 0
print("writing", flush=True)
while time.monotonic() < end:
    with writer(path) as con:
        con.execute("BEGIN TRANSACTION")
        con.execute("INSERT INTO sources (id, kind, uri) VALUES (?, 'seeds', 'x')", [f"s{n}"])
        time.sleep(hold)
        con.execute("COMMIT")
    n += 1
print("batches", n, flush=True)
"""


def _start_writer(db: str, hold: float, total: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, db, str(hold), str(total)], stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    return proc


def _seed(db: str) -> None:
    with writer(db) as con:
        con.execute("INSERT INTO claims (id, category, supplier, recipient, value, mention_count, source_count, status) "
                    "VALUES ('c1', 'troops', 'KP', 'RU', 11000, 1, 1, 'reported')")


def test_sql_answers_while_a_run_writes_batch_after_batch(tmp_path: Path) -> None:
    db = str(tmp_path / "busy.duckdb")
    _seed(db)
    proc = _start_writer(db, hold=0.3, total=25)
    try:
        r = run_cli("sql", "select count(*) as n from claims", "--db", db, "--format", "csv", "--wait", "20")
        assert proc.poll() is None, "the writer finished before the query ran: the test proved nothing"
        h = run_cli("highs", "--db", db, "--format", "csv", "--wait", "20")
        assert proc.poll() is None
    finally:
        proc.terminate()
        proc.wait()
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["n", "1"]
    assert h.returncode == 0, h.stderr
    assert "11000" in h.stdout


def test_every_reader_gets_in_between_back_to_back_batches(tmp_path: Path) -> None:
    # Without readers' priority a reader only gets in when its poll happens to fall in the instant
    # between two batches; here each of ten reads must get in within a few batches.
    db = str(tmp_path / "busy.duckdb")
    _seed(db)
    proc = _start_writer(db, hold=0.3, total=60)
    answers = []
    try:
        for _ in range(10):
            with reader(db, wait_s=5) as con:
                answers.append(con.execute("SELECT count(*) FROM claims").fetchone()[0])
        assert proc.poll() is None, "the writer finished before the reads: the test proved nothing"
    finally:
        proc.terminate()
        proc.wait()
    assert answers == [1] * 10


def test_sql_waits_out_one_long_write_transaction(tmp_path: Path) -> None:
    db = str(tmp_path / "long.duckdb")
    _seed(db)
    proc = _start_writer(db, hold=4, total=0.1)  # one transaction of 4 s
    r = run_cli("sql", "select count(*) as n from sources", "--db", db, "--format", "csv", "--wait", "30")
    out, _ = proc.communicate(timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["n", "1"]  # it read after the writer's commit
    assert out.strip() == "batches 1"


def test_sql_gives_a_clear_error_when_the_writer_outlasts_the_wait(tmp_path: Path) -> None:
    db = str(tmp_path / "stuck.duckdb")
    _seed(db)
    proc = _start_writer(db, hold=8, total=0.1)
    try:
        r = run_cli("sql", "select 1", "--db", db, "--wait", "1")
    finally:
        proc.terminate()
        proc.wait()
    assert r.returncode == 1
    assert "busy" in r.stderr and "Traceback" not in r.stderr
