"""Which usage month a file is (SPEC §1.2): one row per way of naming it."""
from __future__ import annotations

import pytest

import datetime as dt

from recon.months import (ERAS, bare_month, era_year, last_day, month_from_name, month_in_text, month_key,
                          month_of_date, month_range, named_year, shift, year_and_month)

# ── month_from_name: (month, None) | (None, bare month number) | (None, None) ───────────────────

@pytest.mark.parametrize("stem, folder, expected", [
    # the name carries year and month
    ("2024-01", None, ("2024-01", None)),
    ("2024_01", None, ("2024-01", None)),
    ("202401", None, ("2024-01", None)),
    ("2024年1月", None, ("2024-01", None)),
    ("2024年1月分", None, ("2024-01", None)),
    ("2024年01月分", None, ("2024-01", None)),
    ("２０２４年１月分", None, ("2024-01", None)),
    ("2024-12", None, ("2024-12", None)),
    ("2024.1", None, ("2024-01", None)),
    ("通話明細_2024-03", None, ("2024-03", None)),
    ("O50IP電話 2024年1月分", None, ("2024-01", None)),
    ("050IP電話_202402", None, ("2024-02", None)),
    # the name's own year wins over the folder's
    ("2023-12", "2024", ("2023-12", None)),
    # a month without a year: the year comes from the folder named by its year
    ("1月", "2024", ("2024-01", None)),
    ("１月", "2024", ("2024-01", None)),
    ("１２月", "2024", ("2024-12", None)),
    ("01", "2024", ("2024-01", None)),
    ("1月", "2024年", ("2024-01", None)),
    ("01", "2024年", ("2024-01", None)),
    ("明細_03", "2024", ("2024-03", None)),
    ("O50IP電話 1月", "2024", ("2024-01", None)),
    # a copy suffix is not a month
    ("2024-01 (2)", None, ("2024-01", None)),
    ("2024-01(3)", None, ("2024-01", None)),
    ("202401 (2)", None, ("2024-01", None)),
    ("2024-01 - コピー", None, ("2024-01", None)),
    ("2024-01 - Copy", None, ("2024-01", None)),
    ("1月 (2)", "2024", ("2024-01", None)),
    ("1月(2)", "2024", ("2024-01", None)),
    ("(2)", "2024", (None, None)),
    ("明細 (2)", "2024", (None, None)),
    ("memo (3)", "2024", (None, None)),
    # digits that belong to something else are not a month
    ("050", "2024", (None, None)),
    ("O50IP電話", "2024", (None, None)),
    ("050IP電話", "2024", (None, None)),
    ("O50IP電話 明細", "2024", (None, None)),
    ("050-1234-5678", "2024", (None, None)),
    ("090-1234-5678", "2024", (None, None)),
    ("05012345678", "2024", (None, None)),
    ("03-1234-5678", "2024", (None, None)),  # a two-digit area code is not a month
    ("06-6123-4567", "2024", (None, None)),
    ("2024-13", None, (None, None)),
    ("20240115", None, (None, None)),
    ("memo", "2024", (None, None)),
    ("", "2024", (None, None)),
    # a month and no year anywhere: the month number, for an error that says how to name the file
    ("1月", None, (None, 1)),
    ("01", None, (None, 1)),
    ("１２月", None, (None, 12)),
    ("1月", "本社", (None, 1)),
    ("1月", "FY2024", ("2025-01", None)),  # a fiscal year from April (tests/test_fiscal.py)
])
def test_month_from_name_gives_the_month_or_the_bare_month_number(stem, folder, expected):
    assert month_from_name(stem, named_year(folder) if folder else None) == expected


# ── month_in_text ────────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("text, expected", [
    ("2024-01", "2024-01"),
    ("2024_01", "2024-01"),
    ("2024/1", "2024-01"),
    ("2024/01", "2024-01"),
    ("202401", "2024-01"),
    ("2024年1月", "2024-01"),
    ("2024年1月分", "2024-01"),
    ("2024年 1月", "2024-01"),
    ("２０２４年１２月", "2024-12"),
    ("ご利用月：２０２４年１月", "2024-01"),
    ("利用月 2024/10", "2024-10"),
    ("2024-01-15", "2024-01"),
    ("1月", None),  # no year
    ("今月は3月です", None),
    ("O50IP電話", None),
    ("050-1234-5678", None),
    ("TEL 050-2024-1234", None),
    ("202413", None),
    ("2024-00", None),
    ("20240", None),
    ("", None),
])
def test_month_in_text_needs_a_year_and_a_month(text, expected):
    assert month_in_text(text) == expected


# ── bare_month ───────────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("stem, expected", [
    ("1月", 1),
    ("１月", 1),
    ("12月", 12),
    ("01", 1),
    ("1", 1),
    ("12", 12),
    ("明細_03", 3),
    ("1月 (2)", 1),
    ("13", None),
    ("0", None),
    ("00", None),
    ("13月", None),
    ("050", None),
    ("O50IP電話", None),
    ("050-1234-5678", None),
    ("(2)", None),
    ("コピー", None),
    ("2024", None),
    ("memo", None),
])
def test_bare_month_reads_a_month_number_without_a_year(stem, expected):
    assert bare_month(stem) == expected


# ── named_year: a folder named by its year → (year, first month, form) ─────────────────────────

