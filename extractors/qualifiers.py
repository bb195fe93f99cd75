"""Qualifiers and ranges: "plus de 11 000" (at_least), "bis zu" (at_most), "10.000 bis 12.000" (range)."""

from __future__ import annotations

from dataclasses import dataclass

from extractors.lexicon import Lexicon
from extractors.numbers import Figure

_LEFT = 70


@dataclass(frozen=True, slots=True)
class Quantity:
    """A figure, or two joined as a range, ready to be counted."""

    fig: Figure  # the figure carrying the value (upper bound of a range)
    start: int  # span start: the low bound's start for a range
    low: float | None = None


def join_ranges(figs: list[Figure], low: str, lex: Lexicon) -> list[Quantity]:
    """Pair figures joined by a range connector ("entre X et Y", "X bis Y", "X-Y")."""
    out: list[Quantity] = []
    i = 0
    while i < len(figs):
        a = figs[i]
        if i + 1 < len(figs) and not a.article:
            b = figs[i + 1]
            gap = low[a.end : b.start]
            joined = len(gap) <= 12 and (
                lex.range_to.match(gap)
                or (lex.range_join.match(gap) and lex.range_start.search(low, max(0, a.start - 20), a.start))
            )
            if joined:
                lo = a.value
                if not a.scaled and b.scale > 1 and lo * b.scale <= b.value:
                    lo *= b.scale  # "10 to 12 thousand", "1 à 2 millions"
                elif not a.scaled and b.words and lo > 0:
                    while lo * 1000 <= b.value:
                        lo *= 1000  # "zehn- bis zwölftausend"
                if lo < b.value:
                    out.append(Quantity(b, a.start, lo))
                    i += 2
                    continue
        out.append(Quantity(a, a.start))
        i += 1
    return out


def qualifier_before(low: str, start: int, lex: Lexicon) -> str | None:
    """The qualifier written just before a figure, the longest wording winning."""
    left = low[max(0, start - _LEFT) : start]
    best, size = None, 0
    for q, rx in lex.qualifiers.items():
        m = rx.search(left)
        if m and len(m.group()) > size:
            best, size = q, len(m.group())
    return best


def qualify(q: Quantity, low: str, lex: Lexicon) -> str:
    """exact / approx / at_least / at_most / range for a quantity."""
    if q.low is not None:
        return "range"
    found = qualifier_before(low, q.start, lex)
    if found:
        return found
    if lex.after_at_least.match(low, q.fig.end):
        return "at_least"
    return "approx" if q.fig.approx else "exact"
