"""The poll_feeds flow end to end: a real server on 127.0.0.1 counting requests, a real DuckDB file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from support.feedserver import FeedServer, Resp, article, rss

from flows.ingest import AllSourcesFailed

pytestmark = pytest.mark.usefixtures("prefect_harness")

TEXTS = [
    "North Korea has sent more than 11,000 troops to Russia, South Korean intelligence said on Monday.",
    "Pyongyang has shipped about 9 million artillery shells to Moscow since 2023, officials said on Tuesday.",
    "At least 100 KN-23 missiles were delivered by North Korea to Russia, according to Ukrainian intelligence.",
    "North Korea sent up to 3,000 more troops to Russia early this year, the military said on Wednesday.",
]


def q(db: str, sql: str) -> list[tuple]:
    con = duckdb.connect(db, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_first_poll_fetches_each_article_once_second_sends_conditional_requests_changed_feed_only_new(db_file: str) -> None:
    from flows.poll import poll_feeds

    with FeedServer() as srv:
        for i, t in enumerate(TEXTS):
            srv.add(f"/a/{i}", Resp(body=article(f"Story {i}", t + "\n\n" + t.replace("said", "added"),
                                                 date=f"2024-12-0{i + 1}")))
        items = [{"title": f"Story {i}", "link": srv.url(f"/a/{i}"), "guid": f"g{i}",
                  "pubDate": f"Mon, 0{i + 1} Dec 2024 10:00:00 GMT"} for i in range(3)]
        srv.add("/feed.xml", Resp(body=rss(items), content_type="application/rss+xml", etag='"v1"'))
        feeds = [{"url": srv.url("/feed.xml")}]

        first = poll_feeds(feeds=feeds, db=db_file, allow_private=True, force=True)
        assert [srv.count(f"/a/{i}") for i in range(3)] == [1, 1, 1]
        assert first["documents"] == 3 and first["new_entries"] == 3 and first["polled"] == 1
        docs = q(db_file, "SELECT uri, lang, published_at::DATE::VARCHAR, length(text) > 50 FROM documents ORDER BY uri")
        assert docs == [(srv.url(f"/a/{i}"), "en", f"2024-12-0{i + 1}", True) for i in range(3)]
        assert q(db_file, "SELECT count(DISTINCT document_id) FROM mentions") == [(3,)]

        second = poll_feeds(feeds=feeds, db=db_file, allow_private=True, force=True)
        assert srv.requests("/feed.xml")[-1]["if-none-match"] == '"v1"'
        assert second["not_modified"] == 1 and second.get("pages_fetched", 0) == 0
        assert [srv.count(f"/a/{i}") for i in range(3)] == [1, 1, 1]

        items.append({"title": "Story 3", "link": srv.url("/a/3"), "guid": "g3"})
        srv.add("/feed.xml", Resp(body=rss(items), content_type="application/rss+xml", etag='"v2"'))
        third = poll_feeds(feeds=feeds, db=db_file, allow_private=True, force=True)
        assert third["new_entries"] == 1 and third["documents"] == 1
        assert [srv.count(f"/a/{i}") for i in range(4)] == [1, 1, 1, 1]
        state = q(db_file, "SELECT last_status, etag, consecutive_errors FROM sources WHERE kind = 'feed'")
        assert state == [("200", '"v2"', 0)]
        assert [r[0] for r in q(db_file, "SELECT status FROM runs ORDER BY started_at")] == ["completed"] * 3


def test_failing_feed_backs_off_silent_feed_times_out_then_both_recover(db_file: str, tmp_path: Path) -> None:
    from flows.poll import poll_feeds

    cfg = tmp_path / "claimwatch.toml"
    cfg.write_text("[fetch]\ntimeout_s = 0.5\nallow_private = true\nbackoff_cap_minutes = 60\n", encoding="utf-8")
    with FeedServer() as srv:
        srv.add("/p", Resp(body=article("Troops", TEXTS[0] + "\n\n" + TEXTS[1])))
        good = Resp(body=rss([{"title": "T", "link": srv.url("/p"), "guid": "1"}]), content_type="application/rss+xml")
        srv.add("/down.xml", [Resp(status=500, body="oops", headers={"Retry-After": "600"}), good])
        srv.add("/silent.xml", [Resp(body="never", delay_s=60), good])
        feeds = [{"url": srv.url("/down.xml"), "interval_minutes": 5}, {"url": srv.url("/silent.xml")}]

        with pytest.raises(AllSourcesFailed):
            poll_feeds(feeds=feeds, db=db_file, config_path=str(cfg))
        state = dict((r[0], r[1:]) for r in q(
            db_file, "SELECT id, consecutive_errors, last_error, next_poll_at > now()::TIMESTAMP + INTERVAL 9 MINUTE "
                     "FROM sources WHERE kind = 'feed'"))
        assert state[srv.url("/down.xml")][0] == 1 and "HTTP 500" in state[srv.url("/down.xml")][1]
        assert state[srv.url("/down.xml")][2] is True  # Retry-After 600 s honoured
        assert state[srv.url("/silent.xml")][0] == 1 and "timeout" in state[srv.url("/silent.xml")][1]
        assert q(db_file, "SELECT status FROM runs") == [("failed",)]
        assert {r[0] for r in q(db_file, "SELECT stage FROM failures")} == {"fetch"}

        # backing off: a scheduled run leaves both alone
        counts = poll_feeds(feeds=feeds, db=db_file, config_path=str(cfg))
        assert counts["not_due"] == 2 and srv.count("/down.xml") == 1 and srv.count("/silent.xml") == 1

        # time passes; both are due again and recover
        con = duckdb.connect(db_file)
        con.execute("UPDATE sources SET next_poll_at = now()::TIMESTAMP - INTERVAL 1 MINUTE WHERE kind = 'feed'")
        con.close()
        counts = poll_feeds(feeds=feeds, db=db_file, config_path=str(cfg))
        assert counts["ok"] == 2 and counts["documents"] == 1 and srv.count("/p") == 1
        assert q(db_file, "SELECT DISTINCT consecutive_errors, last_error FROM sources WHERE kind = 'feed'") == [(0, None)]
