"""Translation catalogues and locale data (presentation layer): reader-facing strings, one YAML file per language.

The catalogues hold the editorial prose; Babel (CLDR) supplies what a locale already knows: plural
categories, number and percent formats, month names and list patterns. ``check_language`` says, before
any kernel starts, everything a language lacks.
"""

from __future__ import annotations

import string
from functools import cache
from importlib import resources
from typing import Any

from babel import Locale, UnknownLocaleError

from .tables import DATA_LANGUAGES

DEFAULT_LANGUAGE = "en"
_PLURAL_KEYS = frozenset({"zero", "one", "two", "few", "many", "other"})


@cache
def languages() -> tuple[str, ...]:
    """Languages with a catalogue, in a stable order (English first)."""
    names = sorted(
        p.name[:-5] for p in resources.files(__package__).joinpath("catalogue").iterdir() if p.name.endswith(".yaml")
    )
    return tuple(sorted(names, key=lambda n: (n != DEFAULT_LANGUAGE, n)))


@cache
def catalogue(lang: str) -> dict[str, Any]:
    """The flattened catalogue of ``lang`` (keys like ``chapter.glance.title``)."""
    if lang not in languages():
        raise KeyError(f"no catalogue for language {lang!r} (available: {', '.join(languages())})")
    import yaml  # here, not at the top: a build with nothing to do reads no catalogue

    raw = resources.files(__package__).joinpath("catalogue", f"{lang}.yaml").read_text(encoding="utf-8")
    # libyaml's safe loader where present: the same documents, parsed ~30x faster (a build with nothing to
    # do reads both catalogues for the site's pages).
    return _flatten(yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and not _is_plural(value):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _is_plural(value: dict[str, Any]) -> bool:
    return bool(value) and set(value) <= _PLURAL_KEYS and "other" in value


@cache
def locale(lang: str) -> Locale:
    """The Babel locale of a language: its catalogue's ``meta.locale`` (e.g. ``en_GB``), else the code itself."""
    name = catalogue(lang).get("meta.locale", lang) if lang in languages() else lang
    return Locale.parse(name)


def plural_category(n: int, lang: str) -> str:
    """CLDR plural category (``zero``, ``one``, ``two``, ``few``, ``many``, ``other``) of ``n`` in ``lang``."""
    return str(locale(lang).plural_form(abs(int(n))))


def template(key: str, lang: str, count: int | None = None) -> str:
    """The raw template ``key`` in ``lang``; a plural entry picks the form for ``count``.

    Raises ``KeyError`` for an unknown key, so a missing translation fails loudly.
    """
    entry = catalogue(lang)[key]
    if isinstance(entry, dict):
        if count is None:
            raise ValueError(f"catalogue entry {key!r} is plural: pass count=")
        return str(entry.get(plural_category(count, lang), entry["other"]))
    return str(entry)


def text(key: str, lang: str, count: int | None = None, **values: object) -> str:
    """The template ``key`` in ``lang`` formatted with ``values`` (``{n}`` of a plural entry is ``count``)."""
    entry = template(key, lang, count)
    if count is not None:
        values.setdefault("n", count)
    return entry.format(**values) if values else entry


def placeholders(entry: object) -> set[str]:
    """Field names used by a catalogue entry (every form of a plural entry)."""
    forms = entry.values() if isinstance(entry, dict) else [entry]
    return {name for form in forms if isinstance(form, str) for _, name, _, _ in string.Formatter().parse(form) if name}


def check_language(lang: str) -> list[str]:
    """Everything report language ``lang`` lacks, one sentence each; empty when it can be built.

    Checked: a catalogue file, the English catalogue's keys and placeholders, a CLDR locale, the
    plural forms that locale needs, and localised columns in the data (``tables.DATA_LANGUAGES``).
    """
    problems = []
    if lang not in DATA_LANGUAGES:
        problems.append(
            f"the data has no '*_{lang}' columns (data languages: {', '.join(DATA_LANGUAGES)}; "
            "add it to tables.DATA_LANGUAGES and the columns to every data file)"
        )
    if lang not in languages():
        problems.append(f"no catalogue src/mcis_report/catalogue/{lang}.yaml")
        return problems
    try:
        needed = set(locale(lang).plural_form.tags) | {"other"}
    except (UnknownLocaleError, ValueError) as error:
        problems.append(f"catalogue {lang}.yaml: meta.locale is not a CLDR locale ({error})")
        needed = {"other"}
    reference, own = catalogue(DEFAULT_LANGUAGE), catalogue(lang)
    missing = sorted(set(reference) - set(own))
    if missing:
        problems.append(
            f"catalogue {lang}.yaml lacks {len(missing)} key(s): {', '.join(missing[:8])}"
            + (" …" if len(missing) > 8 else "")
        )
    for key in sorted(set(reference) & set(own)):
        if key == "meta.locale":
            continue
        if placeholders(reference[key]) != placeholders(own[key]):
            problems.append(
                f"catalogue {lang}.yaml, {key}: placeholders {sorted(placeholders(own[key]))} "
                f"differ from {DEFAULT_LANGUAGE}.yaml's {sorted(placeholders(reference[key]))}"
            )
        if isinstance(reference[key], dict) and isinstance(own[key], dict) and not needed <= set(own[key]):
            problems.append(
                f"catalogue {lang}.yaml, {key}: lacks the plural form(s) {', '.join(sorted(needed - set(own[key])))}"
            )
    return problems
