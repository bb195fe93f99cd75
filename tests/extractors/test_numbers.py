"""Locale-aware figures: separators, decimals, scale words, number words, junk, traps."""

from __future__ import annotations

import pytest

from extractors.lexicon import load_lexicon
from extractors.numbers import find_figures


def values(text: str, lang: str) -> list[float]:
    return [f.value for f in find_figures(text, load_lexicon(lang))]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("fr", "14 000 soldats", 14000),
        ("fr", "14\u00a0000 soldats", 14000),
        ("fr", "14\u202f000 soldats", 14000),
        ("fr", "14\u2009000 soldats", 14000),
        ("fr", "7.000 XNUMX soldats", 7000),
        ("fr", "1,2 million d'obus", 1_200_000),
        ("fr", "9 millions d'obus", 9_000_000),
        ("en", "12,000 troops", 12000),
        ("en", "1.5 million shells", 1_500_000),
        ("en", "12m shells", 12_000_000),
        ("de", "2,5 Mio. Granaten", 2_500_000),
        ("de", "10'000 Soldaten", 10000),
        ("de", "1.000.000 Granaten", 1_000_000),
        ("es", "3 millones de proyectiles", 3_000_000),
        ("es", "12.000 soldados", 12000),
        ("it", "12 mila soldati", 12000),
        ("it", "3 milioni di proiettili", 3_000_000),
        ("pt", "12 mil soldados", 12000),
        ("pt", "1,5 milhões de projéteis", 1_500_000),
        ("en", "1,200 soldiers", 1200),  # a comma before three digits groups
        ("fr", "1,200 soldats", 1200),  # counts are integers: no scale word, so a group
    ],
)
def test_digit_formats(lang: str, text: str, expected: float) -> None:
    assert values(text, lang)[0] == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("fr", "les premiers mille soldats", 1000),
        ("fr", "six soldats", 6),
        ("fr", "dix mille soldats", 10000),
        ("fr", "une centaine de missiles", 100),
        ("de", "zehntausend Soldaten", 10000),
        ("de", "eine Million Granaten", 1_000_000),
        ("en", "ten-thousand troops", 10000),
        ("en", "a dozen howitzers", 12),
        ("es", "diez mil soldados", 10000),
        ("it", "diecimila soldati", 10000),
        ("pt", "dez mil soldados", 10000),
    ],
)
def test_number_words(lang: str, text: str, expected: float) -> None:
    assert values(text, lang)[0] == expected


def test_collective_is_approximate() -> None:
    (fig,) = find_figures("une centaine de missiles", load_lexicon("fr"))
    assert fig.approx and fig.value == 100


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "des millions de munitions"),
        ("de", "Hunderte Drohnen"),
        ("en", "thousands of soldiers"),
        ("fr", "le 16.07.2025"),
        ("en", "KN-23 and AK-12 rifles, a 170mm gun, Pantsir-S1"),
        ("fr", "un missile"),  # a bare article is not a number
        ("en", "up 15% on the year"),
    ],
)
def test_not_figures(lang: str, text: str) -> None:
    assert values(text, lang) == []


def test_spans_point_at_the_figure() -> None:
    text = "Il y a 14 000 soldats et 9 millions d'obus."
    figs = find_figures(text, load_lexicon("fr"))
    assert [text[f.start : f.end] for f in figs] == ["14 000", "9 millions"]


def test_qualified_article_is_one() -> None:
    figs = find_figures("at least one system", load_lexicon("en"))
    assert [f.value for f in figs] == [1]
