"""Each trait of real-world feeds, reproduced by a small fixture in tests/data/feeds/."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from extractors.feeds import decode_feed, parse_feed

DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"
URL = "https://feeds.example.net/dir/feed.xml"


def parse(name: str, content_type: str | None = None):
    raw = (DATA / name).read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    return parse_feed(raw, URL, content_type)


def test_undeclared_latin1_is_detected_not_mangled() -> None:
    p = parse("undeclared_latin1.xml")
    assert p.ok and p.title == "Actualités défense"
    assert [e.title for e in p.entries] == ["Pyongyang a envoyé des obus à Moscou",
                                            "Les soldats nord-coréens déployés près de Koursk"]
    assert [e.entry_id for e in p.entries] == ["fr-1", "fr-2"]
    assert p.entries[0].published is not None and p.entries[0].published.isoformat() == "2024-12-03T07:00:00+00:00"


def test_undeclared_koi8r_and_declared_cp1251() -> None:
    assert parse("undeclared_koi8r.xml").entries[0].title == "Северная Корея отправила войска в Россию"
    p = parse("declared_cp1251.xml")
    assert p.encoding == "cp1251" and [e.title for e in p.entries][0] == "Контейнеры с боеприпасами"


def test_wrong_declaration_and_bom() -> None:
    p = parse("declared_utf16_actually_utf8.xml")
    assert p.ok and p.entries[0].title == "Über 10.000 Soldaten — Bericht"
    p = parse("bom_utf8.xml")
    assert p.ok and p.entries[0].link == "https://bom.example.org/a/1"


def test_http_charset_wins_over_guessing() -> None:
    raw = '<rss version="2.0"><channel><title>Zażółć</title><item><link>https://pl.example/1</link><title>Gęślą jaźń</title></item></channel></rss>'.encode("iso-8859-2")
    assert parse_feed(raw, URL, "application/rss+xml; charset=ISO-8859-2").entries[0].title == "Gęślą jaźń"
    text, enc = decode_feed(raw, "text/xml; charset=iso-8859-2")
    assert enc == "iso8859-2" and "Zażółć" in text


def test_gzip_file_decompressed_parses_like_the_plain_one() -> None:
    assert [e.entry_id for e in parse("gzip_cp1251.xml.gz").entries] == [e.entry_id for e in parse("declared_cp1251.xml").entries]


def test_bozo_feed_keeps_its_entries_and_the_reason() -> None:
    p = parse("bozo_bare_ampersand.xml")
    assert p.ok and len(p.entries) == 3 and p.bozo and "not well-formed" in p.bozo
    assert p.entries[1].link == "https://bozo.example.org/search?a=1&b=2"


def test_truncated_feed_keeps_the_complete_items() -> None:
    p = parse("truncated_mid_item.xml")
    assert p.ok and p.bozo
    assert [e.link for e in p.entries][:2] == ["https://cut.example.org/1", "https://cut.example.org/2"]


def test_entity_bomb_is_not_expanded() -> None:
    p = parse("entity_bomb.xml")
    assert any("DTD removed" in n for n in p.notes)
    assert all(len(e.title or "") < 100 for e in p.entries)
    assert p.entries and p.entries[0].link == "https://bomb.example.org/1"


def test_undefined_html_entities_are_recovered() -> None:
    p = parse("undefined_entity_nbsp.xml")
    assert p.ok and p.entries[0].title == "Troops — the numbers"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty_channel.xml", "empty channel"),
        ("html_not_a_feed.html", "HTML page"),
        ("empty_document.xml", "empty response body"),
        ("binary_garbage.xml", "not a feed"),
    ],
)
def test_feeds_that_yield_nothing_have_a_clear_reason(name: str, reason: str) -> None:
    p = parse(name)
    assert not p.ok and not p.entries
    assert reason in (p.error or "")


def test_html_served_as_feed_by_content_type() -> None:
    p = parse_feed(b"<div><p>hello</p></div>", URL, "text/html; charset=utf-8")
    assert not p.ok and "HTML" in (p.error or "")


def test_missing_guids_and_dates_get_stable_ids() -> None:
    p = parse("missing_guids_dates.xml")
    ids = [e.entry_id for e in p.entries]
    assert ids[0] == "https://noid.example.org/story-1"
    assert ids[1].startswith("sha256:") and p.entries[1].link is None
    assert p.skipped_entries == 1  # the empty <item/>
    assert ids == [e.entry_id for e in parse("missing_guids_dates.xml").entries]


def test_relative_links_are_resolved_against_the_feed_url_or_xml_base() -> None:
    p = parse("relative_links.xml")
    assert [e.link for e in p.entries] == ["https://feeds.example.net/news/2024/12/relative-1",
                                           "https://feeds.example.net/dir/news/relative-2"]
    a = parse("atom_xml_base.xml")
    assert [e.link for e in a.entries] == ["https://atom.example.org/blog/posts/one", "https://atom.example.org/other/two"]
    assert a.entries[1].published is None and a.entries[0].entry_id == "urn:example:1"
