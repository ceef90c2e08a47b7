"""The report context (presentation layer): one report's data, edition, language, citations and files.

A chapter reads the data through ``ctx.ds``, writes words through the translator methods (``t``,
``label``, ``col``…), cites through ``cite`` and saves figures and tables through ``figure`` and
``table`` — which also return the HTML that shows them.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
from markupsafe import Markup

from .. import charts
from ..dataset import Dataset, load_dataset
from ..i18n import check_language, languages, locale, text
from ..narrative import Citations, fmt_int, is_missing, is_rtl, sentence, text_list
from ..tables import localised_name
from . import html
from .artifacts import Artifacts

#: Folder of the report across editions under the output folder (beside the edition years).
TRENDS_FOLDER = "trends"

T = TypeVar("T")


class ParameterError(ValueError):
    """A report parameter outside its valid values."""


@dataclass
class ReportContext:
    """Everything a chapter needs: the data, the edition, the language and where its files go."""

    ds: Dataset
    year: int  # the edition reported on (for a report across editions, the latest one)
    lang: str
    out_dir: Path
    citations: Citations = field(default_factory=Citations)
    figure_count: int = 0
    table_count: int = 0
    data_dir: Path | None = None  # the data folder, for the files beside the tables (the reliability study)
    artifacts: Artifacts = field(init=False)
    _results: dict[Hashable, Any] = field(init=False, default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.artifacts = Artifacts(self.out_dir)

    def once(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` the first time ``key`` is asked for in this report, the same object afterwards.

        For results several chapters use (the findings): the data does not change while a report is
        rendered, and the context lives for one report only. Callers must not change what they get.
        """
        if key not in self._results:
            self._results[key] = compute()
        return self._results[key]  # type: ignore[no-any-return]

    @classmethod
    def open(
        cls,
        edition: int,
        lang: str,
        data_dir: str | Path,
        output_dir: str | Path,
        *,
        dataset: Dataset | None = None,
        folder: str | None = None,
    ) -> ReportContext:
        """Load the data, check the parameters and prepare ``<output_dir>/<edition>/<lang>``.

        ``dataset`` skips loading (already loaded from ``data_dir``); ``folder`` replaces the edition
        year in the output path (the trends report's ``trends``).
        """
        if lang not in languages():
            raise ParameterError(f"unknown language {lang!r} (valid: {', '.join(languages())})")
        problems = check_language(lang)
        if problems:
            raise ParameterError(f"language {lang!r} cannot be built: " + "; ".join(problems))
        ds = load_dataset(data_dir) if dataset is None else dataset
        if int(edition) not in ds.years:
            raise ParameterError(f"unknown edition {edition!r} (valid: {', '.join(map(str, ds.years))})")
        year = int(edition)
        out_dir = Path(output_dir) / (folder or str(year)) / lang
        out_dir.mkdir(parents=True, exist_ok=True)
        charts.set_theme()
        return cls(ds=ds, year=year, lang=lang, out_dir=out_dir, data_dir=Path(data_dir))

    @classmethod
    def open_trends(cls, lang: str, data_dir: str | Path, output_dir: str | Path) -> ReportContext:
        """Like :meth:`open`, for the report across editions: ``year`` is the latest edition.

        The files go to ``<output_dir>/trends/<lang>``.
        """
        ds = load_dataset(data_dir)
        ctx = cls.open(ds.years[-1], lang, data_dir, output_dir, dataset=ds, folder=TRENDS_FOLDER)
        return ctx

    @property
    def rtl(self) -> bool:
        """Whether the report reads right to left."""
        return is_rtl(self.lang)

    # --- words in the report's language -------------------------------------------------------
    def t(self, key: str, count: int | None = None, **values: object) -> Markup:
        """Catalogue sentence ``key`` with data values escaped and isolated."""
        return sentence(key, self.lang, count=count, **values)

    def text(self, key: str, count: int | None = None, **values: object) -> str:
        """Plain catalogue text (for chart labels, captions and alt text)."""
        return text(key, self.lang, count=count, **values)

    def label(self, section: str, item_id: str) -> str:
        """Codebook label (frames, targets, claim_regions, world_regions, organisations, article_points)."""
        table = getattr(self.ds, section)
        match = table.loc[table["id"] == item_id, self.column("label")]
        return str(match.iloc[0]) if not match.empty else str(item_id)

    def labels(self, section: str, ids: Iterable[str]) -> list[str]:
        """Codebook labels of several ids, in order."""
        return [self.label(section, i) for i in ids]

    def country(self, alpha3: str | None) -> str:
        """Country name in the report's language ('' for a missing code)."""
        if is_missing(alpha3):
            return ""
        match = self.ds.countries.loc[self.ds.countries["alpha3"] == alpha3, self.column("name")]
        return str(match.iloc[0]) if not match.empty else str(alpha3)

    def actor(self, country: str | None, organisation: str | None) -> str:
        """Country name, or the organisation's label when there is no country."""
        if not is_missing(country):
            return self.country(country)
        return self.label("organisations", str(organisation))

    def agree(self, key: str, alpha3: str | None) -> str:
        """``key``, or its ``_m`` variant when the country's name is grammatically masculine in this language.

        The catalogue lists such countries under ``grammar.masculine_countries`` (empty in English),
        so a verb whose subject is a country agrees with it (Arabic «دُعي العراق» / «دُعيت تركيا»).
        """
        masculine = text_list("grammar.masculine_countries", self.lang)
        return f"{key}_m" if alpha3 in masculine else key

    def language_name(self, code: str) -> str:
        """Name of a language in the report's language, from CLDR (``"ar"`` -> ``Arabic`` / «العربية»)."""
        return str(locale(self.lang).languages.get(code, code))

    def col(self, name: str) -> str:
        """Column header of a reader-facing table."""
        return text(f"columns.{name}", self.lang)

    def column(self, stem: str) -> str:
        """The data column holding ``stem`` in the report's language (``paraphrase`` -> ``paraphrase_ar``)."""
        return localised_name(stem, self.lang)

    def local(self, row: pd.Series | dict[str, Any], stem: str) -> Any:
        """The report-language value of a row (names, roles, paraphrases)."""
        return row[self.column(stem)]

    def cite(self, source_ids: Iterable[str]) -> Markup:
        """Footnote marks for ``source_ids``."""
        return self.citations.mark(source_ids)

    # --- figures and tables -------------------------------------------------------------------
    def figure(self, ax: Any, name: str, caption: str, alt: str) -> Markup:
        """Save the Axes' figure as PNG and SVG and return it as a numbered HTML figure."""
        import matplotlib.pyplot as plt

        fig = ax.figure
        self.figure_count += 1
        png = io.BytesIO()
        fig.savefig(png, format="png", metadata={"Software": None})
        # The PNG's draw placed every axes; the SVG keeps that layout instead of computing it again.
        fig.set_layout_engine("none")
        svg = io.BytesIO()
        fig.savefig(svg, format="svg", metadata={"Date": None})
        plt.close(fig)
        self.artifacts.write_bytes(f"figures/{name}.png", png.getvalue())
        self.artifacts.write_bytes(f"figures/{name}.svg", svg.getvalue())
        number = text("meta.figure", self.lang, n=fmt_int(self.figure_count, self.lang))
        png_base64 = base64.b64encode(png.getvalue()).decode("ascii")
        return html.figure(name, png_base64, number, caption, alt, svg_label=text("meta.file_svg", self.lang))

    def table(self, frame: pd.DataFrame, name: str, caption: str, raw: pd.DataFrame | None = None) -> Markup:
        """Render ``frame`` as a numbered table and save ``raw`` (or ``frame``) as ``tables/<name>.csv``."""
        self.save_table(raw if raw is not None else frame, name)
        self.table_count += 1
        number = text("meta.table", self.lang, n=fmt_int(self.table_count, self.lang))
        csv_label = text("meta.file_csv", self.lang)
        return html.table(name, frame.columns, frame.itertuples(index=False), number, caption, csv_label=csv_label)

    def save_table(self, frame: pd.DataFrame, name: str, *, index: bool = False) -> None:
        """Save a derived table as ``tables/<name>.csv`` without showing it."""
        self.artifacts.write_csv(f"tables/{name}.csv", frame, index=index)

    def finish(self) -> None:
        """Write the list of the report's files (``artifacts.json``)."""
        self.artifacts.save_manifest()
