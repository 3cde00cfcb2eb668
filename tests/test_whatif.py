"""What-if pages (issue #27): the page's printed headline equals the package's value at a grid of
points (read from the page after headless Chromium ran its script), the page works with the network
blocked and requests nothing from another host, and `write_pages` builds them from a run's findings."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import pytest

from critique import detection, misid
from critique.errors import ParameterError
from critique.publish import whatif

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed")

RAID = whatif.RaidInputs(year=2023, identified=133943.0, labour_identified=42098.0, fpr_mean=0.63,
                         fpr_band=(0.42, 0.82), fpr_level=0.9, raid_share=0.28,
                         raid_share_note="a proxy (test)", other_fpr=0.0, source="Source: test input")
DETECTION = whatif.DetectionInputs(detected_shares={"2009": 79.0, "2018": 59.0, "2020": 50.0},
                                   ratio_band=(1.4, 8.76), ratio_n=20, ratio=2.0, source="Source: test")


def headline(page: Path, values: dict, *, offline: bool = True) -> tuple[str, str]:
    """Load the page in headless Chromium with control values in the URL hash; return the printed
    headline and the body's ready flag. Offline: every request goes to a dead proxy."""
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=8000",
            "--dump-dom", page.as_uri() + "#" + urlencode(values)]
    if offline:
        args[1:1] = ["--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]
    dom = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True).stdout
    m = re.search(r'<div id="headline"[^>]*>([^<]*)</div>', dom)
    ready = re.search(r'<body[^>]*data-ready="(\d)"', dom)
    assert m, dom[-2000:]
    return m.group(1), ready.group(1) if ready else ""


def raid_expected(v: dict) -> str:
    """The headline printed from the package's closed form, formatted like the page."""
    n, lab = RAID.identified, RAID.labour_identified
    ls = lab / n if v["labour_at_face_value"] else 0.0
    frac = float(misid.remaining_fraction(v["raid_share"], v["fpr"], v["other_fpr"], ls))
    # independent recount of the count for the labour base: labour at face value plus the rest
    if v["labour_at_face_value"]:
        rest = (n - lab) * (1 - v["raid_share"] * v["fpr"] - (1 - v["raid_share"]) * v["other_fpr"])
        assert abs((lab + rest) - n * frac) < 1e-6
    return f"{n * frac:,.0f} of {n:,.0f} would remain ({100 * frac:.1f}%)"


def detection_expected(v: dict) -> str:
    s = v["detected"] / 100
    true = float(detection.reweight_shares(pd.Series({detection.SE: s, "Other": 1 - s}), v["ratio"])[detection.SE])
    return f"implied true share {100 * true:.1f}% (detected {v['detected']:.1f}%, r = {v['ratio']:.2f})"


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("whatif")
    out = {"raid": d / "raid.html", "detection": d / "detection.html"}
    out["raid"].write_text(whatif.raid_page(RAID))
    out["detection"].write_text(whatif.detection_page(DETECTION))
    return out


RAID_GRID = [
    {"raid_share": 0.28, "fpr": 0.63, "other_fpr": 0.0, "labour_at_face_value": 0},
    {"raid_share": 1.0, "fpr": 1.0, "other_fpr": 0.0, "labour_at_face_value": 0},  # all removed
    {"raid_share": 0.5, "fpr": 0.42, "other_fpr": 0.05, "labour_at_face_value": 1},
    {"raid_share": 0.1, "fpr": 0.82, "other_fpr": 0.2, "labour_at_face_value": 0},
    {"raid_share": 0.73, "fpr": 0.07, "other_fpr": 0.0, "labour_at_face_value": 1},
    {"raid_share": 0.0, "fpr": 0.9, "other_fpr": 0.0, "labour_at_face_value": 0},  # nothing removed
]
DETECTION_GRID = [{"detected": 79.0, "ratio": 1.0}, {"detected": 50.0, "ratio": 2.0},
                  {"detected": 38.0, "ratio": 8.75}, {"detected": 59.5, "ratio": 0.25},
                  {"detected": 12.5, "ratio": 3.35}]


