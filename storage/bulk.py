"""Bulk loading: rows go to DuckDB as one Arrow table, never row by row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pyarrow as pa

_counter = 0


def register_rows(
    con: duckdb.DuckDBPyConnection, columns: Sequence[str], rows: Sequence[Sequence[Any]], schema: pa.Schema | None = None
) -> str:
    """Register `rows` as a temporary relation and return its name."""
    global _counter
    _counter += 1
    name = f"_batch_{_counter}"
    data = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
    table = pa.table(data, schema=schema) if schema is not None else pa.table(data)
    con.register(name, table)
    return name
