"""The reader's site without a browser: edition summaries, the index page, navigation, page aids, --pdf."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import Markup

from mcis_report import cli, export
from mcis_report.dataset import load_dataset
from mcis_report.site import THIN_CLAIMS, edition_summaries


def test_summaries_mark_thin_and_cancelled_editions(mini_dir):
    ds = load_dataset(mini_dir)
    for lang in ("en", "ar"):
        rows = {row["year"]: row for row in edition_summaries(ds, lang)}
        assert list(rows) == sorted(rows, reverse=True)
        cancelled = [row for row in rows.values() if not row["held"]]
        assert cancelled and all(row["note"] and not row["summary"] for row in cancelled)
        for row in rows.values():
            if row["held"]:
                assert row["dates"] and row["summary"]
                expected = "full" if row["claims"] >= THIN_CLAIMS else "thin" if row["claims"] else "none"
                assert row["evidence"] == expected and row["evidence_label"]


def _summaries(mini_dir):
    ds = load_dataset(mini_dir)
    return {lang: edition_summaries(ds, lang) for lang in ("en", "ar")}


def test_index_has_one_h1_cards_per_language_and_no_link_to_a_missing_report(mini_dir):
    page = export.index_page(
        [(2023, "en"), (2023, "ar"), (2022, "en")],
        _summaries(mini_dir),
        trends=["en"],
        version="abc123",
        errata=None,
        methods={(2023, "en")},
    )
    assert page.count("<h1") == 1 and "<script" not in page
    assert 'href="2023/en/report.html"' in page and 'href="2023/ar/report.html"' in page
    assert 'href="2022/ar/report.html"' not in page  # not built: no link
    assert 'href="2023/en/report.html#method"' in page and 'href="2023/ar/report.html#method"' not in page
    assert 'href="trends/en/report.html"' in page and "trends/ar" not in page
    assert "card-not-held" in page and "abc123" in page
    assert not re.search(r'href="(/|[a-z]+:)', page)  # every link relative


def test_index_escapes_what_the_data_says(mini_dir):
    summaries = _summaries(mini_dir)
    summaries["en"][0]["summary"] = "<script>alert(1)</script>"
    page = export.index_page([(2023, "en")], summaries)
    assert "<script>" not in page and "&lt;script&gt;" in page


def _site(tmp_path: Path, reports: list[str]) -> Path:
    out = tmp_path / "out"
    for name in reports:
        folder = out / name
        folder.mkdir(parents=True)
        (folder / "report.html").write_text(
            f"<html><body>{export.NAV_MARK[0]}{export.NAV_MARK[1]}<main></main>"
            f"{export.FILES_MARK[0]}{export.FILES_MARK[1]}</body></html>",
            encoding="utf-8",
        )
    return out


def test_navigation_links_only_to_reports_that_exist(tmp_path):
    out = _site(tmp_path, ["2019/en", "2021/en", "2021/ar", "2022/ar", "trends/en"])
    nav = export.navigation(out, "2021", "en")
    assert nav["previous"]["href"] == "../../2019/en/report.html" and nav["next"] is None
    assert [x["href"] for x in nav["languages"]] == ["../ar/report.html"]
    assert nav["trends"] == "../../trends/en/report.html"
    arabic = export.navigation(out, "2021", "ar")
    assert arabic["previous"] is None and arabic["next"]["year"] == 2022 and arabic["trends"] is None


def test_navigation_refresh_rewrites_only_pages_that_change(tmp_path):
    out = _site(tmp_path, ["2022/en", "2023/en"])
    written = []

    def write(path, content):
        written.append(path)
        path.write_text(content, encoding="utf-8")

    export.refresh_navigation(out, write)
    page = (out / "2022" / "en" / "report.html").read_text(encoding="utf-8")
    assert 'href="../../2023/en/report.html"' in page and 'href="../../index.html"' in page
    assert len(written) == 2
    export.refresh_navigation(out, write)
    assert len(written) == 2  # nothing changed, nothing written


def test_page_aids_number_nothing_by_hand_and_label_every_cell():
    from mcis_report.report import html

    table = html.table("t", ["X", Markup("<abbr>Y</abbr>"), "Z"], [[1, "", "a<b"]], "Table 1", "C", csv_label="CSV")
    assert '<table id="tab-t" class="stack">' in table and 'href="tables/t.csv">CSV</a></caption>' in table
    assert '<td data-label="Y"></td>' in table  # an empty cell has no box: a card hides it
    assert '<td data-label="X"><span class="cell">1</span></td>' in table
    assert '<td data-label="Z"><span class="cell">a&lt;b</span></td>' in table
    assert 'class="stack"' not in html.table("u", ["X", "Y"], [[1, 2]], "Table 2", "C")  # two columns stay a table
    figure = html.figure("f", "AAAA", "Figure 1", "Cap", 'a"b', svg_label="SVG")
    image = '<img src="data:image/png;base64,AAAA" alt="a&#34;b">'
    assert f'<a class="figure-zoom" href="figures/f.svg">{image}</a>' in figure
    assert 'Cap <a class="file-link" href="figures/f.svg">SVG</a></figcaption>' in figure

    body = f'<h1 id="top">T</h1><section class="chapter" id="a"><h2>A</h2>{table}\n</section>'
    page = export.enhance(body, "en")
    assert page.count('<a href="#top">Back to top</a>') == 1


def test_pdf_without_chromium_exits_2_before_any_kernel(mini_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(export, "find_chromium", lambda: None)
    out = tmp_path / "out"
    assert cli.main(["build", "--data", str(mini_dir), "--out", str(out), "--pdf"]) == 2
    assert "chromium" in capsys.readouterr().err
    assert not out.exists()  # stopped before anything was started or written


@pytest.mark.skipif(export.find_chromium() is None, reason="Chromium is not installed (apt-get install chromium)")
def test_print_pdf_writes_a_pdf(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<!DOCTYPE html><html lang=en><title>t</title><p>Hello</p></html>", encoding="utf-8")
    pdf = export.print_pdf(page, tmp_path / "page.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert not list(tmp_path.glob("*.tmp"))


def test_changelog_becomes_the_errata_page_and_the_data_version(broken_copy, tmp_path):
    data = broken_copy()
    (data / "CHANGELOG.md").write_text(
        "# Data changelog\n\n## 2026-11-30: corrections\n\n- claims.csv row 4: fixed <script>alert(1)</script>\n"
        "- see [this](javascript:alert(2))\n\n## 2026-11-01: first release\n",
        encoding="utf-8",
    )
    out = _site(tmp_path, ["2023/en"])

    def write(path, content):
        path.write_text(content, encoding="utf-8")

    index = export.write_site(out, data, write).read_text(encoding="utf-8")
    assert 'href="changelog.html"' in index and "2026-11-30: corrections" in index
    errata = (out / "changelog.html").read_text(encoding="utf-8")
    assert "<script" not in errata and "javascript:" not in errata
    assert "&lt;script&gt;" in errata and 'href="index.html"' in errata
