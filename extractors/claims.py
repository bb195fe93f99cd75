"""Numeric claims from cleaned text: figures -> counted nouns -> direction, qualifier, status.

A figure becomes a claim when (1) a counted noun of a category follows it
("14 000 soldats", "2,5 Mio. Artilleriegeschosse", "40 ballistic missiles"),
(2) the transfer is between watched parties (see `direction`), and (3) it is a
real number (bare articles, vague plurals, years, model names, percentages are
not). Everything language-specific comes from the lexicons.

Duplicates: one claim per (category, value, supplier, recipient) per document.
Among its mentions the one with an explicit qualifier wins, then a body
sentence over a headline, then the first; status, attribution and period left
empty on the winner are taken from the other mentions.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from typing import Any

from extractors.anchors import finditer_in, matches_at, search_in
from extractors.direction import (
    ARTICLES,
    DEFAULT_WATCHLIST,
    PEOPLE,
    DirectionContext,
    LazyMentions,
    Mention,
    clause_start,
    find_mentions,
    mentions_of,
    resolve,
)
from extractors.lexicon import Lexicon, lexicon_for
from extractors.models import CATEGORIES, Claim
from extractors.numbers import lowered, raw_figures, skip_junk, word_scan
from extractors.qualifiers import join_raw, qualify_raw

_BOUNDARY = re.compile(r"(?<=[.!?…])[\"»”’)\]]*[ \t\u00a0]+|[ \t]*\n\s*")
# _BOUNDARY is either (1) closing quotes and spaces after a sentence end or (2) a line end with
# the spaces around it. Found here from the sentence end punctuation or the line end, rare
# characters the regex engine skips to quickly; the spaces before a line end are added after.
_BOUNDARY_FROM = re.compile(r"[.!?…\n](?:(?<=[.!?…])([\"»”’)\]]*[ \t\u00a0]+)|(?<=\n)\s*)")
# (sentence_spans relies on every abbreviation having at most four characters before the ".")
_ABBREV = re.compile(
    r"(?<!\w)(?:m|mm|mme|dr|st|ca|nr|bzw|etc|mio|mrd|tsd|mr|mrs|ms|gen|col|lt|sgt|prof|no|art|vs|z\.b|u\.a|sr|sra|jr|dott|sig)\.$",
    re.IGNORECASE,
)
_PUNCT_STOP = frozenset(",;:.!?()[]«»\"“”/|")
_WORD = re.compile(r"[\w’-]+")
_HEADING_END = frozenset(".!?…»\"”:;)")
_CONJ = frozenset({"et", "and", "und", "y", "e"})
_CLAUSE_END = re.compile(r"[,;:()]")
_GROUP_REF = re.compile(r"\\(\d)")
_BIG_PEOPLE = 1_000_000
_FORCES = frozenset({"troops", "workers"})
_CONTEXT = 400  # characters of sentence context either side of a figure  # more people than this is a force size or a mistranslation


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence or line, without surrounding whitespace.

    `start`..`end` limits the work to some lines: `start` is 0 or where a line's text begins
    after a line break (and the blank space after it), `end` is the text's end or just after a
    line break. Line breaks always end a sentence, so these are the whole text's sentences there.
    """
    end = len(text) if end is None else end
    spans = []
    pos = start  # end of the last boundary
    scan = start  # end of the last match, also of a skipped abbreviation
    abbrev = _ABBREV.search
    for m in _BOUNDARY_FROM.finditer(text, start, end):
        if m.lastindex:  # (1)
            ms = m.start(1)
            # an abbreviation ends with "." right before the boundary ("Dr. Kim"); it has at
            # most four characters, so not after five word characters ("troops.")
            if (
                text[ms - 1] == "."
                and not (ms >= 6 and text[ms - 6 : ms - 1].isalnum())
                and abbrev(text, max(pos, ms - 6), ms)
            ):
                scan = m.end()
                continue
        else:  # (2), from the spaces before the line end
            ms = m.start()
            while ms > scan and text[ms - 1] in " \t":
                ms -= 1
        if ms > pos:
            spans.append((pos, ms))
        pos = scan = m.end()
    if pos < end:
        spans.append((pos, pos + len(text[pos:end].rstrip())))
    return [(a, b) for a, b in spans if b > a]


