"""`poll_feeds`: RSS/Atom feeds to stored articles, politely.

    feeds ─► conditional GET ─► parse ─► new entries ─► dedup at the door ─► fetch pages ─► process ─► store

One Prefect task per batch of feeds and per batch of pages (never per
document); inside a batch, fetching runs in a thread pool with a per-host
limit. The work itself is in plain functions (`poll_feed_batch`,
`plan_pages`, `fetch_page_batch`) that tests call directly.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import duckdb
from prefect import flow, get_run_logger, task

from extractors.feeds import parse_feed
from extractors.htmlclean import canonical_url as page_canonical_link
from extractors.htmlclean import decode
from extractors.identity import RefusedURL, canonical_url, check_scheme, page_identity
from flows import parallel, progress
from flows.config import DEFAULT_INTERVAL_MINUTES, load_config
from flows.http import PAGE_ACCEPT, FetchResult, FetchSettings, HostLimiter, fetch, is_html, make_client
from flows.ingest import AllSourcesFailed
from flows.parallel import Outcome
from flows.process import build_record
from storage import feeds as feedstore
from storage import ledger, runs
from storage.db import run_lock, writer
from storage.records import DocumentRecord, Failure

FEED_BATCH = 100
PAGE_BATCH = 100


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
        con.execute("BEGIN TRANSACTION")  # one commit for the batch, not one per feed
        try:
            feedstore.record_polls(con, outcomes)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
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


def _record_job(j: dict[str, Any], res: FetchResult, ident: str) -> dict[str, Any]:
    """Keyword arguments of `build_record` for a fetched page (picklable: it may go to a worker process)."""
    first = j["entries"][0]
    return {
        "raw": res.body, "identity": ident, "source_id": first["feed_id"], "kind": "html", "url": res.final_url,
        "guid": first["entry_id"], "lang_hint": first.get("lang"),
        "fallback_published": datetime.fromisoformat(first["published"]) if first.get("published") else None,
        "raw_ref": res.final_url,
    }


def _usable(res: FetchResult) -> bool:
    return not res.refused and res.ok and is_html(res)


class PreparedPages:
    """A batch of page jobs checked against the ledger, then fetched (and, with worker processes, processed)
    in the background: each page goes to a worker as soon as it arrives, so fetching, cleaning and
    extraction overlap, and the next batch can be on its way while this one is stored.

    Not a dataclass on purpose: Prefect walks dataclass parameters looking for futures.
    """

    __slots__ = ("jobs", "known", "to_fetch", "streamed", "_done", "_fetched", "_error", "_taken")

    def __init__(self, jobs: list[dict[str, Any]], known: dict[str, str], streamed: bool) -> None:
        self.jobs = jobs
        self.known = known
        self.to_fetch = [j for j in jobs if j["canonical"] not in known]
        self.streamed = streamed
        self._done = threading.Event()
        self._fetched: list[tuple[dict[str, Any], FetchResult, str | None, Future[Outcome] | None]] = []
        self._error: BaseException | None = None
        self._taken = False

    def take(self) -> PreparedPages | None:
        """This object the first time, None after (a retried task prepares its batch again)."""
        if self._taken:
            return None
        self._taken = True
        return self

    def run(self, settings: FetchSettings, limiter: HostLimiter | None = None) -> None:
        try:
            limiter = limiter or HostLimiter(settings.per_host)

            def get(j: dict[str, Any]) -> tuple[dict[str, Any], FetchResult, str | None, Future[Outcome] | None]:
                with limiter.slot(j["url"]):
                    res = fetch(client, j["url"], settings, accept=PAGE_ACCEPT)
                if not _usable(res):
                    return j, res, None, None
                try:
                    link = page_canonical_link(decode(res.body), res.final_url)
                except Exception:  # a page we cannot even decode still gets processed
                    link = None
                ident = page_identity(res.final_url, link)
                job = parallel.submit(build_record, _record_job(j, res, ident)) if self.streamed else None
                return j, res, ident, job

            with make_client(settings) as client, ThreadPoolExecutor(max_workers=max(1, settings.workers)) as pool:
                self._fetched = list(pool.map(get, self.to_fetch))
        except BaseException as exc:  # handed to the task that stores the batch
            self._error = exc
        finally:
            self._done.set()

    def start(self, settings: FetchSettings, limiter: HostLimiter | None = None) -> PreparedPages:
        threading.Thread(target=self.run, args=(settings, limiter), name="claimwatch-prefetch", daemon=True).start()
        return self

    def wait_fetched(self) -> None:
        """Until every page is fetched (and handed to a worker); errors are left for `fetched`."""
        self._done.wait()

    def fetched(self) -> list[tuple[dict[str, Any], FetchResult, str | None, Future[Outcome] | None]]:
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._fetched

    def cancel(self) -> None:
        """Drop pending processing (the run is failing); fetches in flight finish on their own."""
        if self._done.is_set():
            for *_, job in self._fetched:
                if job is not None:
                    job.cancel()


def prepare_pages(
    jobs: list[dict[str, Any]], settings: FetchSettings, db: str | None, background: bool = False,
    limiter: HostLimiter | None = None, known_urls: dict[str, str] | None = None,
) -> PreparedPages:
    """Check a batch against the ledger (URLs already stored are not fetched) and fetch the rest,
    in this thread or (`background`) in another one; the caller stores it with `store_pages`.
    Batches fetched at the same time should share one `limiter`. `known_urls`: the result of
    `feedstore.known_urls` for (at least) these jobs, looked up earlier, instead of a query now."""
    if known_urls is None:
        with writer(db) as con:
            known = feedstore.known_urls(con, [j["canonical"] for j in jobs])
    else:
        known = {j["canonical"]: known_urls[j["canonical"]] for j in jobs if j["canonical"] in known_urls}
    prepared = PreparedPages(jobs, known, parallel.streaming(sum(j["canonical"] not in known for j in jobs)))
    if background:
        return prepared.start(settings, limiter)
    prepared.run(settings, limiter)
    return prepared


def store_pages(
    prepared: PreparedPages, db: str | None, run_id: str, refused: list[dict[str, Any]] | None = None,
) -> dict[str, int]:
    """Process (unless done by workers already) and store a prepared batch; register every entry."""
    counts: Counter[str] = Counter()
    entry_rows: list[dict[str, Any]] = []
    failures: list[Failure] = []
    aliases: list[tuple[str, str]] = []
    for e in refused or []:
        counts["refused"] += 1
        entry_rows.append(_entry_row(e, "refused", e["reason"]))
        failures.append(Failure(uri=e.get("link") or f"{e['feed_id']}#{e['entry_id']}", stage="fetch",
                                reason=e["reason"], source_id=e["feed_id"]))
    fetched = prepared.fetched()
    outcomes = {id(j): job.result() for j, _, _, job in fetched if job is not None}  # wait before opening the DB

    def assemble(found: dict[str, str]) -> list[DocumentRecord]:
        """Sort the batch out against the URLs now known (`found`); process what is new unless done already."""
        # A batch prepared ahead was checked before the batches in front of it were stored: what they
        # stored since then counts as already stored, exactly as if this batch were checked just now.
        known = {j["canonical"] for j in prepared.jobs if j["canonical"] in found}
        for j in prepared.jobs:
            if j["canonical"] in known:
                counts["already_stored"] += len(j["entries"])
                entry_rows.extend(
                    _entry_row(e, "duplicate", "article already stored", found[j["canonical"]], j["canonical"])
                    for e in j["entries"]
                )
        pages: list[tuple[dict[str, Any], FetchResult, str]] = []
        for j, res, ident, _ in fetched:
            if j["canonical"] in known:
                continue
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
            assert ident is not None
            pages.append((j, res, ident))

        records: list[DocumentRecord] = []
        stored: dict[str, str] = {}
        for j, res, ident in pages:
            doc = found.get(ident) or stored.get(ident)
            urls = {j["canonical"], canonical_url(res.final_url) or res.final_url, ident}
            if doc:  # a redirect or rel=canonical led to an article already stored
                counts["already_stored"] += len(j["entries"])
                entry_rows.extend(_entry_row(e, "duplicate", "article already stored", doc, j["canonical"])
                                  for e in j["entries"])
                aliases.extend((u, doc) for u in urls)
                continue
            first = j["entries"][0]
            out = outcomes.get(id(j)) or parallel.run_guarded(build_record, _record_job(j, res, ident))
            if out.error is not None:  # a page that breaks the pipeline is recorded, the batch goes on
                counts["page_failures"] += 1
                failures.append(Failure(uri=ident, stage="process", reason=out.error, source_id=first["feed_id"]))
                entry_rows.extend(_entry_row(e, "failed", out.error, canonical=j["canonical"]) for e in j["entries"])
                continue
            rec = out.value
            records.append(rec)
            stored[ident] = rec.id
            aliases.extend((u, rec.id) for u in urls)
            entry_rows.extend(_entry_row(e, "stored", None, rec.id, j["canonical"]) for e in j["entries"][:1])
            entry_rows.extend(_entry_row(e, "duplicate", "same article as another entry", rec.id, j["canonical"])
                              for e in j["entries"][1:])
            counts["already_stored"] += len(j["entries"]) - 1
        return records

    def commit(con: duckdb.DuckDBPyConnection, records: list[DocumentRecord]) -> dict[str, int]:
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

    lookup = [j["canonical"] for j in prepared.jobs] + [ident for _, _, ident, _ in fetched if ident is not None]
    if prepared.streamed:  # processed by the workers already: one connection checks and stores
        with writer(db) as con:
            return commit(con, assemble(feedstore.known_urls(con, lookup)))
    with writer(db) as con:  # in-process: check, then process what is new (connection closed), then store
        found = feedstore.known_urls(con, lookup)
    records = assemble(found)
    with writer(db) as con:
        return commit(con, records)


def fetch_page_batch(
    jobs: list[dict[str, Any]], settings: FetchSettings, db: str | None, run_id: str,
    refused: list[dict[str, Any]] | None = None,
) -> dict[str, int]:
    """Fetch, process and store one batch of article pages; register every entry. Plain function."""
    return store_pages(prepare_pages(jobs, settings, db), db, run_id, refused)


# ---------------------------------------------------------------- Prefect


@task(name="poll-feeds-batch", retries=1, retry_delay_seconds=2, persist_result=False)
def poll_feeds_task(feeds: list[dict[str, Any]], settings: dict[str, Any], db: str | None, run_id: str,
                    force: bool) -> dict[str, Any]:
    return poll_feed_batch(feeds, FetchSettings(**settings), db, run_id, force)


@task(name="fetch-pages-batch", retries=1, retry_delay_seconds=2, persist_result=False)
def fetch_pages_task(jobs: list[dict[str, Any]], settings: dict[str, Any], db: str | None, run_id: str,
                     refused: list[dict[str, Any]], prepared: PreparedPages | None = None,
                     limiter: HostLimiter | None = None) -> dict[str, int]:
    """Store a batch the flow fetched ahead (`prepared`), or fetch it here (also when retried)."""
    ready = prepared.take() if prepared is not None else None
    if ready is None:
        ready = prepare_pages(jobs, FetchSettings(**settings), db, limiter=limiter)
    return store_pages(ready, db, run_id, refused)


def _upsert_feeds(con: duckdb.DuckDBPyConnection, feeds: list[dict[str, Any]], origin: str) -> None:
    """`feedstore.upsert_feeds` for the feeds whose row it would change (new ones, or changed settings),
    in one transaction: a run over hundreds of unchanged feeds then costs one query, not one per feed."""
    states = feedstore.load_states(con, [feedstore.feed_id(f["url"]) for f in feeds])

    def unchanged(f: dict[str, Any]) -> bool:
        st = states.get(feedstore.feed_id(f["url"]))
        if st is None:
            return False
        interval = f.get("interval_minutes")
        kept_origin = st.origin if origin == "adhoc" and st.origin is not None else origin
        return (
            f.get("name") in (None, st.name) and f.get("lang") in (None, st.lang_hint)
            and (int(interval * 60) if interval else None) in (None, st.poll_interval_s)
            and kept_origin == st.origin
        )

    todo = [f for f in feeds if not unchanged(f)]
    if not todo:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        feedstore.upsert_feeds(con, todo, origin)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


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
    current: PreparedPages | None = None
    nxt: PreparedPages | None = None
    with run_lock(db, wait_s=600):
        with writer(db) as con:
            _upsert_feeds(con, feed_list, origin)
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
            # With worker processes, batch i+1 is fetched (then processed by the workers) while batch i is
            # being stored; fetching itself stays one batch at a time, under one per-host limiter.
            # The URLs already stored are looked up once for the whole run; what a batch stores that a
            # later batch links to is caught when that batch is stored (`store_pages` checks again).
            limiter = HostLimiter(settings.per_host)
            ahead = len(batches) > 1 and parallel.worker_count() > 1
            known: dict[str, str] = {}
            if ahead:
                with writer(db) as con:
                    known = feedstore.known_urls(con, [j["canonical"] for j in jobs])
                nxt = prepare_pages(batches[0], settings, db, background=True, limiter=limiter, known_urls=known)
            for i, batch in enumerate(batches):
                current, nxt = nxt, None
                if current is not None:
                    current.wait_fetched()
                    if i + 1 < len(batches):
                        nxt = prepare_pages(batches[i + 1], settings, db, background=True, limiter=limiter,
                                            known_urls=known)
                totals.update(fetch_pages_task(batch, sdict, db, run_id, refused if i == 0 else [], current, limiter))
                done += len(batch)
                progress.advance("pages", done, len(jobs))
        except BaseException as exc:
            for pending in (current, nxt):
                if pending is not None:
                    pending.cancel()
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
