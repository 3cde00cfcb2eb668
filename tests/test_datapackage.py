"""datapackage.json from the published-table sidecars: one resource per table, fields as the CSV has them."""
from __future__ import annotations

import csv
import json

import yaml

from critique.datasets import paths
from critique.publish import datapackage


def test_every_published_table_is_a_resource_with_the_csv_columns_in_order(tmp_path):
    out = tmp_path / "datapackage.json"
    assert datapackage.main([str(out)]) == 0
    desc = json.loads(out.read_text())
    assert desc["profile"] == "tabular-data-package"
    # an independent recount: sidecars that name a CSV file
    sidecars = [yaml.safe_load(p.read_text()) for p in sorted(paths.published_dir().glob("*.yml"))]
    tables = {s["id"]: s for s in sidecars if isinstance(s, dict) and "file" in s}
    assert sorted(r["name"] for r in desc["resources"]) == sorted(tables)
    for res in desc["resources"]:
        with open(paths.published_dir() / res["path"], newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert [f["name"] for f in res["schema"]["fields"]] == header, res["name"]
        types = {name: spec.get("type") for name, spec in tables[res["name"]]["columns"].items()}
        for field in res["schema"]["fields"]:
            assert field["type"] == datapackage.TYPES.get(types.get(field["name"]), "any")
        assert res["schema"].get("primaryKey", []) == list(tables[res["name"]].get("unique", []))


def test_undescribed_columns_are_listed_by_table_and_column():
    desc = {"resources": [{"name": "t", "schema": {"fields": [{"name": "a", "description": "x"}, {"name": "b"}]}}]}
    assert datapackage.undescribed(desc) == ["t.b"]
