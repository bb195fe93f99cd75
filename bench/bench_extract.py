"""Benchmark: documents per second of extract_claims over >= 1,000 documents of ~5 KB.

Two corpora of 2,000 documents (N) of about 5 KB, printed one after the other:

- news: news articles as `bench/corpus.py` writes them for the pipeline benchmark
  (six languages, paragraphs of prose with dates, names and 2-5 figure sentences
  each), and one document in five a real test article (the bundled seeds, the
  multilingual test set) among such paragraphs in its language. About 5 figures per
  KB, as in real news pages (34 public news pages, cleaned: 5.3 figures per KB).
- dense: the test articles padded with one long background line that repeats a date,
  a year, a count and a percentage every 200 characters: about 19 figures per KB, a
  stress case (every figure is looked at).

Not a test: it prints figures. Run: .venv/bin/python bench/bench_extract.py [N]

Each figure is the median of 5 repetitions, after one document of each language (compiling that
language's lazy patterns). docs/s is given for CPU time of the process
(`time.process_time()`: what one core does, unaffected by other load on the machine) and
for wall time. Then two 1 MB texts: the test articles repeated (realistic) and 200,000 bare
numbers after one claim-like sentence (adversarial: every number is a figure to look at).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import LANGS, _article_body  # noqa: E402

from extractors.claims import extract_claims  # noqa: E402
from extractors.lexicon import available_languages, load_lexicon  # noqa: E402
from extractors.numbers import lowered, raw_figures  # noqa: E402

# Background paragraphs (no claims, some distractor numbers) that pad articles to ~5 KB.
_FILLER = {
    "en": "The talks in Geneva lasted three days and ended on 12 March 2025 without a joint statement. "
    "Officials from 11 countries attended, and the next round is planned for 2026. Markets rose 2.5% on the news. ",
    "fr": "Les discussions de Genève ont duré trois jours et se sont achevées le 12 mars 2025 sans déclaration commune. "
    "Des responsables de 11 pays y ont assisté ; le prochain cycle est prévu en 2026. Les marchés ont gagné 2,5 %. ",
    "de": "Die Gespräche in Genf dauerten drei Tage und endeten am 12. März 2025 ohne gemeinsame Erklärung. "
    "Vertreter aus 11 Ländern nahmen teil, die nächste Runde ist für 2026 geplant. Die Märkte stiegen um 2,5 %. ",
    "es": "Las conversaciones en Ginebra duraron tres días y terminaron el 12 de marzo de 2025 sin declaración conjunta. "
    "Asistieron representantes de 11 países y la próxima ronda está prevista para 2026. Los mercados subieron un 2,5 %. ",
    "it": "I colloqui di Ginevra sono durati tre giorni e si sono conclusi il 12 marzo 2025 senza una dichiarazione comune. "
    "Hanno partecipato funzionari di 11 paesi e il prossimo round è previsto nel 2026. I mercati sono saliti del 2,5%. ",
    "pt": "As conversações em Genebra duraram três dias e terminaram a 12 de março de 2025 sem declaração conjunta. "
    "Participaram responsáveis de 11 países e a próxima ronda está prevista para 2026. Os mercados subiram 2,5%. ",
}


def _articles() -> list[tuple[str, str]]:
    out = [(p.read_text(encoding="utf-8"), "fr") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    for p in sorted((ROOT / "tests" / "data" / "multilingual").glob("*.txt")):
        out.append((p.read_text(encoding="utf-8"), p.name[:2]))
    return out


def news_corpus(n: int, size: int = 5000, seed: int = 8) -> list[tuple[str, str]]:
    """n news documents of about `size` characters (see the module docstring)."""
    rng = random.Random(seed)
    arts = _articles()
    docs = []
    for i in range(n):
        if i % 5 == 4:
            text, lang = arts[(i // 5) % len(arts)]
            paras = [p for p in text.split("\n") if p.strip()]
        else:
            lang = LANGS[i % len(LANGS)]
            title, paras = _article_body(lang, rng)
            paras = [title, *paras]
        while sum(len(p) + 2 for p in paras) < size:
            _, more = _article_body(lang, rng)
            at = rng.randrange(len(paras) + 1)
            paras[at:at] = more
        body = "\n\n".join(paras)
        docs.append((f"{i}\n{body[: body.rfind(' ', 0, size) if len(body) > size else size]}", lang))
    return docs


def corpus(n: int, size: int = 5000) -> list[tuple[str, str]]:
    """The dense corpus: n documents of about `size` characters, a real or test article padded
    with one line of background text dense with figures."""
    arts = _articles()
    docs = []
    for i in range(n):
        text, lang = arts[i % len(arts)]
        filler = _FILLER.get(lang, _FILLER["en"])
        body = text[:size]
        if len(body) < size:
            pad = (filler * (size // len(filler) + 1))[: size - len(body)]
            cut = len(pad) // 2
            body = pad[:cut] + "\n\n" + body + "\n\n" + pad[cut:]
        docs.append((f"{i}\n{body}", lang))
    return docs


def megabyte_texts() -> dict[str, tuple[str, str]]:
    """The two 1 MB texts: realistic (articles repeated) and adversarial (200,000 bare numbers)."""
    arts = _articles()
    block = "\n\n".join(t for t, _ in arts)
    realistic = (block * (1_000_000 // len(block) + 1))[:1_000_000]
    numbers = " ".join(str((i * 7919) % 100_000) for i in range(200_000))
    adversarial = ("North Korea sent troops to Russia. " + numbers)[:1_000_000]
    return {"realistic": (realistic, "en"), "adversarial": (adversarial, "en")}


def _timed(run: object, reps: int = 5) -> tuple[float, float, object]:
    """Median CPU and wall seconds of `reps` calls of `run`, and its last result."""
    cpu, wall = [], []
    result = None
    for _ in range(reps):
        c0, w0 = time.process_time(), time.perf_counter()
        result = run()  # type: ignore[operator]
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return sorted(cpu)[reps // 2], sorted(wall)[reps // 2], result


def _density(docs: list[tuple[str, str]]) -> float:
    """Figures per 1,000 characters."""
    figures = sum(len(raw_figures(lowered(t), load_lexicon(lang))) for t, lang in docs)
    return figures / sum(len(t) for t, _ in docs) * 1000


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    for lang in available_languages():
        load_lexicon(lang)  # loading is a one-off, not part of the figure
    for name, docs in (("news", news_corpus(n)), ("dense", corpus(n))):
        # warm up: the first document of each language compiles that language's lazy regexes
        for lang in {lang: text for text, lang in docs}:
            extract_claims(next(text for text, lg in docs if lg == lang), lang)

        def run_corpus(docs: list[tuple[str, str]] = docs) -> int:
            return sum(len(extract_claims(text, lang)) for text, lang in docs)

        cpu, wall, claims = _timed(run_corpus)
        kb = sum(len(t) for t, _ in docs) / len(docs) / 1000
        print(
            f"extract_claims, {name}: {len(docs)} docs of ~{kb:.1f} KB, {_density(docs):.1f} figures/KB "
            f"(median of 5): {len(docs) / cpu:,.0f} docs/s CPU ({cpu:.2f}s), "
            f"{len(docs) / wall:,.0f} docs/s wall ({wall:.2f}s); {claims} claims"
        )
    for name, (text, lang) in megabyte_texts().items():
        cpu, wall, found = _timed(lambda text=text, lang=lang: extract_claims(text, lang))
        print(f"1 MB {name}: {cpu:.3f}s CPU, {wall:.3f}s wall (median of 5; {len(found)} claims)")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
