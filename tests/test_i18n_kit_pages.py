"""The publishing layer's pages and the workshop kit in the reader's language (issue 26): one sentence
of each changed module rendered in French with its number written the French way, and the same
sentence in English unchanged. The French grouping and decimal marks are taken from Babel's CLDR data
(``babel.numbers``), not from the code under test; the French words are the catalogue's draft."""
from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from babel.numbers import get_decimal_symbol, get_group_symbol

from critique.core import i18n
from critique.publish import pages, pdf, workbook, workshop, workshop_handout
from critique.publish.profiles import cautions, nrm
from critique.publish.profiles import page as profile_page
from critique.publish.whatif import composite as wcomp, detection as wdet, mse as wmse, raid as wraid

G, D = get_group_symbol("fr"), get_decimal_symbol("fr")  # CLDR: narrow no-break space, comma
NBSP = "\u00a0"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

RAID = wraid.RaidInputs(year=2023, identified=133943.0, labour_identified=42098.0, fpr_mean=0.63,
                        fpr_band=(0.42, 0.82), fpr_level=0.9, raid_share=0.28, raid_share_note="a proxy (test)",
                        other_fpr=0.0, source="Source: test input", fpr_rows=("sangram-voluntary",))
DETECTION = wdet.DetectionInputs(detected_shares={"2009": 79.0, "2020": 50.0}, ratio_band=(1.4, 8.76),
                                 ratio_n=20, ratio=2.0, source="Source: test")


def _text(markup: str) -> str:
    return html.unescape(markup)


@pytest.fixture
def french():
    with i18n.using("fr"):
        yield


# --- what-if pages ---

def test_raid_page_question_in_french_and_english():
    english = "How many of the 133,943 TIP 'victims identified' in data year 2023 (42,098 of them labour victims) would remain?"
    assert english in _text(wraid.raid_page(RAID))
    with i18n.using("fr"):
        page = _text(wraid.raid_page(RAID))
    assert (f"Combien des 133{G}943 « victims identified » [victimes identifiées] du rapport TIP pour l'année de "
            f"données 2023 (dont 42{G}098 victimes d'exploitation par le travail) resteraient ?") in page
    assert '<html lang="fr">' in page and "Traduction provisoire" in page and english not in page
    assert "SCÉNARIO : hypothèses illustratives, pas une mesure" in page


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed")
def test_raid_page_headline_is_computed_and_written_the_french_way(tmp_path):
    """The browser fills the translated headline; the count is recomputed here from the closed form
    (identified x (1 - raid share x fpr)) and written with CLDR's French marks."""
    with i18n.using("fr"):
        (tmp_path / "p.html").write_text(wraid.raid_page(RAID), encoding="utf-8")
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=8000",
                          "--dump-dom", (tmp_path / "p.html").as_uri() + "#fpr=0.5"],
                         capture_output=True, text=True, timeout=180, check=True).stdout
    got = html.unescape(re.search(r'<div id="headline"[^>]*>([^<]*)</div>', dom).group(1))
    remain = round(133943 * (1 - 0.28 * 0.5))  # 115191
    assert remain == 115191
    assert got == f"115{G}191 sur 133{G}943 resteraient (86{D}0{NBSP}%)"


def test_detection_page_label_in_french_and_english():
    assert "Relative detection rate r (implied by estimates: 1.4-8.8)" in _text(wdet.detection_page(DETECTION))
    with i18n.using("fr"):
        page = wdet.detection_page(DETECTION)
    assert f"Taux de détection relatif r (impliqué par les estimations : 1{D}4-8{D}8)" in json.loads(
        '"' + re.search(r'"title":"(Taux de d[^"]*)"', page).group(1).replace('\\\\', '\\') + '"')


def test_composite_note_in_french_and_english():
    table = pd.DataFrame({"iso3": ["AAA", "BBB", "CCC"], "x_pct": [0.1, 0.5, 0.9], "y_pct": [0.9, 0.5, 0.1]})
    args = dict(country="AAA", labels={"x": "X", "y": "Y"}, source="Source: test", n_left_out=2)
    english = _text(wcomp.composite_page(table, ["x", "y"], [1.0, 1.0], **args))
    assert ("3 countries with every indicator in notebook 32's run (2 countries missing a weighted "
            "assessment are left out). Score: the weighted mean") in english
    with i18n.using("fr"):
        page = _text(wcomp.composite_page(table, ["x", "y"], [1.0, 1.0], **args))
    assert ("3 pays disposant de tous les indicateurs dans l'exécution du carnet 32 (2 pays sans une "
            "évaluation pondérée sont laissés de côté). Score : la moyenne pondérée") in page


