"""Build (build layer): plan, execute, export and commit one report per (edition, language).

The steps, all in this one process:

1. Resolve the editions and languages asked for from a light read of ``editions.csv`` (an unknown
   value stops here, before any kernel starts).
2. Compare each report's cache keys (see :mod:`mcis_report.cache`) with the manifest of its last good
   build: up to date → skip; only Markdown changed → re-export the stored executed notebook; else
   execute.
3. Start the kernel workers (``--jobs``) at once, warming them up while the data is validated here.
4. Each worker runs its reports in a staging folder (``<out>/.staging``), where the report is completed
   (page, notebook, spreadsheet-safe tables, a manifest with the hash of every file) and then swapped in
   by two renames: old folder aside, new folder in. A failing cell or a failed write leaves the previous
   report as it was; a failing cell also saves the executed notebook and a partial page under
   ``<out>/_failed/``, which the next good build of that report removes.
5. The build writes only real folders inside ``<out>``: a symbolic link there, or an ``index.html`` it
   did not write, stops it before anything is written. An interrupted or killed build's leftovers are
   repaired (a report moved aside is put back) or removed by the next build.
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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from . import cache
from .i18n import languages, text

PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: The report notebook, shipped inside the package (so an installed wheel finds it too).
NOTEBOOK = Path(str(resources.files(__package__).joinpath("notebooks", "edition_report.ipynb")))
#: The trends report's notebook (all editions in one report), also shipped inside the package.
TRENDS_NOTEBOOK = Path(str(resources.files(__package__).joinpath("notebooks", "trends_report.ipynb")))
#: Parameters every edition report notebook must declare in its ``parameters`` cell.
REQUIRED_PARAMETERS = ("edition", "lang", "data_dir", "output_dir")
#: The trends report's parameters: it covers every edition, so it takes no edition.
TRENDS_PARAMETERS = ("lang", "data_dir", "output_dir")
#: ``--edition`` value that builds only the trends report.
TRENDS = "trends"
LOCK_FILE = ".mcis-build.lock"


class UsageError(ValueError):
    """A wrong parameter or invalid data: nothing was built (exit code 2)."""


class BuildError(RuntimeError):
    """A notebook failed while building (exit code 1); the previous report is untouched."""


@dataclass(frozen=True)
class Unit:
    """One report to build: an edition in a language, or the trends report (``report="trends"``) in a language."""

    year: int  # for the trends report: the latest edition it covers
    lang: str
    report: str = "edition"

    @property
    def folder_name(self) -> str:
        """The report's folder under the output folder: the edition year, or ``trends``."""
        return TRENDS if self.report == TRENDS else str(self.year)

    @property
    def name(self) -> str:
        """``2023/en`` or ``trends/en``: how messages name the report."""
        return f"{self.folder_name}/{self.lang}"

    def parameters(self) -> dict:
        """The notebook parameters that identify the report (the folders are added when it runs)."""
        if self.report == TRENDS:
            return {"lang": self.lang}
        return {"edition": self.year, "lang": self.lang}


def longest_first(units: Iterable[Unit]) -> list[Unit]:
    """The order in which the kernels take the reports: the longest first, so that they finish together.

    The trends report (every edition's data, the most charts) comes first, then the editions, newest
    first: later editions have more data. The shortest reports are left for the end, where one kernel
    would otherwise wait for the other.
    """
    return sorted(units, key=lambda unit: (unit.report != TRENDS, -unit.year))


@dataclass
class Plan:
    """What the build does for one report: its folder, cache keys, action and notebook."""

    unit: Unit
    folder: Path
    execution_key: str
    export_key: str
    action: str = "execute"  # "fresh", "export" or "execute"
    notebook: Path = field(default_factory=lambda: NOTEBOOK)  # the notebook that renders it


# --- parameters ----------------------------------------------------------------------------------------


def held_years(data_dir: Path) -> list[int] | None:
    """Years of held editions from a light read of ``editions.csv``; ``None`` if it cannot be read."""
    try:
        with (data_dir / "editions.csv").open(encoding="utf-8-sig", newline="") as handle:
            years = sorted(int(row["year"]) for row in csv.DictReader(handle) if row["status"].strip() == "held")
    except (OSError, ValueError, KeyError, AttributeError, csv.Error, UnicodeDecodeError):
        return None
    return years or None


