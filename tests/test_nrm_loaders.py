"""NRM loaders (issue 23): every file parsed, totals handled once, recounted independently from the raw files.

The recounts here read the mirror's files with the csv module and pyreadr directly and take the
publisher's own Total rows, where the loaders sum leaf cells: two routes to each number. Expected
values are the Home Office's published figures (cited beside each), never a range.
"""
from __future__ import annotations

import csv
from collections import defaultdict

import pandas as pd
import pytest

from critique import datasets
from critique.datasets import catalog, nrm, nrm_responders
from critique.core.errors import DataError

QUARTERS = ["2022_q2", "2022_q3", "2022_q4", "2023_q1", "2023_q2", "2023_q3", "2023_q4"]
KINDS = {"police": "nrm-police", "govt": "nrm-government", "la": "nrm-local-authority", "ngo": "nrm-ngo"}
# Totals first published for each quarter (Home Office bulletins; data/published/nrm_published_totals.csv):
# 4,171 (11 Aug 2022), 4,586 (3 Nov 2022), 4,418 (2 Mar 2023), 4,746 (4 May 2023), 3,998 (10 Aug 2023),
# 4,138 (Nov 2023), 4,142 (7 Mar 2024). The four first-responder tables of 2022 Q4 and 2023 Q4 add up
# to one fewer than the headline (written out below, not hidden in a tolerance).
FIRST_PUBLISHED = {"2022Q2": 4171, "2022Q3": 4586, "2022Q4": 4418, "2023Q1": 4746, "2023Q2": 3998,
                   "2023Q3": 4138, "2023Q4": 4142}
TABLES_SHORT_BY = {"2022Q4": 1, "2023Q4": 1}


def _rda(path):
    """The raw data frame, read with pyreadr directly (not through the loader)."""
    import pyreadr

    (name, frame), = pyreadr.read_r(str(path)).items()
    return name, frame


def _top_total(frame) -> int:
    """The publisher's own total row: first responder '<type> total', every other dimension 'Total'."""
    rows = frame[frame["First responder"].str.lower().str.endswith(" total")
                 & frame["Exploitation type"].eq("Total") & frame["Age at exploitation"].eq("Total")
                 & frame["Gender"].eq("Total") & frame["Nationality"].eq("Total")]
    return int(rows["People"].sum())


def test_every_nrm_file_is_catalogued_with_the_manifest_checksum(mirror_dir):
    manifest = {r["filename"]: r for r in csv.DictReader(open(mirror_dir / "MANIFEST.csv"))}
    nrm_files = {f for f in manifest if f.startswith("nrm_")}
    catalogued = {ds.filename: ds for ds in catalog.load_catalog().values() if ds.filename.startswith("nrm_")}
    assert set(catalogued) == nrm_files and len(nrm_files) == 39
    for name, ds in catalogued.items():
        assert ds.sha256 == manifest[name]["sha256"] and ds.bytes == int(manifest[name]["bytes"]), name
    assert [d.release for d in catalog.releases("nrm-police")] == [q.replace("_", "-") for q in reversed(QUARTERS)]


def test_quarterly_referrals_recounted_from_the_csv_total_rows(mirror_dir):
    totals: dict[str, int] = defaultdict(int)
    with open(mirror_dir / "nrm_referrals_longitudinal.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Location of exploitation"] == "Total":
                totals[row["Year"] + row["Quarter"]] += int(row["NRM referrals"])
    frame = datasets.load("nrm-referrals")
    assert "Total" not in set(frame["location"]) and frame["quarter"].dtype == pd.PeriodDtype("Q-DEC")
    ours = frame.groupby(frame["quarter"].astype(str))["potential_victims"].sum().to_dict()
    assert ours == dict(totals)
    assert len(ours) == 59 and min(ours) == "2009Q2" and max(ours) == "2023Q4"
    # Home Office, quarter 4 2023 bulletin (7 Mar 2024): 4,142 in Q4 2023, 4,131 in Q3 2023, 4,413 in Q4 2022
    assert (ours["2023Q4"], ours["2023Q3"], ours["2022Q4"]) == (4142, 4131, 4413)
    # end-of-year summary 2023 (7 Mar 2024): 17,004 in 2023, 16,921 in 2022
    assert sum(v for k, v in ours.items() if k.startswith("2023")) == 17004
    assert sum(v for k, v in ours.items() if k.startswith("2022")) == 16921


