"""The HTTP adapter: polite, bounded fetching of feeds and article pages.

Plain functions over one shared `httpx.Client`:
- timeouts on connect and on every read, and an overall deadline per fetch,
  so a silent or trickling server cannot hang a run;
- conditional GET (If-None-Match / If-Modified-Since), 304 honoured;
- gzip/deflate/brotli decoded by httpx, with the size cap applied to the
  decoded bytes (a compression bomb stops at `max_bytes`);
- redirects followed by hand (at most `max_redirects`), each hop checked;
- only http and https; private, loopback and link-local addresses refused
  unless `allow_private`;
- a User-Agent naming claimwatch and its URL;
- Retry-After read for the caller's backoff.
Nothing here raises for a bad URL or a bad server: the result carries the reason.
"""

from __future__ import annotations

import email.utils
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from extractors.identity import RefusedURL, check_scheme

PROJECT_URL = "https://github.com/claimwatch/claimwatch"
DEFAULT_USER_AGENT = f"claimwatch/0.1 (+{PROJECT_URL}; sanctions-monitoring news reader)"
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
HTML_TYPES = ("text/html", "application/xhtml+xml")
REDIRECTS = (301, 302, 303, 307, 308)
TRANSIENT = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


@dataclass(frozen=True, slots=True)
class FetchSettings:
    timeout_s: float = 20.0
    max_bytes: int = 10 * 1024 * 1024
    workers: int = 8
    per_host: int = 2
    user_agent: str = DEFAULT_USER_AGENT
    allow_private: bool = False
    backoff_cap_minutes: float = 360.0
    max_redirects: int = 5

    def to_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(slots=True)
class FetchResult:
    url: str  # as asked
    final_url: str  # after redirects
    status: int | None = None  # HTTP status; None when no response
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    retry_after_s: float | None = None
    error: str | None = None  # why there is no usable body
    refused: bool = False  # never sent: scheme or address refused
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def transient(self) -> bool:
        """Worth retrying soon: timeouts, connection errors, 429 and 5xx."""
        return not self.refused and (self.status is None or self.status in TRANSIENT)

    @property
    def mime(self) -> str:
        return (self.content_type or "").split(";")[0].strip().lower()


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified
    )


def check_url(url: str, allow_private: bool, resolve: Callable[[str], list[str]] | None = None) -> None:
    """Raise `RefusedURL` for a non-http(s) URL, or one whose host resolves to a private address."""
    check_scheme(url)
    if allow_private:
        return
    host = urlsplit(url.strip()).hostname or ""
    try:
        addresses = [host] if _is_ip(host) else (resolve or _resolve)(host)
    except OSError as exc:
        raise RefusedURL(f"cannot resolve host {host}: {exc}") from None
    for a in addresses:
        if not _is_public(ipaddress.ip_address(a.split("%")[0])):
            raise RefusedURL(
                f"refused: {host} is a private or loopback address ({a}); "
                "set [fetch] allow_private = true or pass --allow-private to fetch it"
            )


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def _resolve(host: str) -> list[str]:
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None)})


_ssl_lock = threading.Lock()
_ssl_context: ssl.SSLContext | None = None


def _shared_ssl_context() -> ssl.SSLContext:
    """httpx's default verifying context (certifi), built once: loading the CA bundle costs ~50 ms a client."""
    global _ssl_context
    with _ssl_lock:
        if _ssl_context is None:
            _ssl_context = httpx.create_ssl_context(verify=True, trust_env=False)
        return _ssl_context


def make_client(settings: FetchSettings) -> httpx.Client:
    t = settings.timeout_s
    return httpx.Client(
        timeout=httpx.Timeout(t, connect=min(t, 10.0)),
        verify=_shared_ssl_context(),
        follow_redirects=False,
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        limits=httpx.Limits(max_connections=max(4, settings.workers * 2), max_keepalive_connections=settings.workers),
        trust_env=False,
    )


def fetch(
    client: httpx.Client,
    url: str,
    settings: FetchSettings,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str = FEED_ACCEPT,
) -> FetchResult:
    """GET `url` politely; see the module docstring. Never raises for network or server trouble."""
    result = FetchResult(url=url, final_url=url)
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + settings.timeout_s * 3
    current = url
    for _hop in range(settings.max_redirects + 1):
        try:
            check_url(current, settings.allow_private)
        except RefusedURL as exc:
            result.error, result.refused = str(exc), True
            return result
        try:
            with client.stream("GET", current, headers=headers) as resp:
                result.status = resp.status_code
                result.final_url = str(resp.url)
                if resp.status_code in REDIRECTS and resp.headers.get("location"):
                    current = urljoin(current, resp.headers["location"])
                    result.redirects.append(current)
                    continue
                result.content_type = resp.headers.get("content-type")
                result.etag = resp.headers.get("etag")
                result.last_modified = resp.headers.get("last-modified")
                result.retry_after_s = parse_retry_after(resp.headers.get("retry-after"))
                if resp.status_code == 304:
                    return result
                if resp.status_code >= 400 or resp.status_code < 200:
                    result.error = f"HTTP {resp.status_code} {resp.reason_phrase}".strip()
                    return result
                declared = resp.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > settings.max_bytes and not resp.headers.get(
                    "content-encoding"
                ):
                    result.error = f"too large: {int(declared)} bytes (limit {settings.max_bytes})"
                    return result
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > settings.max_bytes:
                        result.error = f"too large: more than {settings.max_bytes} bytes"
                        return result
                    if time.monotonic() > deadline:
                        result.error = f"timeout: body not complete after {settings.timeout_s * 3:.0f}s"
                        return result
                    chunks.append(chunk)
                result.body = b"".join(chunks)
                return result
        except httpx.TimeoutException as exc:
            result.error = f"timeout after {settings.timeout_s:g}s ({type(exc).__name__})"
            return result
        except httpx.DecodingError as exc:
            result.error = f"bad content encoding: {exc}"
            return result
        except (httpx.HTTPError, OSError, ValueError) as exc:
            result.error = f"{type(exc).__name__}: {exc}".rstrip(": ")
            return result
    result.error = f"too many redirects (more than {settings.max_redirects})"
    return result


def is_html(result: FetchResult) -> bool:
    """HTML by Content-Type, or (no usable type) by a sniff of the body."""
    mime = result.mime
    if mime in HTML_TYPES:
        return True
    if mime in ("", "application/octet-stream", "text/plain"):
        head = result.body[:1024].lstrip().lower()
        return head.startswith((b"<!doctype html", b"<html", b"\xef\xbb\xbf<!doctype html", b"\xef\xbb\xbf<html"))
    return False


class HostLimiter:
    """At most `per_host` requests in flight to any one host."""

    def __init__(self, per_host: int) -> None:
        self._per_host = max(1, per_host)
        self._lock = threading.Lock()
        self._sems: dict[str, threading.BoundedSemaphore] = {}

    @contextmanager
    def slot(self, url: str) -> Iterator[None]:
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            host = ""
        with self._lock:
            sem = self._sems.setdefault(host, threading.BoundedSemaphore(self._per_host))
        with sem:
            yield
