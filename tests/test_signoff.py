"""The close inside the workbook: notes and sign-offs survive a rebuild, a sign-off is void when
the inputs under it change, and `recon check` says which months are still open."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from recon import labels
from recon.cli import main
from recon.model import Fingerprint, Prior, PriorMonth
from recon.pipeline import build
from recon.settings import load
from recon.signoff import apply, passes

SEED = Path(__file__).parent / "data" / "seed" / "2024-01.txt"
EXPLANATION = "OCN に問い合わせ済み。翌月請求で 1 円調整の回答あり"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def year(tmp_path) -> Path:
    """January (the seed, a warning) and February (the seed again, its invoice one yen over)."""
    folder = tmp_path / "2024"
    folder.mkdir()
    shutil.copy(SEED, folder / "2024-01.txt")
    shutil.copy(SEED, folder / "2024-02.txt")
    (folder / "invoices.csv").write_text("month,amount\n2024-01,128916\n2024-02,128917\n", encoding="utf-8")
    return folder


def report_path(folder: Path) -> Path:
    return folder / "recon-2024.xlsx"


def columns(ws, kind: str) -> dict[str, int]:
    words = {word: key for key, ja, en in labels.HEADERS[kind] for word in (ja, en)}
    return {words[c.value]: c.column for c in ws[1] if c.value in words}


def summary_rows(path: Path) -> dict[str, dict]:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    col = columns(ws, "summary")
    rows = {}
    for r in range(2, ws.max_row + 1):
        month = str(ws.cell(r, col["month"]).value or "")
        if not month.startswith("2024-"):
            break  # the year total; the chart's figures below it repeat the months
        rows[month] = {k: ws.cell(r, c).value for k, c in col.items()}
    return rows


def type_into(path: Path, month: str, **fields) -> None:
    """Type on the summary as an accountant does in Excel, and save."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    col = columns(ws, "summary")
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["month"]).value == month)
    for field, value in fields.items():
        ws.cell(row, col[field]).value = value
    wb.save(path)


def explain_check(path: Path, month: str, check_word: str, text: str) -> None:
    wb = openpyxl.load_workbook(path)
    ws = next(w for w in wb.worksheets if w.title in labels.SHEETS["checks"])
    col = columns(ws, "checks")
    row = next(r for r in range(2, ws.max_row + 1)
               if ws.cell(r, col["month"]).value == month and ws.cell(r, col["check"]).value == check_word)
    ws.cell(row, col["explanation"]).value = text
    wb.save(path)


def sign_off_february(folder: Path) -> None:
    assert run("build", folder, "-q").exit_code == 0
    explain_check(report_path(folder), "2024-02", "請求額", EXPLANATION)
    explain_check(report_path(folder), "2024-02", "合計通話時間", "OCN 画面の合計時間の誤り")
    type_into(report_path(folder), "2024-02", explanation="1円差はOCN回答待ち", reviewer="佐藤",
              signed_on=dt.datetime(2024, 3, 15))


def test_notes_and_sign_off_survive_a_rebuild(year):
    sign_off_february(year)
    assert run("build", year, "-q").exit_code == 0
    february = summary_rows(report_path(year))["2024-02"]
    assert (february["explanation"], february["reviewer"]) == ("1円差はOCN回答待ち", "佐藤")
    assert february["signed_on"] == dt.datetime(2024, 3, 15)
    assert february["close"] == "締め済" and february["status"] == "差異あり"
    wb = openpyxl.load_workbook(report_path(year))
    checks = next(w for w in wb.worksheets if w.title == "チェック")
    col = columns(checks, "checks")
    notes = [checks.cell(r, col["explanation"]).value for r in range(2, checks.max_row + 1)]
    assert EXPLANATION in [note.replace("\n", "") for note in notes if note]  # shown broken into lines


def test_rebuilding_twice_keeps_the_same_bytes(year):
    sign_off_february(year)
    run("build", year, "-q")
    first = report_path(year).read_bytes()
    run("build", year, "-q")
    assert report_path(year).read_bytes() == first


def test_a_changed_invoice_voids_the_sign_off(year):
    sign_off_february(year)
    run("build", year, "-q")
    (year / "invoices.csv").write_text("month,amount\n2024-01,128916\n2024-02,128918\n", encoding="utf-8")
    result = run("build", year, "--json")
    february = next(m for m in json.loads(result.stdout)["months"] if m["month"] == "2024-02")
    assert february["close"]["state"] == "open" and february["close"]["changed"] == ["invoice"]
    assert any("needs review" in m for m in february["messages"])
    row = summary_rows(report_path(year))["2024-02"]
    assert row["close"] == "要再確認" and row["reviewer"] == "佐藤"  # kept, but no longer standing


def test_a_changed_detail_file_voids_only_its_month(year):
    sign_off_february(year)
    type_into(report_path(year), "2024-01", explanation="OCN の合計行の誤り", reviewer="佐藤", signed_on="2024-02-10")
    explain_check(report_path(year), "2024-01", "合計通話時間", "OCN 画面の合計が 10 時間多い")
    run("build", year, "-q")
    changed = SEED.read_text(encoding="utf-8").replace("\t1096\t28:49:53.5\t10,240", "\t1097\t28:49:53.5\t10,248")
    (year / "2024-02.txt").write_text(changed, encoding="utf-8")
    rows = summary_rows(report_path(year)) if run("build", year, "-q").exit_code == 0 else {}
    assert rows["2024-02"]["close"] == "要再確認"
    assert rows["2024-01"]["close"] == "締め済"


