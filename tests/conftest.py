"""Shared pytest fixtures."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


@pytest.fixture(scope="session")
def mini_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every edition of the small data set built in both languages, once per test session.

    Shared by the end-to-end tests: read it, or copy it before changing anything in it.
    """
    from mcis_report import cli

    out = tmp_path_factory.mktemp("mini-reports") / "out"
    code = cli.main(["build", "--data", str(MINI), "--out", str(out), "--edition", "all", "--lang", "all",
                     "--jobs", "2"])
    assert code == 0
    return out


@pytest.fixture
def mini_dir() -> Path:
    """The small valid dataset in tests/fixtures/mini (read it, never edit it)."""
    return MINI


@pytest.fixture
def broken_copy(tmp_path: Path, mini_dir: Path) -> Callable[..., Path]:
    """Factory: copy the mini dataset into ``tmp_path`` and return the new folder, ready to be edited."""

    def make(name: str = "data") -> Path:
        target = tmp_path / name
        shutil.copytree(mini_dir, target)
        return target

    return make
