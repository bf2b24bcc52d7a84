"""Rounding to a whole number, in one place: every figure recon shows or computes that is not whole
on its own (a half yen of 着割, the tax on a bill, sen of per-call charges, an average per call).

Exact: the value is taken as the ratio of two integers (an int, a Decimal or a Fraction all are
one), so no float and no Decimal context ever decides a digit. The modes are those the settings
name (`[discount] rounding`, `[tax] rounding`, SPEC §3):

- `floor`: towards minus infinity (-1.5 → -2), as NTT bills round the consumption tax;
- `half_up`: to the nearest, a half away from zero (2.5 → 3, -2.5 → -3), as Decimal's
  ROUND_HALF_UP and as 四捨五入 is taught; every figure a person reads (SPEC §5: "rounded half-up
  like every other figure, never cut");
- `ceil`: towards plus infinity (-1.5 → -1).
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Literal, get_args

Rounding = Literal["floor", "half_up", "ceil"]
ROUNDINGS: tuple[Rounding, ...] = get_args(Rounding)


def rounded(value: int | Decimal | Fraction, rounding: Rounding = "half_up") -> int:
    """`value` to a whole number by `rounding` (floor, half_up, ceil), exactly.

    Yen from a Decimal amount: `rounded(Decimal("1173.5"))` → 1,174; a quotient of integers as a
    Fraction: `rounded(Fraction(7640, 3))` (764 s over 3 calls, in tenths) → 2,547. ValueError for
    a rounding it does not know or a NaN, OverflowError for an infinite Decimal.
    """
    numerator, denominator = value.as_integer_ratio()  # denominator > 0, the sign on the numerator
    quotient, remainder = divmod(numerator, denominator)  # floor division: 0 <= remainder < denominator
    if rounding == "floor" or not remainder:
        return quotient
    if rounding == "ceil":
        return quotient + 1
    if rounding == "half_up":
        twice = 2 * remainder
        return quotient + 1 if twice > denominator or (twice == denominator and numerator > 0) else quotient
    raise ValueError(f"rounding {rounding!r}: one of {', '.join(ROUNDINGS)}")
