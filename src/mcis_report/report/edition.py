"""The edition report (presentation layer): one registered part per chapter, in reading order.

Each part takes the :class:`ReportContext`, computes through ``analysis`` and ``findings``, writes its
sentences from the catalogues, saves its figures and tables through the context and returns a
:class:`Section`. The report opens with the key findings, closes with a conclusion computed from them,
and words every comparison only as far as its strength test allows (``findings.Thresholds``). A part
that does not apply to an edition (the messaging of a thin edition, the article check of an edition no
article discusses) returns an empty section and is left out of the contents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd
from markupsafe import Markup

from .. import analysis as an
from .. import charts, coding, geo, intercoder
from .. import findings as fi
from ..i18n import text
from ..narrative import (
    count_phrase,
    date_span,
    fmt_date,
    fmt_date_range,
    fmt_decimal,
    fmt_int,
    fmt_list,
    fmt_percent,
    is_missing,
    month_name,
    ordinal,
    qualified,
    qualified_count,
)
from . import html
from .context import ReportContext
from .html import Section, bullet_list, heading, paragraph
from .registry import parts, register

REPORT = "edition"
TH = fi.DEFAULT


def _section(ctx: ReportContext, chapter: str, *parts_: object) -> Section:
    return html.section(chapter, ctx.text(f"chapter.{chapter}.title"), parts_)


def _sub(ctx: ReportContext, key: str) -> Markup:
    return heading(3, ctx.text(key))


def _thin(ctx: ReportContext) -> bool:
    return fi.is_thin(ctx.ds, ctx.year, TH)


def _article(ctx: ReportContext) -> pd.Series | None:
    """The article attached to this edition (``articles.csv``), if any."""
    rows = ctx.ds.articles[ctx.ds.articles["edition"] == ctx.year]
    return None if rows.empty else rows.iloc[0]


def _findings(ctx: ReportContext) -> list[fi.Finding]:
    return ctx.once("edition_findings", lambda: fi.edition_findings(ctx.ds, ctx.year, TH))


#: Parts that apply only to some editions; the others always apply.
APPLIES: dict[str, Callable[[ReportContext], bool]] = {
    "messaging": lambda ctx: not _thin(ctx),
    "partners": lambda ctx: not _thin(ctx) and not an.partner_comparison(ctx.ds, ctx.year).empty,
    "checks": lambda ctx: _article(ctx) is not None,
    "claims": lambda ctx: not an.claims_for(ctx.ds, ctx.year).empty,
    "conflicts": lambda ctx: not an.figure_conflicts(ctx.ds).empty,
}


def applies(ctx: ReportContext, part_id: str) -> bool:
    """Whether the part ``part_id`` has something to say for this edition."""
    rule = APPLIES.get(part_id)
    return True if rule is None else bool(rule(ctx))


# --- dates and figures in words -------------------------------------------------------------------------


def _reliability(ctx: ReportContext) -> list[Markup]:
    """How far the coding can be trusted: the blind second coding and the tagger's held-out agreement."""
    ds, lang, sentences = ctx.ds, ctx.lang, []
    study_files = ctx.data_dir / intercoder.STUDY_FOLDER if ctx.data_dir is not None else None
    if (
        ctx.data_dir is not None
        and study_files is not None
        and (study_files / "first_coding.csv").is_file()
        and (study_files / "second_coding.csv").is_file()
    ):
        study = intercoder.study(ctx.data_dir, ds.frames["id"], ds.targets["id"])
        sentences.append(
            ctx.t(
                "chapter.method.reliability",
                claims=count_phrase(int(study["claims"]), "claim", lang),  # type: ignore[call-overload]
                frames=fmt_decimal(float(study["frames_alpha"]), lang),  # type: ignore[arg-type]
                targets=fmt_decimal(float(study["targets_alpha"]), lang),  # type: ignore[arg-type]
            )
        )
    tagger = coding.evaluate_tagger(ds, split="heldout")
    overall = tagger[tagger["frame"] == "all"].set_index("language")
    if {"en", "ar"} <= set(overall.index) and overall.loc["en", "n_claims"]:
        sentences.append(
            ctx.t(
                "chapter.method.tagger",
                claims=count_phrase(int(overall.loc["en", "n_claims"]), "claim", lang),
                en=fmt_decimal(overall.loc["en", "f1"], lang),
                ar=fmt_decimal(overall.loc["ar", "f1"], lang),
            )
        )
    return sentences


def _dates(ctx: ReportContext, start: object, end: object) -> tuple[str, str]:
    """(``one``/``two``/``range``, dates in words): two consecutive days read «يومي 3 و4 مايو» in Arabic."""
    if is_missing(start):
        return "one", ""
    return date_span(start, end), fmt_date_range(start, end, ctx.lang)


def _amount(ctx: ReportContext, metric: str, value: int, qualifier: str) -> Markup:
    return qualified_count(value, qualifier, text(f"metric_noun.{metric}", ctx.lang), ctx.lang)


def _earlier(ctx: ReportContext, earlier: Iterable[tuple[int, int, str]]) -> Markup:
    return fmt_list(
        [ctx.t("finding.in_year", value=qualified(v, q, ctx.lang), year=int(y)) for y, v, q in earlier], ctx.lang
    )


def _of(ctx: ReportContext, k: int, n: int) -> Markup:
    """``3 of 20 claims`` / «3 من أصل 20 مقولة»."""
    return ctx.t("finding.of", k=k, total=count_phrase(n, "claim", ctx.lang))


def _country(ctx: ReportContext, alpha3: str) -> str:
    """A country's name: the codebook's label for a one-country speaker group (one spelling), else the data's."""
    for g in fi.speaker_groups(ctx.ds):
        if list(g.get("countries", ())) == [alpha3]:
            return str(g[ctx.column("label")])
    return ctx.country(alpha3)


def _actor(ctx: ReportContext, country: object, organisation: object) -> str:
    """A country's name (one spelling, see :func:`_country`), or the organisation's label."""
    if not is_missing(country) and str(country) in set(ctx.ds.countries["alpha3"]):
        return _country(ctx, str(country))
    if not is_missing(organisation):  # an organisation's speaker (a blame row keyed by its code): its label
        return ctx.label("organisations", str(organisation))
    return ctx.actor(None if is_missing(country) else str(country), None)


def _target(ctx: ReportContext, target_id: str) -> str:
    """A blamed actor's name; a state is named as the country (codebook group ``country_targets``)."""
    mapping = (fi.group(ctx.ds, "country_targets") or {}).get("countries", {}) or {}
    return _country(ctx, mapping[target_id]) if target_id in mapping else ctx.label("targets", target_id)


def _targets(ctx: ReportContext, ids: Iterable[str]) -> list[str]:
    return [_target(ctx, i) for i in ids]


def _published(ctx: ReportContext, value: object) -> str:
    """A publication date (YYYY-MM-DD, YYYY-MM or YYYY) in words."""
    parts = str(value).split("-")
    if len(parts) == 3:
        return fmt_date(pd.Timestamp(str(value)), ctx.lang)
    if len(parts) == 2:
        return ctx.text("date.month", month=month_name(int(parts[1]), ctx.lang), year=parts[0])
    return str(value)


def _group_label(ctx: ReportContext, group_id: str) -> str:
    g = fi.group(ctx.ds, group_id)
    return str(g[ctx.column("label")]) if g else group_id


# --- findings in words ----------------------------------------------------------------------------------


