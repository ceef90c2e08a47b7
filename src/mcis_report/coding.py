"""Lexicon coding (analysis layer): tag new texts with the codebook's frames by their lexicon terms.

A first pass for analysts' own transcripts: it finds where the English, Arabic and Russian lexicon terms
of each frame occur in a text. It is a screening aid, not a substitute for the hand coding of
``claims.csv`` (see the coding rules in ``data/README.md``).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from .tables import LEXICON_LANGUAGES

# Arabic short vowels, tanween, shadda, sukun and the tatweel: ignored when matching.
_ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")
_ALEF_FORMS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})


def normalise(text: str) -> str:
    """Case-folded text with Arabic diacritics removed and letter variants unified, for matching."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _ARABIC_MARKS.sub("", text).translate(_ALEF_FORMS)


def frame_hits(text: str, frames: pd.DataFrame, languages: tuple[str, ...] = LEXICON_LANGUAGES) -> pd.DataFrame:
    """Occurrences of every lexicon term in ``text``: one row per (frame, language, term) found.

    ``frames`` is ``Dataset.frames`` (columns ``id`` and ``lexicon``). Matching is by substring on the
    normalised text, so Russian stems such as ``многополярн`` match every ending.
    """
    haystack = normalise(text)
    rows = []
    for frame_id, lexicon in zip(frames["id"], frames["lexicon"], strict=True):
        for lang in languages:
            for term in lexicon.get(lang, []):
                count = haystack.count(normalise(term))
                if count:
                    rows.append({"frame": frame_id, "language": lang, "term": term, "count": count})
    return pd.DataFrame(rows, columns=["frame", "language", "term", "count"])


def code_text(text: str, frames: pd.DataFrame, min_hits: int = 1) -> tuple[str, ...]:
    """Frame ids whose lexicon terms occur at least ``min_hits`` times in ``text``, in codebook order."""
    hits = frame_hits(text, frames)
    totals = hits.groupby("frame")["count"].sum() if not hits.empty else pd.Series(dtype=int)
    return tuple(f for f in frames["id"] if totals.get(f, 0) >= min_hits)


def code_folder(folder: str | Path, frames: pd.DataFrame, min_hits: int = 1) -> pd.DataFrame:
    """Code every ``*.txt`` file (UTF-8) in ``folder``: one row per file with its frames and hit count."""
    rows = []
    for path in sorted(Path(folder).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        hits = frame_hits(text, frames)
        rows.append({"file": path.name, "frames": code_text(text, frames, min_hits),
                     "hits": int(hits["count"].sum()) if not hits.empty else 0})
    return pd.DataFrame(rows, columns=["file", "frames", "hits"])
