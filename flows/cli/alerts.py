"""`claimwatch alerts`: the alerts with their delivery state per channel; `alerts test`; `alerts send`."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from flows.cli.common import DbOption, console, fail, print_rows

ConfigOption = Annotated[
    str | None,
    typer.Option("--config", help="claimwatch.toml with an [alerts] section (default $CLAIMWATCH_CONFIG, ./claimwatch.toml)."),
]
_CHANNEL_ORDER = {"console": 0, "slack": 1, "email": 2}


def _state(d: Any) -> str:
    """One delivery as a short cell: "delivered 2025-01-02 10:00", "pending x2 (next 10:05): HTTP 500"."""
    if d.status == "delivered":
        return f"delivered {d.delivered_at:%Y-%m-%d %H:%M}" if d.delivered_at else "delivered"
    if d.status in ("suppressed", "expired"):
        return d.status
    s = d.status
    if d.status == "sending":
        s = "sending (in doubt)"
    if d.attempts:
        s += f" x{d.attempts}"
    if d.status == "pending" and d.attempts and d.next_attempt_at:
        s += f" (next {d.next_attempt_at:%Y-%m-%d %H:%M})"
    if d.last_error:
        s += f": {d.last_error[:80]}"
    return s


def _load_config(config: str | None) -> Any:
    from flows.alerts_config import AlertsConfigError, load

    try:
        return load(config)
    except AlertsConfigError as exc:
        fail(str(exc))


def register(app: typer.Typer) -> None:
    alerts_app = typer.Typer(
        help="Alerts on new highs, their delivery per channel, and channel tests.", no_args_is_help=False
    )

    @alerts_app.callback(invoke_without_command=True)
    def alerts(
        ctx: typer.Context,
        db: DbOption = None,
        limit: Annotated[int, typer.Option(help="How many alerts, newest first.")] = 50,
        open_only: Annotated[bool, typer.Option("--open", help="Only alerts not yet delivered everywhere.")] = False,
        format: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
    ) -> None:
        """List alerts (newest first) with their delivery state per channel."""
        if ctx.invoked_subcommand:
            return
        if format not in ("table", "csv", "json"):
            fail(f"unknown format {format!r} (use table, csv or json)")
        from flows.notify.render import figure, headline, metric_words, number
        from storage.alerts import list_alerts
        from storage.db import DatabaseBusy, DatabaseMissing, reader

        try:
            with reader(db) as con:
                items = list_alerts(con, limit=limit, only_open=open_only)
        except (DatabaseMissing, DatabaseBusy) as exc:
            fail(str(exc))
        if format == "json":
            for a, ds in items:
                sys.stdout.write(json.dumps({
                    "id": a.id, "created_at": a.created_at.isoformat(), "kind": a.kind, "headline": headline(a),
                    "category": a.category, "supplier": a.supplier, "recipient": a.recipient, "value": a.value,
                    "qualifier": a.qualifier, "status": a.status, "previous_high": a.previous_high, "url": a.uri,
                    "deliveries": {
                        d.channel: {
                            "status": d.status, "attempts": d.attempts, "last_error": d.last_error,
                            "next_attempt_at": d.next_attempt_at.isoformat() if d.next_attempt_at else None,
                            "delivered_at": d.delivered_at.isoformat() if d.delivered_at else None,
                            "response": d.response,
                        }
                        for d in ds
                    },
                }, ensure_ascii=False) + "\n")
            return
        channels = sorted({d.channel for _, ds in items for d in ds}, key=lambda c: (_CHANNEL_ORDER.get(c, 9), c))
        rows = []
        for a, ds in items:
            by = {d.channel: d for d in ds}
            new = figure(a.value, a.qualifier, a.low) + (" (planned)" if a.status == "planned" else "")
            prev = "new metric" if a.previous_high is None else number(a.previous_high)
            rows.append([
                f"{a.created_at:%Y-%m-%d %H:%M}", a.id, metric_words(a.category, a.supplier, a.recipient), new, prev,
                *(_state(by[c]) if c in by else "not seen yet" for c in channels),
            ])
        if not rows:
            console.print("no alerts yet")
            return
        print_rows(["created (UTC)", "id", "metric", "new", "previous", *channels], rows, format, title="Alerts")

    @alerts_app.command("test")
    def test(config: ConfigOption = None) -> None:
        """Send a test message to each configured channel and show what each answered."""
        from flows.alerts import send_test

        cfg = _load_config(config)
        results = send_test(cfg)
        print_rows(["channel", "result", "answer"], [[c, "ok" if ok else "FAILED", ans] for c, ok, ans in results])
        if not all(ok for _, ok, _ in results):
            raise typer.Exit(1)

    @alerts_app.command("send")
    def send(
        db: DbOption = None,
        config: ConfigOption = None,
        prefect: Annotated[bool, typer.Option(help="Run as the Prefect flow send_alerts (else a plain loop).")] = True,
    ) -> None:
        """Deliver pending alerts now (what the scheduled send_alerts flow does)."""
        _load_config(config)
        if prefect:
            from flows.prefect_env import configure

            configure()
            from flows.alerts import send_alerts

            result = send_alerts(db, config)
        else:
            from flows.alerts import send_all

            result = send_all(db, config)
        if "skipped" in result:
            console.print(f"skipped: {result['skipped']}")
            return
        rows = [[ch, r["due"], r["delivered"], r["failed"], r["in_doubt"]] for ch, r in result.items() if ch != "prepared"]
        print_rows(["channel", "due", "delivered", "failed", "resent in doubt"], rows)

    app.add_typer(alerts_app, name="alerts")
