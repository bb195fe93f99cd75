"""`claimwatch report`: a self-contained HTML report (timelines, disagreements, alerts, sources)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

from flows.cli.common import DbOption, console, fail


def _parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        try:
            return datetime.strptime(text.strip(), "%Y-%m").date()
        except ValueError:
            fail(f"bad --since {text!r}: use YYYY-MM-DD or YYYY-MM")
    return None


def register(app: typer.Typer) -> None:
    @app.command()
    def report(
        out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path("report.html"),
        since: Annotated[
            str | None, typer.Option("--since", help="Only claims published on or after this date (YYYY-MM-DD).")
        ] = None,
        metric: Annotated[
            list[str] | None,
            typer.Option(
                "--metric", "-m",
                help="Only this metric (repeatable): CATEGORY or CATEGORY:SUPPLIER-RECIPIENT, e.g. troops:KP-RU.",
            ),
        ] = None,
        db: DbOption = None,
        wait: Annotated[float, typer.Option(help="Seconds to wait for a running writer.")] = 30.0,
    ) -> None:
        """Write one self-contained HTML report: a timeline per metric with its running high, the
        disagreements, the latest alerts and a sources panel. Opens offline; loads nothing."""
        since_d = _parse_date(since)
        from flows.report import write_report
        from storage.db import DatabaseBusy, DatabaseMissing
        from storage.report_queries import MetricFilter

        metrics = metric or []
        for m in metrics:
            try:
                MetricFilter.parse(m)
            except ValueError as exc:
                fail(str(exc))
        try:
            r = write_report(db, out, since_d, metrics, wait_s=wait)
        except (DatabaseMissing, DatabaseBusy) as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"cannot write {out}: {exc.strerror or exc}")
        alerts = "no alerts table" if r.alerts is None else f"{r.alerts} alert(s)"
        console.print(
            f"wrote {r.path} ({r.bytes / 1024:.0f} KiB): {r.metrics} metric(s), {r.points} statement(s), "
            f"{r.disagreements} disputed metric-month(s), {alerts}",
            highlight=False, soft_wrap=True,
        )
        if r.metrics == 0:
            console.print("[yellow]no claims match: the report has no timelines[/]")
