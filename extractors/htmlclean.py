"""HTML side of cleaning: byte decoding, sniffing, trafilatura extraction and its fallback."""

from __future__ import annotations

import codecs
import html as htmllib
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urljoin

import lxml.html
from lxml import etree

log = logging.getLogger(__name__)

BOMS = (  # longest first: UTF-32 LE starts like UTF-16 LE
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.-]+)""", re.I)
# Browsers (WHATWG Encoding) read these labels as the wider code page.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
}
_HTML_START = re.compile(
    r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|\?xml|title|div|article|p)\b", re.I | re.S
)
_HTML_SKELETON = re.compile(r"<(?:html|head|body)\b", re.I)
_HTML_TAG = re.compile(r"</?(?:p|div|br|span|a|li|ul|h[1-6]|table|section|article|img)\b[^>]*>", re.I)
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.I)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


def codec_for(label: str | None) -> str | None:
    """A charset label as Python's codec name, read the way browsers read it; None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_encoding(raw: bytes) -> str | None:
    """Charset from `<meta charset>`, `<meta http-equiv content="...; charset=...">` or `<?xml encoding>`."""
    head = raw[:4096]
    m = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return codec_for(m.group(1).decode("ascii", "ignore")) if m else None


def decode(raw: bytes, *, html: bool = True) -> str:
    """Bytes to text: BOM, then UTF-8 if valid, then the declared charset, then a guess.

    Valid UTF-8 wins over a declaration because pages that declare a legacy
    charset but send UTF-8 are common, while legacy bytes that happen to be
    valid UTF-8 are rare. The guess (charset_normalizer) handles undeclared
    legacy encodings (windows-1252, KOI8-R, Shift_JIS...); cp1252 with
    replacement characters is the last resort, so this never raises.
    """
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(encoding, "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if html and (declared := declared_encoding(raw)) and "utf-8" not in declared and "utf-16" not in declared:
        try:
            return raw.decode(declared)
        except UnicodeDecodeError:
            log.debug("declared charset %s does not fit the bytes", declared)
    try:
        guessed = _guess(raw)
    except Exception:  # a detector failure must not lose the document
        log.debug("charset detection failed", exc_info=True)
        guessed = None
    return guessed if guessed is not None else raw.decode("cp1252", "replace")


_LATIN_SINGLE_BYTE = re.compile(
    r"cp125[02478]|iso8859_(?:[1-4]|9|1[03-6])|latin_1|mac_(?:latin2|roman|iceland)|cp(?:437|775|85[028])|hp_roman8"
)
_IN_WORD = re.compile(r"(?<=[^\W\d_])[^\x00-\x7f](?=[^\W\d_])")


def _plausible_cp1252(raw: bytes) -> str | None:
    """`raw` as cp1252 if that reads as Latin text (no symbol inside a word, as in "Za¿ó³æ")."""
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if all(ch.isalpha() or ch in "’‘·" for ch in _IN_WORD.findall(text)):
        return text
    return None


def _guess(raw: bytes) -> str | None:
    """charset_normalizer's guess, biased to windows-1252 (the usual undeclared legacy charset).

    Ties between Latin code pages go to cp1252; on short text, where the
    detector has no language evidence (coherence near 0) and picks e.g. cp1257
    for French, cp1252 is used if it reads as plausible Latin text.
    """
    from charset_normalizer import from_bytes

    matches = from_bytes(raw)
    best = matches.best()
    if best is None or not best.encoding:
        return None
    if best.encoding != "cp1252" and _LATIN_SINGLE_BYTE.fullmatch(best.encoding):
        for m in matches:
            if m.encoding == "cp1252" and m.chaos <= best.chaos and m.coherence >= best.coherence:
                return str(m)
        if best.coherence < 0.2 and (text := _plausible_cp1252(raw)) is not None:
            return text
    return str(best)


def looks_like_html(text: str) -> bool:
    """True for an HTML document or fragment; markdown with a stray `<br>` stays text."""
    head = text[:20000]
    return bool(
        _HTML_START.match(head) or _HTML_SKELETON.search(head[:5000]) or len(_HTML_TAG.findall(head)) >= 5
    )


def canonical_url(html: str, base_url: str | None = None) -> str | None:
    """The href of `<link rel="canonical">`, resolved against `base_url`; None if not absolute."""
    for tag in _LINK_TAG.findall(html):
        attrs = {k.lower(): next(v for v in vals if v is not None) for k, *vals in _ATTR.findall(tag)}
        if "canonical" in attrs.get("rel", "").lower().split() and attrs.get("href", "").strip():
            href = htmllib.unescape(attrs["href"].strip())
            if base_url:
                href = urljoin(base_url, href)
            return href if re.match(r"https?://", href, re.I) else None
    return None


@dataclass(frozen=True, slots=True)
class Extracted:
    text: str
    title: str | None = None
    author: str | None = None
    sitename: str | None = None
    date: str | None = None


# class or id words of reader-comment sections in the six languages ("comments", "acomments",
# "kommentare", "commenti", "comentarios", "comentários", "commentaires", "disqus_thread")
_COMMENT_ATTR = re.compile(
    r"""\b(?:class|id)\s*=\s*["'][^"']*(?:comment|kommentar|coment|disqus|leserbrief)""", re.I
)
_COMMENT_XPATH = (
    "//*[self::div or self::section or self::ul or self::ol or self::aside]"
    "[re:test(concat(' ', @class, ' ', @id), '(comment|kommentar|coment|disqus|leserbrief)', 'i')]"
)
_RE_NS = {"re": "http://exslt.org/regular-expressions"}


def drop_comment_sections(html: str) -> str:
    """`html` without reader-comment blocks (`<div class="comments">`, `id="kommentare"`, ...).

    trafilatura only recognises some class names; a comment ("un migliaio è poco, ne sono
    morti 5.000") must never reach the extractor. The page is parsed only when some class or
    id names comments at all.
    """
    if not _COMMENT_ATTR.search(html):
        return html
    try:
        root = lxml.html.document_fromstring(_XML_DECL.sub("", html))
    except (etree.ParserError, ValueError):
        return html
    total = len(root.text_content())
    # a wrapper ("<div class='post has-comments'>", "commentary") holds the article itself
    found = [el for el in root.xpath(_COMMENT_XPATH, namespaces=_RE_NS) if len(el.text_content()) * 3 < total]
    if not found:
        return html
    for el in found:
        if el.getparent() is not None:
            _drop(el)
    return lxml.html.tostring(root, encoding="unicode")


def trafilatura_extract(html: str, url: str | None = None) -> Extracted | None:
    """Main text (paragraphs on separate lines, comments excluded) and metadata; None if nothing found."""
    import trafilatura

    html = drop_comment_sections(html)
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            include_comments=False,
            include_tables=True,
            with_metadata=True,
            date_extraction_params=_date_params(extensive=False),
        )
    except Exception:  # trafilatura/lxml on hostile markup: fall back, never crash
        log.debug("trafilatura failed", exc_info=True)
        return None
    if doc is None or not (doc.text or "").strip():
        return None
    return Extracted(
        text=doc.text,
        title=doc.title or None,
        author=doc.author or None,
        sitename=doc.sitename or None,
        date=doc.date or None,
    )


