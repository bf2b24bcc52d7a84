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
from recon.journal import entry, journal
from recon.months import last_day
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


# --- what each importer requires, on every row of every file (SPEC §6) ------------------------------
# The rules as the vendors' import pages state them (cited in recon/outputs/journal.py), checked on
# each row the files hold; then files whose every row is worked out by hand.

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
DATE = re.compile(r"(\d{4})/(\d{2})/(\d{2})")


def cp932_bytes(text: str) -> int:
    return len(text.encode("cp932"))


def a_date(text: str) -> datetime.date:
    match = DATE.fullmatch(text)
    assert match, f"{text!r} is not a date as 2024/01/31"
    return datetime.date(*(int(part) for part in match.groups()))


def no_cell_starts_a_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.lstrip(" \u3000").startswith(FORMULA_STARTS), (cell, row)


def yayoi_rules(rows: list[list[str]]) -> list[list[list[str]]]:
    """弥生インポート形式 (page_id=18545) on every row; the slips, as lists of rows."""
    no_cell_starts_a_formula(rows)
    slips: list[list[list[str]]] = []
    for row in rows:
        assert len(row) == 25, row
        flag = row[0]
        assert flag in ("2111", "2110", "2100", "2101"), row
        if flag in ("2111", "2110"):
            assert not slips or slips[-1][-1][0] in ("2111", "2101"), "a slip starts after the last one ended"
            slips.append([row])
        else:
            assert slips and slips[-1][-1][0] in ("2110", "2100"), "2100/2101 continue a slip"
            slips[-1].append(row)
        a_date(row[3])
        assert row[1] == row[2] == "", row  # 伝票No. numbered by 弥生; 決算 blank: an ordinary entry
        for account, category, amount, tax in ((4, 7, 8, 9), (10, 13, 14, 15)):
            assert row[category], f"税区分 is required on both sides of every row: {row}"
            assert row[amount].isdigit() and row[tax].isdigit(), row  # whole yen, never negative
            assert int(row[tax]) <= int(row[amount])
            if not row[account]:  # a side without an account: 対象外 and 0
                assert (row[category], row[amount], row[tax]) == ("対象外", "0", "0"), row
            else:
                assert int(row[amount]) > 0, row
        assert row[4] or row[10], row
        if flag == "2111":
            assert row[4] and row[10], "a one-row slip has both accounts"
        for name in (4, 5, 6, 10, 11, 12):  # 勘定科目, 補助科目, 部門: 24 half-width bytes
            assert cp932_bytes(row[name]) <= 24, row
        assert row[16] and cp932_bytes(row[16]) <= 64, f"摘要 of {cp932_bytes(row[16])} bytes: {row[16]}"
        assert (row[19], row[22], row[23], row[24]) == ("3", "0", "0", "no"), row
    assert slips and slips[-1][-1][0] in ("2111", "2101"), "the last slip ends"
    for slip in slips:
        assert len({row[3] for row in slip}) == 1, "one date a slip"
        assert sum(int(r[8]) for r in slip) == sum(int(r[14]) for r in slip), "each slip balances"
        assert len({row[16] for row in slip}) == len(slip), "each line of a slip has 摘要 of its own"
    return slips


FREEE_HEADER = ["日付", "伝票番号", "決算整理仕訳",
                *(f"{side}{name}" for side in ("借方", "貸方") for name in (
                    "勘定科目", "科目コード", "補助科目", "取引先", "取引先コード", "部門", "品目", "メモタグ",
                    "セグメント1", "セグメント2", "セグメント3", "金額", "税区分", "税額")),
                "摘要"]
MF_HEADER = ["取引No", "取引日",
             *(f"{side}{name}" for side in ("借方", "貸方") for name in (
                 "勘定科目", "補助科目", "部門", "取引先", "税区分", "インボイス", "金額(円)", "税額")),
             "摘要", "仕訳メモ", "タグ", "MF仕訳タイプ", "決算整理仕訳", "作成日時", "作成者", "最終更新日時", "最終更新者"]


