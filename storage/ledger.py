"""Documents, mentions and deduplicated claims: the ledger, written one batch per transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from storage import ids, outbox
from storage.bulk import register_rows
from storage.records import DocumentRecord, Failure

DOC_COLUMNS = (
    "id", "source_id", "uri", "guid", "title", "author", "sitename", "published_at", "fetched_at",
    "lang", "lang_prob", "raw_hash", "raw_ref", "content_hash", "text", "extractor_version", "error",
)
_DOC_SCHEMA = pa.schema(
    [
        (c, pa.timestamp("us") if c in ("published_at", "fetched_at") else pa.float64() if c == "lang_prob" else pa.string())
        for c in DOC_COLUMNS
    ]
)
MENTION_COLUMNS = (
    "id", "document_id", "claim_id", "category", "value", "low", "qualifier", "supplier", "recipient",
    "status", "attribution", "period", "sentence", "start_char", "end_char", "lang", "extractor_version",
)
_MENTION_SCHEMA = pa.schema(
    [
        (c, pa.float64() if c in ("value", "low") else pa.int32() if c in ("start_char", "end_char") else pa.string())
        for c in MENTION_COLUMNS
    ]
)


@dataclass(slots=True)
class BatchResult:
    documents: int = 0
    duplicates: int = 0
    mentions: int = 0
    claims_touched: int = 0
    new_claims: int = 0
    alerts: int = 0
    failures: int = 0


def _naive_utc(ts: datetime | None) -> datetime | None:
    if ts is None:
        return None
    return ts.astimezone(UTC).replace(tzinfo=None) if ts.tzinfo else ts


def known_raw_hashes(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> dict[str, tuple[str, str | None]]:
    """{document id: (raw_hash, extractor_version)} for documents already stored."""
    if not doc_ids:
        return {}
    rows = con.execute(
        "SELECT id, raw_hash, extractor_version FROM documents WHERE id IN (SELECT unnest($1::VARCHAR[]))",
        [list(doc_ids)],
    ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def write_batch(
    con: duckdb.DuckDBPyConnection,
    docs: Sequence[DocumentRecord],
    failures: Sequence[Failure] = (),
    run_id: str | None = None,
    alert: bool = True,
) -> BatchResult:
    """Store a batch in one transaction: documents, their mentions, and the claims they touch.

    Idempotent: documents and mentions are keyed by stable ids, a document's
    mentions are replaced as a whole, and claims are recomputed from mentions,
    so writing the same batch twice (or after a crash) converges to the same rows.
    `alert=False` (reprocessing) asks the outbox not to raise alerts.
    """
    result = BatchResult()
    con.execute("BEGIN TRANSACTION")
    try:
        if docs:
            _upsert_documents(con, docs)
            result.documents = len(docs)
            result.duplicates = _mark_exact_duplicates(con, [d.id for d in docs])
            old_claims = _claims_of(con, [d.id for d in docs])
            con.execute(
                "DELETE FROM mentions WHERE document_id IN (SELECT unnest($1::VARCHAR[]))", [[d.id for d in docs]]
            )
            result.mentions = _insert_mentions(con, docs)
            touched = old_claims | _claims_of(con, [d.id for d in docs])
            snapshot = outbox.before_refresh(con, touched)
            result.new_claims = refresh_claims(con, touched)
            result.alerts = outbox.after_refresh(con, touched, snapshot, run_id, alert=alert)
            result.claims_touched = len(touched)
        if failures:
            record_failures(con, failures, run_id)
            result.failures = len(failures)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return result


def _upsert_documents(con: duckdb.DuckDBPyConnection, docs: Sequence[DocumentRecord]) -> None:
    rows = [
        (
            d.id, d.source_id, d.uri, d.guid, d.title, d.author, d.sitename, _naive_utc(d.published_at),
            _naive_utc(d.fetched_at), d.lang, d.lang_prob, d.raw_hash, d.raw_ref, d.content_hash, d.text,
            d.extractor_version, d.error,
        )
        for d in docs
    ]
    rel = register_rows(con, DOC_COLUMNS, rows, _DOC_SCHEMA)
    updates = ", ".join(f"{c} = excluded.{c}" for c in DOC_COLUMNS if c not in ("id", "fetched_at"))
    con.execute(
        f"INSERT INTO documents ({', '.join(DOC_COLUMNS)}) SELECT * FROM {rel} "
        f"ON CONFLICT (id) DO UPDATE SET {updates}"
    )
    con.unregister(rel)


def _mark_exact_duplicates(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> int:
    """A document whose cleaned text equals an earlier document's points to it and adds no mentions."""
    con.execute(
        """
        UPDATE documents AS d SET duplicate_of = (
            SELECT o.id FROM documents o
            WHERE o.content_hash = d.content_hash AND o.id <> d.id AND o.duplicate_of IS NULL
              AND (o.fetched_at, o.id) < (d.fetched_at, d.id)
            ORDER BY o.fetched_at, o.id LIMIT 1)
        WHERE d.id IN (SELECT unnest($1::VARCHAR[])) AND d.content_hash IS NOT NULL AND d.text <> ''
        """,
        [doc_ids],
    )
    row = con.execute(
        "SELECT count(*) FROM documents WHERE id IN (SELECT unnest($1::VARCHAR[])) AND duplicate_of IS NOT NULL",
        [doc_ids],
    ).fetchone()
    return int(row[0]) if row else 0


