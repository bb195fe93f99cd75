from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_flow_stores_the_five_seeds_once(seeds_dir: Path, db_file: str) -> None:
    from flows.ingest import ingest_seeds

    first = ingest_seeds(str(seeds_dir), db_file)
    con = duckdb.connect(db_file, read_only=True)
    docs = con.execute("SELECT lang, count(*) FROM documents GROUP BY 1").fetchall()
    claims_before = con.execute("SELECT * FROM claims ORDER BY id").fetchall()
    mentions_before = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
    con.close()
    assert first["documents"] == 5
    assert docs == [("fr", 5)]

    second = ingest_seeds(str(seeds_dir), db_file)
    assert second["unchanged"] == 5 and second["documents"] == 0
    con = duckdb.connect(db_file, read_only=True)
    assert con.execute("SELECT * FROM claims ORDER BY id").fetchall() == claims_before
    assert con.execute("SELECT count(*) FROM mentions").fetchone()[0] == mentions_before
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
    statuses = con.execute("SELECT status FROM runs ORDER BY started_at").fetchall()
    con.close()
    assert statuses == [("completed",), ("completed",)]


def test_unreadable_file_is_recorded_and_the_rest_stored(seeds_dir: Path, db_file: str) -> None:
    from flows.ingest import ingest_seeds

    (seeds_dir / "broken.txt").symlink_to(seeds_dir / "does-not-exist.txt")  # listed, but unreadable
    counts = ingest_seeds(str(seeds_dir), db_file)
    con = duckdb.connect(db_file, read_only=True)
    failures = con.execute("SELECT stage, reason FROM failures").fetchall()
    n = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    con.close()
    assert n == 5
    assert counts["failures"] == 1
    assert failures and failures[0][0] == "read" and "No such file" in failures[0][1]
