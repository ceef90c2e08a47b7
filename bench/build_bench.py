"""Benchmark of the report build (not a test): prints timings, ratios and, last, one JSON line.

Measured in one run on the same machine, as the median of ``--repeat`` rounds after one warm-up round; each
round runs every measure once, so that a change in the machine's load touches all of them alike (the CPU
seconds of all processes, printed beside each wall time, show the work done whatever the load):

- ``floor_s``      the same analysis as a plain Python script in one fresh process: the package's registered
                   report parts rendered directly for every report, charts saved, HTML strings built;
- ``floor_par_s``  the same plain script over as many fresh processes as the build uses kernels
                   (``workers``: one per CPU, at most one per report), each taking the next report from a
                   shared queue in the build's order (``build.longest_first``: the trends report, then the
                   editions, newest first) as the build's kernels do, with one BLAS thread each as the
                   build's kernels have: the honest floor of a parallel build;
- ``naive_s``      for each report, the ``papermill`` CLI then ``jupyter nbconvert --to html --no-input``,
                   one after the other;
- ``cold_s``       ``mcis-report build`` with an empty output folder (with ``--edition all``: every edition
                   and the trends report, as the build does);
- ``cold_no_trends_s`` the same with ``--no-trends``: ``cold_s / cold_no_trends_s - 1`` is what the trends
                   report adds to the build (``trends_added``);
- ``noop_s``       ``mcis-report build`` again with nothing changed;
- ``one_change_s`` ``mcis-report build`` after changing one data file (a figure in figures.csv).

Usage: ``python bench/build_bench.py [--edition all|YEAR] [--lang en|all] [--repeat 3] [--skip naive]``
(``--skip`` leaves out measures, e.g. the slow ``naive``; ``--runs`` is another name for ``--repeat``).
Targets on a quiet 2-core machine: cold_s / floor_par_s <= 1.25, naive_s / cold_s >= 3.5, noop_s <= 0.3,
trends_added <= 0.15.
The last line is one JSON object: every median, the ratios, ``workers``, ``cpus`` and the load average
before and after the measurements (``load``; a busy machine blurs the figures).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "src" / "mcis_report" / "notebooks" / "edition_report.ipynb"
TRENDS_NOTEBOOK = NOTEBOOK.with_name("trends_report.ipynb")
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "src"))  # this checkout's package, here and (see this_checkout) in every process

FLOOR_SCRIPT = """
import sys
from pathlib import Path
from mcis_report import report
data, out, units = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
for unit in units:
    year, lang = unit.split("/")
    if year == "trends":  # the report across editions, as its notebook does
        ctx = report.ReportContext.open_trends(lang, data, out)
        page = report.render_report(ctx, "trends")
    else:
        ctx = report.ReportContext.open(int(year), lang, data, out)
        page = report.render_report(ctx, "edition")  # every registered part, as the notebook does
    (ctx.out_dir / "report.html").write_text(page, encoding="utf-8")
"""

# The same work over ``workers`` processes fed from one queue (like the build's kernels); each process
# imports the package and loads the data itself, as a kernel does.
FLOOR_PAR_SCRIPT = """
import multiprocessing as mp
import sys
from pathlib import Path


def render(job):
    from mcis_report import report

    data, out, unit = job
    year, lang = unit.split("/")
    if year == "trends":
        ctx = report.ReportContext.open_trends(lang, data, out)
        page = report.render_report(ctx, "trends")
    else:
        ctx = report.ReportContext.open(int(year), lang, data, out)
        page = report.render_report(ctx, "edition")
    (ctx.out_dir / "report.html").write_text(page, encoding="utf-8")


def prepare():
    import mcis_report.report  # noqa: F401  (each process pays its own imports)


if __name__ == "__main__":
    workers, data, out, units = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
    with mp.get_context("fork").Pool(workers, initializer=prepare) as pool:
        for _ in pool.imap_unordered(render, [(data, out, u) for u in units], chunksize=1):
            pass
"""


def this_checkout() -> dict[str, str]:
    """Environment in which every process (kernels included) imports this checkout's package, drawing off-screen."""
    path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "MPLBACKEND": "Agg"}


def children_cpu() -> float:
    """User + system CPU seconds of every finished child process (kernels included, once the build waited for them)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(
        command, check=True, cwd=ROOT, env=env or this_checkout(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - started


def units_for(edition: str, lang: str) -> list[str]:
    from mcis_report import load_dataset
    from mcis_report.i18n import languages

    years = load_dataset(ROOT / "data").years
    chosen = years if edition == "all" else [int(edition)]
    langs = languages() if lang == "all" else (lang,)
    trends = [f"trends/{code}" for code in langs] if edition == "all" else []  # built with "all", as the build does
    return [f"{y}/{code}" for y in chosen for code in langs] + trends


def floor(units: list[str], work: Path) -> float:
    out = work / "floor"
    shutil.rmtree(out, ignore_errors=True)
    return timed([sys.executable, "-c", FLOOR_SCRIPT, str(ROOT / "data"), str(out), *units])


def floor_par(units: list[str], work: Path, workers: int) -> float:
    from mcis_report.build import longest_first

    out = work / "floor_par"
    shutil.rmtree(out, ignore_errors=True)
    script = work / "floor_par.py"
    script.write_text(FLOOR_PAR_SCRIPT, encoding="utf-8")
    # In the build's order (build.longest_first), so that the two differ by overhead, not by scheduling.
    ordered = [unit.name for unit in longest_first(as_unit(u) for u in units)]
    # One BLAS thread per process, as the build gives its kernels: one process per CPU already fills them.
    env = {**this_checkout(), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    return timed([sys.executable, str(script), str(workers), str(ROOT / "data"), str(out), *ordered], env=env)


def as_unit(name: str):
    """``2023/en`` or ``trends/en`` as the build's :class:`mcis_report.build.Unit`."""
    from mcis_report.build import TRENDS, Unit

    folder, lang = name.split("/")
    return Unit(0, lang, TRENDS) if folder == TRENDS else Unit(int(folder), lang)


