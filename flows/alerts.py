"""`send_alerts`: deliver the alerts outbox to every configured channel, one task per channel batch.

Run it after each ingestion and on its own schedule (it retries pending
deliveries whose backoff has passed). Per channel: claim the due deliveries
(committed as `sending`), send, and record each answer as soon as it comes;
a channel that is down only marks its own rows for a later retry.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.alerts_config import AlertsConfig, load
from flows.notify import DeliveryError, scrub
from flows.notify.render import Message, render, render_digest, render_test
from storage import alerts as outbox
from storage.db import writer

_log = logging.getLogger("claimwatch.alerts")
Logger = logging.Logger | logging.LoggerAdapter


@contextlib.contextmanager
def open_channel(channel: str, config: AlertsConfig, logger: Logger | None = None) -> Iterator[Callable[[Message], str]]:
    """The adapter for `channel`, opened (connection made, secret resolved)."""
    if channel == "console":
        from flows.notify import console

        with console.open_channel(logger) as send:
            yield send
    elif channel == "slack" and config.slack:
        from flows.notify import slack

        with slack.open_channel(config.slack) as send:
            yield send
    elif channel == "email" and config.email:
        from flows.notify import email

        with email.open_channel(config.email) as send:
            yield send
    else:
        raise DeliveryError(f"channel {channel!r} is not configured")


def prepare(db: str | None, config: AlertsConfig) -> int:
    """Give every alert a delivery row per configured channel (policy applied); returns rows added."""
    with writer(db) as con:
        return outbox.ensure_deliveries(con, config.channels, config.min_increase, config.max_age)


def deliver_channel(db: str | None, channel: str, config: AlertsConfig, logger: Logger | None = None) -> dict[str, int]:
    """Send the channel's due alerts; each outcome is committed as soon as the channel answers."""
    log = logger or _log
    with writer(db) as con:
        due = outbox.claim_due(con, channel)
    counts = {"due": len(due), "delivered": 0, "failed": 0, "in_doubt": sum(d.in_doubt for d in due)}
    if not due:
        return counts
    if counts["in_doubt"]:
        log.warning(
            "%s: %d alert(s) were being sent when a sender stopped; sending again (same idempotency key)",
            channel, counts["in_doubt"],
        )
    batches = [due] if config.digest else [[d] for d in due]
    remaining = {d.alert.id for d in due}

    def fail(ids: list[str], error: str, key: str | None) -> None:
        with writer(db) as con:
            outbox.mark_failed(
                con, channel, ids, scrub(error, config.secrets()), config.retry_backoff_s,
                config.retry_backoff_max_s, config.max_attempts, key=key,
            )
        counts["failed"] += len(ids)
        remaining.difference_update(ids)
        log.error("%s: %d alert(s) not delivered, will retry: %s", channel, len(ids), scrub(error, config.secrets()))

    def error_text(exc: Exception) -> str:
        return str(exc) if isinstance(exc, DeliveryError) else f"{type(exc).__name__}: {exc}"

    with contextlib.ExitStack() as stack:
        try:
            send = stack.enter_context(open_channel(channel, config, logger))
        except Exception as exc:  # the channel could not be opened (server down, block missing): all wait
            fail(sorted(remaining), error_text(exc), None)
            return counts
        for batch in batches:
            ids = [d.alert.id for d in batch]
            message = (
                render_digest([d.alert for d in batch], outbox.digest_key(ids)) if config.digest
                else render(batch[0].alert)
            )
            try:
                answer = send(message)
            except Exception as exc:  # refused, or a bug: either way the rows must not stay 'sending'
                fail(ids, error_text(exc), message.key)
                continue
            # Accepted. If this write fails (or the process dies first) the rows stay 'sending':
            # in doubt, sent again by the next sender with the same idempotency key.
            with writer(db) as con:
                outbox.mark_delivered(con, channel, ids, scrub(answer, config.secrets()), key=message.key)
            counts["delivered"] += len(ids)
            remaining.difference_update(ids)
    return counts


def send_all(db: str | None = None, config_path: str | None = None, logger: Logger | None = None) -> dict[str, Any]:
    """`send_alerts` without Prefect: the same steps, channels one after another."""
    config = load(config_path)
    with outbox.send_lock(db) as held:
        if not held:
            return {"skipped": "another sender is running"}
        prepared = prepare(db, config)
        return {"prepared": prepared, **{ch: deliver_channel(db, ch, config, logger) for ch in config.channels}}


@task(name="alerts-prepare", cache_policy=NO_CACHE, persist_result=False)
def prepare_task(db: str | None, config_path: str | None) -> int:
    return prepare(db, load(config_path))


@task(name="alerts-deliver", task_run_name="alerts-{channel}", cache_policy=NO_CACHE, persist_result=False)
def deliver_task(db: str | None, config_path: str | None, channel: str) -> dict[str, int]:
    # Tasks get the config path, never the config: secrets stay out of Prefect's records.
    return deliver_channel(db, channel, load(config_path), get_run_logger())


@flow(name="send_alerts", flow_run_name="send-alerts", persist_result=False)
def send_alerts(db: str | None = None, config_path: str | None = None) -> dict[str, Any]:
    """Deliver pending alerts to the console, Slack and email; failed deliveries retry on later runs."""
    logger = get_run_logger()
    config = load(config_path)
    with outbox.send_lock(db, wait_s=5) as held:
        if not held:
            logger.info("another alert sender is running; it will deliver")
            return {"skipped": "another sender is running"}
        prepared = prepare_task(db, config_path)
        futures = {ch: deliver_task.submit(db, config_path, ch) for ch in config.channels}
        results: dict[str, Any] = {"prepared": prepared}
        for ch, fut in futures.items():
            results[ch] = fut.result()
    delivered = sum(r["delivered"] for ch, r in results.items() if ch != "prepared")
    failed = sum(r["failed"] for ch, r in results.items() if ch != "prepared")
    logger.info("send_alerts: %d delivered, %d failed (retried on a later run)", delivered, failed)
    return results


def send_test(config: AlertsConfig, logger: Logger | None = None) -> list[tuple[str, bool, str]]:
    """A test message to each configured channel: [(channel, accepted, answer or error)]."""
    out = []
    for channel in config.channels:
        message = render_test(channel)
        try:
            with open_channel(channel, config, logger) as send:
                out.append((channel, True, send(message)))
        except Exception as exc:
            out.append((channel, False, scrub(str(exc), config.secrets())))
    return out
