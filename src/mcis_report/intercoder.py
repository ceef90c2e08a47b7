"""Inter-coder reliability (analysis layer): Krippendorff's alpha between two codings of the same claims.

The study (``data/reliability/``) compares the first coding of a stratified sample of claims with a
second, blind coding of the same claim texts. For every frame (and every target) each claim is a
present/absent decision, so agreement is Krippendorff's alpha at the nominal level, computed with the
maintained ``krippendorff`` package. Frames that fewer than ``min_positives`` claims carry (by either
coder) are reported as too rare to estimate; the overall figure is the mean of the other frames'
alphas weighted by prevalence (the number of claims carrying the frame, by either coder).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

#: Frames carried by fewer claims than this (by either coder) get no alpha of their own.
MIN_POSITIVES = 5


def read_coding(path: str | Path) -> pd.DataFrame:
    """A coding file (``claim_id,frames,targets``; lists ``;``-separated) as a frame of sets, indexed by claim.

    Parameters
    ----------
    path
        CSV file with the columns ``claim_id``, ``frames`` and ``targets``.

    Returns
    -------
    pandas.DataFrame
        Index ``claim_id``; columns ``frames`` and ``targets`` holding frozensets of ids.
    """
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = {"claim_id", "frames", "targets"} - set(table.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    for column in ("frames", "targets"):
        table[column] = [frozenset(i.strip() for i in cell.split(";") if i.strip()) for cell in table[column]]
    return table.set_index("claim_id")


def presence(coding: pd.DataFrame, column: str, ids: Iterable[str]) -> pd.DataFrame:
    """Claim × id table of 0/1: whether each claim carries each id in ``column``."""
    ids = list(ids)
    return pd.DataFrame([[int(i in codes) for i in ids] for codes in coding[column]], index=coding.index, columns=ids)


def agreement(
    first: pd.DataFrame, second: pd.DataFrame, column: str, ids: Iterable[str], min_positives: int = MIN_POSITIVES
) -> pd.DataFrame:
    """Krippendorff's alpha (nominal) per id between two codings of the same claims.

    Parameters
    ----------
    first, second
        Codings from :func:`read_coding`; only the claims present in both are compared.
    column
        ``"frames"`` or ``"targets"``.
    ids
        The ids to report (the codebook's order).
    min_positives
        Ids carried by fewer claims (by either coder) are marked ``too_rare`` and get no alpha.

    Returns
    -------
    pandas.DataFrame
        One row per id: ``id``, ``first`` and ``second`` (claims each coder gave it), ``positives``
        (claims either coder gave it), ``agree`` (share of claims with the same decision), ``alpha``
        (NaN when too rare) and ``too_rare``.
    """
    import krippendorff

    claims = first.index.intersection(second.index)
    if claims.empty:
        raise ValueError("the two codings share no claim")
    a = presence(first.loc[claims], column, ids)
    b = presence(second.loc[claims], column, ids)
    rows = []
    for i in a.columns:
        positives = int((a[i] | b[i]).sum())
        too_rare = positives < min_positives
        alpha = np.nan
        if not too_rare:
            try:
                alpha = float(
                    krippendorff.alpha(
                        reliability_data=np.array([a[i], b[i]], dtype=float), level_of_measurement="nominal"
                    )
                )
            except ValueError:  # every decision the same: alpha is undefined, not perfect
                alpha = np.nan
        rows.append(
            {
                "id": i,
                "first": int(a[i].sum()),
                "second": int(b[i].sum()),
                "positives": positives,
                "agree": float((a[i] == b[i]).mean()),
                "alpha": alpha,
                "too_rare": too_rare,
            }
        )
    return pd.DataFrame(rows)


def overall_alpha(table: pd.DataFrame) -> float:
    """Mean alpha over the ids that are not too rare, weighted by prevalence (``positives``)."""
    usable = table[~table["too_rare"] & table["alpha"].notna()]
    if usable.empty:
        return float("nan")
    return float(np.average(usable["alpha"], weights=usable["positives"]))


def first_coding(claims: pd.DataFrame, claim_ids: Iterable[str]) -> pd.DataFrame:
    """The dataset's codes for ``claim_ids`` in the coding-file layout (lists joined with ``;``)."""
    subset = claims.set_index("claim_id").loc[list(claim_ids)]
    return pd.DataFrame(
        {
            "claim_id": subset.index,
            "frames": [";".join(f) for f in subset["frames"]],
            "targets": [";".join(t) for t in subset["targets"]],
        }
    )


STUDY_FOLDER = "reliability"


def study(data_dir: str | Path, frame_ids: Iterable[str], target_ids: Iterable[str]) -> dict[str, object]:
    """The committed reliability study of a data folder: per-frame and per-target tables and overall alphas.

    Parameters
    ----------
    data_dir
        The data folder; the study is ``<data_dir>/reliability/first_coding.csv`` (the first coding of
        the sample as it stood before reconciliation) and ``second_coding.csv`` (the blind second coding).
    frame_ids, target_ids
        Codebook ids, in the order the tables should list them.

    Returns
    -------
    dict
        ``claims`` (number of claims compared), ``frames`` and ``targets`` (tables from
        :func:`agreement`), ``frames_alpha`` and ``targets_alpha`` (from :func:`overall_alpha`).
    """
    folder = Path(data_dir) / STUDY_FOLDER
    first = read_coding(folder / "first_coding.csv")
    second = read_coding(folder / "second_coding.csv")
    frames = agreement(first, second, "frames", frame_ids)
    targets = agreement(first, second, "targets", target_ids)
    return {
        "claims": len(first.index.intersection(second.index)),
        "frames": frames,
        "targets": targets,
        "frames_alpha": overall_alpha(frames),
        "targets_alpha": overall_alpha(targets),
    }
