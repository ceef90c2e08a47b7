"""Validation of the whole dataset (data layer): pandera schemas per table plus cross-table rules.

All problems are collected (pandera's lazy mode), translated into ``FILE:ROW:COLUMN: message`` lines
with editor line numbers, and returned together; nothing stops at the first error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import cache

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from .loading import Problem
from .tables import (
    CODEBOOK_FILE,
    CODEBOOK_SECTIONS,
    LEXICON_LANGUAGES,
    OPTIONAL_CODEBOOK_SECTIONS,
    READING_SOURCE_KINDS,
    Column,
    Table,
)

LIST_SEPARATOR = ";"
_URL = re.compile(r"^https?://\S+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PDATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_TRUE, _FALSE = {"true", "yes", "1"}, {"false", "no", "0"}
_LABELS = ("id", "label_en", "label_ar")
#: Keys an entry of each codebook section may have.
CODEBOOK_ENTRY_KEYS = {
    "frames": (*_LABELS, "definition_en", "definition_ar", "lexicon"),
    "targets": _LABELS,
    "claim_regions": _LABELS,
    "world_regions": _LABELS,
    "organisations": (*_LABELS, "bloc"),
    "article_points": (*_LABELS, "section"),
}
#: Keys a ``groups`` entry may have, by its ``kind``, and which of them are required.
GROUP_KEYS = {
    "states": (
        ("id", "kind", "label_en", "label_ar"),
        ("organisations", "include", "exclude", "countries", "rule_en", "rule_ar"),
    ),
    "speakers": (("id", "kind", "label_en", "label_ar"), ("countries", "regions")),
    "claim_regions": (("id", "kind", "parent", "members"), ()),
    "targets": (("id", "kind", "countries"), ()),  # countries: target id -> the country it names
}
_ALPHA3 = re.compile(r"^[A-Z]{3}$")


def split_list(value: object) -> list[str]:
    """Split a ``;``-separated cell into stripped, non-empty items."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return []
    return [item.strip() for item in str(value).split(LIST_SEPARATOR) if item.strip()]


@cache
def _alpha3_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries)


@cache
def _language_codes() -> frozenset[str]:
    import pycountry

    return frozenset(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))


def _is_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_pdate(value: str) -> bool:
    if not _PDATE.match(value):
        return False
    parts = value.split("-")
    year, month, day = parts[0], (parts[1:2] or ["1"])[0], (parts[2:3] or ["1"])[0]
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


# --- per-column checks ---------------------------------------------------------------------------
# Each check carries a message template; ``{value}`` is filled with the offending cell.


def _element_check(fn, message: str) -> pa.Check:
    return pa.Check(lambda v: fn(v), element_wise=True, error=message, ignore_na=True)


def _column_checks(column: Column, lookups: dict[str, frozenset[str]]) -> list[pa.Check]:
    checks: list[pa.Check] = []
    kind = column.kind
    if column.pattern:
        checks.append(
            _element_check(
                lambda v, p=re.compile(column.pattern): bool(p.match(str(v))),
                f"{{value!r}} does not match the id pattern {column.pattern}",
            )
        )
    if kind == "date":
        checks.append(_element_check(lambda v: _is_date(str(v)), "expected a date YYYY-MM-DD, got {value!r}"))
    elif kind == "pdate":
        checks.append(
            _element_check(lambda v: _is_pdate(str(v)), "expected a date YYYY-MM-DD, YYYY-MM or YYYY, got {value!r}")
        )
    elif kind == "url":
        checks.append(_element_check(lambda v: bool(_URL.match(str(v))), "expected an http(s) address, got {value!r}"))
    elif kind == "lang":
        checks.append(
            _element_check(lambda v: str(v) in _language_codes(), "unknown ISO 639-1 language code {value!r}")
        )
    elif kind == "alpha3":
        checks.append(
            _element_check(lambda v: str(v) in _alpha3_codes(), "unknown ISO 3166-1 alpha-3 country code {value!r}")
        )
    elif kind == "bool":
        checks.append(
            _element_check(lambda v: str(v).lower() in _TRUE | _FALSE, "expected true or false, got {value!r}")
        )
    elif kind == "enum":
        allowed = ", ".join(column.choices)
        checks.append(
            _element_check(
                lambda v, c=frozenset(column.choices): str(v) in c, f"{{value!r}} is not allowed (allowed: {allowed})"
            )
        )
    if kind == "int":
        if column.min_value is not None:
            checks.append(
                _element_check(
                    lambda v, m=column.min_value: v >= m, f"{{value}} is below the minimum {column.min_value}"
                )
            )
        if column.max_value is not None:
            checks.append(
                _element_check(
                    lambda v, m=column.max_value: v <= m, f"{{value}} is above the maximum {column.max_value}"
                )
            )
    if kind == "list":
        if column.min_items:
            checks.append(
                _element_check(
                    lambda v, n=column.min_items: len(split_list(v)) >= n,
                    f"needs at least {column.min_items} item(s), got {{value!r}}",
                )
            )
        checks.extend(_item_checks(column, lookups))
    elif column.ref in lookups:  # a table that could not be read is reported once, not per reference
        valid = lookups[column.ref]
        checks.append(
            _element_check(lambda v, s=valid: str(v) in s, f"{{value!r}} not found in {_ref_label(column.ref)}")
        )
    return checks