def finding_sentence(ctx: ReportContext, f: fi.Finding) -> Markup:
    """One finding in the report's language, from the catalogue key ``finding.<kind>.<variant>``."""
    v, lang = f.values, ctx.lang
    key = f"finding.{f.kind}.{f.variant}"
    if f.kind == "thin":
        return ctx.t(key, year=v["year"], n=f.n, minimum=count_phrase(v["min"], "claim", lang))
    if f.kind == "participation":
        return ctx.t(
            key,
            metric=text(f"metric.{v['metric']}", lang),
            now=_amount(ctx, v["metric"], v["value"], v["qualifier"]),
            year=v["year"],
            earlier=_earlier(ctx, v["earlier"]),
        ) + ctx.cite(f.source_ids)
    if f.kind == "western":
        parts = []
        now = ctx.text(f"western.{v['status']}")
        if f.variant == "same":
            parts.append(ctx.t(key, previous=v["previous"], western=now))
        elif f.variant == "changed":
            parts.append(
                ctx.t(
                    key,
                    year=v["year"],
                    previous=v["previous"],
                    western=ctx.text(f"western_short.{v['status']}"),
                    before=ctx.text(f"western_short.{v['previous_status']}"),
                )
            )
        else:
            parts.append(ctx.t(key, year=v["year"], western=now))
        parts += _western_members(ctx, f)
        return Markup(" ").join(parts) + ctx.cite(f.source_ids)
    if f.kind == "top_frame":
        return ctx.t(
            key,
            frame=_frame_name(ctx, v["frames"][0]),
            frames=fmt_list([_frame_name(ctx, x) for x in v["frames"]], lang),
            share=_of(ctx, v["claims"], v["total"]),
            speakers=count_phrase(v["speakers"], "speaker", lang),
        )
    if f.kind == "blame":
        return ctx.t(
            key,
            target=_target(ctx, v["targets"][0]),
            targets=fmt_list(_targets(ctx, v["targets"]), lang),
            claims=v["claims"],
            blaming=count_phrase(v["blaming"], "claim", lang),
            total=count_phrase(v["total"], "claim", lang),
        )
    if f.kind == "group":
        if v["critical"] == 0:
            key += "_none"
        return ctx.t(
            key,
            group=_group_label(ctx, v["group"]),
            host=_group_label(ctx, v["host_group"]),
            share=_of(ctx, v["critical"], v["claims"]) if v["critical"] else count_phrase(v["claims"], "claim", lang),
            host_share=_of(ctx, v["host_critical"], v["host_claims"]),
        ) + ctx.cite(f.source_ids)
    if f.kind == "frame_shift":
        if v["claims"] == 0:
            return ctx.t(
                key + "_none",
                frame=_frame_name(ctx, v["frame"]),
                previous=v["previous"],
                year=v["year"],
                total=count_phrase(v["total"], "claim", lang),
                before=fmt_percent(v["claims_before"] / v["total_before"], lang),
                before_share=_of(ctx, v["claims_before"], v["total_before"]),
            )
        return ctx.t(
            key,
            frame=_frame_name(ctx, v["frame"]),
            previous=v["previous"],
            year=v["year"],
            before=fmt_percent(v["claims_before"] / v["total_before"], lang),
            after=fmt_percent(v["claims"] / v["total"], lang),
            before_share=_of(ctx, v["claims_before"], v["total_before"]),
            after_share=_of(ctx, v["claims"], v["total"]),
        )
    if f.kind == "new_frame":
        return ctx.t(
            key,
            frame=_frame_name(ctx, v["frame"]),
            previous=v["previous"],
            share=_of(ctx, v["claims"], v["total"]),
            total_before=count_phrase(v["total_before"], "claim", lang),
        )
    if f.kind == "article":
        items = [
            ctx.t(f"finding.article.verdict_{name}", n=v[name])
            for name in ("supported", "partly", "contradicted", "unverified")
            if v[name]
        ]
        return ctx.t(key, checks=count_phrase(v["checks"], "claim", lang), items=fmt_list(items, lang))
    raise KeyError(f"no wording for finding kind {f.kind!r}")


def _western_members(ctx: ReportContext, f: fi.Finding) -> list[Markup]:
    """Sentences naming NATO members outside the Western group (Türkiye) and Western states that attended."""
    v, parts = f.values, []
    for country, attendance in zip(v["outside"], v["outside_attendance"], strict=True):
        verb = "attended" if attendance in an.ATTENDED else "invited"
        parts.append(
            ctx.t(
                ctx.agree(f"finding.western.outside_{verb}", country),
                country=_country(ctx, country),
                western=_group_label(ctx, "western"),
            )
        )
    if v["attending_western"]:
        parts.append(
            ctx.t(
                "finding.western.attending",
                countries=fmt_list([_country(ctx, c) for c in v["attending_western"]], ctx.lang),
            )
        )
    return parts


def _frame_name(ctx: ReportContext, frame_id: str) -> Markup:
    """A frame label inside prose: quoted as a name, so it keeps its own capitals and reads as a term."""
    return ctx.t("finding.frame_name", label=ctx.label("frames", frame_id))


def _meaning(ctx: ReportContext, chapter: str, found: list[fi.Finding] | None = None) -> Markup:
    """The chapter's "what this means" paragraph: its findings in score order, or nothing."""
    found = fi.by_chapter(_findings(ctx) if found is None else found, chapter)
    if not found:
        return Markup("")
    body = Markup(" ").join(finding_sentence(ctx, f) for f in found)
    return Markup('<div class="meaning"><p><strong>{}</strong> {}</p></div>').format(
        ctx.text("meta.what_this_means"), body
    )


# --- header --------------------------------------------------------------------------------------------


@register(REPORT, "header", toc=False)
def header(ctx: ReportContext) -> Section:
    """Title and subtitle generated from the edition's data, and the table of contents of the parts that apply."""
    ds, year, lang = ctx.ds, ctx.year, ctx.lang
    ed = an.edition(ds, year)
    theme = ctx.local(ed, "theme")
    title = (
        ctx.t("meta.report_title_theme", year=year, theme=theme)
        if not is_missing(theme)
        else ctx.t("meta.report_title", year=year)
    )
    claims = an.claims_for(ds, year)
    countries = an.figure_value(ds, year, "countries")
    where = (
        ctx.t(
            "meta.subtitle_countries",
            countries=qualified_count(countries["value"], countries["qualifier"], "country", lang),
        )
        if countries is not None
        else Markup("")
    )
    _kind, dates = _dates(ctx, ed["start_date"], ed["end_date"])
    if claims.empty:
        coded = ctx.t("meta.subtitle_no_claims")
    else:
        coded = ctx.t(
            "meta.subtitle_claims",
            claims=count_phrase(len(claims), "claim", lang),
            speakers=count_phrase(claims["speaker_en"].nunique(), "speaker", lang),
        )
    subtitle = ctx.t(
        "meta.report_subtitle",
        ordinal=ordinal(int(ed["number"]), lang),
        dates=dates,
        countries=where,
        coded=coded,
        kind=ctx.text("meta.profile" if _thin(ctx) else "meta.analysis"),
    )
    toc = Markup("").join(
        Markup('<li><a href="#{}">{}</a></li>').format(part.id, ctx.text(part.title_key))
        for part in parts(REPORT)
        if part.toc and applies(ctx, part.id)
    )
    contents = ctx.text("meta.contents")
    return Section(
        Markup(
            '<header class="report-header"><h1 id="top">{0}</h1><p class="subtitle">{1}</p></header>'
            '<nav class="toc" aria-label="{2}"><h2>{2}</h2><ol>{3}</ol></nav>'
        ).format(title, subtitle, contents, toc)
    )


# --- key findings --------------------------------------------------------------------------------------


@register(REPORT, "key")
def key_findings(ctx: ReportContext) -> Section:
    """The 4–6 findings with the highest score (effect × strength), each with its evidence (all tables)."""
    found = fi.key_findings(_findings(ctx), TH)
    items = [finding_sentence(ctx, f) for f in found]
    note = ctx.t("chapter.key.note", minimum=count_phrase(TH.thin_claims, "claim", ctx.lang))
    return _section(
        ctx,
        "key",
        Markup('<ul class="key-findings">{}</ul>').format(
            Markup("").join(Markup("<li>{}</li>").format(i) for i in items)
        ),
        paragraph(note),
    )


# --- introduction --------------------------------------------------------------------------------------


