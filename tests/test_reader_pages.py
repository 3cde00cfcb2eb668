"""Reader pages: no developer tables, no stray values, formatted tables; the index opens with key findings."""
from __future__ import annotations

import datetime as dt

import nbformat
import pandas as pd

from critique.publish import pages as htmlpages
from critique.publish import keyfindings
from critique.figures import tables


def test_numbers_are_formatted_for_readers():
    assert [tables.number(v) for v in (12213.995125, 7.13e-11, 38.0, 3.4567, 0.047, 1234567, float("nan"), 0)] == \
        ["12,214", "7.1e-11", "38", "3.46", "0.047", "1,234,567", "–", "0"]


def test_reader_table_hides_index_gaps_keeps_years_and_formats_shares():
    df = pd.DataFrame({"data_year": [2015, 2016, 2018], "value": [12213.995125, 1500.0, None],
                       "share": [0.25, 0.5, 0.125]}, index=[0, 5, 7])
    html = tables.reader_table(df, percent=["share"], units={"value": "people"}).to_html()
    assert "12,214" in html and "2015" in html and "2,015" not in html and "12.5%" in html
    assert "value (people)" in html and "–" in html
    assert ">7<" not in html, "an unnamed integer index (with gaps) is not shown"


def _executed_notebook():
    nb = nbformat.v4.new_notebook()
    md = nbformat.v4.new_markdown_cell("# Title\n\nWhat it shows.\n\n**Findings keys** (`findings.json`): `a`, `b`.")
    stray = nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
        "execute_result", data={"text/plain": "38.0"}, execution_count=1)])
    table = nbformat.v4.new_code_cell("t", outputs=[nbformat.v4.new_output(
        "execute_result", data={"text/plain": "df", "text/html": "<table><tr><td>1</td></tr></table>"},
        execution_count=2)])
    printed = nbformat.v4.new_code_cell("p", outputs=[nbformat.v4.new_output("stream", name="stdout",
                                                                             text="A sentence for readers.\n")])
    nb.cells = [md, stray, table, printed]
    return nb


def test_reader_notebook_drops_stray_values_and_moves_findings_keys(tmp_path):
    nb, notes = htmlpages.reader_notebook(_executed_notebook())
    assert notes == ["**Findings keys** (`findings.json`): `a`, `b`."]
    assert "Findings keys" not in nb.cells[0].source and "What it shows." in nb.cells[0].source
    assert nb.cells[1].outputs == [], "a bare echoed value is not for readers"
    assert len(nb.cells[2].outputs) == 1 and len(nb.cells[3].outputs) == 1
    path = tmp_path / "page.ipynb"
    nbformat.write(_executed_notebook(), str(path))
    (tmp_path / "findings.json").write_text('{"findings": {"a": 1}}')
    page = htmlpages.notebook_html(path)
    body = page.split("<details", 1)
    assert "Findings keys" not in body[0] and "38.0" not in page and "A sentence for readers." in page
    assert "For developers: findings keys" in body[1] and "<code>a</code>" in body[1]


def test_index_opens_with_key_findings_and_marks_a_failed_page():
    kf = keyfindings.KeyFinding("40-mse", "Stepwise gives 11,418 (95% interval 10,001 to 13,182).", "procedures",
                                "Estimates by procedure", "Home Office (2014)", False, "40-mse/figures/procedures.png")
    sc = keyfindings.KeyFinding("20-raids", "Under the assumed rates, 1,234 of those counted.", "scenario",
                                "What if", "Assumptions", True, None)
    pages = [{"stem": "40-mse", "title": "MSE", "html": "40-mse/40-mse.html", "ipynb": "i", "findings": "f",
              "figures": [], "key_findings": [kf], "key_errors": [], "failed": None, "has_output": True},
             {"stem": "20-raids", "title": "Raids", "html": "h", "ipynb": "i", "findings": "f", "figures": [],
              "key_findings": [sc], "key_errors": ["20-raids: key finding needs key 'x', which findings.json does not record"],
              "failed": None, "has_output": True},
             {"stem": "50-policy", "title": "Policy", "figures": [], "key_findings": [], "key_errors": [],
              "failed": "50-policy.ipynb: cell 4 (import time) timed out after 20 s", "has_output": False,
              "failed_notebook": "50-policy.failed/50-policy.ipynb"}]
    html = htmlpages.index_html("critique-suite: briefing", pages, [], dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    body = html.split("<body>", 1)[1]
    assert body.index("All findings, by notebook") < body.index("<h2>Notebooks</h2>")
    assert "Stepwise gives 11,418 (95% interval 10,001 to 13,182)." in body
    assert 'Chart: <a href="40-mse/figures/procedures.png">Estimates by procedure</a>' in body
    # sources are numbered and listed once at the end
    assert 'Source: <a href="#ref-1">[1]</a>' in body and '<li id="ref-1" value="1">Home Office (2014)</li>' in body
    assert body.count("Home Office (2014)") == 1
    assert "Scenario (assumptions, not a measurement):</span> Under the assumed rates" in body
    assert body.count('class="failed-page"') >= 3
    assert "timed out after 20 s" in body and 'href="50-policy.failed/50-policy.ipynb"' in body
    assert "key finding needs key &#x27;x&#x27;" in body


def test_check_html_requires_the_index_to_open_with_key_findings(tmp_path):
    from critique.publish import htmlcheck

    index = tmp_path / "index.html"
    index.write_text("<html><body><h2>Notebooks</h2><ul><li>x</li></ul></body></html>")
    assert htmlcheck.key_findings_problems(index) == [
        f"{index}: does not open with the brief or the key findings (first section: Notebooks)"]
    index.write_text('<html><body><section id="brief"><h2>The brief</h2><ol></ol></section></body></html>')
    assert htmlcheck.key_findings_problems(index) == [f"{index}: the section 'The brief' is empty"]
    index.write_text('<section id="brief"><h2>The brief</h2><ol><li>A.</li></ol></section>')
    assert htmlcheck.key_findings_problems(index) == []
    index.write_text('<section id="key-findings"><h2>All findings, by notebook</h2><ul><li>A.</li></ul></section>')
    assert htmlcheck.key_findings_problems(index) == []


def test_findings_keys_paragraph_takes_its_table_along():
    import nbformat

    from critique.publish.pages import reader_notebook

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(
        "# T\n\nIntro.\n\n**Findings keys** (`findings.json`):\n\n| key | what |\n|---|---|\n| a | b |\n\nAfter.")]
    reader, notes = reader_notebook(nb)
    assert reader.cells[0].source == "# T\n\nIntro.\n\nAfter."
    assert notes == ["**Findings keys** (`findings.json`):\n\n| key | what |\n|---|---|\n| a | b |"]