def _item_checks(column: Column, lookups: dict[str, frozenset[str]]) -> list[pa.Check]:
    if column.ref in lookups:
        valid = lookups[column.ref]
        return [
            _element_check(
                lambda v, s=valid: all(i in s for i in split_list(v)), f"{{bad}} not found in {_ref_label(column.ref)}"
            )
        ]
    return []


def _ref_label(ref: str) -> str:
    table, _, column = ref.partition(".")
    if table == "codebook":
        return f"{CODEBOOK_FILE} {column}"
    return f"{table}.csv {column}"


def _dtype(column: Column):
    return "Int64" if column.kind == "int" else object


def build_schema(table: Table, lookups: dict[str, frozenset[str]]) -> pa.DataFrameSchema:
    """The pandera schema of ``table``; ``lookups`` gives the valid values of every ``ref``."""
    columns = {
        c.name: pa.Column(
            _dtype(c),
            checks=_column_checks(c, lookups),
            nullable=not c.required,
            unique=(c.name == table.key or c.kind == "id"),
            report_duplicates="all",
        )
        for c in table.columns
    }
    return pa.DataFrameSchema(columns, strict=True, name=table.name)


def _message(column: Column | None, check: str, value: object, lookups: dict[str, frozenset[str]]) -> str:
    """Turn one pandera failure case into a sentence a data editor understands."""
    if check == "not_nullable":
        return "required value is missing"
    if hasattr(value, "item"):  # numpy scalar -> plain Python value for a readable repr
        value = value.item()
    if check == "field_uniqueness":
        return f"duplicate value {value!r}: must be unique"
    if column is not None and "{bad}" in check:
        return check.replace("{bad}", _bad_items(value, lookups.get(column.ref or "", frozenset())))
    # Plain replacement, not str.format: messages may contain regex braces such as \d{3}.
    return check.replace("{value!r}", repr(value)).replace("{value}", str(value))


def _bad_items(value: object, valid: frozenset[str]) -> str:
    bad = [i for i in split_list(value) if i not in valid]
    return ", ".join(repr(b) for b in bad) or repr(value)