@register(REPORT, "intro")
def introduction(ctx: ReportContext) -> Section:
    """What MCIS is and who organises it, the article this edition's report answers, and what the report adds."""
    ds, year, lang = ctx.ds, ctx.year, ctx.lang
    years = ds.years
    organiser = _country(ctx, fi.host_countries(ds)[0]) if fi.host_countries(ds) else ""
    gaps = an.not_held_years(ds)
    parts = [
        paragraph(
            ctx.t(
                "chapter.intro.mcis",
                organiser=organiser,
                first=years[0],
                last=years[-1],
                editions=count_phrase(len(years), "edition", lang),
            ),
            ctx.t("chapter.intro.gaps", years=fmt_list(gaps, lang)) if gaps else "",
        )
    ]
    article = _article(ctx)
    if article is not None:
        outlet = ctx.local(article, "outlet")
        published = article["published"]
        if is_missing(outlet) and is_missing(published):
            meta = [ctx.t("chapter.intro.no_meta")]
        elif not is_missing(outlet) and not is_missing(published):
            meta = [ctx.t("chapter.intro.outlet_date", outlet=outlet, date=_published(ctx, published))]
        else:
            meta = [
                ctx.t("chapter.intro.outlet", outlet=outlet)
                if not is_missing(outlet)
                else ctx.t("chapter.intro.no_outlet"),
                ctx.t("chapter.intro.published", date=_published(ctx, published))
                if not is_missing(published)
                else ctx.t("chapter.intro.no_date"),
            ]
        parts.append(
            paragraph(
                ctx.t(
                    "chapter.intro.article",
                    title=ctx.local(article, "title"),
                    language=ctx.language_name(article["language"]),
                    meta=fmt_list(meta, lang),
                ),
                ctx.t("chapter.intro.thesis", thesis=ctx.local(article, "thesis")),
                ctx.t("chapter.intro.adds_article"),
            )
        )
    else:
        parts.append(paragraph(ctx.t("chapter.intro.no_article", year=year), ctx.t("chapter.intro.adds")))
    return _section(ctx, "intro", *parts)


# --- 1. at a glance ------------------------------------------------------------------------------------


@register(REPORT, "glance")
def at_a_glance(ctx: ReportContext) -> Section:
    """Date, venue and theme; headline figures with their timing; disputed counts; Western participation."""
    ds, year, lang = ctx.ds, ctx.year, ctx.lang
    ed = an.edition(ds, year)
    venue = ctx.local(ed, "venue")
    venue_text = (
        ctx.t("chapter.glance.venue", venue=venue) if not is_missing(venue) else ctx.t("chapter.glance.no_venue")
    )
    kind, dates = _dates(ctx, ed["start_date"], ed["end_date"])
    opening = ctx.t(
        f"chapter.glance.held_{kind}", ordinal=ordinal(int(ed["number"]), lang), dates=dates, venue=venue_text
    )
    theme = ctx.local(ed, "theme")
    theme_text = (
        ctx.t("chapter.glance.theme", theme=theme) if not is_missing(theme) else ctx.t("chapter.glance.no_theme")
    )
    parts = [paragraph(opening + ctx.cite(ed["source_ids"]), theme_text)]

    figures = an.headline_figures(ds, year)
    if figures.empty:
        parts.append(paragraph(ctx.t("chapter.glance.no_figures")))
    else:
        items = [
            ctx.t(
                "chapter.glance.figure_item",
                amount=_amount(ctx, r.metric, r.value, r.qualifier),
                timing=text(f"timing.{r.timing}", lang),
                cite=ctx.cite(r.source_ids),
            )
            for r in figures.itertuples(index=False)
        ]
        parts.append(paragraph(ctx.t("chapter.glance.figures_intro")) + bullet_list(items))
        for row in figures[figures["conflicting"]].itertuples(index=False):
            parts.append(_disputed(ctx, row.metric))
    evidence = ctx.local(ed, "western_evidence")
    parts.append(
        paragraph(
            ctx.t(
                "chapter.glance.western",
                western=text(f"western.{ed['western_participation']}", lang),
                evidence="" if is_missing(evidence) else evidence,
            )
            + ctx.cite(ed["source_ids"]),
            *_western_members(ctx, fi.western_finding(ds, year)),
        )
    )
    note = ctx.local(ed, "dates_note")
    if not is_missing(note):
        parts.append(paragraph(ctx.t("chapter.glance.dates_note", note=note)))
    return _section(ctx, "glance", *parts)


def _disputed(ctx: ReportContext, metric: str) -> Markup:
    """One disputed figure: counts that disagree, or an announcement that differs from the count."""
    lang = ctx.lang
    rows = ctx.ds.figures[(ctx.ds.figures["year"] == ctx.year) & (ctx.ds.figures["metric"] == metric)]
    rows = rows.assign(cls=rows["timing"].map(fi.TIMING_CLASS))
    counted, expected = rows[rows["cls"] == "counted"], rows[rows["cls"] == "expected"]
    used = rows[rows["used"]].iloc[0]
    label = text(f"metric.{metric}", lang)
    if counted["value"].nunique() > 1:
        return paragraph(
            ctx.t(
                "chapter.glance.conflict",
                metric=label,
                reports=count_phrase(len(counted), "report", lang),
                low=fmt_int(int(counted["value"].min()), lang),
                high=fmt_int(int(counted["value"].max()), lang),
                value=qualified(used["value"], used["qualifier"], lang),
            )
            + ctx.cite(an.cited_sources(counted))
        )
    if not counted.empty and not expected.empty:
        c, e = counted.iloc[0], expected.iloc[0]
        return paragraph(
            ctx.t(
                "chapter.glance.expected_vs_counted",
                metric=label,
                expected=qualified(e["value"], e["qualifier"], lang),
                counted=qualified(c["value"], c["qualifier"], lang),
            )
            + ctx.cite(an.cited_sources(rows))
        )
    return paragraph(
        ctx.t(
            "chapter.glance.expectations_differ", metric=label, value=qualified(used["value"], used["qualifier"], lang)
        )
        + ctx.cite(an.cited_sources(rows))
    )


# --- 2. across editions --------------------------------------------------------------------------------


#: Figures drawn as panels of the participation timeline, top to bottom (those reported at least once).
TIMELINE_METRICS = ("countries", "delegates", "defence_ministers")
#: Events marked on the timeline: (year, catalogue key under ``chapter.editions``), shown when the year is in
#: the data's span. Their wording follows the notes of ``editions.csv`` (2014 Western absence, 2020
#: postponement over COVID-19, 2022 edition inside the Army forum at Kubinka).
TIMELINE_EVENTS = ((2014, "event_2014"), (2020, "event_2020"), (2022, "event_2022"))


def _too_few(claims: int) -> bool:
    """Too few claims for a chart: the rule that makes an edition thin (``thin_claims``, see :func:`_thin`)."""
    return claims < TH.thin_claims


def _figure_words(row: object, lang: str) -> str:
    """A figure as the text says it: ``more than 150 (announced before the event)``."""
    value = str(qualified(int(row.value), row.qualifier, lang))  # type: ignore[attr-defined]
    if getattr(row, "timing", None) == "pre_event":
        value = text("chapter.editions.announced", lang, value=value)
    return value


def _points(frame: pd.DataFrame, lang: str) -> str:
    """``2012: more than 150 (announced before the event); 2013: no figure``: every held edition."""
    sep = text("list.separator", lang)
    out = []
    for r in frame.itertuples():
        if not is_missing(r.value):
            out.append(f"{int(r.year)}: {_figure_words(r, lang)}")
        elif getattr(r, "status", "held") == "held":
            out.append(f"{int(r.year)}: {text('chapter.editions.marker_no_figure', lang)}")
    return sep.join(out)


