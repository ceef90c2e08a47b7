"""Findings (analysis layer): ranked, qualified statements computed from the data, each with its evidence.

A finding is a statement the data supports under an explicit *strength test*; a comparison that fails
its test is not a finding, so the report never states it. The tests and their thresholds live in one
place, :class:`Thresholds`, which the method appendix prints. Nothing here writes prose: a finding
carries ids and numbers, and the presentation layer words it from the catalogues.

Score of a finding (used to pick the key findings)::

    score = effect × weight(strength)

``effect`` is the size of the effect on a 0–1 scale (each rule says how it scales it), ``weight`` is 1.0
for a *strong* test, 0.6 for a *moderate* one and 0.3 for a *descriptive* statement (a count that is not
a comparison). A thin edition's finding always leads (score 1.0 + 1).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from . import analysis as an
from .analysis import (  # noqa: F401  (re-exported: the group rules are part of the findings API)
    bloc_members_not_western,
    group,
    groups,
    host_countries,
    region_parents,
    speaker_group_of,
    speaker_groups,
    western_states,
)
from .dataset import Dataset

#: Timing classes: a figure announced before the event is an expectation; the others are counts.
TIMING_CLASS = {"pre_event": "expected", "at_event": "counted", "post_event": "counted", "retrospective": "counted"}
#: Headline figures whose change across editions is tested.
PARTICIPATION_METRICS = ("countries", "defence_ministers", "delegates")
#: Weight of each strength in the score.
STRENGTH_WEIGHT = {"strong": 1.0, "moderate": 0.6, "descriptive": 0.3}


@dataclass(frozen=True)
class Thresholds:
    """Every threshold of the strength tests, in one place (printed in the method appendix).

    Attributes
    ----------
    min_relative_change : a participation change is stated only when it is at least this share of the
        earlier figure (and both figures have the same timing class: announced vs counted).
    participation_window : how many earlier held editions a participation figure is compared with.
    min_claims_shift : a frame-share change needs at least this many coded claims on both sides.
    min_points_shift : ... and non-overlapping Wilson intervals, or at least this difference in share.
    confidence : confidence level of the Wilson score intervals.
    min_group_claims : a group of speakers is compared only with at least this many claims (and the host too).
    min_points_group : ... and non-overlapping Wilson intervals, or at least this gap in critical share.
    min_new_frame_claims : a frame is "new" only with at least this many claims, absent from the previous
        edition, and both editions with at least ``min_claims_shift`` claims.
    thin_claims : an edition with fewer coded claims than this is thin: it gets a compact profile.
    key_min, key_max : how many key findings are shown (fewer only when fewer exist).
    """

    min_relative_change: float = 0.10
    participation_window: int = 3
    min_claims_shift: int = 20
    min_points_shift: float = 0.15
    confidence: float = 0.95
    min_group_claims: int = 5
    min_points_group: float = 0.30
    min_new_frame_claims: int = 3
    thin_claims: int = 10
    key_min: int = 4
    key_max: int = 6

    @property
    def z(self) -> float:
        """Normal quantile of the two-sided confidence level."""
        from statistics import NormalDist

        return NormalDist().inv_cdf(0.5 + self.confidence / 2)


DEFAULT = Thresholds()


@dataclass(frozen=True)
class Finding:
    """One tested statement: what kind, how strong, how large, and its evidence.

    ``values`` holds ids and numbers only (frame ids, years, counts); ``n`` is the number of
    observations behind it (claims, or editions compared); ``source_ids`` the sources of the evidence.
    ``chapter`` is the report chapter the finding belongs to.
    """

    kind: str
    variant: str
    chapter: str
    strength: str
    effect: float
    n: int
    values: Mapping[str, Any] = field(default_factory=dict)
    source_ids: tuple[str, ...] = ()

    @property
    def score(self) -> float:
        """``effect × weight(strength)``; a thin edition's finding is always first."""
        if self.kind == "thin":
            return 2.0
        return round(self.effect * STRENGTH_WEIGHT[self.strength], 6)


