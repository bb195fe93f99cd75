"""`claimwatch export` and `claimwatch reprocess`, end to end; reprocessing semantics in process."""

from __future__ import annotations

import csv
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
from conftest import ROOT, SEEDS, run_cli

sys.path.insert(0, str(ROOT / "tests" / "storage"))
from test_ledger_dedup import ARTICLE, OTHER, claim, doc, syndicated  # noqa: E402

from extractors.models import Claim  # noqa: E402
from flows.reprocess import reprocess_all  # noqa: E402
from storage import ledger  # noqa: E402
from storage.db import reader, writer  # noqa: E402


def _ledger(db: str, version: str = "old") -> None:
    fr = doc("fr", ARTICLE, [claim("troops", 11000, start=1)], 0)
    en = doc("en", OTHER, [claim("troops", 11000, lang="en", start=2)], 1, lang="en")
    update = doc("update", syndicated(ARTICLE), [claim("troops", 12000, start=1)], 2)  # kept: it changes a figure
    for d in (fr, en, update):
        d.extractor_version = version
    with writer(db) as con:
        ledger.write_batch(con, [fr, en, update])
        # a completed run: from now on a new high raises an alert (unless alert=False)
        con.execute("INSERT INTO runs (id, flow, started_at, finished_at, status) "
                    "VALUES ('r0', 'ingest_seeds', now(), now(), 'completed')")


def test_export_writes_every_table_and_view_as_parquet_and_csv(db_file: str, tmp_path: Path) -> None:
    _ledger(db_file)
    with reader(db_file) as con:
        relations = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        claims = con.execute("SELECT * FROM claims ORDER BY id").fetchall()
        highs = con.execute("SELECT count(*) FROM metric_highs").fetchone()[0]
    assert {"documents", "mentions", "claims", "metric_highs", "claim_timeline", "claim_sources", "disagreements"} <= relations

    r = run_cli("export", str(tmp_path / "pq"), "--db", db_file, "--format", "parquet")
    assert r.returncode == 0, r.stderr
    assert {p.stem for p in (tmp_path / "pq").glob("*.parquet")} == relations
    con = duckdb.connect()
    assert con.execute(f"SELECT * FROM '{tmp_path}/pq/claims.parquet' ORDER BY id").fetchall() == claims
    assert con.execute(f"SELECT count(*) FROM '{tmp_path}/pq/metric_highs.parquet'").fetchone()[0] == highs == 1
    assert not list((tmp_path / "pq").glob(".*.tmp"))

    r = run_cli("export", str(tmp_path / "csv"), "--format", "csv", env={"CLAIMWATCH_DB": db_file})
    assert r.returncode == 0, r.stderr
    assert {p.stem for p in (tmp_path / "csv").glob("*.csv")} == relations
    with open(tmp_path / "csv" / "metric_highs.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(x["category"], x["supplier"], x["recipient"], float(x["high"])) for x in rows] == [("troops", "KP", "RU", 12000.0)]


def test_export_errors_are_one_line(tmp_path: Path) -> None:
    r = run_cli("export", str(tmp_path / "out"), "--db", str(tmp_path / "missing.duckdb"))
    assert r.returncode == 1 and "no database" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("export", str(tmp_path / "out"), "--db", str(tmp_path / "missing.duckdb"), "--format", "xlsx")
    assert r.returncode == 1 and "unknown format" in r.stderr and "Traceback" not in r.stderr


def _upgraded(text: str, lang: str | None) -> tuple[str | None, list[Claim]]:
    """A 'new extractor': reads 11000 in the French article as 14000 (and every article as French)."""
    if "14 000 soldats" in text:
        return "fr", [claim("troops", 14000, start=1), claim("artillery_shells", 9_000_000, start=50)]
    return lang, [claim("troops", 11000, lang=lang or "en", start=2)]


def test_reprocess_replaces_mentions_recomputes_claims_and_raises_no_alert(db_file: str) -> None:
    _ledger(db_file)
    counts = reprocess_all(db_file, batch_size=2, extract=_upgraded, version="new")
    assert counts["selected"] == 3 and counts["batches"] == 2
    with reader(db_file) as con:
        claims = con.execute("SELECT category, value, source_count FROM claims ORDER BY category, value").fetchall()
        versions = con.execute("SELECT DISTINCT extractor_version FROM mentions").fetchall()
        doc_versions = con.execute("SELECT DISTINCT extractor_version FROM documents").fetchall()
        dup = con.execute(
            "SELECT d.title, o.title FROM documents d JOIN documents o ON o.id = d.duplicate_of").fetchall()
        high = con.execute("SELECT high FROM metric_highs WHERE category = 'troops'").fetchone()[0]
        alerts = con.execute("SELECT count(*) FROM alerts").fetchone()[0]
        run = con.execute("SELECT status FROM runs WHERE flow = 'reprocess'").fetchall()
    # the 'update' copy now gives the same figures as the original: it becomes its near-duplicate
    assert dup == [("update", "fr")]
    assert claims == [("artillery_shells", 9_000_000.0, 1), ("troops", 11000.0, 1), ("troops", 14000.0, 1)]
    assert versions == [("new",)] and doc_versions == [("new",)]
    assert high == 14000.0 and alerts == 0  # a new high, but found by reprocessing: no alert
    assert run == [("completed",)]
    # done once: nothing left for this version
    assert reprocess_all(db_file, extract=_upgraded, version="new")["selected"] == 0


def test_ingesting_the_same_new_high_does_alert(db_file: str) -> None:
    """The control for the test above: the same figure through a normal write does raise an alert."""
    _ledger(db_file)
    with writer(db_file) as con:
        ledger.write_batch(con, [doc("later", "Un autre article " * 20, [claim("troops", 14000)], 60)], run_id="r1")
        assert con.execute("SELECT count(*) FROM alerts").fetchone()[0] == 1


def test_reprocess_command_reextracts_stored_text_with_the_current_extractor(tmp_path: Path) -> None:
    from extractors.claims import extract_claims
    from extractors.pipeline import EXTRACTOR_VERSION

    db = str(tmp_path / "re.duckdb")
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    records = []
    for i, (name, text) in enumerate(texts.items()):
        d = doc(name, text, [Claim(category="troops", value=1.0, supplier="KP", recipient="RU", sentence="x", start=0, end=1)], i)
        d.extractor_version = "0.0.0"
        d.fetched_at = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=i)
        records.append(d)
    with writer(db) as con:
        ledger.write_batch(con, records)
    r = run_cli("reprocess", "--db", db, "--batch-size", "2", timeout=300)
    assert r.returncode == 0, r.stderr
    assert "reprocessed 5 of 5" in r.stdout
    with reader(db) as con:
        versions = {row[0] for row in con.execute("SELECT extractor_version FROM documents").fetchall()}
        per_doc = dict(con.execute(
            "SELECT d.title, count(m.id) FROM documents d LEFT JOIN mentions m ON m.document_id = d.id "
            "WHERE d.duplicate_of IS NULL GROUP BY 1").fetchall())
        placeholder = con.execute("SELECT count(*) FROM mentions WHERE value = 1").fetchone()[0]
    assert versions == {EXTRACTOR_VERSION}
    assert placeholder == 0  # the old mentions are gone
    for name, n in per_doc.items():
        expected = {(c.start, c.end, c.category) for c in extract_claims(texts[name], "fr")}
        assert n == len(expected), name
    with reader(db) as con:
        assert ledger.documents_to_reprocess(con, EXTRACTOR_VERSION) == []  # a second run has nothing to do
