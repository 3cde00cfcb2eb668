"""The independent count of English left on a translated page (issue 26)."""
from __future__ import annotations

from critique.publish import residue

FRENCH = ("<p>Les victimes détectées ne sont pas le nombre de victimes (ONUDC, <i>Global Report on Trafficking "
          "in Persons</i>, 2024).</p>")
ENGLISH = "<p>The counts are victims detected by the authorities, not the number of victims.</p>"


def test_english_prose_is_found_and_translated_prose_with_english_names_is_not():
    assert residue.english_passages(f"<html lang='fr'><body>{FRENCH}{ENGLISH}</body></html>") == [
        "The counts are victims detected by the authorities, not the number of victims."]


def test_quotations_citations_code_and_marked_english_are_not_counted():
    page = ("<body><blockquote>It is what it is and the rest of it was there</blockquote>"
            "<p>Le rapport dit « the numbers are what they are and more than that » en 2009.</p>"
            "<p>Selon lui, \"this is the one that was there for it\" disait-il.</p>"
            "<pre>the output of the code that was run for this</pre><cite>The Report of the Year and more</cite>"
            "<p lang='en'>This part is English on purpose and it is marked as that.</p></body>")
    assert residue.english_passages(page) == []


def test_a_russian_sentence_with_one_english_title_is_not_english():
    page = "<p>По данным отчёта «Global Report» число выявленных жертв выросло, но это не число жертв of the world.</p>"
    assert residue.english_passages(page) == []  # 2 function words: below the minimum of 3


def test_the_thresholds_on_both_sides():
    assert residue.is_english("the count of the victims")  # 3 of 5 words
    assert not residue.is_english("the count of victims")  # 2 function words
    # 3 function words but under a quarter of 13 words
    assert not residue.is_english("the of and palabras españolas muchas más aquí para llenar esta frase")


def test_a_scan_counts_pages_and_lists_passages(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "a.html").write_text(f"<body>{ENGLISH}{ENGLISH}</body>", encoding="utf-8")
    (tmp_path / "index.html").write_text(f"<body>{FRENCH}</body>", encoding="utf-8")
    (tmp_path / ".staging").mkdir()
    (tmp_path / ".staging" / "x.html").write_text(f"<body>{ENGLISH}</body>", encoding="utf-8")
    found = residue.scan(tmp_path)
    assert (found.count, found.pages_read, list(found.pages)) == (2, 2, ["a/a.html"])
    assert found.line().startswith("English left on the pages: 2 passages on 1 of 2 pages")
    assert "## a/a.html (2)" in found.report()
