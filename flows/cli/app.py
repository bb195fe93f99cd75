"""The `claimwatch` command: one Typer app, one module per command group."""

from __future__ import annotations

import typer

from flows.cli import alerts as alerts_cli
from flows.cli import extract, query, report, run, score
from flows.cli import feeds as feeds_cli
from flows.cli import ledger as ledger_cli

app = typer.Typer(
    name="claimwatch",
    help="Numeric claims from sanctions-monitoring news, into DuckDB, with alerts on new highs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

run.register(app)
extract.register(app)
score.register(app)
query.register(app)
feeds_cli.register(app)
report.register(app)
alerts_cli.register(app)
ledger_cli.register(app)