def _date_params(extensive: bool) -> dict[str, object]:
    return {
        "original_date": True,
        "extensive_search": extensive,
        "max_date": datetime.now().astimezone().strftime("%Y-%m-%d"),
    }


def guessed_page_date(html: str) -> date | None:
    """htmldate's extensive search (free text, URL, year-only hints): the last resort for a date.

    A 1 January result is discarded: it is what htmldate returns when it only
    found a year ("2024" -> 2024-01-01), and a wrong day is worse than none.
    """
    try:
        from htmldate import find_date

        found = parse_iso_date(find_date(html, **_date_params(extensive=True)))  # type: ignore[arg-type]
    except Exception:
        log.debug("htmldate failed", exc_info=True)
        return None
    return None if found is None or (found.month, found.day) == (1, 1) else found


_INVISIBLE = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "head",
    "nav",
    "footer",
    "aside",
    "form",
    "iframe",
    "button",
    "select",
    "object",
)
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "dl",
        "figure",
        "figcaption",
        "main",
        "address",
        "hr",
    ]
)
_TAG = re.compile(r"<[^>]+>")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)


def _drop(el: etree._Element) -> None:
    """Remove an element but keep its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def visible_text(html: str) -> tuple[str, str | None]:
    """All visible text, one block element per line, and the `<title>`: the fallback extraction."""
    html = drop_comment_sections(html)
    try:
        root = lxml.html.document_fromstring(_XML_DECL.sub("", html))
    except (etree.ParserError, ValueError):
        text = htmllib.unescape(_TAG.sub("\n", html))
        return text, None
    title_el = root.find(".//title")
    title = " ".join(title_el.text_content().split()) if title_el is not None else None
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction, *_INVISIBLE)):
        _drop(el)
    for el in root.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
        if el.tag != "br":
            el.text = "\n" + (el.text or "")
    return root.text_content(), title or None


def parse_iso_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
