"""Line-based boilerplate removal for plain text, markdown and extracted HTML text.

Articles saved as text keep the page furniture around them: newsletter
prompts, comment counters and forms, share buttons, hashtag lines, photo
credits with their captions, author bios, "read more" links, a repeated
title. The cleaner works on whole lines, never inside one: every line it keeps
is the source line verbatim (only trimmed, and for markdown with its markup
removed), so article sentences survive unchanged.

What counts as boilerplate is data (`extractors/cleaning/<lang>.toml`); the
structural rules (hashtags, duplicates, captions above a credit, quoted
one-word-sentence bios, a bare author name under the title) are here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from extractors.cleaning_rules import RuleSet, fold, load_rules
from extractors.dates import date_line, marker_date, publication_date_from_lines

MAX_BOILERPLATE_CHARS = 300  # longer lines are paragraphs, never dropped by a pattern
TRUNCATE_FROM = 0.4  # a comments marker cuts the rest only past this fraction of the text
HEADER_LINES = 10  # non-blank lines where title, author and date lines are looked for
MAX_TITLE_WORDS = 30
MAX_CAPTION_WORDS = 25
MAX_CAPTION_LINES = 3
BIO_TAIL_LINES = 3

_QUOTES = str.maketrans(
    {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'}
)
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BULLET = re.compile(r"^[-–—•·*▶►→>|]+\s*")
_SENTENCE_END = re.compile(r"[.!?…:;,]['\"”»)\]]*$")
_HASHTAG_LINE = re.compile(r"(?:#[^\W_][\w'’-]*[\s,;·|]*)+")
_TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+")
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
_NAME_TOKEN = re.compile(r"[^\W\d_][^\W\d_'’.-]*(?:['’-][^\W\d_]+)*\.?")
_AUTHOR_SEGMENT = re.compile(r"\s[|·•—–-]\s|,\s(?=\S*\d)")
_NAME_JOINERS = frozenset({"and", "et", "und", "y", "e", "&", ","})

# markdown
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?")
_MD_BULLET = re.compile(r"^\s{0,3}[-*+]\s+")
_MD_REFDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]+|\([^)]*\))*(?:\s+\"[^\"]*\")?\)")
_MD_REFLINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_MD_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_EM = re.compile(
    r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"
)
_MD_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_MD_CODE = re.compile(r"`([^`\n]+)`")


@dataclass(frozen=True, slots=True)
class TextResult:
    text: str
    title: str | None = None
    author: str | None = None
    published: date | None = None
    removed: tuple[str, ...] = ()  # dropped lines, for debugging and tests


def normalise_line(line: str) -> str:
    """The form patterns are matched against: straight quotes, single spaces, no leading bullet."""
    line = _SPACES.sub(" ", line.translate(_QUOTES)).strip()
    return _BULLET.sub("", line).strip()


def strip_markdown_line(line: str) -> str:
    """Markdown markup of one line removed (headings, emphasis, links, images, quotes, bullets)."""
    if _MD_RULE.match(line) or _MD_REFDEF.match(line):
        return ""
    if m := _MD_HEADING.match(line):
        line = m.group(1)
    line = _MD_QUOTE.sub("", line)
    line = _MD_BULLET.sub("", line)
    line = _MD_IMAGE.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_REFLINK.sub(r"\1", line)
    line = _MD_AUTOLINK.sub(r"\1", line)
    line = _MD_STRONG.sub(r"\2", line)
    line = _MD_EM.sub(lambda m: m.group(1) or m.group(2), line)
    line = _MD_STRIKE.sub(r"\1", line)
    return _MD_CODE.sub(r"\1", line)


def _words(line: str) -> list[str]:
    return _WORD.findall(line)


def _matches(patterns: tuple[re.Pattern[str], ...], norm: str) -> bool:
    return len(norm) <= MAX_BOILERPLATE_CHARS and any(p.fullmatch(norm) for p in patterns)


def _is_quoted_bio(norm: str) -> bool:
    """A quoted string of three or more very short sentences ("Pop culture expert. Travel fan. ...")."""
    if len(norm) < 2 or norm[0] != '"' or norm[-1] != '"':
        return False
    parts = [p for p in re.split(r"[.!?]+", norm.strip('"')) if p.strip()]
    return len(parts) >= 3 and all(len(_words(p)) <= 5 for p in parts)


def _name(text: str, rules: RuleSet) -> str | None:
    """`text` if it looks like one or more person names ("Olga Demidenko", "Jane Doe and John Roe")."""
    text = text.strip().rstrip(",;|")
    tokens = [t for t in re.split(r"\s+|(?<=,)", text) if t]
    name_tokens = 0
    for tok in tokens:
        low = tok.casefold().rstrip(",")
        if low in _NAME_JOINERS or not low:
            continue
        word = tok.rstrip(",")
        if not _NAME_TOKEN.fullmatch(word) or not word[0].isupper() or word.isupper() and len(word) > 3:
            return None
        if fold(word.rstrip(".")) in rules.months or fold(word.rstrip(".")) in rules.weekdays:
            return None
        name_tokens += 1
    return text if 2 <= name_tokens <= 8 else None


def _author_line(norm: str, rules: RuleSet, bare: bool) -> str | None:
    low = norm.casefold()
    for prefix in rules.author_prefixes:
        if low.startswith(prefix + " ") or low.startswith(prefix + ":"):
            rest = norm[len(prefix) :].lstrip(" :")
            # "By X | Published ..." / "Par X, 12 mars 2025": the name is the first segment
            rest = _AUTHOR_SEGMENT.split(rest)[0]
            if (name := _name(rest, rules)) and len(_words(name)) <= 10:
                return name
            return None
    if bare and len(_words(norm)) <= 4 and (name := _name(norm, rules)):
        return name
    return None


def clean_text(
    text: str,
    *,
    markdown: bool = True,
    extracted: bool = False,
    title: str | None = None,
    author: str | None = None,
    rules: RuleSet | None = None,
) -> TextResult:
    """Drop boilerplate lines from `text`; pick up title, author and publication date.

    Plain text (`extracted=False`): the first short line without final
    punctuation is the title (it stays in the text); a "By X" line or a bare
    person's name under the title is the author (the line is dropped).
    Text extracted from HTML (`extracted=True`, `title`/`author` from the page
    metadata): headings there are too varied for those guesses ("Von Risiken
    und Nebenwirkungen" is no author), so only lines repeating the known title
    or naming the known author are dropped.
    """
    rules = rules or load_rules()
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.strip() for line in text.split("\n")]
    if markdown:
        lines = [strip_markdown_line(line).strip() for line in lines]
    norms = [normalise_line(line) for line in lines]
    n = len(lines)
    drop = [not norm for norm in norms]  # blank lines are re-inserted as paragraph breaks below
    blank = list(drop)
    removed: list[str] = []

    def remove(i: int) -> None:
        if not drop[i]:
            drop[i] = True
            removed.append(lines[i])

    # 1. boilerplate patterns (a comments marker anywhere is one too) and hashtag lines
    for i, norm in enumerate(norms):
        if not drop[i] and (
            _matches(rules.lines, norm) or _matches(rules.truncate, norm) or _HASHTAG_LINE.fullmatch(norm)
        ):
            remove(i)

    # 2. a comments section in the second part of the text: cut it and what follows
    total = sum(len(line) + 1 for line in lines) or 1
    offset = 0
    for i, norm in enumerate(norms):
        if offset / total >= TRUNCATE_FROM and norm and _matches(rules.truncate, norm):
            for j in range(i, n):
                remove(j)
            break
        offset += len(lines[i]) + 1

    # 3. publication date, and date/marker lines in the header (metadata, not sentences)
    live = [lines[i] if not drop[i] else "" for i in range(n)]
    published, where = publication_date_from_lines(live, rules)
    metadata = [where] if where is not None and len(_words(lines[where])) <= 12 else []
    for i in [i for i in range(n) if not drop[i]][:HEADER_LINES]:
        short = len(_words(lines[i])) <= 12
        if date_line(lines[i], rules) or (
            short
            and (
                marker_date(lines[i], rules.published_markers, rules)
                or marker_date(lines[i], rules.updated_markers, rules)
            )
        ):
            metadata.append(i)
    line_author: str | None = None  # "By Jane Doe | Published 3 March 2025"
    for i in metadata:
        line_author = line_author or _author_line(norms[i], rules, bare=False)
        remove(i)

    # 4. a line repeated right after itself (typically the title)
    prev: int | None = None
    for i in range(n):
        if drop[i]:
            continue
        if prev is not None and norms[i].casefold() == norms[prev].casefold():
            remove(i)
            continue
        prev = i
    if extracted and title:
        # the title again at the top, possibly with a site suffix ("Title | Section | Site | date")
        known = normalise_line(title).casefold()
        base = _TITLE_SEPARATOR.split(known)[0]  # "Title | Site | date" -> "Title"
        for i in [i for i in range(n) if not drop[i]][:3]:
            low = norms[i].casefold()
            if low in (known, base) or low.startswith(base) and _TITLE_SEPARATOR.match(low[len(base) :]):
                remove(i)

    # 5. title: first kept line, short and not ending like a sentence
    title_idx: int | None = None
    kept = [i for i in range(n) if not drop[i]]
    if not extracted and len(kept) > 1:
        i = kept[0]
        if len(_words(norms[i])) <= MAX_TITLE_WORDS and not re.search(r"[.:;,]['\"”»)]*$", norms[i]):
            title_idx, title = i, lines[i]

    # 6. author: "Par X" / "By X" line, or a bare name line, in the header
    author = author or line_author
    known_author = fold(author) if author else None
    for i in [i for i in range(n) if not drop[i]][:HEADER_LINES]:
        if i == title_idx:
            continue
        bare = not extracted and title_idx is not None and i > title_idx
        found = _author_line(norms[i], rules, bare)
        if found and (not extracted or known_author and fold(found) in known_author):
            author = author or found
            remove(i)
            break

    # 7. photo credits, and the caption lines glued right above them
    for i, norm in enumerate(norms):
        if blank[i] or not _matches(rules.credits, norm):  # may already be gone as a licence line
            continue
        remove(i)
        j, taken = i - 1, 0
        while j >= 0 and not blank[j] and taken < MAX_CAPTION_LINES:
            if not drop[j]:
                if (
                    j == title_idx
                    or len(_words(norms[j])) > MAX_CAPTION_WORDS
                    or _SENTENCE_END.search(norms[j])
                ):
                    break
                remove(j)
                taken += 1
            j -= 1

    # 8. author bios among the last lines
    for i in [i for i in range(n) if not drop[i]][-BIO_TAIL_LINES:]:
        if _matches(rules.bios, norms[i]) or _is_quoted_bio(norms[i]):
            remove(i)

    out: list[str] = []
    for i in range(n):
        if not drop[i]:
            out.append(lines[i])
        elif blank[i] and out and out[-1] != "":
            out.append("")
    while out and out[-1] == "":
        out.pop()
    return TextResult(
        text="\n".join(out),
        title=title or None,
        author=author,
        published=published,
        removed=tuple(removed),
    )
