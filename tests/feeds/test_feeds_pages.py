"""Polling and page fetching as plain functions (no Prefect), against a real local server."""

from __future__ import annotations

import duckdb
import pytest
from support.feedserver import FeedServer, Resp, article, rss

from flows.http import FetchSettings
from flows.poll import fetch_page_batch, plan_pages, poll_feed_batch
from storage import feeds as fs
from storage import runs
from storage.db import writer

S = FetchSettings(allow_private=True, timeout_s=2, workers=4, per_host=2)
BODY = ("North Korea has sent more than 11,000 troops to Russia, South Korean intelligence said on Monday.\n\n"
        "Officials added that Pyongyang had also shipped about 9 million artillery shells since 2023.")


@pytest.fixture
def srv():
    with FeedServer() as s:
        yield s


def mini_run(db: str, feeds: list[dict], force: bool = True) -> dict:
    """What the flow does, minus Prefect: poll, plan, fetch."""
    with writer(db) as con:
        fs.upsert_feeds(con, feeds, "adhoc")
        run_id = runs.start_run(con, "test")
    out = poll_feed_batch(feeds, S, db, run_id, force)
    jobs, refused = plan_pages(out["entries"])
    return {**out["counts"], **fetch_page_batch(jobs, S, db, run_id, refused)}


