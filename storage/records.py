"""What the flows hand to storage: one processed document with its claims."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from extractors.models import Claim


@dataclass(slots=True)
class DocumentRecord:
    id: str
    uri: str
    source_id: str | None
    fetched_at: datetime
    raw_hash: str
    raw_ref: str | None = None
    guid: str | None = None
    title: str | None = None
    author: str | None = None
    sitename: str | None = None
    published_at: datetime | None = None
    lang: str | None = None
    lang_prob: float | None = None
    content_hash: str | None = None
    text: str | None = None
    extractor_version: str | None = None
    error: str | None = None
    claims: list[Claim] = field(default_factory=list)


@dataclass(slots=True)
class Failure:
    uri: str
    stage: str
    reason: str
    source_id: str | None = None
