"""Which usage month a file name or a piece of text means ("2024-01"), and which months a year
folder holds (a calendar year `2024`, a fiscal year `2024年度`, SPEC §1.2).

A month travels through recon as `YYYY-MM` text (`month_key` writes it, `year_and_month` reads it
back); 和暦 years become western ones by one table of eras (`era_year`).
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import unicodedata

from msgspec import Struct

from recon.values import visible

_YEAR_MONTH = re.compile(r"(?<![\dA-Za-z])(20\d{2})\s*(?:[-_./]|年)\s*(0?[1-9]|1[0-2])(?!\d)")
_YYYYMM = re.compile(r"(?<![\dA-Za-z])(20\d{2})(0[1-9]|1[0-2])(?!\d)")
_MONTH_KANJI = re.compile(r"(?<![\d.])(0?[1-9]|1[0-2])\s*月")
_COPY_SUFFIX = re.compile(r"\(\d+\)|コピー|copy", re.IGNORECASE)
# A folder named by its year, by form. "plain" is a calendar year unless [year] start_month is set;
# the others are fiscal years (年度), which start in April unless it is set.
_YEAR_FORMS = (
    ("plain", re.compile(r"^(20\d{2})\s*年?$")),
    ("nendo", re.compile(r"^(20\d{2})\s*年度$")),
    ("fy", re.compile(r"^FY\s*-?\s*(20\d{2})$", re.IGNORECASE)),
    ("era", re.compile(r"^(令和|平成|R|H)\s*(元|\d{1,2})\s*年度$", re.IGNORECASE)),
)
# The month a 年度 starts in when recon.toml does not say: April, as the state's (財政法 11条: 国の会計
# 年度は毎年四月一日に始まり翌年三月三十一日に終る) and most Japanese companies'.
FISCAL_START = 4
# 和暦 (the Japanese era calendar, as Excel on a Japanese PC writes dates: ggge年m月): the western year
# of each era's first year (元年), by its name and by its letter. 令和 began on 2019-05-01 (令和元年 =
# 2019), 平成 on 1989-01-08 (平成元年 = 1989). `令和6年1月`, `R6.1`, `R06/01`, `H31.4`, `令和6年度`.
ERAS = {"令和": 2019, "R": 2019, "平成": 1989, "H": 1989}
_MONTH_LABEL = re.compile(r"(?:ご利用月|利用月|対象月|請求対象月)")
_ERA_MONTH = re.compile(r"(令和|平成)\s*(元|\d{1,2})\s*年\s*(0?[1-9]|1[0-2])\s*月"
                        r"|(?<![A-Za-z\d])([RrHh])\s*(元|\d{1,2})\s*(?:[-_./]|年)\s*(0?[1-9]|1[0-2])(?![\d:])")
# Excel's English month formats, as a CSV carries them: `Jan-24` (mmm-yy), `Jan 2024`, `January 2024`.
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NAMED_MONTH = re.compile(r"(?<![A-Za-z])(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
                          r"(?:-(\d{2})|[\s,]+(20\d{2}))(?![\d:])", re.IGNORECASE)


def _fold(text: str) -> str:
    """NFKC (full-width digits, ㋿ → 令和), without the invisible characters of a web copy."""
    return unicodedata.normalize("NFKC", visible(text))


def month_in_text(text: str) -> str | None:
    """`2024年1月分`, `2024-01`, `2024/1`, `202401`, 和暦 `令和6年1月`, `R6.1`, `令和元年5月`, `Jan-24`
    → `2024-01`; None when no year and month."""
    text = _fold(text)
    m = _YEAR_MONTH.search(text) or _YYYYMM.search(text)
    if m:
        return month_key(int(m.group(1)), int(m.group(2)))
    m = _ERA_MONTH.search(text)
    if m:
        era, number, month = m.group(1, 2, 3) if m.group(1) else m.group(4, 5, 6)
        year = era_year(era, number)
        return month_key(year, int(month)) if year is not None else None
    m = _NAMED_MONTH.search(text)
    if m:
        year = int(m.group(3)) if m.group(3) else 2000 + int(m.group(2))
        return month_key(year, _MONTH_NAMES.index(m.group(1).lower()) + 1)
    return None


def bare_month(stem: str) -> int | None:
    """`1月`, `03`, `明細_03` → the month number, when the name gives a month but no year."""
    stem = _COPY_SUFFIX.sub(" ", _fold(stem))
    m = _MONTH_KANJI.search(stem)
    if m:
        return int(m.group(1))
    numbers = [t for t in re.split(r"[\s_\-.・]+", stem) if t.isdigit()]
    if len(numbers) == 1 and re.fullmatch(r"0?[1-9]|1[0-2]", numbers[0]):
        return int(numbers[0])
    return None  # none, or one number among others: a phone number's 03, not a month


def era_year(era: str, number: str) -> int | None:
    """和暦 → western year: (`令和`|`R`|`r`, `6`) → 2024, (`令和`, `元`) → 2019, (`平成`|`H`, `30`) → 2018,
    (`平成`, `31`) → 2019 (the months before 令和 began).

    None for an era recon does not know (`昭和`) or a year 0. Source: 元号を改める政令 (平成31年政令第143号,
    令和元年 = 2019-05-01 onwards) and 元号を改める政令 (昭和64年政令第1号, 平成元年 = 1989-01-08).
    """
    first = ERAS.get(era.upper() if era.isascii() else era)
    years = 1 if number == "元" else int(number) if number.isdecimal() else 0
    return first + years - 1 if first is not None and years >= 1 else None


class FiscalYear(Struct, frozen=True):
    """The twelve months a year folder holds: from month `start` of `year` (`2024年度` with start 4
    is 2024-04 … 2025-03; a calendar year has start 1). `form` is how the folder names it
    ("plain" 2024, "nendo" 2024年度, "fy" FY2024, "era" 令和6年度/R6年度, "settings" when only
    recon.toml gives the year): the previous year's folder is named in the same form."""

    year: int
    start: int
    form: str

    @property
    def months(self) -> tuple[str, ...]:
        """Its twelve months in order, `YYYY-MM` (asked of every file read: worked out once)."""
        return _twelve(self.year, self.start)

    def place(self, number: int) -> str:
        """A month named alone (`1月`) → the one in this year: 1 in 2024年度 (start 4) is 2025-01."""
        return month_key(self.year + (number < self.start), number)

    def previous(self) -> FiscalYear:
        """The year before, named in the same form."""
        return FiscalYear(self.year - 1, self.start, self.form)


