"""One document through the pure stages: clean, detect language, extract claims."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from extractors.claims import extract_claims
from extractors.clean import clean
from extractors.direction import DEFAULT_WATCHLIST
from extractors.language import detect_language
from extractors.language import warm_up as _warm_language
from extractors.models import Claim, Cleaned, Language

# bump when extraction results change: `claimwatch reprocess` re-extracts documents of older versions
EXTRACTOR_VERSION = "0.2.0"

_WS = re.compile(r"\s+")


def normalise_for_hash(text: str) -> str:
    """Case-folded, accent-stable, whitespace-collapsed text for content hashing."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise_for_hash(text).encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Processed:
    cleaned: Cleaned
    language: Language
    claims: list[Claim] = field(default_factory=list)
    content_hash: str = ""
    published: date | None = None


def warm_up() -> None:
    """Load what the first document would otherwise pay for: lexicons, language profiles, trafilatura."""
    import trafilatura  # noqa: F401

    from extractors.lexicon import available_languages, load_lexicon

    for lang in available_languages():
        load_lexicon(lang)
    _warm_language()


def kind_for_name(name: str) -> str:
    """File suffix to cleaner kind: .html/.htm are HTML, everything else text."""
    return "html" if name.lower().endswith((".html", ".htm", ".xhtml")) else "text"


def process(
    raw: str | bytes,
    *,
    kind: str = "auto",
    url: str | None = None,
    lang_hint: str | None = None,
    fallback_published: date | None = None,
    watchlist: tuple[tuple[str, str], ...] = DEFAULT_WATCHLIST,
) -> Processed:
    cleaned = clean(raw, kind=kind, url=url)
    language = detect_language(cleaned.text)
    if language.code == "unknown" and lang_hint:
        language = Language(lang_hint, 0.0)
    claims = extract_claims(cleaned.text, language.code, watchlist=watchlist) if cleaned.text else []
    return Processed(
        cleaned=cleaned,
        language=language,
        claims=claims,
        content_hash=content_hash(cleaned.text),
        published=cleaned.published or fallback_published,
    )
