"""Command line (build layer): ``mcis-report validate`` and ``mcis-report build``.

Start-up imports stay light: pandas, pandera and the notebook machinery load only inside the
command that needs them.
"""

from __future__ import annotations

import argparse
import os
import sys

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _validate(args: argparse.Namespace) -> int:
    from .dataset import check_dataset

    dataset, problems = check_dataset(args.data)
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
            pdf=args.pdf,
        )
    except UsageError as exc:
        print(f"mcis-report: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BuildError as exc:
        print(f"mcis-report: build failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("mcis-report: interrupted; kernels stopped, previous reports left as they were", file=sys.stderr)
        return EXIT_INTERRUPTED
    for path in results:
        print(path)
    return EXIT_OK


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mcis-report",
        description="Validate the MCIS data and build the narrative HTML report.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check every data file; list all problems")
    validate.add_argument("--data", default="data", help="data folder (default: data)")
    validate.set_defaults(run=_validate)

    build = commands.add_parser("build", help="build the HTML report(s) under the output folder")
    build.add_argument("--edition", default=None,
                       help="edition year, or 'all' (default: the latest edition in the data)")
    build.add_argument("--lang", default="all", help="report language: en, ar or all (default: all)")
    build.add_argument("--data", default="data", help="data folder (default: data)")
    build.add_argument("--out", default="outputs", help="output folder (default: outputs)")
    build.add_argument("--jobs", type=int, default=None,
                       help="reports executed at the same time, one kernel each (default: number of CPUs)")
    build.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    build.add_argument("--timeout", type=int, default=None, metavar="SECONDS",
                       help="fail a cell that runs longer than this (default: no limit)")
    build.add_argument("--pdf", action="store_true",
                       help="also print each report to report.pdf with headless Chromium (A4)")
    build.set_defaults(run=_build)
    return parser


def main(argv: list[str] | None = None) -> int:
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
