"""Identity of articles: canonical URLs and entry ids. Pure functions, no I/O.

Two links name the same article when their canonical forms are equal:
scheme and host lower-cased, default port and fragment dropped, tracking
parameters (utm_*, fbclid, gclid, ...) removed, the remaining query sorted.
A page's own `<link rel="canonical">` wins over the URL it was fetched from.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

FETCHABLE_SCHEMES = ("http", "https")
_TRACKING_PREFIXES = ("utm_", "mtm_", "pk_")
_TRACKING_KEYS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid", "mc_cid", "mc_eid",
        "_ga", "_gl", "ocid", "cmpid", "at_medium", "at_campaign", "ito", "ns_mchannel", "ns_source",
        "ns_campaign", "ns_linkname", "ns_fee", "maca", "ref_src", "spm",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SAFE_PATH = "/:@!$&'()*+,;=-._~%"


class RefusedURL(ValueError):
    """A URL claimwatch will not fetch (scheme, address, or malformed)."""


def is_tracking_param(key: str) -> bool:
    k = key.lower()
    return k in _TRACKING_KEYS or k.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str | None, base: str | None = None) -> str | None:
    """The canonical form of an http(s) URL, or None when it is not one.

    `base` resolves a relative URL. Percent-encoding is normalised (unreserved
    characters decoded, the rest upper-cased), an empty path becomes "/".
    """
    if not url:
        return None
    url = url.strip()
    try:
        if base:
            url = urljoin(base, url)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in FETCHABLE_SCHEMES or not parts.hostname:
            return None
        host = parts.hostname.lower().rstrip(".")
        try:
            host = host.encode("idna").decode("ascii") if not host.isascii() else host
        except UnicodeError:
            return None
        port = parts.port
    except ValueError:  # bad port, bad IPv6 literal...
        return None
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = quote(unquote(parts.path), safe=_SAFE_PATH) or "/"
    query_items = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_param(k)]
    query = urlencode(sorted(query_items), doseq=True)
    return urlunsplit((scheme, netloc, path, query, ""))


def scheme_of(url: str) -> str:
    m = re.match(r"\s*([A-Za-z][A-Za-z0-9+.-]*):", url or "")
    return m.group(1).lower() if m else ""


def check_scheme(url: str) -> None:
    """Raise `RefusedURL` unless `url` is an absolute http or https URL."""
    scheme = scheme_of(url)
    if scheme not in FETCHABLE_SCHEMES:
        raise RefusedURL(f"refused: scheme {scheme + ':' if scheme else '(none)'} is not http or https")
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError as exc:
        raise RefusedURL(f"refused: malformed URL ({exc})") from None
    if not host:
        raise RefusedURL("refused: URL has no host")


def page_identity(fetched_url: str, page_canonical: str | None) -> str:
    """The identity of a fetched page: its rel=canonical when usable, else the fetched URL, canonicalised.

    A canonical pointing at the bare site root while the page has a path is a
    common template mistake (every article would collapse into one) and is ignored.
    """
    fetched = canonical_url(fetched_url) or fetched_url
    declared = canonical_url(page_canonical) if page_canonical else None
    if declared and not (urlsplit(declared).path in ("", "/") and urlsplit(fetched).path not in ("", "/")):
        return declared
    return fetched


def entry_id(
    guid: str | None, link: str | None, title: str | None, published: datetime | str | None, summary: str | None = None
) -> str:
    """guid, else link, else a hash of title and date (else of the summary); "" when the entry has none."""
    if guid and guid.strip():
        return guid.strip()
    if link and link.strip():
        return link.strip()
    if (title and title.strip()) or published:
        stamp = published.isoformat() if isinstance(published, datetime) else (published or "")
        digest = hashlib.sha256(f"{(title or '').strip()}\x1f{stamp}".encode()).hexdigest()[:24]
        return f"sha256:{digest}"
    if summary and summary.strip():
        return "sha256:" + hashlib.sha256(" ".join(summary.split()).encode()).hexdigest()[:24]
    return ""
