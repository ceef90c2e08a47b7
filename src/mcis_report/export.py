"""Export (build layer): executed notebook → normalised notebook bytes and one self-contained HTML page.

Normalisation drops everything that differs between two runs of the same inputs (timestamps, papermill
metadata, random cell ids, kernel execution counts), so equal inputs give byte-identical files.
"""

from __future__ import annotations

import copy
import csv
import io
import re
import threading
from pathlib import Path

from .i18n import languages, text
from .report.artifacts import neutralise_cell

TEMPLATES = Path(__file__).resolve().parent / "templates"
NOTE_TAG = "remove-cell"  # the tag JupyterLab and nbconvert use for cells left out of an export
GENERATOR_MARK = '<meta name="generator" content="mcis-report">'
_GENERATOR = re.compile(r'<meta\s+name="generator"\s+content="mcis-report"\s*/?>')
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


def _site_environment():
    """Jinja environment of the site's own pages (autoescape on: data never becomes markup)."""
    environment = _shared.get("site")
    if environment is None:
        import jinja2

        environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES / "site"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
        )
        _shared["site"] = environment
    return environment


def index_page(reports: list[tuple[int, str]]) -> str:
    """``index.html``: one entry per edition, newest first, linking the report in every language built."""
    order = {code: i for i, code in enumerate(languages())}
    by_year: dict[int, list[str]] = {}
    for year, code in reports:
        if code in order:  # a folder for a language without a catalogue is not ours to link
            by_year.setdefault(year, []).append(code)
    editions = [
        {"year": year, "reports": [
            {"lang": code, "dir": text("meta.dir", code), "href": f"{year}/{code}/report.html",
             "label": text("meta.report_title", code, year=year)}
            for code in sorted(by_year[year], key=order.__getitem__)
        ]}
        for year in sorted(by_year, reverse=True)
    ]
    intro = [{"lang": code, "dir": text("meta.dir", code), "title": text("meta.index_title", code),
              "intro": text("meta.index_intro", code)} for code in languages()]
    with _exporter_lock:
        template = _site_environment().get_template("index.html.j2")
        return template.render(first=intro[0], intro=intro, editions=editions, css=stylesheet(),
                               title=" · ".join(i["title"] for i in intro))