def _timeline(ctx: ReportContext) -> Markup:
    """The annotated participation timeline (countries, delegates, ministers), or a sentence without figures."""
    ds, lang = ctx.ds, ctx.lang
    series = {m: an.participation_by_year(ds, m) for m in TIMELINE_METRICS}
    series = {m: f for m, f in series.items() if f["value"].notna().any()}
    if not series:
        return paragraph(ctx.t("chapter.editions.no_figures"))
    data = pd.concat([f.assign(metric=m) for m, f in series.items()], ignore_index=True)
    years = ds.years
    first, last = int(min(data["year"])), int(max(data["year"]))
    events = [(y, text(f"chapter.editions.{key}", lang)) for y, key in TIMELINE_EVENTS if first <= y <= last]
    panel_labels = {}
    for m in series:
        label = text(f"metric.{m}", lang)
        panel_labels[m] = label[:1].upper() + label[1:]
    markers = ("reported", "more_than", "pre_event", "range", "not_held", "no_figure")
    fig = charts.timeline_chart(
        data,
        x="year",
        panel="metric",
        value="value",
        low="low",
        high="high",
        qualifier="qualifier",
        timing="timing",
        panel_labels=panel_labels,
        marker_labels={k: text(f"chapter.editions.marker_{k}", lang) for k in markers},
        events=events,
        hue="western_participation",
        hue_labels={
            k: text(f"western_short.{k}", lang) for k in ("participated", "partial", "boycotted", "not_invited")
        },
        xlabel=ctx.col("year"),
        rtl=ctx.rtl,
        status="status",
        hue_title=text("chapter.editions.western_strip", lang),
    )
    sep = text("list.separator", lang)
    panels = []
    for m, frame in series.items():
        known = frame.dropna(subset=["value"])
        counted = known[known["timing"] != "pre_event"]  # an expectation is not compared with a count
        known = counted if not counted.empty else known
        peak = next(known.loc[[known["value"].idxmax()]].itertuples())
        panels.append(
            text(
                "chapter.editions.participation_alt_panel",
                lang,
                metric=text(f"metric.{m}", lang),
                peak=_figure_words(peak, lang),
                peak_year=int(peak.year),
                points=_points(frame, lang),
            )
        )
    gaps = an.not_held_years(ds)
    alt = text(
        "chapter.editions.participation_alt",
        lang,
        first=years[0],
        last=years[-1],
        panels=" ".join(panels),
        events=sep.join(f"{y}: {label}" for y, label in events) or text("list.none", lang),
    )
    if gaps:
        alt += " " + text("chapter.editions.participation_alt_gaps", lang, years=sep.join(str(y) for y in gaps))
    # The bottom panel carries the year axis; saving it saves the whole figure.
    return ctx.figure(fig.axes[-1], "participation_timeline", text("chapter.editions.participation_caption", lang), alt)


@register(REPORT, "editions")
def across_editions(ctx: ReportContext) -> Section:
    """Participation across editions and the Western break, with its "what this means" (editions, figures)."""
    ds, lang = ctx.ds, ctx.lang
    parts = [_meaning(ctx, "editions")]
    break_year = an.western_break_year(ds)
    held = ds.editions[ds.editions["status"] == "held"]
    participated = [int(y) for y in held.loc[held["western_participation"] == "participated", "year"]]
    partial = [int(y) for y in held.loc[held["western_participation"] == "partial", "year"]]
    if break_year is None:
        parts.append(paragraph(ctx.t("chapter.editions.no_break")))
    elif partial:
        parts.append(
            paragraph(
                ctx.t(
                    "chapter.editions.break",
                    participated=fmt_list(participated, lang),
                    break_year=break_year,
                    partial=fmt_list(partial, lang),
                )
            )
        )
    else:
        parts.append(
            paragraph(
                ctx.t(
                    "chapter.editions.break_no_partial",
                    participated=fmt_list(participated, lang),
                    break_year=break_year,
                )
            )
        )
    parts.append(paragraph(ctx.t("chapter.editions.timing_rule", change=fmt_percent(TH.min_relative_change, lang))))

    parts.append(_timeline(ctx))

    rows = []
    for ed in ds.editions.sort_values("year").itertuples(index=False):
        row = ed._asdict()
        rows.append(
            {
                ctx.col("year"): int(ed.year),
                ctx.col("edition"): "" if is_missing(ed.number) else ordinal(int(ed.number), lang),
                ctx.col("dates"): _dates(ctx, ed.start_date, ed.end_date)[1],
                ctx.col("theme"): row[ctx.column("theme")],
                ctx.col("western"): text(f"western.{ed.western_participation}", lang),
                ctx.col("sources"): ctx.cite(ed.source_ids),
            }
        )
    parts.append(
        ctx.table(
            pd.DataFrame(rows),
            "editions_timeline",
            text("chapter.editions.timeline_caption", lang),
            raw=ds.editions.drop(columns=[c for c in ds.editions.columns if c.endswith("_ar") and lang != "ar"]),
        )
    )
    return _section(ctx, "editions", *parts)


# --- 3. who came ---------------------------------------------------------------------------------------


@register(REPORT, "delegations")
def who_came(ctx: ReportContext) -> Section:
    """The host, the visiting delegations named in the sources, by attendance, region, bloc and rank."""
    ds, year, lang = ctx.ds, ctx.year, ctx.lang
    parts = [_meaning(ctx, "delegations")]
    hosts = fi.host_countries(ds)
    every = an.delegations_for(ds, year)
    host_rows = every[every["country"].isin(hosts)]
    for r in host_rows.itertuples(index=False):
        head = getattr(r, ctx.column("head"))
        if not is_missing(head):
            parts.append(
                paragraph(
                    ctx.t(
                        "chapter.delegations.host",
                        country=_country(ctx, r.country),
                        head=head,
                        role=getattr(r, ctx.column("role")),
                    )
                    + ctx.cite(r.source_ids)
                )
            )
    d = an.delegations_for(ds, year, visiting_only=True)
    if d.empty:
        parts.append(paragraph(ctx.t("chapter.delegations.none", year=year)))
        return _section(ctx, "delegations", *parts)
    attended = d[d["attendance"].isin(an.ATTENDED)]
    invited = d[~d["attendance"].isin(an.ATTENDED)]
    counts = attended["attendance"].value_counts()
    ways = [ctx.t(f"chapter.delegations.way_{a}", n=int(counts[a])) for a in an.ATTENDED if counts.get(a, 0)]
    if not attended.empty:
        parts.append(
            paragraph(
                ctx.t(
                    "chapter.delegations.named",
                    year=year,
                    named=count_phrase(len(attended), "delegation", lang),
                    ways=fmt_list(ways, lang),
                )
                + ctx.cite(an.cited_sources(attended))
            )
        )
    if not invited.empty:
        names = [_actor(ctx, c, o) for c, o in zip(invited["country"], invited["organisation"], strict=True)]
        parts.append(
            paragraph(
                ctx.t(
                    "chapter.delegations.invited",
                    invited=count_phrase(len(invited), "delegation", lang),
                    names=fmt_list(names, lang),
                )
                + ctx.cite(an.cited_sources(invited))
            )
        )
    countries = an.figure_value(ds, year, "countries")
    if countries is not None and not attended.empty:
        parts.append(
            paragraph(
                ctx.t(
                    "chapter.delegations.coverage",
                    countries=qualified_count(countries["value"], countries["qualifier"], "country", lang),
                    named_countries=count_phrase(int(attended["country"].notna().sum()), "country", lang),
                )
                + ctx.cite(countries["source_ids"])
            )
        )

    parts.extend(_delegations_map(ctx, host_rows, d, countries))

    blocs = an.delegations_by_bloc(ds, year)
    present = blocs[blocs["delegations"] > 0]
    if not present.empty:
        items = [
            ctx.t(
                "chapter.delegations.bloc_item", n=int(r.delegations), bloc=ctx.label("organisations", r.organisation)
            )
            for r in present.itertuples()
        ]
        parts.append(
            paragraph(
                ctx.t("chapter.delegations.blocs", items=fmt_list(items, lang))
                + ctx.cite(
                    an.cited_sources(ds.memberships[ds.memberships["organisation"].isin(present["organisation"])])
                )
            )
        )
    ranks = an.rank_counts(ds, year)
    if not ranks.empty:
        items = [
            ctx.t("chapter.delegations.rank_item", rank=ctx.text(f"rank.{r.rank}"), n=int(r.delegations))
            for r in ranks.itertuples()
        ]
        parts.append(paragraph(ctx.t("chapter.delegations.ranks", items=fmt_list(items, lang))))

    if not attended.empty:
        listing = pd.DataFrame(
            {
                ctx.col("country"): [
                    _actor(ctx, c, o) for c, o in zip(attended["country"], attended["organisation"], strict=True)
                ],
                ctx.col("head"): attended[ctx.column("head")].fillna(""),
                ctx.col("role"): attended[ctx.column("role")].fillna(""),
                ctx.col("attendance"): [text(f"attendance.{a}", lang) for a in attended["attendance"]],
                ctx.col("sources"): [ctx.cite(s) for s in attended["source_ids"]],
            }
        )
        parts.append(ctx.table(listing, "delegations", text("chapter.delegations.list_caption", lang), raw=d))
    return _section(ctx, "delegations", *parts)


#: Categories of the delegations map, in legend order.
MAP_CATEGORIES = ("host", "attended", "invited_only")
#: Fewest visiting country delegations worth a map; below it a sentence says why there is none.
MAP_MIN_COUNTRIES = 3


