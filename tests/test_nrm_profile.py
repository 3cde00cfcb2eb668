"""The GBR country profile's NRM section (issue 23): values recounted independently from the raw mirror files,
the reading rules on both sides, and nothing for any other country."""
from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pyreadr
import pytest

from critique import datasets
from critique.methods.identification import summary
from critique.publish import profiles


def _referrals_by_year(mirror: Path) -> dict[int, int]:
    """Every complete year from 2014: the raw CSV's 'Total' location rows summed over the age groups."""
    totals: dict[int, int] = defaultdict(int)
    quarters: dict[int, set] = defaultdict(set)
    with open(mirror / "nrm_referrals_longitudinal.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Location of exploitation"] == "Total":
                totals[int(row["Year"])] += int(row["NRM referrals"])
                quarters[int(row["Year"])].add(row["Quarter"])
    return {y: n for y, n in totals.items() if y >= 2014 and len(quarters[y]) == 4}


def _rg_year_rows(mirror: Path) -> dict[int, dict[str, int]]:
    """The raw decisions CSV's own yearly rows (Quarter == 'Total')."""
    with open(mirror / "nrm_reasonable_grounds.csv", encoding="utf-8") as handle:
        return {int(r["Year"]): {k: int(v) for k, v in r.items() if k not in ("Year", "Quarter")}
                for r in csv.DictReader(handle) if r["Quarter"] == "Total"}


def _responder_totals(mirror: Path) -> dict[str, int]:
    """Each type's '... total' row, all exploitation types, ages, genders and nationalities, over every quarter file."""
    names = {"Police total": "police", "Government agency total": "government",
             "Local Authority total": "local_authority", "NGO and third sector total": "ngo"}
    out: dict[str, int] = defaultdict(int)
    files = sorted(mirror.glob("nrm_referrals_20[0-9][0-9]_q[1-4].rda"))
    assert len(files) == 7  # 2022 Q2 - 2023 Q4
    for path in files:
        frame = next(iter(pyreadr.read_r(str(path)).values()))
        rows = frame[frame["First responder"].isin(names) & frame["Exploitation type"].eq("Total")
                     & frame["Age at exploitation"].eq("Total") & frame["Gender"].eq("Total")
                     & frame["Nationality"].eq("Total")]
        assert len(rows) == 4, path.name
        for name, people in zip(rows["First responder"], rows["People"]):
            out[names[name]] += int(people)
    return dict(out)


@pytest.fixture(scope="module")
def section():
    return profiles.uk_nrm("GBR")


def test_referrals_per_year_agree_with_a_recount_of_the_raw_csv(section, mirror_dir):
    recount = _referrals_by_year(mirror_dir)
    assert section.findings["referrals_by_year"] == recount
    assert recount[2023] == 17004  # the Home Office's end-of-year summary 2023 (7 March 2024)
    assert section.findings["years"] == [2014, 2023]


def test_reasonable_grounds_shares_agree_with_the_raw_yearly_rows(section, mirror_dir):
    rows = _rg_year_rows(mirror_dir)
    f = section.findings["rg_positive_share"]
    for age, prefix in (("adult", "Adult (18 or over)"), ("child", "Child (17 or under)")):
        share = {y: r[f"{prefix} - Positive reasonable grounds"] / r[f"{prefix} - Total"] for y, r in rows.items()}
        before = [share[y] for y in range(2014, 2023)]
        assert f[age]["before_low"] == pytest.approx(min(before), abs=5e-5)
        assert f[age]["before_high"] == pytest.approx(max(before), abs=5e-5)
        assert f[age]["after"] == pytest.approx(share[2023], abs=5e-5)
    assert f["adult"]["after"] == pytest.approx(3364 / 8126, abs=5e-5)
    every = {y: sum(v for k, v in r.items() if k.endswith("- Positive reasonable grounds")) / r["Total"] for y, r in rows.items()}
    assert f["all"]["after"] == pytest.approx(every[2023], abs=5e-5)
    assert section.findings["rg_years"] == [2014, 2022, 2023]


