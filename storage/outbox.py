"""Alerts outbox hook, called inside the ledger's write transaction.

`before_refresh` notes the metrics of the touched claims as they were;
`after_refresh` (claims recomputed) compares each touched metric's current
high with the high it had when the ledger last committed
(`alert_metric_highs`), writes one alert row per metric whose high rose, and
stores the new highs. All of it in the caller's transaction, so a crash can
neither lose nor double an alert; alert ids are a hash of the claim id, so a
claim alerts at most once, ever.

Rules (docs/alerts.md):
- A metric's high is the largest value among its claims that have at least
  one mention that is not `denied`, in a document that is not a duplicate.
  A denied-only claim never raises a high; a `planned` one does, and the
  alert carries its status.
- One alert per metric per batch: the batch's highest figure, against the
  high before the batch.
- Baseline: while the database has no completed run other than the current
  one (fresh install, first backlog), highs are recorded silently. After
  that, a metric's first figure is a `new_metric` alert, a higher one a
  `new_high` alert.
- `alert=False` (reprocessing) records the highs without alerting.

Send-time policy (minimum increase, channels, digest) is applied by the
sender, not here: this module records facts.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from storage.alerts import alert_id, utcnow
from storage.bulk import register_rows

_METRIC_KEY = "category || '|' || coalesce(supplier, '') || '|' || coalesce(recipient, '')"

_ALERT_COLUMNS = (
    "id", "claim_id", "kind", "category", "supplier", "recipient", "value", "low", "qualifier", "status",
    "attribution", "period", "sentence", "lang", "document_id", "title", "uri", "published_at",
    "previous_high", "previous_claim_id", "previous_qualifier", "previous_status", "previous_claimant",
    "previous_title", "previous_uri", "previous_published_at", "run_id", "created_at",
)
_FLOATS = ("value", "low", "previous_high")
_TIMES = ("published_at", "previous_published_at", "created_at")
_ALERT_SCHEMA = pa.schema(
    [(c, pa.float64() if c in _FLOATS else pa.timestamp("us") if c in _TIMES else pa.string()) for c in _ALERT_COLUMNS]
)


def before_refresh(con: duckdb.DuckDBPyConnection, claim_ids: set[str]) -> set[str]:
    """Metric keys of the touched claims as stored before the refresh (a claim may vanish in it)."""
    if not claim_ids:
        return set()
    rows = con.execute(
        f"SELECT DISTINCT {_METRIC_KEY} FROM claims WHERE id IN (SELECT unnest($1::VARCHAR[]))", [sorted(claim_ids)]
    ).fetchall()
    return {r[0] for r in rows}


def is_fresh(con: duckdb.DuckDBPyConnection, run_id: str | None) -> bool:
    """No completed run besides `run_id`: the database is still taking its baseline."""
    row = con.execute(
        "SELECT count(*) FROM runs WHERE status = 'completed' AND id IS DISTINCT FROM $1", [run_id]
    ).fetchone()
    return not row or int(row[0]) == 0


def after_refresh(
    con: duckdb.DuckDBPyConnection, claim_ids: set[str], snapshot: Any, run_id: str | None, alert: bool = True
) -> int:
    """Write alert rows for the touched metrics whose high rose; return how many were written."""
    metrics = set(snapshot or ())
    if claim_ids:
        rows = con.execute(
            f"SELECT DISTINCT {_METRIC_KEY} FROM claims WHERE id IN (SELECT unnest($1::VARCHAR[]))",
            [sorted(claim_ids)],
        ).fetchall()
        metrics |= {r[0] for r in rows}
    if not metrics:
        return 0
    keys = sorted(metrics)
    written = 0
    if alert and not is_fresh(con, run_id):
        written = _write_alerts(con, keys, run_id)
    con.execute("DELETE FROM alert_metric_highs WHERE metric_key IN (SELECT unnest($1::VARCHAR[]))", [keys])
    con.execute(
        """
        INSERT INTO alert_metric_highs (metric_key, category, supplier, recipient, high, claim_id, qualifier, status,
                                        claimant, title, uri, published_at, updated_at)
        SELECT metric_key, category, supplier, recipient, value, claim_id, qualifier, status, attribution, title, uri,
               coalesce(published_at, fetched_at), $2
        FROM alert_highs_of($1::VARCHAR[])
        """,
        [keys, utcnow()],
    )
    return written


def _write_alerts(con: duckdb.DuckDBPyConnection, keys: list[str], run_id: str | None) -> int:
    rows = con.execute(
        """
        SELECT c.claim_id, CASE WHEN p.high IS NULL THEN 'new_metric' ELSE 'new_high' END, c.category, c.supplier,
               c.recipient, c.value, c.low, c.qualifier, c.status, c.attribution, c.period, c.sentence, c.lang,
               c.document_id, c.title, c.uri, coalesce(c.published_at, c.fetched_at),
               p.high, p.claim_id, p.qualifier, p.status, p.claimant, p.title, p.uri, p.published_at
        FROM alert_highs_of($1::VARCHAR[]) c
        LEFT JOIN alert_metric_highs p ON p.metric_key = c.metric_key
        WHERE p.high IS NULL OR c.value > p.high
        """,
        [keys],
    ).fetchall()
    if not rows:
        return 0
    candidates = {alert_id(r[0]): r for r in rows}
    existing = {
        r[0]
        for r in con.execute(
            "SELECT id FROM alerts WHERE id IN (SELECT unnest($1::VARCHAR[]))", [sorted(candidates)]
        ).fetchall()
    }
    now = utcnow()
    fresh_rows = [(aid, *r, run_id, now) for aid, r in candidates.items() if aid not in existing]
    if not fresh_rows:
        return 0
    rel = register_rows(con, _ALERT_COLUMNS, fresh_rows, _ALERT_SCHEMA)
    con.execute(f"INSERT INTO alerts ({', '.join(_ALERT_COLUMNS)}) SELECT * FROM {rel}")
    con.unregister(rel)
    return len(fresh_rows)
