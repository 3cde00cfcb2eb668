"""The built briefing as a reader gets it: the brief first, a PDF with searchable text and a title,
the brief alone in at most four pages, and reader pages that load nothing from another host."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml

from critique.datasets import catalog
from critique.publish import htmlcheck, reports
from test_reports import project  # noqa: F401  (the fixture: a throwaway project with two notebooks)
from test_runner import BODY, make_notebook

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
                                   reason="poppler-utils (pdftotext, pdfinfo) is not installed")

# 01-first runs with n = 4, scale 1.5: total = 1.5 * (0+1+2+3) = 9.0 (by hand)
HEADLINES = ([{"notebook": "01-first", "chart": "line", "sentence": "The line adds up to {total:,.1f}."}] * 6
             + [{"notebook": "02-second", "chart": "line", "sentence": "The second series is labelled {label}."}])


def _pdf_text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def _pdf_info(pdf) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


@pytest.fixture
def built(project):  # noqa: F811
    kf = project / "notebooks" / "key_findings"
    kf.mkdir()
    (kf / "_brief.yml").write_text(yaml.safe_dump({"about": "A test briefing.", "headlines": HEADLINES}))
    # a third notebook writes a warning with a path to stderr, as a library warning would
    make_notebook(project / "notebooks" / "03-third.ipynb",
                  body=BODY.replace("n=n)", "n=n, data=__import__('pandas').DataFrame({'x': range(n)}))")  # a data CSV
                  + 'import sys\nprint("RuntimeWarning: /build/machine/path.py:12", file=sys.stderr)\n')
    res = reports.build_reports(project / "notebooks/params/brief.yml", progress=False)
    assert not res.failed, res.failed
    return project / "reports" / "brief"


def test_built_briefing_opens_with_the_brief_loads_nothing_remote_and_prints_searchable(built):
    index = (built / "index.html").read_text()
    body = index.split("<body>", 1)[1]
    assert body.index('<h2>The brief</h2>') < body.index("All findings, by notebook") < body.index("<h2>Notebooks</h2>")
    brief = body.split('<section id="brief"', 1)[1].split("</section>", 1)[0]
    assert brief.count("The line adds up to 9.0.") == 6 and "The second series is labelled b." in brief
    text = re.sub(r"<[^>]+>", " ", brief)  # what a reader reads, not the markup
    ids = {ds_id for ds_id in catalog.load_catalog()}
    assert not [i for i in ids if re.search(rf"\b{re.escape(i)}\b", text)], "a catalogue id in the brief"
    assert "@" not in text
    assert not re.findall(r"\b[a-z0-9]+_[a-z0-9_]+\b", text), "snake_case in the brief"
    assert htmlcheck.key_findings_problems(built / "index.html") == []
    # the third notebook saved its chart's data: the workbook holds it (tests/test_workbook.py compares cells)
    assert 'href="tables.xlsx"' in index and (built / "tables.xlsx").exists()
    import openpyxl
    assert openpyxl.load_workbook(built / "tables.xlsx", read_only=True).sheetnames == ["Sources", "03 line"]
    # one build, three reads (a build takes most of a minute): the pages, then the PDF
    _no_reader_page_loads_from_another_host_and_none_shows_stderr(built)
    if shutil.which("pdftotext") and shutil.which("pdfinfo"):
        _pdf_has_a_title_and_searchable_chart_titles_and_the_brief_alone_is_short(built)


def _no_reader_page_loads_from_another_host_and_none_shows_stderr(built):
    assert htmlcheck.offline_problems(built / "index.html") == []
    pages = sorted(built.glob("*/*.html"))
    assert len(pages) == 3
    for page in pages:
        html = page.read_text()
        assert htmlcheck.external_resources(html) == [], page.name
        assert "require.js" not in html and "mathjax" not in html.lower()
        assert "/build/machine/path.py" not in html and "RuntimeWarning" not in html
        assert "<style" in html and "reader-table" in html  # the reader's CSS comes with the template


def test_external_resources_lists_loads_not_links():
    html = ('<script src="https://cdn.example.org/r.js"></script><a href="https://www.unodc.org/x.pdf">report</a>'
            '<link rel="stylesheet" href="//fonts.example.com/f.css"><img src="figures/a.png">'
            "<style>@import 'https://x.example/y.css'; .a{background:url(data:image/png;base64,AAA)}</style>")
    assert htmlcheck.external_resources(html) == ["https://cdn.example.org/r.js", "//fonts.example.com/f.css",
                                                  "https://x.example/y.css"]


def _pdf_has_a_title_and_searchable_chart_titles_and_the_brief_alone_is_short(built):
    pdf, brief = built / "briefing.pdf", built / "brief.pdf"
    assert _pdf_info(pdf)["Title"].strip() == "critique-suite: brief"
    text = _pdf_text(pdf)
    for sidecar in built.glob("*/figures/*.json"):
        title = yaml.safe_load(sidecar.read_text())["title"]
        assert title in text, f"chart title {title!r} not searchable in the PDF"
    assert "The line adds up to 9.0." in text  # (the test notebooks declare no per-notebook findings)
    # findings cite their source by number; the numbered list prints it once (each chart image
    # carries its own source line as well, as every chart must)
    assert text.count("Source: [1].") == 7 and re.search(r"\[1\]\s+Test source", text)
    assert int(_pdf_info(brief)["Pages"]) <= 4
    brief_text = _pdf_text(brief)
    assert "The brief" in brief_text and "All findings" not in brief_text
    assert not re.findall(r"\b[a-z0-9]+_[a-z0-9_]+\b", brief_text)


@needs_poppler
def test_a_headline_missing_its_key_fails_the_build_naming_notebook_and_key(project):  # noqa: F811
    kf = project / "notebooks" / "key_findings"
    kf.mkdir()
    bad = [{"notebook": "01-first", "chart": "line", "sentence": "Missing {not_recorded}."}] + HEADLINES[1:]
    (kf / "_brief.yml").write_text(yaml.safe_dump({"about": "A test.", "headlines": bad}))
    res = reports.build_reports(project / "notebooks/params/brief.yml", progress=False)
    assert "01-first" in res.failed
    assert "key 'not_recorded'" in res.failed["01-first"] and "_brief.yml" in res.failed["01-first"]