def _line_start(text: str, pos: int, back: int) -> int:
    """Where the text of the line `back` non-blank lines before the one holding `pos` begins
    (a valid `start` for `sentence_spans`)."""
    start = text.rfind("\n", 0, pos) + 1
    for _ in range(back):
        j = start - 1  # the line break before
        while j > 0 and text[j - 1].isspace():
            j -= 1  # blank lines
        if j <= 0:
            return 0
        start = text.rfind("\n", 0, j) + 1
    if start == 0:
        return 0
    while start < len(text) and text[start].isspace():
        start += 1
    return start


def sentences_around(text: str, positions: list[int], back: int = 2) -> list[tuple[int, int]]:
    """The sentences of the lines holding `positions` (sorted) and of the `back` non-blank lines
    before each: `sentence_spans(text)` restricted to them, so that the `back` sentences before
    any sentence holding a position are there, in order."""
    regions: list[list[int]] = []
    n = len(text)
    for p in positions:
        if regions and p < regions[-1][1]:
            continue  # on a line already taken
        a = _line_start(text, p, back)
        nl = text.find("\n", p)
        b = n if nl < 0 else nl + 1
        if regions and a <= regions[-1][1]:
            regions[-1][1] = b
        else:
            regions.append([a, b])
    out: list[tuple[int, int]] = []
    for a, b in regions:
        out.extend(sentence_spans(text, a, b))
    return out


def _sentence_spans_plain(text: str) -> list[tuple[int, int]]:
    """`sentence_spans` as first written (kept as the reference for the tests)."""
    spans = []
    pos = 0
    for m in _BOUNDARY.finditer(text):
        if "\n" not in m.group() and _ABBREV.search(text, max(pos, m.start() - 6), m.start()):
            continue
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text.rstrip())))
    return [(a, b) for a, b in spans if b > a]


def _noun_at(low: str, pos: int, lex: Lexicon) -> tuple[str, int, int] | None:
    best: tuple[str, int, int] | None = None
    size = 0
    if lex.compound_nouns:
        w = _WORD.match(low, pos)
        if not w:
            return None
        cache = lex.compound_cache
        if cache is not None:
            word = w.group()
            if word in cache:
                cat = cache[word]
            else:
                m = lex.compound_noun.fullmatch(low, w.start(), w.end())
                cat = m.lastgroup if m else None
                if len(cache) > 100_000:
                    cache.clear()
                cache[word] = cat
            if cat:
                return cat, pos, w.end()
        else:
            m = lex.compound_noun.fullmatch(low, w.start(), w.end())
            if m and m.lastgroup:
                return m.lastgroup, pos, w.end()
        if not lex.any_noun.match(low, pos):
            return None  # no category noun of any length starts here
        # multi-word nouns ("Tonnen Öl") run past the word
        for cat, rx in lex.nouns.items():
            m = rx.match(low, pos)
            if m and m.end() > w.end() and m.end() - pos > size:
                best, size = (cat, pos, m.end()), m.end() - pos
        return best
    if not lex.any_noun.match(low, pos):
        return None
    return _longest_noun(low, pos, lex)


def _longest_noun(low: str, pos: int, lex: Lexicon) -> tuple[str, int, int] | None:
    best: tuple[str, int, int] | None = None
    size = 0
    first = lex.noun_first
    for cat, rx in first.get(low[pos : pos + 1], first[""]) if first else lex.nouns.items():
        m = rx.match(low, pos)
        if m and m.end() - pos > size:
            best, size = (cat, pos, m.end()), m.end() - pos
    return best


_BLANK = frozenset(" \u00a0\u202f\u2009\t")
_CLOSING_QUOTES = frozenset("»”“\"")  # “ closes a German quote


