"""Reading workbook sheets and schema columns shared by the assessment loaders (gsi_full, assessments)."""
from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandera.pandas as pa

from critique.datasets import DataError

def sheet_rows(path: Path, sheet: str) -> list[tuple]:
    """Every row of one named sheet as tuples of cell values (openpyxl, values only)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise DataError(f"{path.name}: not a readable xlsx workbook ({type(exc).__name__}: "
                        f"{str(exc)[:120]}); delete it from the download cache and fetch it again") from None
    try:
        if sheet not in book.sheetnames:
            raise DataError(f"{path.name}: no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})")
        ws = book[sheet]
        ws.reset_dimensions()  # a stored dimension can be wrong (see the 2025 UNODC file)
        return list(ws.iter_rows(values_only=True))
    finally:
        book.close()


def floats(values: list[object], *, file: str, column: str, first_row: int) -> np.ndarray:
    """Numeric cells as floats; blank (None, "", "-") is NaN; text that is not a number is an error."""
    out = np.full(len(values), np.nan)
    for i, v in enumerate(values):
        if v is None or (isinstance(v, str) and v.strip() in ("", "-")):
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            try:
                out[i] = float(str(v).replace(",", "").strip())
                continue
            except ValueError:
                raise DataError(f"{file}: column '{column}' value {v!r} at row {i + first_row} "
                                "is not a number") from None
        out[i] = float(v)
    return out


def iso3_col(nullable: bool = False) -> pa.Column:
    from critique.datasets import countries

    return pa.Column("str", pa.Check(lambda s: s.isin(countries.valid_iso3()), element_wise=False,
                                     error="must be a valid ISO3 code"), nullable=nullable)


def pct(lo: float = 0, nullable: bool = True) -> pa.Column:
    return pa.Column("float64", pa.Check.in_range(lo, 100, error=f"must be a percentage in {lo:g}..100"),
                     nullable=nullable)
