"""Detection: alert rows written in the ledger's transaction, qualifier-aware, with a silent baseline."""

from __future__ import annotations

import duckdb
import pytest
from alerts_kit import article, ingest_run, troops

from storage import ledger, outbox
from storage.alerts import alert_id
from storage.db import reader, writer


def _alerts(db: str) -> list[tuple]:
    with reader(db) as con:
        return con.execute(
            "SELECT value, kind, previous_high, previous_claimant, previous_uri, status, qualifier "
            "FROM alerts ORDER BY created_at, value"
        ).fetchall()


def test_sequence_alerts_only_on_new_highs_with_the_previous_high(db_file: str) -> None:
    assert ingest_run(db_file, article("a", "2024-10-01", [troops(3000, attribution="NIS")])) == 0  # silent baseline
    assert ingest_run(db_file, article("b", "2024-10-20", [troops(10000, attribution="Pentagon")])) == 1
    assert ingest_run(db_file, article("c", "2024-11-01", [troops(7000)])) == 0
    assert ingest_run(db_file, article("d", "2024-11-18", [troops(12000, attribution="Pentagon")])) == 1
    assert ingest_run(db_file, article("e", "2024-11-20", [troops(12000, attribution="Zelensky")])) == 0
    assert _alerts(db_file) == [
        (10000.0, "new_high", 3000.0, "NIS", "https://news.example.org/a", "reported", "exact"),
        (12000.0, "new_high", 10000.0, "Pentagon", "https://news.example.org/b", "reported", "exact"),
    ]


def test_the_whole_first_run_is_a_silent_baseline_then_a_new_metric_alerts(db_file: str) -> None:
    # A backlog in several batches of one run: nothing alerts, not even a higher figure in a later batch.
    with writer(db_file) as con:
        from storage import runs

        run_id = runs.start_run(con, "backlog")
        assert ledger.write_batch(con, [article("a", "2024-10-01", [troops(3000)])], run_id=run_id).alerts == 0
        assert ledger.write_batch(con, [article("b", "2024-10-02", [troops(9000)])], run_id=run_id).alerts == 0
        runs.finish_run(con, run_id, "completed", {}, [])
    assert _alerts(db_file) == []
    # After it, a metric never seen before alerts as a new metric, and the high is 9,000, not 3,000.
    ingest_run(db_file, article("c", "2024-11-01", [troops(600, category="drones"), troops(8000, start=50)]))
    assert _alerts(db_file) == [(600.0, "new_metric", None, None, None, "reported", "exact")]


def test_a_failed_first_run_does_not_end_the_baseline(db_file: str) -> None:
    with writer(db_file) as con:
        from storage import runs

        run_id = runs.start_run(con, "x")
        ledger.write_batch(con, [article("a", "2024-10-01", [troops(3000)])], run_id=run_id)
        runs.finish_run(con, run_id, "failed", {}, ["boom"])
    assert ingest_run(db_file, article("b", "2024-10-02", [troops(5000)])) == 0


def test_denied_claims_never_raise_a_high_and_planned_ones_are_flagged(db_file: str) -> None:
    ingest_run(db_file, article("a", "2024-10-01", [troops(3000)]))
    # "Moscow denies that 50,000 troops arrived": no alert, and it is not the high either.
    assert ingest_run(db_file, article("b", "2024-10-05", [troops(50000, status="denied")])) == 0
    assert ingest_run(db_file, article("c", "2024-10-06", [troops(5000, status="planned", qualifier="at_least")])) == 1
    # The same 50,000 later reported by someone who is not denying it: now it is a new high.
    assert ingest_run(db_file, article("d", "2024-10-07", [troops(50000, attribution="GUR")])) == 1
    assert _alerts(db_file) == [
        (5000.0, "new_high", 3000.0, None, "https://news.example.org/a", "planned", "at_least"),
        (50000.0, "new_high", 5000.0, None, "https://news.example.org/c", "reported", "exact"),
    ]


def test_one_alert_per_metric_per_batch_for_its_highest_figure(db_file: str) -> None:
    ingest_run(db_file, article("a", "2024-10-01", [troops(3000)]))
    n = ingest_run(
        db_file,
        article("b", "2024-10-02", [troops(4000)]),
        article("c", "2024-10-03", [troops(11000), troops(2000, start=40, category="missiles")]),
    )
    assert n == 2
    assert [(r[0], r[1]) for r in _alerts(db_file)] == [(2000.0, "new_metric"), (11000.0, "new_high")]