def validate_table(
    table: Table, frame: pd.DataFrame, lookups: dict[str, frozenset[str]]
) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate one raw table. Returns the typed frame (bad cells left as they were) and problems."""
    frame = frame.replace("", pd.NA)
    problems: list[Problem] = []
    frame = _to_whole_numbers(table, frame, problems)
    flagged = {(p.row, p.column) for p in problems}
    schema = build_schema(table, lookups)
    by_name = {c.name: c for c in table.columns}
    try:
        typed = schema.validate(frame, lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases
        for case in cases.itertuples(index=False):
            column = case.column if isinstance(case.column, str) else None
            line = None if pd.isna(case.index) else int(case.index)
            if (line, column) in flagged:
                continue  # already reported as "not a whole number"
            problems.append(
                Problem(
                    table.file,
                    line,
                    column,
                    _message(by_name.get(str(column)), str(case.check), case.failure_case, lookups),
                )
            )
        typed = frame
    problems.extend(_one_of(table, typed))
    return typed, problems


def _to_whole_numbers(table: Table, frame: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    """Convert whole-number columns to ``Int64``; a cell that is not a number becomes a problem."""
    frame = frame.copy()
    for column in table.columns:
        if column.kind != "int":
            continue
        values = []
        for line, value in frame[column.name].items():
            if pd.isna(value):
                values.append(pd.NA)
            elif re.fullmatch(r"[+-]?\d{1,15}", str(value)):  # 15 digits: far beyond any count, safe in Int64
                values.append(int(value))
            else:
                problems.append(Problem(table.file, int(line), column.name, f"expected a whole number, got {value!r}"))
                values.append(pd.NA)
        frame[column.name] = pd.array(values, dtype="Int64")
    return frame


def _one_of(table: Table, frame: pd.DataFrame) -> list[Problem]:
    pair = table.extra.get("one_of")
    if not pair:
        return []
    first, second = pair
    problems = []
    for line, a, b in zip(frame.index, frame[first], frame[second], strict=True):
        if pd.isna(a) == pd.isna(b):
            which = "both are set" if not pd.isna(a) else "neither is set"
            problems.append(Problem(table.file, int(line), first, f"set exactly one of {first} and {second}; {which}"))
    return problems


# --- codebook --------------------------------------------------------------------------------------


def validate_codebook(codebook: dict) -> list[Problem]:
    """Check the codebook's sections, ids, labels, definitions and lexicons."""
    file = CODEBOOK_FILE
    problems: list[Problem] = []
    known = (*CODEBOOK_SECTIONS, *OPTIONAL_CODEBOOK_SECTIONS)
    for key in codebook:
        if key != "__line__" and key not in known:
            problems.append(Problem(file, None, str(key), f"unknown section (allowed: {', '.join(known)})"))
    if "groups" in codebook:
        problems.extend(_group_problems(codebook))
    for section in CODEBOOK_SECTIONS:
        entries = codebook.get(section)
        if not isinstance(entries, list) or not entries:
            problems.append(Problem(file, None, section, "missing or empty section (expected a list of entries)"))
            continue
        seen: set[str] = set()
        for entry in entries:
            if not isinstance(entry, dict):
                problems.append(Problem(file, None, section, f"entry {entry!r} is not a mapping"))
                continue
            line = entry.get("__line__")
            entry_id = entry.get("id")
            if not isinstance(entry_id, str) or not entry_id.strip():
                problems.append(Problem(file, line, f"{section}.id", "missing id"))
                continue
            if entry_id in seen:
                problems.append(Problem(file, line, f"{section}.id", f"duplicate id {entry_id!r}"))
            seen.add(entry_id)
            allowed = CODEBOOK_ENTRY_KEYS[section]
            for key in entry:
                if key != "__line__" and key not in allowed:
                    problems.append(
                        Problem(
                            file, line, f"{section}.{key}", f"{entry_id}: unknown key (allowed: {', '.join(allowed)})"
                        )
                    )
            required = ["label_en", "label_ar"]
            if section == "frames":
                required += ["definition_en", "definition_ar"]
            for key in required:
                if not isinstance(entry.get(key), str) or not entry[key].strip():
                    problems.append(Problem(file, line, f"{section}.{key}", f"{entry_id}: missing {key}"))
            if section == "frames":
                problems.extend(_lexicon_problems(entry, line))
            if section == "organisations" and not isinstance(entry.get("bloc"), bool):
                problems.append(Problem(file, line, "organisations.bloc", f"{entry_id}: bloc must be true or false"))
    return problems


