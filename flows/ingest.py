"""`ingest_seeds`: a folder of .txt/.md/.html files into the ledger, one task per batch."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task

from extractors.pipeline import EXTRACTOR_VERSION
from flows import progress
from flows.parallel import map_outcomes
from flows.process import build_record, raw_hash
from flows.seedfiles import list_seed_files, seed_source_id
from storage import ledger, runs, sources
from storage.db import run_lock, writer
from storage.ids import document_id
from storage.records import DocumentRecord, Failure


class AllSourcesFailed(RuntimeError):
    """Every input of a run failed: the run is failed, not completed."""


def _chunks(items: list[Path], size: int) -> list[list[Path]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def ingest_files(files: list[Path], source_id: str, db: str | None, run_id: str) -> dict[str, int]:
    """Read, process and store one batch of files; unchanged files are skipped. Plain function."""
    counts: Counter[str] = Counter()
    records: list[DocumentRecord] = []
    failures: list[Failure] = []
    raws: dict[Path, bytes] = {}
    for path in files:
        try:
            raws[path] = path.read_bytes()
        except OSError as exc:
            failures.append(Failure(uri=path.resolve().as_uri(), stage="read", reason=str(exc), source_id=source_id))
    identities = {p: p.resolve().as_uri() for p in raws}
    with writer(db) as con:
        known = ledger.known_raw_hashes(con, [document_id(i) for i in identities.values()])
    jobs = []
    for path, raw in raws.items():
        ident = identities[path]
        if known.get(document_id(ident)) == (raw_hash(raw), EXTRACTOR_VERSION):
            counts["unchanged"] += 1
            continue
        jobs.append({"raw": raw, "identity": ident, "source_id": source_id, "name": path.name, "raw_ref": str(path)})
    for job, outcome in zip(jobs, map_outcomes(build_record, jobs), strict=True):
        if outcome.error is None:
            records.append(outcome.value)
        else:  # a broken file is recorded, the batch goes on
            failures.append(Failure(uri=job["identity"], stage="process", reason=outcome.error, source_id=source_id))
    with writer(db) as con:
        result = ledger.write_batch(con, records, failures, run_id)
    counts.update(
        documents=result.documents, duplicates=result.duplicates, mentions=result.mentions,
        new_claims=result.new_claims, failures=len(failures),
    )
    return dict(counts)


@task(name="ingest-batch", retries=1, retry_delay_seconds=2, persist_result=False)
def ingest_batch(files: list[str], source_id: str, db: str | None, run_id: str) -> dict[str, int]:
    return ingest_files([Path(f) for f in files], source_id, db, run_id)


@flow(name="ingest_seeds", flow_run_name="ingest-seeds-{path}", persist_result=False)
def ingest_seeds(path: str = "seeds", db: str | None = None, batch_size: int = 50) -> dict[str, Any]:
    """Ingest every seed file of `path` into the DuckDB file `db`."""
    logger = get_run_logger()
    files = list_seed_files(path)
    source_id = seed_source_id(path)
    totals: Counter[str] = Counter(files=len(files))
    with run_lock(db, wait_s=600):
        with writer(db) as con:
            sources.ensure_source(con, source_id, "seeds", str(Path(path).resolve()))
            run_id = runs.start_run(con, "ingest_seeds")
        done = 0
        progress.advance("files", 0, len(files))
        try:
            for batch in _chunks(files, batch_size):
                totals.update(ingest_batch([str(f) for f in batch], source_id, db, run_id))
                done += len(batch)
                progress.advance("files", done, len(files))
        except BaseException as exc:
            with writer(db) as con:
                runs.finish_run(con, run_id, "failed", dict(totals), [repr(exc)])
            raise
        failed_all = bool(files) and totals["failures"] == len(files)
        with writer(db) as con:
            runs.finish_run(con, run_id, "failed" if failed_all else "completed", dict(totals), [])
    logger.info(
        "ingest_seeds %s: %d files, %d stored, %d unchanged, %d duplicates, %d mentions, %d failures",
        path, len(files), totals["documents"], totals["unchanged"], totals["duplicates"], totals["mentions"],
        totals["failures"],
    )
    if failed_all:
        raise AllSourcesFailed(f"all {len(files)} files of {path} failed")
    return {"run_id": run_id, **totals}
