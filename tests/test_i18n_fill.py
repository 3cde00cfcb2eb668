"""Reader text in the reader's language: numbers in templates, markdown cells, key findings (issue 26)."""
from __future__ import annotations

import nbformat
import pytest

from critique.core import i18n
from critique.publish import i18n as pub_i18n
from critique.publish import keyfindings

VALUES = dict(n=12214, x=17004.4, s=0.38, c=0.14, y=2023, f=0.85, w=3)
TEMPLATE = "{n:,} | {x:,.0f} | {s:.1%} | {c:+.1%} | {y} | {f:.2f} | {w:>3}"


@pytest.mark.parametrize("lang, want", [
    ("en", "12,214 | 17,004 | 38.0% | +14.0% | 2023 | 0.85 |   3"),  # Python's own formatting
    # CLDR: French groups with U+202F and puts U+00A0 before %, Spanish groups with '.', Russian U+00A0
    ("fr", "12\u202f214 | 17\u202f004 | 38,0\u00a0% | +14,0\u00a0% | 2023 | 0,85 |   3"),
    ("es", "12.214 | 17.004 | 38,0\u00a0% | +14,0\u00a0% | 2023 | 0,85 |   3"),
    ("ru", "12\u00a0214 | 17\u00a0004 | 38,0\u00a0% | +14,0\u00a0% | 2023 | 0,85 |   3"),
    ("zh", "12,214 | 17,004 | 38.0% | +14.0% | 2023 | 0.85 |   3"),
])
def test_template_numbers_are_written_the_languages_way(lang, want):
    assert i18n.format_locale(TEMPLATE, VALUES, lang) == want


def test_a_spec_the_locale_formatter_does_not_describe_keeps_pythons_formatting():
    assert i18n.format_locale("{v:.3e} {v:g} {t:>5}", dict(v=12345.678, t="ab"), "fr") == \
        f"{12345.678:.3e} {12345.678:g}    ab"
    assert i18n.format_locale("{flag}", dict(flag=True), "fr") == "True"


def test_a_translated_template_gets_locale_numbers_and_a_missing_one_is_counted(monkeypatch):
    monkeypatch.setattr(i18n, "_lookup", lambda lang, msgid: {"{n:,} referrals": "{n:,} orientations"}
                        .get(msgid, msgid))
    assert i18n._("{n:,} referrals", lang="fr", n=17004) == "17\u202f004 orientations"


def test_markdown_cells_are_translated_and_code_cells_never(monkeypatch):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title\n\nA paragraph.\n"),
                nbformat.v4.new_code_cell("x = 1  # A paragraph."),
                nbformat.v4.new_markdown_cell("Nobody translated this.")]
    table = {"# Title\n\nA paragraph.": "# Titre\n\nUn paragraphe."}
    monkeypatch.setattr(i18n, "_lookup", lambda lang, msgid: table.get(msgid, msgid))
    assert pub_i18n.translate_notebook(nb, "fr") == 1
    assert [c.source for c in nb.cells] == ["# Titre\n\nUn paragraphe.", "x = 1  # A paragraph.",
                                           "Nobody translated this."]
    assert pub_i18n.translate_notebook(nb, "en") == 0


def test_a_key_finding_is_rendered_from_its_translation_with_locale_numbers(monkeypatch):
    english = "Referrals rose to {n:,} ({share:.1%} of them children)."
    monkeypatch.setattr(i18n, "_lookup", lambda lang, msgid: {
        english: "Les orientations ont atteint {n:,} ({share:.1%} d'enfants)."}.get(msgid, msgid))
    figures = {"c": {"title": "t", "source": "s"}}
    with i18n.using("fr"):
        got = keyfindings.render("nb", [{"sentence": english, "chart": "c"}], {"n": 17004, "share": 0.4}, figures)
    assert got.findings[0].sentence == "Les orientations ont atteint 17\u202f004 (40,0\u00a0% d'enfants)."
    # a translation that breaks a placeholder falls back to the English template, not to an error
    monkeypatch.setattr(i18n, "_lookup", lambda lang, msgid: "Cassé {m:,}" if msgid == english else msgid)
    with i18n.using("fr"):
        got = keyfindings.render("nb", [{"sentence": english, "chart": "c"}], {"n": 17004, "share": 0.4}, figures)
    assert got.findings[0].sentence == "Referrals rose to 17\u202f004 (40,0\u00a0% of them children)."


