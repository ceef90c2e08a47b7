"""Lexicon coding of new texts (written for the tests; no real transcripts ship)."""

from __future__ import annotations

import math
import pickle
from pathlib import Path

import pandas as pd
import pytest
import yaml

from mcis_report import coding, load_dataset

ROOT = Path(__file__).resolve().parents[1]
FALSE_POSITIVE = "The crisis was discussed in Moscow; a precise decision on Somalia."


def lexicon_frames(lexicons: dict[str, dict[str, list[str]]]) -> pd.DataFrame:
    return pd.DataFrame({"id": list(lexicons), "lexicon": list(lexicons.values())})


@pytest.fixture(scope="module")
def frames():
    """A small codebook written for these tests: whole words, stems, short acronyms, Arabic and Russian."""
    return lexicon_frames(
        {
            "multipolar_order": {
                "en": ["multipolar", "multipolar world", "polycentric"],
                "ar": ["متعدد الأقطاب", "التعددية القطبية"],
                "ru": ["многополярн*", "однополярн*"],
            },
            "anti_hegemony": {"en": ["hegemon*", "unilateral"], "ar": ["هيمنة", "الأحادية"], "ru": ["гегемон*"]},
            "sovereignty": {"en": ["sovereignty", "sovereign"], "ar": ["السيادة"], "ru": ["суверенитет*"]},
            "nato_threat": {"en": ["nato", "nato expansion"], "ar": ["الناتو"], "ru": ["нато", "расширение нато"]},
            "terrorism": {"en": ["isis", "terrorist*"], "ar": ["الإرهاب"], "ru": ["террорист*"]},
            "sco_brics_cooperation": {"en": ["sco", "cis", "brics"], "ar": ["بريكس"], "ru": ["шос", "снг"]},
            "africa_sahel": {"en": ["mali", "sahel"], "ar": ["مالي"], "ru": ["мали"]},
            "colour_revolutions": {"en": ["colour revolution*"], "ar": ["الثورات الملونة"], "ru": ["цветн* революц*"]},
        }
    )


@pytest.fixture(scope="module")
def shipped_frames():
    frames, problems = coding.load_frames(ROOT / "data")
    assert not problems
    return frames


def test_false_positive_sentence_codes_nothing(frames, shipped_frames):
    # "isis" in "crisis", "sco" in "Moscow", "cis" in "precise"/"decision", "mali" in "Somalia".
    assert coding.code_text(FALSE_POSITIVE, frames) == ()
    assert coding.frame_hits(FALSE_POSITIVE, frames).empty
    assert coding.code_text(FALSE_POSITIVE, shipped_frames) == ()


def test_whole_words_still_match_next_to_punctuation(frames):
    text = "ISIS, the SCO (and CIS) met in Mali—NATO's «allies»."
    assert coding.code_text(text, frames) == ("nato_threat", "terrorism", "sco_brics_cooperation", "africa_sahel")


def test_english_terms_found_case_insensitively(frames):
    hits = coding.frame_hits("A MULTIPOLAR future, not hegemony.", frames)
    assert set(hits["frame"]) == {"multipolar_order", "anti_hegemony"}


def test_stems_only_where_marked(frames):
    # "sovereign" is a whole word: it must not match inside "sovereignty" (a term of its own) ...
    hits = coding.frame_hits("their sovereignty", frames)
    assert list(hits["term"]) == ["sovereignty"]
    assert coding.code_text("sovereigns and sovereignly", frames) == ()
    # ... while "hegemon*" and "terrorist*" are stems and take any ending.
    assert coding.code_text("hegemonic and hegemonism", frames) == ("anti_hegemony",)
    assert coding.code_text("terrorists", frames) == ("terrorism",)
    # "unilateral" is whole-word: "unilateralism" is not it.
    assert coding.code_text("unilateralism", frames) == ()


def test_russian_inflections_match_stems(frames):
    text = "Мы строим многополярный мир; в многополярном мире нет однополярности, суверенитета не отнять."
    hits = coding.frame_hits(text, frames)
    assert hits.groupby("frame")["count"].sum().to_dict() == {"multipolar_order": 3, "sovereignty": 1}
    assert dict(zip(hits["term"], hits["count"], strict=False)) == {
        "многополярн*": 2,
        "однополярн*": 1,
        "суверенитет*": 1,
    }
    # Whole-word Russian terms do not match inside other words.
    assert coding.code_text("натощак снегопад шоссе", frames) == ()