def test_first_responder_shares_agree_with_a_recount_of_the_raw_rda_files(section, mirror_dir):
    totals = _responder_totals(mirror_dir)
    whole = sum(totals.values())
    assert section.findings["responder_share"] == pytest.approx({t: n / whole for t, n in totals.items()}, abs=5e-5)
    assert section.findings["responder_quarters"] == ["2022 Q2", "2023 Q4"]
    assert f"Of the {whole:,} referrals in 2022 Q2-2023 Q4" in section.markdown


def test_the_section_cites_its_releases_and_quotes_the_home_office(section):
    text = section.markdown
    assert "[nrm-referrals@2024-03-07]" in text and "[nrm-reasonable-grounds@2024-03-07]" in text
    assert "nrm-first-responders@2022-q2 to nrm-first-responders@2023-q4" in text
    assert '"the proportion of positive reasonable grounds decisions has decreased from the previous quarter; this is ' \
           'likely to be a result of the change in the test for reasonable grounds decisions"' in text
    assert "Quarter 1 2023 - January to March (4 May 2023)" in text and "(primary)" in text
    assert "victims" not in text.replace("potential victims", "")
    assert [t.shape for t in section.tables] == [(1, 10), (3, 2)]


@pytest.mark.parametrize("iso3", ["SWE", "IRL", "USA", "gbr", "GB"])
def test_no_other_country_gets_a_section_or_loads_the_nrm(iso3, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the NRM was loaded for another country")
    monkeypatch.setattr(datasets, "load", refuse)
    assert profiles.uk_nrm(iso3) is None


def test_an_edition_before_the_nrm_releases_says_so():
    old = profiles.uk_nrm("GBR", edition="2023-05-30")
    assert old.tables == [] and old.findings == {}
    assert "published after this edition (2023-05-30)" in old.markdown


def _yearly(values):
    return pd.DataFrame({"year": list(values), "referrals": list(values.values())})


def test_summary_sentences_on_both_sides():
    assert summary.referrals_sentence(_yearly({2014: 100, 2023: 300})).startswith(
        "Referrals of potential victims to the UK National Referral Mechanism rose from 100 in 2014 to 300 in 2023 (as the "
        "release named below counts them; later releases restate past periods).")
    assert " fell from 300 in 2014 to 100" in summary.referrals_sentence(_yearly({2014: 300, 2023: 100}))
    shares = pd.DataFrame({"responder_type": ["police", "government", "local_authority", "ngo"],
                           "label": ["police forces", "government agencies", "local authorities", "NGOs"],
                           "referrals": [30, 50, 15, 5]})
    shares["share"] = shares["referrals"] / 100
    assert ("the types of first responder made these shares: government agencies 50%, police forces 30%, "
            "local authorities 15%, NGOs 5%.") in summary.responders_sentence(shares, ("2022 Q2", "2023 Q4"))
    table = pd.DataFrame({"age": ["adult", "child", "all"], "before_low": [0.83, 0.76, 0.8],
                          "before_high": [0.91, 0.95, 0.92], "after": [0.41, 0.74, 0.55]})
    fell = summary.decisions_summary_sentence(table, 2014, 2023, "QUOTE")
    assert 'adults 83%-91%, then 41%' in fell and 'the Home Office wrote of the quarter in which the test changed: "QUOTE"' in fell
    level = summary.decisions_summary_sentence(table.assign(after=[0.85, 0.8, 0.85]), 2014, 2023, "QUOTE")
    assert "QUOTE" not in level and "no fall to attribute to the test" in level
    with pytest.raises(Exception, match="unknown responder_type"):
        summary.responder_shares(pd.DataFrame({"quarter": [1], "responder_type": ["army"], "potential_victims": [3]}))
