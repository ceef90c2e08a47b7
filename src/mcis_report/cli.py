"""Command line (build layer): ``mcis-report validate`` and ``mcis-report build``.

Start-up imports stay light: pandas, pandera and the notebook machinery load only inside the
command that needs them.
"""

from __future__ import annotations

import argparse
import os
import sys

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _os_error(exc: OSError) -> str:
    """One line for an operating-system error: the file and the reason, never a traceback."""
    where = f"{exc.filename}: " if exc.filename else ""
    return f"mcis-report: {where}{exc.strerror or exc}"


def _validate(args: argparse.Namespace) -> int:
    from .dataset import check_dataset

    try:
        dataset, problems = check_dataset(args.data)
    except OSError as exc:
        print(_os_error(exc), file=sys.stderr)
        return EXIT_USAGE
    if dataset is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem(s) in {args.data}", file=sys.stderr)
        return EXIT_USAGE
    for table, count in dataset.summary().items():
        print(f"{table:<15} {count:>5} rows  ok")
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from .build import BuildError, UsageError, build_reports

    try:
        results = build_reports(
            edition=args.edition,
            lang=args.lang,
            data_dir=args.data,
            out_dir=args.out,
            progress=lambda message: print(message, file=sys.stderr, flush=True),
            jobs=args.jobs,
            force=args.force,
            timeout=args.timeout,
            notebook=args.notebook,
            pdf=args.pdf,
            trends=not args.no_trends,
        )
    except UsageError as exc:
        print(f"mcis-report: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BuildError as exc:
        print(f"mcis-report: build failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:  # a file or folder that cannot be read or written: say which, in one line
        print(_os_error(exc), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("mcis-report: interrupted; kernels stopped, previous reports left as they were", file=sys.stderr)
        return EXIT_INTERRUPTED
    for path in results:
        print(path)
    return EXIT_OK


def _code(args: argparse.Namespace) -> int:
    """Code documents with the codebook's lexicons; one CSV row per document, written as it is coded."""
    import csv
    from pathlib import Path

    from .coding import Document, Tagger, code_documents, csv_values, iter_documents, load_frames

    frames, problems = load_frames(args.data)
    if frames is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        return EXIT_USAGE
    out = Path(args.out) if args.out else None
    if out is not None and not out.parent.is_dir():
        print(f"mcis-report code: {out.parent}: no such folder for --out", file=sys.stderr)
        return EXIT_USAGE
    from tqdm import tqdm

    tagger = Tagger(frames)
    paths = [Path(p) for p in args.paths]
    try:
        total = sum(p.stat().st_size for p in paths if p.is_file()) + sum(
            f.stat().st_size for p in paths if p.is_dir() for f in p.rglob("*.txt") if f.is_file()
        )
    except OSError:
        total = 0  # the bar then counts without a total; the unreadable input is reported below
    # The bar shows only on a terminal and only once a run has lasted two seconds.
    bar = tqdm(total=total or None, unit="B", unit_scale=True, file=sys.stderr, delay=2, disable=None, desc="coding")
    failed = 0
    # Rows go to a temporary file beside --out, renamed into place at the end: never a half-written file.
    partial = out.with_name(f".{out.name}.{os.getpid()}.tmp") if out is not None else None
    handle = partial.open("w", encoding="utf-8", newline="") if partial is not None else sys.stdout
    try:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(tagger.columns())
        items = iter_documents(paths, args.text_column)
        for item, row in code_documents(items, tagger, jobs=max(1, args.jobs)):
            if not isinstance(item, Document):
                failed += 1
                bar.clear()
                print(item, file=sys.stderr, flush=True)
                continue
            writer.writerow(csv_values(row or {}))
            bar.update(item.size)
        bar.close()
        if partial is not None and out is not None:
            handle.close()
            partial.replace(out)
    except KeyboardInterrupt:
        print("mcis-report code: interrupted" + ("; no output file written" if out else ""), file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        print(f"mcis-report code: cannot write the output: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        bar.close()
        if partial is not None:
            handle.close()
            partial.unlink(missing_ok=True)
    if failed:
        print(
            f"mcis-report code: {failed} input(s) could not be coded (listed above); the others were coded",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return EXIT_OK


def make_parser() -> argparse.ArgumentParser:
    """The ``mcis-report`` argument parser (``validate``, ``build``, ``code``)."""
    parser = argparse.ArgumentParser(
        prog="mcis-report",
        description="Validate the MCIS data and build the narrative HTML report.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check every data file; list all problems")
    validate.add_argument("--data", default="data", help="data folder (default: data)")
    validate.set_defaults(run=_validate)

    build = commands.add_parser("build", help="build the HTML report(s) under the output folder")
    build.add_argument(
        "--edition",
        default=None,
        help="edition year, 'all' (every edition and the trends report) or 'trends' (the trends report only); "
        "default: the latest edition and the trends report",
    )
    build.add_argument("--lang", default="all", help="report language: en, ar or all (default: all)")
    build.add_argument("--data", default="data", help="data folder (default: data)")
    build.add_argument("--out", default="outputs", help="output folder (default: outputs)")
    build.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="reports executed at the same time, one kernel each (default: number of CPUs)",
    )
    build.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    build.add_argument(
        "--timeout",
        type=int,
        default=None,
        metavar="SECONDS",
        help="fail a cell that runs longer than this (default: no limit)",
    )
    build.add_argument(
        "--notebook",
        default=None,
        metavar="PATH",
        help="edition report notebook to run; its 'parameters' cell must declare edition, lang, data_dir "
        "and output_dir (default: the package's edition_report.ipynb; the trends report keeps its own)",
    )
    build.add_argument(
        "--pdf", action="store_true", help="also print each report to report.pdf with headless Chromium (A4)"
    )
    build.add_argument(
        "--no-trends", action="store_true", help="leave the trends report out of the default and 'all' builds"
    )
    build.set_defaults(run=_build)

    code = commands.add_parser("code", help="tag texts with the codebook's frames (lexicon screening) as CSV")
    code.add_argument(
        "paths", nargs="+", metavar="PATH", help="folders (every .txt below them), UTF-8 .txt files or .csv files"
    )
    code.add_argument(
        "--text-column", default="text", metavar="NAME", help="column holding the text in CSV files (default: text)"
    )
    code.add_argument("--out", default=None, metavar="FILE", help="write the CSV here (default: standard output)")
    code.add_argument("--jobs", type=int, default=1, help="worker processes (default: 1)")
    code.add_argument("--data", default="data", help="data folder with codebook.yaml (default: data)")
    code.set_defaults(run=_code)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0, 1 a cell failed, 2 bad input, 130 interrupted)."""
    args = make_parser().parse_args(argv)
    return args.run(args)


def entry() -> None:
    """Console-script entry point."""
    code = main()
    if code == EXIT_INTERRUPTED:
        # Kernels are already ended; skip the interpreter's shutdown, where threads still unwinding from the
        # interrupt could turn the exit into a second KeyboardInterrupt.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
