"""Notebook 50's enforcement section: the published table, its reading rules (both sides of each boundary)."""
from __future__ import annotations

from urllib.parse import urlparse

import pandas as pd
import pytest

from critique import datasets
from critique.core.errors import DataError
from critique.methods.policy import enforcement_outputs as eo

#: the publishers' own sites, for rows graded primary
PUBLISHER_DOMAINS = ("justice-ni.gov.uk", "bra.se")


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return datasets.load("client-law-enforcement")


def test_primary_rows_were_read_on_the_publishers_own_sites(table):
    for _, row in table[table["verification"].eq("primary")].iterrows():
        host = urlparse(str(row["source_url"])).hostname or ""
        assert host.endswith(PUBLISHER_DOMAINS), row["row_id"]


def test_suppressed_cells_stay_missing_with_their_bound(table):
    supp = table[table["suppressed_below"].notna()]
    assert supp["value"].isna().all()
    assert set(supp["row_id"]) == {"irl-summons-2017", "irl-summons-2018"}


def test_northern_ireland_figures_as_the_department_printed_them(table):
    """DoJ NI release of 18 Sep 2019: '15 arrests and two convictions for purchasing sex and 31 arrests and two
    convictions for human trafficking for sexual exploitation'."""
    v = table.set_index("row_id")["value"]
    assert [v["nir-arrests-purchase"], v["nir-convictions-purchase"], v["nir-arrests-ht-sexual"],
            v["nir-convictions-ht-sexual"]] == [15, 2, 31, 2]


def test_cso_rise_matches_the_reported_percentage(table):
    """PA: recorded prostitution offences 'jumped by more than 205%' from 37 to 113: recomputed."""
    v = table.set_index("row_id")["value"]
    assert 100 * (v["irl-cso-prostitution-2019"] / v["irl-cso-prostitution-2018"] - 1) == pytest.approx(205.4, abs=0.05)


def test_read_change_rise_after_a_named_change_is_enforcement():
    s = eo.read_change("recorded offences", ("2018", 37), ("2019", 113), "days of action")
    assert "after days of action: read as a rise in enforcement activity" in s
    # neither direction is read into buying: the policing change and any change in buying are confounded
    assert "cannot show whether more or less sex was bought" in s and "not as evidence that more sex" not in s


def test_read_change_rise_without_a_named_change_says_it_cannot_separate():
    s = eo.read_change("recorded offences", ("2018", 37), ("2019", 38), None)
    assert "cannot separate" in s and "enforcement activity" not in s


def test_read_change_fall_and_equal():
    fall = eo.read_change("recorded offences", ("2018", 38), ("2019", 37), "days of action")
    assert "a fall in what police recorded, not evidence that less sex was bought" in fall
    assert "unchanged" in eo.read_change("recorded offences", ("2018", 37), ("2019", 37), None)
    with pytest.raises(DataError, match="negative"):
        eo.read_change("x", ("a", -1), ("b", 2), None)


def test_read_percent_change_both_sides():
    assert "enforcement activity" in eo.read_percent_change("reports", 569, "2008 - 2010", "extra funding")
    assert ("cannot show whether more or less sex was bought"
            in eo.read_percent_change("reports", 569, "2008 - 2010", "extra funding"))
    assert "enforcement activity" not in eo.read_percent_change("reports", 569, "2008 - 2010", None)
    assert "fell by 10%" in eo.read_percent_change("reports", -10, "2008 - 2010", "extra funding")


def test_read_outputs_refuses_more_convictions_than_arrests():
    assert "15 arrests and 2 convictions" in eo.read_outputs("NI", "2015-2018", 15, 2, "buying sex")
    assert "2 arrests and 2 convictions" in eo.read_outputs("NI", "2015-2018", 2, 2, "buying sex")
    with pytest.raises(DataError, match="more convictions"):
        eo.read_outputs("NI", "2015-2018", 2, 3, "buying sex")