def counted_noun(low: str, end: int, lex: Lexicon, limit: int) -> tuple[str, int, int] | None:
    """(category, head start, head end) of the noun a figure ending at `end` counts."""
    step = lex.np_step
    if step is None:
        return _counted_noun_plain(low, end, lex, limit)
    pos = end
    if end < limit and low[end] in _BLANK:
        junk = lex.junk.match(low, end)  # skip_junk
        if junk:
            pos = junk.end()
        else:
            j = end + 1
            while j < limit and low[j] in _BLANK:
                j += 1
            if j < limit and low[j] in _CLOSING_QUOTES:
                pos = j + 1  # "« au moins 2 000 » drones"
    elif end < limit and low[end] in _CLOSING_QUOTES:
        pos += 1  # a quoted figure: "«circa 3.000» soldati"
    unknown = 0
    compound = lex.compound_nouns
    model = False  # a model name was passed ("24 Su-35 fighters" are aircraft, not people)
    for _ in range(6):
        while pos < limit and low[pos] in _BLANK:
            pos += 1
        if pos < limit and low[pos] == "-":
            pos += 1  # "500,000-barrel cap", "10,000-strong"
            if compound and lex.np_stop.match(low, pos):
                return None  # "240-Millimeter-Mehrfachraketenwerfer": a calibre
        if pos >= limit or low[pos] in _PUNCT_STOP:
            return None
        if compound:
            found = _noun_at(low, pos, lex)
            if found:
                return None if model and found[0] in PEOPLE else found
        # one match: noun, stop word, skipped word, country, else the word
        m = step.match(low, pos)
        if m is None:
            return None  # no word here either
        kind = m.lastgroup[:2]  # type: ignore[index]
        if kind == "_w":
            tok = m.group()
        elif kind == "_n":
            found = _longest_noun(low, pos, lex)
            return None if model and found and found[0] in PEOPLE else found
        elif kind == "_t":
            if model and low[pos : m.end()] in _CONJ and _model_at(low, m.end()):
                pos = m.end()  # "8,000 Shahed-131 and Shahed-136 drones"
                continue
            return None
        elif m.end() > pos:  # a skipped word or a country
            pos = m.end()
            continue
        else:
            w = _WORD.match(low, pos)
            if not w:
                return None
            tok = w.group()
        pos += len(tok)
        if tok.isalpha():  # a plain unknown word, the common case
            unknown += 1
            if unknown > lex.np_max_unknown:
                return None
        elif _is_number(tok):
            return None  # another figure: the noun is its ("zwischen 2022 und 2023 über 100'000 Granaten")
        elif "-" in tok or any(c.isdigit() for c in tok):
            model = model or any(c.isdigit() for c in tok)
            continue  # model names: "KN-23", "Shahed-136"; compounds: "jet-powered"
        else:
            unknown += 1
            if unknown > lex.np_max_unknown:
                return None
    return None


def _model_at(low: str, pos: int) -> bool:
    """A model name ("Shahed-136", "KN-24") is the next word after `pos`."""
    while pos < len(low) and low[pos] in _BLANK:
        pos += 1
    w = _WORD.match(low, pos)
    return bool(w and any(c.isdigit() for c in w.group()) and not _is_number(w.group()))


def _is_number(tok: str) -> bool:
    """Digits, maybe grouped ("2023", "100’000")."""
    return tok[:1].isdigit() and tok.replace("’", "").isdigit()


def _counted_noun_plain(low: str, end: int, lex: Lexicon, limit: int) -> tuple[str, int, int] | None:
    pos = skip_junk(low, end, lex)
    if pos == end and end < limit and low[end] in _CLOSING_QUOTES:
        pos += 1
    unknown = 0
    for _ in range(6):
        while pos < limit and low[pos] in _BLANK:
            pos += 1
        if pos < limit and low[pos] == "-":
            pos += 1  # "500,000-barrel cap", "10,000-strong"
        if pos >= limit or low[pos] in _PUNCT_STOP:
            return None
        found = _noun_at(low, pos, lex)
        if found:
            return found
        if lex.np_stop.match(low, pos):
            return None
        m = lex.np_skip.match(low, pos) or lex.countries.match(low, pos)
        if m and m.end() > pos:
            pos = m.end()
            continue
        w = _WORD.match(low, pos)
        if not w:
            return None
        tok = w.group()
        if _is_number(tok):
            return None
        if any(c.isdigit() for c in tok) or "-" in tok:
            pos = w.end()  # model names: "KN-23", "Shahed-136"
            continue
        unknown += 1
        if unknown > lex.np_max_unknown:
            return None
        pos = w.end()
    return None


def _refine_category(cat: str, value: float, low: str, start: int, head_end: int, s: tuple[int, int], lex: Lexicon) -> str | None:
    if cat == "troops":
        right = _clause(low, head_end, min(s[1], head_end + 60))
        purpose = lex.purpose.search(right)
        if purpose:
            right = right[: purpose.start()]  # "outros 3,5 mil militares para repor as baixas"
        left = low[max(s[0], start - 30) : start]
        if lex.casualty.search(right) or lex.casualty.search(left) or _casualty_apposition(low, head_end, s[1], lex):
            cat = "casualties"
    if cat in PEOPLE and value >= _BIG_PEOPLE:
        # "9 millions d'artilleurs et des munitions": a mistranslation of shells; else a force size
        words = low[head_end : min(s[1], head_end + 40)].split()[:3]
        if words and words[0] in _CONJ:
            rest = [w for w in words[1:] if w not in ARTICLES]
            if rest and lex.munitions.match(rest[0]):
                return "artillery_shells"
        return None
    return cat


