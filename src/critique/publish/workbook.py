"""An Excel workbook of the reader tables: every chart's data CSV as one sheet, and a first sheet of
sources.

The report build writes ``tables.xlsx`` beside the index (:func:`write_workbook`, atomically), so a
reader who works in a spreadsheet gets the numbers behind every chart in one file. Each sheet holds
the CSV saved beside its chart by :func:`critique.figures.charts.finalise`, read with pandas and
written with openpyxl (``pandas.DataFrame.to_excel``): same columns, same rows, numbers as numbers.
The ``Sources`` sheet lists, for each sheet, the notebook, the chart title, its source line (which
names the release read) and the CSV file it copies.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping, Sequence

import pandas as pd

from critique.core import atomicio
from critique.core.i18n import N_, _

WORKBOOK = "tables.xlsx"
SOURCES_SHEET = N_("Sources")  # the sheet's name in the reader's language (31 characters at most)
_BAD = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet name


def sheet_name(stem: str, chart: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (at most 31 characters, none of ``[]:*?/\\``), unique in ``taken``:
    the notebook's number and the chart's name (``10 countries-reporting``)."""
    base = _BAD.sub("-", f"{stem.split('-', 1)[0]} {chart}")[:31]
    name, i = base, 2
    while name.lower() in {t.lower() for t in taken} or name.lower() in (SOURCES_SHEET.lower(), _(SOURCES_SHEET).lower()):
        suffix = f" ({i})"
        name, i = base[:31 - len(suffix)] + suffix, i + 1
    taken.add(name)
    return name


def read_table(csv: Path) -> pd.DataFrame:
    """A chart's data CSV as the workbook holds it (every column kept, the index column included)."""
    return pd.read_csv(csv)


def write_workbook(target: Path, pages: Sequence[Mapping[str, Any]]) -> Path | None:
    """Write the workbook of every chart CSV under ``pages`` into ``target``; None when no chart has one.

    ``pages``: entries of :func:`critique.publish.reports._page_entries` (``stem``, ``title``,
    ``figures`` with ``name``, ``title``, ``source``, ``abs_png`` and ``csv``). Written whole or not
    at all (:func:`critique.core.atomicio.atomic_file`).
    """
    taken: set[str] = set()
    sheets: list[tuple[str, pd.DataFrame]] = []
    sources = []
    for page in pages:
        for fig in page.get("figures", []):
            if not fig.get("csv"):
                continue
            csv = Path(fig["abs_png"]).with_suffix(".csv")
            name = sheet_name(str(page["stem"]), str(fig["name"]), taken)
            sheets.append((name, read_table(csv)))
            sources.append({_("sheet"): name, _("notebook"): page.get("title", page["stem"]),
                            _("chart"): fig.get("title", ""), _("source (release read)"): fig.get("source", ""),
                            _("CSV file"): fig["csv"]})
    if not sheets:
        return None
    with atomicio.atomic_file(target) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
            pd.DataFrame(sources).to_excel(xl, sheet_name=_BAD.sub("-", _(SOURCES_SHEET))[:31], index=False)
            for name, frame in sheets:
                frame.to_excel(xl, sheet_name=name, index=False)
            for ws in xl.book.worksheets:
                ws.freeze_panes = "A2"
                for col in ws.iter_cols(min_row=1, max_row=1):
                    width = max(len(str(c.value or "")) for c in col) + 2
                    ws.column_dimensions[col[0].column_letter].width = min(max(width, 10), 60)
    return target
