"""The frame tagger: one Aho-Corasick automaton over every lexicon term, matched on word boundaries.

Texts and terms go through the same :func:`normalise`, which reduces every run of separators to one
space; the text is then padded with a space at each end. A whole-word term is stored as
``" term "`` and a stem (``term*``) as ``" term"``, so the automaton itself only reports matches that
start and end on word boundaries and no hit is ever checked character by character.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import product
from typing import Any

import ahocorasick
import pandas as pd

from ..tables import LEXICON_LANGUAGES

STEM_MARK = "*"

# Dropped, not turned into separators: Arabic diacritics (tanween, short vowels, shadda, sukun, dagger
# alef) and the tatweel, checked one by one (a scan for one character is far cheaper than a regex) ...
_ARABIC_DROPPED = (*tuple(chr(c) for c in range(1611, 1619)), "ٰ", "ـ")
# ... and any other combining mark left after NFKC (e.g. stress marks in Russian texts).
_DROPPED = re.compile("[\u0300-\u036f\u0483-\u0489\u064b-\u065f\u0670\u06d6-\u06ed\u0640]+")
# Hamza and alef forms, alef maqsura, ta marbuta, Persian kaf and yeh, the Russian yo, and the Arabic
# comma, semicolon and question mark (which share their UTF-8 lead byte with Arabic letters, so the
# byte table below cannot catch them).
_REPLACED = (
    ("أ", "ا"),
    ("إ", "ا"),
    ("آ", "ا"),
    ("ٱ", "ا"),
    ("ؤ", "و"),
    ("ئ", "ي"),
    ("ى", "ي"),
    ("ی", "ي"),
    ("ة", "ه"),
    ("ک", "ك"),
    ("ё", "е"),
    ("،", " "),
    ("؛", " "),
    ("؟", " "),
)
# One byte table for the UTF-8 encoded text: every ASCII character that is not a letter or digit
# becomes a space, and so do the lead bytes 0xC2 (U+0080-U+00BF: Latin-1 punctuation such as « »)
# and 0xE2 (U+2000-U+2FFF: dashes, quotes, ellipsis, ...); their continuation bytes are then dropped
# by decoding with errors="ignore". This handles almost every separator far faster than a regex (the
# few letters of rare scripts in U+2C00-U+2DFF become separators too; no lexicon uses them).
_BYTE_TABLE = bytes(32 if (c < 128 and not chr(c).isalnum()) or c in (0xC2, 0xE2) else c for c in range(256))
# Whatever non-word character is left (other symbols, emoji, rarer punctuation) becomes a space too.
_OTHER_SEPARATORS = re.compile(r"[^\w ]+|_+")

# Arabic proclitics allowed before a term: a conjunction, then a preposition, then the article.
_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ل", "ك")
_ARTICLE = "ال"


def normalise(text: str) -> str:
    """Text reduced for matching: words separated by single spaces, no padding.

    NFKC, case folding, Arabic diacritics, tatweel and combining accents removed, hamza/alef forms,
    alef maqsura and ta marbuta unified (``أ إ آ ٱ`` → ``ا``, ``ؤ`` → ``و``, ``ئ ى ی`` → ``ي``, ``ة`` →
    ``ه``, ``ک`` → ``ك``), ``ё`` → ``е``, and every run of other non-word characters (punctuation,
    symbols, white space) turned into one space.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    if not text.isascii():
        for char in _ARABIC_DROPPED:
            if char in text:
                text = text.replace(char, "")
        for old, new in _REPLACED:
            if old in text:
                text = text.replace(old, new)
    text = text.encode("utf-8").translate(_BYTE_TABLE).decode("utf-8", "ignore")
    # str.isalnum is a much faster test than a regex search for the rare leftovers.
    if not text.isascii() and not text.replace(" ", "").isalnum():
        text = _OTHER_SEPARATORS.sub(" ", _DROPPED.sub("", text))
    # Runs of separators are short, so a few halving passes beat split/join.
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip(" ")


def word_count(normalised: str) -> int:
    """Number of words in a text returned by :func:`normalise`."""
    return normalised.count(" ") + 1 if normalised else 0


def _arabic_forms(word: str) -> list[str]:
    """``word`` with every allowed combination of proclitics before it (ل + ال is written لل)."""
    articles: tuple[str, ...]
    if word.startswith(_ARTICLE) and len(word) > 3:
        bare, articles = word[2:], (_ARTICLE,)
    else:
        bare, articles = word, ("", _ARTICLE)
    forms = []
    for conj, prep, article in product(_CONJUNCTIONS, _PREPOSITIONS, articles):
        body = "لل" + bare if prep == "ل" and article else prep + article + bare
        forms.append(conj + body)
    return list(dict.fromkeys(forms))


