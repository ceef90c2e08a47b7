"""Charts (presentation layer): seaborn/matplotlib drawings of tidy DataFrames.

Each function takes a DataFrame and keyword-only column names, draws on ``ax`` (a new figure if
omitted) and returns the Axes. None of them calls ``show``/``savefig`` or changes global style: call
:func:`set_theme` once. Labels arrive already translated, so the same functions serve every language.

Importing this module changes no global state: it does not pick a matplotlib backend (the build sets
``MPLBACKEND=Agg`` in its own kernels only), so in a notebook the charts display inline as usual.
Colours are parameters (``palette``, ``cmap``) whose defaults live in :data:`PALETTE` and
:data:`HEATMAP_CMAP`.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import MaxNLocator

#: Default colours of :func:`participation_chart`, by Western-participation value.
PALETTE = {
    "participated": "#2b6cb0",
    "partial": "#7aa6d6",
    "boycotted": "#c05621",
    "not_invited": "#9b2c2c",
    "not_applicable": "#a0aec0",
}
#: Marker shape of each Western-participation value in :func:`participation_chart` (the colour repeats it).
MARKERS = {"participated": "o", "partial": "D", "boycotted": "X", "not_invited": "s", "not_applicable": "^"}
#: Default colour map of :func:`heatmap`.
HEATMAP_CMAP = "Blues"
FONT = "DejaVu Sans"
#: Tick labels longer than this wrap onto further lines (at most ``LABEL_LINES``, then an ellipsis), so a long
#: name cannot squeeze the plot area to nothing.
LABEL_WIDTH = 28
LABEL_LINES = 3
MISSING_GLYPH = "\ufffd"


@cache
def _font_charmap() -> frozenset[int]:
    from matplotlib import font_manager, ft2font

    path = font_manager.findfont(font_manager.FontProperties(family=FONT))
    return frozenset(ft2font.FT2Font(path).get_charmap())


def drawable(label: object) -> str:
    """``label`` as text the chart font can draw: characters it lacks become U+FFFD (format characters are dropped).

    Without this, matplotlib warns about every missing glyph and draws an empty box.

    Parameters
    ----------
    label : object
        Any value; it is drawn as ``str(label)``.

    Returns
    -------
    str

    Examples
    --------
    >>> from mcis_report import charts
    >>> charts.drawable("Putin")
    'Putin'
    >>> charts.drawable("a" + chr(0x10FFFD)) == "a" + charts.MISSING_GLYPH  # a character the font lacks
    True
    """
    charmap = _font_charmap()
    out = []
    for char in str(label):
        if ord(char) in charmap or char in "\n\t":
            out.append(char)
        elif unicodedata.category(char) not in {"Cf", "Cc"}:
            out.append(MISSING_GLYPH)
    return "".join(out)


def tick_label(label: object) -> str:
    """A category label fit for a tick: drawable, wrapped at :data:`LABEL_WIDTH`, at most :data:`LABEL_LINES` lines.

    Parameters
    ----------
    label : object
        Any value; it is drawn as ``str(label)``.

    Returns
    -------
    str

    Examples
    --------
    >>> from mcis_report import charts
    >>> charts.tick_label("Cooperative and indivisible security").splitlines()
    ['Cooperative and indivisible', 'security']
    """
    lines = textwrap.wrap(drawable(label), LABEL_WIDTH, break_long_words=True) or [""]
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES]
        lines[-1] = lines[-1][: LABEL_WIDTH - 1] + "\u2026"
    return "\n".join(lines)


def plain_text(ax) -> None:
    """Draw every text of the figure that can carry data literally: ``$`` never starts mathtext.

    Set per text object (tick labels, axis labels, titles, legends, annotations) rather than through
    ``rcParams``, so other figures keep their own settings.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Any Axes of the figure; every text of its figure is changed.

    Returns
    -------
    None

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from mcis_report import charts
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_title("US$ 5 and US$ 6")
    >>> charts.plain_text(ax)
    >>> ax.title.get_parse_math()
    False
    >>> plt.close(fig)
    """
    from matplotlib.text import Text

    fig = ax.figure
    for axes in fig.axes:
        for axis in (axes.xaxis, axes.yaxis):
            for tick in axis.get_major_ticks(len(axis.get_majorticklocs())):
                tick.label1.set_parse_math(False)
                tick.label2.set_parse_math(False)
    for text in fig.findobj(Text):
        text.set_parse_math(False)


#: Default colours of :func:`bar_chart`: one colour without ``hue``, a seaborn palette name with it.
BAR_COLOUR = "#2b6cb0"
BAR_HUE_PALETTE = "Set2"
LINE_COLOUR = "#4a5568"


def set_theme() -> None:
    """Apply the report's style: seaborn's white-grid theme and deterministic SVG output.

    This is the only function of the module that changes global matplotlib state; call it once, when
    you want the report's look.

    Returns
    -------
    None

    Examples
    --------
    >>> from mcis_report import charts
    >>> charts.set_theme()
    """
    sns.set_theme(style="whitegrid", context="notebook", font="DejaVu Sans")
    matplotlib.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "svg.hashsalt": "mcis-report",  # stable element ids in SVG files
            "figure.autolayout": False,
        }
    )


def _axes(ax, size=(8, 4)):
    if ax is None:
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _category_axis_right(ax) -> None:
    """Right-to-left reading: the category (y) axis, its labels and title on the right."""
    ax.yaxis.tick_right()
    ax.yaxis.set_label_position("right")
    for label in ax.get_yticklabels():
        label.set_horizontalalignment("left")
    engine = ax.figure.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        # Shaped Arabic glyphs reach past the box matplotlib measures: keep the right-hand title off the edge.
        engine.set(w_pad=0.12)


def _legend_below(ax, rtl: bool) -> None:
    """Figure legend under the plot, in reading order: right to left, marker after the text, when ``rtl``."""
    handles, labels = ax.get_legend_handles_labels()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    if handles:
        if rtl:
            handles, labels = handles[::-1], labels[::-1]
        ax.figure.legend(
            handles,
            labels,
            loc="outside lower center",
            ncol=min(len(labels), 2),
            frameon=False,
            fontsize=10,
            markerfirst=not rtl,
        )


def participation_chart(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    low: str,
    high: str,
    hue: str,
    hue_labels: dict[str, str],
    xlabel: str,
    ylabel: str,
    rtl: bool = False,
    ax=None,
    palette: Mapping[str, str] | None = None,
):
    """Reported value per year with conflicting-report ranges, coloured by ``hue``.

    Rows with a missing ``y`` (years without a conference or figure) leave a gap in the line. With
    ``rtl`` the value axis moves to the right; years keep running left to right, as in Arabic news
    graphics.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per year, e.g. :func:`mcis_report.analysis.participation_series`.
    x, y : str
        Columns of the year and of the value used.
    low, high : str
        Columns of the lowest and highest value reported (drawn as a range).
    hue : str
        Column whose values pick the colour (in the report: Western participation).
    hue_labels : dict of str to str
        Legend label of each ``hue`` value (already translated).
    xlabel, ylabel : str
        Axis titles.
    rtl : bool, default False
        Mirror for right-to-left languages.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when omitted.
    palette : mapping of str to str, optional
        Colour of each ``hue`` value; default :data:`PALETTE`. Values it lacks are drawn grey.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from mcis_report import charts
    >>> data = pd.DataFrame({"year": [2022, 2023], "value": [700, 800], "low": [700, 760],
    ...                      "high": [700, 800], "west": ["boycotted", "not_invited"]})
    >>> ax = charts.participation_chart(data, x="year", y="value", low="low", high="high", hue="west",
    ...                                 hue_labels={}, xlabel="Year", ylabel="Delegates",
    ...                                 palette={"boycotted": "black", "not_invited": "red"})
    >>> [t.get_text() for t in ax.figure.legends[0].get_texts()]
    ['boycotted', 'not_invited']
    """
    palette = PALETTE if palette is None else palette
    ax = _axes(ax)
    frame = data.sort_values(x)
    ax.plot(frame[x], frame[y].astype("float"), color=LINE_COLOUR, linewidth=1, zorder=1)
    present = frame.dropna(subset=[y])
    for key, group in present.groupby(hue, sort=False):
        colour = palette.get(key, LINE_COLOUR)
        ax.vlines(group[x], group[low].astype(float), group[high].astype(float), color=colour, linewidth=3, alpha=0.5)
        ax.scatter(
            group[x],
            group[y].astype(float),
            color=colour,
            marker=MARKERS.get(key, "o"),  # shape as well as colour: readable without colour vision
            s=60,
            zorder=3,
            label=drawable(hue_labels.get(key, key)),
        )
    ax.set_xlabel(drawable(xlabel))
    ax.set_ylabel(drawable(ylabel))
    ax.set_xticks(list(frame[x]))
    ax.set_ylim(bottom=0)
    if rtl:
        _category_axis_right(ax)
    _legend_below(ax, rtl)
    plain_text(ax)
    return ax


# --- timeline ---

#: Colour of each Western-participation value in :func:`timeline_chart` (Okabe–Ito, colour-blind safe).
TIMELINE_PALETTE = {
    "participated": "#0072B2",
    "partial": "#56B4E9",
    "boycotted": "#E69F00",
    "not_invited": "#CC79A7",
    "not_applicable": "#999999",
}
#: Marker shape of each Western-participation value in :func:`timeline_chart`: shape repeats the colour.
TIMELINE_MARKERS = {"participated": "o", "partial": "D", "boycotted": "s", "not_invited": "X", "not_applicable": "."}
#: Colours of the figures, range bars, shaded years and event lines of :func:`timeline_chart`.
TIMELINE_INK = "#1a202c"
TIMELINE_RANGE = "#718096"
TIMELINE_SHADE = "#e2e8f0"
TIMELINE_EVENT = "#4a5568"
#: Event labels longer than this wrap onto further lines.
EVENT_LABEL_WIDTH = 16


def _row_legend(fig, groups: list[list[tuple]], rtl: bool) -> None:
    """Figure legend under the plot whose entries read along rows, each group starting a new row.

    Matplotlib fills a legend column by column; the entries are laid out here so that a reader meets
    them in order along each row (from the right when ``rtl``).
    """
    from matplotlib.lines import Line2D

    groups = [g for g in groups if g]
    if not groups:
        return
    ncol = max(1, min(4, max(len(g) for g in groups)))
    rows: list[list[tuple]] = []
    for group in groups:
        for start in range(0, len(group), ncol):
            row = group[start : start + ncol]
            row = row + [(Line2D([], [], linestyle="none"), "")] * (ncol - len(row))
            rows.append(row[::-1] if rtl else row)
    ordered = [rows[r][c] for c in range(ncol) for r in range(len(rows))]
    fig.legend(
        [h for h, _ in ordered],
        [t for _, t in ordered],
        loc="outside lower center",
        ncol=ncol,
        frameon=False,
        fontsize=10,
        markerfirst=not rtl,
    )


def timeline_chart(
    data: pd.DataFrame,
    *,
    x: str,
    panel: str,
    value: str,
    low: str,
    high: str,
    qualifier: str,
    timing: str,
    panel_labels: Mapping[str, str],
    marker_labels: Mapping[str, str],
    events: Sequence[tuple[float, str]],
    hue: str,
    hue_labels: Mapping[str, str],
    xlabel: str,
    rtl: bool = False,
    palette: Mapping[str, str] | None = None,
    status: str | None = None,
    held: str = "held",
    hue_title: str = "",
):
    """Annotated timeline: one small panel per metric, stacked on a shared year axis, with Western participation.

    The top strip shows ``hue`` (in the report: Western participation) by marker shape and colour, its
    legend entries in the order of ``hue_labels``. Each panel below draws one metric from 0: a filled
    circle is a reported figure, an open upward triangle a lower bound (qualifier ``more_than``), a
    hollow circle a figure announced before the event (timing ``pre_event``; around the triangle when
    both apply), and a grey bar the range of conflicting reports. Years whose ``status`` is not ``held``
    are shaded across all panels; a held year without a figure says so in the panel. Vertical lines mark
    ``events``. With ``rtl`` the value axes, panel titles and event labels move to the right and the
    legend reads from the right; years keep running left to right.

    Parameters
    ----------
    data : pandas.DataFrame
        Long table: one row per year and panel, e.g. :func:`mcis_report.analysis.participation_by_year`
        for several metrics, concatenated with the metric in ``panel``.
    x : str
        Column of the year.
    panel : str
        Column naming the panel (metric) of each row; panels follow ``panel_labels``, then first appearance.
    value, low, high : str
        Columns of the value used and of the lowest and highest value reported (empty: no figure).
    qualifier, timing : str
        Columns of the value's qualifier (``more_than`` is a lower bound) and timing (``pre_event``).
    panel_labels : mapping of str to str
        Title of each panel (already translated).
    marker_labels : mapping of str to str
        Legend and panel words (already translated), by key: ``reported``, ``more_than``, ``pre_event``,
        ``range``, ``not_held``, ``no_figure``. An entry left out is not explained.
    events : sequence of (float, str)
        ``(year, short label)`` of each vertical event line; labels of the same year are stacked.
    hue : str
        Column of the Western-participation value.
    hue_labels : mapping of str to str
        Legend label of each ``hue`` value, in legend order (chronological in the report).
    xlabel : str
        Title of the year axis.
    rtl : bool, default False
        Mirror for right-to-left languages.
    palette : mapping of str to str, optional
        Colour of each ``hue`` value; default :data:`TIMELINE_PALETTE`.
    status : str, optional
        Column of the edition's status; rows whose status is not ``held`` are shaded as years without a
        conference. Without it, every year counts as held.
    held : str, default "held"
        The status of an edition that took place.
    hue_title : str, default ""
        Title of the top strip.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> from mcis_report import charts
    >>> data = pd.DataFrame({"year": [2019, 2020, 2021], "metric": "countries", "value": [111, None, 100],
    ...                      "low": [100, None, 100], "high": [111, None, 107],
    ...                      "qualifier": ["exact", None, "more_than"], "timing": ["at_event", None, "pre_event"],
    ...                      "status": ["held", "not_held", "held"],
    ...                      "west": ["boycotted", "not_applicable", "boycotted"]})
    >>> fig = charts.timeline_chart(data, x="year", panel="metric", value="value", low="low", high="high",
    ...                             qualifier="qualifier", timing="timing", panel_labels={"countries": "Countries"},
    ...                             marker_labels={"more_than": "more than N"}, events=[(2020, "COVID-19")],
    ...                             hue="west", hue_labels={"boycotted": "stayed away"}, xlabel="Year",
    ...                             status="status")
    >>> [t.get_text() for t in fig.legends[0].get_texts()]
    ['stayed away', 'more than N']
    >>> len(fig.axes)  # the Western strip and one panel
    2
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.transforms import Transform, blended_transform_factory, offset_copy

    palette = TIMELINE_PALETTE if palette is None else palette
    frame = data.sort_values(x)
    years = sorted({int(y) for y in frame[x]})
    present = list(dict.fromkeys(frame[panel]))
    panels = [p for p in panel_labels if p in present] + [p for p in present if p not in panel_labels]
    by_year = frame.drop_duplicates(x).set_index(x)
    not_held = [] if status is None else [int(y) for y, s in by_year[status].items() if s != held]

    joined: dict[float, list[str]] = {}
    for y, label in events:
        joined.setdefault(y, []).append(drawable(label))
    stacked = {y: textwrap.wrap("; ".join(texts), EVENT_LABEL_WIDTH) or [""] for y, texts in joined.items()}
    event_lines = max((len(lines) for lines in stacked.values()), default=0)
    width = max(8.0, 0.75 * len(years) + 3.0)
    heights = [0.55] + [1.5] * len(panels)
    fig, axes = plt.subplots(
        len(heights),
        1,
        sharex=True,
        figsize=(width, sum(heights) + 1.6 + 0.18 * event_lines),
        height_ratios=heights,
        layout="constrained",
    )
    axes = np.atleast_1d(axes)
    strip, boards = axes[0], list(axes[1:])
    side = "right" if rtl else "left"

    for ax in axes:
        for y in not_held:
            ax.axvspan(y - 0.5, y + 0.5, color=TIMELINE_SHADE, zorder=0, linewidth=0)
        for y, _ in events:
            ax.axvline(y, color=TIMELINE_EVENT, linestyle="--", linewidth=1, zorder=1)
        ax.grid(False, axis="x")
        if rtl:
            ax.yaxis.tick_right()
            ax.yaxis.set_label_position("right")

    # Western participation: one marker per held edition, shape and colour.
    handles: list = []
    labels: list[str] = []
    strip_rows = by_year[[hue]].reset_index()
    if status is not None:
        strip_rows = strip_rows[~strip_rows[x].isin(not_held)]
    for key in list(hue_labels) + [k for k in dict.fromkeys(strip_rows[hue]) if k not in hue_labels]:
        rows = strip_rows[strip_rows[hue] == key]
        if rows.empty:
            continue
        style: dict[str, Any] = {
            "color": palette.get(key, TIMELINE_RANGE),
            "marker": TIMELINE_MARKERS.get(key, "o"),
            "markersize": 10,
            "linestyle": "none",
            "markeredgecolor": "white",
        }
        strip.plot(list(rows[x]), [0.5] * len(rows), zorder=3, **style)
        handles.append(Line2D([], [], **style))
        labels.append(drawable(hue_labels.get(key, key)))
    strip.set_ylim(0, 1)
    strip.set_yticks([])
    strip.grid(False)
    for spine in strip.spines.values():
        spine.set_visible(False)
    if hue_title:
        strip.set_title(drawable(hue_title), loc=side, fontsize="medium")

    exact: dict[str, Any] = {"marker": "o", "color": TIMELINE_INK, "markersize": 7, "linestyle": "none"}
    bound: dict[str, Any] = {
        "marker": "^",
        "markerfacecolor": "white",
        "markeredgecolor": TIMELINE_INK,
        "markeredgewidth": 1.5,
    }
    bound |= {"markersize": 9, "linestyle": "none"}
    before: dict[str, Any] = {
        "marker": "o",
        "markerfacecolor": "none",
        "markeredgecolor": TIMELINE_INK,
        "markeredgewidth": 1.2,
    }
    before |= {"markersize": 13, "linestyle": "none"}
    used: set[str] = set()
    for ax, key in zip(boards, panels, strict=True):
        rows = frame[frame[panel] == key].set_index(x).reindex(years)
        values, lows, highs = (pd.to_numeric(rows[c], errors="coerce").astype(float) for c in (value, low, high))
        # The line joins consecutive editions only: a gap year or a missing figure breaks it.
        ax.plot(years, values.to_numpy(), color=TIMELINE_RANGE, linewidth=1, zorder=2)
        spread = (lows < highs) & values.notna()
        if spread.any():
            ax.vlines(
                list(lows.index[spread]),
                lows[spread],
                highs[spread],
                color=TIMELINE_RANGE,
                linewidth=4,
                alpha=0.5,
                zorder=2,
            )
            used.add("range")
        lower = (rows[qualifier] == "more_than") & values.notna()
        early = (rows[timing] == "pre_event") & values.notna()
        tally = values.notna() & ~lower & ~early
        if tally.any():
            ax.plot(list(values.index[tally]), values[tally], zorder=4, **exact)
            used.add("reported")
        if lower.any():
            ax.plot(list(values.index[lower]), values[lower], zorder=4, **bound)
            used.add("more_than")
        if early.any():
            ax.plot(list(values.index[early]), values[early], zorder=4, **before)
            used.add("pre_event")
        blank = [y for y in years if y not in not_held and np.isnan(values[y])]
        if blank and marker_labels.get("no_figure"):
            on_axis = blended_transform_factory(ax.transData, ax.transAxes)
            for y in blank:
                ax.text(
                    y,
                    0.05,
                    drawable(marker_labels["no_figure"]),
                    transform=on_axis,
                    rotation=90,
                    ha="center",
                    va="bottom",
                    fontsize=9,
                    color=TIMELINE_EVENT,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
                )
        top = np.nanmax(np.concatenate([values.to_numpy(), highs.to_numpy(), [0.0]]))
        ax.set_ylim(0, max(1.0, top) * 1.25)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
        ax.set_title(drawable(panel_labels.get(key, key)), loc=side, fontsize="medium")
        ax.tick_params(axis="y", labelsize=10)

    # Event labels above the strip, stacked per year.
    on_top: Transform = blended_transform_factory(strip.transData, strip.transAxes)
    if hue_title:  # above the strip's title, which stands on the same side as the labels
        on_top = offset_copy(on_top, fig=fig, y=20, units="points")
    for y, lines in stacked.items():
        strip.text(
            y,
            1.05,
            "\n".join(lines),
            transform=on_top,
            ha="right" if rtl else "left",
            va="bottom",
            fontsize=9,
            color=TIMELINE_EVENT,
            linespacing=1.1,
        )

    axes[-1].set_xticks(years)
    axes[-1].set_xlim(years[0] - 0.6, years[-1] + 0.6)
    axes[-1].set_xlabel(drawable(xlabel))
    axes[-1].tick_params(axis="x", labelsize=10, labelrotation=45 if len(years) > 12 else 0)

    keys: list = []
    explained: list[str] = []
    extra = [
        ("reported", Line2D([], [], **exact)),
        ("more_than", Line2D([], [], **bound)),
        ("pre_event", Line2D([], [], **(before | {"markersize": 11}))),
        ("range", Line2D([], [], color=TIMELINE_RANGE, linewidth=4, alpha=0.5)),
    ]
    for key, handle in extra:
        if key in used and marker_labels.get(key):
            keys.append(handle)
            explained.append(drawable(marker_labels[key]))
    if not_held and marker_labels.get("not_held"):
        keys.append(Patch(color=TIMELINE_SHADE))
        explained.append(drawable(marker_labels["not_held"]))
    _row_legend(fig, [list(zip(handles, labels, strict=True)), list(zip(keys, explained, strict=True))], rtl)
    plain_text(strip)
    if fig.legends:  # a few years make a narrow figure: widen it to the legend's measured width
        needed = fig.legends[0].get_window_extent().width / fig.dpi + 0.4
        if needed > fig.get_figwidth():
            fig.set_figwidth(needed)
    return fig