def _group_problems(codebook: dict) -> list[Problem]:
    """``groups``: each entry of a known kind, with its keys, and references to ids that exist."""
    file, problems = CODEBOOK_FILE, []
    entries = codebook.get("groups")
    if not isinstance(entries, list):
        return [Problem(file, None, "groups", "expected a list of entries")]
    ids = {
        section: {e.get("id") for e in codebook.get(section) or [] if isinstance(e, dict)}
        for section in ("organisations", "world_regions", "claim_regions")
    }
    seen: set[str] = set()
    for entry in entries:
        if not isinstance(entry, dict):
            problems.append(Problem(file, None, "groups", f"entry {entry!r} is not a mapping"))
            continue
        line, group_id, kind = entry.get("__line__"), entry.get("id"), entry.get("kind")
        if kind not in GROUP_KEYS:
            problems.append(
                Problem(file, line, "groups.kind", f"{group_id}: kind must be one of {', '.join(GROUP_KEYS)}")
            )
            continue
        if group_id in seen:
            problems.append(Problem(file, line, "groups.id", f"duplicate id {group_id!r}"))
        seen.add(str(group_id))
        required, optional = GROUP_KEYS[kind]
        for key in entry:
            if key != "__line__" and key not in (*required, *optional):
                problems.append(Problem(file, line, f"groups.{key}", f"{group_id}: unknown key for kind {kind}"))
        for key in required:
            if entry.get(key) in (None, "", []):
                problems.append(Problem(file, line, f"groups.{key}", f"{group_id}: missing {key}"))
        references = {
            "organisations": ids["organisations"],
            "regions": ids["world_regions"],
            "members": ids["claim_regions"],
            "parent": ids["claim_regions"],
        }
        for key, valid in references.items():
            values = entry.get(key)
            for value in values if isinstance(values, list) else [] if values is None else [values]:
                if value not in valid:
                    problems.append(Problem(file, line, f"groups.{key}", f"{group_id}: unknown id {value!r}"))
        if kind == "targets":
            mapping = entry.get("countries")
            target_ids = {e.get("id") for e in codebook.get("targets") or [] if isinstance(e, dict)}
            for target, code in mapping.items() if isinstance(mapping, dict) else []:
                if target == "__line__":
                    continue
                if target not in target_ids:
                    problems.append(Problem(file, line, "groups.countries", f"{group_id}: unknown target {target!r}"))
                if not isinstance(code, str) or not _ALPHA3.match(code):
                    problems.append(
                        Problem(
                            file, line, "groups.countries", f"{group_id}: {code!r} is not an ISO 3166-1 alpha-3 code"
                        )
                    )
            if not isinstance(mapping, dict):
                problems.append(Problem(file, line, "groups.countries", f"{group_id}: expected a mapping"))
            continue
        for key in ("countries", "include", "exclude"):
            for value in entry.get(key) or []:
                if not isinstance(value, str) or not _ALPHA3.match(value):
                    problems.append(
                        Problem(file, line, f"groups.{key}", f"{group_id}: {value!r} is not an ISO 3166-1 alpha-3 code")
                    )
    return problems


def _lexicon_problems(entry: dict, line: int | None) -> list[Problem]:
    lexicon = entry.get("lexicon")
    frame_id = entry.get("id")
    if not isinstance(lexicon, dict):
        return [Problem(CODEBOOK_FILE, line, "frames.lexicon", f"{frame_id}: missing lexicon")]
    problems = [
        Problem(
            CODEBOOK_FILE,
            line,
            f"frames.lexicon.{key}",
            f"{frame_id}: unknown lexicon language (allowed: {', '.join(LEXICON_LANGUAGES)})",
        )
        for key in lexicon
        if key != "__line__" and key not in LEXICON_LANGUAGES
    ]
    for lang in LEXICON_LANGUAGES:
        terms = lexicon.get(lang)
        if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t.strip() for t in terms):
            problems.append(
                Problem(CODEBOOK_FILE, line, f"frames.lexicon.{lang}", f"{frame_id}: needs a non-empty list of terms")
            )
        else:
            problems.extend(_lexicon_term_problems(frame_id, lang, terms, line))
    return problems


def _lexicon_term_problems(frame_id: object, lang: str, terms: list[str], line: int | None) -> list[Problem]:
    """Stems are marked by one ``*`` at the end of a word, after at least three characters."""
    return [
        Problem(
            CODEBOOK_FILE,
            line,
            f"frames.lexicon.{lang}",
            f"{frame_id}: term {term!r}: '*' may only end a word of 3 or more characters (a stem)",
        )
        for term in terms
        if "*" in term and not all(re.fullmatch(r"[^*\s]{3,}\*?", word) or "*" not in word for word in term.split())
    ]


