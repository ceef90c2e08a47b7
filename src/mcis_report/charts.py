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


# --- charts across editions ---

#: Widest figure, in inches, that the report page shows at its natural size (content width at 100 dpi):
#: anything wider is scaled down and its text falls below 9 points.
MAX_FIGURE_WIDTH = 8.4
#: Point sizes of the cross-edition charts (never below 9 points at 100 % zoom).
TEXT_PT = 10
SMALL_PT = 9
TITLE_PT = 11
#: Okabe–Ito blue: the one colour of :func:`share_panels` and :func:`profile_multiples`.
TREND_COLOUR = "#0072B2"
#: Shade of an edition or group with too few claims, and the ink of its n line.
THIN_SHADE = "#e2e8f0"
THIN_INK = "#4a5568"
#: Default colours of :func:`stance_bars` (Okabe–Ito vermillion and blue, neutral grey).
STANCE_PALETTE = {"critical": "#D55E00", "neutral": "#bdbdbd", "supportive": "#0072B2"}
#: Default sequential colour map of :func:`evidence_chart`, dark (strongest kind) to light (weakest).
EVIDENCE_CMAP = "viridis"
#: Kinds of source drawn hatched in :func:`evidence_chart` as well as light.
EVIDENCE_HATCHED = ("blog",)
_CHAR_IN = 0.62 * SMALL_PT / 72  # mean width of a character at 9 points, in inches
_LINE_IN = 1.2 * SMALL_PT / 72  # height of a line of 9-point text, in inches


def percent_axis(ax, axis: str = "y", absolute: bool = False) -> None:
    """Show the ticks of a 0–1 share axis as whole percents (``0.25`` -> ``25%``).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes whose axis to format.
    axis : {"y", "x"}, default "y"
        Which axis.
    absolute : bool, default False
        Show negative positions without their sign (the left half of a diverging bar chart).

    Returns
    -------
    None

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from mcis_report import charts
    >>> fig, ax = plt.subplots()
    >>> charts.percent_axis(ax, "x", absolute=True)
    >>> ax.xaxis.get_major_formatter()(-0.25)
    '25%'
    >>> plt.close(fig)
    """
    from matplotlib.ticker import FuncFormatter

    def fmt(value: float, _pos: object = None) -> str:
        value = abs(value) if absolute else value
        return f"{round(value * 100) + 0:d}%"

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(fmt))


@cache
def _measuring_renderer():
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(10, 10, 72)  # at 72 dpi a pixel is a point


def _text_inches(text: str, size: float = SMALL_PT) -> float:
    """Width in inches of the widest line of ``text`` in the chart font at ``size`` points (shaped, as drawn)."""
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(family=FONT, size=size)
    renderer = _measuring_renderer()
    lines = str(text).split("\n") or [""]
    return max(renderer.get_text_width_height_descent(line, prop, ismath=False)[0] for line in lines) / 72


def _fit_inches(label: object, inches: float, size: float = SMALL_PT) -> str:
    """``label`` drawable, on one line if it is at most ``inches`` wide, else wrapped to about that width."""
    text = drawable(label)
    width = _text_inches(text, size)
    if width <= inches:
        return text
    return _wrapped(text, max(8, int(len(text) * inches / width)))


def _n_text(n_label: str, n: object) -> str:
    return drawable(n_label.format(n=_count(n)))


def _count(value: object) -> int:
    """A count from a possibly missing cell: missing counts as 0 (no claims)."""
    return 0 if pd.isna(value) else int(value)  # type: ignore[call-overload]


def _thin_style(text) -> None:
    # Grey, not italic: the oblique face of the chart font has no Arabic letters.
    text.set_color(THIN_INK)


def _wrapped(label: object, width: int) -> str:
    """Like :func:`tick_label`, wrapped at ``width`` characters."""
    lines = textwrap.wrap(drawable(label), width, break_long_words=True) or [""]
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES]
        lines[-1] = lines[-1][: width - 1] + "\u2026"
    return "\n".join(lines)


