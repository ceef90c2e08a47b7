"""Lexicon coding of new texts (written for the tests; no real transcripts ship)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mcis_report import coding, load_dataset


@pytest.fixture(scope="module")
def frames():
    return load_dataset(Path(__file__).parent / "fixtures" / "mini").frames


def test_english_terms_found_case_insensitively(frames):
    hits = coding.frame_hits("A MULTIPOLAR future, not hegemony.", frames)
    assert set(hits["frame"]) == {"multipolar_order", "anti_hegemony"}


def test_russian_stem_matches_inflected_forms(frames):
    assert coding.code_text("Мы строим многополярный мир и многополярного порядка", frames) == ("multipolar_order",)


def test_arabic_matches_despite_diacritics_and_alef_forms(frames):
    text = "نرفضُ الهَيمنة ونؤيد عالمًا مُتعدد الأقطاب"
    assert coding.code_text(text, frames) == ("multipolar_order", "anti_hegemony")


def test_min_hits_threshold(frames):
    text = "a sovereign choice"  # one term; "sovereignty" would also contain "sovereign"
    assert coding.code_text(text, frames) == ("sovereignty",)
    assert coding.code_text(text, frames, min_hits=2) == ()


def test_code_folder(tmp_path, frames):
    (tmp_path / "a.txt").write_text("polycentric and multipolar", encoding="utf-8")
    (tmp_path / "b.txt").write_text("nothing relevant here", encoding="utf-8")
    table = coding.code_folder(tmp_path, frames)
    assert list(table["file"]) == ["a.txt", "b.txt"]
    assert table.loc[0, "frames"] == ("multipolar_order",) and table.loc[0, "hits"] == 2
    assert table.loc[1, "frames"] == () and table.loc[1, "hits"] == 0
