"""Spreadsheet-safe CSV cells (data layer): the rule that keeps a cell from being read as a formula.

Kept free of imports beyond the standard library: the build applies it to every derived table while a
rebuild with nothing to do must not load pandas or matplotlib.
"""

from __future__ import annotations

import re

#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise_cell(value: str) -> str:
    """A CSV cell safe to open in a spreadsheet: one beginning with ``= + - @``, tab or CR gets a leading ``'``.

    Numbers (``-3``, ``+1.5e3``) stay as they are: a spreadsheet reads them as numbers, not formulas.
    """
    if value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