# --- statistics -----------------------------------------------------------------------------------------


def wilson_interval(k: int, n: int, z: float = DEFAULT.z) -> tuple[float, float]:
    """Wilson score interval of a proportion ``k / n`` (``(0, 1)`` for ``n == 0``).

    Hand-written because it is one formula and the project has no statistics library.
    """
    if n <= 0:
        return 0.0, 1.0
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def share_test(
    k1: int, n1: int, k2: int, n2: int, min_n: int, min_points: float, th: Thresholds = DEFAULT
) -> str | None:
    """Strength of the difference between two shares, or ``None`` when it must not be stated.

    ``strong``: both n ≥ ``min_n`` and the Wilson intervals do not overlap; ``moderate``: both n ≥
    ``min_n`` and the shares differ by at least ``min_points`` (intervals overlapping).
    """
    if n1 < min_n or n2 < min_n:
        return None
    low1, high1 = wilson_interval(k1, n1, th.z)
    low2, high2 = wilson_interval(k2, n2, th.z)
    if high1 < low2 or high2 < low1:
        return "strong"
    if abs(k1 / n1 - k2 / n2) >= min_points - 1e-9:
        return "moderate"
    return None


@dataclass(frozen=True)
class Comparison:
    """Outcome of comparing two reported figures: ``up``, ``down``, ``similar`` or ``None`` (with why)."""

    direction: str | None
    reason: str | None = None
    relative: float | None = None


def compare_figures(before: Mapping[str, Any], after: Mapping[str, Any], th: Thresholds = DEFAULT) -> Comparison:
    """Compare two figures (``value``, ``qualifier``, ``timing``) honestly.

    Not comparable (``reason="timing"``) when one is an expectation announced before the event and the
    other a count. "More than N" is a lower bound: a rise is stated only when the later lower bound
    already exceeds the earlier figure by ``min_relative_change``, a fall only when the later figure is
    that far below the earlier lower bound; otherwise ``reason="qualifier"``. Changes smaller than the
    threshold between two exact or approximate figures are ``similar``.
    """
    if TIMING_CLASS.get(str(before["timing"])) != TIMING_CLASS.get(str(after["timing"])):
        return Comparison(None, "timing")
    b, a = float(before["value"]), float(after["value"])
    if b <= 0:
        return Comparison(None, "qualifier")
    relative = (a - b) / b
    b_bound, a_bound = before["qualifier"] == "more_than", after["qualifier"] == "more_than"
    big = abs(relative) >= th.min_relative_change - 1e-9
    if not b_bound and not a_bound:
        if not big:
            return Comparison("similar", None, relative)
        return Comparison("up" if relative > 0 else "down", None, relative)
    if a_bound and not b_bound and big and relative > 0:
        return Comparison("up", None, relative)
    if b_bound and not a_bound and big and relative < 0:
        return Comparison("down", None, relative)
    return Comparison(None, "qualifier", relative)


# --- rules ----------------------------------------------------------------------------------------------


def _used(ds: Dataset, year: int, metric: str) -> dict | None:
    return an.figure_value(ds, year, metric)


