"""Build engine: cache, Markdown-only re-export, parallel kernels, determinism, interrupts, timeouts."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from mcis_report import build, cli, execute

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"
NOTEBOOKS = ROOT / "tests" / "fixtures" / "notebooks"


def run(*args: str) -> int:
    """Build the mini data in English (a later ``--lang`` in ``args`` wins)."""
    return cli.main(["build", "--data", str(MINI), "--lang", "en", *args])


def kernels_alive(before: frozenset[int] = frozenset()) -> list[psutil.Process]:
    """Kernel processes started by this test process that are still running (leaving out ``before``'s pids)."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            if (
                "ipykernel" in " ".join(child.cmdline())
                and child.status() != psutil.STATUS_ZOMBIE
                and child.pid not in before
            ):
                found.append(child)
        except psutil.NoSuchProcess:
            continue
    return found


def forbid_kernels(monkeypatch):
    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(execute.KernelWorker, "start", no_kernel)
    monkeypatch.setattr(execute.KernelWorker, "run_notebook", no_kernel)


@pytest.fixture
def built(mini_reports):
    return mini_reports


def copy_of(out: Path, tmp_path: Path) -> Path:
    target = tmp_path / "out"
    shutil.copytree(out, target)
    return target


def test_noop_rebuild_starts_no_kernel(built, tmp_path, monkeypatch, capsys):
    out = copy_of(built, tmp_path)
    before = (out / "2023" / "en" / "report.html").read_bytes()
    forbid_kernels(monkeypatch)
    assert run("--edition", "all", "--out", str(out)) == 0
    assert capsys.readouterr().err.count("up to date") == 3  # both editions and the trends report
    assert (out / "2023" / "en" / "report.html").read_bytes() == before


def test_deleted_output_is_rebuilt(built, tmp_path, capsys):
    out = copy_of(built, tmp_path)
    (out / "2023" / "en" / "report.html").unlink()
    assert run("--out", str(out)) == 0
    assert "executing" in capsys.readouterr().err
    assert (out / "2023" / "en" / "report.html").is_file()


def test_markdown_only_change_reexports_without_executing(built, tmp_path, monkeypatch, capsys):
    out = copy_of(built, tmp_path)
    notebook = tmp_path / "notebooks" / "edition_report.ipynb"
    notebook.parent.mkdir()
    document = json.loads(build.NOTEBOOK.read_text(encoding="utf-8"))
    document["cells"][0]["source"] = ["An analyst's edited note."]
    notebook.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setattr(build, "NOTEBOOK", notebook)
    forbid_kernels(monkeypatch)
    assert run("--out", str(out)) == 0
    assert "exporting again without executing" in capsys.readouterr().err
    executed = json.loads((out / "2023" / "en" / "report.ipynb").read_text(encoding="utf-8"))
    assert "".join(executed["cells"][0]["source"]) == "An analyst's edited note."
    assert "render_report(ctx" in "".join("".join(c["source"]) for c in executed["cells"])
    assert any(c.get("outputs") for c in executed["cells"])
    assert run("--out", str(out)) == 0  # and now it is up to date
    assert "up to date" in capsys.readouterr().err


def test_data_change_reexecutes_only_then(built, tmp_path, capsys):
    out = copy_of(built, tmp_path)
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    figures = (data / "figures.csv").read_text(encoding="utf-8")
    (data / "figures.csv").write_text(figures.replace("2023,countries,50,", "2023,countries,58,"), encoding="utf-8")
    assert cli.main(["build", "--data", str(data), "--out", str(out)]) == 0
    assert "executing" in capsys.readouterr().err
    assert "58 countries" in (out / "2023" / "en" / "report.html").read_text(encoding="utf-8")


