"""The README's sources table and notebook list stay in step with the catalogue and the notebooks."""
from __future__ import annotations

from pathlib import Path

from critique import datasets
from critique.datasets import catalog
from critique.datasets import paths
from critique.publish import reports

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_catalogued_dataset_is_in_the_readme_table():
    for ds in catalog.load_catalog().values():  # every release (id@date), or a flat entry's id
        row = [line for line in README.splitlines() if line.startswith(f"| `{ds.id}` ")]
        assert row, f"README has no sources-table row for {ds.id}"
        if ds.years:
            assert f"{ds.years[0]}" in row[0] and f"{ds.years[1]}" in row[0], ds.id


def test_every_dataset_id_and_notebook_is_named():
    for ds_id in datasets.ids():
        assert f"`{ds_id}`" in README, f"README does not name dataset {ds_id}"
    for nb in reports.analysis_notebooks():
        assert f"`{nb.stem}`" in README, f"README does not describe notebook {nb.stem}"


def test_readme_gives_the_two_commands():
    assert "make reports" in README and "make test" in README
    assert "CRITIQUE_DATA_MIRROR" in README
