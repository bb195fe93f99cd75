"""Alert messages: pure functions from alert rows to subject, text, HTML and Slack blocks. No I/O."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.alerts import Alert

# ISO 3166 alpha-2 -> (adjective, name)
COUNTRIES: dict[str, tuple[str, str]] = {
    "KP": ("North Korean", "North Korea"),
    "KR": ("South Korean", "South Korea"),
    "RU": ("Russian", "Russia"),
    "IR": ("Iranian", "Iran"),
    "BY": ("Belarusian", "Belarus"),
    "CN": ("Chinese", "China"),
    "UA": ("Ukrainian", "Ukraine"),
    "SY": ("Syrian", "Syria"),
    "US": ("American", "the United States"),
}

# category -> (noun, preposition before the recipient)
_NOUNS: dict[str, tuple[str, str]] = {
    "troops": ("troops", "in"),
    "workers": ("workers", "in"),
    "casualties": ("casualties", "fighting for"),
    "artillery_shells": ("artillery shells", "sent to"),
    "missiles": ("missiles", "sent to"),
    "artillery_systems": ("artillery systems", "sent to"),
    "containers": ("containers", "shipped to"),
    "drones": ("drones", "sent to"),
    "air_defense_systems": ("air-defence systems", "sent to"),
    "petroleum": ("oil", "shipped to"),
}

_QUALIFIER_WORDS = {"approx": "about", "at_least": "at least", "at_most": "up to"}
_LANGUAGES = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
    "ru": "Russian", "uk": "Ukrainian", "ko": "Korean", "ja": "Japanese", "zh": "Chinese", "pl": "Polish",
    "nl": "Dutch",
}


def metric_words(category: str, supplier: str | None, recipient: str | None) -> str:
    """("troops", "KP", "RU") -> "North Korean troops in Russia"."""
    noun, prep = _NOUNS.get(category, (category.replace("_", " "), "to"))
    adj = COUNTRIES.get(supplier or "", (supplier or "", ""))[0]
    dest = COUNTRIES.get(recipient or "", ("", recipient or ""))[1]
    if category == "petroleum":
        src = COUNTRIES.get(supplier or "", ("", supplier or "?"))[1]
        return f"oil from {src} to {dest or '?'}"
    head = f"{adj} {noun}".strip() if adj else f"{noun} from {supplier or '?'}"
    return f"{head} {prep} {dest}" if dest else f"{head} (recipient unknown)"


def number(v: float | None) -> str:
    if v is None:
        return "?"
    f = float(v)
    return f"{int(f):,}" if f.is_integer() else f"{f:,.2f}".rstrip("0").rstrip(".")


def figure(value: float, qualifier: str | None, low: float | None = None) -> str:
    """14000, "approx" -> "about 14,000"; range -> "10,000-12,000"."""
    if qualifier == "range" and low is not None:
        return f"{number(low)}-{number(value)}"
    word = _QUALIFIER_WORDS.get(qualifier or "")
    return f"{word} {number(value)}" if word else number(value)


def day(ts: datetime | None) -> str:
    return ts.date().isoformat() if ts else "undated"


def language(code: str | None) -> str:
    if not code or code == "unknown":
        return "unknown language"
    return f"{_LANGUAGES.get(code, code)} ({code})"


@dataclass(frozen=True, slots=True)
class Message:
    """One rendered message: email subject, text and HTML parts, Slack fallback text and blocks."""

    subject: str
    text: str
    html: str
    slack_text: str
    blocks: list[dict[str, Any]]
    key: str  # idempotency key, shown in every rendering


def headline(a: Alert) -> str:
    """The one line that says it all, used as email subject and Slack fallback."""
    what = metric_words(a.category, a.supplier, a.recipient)
    new = figure(a.value, a.qualifier, a.low)
    planned = ", planned" if a.status == "planned" else ""
    if a.kind == "new_metric" or a.previous_high is None:
        return f"{what}: first figure {new}{planned} (new metric)"
    who = a.previous_claimant or a.previous_title or "unknown source"
    return f"{what}: new high {new}{planned} (previous {number(a.previous_high)}, {who}, {day(a.previous_published_at)})"


def _facts(a: Alert) -> list[tuple[str, str]]:
    status = a.status + (" (not yet delivered: the figure is announced or expected)" if a.status == "planned" else "")
    facts = [
        ("Metric", metric_words(a.category, a.supplier, a.recipient)),
        ("New value", f"{figure(a.value, a.qualifier, a.low)} (qualifier: {a.qualifier}, status: {status})"),
    ]
    if a.previous_high is not None:
        prev = f"{figure(a.previous_high, a.previous_qualifier)}"
        if a.previous_status == "planned":
            prev += " (planned)"
        facts.append(
            ("Previous high", f"{prev}, {a.previous_claimant or 'claimant unknown'}, {day(a.previous_published_at)}")
        )
        facts.append(("Previous source", f"{a.previous_title or 'untitled'} <{a.previous_uri or '?'}>"))
    else:
        facts.append(("Previous high", "none: first figure for this metric"))
    facts += [
        ("Claimant", a.attribution or "not stated"),
        ("Published", day(a.published_at)),
    ]
    if a.period:
        facts.append(("Period", a.period))
    facts += [
        ("Article", a.title or "untitled"),
        ("URL", a.uri or "?"),
        ("Language", language(a.lang)),
    ]
    return facts


def render(a: Alert) -> Message:
    subject = headline(a)
    facts = _facts(a)
    sentence = a.sentence or ""
    text = "\n".join(
        [subject, "", *(f"{k}: {v}" for k, v in facts), "", f"Sentence ({a.lang or '?'}):", f"  {sentence}", "",
         f"claimwatch alert {a.id}"]
    )
    rows = "".join(f"<tr><th align='left'>{html.escape(k)}</th><td>{_html_value(k, v, a)}</td></tr>" for k, v in facts)
    body_html = (
        f"<html><body><h2>{html.escape(subject)}</h2><table>{rows}</table>"
        f"<blockquote lang='{html.escape(a.lang or '')}'>{html.escape(sentence)}</blockquote>"
        f"<p><small>claimwatch alert {html.escape(a.id)}</small></p></body></html>"
    )
    return Message(subject, text, body_html, subject, _blocks(a, subject, facts, sentence), a.id)


def _html_value(key: str, value: str, a: Alert) -> str:
    if key == "URL" and a.uri:
        return f"<a href='{html.escape(a.uri, quote=True)}'>{html.escape(a.uri)}</a>"
    if key == "Previous source" and a.previous_uri:
        return (
            f"{html.escape(a.previous_title or 'untitled')} "
            f"<a href='{html.escape(a.previous_uri, quote=True)}'>{html.escape(a.previous_uri)}</a>"
        )
    return html.escape(value)


def _mrkdwn(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str | None, label: str | None) -> str:
    if not url:
        return _mrkdwn(label or "?")
    safe = url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C")
    return f"<{safe}|{_mrkdwn(label or url)}>"


def _blocks(a: Alert, subject: str, facts: list[tuple[str, str]], sentence: str) -> list[dict[str, Any]]:
    fields = []
    for k, v in facts:
        if k in ("Article", "URL", "Previous source"):
            continue
        fields.append({"type": "mrkdwn", "text": f"*{_mrkdwn(k)}*\n{_mrkdwn(v)}"[:2000]})
    if a.previous_uri:
        fields.append({"type": "mrkdwn", "text": f"*Previous source*\n{_link(a.previous_uri, a.previous_title)}"[:2000]})
    return [
        {"type": "header", "text": {"type": "plain_text", "text": subject[:150]}},
        {"type": "section", "fields": fields[:10]},
        {"type": "section", "text": {"type": "mrkdwn", "text": f"> {_mrkdwn(sentence)}"[:3000]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*Article:* {_link(a.uri, a.title)}"[:3000]}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": f"claimwatch alert `{a.id}`"}]},
    ]


def render_digest(alerts: Sequence[Alert], key: str) -> Message:
    """One message listing every new high of a run."""
    if len(alerts) == 1:
        m = render(alerts[0])
        return Message(m.subject, m.text, m.html, m.slack_text, m.blocks, key)
    subject = f"claimwatch: {len(alerts)} new highs — " + "; ".join(
        f"{metric_words(a.category, a.supplier, a.recipient)} {figure(a.value, a.qualifier, a.low)}" for a in alerts[:3]
    ) + ("; ..." if len(alerts) > 3 else "")
    parts = [render(a) for a in alerts]
    text = "\n\n".join([subject, *(p.text for p in parts), f"claimwatch digest {key}"])
    body_html = (
        f"<html><body><h1>{html.escape(subject)}</h1>"
        + "<hr>".join(p.html.removeprefix("<html><body>").removesuffix("</body></html>") for p in parts)
        + f"<p><small>claimwatch digest {html.escape(key)}</small></p></body></html>"
    )
    blocks: list[dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text", "text": subject[:150]}}]
    for p in parts:
        if len(blocks) + len(p.blocks) + 2 > 50:  # Slack accepts at most 50 blocks
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "_more in `claimwatch alerts`_"}})
            break
        blocks.append({"type": "divider"})
        blocks += p.blocks
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"claimwatch digest `{key}`"}]})
    return Message(subject[:250], text, body_html, subject, blocks, key)


def render_test(channel: str) -> Message:
    subject = f"claimwatch test message ({channel})"
    text = f"{subject}\n\nIf you can read this, claimwatch can alert you on {channel}."
    return Message(
        subject, text, f"<html><body><p>{html.escape(text)}</p></body></html>", subject,
        [{"type": "section", "text": {"type": "mrkdwn", "text": _mrkdwn(text)}}], f"test-{channel}",
    )
