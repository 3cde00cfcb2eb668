"""Every listed input fault of issue 30 is one line naming the file, value, notebook or folder."""
from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from critique.datasets import catalog
from critique.publish import cli, reports, runner
from critique.core.errors import ParameterError
from test_runner import PARAMS, make_notebook
from test_runner_faults import _cli, _three_notebook_project

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def tiny(tmp_path) -> Path:
    return make_notebook(tmp_path / "tiny.ipynb")


def _one_line(res: subprocess.CompletedProcess, code: int) -> str:
    assert res.returncode == code, (res.returncode, res.stderr)
    assert "Traceback" not in res.stderr
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, res.stderr
    return lines[0]


# ------------------------------------------------------------------ parameter-set files
@pytest.mark.parametrize("content, message", [
    (b"- a\n- b\n", r"set.yml: a parameter set is a mapping with 'name' and 'notebooks' .*; found a list"),
    (b"name: s\nnotebooks:\n  tiny: [1, 2]\n", r"set.yml: notebook 'tiny': its parameters must be a mapping .*found a list"),
    (b"name: s\nnotebooks:\n  tiny: n is 3\n", r"set.yml: notebook 'tiny': .*found a string"),
    (b"name: s\nnotebooks:\n  tiny:\n    label: \"caf\xe9\"\n", r"set.yml: not UTF-8 text \(byte 0xe9 at position 42\)"),
    (b"name: s\nnotebooks: [tiny]\n", r"set.yml: 'notebooks' must map notebook stems to parameters; found a list"),
    (b"name: s\nnotebooks:\n  tiny: {n: 3\n", r"set.yml: not valid YAML at line 4"),
])
def test_bad_parameter_set_files_are_one_line(tmp_path, content, message):
    pfile = tmp_path / "set.yml"
    pfile.write_bytes(content)
    if b"\xe9" in content:
        assert content.index(b"\xe9") == 42  # the position the message names, recounted
    with pytest.raises(ParameterError, match=message):
        runner.load_param_set(pfile)


def test_bad_parameter_set_on_the_command_line_is_one_line(tiny, tmp_path):
    pfile = tmp_path / "set.yml"
    pfile.write_text("- tiny\n")
    line = _one_line(_cli("run", str(tiny), "-f", str(pfile), "--out", str(tmp_path / "o")), 2)
    assert line.startswith(f"critique: error: {pfile}: a parameter set is a mapping")


# ------------------------------------------------------------------ values as typed
DATES = '''edition: str = "newest"  # catalogue edition: newest, or a date YYYY-MM-DD
release_from: str = "2023-05-30"  # first release compared (YYYY-MM-DD)
count: int = 10  # how many; range: 0..*
shift: float = 0.0  # a shift; range: *..*
cell: str = ""  # a list name (empty: the default rule)
'''


@pytest.fixture
def dated(tmp_path) -> Path:
    return make_notebook(tmp_path / "dated.ipynb", params=DATES, body="from critique.publish import findings\n"
                         "SOURCE = 'glotip'  # the source whose releases the edition picks\n"
                         "findings.record('values', [edition, release_from, count, shift, cell])\n")


def test_impossible_date_is_named_not_a_traceback(dated, tmp_path):
    line = _one_line(_cli("run", str(dated), "--out", str(tmp_path / "o"), "-p", "edition", "2023-02-30"), 2)
    assert line == ("critique: error: edition='2023-02-30': expected 'newest' or a date YYYY-MM-DD such as "
                    "2023-05-30 (day is out of range for month)")
    pfile = tmp_path / "set.yml"
    pfile.write_text("name: s\nnotebooks:\n  dated:\n    edition: 2023-02-30\n")
    line = _one_line(_cli("run", str(dated), "-f", str(pfile), "--out", str(tmp_path / "o")), 2)
    assert "edition='2023-02-30'" in line and "day is out of range for month" in line


def test_an_edition_before_every_release_is_refused_upfront(dated, tmp_path):
    # the check reads the sources a notebook's code names: this one names glotip only
    earliest, firsts = catalog.earliest_edition(sources={"glotip"})
    assert earliest == max(d.published for d in firsts)  # recount: the latest of the first releases
    assert earliest == "2023-05-30"  # data/catalog.yml: UNODC's first catalogued release (30 May 2023)
    # every dated source: the NRM tables' first release (7 March 2024) is the latest first release
    assert catalog.earliest_edition()[0] == "2024-03-07"
    with pytest.raises(ParameterError, match=r"edition='2023-01-01': no release on or before it of glotip "
                                             r"\(first release 2023-05-30\); the earliest edition is 2023-05-30"):
        runner.validate_parameters(dated, {"edition": "2023-01-01"})
    assert runner.validate_parameters(dated, {"edition": "2023-05-30"}) == {"edition": "2023-05-30"}
    nrm = make_notebook(tmp_path / "nrm.ipynb", params=DATES, body="SOURCE = 'nrm-referrals'\n")
    with pytest.raises(ParameterError, match=r"edition='2023-05-30': no release on or before it of nrm-referrals "
                                             r"\(first release 2024-03-07\)"):
        runner.validate_parameters(nrm, {"edition": "2023-05-30"})