@functools.cache
def _twelve(year: int, start: int) -> tuple[str, ...]:
    first = month_key(year, start)
    return tuple(month_range(first, shift(first, 11)))


def named_year(name: str, start_month: int | None = None) -> FiscalYear | None:
    """A folder's name → the year it holds (`2024`, `2024年`, `2024年度`, `FY2024`, `令和6年度`,
    `R6年度`), None for any other name. `start_month` is `[year] start_month` (None: not set)."""
    name = _fold(name).strip()
    for form, pattern in _YEAR_FORMS:
        m = pattern.match(name)
        if not m:
            continue
        year = era_year(m.group(1), m.group(2)) if form == "era" else int(m.group(1))
        if year is None:
            return None
        start = start_month or (1 if form == "plain" else FISCAL_START)
        return FiscalYear(year, start, form)
    return None


def folder_year(name: str, year: int | None = None, start_month: int | None = None) -> FiscalYear | None:
    """The year a build folder holds: recon.toml's `[year] year` when set (a folder not named by
    its year), else its name's (`named_year`); None when neither gives one."""
    named = named_year(name, start_month)
    if year is None or (named is not None and named.year == year):
        return named
    return FiscalYear(year, start_month or 1, "settings")


def month_from_name(stem: str, year: FiscalYear | None) -> tuple[str | None, int | None]:
    """A file's usage month from its name, placed in the folder's `year` if the name has no year.

    Returns (month, None) when the name tells, (None, n) when it gives month n but nothing gives a
    year, and (None, None) when the name says nothing.
    """
    month = _month_named(stem)
    if month:
        return month, None
    number = bare_month(stem)
    if number is None:
        return None, None
    if year is not None:
        return year.place(number), None
    return None, number


def month_from_sheet_name(name: str, year: FiscalYear | None) -> str | None:
    """The usage month a sheet's name gives, when it names one as a person does (`2024年1月`,
    `2024-01`, `令和6年1月`, `1月` placed in the folder's `year`); never a number alone, which is
    how applications name their sheets and tables (`Sheet 4`, `table 4`, `Tabelle4`)."""
    month = _month_named(name)
    if month:
        return month
    m = _MONTH_KANJI.search(_fold(name))
    return year.place(int(m.group(1))) if m and year is not None else None


def _month_named(name: str) -> str | None:
    """The year and month a name gives, a copy's `(2)` or `コピー` aside."""
    return month_in_text(_COPY_SUFFIX.sub(" ", _fold(name)))


def is_month_label(text: str) -> bool:
    """A cell that labels the usage month (ご利用月, 利用月, 対象月)."""
    return bool(_MONTH_LABEL.search(_fold(text)))


def month_key(year: int, number: int) -> str:
    """A usage month as recon writes it everywhere: (2024, 1) → `2024-01`."""
    return f"{year}-{number:02d}"


def year_and_month(month: str) -> tuple[int, int]:
    """`2024-01` → (2024, 1): a month as `month_key` wrote it, read back."""
    year, number = month.split("-")
    return int(year), int(number)


def month_of_date(value: dt.date) -> str:
    """The month a date falls in: 2024-01-31 → `2024-01`."""
    return month_key(value.year, value.month)


def last_day(month: str) -> dt.date:
    """The last day of a month: `2024-02` → 2024-02-29, `2023-02` → 2023-02-28."""
    year, number = year_and_month(month)
    return dt.date(year, number, calendar.monthrange(year, number)[1])


def shift(month: str, by: int) -> str:
    """`2024-04` moved `by` months: (`2024-04`, -12) → `2023-04`, (`2024-12`, 1) → `2025-01`."""
    return _month_at(_ordinal(month) + by)


def month_range(first: str, last: str) -> list[str]:
    """Every month from first to last, inclusive; none when last is before first."""
    return [_month_at(ordinal) for ordinal in range(_ordinal(first), _ordinal(last) + 1)]


def _ordinal(month: str) -> int:
    """Months since the year 0: one number for each month, in order."""
    year, number = year_and_month(month)
    return year * 12 + number - 1


def _month_at(ordinal: int) -> str:
    year, index = divmod(ordinal, 12)
    return month_key(year, index + 1)
