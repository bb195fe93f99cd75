"""The analyst views on a small ledger with known answers, every query of docs/schema.md, and migration from v1."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT
from test_ledger_dedup import ARTICLE, OTHER, claim, doc, syndicated

from storage import ledger
from storage.db import reader, writer
from storage.migrate import latest_version, migrations

KP_RU = ("troops", "KP", "RU")


def _at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, tzinfo=UTC)


def build(db: str) -> None:
    """fr (July 2025): 11000 by MSMT, 3000 planned, 9M shells; en (July 2025): 11000 by NIS and 12000;
    de (Dec 2024): 10000, and 100000 quoted to be denied; a syndicated copy of fr; an undated 50000."""
    fr = doc("fr", ARTICLE, [claim("troops", 11000, attribution="MSMT", start=1), claim("troops", 3000, status="planned", start=20),
                             claim("artillery_shells", 9_000_000, start=40)], 10, published=_at(2025, 7, 16))
    en = doc("en", OTHER, [claim("troops", 11000, lang="en", attribution="South Korea's NIS", start=5),
                           claim("troops", 12000, lang="en", start=30)], 20, lang="en", published=_at(2025, 7, 20))
    de = doc("de", "Nordkorea hat zehntausend Soldaten geschickt, nicht hunderttausend, sagt Moskau.",
             [claim("troops", 10000, lang="de", start=2), claim("troops", 100000, lang="de", status="denied", start=30)],
             0, lang="de", published=_at(2024, 12, 3))
    copy = doc("copy", syndicated(ARTICLE), fr.claims, 30, published=_at(2025, 7, 17))
    with writer(db) as con:
        ledger.write_batch(con, [de])
        ledger.write_batch(con, [fr, en])
        ledger.write_batch(con, [copy])


@pytest.fixture
def ledger_db(db_file: str) -> str:
    build(db_file)
    return db_file


def test_metric_highs_ignores_denied_figures_and_names_the_first_source(ledger_db: str) -> None:
    with reader(ledger_db) as con:
        rows = con.execute(
            "SELECT category, supplier, recipient, high, status, first_source, first_date, claims FROM metric_highs "
            "ORDER BY category"
        ).fetchall()
    assert rows == [
        ("artillery_shells", "KP", "RU", 9_000_000.0, "reported", "fr", datetime(2025, 7, 16), 1),
        ("troops", "KP", "RU", 12000.0, "reported", "en", datetime(2025, 7, 20), 4),  # not the denied 100000
    ]


def test_claim_timeline_runs_in_publication_order_with_the_running_high(ledger_db: str) -> None:
    with reader(ledger_db) as con:
        rows = con.execute(
            "SELECT seq, value, status, running_high, previous_high, new_high FROM claim_timeline "
            "WHERE category = ? AND supplier = ? AND recipient = ? ORDER BY seq", list(KP_RU)
        ).fetchall()
    assert rows == [
        (1, 10000.0, "reported", 10000.0, None, True),
        (2, 100000.0, "denied", 10000.0, 10000.0, False),
        (3, 3000.0, "planned", 10000.0, 10000.0, False),
        (4, 11000.0, "reported", 11000.0, 10000.0, True),
        (5, 12000.0, "reported", 12000.0, 11000.0, True),
    ]


def test_claim_sources_lists_documents_languages_and_claimants(ledger_db: str) -> None:
    with reader(ledger_db) as con:
        rows = con.execute(
            "SELECT title, lang, claimants FROM claim_sources WHERE category = 'troops' AND value = 11000 ORDER BY title"
        ).fetchall()
        counts = con.execute("SELECT source_count, mention_count FROM claims WHERE value = 11000").fetchone()
    assert rows == [("en", "en", "South Korea's NIS"), ("fr", "fr", "MSMT")]  # the syndicated copy adds nothing
    assert counts == (2, 2)


def test_disagreements_compare_documents_of_the_same_month(ledger_db: str) -> None:
    with reader(ledger_db) as con:
        rows = con.execute(
            'SELECT category, supplier, recipient, month, figures, low, high, "values", documents FROM disagreements'
        ).fetchall()
        sources = con.execute("SELECT [s.title FOR s IN sources] FROM disagreements").fetchone()[0]
    # July 2025: fr says 11000 (its planned 3000 is not a competing figure), en says 12000.
    # December 2024: one document only, and its denied 100000 is not a figure it gives.
    assert rows == [("troops", "KP", "RU", date(2025, 7, 1), 2, 11000.0, 12000.0, [11000.0, 12000.0], 2)]
    assert sources == ["fr", "en"]


def _documented_queries() -> list[str]:
    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    return re.findall(r"```sql\n(.*?)```", text, flags=re.S)


def test_docs_have_example_queries_for_every_view() -> None:
    queries = " ".join(_documented_queries())
    for view in ("metric_highs", "claim_timeline", "claim_sources", "disagreements"):
        assert f"FROM {view}" in queries


@pytest.mark.parametrize("query", _documented_queries(), ids=lambda q: q.split("FROM")[1].split()[0])
def test_every_documented_query_runs_and_answers(ledger_db: str, query: str) -> None:
    with reader(ledger_db) as con:
        cur = con.execute(query)
        assert cur.description
        rows = cur.fetchall()
    assert rows, f"the documented query returned nothing on the test ledger:\n{query}"


def test_documented_python_snippets_run(ledger_db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import importlib.util

    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    snippets = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(snippets) == 2
    monkeypatch.chdir(tmp_path)
    Path(ledger_db).rename(tmp_path / "claimwatch.duckdb")
    for s in snippets:
        s = "\n".join(line[2:] if line.startswith("  ") else line for line in s.splitlines())
        # pandas and polars are the analyst's libraries, not claimwatch's: where one is missing here,
        # the same query is converted to Arrow instead (DuckDB does the conversion either way)
        if importlib.util.find_spec("pandas") is None:
            s = s.replace(".df()", ".to_arrow_table()")
        if importlib.util.find_spec("polars") is None:
            s = s.replace(".pl()", ".to_arrow_table()")
        scope: dict = {}
        exec(compile(s, "schema.md", "exec"), scope)
        results = [v for k, v in scope.items() if k in ("highs", "timeline", "sources")]
        assert results and all(len(r) for r in results)


def _v1_database(path: str) -> None:
    """A ledger as claimwatch wrote it at schema version 1: a document, its mentions (one denied), claims."""
    con = duckdb.connect(path)
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                "applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)")
    con.execute(migrations()[0].sql)
    con.execute("INSERT INTO schema_version (version, name) VALUES (1, 'initial')")
    d = doc("old", ARTICLE, [])
    con.execute(
        "INSERT INTO documents (id, uri, fetched_at, published_at, lang, content_hash, text, extractor_version) "
        "VALUES (?, ?, ?, ?, 'fr', ?, ?, '0.0.1')",
        [d.id, d.uri, datetime(2025, 7, 16, 9), datetime(2025, 7, 16), d.content_hash, d.text],
    )
    for mid, cid, value, status in (("m1", "c1", 11000, "reported"), ("m2", "c2", 50000, "denied")):
        con.execute(
            "INSERT INTO mentions (id, document_id, claim_id, category, value, qualifier, supplier, recipient, status, "
            "sentence, start_char, end_char, lang, extractor_version) "
            "VALUES (?, ?, ?, 'troops', ?, 'exact', 'KP', 'RU', ?, 's', 0, 5, 'fr', '0.0.1')",
            [mid, d.id, cid, value, status],
        )
        con.execute(
            "INSERT INTO claims (id, category, supplier, recipient, value, first_published, first_seen, last_seen, "
            "mention_count, source_count) VALUES (?, 'troops', 'KP', 'RU', ?, '2025-07-16', '2025-07-16 09:00', "
            "'2025-07-16 09:00', 1, 1)",
            [cid, value],
        )
    con.close()


def test_a_version_1_database_migrates_with_its_data_and_the_new_views_work(db_file: str) -> None:
    _v1_database(db_file)
    with writer(db_file) as con:
        assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == latest_version()
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM mentions").fetchone()[0] == 2
        assert con.execute("SELECT id, status, denied_count FROM claims ORDER BY id").fetchall() == [
            ("c1", "reported", 0), ("c2", "denied", 1)]
        assert con.execute("SELECT high, claim_id, first_source_uri FROM metric_highs").fetchall() == [
            (11000.0, "c1", "https://example.org/old")]
        assert con.execute("SELECT count(*) FROM claim_timeline").fetchone()[0] == 2
        assert con.execute("SELECT count(*) FROM claim_sources").fetchone()[0] == 2
        con.execute("SELECT * FROM disagreements").fetchall()
        # a syndicated copy arriving after the upgrade is matched against the old document
        r = ledger.write_batch(con, [doc("copy", syndicated(ARTICLE), [], 60 * 24 * 30)])
        assert r.duplicates == 1
        assert con.execute("SELECT duplicate_kind FROM documents WHERE title = 'copy'").fetchone()[0] == "near"
