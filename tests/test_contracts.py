"""Several OCN contracts in one year folder: one subfolder per contract, checks per (contract, month)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from recon.cli import main
from recon.pipeline import build
from recon.settings import load

SEED = Path(__file__).parent / "data" / "seed"


@pytest.fixture
def company(tmp_path) -> Path:
    """Three contracts, each with January in another form; 大阪支店's invoice is one yen over."""
    year = tmp_path / "2024"
    for contract, source, name in (("本社", "2024-01.txt", "2024-01.txt"),
                                   ("大阪支店", "2024-01_cp932.csv", "1月.csv"),
                                   ("名古屋営業所", "2024-01.xlsx", "2024年1月分.xlsx")):
        (year / contract).mkdir(parents=True)
        shutil.copy(SEED / source, year / contract / name)
    (year / "invoices.csv").write_text(
        "契約,利用月,請求額\n本社,2024-01,128916\n大阪支店,2024-01,128917\n名古屋営業所,2024-01,128916\n",
        encoding="utf-8-sig")
    return year


def by_contract(report):
    return {(m.account, m.month): m for m in report.months}


def test_each_contract_is_reconciled_on_its_own(company):
    months = by_contract(build(company, load(None)))
    assert sorted(months) == [("名古屋営業所", "2024-01"), ("大阪支店", "2024-01"), ("本社", "2024-01")]
    assert {k[0]: m.status for k, m in months.items()} == {
        "本社": "warning", "大阪支店": "variance", "名古屋営業所": "warning"}
    osaka = months[("大阪支店", "2024-01")]
    assert osaka.invoice_variance == 1 and osaka.sources == ("大阪支店/1月.csv",)


def test_files_carry_their_contract(company):
    files = {f.path: f.account for f in build(company, load(None)).files}
    assert files == {"invoices.csv": "", "名古屋営業所/2024年1月分.xlsx": "名古屋営業所",
                     "大阪支店/1月.csv": "大阪支店", "本社/2024-01.txt": "本社"}


def test_each_contract_may_keep_its_own_invoices(company):
    (company / "invoices.csv").unlink()
    for contract in ("本社", "大阪支店", "名古屋営業所"):
        (company / contract / "invoices.csv").write_text("month,amount\n2024-01,128916\n", encoding="utf-8")
    report = build(company, load(None))
    assert {m.account: m.status for m in report.months} == {
        "本社": "warning", "大阪支店": "warning", "名古屋営業所": "warning"}
    assert report.notes == ()


def test_invoice_rows_for_a_contract_without_a_folder_are_reported(company):
    with open(company / "invoices.csv", "a", encoding="utf-8") as f:
        f.write("福岡支店,2024-01,5000\n")
    report = build(company, load(None))
    assert [n.key for n in report.notes] == ["contract_without_folder"]
    assert by_contract(report)[("福岡支店", "2024-01")].status == "missing"


def test_a_folder_without_invoice_rows_is_reported(company):
    (company / "札幌").mkdir()
    shutil.copy(SEED / "2024-01.txt", company / "札幌" / "2024-01.txt")
    report = build(company, load(None))
    assert [(n.key, dict(n.params)) for n in report.notes] == [("contract_without_invoices", {"account": "札幌"})]
    assert by_contract(report)[("札幌", "2024-01")].status == "missing"


def test_months_are_filled_per_contract(company):
    shutil.copy(SEED / "2024-01.txt", company / "本社" / "2024-03.txt")
    months = sorted(by_contract(build(company, load(None))))
    assert ("本社", "2024-02") in months and ("大阪支店", "2024-02") not in months


def test_check_json_reports_per_contract(company):
    result = CliRunner().invoke(main, ["check", str(company), "--json"])
    assert result.exit_code == 1  # 大阪支店 is a variance
    data = json.loads(result.stdout)
    assert [(m["account"], m["status"]) for m in data["months"]] == [  # as invoices.csv lists them
        ("本社", "warning"), ("大阪支店", "variance"), ("名古屋営業所", "warning")]
    assert data["notes"] == []


def test_contracts_come_in_the_order_the_invoice_file_lists_them_else_by_name(company):
    assert [m.account for m in build(company, load(None)).months] == ["本社", "大阪支店", "名古屋営業所"]
    (company / "invoices.csv").unlink()
    for contract in ("本社", "大阪支店", "名古屋営業所"):  # each its own file: no order of the user's
        (company / contract / "invoices.csv").write_text("month,amount\n2024-01,128916\n", encoding="utf-8")
    assert [m.account for m in build(company, load(None)).months] == sorted(["本社", "大阪支店", "名古屋営業所"])


def test_each_months_company_total_stands_beside_its_contracts(company):
    from recon.view import view

    for contract in ("本社", "大阪支店", "名古屋営業所"):
        shutil.copy(SEED / "2024-01.txt", company / contract / "2024-02.txt")
    rows = view(build(company, load(None)), load(None)).summary
    assert [(r.kind, r.account, r.month) for r in rows] == [
        ("month", "本社", "2024-01"), ("month", "大阪支店", "2024-01"), ("month", "名古屋営業所", "2024-01"),
        ("company", "", "2024-01"),
        ("month", "本社", "2024-02"), ("month", "大阪支店", "2024-02"), ("month", "名古屋営業所", "2024-02"),
        ("company", "", "2024-02")]
    february = rows[-1]  # no invoice for February: every contract left out, and said why
    assert february.summed == () and february.left_out_why == ("no_invoice",) * 3
    assert february.charge is None and february.invoiced_all is None


