"""Build (build layer): plan, execute, export and commit one report per (edition, language).

The steps, all in this one process:

1. Resolve the editions and languages asked for from a light read of ``editions.csv`` (an unknown
   value stops here, before any kernel starts).
2. Compare each report's cache keys (see :mod:`mcis_report.cache`) with the manifest of its last good
   build: up to date → skip; only Markdown changed → re-export the stored executed notebook; else
   execute.
3. Start the kernel workers (``--jobs``) at once, warming them up while the data is validated here.
4. Each worker runs its reports in a staging folder; a finished report is committed file by file with
   atomic renames, manifest last. A failing cell leaves the previous report as it was and saves the
   executed notebook and a partial page under ``<out>/_failed/``.
"""

from __future__ import annotations

import csv
import os
import queue
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import cache
from .i18n import languages, text

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = PROJECT_ROOT / "notebooks" / "edition_report.ipynb"
LOCK_FILE = ".mcis-build.lock"


class UsageError(ValueError):
    """A wrong parameter or invalid data: nothing was built (exit code 2)."""


class BuildError(RuntimeError):
    """A notebook failed while building (exit code 1); the previous report is untouched."""


@dataclass(frozen=True)
class Unit:
    """One report to build: an edition in a language."""

    year: int
    lang: str

    @property
    def name(self) -> str:
        return f"{self.year}/{self.lang}"


@dataclass
class Plan:
    unit: Unit
    folder: Path
    execution_key: str
    export_key: str
    action: str = "execute"  # "fresh", "export" or "execute"


# --- parameters ----------------------------------------------------------------------------------------


def held_years(data_dir: Path) -> list[int] | None:
    """Years of held editions from a light read of ``editions.csv``; ``None`` if it cannot be read."""
    try:
        with (data_dir / "editions.csv").open(encoding="utf-8-sig", newline="") as handle:
            years = sorted(int(row["year"]) for row in csv.DictReader(handle) if row["status"].strip() == "held")
    except (OSError, ValueError, KeyError, AttributeError, csv.Error, UnicodeDecodeError):
        return None
    return years or None


def resolve_units(edition: str | int | None, lang: str, years: list[int]) -> list[Unit]:
    """The (edition, language) pairs asked for; raises :class:`UsageError` listing valid values."""
    valid_langs = languages()
    langs = list(valid_langs) if lang == "all" else [lang]
    for code in langs:
        if code not in valid_langs:
            raise UsageError(f"unknown language {code!r}; valid: {', '.join(valid_langs)}, all")
    if edition is None:
        chosen = [years[-1]]
    elif str(edition) == "all":
        chosen = list(years)
    else:
        year = int(str(edition)) if str(edition).isdigit() else None
        if year not in years:
            raise UsageError(f"unknown edition {edition!r}; valid: {', '.join(map(str, years))}, all")
        chosen = [year]
    return [Unit(y, code) for y in chosen for code in langs]


def declared_parameters(notebook: Path) -> set[str]:
    """Names assigned in the notebook's ``parameters`` cell."""
    import json

    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            return set(re.findall(r"^(\w+)\s*(?::[^=\n]*)?=", source, re.MULTILINE))
    return set()


def _parameters(unit: Unit, data_dir: Path, output_dir: Path) -> dict:
    return {"edition": unit.year, "lang": unit.lang, "data_dir": str(data_dir), "output_dir": str(output_dir)}


# --- files -----------------------------------------------------------------------------------------------


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write ``path`` through a temporary file in the same folder and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _safe_out_dir(out_dir: str | Path) -> Path:
    out = Path(out_dir).resolve()
    forbidden = {Path(out.anchor), PROJECT_ROOT, PROJECT_ROOT / "src", PROJECT_ROOT / "data", Path.home()}
    if out in forbidden:
        raise UsageError(f"refusing to write reports into {out}: choose a dedicated output folder")
    return out


def _inside(path: Path, folder: Path) -> Path:
    """``path`` resolved, guaranteed to lie inside ``folder`` (parameters never escape the output folder)."""
    resolved = path.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        raise UsageError(f"{path} is outside the output folder {folder}")
    return resolved


