"""Charts (presentation layer): seaborn/matplotlib drawings of tidy DataFrames.

Each function takes a DataFrame and keyword-only column names, draws on ``ax`` (a new figure if
omitted) and returns the Axes. None of them calls ``show``/``savefig`` or changes global style: call
:func:`set_theme` once. Labels arrive already translated, so the same functions serve every language.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # the report renders off-screen; must precede pyplot

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.ticker import MaxNLocator

PALETTE = {
    "participated": "#2b6cb0",
    "partial": "#7aa6d6",
    "boycotted": "#c05621",
    "not_invited": "#9b2c2c",
    "not_applicable": "#a0aec0",
}
HEATMAP_CMAP = "Blues"


def set_theme() -> None:
    """The report's one style setting: seaborn's white-grid theme, deterministic SVG output."""
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
        ax.figure.legend(handles, labels, loc="outside lower center", ncol=min(len(labels), 2), frameon=False,
                         fontsize="small", markerfirst=not rtl)


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
):
    """Reported value per year with conflicting-report ranges, coloured by ``hue`` (Western participation).

    Rows with a missing ``y`` (years without a conference or figure) leave a gap in the line. With
    ``rtl`` the value axis moves to the right; years keep running left to right, as in Arabic news
    graphics.
    """
    ax = _axes(ax)
    frame = data.sort_values(x)
    ax.plot(frame[x], frame[y].astype("float"), color="#4a5568", linewidth=1, zorder=1)
    present = frame.dropna(subset=[y])
    for key, group in present.groupby(hue, sort=False):
        colour = PALETTE.get(key, "#4a5568")
        ax.vlines(group[x], group[low].astype(float), group[high].astype(float), color=colour, linewidth=3, alpha=0.5)
        ax.scatter(group[x], group[y].astype(float), color=colour, s=60, zorder=3, label=hue_labels.get(key, key))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_xticks(list(frame[x]))
    ax.set_ylim(bottom=0)
    if rtl:
        _category_axis_right(ax)
    _legend_below(ax, rtl)
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
):
    """Horizontal bars of ``x`` (counts) per ``y`` category, optionally split by ``hue``.

    With ``rtl`` the chart is mirrored: categories on the right, bars growing to the left.
    """
    ax = _axes(ax, size=(8, max(2.5, 0.45 * data[y].nunique() + 1.5)))
    sns.barplot(data=data, x=x, y=y, hue=hue, hue_order=hue_order, ax=ax, orient="h",
                palette="Set2" if hue else None, color=None if hue else "#2b6cb0", legend=bool(hue))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: whole-number ticks
    if rtl:
        ax.invert_xaxis()
        _category_axis_right(ax)
    if hue:
        _legend_below(ax, rtl)
    return ax


def heatmap(
    matrix: pd.DataFrame,
    *,
    xlabel: str,
    ylabel: str,
    fmt: str = "d",
    rtl: bool = False,
    ax=None,
):
    """Annotated heat map of a (rows × columns) matrix of counts or shares.

    With ``rtl`` the columns run from right to left and the row labels stand on the right.
    """
    height = max(2.5, 0.42 * len(matrix.index) + 1.6)
    width = max(6.0, 0.55 * len(matrix.columns) + 3)
    ax = _axes(ax, size=(width, height))
    shown = matrix.iloc[:, ::-1] if rtl else matrix
    sns.heatmap(shown, annot=True, fmt=fmt, cmap=HEATMAP_CMAP, cbar=False, linewidths=0.5, ax=ax,
                annot_kws={"fontsize": "small"})
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="x", labelrotation=-45 if rtl else 45)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("left" if rtl else "right")
        label.set_rotation_mode("anchor")
    if rtl:
        _category_axis_right(ax)
        ax.tick_params(axis="y", labelrotation=0)
    return ax