def codebook_lookups(codebook: dict) -> dict[str, frozenset[str]]:
    """The ids of every codebook section, keyed ``codebook.<section>`` as column references name them."""
    lookups = {}
    for section in CODEBOOK_SECTIONS:
        entries = codebook.get(section) or []
        lookups[f"codebook.{section}"] = frozenset(
            e["id"] for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)
        )
    lookups["codebook.blocs"] = frozenset(
        e["id"] for e in codebook.get("organisations") or [] if isinstance(e, dict) and e.get("bloc") is True
    )
    return lookups


# --- cross-table rules ------------------------------------------------------------------------------


def cross_table_problems(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Rules that need more than one column or table."""
    problems: list[Problem] = []
    editions = frames.get("editions")
    if editions is not None:
        problems += _edition_rules(editions)
        years = {int(y): line for line, y in editions["year"].dropna().items()}
        problems += _dates_in_year(frames.get("statements"), "statements.csv", years)
    if frames.get("figures") is not None:
        problems += _one_used_per_metric(frames["figures"])
    if frames.get("statements") is not None and frames.get("delegations") is not None:
        problems += _statement_delegation_year(frames["statements"], frames["delegations"])
    readings = frames.get("expert_readings")
    if readings is not None and editions is not None:
        problems += _readings_of_held_editions(readings, editions)
    if readings is not None and frames.get("sources") is not None:
        problems += _reading_source_kinds(readings, frames["sources"])
    if frames.get("memberships") is not None:
        problems += _membership_years(frames["memberships"])
        problems += _unique_rows(frames["memberships"], "memberships.csv", ("alpha3", "organisation", "joined"))
    return problems


def _edition_rules(editions: pd.DataFrame) -> list[Problem]:
    file = "editions.csv"
    problems = []
    held = editions[editions["status"] == "held"].dropna(subset=["year"]).sort_values("year")
    for expected, (line, row) in enumerate(held.iterrows(), start=1):
        number = row["number"]
        if pd.isna(number):
            problems.append(Problem(file, int(line), "number", "a held edition needs its number"))
        elif int(number) != expected:
            problems.append(
                Problem(
                    file,
                    int(line),
                    "number",
                    f"edition number {int(number)} does not match its year {int(row['year'])}: "
                    f"it is held edition {expected} in year order",
                )
            )
    for line, row in editions.iterrows():
        year = row["year"]
        status = None if pd.isna(row["status"]) else str(row["status"])
        if status == "not_held" and not pd.isna(row["number"]):
            problems.append(Problem(file, int(line), "number", "a year with no conference has no edition number"))
        if status == "held" and pd.isna(row["start_date"]):
            problems.append(Problem(file, int(line), "start_date", "a held edition needs its start date"))
        for column in ("start_date", "end_date"):
            value = row[column]
            if pd.isna(value) or pd.isna(year) or not _is_date(str(value)):
                continue
            if int(str(value)[:4]) != int(year):
                problems.append(Problem(file, int(line), column, f"{value} is not in the edition's year {int(year)}"))
        start, end = row["start_date"], row["end_date"]
        if not pd.isna(start) and not pd.isna(end) and _is_date(str(start)) and _is_date(str(end)) and end < start:
            problems.append(Problem(file, int(line), "end_date", f"end date {end} is before start date {start}"))
        topics_en, topics_ar = split_list(row["topics_en"]), split_list(row["topics_ar"])
        if len(topics_en) != len(topics_ar):
            problems.append(
                Problem(
                    file,
                    int(line),
                    "topics_ar",
                    f"{len(topics_ar)} Arabic topics for {len(topics_en)} English ones: keep the lists parallel",
                )
            )
    return problems


def _dates_in_year(frame: pd.DataFrame | None, file: str, years: dict[int, int]) -> list[Problem]:
    if frame is None:
        return []
    problems = []
    for line, row in frame.iterrows():
        value, year = row.get("date"), row.get("year")
        if pd.isna(value) or pd.isna(year) or not _is_date(str(value)):
            continue
        # Post-event remarks may come weeks later, but still within the edition's year.
        if int(str(value)[:4]) != int(year):
            problems.append(Problem(file, int(line), "date", f"{value} is not in the edition's year {int(year)}"))
    return problems


def _one_used_per_metric(figures: pd.DataFrame) -> list[Problem]:
    problems = []
    used = figures["used"].astype(str).str.lower().isin(_TRUE)
    for (year, metric), group in figures.groupby(["year", "metric"], dropna=True):
        count = int(used.loc[group.index].sum())
        if count != 1:
            line = int(group.index[0])
            problems.append(
                Problem(
                    "figures.csv",
                    line,
                    "used",
                    f"{metric} for {int(year)}: {count} rows marked used=true; mark exactly one",
                )
            )
    return problems


def _statement_delegation_year(statements: pd.DataFrame, delegations: pd.DataFrame) -> list[Problem]:
    year_of = dict(zip(delegations["delegation_id"], delegations["year"], strict=True))
    problems = []
    for line, row in statements.dropna(subset=["delegation_id"]).iterrows():
        year = year_of.get(row["delegation_id"])
        if year is not None and not pd.isna(year) and not pd.isna(row["year"]) and int(year) != int(row["year"]):
            problems.append(
                Problem(
                    "statements.csv",
                    int(line),
                    "delegation_id",
                    f"delegation {row['delegation_id']} is from {int(year)}, the statement from {int(row['year'])}",
                )
            )
    return problems


def _readings_of_held_editions(readings: pd.DataFrame, editions: pd.DataFrame) -> list[Problem]:
    """An expert reading is of an edition that took place (a year missing from editions.csv is reported as such)."""
    status = {int(y): s for y, s in zip(editions["year"], editions["status"], strict=True) if not pd.isna(y)}
    problems = []
    for line, year in readings["year"].items():
        if pd.isna(year) or int(year) not in status or status[int(year)] == "held":
            continue
        problems.append(
            Problem(
                "expert_readings.csv",
                int(line),
                "year",
                f"{int(year)} is not a held edition (editions.csv status: {status[int(year)]})",
            )
        )
    return problems


def _reading_source_kinds(readings: pd.DataFrame, sources: pd.DataFrame) -> list[Problem]:
    """An expert reading cites the analyses themselves (analysis, news or blog), not a wire or a ministry."""
    kind_of = dict(zip(sources["source_id"], sources["kind"], strict=True))
    allowed = ", ".join(READING_SOURCE_KINDS)
    problems = []
    for line, value in readings["source_ids"].items():
        for source_id in split_list(value):
            kind = kind_of.get(source_id)
            if kind is not None and not pd.isna(kind) and kind not in READING_SOURCE_KINDS:
                problems.append(
                    Problem(
                        "expert_readings.csv",
                        int(line),
                        "source_ids",
                        f"{source_id} is a source of kind {kind}; an expert reading cites analyses ({allowed})",
                    )
                )
    return problems


def _membership_years(memberships: pd.DataFrame) -> list[Problem]:
    problems = []
    for line, row in memberships.iterrows():
        if not pd.isna(row["left"]) and not pd.isna(row["joined"]) and row["left"] < row["joined"]:
            problems.append(
                Problem(
                    "memberships.csv", int(line), "left", f"left in {row['left']}, before joining in {row['joined']}"
                )
            )
    return problems


def _unique_rows(frame: pd.DataFrame, file: str, columns: tuple[str, ...]) -> list[Problem]:
    """Each combination of ``columns`` at most once (a repeated row would be counted twice)."""
    problems = []
    first: dict[tuple, int] = {}
    for line, row in frame.iterrows():
        key = tuple(str(row[c]) for c in columns)
        if key in first:
            listing = ", ".join(f"{c}={row[c]}" for c in columns)
            problems.append(
                Problem(file, int(line), columns[0], f"duplicate row ({listing}) already given on line {first[key]}")
            )
        else:
            first[key] = int(line)
    return problems


def key_values(frame: pd.DataFrame | None, column: str) -> frozenset[str]:
    """The values of a key column (empty when the table could not be read)."""
    if frame is None:
        return frozenset()
    return frozenset(str(v) for v in frame[column].dropna())


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems without duplicates, in file, row, column and message order."""
    return sorted(set(problems), key=lambda p: (p.file, p.row or 0, p.column or "", p.message))
