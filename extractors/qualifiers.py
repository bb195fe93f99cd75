"""Qualifiers and ranges: "plus de 11 000" (at_least), "bis zu" (at_most), "10.000 bis 12.000" (range)."""

from __future__ import annotations

from dataclasses import dataclass

from extractors.lexicon import Lexicon
from extractors.numbers import Figure, RawFigure

_LEFT = 70


@dataclass(frozen=True, slots=True)
class Quantity:
    """A figure, or two joined as a range, ready to be counted."""

    fig: Figure  # the figure carrying the value (upper bound of a range)
    start: int  # span start: the low bound's start for a range
    low: float | None = None


def join_ranges(figs: list[Figure], low: str, lex: Lexicon) -> list[Quantity]:
    """Pair figures joined by a range connector ("entre X et Y", "X bis Y", "X-Y")."""
    by_id = {id(f): f for f in figs}
    raw = [(f.value, f.start, f.end, f.words, f.scaled, f.approx, f.article, f.scale, id(f)) for f in figs]
    return [Quantity(by_id[b[8]], start, lo) for b, start, lo in join_raw(raw, low, lex)]  # type: ignore[misc]


RawQuantity = tuple[RawFigure, int, float | None]  # (figure, span start, low bound of a range)


def join_raw(figs: list[RawFigure], low: str, lex: Lexicon) -> list[RawQuantity]:
    """`join_ranges` on raw figures (tuples in the field order of `Figure`)."""
    out: list[RawQuantity] = []
    append = out.append
    gaps = lex.range_gaps
    i = 0
    n = len(figs)
    while i < n:
        a = figs[i]
        if i + 1 < n and not a[6]:
            b = figs[i + 1]
            a_start, a_end = a[1], a[2]
            if b[1] - a_end <= 12:
                gap = low[a_end : b[1]]
                known = gaps.get(gap)
                if known is None:  # both tests read the gap only
                    if len(gaps) > 10_000:
                        gaps.clear()
                    known = gaps[gap] = (lex.range_to.match(gap) is not None, lex.range_join.match(gap) is not None)
                joined = known[0] or (known[1] and lex.range_start.search(low, max(0, a_start - 20), a_start))
                if joined:
                    lo = a[0]
                    b_value = b[0]
                    if not a[4] and b[7] > 1 and lo * b[7] <= b_value:
                        lo *= b[7]  # "10 to 12 thousand", "1 à 2 millions"
                    elif not a[4] and b[3] and lo > 0:
                        while lo * 1000 <= b_value:
                            lo *= 1000  # "zehn- bis zwölftausend"
                    if lo < b_value:
                        append((b, a_start, lo))
                        i += 2
                        continue
        append((a, a[1], None))
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
    return qualify_raw(q.start, q.fig.end, q.fig.approx, q.low, low, lex)


def qualify_raw(start: int, end: int, approx: bool, lo: float | None, low: str, lex: Lexicon) -> str:
    """`qualify` for a quantity spanning start..end (a range when `lo` is set)."""
    if lo is not None:
        return "range"
    found = qualifier_before(low, start, lex)
    if found:
        return found
    if lex.after_at_least.match(low, end):
        return "at_least"
    return "approx" if approx else "exact"
