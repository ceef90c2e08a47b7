"""The site in a real browser (Debian's headless Chromium driven by Playwright), as a reader opens it.

One browser for the whole session. Most checks read the small data set's site (``mini_reports``); one
build of the shipped 2023 edition gives the printed page count and the screenshots, which are saved to
``outputs/screenshots/`` (generated, ignored by git) for a person to look at.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "outputs" / "screenshots"
CHROMIUM = next(
    (
        p
        for p in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"))
        if p and Path(p).is_file()
    ),
    None,
)
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP, PHONE = 1280, 390
SHOT_HEIGHT = 12_000

try:
    import playwright.sync_api  # noqa: F401

    PLAYWRIGHT = True
except ImportError:
    PLAYWRIGHT = False

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(not PLAYWRIGHT, reason="playwright is not installed (pip install -e '.[test]')"),
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """A page opened at one width, with every request and console error it caused."""

    def __init__(self, browser, path: Path, width: int):
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("dialog", lambda dialog: (self.errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        self.page.goto(path.as_uri(), wait_until="load")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser):
    opened: list[Visit] = []

    def open_(path: Path, width: int = DESKTOP) -> Visit:
        opened.append(Visit(browser, path, width))
        return opened[-1]

    yield open_
    for v in opened:
        v.close()


def site_pages(out: Path) -> list[Path]:
    """Every page of a built site: the index, each report, and the changelog when there is one."""
    pages = [
        out / "index.html",
        *sorted(out.glob("[0-9][0-9][0-9][0-9]/*/report.html")),
        *sorted(out.glob("trends/*/report.html")),
    ]
    return pages + ([out / "changelog.html"] if (out / "changelog.html").is_file() else [])


def test_every_page_loads_offline_without_console_errors(mini_reports, visit):
    for path in site_pages(mini_reports):
        v = visit(path)
        outside = [u for u in v.requests if not u.startswith(("file://", "data:"))]
        assert not outside, f"{path}: requests leave file:// {outside}"
        assert not v.errors, f"{path}: {v.errors}"
        assert v.page.locator("script").count() == 0, path


def _target_ids(path: Path, cache: dict) -> set[str]:
    if path not in cache:
        cache[path] = set(re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8")))
    return cache[path]


def test_every_internal_link_and_citation_anchor_resolves(mini_reports, visit):
    ids: dict = {}
    checked = 0
    for path in site_pages(mini_reports):
        v = visit(path)
        hrefs = v.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        for href in hrefs:
            parts = urlsplit(href)
            if parts.scheme != "file":
                continue  # the sources' own web addresses
            target = Path(unquote(parts.path))
            assert target.is_file(), f"{path}: dead link {href}"
            assert target.resolve().is_relative_to(mini_reports.resolve()), f"{path}: link leaves the site {href}"
            if parts.fragment:
                assert unquote(parts.fragment) in _target_ids(target, ids), f"{path}: no anchor for {href}"
            checked += 1
    assert checked > 20


def test_every_image_loads_and_says_what_it_shows(mini_reports, visit):
    seen = 0
    for path in site_pages(mini_reports):
        v = visit(path)
        images = v.page.eval_on_selector_all(
            "img", "imgs => imgs.map(i => [i.complete && i.naturalWidth > 0, (i.getAttribute('alt') || '').trim()])"
        )
        for loaded, alt in images:
            assert loaded and len(alt) > 20, (path, alt)
        seen += len(images)
    assert seen


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_phone_never_scrolls_the_page_sideways_and_charts_stay_legible(mini_reports, visit, lang):
    for path in (
        mini_reports / "index.html",
        mini_reports / "trends" / lang / "report.html",
        mini_reports / "2023" / lang / "report.html",
    ):
        v = visit(path, PHONE)
        width = v.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE, f"{path}: {width}px wide at {PHONE}px"
    # Charts keep at least 65 % of their drawn size, so 10-point labels at 100 dpi stay above 9 px.
    scales = v.page.eval_on_selector_all(
        "figure img", "imgs => imgs.map(i => i.getBoundingClientRect().width / i.naturalWidth)"
    )
    assert scales and min(scales) >= 0.65, scales
    # Tables of three or more columns become one card per row, each cell labelled with its column.
    stacked = v.page.eval_on_selector_all(
        "table.stack td",
        "cells => cells.map(c => [getComputedStyle(c).display, c.dataset.label || '', c.textContent.trim() === ''])",
    )
    assert stacked and all(label for _, label, _ in stacked)
    assert all(display == ("none" if empty else "grid") for display, _, empty in stacked)


def test_arabic_pages_read_right_to_left(mini_reports, visit):
    v = visit(mini_reports / "2023" / "ar" / "report.html")
    assert v.page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert v.page.evaluate("document.documentElement.lang") == "ar"
    # The link to the English edition is itself marked English, left to right.
    english = v.page.locator('.site-nav a[hreflang="en"]')
    assert english.count() == 1 and english.evaluate("a => getComputedStyle(a).direction") == "ltr"
    index = visit(mini_reports / "index.html")
    directions = index.page.eval_on_selector_all(
        '[lang="ar"]', "nodes => nodes.map(n => getComputedStyle(n).direction)"
    )
    assert directions and set(directions) == {"rtl"}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_heading_numbers_match_the_table_of_contents(mini_reports, visit, lang):
    v = visit(mini_reports / "2023" / lang / "report.html")
    targets = v.page.eval_on_selector_all(".toc ol > li > a", "links => links.map(a => a.getAttribute('href'))")
    assert len(targets) >= 5
    # Chromium's accessibility tree holds each heading as a reader hears it, the CSS chapter counter included.
    cdp = v.context.new_cdp_session(v.page)
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    for number, target in enumerate(targets, start=1):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": f"section{target} > h2"})["nodeId"]
        name = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})["nodes"][0]
        assert name["name"]["value"].startswith(f"{number}. "), (number, name["name"])
    chapters = v.page.locator("section.chapter").count()
    assert v.page.locator("section.chapter .to-top a").count() == chapters


def test_reports_link_to_each_other_and_the_index(mini_reports, visit):
    v = visit(mini_reports / "2022" / "en" / "report.html")
    nav = v.page.locator(".site-nav a")
    hrefs = [nav.nth(i).get_attribute("href") for i in range(nav.count())]
    assert hrefs == [
        "../../index.html",
        "../ar/report.html",
        "../../2023/en/report.html",
        "../../trends/en/report.html",
    ]
    trends = visit(mini_reports / "trends" / "en" / "report.html")
    nav = trends.page.locator(".site-nav a")
    hrefs = [nav.nth(i).get_attribute("href") for i in range(nav.count())]
    assert hrefs[:2] == ["../../index.html", "../ar/report.html"]
    files = v.page.eval_on_selector_all(".report-files a", "links => links.map(a => a.getAttribute('href'))")
    assert any(f.startswith("tables/") and f.endswith(".csv") for f in files)
    assert any(f.startswith("figures/") and f.endswith(".svg") for f in files)


@pytest.mark.parametrize("width", [PHONE])  # at desktop width: test_accessibility_scan_of_the_shipped_report
def test_accessibility_scan_finds_nothing_serious(mini_reports, visit, width):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found = {}
    for path in (
        mini_reports / "index.html",
        mini_reports / "2023" / "en" / "report.html",
        mini_reports / "2023" / "ar" / "report.html",
        mini_reports / "trends" / "ar" / "report.html",
    ):
        v = visit(path, width)
        results = axe.run(v.page)
        serious = [
            (x["id"], x["impact"], len(x["nodes"]))
            for x in results.response["violations"]
            if x["impact"] in ("serious", "critical")
        ]
        others = [(x["id"], x["impact"]) for x in results.response["violations"]]
        found[path.relative_to(mini_reports).as_posix()] = others
        assert not serious, f"{path} at {width}px: {serious}"
    print(f"\naxe-core at {width}px, violations of any impact: {found}")


def _poison(path: Path, columns: tuple[str, ...], payload: str) -> None:
    """Put ``payload`` into ``columns`` of every row of a CSV file."""
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    for row in rows:
        for column in columns:
            row[column] = f"{payload} {row[column]}"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_hostile_data_runs_no_script(broken_copy, tmp_path, visit):
    from mcis_report import cli

    data = broken_copy()
    payload = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
    _poison(data / "editions.csv", ("theme_en", "dates_note_en"), payload)
    _poison(data / "statements.csv", ("speaker_en",), payload)
    _poison(data / "claims.csv", ("paraphrase_en",), payload)
    out = tmp_path / "out"
    assert cli.main(["build", "--data", str(data), "--out", str(out), "--edition", "2023", "--lang", "en"]) == 0
    for path in (out / "index.html", out / "2023" / "en" / "report.html"):
        v = visit(path)
        assert v.page.evaluate("typeof window.pwned") == "undefined", path
        assert v.page.locator("script").count() == 0, path
        assert not [u for u in v.requests if not u.startswith(("file://", "data:"))], path
        assert not v.errors, path
        assert "window.pwned=1" in v.page.inner_text("body"), path  # shown as text, never run


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory):
    """The shipped data's latest edition in both languages, with its PDF: built once for the session."""
    from mcis_report import cli

    out = tmp_path_factory.mktemp("shipped-site") / "out"
    assert cli.main(["build", "--data", str(ROOT / "data"), "--out", str(out), "--lang", "all", "--pdf"]) == 0
    return out


