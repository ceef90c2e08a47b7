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


def test_every_chapter_and_toc_anchor(rich_report):
    ctx, html = rich_report
    listed = [part for part in report.parts("edition") if part.toc]
    assert len(listed) >= 9
    for part in listed:
        assert f'id="{part.id}"' in html
        assert f'href="#{part.id}"' in html
    assert html.count("<figure") == ctx.figure_count >= 2  # the timeline and the frames heat map at least
    assert all('alt="' in f for f in re.findall(r"<figure.*?</figure>", html))


def test_the_contents_list_exactly_the_chapters_a_thin_edition_has(mini_dir, tmp_path):
    _, html = render(mini_dir, tmp_path)
    toc = re.findall(r'<li><a href="#([a-z_]+)">', html)
    sections = re.findall(r'<section class="chapter" id="([a-z_]+)">', html)
    assert toc == sections
    assert "messaging" not in sections and "partners" not in sections  # 3 claims: a profile, no empty chapter


def test_files_saved_beside_report(rich_report):
    ctx, _ = rich_report
    figures = {p.name for p in (ctx.out_dir / "figures").iterdir()}
    assert {"frames_by_speaker.png", "frames_by_speaker.svg", "participation_timeline.png"} <= figures
    assert (ctx.out_dir / "tables" / "claims.csv").is_file()


def test_the_report_lists_exactly_the_files_it_wrote(rich_report):
    ctx, _ = rich_report
    listed = artifacts.read_manifest(ctx.out_dir)
    on_disk = sorted(
        str(p.relative_to(ctx.out_dir)) for p in ctx.out_dir.rglob("*") if p.is_file() and p.name != artifacts.MANIFEST
    )
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
    assert "profile of the edition" in html


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


def test_a_result_chapters_share_is_computed_once_per_report(mini_dir, tmp_path):
    ctx = report.ReportContext.open(2023, "en", mini_dir, tmp_path)
    calls = []
    first = ctx.once("findings", lambda: calls.append(1) or ["found"])
    assert ctx.once("findings", lambda: calls.append(1) or ["other"]) is first and calls == [1]
    assert ctx.once("other", lambda: "x") == "x"
    fresh = report.ReportContext.open(2023, "en", mini_dir, tmp_path / "next")
    assert fresh.once("findings", lambda: ["again"]) == ["again"]  # nothing carries over to the next report


def test_each_figure_is_laid_out_once_for_both_its_files(mini_dir, tmp_path, monkeypatch):
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    runs = []
    execute = ConstrainedLayoutEngine.execute
    monkeypatch.setattr(ConstrainedLayoutEngine, "execute", lambda self, fig: runs.append(1) or execute(self, fig))
    ctx = report.ReportContext.open(2023, "en", mini_dir, tmp_path)
    _, ax = plt.subplots(figsize=(4, 3), layout="constrained")
    ax.set_ylabel("a long label on the left")
    ax.plot([1, 2], [3, 4])
    ctx.figure(ax, "line", "Caption", "Alt")
    assert runs == [1]
    svg = (ctx.out_dir / "figures" / "line.svg").read_text()
    png = (ctx.out_dir / "figures" / "line.png").read_bytes()
    assert 'width="288pt" height="216pt"' in svg and png[16:24] == (400).to_bytes(4, "big") + (300).to_bytes(4, "big")


def test_html_blocks_escape_plain_values_and_keep_markup():
    assert str(html.paragraph("<b>", Markup("<i>x</i>"))) == "<p>&lt;b&gt; <i>x</i></p>"
    assert str(html.bullet_list(["a&b"])) == "<ul><li>a&amp;b</li></ul>"
    table = str(html.table("t", ["<th>"], [["<td>", Markup("<em>ok</em>"), None]], "Table 1", "cap"))
    assert '<th scope="col">&lt;th&gt;</th>' in table and "<td>&lt;td&gt;</td>" in table
    assert "<td><em>ok</em></td>" in table and "<td></td>" in table
    section = html.section('a"b', "<T>", [Markup("<p>x</p>"), ""])
    assert 'id="a&#34;b"' in section and "<h2>&lt;T&gt;</h2>" in section


def test_derived_tables_cannot_start_a_spreadsheet_formula():
    import pandas as pd

    frame = pd.DataFrame(
        {"name": ["=HYPERLINK(1)", "+cmd", "-x", "@SUM", "\tx", "ok", "+1"], "n": [-1, 2, 3, 4, 5, 6, 7]}
    )
    safe = artifacts.spreadsheet_safe(frame)
    assert list(safe["name"]) == ["'=HYPERLINK(1)", "'+cmd", "'-x", "'@SUM", "'\tx", "ok", "+1"]  # numbers stay numbers
    assert list(safe["n"]) == [-1, 2, 3, 4, 5, 6, 7]


# --- the analysis: key findings, conclusion, no misstatement -------------------------------------------


def _prose(page: str) -> str:
    """The page's sentences: without tables, figures, citation marks and the source list."""
    page = re.sub(
        r"<table.*?</table>|<figure.*?</figure>|<sup.*?</sup>|<ol class=\"sources\">.*?</ol>",
        " ",
        page,
        flags=re.DOTALL,
    )
    page = re.sub(r"</?(bdi|a|strong|em|span)\b[^>]*>", "", page)  # inline: no space
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def _section(page: str, anchor: str) -> str:
    match = re.search(rf'<section class="chapter" id="{anchor}">(.*?)</section>', page, flags=re.DOTALL)
    return match.group(1) if match else ""