def _casualty_apposition(low: str, head_end: int, end: int, lex: Lexicon) -> bool:
    """A casualty cue right after a comma after the noun: "quatre mille hommes, tués ou blessés"."""
    i = head_end
    while i < end and low[i] in _BLANK:
        i += 1
    if i >= end or low[i] != ",":
        return False
    i += 1
    while i < end and low[i] in _BLANK:
        i += 1
    return lex.casualty.match(low, i, end) is not None


def _clause(low: str, a: int, b: int) -> str:
    """low[a:b] up to the first clause punctuation."""
    m = _CLAUSE_END.search(low, a, b)
    return low[a : m.start() if m else b]


def _casualty_next(low: str, end: int, stop: int, lex: Lexicon) -> bool:
    """A casualty cue among the (at most four) words after `end`, in its clause, before `stop`."""
    if lex.casualty_prefix is not None and not lex.casualty_prefix.search(low, end, stop):
        return False  # every cue starts with one of these texts, which has no space in it
    words = _clause(low, end, stop).split()[:4]
    return bool(words) and lex.casualty.search(" ".join(words)) is not None


def elliptic_casualties(low: str, end: int, s: tuple[int, int], lex: Lexicon) -> bool:
    """ "... 300 soldiers were killed and 2,700 were wounded": a bare figure whose next words are a casualty cue."""
    if not _casualty_next(low, end, min(s[1], end + 40), lex):
        return False
    nxt = _NEXT_WORD.match(low, end)
    if nxt and lex.np_stop_nouns.match(low, nxt.start(1)):
        return False  # "in den ersten drei Monaten gefallen": the figure counts months
    a = max(s[0], end - 300)
    return bool(lex.nouns["troops"].search(low, a, end) or lex.nouns["casualties"].search(low, a, end))


_NEXT_WORD = re.compile(r"[ \u00a0\u202f\u2009]*([^\W\d_][\w’-]*)")


def _elliptic(low: str, q_start: int, end: int, lex: Lexicon, text: str | None = None) -> bool:
    """A bare figure marked as standing for a noun said earlier: "another 3,000", "altri 8mila",
    "stimate in più di 11 mila", "60 of them", "60 de ellos" (not "outros oito países": a
    noun outside the taxonomy follows)."""
    if lex.elliptic_after.match(low, end):
        return True
    # the cue, then nothing or a qualifier ("stimate in più di 11 mila"), then the figure: the
    # cue starts at one of the last five word starts before the figure
    lo = max(0, q_start - 60)
    pos, found = q_start, False
    for _ in range(5):
        if pos <= lo:
            break
        pos = low.rfind(" ", lo, pos - 1) + 1 or lo
        cue = lex.elliptic_before.match(low, pos, q_start)
        if cue:
            between = cue.end()
            while between < q_start and (low[between] in _BLANK or low[between] == ","):
                between += 1  # "De ellos, más de 3.000"
            if between == q_start or (lex.any_qualifier and lex.any_qualifier.match(low, between, q_start)):
                found = True
                break
    if not found:
        return False
    pos = end
    if lex.capitalised_nouns and text is not None:
        nxt = _NEXT_WORD.match(low, pos)
        if nxt and text[nxt.start(1)].isupper():
            return False  # "darunter zwei Komponenten": a noun follows, outside the taxonomy
    for _ in range(2):  # "1,5 milioni di persone"
        nxt = _NEXT_WORD.match(low, pos)
        if not nxt:
            break
        if lex.np_stop_nouns.match(low, nxt.start(1)):
            return False
        pos = nxt.end()
    return True


def _labelled(low: str, q_start: int, end: int, lex: Lexicon, nouns: list[int] | None, text: str) -> bool:
    """`label_noun` may find a label (a superset of it, without the sentence): a colon or a
    table bar shortly before, or a noun head listed shortly before and a link word among the
    last three words."""
    if nouns is not None:
        # the label's noun is listed before the figure, within the context looked at
        i = bisect_left(nouns, q_start - _CONTEXT)
        if not (i < len(nouns) and nouns[i] < q_start):
            return False
    if _year_like(low, q_start, end):
        return False
    a = max(0, q_start - 64)
    if low.find(":", a, q_start) < 0 and low.find("|", a, q_start) < 0:
        if nouns is not None:
            i = bisect_left(nouns, q_start - 160)
            if not (i < len(nouns) and nouns[i] < q_start):
                return False
        if not any(w in lex.label_words for w in low[max(0, q_start - 40) : q_start].split()[-3:]):
            return False
    return label_noun(low, q_start, end, max(0, q_start - _CONTEXT), lex, text) is not None


