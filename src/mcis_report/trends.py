"""Analysis across editions (analysis layer): pure functions of a Dataset, one row per edition and category.

The trends report reads the series through these functions: frame and target shares per edition with
their n and Wilson intervals, the eras the series falls into, first appearances, the host against its
partners, stance and frame profiles by speaker group, the evidence behind each edition's claims and the
delegations named edition by edition. Shares are of an edition's claims; a claim may carry several
frames or targets, so the shares of one edition can add up to more than 1.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence

import pandas as pd

from . import analysis as an
from .dataset import Dataset
from .findings import (
    DEFAULT,
    PARTICIPATION_METRICS,
    TIMING_CLASS,
    Finding,
    Thresholds,
    compare_figures,
    group_gap_finding,
    share_test,
    wilson_interval,
)

#: The frames whose trajectories the trends report follows (codebook ids), in reading order.
KEY_FRAMES = (
    "multipolar_order",
    "anti_hegemony",
    "sovereignty",
    "nato_threat",
    "colour_revolutions",
    "terrorism",
    "ukraine_blame",
    "neo_colonialism",
    "africa_sahel",
)
#: Source kinds from the strongest to the weakest: a claim counts under the strongest kind it cites.
SOURCE_STRENGTH = ("official", "wire", "news", "analysis", "blog")
#: The sides of the host comparison: the host, the Western delegations, every other state.
SIDES = ("host", "partners", "western")
#: :func:`coded_claims` of the last few datasets (by identity, checked through a weak reference): every
#: function here starts from it, and a report calls them many times on the same loaded data.
_CODED: dict[int, tuple[weakref.ref, pd.DataFrame]] = {}


def held_years(ds: Dataset) -> list[int]:
    """Years of the held editions with at least one coded claim, in order.

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
    >>> from mcis_report import trends
    >>> ds = mcis_report.load_dataset("data")
    >>> trends.held_years(ds)[:2]
    [2012, 2013]
    """
    coded = set(an.claims_for(ds)["year"].astype(int))
    return [y for y in ds.years if y in coded]


def eras(ds: Dataset) -> list[tuple[int, ...]]:
    """The held editions split at the Western break and at every year without a conference.

    The periods come from the data, not from a list: an era ends before the first edition after the
    Western delegations' last full participation (:func:`mcis_report.analysis.western_break_year`) and
    at each gap in the series (2020 in the shipped data).

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.

    Returns
    -------
    list of tuple of int
        Each era's edition years, in order.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import trends
    >>> ds = mcis_report.load_dataset("data")
    >>> [(e[0], e[-1]) for e in trends.eras(ds)]
    [(2012, 2013), (2014, 2019), (2021, 2023)]
    """
    years = ds.years
    break_year = an.western_break_year(ds)
    gaps = set(an.not_held_years(ds))
    out: list[list[int]] = []
    for year in years:
        starts = not out or year == break_year or any(out[-1][-1] < g < year for g in gaps)
        if starts:
            out.append([year])
        else:
            out[-1].append(year)
    return [tuple(era) for era in out]


def side_of(ds: Dataset, year: int, country: object) -> str | None:
    """``host``, ``western`` or ``partners`` for a speaker's country in ``year``; ``None`` for an organisation.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.
    year : int
        Edition year (Western membership is read for that year).
    country : str or None
        ISO alpha-3 code of the speaker's country.

    Returns
    -------
    str or None

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import trends
    >>> ds = mcis_report.load_dataset("data")
    >>> trends.side_of(ds, 2012, "USA"), trends.side_of(ds, 2023, "RUS"), trends.side_of(ds, 2023, "CHN")
    ('western', 'host', 'partners')
    """
    if not isinstance(country, str) or not country:
        return None
    if country in an.host_countries(ds):
        return "host"
    if country in an.western_states(ds, year):
        return "western"
    return "partners"


def coded_claims(ds: Dataset) -> pd.DataFrame:
    """All claims with their year, side (:func:`side_of`) and speaker group.

    Computed once per loaded dataset and reused (a copy each time): change data through a new
    :class:`~mcis_report.dataset.Dataset` (``load_dataset`` or ``Dataset.copy``), not in place.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.

    Returns
    -------
    pandas.DataFrame
        :func:`mcis_report.analysis.claims_for` plus ``side`` and ``group``.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import trends
    >>> ds = mcis_report.load_dataset("data")
    >>> sorted(set(trends.coded_claims(ds)["side"].dropna()))
    ['host', 'partners', 'western']
    """
    cached = _CODED.get(id(ds))
    if cached is not None and cached[0]() is ds:
        return cached[1].copy()
    c = an.claims_for(ds)
    c["year"] = c["year"].astype(int)
    western = {y: an.western_states(ds, y) for y in set(c["year"])}
    hosts = set(an.host_countries(ds))
    sides: list[str | None] = []
    for year, country in zip(c["year"], c["country"], strict=True):
        if not isinstance(country, str) or not country:
            sides.append(None)
        elif country in hosts:
            sides.append("host")
        elif country in western[year]:
            sides.append("western")
        else:
            sides.append("partners")
    c["side"] = sides
    c["group"] = [an.speaker_group_of(ds, a, r) for a, r in zip(c["country"], c["region"], strict=True)]
    if len(_CODED) >= 4:
        _CODED.clear()
    _CODED[id(ds)] = (weakref.ref(ds), c)
    return c.copy()


def _shares(claims: pd.DataFrame, column: str, by: str, categories: Sequence[str], th: Thresholds) -> pd.DataFrame:
    """Per ``by`` value and category: claims with it (k), claims in all (n), share and Wilson interval."""
    rows = []
    for key, sub in claims.groupby(by, sort=True):
        n = len(sub)
        counts: dict[str, int] = {}
        for values in sub[column]:
            for v in set(values):
                counts[v] = counts.get(v, 0) + 1
        for category in categories:
            k = counts.get(category, 0)
            low, high = wilson_interval(k, n, th.z)
            rows.append({by: key, "category": category, "claims": k, "n": n, "share": k / n, "low": low, "high": high})
    table = pd.DataFrame(rows, columns=[by, "category", "claims", "n", "share", "low", "high"])
    table["thin"] = table["n"] < th.thin_claims
    return table


def frame_shares(ds: Dataset, frames: Iterable[str] | None = None, th: Thresholds = DEFAULT) -> pd.DataFrame:
    """Share of each edition's claims coded with each frame, with n, a Wilson interval and a thin flag.

    Every held edition with claims has a row for every frame asked for, zeros included, so a frame's
    absence is a value and not a missing year.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.
    frames : iterable of str, optional
        Frame ids (default: every frame of the codebook, in codebook order).
    th : Thresholds, optional
        ``thin_claims`` marks editions with too few claims; ``z`` sets the interval.

    Returns
    -------
    pandas.DataFrame
        Columns year, frame, claims, n, share, low, high, thin.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import trends
    >>> ds = mcis_report.load_dataset("data")
    >>> row = trends.frame_shares(ds, ["terrorism"]).query("year == 2016").iloc[0]
    >>> bool(row.low <= row.share <= row.high), int(row.n) == len(trends.coded_claims(ds).query("year == 2016"))
    (True, True)
    """
    frames = list(ds.frames["id"]) if frames is None else list(frames)
    table = _shares(coded_claims(ds), "frames", "year", frames, th)
    return table.rename(columns={"category": "frame"})


def target_shares(ds: Dataset, th: Thresholds = DEFAULT) -> pd.DataFrame:
    """Share of each edition's claims naming each target (codebook order), with n and a Wilson interval.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.
    th : Thresholds, optional
        Thresholds (``thin_claims``, ``z``).

    Returns
    -------
    pandas.DataFrame
        Columns year, target, claims, n, share, low, high, thin.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import trends
    >>> ds = mcis_report.load_dataset("data")
    >>> set(trends.target_shares(ds)["target"]) <= set(ds.targets["id"])
    True
    """
    table = _shares(coded_claims(ds), "targets", "year", list(ds.targets["id"]), th)
    return table.rename(columns={"category": "target"})


def era_label(era: Sequence[int]) -> str:
    """``"2014–2019"`` (en dash), or the single year.

    Parameters
    ----------
    era : sequence of int
        The era's years.

    Returns
    -------
    str

    Examples
    --------
    >>> from mcis_report import trends
    >>> trends.era_label((2014, 2015, 2019)), trends.era_label((2021,))
    ('2014–2019', '2021')
    """
    return str(era[0]) if len(era) == 1 else f"{era[0]}\u2013{era[-1]}"


def era_frame_shares(ds: Dataset, frames: Iterable[str] | None = None, th: Thresholds = DEFAULT) -> pd.DataFrame:
    """Frame shares pooled by era (:func:`eras`): claims, n, share and Wilson interval per era and frame.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.
    frames : iterable of str, optional
        Frame ids (default: every frame).
    th : Thresholds, optional
        Thresholds.

    Returns
    -------
    pandas.DataFrame
        Columns era (index of the era), frame, claims, n, share, low, high, thin.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import trends
    >>> ds = mcis_report.load_dataset("data")
    >>> sorted(set(trends.era_frame_shares(ds, ["terrorism"])["era"]))
    [0, 1, 2]
    """
    frames = list(ds.frames["id"]) if frames is None else list(frames)
    index = {year: i for i, era in enumerate(eras(ds)) for year in era}
    c = coded_claims(ds)
    c["era"] = c["year"].map(index)
    return _shares(c, "frames", "era", frames, th).rename(columns={"category": "frame"})


def first_appearances(ds: Dataset) -> pd.DataFrame:
    """For each frame coded at least once: the first edition with it, and how it held on afterwards.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.

    Returns
    -------
    pandas.DataFrame
        Columns frame, first_year, first_claims, speakers (the first edition's speakers, English names),
        editions (editions with the frame), later_editions (held editions after the first one) and
        claims (all claims with it); ordered by first year, then codebook order.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import trends
    >>> ds = mcis_report.load_dataset("data")
    >>> int(trends.first_appearances(ds).set_index("frame").loc["ukraine_blame", "first_year"]) >= 2014
    True
    """
    c = coded_claims(ds)
    years = held_years(ds)
    e = c.explode("frames").dropna(subset=["frames"])
    rows = []
    for order, frame in enumerate(ds.frames["id"]):
        sub = e[e["frames"] == frame]
        if sub.empty:
            continue
        first = int(sub["year"].min())
        at_first = sub[sub["year"] == first]
        rows.append(
            {
                "frame": frame,
                "first_year": first,
                "first_claims": len(at_first),
                "speakers": tuple(dict.fromkeys(at_first["speaker_en"])),
                "editions": int(sub["year"].nunique()),
                "later_editions": sum(1 for y in years if y > first),
                "claims": len(sub),
                "order": order,
            }
        )
    table = pd.DataFrame(
        rows,
        columns=["frame", "first_year", "first_claims", "speakers", "editions", "later_editions", "claims", "order"],
    )
    return table.sort_values(["first_year", "order"]).drop(columns="order").reset_index(drop=True)


def side_frame_shares(ds: Dataset, frames: Iterable[str] | None = None, th: Thresholds = DEFAULT) -> pd.DataFrame:
    """Frame shares per edition and side (host, partners, Western), with n and a Wilson interval.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.
    frames : iterable of str, optional
        Frame ids (default: :data:`KEY_FRAMES`).
    th : Thresholds, optional
        Thresholds.

    Returns
    -------
    pandas.DataFrame
        Columns year, side, frame, claims, n, share, low, high, thin.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import trends
    >>> ds = mcis_report.load_dataset("data")
    >>> sorted(set(trends.side_frame_shares(ds)["side"]))
    ['host', 'partners', 'western']
    """
    frames = list(KEY_FRAMES) if frames is None else list(frames)
    c = coded_claims(ds).dropna(subset=["side"])
    c["year_side"] = list(zip(c["year"], c["side"], strict=True))
    table = _shares(c, "frames", "year_side", frames, th)
    table["year"] = [ys[0] for ys in table["year_side"]]
    table["side"] = [ys[1] for ys in table["year_side"]]
    table = table.rename(columns={"category": "frame"})
    return table[["year", "side", "frame", "claims", "n", "share", "low", "high", "thin"]]


def stance_by(ds: Dataset, by: str = "group", years: Iterable[int] | None = None) -> pd.DataFrame:
    """Critical, supportive and neutral claims per speaker group (or side), pooled over ``years``.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.
    by : {"group", "side"}, default "group"
        Speaker groups of the codebook (``groups`` of kind ``speakers``) or sides (:data:`SIDES`).
    years : iterable of int, optional
        Editions to pool (default: all).

    Returns
    -------
    pandas.DataFrame
        Columns by, critical, supportive, neutral, n, critical_share, speakers (distinct), in codebook
        (or :data:`SIDES`) order; claims with no group are left out.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import trends
    >>> ds = mcis_report.load_dataset("data")
    >>> t = trends.stance_by(ds, "side")
    >>> bool((t["critical"] + t["supportive"] + t["neutral"] == t["n"]).all())
    True
    """
    c = coded_claims(ds)
    if years is not None:
        c = c[c["year"].isin(set(years))]
    c = c.dropna(subset=[by])
    order = [g["id"] for g in an.speaker_groups(ds)] if by == "group" else list(SIDES)
    rows = []
    for key in [k for k in order if k in set(c[by])]:
        sub = c[c[by] == key]
        counts = sub["stance"].value_counts()
        rows.append(
            {
                by: key,
                "critical": int(counts.get("critical", 0)),
                "supportive": int(counts.get("supportive", 0)),
                "neutral": int(counts.get("neutral", 0)),
                "n": len(sub),
                "speakers": int(sub["speaker_en"].nunique()),
            }
        )
    table = pd.DataFrame(rows, columns=[by, "critical", "supportive", "neutral", "n", "speakers"])
    table["critical_share"] = table["critical"] / table["n"].where(table["n"] > 0)
    return table


def group_frame_profiles(ds: Dataset, frames: Iterable[str] | None = None, th: Thresholds = DEFAULT) -> pd.DataFrame:
    """Frame shares of each speaker group's claims, all editions pooled, with n and a Wilson interval.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.
    frames : iterable of str, optional
        Frame ids (default: :data:`KEY_FRAMES`).
    th : Thresholds, optional
        Thresholds.

    Returns
    -------
    pandas.DataFrame
        Columns group, frame, claims, n, share, low, high, thin; groups in codebook order.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import trends
    >>> ds = mcis_report.load_dataset("data")
    >>> "RUS" in set(trends.group_frame_profiles(ds)["group"])
    True
    """
    frames = list(KEY_FRAMES) if frames is None else list(frames)
    c = coded_claims(ds).dropna(subset=["group"])
    table = _shares(c, "frames", "group", frames, th).rename(columns={"category": "frame"})
    order = {g["id"]: i for i, g in enumerate(an.speaker_groups(ds))}
    table["_order"] = table["group"].map(order)
    return table.sort_values(["_order"], kind="stable").drop(columns="_order").reset_index(drop=True)


def evidence_base(ds: Dataset) -> pd.DataFrame:
    """Claims per edition by the strongest kind of source they cite, and how many rest on a primary text.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.

    Returns
    -------
    pandas.DataFrame
        Columns year, kind (in :data:`SOURCE_STRENGTH` order), claims; every held edition with claims has
        a row per kind (zeros included). ``attrs["primary"]`` maps each year to its claims on a primary
        text and ``attrs["unverified"]`` to its claims resting only on unverified sources.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import trends
    >>> ds = mcis_report.load_dataset("data")
    >>> t = trends.evidence_base(ds)
    >>> int(t["claims"].sum()) == len(ds.claims)
    True
    """
    kinds = dict(zip(ds.sources["source_id"], ds.sources["kind"], strict=True))
    reliability = dict(zip(ds.sources["source_id"], ds.sources["reliability"], strict=True))
    rank = {k: i for i, k in enumerate(SOURCE_STRENGTH)}
    c = coded_claims(ds)
    strongest = []
    for ids in c["source_ids"]:
        found = [str(kinds[s]) for s in ids if kinds.get(s) in rank]
        strongest.append(min(found, key=rank.__getitem__) if found else SOURCE_STRENGTH[-1])
    c["kind"] = strongest
    c["unverified_only"] = [all(reliability.get(s) == "unverified" for s in ids) for ids in c["source_ids"]]
    rows = [
        {"year": year, "kind": kind, "claims": int((sub["kind"] == kind).sum())}
        for year, sub in c.groupby("year", sort=True)
        for kind in SOURCE_STRENGTH
    ]
    table = pd.DataFrame(rows, columns=["year", "kind", "claims"])
    table.attrs["primary"] = {int(y): int(s["primary_text"].astype(bool).sum()) for y, s in c.groupby("year")}
    table.attrs["unverified"] = {int(y): int(s["unverified_only"].sum()) for y, s in c.groupby("year")}
    return table


def host_messages(ds: Dataset) -> pd.DataFrame:
    """Per edition, what the host's speakers said: speakers, claims, leading frames (ties kept), critical share.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.

    Returns
    -------
    pandas.DataFrame
        Columns year, speakers (English names, in order of appearance), claims, frames (the leading
        frame ids, all tied at the top), frame_claims (their count), critical; one row per held edition
        with host claims.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import trends
    >>> ds = mcis_report.load_dataset("data")
    >>> int(trends.host_messages(ds).set_index("year").loc[2023, "claims"]) > 0
    True
    """
    c = coded_claims(ds)
    c = c[c["side"] == "host"]
    rows = []
    for year, sub in c.groupby("year", sort=True):
        counts = sub.explode("frames").dropna(subset=["frames"]).groupby("frames")["claim_id"].nunique()
        top = int(counts.max()) if not counts.empty else 0
        leaders = tuple(f for f in ds.frames["id"] if counts.get(f, 0) == top and top > 0)
        rows.append(
            {
                "year": int(year),
                "speakers": tuple(dict.fromkeys(sub["speaker_en"])),
                "claims": len(sub),
                "frames": leaders,
                "frame_claims": top,
                "critical": int((sub["stance"] == "critical").sum()),
                "source_ids": an.cited_sources(sub),
            }
        )
    return pd.DataFrame(
        rows, columns=["year", "speakers", "claims", "frames", "frame_claims", "critical", "source_ids"]
    )


def named_attendance(ds: Dataset) -> pd.DataFrame:
    """Visiting delegations named in the sources as attending, one row per edition and country.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.

    Returns
    -------
    pandas.DataFrame
        Columns year, country, region, western (a Western state that year) and blocs (the
        organisations it belonged to that year, codebook order).

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import trends
    >>> ds = mcis_report.load_dataset("data")
    >>> bool(trends.named_attendance(ds).query("year == 2012 and country == 'USA'").shape[0])
    True
    """
    rows = []
    regions = dict(zip(ds.countries["alpha3"], ds.countries["region"], strict=True))
    order = {o: i for i, o in enumerate(ds.organisations["id"])}
    for year in ds.years:
        d = an.delegations_for(ds, year, attended_only=True, visiting_only=True)
        western = an.western_states(ds, year)
        members = an.active_memberships(ds, year)
        blocs_of: dict[str, set] = {}
        for alpha3, organisation in zip(members["alpha3"], members["organisation"], strict=True):
            blocs_of.setdefault(alpha3, set()).add(organisation)
        for country in sorted(set(d["country"].dropna())):
            blocs = sorted(blocs_of.get(country, ()), key=lambda o: order.get(o, 99))
            rows.append(
                {
                    "year": year,
                    "country": country,
                    "region": regions.get(country),
                    "western": country in western,
                    "blocs": tuple(blocs),
                }
            )
    return pd.DataFrame(rows, columns=["year", "country", "region", "western", "blocs"])


def era_movements(ds: Dataset) -> pd.DataFrame:
    """Countries named as attending in one era and never named in a later one, and those named first in an era.

    Named attendance depends on what the sources list (most editions name a minority of the
    delegations), so a country "not named" later may still have come; the report says so.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.

    Returns
    -------
    pandas.DataFrame
        Columns era (index), movement (``first_named`` or ``last_named``), country, western.

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import trends
    >>> ds = mcis_report.load_dataset("data")
    >>> t = trends.era_movements(ds)
    >>> "USA" in set(t.query("movement == 'last_named' and era == 0")["country"])
    True
    """
    named = named_attendance(ds)
    periods = eras(ds)
    rows = []
    for i, era in enumerate(periods):
        now = named[named["year"].isin(era)]
        before = set(named.loc[named["year"] < era[0], "country"])
        after = set(named.loc[named["year"] > era[-1], "country"])
        western = dict(zip(now["country"], now["western"], strict=False))
        for country in sorted(set(now["country"])):
            if i > 0 and country not in before:
                rows.append({"era": i, "movement": "first_named", "country": country, "western": western[country]})
            if i < len(periods) - 1 and country not in after:
                rows.append({"era": i, "movement": "last_named", "country": country, "western": western[country]})
    return pd.DataFrame(rows, columns=["era", "movement", "country", "western"])


def participation_series(
    ds: Dataset, metrics: Sequence[str] = ("countries", "delegates", "defence_ministers")
) -> pd.DataFrame:
    """The used figure of each metric per year of the series, with its range, qualifier and timing.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.
    metrics : sequence of str
        Metrics to follow.

    Returns
    -------
    pandas.DataFrame
        Columns year, status, western_participation, metric, value, low, high, qualifier, timing; one row
        per year of ``editions.csv`` and metric (empty values where nothing was reported).

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import trends
    >>> ds = mcis_report.load_dataset("data")
    >>> t = trends.participation_series(ds, ["countries"])
    >>> sorted(set(t["qualifier"].dropna())) <= ["approx", "exact", "more_than"]
    True
    """
    frames = []
    for metric in metrics:
        f = an.participation_by_year(ds, metric).drop(columns="number")
        f.insert(3, "metric", metric)  # after western_participation
        f["source_ids"] = [
            () if pd.isna(value) else tuple(an.figure_value(ds, int(year), metric)["source_ids"])  # type: ignore[index]
            for year, value in zip(f["year"], f["value"], strict=True)
        ]
        frames.append(f)
    # Year by year, the metrics in the order asked for.
    frame = pd.concat(frames, ignore_index=True).sort_values("year", kind="stable", ignore_index=True)
    for column in ("value", "low", "high"):
        frame[column] = frame[column].astype("Float64")
    return frame


# --- findings across editions ----------------------------------------------------------------------------
# Same contract as :mod:`mcis_report.findings`: a comparison that fails its strength test is not a
# finding; a finding carries ids and numbers and the trends report words it.


def _era_rows(table: pd.DataFrame, key: str, category: str, periods: list[tuple[int, ...]]) -> tuple:
    sub = table[table[key] == category].set_index("era")
    return tuple((era_label(periods[i]), int(sub.loc[i, "claims"]), int(sub.loc[i, "n"])) for i in sub.index)


def era_shift_findings(ds: Dataset, th: Thresholds = DEFAULT) -> list[Finding]:
    """Frames whose share differs between the first and the last era (test: :func:`findings.share_test`).

    Eras pool editions (:func:`eras`), so each share rests on dozens of claims; the rule is the edition
    report's (``min_claims_shift``, non-overlapping Wilson intervals or ``min_points_shift``). Effect:
    the change in share, scaled so that 40 points count as 1.
    """
    periods = eras(ds)
    if len(periods) < 2:
        return []
    table = era_frame_shares(ds, th=th)
    first, last = 0, len(periods) - 1
    out = []
    for frame in ds.frames["id"]:
        sub = table[table["frame"] == frame].set_index("era")
        if first not in sub.index or last not in sub.index:
            continue
        a, b = sub.loc[first], sub.loc[last]
        strength = share_test(
            int(a.claims), int(a.n), int(b.claims), int(b.n), th.min_claims_shift, th.min_points_shift, th
        )
        if strength is None:
            continue
        change = float(b.share - a.share)
        out.append(
            Finding(
                kind="era_shift",
                variant="rose" if change > 0 else "fell",
                chapter="frames",
                strength=strength,
                effect=min(1.0, abs(change) / 0.4),
                n=int(a.n) + int(b.n),
                values={"frame": frame, "eras": _era_rows(table, "frame", frame, periods)},
            )
        )
    return sorted(out, key=lambda f: -f.score)


def era_arc_findings(ds: Dataset, th: Thresholds = DEFAULT) -> list[Finding]:
    """Frames that rose in a middle era and fell back after it (or the reverse), each step passing the test.

    A first-to-last comparison misses a frame that peaked in between (terrorism during the Syrian war);
    both steps must pass :func:`findings.share_test`, so a bump within the noise is not stated. Effect:
    the smaller of the two steps, scaled so that 40 points count as 1.
    """
    periods = eras(ds)
    if len(periods) < 3:
        return []
    table = era_frame_shares(ds, th=th)
    out = []
    for frame in ds.frames["id"]:
        sub = table[table["frame"] == frame].set_index("era")
        if len(sub) != len(periods):
            continue
        first, last = sub.iloc[0], sub.iloc[-1]
        for i in range(1, len(periods) - 1):
            mid = sub.iloc[i]
            steps = [
                share_test(
                    int(a.claims), int(a.n), int(b.claims), int(b.n), th.min_claims_shift, th.min_points_shift, th
                )
                for a, b in ((first, mid), (mid, last))
            ]
            up, down = mid.share - first.share, mid.share - last.share
            if None in steps or (up > 0) != (down > 0):
                continue
            out.append(
                Finding(
                    kind="era_arc",
                    variant="peak" if up > 0 else "trough",
                    chapter="frames",
                    strength="strong" if steps == ["strong", "strong"] else "moderate",
                    effect=min(1.0, min(abs(up), abs(down)) / 0.4),
                    n=int(first.n) + int(mid.n) + int(last.n),
                    values={"frame": frame, "eras": _era_rows(table, "frame", frame, periods), "middle": i},
                )
            )
    return sorted(out, key=lambda f: -f.score)


def new_frames_finding(ds: Dataset, th: Thresholds = DEFAULT) -> Finding | None:
    """Frames first coded after the first edition that then recur in at least half of the later editions.

    Descriptive: when a frame first appears depends on which speeches survive, so the finding says
    "first coded", never "first said". Effect: the share of all frames that are such newcomers.
    """
    table = first_appearances(ds)
    years = held_years(ds)
    if not years:
        return None
    later = table[(table["first_year"] > years[0]) & (table["claims"] >= th.min_new_frame_claims)]
    kept = later[(later["editions"] - 1) * 2 >= later["later_editions"]]
    if kept.empty:
        return None
    return Finding(
        kind="new_frames",
        variant="kept",
        chapter="frames",
        strength="descriptive",
        effect=min(1.0, len(kept) / max(1, len(table)) * 2),
        n=int(kept["claims"].sum()),
        values={
            "frames": tuple(
                (r.frame, int(r.first_year), int(r.editions) - 1, int(r.later_editions)) for r in kept.itertuples()
            )
        },
    )


def western_trend_finding(ds: Dataset) -> Finding | None:
    """Western participation over the series: the years in full, the break, and what followed (strong)."""
    break_year = an.western_break_year(ds)
    if break_year is None:
        return None
    held = ds.editions[ds.editions["status"] == "held"].sort_values("year")
    full = tuple(int(y) for y in held.loc[held["western_participation"] == "participated", "year"])
    after = held[held["year"] >= break_year]
    statuses = tuple(dict.fromkeys(str(s) for s in after["western_participation"]))
    return Finding(
        kind="western_trend",
        variant="break",
        chapter="participation",
        strength="strong",
        effect=0.8,
        n=len(held),
        values={"full": full, "break_year": break_year, "after": statuses, "last": int(held["year"].iloc[-1])},
        source_ids=an.cited_sources(after),
    )


def participation_trend_findings(ds: Dataset, th: Thresholds = DEFAULT) -> list[Finding]:
    """Per headline metric: the highest counted figure against the latest one, when the two compare.

    Only counted figures (at or after the event) are candidates for the peak, and a "more than" figure
    is a bound (:func:`findings.compare_figures`). Strength moderate (two figures); effect: the
    relative change, scaled so that 50 % counts as 1.
    """
    out = []
    series = participation_series(ds, PARTICIPATION_METRICS)
    for metric in PARTICIPATION_METRICS:
        rows = series[(series["metric"] == metric) & series["value"].notna()]
        counted = rows[rows["timing"].map(lambda t: TIMING_CLASS.get(str(t)) == "counted")]
        if len(counted) < 2:
            continue
        latest = rows.iloc[-1]
        peak = counted.loc[counted["value"].astype(float).idxmax()]
        if int(peak["year"]) == int(latest["year"]):
            continue
        c = compare_figures(peak.to_dict(), latest.to_dict(), th)
        if c.direction not in ("down", "up"):
            continue
        out.append(
            Finding(
                kind="participation_trend",
                variant=str(c.direction),
                chapter="participation",
                strength="moderate",
                effect=min(1.0, abs(c.relative or 0) / 0.5),
                n=2,
                values={
                    "metric": metric,
                    "peak_year": int(peak["year"]),
                    "peak": int(peak["value"]),
                    "peak_qualifier": str(peak["qualifier"]),
                    "year": int(latest["year"]),
                    "value": int(latest["value"]),
                    "qualifier": str(latest["qualifier"]),
                },
                source_ids=tuple(dict.fromkeys(tuple(peak["source_ids"]) + tuple(latest["source_ids"]))),
            )
        )
    return out


def group_trend_findings(ds: Dataset, th: Thresholds = DEFAULT) -> list[Finding]:
    """Speaker groups whose share of critical claims, all editions pooled, differs from the host's.

    The edition report's group rule (``min_group_claims``, Wilson intervals or ``min_points_group``)
    applied to all editions together. Effect: the gap, scaled so that 60 points count as 1.
    """
    table = stance_by(ds, "group")
    hosts = {an.speaker_group_of(ds, h, None) for h in an.host_countries(ds)}
    host = table[table["group"].isin(hosts)]
    if host.empty:
        return []
    h = host.iloc[0]
    out = []
    for row in table[~table["group"].isin(hosts)].itertuples():
        found = group_gap_finding(
            "group_trend",
            "partners",
            (str(row.group), int(row.critical), int(row.n)),
            (str(h.group), int(h.critical), int(h.n)),
            th,
        )
        if found is not None:
            out.append(found)
    return sorted(out, key=lambda f: -f.score)


def era_target_finding(ds: Dataset) -> Finding | None:
    """The most-named target of each era, ties kept as ties (descriptive; effect: the last era's leader's share)."""
    periods = eras(ds)
    c = coded_claims(ds)
    index = {year: i for i, era in enumerate(periods) for year in era}
    c["era"] = c["year"].map(index)
    leaders = []
    for i, era in enumerate(periods):
        sub = c[c["era"] == i]
        counts = sub.explode("targets").dropna(subset=["targets"]).groupby("targets")["claim_id"].nunique()
        if counts.empty:
            continue
        top = int(counts.max())
        tied = tuple(t for t in ds.targets["id"] if counts.get(t, 0) == top)
        leaders.append((era_label(era), tied, top, len(sub)))
    if not leaders:
        return None
    last = leaders[-1]
    return Finding(
        kind="era_target",
        variant="same" if len({tuple(x[1]) for x in leaders}) == 1 else "changed",
        chapter="targets",
        strength="descriptive",
        effect=last[2] / max(1, last[3]),
        n=sum(x[3] for x in leaders),
        values={"eras": tuple(leaders)},
    )


def evidence_finding(ds: Dataset) -> Finding:
    """How many claims rest on the speaker's own published text, and how many only on unverified sources.

    Descriptive, with a low effect: it qualifies every other finding rather than competing with them.
    """
    table = evidence_base(ds)
    total = int(table["claims"].sum())
    return Finding(
        kind="evidence",
        variant="base",
        chapter="evidence",
        strength="descriptive",
        effect=0.2,
        n=total,
        values={
            "claims": total,
            "primary": sum(table.attrs["primary"].values()),
            "unverified": sum(table.attrs["unverified"].values()),
            "editions": len(table.attrs["primary"]),
        },
    )


def trend_findings(ds: Dataset, th: Thresholds = DEFAULT) -> list[Finding]:
    """Every finding across editions, by score (highest first); the key findings are the first ones.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset.
    th : Thresholds, optional
        The strength tests' thresholds.

    Returns
    -------
    list of Finding

    Examples
    --------
    >>> import mcis_report
    >>> from mcis_report import trends
    >>> ds = mcis_report.load_dataset("data")
    >>> "era_shift" in {f.kind for f in trends.trend_findings(ds)}
    True
    """
    found: list[Finding] = []
    found += era_shift_findings(ds, th)
    found += era_arc_findings(ds, th)
    found += participation_trend_findings(ds, th)
    found += group_trend_findings(ds, th)
    for single in (western_trend_finding(ds), new_frames_finding(ds, th), era_target_finding(ds)):
        if single is not None:
            found.append(single)
    if len(ds.claims):
        found.append(evidence_finding(ds))
    return sorted(found, key=lambda f: -f.score)
