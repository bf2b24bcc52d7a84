"""invoices.csv / invoices.xlsx: header words in English or Japanese, amounts as people write them."""
from __future__ import annotations

import io

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
