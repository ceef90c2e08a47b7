"""Chapters render every section from the data, escape data strings and save figures and tables."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pytest

from mcis_report import chapters

ALL = [chapters.header, chapters.at_a_glance, chapters.across_editions, chapters.who_came, chapters.messaging,
       chapters.partners, chapters.changes, chapters.article_checks, chapters.conclusion, chapters.method]


def render(data_dir, out_dir, year=2023, lang="en"):
    ctx = chapters.ReportContext.open(year, lang, data_dir, out_dir)
    html = "".join(fn(ctx) for fn in ALL)
    plt.close("all")
    return ctx, html


def test_every_chapter_and_toc_anchor(mini_dir, tmp_path):
    ctx, html = render(mini_dir, tmp_path)
    for chapter in chapters.CHAPTERS:
        assert f'id="{chapter}"' in html
        assert f'href="#{chapter}"' in html
    assert html.count("<figure") == ctx.figure_count >= 4
    assert all('alt="' in f for f in re.findall(r"<figure.*?</figure>", html))


def test_files_saved_beside_report(mini_dir, tmp_path):
    ctx, _ = render(mini_dir, tmp_path)
    figures = {p.name for p in (ctx.out_dir / "figures").iterdir()}
    assert {"frames_by_speaker.png", "frames_by_speaker.svg", "participation_countries.png"} <= figures
    assert (ctx.out_dir / "tables" / "claims.csv").is_file()


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
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_edition_with_little_data_says_what_is_missing(mini_dir, tmp_path):
    _, html = render(mini_dir, tmp_path, year=2022)
    assert "first edition in the data" in html
    assert "Not recorded:" in html


def test_unknown_parameters_list_valid_values(mini_dir, tmp_path):
    with pytest.raises(chapters.ParameterError, match="valid: 2022, 2023"):
        chapters.ReportContext.open(1999, "en", mini_dir, tmp_path)
    with pytest.raises(chapters.ParameterError, match="unknown language 'xx'"):
        chapters.ReportContext.open(2023, "xx", mini_dir, tmp_path)
