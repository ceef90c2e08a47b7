"""End-to-end build: papermill execution, nbconvert export, outputs, errors and fail-safety."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from mcis_report import build, cli, report

ROOT = Path(__file__).resolve().parents[1]
FAILING = Path(__file__).parent / "fixtures" / "notebooks" / "failing.ipynb"


def run_cli(*args: str) -> int:
    return cli.main(["build", *args])


@pytest.fixture
def mini_build(mini_reports):
    return mini_reports


def test_build_writes_report_notebook_figures_tables_and_index(mini_build):
    report = mini_build / "2023" / "en" / "report.html"
    assert report.is_file()
    assert (mini_build / "2023" / "en" / "report.ipynb").is_file()
    assert any((mini_build / "2023" / "en" / "figures").glob("*.png"))
    assert any((mini_build / "2023" / "en" / "figures").glob("*.svg"))
    assert (mini_build / "2023" / "en" / "tables" / "claims.csv").is_file()
    index = (mini_build / "index.html").read_text(encoding="utf-8")
    assert 'href="2023/en/report.html"' in index
    assert not (mini_build / ".staging").exists()


def test_report_html_is_complete_self_contained_and_hides_code(mini_build):
    page = (mini_build / "2023" / "en" / "report.html").read_text(encoding="utf-8")
    # The mini 2023 edition is thin (3 claims): its contents list exactly the chapters it has.
    toc = re.findall(r'<li><a href="#([a-z_]+)">', page)
    assert toc == re.findall(r'<section class="chapter" id="([a-z_]+)">', page)
    assert {"key", "intro", "conclusion", "method"} <= set(toc) <= {p.id for p in report.parts("edition")}
    assert page.count("data:image/png;base64,") >= 1  # the participation timeline at least
    assert "<script" not in page  # nothing to run, nothing fetched
    assert not re.search(
        r'(src|href)="https?://', page.replace('rel="noreferrer"', "").split('<ol class="sources">')[0]
    )
    assert "ReportContext" not in page and "render_report" not in page  # code hidden from readers
    assert "Traceback" not in page and "jp-OutputArea-error" not in page
    assert "remove-cell" not in page and "Cells tagged" not in page
    html_tag = re.search(r"<html[^>]*>", page).group(0)
    assert 'lang="en"' in html_tag and 'dir="ltr"' in html_tag


def test_executed_notebook_has_no_error_outputs(mini_build):
    import nbformat

    nb = nbformat.read(mini_build / "2023" / "en" / "report.ipynb", as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert outputs and not [o for o in outputs if o.get("output_type") == "error"]


def forbid_kernels(monkeypatch):
    from mcis_report import execute

    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(execute.KernelWorker, "start", no_kernel)
    monkeypatch.setattr(execute.KernelWorker, "run_notebook", no_kernel)


def test_unknown_edition_or_language_fail_before_any_kernel(monkeypatch, tmp_path, mini_dir, capsys):
    forbid_kernels(monkeypatch)
    assert run_cli("--edition", "1999", "--data", str(mini_dir), "--out", str(tmp_path)) == 2
    assert "valid: 2022, 2023, all" in capsys.readouterr().err
    assert run_cli("--lang", "xx", "--data", str(mini_dir), "--out", str(tmp_path)) == 2
    assert "unknown language 'xx'" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_invalid_data_fails_with_problems_and_builds_nothing(broken_copy, tmp_path, capsys):
    data = broken_copy()
    (data / "claims.csv").write_text(
        (data / "claims.csv").read_text(encoding="utf-8").replace(",critical,", ",angry,", 1), encoding="utf-8"
    )
    assert run_cli("--data", str(data), "--out", str(tmp_path / "out")) == 2
    assert "claims.csv:2:stance:" in capsys.readouterr().err
    assert not list((tmp_path / "out").rglob("*.html"))


def test_output_folder_must_not_be_the_project(mini_dir, capsys):
    assert run_cli("--data", str(mini_dir), "--out", str(ROOT)) == 2
    assert "refusing" in capsys.readouterr().err


def test_failing_cell_names_cell_keeps_previous_report(monkeypatch, mini_build, tmp_path, capsys):
    out = tmp_path / "out"
    shutil.copytree(mini_build, out)
    previous = (out / "2023" / "en" / "report.html").read_bytes()
    monkeypatch.setattr(build, "NOTEBOOK", FAILING)
    code = run_cli("--data", str(ROOT / "tests" / "fixtures" / "mini"), "--out", str(out))
    err = capsys.readouterr().err
    assert code == 1
    assert "failing.ipynb" in err and "ValueError" in err and "deliberate failure for 2023" in err
    assert "edition=2023" in err and "lang=en" in err
    assert re.search(r"cell \d+", err)
    assert (out / "2023" / "en" / "report.html").read_bytes() == previous
    assert (out / "_failed" / "2023" / "en" / "report.ipynb").is_file()
    partial = (out / "_failed" / "2023" / "en" / "report.html").read_text(encoding="utf-8")
    assert "deliberate failure" in partial
    assert not [p for p in out.rglob("*.tmp")]


def test_hostile_names_render_as_text_in_the_page(broken_copy, tmp_path):
    data = broken_copy()
    statements = (data / "statements.csv").read_text(encoding="utf-8")
    (data / "statements.csv").write_text(
        statements.replace("Test Guest,", '"<script>alert(1)</script>",'), encoding="utf-8"
    )
    delegations = (data / "delegations.csv").read_text(encoding="utf-8")
    (data / "delegations.csv").write_text(
        delegations.replace("Test Guest,", '"<img src=x onerror=alert(2)>",'), encoding="utf-8"
    )
    out = tmp_path / "out"
    assert run_cli("--data", str(data), "--out", str(out)) == 0
    page = (out / "2023" / "en" / "report.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "<img src=x onerror" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page


def test_shipped_data_builds_the_default_report(tmp_path):
    out = tmp_path / "out"
    assert run_cli("--out", str(out), "--data", str(ROOT / "data")) == 0
    page = (out / "2023" / "en" / "report.html").read_text(encoding="utf-8")
    assert "Moscow Conference on International Security 2023" in page
    assert "76 countries" in page  # the organisers' post-event count in figures.csv


def test_edition_with_little_data_builds(tmp_path):
    out = tmp_path / "out"
    assert run_cli("--edition", "2012", "--out", str(out), "--data", str(ROOT / "data")) == 0
    page = (out / "2012" / "en" / "report.html").read_text(encoding="utf-8")
    assert "first edition in the data" in page


def test_kernels_take_the_longest_reports_first():
    from mcis_report.build import Unit, longest_first

    units = [Unit(2012, "en"), Unit(2023, "ar"), Unit(2023, "en", "trends"), Unit(2019, "en"), Unit(2023, "en")]
    order = [unit.name for unit in longest_first(units)]
    assert order[0] == "trends/en" and order[-1] == "2012/en"
    assert order.index("2023/ar") < order.index("2019/en") and order.index("2023/en") < order.index("2019/en")
