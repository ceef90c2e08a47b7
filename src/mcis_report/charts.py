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
from collections.abc import Mapping
from functools import cache

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
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
            fontsize="small",
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
):
    """Annotated heat map of a (rows × columns) matrix of counts or shares.

    With ``rtl`` the columns run from right to left and the row labels stand on the right.

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
    ['0', '1', '2', '3']
    """
    shown = matrix.iloc[:, ::-1] if rtl else matrix
    shown = shown.rename(index=tick_label, columns=tick_label)
    ax = _axes(ax, size=_heatmap_size(shown))
    # Tick labels are set here, not by seaborn: seaborn draws the figure while placing its own labels,
    # before they could be marked as plain text.
    sns.heatmap(
        shown,
        annot=True,
        fmt=fmt,
        cmap=HEATMAP_CMAP if cmap is None else cmap,
        cbar=False,
        linewidths=0.5,
        ax=ax,
        annot_kws={"fontsize": "small"},
        xticklabels=False,
        yticklabels=False,
    )
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
    if rtl:
        _category_axis_right(ax)
        ax.tick_params(axis="y", labelrotation=0)
    plain_text(ax)
    return ax


def _heatmap_size(shown: pd.DataFrame) -> tuple[float, float]:
    """Figure size in inches from the matrix and its (wrapped) labels: cells plus room for the tick labels."""
    char, line = 0.085, 0.2  # inches per character and per text line at the report's font size

    def extent(labels) -> tuple[int, int]:
        lines = [str(label).split("\n") for label in labels] or [[""]]
        return max(len(part) for parts in lines for part in parts), max(len(parts) for parts in lines)

    x_chars, x_lines = extent(shown.columns)
    y_chars, y_lines = extent(shown.index)
    # Column labels stand at 45°: their length counts for about 0.71 in both directions.
    height = 0.42 * max(len(shown.index), 1) * max(1, 0.6 * y_lines) + 1.2 + 0.71 * x_chars * char + x_lines * line
    width = 0.55 * max(len(shown.columns), 1) + 1.5 + y_chars * char + 0.71 * x_chars * char
    return max(6.0, width), max(2.5, height)
