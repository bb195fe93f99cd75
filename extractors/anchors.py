"""Where lexicon words can start in a document: one Aho-Corasick pass for several word lists.

Python's `re` tries a large alternation at every position of a text; a 5 KB article
then costs as many attempts as it has characters, once per word list. Instead, every
pattern's possible literal beginnings ("heads": "russ", "nord", "coré" ...) are read from
the pattern itself (`literal_heads`), all heads of all lists go into one automaton, and
one pass gives, per list, the positions where a match may start. Callers confirm each
position with the list's own regex, so the matches are exactly the regex's: the heads only
say where not to look.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from re import _parser as _sre_parse  # type: ignore[attr-defined]
from typing import Any

import ahocorasick_rs

_MAX_HEADS = 4096  # more possible beginnings than this: use shorter ones

_ZERO_WIDTH = (_sre_parse.AT, _sre_parse.ASSERT, _sre_parse.ASSERT_NOT)
_REPEATS = (_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT, _sre_parse.POSSESSIVE_REPEAT)
_IGNORECASE = 2  # re.IGNORECASE's value in the parser's flags

# A set of (text, complete): every match of a pattern part starts with one of the texts;
# `complete` when that text is the whole of what the part matched.
_Heads = set[tuple[str, bool]]


def _set_chars(av: list[tuple[Any, Any]], widest: int = 64) -> set[str] | None:
    """The characters of a parsed character set (`[...]`); None when not a few listed ones."""
    out: set[str] = set()
    for kind, v in av:
        if kind is _sre_parse.LITERAL:
            out.add(chr(v))
        elif kind is _sre_parse.RANGE and v[1] - v[0] < widest:
            out.update(chr(c) for c in range(v[0], v[1] + 1))
        else:
            return None  # negated sets, categories (\w, \s), wide ranges
    return out


def _op(op: Any, av: Any, k: int) -> _Heads | None:
    if op is _sre_parse.LITERAL:
        return {(chr(av), True)}
    if op is _sre_parse.IN:
        cs = _set_chars(av)
        return None if cs is None else {(c, True) for c in cs}
    if op in _ZERO_WIDTH:
        return {("", True)}
    if op is _sre_parse.SUBPATTERN:
        if av[1] & _IGNORECASE:
            return None
        return _seq(av[3], k)
    if op is _sre_parse.ATOMIC_GROUP:
        return _seq(av, k)
    if op is _sre_parse.BRANCH:
        out: _Heads = set()
        for alt in av[1]:
            h = _seq(alt, k)
            if h is None:
                return None
            out |= h
        return out
    if op in _REPEATS:
        lo, hi, item = av
        h = _seq(item, k)
        if h is None:
            return None if lo else {("", True), ("", False)}
        if hi == 1:
            return h | {("", True)} if lo == 0 else h
        once = {(t, False) for t, _ in h}  # what follows the first repetition is not known
        return once | {("", True)} if lo == 0 else once
    return None  # any character, a category, a back reference: not a literal


def _seq(items: Any, k: int) -> _Heads | None:
    acc: _Heads = {("", True)}
    for op, av in items:
        if all(not done or len(t) >= k for t, done in acc):
            break
        part = _op(op, av, k)
        if part is None:
            part = {("", False)}
        new: _Heads = set()
        for t, done in acc:
            if not done or len(t) >= k:
                new.add((t[:k], False))
                continue
            for u, u_done in part:
                v = t + u
                new.add((v[:k], u_done and len(v) <= k))
        if len(new) > _MAX_HEADS:
            return None
        acc = new
    return acc


def literal_heads(pattern: str, k: int = 4) -> frozenset[str] | None:
    """Texts (at most `k` characters) one of which every match of `pattern` starts with; None
    when some match may start with anything (a class such as \\w, an empty match)."""
    try:
        parsed = _sre_parse.parse(pattern)
    except Exception:
        return None
    if parsed.state.flags & _IGNORECASE:
        return None
    while k >= 1:
        acc = _seq(parsed.data, k)
        if acc is not None:
            heads = {t for t, _ in acc}
            return None if "" in heads else frozenset(heads)
        k -= 1
    return None


def _shortest(heads: frozenset[str]) -> list[str]:
    """The heads that do not start with another one (which already marks the same start)."""
    out: list[str] = []
    for h in sorted(heads):  # what sorts between a head and its prefix also starts with that prefix
        if not out or not h.startswith(out[-1]):
            out.append(h)
    return out


class Anchors:
    """One automaton for named word lists, each given by its heads.

    `scan(low)` gives, per list, the sorted start positions of its heads in `low`; for the
    lists in `word_start`, only those at a word start (no word character before them).
    """

    def __init__(self, heads: dict[str, frozenset[str]], word_start: frozenset[str] = frozenset()) -> None:
        self.names = tuple(heads)
        self.word_start = word_start
        keys: dict[str, list[int]] = {}
        for i, name in enumerate(self.names):
            for h in _shortest(heads[name]):
                keys.setdefault(h, []).append(i)
        # per head: the lists to check for a word start, the others
        self._lists = [
            (tuple(i for i in lists if self.names[i] in word_start), tuple(i for i in lists if self.names[i] not in word_start))
            for lists in keys.values()
        ]
        # a DFA: about three times faster per character than a node-by-node automaton
        self._automaton = ahocorasick_rs.AhoCorasick(
            list(keys),
            matchkind=ahocorasick_rs.MatchKind.Standard,
            implementation=ahocorasick_rs.Implementation.DFA,
        )

    def scan(self, low: str) -> dict[str, list[int]]:
        found: list[list[int]] = [[] for _ in self.names]
        if not low:
            return dict(zip(self.names, found, strict=True))
        lists = self._lists
        for k, start, _ in self._automaton.find_matches_as_indexes(low, overlapping=True):
            ws, other = lists[k]
            for i in other:
                found[i].append(start)
            if ws and (start == 0 or not (low[start - 1].isalnum() or low[start - 1] == "_")):
                for i in ws:
                    found[i].append(start)
        # no duplicates: two heads of one list found at one place would be prefixes of each
        # other, and `_shortest` keeps only the shorter
        for f in found:
            f.sort()
        return dict(zip(self.names, found, strict=True))


def matches_at(low: str, rx: re.Pattern[str], starts: list[int], keep: bool = False) -> list:
    """`rx.finditer(low)`'s matches, given (sorted) every position where one may start:
    (start, end) pairs, or (start, end, match) with `keep`."""
    found = finditer_in(low, rx, starts, 0, len(low))
    return [(m.start(), m.end(), m) for m in found] if keep else [m.span() for m in found]


def search_in(low: str, rx: re.Pattern[str], starts: list[int] | None, a: int, b: int) -> re.Match[str] | None:
    """`rx.search(low, a, b)`, given (sorted) every position where a match may start (None:
    not known, search)."""
    if starts is None:
        return rx.search(low, a, b)
    i = bisect_left(starts, a)
    n = len(starts)
    match = rx.match
    while i < n and starts[i] < b:
        m = match(low, starts[i], b)
        if m:
            return m
        i += 1
    return None


def finditer_in(low: str, rx: re.Pattern[str], starts: list[int] | None, a: int, b: int) -> list[re.Match[str]]:
    """`list(rx.finditer(low, a, b))` (non-empty matches), given (sorted) every position where
    one may start (None: not known, scan)."""
    if starts is None:
        return list(rx.finditer(low, a, b))
    out = []
    last = a
    match = rx.match
    for i in range(bisect_left(starts, a), len(starts)):
        p = starts[i]
        if p >= b:
            break
        if p >= last:
            m = match(low, p, b)
            if m:
                last = m.end()
                out.append(m)
    return out
