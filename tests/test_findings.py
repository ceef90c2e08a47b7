"""The findings layer: each strength rule states what the data supports and nothing more.

Every rule has a case that must produce its statement and a case that must not (tie, pre/post-event,
"more than", nested regions, small n). The data is the small test set, changed in memory.
"""

from __future__ import annotations

import pandas as pd
import pytest

from mcis_report import findings as fi
from mcis_report.dataset import load_dataset


@pytest.fixture
def ds(mini_dir):
    return load_dataset(mini_dir)


@pytest.fixture
def rich(rich_copy):
    return load_dataset(rich_copy())


def fig(value, qualifier="exact", timing="post_event"):
    return {"value": value, "qualifier": qualifier, "timing": timing}


# --- participation: timing and "more than" ------------------------------------------------------------


def test_a_clear_fall_between_counts_is_stated():
    c = fi.compare_figures(fig(107), fig(76))
    assert c.direction == "down" and c.relative == pytest.approx(-31 / 107)


def test_pre_event_figure_is_never_compared_with_a_count():
    # 2022's "more than 70" was announced before the event; 2023's 76 is a post-event tally.
    assert fi.compare_figures(fig(70, "more_than", "pre_event"), fig(76)) == fi.Comparison(None, "timing")
    assert fi.compare_figures(fig(70, timing="pre_event"), fig(76, timing="at_event")).direction is None


def test_more_than_stays_a_lower_bound():
    # "more than 100" invited is not fewer than 109: the bound leaves the direction open.
    assert fi.compare_figures(fig(109, timing="pre_event"), fig(100, "more_than", "pre_event")).direction is None
    # "more than 30" before and 26 after: 26 is below the bound by more than 10 %, so a fall is certain.
    assert fi.compare_figures(fig(30, "more_than"), fig(26)).direction == "down"
    # A later lower bound far above the earlier figure is a rise.
    assert fi.compare_figures(fig(300, "approx"), fig(500, "more_than")).direction == "up"
    # Two bounds never give a direction.
    assert fi.compare_figures(fig(600, "more_than"), fig(800, "more_than")).reason == "qualifier"


def test_a_change_below_the_threshold_is_only_similar():
    assert fi.compare_figures(fig(100), fig(95)).direction == "similar"
    strict = fi.Thresholds(min_relative_change=0.01)
    assert fi.compare_figures(fig(100), fig(95), strict).direction == "down"


def test_participation_finding_lists_only_comparable_editions(ds):
    ds.figures.loc[(ds.figures["year"] == 2022) & (ds.figures["metric"] == "countries"), "value"] = 60
    found = {f.values["metric"]: f for f in fi.participation_findings(ds, 2023)}
    assert found["countries"].variant == "down"
    assert found["countries"].values["earlier"] == ((2022, 60, "approx"),)
    assert found["countries"].source_ids  # evidence carries its sources
    # delegates: "more than 500" announced before 2022 against a 2023 count -> not stated at all.
    assert "delegates" not in found


def test_participation_is_not_stated_when_earlier_figures_disagree_in_direction(ds):
    rows = ds.figures[(ds.figures["year"] == 2022) & (ds.figures["metric"] == "countries")]
    ds.figures.loc[rows.index, "value"] = 52  # within 10 % of 2023's 50: similar, so no finding
    assert not [f for f in fi.participation_findings(ds, 2023) if f.values["metric"] == "countries"]


def test_figure_changes_withhold_pre_post_comparisons(ds):
    table = fi.figure_changes(ds, 2023).set_index("metric")
    assert table.loc["delegates", "reason"] == "timing"
    assert table.loc["countries", "direction"] == "up"
    assert table.loc["defence_ministers", "reason"] == "missing"


# --- ties -------------------------------------------------------------------------------------------------


