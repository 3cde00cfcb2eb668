"""Captions of notebook 11's charts, generated from a :class:`DetectionAnalysis`: keyword arguments
(title, description, caveat, datasets, n, scenario, data) for ``critique.figures.charts.finalise``."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from critique.methods.detection.analysis import DetectionAnalysis
from critique.methods.detection.shares import CIRCULARITY_CAVEAT, FL, SE
from critique.core.i18n import N_, _

CHARTS = ("editions-vs-estimates", "true-se-share-by-edition", "se-share-surface", "implied-ratios", "bias-analysis")
SCENARIO = N_("The relative detection rate is unknown; scenarios over a range, not estimates.")


def caption(d: DetectionAnalysis, name: str, *, releases: Sequence[str] = ()) -> dict:
    """Caption keywords for chart ``name`` (one of :data:`CHARTS`); ``releases`` names the GLOTIP
    releases read (for the implied-ratios chart). Raises KeyError naming the charts."""
    s, ed = d.settings, d.editions
    if name == "editions-vs-estimates":
        return dict(title=_("Detected shares by UNODC edition, beside the global estimates"),
                    description=_("UNODC headline shares of detected victims by form (edition = release year; data years are "
                                 "earlier) and the sexual-exploitation share of the ILO 2012 and ILO/Walk Free/IOM 2017 and "
                                 "2022 estimates (denominator: forced commercial sexual exploitation plus private-economy "
                                 "forced labour)."),
                    datasets=["glotip-editions", "global-estimates"],
                    n=_("{editions} editions, {estimates} estimates", editions=len(ed), estimates=len(d.estimate_share)),
                    data=pd.concat({"detected": ed[[SE, FL]], "estimate_se_share_pct": d.estimate_share.to_frame(SE)}, axis=0))
    if name == "true-se-share-by-edition":
        return dict(title=_("What true sexual-exploitation share fits each detected share?"),
                    description=_("Grey bar: true shares implied by relative detection rates from {low:g} to {high:g}; "
                                  "dots: selected rates (1 = detected share). Text: the rate below which sexual "
                                  "exploitation would be the majority. * 'other' derived as 100 - SE - FL.",
                                  low=s.ratio_min, high=s.ratio_max),
                    caveat=_("The relative detection rate is unknown; these are scenarios over a range, not estimates."),
                    datasets=["glotip-editions"], n=_("{n} editions", n=len(ed)), scenario=True,
                    data=(100 * d.at).round(3).assign(break_even_ratio=d.breakeven))
    if name == "se-share-surface":
        return dict(title=_("True sexual-exploitation share as the relative detection rate grows"),
                    description=_("One line per UNODC edition: the implied true share for every ratio on the grid."),
                    caveat=_(SCENARIO), datasets=["glotip-editions"],
                    n=_("{editions} editions x {ratios} ratios", editions=len(ed), ratios=s.n_ratios),
                    scenario=True, data=(100 * d.surface).round(4))
    if name == "implied-ratios":
        drivers = "; ".join(_("{year}: {name} ({share:.0%} of sexual-exploitation detections)", year=y, name=u,
                                share=share) for y, (u, share) in sorted(d.largest.items()))
        return dict(title=_("Relative detection rates implied by the global estimates: every pairing"),
                    description=_("Odds ratio of the sexual-exploitation share in UNODC detected-victim data to its share in "
                                 "the global estimate, for each estimate, detected source (edition headline shares; country "
                                 "data for the reference year +/- {window}, with and without the country that drives "
                                 "the year's split), and denominator (se_fl: against forced labour only; all: against every "
                                 "other form). Whiskers: suppressed-cell bounds. Shaded: the range without partial years.",
                                  window=s.year_window),
                    caveat=[_(CIRCULARITY_CAVEAT),
                            _("A partial data year (hollow) has far fewer reporting countries than the years before it.")]
                           + ([_("Country left out in the 'without' pairings, by data year: {drivers}.", drivers=drivers)]
                              if drivers else []),
                    datasets=["global-estimates", "glotip-editions", *(releases or d.releases)],
                    n=_("{n} pairings", n=len(d.pairings)), data=d.pairings)
    if name == "bias-analysis":
        return dict(title=_("True sexual-exploitation share when the relative detection rate is uncertain"),
                    description=_("Left: the prior on r ({prior}). Right: for each edition, the detected share and the "
                                  "median and 90% interval of the true share when r is drawn from that prior; "
                                  "P(majority): share of draws in which sexual exploitation is more than half.",
                                  prior=d.prior.describe()),
                    caveat=[_("The prior is a stated assumption, not an estimate; the spread is the prior's, not the "
                              "data's."),
                            _("Detected shares taken as exact; one rate for all non-sexual forms.")],
                    datasets=["glotip-editions"], n=_("{editions} editions x {draws:,} draws", editions=len(ed),
                                                      draws=s.n_draws), scenario=True,
                    data=(d.pba.summary * [100, 100, 100, 100, 100, 1]).round(4))
    raise KeyError(f"caption: no chart {name!r}; charts: {', '.join(CHARTS)}")
