"""Metadata field types are checked where the metadata is read: a wrong type names the file and field."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from critique.datasets import catalog
from critique.datasets import metadata
from critique.datasets import published
from critique.core.errors import DataError

ROOT = Path(__file__).resolve().parents[1]


def _catalog_with(tmp_path: Path, caveat_line: str) -> Path:
    text = (ROOT / "data" / "catalog.yml").read_text(encoding="utf-8")
    marker = "      - Tiers grade government effort"
    assert marker in text
    target = tmp_path / "catalog.yml"
    target.write_text(text.replace(marker, caveat_line + "\n" + marker, 1), encoding="utf-8")
    return target


def test_the_project_catalogue_has_only_string_caveats():
    for ds in catalog.load_catalog().values():
        assert all(isinstance(c, str) and not c.startswith("{") for c in ds.caveats), ds.id
    tiers = catalog.load_catalog()["tip-tiers"].caveats
    assert tiers[2] == ("Placements have been reported to move with diplomatic considerations (Reuters "
                        "special report, 3 Aug 2015: the TIP office won 3 of 17 disputes with diplomatic "
                        "bureaus; CRS R44953).")


def test_a_caveat_that_yaml_reads_as_a_mapping_is_refused_naming_file_and_field(tmp_path):
    path = _catalog_with(tmp_path, "      - Reported (Reuters, 2015: 3 of 17 disputes)")
    assert isinstance(yaml.safe_load(path.read_text())["datasets"]["tip-tiers"]["caveats"][0], dict)
    with pytest.raises(DataError) as info:
        catalog.load_catalog(path)
    message = str(info.value)
    assert message.startswith(f"{path}: dataset 'tip-tiers': field 'caveats', item 1: must be a string, "
                              "got a mapping"), message
    assert "quote the text" in message


def test_a_caveat_that_is_a_number_is_refused(tmp_path):
    path = _catalog_with(tmp_path, "      - 2015")
    with pytest.raises(DataError, match=r"dataset 'tip-tiers': field 'caveats', item 1: must be a string, got a number \(2015\)"):
        catalog.load_catalog(path)


@pytest.mark.parametrize("field, value, expected", [
    ("years", "2001-2015", "field 'years' must be a list [first, last] of two whole years, got str ('2001-2015')"),
    ("title", ["a", "b"], "field 'title' must be a string, got a list"),
    ("bytes", "12 kB", "field 'bytes' must be a whole number"),
])
def test_other_catalogue_fields_are_typed(tmp_path, field, value, expected):
    raw = yaml.safe_load((ROOT / "data" / "catalog.yml").read_text(encoding="utf-8"))
    raw["datasets"]["gsi-2023"][field] = value
    with pytest.raises(DataError) as info:
        metadata.check_catalog(tmp_path / "catalog.yml", raw)
    assert str(info.value).startswith(f"{tmp_path / 'catalog.yml'}: dataset 'gsi-2023': {expected}")


def test_a_sidecar_caveat_that_is_not_a_string_is_refused_naming_file_and_field(tmp_path):
    src = ROOT / "data" / "published" / "raid-outcomes.yml"
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    data["caveats"] = [data["caveats"][0], {"Reuters (2015": "3 of 17"}]
    side = tmp_path / "raid-outcomes.yml"
    side.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(DataError, match=r"raid-outcomes.yml: field 'caveats', item 2: must be a string, got a mapping"):
        published.read_sidecar(side)


def test_every_project_sidecar_passes():
    for side in sorted((ROOT / "data" / "published").glob("*.yml")):
        if side.name != "published.yml":
            metadata.check_sidecar(side, yaml.safe_load(side.read_text(encoding="utf-8")))
