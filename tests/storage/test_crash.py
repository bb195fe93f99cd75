"""Exactly once: a writer killed with SIGKILL at any point, then rerun, ends row for row like a clean run.

This file is also the writer: `python test_crash.py DB [--crash-in-transaction N]` stores a generated
stream of documents (new articles, syndicated copies, exact copies, the same claims in French and
English, denials, a corrected article) batch after batch, the way `flows.ingest.ingest_files` does:
open the file, skip inputs whose raw hash is already stored, write the rest in one transaction, close.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
N_DOCS = 360
BATCH = 20
VOLATILE = {  # columns that legitimately differ between two runs: clocks and run ids
    "fetched_at", "created_at", "first_seen", "last_seen", "updated_at", "occurred_at", "applied_at", "run_id",
    "first_seen_at", "last_seen_at",
}
SKIP_TABLES = {"runs", "schema_version"}


def generate() -> list[dict]:
    """The input stream, identical on every call: what a folder of seed files would be."""
    from extractors.models import Claim

    rnd = random.Random(20250716)
    vocab = [f"mot{i}" for i in range(3000)]
    originals: list[dict] = []
    stream: list[dict] = []
    for i in range(N_DOCS):
        r = random.Random(i)
        kind = rnd.random()
        if originals and kind < 0.15:  # a syndicated copy: other boilerplate, two small edits, same claims
            src = r.choice(originals)
            words = src["text"].split()
            for _ in range(2):
                words[r.randrange(len(words))] = "modifié"
            text = f"Agence {i} — reprise autorisée. Tous droits réservés.\n{' '.join(words)}\nAbonnez-vous {i}."
            claims, lang = src["claims"], src["lang"]
        elif originals and kind < 0.20:  # an exact copy (whitespace and case aside)
            src = r.choice(originals)
            text, claims, lang = "  " + src["text"].upper(), src["claims"], src["lang"]
        elif originals and kind < 0.23:  # a correction of an earlier article: same URL, new text and figure
            src = r.choice(originals)
            text = src["text"] + " correction"
            claims = [Claim(**{**c.to_dict(), "value": c.value + 1}) for c in src["claims"]]
            stream.append({**src, "text": text, "claims": claims, "n": i})
            continue
        else:
            lang = r.choice(["fr", "en", "de"])
            text = " ".join(r.choice(vocab) for _ in range(r.randint(60, 200)))
            claims = []
            for k in range(r.randint(0, 4)):
                claims.append(Claim(
                    category=r.choice(["troops", "artillery_shells", "missiles", "workers"]),
                    value=float(r.choice([1000, 3000, 11000, 12000, 14000, 100000, r.randint(1, 50) * 1000])),
                    supplier="KP", recipient="RU", status=r.choice(["reported"] * 6 + ["planned", "denied"]),
                    attribution=r.choice([None, "MSMT", "NIS", "GUR"]), qualifier=r.choice(["exact", "approx"]),
                    sentence=f"phrase {k}", start=k * 10, end=k * 10 + 5, lang=lang,
                ))
        item = {"uri": f"https://example.org/{i}", "text": text, "claims": claims, "lang": lang, "n": i}
        originals.append(item)
        stream.append(item)
    return stream


def record(item: dict):  # type: ignore[no-untyped-def]
    from storage.ids import document_id
    from storage.records import DocumentRecord

    text = item["text"]
    return DocumentRecord(
        id=document_id(item["uri"]), uri=item["uri"], source_id="gen", fetched_at=datetime.now(UTC),
        raw_hash=hashlib.sha256(text.encode()).hexdigest(), title=f"doc {item['n']}",
        published_at=datetime(2025, 1, 1) + timedelta(days=item["n"] // 4), lang=item["lang"], lang_prob=0.9,
        content_hash=hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest(), text=text,
        extractor_version="gen-1", claims=item["claims"],
    )


def run(db: str, crash_in_transaction: int | None = None) -> None:
    from storage import ledger
    from storage.db import writer

    if crash_in_transaction is not None:  # die inside the n-th write transaction, claims half refreshed
        calls = {"n": 0}
        real = ledger.refresh_claims

        def dying_refresh(con, claim_ids):  # type: ignore[no-untyped-def]
            calls["n"] += 1
            out = real(con, claim_ids)
            if calls["n"] == crash_in_transaction:
                os.kill(os.getpid(), signal.SIGKILL)
            return out

        ledger.refresh_claims = dying_refresh  # type: ignore[assignment]
    stream = generate()
    print("ready", flush=True)
    for start in range(0, len(stream), BATCH):
        latest = {record(it).id: record(it) for it in stream[start : start + BATCH]}  # one version per URL
        with writer(db) as con:
            known = ledger.known_raw_hashes(con, list(latest))
        todo = [r for r in latest.values() if known.get(r.id) != (r.raw_hash, r.extractor_version)]
        with writer(db) as con:
            ledger.write_batch(con, todo)
        print("batch", start // BATCH, flush=True)
    print("done", flush=True)


# --------------------------------------------------------------------------- the tests


def _spawn(db: str, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, __file__, db, *extra], stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env)


def _run_to_end(db: str) -> None:
    proc = _spawn(db)
    out, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0 and out.rstrip().endswith("done"), out


def snapshot(db: str) -> dict[str, list[tuple]]:
    import duckdb

    con = duckdb.connect(db, read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE'"
        ).fetchall() if r[0] not in SKIP_TABLES]
        out = {}
        for t in sorted(tables):
            cols = [r[0] for r in con.execute(f'DESCRIBE "{t}"').fetchall() if r[0] not in VOLATILE]
            out[t] = con.execute(f'SELECT {", ".join(cols)} FROM "{t}" ORDER BY ALL').fetchall()
        for v in ("metric_highs", "claim_timeline", "disagreements"):
            cols = [r[0] for r in con.execute(f"DESCRIBE {v}").fetchall() if r[0] not in VOLATILE]
            out[v] = con.execute(f"SELECT {', '.join(cols)} FROM {v} ORDER BY ALL").fetchall()
    finally:
        con.close()
    return out


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, list[tuple]]]:
    db = str(tmp_path_factory.mktemp("clean") / "clean.duckdb")
    _run_to_end(db)
    return db, snapshot(db)


def test_generated_stream_exercises_every_kind_of_duplicate(clean_run: tuple[str, dict]) -> None:
    db, snap = clean_run
    import duckdb

    con = duckdb.connect(db, read_only=True)
    kinds = dict(con.execute("SELECT coalesce(duplicate_kind, 'kept'), count(*) FROM documents GROUP BY 1").fetchall())
    multi = con.execute("SELECT count(*) FROM claims WHERE source_count > 1").fetchone()[0]
    langs = con.execute("SELECT count(*) FROM (SELECT claim_id FROM claim_sources GROUP BY 1 HAVING count(DISTINCT lang) > 1)").fetchone()[0]
    con.close()
    assert kinds["near"] >= 20 and kinds["content"] >= 5 and kinds["kept"] >= 250
    assert multi > 10 and langs > 5
    # a second run over the same inputs changes nothing
    _run_to_end(db)
    assert snapshot(db) == snap


def test_kill_9_at_random_moments_then_rerun_equals_a_clean_run(tmp_path: Path, clean_run: tuple[str, dict]) -> None:
    crashed = str(tmp_path / "crashed.duckdb")
    rnd = random.Random(os.getpid())
    kills = 0
    for _ in range(5):
        proc = _spawn(crashed)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(rnd.uniform(0.05, 2.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
    assert kills >= 3
    for n in (3, 7):  # and twice inside a write transaction, after the mentions, before the commit
        proc = _spawn(crashed, "--crash-in-transaction", str(n))
        proc.wait(timeout=600)
    _run_to_end(crashed)
    assert snapshot(crashed) == clean_run[1]


def test_kill_inside_the_first_transactions_loses_nothing(tmp_path: Path, clean_run: tuple[str, dict]) -> None:
    crashed = str(tmp_path / "crashed.duckdb")
    for n in (1, 2, 2):
        proc = _spawn(crashed, "--crash-in-transaction", str(n))
        proc.wait(timeout=600)
        assert proc.returncode == -signal.SIGKILL
    _run_to_end(crashed)
    assert snapshot(crashed) == clean_run[1]


if __name__ == "__main__":
    args = sys.argv[1:]
    crash = int(args[args.index("--crash-in-transaction") + 1]) if "--crash-in-transaction" in args else None
    run(args[0], crash)
