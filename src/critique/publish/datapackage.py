"""A Frictionless Data Package (``datapackage.json``) describing the tables typed in from publications.

Built from the sidecars of ``data/published/*.yml`` (read with
:func:`critique.datasets.published.read_sidecar`): one resource per table, its Table Schema fields
(name, type, description where the sidecar gives one), its unique key and its source and caveats.
Specification: Frictionless Data Package v1 and Table Schema (https://specs.frictionlessdata.io/).
Run ``python -m critique.publish.datapackage [OUT]`` to write it (default ``data/published/datapackage.json``).
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

from critique.core.atomicio import write_text_atomic
from critique.datasets import paths, published

# sidecar column type -> Table Schema field type
TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean", "date": "date"}


def package(directory: Path | None = None) -> dict[str, Any]:
    """The Data Package descriptor for every published table in ``directory`` (paths relative to it)."""
    from critique import __version__

    directory = directory or paths.published_dir()
    resources = []
    for table_id, table in sorted(published.discover(directory).items()):
        side = published.read_sidecar(table.sidecar)
        with open(table.csv, newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle), [])  # Table Schema fields follow the file's column order
        fields = []
        for name in header:
            spec = side["columns"].get(name, {})
            field: dict[str, Any] = {"name": name, "type": TYPES.get(str(spec.get("type")), "any")}
            if spec.get("description"):
                field["description"] = str(spec["description"])
            if not spec.get("nullable", False):
                field["constraints"] = {"required": True}
            fields.append(field)
        schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
        if side.get("unique"):
            schema["primaryKey"] = list(side["unique"])
        resources.append({
            "name": table_id, "path": table.csv.relative_to(directory).as_posix(), "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "title": side.get("title", table_id), "description": str(side.get("description", "")).strip(),
            "sources": [{"title": str(side.get("source", ""))}],
            "caveats": list(side.get("caveats", [])), "schema": schema})
    return {"profile": "tabular-data-package", "name": "critique-suite-published-figures",
            "title": "Figures typed in from publications, each row cited (critique-suite)",
            "version": __version__, "licenses": [{"name": "MIT", "title": "MIT (the tables' layout and "
                                                  "typing; each figure belongs to the publication it cites)"}],
            "resources": resources}


def undescribed(descriptor: dict[str, Any]) -> list[str]:
    """``table.column`` of every field the sidecars leave without a description."""
    return [f"{r['name']}.{f['name']}" for r in descriptor["resources"] for f in r["schema"]["fields"]
            if not f.get("description")]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    out = Path(argv[0]) if argv else paths.published_dir() / "datapackage.json"
    descriptor = package()
    write_text_atomic(out, json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n")
    missing = undescribed(descriptor)
    print(f"{out}: {len(descriptor['resources'])} tables; {len(missing)} columns without a description")
    return 0


if __name__ == "__main__":
    sys.exit(main())
