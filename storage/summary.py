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
SELECT h.category, coalesce(h.supplier, '?') || '→' || coalesce(h.recipient, '?') AS direction, h.high,
       h.qualifier, h.status, h.claimant, CAST(c.first_published AS DATE) AS published, h.first_source,
       h.first_source_uri AS source_uri
FROM metric_highs h JOIN claims c ON c.id = h.claim_id
ORDER BY h.category, direction
"""
HIGHS_COLUMNS = [
    "category", "direction", "high", "qualifier", "status", "claimant", "published", "first_source", "source_uri",
]


def summarise(con: duckdb.DuckDBPyConnection) -> Summary:
    langs = con.execute(
        "SELECT coalesce(lang, 'unknown'), count(*) FROM documents WHERE duplicate_of IS NULL GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    cats = con.execute("SELECT category, count(*) FROM claims GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()
    highs = con.execute(HIGHS_SQL).fetchall()
    fails = con.execute("SELECT count(*) FROM failures").fetchone()
    return Summary(langs, cats, highs, int(fails[0]) if fails else 0)
