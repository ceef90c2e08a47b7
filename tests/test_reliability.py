"""Reliability (issue 9): one test per break, named after it, so a regression says which promise it broke.

break01 noise on the page        break05 symlinks in the output    break09 interrupts
break02 the cache forgets files  break06 bidi and invisible chars  break10 damage never repaired
break03 valid data breaks build  break07 formula injection in CSV  break11 smaller ones
break04 tracebacks, not one line break08 disk full during commit

Kernel builds are few and shared (module fixtures); every other test works on copies of their output.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import psutil
import pytest

from mcis_report import build, cache, charts, cli, execute, export
from mcis_report.dataset import check_dataset

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"
MISSING_GLYPH_CHAR = "\U0001fae8"  # "shaking face": not in DejaVu Sans
LONG_NAME = f"Vladimir Putin $$ {MISSING_GLYPH_CHAR} Minister of Defence of the Russian Federation speaking at length"
FORMULA = '=HYPERLINK("http://example.invalid","click") US$ 5 and US$ 6'


def run(*args: str) -> int:
    return cli.main(["build", "--lang", "en", *args])


def edit_csv(path: Path, change) -> None:
    """Rewrite a CSV file through ``change(rows)`` (a list of dicts), keeping its header."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def forbid_kernels(monkeypatch) -> None:
    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(execute.KernelWorker, "start", no_kernel)
    monkeypatch.setattr(execute.KernelWorker, "run_notebook", no_kernel)


def ended(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The mini data built once (2023, English); tests change copies of it."""
    out = tmp_path_factory.mktemp("reliability") / "out"
    assert run("--data", str(MINI), "--out", str(out)) == 0
    return out


@pytest.fixture
def copy(built, tmp_path) -> Path:
    target = tmp_path / "out"
    shutil.copytree(built, target, symlinks=True)
    return target


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Valid but hostile data (``$``, a glyph the font lacks, a very long name, formulas) built once."""
    base = tmp_path_factory.mktemp("hostile")
    data = base / "data"
    shutil.copytree(MINI, data)

    def speakers(rows):
        for row in rows:
            row["speaker_en"] = LONG_NAME

    def claims(rows):
        rows[1]["paraphrase_en"] = FORMULA  # rows 2 and 3 are the 2023 claims
        rows[-1]["paraphrase_en"] = "@SUM(A1:A2) and -x"

    edit_csv(data / "statements.csv", speakers)
    edit_csv(data / "claims.csv", claims)
    codebook = (data / "codebook.yaml").read_text(encoding="utf-8")
    (data / "codebook.yaml").write_text(
        codebook.replace("label_en: Against hegemony", "label_en: US$ 5 and US$ 6 against hegemony"), encoding="utf-8"
    )
    out = base / "out"
    stderr = io.StringIO()
    code = build.build_reports(lang="en", data_dir=data, out_dir=out, progress=lambda m: print(m, file=stderr))
    return data, out, code, stderr.getvalue()


# --- break 1: noise on the page ------------------------------------------------------------------------


def test_break01_no_stderr_block_in_html(hostile):
    _, out, _, log = hostile
    page = (out / "2023" / "en" / "report.html").read_text(encoding="utf-8")
    assert "stderr" not in page and "Warning" not in page and "output_stream" not in page
    assert "constrained_layout" not in log  # the heat map is sized to its labels


def test_break01_no_machine_path_in_any_output(hostile):
    data, out, _, _ = hostile
    machine = {str(data), str(out), str(ROOT), str(Path.home())}
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".ipynb", ".csv", ".svg", ".json"}:
            content = path.read_text(encoding="utf-8")
            assert not [m for m in machine if m in content], path
    notebook = json.loads((out / "2023" / "en" / "report.ipynb").read_text(encoding="utf-8"))
    outputs = [o for c in notebook["cells"] for o in c.get("outputs", [])]
    assert outputs and not [o for o in outputs if o["output_type"] == "stream"]


