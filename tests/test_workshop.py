"""Workshop kit: answers removed from the question version, present in the answer version."""
from __future__ import annotations

import json
import shutil
import subprocess

import nbformat
import pytest

from critique.publish import workshop


def _nb(*cells):
    return nbformat.v4.new_notebook(cells=list(cells))


def test_strip_answers_removes_tagged_cells_only():
    q = nbformat.v4.new_markdown_cell("# Question")
    a = nbformat.v4.new_code_cell('answer(reveal_answers, "The secret answer text is long enough to count here")',
                                  metadata={"tags": ["answer"]})
    out = workshop.strip_answers(_nb(q, a))
    assert [c.source for c in out.cells] == ["# Question"]
    with pytest.raises(ValueError, match="no cell tagged 'answer'"):
        workshop.strip_answers(_nb(q))


def test_answer_snippets_are_plain_runs_of_the_answer_strings():
    a = nbformat.v4.new_code_cell('x = 1\nanswer(reveal_answers, f"""The count is **{x} convictions**, '
                                  'and the rest of this sentence is plain text""")',
                                  metadata={"tags": ["answer"]})
    other = nbformat.v4.new_code_cell('print("a question cell string that is long enough to be a run")')
    snippets = workshop.answer_snippets(_nb(a, other))
    assert snippets == [", and the rest of this sentence is plain text"]  # 44 chars; "{x}" and ** split runs


def test_answer_shows_nothing_unless_revealed(capsys):
    workshop.answer(False, "hidden")
    assert capsys.readouterr().out == ""


def test_every_exercise_quotes_a_cited_claim_and_has_answers():
    exercises = workshop.exercises()
    assert 5 <= len(exercises) <= 6
    for path in exercises:
        nb = nbformat.read(str(path), as_version=4)
        first = nb.cells[0].source
        assert "**The claim.**" in first and "Source" in first, path.name  # claim + citation
        params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert params and params[0].source.startswith("reveal_answers: bool = False"), path.name
        calls = [c for c in nb.cells if workshop.is_answer(c) and "answer(reveal_answers" in c.source]
        assert calls, f"{path.name}: no answer cell"
    assert (workshop.workshop_dir() / "guide.md").exists()


@pytest.fixture(scope="module")
def kit(workshop_kit):
    """The kit built once per test session (tests/conftest.py), whichever worker asks first."""
    return workshop_kit


@pytest.mark.notebook
def test_question_version_holds_no_answer_text(kit):
    out = kit.out_root
    for path in workshop.exercises():
        stem = path.stem
        # the answers as the answer version printed them (typed in the notebook or written by the package)
        snippets = workshop.answer_snippets(nbformat.read(str(out / "answers" / stem / f"{stem}.ipynb"), as_version=4))
        assert snippets, f"{stem}: the answer version shows no answer text"
        q_html = (out / "questions" / stem / f"{stem}.html").read_text(encoding="utf-8")
        q_nb = (out / "questions" / stem / f"{stem}.ipynb").read_text(encoding="utf-8")
        a_html = (out / "answers" / stem / f"{stem}.html").read_text(encoding="utf-8")
        a_nb = (out / "answers" / stem / f"{stem}.ipynb").read_text(encoding="utf-8")
        for s in snippets:
            assert s not in q_html and s not in q_nb, f"{stem}: answer text in the question version: {s!r}"
        assert "Answer." not in q_html and '"answer"' not in q_nb  # no rendered answer, no tagged cell
        # the check can fail: the same snippets are in the answer version
        assert any(s in a_html for s in snippets) and any(s in a_nb for s in snippets), stem
        assert "**Answer.**" in a_nb


@pytest.mark.notebook
def test_kit_has_handouts_guide_index_and_findings(kit):
    out = kit.out_root
    stems = [p.stem for p in workshop.exercises()]
    assert sorted(h.name for h in kit.handouts) == sorted(f"{s}.pdf" for s in stems)
    for h in kit.handouts:
        assert h.read_bytes()[:5] == b"%PDF-"
        if shutil.which("pdftotext"):  # claim and questions on the page, no cover (tests/test_workshop_handout.py)
            text = " ".join(subprocess.run(["pdftotext", str(h), "-"], capture_output=True, text=True).stdout.split())
            assert text.startswith("Exercise ") and "The claim." in text[:400] and "Questions for your group" in text
    if shutil.which("pdftotext"):
        uk = subprocess.run(["pdftotext", str(out / "handouts" / "04-uk-ten-to-thirteen-thousand.pdf"), "-"],
                            capture_output=True, text=True).stdout
        assert "resampled estimates" not in uk and "Words used on this page" in uk and "mse-uk" not in uk
    guide = (out / "guide.html").read_text(encoding="utf-8")
    assert "<h2>A 2-hour session</h2>" in guide and "Common misreadings" in guide
    index = (out / "index.html").read_text(encoding="utf-8")
    for s in stems:
        assert f"questions/{s}/{s}.html" in index and f"handouts/{s}.pdf" in index
    f = {s: json.loads((out / "answers" / s / "findings.json").read_text())["findings"] for s in stems}
    assert f["01-seventy-nine-percent"]["share_2009"] == 79.0  # UNODC GLOTIP 2009
    # 79/2 / (79/2 + 18 + 3) = 39.5 / 60.5 = 65.3% (scenario, r = 2)
    assert f["01-seventy-nine-percent"]["scenario_share_r2"] == 65.3
    assert (f["02-victims-rescued"]["pentameter2_victims"], f["02-victims-rescued"]["pentameter2_convictions"]) == (167, 15)
    assert (f["03-tier-upgrade"]["tier_2014"], f["03-tier-upgrade"]["tier_2015"]) == ("3", "2WL")
    uk = f["04-uk-ten-to-thirteen-thousand"]
    assert uk["observed"] == 2744  # literature.md appendix: total observed 2,744
    # the published "between 10 thousand and 13 thousand" (Silverman 2014, printed to the thousand)
    # is the selected model's interval with the model treated as known
    assert (round(uk["selected_low"], -3), round(uk["selected_high"], -3)) == (10_000, 13_000)
    assert uk["selected_total"] == pytest.approx(11_418.0, abs=0.5)  # R: 11,417.99 (test_mse_authors)
    assert uk["in_range"] == ["uk6_stepwise", "uk5_stepwise"]
    assert uk["methods_counted"] + len(uk["methods_not_counted"]) == 6
    q4 = json.loads((out / "questions" / "04-uk-ten-to-thirteen-thousand" / "findings.json").read_text())["findings"]
    assert "selected_low" not in q4 and "observed" in q4  # answers recorded only in answer cells
    assert f["05-the-law-worked"]["law_year"] == 1999 and f["05-the-law-worked"]["first_data_year"] == 2008
    # exercise 5's answer quotes notebook 50's counting reading of the US range, not "no change"
    w5 = f["05-the-law-worked"]
    assert w5["us_low_pct"] < w5["us_high_pct"]
    a5 = (out / "answers" / "05-the-law-worked" / "05-the-law-worked.html").read_text(encoding="utf-8")
    assert w5["us_reading"] in a5 and "specifications" in w5["us_reading"]
    q = json.loads((out / "questions" / "01-seventy-nine-percent" / "findings.json").read_text())["findings"]
    assert "scenario_share_r2" not in q  # answer cells did not run in the question version


@pytest.mark.notebook
def test_rebuild_skips_unchanged(kit):
    again = workshop.build(kit.out_root)
    assert not again.ran and len(again.skipped) == 2 * len(workshop.exercises())
