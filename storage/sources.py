"""The sources table: seed folders and feeds, with their polling state."""

from __future__ import annotations

import duckdb


def ensure_source(
    con: duckdb.DuckDBPyConnection, source_id: str, kind: str, uri: str, name: str | None = None,
    lang_hint: str | None = None, poll_interval_s: int | None = None,
) -> None:
    con.execute(
        """INSERT INTO sources (id, kind, uri, name, lang_hint, poll_interval_s) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET name = coalesce(excluded.name, sources.name),
               lang_hint = coalesce(excluded.lang_hint, sources.lang_hint),
               poll_interval_s = coalesce(excluded.poll_interval_s, sources.poll_interval_s)""",
        [source_id, kind, uri, name, lang_hint, poll_interval_s],
    )