def participation_findings(ds: Dataset, year: int, th: Thresholds = DEFAULT) -> list[Finding]:
    """Participation against the last ``participation_window`` held editions, per headline metric.

    Stated only when at least one earlier figure is comparable (same timing class, qualifiers allowing
    it) and every comparable one points the same way by at least ``min_relative_change``.
    Strength: strong with two or more agreeing editions, moderate with one. Effect: largest relative
    change, scaled so that 50 % counts as 1.
    """
    out = []
    earlier = [y for y in ds.years if y < year][-th.participation_window :][::-1]
    for metric in PARTICIPATION_METRICS:
        now = _used(ds, year, metric)
        if now is None:
            continue
        compared = []
        for y in earlier:
            before = _used(ds, y, metric)
            if before is None:
                continue
            c = compare_figures(before, now, th)
            if c.direction is not None:
                compared.append((y, before, c))
        directions = {c.direction for _, _, c in compared}
        if len(directions) != 1 or directions & {"similar"}:
            continue
        direction = directions.pop()
        sources = tuple(now["source_ids"]) + tuple(s for _, b, _ in compared for s in b["source_ids"])
        out.append(
            Finding(
                kind="participation",
                variant=str(direction),
                chapter="editions",
                strength="strong" if len(compared) >= 2 else "moderate",
                effect=min(1.0, max(abs(c.relative or 0) for _, _, c in compared) / 0.5),
                n=len(compared),
                values={
                    "metric": metric,
                    "year": year,
                    "value": now["value"],
                    "qualifier": now["qualifier"],
                    "earlier": tuple((y, b["value"], b["qualifier"]) for y, b, _ in compared),
                },
                source_ids=tuple(dict.fromkeys(sources)),
            )
        )
    return out


def figure_changes(ds: Dataset, year: int, th: Thresholds = DEFAULT) -> pd.DataFrame:
    """Every headline metric of ``year`` compared with the previous held edition (see :func:`compare_figures`).

    Columns: metric, before, before_qualifier, before_timing, after, after_qualifier, after_timing,
    direction (up/down/similar or None) and reason (timing/qualifier/missing or None).
    """
    previous = an.previous_edition_year(ds, year)
    columns = [
        "metric",
        "before",
        "before_qualifier",
        "before_timing",
        "after",
        "after_qualifier",
        "after_timing",
        "direction",
        "reason",
    ]
    if previous is None:
        return pd.DataFrame(columns=columns)
    now, before = an.headline_figures(ds, year), an.headline_figures(ds, previous)
    rows = []
    for metric in dict.fromkeys(list(now["metric"]) + list(before["metric"])):
        a = now[now["metric"] == metric]
        b = before[before["metric"] == metric]
        if a.empty or b.empty:
            rows.append(
                {
                    "metric": metric,
                    "before": None if b.empty else int(b.iloc[0]["value"]),
                    "before_qualifier": None if b.empty else b.iloc[0]["qualifier"],
                    "before_timing": None if b.empty else b.iloc[0]["timing"],
                    "after": None if a.empty else int(a.iloc[0]["value"]),
                    "after_qualifier": None if a.empty else a.iloc[0]["qualifier"],
                    "after_timing": None if a.empty else a.iloc[0]["timing"],
                    "direction": None,
                    "reason": "missing",
                }
            )
            continue
        ra, rb = a.iloc[0], b.iloc[0]
        c = compare_figures(rb, ra, th)
        rows.append(
            {
                "metric": metric,
                "before": int(rb["value"]),
                "before_qualifier": rb["qualifier"],
                "before_timing": rb["timing"],
                "after": int(ra["value"]),
                "after_qualifier": ra["qualifier"],
                "after_timing": ra["timing"],
                "direction": c.direction,
                "reason": c.reason,
            }
        )
    return pd.DataFrame(rows, columns=columns)


def western_finding(ds: Dataset, year: int) -> Finding:
    """Western participation in ``year`` against the previous held edition, and bloc members outside the group.

    Descriptive when unchanged (effect 0.4), strong when it changed (effect 0.8): the participation
    status is a documented fact, not an estimate.
    """
    ed = an.edition(ds, year)
    previous = an.previous_edition_year(ds, year)
    before = None if previous is None else str(an.edition(ds, previous)["western_participation"])
    now = str(ed["western_participation"])
    d = an.delegations_for(ds, year)
    outside = sorted(bloc_members_not_western(ds, year) & set(d["country"].dropna()))
    attending_western = sorted(
        western_states(ds, year) & set(d.loc[d["attendance"].isin(an.ATTENDED), "country"].dropna())
    )
    changed = before is not None and before != now
    return Finding(
        kind="western",
        variant="changed" if changed else ("same" if before else "first"),
        chapter="changes",
        strength="strong" if changed else "descriptive",
        effect=0.8 if changed else 0.4,
        n=1,
        values={
            "year": year,
            "status": now,
            "previous": previous,
            "previous_status": before,
            "outside": tuple(outside),
            "outside_attendance": tuple(str(d.loc[d["country"] == c, "attendance"].iloc[0]) for c in outside),
            "attending_western": tuple(attending_western),
        },
        source_ids=tuple(ed["source_ids"]),
    )


