"""A ledger built from DocumentRecords with explicit claims, for the report tests.

Four metrics, documents in fr/en/de across Oct 2024 - Mar 2025, planned and
denied statements, a range, a disagreement (troops KP->RU, Nov 2024: 11,000 vs
12,000), a hostile document (script in the title, markup in the sentence,
javascript: URL), two sources and a failure.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from extractors.models import Claim
from storage import ledger
from storage.db import writer
from storage.records import DocumentRecord, Failure

FEED = "https://example.org/feed.xml"
SEEDS = "seeds:/data/seeds"
XSS_TITLE = '<script>alert("title")</script>Evil & co'
XSS_SENTENCE = 'They sent 2 000 drones <img src=x onerror="alert(1)"> to Russia.'


def _doc(n: int, lang: str, day: str, title: str, claims: list[Claim], *, source: str = FEED,
         uri: str | None = None, sitename: str | None = "Example News") -> DocumentRecord:
    for c in claims:
        c.lang = lang
    return DocumentRecord(
        id=f"doc{n}", uri=uri or f"https://example.org/articles/{n}", source_id=source,
        fetched_at=datetime(2025, 3, 20, tzinfo=UTC), raw_hash=f"raw{n}", title=title, sitename=sitename,
        published_at=datetime.fromisoformat(day).replace(tzinfo=UTC), lang=lang, lang_prob=0.99,
        content_hash=f"content{n}", text=f"text {n}", extractor_version="test", claims=claims,
    )


def _c(category: str, value: float, sentence: str, *, qualifier: str = "exact", status: str = "reported",
       attribution: str | None = None, supplier: str = "KP", recipient: str = "RU", low: float | None = None,
       start: int = 0) -> Claim:
    return Claim(category=category, value=value, qualifier=qualifier, low=low, supplier=supplier,
                 recipient=recipient, status=status, attribution=attribution, sentence=sentence,
                 start=start, end=start + 6)


DOCS = [
    _doc(1, "fr", "2024-11-05", "La Corée du Nord envoie 11 000 soldats", [
        _c("troops", 11000, "Selon le NIS, 11 000 soldats nord-coréens sont arrivés en Russie.",
           attribution="South Korea's NIS"),
    ], source=SEEDS, uri="file:///data/seeds/001.txt", sitename=None),
    _doc(2, "en", "2024-11-20", "Pentagon: about 12,000 North Korean troops", [
        _c("troops", 12000, "The Pentagon said about 12,000 North Korean troops are in Kursk.",
           qualifier="approx", attribution="Pentagon"),
    ]),
    _doc(3, "de", "2025-01-10", "Mehr als 15.000 nordkoreanische Soldaten", [
        _c("troops", 15000, "Laut GUR sind mehr als 15.000 nordkoreanische Soldaten im Einsatz.",
           qualifier="at_least", attribution="GUR"),
        _c("missiles", 148, "Moskau bestreitet, 148 Raketen erhalten zu haben.", status="denied",
           attribution="Kremlin", start=40),
    ]),
    _doc(4, "en", "2025-02-14", "Pyongyang prepares 25,000 more troops", [
        _c("troops", 25000, "Pyongyang is preparing to send 25,000 more troops.", status="planned",
           attribution="Zelensky"),
        _c("artillery_shells", 8_000_000, "Between 6 and 8 million shells have been shipped.",
           qualifier="range", low=6_000_000, attribution="MSMT", start=60),
    ]),
    _doc(5, "fr", "2024-12-01", "Plus de 100 missiles balistiques", [
        _c("missiles", 100, "Plus de 100 missiles balistiques KN-23 ont été livrés.", qualifier="at_least",
           attribution="GUR"),
    ], source=SEEDS, uri="file:///data/seeds/005.txt", sitename=None),
    _doc(6, "en", "2024-10-15", "Up to five million shells", [
        _c("artillery_shells", 5_000_000, "North Korea may have sent up to 5 million shells.",
           qualifier="at_most", attribution="US Treasury"),
    ]),
    _doc(7, "fr", "2025-03-10", "Douze millions d'obus", [
        _c("artillery_shells", 12_000_000, "Environ 12 millions d'obus ont été livrés, selon le MSMT.",
           qualifier="approx", attribution="MSMT"),
    ]),
    _doc(8, "en", "2025-01-22", XSS_TITLE, [
        _c("drones", 2000, XSS_SENTENCE, supplier="IR", attribution='<b onmouseover="x()">Anon</b>'),
    ], uri="javascript:alert(document.cookie)"),
]

FAILURES = [Failure(uri="https://example.org/articles/broken", stage="fetch", reason="HTTP 503", source_id=FEED)]


def build_report_db(path: str | Path) -> str:
    with writer(str(path)) as con:
        con.execute(
            "INSERT INTO sources (id, kind, uri, name) VALUES (?, 'feed', ?, 'Example feed'), (?, 'seeds', ?, NULL)",
            [FEED, FEED, SEEDS, "/data/seeds"],
        )
        # A first run (the baseline: highs recorded silently), then a second one whose
        # new highs may raise alerts (if the alerts feature is there).
        early = [d for d in DOCS if d.published_at and d.published_at.year < 2025]
        late = [d for d in DOCS if d not in early]
        ledger.write_batch(con, early, run_id="run0")
        con.execute(
            "INSERT INTO runs (id, flow, started_at, finished_at, status) "
            "VALUES ('run0', 'test', TIMESTAMP '2025-01-01', TIMESTAMP '2025-01-01 00:01', 'completed')"
        )
        ledger.write_batch(con, late, run_id="run1")
        ledger.write_batch(con, [], FAILURES, run_id="run1")
    return str(path)
