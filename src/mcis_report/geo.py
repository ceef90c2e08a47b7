"""Country shapes (data layer): the vendored Natural Earth outlines, read with GDAL (pyogrio) and keyed by alpha-3.

The shapes are optional: a data folder without ``geo/countries-110m.json`` still loads and validates, and the
report says that it has no map. The file is read once per path and version (size and modification time).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import pycountry

#: The shapes inside a data folder: world-atlas 2.0.2's Natural Earth 1:110m countries (see ``data/geo/README.md``).
SHAPES_FILE = "geo/countries-110m.json"
#: The TopoJSON object holding one feature per country.
SHAPES_LAYER = "countries"


class ShapesError(ValueError):
    """A shapes file that exists but cannot be read; the message names the file."""


def shapes_path(data_dir: str | Path) -> Path:
    """Where the shapes of ``data_dir`` are (the file may not exist).

    Parameters
    ----------
    data_dir : str or Path
        The data folder.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> from mcis_report import geo
    >>> geo.shapes_path("data").as_posix()
    'data/geo/countries-110m.json'
    """
    return Path(data_dir) / SHAPES_FILE


def alpha3_of(numeric: object) -> str | None:
    """ISO 3166-1 alpha-3 code of an ISO numeric code (``"643"`` -> ``"RUS"``), ``None`` when there is none.

    Parameters
    ----------
    numeric : object
        The numeric code as text (``"004"``) or a number; empty for a feature without a code.

    Returns
    -------
    str or None

    Examples
    --------
    >>> from mcis_report import geo
    >>> geo.alpha3_of("643"), geo.alpha3_of(None)
    ('RUS', None)
    """
    if numeric is None or str(numeric).strip() == "":
        return None
    try:
        code = f"{int(str(numeric)):03d}"
    except ValueError:
        return None
    country = pycountry.countries.get(numeric=code)
    return None if country is None else str(country.alpha_3)


def _jumps(ring) -> int:
    """How many edges of a ring cross the antimeridian (a step of more than 180 degrees of longitude)."""
    import numpy as np

    return int(np.sum(np.abs(np.diff(np.asarray(ring.coords)[:, 0])) > 180))


def _cut_at_antimeridian(geometry):
    """Polygons that GDAL joins across ±180° (Fiji, Chukotka) cut back into their eastern and western pieces.

    Drawn as they are, such a ring runs once around the world as a thin band. A ring around a pole (one
    crossing: Antarctica) is left alone.
    """
    import numpy as np
    import shapely

    def east_of_zero(coords):
        return np.column_stack([np.where(coords[:, 0] < 0, coords[:, 0] + 360, coords[:, 0]), coords[:, 1]])

    def back(coords):
        return np.column_stack([coords[:, 0] - 360, coords[:, 1]])

    if geometry is None:
        return None
    parts = list(shapely.get_parts(geometry))
    if not any(_jumps(p.exterior) == 2 for p in parts):
        return geometry
    pieces = []
    for part in parts:
        if _jumps(part.exterior) != 2:
            pieces.append(part)
            continue
        shifted = shapely.transform(part, east_of_zero)
        pieces += list(shapely.get_parts(shifted.intersection(shapely.box(-180, -90, 180, 90))))
        pieces += list(shapely.get_parts(shapely.transform(shifted.intersection(shapely.box(180, -90, 540, 90)), back)))
    return shapely.MultiPolygon([p for p in pieces if p.geom_type == "Polygon" and not p.is_empty])


@lru_cache(maxsize=4)
def _read(path: str, size: int, mtime_ns: int) -> pd.DataFrame:
    import pyogrio
    import shapely

    try:
        _meta, _fids, wkb, fields = pyogrio.raw.read(path, layer=SHAPES_LAYER, columns=["id", "name"])
    except Exception as exc:  # GDAL's errors come in several classes; each means "this file cannot be used"
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ShapesError(f"{path}: cannot read the country shapes (layer {SHAPES_LAYER!r}): {reason}") from None
    numeric = [None if n is None or str(n) == "" else str(n) for n in fields[0]]
    return pd.DataFrame(
        {
            "numeric": numeric,
            "alpha3": [alpha3_of(n) for n in numeric],
            "name": [None if n is None else str(n) for n in fields[1]],
            "geometry": [_cut_at_antimeridian(g) for g in shapely.from_wkb(wkb)],
        }
    )


def load_shapes(path: str | Path) -> pd.DataFrame:
    """The country shapes of a TopoJSON file: one row per feature, in the file's order.

    Parameters
    ----------
    path : str or Path
        The file, usually :func:`shapes_path` of the data folder.

    Returns
    -------
    pandas.DataFrame
        Columns ``numeric`` (ISO 3166-1 numeric, as in the file), ``alpha3`` (``None`` for a territory
        without an ISO code, such as Kosovo or Somaliland at this scale), ``name`` (Natural Earth's
        English short name) and ``geometry`` (shapely polygons in longitude/latitude degrees).

    Raises
    ------
    FileNotFoundError
        When there is no such file.
    ShapesError
        When the file cannot be read as TopoJSON with a ``countries`` layer.

    Examples
    --------
    >>> from mcis_report import geo
    >>> shapes = geo.load_shapes(geo.shapes_path("data"))
    >>> shapes.loc[shapes["alpha3"] == "RUS", "name"].iloc[0]
    'Russia'
    """
    file = Path(path)
    stat = file.stat()  # FileNotFoundError for a missing file, before GDAL's own message
    return _read(str(file.resolve()), stat.st_size, stat.st_mtime_ns).copy()


def missing_shapes(shapes: pd.DataFrame, codes: list[str]) -> list[str]:
    """The codes of ``codes`` that have no shape (a country too small for the scale, or not an ISO code).

    Parameters
    ----------
    shapes : pandas.DataFrame
        :func:`load_shapes`.
    codes : list of str
        ISO alpha-3 codes.

    Returns
    -------
    list of str
        In the order of ``codes``, without repeats.

    Examples
    --------
    >>> import pandas as pd
    >>> from mcis_report import geo
    >>> geo.missing_shapes(pd.DataFrame({"alpha3": ["RUS", "CHN"]}), ["CHN", "SGP", "SGP"])
    ['SGP']
    """
    drawn = set(shapes["alpha3"].dropna())
    return list(dict.fromkeys(c for c in codes if c not in drawn))
