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
from typing import Any

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
