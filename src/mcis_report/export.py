"""Export (build layer): executed notebook → normalised notebook bytes and one self-contained HTML page.

Also the site around the pages (index, navigation, errata page) and their printing to PDF.

Normalisation drops everything that differs between two runs of the same inputs (timestamps, papermill
metadata, random cell ids, kernel execution counts), so equal inputs give byte-identical files. The PDF is
the exception: Chromium stamps the date it was made.
"""

from __future__ import annotations

import copy
import csv
import io
import re
import threading
from collections.abc import Callable
from pathlib import Path

from markupsafe import Markup, escape

from .i18n import languages, template, text
from .reportfiles import neutralise_cell, read_manifest  # not from .report: it loads pandas and matplotlib

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
    """The notebook as the bytes written to ``report.ipynb``."""
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
        exporter = _page_exporter(HTMLExporter)(
            config=config, template_name="mcis", extra_template_basedirs=[str(TEMPLATES)]
        )
        _shared["exporter"] = exporter
    return exporter


def _page_exporter(base: type) -> type:
    """The HTML exporter of nbconvert without its last pass, which parses the whole page and prints it again.

    That pass gives images without alt text a placeholder and makes JupyterLab's cell wrappers focusable;
    our figures always carry alt text and our template has no such wrappers, so on our pages it only
    re-serialises the HTML — at a cost of more than half the export.
    """
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class PageExporter(base):  # type: ignore[misc, valid-type]
        def from_notebook_node(self, nb, resources=None, **kw):
            # What HTMLExporter.from_notebook_node does before its BeautifulSoup pass.
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight_code = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            filter_data_type = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight_code)
            self.register_filter("filter_data_type", filter_data_type)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return PageExporter


def stylesheet() -> str:
    """The pages' CSS (our own file: safe to put inside ``<style>`` as it is)."""
    return (TEMPLATES / "mcis" / "report.css").read_text(encoding="utf-8")


NAV_MARK = ("<!--mcis-nav-->", "<!--/mcis-nav-->")
FILES_MARK = ("<!--mcis-files-->", "<!--/mcis-files-->")
#: The start of the navigation block carries a digest of the links it holds, so a build can tell from the
#: top of a page whether its navigation is current without rendering it again.
_NAV_START = re.compile(r"<!--mcis-nav(?::([0-9a-f]+))?-->")
_HEAD_BYTES = 65536  # the navigation and the table of contents sit within the page's first 64 KiB


def export_html(nb, lang: str, title: str, nav: dict | None = None) -> str:
    """Self-contained HTML of an executed notebook: outputs only, our template, no scripts.

    ``nav`` is the page's navigation (see :func:`navigation`); without it the page gets empty navigation
    blocks, which :func:`set_navigation` fills once the build knows which reports exist.
    """
    top, files = navigation_html(nav, lang)
    resources = {
        "mcis": {
            "lang": lang,
            "dir": text("meta.dir", lang),
            "title": title,
            "css": stylesheet(),
            "nav": Markup(NAV_MARK[0]) + top + Markup(NAV_MARK[1]),
            "files": Markup(FILES_MARK[0]) + files + Markup(FILES_MARK[1]),
        }
    }
    nb = copy.deepcopy(nb)
    for cell in nb.cells:  # the page shows the report, never the kernel's stream output
        if cell.get("cell_type") == "code":
            cell["outputs"] = [o for o in cell.get("outputs", []) if o.get("output_type") != "stream"]
    with _exporter_lock:  # one export at a time: nbconvert exporters are not thread-safe
        body, _ = _exporter().from_notebook_node(nb, resources=resources)
    return enhance(body, lang)


# --- what the page adds to the report parts' HTML ----------------------------------------------------------

_CHAPTER_END = re.compile(r"\n?</section>")


