"""Quality gates: the real path (clean -> detect language -> extract) scored like score_claims.py.

Seeds (French, the project's gold): F1 >= 0.95, direction and qualifier >= 0.90.
Own multilingual set (en, fr, de, es, it, pt; text and HTML): F1 >= 0.90.
Blind held-out development set (tests/data/heldout, written from the spec alone): F1 at least
0.03 below the score reached when the gate was set, each language 0.05 below its own.
Later held-out sets (tests/data/heldout2 to 8, written the same way): F1 >= 0.95, 0.93, 0.90, 0.89, 0.89, 0.88, 0.92.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.pipeline import kind_for_name, process
from extractors.scoring import Score, parse_gold, score

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_GOLD = ROOT / "tests" / "data" / "gold" / "seeds.jsonl"
MULTI = ROOT / "tests" / "data" / "multilingual"
HELDOUT = ROOT / "tests" / "data" / "heldout"
HELDOUT2 = ROOT / "tests" / "data" / "heldout2"
HELDOUT3 = ROOT / "tests" / "data" / "heldout3"
HELDOUT4 = ROOT / "tests" / "data" / "heldout4"
HELDOUT5 = ROOT / "tests" / "data" / "heldout5"
HELDOUT6 = ROOT / "tests" / "data" / "heldout6"
HELDOUT7 = ROOT / "tests" / "data" / "heldout7"
HELDOUT8 = ROOT / "tests" / "data" / "heldout8"
# reached when the gates were set: heldout2 F1 0.990; heldout3 0.967 (0.870 before its rules);
# heldout4 0.935 (0.848 before); heldout5 0.926 (0.850 before); heldout6 0.922 (0.864 before);
# heldout7 0.912 (0.905 before); heldout8 0.962 (0.944 before)
LATER_F1_FLOORS = {
    "heldout2": 0.95,
    "heldout3": 0.93,
    "heldout4": 0.90,
    "heldout5": 0.89,
    "heldout6": 0.89,
    "heldout7": 0.88,
    "heldout8": 0.92,
}
# reached when the gate was set: F1 0.985; per language en 0.983 fr 1.000 de 0.977 es 1.000 it 0.960 pt 1.000
HELDOUT_F1_FLOOR = 0.955
HELDOUT_LANG_FLOORS = {"en": 0.933, "fr": 0.95, "de": 0.927, "es": 0.95, "it": 0.91, "pt": 0.95}


def run(folder: Path, gold_path: Path) -> tuple[Score, dict[str, str]]:
    gold = parse_gold(gold_path.read_text(encoding="utf-8").splitlines())
    preds, langs = {}, {}
    for name in gold:
        done = process((folder / name).read_bytes(), kind=kind_for_name(name))
        preds[name] = [c.to_dict() for c in done.claims]
        langs[name] = done.language.code
    return score(gold, preds), langs


def test_seed_gate() -> None:
    sc, _ = run(SEEDS, SEED_GOLD)
    report = sc.summary() + "\n" + "\n".join(sc.misses)
    assert sc.f1 >= 0.95, report
    assert sc.direction >= 0.90, report
    assert sc.qualifier >= 0.90, report


def test_multilingual_gate() -> None:
    sc, _ = run(MULTI, MULTI / "gold.jsonl")
    report = sc.summary() + "\n" + "\n".join(sc.misses)
    assert sc.f1 >= 0.90, report
    assert sc.direction >= 0.90, report
    assert sc.qualifier >= 0.90, report


def test_multilingual_set_covers_six_languages() -> None:
    gold = parse_gold((MULTI / "gold.jsonl").read_text(encoding="utf-8").splitlines())
    by_lang: dict[str, int] = {}
    for name in gold:
        by_lang[name[:2]] = by_lang.get(name[:2], 0) + 1
    assert {k: v >= 4 for k, v in by_lang.items()} == dict.fromkeys(["de", "en", "es", "fr", "it", "pt"], True)
    assert any(n.endswith(".html") for n in gold)


@pytest.mark.parametrize("lang", ["de", "en", "es", "fr", "it", "pt"])
def test_multilingual_per_language(lang: str) -> None:
    gold = parse_gold((MULTI / "gold.jsonl").read_text(encoding="utf-8").splitlines())
    sub = {k: v for k, v in gold.items() if k.startswith(lang + "_")}
    preds = {}
    for name in sub:
        done = process((MULTI / name).read_bytes(), kind=kind_for_name(name))
        assert done.language.code == lang, name
        preds[name] = [c.to_dict() for c in done.claims]
    sc = score(sub, preds)
    assert sc.f1 >= 0.80, sc.summary() + "\n" + "\n".join(sc.misses)


@pytest.fixture(scope="module")
def heldout() -> tuple[dict, dict]:
    gold = parse_gold((HELDOUT / "gold.jsonl").read_text(encoding="utf-8").splitlines())
    preds = {}
    for name in gold:
        done = process((HELDOUT / name).read_bytes(), kind=kind_for_name(name))
        preds[name] = [c.to_dict() for c in done.claims]
    return gold, preds


def test_heldout_gate(heldout: tuple[dict, dict]) -> None:
    gold, preds = heldout
    sc = score(gold, preds)
    report = sc.summary() + "\n" + "\n".join(sc.misses)
    assert sc.f1 >= HELDOUT_F1_FLOOR, report
    assert sc.direction >= 0.90, report
    assert sc.qualifier >= 0.90, report


@pytest.mark.parametrize("lang", ["de", "en", "es", "fr", "it", "pt"])
def test_heldout_per_language(heldout: tuple[dict, dict], lang: str) -> None:
    gold, preds = heldout
    sub = {k: v for k, v in gold.items() if k.startswith(lang)}
    assert len(sub) == 6
    sc = score(sub, {k: preds[k] for k in sub})
    assert sc.f1 >= HELDOUT_LANG_FLOORS[lang], sc.summary() + "\n" + "\n".join(sc.misses)


@pytest.mark.parametrize(
    "folder", [HELDOUT2, HELDOUT3, HELDOUT4, HELDOUT5, HELDOUT6, HELDOUT7, HELDOUT8], ids=lambda p: p.name
)
def test_later_heldout_gates(folder: Path) -> None:
    sc, langs = run(folder, folder / "gold.jsonl")
    report = sc.summary() + "\n" + "\n".join(sc.misses)
    assert sc.f1 >= LATER_F1_FLOORS[folder.name], report
    assert sc.direction >= 0.90, report
    assert sc.qualifier >= 0.90, report
    assert all(lang == name[:2] for name, lang in langs.items()), langs
