"""The [alerts] section and its environment overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.alerts_config import AlertsConfigError, load
from storage.alerts import MinIncrease


def _write(tmp_path: Path, text: str) -> str:
    p = tmp_path / "claimwatch.toml"
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_defaults_are_console_only_per_alert(tmp_path: Path) -> None:
    cfg = load(_write(tmp_path, ""), env={})
    assert cfg.channels == ("console",) and cfg.digest is False and dict(cfg.min_increase) == {}


def test_full_section(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
[alerts]
digest = true
[alerts.min_increase]
troops = 500
artillery_shells = "10%"
[alerts.slack]
webhook_url_env = "MY_HOOK"
[alerts.email]
host = "smtp.example.org"
security = "ssl"
username_env = "MY_USER"
password_env = "MY_PASS"
from = "cw@example.org"
to = ["a@example.org", "b@example.org"]
""",
    )
    cfg = load(path, env={"MY_HOOK": "https://hooks.slack.com/services/T/B/secret", "MY_USER": "u", "MY_PASS": "pw"})
    assert cfg.digest and cfg.channels == ("console", "slack", "email")
    assert cfg.min_increase == {"troops": MinIncrease(absolute=500), "artillery_shells": MinIncrease(ratio=0.1)}
    assert cfg.email is not None and cfg.email.port == 465 and cfg.email.username == "u"
    assert cfg.email.recipients == ("a@example.org", "b@example.org")
    # secrets are never part of a printed config
    assert "secret" not in repr(cfg) and "pw" not in repr(cfg).replace("password_env", "")
    assert sorted(cfg.secrets()) == ["https://hooks.slack.com/services/T/B/secret", "pw"]


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, '[alerts.email]\nhost = "a"\nto = ["x@example.org"]\n')
    cfg = load(path, env={
        "CLAIMWATCH_SMTP_HOST": "b", "CLAIMWATCH_SMTP_PORT": "2525", "CLAIMWATCH_SMTP_SECURITY": "none",
        "CLAIMWATCH_SMTP_TO": "y@example.org, z@example.org", "CLAIMWATCH_SLACK_WEBHOOK": "http://127.0.0.1:1/h",
        "CLAIMWATCH_ALERTS_DIGEST": "true",
    })
    assert cfg.email is not None
    assert (cfg.email.host, cfg.email.port, cfg.email.security) == ("b", 2525, "none")
    assert cfg.email.recipients == ("y@example.org", "z@example.org")
    assert cfg.slack is not None and cfg.slack.source == "$CLAIMWATCH_SLACK_WEBHOOK" and cfg.digest


def test_blocks_name_the_secret_store(tmp_path: Path) -> None:
    cfg = load(_write(tmp_path, '[alerts.slack]\nblock = "cw-slack"\n[alerts.email]\nblock = "cw-smtp"\nto = ["a@b.c"]\n'), env={})
    assert cfg.slack is not None and cfg.slack.block == "cw-slack" and cfg.slack.webhook_url is None
    assert cfg.email is not None and cfg.email.block == "cw-smtp" and cfg.email.host is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[alerts.min_increase]\ntroops = "lots"\n', "troops"),
        ("[alerts.min_increase]\ntroops = -1\n", "negative"),
        ('[alerts.email]\nhost = "h"\nto = ["a@b.c"]\nsecurity = "tls"\n', "security"),
        ('[alerts.email]\nhost = "h"\n', "recipient"),
        ('[alerts.email]\nto = ["a@b.c"]\n', "host"),
        ('[alerts.slack]\nwebhook_url = "https://hooks.slack.com/x"\n', "secret"),
        ('[alerts.email]\nhost = "h"\nto = ["a@b.c"]\npassword = "p"\n', "secret"),
        ("[alerts\n", "claimwatch.toml"),
    ],
)
def test_mistakes_are_reported_with_their_place(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(AlertsConfigError, match=message):
        load(_write(tmp_path, text), env={})


def test_config_file_lookup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CLAIMWATCH_CONFIG", raising=False)
    assert load(env={}).path is None  # no file: defaults
    _write(tmp_path, "[alerts]\ndigest = true\n")
    assert load(env={}).digest is True  # ./claimwatch.toml
    other = tmp_path / "other.toml"
    other.write_text("[alerts]\ndigest = false\n", encoding="utf-8")
    monkeypatch.setenv("CLAIMWATCH_CONFIG", str(other))
    assert load(env={}).digest is False
    with pytest.raises(AlertsConfigError, match="not found"):
        load(str(tmp_path / "missing.toml"), env={})