def test_rewriting_documents_never_alerts_twice(db_file: str) -> None:
    ingest_run(db_file, article("a", "2024-10-01", [troops(3000)]))
    batch = article("b", "2024-10-02", [troops(10000)])
    assert ingest_run(db_file, batch) == 1
    assert ingest_run(db_file, batch) == 0  # the same batch again
    # reprocessed without the figure, then with it again: the claim already alerted once
    assert ingest_run(db_file, article("b", "2024-10-02", [])) == 0
    assert ingest_run(db_file, batch) == 0
    assert [r[0] for r in _alerts(db_file)] == [10000.0]


def test_reprocessing_records_highs_without_alerting(db_file: str) -> None:
    ingest_run(db_file, article("a", "2024-10-01", [troops(3000)]))
    assert ingest_run(db_file, article("b", "2024-10-02", [troops(20000)]), alert=False) == 0
    assert ingest_run(db_file, article("c", "2024-10-03", [troops(15000)])) == 0  # 20,000 is the high
    assert _alerts(db_file) == []


def test_a_crash_in_the_transaction_loses_no_alert_and_doubles_none(
    db_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_run(db_file, article("a", "2024-10-01", [troops(3000)]))

    real = outbox.after_refresh

    def crash_after_writing_alerts(*args: object, **kwargs: object) -> int:
        assert real(*args, **kwargs) == 1  # type: ignore[arg-type]
        raise RuntimeError("killed mid-transaction")

    monkeypatch.setattr(outbox, "after_refresh", crash_after_writing_alerts)
    doc = article("b", "2024-10-02", [troops(10000)])
    with pytest.raises(RuntimeError):
        ingest_run(db_file, doc)
    assert _alerts(db_file) == []  # rolled back with the claims
    with reader(db_file) as con:
        assert con.execute("SELECT high FROM alert_metric_highs").fetchall() == [(3000.0,)]
    monkeypatch.undo()
    assert ingest_run(db_file, doc) == 1
    assert ingest_run(db_file, doc) == 0
    assert [r[0] for r in _alerts(db_file)] == [10000.0]


def test_alert_ids_are_a_hash_of_the_claim(db_file: str) -> None:
    ingest_run(db_file, article("a", "2024-10-01", [troops(3000)]))
    ingest_run(db_file, article("b", "2024-10-02", [troops(10000)]))
    with reader(db_file) as con:
        aid, cid = con.execute("SELECT id, claim_id FROM alerts").fetchone()
    assert aid == alert_id(cid)


def test_an_upgraded_database_starts_from_its_existing_highs(db_file: str) -> None:
    from storage.migrate import migrations

    con = duckdb.connect(db_file)
    con.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
        "applied_at TIMESTAMP DEFAULT current_timestamp)"
    )
    for m in migrations():
        if m.version >= 4:
            break
        con.execute(m.sql)
        con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [m.version, m.name])
    # an old ledger: one completed run, a 12,000 claimed by the Pentagon and a denied 40,000
    con.execute("INSERT INTO runs (id, flow, started_at, status) VALUES ('old', 'x', now(), 'completed')")
    con.execute(
        "INSERT INTO documents (id, uri, title, published_at, fetched_at, lang) VALUES "
        "('d1', 'https://old.example.org/1', 'Old', '2024-11-18', now(), 'en')"
    )
    for cid, value, status in (("c1", 12000, "reported"), ("c2", 40000, "denied")):
        con.execute(
            "INSERT INTO mentions (id, document_id, claim_id, category, value, qualifier, supplier, recipient, status, "
            "attribution, sentence, start_char, end_char, extractor_version) "
            "VALUES (?, 'd1', ?, 'troops', ?, 'exact', 'KP', 'RU', ?, 'Pentagon', 's', 0, 1, 'v')",
            ["m" + cid, cid, value, status],
        )
        con.execute(
            "INSERT INTO claims (id, category, supplier, recipient, value, mention_count, source_count) "
            "VALUES (?, 'troops', 'KP', 'RU', ?, 1, 1)",
            [cid, value],
        )
    con.close()
    with writer(db_file) as con:  # migrates: the alerting highs come from the existing claims
        rows = con.execute("SELECT high, claimant, uri FROM alert_metric_highs").fetchall()
    assert rows == [(12000.0, "Pentagon", "https://old.example.org/1")]
    assert ingest_run(db_file, article("b", "2024-10-02", [troops(11000)])) == 0
    assert ingest_run(db_file, article("c", "2024-10-03", [troops(14000)])) == 1
    assert _alerts(db_file)[0][:3] == (14000.0, "new_high", 12000.0)
