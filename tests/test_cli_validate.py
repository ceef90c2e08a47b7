"""`mcis-report validate --data DIR`: a summary on valid data, FILE:ROW:COLUMN lines and exit 2 otherwise."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from mcis_report.cli import main
from mcis_report.dataset import check_dataset
from mcis_report.tables import TABLES

PROBLEM_LINE = re.compile(r"^[\w.]+:(\d+|-):[\w.-]+: .+")
SUMMARY_LINE = re.compile(r"^(\d+) problem\(s\) in ")


def validate(data: Path, capsys) -> tuple[int, str, str]:
    code = main(["validate", "--data", str(data)])
    out, err = capsys.readouterr()
    return code, out, err


def replace(file: str, old: str, new: str) -> Callable[[Path], None]:
    def mutate(data: Path) -> None:
        path = data / file
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return mutate


def write(file: str, content: bytes) -> Callable[[Path], None]:
    return lambda data: (data / file).write_bytes(content)


def several_mistakes(data: Path) -> None:
    replace("claims.csv", ",critical,", ",hostile,")(data)
    replace("figures.csv", "2022,delegates,500,", "2022,delegates,800+,")(data)
    replace("sources.csv", "https://example.org/blog/3", "example.org/blog/3")(data)
    replace("codebook.yaml", "{id: west,", "{id: us,")(data)


BROKEN = {
    "several-mistakes": several_mistakes,
    "missing-file": lambda data: (data / "statements.csv").unlink(),
    "empty-file": write("claims.csv", b""),
    "latin1": lambda data: (data / "sources.csv").write_bytes(
        (data / "sources.csv").read_text(encoding="utf-8").replace("Test Blog", "Test Blög").encode("latin-1")
    ),
    "unterminated-quote": replace("sources.csv", "Test Blog,", '"Test Blog,'),
    "broken-yaml": replace("codebook.yaml", "label_en: Against hegemony", "label_en: Against: hegemony"),
    "yaml-not-a-mapping": write("codebook.yaml", b"just text\n"),
    "ragged-row": replace("figures.csv", "2022,countries,40,", "2022,countries,40,extra,"),
    "header-only-codebook-section": replace("codebook.yaml", "targets:\n", "targets: []\nold_targets:\n"),
    "empty-status": replace("editions.csv", "2023,2,held,", "2023,2,,"),
    "huge-number": replace("figures.csv", "2022,delegates,500,", "2022,delegates,99999999999999999999,"),
}


def _params() -> list:
    return [pytest.param(mutate, id=name) for name, mutate in BROKEN.items()]


def test_valid_data_prints_one_line_per_table(mini_dir, capsys):
    code, out, err = validate(mini_dir, capsys)

    assert code == 0
    assert err == ""
    summary = check_dataset(mini_dir)[0].summary()
    lines = out.splitlines()
    assert [" ".join(line.split()) for line in lines] == [f"{name} {count} rows ok" for name, count in summary.items()]
    assert {t.name for t in TABLES} <= {line.split()[0] for line in lines}


def test_broken_data_lists_every_problem_and_exits_2(broken_copy, capsys):
    data = broken_copy()
    several_mistakes(data)

    code, out, err = validate(data, capsys)

    assert code == 2
    assert out == ""
    *problem_lines, summary = err.splitlines()
    for line in problem_lines:
        assert PROBLEM_LINE.match(line), line
    assert problem_lines == [str(p) for p in check_dataset(data)[1]]
    assert len(problem_lines) >= 4
    assert int(SUMMARY_LINE.match(summary).group(1)) == len(problem_lines)
    assert {"claims.csv", "figures.csv", "sources.csv", "codebook.yaml"} <= {
        line.split(":")[0] for line in problem_lines
    }


@pytest.mark.parametrize("mutate", _params())
def test_broken_input_gives_one_line_per_problem(broken_copy, capsys, mutate):
    data = broken_copy()
    mutate(data)

    code, _, err = validate(data, capsys)

    assert code == 2
    *problem_lines, summary = err.splitlines()
    assert problem_lines
    assert all(PROBLEM_LINE.match(line) for line in problem_lines), err
    assert SUMMARY_LINE.match(summary)


def test_missing_data_folder_exits_2_with_a_clear_message(tmp_path, capsys):
    missing = tmp_path / "no-such-folder"

    code, out, err = validate(missing, capsys)

    assert code == 2
    assert out == ""
    assert "data folder not found" in err
    assert str(missing) in err


@pytest.mark.parametrize("case", ["missing-folder", "broken-yaml", "ragged-csv"])
def test_the_command_prints_no_traceback(broken_copy, tmp_path, case):
    """In a real process, where an uncaught exception would print a traceback (in-process tests cannot see one)."""
    import subprocess
    import sys

    data = tmp_path / "missing" if case == "missing-folder" else broken_copy()
    if case == "broken-yaml":
        (data / "codebook.yaml").write_text("frames: [unclosed\n", encoding="utf-8")
    if case == "ragged-csv":
        with (data / "claims.csv").open("a", encoding="utf-8") as file:
            file.write('C999,"unterminated\n')
    done = subprocess.run(
        [sys.executable, "-m", "mcis_report.cli", "validate", "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr.strip()
