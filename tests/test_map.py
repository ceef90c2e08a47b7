"""The world map: the vendored shapes, the map charts and the map of the edition report's "who came" chapter."""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
import shapely
from matplotlib.colors import to_hex

from mcis_report import cache, charts, geo, report
from mcis_report.dataset import load_dataset
from mcis_report.i18n import text

ROOT = Path(__file__).resolve().parents[1]
SHAPES = ROOT / "data" / geo.SHAPES_FILE


# --- the vendored shapes -------------------------------------------------------------------------------------


def test_shapes_file_matches_the_sha256_recorded_in_its_readme():
    readme = (SHAPES.parent / "README.md").read_text(encoding="utf-8")
    recorded = re.search(r"\| file sha256 \| `([0-9a-f]{64})` \|", readme)
    assert recorded, "data/geo/README.md records no file sha256"
    assert hashlib.sha256(SHAPES.read_bytes()).hexdigest() == recorded.group(1)


def test_the_build_cache_watches_the_shapes_file():
    assert geo.SHAPES_FILE in cache.OPTIONAL_DATA_FILES


def test_shapes_are_keyed_by_alpha3_and_no_outline_wraps_around_the_world():
    shapes = geo.load_shapes(SHAPES)
    assert shapes["alpha3"].dropna().is_unique
    assert {"RUS", "CHN", "BRA", "ATA"} <= set(shapes["alpha3"])
    for code, geometry in zip(shapes["alpha3"], shapes["geometry"], strict=True):
        if code == "ATA":
            continue  # a ring around the pole crosses the antimeridian once, by nature
        for polygon in shapely.get_parts(geometry):
            assert geo._jumps(polygon.exterior) == 0, code
    assert geo.load_shapes(SHAPES) is not geo.load_shapes(SHAPES)  # callers get their own copy of the cached frame


def test_every_country_of_the_data_has_a_shape_or_is_named_in_the_readme_as_too_small():
    readme = (SHAPES.parent / "README.md").read_text(encoding="utf-8")
    ds = load_dataset(ROOT / "data")
    missing = geo.missing_shapes(geo.load_shapes(SHAPES), list(ds.countries["alpha3"]))
    names = ds.countries.set_index("alpha3")["name_en"]
    undocumented = [code for code in missing if names[code] not in readme]
    assert not undocumented, f"countries without a shape, not named in data/geo/README.md: {undocumented}"


def test_a_broken_shapes_file_is_one_clear_error(tmp_path):
    broken = tmp_path / "countries-110m.json"
    broken.write_text('{"type": "Topology", "objects": {}}', encoding="utf-8")
    with pytest.raises(geo.ShapesError, match=r"countries-110m\.json: cannot read the country shapes"):
        geo.load_shapes(broken)


def test_geo_docstring_examples_run(monkeypatch):
    import doctest

    monkeypatch.chdir(ROOT)
    result = doctest.testmod(geo)
    assert result.failed == 0 and result.attempted > 0


# --- the charts ------------------------------------------------------------------------------------------------


def boxes(*codes: str) -> pd.DataFrame:
    """One 10° square per code, side by side: shapes small enough to draw in milliseconds."""
    return pd.DataFrame(
        {"alpha3": list(codes), "geometry": [shapely.box(20 * i, 0, 20 * i + 10, 10) for i in range(len(codes))]}
    )


def faces(ax) -> dict[str, str]:
    return {p.get_gid(): to_hex(p.get_facecolor()) for p in ax.patches if p.get_gid()}


def legend_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.figure.legends[0].get_texts()]


CATEGORY_DATA = pd.DataFrame(
    {"code": ["HHH", "AAA", "III"], "status": ["host", "attended", "invited_only"]},
)
LABELS = {"host": "Host", "attended": "Took part", "invited_only": "Invited only"}


