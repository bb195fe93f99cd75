"""Raw input to a storage record: the pure pipeline plus identity and timestamps."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from extractors.pipeline import EXTRACTOR_VERSION, kind_for_name, process
from storage.ids import document_id
from storage.records import DocumentRecord


def raw_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _as_datetime(d: date | datetime | None) -> datetime | None:
    if d is None or isinstance(d, datetime):
        return d
    return datetime(d.year, d.month, d.day)


def build_record(
    raw: bytes,
    *,
    identity: str,
    source_id: str | None,
    kind: str | None = None,
    name: str = "",
    url: str | None = None,
    guid: str | None = None,
    lang_hint: str | None = None,
    fallback_published: date | datetime | None = None,
    raw_ref: str | None = None,
) -> DocumentRecord:
    """Clean, detect and extract one document into a `DocumentRecord`."""
    fb = fallback_published.date() if isinstance(fallback_published, datetime) else fallback_published
    p = process(raw, kind=kind or kind_for_name(name), url=url, lang_hint=lang_hint, fallback_published=fb)
    return DocumentRecord(
        id=document_id(identity),
        uri=identity,
        source_id=source_id,
        fetched_at=datetime.now(UTC),
        raw_hash=raw_hash(raw),
        raw_ref=raw_ref,
        guid=guid,
        title=p.cleaned.title,
        author=p.cleaned.author,
        sitename=p.cleaned.sitename,
        published_at=_as_datetime(p.published),
        lang=p.language.code,
        lang_prob=p.language.probability,
        content_hash=p.content_hash,
        text=p.cleaned.text,
        extractor_version=EXTRACTOR_VERSION,
        claims=p.claims,
    )