def freee_rules(table: list[list[str]]) -> dict[str, list[dict[str, str]]]:
    """freee's 仕訳 import (articles/204847430) on every row; the entries by 伝票番号."""
    header, *rows = table
    assert header == FREEE_HEADER
    no_cell_starts_a_formula(rows)
    entries: dict[str, list[dict[str, str]]] = {}
    for values in rows:
        assert len(values) == len(header), values
        row = dict(zip(header, values))
        a_date(row["日付"])
        assert row["伝票番号"].isdigit() and row["決算整理仕訳"] == "", row
        for side in ("借方", "貸方"):
            fields = {name: row[f"{side}{name}"] for name in ("勘定科目", "取引先", "部門", "金額", "税区分", "税額")}
            if fields["勘定科目"]:
                assert fields["金額"].isdigit() and int(fields["金額"]) > 0, row
                assert fields["税区分"] and fields["税額"].isdigit() and int(fields["税額"]) <= int(fields["金額"]), row
            else:  # the side a multi-row entry leaves blank is blank throughout
                assert not any(fields.values()), row
        assert row["借方勘定科目"] or row["貸方勘定科目"], row
        assert row["摘要"], row
        entries.setdefault(row["伝票番号"], []).append(row)
    assert list(entries) == [str(n) for n in range(1, len(entries) + 1)]
    for lines in entries.values():
        assert len({line["日付"] for line in lines}) == 1, "one 日付 and one 伝票番号: one entry"
        assert sum(int(r["借方金額"] or 0) for r in lines) == sum(int(r["貸方金額"] or 0) for r in lines)
    return entries


def mf_rules(table: list[list[str]]) -> dict[str, list[dict[str, str]]]:
    """マネーフォワード's 仕訳帳 import (ib01) on every row; the compound entries by 取引No."""
    header, *rows = table
    assert header == MF_HEADER
    no_cell_starts_a_formula(rows)
    entries: dict[str, list[dict[str, str]]] = {}
    for values in rows:
        assert len(values) == len(header), values
        row = dict(zip(header, values))
        assert row["取引No"].isdigit(), row  # required on every row
        a_date(row["取引日"])  # required on every row
        for side in ("借方", "貸方"):
            account, amount = row[f"{side}勘定科目"], row[f"{side}金額(円)"]
            assert bool(account) == bool(amount), row  # both, or the blank side of a compound entry
            if account:
                assert amount.isdigit() and int(amount) > 0 and row[f"{side}税区分"], row
                assert row[f"{side}税額"].isdigit() and int(row[f"{side}税額"]) <= int(amount), row
            else:
                assert not any(row[f"{side}{name}"] for name in ("補助科目", "部門", "取引先", "税区分", "インボイス", "税額"))
            assert row[f"{side}インボイス"] in ("", "適格"), row
        assert row["摘要"], row
        entries.setdefault(row["取引No"], []).append(row)
    assert list(entries) == [str(n) for n in range(1, len(entries) + 1)]
    for lines in entries.values():  # one 取引日, one 取引No, debits = credits: one compound entry
        assert len({line["取引日"] for line in lines}) == 1
        assert sum(int(r["借方金額(円)"] or 0) for r in lines) == sum(int(r["貸方金額(円)"] or 0) for r in lines)
    return entries


RULES = {"yayoi": yayoi_rules, "freee": freee_rules, "mf": mf_rules}


def table_of(journal_, fmt: str, settings=SETTINGS) -> list[list[str]]:
    """The file `fmt` of `journal_`, encoded as written, read back with the csv module."""
    from recon.outputs.journal import encode

    data = encode(render(journal_, LAYOUTS[fmt], settings), LAYOUTS[fmt])
    return list(csv.reader(io.StringIO(as_text(data, fmt))))


@pytest.mark.parametrize("fmt", sorted(LAYOUTS))
@pytest.mark.parametrize("scope", ["closed", "all"])
def test_every_row_of_the_example_year_meets_its_importers_rules(example, fmt, scope):
    assert run("journal", example, "--format", fmt, *(["--all"] if scope == "all" else [])).exit_code == 0
    slips = RULES[fmt](read_back(example / f"journal-2024-{fmt}.csv", fmt))
    assert len(slips) == (7 if scope == "closed" else 10)