def _after_cue(low: str, end: int, lex: Lexicon, starts: list[int] | None) -> bool:
    """`lex.elliptic_after` matches at `end` ("3,000 more"); `starts`: where its words may
    start (None: not known)."""
    if starts is not None:
        i = bisect_left(starts, end)
        if i == len(starts):
            return False
        p = starts[i]
        if p > end and not low[end:p].isspace():
            return False  # its words would start at or after p, after blank space only
    return lex.elliptic_after.match(low, end) is not None


_LABEL_START = ",;.!?\n"


def label_noun(low: str, q_start: int, end: int, a: int, lex: Lexicon, text: str | None = None) -> str | None:
    """Category of the noun labelling a bare figure from before it: a label ending with a colon
    ("Ballistic missiles: at least 100", "Container di munizioni: oltre 24 mila"; its first
    noun), or a noun within four words before a link word ("put North Korean casualties at
    some 4,700", "die Zahl der Soldaten im Grenzgebiet Kursk auf rund 14.000"). `a`: where the
    sentence (or the context looked at) begins."""
    # cheap test first: a colon or a link word among the last three words (a qualifier may follow them)
    tail = low[max(a, q_start - 40) : q_start].split()[-3:]
    if not any(w.endswith((":", "|")) or w in lex.label_words for w in tail):
        return None
    j = q_start
    while j > a and low[j - 1] in _BLANK:
        j -= 1
    q = lex.any_qualifier.search(low, max(a, j - 40), j) if lex.any_qualifier is not None else None
    if q:  # "at least 100", "at about 4,700"
        j = q.start()
        while j > a and low[j - 1] in _BLANK:
            j -= 1
    colon = j - 1 if j > a and low[j - 1] in ":|" else -1
    if colon >= 0:
        # a label ends with a colon; a table row's first cells label its last ("Containers | 19,000")
        stops = "\n" if low[colon] == "|" else _LABEL_START
        start = max([low.rfind(c, a, colon) for c in stops] + [a - 1]) + 1
        head = lex.noun_any.search(low, start, colon)
        found = head.lastgroup if head else None
    else:
        link = lex.label_link.search(low, max(a, j - 40), j)
        if link is None:
            return None
        b = link.start()
        last = None
        for m in lex.noun_any.finditer(low, max(a, b - 60), b):
            last = m
        if last is None or len(low[last.end() : b].split()) > 4 or any(c in _LABEL_START for c in low[last.end() : b]):
            return None
        found = last.lastgroup
    if found is None:
        return None
    if _year_like(low, q_start, end) or _year_range(low[q_start:end]):
        return None  # a year: "dez mil trabalhadores em 2024", "| 2022–2023 |"
    # the figure counts nothing of its own ("Missiles: 2024 deliveries", "auf 14.000 Kilometer")
    nxt = _NEXT_WORD.match(low, end)
    if nxt and (lex.np_stop_nouns.match(low, nxt.start(1)) or (lex.capitalised_nouns and text is not None and text[nxt.start(1)].isupper())):
        return None
    return found


def _counted(low: str, at: int, a: int, lex: Lexicon) -> bool:
    """A figure stands among the two words before `at`."""
    for tok in low[max(a, at - 24) : at].split()[-2:]:
        if any(c.isdigit() for c in tok) or lex.number_word.fullmatch(tok):
            return True
    return False


def antecedent(low: str, q_start: int, a: int, s_start: int, lex: Lexicon) -> str | None:
    """Category an elliptic figure counts: the last category noun of its own sentence
    ("le truppe inviate a Kursk, stimate in più di 11 mila"), else the last one a figure
    counted in the two sentences before (from `a`: "15mila lavoratori nordcoreani. ... altri
    8mila"), else the last one there. Of two nouns in a row the first is the head
    ("lavoratori nordcoreani")."""
    a = max(a, q_start - _CONTEXT)
    last = counted = prev = None
    for m in lex.noun_any.finditer(low, a, q_start):
        head = prev if prev is not None and not low[prev.end() : m.start()].strip() else m
        prev = m
        last = head
        if _counted(low, head.start(), a, lex):
            counted = head
    if last is not None and last.start() >= s_start:
        # "tué 12 personnes et en a blessé 37 autres": a nearer counted noun is outside the taxonomy
        for other in lex.np_stop_nouns.finditer(low, last.end(), q_start):
            if _counted(low, other.start(), a, lex):
                return None
        return last.lastgroup
    best = counted or last
    return best.lastgroup if best else None


