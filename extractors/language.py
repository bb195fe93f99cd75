"""Deterministic language detection with langdetect.

langdetect is randomised; `DetectorFactory.seed = 0`, set once here at import,
makes every call give the same answer for the same text. Detection runs on a
bounded sample (URLs and e-mail addresses removed, about SAMPLE_LETTERS
letters from the start): accuracy is unchanged on news articles and long pages
cost no more than short ones.

Speed: `detect_langs_fast` is langdetect's own algorithm (same profiles, same
seeded random draws, same floating-point operations in the same order), so it
returns exactly what `langdetect.detect_langs` returns, but about ten times
faster: n-grams are extracted per word and memoised (news vocabulary repeats),
and the probability updates run on numpy rows instead of Python loops. Set
CLAIMWATCH_LANGDETECT=reference to use langdetect's own code path instead.
"""

from __future__ import annotations

import os
import random
import re

import numpy as np
from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

from extractors.models import UNKNOWN_LANGUAGE, Language

DetectorFactory.seed = 0

SAMPLE_LETTERS = 2000
_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+")
_CHUNK = 512


def sample(text: str, letters: int = SAMPLE_LETTERS) -> str:
    """The start of `text` (URLs and e-mails removed), cut once it holds `letters` letters."""
    text = _NOISE.sub(" ", text)
    count = 0
    for start in range(0, len(text), _CHUNK):  # whole chunks counted at C speed, the last one char by char
        chunk = text[start : start + _CHUNK]
        n = sum(map(str.isalpha, chunk))
        if count + n < letters:
            count += n
            continue
        for i, ch in enumerate(chunk, start):
            if ch.isalpha():
                count += 1
                if count >= letters:
                    return text[: i + 1]
    return text


def normalise_code(code: str) -> str:
    """langdetect code to ISO 639-1 ("zh-cn" / "zh-tw" -> "zh")."""
    return code.split("-")[0].lower()


# ---------------------------------------------------------------- langdetect, exactly, but faster


class _Normaliser(dict[int, str]):
    """str.translate table applying langdetect's NGram.normalize, filled one code point at a time."""

    def __missing__(self, cp: int) -> str:
        from langdetect.utils.ngram import NGram

        ch = NGram.normalize(chr(cp))
        self[cp] = ch
        return ch


_CACHE_LIMIT = 200_000  # memoised words and n-gram rows; cleared when full (bounded memory)


