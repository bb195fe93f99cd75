"""The email channel: SMTP through smtplib, messages built with the stdlib email package.

The connection comes from the config (host, port, security starttls|ssl|none,
user and password from environment variables) or from a prefect-email
`EmailServerCredentials` block (`get_server()`). One connection per batch.
Every message carries a stable Message-ID made of its idempotency key, so a
message sent again after a crash is recognisably the same message.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from email.utils import formatdate

from flows.alerts_config import EmailSettings
from flows.notify import DeliveryError, scrub
from flows.notify.render import Message

IDEMPOTENCY_HEADER = "X-Claimwatch-Idempotency-Key"


def build(message: Message, sender: str, recipients: tuple[str, ...]) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = message.subject
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = f"<{message.key}@claimwatch>"
    msg[IDEMPOTENCY_HEADER] = message.key
    msg.set_content(message.text)
    msg.add_alternative(message.html, subtype="html")
    return msg


def connect(settings: EmailSettings) -> smtplib.SMTP:
    """An SMTP connection, TLS and login done, from the block or from the settings."""
    if settings.block and not settings.host:
        from prefect_email import EmailServerCredentials

        return EmailServerCredentials.load(settings.block).get_server()
    ctx = ssl.create_default_context()
    if not settings.verify_tls:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    host = settings.host or "localhost"
    if settings.security == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(host, settings.port, timeout=settings.timeout_s, context=ctx)
    else:
        server = smtplib.SMTP(host, settings.port, timeout=settings.timeout_s)
        if settings.security == "starttls":
            server.starttls(context=ctx)
    if settings.username:
        server.login(settings.username, settings.password or "")
    return server


@contextlib.contextmanager
def open_channel(settings: EmailSettings) -> Iterator[Callable[[Message], str]]:
    secrets = [settings.password]
    try:
        server = connect(settings)
    except Exception as exc:
        where = f"{settings.host}:{settings.port}" if settings.host else f"block {settings.block!r}"
        raise DeliveryError(scrub(f"cannot connect to SMTP {where}: {type(exc).__name__}: {exc}", secrets)) from None

    def send(message: Message) -> str:
        try:
            refused = server.send_message(build(message, settings.sender, settings.recipients))
        except smtplib.SMTPException as exc:
            raise DeliveryError(scrub(f"{type(exc).__name__}: {exc}", secrets)) from None
        except OSError as exc:
            raise DeliveryError(scrub(f"SMTP connection lost: {type(exc).__name__}: {exc}", secrets)) from None
        accepted = len(settings.recipients) - len(refused)
        note = f"; refused {', '.join(refused)}" if refused else ""
        return f"250 accepted for {accepted} recipient(s){note}"

    try:
        yield send
    finally:
        with contextlib.suppress(Exception):
            server.quit()
