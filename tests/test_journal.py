"""Journal entries (SPEC §6): the amounts of an entry, which months are booked, and each product's file
(弥生会計, freee, マネーフォワード) read back with the csv module in the product's encoding."""
from __future__ import annotations

import csv
import datetime
import difflib
import io
import json
import os
import re
import shutil
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings as hypothesis_settings, strategies as st

from recon import labels
from recon.cli import main
from recon.errors import ReconError
from recon.journal import entry, journal, last_day
from recon.model import Close, InvoiceRow, MonthResult, Report, SignOff, TypeRow, Where
from recon.outputs.journal import LAYOUTS, render, write
from recon.pipeline import build
from recon.settings import load

EXAMPLE = Path(__file__).parent.parent / "examples" / "2024"
GOLDEN = Path(__file__).parent / "data" / "journal"
SETTINGS = load(None)
HERE = Where("test")


def month_result(charges: dict[str, int], invoiced: int | None, basis: str = "excl", fees: int = 0, *,
                 account: str = "", month: str = "2024-01", status: str = "ok", closed: bool = True) -> MonthResult:
    """A reconciled month with these call-type charges and this invoice row (None: no invoice)."""
    rows = tuple(TypeRow(type_id, labels.type_label(type_id, "ja"), 1, 10, charge, HERE)
                 for type_id, charge in charges.items())
    invoice = None if invoiced is None else InvoiceRow(account, month, invoiced, basis, fees, "", HERE)
    close = Close("closed" if closed else "open", SignOff())
    return MonthResult(account=account, month=month, status=status, sources=(), rows=rows, total=None,
                       stated_total=None, discount=None, expected_invoice=None, invoice=invoice, checks=(),
                       messages=(), close=close)


SEED_CHARGES = {"general": 10240, "international": 96870, "mobile": 7680, "ip": 0, "phs": 15300}


# --- the amounts -------------------------------------------------------------------------------------

@pytest.mark.parametrize("charges, invoiced, basis, fees, taxable, tax, exempt, payable", [
    # the seed month: 128,916 before tax, 96,870 of it international calls
    (SEED_CHARGES, 128916, "excl", 0, 35250, 3204, 96870, 132120),
    # the same bill stated with tax (SPEC §2: floor(32,046 × 1.10) + 96,870)
    (SEED_CHARGES, 132120, "incl", 0, 35250, 3204, 96870, 132120),
    # no international calls: the whole bill is taxable
    ({"general": 9000, "mobile": 1000}, 10000, "excl", 0, 11000, 1000, 0, 11000),
    ({"general": 9000, "mobile": 1000}, 11000, "incl", 0, 11000, 1000, 0, 11000),
    # fees (基本料等) are in the invoiced amount and in the taxable part, never in the exempt one
    ({"general": 1000, "international": 500}, 1830, "excl", 330, 1463, 133, 500, 1963),
    ({"general": 1000, "international": 500}, 1963, "incl", 330, 1463, 133, 500, 1963),
    # the tax is rounded down: 5,527 × 10% = 552.7
    ({"general": 5527, "international": 630}, 6157, "excl", 0, 6079, 552, 630, 6709),
    # tax inside: 9,074 × 0.10 / 1.10 = 824.9
    ({"general": 9074, "international": 1290}, 10364, "incl", 330, 9074, 824, 1290, 10364),
    # a discount larger than the domestic calls: the exempt part is never more than the bill
    ({"general": 100, "international": 800}, 700, "excl", 0, 0, 0, 700, 700),
])
def test_entry_amounts(charges, invoiced, basis, fees, taxable, tax, exempt, payable):
    booked = entry(month_result(charges, invoiced, basis, fees), SETTINGS)
    assert (booked.taxable, booked.tax, booked.exempt, booked.payable) == (taxable, tax, exempt, payable)
    assert sum(line.amount for line in booked.debits) == sum(line.amount for line in booked.credits)