def _ranked(counts: pd.Series) -> tuple[tuple[str, ...], int, tuple[tuple[str, int], ...]]:
    """Leaders (all ids tied at the top), their count, and the rest in order (ties kept together)."""
    if counts.empty:
        return (), 0, ()
    top = int(counts.max())
    leaders = tuple(sorted(str(i) for i in counts[counts == top].index))
    rest = counts[counts < top].sort_values(ascending=False)
    return leaders, top, tuple((str(i), int(v)) for i, v in rest.items())


def top_frame_finding(ds: Dataset, year: int, th: Thresholds = DEFAULT) -> Finding | None:
    """The most used frame(s); ties are kept as ties. Descriptive; effect: the leader's share of claims."""
    claims = an.claims_for(ds, year)
    if claims.empty:
        return None
    totals = an.frame_totals(ds, year).set_index("frame")
    leaders, top, rest = _ranked(totals["claims"])
    return Finding(
        kind="top_frame",
        variant="tie" if len(leaders) > 1 else "single",
        chapter="messaging",
        strength="descriptive",
        effect=top / len(claims),
        n=len(claims),
        values={
            "frames": leaders,
            "claims": top,
            "speakers": int(totals.loc[list(leaders), "speakers"].max()),
            "total": len(claims),
            "next": rest[:2],
        },
        source_ids=an.cited_sources(claims),
    )


def blame_finding(ds: Dataset, year: int) -> Finding | None:
    """The actor(s) blamed most; ties kept as ties. Descriptive; effect: the leader's share of claims."""
    claims = an.claims_for(ds, year)
    targets = an.target_totals(ds, year)
    if claims.empty or targets.empty:
        return None
    counts = targets.set_index("target")
    leaders, top, rest = _ranked(counts["claims"])
    blaming = int(claims["targets"].map(len).gt(0).sum())
    return Finding(
        kind="blame",
        variant="tie" if len(leaders) > 1 else "single",
        chapter="messaging",
        strength="descriptive",
        effect=top / len(claims),
        n=len(claims),
        values={
            "targets": leaders,
            "claims": top,
            "speakers": int(counts.loc[list(leaders), "speakers"].max()),
            "blaming": blaming,
            "total": len(claims),
            "next": rest[:2],
        },
        source_ids=an.cited_sources(claims[claims["targets"].map(len) > 0]),
    )


def group_stance(ds: Dataset, year: int) -> pd.DataFrame:
    """Per speaker group: claims, critical claims and the critical share (groups from the codebook)."""
    c = an.claims_for(ds, year)
    c = c.assign(group=[speaker_group_of(ds, a, r) for a, r in zip(c["country"], c["region"], strict=True)])
    c = c.dropna(subset=["group"])
    order = [g["id"] for g in speaker_groups(ds)]
    rows = []
    for gid in [g for g in order if g in set(c["group"])]:
        sub = c[c["group"] == gid]
        rows.append(
            {
                "group": gid,
                "claims": len(sub),
                "critical": int((sub["stance"] == "critical").sum()),
                "speakers": tuple(dict.fromkeys(sub["speaker_en"])),
                "source_ids": an.cited_sources(sub),
            }
        )
    table = pd.DataFrame(rows, columns=["group", "claims", "critical", "speakers", "source_ids"])
    table["share"] = table["critical"] / table["claims"].where(table["claims"] > 0)
    return table


