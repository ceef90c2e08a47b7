"""The trends report (presentation layer): how MCIS and its messaging changed across the editions.

One registered part per chapter of the ``trends`` report, in reading order. The numbers come from
:mod:`mcis_report.trends` (shares with n and Wilson intervals, eras, sides and groups) and its findings,
which carry their strength tests; this module words them from the catalogues (``trends.*`` keys) and
draws the charts. A share from an edition with fewer than ``Thresholds.thin_claims`` claims is never
drawn as a point, and a chart with too little behind it is replaced by a sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from markupsafe import Markup

from .. import analysis as an
from .. import charts, geo
from .. import findings as fi
from .. import trends as tr
from ..narrative import count_phrase, fmt_int, fmt_list, fmt_percent, is_missing, qualified_count
from . import html
from .context import ReportContext
from .edition import _country, _frame_name, _group_label, _reliability, _source_list, _target
from .edition import _timeline as participation_timeline
from .html import Section, bullet_list, heading, paragraph
from .registry import parts, register

REPORT = "trends"
TH = fi.DEFAULT
#: Blocs counted among the named delegations (codebook organisation ids): the host's formats and NATO.
BLOCS = ("CSTO", "SCO", "BRICS", "NATO")


def _section(ctx: ReportContext, chapter: str, *parts_: object) -> Section:
    return html.section(chapter, ctx.text(f"trends.{chapter}.title"), parts_)


def _sub(ctx: ReportContext, key: str) -> Markup:
    return heading(3, ctx.text(key))


def _findings(ctx: ReportContext) -> list[fi.Finding]:
    return ctx.once("trend_findings", lambda: tr.trend_findings(ctx.ds, TH))


def _era(ctx: ReportContext, label: str) -> Markup:
    """An era's years as a phrase: «2014–2019» / "2014–2019" (the dash keeps its digits in order in Arabic)."""
    return ctx.t("trends.era", years=label)


def _of(ctx: ReportContext, k: int, n: int) -> Markup:
    return ctx.t("finding.of", k=k, total=count_phrase(n, "claim", ctx.lang))


def _share_of(ctx: ReportContext, k: int, n: int) -> Markup:
    """``12% (19 of 156 claims)``."""
    return ctx.t("trends.share_of", share=fmt_percent(k / n if n else 0.0, ctx.lang), of=_of(ctx, k, n))


def _year_n(ctx: ReportContext, year: int, n: int) -> str:
    """A column label: the year over its n."""
    return f"{year}\n" + ctx.text("trends.n_label", n=fmt_int(n, ctx.lang))


# --- findings in words ----------------------------------------------------------------------------------


def finding_sentence(ctx: ReportContext, f: fi.Finding) -> Markup:
    """One finding across editions in the report's language (catalogue ``trends.finding.<kind>.<variant>``)."""
    v, lang = f.values, ctx.lang
    key = f"trends.finding.{f.kind}.{f.variant}"
    if f.kind == "era_shift":
        eras = list(v["eras"])
        (first, k1, n1), (last, k2, n2) = eras[0], eras[-1]
        middle = [
            ctx.t("trends.finding.era_item", era=_era(ctx, e), share=_share_of(ctx, k, n)) for e, k, n in eras[1:-1]
        ]
        between = ctx.t("trends.finding.era_between", items=fmt_list(middle, lang)) if middle else Markup("")
        return ctx.t(
            key,
            frame=_frame_name(ctx, v["frame"]),
            first=_era(ctx, first),
            before=_share_of(ctx, k1, n1),
            last=_era(ctx, last),
            after=_share_of(ctx, k2, n2),
            between=between,
        )
    if f.kind == "era_arc":
        eras = list(v["eras"])
        (first, k1, n1), (middle, km, nm), (last, k2, n2) = eras[0], eras[v["middle"]], eras[-1]
        return ctx.t(
            key,
            frame=_frame_name(ctx, v["frame"]),
            first=_era(ctx, first),
            before=_share_of(ctx, k1, n1),
            middle=_era(ctx, middle),
            peak=_share_of(ctx, km, nm),
            last=_era(ctx, last),
            after=_share_of(ctx, k2, n2),
        )
    if f.kind == "western_trend":
        held = ctx.ds.editions[(ctx.ds.editions["status"] == "held") & (ctx.ds.editions["year"] >= v["break_year"])]
        items = []
        for status in v["after"]:
            years = [int(y) for y in held.loc[held["western_participation"] == status, "year"]]
            items.append(
                ctx.t(
                    "trends.finding.western_trend.item",
                    status=ctx.text(f"western_short.{status}"),
                    years=fmt_list(years, lang),
                )
            )
        return ctx.t(key, full=fmt_list(v["full"], lang), break_year=v["break_year"], items=fmt_list(items, lang))
    if f.kind == "participation_trend":
        noun = ctx.text(f"metric_noun.{v['metric']}")
        return ctx.t(
            key,
            metric=ctx.text(f"metric.{v['metric']}"),
            peak=qualified_count(v["peak"], v["peak_qualifier"], noun, lang),
            peak_year=v["peak_year"],
            value=qualified_count(v["value"], v["qualifier"], noun, lang),
            year=v["year"],
        )
    if f.kind == "group_trend":
        return ctx.t(
            key,
            group=_group_label(ctx, v["group"]),
            share=_share_of(ctx, v["critical"], v["claims"]),
            host=_group_label(ctx, v["host_group"]),
            host_share=_share_of(ctx, v["host_critical"], v["host_claims"]),
        )
    if f.kind == "new_frames":
        items = [
            ctx.t(
                "trends.finding.new_frames.item" + ("_all" if k == m else ""),
                frame=_frame_name(ctx, frame),
                year=year,
                k=k,
                m=m,
            )
            for frame, year, k, m in v["frames"]
        ]
        return ctx.t(key, first=tr.held_years(ctx.ds)[0], items=fmt_list(items, lang))
    if f.kind == "era_target":
        items = [
            ctx.t(
                "trends.finding.era_target.item",
                era=_era(ctx, era),
                targets=fmt_list([_target(ctx, t) for t in tied], lang),
                share=_share_of(ctx, k, n),
            )
            for era, tied, k, n in v["eras"]
        ]
        return ctx.t(key, items=fmt_list(items, lang))
    if f.kind == "evidence":
        return ctx.t(
            key,
            claims=count_phrase(v["claims"], "claim", lang),
            primary=fmt_int(v["primary"], lang),
            unverified=fmt_int(v["unverified"], lang),
            editions=count_phrase(v["editions"], "edition", lang),
        )
    raise KeyError(f"no wording for the trends finding {f.kind!r}")


