"""notebooks/50-policy-claims run with the smoke set: findings are the notebook's interface."""
from __future__ import annotations

import math

import pytest

from critique.methods.policy import reading as R

pytestmark = pytest.mark.notebook

STEM = "50-policy-claims"


@pytest.fixture(scope="module")
def run(smoke_run):
    return smoke_run(STEM)["findings"]


def test_covers_at_least_five_policy_countries(run):
    # smoke selects SWE, NOR, CAN, FRA, IRL, USA: all but Sweden (no UNODC year before 1999)
    # have at least one point on each side of the change
    assert run["n_policy_countries_data_both_sides"] >= 5
    assert "SWE-1999-client" in run["policies_no_series"]


def test_fitted_and_refused_as_the_data_allow(run):
    # Norway has 2007-2008 before 2009 and France only 2015 before 2016: both refused at min 3
    assert {"CAN-2014-client", "IRL-2017-client", "USA-2018-fosta"} <= set(run["policies_fitted"])
    assert {"NOR-2009-client", "FRA-2016-client"} <= set(run["policies_refused"])
    nor = run["its.NOR-2009-client.total"]
    assert nor["status"] == "refused" and "2 point(s) before (2007, 2008)" in nor["reason"]


@pytest.mark.parametrize("pid", ["CAN-2014-client", "IRL-2017-client", "USA-2018-fosta"])
def test_each_fit_records_estimate_interval_placebo_and_mde(pid, run):
    s = run[f"its.{pid}.total"]
    low, high = s["level_ci_pct"]
    assert low < s["level_change_pct"] < high
    assert s["mde_pct"] > 0
    assert 1 <= s["placebo_time_rank"] <= s["placebo_time_n"] + 1
    # a permutation p-value is never below 1 / (placebos + 1)
    assert s["placebo_time_p"] >= 1 / (s["placebo_time_n"] + 1) - 1e-12
    assert s["placebo_units_n"] >= 1
    # the interval on the percent scale is exp of the log interval
    assert low == pytest.approx(100 * (math.exp(s["level_ci_log"][0]) - 1))


def test_fbi_series_recorded(run):
    assert run["ucr.panel_agencies"] > 0
    for off in ("commercial-sex-acts", "involuntary-servitude"):
        s = run[f"ucr.{off}.all-agencies.poisson"]
        # 2014-2017 before, 2018-2020 after
        assert (s["n_pre"], s["n_post"]) == (4, 3)
        assert s["level_ci_pct"][0] < s["level_ci_pct"][1]
        assert run[f"ucr.{off}.panel"]["status"] in ("fitted", "refused")


def test_range_reading_recounted_from_the_specification_table(run):
    # independent recount: intervals wholly below zero, wholly above, and the rest, over fitted rows
    for pid in run["policies_fitted"]:
        rows = [r for r in run[f"spec_table.{pid}.total"] if r["status"] == "fitted"]
        fall = sum(r["ci_high_pct"] < 0 for r in rows)
        rise = sum(r["ci_low_pct"] > 0 for r in rows)
        s = run[f"spec.{pid}.total"]
        assert (s["n_exclude_fall"], s["n_exclude_rise"], s["n_intervals_with_zero"]) == (fall, rise, len(rows) - fall - rise)
        assert s["reading"] == R.range_reading(fall, rise, len(rows) - fall - rise)


def test_fosta_key_numbers_and_the_reading_counted_by_side(run):
    assert run["fosta_reading"] == run["spec.USA-2018-fosta.total"]["reading"]
    assert run["fosta_spec_with_zero"] + run["fosta_spec_exclude_fall"] + run["fosta_spec_exclude_rise"] == run["fosta_spec_fitted"]
    assert run["model"] == "poisson" and run["n_policy_table_rows"] >= 14
    # the review's FOSTA numbers (2023 release, quasi-Poisson, full pre-period): -29% [-47, -5]
    assert (round(run["fosta_full_pct"]), round(run["fosta_full_ci_low"]), round(run["fosta_full_ci_high"])) == (-29, -47, -5)
    assert 1 <= run["fosta_cits_placebo_rank"] <= run["fosta_cits_placebo_ranks"]
