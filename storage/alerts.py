"""The alerts outbox, read side and delivery bookkeeping.

Alert rows are written by `storage.outbox` inside the ledger transaction.
Here a sender:

1. `ensure_deliveries` gives every alert one row per configured channel,
   applying the send-time policy once and for all (`suppressed` below the
   minimum increase, `expired` when older than the maximum age);
2. `claim_due` takes the channel's due rows and marks them `sending`
   (attempts + 1) in a committed transaction *before* anything is sent;
3. `mark_delivered` / `mark_failed` record the channel's answer.

A row is `delivered` only after its channel accepted the message, and a
delivered row is never selected again. A crash between the channel's
acceptance and `mark_delivered` leaves the row `sending`; since senders hold
`send_lock`, a `sending` row found by the next sender is in doubt and is sent
again with the same idempotency key (at-least-once in that window only).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

from storage.bulk import register_rows

DELIVERY_STATES = ("pending", "sending", "delivered", "failed", "suppressed", "expired")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def alert_id(claim_id: str) -> str:
    """A claim alerts at most once: the alert id is a hash of the claim id."""
    return hashlib.sha256(f"alert\x1f{claim_id}".encode()).hexdigest()[:20]


def digest_key(alert_ids: Iterable[str]) -> str:
    return "digest-" + hashlib.sha256("\x1f".join(sorted(alert_ids)).encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert row: the new figure with its evidence and the previous high with its evidence."""

    id: str
    claim_id: str
    kind: str  # new_high | new_metric
    category: str
    supplier: str | None
    recipient: str | None
    value: float
    low: float | None
    qualifier: str
    status: str  # reported | planned
    attribution: str | None
    period: str | None
    sentence: str | None
    lang: str | None
    document_id: str | None
    title: str | None
    uri: str | None
    published_at: datetime | None
    previous_high: float | None
    previous_claim_id: str | None
    previous_qualifier: str | None
    previous_status: str | None
    previous_claimant: str | None
    previous_title: str | None
    previous_uri: str | None
    previous_published_at: datetime | None
    run_id: str | None
    created_at: datetime


ALERT_FIELDS = tuple(f.name for f in fields(Alert))
_SELECT_ALERT = ", ".join(f"a.{c}" for c in ALERT_FIELDS)


@dataclass(frozen=True, slots=True)
class MinIncrease:
    """How much a new high must beat the previous one by: an absolute amount or a ratio (0.1 = 10 %)."""

    absolute: float = 0.0
    ratio: float = 0.0

    def required(self, previous: float) -> float:
        return max(self.absolute, self.ratio * abs(previous))

    def describe(self) -> str:
        parts = []
        if self.absolute:
            parts.append(f"{self.absolute:g}")
        if self.ratio:
            parts.append(f"{self.ratio * 100:g}%")
        return " / ".join(parts) or "0"


def below_min_increase(alert: Alert, rule: MinIncrease | None) -> bool:
    if rule is None or alert.kind != "new_high" or alert.previous_high is None:
        return False
    return (alert.value - alert.previous_high) < rule.required(alert.previous_high)


@dataclass(frozen=True, slots=True)
class Due:
    """An alert claimed for sending on one channel."""

    alert: Alert
    attempts: int  # including this one
    in_doubt: bool  # a previous attempt started and never recorded its outcome


def ensure_deliveries(
    con: duckdb.DuckDBPyConnection,
    channels: Sequence[str],
    min_increase: Mapping[str, MinIncrease] | None = None,
    max_age: timedelta | None = timedelta(days=7),
    now: datetime | None = None,
) -> int:
    """Give every alert a row for each channel that lacks one; returns how many rows were added.

    The policy is applied here, once: a new high below its category's minimum
    increase is `suppressed`; an alert older than `max_age` when a channel
    first sees it (a channel added later, a sender down for long) is
    `expired`; everything else is `pending`, due now.
    """
    if not channels:
        return 0
    now = now or utcnow()
    rules = dict(min_increase or {})
    rows = con.execute(
        f"""
        SELECT ch.channel, {_SELECT_ALERT}
        FROM alerts a CROSS JOIN (SELECT unnest($1::VARCHAR[]) AS channel) ch
        WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.alert_id = a.id AND d.channel = ch.channel)
        """,
        [list(channels)],
    ).fetchall()
    if not rows:
        return 0
    out = []
    for r in rows:
        channel, alert = r[0], Alert(*r[1:])
        rule = rules.get(alert.category, rules.get("default"))
        if below_min_increase(alert, rule):
            status, note = "suppressed", f"below the minimum increase ({rule.describe() if rule else 0})"
        elif max_age is not None and alert.created_at < now - max_age:
            status, note = "expired", f"older than {max_age} when the channel first saw it"
        else:
            status, note = "pending", None
        out.append((alert.id, channel, status, 0, note, now if status == "pending" else None, now))
    cols = ("alert_id", "channel", "status", "attempts", "last_error", "next_attempt_at", "created_at")
    schema = pa.schema(
        [
            ("alert_id", pa.string()), ("channel", pa.string()), ("status", pa.string()), ("attempts", pa.int32()),
            ("last_error", pa.string()), ("next_attempt_at", pa.timestamp("us")), ("created_at", pa.timestamp("us")),
        ]
    )
    rel = register_rows(con, cols, out, schema)
    con.execute(f"INSERT INTO deliveries ({', '.join(cols)}) SELECT * FROM {rel} ON CONFLICT DO NOTHING")
    con.unregister(rel)
    return len(out)


