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
WITH ranked AS (
    SELECT c.category, c.supplier, c.recipient, c.value, c.id,
           row_number() OVER (PARTITION BY c.category, c.supplier, c.recipient
                              ORDER BY c.value DESC) AS r
    FROM claims c
)
SELECT r.category, coalesce(r.supplier, '?') || ' -> ' || coalesce(r.recipient, '?') AS direction, r.value AS high,
       (SELECT m.qualifier FROM mentions m JOIN documents d ON d.id = m.document_id
        WHERE m.claim_id = r.id ORDER BY d.published_at NULLS LAST, d.fetched_at LIMIT 1) AS qualifier,
       (SELECT coalesce(d.title, d.uri) FROM mentions m JOIN documents d ON d.id = m.document_id
        WHERE m.claim_id = r.id ORDER BY d.published_at NULLS LAST, d.fetched_at LIMIT 1) AS first_source,
       (SELECT m.attribution FROM mentions m JOIN documents d ON d.id = m.document_id
        WHERE m.claim_id = r.id AND m.attribution IS NOT NULL
        ORDER BY d.published_at NULLS LAST, d.fetched_at LIMIT 1) AS claimant
FROM ranked r WHERE r.r = 1
ORDER BY r.category, direction
"""


def summarise(con: duckdb.DuckDBPyConnection) -> Summary:
    langs = con.execute(
        "SELECT coalesce(lang, 'unknown'), count(*) FROM documents WHERE duplicate_of IS NULL GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    cats = con.execute("SELECT category, count(*) FROM claims GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()
    highs = con.execute(HIGHS_SQL).fetchall()
    fails = con.execute("SELECT count(*) FROM failures").fetchone()
    return Summary(langs, cats, highs, int(fails[0]) if fails else 0)
