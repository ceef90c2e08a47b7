"""Benchmark of the report build (not a test): prints timings, ratios and, last, one JSON line.

Measured in one run on the same machine, after one warm-up of each, as the median of ``--runs`` runs:

- ``floor_s``      the same analysis as a plain Python script in one fresh process: the package's registered
                   report parts rendered directly for every report, charts saved, HTML strings built;
- ``naive_s``      for each report, the ``papermill`` CLI then ``jupyter nbconvert --to html --no-input``,
                   one after the other;
- ``cold_s``       ``mcis-report build`` with an empty output folder;
- ``noop_s``       ``mcis-report build`` again with nothing changed;
- ``one_change_s`` ``mcis-report build`` after changing one data file (a figure in figures.csv).

Usage: ``python bench/build_bench.py [--edition all|YEAR] [--lang en|all] [--runs 3]``
Targets on a 2-core machine: cold_s / floor_s <= 1.5, naive_s / cold_s >= 3, noop_s <= 0.5.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "src" / "mcis_report" / "notebooks" / "edition_report.ipynb"
BIN = Path(sys.executable).parent

FLOOR_SCRIPT = """
import sys
from pathlib import Path
from mcis_report import report
data, out, units = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
for unit in units:
    year, lang = unit.split("/")
    ctx = report.ReportContext.open(int(year), lang, data, out)
    page = report.render_report(ctx, "edition")  # every registered part, as the notebook does
    (ctx.out_dir / "report.html").write_text(page, encoding="utf-8")
"""


def timed(command: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def units_for(edition: str, lang: str) -> list[str]:
    from mcis_report import load_dataset
    from mcis_report.i18n import languages

    years = load_dataset(ROOT / "data").years
    chosen = years if edition == "all" else [int(edition)]
    langs = languages() if lang == "all" else (lang,)
    return [f"{y}/{code}" for y in chosen for code in langs]


def floor(units: list[str], work: Path) -> float:
    out = work / "floor"
    shutil.rmtree(out, ignore_errors=True)
    return timed([sys.executable, "-c", FLOOR_SCRIPT, str(ROOT / "data"), str(out), *units])


def naive(units: list[str], work: Path) -> float:
    out = work / "naive"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    total = 0.0
    for unit in units:
        year, lang = unit.split("/")
        executed = out / f"{year}-{lang}.ipynb"
        total += timed(
            [
                str(BIN / "papermill"),
                str(NOTEBOOK),
                str(executed),
                "-p",
                "edition",
                year,
                "-p",
                "lang",
                lang,
                "-p",
                "data_dir",
                str(ROOT / "data"),
                "-p",
                "output_dir",
                str(out),
                "--cwd",
                str(NOTEBOOK.parent),
            ]
        )
        total += timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
    return total


def ours(edition: str, lang: str, out: Path, data: Path, extra: tuple[str, ...] = ()) -> float:
    return timed(
        [
            str(BIN / "mcis-report"),
            "build",
            "--edition",
            edition,
            "--lang",
            lang,
            "--data",
            str(data),
            "--out",
            str(out),
            *extra,
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edition", default="all")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    units = units_for(args.edition, args.lang)
    print(f"workload: {len(units)} report(s): {', '.join(units)}; {os.cpu_count()} CPU(s); median of {args.runs}")

    with tempfile.TemporaryDirectory(prefix="mcis-bench-") as tmp:
        work = Path(tmp)
        data = work / "data"
        shutil.copytree(ROOT / "data", data)
        figures = data / "figures.csv"
        original = figures.read_text(encoding="utf-8")

        def cold() -> float:
            out = work / "cold"
            shutil.rmtree(out, ignore_errors=True)
            return ours(args.edition, args.lang, out, data)

        def noop() -> float:
            return ours(args.edition, args.lang, work / "cold", data)

        flip = [0]

        def one_change() -> float:
            flip[0] += 1  # alternate a 2023 figure so that every run sees a real change
            figures.write_text(
                original.replace("2023,delegates,800,", f"2023,delegates,{800 + flip[0]},", 1), encoding="utf-8"
            )
            return ours(args.edition, args.lang, work / "cold", data)

        measures = {
            "floor_s": lambda: floor(units, work),
            "naive_s": lambda: naive(units, work),
            "cold_s": cold,
            "noop_s": noop,
            "one_change_s": one_change,
        }
        results = {}
        for name, measure in measures.items():
            measure()  # warm-up: disk cache, font cache, compiled bytecode
            samples = [measure() for _ in range(args.runs)]
            results[name] = round(statistics.median(samples), 3)
            print(f"{name:<13} median {results[name]:7.3f} s   runs: {', '.join(f'{s:.3f}' for s in samples)}")

    print(f"cold_s / floor_s  = {results['cold_s'] / results['floor_s']:.2f}   (target <= 1.5)")
    print(f"naive_s / cold_s  = {results['naive_s'] / results['cold_s']:.2f}   (target >= 3)")
    print(f"noop_s            = {results['noop_s']:.3f} s (target <= 0.5)")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
