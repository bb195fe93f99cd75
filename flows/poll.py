"""`poll_feeds`: RSS/Atom feeds to stored articles, politely.

    feeds ─► conditional GET ─► parse ─► new entries ─► dedup at the door ─► fetch pages ─► process ─► store

One Prefect task per batch of feeds and per batch of pages (never per
document); inside a batch, fetching runs in a thread pool with a per-host
limit. The work itself is in plain functions (`poll_feed_batch`,
`plan_pages`, `fetch_page_batch`) that tests call directly.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from prefect import flow, get_run_logger, task

from extractors.feeds import parse_feed
from extractors.htmlclean import canonical_url as page_canonical_link
from extractors.htmlclean import decode
from extractors.identity import RefusedURL, canonical_url, check_scheme, page_identity
from flows import progress
from flows.config import DEFAULT_INTERVAL_MINUTES, load_config
from flows.http import PAGE_ACCEPT, FetchResult, FetchSettings, HostLimiter, fetch, is_html, make_client
from flows.ingest import AllSourcesFailed
from flows.process import build_record
from storage import feeds as feedstore
from storage import ledger, runs
from storage.db import run_lock, writer
from storage.records import DocumentRecord, Failure

FEED_BATCH = 20
PAGE_BATCH = 40


def _chunks(items: Sequence[Any], size: int) -> list[list[Any]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _lang(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().lower().replace("_", "-").split("-")[0]
    return code if 2 <= len(code) <= 3 and code.isalpha() else None


# ---------------------------------------------------------------- feeds


def poll_feed_batch(
    feeds: list[dict[str, Any]], settings: FetchSettings, db: str | None, run_id: str, force: bool = False,
    rng: random.Random | None = None,
) -> dict[str, Any]:
    """Poll one batch of feeds: conditional GET, parse, record state; return counts and the new entries.

    Each feed dict has url (and optionally name, lang, interval_minutes).
    Returns {"counts": {...}, "entries": [entry dicts]}.
    """
    counts: Counter[str] = Counter(feeds=len(feeds))
    now = feedstore.utcnow()
    ids = [feedstore.feed_id(f["url"]) for f in feeds]
    with writer(db) as con:
        states = feedstore.load_states(con, ids)
    due = [f for f, fid in zip(feeds, ids, strict=True) if fid in states and states[fid].due(now, force)]
    counts["not_due"] = len(feeds) - len(due)

    def poll_one(f: dict[str, Any]) -> tuple[dict[str, Any], FetchResult]:
        st = states[feedstore.feed_id(f["url"])]
        with limiter.slot(f["url"]):
            return f, fetch(client, f["url"], settings, etag=st.etag, last_modified=st.last_modified)

    limiter = HostLimiter(settings.per_host)
    with make_client(settings) as client, ThreadPoolExecutor(max_workers=max(1, settings.workers)) as pool:
        results = list(pool.map(poll_one, due))

    outcomes: list[feedstore.PollOutcome] = []
    failures: list[Failure] = []
    parsed_entries: dict[str, list[dict[str, Any]]] = {}
    cap_s = settings.backoff_cap_minutes * 60
    for f, res in results:
        fid = feedstore.feed_id(f["url"])
        st = states[fid]
        interval_s = (f.get("interval_minutes") or (st.poll_interval_s or 0) / 60 or DEFAULT_INTERVAL_MINUTES) * 60
        counts["polled"] += 1

        def outcome(status: str, ok: bool, errors: int, count_error: bool = True, *, _f: str = fid,
                    _r: FetchResult = res, _i: float = interval_s, **kw: Any) -> feedstore.PollOutcome:
            delay = feedstore.next_poll_delay(_i, errors, retry_after_s=_r.retry_after_s, cap_s=cap_s, rng=rng)
            return feedstore.PollOutcome(
                feed_id=_f, status=status, ok=ok, polled_at=now, next_poll_at=now + timedelta(seconds=delay),
                count_error=count_error, final_url=_r.final_url if _r.redirects else None, **kw,
            )

        if res.not_modified:
            counts["not_modified"] += 1
            outcomes.append(outcome("304", True, 0, etag=res.etag, last_modified=res.last_modified))
            continue
        if not res.ok:
            counts["feed_failures"] += 1
            status = "refused" if res.refused else (f"HTTP {res.status}" if res.status else "no response")
            outcomes.append(outcome(status, False, st.consecutive_errors + 1, error=res.error))
            failures.append(Failure(uri=f["url"], stage="fetch", reason=res.error or status, source_id=fid))
            continue
        parsed = parse_feed(res.body, res.final_url, res.content_type)
        if not parsed.ok:
            counts["feed_failures"] += 1
            empty_but_valid = bool(parsed.version) and "empty channel" in (parsed.error or "")
            errors = st.consecutive_errors + (0 if empty_but_valid else 1)
            outcomes.append(
                outcome("empty" if empty_but_valid else "parse error", False, errors, count_error=not empty_but_valid,
                        error=parsed.error, bozo=parsed.bozo, title=parsed.title, entries=0)
            )
            failures.append(Failure(uri=f["url"], stage="parse", reason=parsed.error or "no entries", source_id=fid))
            continue
        counts["ok"] += 1
        if parsed.bozo:
            counts["bozo"] += 1
        outcomes.append(
            outcome("200", True, 0, etag=res.etag, last_modified=res.last_modified, bozo=parsed.bozo,
                    title=parsed.title, entries=len(parsed.entries))
        )
        hint = f.get("lang") or st.lang_hint or _lang(parsed.language)
        parsed_entries[fid] = [
            {
                "feed_id": fid, "entry_id": e.entry_id, "link": e.link, "title": e.title,
                "published": e.published.isoformat() if e.published else None,
                "lang": _lang(e.extra.get("lang")) or hint,
            }
            for e in parsed.entries
        ]
        counts["entries_seen"] += len(parsed.entries)

    new: list[dict[str, Any]] = []
    with writer(db) as con:
        feedstore.record_polls(con, outcomes)
        if failures:
            ledger.write_batch(con, [], failures, run_id)
        for fid, entries in parsed_entries.items():
            unknown = feedstore.unknown_entries(con, fid, [e["entry_id"] for e in entries])
            new.extend(e for e in entries if e["entry_id"] in unknown)
        retry = feedstore.failed_entries(con, [feedstore.feed_id(f["url"]) for f, _ in results])
    have = {(e["feed_id"], e["entry_id"]) for e in new}
    for r in retry:
        if (r["feed_id"], r["entry_id"]) not in have:
            hint = next((f.get("lang") for f in feeds if feedstore.feed_id(f["url"]) == r["feed_id"]), None)
            published = r["published"].isoformat() if isinstance(r["published"], datetime) else None
            new.append({**r, "published": published, "lang": hint})
            counts["retried_entries"] += 1
    counts["new_entries"] = len(new) - counts["retried_entries"]
    return {"counts": dict(counts), "entries": new}


# ---------------------------------------------------------------- pages


def plan_pages(entries: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Group new entries by the canonical form of their link: one page job per article.

    Returns (jobs, refused): a job is {"url", "canonical", "entries": [...]};
    an entry whose link is missing or not http(s) is refused with a reason.
    """
    jobs: dict[str, dict[str, Any]] = {}
    refused: list[dict[str, Any]] = []
    for e in entries:
        link = e.get("link")
        if not link:
            refused.append({**e, "reason": "entry has no link to an article"})
            continue
        try:
            check_scheme(link)
        except RefusedURL as exc:
            refused.append({**e, "reason": str(exc)})
            continue
        canon = canonical_url(link)
        if canon is None:
            refused.append({**e, "reason": f"refused: malformed URL {link!r}"})
            continue
        job = jobs.setdefault(canon, {"url": link, "canonical": canon, "entries": []})
        job["entries"].append(e)
    return list(jobs.values()), refused


