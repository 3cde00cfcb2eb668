"""Captions of notebook 11's charts, generated from a :class:`DetectionAnalysis`: keyword arguments
(title, description, caveat, datasets, n, scenario, data) for ``critique.figures.charts.finalise``."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from critique.methods.detection.analysis import DetectionAnalysis
from critique.methods.detection.shares import CIRCULARITY_CAVEAT, FL, SE

CHARTS = ("editions-vs-estimates", "true-se-share-by-edition", "se-share-surface", "implied-ratios", "bias-analysis")
SCENARIO = "The relative detection rate is unknown; scenarios over a range, not estimates."


def caption(d: DetectionAnalysis, name: str, *, releases: Sequence[str] = ()) -> dict:
    """Caption keywords for chart ``name`` (one of :data:`CHARTS`); ``releases`` names the GLOTIP
    releases read (for the implied-ratios chart). Raises KeyError naming the charts."""
    s, ed = d.settings, d.editions
    if name == "editions-vs-estimates":
        return dict(title="Detected shares by UNODC edition, beside the global estimates",
                    description=("UNODC headline shares of detected victims by form (edition = release year; data years are "
                                 "earlier) and the sexual-exploitation share of the ILO 2012 and ILO/Walk Free/IOM 2017 and "
                                 "2022 estimates (denominator: forced commercial sexual exploitation plus private-economy "
                                 "forced labour)."),
                    datasets=["glotip-editions", "global-estimates"],
                    n=f"{len(ed)} editions, {len(d.estimate_share)} estimates",
                    data=pd.concat({"detected": ed[[SE, FL]], "estimate_se_share_pct": d.estimate_share.to_frame(SE)}, axis=0))
    if name == "true-se-share-by-edition":
        return dict(title="What true sexual-exploitation share fits each detected share?",
                    description=(f"Grey bar: true shares implied by relative detection rates from {s.ratio_min:g} to "
                                 f"{s.ratio_max:g}; dots: selected rates (1 = detected share). Text: the rate below which "
                                 "sexual exploitation would be the majority. * 'other' derived as 100 - SE - FL."),
                    caveat="The relative detection rate is unknown; these are scenarios over a range, not estimates.",
                    datasets=["glotip-editions"], n=f"{len(ed)} editions", scenario=True,
                    data=(100 * d.at).round(3).assign(break_even_ratio=d.breakeven))
    if name == "se-share-surface":
        return dict(title="True sexual-exploitation share as the relative detection rate grows",
                    description="One line per UNODC edition: the implied true share for every ratio on the grid.",
                    caveat=SCENARIO, datasets=["glotip-editions"], n=f"{len(ed)} editions x {s.n_ratios} ratios",
                    scenario=True, data=(100 * d.surface).round(4))
    if name == "implied-ratios":
        drivers = "; ".join(f"{y}: {u} ({share:.0%} of sexual-exploitation detections)" for y, (u, share) in sorted(d.largest.items()))
        return dict(title="Relative detection rates implied by the global estimates: every pairing",
                    description=("Odds ratio of the sexual-exploitation share in UNODC detected-victim data to its share in "
                                 "the global estimate, for each estimate, detected source (edition headline shares; country "
                                 f"data for the reference year +/- {s.year_window}, with and without the country that drives "
                                 "the year's split), and denominator (se_fl: against forced labour only; all: against every "
                                 "other form). Whiskers: suppressed-cell bounds. Shaded: the range without partial years."),
                    caveat=[CIRCULARITY_CAVEAT,
                            "A partial data year (hollow) has far fewer reporting countries than the years before it."]
                           + ([f"Country left out in the 'without' pairings, by data year: {drivers}."] if drivers else []),
                    datasets=["global-estimates", "glotip-editions", *(releases or d.releases)],
                    n=f"{len(d.pairings)} pairings", data=d.pairings)
    if name == "bias-analysis":
        return dict(title="True sexual-exploitation share when the relative detection rate is uncertain",
                    description=(f"Left: the prior on r ({d.prior.describe()}). Right: for each edition, the detected share "
                                 "and the median and 90% interval of the true share when r is drawn from that prior; "
                                 "P(majority): share of draws in which sexual exploitation is more than half."),
                    caveat=["The prior is a stated assumption, not an estimate; the spread is the prior's, not the data's.",
                            "Detected shares taken as exact; one rate for all non-sexual forms."],
                    datasets=["glotip-editions"], n=f"{len(ed)} editions x {s.n_draws:,} draws", scenario=True,
                    data=(d.pba.summary * [100, 100, 100, 100, 100, 1]).round(4))
    raise KeyError(f"caption: no chart {name!r}; charts: {', '.join(CHARTS)}")
