"""The runner refuses bad parameters before any cell runs, and never replaces a good output by a failed one."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from critique.publish import findings, runner

PARAMS = '''n: int = 3  # how many points; range: 1..10
scale: float = 1.5  # multiplier; range: 0..*
label: str = "a"  # which series; choices: a, b
rates: list = [0.1, 0.2]  # rates; range: 0..1
fail: bool = False  # make a cell fail (tests)
'''

BODY = '''import matplotlib.pyplot as plt
from critique.figures import charts
from critique.publish import findings
charts.use_style()
assert not fail or 1 / 0
fig, ax = plt.subplots()
ax.plot(range(n), [scale * i for i in range(n)])
cap = charts.finalise(fig, "line", title="A line", description="y = scale * x for the test.",
                      source="Test source", caveat="A test caveat.", n=n)
findings.record("total", sum(scale * i for i in range(n)), note="sum of the line")
findings.record("label", label)
'''


def make_notebook(path: Path, params: str = PARAMS, body: str = BODY) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cell = nbformat.v4.new_code_cell(params)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Tiny test notebook"), cell, nbformat.v4.new_code_cell(body)]
    nbformat.write(nb, str(path))
    return path


@pytest.fixture
def tiny(tmp_path) -> Path:
    return make_notebook(tmp_path / "tiny.ipynb")


def test_parameters_are_read_with_ranges_and_choices(tiny):
    specs = runner.notebook_parameters(tiny)
    assert specs["n"].type_name == "int" and (specs["n"].low, specs["n"].high) == (1, 10)
    assert specs["scale"].low == 0 and specs["scale"].high is None
    assert specs["label"].choices == ("a", "b")
    assert specs["rates"].default == [0.1, 0.2]


@pytest.mark.parametrize("params, message", [
    ({"nn": 3}, "unknown parameter 'nn'; did you mean 'n'"),
    ({"n": "three"}, "parameter 'n': value 'three' is a str, expected int"),
    ({"n": 11}, r"parameter 'n': value 11 is out of range; allowed: int, in \[1, 10\]"),
    ({"n": True}, "parameter 'n': value True is a bool, expected int"),
    ({"label": "c"}, "parameter 'label': value 'c' is not allowed"),
    ({"rates": [0.5, 1.5]}, "parameter 'rates': element 1 1.5 is out of range"),
    ({"rates": ["x"]}, "parameter 'rates': element 0 .'x'. is not a number"),
    ({"scale": -1}, "parameter 'scale': value -1.0 is out of range"),
])
def test_bad_parameters_are_refused_naming_the_parameter(tiny, params, message):
    with pytest.raises(runner.ParameterError, match=message):
        runner.validate_parameters(tiny, params)


def test_int_is_accepted_for_float_and_cli_values_are_typed(tiny):
    assert runner.validate_parameters(tiny, {"scale": 2}) == {"scale": 2.0}
    assert runner.parse_cli_value("3") == 3 and runner.parse_cli_value("[0.1, 0.3]") == [0.1, 0.3]
    assert runner.parse_cli_value("b") == "b"


def test_successful_run_writes_outputs_atomically(tiny, tmp_path):
    out = tmp_path / "out"
    result = runner.run_notebook(tiny, {"n": 4, "scale": 2}, out)
    found = json.loads((out / "findings.json").read_text())
    assert found["findings"]["total"] == 12.0  # 2 * (0 + 1 + 2 + 3)
    assert found["findings"]["label"] == "a"
    assert found["notes"]["total"] == "sum of the line"
    assert found["parameters"] == {"n": 4, "scale": 2.0}
    assert {"pandas", "python", "critique-suite"} <= set(found["versions"])
    for ext in ("png", "svg", "txt", "json"):
        assert (out / "figures" / f"line.{ext}").exists()
    caption = (out / "figures" / "line.txt").read_text()
    assert "Source: Test source" in caption and "Caveat: A test caveat." in caption and "N: 4" in caption
    page = (out / "tiny.html").read_text()
    assert "Tiny test notebook" in page and "findings.record" not in page, "no code in the HTML page"
    assert 'alt="A line' in page
    assert not list(tmp_path.glob(".out.*")), "no staging folder left behind"
    assert result.figures[0]["source"] == "Test source"


def test_progress_writes_one_line_as_each_code_cell_starts(tiny, tmp_path, capfd):
    out = tmp_path / "out"
    runner.run_notebook(tiny, {"n": 2}, out, progress=True)
    lines = [ln for ln in capfd.readouterr().out.splitlines() if ln.strip().startswith("tiny ")]
    # recount from the executed notebook: its code cells (parameters, papermill's injected cell, body)
    code = [c for c in nbformat.read(str(out / "tiny.ipynb"), as_version=4).cells if c.cell_type == "code"]
    assert len(lines) == len(code) == 3, lines
    for i, (line, cell) in enumerate(zip(lines, code), start=1):
        first = next(ln.strip() for ln in cell.source.splitlines() if ln.strip())
        assert f" cell {i}/{len(code)}  " in line and line.endswith(first[:60]), (line, first)
    runner.run_notebook(tiny, {"n": 3}, tmp_path / "quiet")  # no progress asked: no line
    assert not [ln for ln in capfd.readouterr().out.splitlines() if ln.strip().startswith("tiny ")]


def test_incremental_run_is_skipped_when_nothing_changed(tiny, tmp_path):
    out = tmp_path / "out"
    runner.run_notebook(tiny, {"n": 2}, out, force=False, code="v1")
    assert runner.run_notebook(tiny, {"n": 2}, out, force=False, code="v1").skipped
    assert not runner.run_notebook(tiny, {"n": 3}, out, force=False, code="v1").skipped, "new parameters"
    assert not runner.run_notebook(tiny, {"n": 3}, out, force=False, code="v2").skipped, "new package code"
    tiny.write_text(tiny.read_text().replace("A line", "A new line"))
    assert not runner.run_notebook(tiny, {"n": 3}, out, force=False, code="v2").skipped, "edited notebook"
    assert runner.run_notebook(tiny, {"n": 3}, out, force=True, code="v2").skipped is False


def test_failed_run_keeps_last_good_output_and_partial_notebook(tiny, tmp_path):
    out = tmp_path / "out"
    runner.run_notebook(tiny, {"n": 2}, out)
    before = (out / "findings.json").read_text()
    with pytest.raises(runner.RunError, match=r"tiny.ipynb: cell 3 \(import matplotlib.pyplot as plt\) failed: ZeroDivisionError: division by zero"):
        runner.run_notebook(tiny, {"fail": True}, out)
    assert (out / "findings.json").read_text() == before
    assert (tmp_path / "out.failed" / "tiny.ipynb").exists(), "the partial notebook is kept for inspection"


def test_refused_parameter_leaves_previous_output_untouched(tiny, tmp_path):
    out = tmp_path / "out"
    runner.run_notebook(tiny, {"n": 2}, out)
    stamp = (out / "findings.json").stat().st_mtime_ns
    with pytest.raises(runner.ParameterError):
        runner.run_notebook(tiny, {"n": 99}, out)
    assert (out / "findings.json").stat().st_mtime_ns == stamp
    assert not (tmp_path / "out.failed").exists()


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "critique.publish.cli", *args], capture_output=True, text=True,
                          timeout=300, env=os.environ.copy())


def test_cli_run_refuses_before_running(tiny, tmp_path):
    out = tmp_path / "cli-out"
    for bad in (["-p", "nn", "3"], ["-p", "n", "three"], ["-p", "n", "50"]):
        res = _cli("run", str(tiny), "--out", str(out), *bad)
        assert res.returncode != 0
        assert "parameter 'n" in res.stderr and "Traceback" not in res.stderr
        assert not out.exists()


def test_cli_run_failing_cell_exits_non_zero_with_brief_error(tiny, tmp_path):
    res = _cli("run", str(tiny), "--out", str(tmp_path / "o"), "-p", "fail", "true")
    assert res.returncode == 1
    assert "ZeroDivisionError" in res.stderr and res.stderr.count("\n") <= 2


def test_cli_run_with_params_file(tiny, tmp_path):
    pfile = tmp_path / "set.yml"
    pfile.write_text("name: t\nnotebooks:\n  tiny:\n    n: 5\n")
    res = _cli("run", str(tiny), "-f", str(pfile), "--out", str(tmp_path / "o"))
    assert res.returncode == 0, res.stderr
    assert json.loads((tmp_path / "o" / "findings.json").read_text())["parameters"] == {"n": 5}


def test_parameter_line_papermill_cannot_read_is_an_error(tmp_path):
    nb = make_notebook(tmp_path / "odd.ipynb", params='x: int = 1  # note: a = b confuses papermill\n')
    try:
        specs = runner.notebook_parameters(nb)
    except runner.RunError as exc:
        assert "cannot read parameter(s) x" in str(exc)
    else:  # if papermill reads it after all, it must be complete
        assert "x" in specs


def test_every_project_notebook_declares_checkable_parameters():
    from critique.datasets import paths

    notebooks = sorted(paths.notebooks_dir().rglob("*.ipynb"))
    assert notebooks
    for nb in notebooks:
        if ".ipynb_checkpoints" in nb.parts:
            continue
        specs = runner.notebook_parameters(nb)  # raises if papermill cannot read a line
        for spec in specs.values():
            assert spec.help, f"{nb.name}: parameter {spec.name} has no help comment"
            if spec.type_name in ("int", "float"):
                assert spec.low is not None or spec.high is not None or spec.choices, \
                    f"{nb.name}: numeric parameter {spec.name} declares no range"


def test_choices_word_in_prose_declares_no_choices(tmp_path):
    nb = make_notebook(tmp_path / "prose.ipynb", params='mode: str = "x"  # see the choices: \n')
    spec = runner.notebook_parameters(nb)["mode"]
    assert spec.choices is None
    assert runner.validate_parameters(nb, {"mode": "y"}) == {"mode": "y"}


def test_is_up_to_date_needs_same_bytes_params_and_code(tiny, tmp_path):
    out = tmp_path / "out"
    assert not runner.is_up_to_date(tiny, {"n": 2}, out, code="v1"), "nothing there yet"
    runner.run_notebook(tiny, {"n": 2}, out, code="v1")
    assert runner.is_up_to_date(tiny, {"n": 2}, out, code="v1")
    assert not runner.is_up_to_date(tiny, {"n": 3}, out, code="v1")
    assert not runner.is_up_to_date(tiny, {"n": 2}, out, code="v2")
    tiny.write_text(tiny.read_text().replace("A line", "Another line"))
    assert not runner.is_up_to_date(tiny, {"n": 2}, out, code="v1")


def test_cli_help_lists_every_command():
    res = _cli("--help")
    assert res.returncode == 0
    for command in ("data", "run", "reports", "workshop", "profiles"):
        assert f"    {command}" in res.stdout


def test_a_test_session_writes_nothing_into_the_checkout():
    # issue 30: reports/scratch/.findings.partial.json appeared in the checkout while the tests ran
    from critique.datasets import paths

    checkout = Path(__file__).resolve().parents[1]
    findings.record("probe", 1)  # outside a runner: goes to CRITIQUE_OUTPUT_DIR, set by conftest
    written = paths.output_dir().resolve() / findings.PARTIAL_NAME
    assert written.exists() and checkout not in written.parents
    assert not (checkout / "reports" / "scratch" / findings.PARTIAL_NAME).exists()