def _entry_row(e: dict[str, Any], status: str, reason: str | None = None, doc: str | None = None,
               canonical: str | None = None) -> dict[str, Any]:
    published = e.get("published")
    return {
        "feed_id": e["feed_id"], "entry_id": e["entry_id"], "link": e.get("link"), "canonical_url": canonical,
        "document_id": doc, "title": e.get("title"),
        "published_at": datetime.fromisoformat(published) if isinstance(published, str) else published,
        "status": status, "reason": reason,
    }


def fetch_page_batch(
    jobs: list[dict[str, Any]], settings: FetchSettings, db: str | None, run_id: str,
    refused: list[dict[str, Any]] | None = None,
) -> dict[str, int]:
    """Fetch, process and store one batch of article pages; register every entry. Plain function."""
    counts: Counter[str] = Counter()
    entry_rows: list[dict[str, Any]] = []
    failures: list[Failure] = []
    aliases: list[tuple[str, str]] = []
    for e in refused or []:
        counts["refused"] += 1
        entry_rows.append(_entry_row(e, "refused", e["reason"]))
        failures.append(Failure(uri=e.get("link") or f"{e['feed_id']}#{e['entry_id']}", stage="fetch",
                                reason=e["reason"], source_id=e["feed_id"]))

    with writer(db) as con:
        known = feedstore.known_urls(con, [j["canonical"] for j in jobs])
    to_fetch = []
    for j in jobs:
        if j["canonical"] in known:
            counts["already_stored"] += len(j["entries"])
            entry_rows.extend(
                _entry_row(e, "duplicate", "article already stored", known[j["canonical"]], j["canonical"])
                for e in j["entries"]
            )
        else:
            to_fetch.append(j)

    limiter = HostLimiter(settings.per_host)

    def get(j: dict[str, Any]) -> tuple[dict[str, Any], FetchResult]:
        with limiter.slot(j["url"]):
            return j, fetch(client, j["url"], settings, accept=PAGE_ACCEPT)

    with make_client(settings) as client, ThreadPoolExecutor(max_workers=max(1, settings.workers)) as pool:
        fetched = list(pool.map(get, to_fetch))

    pages: list[tuple[dict[str, Any], FetchResult, str]] = []
    for j, res in fetched:
        counts["pages_fetched"] += 0 if res.refused else 1
        first = j["entries"][0]
        reason = None
        status = "failed"
        if res.refused:
            reason, status = res.error, "refused"
            counts["refused"] += 1
        elif not res.ok:
            reason = res.error or f"HTTP {res.status}"
            counts["page_failures"] += 1
        elif not is_html(res):
            reason, status = f"not HTML: content-type {res.mime or 'missing'}", "skipped"
            counts["skipped"] += 1
        if reason:
            entry_rows.extend(_entry_row(e, status, reason, canonical=j["canonical"]) for e in j["entries"])
            failures.append(Failure(uri=j["url"], stage="fetch", reason=reason, source_id=first["feed_id"]))
            continue
        try:
            link = page_canonical_link(decode(res.body), res.final_url)
        except Exception:  # a page we cannot even decode still gets processed below
            link = None
        pages.append((j, res, page_identity(res.final_url, link)))

    with writer(db) as con:
        known_after = feedstore.known_urls(con, [ident for _, _, ident in pages])
    records: list[DocumentRecord] = []
    stored: dict[str, str] = {}
    for j, res, ident in pages:
        doc = known_after.get(ident) or stored.get(ident)
        urls = {j["canonical"], canonical_url(res.final_url) or res.final_url, ident}
        if doc:  # a redirect or rel=canonical led to an article already stored
            counts["already_stored"] += len(j["entries"])
            entry_rows.extend(_entry_row(e, "duplicate", "article already stored", doc, j["canonical"])
                              for e in j["entries"])
            aliases.extend((u, doc) for u in urls)
            continue
        first = j["entries"][0]
        try:
            rec = build_record(
                res.body, identity=ident, source_id=first["feed_id"], kind="html", url=res.final_url,
                guid=first["entry_id"], lang_hint=first.get("lang"),
                fallback_published=datetime.fromisoformat(first["published"]) if first.get("published") else None,
                raw_ref=res.final_url,
            )
        except Exception as exc:  # a page that breaks the pipeline is recorded, the batch goes on
            reason = f"{type(exc).__name__}: {exc}"
            counts["page_failures"] += 1
            failures.append(Failure(uri=ident, stage="process", reason=reason, source_id=first["feed_id"]))
            entry_rows.extend(_entry_row(e, "failed", reason, canonical=j["canonical"]) for e in j["entries"])
            continue
        records.append(rec)
        stored[ident] = rec.id
        aliases.extend((u, rec.id) for u in urls)
        entry_rows.extend(_entry_row(e, "stored", None, rec.id, j["canonical"]) for e in j["entries"][:1])
        entry_rows.extend(_entry_row(e, "duplicate", "same article as another entry", rec.id, j["canonical"])
                          for e in j["entries"][1:])
        counts["already_stored"] += len(j["entries"]) - 1

    with writer(db) as con:
        result = ledger.write_batch(con, records, failures, run_id)
        con.execute("BEGIN TRANSACTION")
        try:
            feedstore.register_entries(con, entry_rows)
            feedstore.add_aliases(con, aliases)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    counts.update(documents=result.documents, duplicates=result.duplicates, mentions=result.mentions,
                  new_claims=result.new_claims)
    return dict(counts)


