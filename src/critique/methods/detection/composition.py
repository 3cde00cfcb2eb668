"""Where the global estimates get their composition: the published total's sensitivity to the detected mix.

The ILO / Walk Free / IOM Global Estimates of Modern Slavery 2022 are "derived from multiple data
sources, including about 70 nationally representative household surveys and the CTDC dataset on
victims of trafficking" (CTDC's page on the estimates); that page begins to say that forced commercial
sexual exploitation (CSE) of adults is estimated by its own method, and the stored excerpt stops there,
so which part rests on the case data, and how, is not verified here.
Walby & Francis (2025, Social Indicators Research 176(2):669-693) replace the CTDC data with UNODC's
detected-victim data and state a share of sexual exploitation of 56% instead of 27%, and a total of
65.3 instead of 49.6 million.

:func:`total_at_share` is the one-line sensitivity: keep everything except the CSE component, and set
CSE so that it is ``share`` of privately imposed forced labour (CSE + forced labour exploitation):
``cse(s) = other * s / (1 - s)``, ``total(s) = total - cse + cse(s)``. It is the suite's
reconstruction, not the paper's stated method; :func:`reading` says whether it reproduces the
re-analysis's stated total and whether the stated base share is CSE's share of privately imposed
forced labour. Both rules are tested on both sides of their tolerance (``tests/test_composition.py``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from critique.core.errors import DataError
from critique.core.i18n import _

#: how far (millions of people) a reconstructed total may lie from the stated one and still reproduce it;
#: the stated totals are rounded to 0.1 million
TOLERANCE_M = 0.05
#: how far (percentage points) a computed share may lie from a stated whole-percent share
SHARE_TOLERANCE_PP = 0.5


def total_at_share(total: float, cse: float, other_private: float, share: float) -> tuple[float, float]:
    """CSE and total when CSE is ``share`` (0-1) of privately imposed forced labour, the rest unchanged.

    total: the estimate's total (people); cse: its forced commercial sexual exploitation; other_private:
    its forced labour exploitation outside commercial sex (people). Returns ``(cse_at_share, total_at_share)``.
    Raises DataError for a share outside [0, 1) or a CSE larger than the total.
    """
    if not 0 <= share < 1:
        raise DataError(f"composition: share must be in [0, 1), got {share}")
    if cse > total or min(total, cse, other_private) < 0:
        raise DataError(f"composition: need 0 <= cse <= total and other_private >= 0 (total={total}, cse={cse}, "
                        f"other_private={other_private})")
    new = other_private * share / (1 - share)
    return new, total - cse + new


def reading(base_share_pct: float, computed_base_pct: float, alt_share_pct: float, stated_alt_m: float,
            reconstructed_alt_m: float, other_m: float, base_total_m: float) -> str:
    """The sentence on the sensitivity (millions of people, percent), from two tested comparisons."""
    same_base = abs(base_share_pct - computed_base_pct) <= SHARE_TOLERANCE_PP
    values = dict(base=base_share_pct, computed=computed_base_pct, other=other_m, alt=alt_share_pct,
                  reconstructed=reconstructed_alt_m, stated=stated_alt_m, difference=stated_alt_m - base_total_m)
    base = (_("The stated base share of {base:.0f}% is forced commercial sexual exploitation's share of privately "
              "imposed forced labour in the 2022 estimate ({computed:.1f}%). ", **values) if same_base else
            _("The stated base share of {base:.0f}% is not CSE's share of privately imposed forced labour "
              "({computed:.1f}%), so the re-analysis uses another denominator. ", **values))
    if abs(reconstructed_alt_m - stated_alt_m) <= TOLERANCE_M:
        alt = _("Keeping forced labour exploitation outside commercial sex ({other:.1f} million) and the rest of the "
                "estimate fixed, and raising the sexual share to {alt:.0f}%, gives a total of {reconstructed:.1f} "
                "million, the re-analysis's stated {stated:.1f} million. The stated total is thus consistent with a "
                "change of composition alone (the paper, not read here, may have got there otherwise): on this "
                "reconstruction the whole difference ({difference:+.1f} million people) would follow from which "
                "detected-victim data set the composition. ", **values)
    else:
        alt = _("Keeping forced labour exploitation outside commercial sex ({other:.1f} million) and the rest of the "
                "estimate fixed, and raising the sexual share to {alt:.0f}%, gives {reconstructed:.1f} million, not "
                "the stated {stated:.1f} million: the re-analysis changes more than the sexual share. ", **values)
    return (base + alt + _("Both compositions come from detected victims (CTDC or UNODC), so neither is a measured "
                           "prevalence mix; this is an arithmetic reconstruction, not the paper's stated method."))


@dataclass
class CompositionSensitivity:
    """The reader table (millions), the sentence and the findings of the sensitivity."""

    table: pd.DataFrame
    sentence: str
    flat: dict[str, Any]

    def findings(self) -> dict[str, Any]:
        return {f"composition_{k}": v for k, v in self.flat.items()}


def analyse(estimates: pd.DataFrame, reanalyses: pd.DataFrame, edition: str = "GEMS 2022",
            reanalysis: str = "walby-francis-2025") -> CompositionSensitivity:
    """The sensitivity of ``edition``'s total to its CSE share, against the stated re-analysis.

    estimates: the ``global-estimates`` table; reanalyses: ``global-estimates-reanalyses``. Raises
    DataError naming the edition or re-analysis when a row or a figure is missing.
    """
    e = estimates[estimates["edition"] == edition]
    r = reanalyses[reanalyses["reanalysis_id"] == reanalysis]
    if e.empty or r.empty:
        raise DataError(f"composition: no row for edition {edition!r} in global-estimates or "
                        f"{reanalysis!r} in global-estimates-reanalyses")
    e, r = e.iloc[0], r.iloc[0]
    need = ("total_modern_slavery", "forced_commercial_sexual_exploitation", "forced_labour_private_excl_cse")
    if any(pd.isna(e[k]) for k in need):
        raise DataError(f"composition: global-estimates {edition!r} lacks one of {', '.join(need)}")
    total, cse, other = (float(e[k]) / 1e6 for k in need)
    computed_base = 100 * cse / (cse + other)
    alt_cse, alt_total = total_at_share(total, cse, other, float(r["cse_share_alt_pct"]) / 100)
    rows = [(_("{edition} as published (surveys and CTDC detected cases)", edition=edition), r["cse_share_base_pct"],
             cse, total, e["verification"]),
            (_("{authors} ({year}), as stated (UNODC detected victims in place of CTDC)", authors=r['authors'],
               year=r['year']), r["cse_share_alt_pct"], None, float(r["total_alt"]) / 1e6, r["verification"]),
            (_("reconstruction: forced labour exploitation ({other:.1f} million) kept, sexual share {share:.0f}%",
               other=other, share=r['cse_share_alt_pct']), r["cse_share_alt_pct"], alt_cse, alt_total,
             _("derived here"))]
    table = pd.DataFrame(rows, columns=["row", "sexual_share_pct", "cse_million", "total_million", "grade"])
    table["citation"] = [e["citation"], r["citation"], _("total_at_share (this module): arithmetic on the two rows above")]
    sentence = (reading(float(r["cse_share_base_pct"]), computed_base, float(r["cse_share_alt_pct"]),
                        float(r["total_alt"]) / 1e6, alt_total, other, total)
                + _(" Grades: the estimate's figures {estimate}, the re-analysis's {reanalysis} (where each was read is "
                    "in the table).", estimate=e['verification'], reanalysis=r['verification']))
    flat = {"base_total_m": total, "base_cse_m": cse, "base_share_computed_pct": round(computed_base, 2),
            "alt_share_pct": float(r["cse_share_alt_pct"]), "alt_total_stated_m": float(r["total_alt"]) / 1e6,
            "alt_total_reconstructed_m": round(alt_total, 3), "alt_cse_reconstructed_m": round(alt_cse, 3),
            "grade": str(r["verification"]), "sentence": sentence}
    return CompositionSensitivity(table.round(2), sentence, flat)