def test_tied_frames_are_reported_as_a_tie(ds):
    # 2023 in the mini data: multipolar_order 2 claims, anti_hegemony 1, sovereignty 1 -> one leader.
    top = fi.top_frame_finding(ds, 2023)
    assert top.variant == "single" and top.values["frames"] == ("multipolar_order",)
    row = ds.claims.index[ds.claims["claim_id"] == "C004"][0]
    ds.claims.at[row, "frames"] = ("multipolar_order", "anti_hegemony")
    top = fi.top_frame_finding(ds, 2023)
    assert top.variant == "tie"
    assert set(top.values["frames"]) == {"multipolar_order", "anti_hegemony"}


def test_tied_targets_are_reported_as_a_tie_not_ranked(ds):
    blame = fi.blame_finding(ds, 2023)  # us and nato, one claim each
    assert blame.variant == "tie" and set(blame.values["targets"]) == {"nato", "us"}
    assert blame.values["next"] == ()


# --- nested regions ---------------------------------------------------------------------------------------


def test_a_region_inside_another_is_counted_within_it_never_ranked(rich):
    ranking = fi.region_ranking(rich, 2023)
    tops = [r["region"] for r in ranking]
    assert "sahel" not in tops and "africa" in tops
    africa = next(r for r in ranking if r["region"] == "africa")
    assert africa["inside"] == (("sahel", 6),)


def test_without_a_parent_mentioned_the_child_still_counts_under_its_parent(rich):
    rich.claims["regions"] = rich.claims["regions"].map(lambda r: tuple(x for x in r if x != "africa"))
    ranking = fi.region_ranking(rich, 2023)
    assert [r["region"] for r in ranking if r["region"] in ("africa", "sahel")] == ["africa"]


# --- small n ----------------------------------------------------------------------------------------------


def test_wilson_interval_matches_the_formula():
    low, high = fi.wilson_interval(1, 5)
    assert low == pytest.approx(0.0362, abs=1e-3) and high == pytest.approx(0.6245, abs=1e-3)
    assert fi.wilson_interval(0, 0) == (0.0, 1.0)


def test_share_test_needs_enough_claims_and_a_real_gap():
    assert fi.share_test(1, 4, 20, 30, min_n=5, min_points=0.3) is None  # small n
    assert fi.share_test(10, 30, 12, 30, min_n=20, min_points=0.15) is None  # overlap, small gap
    assert fi.share_test(2, 40, 30, 40, min_n=20, min_points=0.15) == "strong"
    assert fi.share_test(5, 20, 10, 20, min_n=20, min_points=0.15) == "moderate"  # overlap, 25 points


def test_frame_shift_is_not_stated_with_fewer_than_twenty_claims(ds):
    assert fi.frame_shift_findings(ds, 2023) == []
    assert fi.new_frame_findings(ds, 2023) == []


def test_frame_shift_is_stated_with_enough_claims(ds):
    th = fi.Thresholds(min_claims_shift=1, min_points_shift=0.15)
    shifts = fi.frame_shift_findings(ds, 2023, th)
    # 2022: anti_hegemony in 1 of 1 claim; 2023: in 1 of 3 -> down by 67 points.
    assert any(f.values["frame"] == "anti_hegemony" and f.variant == "down" for f in shifts)


def test_groups_are_compared_with_the_host_only_with_enough_claims(ds, rich):
    assert fi.group_findings(ds, 2023) == []  # the guest has 1 claim
    found = fi.group_findings(rich, 2023)
    assert len(found) == 1 and found[0].values["group"] == "CHN" and found[0].variant == "less_critical"
    assert found[0].values["host_group"] == "RUS"
    assert found[0].values["critical"] == 0 and found[0].values["claims"] == 7


def test_a_thin_edition_is_flagged_and_gets_no_frame_or_group_findings(ds, rich):
    found = fi.edition_findings(ds, 2023)
    assert found[0].kind == "thin" and found[0].score > 1
    assert not {"top_frame", "blame", "group", "frame_shift", "new_frame"} & {f.kind for f in found}
    assert not fi.is_thin(rich, 2023)
    assert "thin" not in {f.kind for f in fi.edition_findings(rich, 2023)}


