"""Score predicted claims against gold, by the rule of the claims spec.

A prediction is found when its document, category and value equal a gold
claim's; precision, recall and F1 are micro-averaged over distinct
(document, category, value) triples. On found triples, `direction` and
`qualifier` are the share where some prediction agrees with gold on
supplier+recipient, and on qualifier. Pure: callers read the files.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


def norm_value(v: Any) -> int | float:
    f = float(v)
    return int(f) if f.is_integer() else round(f, 6)


def parse_gold(lines: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Gold JSON Lines ({"doc", "claims"} per line) to {doc name: claims}."""
    gold: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        if line.strip():
            d = json.loads(line)
            gold[d["doc"].replace("\\", "/").rsplit("/", 1)[-1]] = d["claims"]
    return gold


@dataclass(slots=True)
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    direction_ok: int = 0
    qualifier_ok: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def direction(self) -> float:
        return self.direction_ok / self.tp if self.tp else 0.0

    @property
    def qualifier(self) -> float:
        return self.qualifier_ok / self.tp if self.tp else 0.0

    def summary(self) -> str:
        return (
            f"F1={self.f1:.3f} P={self.precision:.3f} R={self.recall:.3f} tp={self.tp} fp={self.fp} "
            f"fn={self.fn} direction={self.direction:.3f} qualifier={self.qualifier:.3f}"
        )


def score(gold: Mapping[str, list[Mapping[str, Any]]], predictions: Mapping[str, list[Mapping[str, Any]]]) -> Score:
    """Score predictions ({doc name: claim dicts}) against gold ({doc name: claim dicts})."""
    sc = Score()
    for doc, claims in sorted(gold.items()):
        gkeys: dict[tuple[str, int | float], Mapping[str, Any]] = {}
        for c in claims:
            gkeys.setdefault((c["category"], norm_value(c["value"])), c)
        pkeys: dict[tuple[str, int | float], list[Mapping[str, Any]]] = defaultdict(list)
        for p in predictions.get(doc, []):
            pkeys[(p["category"], norm_value(p["value"]))].append(p)
        hit = set(gkeys) & set(pkeys)
        sc.tp += len(hit)
        sc.fn += len(set(gkeys) - hit)
        sc.fp += len(set(pkeys) - hit)
        for k in hit:
            g = gkeys[k]
            if any(p.get("supplier") == g.get("supplier") and p.get("recipient") == g.get("recipient") for p in pkeys[k]):
                sc.direction_ok += 1
            else:
                sc.misses.append(f"{doc}: direction {k} gold {g.get('supplier')}->{g.get('recipient')}")
            if any(p.get("qualifier") == g.get("qualifier") for p in pkeys[k]):
                sc.qualifier_ok += 1
            else:
                sc.misses.append(f"{doc}: qualifier {k} gold {g.get('qualifier')}")
        for k in sorted(set(gkeys) - hit, key=str):
            sc.misses.append(f"{doc}: missed {k} ({gkeys[k].get('evidence', '')})")
        for k in sorted(set(pkeys) - hit, key=str):
            sc.misses.append(f"{doc}: spurious {k} ({str(pkeys[k][0].get('sentence', ''))[:100]})")
    return sc
