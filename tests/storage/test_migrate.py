from __future__ import annotations

import duckdb
import pytest

from storage.db import writer
from storage.migrate import SchemaTooNew, latest_version, migrate


def test_fresh_database_gets_every_migration(db_file: str) -> None:
    with writer(db_file) as con:
        versions = [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()]
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert versions == list(range(1, latest_version() + 1))
    assert {"sources", "documents", "mentions", "claims", "runs", "failures"} <= tables


def test_older_database_is_migrated_on_open(db_file: str) -> None:
    from storage.migrate import migrations

    first = migrations()[0]
    con = duckdb.connect(db_file)
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP DEFAULT current_timestamp)")
    con.execute(first.sql)
    con.execute("INSERT INTO schema_version (version, name) VALUES (1, ?)", [first.name])
    con.execute("INSERT INTO documents (id, uri, fetched_at) VALUES ('d1', 'file:///x', now())")
    con.close()
    with writer(db_file) as con:
        assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == latest_version()
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1


def test_newer_database_is_refused(db_file: str) -> None:
    with writer(db_file) as con:
        con.execute("INSERT INTO schema_version (version, name) VALUES (999, 'future')")
    con = duckdb.connect(db_file)
    with pytest.raises(SchemaTooNew):
        migrate(con)
    con.close()


def test_a_missing_lower_migration_is_still_applied(db_file: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database that has 1 and 3 but not 2 gets 2, not just what is above 3."""
    import storage.migrate as m

    one, two, three = (m.Migration(1, "a", "CREATE TABLE a (x INT)"), m.Migration(2, "b", "CREATE TABLE b (x INT)"),
                       m.Migration(3, "c", "CREATE TABLE c (x INT)"))
    con = duckdb.connect(db_file)
    try:
        monkeypatch.setattr(m, "migrations", lambda: (one, three))
        assert m.migrate(con) == 3
        monkeypatch.setattr(m, "migrations", lambda: (one, two, three))
        assert m.migrate(con) == 3
        versions = [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()]
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    finally:
        con.close()
    assert versions == [1, 2, 3]
    assert {"a", "b", "c"} <= tables
