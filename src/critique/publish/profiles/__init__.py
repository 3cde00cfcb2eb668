"""Country profiles: one page per country for a briefing, and ``critique profiles``.

A profile (``notebooks/profiles/country-profile.ipynb``, parameter ``iso3``) shows the country's
UNODC detected-victim series by form of exploitation with its coverage and suppressed cells, its
TIP tier history, the TIP and global-estimate context, its Global Slavery Index estimate against
what it detects, any policy change in the policy table, for GBR only the UK National Referral
Mechanism (:func:`uk_nrm`: referrals per year, reasonable-grounds decisions around the 2023 test
change, who made the referrals), and a "what not to conclude" box that :func:`what_not_to_conclude`
builds from the data.

The data functions here are pure (frames in, frames out); :func:`build_profiles` renders many
profiles into ``reports/countries/<ISO3>/`` through :func:`critique.publish.reports.run_jobs` (the
runner's validated parameters, atomic output and run-key skip) and writes an index; with
``batch=True`` it runs several countries per kernel instead (:func:`run_batch`), which keeps
papermill's parameter model (``parameterize_notebook``) and the runner's output layout.

The runner's ``choices:`` cannot list some 200 codes, so :func:`check_iso3` validates codes before
anything runs: an unknown code is refused with the closest codes (``countries.closest_iso3``).
"""
from critique.publish.profiles.series import (  # noqa: F401
    FORMS, INDICATOR, OTHER_SPLIT_YEAR, SHORT_SERIES_YEARS, assessment_row, check_iso3, countries_with_data,
    country_policies, coverage, form_series, gsi_vs_detected, tier_changes, tier_history, world_context)
from critique.publish.profiles.cautions import Caution, what_not_to_conclude  # noqa: F401
from critique.publish.profiles.page import caution_box_html, write_index  # noqa: F401
from critique.publish.profiles.nrm import NrmSection, uk_nrm  # noqa: F401
from critique.publish.profiles.batch import (  # noqa: F401
    ProfilesResult, available, build_profiles, notebook, out_root, run_batch)
