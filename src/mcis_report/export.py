"""Export (build layer): executed notebook → normalised notebook bytes and one self-contained HTML page.

Normalisation drops everything that differs between two runs of the same inputs (timestamps, papermill
metadata, random cell ids, kernel execution counts), so equal inputs give byte-identical files.
"""

from __future__ import annotations

import copy
import csv
import html
import io
import re
import threading
from pathlib import Path

from .i18n import languages, text

TEMPLATES = Path(__file__).resolve().parent / "templates"
NOTE_TAG = "analyst-note"
GENERATOR_MARK = '<meta name="generator" content="mcis-report">'
_GENERATOR = re.compile(r'<meta\s+name="generator"\s+content="mcis-report"\s*/?>')
#: Cells starting with one of these are read as formulas by spreadsheets (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_exporter_lock = threading.Lock()
_shared: dict = {}


def normalise(nb) -> None:
    """Make an executed notebook depend only on its inputs."""
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    count = 0
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:02d}"
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            # A reused kernel keeps counting; number the cells as a fresh kernel would.
            count += 1
            if cell.get("execution_count") is not None:
                cell["execution_count"] = count
            # Streams are the kernel's side channel (stray prints, warnings, library logging), not the report:
            # they would put this machine's paths and timing-dependent splits into the files.
            cell["outputs"] = [o for o in cell.get("outputs", []) if o.get("output_type") != "stream"]
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = count


def stream_messages(nb) -> list[str]:
    """The distinct non-empty lines the notebook wrote to stderr, to be shown as build messages."""
    lines: list[str] = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                for line in str(output.get("text", "")).splitlines():
                    if line.strip() and line.strip() not in lines:
                        lines.append(line.strip())
    return lines


def neutralise_cell(value: str) -> str:
    """A CSV cell safe to open in a spreadsheet: one beginning with ``= + - @``, tab or CR gets a leading ``'``.

    Numbers (``-3``, ``+1.5e3``) stay as they are: a spreadsheet reads them as numbers, not formulas.
    """
    if value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_csv(text: str) -> str | None:
    """``text`` with every cell passed through :func:`neutralise_cell`; ``None`` when nothing needed it."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    safe = [[neutralise_cell(cell) for cell in row] for row in rows]
    if safe == rows:
        return None
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(safe)
    return buffer.getvalue()


def is_our_index(path: Path) -> bool:
    """Whether ``path`` is an index page this package wrote (it carries :data:`GENERATOR_MARK`)."""
    try:
        return _GENERATOR.search(path.read_text(encoding="utf-8", errors="replace")) is not None
    except OSError:
        return False


def notebook_bytes(nb) -> bytes:
    import nbformat

    return nbformat.writes(nb).encode("utf-8")


def _exporter():
    """The HTMLExporter, created once (its template compiles on first use); callers hold ``_exporter_lock``."""
    exporter = _shared.get("exporter")
    if exporter is None:
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
        _shared["exporter"] = exporter
    return exporter


def stylesheet() -> str:
    return (TEMPLATES / "mcis" / "report.css").read_text(encoding="utf-8")


def export_html(nb, lang: str, title: str) -> str:
    """Self-contained HTML of an executed notebook: outputs only, our template, no scripts."""
    resources = {"mcis": {"lang": lang, "dir": text("meta.dir", lang), "title": title, "css": stylesheet()}}
    nb = copy.deepcopy(nb)
    for cell in nb.cells:  # the page shows the report, never the kernel's stream output
        if cell.get("cell_type") == "code":
            cell["outputs"] = [o for o in cell.get("outputs", []) if o.get("output_type") != "stream"]
    with _exporter_lock:  # one export at a time: nbconvert exporters are not thread-safe
        body, _ = _exporter().from_notebook_node(nb, resources=resources)
    return body


def warm_up() -> None:
    """Import nbconvert and compile the template ahead of the first real export."""
    from nbformat.v4 import new_notebook

    export_html(new_notebook(), "en", "warm-up")


def index_page(reports: list[tuple[int, str]]) -> str:
    """``index.html``: one row per edition, newest first, linking the report in every language built."""
    order = {code: i for i, code in enumerate(languages())}
    by_year: dict[int, list[str]] = {}
    for year, code in reports:
        by_year.setdefault(year, []).append(code)
    rows = []
    for year in sorted(by_year, reverse=True):
        links = []
        for code in sorted(by_year[year], key=lambda c: order.get(c, 99)):
            label = html.escape(text("meta.report_title", code, year=year))
            links.append(f'<li lang="{html.escape(code)}" dir="{text("meta.dir", code)}">'
                         f'<a href="{year}/{html.escape(code)}/report.html">{label}</a></li>')
        rows.append(f'<li><strong>{year}</strong><ul>{"".join(links)}</ul></li>')
    headings = "".join(
        f'<h1 lang="{code}" dir="{text("meta.dir", code)}">{html.escape(text("meta.index_title", code))}</h1>'
        f'<p lang="{code}" dir="{text("meta.dir", code)}">{html.escape(text("meta.index_intro", code))}</p>'
        for code in languages()
    )
    first = languages()[0]
    title = html.escape(" · ".join(text("meta.index_title", code) for code in languages()))
    return (f'<!DOCTYPE html>\n<html lang="{first}" dir="{text("meta.dir", first)}"><head><meta charset="utf-8">'
            f'{GENERATOR_MARK}<meta name="viewport" content="width=device-width, initial-scale=1.0"><title>{title}</title>'
            f"<style>{stylesheet()}</style></head><body><main>{headings}"
            f'<ul class="index-list">{"".join(rows)}</ul></main></body></html>\n')
