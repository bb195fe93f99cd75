"""A real HTTP server on 127.0.0.1 for tests: serves a dict of paths, counts requests.

    with FeedServer() as srv:
        srv.add("/feed.xml", Resp(body=xml, content_type="application/rss+xml", etag='"v1"'))
        srv.add("/old", Resp(status=301, location="/new"))
        srv.add("/down", Resp(status=500, headers={"Retry-After": "120"}))
        srv.add("/silent", Resp(body=b"x", delay_s=30))
        srv.url("/feed.xml")      # http://127.0.0.1:PORT/feed.xml
        srv.count("/feed.xml")    # requests received for that path
        srv.requests("/feed.xml") # their headers, in order

A response with an `etag` answers 304 to a matching If-None-Match; one with
`last_modified` answers 304 to an equal If-Modified-Since. `gzip=True`
compresses the body (Content-Encoding: gzip). A path mapped to a list of
responses serves them in turn (the last one repeats). Delays are
interruptible, so closing the server never waits for a sleeping handler.
"""

from __future__ import annotations

import gzip as gziplib
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Resp:
    body: bytes | str = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None  # for 3xx
    gzip: bool = False
    delay_s: float = 0.0  # sleep before answering (a silent server)

    def raw(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Resp | list[Resp]] = {}
        self._counts: dict[str, int] = defaultdict(int)
        self._requests: dict[str, list[dict[str, str]]] = defaultdict(list)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                owner._handle(self)

            def do_HEAD(self) -> None:  # noqa: N802
                owner._handle(self)

        self._server = _Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    # -- control
    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, path: str, resp: Resp | list[Resp]) -> None:
        with self._lock:
            self.routes[path] = resp

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def count(self, path: str) -> int:
        with self._lock:
            return self._counts[path]

    def requests(self, path: str) -> list[dict[str, str]]:
        with self._lock:
            return list(self._requests[path])

    def total(self) -> int:
        with self._lock:
            return sum(self._counts.values())

    def reset_counts(self) -> None:
        with self._lock:
            self._counts.clear()
            self._requests.clear()

    # -- serving
    def _pick(self, path: str) -> Resp | None:
        with self._lock:
            self._counts[path] += 1
            n = self._counts[path]
            route = self.routes.get(path)
        if isinstance(route, list):
            return route[min(n, len(route)) - 1] if route else None
        return route

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path if h.path in self.routes else h.path.split("?")[0]
        with self._lock:
            self._requests[path].append({k.lower(): v for k, v in h.headers.items()})
        resp = self._pick(path)
        if resp is None:
            resp = Resp(status=404, body=b"not found", content_type="text/plain")
        if resp.delay_s and self._stop.wait(resp.delay_s):
            return
        status, body = resp.status, resp.raw()
        headers = dict(resp.headers)
        if resp.etag:
            headers["ETag"] = resp.etag
        if resp.last_modified:
            headers["Last-Modified"] = resp.last_modified
        inm, ims = h.headers.get("If-None-Match"), h.headers.get("If-Modified-Since")
        if status == 200 and ((resp.etag and inm == resp.etag) or (resp.last_modified and ims == resp.last_modified)):
            status, body = 304, b""
        if resp.location:
            headers["Location"] = resp.location
        if status != 304 and resp.content_type:
            headers["Content-Type"] = resp.content_type
        if resp.gzip and body and status != 304:
            body = gziplib.compress(body)
            headers["Content-Encoding"] = "gzip"
        headers["Content-Length"] = str(len(body))
        try:
            h.send_response(status)
            for k, v in headers.items():
                h.send_header(k, v)
            h.end_headers()
            if h.command != "HEAD" and status != 304:
                h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


def rss(items: list[dict[str, str]], title: str = "Test feed", link: str = "http://example.org/",
        encoding: str = "utf-8", extra_channel: str = "") -> bytes:
    """A small RSS 2.0 document: items with title, link, guid, pubDate, description (each optional)."""
    parts = [f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>',
             f"<title>{title}</title><link>{link}</link>{extra_channel}"]
    for it in items:
        parts.append("<item>")
        for tag in ("title", "link", "guid", "pubDate", "description"):
            if tag in it:
                parts.append(f"<{tag}>{it[tag]}</{tag}>")
        parts.append("</item>")
    parts.append("</channel></rss>\n")
    return "".join(parts).encode(encoding)


def article(title: str, body: str, canonical: str | None = None, date: str | None = None, lang: str = "en") -> str:
    """A small HTML article page that trafilatura extracts."""
    head = f"<title>{title}</title>"
    if canonical:
        head += f'<link rel="canonical" href="{canonical}">'
    if date:
        head += f'<meta property="article:published_time" content="{date}">'
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>'
        f"<nav>Home | World | Sport</nav><article><h1>{title}</h1>{paras}</article>"
        "<footer>Copyright Example News</footer></body></html>"
    )
