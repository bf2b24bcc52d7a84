"""recon.durations: a duration as written or stored → exact tenths of a second. One row per written
form, the value worked out by hand beside it (h * 36,000 + m * 600 + s * 10 + the tenth)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from recon.durations import TENTHS_PER_DAY, DurationError, parse_duration, to_tenths

SEED_GENERAL = 1_037_935  # 28:49:53.5 = 28 * 36,000 + 49 * 600 + 53 * 10 + 5


@pytest.mark.parametrize("text, tenths", [
    ("28:49:53.5", SEED_GENERAL),
    ("28時間49分53.5秒", SEED_GENERAL),
    ("119:54:23.5", 4_316_635),  # hours over 24: 119 * 36,000 + 54 * 600 + 23 * 10 + 5
    ("39:07:43.0", 1_408_630),  # SPEC §2: 140,863 s
    ("39:07:43", 1_408_630),
    ("0:00:00", 0),
    ("0:00:00.1", 1),
    ("0:00:53.50", 535),  # a trailing zero is no finer digit
    ("0:00:53.500", 535),
    ("1:2:3", 37_230),  # 1 * 36,000 + 2 * 600 + 3 * 10
    ("1000:00:00", 36_000_000),
    ("28時間", 1_008_000),
    ("49分", 29_400),
    ("53.5秒", 535),
    ("1時間30秒", 36_300),  # the minutes left out
    ("1時間5分", 39_000),
    # the first unit written may be any size (as hours in h:mm:ss): 90 s, 75 min, 125 min 30 s
    ("90秒", 900),
    ("75分", 45_000),
    ("125分30秒", 75_300),
])
def test_parse_duration_by_hand(text, tenths):
    assert parse_duration(text) == tenths


@pytest.mark.parametrize("text, tenths", [
    # the shorter forms of call records, with short=True
    ("2:05", 1_250),  # m:ss: 2 * 600 + 5 * 10
    ("2:05.5", 1_255),
    ("75:00", 45_000),  # minutes first: any size
    ("125", 1_250),  # seconds alone
    ("125.5", 1_255),
    ("0.1", 1),
    ("125.50", 1_255),
    ("0:02:05", 1_250),  # the long forms still read
    ("2分5秒", 1_250),
])
def test_parse_duration_short_forms_by_hand(text, tenths):
    assert parse_duration(text, short=True) == tenths


@pytest.mark.parametrize("text, key", [
    ("28:61:00", "duration"),  # 61 minutes after the hours
    ("28:00:60", "duration"),
    ("1:007:00", "duration"),  # a minute of three digits
    ("1時間75分", "duration"),
    ("1時間60秒", "duration"),
    ("1分60秒", "duration"),
    ("0:00:53.55", "duration_tenths"),  # finer than a tenth, never rounded away
    ("0:00:53.05", "duration_tenths"),
    ("53.55秒", "duration_tenths"),
    ("28:49:53.", "duration"),
    ("-0:01:00", "duration"),
    ("2:05", "duration"),  # m:ss only with short=True
    ("125", "duration"),  # seconds alone only with short=True
    ("", "duration"),
    ("時間", "duration"),
    ("秒", "duration"),
    ("1.2.3秒", "duration"),
    ("5.5分", "duration"),  # a fraction is of a second only
    ("28:4x:53", "duration"),
])
def test_parse_duration_refuses_with_the_reason(text, key):
    with pytest.raises(DurationError) as e:
        parse_duration(text)
    assert str(e.value) == key


@pytest.mark.parametrize("text, key", [
    ("2:60", "duration"),
    ("125.55", "duration_tenths"),
    ("1:2:3:4", "duration"),
])
def test_parse_duration_short_forms_refuse_too(text, key):
    with pytest.raises(DurationError) as e:
        parse_duration(text, short=True)
    assert str(e.value) == key


@pytest.mark.parametrize("seconds, tenths", [
    (0, 0),
    (125, 1_250),
    (Decimal("103793.5"), SEED_GENERAL),
    (Decimal("53.54"), 535),  # 535.4 tenths → 535
    (Decimal("53.55"), 536),  # 535.5 tenths: a half, up
    (Decimal("53.56"), 536),
    (Decimal("4.05"), 41),  # 40.5 → 41, not to even (40)
    (Decimal("-4.05"), -41),  # a half away from zero
    (Fraction(1, 20), 1),  # 0.05 s = half a tenth
    (Fraction(1, 30), 0),  # 0.033… s
    (dt.timedelta(seconds=4, milliseconds=50), 41),
    (dt.timedelta(seconds=4, milliseconds=49, microseconds=999), 40),
    (dt.timedelta(hours=28, minutes=49, seconds=53, milliseconds=500), SEED_GENERAL),
    (dt.timedelta(days=1), TENTHS_PER_DAY),
])
def test_to_tenths_is_the_nearest_tenth_half_up(seconds, tenths):
    assert to_tenths(seconds) == tenths


def test_a_day_is_864000_tenths():
    assert TENTHS_PER_DAY == 24 * 60 * 60 * 10
