"""The Arabic edition: complete catalogue, Arabic prose, names, claims and charts, right-to-left page."""

from __future__ import annotations

import re
import string
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from mcis_report import i18n, load_dataset, report
from mcis_report.narrative import count_phrase, fmt_list, sentence

ROOT = Path(__file__).resolve().parents[1]
ARABIC = re.compile("[\u0600-\u06ff]")


def placeholders(value) -> set[str]:
    values = value.values() if isinstance(value, dict) else [value]
    if isinstance(value, list):
        values = value
    return {name for v in values for _, name, _, _ in string.Formatter().parse(str(v)) if name}


def test_arabic_catalogue_exists_and_is_right_to_left():
    assert "ar" in i18n.languages()
    assert i18n.text("meta.dir", "ar") == "rtl"


def test_every_key_has_the_same_placeholders_in_every_language():
    english = i18n.catalogue("en")
    for lang in i18n.languages():
        other = i18n.catalogue(lang)
        for key, value in english.items():
            assert placeholders(other[key]) == placeholders(value), f"{lang}: {key}"


def test_arabic_plurals_agree_with_numbers():
    forms = {n: count_phrase(n, "country", "ar") for n in (1, 2, 3, 11, 100)}
    assert len(set(forms.values())) == 5
    assert "3" in forms[3] and "11" in forms[11] and "100" in forms[100]
    assert all(ARABIC.search(f) for f in forms.values())


def test_latin_names_are_isolated_inside_arabic_prose():
    out = sentence("chapter.glance.theme", "ar", theme="Patriot Congress")
    assert "<bdi>Patriot Congress</bdi>" in out
    assert "<bdi>موسكو</bdi>" in sentence("chapter.glance.theme", "ar", theme="موسكو")
    assert fmt_list(["NATO", "الغرب"], "ar") == "<bdi>NATO</bdi> و<bdi>الغرب</bdi>"


@pytest.fixture(scope="module")
def arabic_report(tmp_path_factory):
    """The 2023 report in Arabic from the shipped data, with the text of every chart recorded."""
    chart_texts: list[tuple[str, str]] = []

    class RecordingContext(report.ReportContext):
        def figure(self, ax, name, caption, alt):
            texts = [
                ax.get_xlabel(),
                ax.get_ylabel(),
                *(t.get_text() for t in ax.get_xticklabels()),
                *(t.get_text() for t in ax.get_yticklabels()),
            ]
            for legend in [ax.get_legend(), *ax.figure.legends]:
                if legend is not None:
                    texts += [t.get_text() for t in legend.get_texts()]
            chart_texts.extend((name, t) for t in texts if t)
            return super().figure(ax, name, caption, alt)

    ctx = RecordingContext.open(2023, "ar", ROOT / "data", tmp_path_factory.mktemp("ar"))
    page = str(report.render_report(ctx, "edition"))
    plt.close("all")
    return page, chart_texts


def _visible_text(fragment: str) -> str:
    return re.sub(r"<[^>]+>", " ", fragment)


def test_headings_captions_and_table_headers_are_arabic(arabic_report):
    page, _ = arabic_report
    for tag in ("h1", "h2", "h3", "figcaption", "caption", "th"):
        for match in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", page, flags=re.DOTALL):
            assert ARABIC.search(_visible_text(match)), f"<{tag}> without Arabic: {match[:80]}"


def test_no_english_catalogue_text_in_the_arabic_report(arabic_report):
    # Source titles stay in their own language: check everything above the numbered source list.
    page = _visible_text(arabic_report[0].split('<ol class="sources">')[0])
    english = i18n.catalogue("en")
    leaks = []
    for key, value in english.items():
        for text in value.values() if isinstance(value, dict) else [value]:
            for chunk in re.split(r"\{[^}]*\}", str(text)):
                words = re.findall(r"[A-Za-z]+", chunk)
                if len(words) >= 3 and " ".join(words) in " ".join(re.findall(r"[A-Za-z]+", page)):
                    leaks.append((key, chunk.strip()))
    assert not leaks


def test_claims_use_their_arabic_paraphrases_and_arabic_names(arabic_report):
    from markupsafe import escape

    page = arabic_report[0]
    ds = load_dataset(ROOT / "data")
    claims = ds.claims.merge(ds.statements[["statement_id", "year", "speaker_ar"]], on="statement_id")
    claims = claims[claims["year"] == 2023]
    for row in claims.itertuples():
        assert escape(row.paraphrase_ar) in page
        assert escape(row.paraphrase_en) not in page
        assert escape(row.speaker_ar) in page
    assert ds.countries.set_index("alpha3").loc["IRN", "name_ar"] in page


def test_chart_text_is_arabic(arabic_report):
    _, texts = arabic_report
    assert {name for name, _ in texts} >= {
        "frames_by_speaker",
        "who_blames_whom",
        "delegations_map",
        "participation_timeline",
    }
    for name, text in texts:
        if re.fullmatch(r"[\d.,\s−-]+", text):
            continue  # numbers and years
        assert ARABIC.search(text), f"{name}: {text!r}"


def test_arabic_build_writes_a_right_to_left_page_and_index_links_both(mini_reports):
    out = mini_reports
    page = (out / "2023" / "ar" / "report.html").read_text(encoding="utf-8")
    html_tag = re.search(r"<html[^>]*>", page).group(0)
    assert 'lang="ar"' in html_tag and 'dir="rtl"' in html_tag
    index = (out / "index.html").read_text(encoding="utf-8")
    for lang in ("en", "ar"):
        assert f'href="2023/{lang}/report.html"' in index and f'href="2022/{lang}/report.html"' in index


