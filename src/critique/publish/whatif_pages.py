"""Every what-if page of a report build: the two pages of :mod:`critique.publish.whatif` (raids,
detection ratio) and those of :mod:`.whatif_composite` and :mod:`.whatif_mse`, written from the
finished runs under a report folder. Kept apart so that the page modules do not import each other.
"""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from critique.core.atomicio import write_text_atomic
from critique.core.errors import ParameterError
from critique.publish import whatif, whatif_composite, whatif_mse


def _one_page(out_root: Path, key: str, stem: str, make: Any, build: Any, title: str) -> list[tuple[str, str]]:
    found = whatif._run(out_root, stem)
    if found is None:
        return []
    write_text_atomic(out_root / whatif.FOLDER / whatif.PAGES[key], build(make(*found)))
    return [(f"{title} (scenario, notebook {stem[:2]})", f"{whatif.FOLDER}/{whatif.PAGES[key]}")]


def write_pages(out_root: Path) -> list[tuple[str, str]]:
    """Write the what-if pages whose notebook has a finished run under ``out_root`` into
    ``out_root/whatif/``. Returns ``[(title, path relative to out_root)]`` for the index. A page
    whose run lacks a key or holds a bad value is skipped with a warning naming it (the index and
    the other pages are still written)."""
    steps = [lambda: _one_page(out_root, "raid", whatif.RAID_NOTEBOOK, whatif.raid_inputs, whatif.raid_page,
                               "What if raids mislabel people?"),
             lambda: _one_page(out_root, "detection", whatif.DETECTION_NOTEBOOK, whatif.detection_inputs,
                               whatif.detection_page, "What if sexual exploitation is detected more readily?"),
             lambda: whatif_composite.write_page(out_root), lambda: whatif_mse.write_page(out_root)]
    made = []
    for name, step in zip(("raid", "detection", "composite", "mse"), steps):
        try:
            made += step()
        except (KeyError, ValueError, TypeError, ParameterError) as err:
            warnings.warn(f"what-if page {name!r} not written: {type(err).__name__}: {err}", stacklevel=2)
    return made
