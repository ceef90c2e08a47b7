"""Validation of the dataset: every deliberate mistake is reported at the right FILE:ROW:COLUMN.

Each case copies the valid mini dataset (tests/fixtures/mini), makes exactly one mistake in one file
and checks that ``check_dataset`` rejects the data with a problem at the expected place. ROW is the
line a person sees in an editor (header = line 1); ``None`` where a row does not apply.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from mcis_report.dataset import DataValidationError, check_dataset, load_dataset
from mcis_report.loading import Problem

MINI = Path(__file__).parent / "fixtures" / "mini"
SHIPPED_DATA = Path(__file__).parents[1] / "data"

Mutation = Callable[[Path], None]


# --- reading the fixture -----------------------------------------------------------------------------


def _matching_line(text: str, prefix: str) -> int:
    """Index (0-based) of the one line starting with ``prefix``."""
    hits = [i for i, line in enumerate(text.splitlines()) if line.startswith(prefix)]
    assert len(hits) == 1, f"expected one line starting with {prefix!r}, found {len(hits)}"
    return hits[0]


def line_of(file: str, prefix: str) -> int:
    """Editor line number of the record in the mini fixture whose line starts with ``prefix``."""
    return _matching_line((MINI / file).read_text(encoding="utf-8"), prefix) + 1


def yaml_line(text: str) -> int:
    """Editor line number of the one line of the mini codebook containing ``text``."""
    lines = (MINI / "codebook.yaml").read_text(encoding="utf-8").splitlines()
    hits = [i for i, line in enumerate(lines, start=1) if text in line]
    assert len(hits) == 1, f"expected one codebook line containing {text!r}, found {len(hits)}"
    return hits[0]


def next_line(file: str) -> int:
    """Line number a row appended to the fixture file would get."""
    return len((MINI / file).read_text(encoding="utf-8").splitlines()) + 1


# --- mutations: each returns a function that edits one file of a copied dataset ----------------------


def _csv_line(fields: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(fields)  # "\n" so that a field holding a newline gets quoted
    return out.getvalue().removesuffix("\n")


def _edit_lines(data: Path, file: str, edit: Callable[[list[str]], None]) -> None:
    path = data / file
    lines = path.read_text(encoding="utf-8").splitlines()
    edit(lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def edit_row(file: str, prefix: str, change: Callable[[list[str]], list[str]]) -> Mutation:
    """Rewrite the one CSV record starting with ``prefix`` (``change`` maps its fields to new fields)."""

    def mutate(data: Path) -> None:
        def edit(lines: list[str]) -> None:
            i = _matching_line("\n".join(lines), prefix)
            lines[i] = _csv_line(change(next(csv.reader([lines[i]]))))

        _edit_lines(data, file, edit)

    return mutate


def set_cell(file: str, prefix: str, column: str, value: str) -> Mutation:
    """Set ``column`` of the record starting with ``prefix`` to ``value``."""
    header = next(csv.reader([(MINI / file).read_text(encoding="utf-8").splitlines()[0]]))
    index = header.index(column)

    def change(fields: list[str]) -> list[str]:
        fields[index] = value
        return fields

    return edit_row(file, prefix, change)


def edit_all_rows(file: str, change: Callable[[int, list[str]], list[str]]) -> Mutation:
    """Rewrite every line of a CSV file; ``change`` gets the 0-based line index and the fields."""

    def mutate(data: Path) -> None:
        def edit(lines: list[str]) -> None:
            lines[:] = [_csv_line(change(i, next(csv.reader([line])))) for i, line in enumerate(lines)]

        _edit_lines(data, file, edit)

    return mutate


def add_column(file: str, name: str, value: str = "") -> Mutation:
    return edit_all_rows(file, lambda i, fields: [*fields, name if i == 0 else value])


def drop_column(file: str, name: str) -> Mutation:
    header = next(csv.reader([(MINI / file).read_text(encoding="utf-8").splitlines()[0]]))
    index = header.index(name)
    return edit_all_rows(file, lambda i, fields: fields[:index] + fields[index + 1 :])


def append_line(file: str, line: str) -> Mutation:
    return lambda data: _edit_lines(data, file, lambda lines: lines.append(line))


def replace_text(file: str, old: str, new: str) -> Mutation:
    """Replace the one occurrence of ``old`` in ``file``."""

    def mutate(data: Path) -> None:
        path = data / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {file}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    return mutate


def write_bytes(file: str, content: bytes) -> Mutation:
    return lambda data: (data / file).write_bytes(content)


def delete_file(file: str) -> Mutation:
    return lambda data: (data / file).unlink()


def latin1(file: str, old: str, new: str) -> Mutation:
    """Replace ``old`` by ``new`` and save the file as Latin-1 instead of UTF-8."""

    def mutate(data: Path) -> None:
        path = data / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1
        path.write_bytes(text.replace(old, new).encode("latin-1"))

    return mutate


READINGS_HEADER = (
    "year,analyses_en,analyses_ar,agreement_en,agreement_ar,difference_en,difference_ar,difference_kind,source_ids"
)


def reading(year: str = "2023", kind: str = "source_gap", sources: str = "S003") -> str:
    """One row of ``expert_readings.csv`` for the mini data (valid as given: S003 is a blog)."""
    return _csv_line(
        [year, "A test blog", "مدونة اختبار", "It agrees.", "يتفق.", "It differs.", "يختلف.", kind, sources]
    )


def write_readings(*rows: str) -> Mutation:
    """Add the optional ``expert_readings.csv`` (absent from the mini data) with ``rows`` under its header."""
    return lambda data: (data / "expert_readings.csv").write_text(
        "\n".join((READINGS_HEADER, *rows)) + "\n", encoding="utf-8"
    )


def delete_yaml_key(anchor: str, key: str) -> Mutation:
    """Delete the first ``key:`` line after the codebook line containing ``anchor``."""

    def edit(lines: list[str]) -> None:
        start = next(i for i, line in enumerate(lines) if anchor in line)
        index = next(i for i in range(start + 1, len(lines)) if lines[i].strip().startswith(f"{key}:"))
        del lines[index]

    return lambda data: _edit_lines(data, "codebook.yaml", edit)


def insert_yaml_line_after(anchor: str, new: str) -> Mutation:
    def edit(lines: list[str]) -> None:
        lines.insert(next(i for i, line in enumerate(lines) if anchor in line) + 1, new)

    return lambda data: _edit_lines(data, "codebook.yaml", edit)


def drop_codebook_section(section: str) -> Mutation:
    """Remove ``section:`` and its indented entries from the codebook."""

    def edit(lines: list[str]) -> None:
        start = lines.index(f"{section}:")
        end = next((i for i in range(start + 1, len(lines)) if lines[i] and not lines[i][0].isspace()), len(lines))
        del lines[start:end]

    return lambda data: _edit_lines(data, "codebook.yaml", edit)


# --- the broken-data table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    file: str
    row: int | None
    column: str | None
    message: str  # a substring of the message


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Mutation
    expected: tuple[Expect, ...]
    only: bool = True  # the expected problems are the only ones


def case(id: str, mutate: Mutation, *expected: Expect, only: bool = True) -> Case:
    return Case(id, mutate, expected, only)


E = Expect  # short name for the table below


CASES = [
    # reading files
    case(
        "latin1-bytes",
        latin1("sources.csv", "Test Blog,", "Test Blög,"),
        E("sources.csv", line_of("sources.csv", "S003"), None, "not valid UTF-8"),
    ),
    case("empty-file", write_bytes("claims.csv", b""), E("claims.csv", None, None, "file is empty")),
    case("whitespace-only-file", write_bytes("claims.csv", b"  \n\n"), E("claims.csv", None, None, "file is empty")),
    case("missing-file", delete_file("article_checks.csv"), E("article_checks.csv", None, None, "file not found")),
    case("missing-codebook", delete_file("codebook.yaml"), E("codebook.yaml", None, None, "file not found")),
    case(
        "missing-column",
        drop_column("memberships.csv", "note_en"),
        E("memberships.csv", 1, "note_en", "missing column"),
    ),
    case("extra-column", add_column("countries.csv", "comment"), E("countries.csv", 1, "comment", "unexpected column")),
    case(
        "duplicate-header-column",
        add_column("countries.csv", "region", "asia"),
        E("countries.csv", 1, "region", "column appears twice"),
    ),
    case(
        "ragged-row-too-few",
        edit_row("claims.csv", "C003", lambda f: f[:-1]),
        E("claims.csv", line_of("claims.csv", "C003"), None, "row has 10 fields, the header has 11"),
    ),
    case(
        "ragged-row-too-many",
        edit_row("figures.csv", "2023,delegates,650", lambda f: [*f, "extra"]),
        E("figures.csv", line_of("figures.csv", "2023,delegates,650"), None, "row has 10 fields, the header has 9"),
    ),
    case(
        "unterminated-quote",
        replace_text("sources.csv", "Test Blog,", '"Test Blog,'),
        E("sources.csv", line_of("sources.csv", "S003"), None, "cannot parse CSV"),
    ),
    case(
        "broken-yaml",
        replace_text("codebook.yaml", "label_en: Against hegemony", "label_en: Against: hegemony"),
        E("codebook.yaml", yaml_line("label_en: Against hegemony"), None, "invalid YAML"),
    ),
    case(
        "yaml-tab-indent",
        replace_text("codebook.yaml", "  - id: sovereignty", "\t- id: sovereignty"),
        E("codebook.yaml", yaml_line("- id: sovereignty"), None, "invalid YAML"),
    ),
    case(
        "yaml-not-a-mapping",
        write_bytes("codebook.yaml", b"- frames\n- targets\n"),
        E("codebook.yaml", 1, None, "expected a mapping"),
    ),
    # codebook
    case(
        "codebook-missing-section",
        drop_codebook_section("world_regions"),
        E("codebook.yaml", None, "world_regions", "missing or empty section"),
        only=False,
    ),
    case(
        "frame-without-label_ar",
        delete_yaml_key("- id: anti_hegemony", "label_ar"),
        E("codebook.yaml", yaml_line("- id: anti_hegemony"), "frames.label_ar", "anti_hegemony: missing label_ar"),
    ),
    case(
        "frame-without-definition_en",
        delete_yaml_key("- id: sovereignty", "definition_en"),
        E("codebook.yaml", yaml_line("- id: sovereignty"), "frames.definition_en", "missing definition_en"),
    ),
    case(
        "frame-without-ru-lexicon",
        delete_yaml_key("- id: sovereignty", "ru"),
        E("codebook.yaml", yaml_line("- id: sovereignty"), "frames.lexicon.ru", "non-empty list of terms"),
    ),
    case(
        "duplicate-codebook-id",
        insert_yaml_line_after("{id: west,", "  - {id: nato, label_en: NATO again, label_ar: الناتو}"),
        E("codebook.yaml", yaml_line("{id: west,") + 1, "targets.id", "duplicate id 'nato'"),
    ),
    case(
        "organisation-without-bloc-flag",
        replace_text("codebook.yaml", "المتحدة, bloc: false}", "المتحدة}"),
        E("codebook.yaml", yaml_line("{id: UN,"), "organisations.bloc", "bloc must be true or false"),
    ),
    # keys
    case(
        "duplicate-id-in-table",
        set_cell("delegations.csv", "D004", "delegation_id", "D003"),
        E("delegations.csv", line_of("delegations.csv", "D003"), "delegation_id", "duplicate value 'D003'"),
        E("delegations.csv", line_of("delegations.csv", "D004"), "delegation_id", "duplicate value 'D003'"),
    ),
    case(
        "id-not-matching-pattern",
        set_cell("article_checks.csv", "K01", "check_id", "K1"),
        E("article_checks.csv", 2, "check_id", "does not match the id pattern"),
    ),
    # references
    case(
        "claim-statement-dangling",
        set_cell("claims.csv", "C004", "statement_id", "ST999"),
        E("claims.csv", line_of("claims.csv", "C004"), "statement_id", "'ST999' not found in statements.csv"),
    ),
    case(
        "statement-delegation-dangling",
        set_cell("statements.csv", "ST003", "delegation_id", "D999"),
        E("statements.csv", line_of("statements.csv", "ST003"), "delegation_id", "'D999' not found"),
    ),
    case(
        "delegation-year-dangling",
        set_cell("delegations.csv", "D004", "year", "2024"),
        E("delegations.csv", line_of("delegations.csv", "D004"), "year", "not found in editions.csv year"),
    ),
    case(
        "figure-year-dangling",
        set_cell("figures.csv", "2022,countries", "year", "2020"),
        E("figures.csv", line_of("figures.csv", "2022,countries"), "year", "not found in editions.csv year"),
    ),
    case(
        "source-id-missing",
        set_cell("countries.csv", "CHN", "source_ids", "S001;S999"),
        E("countries.csv", line_of("countries.csv", "CHN"), "source_ids", "'S999' not found in sources.csv"),
    ),
    case(
        "frame-id-in-claims-list",
        set_cell("claims.csv", "C002", "frames", "multipolar_order;no_such_frame"),
        E("claims.csv", line_of("claims.csv", "C002"), "frames", "'no_such_frame' not found in codebook.yaml frames"),
    ),
    case(
        "target-id-dangling",
        set_cell("claims.csv", "C001", "targets", "martians"),
        E("claims.csv", line_of("claims.csv", "C001"), "targets", "'martians' not found in codebook.yaml targets"),
    ),
    case(
        "claim-region-dangling",
        set_cell("claims.csv", "C003", "regions", "global;atlantis"),
        E("claims.csv", line_of("claims.csv", "C003"), "regions", "'atlantis' not found in codebook.yaml"),
    ),
    case(
        "world-region-dangling",
        set_cell("countries.csv", "USA", "region", "atlantis"),
        E("countries.csv", line_of("countries.csv", "USA"), "region", "'atlantis' not found in codebook.yaml"),
    ),
    case(
        "article-point-dangling",
        set_cell("article_checks.csv", "K01", "article_point", "p9_missing"),
        E("article_checks.csv", 2, "article_point", "'p9_missing' not found in codebook.yaml article_points"),
    ),
    case(
        "claim-article-point-dangling",
        set_cell("claims.csv", "C003", "article_points", "p9_missing"),
        E("claims.csv", line_of("claims.csv", "C003"), "article_points", "'p9_missing' not found"),
    ),
    case(
        "organisation-dangling",
        set_cell("delegations.csv", "D004", "organisation", "WHO"),
        E("delegations.csv", line_of("delegations.csv", "D004"), "organisation", "'WHO' not found in codebook"),
    ),
    case(
        "membership-organisation-not-a-bloc",
        set_cell("memberships.csv", "RUS", "organisation", "UN"),
        E(
            "memberships.csv",
            line_of("memberships.csv", "RUS"),
            "organisation",
            "'UN' not found in codebook.yaml blocs",
        ),
    ),
    case(
        "country-not-in-countries-csv",
        set_cell("statements.csv", "ST003", "country", "FRA"),
        E("statements.csv", line_of("statements.csv", "ST003"), "country", "'FRA' not found in countries.csv alpha3"),
    ),
    case(
        "statement-delegation-other-year",
        set_cell("statements.csv", "ST002", "delegation_id", "D001"),
        E("statements.csv", line_of("statements.csv", "ST002"), "delegation_id", "delegation D001 is from 2022"),
    ),
    # values
    case(
        "unknown-alpha3",
        append_line("countries.csv", "ZZZ,بلد,asia,S001"),
        E("countries.csv", next_line("countries.csv"), "alpha3", "unknown ISO 3166-1 alpha-3 country code 'ZZZ'"),
    ),
    case(
        "text-in-number-column",
        set_cell("figures.csv", "2022,delegates", "value", "800+"),
        E("figures.csv", line_of("figures.csv", "2022,delegates"), "value", "expected a whole number, got '800+'"),
    ),
    case(
        "negative-count",
        set_cell("figures.csv", "2022,delegates", "value", "-5"),
        E("figures.csv", line_of("figures.csv", "2022,delegates"), "value", "-5 is below the minimum 0"),
    ),
    case(
        "year-below-minimum",
        set_cell("memberships.csv", "RUS", "joined", "1900"),
        E("memberships.csv", line_of("memberships.csv", "RUS"), "joined", "below the minimum 1945"),
    ),
    case(
        "bad-enum-stance",
        set_cell("claims.csv", "C004", "stance", "hostile"),
        E("claims.csv", line_of("claims.csv", "C004"), "stance", "'hostile' is not allowed"),
    ),
    case(
        "bad-enum-kind",
        set_cell("sources.csv", "S001", "kind", "tweet"),
        E("sources.csv", line_of("sources.csv", "S001"), "kind", "'tweet' is not allowed"),
    ),
    case(
        "bad-enum-western-participation",
        set_cell("editions.csv", "2023", "western_participation", "maybe"),
        E("editions.csv", line_of("editions.csv", "2023"), "western_participation", "'maybe' is not allowed"),
    ),
    case(
        "bad-bool",
        set_cell("figures.csv", "2023,delegates,650", "used", "maybe"),
        E("figures.csv", line_of("figures.csv", "2023,delegates,650"), "used", "expected true or false"),
    ),
    case(
        "bad-date-format",
        set_cell("statements.csv", "ST001", "date", "16/08/2022"),
        E("statements.csv", line_of("statements.csv", "ST001"), "date", "expected a date YYYY-MM-DD"),
    ),
    case(
        "impossible-date",
        set_cell("editions.csv", "2023", "end_date", "2023-02-30"),
        E("editions.csv", line_of("editions.csv", "2023"), "end_date", "got '2023-02-30'"),
    ),
    case(
        "impossible-publication-month",
        set_cell("sources.csv", "S002", "date", "2023-13"),
        E("sources.csv", line_of("sources.csv", "S002"), "date", "expected a date YYYY-MM-DD, YYYY-MM or YYYY"),
    ),
    case(
        "bad-url",
        set_cell("sources.csv", "S003", "url", "example.org/blog/3"),
        E("sources.csv", line_of("sources.csv", "S003"), "url", "expected an http(s) address"),
    ),
    case(
        "bad-language-code",
        set_cell("sources.csv", "S001", "language", "english"),
        E("sources.csv", line_of("sources.csv", "S001"), "language", "unknown ISO 639-1 language code 'english'"),
    ),
    case(
        "required-text-missing",
        set_cell("statements.csv", "ST002", "speaker_en", ""),
        E("statements.csv", line_of("statements.csv", "ST002"), "speaker_en", "required value is missing"),
    ),
    case(
        "required-list-empty",
        set_cell("claims.csv", "C003", "regions", ""),
        E("claims.csv", line_of("claims.csv", "C003"), "regions", "required value is missing"),
    ),
    case(
        "list-with-separators-only",
        set_cell("claims.csv", "C001", "frames", ";"),
        E("claims.csv", line_of("claims.csv", "C001"), "frames", "needs at least 1 item"),
    ),
    case(
        "source-ids-empty",
        set_cell("memberships.csv", "USA", "source_ids", ""),
        E("memberships.csv", line_of("memberships.csv", "USA"), "source_ids", "required value is missing"),
    ),
    # rules across columns and tables
    case(
        "statement-date-outside-year",
        set_cell("statements.csv", "ST002", "date", "2024-08-15"),
        E("statements.csv", line_of("statements.csv", "ST002"), "date", "not in the edition's year 2023"),
    ),
    case(
        "edition-start-outside-year",
        set_cell("editions.csv", "2022", "start_date", "2021-08-16"),
        E("editions.csv", line_of("editions.csv", "2022"), "start_date", "not in the edition's year 2022"),
    ),
    case(
        "edition-end-before-start",
        set_cell("editions.csv", "2023", "end_date", "2023-08-14"),
        E("editions.csv", line_of("editions.csv", "2023"), "end_date", "is before start date"),
    ),
    case(
        "edition-number-out-of-order",
        set_cell("editions.csv", "2023", "number", "3"),
        E("editions.csv", line_of("editions.csv", "2023"), "number", "edition number 3 does not match its year 2023"),
    ),
    case(
        "held-edition-without-number",
        set_cell("editions.csv", "2023", "number", ""),
        E("editions.csv", line_of("editions.csv", "2023"), "number", "needs its number"),
    ),
    case(
        "not-held-year-with-number",
        set_cell("editions.csv", "2021", "number", "5"),
        E("editions.csv", line_of("editions.csv", "2021"), "number", "has no edition number"),
    ),
    case(
        "held-edition-without-start",
        set_cell("editions.csv", "2023", "start_date", ""),
        E("editions.csv", line_of("editions.csv", "2023"), "start_date", "needs its start date"),
    ),
    case(
        "two-used-figures",
        set_cell("figures.csv", "2023,delegates,650", "used", "true"),
        # reported on the first row of the (year, metric) group
        E("figures.csv", line_of("figures.csv", "2023,delegates,700"), "used", "2 rows marked used=true"),
    ),
    case(
        "zero-used-figures",
        set_cell("figures.csv", "2023,delegates,700", "used", "false"),
        E("figures.csv", line_of("figures.csv", "2023,delegates,700"), "used", "0 rows marked used=true"),
    ),
    case(
        "country-and-organisation-both-set",
        set_cell("delegations.csv", "D001", "organisation", "UN"),
        E("delegations.csv", line_of("delegations.csv", "D001"), "country", "both are set"),
    ),
    case(
        "country-and-organisation-neither-set",
        set_cell("delegations.csv", "D004", "organisation", ""),
        E("delegations.csv", line_of("delegations.csv", "D004"), "country", "neither is set"),
    ),
    case(
        "statement-country-and-organisation",
        set_cell("statements.csv", "ST001", "organisation", "UN"),
        E("statements.csv", line_of("statements.csv", "ST001"), "country", "both are set"),
    ),
    case(
        "arabic-topics-count-differs",
        set_cell("editions.csv", "2022", "topics_ar", "الحد من التسلح"),
        E("editions.csv", line_of("editions.csv", "2022"), "topics_ar", "1 Arabic topics for 2 English ones"),
    ),
    # the optional expert readings (the file is written by the case; line 2 = its first row)
    case(
        "expert-reading-bad-difference-kind",
        write_readings(reading(kind="disagreement")),
        E("expert_readings.csv", 2, "difference_kind", "'disagreement' is not allowed"),
    ),
    case(
        "expert-reading-unknown-year",
        write_readings(reading(), reading(year="2030")),
        E("expert_readings.csv", 3, "year", "2030 not found in editions.csv year"),
    ),
    case(
        "expert-reading-year-not-held",
        write_readings(reading(year="2021")),
        E("expert_readings.csv", 2, "year", "2021 is not a held edition"),
    ),
    case(
        "expert-reading-unknown-source",
        write_readings(reading(sources="S003;S999")),
        E("expert_readings.csv", 2, "source_ids", "'S999' not found in sources.csv"),
    ),
    case(
        "expert-reading-cites-a-wire",
        write_readings(reading(sources="S001")),
        E("expert_readings.csv", 2, "source_ids", "S001 is a source of kind wire"),
    ),
    case(
        "expert-reading-missing-column",
        lambda data: (data / "expert_readings.csv").write_text("year,analyses_en\n2023,x\n", encoding="utf-8"),
        E("expert_readings.csv", 1, "analyses_ar", "missing column"),
        only=False,
    ),
    case(
        "membership-left-before-joined",
        set_cell("memberships.csv", "RUS", "left", "1990"),
        E("memberships.csv", line_of("memberships.csv", "RUS"), "left", "left in 1990, before joining in 2001"),
    ),
]
CASES_BY_ID = {c.id: c for c in CASES}


def assert_reported(problems: list[Problem], expected: Expect) -> None:
    at_place = [p for p in problems if (p.file, p.row, p.column) == (expected.file, expected.row, expected.column)]
    listing = "\n".join(str(p) for p in problems)
    assert at_place, f"nothing reported at {expected.file}:{expected.row}:{expected.column}; got:\n{listing}"
    assert any(expected.message in p.message for p in at_place), (
        f"no message containing {expected.message!r} at that place; got:\n{listing}"
    )


def test_mini_dataset_is_valid(mini_dir):
    dataset, problems = check_dataset(mini_dir)
    assert problems == []
    assert dataset is not None


def test_a_folder_without_the_optional_expert_readings_loads_with_an_empty_table(mini_dir):
    assert not (mini_dir / "expert_readings.csv").exists()
    dataset, problems = check_dataset(mini_dir)
    assert problems == []
    assert dataset is not None
    assert dataset.expert_readings.empty
    assert "difference_kind" in dataset.expert_readings.columns
    assert dataset.summary()["expert_readings"] == 0


def test_expert_readings_are_read_when_present(broken_copy):
    data = broken_copy()
    write_readings(reading(), reading(year="2022", kind="no_analysis", sources=""))(data)

    dataset, problems = check_dataset(data)

    assert problems == []
    assert dataset is not None
    readings = dataset.expert_readings
    assert list(readings["year"]) == [2023, 2022]
    assert list(readings["source_ids"]) == [("S003",), ()]  # an analysis with no copy found cites nothing


def test_case_ids_are_unique():
    assert len(CASES_BY_ID) == len(CASES)


@pytest.mark.parametrize("broken", CASES, ids=[c.id for c in CASES])
def test_one_mistake_is_reported_at_its_place(broken_copy, broken: Case):
    data = broken_copy()
    broken.mutate(data)

    dataset, problems = check_dataset(data)

    assert dataset is None
    for expected in broken.expected:
        assert_reported(problems, expected)
    if broken.only:
        places = {(p.file, p.row, p.column) for p in problems}
        assert places == {(e.file, e.row, e.column) for e in broken.expected}, "\n".join(map(str, problems))


def test_several_mistakes_are_all_reported(broken_copy):
    chosen = [
        "bad-enum-stance",  # claims.csv, two mistakes in one table
        "target-id-dangling",
        "text-in-number-column",  # figures.csv
        "frame-without-label_ar",  # codebook.yaml
        "bad-url",  # sources.csv
        "missing-file",  # article_checks.csv cannot be read at all
        "edition-end-before-start",  # a cross-table rule
    ]
    data = broken_copy()
    for case_id in chosen:
        CASES_BY_ID[case_id].mutate(data)

    dataset, problems = check_dataset(data)

    assert dataset is None
    expected = [e for case_id in chosen for e in CASES_BY_ID[case_id].expected]
    for e in expected:
        assert_reported(problems, e)
    assert len(problems) == len(expected)


def test_load_dataset_raises_with_every_problem(broken_copy):
    data = broken_copy()
    CASES_BY_ID["bad-enum-stance"].mutate(data)
    CASES_BY_ID["bad-url"].mutate(data)

    with pytest.raises(DataValidationError) as raised:
        load_dataset(data)

    assert raised.value.problems == check_dataset(data)[1]
    assert len(raised.value.problems) == 2
    assert "2 problem(s)" in str(raised.value)
    assert str(raised.value.problems[0]) in str(raised.value)


def test_problem_prints_as_file_row_column_message():
    assert str(Problem("claims.csv", 4, "stance", "bad")) == "claims.csv:4:stance: bad"
    assert str(Problem("claims.csv", None, None, "bad")) == "claims.csv:-:-: bad"


# --- line numbers ----------------------------------------------------------------------------------------


def _insert_blank_line_after(data: Path, file: str, prefix: str) -> None:
    def edit(lines: list[str]) -> None:
        lines.insert(_matching_line("\n".join(lines), prefix) + 1, "")

    _edit_lines(data, file, edit)


def test_blank_lines_in_a_csv_are_fine(broken_copy, mini_dir):
    data = broken_copy()
    _insert_blank_line_after(data, "claims.csv", "C002")
    _edit_lines(data, "claims.csv", lambda lines: lines.extend(["", ""]))

    dataset, problems = check_dataset(data)

    assert problems == []
    assert len(dataset.claims) == len(check_dataset(mini_dir)[0].claims)


def test_blank_line_counts_in_the_reported_line(broken_copy):
    data = broken_copy()
    _insert_blank_line_after(data, "claims.csv", "C002")
    set_cell("claims.csv", "C004", "stance", "hostile")(data)

    _, problems = check_dataset(data)

    assert_reported(problems, E("claims.csv", line_of("claims.csv", "C004") + 1, "stance", "'hostile'"))


MULTILINE = "The host said:\nthe world has many poles."


def test_multiline_quoted_field_is_read(broken_copy):
    data = broken_copy()
    set_cell("claims.csv", "C002", "paraphrase_en", MULTILINE)(data)

    dataset, problems = check_dataset(data)

    assert problems == []
    assert MULTILINE in set(dataset.claims["paraphrase_en"])


def test_multiline_field_does_not_shift_a_later_error(broken_copy):
    data = broken_copy()
    set_cell("claims.csv", "C002", "paraphrase_en", MULTILINE)(data)  # C002 now spans two lines
    set_cell("claims.csv", "C004", "stance", "hostile")(data)
    assert (data / "claims.csv").read_text(encoding="utf-8").splitlines()[5].startswith("C004")  # editor line 6

    _, problems = check_dataset(data)

    assert [(p.file, p.row, p.column) for p in problems] == [("claims.csv", 6, "stance")]


def test_error_in_a_multiline_record_is_reported_where_the_record_starts(broken_copy):
    data = broken_copy()
    set_cell("claims.csv", "C002", "stance", "hostile")(data)
    set_cell("claims.csv", "C002", "paraphrase_en", MULTILINE)(data)  # last: the helpers edit one-line records

    _, problems = check_dataset(data)

    assert [(p.file, p.row, p.column) for p in problems] == [("claims.csv", line_of("claims.csv", "C002"), "stance")]


def test_unterminated_quote_after_a_multiline_field_names_the_starting_line(broken_copy):
    data = broken_copy()
    set_cell("claims.csv", "C002", "paraphrase_en", MULTILINE)(data)
    replace_text("claims.csv", "The guest welcomed", '"The guest welcomed')(data)

    _, problems = check_dataset(data)

    assert [(p.file, p.row, p.column) for p in problems] == [("claims.csv", 6, None)]
    assert "cannot parse CSV" in problems[0].message


# --- messages and crashes on unusual values -------------------------------------------------------------


def test_id_pattern_message_names_the_value(broken_copy):
    data = broken_copy()
    set_cell("article_checks.csv", "K01", "check_id", "K1")(data)

    _, problems = check_dataset(data)

    assert [p.message for p in problems] == ["'K1' does not match the id pattern ^K\\d{2}$"]


def test_messages_about_whole_numbers_show_the_plain_number(broken_copy):
    data = broken_copy()
    set_cell("editions.csv", "2021", "year", "2022")(data)
    set_cell("delegations.csv", "D004", "year", "2024")(data)

    _, problems = check_dataset(data)

    assert_reported(problems, E("editions.csv", line_of("editions.csv", "2021"), "year", "duplicate value 2022:"))
    assert_reported(problems, E("delegations.csv", line_of("delegations.csv", "D004"), "year", "2024 not found"))
    assert not [p for p in problems if "np." in p.message]


def test_empty_edition_status_is_reported_not_raised(broken_copy):
    data = broken_copy()
    set_cell("editions.csv", "2023", "status", "")(data)

    _, problems = check_dataset(data)

    assert_reported(problems, E("editions.csv", line_of("editions.csv", "2023"), "status", "required value is missing"))


def test_huge_number_is_reported_not_raised(broken_copy):
    data = broken_copy()
    set_cell("figures.csv", "2022,delegates", "value", "99999999999999999999")(data)

    dataset, problems = check_dataset(data)

    assert dataset is None
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("figures.csv", line_of("figures.csv", "2022,delegates"), "value")
    ]


# --- the shipped dataset ----------------------------------------------------------------------------------


def test_shipped_dataset_validates():
    dataset = load_dataset(SHIPPED_DATA)
    assert dataset.years, "the shipped data has no held edition"
