"""Agreement of the tagger with the hand codes (analysis layer).

A fixed development/held-out split of the claims, and precision, recall and F1 per frame on the claims'
English and Arabic paraphrases.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # the data layer's Dataset, for annotations only
    from ..dataset import Dataset

SPLIT_SEED = 15
HELDOUT_SHARE = 0.5
SPLITS = ("development", "heldout")


def _draw(seed: int, edition: int, claim_id: str) -> float:
    digest = hashlib.sha256(f"{seed}:{edition}:{claim_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def split_claims(dataset: Dataset, seed: int = SPLIT_SEED, heldout_share: float = HELDOUT_SHARE) -> pd.DataFrame:
    """The fixed development/held-out split of the hand-coded claims.

    Each claim's set is decided by a hash of the seed, its edition and its claim id alone, so the
    split is the same on every machine and adding claims never moves an existing claim; within every
    edition about ``heldout_share`` of the claims are held out.

    Returns
    -------
    pandas.DataFrame
        ``claim_id``, ``edition`` and ``split`` (``development`` or ``heldout``), in claim order.
    """
    editions = dict(zip(dataset.statements["statement_id"], dataset.statements["year"], strict=True))
    claims = dataset.claims
    edition = [int(editions[s]) for s in claims["statement_id"]]
    split = [
        "heldout" if _draw(seed, e, str(c)) < heldout_share else "development"
        for e, c in zip(edition, claims["claim_id"], strict=True)
    ]
    return pd.DataFrame({"claim_id": list(claims["claim_id"]), "edition": edition, "split": split})


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else float("nan")


def evaluate_tagger(
    dataset: Dataset, split: str = "heldout", languages: tuple[str, ...] = ("en", "ar"), seed: int = SPLIT_SEED
) -> pd.DataFrame:
    """Precision, recall and F1 of the tagger against the hand-coded frames, per frame and language.

    Every claim of the split is coded from its paraphrase in each language (``paraphrase_en``,
    ``paraphrase_ar``) with the codebook's full lexicons and compared with its hand-coded frames.

    Parameters
    ----------
    dataset
        The loaded dataset (claims, statements and frames).
    split
        ``"heldout"``, ``"development"`` or ``"all"``.
    languages
        Paraphrase languages to code.
    seed
        Seed of :func:`split_claims`.

    Returns
    -------
    pandas.DataFrame
        One row per language and frame (codebook order), then one row per language with frame
        ``"all"`` (micro-average): ``language``, ``frame``, ``n_claims``, ``n_positive`` (hand-coded),
        ``n_predicted``, ``true_positive``, ``precision``, ``recall``, ``f1`` (NaN where undefined).
    """
    from . import tagger_for

    if split not in (*SPLITS, "all"):
        raise ValueError(f"unknown split {split!r}; use one of development, heldout, all")
    assignment = split_claims(dataset, seed)
    keep = (
        set(assignment["claim_id"]) if split == "all" else set(assignment.loc[assignment["split"] == split, "claim_id"])
    )
    claims = dataset.claims[dataset.claims["claim_id"].isin(keep)]
    tagger = tagger_for(dataset.frames)
    frame_ids = list(tagger.frame_ids)
    rows = []
    for lang in languages:
        predicted = [set(tagger.code(str(text))) for text in claims[f"paraphrase_{lang}"]]
        actual = [set(frames) for frames in claims["frames"]]
        totals = [0, 0, 0]
        for frame in frame_ids:
            positive = sum(frame in a for a in actual)
            flagged = sum(frame in p for p in predicted)
            hit = sum(frame in a and frame in p for a, p in zip(actual, predicted, strict=True))
            rows.append(_row(lang, frame, len(claims), positive, flagged, hit))
            totals = [totals[0] + positive, totals[1] + flagged, totals[2] + hit]
        rows.append(_row(lang, "all", len(claims), *totals))
    return pd.DataFrame(rows)


def _row(lang: str, frame: str, n_claims: int, positive: int, flagged: int, hit: int) -> dict:
    precision, recall = _ratio(hit, flagged), _ratio(hit, positive)
    f1 = _ratio(2 * hit, positive + flagged)
    return {
        "language": lang,
        "frame": frame,
        "n_claims": n_claims,
        "n_positive": positive,
        "n_predicted": flagged,
        "true_positive": hit,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }
