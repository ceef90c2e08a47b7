"""Reading the data files (data layer): CSV and YAML text into raw tables, never raising on bad input.

Every problem found while reading is returned as a :class:`Problem` that names the file, the line a
person sees in an editor, and the column, so that a broken file gives a list of precise messages
instead of a traceback.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from .tables import Table


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the data: file, line (1 = header), column and what is wrong."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        row = "-" if self.row is None else str(self.row)
        column = self.column or "-"
        return f"{self.file}:{row}:{column}: {self.message}"


def _decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.start + 1].hex()
        return None, [
            Problem(file, line, None, f"not valid UTF-8 (byte 0x{bad}); save the file with UTF-8 encoding")
        ]


def _read_text(data_dir: Path, file: str) -> tuple[str | None, list[Problem]]:
    """The text of ``file``, or ``None`` with the problem when it is missing or not UTF-8."""
    path = data_dir / file
    if not path.is_file():
        return None, [Problem(file, None, None, f"file not found in {data_dir}")]
    return _decode(path.read_bytes(), file)


def read_csv_table(data_dir: Path, table: Table) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read ``table.file`` from ``data_dir`` as strings.

    Returns a DataFrame of stripped strings indexed by the line on which each record starts (so a
    validator can report editor line numbers), or ``None`` when the file cannot be used at all.
    Missing values are empty strings at this stage.
    """
    file = table.file
    text, problems = _read_text(data_dir, file)
    if text is None:
        return None, problems
    if not text.strip():
        expected = ",".join(table.column_names)
        return None, [Problem(file, None, None, f"file is empty; expected a header row: {expected}")]

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    start_line = 1
    try:
        for fields in reader:
            if fields and any(f.strip() for f in fields):
                records.append((start_line, fields))
            start_line = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(file, start_line, None, f"cannot parse CSV: {exc} (check the quotes)"))
        return None, problems

    if not records:
        return None, [Problem(file, None, None, "file has no header row")]
    header_line, header = records[0]
    header = [h.strip() for h in header]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(Problem(file, header_line, name, "column appears twice in the header"))
        seen.add(name)
    expected = table.column_names
    for name in expected:
        if name not in seen:
            problems.append(Problem(file, header_line, name, "missing column"))
    for name in header:
        if name not in expected:
            allowed = ", ".join(expected)
            problems.append(Problem(file, header_line, name, f"unexpected column (allowed: {allowed})"))
    if problems:
        return None, problems

    rows: dict[int, list[str]] = {}
    for line, fields in records[1:]:
        if len(fields) != len(header):
            problems.append(
                Problem(file, line, None, f"row has {len(fields)} fields, the header has {len(header)}")
            )
            continue
        rows[line] = [f.strip() for f in fields]
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=header, dtype=object)
    if frame.empty:
        frame = pd.DataFrame(columns=header, dtype=object)
    frame = frame[expected]
    frame.index.name = "line"
    return frame, problems


class _LineLoader(yaml.SafeLoader):
    """Safe YAML loader that records the line of every mapping under the key ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(data_dir: Path, file: str) -> tuple[dict | None, list[Problem]]:
    """Load a YAML mapping safely; mappings carry their line number under ``__line__``."""
    text, problems = _read_text(data_dir, file)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [Problem(file, None, None, "file is empty")]
    try:
        document = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(file, line, None, f"invalid YAML: {reason}")]
    if not isinstance(document, dict):
        return None, [Problem(file, 1, None, "expected a mapping of sections at the top level")]
    return document, []
