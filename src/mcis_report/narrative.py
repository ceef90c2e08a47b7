"""Narrative helpers (presentation layer): numbers, dates, lists and sentences in the report's language.

Safe HTML is a type here: catalogue templates are ours and become :class:`markupsafe.Markup`; every
value from the data is escaped by ``Markup.format`` and bidi-isolated (``<bdi>``), so a name written
in another script, or a stray direction mark, cannot reorder the sentence around it. Numbers, percents,
month names and list patterns come from CLDR through Babel, in Western digits in every language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pandas as pd
from babel import dates as babel_dates
from babel import lists as babel_lists
from babel import numbers as babel_numbers
from markupsafe import Markup

from .i18n import catalogue, locale, template, text

#: Template fields that hold years: printed as they are, never with thousands separators.
YEAR_FIELDS = frozenset({"year", "previous", "first", "last", "break_year", "peak_year", "worst"})

#: Digits of every report: Western (0-9), as in the original Arabic analysis (see README).
NUMBERING_SYSTEM = "latn"


def is_missing(value: object) -> bool:
    """True for ``None`` and pandas' missing values (NaN, NaT, NA)."""
    return value is None or (not isinstance(value, str | Markup) and bool(pd.isna(value)))


def isolate(value: object) -> Markup:
    """A data value as safe HTML: escaped and wrapped in ``<bdi>``; ``Markup`` passes through unchanged."""
    if isinstance(value, Markup):
        return value
    if is_missing(value) or str(value) == "":
        return Markup("")
    return Markup("<bdi>{}</bdi>").format(value)


def is_rtl(lang: str) -> bool:
    """Whether ``lang`` is written right to left."""
    return text("meta.dir", lang) == "rtl"


def sentence(key: str, lang: str, count: int | None = None, **values: object) -> Markup:
    """Catalogue template ``key`` filled with ``values``: counts formatted, years as they are, text isolated."""
    safe: dict[str, Any] = {
        k: (fmt_int(v, lang) if isinstance(v, int) and not isinstance(v, bool) and k not in YEAR_FIELDS else isolate(v))
        for k, v in values.items()
    }
    if count is not None and "n" not in safe:
        safe["n"] = fmt_int(count, lang)
    return Markup(template(key, lang, count)).format(**safe)


def fmt_int(n: int, lang: str) -> Markup:
    """Whole number with the locale's grouping, in Western digits: ``1,234``."""
    return Markup(babel_numbers.format_decimal(int(n), locale=locale(lang), numbering_system=NUMBERING_SYSTEM))


def fmt_decimal(value: float, lang: str, digits: int = 2) -> Markup:
    """A decimal with ``digits`` places in the locale's pattern, Western digits: ``0.86``."""
    pattern = "0." + "0" * digits if digits else "0"
    return Markup(
        babel_numbers.format_decimal(value, format=pattern, locale=locale(lang), numbering_system=NUMBERING_SYSTEM)
    )


def fmt_percent(share: float, lang: str) -> Markup:
    """A share as a whole percent in the locale's pattern: ``0.25`` -> ``25%``."""
    return Markup(
        babel_numbers.format_percent(share, format="#,##0%", locale=locale(lang), numbering_system=NUMBERING_SYSTEM)
    )


def count_phrase(n: int, noun: str, lang: str) -> Markup:
    """``n`` with its noun in the right number: ``1 country``, ``76 countries``; Arabic ``دولتين``."""
    return Markup(template(f"nouns.{noun}", lang, count=int(n))).format(n=fmt_int(n, lang))


def qualified(value: int, qualifier: str, lang: str) -> Markup:
    """``800`` / ``about 800`` / ``more than 800``."""
    return Markup(template(f"qualifier.{qualifier}", lang)).format(value=fmt_int(value, lang))


def qualified_count(value: int, qualifier: str, noun: str, lang: str) -> Markup:
    """``more than 800 delegates``: a qualified number with its noun."""
    return Markup(template(f"qualifier.{qualifier}", lang)).format(value=count_phrase(value, noun, lang))