def test_seed_month_is_a_qualified_purchase_an_exempt_line_and_the_payable():
    booked = entry(month_result(SEED_CHARGES, 128916), SETTINGS)
    assert [(l.side, l.account, l.amount, l.tax, l.category) for l in booked.lines] == [
        ("debit", "通信費", 35250, 3204, "taxable"),
        ("debit", "通信費", 96870, 0, "exempt"),
        ("credit", "未払金", 132120, 0, "none"),
    ]
    assert booked.taxable - booked.tax == 32046  # the taxable part before tax
    assert booked.date == datetime.date(2024, 1, 31)
    assert [l.summary for l in booked.lines] == ["050IP電話 2024年1月分", "050IP電話 2024年1月分 国際通話",
                                                 "050IP電話 2024年1月分"]
    assert {l.vendor for l in booked.lines} == {"NTTコミュニケーションズ"}


def test_a_month_without_international_calls_has_no_exempt_line():
    booked = entry(month_result({"general": 9000}, 9000), SETTINGS)
    assert [l.category for l in booked.lines] == ["taxable", "none"]


@pytest.mark.parametrize("month, day", [("2024-01", 31), ("2024-02", 29), ("2023-02", 28), ("2024-04", 30),
                                        ("2024-12", 31)])
def test_an_entry_is_dated_the_last_day_of_the_usage_month(month, day):
    assert last_day(month) == datetime.date(int(month[:4]), int(month[5:]), day)


def test_contract_is_in_the_summary_and_its_department_comes_from_the_settings(tmp_path):
    (tmp_path / "recon.toml").write_text('[journal]\nsummary = "IP電話 {year}/{month}"\n'
                                         '[journal.departments]\n"大阪支店" = "営業部"\n', encoding="utf-8")
    settings = load(tmp_path / "recon.toml")
    osaka = entry(month_result({"general": 100}, 100, account="大阪支店", month="2024-03"), settings)
    head = entry(month_result({"general": 100}, 100, account="本社", month="2024-03"), settings)
    assert {l.summary for l in osaka.lines} == {"IP電話 2024/3 大阪支店"}
    assert {l.department for l in osaka.lines} == {"営業部"} and {l.department for l in head.lines} == {""}


# --- the property: every entry balances and pays what the invoice asks ----------------------------

def asked_to_pay(invoiced: int, basis: str, international: int, rate: Decimal) -> int:
    """What the invoice asks to be paid (SPEC §2): tax once, on all but the international calls."""
    if basis == "incl":
        return invoiced
    taxable = max(invoiced - international, 0)
    return int((taxable * rate).quantize(Decimal(1), rounding=ROUND_FLOOR)) + invoiced


@hypothesis_settings(max_examples=300, deadline=None)
@given(general=st.integers(0, 10**7), international=st.integers(0, 10**7), mobile=st.integers(0, 10**6),
       discount=st.integers(0, 10**5), fees=st.integers(0, 10**4), basis=st.sampled_from(["excl", "incl"]),
       off=st.integers(-1000, 1000))
def test_every_entry_balances_and_its_credit_is_what_the_invoice_asks(general, international, mobile, discount,
                                                                      fees, basis, off):
    excl = general + international + mobile - discount + fees
    stated = excl if basis == "excl" else asked_to_pay(excl, "excl", international, SETTINGS.tax.rate)
    invoiced = max(stated + off, 1)  # what was billed, tying out or not
    booked = entry(month_result({"general": general, "international": international, "mobile": mobile},
                                invoiced, basis, fees), SETTINGS)
    debits, credits = booked.debits, booked.credits
    assert sum(l.amount for l in debits) == sum(l.amount for l in credits) == booked.payable
    assert booked.payable == asked_to_pay(invoiced, basis, international, SETTINGS.tax.rate)
    assert all(line.amount > 0 and 0 <= line.tax <= line.amount for line in booked.lines)
    assert booked.taxable + booked.exempt == booked.payable
    exempt = min(international, invoiced)
    assert booked.exempt == exempt  # the international calls, never more than the bill
    before_tax = booked.taxable - booked.tax if basis == "excl" else booked.taxable
    rate = SETTINGS.tax.rate if basis == "excl" else SETTINGS.tax.rate / (1 + SETTINGS.tax.rate)
    assert booked.tax == int((before_tax * rate).quantize(Decimal(1), rounding=ROUND_FLOOR))


