"""Other assessments of government action set beside the TIP tiers (issue 16).

- :mod:`~critique.scorecards.align`: measures from the GSI, 3P and GI-TOC sources, the TIP tiers and
  UNODC reporting, aligned by country and year;
- :mod:`~critique.scorecards.agreement`: rank correlations with intervals, TIP tier cross-tables,
  largest disagreements, relation to reporting capacity and vulnerability;
- :mod:`~critique.scorecards.composite`: a user-weighted composite with rank intervals from
  Dirichlet weight draws;
- :mod:`~critique.scorecards.rights`: Walk Free's scoring reproduced and a rights-based sub-index.
"""
from critique.scorecards import agreement, align, composite, rights  # noqa: F401