# --- Arabic that reads as written --------------------------------------------------------------------------

LATIN_PUNCTUATION = re.compile(r"[\u0600-\u06ff][\s)»]*[;,?](?!\d)|[;,?]\s*[\u0600-\u06ff]")


def _generated_text(page: str) -> str:
    """The page's own words: without data values (isolated in <bdi>), links, citation marks, images, sources."""
    import html as html_lib

    page = page.split('<ol class="sources">')[0]
    for pattern in (
        r"<bdi>.*?</bdi>",
        r"<sup.*?</sup>",
        r"<a .*?</a>",
        r"<img[^>]*>",
        r"<table.*?</table>",
        r"<details.*?</details>",
    ):
        page = re.sub(pattern, " ", page, flags=re.DOTALL)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", page))


def _arabic_pages(mini_dir, tmp_path):
    for year in (2022, 2023):
        ctx = report.ReportContext.open(year, "ar", mini_dir, tmp_path / str(year))
        yield str(report.render_report(ctx, "edition"))
        plt.close("all")


def test_arabic_catalogue_has_no_latin_words_or_punctuation():
    for key, value in i18n.catalogue("ar").items():
        if key in ("meta.locale", "meta.lang", "meta.dir", "grammar.masculine_countries") or key.startswith(
            "metric_noun."
        ):
            continue
        for text in value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]:
            # File formats are names, written as everyone writes them (CSV, SVG, PDF).
            words = re.sub(r"\{[^}]*\}|\b(CSV|SVG|PNG|PDF)\b", "", str(text))
            assert not re.search(r"[A-Za-z]", words), f"{key}: {text}"
            assert not LATIN_PUNCTUATION.search(words), f"{key}: {text}"


def test_generated_arabic_has_no_english_words_or_latin_punctuation(arabic_report, mini_dir, tmp_path):
    import html as html_lib

    for page in [arabic_report[0], *_arabic_pages(mini_dir, tmp_path)]:
        generated = _generated_text(page)
        assert not re.findall(r"[A-Za-z]{2,}", generated), re.findall(r".{20}[A-Za-z]{2,}.{20}", generated)[:5]
        whole = html_lib.unescape(re.sub(r"<[^>]+>", "", page.split('<ol class="sources">')[0]))
        assert not LATIN_PUNCTUATION.search(whole), LATIN_PUNCTUATION.search(whole)


def test_arabic_lists_ordinals_and_two_day_ranges_read_as_written(mini_dir, tmp_path):
    from mcis_report.narrative import ordinal

    pages = [re.sub(r"<[^>]+>", "", p) for p in _arabic_pages(mini_dir, tmp_path)]
    assert "النسخة الأولى" in pages[0] and "النسخة الثانية" in pages[1] and not re.search(r"رقم \d", pages[1])
    assert ordinal(11, "ar") == "الحادية عشرة"
    ctx = report.ReportContext.open(2023, "ar", mini_dir, tmp_path / "dates")
    import pandas as pd

    from mcis_report.report import edition

    kind, dates = edition._dates(ctx, pd.Timestamp("2012-05-03"), pd.Timestamp("2012-05-04"))
    assert kind == "two" and dates == "3 و4 مايو 2012"
    assert str(fmt_list(["أ", "ب", "ج"], "ar")).count("و") == 2


def test_country_names_agree_with_their_verbs_in_arabic(mini_dir, tmp_path):
    ctx = report.ReportContext.open(2023, "ar", mini_dir, tmp_path)
    assert ctx.agree("finding.western.outside_invited", "TUR") == "finding.western.outside_invited"
    assert ctx.agree("finding.western.outside_invited", "IRQ") == "finding.western.outside_invited_m"
    assert "دُعي " in i18n.text("finding.western.outside_invited_m", "ar", country="", western="")
    english = report.ReportContext.open(2023, "en", mini_dir, tmp_path / "en")
    assert english.agree("finding.western.outside_invited", "IRQ") == "finding.western.outside_invited"


def test_the_method_appendix_reports_the_reliability_study_and_the_tagger(arabic_report):
    from mcis_report import coding, intercoder

    page = arabic_report[0]
    ds = load_dataset(ROOT / "data")
    study = intercoder.study(ROOT / "data", ds.frames["id"], ds.targets["id"])
    method = page.split('id="method"')[1]
    assert "كريبندورف" in method
    assert f"{study['frames_alpha']:.2f} للأطر" in method and f"{study['targets_alpha']:.2f} للأطراف" in method
    tagger = coding.evaluate_tagger(ds, split="heldout")
    f1 = tagger[(tagger["frame"] == "all") & (tagger["language"] == "ar")]["f1"].iloc[0]
    assert f"{f1:.2f} في الصياغات العربية" in method


def test_groups_that_are_large_enough_but_do_not_differ_are_not_called_too_small(arabic_report):
    """2023: China (6 claims) and others reach the minimum; none passes the test against the host."""
    from mcis_report import analysis, findings

    ds = load_dataset(ROOT / "data")
    table = analysis.partner_comparison(ds, 2023)
    assert (table.loc[table["group"] != "RUS", "claims"] >= findings.DEFAULT.min_group_claims).any()
    conclusion = arabic_report[0].split('id="conclusion"')[1].split("</section>")[0]
    assert "لا تختلف أي مجموعة" in conclusion and "لا تبلغ مقولات أي مجموعة" not in conclusion
