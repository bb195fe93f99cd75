"""`claimwatch report`: one self-contained HTML file analysts can open offline.

Charts are Altair (Vega-Lite) specs rendered to static SVG by vl-convert and
inlined, so the file has no script at all and nothing to load: it opens
offline, prints well, and a Content-Security-Policy forbids any load or
script as a second line of defence. Hover text comes from SVG `<title>`
elements, made from the marks' Vega `description` (which Vega writes as
`aria-label`). All article text (titles, sentences, claimants, URLs) is
untrusted and goes through `html.escape`; links are kept only for http(s)
and file URLs.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from storage import report_queries as rq

QUALIFIER_COLORS = {
    "exact": "#1f5fa8",
    "approx": "#e07b00",
    "at_least": "#238b45",
    "at_most": "#8e44ad",
    "range": "#8c564b",
}
QUALIFIER_SIGN = {"exact": "", "approx": "≈ ", "at_least": "≥ ", "at_most": "≤ ", "range": ""}
STATUS_SHAPES = {"reported": "circle", "planned": "triangle-up", "denied": "cross"}
HIGH_COLOR = "#c0392b"
COUNTRIES = {
    "KP": "North Korea", "RU": "Russia", "IR": "Iran", "BY": "Belarus", "UA": "Ukraine", "CN": "China",
    "KR": "South Korea", "SY": "Syria", "US": "United States",
}
CHART_WIDTH = 780
CHART_HEIGHT = 210
_SAFE_SCHEMES = ("http://", "https://", "file://")


# ---------------------------------------------------------------- formatting helpers

def esc(v: Any) -> str:
    return "" if v is None else html.escape(str(v), quote=True)


def fmt_num(v: float | int | None) -> str:
    if v is None:
        return ""
    f = float(v)
    return f"{int(f):,}" if f.is_integer() else f"{f:,.2f}".rstrip("0").rstrip(".")


def fmt_figure(value: float, qualifier: str | None, low: float | None = None) -> str:
    if low is not None and low != value:
        return f"{fmt_num(low)}–{fmt_num(value)}"
    return QUALIFIER_SIGN.get(qualifier or "exact", "") + fmt_num(value)


def fmt_day(v: datetime | date | None) -> str:
    return "" if v is None else v.strftime("%Y-%m-%d")


def category_label(cat: str) -> str:
    return cat.replace("_", " ").capitalize()


def direction_label(sup: str | None, rec: str | None, long: bool = False) -> str:
    s, r = sup or "?", rec or "?"
    if not long:
        return f"{s} → {r}"
    return f"{COUNTRIES.get(s, s)} → {COUNTRIES.get(r, r)}"


def metric_label(cat: str, sup: str | None, rec: str | None) -> str:
    return f"{category_label(cat)} · {direction_label(sup, rec)}"


def safe_href(uri: str | None) -> str | None:
    if not uri:
        return None
    u = uri.strip()
    return u if u.lower().startswith(_SAFE_SCHEMES) else None


def link(uri: str | None, text: str | None, max_len: int = 90) -> str:
    label = (text or uri or "").strip() or "(untitled)"
    if len(label) > max_len:
        label = label[: max_len - 1] + "…"
    href = safe_href(uri)
    if href is None:
        return esc(label)
    return f'<a href="{esc(href)}" rel="noopener noreferrer" target="_blank">{esc(label)}</a>'


def shorten(s: str | None, n: int) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def slug(*parts: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "-", "-".join(p or "x" for p in parts).lower()).strip("-")


# ---------------------------------------------------------------- data

MetricKey = tuple[str, str | None, str | None]


@dataclass
class Metric:
    key: MetricKey
    points: list[dict[str, Any]] = field(default_factory=list)
    start_high: float | None = None  # the high from claims before --since

    @property
    def label(self) -> str:
        return metric_label(*self.key)

    @property
    def anchor(self) -> str:
        return "m-" + slug(*self.key)

    @property
    def high(self) -> float | None:
        vals = [p["value"] for p in self.points if p["counts"]]
        if self.start_high is not None:
            vals.append(self.start_high)
        return max(vals) if vals else None


@dataclass
class ReportData:
    generated_at: datetime
    db_label: str
    since: date | None
    metric_filters: list[str]
    totals: dict[str, Any]
    metrics: list[Metric]
    disagreements: list[dict[str, Any]]
    alerts: list[dict[str, Any]] | None
    sources: dict[str, list[dict[str, Any]]]


def load(
    con: Any, since: date | None = None, metrics: Sequence[str] = (), db_label: str = "", now: datetime | None = None
) -> ReportData:
    """Read everything the report shows, from an open (read-only) connection."""
    filters = [rq.MetricFilter.parse(m) for m in metrics]
    by_metric: dict[MetricKey, Metric] = {}
    for p in rq.metric_points(con, since, filters):
        key = (p["category"], p["supplier"], p["recipient"])
        by_metric.setdefault(key, Metric(key)).points.append(p)
    if since is not None:
        for key, high in rq.high_before_since(con, since, filters).items():
            by_metric.setdefault(key, Metric(key)).start_high = high
    ordered = sorted(by_metric.values(), key=lambda m: (m.key[0], m.key[1] or "~", m.key[2] or "~"))
    return ReportData(
        generated_at=now or datetime.now(UTC),
        db_label=db_label,
        since=since,
        metric_filters=list(metrics),
        totals=rq.totals(con),
        metrics=ordered,
        disagreements=rq.disagreements(con, since, filters),
        alerts=rq.latest_alerts(con, since=since),
        sources=rq.sources_panel(con),
    )


# ---------------------------------------------------------------- charts

def _time_domain(data: ReportData) -> tuple[date, date]:
    """One time axis for every chart, so the timelines line up."""
    days = [p["dated"].date() for m in data.metrics for p in m.points if p["dated"] is not None and not p["undated"]]
    if data.since is not None:
        days.append(data.since)
    if not days:
        today = data.generated_at.date()
        return today - timedelta(days=30), today
    lo, hi = min(days), max(days)
    pad = max(timedelta(days=10), (hi - lo) / 25)
    return lo - pad, hi + pad


def _tooltip(p: dict[str, Any]) -> str:
    lines = [
        f"{fmt_figure(p['value'], p['qualifier'], p['low'])} {category_label(p['category']).lower()} "
        f"{direction_label(p['supplier'], p['recipient'])}",
        f"{p['qualifier']} · {p['status']} · {fmt_day(p['dated'])}{' (fetched; no publication date)' if p['undated'] else ''}",
        f"claimant: {p['attribution'] or 'not stated'} · language: {p['lang'] or '?'}",
        f"source: {shorten(p['title'] or p['uri'], 90)}" + (f" ({p['sitename']})" if p["sitename"] else ""),
    ]
    if p.get("period"):
        lines.append(f"period: {p['period']}")
    if p.get("sentence"):
        lines.append("“" + shorten(p["sentence"], 220) + "”")
    return "\n".join(lines)


def chart_spec(metric: Metric, domain: tuple[date, date]) -> dict[str, Any]:
    """The Vega-Lite spec of one metric's timeline (built with Altair).

    Statements of documents without a publication date can't be placed in time:
    they go to a narrow "no date" strip on the right and stay out of the step line.
    """
    import altair as alt

    def row(p: dict[str, Any], slot: int = 0) -> dict[str, Any]:
        return {
            "dated": fmt_day(p["dated"]), "slot": slot, "value": p["value"], "low": p["low"],
            "qualifier": p["qualifier"], "status": p["status"], "tip": _tooltip(p),
        }

    dated = [row(p) for p in metric.points if not p["undated"]]
    undated = [row(p, i) for i, p in enumerate(p for p in metric.points if p["undated"])]
    # The running high as a step line: a step where it rises, then flat to the end of the axis.
    steps: list[dict[str, Any]] = []
    high = metric.start_high
    if high is not None:
        steps.append({"dated": domain[0].isoformat(), "high": high})
    for p in metric.points:
        if p["counts"] and not p["undated"] and (high is None or p["value"] > high):
            high = p["value"]
            steps.append({"dated": fmt_day(p["dated"]), "high": high})
    if high is not None:
        steps.append({"dated": domain[1].isoformat(), "high": high})

    y_max = max([metric.high or 0] + [p["value"] for p in metric.points]) * 1.12 or 1
    y_scale = alt.Scale(domain=[0, y_max], nice=False)
    y = alt.Y(
        "value:Q", title=None, scale=y_scale,
        axis=alt.Axis(
            tickCount=5, gridColor="#eee",
            labelExpr="datum.value >= 1e6 ? format(datum.value / 1e6, '~r') + 'M' : "
            "datum.value >= 1e3 ? format(datum.value / 1e3, '~r') + 'k' : format(datum.value, '~r')",
        ),
    )
    color_scale = alt.Scale(domain=list(QUALIFIER_COLORS), range=list(QUALIFIER_COLORS.values()))
    color = alt.Color("qualifier:N", legend=None, scale=color_scale)
    shape = alt.Shape(
        "status:N", legend=None, scale=alt.Scale(domain=list(STATUS_SHAPES), range=list(STATUS_SHAPES.values()))
    )

    def marks(data: list[dict[str, Any]], x: Any, y: Any = y) -> list[Any]:
        """Range bars, points (colour = qualifier, shape = status, hover text) and status words."""
        base = alt.Chart(alt.Data(values=data))
        out: list[Any] = []
        if any(d["low"] is not None for d in data):
            out.append(
                base.transform_filter("datum.low != null")
                .mark_rule(strokeWidth=7, opacity=0.35, strokeCap="round", aria=False)
                .encode(x=x, y=alt.Y("low:Q", scale=y_scale), y2="value:Q", color=color)
            )
        out.append(
            base.mark_point(filled=True, size=110, strokeWidth=2, opacity=1)
            .encode(
                x=x, y=y, color=color, shape=shape,
                fillOpacity=alt.condition("datum.status === 'reported'", alt.value(0.9), alt.value(0.08)),
                stroke=alt.Stroke("qualifier:N", scale=color_scale, legend=None),
                description="tip:N",
            )
        )
        if any(d["status"] != "reported" for d in data):
            out.append(
                base.transform_filter("datum.status !== 'reported'")
                .mark_text(dy=-13, fontSize=10, fontStyle="italic", color="#444", aria=False)
                .encode(x=x, y=y, text="status:N")
            )
        return out

    x_time = alt.X(
        "dated:T", title=None,
        scale=alt.Scale(type="utc", domain=[domain[0].isoformat(), domain[1].isoformat()]),
        axis=alt.Axis(
            format="%b %Y", labelFlush=True, labelOverlap=True, grid=True, gridColor="#eee",
            tickCount={"interval": "month", "step": max(1, ((domain[1] - domain[0]).days // 30) // 10)},
        ),
    )
    layers: list[Any] = []
    if steps:
        step_data = alt.Chart(alt.Data(values=steps))
        layers.append(
            step_data.mark_line(interpolate="step-after", color=HIGH_COLOR, strokeWidth=2, opacity=0.75, aria=False)
            .encode(x=x_time, y=alt.Y("high:Q", scale=y_scale))
        )
        # The current high, written just right of the plot where the step line ends.
        layers.append(
            alt.Chart(alt.Data(values=[{"dated": domain[1].isoformat(), "high": high, "label": fmt_num(high)}]))
            .mark_text(align="left", baseline="middle", dx=5, color=HIGH_COLOR, fontSize=11, fontWeight="bold",
                       aria=False)
            .encode(x=x_time, y=alt.Y("high:Q", scale=y_scale), text="label:N")
        )
    layers += marks(dated, x_time) if dated else [alt.Chart(alt.Data(values=[{"dated": None}])).mark_point(opacity=0)
                                                  .encode(x=x_time)]
    chart: Any = alt.layer(*layers).properties(width=CHART_WIDTH, height=CHART_HEIGHT)
    if undated:
        x_slot = alt.X(
            "slot:O", title="no date", scale=alt.Scale(paddingOuter=0.6),
            axis=alt.Axis(labels=False, ticks=False, domain=False, titleFontWeight="normal", titleColor="#666"),
        )
        y_bare = alt.Y("value:Q", title=None, scale=y_scale, axis=None)  # same scale as the timeline's
        strip = alt.layer(*marks(undated, x_slot, y_bare)).properties(
            width=max(44, 28 * len(undated) + 16), height=CHART_HEIGHT
        )
        chart = alt.hconcat(chart, strip, spacing=70)
    chart = (
        chart.properties(background="white")
        .configure_view(stroke="#ddd")
        .configure_axis(labelFontSize=11, labelColor="#444", domainColor="#999", tickColor="#999")
    )
    return chart.to_dict()


_MARK_WITH_LABEL = re.compile(r'<path ([^>]*?)aria-label="([^"]*)"([^>]*?)/>')


def render_svg(spec: dict[str, Any]) -> str:
    """Static SVG; every point's description becomes a `<title>` (native hover text)."""
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(spec)

    def add_title(m: re.Match[str]) -> str:
        text = html.escape(html.unescape(m.group(2)), quote=False)
        return f'<path {m.group(1)}aria-label="{m.group(2)}"{m.group(3)}><title>{text}</title></path>'

    svg = _MARK_WITH_LABEL.sub(add_title, svg)
    # The root's xmlns are namespace names, not loads; drop them anyway (inline SVG in HTML doesn't need them)
    # so that a scan for http(s) loads in the report stays simple.
    svg = svg.replace(' xmlns="http://www.w3.org/2000/svg"', "").replace(
        ' xmlns:xlink="http://www.w3.org/1999/xlink"', ""
    )
    return svg


