from __future__ import annotations

from pathlib import Path

import pytest

from flows.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "claimwatch.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_no_file_means_bundled_seeds_and_no_feeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CLAIMWATCH_CONFIG", raising=False)
    cfg = load_config()
    assert cfg.path is None and cfg.feeds == [] and cfg.fetch.allow_private is False
    assert len(cfg.seeds) == 1 and (cfg.seeds[0] / "000_c4994ec9ee813f01.txt").is_file()


def test_full_config_parses_with_relative_paths_and_keeps_raw(tmp_path: Path) -> None:
    p = write(tmp_path, """
[database]
path = "data/cw.duckdb"
[[seeds]]
path = "myseeds"
[[feeds]]
url = "https://news.example/rss"
name = "Example"
lang = "EN"
interval_minutes = 10
[fetch]
timeout_s = 5
allow_private = true
workers = 3
[alerts]
slack_webhook = "https://hooks.example/x"
""")
    cfg = load_config(p)
    assert cfg.db == str(tmp_path / "data" / "cw.duckdb") and cfg.seeds == [tmp_path / "myseeds"]
    assert cfg.feeds == [{"url": "https://news.example/rss", "name": "Example", "lang": "en", "interval_minutes": 10}]
    assert cfg.fetch.timeout_s == 5 and cfg.fetch.allow_private and cfg.fetch.workers == 3
    assert cfg.raw["alerts"]["slack_webhook"] == "https://hooks.example/x"


def test_env_var_points_at_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = write(tmp_path, '[[feeds]]\nurl = "https://a.example/feed"\n')
    monkeypatch.setenv("CLAIMWATCH_CONFIG", str(p))
    cfg = load_config()
    assert cfg.path == p and cfg.seeds == [] and len(cfg.feeds) == 1


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[[feeds]]\nname = "x"\n', "feeds[0].url"),
        ('[[feeds]]\nurl = "ftp://a/b"\n', "feeds[0].url"),
        ('[[feeds]]\nurl = "https://a/b"\ninterval_minutes = 0\n', "feeds[0].interval_minutes"),
        ('[[feeds]]\nurl = "https://a/b"\nurll = 1\n', "feeds[0].urll"),
        ('[fetch]\ntimeout_s = "fast"\n', "fetch.timeout_s"),
        ('[fetch]\nallow_private = "yes"\n', "fetch.allow_private"),
        ('[fetch]\nworkerz = 3\n', "fetch.workerz"),
        ('[database]\npath = 3\n', "database.path"),
        ('[[seeds]]\ndir = "x"\n', "seeds[0].path"),
        ('typo = 1\n', "typo"),
    ],
)
def test_errors_name_the_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError, match=key.replace("[", r"\[").replace("]", r"\]")):
        load_config(write(tmp_path, text))


def test_bad_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[[feeds]\n"))
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")


def test_example_config_is_valid() -> None:
    cfg = load_config(ROOT / "claimwatch.example.toml")
    assert cfg.feeds and cfg.fetch.allow_private is False
