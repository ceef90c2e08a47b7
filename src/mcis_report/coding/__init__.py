"""Lexicon coding (analysis layer): tag new texts with the codebook's frames by their lexicon terms.

A first pass for analysts' own transcripts: it finds where the English, Arabic and Russian lexicon terms
of each frame occur in a text, on word boundaries (see :class:`Tagger`). It is a screening aid, not a
substitute for the hand coding of ``claims.csv`` (see the coding rules in ``data/README.md``);
:func:`evaluate_tagger` measures how far the two agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from ..loading import Problem, read_yaml
from ..tables import CODEBOOK_FILE, LEXICON_LANGUAGES
from ..validation import validate_codebook
from .evaluation import evaluate_tagger, split_claims
from .inputs import Document, iter_documents, read_text_file
from .tagger import STEM_MARK, Tagger, csv_values, normalise, parse_term, word_count

__all__ = [
    "STEM_MARK",
    "Document",
    "Tagger",
    "code_documents",
    "code_folder",
    "code_text",
    "csv_values",
    "evaluate_tagger",
    "frame_hits",
    "frame_table",
    "iter_documents",
    "load_frames",
    "normalise",
    "parse_term",
    "read_text_file",
    "split_claims",
    "tagger_for",
    "word_count",
]


@lru_cache(maxsize=8)
def _cached_tagger(lexicons: tuple, languages: tuple[str, ...]) -> Tagger:
    return Tagger(((fid, dict(lexicon)) for fid, lexicon in lexicons), languages)


def tagger_for(frames: pd.DataFrame, languages: tuple[str, ...] = LEXICON_LANGUAGES) -> Tagger:
    """The :class:`Tagger` of ``frames`` (``Dataset.frames``), built once per codebook and reused."""
    lexicons = tuple(
        (str(fid), tuple((lang, tuple(lexicon.get(lang) or ())) for lang in languages))
        for fid, lexicon in zip(frames["id"], frames["lexicon"], strict=True)
    )
    return _cached_tagger(lexicons, tuple(languages))


def frame_hits(text: str, frames: pd.DataFrame, languages: tuple[str, ...] = LEXICON_LANGUAGES) -> pd.DataFrame:
    """Occurrences of the lexicon terms in ``text``: one row per (frame, language, term) found.

    ``frames`` is ``Dataset.frames`` (columns ``id`` and ``lexicon``). Terms match whole words; a word
    written with a trailing ``*`` in the codebook is a stem and matches every ending (``многополярн*``);
    Arabic terms also match after the proclitics و ف ب ل ك and ال. Columns: ``frame``, ``language``,
    ``term`` (as written in the codebook), ``count``.
    """
    return tagger_for(frames, languages).frame_hits(text)


def code_text(text: str, frames: pd.DataFrame, min_hits: int = 1) -> tuple[str, ...]:
    """Frame ids whose lexicon terms occur at least ``min_hits`` times in ``text``, in codebook order."""
    return tagger_for(frames).code(text, min_hits)


def frame_table(documents: Iterable[str | tuple[Any, str]], frames: pd.DataFrame, min_hits: int = 1) -> pd.DataFrame:
    """Document × frame table of lexicon hits: counts and rates per 1,000 words.

    Parameters
    ----------
    documents
        Texts, or ``(document id, text)`` pairs; any iterable, read one document at a time.
    frames
        ``Dataset.frames``.
    min_hits
        Hits a frame needs to be listed in the ``frames`` column.

    Returns
    -------
    pandas.DataFrame
        One row per document: ``document``, ``words``, ``hits``, ``frames`` (tuple of frame ids), one
        count column per frame (named by its id) and one ``<frame>_per_1000`` column per frame.
    """
    return tagger_for(frames).table(documents, min_hits)


def code_folder(folder: str | Path, frames: pd.DataFrame, min_hits: int = 1) -> pd.DataFrame:
    """Code every ``*.txt`` file (UTF-8) in ``folder``: one row per file with its frames and hit count.

    Raises ``ValueError`` naming the file when one cannot be read as UTF-8 text.
    """
    tagger = tagger_for(frames)
    rows = []
    for path in sorted(Path(folder).glob("*.txt")):
        document = read_text_file(path, path.name)
        if isinstance(document, Document):
            text = document.text
        elif document.message == "empty file":
            text = ""  # an empty transcript simply has no hits here; the command line reports it
        else:
            raise ValueError(str(document))
        row = tagger.row(path.name, text, min_hits)
        rows.append({"file": path.name, "frames": row["frames"], "hits": row["hits"]})
    return pd.DataFrame(rows, columns=["file", "frames", "hits"])


def load_frames(data_dir: str | Path = "data") -> tuple[pd.DataFrame | None, list[Problem]]:
    """The codebook's frames (as ``Dataset.frames``) read from ``data_dir``, without loading the tables.

    Returns ``(frames, [])``, or ``(None, problems)`` when the codebook is missing or invalid.
    """
    codebook, problems = read_yaml(Path(data_dir), CODEBOOK_FILE)
    if codebook is None:
        return None, problems
    problems = validate_codebook(codebook)
    if problems:
        return None, problems
    rows = [{k: v for k, v in entry.items() if k != "__line__"} for entry in codebook["frames"]]
    return pd.DataFrame(rows), []


_WORKER_TAGGER: Tagger | None = None


def _start_worker(tagger: Tagger) -> None:
    global _WORKER_TAGGER
    _WORKER_TAGGER = tagger


def _work(job: tuple[str, str, int]) -> dict[str, Any]:
    assert _WORKER_TAGGER is not None
    return _WORKER_TAGGER.row(job[0], job[1], job[2])


def code_documents(
    items: Iterable[Document | Problem], tagger: Tagger, jobs: int = 1, min_hits: int = 1, batch_bytes: int = 16 << 20
) -> Iterator[tuple[Document | Problem, dict[str, Any] | None]]:
    """Code a stream of documents in order: ``(document, row)`` per document, ``(problem, None)`` per problem.

    With ``jobs`` > 1 the documents are coded by that many worker processes, a bounded batch at a time
    (about ``batch_bytes`` of text), so memory stays flat however long the stream is.
    """
    if jobs <= 1:
        for item in items:
            yield item, tagger.row(item.id, item.text, min_hits) if isinstance(item, Document) else None
        return
    import multiprocessing

    # Forked workers start at once with the package already imported; spawn where fork does not exist.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(jobs, initializer=_start_worker, initargs=(tagger,)) as pool:
        batch: list[Document | Problem] = []
        size = 0
        for item in items:
            batch.append(item)
            size += item.size if isinstance(item, Document) else 0
            if size >= batch_bytes or len(batch) >= 256 * jobs:
                yield from _run_batch(pool, batch, min_hits, jobs)
                batch, size = [], 0
        yield from _run_batch(pool, batch, min_hits, jobs)


def _run_batch(pool: Any, batch: list[Document | Problem], min_hits: int, jobs: int):
    documents = [(d.id, d.text, min_hits) for d in batch if isinstance(d, Document)]
    rows = iter(pool.map(_work, documents, chunksize=max(1, len(documents) // (4 * jobs))))
    for item in batch:
        yield item, next(rows) if isinstance(item, Document) else None
