"""Message rendering: pure functions, tested directly."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

from flows.notify.render import figure, headline, metric_words, render, render_digest
from storage.alerts import Alert

ALERT = Alert(
    id="a1b2c3", claim_id="c1", kind="new_high", category="troops", supplier="KP", recipient="RU", value=14000.0,
    low=None, qualifier="approx", status="reported", attribution="NIS",
    period=None, sentence="Около 14 000 северокорейских военных находятся в Курской области.", lang="ru",
    document_id="d1", title="КНДР <усилила> контингент", uri="https://example.org/news?id=1&x=<2>",
    published_at=datetime(2024, 12, 2, 9, 0), previous_high=12000.0, previous_claim_id="c0",
    previous_qualifier="exact", previous_status="reported", previous_claimant="Pentagon",
    previous_title="Pentagon briefing", previous_uri="https://example.org/pentagon",
    previous_published_at=datetime(2024, 11, 18), run_id="r", created_at=datetime(2024, 12, 2, 10, 0),
)


def test_metric_in_words() -> None:
    assert metric_words("troops", "KP", "RU") == "North Korean troops in Russia"
    assert metric_words("artillery_shells", "KP", "RU") == "North Korean artillery shells sent to Russia"
    assert metric_words("drones", "IR", "RU") == "Iranian drones sent to Russia"
    assert metric_words("petroleum", "RU", "KP") == "oil from Russia to North Korea"
    assert metric_words("troops", None, "RU") == "troops from ? in Russia"


def test_figures_carry_their_qualifier() -> None:
    assert figure(14000, "exact") == "14,000"
    assert figure(14000, "approx") == "about 14,000"
    assert figure(12000, "range", low=10000) == "10,000-12,000"
    assert figure(1_500_000, "at_least") == "at least 1,500,000"


def test_subject_says_it_all() -> None:
    exact = replace(ALERT, qualifier="exact")
    assert headline(exact) == "North Korean troops in Russia: new high 14,000 (previous 12,000, Pentagon, 2024-11-18)"
    assert headline(replace(ALERT, status="planned")).startswith(
        "North Korean troops in Russia: new high about 14,000, planned (previous 12,000"
    )
    new_metric = replace(ALERT, kind="new_metric", previous_high=None, category="drones")
    assert headline(new_metric) == "North Korean drones sent to Russia: first figure about 14,000 (new metric)"
    # no claimant for the previous high: its source stands in
    assert "(previous 12,000, Pentagon briefing, 2024-11-18)" in headline(replace(ALERT, previous_claimant=None))


def test_text_html_and_slack_carry_the_evidence() -> None:
    m = render(ALERT)
    for part in (m.text, json.dumps(m.blocks, ensure_ascii=False)):
        assert "about 14,000" in part and "12,000" in part and "Pentagon" in part
        assert ALERT.sentence in part  # the sentence, in its original language
        assert "2024-11-18" in part and "https://example.org/pentagon" in part
        assert "Russian (ru)" in part and "a1b2c3" in part
    assert "https://example.org/news?id=1&x=<2>" in m.text and "КНДР <усилила> контингент" in m.text
    # HTML: escaped, with a link to the article
    assert "href='https://example.org/news?id=1&amp;x=&lt;2&gt;'" in m.html
    assert "КНДР &lt;усилила&gt; контингент" in m.html and "<усилила>" not in m.html
    assert ALERT.sentence in m.html and "qualifier: approx" in m.html
    # Slack: blocks, mrkdwn escaped, a header that fits Slack's 150 characters
    assert m.blocks[0]["type"] == "header" and len(m.blocks[0]["text"]["text"]) <= 150
    article_block = json.dumps(m.blocks[3], ensure_ascii=False)
    assert "<https://example.org/news?id=1&x=%3C2%3E|КНДР &lt;усилила&gt; контингент>" in article_block


def test_planned_is_flagged_in_every_part() -> None:
    m = render(replace(ALERT, status="planned"))
    assert "status: planned" in m.text and "planned" in m.subject and "status: planned" in json.dumps(m.blocks)


def test_digest_lists_every_alert_under_one_key() -> None:
    second = replace(ALERT, id="z9", category="missiles", value=250.0, qualifier="exact", previous_high=100.0)
    m = render_digest([ALERT, second], "digest-k")
    assert m.subject.startswith("claimwatch: 2 new highs")
    assert "North Korean missiles sent to Russia 250" in m.subject
    assert "about 14,000" in m.text and "a1b2c3" in m.text and "z9" in m.text and "digest-k" in m.text
    assert m.key == "digest-k" and len(m.blocks) <= 50
