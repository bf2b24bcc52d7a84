"""A phone number as a person writes it, where recon quotes one (a finding, the flagged calls).

Call records are summed by the number's digits (`05055550107`); a person reads and searches for it
as written on the bill and in numbers.csv, `050-5555-0107`. Japanese numbers are hyphenated by
Google's libphonenumber data (`phonenumbers`: the 市外局番 and 050/0120/0570 blocks as the
総務省 numbering plan assigns them); an international number dialled from Japan is written
`010-<country code>-<number>`. Digits the data does not know stay as they are.
"""
from __future__ import annotations

import functools

INTERNATIONAL_PREFIX = "010"  # 国際電話の識別番号 dialled from Japan


@functools.lru_cache(maxsize=4096)
def shown_number(digits: str) -> str:
    """`05055550107` → `050-5555-0107`, `0101212555515` → `010-1-212555515`; other text as it is."""
    if not digits.isdigit():
        return digits
    import phonenumbers

    try:
        if digits.startswith(INTERNATIONAL_PREFIX):
            number = phonenumbers.parse("+" + digits[len(INTERNATIONAL_PREFIX):], None)
            return f"{INTERNATIONAL_PREFIX}-{number.country_code}-{number.national_number}"
        number = phonenumbers.parse(digits, "JP")
    except phonenumbers.NumberParseException:
        return digits
    if not phonenumbers.is_possible_number(number):
        return digits
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