def _meaning(ctx: ReportContext, chapter: str) -> Markup:
    found = fi.by_chapter(_findings(ctx), chapter)
    if not found:
        return Markup("")
    if len(found) <= 2:
        body = Markup(" ").join(finding_sentence(ctx, f) for f in found)
        return Markup('<div class="meaning"><p><strong>{}</strong> {}</p></div>').format(
            ctx.text("meta.what_this_means"), body
        )
    # Several findings read better one per line than as one long paragraph.
    items = Markup("").join(Markup("<li>{}</li>").format(finding_sentence(ctx, f)) for f in found)
    return Markup('<div class="meaning"><p><strong>{}</strong></p><ul>{}</ul></div>').format(
        ctx.text("meta.what_this_means"), items
    )


# --- header and key findings ----------------------------------------------------------------------------


@register(REPORT, "header", toc=False)
def header(ctx: ReportContext) -> Section:
    """Title, subtitle (editions, claims, speakers, eras) and the table of contents."""
    ds, lang = ctx.ds, ctx.lang
    claims = tr.coded_claims(ds)
    years = ds.years
    periods = tr.eras(ds)
    title = ctx.t("trends.title", first=years[0], last=years[-1])
    subtitle = ctx.t(
        "trends.subtitle",
        editions=count_phrase(len(years), "edition", lang),
        claims=count_phrase(len(claims), "claim", lang),
        speakers=count_phrase(claims["speaker_en"].nunique(), "speaker", lang),
        eras=fmt_list([_era(ctx, tr.era_label(e)) for e in periods], lang),
    )
    toc = Markup("").join(
        Markup('<li><a href="#{}">{}</a></li>').format(part.id, ctx.text(part.title_key))
        for part in parts(REPORT)
        if part.toc
    )
    contents = ctx.text("meta.contents")
    return Section(
        Markup(
            '<header class="report-header"><h1 id="top">{0}</h1><p class="subtitle">{1}</p></header>'
            '<nav class="toc" aria-label="{2}"><h2>{2}</h2><ol>{3}</ol></nav>'
        ).format(title, subtitle, contents, toc)
    )


@register(REPORT, "key")
def key_findings(ctx: ReportContext) -> Section:
    """The 4–6 findings across editions with the highest score, each worded with its numbers."""
    # One finding per question: a rise and a fall are different questions, two falls the same one.
    found = fi.key_findings(_findings(ctx), TH, per_kind=1, kind_of=lambda f: (f.kind, f.variant))
    items = Markup("").join(Markup("<li>{}</li>").format(finding_sentence(ctx, f)) for f in found)
    return _section(
        ctx,
        "key",
        Markup('<ul class="key-findings">{}</ul>').format(items),
        paragraph(ctx.t("trends.key.note")),
    )


# --- how to read: eras and the evidence -----------------------------------------------------------------


