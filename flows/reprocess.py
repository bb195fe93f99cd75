"""`reprocess`: re-derive the ledger from stored text after an extractor upgrade, one task per batch.

Each document's language and claims are extracted again from `documents.text`
(the cleaned text; the raw input is not needed), then written back through
`ledger.write_batch(alert=False)`: the document's mentions are replaced in one
transaction per batch, duplicates are re-evaluated, claims and highs are
recomputed, and no alert fires for figures already known. A batch is atomic
and a finished batch is not redone (its documents carry the new version), so
a killed reprocess is simply started again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from prefect import flow, get_run_logger, task

from extractors.models import Claim
from storage import ledger, runs
from storage.db import run_lock, writer

Extract = Callable[[str, str | None], tuple[str | None, list[Claim]]]


def default_extract(text: str, lang: str | None) -> tuple[str | None, list[Claim]]:
    """The pipeline's stages after cleaning: language detection (the stored one if unsure), then claims."""
    from extractors.claims import extract_claims
    from extractors.language import detect_language

    detected = detect_language(text)
    code = lang if detected.code == "unknown" else detected.code
    return code, extract_claims(text, code or "unknown")


def current_version() -> str:
    from extractors.pipeline import EXTRACTOR_VERSION

    return EXTRACTOR_VERSION


def reprocess_documents(
    doc_ids: list[str], db: str | None, run_id: str | None = None, extract: Extract | None = None,
    version: str | None = None,
) -> dict[str, int]:
    """Re-extract and rewrite one batch of stored documents. Plain function (no Prefect)."""
    extract = extract or default_extract
    version = version or current_version()
    with writer(db) as con:
        records = ledger.stored_documents(con, doc_ids)
    for r in records:
        lang, claims = extract(r.text or "", r.lang)
        r.lang = lang
        r.claims = claims
        r.extractor_version = version
    with writer(db) as con:
        result = ledger.write_batch(con, records, run_id=run_id, alert=False)
    return {
        "documents": result.documents, "duplicates": result.duplicates, "mentions": result.mentions,
        "new_claims": result.new_claims, "claims_touched": result.claims_touched,
    }


def reprocess_all(
    db: str | None, batch_size: int = 100, everything: bool = False, extract: Extract | None = None,
    version: str | None = None, batch_runner: Callable[..., dict[str, int]] | None = None,
) -> dict[str, Any]:
    """Every document not yet derived by `version` (or all), batch after batch, under the run lock."""
    version = version or current_version()
    run_batch = batch_runner or reprocess_documents
    totals: Counter[str] = Counter()
    with run_lock(db, wait_s=600):
        with writer(db) as con:
            todo = ledger.documents_to_reprocess(con, version, everything)
            run_id = runs.start_run(con, "reprocess")
        totals["selected"] = len(todo)
        try:
            for i in range(0, len(todo), batch_size):
                totals.update(run_batch(todo[i : i + batch_size], db, run_id, extract=extract, version=version))
                totals["batches"] += 1
        except BaseException as exc:
            with writer(db) as con:
                runs.finish_run(con, run_id, "failed", dict(totals), [repr(exc)])
            raise
        with writer(db) as con:
            runs.finish_run(con, run_id, "completed", dict(totals), [])
    return {"run_id": run_id, "version": version, **totals}


@task(name="reprocess-batch", retries=1, retry_delay_seconds=2, persist_result=False)
def reprocess_batch(
    doc_ids: list[str], db: str | None, run_id: str | None, extract: Extract | None = None, version: str | None = None
) -> dict[str, int]:
    return reprocess_documents(doc_ids, db, run_id, extract=extract, version=version)


@flow(name="reprocess", persist_result=False)
def reprocess(db: str | None = None, batch_size: int = 100, everything: bool = False) -> dict[str, Any]:
    """Re-extract stored documents whose mentions come from an older extractor (all with `everything`)."""
    counts = reprocess_all(db, batch_size, everything, batch_runner=reprocess_batch)
    get_run_logger().info(
        "reprocess: %d documents in %d batches, %d mentions, %d claims touched",
        counts.get("documents", 0), counts.get("batches", 0), counts.get("mentions", 0),
        counts.get("claims_touched", 0),
    )
    return counts