def _map_categories(host_rows: pd.DataFrame, visiting: pd.DataFrame) -> pd.DataFrame:
    """One row per named country (``country``, ``category``): host, then attended, then invited only."""
    rows = [(c, "host") for c in host_rows["country"].dropna()]
    rows += [
        (c, "attended" if a in an.ATTENDED else "invited_only")
        for c, a in zip(visiting["country"], visiting["attendance"], strict=True)
        if not is_missing(c)
    ]
    frame = pd.DataFrame(rows, columns=["country", "category"])
    rank = frame["category"].map({k: i for i, k in enumerate(MAP_CATEGORIES)})
    # A country named both as attending and as invited is drawn as attending.
    return frame.assign(rank=rank).sort_values(["rank", "country"]).drop_duplicates("country").drop(columns="rank")


def _region_items(ctx: ReportContext, table: pd.DataFrame) -> Markup:
    items = [
        ctx.t("chapter.delegations.region_item", region=ctx.label("world_regions", r.region), n=int(r.delegations))
        for r in table.itertuples()
    ]
    return fmt_list(items, ctx.lang)


def _delegations_map(
    ctx: ReportContext, host_rows: pd.DataFrame, visiting: pd.DataFrame, countries: dict | None
) -> list[Markup]:
    """The map of the named delegations (or the sentence saying why there is none) and the regions in words."""
    ds, year, lang = ctx.ds, ctx.year, ctx.lang
    out: list[Markup] = []
    by_region = an.delegations_by_region(ds, year)
    if not by_region.empty:
        went, invited_only = by_region[by_region["status"] == "attended"], by_region[by_region["status"] != "attended"]
        sentences = []
        if not went.empty:
            sentences.append(ctx.t("chapter.delegations.regions_attended", items=_region_items(ctx, went)))
        if not invited_only.empty:
            sentences.append(ctx.t("chapter.delegations.regions_invited", items=_region_items(ctx, invited_only)))
        out.append(paragraph(*sentences))

    named = _map_categories(host_rows, visiting)
    n_visiting = int((named["category"] != "host").sum())
    if n_visiting < MAP_MIN_COUNTRIES:
        out.append(
            paragraph(
                ctx.t(
                    "chapter.delegations.map_few",
                    named=count_phrase(n_visiting, "country", lang),
                    minimum=MAP_MIN_COUNTRIES,
                )
            )
        )
        return out
    path = None if ctx.data_dir is None else geo.shapes_path(ctx.data_dir)
    if path is None or not path.is_file():
        out.append(paragraph(ctx.t("chapter.delegations.map_no_shapes", file=geo.SHAPES_FILE)))
        return out
    shapes = geo.load_shapes(path)
    labels = {k: text(f"chapter.delegations.map_{k}", lang) for k in MAP_CATEGORIES}
    ax = charts.world_map(
        named,
        country="country",
        category="category",
        category_labels=labels,
        shapes=shapes,
        order=[k for k in MAP_CATEGORIES if k in set(named["category"])],
        rtl=ctx.rtl,
        no_data_label=text("chapter.delegations.map_none", lang),
    )
    counts = named["category"].value_counts()
    attended, invited = int(counts.get("attended", 0)), int(counts.get("invited_only", 0))
    caption = [text("chapter.delegations.map_caption", lang)]
    named_countries = count_phrase(attended, "country", lang)
    if countries is None:
        caption.append(text("chapter.delegations.map_count_none", lang, named=named_countries))
    elif fi.TIMING_CLASS.get(countries["timing"]) == "expected":
        announced = qualified_count(countries["value"], countries["qualifier"], "country", lang)
        caption.append(text("chapter.delegations.map_count_expected", lang, countries=announced, named=named_countries))
    else:
        total = qualified_count(countries["value"], countries["qualifier"], "country", lang)
        rest = int(countries["value"]) - attended
        if rest > 0:
            caption.append(
                text(
                    "chapter.delegations.map_count",
                    lang,
                    countries=total,
                    named=fmt_int(attended, lang),
                    rest=qualified(rest, countries["qualifier"], lang),
                )
            )
        else:
            caption.append(text("chapter.delegations.map_count_all", lang, countries=total, named=named_countries))
    if invited:
        caption.append(text("chapter.delegations.map_invited", lang, invited=count_phrase(invited, "country", lang)))
    hidden = geo.missing_shapes(shapes, list(named["country"]))
    if hidden:
        caption.append(
            text(
                "chapter.delegations.map_hidden",
                lang,
                names=text("list.separator", lang).join(_country(ctx, c) for c in hidden),
            )
        )
    went = by_region[by_region["status"] == "attended"]
    hosts = named.loc[named["category"] == "host", "country"]
    alt = text(
        "chapter.delegations.map_alt",
        lang,
        year=year,
        host=text("list.separator", lang).join(_country(ctx, c) for c in hosts) or text("list.none", lang),
        named=named_countries,
        regions=text("list.separator", lang).join(
            text("chapter.delegations.region_item", lang, region=ctx.label("world_regions", r.region), n=r.delegations)
            for r in went.itertuples()
        )
        or text("list.none", lang),
        # No sentence about invitations when no country is named only as invited (never "0 countries").
        invited=text("chapter.delegations.map_alt_invited", lang, invited=count_phrase(invited, "country", lang))
        if invited
        else "",
    )
    out.append(ctx.figure(ax, "delegations_map", " ".join(caption), alt))
    return out


# --- 4. the messaging ------------------------------------------------------------------------------------


@register(REPORT, "messaging")
def messaging(ctx: ReportContext) -> Section:
    """Frames, stance, who blames whom and regions (claims, statements, codebook); not for a thin edition."""
    if not applies(ctx, "messaging"):
        return Section("")
    ds, year, lang = ctx.ds, ctx.year, ctx.lang
    claims = an.claims_for(ds, year)
    speakers = claims["speaker_en"].nunique()
    statements = ds.statements[ds.statements["year"] == year]
    uncoded = statements[~statements["statement_id"].isin(claims["statement_id"])]
    parts = [
        _meaning(ctx, "messaging"),
        paragraph(
            ctx.t(
                "chapter.messaging.intro",
                year=year,
                claims=count_phrase(len(claims), "claim", lang),
                statements=count_phrase(claims["statement_id"].nunique(), "statement", lang),
                speakers=count_phrase(speakers, "speaker", lang),
            ),
            ctx.t("chapter.messaging.uncoded", names=fmt_list(uncoded[ctx.column("speaker")], lang))
            if not uncoded.empty
            else "",
        ),
    ]
    stance = an.stance_counts(ds, year)
    stance_items = [
        ctx.t(f"chapter.messaging.stance_{s}", n=int(stance[s]))
        for s in ("critical", "supportive", "neutral")
        if stance.get(s, 0)
    ]
    parts.append(
        paragraph(
            ctx.t(
                "chapter.messaging.stance",
                total=count_phrase(len(claims), "claim", lang),
                items=fmt_list(stance_items, lang),
            )
        )
    )

    parts.append(_speaker_frames(ctx, claims))
    parts.append(_sub(ctx, "chapter.messaging.blame_title"))
    parts.append(_blame(ctx, claims))

    regions = fi.region_ranking(ds, year)[:5]
    if regions:
        items = []
        for r in regions:
            inside = [
                ctx.t(
                    "chapter.messaging.region_inside_item",
                    region=ctx.label("claim_regions", k),
                    claims=count_phrase(n, "claim", lang),
                )
                for k, n in r["inside"]
            ]
            items.append(
                ctx.t(
                    "chapter.messaging.region_item" + ("_inside" if inside else ""),
                    region=ctx.label("claim_regions", r["region"]),
                    claims=count_phrase(r["claims"], "claim", lang),
                    inside=fmt_list(inside, lang),
                )
            )
        parts.append(paragraph(ctx.t("chapter.messaging.regions", items=fmt_list(items, lang))))
    parts.append(paragraph(ctx.t("chapter.messaging.claims_in_appendix")))
    return _section(ctx, "messaging", *parts)


