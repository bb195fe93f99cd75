"""Feed bytes to entries: RSS 0.9x/1.0/2.0 and Atom through feedparser. Pure, no I/O.

Before feedparser sees them, the bytes are normalised so that real-world
feeds parse: the encoding is settled here (BOM, HTTP charset, XML
declaration, else detection that prefers windows-1252 among equally good
single-byte guesses) and the document is handed over as UTF-8; internal DTD
subsets (entity bombs, external entities) are removed. When the strict parse
recovers no entry, a repaired copy (HTML named entities as character
references, bare `&` escaped outside CDATA) is tried as well.

A feed that still yields entries despite errors is kept, with its bozo
reason; one that yields none gets a clear `error`.
"""

from __future__ import annotations

import calendar
import html.entities
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from extractors.htmlclean import BOMS, codec_for
from extractors.identity import canonical_url, entry_id
from extractors.models import Entry

_XML_DECL = re.compile(r"^\s*<\?xml\b[^>]*?\?>", re.I)
_XML_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.I | re.S)
_DOCTYPE_EXTERNAL = re.compile(r"<!DOCTYPE\s+[^\[>]*\b(?:SYSTEM|PUBLIC)\b[^\[>]*>", re.I)
_CDATA = re.compile(r"(<!\[CDATA\[.*?\]\]>)", re.S)
_NAMED_REF = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_BARE_AMP = re.compile(r"&(?!#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9._-]*;)")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_HTML_ROOT = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_SINGLE_BYTE_WEST = ("cp1252", "latin_1", "iso8859_15", "windows-1252", "iso-8859-1")
# Browsers (WHATWG Encoding) read these labels as the wider code page.


@dataclass(slots=True)
class ParsedFeed:
    url: str
    title: str | None = None
    language: str | None = None
    version: str | None = None
    entries: list[Entry] = field(default_factory=list)
    bozo: str | None = None  # why the feed was not well-formed, when it still parsed
    error: str | None = None  # why the feed yields nothing
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)
    skipped_entries: int = 0  # entries without id, link or title (e.g. illegally nested empty items)

    @property
    def ok(self) -> bool:
        return self.error is None


