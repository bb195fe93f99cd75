"""Delivery against real servers on loopback: SMTP (aiosmtpd) and an HTTP webhook receiver.

These use `send_all`, the same steps as the `send_alerts` flow without Prefect
(test_flow.py runs the flow itself).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from alerts_kit import (  # noqa: F401 - fixtures
    SmtpServer,
    Webhook,
    article,
    bodies,
    fixture_alerts_config,
    fixture_smtp_server,
    fixture_webhook,
    ingest_run,
    slack_text,
    troops,
)

from flows.alerts import send_all
from storage.alerts import send_lock
from storage.db import reader

ROOT = Path(__file__).resolve().parents[2]


def _deliveries(db: str) -> dict[tuple[float, str], tuple]:
    with reader(db) as con:
        rows = con.execute(
            "SELECT a.value, d.channel, d.status, d.attempts, d.last_error FROM deliveries d "
            "JOIN alerts a ON a.id = d.alert_id"
        ).fetchall()
    return {(r[0], r[1]): r[2:] for r in rows}


def _two_alerts(db: str) -> None:
    ingest_run(db, article("a", "2024-10-01", [troops(3000)]))
    ingest_run(db, article("b", "2024-10-20", [troops(10000, attribution="Pentagon")]))
    ingest_run(db, article("c", "2024-11-18", [troops(12000, attribution="Pentagon")]))


def test_smtp_down_keeps_the_email_pending_and_slack_still_gets_it(
    db_file: str, alerts_config: str, smtp_server: SmtpServer, webhook: Webhook
) -> None:
    _two_alerts(db_file)
    smtp_server.stop()
    first = send_all(db_file, alerts_config)
    assert first["slack"]["delivered"] == 2 and first["email"]["failed"] == 2
    state = _deliveries(db_file)
    assert state[(10000.0, "slack")] == ("delivered", 1, None)
    status, attempts, error = state[(10000.0, "email")]
    assert (status, attempts) == ("pending", 1) and "cannot connect to SMTP 127.0.0.1" in error
    assert len(webhook.posts) == 2 and smtp_server.messages == []

    smtp_server.start()
    second = send_all(db_file, alerts_config)
    assert second["email"]["delivered"] == 2 and second["slack"]["due"] == 0
    assert len(smtp_server.messages) == 2 and len(webhook.posts) == 2
    assert _deliveries(db_file)[(12000.0, "email")] == ("delivered", 2, None)

    third = send_all(db_file, alerts_config)  # nothing is ever sent twice
    assert third["email"]["due"] == third["slack"]["due"] == third["console"]["due"] == 0
    assert len(smtp_server.messages) == 2 and len(webhook.posts) == 2


def test_webhook_500_then_200_is_retried_and_delivered_once(
    db_file: str, alerts_config: str, webhook: Webhook, smtp_server: SmtpServer
) -> None:
    ingest_run(db_file, article("a", "2024-10-01", [troops(3000)]))
    ingest_run(db_file, article("b", "2024-10-20", [troops(10000)]))
    webhook.script = [500]
    send_all(db_file, alerts_config)
    assert _deliveries(db_file)[(10000.0, "slack")] == ("pending", 1, "HTTP 500: internal_error")
    send_all(db_file, alerts_config)
    send_all(db_file, alerts_config)
    assert _deliveries(db_file)[(10000.0, "slack")] == ("delivered", 2, None)
    assert len(webhook.posts) == 2  # the refused one and the accepted one
    assert webhook.posts[0].body == webhook.posts[1].body
    assert len(smtp_server.messages) == 1


def test_failed_deliveries_wait_for_their_backoff(
    db_file: str, alerts_config: str, webhook: Webhook, tmp_path: Path
) -> None:
    config = Path(alerts_config)
    config.write_text(config.read_text().replace("retry_backoff_seconds = 0", "retry_backoff_seconds = 3600"))
    ingest_run(db_file, article("a", "2024-10-01", [troops(3000)]))
    ingest_run(db_file, article("b", "2024-10-20", [troops(10000)]))
    webhook.script = [503]
    send_all(db_file, str(config))
    assert send_all(db_file, str(config))["slack"]["due"] == 0  # not yet: next attempt in an hour
    assert len(webhook.posts) == 1
    with reader(db_file) as con:
        last, nxt = con.execute(
            "SELECT last_attempt_at, next_attempt_at FROM deliveries WHERE channel = 'slack'"
        ).fetchone()
    assert (nxt - last).total_seconds() == pytest.approx(3600, abs=5)


def test_messages_carry_value_previous_high_source_and_sentence(
    db_file: str, alerts_config: str, smtp_server: SmtpServer, webhook: Webhook
) -> None:
    ingest_run(db_file, article("a", "2024-10-01", [troops(3000, attribution="NIS")], title="NIS briefing"))
    sentence = "Selon le GUR, environ 11 000 soldats nord-coréens sont arrivés dans la région de Koursk."
    ingest_run(db_file, article("b", "2024-11-04", [troops(11000, qualifier="approx", attribution="GUR",
                                                           sentence=sentence, lang="fr")], title="Koursk: l'armée", lang="fr"))
    send_all(db_file, alerts_config)
    (mail,) = smtp_server.messages
    assert mail["Subject"] == "North Korean troops in Russia: new high about 11,000 (previous 3,000, NIS, 2024-10-01)"
    assert mail["To"] == "analyst@example.org" and mail["Message-ID"].endswith("@claimwatch>")
    text, html = bodies(mail)
    for part in (text, html, slack_text(webhook.posts[0])):
        assert "about 11,000" in part and "3,000" in part and "NIS" in part
        assert "https://news.example.org/b" in part and "https://news.example.org/a" in part
        assert sentence in part and "French (fr)" in part
    assert "l&#x27;armée" in html or "l'armée" in html
    assert webhook.posts[0].body["blocks"][0]["type"] == "header"


def test_min_increase_suppresses_small_rises_for_good(
    db_file: str, alerts_config: str, smtp_server: SmtpServer, webhook: Webhook
) -> None:
    config = Path(alerts_config)
    config.write_text(config.read_text() + '\n[alerts.min_increase]\ntroops = 1000\nmissiles = "50%"\n')
    ingest_run(db_file, article("a", "2024-10-01", [troops(3000), troops(100, start=40, category="missiles")]))
    ingest_run(db_file, article("b", "2024-10-02", [troops(3500), troops(140, start=40, category="missiles")]))
    ingest_run(db_file, article("c", "2024-10-03", [troops(5000), troops(300, start=40, category="missiles")]))
    send_all(db_file, str(config))
    state = _deliveries(db_file)
    assert state[(3500.0, "email")][0] == "suppressed" and state[(140.0, "slack")][0] == "suppressed"
    assert state[(5000.0, "email")][0] == "delivered" and state[(300.0, "slack")][0] == "delivered"
    assert sorted(m["Subject"].split(":")[0] for m in smtp_server.messages) == [
        "North Korean missiles sent to Russia", "North Korean troops in Russia",
    ]


def test_digest_mode_sends_one_message_per_channel(
    db_file: str, alerts_config: str, smtp_server: SmtpServer, webhook: Webhook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMWATCH_ALERTS_DIGEST", "true")
    ingest_run(db_file, article("a", "2024-10-01", [troops(3000), troops(100, start=40, category="missiles")]))
    ingest_run(db_file, article("b", "2024-10-02", [troops(5000), troops(300, start=40, category="missiles")]))
    result = send_all(db_file, alerts_config)
    assert result["email"]["delivered"] == 2 and len(smtp_server.messages) == 1 and len(webhook.posts) == 1
    text, _ = bodies(smtp_server.messages[0])
    assert "5,000" in text and "300" in text and smtp_server.messages[0]["Subject"].startswith("claimwatch: 2 new highs")


def test_secrets_stay_out_of_the_database_and_logs(
    db_file: str, alerts_config: str, webhook: Webhook, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ingest_run(db_file, article("a", "2024-10-01", [troops(3000)]))
    ingest_run(db_file, article("b", "2024-10-02", [troops(10000)]))
    webhook.script = [500]
    dumps = []
    for _ in range(2):  # refused, then accepted
        send_all(db_file, alerts_config)
        with reader(db_file) as con:
            dumps.append(str(con.execute("SELECT * FROM deliveries").fetchall()))
    assert "HTTP 500" in dumps[0] and "HTTP 200 ok" in dumps[1] and "ALERT North Korean troops" in caplog.text
    assert "s3cr3t-token" not in dumps[0] + dumps[1] and "s3cr3t-token" not in caplog.text


def test_a_second_sender_stands_aside(db_file: str, alerts_config: str, webhook: Webhook) -> None:
    ingest_run(db_file, article("a", "2024-10-01", [troops(3000)]))
    ingest_run(db_file, article("b", "2024-10-02", [troops(10000)]))
    with send_lock(db_file) as held:
        assert held
        assert send_all(db_file, alerts_config) == {"skipped": "another sender is running"}
    assert webhook.posts == []
    assert send_all(db_file, alerts_config)["slack"]["delivered"] == 1


def test_killed_between_send_and_mark_resends_once_with_the_same_key(
    db_file: str, alerts_config: str, webhook: Webhook, smtp_server: SmtpServer
) -> None:
    """Documented semantics: at-least-once in that window, with an idempotency key; never after 'delivered'."""
    ingest_run(db_file, article("a", "2024-10-01", [troops(3000)]))
    ingest_run(db_file, article("b", "2024-10-02", [troops(10000)]))
    sender = subprocess.Popen(
        [sys.executable, "-c", f"from flows.alerts import send_all; send_all({db_file!r}, {alerts_config!r})"],
        cwd=ROOT, env={**os.environ}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    # The receiver accepts the message, then the sender dies before it can record that.
    webhook.on_post = lambda post: os.kill(sender.pid, signal.SIGKILL)
    assert sender.wait(timeout=120) == -signal.SIGKILL
    webhook.on_post = None
    assert len(webhook.posts) == 1
    status, attempts, _ = _deliveries(db_file)[(10000.0, "slack")]
    assert (status, attempts) == ("sending", 1)  # in doubt, and visible as such

    result = send_all(db_file, alerts_config)
    assert result["slack"] == {"due": 1, "delivered": 1, "failed": 0, "in_doubt": 1}
    assert len(webhook.posts) == 2
    keys = {p.headers["x-claimwatch-idempotency-key"] for p in webhook.posts}
    assert len(keys) == 1 and keys == {_only_alert_id(db_file)}
    assert _deliveries(db_file)[(10000.0, "slack")] == ("delivered", 2, None)
    send_all(db_file, alerts_config)
    assert len(webhook.posts) == 2  # delivered: never again


def _only_alert_id(db: str) -> str:
    with reader(db) as con:
        return con.execute("SELECT id FROM alerts").fetchone()[0]


def test_an_alert_too_old_for_a_new_channel_expires_instead_of_being_sent(
    db_file: str, alerts_config: str, webhook: Webhook, smtp_server: SmtpServer
) -> None:
    ingest_run(db_file, article("a", "2024-10-01", [troops(3000)]))
    ingest_run(db_file, article("b", "2024-10-02", [troops(10000)]))
    from storage.db import writer

    with writer(db_file) as con:
        con.execute("UPDATE alerts SET created_at = created_at - INTERVAL 8 DAY")
    send_all(db_file, alerts_config)
    assert {ch: s[0] for (_, ch), s in _deliveries(db_file).items()} == {
        "console": "expired", "slack": "expired", "email": "expired",
    }
    assert webhook.posts == [] and smtp_server.messages == []


def test_a_channel_that_keeps_refusing_is_given_up_after_max_attempts(
    db_file: str, alerts_config: str, webhook: Webhook
) -> None:
    config = Path(alerts_config)
    config.write_text(config.read_text().replace("retry_backoff_seconds = 0", "retry_backoff_seconds = 0\nmax_attempts = 2"))
    ingest_run(db_file, article("a", "2024-10-01", [troops(3000)]))
    ingest_run(db_file, article("b", "2024-10-02", [troops(10000)]))
    webhook.script = [500, 500, 500]
    for _ in range(3):
        send_all(db_file, str(config))
    assert len(webhook.posts) == 2
    assert _deliveries(db_file)[(10000.0, "slack")] == ("failed", 2, "HTTP 500: internal_error")