class _BuildLock:
    """One build at a time per output folder (two would share the staging folder)."""

    def __init__(self, out: Path):
        self.path = out / LOCK_FILE

    def __enter__(self):
        import fcntl

        self.handle = self.path.open("w")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.handle.close()
            raise UsageError(f"another build is writing to {self.path.parent}") from None
        return self

    def __exit__(self, *exc):
        self.handle.close()


# --- one report ------------------------------------------------------------------------------------------


def _title(unit: Unit) -> str:
    return text("meta.report_title", unit.lang, year=unit.year)


def _commit(plan: Plan, staged_out: Path | None, nb, page: str) -> Path:
    """Move a finished report into place: the files it listed first, each atomically, the manifest last."""
    from .export import notebook_bytes
    from .report.artifacts import MANIFEST as ARTIFACTS
    from .report.artifacts import read_manifest

    final = plan.folder
    previous = cache.read_manifest(final).get("files", [])
    (final / cache.MANIFEST).unlink(missing_ok=True)
    files = ["report.html", "report.ipynb"]
    if staged_out is not None:
        listed = read_manifest(staged_out)
        if listed is None:
            raise BuildError(f"{NOTEBOOK.name} [edition={plan.unit.year}, lang={plan.unit.lang}] did not list the "
                             f"files it wrote ({ARTIFACTS}); its last cell must call report.render_report")
        written = sorted({*listed, ARTIFACTS})
        for name in written:
            atomic_write(_inside(final / name, final), (staged_out / name).read_bytes())
        for stale in set(previous) - set(written) - set(files):
            _inside(final / stale, final).unlink(missing_ok=True)
        files += written
    else:
        files += [f for f in previous if f not in files]
    atomic_write(final / "report.ipynb", notebook_bytes(nb))
    atomic_write(final / "report.html", page)
    atomic_write(final / cache.MANIFEST, cache.manifest_text(plan.execution_key, plan.export_key,
                                                             sorted(set(files))))
    return final / "report.html"


def _show_final_paths(nb, staging: Path, final_out: Path) -> None:
    """The executed notebook names the output folder the files ended up in, not the staging folder."""
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = cell.source.replace(str(staging), str(final_out))


def _execute_unit(worker, plan: Plan, data: Path, out: Path, timeout: int | None) -> Path:
    from .execute import ExecutionFailure
    from .export import export_html, normalise

    staging = out / ".staging" / f"{plan.unit.year}-{plan.unit.lang}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        parameters = _parameters(plan.unit, data, staging)
        try:
            nb = worker.run_notebook(NOTEBOOK, parameters, timeout)
        except ExecutionFailure as failure:
            _save_failure(plan.unit, failure.nb, out)
            raise BuildError(_failure_message(plan.unit, failure)) from None
        _show_final_paths(nb, staging, out)
        normalise(nb)
        page = export_html(nb, plan.unit.lang, _title(plan.unit))
        return _commit(plan, staging / str(plan.unit.year) / plan.unit.lang, nb, page)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _reexport_unit(plan: Plan) -> Path:
    """Only Markdown changed: put the new Markdown around the stored outputs and export again."""
    import nbformat

    from .export import export_html, normalise

    executed = nbformat.read(plan.folder / "report.ipynb", as_version=4)
    current = nbformat.read(NOTEBOOK, as_version=4)
    outputs = iter([c for c in executed.cells if c.cell_type == "code"])
    cells = []
    for cell in current.cells:
        if cell.cell_type != "code":
            cells.append(cell)
            continue
        cells.append(next(outputs))
        if "parameters" in cell.metadata.get("tags", []):
            cells.append(next(outputs))  # papermill's injected-parameters cell follows
    executed.cells = cells
    normalise(executed)
    return _commit(plan, None, executed, export_html(executed, plan.unit.lang, _title(plan.unit)))


