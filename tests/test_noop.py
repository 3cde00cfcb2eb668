"""A no-op `critique reports` decides "nothing changed" without importing what a build needs (issue 29).

The time itself is measured in `make bench` only; here: what the deciding path imports, and that
it still sees a change.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from critique.publish import reports, schedule
from test_runner import BODY, make_notebook

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "pandera", "numpy", "scipy", "matplotlib", "papermill", "nbformat", "nbclient",
         "jupyter_client", "openpyxl", "typst")
TABLE = "global-estimates"  # a published table: the run key then holds an input's checksum
CHART_WITH_DATA = ("fig2, ax2 = plt.subplots()\nax2.plot([0, 1])\n"
                   "charts.finalise(fig2, 'rows', title='Rows', description='The first rows of the table.', "
                   "source='Test source', n=20, data=T.head(20))\n")


def _cli(root: Path, *args: str) -> dict:
    """Run `critique reports` in a fresh interpreter; its output and the heavy modules it imported."""
    code = ("import json, sys\nfrom critique.publish import cli\nrc = cli.main(sys.argv[1:])\n"
            f"print(json.dumps({{'rc': rc, 'heavy': sorted(m for m in {HEAVY!r} if m in sys.modules)}}))")
    env = dict(os.environ, CRITIQUE_ROOT=str(root))
    done = subprocess.run([sys.executable, "-c", code, "reports", *args], capture_output=True, text=True,
                          env=env, cwd=root, timeout=600)
    assert done.returncode in (0, 1), done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["summary"] = next(ln for ln in done.stdout.splitlines() if ln.startswith("reports:"))
    return out


@pytest.fixture
def built(tmp_path, monkeypatch) -> Path:
    """A project with two tiny notebooks (one reads a published table), built once."""
    root = tmp_path / "proj"
    (root / "notebooks" / "params").mkdir(parents=True)
    (root / "data").symlink_to(ROOT / "data")
    make_notebook(root / "notebooks" / "01-first.ipynb",
                  body=f"from critique import datasets\nT = datasets.load({TABLE!r})\n" + BODY + CHART_WITH_DATA)
    make_notebook(root / "notebooks" / "02-second.ipynb")
    (root / "notebooks" / "params" / "brief.yml").write_text(
        "name: brief\nnotebooks:\n  01-first:\n    n: 4\n  02-second:\n    label: b\n")
    monkeypatch.setenv("CRITIQUE_ROOT", str(root))
    res = reports.build_reports(root / "notebooks/params/brief.yml", progress=False)
    assert sorted(res.ran) == ["01-first", "02-second"] and not res.failed
    inputs = json.loads((root / "reports/brief/01-first/findings.json").read_text())["inputs"]
    assert [i["id"] for i in inputs] == [TABLE]
    return root


def test_noop_build_decides_without_importing_the_build(built):
    out = _cli(built, "-f", "notebooks/params/brief.yml")
    assert out["rc"] == 0 and out["summary"].startswith("reports: 0 run, 2 unchanged, 0 failed")
    assert out["heavy"] == [], f"a no-op build imported {out['heavy']}"


def test_changed_parameter_is_still_seen_by_the_lean_path(built):
    pfile = built / "notebooks/params/brief.yml"
    pfile.write_text(pfile.read_text().replace("n: 4", "n: 5"))
    out = _cli(built, "-f", "notebooks/params/brief.yml")
    assert out["rc"] == 0 and out["summary"].startswith("reports: 1 run, 1 unchanged, 0 failed")
    found = json.loads((built / "reports/brief/01-first/findings.json").read_text())
    assert found["findings"]["total"] == 15.0  # 1.5 * (0+1+2+3+4), by hand


def test_datasets_package_registers_every_loader_lazily():
    """`import critique.datasets` imports no pandas; the first lookup registers every loader, the
    same set as importing every module of the package by hand (a new loader module left out of
    LOADER_MODULES fails here); loader modules stay reachable as attributes."""
    code = """
import json, pkgutil, importlib, sys
import critique.datasets as d
before = sorted(m for m in ("pandas", "pandera") if m in sys.modules)
lazy = d.ids()
for info in pkgutil.iter_modules(d.__path__):
    importlib.import_module(f"critique.datasets.{info.name}")
print(json.dumps({"before": before, "lazy": lazy, "all": d.ids(),
                  "attr": callable(d.published.read_sidecar)}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["before"] == []
    assert out["lazy"] == out["all"] and TABLE in out["all"] and "glotip" in out["all"]
    assert out["attr"] is True


@pytest.mark.parametrize("lang", ["en", "es"])
def test_workbook_written_apart_is_the_same_workbook(built, monkeypatch, lang):
    """The index step writes tables.xlsx in a second process when the chart CSVs are big: same
    sheets and cells as written in this process, in the reader's language, and the index links it."""
    import pandas as pd

    from critique.core import i18n
    from critique.publish import workbook

    out = built / "reports" / "brief"
    names = ["01-first", "02-second"]
    sheets = {}
    with i18n.using(lang):
        sources, sheet = i18n._(workbook.SOURCES_SHEET), i18n._("sheet")  # as this process translates them
        for limit in (10**12, 0):  # never apart (a thread of this process), always apart (a second process)
            monkeypatch.setattr(schedule, "WORKBOOK_APART_BYTES", limit)
            reports.write_index_and_pack(out, names, title="t", rebuild_pdf=False)
            sheets[limit] = pd.read_excel(out / "tables.xlsx", sheet_name=None, engine="openpyxl")
            assert 'href="tables.xlsx"' in (out / "index.html").read_text()
    assert list(sheets[0]) == list(sheets[10**12]) and len(sheets[0]) == 2  # Sources + the one chart with data
    assert list(sheets[0])[0] == sources and sheets[0][sources].columns[0] == sheet
    assert (lang == "en") == (sheet == "sheet")  # Spanish really is another language here
    for name, frame in sheets[0].items():
        pd.testing.assert_frame_equal(frame, sheets[10**12][name])
