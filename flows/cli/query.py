"""`claimwatch sql` and `claimwatch highs`: read-only queries that wait out a running writer."""

from __future__ import annotations

from typing import Annotated

import duckdb
import typer

from flows.cli.common import DbOption, fail, print_highs, print_rows

FormatOption = Annotated[str, typer.Option("--format", "-f", help="table, csv or json (one object per line).")]


def _check_format(fmt: str) -> None:
    if fmt not in ("table", "csv", "json"):
        fail(f"unknown format {fmt!r} (use table, csv or json)")


def register(app: typer.Typer) -> None:
    @app.command()
    def sql(
        query: Annotated[str, typer.Argument(help="SQL to run against the ledger (read-only).")],
        db: DbOption = None,
        format: FormatOption = "table",
        wait: Annotated[float, typer.Option(help="Seconds to wait for a running writer.")] = 30.0,
    ) -> None:
        """Run an ad hoc, read-only SQL query."""
        _check_format(format)
        from storage.db import DatabaseBusy, DatabaseMissing, reader

        try:
            with reader(db, wait_s=wait) as con:
                cur = con.execute(query)
                columns = [d[0] for d in cur.description] if cur.description else []
                rows = cur.fetchall() if columns else []
        except (DatabaseMissing, DatabaseBusy) as exc:
            fail(str(exc))
        except duckdb.Error as exc:
            fail(str(exc).splitlines()[0])
        print_rows(columns, rows, format)

    @app.command()
    def highs(
        db: DbOption = None,
        format: FormatOption = "table",
        wait: Annotated[float, typer.Option(help="Seconds to wait for a running writer.")] = 30.0,
    ) -> None:
        """The high of each metric (category, supplier, recipient) with its first source."""
        _check_format(format)
        from storage.db import DatabaseBusy, DatabaseMissing, reader
        from storage.summary import HIGHS_SQL

        try:
            with reader(db, wait_s=wait) as con:
                rows = con.execute(HIGHS_SQL).fetchall()
        except (DatabaseMissing, DatabaseBusy) as exc:
            fail(str(exc))
        print_highs(rows, format)
