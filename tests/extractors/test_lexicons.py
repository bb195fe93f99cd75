"""Lexicons load, validate strictly and name the file and key in errors."""

from __future__ import annotations

import copy
import tomllib
from importlib import resources

import pytest

from extractors.lexicon import LexiconError, available_languages, build_lexicon, load_lexicon
from extractors.models import CATEGORIES

LANGS = ["de", "en", "es", "fr", "it", "pt"]


def _data(lang: str) -> dict:
    text = (resources.files("extractors.lexicons") / f"{lang}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def test_six_languages_available() -> None:
    assert set(LANGS) <= set(available_languages())


@pytest.mark.parametrize("lang", LANGS)
def test_lexicon_loads_with_every_category(lang: str) -> None:
    lex = load_lexicon(lang)
    assert lex.lang == lang
    assert set(lex.nouns) == set(CATEGORIES)
    assert load_lexicon(lang) is lex  # cached


def test_unknown_category_is_an_error() -> None:
    data = copy.deepcopy(_data("fr"))
    data["nouns"]["tanks"] = ["chars"]
    with pytest.raises(LexiconError, match=r"fr\.toml: nouns\.tanks: unknown category"):
        build_lexicon(data, "fr.toml")


def test_missing_section_is_an_error() -> None:
    data = copy.deepcopy(_data("de"))
    del data["status"]
    with pytest.raises(LexiconError, match=r"de\.toml: missing section \[status\]"):
        build_lexicon(data, "de.toml")


def test_missing_category_is_an_error() -> None:
    data = copy.deepcopy(_data("en"))
    del data["nouns"]["drones"]
    with pytest.raises(LexiconError, match=r"en\.toml: missing key nouns\.drones"):
        build_lexicon(data, "en.toml")


def test_bad_regex_names_file_and_key() -> None:
    data = copy.deepcopy(_data("es"))
    data["qualifiers"]["approx"].append("unos (")
    with pytest.raises(LexiconError, match=r"es\.toml: qualifiers\.approx: bad regex"):
        build_lexicon(data, "es.toml")


def test_unknown_key_and_party_are_errors() -> None:
    data = copy.deepcopy(_data("it"))
    data["status"]["maybe"] = ["forse"]
    with pytest.raises(LexiconError, match=r"it\.toml: unknown key status\.maybe"):
        build_lexicon(data, "it.toml")
    data = copy.deepcopy(_data("it"))
    data["countries"]["XX"] = ["narnia"]
    with pytest.raises(LexiconError, match=r"it\.toml: countries\.XX: unknown party code"):
        build_lexicon(data, "it.toml")


def test_missing_language_is_an_error() -> None:
    with pytest.raises(LexiconError, match="no such lexicon file"):
        load_lexicon("xx")