# Three contracts across the carrier's change of name, worked out by hand:
#   大阪    2025-08  9,900 incl, no international: taxable 9,900, tax floor(9,900 × 10/110) = 900; one row
#   本社    2025-06  10,290 excl, 1,290 international: taxable 9,000 + 900 tax = 9,900; payable 11,190
#   東京…   2025-07  6,157 excl, 630 international: 5,527 + floor(552.7) = 6,079; payable 6,709
# in (contract, month) order, 大 < 本 < 東.
LONG = "東京本社第二営業部第三課コールセンター分室"  # 21 full-width characters, 42 bytes
THREE = Report("2025", (
    month_result({"general": 9000}, 9900, "incl", account="大阪", month="2025-08"),
    month_result({"general": 9000, "international": 1290}, 10290, account="本社", month="2025-06"),
    month_result({"general": 5527, "international": 630}, 6157, account=LONG, month="2025-07"),
), ())


def three_settings(tmp_path):
    (tmp_path / "recon.toml").write_text('[journal.departments]\n"本社" = "総務部"\n', encoding="utf-8")
    return load(tmp_path / "recon.toml")


def test_yayoi_file_of_three_contracts_row_by_row(tmp_path):
    settings = three_settings(tmp_path)
    rows = table_of(journal(THREE, settings), "yayoi", settings)
    tail = ["", "", "3", "", "", "0", "0", "no"]
    assert rows == [
        # 2025-08 is after the change of name; one row: both sides on it
        ["2111", "", "", "2025/08/31", "通信費", "", "", "課対仕入内10%適格", "9900", "900",
         "未払金", "", "", "対象外", "9900", "0", "NTTドコモビジネス 050IP電話 2025年8月分 大阪", *tail],
        # before it: NTTコミュニケーションズ; the 部門 on both sides; the 対象外 row has no credit: 対象外, 0, 0
        ["2110", "", "", "2025/06/30", "通信費", "", "総務部", "課対仕入内10%適格", "9900", "900",
         "未払金", "", "総務部", "対象外", "11190", "0", "NTTコミュニケーションズ 050IP電話 2025年6月分 本社", *tail],
        ["2101", "", "", "2025/06/30", "通信費", "", "総務部", "対象外", "1290", "0",
         "", "", "", "対象外", "0", "0", "NTTコミュニケーションズ 050IP電話 2025年6月分 本社 国際通話", *tail],
        # 17 + 1 + 64 bytes with the vendor: without it the summary is 64 bytes and fits whole;
        # the next row's 国際通話 (9 bytes with its space) stays, the contract is cut to 32 bytes
        ["2110", "", "", "2025/07/31", "通信費", "", "", "課対仕入内10%適格", "6079", "552",
         "未払金", "", "", "対象外", "6709", "0", f"050IP電話 2025年7月分 {LONG}", *tail],
        ["2101", "", "", "2025/07/31", "通信費", "", "", "対象外", "630", "0",
         "", "", "", "対象外", "0", "0", "050IP電話 2025年7月分 東京本社第二営業部第三課コールセ 国際通話", *tail],
    ]
    assert [cp932_bytes(row[16]) for row in rows] == [44, 50, 59, 64, 63]
    yayoi_rules(rows)