def _limited(
    low: str, q_start: int, head_end: int, s: tuple[int, int], lex: Lexicon, anchors: dict[str, list[int]] | None = None
) -> bool:
    """A stated limit or one vehicle's capacity in the figure's clause before it, or a limit
    noun right after its noun ("a 500,000-barrel cap")."""
    a = clause_start(low, s[0], q_start)
    if search_in(low, lex.limit, anchors.get("limit") if anchors is not None else None, a, q_start):
        return True
    m = _WORD.search(low, head_end, min(s[1], head_end + 20))
    return bool(m and lex.limit.fullmatch(m.group()))


def _year_like(low: str, a: int, b: int) -> bool:
    return b - a == 4 and low[a:b].isdigit() and 1900 <= int(low[a:b]) <= 2100


_YEAR_RANGE = re.compile(r"(?:19|20)\d\d\s*[-–—/]\s*(?:(?:19|20)\d\d|\d\d)")


def _year_range(tok: str) -> bool:
    return _YEAR_RANGE.fullmatch(tok) is not None


def _corrected(low: str, a: int, b: int, lex: Lexicon, anchors: dict[str, list[int]] | None = None) -> bool:
    """The sentence is a correction note, whose figures were withdrawn."""
    return search_in(low, lex.correction, anchors.get("correction") if anchors is not None else None, a, b) is not None


def _exceeded(low: str, q_start: int, s: tuple[int, int], lex: Lexicon) -> bool:
    """The figure's clause says its limit was passed ("exceeding the cap of 500,000 barrels")."""
    return lex.limit_exceeded.search(low, clause_start(low, s[0], q_start), q_start) is not None


def _attribution(
    low: str, ctx: DirectionContext, si: int, lex: Lexicon, anchors: dict[str, list[int]] | None = None
) -> str | None:
    """The claimant named in the sentence or, failing that, in the two before it."""
    for back in (0, 1, 2):
        if si - back < 0:
            break
        a, b = ctx.sentences[si - back]
        if not _listed(anchors, "claimant", a, b):
            continue
        names = lex.claimant_names
        found = [
            (m.start(), m.end(), names[m.lastgroup])  # type: ignore[index]
            for m in finditer_in(low, lex.claimants, anchors.get("claimant") if anchors is not None else None, a, b)
        ]
        if found:
            cue = lex.claimant_cues.search(low, a, b)
            if cue:
                found.sort(key=lambda f: (abs(f[0] - cue.start()), f[0]))
            return found[0][2]
    return None


def _expand(label: str, groups: tuple[str | None, ...]) -> str:
    return _GROUP_REF.sub(lambda r: groups[int(r.group(1)) - 1] or "", label)


def _listed(anchors: dict[str, list[int]] | None, name: str, a: int, b: int) -> bool:
    """Whether a match of the lexicon list `name` may start in a..b (False: surely none)."""
    starts = anchors.get(name) if anchors is not None else None
    if starts is None:
        return True
    i = bisect_left(starts, a)
    return i < len(starts) and starts[i] < b


def _period(low: str, a: int, b: int, lex: Lexicon, anchors: dict[str, list[int]] | None = None) -> str | None:
    if not _listed(anchors, "period", a, b):
        return None
    starts = anchors.get("period") if anchors is not None else None
    for rx, label in lex.periods:
        m = search_in(low, rx, starts, a, b)
        if m:
            return _expand(label, m.groups())
    return None


def _status(low: str, a: int, b: int, lex: Lexicon, anchors: dict[str, list[int]] | None = None) -> str:
    if _listed(anchors, "denied", a, b) and lex.denied.search(low, a, b):
        return "denied"
    if _listed(anchors, "planned", a, b) and lex.planned.search(low, a, b):
        return "planned"
    return "reported"


def _is_heading(text: str, span: tuple[int, int]) -> bool:
    a, b = span
    line_start = text.rfind("\n", 0, a) + 1
    line_end = text.find("\n", b)
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:line_end].rstrip()
    return len(line) < 200 and bool(line) and line[-1] not in _HEADING_END


