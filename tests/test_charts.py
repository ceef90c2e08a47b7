"""Charts: assert on matplotlib artists (labels, counts, colours), never on pixels."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from mcis_report import charts


@pytest.fixture(autouse=True)
def _close_figures():
    charts.set_theme()
    yield
    plt.close("all")


def test_participation_chart_points_ranges_and_gap():
    data = pd.DataFrame(
        {
            "year": [2019, 2020, 2021],
            "value": pd.array([100, None, 107], dtype="Int64"),
            "low": pd.array([100, None, 100], dtype="Int64"),
            "high": pd.array([111, None, 107], dtype="Int64"),
            "western_participation": ["boycotted", "not_applicable", "not_invited"],
        }
    )
    ax = charts.participation_chart(
        data,
        x="year",
        y="value",
        low="low",
        high="high",
        hue="western_participation",
        hue_labels={"boycotted": "stayed away", "not_invited": "not invited"},
        xlabel="Year",
        ylabel="countries",
    )
    assert ax.get_xlabel() == "Year" and ax.get_ylabel() == "countries"
    legend = [t.get_text() for t in ax.figure.legends[0].get_texts()]
    assert legend == ["stayed away", "not invited"]  # the year with no value gets no legend entry
    from matplotlib.collections import PathCollection

    points = sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))
    assert points == 2
    assert [int(t) for t in ax.get_xticks()] == [2019, 2020, 2021]


def test_bar_chart_draws_one_bar_per_category():
    data = pd.DataFrame({"region": ["Africa", "Asia", "Europe"], "n": [3, 5, 1]})
    ax = charts.bar_chart(data, x="n", y="region", xlabel="Delegations", ylabel="Region")
    widths = sorted(p.get_width() for p in ax.patches)
    assert widths == [1, 3, 5]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Africa", "Asia", "Europe"]


def test_heatmap_annotates_every_cell_with_its_count():
    matrix = pd.DataFrame([[1, 0], [2, 3]], index=["Putin", "Li"], columns=["Multipolar order", "Taiwan"])
    ax = charts.heatmap(matrix, xlabel="Frame", ylabel="Speaker", blank_zeros=False)
    assert sorted(t.get_text() for t in ax.texts) == ["0", "1", "2", "3"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Putin", "Li"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Multipolar order", "Taiwan"]
    assert ax.get_xlabel() == "Frame"


def test_chart_functions_do_not_change_global_style():
    charts.set_theme()
    before = dict(plt.rcParams)
    charts.heatmap(pd.DataFrame([[1]], index=["a"], columns=["b"]), xlabel="x", ylabel="y")
    assert dict(plt.rcParams) == before


def test_draws_on_given_axes():
    _fig, ax = plt.subplots()
    out = charts.bar_chart(pd.DataFrame({"c": ["a"], "n": [1]}), x="n", y="c", xlabel="n", ylabel="c", ax=ax)
    assert out is ax


def test_right_to_left_mirrors_category_axis_and_legend():
    data = pd.DataFrame({"region": ["آسيا", "أفريقيا"], "n": [3, 2], "status": ["حضر", "دعي فقط"]})
    ax = charts.bar_chart(data, x="n", y="region", hue="status", xlabel="الوفود", ylabel="المنطقة", rtl=True)
    assert ax.xaxis_inverted()  # bars grow from the right
    assert ax.yaxis.get_label_position() == "right"
    assert [t.get_text() for t in ax.figure.legends[0].get_texts()] == ["دعي فقط", "حضر"]  # read from the right
    matrix = pd.DataFrame([[1, 2]], index=["بوتين"], columns=["أول", "ثان"])
    ax = charts.heatmap(matrix, xlabel="الأطر", ylabel="المتحدث", rtl=True)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["ثان", "أول"]  # first column on the right
    assert ax.yaxis.get_label_position() == "right"


def test_heatmap_numbers_contrast_with_their_cells_and_participation_uses_shapes():
    """WCAG contrast of at least 4.5:1 for every annotation; Western participation not by colour alone."""
    matrix = pd.DataFrame([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], index=list("abc"), columns=list("wxyz"))
    ax = charts.heatmap(matrix, xlabel="x", ylabel="y")
    cells = ax.collections[0].get_facecolor()
    for text in ax.texts:
        x, y = text.get_position()
        cell = charts._relative_luminance(tuple(cells[int(y) * 4 + int(x)]))
        ink = 1.0 if text.get_color() == "white" else 0.0
        assert (max(cell, ink) + 0.05) / (min(cell, ink) + 0.05) >= 4.5, text.get_text()
    plt.close(ax.figure)
    data = pd.DataFrame(
        {
            "year": [2012, 2013, 2022],
            "value": [50, 60, 70],
            "low": [50, 60, 70],
            "high": [50, 60, 70],
            "west": ["participated", "partial", "not_invited"],
        }
    )
    ax = charts.participation_chart(
        data, x="year", y="value", low="low", high="high", hue="west", hue_labels={}, xlabel="Year", ylabel="Countries"
    )
    from matplotlib.collections import PathCollection

    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    shapes = {tuple(map(tuple, c.get_paths()[0].vertices.round(2))) for c in points}
    assert len(shapes) == 3
    plt.close(ax.figure)


def test_heatmap_leaves_zero_cells_blank_and_white():
    matrix = pd.DataFrame([[2, 0], [0, 5]], index=["a", "b"], columns=["x", "y"])
    ax = charts.heatmap(matrix, xlabel="x", ylabel="y")
    assert sorted(t.get_text() for t in ax.texts) == ["2", "5"]
    plt.close(ax.figure)
    shares = charts.heatmap(matrix / 10, xlabel="x", ylabel="y", fmt=".0%")  # not counts: zeros kept
    assert sorted(t.get_text() for t in shares.texts) == ["0%", "0%", "20%", "50%"]


def test_heatmap_of_equal_values_is_not_near_white():
    matrix = pd.DataFrame([[1, 1], [1, 1]], index=["a", "b"], columns=["x", "y"])
    ax = charts.heatmap(matrix, xlabel="x", ylabel="y")
    for cell in ax.collections[0].get_facecolor():
        assert charts._relative_luminance(tuple(cell)) < 0.5


@pytest.mark.parametrize("rows", [1, 20])
def test_heatmap_size_keeps_cells_and_axis_title(rows):
    matrix = pd.DataFrame([[1, 2]] * rows, index=[f"Speaker {i}" for i in range(rows)], columns=["x", "y"])
    ax = charts.heatmap(matrix, xlabel="Frames", ylabel="Country or organisation")
    fig = ax.figure
    fig.canvas.draw()
    box = ax.get_window_extent()
    assert box.height / rows >= 0.35 * fig.dpi  # rows neither squashed into a strip
    title = ax.yaxis.label.get_window_extent()
    assert title.y0 >= 0 and title.y1 <= fig.bbox.height  # nor the axis title clipped
    assert all(t.get_fontsize() >= 9 for t in ax.texts)


def test_blame_matrix_rows_and_columns_by_total():
    from mcis_report.report.edition import by_totals

    pivot = pd.DataFrame([[0, 1], [3, 4], [1, 0]], index=["BLR", "RUS", "CHN"], columns=["NATO", "the West"])
    out = by_totals(pivot)
    assert list(out.index) == ["RUS", "BLR", "CHN"]  # 7, then 1 and 1 by name
    assert list(out.columns) == ["the West", "NATO"]  # 5 before 4
    ax = charts.heatmap(out, xlabel="x", ylabel="y")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["RUS", "BLR", "CHN"]


def _timeline_data():
    return pd.DataFrame(
        {
            "year": [2012, 2013, 2014, 2020, 2022, 2012, 2013, 2014, 2020, 2022],
            "metric": ["countries"] * 5 + ["delegates"] * 5,
            "value": pd.array([50, None, 40, None, 70, 150, 300, 300, None, 700], dtype="Int64"),
            "low": pd.array([50, None, 40, None, 30, 150, 250, 300, None, 700], dtype="Int64"),
            "high": pd.array([50, None, 40, None, 70, 150, 300, 300, None, 700], dtype="Int64"),
            "qualifier": [
                "approx",
                None,
                "more_than",
                None,
                "more_than",
                "more_than",
                "approx",
                "more_than",
                None,
                "exact",
            ],
            "timing": [
                "at_event",
                None,
                "post_event",
                None,
                "pre_event",
                "pre_event",
                "post_event",
                "post_event",
                None,
                "post_event",
            ],
            "status": ["held", "held", "held", "not_held", "held"] * 2,
            "west": ["participated", "partial", "boycotted", "not_applicable", "not_invited"] * 2,
        }
    )


MARKER_LABELS = {
    "reported": "reported",
    "more_than": "more than N",
    "pre_event": "announced before",
    "range": "range",
    "not_held": "no conference",
    "no_figure": "no figure",
}
HUE_LABELS = {
    "participated": "took part",
    "partial": "partial",
    "boycotted": "stayed away",
    "not_invited": "not invited",
}


def _timeline(rtl=False):
    return charts.timeline_chart(
        _timeline_data(),
        x="year",
        panel="metric",
        value="value",
        low="low",
        high="high",
        qualifier="qualifier",
        timing="timing",
        panel_labels={"countries": "Countries", "delegates": "Delegates"},
        marker_labels=MARKER_LABELS,
        events=[(2014, "Crimea"), (2020, "COVID-19")],
        hue="west",
        hue_labels=HUE_LABELS,
        xlabel="Year",
        rtl=rtl,
        status="status",
        hue_title="Western governments",
    )


def _markers(ax):
    from matplotlib.lines import Line2D

    found = []
    for line in ax.get_lines():
        if isinstance(line, Line2D) and line.get_marker() not in (None, "None", ""):
            for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True):
                found.append((int(x), float(y), line.get_marker(), line.get_markerfacecolor()))
    return found


def _legend_as_read(fig, rtl=False):
    """Legend texts in reading order: row by row, from the left (from the right when ``rtl``)."""
    fig.canvas.draw()
    texts = [t for t in fig.legends[0].get_texts() if t.get_text()]
    boxes = [(t.get_window_extent(), t.get_text()) for t in texts]
    key = (lambda b: (-round(b[0].y0), -b[0].x1)) if rtl else (lambda b: (-round(b[0].y0), b[0].x0))
    return [label for _, label in sorted(boxes, key=key)]


def test_timeline_marks_lower_bounds_and_announcements_apart_from_tallies():
    fig = _timeline()
    _strip, countries, delegates = fig.axes
    assert [a.get_title(loc="left") for a in (countries, delegates)] == ["Countries", "Delegates"]
    marks = _markers(countries)
    # 2014 "more than 40": an open upward triangle; 2022 "more than 70" announced before: triangle and a hollow ring.
    assert (2014, 40.0, "^", "white") in marks
    assert {(m, f) for x, _, m, f in marks if x == 2022} == {("^", "white"), ("o", "none")}
    assert [(m, f) for x, _, m, f in marks if x == 2012] == [("o", charts.TIMELINE_INK)]  # a tally: filled
    assert [(m, f) for x, _, m, f in _markers(delegates) if x == 2012] == [("^", "white"), ("o", "none")]
    assert countries.get_ylim()[0] == 0
    # 2013 was held without a country figure: said in the panel; 2020 (not held) is shaded, not "no figure".
    texts = {(round(t.get_position()[0]), t.get_text()) for t in countries.texts}
    assert texts == {(2013, "no figure")}
    assert any(p.get_x() == 2019.5 for p in countries.patches)


def test_timeline_western_shapes_legend_order_and_events():
    fig = _timeline()
    strip = fig.axes[0]
    shapes = {(m, c) for _, _, m, c in _markers(strip)}
    assert len({m for m, _ in shapes}) == 4 and len({c for _, c in shapes}) == 4  # one shape and colour each
    assert {x for x, *_ in _markers(strip)} == {2012, 2013, 2014, 2022}  # no mark for the year not held
    legend = _legend_as_read(fig)
    assert legend[:4] == ["took part", "partial", "stayed away", "not invited"]  # chronological
    assert set(legend[4:]) == {"reported", "more than N", "announced before", "range", "no conference"}
    for ax in fig.axes:
        dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
        assert sorted(float(line.get_xdata()[0]) for line in dashed) == [2014.0, 2020.0]
    assert {t.get_text() for t in strip.texts} == {"Crimea", "COVID-19"}
    from matplotlib.text import Text

    assert all(t.get_fontsize() >= 9 for t in fig.findobj(Text) if t.get_text())


def test_timeline_right_to_left_mirrors_axes_titles_and_legend():
    fig = _timeline(rtl=True)
    for ax in fig.axes[1:]:
        assert ax.yaxis.get_label_position() == "right" and ax.yaxis.get_ticks_position() == "right"
        assert ax.get_title(loc="right") and not ax.get_title(loc="left")
    legend = _legend_as_read(fig, rtl=True)
    assert legend[:4] == ["took part", "partial", "stayed away", "not invited"]  # read from the right
    assert all(t.get_horizontalalignment() == "right" for t in fig.axes[0].texts)


def test_chart_below_its_minimum_is_a_sentence(mini_reports, rich_report):
    from mcis_report import findings
    from mcis_report.i18n import text

    # The mini 2023 edition is thin: no heat map, the profile sentence says why.
    page = (mini_reports / "2023" / "en" / "report.html").read_text(encoding="utf-8")
    assert "frames_by_speaker" not in page and "who_blames_whom" not in page
    assert f"fewer than the {findings.DEFAULT.thin_claims}" in page
    # The rich 2023 edition has enough claims for the frames heat map but too few naming an actor.
    ctx, page = rich_report
    figures = {p.name for p in (ctx.out_dir / "figures").iterdir()}
    assert "frames_by_speaker.png" in figures and "who_blames_whom.png" not in figures
    head = text("chapter.messaging.blame_few", "en").split("{")[0]
    assert head in page and "→" in page