def _speaker_order(ctx: ReportContext, claims: pd.DataFrame) -> list[tuple[str, tuple[int, str], int]]:
    """Speakers as (English name, block, claims), host first, organisations last, most claims first in a block.

    Blocks follow the codebook's speaker groups; a country in none is a block of its own, after them.
    """
    ds = ctx.ds
    host = set(an.host_countries(ds))
    order = [str(g["id"]) for g in an.speaker_groups(ds)]
    rows = []
    for name, group in claims.groupby("speaker_en", sort=True):
        first = group.iloc[0]
        country, region = first["country"], first["region"]
        actor = _actor(ctx, country, first["organisation"])
        gid = an.speaker_group_of(ds, None if is_missing(country) else country, None if is_missing(region) else region)
        if not is_missing(country) and country in host:
            block = (0, "")
        elif gid in order:
            block = (1 + order.index(gid), "")
        else:  # outside every group: one block per country, then per organisation
            block = (len(order) + (1 if not is_missing(country) else 2), actor)
        rows.append((str(name), block, len(group)))
    rows.sort(key=lambda r: (r[1], -r[2], r[0]))
    return rows


def _speaker_frames(ctx: ReportContext, claims: pd.DataFrame) -> Markup:
    """Speaker × frame heat map: rows grouped by country or group, frames by use; a sentence when too few claims."""
    ds, year, lang = ctx.ds, ctx.year, ctx.lang
    if _too_few(len(claims)):
        return paragraph(
            ctx.t(
                "chapter.messaging.heatmap_few",
                claims=count_phrase(len(claims), "claim", lang),
                minimum=fmt_int(TH.thin_claims, lang),
            )
        )
    matrix = an.frame_counts_by_speaker(ds, year)
    ordered = _speaker_order(ctx, claims)
    speakers = [name for name, _, _ in ordered]
    totals = matrix.sum(axis=0)
    frames = sorted(matrix.columns, key=lambda f: -int(totals[f]))  # stable: codebook order among equals
    matrix = matrix.reindex(index=speakers, columns=frames, fill_value=0)
    names = _speaker_names(ctx, claims)
    first = claims.drop_duplicates("speaker_en").set_index("speaker_en")
    row_labels = {
        name: ctx.text(
            "chapter.messaging.speaker_row",
            speaker=names[name],
            actor=_actor(ctx, first.at[name, "country"], first.at[name, "organisation"]),
            n=fmt_int(n, lang),
        )
        for name, _, n in ordered
    }
    breaks = [i for i in range(1, len(ordered)) if ordered[i][1] != ordered[i - 1][1]]
    shown = matrix.rename(index=row_labels, columns=lambda f: ctx.label("frames", f))
    ax = charts.heatmap(
        shown,
        xlabel=text("columns.frames", lang),
        ylabel=text("columns.speaker", lang),
        rtl=ctx.rtl,
        row_breaks=breaks,
    )
    stacked = matrix.rename(index=names, columns=lambda f: ctx.label("frames", f)).stack()
    stacked = stacked[stacked > 0].sort_values(ascending=False, kind="stable").head(5)
    sep = text("list.separator", lang)
    points = sep.join(f"{s} – {f}: {fmt_int(int(n), lang)}" for (s, f), n in stacked.items())
    top = frames[0]
    figure = ctx.figure(
        ax,
        "frames_by_speaker",
        text("chapter.messaging.heatmap_caption", lang),
        text(
            "chapter.messaging.heatmap_alt",
            lang,
            claims=count_phrase(len(claims), "claim", lang),
            speakers=count_phrase(len(speakers), "speaker", lang),
            frame=ctx.label("frames", top),
            n=fmt_int(int(totals[top]), lang),
            points=points,
        ),
    )
    ctx.save_table(matrix, "frames_by_speaker", index=True)
    return figure


def by_totals(matrix: pd.DataFrame) -> pd.DataFrame:
    """``matrix`` with rows and columns by total, largest first (by label among equal totals), axes unnamed."""
    rows = matrix.sum(axis=1).sort_index().sort_values(ascending=False, kind="stable").index
    columns = matrix.sum(axis=0).sort_index().sort_values(ascending=False, kind="stable").index
    out = matrix.loc[rows, columns]
    out.index.name, out.columns.name = None, None
    return out


def _blame(ctx: ReportContext, claims: pd.DataFrame) -> Markup:
    """Who blames whom: heat map sorted by totals, or a sentence when too few claims name an actor."""
    ds, year, lang = ctx.ds, ctx.year, ctx.lang
    pairs = an.blame_pairs(ds, year, by="country")
    if pairs.empty:
        return paragraph(ctx.t("chapter.messaging.no_blame"))
    ctx.save_table(pairs, "who_blames_whom")
    sep = text("list.separator", lang)
    named = int(claims["targets"].map(lambda t: len(t) > 0 if isinstance(t, (list, tuple)) else False).sum())
    pairs = pairs.assign(
        source_name=[_actor(ctx, s, s) for s in pairs["source"]],
        target_name=[_target(ctx, t) for t in pairs["target"]],
    )
    if _too_few(named):
        items = [f"{r.source_name} → {r.target_name} ({fmt_int(r.claims, lang)})" for r in pairs.itertuples()]
        return paragraph(
            ctx.t(
                "chapter.messaging.blame_few",
                claims=count_phrase(named, "claim", lang),
                minimum=fmt_int(TH.thin_claims, lang),
                items=fmt_list(items, lang),
            )
        )
    pivot = pairs.pivot_table(index="source_name", columns="target_name", values="claims", aggfunc="sum", fill_value=0)
    pivot = by_totals(pivot)
    rows, columns = pivot.index, pivot.columns
    ax = charts.heatmap(
        pivot.astype(int), xlabel=text("columns.targets", lang), ylabel=text("columns.country", lang), rtl=ctx.rtl
    )
    points = sep.join(
        f"{r.source_name} → {r.target_name}: {fmt_int(r.claims, lang)}" for r in pairs.head(5).itertuples()
    )
    return ctx.figure(
        ax,
        "who_blames_whom",
        text("chapter.messaging.blame_caption", lang),
        text(
            "chapter.messaging.blame_alt",
            lang,
            claims=count_phrase(named, "claim", lang),
            source=rows[0],
            target=columns[0],
            points=points,
        ),
    )


def _speaker_names(ctx: ReportContext, claims: pd.DataFrame) -> dict[str, str]:
    return dict(zip(claims["speaker_en"], claims[ctx.column("speaker")], strict=True))


# --- 5. partners side by side ---------------------------------------------------------------------------


@register(REPORT, "partners")
def partners(ctx: ReportContext) -> Section:
    """The codebook's speaker groups side by side, with counts beside every share (claims, statements)."""
    if not applies(ctx, "partners"):
        return Section("")
    ds, year, lang = ctx.ds, ctx.year, ctx.lang
    table = an.partner_comparison(ds, year)
    names = _speaker_names(ctx, an.claims_for(ds, year))
    small = [
        _group_label(ctx, g) for g, n in zip(table["group"], table["claims"], strict=True) if n < TH.min_group_claims
    ]
    parts = [
        _meaning(ctx, "partners"),
        paragraph(
            ctx.t(
                "chapter.partners.intro",
                minimum=count_phrase(TH.min_group_claims, "claim", lang),
                gap=count_phrase(round(TH.min_points_group * 100), "point", lang),
            ),
            ctx.t("chapter.partners.small", groups=fmt_list(small, lang)) if small else "",
        ),
    ]
    shown = pd.DataFrame(
        {
            ctx.col("group"): [_group_label(ctx, g) for g in table["group"]],
            ctx.col("speakers"): [text("list.separator", lang).join(names[s] for s in sp) for sp in table["speakers"]],
            ctx.col("claims"): [fmt_int(n, lang) for n in table["claims"]],
            ctx.col("top_frames"): [
                text("list.separator", lang).join(ctx.labels("frames", f)) for f in table["top_frames"]
            ],
            ctx.col("top_targets"): [text("list.separator", lang).join(_targets(ctx, t)) for t in table["top_targets"]],
            ctx.col("critical_share"): [
                ctx.t("chapter.partners.share_cell", pct=fmt_percent(s, lang), k=int(k), n=int(n))
                for s, k, n in zip(table["critical_share"], table["critical"], table["claims"], strict=True)
            ],
        }
    )
    parts.append(ctx.table(shown, "partners", text("chapter.partners.caption", lang), raw=table))
    return _section(ctx, "partners", *parts)


# --- 6. what changed -------------------------------------------------------------------------------------