def test_each_country_takes_its_category_colour_and_the_others_stay_grey():
    palette = {"host": "#111111", "attended": "#222222", "invited_only": "#333333"}
    ax = charts.world_map(
        CATEGORY_DATA,
        country="code",
        category="status",
        category_labels=LABELS,
        shapes=boxes("HHH", "AAA", "III", "ZZZ"),
        palette=palette,
    )
    drawn = faces(ax)
    assert drawn["HHH"] == palette["host"] and drawn["AAA"] == palette["attended"]
    assert drawn["III"] == palette["invited_only"]
    assert drawn["ZZZ"] == to_hex(charts.MAP_NO_DATA)
    plt.close(ax.figure)


def test_the_default_palette_tells_the_categories_apart_from_each_other_and_from_no_data():
    ax = charts.world_map(
        CATEGORY_DATA,
        country="code",
        category="status",
        category_labels=LABELS,
        shapes=boxes("HHH", "AAA", "III", "ZZZ"),
    )
    assert len(set(faces(ax).values())) == 4
    plt.close(ax.figure)


@pytest.mark.parametrize("rtl", [False, True])
def test_the_legend_follows_order_and_reads_right_to_left_for_rtl(rtl):
    order = ["invited_only", "host", "attended"]
    ax = charts.world_map(
        CATEGORY_DATA,
        country="code",
        category="status",
        category_labels=LABELS,
        shapes=boxes("HHH", "AAA", "III"),
        order=order,
        rtl=rtl,
        no_data_label="Not named",
    )
    expected = [LABELS[k] for k in order] + ["Not named"]
    assert legend_texts(ax) == (expected[::-1] if rtl else expected)
    plt.close(ax.figure)


def test_antarctica_is_not_drawn_and_the_map_has_no_axes():
    ax = charts.world_map(
        CATEGORY_DATA, country="code", category="status", category_labels=LABELS, shapes=boxes("AAA", "ATA")
    )
    assert "ATA" not in faces(ax) and "AAA" in faces(ax)
    assert not ax.axison
    plt.close(ax.figure)


def test_the_real_shapes_draw_at_the_report_size():
    ax = charts.world_map(
        pd.DataFrame({"code": ["RUS", "FJI"], "status": ["host", "attended"]}),
        country="code",
        category="status",
        category_labels=LABELS,
        shapes=geo.load_shapes(SHAPES),
    )
    assert tuple(ax.figure.get_size_inches()) == charts.MAP_SIZE
    x0, x1 = ax.get_xlim()
    for patch in ax.patches:
        if patch.get_gid() in {"RUS", "FJI"}:  # cut at the antimeridian: no piece spans the map
            for polygon in patch.get_path().to_polygons():
                assert polygon[:, 0].max() - polygon[:, 0].min() < 0.6 * (x1 - x0), patch.get_gid()
    plt.close(ax.figure)


def test_counts_map_bins_darken_with_the_count_and_zero_stays_grey():
    data = pd.DataFrame({"code": ["AAA", "BBB", "CCC", "ZZZ"], "n": [1, 4, 10, 0]})
    ax = charts.world_counts_map(
        data,
        country="code",
        value="n",
        shapes=boxes("AAA", "BBB", "CCC", "ZZZ"),
        legend_title="Editions",
        no_data_label="none",
    )
    drawn = faces(ax)
    assert drawn["ZZZ"] == to_hex(charts.MAP_NO_DATA)

    def lightness(hex_colour: str) -> float:
        return sum(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))

    assert lightness(drawn["AAA"]) > lightness(drawn["BBB"]) > lightness(drawn["CCC"])
    labels = legend_texts(ax)
    assert labels[0] == "none" and labels[-1].endswith("10")
    assert ax.figure.legends[0].get_title().get_text() == "Editions"
    plt.close(ax.figure)