def _host_group(ds: Dataset) -> str | None:
    """The speaker group the host's country belongs to."""
    return next((speaker_group_of(ds, h, None) for h in host_countries(ds)), None)


def groups_comparable(ds: Dataset, year: int, th: Thresholds = DEFAULT) -> bool | None:
    """Whether any speaker group and the host both reach the minimum for a comparison.

    ``None`` when the edition has no speaker group at all (nothing to say); ``False`` when groups exist
    but are too small; ``True`` when at least one can be tested against the host.
    """
    table = group_stance(ds, year)
    if table.empty:
        return None
    host_group = _host_group(ds)
    host = table[table["group"] == host_group]
    others = table[table["group"] != host_group]
    return bool(
        not host.empty
        and int(host["claims"].iloc[0]) >= th.min_group_claims
        and (others["claims"] >= th.min_group_claims).any()
    )


def group_gap_finding(
    kind: str,
    chapter: str,
    speakers: tuple[str, int, int],
    host: tuple[str, int, int],
    th: Thresholds = DEFAULT,
    source_ids: tuple[str, ...] = (),
) -> Finding | None:
    """A speaker group against the host, each as ``(id, critical claims, claims)``; ``None`` if the gap fails.

    The test is :func:`share_test` with ``min_group_claims`` and ``min_points_group``. Effect: the gap in
    share, scaled so that 60 points count as 1. Used per edition and across editions.
    """
    (gid, critical, claims), (hid, host_critical, host_claims) = speakers, host
    strength = share_test(critical, claims, host_critical, host_claims, th.min_group_claims, th.min_points_group, th)
    if strength is None:
        return None
    gap = critical / claims - host_critical / host_claims
    return Finding(
        kind=kind,
        variant="less_critical" if gap < 0 else "more_critical",
        chapter=chapter,
        strength=strength,
        effect=min(1.0, abs(gap) / 0.6),
        n=claims + host_claims,
        values={
            "group": gid,
            "critical": critical,
            "claims": claims,
            "host_group": hid,
            "host_critical": host_critical,
            "host_claims": host_claims,
        },
        source_ids=source_ids,
    )


def group_findings(ds: Dataset, year: int, th: Thresholds = DEFAULT) -> list[Finding]:
    """Speaker groups whose share of critical claims differs from the host's (test: :func:`share_test`).

    Effect: the gap in share, scaled so that 60 points count as 1.
    """
    table = group_stance(ds, year)
    host_group = _host_group(ds)
    if host_group is None or host_group not in set(table["group"]):
        return []
    host = table[table["group"] == host_group].iloc[0]
    out = []
    for row in table[table["group"] != host_group].itertuples():
        found = group_gap_finding(
            "group",
            "partners",
            (str(row.group), int(row.critical), int(row.claims)),
            (host_group, int(host.critical), int(host.claims)),
            th,
            tuple(row.source_ids),
        )
        if found is not None:
            out.append(found)
    return out


def _frame_counts(ds: Dataset, year: int) -> tuple[pd.Series, int]:
    claims = an.claims_for(ds, year)
    counts = claims.explode("frames").dropna(subset=["frames"]).groupby("frames")["claim_id"].nunique()
    return counts, len(claims)


