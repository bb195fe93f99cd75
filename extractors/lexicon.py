"""Per-language lexicons: TOML data files loaded, validated and compiled once.

A lexicon (`extractors/lexicons/<lang>.toml`) holds everything language-specific
the claim extractor needs: number formats, category nouns, qualifier words,
direction, status, claimant and period cues. `common.toml` holds the
language-independent part (claimant acronyms, junk tokens, party codes).

Validation is strict ("crash, never silently absorb"): a missing section, an
unknown key, an unknown category or party, or a regex that does not compile
raises `LexiconError` naming the file and the key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from re import _parser as _sre_parse  # type: ignore[attr-defined]
from typing import Any

from extractors.anchors import Anchors, literal_heads
from extractors.models import CATEGORIES, QUALIFIERS

LEXICON_PACKAGE = "extractors.lexicons"

# section -> {key: required?}; values are validated by `_check_*` below.
_SCHEMA: dict[str, dict[str, bool]] = {
    "meta": {"lang": True, "name": True},
    "numbers": {
        "group_separators": True,
        "decimal_separators": True,
        "number_words": True,
        "compound_number_words": False,
        "articles": True,
        "scales": True,
        "collectives": True,
        "percent": True,
        "vague": True,
        "one": False,
    },
    "nouns": {c: True for c in CATEGORIES},
    "noun_phrase": {
        "skip": True,
        "max_unknown": True,
        "stop": True,
        "compounds": False,
        "capitalised": False,
        "detach": False,
        "unit_links": True,
        "function_words": False,
    },
    "context": {
        "casualty": True,
        "munitions": True,
        "workers": True,
        "exclude_before": True,
        "exclude_before_year": False,
        "usage": False,
        "limit": False,
        "elliptic_before": False,
        "elliptic_after": False,
        "limit_exceeded": False,
        "label_links": False,
        "production": False,
        "purpose": False,
        "correction": False,
    },
    "qualifiers": {q: True for q in QUALIFIERS if q not in ("exact", "range")}
    | {"after_at_least": True, "range_start": True, "range_join": True, "range_to": True},
    "countries": {},  # party code -> patterns; validated separately
    "direction": {"to": True, "from": True, "send": True, "receive": True, "exchange": True, "article_cues": False},
    "status": {"planned": True, "denied": True},
    "claimants": {"cues": True, "names": True},
    "periods": {"rules": True},
}
_COMMON_SCHEMA: dict[str, dict[str, bool]] = {
    "parties": {"codes": True, "watched": True},
    "claimants": {"names": True},
    "numbers": {"junk": True},
}


class LexiconError(ValueError):
    """A lexicon file is missing, malformed or inconsistent."""


@dataclass(frozen=True, slots=True)
class Lexicon:
    """A validated, compiled lexicon for one language."""

    lang: str
    name: str
    group_seps: str
    decimal_seps: str
    number_word: re.Pattern[str]
    articles: frozenset[str]
    scales: tuple[tuple[re.Pattern[str], float], ...]
    any_scale: re.Pattern[str]  # prefilter: some scale word follows here
    collectives: tuple[tuple[re.Pattern[str], float, bool], ...]
    percent: re.Pattern[str]
    vague: frozenset[str]
    junk: re.Pattern[str]
    nouns: dict[str, re.Pattern[str]]
    any_noun: re.Pattern[str]  # prefilter: some category noun starts here
    compound_noun: re.Pattern[str]  # fullmatch on a word: prefix + category stem (+ dative n)
    compound_nouns: bool
    np_skip: re.Pattern[str]
    np_stop: re.Pattern[str]
    np_max_unknown: int
    unit_links: re.Pattern[str]
    casualty: re.Pattern[str]
    munitions: re.Pattern[str]
    workers: re.Pattern[str]
    exclude_before: re.Pattern[str]
    qualifiers: dict[str, re.Pattern[str]]
    after_at_least: re.Pattern[str]
    range_start: re.Pattern[str]
    range_join: re.Pattern[str]
    range_to: re.Pattern[str]
    countries: re.Pattern[str]  # named groups, one per party code
    to_cue: re.Pattern[str]
    article_cues: frozenset[str]  # "to" cues that are also articles ("a" in Portuguese)
    from_cue: re.Pattern[str]
    send: re.Pattern[str]
    receive: re.Pattern[str]
    exchange: re.Pattern[str]
    planned: re.Pattern[str]
    denied: re.Pattern[str]
    claimant_cues: re.Pattern[str]
    claimants: re.Pattern[str]  # one named group per claimant, longest wording first
    claimant_names: dict[str, str]  # group name -> canonical claimant
    periods: tuple[tuple[re.Pattern[str], str], ...]
    party_codes: frozenset[str] = field(default_factory=frozenset)
    watched: frozenset[str] = field(default_factory=frozenset)
    # Derived, for speed only (same matches as the patterns above):
    # one match per noun-phrase step: noun (`_n`, non-compound lexicons only), stop (`_t`),
    # skip (`_k`), country (`_c`), else a word (`_w`); None when it cannot be built
    np_step: re.Pattern[str] | None = field(default=None, compare=False)
    # what follows a digit token: scale (`_s`), letter (`_l`) or percent (`_p`)
    digit_tail: re.Pattern[str] | None = field(default=None, compare=False)
    any_qualifier: re.Pattern[str] | None = field(default=None, compare=False)  # any of `qualifiers`
    # compound_noun.fullmatch on a word depends on the word only: results cached per word
    compound_cache: dict[str, str | None] | None = field(default=None, compare=False)
    # literal text every casualty cue starts with (a cheap test that no cue is in a span)
    casualty_prefix: re.Pattern[str] | None = field(default=None, compare=False)
    # one pass for `number_word` and `countries` at once: at each non-word character, what
    # starts after it (group `_nw`: a number word; a `countries` group: a party)
    word_scan: re.Pattern[str] | None = field(default=None, compare=False)
    # a `countries` match never depends on text outside the sentence it lies in (no
    # look-ahead, anchor or word boundary in the patterns): mentions can be read off the
    # whole-document matches
    countries_local: bool = field(default=False, compare=False)
    # a party's own use, launches, production, stock or rates in the figure's clause ("fired",
    # "production de", "al giorno"): not a transfer (optional, never matches when absent)
    usage: re.Pattern[str] = field(default=re.compile(r"(?!x)x"), compare=False)
    # a stated cap or a per-vehicle capacity before the figure ("cap ... at", "chaque navire")
    limit: re.Pattern[str] = field(default=re.compile(r"(?!x)x"), compare=False)
    # words saying a stated limit was passed ("exceeding the cap of 500,000 barrels")
    limit_exceeded: re.Pattern[str] = field(default=re.compile(r"(?!x)x"), compare=False)
    # nouns are written with a capital letter (German): a capitalised word after a bare
    # figure is the noun it counts
    capitalised_nouns: bool = False
    # words after a noun phrase that start another clause ("drones before Russia moved ...")
    detach: frozenset[str] = frozenset()
    # a word between a labelling noun and a bare figure ("casualties at some 4,700")
    label_link: re.Pattern[str] = field(default=re.compile(r"(?!x)x"), compare=False)
    label_words: frozenset[str] = frozenset()  # the last words of `label_link`'s wordings
    # the number word for 1 that stands for an article opening a run ("a hundred and forty")
    one: str | None = None
    # first character -> the `nouns` that may start with it (key "": those that may start with any)
    noun_first: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = field(default_factory=dict, compare=False)
    # a party making items ("turned out 2,700 of them"): no transfer, even of items named earlier
    production: re.Pattern[str] = field(default=re.compile(r"(?!x)x"), compare=False)
    # a correction note: its figures were withdrawn
    correction: re.Pattern[str] = field(default=re.compile(r"(?!x)x"), compare=False)
    # a purpose clause after a noun of people says why they went, not what befell them
    purpose: re.Pattern[str] = field(default=re.compile(r"(?!x)x"), compare=False)
    # words before a year ("im Januar 2024"), not before other figures ("im Januar zwei Soldaten")
    exclude_before_year: re.Pattern[str] = field(default=re.compile(r"(?!x)x"), compare=False)
    # a bare figure whose noun stands earlier: "another 3,000", "altri 8mila", "davon etwa"
    # (only a qualifier between cue and figure), "60 of them", "60 de ellos"
    elliptic_before: re.Pattern[str] = field(default=re.compile(r"(?!x)x"), compare=False)
    elliptic_after: re.Pattern[str] = field(default=re.compile(r"(?!x)x"), compare=False)
    elliptic_cue: re.Pattern[str] = field(default=re.compile(r"(?!x)x"), compare=False)  # the cues alone
    # the nouns among `np_stop` ("countries", "years"; not "and", "were"): a figure before one
    # counts it, so it is no elliptic figure
    np_stop_nouns: re.Pattern[str] = field(default=re.compile(r"(?!x)x"), compare=False)
    # category nouns at a word start, searched backwards for an elliptic figure's antecedent
    noun_any: re.Pattern[str] = field(default=re.compile(r"(?!x)x"), compare=False)
    casualty_prefix_max: int = field(default=0, compare=False)  # longest of those texts
    # where number words, countries, category nouns, casualty and elliptic cues can start:
    # one pass over a document instead of one regex scan per list (see `anchors`)
    anchors: Anchors | None = field(default=None, compare=False)
    # gap text between two figures -> (range_to matches, range_join matches)
    range_gaps: dict[str, tuple[bool, bool]] = field(default_factory=dict, compare=False)


def available_languages() -> list[str]:
    """ISO 639-1 codes that have a lexicon file."""
    root = resources.files(LEXICON_PACKAGE)
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".toml") and p.name != "common.toml")


def _read(name: str) -> dict[str, Any]:
    path = resources.files(LEXICON_PACKAGE) / name
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LexiconError(f"{name}: no such lexicon file") from None
    except tomllib.TOMLDecodeError as e:
        raise LexiconError(f"{name}: invalid TOML: {e}") from None


def _check_sections(data: dict[str, Any], schema: dict[str, dict[str, bool]], fname: str) -> None:
    for section in data:
        if section not in schema:
            raise LexiconError(f"{fname}: unknown section [{section}]")
    for section, keys in schema.items():
        if section not in data or not isinstance(data[section], dict):
            raise LexiconError(f"{fname}: missing section [{section}]")
        if not keys:
            continue
        for key in data[section]:
            if key not in keys:
                if section == "nouns":
                    raise LexiconError(
                        f"{fname}: nouns.{key}: unknown category (known: {', '.join(CATEGORIES)})"
                    )
                raise LexiconError(f"{fname}: unknown key {section}.{key}")
        for key, required in keys.items():
            if required and key not in data[section]:
                raise LexiconError(f"{fname}: missing key {section}.{key}")


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise LexiconError(f"{where}: expected a list of non-empty strings")
    return value


def _alt(patterns: list[str], where: str) -> str:
    for p in patterns:
        try:
            re.compile(p)
        except re.error as e:
            raise LexiconError(f"{where}: bad regex {p!r}: {e}") from None
    # longest first so that alternation prefers the most specific wording
    return "|".join(f"(?:{p})" for p in sorted(patterns, key=len, reverse=True))


_NEVER = r"(?!x)x"  # a pattern that matches nothing


def _words(patterns: list[str], where: str, *, suffix: str = r"(?!\w)") -> re.Pattern[str]:
    """Whole-word alternation; never matches when the list is empty."""
    if not patterns:
        return re.compile(_NEVER)
    return re.compile(rf"(?<!\w)(?:{_alt(patterns, where)}){suffix}")


def _quotable(pattern: str) -> str:
    """A collective may be quoted up to its last word: '"una cinquantina" di obici'."""
    head, sep, tail = pattern.rpartition(" ")
    if not sep or head.count("(") != head.count(")"):
        return pattern
    return f"{head}[\"»”“]? {tail}"


def _ends(patterns: list[str], where: str) -> re.Pattern[str]:
    """Alternation anchored at the end of a left context ("plus de" + figure); never matches
    when the list is empty."""
    if not patterns:
        return re.compile(_NEVER)
    return re.compile(rf"(?<!\w)(?:{_alt(patterns, where)})\s*$")


def group_label(m: re.Match[str]) -> str:
    """The party code of a `Lexicon.countries` match."""
    g = m.lastgroup or ""
    return g.split("__", 1)[0] if "__" in g else g


# ---------------------------------------------------------------- faster equivalent patterns
#
# Python's re tries an alternation of N words at every position, alternative after
# alternative. The patterns below match exactly what the plain alternations match (same
# alternatives, same order, same backtracking) but dispatch on the first character, so that
# only the alternatives starting with the current character are tried.

_SPECIAL = set(".^$*+?{}[]\\|()#")


def _tree(x: Any) -> Any:
    if isinstance(x, _sre_parse.SubPattern):
        return ("SP", tuple(_tree(i) for i in x.data))
    if isinstance(x, list | tuple):
        return tuple(_tree(i) for i in x)
    return x


def _split_first(p: str) -> tuple[str, str] | None:
    """(c, rest) when pattern `p` is exactly the literal character c followed by pattern `rest`."""
    if not p or p[0] in _SPECIAL or p[0].isspace():
        return None
    c, rest = p[0], p[1:]
    try:
        same = _tree(_sre_parse.parse(p)) == _tree(_sre_parse.parse(f"{re.escape(c)}(?:{rest})"))
    except re.error:
        return None
    return (c, rest) if same else None


def _literal_prefix(p: str) -> tuple[str, str]:
    """(prefix, rest): the longest literal text every match of `p` starts with, and the pattern after it."""
    best = ("", p)
    for k in range(1, len(p) + 1):
        head, rest = p[:k], p[k:]
        if head[-1] in _SPECIAL:
            break
        try:
            if _tree(_sre_parse.parse(p)) == _tree(_sre_parse.parse(f"{re.escape(head)}(?:{rest})")):
                best = (head, rest)
        except re.error:
            pass
    return best


# An alternative: (pattern, group name or None, suffix pattern, class the character before
# the match must not be in, or None).
_Alt = tuple[str, str | None, str, str | None]


def _dispatch(alts: list[_Alt], *, shared: bool = False) -> str:
    """An alternation of `alts` (in priority order) grouped by first character.

    The same matches as the alternation of `(?<!behind)(?P<group>pattern)suffix`, tried in
    order, but the regex engine only tries the alternatives that start with the current
    character (a look-behind is checked after that character). Alternatives that do not
    start with a literal character stay where they are: the ones before them and the ones
    after them are grouped separately, so that the order in which alternatives are tried is
    unchanged. When all alternatives start with a literal, the pattern starts with a
    character set, which the engine also uses to skip ahead when searching.

    With `shared`, group names are labels: consecutive alternatives with the same label
    share one group, named label + a number (`m.lastgroup` tells the label, not the alternative).
    """
    out: list[str] = []
    # first character -> runs of (look-behind, group, alternatives) in order
    by: dict[str, list[tuple[str, str | None, list[str]]]] = {}
    count = 0

    def name(g: str | None) -> str | None:
        nonlocal count
        if g is None or not shared:
            return g
        count += 1
        return f"{g}{count}"

    def flush() -> None:
        for c, runs in by.items():
            inner = []
            for lb, g, items in runs:
                body = "|".join(items)
                if g:
                    body = f"(?P<{name(g)}>{body})"
                inner.append(f"{lb}(?:{body})" if lb else body)
            out.append(f"{re.escape(c)}(?:{'|'.join(inner)})")
        by.clear()

    for p, g, suffix, behind in alts:
        sp = _split_first(p)
        if sp is None:
            flush()
            lb = f"(?<!{behind})" if behind else ""
            body = f"(?:{p}){suffix}"
            out.append(f"{lb}(?P<{name(g)}>{body})" if g else f"{lb}{body}")
            continue
        c, rest = sp
        lb = f"(?<!{behind}{re.escape(c)})" if behind else ""
        runs = by.setdefault(c, [])
        if not runs or runs[-1][0] != lb or runs[-1][1] != g or (g and not shared):
            runs.append((lb, g, []))
        runs[-1][2].append(f"(?:{rest}){suffix}")
    flush()
    return "|".join(out)


def _fast(alts: list[_Alt], plain: str, tail: str = "", *, shared: bool = False) -> re.Pattern[str]:
    """A faster pattern with the matches of `plain`, the alternation of `alts` + `tail`."""
    return _try(f"(?:{_dispatch(alts, shared=shared)}){tail}") or re.compile(plain)


def _by_length(patterns: list[str]) -> list[str]:
    return sorted(patterns, key=len, reverse=True)  # the order `_alt` uses


def _words_fast(patterns: list[str], where: str, *, suffix: str = r"(?!\w)") -> re.Pattern[str]:
    """`_words`, faster."""
    plain = _words(patterns, where, suffix=suffix)
    if not patterns:
        return plain
    return _fast([(p, None, suffix, r"\w") for p in _by_length(patterns)], plain.pattern)


def _ends_fast(patterns: list[str], where: str) -> re.Pattern[str]:
    """`_ends`, faster."""
    plain = _ends(patterns, where)
    if not patterns:
        return plain
    return _fast([(p, None, r"\s*$", r"\w") for p in _by_length(patterns)], plain.pattern)


def _fast_number_word(words: list[str], compound: bool, plain: str) -> re.Pattern[str]:
    first = _dispatch([(p, None, "", r"[\w-]") for p in _by_length(words)])
    nw = "|".join(f"(?:{p})" for p in _by_length(words))
    # (?<![\w-])(?:nw){1,8}  ==  first (with the look-behind) + (?:nw){0,7}
    rest = rf"(?:{nw}){{0,7}}" if compound else rf"(?:-(?:{nw}))*"
    return _try(rf"(?:{first}){rest}(?![\w])") or re.compile(plain)


def _country_alts(countries: dict[str, list[str]]) -> list[_Alt]:
    return [(p, f"{code}__", "", r"\w") for code, pats in countries.items() for p in _by_length(pats)]


def _single_fast(pattern: str, plain: re.Pattern[str]) -> re.Pattern[str]:
    r"""`(?<!\w)(?:pattern)(?!\w)` with its literal prefix first, so that the engine searches for that text."""
    head, rest = _literal_prefix(pattern)
    if not head:
        return plain
    e = re.escape(head)
    fast = _try(rf"{e}(?<!\w{e})(?:{rest})(?!\w)")
    return fast if fast is not None and fast.groups == plain.groups else plain


def _casualty_heads(patterns: list[str]) -> list[str]:
    """Literal text (without spaces) every casualty cue starts with; [] when some cue has none."""
    heads = []
    for p in patterns:
        head, _ = _literal_prefix(p)
        head = next((head[:i] for i, c in enumerate(head) if c.isspace()), head)
        if not head:
            return []
        heads.append(head)
    return sorted(set(heads), key=len, reverse=True)


def _cue_heads(patterns: list[str], where: str) -> re.Pattern[str]:
    """A prefilter for `patterns`: the literal text each starts with (every match of a
    pattern starts with a match of this); the patterns when some has none."""
    heads = []
    for p in patterns:
        head, _ = _literal_prefix(p)
        if not head:
            return _words_fast(patterns, where)
        heads.append(re.escape(head))
    return _words_fast(sorted(set(heads)), where, suffix="")


def _numbering(alts: list[tuple[str, str, str]]) -> list[int]:
    """1, 2, ... per group name, in order: the group suffixes of the claimant pattern."""
    seen: dict[str, int] = {}
    out = []
    for _, g, _ in alts:
        seen[g] = seen.get(g, 0) + 1
        out.append(seen[g])
    return out


def _try(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:  # e.g. a lexicon pattern that uses one of our group names
        return None


_OPEN_ENDED = re.compile(r"\(\?[=!]|\\[bBZ]|(?<!\\)\$")  # look-ahead, word boundary, end anchor
_CONTEXT_FREE = re.compile(r"\(\?<[=!]|\\[bBAZ]|(?<!\[)\^")  # look-behind, word boundary, anchors


def _compile(data: dict[str, Any], common: dict[str, Any], fname: str) -> Lexicon:
    codes = frozenset(_strings(common["parties"]["codes"], "common.toml: parties.codes"))
    watched = frozenset(_strings(common["parties"]["watched"], "common.toml: parties.watched"))
    meta, num, nouns = data["meta"], data["numbers"], data["nouns"]
    lang = meta["lang"]
    if f"{lang}.toml" != fname:
        raise LexiconError(f"{fname}: meta.lang is {lang!r}, file name says otherwise")

    def s(section: str, key: str) -> list[str]:
        return _strings(data[section][key], f"{fname}: {section}.{key}")

    word_start = "" if data["noun_phrase"].get("compounds", False) else r"(?<!\w)"
    function_words = set(_strings(data["noun_phrase"].get("function_words", ["-"]), f"{fname}: noun_phrase.function_words"))
    stop_nouns = [p for p in s("noun_phrase", "stop") if p not in function_words]

    def ctx_opt(key: str) -> list[str]:
        """An optional `[context]` list; empty when absent."""
        if key not in data["context"] or data["context"][key] == []:
            return []
        return s("context", key)

    scales = []
    for i, item in enumerate(num["scales"]):
        where = f"{fname}: numbers.scales[{i}]"
        if not isinstance(item, dict) or not {"pattern", "value"} <= set(item) <= {
            "pattern",
            "value",
            "attached",
        }:
            raise LexiconError(f"{where}: expected {{pattern, value, attached}}")
        space = "" if item.get("attached") else "[ \u00a0\u202f\u2009]?"
        scales.append(
            (re.compile(rf"{space}(?:{_alt([item['pattern']], where)})(?!\w)"), float(item["value"]))
        )
    collectives = []
    for i, item in enumerate(num["collectives"]):
        where = f"{fname}: numbers.collectives[{i}]"
        if not isinstance(item, dict) or not {"pattern", "value"} <= set(item) <= {
            "pattern",
            "value",
            "approx",
        }:
            raise LexiconError(f"{where}: expected {{pattern, value, approx}}")
        collectives.append(
            (
                re.compile(rf"(?:{_alt([_quotable(item['pattern'])], where)})(?:(?<=’)|(?!\w))"),
                float(item["value"]),
                bool(item.get("approx", True)),
            )
        )
    compound = bool(num.get("compound_number_words", False))
    nw = _alt(s("numbers", "number_words"), f"{fname}: numbers.number_words")
    word_re = (
        rf"(?<![\w-])(?:{nw}){{1,8}}(?![\w])" if compound else rf"(?<![\w-])(?:{nw})(?:-(?:{nw}))*(?![\w])"
    )

    cat_res: dict[str, re.Pattern[str]] = {}
    for cat in nouns:
        if cat not in CATEGORIES:
            raise LexiconError(f"{fname}: nouns.{cat}: unknown category (known: {', '.join(CATEGORIES)})")
    for cat in CATEGORIES:
        pats = s("nouns", cat)
        cat_res[cat] = re.compile(rf"(?:{_alt(pats, f'{fname}: nouns.{cat}')})(?!\w)")

    npd = data["noun_phrase"]
    if not isinstance(npd["max_unknown"], int) or not 0 <= npd["max_unknown"] <= 4:
        raise LexiconError(f"{fname}: noun_phrase.max_unknown: expected an integer 0..4")

    countries = data["countries"]
    labelled = []
    for code, pats in countries.items():
        if code not in codes:
            raise LexiconError(
                f"{fname}: countries.{code}: unknown party code (known: {', '.join(sorted(codes))})"
            )
        labelled.append(f"(?P<{code}>{_alt(_strings(pats, f'{fname}: countries.{code}'), f'{fname}: countries.{code}')})")
    missing = watched - set(countries)
    if missing:
        raise LexiconError(
            f"{fname}: countries: no patterns for watched parties {', '.join(sorted(missing))}"
        )
    country_re = re.compile(rf"(?<!\w)(?:{'|'.join(labelled)})(?!\w)")

    quals = {
        q: _ends_fast(s("qualifiers", q), f"{fname}: qualifiers.{q}") for q in ("approx", "at_least", "at_most")
    }

    names = dict(common["claimants"]["names"])
    for canon, pats in data["claimants"]["names"].items():
        names[canon] = list(names.get(canon, [])) + _strings(pats, f"{fname}: claimants.names.{canon}")
    alts = []
    for i, (canon, pats) in enumerate(names.items()):
        where = f"{fname}: claimants.names.{canon}"
        for p in _strings(pats, where):
            alts.append((p, f"c{i}", where))
    # one alternation, longest wording first, so "South Korea's NIS" beats "South Korea"
    alts.sort(key=lambda a: len(a[0]), reverse=True)
    groups_used: dict[str, int] = {}
    parts = []
    for p, g, where in alts:
        _alt([p], where)
        n = groups_used[g] = groups_used.get(g, 0) + 1
        parts.append(f"(?P<{g}_{n}>{p})")
    claimants = _fast(
        [(p, f"{g}_{n}", "", r"\w") for (p, g, _), n in zip(alts, _numbering(alts), strict=True)],
        rf"(?<!\w)(?:{'|'.join(parts)})(?!\w)",
        r"(?!\w)",
    )
    claimant_names = {f"c{i}_{n}": canon for i, canon in enumerate(names) for n in range(1, groups_used.get(f"c{i}", 0) + 1)}
    periods = []
    for i, rule in enumerate(data["periods"]["rules"]):
        where = f"{fname}: periods.rules[{i}]"
        if not isinstance(rule, dict) or set(rule) != {"pattern", "label"}:
            raise LexiconError(f"{where}: expected {{pattern, label}}")
        rx = re.compile(rf"(?<!\w)(?:{_alt([rule['pattern']], where)})(?!\w)")
        refs = [int(n) for n in re.findall(r"\\(\d)", rule["label"])]
        if any(n > rx.groups for n in refs):
            raise LexiconError(f"{where}: label refers to a group the pattern lacks")
        periods.append((_single_fast(_alt([rule["pattern"]], where), rx), rule["label"]))

    junk = _strings(common["numbers"]["junk"], "common.toml: numbers.junk")
    country_pats = {code: _strings(pats, f"{fname}: countries.{code}") for code, pats in countries.items()}
    fast_countries = _fast(_country_alts(country_pats), country_re.pattern, r"(?!\w)", shared=True)
    plain_countries = rf"(?:{_dispatch([(p, None, s_, b) for p, _, s_, b in _country_alts(country_pats)])})(?!\w)"
    countries_local = not any(_OPEN_ENDED.search(p) for pats in country_pats.values() for p in pats)
    any_noun = "|".join(f"(?:{rx.pattern})" for rx in cat_res.values())
    np_skip = rf"(?:{_alt(s('noun_phrase', 'skip'), f'{fname}: noun_phrase.skip')})(?:(?<=’)|(?!\w))"
    np_stop = rf"(?:{_alt(s('noun_phrase', 'stop'), f'{fname}: noun_phrase.stop')})(?![\w])"
    compounds = bool(npd.get("compounds", False))
    # kinds in the order `counted_noun` tests them: noun (non-compound lexicons), stop, skip, country
    step: list[tuple[str, str, str | None, str]] = []
    if not compounds:
        step += [(p, r"(?!\w)", None, "_n") for cat in CATEGORIES for p in _by_length(s("nouns", cat))]
    # ("jet-powered": a stop word starting a compound adjective stops nothing)
    step += [(p, r"(?![\w-])", None, "_t") for p in _by_length(s("noun_phrase", "stop"))]
    step += [(p, r"(?:(?<=’)|(?!\w))", None, "_k") for p in _by_length(s("noun_phrase", "skip"))]
    step += [(p, r"(?!\w)", r"\w", "_c") for p, *_ in _country_alts(country_pats)]
    step_body = _dispatch([(p, kind, suffix, behind) for p, suffix, behind, kind in step], shared=True)
    np_step = _try(rf"{step_body}|(?P<_w>[\w’-]+)")
    any_scale = "|".join(f"(?:{rx.pattern})" for rx, _ in scales) or r"(?!x)x"
    percent = rf"\s?(?:{_alt(s('numbers', 'percent'), f'{fname}: numbers.percent')})"
    digit_tail = _try(rf"(?P<_s>{any_scale})|(?P<_l>[^\W\d_])|(?P<_p>{percent})")
    any_qualifier = _try("|".join(f"(?:{rx.pattern})" for rx in quals.values()))
    number_word = _fast_number_word(s("numbers", "number_words"), compound, word_re)
    word_scan = _try(
        rf"[^\w](?:(?=(?P<_nw>{number_word.pattern}))|(?={plain_countries}))(?:(?={fast_countries.pattern})|)"
    )
    if word_scan is not None and (
        "_nw" not in word_scan.groupindex or any(g.startswith("_") and g != "_nw" for g in word_scan.groupindex)
    ):
        word_scan = None  # a lexicon pattern has groups of its own
    casualty_heads = _casualty_heads(s("context", "casualty"))
    casualty_prefix = re.compile("|".join(re.escape(h) for h in casualty_heads)) if casualty_heads else None
    elliptic_cue = _cue_heads(ctx_opt("elliptic_before"), f"{fname}: context.elliptic_before")
    planned = _words_fast(s("status", "planned"), f"{fname}: status.planned", suffix="")
    denied = _words_fast(s("status", "denied"), f"{fname}: status.denied", suffix="")
    usage = _words_fast(ctx_opt("usage"), f"{fname}: context.usage")
    limit = _words_fast(ctx_opt("limit"), f"{fname}: context.limit")
    claimant_cues = _words_fast(s("claimants", "cues"), f"{fname}: claimants.cues", suffix="")
    correction = _words_fast(ctx_opt("correction"), f"{fname}: context.correction", suffix="")
    send = _words_fast(s("direction", "send"), f"{fname}: direction.send", suffix="")
    receive = _words_fast(s("direction", "receive"), f"{fname}: direction.receive", suffix="")
    anchors = _anchors(
        {
            "number_word": number_word.pattern,
            "country": fast_countries.pattern,
            # long heads: short ones ("men", "cons") start many other words
            "noun": (any_noun, 8),
            "casualty": casualty_prefix.pattern if casualty_prefix is not None else None,
            "elliptic": elliptic_cue.pattern,
            "claimant": claimants.pattern,
            "period": "|".join(f"(?:{rx.pattern})" for rx, _ in periods) or None,
            "denied": denied.pattern,
            "planned": planned.pattern,
            "collective": "|".join(f"(?:{rx.pattern})" for rx, _, _ in collectives) or None,
            "send": send.pattern,
            "receive": receive.pattern,
            "usage": usage.pattern,
            "correction": correction.pattern,
            "claimant_cue": claimant_cues.pattern,
            "limit": limit.pattern,
            # the words of `elliptic_after`, after its leading blank space
            "elliptic_after": rf"(?:{_alt(ctx_opt('elliptic_after'), f'{fname}: context.elliptic_after')})(?!\w)"
            if ctx_opt("elliptic_after")
            else None,
        },
        # nouns start a word unless German-like compounds end with them ("Artilleriegeschosse")
        word_start=frozenset(
            {"number_word", "country", "claimant", "period", "denied", "planned", "send", "receive", "usage", "correction"}
            | {"claimant_cue", "limit"}
            | (set() if compounds else {"noun"})
        ),
    )
    cacheable = compounds and not any(_CONTEXT_FREE.search(p) for cat in CATEGORIES for p in s("nouns", cat))
    return Lexicon(
        lang=lang,
        name=meta["name"],
        group_seps="".join(s("numbers", "group_separators")),
        decimal_seps="".join(s("numbers", "decimal_separators")),
        number_word=number_word,
        articles=frozenset(s("numbers", "articles")),
        scales=tuple(scales),
        any_scale=re.compile(any_scale),
        collectives=tuple(collectives),
        percent=re.compile(percent),
        vague=frozenset(s("numbers", "vague")),
        junk=re.compile(rf"[ \u00a0](?:{_alt(junk, 'common.toml: numbers.junk')})(?!\w)"),
        nouns=cat_res,
        noun_first=_first_chars(cat_res),
        any_noun=re.compile(any_noun),
        # shortest prefix first, so the longest stem wins ("Militärbauarbeiter" is troops, not workers)
        compound_noun=re.compile(
            r"[\w-]*?(?:"
            + "|".join(f"(?P<{cat}>{_alt(s('nouns', cat), f'{fname}: nouns.{cat}')})" for cat in CATEGORIES)
            + r")n?"
        ),
        compound_nouns=compounds,
        np_skip=re.compile(np_skip),
        np_stop=re.compile(np_stop),
        np_max_unknown=npd["max_unknown"],
        unit_links=re.compile(
            rf"\s*(?:{_alt(s('noun_phrase', 'unit_links'), f'{fname}: noun_phrase.unit_links')})\s*"
        ),
        casualty=_words_fast(s("context", "casualty"), f"{fname}: context.casualty", suffix=""),
        munitions=_words_fast(s("context", "munitions"), f"{fname}: context.munitions", suffix=""),
        workers=_words_fast(s("context", "workers"), f"{fname}: context.workers", suffix=""),
        exclude_before=_ends_fast(s("context", "exclude_before"), f"{fname}: context.exclude_before"),
        exclude_before_year=_ends_fast(ctx_opt("exclude_before_year"), f"{fname}: context.exclude_before_year"),
        qualifiers=quals,
        after_at_least=re.compile(
            rf"\s*(?:{_alt(s('qualifiers', 'after_at_least'), f'{fname}: qualifiers.after_at_least')})(?!\w)"
        ),
        range_start=_ends_fast(s("qualifiers", "range_start"), f"{fname}: qualifiers.range_start"),
        range_join=re.compile(
            rf"\s*(?:{_alt(s('qualifiers', 'range_join'), f'{fname}: qualifiers.range_join')})\s*$"
        ),
        range_to=re.compile(
            rf"\s*-?\s*(?:{_alt(s('qualifiers', 'range_to'), f'{fname}: qualifiers.range_to')})\s*$"
        ),
        countries=fast_countries,
        article_cues=frozenset(_strings(data["direction"].get("article_cues", ["-"]), f"{fname}: direction.article_cues")),
        to_cue=_ends_fast(s("direction", "to"), f"{fname}: direction.to"),
        from_cue=_ends_fast(s("direction", "from"), f"{fname}: direction.from"),
        send=send,
        receive=receive,
        exchange=_words_fast(s("direction", "exchange"), f"{fname}: direction.exchange", suffix=""),
        planned=planned,
        denied=denied,
        claimant_cues=claimant_cues,
        claimants=claimants,
        claimant_names=claimant_names,
        periods=tuple(periods),
        party_codes=codes,
        watched=watched,
        np_step=np_step,
        digit_tail=digit_tail,
        any_qualifier=any_qualifier,
        compound_cache={} if cacheable else None,
        casualty_prefix=casualty_prefix,
        casualty_prefix_max=max((len(h) for h in casualty_heads), default=0),
        word_scan=word_scan,
        usage=usage,
        limit=limit,
        limit_exceeded=_words_fast(ctx_opt("limit_exceeded"), f"{fname}: context.limit_exceeded"),
        capitalised_nouns=bool(npd.get("capitalised", False)),
        detach=frozenset(_strings(npd.get("detach", []), f"{fname}: noun_phrase.detach")),
        correction=correction,
        purpose=_words_fast(ctx_opt("purpose"), f"{fname}: context.purpose"),
        production=_words_fast(ctx_opt("production"), f"{fname}: context.production"),
        one=num.get("one"),
        label_words=frozenset(w.split()[-1] for w in ctx_opt("label_links")),
        label_link=_ends_fast(ctx_opt("label_links"), f"{fname}: context.label_links"),
        elliptic_before=_words_fast(ctx_opt("elliptic_before"), f"{fname}: context.elliptic_before"),
        elliptic_cue=elliptic_cue,
        elliptic_after=re.compile(
            rf"\s*(?:{_alt(ctx_opt('elliptic_after'), f'{fname}: context.elliptic_after')})(?!\w)"
        )
        if ctx_opt("elliptic_after")
        else re.compile(r"(?!x)x"),
        np_stop_nouns=re.compile(
            rf"(?<!\w)(?:{_alt(stop_nouns, f'{fname}: noun_phrase.stop')})(?![\w])" if stop_nouns else r"(?!x)x"
        ),
        noun_any=re.compile(
            "|".join(
                f"(?P<{cat}>{word_start}(?:{_alt(s('nouns', cat), f'{fname}: nouns.{cat}')})(?!\\w))"
                for cat in CATEGORIES
            )
        ),
        countries_local=countries_local,
        anchors=anchors,
    )


def _first_chars(res: dict[str, re.Pattern[str]]) -> dict[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    """For each possible first character, the (name, regex) pairs whose matches may start with it,
    in the order of `res`; key "" lists those whose first character is not known."""
    firsts = {name: literal_heads(rx.pattern, 1) for name, rx in res.items()}
    chars = {c for f in firsts.values() if f for c in f}
    out = {
        c: tuple((name, rx) for name, rx in res.items() if firsts[name] is None or c in firsts[name])
        for c in chars
    }
    out[""] = tuple((name, rx) for name, rx in res.items() if firsts[name] is None)
    return out


def _anchors(patterns: dict[str, str | tuple[str, int] | None], word_start: frozenset[str]) -> Anchors | None:
    """One automaton for the lists whose matches all start with known literal text (of at
    most 4 characters, or as many as given with the pattern)."""
    heads = {}
    for name, given in patterns.items():
        pattern, k = given if isinstance(given, tuple) else (given, 8)
        if pattern == _NEVER:
            heads[name] = frozenset()  # an empty list: no place to look
            continue
        h = literal_heads(pattern, k) if pattern is not None else None
        if h is not None:
            heads[name] = h
    return Anchors(heads, word_start & set(heads)) if any(heads.values()) else None


@cache
def codes() -> frozenset[str]:
    """Every party code a lexicon may name (common.toml, parties.codes)."""
    return frozenset(_common()["parties"]["codes"])


@cache
def suppliers() -> frozenset[str]:
    """The parties every lexicon recognises as possible senders (common.toml, parties.watched)."""
    return frozenset(_common()["parties"]["watched"])


@cache
def _common() -> dict[str, Any]:
    data = _read("common.toml")
    _check_sections(data, _COMMON_SCHEMA, "common.toml")
    for canon, pats in data["claimants"]["names"].items():
        _strings(pats, f"common.toml: claimants.names.{canon}")
    return data


@cache
def load_lexicon(lang: str) -> Lexicon:
    """The compiled lexicon for `lang`; raises LexiconError if absent or invalid."""
    if not re.fullmatch(r"[a-z]{2,3}", lang or ""):
        raise LexiconError(f"{lang!r}: not a language code")
    fname = f"{lang}.toml"
    return build_lexicon(_read(fname), fname)


def build_lexicon(data: dict[str, Any], fname: str) -> Lexicon:
    """Validate and compile parsed lexicon data; `fname` names the source in errors."""
    _check_sections(data, _SCHEMA, fname)
    try:
        return _compile(data, _common(), fname)
    except (KeyError, TypeError, ValueError) as e:
        if isinstance(e, LexiconError):
            raise
        raise LexiconError(f"{fname}: malformed value: {e!r}") from None


def lexicon_for(lang: str) -> Lexicon | None:
    """The lexicon for `lang`, or None when the language has no lexicon file."""
    if lang not in _supported():
        return None
    return load_lexicon(lang)


@cache
def _supported() -> frozenset[str]:
    return frozenset(available_languages())
