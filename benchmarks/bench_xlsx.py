"""Cold parse of the UNODC workbooks: the previous reader (openpyxl, read-only) against the current
one (python-calamine through pandas), measured in one run on both releases.

openpyxl in read-only mode trusts the sheet's stored dimension; the 2025 release stores A1:A1, so
the previous reader sees one cell there (shown), and its timing on that file is taken with the
dimension reset (the workaround it would have needed). Each parse is the whole loader
(``parse_glotip``: read, find the column row, parse numbers, validate), and the frames from both
readers are checked to be identical, so the swap changes speed, not results.
"""
from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

_DEFAULT_MIRROR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mirror"


def _openpyxl_rows(path: Path, reset: bool = False) -> list[tuple]:
    """The previous reader: openpyxl read-only, optionally ignoring the stored dimension."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        if reset:
            sheet.reset_dimensions()
        return list(sheet.iter_rows(values_only=True))
    finally:
        book.close()


def _timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def run() -> list[str]:
    os.environ.setdefault("CRITIQUE_DATA_MIRROR", str(_DEFAULT_MIRROR))
    import pandas as pd

    from critique.datasets import catalog
    from critique.datasets import upstream

    mirror = Path(os.environ["CRITIQUE_DATA_MIRROR"])
    lines = []
    current_reader = upstream._xlsx_rows
    for release in catalog.load_catalog().releases("glotip")[::-1]:
        path = mirror / release.filename
        if not path.exists():
            lines.append(f"{release.id}: {path.name} not in the mirror, skipped")
            continue
        with zipfile.ZipFile(path) as z:
            sheet_xml = next(n for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
            head = z.read(sheet_xml)[:4000].decode("utf-8", "replace")
        dim = head.split('<dimension ref="')[1].split('"')[0] if '<dimension ref="' in head else "?"
        trusted = _openpyxl_rows(path)
        reset = len(trusted) <= 1
        try:
            upstream._xlsx_rows = lambda p: _openpyxl_rows(p, reset=reset)
            before, t_before = _timed(upstream.parse_glotip, path, year_range=release.years)
        finally:
            upstream._xlsx_rows = current_reader
        after, t_after = _timed(upstream.parse_glotip, path, year_range=release.years)
        pd.testing.assert_frame_equal(before, after)
        note = (f"; openpyxl read-only trusting the stored dimension {dim} sees {len(trusted)} row(s), "
                "timed with the dimension reset" if reset else "")
        lines += [
            f"{release.id} cold parse, previous reader (openpyxl read-only): {t_before:.2f} s{note}",
            f"{release.id} cold parse, current reader (python-calamine via pandas): {t_after:.2f} s, "
            f"{len(after):,} rows, identical frame",
            f"{release.id} previous / current: {t_before / t_after:.1f}x",
        ]
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
