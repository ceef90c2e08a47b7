"""The registry of report parts (presentation layer): which parts a report has, in which order.

A part is a function ``ReportContext -> Section`` registered under a report name. The notebooks
render ``parts(report)``, the table of contents lists them, and the tests and the benchmark iterate
the same list, so adding a chapter is a function, its ``@register`` line and its catalogue keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from .html import Section

if TYPE_CHECKING:
    from .context import ReportContext

Render = Callable[["ReportContext"], Section]


@dataclass(frozen=True)
class Part:
    """One part of a report: its anchor id (also part of its title's catalogue key) and its function."""

    report: str
    id: str
    render: Render
    toc: bool = True

    @property
    def title_key(self) -> str:
        """Catalogue key of the part's title: ``chapter.<id>.title`` (edition), ``<report>.<id>.title`` (others)."""
        return f"chapter.{self.id}.title" if self.report == "edition" else f"{self.report}.{self.id}.title"


_REGISTRY: dict[str, dict[str, Part]] = {}


def register(report: str, part_id: str, *, toc: bool = True) -> Callable[[Render], Render]:
    """Decorator: add a function to ``report``'s parts, after those registered before it."""

    def add(function: Render) -> Render:
        parts_of = _REGISTRY.setdefault(report, {})
        if part_id in parts_of:
            raise ValueError(f"part {part_id!r} is already registered for the {report} report")
        parts_of[part_id] = Part(report, part_id, function, toc)
        return function

    return add


def reports() -> tuple[str, ...]:
    """Names of the registered reports."""
    return tuple(_REGISTRY)


def parts(report: str) -> tuple[Part, ...]:
    """The parts of ``report`` in reading order."""
    if report not in _REGISTRY:
        raise KeyError(f"no report named {report!r} (registered: {', '.join(_REGISTRY)})")
    return tuple(_REGISTRY[report].values())


def iter_render(ctx: ReportContext, report: str) -> Iterator[Section]:
    """Render each part of ``report`` in order; an error says which part raised it."""
    for part in parts(report):
        try:
            yield part.render(ctx)
        except Exception as error:
            error.add_note(f"while rendering part {part.id!r} of the {report} report")
            raise


def render_report(ctx: ReportContext, report: str) -> Section:
    """The whole report body as one Section, and its ``artifacts.json`` written."""
    body = Section(Markup("\n").join(iter_render(ctx, report)))
    ctx.finish()
    return body
