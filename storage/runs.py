"""The runs table: one row per flow run with its counts and errors."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import duckdb


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def start_run(con: duckdb.DuckDBPyConnection, flow: str, run_id: str | None = None) -> str:
    rid = run_id or uuid.uuid4().hex
    con.execute(
        "INSERT INTO runs (id, flow, started_at, status) VALUES (?, ?, ?, 'running') ON CONFLICT (id) DO NOTHING",
        [rid, flow, _now()],
    )
    return rid


def finish_run(
    con: duckdb.DuckDBPyConnection, run_id: str, status: str, counts: dict[str, Any], errors: list[str]
) -> None:
    con.execute(
        "UPDATE runs SET finished_at = ?, status = ?, counts = ?, errors = ? WHERE id = ?",
        [_now(), status, json.dumps(counts), json.dumps(errors[:200]), run_id],
    )
