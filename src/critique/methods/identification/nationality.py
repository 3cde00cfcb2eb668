"""Nationality of the people referred, only as aggregates with small cells suppressed.

The Home Office publishes these counts openly, but a nationality x first-responder x quarter cell of
one or two people can point at a person in a small community. The suite shows nationality only
summed over the quarters read, by first-responder type, with cells under the threshold blanked and,
within each nationality row, a second cell blanked where one blank could be recovered from the row
total (``critique.datasets.privacy.suppress_small``; Hundepool et al. 2012, ch. 4). Nationalities
outside the largest few (and every one whose total is under the threshold) are pooled into one row.
"""
from __future__ import annotations

import pandas as pd

from critique.datasets import privacy
from critique.core.errors import ParameterError
from critique.core.i18n import N_

OTHER = N_("All other nationalities")  # the pooled row; stays English in the data (sorted on)


def nationality_table(first_responders: pd.DataFrame, *, threshold: int = privacy.DEFAULT_THRESHOLD,
                      top: int = 15) -> pd.DataFrame:
    """Potential victims referred per nationality and first-responder type, summed over the quarters.

    ``first_responders``: ``nrm-first-responders`` releases (quarter, responder_type, nationality,
    potential_victims). Output: one row per nationality and type for the ``top`` nationalities by
    total among those with at least ``threshold`` in total, then :data:`OTHER` pooling every other
    nationality; columns ``nationality``, ``responder_type``, ``potential_victims`` (Int64, missing
    where suppressed), ``potential_victims_suppressed`` and ``nationality_total`` (the row total,
    at least ``threshold`` for a named nationality). Raises ParameterError for threshold < 1 or top < 1.
    """
    if threshold < 1 or top < 1:
        raise ParameterError(f"threshold={threshold}, top={top}: both must be at least 1")
    totals = first_responders.groupby("nationality")["potential_victims"].sum().sort_values(ascending=False, kind="stable")
    shown = list(totals[totals >= threshold].index[:top])
    label = first_responders["nationality"].where(first_responders["nationality"].isin(shown), OTHER)
    cells = (first_responders.assign(nationality=label)
             .groupby(["nationality", "responder_type"], as_index=False)["potential_victims"].sum())
    full = pd.MultiIndex.from_product([cells["nationality"].unique(), sorted(cells["responder_type"].unique())],
                                      names=["nationality", "responder_type"])
    cells = cells.set_index(["nationality", "responder_type"]).reindex(full, fill_value=0).reset_index()
    cells["nationality_total"] = cells.groupby("nationality")["potential_victims"].transform("sum").astype("int64")
    out = privacy.suppress_small(cells, "potential_victims", threshold, group_by=["nationality"])
    order = {n: i for i, n in enumerate(shown + [OTHER])}
    out = out.sort_values(["nationality", "responder_type"], key=lambda s: s.map(order) if s.name == "nationality" else s)
    return out.reset_index(drop=True)
