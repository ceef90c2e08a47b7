"""Benchmark of the frame tagger (not a test): prints throughputs, ratios and, last, one JSON line.

A synthetic mixed-language corpus (English, Arabic and Russian documents of speech length, in equal
numbers) is written to a temporary file, one document per line, from the codebook's lexicon terms
(with inflected endings, Arabic proclitics, and near-misses such as "Moscow", "crisis", "Somalia")
and neutral filler. It is then streamed from disk, one document at a time, three ways:

- ``floor_mb_s``  normalisation alone (:func:`mcis_report.coding.normalise`): the least any tagger
                  that matches on normalised text has to do;
- ``ours_mb_s``   the tagger (:meth:`mcis_report.coding.Tagger.count`: normalisation, one
                  Aho-Corasick pass, hits per frame);
- ``naive_mb_s``  the previous approach: the old normalisation, then ``str.count`` of every
                  normalised term on the text, term after term.

Throughput is megabytes of UTF-8 input per second of the process's CPU time (1 MB = 10**6 bytes),
reading the file included, so that other work on a shared machine does not blur the ratios (wall
times are printed too); floor and ours are the median of ``--runs`` passes, naive one pass. ``peak_rss_mb`` is the peak
resident memory of the whole process (generation included).

Usage: ``python bench/tagger_bench.py [--mb 100] [--runs 3] [--seed 15] [--data data]``
Targets: ours takes <= 1.5x the floor's time, is >= 5x the naive approach, peak memory < 300 MB.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mcis_report import coding  # noqa: E402 - after the path above, so the benchmark runs from a checkout

_FILLER_TEXT = {
    "en": (
        "the delegation minister conference session said that and of to in for with on was were their "
        "this a an discussed meeting regional questions future cooperation hall delegates morning plenary "
        "report partners exercises training officers army navy defence budget years development experience "
        "Moscow crisis precise decision Somalia disco classic senator quadrant terrorize"
    ),
    "ar": (
        "الوفد الوزير المؤتمر الجلسة قال إن في من إلى على مع عن كان هذا ناقش الاجتماع القضايا الإقليمية "
        "مستقبل التعاون القاعة المندوبون الصباح التقرير الشركاء التدريبات الضباط الجيش البحرية الميزانية "
        "السنوات التنمية الخبرة موسكو الأزمة قرار الصومال ماليزيا المالية الحوارات وزارةُ الدفاعِ"
    ),
    "ru": (
        "делегация министр конференция заседание сказал что и в на с по для о был были их это обсудили "
        "встреча региональные вопросы будущее сотрудничество зал делегаты утро доклад партнёры учения "
        "офицеры армия флот бюджет годы развитие опыт Москва кризис решение Сомали натощак снегопад шоссе "
        "однако"
    ),
}
FILLER = {lang: text.split() for lang, text in _FILLER_TEXT.items()}
ENDINGS = {"en": ("", "s", "ic", "ism"), "ar": ("", "ة", "ات", "ها"), "ru": ("ый", "ого", "ом", "ая", "ие")}
PROCLITICS = ("", "و", "ب", "ل", "وب", "ف")
PUNCTUATION = (". ", ", ", "; ", " — ", " «", "» ", ": ", "! ")


def corpus_terms(frames) -> dict[str, list[str]]:
    """Every lexicon term per language, stems given an ending now and then by :func:`write_corpus`."""
    terms: dict[str, list[str]] = {lang: [] for lang in FILLER}
    for lexicon in frames["lexicon"]:
        for lang in FILLER:
            terms[lang].extend(lexicon.get(lang, []))
    return terms


def write_corpus(path: Path, megabytes: float, terms: dict[str, list[str]], seed: int) -> int:
    """Write documents of 1,500-6,000 words, one per line, until ``megabytes`` are written; return the size."""
    rng = random.Random(seed)
    target, written = int(megabytes * 10**6), 0
    langs = list(FILLER)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        while written < target:
            lang = langs[rng.randrange(3)]
            words = rng.choices(FILLER[lang], k=rng.randint(1500, 6000))
            # About one lexicon term every 40 words, stems with an ending, Arabic terms after a proclitic.
            for position in rng.sample(range(len(words)), len(words) // 40):
                term = rng.choice(terms[lang])
                term = " ".join(w[:-1] + rng.choice(ENDINGS[lang]) if w.endswith("*") else w for w in term.split())
                words[position] = (rng.choice(PROCLITICS) + term) if lang == "ar" else term
            for position in range(rng.randint(5, 12), len(words), rng.randint(8, 20)):
                words[position] += rng.choice(PUNCTUATION)
            line = " ".join(words).replace("  ", " ") + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
    return written


def stream(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield line.rstrip("\n")


# The previous coding.py, for the naive baseline.
_OLD_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")
_OLD_FORMS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})


def _old_normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return _OLD_MARKS.sub("", text).translate(_OLD_FORMS)


def naive_counts(text: str, lexicons: list[list[str]]) -> list[int]:
    haystack = _old_normalise(text)
    return [sum(haystack.count(_old_normalise(term)) for term in terms) for terms in lexicons]


def timed(path: Path, work: Callable[[str], object], wall: list[float] | None = None) -> float:
    """CPU seconds of one pass over the corpus (wall seconds appended to ``wall``)."""
    start, start_wall = time.process_time(), time.perf_counter()
    for document in stream(path):
        work(document)
    if wall is not None:
        wall.append(time.perf_counter() - start_wall)
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100.0, help="corpus size in MB (default: 100)")
    parser.add_argument("--runs", type=int, default=3, help="passes of floor and ours (median; default 3)")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--data", default=str(ROOT / "data"), help="data folder with codebook.yaml")
    args = parser.parse_args(argv)

    frames, problems = coding.load_frames(args.data)
    if frames is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 2
    tagger = coding.Tagger(frames)
    lexicons = [
        [t.replace("*", "") for lang in ("en", "ar", "ru") for t in lex.get(lang, [])] for lex in frames["lexicon"]
    ]
    with tempfile.TemporaryDirectory(prefix="tagger-bench-") as folder:
        corpus = Path(folder) / "corpus.txt"
        size = write_corpus(corpus, args.mb, corpus_terms(frames), args.seed)
        mb = size / 10**6
        print(f"corpus: {mb:.1f} MB, {sum(1 for _ in stream(corpus))} documents", file=sys.stderr)
        floor_s, ours_s, floor_wall, ours_wall, naive_wall = [], [], [], [], []
        for _ in range(args.runs):
            floor_s.append(timed(corpus, coding.normalise, floor_wall))
            ours_s.append(timed(corpus, tagger.count, ours_wall))
        hits = [0]

        def count_hits(document: str) -> None:
            hits[0] += sum(tagger.count(document)[1])

        timed(corpus, count_hits)
        naive_s = timed(corpus, lambda document: naive_counts(document, lexicons), naive_wall)
    floor, ours = statistics.median(floor_s), statistics.median(ours_s)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"hits found by the tagger: {hits[0]}", file=sys.stderr)
    print(
        f"CPU time: floor {mb / floor:.1f} MB/s, ours {mb / ours:.1f} MB/s, naive {mb / naive_s:.1f} MB/s",
        file=sys.stderr,
    )
    print(
        f"wall time: floor {mb / statistics.median(floor_wall):.1f} MB/s, ours {mb / statistics.median(ours_wall):.1f}"
        f" MB/s, naive {mb / naive_wall[0]:.1f} MB/s",
        file=sys.stderr,
    )
    print(
        f"ours / floor time: {ours / floor:.2f} (target <= 1.5); naive / ours time: {naive_s / ours:.1f} "
        f"(target >= 5); peak RSS {peak:.0f} MB (target < 300)",
        file=sys.stderr,
    )
    print(
        json.dumps(
            {
                "mb": round(mb, 1),
                "floor_mb_s": round(mb / floor, 1),
                "ours_mb_s": round(mb / ours, 1),
                "naive_mb_s": round(mb / naive_s, 1),
                "peak_rss_mb": round(peak, 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
