"""`claimwatch score`: predictions (JSON Lines from `extract`) against a gold file."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Annotated, Any

import typer

from flows.cli.common import console, fail


def register(app: typer.Typer) -> None:
    @app.command()
    def score(
        gold: Annotated[Path, typer.Argument(help="Gold JSON Lines: one {\"doc\", \"claims\"} per document.")],
        predictions: Annotated[Path, typer.Argument(help="Predicted claims, one JSON object per line (from extract).")],
        verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List misses and spurious claims.")] = False,
    ) -> None:
        """Precision, recall and F1 over distinct (document, category, value), plus direction and qualifier agreement."""
        from extractors.scoring import parse_gold
        from extractors.scoring import score as score_claims

        try:
            gold_docs = parse_gold(gold.read_text(encoding="utf-8").splitlines())
            preds: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for n, line in enumerate(predictions.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    p = json.loads(line)
                    preds[str(p["doc"]).replace("\\", "/").rsplit("/", 1)[-1]].append(p)
                except (ValueError, KeyError, TypeError) as exc:
                    fail(f"{predictions}:{n}: not a prediction ({exc})")
        except OSError as exc:
            fail(f"{exc.filename}: {exc.strerror}")
        except (ValueError, KeyError) as exc:
            fail(f"{gold}: not a gold file ({exc})")
        result = score_claims(gold_docs, preds)
        if verbose:
            for line in result.misses:
                console.print(line, highlight=False, markup=False)
        print(result.summary())
