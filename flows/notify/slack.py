"""The Slack channel: an incoming webhook through slack_sdk's WebhookClient.

The webhook URL is a secret: from an environment variable, or from a
prefect-slack `SlackWebhook` block (which, unlike Prefect's core Slack block,
accepts any URL, so tests point it at a local receiver). It is never logged:
slack_sdk logs the URL at DEBUG, so its client gets a logger that drops DEBUG.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator

from flows.alerts_config import SlackSettings
from flows.notify import DeliveryError, scrub
from flows.notify.render import Message

IDEMPOTENCY_HEADER = "X-Claimwatch-Idempotency-Key"
_quiet = logging.getLogger("claimwatch.slack_sdk")
_quiet.setLevel(logging.INFO)  # never DEBUG: slack_sdk's debug lines carry the webhook URL


def webhook_url(settings: SlackSettings) -> str:
    if settings.webhook_url:
        return settings.webhook_url
    if not settings.block:
        raise DeliveryError("Slack is not configured (no webhook URL and no block)")
    try:
        from prefect_slack import SlackWebhook

        return SlackWebhook.load(settings.block).url.get_secret_value()
    except Exception as exc:
        raise DeliveryError(f"cannot load SlackWebhook block {settings.block!r}: {type(exc).__name__}") from None


@contextlib.contextmanager
def open_channel(settings: SlackSettings) -> Iterator[Callable[[Message], str]]:
    from slack_sdk.webhook import WebhookClient

    url = webhook_url(settings)
    client = WebhookClient(url, timeout=max(1, int(settings.timeout_s)), logger=_quiet)

    def send(message: Message) -> str:
        try:
            resp = client.send(
                text=message.slack_text, blocks=message.blocks, headers={IDEMPOTENCY_HEADER: message.key}
            )
        except Exception as exc:
            raise DeliveryError(scrub(f"{type(exc).__name__}: {exc}", [url])) from None
        body = scrub(str(resp.body or "")[:200], [url])
        if resp.status_code != 200:
            raise DeliveryError(f"HTTP {resp.status_code}: {body}")
        return f"HTTP {resp.status_code} {body}".strip()

    yield send
