"""The validated dataset (data layer): ``load_dataset`` and the :class:`Dataset` it returns."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from .loading import Problem, read_csv_table, read_yaml
from .tables import CODEBOOK_FILE, CODEBOOK_SECTIONS, DATA_FILES, TABLES, Table
from .validation import (
    codebook_lookups,
    cross_table_problems,
    key_values,
    sorted_problems,
    split_list,
    validate_codebook,
    validate_table,
)


class DataValidationError(ValueError):
    """Raised by :func:`load_dataset` when the data has problems.

    Attributes
    ----------
    problems : list of Problem
        Every problem found, each with file, row, column and message (``str(problem)`` gives
        ``FILE:ROW:COLUMN: message``).
    """

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(str(p) for p in problems[:50])
        more = f"\n... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the data:\n{lines}{more}")


@dataclass
class Dataset:
    """Every table of a forum's dataset (MCIS's or another's in the same schema) as validated DataFrames.

    Returned by :func:`load_dataset` and :func:`check_dataset`; not meant to be built by hand. List
    columns (``source_ids``, ``frames``, ``targets``, ...) hold tuples of ids; whole-number columns are
    nullable ``Int64``; dates are ``datetime64``. Codebook sections are DataFrames too (``frames``,
    ``targets``, ``claim_regions``, ``world_regions``, ``organisations``, ``article_points``);
    ``countries`` has ``name_en`` from pycountry beside the file's columns. The columns of every file
    are described in ``data/README.md`` and declared in :mod:`mcis_report.tables`.

    Attributes
    ----------
    path : pathlib.Path
        The data folder it was read from.
    sources, editions, figures, countries, memberships : pandas.DataFrame
        One per CSV file, same name; a file with a header only gives an empty table.
    delegations, statements, claims, article_checks, articles : pandas.DataFrame
        Likewise.
    expert_readings : pandas.DataFrame
        The published expert analyses of each edition compared with the codes (``expert_readings.csv``);
        the file is optional, and a folder without it gives an empty table with the same columns.
    frames, targets, claim_regions, world_regions, organisations, article_points : pandas.DataFrame
        The codebook's sections, one row per entry.
    codebook : dict
        ``codebook.yaml`` as read.

    Examples
    --------
    >>> import mcis_report
    >>> ds = mcis_report.load_dataset("data")  # doctest: +SKIP
    >>> ds.years[:3]  # doctest: +SKIP
    [2012, 2013, 2014]
    >>> ds.claims[["claim_id", "frames"]].head(2)  # doctest: +SKIP
    """

    path: Path
    sources: pd.DataFrame
    editions: pd.DataFrame
    figures: pd.DataFrame
    countries: pd.DataFrame
    memberships: pd.DataFrame
    delegations: pd.DataFrame
    statements: pd.DataFrame
    claims: pd.DataFrame
    article_checks: pd.DataFrame
    articles: pd.DataFrame
    expert_readings: pd.DataFrame
    frames: pd.DataFrame
    targets: pd.DataFrame
    claim_regions: pd.DataFrame
    world_regions: pd.DataFrame
    organisations: pd.DataFrame
    article_points: pd.DataFrame
    codebook: dict = field(repr=False, default_factory=dict)

    @property
    def years(self) -> list[int]:
        """Years of the editions that were held, in order."""
        held = self.editions[self.editions["status"] == "held"]
        return [int(y) for y in held["year"]]

    def copy(self) -> Dataset:
        """A copy whose tables can be changed without touching this one."""
        frames = {name: value.copy() for name, value in vars(self).items() if isinstance(value, pd.DataFrame)}
        return Dataset(path=self.path, codebook=copy.deepcopy(self.codebook), **frames)

    def summary(self) -> dict[str, int]:
        """Row count of every table, in file order."""
        counts = {t.name: len(getattr(self, t.name)) for t in TABLES}
        counts["frames"] = len(self.frames)
        return counts


@cache
def english_country_name(alpha3: str) -> str:
    """Short English name of a country from pycountry (common name where it has one)."""
    import pycountry

    country = pycountry.countries.get(alpha_3=alpha3)
    if country is None:
        return alpha3
    return getattr(country, "common_name", None) or country.name


def _finish(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """Typed, analyst-friendly frame: tuples for list columns, dates, booleans, a plain index."""
    frame = frame.copy()
    for column in table.columns:
        values = frame[column.name]
        if column.kind == "list":
            frame[column.name] = values.map(lambda v: tuple(split_list(v)))
        elif column.kind == "date":
            frame[column.name] = pd.to_datetime(values, format="%Y-%m-%d")
        elif column.kind == "bool":
            frame[column.name] = values.astype(str).str.lower().isin({"true", "yes", "1"})
        elif column.kind != "int":
            frame[column.name] = values.astype("string")
    return frame.reset_index(drop=True)


def _codebook_frame(codebook: dict, section: str) -> pd.DataFrame:
    rows = [{k: v for k, v in e.items() if k != "__line__"} for e in codebook.get(section, [])]
    return pd.DataFrame(rows)


def check_dataset(path: str | Path = "data") -> tuple[Dataset | None, list[Problem]]:
    """Read and validate every file in ``path``, without raising.

    Parameters
    ----------
    path : str or Path, default "data"
        The data folder (``codebook.yaml`` and the CSV files listed in ``tables.DATA_FILES``).

    Returns
    -------
    dataset : Dataset or None
        The validated dataset, or ``None`` when there is any problem.
    problems : list of Problem
        Every problem found, sorted by file and row; empty when the data is valid.

    Examples
    --------
    >>> import mcis_report
    >>> ds, problems = mcis_report.check_dataset("examples/minsk_data")  # doctest: +SKIP
    >>> problems  # doctest: +SKIP
    []
    >>> for problem in mcis_report.check_dataset("no-such-folder")[1]:
    ...     print(problem)
    no-such-folder:-:-: data folder not found
    """
    data_dir = Path(path)
    problems: list[Problem] = []
    if not data_dir.is_dir():
        return None, [Problem(str(data_dir), None, None, "data folder not found")]
    codebook, found = read_yaml(data_dir, CODEBOOK_FILE)
    problems += found
    if codebook is not None:
        problems += validate_codebook(codebook)
    lookups = codebook_lookups(codebook) if codebook is not None else {}

    raw: dict[str, pd.DataFrame | None] = {}
    for table in TABLES:
        frame, found = read_csv_table(data_dir, table)
        problems += found
        raw[table.name] = frame
        if frame is not None and table.key:
            lookups[f"{table.name}.{table.key}"] = key_values(frame, table.key)

    typed: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        frame = raw[table.name]
        if frame is None:
            continue
        typed[table.name], found = validate_table(table, frame, lookups)
        problems += found
    problems += cross_table_problems(typed)

    if problems or codebook is None or len(typed) != len(TABLES):
        return None, sorted_problems(problems)
    tables = {t.name: _finish(t, typed[t.name]) for t in TABLES}
    tables["countries"].insert(1, "name_en", tables["countries"]["alpha3"].map(english_country_name))
    sections = {s: _codebook_frame(codebook, s) for s in CODEBOOK_SECTIONS}
    return Dataset(path=data_dir, codebook=codebook, **tables, **sections), []


_LOADED: dict[tuple, Dataset] = {}


def _files_state(data_dir: Path) -> tuple:
    """Name, size and modification time of every data file: changes whenever a file is edited."""
    state: list[tuple[str, int | None, int | None]] = []
    for name in DATA_FILES:
        try:
            stat = (data_dir / name).stat()
        except OSError:
            state.append((name, None, None))
        else:
            state.append((name, stat.st_size, stat.st_mtime_ns))
    return (str(data_dir.resolve()), tuple(state))


def load_dataset(path: str | Path = "data") -> Dataset:
    """Load and validate the dataset in ``path``.

    A dataset already loaded from unchanged files is not validated again; each call returns its own
    copy, so changing it never affects the next caller.

    Parameters
    ----------
    path : str or Path, default "data"
        The data folder.

    Returns
    -------
    Dataset

    Raises
    ------
    DataValidationError
        When the data is not valid; ``.problems`` lists every problem (file, line, column, message).

    Examples
    --------
    >>> import mcis_report
    >>> ds = mcis_report.load_dataset("data")  # doctest: +SKIP
    >>> ds.summary()["claims"] > 0  # doctest: +SKIP
    True
    >>> mcis_report.load_dataset("no-such-folder")
    Traceback (most recent call last):
    ...
    mcis_report.dataset.DataValidationError: 1 problem(s) in the data:
    no-such-folder:-:-: data folder not found
    """
    key = _files_state(Path(path))
    if key not in _LOADED:
        dataset, problems = check_dataset(path)
        if dataset is None:
            raise DataValidationError(problems)
        _LOADED.clear()  # keep only the latest data
        _LOADED[key] = dataset
    return _LOADED[key].copy()
