"""The HTTP adapter against a real server on 127.0.0.1."""

from __future__ import annotations

import time

import pytest
from support.feedserver import FeedServer, Resp

from extractors.identity import RefusedURL
from flows.http import FetchSettings, check_url, fetch, is_html, make_client, parse_retry_after

OK = FetchSettings(allow_private=True, timeout_s=2, max_bytes=10_000)


@pytest.fixture
def srv():
    with FeedServer() as s:
        yield s


def get(srv: FeedServer, path: str, settings: FetchSettings = OK, **kw):
    with make_client(settings) as c:
        return fetch(c, srv.url(path), settings, **kw)


def test_conditional_get_by_etag_and_last_modified(srv: FeedServer) -> None:
    srv.add("/e", Resp(body="<rss/>", etag='"abc"'))
    srv.add("/m", Resp(body="<rss/>", last_modified="Tue, 03 Dec 2024 08:00:00 GMT"))
    first = get(srv, "/e")
    assert first.ok and first.body == b"<rss/>" and first.etag == '"abc"'
    again = get(srv, "/e", etag=first.etag)
    assert again.not_modified and again.body == b"" and again.error is None
    assert srv.requests("/e")[1]["if-none-match"] == '"abc"'
    m = get(srv, "/m")
    assert get(srv, "/m", last_modified=m.last_modified).status == 304


def test_user_agent_names_claimwatch(srv: FeedServer) -> None:
    srv.add("/ua", Resp(body="x"))
    get(srv, "/ua")
    ua = srv.requests("/ua")[0]["user-agent"]
    assert "claimwatch" in ua and "http" in ua


def test_gzip_is_decoded(srv: FeedServer) -> None:
    srv.add("/gz", Resp(body="<rss>" + "x" * 500 + "</rss>", gzip=True))
    r = get(srv, "/gz")
    assert r.ok and r.body.startswith(b"<rss>") and len(r.body) == 511
    assert "gzip" in srv.requests("/gz")[0]["accept-encoding"]


def test_size_cap_applies_to_decoded_bytes(srv: FeedServer) -> None:
    srv.add("/bomb", Resp(body=b"a" * 200_000, gzip=True))  # ~200 bytes on the wire
    r = get(srv, "/bomb")
    assert not r.ok and "too large" in (r.error or "")


def test_redirects_followed_and_limited(srv: FeedServer) -> None:
    srv.add("/old", Resp(status=301, location="/new"))
    srv.add("/new", Resp(body="here"))
    r = get(srv, "/old")
    assert r.ok and r.body == b"here" and r.final_url == srv.url("/new")
    for i in range(10):
        srv.add(f"/loop{i}", Resp(status=302, location=f"/loop{i + 1}"))
    r = get(srv, "/loop0")
    assert not r.ok and "too many redirects" in (r.error or "")
    assert srv.count("/loop5") == 1 and srv.count("/loop6") == 0  # the URL asked + 5 redirects


def test_redirect_to_a_refused_scheme_is_not_followed(srv: FeedServer) -> None:
    srv.add("/evil", Resp(status=302, location="file:///etc/passwd"))
    r = get(srv, "/evil")
    assert r.refused and "scheme file:" in (r.error or "")


def test_errors_carry_status_and_retry_after(srv: FeedServer) -> None:
    srv.add("/busy", Resp(status=429, headers={"Retry-After": "120"}, body="slow down"))
    srv.add("/down", Resp(status=503, body="down"))
    r = get(srv, "/busy")
    assert r.status == 429 and r.retry_after_s == 120 and r.transient and not r.ok
    r = get(srv, "/down")
    assert r.status == 503 and "HTTP 503" in (r.error or "") and r.transient
    r = get(srv, "/missing")
    assert r.status == 404 and not r.transient


def test_silent_server_times_out(srv: FeedServer) -> None:
    srv.add("/silent", Resp(body="late", delay_s=30))
    settings = FetchSettings(allow_private=True, timeout_s=0.5)
    started = time.monotonic()
    r = get(srv, "/silent", settings)
    assert not r.ok and "timeout" in (r.error or "") and r.transient
    assert time.monotonic() - started < 25  # returned long before the server would have answered


def test_private_addresses_refused_unless_allowed(srv: FeedServer) -> None:
    srv.add("/p", Resp(body="x"))
    r = get(srv, "/p", FetchSettings(allow_private=False))
    assert r.refused and "private or loopback" in (r.error or "") and srv.count("/p") == 0
    for url in ("http://10.1.2.3/", "http://[::1]/", "http://169.254.169.254/latest", "http://localhost/"):
        with pytest.raises(RefusedURL):
            check_url(url, allow_private=False)
    check_url("http://news.example/", allow_private=False, resolve=lambda h: ["93.184.216.34"])
    with pytest.raises(RefusedURL):
        check_url("http://sneaky.example/", allow_private=False, resolve=lambda h: ["93.184.216.34", "192.168.0.5"])


def test_non_http_schemes_refused() -> None:
    with make_client(OK) as c:
        for url in ("file:///etc/passwd", "ftp://ex.org/a", "data:text/html,<p>x</p>", "gopher://x/"):
            r = fetch(c, url, OK)
            assert r.refused and "refused" in (r.error or "")


def test_is_html_by_type_or_sniff(srv: FeedServer) -> None:
    srv.add("/h", Resp(body="<p>x</p>", content_type="text/html; charset=utf-8"))
    srv.add("/pdf", Resp(body=b"%PDF-1.4", content_type="application/pdf"))
    srv.add("/untyped", Resp(body="<!DOCTYPE html><html><body>x</body></html>", content_type=None))
    assert is_html(get(srv, "/h")) and not is_html(get(srv, "/pdf")) and is_html(get(srv, "/untyped"))


def test_parse_retry_after_forms() -> None:
    from datetime import UTC, datetime

    now = datetime(2024, 12, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("30") == 30
    assert parse_retry_after("Sun, 01 Dec 2024 12:05:00 GMT", now) == 300
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