def extract_claims(
    text: str, lang: str, *, watchlist: tuple[tuple[str, str], ...] = DEFAULT_WATCHLIST
) -> list[Claim]:
    """Every claim in `text` (a cleaned document in language `lang`), in document order."""
    lex = lexicon_for(lang)
    if lex is None or not text:
        return []
    low = lowered(text)
    n = len(low)
    # Cheap pass: most figures (dates, years, percentages, "11 countries") count no noun and
    # are no elliptic casualty figure. The sentence only narrows both tests (a noun or cue
    # found within the sentence is found without it), so figures failing them without the
    # sentence are dropped before sentences, parties or anything else are computed.
    anchors = lex.anchors.scan(low) if lex.anchors is not None else None
    number_words, parties = word_scan(low, lex, anchors)
    quantities = join_raw(raw_figures(low, lex, number_words, anchors), low, lex)
    nouns = cues = ellipsis = None
    after = None
    if anchors is not None:
        # where a noun, a casualty cue or an elliptic cue may start (a superset of each)
        nouns, cues, ellipsis = anchors.get("noun"), anchors.get("casualty"), anchors.get("elliptic")
        after = anchors.get("elliptic_after")
    candidates = []
    cue_ends: list[int] | None = None  # where an elliptic cue ends, found once when first needed
    for q in quantities:
        fig = q[0]
        end = fig[2]
        limit = min(n, end + _CONTEXT)
        if nouns is not None and not (end < n and (low[end].isalnum() or low[end] == "_")):
            # the noun a figure counts starts after a non-word character, where a noun's head
            # is listed (the figure's own end, glued to a word, is the exception: "12soldats")
            i = bisect_left(nouns, end)
            found = i < len(nouns) and nouns[i] < limit
        else:
            found = True
        noun = counted_noun(low, end, lex, limit) if found else None
        if noun is None:
            if fig[6]:
                continue
            stop = min(n, end + 40)
            cue = True
            if cues is not None:
                # a cue starting in end..stop is listed, or lies in a listed one starting shortly before
                i = bisect_right(cues, end - lex.casualty_prefix_max)
                cue = i < len(cues) and cues[i] < stop
            if not (cue and _casualty_next(low, end, stop, lex)):
                if cue_ends is None:
                    if ellipsis is not None:
                        cue_ends = [e for _, e in matches_at(low, lex.elliptic_cue, ellipsis)]
                    else:
                        cue_ends = [m.end() for m in lex.elliptic_cue.finditer(low)]
                i = bisect_left(cue_ends, q[1] - 60)
                near = i < len(cue_ends) and cue_ends[i] <= q[1]
                elliptic = (near or _after_cue(low, end, lex, after)) and _elliptic(low, q[1], end, lex, text)
                if not elliptic and (fig[0] < 2 or not _labelled(low, q[1], end, lex, nouns, text)):
                    continue
        candidates.append((*q, noun))
    if not candidates:
        return []
    return _extract(text, low, lex, candidates, parties, watchlist, anchors)


