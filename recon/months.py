"""Which usage month a file name or a piece of text means ("2024-01")."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from recon.values import visible

_YEAR_MONTH = re.compile(r"(?<![\dA-Za-z])(20\d{2})\s*(?:[-_./]|年)\s*(0?[1-9]|1[0-2])(?!\d)")
_YYYYMM = re.compile(r"(?<![\dA-Za-z])(20\d{2})(0[1-9]|1[0-2])(?!\d)")
_MONTH_KANJI = re.compile(r"(?<![\d.])(0?[1-9]|1[0-2])\s*月")
_COPY_SUFFIX = re.compile(r"\(\d+\)|コピー|copy", re.IGNORECASE)
_YEAR_FOLDER = re.compile(r"^(20\d{2})\s*年?$")
_MONTH_LABEL = re.compile(r"(?:ご利用月|利用月|対象月|請求対象月)")
# 和暦 (the Japanese era calendar, as Excel on a Japanese PC writes dates: ggge年m月): 令和 began on
# 2019-05-01 (令和元年 = 2019), 平成 on 1989-01-08 (平成元年 = 1989). `令和6年1月`, `R6.1`, `R06/01`, `H31.4`.
_ERA_FIRST_YEAR = {"令和": 2019, "r": 2019, "平成": 1989, "h": 1989}
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
        return f"{m.group(1)}-{int(m.group(2)):02d}"
    m = _ERA_MONTH.search(text)
    if m:
        era, year, month = m.group(1, 2, 3) if m.group(1) else m.group(4, 5, 6)
        number = 1 if year == "元" else int(year)
        return f"{_ERA_FIRST_YEAR[era.lower()] + number - 1}-{int(month):02d}" if number else None
    m = _NAMED_MONTH.search(text)
    if m:
        year = int(m.group(3)) if m.group(3) else 2000 + int(m.group(2))
        return f"{year}-{_MONTH_NAMES.index(m.group(1).lower()) + 1:02d}"
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


def year_of_folder(name: str) -> int | None:
    """`2024` or `2024年` → 2024: a folder named by a year."""
    m = _YEAR_FOLDER.match(_fold(name))
    return int(m.group(1)) if m else None


def month_from_name(stem: str, folders: list[str]) -> tuple[str | None, int | None]:
    """A file's usage month from its name, the year from the nearest year folder if the name has none.

    Returns (month, None) when the name tells, (None, n) when it gives month n but nothing gives a
    year, and (None, None) when the name says nothing.
    """
    month = month_in_text(_COPY_SUFFIX.sub(" ", _fold(stem)))
    if month:
        return month, None
    number = bare_month(stem)
    if number is None:
        return None, None
    for folder in folders:
        year = year_of_folder(folder)
        if year:
            return f"{year}-{number:02d}", None
    return None, number


def is_month_label(text: str) -> bool:
    """A cell that labels the usage month (ご利用月, 利用月, 対象月)."""
    return bool(_MONTH_LABEL.search(_fold(text)))


def month_of_date(value: dt.date) -> str:
    return f"{value.year}-{value.month:02d}"


def month_range(first: str, last: str) -> list[str]:
    """Every month from first to last, inclusive."""
    y, m = map(int, first.split("-"))
    end = tuple(map(int, last.split("-")))
    out = []
    while (y, m) <= end:
        out.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
