"""Shared CLI plumbing: the --db option, one-line errors, output formats."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="CLAIMWATCH_DB", help="DuckDB file (default ./claimwatch.duckdb)."),
]

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> None:
    """Print a one-line error to stderr and exit non-zero (no traceback)."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _jsonable(v: Any) -> Any:
    if isinstance(v, datetime | date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{int(v):,}" if v.is_integer() else f"{v:,.3f}".rstrip("0")
    return str(v)


def print_rows(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fmt: str = "table",
    title: str | None = None,
) -> None:
    if fmt == "json":
        for r in rows:
            sys.stdout.write(json.dumps({c: _jsonable(v) for c, v in zip(columns, r, strict=False)}, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(columns)
        w.writerows([[_jsonable(v) for v in r] for r in rows])
    else:
        t = Table(title=title, show_lines=False)
        for c in columns:
            t.add_column(c, overflow="fold")
        for r in rows:
            t.add_row(*(_cell(v) for v in r))
        console.print(t)


_QUALIFIER_MARK = {"exact": "", "approx": "~ ", "at_least": "≥ ", "at_most": "≤ ", "range": ""}


def _source_label(source: str | None) -> str:
    """A title, or the file name of a file URI rather than its whole path."""
    if not source:
        return ""
    return source.rsplit("/", 1)[-1] if source.startswith("file://") else source


def print_highs(rows: Sequence[Sequence[Any]], fmt: str, title: str | None = None) -> None:
    """The highs of `storage.summary.HIGHS_SQL`: raw columns for csv/json, one compact line per metric for people."""
    from storage.summary import HIGHS_COLUMNS

    if fmt != "table":
        print_rows(HIGHS_COLUMNS, rows, fmt)
        return
    compact = []
    for category, direction, high, qualifier, status, claimant, published, source, _uri in rows:
        figure = _QUALIFIER_MARK.get(qualifier or "", "") + _cell(high)
        if status and status != "reported":
            figure += f" ({status})"
        compact.append((f"{category} {direction}", figure, claimant, published, _source_label(source)))
    cells = [[_cell(v) for v in r] for r in compact]
    headers = ("metric", "high", "claimant", "published", "first source")

    def natural(j: int, cap: int = 1000) -> int:
        return min(cap, max([len(headers[j]), *(len(row[j]) for row in cells)]))

    t = Table(title=title)
    t.add_column("metric", no_wrap=True, min_width=natural(0))
    t.add_column("high", no_wrap=True, justify="right", min_width=natural(1))
    t.add_column("claimant", no_wrap=True, overflow="ellipsis", min_width=natural(2, 18), max_width=18)
    t.add_column("published", no_wrap=True, min_width=natural(3))
    used = natural(0) + natural(1) + natural(2, 18) + natural(3) + 3 * 5 + 1  # cells plus padding and borders
    room = console.width - used - 6
    if room >= 16:  # a narrow terminal drops the source column (csv and json keep it)
        t.add_column("first source", no_wrap=True, overflow="ellipsis", max_width=room)
    for row in cells:
        t.add_row(*(row if room >= 16 else row[:4]))
    console.print(t)
