"""Files a report writes beside its page (presentation layer): figures and derived tables, listed.

Every file goes through :class:`Artifacts`, which keeps the list of what it wrote; the list is saved as
``artifacts.json`` in the report folder, and the build commits and fingerprints exactly those files.
"""

from __future__ import annotations

import io
import json
from pathlib import Path, PurePosixPath

import pandas as pd

from ..reportfiles import FORMULA_STARTS, MANIFEST, neutralise_cell, read_manifest

__all__ = ["FORMULA_STARTS", "MANIFEST", "Artifacts", "neutralise_cell", "read_manifest", "spreadsheet_safe"]


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells pass through :func:`neutralise_cell` (numbers are left alone)."""

    def neutralise(value: object) -> object:
        return neutralise_cell(value) if isinstance(value, str) else value

    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object:
            safe[column] = safe[column].map(neutralise)
    if safe.index.dtype == object:
        safe.index = safe.index.map(neutralise)
    return safe


class Artifacts:
    """Writes a report's files under ``root`` and remembers each one (as a path relative to ``root``)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.files: list[str] = []

    def _path(self, relative: str) -> Path:
        name = PurePosixPath(relative)
        if name.is_absolute() or ".." in name.parts or relative in self.files:
            raise ValueError(f"artifact name {relative!r} is not a new plain path inside the report folder")
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        self.files.append(relative)
        return path

    def write_bytes(self, relative: str, data: bytes) -> None:
        """Write ``data`` to ``root/relative``."""
        self._path(relative).write_bytes(data)

    def write_csv(self, relative: str, frame: pd.DataFrame, *, index: bool = False) -> None:
        """Write ``frame`` as UTF-8 CSV, safe to open in a spreadsheet; lists are joined with ``;``."""
        flat = frame.map(lambda v: ";".join(map(str, v)) if isinstance(v, list | tuple) else v)
        buffer = io.StringIO()
        spreadsheet_safe(flat).to_csv(buffer, index=index, lineterminator="\n")
        self._path(relative).write_text(buffer.getvalue(), encoding="utf-8")

    def save_manifest(self) -> Path:
        """Write ``artifacts.json``: the sorted list of files this report wrote."""
        path = self.root / MANIFEST
        path.write_text(json.dumps({"files": sorted(self.files)}, indent=1) + "\n", encoding="utf-8")
        return path