#: A count of zero printed in prose ("0 in writing", "0 of 2 claims"): a digit 0 standing alone.
ZERO = re.compile(r"(?<![\d.,])0(?![\d.,%])")


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("year", [2022, 2023])
def test_every_edition_and_language_has_no_empty_chapter_and_no_zero_category(mini_dir, tmp_path, year, lang):
    _, page = render(mini_dir, tmp_path, year=year, lang=lang)
    for anchor, body in re.findall(r'<section class="chapter" id="([a-z_]+)">(.*?)</section>', page, flags=re.DOTALL):
        assert _prose(re.sub(r"<h2>.*?</h2>", "", body)).strip(), f"empty chapter {anchor}"
    assert not ZERO.search(_prose(page)), ZERO.search(_prose(page))


def test_key_findings_come_first_and_the_conclusion_answers_the_article(rich_report):
    _, page = rich_report
    sections = re.findall(r'<section class="chapter" id="([a-z_]+)">', page)
    assert sections[0] == "key" and sections[1] == "intro"
    key = _prose(_section(page, "key"))
    assert "The number of countries rose: 50 countries in 2023, against about 40 in 2022." in key
    assert "Less critical than Russia: China" in key  # 0 of 7 claims against 12 of 14
    conclusion = _prose(_section(page, "conclusion"))
    assert "The test article says the second edition showed the host is not alone." in conclusion
    assert "holds only in part" in conclusion
    assert (
        "speakers for Russia attacked a named actor in 7 of 8 claims, while those for China did so in none of "
        "their 7 claims"
    ) in conclusion


def test_key_findings_and_conclusion_change_with_the_data(rich_copy, tmp_path):
    data = rich_copy()
    _, before = render(data, tmp_path / "a")
    figures = (data / "figures.csv").read_text(encoding="utf-8")
    (data / "figures.csv").write_text(figures.replace("2023,countries,50,", "2023,countries,30,"), encoding="utf-8")
    _, after = render(data, tmp_path / "b")
    assert "countries rose" in _prose(_section(before, "key"))
    assert "countries fell: 30 countries in 2023" in _prose(_section(after, "key"))
    assert _prose(_section(before, "conclusion")) != _prose(_section(after, "conclusion"))


def test_the_article_check_appears_only_where_an_article_is_attached(mini_dir, tmp_path):
    _, with_article = render(mini_dir, tmp_path / "a", year=2023)
    _, without = render(mini_dir, tmp_path / "b", year=2022)
    assert 'id="checks"' in with_article and "A test article on the second edition" in with_article
    assert 'id="checks"' not in without and 'href="#checks"' not in without
    assert "No article in the data discusses the 2022 edition." in _prose(without)


def test_title_and_subtitle_are_generated_per_edition(mini_dir, tmp_path):
    _, first = render(mini_dir, tmp_path / "a", year=2022)
    _, second = render(mini_dir, tmp_path / "b", year=2023)
    title = re.compile(r"<h1[^>]*>(.*?)</h1>.*?<p class=\"subtitle\">(.*?)</p>", re.DOTALL)
    (t1, s1), (t2, s2) = map(_prose, title.search(first).groups()), map(_prose, title.search(second).groups())
    assert "Security in a changing world" in t1 and "Towards many poles" in t2
    assert "The first conference" in s1 and "The second conference" in s2


def test_no_misstatement_of_ties_timing_or_bounds(rich_report):
    _, page = rich_report
    prose = _prose(page)
    # delegates: "more than 500" announced before 2022 against "more than 700" counted: never "up from".
    assert "delegates rose" not in prose and "delegates: more than 500" in prose
    # nested regions: the Sahel is counted inside Africa, never ranked against it.
    assert "Africa (6 claims, including the Sahel in 6 claims)" in prose
    # the host is not a visiting delegation.
    assert "Sources name 2 delegations that took part in 2023" in prose


def test_a_new_edition_gets_a_report_that_compares_it_with_the_previous_one(broken_copy, tmp_path):
    data = broken_copy()

    def append(name: str, *rows: str) -> None:
        with (data / name).open("a", encoding="utf-8") as f:
            f.write("\n".join(rows) + "\n")

    append(
        "editions.csv",
        "2024,3,held,2024-08-13,2024-08-14,Test Park,منتزه الاختبار,A fictitious third meeting,"
        "اجتماع ثالث متخيَّل,Testing,الاختبار,not_invited,,,,,S003",
    )
    append(
        "figures.csv",
        "2024,countries,35,exact,post_event,true,,,S003",
        "2024,defence_ministers,12,exact,post_event,true,,,S003",
    )
    append(
        "delegations.csv",
        "D005,2024,CHN,,Test Guest,الضيف التجريبي,Defence Minister,وزير الدفاع,minister,in_person,,S003",
    )
    append(
        "statements.csv",
        "ST004,2024,2024-08-13,Test Guest,الضيف التجريبي,CHN,,Defence Minister,وزير الدفاع,speech,D005,,,S003",
    )
    append(
        "claims.csv",
        "C005,ST004,sovereignty,,global,supportive,,The guest spoke of sovereignty.,تحدث الضيف عن السيادة.,S003,false",
    )
    ctx, page = render(data, tmp_path, year=2024)
    assert ctx.ds.years[-1] == 2024
    changes = _prose(_section(page, "changes"))
    assert "Compared with 2023: countries fell from 50 to 35 and defence ministers unchanged at 12." in changes
    assert "As in 2023: Western states were not invited." in changes
    assert "Speakers at both this edition and 2023: Test Guest." in changes
    assert "The number of countries fell: 35 countries in 2024, against 50 in 2023" in _prose(_section(page, "key"))
    assert 'id="checks"' not in page  # the article discusses 2023, not 2024