def _panel_grid(count: int, ncols: int, size: tuple[float, float], rtl: bool, sharex: bool = True):
    """A figure of ``count`` panels in ``ncols`` columns; the axes in panel order (right to left if ``rtl``)."""
    ncols = max(1, min(ncols, count))
    nrows = max(1, -(-count // ncols))
    fig = plt.figure(figsize=size, layout="constrained")
    grid = fig.add_gridspec(nrows, ncols)
    order: list[Axes] = []  # created in panel order, so that ``fig.axes`` lists the panels in reading order
    for index in range(count):
        row, col = divmod(index, ncols)
        first = order[0] if order else None
        order.append(
            fig.add_subplot(grid[row, ncols - 1 - col if rtl else col], sharex=first if sharex else None, sharey=first)
        )
    return fig, order, ncols


def _outer(index: int, ncols: int) -> bool:
    """Whether panel ``index`` opens its row (it carries the row's value or category axis)."""
    return index % ncols == 0


def _value_axis_side(ax, outer: bool, rtl: bool) -> None:
    """Value labels only on the outer panel of each row: on the left, or on the right when ``rtl``."""
    if rtl:
        ax.yaxis.tick_right()
        ax.yaxis.set_label_position("right")
    ax.tick_params(axis="y", labelleft=outer and not rtl, labelright=outer and rtl, labelsize=SMALL_PT, length=0)


def _legend_rows(fig, handles: list, labels: list[str], rtl: bool, width: float) -> None:
    """Figure legend below the panels, read row by row in the reading direction (right to left when ``rtl``).

    matplotlib fills a legend column by column; the entries are reordered so that the rows read in order.
    """
    from matplotlib.patches import Patch

    if not handles:
        return
    items = [_text_inches(label) + 0.75 for label in labels]  # text plus handle and padding

    def needed(ncol: int) -> float:
        return sum(max(items[col::ncol]) for col in range(ncol))

    ncol = next((c for c in range(len(labels), 0, -1) if needed(c) <= width - 0.3), 1)
    nrows = -(-len(labels) // ncol)
    cells: list = list(zip(handles, labels, strict=True))
    if rtl:  # pad to full rows so that a short last row starts on the right
        cells += [(Patch(visible=False), "")] * (nrows * ncol - len(cells))
        cells = [cell for row in range(nrows) for cell in cells[row * ncol : (row + 1) * ncol][::-1]]
    by_column = [
        cells[row * ncol + col] for col in range(ncol) for row in range(nrows) if row * ncol + col < len(cells)
    ]
    fig.legend(
        [h for h, _ in by_column],
        [lab for _, lab in by_column],
        loc="outside lower center",
        ncol=ncol,
        frameon=False,
        fontsize=SMALL_PT,
        markerfirst=not rtl,
    )


def share_panels(
    data: pd.DataFrame,
    *,
    facet: str,
    x: str,
    share: str,
    low: str,
    high: str,
    n: str,
    facet_labels: Mapping[str, str],
    xlabel: str,
    ylabel: str,
    n_label: str = "n = {n}",
    min_n: int = 10,
    ncols: int = 4,
    rtl: bool = False,
    colour: str | None = None,
    thin_label: str | None = None,
    interval_label: str | None = None,
):
    """Small multiples of a share per edition with its interval, one panel per ``facet`` value.

    Each panel shows, per edition year, a point at the share and a vertical bar from ``low`` to
    ``high`` (e.g. a Wilson interval) on a shared 0–100 % axis. Every year's tick carries the number of
    claims on a second line. A year with fewer than ``min_n`` claims gets no point and no bar (a share
    of one claim is not a finding): its column is shaded and its tick written in grey italics. Years
    absent from ``data`` leave a gap. The number of columns adapts to the page width; with many years
    the ticks stand upright.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per (facet, year).
    facet, x : str
        Columns of the panel id and of the edition year.
    share, low, high : str
        Columns of the share (0–1) and of its interval.
    n : str
        Column of the number of claims coded in the year (the same in every panel).
    facet_labels : mapping of str to str
        Title of each panel by facet id; its order is the panel order.
    xlabel, ylabel : str
        Axis titles.
    n_label : str, default "n = {n}"
        Second line of each year's tick.
    min_n : int, default 10
        Fewest claims for which a share is drawn.
    ncols : int, default 4
        Most panels per row.
    rtl : bool, default False
        Panels from right to left in each row and the value axis on the right; years still run left to
        right.
    colour : str, optional
        Colour of points and bars; default :data:`TREND_COLOUR`.
    thin_label : str, optional
        Note under the panels explaining the shaded columns (shown only when a year is shaded).
    interval_label : str, optional
        Legend entry explaining the point and its bar.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> from mcis_report import charts
    >>> data = pd.DataFrame({"frame": ["a", "a", "b", "b"], "year": [2022, 2023] * 2, "share": [0.5, 0.4, 1.0, 0.2],
    ...                      "low": [0.1, 0.3, 0.2, 0.1], "high": [0.9, 0.5, 1.0, 0.3], "n": [2, 60, 2, 60]})
    >>> fig = charts.share_panels(data, facet="frame", x="year", share="share", low="low", high="high", n="n",
    ...                           facet_labels={"b": "Sovereignty", "a": "Multipolar order"},
    ...                           xlabel="Edition", ylabel="Share of claims", thin_label="Grey: fewer than 10 claims")
    >>> [ax.get_title() for ax in fig.axes]
    ['Sovereignty', 'Multipolar order']
    >>> [t.get_text().splitlines() for t in fig.axes[0].get_xticklabels()]
    [['2022', 'n = 2'], ['2023', 'n = 60']]
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    colour = TREND_COLOUR if colour is None else colour
    facets = list(facet_labels)
    present = data.dropna(subset=[x])
    years = sorted({int(v) for v in present[x]})
    counts = {int(k): _count(v) for k, v in present.groupby(x)[n].max().items()}
    thin = {year for year in years if counts[year] < min_n}
    ticks = [f"{year}\n{_n_text(n_label, counts[year])}" for year in years]
    span = (years[-1] - years[0] + 1) if years else 1

    # Columns: as many as fit the page with ticks written flat; else upright (narrower ticks); fewest rows wins.
    tick_width = max((_text_inches(tick) for tick in ticks), default=0.35)
    axis_in = 0.6  # value tick labels and axis title of the outer panel
    choices = []
    for upright, slot in ((False, tick_width + 0.12), (True, 2 * _LINE_IN)):
        panel = max(1.8, span * slot + 0.15)
        fits = [c for c in range(max(1, min(ncols, len(facets))), 0, -1) if axis_in + c * panel <= MAX_FIGURE_WIDTH]
        columns = fits[0] if fits else 1
        choices.append((-(-max(len(facets), 1) // columns), upright, columns, panel))
    rows, upright, columns, panel = min(choices)
    tick_in = tick_width + 0.1 if upright else 2 * _LINE_IN + 0.1
    titles = {key: _fit_inches(facet_labels[key], panel - 0.3, TITLE_PT) for key in facets}
    title_lines = max((title.count("\n") + 1 for title in titles.values()), default=1)
    row_in = 1.5 + title_lines * TITLE_PT * 1.3 / 72 + tick_in + 0.15
    width = min(MAX_FIGURE_WIDTH, axis_in + columns * panel)
    fig, panels, columns = _panel_grid(max(len(facets), 1), columns, (width, rows * row_in + 0.7), rtl)

    for index, (key, ax) in enumerate(zip(facets, panels, strict=False)):
        rows_of = present[present[facet] == key]
        for year in sorted(thin):
            ax.axvspan(year - 0.5, year + 0.5, color=THIN_SHADE, zorder=0, linewidth=0)
        shown = rows_of[~rows_of[x].astype(int).isin(thin)].dropna(subset=[share])
        if len(shown):
            ax.vlines(
                shown[x].astype(int),
                shown[low].astype(float),
                shown[high].astype(float),
                color=colour,
                linewidth=2,
                alpha=0.55,
                zorder=2,
                clip_on=False,  # an interval reaching 0 or 100 % is drawn whole
            )
            ax.scatter(shown[x].astype(int), shown[share].astype(float), color=colour, s=28, zorder=3, clip_on=False)
        ax.set_title(titles[key], fontsize=TITLE_PT)
        ax.set_ylim(0, 1)
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
        percent_axis(ax, "y")
        ax.set_xticks(years, labels=ticks, fontsize=SMALL_PT, rotation=90 if upright else 0)
        if years:
            ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
        ax.tick_params(axis="x", labelbottom=True, labelsize=SMALL_PT)
        for year, label in zip(years, ax.get_xticklabels(), strict=True):
            if year in thin:
                _thin_style(label)
        ax.grid(axis="x", visible=False)
        outer = _outer(index, columns)
        _value_axis_side(ax, outer, rtl)
        ax.set_ylabel(drawable(ylabel) if outer else "", fontsize=TEXT_PT)
        # The axis title under the lowest panel of each column (a figure-wide title would collide with the note).
        ax.set_xlabel(drawable(xlabel) if index + columns >= len(facets) else "", fontsize=TEXT_PT)

    handles: list = []
    labels: list[str] = []
    if interval_label:
        handles.append(Line2D([], [], color=colour, marker="o", linewidth=2))
        labels.append(drawable(interval_label))
    if thin_label and thin:
        handles.append(Patch(facecolor=THIN_SHADE, edgecolor=THIN_INK, linewidth=0.5))
        labels.append(drawable(thin_label))
    _legend_rows(fig, handles, labels, rtl, width)
    plain_text(panels[0])
    return fig


def stance_bars(
    data: pd.DataFrame,
    *,
    y: str,
    critical: str,
    supportive: str,
    neutral: str,
    n: str,
    labels: Mapping[str, str],
    xlabel: str,
    n_label: str = "n = {n}",
    min_n: int = 5,
    rtl: bool = False,
    palette: Mapping[str, str] | None = None,
    order: list | None = None,
    y_labels: Mapping[str, str] | None = None,
    thin_label: str | None = None,
    thin_last: bool = True,
    ax=None,
):
    """Diverging horizontal bars of stance per group: critical to the left of 0, supportive to the right.

    Shares are computed per row from the three counts; the neutral share is split evenly around 0 in
    grey, so each bar spans 100 %. Rows with fewer than ``min_n`` claims are drawn pale and hatched,
    their n still shown.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per group.
    y : str
        Column of the group (its label, or an id translated by ``y_labels``).
    critical, supportive, neutral : str
        Columns of the claim counts of each stance.
    n : str
        Column of the group's number of claims (shown under its label).
    labels : mapping of str to str
        Legend words of ``"critical"``, ``"supportive"`` and ``"neutral"``.
    xlabel : str
        Title of the share axis.
    n_label : str, default "n = {n}"
        Second line of each row's label.
    min_n : int, default 5
        Fewest claims for a row drawn in full colour.
    rtl : bool, default False
        Mirror: critical to the right of 0, group labels on the right, legend read from the right.
    palette : mapping of str to str, optional
        Colour of each stance; default :data:`STANCE_PALETTE`.
    order : list, optional
        Row order (values of ``y``, top first); default most critical first.
    thin_last : bool, default True
        Without ``order``, put the rows below ``min_n`` after the others (each part most critical
        first), so that a group of three claims cannot head the chart.
    y_labels : mapping of str to str, optional
        Label of each ``y`` value; values it lacks are shown as they are.
    thin_label : str, optional
        Legend entry explaining the hatched rows (shown only when a row is hatched).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure sized to the rows when omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from mcis_report import charts
    >>> data = pd.DataFrame({"group": ["Russia", "China"], "crit": [8, 1], "sup": [2, 6], "neu": [0, 3],
    ...                      "n": [10, 10]})
    >>> ax = charts.stance_bars(data, y="group", critical="crit", supportive="sup", neutral="neu", n="n",
    ...                         labels={"critical": "critical", "supportive": "supportive", "neutral": "neutral"},
    ...                         xlabel="Share of claims")
    >>> [t.get_text().splitlines() for t in ax.get_yticklabels()]
    [['Russia', 'n = 10'], ['China', 'n = 10']]
    """
    from matplotlib.patches import Patch

    palette = STANCE_PALETTE if palette is None else palette
    y_labels = {} if y_labels is None else y_labels
    frame = data.copy()
    counts = frame[[critical, neutral, supportive]].apply(pd.to_numeric).fillna(0).astype(float)
    total = counts.sum(axis=1).where(lambda s: s > 0)
    shares = counts.div(total, axis=0).fillna(0.0)
    frame = frame.assign(_crit=shares[critical], _neu=shares[neutral], _sup=shares[supportive])
    if order is not None:
        position = {key: i for i, key in enumerate(order)}
        frame = frame[frame[y].isin(position)].sort_values(y, key=lambda s: s.map(position), kind="stable")
    else:
        thin_first = (frame[n].map(_count) < min_n) if thin_last else False
        frame = frame.assign(_thin=thin_first).sort_values(["_thin", "_crit"], ascending=[True, False], kind="stable")
    names = [tick_label(y_labels.get(v, v)) for v in frame[y]]
    lines = max((name.count("\n") + 2 for name in names), default=2)
    longest = max((_text_inches(name) for name in names), default=0.0)
    own = ax is None
    ax = _axes(ax, size=(min(MAX_FIGURE_WIDTH, 5.5 + longest), max(2.5, len(names) * max(0.5, 0.2 * lines) + 1.6)))

    reach = max([*(frame["_crit"] + frame["_neu"] / 2), *(frame["_sup"] + frame["_neu"] / 2), 0.5])
    limit = min(1.0, np.ceil(reach * 10) / 10)
    # Inches per unit of share, from the plot's width: a new figure less the labels and margins, else the axes.
    plot_in = ax.figure.get_figwidth() - longest - 0.4 if own else ax.get_position().width * ax.figure.get_figwidth()
    per_share = max(plot_in, 1.0) / (2 * limit)
    thin_rows = []
    for row, (crit, neu, sup, size) in enumerate(
        zip(frame["_crit"], frame["_neu"], frame["_sup"], frame[n], strict=True)
    ):
        is_thin = _count(size) < min_n
        thin_rows.append(is_thin)
        for stance, left, width in (
            ("critical", -neu / 2 - crit, crit),
            ("neutral", -neu / 2, neu),
            ("supportive", neu / 2, sup),
        ):
            if width <= 0:
                continue
            ax.barh(
                row,
                width,
                left=left,
                height=0.7,
                color=palette.get(stance, LINE_COLOUR),
                alpha=0.4 if is_thin else 1.0,
                hatch="///" if is_thin else None,
                edgecolor="white",
                linewidth=0.8,
                label=f"_{stance}",
                gid=f"{stance}",
            )
            number = f"{round(width * 100):d}%"
            if not is_thin and width * per_share >= _text_inches(number) + 0.1:  # only where it fits inside
                shade = matplotlib.colors.to_rgb(palette.get(stance, LINE_COLOUR))
                luminance = _relative_luminance(shade)
                ink = "white" if 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 else "black"
                ax.text(
                    left + width / 2,
                    row,
                    number,
                    ha="center",
                    va="center",
                    color=ink,
                    fontsize=SMALL_PT,
                )
    ax.axvline(0, color="#1a202c", linewidth=1, zorder=3)
    ax.set_yticks(
        range(len(names)), labels=[f"{name}\n{_n_text(n_label, c)}" for name, c in zip(names, frame[n], strict=True)]
    )
    ax.tick_params(axis="y", labelsize=SMALL_PT, length=0)
    ax.tick_params(axis="x", labelsize=SMALL_PT)
    for label, is_thin in zip(ax.get_yticklabels(), thin_rows, strict=True):
        if is_thin:
            _thin_style(label)
    ax.set_ylim(len(names) - 0.5, -0.5)  # first row on top
    ax.set_xlim(-limit, limit)
    ax.xaxis.set_major_locator(matplotlib.ticker.MultipleLocator(0.25 if limit > 0.5 else 0.1))
    percent_axis(ax, "x", absolute=True)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(drawable(xlabel), fontsize=TEXT_PT)
    ax.set_ylabel("")
    if rtl:
        ax.invert_xaxis()
        _category_axis_right(ax)
        for label in ax.get_yticklabels():
            label.set_multialignment("right")  # the n line under the name's start
    handles = [
        Patch(facecolor=palette.get(s, LINE_COLOUR), edgecolor="white") for s in ("critical", "neutral", "supportive")
    ]
    names_legend = [drawable(labels.get(s, s)) for s in ("critical", "neutral", "supportive")]
    if thin_label and any(thin_rows):
        handles.append(Patch(facecolor="#ffffff", edgecolor=THIN_INK, hatch="///"))
        names_legend.append(drawable(thin_label))
    _legend_rows(ax.figure, handles, names_legend, rtl, ax.figure.get_figwidth())
    plain_text(ax)
    return ax


def profile_multiples(
    data: pd.DataFrame,
    *,
    facet: str,
    y: str,
    share: str,
    n: str,
    facet_labels: Mapping[str, str],
    y_labels: Mapping[str, str],
    xlabel: str,
    n_label: str = "n = {n}",
    min_n: int = 5,
    order: list | None = None,
    ncols: int = 4,
    rtl: bool = False,
    colour: str | None = None,
    thin_label: str | None = None,
):
    """Small multiples of horizontal share bars, one panel per group, the categories in the same order in each.

    Zero shares get neither a bar nor a label; every other bar carries its percent. A group with fewer
    than ``min_n`` claims gets a panel with ``thin_label`` instead of bars.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per (facet, category); missing pairs count as zero.
    facet : str
        Column of the group id (one panel each).
    y : str
        Column of the category id (e.g. a frame).
    share : str
        Column of the category's share of the group's claims (0–1).
    n : str
        Column of the group's number of claims.
    facet_labels : mapping of str to str
        Title of each panel by group id; its order is the panel order.
    y_labels : mapping of str to str
        Label of each category id.
    xlabel : str
        Title of the share axis.
    n_label : str, default "n = {n}"
        Second line of each panel title.
    min_n : int, default 5
        Fewest claims for which a group's bars are drawn.
    order : list, optional
        Category order, top first; default by mean share across the groups drawn, largest first
        (categories never used are then left out).
    ncols : int, default 4
        Most panels per row (fewer when the page is too narrow).
    rtl : bool, default False
        Panels from right to left, category labels on the right, bars growing to the left.
    colour : str, optional
        Bar colour; default :data:`TREND_COLOUR`.
    thin_label : str, optional
        Sentence shown in a thin group's panel; ``{n}`` is replaced by its number of claims.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> from mcis_report import charts
    >>> data = pd.DataFrame({"group": ["RUS", "RUS", "CHN", "CHN"], "frame": ["a", "b", "a", "b"],
    ...                      "share": [0.6, 0.0, 0.2, 0.5], "n": [20, 20, 12, 12]})
    >>> fig = charts.profile_multiples(data, facet="group", y="frame", share="share", n="n",
    ...                                facet_labels={"RUS": "Russia", "CHN": "China"},
    ...                                y_labels={"a": "Sovereignty", "b": "Multipolar order"}, xlabel="Share")
    >>> sorted(t.get_text() for t in fig.axes[0].texts)
    ['60%']
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['Sovereignty', 'Multipolar order']
    """
    colour = TREND_COLOUR if colour is None else colour
    facets = list(facet_labels)
    frame = data.assign(**{share: pd.to_numeric(data[share]).astype(float).fillna(0.0)})
    sizes = {key: _count(frame.loc[frame[facet] == key, n].max()) for key in facets}
    drawn = [key for key in facets if sizes[key] >= min_n]
    table = frame[frame[facet].isin(facets)].pivot_table(
        index=y, columns=facet, values=share, aggfunc="sum", fill_value=0.0
    )
    if order is not None:
        categories = list(order)
    else:
        basis = table[[c for c in drawn if c in table.columns]] if drawn else table
        mean = basis.reindex(columns=basis.columns).mean(axis=1) if len(basis.columns) else table.mean(axis=1)
        rank = {key: i for i, key in enumerate(y_labels)}
        mean = mean[mean > 0]
        categories = sorted(
            mean.index, key=lambda key: (-round(float(mean[key]), 9), rank.get(key, len(rank)), str(key))
        )
    table = table.reindex(index=categories, columns=facets, fill_value=0.0)
    # Labels wrapped wider than tick_label's: one line each keeps a panel of many categories short.
    names = [_fit_inches(y_labels.get(key, key), 3.0) for key in categories]

    label_in = max((_text_inches(name) for name in names), default=0.3) + 0.25
    panel = 1.3  # room for bars up to the scale's end and their percent
    fits = [c for c in range(max(1, min(ncols, len(facets))), 0, -1) if label_in + c * panel <= MAX_FIGURE_WIDTH]
    columns = fits[0] if fits else 1
    panel = max(panel, (MAX_FIGURE_WIDTH - label_in) / columns)
    rows = -(-max(len(facets), 1) // columns)
    # Titles wrapped to the panel's width, so that neighbours never overlap.
    titles = {key: _wrapped(facet_labels[key], max(8, int(panel / (0.62 * TITLE_PT / 72)))) for key in facets}
    title_lines = max((title.count("\n") + 2 for title in titles.values()), default=2)
    lines = max((name.count("\n") + 1 for name in names), default=1)
    bars_in = len(names) * max(0.2, 0.16 * lines + 0.04)  # rows evenly spaced: the tallest label sets the step
    row_in = bars_in + title_lines * TITLE_PT * 1.3 / 72 + 0.45
    width = min(MAX_FIGURE_WIDTH, label_in + columns * panel)
    fig, panels, columns = _panel_grid(max(len(facets), 1), columns, (width, rows * row_in + 0.4), rtl)
    scale = table[[key for key in drawn if key in table.columns]]  # thin groups do not set the scale
    top = float(scale.to_numpy().max()) if scale.size else 0.0
    limit = min(1.0, max(0.2, np.ceil(top * 1.3 * 10) / 10))

    for index, (key, ax) in enumerate(zip(facets, panels, strict=False)):
        positions = range(len(categories))
        title = f"{titles[key]}\n{_n_text(n_label, sizes[key])}"
        ax.set_title(title, fontsize=TITLE_PT)
        if key in drawn:
            values = table[key].astype(float)
            for row, value in zip(positions, values, strict=True):
                if value <= 0:
                    continue
                ax.barh(row, value, height=0.7, color=colour)
                text = "<1%" if value < 0.005 else f"{round(value * 100):d}%"
                ax.text(value + limit * 0.02, row, text, va="center", ha="right" if rtl else "left", fontsize=SMALL_PT)
        else:
            _thin_style(ax.title)
            ax.set_facecolor(THIN_SHADE)
            ax.grid(False)
            ax.tick_params(axis="x", length=0)
            if thin_label:
                fit = max(8, int((panel - 0.2) / _CHAR_IN))
                sentence = "\n".join(textwrap.wrap(drawable(thin_label.replace("{n}", str(sizes[key]))), fit))
                ax.text(
                    0.5,
                    0.5,
                    sentence,
                    transform=ax.transAxes,
                    ha="center",
                    va="center",
                    fontsize=SMALL_PT,
                    color=THIN_INK,
                )
        ax.set_yticks(list(positions), labels=names)
        ax.set_ylim(len(categories) - 0.5, -0.5)
        ax.set_xlim(0, limit)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(3))
        percent_axis(ax, "x")
        ax.tick_params(axis="x", labelbottom=key in drawn, labelsize=SMALL_PT)
        ax.grid(axis="y", visible=False)
        outer = _outer(index, columns)
        if rtl:
            ax.invert_xaxis() if not ax.xaxis_inverted() else None
            ax.yaxis.tick_right()
        ax.tick_params(axis="y", labelleft=outer and not rtl, labelright=outer and rtl, labelsize=SMALL_PT, length=0)
        if rtl:
            for label in ax.get_yticklabels(which="major"):
                label.set_horizontalalignment("left")
                label.set_multialignment("right")
    fig.supxlabel(drawable(xlabel), fontsize=TEXT_PT)
    plain_text(panels[0])
    return fig


def evidence_chart(
    data: pd.DataFrame,
    *,
    x: str,
    kind: str,
    count: str,
    kind_order: list[str],
    kind_labels: Mapping[str, str],
    xlabel: str,
    ylabel: str,
    total_label: str = "{n}",
    rtl: bool = False,
    palette: str | Mapping[str, str] | None = None,
    ax=None,
):
    """Stacked bars per edition of claims by the strongest kind of source behind each claim.

    Kinds stack from the strongest (first in ``kind_order``, darkest, at the bottom) to the weakest
    (lightest; :data:`EVIDENCE_HATCHED` kinds hatched too). Each bar's total stands above it. Years
    absent from ``data`` get no bar and no tick: the gap stays visible.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per (year, kind) with a count; missing pairs count as zero.
    x : str
        Column of the edition year.
    kind : str
        Column of the kind of source.
    count : str
        Column of the number of claims.
    kind_order : list of str
        Kinds, strongest first (stack and legend order).
    kind_labels : mapping of str to str
        Legend label of each kind.
    xlabel, ylabel : str
        Axis titles.
    total_label : str, default "{n}"
        Text above each bar; ``{n}`` is its total.
    rtl : bool, default False
        Value axis on the right and the legend read from the right; years still run left to right.
    palette : str or mapping of str to str, optional
        Colour of each kind, or a colour map name; default :data:`EVIDENCE_CMAP`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure sized to the years when omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``data`` holds a kind that ``kind_order`` lacks (its claims would be missing from the totals).

    Examples
    --------
    >>> import pandas as pd
    >>> from mcis_report import charts
    >>> data = pd.DataFrame({"year": [2022, 2022, 2023], "kind": ["official", "blog", "official"],
    ...                      "claims": [3, 2, 7]})
    >>> ax = charts.evidence_chart(data, x="year", kind="kind", count="claims", kind_order=["official", "blog"],
    ...                            kind_labels={"official": "Official", "blog": "Blog"}, xlabel="Edition",
    ...                            ylabel="Claims")
    >>> [t.get_text() for t in ax.texts]
    ['5', '7']
    """
    from matplotlib.patches import Patch

    frame = data.dropna(subset=[x]).assign(**{count: pd.to_numeric(data[count]).fillna(0)})
    unknown = sorted(set(frame[kind].dropna().astype(str)) - set(map(str, kind_order)))
    if unknown:  # their claims would be left out of the bars and the totals
        raise ValueError(f"evidence_chart: kinds missing from kind_order: {', '.join(unknown)}")
    table = frame.pivot_table(index=x, columns=kind, values=count, aggfunc="sum", fill_value=0)
    table = table.reindex(columns=kind_order, fill_value=0)
    years = sorted(int(v) for v in table.index)
    table.index = table.index.astype(int)
    table = table.reindex(years)
    if isinstance(palette, Mapping):
        colours = {k: palette.get(k, LINE_COLOUR) for k in kind_order}
    else:
        cmap = matplotlib.colormaps[EVIDENCE_CMAP if palette is None else palette]
        steps = np.linspace(0.0, 0.92, max(len(kind_order), 2))  # the lightest end of viridis is too pale on white
        colours = {k: matplotlib.colors.to_hex(cmap(steps[i])) for i, k in enumerate(kind_order)}
    span = (years[-1] - years[0] + 1) if years else 1
    ax = _axes(ax, size=(min(MAX_FIGURE_WIDTH, max(5.0, 0.6 * span + 1.6)), 4.6))
    bottom = np.zeros(len(years))
    handles = []
    for key in kind_order:
        values = table[key].to_numpy(dtype=float)
        hatched = key in EVIDENCE_HATCHED
        ax.bar(
            years,
            values,
            bottom=bottom,
            width=0.7,
            color=colours[key],
            edgecolor=THIN_INK if hatched else "white",
            linewidth=0.5,
            hatch="///" if hatched else None,
            gid=str(key),
        )
        handles.append(
            Patch(facecolor=colours[key], edgecolor=THIN_INK if hatched else "white", hatch="///" if hatched else None)
        )
        bottom += values
    for year, total in zip(years, bottom, strict=True):
        ax.annotate(
            drawable(total_label.format(n=int(total))),
            (year, total),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=SMALL_PT,
        )
    ax.set_xticks(years, labels=[str(year) for year in years])
    if years:
        ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
    ax.set_ylim(0, max(float(bottom.max()) if len(bottom) else 0.0, 1.0) * 1.1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(labelsize=SMALL_PT)
    ax.grid(axis="x", visible=False)
    ax.set_xlabel(drawable(xlabel), fontsize=TEXT_PT)
    ax.set_ylabel(drawable(ylabel), fontsize=TEXT_PT)
    if rtl:
        _category_axis_right(ax)
    _legend_rows(
        ax.figure, handles, [drawable(kind_labels.get(k, k)) for k in kind_order], rtl, ax.figure.get_figwidth()
    )
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
    mirror_columns: bool | None = None,
):
    """Annotated heat map of a (rows × columns) matrix of counts or shares.

    With ``rtl`` the columns run from right to left (unless ``mirror_columns=False``) and the row labels
    stand on the right. Zero cells
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
    mirror_columns : bool, optional
        Whether the columns run from right to left; default: with ``rtl``. ``False`` keeps an ordered axis
        (years) left to right in a right-to-left report, as on the timeline.

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
    shown = matrix.iloc[:, ::-1] if (rtl if mirror_columns is None else mirror_columns) else matrix
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


# --- maps ---

#: Default colours of :func:`world_map` (Okabe–Ito, safe for colour-blind readers): the host, delegations that
#: took part, and countries named only as invited (a lighter shade of "took part").
MAP_PALETTE = {"host": "#D55E00", "attended": "#0072B2", "invited_only": "#56B4E9"}
#: Fill of a country without data, and the line between countries.
MAP_NO_DATA = "#d9d9d9"
MAP_EDGE = "#ffffff"
#: Default sequential colour map of :func:`world_counts_map`.
MAP_COUNTS_CMAP = "Blues"
MAP_SIZE = (9.0, 4.8)
#: Countries never drawn: Antarctica would take a sixth of the map and is never a delegation.
MAP_DROPPED = ("ATA",)
#: Equal Earth projection constants (Šavrič, Patterson and Jenny, 2018).
_EE = (1.340264, -0.081106, 0.000893, 0.003796)


def _equal_earth(coords: np.ndarray) -> np.ndarray:
    """Longitude/latitude degrees (N × 2) to Equal Earth coordinates: equal areas, familiar shapes."""
    a1, a2, a3, a4 = _EE
    lon, lat = np.radians(coords[:, 0]), np.radians(coords[:, 1])
    theta = np.arcsin(np.sqrt(3) / 2 * np.sin(lat))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * np.sqrt(3) * lon * np.cos(theta) / (3 * (9 * a4 * t6 * t2 + 7 * a3 * t6 + 3 * a2 * t2 + a1))
    y = theta * (a4 * t6 * t2 + a3 * t6 + a2 * t2 + a1)
    return np.column_stack([x, y])


def _country_path(geometry):
    """A shapely (multi)polygon as one matplotlib Path; holes wind the other way so they stay empty."""
    import shapely
    from matplotlib.path import Path as MplPath

    rings = []
    for polygon in shapely.get_parts(shapely.orient_polygons(geometry)):
        rings.append(MplPath(np.asarray(polygon.exterior.coords), closed=True))
        rings.extend(MplPath(np.asarray(hole.coords), closed=True) for hole in polygon.interiors)
    return MplPath.make_compound_path(*rings) if rings else None


def _draw_countries(ax, shapes: pd.DataFrame, colours: Mapping[str, object]) -> None:
    """Every country of ``shapes`` (Antarctica dropped) filled with ``colours[alpha3]`` or grey, on a bare map."""
    import shapely
    from matplotlib.patches import PathPatch

    kept = shapes[~shapes["alpha3"].isin(MAP_DROPPED)]
    projected = shapely.transform(np.asarray(kept["geometry"], dtype=object), _equal_earth)
    for code, geometry in zip(kept["alpha3"], projected, strict=True):
        path = None if geometry is None or geometry.is_empty else _country_path(geometry)
        if path is None:
            continue
        known = isinstance(code, str) and code in colours
        patch = PathPatch(
            path,
            facecolor=colours[code] if known else MAP_NO_DATA,
            edgecolor=MAP_EDGE,
            linewidth=0.4,
            zorder=2 if known else 1,
        )
        patch.set_gid(code if isinstance(code, str) else None)  # tests and SVG readers find a country by its code
        ax.add_patch(patch)
    if len(projected):
        x0, y0, x1, y1 = shapely.total_bounds(projected)
        pad = 0.01 * (x1 - x0)
        ax.set_xlim(x0 - pad, x1 + pad)
        ax.set_ylim(y0 - pad, y1 + pad)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _map_legend(ax, handles: list, rtl: bool, title: str | None = None) -> None:
    """Legend under the map on one row, in reading order (right to left, swatch after the text, when ``rtl``)."""
    if rtl:
        handles = handles[::-1]
    legend = ax.figure.legend(
        handles=handles,
        loc="outside lower center",
        ncol=max(1, len(handles)),
        frameon=False,
        fontsize=10,
        title=None if title is None else drawable(title),
        title_fontsize=10,
        markerfirst=not rtl,
        handlelength=1.4,
        columnspacing=1.4,
    )
    legend.set_gid("map-legend")


def _swatch(colour: Any, label: str):
    from matplotlib.patches import Patch

    return Patch(facecolor=colour, edgecolor="#808080", linewidth=0.5, label=drawable(label))


def world_map(
    data: pd.DataFrame,
    *,
    country: str,
    category: str,
    category_labels: Mapping[str, str],
    shapes: pd.DataFrame,
    palette: Mapping[str, str] | None = None,
    order: list[str] | None = None,
    rtl: bool = False,
    ax=None,
    no_data_label: str | None = None,
):
    """World map with each country of ``data`` coloured by its category; every other country grey.

    Equal Earth projection (areas are comparable), no axes, Antarctica left out; a legend under the map with
    one entry per category, in ``order`` (read right to left when ``rtl``). A country of ``data`` without a
    shape (too small for the scale, or not an ISO code) is not drawn: say so in the caption.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per country; a country given twice keeps its first row.
    country : str
        Column of the ISO 3166-1 alpha-3 codes.
    category : str
        Column of the category of each country (for the report: ``host``, ``attended``, ``invited_only``).
    category_labels : mapping of str to str
        Legend label of each category (already translated); a category without one shows its value.
    shapes : pandas.DataFrame
        Country outlines with columns ``alpha3`` and ``geometry`` (shapely, longitude/latitude degrees), as
        :func:`mcis_report.geo.load_shapes` returns them.
    palette : mapping of str to str, optional
        Colour of each category; default :data:`MAP_PALETTE`. Categories it lacks take seaborn's
        "colorblind" colours.
    order : list of str, optional
        Legend order of the categories; default the order of ``palette``, then first appearance. Categories
        present in ``data`` but missing from ``order`` follow it.
    rtl : bool, default False
        Right-to-left reading: the legend runs from right to left (the map itself is never mirrored).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure of :data:`MAP_SIZE` when omitted.
    no_data_label : str, optional
        When given, a last legend entry for the grey countries.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> import shapely
    >>> from mcis_report import charts
    >>> shapes = pd.DataFrame({"alpha3": ["AAA", "BBB", "CCC"],
    ...                        "geometry": [shapely.box(0, 0, 10, 10), shapely.box(20, 0, 30, 10),
    ...                                     shapely.box(40, 0, 50, 10)]})
    >>> data = pd.DataFrame({"code": ["AAA", "BBB"], "status": ["host", "attended"]})
    >>> ax = charts.world_map(data, country="code", category="status", shapes=shapes,
    ...                       category_labels={"host": "Host", "attended": "Took part"})
    >>> [t.get_text() for t in ax.figure.legends[0].get_texts()]
    ['Host', 'Took part']
    """
    palette = MAP_PALETTE if palette is None else palette
    rows = data.dropna(subset=[country, category]).drop_duplicates(subset=[country], keep="first")
    present = list(dict.fromkeys(rows[category]))
    legend_order = list(order) if order is not None else [k for k in palette if k in present]
    legend_order += [k for k in present if k not in legend_order]
    spare = iter(c for c in sns.color_palette("colorblind").as_hex() if c not in set(palette.values()))
    colour_of = {k: palette[k] if k in palette else next(spare, LINE_COLOUR) for k in legend_order}
    ax = _axes(ax, size=MAP_SIZE)
    _draw_countries(ax, shapes, {c: colour_of[k] for c, k in zip(rows[country], rows[category], strict=True)})
    handles = [_swatch(colour_of[k], category_labels.get(k, str(k))) for k in legend_order]
    if no_data_label is not None:
        handles.append(_swatch(MAP_NO_DATA, no_data_label))
    _map_legend(ax, handles, rtl)
    plain_text(ax)
    return ax


def count_bins(values: list[int] | np.ndarray, n: int = 5) -> list[int]:
    """Lower edges of at most ``n`` whole-number bins for the positive ``values``: one per value, else doubling.

    Counts of this kind are skewed (most countries are named once), so the bins widen as they go:
    ``1``, ``2``, ``3–4``, ``5–8``, ``9–``…, the last one running to the largest value.

    Parameters
    ----------
    values : list of int or numpy.ndarray
        Counts; zeros and missing values are ignored.
    n : int, default 5
        Largest number of bins.

    Returns
    -------
    list of int
        Ascending lower edges, the first one 1; empty when no value is positive.

    Examples
    --------
    >>> from mcis_report import charts
    >>> charts.count_bins([1, 2, 3])
    [1, 2, 3]
    >>> charts.count_bins([1, 4, 11])
    [1, 2, 3, 5, 9]
    """
    positive = [int(v) for v in np.asarray(values, dtype=float) if np.isfinite(v) and v >= 1]
    if not positive:
        return []
    top = max(positive)
    if top <= n:
        return list(range(1, top + 1))
    edges, edge = [1], 2
    while edge <= top and len(edges) < n:
        edges.append(edge)
        edge = 2 * edge - 1
    return edges


def world_counts_map(
    data: pd.DataFrame,
    *,
    country: str,
    value: str,
    shapes: pd.DataFrame,
    bins: list[int] | None = None,
    legend_title: str | None = None,
    cmap: str | None = None,
    no_data_label: str | None = None,
    rtl: bool = False,
    ax=None,
):
    """World map of a whole number per country (e.g. editions attended) in binned shades; zero left grey.

    Same map as :func:`world_map` (Equal Earth, no axes, no Antarctica); the legend under it has one swatch
    per bin (``1``, ``2–3``, …), read right to left when ``rtl``.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per country; a country given twice keeps its first row.
    country : str
        Column of the ISO 3166-1 alpha-3 codes.
    value : str
        Column of the counts; zero or missing is drawn like a country without data.
    shapes : pandas.DataFrame
        Country outlines (:func:`mcis_report.geo.load_shapes`).
    bins : list of int, optional
        Ascending lower edges of the bins (the last bin runs to the largest value); default :func:`count_bins`.
    legend_title : str, optional
        Title over the legend (already translated), e.g. "Editions attended".
    cmap : str, optional
        Sequential matplotlib colour map; default :data:`MAP_COUNTS_CMAP`.
    no_data_label : str, optional
        When given, a first legend entry for the grey countries (e.g. "none named").
    rtl : bool, default False
        Right-to-left reading: the legend runs from right to left.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure of :data:`MAP_SIZE` when omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> import shapely
    >>> from mcis_report import charts
    >>> shapes = pd.DataFrame({"alpha3": ["AAA", "BBB"],
    ...                        "geometry": [shapely.box(0, 0, 10, 10), shapely.box(20, 0, 30, 10)]})
    >>> data = pd.DataFrame({"code": ["AAA", "BBB"], "editions": [1, 3]})
    >>> ax = charts.world_counts_map(data, country="code", value="editions", shapes=shapes)
    >>> [t.get_text() for t in ax.figure.legends[0].get_texts()]
    ['1', '2', '3']
    """
    rows = data.dropna(subset=[country]).drop_duplicates(subset=[country], keep="first")
    counts = pd.to_numeric(rows[value], errors="coerce").fillna(0)
    rows, counts = rows[counts >= 1], counts[counts >= 1]
    edges = sorted(set(count_bins(counts.to_numpy()) if bins is None else bins))
    top = int(counts.max()) if len(counts) else 0
    colormap = matplotlib.colormaps[MAP_COUNTS_CMAP if cmap is None else cmap]
    # The lightest shade stays clear of the grey of "no data".
    shades = [colormap(x) for x in np.linspace(0.35, 0.95, len(edges))] if edges else []
    ax = _axes(ax, size=MAP_SIZE)
    colours = {}
    for code, n in zip(rows[country], counts, strict=True):
        index = int(np.searchsorted(edges, n, side="right")) - 1
        if index >= 0:
            colours[code] = shades[index]
    _draw_countries(ax, shapes, colours)
    handles = [] if no_data_label is None else [_swatch(MAP_NO_DATA, no_data_label)]
    for i, low in enumerate(edges):
        high = edges[i + 1] - 1 if i + 1 < len(edges) else max(top, low)
        handles.append(_swatch(shades[i], str(low) if high == low else f"{low}\u2013{high}"))
    _map_legend(ax, handles, rtl, title=legend_title)
    plain_text(ax)
    return ax
