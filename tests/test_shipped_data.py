"""The shipped dataset: complete, sourced, documented, and covering the original analysis."""

from __future__ import annotations

from pathlib import Path

import pytest

from mcis_report import load_dataset
from mcis_report.tables import TABLES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ds():
    return load_dataset(ROOT / "data")


def test_every_year_of_the_series_is_present(ds):
    assert list(ds.editions["year"]) == list(range(2012, 2024))
    assert ds.years == [y for y in range(2012, 2024) if y != 2020]
    assert list(ds.editions.dropna(subset=["number"])["number"]) == list(range(1, 12))


def test_enough_claims_frames_and_sources(ds):
    claims_2023 = ds.claims.merge(ds.statements[["statement_id", "year"]], on="statement_id")
    assert (claims_2023["year"] == 2023).sum() >= 40
    assert len(ds.frames) >= 12


def test_every_point_of_the_original_analysis_is_covered_by_a_claim(ds):
    covered = {p for points in ds.claims["article_points"] for p in points}
    assert set(ds.article_points["id"]) <= covered


def test_every_row_cites_an_existing_source(ds):
    known = set(ds.sources["source_id"])
    for table in TABLES:
        if table.cites_sources:
            frame = getattr(ds, table.name)
            assert all(ids and set(ids) <= known for ids in frame["source_ids"]), table.name


def test_every_frame_has_both_labels_and_three_lexicons(ds):
    for frame in ds.frames.itertuples():
        assert frame.label_en.strip() and frame.label_ar.strip()
        assert all(frame.lexicon.get(lang) for lang in ("en", "ar", "ru")), frame.id


def test_conflicting_figures_are_kept_with_one_used(ds):
    groups = ds.figures.groupby(["year", "metric"])
    assert (groups["used"].sum() == 1).all()
    assert (groups["value"].nunique() > 1).any()  # conflicts recorded, not resolved silently


def test_data_dictionary_documents_every_column():
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for table in TABLES:
        assert f"`{table.file}`" in readme
        for column in table.columns:
            assert f"| `{column.name}` |" in readme, f"{table.file}: {column.name}"


def test_every_held_edition_is_coded_in_depth(ds):
    """At least 20 claims from at least 5 speakers per held edition, and at least 350 claims in all."""
    claims = ds.claims.merge(ds.statements[["statement_id", "year", "speaker_en"]], on="statement_id")
    per_year = claims.groupby("year").agg(claims=("claim_id", "size"), speakers=("speaker_en", "nunique"))
    held = set(ds.editions.loc[ds.editions["status"] == "held", "year"])
    assert set(per_year.index) == held
    thin = per_year[(per_year["claims"] < 20) | (per_year["speakers"] < 5)]
    assert thin.empty, thin
    assert len(ds.claims) >= 350
    assert all(len(ids) >= 1 for ids in ds.claims["source_ids"])


def test_expert_readings_cover_every_held_edition(ds):
    """Every held edition has at least one expert reading; the Arabic is written in Arabic script."""
    readings = ds.expert_readings
    assert set(readings["year"]) == set(ds.years)
    for column in ("analyses_ar", "agreement_ar", "difference_ar"):
        latin = readings[readings[column].str.contains("[A-Za-z]", regex=True)]
        assert latin.empty, (column, list(latin["year"]))