def test_freee_and_mf_files_of_three_contracts_row_by_row(tmp_path):
    settings = three_settings(tmp_path)
    freee = freee_rules(table_of(journal(THREE, settings), "freee", settings))
    assert [[(r["日付"], r["借方勘定科目"], r["借方取引先"], r["借方部門"], r["借方金額"], r["借方税区分"], r["借方税額"],
              r["貸方勘定科目"], r["貸方取引先"], r["貸方金額"], r["貸方税区分"], r["摘要"]) for r in rows]
            for rows in freee.values()] == [
        [("2025/08/31", "通信費", "NTTドコモビジネス", "", "9900", "課対仕入10%", "900",
          "未払金", "NTTドコモビジネス", "9900", "対象外", "050IP電話 2025年8月分 大阪")],
        [("2025/06/30", "通信費", "NTTコミュニケーションズ", "総務部", "9900", "課対仕入10%", "900",
          "未払金", "NTTコミュニケーションズ", "11190", "対象外", "050IP電話 2025年6月分 本社"),
         ("2025/06/30", "通信費", "NTTコミュニケーションズ", "総務部", "1290", "対象外", "0",
          "", "", "", "", "050IP電話 2025年6月分 本社 国際通話")],
        [("2025/07/31", "通信費", "NTTドコモビジネス", "", "6079", "課対仕入10%", "552",
          "未払金", "NTTドコモビジネス", "6709", "対象外", f"050IP電話 2025年7月分 {LONG}"),
         ("2025/07/31", "通信費", "NTTドコモビジネス", "", "630", "対象外", "0",
          "", "", "", "", f"050IP電話 2025年7月分 {LONG} 国際通話")]]
    mf = mf_rules(table_of(journal(THREE, settings), "mf", settings))
    assert [[(r["取引No"], r["取引日"], r["借方税区分"], r["借方インボイス"], r["借方金額(円)"], r["借方税額"],
              r["貸方勘定科目"], r["貸方取引先"], r["貸方金額(円)"]) for r in rows] for rows in mf.values()] == [
        [("1", "2025/08/31", "課税仕入 10%", "適格", "9900", "900", "未払金", "NTTドコモビジネス", "9900")],
        [("2", "2025/06/30", "課税仕入 10%", "適格", "9900", "900", "未払金", "NTTコミュニケーションズ", "11190"),
         ("2", "2025/06/30", "対象外", "", "1290", "0", "", "", "")],
        [("3", "2025/07/31", "課税仕入 10%", "適格", "6079", "552", "未払金", "NTTドコモビジネス", "6709"),
         ("3", "2025/07/31", "対象外", "", "630", "0", "", "", "")]]


@pytest.mark.parametrize("day, name", [(datetime.date(2025, 6, 30), "NTTコミュニケーションズ"),
                                       (datetime.date(2025, 7, 1), "NTTドコモビジネス"),
                                       (datetime.date(2019, 1, 31), "NTTコミュニケーションズ"),
                                       (datetime.date(2031, 12, 31), "NTTドコモビジネス")])
def test_the_default_vendor_is_the_carriers_name_on_the_entrys_date(day, name):
    from recon.journal import carrier_name

    assert carrier_name(day) == name


def test_a_vendor_set_in_the_settings_is_every_entrys(tmp_path):
    (tmp_path / "recon.toml").write_text('[journal]\nvendor = "NTT Com"\n', encoding="utf-8")
    booked = journal(THREE, load(tmp_path / "recon.toml"))
    assert {line.vendor for e in booked.entries for line in e.lines} == {"NTT Com"}


# contract names as folders may be named: formula characters, commas, quotes, spaces, long and short
CONTRACT = st.text(st.sampled_from(list("=+-@＝ 　,\"'本社大阪支店コールセンターABCxyz0123456789（）・")), max_size=40)


@hypothesis_settings(max_examples=150, deadline=None)
@given(accounts=st.lists(CONTRACT, min_size=1, max_size=4, unique=True), month=st.integers(1, 12),
       year=st.integers(2019, 2030), international=st.integers(0, 5000), vendor=st.sampled_from([None, "", "NTT"]))
def test_every_row_of_any_journal_meets_the_importers_rules(accounts, month, year, international, vendor):
    config = SETTINGS.journal.model_copy(update={"vendor": vendor})
    settings = SETTINGS.model_copy(update={"journal": config})
    months = tuple(month_result({"general": 1000 + n, "international": international}, 1000 + n + international,
                                account=account, month=f"{year}-{month:02d}") for n, account in enumerate(accounts))
    booked = journal(Report(str(year), months, ()), settings)
    slips = yayoi_rules(table_of(booked, "yayoi", settings))
    for slip in slips:  # the exempt line's own words are always inside the 64 bytes
        assert [row[16].endswith(" 国際通話") for row in slip] == [False, True][:len(slip)]
    freee_rules(table_of(booked, "freee", settings))
    mf_rules(table_of(booked, "mf", settings))