def test_caveats_kept_beside_the_english_are_shown_in_the_readers_language(tmp_path):
    from critique.core.errors import DataError
    from critique.datasets import translations

    entry = {"title": "Victims", "caveats": ["Counts are detections.", "Cells below 5 are suppressed."],
             "translations": {"fr": {"caveats": ["Les chiffres sont des détections.",
                                                 "Les cellules sous 5 sont masquées."]}}}
    translations.register(tmp_path / "x.yml", "", entry)
    assert translations.shown("Cells below 5 are suppressed.", "fr") == "Les cellules sous 5 sont masquées."
    assert translations.shown("Cells below 5 are suppressed.", "es") == "Cells below 5 are suppressed."
    assert translations.shown("Cells below 5 are suppressed.", "en") == "Cells below 5 are suppressed."
    short = dict(entry, translations={"fr": {"caveats": ["Une seule."]}})
    with pytest.raises(DataError, match=r"x.yml: translations.fr.caveats must be a list of 2 strings"):
        translations.register(tmp_path / "x.yml", "", short)
    with pytest.raises(DataError, match=r"unknown language 'de'"):
        translations.register(tmp_path / "x.yml", "", dict(entry, translations={"de": {}}))


def test_reader_text_cells_of_a_published_table_come_in_the_readers_language(monkeypatch):
    from critique.datasets import published

    english = published.load_table("claims")
    first = english["claim"].iloc[0]
    monkeypatch.setattr(i18n, "_lookup", lambda lang, msgid: "FR: " + msgid if lang == "fr" else msgid)
    with i18n.using("fr"):
        french = published.load_table("claims")
    assert french["claim"].iloc[0] == "FR: " + first
    assert french["claim_id"].equals(english["claim_id"])  # ids, names and quotes are never translated
    assert french["claimant"].equals(english["claimant"])
    assert published.load_table("claims")["claim"].iloc[0] == first  # English build: unchanged


def test_reader_text_must_name_a_declared_text_column(tmp_path):
    import shutil

    from critique.core.errors import DataError
    from critique.datasets import paths, published

    side = paths.published_dir() / "raid-outcomes.yml"
    text = side.read_text(encoding="utf-8").replace("reader_text: [what_was_counted", "reader_text: [numerator")
    (tmp_path / "raid-outcomes.yml").write_text(text, encoding="utf-8")
    shutil.copy(paths.published_dir() / "raid-outcomes.csv", tmp_path)
    with pytest.raises(DataError, match="raid-outcomes.yml: 'reader_text' names 'numerator'"):
        published.read_sidecar(tmp_path / "raid-outcomes.yml")


def test_a_translation_spelled_like_the_english_is_not_counted_missing():
    i18n.reset_missing()
    assert i18n._("Sources", lang="fr") == "Sources"  # the French word is the English one
    assert i18n._("A sentence no catalogue has", lang="fr") == "A sentence no catalogue has"
    assert set(i18n.missing("fr")) == {"A sentence no catalogue has"}


def test_data_read_counts_published_tables_apart_in_any_language():
    from critique.publish.pdf import releases_read

    rows = [{"id": "glotip@2025-04-14", "title": "UNODC country data", "citation": "UNODC (2025).",
             "publisher": "UNODC"},
            {"id": "claims", "title": "Registre des affirmations", "typed": True,
             "citation": "saisi à partir des publications ; chaque ligne est citée dans data/published"}]
    with i18n.using("fr"):
        lines = releases_read(rows)
    assert len(lines) == 2 and "Registre" not in " ".join(lines)  # the table is counted, not listed as a release


def test_table_headers_on_a_page_come_in_the_readers_language(monkeypatch):
    from critique.publish import table_headers

    page = "<table><tr><th>year</th><th class='x'>n_entering</th><th>Some header nobody listed</th></tr></table>"
    monkeypatch.setattr(i18n, "translations", lambda lang: type("T", (), {"gettext": staticmethod(
        lambda m: {"year": "année", "n_entering": "n entrants"}.get(m, m))})())
    assert table_headers.translate_headers(page, "fr") == (
        "<table><tr><th>année</th><th class='x'>n entrants</th><th>Some header nobody listed</th></tr></table>")
    assert table_headers.translate_headers(page, "en") == page
    assert "n_entering" in table_headers.HEADERS  # ("year" is already in the catalogue from elsewhere)
