"""Documents, mentions and deduplicated claims: the ledger, written one batch per transaction.

Deduplication of documents (see docs/schema.md):

- same canonical URL or file URI: the same document id, so an upsert;
- same content hash (normalised cleaned text): `duplicate_kind = 'content'`;
- near-duplicates (syndicated copies with other boilerplate or small edits):
  estimated Jaccard similarity of word 4-shingles >= `neardup.THRESHOLD`,
  found through the LSH band table `document_bands` (`duplicate_kind = 'near'`).
  A near-duplicate must not bring a claim its original lacks: a copy that
  changes a figure is news, so it stays a document of its own.

The kept document is the one seen first (stored `fetched_at`, then id); the
others point to it with `duplicate_of` and add no mentions. A document is
only ever compared with documents seen before it, so rewriting a batch, or
writing it again after a crash, reaches the same decisions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from storage import ids, neardup, outbox
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
    + [("minhash", pa.list_(pa.uint32()))]
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
_BAND_SCHEMA = pa.schema([("document_id", pa.string()), ("band", pa.int16()), ("bucket", pa.int64())])
_DUP_SCHEMA = pa.schema(
    [("id", pa.string()), ("duplicate_of", pa.string()), ("duplicate_kind", pa.string()),
     ("duplicate_similarity", pa.float64())]
)
BACKFILL_LIMIT = 500  # signatures computed per batch for documents stored before near-dup detection existed


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
    mentions are replaced as a whole, duplicates are decided against documents
    seen earlier only, and claims are recomputed from mentions, so writing the
    same batch twice (or after a crash) converges to the same rows.
    `alert=False` (reprocessing) asks the outbox not to raise alerts.
    """
    result = BatchResult()
    docs = list({d.id: d for d in docs}.values())  # one record per id: the last one wins
    doc_ids = [d.id for d in docs]
    con.execute("BEGIN TRANSACTION")
    try:
        if docs:
            _backfill_signatures(con, exclude=doc_ids)
            sigs = {d.id: neardup.signature(d.text) if d.text else None for d in docs}
            _upsert_documents(con, docs, sigs)
            result.documents = len(docs)
            result.duplicates = _mark_duplicates(con, docs)
            old_claims = _claims_of(con, doc_ids)
            con.execute("DELETE FROM mentions WHERE document_id IN (SELECT unnest($1::VARCHAR[]))", [doc_ids])
            result.mentions = _insert_mentions(con, docs)
            touched = old_claims | _claims_of(con, doc_ids)
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


def _upsert_documents(
    con: duckdb.DuckDBPyConnection, docs: Sequence[DocumentRecord], sigs: dict[str, list[int] | None]
) -> None:
    rows = [
        (
            d.id, d.source_id, d.uri, d.guid, d.title, d.author, d.sitename, _naive_utc(d.published_at),
            _naive_utc(d.fetched_at), d.lang, d.lang_prob, d.raw_hash, d.raw_ref, d.content_hash, d.text,
            d.extractor_version, d.error, sigs.get(d.id) if sigs.get(d.id) is not None else ([] if d.text else None),
        )
        for d in docs
    ]
    columns = (*DOC_COLUMNS, "minhash")
    rel = register_rows(con, columns, rows, _DOC_SCHEMA)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in ("id", "fetched_at"))
    con.execute(
        f"INSERT INTO documents ({', '.join(columns)}) SELECT * FROM {rel} ON CONFLICT (id) DO UPDATE SET {updates}"
    )
    con.unregister(rel)
    _store_bands(con, [d.id for d in docs], sigs)


def _store_bands(con: duckdb.DuckDBPyConnection, doc_ids: list[str], sigs: dict[str, list[int] | None]) -> None:
    con.execute("DELETE FROM document_bands WHERE document_id IN (SELECT unnest($1::VARCHAR[]))", [doc_ids])
    rows = [(i, b, bucket) for i in doc_ids if sigs.get(i) for b, bucket in neardup.bands(sigs[i])]  # type: ignore[arg-type]
    if rows:
        rel = register_rows(con, ("document_id", "band", "bucket"), rows, _BAND_SCHEMA)
        con.execute(f"INSERT INTO document_bands SELECT * FROM {rel}")
        con.unregister(rel)


