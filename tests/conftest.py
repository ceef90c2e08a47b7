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
    code = cli.main(
        ["build", "--data", str(MINI), "--out", str(out), "--edition", "all", "--lang", "all", "--jobs", "2"]
    )
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


#: Claims added to the small data set's 2023 edition so that it is not thin (>= 10 claims): speaker
#: ST002 (the host) critical, ST003 (the guest) supportive, with a nested region (sahel inside africa).
RICH_CLAIMS = [
    "C1{i:02d},ST002,anti_hegemony,west,africa;sahel,critical,,The host said test claim {i}.,"
    "قال المضيف المقولة التجريبية {i}.,S002,false",
    "C2{i:02d},ST003,sovereignty,,global,supportive,,The guest said test claim {i}.,"
    "قال الضيف المقولة التجريبية {i}.,S002,false",
]


def make_rich(data: Path) -> Path:
    """Copy the small data set into ``data`` with 12 more 2023 claims (not thin) and the regions they need."""
    shutil.copytree(MINI, data)
    lines = [template.format(i=i) for i in range(6) for template in RICH_CLAIMS]
    with (data / "claims.csv").open("a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    codebook = (data / "codebook.yaml").read_text(encoding="utf-8")
    codebook = codebook.replace(
        "  - {id: europe, label_en: Europe, label_ar: أوروبا}\n",
        "  - {id: europe, label_en: Europe, label_ar: أوروبا}\n"
        "  - {id: africa, label_en: Africa, label_ar: أفريقيا}\n"
        "  - {id: sahel, label_en: the Sahel, label_ar: منطقة الساحل}\n",
    )
    codebook += "  - {id: africa_regions, kind: claim_regions, parent: africa, members: [sahel]}\n"
    (data / "codebook.yaml").write_text(codebook, encoding="utf-8")
    return data


@pytest.fixture
def rich_copy(tmp_path: Path) -> Callable[..., Path]:
    """Factory: a fresh, editable copy of the rich data set (see :func:`make_rich`)."""
    return lambda name="rich": make_rich(tmp_path / name)


@pytest.fixture(scope="session")
def rich_report(tmp_path_factory: pytest.TempPathFactory):
    """The rich data set's 2023 English report rendered in-process once: ``(ctx, html)``. Read only."""
    import matplotlib.pyplot as plt

    from mcis_report import report

    root = tmp_path_factory.mktemp("rich")
    ctx = report.ReportContext.open(2023, "en", make_rich(root / "data"), root / "out")
    page = str(report.render_report(ctx, "edition"))
    plt.close("all")
    return ctx, page
