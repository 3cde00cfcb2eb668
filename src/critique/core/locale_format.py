"""Numbers, percentages and dates the reader's way: one function a kind, through Babel's CLDR data.

The Unicode CLDR (shipped inside Babel) says how each language writes a number: ``12,214`` in
English, ``12 214`` in French (with U+202F, the narrow no-break space, as CLDR gives it), ``12.214``
in Spanish, ``12 214`` in Russian (U+00A0), ``12,214`` in Chinese; and a percent sign with or
without a space before it. Reader-facing code formats every number through :func:`number`,
:func:`percent` or :func:`date` with the active language (:func:`critique.core.i18n.current`)
instead of Python's ``f"{x:,.0f}"``, which is English only.

The locale's own number pattern is used (its grouping, decimal mark, and the place and spacing of
the percent sign); only the number of decimals is fixed by the caller.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

from critique.core import i18n

BABEL_LOCALES = i18n.BABEL_LOCALES
babel_locale = i18n.babel_locale


def _absent(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: Any, decimals: int = 0, lang: str | None = None, *, sign: bool = False) -> str:
    """``value`` with the language's digit grouping and decimal mark, rounded to ``decimals``.

    ``sign=True`` writes the locale's plus sign before a positive number (a change). ``None``/NaN
    gives ``"n/a"`` translated. Example: ``number(12214, lang="fr") == "12\u202f214"``.
    """
    if _absent(value):
        return i18n._("n/a", lang=lang)
    return i18n.cldr_number(value, decimals, lang, kind="decimal", sign=sign)


def percent(fraction: Any, decimals: int = 0, lang: str | None = None) -> str:
    """A fraction (0.25) as the language writes a percentage (``25\u00a0%`` in French, ``25%`` in
    English). ``None``/NaN gives ``"n/a"`` translated."""
    if _absent(fraction):
        return i18n._("n/a", lang=lang)
    return i18n.cldr_number(fraction, decimals, lang, kind="percent")


def date(value: dt.date | dt.datetime, lang: str | None = None, style: str = "long") -> str:
    """A date as the language writes it (``6 décembre 2026``, ``2026年12月6日``); ``style`` is a
    CLDR width: short, medium, long."""
    from babel.dates import format_date

    day = value.date() if isinstance(value, dt.datetime) else value
    return format_date(day, format=style, locale=babel_locale(lang))


def datetime_utc(value: dt.datetime, lang: str | None = None) -> str:
    """A UTC time stamp as the language writes date and time, followed by ``UTC``. English keeps the
    ISO form the reports have always printed (``2026-12-06 10:05 UTC``)."""
    from babel.dates import format_datetime

    if i18n.check_language(lang or i18n.current()) == i18n.DEFAULT:
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    return format_datetime(value, format="medium", tzinfo=dt.timezone.utc,
                           locale=babel_locale(lang)) + " UTC"
