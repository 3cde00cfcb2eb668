"""Printed workshop handouts (critique.publish.workshop_handout) and the guide's plans.

The handout's claim and questions are recounted here from the exercise notebooks' Markdown with plain
regular expressions (not the mistune parser the module uses); its PDF is read back with poppler."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402

from critique.core.errors import DataError  # noqa: E402
from critique.figures import charts  # noqa: E402
from critique.publish import workshop, workshop_handout  # noqa: E402

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
                                   reason="poppler-utils (pdftotext, pdfinfo) is not installed")
GUIDE = workshop.workshop_dir() / "guide.md"
CONFIG = workshop.workshop_dir() / workshop_handout.CONFIG


def _questions_by_regex(nb) -> list[str]:
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("## Question"):
            items = re.split(r"(?m)^\d+\.\s+", cell.source.split("\n", 1)[1])
            return [" ".join(i.split()) for i in items[1:]]
    return []


@pytest.mark.parametrize("path", workshop.exercises(), ids=lambda p: p.stem)
def test_claim_and_questions_are_the_notebooks_own(path):
    nb = nbformat.read(str(path), as_version=4)
    title, claim, questions = workshop_handout.claim_and_questions(nb)
    assert title == nb.cells[0].source.splitlines()[0].lstrip("# ").strip()
    plain = [workshop_handout._plain(p) for p in claim]
    assert plain[0].startswith("The claim.")
    assert not any("Findings keys" in p for p in plain), "the developers' paragraph is left out"
    expected = _questions_by_regex(nb)
    assert expected, f"{path.stem}: no numbered question found by the regex"
    # Markdown markers (*, **, `) are gone in the handout's runs; compare the words
    got = [" ".join(workshop_handout._plain(q).split()) for q in questions]
    assert got == [re.sub(r"[*`]", "", q) for q in expected]


def test_a_notebook_without_a_claim_or_questions_is_refused():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Exercise\n\nSome text.")])
    with pytest.raises(DataError, match="The claim"):
        workshop_handout.claim_and_questions(nb)
    nb.cells[0].source = "# Exercise\n\n**The claim.** X said Y."
    with pytest.raises(DataError, match="no numbered list under a '## Question' heading"):
        workshop_handout.claim_and_questions(nb)


def test_config_names_only_charts_words_and_tables(tmp_path):
    bad = tmp_path / "handouts.yml"
    bad.write_text("01-x:\n  chart: [a]\n")
    with pytest.raises(DataError, match="only 'charts'"):
        workshop_handout.load_config(bad)
    bad.write_text("01-x:\n  table: {dataset: raid-outcomes}\n")
    with pytest.raises(DataError, match="'table' needs 'dataset' or 'findings'"):
        workshop_handout.load_config(bad)
    assert workshop_handout.load_config(tmp_path / "missing.yml") == {}
    stems = {p.stem for p in workshop.exercises()}
    assert set(workshop_handout.load_config(CONFIG)) <= stems, "handouts.yml names an exercise that does not exist"


def test_exercise_4_prints_no_histograms_and_explains_its_words():
    entry = workshop_handout.load_config(CONFIG)["04-uk-ten-to-thirteen-thousand"]
    nb = nbformat.read(str(workshop.workshop_dir() / "04-uk-ten-to-thirteen-thousand.ipynb"), as_version=4)
    saved = re.findall(r'finalise\([^"]*?"(uk-[a-z-]+)"', "\n".join(c.source for c in nb.cells))
    assert "uk-procedures-bootstrap" in saved and "uk-procedures-bootstrap" not in entry["charts"]
    assert set(entry["charts"]) <= set(saved)
    assert {"list", "model"} <= set(entry["words"])


def _figures(folder: Path, names: list[str]) -> Path:
    for name in names:
        fig, ax = plt.subplots(figsize=(8, 4))
        ax.plot(range(2001, 2011), range(10))
        ax.set_xlabel("year")
        charts.finalise(fig, name, title=f"Chart called {name}", description=f"What {name} shows.",
                        datasets=["tip-tiers"], n=10, outdir=folder, data=None)
    return folder


def test_an_unknown_chart_is_refused_naming_the_saved_ones(tmp_path):
    figs = _figures(tmp_path, ["one"])
    with pytest.raises(DataError, match=r"no chart named two \(the exercise saved: one\)"):
        workshop_handout.chart_rows(figs, ["two"], "01-x")


@needs_poppler
@pytest.mark.parametrize("n_charts", [1, 3])
def test_handout_pdf_holds_claim_questions_and_charts_on_at_most_two_pages(tmp_path, n_charts):
    exercise = workshop.workshop_dir() / "03-tier-upgrade.ipynb"
    names = [f"c{i}" for i in range(n_charts)]
    figs = _figures(tmp_path / "figures", names)
    config = tmp_path / "handouts.yml"
    config.write_text(yaml.safe_dump({"03-tier-upgrade": {"charts": names, "words": {"tier": "a grade."}}}))
    pdf = workshop_handout.write(tmp_path / "h.pdf", exercise, figs, config_file=config,
                                 generated=dt.datetime(2026, 1, 2, tzinfo=dt.timezone.utc))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 1 <= pages <= 2, f"{pages} pages"
    assert re.search(r"Title:\s+Exercise 3: a tier upgrade", info)
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    assert text.startswith("Exercise 3: a tier upgrade The claim."), "no cover page: the claim opens page 1"
    for q in _questions_by_regex(nbformat.read(str(exercise), as_version=4)):
        assert " ".join(q.split()[:6]) in text, q
    for name in names:
        assert f"Chart called {name}" in text and f"What {name} shows." in text
    assert "Findings keys" not in text and "tier: a grade." in text.replace("tier a grade.", "tier: a grade.")


# --- the guide's plans: each table's minutes are recounted from its clock times ---

def _plan(heading: str) -> list[tuple[int, int, str]]:
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        m = re.match(r"\|\s*(\d+):(\d\d)-(\d+):(\d\d)\s*\|(.*)\|\s*$", line)
        if m:
            h1, m1, h2, m2, rest = m.groups()
            rows.append((int(h1) * 60 + int(m1), int(h2) * 60 + int(m2), rest))
    return rows


@pytest.mark.parametrize("heading,total", [("A 2-hour session", 120), ("The full half-day (2 h 45 min)", 165)])
def test_guide_plans_add_up_and_name_exercises_that_exist(heading, total):
    rows = _plan(heading)
    assert rows, heading
    assert rows[0][0] == 0 and rows[-1][1] == total
    for (s1, e1, _), (s2, _, _) in zip(rows, rows[1:]):
        assert e1 == s2, f"{heading}: a gap or overlap at {e1} min"
    numbers = {int(p.stem[:2]) for p in workshop.exercises()}
    for start, end, rest in rows:
        cells = [c.strip() for c in rest.split("|")]
        if heading.startswith("A 2-hour"):
            assert int(cells[0]) == end - start, f"{heading}: '{cells[0]}' minutes for {start}-{end}"
        for n in re.findall(r"Exercise (\d+)", rest):
            assert int(n) in numbers, f"{heading}: Exercise {n} does not exist"


def test_guide_has_a_preparation_list_and_says_what_the_2_hour_plan_drops():
    text = GUIDE.read_text(encoding="utf-8")
    prep = text.split("## Preparation", 1)[1].split("\n## ", 1)[0]
    for item in ("**Print.**", "**Install.**", "**Offline pack.**", "**Room and projector.**", "make workshop"):
        assert item in prep, item
    two = text.split("## A 2-hour session", 1)[1].split("\n## ", 1)[0]
    run = {int(n) for n in re.findall(r"\| Exercise (\d+)", two)}
    dropped = {int(n) for n in re.findall(r"Exercise (\d+)", two.split("**Dropped**", 1)[1].split("\n- ", 1)[0])}
    assert run | dropped >= {int(p.stem[:2]) for p in workshop.exercises()}, "every exercise is run or said dropped"


def test_a_findings_table_puts_every_value_in_plain_words_or_refuses():
    spec = {"findings": "procedures", "title": "t", "columns": {"procedure": "rule", "total": "total"},
            "values": {"procedure": {"stepwise": "the 2014 rule"}}}
    found = {"procedures": {"a": {"procedure": "stepwise", "total": 11417.99}}}
    table = workshop_handout.table_rows(spec, "04-x", found)
    assert table["header"] == ["rule", "total"] and table["rows"] == [["the 2014 rule", "11,400"]]
    found["procedures"]["b"] = {"procedure": "mse-uk-2013-5", "total": 1.0}
    with pytest.raises(DataError, match="value 'mse-uk-2013-5', which 'values' does not put in plain words"):
        workshop_handout.table_rows(spec, "04-x", found)
    with pytest.raises(DataError, match="recorded no findings key 'procedures'"):
        workshop_handout.table_rows(spec, "04-x", {})