@pytest.mark.parametrize("name, expected", [
    ("2024", (2024, 1, "plain")),
    ("2024年", (2024, 1, "plain")),
    ("２０２４", (2024, 1, "plain")),
    ("２０２４年", (2024, 1, "plain")),
    ("2099", (2099, 1, "plain")),
    ("2024年度", (2024, 4, "nendo")),
    ("２０２４年度", (2024, 4, "nendo")),
    ("FY2024", (2024, 4, "fy")),
    ("fy2024", (2024, 4, "fy")),
    ("FY 2024", (2024, 4, "fy")),
    ("ＦＹ２０２４", (2024, 4, "fy")),
    ("令和6年度", (2024, 4, "era")),
    ("令和６年度", (2024, 4, "era")),
    ("令和元年度", (2019, 4, "era")),
    ("令和1年度", (2019, 4, "era")),
    ("R6年度", (2024, 4, "era")),
    ("r6年度", (2024, 4, "era")),
    ("Ｒ６年度", (2024, 4, "era")),
    ("平成30年度", (2018, 4, "era")),
    ("H30年度", (2018, 4, "era")),
    ("本社", None),
    ("大阪支店", None),
    ("2024-01", None),
    ("2024年1月", None),
    ("令和0年度", None),
    ("昭和64年度", None),
    ("FY24", None),
    ("1999", None),
    ("24", None),
    ("", None),
])
def test_named_year_reads_a_folder_named_by_a_year(name, expected):
    year = named_year(name)
    assert (year and (year.year, year.start, year.form)) == expected


# ── shift ────────────────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("month, by, expected", [
    ("2024-04", -12, "2023-04"),
    ("2024-04", -1, "2024-03"),
    ("2024-01", -1, "2023-12"),
    ("2024-12", 1, "2025-01"),
    ("2024-04", 11, "2025-03"),
    ("2024-04", 0, "2024-04"),
])
def test_shift_moves_a_month_across_years(month, by, expected):
    assert shift(month, by) == expected


# ── month_range ──────────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("first, last, expected", [
    ("2024-01", "2024-01", ["2024-01"]),
    ("2024-01", "2024-03", ["2024-01", "2024-02", "2024-03"]),
    ("2024-11", "2025-02", ["2024-11", "2024-12", "2025-01", "2025-02"]),
    ("2023-12", "2024-01", ["2023-12", "2024-01"]),
    ("2024-03", "2024-01", []),
])
def test_month_range_is_every_month_inclusive(first, last, expected):
    assert month_range(first, last) == expected


def test_month_range_over_two_years_has_every_month_once():
    months = month_range("2023-04", "2025-03")
    assert len(months) == 24
    assert len(set(months)) == 24
    assert months[0] == "2023-04" and months[-1] == "2025-03"
    assert "2024-12" in months and "2025-01" in months


# ── era_year: 和暦 → western year, from the one table of eras ───────────────────────────────────

@pytest.mark.parametrize("era, number, expected", [
    ("令和", "6", 2024),  # 2019 + 6 − 1
    ("令和", "元", 2019),  # 元年 is the first year
    ("令和", "1", 2019),
    ("R", "6", 2024),
    ("r", "6", 2024),  # the letter in either case
    ("R", "06", 2024),
    ("平成", "30", 2018),  # 1989 + 30 − 1
    ("平成", "31", 2019),  # 平成31年 ran to 2019-04-30
    ("平成", "元", 1989),
    ("H", "31", 2019),
    ("h", "1", 1989),
    ("令和", "0", None),  # there is no year 0
    ("昭和", "64", None),  # an era recon does not know
    ("S", "64", None),
    ("令和", "", None),
    ("令和", "x", None),
])
def test_era_year_by_hand(era, number, expected):
    assert era_year(era, number) == expected


def test_one_table_of_eras_by_name_and_letter():
    assert ERAS == {"令和": 2019, "R": 2019, "平成": 1989, "H": 1989}


@pytest.mark.parametrize("text, expected", [
    # the same eras in a month (month_in_text) and in a fiscal year's folder (named_year)
    ("令和6年1月", "2024-01"),
    ("令和元年5月", "2019-05"),
    ("平成31年4月", "2019-04"),
    ("R6.1", "2024-01"),
    ("H31.4", "2019-04"),
    ("令和0年1月", None),
])
def test_an_era_month_reads_as_its_western_month(text, expected):
    assert month_in_text(text) == expected


@pytest.mark.parametrize("name, year", [("令和6年度", 2024), ("R6年度", 2024), ("平成31年度", 2019), ("令和元年度", 2019)])
def test_an_era_fiscal_year_reads_as_its_western_year(name, year):
    found = named_year(name)
    assert found is not None and (found.year, found.form) == (year, "era")


# ── month forms: YYYY-MM written and read back, its last day ─────────────────────────────────────

@pytest.mark.parametrize("year, number, key", [
    (2024, 1, "2024-01"),
    (2024, 12, "2024-12"),
    (2019, 5, "2019-05"),
])
def test_month_key_and_year_and_month_are_each_others_inverse(year, number, key):
    assert month_key(year, number) == key
    assert year_and_month(key) == (year, number)


@pytest.mark.parametrize("day, key", [
    (dt.date(2024, 1, 31), "2024-01"),
    (dt.datetime(2024, 12, 1, 23, 59), "2024-12"),
])
def test_month_of_date(day, key):
    assert month_of_date(day) == key


@pytest.mark.parametrize("month, expected", [
    ("2024-01", dt.date(2024, 1, 31)),
    ("2024-02", dt.date(2024, 2, 29)),  # a leap year
    ("2023-02", dt.date(2023, 2, 28)),
    ("2100-02", dt.date(2100, 2, 28)),  # a century not divisible by 400 is no leap year
    ("2000-02", dt.date(2000, 2, 29)),
    ("2024-04", dt.date(2024, 4, 30)),
    ("2024-12", dt.date(2024, 12, 31)),
])
def test_last_day_of_a_month(month, expected):
    assert last_day(month) == expected