def parse_term(term: str) -> list[tuple[str, bool]]:
    """Normalised words of a lexicon term, each with whether it is a stem (written with a trailing ``*``)."""
    words: list[tuple[str, bool]] = []
    for raw in term.split():
        stem = raw.endswith(STEM_MARK)
        parts = normalise(raw.rstrip(STEM_MARK)).split(" ")
        parts = [p for p in parts if p]
        words.extend((part, stem and i == len(parts) - 1) for i, part in enumerate(parts))
    return words


@dataclass(frozen=True)
class Term:
    """One lexicon term as the tagger uses it."""

    frame: int  # position of the frame in the codebook
    language: str
    text: str  # as written in the codebook
    tail: re.Pattern | None  # the words after an inner stem, checked after the automaton's hit
    open_end: bool  # the last word is a stem: the match runs to the end of that word


class Tagger:
    """Frame tagger for a codebook's lexicons; build it once, use it on any number of texts.

    Parameters
    ----------
    frames
        ``Dataset.frames`` (columns ``id`` and ``lexicon``) or an iterable of ``(frame_id, lexicon)``
        pairs, where a lexicon maps a language code to a list of terms.
    languages
        Lexicon languages to use (default: all).

    Notes
    -----
    Terms match whole words; a word written with a trailing ``*`` matches any word that starts with
    it. Arabic terms also match after the proclitics و ف ب ل ك and ال, alone or combined. Within one
    frame, overlapping matches count once (the longest, leftmost one), so "nato expansion" is one hit
    for ``nato_threat``, not two. The tagger pickles (it is rebuilt from its lexicons), so it can be
    sent to worker processes.
    """

    def __init__(
        self,
        frames: pd.DataFrame | Iterable[tuple[str, Mapping[str, list[str]]]],
        languages: tuple[str, ...] = LEXICON_LANGUAGES,
    ):
        pairs = zip(frames["id"], frames["lexicon"], strict=True) if isinstance(frames, pd.DataFrame) else iter(frames)
        self.languages = tuple(languages)
        self._lexicons = tuple(
            (str(fid), tuple((lang, tuple(lexicon.get(lang) or ())) for lang in self.languages))
            for fid, lexicon in pairs
        )
        self._build()

    @property
    def frame_ids(self) -> tuple[str, ...]:
        """Frame ids in codebook order."""
        return tuple(fid for fid, _ in self._lexicons)

    @property
    def terms(self) -> tuple[Term, ...]:
        """Every term, in codebook order."""
        return self._terms

    def _build(self) -> None:
        automaton = ahocorasick.Automaton()
        keys: dict[str, list[int]] = {}
        terms: list[Term] = []
        for frame_index, (_, lexicon) in enumerate(self._lexicons):
            for lang, raw_terms in lexicon:
                for raw in raw_terms:
                    words = parse_term(raw)
                    if not words:
                        continue
                    stems = [i for i, (_, stem) in enumerate(words) if stem]
                    cut = stems[0] + 1 if stems else len(words)
                    head, rest = words[:cut], words[cut:]
                    tail = None
                    if rest:
                        tail = re.compile(
                            r"\S*"
                            + "".join(" " + re.escape(w) + (r"\S*" if s else "") for w, s in rest)
                            + ("" if rest[-1][1] else "(?= )")
                        )
                    open_end = bool(stems) and not rest
                    index = len(terms)
                    terms.append(Term(frame_index, lang, raw, tail, open_end))
                    firsts = _arabic_forms(head[0][0]) if lang == "ar" else [head[0][0]]
                    for first in firsts:
                        key = " " + " ".join([first] + [w for w, _ in head[1:]]) + ("" if stems else " ")
                        keys.setdefault(key, []).append(index)
        for key, indexes in keys.items():
            # What a hit needs, precomputed: (term index, frame, tail pattern or None, open end).
            entries = tuple((i, terms[i].frame, terms[i].tail, terms[i].open_end) for i in dict.fromkeys(indexes))
            automaton.add_word(key, (len(key), entries))
        if keys:
            automaton.make_automaton()
        self._automaton = automaton if keys else None
        self._terms = tuple(terms)

    def __getstate__(self) -> dict[str, Any]:
        return {"lexicons": self._lexicons, "languages": self.languages}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._lexicons = state["lexicons"]
        self.languages = state["languages"]
        self._build()

    def matches(self, normalised: str) -> list[tuple[int, int, int]]:
        """Kept matches in a :func:`normalise`-d text: ``(term index, start, end)``, sorted by start.

        Positions are in ``" " + normalised + " "``.
        """
        return [(index, start, end) for start, end, _, index in self._scan(normalised)]

    def _scan(self, normalised: str) -> list[tuple[int, int, int, int]]:
        """``(start, end, frame, term index)`` of the kept matches, sorted by start."""
        if self._automaton is None or not normalised:
            return []
        padded = " " + normalised + " "
        found: list[tuple[int, int, int, int]] = []
        append = found.append
        for end_index, (key_length, entries) in self._automaton.iter(padded):
            start = end_index - key_length + 2
            for index, frame, tail, open_end in entries:
                if tail is not None:
                    match = tail.match(padded, end_index + 1)
                    if match is None:
                        continue
                    append((start, -match.end(), frame, index))
                elif open_end:
                    append((start, -padded.index(" ", end_index + 1), frame, index))
                else:
                    append((start, -end_index, frame, index))
        found.sort()
        last_end = [0] * len(self._lexicons)
        kept = []
        for start, negative_end, frame, index in found:
            if start >= last_end[frame]:
                last_end[frame] = -negative_end
                kept.append((start, -negative_end, frame, index))
        return kept

    def count(self, text: str) -> tuple[int, list[int], dict[int, int]]:
        """Word count, hits per frame (codebook order) and hits per term index for one raw text."""
        normalised = normalise(text)
        per_frame = [0] * len(self._lexicons)
        per_term: dict[int, int] = {}
        for _, _, frame, index in self._scan(normalised):
            per_frame[frame] += 1
            per_term[index] = per_term.get(index, 0) + 1
        return word_count(normalised), per_frame, per_term

    def frame_hits(self, text: str) -> pd.DataFrame:
        """Terms found in ``text``: one row per (frame, language, term) with its count, codebook order."""
        _, _, per_term = self.count(text)
        rows = [
            {
                "frame": self.frame_ids[self._terms[i].frame],
                "language": self._terms[i].language,
                "term": self._terms[i].text,
                "count": per_term[i],
            }
            for i in sorted(per_term)
        ]
        return pd.DataFrame(rows, columns=["frame", "language", "term", "count"])

    def code(self, text: str, min_hits: int = 1) -> tuple[str, ...]:
        """Frame ids with at least ``min_hits`` hits in ``text``, in codebook order."""
        _, per_frame, _ = self.count(text)
        return tuple(fid for fid, n in zip(self.frame_ids, per_frame, strict=True) if n >= min_hits)

    def tag(self, documents: Iterable[str | tuple[Any, str]], min_hits: int = 1) -> Iterator[dict[str, Any]]:
        """Code documents one at a time, as they come: one row (a dict) per document.

        ``documents`` yields texts, or ``(document id, text)`` pairs; plain texts are numbered from 0.
        Each row has ``document``, ``words``, ``hits``, ``frames`` (a tuple of frame ids with at least
        ``min_hits`` hits), then one count per frame and one rate per 1,000 words per frame
        (``<frame>_per_1000``; NaN for a text without words).
        """
        for position, document in enumerate(documents):
            doc_id, text = document if isinstance(document, tuple) else (position, document)
            yield self.row(doc_id, text, min_hits)

    def row(self, doc_id: Any, text: str, min_hits: int = 1) -> dict[str, Any]:
        """The :meth:`tag` row of one document."""
        words, per_frame, _ = self.count(text)
        row: dict[str, Any] = {
            "document": doc_id,
            "words": words,
            "hits": sum(per_frame),
            "frames": tuple(f for f, n in zip(self.frame_ids, per_frame, strict=True) if n >= min_hits),
        }
        row.update(zip(self.frame_ids, per_frame, strict=True))
        for fid, n in zip(self.frame_ids, per_frame, strict=True):
            row[f"{fid}_per_1000"] = n * 1000 / words if words else float("nan")
        return row

    def columns(self) -> list[str]:
        """Column names of a :meth:`tag` row, in order."""
        return (
            ["document", "words", "hits", "frames"]
            + list(self.frame_ids)
            + [f"{fid}_per_1000" for fid in self.frame_ids]
        )

    def table(self, documents: Iterable[str | tuple[Any, str]], min_hits: int = 1) -> pd.DataFrame:
        """Document × frame table: the rows of :meth:`tag` as a DataFrame (counts and rates per 1,000 words)."""
        return pd.DataFrame(list(self.tag(documents, min_hits)), columns=self.columns())


def csv_values(row: dict[str, Any]) -> list[Any]:
    """A :meth:`Tagger.tag` row as CSV cells: frames joined by ``;``, rates with 3 decimals, NaN empty."""
    cells: list[Any] = []
    for value in row.values():
        if isinstance(value, tuple):
            cells.append(";".join(value))
        elif isinstance(value, float):
            cells.append("" if math.isnan(value) else f"{value:.3f}")
        else:
            cells.append(value)
    return cells
