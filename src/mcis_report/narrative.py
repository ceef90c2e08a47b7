"""Narrative helpers (presentation layer): numbers, dates, lists and sentences in the report's language.

Every value that comes from the data is HTML-escaped here; catalogue templates are ours and trusted.
Already-built HTML travels as :class:`Html` so it is never escaped twice.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable

import pandas as pd

from .i18n import catalogue, text


class Html(str):
    """A string that is already safe HTML."""

    __slots__ = ()


def esc(value: object) -> Html:
    """HTML-escape a value from the data (``Html`` passes through unchanged)."""
    if isinstance(value, Html):
        return value
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return Html("")
    return Html(html.escape(str(value), quote=True))


#: Template fields that hold years: printed as they are, never with thousands separators.
YEAR_FIELDS = frozenset({"year", "previous", "first", "last", "break_year"})


_LATIN = re.compile("[A-Za-z]")


def is_rtl(lang: str) -> bool:
    return text("meta.dir", lang) == "rtl"


def isolate(value: object, lang: str) -> Html:
    """Escaped value; in a right-to-left report, Latin text is bidi-isolated so it keeps its own order."""
    safe = esc(value)
    if not isinstance(value, Html) and is_rtl(lang) and _LATIN.search(safe):
        return Html(f"<bdi>{safe}</bdi>")
    return safe


def sentence(key: str, lang: str, count: int | None = None, **values: object) -> Html:
    """Catalogue template ``key`` with every value escaped (counts formatted, years left as they are)."""
    safe = {k: (fmt_int(v, lang) if isinstance(v, int) and not isinstance(v, bool) and k not in YEAR_FIELDS
                else isolate(v, lang))
            for k, v in values.items()}
    if count is not None and "n" not in safe:
        safe["n"] = fmt_int(count, lang)
    return Html(text(key, lang, count=count, **safe))


def fmt_int(n: int, lang: str) -> str:
    """Whole number with the language's thousands separator, in Western digits (0-9) in every language."""
    return f"{int(n):,}".replace(",", text("format.thousands", lang))


def fmt_percent(share: float, lang: str) -> str:
    return text("format.percent", lang, n=str(round(100 * share)))


def count_phrase(n: int, noun: str, lang: str) -> Html:
    """``n`` with its noun in the right number: ``1 country``, ``76 countries``; Arabic ``دولتان``."""
    return Html(text(f"nouns.{noun}", lang, count=int(n), n=fmt_int(n, lang)))


def qualified(value: int, qualifier: str, lang: str) -> Html:
    """``800`` / ``about 800`` / ``more than 800``."""
    return Html(text(f"qualifier.{qualifier}", lang, value=fmt_int(value, lang)))


def qualified_count(value: int, qualifier: str, noun: str, lang: str) -> Html:
    """``more than 800 delegates``: a qualified number with its noun."""
    return Html(text(f"qualifier.{qualifier}", lang, value=count_phrase(value, noun, lang)))


def fmt_list(items: Iterable[object], lang: str) -> Html:
    """Join escaped items: ``a``, ``a and b``, ``a, b, and c``."""
    parts = [isolate(i, lang) for i in items]
    if not parts:
        return Html(text("list.none", lang))
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        return Html(text("list.pair", lang, a=parts[0], b=parts[1]))
    sep, last = text("list.separator", lang), text("list.last", lang)
    return Html(sep.join(parts[:-1]) + last + parts[-1])


def fmt_date(day: dt.date | pd.Timestamp, lang: str) -> str:
    months = text_list("date.months", lang)
    return text("date.day", lang, day=day.day, month=months[day.month - 1], year=day.year)


def fmt_date_range(start, end, lang: str) -> str:
    """``15 August 2023``, ``23–24 May 2013`` or ``30 April – 2 May 2019``."""
    if start is None or pd.isna(start):
        return ""
    if end is None or pd.isna(end) or end == start:
        return fmt_date(start, lang)
    if (start.year, start.month) == (end.year, end.month):
        months = text_list("date.months", lang)
        return text("date.same_month", lang, day1=start.day, day2=end.day,
                    month=months[start.month - 1], year=start.year)
    return text("date.range", lang, start=fmt_date(start, lang), end=fmt_date(end, lang))


def text_list(key: str, lang: str) -> list[str]:
    return list(catalogue(lang)[key])


def ordinal(n: int, lang: str) -> str:
    """``eleventh``; the number itself beyond the catalogue's list."""
    words = text_list("meta.ordinals", lang)
    return words[int(n) - 1] if 1 <= int(n) <= len(words) else fmt_int(n, lang)


class Citations:
    """Numbers sources in order of first citation and renders footnote marks that link to the list."""

    def __init__(self) -> None:
        self.order: dict[str, int] = {}

    def mark(self, source_ids: Iterable[str]) -> Html:
        """Superscript links like ``[3, 4]`` for ``source_ids``, numbering new ones."""
        numbers = []
        for source_id in source_ids:
            if source_id not in self.order:
                self.order[source_id] = len(self.order) + 1
            numbers.append(self.order[source_id])
        if not numbers:
            return Html("")
        parts = []
        for first, last in _runs(sorted(set(numbers))):
            link = f'<a href="#src-{first}" class="cite">{first}</a>'
            if last == first:
                parts.append(link)
            elif last == first + 1:
                parts.append(f'{link},<a href="#src-{last}" class="cite">{last}</a>')
            else:
                parts.append(f'{link}–<a href="#src-{last}" class="cite">{last}</a>')
        # dir="ltr": the bracketed numbers keep their order inside right-to-left prose.
        return Html(f'<sup dir="ltr">[{",".join(parts)}]</sup>')

    def numbered(self) -> list[tuple[int, str]]:
        return sorted(((n, s) for s, n in self.order.items()))


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of sorted numbers: [1, 2, 3, 7] -> [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs
