"""End-to-end packaging: build the wheel, install it into a fresh virtual environment, build a report.

Marked ``packaging`` (``pytest -m packaging`` runs only these; ``-m "not packaging"`` skips them).

The package itself comes only from the wheel: the fresh environment is made without
``--system-site-packages`` and the test checks where ``mcis_report`` is imported from. Installing the
~100 third-party dependencies again takes minutes, so by default the wheel is installed with
``--no-deps`` after checking that every requirement in the wheel's metadata is met, at a matching
version, by the environment running the tests; that environment's site-packages is then appended to the
fresh one's ``sys.path`` by a ``.pth`` path line (which adds the folder only: its own ``.pth`` files,
such as an editable install of this project, are not processed), and its ``share/jupyter`` (the
dependencies' data files, nbconvert's templates) to ``JUPYTER_PATH``. Set ``MCIS_PACKAGING_FULL=1`` to let
pip install the dependencies too, pinned to the running environment's versions by a constraints file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
MINI = Path(__file__).parent / "fixtures" / "mini"

pytestmark = pytest.mark.packaging


def _clean_env() -> dict[str, str]:
    """The test's environment without what would let the fresh venv see the working tree."""
    return {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "MPLBACKEND", "VIRTUAL_ENV"}}


def _run(args, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("env", _clean_env())
    result = subprocess.run(args, check=False, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{args[:4]} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


def _wheel_requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        text = archive.read(name).decode("utf-8")
    requirements = [
        Requirement(line.split(":", 1)[1].strip()) for line in text.splitlines() if line.startswith("Requires-Dist:")
    ]
    return [r for r in requirements if r.marker is None or r.marker.evaluate({"extra": ""})]


def _unmet(requirements: list[Requirement]) -> list[str]:
    unmet = []
    for requirement in requirements:
        try:
            version = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            unmet.append(f"{requirement} (not installed)")
            continue
        if not requirement.specifier.contains(version, prereleases=True):
            unmet.append(f"{requirement} (installed {version})")
    return unmet


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The project's wheel, built from a copy of the sources (the worktree gets no build/ or egg-info)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist")
    shutil.copytree(ROOT / "src", source / "src", ignore=ignore)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    args = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(work / "dist")]
    try:
        import setuptools
    except ImportError:
        pass
    else:
        # A setuptools as recent as pyproject.toml's build requirement: build with it, offline and fast.
        if int(setuptools.__version__.split(".")[0]) >= 77:
            args.append("--no-build-isolation")
    _run([*args, str(source)])
    (built,) = (work / "dist").glob("mcis_report-*.whl")
    return built


def test_wheel_ships_the_notebook_templates_catalogues_and_type_marker(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "mcis_report/notebooks/edition_report.ipynb",
        "mcis_report/py.typed",
        "mcis_report/catalogue/en.yaml",
        "mcis_report/catalogue/ar.yaml",
        "mcis_report/templates/mcis/report.css",
    ):
        assert expected in names


def test_installed_wheel_builds_a_report_from_a_data_folder(wheel, tmp_path):
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    purelib = Path(
        _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    )
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-input"]
    if os.environ.get("MCIS_PACKAGING_FULL") == "1":
        constraints = tmp_path / "constraints.txt"
        frozen = _run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"]).stdout
        constraints.write_text("\n".join(line for line in frozen.splitlines() if " @ " not in line) + "\n")
        _run([*install, "--constraint", str(constraints), str(wheel)])
        shared = None
    else:
        unmet = _unmet(_wheel_requirements(wheel))
        assert not unmet, f"the test environment does not meet the wheel's requirements: {unmet}"
        _run([*install, "--no-deps", str(wheel)])
        paths = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
        (purelib / "_test_dependencies.pth").write_text("".join(f"{p}\n" for p in paths), encoding="utf-8")
        shared = Path(sys.prefix) / "share" / "jupyter"  # data files of the dependencies (nbconvert's templates)

    env = _clean_env()
    if shared is not None:
        env["JUPYTER_PATH"] = str(shared)
    env["JUPYTER_DATA_DIR"] = str(tmp_path / "jupyter")  # no user-level kernel spec pointing elsewhere
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    where = _run([str(python), "-c", "import mcis_report; print(mcis_report.__file__)"], env=env, cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(purelib), "mcis_report was not imported from the wheel"
    _run([str(python), "-m", "ipykernel", "install", "--sys-prefix"], env=env, cwd=tmp_path)

    out = tmp_path / "out"
    result = subprocess.run(
        [
            str(venv / "bin" / "mcis-report"),
            "build",
            "--data",
            str(MINI),
            "--out",
            str(out),
            "--edition",
            "2023",
            "--lang",
            "en",
            "--jobs",
            "1",
        ],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    page = out / "2023" / "en" / "report.html"
    assert page.is_file()
    assert str(page) in result.stdout
    assert "Traceback" not in result.stderr
