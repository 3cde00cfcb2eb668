"""The corrections register: its validation, the questionnaire-code rule (its count recounted here from
the raw 2025 workbook, read with python-calamine without the suite's loader), and what the loader does
with the rows (kept, flagged, out of every sum)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from critique import datasets
from critique.datasets import paths
from critique.datasets import corrections, glotip_rules
from critique.core.errors import DataError

R25, R23 = "glotip@2025-04-14", "glotip@2023-05-30"
CODE = re.compile(r"^Q(\d+)\.(\d+)_(\d+)s_(\d{4})$")


def _raw_code_rows(path: Path) -> list[tuple[str, str, str, str]]:
    """(Iso3_code, Category, Year, txtVALUE) of raw rows whose category is a questionnaire code and
    whose value is the code's digits followed by a year: an independent recount of the rule."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    header = next(i for i, r in enumerate(rows[:20]) if "txtVALUE" in [str(c).strip() for c in r])
    names = [str(c).strip() for c in rows[header]]
    col = {n: names.index(n) for n in ("Iso3_code", "Category", "Year", "txtVALUE")}
    out = []
    for r in rows[header + 1:]:
        cat, value = str(r[col["Category"]]).strip(), str(r[col["txtVALUE"]]).replace(",", "").strip()
        m = CODE.match(cat)
        if m and value.isdigit() and value.startswith("".join(m.groups()[:3])) and len(value) == len("".join(m.groups()[:3])) + 4:
            out.append((str(r[col["Iso3_code"]]).strip(), cat, str(int(float(r[col["Year"]]))), value))
    return out


def test_register_validates_and_names_rules_the_module_has():
    reg = corrections.register()
    assert reg["id"].is_unique
    assert set(reg.loc[reg["action"] == "exclude", "rule"]) <= set(corrections.RULES)
    assert {"confirmed", "suspected"} >= set(reg["status"])


def test_questionnaire_codes_counted_from_the_raw_file_are_the_rows_the_loader_flags(mirror_dir):
    raw = _raw_code_rows(mirror_dir / "data_glotip_2025-04-14.xlsx")
    assert len(raw) == 120
    assert {r[0] for r in raw} == {"PAK", "SLE"} and {r[2] for r in raw} == {"2019", "2020", "2021"}
    g = datasets.load(R25)
    flagged = g[g["exclude_reason"] == "questionnaire-code"]
    assert len(flagged) == len(raw) == g.attrs["excluded_questionnaire_code"]
    assert sorted(flagged["category"]) == sorted(r[1] for r in raw)
    assert set(flagged["indicator"]) == {"Persons convicted"} and set(flagged["dimension"]) == {"by citizenship"}
    assert flagged["value"].max() == 61212020  # the largest value of the release, now out of every sum
    usable = glotip_rules.usable(g)
    assert usable["value"].max() < 61212020 and len(usable) == len(g) - g["exclude_reason"].notna().sum()
    register_count = corrections.register().set_index("id").loc["glotip-questionnaire-codes", "rows_affected"]
    assert register_count == len(raw)


def test_the_older_release_has_no_questionnaire_code(mirror_dir):
    assert _raw_code_rows(mirror_dir / "data_glotip.xlsx") == []
    assert (datasets.load(R23)["exclude_reason"] == "questionnaire-code").sum() == 0


def test_rule_needs_the_value_to_repeat_the_code():
    frame = pd.DataFrame({"category": ["Q6.1_10s_2019", "Q6.1_10s_2019", "Q6.1_10s_2019", "Nigeria", "Q6.1_2s_2019"],
                          "value": [61102019.0, 37.0, 71102019.0, 61102019.0, 6122019.0]})
    assert corrections.questionnaire_code_rows(frame).tolist() == [True, False, False, False, True]


def test_apply_keeps_rows_and_existing_reasons():
    frame = pd.DataFrame({"category": ["Q6.1_10s_2019", "Q6.1_11s_2019", "x"], "value": [61102019.0, 61112019.0, 5.0],
                          "exclude_reason": pd.array(["placeholder", pd.NA, pd.NA], dtype="string")})
    out = corrections.apply(frame, "glotip")
    assert len(out) == 3
    assert out["exclude_reason"].tolist()[:2] == ["placeholder", "questionnaire-code"]
    assert pd.isna(out["exclude_reason"].iloc[2]) and out.attrs["excluded_questionnaire_code"] == 1


def test_flagged_lists_pakistans_rows_of_the_2025_release_only():
    g = datasets.load(R25)
    rows = corrections.flagged(g, R25)
    pak = rows[rows["correction"] == "glotip-2025-pakistan-year"]
    tot = pak[(pak["sex"] == "Total") & (pak["age"] == "Total")].set_index("year")["value"]
    assert tot.to_dict() == {2019: 32022.0, 2020: 20045.0}
    assert corrections.flagged(datasets.load(R23), R23).query("correction == 'glotip-2025-pakistan-year'").empty


@pytest.fixture
def scratch_root(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("corrections.yml", "corrections.csv"):
        shutil.copy(paths.data_dir() / name, data / name)
    monkeypatch.setenv("CRITIQUE_ROOT", str(tmp_path))
    return data


def test_bad_register_entries_are_refused_naming_column_and_line(scratch_root):
    csv = scratch_root / "corrections.csv"
    text = csv.read_text(encoding="utf-8")
    csv.write_text(text.replace(",questionnaire-code,", ",guessed-rule,", 1), encoding="utf-8")
    with pytest.raises(DataError, match=r"column 'rule', line 2: 'guessed-rule'"):
        corrections.register()
    csv.write_text(text.replace(",confirmed,exclude,", ",confirmed,delete,", 1), encoding="utf-8")
    with pytest.raises(DataError, match="action"):
        corrections.register()
    (scratch_root / "corrections.yml").unlink()
    with pytest.raises(DataError, match="register is missing"):
        corrections.register()
