"""Near-duplicate signatures: MinHash over word shingles, banded for LSH lookups in DuckDB.

Pure functions, no database: `signature(text)` gives the MinHash of a
document's word 4-shingles; `bands(sig)` cuts it into LSH band buckets that
the ledger stores in `document_bands`, so finding candidates among thousands
of stored documents is one indexed-free hash join; `similarity(a, b)`
estimates the Jaccard similarity of two documents' shingle sets.

Threshold: two documents are near-duplicates when their estimated Jaccard
similarity is at least `THRESHOLD` (0.8). With 128 permutations cut in 32
bands of 4 rows, a pair at Jaccard 0.8 becomes a candidate with probability
1 - (1 - 0.8**4)**32 > 0.99999, at 0.5 with ~0.87 (then rejected by the
estimate), at 0.1 with ~0.003.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
SHINGLE = 4  # words per shingle
BANDS = 32
ROWS = NUM_PERM // BANDS
THRESHOLD = 0.8
SEED = 1

_WORD = re.compile(r"\w+", re.UNICODE)
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED)  # permutations are computed once and shared


def words(text: str) -> list[str]:
    """Case-folded, NFKC-normalised word tokens (numbers included: a changed figure changes shingles)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    toks = words(text)
    if not toks:
        return set()
    if len(toks) < k:
        return {" ".join(toks)}
    return {" ".join(toks[i : i + k]) for i in range(len(toks) - k + 1)}


def signature(text: str | None) -> list[int] | None:
    """MinHash signature (NUM_PERM unsigned 32-bit values), or None for a text without words."""
    sh = shingles(text or "")
    if not sh:
        return None
    m = _TEMPLATE.copy()
    m.update_batch([s.encode("utf-8") for s in sorted(sh)])
    return [int(v) for v in m.hashvalues]


def bands(sig: list[int]) -> list[tuple[int, int]]:
    """[(band, bucket)]: bucket is a signed 64-bit hash of the band's rows."""
    arr = np.asarray(sig, dtype=np.uint32)
    out = []
    for b in range(BANDS):
        digest = hashlib.blake2b(arr[b * ROWS : (b + 1) * ROWS].tobytes(), digest_size=8).digest()
        out.append((b, int.from_bytes(digest, "little", signed=True)))
    return out


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of the two documents' shingle sets."""
    x = np.asarray(a, dtype=np.uint64)
    y = np.asarray(b, dtype=np.uint64)
    if x.shape != y.shape or not len(x):
        return 0.0
    return float(np.count_nonzero(x == y)) / len(x)


def exact_jaccard(a: str, b: str) -> float:
    """The true Jaccard similarity of two texts' shingle sets (for tests and tuning)."""
    x, y = shingles(a), shingles(b)
    return len(x & y) / len(x | y) if x or y else 1.0
