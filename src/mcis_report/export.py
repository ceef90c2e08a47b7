"""Export (build layer): executed notebook → normalised notebook bytes and one self-contained HTML page.

Normalisation drops everything that differs between two runs of the same inputs (timestamps, papermill
metadata, random cell ids, kernel execution counts), so equal inputs give byte-identical files.
"""

from __future__ import annotations

import threading
from pathlib import Path

from .i18n import languages, text

TEMPLATES = Path(__file__).resolve().parent / "templates"
NOTE_TAG = "remove-cell"  # the tag JupyterLab and nbconvert use for cells left out of an export
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
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = count


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