def test_stems_inside_multiword_terms(frames):
    assert coding.code_text("против цветных революций и colour revolutions", frames) == ("colour_revolutions",)
    # The words must follow each other.
    assert coding.code_text("цветные стены и революции", frames) == ()


def test_arabic_proclitics_diacritics_and_letter_forms(frames):
    # و + ب + ال + هيمنة, ل + ال written لل, ف + ال, diacritics, hamza forms, ta marbuta and tatweel.
    text = "نرفضُ وبالهيمنة ونؤيد عالمًا مُتعدد الأقطاب للسيادة، فالناتو يهدد"
    hits = coding.frame_hits(text, frames)
    assert dict(zip(hits["term"], hits["count"], strict=False)) == {
        "متعدد الأقطاب": 1,
        "هيمنة": 1,
        "السيادة": 1,
        "الناتو": 1,
    }
    assert coding.code_text("الهيـــمنه", frames) == ("anti_hegemony",)
    assert coding.code_text("والتعدديه القطبيه", frames) == ("multipolar_order",)


def test_arabic_clitics_do_not_open_other_prefixes(frames):
    # "مالي" (Mali) must not match inside "الماليزي" or "المالية" ("financial").
    assert coding.code_text("الشؤون المالية ماليزيا", frames) == ()
    # A term written with the article does not match without it.
    assert coding.code_text("سيادة", frames) == ()


def test_overlapping_terms_of_one_frame_count_once(frames):
    hits = coding.frame_hits("NATO expansion and multipolar world; расширение НАТО", frames)
    assert dict(zip(hits["term"], hits["count"], strict=False)) == {
        "multipolar world": 1,
        "nato expansion": 1,
        "расширение нато": 1,
    }


def test_min_hits_threshold(frames):
    assert coding.code_text("a sovereign choice", frames) == ("sovereignty",)
    assert coding.code_text("a sovereign choice", frames, min_hits=2) == ()


def test_normalise():
    assert coding.normalise("  Multi-polar,\tWORLD… «ёлка» — ok ") == "multi polar world елка ok"
    assert coding.normalise("أَإِآ ـمدرسةٌ على") == "ااا مدرسه علي"
    assert coding.word_count(coding.normalise("one, two; three")) == 3
    assert coding.word_count(coding.normalise(" ,; ")) == 0


def test_frame_table_from_an_iterator_with_rates(frames):
    documents = (
        (name, text) for name, text in [("a", "multipolar multipolar hegemony and more words here"), ("b", "")]
    )
    table = coding.frame_table(documents, frames)
    assert list(table["document"]) == ["a", "b"]
    first = table.iloc[0]
    assert first["words"] == 7 and first["hits"] == 3
    assert first["multipolar_order"] == 2 and first["anti_hegemony"] == 1
    assert first["multipolar_order_per_1000"] == pytest.approx(2000 / 7)
    assert first["frames"] == ("multipolar_order", "anti_hegemony")
    assert table.iloc[1]["words"] == 0 and math.isnan(table.iloc[1]["nato_threat_per_1000"])
    plain = coding.frame_table(iter(["NATO"]), frames)
    assert plain.loc[0, "document"] == 0 and plain.loc[0, "nato_threat"] == 1


def test_tagger_pickles_and_codes_the_same(frames):
    tagger = coding.Tagger(frames)
    copy = pickle.loads(pickle.dumps(tagger))
    text = "NATO, цветных революций and الهيمنة"
    assert copy.code(text) == tagger.code(text) == ("anti_hegemony", "nato_threat", "colour_revolutions")


def test_tagger_is_built_once_per_codebook(frames):
    assert coding.tagger_for(frames) is coding.tagger_for(frames.copy())


def test_code_folder(tmp_path, frames):
    (tmp_path / "a.txt").write_text("polycentric and multipolar", encoding="utf-8")
    (tmp_path / "b.txt").write_text("nothing relevant here", encoding="utf-8")
    table = coding.code_folder(tmp_path, frames)
    assert list(table["file"]) == ["a.txt", "b.txt"]
    assert table.loc[0, "frames"] == ("multipolar_order",) and table.loc[0, "hits"] == 2
    assert table.loc[1, "frames"] == () and table.loc[1, "hits"] == 0


