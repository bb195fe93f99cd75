"""The report in a real browser: headless Chromium, offline, must draw every chart.

Chromium comes from Debian's `chromium` package: found on PATH (or $CHROMIUM),
else installed by tools/ensure-chromium.sh when running as root. Without it the
test fails: the report must be seen to render.

Checks: the DOM after parsing holds the expected SVG marks (4 charts, one point
per statement, each with its hover <title>); and a screenshot of the report,
compared with one of the same page with the chart SVGs removed, shows each
qualifier's colour and the running-high line only when the charts are there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT
from pngcheck import color_pixels, non_background_pixels, read_png
from reportdata import build_report_db

from flows.report import HIGH_COLOR, QUALIFIER_COLORS, write_report

pytestmark = pytest.mark.slow

WINDOW = "1200,3000"


def _find_chromium() -> str | None:
    for c in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "/usr/bin/chromium"):
        if c and (path := shutil.which(c)):
            return path
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    path = _find_chromium()
    if path is None and hasattr(os, "geteuid") and os.geteuid() == 0:
        r = subprocess.run(
            ["bash", str(ROOT / "tools" / "ensure-chromium.sh")], capture_output=True, text=True, timeout=900
        )
        path = r.stdout.strip().splitlines()[-1] if r.returncode == 0 and r.stdout.strip() else None
    if path is None:
        pytest.fail("chromium not available (run tools/ensure-chromium.sh as root)")
    return path


def _run(chromium: str, tmp: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--hide-scrollbars", "--force-device-scale-factor=1",
        # Offline: any network load would go to a dead proxy (the report must need none).
        "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
        f"--user-data-dir={tmp / 'profile'}", *args, url,
    ]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=tmp)
    assert r.returncode == 0, r.stderr[-2000:]
    return r


def _screenshot(chromium: str, tmp: Path, page: Path, name: str):  # -> np.ndarray
    png = tmp / name
    _run(chromium, tmp, page.as_uri(), f"--screenshot={png}", f"--window-size={WINDOW}")
    assert png.exists(), f"chromium wrote no screenshot {png}"
    return read_png(png)


def _rgb(hex_color: str) -> tuple[int, int, int]:
    return (int(hex_color[1:3], 16), int(hex_color[3:5], 16), int(hex_color[5:7], 16))


def test_charts_render_in_headless_chromium(chromium: str, tmp_path: Path) -> None:
    db = build_report_db(tmp_path / "report.duckdb")
    page = tmp_path / "report.html"
    write_report(db, page)
    text = page.read_text(encoding="utf-8")

    # 1. The DOM Chromium built: 4 charts, 10 points, each with its hover text.
    dom = _run(chromium, tmp_path, page.as_uri(), "--dump-dom").stdout
    assert len(re.findall(r'<svg[^>]*class="marks"', dom)) == 4
    points = re.findall(r'<path[^>]*aria-roledescription="point"[^>]*><title>([^<]+)</title></path>', dom)
    assert len(points) == 10
    assert all("claimant:" in t and "language:" in t and "source:" in t for t in points)

    # 2. Pixels: the report against the same page without its chart SVGs.
    bare = tmp_path / "bare.html"
    bare.write_text(re.sub(r'(<div class="chart">)<svg.*?</svg>(</div>)', r"\1\2", text, flags=re.S), "utf-8")
    with_charts = _screenshot(chromium, tmp_path, page, "report.png")
    without = _screenshot(chromium, tmp_path, bare, "bare.png")
    assert with_charts.shape[:2] == (3000, 1200)
    assert non_background_pixels(with_charts) > 0.03 * with_charts.shape[0] * with_charts.shape[1]

    # Points per qualifier in the test ledger; each drawn point is ~100 pixels of its colour
    # (the hollow planned/denied ones fewer); the legend swatches are on both pages.
    expected = {"exact": 4, "approx": 2, "at_least": 2, "at_most": 1, "range": 1}
    for qualifier, n in expected.items():
        rgb = _rgb(QUALIFIER_COLORS[qualifier])
        added = color_pixels(with_charts, rgb) - color_pixels(without, rgb)
        assert added >= 40 * n, f"{qualifier}: only {added} more pixels of {QUALIFIER_COLORS[qualifier]}"
    # The running-high step lines (drawn at 75% opacity on white), one per metric.
    step = tuple(round(0.75 * c + 0.25 * 255) for c in _rgb(HIGH_COLOR))
    added = color_pixels(with_charts, step) - color_pixels(without, step)
    assert added >= 4 * 300, f"running-high lines: only {added} pixels"