@register(REPORT, "reading")
def how_to_read(ctx: ReportContext) -> Section:
    """The eras the series is split into, and the evidence behind each edition (chart), so the caveat shows."""
    ds, lang = ctx.ds, ctx.lang
    periods = tr.eras(ds)
    gaps = an.not_held_years(ds)
    parts_: list[object] = [
        paragraph(
            ctx.t(
                "trends.reading.eras",
                eras=fmt_list([_era(ctx, tr.era_label(e)) for e in periods], lang),
                break_year=an.western_break_year(ds) or "",
                gaps=fmt_list(gaps, lang),
            ),
            ctx.t(
                "trends.reading.shares",
                minimum=count_phrase(TH.thin_claims, "claim", lang),
                confidence=fmt_percent(TH.confidence, lang),
            ),
        )
    ]
    evidence = tr.evidence_base(ds)
    parts_.append(_sub(ctx, "trends.reading.evidence_title"))
    parts_.append(_meaning(ctx, "evidence"))
    if evidence.empty:
        parts_.append(paragraph(ctx.t("trends.reading.no_claims")))
        return _section(ctx, "reading", *parts_)
    kinds = list(tr.SOURCE_STRENGTH)
    fig = charts.evidence_chart(
        evidence,
        x="year",
        kind="kind",
        count="claims",
        kind_order=kinds,
        kind_labels={k: ctx.text(f"source_kind.{k}") for k in kinds},
        xlabel=ctx.col("year"),
        ylabel=ctx.text("trends.reading.evidence_y"),
        rtl=ctx.rtl,
    )
    totals = evidence.groupby("year")["claims"].sum()
    weakest = evidence[evidence["kind"].isin(("analysis", "blog"))].groupby("year")["claims"].sum()
    worst = int((weakest / totals).idxmax())
    parts_.append(
        ctx.figure(
            fig,
            "evidence_base",
            ctx.text("trends.reading.evidence_caption"),
            ctx.text(
                "trends.reading.evidence_alt",
                first=int(totals.index[0]),
                last=int(totals.index[-1]),
                low=fmt_int(int(totals.min()), lang),
                high=fmt_int(int(totals.max()), lang),
                worst=worst,
                share=fmt_percent(float(weakest[worst] / totals[worst]), lang),
            ),
        )
    )
    table = evidence.pivot(index="year", columns="kind", values="claims")[kinds].reset_index()
    table["primary_text"] = table["year"].map(evidence.attrs["primary"])
    table["unverified_only"] = table["year"].map(evidence.attrs["unverified"])
    ctx.save_table(table, "evidence_base")
    return _section(ctx, "reading", *parts_)


# --- participation -------------------------------------------------------------------------------------


@register(REPORT, "participation")
def participation(ctx: ReportContext) -> Section:
    """Participation over time: figures with their kind marked, the Western break, and who was named when."""
    ds, lang = ctx.ds, ctx.lang
    parts_: list[object] = [_meaning(ctx, "participation")]
    # The same annotated timeline as in the edition reports: one chart of the whole series.
    parts_.append(participation_timeline(ctx))
    series = tr.participation_series(ds)
    ctx.save_table(series.drop(columns="source_ids"), "participation_series")
    named = tr.named_attendance(ds)
    if not named.empty:
        parts_.append(_sub(ctx, "trends.participation.named_title"))
        periods = tr.eras(ds)
        used_blocs = set(named["blocs"].explode().dropna()) & set(BLOCS)
        rows = []
        for era in periods:
            sub = named[named["year"].isin(era)]
            counts = sub.drop_duplicates("country")["region"].value_counts()
            blocs = sub.explode("blocs").dropna(subset=["blocs"]).groupby("blocs")["country"].nunique()
            rows.append(
                {
                    ctx.text("trends.columns.era"): tr.era_label(era),
                    ctx.text("trends.columns.named"): fmt_int(sub["country"].nunique(), lang),
                    **{
                        ctx.label("world_regions", r): fmt_int(int(counts.get(r, 0)), lang) if counts.get(r, 0) else ""
                        for r in ds.world_regions["id"]
                        if (named["region"] == r).any()
                    },
                    **{
                        ctx.text("trends.columns.bloc", bloc=ctx.label("organisations", o)): (
                            fmt_int(int(blocs.get(o, 0)), lang) if blocs.get(o, 0) else ""
                        )
                        for o in ds.organisations["id"]
                        if o in used_blocs
                    },
                }
            )
        parts_.append(paragraph(ctx.t("trends.participation.named_intro")))
        parts_.append(
            ctx.table(pd.DataFrame(rows), "named_by_era", ctx.text("trends.participation.named_caption"), raw=named)
        )
        moves = tr.era_movements(ds)
        items = []
        for i, era in enumerate(periods):
            for movement in ("last_named", "first_named"):
                sub = moves[(moves["era"] == i) & (moves["movement"] == movement)]
                if sub.empty:
                    continue
                names = [_country(ctx, c) for c in sub["country"]]
                items.append(
                    ctx.t(
                        f"trends.participation.{movement}",
                        era=_era(ctx, tr.era_label(era)),
                        n=fmt_int(len(names), lang),
                        names=fmt_list(sorted(names), lang),
                    )
                )
        if items:
            parts_.append(paragraph(ctx.t("trends.participation.moves_intro")) + bullet_list(items))
        parts_.append(_attendance_map(ctx, named))
    return _section(ctx, "participation", *parts_)


