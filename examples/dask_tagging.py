"""Lexicon tagging of a folder of texts with Dask, for corpora that outgrow one process.

The tagger is :mod:`mcis_report.coding` (``code_text`` and ``frame_hits``); Dask only spreads the files
over workers. ``dask.bag`` runs here on a local scheduler (``"threads"``, ``"processes"`` or
``"synchronous"``); with ``dask.distributed`` the same bag runs on a cluster: create a ``Client`` first and
pass ``scheduler=None``. The result is the same table as :func:`mcis_report.coding.code_folder`.

Usage (``pip install "mcis-report[dask]"``)::

    python examples/dask_tagging.py transcripts/ --data data --scheduler threads
"""

from __future__ import annotations

import argparse
from pathlib import Path

import dask.bag as db
import pandas as pd

from mcis_report import coding, load_dataset

COLUMNS = ["file", "frames", "hits"]


def tag_file(path: Path, frames: pd.DataFrame, min_hits: int = 1) -> dict:
    """One row of the result: the file's name, the frames found and the number of lexicon hits."""
    text = path.read_text(encoding="utf-8")
    hits = coding.frame_hits(text, frames)
    return {"file": path.name, "frames": coding.code_text(text, frames, min_hits),
            "hits": int(hits["count"].sum()) if not hits.empty else 0}


def tag_folder(folder: str | Path, frames: pd.DataFrame, *, min_hits: int = 1, scheduler: str | None = "threads",
               partitions: int | None = None) -> pd.DataFrame:
    """Tag every ``*.txt`` file (UTF-8) of ``folder`` in parallel with ``dask.bag``.

    Parameters
    ----------
    folder : str or Path
        Folder of plain-text files.
    frames : pandas.DataFrame
        The codebook's frames, ``Dataset.frames``.
    min_hits : int, default 1
        Lexicon hits a frame needs to be reported.
    scheduler : str or None, default "threads"
        Dask scheduler; ``None`` uses the active ``dask.distributed`` client.
    partitions : int, optional
        Number of bag partitions (default: Dask's choice, at most one per file).

    Returns
    -------
    pandas.DataFrame
        One row per file, sorted by file name: ``file``, ``frames`` (tuple of frame ids), ``hits``.
    """
    paths = sorted(Path(folder).glob("*.txt"))
    if not paths:
        return pd.DataFrame(columns=COLUMNS)
    bag = db.from_sequence(paths, npartitions=partitions or min(len(paths), 100))
    rows = bag.map(tag_file, frames, min_hits).compute(scheduler=scheduler)
    return pd.DataFrame(rows, columns=COLUMNS).sort_values("file").reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Tag a folder of texts with the codebook's lexicons, using Dask.")
    parser.add_argument("folder", help="folder of UTF-8 .txt files")
    parser.add_argument("--data", default="data", help="data folder whose codebook to use (default: data)")
    parser.add_argument("--scheduler", default="threads", choices=["threads", "processes", "synchronous"])
    parser.add_argument("--min-hits", type=int, default=1)
    args = parser.parse_args(argv)
    frames = load_dataset(args.data).frames
    table = tag_folder(args.folder, frames, min_hits=args.min_hits, scheduler=args.scheduler)
    table["frames"] = table["frames"].map(";".join)
    print(table.to_csv(index=False), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
