"""Typed tables added with issue 23: NRM published totals, Eurostat 2023/2024 rows, publishers' caveats."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

from critique import datasets
from critique.core.errors import DataError
from critique.datasets import publisher_caveats

PUBLISHER_DOMAINS = ("gov.uk", "europa.eu")
# each publisher's own site: a primary caveat must have been read there
OWN_SITES = {"UK Home Office": ("gov.uk", "www.gov.uk"), "UK Office for Statistics Regulation": "osr.statisticsauthority.gov.uk",
             "European Commission (DG Migration and Home Affairs)": "home-affairs.ec.europa.eu",
             "Eurostat": "ec.europa.eu", "European Institute for Gender Equality (EIGE)": "eige.europa.eu",
             "UNODC": "unodc.org", "Polaris": "polarisproject.org", "Statistics Canada": "statcan.gc.ca"}


def _on(host: str, site) -> bool:
    """``host`` is the site itself or one of its subdomains (a tuple: exactly one of those hosts)."""
    return host in site if isinstance(site, tuple) else host == site or host.endswith("." + site)


def test_primary_rows_were_read_on_the_publishers_own_sites():
    for table in ("nrm-published-totals", "publisher-caveats"):
        frame = datasets.load(table)
        for _, row in frame[frame["verification"].eq("primary")].iterrows():
            host = urlparse(str(row["source_url"])).hostname or ""
            assert host.endswith(PUBLISHER_DOMAINS), (table, row["source_url"])
    caveats = datasets.load("publisher-caveats")
    assert set(caveats["publisher"]) <= set(OWN_SITES)
    for _, row in caveats[caveats["verification"].eq("primary")].iterrows():
        host = urlparse(str(row["source_url"])).hostname or ""
        assert _on(host, OWN_SITES[row["publisher"]]), (row["caveat_id"], host)


def test_the_four_caveats_left_out_last_time_are_in_with_an_honest_grade():
    caveats = datasets.load("publisher-caveats").set_index("caveat_id")
    # what was read, and where: the regulator's and EIGE's own pages; the others in copies or extracts
    assert caveats.loc["osr-nrm-undercount", "verification"] == "primary"
    assert caveats.loc["eige-thb-comparability", "verification"] == "primary"
    for key in ("unodc-glotip-2018-preface", "polaris-2016-rise", "statcan-police-detected", "statcan-rise-or-detection"):
        assert caveats.loc[key, "verification"] == "secondary", key
        host = urlparse(str(caveats.loc[key, "source_url"])).hostname or ""
        assert not _on(host, OWN_SITES[caveats.loc[key, "publisher"]]) or "copy" in caveats.loc[key, "citation"], key
    assert "unverified" not in set(caveats["verification"])


def test_publisher_says_carries_the_grade_and_refuses_what_is_not_established():
    caveats = datasets.load("publisher-caveats")
    text = publisher_caveats.publisher_says(caveats, "ho-nrm-rg-test")
    assert text.startswith('What the publisher itself says: "the proportion of positive reasonable grounds decisions '
                           'has decreased from the previous quarter; this is likely to be a result of the change in the '
                           'test for reasonable grounds decisions" (UK Home Office; read on its own site).')
    assert publisher_caveats.publisher_says(caveats, "polaris-2016-rise").endswith("(Polaris; read in a secondary copy).")
    with pytest.raises(DataError, match="no caveat_id 'nope'"):
        publisher_caveats.publisher_says(caveats, "nope")
    unchecked = caveats.assign(verification=caveats["verification"].where(
        caveats["caveat_id"].ne("polaris-2016-rise"), "unverified"))
    with pytest.raises(DataError, match="'polaris-2016-rise' is 'unverified'"):
        publisher_caveats.publisher_says(unchecked, "polaris-2016-rise")


def test_each_quarter_has_one_first_publication_and_the_2023_total_two_figures():
    totals = datasets.load("nrm-published-totals")
    quarters = totals[totals["period_type"].eq("quarter")]
    first = quarters[quarters["first_publication"]]
    assert sorted(first["period"]) == ["2022Q2", "2022Q3", "2022Q4", "2023Q1", "2023Q2", "2023Q3", "2023Q4"]
    year = totals[totals["period"].eq("2023")].sort_values("release_date")
    assert year["potential_victims"].tolist() == [17004, 16990]


@pytest.mark.parametrize("period, shares", [("2023", (43.8, 36.0, 20.2)), ("2024", (46, 37, None))])
def test_eurostat_shares_are_of_victims_with_a_known_form(period, shares):
    """Eurostat states each share of the victims whose form was reported: recomputed from the counts."""
    row = datasets.load("eurostat-headlines").set_index("period").loc[period]
    counts = [int(row["victims_sexual_exploitation"]), int(row["victims_forced_labour"]), int(row["victims_other_forms"])]
    known = sum(counts)
    assert known < int(row["registered_victims"])  # some victims have no form reported
    for count, stated in zip(counts, shares):
        if stated is not None:
            digits = 1 if isinstance(stated, float) else 0
            assert round(100 * count / known, digits) == stated
    assert row["verification"] == "secondary"  # read in reports of the release, not the release itself
