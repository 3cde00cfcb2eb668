"""The MSE notebook, run through the runner with the smoke parameter set."""
from __future__ import annotations

import pytest

STEM = "40-multiple-systems-estimation"


@pytest.fixture(scope="module")
def nb(smoke_run):
    return smoke_run(STEM)


@pytest.mark.notebook
def test_published_uk_estimate_reproduced(nb):
    f = nb["findings"]
    assert f["uk_published_low"] == 10000 and f["uk_published_high"] == 13000
    assert 10000 <= f["uk6_stepwise_total"] <= 13000
    assert 10000 <= f["uk5_bic_total"] <= 13000
    assert f["uk_reproduced_in_range"] is True
    assert f["uk6_stepwise_low"] < f["uk6_stepwise_total"] < f["uk6_stepwise_high"]


@pytest.mark.notebook
def test_uk_five_list_model_spread(nb):
    f = nb["findings"]
    # 1,024 pairwise models; the 512 with the LA:GP link (no one in common) have no finite estimate.
    assert f["uk5_models_existing"] == 512 and f["uk5_models_no_finite_estimate"] == 512
    assert f["uk5_models_min"] < f["uk5_bic_total"] < f["uk5_models_max"]
    assert f["uk5_models_min"] <= f["uk5_models_median"] <= f["uk5_models_max"]
    assert f["uk5_models_max"] / f["uk5_models_min"] > 2


@pytest.mark.notebook
def test_false_positive_effect_and_inputs(nb):
    f = nb["findings"]
    assert f["fp_cell"] == "PFNCA only"
    assert 1 < f["fp_per_false_positive_fixed_model"] < 20  # each person counts several times
    assert f["fp_share_total"] < f["estimate_total"]  # removing misidentified people lowers it
    assert {"mse-uk-2013", "mse-uk-2013-5"} <= {i["id"] for i in nb["inputs"]}
    assert f["bootstrap_bca_low"] < f["estimate_total"] < f["bootstrap_bca_high"]
    for d, row in f["spread"].items():
        assert row["total"] is None or row["total"] > row["observed"], d