def _backfill_signatures(con: duckdb.DuckDBPyConnection, exclude: list[str], limit: int = BACKFILL_LIMIT) -> int:
    """Give signatures to documents stored by an older claimwatch (a few hundred per batch)."""
    rows = con.execute(
        "SELECT id, text FROM documents WHERE minhash IS NULL AND coalesce(text, '') <> '' "
        "AND id NOT IN (SELECT unnest($1::VARCHAR[])) ORDER BY fetched_at, id LIMIT $2",
        [exclude, limit],
    ).fetchall()
    if not rows:
        return 0
    sigs = {r[0]: neardup.signature(r[1]) for r in rows}
    rel = register_rows(
        con, ("id", "minhash"), [(i, s or []) for i, s in sigs.items()],
        pa.schema([("id", pa.string()), ("minhash", pa.list_(pa.uint32()))]),
    )
    con.execute(f"UPDATE documents SET minhash = r.minhash FROM {rel} r WHERE documents.id = r.id")
    con.unregister(rel)
    _store_bands(con, list(sigs), sigs)
    return len(rows)


def _mark_duplicates(con: duckdb.DuckDBPyConnection, docs: Sequence[DocumentRecord]) -> int:
    """Decide, in first-seen order, which documents of the batch duplicate an earlier kept document."""
    batch = {d.id: d for d in docs}
    ids_ = list(batch)
    key: dict[str, tuple[datetime, str]] = {
        r[0]: (r[1], r[0])
        for r in con.execute(
            "SELECT id, fetched_at FROM documents WHERE id IN (SELECT unnest($1::VARCHAR[]))", [ids_]
        ).fetchall()
    }
    live = "(o.duplicate_of IS NULL OR o.id IN (SELECT unnest($1::VARCHAR[])))"
    exact: dict[str, list[str]] = defaultdict(list)
    for d_id, o_id, o_at in con.execute(
        f"""SELECT d.id, o.id, o.fetched_at FROM documents d
            JOIN documents o ON o.content_hash = d.content_hash AND o.id <> d.id
            WHERE d.id IN (SELECT unnest($1::VARCHAR[])) AND coalesce(d.text, '') <> '' AND {live}""",
        [ids_],
    ).fetchall():
        exact[d_id].append(o_id)
        key.setdefault(o_id, (o_at, o_id))
    # LSH candidates (sharing a band bucket), seen earlier, with their estimated Jaccard similarity
    # computed in DuckDB; only pairs at or above the threshold come back.
    near: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for d_id, o_id, o_at, sim in con.execute(
        f"""WITH pairs AS (
                SELECT DISTINCT b.document_id AS d_id, ob.document_id AS o_id
                FROM document_bands b
                JOIN document_bands ob ON ob.band = b.band AND ob.bucket = b.bucket
                                      AND ob.document_id <> b.document_id
                WHERE b.document_id IN (SELECT unnest($1::VARCHAR[])))
            SELECT * FROM (
                SELECT p.d_id, o.id, o.fetched_at,
                       len(list_filter(list_zip(d.minhash, o.minhash), lambda x: x[1] = x[2]))
                           / len(d.minhash) AS sim
                FROM pairs p JOIN documents d ON d.id = p.d_id JOIN documents o ON o.id = p.o_id
                WHERE (o.fetched_at < d.fetched_at OR (o.fetched_at = d.fetched_at AND o.id < d.id))
                  -- written as a difference on purpose: an equality of two lengths becomes a hash-join
                  -- key and makes DuckDB compare the batch with every stored document before the pairs
                  AND len(d.minhash) - len(o.minhash) = 0 AND {live})
            WHERE sim >= $2""",
        [ids_, neardup.THRESHOLD],
    ).fetchall():
        near[d_id].append((o_id, float(sim)))
        key.setdefault(o_id, (o_at, o_id))
    others = sorted({o for lst in near.values() for o, _ in lst if o not in batch})
    claim_keys: dict[str, set[str]] = defaultdict(set)
    if others:
        for doc, claim in con.execute(
            "SELECT DISTINCT document_id, claim_id FROM mentions WHERE document_id IN (SELECT unnest($1::VARCHAR[]))",
            [others],
        ).fetchall():
            claim_keys[doc].add(claim)
    for d in docs:
        claim_keys[d.id] = {ids.claim_id(c.category, c.supplier, c.recipient, c.value) for c in d.claims}

    decided: dict[str, tuple[str | None, str | None, float | None]] = {}

    def usable(o: str, d: str) -> bool:
        if key[o] >= key[d]:
            return False
        return o not in batch or decided.get(o, (None,))[0] is None

    for d_id in sorted(ids_, key=lambda i: key[i]):
        verdict: tuple[str | None, str | None, float | None] = (None, None, None)
        if batch[d_id].text:
            same = sorted((o for o in exact.get(d_id, []) if usable(o, d_id)), key=lambda o: key[o])
            if same:
                verdict = (same[0], "content", 1.0)
            else:
                best: tuple[float, tuple[datetime, str], str] | None = None
                for o, sim in near.get(d_id, []):
                    if not usable(o, d_id) or not claim_keys[d_id] <= claim_keys[o]:
                        continue
                    if best is None or (-sim, key[o]) < (-best[0], best[1]):
                        best = (sim, key[o], o)
                if best is not None:
                    verdict = (best[2], "near", round(best[0], 6))
        decided[d_id] = verdict

    rel = register_rows(
        con, ("id", "duplicate_of", "duplicate_kind", "duplicate_similarity"),
        [(i, *v) for i, v in decided.items()], _DUP_SCHEMA,
    )
    con.execute(
        f"UPDATE documents SET duplicate_of = r.duplicate_of, duplicate_kind = r.duplicate_kind, "
        f"duplicate_similarity = r.duplicate_similarity FROM {rel} r WHERE documents.id = r.id"
    )
    # Documents that pointed to a batch document which is now itself a duplicate follow it to its original.
    con.execute(
        f"UPDATE documents SET duplicate_of = r.duplicate_of FROM {rel} r "
        f"WHERE documents.duplicate_of = r.id AND r.duplicate_of IS NOT NULL "
        f"AND documents.id NOT IN (SELECT unnest($1::VARCHAR[]))",
        [ids_],
    )
    con.unregister(rel)
    return sum(1 for v in decided.values() if v[0] is not None)


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
    """Recompute the given claims from their mentions in kept documents; returns how many are new.

    `status` is the strongest status of the claim's mentions (reported > planned > denied): a
    claim only ever quoted to be denied has status 'denied' and never counts toward a high.
    """
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
                            mention_count, source_count, status, denied_count)
        SELECT m.claim_id, any_value(m.category), any_value(m.supplier), any_value(m.recipient), any_value(m.value),
               min(d.published_at), min(d.fetched_at), max(d.fetched_at), count(*), count(DISTINCT m.document_id),
               CASE WHEN bool_or(m.status = 'reported') THEN 'reported'
                    WHEN bool_or(m.status = 'planned') THEN 'planned' ELSE 'denied' END,
               count(*) FILTER (WHERE m.status = 'denied')
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


def documents_to_reprocess(
    con: duckdb.DuckDBPyConnection, extractor_version: str, everything: bool = False
) -> list[str]:
    """Ids of stored documents with text whose mentions come from another extractor version (or all),
    in first-seen order, so an original is re-derived before its copies are re-evaluated against it."""
    rows = con.execute(
        "SELECT id FROM documents WHERE coalesce(text, '') <> '' AND ($2 OR extractor_version IS DISTINCT FROM $1) "
        "ORDER BY fetched_at, id",
        [extractor_version, everything],
    ).fetchall()
    return [r[0] for r in rows]


def stored_documents(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> list[DocumentRecord]:
    """The stored documents as records (without claims), in first-seen order: input for reprocessing."""
    rows = con.execute(
        f"SELECT {', '.join(DOC_COLUMNS)} FROM documents WHERE id IN (SELECT unnest($1::VARCHAR[])) "
        "ORDER BY fetched_at, id",
        [list(doc_ids)],
    ).fetchall()
    return [DocumentRecord(**dict(zip(DOC_COLUMNS, r, strict=True))) for r in rows]
