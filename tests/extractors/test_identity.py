from __future__ import annotations

from datetime import UTC, datetime

import pytest

from extractors.identity import RefusedURL, canonical_url, check_scheme, entry_id, page_identity


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.COM:80/a/b?utm_source=x&id=3#frag", "http://example.com/a/b?id=3"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("https://ex.org/p?b=2&a=1&fbclid=zz&gclid=1&utm_medium=rss", "https://ex.org/p?a=1&b=2"),
        ("https://ex.org/caf%c3%a9/%7Euser", "https://ex.org/caf%C3%A9/~user"),
        ("https://www.dw.com/en/story/a-1?maca=en-rss-en-all-1573-rdf", "https://www.dw.com/en/story/a-1"),
    ],
)
def test_canonical_url_normalises(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_canonical_url_resolves_relative_and_rejects_non_http() -> None:
    assert canonical_url("/news/1", base="https://ex.org/feed.xml") == "https://ex.org/news/1"
    for bad in ("ftp://ex.org/f", "file:///etc/passwd", "data:text/html,hi", "javascript:alert(1)", "", None,
                "http://[::1", "https:///nohost"):
        assert canonical_url(bad) is None


def test_check_scheme_refuses_everything_but_http() -> None:
    check_scheme("https://ex.org/a")
    for bad in ("file:///etc/passwd", "ftp://ex.org/x", "data:text/plain,x", "mailto:a@b.c", "/relative"):
        with pytest.raises(RefusedURL, match="refused"):
            check_scheme(bad)


def test_page_identity_honours_rel_canonical_but_not_a_bare_homepage() -> None:
    assert page_identity("https://m.ex.org/a?utm_campaign=z", "https://www.ex.org/a") == "https://www.ex.org/a"
    assert page_identity("https://ex.org/story/1", "https://ex.org/") == "https://ex.org/story/1"
    assert page_identity("https://ex.org/story/1#top", None) == "https://ex.org/story/1"
    assert page_identity("https://ex.org/s", "ftp://ex.org/s") == "https://ex.org/s"


def test_entry_id_falls_back_from_guid_to_link_to_hash() -> None:
    when = datetime(2024, 12, 1, tzinfo=UTC)
    assert entry_id(" g-1 ", "https://ex.org/a", "T", when) == "g-1"
    assert entry_id(None, "https://ex.org/a", "T", when) == "https://ex.org/a"
    h = entry_id(None, None, "Title", when)
    assert h.startswith("sha256:") and h == entry_id("", "  ", "Title", when)
    assert h != entry_id(None, None, "Title", datetime(2024, 12, 2, tzinfo=UTC))
    assert entry_id(None, None, None, None, "some text").startswith("sha256:")
    assert entry_id(None, None, None, None) == ""
