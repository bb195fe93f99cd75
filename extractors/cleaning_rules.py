"""Load and validate the per-language cleaning rules in `extractors/cleaning/*.toml`.

Each file holds one language's boilerplate line patterns, month and weekday
names and date/author markers; adding a language means adding a file.
`common.toml` holds language-independent patterns (no names, no markers).
The files are read once (`load_rules` is cached) and merged into a single
`RuleSet`: cleaning runs before language detection, so all languages' rules
apply to every document. Patterns are anchored to whole lines, which keeps
cross-language false positives rare.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

RULES_DIR = Path(__file__).parent / "cleaning"
COMMON = "common"
PATTERN_KEYS = ("lines", "truncate", "credits", "bios")
LIST_KEYS = ("published_markers", "updated_markers", "author_prefixes")
_TOP_KEYS = {"language", "months", "weekdays", "boilerplate", *LIST_KEYS}


class CleaningRulesError(ValueError):
    """A rules file is malformed; the message names the file and the key."""


def fold(word: str) -> str:
    """Case- and accent-insensitive key for month/weekday lookups ("Décembre" -> "decembre")."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ß", "ss")


@dataclass(frozen=True, slots=True)
class LanguageRules:
    language: str
    path: Path
    months: dict[str, int] = field(default_factory=dict)  # folded name -> 1..12
    weekdays: frozenset[str] = frozenset()  # folded names
    published_markers: tuple[str, ...] = ()
    updated_markers: tuple[str, ...] = ()
    author_prefixes: tuple[str, ...] = ()
    lines: tuple[re.Pattern[str], ...] = ()
    truncate: tuple[re.Pattern[str], ...] = ()
    credits: tuple[re.Pattern[str], ...] = ()
    bios: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True, slots=True)
class RuleSet:
    """All languages merged; patterns are tried with `fullmatch` on a normalised line."""

    languages: dict[str, LanguageRules]
    months: dict[str, int]
    weekdays: frozenset[str]
    published_markers: tuple[str, ...]
    updated_markers: tuple[str, ...]
    author_prefixes: tuple[str, ...]
    lines: tuple[re.Pattern[str], ...]
    truncate: tuple[re.Pattern[str], ...]
    credits: tuple[re.Pattern[str], ...]
    bios: tuple[re.Pattern[str], ...]


def _err(path: Path, key: str, msg: str) -> CleaningRulesError:
    return CleaningRulesError(f"{path.name}: key '{key}': {msg}")


def _str_list(path: Path, key: str, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise _err(path, key, f"expected a list of strings, got {type(value).__name__}")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise _err(path, f"{key}[{i}]", "expected a non-empty string")
    return value


def _names(path: Path, key: str, value: Any, count: int) -> list[list[str]]:
    if not isinstance(value, list) or len(value) != count:
        raise _err(path, key, f"expected a list of {count} lists of names")
    groups = []
    for i, group in enumerate(value):
        names = _str_list(path, f"{key}[{i}]", group)
        if not names:
            raise _err(path, f"{key}[{i}]", "expected at least one name")
        groups.append(names)
    return groups


def _patterns(path: Path, key: str, value: Any) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for i, src in enumerate(_str_list(path, key, value)):
        try:
            compiled.append(re.compile(src, re.IGNORECASE))
        except re.error as exc:
            raise _err(path, f"{key}[{i}]", f"invalid regex {src!r}: {exc}") from exc
    return tuple(compiled)


def parse_rules(path: Path, data: dict[str, Any]) -> LanguageRules:
    """Validate one decoded TOML document; raise `CleaningRulesError` naming file and key."""
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise _err(path, unknown[0], f"unknown key (allowed: {', '.join(sorted(_TOP_KEYS))})")
    lang = data.get("language")
    if lang != path.stem:
        raise _err(path, "language", f"must equal the file name stem {path.stem!r}, got {lang!r}")
    is_common = lang == COMMON
    months: dict[str, int] = {}
    weekdays: set[str] = set()
    if is_common:
        for key in ("months", "weekdays", *LIST_KEYS):
            if key in data:
                raise _err(path, key, "not allowed in common.toml")
    else:
        for key in ("months", "weekdays"):
            if key not in data:
                raise _err(path, key, "missing")
        for i, group in enumerate(_names(path, "months", data["months"], 12), start=1):
            for name in group:
                months[fold(name)] = i
        for group in _names(path, "weekdays", data["weekdays"], 7):
            weekdays.update(fold(name) for name in group)
    lists = {key: tuple(m.casefold() for m in _str_list(path, key, data.get(key, []))) for key in LIST_KEYS}
    board = data.get("boilerplate", {})
    if not isinstance(board, dict):
        raise _err(path, "boilerplate", "expected a table")
    extra = sorted(set(board) - set(PATTERN_KEYS))
    if extra:
        raise _err(path, f"boilerplate.{extra[0]}", f"unknown key (allowed: {', '.join(PATTERN_KEYS)})")
    pats = {key: _patterns(path, f"boilerplate.{key}", board.get(key, [])) for key in PATTERN_KEYS}
    return LanguageRules(
        language=lang,
        path=path,
        months=months,
        weekdays=frozenset(weekdays),
        **lists,
        **pats,
    )


def _merge(rules: list[LanguageRules]) -> RuleSet:
    months: dict[str, int] = {}
    owner: dict[str, str] = {}
    for r in rules:
        for name, num in r.months.items():
            if name in months and months[name] != num:
                raise _err(
                    r.path,
                    "months",
                    f"{name!r} is month {num} here but month {months[name]} in {owner[name]}.toml",
                )
            months[name] = num
            owner.setdefault(name, r.language)

    def cat(attr: str) -> tuple[Any, ...]:
        return tuple(item for r in rules for item in getattr(r, attr))

    # Longest markers first so "publié le" wins over "publié".
    def markers(attr: str) -> tuple[str, ...]:
        return tuple(sorted(set(cat(attr)), key=len, reverse=True))

    return RuleSet(
        languages={r.language: r for r in rules},
        months=months,
        weekdays=frozenset(w for r in rules for w in r.weekdays),
        published_markers=markers("published_markers"),
        updated_markers=markers("updated_markers"),
        author_prefixes=markers("author_prefixes"),
        lines=cat("lines"),
        truncate=cat("truncate"),
        credits=cat("credits"),
        bios=cat("bios"),
    )


def load_rules_from(directory: Path) -> RuleSet:
    """Read and validate every `*.toml` in `directory` (uncached; tests use it on temp dirs)."""
    rules = []
    for path in sorted(directory.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise CleaningRulesError(f"{path.name}: invalid TOML: {exc}") from exc
        rules.append(parse_rules(path, data))
    if not any(r.language != COMMON for r in rules):
        raise CleaningRulesError(f"{directory}: no language rules files found")
    return _merge(rules)


@lru_cache(maxsize=1)
def load_rules() -> RuleSet:
    """The bundled rules, loaded once per process."""
    return load_rules_from(RULES_DIR)
