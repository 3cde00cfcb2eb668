"""Who counts shapes what is counted: the sexual-exploitation share of referrals by first-responder type.

The tables count referrals (each referral is of one potential victim), not distinct people. Each
referral carries one exploitation label, and combined labels ("Sexual & Labour") are categories of
their own, so the referrals involving *any* sexual exploitation are the sum over every label that
contains it (``critique.datasets.nrm_responders.forms_of``): each referral once.

Intervals: each quarter's share gets a Wilson score interval (Wilson 1927; Agresti & Coull 1998, as
``statsmodels.stats.proportion.proportion_confint(method="wilson")``). The referrals are all the
referrals of the quarter, not a sample of anyone, so there is no sampling error to describe; the
interval describes variation of the referral process: how far the share could move by chance if each
referral from that type of first responder had the same probability of carrying the label. The
notebook can instead present the comparison descriptively, without intervals or tests
(``sentences.composition_sentence(reading=...)`` says which). The police-NGO difference is tested
per quarter with Fisher's exact test and over all quarters with the Cochran-Mantel-Haenszel test
stratified by quarter (``statsmodels`` ``StratifiedTable``), which also gives the pooled odds ratio.
A difference is a difference between the counts the two kinds of organisation produce: it mixes whom
they meet (age, nationality, setting) with how they record, and says nothing about how common either
form of exploitation is.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import fisher_exact
from statsmodels.stats.contingency_tables import StratifiedTable
from statsmodels.stats.proportion import proportion_confint

from critique.datasets.nrm_responders import forms_of
from critique.core.errors import ParameterError

ALL_TYPES = "all"
ALL_AGES = "all"


def any_form(labels: pd.Series, form: str = "Sexual") -> pd.Series:
    """True where a publisher exploitation label includes ``form`` (each label parsed once)."""
    parsed = {label: form in forms_of(label) for label in labels.unique()}
    return labels.map(parsed).astype(bool)


def form_shares(detail: pd.DataFrame, *, form: str = "Sexual", age: str = ALL_AGES,
                level: float = 0.95) -> pd.DataFrame:
    """Share of referrals with ``form`` among all referrals, per quarter and first-responder type.

    Counts are referrals (the column ``potential_victims`` counts referrals of potential victims).

    ``detail``: the first-responder detail tables (``nrm_responders.load_detail``; quarter,
    responder_type, exploitation, age, potential_victims, ...). ``age``: ``all`` or one of adult,
    child, unknown. Output: ``quarter, responder_type`` (the four types and ``all``), ``with_form``,
    ``potential_victims``, ``share``, ``low``, ``high`` (Wilson interval at ``level``).
    Raises ParameterError for an unknown age or a level outside (0, 1).
    """
    if not 0 < level < 1:
        raise ParameterError(f"level={level}: expected a probability such as 0.95")
    if age != ALL_AGES:
        if age not in set(detail["age"]):
            raise ParameterError(f"age={age!r}: expected all or one of {', '.join(sorted(set(detail['age'])))}")
        detail = detail[detail["age"].eq(age)]
    flagged = detail.assign(with_form=detail["potential_victims"].where(any_form(detail["exploitation"], form), 0))
    by_type = flagged.groupby(["quarter", "responder_type"], as_index=False)[["with_form", "potential_victims"]].sum()
    every = by_type.groupby("quarter", as_index=False)[["with_form", "potential_victims"]].sum().assign(responder_type=ALL_TYPES)
    out = pd.concat([by_type, every], ignore_index=True)[["quarter", "responder_type", "with_form", "potential_victims"]]
    out["share"] = out["with_form"] / out["potential_victims"]
    low, high = proportion_confint(out["with_form"].to_numpy(), out["potential_victims"].to_numpy(),
                                   alpha=1 - level, method="wilson")
    out["low"], out["high"] = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    return out.sort_values(["quarter", "responder_type"]).reset_index(drop=True)


@dataclass(frozen=True)
class Comparison:
    """Two first-responder types' shares compared, per quarter and pooled over quarters."""

    first: str
    second: str
    per_quarter: pd.DataFrame  # quarter, share_<first>, share_<second>, difference_pp, odds_ratio, p_value
    pooled_odds_ratio: float
    pooled_low: float
    pooled_high: float
    cmh_statistic: float
    cmh_p_value: float
    level: float

    @property
    def quarters(self) -> int:
        return len(self.per_quarter)

    @property
    def same_direction(self) -> int:
        """Quarters in which ``second``'s share exceeds ``first``'s."""
        return int((self.per_quarter["difference_pp"] > 0).sum())


def compare(shares: pd.DataFrame, first: str = "police", second: str = "ngo", *, level: float = 0.95) -> Comparison:
    """Compare two types' shares from :func:`form_shares`: Fisher per quarter, Cochran-Mantel-Haenszel pooled.

    ``difference_pp`` is ``second`` minus ``first`` in percentage points; odds ratios are the odds of
    the form among ``second``'s referrals over ``first``'s. Raises ParameterError for an unknown type.
    """
    known = set(shares["responder_type"]) - {ALL_TYPES}
    for name in (first, second):
        if name not in known:
            raise ParameterError(f"first-responder type {name!r}: expected one of {', '.join(sorted(known))}")
    a = shares[shares["responder_type"].eq(first)].set_index("quarter")
    b = shares[shares["responder_type"].eq(second)].set_index("quarter")
    quarters = a.index.intersection(b.index).sort_values()
    tables, rows = [], []
    for q in quarters:
        # rows: second, first; columns: with the form, without
        t = np.array([[b.at[q, "with_form"], b.at[q, "potential_victims"] - b.at[q, "with_form"]],
                      [a.at[q, "with_form"], a.at[q, "potential_victims"] - a.at[q, "with_form"]]], dtype=float)
        tables.append(t)
        odds, p = fisher_exact(t.astype(int))
        rows.append({"quarter": q, f"share_{first}": a.at[q, "share"], f"share_{second}": b.at[q, "share"],
                     "difference_pp": 100 * (b.at[q, "share"] - a.at[q, "share"]), "odds_ratio": float(odds),
                     "p_value": float(p)})
    strat = StratifiedTable(tables)
    low, high = strat.oddsratio_pooled_confint(alpha=1 - level)
    test = strat.test_null_odds(correction=True)
    return Comparison(first, second, pd.DataFrame(rows), float(strat.oddsratio_pooled), float(low), float(high),
                      float(test.statistic), float(test.pvalue), level)
