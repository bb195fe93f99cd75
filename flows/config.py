"""`claimwatch.toml`: the sources to ingest and how to fetch them.

Looked up from --config, else $CLAIMWATCH_CONFIG, else ./claimwatch.toml; no
file means the defaults (the bundled seeds, no feeds), so a fresh checkout
runs offline. Relative paths are relative to the file. Every problem is a
`ConfigError` naming the file and the key. The parsed TOML stays available
as `Config.raw` for sections other features own (e.g. `[alerts]`).

    [database]
    path = "claimwatch.duckdb"

    [[seeds]]
    path = "seeds"

    [[feeds]]
    url = "https://example.org/rss.xml"
    name = "Example"            # optional
    lang = "en"                 # optional language hint
    interval_minutes = 30       # optional

    [fetch]
    timeout_s = 20
    max_bytes = 10485760
    workers = 8
    per_host = 2
    user_agent = "claimwatch/0.1 (+https://...)"
    allow_private = false
    backoff_cap_minutes = 360
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from flows.http import FetchSettings

CONFIG_ENV = "CLAIMWATCH_CONFIG"
DEFAULT_CONFIG = "claimwatch.toml"
DEFAULT_INTERVAL_MINUTES = 30
_TOP_KEYS = {"database", "seeds", "feeds", "fetch"}
_FEED_KEYS = {"url", "name", "lang", "interval_minutes"}
_FETCH_TYPES: dict[str, tuple[type, ...]] = {
    "timeout_s": (int, float),
    "max_bytes": (int,),
    "workers": (int,),
    "per_host": (int,),
    "user_agent": (str,),
    "allow_private": (bool,),
    "backoff_cap_minutes": (int, float),
}


class ConfigError(ValueError):
    """The configuration file is unreadable or invalid; the message names the key."""


@dataclass(slots=True)
class Config:
    path: Path | None = None  # None: no file, defaults
    db: str | None = None
    seeds: list[Path] = field(default_factory=list)
    feeds: list[dict[str, Any]] = field(default_factory=list)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    raw: dict[str, Any] = field(default_factory=dict)


def bundled_seeds_dir() -> Path:
    """./seeds when it exists, else the seeds shipped beside the package."""
    local = Path("seeds")
    return local if local.is_dir() else Path(__file__).resolve().parents[1] / "seeds"


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """--config, else $CLAIMWATCH_CONFIG, else ./claimwatch.toml when it exists."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    local = Path(DEFAULT_CONFIG)
    return local if local.is_file() else None


def load_config(explicit: str | os.PathLike[str] | None = None) -> Config:
    path = config_path(explicit)
    if path is None:
        return Config(seeds=[bundled_seeds_dir()])
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_config(raw, path)


def _err(path: Path | None, key: str, message: str) -> ConfigError:
    return ConfigError(f"{path or 'config'}: {key}: {message}")


def parse_config(raw: dict[str, Any], path: Path | None = None) -> Config:
    base = path.resolve().parent if path else Path.cwd()
    cfg = Config(path=path, raw=raw)
    unknown = set(raw) - _TOP_KEYS
    # Other features own their sections (e.g. [alerts]): unknown tables are left to them, unknown scalars are typos.
    for key in sorted(unknown):
        if not isinstance(raw[key], dict | list):
            raise _err(path, key, f"unknown key (known: {', '.join(sorted(_TOP_KEYS))}, or a [section])")

    database = raw.get("database", {})
    if not isinstance(database, dict):
        raise _err(path, "database", "must be a table: [database]")
    if "path" in database:
        if not isinstance(database["path"], str) or not database["path"].strip():
            raise _err(path, "database.path", "must be a non-empty string")
        cfg.db = str((base / database["path"]).resolve()) if not Path(database["path"]).is_absolute() else database["path"]
    for k in set(database) - {"path"}:
        raise _err(path, f"database.{k}", "unknown key (known: path)")

    seeds = raw.get("seeds", [])
    if not isinstance(seeds, list):
        raise _err(path, "seeds", "must be an array of tables: [[seeds]] path = \"...\"")
    for i, s in enumerate(seeds):
        if not isinstance(s, dict) or not isinstance(s.get("path"), str) or not s["path"].strip():
            raise _err(path, f"seeds[{i}].path", "required, a folder path string")
        for k in set(s) - {"path"}:
            raise _err(path, f"seeds[{i}].{k}", "unknown key (known: path)")
        p = Path(s["path"])
        cfg.seeds.append(p if p.is_absolute() else base / p)

    feeds = raw.get("feeds", [])
    if not isinstance(feeds, list):
        raise _err(path, "feeds", "must be an array of tables: [[feeds]] url = \"...\"")
    seen: set[str] = set()
    for i, f in enumerate(feeds):
        key = f"feeds[{i}]"
        if not isinstance(f, dict):
            raise _err(path, key, "must be a table with url, name, lang, interval_minutes")
        cfg.feeds.append(validate_feed(f, lambda k, m, key=key: _err(path, f"{key}.{k}", m)))
        if cfg.feeds[-1]["url"] in seen:
            raise _err(path, f"{key}.url", f"duplicate feed {cfg.feeds[-1]['url']}")
        seen.add(cfg.feeds[-1]["url"])

    if not seeds and not feeds:
        cfg.seeds = [bundled_seeds_dir()]

    fetch = raw.get("fetch", {})
    if not isinstance(fetch, dict):
        raise _err(path, "fetch", "must be a table: [fetch]")
    values: dict[str, Any] = {}
    for k, v in fetch.items():
        if k not in _FETCH_TYPES:
            raise _err(path, f"fetch.{k}", f"unknown key (known: {', '.join(sorted(_FETCH_TYPES))})")
        types = _FETCH_TYPES[k]
        if not isinstance(v, types) or (bool not in types and isinstance(v, bool)):
            raise _err(path, f"fetch.{k}", f"must be {' or '.join(t.__name__ for t in types)}, got {v!r}")
        if k != "allow_private" and k != "user_agent" and v <= 0:
            raise _err(path, f"fetch.{k}", f"must be positive, got {v!r}")
        if k == "user_agent" and not v.strip():
            raise _err(path, f"fetch.{k}", "must not be empty")
        values[k] = v
    cfg.fetch = replace(FetchSettings(), **values)
    return cfg


def validate_feed(f: dict[str, Any], err: Any) -> dict[str, Any]:
    """One feed table to {url, name, lang, interval_minutes}; `err(key, message)` builds the exception."""
    for k in set(f) - _FEED_KEYS:
        raise err(k, f"unknown key (known: {', '.join(sorted(_FEED_KEYS))})")
    url = f.get("url")
    if not isinstance(url, str) or not url.strip():
        raise err("url", "required, the feed's http(s) URL")
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        raise err("url", f"must be an http or https URL, got {url!r}")
    name = f.get("name")
    if name is not None and not isinstance(name, str):
        raise err("name", "must be a string")
    lang = f.get("lang")
    if lang is not None and (not isinstance(lang, str) or not 2 <= len(lang.strip()) <= 8):
        raise err("lang", f"must be a language code such as \"en\", got {lang!r}")
    interval = f.get("interval_minutes", DEFAULT_INTERVAL_MINUTES)
    if isinstance(interval, bool) or not isinstance(interval, int | float) or interval <= 0:
        raise err("interval_minutes", f"must be a positive number, got {interval!r}")
    return {"url": url, "name": name, "lang": lang.strip().lower() if lang else None, "interval_minutes": interval}