def test_printed_report_is_a4_with_nothing_orphaned_and_its_page_count_is_reported(shipped_site):
    from pypdf import PdfReader

    pdfs = sorted(shipped_site.glob("*/en/report.pdf"))
    assert pdfs, "build --pdf wrote no report.pdf"
    reader = PdfReader(pdfs[-1])
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    page = pdfs[-1].with_suffix(".html").read_text(encoding="utf-8")
    chapters = re.findall(r'<li><a href="#[\w-]+">([^<]+)</a></li>', page.split('class="toc"')[1].split("</nav>")[0])
    headings = {f"{n}. {title}" for n, title in enumerate(chapters, start=1)}
    for number, pdf_page in enumerate(reader.pages, start=1):
        lines = [line.strip() for line in pdf_page.extract_text().splitlines() if line.strip()]
        # A table caption comes before its rows, and a heading before its text: neither may end a page.
        assert not any(re.match(r"Table \d+\.", line) for line in lines[-2:]), (number, lines[-2:])
        if number > 1:  # the title page ends with the contents, which list the same titles
            assert lines and lines[-1] not in headings, (number, lines[-1])
    arabic = PdfReader(pdfs[-1].parent.parent / "ar" / "report.pdf")
    print(
        f"\nprinted {pdfs[-1].relative_to(shipped_site)}: {len(reader.pages)} A4 pages; "
        f"Arabic: {len(arabic.pages)} pages"
    )