def test_first_responder_tables_recount_the_first_published_quarterly_totals(mirror_dir):
    for q in QUARTERS:
        key = q.replace("_q", "Q")
        recount = sum(_top_total(_rda(mirror_dir / f"nrm_referrals_{k}_{q}.rda")[1]) for k in KINDS)
        assert recount == FIRST_PUBLISHED[key] - TABLES_SHORT_BY.get(key, 0), key
        # the loaders: leaf cells of each type's table, and the bound file's type totals
        detail = sum(int(datasets.load(f"{KINDS[k]}@{q.replace('_', '-')}")["potential_victims"].sum()) for k in KINDS)
        bound = datasets.load(f"nrm-first-responders@{q.replace('_', '-')}")
        assert detail == recount == int(bound["potential_victims"].sum()), key
        assert set(bound["responder_type"]) == {"police", "government", "local_authority", "ngo"}


def test_each_type_total_in_the_bound_file_equals_the_type_file(mirror_dir):
    name, bound = _rda(mirror_dir / "nrm_referrals_2023_q4.rda")
    assert name == "nrm_referrals_2023_q4"
    for kind, label in (("police", "Police"), ("govt", "Government agency"), ("la", "Local Authority"),
                        ("ngo", "NGO and third sector")):
        own = _top_total(_rda(mirror_dir / f"nrm_referrals_{kind}_2023_q4.rda")[1])
        assert _top_total(bound[bound["First responder type"].eq(label)]) == own
    # 2023 Q4 by type: government 1,908, local authorities 1,017, NGOs 221, police 995
    totals = datasets.load("nrm-first-responders@2023-q4").groupby("responder_type")["potential_victims"].sum()
    assert totals.to_dict() == {"government": 1908, "local_authority": 1017, "ngo": 221, "police": 995}


def test_any_sexual_counts_each_person_once(mirror_dir):
    """The exploitation-level rows (age 'Total') of each responder, summed over labels containing 'Sexual'."""
    from critique.methods.identification import composition

    detail = nrm_responders.load_detail()
    shares = composition.form_shares(detail).set_index(["quarter", "responder_type"])
    for q in ("2022_q2", "2023_q4"):
        for kind, code in (("police", "police"), ("ngo", "ngo")):
            raw = _rda(mirror_dir / f"nrm_referrals_{kind}_{q}.rda")[1]
            rows = raw[~raw["First responder"].str.lower().str.endswith(" total")
                       & raw["Exploitation type"].str.contains("Sexual") & raw["Age at exploitation"].eq("Total")
                       & raw["Nationality"].eq("Total")]
            row = shares.loc[(pd.Period(q.replace("_q", "Q"), freq="Q-DEC"), code)]
            assert row["with_form"] == int(rows["People"].sum())
            assert row["potential_victims"] == _top_total(raw)
    labels = set(detail["exploitation"])
    assert {"Sexual & Labour", "Sexual, Labour & Criminal"} <= labels  # combined labels are categories
    assert nrm_responders.forms_of("Sexual, Labour & Criminal") == {"Sexual", "Labour", "Criminal"}
    assert nrm_responders.forms_of("Labour, Domestic, Organ Harvesting") == {"Labour", "Domestic", "Organ Harvesting"}
    assert nrm_responders.forms_of("Not specified or unknown") == frozenset()
    with pytest.raises(DataError, match="'Sexul'"):
        nrm_responders.forms_of("Sexul & Labour")


