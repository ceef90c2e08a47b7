"""Data version 2: the fact-check corrections hold, every claim carries its primary-text flag, and the
changelog lists every correction."""

from __future__ import annotations

from pathlib import Path

import pytest

from mcis_report import load_dataset

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(scope="module")
def ds():
    return load_dataset(DATA)


def _figures(ds, year, metric):
    f = ds.figures
    return f[(f["year"] == year) & (f["metric"] == metric)]


def _row(frame, key, value):
    rows = frame[frame[key] == value]
    assert len(rows) == 1, f"{key}={value}"
    return rows.iloc[0]


# 1. 2017: about 80 countries had agreed to attend (a pre-event count), 84 were invited.
def test_2017_80_is_a_pre_event_country_count_and_84_were_invited(ds):
    countries = _figures(ds, 2017, "countries")
    row = countries[countries["value"] == 80].query("timing == 'pre_event'")
    assert len(row) == 1 and set(row.iloc[0]["source_ids"]) == {"S046"}
    assert not row.iloc[0]["used"]
    invited = _figures(ds, 2017, "countries_invited")
    assert list(invited["value"]) == [84]
    assert set(invited.iloc[0]["source_ids"]) == {"S047"} and invited.iloc[0]["used"]


# 2. 2020: 115 countries were expected to attend, not invited; still one used row.
def test_2020_115_is_countries_expected(ds):
    assert _figures(ds, 2020, "countries_invited").empty
    expected = _figures(ds, 2020, "countries_expected")
    assert list(expected["value"]) == [115] and expected.iloc[0]["used"]


# 3. 2019: the retrospective 1,000+ is TASS's own background text, not a Fomin quote.
def test_2019_retrospective_delegates_note_is_tass_background(ds):
    row = _figures(ds, 2019, "delegates").query("timing == 'retrospective'").iloc[0]
    assert "TASS" in row["note_en"] and "recalled by Fomin" not in row["note_en"]


# 4. 2015: the closing date is given by S251 (TASS, pre-event).
def test_2015_dates_note_cites_tass_for_17_april(ds):
    row = _row(ds.editions, "year", 2015)
    assert "not confirmed by any source" not in row["dates_note_en"]
    assert "TASS" in row["dates_note_en"] and "S251" in row["source_ids"]


# 5. D039: Møller was Acting Director-General in April 2015.
def test_d039_moller_was_acting_director_general(ds):
    row = _row(ds.delegations, "delegation_id", "D039")
    assert row["role_en"].startswith("Acting Director-General")
    assert "بالإنابة" in row["role_ar"]  # "acting": one wording throughout the data


# 6. D004: Nasirzadeh became defence minister on 21 Aug 2024.
def test_d004_note_dates_nasirzadeh_appointment(ds):
    row = _row(ds.delegations, "delegation_id", "D004")
    assert "21 Aug 2024" in row["note_en"] and "by 2025" not in row["note_en"]
    assert "S320" in row["source_ids"]


# 7. C016: US bases "continue to be upgraded", not an expanding network.
def test_c016_bases_upgraded_not_expanding(ds):
    row = _row(ds.claims, "claim_id", "C016")
    assert "expanding" not in row["paraphrase_en"] and "upgraded" in row["paraphrase_en"]
    assert "اتساع" not in row["paraphrase_ar"]


# 8. C044: Lukashenko named the US and NATO explicitly.
def test_c044_us_and_nato_named_explicitly(ds):
    row = _row(ds.claims, "claim_id", "C044")
    assert "implicitly" not in row["paraphrase_en"] and "ضمنية" not in row["paraphrase_ar"]
    assert set(row["targets"]) == {"us", "nato"}


# 9-11. Source dates.
@pytest.mark.parametrize("source_id, date", [("S094", "2022-09-02"), ("S088", "2021-06-24"), ("S047", "2017-03")])
def test_source_dates_corrected(ds, source_id, date):
    assert _row(ds.sources, "source_id", source_id)["date"] == date


# 12. K08: the 2014 sources do name North Africa.
def test_k08_finding_names_north_africa(ds):
    row = _row(ds.article_checks, "check_id", "K08")
    assert "do not list North Africa" not in row["finding_en"] and "North Africa" in row["finding_en"]
    assert row["verdict"] == "supported"


# 13. K10: dated to the 21 Aug 2024 appointment, verdict unchanged.
def test_k10_finding_dates_appointment(ds):
    row = _row(ds.article_checks, "check_id", "K10")
    assert "21 August 2024" in row["finding_en"] and "(2025)" not in row["finding_en"]
    assert row["verdict"] == "contradicted"


def test_every_claim_has_a_primary_text_flag(ds):
    flags = ds.claims["primary_text"]
    assert flags.notna().all() and set(flags.map(type)) == {bool}


def test_primary_text_only_with_an_official_source(ds):
    official = set(ds.sources.loc[ds.sources["kind"] == "official", "source_id"])
    for claim in ds.claims.itertuples():
        if claim.primary_text:
            assert official & set(claim.source_ids), claim.claim_id


def test_claims_on_unverified_sources_only_are_hedged(ds):
    unverified = set(ds.sources.loc[ds.sources["reliability"] == "unverified", "source_id"])
    for claim in ds.claims.itertuples():
        if set(claim.source_ids) <= unverified:
            assert "less reliable" in claim.paraphrase_en, claim.claim_id


def test_changelog_lists_every_correction():
    text = (DATA / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "2026-11-30 — data version 2" in text
    for row in (
        "2017, value 80",
        "2020, value 115",
        "2019, `delegates` 1000",
        "2015, `dates_note_en`",
        "D039",
        "D004",
        "C016",
        "C044",
        "S094",
        "S088",
        "S047",
        "K08",
        "K10",
    ):
        assert row in text, row
    for new_id in (
        "countries_expected",
        "missile_defence",
        "colour_revolutions",
        "information_war",
        "biological_weapons",
        "primary_text",
        "terrorist_groups",
        "north_africa",
    ):
        assert new_id in text, new_id
