"""The report package: every registered part renders from the data, escapes data strings, lists its files."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pytest

from markupsafe import Markup

from mcis_report import report
from mcis_report.report import artifacts, html


def render(data_dir, out_dir, year=2023, lang="en"):
    ctx = report.ReportContext.open(year, lang, data_dir, out_dir)
    page = report.render_report(ctx, "edition")
    plt.close("all")
    return ctx, str(page)


def test_every_chapter_and_toc_anchor(mini_dir, tmp_path):
    ctx, html = render(mini_dir, tmp_path)
    listed = [part for part in report.parts("edition") if part.toc]
    assert len(listed) >= 9
    for part in listed:
        assert f'id="{part.id}"' in html
        assert f'href="#{part.id}"' in html
    assert html.count("<figure") == ctx.figure_count >= 4
    assert all('alt="' in f for f in re.findall(r"<figure.*?</figure>", html))


def test_files_saved_beside_report(mini_dir, tmp_path):
    ctx, _ = render(mini_dir, tmp_path)
    figures = {p.name for p in (ctx.out_dir / "figures").iterdir()}
    assert {"frames_by_speaker.png", "frames_by_speaker.svg", "participation_countries.png"} <= figures
    assert (ctx.out_dir / "tables" / "claims.csv").is_file()


def test_the_report_lists_exactly_the_files_it_wrote(mini_dir, tmp_path):
    ctx, _ = render(mini_dir, tmp_path)
    listed = artifacts.read_manifest(ctx.out_dir)
    on_disk = sorted(str(p.relative_to(ctx.out_dir)) for p in ctx.out_dir.rglob("*") if p.is_file()
                     and p.name != artifacts.MANIFEST)
    assert listed == on_disk
    assert "figures/frames_by_speaker.png" in listed and "tables/claims.csv" in listed


def test_numbers_follow_the_data(broken_copy, tmp_path):
    data = broken_copy()
    _, before = render(data, tmp_path / "a")
    assert "50 countries" in before
    figures = (data / "figures.csv").read_text(encoding="utf-8")
    (data / "figures.csv").write_text(figures.replace("2023,countries,50,", "2023,countries,63,"), encoding="utf-8")
    _, after = render(data, tmp_path / "b")
    assert "63 countries" in after and "50 countries" not in after


def test_hostile_names_appear_as_text(broken_copy, tmp_path):
    data = broken_copy()
    hostile_speaker = "<script>alert('x')</script>"
    hostile_head = '<img src=x onerror="alert(1)">'
    statements = (data / "statements.csv").read_text(encoding="utf-8")
    (data / "statements.csv").write_text(statements.replace("Test Guest,", f'"{hostile_speaker}",'), encoding="utf-8")
    delegations = (data / "delegations.csv").read_text(encoding="utf-8")
    hostile_csv = hostile_head.replace('"', '""')
    (data / "delegations.csv").write_text(delegations.replace("Test Guest,", f'"{hostile_csv}",'), encoding="utf-8")
    _, html = render(data, tmp_path)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html


def test_edition_with_little_data_says_what_is_missing(mini_dir, tmp_path):
    _, html = render(mini_dir, tmp_path, year=2022)
    assert "first edition in the data" in html
    assert "Not recorded:" in html


def test_unknown_parameters_list_valid_values(mini_dir, tmp_path):
    with pytest.raises(report.ParameterError, match="valid: 2022, 2023"):
        report.ReportContext.open(1999, "en", mini_dir, tmp_path)
    with pytest.raises(report.ParameterError, match="unknown language 'xx'"):
        report.ReportContext.open(2023, "xx", mini_dir, tmp_path)


def test_a_part_is_registered_once_and_its_errors_name_it(mini_dir, tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="already registered"):
        report.register("edition", "glance")(lambda ctx: html.Section(""))
    registry = dict(report.registry._REGISTRY)
    monkeypatch.setattr(report.registry, "_REGISTRY", {**registry, "broken": {}})

    @report.register("broken", "boom")
    def boom(ctx):
        raise RuntimeError("no data")

    ctx = report.ReportContext.open(2023, "en", mini_dir, tmp_path)
    with pytest.raises(RuntimeError) as error:
        report.render_report(ctx, "broken")
    assert "part 'boom' of the broken report" in "".join(error.value.__notes__)


def test_html_blocks_escape_plain_values_and_keep_markup():
    assert str(html.paragraph("<b>", Markup("<i>x</i>"))) == "<p>&lt;b&gt; <i>x</i></p>"
    assert str(html.bullet_list(["a&b"])) == "<ul><li>a&amp;b</li></ul>"
    table = str(html.table("t", ["<th>"], [["<td>", Markup("<em>ok</em>"), None]], "Table 1", "cap"))
    assert '<th scope="col">&lt;th&gt;</th>' in table and "<td>&lt;td&gt;</td>" in table
    assert "<td><em>ok</em></td>" in table and "<td></td>" in table
    section = html.section("a\"b", "<T>", [Markup("<p>x</p>"), ""])
    assert 'id="a&#34;b"' in section and "<h2>&lt;T&gt;</h2>" in section


def test_derived_tables_cannot_start_a_spreadsheet_formula():
    import pandas as pd

    frame = pd.DataFrame({"name": ["=HYPERLINK(1)", "+cmd", "-x", "@SUM", "\tx", "ok", "+1"], "n": [-1, 2, 3, 4, 5, 6, 7]})
    safe = artifacts.spreadsheet_safe(frame)
    assert list(safe["name"]) == ["'=HYPERLINK(1)", "'+cmd", "'-x", "'@SUM", "'\tx", "ok", "+1"]  # numbers stay numbers
    assert list(safe["n"]) == [-1, 2, 3, 4, 5, 6, 7]
