"""Charts across editions: assert on matplotlib artists (points, segments, patches, texts), never on pixels."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from mcis_report import charts


@pytest.fixture(autouse=True)
def _close_figures():
    charts.set_theme()
    yield
    plt.close("all")


def _texts_at_least(fig, points: float) -> list[tuple[str, float]]:
    """Every visible, non-empty text of ``fig`` smaller than ``points``."""
    small = []
    fig.canvas.draw()  # tick labels exist only once drawn
    for text in fig.findobj(Text):
        if text.get_visible() and text.get_text().strip() and text.get_fontsize() < points:
            small.append((text.get_text(), text.get_fontsize()))
    return small


def _legend_in_reading_order(fig, rtl: bool = False) -> list[str]:
    """The legend's entries as a reader meets them: row by row, left to right (right to left when ``rtl``)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for t in fig.legends[0].get_texts() if t.get_text()]
    boxes = {id(t): t.get_window_extent(renderer) for t in texts}

    def place(t):
        return (-round(boxes[id(t)].y0), -boxes[id(t)].x1 if rtl else boxes[id(t)].x0)

    return [t.get_text() for t in sorted(texts, key=place)]


def _share_data() -> pd.DataFrame:
    # 2019 has 3 claims (thin), 2020 had no conference (absent), 2021 and 2022 have 40.
    rows = []
    for frame, shares in (("sov", (1.0, 0.25, 0.5)), ("multi", (0.0, 0.5, 0.25))):
        for year, n, share in zip((2019, 2021, 2022), (3, 40, 40), shares, strict=True):
            rows.append(
                {"frame": frame, "year": year, "share": share, "n": n, "low": share / 2, "high": (1 + share) / 2}
            )
    return pd.DataFrame(rows)


def _share_panels(**kwargs):
    options = {
        "facet": "frame",
        "x": "year",
        "share": "share",
        "low": "low",
        "high": "high",
        "n": "n",
        "facet_labels": {"multi": "Multipolar order", "sov": "Sovereignty"},
        "xlabel": "Edition",
        "ylabel": "Share of claims",
        "thin_label": "Grey: fewer than 10 claims",
    }
    options.update(kwargs)
    return charts.share_panels(_share_data(), **options)


def test_share_panels_hide_thin_years_and_mark_them():
    fig = _share_panels()
    first = fig.axes[0]
    assert [ax.get_title() for ax in fig.axes] == ["Multipolar order", "Sovereignty"]  # facet_labels order
    for ax in fig.axes:
        points = [c for c in ax.collections if isinstance(c, PathCollection)]
        xs = sorted(float(x) for c in points for x, _ in c.get_offsets())
        assert xs == [2021.0, 2022.0]  # no point for the thin year 2019, nothing invented for 2020
        assert ax.get_ylim() == (0, 1)
    ticks = [t.get_text() for t in first.get_xticklabels()]
    assert ticks == ["2019\nn = 3", "2021\nn = 40", "2022\nn = 40"]
    colours = [t.get_color() for t in first.get_xticklabels()]
    assert colours[0] == charts.THIN_INK and colours[1] != charts.THIN_INK
    spans = [p for p in first.patches if isinstance(p, Rectangle) and p.get_x() == pytest.approx(2018.5)]
    assert len(spans) == 1 and spans[0].get_width() == pytest.approx(1.0)
    assert not [p for p in first.patches if isinstance(p, Rectangle) and p.get_x() == pytest.approx(2020.5)]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["Grey: fewer than 10 claims"]


def test_share_panels_interval_segments_match_low_and_high():
    fig = _share_panels()
    segments = next(c for c in fig.axes[1].collections if isinstance(c, LineCollection)).get_segments()
    drawn = sorted(v for s in segments for v in (float(s[0][0]), float(s[0][1]), float(s[1][1])))
    data = _share_data().query("frame == 'sov' and n >= 10")
    expected = sorted([*data["year"].astype(float), *data["low"], *data["high"]])
    assert drawn == pytest.approx(expected)


def test_share_panels_right_to_left_order_and_value_axis():
    fig = _share_panels(rtl=True)
    first, second = fig.axes[0], fig.axes[1]
    # First facet in the rightmost column; its value labels on the right.
    assert first.get_position().x0 > second.get_position().x0
    assert first.yaxis.get_label_position() == "right"
    assert first.yaxis.get_ticks_position() == "right"
    assert first.get_ylabel() == "Share of claims" and second.get_ylabel() == ""


