"""Every table and view of the ledger to Parquet or CSV files, one file per relation."""

from __future__ import annotations

from pathlib import Path

import duckdb

FORMATS = ("parquet", "csv")


def relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """[(name, 'table' | 'view')] of the main schema, tables first, by name."""
    rows = con.execute(
        "SELECT table_name, CASE table_type WHEN 'VIEW' THEN 'view' ELSE 'table' END FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_catalog = current_database() ORDER BY 2, 1"
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def export(con: duckdb.DuckDBPyConnection, out_dir: str | Path, fmt: str = "parquet") -> list[tuple[str, Path, int]]:
    """Write `<out_dir>/<relation>.<fmt>` for every table and view; returns [(name, path, rows)].

    Files are written beside their final name and renamed once complete, so a reader never sees half a file.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (use parquet or csv)")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    options = "FORMAT parquet, COMPRESSION zstd" if fmt == "parquet" else "FORMAT csv, HEADER true"
    written = []
    for name, _kind in relations(con):
        path = out / f"{name}.{fmt}"
        tmp = out / f".{name}.{fmt}.tmp"
        con.execute(f"COPY (SELECT * FROM \"{name}\") TO '{_sql_str(tmp)}' ({options})")
        tmp.replace(path)
        n = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
        written.append((name, path, int(n[0]) if n else 0))
    return written


def _sql_str(p: Path) -> str:
    return str(p).replace("'", "''")
