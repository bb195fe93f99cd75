"""Benchmark: the whole `poll_feeds` path against the bare libraries, on a generated corpus served on loopback.

    .venv/bin/python bench/bench_pipeline.py [--pages 2000] [--feeds 200] [--seed 8] [--keep DIR]

Not a test (no assertion on timings): it prints one table.

1. generates N article pages (six languages, boilerplate-heavy, random figures;
   see bench/corpus.py) over M RSS feeds, into a temporary directory;
2. serves them from a subprocess on 127.0.0.1-9 (nine loopback "sites": feeds
   on all nine, pages on 127.0.0.2-9), so the default per-host limit of 2
   behaves as with real sites instead of serialising everything on one host;
3. starts a temporary Prefect server (prefect_test_harness) and times it;
4. start-up: a first tiny poll on a scratch database (Prefect client, flow
   registration, the worker processes of flows.parallel), timed apart;
5. run 1: poll_feeds over the M feeds on a fresh DuckDB file (fetch, clean,
   detect, extract, dedup, store), force=True, allow_private=True;
6. run 2: the same call again, nothing changed (conditional GETs, 304s);
7. bare ceiling: trafilatura.extract + langdetect.detect_langs on every page,
   one thread, same process, pages read one at a time;
8. extract_claims alone on the stored texts, one core.

Peak RSS: this process (ru_maxrss), each worker process (VmHWM read from
/proc while it lives) and RUSAGE_CHILDREN (children that have exited); the
corpus server and the Prefect server are not counted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from flows.prefect_env import configure  # noqa: E402

configure()

import corpus  # noqa: E402


def _stats(base: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{base}/_stats", timeout=10) as r:  # noqa: S310 - loopback
        return json.loads(r.read())


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [root]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def _hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def worker_peaks(exclude: set[int]) -> list[int]:
    """Peak RSS (KB) of every live descendant that is not the corpus server or the Prefect server."""
    out = []
    for pid in _descendants(os.getpid()):
        if pid in exclude or any(_is_ancestor(e, pid) for e in exclude):
            continue
        cmd = _cmdline(pid)
        if "uvicorn" in cmd or "prefect" in cmd and "server" in cmd:
            continue
        out.append(_hwm_kb(pid))
    return out


def _is_ancestor(anc: int, pid: int) -> bool:
    return pid in _descendants(anc) if anc else False


def mb(kb: float) -> str:
    return f"{kb / 1024:.0f} MB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--keep", type=Path, help="work in this directory and keep it (corpus, DB)")
    ap.add_argument("--skip-bare", action="store_true", help="skip the bare ceiling and extract_claims phases")
    args = ap.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="claimwatch-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    data = work / "corpus"
    rows: list[tuple[str, str, str, str, str]] = []
    notes: list[str] = []

    t0 = time.perf_counter()
    manifest = corpus.generate(data, args.pages, args.feeds, args.seed)
    t_gen = time.perf_counter() - t0
    notes.append(f"corpus: {args.pages} pages ({manifest['bytes'] / args.pages / 1024:.1f} KB of HTML each on average) "
                 f"in {args.feeds} feeds, generated in {t_gen:.1f}s")

    server = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "corpus.py"), "serve", str(data)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        ports = json.loads(server.stdout.readline())["hosts"]  # type: ignore[union-attr]
        feed_base = f"http://{corpus.FEED_HOST}:{ports[corpus.FEED_HOST]}"
        feeds = [{"url": corpus.feed_url(f, ports)} for f in range(args.feeds)]

        from prefect.testing.utilities import prefect_test_harness

        t0 = time.perf_counter()
        with prefect_test_harness(server_startup_timeout=120):
            t_prefect = time.perf_counter() - t0
            rows.append(("Prefect server start-up (temporary)", "", f"{t_prefect:.2f}", "", "once per process"))
            _run(args, work, feeds, feed_base, rows, notes, server.pid)
    finally:
        if server.stdin:
            server.stdin.close()
        server.wait(timeout=10)
    _print(rows, notes)
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)


def _run(args: argparse.Namespace, work: Path, feeds: list[dict[str, Any]], feed_base: str,
         rows: list[tuple[str, str, str, str, str]], notes: list[str], server_pid: int) -> None:
    from flows import parallel
    from flows.poll import poll_feeds

    # start-up: Prefect client and flow registration, worker processes, lexicons (a scratch DB, two feeds)
    t0 = time.perf_counter()
    parallel.warm()
    scratch = work / "scratch.duckdb"
    poll_feeds(feeds=feeds[:2], db=str(scratch), allow_private=True, force=True)
    t_warm = time.perf_counter() - t0
    rows.append(("start-up: first flow call + worker pool", "", f"{t_warm:.2f}", "", "2 feeds, scratch DB"))

    db = work / "bench.duckdb"
    for p in work.glob("bench.duckdb*"):
        p.unlink()
    before = _stats(feed_base)
    t0 = time.perf_counter()
    first = poll_feeds(feeds=feeds, db=str(db), allow_private=True, force=True)
    t1 = time.perf_counter() - t0
    mid = _stats(feed_base)
    docs = int(first.get("documents", 0))
    full_rate = docs / t1
    rows.append(("1. poll_feeds, fresh DB (full path)", str(docs), f"{t1:.2f}", f"{full_rate:,.1f}",
                 f"{mid['page'] - before['page']} page GETs, {mid['feed'] - before['feed']} feed GETs"))

    t0 = time.perf_counter()
    second = poll_feeds(feeds=feeds, db=str(db), allow_private=True, force=True)
    t2 = time.perf_counter() - t0
    after = _stats(feed_base)
    rows.append(("2. poll_feeds again, nothing changed", str(second.get("documents", 0)), f"{t2:.2f}", "",
                 f"{after['page'] - mid['page']} page GETs, {after['304'] - mid['304']} feeds answered 304"))

    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = worker_peaks({server_pid})
    db_bytes = sum(p.stat().st_size for p in work.glob("bench.duckdb*") if p.suffix in (".duckdb", ".wal"))

    if not args.skip_bare:
        bare_rate, n_bare = _bare(work / "corpus")
        rows.append(("3. bare: trafilatura.extract + langdetect, 1 thread", str(n_bare), f"{n_bare / bare_rate:.2f}",
                     f"{bare_rate:,.1f}", "same pages, same process"))
        ex_rate, n_ex, n_claims = _extract_only(db)
        rows.append(("4. extract_claims alone, 1 core", str(n_ex), f"{n_ex / ex_rate:.2f}", f"{ex_rate:,.1f}",
                     f"{n_claims} claims"))
        rows.append(("ratio full / bare", "", "", f"{full_rate / bare_rate:.2f}x", "target >= 1.5x"))

    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    rows.append(("peak RSS, this process", "", "", mb(peak_self), "ru_maxrss (after runs 1-2)"))
    rows.append(("peak RSS, worker processes", "", "", " + ".join(mb(w) for w in workers) or "-",
                 f"VmHWM; exited children max {mb(children)}"))
    rows.append(("DB size per 1,000 documents", "", "", f"{db_bytes / max(docs, 1) * 1000 / 1e6:.1f} MB",
                 f"{db_bytes / 1e6:.1f} MB for {docs} docs"))
    notes.append(f"run 1 counts: {_brief(first)}")
    notes.append(f"run 2 counts: {_brief(second)}")


def _brief(c: dict[str, Any]) -> str:
    keys = ("polled", "ok", "not_modified", "new_entries", "pages_fetched", "documents", "duplicates", "mentions",
            "new_claims", "already_stored", "page_failures")
    return ", ".join(f"{k}={c.get(k, 0)}" for k in keys)


def _bare(data: Path) -> tuple[float, int]:
    import trafilatura
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    spent, n = 0.0, 0
    for _host, raw in corpus.iter_pages(data):
        html = raw.decode("utf-8")
        t0 = time.perf_counter()
        text = trafilatura.extract(html) or ""
        with contextlib.suppress(LangDetectException):
            detect_langs(text)
        spent += time.perf_counter() - t0
        n += 1
    return n / spent, n


def _extract_only(db: Path) -> tuple[float, int, int]:
    import duckdb

    from extractors.claims import extract_claims
    from extractors.lexicon import available_languages, load_lexicon

    for lang in available_languages():
        load_lexicon(lang)
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute("SELECT text, lang FROM documents WHERE coalesce(text, '') <> '' ORDER BY id")
        spent, n, claims = 0.0, 0, 0
        while batch := cur.fetchmany(200):
            for text, lang in batch:
                t0 = time.perf_counter()
                claims += len(extract_claims(text, lang))
                spent += time.perf_counter() - t0
                n += 1
    finally:
        con.close()
    return n / spent, n, claims


def _print(rows: list[tuple[str, str, str, str, str]], notes: list[str]) -> None:
    head = ("measure", "docs", "seconds", "docs/s", "note")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(5)]
    line = "  ".join("-" * w for w in widths)
    print()
    print("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    print(line)
    for r in rows:
        print("  ".join((c.rjust(w) if i in (1, 2, 3) else c.ljust(w)) for i, (c, w) in
                        enumerate(zip(r, widths, strict=True))))
    print()
    for n in notes:
        print(f"- {n}")
    print(f"- machine: {os.cpu_count()} CPUs ({len(os.sched_getaffinity(0))} usable), load average "
          f"{os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
