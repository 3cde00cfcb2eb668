"""One section of notebook 40's analysis: its findings, tables, chart inputs and reading, and the
caveats every section shares. Kept apart so that :mod:`critique.methods.mse.analysis` (which binds the
sections) and :mod:`critique.methods.mse.sections` (which computes them) do not import each other.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from critique.core.i18n import N_

# marked for the catalogue; translated where a caption uses them (critique.methods.mse.sections)
CAVEAT_MODEL = N_("Estimates assume the lists' overlaps follow the fitted log-linear model; they are "
                "not counts.")
CAVEAT_BOOT = N_("Bootstrap resamples the observed people and repeats the model choice in each "
               "(Silverman, Chan & Vincent 2024).")
UK_TABLES = ["mse-uk-2013", "mse-uk-2013-5"]


def pub(x):
    """A value for findings.json: None for nan or inf."""
    if isinstance(x, (float, np.floating)) and not np.isfinite(x):
        return None
    return x


@dataclass
class Section:
    """One section's output. ``findings``: key -> (value, note or None), recorded in one call;
    ``tables``: reader tables in display order; ``charts``: name -> caption keywords for
    ``charts.finalise`` (title, description, caveat, n, data, and datasets or source) plus
    ``"inputs"``, the objects the figure function draws; ``reading``: Markdown sentences.
    :meth:`record` records the findings, :meth:`caption` gives a chart's caption."""

    name: str
    findings: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)
    charts: dict = field(default_factory=dict)
    reading: str = ""
    results: dict = field(default_factory=dict, repr=False)

    def record(self, recorder) -> None:
        """Record every finding with ``recorder(key, value, note)``: the notebook passes
        ``critique.publish.findings.record``, one call per section."""
        for key, (value, note) in self.findings.items():
            recorder(key, value, note)

    def caption(self, chart: str) -> dict:
        """The keywords of ``charts.finalise`` for ``chart`` (without the figure inputs)."""
        return {k: v for k, v in self.charts[chart].items() if k != "inputs"}


#: columns :func:`interval_columns` adds: the bootstrap's two intervals, z0 and Monte Carlo errors
INTERVAL_COLUMNS = {
    "low_mc_se": lambda b: b.mc_se[0], "high_mc_se": lambda b: b.mc_se[1],
    "percentile_low": lambda b: b.percentile[0], "percentile_high": lambda b: b.percentile[1],
    "bca_low": lambda b: b.bca[0], "bca_high": lambda b: b.bca[1], "z0": lambda b: b.bias_correction,
    "percentile_low_mc_se": lambda b: b.mc_se_percentile[0],
    "percentile_high_mc_se": lambda b: b.mc_se_percentile[1],
    "bca_low_mc_se": lambda b: b.mc_se_bca[0], "bca_high_mc_se": lambda b: b.mc_se_bca[1]}


def interval_columns(frame, results) -> None:
    """Add to ``frame`` (rows of :func:`critique.methods.mse.compare`, in the order of ``results``)
    the columns of ``INTERVAL_COLUMNS`` (nan without a bootstrap) and ``disagree`` (why BCa and
    percentile disagree, '' when they do not), which :func:`reading.interval_text` reads."""
    for col, get in INTERVAL_COLUMNS.items():
        frame[col] = [get(r.bootstrap) if r.bootstrap else np.nan for r in results]
    frame["disagree"] = [r.bootstrap.disagreement if r.bootstrap else "" for r in results]
