"""The scheduled way to run claimwatch, for real: a Prefect server on loopback, the
work pool, `prefect deploy --all` from prefect.yaml, a worker, and the pipeline
polling a loopback feed server into a DuckDB file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from support.feedserver import FeedServer, Resp, article, rss
from support.prefect_server import PrefectServer

ROOT = Path(__file__).resolve().parents[2]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

ARTICLES = {
    "/a/troops.html": (
        "North Korea sends more troops",
        "South Korea's NIS said on Monday that North Korea has sent more than 11,000 soldiers to Russia.\n\n"
        "The troops were deployed to the Kursk region, officials said.",
    ),
    "/a/shells.html": (
        "Shells for Moscow",
        "Pyongyang has shipped about 20,000 containers of munitions to Russia since 2023, according to the report.",
    ),
}


@pytest.fixture(scope="module")
def feed_server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        for path, (title, body) in ARTICLES.items():
            srv.add(path, Resp(body=article(title, body, date="2025-03-01")))
        items = [
            {"title": t, "link": srv.url(p), "guid": p, "pubDate": "Sat, 01 Mar 2025 10:00:00 GMT"}
            for p, (t, _) in ARTICLES.items()
        ]
        srv.add("/feed.xml", Resp(body=rss(items), content_type="application/rss+xml", etag='"v1"'))
        yield srv


@pytest.fixture(scope="module")
def deployed(prefect_server: PrefectServer) -> PrefectServer:
    r = prefect_server.prefect("work-pool", "create", "claimwatch", "--type", "process")
    assert r.returncode == 0, r.stdout + r.stderr
    env_pwd = {**prefect_server.env, "PWD": str(ROOT)}
    r = subprocess.run(
        [str(Path(sys.executable).parent / "prefect"), "--no-prompt", "deploy", "--all"],
        cwd=ROOT, env=env_pwd, capture_output=True, text=True, timeout=300,
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return prefect_server


def _config(tmp_path: Path, feed_url: str) -> Path:
    cfg = tmp_path / "claimwatch.toml"
    cfg.write_text(
        f'[[feeds]]\nurl = "{feed_url}"\nname = "loopback"\n\n[fetch]\nallow_private = true\ntimeout_s = 10\n',
        encoding="utf-8",
    )
    return cfg


def _wait_state(server: PrefectServer, flow_run_id: str, timeout: float = 240) -> str:
    deadline = time.monotonic() + timeout
    state = ""
    while time.monotonic() < deadline:
        run = server.api("GET", f"/flow_runs/{flow_run_id}")
        state = run["state"]["type"]
        if state in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            return state
        time.sleep(1)
    return state


def test_deploy_creates_the_scheduled_deployments(deployed: PrefectServer) -> None:
    deployments = deployed.api("POST", "/deployments/filter", {})
    by_name = {d["name"]: d for d in deployments}
    assert {"pipeline", "alerts", "reprocess"} <= set(by_name)
    intervals = {n: [s["schedule"].get("interval") for s in by_name[n]["schedules"]] for n in by_name}
    assert intervals["pipeline"] == [900.0]
    assert intervals["alerts"] == [300.0]
    assert intervals["reprocess"] == []
    for name in ("pipeline", "alerts", "reprocess"):
        assert by_name[name]["work_pool_name"] == "claimwatch"
        assert by_name[name]["global_concurrency_limit"]["limit"] == 1
    pull = by_name["pipeline"]["pull_steps"][0]["prefect.deployments.steps.set_working_directory"]
    assert Path(pull["directory"]) == ROOT


def test_worker_runs_the_pipeline_against_a_loopback_feed(
    deployed: PrefectServer, feed_server: FeedServer, tmp_path: Path
) -> None:
    db = tmp_path / "scheduled.duckdb"
    cfg = _config(tmp_path, feed_server.url("/feed.xml"))
    r = deployed.prefect(
        "deployment", "run", "pipeline/pipeline",
        "--param", f"db={db}", "--param", f"config_path={cfg}", cwd=ROOT,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    flow_run_id = UUID.search(r.stdout).group(0)

    worker = deployed.start_worker("claimwatch", cwd=tmp_path, run_once=True)
    out, _ = worker.communicate(timeout=300)
    assert _wait_state(deployed, flow_run_id) == "COMPLETED", out[-4000:]

    run = deployed.api("GET", f"/flow_runs/{flow_run_id}")
    assert run["name"] == "pipeline-scheduled.duckdb"
    con = duckdb.connect(str(db), read_only=True)
    try:
        docs = con.execute("SELECT uri, lang, published_at IS NOT NULL FROM documents ORDER BY uri").fetchall()
        claims = con.execute("SELECT category, supplier, recipient, value FROM claims ORDER BY value").fetchall()
        runs = con.execute("SELECT flow, status FROM runs ORDER BY started_at").fetchall()
    finally:
        con.close()
    assert [d[0] for d in docs] == sorted(feed_server.url(p) for p in ARTICLES)
    assert all(d[1] == "en" and d[2] for d in docs)
    assert ("troops", "KP", "RU", 11000.0) in claims
    assert ("containers", "KP", "RU", 20000.0) in claims
    assert ("poll_feeds", "completed") in runs
    assert feed_server.count("/a/troops.html") == 1


def test_two_concurrent_runs_leave_a_consistent_database(
    deployed: PrefectServer, feed_server: FeedServer, tmp_path: Path, seeds_dir: Path
) -> None:
    """Two `claimwatch run` at once on one file: the second waits for the first; nothing is doubled."""
    db = tmp_path / "twice.duckdb"
    cfg = tmp_path / "claimwatch.toml"
    cfg.write_text(
        f'[[seeds]]\npath = "{seeds_dir}"\n\n[[feeds]]\nurl = "{feed_server.url("/feed.xml")}"\n\n'
        "[fetch]\nallow_private = true\n",
        encoding="utf-8",
    )
    cmd = [sys.executable, "-m", "flows.cli", "run", "--db", str(db), "--config", str(cfg), "--no-progress"]
    procs = [
        subprocess.Popen(cmd, cwd=ROOT, env=deployed.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, out + err
    con = duckdb.connect(str(db), read_only=True)
    try:
        n_docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        dup_mentions = con.execute(
            "SELECT count(*) FROM (SELECT document_id, start_char, category FROM mentions GROUP BY ALL HAVING count(*) > 1)"
        ).fetchone()[0]
        stale = con.execute(
            """SELECT count(*) FROM claims c FULL JOIN (
                   SELECT claim_id, count(*) AS n, count(DISTINCT document_id) AS s
                   FROM mentions m JOIN documents d ON d.id = m.document_id WHERE d.duplicate_of IS NULL GROUP BY 1
               ) x ON x.claim_id = c.id
               WHERE c.id IS NULL OR x.claim_id IS NULL OR c.mention_count <> x.n OR c.source_count <> x.s"""
        ).fetchone()[0]
        runs = con.execute("SELECT status, count(*) FROM runs GROUP BY 1").fetchall()
    finally:
        con.close()
    assert n_docs == 5 + len(ARTICLES)
    assert dup_mentions == 0
    assert stale == 0
    assert dict(runs) == {"completed": 4}  # ingest_seeds and poll_feeds, twice each, one after the other
    assert json.dumps(runs)


def test_failure_automation_file_is_accepted(deployed: PrefectServer, tmp_path: Path) -> None:
    """automations/failed-runs.yaml, with a real notification block's id, creates the automation."""
    code = (
        "from prefect.blocks.notifications import SlackWebhook\n"
        "b = SlackWebhook(url='https://hooks.slack.invalid/services/T/B/X')\n"
        "b.save('claimwatch-failures', overwrite=True)\n"
        "print(SlackWebhook.load('claimwatch-failures')._block_document_id)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], env=deployed.env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    block_id = r.stdout.strip().splitlines()[-1]
    text = (ROOT / "automations" / "failed-runs.yaml").read_text(encoding="utf-8")
    assert "BLOCK_DOCUMENT_ID" in text
    filled = tmp_path / "failed-runs.yaml"
    filled.write_text(text.replace("BLOCK_DOCUMENT_ID", block_id), encoding="utf-8")
    r = deployed.prefect("automation", "create", "--from-file", str(filled))
    assert r.returncode == 0, r.stdout + r.stderr
    automations = deployed.api("POST", "/automations/filter", {})
    [auto] = [a for a in automations if a["name"] == "claimwatch run failed"]
    assert set(auto["trigger"]["expect"]) == {"prefect.flow-run.Failed", "prefect.flow-run.Crashed"}
    assert auto["actions"][0]["block_document_id"] == block_id
