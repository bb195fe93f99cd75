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
from typing import Any

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
    },
    "nouns": {c: True for c in CATEGORIES},
    "noun_phrase": {"skip": True, "max_unknown": True, "stop": True, "compounds": False, "unit_links": True},
    "context": {"casualty": True, "munitions": True, "workers": True, "exclude_before": True},
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


def _words(patterns: list[str], where: str, *, suffix: str = r"(?!\w)") -> re.Pattern[str]:
    """Whole-word alternation; never matches when the list is empty."""
    if not patterns:
        return re.compile(r"(?!x)x")
    return re.compile(rf"(?<!\w)(?:{_alt(patterns, where)}){suffix}")


def _ends(patterns: list[str], where: str) -> re.Pattern[str]:
    """Alternation anchored at the end of a left context ("plus de" + figure)."""
    return re.compile(rf"(?<!\w)(?:{_alt(patterns, where)})\s*$")


def group_label(m: re.Match[str]) -> str:
    """The party code of a `Lexicon.countries` match."""
    return m.lastgroup or ""


def _compile(data: dict[str, Any], common: dict[str, Any], fname: str) -> Lexicon:
    codes = frozenset(_strings(common["parties"]["codes"], "common.toml: parties.codes"))
    watched = frozenset(_strings(common["parties"]["watched"], "common.toml: parties.watched"))
    meta, num, nouns = data["meta"], data["numbers"], data["nouns"]
    lang = meta["lang"]
    if f"{lang}.toml" != fname:
        raise LexiconError(f"{fname}: meta.lang is {lang!r}, file name says otherwise")

    def s(section: str, key: str) -> list[str]:
        return _strings(data[section][key], f"{fname}: {section}.{key}")

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
                re.compile(rf"(?:{_alt([item['pattern']], where)})(?!\w)"),
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
        q: _ends(s("qualifiers", q), f"{fname}: qualifiers.{q}") for q in ("approx", "at_least", "at_most")
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
    claimants = re.compile(rf"(?<!\w)(?:{'|'.join(parts)})(?!\w)")
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
        periods.append((rx, rule["label"]))

    junk = _strings(common["numbers"]["junk"], "common.toml: numbers.junk")
    return Lexicon(
        lang=lang,
        name=meta["name"],
        group_seps="".join(s("numbers", "group_separators")),
        decimal_seps="".join(s("numbers", "decimal_separators")),
        number_word=re.compile(word_re),
        articles=frozenset(s("numbers", "articles")),
        scales=tuple(scales),
        any_scale=re.compile("|".join(f"(?:{rx.pattern})" for rx, _ in scales) or r"(?!x)x"),
        collectives=tuple(collectives),
        percent=re.compile(rf"\s?(?:{_alt(s('numbers', 'percent'), f'{fname}: numbers.percent')})"),
        vague=frozenset(s("numbers", "vague")),
        junk=re.compile(rf"[ \u00a0](?:{_alt(junk, 'common.toml: numbers.junk')})(?!\w)"),
        nouns=cat_res,
        any_noun=re.compile("|".join(f"(?:{rx.pattern})" for rx in cat_res.values())),
        # shortest prefix first, so the longest stem wins ("Militärbauarbeiter" is troops, not workers)
        compound_noun=re.compile(
            r"[\w-]*?(?:"
            + "|".join(f"(?P<{cat}>{_alt(s('nouns', cat), f'{fname}: nouns.{cat}')})" for cat in CATEGORIES)
            + r")n?"
        ),
        compound_nouns=bool(npd.get("compounds", False)),
        np_skip=re.compile(rf"(?:{_alt(s('noun_phrase', 'skip'), f'{fname}: noun_phrase.skip')})(?:(?<=’)|(?!\w))"),
        np_stop=re.compile(rf"(?:{_alt(s('noun_phrase', 'stop'), f'{fname}: noun_phrase.stop')})(?![\w])"),
        np_max_unknown=npd["max_unknown"],
        unit_links=re.compile(
            rf"\s*(?:{_alt(s('noun_phrase', 'unit_links'), f'{fname}: noun_phrase.unit_links')})\s*"
        ),
        casualty=_words(s("context", "casualty"), f"{fname}: context.casualty", suffix=""),
        munitions=_words(s("context", "munitions"), f"{fname}: context.munitions", suffix=""),
        workers=_words(s("context", "workers"), f"{fname}: context.workers", suffix=""),
        exclude_before=_ends(s("context", "exclude_before"), f"{fname}: context.exclude_before"),
        qualifiers=quals,
        after_at_least=re.compile(
            rf"\s*(?:{_alt(s('qualifiers', 'after_at_least'), f'{fname}: qualifiers.after_at_least')})(?!\w)"
        ),
        range_start=_ends(s("qualifiers", "range_start"), f"{fname}: qualifiers.range_start"),
        range_join=re.compile(
            rf"\s*(?:{_alt(s('qualifiers', 'range_join'), f'{fname}: qualifiers.range_join')})\s*$"
        ),
        range_to=re.compile(
            rf"\s*-?\s*(?:{_alt(s('qualifiers', 'range_to'), f'{fname}: qualifiers.range_to')})\s*$"
        ),
        countries=country_re,
        article_cues=frozenset(_strings(data["direction"].get("article_cues", ["-"]), f"{fname}: direction.article_cues")),
        to_cue=_ends(s("direction", "to"), f"{fname}: direction.to"),
        from_cue=_ends(s("direction", "from"), f"{fname}: direction.from"),
        send=_words(s("direction", "send"), f"{fname}: direction.send", suffix=""),
        receive=_words(s("direction", "receive"), f"{fname}: direction.receive", suffix=""),
        exchange=_words(s("direction", "exchange"), f"{fname}: direction.exchange", suffix=""),
        planned=_words(s("status", "planned"), f"{fname}: status.planned", suffix=""),
        denied=_words(s("status", "denied"), f"{fname}: status.denied", suffix=""),
        claimant_cues=_words(s("claimants", "cues"), f"{fname}: claimants.cues", suffix=""),
        claimants=claimants,
        claimant_names=claimant_names,
        periods=tuple(periods),
        party_codes=codes,
        watched=watched,
    )


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