def test_dates_exponents_negatives_and_empty_strings_round_trip(dated, tmp_path):
    out = tmp_path / "o"
    res = _cli("run", str(dated), "--out", str(out), "-p", "release_from", "2023-05-30", "-p", "count", "1e6",
               "-p", "shift", "-0.5e1", "-p", "cell", "")
    assert res.returncode == 0, res.stderr
    import json

    found = json.loads((out / "findings.json").read_text())
    assert found["findings"]["values"] == ["newest", "2023-05-30", 1000000, -5.0, ""]
    pfile = tmp_path / "set.yml"
    pfile.write_text("name: s\nnotebooks:\n  dated:\n    release_from: 2023-05-30\n    count: 1e6\n    cell: ''\n")
    _, per = runner.load_param_set(pfile)
    assert runner.validate_parameters(dated, per["dated"]) == {"release_from": "2023-05-30", "count": 1000000,
                                                              "cell": ""}


def test_minus_inf_on_the_command_line_is_refused_as_not_finite(tiny, tmp_path):
    line = _one_line(_cli("run", str(tiny), "--out", str(tmp_path / "o"), "-p", "scale", "-inf"), 2)
    assert line.startswith("critique: error: parameter 'scale': value '-inf' is not a finite number")


@pytest.mark.parametrize("option, value", [("--timeout", "-5"), ("--timeout", "0"), ("--jobs", "-1"),
                                           ("--jobs", "0")])
def test_negative_timeout_and_jobs_are_refused(tiny, tmp_path, option, value):
    args = ["reports"] if option == "--jobs" else ["run", str(tiny), "--out", str(tmp_path / "o")]
    res = _cli(*args, f"{option}={value}")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert f"argument {option}: {int(value)} is below 1" in res.stderr
    with pytest.raises(ParameterError, match=r"--timeout -5: expected a whole number of seconds, at least 1"):
        runner.run_notebook(tiny, {}, tmp_path / "o", timeout=-5)
    assert not (tmp_path / "o").exists()


def test_a_bad_value_in_a_multi_notebook_set_names_the_notebook(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    pfile = _three_notebook_project(root)
    pfile.write_text("name: brief\nnotebooks:\n  01-first:\n    n: 3\n  03-third:\n    n: 500\n")
    monkeypatch.setenv("CRITIQUE_ROOT", str(root))
    with pytest.raises(ParameterError, match=r"^03-third.ipynb: parameter 'n': value 500 is out of range"):
        reports.build_reports(pfile, progress=False)


def test_equals_sign_message_says_where_the_equals_sign_is(tmp_path):
    in_value = make_notebook(tmp_path / "v.ipynb", params='opts: dict = dict(a=1)  # options\n')
    with pytest.raises(runner.RunError, match=r"opts \(its value holds '='"):
        runner.notebook_parameters(in_value)
    in_comment = make_notebook(tmp_path / "c.ipynb", params='x: int = 1  # note: a = b; range: 0..2\n')
    with pytest.raises(runner.RunError, match=r"x \(its help comment holds '='"):
        runner.notebook_parameters(in_comment)


# ------------------------------------------------------------------ the file system
@pytest.mark.parametrize("err, words", [
    (errno.ENOSPC, "No space left on device (the disk is full"),
    (errno.EACCES, "Permission denied (no permission to write there"),
    (errno.EROFS, "Read-only file system (the file system is read-only"),
])
def test_file_system_errors_are_one_line_naming_the_file(monkeypatch, capsys, err, words):
    def fail(args):  # what a full disk or a read-only cache/pack/report folder raises mid-command
        raise OSError(err, os.strerror(err), "/srv/reports/briefing/index.html")

    monkeypatch.setattr(cli, "_cmd_data_list", fail)
    assert cli.main(["data", "list"]) == 1
    err_text = capsys.readouterr().err.strip()
    assert err_text.startswith(f"critique: error: /srv/reports/briefing/index.html: {words}")
    assert "\n" not in err_text


def test_unwritable_output_parent_is_one_line(tiny, tmp_path, monkeypatch):
    real_open = os.open

    def refuse(path, flags, *args, **kwargs):
        if str(path).endswith(".o.lock"):  # what a read-only folder does (root ignores modes)
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(runner.RunError, match=rf"^{tmp_path}: cannot write here \(Permission denied\)$"):
        runner.run_notebook(tiny, {}, tmp_path / "o")


# ------------------------------------------------------------------ no machine paths for readers
def test_executed_notebook_and_page_hold_no_path_of_the_building_machine(tmp_path):
    body = ("import warnings, critique\nwarnings.warn('from ' + critique.__file__)\n"
            "print(critique.__file__)\n")
    nb = make_notebook(tmp_path / "paths.ipynb", params=PARAMS, body=body)
    out = tmp_path / "out"
    runner.run_notebook(nb, {}, out)
    import critique

    src = str(Path(critique.__file__).resolve().parents[2])
    for name in ("paths.ipynb", "paths.html", "findings.json"):
        text = (out / name).read_text()
        assert src not in text and str(tmp_path) not in text, name
    assert "<project>/src/critique/__init__.py" in (out / "paths.ipynb").read_text()
    body_fail = "import critique\nraise ValueError('bad ' + critique.__file__)\n"
    bad = make_notebook(tmp_path / "bad.ipynb", params=PARAMS, body=body_fail)
    with pytest.raises(runner.RunError):
        runner.run_notebook(bad, {}, tmp_path / "bad-out")
    assert src not in (tmp_path / "bad-out.failed" / "bad.ipynb").read_text()


def test_make_reports_passes_timeout_and_jobs_through():
    res = subprocess.run(["make", "-n", "-C", str(ROOT), "reports", "TIMEOUT=1234", "JOBS=1"],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    line = [ln for ln in res.stdout.splitlines() if "critique reports" in ln]
    assert line and line[-1].endswith("critique reports -f notebooks/params/briefing.yml --jobs 1 --timeout 1234")
