"""Analysis functions on the mini fixture dataset (tests/fixtures/mini)."""

from __future__ import annotations

import pandas as pd
import pytest

from mcis_report import analysis as an
from mcis_report import load_dataset


@pytest.fixture(scope="module")
def ds():
    from pathlib import Path

    return load_dataset(Path(__file__).parent / "fixtures" / "mini")


def test_edition_unknown_year_lists_valid(ds):
    with pytest.raises(an.UnknownEditionError, match="2021, 2022, 2023"):
        an.edition(ds, 1999)


def test_previous_edition_skips_years_not_held(ds):
    assert an.previous_edition_year(ds, 2023) == 2022
    assert an.previous_edition_year(ds, 2022) is None


def test_headline_figures_use_marked_value_and_keep_range(ds):
    table = an.headline_figures(ds, 2023).set_index("metric")
    delegates = table.loc["delegates"]
    assert delegates["value"] == 700 and delegates["qualifier"] == "more_than"
    assert (delegates["low"], delegates["high"], delegates["reports"]) == (650, 700, 2)
    assert bool(delegates["conflicting"]) is True
    assert delegates["all_source_ids"] == ("S002", "S003")
    assert bool(table.loc["countries", "conflicting"]) is False


def test_one_figure_is_the_row_of_its_edition_table_for_every_edition_and_metric():
    shipped = load_dataset("data")
    for year in shipped.years:
        table = an.headline_figures(shipped, year)
        for metric in ("countries", "delegates", "ministers", "no_such_metric"):
            rows = table[table["metric"] == metric].to_dict("records")
            assert an.figure_value(shipped, year, metric) == (rows[0] if rows else None), (year, metric)


def test_figures_follow_the_data(ds):
    ds.figures.loc[(ds.figures["year"] == 2023) & (ds.figures["metric"] == "countries"), "value"] = 77
    try:
        assert an.figure_value(ds, 2023, "countries")["value"] == 77
    finally:
        ds.figures.loc[(ds.figures["year"] == 2023) & (ds.figures["metric"] == "countries"), "value"] = 50


def test_participation_by_year_leaves_gap_for_year_not_held(ds):
    series = an.participation_by_year(ds, "countries").set_index("year")
    assert pd.isna(series.loc[2021, "value"])
    assert series.loc[2022, "value"] == 40
    assert list(series.index) == [2021, 2022, 2023]


def test_figure_conflicts_lists_every_disputed_report(ds):
    conflicts = an.figure_conflicts(ds)
    assert set(conflicts["metric"]) == {"delegates"}
    assert sorted(conflicts["value"]) == [650, 700]


def test_western_break_and_gaps(ds):
    assert an.western_break_year(ds) is None  # nobody "participated" in the fixture
    assert an.not_held_years(ds) == [2021]
    ds.editions.loc[ds.editions["year"] == 2022, "western_participation"] = "participated"
    try:
        assert an.western_break_year(ds) == 2023
    finally:
        ds.editions.loc[ds.editions["year"] == 2022, "western_participation"] = "boycotted"


def test_delegations_by_region_and_bloc_leave_out_the_host(ds):
    # The host (RUS, codebook group `host`) organises the conference: it is not a visiting delegation.
    regions = an.delegations_by_region(ds, 2023)
    assert set(zip(regions["region"], regions["status"], regions["delegations"], strict=True)) == {
        ("asia", "attended", 2),
        ("asia", "invited_only", 1),
    }
    blocs = an.delegations_by_bloc(ds, 2023).set_index("organisation")
    assert blocs.loc["SCO", "delegations"] == 1
    assert blocs.loc["NATO", "delegations"] == 0


def test_active_memberships_respect_years(ds):
    assert len(an.active_memberships(ds, 1948)) == 0
    assert set(an.active_memberships(ds, 1950)["alpha3"]) == {"USA"}


def test_frame_counts_by_speaker(ds):
    matrix = an.frame_counts_by_speaker(ds, 2023)
    assert list(matrix.index) == ["Test Host", "Test Guest"]
    assert matrix.loc["Test Host", "multipolar_order"] == 1
    assert matrix.loc["Test Guest", "anti_hegemony"] == 0
    assert int(matrix.to_numpy().sum()) == 4  # C002 has two frames, C003 and C004 one each


def test_blame_pairs_and_targets(ds):
    pairs = an.blame_pairs(ds, 2023)
    assert set(zip(pairs["source"], pairs["target"], strict=True)) == {("RUS", "us"), ("RUS", "nato")}
    totals = an.target_totals(ds, 2023)
    assert set(totals["target"]) == {"us", "nato"}
    assert (totals["speakers"] == 1).all()


def test_region_mentions_skip_global(ds):
    assert an.region_mentions(ds, 2023).empty
    assert list(an.region_mentions(ds, 2022)["region"]) == ["europe"]


def test_partner_groups(ds):
    assert an.partner_group("CHN", "asia") == "CHN"
    assert an.partner_group("VNM", "asia") == "asia"
    assert an.partner_group("USA", "north_america") is None
    table = an.partner_comparison(ds, 2023).set_index("group")
    assert table.loc["RUS", "claims"] == 2
    assert table.loc["RUS", "critical_share"] == 0.5
    assert table.loc["CHN", "top_frames"] == ("multipolar_order",)


def test_frame_shares_sum_over_claims(ds):
    shares = an.frame_shares_by_year(ds)
    row = shares[(shares["year"] == 2023) & (shares["frame"] == "multipolar_order")].iloc[0]
    assert row["claims"] == 2 and row["share"] == pytest.approx(2 / 3)


def test_edition_changes(ds):
    diff = an.edition_changes(ds, 2023)
    assert diff["previous"] == 2022
    metrics = diff["metrics"].set_index("metric")
    assert metrics.loc["delegates", "change"] == 200
    assert pd.isna(metrics.loc["defence_ministers", "before"])
    assert diff["frames_new"] == ("multipolar_order", "sovereignty")
    assert diff["frames_common"] == ("anti_hegemony",)
    assert diff["speakers_returning"] == ("Test Host",)
    assert an.edition_changes(ds, 2022)["previous"] is None


def test_article_point_coverage(ds):
    coverage = an.article_point_coverage(ds).set_index("article_point")
    assert coverage.loc["p5_equal_states", "claims"] == 1
    assert coverage.loc["p7_conclusion", "speakers"] == ("Test Host",)


def test_cited_sources_first_seen_order(ds):
    assert an.cited_sources(ds.claims) == ("S001", "S002", "S003")


def test_speakers_for_an_organisation_belong_to_no_partner_group():
    import pandas as pd

    assert an.partner_group(pd.NA, pd.NA) is None
    assert an.partner_group(None, float("nan")) is None
    assert an.partner_group("CHN", "asia") == "CHN"
