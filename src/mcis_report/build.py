"""Build (build layer): execute the report notebook with papermill and export it with nbconvert.

For each (edition, language) the notebook runs in a fresh staging folder; only when execution and
export both succeed are the report, the executed notebook, figures and tables moved into
``<out>/<edition>/<lang>/``, each file by an atomic rename. A failing cell leaves the previous report
in place and saves the failed notebook and a partial HTML under ``<out>/_failed/``.
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .i18n import languages, text

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = PROJECT_ROOT / "notebooks" / "edition_report.ipynb"
TEMPLATES = Path(__file__).resolve().parent / "templates"
NOTE_TAG = "analyst-note"
KERNEL = "python3"


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
        try:
            year = int(str(edition))
        except ValueError:
            year = None
        if year not in years:
            raise UsageError(f"unknown edition {edition!r}; valid: {', '.join(map(str, years))}, all")
        chosen = [year]
    return [Unit(y, code) for y in chosen for code in langs]


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write ``path`` through a temporary file in the same folder and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _safe_out_dir(out_dir: str | Path) -> Path:
    out = Path(out_dir).resolve()
    if out == Path(out.anchor) or out == PROJECT_ROOT or out == PROJECT_ROOT / "src":
        raise UsageError(f"refusing to write reports into {out}: choose a dedicated output folder")
    return out


def _inside(path: Path, folder: Path) -> Path:
    """``path`` resolved, guaranteed to lie inside ``folder`` (parameters never escape the output folder)."""
    resolved = path.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        raise UsageError(f"{path} is outside the output folder {folder}")
    return resolved


def export_html(nb, lang: str, title: str) -> str:
    """Self-contained HTML of an executed notebook: outputs only, our template, no scripts."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {NOTE_TAG, "injected-parameters", "parameters"}
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.anchor_link_text = ""
    exporter = HTMLExporter(config=config, template_name="mcis", extra_template_basedirs=[str(TEMPLATES)])
    css = (TEMPLATES / "mcis" / "report.css").read_text(encoding="utf-8")
    resources = {"mcis": {"lang": lang, "dir": text("meta.dir", lang), "title": title, "css": css}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def _execute(unit: Unit, data_dir: Path, staging: Path, timeout: int | None):
    import papermill as pm

    return pm.execute_notebook(
        str(NOTEBOOK),
        str(staging / "report.ipynb"),
        parameters={"edition": unit.year, "lang": unit.lang, "data_dir": str(data_dir),
                    "output_dir": str(staging / "out")},
        kernel_name=KERNEL,
        progress_bar=False,
        cwd=str(NOTEBOOK.parent),
        execution_timeout=timeout,
    )


def _failure_message(unit: Unit, exc: Exception) -> str:
    cell = getattr(exc, "cell_index", None)
    count = getattr(exc, "exec_count", None)
    where = f"cell {cell}" if cell is not None else "a cell"
    if count is not None:
        where += f" (execution count {count})"
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    return (f"{NOTEBOOK.name}, {where}: {ename}: {evalue} "
            f"[parameters: edition={unit.year}, lang={unit.lang}]")


def build_unit(unit: Unit, data_dir: Path, out: Path, timeout: int | None = None) -> Path:
    """Build one report; returns the path of its ``report.html``."""
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    final = _inside(out / str(unit.year) / unit.lang, out)
    staging_root = out / ".staging"
    staging_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=staging_root, prefix=f"{unit.year}-{unit.lang}-"))
    try:
        try:
            nb = _execute(unit, data_dir, staging, timeout)
        except PapermillExecutionError as exc:
            _save_failure(unit, staging, out)
            raise BuildError(_failure_message(unit, exc)) from None
        normalise(nb)
        title = text("meta.report_title", unit.lang, year=unit.year)
        page = export_html(nb, unit.lang, title)
        staged_out = staging / "out" / str(unit.year) / unit.lang
        for sub in ("figures", "tables"):
            for file in sorted((staged_out / sub).glob("*")):
                atomic_write(final / sub / file.name, file.read_bytes())
        atomic_write(final / "report.ipynb", nbformat.writes(nb))
        atomic_write(final / "report.html", page)
        return final / "report.html"
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _save_failure(unit: Unit, staging: Path, out: Path) -> None:
    """Keep the executed failing notebook and a partial HTML (errors shown) for inspection."""
    import nbformat

    failed = out / "_failed" / str(unit.year) / unit.lang
    executed = staging / "report.ipynb"
    if not executed.exists():
        return
    nb = nbformat.read(executed, as_version=4)
    atomic_write(failed / "report.ipynb", nbformat.writes(nb))
    try:
        page = export_html(nb, unit.lang, f"FAILED {unit.name}")
    except Exception as exc:  # noqa: BLE001 - the notebook is saved; say why the partial page is not
        page = f"<!DOCTYPE html><title>FAILED</title><p>Could not render the failed notebook: {html.escape(str(exc))}</p>"
    atomic_write(failed / "report.html", page)


