"""A report folder's own files (data layer, standard library only): its list and spreadsheet-safe cells.

The list of a report's files (``artifacts.json``) and the rule that keeps a CSV cell from being read as a
formula, kept free of imports beyond the standard library: the build reads the one and applies the other
to every report it commits, and must not load pandas or matplotlib for that (a build with nothing to
execute would pay a second for them).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

#: The list of files a report wrote beside its page.
MANIFEST = "artifacts.json"
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


def read_manifest(report_dir: Path) -> list[str] | None:
    """The files listed in a report folder's ``artifacts.json``, or ``None`` when it is missing or malformed."""
    try:
        listed = json.loads((Path(report_dir) / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(listed, list) or not all(isinstance(f, str) for f in listed):
        return None
    return listed