def _failure_message(unit: Unit, failure) -> str:
    cell = failure.cell
    where = "a cell"
    if cell is not None:
        executed = failure.nb.cells
        injected = next((i for i, c in enumerate(executed) if "injected-parameters" in c.metadata.get("tags", [])),
                        None)
        number = cell + 1 - (1 if injected is not None and cell > injected else 0)
        source = executed[cell].source.strip()
        last_line = source.splitlines()[-1] if source else ""  # the call or statement that failed
        where = f"cell {number} (`{last_line}`)"
    return (f"{NOTEBOOK.name}, {where}: {failure.ename}: {failure.evalue} "
            f"[parameters: edition={unit.year}, lang={unit.lang}]")


def _save_failure(unit: Unit, nb, out: Path) -> None:
    """Keep the executed failing notebook and a partial page (errors shown) for inspection."""
    from markupsafe import Markup

    from .export import export_html, normalise, notebook_bytes

    failed = out / "_failed" / str(unit.year) / unit.lang
    normalise(nb)
    atomic_write(failed / "report.ipynb", notebook_bytes(nb))
    try:
        page = export_html(nb, unit.lang, f"FAILED {unit.name}")
    except Exception as exc:  # noqa: BLE001 - the notebook is saved; say why the partial page is not
        page = Markup("<!DOCTYPE html><title>FAILED</title><p>Could not render the failed notebook: {}").format(exc)
    atomic_write(failed / "report.html", page)


def write_index(out: Path, data: Path | None = None) -> Path:
    """``<out>/index.html`` linking every report present, and every report's links to the others
    (each file rewritten only when it changes); ``data`` adds the editions' summaries."""
    from .export import write_site

    return write_site(out, data, atomic_write)


def write_pdfs(pages: list[Path], progress: Callable[[str], None]) -> list[Path]:
    """``report.pdf`` beside each page, printed by headless Chromium (checked before the build starts).

    The PDF is outside the byte-identical promise: Chromium stamps the date it was made.
    """
    from .export import PdfError, print_pdf

    written = []
    for page in pages:
        if page.is_file():
            pdf = page.with_suffix(".pdf")
            try:
                print_pdf(page, pdf)
            except PdfError as exc:
                raise BuildError(str(exc)) from None
            progress(f"[{page.parts[-3]}/{page.parts[-2]}] wrote {pdf}")
            written.append(pdf)
    return written


# --- the whole build -------------------------------------------------------------------------------------


def plan_units(units: list[Unit], data: Path, out: Path, force: bool) -> list[Plan]:
    parts = cache.notebook_parts(NOTEBOOK)
    data_key = cache.data_hash(data)
    plans = []
    for unit in units:
        folder = _inside(out / str(unit.year) / unit.lang, out)
        execution = cache.execution_key(parts, {"edition": unit.year, "lang": unit.lang}, data_key)
        export = cache.export_key(parts, execution)
        plan = Plan(unit, folder, execution, export)
        manifest = {} if force else cache.read_manifest(folder)
        if cache.is_fresh(folder, manifest, execution, export):
            plan.action = "fresh"
        elif manifest.get("execution") == execution and (folder / "report.ipynb").is_file():
            plan.action = "export"
        plans.append(plan)
    return plans


def _validate(data: Path) -> None:
    from .dataset import check_dataset

    dataset, problems = check_dataset(data)
    if dataset is None:
        listing = "\n".join(str(p) for p in problems)
        raise UsageError(f"the data in {data} has {len(problems)} problem(s):\n{listing}")


