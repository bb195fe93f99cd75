"""`pipeline`: the scheduled job. Ingest seed folders, poll feeds, then send alerts.

Thin on purpose: each step is its own flow (ingest_seeds, poll_feeds,
send_alerts) and this one only chooses the sources, holds the run lock and
decides the run's final state: failed when every source failed.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger

from flows.config import load_config
from flows.ingest import AllSourcesFailed, ingest_seeds
from storage.db import run_lock

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def parse_shard(shard: str | None) -> tuple[int, int] | None:
    """"2/4" -> (2, 4): this run takes the second quarter of the feeds."""
    if not shard:
        return None
    m = _SHARD.match(shard)
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise ValueError(f"shard must look like 'i/n' with 1 <= i <= n, got {shard!r}")
    return int(m.group(1)), int(m.group(2))


def in_shard(url: str, shard: tuple[int, int] | None) -> bool:
    """Stable assignment of a feed to one of n shards, by a hash of its URL."""
    if shard is None:
        return True
    i, n = shard
    return int(hashlib.sha256(url.encode()).hexdigest()[:8], 16) % n == i - 1


def _run_name() -> str:
    from prefect.runtime import flow_run

    p = flow_run.parameters
    name = Path(p.get("db") or "claimwatch.duckdb").name
    shard = p.get("shard")
    return f"pipeline-{name}" + (f"-shard-{shard.replace('/', 'of')}" if shard else "")


@flow(name="pipeline", flow_run_name=_run_name, persist_result=False)
def pipeline(
    db: str | None = None,
    config_path: str | None = None,
    seeds: list[str] | None = None,
    feeds: list[str] | None = None,
    allow_private: bool | None = None,
    force: bool | None = None,
    shard: str | None = None,
    alerts: bool = True,
    lock_wait_s: float = 600,
) -> dict[str, Any]:
    """Ingest the configured sources (or just `seeds`/`feeds`), then send alerts.

    `shard="i/n"` polls only the i-th of n slices of the feeds (seed folders
    go with shard 1), so n deployments can share the feed list; runs of the
    same shard never overlap (run lock + deployment concurrency limit).
    """
    from flows.poll import poll_feeds, resolve_feeds

    logger = get_run_logger()
    cfg = load_config(config_path)
    db = db or cfg.db
    sh = parse_shard(shard)
    adhoc = bool(seeds or feeds)
    folders = list(seeds or []) if adhoc else [str(p) for p in cfg.seeds]
    if sh and sh[0] != 1:
        folders = []
    result: dict[str, Any] = {"seeds": {}, "feeds": None, "alerts": None, "failed": []}
    attempted = 0
    with run_lock(db, wait_s=lock_wait_s, scope=f"shard-{sh[0]}of{sh[1]}" if sh else None):
        for folder in folders:
            attempted += 1
            try:
                result["seeds"][folder] = ingest_seeds(folder, db)
            except AllSourcesFailed as exc:
                result["failed"].append(str(exc))
        if adhoc:
            feed_list = [{"url": u} for u in feeds or []]
        else:
            feed_list = [f for f in resolve_feeds(None, config_path, db)[0] if in_shard(f["url"], sh)]
        if feed_list:
            attempted += 1
            try:
                result["feeds"] = poll_feeds(
                    feeds=feed_list if adhoc or sh else None, db=db, config_path=config_path, allow_private=allow_private,
                    force=adhoc if force is None else force,
                )
            except AllSourcesFailed as exc:
                result["failed"].append(str(exc))
    if alerts:
        from flows.alerts import send_alerts

        result["alerts"] = send_alerts(db=db, config_path=config_path)
    logger.info(
        "pipeline: %d seed folder(s), %s feed(s), %d failed source group(s)",
        len(folders), len(feed_list), len(result["failed"]),
    )
    if attempted and len(result["failed"]) == attempted:
        raise AllSourcesFailed("every source failed: " + "; ".join(result["failed"]))
    return result