def frame_shift_findings(ds: Dataset, year: int, th: Thresholds = DEFAULT) -> list[Finding]:
    """Frames whose share of claims changed since the previous held edition (test: :func:`share_test`).

    Effect: the change in share, scaled so that 30 points count as 1.
    """
    previous = an.previous_edition_year(ds, year)
    if previous is None:
        return []
    now, n_now = _frame_counts(ds, year)
    before, n_before = _frame_counts(ds, previous)
    out = []
    for frame in [f for f in ds.frames["id"] if f in set(now.index) | set(before.index)]:
        k1, k0 = int(now.get(frame, 0)), int(before.get(frame, 0))
        strength = share_test(k1, n_now, k0, n_before, th.min_claims_shift, th.min_points_shift, th)
        if strength is None or (k0 == 0 and k1 >= th.min_new_frame_claims):
            continue  # a frame absent before is reported as new, not as a shift
        delta = k1 / n_now - k0 / n_before
        out.append(
            Finding(
                kind="frame_shift",
                variant="up" if delta > 0 else "down",
                chapter="changes",
                strength=strength,
                effect=min(1.0, abs(delta) / 0.3),
                n=n_now + n_before,
                values={
                    "frame": frame,
                    "year": year,
                    "previous": previous,
                    "claims": k1,
                    "total": n_now,
                    "claims_before": k0,
                    "total_before": n_before,
                },
            )
        )
    return out


def new_frame_findings(ds: Dataset, year: int, th: Thresholds = DEFAULT) -> list[Finding]:
    """Frames used in ``year`` (≥ ``min_new_frame_claims`` claims) and absent from the previous edition.

    Only when both editions have ≥ ``min_claims_shift`` claims, so that an absence means something.
    Moderate; effect: the frame's share of this edition's claims, scaled so that 20 % counts as 1.
    """
    previous = an.previous_edition_year(ds, year)
    if previous is None:
        return []
    now, n_now = _frame_counts(ds, year)
    before, n_before = _frame_counts(ds, previous)
    if n_now < th.min_claims_shift or n_before < th.min_claims_shift:
        return []
    out = []
    for frame in [
        f for f in ds.frames["id"] if int(now.get(f, 0)) >= th.min_new_frame_claims and int(before.get(f, 0)) == 0
    ]:
        k = int(now[frame])
        out.append(
            Finding(
                kind="new_frame",
                variant="new",
                chapter="changes",
                strength="moderate",
                effect=min(1.0, k / n_now / 0.2),
                n=n_now,
                values={
                    "frame": frame,
                    "year": year,
                    "previous": previous,
                    "claims": k,
                    "total": n_now,
                    "total_before": n_before,
                },
            )
        )
    return out


def article_finding(ds: Dataset, year: int) -> Finding | None:
    """The check of the article attached to ``year`` (``articles.csv``): verdict counts.

    Strong (each verdict is sourced); effect: share of checks not supported, scaled so that 40 % counts as 1.
    """
    articles = getattr(ds, "articles", None)
    if articles is None or articles.empty or year not in set(articles["edition"]):
        return None
    checks = ds.article_checks
    if checks.empty:
        return None
    verdicts = checks["verdict"].value_counts()
    wrong = int(verdicts.get("contradicted", 0))
    partly = int(verdicts.get("partly_supported", 0))
    variant = "errors" if wrong else ("partly" if partly else "holds")
    return Finding(
        kind="article",
        variant=variant,
        chapter="checks",
        strength="strong",
        effect=min(1.0, (wrong + 0.5 * partly) / len(checks) / 0.4),
        n=len(checks),
        values={
            "checks": len(checks),
            "supported": int(verdicts.get("supported", 0)),
            "partly": partly,
            "contradicted": wrong,
            "unverified": int(verdicts.get("unverified", 0)),
            "contradicted_ids": tuple(checks.loc[checks["verdict"] == "contradicted", "check_id"]),
        },
        source_ids=an.cited_sources(checks[checks["verdict"] == "contradicted"]),
    )


def is_thin(ds: Dataset, year: int, th: Thresholds = DEFAULT) -> bool:
    """Whether ``year`` has fewer than ``thin_claims`` coded claims."""
    return len(an.claims_for(ds, year)) < th.thin_claims


