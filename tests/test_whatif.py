"""What-if pages (issue #27): the page's printed headline equals the package's value at a grid of
points (read from the page after headless Chromium ran its script), the page works with the network
blocked and requests nothing from another host, and `write_pages` builds them from a run's findings."""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import quote, urlencode

import pandas as pd
import pytest

from critique.methods import detection, misid
from critique.core.errors import ParameterError
from critique.publish import whatif
from critique.publish.whatif import composite as wcomp, detection as wdet, mse as wmse, page as wpage, raid as wraid

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed")

RAID = wraid.RaidInputs(year=2023, identified=133943.0, labour_identified=42098.0, fpr_mean=0.63,
                         fpr_band=(0.42, 0.82), fpr_level=0.9, raid_share=0.28,
                         raid_share_note="a proxy (test)", other_fpr=0.0, source="Source: test input",
                         fpr_rows=("sangram-voluntary", "vera-tvit-screening"))
DETECTION = wdet.DetectionInputs(detected_shares={"2009": 79.0, "2018": 59.0, "2020": 50.0},
                                   ratio_band=(1.4, 8.76), ratio_n=20, ratio=2.0, source="Source: test")


def load(page: Path, fragment: str, *, offline: bool = True) -> str:
    """The DOM of the page after headless Chromium ran its script with ``#fragment``. Offline: every
    request is sent to a dead proxy (127.0.0.1:9), so a page that needs the network fails."""
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=8000",
            "--dump-dom", page.as_uri() + "#" + fragment]
    if offline:
        args[1:1] = ["--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]
    return subprocess.run(args, capture_output=True, text=True, timeout=180, check=True).stdout


def headline(page: Path, values: dict, *, offline: bool = True) -> tuple[str, str]:
    """The printed headline and the body's ready flag after the controls were set from ``values``."""
    dom = load(page, urlencode(values), offline=offline)
    m = re.search(r'<div id="headline"[^>]*>([^<]*)</div>', dom)
    ready = re.search(r'<body[^>]*data-ready="(\d)"', dom)
    assert m, dom[-2000:]
    return html.unescape(m.group(1)), ready.group(1) if ready else ""


def grid_headlines(page: Path, grid: list[dict]) -> list[str]:
    """Set the controls to each point of ``grid`` in turn in one page load; the printed headlines."""
    dom = load(page, "grid=" + quote(json.dumps(grid)))
    m = re.search(r'<pre id="grid-results" hidden="">([^<]*)</pre>', dom)
    assert m, dom[-2000:]
    return json.loads(html.unescape(m.group(1)))


def fixed(x: float, places: int) -> str:
    """``x`` printed with ``places`` decimals, ties rounded up on the exact binary value, as
    JavaScript's ``toFixed`` and ``Math.round`` do for positive numbers (Python's format rounds
    ties to even: 124758.5 would print 124758 here and 124759 on the page)."""
    q = Decimal(1).scaleb(-places)
    return str(Decimal(x).quantize(q, rounding=ROUND_HALF_UP))


def raid_expected(v: dict) -> str:
    """The headline printed from the package's closed form, formatted like the page."""
    n, lab = RAID.identified, RAID.labour_identified
    ls = lab / n if v["labour_at_face_value"] else 0.0
    frac = float(misid.remaining_fraction(v["raid_share"], v["fpr"], v["other_fpr"], ls))
    # independent recount of the count for the labour base: labour at face value plus the rest
    if v["labour_at_face_value"]:
        rest = (n - lab) * (1 - v["raid_share"] * v["fpr"] - (1 - v["raid_share"]) * v["other_fpr"])
        assert abs((lab + rest) - n * frac) < 1e-6
    return f"{int(fixed(n * frac, 0)):,} of {n:,.0f} would remain ({fixed(100 * frac, 1)}%)"


def detection_expected(v: dict) -> str:
    s = v["detected"] / 100
    true = float(detection.reweight_shares(pd.Series({detection.SE: s, "Other": 1 - s}), v["ratio"])[detection.SE])
    return (f"implied true share {fixed(100 * true, 1)}% (detected {fixed(v['detected'], 1)}%, "
            f"r = {fixed(v['ratio'], 2)})")


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("whatif")
    out = {"raid": d / "raid.html", "detection": d / "detection.html"}
    out["raid"].write_text(wraid.raid_page(RAID))
    out["detection"].write_text(wdet.detection_page(DETECTION))
    return out


RAID_GRID = [
    {"raid_share": 0.28, "fpr": 0.63, "other_fpr": 0.0, "labour_at_face_value": 0},
    {"raid_share": 1.0, "fpr": 1.0, "other_fpr": 0.0, "labour_at_face_value": 0},  # all removed
    {"raid_share": 0.5, "fpr": 0.42, "other_fpr": 0.05, "labour_at_face_value": 1},
    {"raid_share": 0.1, "fpr": 0.82, "other_fpr": 0.2, "labour_at_face_value": 0},
    {"raid_share": 0.73, "fpr": 0.07, "other_fpr": 0.0, "labour_at_face_value": 1},
    {"raid_share": 0.0, "fpr": 0.9, "other_fpr": 0.0, "labour_at_face_value": 0},  # nothing removed
] + [{"raid_share": rs, "fpr": f, "other_fpr": o, "labour_at_face_value": lab}  # a regular grid
     for rs in (0.0, 0.25, 0.5, 0.75, 1.0) for f in (0.0, 0.33, 0.66, 1.0) for o in (0.0, 0.1)
     for lab in (0, 1)]
DETECTION_GRID = [{"detected": 79.0, "ratio": 1.0}, {"detected": 50.0, "ratio": 2.0},
                  {"detected": 38.0, "ratio": 8.75}, {"detected": 59.5, "ratio": 0.25},
                  {"detected": 12.5, "ratio": 3.35}] + [
    {"detected": d, "ratio": r} for d in (1.0, 21.0, 45.5, 79.0, 99.0) for r in (0.25, 0.5, 1.45, 3.0, 12.0, 20.0)]


@needs_chromium
def test_raid_page_prints_the_package_value(pages):
    assert grid_headlines(pages["raid"], RAID_GRID) == [raid_expected(v) for v in RAID_GRID]


@needs_chromium
def test_detection_page_prints_the_package_value(pages):
    assert grid_headlines(pages["detection"], DETECTION_GRID) == [detection_expected(v) for v in DETECTION_GRID]


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


# Chromium's own service requests (updates, clock, accounts), which any page load makes
BROWSER_HOSTS = re.compile(r"^https?://([a-z0-9.-]+\.)?(google\.com|googleapis\.com|gvt1\.com|gstatic\.com)/")


def page_requests(page: Path, tmp_path: Path) -> tuple[list[str], str]:
    """The http(s) URLs Chromium's network log records while loading ``page`` offline (its own
    service hosts left out), and the printed headline."""
    log = tmp_path / f"{page.stem}-netlog.json"
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9",
            "--disable-background-networking", "--disable-component-update", "--no-first-run",
            f"--log-net-log={log}", "--virtual-time-budget=8000", "--dump-dom", page.as_uri() + "#fpr=0.5"]
    dom = subprocess.run(args, capture_output=True, text=True, timeout=180, check=True).stdout
    urls = set(re.findall(r'"url":"(https?://[^"]+)"', log.read_text(errors="replace")))
    m = re.search(r'<div id="headline"[^>]*>([^<]*)</div>', dom)
    return sorted(u for u in urls if not BROWSER_HOSTS.match(u)), m.group(1) if m else ""


@needs_chromium
def test_pages_fetch_nothing_and_compute_offline(pages, tmp_path):
    control = tmp_path / "control.html"  # the check must see a CDN script when there is one
    control.write_text('<html><head><script src="https://cdn.bokeh.org/bokeh/release/bokeh-3.4.0.min.js">'
                       '</script></head><body><div id="headline">x</div></body></html>')
    assert any("cdn.bokeh.org" in u for u in page_requests(control, tmp_path)[0])
    urls, text = page_requests(pages["raid"], tmp_path)
    assert urls == [] and text == raid_expected({"raid_share": 0.28, "fpr": 0.5, "other_fpr": 0.0,
                                                  "labour_at_face_value": 0})
    urls, text = page_requests(pages["detection"], tmp_path)
    assert urls == [] and text.startswith("implied true share")


def check_markup(text: str) -> None:
    markup = re.sub(r"<script[^>]*>.*?</script>", "", text, flags=re.S | re.I)
    assert "<script" in text and len(markup) < len(text) / 10  # the library is inline
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", markup, re.I)
    assert not re.search(r"<script[^>]+src=", text, re.I)  # every script is inline
    assert "$$" not in markup  # no TeX: Bokeh would fetch MathJax from a CDN to draw it
    assert wpage.SCENARIO in markup and "Source: " in markup


@pytest.mark.parametrize("key", ["raid", "detection"])
def test_page_markup_links_no_other_host(pages, key):
    check_markup(pages[key].read_text())


def test_bad_inputs_name_the_parameter():
    with pytest.raises(ParameterError, match="fpr_band"):
        wraid.raid_page(wraid.RaidInputs(**{**RAID.__dict__, "fpr_band": (0.4, 1.2)}))
    with pytest.raises(ParameterError, match="ratio_band"):
        wdet.detection_page(wdet.DetectionInputs(**{**DETECTION.__dict__, "ratio_band": (0, 5)}))


