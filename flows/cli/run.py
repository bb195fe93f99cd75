"""`claimwatch run`: the main job, then a summary of the ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.cli.common import DbOption, console, fail, print_rows


def default_seeds_dir() -> Path:
    """./seeds when it exists, else the seeds bundled beside the package."""
    local = Path("seeds")
    return local if local.is_dir() else Path(__file__).resolve().parents[2] / "seeds"


def print_summary(db: str | None) -> None:
    from storage.db import reader
    from storage.summary import summarise

    with reader(db) as con:
        s = summarise(con)
    print_rows(["language", "documents"], s.documents_by_lang, title="Documents per language")
    print_rows(["category", "claims"], s.claims_by_category, title="Claims per category")
    print_rows(
        ["category", "direction", "high", "qualifier", "first source", "claimant"], s.highs, title="High of each metric"
    )
    if s.failures:
        console.print(f"[yellow]{s.failures} input(s) failed; see: claimwatch sql \"select * from failures\"[/]")


def register(app: typer.Typer) -> None:
    @app.command()
    def run(
        seeds: Annotated[
            list[Path] | None, typer.Option("--seeds", help="Seed folder to ingest (repeatable).")
        ] = None,
        db: DbOption = None,
        progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    ) -> None:
        """Ingest the sources into the DuckDB file and print a summary.

        Without a Prefect server configured (PREFECT_API_URL unset), Prefect
        starts a temporary local server for the run (about 10 s).
        """
        from flows.prefect_env import configure

        configure()
        folders = seeds or [default_seeds_dir()]
        for folder in folders:
            if not folder.is_dir():
                fail(f"seed folder not found: {folder}")
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from flows import progress as hooks
        from flows.ingest import AllSourcesFailed, ingest_seeds
        from storage.db import RunLocked

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
                for folder in folders:
                    counts = ingest_seeds(str(folder), db)
                    console.print(
                        f"{folder}: {counts['files']} files, {counts.get('documents', 0)} stored, "
                        f"{counts.get('unchanged', 0)} unchanged, {counts.get('mentions', 0)} claim mentions, "
                        f"{counts.get('failures', 0)} failed"
                    )
            except RunLocked as exc:
                fail(str(exc))
            except AllSourcesFailed as exc:
                fail(str(exc))
            finally:
                hooks.unsubscribe(on_progress)
        print_summary(db)