def _attendance_map(ctx: ReportContext, named: pd.DataFrame) -> Markup:
    """How many editions each country is named as attending, on a world map (or a sentence without shapes)."""
    path = None if ctx.data_dir is None else geo.shapes_path(ctx.data_dir)
    if path is None or not path.is_file():
        return paragraph(ctx.t("trends.participation.no_shapes", file=geo.SHAPES_FILE))
    shapes = geo.load_shapes(path)
    counts = named.groupby("country")["year"].nunique().rename("editions").reset_index()
    ax = charts.world_counts_map(
        counts,
        country="country",
        value="editions",
        shapes=shapes,
        legend_title=ctx.text("trends.participation.map_legend"),
        rtl=ctx.rtl,
    )
    most = counts.sort_values(["editions", "country"], ascending=[False, True]).head(5)
    hidden = geo.missing_shapes(shapes, list(counts["country"]))
    caption = ctx.text("trends.participation.map_caption", countries=fmt_int(len(counts), ctx.lang))
    if hidden:
        names = ctx.text("list.separator").join(_country(ctx, c) for c in hidden)
        caption += " " + ctx.text("trends.participation.map_hidden", names=names)
    return ctx.figure(
        ax,
        "named_attendance_map",
        caption,
        ctx.text(
            "trends.participation.map_alt",
            countries=fmt_int(len(counts), ctx.lang),
            most=ctx.text("list.separator").join(
                f"{_country(ctx, r.country)} ({fmt_int(int(r.editions), ctx.lang)})" for r in most.itertuples()
            ),
        ),
    )


# --- frames over time -----------------------------------------------------------------------------------


