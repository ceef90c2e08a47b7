"""Table specifications: the columns of every data file, their types and rules (data layer).

One declarative description serves the validator, the loader's type conversion and the data
dictionary test, so a column's rules are written down exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

# Column kinds understood by the validator.
#   text    free text                       id      unique key matching `pattern`
#   int     whole number                    bool    true/false
#   date    YYYY-MM-DD                      pdate   YYYY-MM-DD, YYYY-MM or YYYY (publication dates)
#   enum    one of `choices`                list    ";"-separated items, each in `ref` (or `choices`)
#   alpha3  ISO 3166-1 alpha-3 code known to pycountry
# Any column may also name a `ref` ("table.column" or "codebook.<section>"): its value (or each item
# of a list) must exist there.
#   lang    ISO 639-1 language code         url     http(s) address


@dataclass(frozen=True)
class Column:
    """One column of a data file: its kind and the rules its values follow."""

    name: str
    kind: str = "text"
    required: bool = True
    pattern: str | None = None
    choices: tuple[str, ...] = ()
    ref: str | None = None  # "table.column" or "codebook.<section>"
    min_value: int | None = None
    max_value: int | None = None
    min_items: int = 0
    template: str = ""  # the description; ``{language}`` names the column's language
    language: str | None = None  # for a localised column (see :func:`localised`)

    @property
    def description(self) -> str:
        """What the column holds, in English (a localised column's language named from CLDR on demand)."""
        if self.language is None:
            return self.template
        return self.template.format(language=language_name(self.language))


@dataclass(frozen=True)
class Table:
    """One data file: its columns, key and description.

    An ``optional`` table may be left out of a data folder: the dataset then holds it empty (with its
    columns), so a forum that has no such data still loads.
    """

    name: str
    file: str
    columns: tuple[Column, ...]
    key: str | None = None
    description: str = ""
    cites_sources: bool = True
    extra: dict = field(default_factory=dict)
    optional: bool = False

    @property
    def column_names(self) -> list[str]:
        """The columns' names, in file order."""
        return [c.name for c in self.columns]


def _sources() -> Column:
    return Column(
        "source_ids",
        "list",
        ref="sources.source_id",
        min_items=1,
        template="Sources for the row, ';'-separated ids from sources.csv",
    )


#: Languages in which the data's localised columns are written (``venue_en``, ``venue_ar``, …). A report
#: language must be one of these (and have a catalogue): see ``i18n.check_language``.
DATA_LANGUAGES = ("en", "ar")


@cache
def language_name(lang: str) -> str:
    """English name of a language code (``"ar"`` -> ``"Arabic"``), from CLDR via Babel.

    Cached: the table specs call it for every localised column when the module is imported.
    """
    from babel import Locale

    return str(Locale.parse(lang).get_display_name("en"))


def localised(stem: str, description: str, *, kind: str = "text", required: bool = True) -> tuple[Column, ...]:
    """One column per data language, ``<stem>_<lang>``; ``{language}`` in ``description`` names the language."""
    return tuple(
        Column(
            localised_name(stem, lang),
            kind,
            required=required,
            template=description,
            language=lang,
        )
        for lang in DATA_LANGUAGES
    )


def localised_name(stem: str, lang: str) -> str:
    """The column holding ``stem`` in ``lang``: ``localised_name("paraphrase", "ar") == "paraphrase_ar"``."""
    return f"{stem}_{lang}"


LANGUAGE_CODES_NOTE = "ISO 639-1 code known to pycountry"

SOURCES = Table(
    "sources",
    "sources.csv",
    (
        Column("source_id", "id", pattern=r"^S\d{3,}$", template="Source id, S + three or more digits"),
        Column("title", template="Short descriptive title"),
        Column("publisher", template="Publishing organisation or outlet"),
        Column("url", "url", template="Address of the page"),
        Column("date", "pdate", required=False, template="Publication date (YYYY-MM-DD, YYYY-MM or YYYY)"),
        Column("language", "lang", template=LANGUAGE_CODES_NOTE),
        Column(
            "kind",
            "enum",
            choices=("official", "wire", "news", "analysis", "blog"),
            template="Type of source",
        ),
        Column(
            "reliability",
            "enum",
            choices=("confirmed", "unverified"),
            template="unverified = single weak source (blog, aggregator, repost) or year unclear",
        ),
        Column("note", required=False, template="Free note"),
    ),
    key="source_id",
    description="Every source cited by any other table.",
    cites_sources=False,
)

WESTERN_PARTICIPATION = ("participated", "partial", "boycotted", "not_invited", "not_applicable")

EDITIONS = Table(
    "editions",
    "editions.csv",
    (
        Column("year", "int", min_value=2000, max_value=2100, template="Calendar year; one row per year of the series"),
        Column(
            "number",
            "int",
            required=False,
            min_value=1,
            max_value=99,
            template="Edition number (I = 1); empty for a year with no conference",
        ),
        Column("status", "enum", choices=("held", "not_held"), template="Whether the conference took place"),
        Column("start_date", "date", required=False, template="First day (YYYY-MM-DD)"),
        Column("end_date", "date", required=False, template="Last day (YYYY-MM-DD)"),
        *localised("venue", "Venue, {language}", required=False),
        *localised("theme", "Central theme or official title, {language} (our wording)", required=False),
        *localised(
            "topics",
            "Main topics, ';'-separated, {language} (same order in every language)",
            kind="list",
            required=False,
        ),
        Column(
            "western_participation",
            "enum",
            choices=WESTERN_PARTICIPATION,
            template="Participation of Western/NATO governments",
        ),
        *localised("western_evidence", "What the evidence says, {language}", required=False),
        *localised("dates_note", "Conflicting dates reported, {language}", required=False),
        _sources(),
    ),
    key="year",
    description="One row per year of the series, including years with no conference.",
)

METRICS = (
    "delegates",
    "countries",
    "organisations",
    "defence_ministers",
    "deputy_ministers_chiefs",
    "countries_invited",
    "countries_expected",
    "experts",
    "expert_countries",
)

FIGURES = Table(
    "figures",
    "figures.csv",
    (
        Column("year", "int", ref="editions.year", template="Edition year"),
        Column("metric", "enum", choices=METRICS, template="What is counted"),
        Column("value", "int", min_value=0, template="Reported value"),
        Column(
            "qualifier",
            "enum",
            choices=("exact", "approx", "more_than"),
            template="exact, approx (about) or more_than ('800+')",
        ),
        Column(
            "timing",
            "enum",
            choices=("pre_event", "at_event", "post_event", "retrospective"),
            template="When the figure was reported",
        ),
        Column("used", "bool", template="true for the one value per (year, metric) the report uses"),
        *localised("note", "Note, {language}", required=False),
        _sources(),
    ),
    description="Every reported headline figure, conflicting ones included.",
)

RANKS = (
    "head_of_state",
    "head_of_government",
    "minister",
    "deputy_minister",
    "chief_of_staff",
    "deputy_chief_of_staff",
    "service_chief",
    "senior_official",
    "expert",
    "other",
)
ATTENDANCE = ("in_person", "remote", "written", "invited_only")

DELEGATIONS = Table(
    "delegations",
    "delegations.csv",
    (
        Column("delegation_id", "id", pattern=r"^D\d{3,}$", template="Delegation id, D + three or more digits"),
        Column("year", "int", ref="editions.year", template="Edition year"),
        Column(
            "country",
            "alpha3",
            required=False,
            ref="countries.alpha3",
            template="ISO 3166-1 alpha-3 code (empty for an organisation)",
        ),
        Column(
            "organisation",
            "text",
            required=False,
            ref="codebook.organisations",
            template="Organisation id from codebook.yaml (empty for a country)",
        ),
        *localised("head", "Head of delegation, {language}", required=False),
        *localised("role", "Head's role at the time, {language}", required=False),
        Column("rank", "enum", choices=RANKS, template="Rank category of the head"),
        Column(
            "attendance",
            "enum",
            choices=ATTENDANCE,
            template="in_person, remote, written, or invited_only (attendance not confirmed)",
        ),
        Column("note_en", required=False, template="Note, English"),
        _sources(),
    ),
    key="delegation_id",
    description="Delegations named by a source, with their heads.",
    extra={"one_of": ("country", "organisation")},
)

FORMS = ("speech", "video_address", "written_greeting", "interview", "post_event_remarks")

STATEMENTS = Table(
    "statements",
    "statements.csv",
    (
        Column("statement_id", "id", pattern=r"^ST\d{3,}$", template="Statement id, ST + three or more digits"),
        Column("year", "int", ref="editions.year", template="Edition year"),
        Column("date", "date", required=False, template="Date given (YYYY-MM-DD), inside the edition's year"),
        *localised("speaker", "Speaker, {language}"),
        Column("country", "alpha3", required=False, ref="countries.alpha3", template="Speaker's country"),
        Column("organisation", "text", required=False, ref="codebook.organisations", template="Speaker's organisation"),
        *localised("role", "Role at the time, {language}"),
        Column("form", "enum", choices=FORMS, template="Form of the statement"),
        Column(
            "delegation_id",
            "text",
            required=False,
            ref="delegations.delegation_id",
            template="Delegation the speaker belonged to",
        ),
        *localised("session", "Session, {language}", required=False),
        _sources(),
    ),
    key="statement_id",
    description="Speeches, addresses, greetings and interviews at an edition.",
    extra={"one_of": ("country", "organisation")},
)

CLAIMS = Table(
    "claims",
    "claims.csv",
    (
        Column("claim_id", "id", pattern=r"^C\d{3,}$", template="Claim id, C + three or more digits"),
        Column("statement_id", "text", ref="statements.statement_id", template="Statement coded"),
        Column("frames", "list", ref="codebook.frames", min_items=1, template="Frame ids, ';'-separated"),
        Column(
            "targets",
            "list",
            required=False,
            ref="codebook.targets",
            template="Actors blamed or warned against, ';'-separated",
        ),
        Column(
            "regions",
            "list",
            ref="codebook.claim_regions",
            min_items=1,
            template="Regions referred to, ';'-separated",
        ),
        Column(
            "stance",
            "enum",
            choices=("critical", "supportive", "neutral"),
            template="critical, supportive or neutral",
        ),
        Column(
            "article_points",
            "list",
            required=False,
            ref="codebook.article_points",
            template="Points of the original article the claim bears on",
        ),
        *localised("paraphrase", "Our paraphrase, {language}"),
        _sources(),
        Column(
            "primary_text",
            "bool",
            template="true when a cited source is the speaker's own published text (transcript or the "
            "speaker's government's release of the speech)",
        ),
    ),
    key="claim_id",
    description="Coded content of statements.",
)

ARTICLE_CHECKS = Table(
    "article_checks",
    "article_checks.csv",
    (
        Column("check_id", "id", pattern=r"^K\d{2}$", template="Check id, K + two digits"),
        Column(
            "article_point",
            "text",
            required=False,
            ref="codebook.article_points",
            template="Article point concerned",
        ),
        *localised("article_says", "What the article states, our paraphrase, {language}"),
        Column(
            "verdict",
            "enum",
            choices=("supported", "partly_supported", "contradicted", "unverified"),
            template="What the sources show",
        ),
        *localised("finding", "Finding, {language}"),
        _sources(),
    ),
    key="check_id",
    description="The original article's statements checked against the sources.",
)

ARTICLES = Table(
    "articles",
    "articles.csv",
    (
        Column("article_id", "id", pattern=r"^A\d{2}$", template="Article id, A + two digits"),
        Column("edition", "int", ref="editions.year", template="Year of the edition the article discusses"),
        *localised("title", "Title as published ({language}: translated where the article is in another language)"),
        *localised("outlet", "Outlet that published it, {language}", required=False),
        Column("published", "pdate", required=False, template="Publication date (YYYY-MM-DD, YYYY-MM or YYYY)"),
        Column("language", "lang", template="Language the article is written in, " + LANGUAGE_CODES_NOTE),
        *localised("thesis", "The article's question and answer in one sentence, our paraphrase, {language}"),
        Column("note_en", required=False, template="What is not known about the article, English"),
    ),
    key="article_id",
    description="Articles the report answers; article_checks.csv checks the article whose id is A01.",
    cites_sources=False,
)

COUNTRIES = Table(
    "countries",
    "countries.csv",
    (
        Column("alpha3", "alpha3", template="ISO 3166-1 alpha-3 code (English name from pycountry)"),
        Column("name_ar", template="Usual Arabic name"),
        Column("region", "text", ref="codebook.world_regions", template="World region id"),
        _sources(),
    ),
    key="alpha3",
    description="Countries referred to anywhere in the data.",
)

MEMBERSHIPS = Table(
    "memberships",
    "memberships.csv",
    (
        Column("alpha3", "alpha3", ref="countries.alpha3", template="Member country"),
        Column("organisation", "text", ref="codebook.blocs", template="NATO, EU, SCO, BRICS, CSTO or CIS"),
        Column("joined", "int", min_value=1945, max_value=2100, template="Year of joining"),
        Column("left", "int", required=False, min_value=1945, max_value=2100, template="Year of leaving"),
        Column("note_en", required=False, template="Note, English"),
        _sources(),
    ),
    description="Bloc memberships with the years that matter.",
)

DIFFERENCE_KINDS = ("source_gap", "different_reading", "source_imbalance", "no_analysis", "none")
#: Kinds of source that can hold an expert reading (a wire report or an official page is not one).
READING_SOURCE_KINDS = ("analysis", "news", "blog")

EXPERT_READINGS = Table(
    "expert_readings",
    "expert_readings.csv",
    (
        Column("year", "int", ref="editions.year", template="Edition year; must be a held edition"),
        *localised("analyses", "Published analyses compared (outlets, authors), {language}"),
        *localised("agreement", "Where our codes agree with them, {language} (our words)"),
        *localised("difference", "Where our codes differ from them, and why, {language} (our words)"),
        Column(
            "difference_kind",
            "enum",
            choices=DIFFERENCE_KINDS,
            template="Why the codes differ: source_gap (texts not found), different_reading (same texts, "
            "another reading), source_imbalance (one source weighs too much), no_analysis (no expert reading "
            "found), none (no difference)",
        ),
        Column(
            "source_ids",
            "list",
            required=False,
            ref="sources.source_id",
            template="The analyses themselves, ';'-separated ids from sources.csv (kind analysis, news or "
            "blog); empty when no copy was found",
        ),
    ),
    description="The published expert analyses of each held edition compared with our codes.",
    cites_sources=False,  # an analysis known only by name has no source row
    optional=True,
)

# Order matters: a table may only reference tables listed before it (sources first).
TABLES: tuple[Table, ...] = (
    SOURCES,
    EDITIONS,
    FIGURES,
    COUNTRIES,
    MEMBERSHIPS,
    DELEGATIONS,
    STATEMENTS,
    CLAIMS,
    ARTICLE_CHECKS,
    ARTICLES,
    EXPERT_READINGS,
)
TABLES_BY_NAME = {t.name: t for t in TABLES}

CODEBOOK_FILE = "codebook.yaml"
#: Every file of the data folder that is read.
DATA_FILES = (CODEBOOK_FILE, *(t.file for t in TABLES))
CODEBOOK_SECTIONS = ("frames", "targets", "claim_regions", "world_regions", "organisations", "article_points")
#: Sections a codebook may have (a forum without them still validates): groups of states, speakers and regions.
OPTIONAL_CODEBOOK_SECTIONS = ("groups",)
LEXICON_LANGUAGES = ("en", "ar", "ru")
