"""`claimwatch report` on the ledger of the bundled seeds (ingested through the real flow)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flows.report import slug, write_report
from storage.db import reader

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_harness")]


def test_report_of_the_seeds_has_a_timeline_per_metric(seeds_dir: Path, db_file: str, tmp_path: Path) -> None:
    from flows.ingest import ingest_seeds

    ingest_seeds(str(seeds_dir), db_file)
    with reader(db_file) as con:
        metrics = con.execute("SELECT DISTINCT category, supplier, recipient FROM claims").fetchall()
        statements = con.execute("SELECT count(DISTINCT (document_id, claim_id)) FROM mentions").fetchone()[0]
    assert metrics

    r = write_report(db_file, tmp_path / "report.html")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert r.metrics == len(metrics) and r.points == statements
    for cat, sup, rec in metrics:
        section = re.search(rf'<div class="metric" id="m-{slug(cat, sup, rec)}">(.*?)</details>', html, re.S)
        assert section, (cat, sup, rec)
        assert re.search(r'<svg[^>]*class="marks"', section.group(1)), (cat, sup, rec)
    assert len(re.findall(r'aria-roledescription="point"', html)) == statements
    assert '<section id="disagreements">' in html and '<section id="sources">' in html
    assert "<script" not in html
