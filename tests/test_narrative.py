"""Sentence helpers: escaping, numbers, plurals, lists, dates, citations, catalogue."""

from __future__ import annotations

import datetime as dt

import pytest
from markupsafe import Markup

from mcis_report import i18n
from mcis_report.narrative import (
    Citations,
    count_phrase,
    fmt_date_range,
    fmt_int,
    fmt_list,
    fmt_percent,
    isolate,
    ordinal,
    qualified,
    qualified_count,
    sentence,
)


def test_data_values_are_escaped_and_isolated():
    assert isolate("<script>alert(1)</script>") == "<bdi>&lt;script&gt;alert(1)&lt;/script&gt;</bdi>"
    assert isolate('<img src=x onerror="a()">') == "<bdi>&lt;img src=x onerror=&#34;a()&#34;&gt;</bdi>"
    assert isolate(Markup("<b>kept</b>")) == "<b>kept</b>"
    assert isolate(None) == "" and isolate(float("nan")) == ""


def test_a_value_in_another_direction_cannot_reorder_the_sentence():
    out = sentence("chapter.glance.theme", "en", theme="موسكو")
    assert "<bdi>موسكو</bdi>" in out


def strip_bdi(html: str) -> str:
    return html.replace("<bdi>", "").replace("</bdi>", "")


def test_sentence_escapes_values_but_not_template():
    out = sentence("chapter.glance.theme", "en", theme="<script>x</script>")
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_sentence_formats_counts_not_years():
    out = sentence("finding.of", "en", k=1200, total=1500)
    assert "1,200 of 1,500" in out
    out = sentence("finding.western.same", "en", previous=2022, western="a")
    assert "2022" in out and "2,022" not in out


def test_plural_agreement_english():
    assert count_phrase(1, "country", "en") == "1 country"
    assert count_phrase(76, "country", "en") == "76 countries"
    assert count_phrase(0, "claim", "en") == "0 claims"


@pytest.mark.parametrize(
    ("n", "category"),
    [
        (0, "zero"),
        (1, "one"),
        (2, "two"),
        (3, "few"),
        (10, "few"),
        (11, "many"),
        (99, "many"),
        (100, "other"),
        (103, "few"),
    ],
)
def test_arabic_plural_categories(n, category):
    assert i18n.plural_category(n, "ar") == category


def test_qualified_numbers():
    assert qualified(800, "more_than", "en") == "more than 800"
    assert qualified(50, "approx", "en") == "about 50"
    assert qualified(1000, "exact", "en") == "1,000"
    assert qualified_count(1, "exact", "delegate", "en") == "1 delegate"


def test_lists_follow_the_locale_pattern():
    assert fmt_list([], "en") == "none"
    assert strip_bdi(fmt_list(["a"], "en")) == "a"
    assert strip_bdi(fmt_list(["a", "b"], "en")) == "a and b"
    assert strip_bdi(fmt_list(["a", "b", "<c>"], "en")) == "a, b and &lt;c&gt;"
    assert strip_bdi(fmt_list(["أ", "ب", "ج"], "ar")) == "أ وب وج"


def test_dates():
    day = dt.date(2023, 8, 15)
    assert fmt_date_range(day, day, "en") == "15 August 2023"
    assert fmt_date_range(dt.date(2013, 5, 23), dt.date(2013, 5, 24), "en") == "23–24 May 2013"
    assert fmt_date_range(dt.date(2019, 4, 30), dt.date(2019, 5, 2), "en") == "30 April 2019 – 2 May 2019"
    assert fmt_date_range(day, None, "ar") == "15 أغسطس 2023"
    assert fmt_date_range(None, None, "en") == ""


def test_numbers_and_ordinals():
    assert fmt_int(76, "en") == "76"
    assert fmt_int(1234567, "en") == "1,234,567"
    assert ordinal(11, "en") == "eleventh"
    assert fmt_int(1234567, "ar") == "1,234,567"  # Western digits in Arabic too (README, "Digits")
    assert fmt_percent(0.25, "en") == "25%"
    assert "25" in fmt_percent(0.25, "ar") and not any("٠" <= c <= "٩" for c in fmt_percent(0.25, "ar"))


@pytest.mark.parametrize(("n", "category"), [(1, "one"), (2, "few"), (5, "many"), (21, "one"), (11, "many")])
def test_plural_rules_come_from_cldr_for_any_language(n, category):
    assert i18n.plural_category(n, "ru") == category


def test_a_language_without_catalogue_or_data_is_refused_naming_what_is_missing():
    assert i18n.check_language("en") == [] and i18n.check_language("ar") == []
    problems = " ".join(i18n.check_language("ru"))
    assert "no catalogue src/mcis_report/catalogue/ru.yaml" in problems
    assert "'*_ru' columns" in problems


def test_citations_number_in_first_seen_order():
    cites = Citations()
    first = cites.mark(["S010", "S002"])
    again = cites.mark(["S002", "S033"])
    assert 'href="#src-1"' in first and 'href="#src-2"' in first
    assert ">2<" in again and ">3<" in again
    assert cites.numbered() == [(1, "S010"), (2, "S002"), (3, "S033")]
    assert cites.mark([]) == ""
    cites.mark(["S040", "S041", "S042", "S050"])
    run = cites.mark(["S010", "S002", "S033", "S040", "S041", "S042", "S050"])
    assert run.count("<a ") == 2 and ">1</a>–<a" in run  # 1-7 collapse into one range
    gap = cites.mark(["S002", "S050"])
    assert gap.count("<a ") == 2 and "–" not in gap


def test_catalogue_missing_key_fails_loudly():
    with pytest.raises(KeyError):
        i18n.text("chapter.nope.title", "en")
    with pytest.raises(ValueError, match="plural"):
        i18n.text("nouns.country", "en")


def test_every_catalogue_has_the_same_keys():
    keys = {lang: set(i18n.catalogue(lang)) for lang in i18n.languages()}
    reference = keys[i18n.DEFAULT_LANGUAGE]
    for lang, found in keys.items():
        assert found == reference, f"{lang}: missing {sorted(reference - found)}, extra {sorted(found - reference)}"
