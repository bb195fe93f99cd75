from __future__ import annotations

from datetime import UTC, datetime

from extractors.models import Claim
from storage import ids, ledger
from storage.db import reader, writer
from storage.records import DocumentRecord, Failure


def _doc(doc_id: str, text: str, claims: list[Claim], content_hash: str | None = None) -> DocumentRecord:
    return DocumentRecord(
        id=doc_id, uri=f"file:///{doc_id}", source_id="s", fetched_at=datetime(2025, 1, 1, tzinfo=UTC),
        raw_hash=f"raw-{doc_id}", content_hash=content_hash or f"hash-{doc_id}", text=text, lang="fr",
        extractor_version="t", claims=claims,
    )


def _claim(value: float, start: int = 0, category: str = "troops") -> Claim:
    return Claim(category=category, value=value, supplier="KP", recipient="RU", sentence="s", start=start, end=start + 5, lang="fr")


def test_claims_deduplicate_across_documents(db_file: str) -> None:
    with writer(db_file) as con:
        ledger.write_batch(con, [_doc("a", "t a", [_claim(11000)]), _doc("b", "t b", [_claim(11000, 7), _claim(3000, 20)])])
    with reader(db_file) as con:
        rows = con.execute("SELECT value, mention_count, source_count FROM claims ORDER BY value").fetchall()
    assert rows == [(3000.0, 1, 1), (11000.0, 2, 2)]


def test_writing_the_same_batch_twice_changes_nothing(db_file: str) -> None:
    batch = [_doc("a", "t a", [_claim(11000), _claim(3000, 30)])]
    with writer(db_file) as con:
        ledger.write_batch(con, batch)
        first = con.execute("SELECT * FROM claims ORDER BY id").fetchall()
        ledger.write_batch(con, batch)
        second = con.execute("SELECT * FROM claims ORDER BY id").fetchall()
        mentions = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
    assert first == second
    assert mentions == 2


def test_exact_duplicate_points_to_original_and_adds_no_mentions(db_file: str) -> None:
    with writer(db_file) as con:
        ledger.write_batch(con, [_doc("a", "same", [_claim(11000)], content_hash="h")])
        r = ledger.write_batch(con, [_doc("b", "same", [_claim(11000)], content_hash="h")])
        dup = con.execute("SELECT duplicate_of FROM documents WHERE id = 'b'").fetchone()[0]
        counts = con.execute("SELECT mention_count, source_count FROM claims").fetchall()
    assert r.duplicates == 1
    assert dup == "a"
    assert counts == [(1, 1)]


def test_reprocessed_document_replaces_its_mentions(db_file: str) -> None:
    with writer(db_file) as con:
        ledger.write_batch(con, [_doc("a", "t", [_claim(11000)])])
        ledger.write_batch(con, [_doc("a", "t2", [_claim(12000)])])
        values = [r[0] for r in con.execute("SELECT value FROM claims").fetchall()]
    assert values == [12000.0]


def test_failures_are_recorded_with_reason(db_file: str) -> None:
    with writer(db_file) as con:
        ledger.write_batch(con, [], [Failure(uri="file:///bad", stage="read", reason="Permission denied")], run_id="r1")
        rows = con.execute("SELECT uri, stage, reason FROM failures").fetchall()
    assert rows == [("file:///bad", "read", "Permission denied")]


def test_claim_id_is_the_spec_dedup_key() -> None:
    assert ids.claim_id("troops", "KP", "RU", 11000) == ids.claim_id("troops", "KP", "RU", 11000.0)
    assert ids.claim_id("troops", "KP", "RU", 11000) != ids.claim_id("troops", "RU", "KP", 11000)