def test_mse_question_in_french_and_english():
    sweep = pd.DataFrame({"f": [-50, 0, 50], "cell": "A", "total": [10000.0, 11000.0, 12500.0],
                          "total_fixed_model": [10100.0, 11000.0, 12000.0]})
    english = _text(wmse.mse_page(sweep, table_name="UK 2013", source="Source: test"))
    assert "How does the UK 2013 estimate move if people in the A-only cell were not victims" in english
    with i18n.using("fr"):
        page = _text(wmse.mse_page(sweep, table_name="UK 2013", source="Source: test"))
    assert ("Comment l'estimation UK 2013 bouge-t-elle si des personnes de la cellule « A seulement » "
            "n'étaient pas des victimes") in page


# --- country profiles ---

def test_profile_caution_in_french_and_english():
    series = pd.DataFrame({"year": [2019, 2020], "form": "Total", "value": [12.0, None], "low": [12.0, 0.0],
                           "high": [12.0, 4.0], "suppressed": [False, True], "parts": 1, "all_suppressed": [False, True]})
    english = {c.key: c.text for c in cautions.what_not_to_conclude(series)}
    assert english["short-series"] == ("Short series: a national total in only 2 year(s) (2019, 2020); "
                                       "no trend can be read from it.")
    with i18n.using("fr"):
        french = {c.key: c.text for c in cautions.what_not_to_conclude(series)}
    assert french["short-series"] == ("Série courte : un total national pour 2 année(s) seulement (2019, 2020) ; "
                                      "aucune tendance ne peut en être tirée.")
    assert french["suppressed"].startswith("1 cellules sur 2 sont masquées")


def test_profile_index_latest_total_in_french_and_english(tmp_path):
    (tmp_path / "SWE").mkdir()
    (tmp_path / "SWE" / "findings.json").write_text(json.dumps({"findings": {
        "country": "Sweden", "latest_detected": 12214.0, "latest_year": 2021, "first_year": 2003,
        "last_year": 2021, "years_reported": 19, "cautions": []}}))
    english = profile_page.write_index(tmp_path).read_text(encoding="utf-8")
    assert "<td>12,214 (2021)</td>" in english and "<em>detected</em>" in english
    with i18n.using("fr"):
        french = profile_page.write_index(tmp_path).read_text(encoding="utf-8")
    assert f"<td>12{G}214 (2021)</td>" in french and "<th>Dernier total national</th>" in french
    assert "<em>détectées</em>" in french and "<html lang='fr'>" in french


def test_nrm_share_and_heading_in_french_and_english():
    assert nrm._percent(0.384) == "38%"
    with i18n.using("fr"):
        assert nrm._percent(0.384) == f"38{NBSP}%"
        assert i18n._(nrm.HEADING) == ("Le mécanisme national d'orientation du Royaume-Uni "
                                       "(National Referral Mechanism, Home Office)")


# --- the PDF's chrome, the workbook, the notebook page footer ---

DATASETS = [{"id": f"nrm-{c}@2022-q{i}", "publisher": "Home Office; UK", "title": c} for i, c in enumerate("abc", 1)] \
    + [{"id": "x", "citation": "typed in from publications: y", "title": "X"}]


def test_releases_read_in_french_and_english():
    assert pdf.releases_read(DATASETS) == [
        "Home Office: 3 tables from the quarterly files for 2022-q1 to 2022-q3, each listed in the full report",
        "and 1 table of figures typed in from publications, each row cited"]
    with i18n.using("fr"):
        assert pdf.releases_read(DATASETS) == [
            "Home Office : 3 tableaux (les fichiers trimestriels 2022-q1 à 2022-q3), chacun listé dans le rapport complet",
            "et 1 tableau de chiffres saisis à partir de publications, chaque ligne citée"]
        assert pdf.chrome()["sources"] == "Sources" and pdf.chrome()["findings"] != "All findings, by notebook"


def test_workbook_sources_header_in_french_and_english(tmp_path):
    import openpyxl

    csv = tmp_path / "10-coverage" / "figures" / "countries-reporting.csv"
    csv.parent.mkdir(parents=True)
    pd.DataFrame({"year": [2019, 2020], "n": [1, 2]}).to_csv(csv, index=False)
    pages_ = [{"stem": "10-coverage", "title": "Notebook 10", "figures": [
        {"name": "countries-reporting", "title": "T", "source": "S", "abs_png": csv.with_suffix(".png"),
         "csv": "10-coverage/figures/countries-reporting.csv"}]}]
    with i18n.using("fr"):
        book = openpyxl.load_workbook(workbook.write_workbook(tmp_path / "fr.xlsx", pages_), read_only=True)
    assert list(book["Sources"].values)[0] == ("feuille", "carnet", "graphique", "source (publication lue)",
                                               "fichier CSV")
    book = openpyxl.load_workbook(workbook.write_workbook(tmp_path / "en.xlsx", pages_), read_only=True)
    assert list(book["Sources"].values)[0] == ("sheet", "notebook", "chart", "source (release read)", "CSV file")


