"""The examples: another forum's dataset and notebook, and the tagger under Dask."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import nbformat
import pytest

import mcis_report
from mcis_report import coding

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def test_other_forum_dataset_validates_with_the_frozen_codebook():
    dataset, problems = mcis_report.check_dataset(EXAMPLES / "minsk_data")
    assert problems == []
    assert len(dataset.years) >= 2
    assert (
        dataset.claims["statement_id"]
        .map(dict(zip(dataset.statements["statement_id"], dataset.statements["year"], strict=False)))
        .nunique()
        >= 2
    )
    # the coding categories are the project's frozen codebook, unchanged; only the groups (the host) differ
    import yaml

    from mcis_report.tables import CODEBOOK_SECTIONS

    ours = yaml.safe_load((EXAMPLES / "minsk_data" / "codebook.yaml").read_text(encoding="utf-8"))
    project = yaml.safe_load((ROOT / "data" / "codebook.yaml").read_text(encoding="utf-8"))
    assert {s: ours[s] for s in CODEBOOK_SECTIONS} == {s: project[s] for s in CODEBOOK_SECTIONS}
    assert next(g for g in ours["groups"] if g["id"] == "host")["countries"] == ["BLR"]


def test_other_forum_notebook_runs_and_compares_the_two_forums(tmp_path):
    from nbclient import NotebookClient

    nb = nbformat.read(EXAMPLES / "other_forum.ipynb", as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(EXAMPLES)}})
    client.execute()
    outputs = [o for cell in nb.cells for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "no chart was drawn"
    comparison = nb.cells[-2].outputs[-1]["data"]["text/plain"]
    assert "cosine similarity of the frame profiles" in comparison
    assert "'MCIS': " in comparison


def _write_texts(folder: Path) -> None:
    folder.mkdir()
    (folder / "a.txt").write_text("A multipolar world is emerging; hegemony is over.", encoding="utf-8")
    (folder / "b.txt").write_text("عالم متعدد الأقطاب", encoding="utf-8")
    (folder / "c.txt").write_text("Nothing to see here.", encoding="utf-8")
    (folder / "d.txt").write_text("Многополярный мир и однополярность; multipolarity.", encoding="utf-8")
    (folder / "ignored.md").write_text("multipolar", encoding="utf-8")


@pytest.mark.parametrize("scheduler", ["synchronous", "threads"])
def test_dask_tagging_gives_the_same_table_as_the_serial_tagger(tmp_path, scheduler):
    pytest.importorskip("dask.bag")
    spec = importlib.util.spec_from_file_location("dask_tagging", EXAMPLES / "dask_tagging.py")
    dask_tagging = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dask_tagging)

    frames = mcis_report.load_dataset(ROOT / "tests" / "fixtures" / "mini").frames
    folder = tmp_path / "texts"
    _write_texts(folder)
    parallel = dask_tagging.tag_folder(folder, frames, scheduler=scheduler, partitions=2)
    serial = coding.code_folder(folder, frames)
    assert parallel.to_dict("records") == serial.to_dict("records")
    assert list(parallel["file"]) == ["a.txt", "b.txt", "c.txt", "d.txt"]
    assert parallel.loc[parallel["file"] == "c.txt", "hits"].item() == 0
    assert parallel.loc[parallel["file"] == "a.txt", "hits"].item() > 0


def test_dask_tagging_command_line(tmp_path, capsys):
    pytest.importorskip("dask.bag")
    spec = importlib.util.spec_from_file_location("dask_tagging", EXAMPLES / "dask_tagging.py")
    dask_tagging = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dask_tagging)
    folder = tmp_path / "texts"
    _write_texts(folder)
    assert (
        dask_tagging.main(
            [str(folder), "--data", str(ROOT / "tests" / "fixtures" / "mini"), "--scheduler", "synchronous"]
        )
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "file,frames,hits"
    assert len(lines) == 5
    json.dumps(lines)  # plain text, one line per file
