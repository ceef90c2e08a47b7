"""A warm kernel reused for another report, of another notebook, gives what a fresh kernel gives."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from mcis_report import execute
from mcis_report.export import normalise, notebook_bytes

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"

# What a report could depend on without meaning to: leftovers of the report run before it in the same
# kernel, the working directory, and the data as the kernel has it in memory.
PROBE = """\
import os
import mcis_report
ds = mcis_report.load_dataset(data_dir)
{
    "names": sorted(k for k in globals() if not k.startswith("_")),
    "cwd": os.getcwd(),
    "last_outputs": [repr(globals().get(n)) for n in ("_", "__", "___")],
    "open_figures": __import__("matplotlib.pyplot").pyplot.get_fignums(),
    "delegates": [int(v) for v in ds.figures.loc[ds.figures["metric"] == "delegates", "value"]],
}"""
# Another report notebook: it leaves a variable, a changed working directory, a changed dataset copy, an
# open figure and outputs (the last ones are kept as _, __ and ___).
LITTERING = """\
import os
import matplotlib.pyplot as plt
import mcis_report
leftover = mcis_report.load_dataset(data_dir)
leftover.figures["value"] = 0
os.chdir(os.path.dirname(os.getcwd()))
plt.figure()
"first output"
"""


def notebook(path: Path, *sources: str) -> Path:
    parameters = new_code_cell('data_dir = "data"', metadata={"tags": ["parameters"]})
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=[parameters, *map(new_code_cell, sources)]), path)
    return path


def probed(nb) -> dict:
    return ast.literal_eval(nb.cells[-1].outputs[0]["data"]["text/plain"])


@pytest.fixture
def worker_pair(tmp_path):
    started: list[execute.KernelWorker] = []

    def make(cwd: Path, data: Path) -> execute.KernelWorker:
        worker = execute.KernelWorker(cwd, f"kernel {len(started) + 1}", data, runtime_dir=tmp_path / "kernels")
        started.append(worker)
        return worker

    yield make
    for worker in started:
        worker.kill()


def test_reused_kernel_gives_the_bytes_of_a_fresh_one_across_notebooks(tmp_path, worker_pair):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    other = notebook(tmp_path / "other" / "trends.ipynb", LITTERING)
    # An output before the probe: IPython then shifts the last outputs (_ to __), leftovers included.
    probe = notebook(tmp_path / "editions" / "report.ipynb", '"probe output"', PROBE)
    parameters = {"data_dir": str(data)}

    reused = worker_pair(other.parent, data)
    reused.run_notebook(other, parameters)
    again = reused.run_notebook(probe, parameters)
    fresh = worker_pair(probe.parent, data).run_notebook(probe, parameters)

    assert probed(again)["cwd"] == str(probe.parent)
    assert "leftover" not in probed(again)["names"]
    assert probed(again)["open_figures"] == []
    # As in a new IPython session: `_` is the probe notebook's own output; nothing older is kept.
    assert probed(again)["last_outputs"] == [repr("probe output"), repr(""), repr("")]
    for nb in (again, fresh):
        normalise(nb)
    assert notebook_bytes(again) == notebook_bytes(fresh)


def test_reused_kernel_reads_the_data_again_when_a_file_changes(tmp_path, worker_pair):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    probe = notebook(tmp_path / "report.ipynb", PROBE)
    worker = worker_pair(tmp_path, data)  # its warm-up loads the data once

    before = probed(worker.run_notebook(probe, {"data_dir": str(data)}))["delegates"]
    figures = data / "figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace(",delegates,500,", ",delegates,501,", 1))
    after = probed(worker.run_notebook(probe, {"data_dir": str(data)}))["delegates"]

    assert 500 in before and 501 not in before
    assert 501 in after and 500 not in after
