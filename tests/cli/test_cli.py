"""Every CLI command end to end, in a subprocess, as a user runs it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import ROOT, run_cli


def test_help_lists_every_command() -> None:
    r = run_cli("--help")
    assert r.returncode == 0
    for cmd in ("run", "extract", "score", "sql", "highs", "report", "alerts", "feeds", "export", "reprocess"):
        assert cmd in r.stdout


def test_each_command_has_help() -> None:
    for cmd in ("run", "extract", "score", "sql", "highs", "report", "alerts", "feeds", "export", "reprocess"):
        r = run_cli(cmd, "--help")
        assert r.returncode == 0, r.stderr
        assert "Usage" in r.stdout


def test_extract_emits_every_spec_field(seeds_dir: Path) -> None:
    files = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    r = run_cli("extract", *files, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines() if x.strip()]
    fields = {"doc", "category", "value", "low", "qualifier", "supplier", "recipient", "status",
              "attribution", "period", "sentence", "start", "end", "lang"}
    for obj in lines:
        assert fields <= set(obj), obj
        assert obj["doc"] in files
        text = Path(obj["doc"]).read_text(encoding="utf-8")
        assert obj["sentence"]
        assert isinstance(obj["start"], int) and obj["end"] > obj["start"]
        del text


def test_extract_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    r = run_cli("extract", str(tmp_path / "nope.txt"))
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert "nope.txt" in r.stderr


def test_extract_watch_extends_the_default_watchlist(tmp_path: Path) -> None:
    f = tmp_path / "by.txt"
    f.write_text("Belarus has transferred 130,000 artillery shells to Russia since 2022, officials said.\n", encoding="utf-8")
    assert run_cli("extract", str(f)).stdout == ""  # Belarus -> Russia is not watched by default
    r = run_cli("extract", str(f), "--watch", "BY->RU")
    assert r.returncode == 0, r.stderr
    claims = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(c["category"], c["value"], c["supplier"], c["recipient"]) for c in claims] == [
        ("artillery_shells", 130000.0, "BY", "RU")
    ]
    bad = run_cli("extract", str(f), "--watch", "Belarus")
    assert bad.returncode != 0 and "Traceback" not in bad.stderr and "KP->RU" in bad.stderr


def test_run_then_sql_and_highs(seeds_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "cli.duckdb")
    r = run_cli("run", "--seeds", str(seeds_dir), "--db", db, "--no-progress")
    assert r.returncode == 0, r.stderr
    assert "Documents per language" in r.stdout and "fr" in r.stdout
    assert "High of each metric" in r.stdout
    assert "Traceback" not in r.stderr

    r = run_cli("sql", "select lang, count(*) as n from documents group by 1", "--db", db, "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert list(csv.reader(io.StringIO(r.stdout))) == [["lang", "n"], ["fr", "5"]]

    r = run_cli("sql", "select count(*) as n from documents", "--format", "json", env={"CLAIMWATCH_DB": db})
    assert json.loads(r.stdout.strip()) == {"n": 5}

    r = run_cli("highs", "--db", db, "--format", "json")
    assert r.returncode == 0, r.stderr
    highs = [json.loads(x) for x in r.stdout.splitlines() if x.strip()]
    from storage.db import reader

    with reader(db) as con:
        metrics = con.execute("SELECT count(DISTINCT (category, supplier, recipient)) FROM claims").fetchone()[0]
    assert len(highs) == metrics


def test_sql_errors_are_one_line(tmp_path: Path, seeds_dir: Path) -> None:
    r = run_cli("sql", "select 1", "--db", str(tmp_path / "missing.duckdb"))
    assert r.returncode == 1
    assert "no database" in r.stderr and "Traceback" not in r.stderr

    db = str(tmp_path / "x.duckdb")
    from storage.db import writer

    with writer(db):
        pass
    r = run_cli("sql", "selec nonsense", "--db", db)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and "error" in r.stderr.lower()
    assert len(r.stderr.strip().splitlines()) == 1

    r = run_cli("sql", "delete from documents", "--db", db)
    assert r.returncode == 1 and "read-only" in r.stderr.lower()


def test_root_is_the_repository() -> None:
    assert (ROOT / "pyproject.toml").exists()


def test_extract_then_score_against_the_seed_gold(seeds_dir: Path, tmp_path: Path) -> None:
    """The README's evaluation loop: extract to JSON Lines, then score against the bundled gold."""
    files = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    r = run_cli("extract", *files, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    preds = tmp_path / "pred.jsonl"
    preds.write_text(r.stdout, encoding="utf-8")
    r = run_cli("score", str(ROOT / "tests" / "data" / "gold" / "seeds.jsonl"), str(preds), "-v")
    assert r.returncode == 0, r.stderr
    summary = r.stdout.strip().splitlines()[-1]
    f1 = float(summary.split()[0].removeprefix("F1="))
    assert summary.startswith("F1=") and "direction=" in summary and f1 >= 0.95

    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n", encoding="utf-8")
    r = run_cli("score", str(ROOT / "tests" / "data" / "gold" / "seeds.jsonl"), str(broken))
    assert r.returncode == 1 and "broken.jsonl:1" in r.stderr and "Traceback" not in r.stderr
