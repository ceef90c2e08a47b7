"""The trends report: its analysis across editions, its findings' strength tests, and its build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from mcis_report import analysis as an
from mcis_report import build, load_dataset
from mcis_report import findings as fi
from mcis_report import trends as tr

ROOT = Path(__file__).resolve().parents[1]


MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def mini():
    return load_dataset(MINI)


# --- analysis ------------------------------------------------------------------------------------------


def test_frame_shares_have_a_row_for_every_frame_and_edition_with_n_and_an_interval(mini):
    table = tr.frame_shares(mini)
    years = sorted(set(tr.coded_claims(mini)["year"]))
    assert len(table) == len(years) * len(mini.frames)
    assert (table["low"] <= table["share"]).all() and (table["share"] <= table["high"]).all()
    one = table[(table["year"] == 2022) & (table["frame"] == "anti_hegemony")].iloc[0]
    assert (one.claims, one.n, one.share) == (1, 1, 1.0)
    assert one.thin  # a single claim: thin, so never drawn as a 100 % share
    assert one.low < 0.5  # and its interval says how little it shows


def test_zero_shares_are_rows_not_missing_years(mini):
    table = tr.frame_shares(mini, ["taiwan"])
    assert set(table["year"]) == {2022, 2023}
    assert (table["claims"] == 0).all()


def test_sides_host_partners_and_organisations(mini):
    assert tr.side_of(mini, 2023, "RUS") == "host"
    assert tr.side_of(mini, 2023, "CHN") == "partners"
    assert tr.side_of(mini, 2023, None) is None


def test_stance_counts_add_up_per_group(mini):
    table = tr.stance_by(mini, "group")
    assert list(table["group"]) == ["RUS", "CHN"]  # codebook order, not alphabetical
    assert (table["critical"] + table["supportive"] + table["neutral"] == table["n"]).all()
    rus = table.set_index("group").loc["RUS"]
    assert (rus.critical, rus.n) == (2, 3)


def test_evidence_base_counts_each_claim_once_under_its_strongest_source(mini):
    table = tr.evidence_base(mini)
    assert int(table["claims"].sum()) == len(mini.claims)
    assert list(table["kind"].unique()) == list(tr.SOURCE_STRENGTH)
    assert sum(table.attrs["primary"].values()) == int(mini.claims["primary_text"].astype(bool).sum())


def test_eras_split_at_the_western_break_and_at_a_year_without_conference():
    ds = load_dataset(ROOT / "data")
    periods = tr.eras(ds)
    break_year = an.western_break_year(ds)
    assert any(era[0] == break_year for era in periods)
    for gap in an.not_held_years(ds):
        assert not any(era[0] < gap < era[-1] for era in periods)
    assert [y for era in periods for y in era] == ds.years


# --- findings: each rule has a case that must not produce the statement -----------------------------------


def _era_table(k1: int, n1: int, k2: int, n2: int) -> pd.DataFrame:
    rows = []
    for era, (k, n) in enumerate(((k1, n1), (k2, n2))):
        low, high = fi.wilson_interval(k, n)
        rows.append(
            {"era": era, "frame": "anti_hegemony", "claims": k, "n": n, "share": k / n, "low": low, "high": high}
        )
    return pd.DataFrame(rows).assign(thin=False)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((3, 50, 41, 156), ("rose", "strong")),  # intervals apart
        ((2, 19, 40, 156), None),  # first period below the minimum n: not stated, however large
        ((10, 50, 34, 156), None),  # 20 % vs 22 %: overlapping, small gap
        ((5, 20, 14, 30), ("rose", "moderate")),  # intervals overlap but the gap is ≥ 15 points
    ],
)
def test_era_shift_is_stated_only_when_its_test_passes(monkeypatch, mini, counts, expected):
    monkeypatch.setattr(tr, "eras", lambda ds: [(2012, 2013), (2021, 2023)])
    monkeypatch.setattr(tr, "era_frame_shares", lambda ds, frames=None, th=fi.DEFAULT: _era_table(*counts))
    found = tr.era_shift_findings(mini)
    if expected is None:
        assert found == []
    else:
        assert [(f.variant, f.strength) for f in found] == [expected]
        assert found[0].values["eras"][0] == ("2012–2013", counts[0], counts[1])


def test_group_trend_needs_the_minimum_claims_and_a_real_gap(monkeypatch, mini):
    def stance(critical, n):
        return pd.DataFrame(
            {
                "group": ["RUS", "CHN"],
                "critical": [60, critical],
                "supportive": [40, n - critical],
                "neutral": [0, 0],
                "n": [100, n],
                "speakers": [5, 2],
                "critical_share": [0.6, critical / n],
            }
        )

    monkeypatch.setattr(tr, "stance_by", lambda ds, by="group", years=None: stance(0, 4))
    assert tr.group_trend_findings(mini) == []  # 4 claims: below the minimum
    monkeypatch.setattr(tr, "stance_by", lambda ds, by="group", years=None: stance(11, 20))
    assert tr.group_trend_findings(mini) == []  # 55 % vs 60 %: no difference to state
    monkeypatch.setattr(tr, "stance_by", lambda ds, by="group", years=None: stance(2, 20))
    [found] = tr.group_trend_findings(mini)
    assert (found.variant, found.values["group"]) == ("less_critical", "CHN")


def test_a_peak_that_is_only_a_lower_bound_is_not_compared_as_exact(monkeypatch, mini):
    series = pd.DataFrame(
        {
            "year": [2019, 2023],
            "status": ["held", "held"],
            "western_participation": ["boycotted", "not_invited"],
            "metric": ["delegates", "delegates"],
            "value": [1000.0, 950.0],
            "low": [1000.0, 950.0],
            "high": [1000.0, 950.0],
            "qualifier": ["more_than", "exact"],
            "timing": ["post_event", "post_event"],
            "source_ids": [("S1",), ("S2",)],
        }
    )
    monkeypatch.setattr(tr, "participation_series", lambda ds, metrics=(): series)
    assert tr.participation_trend_findings(mini) == []  # 950 vs "more than 1,000": a 5 % gap under a bound
    series.loc[1, "timing"] = "pre_event"
    series.loc[1, "value"] = 500.0
    assert tr.participation_trend_findings(mini) == []  # an announcement is not compared with a count


# --- the build ----------------------------------------------------------------------------------------------


def test_default_units_are_the_latest_edition_and_the_trends_report():
    units = build.resolve_units(None, "all", [2022, 2023])
    assert [u.name for u in units] == ["2023/en", "2023/ar", "trends/en", "trends/ar"]
    assert [u.name for u in build.resolve_units("trends", "en", [2022, 2023])] == ["trends/en"]
    assert [u.name for u in build.resolve_units("2022", "en", [2022, 2023])] == ["2022/en"]
    with pytest.raises(build.UsageError, match="trends"):
        build.resolve_units("2019", "en", [2022, 2023])
    assert [u.name for u in build.resolve_units("all", "en", [2022, 2023], trends=False)] == ["2022/en", "2023/en"]


def test_the_mini_build_writes_the_trends_report_in_both_languages(mini_reports):
    for lang, direction in (("en", "ltr"), ("ar", "rtl")):
        folder = mini_reports / "trends" / lang
        page = (folder / "report.html").read_text(encoding="utf-8")
        assert f'dir="{direction}"' in page
        listed = json.loads((folder / "artifacts.json").read_text(encoding="utf-8"))["files"]
        assert "tables/frame_shares_by_edition.csv" in listed
        for name in listed:
            assert (folder / name).is_file()
    english = (mini_reports / "trends" / "en" / "report.html").read_text(encoding="utf-8")
    # Every edition of the small data set is thin: the frame chart is replaced by its sentence.
    assert "No edition has 10 claims or more" in english
    assert "key_frames" not in english
    index = (mini_reports / "index.html").read_text(encoding="utf-8")
    assert 'href="trends/en/report.html"' in index and 'href="trends/ar/report.html"' in index
    edition = (mini_reports / "2023" / "en" / "report.html").read_text(encoding="utf-8")
    assert "../../trends/en/report.html" in edition


def test_an_unchanged_trends_report_is_not_built_again(mini_reports, tmp_path, mini_dir):
    out = tmp_path / "out"
    shutil.copytree(mini_reports, out)
    messages: list[str] = []
    build.build_reports("trends", "all", mini_dir, out, progress=messages.append, jobs=1)
    assert any(m.startswith("[trends/en] up to date") for m in messages), messages
    assert not any("executing" in m for m in messages)


@pytest.fixture(scope="module", params=["en", "ar"])
def shipped_trends(request, tmp_path_factory):
    """The trends report on the shipped data, rendered in-process once per language: ``(ctx, html)``."""
    import matplotlib.pyplot as plt

    from mcis_report import report

    out = tmp_path_factory.mktemp(f"trends-{request.param}")
    ctx = report.ReportContext.open_trends(request.param, ROOT / "data", out)
    page = str(report.render_report(ctx, "trends"))
    plt.close("all")
    return ctx, page


def test_the_trends_report_on_the_shipped_data_has_its_charts_and_findings(shipped_trends):
    ctx, page = shipped_trends
    listed = set(json.loads((ctx.out_dir / "artifacts.json").read_text(encoding="utf-8"))["files"])
    for chart in (
        "evidence_base",
        "participation_timeline",
        "named_attendance_map",
        "key_frames",
        "targets_by_edition",
        "stance_by_group",
        "frame_profiles_by_group",
    ):
        assert f"figures/{chart}.png" in listed, chart
        assert f'id="fig-{chart}"' in page or f"{chart}" in page
    assert ctx.out_dir.name == ctx.lang and ctx.out_dir.parent.name == "trends"
    assert page.count('class="key-findings"') == 1
    found = fi.key_findings(tr.trend_findings(ctx.ds), per_kind=1, kind_of=lambda f: (f.kind, f.variant))
    assert fi.DEFAULT.key_min <= len(found) <= fi.DEFAULT.key_max
    # Every edition is in the experts' table, and no share from a thin edition is drawn.
    table = pd.read_csv(ctx.out_dir / "tables" / "frame_shares_by_edition.csv")
    assert not table["thin"].any()
    for year in ctx.ds.years:
        assert f">{year}<" in page


def _three_eras(counts) -> pd.DataFrame:
    rows = []
    for era, (k, n) in enumerate(counts):
        low, high = fi.wilson_interval(k, n)
        rows.append(
            {"era": era, "frame": "anti_hegemony", "claims": k, "n": n, "share": k / n, "low": low, "high": high}
        )
    return pd.DataFrame(rows).assign(thin=False)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (((2, 50), (58, 209), (10, 156)), "peak"),  # up then down, both steps pass
        (((2, 50), (58, 209), (50, 156)), None),  # up, then no real fall: not an arc
        (((2, 15), (58, 209), (10, 156)), None),  # first period below the minimum n
    ],
)
def test_an_arc_needs_both_steps_to_pass(monkeypatch, mini, counts, expected):
    monkeypatch.setattr(tr, "eras", lambda ds: [(2012, 2013), (2014, 2019), (2021, 2023)])
    monkeypatch.setattr(tr, "era_frame_shares", lambda ds, frames=None, th=fi.DEFAULT: _three_eras(counts))
    found = tr.era_arc_findings(mini)
    assert [f.variant for f in found] == ([] if expected is None else [expected])


def test_a_build_with_nothing_to_do_leaves_the_site_alone_but_restores_a_lost_index(mini_reports, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(mini_reports, out)
    index = out / "index.html"
    before = index.stat().st_mtime_ns
    build.build_reports("all", "all", MINI, out, jobs=1)
    assert index.stat().st_mtime_ns == before  # nothing changed: the site was not written again
    index.unlink()
    build.build_reports("all", "all", MINI, out, jobs=1)
    assert index.is_file()  # a missing index is written even when every report is up to date