# --- groups, the host, Western -----------------------------------------------------------------------------


def test_western_is_the_codebook_rule_with_explicit_exceptions(ds):
    assert fi.western_states(ds, 2023) == {"USA"}
    ds.codebook["groups"][0]["exclude"] = ["USA"]
    assert fi.western_states(ds, 2023) == set()
    assert fi.bloc_members_not_western(ds, 2023) == {"USA"}


def test_a_nato_member_outside_the_western_group_is_named_when_present(ds):
    ds.codebook["groups"][0]["exclude"] = ["USA"]
    un = ds.delegations.index[ds.delegations["delegation_id"] == "D004"][0]  # invited only
    ds.delegations.loc[un, ["country", "organisation"]] = ["USA", pd.NA]
    finding = fi.western_finding(ds, 2023)
    assert finding.values["outside"] == ("USA",) and finding.values["outside_attendance"] == ("invited_only",)
    assert finding.variant == "changed"  # boycotted in 2022, not invited in 2023


def test_the_host_is_not_a_visiting_delegation(ds):
    assert fi.host_countries(ds) == ("RUS",)
    from mcis_report import analysis as an

    assert "RUS" not in set(an.delegations_for(ds, 2023, visiting_only=True)["country"])


# --- score and key findings --------------------------------------------------------------------------------


def test_score_is_effect_times_strength_and_key_findings_are_capped(rich):
    found = fi.edition_findings(rich, 2023)
    assert [f.score for f in found] == sorted((f.score for f in found), reverse=True)
    for f in found:
        assert f.score == pytest.approx(f.effect * fi.STRENGTH_WEIGHT[f.strength])
    key = fi.key_findings(found)
    assert min(len(found), fi.DEFAULT.key_min) <= len(key) <= fi.DEFAULT.key_max
    kinds = [f.kind for f in key]
    assert all(kinds.count(k) <= 2 for k in kinds) or len(key) <= fi.DEFAULT.key_min


def test_key_findings_follow_the_data(ds):
    before = [f.kind for f in fi.key_findings(fi.edition_findings(ds, 2023))]
    ds.figures.loc[(ds.figures["year"] == 2023) & (ds.figures["metric"] == "countries"), "value"] = 41
    after = [f.kind for f in fi.key_findings(fi.edition_findings(ds, 2023))]
    assert "participation" in before and "participation" not in after  # 41 against about 40: similar


def test_groups_comparable_says_whether_any_group_can_be_tested_against_the_host(rich):
    assert fi.groups_comparable(rich, 2023) is True
    assert fi.groups_comparable(rich, 2023, fi.Thresholds(min_group_claims=10_000)) is False


def test_key_findings_can_count_a_rise_and_a_fall_as_different_questions():
    def shift(variant: str, effect: float) -> fi.Finding:
        return fi.Finding(kind="era_shift", variant=variant, chapter="frames", strength="strong", effect=effect, n=100)

    found = [shift("fell", 0.9), shift("fell", 0.8), shift("rose", 0.5)]
    other = fi.Finding(kind="western", variant="changed", chapter="x", strength="strong", effect=0.4, n=1)
    th = fi.Thresholds(key_min=1, key_max=6)
    by_kind = fi.key_findings([*found, other], th, per_kind=1)
    assert [(f.kind, f.variant) for f in by_kind] == [("era_shift", "fell"), ("western", "changed")]
    by_question = fi.key_findings([*found, other], th, per_kind=1, kind_of=lambda f: (f.kind, f.variant))
    assert [(f.kind, f.variant, f.effect) for f in by_question] == [
        ("era_shift", "fell", 0.9),
        ("era_shift", "rose", 0.5),
        ("western", "changed", 0.4),
    ]
