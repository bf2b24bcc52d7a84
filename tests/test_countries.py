"""The destination country of an international number, by the prefix table made from libphonenumber's
metadata (recon/countries.py, scripts/make_countries.py): it agrees with phonenumbers number by number."""
from __future__ import annotations

import phonenumbers
import pytest

from recon import countries, fraud


def _examples():
    """Every example number phonenumbers holds, of every region and type, as dialled from Japan."""
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in range(12):  # phonenumbers.PhoneNumberType: fixed line … voicemail
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                yield region, f"010{example.country_code}{phonenumbers.national_significant_number(example)}", example


EXAMPLES = list(_examples())


def test_every_example_number_is_in_the_country_phonenumbers_gives():
    wrong = []
    for region, dialled, example in EXAMPLES:
        expected = phonenumbers.region_code_for_number(example)
        said = countries.country(dialled)
        if said != f"{expected} (+{example.country_code})":
            wrong.append((region, dialled, expected, said))
    assert len(EXAMPLES) > 1000 and wrong == []


@pytest.mark.parametrize("called, country", [
    ("01012125550100", "US (+1)"), ("01012045551234", "CA (+1)"), ("0101268555", "AG (+1)"),
    ("0101284496", "VG (+1)"), ("0101280123456", "US (+1)"),  # 284 is the British Virgin Islands, 280 no one's
    ("0104420794600", "GB (+44)"), ("0104415342345678", "JE (+44)"), ("0104414812345678", "GG (+44)"),
    ("0107701234567", "KZ (+7)"), ("0107495123456", "RU (+7)"), ("0103906698123", "VA (+39)"),
    ("0108821234567", "+882"), ("010800123", "+800"), ("01088612345678", "TW (+886)"),
    ("0101212****5678", "US (+1)"),  # masked: placed by the digits it shows
    ("010", "?"), ("0101", "?"), ("01076", "?"),  # fewer than two digits after the code
    ("010999123456", "?"), ("01038", "?"),  # no such country code
    ("0101268555123456789012", "?"),  # more than 17 digits after it
])
def test_country_of_a_number_dialled_abroad(called, country):
    assert countries.country(called) == country == fraud.country(called)


def test_numbers_that_share_their_first_digits_share_a_country_whatever_follows():
    assert {countries.country(f"0104420{tail:06d}") for tail in range(0, 10**6, 9973)} == {"GB (+44)"}