def test_share_panels_many_panels_wrap_into_rows_within_the_page():
    labels = {f"f{i}": f"Frame number {i}" for i in range(6)}
    data = pd.concat([_share_data().assign(frame=key) for key in labels])
    fig = charts.share_panels(
        data,
        facet="frame",
        x="year",
        share="share",
        low="low",
        high="high",
        n="n",
        facet_labels=labels,
        xlabel="Edition",
        ylabel="Share",
        ncols=4,
    )
    assert fig.get_figwidth() <= charts.MAX_FIGURE_WIDTH
    rows = {round(ax.get_position().y0, 3) for ax in fig.axes}
    assert len(fig.axes) == 6 and len(rows) >= 2
    assert fig.get_figheight() > 2 * 1.5  # grows with the rows


def _stance_data() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": ["CHN", "RUS", "IRN", "MEA"],
            "critical": [2, 12, 9, 3],
            "supportive": [6, 6, 1, 0],
            "neutral": [2, 2, 0, 0],
            "n": [10, 20, 10, 3],
        }
    )


def _stance(**kwargs):
    options = {
        "y": "group",
        "critical": "critical",
        "supportive": "supportive",
        "neutral": "neutral",
        "n": "n",
        "labels": {"critical": "critical", "supportive": "supportive", "neutral": "neutral"},
        "xlabel": "Share of claims",
        "y_labels": {"CHN": "China", "RUS": "Russia", "IRN": "Iran", "MEA": "Middle East"},
        "thin_label": "Hatched: fewer than 5 claims",
    }
    options.update(kwargs)
    return charts.stance_bars(_stance_data(), **options)


def _rows(ax) -> dict[int, list[Rectangle]]:
    rows: dict[int, list[Rectangle]] = {}
    for patch in ax.patches:
        rows.setdefault(round(patch.get_y() + patch.get_height() / 2), []).append(patch)
    return rows


def test_stance_bars_order_extents_hatching_and_n():
    ax = _stance()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # Most critical first (Iran 90 %, Russia 60 %, China 20 %); the thin group (3 claims) after the others.
    assert labels == ["Iran\nn = 10", "Russia\nn = 20", "China\nn = 10", "Middle East\nn = 3"]
    for row, patches in _rows(ax).items():
        assert sum(p.get_width() for p in patches) == pytest.approx(1.0), row
    china = sorted(_rows(ax)[2], key=lambda p: p.get_x())
    assert [p.get_gid() for p in china] == ["critical", "neutral", "supportive"]
    assert china[0].get_x() == pytest.approx(-0.3) and china[1].get_x() == pytest.approx(-0.1)  # neutral centred
    assert all(p.get_hatch() for p in _rows(ax)[3]) and not any(p.get_hatch() for p in _rows(ax)[0])
    assert ax.get_yticklabels()[3].get_color() == charts.THIN_INK
    assert _legend_in_reading_order(ax.figure) == [
        "critical",
        "neutral",
        "supportive",
        "Hatched: fewer than 5 claims",
    ]
    assert ax.xaxis.get_major_formatter()(-0.5) == "50%"


def test_stance_bars_given_order_and_right_to_left():
    ax = _stance(order=["RUS", "CHN"], thin_last=False, rtl=True)
    assert [t.get_text().split("\n")[0] for t in ax.get_yticklabels()] == ["Russia", "China"]
    assert ax.xaxis_inverted() and ax.yaxis.get_label_position() == "right"
    # Read from the right, the entries come in the same order: critical first.
    assert _legend_in_reading_order(ax.figure, rtl=True)[:3] == ["critical", "neutral", "supportive"]
    texts = {t.get_text(): t.get_window_extent().x0 for t in ax.figure.legends[0].get_texts()}
    assert texts["critical"] > texts["supportive"]


def _profile_data() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": ["RUS", "RUS", "RUS", "CHN", "CHN", "CHN", "MLI"],
            "frame": ["sov", "multi", "nato", "sov", "multi", "nato", "sov"],
            "share": [0.5, 0.25, 0.0, 0.2, 0.6, 0.0, 1.0],
            "n": [20, 20, 20, 10, 10, 10, 2],
        }
    )


def _profile(**kwargs):
    options = {
        "facet": "group",
        "y": "frame",
        "share": "share",
        "n": "n",
        "facet_labels": {"RUS": "Russia", "CHN": "China", "MLI": "Mali"},
        "y_labels": {"sov": "Sovereignty", "multi": "Multipolar order", "nato": "NATO as a threat"},
        "xlabel": "Share of claims",
        "thin_label": "Too few claims ({n}) to show a profile",
    }
    options.update(kwargs)
    return charts.profile_multiples(_profile_data(), **options)


