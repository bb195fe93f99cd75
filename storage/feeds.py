"""Feed state and the entry registry: polling schedule, backoff, and dedup at the door.

A feed is a row of `sources` (kind = 'feed', id = its URL) carrying the
conditional-GET validators (etag, last_modified), the last status, the count
of consecutive errors, the last error and bozo reason, and when to poll next.
`entries` remembers every feed item seen, and `url_aliases` every URL known
to lead to a stored document, so an item is fetched once however many feeds
carry it and under however many guids it is re-posted.

The schedule itself (`next_poll_delay`) is a pure function.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb

from storage.bulk import register_rows

DEFAULT_INTERVAL_S = 30 * 60
DEFAULT_BACKOFF_CAP_S = 6 * 3600
MAX_RETRY_AFTER_S = 7 * 24 * 3600
JITTER = 0.1
MAX_ENTRY_ATTEMPTS = 3


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def next_poll_delay(
    interval_s: float,
    consecutive_errors: int,
    *,
    retry_after_s: float | None = None,
    cap_s: float = DEFAULT_BACKOFF_CAP_S,
    rng: random.Random | None = None,
) -> float:
    """Seconds until the next poll of a feed.

    Healthy: the feed's interval. After n consecutive errors: interval * 2**(n-1),
    never more than `cap_s` (and never a permanent give-up). A server's
    Retry-After is honoured when longer (up to a week). +-10% jitter so feeds
    polled together drift apart.
    """
    interval_s = max(1.0, float(interval_s))
    if consecutive_errors <= 0:
        delay = interval_s
    else:
        delay = min(max(cap_s, interval_s), interval_s * 2 ** min(consecutive_errors - 1, 30))
    if retry_after_s:
        delay = max(delay, min(float(retry_after_s), MAX_RETRY_AFTER_S))
    r = rng or random
    return delay * r.uniform(1 - JITTER, 1 + JITTER)


@dataclass(slots=True)
class FeedState:
    id: str
    uri: str
    name: str | None = None
    lang_hint: str | None = None
    poll_interval_s: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_status: str | None = None
    last_polled_at: datetime | None = None
    consecutive_errors: int = 0
    last_error: str | None = None
    next_poll_at: datetime | None = None
    origin: str | None = None

    def due(self, now: datetime, force: bool = False) -> bool:
        return force or self.next_poll_at is None or self.next_poll_at <= now


_STATE_COLS = (
    "id", "uri", "name", "lang_hint", "poll_interval_s", "etag", "last_modified", "last_status", "last_polled_at",
    "consecutive_errors", "last_error", "next_poll_at", "origin",
)


def feed_id(url: str) -> str:
    """Feeds are keyed by their URL as configured."""
    return url.strip()


def upsert_feeds(con: duckdb.DuckDBPyConnection, feeds: Sequence[dict[str, Any]], origin: str) -> list[str]:
    """Make sure every feed has a `sources` row; returns their ids.

    Name, language and interval follow the latest configuration. An ad hoc
    run never demotes a configured or imported feed's origin.
    """
    ids = []
    for f in feeds:
        fid = feed_id(f["url"])
        interval = f.get("interval_minutes")
        con.execute(
            """INSERT INTO sources (id, kind, uri, name, lang_hint, poll_interval_s, origin)
               VALUES (?, 'feed', ?, ?, ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET
                   name = coalesce(excluded.name, sources.name),
                   lang_hint = coalesce(excluded.lang_hint, sources.lang_hint),
                   poll_interval_s = coalesce(excluded.poll_interval_s, sources.poll_interval_s),
                   origin = CASE WHEN excluded.origin = 'adhoc' AND sources.origin IS NOT NULL
                                 THEN sources.origin ELSE excluded.origin END""",
            [fid, f["url"].strip(), f.get("name"), f.get("lang"), int(interval * 60) if interval else None, origin],
        )
        ids.append(fid)
    return ids


def load_states(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> dict[str, FeedState]:
    rows = con.execute(
        f"SELECT {', '.join(_STATE_COLS)} FROM sources WHERE id IN (SELECT unnest($1::VARCHAR[]))", [list(ids)]
    ).fetchall()
    return {r[0]: FeedState(*r) for r in rows}


def imported_feeds(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Feeds added with `claimwatch feeds import` (they join the configured ones)."""
    rows = con.execute(
        "SELECT uri, name, lang_hint, poll_interval_s FROM sources WHERE kind = 'feed' AND origin = 'opml' ORDER BY id"
    ).fetchall()
    return [
        {"url": u, "name": n, "lang": lang, "interval_minutes": (p // 60 if p else None)} for u, n, lang, p in rows
    ]


@dataclass(slots=True)
class PollOutcome:
    """What one poll of one feed did, for the `sources` row."""

    feed_id: str
    status: str  # "200", "304", "error 500", "timeout", "parse error", "refused", ...
    ok: bool
    polled_at: datetime
    next_poll_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    bozo: str | None = None
    title: str | None = None
    entries: int | None = None
    final_url: str | None = None
    count_error: bool = True  # False: recorded as a problem but no backoff (e.g. an empty channel)


def record_polls(con: duckdb.DuckDBPyConnection, outcomes: Sequence[PollOutcome]) -> None:
    for o in outcomes:
        con.execute(
            """UPDATE sources SET
                   last_status = ?, last_polled_at = ?, next_poll_at = ?,
                   etag = CASE WHEN ? THEN coalesce(?, etag) ELSE etag END,
                   last_modified = CASE WHEN ? THEN coalesce(?, last_modified) ELSE last_modified END,
                   consecutive_errors = CASE WHEN ? THEN 0 WHEN ? THEN consecutive_errors + 1
                                             ELSE consecutive_errors END,
                   last_error = CASE WHEN ? THEN NULL ELSE ? END,
                   last_bozo = CASE WHEN ? THEN ? ELSE last_bozo END,
                   last_ok_at = CASE WHEN ? THEN ? ELSE last_ok_at END,
                   title = coalesce(?, title),
                   last_entries = coalesce(?, last_entries),
                   final_url = coalesce(?, final_url)
               WHERE id = ?""",
            [
                o.status, o.polled_at, o.next_poll_at,
                o.ok, o.etag, o.ok, o.last_modified,
                o.ok and o.error is None, o.count_error and not o.ok,
                o.ok and o.error is None, o.error,
                o.status == "200", o.bozo,
                o.ok, o.polled_at,
                o.title, o.entries, o.final_url, o.feed_id,
            ],
        )


def unknown_entries(con: duckdb.DuckDBPyConnection, feed: str, entry_ids: Sequence[str]) -> set[str]:
    """Entry ids of `feed` never seen, or seen but failed and still worth another try."""
    if not entry_ids:
        return set()
    rows = con.execute(
        """SELECT entry_id FROM entries WHERE feed_id = $1 AND entry_id IN (SELECT unnest($2::VARCHAR[]))
           AND NOT (status = 'failed' AND attempts < $3)""",
        [feed, list(entry_ids), MAX_ENTRY_ATTEMPTS],
    ).fetchall()
    known = {r[0] for r in rows}
    return {e for e in entry_ids if e not in known}


def failed_entries(con: duckdb.DuckDBPyConnection, feeds: Sequence[str]) -> list[dict[str, Any]]:
    """Entries whose page fetch failed, still worth retrying (their feed may answer 304 now)."""
    rows = con.execute(
        """SELECT feed_id, entry_id, link, title, published_at FROM entries
           WHERE status = 'failed' AND attempts < $1 AND feed_id IN (SELECT unnest($2::VARCHAR[]))
           ORDER BY first_seen_at""",
        [MAX_ENTRY_ATTEMPTS, list(feeds)],
    ).fetchall()
    return [{"feed_id": f, "entry_id": e, "link": k, "title": t, "published": p} for f, e, k, t, p in rows]


def known_urls(con: duckdb.DuckDBPyConnection, urls: Iterable[str]) -> dict[str, str]:
    """{url: document id} for URLs already known to lead to a stored document."""
    urls = [u for u in set(urls) if u]
    if not urls:
        return {}
    rows = con.execute(
        """SELECT url, document_id FROM url_aliases WHERE url IN (SELECT unnest($1::VARCHAR[]))
           UNION ALL
           SELECT uri, id FROM documents WHERE uri IN (SELECT unnest($1::VARCHAR[]))""",
        [urls],
    ).fetchall()
    return {u: d for u, d in rows}


def add_aliases(con: duckdb.DuckDBPyConnection, pairs: Iterable[tuple[str, str]]) -> None:
    rows = sorted({(u, d) for u, d in pairs if u and d})
    if not rows:
        return
    seen: dict[str, str] = {}
    for u, d in rows:
        seen.setdefault(u, d)
    rel = register_rows(con, ("url", "document_id"), list(seen.items()))
    con.execute(f"INSERT INTO url_aliases (url, document_id) SELECT * FROM {rel} ON CONFLICT (url) DO NOTHING")
    con.unregister(rel)


ENTRY_COLS = ("feed_id", "entry_id", "link", "canonical_url", "document_id", "title", "published_at", "status", "reason")


def register_entries(con: duckdb.DuckDBPyConnection, rows: Sequence[dict[str, Any]]) -> None:
    """Upsert entries (one row per feed and entry id); a failed fetch counts an attempt."""
    if not rows:
        return
    dedup: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        dedup[(r["feed_id"], r["entry_id"])] = r
    data = [
        tuple(_naive(r.get(c)) if c == "published_at" else r.get(c) for c in ENTRY_COLS) for r in dedup.values()
    ]
    import pyarrow as pa

    schema = pa.schema([(c, pa.timestamp("us") if c == "published_at" else pa.string()) for c in ENTRY_COLS])
    rel = register_rows(con, ENTRY_COLS, data, schema)
    con.execute(
        f"""INSERT INTO entries ({', '.join(ENTRY_COLS)}, attempts)
            SELECT *, CASE WHEN status = 'failed' THEN 1 ELSE 0 END FROM {rel}
            ON CONFLICT (feed_id, entry_id) DO UPDATE SET
                link = excluded.link, canonical_url = excluded.canonical_url,
                document_id = coalesce(excluded.document_id, entries.document_id),
                title = coalesce(excluded.title, entries.title),
                published_at = coalesce(excluded.published_at, entries.published_at),
                status = excluded.status, reason = excluded.reason,
                attempts = entries.attempts + CASE WHEN excluded.status = 'failed' THEN 1 ELSE 0 END,
                last_seen_at = now()"""
    )
    con.unregister(rel)


def _naive(ts: Any) -> Any:
    if isinstance(ts, datetime) and ts.tzinfo:
        return ts.astimezone(UTC).replace(tzinfo=None)
    return ts


FEED_LIST_COLS = (
    "url", "name", "origin", "last_status", "last_polled_at", "consecutive_errors", "last_error", "next_poll_at",
    "entries", "documents",
)


def list_feeds(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    return con.execute(
        """SELECT s.uri, coalesce(s.name, s.title), s.origin, s.last_status, s.last_polled_at, s.consecutive_errors,
                  coalesce(s.last_error, CASE WHEN s.last_bozo IS NOT NULL THEN 'bozo: ' || s.last_bozo END),
                  s.next_poll_at,
                  (SELECT count(*) FROM entries e WHERE e.feed_id = s.id),
                  (SELECT count(DISTINCT e.document_id) FROM entries e WHERE e.feed_id = s.id AND e.status = 'stored')
           FROM sources s WHERE s.kind = 'feed' ORDER BY s.uri"""
    ).fetchall()


def remove_feed(con: duckdb.DuckDBPyConnection, url: str) -> bool:
    row = con.execute("SELECT count(*) FROM sources WHERE kind = 'feed' AND id = ?", [feed_id(url)]).fetchone()
    if not row or not row[0]:
        return False
    con.execute("UPDATE sources SET origin = 'removed', next_poll_at = NULL WHERE id = ?", [feed_id(url)])
    return True