# --- which months are booked -------------------------------------------------------------------------

def test_closed_months_only_unless_every_month_is_asked_for():
    months = (
        month_result({"general": 100}, 100, month="2024-01"),
        month_result({"general": 100}, 130, month="2024-02", status="variance", closed=False),
        month_result({}, 100, month="2024-03", status="missing", closed=False),
        month_result({"general": 100}, None, month="2024-04", status="missing", closed=False),
        month_result({"general": 100}, 100, month="2024-05", status="error", closed=False),
        month_result({"general": 100}, 0, month="2024-06", status="variance", closed=False),
    )
    report = Report("2024", months, ())
    closed, every = journal(report, SETTINGS), journal(report, SETTINGS, every_month=True)
    assert [e.month for e in closed.entries] == ["2024-01"]
    assert [e.month for e in every.entries] == ["2024-01", "2024-02"]
    assert [(o.month, o.reason.key) for o in closed.left_out] == [
        ("2024-02", "journal_open"), ("2024-03", "journal_no_detail"), ("2024-04", "journal_no_invoice"),
        ("2024-05", "journal_error"), ("2024-06", "journal_not_positive")]
    assert labels.render(closed.left_out[0].reason, "en").startswith("not closed (Variance)")
    assert [o.month for o in every.left_out] == ["2024-03", "2024-04", "2024-05", "2024-06"]


# --- the files -------------------------------------------------------------------------------------

def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def example(tmp_path) -> Path:
    """The example year, copied: the command writes its default output into the folder."""
    folder = tmp_path / "2024"
    shutil.copytree(EXAMPLE, folder)
    return folder


def as_text(data: bytes, fmt: str) -> str:
    """The file in the product's encoding, asserting CRLF line ends; the text with LF."""
    text = data.decode(LAYOUTS[fmt].encoding)
    assert "\n" not in text.replace("\r\n", ""), "every line ends in CRLF"
    return text.replace("\r\n", "\n")