def _claims_of(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> set[str]:
    rows = con.execute(
        "SELECT DISTINCT claim_id FROM mentions WHERE document_id IN (SELECT unnest($1::VARCHAR[]))", [doc_ids]
    ).fetchall()
    return {r[0] for r in rows}


def _insert_mentions(con: duckdb.DuckDBPyConnection, docs: Sequence[DocumentRecord]) -> int:
    dup_rows = con.execute(
        "SELECT id FROM documents WHERE id IN (SELECT unnest($1::VARCHAR[])) AND duplicate_of IS NOT NULL",
        [[d.id for d in docs]],
    ).fetchall()
    duplicates = {r[0] for r in dup_rows}
    rows = []
    seen: set[str] = set()
    for d in docs:
        if d.id in duplicates:
            continue
        for c in d.claims:
            mid = ids.mention_id(d.id, c.start, c.end, c.category)
            if mid in seen:
                continue
            seen.add(mid)
            rows.append(
                (
                    mid, d.id, ids.claim_id(c.category, c.supplier, c.recipient, c.value), c.category,
                    float(c.value), None if c.low is None else float(c.low), c.qualifier, c.supplier, c.recipient,
                    c.status, c.attribution, c.period, c.sentence, c.start, c.end, c.lang or d.lang,
                    d.extractor_version or "",
                )
            )
    if rows:
        rel = register_rows(con, MENTION_COLUMNS, rows, _MENTION_SCHEMA)
        con.execute(f"INSERT INTO mentions ({', '.join(MENTION_COLUMNS)}) SELECT * FROM {rel}")
        con.unregister(rel)
    return len(rows)


def refresh_claims(con: duckdb.DuckDBPyConnection, claim_ids: set[str]) -> int:
    """Recompute the given claims from their mentions; returns how many are new."""
    if not claim_ids:
        return 0
    idl = sorted(claim_ids)
    before = con.execute(
        "SELECT count(*) FROM claims WHERE id IN (SELECT unnest($1::VARCHAR[]))", [idl]
    ).fetchone()
    con.execute("DELETE FROM claims WHERE id IN (SELECT unnest($1::VARCHAR[]))", [idl])
    con.execute(
        """
        INSERT INTO claims (id, category, supplier, recipient, value, first_published, first_seen, last_seen,
                            mention_count, source_count)
        SELECT m.claim_id, any_value(m.category), any_value(m.supplier), any_value(m.recipient), any_value(m.value),
               min(d.published_at), min(d.fetched_at), max(d.fetched_at), count(*), count(DISTINCT m.document_id)
        FROM mentions m JOIN documents d ON d.id = m.document_id
        WHERE m.claim_id IN (SELECT unnest($1::VARCHAR[])) AND d.duplicate_of IS NULL
        GROUP BY m.claim_id
        """,
        [idl],
    )
    after = con.execute("SELECT count(*) FROM claims WHERE id IN (SELECT unnest($1::VARCHAR[]))", [idl]).fetchone()
    return max(0, int(after[0]) - int(before[0])) if after and before else 0


def record_failures(con: duckdb.DuckDBPyConnection, failures: Sequence[Failure], run_id: str | None) -> None:
    rows = [(ids.failure_id(run_id, f.uri, f.stage), run_id, f.source_id, f.uri, f.stage, f.reason) for f in failures]
    rel = register_rows(con, ("id", "run_id", "source_id", "uri", "stage", "reason"), rows)
    con.execute(
        f"INSERT INTO failures (id, run_id, source_id, uri, stage, reason) SELECT * FROM {rel} "
        "ON CONFLICT (id) DO UPDATE SET reason = excluded.reason, occurred_at = now()"
    )
    con.unregister(rel)
