"""recon.rounding: a value to a whole number by floor, half_up or ceil, exactly. Each expected value
below is worked out by hand; the property test at the end compares with Decimal's own roundings."""
from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recon.model import sen_to_yen
from recon.rounding import ROUNDINGS, rounded


@pytest.mark.parametrize("value, floor, half_up, ceil", [
    # whole numbers stay as they are, whatever the mode
    (0, 0, 0, 0),
    (7, 7, 7, 7),
    (-7, -7, -7, -7),
    (Decimal("1174"), 1174, 1174, 1174),
    # SPEC §2: 2,347 units * 0.5 yen = 1,173.5 yen of 着割 → 1,174 half up
    (Decimal("1173.5"), 1173, 1174, 1174),
    (Decimal("-1173.5"), -1174, -1174, -1173),  # a half goes away from zero; floor goes down
    # SPEC §2: taxable 32,046 * 1.10 = 35,250.6 → 35,250 by floor (NTT's rounding of the tax)
    (Decimal("32046") * Decimal("1.10"), 35250, 35251, 35251),
    (Decimal("0.4"), 0, 0, 1),
    (Decimal("0.5"), 0, 1, 1),
    (Decimal("0.6"), 0, 1, 1),
    (Decimal("-0.4"), -1, 0, 0),
    (Decimal("-0.5"), -1, -1, 0),
    (Decimal("-0.6"), -1, -1, 0),
    (Decimal("2.5"), 2, 3, 3),  # not to even (ROUND_HALF_EVEN would give 2)
    (Decimal("3.5"), 3, 4, 4),
    (Decimal("0.4999999999999999999999999999"), 0, 0, 1),
    # hundredths of a yen: 1,550 sen = 15.5 yen → 16; 1,549 sen → 15; -1,550 sen → -16
    (Fraction(1550, 100), 15, 16, 16),
    (Fraction(1549, 100), 15, 15, 16),
    (Fraction(-1550, 100), -16, -16, -15),
    # 764 s over 3 calls = 254.666… s = 2,546.66… tenths → 2,547 (0:04:14.7)
    (Fraction(7640, 3), 2546, 2547, 2547),
    # 100 yen over 3 calls = 33.333… yen = 3,333.33… sen → 3,333 (33.33 yen)
    (Fraction(10000, 3), 3333, 3333, 3334),
    (Fraction(-10000, 3), -3334, -3333, -3333),
    # a tenth of a second is 1/10 s: 0.05 s is half a tenth → 1 tenth half up
    (Fraction(1, 2), 0, 1, 1),
    (Fraction(-1, 2), -1, -1, 0),
    # a third of 10 % tax: 10,000 yen incl. holds 10,000 * 0.1 / 1.1 = 909.09… yen of tax
    (Decimal(10000) * Decimal("0.10") / Decimal("1.10"), 909, 909, 910),
])
def test_rounded_by_each_mode(value, floor, half_up, ceil):
    assert (rounded(value, "floor"), rounded(value, "half_up"), rounded(value, "ceil")) == (floor, half_up, ceil)


def test_half_up_is_the_default():
    assert rounded(Decimal("1173.5")) == 1174
    assert rounded(Fraction(-5, 2)) == -3


def test_the_modes_are_those_the_settings_name():
    assert ROUNDINGS == ("floor", "half_up", "ceil")


def test_an_unknown_rounding_is_an_error_naming_the_modes():
    with pytest.raises(ValueError) as error:
        rounded(Decimal("1.5"), "half_even")  # type: ignore[arg-type]  # the wrong mode is the test
    assert str(error.value) == "rounding 'half_even': one of floor, half_up, ceil"


def test_a_whole_result_is_an_int_not_a_decimal():
    assert type(rounded(Decimal("2.5"))) is int


_DECIMAL_MODE = {"floor": ROUND_FLOOR, "half_up": ROUND_HALF_UP, "ceil": ROUND_CEILING}


@given(st.integers(-10**15, 10**15), st.integers(1, 10**6), st.sampled_from(ROUNDINGS))
def test_compared_with_decimal_quantize(numerator, denominator, rounding):
    """The integer arithmetic against Decimal's quantize in a context wide enough to be exact."""
    with localcontext() as exact:
        exact.prec = 60
        expected = int((Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1), _DECIMAL_MODE[rounding]))
    assert rounded(Fraction(numerator, denominator), rounding) == expected


@pytest.mark.parametrize("sen, yen", [
    (0, 0),
    (1549, 15),  # 15.49 yen
    (1550, 16),  # 15.50 yen: a half, up
    (1551, 16),
    (49, 0),
    (50, 1),
    (-1550, -16),  # a half away from zero, as a credit is shown
    (-1549, -15),
    (13009000, 130090),
])
def test_sen_to_yen_rounds_a_half_yen_up(sen, yen):
    """Per-call charges to the sen as the whole yen a person reads (SPEC §7), by recon.rounding."""
    assert sen_to_yen(sen) == yen