def resolve_units(edition: str | int | None, lang: str, years: list[int], trends: bool = True) -> list[Unit]:
    """The reports asked for; raises :class:`UsageError` listing valid values.

    No edition: the latest edition and the trends report; ``all``: every edition and the trends report;
    ``trends``: the trends report only; a year: that edition only. ``trends=False`` leaves the trends
    report out of the first two.
    """
    valid_langs = languages()
    langs = list(valid_langs) if lang == "all" else [lang]
    for code in langs:
        if code not in valid_langs:
            raise UsageError(f"unknown language {code!r}; valid: {', '.join(valid_langs)}, all")
    if str(edition) == TRENDS:
        return [Unit(years[-1], code, TRENDS) for code in langs]
    if edition is None:
        chosen = [years[-1]]
    elif str(edition) == "all":
        chosen = list(years)
    else:
        # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
        year = int(str(edition)) if re.fullmatch(r"[0-9]{1,6}", str(edition)) else None
        if year not in years:
            raise UsageError(f"unknown edition {edition!r}; valid: {', '.join(map(str, years))}, all, {TRENDS}")
        return [Unit(year, code) for code in langs]
    editions = [Unit(y, code) for y in chosen for code in langs]
    return editions + ([Unit(years[-1], code, TRENDS) for code in langs] if trends else [])


def declared_parameters(notebook: Path) -> set[str]:
    """Names assigned in the notebook's ``parameters`` cell."""
    import json

    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            return set(re.findall(r"^(\w+)\s*(?::[^=\n]*)?=", source, re.MULTILINE))
    return set()


def check_notebook(notebook: str | Path, required: tuple[str, ...] = REQUIRED_PARAMETERS) -> Path:
    """``notebook`` resolved, once it is known to be a report notebook.

    Its ``parameters`` cell must declare ``required`` (default :data:`REQUIRED_PARAMETERS`); raises
    :class:`UsageError` with one line saying what is wrong.

    Checked before any kernel starts.
    """
    import json

    path = Path(notebook).resolve()
    if not path.is_file():
        raise UsageError(f"notebook not found: {path}")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        cells = document["cells"]
        if not isinstance(cells, list):
            raise TypeError("cells is not a list")
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path}: not a Jupyter notebook ({type(exc).__name__}: {exc})") from None
    if not any(isinstance(c, dict) and "parameters" in c.get("metadata", {}).get("tags", []) for c in cells):
        raise UsageError(f"{path}: no cell tagged 'parameters' (it must declare {', '.join(required)})")
    missing = [name for name in required if name not in declared_parameters(path)]
    if missing:
        raise UsageError(f"{path}: the 'parameters' cell does not declare {', '.join(missing)}")
    return path


def _parameters(unit: Unit, data_dir: Path, output_dir: Path) -> dict:
    return {**unit.parameters(), "data_dir": str(data_dir), "output_dir": str(output_dir)}


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
    if out.exists() and not out.is_dir():
        raise UsageError(f"the output folder {out} is a file; choose a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the output folder {out}: {exc.strerror or exc}") from None
    return out


def _no_symlinks(out: Path, *paths: Path) -> None:
    """Refuse a symbolic link on the way from ``out`` to each path, or anywhere inside it.

    The build writes and deletes only inside its report folders; a link would take those writes and
    deletions somewhere else.
    """
    for path in paths:
        relative = path.relative_to(out)
        current = out
        for part in relative.parts:
            current = current / part
            if current.is_symlink():
                raise UsageError(
                    f"refusing to build: {current} is a symbolic link; the output folder must hold "
                    "only real files and folders"
                )
        if current.is_dir():
            for root, dirs, files in os.walk(current):
                for name in dirs + files:
                    if (Path(root) / name).is_symlink():
                        raise UsageError(
                            f"refusing to build: {Path(root) / name} is a symbolic link; the output "
                            "folder must hold only real files and folders"
                        )


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

        if self.path.is_symlink() or (self.path.exists() and not self.path.is_file()):
            raise UsageError(f"{self.path} is not the build's lock file (a folder or a link); remove it")
        try:
            self.handle = self.path.open("a")
        except OSError as exc:
            raise UsageError(f"cannot write to the output folder {self.path.parent}: {exc.strerror or exc}") from None
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
    if unit.report == TRENDS:
        return text("trends.page_title", unit.lang)
    return text("meta.report_title", unit.lang, year=unit.year)


