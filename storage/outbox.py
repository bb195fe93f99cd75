"""Alerts outbox hook, called inside the ledger's write transaction (filled in by the alerts feature).

`before_refresh` snapshots whatever is needed (e.g. each touched metric's high)
before claims are recomputed; `after_refresh` writes alert rows in the same
transaction, so a crash can neither lose nor double an alert.
"""

from __future__ import annotations

from typing import Any

import duckdb


def before_refresh(con: duckdb.DuckDBPyConnection, claim_ids: set[str]) -> Any:
    return None


def after_refresh(
    con: duckdb.DuckDBPyConnection, claim_ids: set[str], snapshot: Any, run_id: str | None, alert: bool = True
) -> int:
    """Return the number of alert rows written."""
    return 0
