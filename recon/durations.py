"""Call time in one place: a duration as it is written or stored → an exact number of tenths of a
second, the unit recon keeps every duration in (OCN shows none finer; SPEC §1.1, §7).

- `parse_duration`: text, read exactly. `h:mm:ss(.f)` (hours may exceed 24) or 時間分秒
  (`28時間49分53.5秒`); with `short=True` also the shorter forms call records use, `m:ss(.f)` and
  seconds alone (`125.5`). The first unit written may be any size (`119:54:23.5`, `90秒`,
  `75:00`), the ones after it are under 60; a digit finer than a tenth other than 0 is an error,
  never rounded away.
- `to_tenths`: a number of seconds (an int, a Decimal, a Fraction) or a timedelta → the nearest
  tenth, a half up (`recon.rounding`): what a spreadsheet stores is a binary fraction of a day,
  never exactly a tenth.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction

from recon.rounding import rounded

TENTHS_PER_SECOND = 10
TENTHS_PER_DAY = 864_000
_MICROSECOND = dt.timedelta(microseconds=1)

# The text is plain by now: width folded, spaces and tags gone (values.clean does that).
_HMS = re.compile(r"(\d+):(\d+):(\d+)(?:\.(\d+))?")
_MS = re.compile(r"(\d+):(\d+)(?:\.(\d+))?")
_SECONDS = re.compile(r"(\d+)(?:\.(\d+))?")
_KANJI = re.compile(r"(?:(\d+)時間)?(?:(\d+)分)?(?:(\d+)(?:\.(\d+))?秒)?")


class DurationError(ValueError):
    """The text is not a duration; its message is a key of labels.EXPECTED: `duration` (not of
    these shapes, or a minute or second of 60 or more after the first unit) or `duration_tenths`
    (a digit finer than a tenth)."""


def parse_duration(text: str, short: bool = False) -> int:
    """Plain text (`values.clean`ed, no spaces) → tenths of a second, exactly.

    `28:49:53.5` → 1,037,935; `28時間49分53.5秒` → 1,037,935; `0:00:53.50` → 535; `90秒` → 900;
    with `short`: `2:05.5` → 1,255, `125.5` → 1,255, `125` → 1,250. DurationError otherwise:
    `28:61:00`, `1時間75分` (`duration`), `0:00:53.55` (`duration_tenths`), `2:05` without `short`.
    """
    m = _HMS.fullmatch(text) or (_MS.fullmatch(text) if short else None)
    if m:
        *units, fraction = m.groups()
        return _tenths(units, fraction)
    m = _SECONDS.fullmatch(text) if short else None
    if m:
        return _tenths([m.group(1)], m.group(2))
    m = _KANJI.fullmatch(text)
    if m and any(m.groups()):
        *units, fraction = m.groups()
        return _tenths(units, fraction)
    raise DurationError("duration")


def _tenths(units: list[str | None], fraction: str | None) -> int:
    """([hours,] [minutes,] seconds) as written, None for a unit left out (`1時間30秒`), and the
    digits after the point → tenths. The first unit written may be any size, the others are one
    or two digits under 60."""
    written = [unit for unit in units if unit is not None]
    if any(len(unit) > 2 or int(unit) >= 60 for unit in written[1:]):
        raise DurationError("duration")
    seconds = 0
    for unit in units:
        seconds = seconds * 60 + int(unit or 0)
    return seconds * TENTHS_PER_SECOND + _tenth(fraction)


def _tenth(fraction: str | None) -> int:
    """The digits after the point → the tenth they give; a finer digit that is not 0 is an error."""
    if not fraction:
        return 0
    if fraction[1:].strip("0"):
        raise DurationError("duration_tenths")  # 53.55 s: OCN never shows finer than a tenth
    return int(fraction[0])


def to_tenths(seconds: int | Decimal | Fraction | dt.timedelta) -> int:
    """Seconds (or a timedelta) → the nearest tenth of a second, a half up: Decimal("53.55") → 536,
    timedelta(seconds=4.05) → 41, Fraction(1, 20) → 1. Exact: a Decimal or a Fraction is not
    rounded on the way. An Excel day number is `days * 86,400` seconds (`values.days_to_tenths`)."""
    if isinstance(seconds, dt.timedelta):
        seconds = Fraction(seconds // _MICROSECOND, 1_000_000)
    return rounded(seconds * TENTHS_PER_SECOND)
