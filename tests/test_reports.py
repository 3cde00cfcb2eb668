"""`critique reports`: every notebook, index, chart pack; incremental; a failure keeps the last good report."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from critique.publish import htmlcheck
from critique.publish import reports
from critique.publish import runner
from test_runner import make_notebook

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A throwaway project root with two tiny notebooks and the real data folder."""
    root = tmp_path / "proj"
    (root / "notebooks" / "params").mkdir(parents=True)
    (root / "data").symlink_to(ROOT / "data")
    make_notebook(root / "notebooks" / "01-first.ipynb")
    make_notebook(root / "notebooks" / "02-second.ipynb")
    (root / "notebooks" / "params" / "brief.yml").write_text(
        "name: brief\nnotebooks:\n  01-first:\n    n: 4\n  02-second:\n    label: b\n")
    monkeypatch.setenv("CRITIQUE_ROOT", str(root))
    return root


def test_reports_build_index_pages_figures_and_pack(project):
    res = reports.build_reports(project / "notebooks/params/brief.yml", n_jobs=2, progress=False)
    out = project / "reports" / "brief"
    assert sorted(res.ran) == ["01-first", "02-second"] and not res.failed
    for stem in ("01-first", "02-second"):
        assert (out / stem / f"{stem}.html").stat().st_size > 0
        assert (out / stem / f"{stem}.ipynb").exists()
        for ext in ("png", "svg", "txt"):
            assert (out / stem / "figures" / f"line.{ext}").exists()
        assert "Source: Test source" in (out / stem / "figures" / "line.txt").read_text()
    first = json.loads((out / "01-first" / "findings.json").read_text())
    assert first["findings"]["total"] == 9.0  # 1.5 * (0+1+2+3)
    assert json.loads((out / "02-second" / "findings.json").read_text())["findings"]["label"] == "b"
    index = (out / "index.html").read_text()
    assert index.count("<figure>") == 2 and "Source: Test source" in index
    assert (out / "briefing.pdf").read_bytes()[:4] == b"%PDF"
    assert htmlcheck.static_problems(out / "index.html") == []


def test_second_build_skips_unchanged_and_force_reruns(project):
    pfile = project / "notebooks/params/brief.yml"
    reports.build_reports(pfile, progress=False)
    again = reports.build_reports(pfile, progress=False)
    assert again.ran == [] and sorted(again.skipped) == ["01-first", "02-second"]
    forced = reports.build_reports(pfile, progress=False, force=True)
    assert sorted(forced.ran) == ["01-first", "02-second"]


def test_unchanged_build_keeps_index_and_pdf_and_a_new_brief_rewrites_them(project):
    pfile = project / "notebooks/params/brief.yml"
    reports.build_reports(pfile, progress=False)
    out = project / "reports" / "brief"
    stamps = {f: (out / f).stat().st_mtime_ns for f in ("index.html", "briefing.pdf")}
    again = reports.build_reports(pfile, progress=False)
    assert again.ran == [] and not again.failed
    assert {f: (out / f).stat().st_mtime_ns for f in stamps} == stamps, "a no-op build rewrote the index"
    # the other side: the index reads the key-finding files, so a new brief is a change
    kf = project / "notebooks" / "key_findings"
    kf.mkdir()
    (kf / "_brief.yml").write_text(yaml.safe_dump({"about": "A test briefing.", "headlines": [
        {"notebook": "01-first", "chart": "line", "sentence": "The line adds up to {total:,.1f}."}] * 6 + [
        {"notebook": "02-second", "chart": "line", "sentence": "The second series is labelled {label}."}]}))
    third = reports.build_reports(pfile, progress=False)
    assert third.ran == [] and not third.failed
    assert all((out / f).stat().st_mtime_ns != stamps[f] for f in stamps)
    assert "The line adds up to 9.0." in (out / "index.html").read_text()  # 1.5 * (0+1+2+3), by hand


def test_failing_notebook_keeps_its_last_good_output_and_others_complete(project):
    pfile = project / "notebooks/params/brief.yml"
    reports.build_reports(pfile, progress=False)
    good = (project / "reports/brief/02-second/findings.json").read_text()
    pfile.write_text("name: brief\nnotebooks:\n  01-first:\n    n: 5\n  02-second:\n    fail: true\n")
    res = reports.build_reports(pfile, progress=False)
    assert res.ran == ["01-first"] and list(res.failed) == ["02-second"]
    assert "ZeroDivisionError" in res.failed["02-second"]
    assert (project / "reports/brief/02-second/findings.json").read_text() == good
    assert "Failed in this run" in (project / "reports/brief/index.html").read_text()


def test_bad_parameter_in_set_refuses_before_any_run(project):
    pfile = project / "notebooks/params/brief.yml"
    pfile.write_text("name: brief\nnotebooks:\n  01-first:\n    n: 500\n")
    with pytest.raises(runner.ParameterError, match="parameter 'n': value 500 is out of range"):
        reports.build_reports(pfile, progress=False)
    assert not (project / "reports" / "brief" / "01-first").exists()


def test_set_naming_a_missing_notebook_is_refused(project):
    pfile = project / "notebooks/params/brief.yml"
    pfile.write_text("name: brief\nnotebooks:\n  03-missing:\n    n: 5\n")
    with pytest.raises(runner.ParameterError, match="no notebook named 03-missing"):
        reports.build_reports(pfile, progress=False)


@pytest.mark.skipif(htmlcheck.chromium() is None, reason="Debian's chromium is not installed")
def test_index_renders_in_headless_chromium(project):
    reports.build_reports(project / "notebooks/params/brief.yml", progress=False)
    assert htmlcheck.browser_problems(project / "reports/brief/index.html") == []
