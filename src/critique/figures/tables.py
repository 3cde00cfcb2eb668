"""Tables for readers: rounded numbers, thousands separators, units in the headers, no index noise.

A raw ``DataFrame`` repr shows ``12213.995125``, ``7.13e-11`` and an index with gaps (``0..5, 7``)
left by filtering. :func:`reader_table` returns a pandas ``Styler`` (pandas' own formatting layer)
that formats every number for reading; :func:`register` makes it the way every DataFrame a
notebook displays is rendered (``charts.use_style()`` calls it), so report pages never show raw
floats. A notebook that wants units or percentages passes them explicitly.
"""
from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

import pandas as pd

from critique.core.i18n import _

MAX_ROWS = 60


def localise(text: str) -> str:
    """A number Python wrote the English way (``12,214.5``) with the reader's language's grouping
    and decimal marks (``12 214,5`` in French, ``12.214,5`` in Spanish); English unchanged. For the
    shapes :func:`number` writes (``g`` and ``e`` formats included, which the locale formatter
    leaves to Python)."""
    from critique.core import i18n

    if i18n.current() == i18n.DEFAULT:
        return text
    from babel.numbers import get_decimal_symbol, get_group_symbol

    from critique.core.locale_format import babel_locale

    loc = babel_locale()
    return text.translate(str.maketrans({",": get_group_symbol(loc), ".": get_decimal_symbol(loc)}))


def yes_no(value: Any) -> str:
    """A true/false cell as a reader's word."""
    return _("yes") if value else _("no")


def number(value: Any) -> str:
    """One number as a reader sees it: ``12,214``; ``3.46``; ``0.047``; ``7.1e-11``; missing: ``–``
    (written with the reader's language's grouping and decimal marks: :func:`localise`)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return yes_no(value)
    return localise(_english_number(value))


def _english_number(value: Any) -> str:
    if isinstance(value, int) or (hasattr(value, "is_integer") and float(value).is_integer()
                                  and abs(float(value)) >= 1000):
        return f"{int(value):,}"
    v = float(value)
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    a = abs(v)
    if a == 0:
        return "0"
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 10:
        return f"{v:,.1f}".rstrip("0").rstrip(".")
    if a >= 0.01:
        return f"{v:.3g}"
    if a >= 0.001:
        return f"{v:.4f}".rstrip("0")
    return f"{v:.1e}"


def _is_year(name: Any) -> bool:
    """Years (and editions named by their year) are labels, not quantities: no thousands separator
    (2,015 would be wrong)."""
    return "year" in str(name).lower() or "edition" in str(name).lower()


def _plain_index(index: pd.Index) -> bool:
    """An unnamed integer index is row numbering, not information (hide it)."""
    return index.name is None and index.nlevels == 1 and pd.api.types.is_integer_dtype(index)


def reader_table(df: pd.DataFrame, *, percent: Sequence[str] = (), units: Mapping[str, str] | None = None,
                 decimals: Mapping[str, int] | None = None, caption: str | None = None,
                 max_rows: int = MAX_ROWS) -> "pd.io.formats.style.Styler":
    """``df`` formatted for a reader.

    percent: columns holding shares (0.25) shown as percentages (25%).
    units: column -> unit, added to the header (``{"value": "people"}`` -> ``value (people)``).
    decimals: column -> fixed number of decimals (overrides the automatic rounding).
    Year-like columns and indexes keep plain digits; an unnamed integer index is hidden.
    """
    units = dict(units or {})
    decimals = dict(decimals or {})
    shown = df.head(max_rows).copy()
    formats: dict[Any, Any] = {}
    for col in shown.columns:
        series = shown[col]
        if col in percent:
            formats[col] = lambda v, d=decimals.get(col, 1): "–" if pd.isna(v) else _percent(float(v), d)
        elif col in decimals:
            formats[col] = lambda v, d=decimals[col]: "–" if pd.isna(v) else localise(f"{float(v):,.{d}f}")
        elif pd.api.types.is_bool_dtype(series):
            formats[col] = lambda v: "–" if pd.isna(v) else yes_no(v)
        elif pd.api.types.is_numeric_dtype(series):
            formats[col] = (lambda v: "–" if pd.isna(v) else str(int(v))) if _is_year(col) else number
        else:
            formats[col] = lambda v: "–" if v is None or (not isinstance(v, (list, dict, tuple)) and pd.isna(v)) \
                else _text(v)
    renamed = {c: f"{c} ({units[c]})" for c in shown.columns if c in units}
    styler = shown.style.format(formats)
    if renamed:
        styler = styler.relabel_index([renamed.get(c, c) for c in shown.columns], axis="columns")
    text_cols = [c for c in shown.columns if not pd.api.types.is_numeric_dtype(shown[c])
                 or pd.api.types.is_bool_dtype(shown[c])]
    if text_cols:  # words read from the left, numbers line up on the right
        styler = styler.set_properties(subset=text_cols, **{"text-align": "left"})
    if _plain_index(shown.index):
        styler = styler.hide(axis="index")
    elif pd.api.types.is_float_dtype(shown.index):
        styler = styler.format_index(number, axis="index")
    if caption:
        styler = styler.set_caption(caption)
    if len(df) > max_rows:
        styler = styler.set_caption((caption + " " if caption else "")
                                    + _("(first {shown} of {rows:,} rows)", shown=max_rows, rows=len(df)))
    return styler.set_table_attributes('class="dataframe reader-table"')


def _percent(share: float, decimals: int) -> str:
    """A share (0.25) as a percentage with ``decimals`` decimals, the reader's way (``25.0%``;
    ``25,0 %`` in French)."""
    from critique.core.i18n import format_locale

    return format_locale("{v:." + str(decimals) + "%}", {"v": share})


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, float):
        return number(value)
    return str(value)


def _html(df: pd.DataFrame) -> str:
    try:
        return reader_table(df).to_html()
    except Exception:  # never let formatting hide a table: fall back to pandas' own
        return df._repr_html_()


def register() -> None:
    """Render every DataFrame displayed in this IPython session with :func:`reader_table`."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    ip = get_ipython()
    if ip is None:
        return
    ip.display_formatter.formatters["text/html"].for_type(pd.DataFrame, _html)