def enhance(body: str, lang: str) -> str:
    """Add the reader aids that depend on the page: a "back to top" link at the end of every chapter.

    The top is the report's title where the page has one (``id="top"``), else its navigation. Only the
    chapters our own report parts write are touched (``<section class="chapter">``). The other aids are
    written with the parts: tables as cards on a phone and CSV links (:func:`mcis_report.report.html.table`),
    figure zoom and SVG links (:func:`mcis_report.report.html.figure`).
    """
    if '<section class="chapter"' not in body:
        return body
    target = "#top" if 'id="top"' in body else "#site-nav"
    to_top = Markup('\n<p class="to-top"><a href="{}">{}</a></p>\n</section>').format(
        target, text("meta.back_to_top", lang)
    )
    return _CHAPTER_END.sub(lambda m: str(to_top), body)


def navigation_html(nav: dict | None, lang: str) -> tuple[Markup, Markup]:
    """The navigation bar at the top of a report and the list of its files at the end (empty without ``nav``)."""
    if not nav:
        return Markup(""), Markup("")
    with _exporter_lock:
        template = _site_environment().get_template("nav.html.j2")
        top = Markup(template.module.top(nav=nav, t=lambda key, **v: text(f"meta.{key}", lang, **v)))
        files = Markup(template.module.files(nav=nav, t=lambda key, **v: text(f"meta.{key}", lang, **v)))
    return top, files


def _nav_digest(nav: dict | None, lang: str) -> str:
    import hashlib
    import json

    return hashlib.sha256(json.dumps([lang, nav], sort_keys=True).encode()).hexdigest()[:16]


def set_navigation(page: str, nav: dict | None, lang: str) -> str:
    """``page`` with its navigation blocks replaced by ``nav``'s (the rest of the page untouched)."""
    top, files = navigation_html(nav, lang)
    marks = (
        (_NAV_START, NAV_MARK[1], f"<!--mcis-nav:{_nav_digest(nav, lang)}-->", top),
        (re.compile(re.escape(FILES_MARK[0])), FILES_MARK[1], FILES_MARK[0], files),
    )
    for start, end, opening, block in marks:
        found = start.search(page)
        if found:
            rest = page[found.end() :].partition(end)[2]
            page = page[: found.start()] + opening + str(block) + end + rest
    return page


def without_navigation(page: str) -> str:
    """``page`` with its navigation blocks emptied.

    This is what the build fingerprints, since a report's links change whenever another report is built.
    """
    page = re.sub(
        r"<!--mcis-nav(?::[0-9a-f]+)?-->.*?<!--/mcis-nav-->",
        "<!--mcis-nav--><!--/mcis-nav-->",
        page,
        count=1,
        flags=re.DOTALL,
    )
    return re.sub(
        re.escape(FILES_MARK[0]) + ".*?" + re.escape(FILES_MARK[1]),
        FILES_MARK[0] + FILES_MARK[1],
        page,
        count=1,
        flags=re.DOTALL,
    )


