"""Reading seed folders: the file-system adapter for `ingest_seeds`."""

from __future__ import annotations

from pathlib import Path

SEED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml")


def list_seed_files(folder: str | Path) -> list[Path]:
    """Every seed file under `folder` (recursively), in a stable order."""
    root = Path(folder)
    if not root.is_dir():
        raise NotADirectoryError(f"seed folder not found: {root}")
    return sorted(
        p for p in root.rglob("*") if (p.is_file() or p.is_symlink()) and p.suffix.lower() in SEED_SUFFIXES
    )


def seed_source_id(folder: str | Path) -> str:
    return f"seeds:{Path(folder).resolve()}"
