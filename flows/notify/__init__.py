"""Notification channels: plain functions that hand a rendered message to the outside world.

Each channel module has `open_channel(settings)`, a context manager yielding
`send(message) -> answer`; `send` returns what the channel answered when it
accepted the message and raises `DeliveryError` (with secrets scrubbed) when
it did not.
"""

from __future__ import annotations

from collections.abc import Iterable


class DeliveryError(RuntimeError):
    """The channel did not accept the message. The text is safe to log and store."""


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """Replace every known secret in `text` with ***."""
    for s in secrets:
        if s and len(s) >= 4:
            text = text.replace(s, "***")
    return text
