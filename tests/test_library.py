"""The package as a library: no global side effects at import, inline charts in a notebook kernel,
the build's own kernels off-screen, and ``--notebook`` checked before any kernel starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from mcis_report import build, cli

# Runs in a fresh interpreter. First it imports every third-party module the package's code imports
# (numpy, pandas and requests add warnings filters of their own when imported: theirs, not ours); then it
# records matplotlib's backend, every rcParam and the warnings filters, imports every module of the
# package, and reports what changed.
IMPORT_EVERY_MODULE = """
import ast, json, pkgutil, importlib, warnings
from pathlib import Path
import mcis_report
external = set()
for path in Path(mcis_report.__path__[0]).rglob("*.py"):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            external |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            external.add(node.module)
for name in sorted(n for n in external if n.split(".")[0] != "mcis_report"):
    try:
        importlib.import_module(name)
    except ImportError:  # an optional extra that is not installed
        pass
import matplotlib
matplotlib.use("svg")  # a user's own choice (headless, the default would already be Agg)
backend = matplotlib.get_backend()
params = {k: repr(v) for k, v in matplotlib.rcParams.items()}
filters = [repr(f) for f in warnings.filters]
names = sorted(m.name for m in pkgutil.walk_packages(mcis_report.__path__, "mcis_report."))
for name in names:
    importlib.import_module(name)
after = {k: repr(v) for k, v in matplotlib.rcParams.items()}
print(json.dumps({
    "modules": names,
    "backend": [backend, matplotlib.get_backend()],
    "rcparams": sorted(k for k in set(params) | set(after) if params.get(k) != after.get(k)),
    "filters": [f for f in (repr(f) for f in warnings.filters) if f not in filters],
}))
"""


def _env_without_backend() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}


def test_importing_every_module_changes_no_global_state():
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_MODULE],
        capture_output=True,
        text=True,
        env=_env_without_backend(),
        check=True,
    )
    report = json.loads(result.stdout)
    assert {"mcis_report.charts", "mcis_report.build", "mcis_report.report.edition"} <= set(report["modules"])
    before, after = report["backend"]
    assert after == before
    assert report["rcparams"] == []
    assert report["filters"] == []


def _executed_outputs(nb, **kwargs) -> list[dict]:
    from nbclient import NotebookClient

    NotebookClient(nb, kernel_name="python3", timeout=120, **kwargs).execute()
    return [o for cell in nb.cells for o in cell.get("outputs", [])]


def test_heatmap_shows_inline_in_a_fresh_kernel(monkeypatch):
    monkeypatch.delenv("MPLBACKEND", raising=False)
    nb = new_notebook(
        cells=[
            new_code_cell(
                "import pandas as pd\n"
                "from mcis_report import charts\n"
                "matrix = pd.DataFrame([[1, 0], [2, 3]], index=['Dong', 'Li'],\n"
                "                      columns=['Sovereignty', 'Anti-hegemony'])\n"
                "charts.heatmap(matrix, xlabel='Frame', ylabel='Speaker')"
            )
        ]
    )
    outputs = _executed_outputs(nb)
    images = [o for o in outputs if o["output_type"] == "display_data" and "image/png" in o.get("data", {})]
    assert len(images) == 1


def test_build_kernels_draw_off_screen():
    from mcis_report.execute import KernelWorker

    worker = KernelWorker(Path.cwd(), "test kernel")
    try:
        worker.start()
        nb = worker._run(new_notebook(cells=[new_code_cell("import matplotlib; print(matplotlib.get_backend())")]))
    finally:
        worker.kill()
    assert nb.cells[0].outputs[0]["text"].strip().lower() == "agg"


# --- --notebook -------------------------------------------------------------------------------------------


def _build(tmp_path, mini_dir, notebook, *extra) -> int:
    return cli.main(
        [
            "build",
            "--data",
            str(mini_dir),
            "--out",
            str(tmp_path / "out"),
            "--edition",
            "2023",
            "--lang",
            "en",
            "--jobs",
            "1",
            "--notebook",
            str(notebook),
            *extra,
        ]
    )


def _with_parameters(tmp_path, source: str) -> Path:
    cell = new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    path = tmp_path / "mine.ipynb"
    nbformat.write(new_notebook(cells=[cell, new_code_cell("1")]), path)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "absent.ipynb", "notebook not found"),
        (
            lambda tmp: (tmp / "bad.ipynb").write_text("{not json", encoding="utf-8") and tmp / "bad.ipynb",
            "not a Jupyter notebook",
        ),
        (
            lambda tmp: _with_parameters(tmp, "edition = 2023\nlang = 'en'\ndata_dir = 'd'"),
            "does not declare output_dir",
        ),
        (
            lambda tmp: (
                nbformat.write(new_notebook(cells=[new_code_cell("edition = 1")]), tmp / "plain.ipynb")
                or tmp / "plain.ipynb"
            ),
            "no cell tagged 'parameters'",
        ),
    ],
)
def test_a_wrong_notebook_exits_2_with_one_line_before_any_kernel(
    tmp_path, mini_dir, capsys, monkeypatch, make, message
):
    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr("mcis_report.execute.KernelWorker.start", no_kernel)
    assert _build(tmp_path, mini_dir, make(tmp_path)) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert message in err
    assert "Traceback" not in err


def test_check_notebook_accepts_the_shipped_notebook():
    assert build.check_notebook(build.NOTEBOOK) == build.NOTEBOOK.resolve()
    assert build.NOTEBOOK.is_file()
    assert "src" not in build.NOTEBOOK.relative_to(Path(build.__file__).parent).parts


def test_build_runs_your_own_notebook(tmp_path, mini_dir):
    mine = nbformat.read(build.NOTEBOOK, as_version=4)
    mine.cells.insert(2, new_markdown_cell("Analyst's own note: notebook 5c1e."))
    path = tmp_path / "nb" / "my_report.ipynb"
    path.parent.mkdir()
    nbformat.write(mine, path)
    assert _build(tmp_path, mini_dir, path) == 0
    page = (tmp_path / "out" / "2023" / "en" / "report.html").read_text(encoding="utf-8")
    assert "notebook 5c1e" in page


# --- documented API -----------------------------------------------------------------------------------------


def _public_functions():
    import inspect

    from mcis_report import analysis, charts, dataset

    yield dataset.load_dataset
    yield dataset.check_dataset
    for module in (analysis, charts):
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and fn.__module__ == module.__name__:
                yield fn


@pytest.mark.parametrize("fn", list(_public_functions()), ids=lambda fn: f"{fn.__module__}.{fn.__name__}")
def test_public_functions_have_numpy_style_docstrings(fn):
    doc = fn.__doc__ or ""
    for section in ("Returns\n", "Examples\n"):
        assert section in doc, f"{fn.__name__}: no {section.strip()} section"
    if fn.__code__.co_argcount or fn.__code__.co_kwonlyargcount:
        assert "Parameters\n" in doc, f"{fn.__name__}: no Parameters section"


@pytest.mark.parametrize("module", ["mcis_report.dataset", "mcis_report.charts", "mcis_report.analysis"])
def test_docstring_examples_run(module, monkeypatch):
    import doctest
    import importlib

    import matplotlib.pyplot as plt

    monkeypatch.chdir(Path(__file__).resolve().parents[1])  # the examples read data/ from the project root
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    plt.close("all")
    assert result.failed == 0
    assert result.attempted > 0


def test_py_typed_marker_ships_with_the_package():
    import mcis_report

    assert (Path(mcis_report.__file__).parent / "py.typed").is_file()
