"""Parts of countries that publishers report on their own, recognised whatever the spelling.

UNODC reports England and Wales, Scotland and Northern Ireland (``GBR_E_W``, ``GBR_S``, ``GBR_NI``)
and Central Iraq and the Kurdistan Region (``IRQ_C``, ``IRQ_KRI``) beside their countries. The
committed table ``lookups/subnational_units.csv`` (``code, name, parent_iso3, reason``) lists each
part with its codes and names; :func:`subnational_of` finds a part case-, accent- and
punctuation-insensitively, with the country written before or after it in any usual form
("United Kingdom (Scotland)", "Scotland, UK", "UK - Scotland", "GB-SCT", "England & Wales",
"Kurdistan Region of Iraq"). Before issue 30, "England and Wales" and "England" became GBR and
"N. Ireland" IRL (Ireland) through country_converter's name patterns, while UNODC's spellings of the
same parts were refused; :func:`mentions_a_part` now also stops those patterns from giving a name
that speaks of a part ("New England") the whole country. :mod:`critique.datasets.countries` uses
both and decides (``subnational=``) what a part becomes.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pandas as pd

from critique.datasets import paths


def _norm(text: str) -> str:
    """Case-, accent-, apostrophe- and space-insensitive key ("Côte d’Ivoire" == "cote d'ivoire")."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    text = text.replace("\u2019", "'")
    return " ".join(text.lower().split())


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def subnational_file() -> Path:
    """The committed table of sub-national units (``code, name, parent_iso3, reason``)."""
    return paths.package_dir() / "datasets" / "lookups" / "subnational_units.csv"


@lru_cache(maxsize=1)
def _subnational() -> dict[str, tuple[str, str, str]]:
    """Normalised code or name -> (unit code, display name, parent ISO3)."""
    out: dict[str, tuple[str, str, str]] = {}
    with open(subnational_file(), encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row.get("reason", "").strip():
                raise ValueError(f"{subnational_file()}: row '{row['code']}' has no reason")
            code, name, parent = row["code"].strip(), row["name"].strip(), row["parent_iso3"].strip()
            display = out.get(_norm(code), (code, name, parent))[1]
            out[_norm(code)] = (code, display, parent)
            out[_norm(name)] = (code, display, parent)
    return out


def subnational_units() -> pd.DataFrame:
    """Every sub-national unit the suite knows: columns ``code``, ``name``, ``parent_iso3``.

    One row per unit (the first name listed in ``subnational_units.csv``).
    """
    rows = {code: (code, name, parent) for code, name, parent in _subnational().values()}
    return pd.DataFrame(sorted(rows.values()), columns=["code", "name", "parent_iso3"])


# How a parent country is written around the name of its part ("United Kingdom (Scotland)",
# "Scotland, UK", "GBR_S", "Kurdistan Region of Iraq"), in the loose form of :func:`_loose`.
_PARENT_ALIASES = {
    "GBR": ("united kingdom great britain northern ireland", "united kingdom", "uk", "u k", "gbr", "gb",
            "great britain", "britain"),
    "IRQ": ("republic iraq", "iraq", "irq"),
}
# Words that name a part of a country: a name holding one is never given the whole country by
# country_converter's patterns (which map "New England" and "United Kingdom - Scotland" to GBR and
# "N. Ireland" to IRL).
_PART_WORDS = re.compile(r"\b(england|scotland|wales|northern ireland|n ireland|kurdistan|kurdish)\b")


def _loose(text: str) -> str:
    """:func:`_norm` without punctuation and the words 'and', 'of', 'the' ('England & Wales',
    'England and Wales' and 'England, Wales' are one key)."""
    text = _norm(text).replace("&", " and ")
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(w for w in words if w not in ("and", "of", "the"))


def _strip_parent(loose: str, parent: str) -> str:
    """``loose`` without a leading or trailing way of writing ``parent`` (repeatedly)."""
    changed = True
    while changed and loose:
        changed = False
        for alias in sorted(_PARENT_ALIASES.get(parent, ()), key=len, reverse=True):
            if loose == alias:
                return ""
            if loose.startswith(alias + " "):
                loose, changed = loose[len(alias) + 1:], True
            elif loose.endswith(" " + alias):
                loose, changed = loose[: -len(alias) - 1], True
    return loose


@lru_cache(maxsize=1)
def _subnational_loose() -> tuple[dict[str, tuple[str, str, str]], dict[str, dict[str, tuple[str, str, str]]]]:
    """(loose name or code -> unit, parent -> {name or code without the parent -> unit})."""
    whole: dict[str, tuple[str, str, str]] = {}
    bare: dict[str, dict[str, tuple[str, str, str]]] = {}
    for entry in _subnational().values():
        code, display, parent = entry
        for key in {k for k, v in _subnational().items() if v == entry}:
            loose = _loose(key)
            whole.setdefault(loose, entry)
            rest = _strip_parent(loose, parent)
            if rest:
                bare.setdefault(parent, {}).setdefault(rest, entry)
    return whole, bare


def _subnational_match(text: str) -> tuple[str, str, str] | None:
    hit = _subnational().get(_norm(text))
    if hit:
        return hit
    whole, bare = _subnational_loose()
    loose = _loose(text)
    if loose in whole:
        return whole[loose]
    for parent in _PARENT_ALIASES:
        rest = _strip_parent(loose, parent)
        if rest and rest != loose and rest in bare.get(parent, {}):
            return bare[parent][rest]
    return None


def mentions_a_part(text: str) -> bool:
    """Whether a name speaks of a part of a country (England, Scotland, Wales, Northern Ireland,
    Kurdistan) once the country's own names are taken out."""
    loose = _loose(text)
    for parent in _PARENT_ALIASES:
        loose = _strip_parent(loose, parent)
    return bool(_PART_WORDS.search(loose))


def subnational_of(value: object) -> tuple[str, str] | None:
    """``(unit code, parent ISO3)`` when ``value`` is a sub-national code or name, else None.

    Spelling-insensitive: case, accents, punctuation and 'and'/'&' do not matter, and the
    country may be written before or after the part in any of its usual forms ("United Kingdom
    (Scotland)", "Scotland, UK", "UK - Scotland", "GBR_S", "Kurdistan Region of Iraq").

    >>> subnational_of("United Kingdom (Scotland)")
    ('GBR_S', 'GBR')
    >>> subnational_of("England & Wales")
    ('GBR_E_W', 'GBR')
    """
    if _is_missing(value):
        return None
    hit = _subnational_match(str(value).strip())
    return (hit[0], hit[2]) if hit else None
