"""Analysis (pure functions): tables computed from a :class:`~mcis_report.dataset.Dataset`.

Every function takes the dataset (or its DataFrames) and returns a new DataFrame or a plain value;
nothing here draws, formats text or writes files. Ids stay ids: labels are attached in the
presentation layer, in the report's language.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .dataset import Dataset

ATTENDED = ("in_person", "remote", "written")
#: Speakers compared side by side: these countries by name, everyone else by world region.
PARTNER_COUNTRIES = ("RUS", "CHN", "BLR", "IRN")
PARTNER_REGIONS = ("africa", "middle_east", "asia", "latin_america")


class UnknownEditionError(ValueError):
    """An edition year that is not in the data."""


def edition(ds: Dataset, year: int) -> pd.Series:
    """The editions row of ``year``.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).
    year : int
        Edition year.

    Returns
    -------
    pandas.Series
        The row of ``editions.csv`` (typed).

    Raises
    ------
    UnknownEditionError
        When ``year`` is not in the data; the message lists the valid years.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.edition(ds, 2023)["status"]  # doctest: +SKIP
    """
    rows = ds.editions[ds.editions["year"] == year]
    if rows.empty:
        valid = ", ".join(str(y) for y in ds.editions["year"])
        raise UnknownEditionError(f"no edition for {year} in the data (valid: {valid})")
    return rows.iloc[0]


def previous_edition_year(ds: Dataset, year: int) -> int | None:
    """The last held edition before ``year``.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).
    year : int
        Edition year.

    Returns
    -------
    int or None
        ``None`` for the first held edition.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.previous_edition_year(ds, 2023)  # doctest: +SKIP
    """
    earlier = [y for y in ds.years if y < year]
    return earlier[-1] if earlier else None


#: Columns of :func:`headline_figures`.
HEADLINE_COLUMNS = [
    "metric",
    "value",
    "qualifier",
    "timing",
    "low",
    "high",
    "reports",
    "conflicting",
    "source_ids",
    "all_source_ids",
]


def _headline_row(metric: str, reports: list[dict]) -> dict:
    """One metric's row of :func:`headline_figures` from its reports (rows of ``figures.csv``, as dicts).

    Plain Python over a handful of rows: the reports ask for these figures hundreds of times per build.
    """
    used = next(r for r in reports if r["used"])
    values = [int(r["value"]) for r in reports]
    return {
        "metric": metric,
        "value": int(used["value"]),
        "qualifier": used["qualifier"],
        "timing": used["timing"],
        "low": min(values),
        "high": max(values),
        "reports": len(reports),
        "conflicting": len(set(values)) > 1,
        "source_ids": tuple(used["source_ids"]),
        "all_source_ids": tuple(dict.fromkeys(s for r in reports for s in r["source_ids"])),
    }


def headline_figures(ds: Dataset, year: int) -> pd.DataFrame:
    """One row per metric reported for ``year``: the value used, and the range of all reports.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).
    year : int
        Edition year.

    Returns
    -------
    pandas.DataFrame
        Columns metric, value, qualifier, timing, low, high, reports, conflicting,
        source_ids (of the used value) and all_source_ids (of every report).

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.headline_figures(ds, 2023)[["metric", "value", "conflicting"]]  # doctest: +SKIP
    """
    figures = ds.figures[ds.figures["year"] == year]
    reports: dict[str, list[dict]] = {}
    for report in figures.to_dict("records"):
        reports.setdefault(report["metric"], []).append(report)
    return pd.DataFrame([_headline_row(m, r) for m, r in reports.items()], columns=HEADLINE_COLUMNS)


def figure_value(ds: Dataset, year: int, metric: str) -> dict | None:
    """The used value of one metric, as a dict (one row of :func:`headline_figures`).

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).
    year : int
        Edition year.
    metric : str
        One of ``tables.METRICS``, e.g. ``"countries"``.

    Returns
    -------
    dict or None
        ``None`` when the metric was not reported for ``year``.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.figure_value(ds, 2023, "countries")["value"]  # doctest: +SKIP
    """
    figures = ds.figures
    reports = figures[(figures["year"] == year) & (figures["metric"] == metric)]
    return None if reports.empty else _headline_row(metric, reports.to_dict("records"))


def participation_by_year(ds: Dataset, metric: str = "countries") -> pd.DataFrame:
    """One row per year of the series: status, Western participation and ``metric`` (used, low, high).

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).
    metric : str, default "countries"
        Metric to follow.

    Returns
    -------
    pandas.DataFrame
        One row per year in ``editions.csv``: year, number, status, western_participation and the
        metric's value, low, high, qualifier and timing (of the value used), empty where it was not
        reported.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.participation_by_year(ds, "delegates")  # doctest: +SKIP
    """
    rows = []
    for _, ed in ds.editions.sort_values("year").iterrows():
        year = int(ed["year"])
        fig = figure_value(ds, year, metric) if ed["status"] == "held" else None
        rows.append(
            {
                "year": year,
                "number": ed["number"],
                "status": ed["status"],
                "western_participation": ed["western_participation"],
                "value": None if fig is None else fig["value"],
                "low": None if fig is None else fig["low"],
                "high": None if fig is None else fig["high"],
                "qualifier": None if fig is None else fig["qualifier"],
                "timing": None if fig is None else fig["timing"],
            }
        )
    frame = pd.DataFrame(rows)
    for column in ("value", "low", "high"):
        frame[column] = frame[column].astype("Int64")
    return frame


def figure_conflicts(ds: Dataset, year: int | None = None) -> pd.DataFrame:
    """Every (year, metric) whose reports disagree, with each reported value and its sources.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).
    year : int, optional
        Restrict to one edition.

    Returns
    -------
    pandas.DataFrame
        Columns year, metric, value, qualifier, timing, used, source_ids.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.figure_conflicts(ds, 2023)  # doctest: +SKIP
    """
    figures = ds.figures if year is None else ds.figures[ds.figures["year"] == year]
    disputed = figures.groupby(["year", "metric"])["value"].transform("nunique") > 1
    columns = ["year", "metric", "value", "qualifier", "timing", "used", "source_ids"]
    return figures.loc[disputed, columns].sort_values(["year", "metric", "value"]).reset_index(drop=True)


def western_break_year(ds: Dataset) -> int | None:
    """First held edition after which Western governments never again took part in full.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).

    Returns
    -------
    int or None
        ``None`` when they never took part in full, or still do.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.western_break_year(ds)  # doctest: +SKIP
    """
    held = ds.editions[ds.editions["status"] == "held"].sort_values("year")
    participated = held[held["western_participation"] == "participated"]["year"]
    if participated.empty:
        return None
    later = held[held["year"] > participated.max()]
    return None if later.empty else int(later["year"].iloc[0])


def not_held_years(ds: Dataset) -> list[int]:
    """Years of the series in which the forum did not take place.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).

    Returns
    -------
    list of int

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.not_held_years(ds)  # doctest: +SKIP
    """
    return [int(y) for y in ds.editions.loc[ds.editions["status"] == "not_held", "year"]]


def active_memberships(ds: Dataset, year: int) -> pd.DataFrame:
    """Bloc memberships in force during ``year`` (joined on or before it, not left before it).

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).
    year : int
        Edition year.

    Returns
    -------
    pandas.DataFrame
        Columns alpha3 and organisation.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.active_memberships(ds, 2023)  # doctest: +SKIP
    """
    m = ds.memberships
    active = (m["joined"] <= year) & (m["left"].isna() | (m["left"] > year))
    return m.loc[active.fillna(False), ["alpha3", "organisation"]].reset_index(drop=True)


def delegations_for(ds: Dataset, year: int, attended_only: bool = False, visiting_only: bool = False) -> pd.DataFrame:
    """Delegations of ``year`` with the country's names and region attached.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).
    year : int
        Edition year.
    attended_only : bool, default False
        Leave out delegations that were invited but not confirmed present.
    visiting_only : bool, default False
        Leave out the host (codebook group ``host``): it organises, it does not visit.

    Returns
    -------
    pandas.DataFrame
        The columns of ``delegations.csv`` plus name_en, name_ar and region.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.delegations_for(ds, 2023, attended_only=True)  # doctest: +SKIP
    """
    d = ds.delegations[ds.delegations["year"] == year]
    if visiting_only:
        d = d[~d["country"].isin(host_countries(ds))]
    if attended_only:
        d = d[d["attendance"].isin(ATTENDED)]
    countries = ds.countries[["alpha3", "name_en", "name_ar", "region"]]
    return d.merge(countries, how="left", left_on="country", right_on="alpha3").drop(columns="alpha3")


def delegations_by_region(ds: Dataset, year: int) -> pd.DataFrame:
    """Country delegations per world region, split into attended and invited-only.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).
    year : int
        Edition year.

    Returns
    -------
    pandas.DataFrame
        Columns region, status (``attended`` or ``invited_only``) and delegations, largest first.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.delegations_by_region(ds, 2023)  # doctest: +SKIP
    """
    d = delegations_for(ds, year, visiting_only=True).dropna(subset=["country"])
    d = d.assign(status=d["attendance"].map(lambda a: "attended" if a in ATTENDED else "invited_only"))
    table = d.groupby(["region", "status"]).size().rename("delegations").reset_index()
    return table.sort_values(["delegations", "region"], ascending=[False, True]).reset_index(drop=True)


def delegations_by_bloc(ds: Dataset, year: int) -> pd.DataFrame:
    """For each bloc, how many attending country delegations were members during ``year``.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).
    year : int
        Edition year.

    Returns
    -------
    pandas.DataFrame
        Columns organisation, delegations and share (of all attending country delegations).

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.delegations_by_bloc(ds, 2023)  # doctest: +SKIP
    """
    d = delegations_for(ds, year, attended_only=True, visiting_only=True).dropna(subset=["country"])
    members = active_memberships(ds, year).rename(columns={"organisation": "bloc"})
    joined = d.merge(members, left_on="country", right_on="alpha3")
    counts = joined.groupby("bloc")["country"].nunique()
    blocs = ds.organisations.loc[ds.organisations["bloc"].eq(True), "id"]
    table = pd.DataFrame({"organisation": list(blocs)})
    table["delegations"] = table["organisation"].map(counts).fillna(0).astype(int)
    table["share"] = table["delegations"] / max(len(d), 1)
    return table


def rank_counts(ds: Dataset, year: int) -> pd.DataFrame:
    """Heads of attending delegations by rank category.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).
    year : int
        Edition year.

    Returns
    -------
    pandas.DataFrame
        Columns rank and delegations, most frequent first.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.rank_counts(ds, 2023)  # doctest: +SKIP
    """
    d = delegations_for(ds, year, attended_only=True, visiting_only=True)
    return (
        d.groupby("rank")
        .size()
        .rename("delegations")
        .reset_index()
        .sort_values(["delegations", "rank"], ascending=[False, True])
        .reset_index(drop=True)
    )


# --- groups (codebook `groups`) -------------------------------------------------------------------------


def groups(ds: Dataset) -> list[dict]:
    """The codebook's ``groups`` entries (without line markers); empty when the section is absent.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).

    Returns
    -------
    list of dict
        One mapping per group, in codebook order.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> [g["id"] for g in analysis.groups(ds)][:2]  # doctest: +SKIP
    """
    return [{k: v for k, v in g.items() if k != "__line__"} for g in ds.codebook.get("groups", []) or []]


def group(ds: Dataset, group_id: str) -> dict | None:
    """One codebook group by id.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.
    group_id : str
        Id of the group (``western``, ``host``, …).

    Returns
    -------
    dict or None
        The group, or ``None`` when the codebook has no such group.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.group(ds, "host")  # doctest: +SKIP
    """
    return next((g for g in groups(ds) if g.get("id") == group_id), None)


def host_countries(ds: Dataset) -> tuple[str, ...]:
    """The host's country codes (codebook group ``host``).

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.

    Returns
    -------
    tuple of str
        ISO alpha-3 codes; empty when the codebook names no host.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.host_countries(ds)  # doctest: +SKIP
    ('RUS',)
    """
    g = group(ds, "host")
    return tuple(g.get("countries", ())) if g else ()


def western_states(ds: Dataset, year: int) -> set[str]:
    """Countries counted as Western in ``year`` by the codebook's rule.

    Members of the group's organisations in that year, plus and minus its named exceptions.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.
    year : int
        Year whose memberships count.

    Returns
    -------
    set of str
        ISO alpha-3 codes.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> "TUR" in analysis.western_states(ds, 2023)  # doctest: +SKIP
    False
    """
    g = group(ds, "western")
    if not g:
        return set()
    return (_members_of(ds, year, g.get("organisations", ())) | set(g.get("include", ()))) - set(g.get("exclude", ()))


def bloc_members_not_western(ds: Dataset, year: int) -> set[str]:
    """Members of the Western group's organisations that the rule places outside it (e.g. Türkiye).

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.
    year : int
        Year whose memberships count.

    Returns
    -------
    set of str
        ISO alpha-3 codes.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.bloc_members_not_western(ds, 2023)  # doctest: +SKIP
    {'TUR'}
    """
    g = group(ds, "western")
    if not g:
        return set()
    return _members_of(ds, year, g.get("organisations", ())) & set(g.get("exclude", ()))


def _members_of(ds: Dataset, year: int, organisations: Iterable[str]) -> set[str]:
    """Countries that were members of any of ``organisations`` during ``year``."""
    members = active_memberships(ds, year)
    return set(members.loc[members["organisation"].isin(list(organisations)), "alpha3"])


def speaker_groups(ds: Dataset) -> list[dict]:
    """Groups used to compare speakers (``kind: speakers``), in codebook order.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.

    Returns
    -------
    list of dict

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> [g["id"] for g in analysis.speaker_groups(ds)]  # doctest: +SKIP
    """
    return [g for g in groups(ds) if g.get("kind") == "speakers"]


def speaker_group_of(ds: Dataset, country: object, region: object) -> str | None:
    """The speaker group of a country (by code first, then by world region); ``None`` for organisations.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.
    country : str or None
        ISO alpha-3 code of the speaker's country.
    region : str or None
        World region id of that country.

    Returns
    -------
    str or None
        The group id.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.speaker_group_of(ds, "EGY", "africa")  # doctest: +SKIP
    """
    for g in speaker_groups(ds):
        if isinstance(country, str) and country in g.get("countries", ()):
            return str(g["id"])
    for g in speaker_groups(ds):
        if isinstance(region, str) and region in g.get("regions", ()):
            return str(g["id"])
    return None


def region_parents(ds: Dataset) -> dict[str, str]:
    """Claim region -> the wider claim region that contains it (codebook groups of ``kind: claim_regions``).

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.

    Returns
    -------
    dict of str to str

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.region_parents(ds).get("sahel")  # doctest: +SKIP
    'africa'
    """
    parents = {}
    for g in groups(ds):
        if g.get("kind") == "claim_regions":
            for member in g.get("members", ()):
                parents[str(member)] = str(g["parent"])
    return parents


def claims_for(ds: Dataset, year: int | None = None) -> pd.DataFrame:
    """Claims joined with their statement (speaker, country, role, form, year) and the country's region.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).
    year : int, optional
        Restrict to one edition (default: all).

    Returns
    -------
    pandas.DataFrame
        The columns of ``claims.csv`` plus year, speaker_en, speaker_ar, country, organisation,
        role_en, role_ar, form, statement_sources and region.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.claims_for(ds, 2023)[["claim_id", "speaker_en", "frames"]]  # doctest: +SKIP
    """
    s = ds.statements[
        [
            "statement_id",
            "year",
            "speaker_en",
            "speaker_ar",
            "country",
            "organisation",
            "role_en",
            "role_ar",
            "form",
            "source_ids",
        ]
    ]
    c = ds.claims.merge(s.rename(columns={"source_ids": "statement_sources"}), on="statement_id")
    c = c.merge(ds.countries[["alpha3", "region"]], how="left", left_on="country", right_on="alpha3")
    c = c.drop(columns="alpha3")
    if year is not None:
        c = c[c["year"] == year]
    return c.reset_index(drop=True)


def _explode(claims: pd.DataFrame, column: str) -> pd.DataFrame:
    return claims.explode(column).dropna(subset=[column])


def frame_counts_by_speaker(ds: Dataset, year: int) -> pd.DataFrame:
    """Speaker × frame matrix: the number of claims of each speaker coded with each frame.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).
    year : int
        Edition year.

    Returns
    -------
    pandas.DataFrame
        Rows are speakers (English names, in order of first statement), columns frame ids in
        codebook order; ready for :func:`mcis_report.charts.heatmap`.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.frame_counts_by_speaker(ds, 2023)  # doctest: +SKIP
    """
    claims = claims_for(ds, year)
    c = _explode(claims, "frames")
    speakers = list(dict.fromkeys(claims.sort_values("statement_id")["speaker_en"]))
    frame_ids = [f for f in ds.frames["id"] if f in set(c["frames"])]
    table = pd.crosstab(c["speaker_en"], c["frames"]).reindex(index=speakers, columns=frame_ids, fill_value=0)
    table.index.name, table.columns.name = "speaker", "frame"
    return table


def frame_totals(ds: Dataset, year: int) -> pd.DataFrame:
    """Claims and speakers per frame in ``year``, most used first.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).
    year : int
        Edition year.

    Returns
    -------
    pandas.DataFrame
        Columns frame, claims, speakers; ties in codebook order.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.frame_totals(ds, 2023)  # doctest: +SKIP
    """
    c = _explode(claims_for(ds, year), "frames")
    table = c.groupby("frames").agg(claims=("claim_id", "nunique"), speakers=("speaker_en", "nunique"))
    table = table.reset_index().rename(columns={"frames": "frame"})
    order = {f: i for i, f in enumerate(ds.frames["id"])}
    table["order"] = table["frame"].map(order)
    return table.sort_values(["claims", "order"], ascending=[False, True]).drop(columns="order").reset_index(drop=True)


def strongest_frames(ds: Dataset, year: int, top: int = 2) -> pd.DataFrame:
    """Each speaker's most frequent frames (ties broken by codebook order), with claim counts.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).
    year : int
        Edition year.
    top : int, default 2
        Frames kept per speaker.

    Returns
    -------
    pandas.DataFrame
        Columns speaker, claims, frames (tuple of ids) and counts (tuple of ints).

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.strongest_frames(ds, 2023, top=1)  # doctest: +SKIP
    """
    matrix = frame_counts_by_speaker(ds, year)
    totals = claims_for(ds, year)["speaker_en"].value_counts()
    rows = []
    for speaker, counts in matrix.iterrows():
        ranked = [(f, int(n)) for f, n in counts.items() if n > 0]
        ranked.sort(key=lambda item: -item[1])  # stable: codebook order among ties
        total = int(totals.get(speaker, 0))
        rows.append(
            {
                "speaker": speaker,
                "claims": total,
                "frames": tuple(f for f, _ in ranked[:top]),
                "counts": tuple(n for _, n in ranked[:top]),
            }
        )
    return pd.DataFrame(rows, columns=["speaker", "claims", "frames", "counts"])


def blame_pairs(ds: Dataset, year: int, by: str = "country") -> pd.DataFrame:
    """Who blames whom: claims from each country (or speaker) naming each target.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).
    year : int
        Edition year.
    by : {"country", "speaker_en"}, default "country"
        Group claims by the speaker's country (organisation where there is none) or by speaker.

    Returns
    -------
    pandas.DataFrame
        Columns source, target and claims, most frequent first.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.blame_pairs(ds, 2023)  # doctest: +SKIP
    """
    c = _explode(claims_for(ds, year), "targets")
    key = "country" if by == "country" else "speaker_en"
    c = c.assign(source=c[key].fillna(c["organisation"]))
    table = c.groupby(["source", "targets"]).size().rename("claims").reset_index()
    table = table.rename(columns={"targets": "target"})
    return table.sort_values(["claims", "source", "target"], ascending=[False, True, True]).reset_index(drop=True)


def target_totals(ds: Dataset, year: int) -> pd.DataFrame:
    """Claims naming each target, and how many speakers did, most blamed first.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).
    year : int
        Edition year.

    Returns
    -------
    pandas.DataFrame
        Columns target, claims and speakers.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.target_totals(ds, 2023)  # doctest: +SKIP
    """
    c = _explode(claims_for(ds, year), "targets")
    table = c.groupby("targets").agg(claims=("claim_id", "nunique"), speakers=("speaker_en", "nunique"))
    table = table.reset_index().rename(columns={"targets": "target"})
    return table.sort_values(["claims", "target"], ascending=[False, True]).reset_index(drop=True)


def region_mentions(ds: Dataset, year: int) -> pd.DataFrame:
    """Claims and speakers per claim region (``global`` excluded), most mentioned first.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).
    year : int
        Edition year.

    Returns
    -------
    pandas.DataFrame
        Columns region, claims and speakers.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.region_mentions(ds, 2023)  # doctest: +SKIP
    """
    c = _explode(claims_for(ds, year), "regions")
    c = c[c["regions"] != "global"]
    table = c.groupby("regions").agg(claims=("claim_id", "nunique"), speakers=("speaker_en", "nunique"))
    table = table.reset_index().rename(columns={"regions": "region"})
    return table.sort_values(["claims", "region"], ascending=[False, True]).reset_index(drop=True)


def stance_counts(ds: Dataset, year: int) -> pd.Series:
    """Claims of ``year`` by stance (critical, supportive, neutral).

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).
    year : int
        Edition year.

    Returns
    -------
    pandas.Series
        Counts indexed by stance, most frequent first.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.stance_counts(ds, 2023)  # doctest: +SKIP
    """
    return claims_for(ds, year)["stance"].value_counts()


def partner_group(country: str | None, region: str | None, ds: Dataset | None = None) -> str | None:
    """Comparison group of a speaker.

    The codebook's speaker groups when ``ds`` is given (see :func:`speaker_group_of`); otherwise the
    country code for Russia, China, Belarus and Iran, else the region.

    Parameters
    ----------
    country : str or None
        ISO alpha-3 code of the speaker's country.
    region : str or None
        World region id of that country.
    ds : Dataset, optional
        When given and its codebook has speaker groups, they decide.

    Returns
    -------
    str or None
        A speaker group id, or one of ``PARTNER_COUNTRIES`` or ``PARTNER_REGIONS``; ``None`` for other speakers and for
        speakers for an organisation (no country, no region).

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.partner_group("EGY", "africa")  # doctest: +SKIP
    """
    if ds is not None and speaker_groups(ds):
        return speaker_group_of(ds, country, region)
    if isinstance(country, str) and country in PARTNER_COUNTRIES:
        return country
    if isinstance(region, str) and region in PARTNER_REGIONS:
        return region
    return None


def partner_comparison(ds: Dataset, year: int, top: int = 3) -> pd.DataFrame:
    """Side-by-side messaging of partner groups: speakers, claims, top frames and top targets.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).
    year : int
        Edition year.
    top : int, default 3
        Frames and targets kept per group.

    Returns
    -------
    pandas.DataFrame
        Columns group, speakers, claims, top_frames, top_targets, critical_share and critical (the
        count); groups in the codebook's order of speaker groups (else ``PARTNER_COUNTRIES`` then
        ``PARTNER_REGIONS``).

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.partner_comparison(ds, 2023)  # doctest: +SKIP
    """
    c = claims_for(ds, year)
    c = c.assign(group=[partner_group(a, r, ds) for a, r in zip(c["country"], c["region"], strict=True)])
    c = c.dropna(subset=["group"])
    order = [g["id"] for g in speaker_groups(ds)] or list(PARTNER_COUNTRIES) + list(PARTNER_REGIONS)
    frame_order = {f: i for i, f in enumerate(ds.frames["id"])}
    rows = []
    for group in [g for g in order if g in set(c["group"])]:
        sub = c[c["group"] == group]
        frames = _explode(sub, "frames")["frames"].value_counts()
        frames = sorted(frames.items(), key=lambda kv: (-kv[1], frame_order.get(kv[0], 99)))
        targets = _explode(sub, "targets")["targets"].value_counts()
        targets = sorted(targets.items(), key=lambda kv: (-kv[1], kv[0]))
        rows.append(
            {
                "group": group,
                "speakers": tuple(dict.fromkeys(sub["speaker_en"])),
                "claims": len(sub),
                "top_frames": tuple(f for f, _ in frames[:top]),
                "top_targets": tuple(t for t, _ in targets[:top]),
                "critical_share": float((sub["stance"] == "critical").mean()),
                "critical": int((sub["stance"] == "critical").sum()),
            }
        )
    return pd.DataFrame(
        rows, columns=["group", "speakers", "claims", "top_frames", "top_targets", "critical_share", "critical"]
    )


def frame_shares_by_year(ds: Dataset) -> pd.DataFrame:
    """Share of each year's claims coded with each frame.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).

    Returns
    -------
    pandas.DataFrame
        Long table with columns year, frame, claims and share (a claim may carry several frames,
        so a year's shares can add up to more than 1).

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.frame_shares_by_year(ds).query("year == 2023")  # doctest: +SKIP
    """
    c = claims_for(ds)
    totals = c.groupby("year")["claim_id"].nunique()
    e = _explode(c, "frames")
    table = e.groupby(["year", "frames"])["claim_id"].nunique().rename("claims").reset_index()
    table = table.rename(columns={"frames": "frame"})
    table["share"] = table["claims"] / table["year"].map(totals)
    return table.sort_values(["year", "frame"]).reset_index(drop=True)


def edition_changes(ds: Dataset, year: int) -> dict:
    """What changed between the previous held edition and ``year``.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).
    year : int
        Edition year.

    Returns
    -------
    dict
        ``previous`` (year or None), ``metrics`` (DataFrame: metric, before, after, change),
        ``frames_new`` / ``frames_dropped`` / ``frames_common`` (tuples of frame ids),
        ``speakers_returning`` (English names) and the claim counts ``claims_before`` and
        ``claims_after``.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.edition_changes(ds, 2023)["frames_new"]  # doctest: +SKIP
    """
    previous = previous_edition_year(ds, year)
    result = {
        "previous": previous,
        "metrics": pd.DataFrame(columns=["metric", "before", "after", "change"]),
        "frames_new": (),
        "frames_dropped": (),
        "frames_common": (),
        "speakers_returning": (),
        "claims_before": 0,
        "claims_after": len(claims_for(ds, year)),
    }
    if previous is None:
        return result
    now, before = headline_figures(ds, year), headline_figures(ds, previous)
    merged = before[["metric", "value"]].merge(
        now[["metric", "value"]], on="metric", how="outer", suffixes=("_before", "_after")
    )
    merged = merged.rename(columns={"value_before": "before", "value_after": "after"})
    merged["change"] = merged["after"] - merged["before"]
    order = {m: i for i, m in enumerate(ds.figures["metric"].drop_duplicates())}
    merged = merged.sort_values("metric", key=lambda s: s.map(order)).reset_index(drop=True)
    frames_now = set(_explode(claims_for(ds, year), "frames")["frames"])
    frames_before = set(_explode(claims_for(ds, previous), "frames")["frames"])
    codebook = list(ds.frames["id"])
    speakers_now = set(ds.statements.loc[ds.statements["year"] == year, "speaker_en"])
    speakers_before = set(ds.statements.loc[ds.statements["year"] == previous, "speaker_en"])
    result.update(
        metrics=merged,
        frames_new=tuple(f for f in codebook if f in frames_now - frames_before),
        frames_dropped=tuple(f for f in codebook if f in frames_before - frames_now),
        frames_common=tuple(f for f in codebook if f in frames_now & frames_before),
        speakers_returning=tuple(sorted(speakers_now & speakers_before)),
        claims_before=len(claims_for(ds, previous)),
    )
    return result


def article_point_coverage(ds: Dataset) -> pd.DataFrame:
    """For each point of the original article: how many claims bear on it, and by which speakers.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (:func:`mcis_report.load_dataset`).

    Returns
    -------
    pandas.DataFrame
        Columns article_point, claims and speakers, in codebook order.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.article_point_coverage(ds)  # doctest: +SKIP
    """
    c = _explode(claims_for(ds), "article_points")
    rows = []
    for point in ds.article_points["id"]:
        sub = c[c["article_points"] == point]
        rows.append({"article_point": point, "claims": len(sub), "speakers": tuple(dict.fromkeys(sub["speaker_en"]))})
    return pd.DataFrame(rows)


def cited_sources(*frames: pd.DataFrame, column: str = "source_ids") -> tuple[str, ...]:
    """Source ids cited by the rows of ``frames``, in first-seen order.

    Parameters
    ----------
    *frames : pandas.DataFrame
        Tables with a list column of source ids.
    column : str, default "source_ids"
        That column's name.

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import analysis
    >>> ds = mcis_report.load_dataset("data")
    >>> analysis.cited_sources(analysis.claims_for(ds, 2023))[:3]  # doctest: +SKIP
    """
    ids: dict[str, None] = {}
    for frame in frames:
        for value in frame[column]:
            for source_id in value:
                ids.setdefault(source_id)
    return tuple(ids)
