"""`claimwatch export` and `claimwatch reprocess`: the ledger out to files, and re-derived after an upgrade."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.cli.common import DbOption, console, fail, print_rows


def register(app: typer.Typer) -> None:
    @app.command()
    def export(
        out_dir: Annotated[Path, typer.Argument(help="Folder to write one file per table and view into.")],
        db: DbOption = None,
        format: Annotated[str, typer.Option("--format", "-f", help="parquet or csv.")] = "parquet",
        wait: Annotated[float, typer.Option(help="Seconds to wait for a running writer.")] = 30.0,
    ) -> None:
        """Write every table and view of the ledger to OUT_DIR as Parquet or CSV files."""
        from storage.db import DatabaseBusy, DatabaseMissing, reader
        from storage.export import FORMATS
        from storage.export import export as do_export

        if format not in FORMATS:
            fail(f"unknown format {format!r} (use parquet or csv)")
        try:
            with reader(db, wait_s=wait) as con:
                written = do_export(con, out_dir, format)
        except (DatabaseMissing, DatabaseBusy) as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"cannot write to {out_dir}: {exc.strerror or exc}")
        print_rows(["relation", "rows", "file"], [(n, rows, str(p)) for n, p, rows in written])

    @app.command()
    def reprocess(
        db: DbOption = None,
        all_documents: Annotated[
            bool, typer.Option("--all", help="Re-extract every document, not only those of an older extractor.")
        ] = False,
        batch_size: Annotated[int, typer.Option(help="Documents per transaction.", min=1)] = 100,
    ) -> None:
        """Re-extract stored documents after an extractor upgrade; no alerts fire for known figures.

        Without a Prefect server configured (PREFECT_API_URL unset), Prefect
        starts a temporary local server for the run (about 10 s).
        """
        from storage.db import db_path

        if not db_path(db).exists():
            fail(f"no database at {db_path(db)} (run `claimwatch run` first, or pass --db)")
        from flows.prefect_env import configure

        configure()
        from flows.reprocess import reprocess as reprocess_flow
        from storage.db import RunLocked

        try:
            counts = reprocess_flow(db=db, batch_size=batch_size, everything=all_documents)
        except RunLocked as exc:
            fail(str(exc))
        console.print(
            f"reprocessed {counts.get('documents', 0)} of {counts.get('selected', 0)} selected documents "
            f"(extractor {counts['version']}) in {counts.get('batches', 0)} batches: "
            f"{counts.get('mentions', 0)} mentions, {counts.get('duplicates', 0)} duplicates, "
            f"{counts.get('claims_touched', 0)} claims recomputed"
        )
