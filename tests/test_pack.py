"""`critique data pack DIR`: the folder works as CRITIQUE_DATA_MIRROR for a fresh cache."""
from __future__ import annotations

import csv

import pytest

from critique.datasets import catalog
from critique.publish import cli
from critique.datasets import pack


@pytest.fixture(scope="module")
def packed(tmp_path_factory, mirror_dir):
    folder = tmp_path_factory.mktemp("pack")
    files = pack.pack(folder)
    return folder, files


def test_pack_writes_every_catalogued_file_and_manifest(packed):
    folder, files = packed
    cat = catalog.load_catalog()
    assert sorted(f.id for f in files) == sorted(cat)  # every dataset, none extra
    rows = pack.read_manifest(folder)
    assert [r["id"] for r in rows] == [f.id for f in files]
    for row in rows:
        ds = cat[row["id"]]
        assert row["filename"] == ds.filename and row["sha256"] == ds.sha256
        assert catalog.sha256_of(folder / ds.filename) == ds.sha256  # verified copy
        assert int(row["bytes"]) == (folder / ds.filename).stat().st_size
    # the UNODC workbook's pinned size (data/catalog.yml: bytes 2311753)
    assert int({r["id"]: r for r in rows}["glotip@2023-05-30"]["bytes"]) == 2311753
    assert int({r["id"]: r for r in rows}["glotip@2025-04-14"]["bytes"]) == 2325559
    with open(folder / pack.MANIFEST, encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == list(pack.MANIFEST_COLUMNS)


def test_pack_is_a_mirror_for_fetch_in_a_fresh_cache(packed, tmp_path, monkeypatch):
    folder, _ = packed
    fresh = tmp_path / "raw"
    monkeypatch.setenv("CRITIQUE_DATA_DIR", str(fresh))
    monkeypatch.setenv("CRITIQUE_DATA_MIRROR", str(folder))
    assert cli.main(["data", "fetch"]) == 0
    assert cli.main(["data", "verify"]) == 0
    cat = catalog.load_catalog()
    # two ids may read one file (the GSI 2023 workbook): one copy each
    assert sorted(p.name for p in fresh.iterdir()) == sorted({ds.filename for ds in cat.values()})


def test_a_damaged_pack_file_is_refused_by_fetch(packed, tmp_path, monkeypatch):
    folder, _ = packed
    bad = tmp_path / "badpack"
    bad.mkdir()
    ds = catalog.get("gsi-2023")
    (bad / ds.filename).write_bytes((folder / ds.filename).read_bytes()[:-10])
    monkeypatch.setenv("CRITIQUE_DATA_DIR", str(tmp_path / "raw2"))
    monkeypatch.setenv("CRITIQUE_DATA_MIRROR", str(bad))
    with pytest.raises(catalog.ChecksumError, match="Global_Slavery_Index_2023.csv"):
        catalog.fetch("gsi-2023")


def test_repacking_keeps_good_files_and_refuses_the_mirror_itself(packed, monkeypatch):
    folder, _ = packed
    again = pack.pack(folder, ["tip-tiers"])
    assert [f.copied for f in again] == [False]
    assert len(pack.read_manifest(folder)) == len(catalog.load_catalog())  # a subset adds, never drops
    monkeypatch.setenv("CRITIQUE_DATA_MIRROR", str(folder))
    with pytest.raises(catalog.CatalogError, match="is CRITIQUE_DATA_MIRROR itself"):
        pack.pack(folder)


def test_unknown_id_is_refused_with_suggestion(tmp_path):
    with pytest.raises(catalog.CatalogError, match="did you mean glotip"):
        pack.pack(tmp_path / "p", ["glotp"])


def test_cli_data_pack_writes_a_usable_mirror(tmp_path, monkeypatch, mirror_dir):
    out = tmp_path / "usb"
    assert cli.main(["data", "pack", str(out), "gsi-2023", "tip-tiers"]) == 0
    assert {r["id"] for r in pack.read_manifest(out)} == {"gsi-2023", "tip-tiers"}
    monkeypatch.setenv("CRITIQUE_DATA_DIR", str(tmp_path / "fresh"))
    monkeypatch.setenv("CRITIQUE_DATA_MIRROR", str(out))
    assert cli.main(["data", "fetch", "gsi-2023", "tip-tiers"]) == 0


@pytest.mark.parametrize("mask, file_mode, raw_mode", [(0o022, 0o644, 0o444), (0o077, 0o600, 0o400)])
def test_pack_cache_and_manifest_follow_the_umask(tmp_path, monkeypatch, mirror_dir, mask, file_mode, raw_mode):
    # issue 30: every packed file was -rw------- under umask 022, so another account could not read it
    import os
    import stat

    monkeypatch.setenv("CRITIQUE_DATA_DIR", str(tmp_path / "raw"))
    old = os.umask(mask)
    try:
        pack.pack(tmp_path / "usb", ["tip-tiers", "gsi-2023"])
    finally:
        os.umask(old)
    usb = tmp_path / "usb"
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in usb.iterdir()}
    assert modes == {catalog.get("tip-tiers").filename: file_mode, catalog.get("gsi-2023").filename: file_mode,
                     pack.MANIFEST: file_mode}
    assert stat.S_IMODE(usb.stat().st_mode) == 0o777 & ~mask
    raw = {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "raw").iterdir()}
    assert raw == {raw_mode}, "the download cache: read-only, readable as the umask allows"


def test_a_pack_written_private_is_made_readable_when_packed_again(tmp_path, mirror_dir):
    import os
    import stat

    pack.pack(tmp_path / "usb", ["tip-tiers"])
    target = tmp_path / "usb" / catalog.get("tip-tiers").filename
    os.chmod(target, 0o600)  # as the old pack command left it
    again = pack.pack(tmp_path / "usb", ["tip-tiers"])
    assert [f.copied for f in again] == [False]
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