# ---------------------------------------------------------------- HTML

CSS = """
:root { --fg:#1d2329; --muted:#5b6570; --line:#dde2e6; --bg:#f6f7f9; --accent:#0b57d0; --high:#c0392b; }
* { box-sizing: border-box; }
body { margin:0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color:var(--fg); background:var(--bg); }
header { background:#1d2a38; color:#fff; padding:18px 32px; }
header h1 { margin:0 0 4px; font-size:22px; font-weight:600; }
header .meta { color:#c9d3dd; font-size:13px; }
main { max-width:1040px; margin:0 auto; padding:16px 32px 48px; }
nav.toc { font-size:13px; margin:8px 0 4px; }
nav.toc a { margin-right:12px; white-space:nowrap; }
section { background:#fff; border:1px solid var(--line); border-radius:6px; padding:16px 20px; margin:18px 0; }
section > h2 { margin:0 0 10px; font-size:18px; }
h3 { margin:0; font-size:16px; }
.metric { border-top:1px solid var(--line); padding-top:14px; margin-top:14px; }
.metric:first-of-type { border-top:0; margin-top:0; padding-top:0; }
.metric .sub { color:var(--muted); font-size:13px; margin:2px 0 6px; }
.metric .high { color:var(--high); font-weight:600; }
.chart svg { max-width:100%; height:auto; display:block; }
.chart svg path[role="graphics-symbol"] { cursor:help; }
.hint { margin:0; font-size:12.5px; color:var(--muted); }
.legend { display:flex; flex-wrap:wrap; gap:6px 18px; font-size:12.5px; color:var(--muted); align-items:center; }
.legend span { display:inline-flex; align-items:center; gap:5px; }
.cards { display:flex; gap:12px; flex-wrap:wrap; }
.card { flex:1 1 120px; background:var(--bg); border-radius:6px; padding:8px 12px; }
.card b { display:block; font-size:20px; }
.card small { color:var(--muted); }
table { border-collapse:collapse; width:100%; font-size:13px; }
th, td { text-align:left; vertical-align:top; padding:5px 8px; border-bottom:1px solid var(--line); }
th { background:var(--bg); font-weight:600; white-space:nowrap; }
td.num, th.num { text-align:right; white-space:nowrap; font-variant-numeric:tabular-nums; }
td.sentence { color:#333; max-width:420px; }
tr.group-start td { border-top:2px solid #c5ccd3; }
.tag { display:inline-block; font-size:11px; padding:0 6px; border-radius:9px; background:#eef1f4; color:#39434d;
       margin-left:4px; white-space:nowrap; }
.tag.planned { background:#fff4d6; color:#7a5600; }
.tag.denied { background:#fde2e1; color:#8f1d17; }
.giver { margin:0 0 3px; }
details { margin-top:6px; }
summary { cursor:pointer; color:var(--accent); font-size:13px; }
.empty { color:var(--muted); font-style:italic; }
a { color:var(--accent); text-decoration:none; }
a:hover { text-decoration:underline; }
footer { color:var(--muted); font-size:12px; text-align:center; margin:24px 0; }
@media print {
  body { background:#fff; }
  section { border:0; padding:0; page-break-inside:auto; }
  .metric { page-break-inside:avoid; }
  details { display:none; }
  header { background:#fff; color:#000; padding:0 0 8px; border-bottom:2px solid #000; }
  header .meta { color:#333; }
}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def _status_tag(status: str | None) -> str:
    if not status or status == "reported":
        return ""
    return f'<span class="tag {esc(status)}">{esc(status)}</span>'


def _qualifier_tag(q: str | None) -> str:
    return f'<span class="tag">{esc((q or "").replace("_", " "))}</span>' if q and q != "exact" else ""


def _legend() -> str:
    def sym(shape: str, color: str, filled: bool) -> str:
        fill = color if filled else "none"
        if shape == "circle":
            body = f'<circle cx="7" cy="7" r="5" fill="{fill}" stroke="{color}" stroke-width="1.6"/>'
        elif shape == "triangle-up":
            body = f'<path d="M7 1.5 L12.5 12 L1.5 12 Z" fill="{fill}" stroke="{color}" stroke-width="1.6"/>'
        else:
            body = f'<path d="M7 1v12M1 7h12" stroke="{color}" stroke-width="3"/>'
        return f'<svg width="14" height="14" aria-hidden="true">{body}</svg>'

    items = [
        f"<span>{sym('circle', c, True)}{esc(q.replace('_', ' '))}</span>" for q, c in QUALIFIER_COLORS.items()
    ]
    items += [
        f"<span>{sym('circle', '#555', True)}reported</span>",
        f"<span>{sym('triangle-up', '#555', False)}planned</span>",
        f"<span>{sym('cross', '#555', False)}denied</span>",
        f'<span><svg width="22" height="14" aria-hidden="true"><path d="M1 11h8V4h12" fill="none" '
        f'stroke="{HIGH_COLOR}" stroke-width="2"/></svg>running high</span>',
        "<span>│ vertical bar: a range (low–high)</span>",
    ]
    return (
        '<p class="hint"><b>Colour</b> = qualifier, <b>shape</b> = status; hover a point for its source, '
        "claimant, language and sentence. The running high ignores claims that were only ever quoted to be "
        "denied.</p>"
        f'<div class="legend" style="margin-top:4px">{"".join(items)}</div>'
    )


def _statements_table(m: Metric) -> str:
    rows = []
    for p in m.points:
        rows.append(
            "<tr>"
            f'<td>{esc(fmt_day(p["dated"]))}{" <small>(fetched)</small>" if p["undated"] else ""}</td>'
            f'<td class="num">{esc(fmt_figure(p["value"], p["qualifier"], p["low"]))}</td>'
            f"<td>{esc(p['qualifier'])}{_status_tag(p['status'])}</td>"
            f"<td>{esc(p['attribution'] or '—')}</td>"
            f"<td>{esc(p['lang'] or '?')}</td>"
            f"<td>{link(p['uri'], p['title'], 60)}</td>"
            f'<td class="sentence">{esc(shorten(p["sentence"], 300))}</td>'
            "</tr>"
        )
    return (
        f"<details><summary>All {len(m.points)} statement(s)</summary><table>"
        '<tr><th>published</th><th class="num">figure</th><th>qualifier / status</th><th>claimant</th>'
        "<th>lang</th><th>source</th><th>sentence</th></tr>" + "".join(rows) + "</table></details>"
    )


def _metric_section(m: Metric, domain: tuple[date, date]) -> str:
    langs = sorted({p["lang"] or "?" for p in m.points})
    sources = {p["uri"] for p in m.points}
    high_pts = [p for p in m.points if p["counts"] and p["value"] == m.high]
    high_note = ""
    if high_pts:
        hp = high_pts[0]
        high_note = (
            f" ({esc(hp['qualifier'].replace('_', ' '))}{', ' + esc(hp['status']) if hp['status'] != 'reported' else ''}"
            f", {esc(hp['attribution'] or 'claimant not stated')}, "
            f"{esc('no publication date' if hp['undated'] else fmt_day(hp['dated']))})"
        )
    elif m.start_high is not None:
        high_note = " (from before the report window)"
    high_text = f"high {fmt_num(m.high)}" if m.high is not None else "no high (denied figures only)"
    sub = (
        f'<span class="high">{esc(high_text)}</span>{high_note} · {len(m.points)} statement(s) '
        f"from {len(sources)} document(s) · languages: {esc(', '.join(langs) or '—')}"
    )
    chart = render_svg(chart_spec(m, domain)) if m.points or m.start_high is not None else ""
    return (
        f'<div class="metric" id="{esc(m.anchor)}">'
        f'<h3>{esc(category_label(m.key[0]))} <small>· {esc(direction_label(m.key[1], m.key[2], long=True))} '
        f"({esc(direction_label(m.key[1], m.key[2]))})</small></h3>"
        f'<div class="sub">{sub}</div>'
        f'<div class="chart">{chart}</div>'
        f"{_statements_table(m) if m.points else ''}"
        "</div>"
    )


def _disagreements_section(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return '<p class="empty">No disagreements: no metric has two different figures in the same month.</p>'
    out = [
        '<p>Months in which a metric was given more than one figure, and who gave each (by publication date; '
        'documents without one are left out).</p><table class="disagreements">'
        '<tr><th>metric</th><th>month</th><th class="num">figure</th><th>given by</th></tr>'
    ]
    prev = None
    for r in rows:
        group = (r["category"], r["supplier"], r["recipient"], r["month"])
        first = group != prev
        prev = group
        givers = []
        for g in r["givers"]:
            who = esc(g["attribution"] or "claimant not stated")
            givers.append(
                f'<div class="giver"><b>{who}</b> · {esc(g["lang"] or "?")} · {esc(fmt_day(g["dated"]))} · '
                f"{link(g['uri'], g['title'], 70)}{_qualifier_tag(g['qualifier'])}{_status_tag(g['status'])}</div>"
            )
        lead = (
            f'<td rowspan="{r["figures"]}">{esc(metric_label(r["category"], r["supplier"], r["recipient"]))}</td>'
            f'<td rowspan="{r["figures"]}">{esc(r["month"])}</td>'
            if first
            else ""
        )
        out.append(
            f'<tr class="{"group-start" if first else ""}">{lead}'
            f'<td class="num">{esc(fmt_num(r["value"]))}</td><td>{"".join(givers)}</td></tr>'
        )
    out.append("</table>")
    return "".join(out)


def _alerts_section(alerts: list[dict[str, Any]] | None) -> str:
    if not alerts:
        return '<p class="empty">No alerts yet.</p>'
    out = [
        '<table class="alerts"><tr><th>raised</th><th>metric</th><th class="num">new high</th>'
        '<th class="num">previous</th><th>evidence</th></tr>'
    ]
    for a in alerts:
        metric = metric_label(a.get("category") or "?", a.get("supplier"), a.get("recipient"))
        created = a.get("created_at")
        kind = a.get("kind")
        value = a.get("value")
        out.append(
            "<tr>"
            f"<td>{esc(created.strftime('%Y-%m-%d %H:%M') if isinstance(created, datetime) else created)}"
            f"{' <span class=tag>' + esc(kind) + '</span>' if kind else ''}</td>"
            f"<td>{esc(metric)}</td>"
            f'<td class="num">{esc(fmt_figure(value, a.get("qualifier")) if value is not None else "")}'
            f"{_status_tag(a.get('status'))}</td>"
            f'<td class="num">{esc(fmt_num(a.get("previous_high")) or "—")}'
            f"{'<br><small>' + esc(a['previous_claimant']) + '</small>' if a.get('previous_claimant') else ''}</td>"
            f'<td class="sentence">“{esc(shorten(a.get("evidence_sentence"), 300))}”<br>'
            f"<small>{esc(a.get('evidence_attribution') or 'claimant not stated')} · "
            f"{esc(a.get('evidence_lang') or '?')} · {link(a.get('evidence_uri'), a.get('evidence_title'), 70)}"
            "</small></td></tr>"
        )
    out.append("</table>")
    return "".join(out)


def _source_name(r: dict[str, Any]) -> str:
    sid = r.get("source_id")
    if r.get("name"):
        return esc(r["name"])
    if not sid:
        return '<span class="empty">no source</span>'
    if sid.startswith("seeds:"):
        return "seed folder " + esc(sid[6:])
    return esc(shorten(sid, 70))


def _sources_section(panel: dict[str, list[dict[str, Any]]]) -> str:
    docs, fails = panel["documents"], panel["failures"]
    out = ["<h3>Documents per source and language</h3>"]
    if docs:
        out.append(
            '<table class="sources"><tr><th>source</th><th>kind</th><th>lang</th><th class="num">documents</th>'
            '<th class="num">with claims</th><th class="num">duplicates</th><th>published</th></tr>'
        )
        for r in docs:
            span = f"{fmt_day(r['first_published'])} – {fmt_day(r['last_published'])}" if r["first_published"] else ""
            out.append(
                f"<tr><td>{_source_name(r)}</td><td>{esc(r['kind'] or '')}</td><td>{esc(r['lang'])}</td>"
                f'<td class="num">{r["documents"]}</td><td class="num">{r["with_claims"]}</td>'
                f'<td class="num">{r["duplicates"]}</td><td>{esc(span)}</td></tr>'
            )
        out.append("</table>")
    else:
        out.append('<p class="empty">No documents yet.</p>')
    out.append('<h3 style="margin-top:14px">Failures per source</h3>')
    if fails:
        out.append(
            '<table class="failures"><tr><th>source</th><th>stage</th><th class="num">failures</th>'
            "<th>last</th><th>last reason</th></tr>"
        )
        for r in fails:
            out.append(
                f"<tr><td>{_source_name(r)}</td><td>{esc(r['stage'])}</td><td class=\"num\">{r['failures']}</td>"
                f"<td>{esc(r['last_at'].strftime('%Y-%m-%d %H:%M') if r['last_at'] else '')}</td>"
                f"<td>{esc(shorten(r['last_reason'], 160))}<br><small>{esc(shorten(r['last_uri'], 100))}</small></td></tr>"
            )
        out.append("</table>")
    else:
        out.append('<p class="empty">No failures.</p>')
    return "".join(out)


def render_html(data: ReportData) -> str:
    domain = _time_domain(data)
    t = data.totals
    scope = []
    if data.since:
        scope.append(f"published since {data.since.isoformat()}")
    if data.metric_filters:
        scope.append("metrics: " + ", ".join(data.metric_filters))
    cards = [
        (t["documents"], "documents"),
        (t["claims"], "distinct claims"),
        (t["metrics"], "metrics"),
        (len({(r["category"], r["supplier"], r["recipient"], r["month"]) for r in data.disagreements}),
         "disputed metric-months"),
        (t["failures"], "failures"),
    ]
    period = ""
    if t.get("first_published"):
        period = f" · articles published {fmt_day(t['first_published'])} – {fmt_day(t['last_published'])}"
    toc = "".join(f'<a href="#{esc(m.anchor)}">{esc(m.label)}</a>' for m in data.metrics)
    metrics_html = (
        "".join(_metric_section(m, domain) for m in data.metrics)
        if data.metrics
        else '<p class="empty">No claims match.</p>'
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>claimwatch report · {esc(data.generated_at.strftime('%Y-%m-%d'))}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>claimwatch report</h1>
<div class="meta">Figures on transfers to Russia from North Korea and other watched suppliers · generated
{esc(data.generated_at.strftime('%Y-%m-%d %H:%M UTC'))} from {esc(data.db_label)}{esc(period)}
{('<br>Scope: ' + esc('; '.join(scope))) if scope else ''}</div>
</header>
<main>
<section class="overview">
<div class="cards">{"".join(f'<div class="card"><b>{esc(fmt_num(v))}</b><small>{esc(k)}</small></div>' for v, k in cards)}</div>
<nav class="toc"><b>Metrics:</b> {toc or '<span class="empty">none</span>'} ·
<a href="#disagreements">Disagreements</a> <a href="#alerts">Alerts</a> <a href="#sources">Sources</a></nav>
</section>
<section id="timelines">
<h2>Timelines</h2>
{_legend()}
{metrics_html}
</section>
<section id="disagreements">
<h2>Disagreements</h2>
{_disagreements_section(data.disagreements)}
</section>
<section id="alerts">
<h2>Latest alerts</h2>
{_alerts_section(data.alerts)}
</section>
<section id="sources">
<h2>Sources</h2>
{_sources_section(data.sources)}
</section>
<footer>claimwatch · self-contained report: no scripts, nothing loaded from the network.</footer>
</main>
</body>
</html>
"""


@dataclass
class ReportResult:
    path: Path
    metrics: int
    points: int
    disagreements: int
    alerts: int | None
    bytes: int


def write_report(
    db: str | None, out: str | Path, since: date | None = None, metrics: Sequence[str] = (), wait_s: float = 30.0
) -> ReportResult:
    """Read the database (read-only) and write the HTML report to `out`."""
    from storage.db import db_path, reader

    with reader(db, wait_s=wait_s) as con:
        data = load(con, since, metrics, db_label=str(db_path(db)))
    text = render_html(data)
    path = Path(out)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    groups: dict[tuple, int] = defaultdict(int)
    for r in data.disagreements:
        groups[(r["category"], r["supplier"], r["recipient"], r["month"])] += 1
    return ReportResult(
        path=path,
        metrics=len(data.metrics),
        points=sum(len(m.points) for m in data.metrics),
        disagreements=len(groups),
        alerts=None if data.alerts is None else len(data.alerts),
        bytes=len(text.encode("utf-8")),
    )