def test_accessibility_scan_of_the_shipped_report(shipped_site, visit):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    # The longest page at desktop width (about 12 s a scan); the index and the Arabic page are scanned on the
    # small data set's site at phone width.
    for path in (max(shipped_site.glob("[0-9][0-9][0-9][0-9]/en/report.html")), shipped_site / "trends/en/report.html"):
        violations = axe.run(visit(path).page).response["violations"]
        serious = [
            (x["id"], x["impact"], len(x["nodes"])) for x in violations if x["impact"] in ("serious", "critical")
        ]
        assert not serious, f"{path}: {serious}"
        print(f"\naxe-core, shipped {path.relative_to(shipped_site)}: {len(violations)} violation(s) of any impact")


def test_screenshots_of_every_page_type(shipped_site, visit):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    report = max(shipped_site.glob("[0-9][0-9][0-9][0-9]/en/report.html"))
    pages = {
        "index": shipped_site / "index.html",
        "report-en": report,
        "report-ar": report.parent.parent / "ar" / "report.html",
    }
    pages.update({f"trends-{p.parts[-2]}": p for p in shipped_site.glob("trends/*/report.html")})
    if (shipped_site / "changelog.html").is_file():
        pages["changelog"] = shipped_site / "changelog.html"
    saved = []
    for name, path in pages.items():
        for width in (DESKTOP, PHONE):
            v = visit(path, width)
            assert v.page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
            shot = SCREENSHOTS / f"{name}-{width}.png"
            # The whole page, down to 12,000 px: the header, the contents and the first chapters with their
            # charts and tables (a whole report is ten times longer and slow to encode).
            height = min(v.page.evaluate("document.documentElement.scrollHeight"), SHOT_HEIGHT)
            v.page.screenshot(path=str(shot), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})
            saved.append(shot)
    # The English report as printed (print stylesheet, A4 width), to look at without a PDF viewer.
    v = visit(report, 794)
    v.page.emulate_media(media="print")
    shot = SCREENSHOTS / "report-en-print.png"
    height = min(v.page.evaluate("document.documentElement.scrollHeight"), SHOT_HEIGHT)
    v.page.screenshot(path=str(shot), full_page=True, clip={"x": 0, "y": 0, "width": 794, "height": height})
    saved.append(shot)
    print(f"\nscreenshots in {SCREENSHOTS}: {', '.join(s.name for s in saved)}")
    assert all(s.stat().st_size > 10_000 for s in saved)
