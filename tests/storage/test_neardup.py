"""Near-duplicate signatures: pure functions, on real seed texts."""

from __future__ import annotations

import random

from conftest import SEEDS

from storage import neardup

TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
HEADER = "Publié par Agence Exemple. Tous droits réservés. Suivez-nous sur les réseaux sociaux.\n"
FOOTER = "\nCet article est repris de notre partenaire. Abonnez-vous à la newsletter. Lire aussi : le front.\n"


def _edit(text: str, n: int, seed: int = 1) -> str:
    words = text.split(" ")
    rnd = random.Random(seed)
    for _ in range(n):
        words[rnd.randrange(len(words))] = "modifié"
    return " ".join(words)


def test_signature_is_deterministic_and_case_and_space_insensitive() -> None:
    a = neardup.signature(TEXTS[0])
    assert a is not None and len(a) == neardup.NUM_PERM
    assert neardup.signature(TEXTS[0]) == a
    assert neardup.signature("  " + TEXTS[0].upper().replace(" ", "\n ")) == a
    assert neardup.signature("") is None and neardup.signature("... !") is None


def test_syndicated_copy_with_boilerplate_and_edits_is_above_threshold() -> None:
    for text in TEXTS:
        copy = HEADER + _edit(text, 3) + FOOTER
        sim = neardup.similarity(neardup.signature(text), neardup.signature(copy))  # type: ignore[arg-type]
        assert sim >= neardup.THRESHOLD, (sim, neardup.exact_jaccard(text, copy))
        assert abs(sim - neardup.exact_jaccard(text, copy)) < 0.1  # the estimate tracks the true Jaccard


def test_different_articles_are_far_below_threshold() -> None:
    sigs = [neardup.signature(t) for t in TEXTS]
    for i in range(len(sigs)):
        for j in range(i + 1, len(sigs)):
            assert neardup.similarity(sigs[i], sigs[j]) < 0.2  # type: ignore[arg-type]


def test_near_duplicates_share_a_band_and_different_texts_do_not() -> None:
    a = set(neardup.bands(neardup.signature(TEXTS[0])))  # type: ignore[arg-type]
    b = set(neardup.bands(neardup.signature(HEADER + _edit(TEXTS[0], 3) + FOOTER)))  # type: ignore[arg-type]
    c = set(neardup.bands(neardup.signature(TEXTS[1])))  # type: ignore[arg-type]
    assert len(a) == neardup.BANDS
    assert a & b
    assert not a & c


def test_heavily_edited_text_is_not_a_near_duplicate() -> None:
    text = TEXTS[3]
    rewritten = _edit(text, len(text.split(" ")) // 4, seed=7)
    assert neardup.similarity(neardup.signature(text), neardup.signature(rewritten)) < neardup.THRESHOLD  # type: ignore[arg-type]