def q(db: str, sql: str) -> list[tuple]:
    con = duckdb.connect(db, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_article_in_two_feeds_and_reposted_under_new_guid_is_fetched_and_stored_once(srv: FeedServer, db_file: str) -> None:
    srv.add("/story", Resp(body=article("Troops to Russia", BODY)))
    link = srv.url("/story")
    srv.add("/a.xml", Resp(body=rss([{"title": "Troops", "link": link + "?utm_source=a", "guid": "a-1"}])))
    srv.add("/b.xml", Resp(body=rss([{"title": "Troops", "link": link + "#top", "guid": "b-77"}])))
    c = mini_run(db_file, [{"url": srv.url("/a.xml")}, {"url": srv.url("/b.xml")}])
    assert srv.count("/story") == 1 and c["documents"] == 1 and c["already_stored"] == 1
    # later, feed A re-posts it under a new guid: not fetched again
    srv.add("/a.xml", Resp(body=rss([{"title": "Troops (updated)", "link": link, "guid": "a-2"},
                                     {"title": "Troops", "link": link, "guid": "a-1"}])))
    c = mini_run(db_file, [{"url": srv.url("/a.xml")}])
    assert c["new_entries"] == 1 and c.get("documents", 0) == 0 and srv.count("/story") == 1
    assert q(db_file, "SELECT count(*) FROM documents") == [(1,)]
    statuses = q(db_file, "SELECT entry_id, status FROM entries ORDER BY entry_id")
    assert statuses == [("a-1", "stored"), ("a-2", "duplicate"), ("b-77", "duplicate")]


def test_redirecting_article_is_stored_once_under_its_final_url(srv: FeedServer, db_file: str) -> None:
    srv.add("/short/1", Resp(status=301, location="/articles/troops"))
    srv.add("/short/2", Resp(status=302, location="/articles/troops?utm_medium=social"))
    srv.add("/articles/troops", Resp(body=article("Troops", BODY)))
    srv.add("/f.xml", Resp(body=rss([{"title": "a", "link": srv.url("/short/1"), "guid": "1"},
                                     {"title": "b", "link": srv.url("/short/2"), "guid": "2"}])))
    c = mini_run(db_file, [{"url": srv.url("/f.xml")}])
    assert c["documents"] == 1 and c["already_stored"] == 1
    assert q(db_file, "SELECT uri FROM documents") == [(srv.url("/articles/troops"),)]
    # a third short link to the same page: fetched (it could lead anywhere), not stored again
    srv.add("/f.xml", Resp(body=rss([{"title": "c", "link": srv.url("/short/1") + "?x=1", "guid": "3"}])))
    srv.add("/short/1?x=1", Resp(status=301, location="/articles/troops"))
    c = mini_run(db_file, [{"url": srv.url("/f.xml")}])
    assert c.get("documents", 0) == 0 and q(db_file, "SELECT count(*) FROM documents") == [(1,)]


def test_rel_canonical_makes_two_urls_one_document(srv: FeedServer, db_file: str) -> None:
    canon = srv.url("/canonical/troops")
    srv.add("/amp/troops", Resp(body=article("Troops", BODY, canonical=canon)))
    srv.add("/print/troops", Resp(body=article("Troops", BODY, canonical=canon)))
    srv.add("/f.xml", Resp(body=rss([{"title": "a", "link": srv.url("/amp/troops"), "guid": "1"},
                                     {"title": "b", "link": srv.url("/print/troops"), "guid": "2"}])))
    c = mini_run(db_file, [{"url": srv.url("/f.xml")}])
    assert c["documents"] == 1
    assert q(db_file, "SELECT uri FROM documents") == [(canon,)]


def test_non_http_links_non_html_pages_and_broken_pages_are_recorded(srv: FeedServer, db_file: str) -> None:
    srv.add("/doc.pdf", Resp(body=b"%PDF-1.4 ...", content_type="application/pdf"))
    srv.add("/gone", Resp(status=404, body="no"))
    srv.add("/good", Resp(body=article("Good", BODY)))
    items = [
        {"title": "file", "link": "file:///etc/passwd", "guid": "1"},
        {"title": "ftp", "link": "ftp://ftp.example.org/x.html", "guid": "2"},
        {"title": "pdf", "link": srv.url("/doc.pdf"), "guid": "3"},
        {"title": "gone", "link": srv.url("/gone"), "guid": "4"},
        {"title": "no link at all", "guid": "urn:x:5"},
        {"title": "good", "link": srv.url("/good"), "guid": "6"},
    ]
    srv.add("/f.xml", Resp(body=rss(items)))
    c = mini_run(db_file, [{"url": srv.url("/f.xml")}])
    assert c["documents"] == 1 and c["refused"] == 3 and c["skipped"] == 1 and c["page_failures"] == 1
    rows = dict(q(db_file, "SELECT entry_id, status || ': ' || coalesce(reason, '') FROM entries"))
    assert rows["1"].startswith("refused") and "scheme file:" in rows["1"]
    assert "scheme ftp:" in rows["2"]
    assert rows["3"] == "skipped: not HTML: content-type application/pdf"
    assert rows["4"].startswith("failed") and "404" in rows["4"]
    assert "no link" in rows["urn:x:5"]
    failures = q(db_file, "SELECT uri, stage FROM failures ORDER BY uri")
    assert any(u.startswith("file:") and stage == "fetch" for u, stage in failures) and len(failures) == 5


def test_failed_page_is_retried_on_the_next_poll_even_when_the_feed_is_unchanged(srv: FeedServer, db_file: str) -> None:
    srv.add("/flaky", [Resp(status=503, body="busy"), Resp(body=article("Flaky", BODY))])
    srv.add("/f.xml", Resp(body=rss([{"title": "t", "link": srv.url("/flaky"), "guid": "1"}]), etag='"v1"'))
    c = mini_run(db_file, [{"url": srv.url("/f.xml")}])
    assert c["page_failures"] == 1 and c["documents"] == 0
    c = mini_run(db_file, [{"url": srv.url("/f.xml")}])
    assert c["not_modified"] == 1 and c["retried_entries"] == 1 and c["documents"] == 1
    assert q(db_file, "SELECT status FROM entries") == [("stored",)]


def test_feed_language_is_a_hint_and_feed_date_a_fallback(srv: FeedServer, db_file: str) -> None:
    srv.add("/p", Resp(body=article("Troops", BODY)))
    srv.add("/f.xml", Resp(body=rss([{"title": "t", "link": srv.url("/p"), "guid": "1",
                                      "pubDate": "Mon, 02 Dec 2024 10:00:00 GMT"}], extra_channel="<language>en-GB</language>")))
    mini_run(db_file, [{"url": srv.url("/f.xml")}])
    assert q(db_file, "SELECT lang, published_at::DATE::VARCHAR FROM documents") == [("en", "2024-12-02")]
