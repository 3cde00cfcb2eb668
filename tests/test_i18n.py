"""The reader's language (issue 26): the parameter, the catalogue, numbers and plurals the locale's way.

Expected numbers come from Babel's copy of the Unicode CLDR (the symbols read separately in each
test), and plural forms from the CLDR plural rules written out by hand for the counts tested.
"""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from critique.core import i18n, locale_format as lf
from critique.core.errors import ParameterError
from critique.publish import i18n as reader_lang

LANGS = ("fr", "es", "ru", "zh")


# --- numbers, percentages and dates -------------------------------------------------------------

def test_a_number_is_grouped_the_locales_way_as_cldr_gives_it():
    from babel.numbers import get_decimal_symbol, get_group_symbol

    # what CLDR (in Babel) says each language groups digits with, read independently of the code
    assert get_group_symbol("fr") == "\u202f"  # narrow no-break space
    assert get_group_symbol("es") == "."
    assert get_group_symbol("ru") == "\u00a0"  # no-break space
    assert get_group_symbol("en") == ","
    assert lf.number(12214, lang="fr") == "12\u202f214"
    assert lf.number(12214, lang="es") == "12.214"
    assert lf.number(12214, lang="ru") == "12\u00a0214"
    assert lf.number(12214, lang="en") == "12,214"
    assert lf.number(12214, lang="zh") == "12,214"
    assert lf.number(1234.56, 1, lang="fr") == "1\u202f234" + get_decimal_symbol("fr") + "6"
    assert lf.number(1234.56, 1, lang="es") == "1.234,6"


def test_a_percentage_follows_the_locales_pattern():
    from babel import Locale

    assert Locale.parse("fr").percent_formats[None].pattern == "#,##0\u00a0%"
    assert lf.percent(0.253, lang="fr") == "25\u00a0%"
    assert lf.percent(0.253, 1, lang="fr") == "25,3\u00a0%"
    assert lf.percent(0.253, lang="en") == "25%"
    assert lf.percent(0.253, lang="zh") == "25%"


def test_a_sign_is_written_only_for_a_change_above_zero_after_rounding():
    assert lf.number(5, lang="fr", sign=True) == "+5"
    assert lf.number(-3.2, lang="fr", sign=True) == "-3"
    assert lf.number(0.2, lang="en", sign=True) == "0"  # rounds to 0: no sign


def test_no_value_is_written_as_not_available_in_the_language():
    assert lf.number(None, lang="en") == "n/a"
    assert lf.number(float("nan"), lang="fr") == "n.d."


def test_a_date_is_written_the_locales_way():
    day = dt.date(2026, 12, 6)
    assert lf.date(day, lang="fr") == "6 décembre 2026"
    assert lf.date(day, lang="zh") == "2026年12月6日"
    assert lf.date(day, lang="es") == "6 de diciembre de 2026"
    stamp = dt.datetime(2026, 12, 6, 10, 5, tzinfo=dt.timezone.utc)
    assert lf.datetime_utc(stamp, lang="en") == "2026-12-06 10:05 UTC"  # unchanged English form


# --- plurals ------------------------------------------------------------------------------------

@pytest.mark.parametrize("n,form", [(1, "оговорка"), (3, "оговорки"), (5, "оговорок"), (11, "оговорок"),
                                    (21, "оговорка"), (22, "оговорки")])
def test_russian_plurals_follow_the_cldr_rule(n, form):
    # CLDR ru: one = n%10=1 and n%100!=11; few = n%10=2..4 and n%100!=12..14; else many
    text = i18n.ngettext("(+{n} further caveat in the caption)", "(+{n} further caveats in the caption)", n,
                         lang="ru")
    assert text == f"(+{n} {form} в подписи)"


def test_french_counts_zero_and_one_as_singular_and_english_does_not():
    sg, pl = "(+{n} further caveat in the caption)", "(+{n} further caveats in the caption)"
    assert i18n.ngettext(sg, pl, 0, lang="fr") == "(+0 autre mise en garde dans la légende)"
    assert i18n.ngettext(sg, pl, 2, lang="fr") == "(+2 autres mises en garde dans la légende)"
    assert i18n.ngettext(sg, pl, 0, lang="en") == "(+0 further caveats in the caption)"
    assert i18n.ngettext(sg, pl, 1, lang="en") == "(+1 further caveat in the caption)"


# --- the language as a parameter ----------------------------------------------------------------

def test_an_unknown_language_is_one_line_naming_it_and_the_allowed_ones():
    with pytest.raises(ParameterError) as info:
        reader_lang.choose("de", None)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("--lang: unknown language 'de'")
    for code in ("en", "fr", "es", "ru", "zh"):
        assert f"{code} (" in message


def test_the_language_comes_from_the_option_then_the_set_then_english(tmp_path):
    with_lang = tmp_path / "set.yml"
    with_lang.write_text("name: s\nlang: RU\nnotebooks: {}\n", encoding="utf-8")
    plain = tmp_path / "plain.yml"
    plain.write_text("name: s\nnotebooks: {}\n", encoding="utf-8")
    assert reader_lang.choose(None, with_lang) == "ru"
    assert reader_lang.choose("fr", with_lang) == "fr"
    assert reader_lang.choose(None, plain) == "en"
    assert reader_lang.choose(None, None) == "en"
    bad = tmp_path / "bad.yml"
    bad.write_text("name: s\nlang: klingon\nnotebooks: {}\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"bad\.yml: lang: unknown language 'klingon'; choose one of en"):
        reader_lang.choose(None, bad)


def test_a_translated_build_writes_into_its_own_folder():
    assert reader_lang.out_folder("briefing", "en") == "briefing"
    assert reader_lang.out_folder("smoke", "fr") == "smoke-fr"


def test_the_command_refuses_an_unknown_language_before_running_anything(tmp_path):
    params = tmp_path / "set.yml"
    params.write_text("name: s\nnotebooks: {}\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "critique", "reports", "-f", str(params), "--lang", "xx"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "critique: error: --lang: unknown language 'xx'; choose one of en (English), fr (Français), "
        "es (Español), ru (Русский), zh (中文)"]


# --- the catalogue: lookups, fallback and counting ----------------------------------------------

def test_a_missing_string_falls_back_to_english_and_is_counted():
    i18n.reset_missing()
    assert i18n._("A sentence no catalogue has: {n}", lang="fr", n=3) == "A sentence no catalogue has: 3"
    assert i18n._("A sentence no catalogue has: {n}", lang="fr", n=4) == "A sentence no catalogue has: 4"
    assert i18n.missing("fr") == {"A sentence no catalogue has: {n}": 2}
    assert i18n._("Source: {source}", lang="fr", source="X") == "Source : X"
    assert i18n.missing("fr") == {"A sentence no catalogue has: {n}": 2}  # a translated one is not counted
    assert "1 distinct strings had no translation" in reader_lang.log_line("fr")
    assert i18n.missing("en") == {}  # English is the source: never missing
    i18n.reset_missing()


def test_the_active_language_reaches_child_processes_through_the_environment():
    with i18n.using("zh"):
        code = "from critique.core import i18n; print(i18n.current(), i18n._('Community summary'))"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    assert out.strip() == "zh 社区摘要"
    assert i18n.current() == "en"


def test_the_verdict_words_stay_english_in_the_method_and_translate_where_shown():
    from critique.methods.claims import rules

    assert rules.CANNOT_TEST == "the data cannot test it"
    assert i18n._(rules.CANNOT_TEST, lang="fr") == "les données ne peuvent pas la tester"
    assert all(i18n._(w, lang="zh") != w for w in rules.VERDICTS)
