"""HTML building blocks of a report (presentation layer), all through markupsafe.

Every function takes ``Markup`` (already safe) or plain values (escaped on the way in) and returns
``Markup``; nothing here concatenates an unescaped string into HTML.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from markupsafe import Markup, escape


class Section(Markup):
    """One report part's HTML; Jupyter displays it as HTML, and its plain repr stays short."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"<Section: {len(self)} characters of HTML>"


def paragraph(*sentences: object) -> Markup:
    """``<p>`` of the non-empty sentences joined by spaces; empty Markup when there are none."""
    content = Markup(" ").join(escape(s) for s in sentences if s)
    return Markup("<p>{}</p>").format(content) if content else Markup("")


def bullet_list(items: Iterable[object]) -> Markup:
    """``<ul>`` of the items; empty Markup for no items."""
    rows = [Markup("<li>{}</li>").format(i) for i in items]
    return Markup("<ul>{}</ul>").format(Markup("").join(rows)) if rows else Markup("")


def heading(level: int, title: object, anchor: str | None = None) -> Markup:
    """``<h2>``–``<h4>`` with an optional id."""
    if level not in (2, 3, 4):
        raise ValueError(f"heading level {level} is not used in reports")
    if anchor is None:
        return Markup("<h{0}>{1}</h{0}>").format(level, title)
    return Markup('<h{0} id="{1}">{2}</h{0}>').format(level, anchor, title)


def section(anchor: str, title: object, parts: Iterable[object]) -> Section:
    """A chapter: ``<section id=…>`` with its ``<h2>`` and the non-empty parts."""
    body = Markup("\n").join(escape(p) for p in parts if p)
    return Section(
        Markup('<section class="chapter" id="{0}">{1}\n{2}\n</section>').format(anchor, heading(2, title), body)
    )


def figure(
    anchor: str, png_base64: str, number: object, caption: object, alt: object, svg_label: object = None
) -> Markup:
    """A numbered figure with its caption and alt text; the PNG is embedded so the page stands alone.

    With ``svg_label``, the image opens the full-size SVG saved beside the report (``figures/<anchor>.svg``;
    a phone can zoom into it) and the caption ends with a link to it under that label.
    """
    image = Markup('<img src="data:image/png;base64,{0}" alt="{1}">').format(png_base64, alt)
    link = Markup("")
    if svg_label is not None:
        href = f"figures/{anchor}.svg"
        image = Markup('<a class="figure-zoom" href="{0}">{1}</a>').format(href, image)
        link = Markup(' <a class="file-link" href="{0}">{1}</a>').format(href, svg_label)
    return Markup('<figure id="fig-{0}">{1}<figcaption><strong>{2}.</strong> {3}{4}</figcaption></figure>').format(
        anchor, image, number, caption, link
    )


def table(
    anchor: str,
    columns: Iterable[object],
    rows: Iterable[Iterable[object]],
    number: object,
    caption: object,
    csv_label: object = None,
) -> Markup:
    """A numbered table; header cells carry ``scope="col"``, cells are escaped unless already Markup.

    A table of three or more columns is marked ``stack``: on a phone each row becomes a card, so every
    cell carries its column's name (``data-label``) and holds its value in one box. With ``csv_label``,
    the caption ends with a link to the table's CSV file (``tables/<anchor>.csv``) under that label.
    """
    columns = list(columns)
    stacked = len(columns) >= 3  # two-column tables read well as they are
    head = Markup("").join(Markup('<th scope="col">{}</th>').format(c) for c in columns)
    labels = [_plain(c) for c in columns]

    def cells(row: Iterable[object]) -> Iterable[tuple[str | None, object]]:
        return zip(labels, row, strict=True) if stacked else ((None, v) for v in row)

    body = Markup("").join(
        Markup("<tr>{}</tr>").format(Markup("").join(_td(label, _cell(v)) for label, v in cells(row))) for row in rows
    )
    link = Markup("")
    if csv_label is not None:
        link = Markup(' <a class="file-link" href="tables/{0}.csv">{1}</a>').format(anchor, csv_label)
    return Markup(
        '<div class="table-wrap"><table id="tab-{0}"{1}><caption><strong>{2}.</strong> {3}{4}</caption>'
        "<thead><tr>{5}</tr></thead><tbody>{6}</tbody></table></div>"
    ).format(
        anchor,
        Markup(' class="stack"') if stacked else Markup(""),
        number,
        caption,
        link,
        head,
        body,
    )


def _td(label: str | None, value: object) -> Markup:
    """A data cell; in a stacked table it carries its column's name and holds a non-empty value in one box."""
    if label is None:
        return Markup("<td>{}</td>").format(value)
    if value == "":
        return Markup('<td data-label="{}"></td>').format(label)  # an empty cell has no box: a card hides it
    return Markup('<td data-label="{0}"><span class="cell">{1}</span></td>').format(label, value)


def _plain(value: object) -> str:
    """A header's text without markup, for an attribute (``data-label``)."""
    return Markup(value).striptags() if isinstance(value, Markup) else str(value)


def _cell(value: object) -> object:
    """Missing values print as empty cells."""
    if isinstance(value, str | list | tuple):
        return value
    return "" if pd.isna(value) else value
