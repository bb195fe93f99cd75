"""Alert policy and channels: the `[alerts]` section of claimwatch.toml, plus environment overrides.

The file is `--config PATH`, else `$CLAIMWATCH_CONFIG`, else `./claimwatch.toml`
(missing: defaults, console only). Secrets never live in the file: they come
from environment variables (named in the file) or from Prefect blocks
(prefect-slack `SlackWebhook`, prefect-email `EmailServerCredentials`), which
are loaded only when a message is sent. Secret fields are left out of every
repr, so a config never prints them.

    [alerts]
    digest = false                  # true: one message per channel and run, listing every new high
    max_age_days = 7                # an alert older than this when a channel first sees it is not sent there
    retry_backoff_seconds = 60      # failed sends retry on later runs after 60 s, 120 s, 240 s ... capped
    retry_backoff_max_seconds = 21600
    max_attempts = 20

    [alerts.min_increase]           # per category, absolute or "N%" of the previous high; "default" for the rest
    troops = 500
    artillery_shells = "10%"

    [alerts.slack]
    webhook_url_env = "CLAIMWATCH_SLACK_WEBHOOK"   # or: block = "claimwatch-slack"

    [alerts.email]
    host = "smtp.example.org"
    port = 587
    security = "starttls"           # starttls | ssl | none
    username_env = "CLAIMWATCH_SMTP_USER"
    password_env = "CLAIMWATCH_SMTP_PASSWORD"
    from = "claimwatch@example.org"
    to = ["analyst@example.org"]
    # or: block = "claimwatch-smtp" (host, port, security, user and password from the block)
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from storage.alerts import MinIncrease

DEFAULT_CONFIG = "claimwatch.toml"
SECURITY_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


class AlertsConfigError(ValueError):
    """The [alerts] section is wrong; the message says where."""


@dataclass(frozen=True)
class SlackSettings:
    webhook_url: str | None = field(default=None, repr=False)  # secret
    block: str | None = None
    source: str = ""  # where the URL comes from, for messages ("$CLAIMWATCH_SLACK_WEBHOOK", "block x")
    timeout_s: float = 15.0


@dataclass(frozen=True)
class EmailSettings:
    host: str | None = None
    port: int = 587
    security: str = "starttls"
    username: str | None = None
    password: str | None = field(default=None, repr=False)  # secret
    sender: str = "claimwatch@localhost"
    recipients: tuple[str, ...] = ()
    block: str | None = None
    verify_tls: bool = True
    timeout_s: float = 30.0


@dataclass(frozen=True)
class AlertsConfig:
    digest: bool = False
    min_increase: Mapping[str, MinIncrease] = field(default_factory=dict)
    max_age: timedelta | None = timedelta(days=7)
    retry_backoff_s: float = 60.0
    retry_backoff_max_s: float = 6 * 3600.0
    max_attempts: int = 20
    slack: SlackSettings | None = None
    email: EmailSettings | None = None
    path: str | None = None

    @property
    def channels(self) -> tuple[str, ...]:
        """Configured channels; the console is always one."""
        return ("console",) + (("slack",) if self.slack else ()) + (("email",) if self.email else ())

    def secrets(self) -> list[str]:
        """Known secret values, to scrub from anything written to logs or the database."""
        out = []
        if self.slack and self.slack.webhook_url:
            out.append(self.slack.webhook_url)
        if self.email and self.email.password:
            out.append(self.email.password)
        return out


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    if explicit:
        p = Path(explicit)
        if not p.is_file():
            raise AlertsConfigError(f"config file not found: {p}")
        return p
    env = os.environ.get("CLAIMWATCH_CONFIG")
    if env:
        p = Path(env)
        if not p.is_file():
            raise AlertsConfigError(f"config file not found: {p} (from $CLAIMWATCH_CONFIG)")
        return p
    local = Path(DEFAULT_CONFIG)
    return local if local.is_file() else None


def parse_min_increase(name: str, raw: Any) -> MinIncrease:
    where = f"[alerts.min_increase] {name}"
    if isinstance(raw, bool):
        raise AlertsConfigError(f"{where}: expected a number or \"N%\", got {raw!r}")
    if isinstance(raw, int | float):
        if raw < 0:
            raise AlertsConfigError(f"{where}: must not be negative")
        return MinIncrease(absolute=float(raw))
    if isinstance(raw, str) and raw.strip().endswith("%"):
        try:
            pct = float(raw.strip()[:-1])
        except ValueError:
            raise AlertsConfigError(f"{where}: {raw!r} is not a percentage") from None
        if pct < 0:
            raise AlertsConfigError(f"{where}: must not be negative")
        return MinIncrease(ratio=pct / 100)
    raise AlertsConfigError(f"{where}: expected a number or \"N%\", got {raw!r}")


def _env(env: Mapping[str, str], name: str | None) -> str | None:
    if not name:
        return None
    v = env.get(name)
    return v if v else None


def _slack(section: Mapping[str, Any] | None, env: Mapping[str, str]) -> SlackSettings | None:
    section = dict(section or {})
    if "webhook_url" in section:
        raise AlertsConfigError(
            "[alerts.slack] webhook_url: keep the secret out of the file; use webhook_url_env or block"
        )
    var = section.get("webhook_url_env", "CLAIMWATCH_SLACK_WEBHOOK")
    timeout = float(section.get("timeout", 15))
    for name in ("CLAIMWATCH_SLACK_WEBHOOK", var):
        url = _env(env, name)
        if url:
            return SlackSettings(webhook_url=url, source=f"${name}", timeout_s=timeout)
    block = section.get("block")
    if block:
        return SlackSettings(block=str(block), source=f"Prefect block {block!r}", timeout_s=timeout)
    return None


def _email(section: Mapping[str, Any] | None, env: Mapping[str, str]) -> EmailSettings | None:
    s = dict(section or {})
    if "password" in s:
        raise AlertsConfigError("[alerts.email] password: keep the secret out of the file; use password_env or block")
    host = env.get("CLAIMWATCH_SMTP_HOST") or s.get("host")
    block = s.get("block")
    security = (env.get("CLAIMWATCH_SMTP_SECURITY") or s.get("security") or "starttls").lower()
    if security not in SECURITY_MODES:
        raise AlertsConfigError(f"[alerts.email] security: {security!r} is not one of {', '.join(SECURITY_MODES)}")
    port_raw = env.get("CLAIMWATCH_SMTP_PORT") or s.get("port") or DEFAULT_PORTS[security]
    try:
        port = int(port_raw)
    except (TypeError, ValueError):
        raise AlertsConfigError(f"[alerts.email] port: {port_raw!r} is not a number") from None
    to_raw = env.get("CLAIMWATCH_SMTP_TO") or s.get("to") or ()
    recipients = tuple(x.strip() for x in (to_raw.split(",") if isinstance(to_raw, str) else to_raw) if x.strip())
    if not (host or block):
        if s or recipients:  # an [alerts.email] section without a server is a mistake, not "off"
            raise AlertsConfigError("[alerts.email]: set host (or $CLAIMWATCH_SMTP_HOST) or block")
        return None
    if not recipients:
        raise AlertsConfigError("[alerts.email] to: at least one recipient (or $CLAIMWATCH_SMTP_TO)")
    username = env.get("CLAIMWATCH_SMTP_USER") or _env(env, s.get("username_env", "CLAIMWATCH_SMTP_USER")) or s.get(
        "username"
    )
    password = env.get("CLAIMWATCH_SMTP_PASSWORD") or _env(env, s.get("password_env", "CLAIMWATCH_SMTP_PASSWORD"))
    return EmailSettings(
        host=host, port=port, security=security, username=username, password=password,
        sender=env.get("CLAIMWATCH_SMTP_FROM") or s.get("from") or "claimwatch@localhost",
        recipients=recipients, block=None if host else str(block),
        verify_tls=bool(s.get("verify_tls", True)), timeout_s=float(s.get("timeout", 30)),
    )


def load(path: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None) -> AlertsConfig:
    """Read the policy and channels; `env` defaults to os.environ."""
    env = os.environ if env is None else env
    p = config_path(path)
    data: dict[str, Any] = {}
    if p is not None:
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise AlertsConfigError(f"{p}: {exc}") from None
    a = data.get("alerts", {}) or {}
    if not isinstance(a, dict):
        raise AlertsConfigError("[alerts] must be a table")
    rules = {str(k): parse_min_increase(str(k), v) for k, v in (a.get("min_increase") or {}).items()}
    digest_env = env.get("CLAIMWATCH_ALERTS_DIGEST")
    digest = digest_env.lower() in ("1", "true", "yes") if digest_env else bool(a.get("digest", False))
    max_age_days = a.get("max_age_days", 7)
    return AlertsConfig(
        digest=digest,
        min_increase=rules,
        max_age=None if not max_age_days else timedelta(days=float(max_age_days)),
        retry_backoff_s=float(a.get("retry_backoff_seconds", 60)),
        retry_backoff_max_s=float(a.get("retry_backoff_max_seconds", 6 * 3600)),
        max_attempts=int(a.get("max_attempts", 20)),
        slack=_slack(a.get("slack"), env),
        email=_email(a.get("email"), env),
        path=str(p) if p else None,
    )
