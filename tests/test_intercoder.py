"""Inter-coder reliability: Krippendorff's alpha per frame, rare frames, the prevalence-weighted overall."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from mcis_report import intercoder


def coding(rows: dict[str, tuple[str, str]]) -> pd.DataFrame:
    table = pd.DataFrame([{"claim_id": k, "frames": f, "targets": t} for k, (f, t) in rows.items()])
    for column in ("frames", "targets"):
        table[column] = [frozenset(x for x in cell.split(";") if x) for cell in table[column]]
    return table.set_index("claim_id")


def nominal_alpha_two_coders(a: list[int], b: list[int]) -> float:
    """Krippendorff's alpha for two coders, binary data, no missing values (the textbook formula)."""
    n = 2 * len(a)
    pairs = list(zip(a, b, strict=True))
    observed = sum(2 for x, y in pairs if x != y) / n
    ones = sum(a) + sum(b)
    expected = 2 * ones * (n - ones) / (n * (n - 1))
    return 1 - observed / expected


def test_perfect_agreement_is_one_and_chance_level_is_near_zero():
    same = {f"C{i}": ("x" if i % 2 else "y", "") for i in range(10)}
    table = intercoder.agreement(coding(same), coding(same), "frames", ["x", "y"], min_positives=1)
    assert list(table["alpha"]) == [1.0, 1.0]
    assert intercoder.overall_alpha(table) == 1.0


def test_alpha_matches_the_textbook_formula():
    first = {f"C{i}": ("x" if i < 6 else "y", "") for i in range(12)}
    second = {f"C{i}": ("x" if i < 4 or i == 8 else "y", "") for i in range(12)}
    table = intercoder.agreement(coding(first), coding(second), "frames", ["x"], min_positives=1)
    a = [1 if i < 6 else 0 for i in range(12)]
    b = [1 if i < 4 or i == 8 else 0 for i in range(12)]
    assert table.loc[0, "alpha"] == pytest.approx(nominal_alpha_two_coders(a, b))
    assert table.loc[0, "first"] == 6 and table.loc[0, "second"] == 5 and table.loc[0, "positives"] == 7


def test_rare_frames_get_no_alpha_and_do_not_weigh_in_the_overall():
    first = {f"C{i}": ("x;r" if i == 0 else "x" if i < 8 else "y", "") for i in range(16)}
    second = {f"C{i}": ("x" if i < 7 else "y", "") for i in range(16)}
    table = intercoder.agreement(coding(first), coding(second), "frames", ["x", "y", "r"])
    rare = table.set_index("id").loc["r"]
    assert bool(rare["too_rare"]) and math.isnan(rare["alpha"])
    usable = table[~table["too_rare"]]
    expected = sum(usable["alpha"] * usable["positives"]) / usable["positives"].sum()
    assert intercoder.overall_alpha(table) == pytest.approx(expected)


def test_only_claims_in_both_codings_are_compared_and_none_in_common_is_an_error():
    first = coding({"C1": ("x", ""), "C2": ("y", "")})
    second = coding({"C2": ("y", ""), "C3": ("x", "")})
    table = intercoder.agreement(first, second, "frames", ["x", "y"], min_positives=1)
    assert table.set_index("id").loc["y", "agree"] == 1.0 and table.set_index("id").loc["x", "positives"] == 0
    with pytest.raises(ValueError, match="share no claim"):
        intercoder.agreement(first.loc[["C1"]], second.loc[["C3"]], "frames", ["x"])


def test_coding_files_are_read_as_sets(tmp_path):
    path = tmp_path / "coding.csv"
    path.write_text("claim_id,frames,targets\nC1,x;y,us\nC2,y,\n", encoding="utf-8")
    table = intercoder.read_coding(path)
    assert table.loc["C1", "frames"] == frozenset({"x", "y"}) and table.loc["C2", "targets"] == frozenset()
    (tmp_path / "bad.csv").write_text("claim_id,frames\nC1,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing column"):
        intercoder.read_coding(tmp_path / "bad.csv")


DATA = Path(__file__).resolve().parents[1] / "data"


def _rows(table: pd.DataFrame, labels: dict[str, str]) -> list[str]:
    rows = []
    for r in table.itertuples():
        alpha = "too rare" if r.too_rare else ("undefined" if math.isnan(r.alpha) else f"{r.alpha:.2f}")
        rows.append(f"| {labels.get(r.id, r.id)} (`{r.id}`) | {r.first} | {r.second} | {r.positives} | {alpha} |")
    return rows


def test_the_published_figures_equal_a_recomputation_from_the_committed_codings():
    from mcis_report import load_dataset

    ds = load_dataset(DATA)
    study = intercoder.study(DATA, ds.frames["id"], ds.targets["id"])
    readme = (DATA / "README.md").read_text(encoding="utf-8")

    def block(name: str) -> list[str]:
        found = re.search(rf"<!-- alpha:{name} -->\n(.*?)\n<!-- /alpha:{name} -->", readme, flags=re.DOTALL)
        assert found, f"data/README.md has no alpha:{name} block"
        return [line for line in found.group(1).splitlines() if line.startswith("| ") and "`" in line]

    frames = dict(zip(ds.frames["id"], ds.frames["label_en"], strict=True))
    targets = dict(zip(ds.targets["id"], ds.targets["label_en"], strict=True))
    assert block("frames") == _rows(study["frames"], frames)
    used = study["targets"][study["targets"]["positives"] > 0]
    assert block("targets") == _rows(used, targets)
    assert f"Overall alpha for frames: **{study['frames_alpha']:.2f}**" in readme
    assert f"for targets: **{study['targets_alpha']:.2f}**" in readme
    assert study["claims"] >= 100 and study["frames_alpha"] >= 0.70


def test_every_disagreement_is_reconciled_and_the_data_holds_the_final_codes():
    import csv

    from mcis_report import load_dataset

    first = intercoder.read_coding(DATA / "reliability" / "first_coding.csv")
    second = intercoder.read_coding(DATA / "reliability" / "second_coding.csv")
    with (DATA / "reliability" / "reconciliation.csv").open(encoding="utf-8") as file:
        settled = {(r["claim_id"], r["field"]): r for r in csv.DictReader(file)}
    disagreements = {(c, f) for c in first.index for f in ("frames", "targets") if first.loc[c, f] != second.loc[c, f]}
    assert set(settled) == disagreements
    claims = load_dataset(DATA).claims.set_index("claim_id")
    for (claim, field), row in settled.items():
        assert row["decision"] in {"first", "second", "combined"} and row["reason"].strip()
        assert set(claims.loc[claim, field]) == {i for i in row["final"].split(";") if i}, (claim, field)
