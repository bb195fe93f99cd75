"""Backoff schedule (pure) and feed state / entry registry in a real DuckDB file."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from storage import feeds as fs
from storage.db import writer


def test_backoff_doubles_up_to_the_cap_and_never_gives_up() -> None:
    rng = random.Random(1)
    d = [fs.next_poll_delay(600, n, cap_s=3600, rng=rng) for n in range(0, 12)]
    assert 540 <= d[0] <= 660  # healthy: the interval, +-10%
    assert 540 <= d[1] <= 660 and 1080 <= d[2] <= 1320 and 2160 <= d[3] <= 2640
    assert all(3240 <= x <= 3960 for x in d[4:])  # capped, still polled
    assert fs.next_poll_delay(600, 50, cap_s=3600, rng=rng) <= 3960


def test_retry_after_is_honoured_and_jitter_spreads_feeds() -> None:
    assert fs.next_poll_delay(60, 1, retry_after_s=7200, cap_s=600, rng=random.Random(0)) >= 7200 * 0.9
    delays = {round(fs.next_poll_delay(1800, 0, rng=random.Random(i))) for i in range(20)}
    assert len(delays) > 10 and min(delays) >= 1620 and max(delays) <= 1980


def test_poll_outcomes_update_state(db_file: str) -> None:
    now = datetime(2024, 12, 1, 12, 0)
    with writer(db_file) as con:
        fs.upsert_feeds(con, [{"url": "https://a.example/feed", "name": "A", "interval_minutes": 15}], "config")
        fs.record_polls(con, [fs.PollOutcome("https://a.example/feed", "200", True, now, now + timedelta(minutes=15),
                                             etag='"1"', last_modified="x", title="A feed", entries=3)])
        fs.record_polls(con, [fs.PollOutcome("https://a.example/feed", "HTTP 500", False, now, now + timedelta(hours=1),
                                             error="HTTP 500 Internal Server Error")] * 2)
        st = fs.load_states(con, ["https://a.example/feed"])["https://a.example/feed"]
        assert (st.etag, st.consecutive_errors, st.last_status, st.poll_interval_s) == ('"1"', 2, "HTTP 500", 900)
        assert not st.due(now) and st.due(now + timedelta(hours=2)) and st.due(now, force=True)
        fs.record_polls(con, [fs.PollOutcome("https://a.example/feed", "304", True, now, now)])
        st = fs.load_states(con, ["https://a.example/feed"])["https://a.example/feed"]
        assert st.consecutive_errors == 0 and st.last_error is None and st.etag == '"1"'
        # an ad hoc run does not demote a configured feed
        fs.upsert_feeds(con, [{"url": "https://a.example/feed"}], "adhoc")
        assert fs.load_states(con, ["https://a.example/feed"])["https://a.example/feed"].origin == "config"


def test_entry_registry_and_failed_retries(db_file: str) -> None:
    with writer(db_file) as con:
        row = {"feed_id": "f", "entry_id": "e1", "link": "https://x/1", "canonical_url": "https://x/1",
               "document_id": "d1", "title": "t", "published_at": None, "status": "stored", "reason": None}
        fs.register_entries(con, [row, {**row, "entry_id": "e2", "status": "failed", "document_id": None}])
        assert fs.unknown_entries(con, "f", ["e1", "e2", "e3"]) == {"e2", "e3"}
        for _ in range(fs.MAX_ENTRY_ATTEMPTS):
            fs.register_entries(con, [{**row, "entry_id": "e2", "status": "failed", "document_id": None}])
        assert fs.unknown_entries(con, "f", ["e2"]) == set()  # gave up on that page after 3 attempts
        fs.add_aliases(con, [("https://x/1", "d1"), ("https://x/1?moved", "d1")])
        assert fs.known_urls(con, ["https://x/1", "https://x/1?moved", "https://x/2"]) == {
            "https://x/1": "d1", "https://x/1?moved": "d1"}
