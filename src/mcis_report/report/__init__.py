"""Report presentation package: context, HTML building blocks, the part registry and the reports' parts.

Typical use, in a report notebook::

    from mcis_report import report
    ctx = report.ReportContext.open(edition, lang, data_dir, output_dir)
    report.render_report(ctx, "edition")

and, for the report across editions, ``ReportContext.open_trends(lang, data_dir, output_dir)`` and
``render_report(ctx, "trends")``.
"""

from __future__ import annotations

from . import edition, trends
from .artifacts import MANIFEST, Artifacts, read_manifest, spreadsheet_safe
from .context import ParameterError, ReportContext
from .html import Section
from .registry import Part, iter_render, parts, register, render_report, reports

__all__ = [
    "MANIFEST",
    "Artifacts",
    "ParameterError",
    "Part",
    "ReportContext",
    "Section",
    "edition",
    "iter_render",
    "parts",
    "read_manifest",
    "register",
    "render_report",
    "reports",
    "spreadsheet_safe",
    "trends",
]
