"""Documents to code, streamed from folders and files of UTF-8 text or from a CSV column.

Every problem with an input (missing path, binary or non-UTF-8 file, empty file or cell, missing
column) is yielded as a :class:`~mcis_report.loading.Problem` in place of the document, so that the
caller reports it in one line and goes on with the other inputs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..loading import Problem


@dataclass(frozen=True)
class Document:
    """One text to code: its id (a path, or ``file.csv:ROW``), the text and its size in bytes."""

    id: str
    text: str
    size: int


def read_text_file(path: str | Path, name: str | None = None) -> Document | Problem:
    """A UTF-8 text file as a :class:`Document`, or the :class:`Problem` that stops it being read."""
    path = Path(path)
    name = name or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Problem(name, None, None, f"cannot read the file ({exc.strerror or exc})")
    if b"\x00" in raw:
        return Problem(name, None, None, "binary file (it contains NUL bytes), not UTF-8 text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Problem(
            name,
            line,
            None,
            f"not UTF-8 text (byte 0x{raw[exc.start : exc.start + 1].hex()}); save it with UTF-8 encoding",
        )
    if not text.strip():
        return Problem(name, None, None, "empty file")
    return Document(name, text, len(raw))


def _csv_documents(path: Path, column: str) -> Iterator[Document | Problem]:
    name = str(path)
    # Speeches can be longer than the csv module's default field limit of 128 KiB.
    csv.field_size_limit(1 << 30)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Problem(name, None, None, f"cannot read the file ({exc.strerror or exc})")
        return
    with handle:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        line = 1
        try:
            header = next(reader, None)
            if header is None:
                yield Problem(name, None, None, "empty file")
                return
            if column not in header:
                yield Problem(
                    name,
                    1,
                    column,
                    f"no column {column!r} (columns: {', '.join(header)}); name the text column with --text-column",
                )
                return
            position = header.index(column)
            line = reader.line_num + 1
            for record in reader:
                value = record[position] if position < len(record) else ""
                if value.strip():
                    yield Document(f"{name}:{line}", value, len(value.encode("utf-8")))
                else:
                    yield Problem(name, line, column, "empty text")
                line = reader.line_num + 1
        except UnicodeDecodeError as exc:
            yield Problem(name, line, None, f"not UTF-8 text ({exc.reason}); save it with UTF-8 encoding")
        except csv.Error as exc:
            yield Problem(name, line, None, f"not a readable CSV file ({exc})")


def iter_documents(paths: Iterable[str | Path], text_column: str = "text") -> Iterator[Document | Problem]:
    """Stream documents from ``paths``.

    Folders (every ``*.txt`` below them, in sorted order), text files, and CSV files (``*.csv``, one
    document per row, the text in ``text_column``).

    Yields a :class:`Document` per text and a :class:`~mcis_report.loading.Problem` per input that
    cannot be used; only one document is held in memory at a time.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            try:
                files = sorted(p for p in path.rglob("*.txt") if p.is_file())
            except OSError as exc:
                yield Problem(str(path), None, None, f"cannot list the folder ({exc.strerror or exc})")
                continue
            if not files:
                yield Problem(str(path), None, None, "folder has no .txt files")
            for file in files:
                yield read_text_file(file)
        elif not path.exists():
            yield Problem(str(path), None, None, "no such file or folder")
        elif path.suffix.lower() == ".csv":
            yield from _csv_documents(path, text_column)
        else:
            yield read_text_file(path)
