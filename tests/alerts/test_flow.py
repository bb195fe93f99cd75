"""The `send_alerts` Prefect flow against real local servers, after each ingestion run."""

from __future__ import annotations

import json
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

from storage.db import reader

pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_sequence_alerts_on_10000_and_12000_each_delivered_once_per_channel(
    db_file: str, alerts_config: str, smtp_server: SmtpServer, webhook: Webhook
) -> None:
    from flows.alerts import send_alerts

    sequence = [
        ("a", "2024-10-01", 3000, "NIS", "South Korea's NIS says about 3,000 North Korean troops are in Russia."),
        ("b", "2024-10-28", 10000, "Pentagon", "The Pentagon now estimates 10,000 North Korean soldiers in Russia."),
        ("c", "2024-11-05", 7000, "Kremlin source", "Only 7,000 North Korean troops are in Russia, a source said."),
        ("d", "2024-11-18", 12000, "Pentagon", "Some 12,000 North Korean troops are in Russia, the Pentagon says."),
        ("e", "2024-11-20", 12000, "GUR", "Ukraine's GUR also counts 12,000 North Korean soldiers in Russia."),
    ]
    for name, published, value, who, sentence in sequence:
        ingest_run(db_file, article(name, published, [troops(value, attribution=who, sentence=sentence)],
                                    title=f"Report {name.upper()}"))
        result = send_alerts(db_file, alerts_config)
        assert set(result) == {"prepared", "console", "slack", "email"}

    assert [m["Subject"] for m in smtp_server.messages] == [
        "North Korean troops in Russia: new high 10,000 (previous 3,000, NIS, 2024-10-01)",
        "North Korean troops in Russia: new high 12,000 (previous 10,000, Pentagon, 2024-10-28)",
    ]
    assert len(webhook.posts) == 2
    for (name, prev_name, sentence), mail, post in zip(
        [("b", "a", sequence[1][4]), ("d", "b", sequence[3][4])], smtp_server.messages, webhook.posts, strict=True
    ):
        text, html = bodies(mail)
        for part in (text, html, slack_text(post)):
            assert f"https://news.example.org/{name}" in part and f"https://news.example.org/{prev_name}" in part
            assert sentence in part and f"Report {name.upper()}" in part
    assert "new high 12,000" in webhook.posts[1].body["blocks"][0]["text"]["text"]
    with reader(db_file) as con:
        rows = con.execute(
            "SELECT a.value, a.previous_high, d.channel, d.status, d.attempts FROM alerts a "
            "JOIN deliveries d ON d.alert_id = a.id ORDER BY a.value, d.channel"
        ).fetchall()
    assert rows == [
        (v, p, ch, "delivered", 1) for v, p in ((10000.0, 3000.0), (12000.0, 10000.0)) for ch in ("console", "email", "slack")
    ]


def test_secrets_from_prefect_blocks(
    db_file: str, tmp_path: Path, smtp_server: SmtpServer, webhook: Webhook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """prefect-slack's SlackWebhook and prefect-email's EmailServerCredentials, both pointed at loopback."""
    from prefect_email import EmailServerCredentials
    from prefect_slack import SlackWebhook

    from flows.alerts import send_alerts

    monkeypatch.delenv("CLAIMWATCH_SLACK_WEBHOOK", raising=False)
    monkeypatch.delenv("CLAIMWATCH_CONFIG", raising=False)
    SlackWebhook(url=webhook.url).save("cw-test-slack", overwrite=True)
    EmailServerCredentials(smtp_server="127.0.0.1", smtp_type="INSECURE", smtp_port=smtp_server.port).save(
        "cw-test-smtp", overwrite=True
    )
    config = tmp_path / "claimwatch.toml"
    config.write_text(
        '[alerts.slack]\nblock = "cw-test-slack"\n'
        '[alerts.email]\nblock = "cw-test-smtp"\nfrom = "cw@example.org"\nto = ["desk@example.org"]\n',
        encoding="utf-8",
    )
    ingest_run(db_file, article("a", "2024-10-01", [troops(3000)]))
    ingest_run(db_file, article("b", "2024-10-02", [troops(4000)]))
    result = send_alerts(db_file, str(config))
    assert result["slack"]["delivered"] == 1 and result["email"]["delivered"] == 1
    assert json.loads(json.dumps(webhook.posts[0].body))["text"].startswith("North Korean troops in Russia: new high 4,000")
    assert smtp_server.messages[0]["To"] == "desk@example.org"
