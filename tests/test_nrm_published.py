"""Typed tables added with issue 23: NRM published totals, Eurostat 2023/2024 rows, publishers' caveats."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

from critique import datasets

PUBLISHER_DOMAINS = ("gov.uk", "europa.eu")


def test_primary_rows_were_read_on_the_publishers_own_sites():
    for table in ("nrm-published-totals", "publisher-caveats"):
        frame = datasets.load(table)
        for _, row in frame[frame["verification"].eq("primary")].iterrows():
            host = urlparse(str(row["source_url"])).hostname or ""
            assert host.endswith(PUBLISHER_DOMAINS), (table, row["source_url"])


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