STAGING = ".staging"
ASIDE = "aside"  # under STAGING: a report folder moved aside while its replacement moves in
KERNELS = "kernels"  # under STAGING: the kernels' connection files, removed with the staging folder


def _write_file(path: Path, data: bytes | str) -> None:
    """Write a file of the staged report (the whole folder is swapped in later, so no rename is needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def _rename(source: Path, target: Path) -> None:
    os.rename(source, target)


def _shown(path: object, out: Path) -> str:
    """A path for a message: relative to the output folder where it lies inside it."""
    try:
        return str(Path(str(path)).relative_to(out))
    except ValueError:
        return str(path)


def _staged_files(plan: Plan, staged: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of a staged report: the page, the notebook and the files it listed.

    A report lists what it wrote in ``artifacts.json`` (``report.render_report`` does); a file it wrote
    but did not list, or listed but did not write, fails the build instead of being published or lost.
    """
    from .reportfiles import MANIFEST as ARTIFACTS  # not from .report: it loads pandas and matplotlib
    from .reportfiles import read_manifest

    listed = read_manifest(staged)
    expected = {"report.html", "report.ipynb"} | ({ARTIFACTS, *listed} if listed is not None else set())
    on_disk = set()
    for path in sorted(staged.rglob("*")):
        if path.is_symlink():
            raise UsageError(f"{path} is a symbolic link; a report never contains one")
        if path.is_file() and path.name != cache.MANIFEST:
            on_disk.add(path.relative_to(staged).as_posix())
    for wrong, what in (
        (on_disk - expected, "wrote files it did not list in"),
        (expected - on_disk, "listed files it did not write in"),
    ):
        if wrong:
            raise BuildError(f"[{plan.unit.name}] {plan.notebook.name} {what} {ARTIFACTS}: {', '.join(sorted(wrong))}")
    # Read errors propagate: the commit reports them (a hash of None would make the manifest lie).
    return {name: cache.content_hash(name, (staged / name).read_bytes()) for name in sorted(expected)}


def _neutralise_tables(staged: Path) -> None:
    """Derived tables safe to open in a spreadsheet, whichever notebook wrote them (the same rule as ``report``)."""
    from .export import neutralise_csv

    tables = staged / "tables"
    for path in sorted(tables.glob("*.csv")) if tables.is_dir() else []:
        safe = neutralise_csv(path.read_text(encoding="utf-8"))
        if safe is not None:
            _write_file(path, safe)


def _swap_in(staged: Path, final: Path, aside: Path) -> None:
    """Replace ``final`` by ``staged`` with two renames; the old folder waits in ``aside`` until the new one is in.

    An interruption between the renames leaves the old report in ``aside``; :func:`_recover` puts it back.
    """
    if aside.exists() or aside.is_symlink():
        shutil.rmtree(aside)
    aside.parent.mkdir(parents=True, exist_ok=True)
    final.parent.mkdir(parents=True, exist_ok=True)
    had_old = final.exists() or final.is_symlink()
    if had_old:
        _rename(final, aside)
    try:
        _rename(staged, final)
    except BaseException:
        if had_old and not final.exists():
            _rename(aside, final)
        raise
    if had_old:
        shutil.rmtree(aside, ignore_errors=True)


