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


def figure(anchor: str, png_base64: str, number: object, caption: object, alt: object) -> Markup:
    """A numbered figure with its caption and alt text; the PNG is embedded so the page stands alone."""
    return Markup(
        '<figure id="fig-{0}"><img src="data:image/png;base64,{1}" alt="{2}">'
        "<figcaption><strong>{3}.</strong> {4}</figcaption></figure>"
    ).format(anchor, png_base64, alt, number, caption)


def table(
    anchor: str, columns: Iterable[object], rows: Iterable[Iterable[object]], number: object, caption: object
) -> Markup:
    """A numbered table; header cells carry ``scope="col"``, cells are escaped unless already Markup."""
    head = Markup("").join(Markup('<th scope="col">{}</th>').format(c) for c in columns)
    body = Markup("").join(
        Markup("<tr>{}</tr>").format(Markup("").join(Markup("<td>{}</td>").format(_cell(v)) for v in row))
        for row in rows
    )
    return Markup(
        '<div class="table-wrap"><table id="tab-{0}"><caption><strong>{1}.</strong> {2}</caption>'
        "<thead><tr>{3}</tr></thead><tbody>{4}</tbody></table></div>"
    ).format(anchor, number, caption, head, body)


def _cell(value: object) -> object:
    """Missing values print as empty cells."""
    if isinstance(value, str | list | tuple):
        return value
    return "" if pd.isna(value) else value
