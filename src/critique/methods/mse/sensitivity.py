"""How far an MSE estimate moves when its inputs are slightly wrong.

- **False positives** (:func:`false_positives`): people wrongly counted as victims (e.g. sex workers
  recorded as trafficked after a raid) added to, or removed from, one capture-history cell. With two
  lists each unmatched false positive on list 1 raises the Lincoln-Petersen total by ``1 / p2_hat``,
  the inverse of list 2's estimated capture probability (derivation in the suite's literature notes,
  section 8c); with more lists the multiplier depends on the model.
- **List choices** (:func:`list_choices`): one list dropped, or two lists merged, as in the
  robustness analysis of list omission and combination (Crime & Delinquency 2021,
  doi 10.1177/0011128720951429) and the PF+NCA merge of the UK five-list table.

The estimation procedure is re-run on every modified table (``reselect=True``) or the model chosen on
the original table is kept fixed; a modified table with no finite estimate gives nan with its reason.
"""
from __future__ import annotations

from itertools import combinations
from typing import Sequence

import numpy as np
import pandas as pd

from critique.methods.mse.fit import fit
from critique.methods.mse.procedure import Procedure
from critique.methods.mse.select import estimate, quick_total
from critique.methods.mse.table import CaptureTable, as_table


def _fixed_total(table: CaptureTable, model, empty_overlaps: str) -> tuple[float, str]:
    res = fit(table, model, empty_overlaps=empty_overlaps, ci=(), on_failure="report")
    return (res.total if res.ok else float("nan")), (res.label if res.ok else res.status)


def _sweep_one(task) -> tuple[float, str]:
    """(total, model) of one modified table: the procedure re-run, or the base model refitted."""
    t, procedure, reselect, base_model = task
    if reselect:
        return quick_total(t, procedure, jobs=1)
    return _fixed_total(t, base_model, procedure.empty_overlaps)


def false_positives(table: CaptureTable, cell, values: Sequence[int],
                    procedure: Procedure = Procedure(), *, reselect: bool = True,
                    jobs: int = 1) -> pd.DataFrame:
    """Estimated total when ``f`` people are added to (``f < 0``: removed from) history ``cell``.

    ``cell``: list names of the history (``["PFNCA"]`` = police only), a 0/1 string or sequence.
    Returns one row per ``f``: f, cell count, total, change from f = 0, model, reselected.
    With ``reselect=True`` and ``jobs > 1`` the modified tables are shared among ``jobs``
    processes (the rows do not depend on ``jobs``).
    ``table``: a CaptureTable or a frame of 0/1 list columns plus ``count``. With
    ``reselect=False`` a search procedure keeps its original-data best model (for "average", the
    lowest-BIC model).
    """
    table = as_table(table)
    row = table.cell(cell)
    base_model = (estimate(table, procedure, jobs=jobs, ci=()).best.model if not reselect
                  else None)
    fs = [f for f in sorted(set(int(v) for v in values) | {0}) if table.counts[row] + f >= 0]
    tasks = [(table.add_to_cell(cell, f), procedure, reselect, base_model) for f in fs]
    if reselect and jobs > 1 and len(tasks) > 3:  # each re-selection is a whole search: share them
        from critique.methods.mse.select import _pool

        with _pool(jobs) as pool:
            totals = list(pool.map(_sweep_one, tasks))
    else:
        totals = [_sweep_one(t) for t in tasks]
    out = [{"f": f, "cell": table.history_label(row), "cell_count": int(t[0].counts[row]),
            "total": total, "model": model, "reselected": reselect}
           for f, t, (total, model) in zip(fs, tasks, totals)]
    frame = pd.DataFrame(out)
    base = frame.loc[frame["f"] == 0, "total"].iloc[0]
    frame["change"] = frame["total"] - base
    return frame


def per_false_positive(sweep: pd.DataFrame) -> float:
    """Least-squares slope of the total on ``f``: the estimate's change per false positive."""
    ok = sweep[np.isfinite(sweep["total"])]
    if len(ok) < 2:
        return float("nan")
    return float(np.polyfit(ok["f"].to_numpy(float), ok["total"].to_numpy(float), 1)[0])


def list_choices(table: CaptureTable, procedure: Procedure = Procedure(), *,
                 merges: Sequence[tuple[str, str]] | None = None, jobs: int = 1) -> pd.DataFrame:
    """Total with the table as given, each list dropped, and each pair (or ``merges``) merged.

    The procedure (its method resolved for each modified table's number of lists) is re-run on
    every table."""
    table = as_table(table)
    rows = [("as published", table)]
    if table.k > 2:
        rows += [(f"drop {name}", table.drop_list(name)) for name in table.lists]
        pairs = merges if merges is not None else list(combinations(table.lists, 2))
        rows += [(f"merge {a}+{b}", table.merge_lists(a, b)) for a, b in pairs]
    out = []
    for change, t in rows:
        total, model = quick_total(t, procedure, jobs=jobs)
        out.append({"change": change, "lists": t.k, "observed": t.n_observed, "total": total,
                    "model": model, "method": procedure.resolved(t.k)})
    return pd.DataFrame(out)
