"""The edition report (presentation layer): one registered part per chapter, in reading order.

Each part takes the :class:`ReportContext`, computes through ``analysis``, writes its sentences from
the catalogues, saves its figures and tables through the context and returns a :class:`Section`.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from .. import analysis as an
from .. import charts
from ..i18n import text
from ..narrative import (
    count_phrase,
    fmt_date_range,
    fmt_int,
    fmt_list,
    fmt_percent,
    isolate,
    ordinal,
    qualified,
    qualified_count,
)
from . import html
from .context import ReportContext
from .html import Section, bullet_list, heading, paragraph
from .registry import parts, register

REPORT = "edition"


def _section(ctx: ReportContext, chapter: str, *parts_: object) -> Section:
    return html.section(chapter, ctx.text(f"chapter.{chapter}.title"), parts_)


def _sub(ctx: ReportContext, key: str) -> Markup:
    return heading(3, ctx.text(key))


# --- header --------------------------------------------------------------------------------------------


@register(REPORT, "header", toc=False)
def header(ctx: ReportContext) -> Section:
    """Title, subtitle and the table of contents (every registered part with a title)."""
    ed = an.edition(ctx.ds, ctx.year)
    title = ctx.t("meta.report_title", year=ctx.year)
    subtitle = ctx.t("meta.report_subtitle", number=int(ed["number"]))
    toc = Markup("").join(
        Markup('<li><a href="#{}">{}</a></li>').format(part.id, ctx.text(part.title_key))
        for part in parts(REPORT) if part.toc
    )
    contents = ctx.text("meta.contents")
    return Section(Markup(
        '<header class="report-header"><h1 id="top">{0}</h1><p class="subtitle">{1}</p></header>'
        '<nav class="toc" aria-label="{2}"><h2>{2}</h2><ol>{3}</ol></nav>'
    ).format(title, subtitle, contents, toc))


# --- 1. at a glance ------------------------------------------------------------------------------------


@register(REPORT, "glance")
def at_a_glance(ctx: ReportContext) -> Section:
    """Date, venue and theme; headline figures with their timing and conflicts; Western participation (editions, figures)."""
    ds, year, lang = ctx.ds, ctx.year, ctx.lang
    ed = an.edition(ds, year)
    venue = ctx.local(ed, "venue")
    venue_text = ctx.t("chapter.glance.venue", venue=venue) if not pd.isna(venue) else ctx.t("chapter.glance.no_venue")
    opening = ctx.t("chapter.glance.held", ordinal=ordinal(int(ed["number"]), lang),
                    dates=fmt_date_range(ed["start_date"], ed["end_date"], lang), venue=venue_text)
    theme = ctx.local(ed, "theme")
    theme_text = ctx.t("chapter.glance.theme", theme=theme) if not pd.isna(theme) else ctx.t("chapter.glance.no_theme")
    parts = [paragraph(opening + ctx.cite(ed["source_ids"]), theme_text)]

    figures = an.headline_figures(ds, year)
    if figures.empty:
        parts.append(paragraph(ctx.t("chapter.glance.no_figures")))
    else:
        items = []
        for row in figures.itertuples(index=False):
            noun = text(f"metric_noun.{row.metric}", lang)
            items.append(ctx.t("chapter.glance.figure_item",
                               amount=qualified_count(row.value, row.qualifier, noun, lang),
                               timing=text(f"timing.{row.timing}", lang), cite=ctx.cite(row.source_ids)))
        parts.append(paragraph(ctx.t("chapter.glance.figures_intro")) + bullet_list(items))
        missing = [text(f"metric.{m}", lang) for m in ("delegates", "countries", "organisations", "defence_ministers")
                   if m not in set(figures["metric"])]
        if missing:
            parts.append(paragraph(ctx.t("chapter.glance.missing_metrics", metrics=fmt_list(missing, lang))))
        for row in figures[figures["conflicting"]].itertuples(index=False):
            parts.append(paragraph(ctx.t("chapter.glance.conflict", metric=text(f"metric.{row.metric}", lang),
                                  n=row.reports, low=row.low, high=row.high,
                                  value=qualified(row.value, row.qualifier, lang),
                                  cite=ctx.cite(row.all_source_ids))))
    evidence = ctx.local(ed, "western_evidence")
    parts.append(paragraph(ctx.t("chapter.glance.western", western=text(f"western.{ed['western_participation']}", lang),
                          evidence="" if pd.isna(evidence) else evidence, cite=ctx.cite(ed["source_ids"]))))
    note = ctx.local(ed, "dates_note")
    if not pd.isna(note):
        parts.append(paragraph(ctx.t("chapter.glance.dates_note", note=note)))
    return _section(ctx, "glance", *parts)


# --- 2. across editions --------------------------------------------------------------------------------


def _points(frame: pd.DataFrame, lang: str) -> str:
    return "; ".join(f"{int(r.year)}: {fmt_int(r.value, lang)}" for r in frame.dropna(subset=["value"]).itertuples())


@register(REPORT, "editions")
def across_editions(ctx: ReportContext) -> Section:
    """Participation across editions, the Western break, the years not held, the timeline and conflicting figures (editions, figures)."""
    ds, lang = ctx.ds, ctx.lang
    years = ds.years
    parts = [paragraph(ctx.t("chapter.editions.intro", editions=count_phrase(len(years), "edition", lang),
                      first=years[0], last=years[-1]))]
    gaps = an.not_held_years(ds)
    if gaps:
        notes = [ctx.local(an.edition(ds, y), "dates_note") for y in gaps]
        note = " ".join(str(n) for n in notes if not pd.isna(n))
        cites = [s for y in gaps for s in an.edition(ds, y)["source_ids"]]
        parts.append(paragraph(ctx.t("chapter.editions.gap", years=fmt_list(gaps, lang), note=note) + ctx.cite(cites)))
    break_year = an.western_break_year(ds)
    held = ds.editions[ds.editions["status"] == "held"]
    participated = [int(y) for y in held.loc[held["western_participation"] == "participated", "year"]]
    partial = [int(y) for y in held.loc[held["western_participation"] == "partial", "year"]]
    if break_year is None:
        parts.append(paragraph(ctx.t("chapter.editions.no_break")))
    elif partial:
        parts.append(paragraph(ctx.t("chapter.editions.break", participated=fmt_list(participated, lang),
                              break_year=break_year, partial=fmt_list(partial, lang))))
    else:
        parts.append(paragraph(ctx.t("chapter.editions.break_no_partial", participated=fmt_list(participated, lang),
                              break_year=break_year)))

    hue_labels = {k: text(f"western.{k}", lang) for k in charts.PALETTE}
    for metric, key in (("countries", "chart"), ("delegates", "delegates")):
        series = an.participation_by_year(ds, metric)
        if series["value"].notna().sum() == 0:
            continue
        ax = charts.participation_chart(series, x="year", y="value", low="low", high="high",
                                        hue="western_participation", hue_labels=hue_labels,
                                        xlabel=ctx.col("year"), ylabel=text(f"metric.{metric}", lang),
                                        rtl=ctx.rtl)
        parts.append(ctx.figure(ax, f"participation_{metric}", text(f"chapter.editions.{key}_caption", lang),
                                text(f"chapter.editions.{key}_alt", lang, first=years[0], last=years[-1],
                                     points=_points(series, lang))))

    rows = []
    for ed in ds.editions.sort_values("year").itertuples(index=False):
        row = ed._asdict()
        rows.append({
            ctx.col("year"): int(ed.year),
            ctx.col("edition"): "" if pd.isna(ed.number) else int(ed.number),
            ctx.col("dates"): fmt_date_range(ed.start_date, ed.end_date, lang),
            ctx.col("theme"): row[ctx.column("theme")],
            ctx.col("topics"): "; ".join(row[ctx.column("topics")]),
            ctx.col("western"): text(f"western.{ed.western_participation}", lang),
            ctx.col("sources"): ctx.cite(ed.source_ids),
        })
    parts.append(ctx.table(pd.DataFrame(rows), "editions_timeline", text("chapter.editions.timeline_caption", lang),
                           raw=ds.editions.drop(columns=[c for c in ds.editions.columns if c.endswith("_ar")
                                                         and lang != "ar"])))

    conflicts = an.figure_conflicts(ds)
    if conflicts.empty:
        parts.append(paragraph(ctx.t("chapter.editions.no_conflicts")))
    else:
        parts.append(paragraph(ctx.t("chapter.editions.conflicts_intro")))
        table = pd.DataFrame({
            ctx.col("year"): conflicts["year"].astype(int),
            ctx.col("metric"): [text(f"metric.{m}", lang) for m in conflicts["metric"]],
            ctx.col("reported"): [qualified(v, q, lang) for v, q in zip(conflicts["value"], conflicts["qualifier"],
                                                                       strict=True)],
            ctx.col("timing"): [text(f"timing.{t}", lang) for t in conflicts["timing"]],
            ctx.col("used"): ["✓" if u else "" for u in conflicts["used"]],
            ctx.col("sources"): [ctx.cite(s) for s in conflicts["source_ids"]],
        })
        parts.append(ctx.table(table, "figure_conflicts", text("chapter.editions.conflicts_caption", lang),
                               raw=conflicts))
    return _section(ctx, "editions", *parts)


# --- 3. who came ---------------------------------------------------------------------------------------


@register(REPORT, "delegations")
def who_came(ctx: ReportContext) -> Section:
    """Named delegations by attendance, region, bloc and rank (delegations, countries, memberships, figures)."""
    ds, year, lang = ctx.ds, ctx.year, ctx.lang
    d = an.delegations_for(ds, year)
    if d.empty:
        return _section(ctx, "delegations", paragraph(ctx.t("chapter.delegations.none", year=year)))
    counts = d["attendance"].value_counts()
    attended = int(d["attendance"].isin(an.ATTENDED).sum())
    named_countries = int(d.loc[d["attendance"].isin(an.ATTENDED), "country"].notna().sum())
    parts = [paragraph(ctx.t(
        "chapter.delegations.named", year=year,
        named=count_phrase(len(d), "delegation", lang), attended=attended,
        in_person=int(counts.get("in_person", 0)), remote=int(counts.get("remote", 0)),
        written=int(counts.get("written", 0)),
        invited=count_phrase(int(counts.get("invited_only", 0)), "delegation", lang),
    ) + ctx.cite(an.cited_sources(d)))]
    countries = an.figure_value(ds, year, "countries")
    if countries is not None:
        parts.append(paragraph(ctx.t("chapter.delegations.coverage",
                              countries=qualified_count(countries["value"], countries["qualifier"], "country", lang),
                              named_countries=named_countries) + ctx.cite(countries["source_ids"])))

    by_region = an.delegations_by_region(ds, year)
    if not by_region.empty:
        plot = by_region.assign(
            region_label=[ctx.label("world_regions", r) for r in by_region["region"]],
            status_label=[text(f"status.{s}", lang) for s in by_region["status"]],
        )
        order = [text(f"status.{s}", lang) for s in ("attended", "invited_only") if s in set(plot["status"])]
        ax = charts.bar_chart(plot, x="delegations", y="region_label", hue="status_label", hue_order=order,
                              xlabel=text("columns.delegations", lang), ylabel=ctx.col("region"), rtl=ctx.rtl)
        points = "; ".join(f"{r.region_label} ({r.status_label}): {r.delegations}" for r in plot.itertuples())
        parts.append(ctx.figure(ax, "delegations_by_region", text("chapter.delegations.region_caption", lang),
                                text("chapter.delegations.region_alt", lang, points=points)))

    blocs = an.delegations_by_bloc(ds, year)
    present = blocs[blocs["delegations"] > 0]
    if not present.empty:
        items = [ctx.t("chapter.delegations.bloc_item", n=int(r.delegations),
                       bloc=ctx.label("organisations", r.organisation)) for r in present.itertuples()]
        parts.append(paragraph(ctx.t("chapter.delegations.blocs", items=fmt_list(items, lang))
                        + ctx.cite(an.cited_sources(ds.memberships[ds.memberships["organisation"].isin(
                            present["organisation"])]))))
    ranks = an.rank_counts(ds, year)
    if not ranks.empty:
        items = [Markup("{} ({})").format(ctx.text(f"rank.{r.rank}"), fmt_int(r.delegations, lang))
                 for r in ranks.itertuples()]
        parts.append(paragraph(ctx.t("chapter.delegations.ranks", items=fmt_list(items, lang))))

    listing = pd.DataFrame({
        ctx.col("country"): [ctx.actor(c, o) for c, o in zip(d["country"], d["organisation"], strict=True)],
        ctx.col("head"): d[ctx.column("head")].fillna(""),
        ctx.col("role"): d[ctx.column("role")].fillna(""),
        ctx.col("attendance"): [text(f"attendance.{a}", lang) for a in d["attendance"]],
        ctx.col("sources"): [ctx.cite(s) for s in d["source_ids"]],
    })
    parts.append(ctx.table(listing, "delegations", text("chapter.delegations.list_caption", lang), raw=d))
    return _section(ctx, "delegations", *parts)


# --- 4. the messaging ------------------------------------------------------------------------------------


@register(REPORT, "messaging")
def messaging(ctx: ReportContext) -> Section:
    """Frames by speaker, who blames whom, regions, strongest frames and the claims (claims, statements, codebook)."""
    ds, year, lang = ctx.ds, ctx.year, ctx.lang
    claims = an.claims_for(ds, year)
    if claims.empty:
        return _section(ctx, "messaging", paragraph(ctx.t("chapter.messaging.none", year=year)))
    speakers = claims["speaker_en"].nunique()
    parts = [paragraph(ctx.t("chapter.messaging.intro", year=year, claims=count_phrase(len(claims), "claim", lang),
                      statements=count_phrase(claims["statement_id"].nunique(), "statement", lang),
                      speakers=count_phrase(speakers, "speaker", lang)))]
    totals = an.frame_totals(ds, year).head(3)
    items = [ctx.t("chapter.messaging.frame_item", label=ctx.label("frames", r.frame),
                   claims=count_phrase(r.claims, "claim", lang), speakers=count_phrase(r.speakers, "speaker", lang))
             for r in totals.itertuples()]
    stance = an.stance_counts(ds, year)
    parts.append(paragraph(ctx.t("chapter.messaging.top_frames", items=fmt_list(items, lang)),
                    ctx.t("chapter.messaging.stance", critical=int(stance.get("critical", 0)), total=len(claims),
                          supportive=int(stance.get("supportive", 0)))))

    matrix = an.frame_counts_by_speaker(ds, year)
    names = _speaker_names(ctx, claims)
    shown = matrix.rename(index=names, columns=lambda f: ctx.label("frames", f))
    ax = charts.heatmap(shown, xlabel=text("columns.frames", lang), ylabel=text("columns.speaker", lang),
                        rtl=ctx.rtl)
    stacked = shown.stack().sort_values(ascending=False).head(5)
    points = "; ".join(f"{s} – {f}: {int(n)}" for (s, f), n in stacked.items())
    parts.append(ctx.figure(ax, "frames_by_speaker", text("chapter.messaging.heatmap_caption", lang),
                            text("chapter.messaging.heatmap_alt", lang, points=points)))
    ctx.save_table(matrix, "frames_by_speaker", index=True)

    parts.append(_sub(ctx, "chapter.messaging.blame_title"))
    targets = an.target_totals(ds, year)
    if targets.empty:
        parts.append(paragraph(ctx.t("chapter.messaging.no_blame")))
    else:
        top = targets.iloc[0]
        top_kwargs = {"top": ctx.label("targets", top["target"]), "claims": count_phrase(top["claims"], "claim", lang),
                          "speakers": count_phrase(top["speakers"], "speaker", lang)}
        if len(targets) == 1:
            parts.append(paragraph(ctx.t("chapter.messaging.blame_single", **top_kwargs)))
        else:
            rest = [Markup("{} ({})").format(isolate(ctx.label("targets", r.target)),
                                             count_phrase(r.claims, "claim", lang))
                    for r in targets.iloc[1:4].itertuples()]
            parts.append(paragraph(ctx.t("chapter.messaging.blame", rest=fmt_list(rest, lang),
                                  **top_kwargs)))
        pairs = an.blame_pairs(ds, year, by="country")
        pivot = pairs.pivot_table(index="source", columns="target", values="claims", fill_value=0)
        pivot = pivot.rename(index=lambda c: ctx.actor(c, c), columns=lambda t: ctx.label("targets", t))
        ax = charts.heatmap(pivot.astype(int), xlabel=text("columns.targets", lang),
                            ylabel=text("columns.country", lang), rtl=ctx.rtl)
        points = "; ".join(f"{ctx.actor(r.source, r.source)} → {ctx.label('targets', r.target)}: {r.claims}"
                           for r in pairs.head(5).itertuples())
        parts.append(ctx.figure(ax, "who_blames_whom", text("chapter.messaging.blame_caption", lang),
                                text("chapter.messaging.blame_alt", lang, points=points)))
        ctx.save_table(pairs, "who_blames_whom")

    regions = an.region_mentions(ds, year).head(5)
    if regions.empty:
        parts.append(paragraph(ctx.t("chapter.messaging.no_regions")))
    else:
        items = [Markup("{} ({})").format(isolate(ctx.label("claim_regions", r.region)),
                                          count_phrase(r.claims, "claim", lang))
                 for r in regions.itertuples()]
        parts.append(paragraph(ctx.t("chapter.messaging.regions", items=fmt_list(items, lang))))

    parts.append(_sub(ctx, "chapter.messaging.strongest_title"))
    strongest = an.strongest_frames(ds, year)
    parts.append(bullet_list([
        ctx.t("chapter.messaging.strongest_item", speaker=names.get(r.speaker, r.speaker),
              frames=fmt_list([ctx.t("chapter.messaging.strongest_frame", label=ctx.label("frames", f),
                                     claims=count_phrase(n, "claim", lang))
                               for f, n in zip(r.frames, r.counts, strict=True)], lang),
              total=count_phrase(r.claims, "claim", lang))
        for r in strongest.itertuples()
    ]))

    table = pd.DataFrame({
        ctx.col("speaker"): [names[s] for s in claims["speaker_en"]],
        ctx.col("frames"): ["; ".join(ctx.labels("frames", f)) for f in claims["frames"]],
        ctx.col("targets"): ["; ".join(ctx.labels("targets", t)) for t in claims["targets"]],
        ctx.col("paraphrase"): claims[ctx.column("paraphrase")],
        ctx.col("sources"): [ctx.cite(s) for s in claims["source_ids"]],
    })
    parts.append(ctx.table(table, "claims", text("chapter.messaging.claims_caption", lang, year=year), raw=claims))
    return _section(ctx, "messaging", *parts)


def _speaker_names(ctx: ReportContext, claims: pd.DataFrame) -> dict[str, str]:
    return dict(zip(claims["speaker_en"], claims[ctx.column("speaker")], strict=True))


# --- 5. partners side by side ---------------------------------------------------------------------------


@register(REPORT, "partners")
def partners(ctx: ReportContext) -> Section:
    """Russia, China, Belarus, Iran and the regional groups side by side (claims, statements, countries)."""
    ds, year, lang = ctx.ds, ctx.year, ctx.lang
    table = an.partner_comparison(ds, year)
    if table.empty:
        return _section(ctx, "partners", paragraph(ctx.t("chapter.partners.none", year=year)))
    names = _speaker_names(ctx, an.claims_for(ds, year))
    items = []
    for r in table.itertuples():
        targets = (ctx.t("chapter.partners.targets", targets=fmt_list(ctx.labels("targets", r.top_targets), lang))
                   if r.top_targets else "")
        items.append(ctx.t("chapter.partners.item", group=text(f"partner.{r.group}", lang),
                           speakers=fmt_list([names[s] for s in r.speakers], lang),
                           frames=fmt_list(ctx.labels("frames", r.top_frames), lang), targets=targets))
    shown = pd.DataFrame({
        ctx.col("group"): [text(f"partner.{g}", lang) for g in table["group"]],
        ctx.col("speakers"): ["; ".join(names[s] for s in sp) for sp in table["speakers"]],
        ctx.col("claims"): table["claims"],
        ctx.col("top_frames"): ["; ".join(ctx.labels("frames", f)) for f in table["top_frames"]],
        ctx.col("top_targets"): ["; ".join(ctx.labels("targets", t)) for t in table["top_targets"]],
        ctx.col("critical_share"): [fmt_percent(s, lang) for s in table["critical_share"]],
    })
    return _section(ctx, "partners", paragraph(ctx.t("chapter.partners.intro")), bullet_list(items),
                    ctx.table(shown, "partners", text("chapter.partners.caption", lang), raw=table))


# --- 6. what changed -------------------------------------------------------------------------------------


@register(REPORT, "changes")
def changes(ctx: ReportContext) -> Section:
    """What changed since the previous held edition: figures, Western participation, frames, speakers (all tables)."""
    ds, year, lang = ctx.ds, ctx.year, ctx.lang
    diff = an.edition_changes(ds, year)
    previous = diff["previous"]
    if previous is None:
        return _section(ctx, "changes", paragraph(ctx.t("chapter.changes.first")))
    items = []
    for r in diff["metrics"].itertuples():
        if pd.isna(r.before) or pd.isna(r.after):
            change = text("chapter.changes.metric_missing", lang)
        elif r.after > r.before:
            change = ctx.t("chapter.changes.metric_up", before=int(r.before), after=int(r.after))
        elif r.after < r.before:
            change = ctx.t("chapter.changes.metric_down", before=int(r.before), after=int(r.after))
        else:
            change = ctx.t("chapter.changes.metric_same", after=int(r.after))
        items.append(ctx.t("chapter.changes.metric_item", metric=text(f"metric.{r.metric}", lang), change=change))
    parts = [paragraph(ctx.t("chapter.changes.metrics", previous=previous, items=fmt_list(items, lang)))] if items else []
    before_ed, now_ed = an.edition(ds, previous), an.edition(ds, year)
    parts.append(paragraph(ctx.t("chapter.changes.western", previous=previous, year=year,
                          before=text(f"western.{before_ed['western_participation']}", lang),
                          after=text(f"western.{now_ed['western_participation']}", lang))
                    + ctx.cite(tuple(before_ed["source_ids"]) + tuple(now_ed["source_ids"]))))
    if diff["claims_before"] == 0:
        parts.append(paragraph(ctx.t("chapter.changes.no_claims_previous", previous=previous)))
    else:
        parts.append(paragraph(ctx.t("chapter.changes.coverage", previous=previous, year=year,
                              before=count_phrase(diff["claims_before"], "claim", lang),
                              after=count_phrase(diff["claims_after"], "claim", lang))))
        for key in ("frames_new", "frames_dropped", "frames_common"):
            if diff[key]:
                parts.append(paragraph(ctx.t(f"chapter.changes.{key}", previous=previous,
                                      items=fmt_list(ctx.labels("frames", diff[key]), lang))))
    speakers = diff["speakers_returning"]
    if speakers:
        local = dict(zip(ds.statements["speaker_en"], ds.statements[ctx.column("speaker")], strict=True))
        parts.append(paragraph(ctx.t("chapter.changes.speakers", items=fmt_list([local[s] for s in speakers], lang))))
    else:
        parts.append(paragraph(ctx.t("chapter.changes.no_speakers")))

    shares = an.frame_shares_by_year(ds)
    if shares["year"].nunique() > 1:
        matrix = shares.pivot_table(index="frame", columns="year", values="share", fill_value=0.0)
        matrix = matrix.reindex([f for f in ds.frames["id"] if f in matrix.index])
        shown = (matrix * 100).round().astype(int).rename(index=lambda f: ctx.label("frames", f))
        ax = charts.heatmap(shown, xlabel=ctx.col("year"), ylabel=text("columns.frame", lang), rtl=ctx.rtl)
        parts.append(ctx.figure(ax, "frame_shares_by_year", text("chapter.changes.trend_caption", lang),
                                text("chapter.changes.trend_alt", lang,
                                     years=", ".join(str(y) for y in matrix.columns))))
        ctx.save_table(shares, "frame_shares_by_year")
    return _section(ctx, "changes", *parts)


# --- 7. checking the article ------------------------------------------------------------------------------


@register(REPORT, "checks")
def article_checks(ctx: ReportContext) -> Section:
    """The original article's statements checked against the sources (article_checks)."""
    ds, lang = ctx.ds, ctx.lang
    checks = ds.article_checks
    verdicts = checks["verdict"].value_counts()
    items = [ctx.t("chapter.checks.verdict_item", n=int(verdicts[v]), verdict=text(f"verdict.{v}", lang).lower())
             for v in ("supported", "partly_supported", "contradicted", "unverified") if v in verdicts]
    table = pd.DataFrame({
        ctx.col("article_says"): checks[ctx.column("article_says")],
        ctx.col("verdict"): [text(f"verdict.{v}", lang) for v in checks["verdict"]],
        ctx.col("finding"): checks[ctx.column("finding")],
        ctx.col("sources"): [ctx.cite(s) for s in checks["source_ids"]],
    })
    return _section(ctx, "checks", paragraph(ctx.t("chapter.checks.intro", items=fmt_list(items, lang))),
                    ctx.table(table, "article_checks", text("chapter.checks.caption", lang), raw=checks))