def build_reports(
    edition: str | int | None = None,
    lang: str = "all",
    data_dir: str | Path = "data",
    out_dir: str | Path = "outputs",
    progress: Callable[[str], None] = lambda message: None,
    jobs: int | None = None,
    force: bool = False,
    timeout: int | None = None,
    pdf: bool = False,
) -> list[Path]:
    """Build the requested reports; returns their ``report.html`` paths (``pdf``: also ``report.pdf``).

    Raises :class:`UsageError` (bad parameter or data: nothing built) or :class:`BuildError` (a cell
    failed: that report's previous version is untouched; the other reports are still built).
    """
    if lang != "all" and lang not in languages():
        raise UsageError(f"unknown language {lang!r}; valid: {', '.join(languages())}, all")
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs must be at least 1, got {jobs}")
    data = Path(data_dir).resolve()
    if not data.is_dir():
        raise UsageError(f"data folder not found: {data}")
    years = held_years(data)
    if years is None:
        _validate(data)  # says precisely what is wrong with editions.csv
        raise UsageError(f"no held edition in {data / 'editions.csv'}")
    units = resolve_units(edition, lang, years)
    unknown = set(_parameters(units[0], data, data)) - declared_parameters(NOTEBOOK)
    if unknown:
        raise UsageError(f"{NOTEBOOK.name} does not declare the parameter(s) {', '.join(sorted(unknown))}")
    if pdf:
        from .export import find_chromium

        if find_chromium() is None:  # before any kernel starts
            raise UsageError("--pdf needs Chromium to print the reports: install the 'chromium' package "
                             "(apt-get install chromium)")
    out = _safe_out_dir(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with _BuildLock(out), _terminate_as_interrupt():
        plans = plan_units(units, data, out, force)
        failures = _run_plans(plans, data, out, progress, jobs, timeout)
        write_index(out, data)
        if pdf:
            write_pdfs([p.folder / "report.html" for p in plans], progress)
        shutil.rmtree(out / ".staging", ignore_errors=True)
    if failures:
        raise BuildError("\n".join(failures))
    return [p.folder / "report.html" for p in plans]


def _run_plans(plans: list[Plan], data: Path, out: Path, progress, jobs: int | None, timeout: int | None) -> list[str]:
    for plan in plans:
        if plan.action == "fresh":
            progress(f"[{plan.unit.name}] up to date: {plan.folder / 'report.html'}")
    for plan in plans:
        if plan.action == "export":
            progress(f"[{plan.unit.name}] Markdown changed: exporting again without executing")
            progress(f"[{plan.unit.name}] wrote {_reexport_unit(plan)}")
    pending = [p for p in plans if p.action == "execute"]
    if not pending:
        return []
    return _execute_all(pending, data, out, progress, jobs or os.cpu_count() or 1, timeout)


def _execute_all(pending: list[Plan], data: Path, out: Path, progress, jobs: int, timeout: int | None) -> list[str]:
    from .execute import KernelWorker

    work: queue.Queue[Plan] = queue.Queue()
    for plan in pending:
        work.put(plan)
    go, stop = threading.Event(), threading.Event()
    failures: list[str] = []
    workers = [KernelWorker(NOTEBOOK.parent, f"kernel {i + 1}", data) for i in range(min(jobs, len(pending)))]

    def run(worker: KernelWorker) -> None:
        try:
            worker.start()
            go.wait()
            while not stop.is_set():
                try:
                    plan = work.get_nowait()
                except queue.Empty:
                    return
                progress(f"[{plan.unit.name}] executing on {worker.name}")
                try:
                    progress(f"[{plan.unit.name}] wrote {_execute_unit(worker, plan, data, out, timeout)}")
                except BuildError as exc:
                    failures.append(str(exc))
                    progress(f"[{plan.unit.name}] FAILED: {exc}")
        except Exception as exc:  # noqa: BLE001 - reported as a failure of the build, never swallowed
            if not stop.is_set():
                failures.append(f"{worker.name}: {type(exc).__name__}: {exc}")
        finally:
            worker.kill()

    threads = [threading.Thread(target=run, args=(w,), name=w.name, daemon=True) for w in workers]
    for thread in threads:
        thread.start()
    try:
        _validate(data)  # meanwhile the kernels start and import the package
        go.set()
        from .export import warm_up

        warm_up()  # compile the page template while the kernels work
        for thread in threads:
            while thread.is_alive():
                thread.join(timeout=0.2)
    except BaseException:
        stop.set()
        go.set()
        for worker in workers:
            worker.kill()
        for thread in threads:
            thread.join(timeout=10)
        shutil.rmtree(out / ".staging", ignore_errors=True)
        raise
    return failures


class _terminate_as_interrupt:
    """Inside the build, SIGTERM behaves like Ctrl-C: kernels are ended and staging files removed."""

    def __enter__(self):
        self.previous = None
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGTERM, self._raise)
        return self

    @staticmethod
    def _raise(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    def __exit__(self, *exc):
        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)
