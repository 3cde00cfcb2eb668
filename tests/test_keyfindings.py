"""Key findings: sentences filled from findings.json through the declared list, never typed by hand."""
from __future__ import annotations

from pathlib import Path

import pytest

from critique.publish import keyfindings
from critique.datasets import paths

FIGS = {"procedures": {"title": "Estimates by procedure", "source": "Home Office (2014)", "png": "40/figures/procedures.png"}}


def test_a_sentence_is_filled_with_number_interval_chart_and_source():
    entries = [{"sentence": "Stepwise gives {est:,.0f} (95% interval {lo:,.0f} to {hi:,.0f}); share {share:.1%}; "
                            "range {rng[0]:.2f} to {rng[1]:.2f}; by {edition[name]}.",
                "chart": "procedures", "scenario": False}]
    found = {"est": 11417.6, "lo": 10001.2, "hi": 13182.0, "share": 0.0347, "rng": [0.41, 0.9],
             "edition": {"name": "GEMS 2022"}}
    out = keyfindings.render("40-mse", entries, found, FIGS)
    assert out.errors == []
    kf = out.findings[0]
    assert kf.sentence == ("Stepwise gives 11,418 (95% interval 10,001 to 13,182); share 3.5%; range 0.41 to 0.90; "
                           "by GEMS 2022.")
    assert (kf.chart_title, kf.source, kf.png, kf.scenario) == (
        "Estimates by procedure", "Home Office (2014)", "40/figures/procedures.png", False)


def test_a_missing_or_empty_key_is_an_error_naming_notebook_and_key():
    entries = [{"sentence": "{est:,.0f} and {gone}", "chart": "procedures", "scenario": False},
               {"sentence": "{empty:.1f}", "chart": "procedures", "scenario": True}]
    out = keyfindings.render("40-mse", entries, {"est": 3.0, "empty": None}, FIGS)
    assert out.findings == []
    assert out.errors == ["40-mse: key finding needs key 'gone', which findings.json does not record",
                          "40-mse: key finding needs key 'empty', recorded empty (no value)"]


def test_an_unknown_chart_and_a_format_that_does_not_fit_are_errors():
    out = keyfindings.render("x", [{"sentence": "{a}", "chart": "nope", "scenario": False},
                                   {"sentence": "{b:.1f}", "chart": "procedures", "scenario": False}],
                             {"a": 1, "b": "text"}, FIGS)
    assert out.errors[0] == "x: key finding names chart 'nope', which the notebook did not save (charts: procedures)"
    assert out.errors[1].startswith("x: key finding '{b:.1f}...' cannot be filled (ValueError")


def test_declarations_are_checked(tmp_path):
    (tmp_path / "nb.yml").write_text("- sentence: '{a}'\n  chart: c\n  scenario: maybe\n")
    with pytest.raises(ValueError, match="entry 1, field 'scenario' must be true or false"):
        keyfindings.load_declarations("nb", tmp_path)
    (tmp_path / "nb.yml").write_text("- sentence: '{a}'\n  chart: c\n  colour: red\n")
    with pytest.raises(ValueError, match="entry 1 has unknown key"):
        keyfindings.load_declarations("nb", tmp_path)
    assert keyfindings.load_declarations("absent", tmp_path) == []


def test_every_project_declaration_parses_and_names_keys():
    files = sorted((paths.notebooks_dir() / "key_findings").glob("[0-9]*.yml"))  # _brief.yml: below
    assert {f.stem for f in files} >= {"00-data-catalogue", "30-tip-law-enforcement", "31-tip-tiers"}
    for f in files:
        assert (paths.notebooks_dir() / f"{f.stem}.ipynb").exists(), f"{f.name}: no notebook of that name"
        entries = keyfindings.load_declarations(f.stem)
        assert entries, f.name
        for e in entries:
            assert keyfindings.placeholders(e["sentence"]), f"{f.name}: a sentence with no recorded number"
            assert not any(ch.isdigit() for ch in _outside_placeholders(e["sentence"])), \
                f"{f.name}: a number typed by hand in {e['sentence']!r}"


def _outside_placeholders(sentence: str) -> str:
    import re

    # names and fixed conventions are not findings: "Tier 1", "95% interval", "per 100,000", UNODC's
    # suppression label '<5', the "3P" index, "Covid-19", and a publication's identifier or year
    # ("SOU 2010:49", "(ODIHR and UN Women, 2020)"); every measured number is a placeholder
    text = re.sub(r"\{[^}]*\}", "", sentence)
    text = re.sub(r"Tier \d|95%|per 100,000|'<5'|\"<5\"|\b3P\b|Covid-19|SOU \d{4}:\d+", "", text)
    return re.sub(r", (19|20)\d\d\)|'s (19|20)\d\d report", ")", text)


@pytest.mark.notebook
@pytest.mark.parametrize("stem", ["00-data-catalogue", "30-tip-law-enforcement", "31-tip-tiers"])
def test_my_notebooks_key_findings_fill_from_a_smoke_run(smoke_run, stem):
    import json

    found = smoke_run(stem)
    out = Path(found["_out_dir"])
    figs = {json.loads(p.read_text())["name"]: json.loads(p.read_text()) for p in (out / "figures").glob("*.json")}
    rendered = keyfindings.for_notebook(stem, found["findings"], figs)
    assert rendered.errors == [] and rendered.findings


