"""mcis-report: sourced data, analysis, charts and reports on the Moscow Conference on International Security.

The Moscow Conference on International Security (MCIS) and the multipolarity messaging of its speakers.

Import what you need; heavy modules load on first use so the command line stays quick::

    import mcis_report
    ds = mcis_report.load_dataset("data")
    mcis_report.analysis.frame_counts_by_speaker(ds, 2023)

Importing the package or any of its modules changes no global state (matplotlib backend, ``rcParams``,
warnings filters). The public API and its stability rules are listed in ``docs/api.md``.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_LAZY = {
    "load_dataset": ("dataset", "load_dataset"),
    "check_dataset": ("dataset", "check_dataset"),
    "Dataset": ("dataset", "Dataset"),
    "DataValidationError": ("dataset", "DataValidationError"),
    "Problem": ("loading", "Problem"),
}
_SUBMODULES = {"analysis", "charts", "narrative", "i18n", "report", "build", "dataset", "coding", "tables"}

__all__ = [
    "DataValidationError",
    "Dataset",
    "Problem",
    "__version__",
    "analysis",
    "build",
    "charts",
    "check_dataset",
    "coding",
    "dataset",
    "i18n",
    "load_dataset",
    "narrative",
    "report",
    "tables",
]


def __getattr__(name: str):
    if name in _LAZY:
        module, attribute = _LAZY[name]
        return getattr(importlib.import_module(f".{module}", __name__), attribute)
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'mcis_report' has no attribute {name!r}")
