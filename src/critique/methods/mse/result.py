"""The common result of every estimation procedure: one total, its interval, and what it rests on.

Every method registered with :func:`critique.methods.mse.procedure.register` returns a
:class:`PopulationEstimate`, so that one table can be run through many methods and compared row
by row (:func:`critique.methods.mse.estimators.compare`). Method-specific detail (the model table, the
bootstrap replicates, a posterior sample) rides along in ``selection``, ``bootstrap`` and
``details``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class PopulationEstimate:
    """A hidden-population estimate from one procedure on one table.

    total: people observed plus the estimated dark figure (nan when no finite estimate exists).
    intervals: kind -> (low, high) for the total, e.g. "profile (model known)",
        "bootstrap BCa", "bootstrap percentile"; ``interval_kind`` names the one to report.
    """

    name: str  # a short label for tables
    method: str  # registered method name
    description: str  # plain words naming every convention used
    table: str
    n_lists: int
    n_observed: int
    total: float
    model: str
    intervals: dict = field(default_factory=dict)
    interval_kind: str = ""
    level: float = 0.95
    warnings: list = field(default_factory=list)
    selection: Any = field(default=None, repr=False)
    bootstrap: Any = field(default=None, repr=False)
    details: dict = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        """True when the total is finite."""
        return bool(np.isfinite(self.total))

    @property
    def interval(self) -> tuple[float, float]:
        """The interval to report (``interval_kind``), or (nan, nan)."""
        return self.intervals.get(self.interval_kind, (float("nan"), float("nan")))

    def row(self) -> dict:
        """One row of a comparison table."""
        lo, hi = self.interval
        return {"procedure": self.name, "method": self.method, "table": self.table,
                "lists": self.n_lists, "observed": self.n_observed, "total": self.total,
                "low": lo, "high": hi, "interval": self.interval_kind, "model": self.model,
                "description": self.description, "warnings": "; ".join(self.warnings)}
