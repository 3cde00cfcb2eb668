"""The index, the community summary and the organisation's name in the reader's language (issue 26).

The summary's expected sentences are written out here by hand from the findings the test gives it,
with the numbers in the form CLDR gives each language (see tests/test_i18n.py).
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest

from critique.core import i18n
from critique.methods.claims.rules import CANNOT_TEST
from critique.publish import branding, summary
from critique.publish.pages import index_html

FOUND = {
    "60-claims": {"n_checks": 15, "n_claims": 13, "verdict_counts": {CANNOT_TEST: 8, "consistent with the data": 7}},
    "10-coverage-composition": {"largest_rise_change": 19707.0, "largest_rise_year": 2017,
                                "largest_rise_entering": 12514.0, "largest_rise_n_entering": 38},
    "40-multiple-systems-estimation": {"uk_published_low": 10000, "uk_published_high": 13000,
                                       "uk6_stepwise_total": 11418.2, "uk5_bic_default_total": 25311.4},
    "31-tip-tiers": {"share_changed_mean": 0.2714, "volatility_years": [2001, 2015]},
}


def _pages(found=FOUND):
    return [{"stem": stem, "title": stem, "found": f, "figures": [], "key_findings": [], "key_errors": [],
             "html": f"{stem}/{stem}.html", "ipynb": f"{stem}/{stem}.ipynb", "findings": f"{stem}/findings.json"}
            for stem, f in found.items()]


def test_the_summary_reads_its_numbers_from_the_findings_in_english():
    with i18n.using("en"):
        s = summary.build(_pages())
    assert [p.notebook for p in s.points] == ["60-claims", "10-coverage-composition",
                                              "40-multiple-systems-estimation", "31-tip-tiers"]
    assert s.points[0].sentence.startswith("This briefing made 15 checks of 13 claims")
    assert "In 8 checks, no count of the same thing exists" in s.points[0].sentence
    assert ("rose by 19,707 into 2017, 12,514 of that rise came from 38 countries that had not reported"
            in s.points[1].sentence)
    assert "of 10,000 to 13,000 possible victims" in s.points[2].sentence
    assert "from the same six lists, the procedure its author says was used gives about 11,418;" in s.points[2].sentence
    # the 25,311 is on the five-list merge, not on the same lists: the sentence must say so before it
    assert ("with two of those lists merged into one (police and National Crime Agency), the same authors' later "
            "software, with its default settings, gives about 25,311.") in s.points[2].sentence
    assert "From 2001 to 2015, on average 27% of the countries changed grade" in s.points[3].sentence
    assert s.left_out == []


def test_the_summary_writes_numbers_and_plurals_the_french_way():
    with i18n.using("fr"):
        s = summary.build(_pages())
    assert "a augmenté de 19\u202f707 en 2017, 12\u202f514 de cette hausse venaient de 38 pays qui n'avaient pas" \
        in s.points[1].sentence
    assert "en moyenne 27\u00a0% des pays" in s.points[3].sentence
    assert "Pour 8 vérifications" in s.points[0].sentence


def test_the_summary_uses_the_singular_for_one_country_in_russian():
    found = dict(FOUND, **{"10-coverage-composition": dict(FOUND["10-coverage-composition"],
                                                           largest_rise_n_entering=21)})
    with i18n.using("ru"):
        s = summary.build(_pages(found))
    assert "пришлись на 21 страну, не присылавшую данные" in s.points[1].sentence


def test_a_point_whose_findings_are_missing_is_left_out_and_said():
    found = {k: v for k, v in FOUND.items() if k != "31-tip-tiers"}
    found["40-multiple-systems-estimation"] = {"uk_published_low": 10000}
    with i18n.using("en"):
        s = summary.build(_pages(found))
        html = "\n".join(summary.summary_html(_pages(found)))
    assert [p.notebook for p in s.points] == ["60-claims", "10-coverage-composition"]
    assert s.left_out == ["40-multiple-systems-estimation: uk_published_high, uk6_stepwise_total, uk5_bic_default_total",
                          "31-tip-tiers: share_changed_mean, volatility_years"]
    assert "2 points were left out" in html


def test_the_summary_uses_no_unexplained_statistical_term():
    terms = re.compile(r"\b(confidence|interval|bootstrap|regression|model|median|estimator|significan\w*|"
                       r"stepwise|BIC|MSE|posterior|prior|p-value)\b", re.IGNORECASE)
    with i18n.using("en"):
        s = summary.build(_pages())
    text = " ".join([s.intro] + s.cannot + [p.sentence for p in s.points])
    assert terms.findall(text) == []


def _index(lang: str) -> str:
    with i18n.using(lang):
        return index_html("critique-suite: smoke", _pages(), [], dt.datetime(2026, 12, 6, 10, 5, tzinfo=dt.timezone.utc))


def test_the_french_index_is_marked_french_and_opens_with_the_draft_note_and_the_summary():
    page = _index("fr")
    assert '<html lang="fr">' in page
    assert page.index('class="draft-note"') < page.index('id="community-summary"') < page.index("<h2>Carnets</h2>")
    assert "Traduction provisoire" in page and "Relu par une personne de langue maternelle française : non." in page
    assert "Produit le 6 déc. 2026, 10:05:00 UTC par critique-suite." in page
    assert "Résumé pour les communautés" in page


def test_the_chinese_index_is_tagged_simplified_chinese():
    page = _index("zh")
    assert '<html lang="zh-Hans">' in page
    assert "翻译草稿" in page and "社区摘要" in page


def test_the_english_index_has_no_draft_note():
    page = _index("en")
    assert '<html lang="en">' in page
    assert 'class="draft-note"' not in page and "Draft translation" not in page
    assert "Generated 2026-12-06 10:05 UTC by critique-suite." in page
    assert "Community summary" in page


# --- safety of readers: the organisation is named only where asked ------------------------------

ORG = "Example Sex Workers Network"


def _metadata_parts(page: str) -> str:
    head = page[:page.index("</head>")]
    return " ".join(re.findall(r"<title>.*?</title>|<meta[^>]*>", head))


def test_no_organisation_is_named_anywhere_by_default():
    assert branding.active() == branding.NONE
    page = _index("en")
    assert 'class="organisation"' not in page
    assert not re.search(r'<meta[^>]+name="(author|publisher|generator|creator)"', page)


def test_a_named_organisation_is_shown_but_kept_out_of_the_html_metadata(tmp_path):
    params = tmp_path / "set.yml"
    params.write_text(f"name: s\norganisation:\n  name: {ORG}\nnotebooks: {{}}\n", encoding="utf-8")
    with branding.using(branding.of_set(params)):
        page = _index("ru")
    assert f'<p class="organisation">{ORG}</p>' in page
    assert ORG not in _metadata_parts(page)


def test_a_bad_organisation_block_is_one_line_naming_the_file(tmp_path):
    from critique.core.errors import ParameterError

    params = tmp_path / "set.yml"
    params.write_text("name: s\norganisation:\n  name: X\n  in_metadata: maybe\nnotebooks: {}\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"set\.yml: organisation: in_metadata must be true or false"):
        branding.of_set(params)


def test_a_logo_is_re_encoded_without_its_metadata(tmp_path):
    from PIL import Image, PngImagePlugin

    logo = tmp_path / "logo-in.png"
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", ORG)
    Image.new("RGB", (8, 8), "red").save(logo, pnginfo=info)
    assert ORG.encode() in logo.read_bytes()  # the test's logo does carry the name
    out = branding.clean_logo(branding.Branding(name="", logo=logo), tmp_path)
    assert ORG.encode() not in out.read_bytes()
    with Image.open(out) as img:
        assert img.size == (8, 8) and img.getpixel((0, 0))[:3] == (255, 0, 0)


def _pdf_info(pdf) -> str:
    if shutil.which("pdfinfo") is None:  # the raw file: Typst writes its metadata uncompressed
        return pdf.read_bytes().decode("latin-1")
    return subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("in_metadata", [False, True])
def test_the_summary_pdf_names_the_organisation_in_its_metadata_only_when_asked(tmp_path, in_metadata):
    pytest.importorskip("typst")
    b = branding.Branding(name=ORG, in_metadata=in_metadata)
    with i18n.using("fr"), branding.using(b):
        pdf = summary.write_pdf(tmp_path / "summary.pdf", _pages(), title="critique-suite: smoke")
    raw = pdf.read_bytes()
    info = _pdf_info(pdf)
    if in_metadata:  # the control: the check below does see a name in the metadata
        assert ORG in info
    else:
        assert ORG not in info
        assert ORG.encode() not in raw  # nor anywhere in the file's uncompressed parts (XMP, info)
    assert "Résumé pour les communautés" in info  # the document title, in the reader's language