@register(REPORT, "frames")
def frames(ctx: ReportContext) -> Section:
    """Frame shares per edition with n and Wilson intervals (key frames), era shifts, first appearances."""
    ds, lang = ctx.ds, ctx.lang
    parts_: list[object] = [_meaning(ctx, "frames")]
    key = [f for f in tr.KEY_FRAMES if f in set(ds.frames["id"])]
    shares = tr.frame_shares(ds, key, TH)
    if shares.empty:
        parts_.append(paragraph(ctx.t("trends.reading.no_claims")))
        return _section(ctx, "frames", *parts_)
    if shares["thin"].all():  # no edition has enough claims for a share: a sentence, not an empty chart
        parts_.append(paragraph(ctx.t("trends.frames.too_few", minimum=count_phrase(TH.thin_claims, "claim", lang))))
        ctx.save_table(tr.frame_shares(ds, th=TH), "frame_shares_by_edition")
        return _section(ctx, "frames", *parts_)
    fig = charts.share_panels(
        shares,
        facet="frame",
        x="year",
        share="share",
        low="low",
        high="high",
        n="n",
        facet_labels={f: ctx.label("frames", f) for f in key},
        xlabel=ctx.col("year"),
        ylabel=ctx.text("trends.frames.share_y"),
        n_label=ctx.text("trends.n_label", n="{n}"),
        min_n=TH.thin_claims,
        thin_label=ctx.text("trends.frames.thin_label", minimum=count_phrase(TH.thin_claims, "claim", lang)),
        rtl=ctx.rtl,
    )
    thin = sorted(set(shares.loc[shares["thin"], "year"]))
    tested = {f.values["frame"] for f in _findings(ctx) if f.kind == "era_shift"}
    untested = [f for f in key if f not in tested]
    parts_.append(
        ctx.figure(
            fig,
            "key_frames",
            ctx.text("trends.frames.panels_caption", confidence=fmt_percent(TH.confidence, lang)),
            ctx.text(
                "trends.frames.panels_alt",
                items=ctx.text("list.separator").join(
                    f"{ctx.label('frames', f)}: " + fmt_percent(float(r.share), lang) + f" ({int(r.year)})"
                    for f in key
                    for r in [shares[(shares["frame"] == f) & ~shares["thin"]].sort_values("share").iloc[-1]]
                    if not shares[(shares["frame"] == f) & ~shares["thin"]].empty
                ),
            ),
        )
    )
    if thin:
        parts_.append(paragraph(ctx.t("trends.frames.thin_years", years=fmt_list(thin, lang))))
    if untested:
        parts_.append(
            paragraph(
                ctx.t(
                    "trends.frames.not_shifted",
                    frames=fmt_list([_frame_name(ctx, f) for f in untested], lang),
                    minimum=count_phrase(TH.min_claims_shift, "claim", lang),
                    points=count_phrase(round(TH.min_points_shift * 100), "point", lang),
                )
            )
        )
    ctx.save_table(tr.frame_shares(ds, th=TH), "frame_shares_by_edition")
    era_table = tr.era_frame_shares(ds, th=TH)
    periods = tr.eras(ds)
    wide = []
    for frame in ds.frames["id"]:
        sub = era_table[era_table["frame"] == frame].set_index("era")
        if sub.empty or int(sub["claims"].sum()) == 0:
            continue
        row = {ctx.col("frame"): ctx.label("frames", frame)}
        for i, era in enumerate(periods):
            if i in sub.index:
                r = sub.loc[i]
                row[_era_column(ctx, era, int(r.n))] = (
                    ctx.t(
                        "trends.frames.cell",
                        share=fmt_percent(float(r.share), lang),
                        low=fmt_percent(float(r.low), lang),
                        high=fmt_percent(float(r.high), lang),
                    )
                    if int(r.claims)
                    else ""
                )
        wide.append(row)
    parts_.append(
        ctx.table(
            pd.DataFrame(wide),
            "frame_shares_by_era",
            ctx.text("trends.frames.era_caption", confidence=fmt_percent(TH.confidence, lang)),
            raw=era_table.assign(era=[tr.era_label(periods[i]) for i in era_table["era"]]),
        )
    )
    first = tr.first_appearances(ds)
    if not first.empty:
        parts_.append(_sub(ctx, "trends.frames.first_title"))
        parts_.append(paragraph(ctx.t("trends.frames.first_intro")))
        names = dict(zip(ds.statements["speaker_en"], ds.statements[ctx.column("speaker")], strict=True))
        listing = pd.DataFrame(
            {
                ctx.col("frame"): [ctx.label("frames", f) for f in first["frame"]],
                ctx.text("trends.columns.first_year"): [str(y) for y in first["first_year"]],
                ctx.text("trends.columns.first_speakers"): [
                    fmt_list([names.get(s, s) for s in speakers], lang) for speakers in first["speakers"]
                ],
                ctx.text("trends.columns.editions_with"): [
                    ctx.t("trends.frames.editions_cell", k=int(r.editions), m=int(r.later_editions) + 1)
                    for r in first.itertuples()
                ],
                ctx.text("trends.columns.claims"): [fmt_int(int(c), lang) for c in first["claims"]],
            }
        )
        parts_.append(ctx.table(listing, "first_appearances", ctx.text("trends.frames.first_caption"), raw=first))
    return _section(ctx, "frames", *parts_)


def _era_column(ctx: ReportContext, era: Sequence[int], n: int) -> str:
    return ctx.text("trends.columns.era_n", era=tr.era_label(era), n=fmt_int(n, ctx.lang))


# --- targets over time ----------------------------------------------------------------------------------


@register(REPORT, "targets")
def targets(ctx: ReportContext) -> Section:
    """Who is blamed, edition by edition: the share of claims naming each target, with n per edition."""
    ds, lang = ctx.ds, ctx.lang
    parts_: list[object] = [_meaning(ctx, "targets")]
    table = tr.target_shares(ds, TH)
    used = table.groupby("target")["claims"].sum()
    used = used[used > 0].sort_values(ascending=False, kind="stable")
    if table.empty or used.empty:
        parts_.append(paragraph(ctx.t("trends.targets.none")))
        return _section(ctx, "targets", *parts_)
    shown = table[table["target"].isin(used.index) & ~table["thin"]]
    if shown.empty:
        parts_.append(paragraph(ctx.t("trends.targets.too_few", minimum=count_phrase(TH.thin_claims, "claim", lang))))
        ctx.save_table(table, "target_shares_by_edition")
        return _section(ctx, "targets", *parts_)
    n_by_year = table.groupby("year")["n"].first()
    matrix = shown.pivot(index="target", columns="year", values="share").reindex(list(used.index))
    matrix = matrix.rename(index=lambda t: _target(ctx, t), columns=lambda y: _year_n(ctx, int(y), int(n_by_year[y])))
    ax = charts.heatmap(
        matrix.fillna(0.0),
        xlabel=ctx.col("year"),
        ylabel=ctx.text("columns.targets"),
        fmt=".0%",
        blank_zeros=True,  # a target not named that edition: a blank cell, as the caption says
        rtl=ctx.rtl,
        mirror_columns=False,  # years run left to right in both languages, as on the timeline
    )
    top = shown.sort_values("share", ascending=False).head(3)
    parts_.append(
        ctx.figure(
            ax,
            "targets_by_edition",
            ctx.text("trends.targets.caption"),
            ctx.text(
                "trends.targets.alt",
                items=ctx.text("list.separator").join(
                    f"{_target(ctx, r.target)} {int(r.year)}: {fmt_percent(float(r.share), lang)}"
                    for r in top.itertuples()
                ),
            ),
        )
    )
    ctx.save_table(table, "target_shares_by_edition")
    return _section(ctx, "targets", *parts_)


