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

from extractors.lexicon import Lexicon

# Thousands groups may be separated by space, no-break space, narrow no-break
# space or thin space; other separators (.,'’) are resolved per locale.
_SPACES = " \u00a0\u202f\u2009"
_NO_SPACES = {ord(c): None for c in _SPACES}
_SEPS = re.compile(r"[.,’]")
_DIGITS = re.compile(
    r"(?<![\w.,’/])(?<![^\W\d_]-)"
    r"(?:\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?(?![\d])|\d+(?:[.,’]\d+)*)"
)
# Lexicon patterns write every apostrophe as ’ (U+2019).
_OTHER_APOSTROPHES = ("'", "\u02bc", "`", "\u00b4")
_LETTER_AFTER = re.compile(r"[^\W\d_]")
_CONNECTOR = re.compile(r"(?:\s*-\s*|\s+(?:et|and|und|y|e)\s+|\s+)")


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
    tok = tok.translate(_NO_SPACES)
    seps = [c for c in tok if not c.isdigit()]
    if not seps:
        return float(tok)
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
            and (sep in lex.group_seps or sep == "’" or (not scaled and sep in ".,"))
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


def _digit_figures(low: str, lex: Lexicon) -> list[Figure]:
    out = []
    for m in _DIGITS.finditer(low):
        tok = m.group()
        if tok[-1] in _SPACES:  # pragma: no cover - the regex never ends on a space
            continue
        mult, end = _scale_at(low, m.end(), lex)
        scaled = end != m.end()
        if not scaled and _LETTER_AFTER.match(low, m.end()):
            continue  # "170mm", "3e", model suffixes
        if lex.percent.match(low, m.end()):
            continue
        value = _parse_digits(tok, lex, scaled)
        if value is None:
            continue
        out.append(Figure(round(value * mult, 6), m.start(), end, scaled=scaled, scale=mult))
    return out


@lru_cache(maxsize=4096)
def _convert(tokens: tuple[str, ...], lang: str) -> tuple[tuple[int, int, float, bool], ...]:
    try:
        occ = find_numbers([_Tok(t) for t in tokens], lang, 0.0)
    except Exception:  # pragma: no cover - text2num rejects unknown input by raising
        return ()
    return tuple((o.start, o.end, float(o.value), bool(o.is_ordinal)) for o in occ)


def _word_figures(low: str, lex: Lexicon) -> list[Figure]:
    out: list[Figure] = []
    taken = -1
    nw = lex.number_word
    for m in nw.finditer(low):
        if m.start() < taken:
            continue
        # the run of number words starting here ("dix mille", "one hundred and twenty")
        spans = [(m.start(), m.end())]
        pos = m.end()
        while len(spans) < 8:
            c = _CONNECTOR.match(low, pos)
            if not c:
                break
            n = nw.match(low, c.end())
            if not n:
                break
            if c.group().strip() in ("et", "and", "und", "y", "e"):
                spans.append((c.start() + 1, c.end() - 1))
            spans.append((n.start(), n.end()))
            pos = n.end()
        taken = pos
        tokens = tuple(low[a:b] for a, b in spans)
        for s, e, value, ordinal in _convert(tokens, lex.lang):
            if ordinal:
                continue
            if s > 0 and tokens[s - 1] in lex.articles:
                s -= 1  # "eine Million", "um milhão": the article belongs to the figure
            start, end = spans[s][0], spans[e - 1][1]
            if e - s == 1 and tokens[s] in lex.vague:
                continue  # "des millions de", "Hunderte": not a number
            article = e - s == 1 and tokens[s] in lex.articles
            if article and not _qualified(low, spans[s][0], lex):
                continue  # a bare "un", "a", "ein" is an article, not a count
            mult, send = _scale_at(low, end, lex) if value < 1000 and not article else (1.0, end)
            out.append(
                Figure(value * mult, start, send, words=True, article=article, scaled=send != end, scale=mult)
            )
    return out


def _qualified(low: str, start: int, lex: Lexicon) -> bool:
    left = low[max(0, start - 30) : start]
    return any(rx.search(left) for rx in lex.qualifiers.values())


def _collective_figures(low: str, lex: Lexicon) -> list[Figure]:
    out = []
    for rx, value, approx in lex.collectives:
        for m in rx.finditer(low):
            out.append(Figure(value, m.start(), m.end(), words=True, approx=approx))
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


def find_figures(text: str, lex: Lexicon, *, low: str | None = None) -> list[Figure]:
    """Every figure in `text` in order of position; overlapping readings keep the longest."""
    low = lowered(text) if low is None else low
    figs = _collective_figures(low, lex) + _digit_figures(low, lex) + _word_figures(low, lex)
    figs.sort(key=lambda f: (f.start, -(f.end - f.start)))
    out: list[Figure] = []
    last_end = -1
    for f in figs:
        if f.start >= last_end:
            out.append(f)
            last_end = f.end
    return out