# --- settings copied into the file never start a formula (issue 26) ---------------------------------

HOSTILE = ["=1+1", "+SUM(A1:A9)", "-2+3", "@SUM(A1)", "\tx", "\rx", "＝1+1", " =cmd|' /C calc'!A0"]
KEYS = [("[journal]\nexpense = {v}\n", "journal.expense"), ("[journal]\npayable = {v}\n", "journal.payable"),
        ("[journal]\nvendor = {v}\n", "journal.vendor"), ("[journal]\nsummary = {v}\n", "journal.summary"),
        ('[journal.departments]\n"本社" = {v}\n', "journal.departments.本社"),
        ("[journal.yayoi]\ntaxable = {v}\n", "journal.yayoi.taxable"),
        ("[journal.freee]\nexempt = {v}\n", "journal.freee.exempt"), ("[journal.mf]\nnone = {v}\n", "journal.mf.none")]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("text, key", KEYS)
def test_a_setting_that_would_start_a_formula_is_refused_naming_its_key(example, text, key, value):
    (example / "recon.toml").write_text(text.format(v=json.dumps(value, ensure_ascii=False)), encoding="utf-8")
    result = run("journal", example, "--format", "freee", "--lang", "en")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("recon: recon.toml: ")
    assert key in result.stderr and "formula" in result.stderr and "Traceback" not in result.stderr
    assert not (example / "journal-2024-freee.csv").exists()


def test_a_hostile_setting_is_refused_by_the_command_as_a_process(example):
    import subprocess
    import sys

    (example / "recon.toml").write_text('[journal]\nvendor = "=HYPERLINK(\\"http://example.invalid\\")"\n',
                                        encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "recon", "journal", str(example), "--format", "yayoi"],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1 and "journal.vendor" in done.stderr
    assert not (example / "journal-2024-yayoi.csv").exists()


@pytest.mark.parametrize("template", ["{month.__class__}", "{month.__class__.__mro__}", "{year:>999999}",
                                      "{month:0>99}", "{year!r}", "{month[0]}", "{year:{month}}", "{0}", "{}",
                                      "{contract}", "{year", "年}", "{month:,}", "{month:+}"])
def test_the_summary_template_takes_only_its_fields_with_a_bounded_width(example, template):
    (example / "recon.toml").write_text(f"[journal]\nsummary = {json.dumps(template)}\n", encoding="utf-8")
    result = run("journal", example, "--format", "yayoi")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1 and "journal.summary" in result.stderr
    assert not (example / "journal-2024-yayoi.csv").exists()


def test_the_summary_template_may_pad_the_month(tmp_path):
    (tmp_path / "recon.toml").write_text('[journal]\nsummary = "IP電話 {year}/{month:02}"\n', encoding="utf-8")
    booked = entry(month_result({"general": 100}, 100, month="2024-03"), load(tmp_path / "recon.toml"))
    assert {line.summary for line in booked.lines} == {"IP電話 2024/03"}


def test_a_cell_that_would_start_a_formula_is_never_written_whatever_made_it(tmp_path):
    """Settings made without validation (as a program might) still never reach a file as a formula."""
    hostile = SETTINGS.model_copy(update={"journal": SETTINGS.journal.model_copy(update={"vendor": "@SUM(A1)"})})
    booked = journal(Report("2024", (month_result(SEED_CHARGES, 128916),), ()), hostile)
    for fmt in sorted(LAYOUTS):  # 弥生's 摘要 starts with the vendor: refused there too
        with pytest.raises(ReconError) as caught:
            write(booked, tmp_path / f"{fmt}.csv", hostile, fmt)
        assert caught.value.expected == "journal_formula" and not (tmp_path / f"{fmt}.csv").exists()