def test_an_optional_finding_is_left_out_when_this_run_cannot_produce_it():
    entries = [{"sentence": "Two releases: {a:,.0f}.", "chart": "c", "scenario": False, "optional": True},
               {"sentence": "Always: {b}.", "chart": "d", "scenario": False, "optional": False}]
    figures = {"d": {"title": "D", "source": "S"}}
    out = keyfindings.render("nb", entries, {"b": 1}, figures)
    assert [f.sentence for f in out.findings] == ["Always: 1."] and not out.errors and len(out.skipped) == 1
    # a key that is present but empty is still an error, optional or not
    out = keyfindings.render("nb", entries, {"a": None, "b": 1}, {"c": {}, **figures})
    assert out.errors and "recorded empty" in out.errors[0]


# --- the brief (notebooks/key_findings/_brief.yml) ---------------------------------------------

def _page(stem, found, charts=("c",)):
    return {"stem": stem, "found": found,
            "figures": [{"name": c, "title": f"Chart {c}", "source": "Publisher (2024)", "png": None}
                        for c in charts]}


def _write_brief(directory, headlines, about="What this is."):
    import yaml

    directory.mkdir(parents=True, exist_ok=True)
    (directory / "_brief.yml").write_text(yaml.safe_dump({"about": about, "headlines": headlines}))
    return directory


def _headlines(n, sentence="Count {n:,}.", notebook="10-a"):
    return [{"notebook": notebook, "chart": "c", "sentence": sentence} for _ in range(n)]


def test_brief_fills_headlines_from_the_named_notebook(tmp_path):
    d = _write_brief(tmp_path, _headlines(6))
    b = keyfindings.brief([_page("10-a", {"n": 12345})], d)
    assert [h.sentence for h in b.headlines] == ["Count 12,345."] * 6 and b.errors == {}
    assert b.about == "What this is." and b.headlines[0].chart_title == "Chart c"


def test_brief_missing_key_is_an_error_naming_notebook_and_key(tmp_path):
    d = _write_brief(tmp_path, _headlines(6, "Count {absent}."))
    b = keyfindings.brief([_page("10-a", {"n": 1})], d)
    assert b.headlines == []
    assert b.errors["10-a"][0] == ("brief (_brief.yml): 10-a: key finding needs key 'absent', "
                                   "which findings.json does not record")


def test_brief_refuses_an_internal_id_or_jargon_in_a_filled_headline(tmp_path):
    d = _write_brief(tmp_path, _headlines(6, "From {release}, {ds}, {col}."))
    found = {"release": "glotip@2023-05-30", "ds": "mse-uk-2013-5", "col": "detected_victims"}
    b = keyfindings.brief([_page("10-a", found)], d)
    assert b.headlines == [] and len(b.errors["10-a"]) == 6
    msg = b.errors["10-a"][0]
    for word in ("glotip@2023-05-30", "mse-uk-2013-5", "detected_victims"):
        assert f"internal id '{word}'" in msg
    assert keyfindings.reader_problems("BIC weights and placebo p = 0.72") == [
        "statistical term 'BIC'", "statistical term 'placebo'", "statistical term 'p ='"]
    assert keyfindings.reader_problems("Covid-19 and FOSTA-SESTA in 2018-2019: 12,345 (+25%).") == []


def test_brief_size_and_shape_are_checked(tmp_path):
    with pytest.raises(ValueError, match="5 headlines; the brief holds 6 to 8"):
        keyfindings.load_brief(_write_brief(tmp_path / "a", _headlines(5)))
    with pytest.raises(ValueError, match="9 headlines"):
        keyfindings.load_brief(_write_brief(tmp_path / "b", _headlines(9)))
    bad = _headlines(6)
    bad[2]["colour"] = "red"
    with pytest.raises(ValueError, match="headline 3 has unknown key"):
        keyfindings.load_brief(_write_brief(tmp_path / "c", bad))


def test_brief_headline_of_a_notebook_not_built_is_left_out(tmp_path):
    d = _write_brief(tmp_path, _headlines(6, notebook="99-absent"))
    b = keyfindings.brief([_page("10-a", {"n": 1})], d)
    assert b.headlines == [] and b.errors == {} and len(b.skipped) == 6


def test_project_brief_names_real_notebooks_and_charts_and_types_no_number():
    about, entries = keyfindings.load_brief()
    assert 6 <= len([e for e in entries if not e.get("optional")]) <= 8
    assert keyfindings.reader_problems(about) == []
    for e in entries:
        nb = paths.notebooks_dir() / f"{e['notebook']}.ipynb"
        assert nb.exists(), f"_brief.yml: no notebook {e['notebook']}"
        # a chart is named in the notebook or in the package code its sections call
        named = [nb.read_text()] + [p.read_text() for p in paths.package_dir().rglob("*.py")]
        assert any(f'"{e["chart"]}' in t or f"'{e['chart']}" in t for t in named), \
            f"_brief.yml: {e['notebook']}: no chart named {e['chart']}"
        assert keyfindings.placeholders(e["sentence"])
        assert not any(ch.isdigit() for ch in _outside_placeholders(e["sentence"])), e["sentence"]
        # the fixed words of a headline carry no id and no jargon either
        import re
        assert keyfindings.reader_problems(re.sub(r"\{[^}]*\}", "X", e["sentence"])) == [], e["sentence"]
