"""`mcis-report code`: streaming coding of folders, text files and CSV columns; bad inputs reported."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from mcis_report import cli

MINI = Path(__file__).parent / "fixtures" / "mini"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["code", *argv, "--data", str(MINI)])
    out, err = capsys.readouterr()
    return code, out, err


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "speeches"
    (folder / "2023").mkdir(parents=True)
    (folder / "a.txt").write_text("A multipolar, polycentric world without hegemony.", encoding="utf-8")
    (folder / "2023" / "b.txt").write_text("نرفض الهيمنة وندافع عن السيادة", encoding="utf-8")
    (folder / "notes.md").write_text("multipolar", encoding="utf-8")  # not a .txt: skipped
    return folder


def test_codes_a_folder_to_stdout(capsys, corpus):
    code, out, err = run(capsys, str(corpus))
    assert code == 0 and err == ""
    table = rows(out)
    assert [Path(r["document"]).name for r in table] == ["b.txt", "a.txt"]  # sorted paths: 2023/b before a
    a = table[1]
    assert a["frames"] == "multipolar_order;anti_hegemony" and a["hits"] == "3" and a["words"] == "6"
    assert a["multipolar_order"] == "2" and a["multipolar_order_per_1000"] == "333.333"
    assert table[0]["frames"] == "anti_hegemony;sovereignty"


def test_bad_file_among_good_ones_exits_2_with_the_good_ones_coded(capsys, corpus, tmp_path):
    (corpus / "latin1.txt").write_bytes("souverainet\u00e9 multipolar".encode("latin-1"))
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    out_file = tmp_path / "codes.csv"
    code, out, err = run(capsys, str(corpus), str(tmp_path / "missing.txt"), "--out", str(out_file))
    assert code == 2 and out == ""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert any("latin1.txt:1:-: not UTF-8 text" in line for line in lines)
    assert any("empty.txt:-:-: empty file" in line for line in lines)
    assert any("image.txt:-:-: binary file" in line for line in lines)
    assert any("missing.txt:-:-: no such file or folder" in line for line in lines)
    assert "4 input(s) could not be coded" in lines[-1]
    coded = rows(out_file.read_text(encoding="utf-8"))
    assert sorted(Path(r["document"]).name for r in coded) == ["a.txt", "b.txt"]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_csv_text_column(capsys, tmp_path):
    table = tmp_path / "speeches.csv"
    table.write_text('id,speech\n1,"Multipolar\nworld, hegemony"\n2,\n3,nothing here\n', encoding="utf-8")
    code, out, err = run(capsys, str(table), "--text-column", "speech")
    assert code == 2
    assert err.splitlines()[0] == f"{table}:4:speech: empty text"  # the record after a two-line cell
    coded = rows(out)
    assert [r["document"] for r in coded] == [f"{table}:2", f"{table}:5"]
    assert coded[0]["frames"] == "multipolar_order;anti_hegemony" and coded[1]["hits"] == "0"


def test_missing_csv_column_is_one_line(capsys, tmp_path, corpus):
    table = tmp_path / "speeches.csv"
    table.write_text("id,body\n1,multipolar\n", encoding="utf-8")
    code, out, err = run(capsys, str(table), str(corpus / "a.txt"))
    assert code == 2
    assert (
        err.splitlines()[0] == f"{table}:1:text: no column 'text' (columns: id, body); name the text column "
        "with --text-column"
    )
    assert [Path(r["document"]).name for r in rows(out)] == ["a.txt"]


def test_parallel_jobs_give_the_same_output(capsys, corpus, tmp_path):
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert run(capsys, str(corpus), "--out", str(one))[0] == 0
    assert run(capsys, str(corpus), "--out", str(two), "--jobs", "2")[0] == 0
    assert one.read_bytes() == two.read_bytes()


def test_invalid_codebook_is_reported_without_a_traceback(capsys, tmp_path, corpus):
    (tmp_path / "data").mkdir()
    code = cli.main(["code", str(corpus), "--data", str(tmp_path / "data")])
    err = capsys.readouterr().err
    assert code == 2 and "codebook.yaml" in err and "Traceback" not in err