def test_decision_shares_recounted_from_the_year_rows(mirror_dir):
    from critique.methods.identification import decisions

    with open(mirror_dir / "nrm_reasonable_grounds.csv", encoding="utf-8") as handle:
        years = [r for r in csv.DictReader(handle) if r["Quarter"] == "Total"]
    recount = {int(r["Year"]): int(r["Adult (18 or over) - Positive reasonable grounds"])
               / int(r["Adult (18 or over) - Total"]) for r in years}
    shares = decisions.positive_shares(datasets.load("nrm-reasonable-grounds"), by="year")
    adults = shares[shares["age"].eq("adult")].set_index("period")["positive_share"].astype(float).to_dict()
    assert adults == pytest.approx(recount, abs=1e-12)
    assert adults[2023] == pytest.approx(3364 / 8126)  # the year row of 2023: 3,364 positive of 8,126
    assert adults[2014] == pytest.approx(1495 / 1705)
    every = shares[shares["age"].eq("all")].set_index("period")
    # end-of-year summary 2023: 15,247 reasonable-grounds decisions, 55% positive
    assert int(every.loc[2023, "decisions"]) == 15247 and round(100 * float(every.loc[2023, "positive_share"])) == 55
    cg = decisions.positive_shares(datasets.load("nrm-conclusive-grounds"), by="year").query("age == 'all'")
    # and 9,825 conclusive-grounds decisions, 66% positive
    row = cg.set_index("period").loc[2023]
    assert int(row["decisions"]) == 9825 and round(100 * float(row["positive_share"])) == 66


def test_duty_to_notify_matches_the_published_year(mirror_dir):
    dtn = datasets.load("nrm-duty-to-notify")
    by_year = dtn.groupby(dtn["quarter"].dt.year)["reports"].sum()
    # end-of-year summary 2023 annex: DtN reports rose from 4,580 (2022) to 4,929 (2023)
    assert (int(by_year[2022]), int(by_year[2023])) == (4580, 4929)
    assert str(dtn["quarter"].min()) == "2015Q4"


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_a_total_that_disagrees_with_its_parts_is_refused(tmp_path):
    good = ("Year,Quarter,Age at exploitation,Location of exploitation,NRM referrals\n"
            + "".join(f"2014,Q1,Adult (18 or over),{loc},{n}\n" for loc, n in
                      (("Overseas", 1), ("UK", 2), ("UK and Overseas", 0), ("Not specified or unknown", 3), ("Total", 6))))
    assert nrm.parse_referrals(_write(tmp_path / "ok.csv", good))["potential_victims"].sum() == 6
    with pytest.raises(DataError, match=r"bad\.csv: 2014Q1, Adult \(18 or over\): location Total: the total row says 7 but its parts sum to 6"):
        nrm.parse_referrals(_write(tmp_path / "bad.csv", good.replace("Total,6", "Total,7")))


def test_a_repeated_quarter_is_refused(tmp_path):
    rows = "".join(f"{y},{q},Adult (18 or over),Total,0\n" for y, q in (("2022", "Q1"), ("2022", "Q2"), ("2022", "Q2")))
    text = "Year,Quarter,Age at exploitation,Location of exploitation,NRM referrals\n" + rows
    with pytest.raises(DataError, match=r"rep\.csv: 2022Q2, Adult \(18 or over\), Total repeats an earlier row"):
        nrm.parse_referrals(_write(tmp_path / "rep.csv", text))
    # the trap the asylum package's script records: a later quarter labelled with an earlier year
    rows = "".join(f"{y},{q},Adult (18 or over),Total,0\n" for y, q in (("2022", "Q4"), ("2023", "Q1"), ("2022", "Q2")))
    with pytest.raises(DataError, match=r"quarters not consecutive at 2023Q1 -> 2022Q2"):
        nrm.parse_referrals(_write(tmp_path / "mis.csv", text.split("\n")[0] + "\n" + rows))


def test_a_decision_year_row_that_disagrees_is_refused(mirror_dir, tmp_path):
    text = (mirror_dir / "nrm_reasonable_grounds.csv").read_text(encoding="utf-8")
    bad = text.replace("2014,Total,210,1495,1705", "2014,Total,211,1495,1706").replace(",0,0,0,2423", ",0,0,0,2424")
    with pytest.raises(DataError, match=r"rg\.csv: year 2014 Adult \(18 or over\) - Negative reasonable grounds: "
                                        r"the total row says 211 but its parts sum to 210"):
        nrm.parse_reasonable_grounds(_write(tmp_path / "rg.csv", bad))


def _table(rows):
    return pd.DataFrame(rows, columns=list(nrm_responders.RDA_COLUMNS))


