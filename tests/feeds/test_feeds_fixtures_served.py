"""Every trait fixture of tests/data/feeds, served over HTTP: entries kept, or a clear reason recorded."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import pytest
from support.feedserver import FeedServer, Resp, article

from flows.http import FetchSettings
from flows.poll import fetch_page_batch, plan_pages, poll_feed_batch
from storage import feeds as fs
from storage import runs
from storage.db import writer

DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"
S = FetchSettings(allow_private=True, timeout_s=2)
EXPECT_REASON = {
    "empty_channel.xml": "empty channel",
    "empty_document.xml": "empty response body",
    "html_not_a_feed.html": "HTML page",
    "binary_garbage.xml": "not a feed",
}


def test_each_fixture_yields_entries_or_records_a_reason(db_file: str) -> None:
    files = sorted(p for p in DATA.iterdir() if p.is_file())
    with FeedServer() as srv:
        feeds = []
        for p in files:
            raw = p.read_bytes()
            if p.suffix == ".gz":  # served gzip-encoded, as a server would
                srv.add(f"/{p.name}", Resp(body=gzip.decompress(raw), gzip=True, content_type="application/rss+xml"))
            else:
                ctype = "text/html" if p.suffix == ".html" else "application/xml"
                srv.add(f"/{p.name}", Resp(body=raw, content_type=ctype))
            feeds.append({"url": srv.url(f"/{p.name}")})
        with writer(db_file) as con:
            fs.upsert_feeds(con, feeds, "adhoc")
            run_id = runs.start_run(con, "test")
        out = poll_feed_batch(feeds, S, db_file, run_id, force=True)
    assert out["counts"]["polled"] == len(files)
    con = duckdb.connect(db_file, read_only=True)
    rows = {u.rsplit("/", 1)[1]: (st, err, n) for u, st, err, n in con.execute(
        "SELECT id, last_status, last_error, last_entries FROM sources WHERE kind = 'feed'").fetchall()}
    reasons = dict(con.execute("SELECT uri, reason FROM failures").fetchall())
    con.close()
    for name, (status, error, n) in rows.items():
        if name in EXPECT_REASON:
            assert EXPECT_REASON[name] in (error or ""), name
            assert EXPECT_REASON[name] in reasons[f"{srv.base}/{name}"], name
        else:
            assert status == "200" and error is None and n and n > 0, (name, status, error)
    by_feed = {e["feed_id"].rsplit("/", 1)[1] for e in out["entries"]}
    assert by_feed == set(rows) - set(EXPECT_REASON)


@pytest.mark.parametrize("name", ["relative_links.xml", "undeclared_latin1.xml"])
def test_fixture_articles_are_stored(name: str, db_file: str) -> None:
    raw = (DATA / name).read_bytes()
    with FeedServer() as srv:
        if name == "undeclared_latin1.xml":  # point its absolute links at the local server
            raw = raw.replace(b"https://news.example.fr", srv.base.encode())
        srv.add("/dir/feed.xml", Resp(body=raw, content_type="application/rss+xml"))
        for path in ("/news/2024/12/relative-1", "/dir/news/relative-2", "/articles/obus", "/articles/soldats"):
            srv.add(path, Resp(body=article("Armes", "La Corée du Nord a livré plus de 9 millions d'obus à la "
                                                     "Russie, selon Séoul, qui évoque aussi 11 000 soldats.\n\n"
                                                     f"Article {path}.", lang="fr")))
        feeds = [{"url": srv.url("/dir/feed.xml")}]
        with writer(db_file) as con:
            fs.upsert_feeds(con, feeds, "adhoc")
            run_id = runs.start_run(con, "test")
        out = poll_feed_batch(feeds, S, db_file, run_id, force=True)
        jobs, refused = plan_pages(out["entries"])
        counts = fetch_page_batch(jobs, S, db_file, run_id, refused)
    assert counts["documents"] == 2 and not refused
    con = duckdb.connect(db_file, read_only=True)
    langs = con.execute("SELECT DISTINCT lang FROM documents").fetchall()
    con.close()
    assert langs == [("fr",)]
