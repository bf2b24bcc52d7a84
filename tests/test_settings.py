"""recon.toml: every key optional, exact decimals, one clear error naming a bad key or value."""
from __future__ import annotations

from decimal import Decimal

import pytest

from recon.errors import SettingsError
from recon.settings import defaults_toml, load


def settings_from(tmp_path, text: str, overrides=None):
    path = tmp_path / "recon.toml"
    path.write_text(text, encoding="utf-8")
    return load(path, overrides)


def test_defaults_match_the_spec():
    s = load(None)
    assert (s.discount.rate_yen, s.discount.unit_seconds, s.discount.rounding, s.discount.cap) == (
        Decimal("0.5"), 60, "half_up", True)
    assert (s.tax.rate, s.tax.rounding, s.tolerance.yen, s.tolerance.seconds, s.report.lang) == (
        Decimal("0.10"), "floor", 0, 0, "ja")


def test_toml_decimals_stay_exact(tmp_path):
    s = settings_from(tmp_path, "[tax]\nrate = 0.1\n[discount]\nrate_yen = 0.5\n")
    assert s.tax.rate == Decimal("0.1") and isinstance(s.tax.rate, Decimal)


def test_paths_are_relative_to_the_settings_file(tmp_path):
    s = settings_from(tmp_path, '[report]\noutput = "out/r.xlsx"\ntemplate = "t.xlsx"\n')
    assert s.report.output == tmp_path / "out" / "r.xlsx" and s.report.template == tmp_path / "t.xlsx"


def test_options_override_the_file(tmp_path):
    s = settings_from(tmp_path, '[report]\nlang = "en"\n', {"report": {"lang": "ja", "template": None}})
    assert s.report.lang == "ja"


@pytest.mark.parametrize("text, message", [
    ("[discount]\nrate = 1\n", "recon.toml: expected a known setting, not 'discount.rate', found '1'"),
    ("[color]\nred = 1\n", "recon.toml: expected a known setting, not 'color'"),
    ('[tax]\nrounding = "up"\n', "recon.toml: expected tax.rounding: input should be 'floor', 'half_up' or 'ceil', found 'up'"),
    ("[tolerance]\nyen = -1\n", "recon.toml: expected tolerance.yen: input should be greater than or equal to 0, found '-1'"),
    ('[report]\nlang = "fr"\n', "recon.toml: expected report.lang: input should be 'ja' or 'en', found 'fr'"),
])
def test_bad_key_or_value_is_one_line_naming_it(tmp_path, text, message):
    with pytest.raises(SettingsError) as caught:
        settings_from(tmp_path, text)
    assert str(caught.value) == message


@pytest.mark.parametrize("text, key", [
    ("[year]\nstart_month = 13\n", "year.start_month"),
    ("[year]\nstart_month = 0\n", "year.start_month"),
    ("[year]\nyear = 1999\n", "year.year"),
    ("[year]\nstart = 4\n", "year.start"),
    ("[journal]\nexpence = '通信費'\n", "journal.expence"),
    ("[journal.yayoi]\ntaxible = 'x'\n", "journal.yayoi.taxible"),
    ("[journal.obc]\ntaxable = 'x'\n", "journal.obc"),
    ("[journal]\nsummary = '{yr}年'\n", "journal.summary"),
    ("[journal]\nexpense = ''\n", "journal.expense"),
    ("[calls]\nburst_calls = 1\n", "calls.burst_calls"),
    ("[calls]\nshare = 2\n", "calls.share"),
    ('[tax]\ninternational = "free"\n', "tax.international"),
])
def test_a_bad_setting_of_any_section_names_its_key(tmp_path, text, key):
    with pytest.raises(SettingsError) as caught:
        settings_from(tmp_path, text)
    assert key in str(caught.value)


def test_broken_toml_is_a_settings_error(tmp_path):
    with pytest.raises(SettingsError) as caught:
        settings_from(tmp_path, "[tax\nrate = ")
    assert str(caught.value).startswith("recon.toml: expected valid TOML")


def test_the_scaffolded_defaults_load_as_the_defaults(tmp_path):
    assert settings_from(tmp_path, defaults_toml()) == load(None)