def _commit(plan: Plan, staged: Path, nb, page: str, out: Path) -> Path:
    """Complete the report in ``staged`` (notebook, page, safe tables, manifest), then swap it into place.

    On any write error (disk full, read-only file system) the previous report stays as it was and the
    message names the report and the file.
    """
    from .export import notebook_bytes

    try:
        _neutralise_tables(staged)
        _write_file(staged / "report.ipynb", notebook_bytes(nb))
        _write_file(staged / "report.html", page)
        files = _staged_files(plan, staged)
        _write_file(staged / cache.MANIFEST, cache.manifest_text(plan.execution_key, plan.export_key, files))
        _swap_in(staged, plan.folder, out / STAGING / ASIDE / f"{plan.unit.folder_name}-{plan.unit.lang}")
    except OSError as exc:
        where = "a file"
        if exc.filename:
            failed = Path(str(exc.filename))
            # A file of the staged report is named by the place it was going to: "2023/en/report.html".
            where = _shown(plan.folder / failed.relative_to(staged) if failed.is_relative_to(staged) else failed, out)
        raise BuildError(
            f"[{plan.unit.name}] could not write {where}: {exc.strerror or exc}; the previous report is kept"
        ) from None
    _clear_failed(plan.unit, out)
    return plan.folder / "report.html"


def _clear_failed(unit: Unit, out: Path) -> None:
    """The report built: its entry under ``_failed/`` is out of date."""
    failed = out / "_failed" / unit.folder_name / unit.lang
    if failed.is_symlink():
        failed.unlink()
    elif failed.is_dir():
        shutil.rmtree(failed, ignore_errors=True)
    for folder in (failed.parent, failed.parent.parent):
        try:
            folder.rmdir()  # only when empty
        except OSError:
            break


def _portable_parameters(nb) -> None:
    """The executed notebook names the data and output folders as the notebook does, not this machine's paths."""
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = re.sub(r"^data_dir = .*$", 'data_dir = "../data"', cell.source, flags=re.MULTILINE)
            cell.source = re.sub(r"^output_dir = .*$", 'output_dir = "../outputs"', cell.source, flags=re.MULTILINE)


class _Interrupted(Exception):
    """A report stopped because the build was interrupted: no failure to report, nothing to save."""