# --- the host's message ---------------------------------------------------------------------------------


@register(REPORT, "host")
def host(ctx: ReportContext) -> Section:
    """What the host's speakers stressed each edition: speakers, claims, leading frames (ties kept), critical share."""
    ds, lang = ctx.ds, ctx.lang
    table = tr.host_messages(ds)
    hosts = an.host_countries(ds)
    if table.empty:
        return _section(ctx, "host", paragraph(ctx.t("trends.host.none")))
    names = dict(zip(ds.statements["speaker_en"], ds.statements[ctx.column("speaker")], strict=True))
    listing = pd.DataFrame(
        {
            ctx.col("year"): [str(y) for y in table["year"]],
            ctx.text("trends.columns.speakers"): [
                fmt_list([names.get(s, s) for s in r], lang) for r in table["speakers"]
            ],
            ctx.text("trends.columns.claims"): [fmt_int(int(c), lang) for c in table["claims"]],
            ctx.text("trends.columns.leading"): [
                ctx.t(
                    "trends.host.leading_cell",
                    frames=fmt_list([ctx.label("frames", f) for f in r.frames], lang),
                    k=int(r.frame_claims),
                )
                for r in table.itertuples()
            ],
            ctx.text("trends.columns.critical"): [
                fmt_percent(int(r.critical) / int(r.claims), lang) for r in table.itertuples()
            ],
            ctx.col("sources"): [ctx.cite(s) for s in table["source_ids"]],
        }
    )
    leading = [frame for r in table.itertuples() for frame in r.frames]
    counts = pd.Series(leading).value_counts()
    top = counts[counts == counts.max()].index.tolist()
    early, late = table.iloc[0], table.iloc[-1]
    parts_ = [
        paragraph(
            ctx.t(
                "trends.host.intro",
                host=_country(ctx, hosts[0]) if hosts else "",
                editions=count_phrase(len(table), "edition", lang),
                frames=fmt_list([_frame_name(ctx, f) for f in top], lang),
                times=fmt_int(int(counts.max()), lang),
                first=int(early["year"]),
                first_frames=fmt_list([_frame_name(ctx, f) for f in early["frames"]], lang),
                last=int(late["year"]),
                last_frames=fmt_list([_frame_name(ctx, f) for f in late["frames"]], lang),
            )
        ),
        ctx.table(listing, "host_by_edition", ctx.text("trends.host.caption"), raw=table),
    ]
    return _section(ctx, "host", *parts_)


# --- the host and its partners ------------------------------------------------------------------------------


@register(REPORT, "partners")
def partners(ctx: ReportContext) -> Section:
    """Stance by speaker group (diverging bars with n) and frame profiles by group (small multiples), all editions."""
    ds, lang = ctx.ds, ctx.lang
    parts_: list[object] = [_meaning(ctx, "partners")]
    stance = tr.stance_by(ds, "group")
    if stance.empty:
        parts_.append(paragraph(ctx.t("trends.partners.none")))
        return _section(ctx, "partners", *parts_)
    labels = {g: _group_label(ctx, g) for g in stance["group"]}
    ctx.save_table(stance, "stance_by_group")
    if (stance["n"] < TH.min_group_claims).all():
        parts_.append(
            paragraph(ctx.t("trends.partners.too_few", minimum=count_phrase(TH.min_group_claims, "claim", lang)))
        )
        return _section(ctx, "partners", *parts_)
    fig = charts.stance_bars(
        stance.assign(group=stance["group"].map(labels)),
        y="group",
        critical="critical",
        supportive="supportive",
        neutral="neutral",
        n="n",
        labels={s: ctx.text(f"trends.partners.stance_{s}") for s in ("critical", "supportive", "neutral")},
        xlabel=ctx.text("trends.partners.stance_x"),
        n_label=ctx.text("trends.n_label", n="{n}"),
        min_n=TH.min_group_claims,
        rtl=ctx.rtl,
    )
    enough = stance[stance["n"] >= TH.min_group_claims].sort_values("critical_share")
    parts_.append(
        ctx.figure(
            fig,
            "stance_by_group",
            ctx.text("trends.partners.stance_caption", minimum=count_phrase(TH.min_group_claims, "claim", lang)),
            ctx.text(
                "trends.partners.stance_alt",
                items=ctx.text("list.separator").join(
                    f"{labels[r.group]}: {fmt_percent(float(r.critical_share), lang)} ({fmt_int(int(r.n), lang)})"
                    for r in enough.itertuples()
                ),
            ),
        )
    )
    profiles = tr.group_frame_profiles(ds, th=TH)
    key = [f for f in tr.KEY_FRAMES if f in set(ds.frames["id"])]
    fig = charts.profile_multiples(
        profiles,
        facet="group",
        y="frame",
        share="share",
        n="n",
        facet_labels={g: _group_label(ctx, g) for g in dict.fromkeys(profiles["group"])},
        y_labels={f: ctx.label("frames", f) for f in key},
        xlabel=ctx.text("trends.frames.share_y"),
        n_label=ctx.text("trends.n_label", n="{n}"),
        min_n=TH.min_group_claims,
        thin_label=ctx.text("trends.partners.thin_label", minimum=count_phrase(TH.min_group_claims, "claim", lang)),
        rtl=ctx.rtl,
    )
    parts_.append(
        ctx.figure(
            fig,
            "frame_profiles_by_group",
            ctx.text("trends.partners.profiles_caption"),
            ctx.text("trends.partners.profiles_alt", items=_profile_points(ctx, profiles)),
        )
    )
    ctx.save_table(profiles, "frame_profiles_by_group")
    parts_.append(_sides_by_era(ctx))
    sides = tr.side_frame_shares(ds, key, TH)
    ctx.save_table(sides, "host_partners_frames_by_edition")
    parts_.append(paragraph(ctx.t("trends.partners.sides_note", file="host_partners_frames_by_edition.csv")))
    return _section(ctx, "partners", *parts_)