@pytest.mark.parametrize("fmt", sorted(LAYOUTS))
@pytest.mark.parametrize("scope", ["closed", "all"])
def test_example_year_matches_its_golden_file(example, fmt, scope):
    """The whole file as text, kept in tests/data/journal/ so a reviewer sees every change as a diff.
    RECON_UPDATE_GOLDEN=1 rewrites the goldens on purpose; a missing golden fails."""
    result = run("journal", example, "--format", fmt, *(["--all"] if scope == "all" else []))
    assert result.exit_code == 0, result.output
    text = as_text((example / f"journal-2024-{fmt}.csv").read_bytes(), fmt)
    golden = GOLDEN / f"2024-{scope}-{fmt}.csv"
    if os.environ.get("RECON_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert golden.exists(), f"{golden} is missing: run with RECON_UPDATE_GOLDEN=1 and review it"
    expected = golden.read_text(encoding="utf-8")
    diff = "\n".join(difflib.unified_diff(expected.splitlines(), text.splitlines(), "golden", "now", lineterm=""))
    assert text == expected, diff


def test_example_year_books_the_closed_months_and_says_why_the_others_are_left_out(example):
    result = run("journal", example, "--format", "yayoi")
    assert result.exit_code == 0
    assert re.findall(r"^(2024-\d\d) 仕訳から除外: ", result.stderr, re.M) == [
        "2024-01", "2024-08", "2024-09", "2024-10", "2024-11"]
    assert "締めていません (注意)" in result.stderr and "明細がありません" in result.stderr
    assert result.stderr.rstrip().endswith("に 7 件の仕訳を書き出しました (弥生会計)")
    every = run("journal", example, "--format", "yayoi", "--all")
    assert re.findall(r"^(2024-\d\d) ", every.stderr, re.M) == ["2024-08", "2024-10"]


def read_back(path: Path, fmt: str) -> list[list[str]]:
    with open(path, encoding=LAYOUTS[fmt].encoding, newline="") as handle:
        return list(csv.reader(handle))


def slips(rows: list[list[str]], number_at: int) -> dict[str, list[list[str]]]:
    grouped: dict[str, list[list[str]]] = {}
    for row in rows:
        grouped.setdefault(row[number_at], []).append(row)
    return grouped


def test_yayoi_rows_have_its_25_columns_and_the_flags_of_one_slip(example):
    assert run("journal", example, "--format", "yayoi", "--all").exit_code == 0
    rows = read_back(example / "journal-2024-yayoi.csv", "yayoi")
    assert rows and all(len(row) == 25 for row in rows)
    flags = " ".join(row[0] for row in rows)
    assert re.fullmatch(r"(2111|2110( 2100)* 2101)( (2111|2110( 2100)* 2101))*", flags), flags
    slips_of_rows = re.findall(r"2111|2110(?: 2100)* 2101", flags)
    assert len(slips_of_rows) == 10  # the example's months with a table and an invoice, not in error
    start = 0
    for slip in slips_of_rows:  # each slip balances: debits (I) against credits (O), tax in J
        lines = rows[start:start + len(slip.split())]
        start += len(lines)
        assert sum(int(r[8]) for r in lines) == sum(int(r[14]) for r in lines)
        assert len({r[3] for r in lines}) == 1 and lines[0][3].endswith(("/31", "/30", "/29"))
        assert lines[0][7] == "課対仕入内10%適格" and lines[0][13] == "対象外"
        assert [r[19] for r in lines] == ["3"] * len(lines) and [r[24] for r in lines] == ["no"] * len(lines)


@pytest.mark.parametrize("fmt, number_at, debit_at, credit_at", [("freee", "伝票番号", "借方金額", "貸方金額"),
                                                                 ("mf", "取引No", "借方金額(円)", "貸方金額(円)")])
def test_freee_and_mf_files_have_their_headers_and_balanced_slips(example, fmt, number_at, debit_at, credit_at):
    assert run("journal", example, "--format", fmt, "--all").exit_code == 0
    header, *rows = read_back(example / f"journal-2024-{fmt}.csv", fmt)
    assert header == [column.header for column in LAYOUTS[fmt].columns]
    assert len(header) == (32 if fmt == "freee" else 27)
    assert all(len(row) == len(header) for row in rows)
    at = {name: header.index(name) for name in (number_at, debit_at, credit_at)}
    grouped = slips(rows, at[number_at])
    assert list(grouped) == [str(n) for n in range(1, 11)]
    for slip in grouped.values():
        assert sum(int(r[at[debit_at]] or 0) for r in slip) == sum(int(r[at[credit_at]] or 0) for r in slip)


def test_json_prints_the_lines_with_the_products_tax_category(example):
    result = run("journal", example, "--format", "mf", "--json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["schema"] == "recon-journal/1" and doc["format"] == "mf"
    february = next(e for e in doc["entries"] if e["month"] == "2024-02")
    assert (february["date"], february["payable"]) == ("2024-02-29", 6709)
    assert [(l["side"], l["amount"], l["tax_category"]) for l in february["lines"]] == [
        ("debit", 6079, "課税仕入 10%"), ("debit", 630, "対象外"), ("credit", 6709, "対象外")]
    assert [o["month"] for o in doc["left_out"]] == ["2024-01", "2024-08", "2024-09", "2024-10", "2024-11"]


# --- the command line --------------------------------------------------------------------------------

def test_journal_has_help():
    result = run("journal", "--help")
    assert result.exit_code == 0 and "--format" in result.output and "--all" in result.output


def test_format_is_required_and_checked(example):
    assert run("journal", example).exit_code == 2
    assert run("journal", example, "--format", "obc").exit_code == 2


@pytest.mark.parametrize("name", ["invoices.csv", "2024-02.csv", "2024-01.txt", "メモ.txt", "out.xlsx"])
def test_journal_never_writes_over_an_input_or_a_file_recon_did_not_write(example, name):
    target = example / name
    before = target.read_bytes() if target.exists() else None
    result = run("journal", example, "--format", "yayoi", "-o", target)
    assert result.exit_code == 2 and result.stderr.startswith("recon: ") and len(result.stderr.splitlines()) == 1
    assert (target.read_bytes() if target.exists() else None) == before


def test_journal_replaces_its_own_file_of_the_same_product_only(example):
    assert run("journal", example, "--format", "freee").exit_code == 0
    assert run("journal", example, "--format", "freee", "--all").exit_code == 0
    assert "2024/01/31" in (example / "journal-2024-freee.csv").read_text(encoding="cp932")
    mf_over_freee = run("journal", example, "--format", "mf", "-o", example / "journal-2024-freee.csv")
    assert mf_over_freee.exit_code == 2 and "マネーフォワード" in mf_over_freee.stderr


def test_journal_to_another_folder_names_a_missing_one(example, tmp_path):
    out = tmp_path / "books" / "january.csv"
    result = run("journal", example, "--format", "yayoi", "-o", out)
    assert result.exit_code == 2 and "books" in result.stderr
    out.parent.mkdir()
    assert run("journal", example, "--format", "yayoi", "-o", out).exit_code == 0 and out.exists()
    assert not (example / "journal-2024-yayoi.csv").exists()


def test_text_the_product_cannot_hold_is_one_line_and_exit_2(example):
    (example / "recon.toml").write_text('[journal]\nvendor = "NTT\U0001F4DE"\n', encoding="utf-8")
    result = run("journal", example, "--format", "yayoi")
    assert result.exit_code == 2 and "CP932" in result.stderr
    assert not (example / "journal-2024-yayoi.csv").exists()


def test_write_raises_a_located_error_when_the_text_cannot_be_encoded(tmp_path):
    report = Report("2024", (month_result({"general": 100}, 100, account="支店\u2603\ufe0f"),), ())
    with pytest.raises(ReconError) as caught:
        write(journal(report, SETTINGS), tmp_path / "j.csv", SETTINGS, "yayoi")
    assert caught.value.expected == "journal_encoding"


# --- settings ----------------------------------------------------------------------------------------

def test_tax_category_names_per_product_default_and_override_one_at_a_time(tmp_path):
    (tmp_path / "recon.toml").write_text("[journal.freee]\nexempt = '不課税'\n", encoding="utf-8")
    settings = load(tmp_path / "recon.toml")
    assert (settings.journal.freee.taxable, settings.journal.freee.exempt) == ("課対仕入10%", "不課税")
    text = render(journal(Report("2024", (month_result(SEED_CHARGES, 128916),), ()), settings),
                  LAYOUTS["freee"], settings)
    assert ",96870,不課税,0," in text


def test_init_scaffold_names_the_journal_settings(tmp_path):
    assert run("init", tmp_path / "2024").exit_code == 0
    text = (tmp_path / "2024" / "recon.toml").read_text(encoding="utf-8")
    assert "[journal]" in text and "課対仕入内10%適格" in text
    load(tmp_path / "2024" / "recon.toml")  # the commented scaffold still loads
    assert io.StringIO(text).readline().startswith("#")


def test_a_later_build_passes_over_the_journal_file_as_recons_own(tmp_path):
    from click.testing import CliRunner

    from recon.cli import main

    year = tmp_path / "2024"
    shutil.copytree(EXAMPLE, year)
    assert CliRunner().invoke(main, ["journal", str(year), "--format", "yayoi"]).exit_code == 0
    files = {f.path: f for f in build(year, load(None)).files}
    assert files["journal-2024-yayoi.csv"].status == "ignored"
    assert files["journal-2024-yayoi.csv"].message.key == "own_journal"