class _FastDetector:
    def __init__(self) -> None:
        from langdetect import detector_factory
        from langdetect.detector import Detector

        detector_factory.init_factory()
        factory = detector_factory._factory
        assert factory is not None
        self.word_map: dict[str, list[float]] = factory.word_lang_prob_map
        self.langlist: list[str] = list(factory.langlist)
        self.n = len(self.langlist)
        self.d = Detector
        self.norm = _Normaliser()
        self.words: dict[tuple[str, bool], tuple[str, ...]] = {}
        self.rows: dict[str, np.ndarray] = {}

    # Detector.append + cleaning_text
    def _prepare(self, text: str) -> str:
        from langdetect.utils.ngram import NGram

        d = self.d
        text = d.URL_RE.sub(" ", text)
        text = d.MAIL_RE.sub(" ", text)
        text = NGram.normalize_vi(text)
        text = re.sub(" {2,}", " ", text[:10000])  # Detector.max_text_length, runs of spaces collapsed
        latin = non_latin = 0
        for ch in text:
            if "A" <= ch <= "z":
                latin += 1
            elif ch >= "\u0300" and not ("\u1e00" <= ch <= "\u1eff"):  # not 'Latin Extended Additional'
                non_latin += 1
        if latin * 2 < non_latin:
            text = "".join(ch for ch in text if ch < "A" or ch > "z")
        return text

    def _word(self, word: str, space_after: bool) -> tuple[str, ...]:
        """NGram.add_char over `word` (already normalised) from a word start, then one space if `space_after`."""
        key = (word, space_after)
        got = self.words.get(key)
        if got is not None:
            return got
        out: list[str] = []
        grams, capital = " ", False
        for ch in word + (" " if space_after else ""):
            last = grams[-1]
            if last == " ":
                grams, capital = " ", False
                if ch == " ":
                    continue
            elif len(grams) >= 3:
                grams = grams[1:]
            grams += ch
            if ch.isupper():
                if last.isupper():
                    capital = True
            else:
                capital = False
            if capital:
                continue
            for n in (1, 2, 3):
                if len(grams) < n:
                    break
                w = grams[-n:]
                if w and w != " " and w in self.word_map:
                    out.append(w)
        result = tuple(out)
        if len(self.words) >= _CACHE_LIMIT:
            self.words.clear()
        self.words[key] = result
        return result

    def _ngrams(self, text: str) -> list[str]:
        tokens = text.translate(self.norm).split(" ")
        last = len(tokens) - 1
        out: list[str] = []
        for i, tok in enumerate(tokens):
            if tok:
                out.extend(self._word(tok, i < last))
        return out

    def _row(self, w: str) -> np.ndarray:
        row = self.rows.get(w)
        if row is None:
            if len(self.rows) >= _CACHE_LIMIT:
                self.rows.clear()
            row = self.rows[w] = np.array(self.word_map[w], dtype=np.float64)
        return row

    def detect(self, text: str) -> list[tuple[str, float]]:
        """[(code, probability)] above 0.1, most probable first: `detect_langs` without its Language objects."""
        d = self.d
        ngrams = self._ngrams(self._prepare(text))
        if not ngrams:
            raise LangDetectException(0, "No features in text.")
        rng = random.Random()
        rng.seed(DetectorFactory.seed)
        langprob = np.zeros(self.n)
        rows = self.rows
        n_trial = 7
        for _ in range(n_trial):
            prob = np.full(self.n, 1.0 / self.n)
            alpha = d.ALPHA_DEFAULT + rng.gauss(0.0, 1.0) * d.ALPHA_WIDTH
            weight = alpha / d.BASE_FREQ
            i = 0
            while True:
                w = rng.choice(ngrams)
                row = rows.get(w)
                if row is None:
                    row = self._row(w)
                prob *= weight + row
                if i % 5 == 0:
                    sump = sum(prob.tolist())  # sequential, as langdetect sums
                    prob /= sump
                    if prob.max() > d.CONV_THRESHOLD or i >= d.ITERATION_LIMIT:
                        break
                i += 1
            langprob += prob / n_trial
        found = [(lang, p) for lang, p in zip(self.langlist, langprob.tolist(), strict=True) if p > d.PROB_THRESHOLD]
        found.sort(key=lambda lp: lp[1], reverse=True)
        return found


_fast: _FastDetector | None = None


def _detector() -> _FastDetector:
    global _fast
    if _fast is None:
        _fast = _FastDetector()
    return _fast


def warm_up() -> None:
    """Load langdetect's profiles now rather than on the first document."""
    _detector()


def detect_langs_fast(text: str) -> list[tuple[str, float]]:
    """Exactly `[(l.lang, l.prob) for l in langdetect.detect_langs(text)]`, faster; raises LangDetectException too."""
    if os.environ.get("CLAIMWATCH_LANGDETECT") == "reference":
        return [(c.lang, c.prob) for c in detect_langs(text)]
    return _detector().detect(text)


def detect_language(text: str) -> Language:
    """Most probable language of `text`; `Language("unknown", 0.0)` when there is nothing to judge."""
    if not text or not any(ch.isalpha() for ch in text):
        return Language(UNKNOWN_LANGUAGE, 0.0)
    try:
        candidates = detect_langs_fast(sample(text))
    except LangDetectException:
        return Language(UNKNOWN_LANGUAGE, 0.0)
    if not candidates:
        return Language(UNKNOWN_LANGUAGE, 0.0)
    # zh-cn and zh-tw both become zh: add their probabilities up.
    totals: dict[str, float] = {}
    for lang, p in candidates:
        code = normalise_code(lang)
        totals[code] = totals.get(code, 0.0) + p
    code, prob = max(totals.items(), key=lambda kv: kv[1])
    return Language(code, round(min(prob, 1.0), 4))
