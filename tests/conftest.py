"""Shared pytest fixtures."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def mini_dir() -> Path:
    """The small valid dataset in tests/fixtures/mini (read it, never edit it)."""
    return FIXTURES / "mini"


@pytest.fixture
def broken_copy(tmp_path: Path, mini_dir: Path) -> Callable[..., Path]:
    """Factory: copy the mini dataset into ``tmp_path`` and return the new folder, ready to be edited."""

    def make(name: str = "data") -> Path:
        target = tmp_path / name
        shutil.copytree(mini_dir, target)
        return target

    return make