@register(REPORT, "changes")
def changes(ctx: ReportContext) -> Section:
    """What changed since the previous held edition: comparable figures only, Western participation, frames."""
    ds, year, lang = ctx.ds, ctx.year, ctx.lang
    previous = an.previous_edition_year(ds, year)
    if previous is None:
        return _section(ctx, "changes", paragraph(ctx.t("chapter.changes.first")))
    parts = [_meaning(ctx, "changes")]
    table = fi.figure_changes(ds, year, TH)
    stated, withheld = [], []
    for r in table.itertuples():
        label = text(f"metric.{r.metric}", lang)
        if r.direction in ("up", "down", "similar"):
            same = r.before == r.after and r.before_qualifier == r.after_qualifier
            stated.append(
                ctx.t(
                    "chapter.changes.metric_same" if same else f"chapter.changes.metric_{r.direction}",
                    metric=label,
                    before=qualified(r.before, r.before_qualifier, lang),
                    after=qualified(r.after, r.after_qualifier, lang),
                )
            )
        elif r.reason in ("timing", "qualifier"):
            withheld.append(
                ctx.t(
                    f"chapter.changes.withheld_{r.reason}",
                    metric=label,
                    before=qualified(r.before, r.before_qualifier, lang),
                    after=qualified(r.after, r.after_qualifier, lang),
                    before_timing=text(f"timing.{r.before_timing}", lang),
                    after_timing=text(f"timing.{r.after_timing}", lang),
                )
            )
    if stated:
        parts.append(paragraph(ctx.t("chapter.changes.metrics", previous=previous, items=fmt_list(stated, lang))))
    if withheld:
        parts.append(
            paragraph(ctx.t("chapter.changes.withheld", change=fmt_percent(TH.min_relative_change, lang)))
            + bullet_list(withheld)
        )
    n_now, n_before = len(an.claims_for(ds, year)), len(an.claims_for(ds, previous))
    if min(n_now, n_before) < TH.min_claims_shift:
        parts.append(
            paragraph(
                ctx.t(
                    "chapter.changes.frames_not_compared",
                    previous=previous,
                    before=count_phrase(n_before, "claim", lang),
                    after=count_phrase(n_now, "claim", lang),
                    minimum=count_phrase(TH.min_claims_shift, "claim", lang),
                )
            )
        )
    elif not [f for f in _findings(ctx) if f.kind in ("frame_shift", "new_frame")]:
        parts.append(paragraph(ctx.t("chapter.changes.frames_stable", previous=previous)))
    speakers = sorted(
        set(ds.statements.loc[ds.statements["year"] == year, "speaker_en"])
        & set(ds.statements.loc[ds.statements["year"] == previous, "speaker_en"])
    )
    if speakers:
        local = dict(zip(ds.statements["speaker_en"], ds.statements[ctx.column("speaker")], strict=True))
        parts.append(
            paragraph(
                ctx.t("chapter.changes.speakers", previous=previous, items=fmt_list([local[s] for s in speakers], lang))
            )
        )
    return _section(ctx, "changes", *parts)


# --- 7. checking the article ------------------------------------------------------------------------------


@register(REPORT, "checks")
def article_checks(ctx: ReportContext) -> Section:
    """The article attached to this edition, its statements checked against the sources (articles, article_checks)."""
    article = _article(ctx)
    if article is None:
        return Section("")
    ds, lang = ctx.ds, ctx.lang
    checks = ds.article_checks
    table = pd.DataFrame(
        {
            ctx.col("article_says"): checks[ctx.column("article_says")],
            ctx.col("verdict"): [
                Markup('<span class="verdict verdict-{}">{}</span>').format(v, text(f"verdict.{v}", lang))
                for v in checks["verdict"]
            ],
            ctx.col("finding"): checks[ctx.column("finding")],
            ctx.col("sources"): [ctx.cite(s) for s in checks["source_ids"]],
        }
    )
    return _section(
        ctx,
        "checks",
        _meaning(ctx, "checks"),
        paragraph(ctx.t("chapter.checks.intro", title=ctx.local(article, "title"))),
        ctx.table(table, "article_checks", text("chapter.checks.caption", lang), raw=checks),
    )


# --- 8. conclusion -----------------------------------------------------------------------------------------


@register(REPORT, "conclusion")
def conclusion(ctx: ReportContext) -> Section:
    """What the edition signified: the article's theses (where one is attached) tested against the findings."""
    ds, year, lang = ctx.ds, ctx.year, ctx.lang
    ed = an.edition(ds, year)
    found = _findings(ctx)
    article = _article(ctx)
    number = ordinal(int(ed["number"]), lang)
    parts = []
    qualified_answer = any(f.kind == "participation" and f.variant == "down" for f in found) or any(
        f.kind == "group" and f.variant == "less_critical" for f in found
    )
    if article is not None:
        parts.append(
            paragraph(
                ctx.t("chapter.conclusion.question_article", thesis=ctx.local(article, "thesis")),
                ctx.t("chapter.conclusion.answer_partly" if qualified_answer else "chapter.conclusion.answer_holds"),
            )
        )
    else:
        parts.append(paragraph(ctx.t("chapter.conclusion.question", ordinal=number, year=year)))

    participation = [
        f for f in found if f.kind == "participation" and f.values["metric"] in ("countries", "defence_ministers")
    ]
    countries = an.figure_value(ds, year, "countries")
    if participation:
        verdict = (
            "fewer"
            if all(f.variant == "down" for f in participation)
            else ("more" if all(f.variant == "up" for f in participation) else "mixed")
        )
        parts.append(
            paragraph(
                ctx.t(
                    f"chapter.conclusion.isolation_{verdict}",
                    countries=_amount(ctx, "countries", countries["value"], countries["qualifier"])
                    if countries is not None
                    else "",
                ),
                Markup(" ").join(finding_sentence(ctx, f) for f in participation),
            )
        )
    elif countries is not None:
        parts.append(
            paragraph(
                ctx.t(
                    "chapter.conclusion.isolation_untested",
                    countries=_amount(ctx, "countries", countries["value"], countries["qualifier"]),
                    change=fmt_percent(TH.min_relative_change, lang),
                )
            )
        )
    wf = next(f for f in found if f.kind == "western")
    parts.append(paragraph(finding_sentence(ctx, wf)))

    if _thin(ctx):
        parts.append(paragraph(finding_sentence(ctx, next(f for f in found if f.kind == "thin"))))
    else:
        top = next((f for f in found if f.kind == "top_frame"), None)
        blame = next((f for f in found if f.kind == "blame"), None)
        message = [finding_sentence(ctx, f) for f in (top, blame) if f is not None]
        groups = [f for f in found if f.kind == "group"]
        less = [f for f in groups if f.variant == "less_critical"]
        if less:
            message.append(
                ctx.t(
                    "chapter.conclusion.chorus_split",
                    host=_group_label(ctx, less[0].values["host_group"]),
                    share=_of(ctx, less[0].values["host_critical"], less[0].values["host_claims"]),
                    groups=fmt_list(
                        [
                            ctx.t(
                                "chapter.conclusion.group_share"
                                if f.values["critical"]
                                else "chapter.conclusion.group_share_none",
                                group=_group_label(ctx, f.values["group"]),
                                share=_of(ctx, f.values["critical"], f.values["claims"])
                                if f.values["critical"]
                                else count_phrase(f.values["claims"], "claim", lang),
                            )
                            for f in less
                        ],
                        lang,
                    ),
                )
            )
        elif (comparable := fi.groups_comparable(ds, year, TH)) is not None:
            # Groups large enough to compare, none differing enough, is another statement than none large enough.
            key = "chapter.conclusion.chorus_even" if comparable else "chapter.conclusion.chorus_untested"
            message.append(ctx.t(key, minimum=count_phrase(TH.min_group_claims, "claim", lang)))
        parts.append(paragraph(*message))
    art = next((f for f in found if f.kind == "article"), None)
    if art is not None:
        parts.append(paragraph(finding_sentence(ctx, art)))
    parts.append(paragraph(ctx.t("chapter.conclusion.caveat")))
    return _section(ctx, "conclusion", *parts)


# --- appendix ------------------------------------------------------------------------------------------------


