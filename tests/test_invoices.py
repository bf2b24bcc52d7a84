"""invoices.csv / invoices.xlsx: header words in English or Japanese, amounts as people write them."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pytest

from recon import readers
from recon.errors import ReconError
from recon.invoices import parse


def rows_of(content: bytes, name: str = "invoices.csv", account: str = ""):
    grids, _ = readers.read(content, name, "." + name.rsplit(".", 1)[1])
    return parse(grids, name, account)


def test_japanese_header_and_every_column():
    rows, errors = rows_of("利用月,請求額,税区分,基本料等,備考\n2024年1月,\"128,916\",税別,0,１月分\n"
                           "2024/2,\"¥141,807\",税込,330,\n".encode("utf-8-sig"))
    assert errors == []
    assert [(r.month, r.amount, r.basis, r.fees, r.note) for r in rows] == [
        ("2024-01", 128916, "excl", 0, "1月分"), ("2024-02", 141807, "incl", 330, "")]
    assert str(rows[0].where) == "invoices.csv:2"


def test_english_header_in_any_order_with_defaults():
    rows, _ = rows_of(b"note,amount,month\nfirst,128916,2024-01\n")
    assert (rows[0].month, rows[0].amount, rows[0].basis, rows[0].fees) == ("2024-01", 128916, "excl", 0)


def test_header_below_a_title_is_found():
    rows, _ = rows_of("OCN 請求額一覧\n\nmonth,amount\n2024-03,5000\n".encode())
    assert rows[0].month == "2024-03" and rows[0].where.line == 4


def test_a_month_not_invoiced_yet_is_skipped():
    rows, errors = rows_of("利用月,請求額,税区分,基本料等\n2024-01,,税別,0\n2024-02,100,税別,0\n".encode())
    assert [r.month for r in rows] == ["2024-02"] and errors == []


def test_bad_amount_is_an_error_for_its_month_only():
    rows, errors = rows_of(b"month,amount\n2024-01,12O\n2024-02,100\n")
    assert [r.month for r in rows] == ["2024-02"]
    (month, error), = errors
    assert month == "2024-01" and str(error) == "invoices.csv:2: expected a yen amount such as 10,240, found '12O'"


def test_bad_month_is_an_error_without_a_month():
    _, errors = rows_of(b"month,amount\nJanuary,100\n")
    assert errors[0][0] is None and errors[0][1].expected == "invoice_month"


def test_bad_basis_names_the_choices():
    _, errors = rows_of(b"month,amount,basis\n2024-01,100,gross\n")
    assert "excl" in str(errors[0][1]) and "'gross'" in str(errors[0][1])


def test_no_header_is_one_error():
    with pytest.raises(ReconError) as caught:
        rows_of(b"2024-01,100\n")
    assert caught.value.expected == "invoice_header"


def test_account_column_and_default_account():
    rows, _ = rows_of("契約,利用月,請求額\n本社,2024-01,100\n,2024-01,200\n".encode(), account="")
    assert [(r.account, r.amount) for r in rows] == [("本社", 100), ("", 200)]


def test_invoices_xlsx_with_dates_and_numbers():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["請求額一覧"])
    ws.append(["利用月", "請求額", "税区分"])
    import datetime as dt

    ws.append([dt.datetime(2024, 1, 1), 128916, "税別"])
    ws.append(["2024年2月", "141,807", "税込"])
    buffer = io.BytesIO()
    wb.save(buffer)
    rows, errors = rows_of(buffer.getvalue(), "invoices.xlsx")
    assert errors == []
    assert [(r.month, r.amount, r.basis) for r in rows] == [("2024-01", 128916, "excl"), ("2024-02", 141807, "incl")]
    assert str(rows[0].where).endswith("!A3")


# ── months everywhere: 和暦, Excel's dates, invisible characters (SPEC §1.3) ─────────────────────

@pytest.mark.parametrize("written, month", [
    ("令和6年1月", "2024-01"), ("令和6年1月分", "2024-01"), ("令和元年5月", "2019-05"), ("令和 6 年 12 月", "2024-12"),
    ("R6.1", "2024-01"), ("R06.01", "2024-01"), ("R6/1", "2024-01"), ("r6-1", "2024-01"), ("R6年1月", "2024-01"),
    ("Ｒ６．１", "2024-01"), ("㋿6年1月", "2024-01"), ("平成31年4月", "2019-04"), ("H31.4", "2019-04"),
    ("令和6年1月1日", "2024-01"), ("R6.1.31", "2024-01"), ("Jan-24", "2024-01"), ("January 2024", "2024-01"),
    ("2024/1/1", "2024-01"), ("2024\u200b-01", "2024-01"), ("\ufeff2024-01", "2024-01"),
])
def test_an_invoice_month_in_any_written_form(written, month):
    text = f"利用月,請求額\n{written},128916\n"
    try:
        data = text.encode("cp932")  # as Excel on a Japanese PC saves its CSV
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    rows, errors = rows_of(data)
    assert errors == [] and [r.month for r in rows] == [month]


@pytest.mark.parametrize("written", ["令和0年1月", "R6.13", "January", "HR6.1", "6年1月"])
def test_what_is_no_month_is_an_error_naming_the_line_and_the_value(written):
    _, errors = rows_of(f"month,amount\n{written},100\n".encode())
    ((month, error),) = errors
    assert month is None and str(error) == f"invoices.csv:2: expected a usage month such as 2024-01, found '{written}'"


def test_an_invisible_character_in_a_bad_month_is_shown_escaped():
    _, errors = rows_of("month,amount\nx\u200b,100\n".encode())
    assert str(errors[0][1]).endswith("found 'x'")  # removed before the cell is read, so never shown raw


def _invoices_xlsx(*rows, number_format: str | None = None) -> bytes:
    import datetime as dt  # noqa: F401 - rows may hold dates

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["利用月", "請求額"])
    for row in rows:
        ws.append(list(row))
        if number_format:
            ws.cell(ws.max_row, 1).number_format = number_format
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("value, number_format", [
    (__import__("datetime").datetime(2024, 1, 1), "yyyy/m"),
    (__import__("datetime").datetime(2024, 1, 1), 'yyyy"年"m"月"'),
    (__import__("datetime").datetime(2024, 1, 1), "[$-ja-JP]ggge年m月"),  # 和暦 display of a real date
    (__import__("datetime").datetime(2024, 1, 31), "mmm-yy"),
    (45292, "General"),  # the date's day number once its format was cleared
    ("令和6年1月", "@"),
    ("R6.1", "@"),
])
def test_invoices_xlsx_months_that_excel_made_dates_read_as_months(value, number_format):
    rows, errors = rows_of(_invoices_xlsx((value, 128916), number_format=number_format), "invoices.xlsx")
    assert errors == [] and [(r.month, r.amount) for r in rows] == [("2024-01", 128916)]


def test_a_number_in_the_month_column_is_a_day_number_only_in_this_century():
    rows, errors = rows_of(_invoices_xlsx((202401, 100), (12, 100), (36525, 100)), "invoices.xlsx")
    assert [r.month for r in rows] == ["2024-01"]  # 202401 typed as a number is yyyymm
    assert [e.expected for _, e in errors] == ["invoice_month", "invoice_month"]


def test_invoices_saved_by_libreoffice_as_ods_read_like_the_csv(tmp_path):
    from recon.pipeline import build
    from recon.settings import load

    book = (Path(__file__).parent / "data" / "field-cases" / "invoice-xlsx-date" / "2024")
    folder = tmp_path / "2024"
    folder.mkdir()
    shutil.copy(book / "2024-01.txt", folder / "2024-01.txt")
    ods = Path(__file__).parent / "data" / "invoices" / "invoices.ods"
    shutil.copy(ods, folder / "invoices.ods")
    (month,) = build(folder, load(None)).months
    assert (month.invoiced, month.invoice_variance, month.status) == (128916, 0, "warning")
