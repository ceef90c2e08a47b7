"""The reader's site (presentation layer): one-line summaries of every edition for the index page.

Pure: a dataset and a language in, plain strings out (the index template escapes them), so the build can
keep them beside its output and skip loading the data when nothing changed.
"""

from __future__ import annotations

from markupsafe import Markup

from . import analysis as an
from .dataset import Dataset
from .i18n import text
from .narrative import fmt_date_range, fmt_int, is_missing, qualified_count

#: An edition with fewer coded claims than this is marked as thin evidence on the index page.
THIN_CLAIMS = 10


def _plain(value: object) -> str:
    """Text of a formatted phrase without markup (the page template escapes it again)."""
    return Markup(value).striptags() if isinstance(value, Markup) else str(value)


def edition_summaries(ds: Dataset, lang: str) -> list[dict]:
    """Every edition in the data, newest first, summarised for a reader choosing a report.

    Parameters
    ----------
    ds : Dataset
        The validated dataset.
    lang : str
        Language of the strings.

    Returns
    -------
    list of dict
        ``year``, ``held`` (bool), ``dates``, ``summary`` (countries, delegates and coded claims, the
        figures the reports use), ``claims`` (int), ``evidence`` (``full``, ``thin`` or ``none``),
        ``evidence_label`` and ``note`` (why an edition was not held; empty otherwise).
    """
    claims = an.claims_for(ds)
    counts = claims.groupby("year").size() if not claims.empty else {}
    rows = []
    for _, ed in ds.editions.sort_values("year", ascending=False).iterrows():
        year = int(ed["year"])
        held = ed["status"] == "held"
        entry = {
            "year": year,
            "held": bool(held),
            "dates": "",
            "summary": "",
            "claims": 0,
            "evidence": "none",
            "evidence_label": "",
            "note": "",
        }
        if not held:
            note = ed.get(f"dates_note_{lang}")
            entry["note"] = "" if is_missing(note) else str(note)
            rows.append(entry)
            continue
        entry["dates"] = _plain(fmt_date_range(ed["start_date"], ed["end_date"], lang))
        parts = []
        figures = an.headline_figures(ds, year).set_index("metric")
        for metric, noun in (("countries", "country"), ("delegates", "delegate")):
            if metric in figures.index:
                row = figures.loc[metric]
                parts.append(_plain(qualified_count(int(row["value"]), str(row["qualifier"]), noun, lang)))
        n = int(counts.get(year, 0)) if len(counts) else 0
        parts.append(
            text("meta.index_claims", lang, count=n, n=_plain(fmt_int(n, lang)))
            if n
            else text("meta.index_no_claims", lang)
        )
        entry["summary"] = " · ".join(parts)
        entry["claims"] = n
        if n >= THIN_CLAIMS:
            entry["evidence"], entry["evidence_label"] = "full", text("meta.index_full", lang)
        elif n:
            entry["evidence"] = "thin"
            entry["evidence_label"] = text("meta.index_thin", lang, n=_plain(fmt_int(THIN_CLAIMS, lang)))
        else:
            entry["evidence_label"] = text("meta.index_no_claims", lang)
        rows.append(entry)
    return rows
