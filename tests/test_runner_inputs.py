"""A user's own table, declared `file: csv` / `column of:` in the parameters, is checked before any
cell runs (issue 30: a typo in notebook 40's path took 4-12 minutes to report)."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from critique.publish import runner
from critique.core.errors import ParameterError
from test_runner import make_notebook
from test_runner_faults import _cli

OWN = '''table: str = "mse-uk-2013-5"  # a shipped id, or the path of your own CSV; file: csv, dataset
count_column: str = "count"  # count column of your CSV; column of: table
lists: list = []  # list columns of your CSV (empty: all but the count); column of: table
'''
# The body would take minutes (as notebook 40's sections before its own-table cell did).
BODY = '''import time
from critique.publish import findings
findings.record("started", 1)
time.sleep(300)
'''


@pytest.fixture
def own(tmp_path) -> Path:
    return make_notebook(tmp_path / "own.ipynb", params=OWN, body=BODY)


def _write(path: Path, data: bytes | str) -> str:
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return str(path)


def test_declarations_are_read(own):
    specs = runner.notebook_parameters(own)
    assert specs["table"].file_kinds == ("csv", "dataset") and specs["table"].column_of is None
    assert specs["count_column"].column_of == "table" and specs["lists"].column_of == "table"


def test_a_missing_own_table_is_refused_before_any_cell_runs(own, tmp_path):
    missing = tmp_path / "my_tabel.csv"
    t0 = time.monotonic()
    res = _cli("run", str(own), "--out", str(tmp_path / "o"), "-p", "table", str(missing))
    print(f"refused in {time.monotonic() - t0:.1f} s (the notebook body would sleep 300 s)")
    assert res.returncode == 2, res.stderr
    assert res.stderr.strip() == f"critique: error: own.ipynb: parameter 'table': file not found: '{missing}'"
    assert not (tmp_path / "o").exists() and not list(tmp_path.glob(".o.*")), "no kernel, no staging"


@pytest.mark.parametrize("content, message", [
    (b"A;B;count\n1;0;5\n", r"has one column 'A;B;count': it seems separated by semicolons; save it with commas"),
    (b"A\tB\tcount\n1\t0\t5\n", r"has one column 'A\\tB\\tcount': it seems separated by tabs"),
    (b"PK\x03\x04rest-of-a-zip", r"is an Excel workbook, not CSV text; save the sheet as 'CSV UTF-8'"),
    (b"A,B,count\n", r"has a header but no rows"),
    (b"", r"is empty"),
    (b"A,B,count\n1,0,\xe9\n", r"is not UTF-8 text \(byte 0xe9 at position 14\)"),
    (b"A,A,count\n1,0,5\n", r"names column 'A' twice"),
])
def test_bad_own_tables_are_one_line_naming_the_file(own, tmp_path, content, message):
    path = _write(tmp_path / "t.csv", content)
    with pytest.raises(ParameterError, match=rf"^own.ipynb: parameter 'table': '{path}' {message}"):
        runner.validate_parameters(own, {"table": path})


def test_a_folder_is_not_a_table(own, tmp_path):
    with pytest.raises(ParameterError, match=rf"'{tmp_path}' is a folder, not a csv file"):
        runner.validate_parameters(own, {"table": str(tmp_path)})


def test_count_and_list_columns_are_checked_against_the_header(own, tmp_path):
    path = _write(tmp_path / "r.csv", "A,B,C,Freq\n1,0,0,5\n0,1,1,2\n")
    # the R package's tables call the count column Freq: the default 'count' is named as the default
    with pytest.raises(ParameterError, match=r"parameter 'count_column': 'count' \(its default\) is not a column of "
                                             rf"'{path}' \(columns: A, B, C, Freq\)"):
        runner.validate_parameters(own, {"table": path})
    with pytest.raises(ParameterError, match=r"parameter 'lists': 'D' is not a column"):
        runner.validate_parameters(own, {"table": path, "count_column": "Freq", "lists": ["A", "D"]})
    ok = runner.validate_parameters(own, {"table": path, "count_column": "Freq", "lists": ["A", "B", "C"]})
    assert ok["count_column"] == "Freq"


def test_a_shipped_id_is_not_read_as_a_path_and_an_unknown_id_is_named(own):
    assert runner.validate_parameters(own, {"table": "mse-kosovo"}) == {"table": "mse-kosovo"}
    with pytest.raises(ParameterError, match=r"^own.ipynb: parameter 'table': 'mse-uk-2013-6' is neither a file path "
                                             r"nor a dataset id; did you mean mse-uk-2013"):
        runner.validate_parameters(own, {"table": "mse-uk-2013-6"})


def test_a_good_table_runs_with_relative_path_from_the_project_root(tmp_path, monkeypatch):
    nb = make_notebook(tmp_path / "quick.ipynb", params=OWN, body="from critique.publish import findings\n"
                       "import pandas as pd\nfindings.record('n', int(pd.read_csv(table)[count_column].sum()))\n")
    root = tmp_path / "proj"
    (root / "tables").mkdir(parents=True)
    _write(root / "tables" / "mine.csv", "A,B,count\n1,0,5\n0,1,7\n")
    monkeypatch.setenv("CRITIQUE_ROOT", str(root))
    runner.run_notebook(nb, {"table": "tables/mine.csv"}, tmp_path / "o")
    assert json.loads((tmp_path / "o" / "findings.json").read_text())["findings"]["n"] == 12  # 5 + 7
