"""A real Prefect server and worker on loopback, in an isolated PREFECT_HOME."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrefectServer:
    """`prefect server start` in a subprocess; `env` points clients at it."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.port = free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        base = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        self.env = {
            "PREFECT_API_SERVICES_SCHEDULER_ENABLED": "false",
            "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
            **base,
            "PREFECT_HOME": str(home),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_LOGGING_LEVEL": "INFO",
            "PREFECT_API_URL": self.api_url,
        }
        self.proc: subprocess.Popen[bytes] | None = None
        self.workers: list[subprocess.Popen[str]] = []

    def start(self, timeout: float = 120) -> None:
        env = {k: v for k, v in self.env.items() if k != "PREFECT_API_URL"}
        log = open(self.home / "server.log", "wb")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(self.port)],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"prefect server exited: {(self.home / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise TimeoutError("prefect server did not become healthy")

    def prefect(self, *args: str, cwd: Path | None = None, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "prefect"), *args], env=self.env, cwd=cwd, capture_output=True, text=True, timeout=timeout
        )

    def start_worker(self, pool: str, cwd: Path, run_once: bool = True) -> subprocess.Popen[str]:
        args = [str(BIN / "prefect"), "worker", "start", "--pool", pool]
        if run_once:
            args.append("--run-once")
        w = subprocess.Popen(
            args, env=self.env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )
        self.workers.append(w)
        return w

    def api(self, method: str, path: str, body: dict | None = None) -> dict | list:
        req = urllib.request.Request(
            f"{self.api_url}{path}", method=method, data=json.dumps(body or {}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read() or b"null")

    def stop(self) -> None:
        for w in self.workers:  # workers first, then the server they talk to
            _terminate(w)
        if self.proc is not None:
            _terminate(self.proc)


def _terminate(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