def test_department_names_of_numbers_csv_never_reach_the_journal(tmp_path):
    """numbers.csv's 部門 (formulas here) cost the calls by department; the journal's 部門 are the
    [journal.departments] settings only, so no cell of any file starts a formula."""
    folder = tmp_path / "2024"
    shutil.copytree(GOLDEN / "hostile-numbers" / "2024", folder)
    for fmt in sorted(LAYOUTS):
        out = tmp_path / f"{fmt}.csv"
        assert run("journal", folder, "--format", fmt, "--all", "-o", out).exit_code == 0
        table = read_back(out, fmt)
        RULES[fmt](table)
        assert not any("HYPERLINK" in cell or "SUM" in cell for row in table for cell in row)


def test_a_name_longer_than_yayoi_imports_is_refused_not_cut(example):
    (example / "recon.toml").write_text('[journal]\nexpense = "通信費（050IP電話・本社コールセンター）"\n', encoding="utf-8")
    result = run("journal", example, "--format", "yayoi")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1 and "24" in result.stderr
    assert not (example / "journal-2024-yayoi.csv").exists()
    assert run("journal", example, "--format", "freee").exit_code == 0  # freee takes it


@pytest.fixture
def nothing_closed(tmp_path) -> Path:
    """A year of one month, a warning nobody has signed off: nothing to book without --all."""
    folder = tmp_path / "2024"
    folder.mkdir()
    shutil.copy(Path(__file__).parent / "data" / "seed" / "2024-01.txt", folder / "2024-01.txt")
    (folder / "invoices.csv").write_text("利用月,請求額\n2024-01,128916\n", encoding="utf-8-sig")
    return folder


@pytest.mark.parametrize("fmt", ["yayoi", "freee", "mf"])
def test_with_no_month_to_book_no_file_is_written_and_the_line_says_why(nothing_closed, fmt):
    """An import file without an entry could be imported as the month's booking: none is written."""
    target = nothing_closed / f"journal-2024-{fmt}.csv"
    result = run("journal", nothing_closed, "--format", fmt)
    assert result.exit_code == 0 and not target.exists()
    assert result.stderr.splitlines() == [
        "2024-01 仕訳から除外: 締めていません (注意): レポートで説明と確認を記入するか、--all で書き出してください",
        f"仕訳にする月がないため、{target} は書き出していません (除外した月と理由は上のとおり)"]
    english = run("journal", nothing_closed, "--format", fmt, "--lang", "en", "--json")
    assert english.exit_code == 0 and not target.exists()
    assert english.stderr.splitlines()[-1] == (f"no month to book, so {target} was not written "
                                               "(the months left out, and why, are listed above)")
    doc = json.loads(english.stdout)
    assert (doc["file"], doc["entries"], [o["month"] for o in doc["left_out"]]) == (None, [], ["2024-01"])


def test_with_no_month_to_book_an_earlier_journal_is_left_as_it_was_and_named_as_such(nothing_closed):
    target = nothing_closed / "journal-2024-freee.csv"
    assert run("journal", nothing_closed, "--format", "freee", "--all").exit_code == 0
    earlier = target.read_bytes()
    assert "2024/01/31" in earlier.decode("cp932")
    result = run("journal", nothing_closed, "--format", "freee")
    assert result.exit_code == 0 and target.read_bytes() == earlier
    assert result.stderr.splitlines()[-1] == (
        "仕訳にする月がないため、何も書き出していません (除外した月と理由は上のとおり)。"
        f"{target} は以前に書き出したままで、今回の仕訳ではありません")


def test_a_folder_without_a_month_writes_no_journal(tmp_path):
    folder = tmp_path / "2024"
    folder.mkdir()
    result = run("journal", folder, "--format", "mf", "--lang", "en")
    assert result.exit_code == 0 and list(folder.iterdir()) == []
    assert result.stderr == f"no month found, so {folder / 'journal-2024-mf.csv'} was not written\n"
