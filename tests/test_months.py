"""Which usage month a file is (SPEC §1.2): one row per way of naming it."""
from __future__ import annotations

import pytest

from recon.months import bare_month, month_from_name, month_in_text, month_range, year_of_folder

# ── month_from_name: (month, None) | (None, bare month number) | (None, None) ───────────────────

@pytest.mark.parametrize("stem, folders, expected", [
    # the name carries year and month
    ("2024-01", [], ("2024-01", None)),
    ("2024_01", [], ("2024-01", None)),
    ("202401", [], ("2024-01", None)),
    ("2024年1月", [], ("2024-01", None)),
    ("2024年1月分", [], ("2024-01", None)),
    ("2024年01月分", [], ("2024-01", None)),
    ("２０２４年１月分", [], ("2024-01", None)),
    ("2024-12", [], ("2024-12", None)),
    ("2024.1", [], ("2024-01", None)),
    ("通話明細_2024-03", [], ("2024-03", None)),
    ("O50IP電話 2024年1月分", [], ("2024-01", None)),
    ("050IP電話_202402", [], ("2024-02", None)),
    # the name's own year wins over the folder's
    ("2023-12", ["2024"], ("2023-12", None)),
    # a month without a year: the year comes from the nearest year folder
    ("1月", ["2024"], ("2024-01", None)),
    ("１月", ["2024"], ("2024-01", None)),
    ("１２月", ["2024"], ("2024-12", None)),
    ("01", ["2024"], ("2024-01", None)),
    ("1月", ["2024年"], ("2024-01", None)),
    ("01", ["2024年"], ("2024-01", None)),
    ("明細_03", ["2024"], ("2024-03", None)),
    ("1月", ["本社", "2024"], ("2024-01", None)),  # ./2024/本社/1月.txt
    ("1月", ["2025", "2024"], ("2025-01", None)),  # the nearest year folder
    ("O50IP電話 1月", ["2024"], ("2024-01", None)),
    # a copy suffix is not a month
    ("2024-01 (2)", [], ("2024-01", None)),
    ("2024-01(3)", [], ("2024-01", None)),
    ("202401 (2)", [], ("2024-01", None)),
    ("2024-01 - コピー", [], ("2024-01", None)),
    ("2024-01 - Copy", [], ("2024-01", None)),
    ("1月 (2)", ["2024"], ("2024-01", None)),
    ("1月(2)", ["2024"], ("2024-01", None)),
    ("(2)", ["2024"], (None, None)),
    ("明細 (2)", ["2024"], (None, None)),
    ("memo (3)", ["2024"], (None, None)),
    # digits that belong to something else are not a month
    ("050", ["2024"], (None, None)),
    ("O50IP電話", ["2024"], (None, None)),
    ("050IP電話", ["2024"], (None, None)),
    ("O50IP電話 明細", ["2024"], (None, None)),
    ("050-1234-5678", ["2024"], (None, None)),
    ("090-1234-5678", ["2024"], (None, None)),
    ("05012345678", ["2024"], (None, None)),
    ("03-1234-5678", ["2024"], (None, None)),  # a two-digit area code is not a month
    ("06-6123-4567", ["2024"], (None, None)),
    ("2024-13", [], (None, None)),
    ("20240115", [], (None, None)),
    ("memo", ["2024"], (None, None)),
    ("", ["2024"], (None, None)),
    # a month and no year anywhere: the month number, for an error that says how to name the file
    ("1月", [], (None, 1)),
    ("01", [], (None, 1)),
    ("１２月", [], (None, 12)),
    ("1月", ["本社"], (None, 1)),
    ("1月", ["本社", "大阪"], (None, 1)),
    ("1月", ["FY2024"], (None, 1)),
])
def test_month_from_name_gives_the_month_or_the_bare_month_number(stem, folders, expected):
    assert month_from_name(stem, folders) == expected


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


# ── year_of_folder ───────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("name, expected", [
    ("2024", 2024),
    ("2024年", 2024),
    ("２０２４", 2024),
    ("２０２４年", 2024),
    ("2099", 2099),
    ("本社", None),
    ("大阪支店", None),
    ("FY2024", None),
    ("2024-01", None),
    ("1999", None),
    ("24", None),
    ("", None),
])
def test_year_of_folder_reads_a_folder_named_by_a_year(name, expected):
    assert year_of_folder(name) == expected


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