# --- 8. conclusion -----------------------------------------------------------------------------------------


@register(REPORT, "conclusion")
def conclusion(ctx: ReportContext) -> Section:
    """The dominant frame and target and the participation context, with the caveat (claims, figures, editions)."""
    ds, year, lang = ctx.ds, ctx.year, ctx.lang
    parts = []
    totals = an.frame_totals(ds, year)
    if totals.empty:
        parts.append(paragraph(ctx.t("chapter.conclusion.no_claims", year=year)))
    else:
        top = totals.iloc[0]
        kwargs = {"year": year, "frame": ctx.label("frames", top["frame"]),
                      "claims": count_phrase(top["claims"], "claim", lang),
                      "speakers": count_phrase(top["speakers"], "speaker", lang)}
        targets = an.target_totals(ds, year)
        if targets.empty:
            parts.append(paragraph(ctx.t("chapter.conclusion.frames_no_target", **kwargs)))
        else:
            parts.append(paragraph(ctx.t("chapter.conclusion.frames", target=ctx.label("targets", targets.iloc[0]["target"]),
                                  **kwargs)))
    ed = an.edition(ds, year)
    countries = an.figure_value(ds, year, "countries")
    if countries is not None:
        parts.append(paragraph(ctx.t("chapter.conclusion.western", western=text(f"western.{ed['western_participation']}",
                                                                         lang),
                              countries=qualified_count(countries["value"], countries["qualifier"], "country", lang))))
    parts.append(paragraph(ctx.t("chapter.conclusion.caveat")))
    return _section(ctx, "conclusion", *parts)