def _sides_by_era(ctx: ReportContext) -> Markup:
    """The host against its partners period by period: critical claims per side, and whether the gap passes the test."""
    ds = ctx.ds
    periods = tr.eras(ds)
    rows, verdicts = [], []
    for era in periods:
        table = tr.stance_by(ds, "side", era).set_index("side")
        row = {ctx.text("trends.columns.era"): tr.era_label(era)}
        for side in tr.SIDES:
            row[ctx.text(f"trends.partners.side_{side}")] = (
                _share_of(ctx, int(table.loc[side, "critical"]), int(table.loc[side, "n"]))
                if side in table.index
                else ""
            )
        rows.append(row)
        if {"host", "partners"} <= set(table.index):
            host, partners_ = table.loc["host"], table.loc["partners"]
            strength = fi.share_test(
                int(partners_.critical),
                int(partners_.n),
                int(host.critical),
                int(host.n),
                TH.min_group_claims,
                TH.min_points_group,
                TH,
            )
            if min(int(host.n), int(partners_.n)) < TH.min_group_claims:
                variant = "too_few"
            elif strength is None:
                variant = "alike"
            else:
                variant = "less" if partners_.critical_share < host.critical_share else "more"
            verdicts.append(ctx.t(f"trends.partners.era_{variant}", era=_era(ctx, tr.era_label(era))))
    out = _sub(ctx, "trends.partners.eras_title") + paragraph(ctx.t("trends.partners.eras_intro"), *verdicts)
    return out + ctx.table(pd.DataFrame(rows), "critical_by_side_and_era", ctx.text("trends.partners.eras_caption"))


def _profile_points(ctx: ReportContext, profiles: pd.DataFrame) -> str:
    sep = ctx.text("list.separator")
    out = []
    for group, sub in profiles.groupby("group", sort=False):
        if int(sub["n"].iloc[0]) < TH.min_group_claims:
            continue
        best = sub.sort_values("share", ascending=False).iloc[0]
        if float(best["share"]) > 0:
            share = fmt_percent(float(best["share"]), ctx.lang)
            out.append(f"{_group_label(ctx, str(group))}: {ctx.label('frames', best['frame'])} {share}")
    return sep.join(out)


# --- edition by edition, against the experts --------------------------------------------------------------