def bar_chart(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    hue: str | None = None,
    hue_order: list[str] | None = None,
    xlabel: str,
    ylabel: str,
    rtl: bool = False,
    ax=None,
    palette: str | list | Mapping[str, str] | None = None,
    color: str | None = None,
):
    """Horizontal bars of ``x`` (counts) per ``y`` category, optionally split by ``hue``.

    With ``rtl`` the chart is mirrored: categories on the right, bars growing to the left.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy table: one row per bar.
    x : str
        Column of the counts (bar length).
    y : str
        Column of the categories.
    hue : str, optional
        Column splitting each category into coloured bars (with a legend).
    hue_order : list of str, optional
        Order of the ``hue`` values.
    xlabel, ylabel : str
        Axis titles.
    rtl : bool, default False
        Mirror for right-to-left languages.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when omitted.
    palette : str, list or mapping, optional
        Colours of the ``hue`` values (any seaborn palette); default :data:`BAR_HUE_PALETTE`.
    color : str, optional
        Colour of the bars without ``hue``; default :data:`BAR_COLOUR`.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from mcis_report import charts
    >>> data = pd.DataFrame({"frame": ["Sovereignty", "Anti-hegemony"], "claims": [4, 2]})
    >>> ax = charts.bar_chart(data, x="claims", y="frame", xlabel="Claims", ylabel="Frame", color="grey")
    >>> sorted(float(p.get_width()) for p in ax.patches)
    [2.0, 4.0]
    """
    data = data.assign(**{y: data[y].map(tick_label)})
    if hue:
        data = data.assign(**{hue: data[hue].map(drawable)})
        hue_order = None if hue_order is None else [drawable(h) for h in hue_order]
    lines = max((str(v).count("\n") + 1 for v in data[y]), default=1)
    longest = max((len(part) for v in data[y] for part in str(v).split("\n")), default=0)
    ax = _axes(ax, size=(max(8.0, 5 + 0.085 * longest), max(2.5, 0.45 * data[y].nunique() * max(1, 0.6 * lines) + 1.5)))
    if hue:
        colours = {"palette": BAR_HUE_PALETTE if palette is None else palette, "color": None}
    else:
        colours = {"palette": None, "color": BAR_COLOUR if color is None else color}
    sns.barplot(data=data, x=x, y=y, hue=hue, hue_order=hue_order, ax=ax, orient="h", legend=bool(hue), **colours)
    ax.set_xlabel(drawable(xlabel))
    ax.set_ylabel(drawable(ylabel))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: whole-number ticks
    if rtl:
        ax.invert_xaxis()
        _category_axis_right(ax)
    if hue:
        _legend_below(ax, rtl)
    plain_text(ax)
    return ax