def test_responder_table_totals_are_checked_then_dropped():
    rows = [("Police", "Police total", "Total", "Total", "Total", n, v) for n, v in (("Total", 3), ("UK", 2), ("Polish", 1))]
    rows += [("Police", "Kent Police", "Total", "Total", "Total", n, v) for n, v in (("Total", 3), ("UK", 2), ("Polish", 1))]
    rows += [("Police", "Kent Police", "Sexual & Labour", "Total", "Total", n, v) for n, v in (("Total", 3), ("UK", 2), ("Polish", 1))]
    rows += [("Police", "Kent Police", "Sexual & Labour", "Adult (18 or over)", "Total", n, v) for n, v in (("Total", 3), ("UK", 2), ("Polish", 1))]
    rows += [("Police", "Kent Police", "Sexual & Labour", "Adult (18 or over)", "Female", n, v) for n, v in (("Total", 3), ("UK", 2), ("Polish", 1))]
    cells = nrm_responders._tidy_cells(_table(rows), file="t.rda")
    leaves = nrm_responders._check_totals(cells, file="t.rda")
    assert leaves["n"].sum() == 3 and set(leaves["nationality"]) == {"UK", "Polish"}
    bad = [r if r[1:3] != ("Kent Police", "Sexual & Labour") or r[3] != "Total" or r[5] != "UK" else r[:6] + (5,)
           for r in rows]
    with pytest.raises(DataError, match=r"t\.rda: nationality Total of police, Kent Police, Sexual & Labour, Total, Total: "
                                        r"the total row says 3 but its parts sum to 6"):
        nrm_responders._check_totals(nrm_responders._tidy_cells(_table(bad), file="t.rda"), file="t.rda")
    wrong_total = [r if r[1] != "Police total" or r[5] != "Total" else r[:6] + (4,) for r in rows]
    wrong_total = [r if r[1] != "Police total" or r[5] != "UK" else r[:6] + (3,) for r in wrong_total]
    with pytest.raises(DataError, match=r"total row type=police, nationality=UK: the total row says 3 but its parts sum to 2"):
        nrm_responders._check_totals(nrm_responders._tidy_cells(_table(wrong_total), file="t.rda"), file="t.rda")


def test_an_unknown_label_or_a_non_count_is_refused():
    row = ("Police", "Police total", "Total", "Total", "Total", "Total", 1.0)
    with pytest.raises(DataError, match="unknown first responder type.*'Army'"):
        nrm_responders._tidy_cells(_table([("Army",) + row[1:]]), file="t.rda")
    with pytest.raises(DataError, match=r"t\.rda: People value 1.5 in row 1"):
        nrm_responders._tidy_cells(_table([row[:6] + (1.5,)]), file="t.rda")
    with pytest.raises(DataError, match="unknown form"):
        nrm_responders._tidy_cells(_table([row[:2] + ("Sexual & Knitting",) + row[3:]]), file="t.rda")


def test_an_rda_holding_another_object_is_refused(tmp_path, mirror_dir):
    copy = tmp_path / "nrm_referrals_police_2023_q4.rda"
    copy.write_bytes((mirror_dir / "nrm_referrals_ngo_2023_q4.rda").read_bytes())
    with pytest.raises(DataError, match="expected one data frame named 'nrm_referrals_police_2023_q4', found 'nrm_referrals_ngo_2023_q4'"):
        nrm_responders.read_rda(copy)
    (tmp_path / "x_2023_q4.rda").write_bytes(b"not R data")
    with pytest.raises(DataError, match="x_2023_q4.rda: not a readable R data file"):
        nrm_responders.read_rda(tmp_path / "x_2023_q4.rda")


def test_load_quarters_follows_the_edition():
    every = nrm_responders.load_quarters("nrm-first-responders")
    assert every.attrs["releases"][0] == "nrm-first-responders@2022-q2" and len(every.attrs["releases"]) == 7
    # on 1 September 2023 the releases of 11 Aug 2022 ... 10 Aug 2023 were out (five quarters)
    then = nrm_responders.load_quarters("nrm-first-responders", edition="2023-09-01")
    assert [str(q) for q in sorted(then["quarter"].unique())] == ["2022Q2", "2022Q3", "2022Q4", "2023Q1", "2023Q2"]
