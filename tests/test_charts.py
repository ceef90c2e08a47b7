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
    ax = charts.heatmap(matrix, xlabel="Frame", ylabel="Speaker")
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
