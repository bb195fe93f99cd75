"""Helpers and fixtures for the alerts tests: dated documents through the ledger, real SMTP and webhook servers.

Not a conftest.py: tests/cli imports `conftest` by name, and a second conftest module would shadow it.
Test modules import the fixtures they use from here.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from extractors.models import Claim
from storage import ids, ledger, runs
from storage.db import writer
from storage.records import DocumentRecord

ROOT = Path(__file__).resolve().parents[2]

# ---------------------------------------------------------------- ledger helpers


def troops(value: float, status: str = "reported", qualifier: str = "exact", attribution: str | None = None,
           sentence: str | None = None, start: int = 0, category: str = "troops", supplier: str = "KP",
           recipient: str = "RU", lang: str = "en") -> Claim:
    return Claim(
        category=category, value=value, qualifier=qualifier, supplier=supplier, recipient=recipient, status=status,
        attribution=attribution, sentence=sentence or f"About {int(value):,} North Korean soldiers are in Russia.",
        start=start, end=start + 6, lang=lang,
    )


def _unique_text(name: str, published: str, claims: list[Claim]) -> str:
    """Distinct articles must not look like near-duplicates of each other: give each its own words."""
    filler = " ".join(f"w{name}{i}" for i in range(40))
    return f"Dispatch {name} of {published}. {filler}. " + " ".join(c.sentence for c in claims)


def article(name: str, published: str, claims: list[Claim], title: str | None = None, lang: str = "en") -> DocumentRecord:
    uri = f"https://news.example.org/{name}"
    return DocumentRecord(
        id=ids.document_id(uri), uri=uri, source_id="test", fetched_at=datetime.now(UTC),
        raw_hash=f"raw-{name}-{len(claims)}", title=title or f"Article {name}",
        published_at=datetime.fromisoformat(published).replace(tzinfo=UTC), lang=lang, content_hash=f"hash-{name}",
        text=_unique_text(name, published, claims), extractor_version="test", claims=claims,
    )


def ingest_run(db: str, *docs: DocumentRecord, alert: bool = True, complete: bool = True) -> int:
    """One ingestion run: start, write the documents in one batch, finish. Returns alerts written."""
    with writer(db) as con:
        run_id = runs.start_run(con, "test")
        result = ledger.write_batch(con, list(docs), run_id=run_id, alert=alert)
        if complete:
            runs.finish_run(con, run_id, "completed", {}, [])
    return result.alerts


# ---------------------------------------------------------------- SMTP


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Collect:
    def __init__(self, sink: list[EmailMessage]) -> None:
        self.sink = sink

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's API
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        self.sink.append(msg)
        return "250 OK queued as test"


@dataclass
class SmtpServer:
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    controller: Controller | None = None

    def start(self) -> None:
        if self.controller is None:
            self.controller = Controller(_Collect(self.messages), hostname="127.0.0.1", port=self.port)
            self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@dataclass
class Post:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class Webhook:
    url: str
    posts: list[Post] = field(default_factory=list)
    script: list[int] = field(default_factory=list)  # status codes to answer next, then 200
    on_post: Callable[[Post], None] | None = None


def bodies(msg: EmailMessage) -> tuple[str, str]:
    """(text part, html part) of an alert email."""
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def slack_text(post: Post) -> str:
    """Everything a Slack user would read in a posted message."""
    return json.dumps(post.body, ensure_ascii=False)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(name="smtp_server")
def fixture_smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on loopback; `stop()` takes it down, `start()` brings it back on the same port."""
    server = SmtpServer(port=free_port())
    server.start()
    yield server
    server.stop()


# ---------------------------------------------------------------- webhook


@pytest.fixture(name="webhook")
def fixture_webhook() -> Iterator[Webhook]:
    """A real HTTP server on 127.0.0.1 standing in for Slack's incoming-webhook endpoint."""
    state: Webhook

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's API
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            post = Post(self.path, {k.lower(): v for k, v in self.headers.items()}, json.loads(raw))
            state.posts.append(post)
            if state.on_post:
                state.on_post(post)
            code = state.script.pop(0) if state.script else 200
            body = b"ok" if code == 200 else b"internal_error"
            self.send_response(code)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state = Webhook(url=f"http://127.0.0.1:{httpd.server_address[1]}/services/T000/B000/s3cr3t-token")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


# ---------------------------------------------------------------- config


@pytest.fixture(name="alerts_config")
def fixture_alerts_config(tmp_path: Path, smtp_server: SmtpServer, webhook: Webhook, monkeypatch: pytest.MonkeyPatch) -> str:
    """claimwatch.toml with Slack (URL from the environment) and plain SMTP on loopback; retries due at once."""
    monkeypatch.setenv("CLAIMWATCH_SLACK_WEBHOOK", webhook.url)
    for var in ("CLAIMWATCH_SMTP_HOST", "CLAIMWATCH_SMTP_PORT", "CLAIMWATCH_SMTP_TO", "CLAIMWATCH_SMTP_USER",
                "CLAIMWATCH_SMTP_PASSWORD", "CLAIMWATCH_ALERTS_DIGEST", "CLAIMWATCH_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    path = tmp_path / "claimwatch.toml"
    path.write_text(
        f"""
[alerts]
retry_backoff_seconds = 0

[alerts.email]
host = "127.0.0.1"
port = {smtp_server.port}
security = "none"
from = "claimwatch@example.org"
to = ["analyst@example.org"]
""",
        encoding="utf-8",
    )
    return str(path)




def claimwatch(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `claimwatch ARGS` in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True,
        env={**os.environ, "COLUMNS": "250", **(env or {})}, cwd=ROOT, timeout=180,
    )