def test_code_folder_names_a_bad_file(tmp_path, frames):
    (tmp_path / "bad.txt").write_bytes("caf\u00e9".encode("latin-1"))
    with pytest.raises(ValueError, match=r"bad\.txt.*not UTF-8"):
        coding.code_folder(tmp_path, frames)


def test_split_is_fixed_and_stable_when_claims_are_added():
    ds = load_dataset(ROOT / "tests" / "fixtures" / "mini")
    first = coding.split_claims(ds)
    assert set(first["split"]) <= {"development", "heldout"}
    assert first.equals(coding.split_claims(ds))
    grown = ds.copy()
    extra = grown.claims.iloc[[0]].assign(claim_id="C999")
    grown.claims = pd.concat([extra, grown.claims], ignore_index=True)
    again = coding.split_claims(grown).set_index("claim_id")["split"]
    assert again.loc[list(first["claim_id"])].tolist() == first["split"].tolist()


def test_evaluate_tagger_counts_agree_with_the_hand_codes():
    ds = load_dataset(ROOT / "tests" / "fixtures" / "mini")
    table = coding.evaluate_tagger(ds, split="all")
    assert list(table.columns) == [
        "language",
        "frame",
        "n_claims",
        "n_positive",
        "n_predicted",
        "true_positive",
        "precision",
        "recall",
        "f1",
    ]
    en = table[table["language"] == "en"].set_index("frame")
    for frame in ds.frames["id"]:
        assert en.loc[frame, "n_positive"] == sum(frame in f for f in ds.claims["frames"])
    overall = en.loc["all"]
    assert overall["true_positive"] <= min(overall["n_positive"], overall["n_predicted"])
    if overall["n_predicted"]:
        assert overall["precision"] == overall["true_positive"] / overall["n_predicted"]
    with pytest.raises(ValueError, match="unknown split"):
        coding.evaluate_tagger(ds, split="test")


@pytest.mark.parametrize(
    "term, ok",
    [
        ("многополярн*", True),
        ("цветн* революц*", True),
        ("colour revolution*", True),
        ("ab*", False),
        ("*hegemony", False),
        ("hege*mony", False),
        ("nato**", False),
    ],
)
def test_codebook_accepts_stars_only_at_the_end_of_a_word(term, ok):
    from mcis_report.validation import validate_codebook

    codebook = yaml.safe_load((ROOT / "tests" / "fixtures" / "mini" / "codebook.yaml").read_text(encoding="utf-8"))
    codebook["frames"][0]["lexicon"]["ru"].append(term)
    problems = [p for p in validate_codebook(codebook) if "'*'" in p.message]
    assert (not problems) == ok
    if not ok:
        assert problems[0].column == "frames.lexicon.ru" and term in problems[0].message


def test_the_published_held_out_figures_equal_a_recomputation():
    """data/README.md's held-out table is what ``evaluate_tagger`` gives on the shipped data today."""
    import math
    import re
    from pathlib import Path

    from mcis_report import load_dataset
    from mcis_report.coding import evaluate_tagger

    data = Path(__file__).resolve().parents[1] / "data"

    def num(x):
        return "–" if isinstance(x, float) and math.isnan(x) else f"{x:.2f}"

    evaluation = evaluate_tagger(load_dataset(data), split="heldout")
    en = evaluation[evaluation["language"] == "en"].set_index("frame")
    ar = evaluation[evaluation["language"] == "ar"].set_index("frame")
    expected = []
    for frame in en.index:
        cells = []
        for side in (en.loc[frame], ar.loc[frame]):
            if side["n_positive"] == 0:
                cells += [f"– (flags {int(side['n_predicted'])})" if side["n_predicted"] else "–", "–", "–"]
            else:
                cells += [num(side["precision"]), num(side["recall"]), num(side["f1"])]
        name = "**all frames** (micro-average)" if frame == "all" else f"`{frame}`"
        expected.append(f"| {name} | {int(en.loc[frame, 'n_positive'])} | " + " | ".join(cells) + " |")
    readme = (data / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- tagger:heldout -->\n(.*?)<!-- /tagger:heldout -->", readme, flags=re.DOTALL)
    assert block, "data/README.md has no tagger:heldout block"
    published = [line for line in block.group(1).splitlines() if line.startswith("| `") or line.startswith("| **")]
    assert published == expected
