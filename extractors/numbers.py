"""Locale-aware figures with their spans: "14 000", "7.000", "1,2 million", "dix mille".

Digits are parsed here (group and decimal separators per lexicon, scale words,
junk tokens such as "XNUMX"); spelled-out numbers are found with the
lexicon's number-word list and converted by text2num (`text_to_num`).
Collective nouns ("une centaine de") come from the lexicon and are approximate.
Nothing here decides whether a figure is a claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from text_to_num import find_numbers

from extractors.anchors import matches_at
from extractors.lexicon import Lexicon, group_label

# Thousands groups may be separated by space, no-break space, narrow no-break
# space or thin space; other separators (.,'’) are resolved per locale.
_SPACES = " \u00a0\u202f\u2009"
_NO_SPACES = {ord(c): None for c in _SPACES}
_SEPS = re.compile(r"[.,’]")
_DIGITS = re.compile(
    r"(?<![\w.,’/])(?<![^\W\d_]-)"
    r"(?:\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?(?![\d])|\d+(?:[.,’]\d+)*)"
)
# The same matches, written to start with \d (the look-behinds moved after the first digit),
# so that the regex engine skips quickly to the next digit instead of trying every position.
_DIGITS_FAST = re.compile(
    r"\d(?<![\w.,’/]\d)(?<![^\W\d_]-\d)"
    r"(?:\d{0,2}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?(?![\d])|\d*(?:[.,’]\d+)*)"
)
# Lexicon patterns write every apostrophe as ’ (U+2019).
_OTHER_APOSTROPHES = ("'", "\u02bc", "`", "\u00b4")
_LETTER_AFTER = re.compile(r"[^\W\d_]")
_CONNECTOR = re.compile(r"(?:\s*-\s*|\s+(?:et|and|und|y|e)\s+|\s+)")


@lru_cache(maxsize=64)
def _next_word(nw: str) -> re.Pattern[str] | None:
    """_CONNECTOR (its first match only, as `_CONNECTOR.match` gives) then a number word."""
    try:
        return re.compile(rf"(?P<_c>(?>{_CONNECTOR.pattern}))(?P<_n>{nw})")
    except re.error:  # pragma: no cover - a number word pattern with a group of that name
        return None


@dataclass(frozen=True, slots=True)
class Figure:
    """A number in text: `value`, its character span, and how it was written."""

    value: float
    start: int
    end: int
    words: bool = False  # spelled out ("dix mille")
    scaled: bool = False  # carried a scale word ("9 millions", "12m")
    approx: bool = False  # collective noun ("une centaine de")
    article: bool = False  # a bare indefinite article ("un", "a", "ein")
    scale: float = 1.0  # the multiplier that was applied (for ranges "10 to 12 thousand")


class _Tok:
    __slots__ = ("_t",)

    def __init__(self, t: str) -> None:
        self._t = t

    def text(self) -> str:
        return self._t

    def nt_separated(self, previous: object) -> bool:
        return False

    def not_a_number_part(self) -> bool:
        return False


def _parse_digits(tok: str, lex: Lexicon, scaled: bool) -> float | None:
    """Value of a digit token such as "14 000", "7.000", "1,2", "1.234,5"; None if malformed."""
    return _parse_token(tok, lex.group_seps, scaled)


@lru_cache(maxsize=16384)
def _parse_token(tok: str, group_seps: str, scaled: bool) -> float | None:
    tok = tok.translate(_NO_SPACES)
    if tok.isdigit():
        return float(tok)
    seps = [c for c in tok if not c.isdigit()]
    parts = _SEPS.split(tok)
    kinds = list(dict.fromkeys(seps))
    if len(kinds) == 1:
        sep = kinds[0]
        tails = parts[1:]
        if len(tails) > 1:  # "1.000.000"
            if all(len(t) == 3 for t in tails) and len(parts[0]) <= 3:
                return float("".join(parts))
            return None
        tail = tails[0]
        if (
            len(tail) == 3
            and len(parts[0]) <= 3
            and (sep in group_seps or sep == "’" or (not scaled and sep in ".,"))
        ):
            return float(parts[0] + tail)
        if sep in ".,":
            return float(f"{parts[0]}.{tail}")
        return None
    if len(kinds) == 2 and seps.count(kinds[1]) == 1 and tok.rfind(kinds[1]) > tok.rfind(kinds[0]):
        head, dec = tok.rsplit(kinds[1], 1)
        groups = head.split(kinds[0])
        if len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]) and kinds[1] in ".,":
            return float("".join(groups) + "." + dec)
    return None


def _scale_at(text: str, pos: int, lex: Lexicon) -> tuple[float, int]:
    if not lex.any_scale.match(text, pos):
        return 1.0, pos
    for rx, mult in lex.scales:
        m = rx.match(text, pos)
        if m:
            return mult, m.end()
    return 1.0, pos


# Figures are handled internally as plain tuples in the field order of `Figure`
# (value, start, end, words, scaled, approx, article, scale): building a frozen
# dataclass per number costs more than the rest of the work on most numbers.
RawFigure = tuple[float, int, int, bool, bool, bool, bool, float]


@lru_cache(maxsize=64)
def _digit_scan(tail: str) -> re.Pattern[str]:
    """_DIGITS_FAST, then (zero-width) what follows: the groups of `Lexicon.digit_tail`."""
    return re.compile(rf"{_DIGITS_FAST.pattern}(?:(?={tail}))?")


def _digit_figures(low: str, lex: Lexicon) -> list[RawFigure]:
    out: list[RawFigure] = []
    append = out.append
    percent = lex.percent
    group_seps = lex.group_seps
    tail = lex.digit_tail
    if tail is None:
        scan, tails = _DIGITS_FAST, False
    else:
        scan, tails = _digit_scan(tail.pattern), True
    for m in scan.finditer(low):
        tok = m.group()
        e = m.end()
        after = m.lastgroup if tails else "_s"
        if after is None:  # no scale word, letter or percent sign follows (the common case)
            if tok.isdigit():
                append((float(tok), m.start(), e, False, False, False, False, 1.0))
                continue
            mult, end, scaled = 1.0, e, False
        else:
            if after != "_s":
                continue  # no scale, then a letter ("170mm", "3e") or a percent sign
            mult, end = _scale_at(low, e, lex)
            scaled = end != e
            if not scaled and _LETTER_AFTER.match(low, e):
                continue  # "170mm", "3e", model suffixes
            if percent.match(low, e):
                continue
        value = _parse_token(tok, group_seps, scaled)
        if value is None:
            continue
        append((round(value * mult, 6), m.start(), end, False, scaled, False, False, mult))
    return out


@lru_cache(maxsize=4096)
def _convert(tokens: tuple[str, ...], lang: str) -> tuple[tuple[int, int, float, bool], ...]:
    try:
        occ = find_numbers([_Tok(t) for t in tokens], lang, 0.0)
    except Exception:  # pragma: no cover - text2num rejects unknown input by raising
        return ()
    return tuple((o.start, o.end, float(o.value), bool(o.is_ordinal)) for o in occ)


_JOINERS = frozenset(("et", "and", "und", "y", "e"))


def word_scan(
    low: str, lex: Lexicon, anchors: dict[str, list[int]] | None = None
) -> tuple[list[tuple[int, int]], list[tuple[int, int, str]]]:
    """Spans of `lex.number_word.finditer(low)` and (start, end, party) of `lex.countries.finditer(low)`.

    Both patterns match at word starts only. With `anchors` (`lex.anchors.scan(low)`), each
    pattern is tried only where one of its heads starts a word; otherwise one regex pass over
    the non-word characters tries both everywhere. Either way every match start is tried,
    and keeping the matches that start after the previous one ends gives what finditer gives.
    """
    if anchors is not None and "number_word" in anchors and "country" in anchors:
        return matches_at(low, lex.number_word, anchors["number_word"]), [
            (a, b, group_label(m)) for a, b, m in matches_at(low, lex.countries, anchors["country"], keep=True)
        ]
    rx = lex.word_scan
    if rx is None:
        return (
            [m.span() for m in lex.number_word.finditer(low)],
            [(m.start(), m.end(), group_label(m)) for m in lex.countries.finditer(low)],
        )
    nws: list[tuple[int, int]] = []
    parties: list[tuple[int, int, str]] = []
    nw_end = party_end = 0
    if low:  # at the very start there is no character before
        m = lex.number_word.match(low)
        if m:
            nws.append(m.span())
            nw_end = m.end()
        m = lex.countries.match(low)
        if m:
            parties.append((0, m.end(), group_label(m)))
            party_end = m.end()
    for m in rx.finditer(low):
        p = m.end()
        e = m.end("_nw")
        if e >= 0 and p >= nw_end:
            nws.append((p, e))
            nw_end = e
        g = m.lastgroup
        if g is not None and g != "_nw" and p >= party_end:
            party_end = m.end(g)
            parties.append((p, party_end, g.split("__", 1)[0]))
    return nws, parties


def _word_figures(low: str, lex: Lexicon, starts: list[tuple[int, int]] | None = None) -> list[RawFigure]:
    out: list[RawFigure] = []
    taken = -1
    nw = lex.number_word
    next_word = _next_word(nw.pattern)
    articles, vague, lang = lex.articles, lex.vague, lex.lang
    for m_start, m_end in starts if starts is not None else [m.span() for m in nw.finditer(low)]:
        if m_start < taken:
            continue
        # the run of number words starting here ("dix mille", "one hundred and twenty")
        spans = [(m_start, m_end)]
        pos = m_end
        while len(spans) < 8:
            if next_word is not None:
                cn = next_word.match(low, pos)
                if not cn:
                    break
                c_start, c_end = cn.span("_c")
                n_end = cn.end("_n")
            else:  # pragma: no cover
                c = _CONNECTOR.match(low, pos)
                n = nw.match(low, c.end()) if c else None
                if not c or not n:
                    break
                (c_start, c_end), n_end = c.span(), n.end()
            if low[c_start:c_end].strip() in _JOINERS:
                spans.append((c_start + 1, c_end - 1))
            spans.append((c_end, n_end))
            pos = n_end
        taken = pos
        one = None  # the article opening the run, read as 1 ("a hundred and forty")
        if lex.one and len(spans) > 1:
            before = low[max(0, m_start - 4) : m_start]
            art = before.split()[-1:]
            if art and art[0] in articles and before.endswith(art[0] + " "):
                spans.insert(0, (m_start - 1 - len(art[0]), m_start - 1))
                one = lex.one
        tokens = tuple(low[a:b] for a, b in spans)
        for s, e, value, ordinal in _convert((one, *tokens[1:]) if one else tokens, lang):
            if ordinal:
                continue
            if s > 0 and tokens[s - 1] in articles:
                s -= 1  # "eine Million", "um milhão": the article belongs to the figure
            start, end = spans[s][0], spans[e - 1][1]
            if end + 1 < len(low) and low[end] == "-" and low[end + 1].isalpha():
                continue  # a compound adjective: "one-way attack drones", "three-day visit"
            if e - s == 1 and tokens[s] in vague:
                continue  # "des millions de", "Hunderte": not a number
            article = e - s == 1 and tokens[s] in articles
            if article and not _qualified(low, spans[s][0], lex):
                continue  # a bare "un", "a", "ein" is an article, not a count
            mult, send = _scale_at(low, end, lex) if value < 1000 and not article else (1.0, end)
            out.append((value * mult, start, send, True, send != end, False, article, mult))
    return out


def _qualified(low: str, start: int, lex: Lexicon) -> bool:
    left = low[max(0, start - 30) : start]
    if lex.any_qualifier is not None:
        return lex.any_qualifier.search(left) is not None
    return any(rx.search(left) for rx in lex.qualifiers.values())


def _collective_figures(low: str, lex: Lexicon, starts: list[int] | None = None) -> list[RawFigure]:
    """Collective nouns ("une centaine de"); `starts`: where one may start, when known."""
    out: list[RawFigure] = []
    for rx, value, approx in lex.collectives:
        spans = [m.span() for m in rx.finditer(low)] if starts is None else matches_at(low, rx, starts)
        for a, b in spans:
            out.append((value, a, b, True, False, approx, False, 1.0))
    return out


def lowered(text: str) -> str:
    """`text` lower-cased, apostrophes unified to ’, offsets preserved."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    for a in _OTHER_APOSTROPHES:
        if a in low:
            low = low.replace(a, "’")
    return low