def _detect(raw: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes

        results = list(from_bytes(raw))
    except Exception:  # a detector failure must not lose the feed
        return None
    if not results:
        return None
    best = results[0]
    close = [m for m in results if m.chaos <= best.chaos + 0.01]
    for m in close:  # equally plausible single-byte guesses: the web's most common one wins
        if m.encoding.lower() in _SINGLE_BYTE_WEST:
            return "cp1252"
    return best.encoding


def decode_feed(raw: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(text, encoding): BOM, valid UTF-8, HTTP charset, XML declaration, detection, then cp1252."""
    for bom, enc in BOMS:
        if raw.startswith(bom):
            return raw[len(bom):].decode(enc, "replace"), enc
    if raw[:2] in (b"<\x00", b"\x00<"):  # UTF-16 without BOM
        enc = "utf-16-le" if raw[:2] == b"<\x00" else "utf-16-be"
        return raw.decode(enc, "replace"), enc
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared: list[str] = []
    if content_type and (m := _CHARSET.search(content_type)):
        declared.append(m.group(1))
    if m2 := _XML_DECL_ENCODING.search(raw[:1024]):
        declared.append(m2.group(1).decode("ascii", "ignore"))
    for label in declared:
        enc = codec_for(label)
        if enc and not enc.startswith(("utf-8", "utf-16", "utf-32")):
            try:
                return raw.decode(enc), enc
            except UnicodeDecodeError:
                continue
    enc = _detect(raw)
    if enc:
        try:
            return raw.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            pass
    return raw.decode("cp1252", "replace"), "cp1252"


def _strip_dtd(text: str, notes: list[str]) -> str:
    if _DOCTYPE_SUBSET.search(text):
        notes.append("internal DTD removed (entity declarations are not expanded)")
        text = _DOCTYPE_SUBSET.sub("", text, count=1)
    elif _DOCTYPE_EXTERNAL.search(text) and "<!DOCTYPE html" not in text[:200].lower():
        text = _DOCTYPE_EXTERNAL.sub("", text, count=1)
    return text


def _repair(text: str) -> str:
    """HTML named entities to character references and bare `&` escaped, outside CDATA sections."""

    def fix(chunk: str) -> str:
        def named(m: re.Match[str]) -> str:
            name = m.group(1)
            if name in _XML_ENTITIES:
                return m.group(0)
            cp = html.entities.name2codepoint.get(name)
            return f"&#{cp};" if cp is not None else f"&amp;{name};"

        return _BARE_AMP.sub("&amp;", _NAMED_REF.sub(named, chunk))

    parts = _CDATA.split(text)
    return "".join(p if p.startswith("<![CDATA[") else fix(p) for p in parts)


def _prepare(text: str) -> bytes:
    text = _XML_DECL.sub("", text, count=1).lstrip("\ufeff")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + text.lstrip()).encode("utf-8", "replace")


def _as_datetime(parsed: Any) -> datetime | None:
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _entries(d: Any, feed_url: str, base: str) -> tuple[list[Entry], int]:
    out: list[Entry] = []
    skipped = 0
    for e in d.entries:
        guid = _text(e.get("id"))
        raw_link = _text(e.get("link"))
        if not raw_link:
            for lk in e.get("links") or []:
                if lk.get("rel", "alternate") == "alternate" and lk.get("href"):
                    raw_link = _text(lk.get("href"))
                    break
        if raw_link and raw_link == guid and e.get("guidislink") and not canonical_url(raw_link):
            raw_link = None  # feedparser copies a guid into link; an opaque guid ("urn:...", "123") is no link
        link = None
        if raw_link:
            try:
                from urllib.parse import urljoin

                link = urljoin(base, raw_link)
            except ValueError:
                link = raw_link
        if not link and guid and e.get("guidislink") is not False and canonical_url(guid):
            link = guid  # an RSS guid that is a permalink
        title = _text(e.get("title"))
        published = _as_datetime(e.get("published_parsed") or e.get("updated_parsed") or e.get("created_parsed"))
        summary = e.get("summary") or None
        eid = entry_id(guid, link, title, published, summary)
        if not eid:
            skipped += 1
            continue
        extra: dict[str, Any] = {}
        if e.get("language"):
            extra["lang"] = e.get("language")
        if e.get("dc_language"):
            extra["lang"] = e.get("dc_language")
        if e.get("author"):
            extra["author"] = _text(e.get("author"))
        out.append(
            Entry(
                feed_url=feed_url, entry_id=eid, link=link, title=title, published=published,
                summary=summary, extra=extra,
            )
        )
    return out, skipped


def _run_feedparser(data: bytes, base: str) -> Any:
    import feedparser

    return feedparser.parse(
        data,
        response_headers={"content-type": "application/xml; charset=utf-8"},
        sanitize_html=False,
        resolve_relative_uris=True,
    )


def _bozo_reason(d: Any) -> str | None:
    if not d.get("bozo"):
        return None
    exc = d.get("bozo_exception")
    return f"{type(exc).__name__}: {exc}" if exc is not None else "not well-formed"


def parse_feed(raw: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse feed bytes fetched from `url`. Never raises on bad input."""
    result = ParsedFeed(url=url)
    if not raw or not raw.strip():
        result.error = "empty response body (no feed)"
        return result
    text, result.encoding = decode_feed(raw, content_type)
    ctype = (content_type or "").split(";")[0].strip().lower()
    head = text[:4000]
    has_feed_root = any(tag in head for tag in ("<rss", "<feed", "<rdf:RDF", "<RDF"))
    if not has_feed_root and (_HTML_ROOT.match(text) or ctype in ("text/html", "application/xhtml+xml")):
        result.error = f"not a feed: an HTML page was served (content-type {ctype or 'unknown'})"
        return result
    text = _strip_dtd(text, result.notes)
    try:
        d = _run_feedparser(_prepare(text), url)
        entries, skipped = _entries(d, url, url)
        if not entries:
            repaired = _repair(text)
            if repaired != text:
                d2 = _run_feedparser(_prepare(repaired), url)
                entries2, skipped2 = _entries(d2, url, url)
                if entries2 or (d.get("bozo") and not d2.get("bozo")):
                    result.notes.append("repaired undefined entities / bare ampersands")
                    d, entries, skipped = d2, entries2, skipped2
    except Exception as exc:  # feedparser or sgmllib on hostile input: a reason, not a crash
        result.error = f"feed parser failed: {type(exc).__name__}: {exc}"
        return result
    feed = d.get("feed", {})
    result.title = _text(feed.get("title"))
    result.language = _text(feed.get("language"))
    result.version = d.get("version") or None
    result.entries = entries
    result.skipped_entries = skipped
    result.bozo = _bozo_reason(d)
    if not entries:
        if not result.version:
            result.error = f"not a feed: {result.bozo or 'no RSS or Atom root element'}"
        elif result.bozo and "CharacterEncoding" not in result.bozo:
            result.error = f"feed yielded no entries: {result.bozo}"
        elif skipped:
            result.error = f"feed yielded no usable entries ({skipped} without guid, link, title, date or text)"
        else:
            result.error = "feed yielded no entries (empty channel)"
    return result
