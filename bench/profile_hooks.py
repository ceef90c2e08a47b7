"""Timing hooks of ``bench/profile_build.py`` (not part of the package): wrappers that log how long steps take.

The package itself carries no timing code, so a build that is not profiled pays nothing. The profiler
wraps functions from outside, in the build's process (:func:`install_driver`) and in each kernel
(:func:`install_kernel`, run by the kernel's warm-up cell), and every wrapper appends one JSON line
``{"who", "unit", "step", "s"}`` to the file named by ``MCIS_PROFILE_LOG``.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import threading
import time
from collections.abc import Callable
from typing import Any

_LOG = os.environ.get("MCIS_PROFILE_LOG", "")
_write_lock = threading.Lock()
_current = threading.local()  # the report this thread works on
_kernel_unit: list[str] = ["-"]  # the report this kernel works on


def log(step: str, seconds: float, unit: str | None = None, who: str = "driver") -> None:
    """Append one timing to the log (no-op without ``MCIS_PROFILE_LOG``)."""
    if not _LOG:
        return
    if unit is None:
        unit = getattr(_current, "unit", "-") if who == "driver" else _kernel_unit[0]
    line = json.dumps({"who": who, "pid": os.getpid(), "unit": unit, "step": step, "s": seconds, "t": time.time()})
    with _write_lock, open(_LOG, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def timed(step: str, function: Callable, who: str = "driver", unit_of: Callable | None = None) -> Callable:
    """``function`` that logs its duration under ``step``; ``unit_of(args)`` names the report it works on."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        previous = getattr(_current, "unit", "-")
        if unit_of is not None:
            _current.unit = unit_of(args, kwargs)
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            log(step, time.perf_counter() - started, who=who)
            if unit_of is not None:
                _current.unit = previous

    return wrapper


def patch(owner: Any, name: str, step: str, **options: Any) -> None:
    """Replace ``owner.name`` by its timed version."""
    setattr(owner, name, timed(step, getattr(owner, name), **options))


# --- in a kernel ---------------------------------------------------------------------------------------------


def kernel_started(started_at: float) -> None:
    """First line of the warm-up cell: the time from the driver's ``start()`` to the kernel running code."""
    log("kernel: start (process, ZMQ, ready)", time.time() - started_at, unit="-", who="kernel")


def install_kernel() -> None:
    """Wrap, in this kernel, the data validation (before the package's import finishes its own)."""
    from mcis_report import dataset

    patch(dataset, "check_dataset", "kernel: data load and validation", who="kernel")


def install_kernel_report() -> None:
    """Wrap the report's steps in this kernel: opening the context, each part, figures per format."""
    import matplotlib.figure

    from mcis_report.report import context, registry

    opened = context.ReportContext.open.__func__

    def open_(cls, edition, lang, *args, **kwargs):
        _kernel_unit[0] = f"{kwargs.get('folder') or edition}/{lang}"  # the trends report: folder "trends"
        started = time.perf_counter()
        try:
            return opened(cls, edition, lang, *args, **kwargs)
        finally:
            log("kernel: open context (data copy, params)", time.perf_counter() - started, who="kernel")

    context.ReportContext.open = classmethod(open_)
    for report, parts in registry._REGISTRY.items():
        for part_id, part in list(parts.items()):
            parts[part_id] = dataclasses.replace(
                part, render=timed(f"kernel: {report} part {part_id} (incl. figures)", part.render, who="kernel")
            )
    patch(context.ReportContext, "figure", "kernel: figures, all work in ctx.figure", who="kernel")
    patch(context.ReportContext, "finish", "kernel: artifacts.json", who="kernel")
    savefig = matplotlib.figure.Figure.savefig

    def savefig_(self, fname, *args, **kwargs):
        named = isinstance(fname, str | os.PathLike)
        kind = kwargs.get("format") or (str(fname).rsplit(".", 1)[-1] if named else "png")
        started = time.perf_counter()
        try:
            return savefig(self, fname, *args, **kwargs)
        finally:
            log(f"kernel: figure savefig {kind}", time.perf_counter() - started, who="kernel")

    matplotlib.figure.Figure.savefig = savefig_


# --- in the build's process -----------------------------------------------------------------------------------


def _plan_unit(args: tuple, kwargs: dict) -> str:
    plan = next((a for a in args if hasattr(a, "unit") and hasattr(a, "folder")), None)
    return plan.unit.name if plan is not None else "-"


def install_driver(warm_up_prefix: str, warm_up_suffix: str) -> None:
    """Wrap the build's steps in this process; add the kernel hooks to the kernels' warm-up cell."""
    from mcis_report import build, cache, execute, export

    # Kernel side: the warm-up cell is the first code a kernel runs; escape braces for its str.format.
    execute.WARM_UP = (
        warm_up_prefix.replace("{", "{{").replace("}", "}}")
        + execute.WARM_UP
        + warm_up_suffix.replace("{", "{{").replace("}", "}}")
    )
    worker = execute.KernelWorker
    start = worker.start

    def start_(self):
        os.environ["MCIS_PROFILE_STARTED"] = repr(time.time())  # read by the warm-up cell through the environment
        started = time.perf_counter()
        try:
            return start(self)
        finally:
            log("driver: kernel start + warm-up (wall, overlaps validation)", time.perf_counter() - started, unit="-")

    worker.start = start_
    patch(worker, "run_notebook", "driver: run notebook in kernel (wall)")
    patch(worker, "_collect_warnings", "driver: collect warnings round trip")
    patch(build, "_execute_unit", "driver: whole report (wall)", unit_of=_plan_unit)
    patch(build, "_commit", "driver: commit (files, hashes, swap)", unit_of=_plan_unit)
    patch(build, "_staged_files", "driver: commit: list and hash files", unit_of=_plan_unit)
    patch(build, "_neutralise_tables", "driver: commit: neutralise tables")
    patch(build, "_swap_in", "driver: commit: swap in")
    patch(build, "_validate", "driver: data validation (overlaps kernel start)", unit_of=lambda a, k: "-")
    patch(build, "plan_units", "driver: plan (hash data, read manifests)", unit_of=lambda a, k: "-")
    patch(build, "write_index", "driver: site (index, navigation, summaries)", unit_of=lambda a, k: "-")
    patch(export, "normalise", "driver: normalise notebook")
    patch(export, "export_html", "driver: export HTML (nbconvert + enhance)")
    patch(export, "enhance", "driver: export: enhance (tables, figures)")
    patch(export, "notebook_bytes", "driver: notebook bytes (nbformat.writes)")
    patch(export, "warm_up", "driver: export warm-up (template compile)", unit_of=lambda a, k: "-")
    patch(export, "site_facts", "driver: site: summaries (validation, analysis)", unit_of=lambda a, k: "-")
    patch(cache, "content_hash", "driver: commit: content hashes")