# ---------------------------------------------------------------- Prefect


@task(name="poll-feeds-batch", retries=1, retry_delay_seconds=2, persist_result=False)
def poll_feeds_task(feeds: list[dict[str, Any]], settings: dict[str, Any], db: str | None, run_id: str,
                    force: bool) -> dict[str, Any]:
    return poll_feed_batch(feeds, FetchSettings(**settings), db, run_id, force)


@task(name="fetch-pages-batch", retries=1, retry_delay_seconds=2, persist_result=False)
def fetch_pages_task(jobs: list[dict[str, Any]], settings: dict[str, Any], db: str | None, run_id: str,
                     refused: list[dict[str, Any]]) -> dict[str, int]:
    return fetch_page_batch(jobs, FetchSettings(**settings), db, run_id, refused)


def resolve_feeds(
    feeds: list[dict[str, Any]] | None, config_path: str | None, db: str | None
) -> tuple[list[dict[str, Any]], str, FetchSettings, str | None]:
    """(feeds, origin, fetch settings, db): explicit feeds are ad hoc; otherwise configured plus imported ones."""
    cfg = load_config(config_path)
    db = db or cfg.db
    if feeds is not None:
        out = [{"url": f["url"].strip(), **{k: f.get(k) for k in ("name", "lang", "interval_minutes")}} for f in feeds]
        return out, "adhoc", cfg.fetch, db
    with writer(db) as con:
        imported = feedstore.imported_feeds(con)
    configured = {f["url"] for f in cfg.feeds}
    return cfg.feeds + [f for f in imported if f["url"] not in configured], "config", cfg.fetch, db


