"""Publication dates written in article text, in any language with a rules file.

Recognised forms: ISO ("2025-07-16", "2025/07/16"), day-first numeric
("16.07.2025", "16/07/2025"; month-first only when the day-first reading is
impossible, e.g. "07/16/2025"), day-month-year with month names ("12 décembre
2024", "3. März 2025", "12 de diciembre de 2024", "1er mars 2025", "12 déc.
2024") and month-day-year ("March 3, 2025"). Month names come from
`extractors/cleaning/<lang>.toml`.

Policy (see `publication_date_from_lines`): a publication date is taken only
from a date line at the top of the text or a "Published/Publié le/
Veröffentlicht..." line. A date inside an ordinary body sentence ("le 3
octobre", "in February 2022") is usually the date of an event, not of the
article, so it is never used: None is better than a wrong date, and the
pipeline falls back to the feed's date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from extractors.cleaning_rules import RuleSet, fold, load_rules

MIN_YEAR, MAX_YEAR = 1900, 2199
HEADER_LINES = 8  # non-blank lines at the top where a bare date line is a publication date
MARKER_LINES = 15  # non-blank lines at the top (and MARKER_TAIL_LINES at the end) searched for markers
MARKER_TAIL_LINES = 4
MAX_DATE_LINE_WORDS = 3  # words besides the date, weekday and time ("16.07.2025 France")
MAX_MARKER_LINE_WORDS = 25

_DAY = r"(?P<d>\d{1,2})(?:\.|er|ᵉʳ|º|ª|°|st|nd|rd|th)?"
_WORD = r"[^\W\d_]{2,}"
_YEAR = r"(?P<y>\d{4})"
_DMY = re.compile(rf"(?<!\w){_DAY}\s+(?:de\s+)?(?P<m>{_WORD})\.?,?\s+(?:de\s+|del\s+)?{_YEAR}(?!\d)")
_MDY = re.compile(rf"(?<!\w)(?P<m>{_WORD})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}(?!\d)")
_ISO = re.compile(r"(?<!\d)(?P<y>\d{4})([-/])(?P<m>\d{1,2})\2(?P<d>\d{1,2})(?!\d)")
_NUM = re.compile(r"(?<![\d.,/])(?P<a>\d{1,2})([./-])(?P<b>\d{1,2})\2(?P<y>\d{4})(?!\w)")
_TIME = re.compile(
    r"\b\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*(?:am|pm|h|uhr|utc|gmt|cet|cest|[+-]\d{2}:?\d{2}))?\b", re.I
)
_WORDS = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?…]\s*$")
_FILLERS = frozenset(
    {"le", "am", "on", "el", "il", "em", "at", "à", "a", "um", "alle", "às", "ás", "de", "du", "the"}
)


@dataclass(frozen=True, slots=True)
class DateMatch:
    value: date
    start: int
    end: int


def _make(y: int, m: int, d: int) -> date | None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_dates(text: str, rules: RuleSet | None = None) -> list[DateMatch]:
    """All full dates (day, month and year) in `text`, in order of position, without overlaps."""
    rules = rules or load_rules()
    found: list[DateMatch] = []
    for m in _ISO.finditer(text):
        if (v := _make(int(m["y"]), int(m["m"]), int(m["d"]))) is not None:
            found.append(DateMatch(v, m.start(), m.end()))
    for m in _NUM.finditer(text):
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        v = _make(y, b, a) or _make(y, a, b)  # day-first unless impossible
        if v is not None:
            found.append(DateMatch(v, m.start(), m.end()))
    for rx in (_DMY, _MDY):
        for m in rx.finditer(text):
            month = rules.months.get(fold(m["m"]))
            if month and (v := _make(int(m["y"]), month, int(m["d"]))) is not None:
                found.append(DateMatch(v, m.start(), m.end()))
    found.sort(key=lambda f: (f.start, -f.end))
    result: list[DateMatch] = []
    for f in found:
        if not result or f.start >= result[-1].end:
            result.append(f)
    return result


def parse_date(text: str | None, rules: RuleSet | None = None) -> date | None:
    """The first date in `text` (also ISO datetimes such as trafilatura's "2024-12-12")."""
    if not text:
        return None
    text = text.strip()
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    dates = find_dates(text, rules)
    return dates[0].value if dates else None


def date_line(line: str, rules: RuleSet | None = None) -> date | None:
    """The date if `line` is a date line ("16.07.2025 France", "jeu. 12 décembre 2024, 10:30").

    Besides one date it may hold a weekday, a time and at most
    MAX_DATE_LINE_WORDS other words (a place, a section), and no sentence.
    """
    rules = rules or load_rules()
    dates = find_dates(line, rules)
    if len(dates) != 1:
        return None
    m = dates[0]
    rest = _TIME.sub(" ", line[: m.start] + " " + line[m.end :])
    words = [w for w in _WORDS.findall(rest) if fold(w) not in rules.weekdays and fold(w) not in _FILLERS]
    if len(words) > MAX_DATE_LINE_WORDS or re.search(r"[.!?]\s+\w", rest):
        return None
    return m.value


def marker_date(line: str, markers: Sequence[str], rules: RuleSet | None = None) -> date | None:
    """The date following one of `markers` ("Publié le 3 mars 2025", "By X | Published 3 March 2025")."""
    rules = rules or load_rules()
    if len(_WORDS.findall(line)) > MAX_MARKER_LINE_WORDS:
        return None
    low = line.casefold()
    for marker in markers:
        for mm in re.finditer(rf"(?<!\w){re.escape(marker)}(?!\w)", low):
            before = low[: mm.start()].strip()
            # The marker starts the line, or a segment of a metadata line ("By X | Published ...",
            # "Par X, publié le ..."); a sentence ("The report, published 3 March 2025, says.") is not one.
            if before and (before[-1] not in "|·•-—–,;:(" or _SENTENCE_END.search(line)):
                continue
            for d in find_dates(line[mm.end() :], rules):
                if d.start <= 12:
                    return d.value
                break
    return None


def publication_date_from_lines(
    lines: Iterable[str], rules: RuleSet | None = None
) -> tuple[date | None, int | None]:
    """Publication date of a text given as lines, and the index of the line it came from.

    Priority: a "published" marker line (top MARKER_LINES or last
    MARKER_TAIL_LINES non-blank lines), then a date line within the first
    HEADER_LINES non-blank lines, then an "updated" marker line.
    """
    rules = rules or load_rules()
    indexed = [(i, line) for i, line in enumerate(lines) if line.strip()]
    zone = indexed[:MARKER_LINES] + indexed[max(MARKER_LINES, len(indexed) - MARKER_TAIL_LINES) :]
    for i, line in zone:
        if (d := marker_date(line, rules.published_markers, rules)) is not None:
            return d, i
    for i, line in indexed[:HEADER_LINES]:
        if marker_date(line, rules.updated_markers, rules) is None and (d := date_line(line, rules)) is not None:
            return d, i
    for i, line in zone:
        if (d := marker_date(line, rules.updated_markers, rules)) is not None:
            return d, i
    return None, None