def test_single_contract_folder_has_no_contract(tmp_path):
    year = tmp_path / "2024"
    year.mkdir()
    shutil.copy(SEED / "2024-01.txt", year / "2024-01.txt")
    report = build(year, load(None))
    assert [m.account for m in report.months] == [""] and report.notes == ()


# --- the workbook -------------------------------------------------------------------------------

def summary_table(path: Path) -> list[dict]:
    import openpyxl

    ws = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in ws[1]]
    rows = []
    for row in ws.iter_rows(min_row=2, values_only=True):
        rows.append(dict(zip(header, row, strict=False)))
        if row[0] == "年間合計":
            return rows
    raise AssertionError("no year total")


def test_summary_has_a_contract_column_and_the_company_total_per_month(company):
    assert CliRunner().invoke(main, ["build", str(company), "-q"]).exit_code == 0
    rows = summary_table(company / "recon-2024.xlsx")
    assert [(r["契約"], r["利用月"], r["状態"], r["差額"]) for r in rows] == [
        ("本社", "2024-01", "注意", 0), ("大阪支店", "2024-01", "差異あり", 1), ("名古屋営業所", "2024-01", "注意", 0),
        ("会社計", "2024-01", "3件要確認", 1), ("年間合計", None, "3件要確認", 1)]
    company_row, total = rows[3], rows[4]
    assert (company_row["通話数"], company_row["通話料金"], company_row["請求額"]) == (3 * 3016, 3 * 130090, 3 * 128916 + 1)
    assert (total["通話数"], total["請求額"]) == (3 * 3016, 3 * 128916 + 1)  # the company rows are not counted twice


def test_call_type_sheets_have_a_contract_column_under_the_filter(company):
    import openpyxl

    CliRunner().invoke(main, ["build", str(company), "-q", "--lang", "en"])
    ws = openpyxl.load_workbook(company / "recon-2024.xlsx")["International"]
    assert [c.value for c in ws[1]][:3] == ["Contract", "Month", "Calls"]
    assert [(r[0], r[1], r[2]) for r in ws.iter_rows(min_row=2, values_only=True)] == [
        ("本社", "2024-01", 600), ("大阪支店", "2024-01", 600), ("名古屋営業所", "2024-01", 600),
        ("Year total", None, 1800)]  # the year's total, outside the filter
    assert ws.auto_filter.ref == "A1:J4" and ws.freeze_panes == "C2"


def test_a_contracts_sign_off_is_carried_by_contract(company):
    import openpyxl

    CliRunner().invoke(main, ["build", str(company), "-q"])
    path = company / "recon-2024.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = {c.value: c.column for c in ws[1]}
    osaka = next(r for r in range(2, 6) if ws.cell(r, header["契約"]).value == "大阪支店")
    ws.cell(osaka, header["説明"]).value = "1円は OCN 端数調整"
    wb.save(path)
    CliRunner().invoke(main, ["build", str(company), "-q"])
    rows = {(r["契約"], r["利用月"]): r for r in summary_table(path)}
    assert rows[("大阪支店", "2024-01")]["説明"] == "1円は OCN 端数調整"
    assert rows[("本社", "2024-01")]["説明"] is None and rows[("会社計", "2024-01")]["説明"] is None


def test_a_single_contract_workbook_has_no_contract_column(tmp_path):
    year = tmp_path / "2024"
    year.mkdir()
    shutil.copy(SEED / "2024-01.txt", year / "2024-01.txt")
    CliRunner().invoke(main, ["build", str(year), "-q"])
    rows = summary_table(year / "recon-2024.xlsx")
    assert "契約" not in rows[0] and [r["利用月"] for r in rows] == ["2024-01", "年間合計"]


@pytest.mark.parametrize("lang, counts, close", [
    ("ja", "3契約・1か月の3件: 注意 2、差異あり 1",
     "締め: 未了。3契約・1か月の3件のうち1件が締めを止めています: 大阪支店/2024-01 差異あり "
     "(ほかに注意の2件が未了ですが、締めは止めません: 本社/2024-01、名古屋営業所/2024-01)"),
    ("en", "3 contract-months (3 contracts × 1 month): Warning 2, Variance 1",
     "close: not done, 1 of 3 contract-months (3 contracts × 1 month) blocks it: 大阪支店/2024-01 variance "
     "(2 more are open as warnings, which do not block it: 本社/2024-01, 名古屋営業所/2024-01)"),
])
def test_the_console_counts_contract_months_not_calendar_months(company, lang, counts, close):
    """Three contracts' January is one month of the calendar: build and check never say 3か月 of it."""
    built = CliRunner().invoke(main, ["build", str(company), "--lang", lang])
    checked = CliRunner().invoke(main, ["check", str(company), "--lang", lang])
    assert built.exit_code == 0 and checked.exit_code == 1
    assert counts in built.output.splitlines(), built.output
    assert counts in checked.output.splitlines(), checked.output
    assert checked.output.splitlines()[-1] == close