@flow(name="poll_feeds", persist_result=False)
def poll_feeds(
    feeds: list[dict[str, Any]] | None = None,
    db: str | None = None,
    config_path: str | None = None,
    allow_private: bool | None = None,
    force: bool = False,
    feed_batch_size: int = FEED_BATCH,
    page_batch_size: int = PAGE_BATCH,
) -> dict[str, Any]:
    """Poll feeds (the given ones, else the configured and imported ones) and store their new articles.

    Feeds not yet due (interval, backoff, Retry-After) are left alone unless `force`.
    Raises `AllSourcesFailed` when every polled feed failed.
    """
    logger = get_run_logger()
    feed_list, origin, settings, db = resolve_feeds(feeds, config_path, db)
    if allow_private is not None:
        settings = replace(settings, allow_private=allow_private)
    sdict = settings.to_dict()
    totals: Counter[str] = Counter()
    with run_lock(db, wait_s=600):
        with writer(db) as con:
            feedstore.upsert_feeds(con, feed_list, origin)
            run_id = runs.start_run(con, "poll_feeds")
        try:
            entries: list[dict[str, Any]] = []
            progress.advance("feeds", 0, len(feed_list))
            done = 0
            for batch in _chunks(feed_list, feed_batch_size):
                out = poll_feeds_task(batch, sdict, db, run_id, force)
                totals.update(out["counts"])
                entries.extend(out["entries"])
                done += len(batch)
                progress.advance("feeds", done, len(feed_list))
            jobs, refused = plan_pages(entries)
            progress.advance("pages", 0, len(jobs))
            done = 0
            batches = _chunks(jobs, page_batch_size) or ([[]] if refused else [])
            for i, batch in enumerate(batches):
                totals.update(fetch_pages_task(batch, sdict, db, run_id, refused if i == 0 else []))
                done += len(batch)
                progress.advance("pages", done, len(jobs))
        except BaseException as exc:
            with writer(db) as con:
                runs.finish_run(con, run_id, "failed", dict(totals), [repr(exc)])
            raise
        failed_all = totals["polled"] > 0 and totals["feed_failures"] == totals["polled"]
        with writer(db) as con:
            runs.finish_run(con, run_id, "failed" if failed_all else "completed", dict(totals), [])
    logger.info(
        "poll_feeds: %d feeds, %d polled, %d not due, %d not modified (304), %d failed; %d new entries, "
        "%d pages fetched, %d stored, %d already stored, %d refused, %d skipped, %d page failures",
        totals["feeds"], totals["polled"], totals["not_due"], totals["not_modified"], totals["feed_failures"],
        totals["new_entries"], totals["pages_fetched"], totals["documents"], totals["already_stored"],
        totals["refused"], totals["skipped"], totals["page_failures"],
    )
    if failed_all:
        raise AllSourcesFailed(f"all {totals['polled']} polled feeds failed")
    return {"run_id": run_id, **totals}
