"""`claimwatch report`: content of the HTML for a ledger built from DocumentRecords with explicit claims."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from conftest import run_cli
from reportdata import XSS_SENTENCE, XSS_TITLE, build_report_db

from flows.report import load, render_html, write_report
from storage.db import reader
from storage.report_queries import MetricFilter, latest_alerts


@pytest.fixture(scope="module")
def report_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_report_db(tmp_path_factory.mktemp("report") / "report.duckdb")


@pytest.fixture(scope="module")
def report_html(report_db: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("out") / "report.html"
    write_report(report_db, out)
    return out.read_text(encoding="utf-8")


class _Doc(HTMLParser):
    """Every start tag with its attributes, and the text of each table's rows by table class."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "table":
            self._table = a.get("class") or ""
            self.tables.setdefault(self._table, [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse(text: str) -> _Doc:
    p = _Doc()
    p.feed(text)
    return p


def test_each_metric_has_a_titled_timeline_with_its_values(report_html: str) -> None:
    for title in ("Artillery shells", "Drones", "Missiles", "Troops"):
        assert re.search(rf"<h3>{title} <small>", report_html), title
    assert "North Korea → Russia (KP → RU)" in report_html and "Iran → Russia (IR → RU)" in report_html
    assert len(re.findall(r'<svg[^>]*class="marks"', report_html)) == 4
    for value in ("11,000", "12,000", "15,000", "25,000", "12,000,000", "148", "2,000"):
        assert value in report_html, value
    assert "high 25,000" in report_html  # the planned 25,000 counts toward the high
    assert "high 100" in report_html  # the denied 148 doesn't
    assert "≥ 15,000" in report_html and "6,000,000–8,000,000" in report_html


def test_points_carry_hover_text_and_planned_denied_are_labelled(report_html: str) -> None:
    titles = re.findall(r"<title>(.*?)</title>", report_html, flags=re.S)
    point_titles = titles[1:]  # the first is the page's <title>
    assert len(point_titles) == 10  # one per (document, claim)
    gur = [t for t in point_titles if "claimant: GUR · language: de" in t]
    assert len(gur) == 1 and "Laut GUR sind mehr als 15.000" in gur[0] and "source: Mehr als 15.000" in gur[0]
    assert any("planned" in t and "Zelensky" in t for t in point_titles)
    assert any("denied" in t and "Kremlin" in t for t in point_titles)
    # Status words drawn next to the planned and denied points, in the charts themselves.
    svg_text = "".join(re.findall(r'<svg[^>]*class="marks".*?</svg>', report_html, flags=re.S))
    assert re.search(r"<text[^>]*>planned</text>", svg_text)
    assert re.search(r"<text[^>]*>denied</text>", svg_text)


def test_disagreements_table_lists_each_figure_and_who_gave_it(report_html: str) -> None:
    rows = parse(report_html).tables["disagreements"]
    assert rows[0] == ["metric", "month", "figure", "given by"]
    body = rows[1:]
    assert len(body) == 2
    assert body[0][:3] == ["Troops · KP → RU", "2024-11", "11,000"]
    assert body[0][3].startswith("South Korea's NIS · fr · 2024-11-05 · La Corée du Nord envoie 11 000 soldats")
    assert body[1][0] == "12,000"  # metric and month span both rows
    assert body[1][1].startswith("Pentagon · en · 2024-11-20") and "approx" in body[1][1]


def test_sources_panel_counts_documents_and_failures(report_html: str) -> None:
    tables = parse(report_html).tables
    docs = {(r[0], r[2]): r[3] for r in tables["sources"][1:]}
    assert docs == {
        ("Example feed", "en"): "4", ("Example feed", "de"): "1", ("Example feed", "fr"): "1",
        ("seed folder /data/seeds", "fr"): "2",
    }
    fails = tables["failures"][1:]
    assert [r[:3] for r in fails] == [["Example feed", "fetch", "1"]]
    assert "HTTP 503" in fails[0][4]


def test_nothing_is_loaded_from_the_network(report_html: str) -> None:
    assert not re.search(r"<script", report_html, flags=re.I)
    assert not re.search(r"<link\b", report_html, flags=re.I)
    assert not re.search(r"""\b(src|srcset|poster|data|background|xlink:href)\s*=\s*["']?\s*(https?:)?//""",
                         report_html, flags=re.I)
    assert not re.search(r"url\(\s*[\"']?\s*(https?:)?//", report_html, flags=re.I)
    assert "@import" not in report_html
    # The only http(s) URLs are the articles' own links (<a href>), and the CSP forbids any load.
    for m in re.finditer(r"https?://", report_html):
        before = report_html[max(0, m.start() - 200) : m.start()]
        assert re.search(r"""<a href="$""", before) or "<td" in before or "<small>" in before, before[-80:]
    assert "default-src 'none'" in report_html


def test_untrusted_article_text_is_escaped(report_html: str) -> None:
    doc = parse(report_html)
    body = [t for t, _ in doc.tags].index("body")
    assert [t for t, _ in doc.tags[:body]] == ["html", "head", "meta", "meta", "meta", "meta", "title", "style"]
    for tag, attrs in doc.tags[body:]:
        assert tag not in ("script", "img", "iframe", "object", "embed", "link", "style", "meta", "base", "form"), (tag, attrs)
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name == "href":
                assert value and (value.startswith(("https://", "http://", "file://", "#"))), value
    assert XSS_TITLE not in report_html and XSS_SENTENCE not in report_html
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;Evil &amp; co" in report_html
    assert "javascript:" not in report_html


def test_since_keeps_the_earlier_high_as_the_starting_level(report_db: str) -> None:
    with reader(report_db) as con:
        data = load(con, since=date(2025, 1, 1))
    by = {m.key: m for m in data.metrics}
    troops = by[("troops", "KP", "RU")]
    assert troops.start_high == 12000
    assert [(p["value"], p["high_before"], p["running_high"]) for p in troops.points] == [
        (15000, 12000, 15000), (25000, 15000, 25000)
    ]
    missiles = by[("missiles", "KP", "RU")]
    assert [p["value"] for p in missiles.points] == [148]
    assert missiles.high == 100  # the denied 148 never counts; 100 came before --since
    assert [r["month"] for r in data.disagreements] == []
    html = render_html(data)
    assert "published since 2025-01-01" in html and "11 000 soldats nord-coréens" not in html


def test_metric_filter(report_db: str) -> None:
    with reader(report_db) as con:
        only = load(con, metrics=["troops:KP-RU"])
        shells = load(con, metrics=["artillery_shells", "drones:IR>RU"])
        none = load(con, metrics=["troops:IR-RU"])
    assert [m.key for m in only.metrics] == [("troops", "KP", "RU")]
    assert [m.key for m in shells.metrics] == [("artillery_shells", "KP", "RU"), ("drones", "IR", "RU")]
    assert none.metrics == [] and "No claims match." in render_html(none)
    assert MetricFilter.parse("Troops:kp->ru") == MetricFilter("troops", "KP", "RU")
    assert MetricFilter.parse("troops:*-RU") == MetricFilter("troops", None, "RU")
    with pytest.raises(ValueError):
        MetricFilter.parse("troops:KPRU")


def test_without_an_alerts_table_the_report_says_no_alerts_yet(report_db: str, tmp_path: Path) -> None:
    db = tmp_path / "noalerts.duckdb"
    db.write_bytes(Path(report_db).read_bytes())
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE IF EXISTS alerts CASCADE")
    con.close()
    with reader(db) as con:
        assert latest_alerts(con) is None
    write_report(str(db), tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "No alerts yet." in html
    assert len(re.findall(r'<svg[^>]*class="marks"', html)) == 4


def test_alerts_of_any_shape_show_their_evidence_sentence_and_link(report_db: str, tmp_path: Path) -> None:
    """An alerts table with only the basic columns: evidence comes from the claim's first statement."""
    db = tmp_path / "minimal.duckdb"
    db.write_bytes(Path(report_db).read_bytes())
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE IF EXISTS alerts CASCADE")
    con.execute(
        "CREATE TABLE alerts (id VARCHAR, claim_id VARCHAR, category VARCHAR, supplier VARCHAR, recipient VARCHAR, "
        "value DOUBLE, qualifier VARCHAR, status VARCHAR, previous_high DOUBLE, kind VARCHAR, created_at TIMESTAMP)"
    )
    con.execute(
        "INSERT INTO alerts SELECT 'a1', id, category, supplier, recipient, value, 'at_least', 'reported', 12000, "
        "'new_high', TIMESTAMP '2025-01-10 08:00' FROM claims WHERE category = 'troops' AND value = 15000"
    )
    con.close()
    write_report(str(db), tmp_path / "r.html")
    rows = parse((tmp_path / "r.html").read_text(encoding="utf-8")).tables["alerts"]
    assert len(rows) == 2
    raised, metric, new, previous, evidence = rows[1]
    assert raised.startswith("2025-01-10 08:00") and "new_high" in raised
    assert (metric, new, previous) == ("Troops · KP → RU", "≥ 15,000", "12,000")
    assert "Laut GUR sind mehr als 15.000 nordkoreanische Soldaten" in evidence
    assert "GUR · de · Mehr als 15.000 nordkoreanische Soldaten" in evidence
    assert 'href="https://example.org/articles/3"' in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_alerts_written_by_the_ledger_are_shown(report_db: str, report_html: str) -> None:
    with reader(report_db) as con:
        alerts = latest_alerts(con)
    assert alerts, "the test ledger raises a new high after its first run, so the outbox holds alerts"
    rows = parse(report_html).tables["alerts"][1:]
    assert len(rows) == len(alerts)
    for a in alerts:
        if a["evidence_sentence"]:
            assert any(" ".join(a["evidence_sentence"].split())[:40] in r[4] for r in rows), a


def test_cli_report(report_db: str, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "r.html"
    r = run_cli("report", "--db", report_db, "--out", str(out), "--since", "2024-11", "--metric", "troops")
    assert r.returncode == 0, r.stderr
    assert "wrote" in r.stdout and "1 metric(s)" in r.stdout and "4 statement(s)" in r.stdout
    assert out.exists() and "Troops" in out.read_text(encoding="utf-8")

    r = run_cli("report", "--db", str(tmp_path / "missing.duckdb"), "--out", str(out))
    assert r.returncode == 1 and "no database" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("report", "--db", report_db, "--since", "last week")
    assert r.returncode != 0 and "--since" in r.stderr and "Traceback" not in r.stderr