@register(REPORT, "claims")
def claims_appendix(ctx: ReportContext) -> Section:
    """Appendix: every coded claim of the edition, grouped by speaker (claims, statements)."""
    if not applies(ctx, "claims"):
        return Section("")
    ds, year, lang = ctx.ds, ctx.year, ctx.lang
    claims = an.claims_for(ds, year)
    blocks = [paragraph(ctx.t("chapter.claims.intro", claims=count_phrase(len(claims), "claim", lang)))]
    for _speaker, sub in claims.groupby("speaker_en", sort=False):
        first = sub.iloc[0]
        who = ctx.t(
            "chapter.claims.speaker",
            speaker=first[ctx.column("speaker")],
            role=first[ctx.column("role")],
            country=_actor(ctx, first["country"], first["organisation"]),
            claims=count_phrase(len(sub), "claim", lang),
        )
        items = []
        for r in sub.itertuples(index=False):
            tags = Markup("").join(
                Markup('<span class="tag">{}</span>').format(ctx.label("frames", f)) for f in r.frames
            )
            items.append(
                Markup('{} <span class="tags">{}</span>{}').format(
                    getattr(r, ctx.column("paraphrase")), tags, ctx.cite(r.source_ids)
                )
            )
        blocks.append(
            Markup('<details class="speaker-claims"><summary>{}</summary>{}</details>').format(who, bullet_list(items))
        )
    ctx.save_table(claims, "claims")
    return _section(ctx, "claims", *blocks)


@register(REPORT, "conflicts")
def conflicts_appendix(ctx: ReportContext) -> Section:
    """Appendix: every disputed figure of every edition, one row per edition and figure (figures)."""
    if not applies(ctx, "conflicts"):
        return Section("")
    ds, lang = ctx.ds, ctx.lang
    conflicts = an.figure_conflicts(ds)
    rows = []
    for (year, metric), group_ in conflicts.groupby(["year", "metric"], sort=True):
        used = group_[group_["used"]]
        reported = text("list.separator", lang).join(
            ctx.text(
                "chapter.conflicts.reported_item",
                value=qualified(r.value, r.qualifier, lang),
                timing=text(f"timing.{r.timing}", lang),
            )
            for r in group_.itertuples()
        )
        rows.append(
            {
                ctx.col("year"): int(year),
                ctx.col("metric"): text(f"metric.{metric}", lang),
                ctx.col("reported"): reported,
                ctx.col("used"): ""
                if used.empty
                else qualified(used.iloc[0]["value"], used.iloc[0]["qualifier"], lang),
                ctx.col("sources"): ctx.cite(an.cited_sources(group_)),
            }
        )
    return _section(
        ctx,
        "conflicts",
        paragraph(ctx.t("chapter.conflicts.intro")),
        ctx.table(pd.DataFrame(rows), "figure_conflicts", text("chapter.conflicts.caption", lang), raw=conflicts),
    )


@register(REPORT, "method")
def method(ctx: ReportContext) -> Section:
    """Data and method: the tables, the groups, the strength tests and thresholds, codebook, caveats, sources."""
    ds, year, lang = ctx.ds, ctx.year, ctx.lang
    parts = [
        paragraph(
            ctx.t(
                "chapter.method.data",
                editions=count_phrase(len(ds.years), "edition", lang),
                figures=count_phrase(len(ds.figures), "figure", lang),
                delegations=count_phrase(len(ds.delegations), "delegation", lang),
                statements=count_phrase(len(ds.statements), "statement", lang),
                claims=count_phrase(len(ds.claims), "claim", lang),
                sources=count_phrase(len(ds.sources), "source", lang),
            )
        ),
        paragraph(ctx.t("chapter.method.coding")),
    ]
    parts.append(_sub(ctx, "chapter.method.groups_title"))
    rules = [
        ctx.t("chapter.method.group_item", label=g[ctx.column("label")], rule=g[ctx.column("rule")])
        for g in fi.groups(ds)
        if g.get("kind") == "states" and ctx.column("rule") in g
    ]
    speaker_groups = [g[ctx.column("label")] for g in fi.speaker_groups(ds)]
    if speaker_groups:
        rules.append(ctx.t("chapter.method.speaker_groups", groups=fmt_list(speaker_groups, lang)))
    parts.append(bullet_list(rules))
    parts.append(_sub(ctx, "chapter.method.tests_title"))

    def pct(x):
        return fmt_percent(x, lang)

    def points(x):
        return count_phrase(round(x * 100), "point", lang)

    parts.append(
        paragraph(ctx.t("chapter.method.tests_intro"))
        + bullet_list(
            [
                ctx.t(
                    "chapter.method.test_participation",
                    change=pct(TH.min_relative_change),
                    window=count_phrase(TH.participation_window, "edition", lang),
                ),
                ctx.t("chapter.method.test_more_than"),
                ctx.t(
                    "chapter.method.test_shift",
                    minimum=count_phrase(TH.min_claims_shift, "claim", lang),
                    confidence=pct(TH.confidence),
                    points=points(TH.min_points_shift),
                ),
                ctx.t(
                    "chapter.method.test_groups",
                    minimum=count_phrase(TH.min_group_claims, "claim", lang),
                    points=points(TH.min_points_group),
                ),
                ctx.t("chapter.method.test_new", minimum=count_phrase(TH.min_new_frame_claims, "claim", lang)),
                ctx.t("chapter.method.test_ties"),
                ctx.t("chapter.method.test_regions"),
                ctx.t("chapter.method.test_thin", minimum=count_phrase(TH.thin_claims, "claim", lang)),
                ctx.t("chapter.method.test_score", low=TH.key_min, high=TH.key_max),
            ]
        )
    )
    codebook = pd.DataFrame(
        {
            ctx.col("frame"): ds.frames[ctx.column("label")],
            ctx.col("definition"): ds.frames[ctx.column("definition")],
            ctx.col("lexicon"): [
                text("list.separator", lang).join(lex.get(lang, lex.get("en", []))[:4]) for lex in ds.frames["lexicon"]
            ],
        }
    )
    parts.append(
        ctx.table(
            codebook, "codebook", text("chapter.method.codebook_caption", lang), raw=ds.frames.drop(columns="lexicon")
        )
    )
    parts.append(_sub(ctx, "chapter.method.reliability_title"))
    parts.append(paragraph(*_reliability(ctx)))
    cited = [s for _, s in ctx.citations.numbered()]
    sources = ds.sources.set_index("source_id").loc[cited] if cited else ds.sources.iloc[0:0]
    unverified = int((sources["reliability"] == "unverified").sum())
    caveats = [
        ctx.t("chapter.method.caveat_sources", unverified=unverified, sources=count_phrase(len(cited), "source", lang)),
        ctx.t("chapter.method.caveat_paraphrase"),
    ]
    countries = an.figure_value(ds, year, "countries")
    named = an.delegations_for(ds, year, attended_only=True, visiting_only=True)["country"].notna().sum()
    if countries is not None and named:
        caveats.append(
            ctx.t(
                "chapter.method.caveat_coverage",
                year=year,
                named=int(named),
                countries=qualified(countries["value"], countries["qualifier"], lang),
            )
        )
    parts.append(_sub(ctx, "chapter.method.caveats_title") + bullet_list(caveats))
    parts.append(
        _sub(ctx, "chapter.method.sources_title")
        + paragraph(ctx.t("chapter.method.sources_intro", sources=count_phrase(len(cited), "source", lang)))
        + _source_list(ctx)
    )
    return _section(ctx, "method", *parts)


def _source_list(ctx: ReportContext) -> Markup:
    sources = ctx.ds.sources.set_index("source_id")
    items = []
    for number, source_id in ctx.citations.numbered():
        s = sources.loc[source_id]
        date = "" if is_missing(s["date"]) else ctx.text("chapter.method.source_date", date=s["date"])
        reliability = ctx.text("chapter.method.unverified") if s["reliability"] == "unverified" else ""
        entry = ctx.t(
            "chapter.method.source_item",
            title=s["title"],
            publisher=s["publisher"],
            date=date,
            language=ctx.language_name(s["language"]),
            kind=ctx.text(f"source_kind.{s['kind']}"),
            reliability=reliability,
        )
        items.append(
            Markup(
                '<li id="src-{0}" value="{0}">{1} <a href="{2}" rel="noreferrer" dir="ltr"><bdi>{2}</bdi></a></li>'
            ).format(number, entry, s["url"])
        )
    return Markup('<ol class="sources">{}</ol>').format(Markup("").join(items))


__all__ = ["APPLIES", "REPORT", "applies", "finding_sentence"]