def region_ranking(ds: Dataset, year: int) -> list[dict]:
    """Regions referred to, outermost first: nested regions are counted inside their parent, never ranked.

    Each item: ``region``, ``claims`` (claims naming it or a region inside it), ``inside`` (tuple of
    ``(region, claims)`` for the nested ones mentioned). Ties keep the codebook's order of ids.
    """
    claims = an.claims_for(ds, year)
    parents = region_parents(ds)

    def outermost(region: str) -> str:
        seen = set()
        while region in parents and region not in seen:
            seen.add(region)
            region = parents[region]
        return region

    mentions: dict[str, set[str]] = {}
    inner: dict[str, dict[str, set[str]]] = {}
    for row in claims.itertuples():
        for region in row.regions:
            if region == "global":
                continue
            top = outermost(region)
            mentions.setdefault(top, set()).add(row.claim_id)
            if top != region:
                inner.setdefault(top, {}).setdefault(region, set()).add(row.claim_id)
    order = {r: i for i, r in enumerate(ds.claim_regions["id"])}
    ranked = sorted(mentions, key=lambda r: (-len(mentions[r]), order.get(r, 999)))
    return [
        {
            "region": r,
            "claims": len(mentions[r]),
            "inside": tuple(
                sorted(
                    ((k, len(v)) for k, v in inner.get(r, {}).items()), key=lambda kv: (-kv[1], order.get(kv[0], 999))
                )
            ),
        }
        for r in ranked
    ]


def edition_findings(ds: Dataset, year: int, th: Thresholds = DEFAULT) -> list[Finding]:
    """Every finding of ``year``, highest score first (ties in a stable order of kinds)."""
    found: list[Finding] = []
    if is_thin(ds, year, th):
        found.append(
            Finding(
                kind="thin",
                variant="none" if an.claims_for(ds, year).empty else "few",
                chapter="messaging",
                strength="descriptive",
                effect=1.0,
                n=len(an.claims_for(ds, year)),
                values={"year": year, "min": th.thin_claims},
            )
        )
    found += participation_findings(ds, year, th)
    found.append(western_finding(ds, year))
    if not is_thin(ds, year, th):
        for item in (top_frame_finding(ds, year, th), blame_finding(ds, year)):
            if item is not None:
                found.append(item)
        found += group_findings(ds, year, th)
        found += frame_shift_findings(ds, year, th)
        found += new_frame_findings(ds, year, th)
    article = article_finding(ds, year)
    if article is not None:
        found.append(article)
    kinds = ["thin", "participation", "article", "group", "western", "frame_shift", "new_frame", "top_frame", "blame"]
    return sorted(found, key=lambda f: (-f.score, kinds.index(f.kind)))


def key_findings(
    findings: list[Finding],
    th: Thresholds = DEFAULT,
    per_kind: int = 2,
    kind_of: Callable[[Finding], object] | None = None,
) -> list[Finding]:
    """The key findings: the highest scores, at most ``key_max``, at most ``per_kind`` of one kind.

    The per-kind limit keeps the key findings on different questions; when it leaves fewer than
    ``key_min``, the next findings by score fill the list up to ``key_min``. ``kind_of`` says what
    counts as one kind (default: ``Finding.kind``; the trends report counts a rise and a fall apart).
    """
    kind_of = (lambda f: f.kind) if kind_of is None else kind_of
    chosen: list[Finding] = []
    skipped: list[Finding] = []
    counted: dict[object, int] = {}
    for f in findings:
        if len(chosen) >= th.key_max:
            break
        kind = kind_of(f)
        if counted.get(kind, 0) >= per_kind:
            skipped.append(f)
            continue
        chosen.append(f)
        counted[kind] = counted.get(kind, 0) + 1
    for f in skipped:
        if len(chosen) >= th.key_min:
            break
        chosen.append(f)
    order = {id(f): i for i, f in enumerate(findings)}
    return sorted(chosen, key=lambda f: order[id(f)])


def by_chapter(findings: list[Finding], chapter: str) -> list[Finding]:
    """The findings of one chapter, in score order."""
    return [f for f in findings if f.chapter == chapter]