def normalise(nb) -> None:
    """Drop run-specific metadata (timestamps, durations, random ids) so equal inputs give equal bytes."""
    nb.metadata.pop("papermill", None)
    nb.metadata.get("widgets", None)
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:02d}"
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)


def write_index(out: Path) -> Path:
    """``<out>/index.html`` linking every report present, newest edition first."""
    reports = sorted(out.glob("[0-9][0-9][0-9][0-9]/*/report.html"), key=lambda p: (-int(p.parts[-3]), p.parts[-2]))
    langs = sorted({p.parts[-2] for p in reports}) or [languages()[0]]
    lang = "en" if "en" in langs else langs[0]
    items = []
    for report in reports:
        year, code = report.parts[-3], report.parts[-2]
        label = html.escape(text("meta.report_title", code, year=year))
        items.append(f'<li lang="{html.escape(code)}" dir="{text("meta.dir", code)}">'
                     f'<a href="{year}/{html.escape(code)}/report.html">{label}</a></li>')
    css = (TEMPLATES / "mcis" / "report.css").read_text(encoding="utf-8")
    title = html.escape(text("meta.index_title", lang))
    page = (f'<!DOCTYPE html>\n<html lang="{lang}" dir="{text("meta.dir", lang)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1.0"><title>{title}</title>'
            f"<style>{css}</style></head><body><main><h1>{title}</h1>"
            f"<p>{html.escape(text('meta.index_intro', lang))}</p>"
            f'<ul class="index-list">{"".join(items)}</ul></main></body></html>\n')
    atomic_write(out / "index.html", page)
    return out / "index.html"


def build_reports(
    edition: str | int | None = None,
    lang: str = "en",
    data_dir: str | Path = "data",
    out_dir: str | Path = "outputs",
    progress: Callable[[str], None] = lambda message: None,
    timeout: int | None = None,
) -> list[Path]:
    """Validate the data and parameters, then build each requested report; returns the report paths.

    Raises :class:`UsageError` (bad parameter or data: nothing built) or :class:`BuildError` (a cell
    failed: previous reports untouched).
    """
    from .dataset import check_dataset

    if lang != "all" and lang not in languages():
        raise UsageError(f"unknown language {lang!r}; valid: {', '.join(languages())}, all")
    data = Path(data_dir).resolve()
    dataset, problems = check_dataset(data)
    if dataset is None:
        listing = "\n".join(str(p) for p in problems)
        raise UsageError(f"the data in {data} has {len(problems)} problem(s):\n{listing}")
    units = resolve_units(edition, lang, dataset.years)
    out = _safe_out_dir(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, unit in enumerate(units, start=1):
        progress(f"[{number}/{len(units)}] {unit.name}: executing {NOTEBOOK.name} ...")
        path = build_unit(unit, data, out, timeout=timeout)
        progress(f"[{number}/{len(units)}] {unit.name}: wrote {path}")
        paths.append(path)
    write_index(out)
    shutil.rmtree(out / ".staging", ignore_errors=True)
    return paths