def test_a_stale_month_closes_again_when_signed_anew(year):
    sign_off_february(year)
    run("build", year, "-q")
    (year / "invoices.csv").write_text("month,amount\n2024-01,128916\n2024-02,128918\n", encoding="utf-8")
    run("build", year, "-q")
    explain_check(report_path(year), "2024-02", "請求額", "2円差。OCN 回答済み")
    type_into(report_path(year), "2024-02", reviewer="鈴木", signed_on="2024-03-20")
    run("build", year, "-q")
    assert summary_rows(report_path(year))["2024-02"]["close"] == "締め済"


def test_check_exits_1_while_a_month_is_open_and_0_once_closed(year):
    assert run("check", year, "-q").exit_code == 1  # February's variance is open
    sign_off_february(year)
    assert run("check", year, "-q").exit_code == 0
    assert run("check", year, "-q", "--strict").exit_code == 1  # January's warning is not signed off
    type_into(report_path(year), "2024-01", explanation="OCN の合計時間の誤り", reviewer="佐藤",
              signed_on="2024-02-10")
    explain_check(report_path(year), "2024-01", "合計通話時間", "OCN 画面の合計が 10 時間多い")
    assert run("check", year, "-q", "--strict").exit_code == 0


def test_a_sign_off_without_explanations_does_not_close(year):
    run("build", year, "-q")
    type_into(report_path(year), "2024-02", reviewer="佐藤", signed_on="2024-03-15")
    result = run("check", year, "--json")
    february = next(m for m in json.loads(result.stdout)["months"] if m["month"] == "2024-02")
    assert result.exit_code == 1 and february["close"]["state"] == "open"
    (said,) = [m for m in february["messages"] if m.startswith("signed off")]
    assert said == ("signed off, but without an explanation of the failing Total call time, Invoiced amount: write it "
                    "in that row's Explanation column on the Checks sheet")  # each failing check it waits for
    explain_check(report_path(year), "2024-02", "請求額", EXPLANATION)
    result = run("check", year)
    assert result.exit_code == 1
    assert "確認済みですが、説明のない不一致のチェックがあります: 合計通話時間。チェックシートのその行の説明欄に記入してください" in result.output


def test_notes_of_a_month_that_is_gone_are_carried_not_lost(year):
    sign_off_february(year)
    (year / "2024-02.txt").unlink()
    (year / "invoices.csv").write_text("month,amount\n2024-01,128916\n", encoding="utf-8")
    run("build", year, "-q")
    wb = openpyxl.load_workbook(report_path(year))
    text = "\n".join(str(c.value) for row in wb.worksheets[0].iter_rows() for c in row if c.value)
    assert "引継ぎメモ 2024-02 説明: 1円差はOCN回答待ち" in text
    assert f"引継ぎメモ 2024-02 請求額: {EXPLANATION}" in text
    run("build", year, "-q")  # and they stay carried on the next build
    wb = openpyxl.load_workbook(report_path(year))
    assert EXPLANATION in "\n".join(str(c.value) for row in wb.worksheets[0].iter_rows() for c in row if c.value)


def test_a_report_in_the_other_language_still_carries_its_notes(year):
    sign_off_february(year)
    assert run("build", year, "-q", "--lang", "en").exit_code == 0
    assert summary_rows(report_path(year))["2024-02"]["reviewer"] == "佐藤"


# --- the rules, without files -------------------------------------------------------------------

def seed_report(year: Path):
    return build(year, load(None))


def test_ok_months_are_closed_without_a_sign_off(tmp_path):
    folder = tmp_path / "2024"
    folder.mkdir()
    shutil.copy(SEED, folder / "2024-01.txt")
    text = (folder / "2024-01.txt").read_text(encoding="utf-8").replace("119:54:23.5", "109:54:23.5")
    (folder / "2024-01.txt").write_text(text, encoding="utf-8")
    (folder / "invoices.csv").write_text("month,amount\n2024-01,128916\n", encoding="utf-8")
    (month,) = apply(build(folder, load(None)), Prior()).months
    assert month.status == "ok" and month.close.state == "closed" and passes(month, strict=True)


def test_a_sign_off_typed_after_the_last_build_stands_on_what_that_report_showed(year):
    report = seed_report(year)
    february = report.months[1]
    prior = Prior({("", "2024-02"): PriorMonth("x", "佐藤", "2024-03-15", shown=february.fingerprint)},
                  {("", "2024-02", "invoice"): "OCN 回答待ち", ("", "2024-02", "total_duration"): "OCN の誤り"})
    closed = apply(report, prior).months[1]
    assert closed.close.state == "closed" and closed.close.stale == ()


def test_a_sign_off_recon_recorded_keeps_its_basis_until_signed_anew(year):
    report = seed_report(year)
    february = report.months[1]
    old = Fingerprint(february.fingerprint.detail, "an older invoice")
    prior = Prior({("", "2024-02"): PriorMonth("x", "佐藤", "2024-03-15", shown=february.fingerprint, basis=old,
                                               basis_reviewer="佐藤", basis_signed_on="2024-03-15")},
                  {("", "2024-02", "invoice"): "OCN 回答待ち", ("", "2024-02", "total_duration"): "OCN の誤り"})
    assert apply(report, prior).months[1].close.stale == ("invoice",)
    resigned = Prior({("", "2024-02"): PriorMonth("x", "佐藤", "2024-04-01", shown=february.fingerprint, basis=old,
                                                  basis_reviewer="佐藤", basis_signed_on="2024-03-15")},
                     prior.checks)
    assert apply(report, resigned).months[1].close.state == "closed"
