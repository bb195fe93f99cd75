"""The one-pass word lists (extractors/anchors.py) find every place the lexicon regexes match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors.anchors import Anchors, finditer_in, literal_heads, search_in
from extractors.claims import _sentence_spans_plain, sentence_spans, sentences_around
from extractors.lexicon import available_languages, load_lexicon
from extractors.numbers import lowered, raw_figures, word_scan

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = Path(__file__).resolve().parents[2]


def _texts() -> list[str]:
    paths = sorted((ROOT / "seeds").glob("*.txt"))
    paths += sorted((DATA / "multilingual").glob("*.txt")) + sorted((DATA / "heldout").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    texts.append(
        "Nord-Corée: 12 000 soldats.\n\n  Pjöngjang lieferte zehntausend Artilleriegeschosse an Moskau. "
        "N. Korea and the U.S. (Dr. Kim) said 3,000 men, i.e. 2 units...\r\nun\u00a0deux-cents «obus»\n"
        "2,000 more, 60 of them; 500 d’entre eux, 300 autres; 400\u00a0weitere; 70 de ellos, 20 más; "
        "8mila in più, 30 di loro; 90 deles, 10 a mais."
    )
    return texts


TEXTS = _texts()


@pytest.mark.parametrize(
    ("pattern", "heads"),
    [
        (r"(?<!\w)russ(?:ie|es?)(?!\w)", {"russ"}),
        (r"n\. korea|u\.s\.", {"n. k", "u.s."}),
        (r"(?:122|155)[- ]?mm", {"122-", "122 ", "122m", "155-", "155 ", "155m"}),
        (r"coré[ae]s?", {"coré"}),
        (r"ab?c", {"abc", "ac"}),
        (r"a*b", {"a", "b"}),
    ],
)
def test_literal_heads_reads_the_pattern(pattern: str, heads: set[str]) -> None:
    assert literal_heads(pattern) == heads


@pytest.mark.parametrize("pattern", [r"\w+ troops", r"(?:x)?.abc", r"[^a]bc", r"(?i)russia", r"x*"])
def test_literal_heads_gives_up_when_a_match_may_start_with_anything(pattern: str) -> None:
    assert literal_heads(pattern) is None


def test_anchors_lists_every_head_and_filters_word_starts() -> None:
    a = Anchors({"w": frozenset({"ab", "abc"}), "any": frozenset({"bc"})}, frozenset({"w"}))
    hits = a.scan("abc xabc ab-bc")
    assert hits == {"w": [0, 9], "any": [1, 6, 12]}


def _starts(rx: re.Pattern[str], low: str) -> list[int]:
    return [p for p in range(len(low)) if rx.match(low, p)]


def _word_start(low: str, p: int) -> bool:
    return p == 0 or not (low[p - 1].isalnum() or low[p - 1] == "_")


@pytest.mark.parametrize("lang", available_languages())
def test_every_match_starts_at_a_listed_position(lang: str) -> None:
    lex = load_lexicon(lang)
    assert lex.anchors is not None
    lists = {
        "number_word": lex.number_word,
        "country": lex.countries,
        "noun": lex.any_noun,
        "casualty": lex.casualty_prefix,
        "elliptic": lex.elliptic_cue,
        "claimant": lex.claimants,
        "denied": lex.denied,
        "planned": lex.planned,
        "send": lex.send,
        "receive": lex.receive,
        "elliptic_after": lex.elliptic_after,
        "usage": lex.usage,
        "correction": lex.correction,
        "claimant_cue": lex.claimant_cues,
        "limit": lex.limit,
    } | {f"period {i}": rx for i, (rx, _) in enumerate(lex.periods)}
    lists |= {f"collective {i}": rx for i, (rx, _, _) in enumerate(lex.collectives)}
    assert set(lex.anchors.names) == {n.split()[0] for n in lists}
    checked = 0
    for text in TEXTS:
        low = lowered(text)
        hits = lex.anchors.scan(low)
        assert all(h == sorted(set(h)) for h in hits.values())  # sorted, each place once
        for name, rx in lists.items():
            assert rx is not None
            family = name.split()[0]
            listed = set(hits[family])
            for p in _starts(rx, low):
                if family == "elliptic_after":
                    while low[p].isspace():
                        p += 1  # listed: where its words start, after blank space
                if family in lex.anchors.word_start:
                    if family == "noun" and not _word_start(low, p):
                        continue  # the walk from a figure to its noun only stops at word starts
                    # only word starts are listed: the list's regex must require one
                    assert _word_start(low, p), (name, low[p : p + 30])
                assert p in listed, (name, low[p : p + 30])
                checked += 1
    assert checked > 100


@pytest.mark.parametrize("lang", available_languages())
def test_word_scan_from_anchors_equals_the_regex_scan(lang: str) -> None:
    lex = load_lexicon(lang)
    assert lex.anchors is not None
    found = 0
    for text in TEXTS:
        low = lowered(text)
        fast = word_scan(low, lex, lex.anchors.scan(low))
        assert fast == word_scan(low, lex)
        assert fast[0] == [m.span() for m in lex.number_word.finditer(low)]
        found += len(fast[0]) + len(fast[1])
    assert found > 20


def test_sentences_around_are_the_documents_sentences() -> None:
    for text in TEXTS:
        whole = sentence_spans(text)
        assert whole == _sentence_spans_plain(text)
        positions = sorted({a for a, _ in whole[::3]} | {b - 1 for _, b in whole[1::4]})
        around = sentences_around(text, positions)
        assert set(around) <= set(whole)
        index = {s: i for i, s in enumerate(whole)}
        for p in positions:
            i = next(i for i, (a, b) in enumerate(whole) if a <= p < b)
            # the sentence holding the position and the two before it are there, in order
            j = around.index(whole[i])
            assert around[max(0, j - 2) : j + 1] == whole[max(0, i - 2) : i + 1]
        assert [index[s] for s in around] == sorted(index[s] for s in around)


@pytest.mark.parametrize("lang", available_languages())
def test_figures_found_from_anchors_equal_the_regex_scan(lang: str) -> None:
    lex = load_lexicon(lang)
    assert lex.anchors is not None
    texts = TEXTS + ["une centaine de soldats, a dozen shells, Dutzende Raketen, centinaia di uomini, dezenas de mísseis"]
    found = 0
    for text in texts:
        low = lowered(text)
        hits = lex.anchors.scan(low)
        fast = raw_figures(low, lex, word_scan(low, lex, hits)[0], hits)
        assert fast == raw_figures(low, lex)
        found += len(fast)
    assert found > 50


@pytest.mark.parametrize("lang", available_languages())
def test_searches_from_listed_starts_equal_the_regex_searches(lang: str) -> None:
    lex = load_lexicon(lang)
    assert lex.anchors is not None
    lists = [("claimant", lex.claimants), ("send", lex.send), ("receive", lex.receive), ("usage", lex.usage)]
    lists += [("correction", lex.correction), ("claimant_cue", lex.claimant_cues), ("limit", lex.limit)]
    lists += [("period", rx) for rx, _ in lex.periods]
    found = 0
    for text in TEXTS:
        low = lowered(text)
        hits = lex.anchors.scan(low)
        # sentence-like ranges, and ranges cutting words
        bounds = sorted({a for a, _ in sentence_spans(text)} | set(range(0, len(low), 97)) | {len(low)})
        ranges = list(zip(bounds, bounds[1:], strict=False)) + [(0, len(low))]
        for name, rx in lists:
            for a, b in ranges:
                fast = search_in(low, rx, hits[name], a, b)
                slow = rx.search(low, a, b)
                assert (fast and fast.span()) == (slow and slow.span()), (name, low[a:b])
                assert [m.span() for m in finditer_in(low, rx, hits[name], a, b)] == [
                    m.span() for m in rx.finditer(low, a, b)
                ]
                found += slow is not None
    assert found > 10
