"""Turn a raw page or text file into a `Cleaned` document.

HTML goes through trafilatura (main text without comments, plus title,
author, site name, date) and then the line cleaner; if trafilatura finds
nothing, the page's visible text goes through the line cleaner instead.

Publication date of a page, most reliable first: trafilatura's date from
metadata (meta tags, JSON-LD, <time>, URL; its free-text search is off), then
a date line or "Published/Publié le..." line in the text (extractors.dates),
then htmldate's extensive free-text guess (not a bare year).
Plain text and markdown go through the line cleaner only (markup stripped).
Pure function: no I/O, never raises on bad input.
"""

from __future__ import annotations

from extractors.htmlclean import (
    canonical_url,
    decode,
    guessed_page_date,
    looks_like_html,
    parse_iso_date,
    trafilatura_extract,
    visible_text,
)
from extractors.models import Cleaned
from extractors.textclean import clean_text

KINDS = ("auto", "html", "text")


def clean(raw: str | bytes, kind: str = "auto", url: str | None = None) -> Cleaned:
    """Clean HTML (kind="html") or plain text/markdown (kind="text"); "auto" sniffs.

    `raw` may be bytes in any encoding (BOM, `<meta charset>`, or guessed).
    `url` resolves a relative canonical link and helps trafilatura's metadata.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    text = decode(raw, html=kind != "text") if isinstance(raw, bytes) else raw.lstrip("\ufeff")
    if kind == "auto":
        kind = "html" if looks_like_html(text) else "text"
    if kind == "text":
        result = clean_text(text)
        return Cleaned(
            text=result.text,
            title=result.title,
            author=result.author,
            published=result.published,
            kind="text",
        )
    return _clean_html(text, url)


def _clean_html(html: str, url: str | None) -> Cleaned:
    canonical = canonical_url(html, url)
    extracted = trafilatura_extract(html, url)
    if extracted is None:
        body, page_title = visible_text(html)
        result = clean_text(body, markdown=False, extracted=True, title=page_title)
        return Cleaned(
            text=result.text,
            title=page_title,
            author=result.author,
            published=result.published,
            canonical_url=canonical,
            kind="html",
        )
    result = clean_text(
        extracted.text,
        markdown=False,
        extracted=True,
        title=extracted.title,
        author=extracted.author,
    )
    return Cleaned(
        text=result.text,
        title=extracted.title,
        author=extracted.author or result.author,
        sitename=extracted.sitename,
        published=parse_iso_date(extracted.date) or result.published or guessed_page_date(html),
        canonical_url=canonical,
        kind="html",
    )