@pytest.mark.parametrize("earlier, expect", [(77, "at least 78"), (78, "consistent"), (96, "consistent"),
                                             (97, "at most 96")])
def test_read_extractions_bounds(earlier, expect):
    """Cells <10, <10, 26, 27, 25: lower bound 78 (suppressed as 0), upper 96 (suppressed as 9), by hand."""
    cells = [(None, 10), (None, 10), (26.0, None), (27.0, None), (25.0, None)]
    assert expect in eo.read_extractions("summonses", ("2017-2021", earlier), "2017-2021", cells)


def test_analyse_on_the_table(table):
    r = eo.analyse(table)
    f = r.findings()
    assert f["enforcement_nir_arrests_2015_2018"] == 15 and f["enforcement_nir_convictions_2015_2018"] == 2
    assert f["enforcement_irl_summonses"]["2017"] == "<10" and f["enforcement_irl_summonses"]["2023"] == 53
    # independent recount of the later extraction's lower bound for 2017-2021: 26 + 27 + 25
    assert f["enforcement_irl_summonses_2017_2021_low"] == 26 + 27 + 25
    assert any("at least 78 summonses" in s for s in r.sentences)
    assert any("enforcement activity" in s and "Ireland (CSO)" in s for s in r.sentences)
    assert f["enforcement_n_rows"] == len(table)
    assert r.chart_data["measure_kind"].isin(eo.COUNT_KINDS).all()
    assert r.table.loc[table["row_id"].eq("irl-summons-2017").to_numpy(), "value"].item() == "<10"


def test_unverified_rows_are_marked_and_kept_out(table):
    t = table.copy()
    t.loc[t["row_id"].eq("nir-arrests-purchase"), "verification"] = "unverified"
    r = eo.analyse(t)
    assert "nir_arrests_2015_2018" not in r.flat
    assert "nir-arrests-purchase" not in set(r.chart_data["row_id"])
    shown = r.table.loc[t["row_id"].eq("nir-arrests-purchase").to_numpy(), "value"].item()
    assert shown == "15 (unverified: not established)"


def test_missing_column_is_named(table):
    with pytest.raises(DataError, match="after_change"):
        eo.analyse(table.drop(columns=["after_change"]))


def test_chart_draws_one_panel_per_jurisdiction(table):
    import matplotlib
    matplotlib.use("Agg")
    from critique.figures import client_laws
    data = eo.analyse(table).chart_data
    fig = client_laws.enforcement_outputs(data)
    assert [ax.get_title(loc="left") for ax in fig.axes] == list(dict.fromkeys(data["jurisdiction"]))


def test_caveat_names_what_the_chart_leaves_out(table):
    c = eo.analyse(table).caveat
    assert "Sweden: reports and opened preliminary investigations" in c and "+569%" in c
    assert eo.analyse(table[table["unit"].ne("percent change")]).caveat.startswith("Publishers' statements")


def test_graded_says_where_the_figures_were_read():
    assert eo.graded("X.", ["primary", "primary"]).endswith("(Read on the publisher's own page.)")
    assert "secondary copy" in eo.graded("X.", ["primary", "secondary"])
    with pytest.raises(DataError, match="unverified"):
        eo.graded("X.", ["primary", "unverified"])
    with pytest.raises(DataError):
        eo.graded("X.", [])


def test_sentences_carry_their_grade(table):
    r = eo.analyse(table)
    assert r.flat["sentence_nir"].endswith("(Read on the publisher's own page.)")  # DoJ NI rows are primary
    assert "secondary copy" in r.flat["sentence_irl_recorded"]


def test_chart_title_does_not_credit_every_row_to_the_law():
    # the chart also holds trafficking arrests and all recorded prostitution offences, counted beside the law
    assert "produced" not in eo.TITLE and "around client-criminalisation laws" in eo.TITLE
    assert "not prevalence" in eo.TITLE
