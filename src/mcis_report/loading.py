"""Reading the data files (data layer): CSV and YAML text into raw tables, never raising on bad input.

Every problem found while reading is returned as a :class:`Problem` that names the file, the line a
person sees in an editor, and the column, so that a broken file gives a list of precise messages
instead of a traceback.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
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


#: Characters no data field may hold: C0 controls other than tab and newline (a carriage return only as part
#: of CRLF), and the bidi embeddings, overrides and isolates, which would reorder the text around the value on
#: the page. ZWNJ/ZWJ and LRM/RLM stay allowed: Arabic and Persian text uses them.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")
#: Nesting of YAML collections the codebook needs (sections → entries → lexicon → languages → terms), with room.
MAX_YAML_DEPTH = 8
#: Largest CSV field accepted (characters); far beyond any paraphrase, small enough to keep the reader sane.
MAX_FIELD_SIZE = 1 << 20


def forbidden_character(value: str) -> str | None:
    """A description of the first character of ``value`` that no data field may hold, or ``None``."""
    match = FORBIDDEN_CHARACTERS.search(value)
    if match is None:
        return None
    char = match.group()[0]
    name = unicodedata.name(char, "control character")
    return f"contains the invisible character U+{ord(char):04X} ({name}) at position {match.start() + 1}; remove it"


def _decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.start + 1].hex()
        return None, [Problem(file, line, None, f"not valid UTF-8 (byte 0x{bad}); save the file with UTF-8 encoding")]


def _read_text(data_dir: Path, file: str) -> tuple[str | None, list[Problem]]:
    """The text of ``file``, or ``None`` with the problem when it is missing or not UTF-8."""
    path = data_dir / file
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(file, None, None, f"file not found in {data_dir}")]
    except IsADirectoryError:
        return None, [Problem(file, None, None, "is a folder, expected a file")]
    except OSError as exc:
        return None, [Problem(file, None, None, f"cannot read the file: {exc.strerror or exc}")]
    return _decode(raw, file)


def read_csv_table(data_dir: Path, table: Table) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read ``table.file`` from ``data_dir`` as strings.

    Returns a DataFrame of stripped strings indexed by the line on which each record starts (so a
    validator can report editor line numbers), or ``None`` when the file cannot be used at all.
    Missing values are empty strings at this stage. An optional table whose file is absent is read
    as an empty table.
    """
    file = table.file
    if table.optional and not (data_dir / file).exists():
        return empty_table(table), []
    text, problems = _read_text(data_dir, file)
    if text is None:
        return None, problems
    if not text.strip():
        columns = ",".join(table.column_names)
        return None, [Problem(file, None, None, f"file is empty; expected a header row: {columns}")]

    records: list[tuple[int, list[str]]] = []
    start_line = 1
    # The csv module's own field limit (128 KiB, process-wide) would stop at a long field with a message about
    # quotes; lift it while reading this file and name a too-long field by row and column below instead.
    previous_limit = csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        for fields in reader:
            if fields and any(f.strip() for f in fields):
                records.append((start_line, fields))
            start_line = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(file, start_line, None, f"cannot parse CSV: {exc} (check the quotes)"))
        return None, problems
    finally:
        csv.field_size_limit(previous_limit)

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
            problems.append(Problem(file, line, None, f"row has {len(fields)} fields, the header has {len(header)}"))
            continue
        rows[line] = [f.strip() for f in fields]
        for name, value in zip(header, rows[line], strict=True):
            reason = forbidden_character(value)
            if len(value) > MAX_FIELD_SIZE:
                reason = f"field is {len(value):,} characters long; the limit is {MAX_FIELD_SIZE:,}"
            if reason:
                problems.append(Problem(file, line, name, reason))
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=header, dtype=object)
    if frame.empty:
        frame = pd.DataFrame(columns=header, dtype=object)
    frame = frame[expected]
    frame.index.name = "line"
    return frame, problems


def empty_table(table: Table) -> pd.DataFrame:
    """A raw table with ``table``'s columns and no rows, as :func:`read_csv_table` returns it."""
    frame = pd.DataFrame(columns=table.column_names, dtype=object)
    frame.index.name = "line"
    return frame


class _LineLoader(yaml.SafeLoader):
    """Safe YAML loader that records the line of every mapping under the key ``__line__``.

    A key given twice is collected in ``duplicates`` (line, key) instead of silently keeping the last value.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[int, str]] = []


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, str | int | float | bool) or key is None:
            if key in seen:
                loader.duplicates.append((key_node.start_mark.line + 1, str(key)))
            seen.add(key)
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


def _yaml_structure_problems(text: str, file: str) -> list[Problem]:
    """Anchors, aliases, tags, nesting deeper than :data:`MAX_YAML_DEPTH` and forbidden characters.

    Read from the event stream, which is not recursive and never expands an alias, so a hostile file is
    refused before anything is built from it.
    """
    problems: list[Problem] = []
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, yaml.AliasEvent):
            problems.append(
                Problem(file, line, None, f"alias *{event.anchor} is not allowed (plain YAML: no anchors or aliases)")
            )
            continue
        anchor, tag = getattr(event, "anchor", None), getattr(event, "tag", None)
        if anchor is not None:
            problems.append(
                Problem(file, line, None, f"anchor &{anchor} is not allowed (plain YAML: no anchors or aliases)")
            )
        if tag is not None and not isinstance(event, yaml.DocumentStartEvent):
            problems.append(Problem(file, line, None, f"tag {tag} is not allowed (plain YAML: no tags)"))
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                return [
                    *problems,
                    Problem(
                        file, line, None, f"nested more than {MAX_YAML_DEPTH} levels deep; the codebook needs at most 5"
                    ),
                ]
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent):
            reason = forbidden_character(event.value)
            if reason:
                problems.append(Problem(file, line, None, reason))
    return problems


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(data_dir: Path, file: str) -> tuple[dict | None, list[Problem]]:
    """Load a YAML mapping safely; mappings carry their line number under ``__line__``."""
    text, problems = _read_text(data_dir, file)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [Problem(file, None, None, "file is empty")]
    try:
        problems = _yaml_structure_problems(text, file)
        if problems:
            return None, problems
        loader = _LineLoader(text)
        try:
            document = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(file, line, None, f"invalid YAML: {reason}")]
    if loader.duplicates:
        return None, [
            Problem(file, line, key, f"key {key!r} appears twice in the same mapping")
            for line, key in loader.duplicates
        ]
    if not isinstance(document, dict):
        return None, [Problem(file, 1, None, "expected a mapping of sections at the top level")]
    return document, []
