"""`claimwatch run --feed`, `feeds import/list` and `check-sources`, in a subprocess as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from conftest import ROOT, run_cli
from support.feedserver import FeedServer, Resp, article, rss

DATA = ROOT / "tests" / "data" / "feeds"


def test_run_feed_stores_articles_and_a_second_run_fetches_none(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.duckdb")
    with FeedServer() as srv:
        text = ("North Korea has sent more than 11,000 troops to Russia, South Korean intelligence said.\n\n"
                "Pyongyang also shipped about 9 million artillery shells, officials added.")
        srv.add("/a/1", Resp(body=article("Troops", text, date="2024-12-02")))
        srv.add("/feed.xml", Resp(body=rss([{"title": "Troops", "link": srv.url("/a/1"), "guid": "1"}]),
                                  content_type="application/rss+xml", etag='"e1"'))
        args = ("run", "--feed", srv.url("/feed.xml"), "--allow-private", "--db", db, "--no-progress")
        r = run_cli(*args, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        assert "1 stored" in r.stdout and srv.count("/a/1") == 1
        r = run_cli(*args, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        assert "1 not modified" in r.stdout and srv.count("/a/1") == 1
    con = duckdb.connect(db, read_only=True)
    docs = con.execute("SELECT lang, published_at::DATE::VARCHAR, text <> '' FROM documents").fetchall()
    claims = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
    last = con.execute("SELECT last_status, consecutive_errors FROM sources WHERE kind = 'feed'").fetchone()
    con.close()
    assert docs == [("en", "2024-12-02", True)] and claims >= 1
    assert last == ("304", 0)


def test_feeds_import_and_list(tmp_path: Path) -> None:
    db = str(tmp_path / "f.duckdb")
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>subs</title></head><body>'
        '<outline text="News"><outline text="Example" type="rss" xmlUrl="https://news.example/rss"/>'
        '<outline text="Other" xmlUrl="https://other.example/atom.xml"/></outline>'
        '<outline text="bad" xmlUrl="ftp://nope.example/feed"/></body></opml>', encoding="utf-8")
    r = run_cli("feeds", "import", str(opml), "--db", db, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "imported 2 feed(s)" in r.stdout and "ftp://nope.example/feed" in r.stdout
    r = run_cli("feeds", "list", "--db", db, "--format", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert [(x["url"], x["name"], x["origin"]) for x in rows] == [
        ("https://news.example/rss", "Example", "opml"), ("https://other.example/atom.xml", "Other", "opml")]
    assert {"last_status", "consecutive_errors", "last_error", "next_poll_at"} <= set(rows[0])
    r = run_cli("feeds", "import", str(tmp_path / "missing.opml"), "--db", db, cwd=tmp_path)
    assert r.returncode != 0 and "missing.opml" in r.stderr and "Traceback" not in r.stderr


def test_check_sources_prints_one_line_per_file(tmp_path: Path) -> None:
    r = run_cli("check-sources", str(DATA), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    files = sorted(p.name for p in DATA.iterdir() if p.is_file())
    assert len(lines) == len(files) + 1
    by_name = {ln.split()[1]: ln for ln in lines[:-1]}
    assert set(by_name) == set(files)
    assert by_name["empty_channel.xml"].startswith("fail") and "empty channel" in by_name["empty_channel.xml"]
    assert by_name["gzip_cp1251.xml.gz"].startswith("ok") and "2 entries" in by_name["gzip_cp1251.xml.gz"]
    assert by_name["bozo_bare_ampersand.xml"].startswith("ok") and "bozo" in by_name["bozo_bare_ampersand.xml"]
    r = run_cli("check-sources", str(ROOT / "tests" / "data" / "pages"), cwd=tmp_path)
    assert r.returncode == 0 and "lang" in r.stdout
