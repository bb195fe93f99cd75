"""`claimwatch run`: the main job, then a summary of the ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.cli.common import DbOption, console, fail, print_highs, print_rows


def print_summary(db: str | None) -> None:
    from storage.db import reader
    from storage.summary import summarise

    with reader(db) as con:
        s = summarise(con)
    print_rows(["language", "documents"], s.documents_by_lang, title="Documents per language")
    print_rows(["category", "claims"], s.claims_by_category, title="Claims per category")
    print_highs(s.highs, "table", title="High of each metric")
    if s.failures:
        console.print(f"[yellow]{s.failures} input(s) failed; see: claimwatch sql \"select * from failures\"[/]")


def _feed_line(counts: dict) -> str:
    g = counts.get
    return (
        f"feeds: {g('polled', 0)} polled, {g('not_due', 0)} not due, {g('not_modified', 0)} not modified, "
        f"{g('feed_failures', 0)} failed; {g('new_entries', 0)} new entries, {g('pages_fetched', 0)} pages fetched, "
        f"{g('documents', 0)} stored, {g('already_stored', 0)} already stored, {g('refused', 0) + g('skipped', 0)} "
        f"refused or skipped, {g('page_failures', 0)} page failures"
    )


def _alerts_line(counts: dict) -> str:
    parts = [f"{k.replace('_', ' ')} {v}" for k, v in counts.items() if isinstance(v, int | float) and v]
    return "alerts: " + (", ".join(parts) if parts else "none due")


def register(app: typer.Typer) -> None:
    @app.command()
    def run(
        seeds: Annotated[
            list[Path] | None, typer.Option("--seeds", help="Seed folder to ingest (repeatable).")
        ] = None,
        feed: Annotated[
            list[str] | None, typer.Option("--feed", help="RSS/Atom feed URL to poll now (repeatable).")
        ] = None,
        config: Annotated[
            str | None,
            typer.Option("--config", envvar="CLAIMWATCH_CONFIG", help="claimwatch.toml (default ./claimwatch.toml)."),
        ] = None,
        allow_private: Annotated[
            bool, typer.Option("--allow-private", help="Also fetch private and loopback addresses.")
        ] = False,
        force: Annotated[
            bool | None,
            typer.Option("--force/--no-force", help="Poll feeds even if not due (default: only for --feed)."),
        ] = None,
        db: DbOption = None,
        progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    ) -> None:
        """Ingest the sources into the DuckDB file and print a summary.

        With --seeds/--feed, just those sources; otherwise the configured ones
        (claimwatch.toml: [[seeds]] and [[feeds]], plus feeds imported with
        `claimwatch feeds import`), by default the bundled seeds/.
        Without a Prefect server configured (PREFECT_API_URL unset), Prefect
        starts a temporary local server for the run (about 10 s).
        """
        from flows.config import ConfigError, load_config

        try:
            cfg = load_config(config)
        except ConfigError as exc:
            fail(str(exc))
        db = db or cfg.db
        adhoc = bool(seeds or feed)
        folders = list(seeds or []) if adhoc else list(cfg.seeds)
        for folder in folders:
            if not folder.is_dir():
                fail(f"seed folder not found: {folder}")
        for url in feed or []:
            if not url.strip().lower().startswith(("http://", "https://")):
                fail(f"--feed {url}: only http and https feed URLs are polled")

        from flows.prefect_env import configure

        configure()
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from flows import progress as hooks
        from flows.ingest import AllSourcesFailed
        from flows.pipeline import pipeline
        from storage.db import DatabaseBusy, RunLocked

        failed: list[str] = []
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, disable=not progress, transient=True,
        ) as bar:
            task_ids: dict[str, int] = {}

            def on_progress(stage: str, done: int, total: int) -> None:
                if stage not in task_ids:
                    task_ids[stage] = bar.add_task(stage, total=total)
                bar.update(task_ids[stage], completed=done, total=total)

            hooks.subscribe(on_progress)
            try:
                result = pipeline(
                    db=db, config_path=config,
                    seeds=[str(f) for f in folders] if adhoc else None,
                    feeds=[u.strip() for u in feed or []] if adhoc else None,
                    allow_private=True if allow_private else None, force=force,
                )
            except AllSourcesFailed as exc:
                result = None
                failed.append(str(exc))
            except (RunLocked, DatabaseBusy, ConfigError) as exc:
                fail(str(exc))
            finally:
                hooks.unsubscribe(on_progress)
        if result is not None:
            for folder, counts in result["seeds"].items():
                console.print(
                    f"{folder}: {counts['files']} files, {counts.get('documents', 0)} stored, "
                    f"{counts.get('unchanged', 0)} unchanged, {counts.get('mentions', 0)} claim mentions, "
                    f"{counts.get('failures', 0)} failed"
                )
            if result["feeds"] is not None:
                console.print(_feed_line(result["feeds"]))
            failed.extend(result["failed"])
            if result.get("alerts"):
                console.print(_alerts_line(result["alerts"]))
        print_summary(db)
        if failed:
            fail("; ".join(failed))