def claim_due(
    con: duckdb.DuckDBPyConnection, channel: str, now: datetime | None = None, limit: int = 200
) -> list[Due]:
    """Mark the channel's due deliveries `sending` (attempts + 1) and return them, oldest alert first.

    Due: `pending` whose next attempt time has come, and `sending` left by a
    sender that died (the caller holds `send_lock`, so no other sender is
    running). Run it in its own committed transaction before sending.
    """
    now = now or utcnow()
    rows = con.execute(
        f"""
        SELECT d.attempts, d.status = 'sending', {_SELECT_ALERT}
        FROM deliveries d JOIN alerts a ON a.id = d.alert_id
        WHERE d.channel = $1
          AND (d.status = 'sending' OR (d.status = 'pending' AND coalesce(d.next_attempt_at, $2) <= $2))
        ORDER BY a.created_at, a.id
        LIMIT $3
        """,
        [channel, now, limit],
    ).fetchall()
    if not rows:
        return []
    due = [Due(alert=Alert(*r[2:]), attempts=int(r[0]) + 1, in_doubt=bool(r[1])) for r in rows]
    con.execute(
        """
        UPDATE deliveries SET status = 'sending', attempts = attempts + 1, last_attempt_at = $3
        WHERE channel = $1 AND alert_id IN (SELECT unnest($2::VARCHAR[]))
        """,
        [channel, [d.alert.id for d in due], now],
    )
    return due


def mark_delivered(
    con: duckdb.DuckDBPyConnection,
    channel: str,
    alert_ids: Sequence[str],
    response: str,
    key: str | None = None,
    now: datetime | None = None,
) -> None:
    """The channel accepted the message with idempotency key `key` (default: the alert id)."""
    if not alert_ids:
        return
    con.execute(
        """
        UPDATE deliveries SET status = 'delivered', delivered_at = $3, response = $4, last_error = NULL,
                              next_attempt_at = NULL, idempotency_key = coalesce($5, alert_id)
        WHERE channel = $1 AND alert_id IN (SELECT unnest($2::VARCHAR[])) AND status <> 'delivered'
        """,
        [channel, list(alert_ids), now or utcnow(), response[:500], key],
    )


def backoff(attempts: int, base_s: float, max_s: float) -> timedelta:
    """Delay before the next attempt after `attempts` failed ones: base, 2*base, 4*base, ... capped."""
    if base_s <= 0:
        return timedelta(0)
    return timedelta(seconds=min(max_s, base_s * 2 ** max(0, attempts - 1)))


def mark_failed(
    con: duckdb.DuckDBPyConnection,
    channel: str,
    alert_ids: Sequence[str],
    error: str,
    backoff_base_s: float = 60.0,
    backoff_max_s: float = 6 * 3600.0,
    max_attempts: int = 20,
    key: str | None = None,
    now: datetime | None = None,
) -> None:
    """Record a refused or failed attempt: retry later with exponential backoff, or give up after max_attempts."""
    if not alert_ids:
        return
    now = now or utcnow()
    rows = con.execute(
        "SELECT alert_id, attempts FROM deliveries WHERE channel = $1 AND alert_id IN (SELECT unnest($2::VARCHAR[])) "
        "AND status <> 'delivered'",
        [channel, list(alert_ids)],
    ).fetchall()
    for aid, attempts in rows:
        gave_up = attempts >= max_attempts
        con.execute(
            "UPDATE deliveries SET status = $3, last_error = $4, next_attempt_at = $5, "
            "idempotency_key = coalesce($6, alert_id) WHERE channel = $1 AND alert_id = $2",
            [
                channel, aid, "failed" if gave_up else "pending", error[:500],
                None if gave_up else now + backoff(int(attempts), backoff_base_s, backoff_max_s), key,
            ],
        )


@dataclass(frozen=True, slots=True)
class DeliveryState:
    channel: str
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    response: str | None


def list_alerts(
    con: duckdb.DuckDBPyConnection, limit: int = 50, only_open: bool = False
) -> list[tuple[Alert, list[DeliveryState]]]:
    """Newest alerts first, each with its delivery state per channel."""
    where = (
        "WHERE EXISTS (SELECT 1 FROM deliveries d WHERE d.alert_id = a.id AND d.status IN ('pending', 'sending')) "
        "OR NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.alert_id = a.id)"
        if only_open
        else ""
    )
    rows = con.execute(
        f"SELECT {_SELECT_ALERT} FROM alerts a {where} ORDER BY a.created_at DESC, a.id LIMIT $1", [limit]
    ).fetchall()
    alerts = [Alert(*r) for r in rows]
    if not alerts:
        return []
    drows = con.execute(
        """
        SELECT alert_id, channel, status, attempts, last_error, next_attempt_at, delivered_at, response
        FROM deliveries WHERE alert_id IN (SELECT unnest($1::VARCHAR[])) ORDER BY channel
        """,
        [[a.id for a in alerts]],
    ).fetchall()
    by_alert: dict[str, list[DeliveryState]] = {}
    for r in drows:
        by_alert.setdefault(r[0], []).append(DeliveryState(*r[1:]))
    return [(a, by_alert.get(a.id, [])) for a in alerts]


@contextlib.contextmanager
def send_lock(db: str | os.PathLike[str] | None = None, wait_s: float = 0.0) -> Iterator[bool]:
    """Hold `<db>.alertlock` while sending, so two senders never take the same delivery.

    Yields False (and holds nothing) when another sender keeps it for longer
    than `wait_s`: that sender will deliver. The OS drops the lock of a killed
    process, which is what lets the next sender treat `sending` rows as in doubt.
    """
    from storage.db import db_path, exclusive_lock

    p = db_path(db)
    fh = exclusive_lock(Path(p).with_name(Path(p).name + ".alertlock"), wait_s)
    if fh is None:
        yield False
        return
    try:
        yield True
    finally:
        fh.close()