def skip_junk(low: str, pos: int, lex: Lexicon) -> int:
    """Offset after junk tokens that scrapers leave beside numbers ("7.000 XNUMX")."""
    m = lex.junk.match(low, pos)
    return m.end() if m else pos


def _sort_key(f: RawFigure) -> tuple[int, int]:
    return f[1], f[1] - f[2]


def raw_figures(
    low: str,
    lex: Lexicon,
    number_words: list[tuple[int, int]] | None = None,
    anchors: dict[str, list[int]] | None = None,
) -> list[RawFigure]:
    """`find_figures` on lowered text, as tuples in the field order of `Figure`.

    `number_words`: the spans of `lex.number_word.finditer(low)` when already known (`word_scan`);
    `anchors`: `lex.anchors.scan(low)`, when done.
    """
    collective = anchors.get("collective") if anchors is not None else None
    digits = _digit_figures(low, lex)
    words = _word_figures(low, lex, number_words) if number_words is None or number_words else []
    collectives = _collective_figures(low, lex, collective) if collective is None or collective else []
    if words or collectives:
        figs = collectives + digits + words  # ties keep this order
        figs.sort(key=_sort_key)
    else:
        figs = digits  # in order already
    out: list[RawFigure] = []
    last_end = -1
    for f in figs:
        if f[1] >= last_end:
            out.append(f)
            last_end = f[2]
    return out


def find_figures(text: str, lex: Lexicon, *, low: str | None = None) -> list[Figure]:
    """Every figure in `text` in order of position; overlapping readings keep the longest."""
    low = lowered(text) if low is None else low
    return [Figure(*f) for f in raw_figures(low, lex)]
