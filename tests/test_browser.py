"""The rendered page in a real browser (Debian's headless Chromium), as a reader opens it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.fixture
def reports(mini_reports):
    return mini_reports


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_page_renders_with_chapters_and_no_script(reports, tmp_path, lang):
    page = reports / "2023" / lang / "report.html"
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert 'id="method"' in dom and 'id="glance"' in dom
    assert "<script" not in dom
    assert f'dir="{"rtl" if lang == "ar" else "ltr"}"' in dom.split("<head>")[0]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_screenshot_is_not_blank(reports, tmp_path, lang):
    from PIL import Image, ImageStat

    shot = tmp_path / f"{lang}.png"
    chromium(tmp_path, "--window-size=1000,1400", f"--screenshot={shot}",
             (reports / "2023" / lang / "report.html").as_uri())
    image = Image.open(shot).convert("L")
    assert image.size == (1000, 1400)
    assert ImageStat.Stat(image).stddev[0] > 10  # text and charts, not an empty page
