"""Versioned schema migrations: numbered SQL files applied once, in order.

`storage/migrations/NNN_name.sql` is version NNN. The `schema_version` table
records what a file has seen, so a database written by an older claimwatch
opens and is brought up to date; one written by a newer one is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import duckdb

_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


class SchemaTooNew(RuntimeError):
    pass


@cache
def migrations() -> tuple[Migration, ...]:
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        m = _NAME.match(entry.name)
        if m:
            found.append(Migration(int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
        elif entry.name.endswith(".sql"):
            raise ValueError(f"migration file {entry.name!r} must be named NNN_name.sql")
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise ValueError(f"two migrations share a version: {versions}")
    return tuple(found)


def latest_version() -> int:
    return migrations()[-1].version if migrations() else 0


def applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    return {int(r[0]) for r in con.execute("SELECT version FROM schema_version").fetchall()}


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    return max(applied_versions(con), default=0)


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every missing migration in order, each in its own transaction. Returns the version.

    Missing, not merely newer: a migration numbered below one already applied
    (two branches landing in either order) is still applied.
    """
    applied = applied_versions(con)
    version = max(applied, default=0)
    if version > latest_version():
        raise SchemaTooNew(
            f"database schema version {version} is newer than this claimwatch ({latest_version()}); upgrade claimwatch"
        )
    for m in migrations():
        if m.version in applied:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(m.sql)
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [m.version, m.name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.add(m.version)
    return max(applied, default=0)
