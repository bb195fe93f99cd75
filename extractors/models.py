"""The shared vocabulary of claimwatch: cleaned documents, claims and feed entries.

Plain dataclasses so every stage (extractors, storage, flows) can pass them
around without importing each other.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

CATEGORIES: tuple[str, ...] = (
    "troops",
    "workers",
    "casualties",
    "artillery_shells",
    "missiles",
    "artillery_systems",
    "containers",
    "drones",
    "air_defense_systems",
    "petroleum",
)
QUALIFIERS: tuple[str, ...] = ("exact", "approx", "at_least", "at_most", "range")
STATUSES: tuple[str, ...] = ("reported", "planned", "denied")
UNKNOWN_LANGUAGE = "unknown"


@dataclass(frozen=True, slots=True)
class Cleaned:
    """An article after boilerplate removal.

    `text` is the cleaned body; claim spans are offsets into it.
    """

    text: str
    title: str | None = None
    author: str | None = None
    sitename: str | None = None
    published: date | None = None
    canonical_url: str | None = None
    # "html" or "text": which cleaner produced it
    kind: str = "text"


@dataclass(frozen=True, slots=True)
class Language:
    code: str  # ISO 639-1, or UNKNOWN_LANGUAGE
    probability: float


@dataclass(slots=True)
class Claim:
    """One numeric claim, with every field of the claims spec."""

    category: str
    value: float
    qualifier: str = "exact"
    low: float | None = None
    supplier: str | None = None
    recipient: str | None = None
    status: str = "reported"
    attribution: str | None = None
    period: str | None = None
    sentence: str = ""
    start: int = 0
    end: int = 0
    lang: str = UNKNOWN_LANGUAGE

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("value", "low"):
            v = d[key]
            if isinstance(v, float) and v.is_integer():
                d[key] = int(v)
        return d


@dataclass(slots=True)
class Entry:
    """One item of a feed, before its page is fetched."""

    feed_url: str
    entry_id: str  # guid, else link, else hash of title and date
    link: str | None
    title: str | None = None
    published: datetime | None = None
    summary: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