def fmt_list(items: Iterable[object], lang: str) -> Markup:
    """Items joined by the locale's list pattern: ``a and b``, ``a, b and c``; Arabic ``أ وب وج``."""
    parts = [str(isolate(i)) for i in items]
    if not parts:
        return Markup(text("list.none", lang))
    # The CLDR patterns only add separators around the (already escaped) items.
    return Markup(babel_lists.format_list(parts, style="standard", locale=locale(lang)))


def month_name(month: int, lang: str) -> str:
    """Full month name in ``lang`` (CLDR, stand-alone form not needed in our templates)."""
    return str(babel_dates.get_month_names("wide", locale=locale(lang))[month])


def fmt_date(day: dt.date | pd.Timestamp, lang: str) -> str:
    """``15 August 2023`` / ``15 أغسطس 2023``."""
    return text("date.day", lang, day=day.day, month=month_name(day.month, lang), year=day.year)


def date_span(start: Any, end: Any) -> str:
    """``one`` day, ``two`` consecutive days of one month, or a ``range``: sentences differ by span."""
    if is_missing(end) or end == start:
        return "one"
    if (start.year, start.month) == (end.year, end.month) and (end - start).days == 1:
        return "two"
    return "range"


def fmt_date_range(start: Any, end: Any, lang: str) -> str:
    """``15 August 2023``, ``23–24 May 2013`` or ``30 April – 2 May 2019``; Arabic ``26 و27 أبريل 2017``."""
    if is_missing(start):
        return ""
    span = date_span(start, end)
    if span == "one":
        return fmt_date(start, lang)
    if span == "two":
        return text(
            "date.two_days", lang, day1=start.day, day2=end.day, month=month_name(start.month, lang), year=start.year
        )
    if (start.year, start.month) == (end.year, end.month):
        return text(
            "date.same_month", lang, day1=start.day, day2=end.day, month=month_name(start.month, lang), year=start.year
        )
    return text("date.range", lang, start=fmt_date(start, lang), end=fmt_date(end, lang))


def text_list(key: str, lang: str) -> list[str]:
    """A catalogue entry that is a list (e.g. ``meta.ordinals``)."""
    return [str(item) for item in catalogue(lang)[key]]


def ordinal(n: int, lang: str) -> str:
    """``eleventh``; the number itself beyond the catalogue's list."""
    words = text_list("meta.ordinals", lang)
    return words[int(n) - 1] if 1 <= int(n) <= len(words) else str(fmt_int(n, lang))


class Citations:
    """Numbers sources in order of first citation and renders footnote marks that link to the list."""

    def __init__(self) -> None:
        self.order: dict[str, int] = {}

    def mark(self, source_ids: Iterable[str]) -> Markup:
        """Superscript links like ``[3, 4]`` for ``source_ids``, numbering new ones."""
        numbers = []
        for source_id in source_ids:
            if source_id not in self.order:
                self.order[source_id] = len(self.order) + 1
            numbers.append(self.order[source_id])
        if not numbers:
            return Markup("")
        link = Markup('<a href="#src-{0}" class="cite">{0}</a>')
        parts = []
        for first, last in _runs(sorted(set(numbers))):
            if last == first:
                parts.append(link.format(first))
            elif last == first + 1:
                parts.append(link.format(first) + Markup(",") + link.format(last))
            else:
                parts.append(link.format(first) + Markup("–") + link.format(last))
        # dir="ltr": the bracketed numbers keep their order inside right-to-left prose.
        return Markup('<sup dir="ltr">[{}]</sup>').format(Markup(",").join(parts))

    def numbered(self) -> list[tuple[int, str]]:
        """``(number, source_id)`` pairs in citation order."""
        return sorted((n, s) for s, n in self.order.items())


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of sorted numbers: [1, 2, 3, 7] -> [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs
