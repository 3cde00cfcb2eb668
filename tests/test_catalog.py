"""The data catalogue: every dataset described, fetched from the mirror, verified, refused when altered."""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from critique.datasets import catalog

# Every catalogued release (a source with releases: one id per release; a flat entry: its bare id).
IDS = ["glotip@2025-04-14", "glotip@2023-05-30", "tip-tiers", "gsi-2023", "ctdc-2020", "fbi-ucr-ht",
       "ctdc-synthetic@2022-12-01", "ctdc-synthetic-codebook", "tip-law-enforcement-kh",
       "gsi-2023-summary", "gsi-2023-indicators", "3p-index", "oc-index",
       "ncmec-reports", "ncmec-report-contents",
       "nrm-referrals", "nrm-reasonable-grounds", "nrm-conclusive-grounds", "nrm-duty-to-notify"]
IDS += [f"{source}@{year}-q{q}" for source in ("nrm-first-responders", "nrm-police", "nrm-government",
                                               "nrm-local-authority", "nrm-ngo")
        for year, q in ((2022, 2), (2022, 3), (2022, 4), (2023, 1), (2023, 2), (2023, 3), (2023, 4))]


@pytest.fixture
def isolated_cache(tmp_path, monkeypatch):
    cache = tmp_path / "raw"
    monkeypatch.setenv("CRITIQUE_DATA_DIR", str(cache))
    return cache


def test_catalog_lists_every_release_with_every_field():
    cat = catalog.load_catalog()
    assert sorted(cat) == sorted(IDS)
    for ds in cat.values():
        assert ds.caveats, ds.id
        assert ds.url.startswith("https://") and ds.page.startswith("https://")
        assert len(ds.sha256) == 64


def test_catalog_agrees_with_the_mirror_manifest(mirror_dir):
    manifest = {r["filename"]: r for r in csv.DictReader(open(mirror_dir / "MANIFEST.csv"))}
    for ds in catalog.load_catalog().values():
        row = manifest[ds.filename]
        assert row["sha256"] == ds.sha256
        assert row["pinned_copy_url"] == ds.url
        assert int(row["bytes"]) == ds.bytes


def test_fetch_and_verify_all_from_mirror(isolated_cache, mirror_dir):
    paths = catalog.fetch_all()
    assert sorted(paths) == sorted(IDS)
    for ds_id in IDS:
        st = catalog.status(ds_id)
        assert st.cached and st.verified, ds_id
    assert not list(isolated_cache.glob("*.partial")), "no partial files may remain"


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "critique.publish.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_cli_fetch_then_verify_succeeds(isolated_cache, mirror_dir):
    fetched = _cli("data", "fetch")
    assert fetched.returncode == 0, fetched.stderr
    verified = _cli("data", "verify")
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.count("verified") == len(IDS)
    listed = _cli("data", "list")
    assert listed.stdout.count("cached, verified") == len(IDS)


def test_altered_mirror_copy_is_refused_and_good_cache_kept(tmp_path, isolated_cache, mirror_dir, monkeypatch):
    bad_mirror = tmp_path / "mirror"
    bad_mirror.mkdir()
    original = (mirror_dir / "Global_Slavery_Index_2023.csv").read_bytes()
    altered = bytearray(original)
    altered[100] = (altered[100] + 1) % 256  # one byte changed
    (bad_mirror / "Global_Slavery_Index_2023.csv").write_bytes(bytes(altered))
    import hashlib

    actual = hashlib.sha256(bytes(altered)).hexdigest()
    result = _cli("data", "fetch", "gsi-2023", env={"CRITIQUE_DATA_MIRROR": str(bad_mirror)})
    assert result.returncode != 0
    assert "Global_Slavery_Index_2023.csv" in result.stderr
    assert catalog.get("gsi-2023").sha256 in result.stderr and actual in result.stderr
    assert not (isolated_cache / "Global_Slavery_Index_2023.csv").exists(), "a bad file must not land"
    assert not list(isolated_cache.glob(".*partial")), "no partial download may remain"

    # With a good copy cached, a bad mirror cannot replace it.
    shutil.copyfile(mirror_dir / "Global_Slavery_Index_2023.csv", isolated_cache / "Global_Slavery_Index_2023.csv")
    monkeypatch.setenv("CRITIQUE_DATA_MIRROR", str(bad_mirror))
    catalog.fetch("gsi-2023")
    assert (isolated_cache / "Global_Slavery_Index_2023.csv").read_bytes() == original


def test_corrupted_cache_fails_verify_naming_both_hashes(isolated_cache, mirror_dir):
    catalog.fetch("tip-tiers")
    target = isolated_cache / "map_tiers.csv"
    assert not target.stat().st_mode & 0o222, "a verified raw file is stored read-only"
    target.chmod(0o644)
    target.write_bytes(target.read_bytes()[:-10])  # truncated after the fact
    result = _cli("data", "verify", "tip-tiers")
    assert result.returncode == 1
    assert "map_tiers.csv" in result.stderr and catalog.get("tip-tiers").sha256 in result.stderr
    # fetch repairs it from the mirror
    catalog.fetch("tip-tiers")
    assert catalog.status("tip-tiers").verified


def test_no_mirror_and_no_network_fails_fast_naming_the_setting(isolated_cache):
    start = time.monotonic()
    result = _cli("data", "fetch", "gsi-2023", env={"CRITIQUE_DATA_MIRROR": "",
                                                   # an address that refuses at once, never a real host
                                                   "HTTPS_PROXY": "http://127.0.0.1:9",
                                                   "https_proxy": "http://127.0.0.1:9"})
    elapsed = time.monotonic() - start
    assert result.returncode != 0
    assert "CRITIQUE_DATA_MIRROR" in result.stderr
    assert elapsed < 60, "a fetch without network must fail within seconds, not hang"
    assert not any(isolated_cache.glob("*")) or not (isolated_cache / "Global_Slavery_Index_2023.csv").exists()


def test_mirror_missing_a_file_names_it(tmp_path, isolated_cache, monkeypatch):
    empty = tmp_path / "empty-mirror"
    empty.mkdir()
    monkeypatch.setenv("CRITIQUE_DATA_MIRROR", str(empty))
    with pytest.raises(catalog.CatalogError, match="data_glotip_2025-04-14.xlsx.*CRITIQUE_DATA_MIRROR"):
        catalog.fetch("glotip")
    with pytest.raises(catalog.CatalogError, match="data_glotip.xlsx.*CRITIQUE_DATA_MIRROR"):
        catalog.fetch("glotip@2023-05-30")


def test_unknown_dataset_id_suggests_closest():
    with pytest.raises(catalog.CatalogError, match="did you mean glotip"):
        catalog.get("glotp")


def test_catalogue_missing_a_field_is_named(tmp_path):
    bad = tmp_path / "catalog.yml"
    bad.write_text("datasets:\n  x:\n    title: T\n    publisher: P\n")
    with pytest.raises(catalog.CatalogError, match="'x' lacks field.*citation"):
        catalog.load_catalog(bad)


def test_a_mirror_url_that_trickles_bytes_hits_the_overall_deadline(isolated_cache, monkeypatch):
    # issue 30: a server sending a byte at a time never trips a per-read timeout; `data fetch` hung
    import http.server
    import threading
    import time

    class Trickle(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                for _ in range(100000):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.05)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("CRITIQUE_DATA_MIRROR", f"http://127.0.0.1:{server.server_port}/")
        monkeypatch.setenv("CRITIQUE_DOWNLOAD_DEADLINE", "2")
        t0 = time.monotonic()
        with pytest.raises(catalog.CatalogError, match=r"Global_Slavery_Index_2023.csv: download from "
                                                       r"http://127.0.0.1:\d+/Global_Slavery_Index_2023.csv took "
                                                       r"longer than 2 s overall \([\d,]+ bytes received"):
            catalog.fetch("gsi-2023")
        print(f"gave up after {time.monotonic() - t0:.1f} s (deadline 2 s, bytes every 0.05 s)")
    finally:
        server.shutdown()
        server.server_close()
    assert not list(isolated_cache.iterdir()), "nothing half-downloaded is left in the cache"


def test_a_bad_download_deadline_setting_is_named(monkeypatch):
    monkeypatch.setenv("CRITIQUE_DOWNLOAD_DEADLINE", "-3")
    with pytest.raises(catalog.CatalogError, match=r"CRITIQUE_DOWNLOAD_DEADLINE='-3': expected a number of seconds"):
        catalog.download_deadline()
