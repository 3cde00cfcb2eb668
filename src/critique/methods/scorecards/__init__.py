"""Other assessments of government action set beside the TIP tiers (issue 16).

- :mod:`~critique.methods.scorecards.align`: measures from the GSI, 3P and GI-TOC sources, the TIP tiers and
  UNODC reporting, aligned by country and year;
- :mod:`~critique.methods.scorecards.agreement`: rank correlations with intervals, TIP tier cross-tables,
  largest disagreements, relation to reporting capacity and vulnerability;
- :mod:`~critique.methods.scorecards.composite`: a user-weighted composite with rank intervals from
  Dirichlet weight draws;
- :mod:`~critique.methods.scorecards.rights`: Walk Free's scoring reproduced and a rights-based sub-index;
- :mod:`~critique.methods.scorecards.analysis`: notebook 32's analysis in one call, :func:`analyse` returning a
  :class:`ScorecardAnalysis` (numbers, reader tables, chart data, reading sentences, findings).
"""
from critique.methods.scorecards import agreement, align, composite, rights  # noqa: F401
from critique.methods.scorecards.analysis import (  # noqa: F401
    ScorecardAnalysis,
    analyse,
    check_highlight,
    check_parameters,
)
