"""Translation catalogues (presentation layer): every reader-facing string, one YAML file per language.

``text(key, lang, **values)`` formats a template; ``plural_category`` picks the CLDR plural form so
sentence helpers can agree nouns with numbers. Data labels (frame, target, region names) come from the
codebook in the data, not from here.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

DEFAULT_LANGUAGE = "en"


@cache
def languages() -> tuple[str, ...]:
    """Languages with a catalogue, in a stable order (English first)."""
    names = sorted(p.name[:-5] for p in resources.files(__package__).joinpath("catalogue").iterdir()
                   if p.name.endswith(".yaml"))
    return tuple(sorted(names, key=lambda n: (n != DEFAULT_LANGUAGE, n)))


@cache
def catalogue(lang: str) -> dict:
    """The flattened catalogue of ``lang`` (keys like ``chapter.glance.title``)."""
    if lang not in languages():
        raise KeyError(f"no catalogue for language {lang!r} (available: {', '.join(languages())})")
    raw = resources.files(__package__).joinpath("catalogue", f"{lang}.yaml").read_text(encoding="utf-8")
    return _flatten(yaml.safe_load(raw))


def _flatten(tree: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and not _is_plural(value):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


_PLURAL_KEYS = {"zero", "one", "two", "few", "many", "other"}


def _is_plural(value: dict) -> bool:
    return bool(value) and set(value) <= _PLURAL_KEYS and "other" in value


def plural_category(n: int, lang: str) -> str:
    """CLDR plural category of the whole number ``n`` in ``lang``."""
    n = abs(int(n))
    if lang == "ar":
        if n == 0:
            return "zero"
        if n == 1:
            return "one"
        if n == 2:
            return "two"
        if 3 <= n % 100 <= 10:
            return "few"
        if 11 <= n % 100 <= 99:
            return "many"
        return "other"
    return "one" if n == 1 else "other"


def text(key: str, lang: str, count: int | None = None, **values) -> str:
    """The template ``key`` in ``lang`` formatted with ``values``.

    A plural entry (a mapping of CLDR categories) needs ``count``; ``{n}`` inside it is ``count``
    unless given. Raises ``KeyError`` for an unknown key, so a missing translation fails loudly.
    """
    entry = catalogue(lang)[key]
    if isinstance(entry, dict):
        if count is None:
            raise ValueError(f"catalogue entry {key!r} is plural: pass count=")
        entry = entry.get(plural_category(count, lang), entry["other"])
        values.setdefault("n", count)
    if values:
        return str(entry).format(**values)
    return str(entry)
