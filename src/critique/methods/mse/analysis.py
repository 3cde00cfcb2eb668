"""Notebook 40 as one analysis object: settings in, sections out (tables, chart data, captions,
reading sentences, findings), so the notebook only displays.

``analyse(**parameters)`` validates every input a section will read before any heavy work: the
user's CSV (path, list columns, count column), shipped table ids, the false-positive cell and the
section names; a bad value raises :class:`critique.core.errors.ParameterError` (or the table's own
:class:`~critique.methods.mse.CaptureTableError`) naming it. Each section is then computed on demand by a
method of :class:`MSEAnalysis` and returned as a :class:`Section`; ``sections`` switches sections
off, so a user's own table can run only ``estimate``, ``false_positives`` and ``list_choices``.

Heavy results are computed once per process (:func:`critique.methods.mse.estimators.run` keeps runs by
content: table counts, procedure settings, resamples and seed), so the UK five-list bootstrap of
section 2 serves sections 6 and 7 too.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from critique.core.errors import ParameterError
from critique.methods.mse import reading
from critique.methods.mse.section import CAVEAT_BOOT, CAVEAT_MODEL, UK_TABLES, Section, pub  # noqa: F401
from critique.methods.mse.table import CaptureTable

SECTIONS = ("procedures", "models", "spread", "new_orleans", "methods", "estimate",
            "false_positives", "list_choices")
OWN_TABLE_SECTIONS = ("estimate", "false_positives", "list_choices")


@dataclass(frozen=True)
class Settings:
    """Notebook 40's parameters (the notebook's parameter cell documents each)."""

    dataset: str = "mse-uk-2013-5"
    lists: tuple = ()
    count_column: str = "count"
    method: str = "auto"
    max_order: int = 0
    bic_sample_size: str = "people"
    empty_overlaps: str = "extended"
    ntop: int = -1
    pthresh: float = 0.02
    bootstrap_size: int = 1000
    seed: int = 20131231
    spread_datasets: tuple = ()
    spread_max_lists: int = 6
    near_delta: float = 5.99
    fp_cell: str = ""
    fp_min: int = -50
    fp_max: int = 200
    fp_step: int = 25
    fp_share: float = 0.1
    methods_datasets: tuple = ()
    methods_bootstrap: int = 200
    lcmcr_chains: int = 4
    lcmcr_burnin: int = 10_000
    lcmcr_samples: int = 1_000
    lcmcr_thinning: int = 400
    lcmcr_short_datasets: tuple = ("mse-uk-2013-5",)
    lcmcr_short_thinning: int = 100
    jobs: int = 2
    sections: tuple = SECTIONS


class MSEAnalysis:
    """Notebook 40's sections on validated settings; see the module notes."""

    def __init__(self, settings: Settings, root: Path | None = None):
        from critique.datasets import published
        from critique.methods.mse.procedure import Procedure

        self.settings = s = settings
        unknown = [x for x in s.sections if x not in SECTIONS]
        if unknown:
            raise ParameterError(f"sections={list(s.sections)!r}: unknown {unknown}; choose from "
                                 f"{', '.join(SECTIONS)}")
        self.procedure = Procedure(method=s.method, max_order=s.max_order or None,
                                   bic_sample_size=s.bic_sample_size,
                                   empty_overlaps=s.empty_overlaps,
                                   ntop=None if s.ntop < 0 else s.ntop, pthresh=s.pthresh,
                                   name="chosen procedure")
        meta = published.meta("mse-uk-2013")["published_estimate"]
        self.published_meta = meta
        self.published = (meta["low"], meta["high"])
        self.input = None  # (path, sha256) of a user's CSV
        self.table = self._chosen_table(published, root or Path.cwd())
        ids = set(published.ids())
        for name in ("spread_datasets", "methods_datasets", "lcmcr_short_datasets"):
            bad = [d for d in getattr(s, name) if d not in ids]
            if bad:
                raise ParameterError(f"{name}: {bad} not shipped tables")
        only = {n: int(self.table.counts[self.table.cell([n])]) for n in self.table.lists}
        if s.fp_cell and s.fp_cell not in self.table.lists:
            raise ParameterError(f"fp_cell={s.fp_cell!r} is not a list of {self.table.name} (lists: "
                                 f"{', '.join(self.table.lists)}; empty picks the largest list-only cell)")
        self.fp_cell = s.fp_cell or max(only, key=only.get)
        self.fp_cell_count = only[self.fp_cell]
        self._done: dict[str, Section] = {}

    def _chosen_table(self, published, root: Path) -> CaptureTable:
        s = self.settings
        path = Path(s.dataset)
        if s.dataset.lower().endswith(".csv") or path.is_file():
            csv = path if path.is_absolute() else root / path
            if csv.is_dir():
                raise ParameterError(f"dataset={s.dataset!r} is a folder; give the CSV file inside it")
            if not csv.is_file():
                raise ParameterError(f"dataset={s.dataset!r}: file not found (give an absolute path "
                                     "or one from the repository root)")
            table = CaptureTable.from_csv(csv, list(s.lists) or None, count=s.count_column)
            self.input = (str(csv), hashlib.sha256(csv.read_bytes()).hexdigest())
            self.source = {"source": f"Your table: {csv.name} (sha256 {self.input[1][:12]})"}
            return table
        if s.dataset not in published.ids():
            shipped = ", ".join(i for i in published.ids() if i.startswith("mse-"))
            raise ParameterError(f"dataset={s.dataset!r}: not a shipped table ({shipped}) and not a "
                                 ".csv path")
        self.source = {"datasets": [s.dataset]}
        return CaptureTable.from_dataset(s.dataset)

    def runs(self, section: str) -> bool:
        """Whether ``section`` is switched on."""
        return section in self.settings.sections

    def findings(self) -> dict:
        """Every computed section's findings, key -> (value, note)."""
        return {k: v for sec in self._done.values() for k, v in sec.findings.items()}

    def _section(self, name: str, build) -> Section:
        if name not in self._done:
            self._done[name] = build()
        return self._done[name]

    # The sections live in critique.methods.mse.sections (one function each), bound here.
    def procedures(self) -> Section:
        """Section 2: the UK tables under each procedure of the same authors."""
        from critique.methods.mse.sections import procedures
        return self._section("procedures", lambda: procedures(self))

    def models(self) -> Section:
        """Section 3: every model of the UK five-list table, the near-best set, the average."""
        from critique.methods.mse.sections import models
        return self._section("models", lambda: models(self))

    def spread(self) -> Section:
        """Section 4: the spread across pairwise models on each published table."""
        from critique.methods.mse.sections import spread
        return self._section("spread", lambda: spread(self))

    def new_orleans(self) -> Section:
        """Section 5: the two versions of the New Orleans table."""
        from critique.methods.mse.sections import new_orleans
        return self._section("new_orleans", lambda: new_orleans(self))

    def methods(self) -> Section:
        """Section 6: one table, many methods (log-linear, dga, LCMCR)."""
        from critique.methods.mse.sections import methods
        return self._section("methods", lambda: methods(self))

    def estimate(self) -> Section:
        """Section 7: the chosen table under the chosen procedure, with its bootstrap."""
        from critique.methods.mse.sections import estimate
        return self._section("estimate", lambda: estimate(self))

    def false_positives(self) -> Section:
        """Section 7: people added to or removed from one list-only cell."""
        from critique.methods.mse.sections import false_positives
        return self._section("false_positives", lambda: false_positives(self))

    def list_choices(self) -> Section:
        """Section 7: one list dropped or two merged."""
        from critique.methods.mse.sections import list_choices
        return self._section("list_choices", lambda: list_choices(self))


def analyse(**parameters: Any) -> MSEAnalysis:
    """Validate notebook 40's parameters (names as in :class:`Settings`) and return the analysis.

    Lists become tuples; ``max_order=0`` and ``ntop=-1`` mean the package defaults. Raises
    ParameterError for an unknown parameter, section, table id, CSV path or false-positive cell,
    and CaptureTableError for a CSV that is not a capture table (naming the column, row or value).
    """
    known = set(Settings.__dataclass_fields__)
    extra = sorted(set(parameters) - known)
    if extra:
        raise ParameterError(f"analyse: unknown parameter(s) {extra}")
    fixed = {k: tuple(v) if isinstance(v, list) else v for k, v in parameters.items()}
    return MSEAnalysis(Settings(**fixed))


__all__ = ["MSEAnalysis", "Section", "Settings", "SECTIONS", "OWN_TABLE_SECTIONS", "analyse",
           "pub", "reading"]