def test_counts_map_legend_reads_right_to_left_for_rtl():
    data = pd.DataFrame({"code": ["AAA", "BBB"], "n": [1, 2]})
    ltr = charts.world_counts_map(data, country="code", value="n", shapes=boxes("AAA", "BBB"))
    rtl = charts.world_counts_map(data, country="code", value="n", shapes=boxes("AAA", "BBB"), rtl=True)
    assert legend_texts(rtl) == legend_texts(ltr)[::-1] == ["2", "1"]
    plt.close("all")


# --- the edition report ---------------------------------------------------------------------------------------


def who_came(data: Path, out: Path, lang: str = "en") -> str:
    """The "who came" chapter of the 2023 report of ``data``, rendered in-process."""
    from mcis_report.report.edition import who_came as chapter

    ctx = report.ReportContext.open(2023, lang, data, out)
    page = str(chapter(ctx))
    plt.close("all")
    return page


def test_the_map_is_in_the_built_report_with_its_count_of_unnamed_countries(mini_reports, mini_dir):
    ds = load_dataset(mini_dir)
    total = int(ds.figures.query("year == 2023 and metric == 'countries' and used")["value"].iloc[0])
    d = ds.delegations.query("year == 2023 and country != 'RUS' and attendance != 'invited_only'")
    named = int(d["country"].notna().sum())
    for lang in ("en", "ar"):
        folder = mini_reports / "2023" / lang
        page = (folder / "report.html").read_text(encoding="utf-8")
        assert 'id="fig-delegations_map"' in page
        assert (folder / "figures" / "delegations_map.png").is_file()
        assert (folder / "figures" / "delegations_map.svg").is_file()
    page = html.unescape((mini_reports / "2023" / "en" / "report.html").read_text(encoding="utf-8"))
    assert f"By the organisers' count, {total} countries took part" in page
    assert f"{total - named} others are not named" in page


def test_without_shapes_a_sentence_replaces_the_map(broken_copy, tmp_path):
    data = broken_copy()
    (data / geo.SHAPES_FILE).unlink()
    page = who_came(data, tmp_path / "out")
    assert "fig-delegations_map" not in page
    assert text("chapter.delegations.map_no_shapes", "en", file=geo.SHAPES_FILE).split("(")[0] in page
    assert not (tmp_path / "out" / "2023" / "en" / "figures").exists()


def test_with_fewer_than_three_named_a_sentence_replaces_the_map(broken_copy, tmp_path):
    data = broken_copy()
    rows = (data / "delegations.csv").read_text(encoding="utf-8").splitlines()
    (data / "delegations.csv").write_text("\n".join(r for r in rows if not r.startswith("D010,")) + "\n", "utf-8")
    page = who_came(data, tmp_path / "out", "ar")
    assert "fig-delegations_map" not in page
    assert "فلم تُرسم" in page


def test_an_announced_figure_is_said_to_be_announced_and_keeps_its_more_than(broken_copy, tmp_path):
    data = broken_copy()
    figures = (data / "figures.csv").read_text(encoding="utf-8")
    changed = re.sub(
        r"^2023,countries,(\d+),exact,post_event,", r"2023,countries,\1,more_than,pre_event,", figures, flags=re.M
    )
    assert changed != figures
    (data / "figures.csv").write_text(changed, encoding="utf-8")
    page = who_came(data, tmp_path / "out")
    caption = re.search(r"<figcaption>.*?</figcaption>", page, re.S).group(0)
    assert "Before the event, more than" in caption and "were announced" in caption
    assert "organisers' count" not in caption


def test_a_named_country_without_a_shape_is_named_in_the_caption(broken_copy, tmp_path, monkeypatch):
    load = geo.load_shapes
    monkeypatch.setattr(geo, "load_shapes", lambda path: load(path).query("alpha3 != 'IND'"))
    page = who_came(broken_copy(), tmp_path / "out")
    caption = re.search(r"<figcaption>.*?</figcaption>", page, re.S).group(0)
    assert "Too small to show at this scale: India." in caption