def test_write_pages_from_a_run(tmp_path):
    runs = {
        wraid.NOTEBOOK: {"parameters": {"raid_share": 0.3}, "inputs": [
            {"id": "raid-outcomes", "sha256": "0" * 64}],
            "findings": {"sweep_year": 2023, "sweep_identified": 1000.0, "sweep_labour_identified": 100.0,
                         "fpr_prior_mean": 0.6, "fpr_prior_low": 0.4, "fpr_prior_high": 0.8,
                         "fpr_rows_used": ["sangram-voluntary"]}},
        wdet.NOTEBOOK: {"parameters": {}, "inputs": [], "findings": {
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
    # the run's raid share (0.3) overrides the notebook default (0.28); interval_level is the default
    assert "notebook value 0.30" in raid and "90% evidence range 0.40-0.80" in raid
    assert "evidence rows: sangram-voluntary" in raid
    fixed_rate = wraid.raid_page(wraid.RaidInputs(**{**RAID.__dict__, "fpr_band": (0.5, 0.5), "fpr_rows": ()}))
    assert "fixed rate 0.50, no evidence row" in fixed_rate and "evidence range" not in fixed_rate


def test_index_links_the_pages():
    import datetime as dt

    from critique.publish.pages import index_html

    page = index_html("t", [], [], dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
                      whatif=[("What if raids mislabel people?", "whatif/raid-misidentification.html")])
    assert '<a href="whatif/raid-misidentification.html">What if raids mislabel people?</a>' in page
    assert "What-if pages" not in index_html("t", [], [], dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))


# ---- composite weights (notebook 32): the page against critique.methods.scorecards.composite.composite

IND = ["gsi_response", "gsi_rights", "oc_victim_support"]
ISO = ["NLD", "DEU", "USA", "THA", "SWE", "NGA", "MYS", "GBR", "FRA", "IND", "BRA", "ZAF"]


@pytest.fixture(scope="module")
def composite_setup(tmp_path_factory):
    import numpy as np

    from critique.methods.scorecards import composite

    rng = np.random.default_rng(7)
    aligned = pd.DataFrame(rng.integers(0, 6, size=(len(ISO), 3)).astype(float), index=ISO, columns=IND)
    aligned.loc["FRA"] = aligned.loc["GBR"]  # a tie in every indicator
    table = composite.composite(aligned, IND, [1, 1, 1], n_draws=1).table
    page = tmp_path_factory.mktemp("composite") / "composite.html"
    page.write_text(wcomp.composite_page(table, IND, [1, 1, 1], country="USA", labels={},
                                                    source="Source: test"))
    return aligned, page


COMPOSITE_GRID = [{"country": c, "w_gsi_response": a, "w_gsi_rights": b, "w_oc_victim_support": d}
                  for c in ("USA", "FRA", "GBR", "ZAF")
                  for a, b, d in ((1, 1, 1), (5, 0, 0), (0, 2.5, 0.5), (0.1, 0, 3), (2, 2, 0))]


@needs_chromium
def test_composite_page_prints_the_package_rank(composite_setup):
    from critique.methods.scorecards import composite

    aligned, page = composite_setup
    check_markup(page.read_text())
    expected = []
    for v in COMPOSITE_GRID:
        t = composite.composite(aligned, IND, [v["w_" + i] for i in IND], n_draws=1).table
        expected.append(f"{v['country']}: rank {int(t.loc[v['country'], 'rank'])} of {len(ISO)} "
                        f"(score {fixed(float(t.loc[v['country'], 'score']), 3)})")
    assert grid_headlines(page, COMPOSITE_GRID) == expected
    # hand check of the tie rule: FRA and GBR have the same rows, so the same rank
    assert expected[5].split(" (")[0].split("rank ")[1] == expected[10].split(" (")[0].split("rank ")[1]


def test_composite_page_refuses_bad_input(composite_setup):
    from critique.methods.scorecards import composite

    aligned, _ = composite_setup
    table = composite.composite(aligned, IND, [1, 1, 1], n_draws=1).table
    with pytest.raises(ParameterError, match="country 'XXX'"):
        wcomp.composite_page(table, IND, [1, 1, 1], country="XXX", labels={}, source="s")
    with pytest.raises(ParameterError, match="weights"):
        wcomp.composite_page(table, IND, [0, 0, 0], country="USA", labels={}, source="s")


# ---- MSE false positives (notebook 40): a lookup in the grid critique.methods.mse.sensitivity computed

def test_mse_page_prints_the_package_grid(tmp_path):
    from critique.methods import mse

    # three lists; counts by capture history (A, B, C)
    table = pd.DataFrame({"A": [1, 0, 0, 1, 1, 0, 1], "B": [0, 1, 0, 1, 0, 1, 1],
                          "C": [0, 0, 1, 0, 1, 1, 1], "count": [60, 45, 30, 20, 12, 9, 4]})
    values = [-10, 0, 10, 30]
    sweep = mse.false_positives(table, ["A"], values)
    fixed_model = mse.false_positives(table, ["A"], values, reselect=False)
    sweep["total_fixed_model"] = fixed_model["total"].to_numpy()
    page = tmp_path / "mse.html"
    page.write_text(wmse.mse_page(sweep, table_name="toy", source="Source: test"))
    expected = [f"{'+' if f > 0 else ''}{f} people in the A-only cell: total {int(fixed(t, 0)):,} "
                f"(model re-selected); {int(fixed(tf, 0)):,} (published model kept)"
                for f, t, tf in zip(sweep["f"], sweep["total"], sweep["total_fixed_model"])]
    check_markup(page.read_text())
    if CHROMIUM:
        assert grid_headlines(page, [{"f": f} for f in sweep["f"]]) == expected
    with pytest.raises(ParameterError, match="total_fixed_model"):
        wmse.mse_page(sweep.drop(columns="total_fixed_model"), table_name="toy", source="s")


# ---- typing into a control (Chrome DevTools protocol): what a reader does with the keyboard

def type_into(chromium: str, page: Path, index: int, text: str, timeout: float = 60) -> tuple[int, str, str]:
    """Open ``page`` in headless Chromium (network blocked), type ``text`` into the ``index``-th
    input element (shadow roots included) and press Enter, through the DevTools protocol; return
    the number of inputs and the printed headline before and after."""
    websocket = pytest.importorskip("websocket")
    ud = tempfile.mkdtemp(prefix="whatif-cdp-")
    proc = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9",
                             "--remote-debugging-port=0", f"--user-data-dir={ud}", page.as_uri()],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = Path(ud) / "DevToolsActivePort"
        t0 = time.time()
        while not port_file.exists() or not port_file.read_text().strip():
            if time.time() - t0 > timeout: raise TimeoutError("no DevToolsActivePort")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        targets = json.loads(opener.open(f"http://127.0.0.1:{port}/json/list").read())
        ws_url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
        ws = websocket.create_connection(ws_url, timeout=timeout, suppress_origin=True)
        n = [0]
        def call(method, **params):
            n[0] += 1
            ws.send(json.dumps({"id": n[0], "method": method, "params": params}))
            while True:
                msg = json.loads(ws.recv())
                if msg.get("id") == n[0]: return msg.get("result", {})
        def ev(expr):
            return call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)["result"].get("value")
        t0 = time.time()
        while ev('document.body && document.body.dataset.ready') != "1":
            if time.time() - t0 > timeout: raise TimeoutError("page not ready")
            time.sleep(0.1)
        before = ev('document.getElementById("headline").textContent')
        found = ev(f'''(() => {{ const out = [];
          const walk = (root) => {{ for (const el of root.querySelectorAll("*")) {{
              if (el.tagName === "INPUT") out.push(el); if (el.shadowRoot) walk(el.shadowRoot); }} }};
          walk(document); const el = out[{index}]; if (!el) return -1; el.focus(); el.select(); return out.length; }})()''')
        call("Input.insertText", text=text)
        for typ in ("keyDown", "keyUp"):
            call("Input.dispatchKeyEvent", type=typ, key="Enter", code="Enter", windowsVirtualKeyCode=13,
                 **({"text": "\r"} if typ == "keyDown" else {}))
        time.sleep(0.5)
        after = ev('document.getElementById("headline").textContent')
        ws.close()
        return found, before, after
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@needs_chromium
def test_typing_into_a_control_moves_the_headline(pages):
    n, before, after = type_into(CHROMIUM, pages["raid"], 1, "0.5")  # inputs: raid share, fpr, other fpr
    assert n == 3
    start = {"raid_share": 0.28, "fpr": 0.63, "other_fpr": 0.0, "labour_at_face_value": 0}
    assert before == raid_expected(start) and after == raid_expected({**start, "fpr": 0.5})
    n, before, after = type_into(CHROMIUM, pages["detection"], 1, "3.35")  # inputs: detected, ratio
    assert after == detection_expected({"detected": 50.0, "ratio": 3.35}) != before


def test_a_page_with_a_bad_run_is_skipped_with_a_warning(tmp_path):
    (tmp_path / wraid.NOTEBOOK).mkdir()
    (tmp_path / wraid.NOTEBOOK / "findings.json").write_text(json.dumps(
        {"parameters": {}, "inputs": [], "findings": {"sweep_year": 2023}}))
    with pytest.warns(UserWarning, match="'raid' not written: KeyError"):
        assert whatif.write_pages(tmp_path) == []
