"""recon.toml: every key optional, exact decimals, one clear error naming a bad key or value."""
from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest
from pydantic import ValidationError

from recon.errors import SettingsError
from recon.settings import Settings, _Section, defaults, defaults_toml, load


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
    ("[discount]\nrate = 1\n", "recon.toml: expected a known setting, found 'discount.rate'"),
    ("[color]\nred = 1\n", "recon.toml: expected a known setting, found 'color'"),
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


@pytest.mark.parametrize("text, message", [
    ("[discount]\nrate = 1\n", "recon.toml: recon の設定項目が必要ですが「discount.rate」でした"),
    ('[tax]\nrounding = "up"\n', "recon.toml: tax.rounding には 'floor'・'half_up'・'ceil' のどれかが必要ですが「up」でした"),
    ("[tolerance]\nyen = -1\n", "recon.toml: tolerance.yen には 0 以上の数が必要ですが「-1」でした"),
    ("[year]\nstart_month = 13\n", "recon.toml: year.start_month には 12 以下の数が必要ですが「13」でした"),
    ('[year]\nstart_month = "x"\n', "recon.toml: year.start_month には整数が必要ですが「x」でした"),
    ("[discount]\ncap = 3\n", "recon.toml: discount.cap には true か false が必要ですが「3」でした"),
    ('[calls]\ntimezone = "Mars"\n', "recon.toml: calls.timezone にはタイムゾーンのデータベースにある名前が必要ですが"
                                     "「Mars」でした。UTC や Asia/Tokyo のように書いてください"),
    ("[anomaly]\nfactor = 1e30\n", "recon.toml: anomaly.factor には 10^15 未満で小数 15 桁までの数が必要ですが「1E+30」でした"),
])
def test_a_bad_setting_is_said_in_japanese_words_too(tmp_path, text, message):
    with pytest.raises(SettingsError) as caught:
        settings_from(tmp_path, text)
    assert caught.value.render("ja") == message


def test_broken_toml_is_a_settings_error(tmp_path):
    with pytest.raises(SettingsError) as caught:
        settings_from(tmp_path, "[tax\nrate = ")
    assert str(caught.value).startswith("recon.toml: expected valid TOML")


def test_the_scaffolded_defaults_load_as_the_defaults(tmp_path):
    assert settings_from(tmp_path, defaults_toml()) == load(None)


def _sections(model=None):
    model = model or _Section
    for sub in model.__subclasses__():
        yield sub
        yield from _sections(sub)


_FROM_NOTHING = sorted({m for m in _sections() if not any(f.is_required() for f in m.__pydantic_fields__.values())},
                       key=lambda m: m.__name__)  # TaxCategories, whose `taxable` each product sets, is not


def test_every_settings_section_is_looked_at():
    assert {m.__name__ for m in _FROM_NOTHING} >= {"Settings", "DiscountSettings", "JournalSettings", "MfTaxCategories"}


@pytest.mark.parametrize("model", _FROM_NOTHING, ids=lambda m: m.__name__)
def test_defaults_made_without_validators_are_what_validating_nothing_gives(model):
    made, validated = defaults(model), model.model_validate({})
    assert made == validated and repr(made) == repr(validated)
    assert made.model_dump() == validated.model_dump()
    assert made.model_fields_set == validated.model_fields_set == set()
    for name in model.__pydantic_fields__:
        assert type(getattr(made, name)) is type(getattr(validated, name)), name


def test_a_folder_that_sets_nothing_gets_the_validated_defaults(tmp_path):
    nothing = Settings.model_validate({})
    assert load(None) == nothing
    assert load(None, {"report": {"lang": None, "template": None, "output": None}}) == nothing
    assert settings_from(tmp_path, defaults_toml()) == nothing  # every section there, nothing set in one
    with pytest.raises(ValidationError):
        load(None).tax.rate = Decimal(0)  # frozen, as validated settings are


def test_a_folder_that_sets_nothing_builds_no_validator(tmp_path):
    """The validators (about 15 ms of a start) are built only once something is set."""
    script = ("from recon.settings import Settings, load\n"
              "load(None, {'report': {'lang': None}}); print(Settings.__pydantic_complete__)\n"
              "load(None, {'report': {'lang': 'en'}}); print(Settings.__pydantic_complete__)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]


@pytest.mark.parametrize("text", ["[discount]\nrate_yen = -1\n", "[nonsense]\n", "discount = 5\n",
                                  "[journal]\n[journal.yayoi]\ntaxable = 1\n"])
def test_an_empty_looking_file_that_sets_something_is_still_validated(tmp_path, text):
    with pytest.raises(SettingsError):
        settings_from(tmp_path, text)
