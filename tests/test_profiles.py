"""Country profiles: the "what not to conclude" box, the series and coverage, ISO3 checks, rendering."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from critique import datasets
from critique.publish import profiles
from critique.publish.runner import ParameterError


def _cell(year, form, value=None, low=None, high=None, parts=1):
    sup = value is None
    return {"year": year, "form": form, "value": np.nan if sup else float(value),
            "low": float(low if sup else value), "high": float(high if sup else value),
            "suppressed": sup, "parts": parts}


@pytest.fixture
def toy() -> pd.DataFrame:
    """Totals in 2010, 2011 (<5) and 2014; forms in 2010 (add up) and 2014 (do not)."""
    return pd.DataFrame([
        _cell(2010, "Total", 12), _cell(2010, "Sexual exploitation", 8), _cell(2010, "Forced labour", 4),
        _cell(2011, "Total", low=1, high=4),
        _cell(2014, "Total", 30), _cell(2014, "Sexual exploitation", 10),
        _cell(2014, "Forced labour", low=1, high=4),  # forms 11..14 < total 30: do not add up
        _cell(2014, "Other forms of exploitation", 0, parts=3),
    ])


def _keys(cautions):
    return [c.key for c in cautions]


def test_box_rules_fire_from_the_data(toy):
    cautions = profiles.what_not_to_conclude(toy)
    assert _keys(cautions) == ["short-series", "gaps", "suppressed", "forms-partial", "other-split", "detection"]
    text = {c.key: c.text for c in cautions}
    assert "only 3 year(s) (2010, 2011, 2014)" in text["short-series"]  # 3 totals < 5
    assert "nothing reported in 2012-2013" in text["gaps"]  # runs 2010-2011 and 2014
    assert text["suppressed"].startswith("2 of 8 cells")  # 2011 total and 2014 forced labour
    assert "no split by form in 2011" in text["forms-partial"]
    assert "do not add up to the total in 2014" in text["forms-partial"]  # 30 > 10 + 4 + 0


def test_box_is_quiet_on_a_long_complete_series():
    rows = [_cell(y, f, v) for y in range(2005, 2015)
            for f, v in (("Total", 10), ("Sexual exploitation", 6), ("Forced labour", 4))]
    assert _keys(profiles.what_not_to_conclude(pd.DataFrame(rows))) == ["detection"]
    # four totals only: short (threshold 5), five: not
    four = pd.DataFrame([_cell(y, "Total", 3) for y in range(2005, 2009)])
    five = pd.DataFrame([_cell(y, "Total", 3) for y in range(2005, 2010)])
    assert "short-series" in _keys(profiles.what_not_to_conclude(four))
    assert "short-series" not in _keys(profiles.what_not_to_conclude(five))


def test_box_without_data_and_with_context():
    empty = profiles.form_series(pd.DataFrame(columns=["iso3", "indicator", "sex", "age", "dimension",
                                                       "category", "value", "suppressed", "year",
                                                       "value_low", "value_high"]), "XXX")
    pol = pd.DataFrame({"policy_id": ["A-1", "A-2"], "verification": ["secondary", "unverified"]})
    cautions = profiles.what_not_to_conclude(empty, tier_statuses=["rated", "unknown (partial year)"],
                                             tier_changes=2, policies=pol, gsi_estimate=5000.0)
    assert _keys(cautions) == ["no-data", "tier", "tier-gaps", "policy", "gsi"]
    text = {c.key: c.text for c in cautions}
    assert "changed 2 time(s)" in text["tier"] and "in 1 report year(s)" in text["tier-gaps"]
    assert "Unverified (date not established): A-2." in text["policy"]
    assert "gsi" not in _keys(profiles.what_not_to_conclude(empty, gsi_estimate=float("nan")))


def test_runs_and_tier_changes():
    assert profiles.cautions._runs([2007, 2003, 2004, 2005]) == [(2003, 2005), (2007, 2007)]
    hist = pd.DataFrame({"tier": ["2", "2", "2WL", None, "2WL", "1"]})
    assert profiles.tier_changes(hist) == 2  # 2 -> 2WL, 2WL -> 1; the unknown year is skipped


@pytest.fixture(scope="module")
def glotip(mirror_dir):
    return datasets.load("glotip@2023-05-30")  # pinned: expectations counted on this release


def test_form_series_and_coverage_on_sweden(glotip):
    s = profiles.form_series(glotip, "SWE").set_index(["year", "form"])
    # UNODC workbook, Sweden 2008: total 21 = sexual exploitation 14 + other forms 7
    assert s.loc[(2008, "Total"), "value"] == 21
    assert s.loc[(2008, "Sexual exploitation"), "value"] + s.loc[(2008, "Other forms of exploitation"), "value"] == 21
    assert bool(s.loc[(2017, "Sexual exploitation"), "suppressed"])
    # "<5" is 0 to 4 (UNODC publishes no number below 5; the old low bound 1 was wrong)
    assert (s.loc[(2017, "Sexual exploitation"), "low"], s.loc[(2017, "Sexual exploitation"), "high"]) == (0, 4)
    cov = profiles.coverage(s.reset_index(), range(2003, 2022)).set_index("year")
    assert cov.loc[2007, "status"] == "not reported" and cov.loc[2008, "status"] == "total and forms"
    assert cov.loc[2008, "forms_reported"] == 2


def test_other_forms_subrows_are_summed_as_bounds(glotip):
    s = profiles.form_series(glotip, "ALB").set_index(["year", "form"])
    row = s.loc[(2017, "Other forms of exploitation")]
    assert row["parts"] == 5 and bool(row["suppressed"])
    assert np.isnan(row["value"])  # a sum with a "<5" part is only known as bounds
    # each "<5" part adds 0 to the low and 4 to the high bound: the gap is 4 per suppressed part
    assert (row["high"] - row["low"]) % 4 == 0 and row["high"] > row["low"]


def test_placeholder_years_are_not_reported_and_labels_say_all_suppressed(glotip):
    from critique.datasets import glotip_rules

    years = range(2003, 2022)
    partial = glotip_rules.partial_years(glotip)
    mex = profiles.coverage(profiles.form_series(glotip, "MEX"), years, partial=partial).set_index("year")
    # Mexico 2019: three "<5" placeholder rows and no total (731 in 2018, 824 in 2020); before the
    # flags the profile labelled it "forms only"
    assert mex.loc[2019, "status"] == "not reported"
    assert mex.loc[2018, "status"] == mex.loc[2020, "status"] == "total and forms"
    ton = profiles.coverage(profiles.form_series(glotip, "TON"), years, partial=partial).set_index("year")
    # Tonga 2017-2020: every cell "<5", total "<5": reported, but no mix of forms can be read
    assert ton.loc[2018, "status"] == "total and forms (forms all <5)"
    assert ton.loc[2021, "status"] == "not yet reported (release lag)" and partial == [2021]


def test_check_iso3_refuses_with_closest(glotip):
    avail = profiles.countries_with_data(glotip)
    # every country (ISO3) with a usable UNODC cell in the 2023 workbook; the old 199 counted Dominica,
    # North Korea and San Marino, whose only rows are 2017-2020 placeholders (every form "<5", no total)
    assert len(avail) == 196
    assert not {"DMA", "PRK", "SMR"} & set(avail)
    assert profiles.check_iso3(["swe", " USA "], avail) == ["SWE", "USA"]
    with pytest.raises(ParameterError, match=r"iso3 'SWD'.*did you mean .*SWE"):
        profiles.check_iso3(["SWD"], avail)
    with pytest.raises(ParameterError, match=r"did you mean SWE\?"):
        profiles.check_iso3(["Sweden"], avail)
    with pytest.raises(ParameterError, match=r"'ATA' \(Antarctica\) has no UNODC data"):
        profiles.check_iso3(["ATA"], avail)


def test_cli_refuses_unknown_code_before_running(capsys, mirror_dir):
    from critique.publish import cli

    assert cli.main(["profiles", "SWD"]) == 2
    assert "did you mean" in capsys.readouterr().err


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, mirror_dir):
    root = tmp_path_factory.mktemp("countries")
    # pinned to the 2023 release, where the expectations below were counted
    res = profiles.build_profiles(["SWE", "USA", "ABW"], n_jobs=2, root=root, progress=False, edition="2023-05-30")
    return root, res


def _findings(root, code):
    return json.loads((root / code / "findings.json").read_text(encoding="utf-8"))["findings"]


@pytest.mark.notebook
def test_profiles_render_with_index(rendered):
    root, res = rendered
    assert sorted(res.ran) == ["ABW", "SWE", "USA"] and not res.failed
    index = (root / "index.html").read_text(encoding="utf-8")
    for code in ("SWE", "USA", "ABW"):
        assert f"{code}/country-profile.html" in index
    swe = _findings(root, "SWE")
    assert (swe["first_year"], swe["policies"]) == (2008, ["SWE-1999-client"])
    assert swe["gsi_estimate"] == 6000  # GSI 2023, Sweden
    assert "suppressed" in swe["cautions"] and "policy" in swe["cautions"]
    usa = _findings(root, "USA")
    assert usa["policies"] == ["USA-2018-fosta"] and usa["latest_year"] == 2021
    abw = _findings(root, "ABW")  # Aruba: UNODC cells, but no detected-victim figure
    assert abw["cautions"][0] == "no-data" and abw["cells"] == 0
    assert not (root / "ABW" / "figures" / "unodc-series.png").exists()
    html = (root / "SWE" / "country-profile.html").read_text(encoding="utf-8")
    assert "What not to conclude from this page" in html
    # the UK National Referral Mechanism section is for GBR only: nothing for any other country
    assert "nrm" not in swe and "nrm" not in usa and "nrm" not in abw
    assert "National Referral Mechanism" not in html


@pytest.mark.notebook
def test_profiles_are_incremental_and_batch_matches(rendered, tmp_path):
    root, _ = rendered
    again = profiles.build_profiles(["SWE", "ABW"], root=root, progress=False, edition="2023-05-30")
    assert sorted(again.skipped) == ["ABW", "SWE"] and not again.ran
    timings: dict[str, float] = {}
    ran, skipped, failed = profiles.run_batch(["SWE", "ABW"], tmp_path, timings=timings, progress=False,
                                              edition="2023-05-30")
    assert sorted(ran) == ["ABW", "SWE"] and not failed
    for code in ("SWE", "ABW"):  # one kernel for both countries, same findings as one kernel each
        assert _findings(tmp_path, code) == _findings(root, code)
    assert (tmp_path / "SWE" / "country-profile.html").exists() and (tmp_path / "SWE" / ".run-key").exists()
    assert timings["kernel_start_s"] > 0 and timings["cells_s"] > 0
