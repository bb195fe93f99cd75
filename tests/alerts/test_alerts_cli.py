"""`claimwatch alerts`, `alerts test` and `alerts send`, run as a user would."""

from __future__ import annotations

import json

from alerts_kit import (  # noqa: F401 - fixtures
    SmtpServer,
    Webhook,
    article,
    claimwatch,
    fixture_alerts_config,
    fixture_smtp_server,
    fixture_webhook,
    ingest_run,
    troops,
)

from flows.alerts import send_all


def test_alerts_lists_each_alert_with_its_delivery_state_per_channel(
    db_file: str, alerts_config: str, smtp_server: SmtpServer, webhook: Webhook
) -> None:
    ingest_run(db_file, article("a", "2024-10-01", [troops(3000)]))
    ingest_run(db_file, article("b", "2024-10-02", [troops(10000)]))
    smtp_server.stop()
    send_all(db_file, alerts_config)

    r = claimwatch("alerts", "--db", db_file, "--format", "json")
    assert r.returncode == 0, r.stderr
    (row,) = [json.loads(line) for line in r.stdout.splitlines()]
    assert row["headline"] == "North Korean troops in Russia: new high 10,000 (previous 3,000, Article a, 2024-10-01)"
    d = row["deliveries"]
    assert d["slack"]["status"] == "delivered" and d["slack"]["response"] == "HTTP 200 ok"
    assert d["console"]["status"] == "delivered"
    assert d["email"]["status"] == "pending" and d["email"]["attempts"] == 1
    assert "cannot connect to SMTP" in d["email"]["last_error"]

    table = claimwatch("alerts", "--db", db_file)
    assert table.returncode == 0, table.stderr
    assert "North Korean troops in Russia" in table.stdout and "10,000" in table.stdout
    assert "delivered" in table.stdout and "pending x1" in table.stdout

    smtp_server.start()
    sent = claimwatch("alerts", "send", "--no-prefect", "--db", db_file, "--config", alerts_config)
    assert sent.returncode == 0, sent.stderr
    assert len(smtp_server.messages) == 1 and len(webhook.posts) == 1
    assert claimwatch("alerts", "--open", "--db", db_file).stdout.strip() == "no alerts yet"


def test_alerts_test_reports_what_each_channel_answered(
    alerts_config: str, smtp_server: SmtpServer, webhook: Webhook
) -> None:
    r = claimwatch("alerts", "test", "--config", alerts_config)
    assert r.returncode == 0, r.stderr
    assert "HTTP 200 ok" in r.stdout and "250 accepted for 1 recipient" in r.stdout and "logged" in r.stdout
    assert webhook.posts[0].body["text"] == "claimwatch test message (slack)"
    assert smtp_server.messages[0]["Subject"] == "claimwatch test message (email)"

    smtp_server.stop()
    webhook.script = [404]
    r = claimwatch("alerts", "test", "--config", alerts_config)
    assert r.returncode == 1
    assert "FAILED" in r.stdout and "HTTP 404" in r.stdout and "cannot connect to SMTP" in r.stdout
    assert "s3cr3t-token" not in r.stdout + r.stderr


def test_a_broken_config_is_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "claimwatch.toml"
    bad.write_text('[alerts.email]\nhost = "h"\n', encoding="utf-8")
    r = claimwatch("alerts", "test", "--config", str(bad))
    assert r.returncode == 1 and "recipient" in r.stderr and "Traceback" not in r.stderr
