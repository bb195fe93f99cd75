"""`claimwatch extract`: claims of files, without a database and without Prefect."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from flows.cli.common import fail, print_rows


def register(app: typer.Typer) -> None:
    @app.command()
    def extract(
        files: Annotated[list[Path], typer.Argument(help=".txt, .md or .html files.")],
        format: Annotated[str, typer.Option("--format", "-f", help="jsonl or table.")] = "jsonl",
        watch: Annotated[
            list[str] | None,
            typer.Option("--watch", "-w", help="Also watch this pair, e.g. BY->RU (repeatable; default KP<->RU, IR->RU)."),
        ] = None,
    ) -> None:
        """Print the claims of each file: one JSON object per claim, with `doc` and every spec field."""
        if format not in ("jsonl", "table"):
            fail(f"unknown format {format!r} (use jsonl or table)")
        from extractors.direction import DEFAULT_WATCHLIST, parse_pairs
        from extractors.pipeline import kind_for_name, process

        try:
            watchlist = tuple(dict.fromkeys(DEFAULT_WATCHLIST + parse_pairs(watch or [])))
        except ValueError as exc:
            fail(f"--watch {exc}")

        rows = []
        failed = 0
        for path in files:
            try:
                raw = path.read_bytes()
            except OSError as exc:
                print(f"error: {path}: {exc.strerror or exc}", file=sys.stderr)
                failed += 1
                continue
            p = process(raw, kind=kind_for_name(path.name), watchlist=watchlist)
            for c in p.claims:
                d = {"doc": str(path), **c.to_dict(), "published": p.published.isoformat() if p.published else None}
                if format == "jsonl":
                    sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
                else:
                    rows.append(d)
        if format == "table":
            cols = ["doc", "category", "value", "qualifier", "supplier", "recipient", "status", "attribution", "period"]
            print_rows(cols, [[r[c] for c in cols] for r in rows])
        if failed == len(files):
            raise typer.Exit(1)