@register(REPORT, "experts")
def experts(ctx: ReportContext) -> Section:
    """Each edition's leading frames and target, beside the published analyses' reading and where they differ."""
    ds, lang = ctx.ds, ctx.lang
    readings = getattr(ds, "expert_readings", None)
    shares = tr.frame_shares(ds, th=TH)
    targets_ = tr.target_shares(ds, TH)
    rows = []
    for year in tr.held_years(ds):
        sub = shares[shares["year"] == year]
        n = int(sub["n"].iloc[0])
        top = sub[sub["claims"] == sub["claims"].max()]
        tsub = targets_[targets_["year"] == year]
        ttop = tsub[(tsub["claims"] == tsub["claims"].max()) & (tsub["claims"] > 0)]
        ours = ctx.t(
            "trends.experts.ours",
            frames=fmt_list([ctx.label("frames", f) for f in top["frame"]], lang),
            share=_share_of(ctx, int(top["claims"].iloc[0]), n),
            targets=fmt_list([_target(ctx, t) for t in ttop["target"]], lang)
            if not ttop.empty
            else ctx.text("list.none"),
        )
        row = {ctx.col("year"): str(year), ctx.text("trends.columns.ours"): ours}
        if readings is not None and not readings.empty:
            match = readings[readings["year"] == year]
            row[ctx.text("trends.columns.analyses")] = Markup("<br>").join(
                Markup("{}{}").format(r[ctx.column("analyses")], ctx.cite(r["source_ids"])) for _, r in match.iterrows()
            )
            row[ctx.text("trends.columns.agreement")] = Markup("<br>").join(
                str(r[ctx.column("agreement")]) for _, r in match.iterrows()
            )
            row[ctx.text("trends.columns.difference")] = Markup("<br>").join(
                ctx.t(
                    "trends.experts.difference",
                    kind=ctx.text(f"trends.experts.kind.{r['difference_kind']}"),
                    text="" if is_missing(r[ctx.column("difference")]) else r[ctx.column("difference")],
                )
                for _, r in match.iterrows()
            )
        rows.append(row)
    parts_: list[object] = [paragraph(ctx.t("trends.experts.intro"))]
    if readings is None or readings.empty:
        parts_.append(paragraph(ctx.t("trends.experts.no_readings", file="expert_readings.csv")))
    else:
        kinds = readings["difference_kind"].value_counts()
        parts_.append(
            paragraph(
                ctx.t(
                    "trends.experts.summary",
                    items=fmt_list(
                        [
                            ctx.t(
                                "trends.experts.kind_count",
                                kind=ctx.text(f"trends.experts.kind.{k}"),
                                n=fmt_int(int(v), lang),
                            )
                            for k, v in kinds.items()
                        ],
                        lang,
                    ),
                )
            )
        )
    parts_.append(ctx.table(pd.DataFrame(rows), "editions_and_experts", ctx.text("trends.experts.caption")))
    return _section(ctx, "experts", *parts_)


# --- conclusion and method -----------------------------------------------------------------------------------


@register(REPORT, "conclusion")
def conclusion(ctx: ReportContext) -> Section:
    """What the series shows, from the findings only, and what it cannot show."""
    lang = ctx.lang
    found = _findings(ctx)
    shifts = [f for f in found if f.kind == "era_shift"]
    rose = [f.values["frame"] for f in shifts if f.variant == "rose"]
    fell = [f.values["frame"] for f in shifts if f.variant == "fell"]
    parts_: list[object] = []
    periods = tr.eras(ctx.ds)
    if rose or fell:
        parts_.append(
            paragraph(
                ctx.t(
                    "trends.conclusion.shift",
                    first=_era(ctx, tr.era_label(periods[0])),
                    last=_era(ctx, tr.era_label(periods[-1])),
                    fell=fmt_list([_frame_name(ctx, f) for f in fell], lang) if fell else ctx.text("list.none"),
                    rose=fmt_list([_frame_name(ctx, f) for f in rose], lang) if rose else ctx.text("list.none"),
                )
            )
        )
    else:
        parts_.append(paragraph(ctx.t("trends.conclusion.no_shift")))
    groups = [f for f in found if f.kind == "group_trend"]
    if groups:
        parts_.append(
            paragraph(
                ctx.t(
                    "trends.conclusion.groups",
                    groups=fmt_list([_group_label(ctx, f.values["group"]) for f in groups], lang),
                    host=_group_label(ctx, groups[0].values["host_group"]),
                )
            )
        )
    parts_.append(paragraph(ctx.t("trends.conclusion.limits")))
    return _section(ctx, "conclusion", *parts_)


@register(REPORT, "method")
def method(ctx: ReportContext) -> Section:
    """The eras, the shares and their intervals, the tests, reliability, and every source cited."""
    lang = ctx.lang
    parts_: list[object] = [
        paragraph(
            ctx.t(
                "trends.method.shares",
                confidence=fmt_percent(TH.confidence, lang),
                minimum=count_phrase(TH.thin_claims, "claim", lang),
            ),
            ctx.t(
                "trends.method.tests",
                minimum=count_phrase(TH.min_claims_shift, "claim", lang),
                points=count_phrase(round(TH.min_points_shift * 100), "point", lang),
                group_minimum=count_phrase(TH.min_group_claims, "claim", lang),
                group_points=count_phrase(round(TH.min_points_group * 100), "point", lang),
            ),
            ctx.t("trends.method.sides"),
        ),
        paragraph(*_reliability(ctx)),
    ]
    cited = [s for _, s in ctx.citations.numbered()]
    parts_.append(
        _sub(ctx, "chapter.method.sources_title")
        + paragraph(ctx.t("chapter.method.sources_intro", sources=count_phrase(len(cited), "source", lang)))
        + _source_list(ctx)
    )
    return _section(ctx, "method", *parts_)


__all__ = ["REPORT", "finding_sentence"]