def test_force_reexecutes_and_output_is_byte_identical(built, tmp_path, capsys):
    out = copy_of(built, tmp_path)
    names = (
        "2023/en/report.html",
        "2023/en/report.ipynb",
        "2022/en/report.html",
        "2022/en/report.ipynb",
        "2023/en/figures/participation_timeline.svg",
        "2023/en/figures/participation_timeline.png",
        "index.html",
    )
    assert run("--edition", "all", "--out", str(out), "--force", "--jobs", "2") == 0  # two fresh kernels
    first = {name: (out / name).read_bytes() for name in names}
    capsys.readouterr()
    assert run("--edition", "all", "--out", str(out), "--force", "--jobs", "1") == 0  # one kernel, reused
    assert capsys.readouterr().err.count("executing on kernel 1") == 3  # both editions and the trends report
    for name in names:
        assert (out / name).read_bytes() == first[name], name
    # The page does not depend on where the output folder is.
    assert (out / "2023/en/report.html").read_bytes() == (built / "2023/en/report.html").read_bytes()


def test_executed_notebook_has_no_run_specific_metadata(built):
    executed = json.loads((built / "2023" / "en" / "report.ipynb").read_text(encoding="utf-8"))
    text = json.dumps(executed)
    assert "papermill" not in executed["metadata"]
    assert '"execution"' not in text and "start_time" not in text and ".staging" not in text
    counts = [c["execution_count"] for c in executed["cells"] if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1))


def running_kernels() -> frozenset[int]:
    """Pids of the kernels already running: a test checks only the kernels its own build started."""
    return frozenset(p.pid for p in kernels_alive())


def test_parallel_units_each_on_its_own_kernel(tmp_path, capsys):
    before = running_kernels()
    assert run("--edition", "all", "--out", str(tmp_path / "out"), "--jobs", "2") == 0
    err = capsys.readouterr().err
    assert "[2022/en] executing on kernel" in err and "[2023/en] executing on kernel" in err
    assert "kernel 1" in err and "kernel 2" in err
    assert not kernels_alive(before)


def test_failing_cell_leaves_no_kernel(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(build, "NOTEBOOK", NOTEBOOKS / "failing.ipynb")
    before = running_kernels()
    assert run("--out", str(tmp_path / "out")) == 1
    assert "cell 4 (`raise ValueError(f'deliberate failure for {edition}')`)" in capsys.readouterr().err
    assert not kernels_alive(before)


def test_cell_timeout_fails_the_cell_and_ends_its_kernel(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(build, "NOTEBOOK", NOTEBOOKS / "slow.ipynb")
    before = running_kernels()
    started = time.monotonic()
    assert run("--out", str(tmp_path / "out"), "--timeout", "2") == 1
    assert time.monotonic() - started < 30
    err = capsys.readouterr().err
    assert "CellTimeoutError" in err and "cell 2" in err and "edition=2023" in err
    assert not kernels_alive(before)
    assert (tmp_path / "out" / "_failed" / "2023" / "en" / "report.ipynb").is_file()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_interrupted_build_leaves_no_kernel_and_no_partial_file(built, tmp_path, sig):
    out = copy_of(built, tmp_path)
    before = (out / "2023" / "en" / "report.html").read_bytes()
    command = [
        sys.executable,
        "-m",
        "mcis_report.cli",
        "build",
        "--data",
        str(MINI),
        "--out",
        str(out),
        "--edition",
        "all",
        "--lang",
        "all",
        "--force",
    ]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    driver = psutil.Process(process.pid)
    log = []
    for line in process.stderr:  # wait until a report is being executed
        log.append(line)
        if "executing on" in line:
            break
    kernels = {c.pid for c in driver.children(recursive=True) if "ipykernel" in " ".join(c.cmdline())}
    assert kernels, "no kernel running"
    time.sleep(0.5)
    process.send_signal(sig)
    _, rest = process.communicate(timeout=60)
    err = "".join(log) + rest
    assert process.returncode == 130, err
    assert "interrupted" in err
    time.sleep(0.5)
    alive = [pid for pid in kernels if psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE]
    assert not alive
    assert not list(out.rglob("*.tmp")) and not (out / ".staging").exists()
    assert (out / "2023" / "en" / "report.html").read_bytes() == before
