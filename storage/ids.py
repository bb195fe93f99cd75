"""Stable identifiers: the same input always gets the same key, so writes are upserts."""

from __future__ import annotations

import hashlib


def _h(*parts: object) -> str:
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:20]


def norm_value(value: float) -> str:
    """14000.0 -> "14000", 1.5 -> "1.5": one spelling per number."""
    f = float(value)
    return str(int(f)) if f.is_integer() else repr(round(f, 6))


def claim_id(category: str, supplier: str | None, recipient: str | None, value: float) -> str:
    """The spec's dedup key: category, supplier, recipient and value."""
    return _h("claim", category, supplier, recipient, norm_value(value))


def mention_id(document_id: str, start: int, end: int, category: str) -> str:
    return _h("mention", document_id, start, end, category)


def document_id(identity: str) -> str:
    """Documents are keyed by their canonical identity (canonical URL or file URI)."""
    return _h("document", identity)


def failure_id(run_id: str | None, uri: str, stage: str) -> str:
    return _h("failure", run_id, uri, stage)
