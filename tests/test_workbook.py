"""The Excel workbook of the reader tables (critique.publish.workbook): one sheet a chart's data CSV,
a first sheet of sources; read back with openpyxl and compared with the CSV read by the csv module."""
from __future__ import annotations

import csv
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from critique.figures import charts  # noqa: E402
from critique.publish import workbook  # noqa: E402


def _page(folder: Path, stem: str, name: str, data: pd.DataFrame) -> dict:
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot(range(2001, 2011), range(10))
    ax.set_xlabel("year")
    out = folder / stem / "figures"
    cap = charts.finalise(fig, name, title=f"Title of {name}", description="d", datasets=["tip-tiers"], n=3,
                          outdir=out, data=data)
    return {"stem": stem, "title": f"Notebook {stem}", "figures": [
        {"name": name, "title": cap.title, "source": cap.source, "abs_png": out / f"{name}.png",
         "csv": f"{stem}/figures/{name}.csv"}]}


def test_workbook_holds_each_csv_as_a_sheet_and_a_sheet_of_sources(tmp_path):
    data = pd.DataFrame({"year": [2019, 2020, 2021], "detected victims": [1200.5, None, 3],
                         "country": ["Sweden", "Pakistan", "Côte d'Ivoire"]})
    pages = [_page(tmp_path, "10-coverage", "countries-reporting", data),
             _page(tmp_path, "60-claims", "claims-overview", data.set_index("year"))]
    target = workbook.write_workbook(tmp_path / "tables.xlsx", pages)
    book = openpyxl.load_workbook(target, read_only=True)
    assert book.sheetnames == ["Sources", "10 countries-reporting", "60 claims-overview"]
    sources = list(book["Sources"].values)
    assert sources[0] == ("sheet", "notebook", "chart", "source (release read)", "CSV file")
    assert sources[1][:3] == ("10 countries-reporting", "Notebook 10-coverage", "Title of countries-reporting")
    assert sources[1][3] == pages[0]["figures"][0]["source"] and sources[1][4] == "10-coverage/figures/countries-reporting.csv"
    for page, sheet in zip(pages, book.sheetnames[1:]):
        with open(page["figures"][0]["abs_png"].with_suffix(".csv"), newline="", encoding="utf-8") as handle:
            expected = list(csv.reader(handle))
        got = [["" if v is None else v for v in row] for row in book[sheet].values]
        assert got[0] == expected[0], "same columns, in order (an index column included)"
        for row_got, row_csv in zip(got[1:], expected[1:]):
            for g, e in zip(row_got, row_csv):
                if isinstance(g, (int, float)):
                    assert g == pytest.approx(float(e)), (sheet, g, e)  # numbers stay numbers
                else:
                    assert g == e, (sheet, g, e)
        assert len(got) == len(expected)
    book.close()


def test_sheet_names_are_valid_and_unique():
    taken: set[str] = set()
    a = workbook.sheet_name("40-multiple-systems-estimation", "bootstrap-with-selection-and-more", taken)
    b = workbook.sheet_name("40-multiple-systems-estimation", "bootstrap-with-selection-and-more", taken)
    assert len(a) <= 31 and len(b) <= 31 and a != b and b.endswith("(2)")
    assert workbook.sheet_name("10-x", "a/b:c?", taken) == "10 a-b-c-"


def test_no_csv_no_workbook(tmp_path):
    assert workbook.write_workbook(tmp_path / "t.xlsx", [{"stem": "a", "figures": [{"name": "n", "csv": None}]}]) is None
    assert not (tmp_path / "t.xlsx").exists()