def _execute_unit(
    worker, plan: Plan, data: Path, out: Path, timeout: int | None, progress=lambda m: None, stopping=lambda: False
) -> Path:
    from .execute import ExecutionFailure
    from .export import export_html, normalise, stream_messages

    staging = out / STAGING / f"{plan.unit.folder_name}-{plan.unit.lang}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        parameters = _parameters(plan.unit, data, staging)
        try:
            nb = worker.run_notebook(plan.notebook, parameters, timeout)
        except ExecutionFailure as failure:
            if stopping():
                raise _Interrupted from None
            _report_warnings(plan.unit, worker.warnings, progress)
            message = _failure_message(plan.unit, failure, plan.notebook)
            try:
                _save_failure(plan.unit, failure.nb, out)
            except OSError as exc:  # e.g. the disk is full: the cell's failure is still the news
                message += f" (the failed notebook could not be kept: {exc.strerror or exc})"
            raise BuildError(message) from None
        _report_warnings(plan.unit, [*worker.warnings, *stream_messages(nb)], progress)
        _portable_parameters(nb)
        normalise(nb)
        page = export_html(nb, plan.unit.lang, _title(plan.unit))
        return _commit(plan, staging / plan.unit.folder_name / plan.unit.lang, nb, page, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _report_warnings(unit: Unit, messages: list[str], progress) -> None:
    seen = []
    for message in messages:
        if message not in seen:
            seen.append(message)
            progress(f"[{unit.name}] warning: {message}")


class _StoredNotebookUnusable(Exception):
    """The stored executed notebook cannot be reused: execute instead."""


def _reexport_unit(plan: Plan, out: Path) -> Path:
    """Only Markdown changed: put the new Markdown around the stored outputs and export again."""
    import nbformat

    from .export import export_html, normalise

    try:
        executed = nbformat.read(plan.folder / "report.ipynb", as_version=4)
        current = nbformat.read(plan.notebook, as_version=4)
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
        page = export_html(executed, plan.unit.lang, _title(plan.unit))
    except Exception as exc:
        raise _StoredNotebookUnusable(f"{type(exc).__name__}: {exc}") from None
    staging = out / STAGING / f"{plan.unit.folder_name}-{plan.unit.lang}"
    shutil.rmtree(staging, ignore_errors=True)
    staged = staging / "report"
    try:
        try:
            shutil.copytree(plan.folder, staged, symlinks=True)
        except OSError as exc:
            raise BuildError(f"[{plan.unit.name}] could not copy the stored report: {exc}") from None
        return _commit(plan, staged, executed, page, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _failure_message(unit: Unit, failure, notebook: Path | None = None) -> str:
    cell = failure.cell
    where = "a cell"
    if cell is not None:
        executed = failure.nb.cells
        injected = next(
            (i for i, c in enumerate(executed) if "injected-parameters" in c.metadata.get("tags", [])), None
        )
        number = cell + 1 - (1 if injected is not None and cell > injected else 0)
        source = executed[cell].source.strip()
        last_line = source.splitlines()[-1] if source else ""  # the call or statement that failed
        where = f"cell {number} (`{last_line}`)"
    return (
        f"{(notebook or NOTEBOOK).name}, {where}: {failure.ename}: {failure.evalue} "
        f"[parameters: {', '.join(f'{k}={v}' for k, v in unit.parameters().items())}]"
    )


def _save_failure(unit: Unit, nb, out: Path) -> None:
    """Keep the executed failing notebook and a partial page (errors shown) for inspection."""
    from markupsafe import Markup

    from .export import export_html, normalise, notebook_bytes

    failed = out / "_failed" / unit.folder_name / unit.lang
    _portable_parameters(nb)
    normalise(nb)
    atomic_write(failed / "report.ipynb", notebook_bytes(nb))
    try:
        page = export_html(nb, unit.lang, f"FAILED {unit.name}")
    except Exception as exc:
        page = Markup("<!DOCTYPE html><title>FAILED</title><p>Could not render the failed notebook: {}").format(exc)
    atomic_write(failed / "report.html", page)


def write_index(out: Path, data: Path | None = None) -> Path:
    """Write ``<out>/index.html`` and every report's links to the others.

    Each file is rewritten only when it changes; ``data`` adds the editions' summaries.
    """
    from .export import write_site

    _check_index(out / "index.html")
    return write_site(out, data, atomic_write)


#: What the site around the reports (index, changelog page, navigation) was last written from.
SITE_KEY = ".mcis-site.key"


def _site_key(out: Path, data: Path) -> str:
    """Hash of what the site pages depend on: the data, the package (code, catalogues, templates), the pages."""
    import hashlib

    pages = sorted(p.relative_to(out).as_posix() for p in out.glob("*/*/report.html"))
    digest = hashlib.sha256()
    for part in (cache.data_hash(data), cache.package_hash(), *pages):
        digest.update(part.encode("utf-8") + b"\0")
    changelog = data / "CHANGELOG.md"
    digest.update(changelog.read_bytes() if changelog.is_file() else b"<no changelog>")
    return digest.hexdigest()


def _site_current(out: Path, key: str) -> bool:
    """Whether the site was written from ``key`` and its index is still there: a build with nothing to do skips it."""
    try:
        stored = (out / SITE_KEY).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return False
    return stored == key and (out / "index.html").is_file()


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


def _check_index(index: Path) -> None:
    """Refuse to overwrite an ``index.html`` the build did not write (it has no generator mark)."""
    from .export import is_our_index

    if index.is_symlink() or (index.exists() and not is_our_index(index)):
        raise UsageError(
            f"refusing to overwrite {index}: it was not written by mcis-report; move it or choose another output folder"
        )


# --- the whole build -------------------------------------------------------------------------------------


def plan_units(units: list[Unit], data: Path, out: Path, force: bool, notebook: Path | None = None) -> list[Plan]:
    """Decide for each report: up to date, export again (Markdown changed) or execute.

    ``notebook`` replaces the edition notebook; the trends report always runs :data:`TRENDS_NOTEBOOK`.
    """
    notebooks = {"edition": NOTEBOOK if notebook is None else notebook, TRENDS: TRENDS_NOTEBOOK}
    parts = {report: cache.notebook_parts(path) for report, path in notebooks.items()}
    data_key = cache.data_hash(data)
    plans = []
    for unit in units:
        _no_symlinks(out, out / unit.folder_name / unit.lang, out / "_failed" / unit.folder_name / unit.lang)
        folder = _inside(out / unit.folder_name / unit.lang, out)
        execution = cache.execution_key(parts[unit.report], unit.parameters(), data_key)
        export = cache.export_key(parts[unit.report], execution)
        plan = Plan(unit, folder, execution, export, notebook=notebooks[unit.report])
        manifest = {} if force else cache.read_manifest(folder)
        # A missing or changed file means the report is damaged: execute again, never just re-export.
        intact = bool(manifest) and not cache.damaged_files(folder, manifest)
        if intact and manifest.get("export") == export and manifest.get("execution") == execution:
            plan.action = "fresh"
        elif intact and manifest.get("execution") == execution and "report.ipynb" in manifest["files"]:
            plan.action = "export"
        plans.append(plan)
    return plans


def _validate(data: Path) -> None:
    from .dataset import DataValidationError, load_dataset

    try:
        load_dataset(data)  # kept in memory while its files are unchanged: the site's summaries use it again
    except DataValidationError as exc:
        listing = "\n".join(str(p) for p in exc.problems)
        raise UsageError(f"the data in {data} has {len(exc.problems)} problem(s):\n{listing}") from None


def build_reports(
    edition: str | int | None = None,
    lang: str = "all",
    data_dir: str | Path = "data",
    out_dir: str | Path = "outputs",
    progress: Callable[[str], None] = lambda message: None,
    jobs: int | None = None,
    force: bool = False,
    timeout: int | None = None,
    notebook: str | Path | None = None,
    pdf: bool = False,
    trends: bool = True,
) -> list[Path]:
    """Build the requested reports; returns their ``report.html`` paths (``pdf``: also ``report.pdf``).

    ``notebook`` is the report notebook to run (default: the package's ``edition_report.ipynb``); it is
    checked with :func:`check_notebook` before anything starts. ``trends=False`` builds no trends report
    (see :func:`resolve_units`).

    Raises :class:`UsageError` (bad parameter or data: nothing built) or :class:`BuildError` (a cell
    failed: that report's previous version is untouched; the other reports are still built).
    """
    if lang != "all" and lang not in languages():
        raise UsageError(f"unknown language {lang!r}; valid: {', '.join(languages())}, all")
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs must be at least 1, got {jobs}")
    if timeout is not None and timeout <= 0:
        raise UsageError(f"--timeout must be a positive number of seconds, got {timeout}")
    cpus = available_cpus()
    if jobs is not None and jobs > cpus:
        progress(f"warning: --jobs {jobs} is more than the {cpus} CPU(s) available; using {cpus}")
        jobs = cpus
    data = Path(data_dir).resolve()
    if not data.is_dir():
        raise UsageError(f"data folder not found: {data}")
    years = held_years(data)
    if years is None:
        _validate(data)  # says precisely what is wrong with editions.csv
        raise UsageError(f"no held edition in {data / 'editions.csv'}")
    units = resolve_units(edition, lang, years, trends)
    notebook = check_notebook(NOTEBOOK if notebook is None else notebook)
    if any(u.report == TRENDS for u in units):
        check_notebook(TRENDS_NOTEBOOK, TRENDS_PARAMETERS)
    if pdf:
        from .export import find_chromium

        if find_chromium() is None:  # before any kernel starts
            raise UsageError(
                "--pdf needs Chromium to print the reports: install the 'chromium' package (apt-get install chromium)"
            )
    out = _safe_out_dir(out_dir)
    with _BuildLock(out), _terminate_as_interrupt():
        _no_symlinks(out, out / STAGING, out / "_failed")
        _check_index(out / "index.html")
        _recover(out, progress)
        try:
            plans = plan_units(units, data, out, force, notebook)
            failures = _run_plans(plans, data, out, progress, jobs, timeout)
            site_key = _site_key(out, data)
            if failures or any(p.action != "fresh" for p in plans) or not _site_current(out, site_key):
                write_index(out, data)
                atomic_write(out / SITE_KEY, site_key + "\n")
            if pdf:
                write_pdfs([p.folder / "report.html" for p in plans], progress)
        finally:
            with _signals_held():
                shutil.rmtree(out / STAGING, ignore_errors=True)
    if failures:
        raise BuildError("\n".join(failures))
    return [p.folder / "report.html" for p in plans]


def available_cpus() -> int:
    """CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _recover(out: Path, progress) -> None:
    """Undo what an interrupted or killed build left: put a report moved aside back, then drop the staging area."""
    staging = out / STAGING
    if staging.is_symlink() or (staging.exists() and not staging.is_dir()):
        staging.unlink()
        return
    aside = staging / ASIDE
    for folder in sorted(aside.iterdir()) if aside.is_dir() else []:
        year, _, lang = folder.name.partition("-")
        final = out / year / lang
        known = year.isdigit() or year == TRENDS
        if folder.is_dir() and not folder.is_symlink() and known and lang and not final.exists():
            final.parent.mkdir(parents=True, exist_ok=True)
            os.rename(folder, final)
            progress(f"[{year}/{lang}] restored the report an interrupted build had moved aside")
    shutil.rmtree(staging, ignore_errors=True)


def _run_plans(plans: list[Plan], data: Path, out: Path, progress, jobs: int | None, timeout: int | None) -> list[str]:
    failures: list[str] = []
    for plan in plans:
        if plan.action == "fresh":
            progress(f"[{plan.unit.name}] up to date: {plan.folder / 'report.html'}")
    for plan in plans:
        if plan.action == "export":
            progress(f"[{plan.unit.name}] Markdown changed: exporting again without executing")
            try:
                progress(f"[{plan.unit.name}] wrote {_reexport_unit(plan, out)}")
            except _StoredNotebookUnusable as exc:
                progress(f"[{plan.unit.name}] the stored notebook cannot be reused ({exc}); executing instead")
                plan.action = "execute"
            except BuildError as exc:
                failures.append(str(exc))
                progress(f"[{plan.unit.name}] FAILED: {exc}")
    pending = [p for p in plans if p.action == "execute"]
    if not pending:
        return failures
    return failures + _execute_all(pending, data, out, progress, jobs or available_cpus(), timeout)


def _execute_all(pending: list[Plan], data: Path, out: Path, progress, jobs: int, timeout: int | None) -> list[str]:
    from .execute import KernelWorker

    work: queue.Queue[Plan] = queue.Queue()
    by_unit = {plan.unit: plan for plan in pending}
    for unit in longest_first(by_unit):
        work.put(by_unit[unit])
    go, stop = threading.Event(), threading.Event()
    failures: list[str] = []
    runtime = out / STAGING / KERNELS
    workers = [
        KernelWorker(pending[0].notebook.parent, f"kernel {i + 1}", data, runtime_dir=runtime)
        for i in range(min(jobs, len(pending)))
    ]

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
                    written = _execute_unit(worker, plan, data, out, timeout, progress, stop.is_set)
                    progress(f"[{plan.unit.name}] wrote {written}")
                except _Interrupted:
                    return
                except BuildError as exc:
                    if stop.is_set():
                        return
                    failures.append(str(exc))
                    progress(f"[{plan.unit.name}] FAILED: {exc}")
        except Exception as exc:
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
        from .export import site_facts, warm_up

        warm_up()  # compile the page template while the kernels work
        site_facts(out, data, atomic_write)  # ... and the index's summaries, from the data just validated
        for thread in threads:
            while thread.is_alive():
                thread.join(timeout=0.2)
    except BaseException:
        with _signals_held():  # a second Ctrl-C must not cut the clean-up short
            stop.set()
            go.set()
            for worker in workers:
                worker.kill()
            for thread in threads:
                thread.join(timeout=10)
            shutil.rmtree(out / STAGING, ignore_errors=True)
        raise
    return failures


class _signals_held:
    """Ignore Ctrl-C and SIGTERM for the duration (main thread only): clean-up that must finish."""

    def __enter__(self):
        self.previous = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self.previous[sig] = signal.signal(sig, signal.SIG_IGN)
        return self

    def __exit__(self, *exc):
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)


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