@needs_chromium
@pytest.mark.parametrize("values", RAID_GRID)
def test_raid_page_prints_the_package_value(pages, values):
    text, ready = headline(pages["raid"], values)
    assert ready == "1"
    assert text == raid_expected(values)


@needs_chromium
@pytest.mark.parametrize("values", DETECTION_GRID)
def test_detection_page_prints_the_package_value(pages, values):
    text, ready = headline(pages["detection"], values)
    assert text == detection_expected(values)


def test_hand_computed_points():
    # hand: 1000 identified, raid share 0.5, fpr 0.4 -> 1000 * (1 - 0.2) = 800
    assert float(misid.remaining_fraction(0.5, 0.4)) * 1000 == pytest.approx(800)
    # hand: detected 50%, r = 2 -> (0.25) / (0.25 + 0.5) = 1/3
    assert detection_expected({"detected": 50.0, "ratio": 2.0}).startswith("implied true share 33.3%")


@needs_chromium
def test_moving_a_control_changes_the_headline(pages):
    a, _ = headline(pages["raid"], {"fpr": 0.2})
    b, _ = headline(pages["raid"], {"fpr": 0.8})
    assert a != b and a != "(computing...)"
    # without a hash the page shows the notebook's values
    default, _ = headline(pages["raid"], {})
    assert default == raid_expected({"raid_share": 0.28, "fpr": 0.63, "other_fpr": 0.0,
                                     "labour_at_face_value": 0})


@pytest.mark.parametrize("key", ["raid", "detection"])
def test_page_requests_nothing_from_another_host(pages, key):
    text = pages[key].read_text()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text, re.I)
    assert "cdn.bokeh.org" not in text
    assert "<script src" not in text.lower()  # every script is inline
    assert whatif.SCENARIO in text and "Source: " in text


def test_bad_inputs_name_the_parameter():
    with pytest.raises(ParameterError, match="fpr_band"):
        whatif.raid_page(whatif.RaidInputs(**{**RAID.__dict__, "fpr_band": (0.4, 1.2)}))
    with pytest.raises(ParameterError, match="ratio_band"):
        whatif.detection_page(whatif.DetectionInputs(**{**DETECTION.__dict__, "ratio_band": (0, 5)}))


def test_write_pages_from_a_run(tmp_path):
    runs = {
        whatif.RAID_NOTEBOOK: {"parameters": {"raid_share": 0.3}, "inputs": [
            {"id": "raid-outcomes", "sha256": "0" * 64}],
            "findings": {"sweep_year": 2023, "sweep_identified": 1000.0, "sweep_labour_identified": 100.0,
                         "fpr_prior_mean": 0.6, "fpr_prior_low": 0.4, "fpr_prior_high": 0.8}},
        whatif.DETECTION_NOTEBOOK: {"parameters": {}, "inputs": [], "findings": {
            "detected_se_share": {"2020": 50.0}, "implied_ratio_low": 1.4, "implied_ratio_high": 8.7,
            "implied_ratio_n": 20}},
    }
    for stem, run in runs.items():
        (tmp_path / stem).mkdir()
        (tmp_path / stem / "findings.json").write_text(json.dumps(run))
    made = whatif.write_pages(tmp_path)
    assert [h for _, h in made] == ["whatif/raid-misidentification.html", "whatif/detection-ratio.html"]
    raid = (tmp_path / made[0][1]).read_text()
    assert "1,000 TIP" in raid and "raid-outcomes, sha256 000000000000" in raid
    assert '"raid_share", "title": ""' not in raid  # the run's parameter (0.3) overrides the default
    assert "notebook value 0.30" in raid and "90% evidence range 0.40-0.80" in raid