def _relative_luminance(rgb: tuple[float, ...]) -> float:
    """WCAG relative luminance of an sRGB colour (components 0-1)."""
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb[:3]]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _readable_annotations(ax: Axes) -> None:
    """Write each cell's number in black or white, whichever contrasts more with the cell (WCAG ratio ≥ 4.5).

    seaborn switches at a fixed luminance, which leaves white numbers on mid-blue cells at about 2.5:1.
    """
    if not ax.collections:
        return
    colours = np.asarray(ax.collections[0].get_facecolor())  # one RGBA row per cell
    columns = round(ax.get_xlim()[1] - ax.get_xlim()[0])
    for text in ax.texts:
        x, y = text.get_position()  # the cell's centre: (column + 0.5, row + 0.5)
        index = int(y) * columns + int(x)
        if not 0 <= index < len(colours):
            continue
        luminance = _relative_luminance(tuple(float(c) for c in colours[index]))
        on_white = 1.05 / (luminance + 0.05)
        on_black = (luminance + 0.05) / 0.05
        text.set_color("white" if on_white >= on_black else "black")


def heatmap(
    matrix: pd.DataFrame,
    *,
    xlabel: str,
    ylabel: str,
    fmt: str = "d",
    rtl: bool = False,
    ax=None,
    cmap: str | None = None,
    blank_zeros: bool | None = None,
    row_breaks: Sequence[int] = (),
):
    """Annotated heat map of a (rows × columns) matrix of counts or shares.

    With ``rtl`` the columns run from right to left and the row labels stand on the right. Zero cells
    are left white and unlabelled (by default for counts), so the eye goes to what was said. The colour
    scale starts at 0 (at the lowest value when some are negative) and never collapses: a matrix whose
    values are all equal is drawn in the scale's darkest colour, not near-white.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Numbers to show; its index labels the rows and its columns the columns (for example
        :func:`mcis_report.analysis.frame_counts_by_speaker`).
    xlabel, ylabel : str
        Axis titles.
    fmt : str, default "d"
        Format of the annotations (``".0%"`` for shares).
    rtl : bool, default False
        Mirror for right-to-left languages.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure sized to the matrix when omitted.
    cmap : str, optional
        Matplotlib colour map; default :data:`HEATMAP_CMAP`.
    blank_zeros : bool, optional
        Leave zero cells white and without a number; default on for counts (``fmt="d"``), off otherwise.
    row_breaks : sequence of int, default ()
        Draw a separator line above each of these row positions (0 is the first row), e.g. between
        groups of rows.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from mcis_report import charts
    >>> matrix = pd.DataFrame([[1, 0], [2, 3]], index=["Putin", "Li"], columns=["Multipolar", "Taiwan"])
    >>> ax = charts.heatmap(matrix, xlabel="Frame", ylabel="Speaker", cmap="Greens")
    >>> sorted(t.get_text() for t in ax.texts)
    ['1', '2', '3']
    """
    shown = matrix.iloc[:, ::-1] if rtl else matrix
    shown = shown.rename(index=tick_label, columns=tick_label)
    # The vertical axis title wraps to the height of the rows, so that a short matrix does not clip it.
    rows_inches = 0.45 * max(len(shown.index), 1)
    ylabel = "\n".join(textwrap.wrap(drawable(ylabel), max(12, int(rows_inches / 0.1)))) or ""
    ax = _axes(ax, size=_heatmap_size(shown, ylabel))
    if blank_zeros is None:
        blank_zeros = fmt == "d"
    values = shown.to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    low = min(0.0, float(finite.min())) if finite.size else 0.0
    high = float(finite.max()) if finite.size else 1.0
    if high <= low:  # all values equal (or all zero): keep a scale so that they are not drawn as the lowest colour
        high = low + 1.0
    # Tick labels are set here, not by seaborn: seaborn draws the figure while placing its own labels,
    # before they could be marked as plain text.
    sns.heatmap(
        shown,
        mask=(values == 0) if blank_zeros else None,
        vmin=low,
        vmax=high,
        annot=True,
        fmt=fmt,
        cmap=HEATMAP_CMAP if cmap is None else cmap,
        cbar=False,
        linewidths=0.5,
        linecolor="#e2e8f0",
        ax=ax,
        annot_kws={"fontsize": 10},  # at least 9 pt whatever the theme
        xticklabels=False,
        yticklabels=False,
    )
    ax.set_facecolor("white")  # masked (zero) cells show the axes background
    ax.grid(False)
    for row in row_breaks:
        if 0 < row < len(shown.index):
            ax.axhline(row, color=LINE_COLOUR, linewidth=1.5)
    _readable_annotations(ax)
    ax.set_xticks(
        [i + 0.5 for i in range(len(shown.columns))], labels=[str(c) for c in shown.columns], parse_math=False
    )
    ax.set_yticks(
        [i + 0.5 for i in range(len(shown.index))],
        labels=[str(i) for i in shown.index],
        parse_math=False,
        rotation=0,
        verticalalignment="center",
    )
    ax.set_xlabel(drawable(xlabel))
    ax.set_ylabel(drawable(ylabel))
    ax.tick_params(axis="x", labelrotation=-45 if rtl else 45)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("left" if rtl else "right")
        label.set_rotation_mode("anchor")
    ax.tick_params(length=0)  # the cells mark the rows and columns
    if rtl:
        _category_axis_right(ax)
        ax.tick_params(axis="y", labelrotation=0)
    plain_text(ax)
    return ax