# --- appendix: data and method -------------------------------------------------------------------------------


@register(REPORT, "method")
def method(ctx: ReportContext) -> Section:
    """Data and method: the tables, coding rules, codebook, caveats and the numbered sources (all tables)."""
    ds, year, lang = ctx.ds, ctx.year, ctx.lang
    tables = [f"{t} ({fmt_int(n, lang)})" for t, n in ds.summary().items()]
    sources = len(ds.sources)
    parts = [paragraph(ctx.t("chapter.method.data", tables=fmt_list(tables, lang), sources=sources)),
             paragraph(ctx.t("chapter.method.coding"))]
    codebook = pd.DataFrame({
        ctx.col("frame"): ds.frames[ctx.column("label")],
        ctx.col("definition"): ds.frames[ctx.column("definition")],
        ctx.col("lexicon"): [", ".join(lex.get(lang, lex.get("en", []))[:4]) for lex in ds.frames["lexicon"]],
    })
    parts.append(ctx.table(codebook, "codebook", text("chapter.method.codebook_caption", lang),
                           raw=ds.frames.drop(columns="lexicon")))
    unverified = int((ds.sources["reliability"] == "unverified").sum())
    caveats = [ctx.t("chapter.method.caveat_sources", unverified=unverified, sources=sources),
               ctx.t("chapter.method.caveat_paraphrase")]
    countries = an.figure_value(ds, year, "countries")
    named = an.delegations_for(ds, year, attended_only=True)["country"].notna().sum()
    if countries is not None:
        caveats.append(ctx.t("chapter.method.caveat_coverage", year=year, named=int(named),
                             countries=qualified(countries["value"], countries["qualifier"], lang)))
    parts.append(_sub(ctx, "chapter.method.caveats_title") + bullet_list(caveats))
    parts.append(_sub(ctx, "chapter.method.sources_title") + _source_list(ctx))
    return _section(ctx, "method", *parts)


def _source_list(ctx: ReportContext) -> Markup:
    sources = ctx.ds.sources.set_index("source_id")
    items = []
    for number, source_id in ctx.citations.numbered():
        s = sources.loc[source_id]
        date = "" if pd.isna(s["date"]) else f", {s['date']}"
        reliability = ctx.text("chapter.method.unverified") if s["reliability"] == "unverified" else ""
        entry = ctx.t("chapter.method.source_item", title=s["title"], publisher=s["publisher"], date=date,
                      language=s["language"], kind=ctx.text(f"source_kind.{s['kind']}"),
                      reliability=reliability)
        items.append(Markup(
            '<li id="src-{0}" value="{0}">{1} <a href="{2}" rel="noreferrer" dir="ltr"><bdi>{2}</bdi></a> '
            '<span class="source-id" dir="ltr">[{3}]</span></li>'
        ).format(number, entry, s["url"], source_id))
    return Markup('<ol class="sources">{}</ol>').format(Markup("").join(items))