def build_workers(units: list[str]) -> int:
    """Kernels a cold build starts: one per CPU it may use, at most one per report (as ``build`` decides)."""
    from mcis_report.build import available_cpus

    return max(1, min(available_cpus(), len(units)))


def naive(units: list[str], work: Path) -> float:
    out = work / "naive"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    total = 0.0
    for unit in units:
        year, lang = unit.split("/")
        executed = out / f"{year}-{lang}.ipynb"
        notebook, edition = (TRENDS_NOTEBOOK, []) if year == "trends" else (NOTEBOOK, ["-p", "edition", year])
        total += timed(
            [
                str(BIN / "papermill"),
                str(notebook),
                str(executed),
                *edition,
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
    parser.add_argument("--repeat", "--runs", dest="runs", type=int, default=3, help="runs per measure (median)")
    parser.add_argument(
        "--skip", action="append", default=[], metavar="MEASURE", help="leave out a measure (repeatable): naive, ..."
    )
    args = parser.parse_args()
    units = units_for(args.edition, args.lang)
    workers = build_workers(units)
    load_before = os.getloadavg()
    print(
        f"workload: {len(units)} report(s): {', '.join(units)}; {os.cpu_count()} CPU(s), {workers} worker(s); "
        f"median of {args.runs}; load average {' '.join(f'{x:.2f}' for x in load_before)}"
    )

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

        def cold_no_trends() -> float:
            out = work / "cold_no_trends"
            shutil.rmtree(out, ignore_errors=True)
            return ours(args.edition, args.lang, out, data, ("--no-trends",))

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
            "floor_par_s": lambda: floor_par(units, work, workers),
            "naive_s": lambda: naive(units, work),
            "cold_s": cold,
            "cold_no_trends_s": cold_no_trends,
            "noop_s": noop,
            "one_change_s": one_change,
        }
        if not any(u.startswith("trends/") for u in units):
            measures.pop("cold_no_trends_s")  # nothing to leave out
        chosen = {n: m for n, m in measures.items() if n not in args.skip and n.removesuffix("_s") not in args.skip}
        samples: dict[str, list[float]] = {name: [] for name in chosen}
        cpu: dict[str, list[float]] = {name: [] for name in chosen}
        # Rounds, each running every measure once: a change in the machine's load touches all measures alike.
        for round_ in range(args.runs + 1):  # round 0 warms up: disk cache, font cache, compiled bytecode
            for name, measure in chosen.items():
                before = children_cpu()
                wall = measure()
                if round_:
                    samples[name].append(wall)
                    cpu[name].append(children_cpu() - before)
        results = {}
        for name in chosen:
            results[name] = round(statistics.median(samples[name]), 3)
            results[name.removesuffix("_s") + "_cpu_s"] = round(statistics.median(cpu[name]), 3)
            print(
                f"{name:<13} median {results[name]:7.3f} s   runs: {', '.join(f'{s:.3f}' for s in samples[name])}"
                f"   (CPU, all processes: {statistics.median(cpu[name]):.2f} s)"
            )

    def ratio(top: str, bottom: str) -> float | None:
        if top in results and bottom in results and results[bottom]:
            return round(results[top] / results[bottom], 2)
        return None

    ratios = {
        "cold_floor_par": ratio("cold_s", "floor_par_s"),
        "cold_floor": ratio("cold_s", "floor_s"),
        "naive_cold": ratio("naive_s", "cold_s"),
        "trends_added": None
        if ratio("cold_s", "cold_no_trends_s") is None
        else round(ratio("cold_s", "cold_no_trends_s") - 1, 2),
    }
    for label, key, target in (
        ("cold_s / floor_par_s", "cold_floor_par", "<= 1.25"),
        ("cold_s / floor_s    ", "cold_floor", "(one process; for reference)"),
        ("naive_s / cold_s    ", "naive_cold", ">= 3.5"),
        ("trends report adds  ", "trends_added", "<= 0.15 (cold_s / cold_no_trends_s - 1)"),
    ):
        if ratios[key] is not None:
            print(f"{label} = {ratios[key]:.2f}   target {target}")
    if "noop_s" in results:
        print(f"noop_s               = {results['noop_s']:.3f} s   target <= 0.3")
    load_after = os.getloadavg()
    summary = {
        **results,
        **ratios,
        "workers": workers,
        "cpus": os.cpu_count(),
        "reports": len(units),
        "load": [round(x, 2) for x in (*load_before[:1], *load_after[:1])],
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