def _heatmap_size(shown: pd.DataFrame, ylabel: str = "") -> tuple[float, float]:
    """Figure size in inches from the matrix and its (wrapped) labels: cells of a fixed size plus room for the labels.

    Cells keep their size whatever the number of rows or columns (1 to 20 rows are neither squashed into a
    strip nor stretched); the height also leaves room for the (wrapped) vertical axis title.
    """
    char, line = 0.085, 0.2  # inches per character and per text line at the report's font size

    def extent(labels) -> tuple[int, int]:
        lines = [str(label).split("\n") for label in labels] or [[""]]
        return max(len(part) for parts in lines for part in parts), max(len(parts) for parts in lines)

    x_chars, x_lines = extent(shown.columns)
    y_chars, y_lines = extent(shown.index)
    rows = max(0.45, 0.18 * y_lines + 0.12) * max(len(shown.index), 1)  # rows share one height
    title = max((len(part) for part in ylabel.split("\n")), default=0) * 0.1
    # Column labels stand at 45°: their length counts for about 0.71 in both directions.
    height = max(rows, title) + 0.9 + 0.71 * x_chars * char + x_lines * line
    width = 0.7 * max(len(shown.columns), 1) + 1.2 + y_chars * char + 0.5 * x_chars * char
    return max(4.0, width), max(2.0, height)