def _current_digest(path: Path) -> str | None:
    """The navigation digest at the top of a page (``None`` without one)."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        found = _NAV_START.search(handle.read(_HEAD_BYTES))
    return found.group(1) if found else None


def _report_languages(out: Path, folder: str) -> list[str]:
    return [code for code in languages() if (out / folder / code / "report.html").is_file()]


def navigation(out: Path, folder: str, lang: str) -> dict:
    """Links of one report to the rest of the site, all relative, only to files that exist.

    Parameters
    ----------
    out : Path
        The output folder.
    folder : str
        The report's folder under ``out``: an edition year or ``trends``.
    lang : str
        The report's language.

    Returns
    -------
    dict
        ``index``, ``languages`` (the same report in other languages), ``previous``/``next`` (editions in
        the same language), ``trends``, ``tables`` and ``figures`` (the report's own files).
    """
    years = sorted(int(p.parent.parent.name) for p in out.glob(f"[0-9][0-9][0-9][0-9]/{lang}/report.html"))
    nav: dict = {
        "index": "../../index.html",
        "previous": None,
        "next": None,
        "trends": None,
        "languages": [
            {
                "lang": code,
                "dir": text("meta.dir", code),
                "name": text("meta.language_name", code),
                "href": f"../{code}/report.html",
            }
            for code in _report_languages(out, folder)
            if code != lang
        ],
    }
    if folder.isdigit():
        year = int(folder)
        earlier, later = [y for y in years if y < year], [y for y in years if y > year]
        if earlier:
            nav["previous"] = {"year": earlier[-1], "href": f"../../{earlier[-1]}/{lang}/report.html"}
        if later:
            nav["next"] = {"year": later[0], "href": f"../../{later[0]}/{lang}/report.html"}
        if (out / "trends" / lang / "report.html").is_file():
            nav["trends"] = f"../../trends/{lang}/report.html"
    listed = _listed_files(out / folder / lang)
    present = [f for f in sorted(listed) if (out / folder / lang / f).is_file()]
    nav["tables"] = [
        {"href": f, "name": Path(f).name} for f in present if f.startswith("tables/") and f.endswith(".csv")
    ]
    nav["figures"] = [
        {"href": f, "name": Path(f).name} for f in present if f.startswith("figures/") and f.endswith(".svg")
    ]
    return nav


def _listed_files(report_dir: Path) -> list[str]:
    """The files a report folder's ``artifacts.json`` lists (none when it is missing or malformed)."""
    return read_manifest(report_dir) or []


def refresh_navigation(out: Path, write: Callable[[Path, str], None]) -> list[Path]:
    """Rewrite the navigation of every report under ``out`` that needs it; returns the pages rewritten.

    A report's neighbours change when another report is built, so the build calls this after every run
    (reports that were up to date included); a page is written only when its navigation changed.
    """
    changed = []
    pages = sorted(out.glob("[0-9][0-9][0-9][0-9]/*/report.html")) + sorted(out.glob("trends/*/report.html"))
    for page_path in pages:
        folder, lang = page_path.parts[-3], page_path.parts[-2]
        if lang not in languages():
            continue
        nav = navigation(out, folder, lang)
        if _current_digest(page_path) == _nav_digest(nav, lang):
            continue  # its links are current: no need to read, render or write it
        page = page_path.read_text(encoding="utf-8")
        updated = set_navigation(page, nav, lang)
        if updated != page:
            write(page_path, updated)
            changed.append(page_path)
    return changed


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


def index_page(
    reports: list[tuple[int, str]],
    summaries: dict[str, list[dict]] | None = None,
    trends: list[str] | tuple[str, ...] = (),
    version: str = "",
    errata: str | None = None,
    methods: set[tuple[int, str]] | frozenset = frozenset(),
) -> str:
    """``index.html``: the trends report first, then one card per edition with a card per language.

    Parameters
    ----------
    reports : list of (int, str)
        The (edition, language) reports present in the output folder.
    summaries : dict, optional
        Per language, :func:`mcis_report.site.edition_summaries` (dates, one-line summary, evidence,
        editions not held); without it the cards hold the titles only.
    trends : sequence of str
        Languages in which the trends report exists.
    version : str
        The data version for the "how to cite" line.
    errata : str, optional
        Relative link to the list of corrections to the data.
    methods : set of (int, str)
        Reports whose page has a method appendix (``#method``).
    """
    order = {code: i for i, code in enumerate(languages())}
    present = {(year, code) for year, code in reports if code in order}  # a folder without a catalogue is not ours
    summaries = summaries or {}
    by_year: dict[int, dict[str, dict]] = {}
    for code, rows in summaries.items():
        for row in rows:
            by_year.setdefault(int(row["year"]), {})[code] = row
    for year, _code in present:
        by_year.setdefault(year, {})
    editions = []
    for year in sorted(by_year, reverse=True):
        by_lang = by_year[year]
        held = all(row.get("held", True) for row in by_lang.values())
        codes = sorted(
            {c for y, c in present if y == year} | (set(by_lang) if not held else set()), key=order.__getitem__
        )
        if held and not codes:
            continue  # an edition without a report built: nothing to link
        entries = []
        for code in codes:
            row = by_lang.get(code, {})
            built = (year, code) in present
            entries.append(
                {
                    "lang": code,
                    "dir": text("meta.dir", code),
                    "href": f"{year}/{code}/report.html" if built else "",
                    "label": text("meta.report_title", code, year=year),
                    "dates": row.get("dates", ""),
                    "summary": row.get("summary", ""),
                    "evidence": row.get("evidence", ""),
                    "evidence_label": row.get("evidence_label", ""),
                    "method": f"{year}/{code}/report.html#method" if (year, code) in methods else "",
                    "method_label": text("meta.index_method", code),
                    "not_held": text("meta.index_not_held", code),
                    "note": row.get("note", ""),
                }
            )
        editions.append({"year": year, "held": held, "languages": entries})
    intro = []
    for code in languages():
        cite = (
            Markup(escape(template("meta.index_cite", code))).format(
                version=Markup('<bdi dir="ltr">{}</bdi>').format(version)
            )
            if version
            else ""
        )
        intro.append(
            {
                "lang": code,
                "dir": text("meta.dir", code),
                "title": text("meta.index_title", code),
                "about": text("meta.index_about", code),
                "trends": text("meta.nav_trends", code),
                "editions": text("meta.index_editions", code),
                "cite_title": text("meta.index_cite_title", code),
                "cite": cite,
                "errata": text("meta.index_errata", code),
                "no_errata": text("meta.index_no_errata", code),
            }
        )
    trend_cards = [
        {
            "lang": code,
            "dir": text("meta.dir", code),
            "href": f"trends/{code}/report.html",
            "label": text("meta.nav_trends", code),
            "intro": text("meta.index_trends_intro", code),
        }
        for code in sorted(trends, key=lambda c: order.get(c, 99))
        if code in order
    ]
    with _exporter_lock:
        page = _site_environment().get_template("index.html.j2")
        return page.render(
            first=intro[0],
            intro=intro,
            editions=editions,
            trends=trend_cards,
            css=Markup(stylesheet()),
            errata=errata,
            title=" · ".join(i["title"] for i in intro),
        )


# --- the site around the reports -----------------------------------------------------------------------------

SITE_CACHE = ".mcis-site.json"
CHANGELOG = "CHANGELOG.md"
ERRATA_PAGE = "changelog.html"


def _latest_entry(changelog: str) -> str:
    """The first heading below the title of a Markdown changelog (its latest entry), or ``""``."""
    for line in changelog.splitlines():
        if line.startswith("## "):
            return line[3:].strip()
    return ""


def site_facts(out: Path, data: Path | None, write: Callable[[Path, str], None]) -> tuple[dict | None, str]:
    """Edition summaries (per language) and the data version, kept in ``<out>/.mcis-site.json``.

    The summaries need the whole dataset; they are computed again only when the data or the package
    changed, so a build with nothing to do still loads no data.
    """
    import json

    from . import cache

    if data is None or not data.is_dir():
        return None, ""
    key = cache.data_hash(data) + cache.package_hash()
    stored_path = out / SITE_CACHE
    try:
        stored = json.loads(stored_path.read_text(encoding="utf-8"))
        if stored.get("key") == key:
            return stored["summaries"], stored["version"]
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    from .dataset import DataValidationError, load_dataset
    from .site import edition_summaries

    try:
        dataset = load_dataset(data)  # validated once per process (the build has just done it)
    except DataValidationError:
        dataset = None
    summaries = None if dataset is None else {code: edition_summaries(dataset, code) for code in languages()}
    version = cache.data_hash(data)[:12]
    changelog = data / CHANGELOG
    if changelog.is_file():
        latest = _latest_entry(changelog.read_text(encoding="utf-8"))
        version = f"{latest} ({version})" if latest else version
    if summaries is not None:
        write(
            stored_path,
            json.dumps(
                {"key": key, "summaries": summaries, "version": version}, ensure_ascii=False, indent=1, sort_keys=True
            )
            + "\n",
        )
    return summaries, version


def changelog_page(changelog: str) -> str:
    """``changelog.html``: the data's list of corrections, rendered safely (raw HTML in it is escaped)."""
    import mistune

    render = mistune.create_markdown(escape=True, plugins=["table"])
    body = Markup(render(changelog))  # mistune escapes raw HTML and drops javascript:/data: links
    titles = " · ".join(text("meta.index_errata", code) for code in languages())
    with _exporter_lock:
        page = _site_environment().get_template("changelog.html.j2")
        return page.render(
            title=titles,
            body=body,
            css=Markup(stylesheet()),
            index="index.html",
            index_label=text("meta.nav_index", "en"),
        )


def _links_method(page: Path) -> bool:
    """The page's table of contents has the method appendix (its anchors are checked by the browser tests)."""
    with page.open(encoding="utf-8", errors="replace") as handle:
        return 'href="#method"' in handle.read(_HEAD_BYTES)


def write_site(out: Path, data: Path | None, write: Callable[[Path, str], None]) -> Path:
    """Bring the site around the reports up to date.

    Every report's navigation, the changelog page and ``index.html``; each file is written only when it
    changes.
    """

    def update(path: Path, content: str) -> None:
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            write(path, content)

    refresh_navigation(out, write)
    errata = None
    if data is not None and (data / CHANGELOG).is_file():
        update(out / ERRATA_PAGE, changelog_page((data / CHANGELOG).read_text(encoding="utf-8")))
    if (out / ERRATA_PAGE).is_file():
        errata = ERRATA_PAGE
    summaries, version = site_facts(out, data, write)
    # Only folders this build could have written: a stray ``2023/fr`` is not a report.
    reports = [
        (int(p.parts[-3]), p.parts[-2])
        for p in out.glob("[0-9][0-9][0-9][0-9]/*/report.html")
        if p.parts[-2] in languages() and p.parts[-3].isascii()
    ]
    methods = {(year, code) for year, code in reports if _links_method(out / str(year) / code / "report.html")}
    trends = [code for code in languages() if (out / "trends" / code / "report.html").is_file()]
    index = out / "index.html"
    update(index, index_page(reports, summaries, trends, version, errata, methods))
    return index


# --- printing ------------------------------------------------------------------------------------------------

#: Executable names of Chromium, Debian's first.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Headless printing of a local file: no network, no profile of the user's, no background services.
CHROMIUM_FLAGS = (
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-pdf-header-footer",
)


class PdfError(RuntimeError):
    """Chromium could not print a page."""


def find_chromium() -> str | None:
    """Path of a Chromium executable on ``PATH``, or ``None``."""
    import shutil

    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def print_pdf(page: Path, pdf: Path, timeout: int = 180) -> Path:
    """Print ``page`` to ``pdf`` (A4, the print stylesheet) with headless Chromium; atomic like every output."""
    import os
    import subprocess
    import tempfile

    chromium = find_chromium()
    if chromium is None:
        raise PdfError("Chromium not found: install the 'chromium' package (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="mcis-pdf-") as work:
        target = Path(work) / "report.pdf"
        flags = [*CHROMIUM_FLAGS, f"--user-data-dir={Path(work) / 'profile'}", f"--print-to-pdf={target}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            flags.append("--no-sandbox")  # Chromium refuses to start as root with its sandbox
        try:
            result = subprocess.run(
                [chromium, *flags, page.resolve().as_uri()],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PdfError(f"{page}: Chromium did not finish printing within {timeout} s") from None
        if not target.is_file() or target.stat().st_size == 0:
            last = (result.stderr.strip().splitlines() or ["no message"])[-1]
            raise PdfError(f"{page}: Chromium did not print it (exit {result.returncode}: {last})")
        pdf.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=pdf.parent, prefix=f".{pdf.name}.", suffix=".tmp")
        os.close(fd)
        try:
            Path(tmp).write_bytes(target.read_bytes())
            os.chmod(tmp, 0o644)
            os.replace(tmp, pdf)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return pdf