def test_profile_multiples_blank_zeros_shared_order_and_thin_panel():
    fig = _profile(order=["nato", "sov", "multi"])
    russia, china, mali = fig.axes
    for ax in (russia, china, mali):
        names = [tick.label1.get_text() for tick in ax.yaxis.get_major_ticks()]
        assert names == ["NATO as a threat", "Sovereignty", "Multipolar order"]
    assert sorted(round(p.get_width(), 2) for p in russia.patches) == [0.25, 0.5]  # no bar for the zero
    assert sorted(t.get_text() for t in russia.texts) == ["25%", "50%"]
    assert all(round(p.get_y() + p.get_height() / 2) != 0 for p in russia.patches)  # row 0 (NATO) empty
    assert russia.get_title() == "Russia\nn = 20"
    assert not mali.patches
    assert [t.get_text().replace("\n", " ") for t in mali.texts] == ["Too few claims (2) to show a profile"]


def test_profile_multiples_default_order_by_mean_share_without_thin_groups():
    fig = _profile()
    # Means over Russia and China (Mali is thin): multi 0.425, sov 0.35; NATO, never used, left out.
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Multipolar order", "Sovereignty"]


def test_profile_multiples_right_to_left():
    fig = _profile(rtl=True)
    russia, china = fig.axes[0], fig.axes[1]
    assert russia.get_position().x0 > china.get_position().x0
    assert russia.xaxis_inverted() and russia.yaxis.get_ticks_position() == "right"


def _evidence(**kwargs):
    data = pd.DataFrame(
        {
            "year": [2019, 2019, 2019, 2021, 2021],
            "kind": ["blog", "official", "news", "news", "official"],
            "claims": [2, 3, 4, 5, 1],
        }
    )
    options = {
        "x": "year",
        "kind": "kind",
        "count": "claims",
        "kind_order": ["official", "news", "blog"],
        "kind_labels": {"official": "Official", "news": "News", "blog": "Blog"},
        "xlabel": "Edition",
        "ylabel": "Claims",
        "total_label": "{n} claims",
    }
    options.update(kwargs)
    return charts.evidence_chart(data, **options)


def test_evidence_chart_stacks_in_kind_order_and_prints_totals():
    ax = _evidence()
    bars = [p for p in ax.patches if round(p.get_x() + p.get_width() / 2) == 2019]
    assert [p.get_gid() for p in sorted(bars, key=lambda p: p.get_y())] == ["official", "news", "blog"]
    assert [p.get_height() for p in sorted(bars, key=lambda p: p.get_y())] == [3, 4, 2]
    assert [p.get_gid() for p in bars if p.get_hatch()] == ["blog"]
    assert [t.get_text() for t in ax.texts] == ["9 claims", "6 claims"]
    assert [int(t) for t in ax.get_xticks()] == [2019, 2021]  # 2020 is not invented
    assert _legend_in_reading_order(ax.figure) == ["Official", "News", "Blog"]
    shades = [charts._relative_luminance(p.get_facecolor()) for p in sorted(bars, key=lambda p: p.get_y())]
    assert shades == sorted(shades)  # dark (strong) to light (weak)


def test_evidence_chart_right_to_left_legend_and_axis():
    ax = _evidence(rtl=True)
    assert ax.yaxis.get_label_position() == "right"
    assert _legend_in_reading_order(ax.figure, rtl=True) == ["Official", "News", "Blog"]
    texts = {t.get_text(): t.get_window_extent().x0 for t in ax.figure.legends[0].get_texts()}
    assert texts["Official"] > texts["Blog"]


def test_evidence_chart_refuses_kinds_it_would_leave_out():
    with pytest.raises(ValueError, match="news"):
        _evidence(kind_order=["official", "blog"], kind_labels={})


def test_cross_edition_charts_text_sizes_and_png(tmp_path):
    before = dict(plt.rcParams)
    figures = {
        "share": _share_panels(interval_label="Share with 95% interval"),
        "share_rtl": _share_panels(rtl=True),
        "stance": _stance().figure,
        "profile": _profile(),
        "profile_rtl": _profile(rtl=True),
        "evidence": _evidence().figure,
    }
    for name, fig in figures.items():
        assert _texts_at_least(fig, 9) == [], name
        assert fig.get_figwidth() <= charts.MAX_FIGURE_WIDTH + 1e-9, name
        fig.savefig(tmp_path / f"{name}.png")
        assert (tmp_path / f"{name}.png").stat().st_size > 0
    titles = [ax.title.get_fontsize() for ax in figures["share"].axes + figures["profile"].axes]
    assert min(titles) >= 10
    assert dict(plt.rcParams) == before  # no global style changed


def test_percent_axis_formats_shares():
    _fig, ax = plt.subplots()
    charts.percent_axis(ax, "y")
    assert ax.yaxis.get_major_formatter()(0.25) == "25%"
    assert ax.yaxis.get_major_formatter()(np.float64(-0.5)) == "-50%"