def test_page_footer_in_french_and_english():
    english = pages.sources_note_html()
    assert english.startswith('<p><strong>About the sources.</strong> &quot;literature.md §N&quot; refers to')
    assert "Their tags: <strong>[V]</strong> checked against a copy of the source" in english
    with i18n.using("fr"):
        french = pages.sources_note_html()
    assert "Leurs marques : <strong>[V]</strong> vérifié sur une copie de la source" in french


# --- the workshop kit ---

def test_handout_table_in_french_and_english():
    spec = {"findings": "procedures", "title": "The same records under different rules for choosing the model "
            "(totals rounded to the nearest 100)", "columns": {"procedure": "rule for choosing the model",
                                                              "total": "estimated total"},
            "values": {"procedure": {"stepwise": "6 lists"}}}
    found = {"procedures": {"a": {"procedure": "stepwise", "total": 11417.99}}}
    english = workshop_handout.table_rows(spec, "04-x", found)
    assert english["header"] == ["rule for choosing the model", "estimated total"]
    assert english["rows"] == [["6 lists", "11,400"]]
    with i18n.using("fr"):
        french = workshop_handout.table_rows(spec, "04-x", found)
    assert french["header"] == ["règle de choix du modèle", "total estimé"]
    assert french["rows"] == [["6 listes", f"11{G}400"]]
    assert french["title"].startswith("Les mêmes données sous différentes règles de choix du modèle")


def test_handout_strings_of_handouts_yml_are_in_the_catalogue():
    from critique.publish import i18n_catalogue

    found = {m for m, _where in i18n_catalogue.handout_strings()}
    assert {"rule for choosing the model", "yes", "no", "model", "6 lists"} <= found
    assert "mse-uk-2013" not in found and "procedure" not in found  # keys and ids are not text


def test_the_kit_uses_the_guide_of_the_build_language():
    assert workshop.guide_source("en").name == "guide.md"
    for lang in ("fr", "es", "ru", "zh"):
        assert workshop.guide_source(lang).name == f"guide.{lang}.md"


@pytest.mark.parametrize("lang", ["fr", "es", "ru", "zh"])
def test_each_translated_guide_keeps_the_english_plans_and_commands(lang):
    """The same clock times in each plan table and every command, path and module in code spans."""
    english = (workshop.workshop_dir() / "guide.md").read_text(encoding="utf-8")
    mine = (workshop.workshop_dir() / f"guide.{lang}.md").read_text(encoding="utf-8")

    def times(text: str) -> list[str]:
        return re.findall(r"^\|\s*(\d+:\d\d-\d+:\d\d)\s*\|", text, flags=re.MULTILINE)

    def code(text: str) -> set[str]:
        return {c for c in re.findall(r"`([^`]+)`", text)
                if not c.startswith("export CRITIQUE_DATA_MIRROR") and "lang" not in c and c not in ("es", "ru", "zh")}

    assert times(mine) == times(english)
    assert code(english) - {"guide.md"} <= code(mine)
    assert len(re.findall(r"^## ", mine, flags=re.MULTILINE)) == len(re.findall(r"^## ", english, flags=re.MULTILINE))


def test_workshop_index_in_french_and_english(tmp_path):
    res = workshop.WorkshopResult(tmp_path, guide=tmp_path / "guide.html")
    now = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.timezone.utc)
    english = workshop._index_html(workshop.exercises()[:1], res, now)
    assert "<p>Built 2026-01-02 03:04 UTC. Give participants the <b>question</b> versions;" in english
    with i18n.using("fr"):
        french = workshop._index_html(workshop.exercises()[:1], res, now)
    assert "<p>Compilé le 2026-01-02 03:04 UTC. Donnez aux participants les versions <b>questions</b> ;" in french
    assert "<h1>Kit d&#x27;atelier critique-suite</h1>" in french


def test_handout_claim_and_questions_come_from_the_translated_cells():
    import nbformat

    from critique.publish.i18n import markdown_msgid

    nb = nbformat.read(str(workshop.workshop_dir() / "03-tier-upgrade.ipynb"), as_version=4)
    title, claim, questions = workshop_handout.claim_and_questions(nb)
    assert title.startswith("Exercise 3")
    with i18n.using("fr"):
        first = i18n._(markdown_msgid(nb.cells[0].source))
        fr_title, fr_claim, fr_questions = workshop_handout.claim_and_questions(nb)
    if first == markdown_msgid(nb.cells[0].source):
        pytest.skip("the exercise's first cell has no French translation in the catalogue")
    assert fr_title == re.search(r"^#\s+(.*)$", first, flags=re.MULTILINE).group(1).strip()
    assert fr_title != title and len(fr_questions) == len(questions) and len(fr_claim) == len(claim)


def test_a_translated_kit_is_built_beside_the_english_one():
    assert workshop.out_root().name == "workshop" and workshop.out_root("en").name == "workshop"
    assert workshop.out_root("fr").name == "workshop-fr" and workshop.out_root("fr").parent == workshop.out_root().parent