def test_break01_warning_becomes_a_build_message_naming_the_report(tmp_path, monkeypatch, capsys):
    notebook = tmp_path / "warns.ipynb"
    cells = [
        {
            "id": "params",
            "cell_type": "code",
            "metadata": {"tags": ["parameters"]},
            "source": 'edition = 2023\nlang = "en"\ndata_dir = "../data"\noutput_dir = "../outputs"',
            "outputs": [],
            "execution_count": None,
        },
        {
            "id": "warns",
            "cell_type": "code",
            "metadata": {},
            "source": "import warnings, sys\nwarnings.warn('deliberate noise')\nprint('stray', file=sys.stderr)",
            "outputs": [],
            "execution_count": None,
        },
    ]
    notebook.write_text(
        json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8"
    )
    monkeypatch.setattr(build, "NOTEBOOK", notebook)
    out = tmp_path / "out"
    assert run("--data", str(MINI), "--out", str(out)) == 0
    err = capsys.readouterr().err
    assert "[2023/en] warning: UserWarning: deliberate noise" in err
    assert "[2023/en] warning: stray" in err
    page = (out / "2023" / "en" / "report.html").read_text(encoding="utf-8")
    assert "deliberate noise" not in page and "stray" not in page


def test_break01_heatmap_fits_long_labels_and_missing_glyphs_without_warnings():
    charts.set_theme()
    matrix = pd.DataFrame([[1, 0], [2, 3]], index=[LONG_NAME, "Short"], columns=[LONG_NAME, "NUL-free"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax = charts.heatmap(matrix, xlabel="Frame", ylabel="Speaker")
        ax.figure.savefig(io.BytesIO(), format="png")
        ax.figure.savefig(io.BytesIO(), format="svg")
    assert not [w for w in caught if issubclass(w.category, UserWarning)], [str(w.message) for w in caught]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert MISSING_GLYPH_CHAR not in labels[0] and charts.MISSING_GLYPH in labels[0]
    assert all(len(line) <= charts.LABEL_WIDTH for label in labels for line in label.split("\n"))
    plt.close("all")


# --- break 2: the cache forgets files --------------------------------------------------------------------


def markdown_changed(tmp_path: Path, monkeypatch) -> None:
    notebook = tmp_path / "notebooks" / "edition_report.ipynb"
    notebook.parent.mkdir()
    document = json.loads(build.NOTEBOOK.read_text(encoding="utf-8"))
    document["cells"][0]["source"] = ["An edited note."]
    notebook.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setattr(build, "NOTEBOOK", notebook)


def test_break02_deleted_figure_is_rebuilt(copy, tmp_path, monkeypatch, capsys):
    report = copy / "2023" / "en"
    markdown_changed(tmp_path, monkeypatch)
    (copy / "_failed" / "2023" / "en").mkdir(parents=True)
    (copy / "_failed" / "2023" / "en" / "report.html").write_text("old failure", encoding="utf-8")
    with monkeypatch.context() as patch:
        forbid_kernels(patch)
        assert run("--data", str(MINI), "--out", str(copy)) == 0
    assert "exporting again without executing" in capsys.readouterr().err
    manifest = cache.read_manifest(report)
    assert "figures/participation_timeline.png" in manifest["files"] and "tables/claims.csv" in manifest["files"]
    assert not (copy / "_failed").exists()  # break 10: a stale failure is cleared when the report builds
    figure = report / "figures" / "participation_timeline.png"
    expected = figure.read_bytes()
    figure.unlink()
    assert run("--data", str(MINI), "--out", str(copy)) == 0
    err = capsys.readouterr().err
    assert "executing on" in err and "exporting again" not in err
    assert figure.read_bytes() == expected
    assert run("--data", str(MINI), "--out", str(copy)) == 0
    assert "up to date" in capsys.readouterr().err


@pytest.mark.parametrize(
    "manifest",
    [
        "[]",
        "null",
        '{"files": null}',
        '{"execution": 1, "export": 2, "files": {}}',
        '{"execution": "a", "export": "b", "files": {"../../x": "0"}}',
        "{not json",
    ],
)
def test_break02_malformed_manifest_counts_as_none(copy, manifest):
    (copy / "2023" / "en" / cache.MANIFEST).write_text(manifest, encoding="utf-8")
    assert cache.read_manifest(copy / "2023" / "en") == {}
    [plan] = build.plan_units([build.Unit(2023, "en")], MINI, copy, force=False)
    assert plan.action == "execute"


# --- break 3: data that validates breaks the build ----------------------------------------------------------


def test_break03_dollar_in_names_and_labels_builds(hostile):
    _, out, code, _ = hostile
    assert code and (out / "2023" / "en" / "report.html").is_file()


def test_break03_dollar_labels_are_drawn_as_plain_text():
    charts.set_theme()
    matrix = pd.DataFrame([[1]], index=["Vladimir Putin $$"], columns=["US$ 5 and US$ 6"])
    ax = charts.heatmap(matrix, xlabel="$x$", ylabel="Speaker")
    ax.figure.savefig(io.BytesIO(), format="png")  # mathtext would raise on "$$"
    texts = [*ax.get_xticklabels(), *ax.get_yticklabels(), ax.xaxis.label]
    assert all(not t.get_parse_math() for t in texts)
    bars = pd.DataFrame({"who": ["A $x$", "B$$"], "n": [1, 2], "kind": ["$1", "$2"]})
    ax = charts.bar_chart(bars, x="n", y="who", hue="kind", xlabel="n", ylabel="who")
    ax.figure.savefig(io.BytesIO(), format="png")
    legend = ax.figure.legends[0].get_texts()
    assert [t.get_text() for t in legend] == ["$1", "$2"] and not any(t.get_parse_math() for t in legend)
    assert plt.rcParams["text.parse_math"] is True  # no global change
    plt.close("all")


ALIAS_BOMB = """
lol: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
lol2: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
lol3: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
lol4: [*c, *c, *c, *c, *c, *c, *c, *c, *c]
"""


@pytest.mark.parametrize(
    ("addition", "expected"),
    [
        (ALIAS_BOMB, "anchor &a is not allowed"),
        ("extra: !!str tagged\n", "tag tag:yaml.org,2002:str is not allowed"),
        ("extra: " + "[" * 1000 + "]" * 1000 + "\n", "nested more than 8 levels"),
        ("frames: []\n", "key 'frames' appears twice"),
        ("notes: free text\n", "codebook.yaml:-:notes: unknown section"),
    ],
)
def test_break03_hostile_yaml_is_rejected(broken_copy, addition, expected):
    data = broken_copy()
    with (data / "codebook.yaml").open("a", encoding="utf-8") as handle:
        handle.write(addition)
    dataset, problems = check_dataset(data)
    assert dataset is None
    assert any(expected in str(p) for p in problems), problems


def test_break03_unknown_codebook_entry_key_is_rejected(broken_copy):
    data = broken_copy()
    text = (data / "codebook.yaml").read_text(encoding="utf-8")
    (data / "codebook.yaml").write_text(
        text.replace("    label_en: Sovereignty\n", "    label_en: Sovereignty\n    colour: red\n"), encoding="utf-8"
    )
    _, problems = check_dataset(data)
    assert [p.column for p in problems] == ["frames.colour"]


def test_break03_ids_grow_past_999_and_memberships_are_unique(broken_copy):
    data = broken_copy()
    edit_csv(data / "claims.csv", lambda rows: rows[0].update(claim_id="C1000"))
    assert check_dataset(data)[1] == []
    edit_csv(data / "memberships.csv", lambda rows: rows.append(dict(rows[0])))
    _, problems = check_dataset(data)
    assert len(problems) == 1 and problems[0].file == "memberships.csv" and "duplicate row" in problems[0].message


def test_break03_data_readme_lists_what_validate_rejects():
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What `validate` rejects", 1)[1]
    for rule in ("U+202A", "U+2066", "anchors", "twice", "nesting", "memberships.csv", "OWASP"):
        assert rule in section, rule


# --- break 4: tracebacks instead of one line and exit 2 ----------------------------------------------------


def test_break04_unreadable_data_file_is_one_line(broken_copy, tmp_path, monkeypatch, capsys):
    data = broken_copy()
    read_bytes = Path.read_bytes

    def deny(path):
        if path.name == "claims.csv":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", deny)
    assert cli.main(["validate", "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert "claims.csv:-:-: cannot read the file: Permission denied" in err and "Traceback" not in err
    assert run("--data", str(data), "--out", str(tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert "claims.csv" in err and "Traceback" not in err


def test_break04_unreadable_data_folder_is_one_line(tmp_path, monkeypatch, capsys):
    is_dir = Path.is_dir

    def deny(path):
        if path.name == "locked":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return is_dir(path)

    monkeypatch.setattr(Path, "is_dir", deny)
    assert run("--data", str(tmp_path / "locked"), "--out", str(tmp_path / "out")) == 2
    assert "Permission denied" in one_line_error(capsys)


def test_break04_deep_yaml_is_one_problem(broken_copy, capsys):
    data = broken_copy()
    with (data / "codebook.yaml").open("a", encoding="utf-8") as handle:
        handle.write("deep:\n" + "".join("  " * i + "- \n" for i in range(1, 1000)))
    assert cli.main(["validate", "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert "nested more than" in err and "Traceback" not in err and "RecursionError" not in err


@pytest.mark.parametrize("args", [("--edition", "²"), ("--timeout", "0"), ("--timeout", "-5"), ("--jobs", "0")])
def test_break04_bad_parameter_is_one_line(tmp_path, capsys, args):
    assert run("--data", str(MINI), "--out", str(tmp_path / "out"), *args) == 2
    one_line_error(capsys)


def test_break04_out_is_a_file(tmp_path, capsys):
    target = tmp_path / "file"
    target.write_text("mine", encoding="utf-8")
    assert run("--data", str(MINI), "--out", str(target)) == 2
    assert "is a file" in one_line_error(capsys)
    assert target.read_text(encoding="utf-8") == "mine"


def test_break04_read_only_output_folder_even_when_up_to_date(copy, monkeypatch, capsys):
    opener = Path.open

    def read_only(path, mode="r", *args, **kwargs):
        if path.name == build.LOCK_FILE:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return opener(path, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", read_only)
    assert run("--data", str(MINI), "--out", str(copy)) == 2
    assert "Read-only file system" in one_line_error(capsys)


def test_break04_lock_path_is_a_folder(copy, capsys):
    lock = copy / build.LOCK_FILE
    lock.unlink()
    lock.mkdir()
    assert run("--data", str(MINI), "--out", str(copy)) == 2
    assert build.LOCK_FILE in one_line_error(capsys)


def test_break04_stray_language_folder_is_left_out_of_the_index(copy, monkeypatch, capsys):
    stray = copy / "2023" / "fr"
    stray.mkdir()
    (stray / "report.html").write_text("not ours", encoding="utf-8")
    forbid_kernels(monkeypatch)
    assert run("--data", str(MINI), "--out", str(copy)) == 0
    index = (copy / "index.html").read_text(encoding="utf-8")
    assert "2023/en/report.html" in index and "2023/fr" not in index


def test_break04_truncated_stored_notebook_is_executed_again(copy, tmp_path, monkeypatch, capsys):
    notebook = copy / "2023" / "en" / "report.ipynb"
    notebook.write_bytes(notebook.read_bytes()[:200])
    markdown_changed(tmp_path, monkeypatch)
    [plan] = build.plan_units([build.Unit(2023, "en")], MINI, copy, force=False)
    assert plan.action == "execute"  # the manifest's hash shows the damage
    plan.action = "export"
    with pytest.raises(build._StoredNotebookUnusable):  # and were it re-exported, it falls back to executing
        build._reexport_unit(plan, copy)


# --- break 5: symbolic links in the output folder ------------------------------------------------------------


@pytest.mark.parametrize("link", ["2023/en/figures", "2023/en/tables", "2023/en", ".staging"])
def test_break05_symlink_in_output_is_refused_and_target_untouched(copy, tmp_path, monkeypatch, capsys, link):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("precious", encoding="utf-8")
    path = copy / link
    if path.exists():
        shutil.rmtree(path)
    path.symlink_to(victim, target_is_directory=True)
    forbid_kernels(monkeypatch)
    assert run("--data", str(MINI), "--out", str(copy), "--force") == 2
    assert "symbolic link" in one_line_error(capsys)
    assert [p.name for p in victim.iterdir()] == ["keep.txt"]
    assert (victim / "keep.txt").read_text(encoding="utf-8") == "precious"


def test_break05_foreign_index_is_not_overwritten(copy, monkeypatch, capsys):
    index = copy / "index.html"
    index.write_text("<!DOCTYPE html><title>somebody else's</title>", encoding="utf-8")
    forbid_kernels(monkeypatch)
    assert run("--data", str(MINI), "--out", str(copy)) == 2
    assert "index.html" in one_line_error(capsys)
    assert index.read_text(encoding="utf-8") == "<!DOCTYPE html><title>somebody else's</title>"


def test_break05_index_carries_the_generator_mark(built):
    assert export.is_our_index(built / "index.html")
    assert export.GENERATOR_MARK in export.index_page([(2023, "en")])


def test_break05_jobs_are_capped_at_the_cpu_count(copy, monkeypatch, capsys):
    forbid_kernels(monkeypatch)
    assert run("--data", str(MINI), "--out", str(copy), "--jobs", "999") == 0
    assert f"--jobs 999 is more than the {build.available_cpus()} CPU(s)" in capsys.readouterr().err


# --- break 6: bidi controls and invisible characters ---------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\u202e", "\u202a", "\u2066", "\u2069", "\r"])
def test_break06_control_and_bidi_characters_rejected_with_file_row_column(broken_copy, char):
    data = broken_copy()
    edit_csv(data / "statements.csv", lambda rows: rows[1].update(speaker_en=f"Test{char} Host"))
    _, problems = check_dataset(data)
    assert [(p.file, p.row, p.column) for p in problems] == [("statements.csv", 3, "speaker_en")]
    assert f"U+{ord(char):04X}" in problems[0].message


def test_break06_bidi_override_in_codebook_is_rejected(broken_copy):
    data = broken_copy()
    text = (data / "codebook.yaml").read_text(encoding="utf-8")
    (data / "codebook.yaml").write_text(
        text.replace("label_en: Sovereignty", "label_en: Sove\u202ereignty"), encoding="utf-8"
    )
    _, problems = check_dataset(data)
    assert len(problems) == 1 and problems[0].file == "codebook.yaml" and problems[0].row is not None
    assert "U+202E" in problems[0].message


def test_break06_joiners_and_direction_marks_are_kept(broken_copy):
    data = broken_copy()
    edit_csv(
        data / "statements.csv",
        lambda rows: rows[1].update(speaker_ar="مي\u200cخواهم \u200dو\u200e \u200fالمضيف", session_en="a\tb"),
    )
    dataset, problems = check_dataset(data)
    assert problems == []
    assert "\u200c" in dataset.statements["speaker_ar"].iloc[1]


# --- break 7: spreadsheet formula injection ----------------------------------------------------------------


def test_break07_formula_cells_are_neutralised_in_derived_csv(hostile):
    _, out, _, _ = hostile
    text = (out / "2023" / "en" / "tables" / "claims.csv").read_text(encoding="utf-8")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + FORMULA in cells and "'@SUM(A1:A2) and -x" in cells
    assert not [c for c in cells if c[:1] in {"=", "+", "@", "\t", "\r"}]
    assert not [c for c in cells if c.startswith("-") and not c.lstrip("-").replace(".", "").isdigit()]


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-x", "'-x"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-3", "-3"),
        ("+1.5e3", "+1.5e3"),
        ("plain", "plain"),
        ("a=b", "a=b"),
    ],
)
def test_break07_neutralise_cell_follows_owasp(cell, safe):
    assert export.neutralise_cell(cell) == safe


# --- break 8: disk full during the commit ------------------------------------------------------------------


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_break08_commit_fails_nth_write_old_report_survives(copy, tmp_path, monkeypatch, code):
    """Fail the 1st, 2nd, … file operation of a commit: the old report stays byte for byte, nothing is left."""
    report = copy / "2023" / "en"
    before = snapshot(report)
    markdown_changed(tmp_path, monkeypatch)  # so that a successful commit changes the page
    write, rename = build._write_file, build._rename
    calls = {"n": 0, "fail": None}

    def counted(real):
        def step(path, *args):
            calls["n"] += 1
            if calls["n"] == calls["fail"]:
                raise OSError(code, os.strerror(code), str(path))
            return real(path, *args)

        return step

    monkeypatch.setattr(build, "_write_file", counted(write))
    monkeypatch.setattr(build, "_rename", counted(rename))
    [plan] = build.plan_units([build.Unit(2023, "en")], MINI, copy, force=False)
    assert plan.action == "export"
    steps = 0
    while True:
        calls.update(n=0, fail=steps + 1)
        try:
            build._reexport_unit(plan, copy)
        except build.BuildError as exc:
            steps += 1
            assert str(exc).startswith("[2023/en] could not write ") and os.strerror(code) in str(exc)
            assert "could not write 2023/en" in str(exc) or "could not write .staging" in str(exc), str(exc)
            assert snapshot(report) == before, f"write {steps} changed the old report"
            assert not [p for p in (copy / build.STAGING).rglob("*") if p.is_file()]
            continue
        break
    assert steps >= 4  # notebook, page, manifest and the two renames were each tried
    after = snapshot(report)
    assert after["report.ipynb"] != before["report.ipynb"]
    assert set(after) == set(before)


def test_break08_report_moved_aside_is_restored_by_the_next_build(copy, monkeypatch, capsys):
    before = snapshot(copy / "2023" / "en")
    aside = copy / build.STAGING / build.ASIDE / "2023-en"
    aside.parent.mkdir(parents=True)
    os.rename(copy / "2023" / "en", aside)  # as if killed between the two renames
    forbid_kernels(monkeypatch)
    assert run("--data", str(MINI), "--out", str(copy)) == 0
    assert "restored" in capsys.readouterr().err
    assert snapshot(copy / "2023" / "en") == before and not (copy / build.STAGING).exists()


# --- break 9: interrupts ------------------------------------------------------------------------------------


def test_break09_interrupt_says_interrupted_and_leaves_nothing(copy):
    before = snapshot(copy / "2023" / "en")
    command = [
        sys.executable,
        "-m",
        "mcis_report.cli",
        "build",
        "--data",
        str(MINI),
        "--out",
        str(copy),
        "--lang",
        "en",
        "--edition",
        "all",
        "--force",
        "--jobs",
        "1",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env)
    log = []
    for line in process.stderr:
        log.append(line)
        if "executing on" in line:
            break
    kernels = psutil.Process(process.pid).children(recursive=True)
    assert kernels, "no kernel running"
    # The kernels' connection files (with their keys) live in the staging area, never in the shared temp folder.
    assert len(list((copy / build.STAGING / build.KERNELS).glob("kernel-*.json"))) == len(kernels)
    process.send_signal(signal.SIGINT)
    process.send_signal(signal.SIGINT)  # a second Ctrl-C must not cut the clean-up short
    _, rest = process.communicate(timeout=60)
    err = "".join(log) + rest
    assert process.returncode == 130, err
    assert "interrupted" in err and "FAILED" not in err and "DeadKernelError" not in err and "Traceback" not in err
    assert not (copy / "_failed").exists() and not (copy / build.STAGING).exists()
    assert snapshot(copy / "2023" / "en") == before
    running = [p for p in kernels if not ended(p)]
    _, alive = psutil.wait_procs(running, timeout=10)
    assert all(ended(p) for p in alive)


def test_break09_next_build_cleans_what_a_killed_build_left(copy, monkeypatch):
    left = copy / build.STAGING
    (left / build.KERNELS).mkdir(parents=True)
    (left / build.KERNELS / "kernel-dead.json").write_text('{"key": "secret"}', encoding="utf-8")
    (left / "2023-en" / "2023" / "en").mkdir(parents=True)
    forbid_kernels(monkeypatch)
    assert run("--data", str(MINI), "--out", str(copy)) == 0
    assert not left.exists()


# --- break 10: damage is never repaired ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "damage"),
    [
        ("report.html", b""),
        ("report.html", b"<p>edited by hand</p>"),
        ("figures/participation_timeline.png", b"garbage"),
        ("tables/claims.csv", b"x\n"),
    ],
)
def test_break10_damaged_output_is_not_up_to_date(copy, name, damage):
    (copy / "2023" / "en" / name).write_bytes(damage)
    assert cache.damaged_files(copy / "2023" / "en", cache.read_manifest(copy / "2023" / "en")) == [name]
    [plan] = build.plan_units([build.Unit(2023, "en")], MINI, copy, force=False)
    assert plan.action == "execute"


def test_break10_stray_staging_file_does_not_fail_the_build(copy, monkeypatch):
    (copy / build.STAGING).write_text("stray", encoding="utf-8")
    forbid_kernels(monkeypatch)
    assert run("--data", str(MINI), "--out", str(copy)) == 0
    assert not (copy / build.STAGING).exists()


# --- break 11: smaller ones ------------------------------------------------------------------------------------


def test_break11_executed_notebook_names_no_machine_path(built):
    notebook = (built / "2023" / "en" / "report.ipynb").read_text(encoding="utf-8")
    assert str(built) not in notebook and str(MINI) not in notebook and ".staging" not in notebook
    assert 'data_dir = \\"../data\\"' in notebook


def test_break11_long_field_is_named_by_row_and_column(broken_copy):
    data = broken_copy()
    from mcis_report.loading import MAX_FIELD_SIZE

    edit_csv(data / "claims.csv", lambda rows: rows[0].update(paraphrase_en="x" * (MAX_FIELD_SIZE + 1)))
    _, problems = check_dataset(data)
    assert [(p.file, p.row, p.column) for p in problems] == [("claims.csv", 2, "paraphrase_en")]
    assert "characters long" in problems[0].message and "quotes" not in problems[0].message
    data = broken_copy("data2")
    edit_csv(data / "claims.csv", lambda rows: rows[0].update(paraphrase_en="y" * 200_000))  # over 128 KiB is fine
    assert check_dataset(data)[1] == []


def test_break11_timeout_prints_no_asyncio_noise(tmp_path):
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from mcis_report import build, cli\n"
        f"build.NOTEBOOK = Path({str(ROOT / 'tests' / 'fixtures' / 'notebooks' / 'slow.ipynb')!r})\n"
        f"sys.exit(cli.main(['build', '--data', {str(MINI)!r}, '--lang', 'en', '--out', {str(tmp_path / 'out')!r}, "
        "'--timeout', '1']))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert result.returncode == 1, result.stderr
    assert "CellTimeoutError" in result.stderr
    assert "Task was destroyed" not in result.stderr and "Traceback" not in result.stderr