def _extract(
    text: str,
    low: str,
    lex: Lexicon,
    candidates: list,
    parties: list[tuple[int, int, str]],
    watchlist: tuple[tuple[str, str], ...],
    anchors: dict[str, list[int]] | None = None,
) -> list[Claim]:
    sentences = sentences_around(text, [q[1] for q in candidates])
    starts = [a for a, _ in sentences]
    ctx: DirectionContext | None = None
    memo: dict[tuple[object, str], Any] = {}

    def cached(key: object, compute: Callable[..., Any], *args: object) -> Any:
        """Sentence-level facts are the same for every figure of the sentence."""
        k = (key, compute.__name__)
        if k not in memo:
            memo[k] = compute(*args)
        return memo[k]

    party_starts = [a for a, _, _ in parties]

    def sentence_mentions(i: int) -> list[Mention]:
        a, b = sentences[i]
        if lex.countries_local:
            # the document's matches inside the sentence are the sentence's matches when
            # none runs across the sentence start or end
            lo, hi = bisect_left(party_starts, a), bisect_left(party_starts, b)
            if (lo == 0 or parties[lo - 1][1] <= a) and (hi == lo or parties[hi - 1][1] <= b):
                return mentions_of(low, a, parties[lo:hi], lex)
        return find_mentions(low, a, b, lex)

    found: list[tuple[Claim, bool]] = []
    for fig, q_start, q_low, wide_noun in candidates:
        fig_end = fig[2]
        si = bisect_right(starts, q_start) - 1
        if si < 0 or fig_end > sentences[si][1] + 8:
            continue
        # context is the sentence, bounded so that a sentence without end stays linear
        s = (max(sentences[si][0], q_start - _CONTEXT), min(sentences[si][1], fig_end + _CONTEXT))
        if lex.exclude_before.search(low, max(s[0], q_start - 25), q_start):
            continue
        if cached(sentences[si], _corrected, low, *sentences[si], lex, anchors):
            continue  # "Korrektur: In einer früheren Fassung hieß es, ... 20.000 Container"
        if _year_like(low, q_start, fig_end) and lex.exclude_before_year.search(low, max(s[0], q_start - 25), q_start):
            continue
        # the walk up to the sentence end is a prefix of the cheap pass's walk up to `limit`
        noun = wide_noun if wide_noun is not None and wide_noun[1] < s[1] else None
        anaphoric = False
        if noun is None:
            if fig[6]:
                continue
            if elliptic_casualties(low, fig_end, s, lex):
                noun = ("casualties", fig_end, fig_end)
            elif fig[0] >= 2 and _elliptic(low, q_start, fig_end, lex, text):  # "one of them" is a person
                cat = antecedent(low, q_start, sentences[max(si - 2, 0)][0], s[0], lex)
                if cat is None:
                    continue
                noun, anaphoric = (cat, fig_end, fig_end), True
            elif fig[0] >= 2 and (cat := label_noun(low, q_start, fig_end, s[0], lex, text)) is not None:
                noun, anaphoric = (cat, fig_end, fig_end), True
            else:
                continue
        qualifier = qualify_raw(q_start, fig_end, fig[5], q_low, low, lex)
        if fig[6] and qualifier not in ("at_least", "at_most", "approx"):
            continue  # "a Pantsir system" is not a count; "at least one system" is
        category = _refine_category(noun[0], fig[0], low, q_start, noun[2], s, lex)
        if category is None:
            continue
        if category in _FORCES and fig[0] < 10:
            continue  # "one senior officer told", "los dos militares": no deployment
        if _limited(low, q_start, noun[2], s, lex, anchors):
            if _exceeded(low, q_start, s, lex):
                # "far exceeding the UN cap of 500,000 barrels a year": at least that much was
                # moved (the rate is the cap's, not a party's own use)
                qualifier, anaphoric = "at_least", True
            elif qualifier != "at_least":
                continue  # "caps imports at 500,000 barrels", "chaque navire ... 30 000 barils"
        if ctx is None:
            # parties named in the whole document, needed from here on only
            doc_counts: Counter[str] = Counter(code for _, _, code in parties)
            if not any(doc_counts[c] for c, _ in watchlist):
                return []
            ctx = DirectionContext(low, lex, sentences, LazyMentions(len(sentences), sentence_mentions), doc_counts, watchlist, anchors)
        pair = resolve(ctx, si, q_start, noun[2], category, s, anaphoric=anaphoric)
        if pair is None:
            continue
        claim = Claim(
            category=category,
            value=fig[0],
            qualifier=qualifier,
            low=q_low,
            supplier=pair[0],
            recipient=pair[1],
            status=cached(s, _status, low, *s, lex, anchors) or "reported",
            attribution=cached(si, _attribution, low, ctx, si, lex, anchors),
            period=cached(s, _period, low, *s, lex, anchors),
            sentence=text[s[0] : s[1]],
            start=q_start,
            end=fig_end,
            lang=lex.lang,
        )
        found.append((claim, _is_heading(text, s)))
    return _merge(found)


def _merge(found: list[tuple[Claim, bool]]) -> list[Claim]:
    groups: dict[tuple, list[tuple[Claim, bool]]] = {}
    for c, heading in found:
        groups.setdefault((c.category, c.value, c.supplier, c.recipient), []).append((c, heading))
    out = []
    for mentions in groups.values():
        best, _ = min(mentions, key=lambda m: (m[0].qualifier == "exact", m[1], m[0].start))
        others = [c for c, _ in mentions if c is not best]
        if best.status == "reported":
            body = [c for c, heading in mentions if c is not best and not heading]
            best.status = next((c.status for c in body if c.status != "reported"), "reported")
        best.attribution = best.attribution or next((c.attribution for c in others if c.attribution), None)
        best.period = best.period or next((c.period for c in others if c.period), None)
        out.append(best)
    out.sort(key=lambda c: c.start)
    assert all(c.category in CATEGORIES for c in out)
    return out
