"""`claimwatch feeds import|list|remove` and `claimwatch check-sources`."""

from __future__ import annotations

import gzip
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Annotated, Any

import typer

from flows.cli.common import DbOption, console, fail, print_rows

ConfigOption = Annotated[
    str | None,
    typer.Option("--config", envvar="CLAIMWATCH_CONFIG", help="claimwatch.toml (default ./claimwatch.toml if present)."),
]
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf", ".feed")
PAGE_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".md", ".markdown")


def read_opml(data: bytes) -> list[dict[str, Any]]:
    """Feeds of an OPML subscription list: every <outline> with an xmlUrl, at any depth."""
    if b"<!ENTITY" in data:
        raise ValueError("OPML with entity declarations is refused")
    root = ET.fromstring(data)
    feeds = []
    for o in root.iter("outline"):
        url = (o.get("xmlUrl") or o.get("xmlurl") or "").strip()
        if url:
            feeds.append({"url": url, "name": o.get("title") or o.get("text") or None,
                          "lang": o.get("language") or None})
    return feeds


def _load(path: Path) -> bytes:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw


def _kind(path: Path, raw: bytes) -> str:
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(FEED_SUFFIXES):
        return "feed"
    if name.endswith(PAGE_SUFFIXES):
        head = raw[:2000].lstrip().lower()
        return "feed" if (b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head) else "page"
    if name.endswith(TEXT_SUFFIXES):
        return "text"
    return "other"


def check_file(path: Path, root: Path | None = None) -> tuple[str, str]:
    """("ok"|"fail"|"skip", message) for one feed, page or text file, offline. Never raises."""
    from extractors.feeds import parse_feed
    from extractors.pipeline import process

    try:
        raw = _load(path)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        return "fail", f"unreadable: {exc}"
    kind = _kind(path, raw)
    try:
        if kind == "feed":
            p = parse_feed(raw, (root or path.parent).resolve().as_uri() + "/" + path.name)
            if not p.ok:
                return "fail", f"feed: {p.error}"
            links = sum(1 for e in p.entries if e.link)
            dated = sum(1 for e in p.entries if e.published)
            msg = f"feed {p.version or '?'} ({p.encoding}): {len(p.entries)} entries, {links} with links, {dated} dated"
            if p.skipped_entries:
                msg += f", {p.skipped_entries} empty skipped"
            if p.bozo:
                msg += f"; bozo: {p.bozo[:100]}"
            return "ok", msg
        if kind in ("page", "text"):
            r = process(raw, kind="html" if kind == "page" else "text")
            if not r.cleaned.text.strip():
                return "fail", f"{kind}: no text after cleaning"
            date = r.published.isoformat() if r.published else "no date"
            return "ok", (f"{kind}: {len(r.cleaned.text)} chars, lang {r.language.code} "
                          f"({r.language.probability:.2f}), {date}, {len(r.claims)} claims")
        return "skip", "not a feed, page or text file"
    except Exception as exc:  # check-sources reports, it never crashes
        return "fail", f"{kind}: {type(exc).__name__}: {exc}"


def register(app: typer.Typer) -> None:
    feeds_app = typer.Typer(help="Feeds to poll: import an OPML list, list their state, remove one.",
                            no_args_is_help=True)
    app.add_typer(feeds_app, name="feeds")

    @feeds_app.command("import")
    def import_(
        file: Annotated[Path, typer.Argument(help="An OPML subscription list.")],
        db: DbOption = None,
        config: ConfigOption = None,
    ) -> None:
        """Add every feed of an OPML file; `claimwatch run` then polls them with the configured ones."""
        from flows.config import ConfigError, load_config, validate_feed
        from storage import feeds as feedstore
        from storage.db import writer

        try:
            cfg = load_config(config)
            data = file.read_bytes()
            found = read_opml(data)
        except ConfigError as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"{file}: {exc.strerror or exc}")
        except (ET.ParseError, ValueError) as exc:
            fail(f"{file}: not a valid OPML file ({exc})")
        good, bad = [], []
        for f in found:
            try:
                good.append(validate_feed(f, lambda k, m: ValueError(f"{k}: {m}")))
            except ValueError as exc:
                bad.append(f"{f.get('url')}: {exc}")
        if not good:
            fail(f"{file}: no usable feed (outline with an http(s) xmlUrl) found")
        with writer(db or cfg.db) as con:
            feedstore.upsert_feeds(con, good, "opml")
        console.print(f"imported {len(good)} feed(s) from {file}")
        for b in bad:
            console.print(f"[yellow]skipped {b}[/]", highlight=False)

    @feeds_app.command("list")
    def list_(
        db: DbOption = None,
        config: ConfigOption = None,
        format: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
    ) -> None:
        """Every feed with its state: last status, consecutive errors, last error, next poll."""
        from flows.config import ConfigError, load_config
        from storage import feeds as feedstore
        from storage.db import DatabaseBusy, DatabaseMissing, reader

        if format not in ("table", "csv", "json"):
            fail(f"unknown format {format!r} (use table, csv or json)")
        try:
            cfg = load_config(config)
        except ConfigError as exc:
            fail(str(exc))
        rows: list[tuple[Any, ...]] = []
        try:
            with reader(db or cfg.db) as con:
                rows = feedstore.list_feeds(con)
        except DatabaseMissing:
            rows = []
        except DatabaseBusy as exc:
            fail(str(exc))
        except Exception as exc:  # an old database without the feed tables
            fail(f"cannot read feeds: {str(exc).splitlines()[0]}")
        listed = {r[0] for r in rows}
        for f in cfg.feeds:
            if f["url"] not in listed:
                rows.append((f["url"], f.get("name"), "config", "never polled", None, 0, None, None, 0, 0))
        rows = [r for r in rows if r[2] != "removed"]
        if not rows:
            console.print("no feeds: add [[feeds]] to claimwatch.toml, `claimwatch feeds import FILE.opml`, "
                          "or `claimwatch run --feed URL`")
            return
        print_rows(list(feedstore.FEED_LIST_COLS), rows, format, title="Feeds" if format == "table" else None)

    @feeds_app.command("remove")
    def remove(url: Annotated[str, typer.Argument(help="The feed URL.")], db: DbOption = None,
               config: ConfigOption = None) -> None:
        """Stop polling an imported feed (its articles stay in the ledger)."""
        from flows.config import ConfigError, load_config
        from storage import feeds as feedstore
        from storage.db import writer

        try:
            cfg = load_config(config)
        except ConfigError as exc:
            fail(str(exc))
        if any(f["url"] == url.strip() for f in cfg.feeds):
            fail(f"{url} is configured in {cfg.path}; remove it there")
        with writer(db or cfg.db) as con:
            if not feedstore.remove_feed(con, url):
                fail(f"no such feed: {url}")
        console.print(f"removed {url}")

    @app.command("check-sources")
    def check_sources(
        folder: Annotated[Path, typer.Argument(help="A folder of feed (.xml, .rss, .atom, .rdf, .gz) and page files.")],
    ) -> None:
        """Parse and clean every feed and page file of a folder, offline: one line per file."""
        if not folder.is_dir():
            fail(f"folder not found: {folder}")
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        tally = {"ok": 0, "fail": 0, "skip": 0}
        for p in files:
            status, msg = check_file(p, folder)
            tally[status] += 1
            sys.stdout.write(f"{status:<4}  {p.relative_to(folder)}  {msg}\n")
            sys.stdout.flush()
        sys.stdout.write(f"{len(files)} files: {tally['ok']} ok, {tally['fail']} with a reason, "
                         f"{tally['skip']} skipped\n")
