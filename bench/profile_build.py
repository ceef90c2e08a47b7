"""Profile of a cold build (not a test): where the time of ``mcis-report build`` goes, step by step.

Runs each cold build in a fresh process (``build_reports``, as the command line does, into an empty
temporary folder), with the timing wrappers of ``bench/profile_hooks.py`` around its steps here and in each kernel,
and prints one Markdown table: per step, the seconds summed over all reports, the mean per report and the
largest, as the median of ``--repeat`` cold builds. Steps marked *wall* overlap others (a kernel works
while the build exports another report); chapters include their figures; derived rows (in italics) are
differences: the time of a notebook run that no report part accounts for is the kernel round trips,
papermill's parameters and nbclient's bookkeeping.

Usage: ``python bench/profile_build.py [--edition all|YEAR] [--lang en|all] [--repeat 3] [--jobs N]
[--json FILE]`` (``--json`` also writes every median, per report, to FILE).
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
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH", "")) if p)

KERNEL_PREFIX = f"""\
import os as _os, sys as _sys, time as _time
_sys.path.insert(0, {str(BENCH)!r})
import profile_hooks as _ph
_ph.kernel_started(float(_os.environ["MCIS_PROFILE_STARTED"]))
_ph_t0 = _time.perf_counter()
_ph.install_kernel()
"""
KERNEL_SUFFIX = """
_ph.install_kernel_report()
_ph.log("kernel: warm-up total", _time.perf_counter() - _ph_t0, unit="-", who="kernel")
"""


def one_build(edition: str, lang: str, jobs: int | None, log: Path, out: Path) -> tuple[float, list[dict]]:
    """One cold build with the hooks on, in a fresh process (as cold as the command line's); its wall time
    and the logged timings."""
    log.write_text("", encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, __file__, "--single", str(log), str(out), "--edition", edition, "--lang", lang]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    started = time.perf_counter()
    subprocess.run(command, check=True, env={**os.environ, "MCIS_PROFILE_LOG": str(log), "MPLBACKEND": "Agg"})
    wall = time.perf_counter() - started
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    return wall, rows


def single(args: argparse.Namespace) -> None:
    """The child process of :func:`one_build`: install the hooks, build."""
    import profile_hooks

    from mcis_report.build import build_reports

    log, out = args.single
    profile_hooks._LOG = log
    profile_hooks.install_driver(KERNEL_PREFIX, KERNEL_SUFFIX)
    build_reports(args.edition, args.lang, ROOT / "data", Path(out), jobs=args.jobs)


def per_unit(rows: list[dict]) -> dict[str, dict[str, float]]:
    """``{step: {unit: seconds}}``: a step's timings summed per report (per kernel for the kernels' own steps)."""
    table: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in rows:
        unit = row["unit"] if row["unit"] != "-" else f"{row['who']}-{row['pid']}"
        table[row["step"]][unit] += row["s"]
    derived: dict[str, dict[str, float]] = defaultdict(dict)
    kernel_steps = [s for s in table if s.startswith("kernel: ") and " part " in s] + [
        "kernel: open context (data copy, params)",
        "kernel: artifacts.json",
    ]
    for unit, seconds in table.get("driver: run notebook in kernel (wall)", {}).items():
        inside = sum(table.get(step, {}).get(unit, 0.0) for step in kernel_steps)
        derived[ROUND_TRIPS][unit] = seconds - inside
    for unit, seconds in table.get("kernel: warm-up total", {}).items():
        data = table.get("kernel: data load and validation", {}).get(unit, 0.0)
        derived["kernel: imports, theme, first draw (warm-up − data)"][unit] = seconds - data
    for unit, seconds in table.get("driver: whole report (wall)", {}).items():
        accounted = sum(
            table.get(step, {}).get(unit, 0.0)
            for step in (
                "driver: run notebook in kernel (wall)",  # the warnings' round trip included
                "driver: normalise notebook",
                "driver: export HTML (nbconvert + enhance)",
                "driver: commit (files, hashes, swap)",
            )
        )
        derived["driver: rest of a report (staging, messages)"][unit] = seconds - accounted
    for step, values in derived.items():
        table[step] = defaultdict(float, values)
    return table


ROUND_TRIPS = "kernel: round trips (reset, parameters, warnings), papermill, nbclient (run − report code)"
ORDER = (
    "kernel: start",
    "kernel: warm-up",
    "kernel: imports",
    "kernel: data",
    "kernel: open",
    "kernel: edition part",
    "kernel: trends part",
    "kernel: figures",
    "kernel: figure",
    "kernel: artifacts",
    "kernel: round",
    "driver: data",
    "driver: plan",
    "driver: kernel",
    "driver: run",
    "driver: collect",
    "driver: normalise",
    "driver: export",
    "driver: notebook",
    "driver: commit",
    "driver: rest",
    "driver: whole",
    "driver: site",
)


def _rank(step: str) -> tuple[int, str]:
    return next((i for i, prefix in enumerate(ORDER) if step.startswith(prefix)), len(ORDER)), step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edition", default="all")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--single", nargs=2, metavar=("LOG", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.single:
        single(args)
        return

    with tempfile.TemporaryDirectory(prefix="mcis-profile-") as tmp:
        log = Path(tmp) / "timings.jsonl"
        load = os.getloadavg()
        walls, tables = [], []
        for _ in range(args.repeat):
            wall, rows = one_build(args.edition, args.lang, args.jobs, log, Path(tmp) / "out")
            walls.append(wall)
            tables.append(per_unit(rows))

    steps = sorted({s for t in tables for s in t}, key=_rank)
    medians: dict[str, dict[str, float]] = {}
    for step in steps:
        units = {u for t in tables for u in t.get(step, {}) if not u.startswith(("driver-", "kernel-"))}
        if units:  # per report: the median over the runs of each report's time
            medians[step] = {u: statistics.median(t.get(step, {}).get(u, 0.0) for t in tables) for u in sorted(units)}
        else:  # per kernel or once per build: the median over the runs of the sum
            medians[step] = {"(all)": statistics.median(sum(t.get(step, {}).values()) for t in tables)}
    reports = sorted({u for m in medians.values() for u in m if u != "(all)"})
    print(
        f"cold build of {len(reports)} report(s) ({args.edition}/{args.lang}), jobs={args.jobs or 'default'}, "
        f"median of {args.repeat}: wall {statistics.median(walls):.2f} s "
        f"(runs: {', '.join(f'{w:.2f}' for w in walls)}); "
        f"load average before: {' '.join(f'{x:.2f}' for x in load)}"
    )
    print()
    print("| step | total s | per report, mean | per report, max |")
    print("|---|---:|---:|---:|")
    for step in steps:
        values = medians[step]
        name = f"*{step}*" if step in DERIVED else step
        if "(all)" in values:
            print(f"| {name} | {values['(all)']:.2f} | | |")
        else:
            total = sum(values.values())
            print(f"| {name} | {total:.2f} | {total / len(reports):.3f} | {max(values.values()):.3f} |")
    if args.json:
        args.json.write_text(
            json.dumps({"wall": walls, "load": load, "medians": medians}, indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )


DERIVED = {
    ROUND_TRIPS,
    "kernel: imports, theme, first draw (warm-up − data)",
    "driver: rest of a report (staging, messages)",
}

if __name__ == "__main__":
    main()
