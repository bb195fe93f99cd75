"""Email over STARTTLS and implicit TLS with a login, against a real aiosmtpd server with a self-signed certificate."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from alerts_kit import _Collect, article, free_port, ingest_run, troops

from flows.alerts import send_all
from storage.db import reader

USER, PASSWORD = "desk", "correct-horse-battery"


@pytest.fixture(scope="module")
def tls_context(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    openssl = shutil.which("openssl")
    assert openssl, "openssl is needed to make the test certificate"
    d = tmp_path_factory.mktemp("tls")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem")],
        check=True, capture_output=True,
    )
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(d / "cert.pem", d / "key.pem")
    return ctx


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(), PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)


@pytest.fixture(params=["starttls", "ssl"])
def tls_server(request: pytest.FixtureRequest, tls_context: ssl.SSLContext) -> Iterator[tuple[str, int, list[EmailMessage]]]:
    messages: list[EmailMessage] = []
    port = free_port()
    common: dict[str, Any] = {"authenticator": _authenticator, "auth_required": True}
    if request.param == "starttls":
        controller = Controller(_Collect(messages), hostname="127.0.0.1", port=port, tls_context=tls_context,
                                require_starttls=True, **common)
    else:
        # aiosmtpd does not count implicit TLS as TLS for AUTH; the connection is encrypted all the same
        controller = Controller(_Collect(messages), hostname="127.0.0.1", port=port, ssl_context=tls_context,
                                auth_require_tls=False, **common)
    controller.start()
    yield request.param, port, messages
    controller.stop()


def _config(tmp_path: Path, security: str, port: int) -> str:
    p = tmp_path / "claimwatch.toml"
    p.write_text(
        "[alerts]\nretry_backoff_seconds = 0\n"
        f'[alerts.email]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "{security}"\nverify_tls = false\n'
        'from = "cw@example.org"\nto = ["desk@example.org"]\n',
        encoding="utf-8",
    )
    return str(p)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_login_over_tls_delivers_and_a_wrong_password_stays_pending_unlogged(
    db_file: str, tmp_path: Path, tls_server: tuple[str, int, list[EmailMessage]], monkeypatch: pytest.MonkeyPatch
) -> None:
    security, port, messages = tls_server
    monkeypatch.delenv("CLAIMWATCH_SLACK_WEBHOOK", raising=False)
    monkeypatch.delenv("CLAIMWATCH_CONFIG", raising=False)
    monkeypatch.setenv("CLAIMWATCH_SMTP_USER", USER)
    monkeypatch.setenv("CLAIMWATCH_SMTP_PASSWORD", "wrong-password-123")
    config = _config(tmp_path, security, port)
    ingest_run(db_file, article("a", "2024-10-01", [troops(3000)]))
    ingest_run(db_file, article("b", "2024-10-02", [troops(10000)]))

    assert send_all(db_file, config)["email"]["failed"] == 1
    with reader(db_file) as con:
        status, error = con.execute("SELECT status, last_error FROM deliveries WHERE channel = 'email'").fetchone()
    assert status == "pending" and "SMTPAuthenticationError" in error and "wrong-password-123" not in error
    assert messages == []

    monkeypatch.setenv("CLAIMWATCH_SMTP_PASSWORD", PASSWORD)
    assert send_all(db_file, config)["email"]["delivered"] == 1
    assert [m["Subject"] for m in messages] == [
        "North Korean troops in Russia: new high 10,000 (previous 3,000, Article a, 2024-10-01)"
    ]
