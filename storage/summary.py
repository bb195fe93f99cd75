"""Read-side summaries for the CLI: what is in the ledger."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass
class Summary:
    documents_by_lang: list[tuple[str, int]]
    claims_by_category: list[tuple[str, int]]
    highs: list[tuple]
    failures: int


HIGHS_SQL = """
SELECT category, coalesce(supplier, '?') || ' -> ' || coalesce(recipient, '?') AS direction, high,
       qualifier, status, first_source, claimant, CAST(first_date AS DATE) AS first_date
FROM metric_highs
ORDER BY category, direction
"""
HIGHS_COLUMNS = ["category", "direction", "high", "qualifier", "status", "first_source", "claimant", "first_date"]


def summarise(con: duckdb.DuckDBPyConnection) -> Summary:
    langs = con.execute(
        "SELECT coalesce(lang, 'unknown'), count(*) FROM documents WHERE duplicate_of IS NULL GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    cats = con.execute("SELECT category, count(*) FROM claims GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()
    highs = con.execute(HIGHS_SQL).fetchall()
    fails = con.execute("SELECT count(*) FROM failures").fetchone()
    return Summary(langs, cats, highs, int(fails[0]) if fails else 0)
