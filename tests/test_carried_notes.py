"""A note or a sign-off whose month or check is gone for a build is carried, and returns to its month
or check when it comes back (SPEC §5.1: never lost), standing again when the inputs under it are
what they were when it was given."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from test_signoff import EXPLANATION, SEED, report_path, run, sign_off_february, summary_rows, type_into

from recon import labels
from recon.model import Fingerprint, Prior, PriorMonth
from recon.pipeline import build
from recon.settings import load
from recon.signoff import apply

BOTH_MONTHS = "month,amount\n2024-01,128916\n2024-02,128917\n"
JANUARY_ONLY = "month,amount\n2024-01,128916\n"


@pytest.fixture
def year(tmp_path) -> Path:
    """January (the seed, a warning) and February (the seed again, its invoice one yen over)."""
    folder = tmp_path / "2024"
    folder.mkdir()
    shutil.copy(SEED, folder / "2024-01.txt")
    shutil.copy(SEED, folder / "2024-02.txt")
    (folder / "invoices.csv").write_text(BOTH_MONTHS, encoding="utf-8")
    return folder


def carried_lines(path: Path) -> list[str]:
    """The summary's carried-notes lines, as a person reads them under the year total."""
    wb = openpyxl.load_workbook(path)
    title = labels.CARRIED[0]
    return [str(c.value) for row in wb.worksheets[0].iter_rows() for c in row
            if isinstance(c.value, str) and c.value.startswith(title)]


def check_notes(path: Path, month: str) -> dict[str, str]:
    wb = openpyxl.load_workbook(path)
    ws = next(w for w in wb.worksheets if w.title in labels.SHEETS["checks"])
    words = {word: key for key, ja, en in labels.HEADERS["checks"] for word in (ja, en)}
    col = {words[c.value]: c.column for c in ws[1] if c.value in words}
    # each cell as it reads without the line breaks the report shows it in
    return {ws.cell(r, col["check"]).value.replace("\n", ""): ws.cell(r, col["explanation"]).value.replace("\n", "")
            for r in range(2, ws.max_row + 1)
            if ws.cell(r, col["month"]).value == month and ws.cell(r, col["explanation"]).value}


def february_away(year: Path, away: Path) -> None:
    """February's table moved out of the folder and its invoice row taken out, as a user tidying does."""
    shutil.move(year / "2024-02.txt", away / "2024-02.txt")
    (year / "invoices.csv").write_text(JANUARY_ONLY, encoding="utf-8")


def february_back(year: Path, away: Path) -> None:
    shutil.move(away / "2024-02.txt", year / "2024-02.txt")
    (year / "invoices.csv").write_text(BOTH_MONTHS, encoding="utf-8")


def test_a_signed_month_gone_for_a_build_returns_signed_and_closed(year, tmp_path):
    sign_off_february(year)
    february_away(year, tmp_path)
    assert run("build", year, "-q").exit_code == 0
    assert "2024-02" not in summary_rows(report_path(year))
    assert len(carried_lines(report_path(year))) == 5  # 説明, 確認者, 確認日 and two checks' notes
    assert run("build", year, "-q").exit_code == 0  # gone for two builds: still carried
    february_back(year, tmp_path)

    result = run("build", year, "--json")
    assert result.exit_code == 0
    february = summary_rows(report_path(year))["2024-02"]
    assert (february["explanation"], february["reviewer"], february["signed_on"]) == (
        "1円差はOCN回答待ち", "佐藤", dt.datetime(2024, 3, 15))
    assert february["close"] == "締め済"  # the same inputs as when it was signed: it stands again
    assert check_notes(report_path(year), "2024-02") == {"請求額": EXPLANATION,
                                                         "合計通話時間": "OCN 画面の合計時間の誤り"}
    assert carried_lines(report_path(year)) == []  # back in its place, not also in the carried notes
    close = next(m for m in json.loads(result.stdout)["months"] if m["month"] == "2024-02")["close"]
    assert close["state"] == "closed" and close["reviewer"] == "佐藤"
    assert run("check", year, "-q").exit_code == 0


def test_a_sign_off_that_returns_to_changed_inputs_needs_review(year, tmp_path):
    sign_off_february(year)
    february_away(year, tmp_path)
    run("build", year, "-q")
    february_back(year, tmp_path)
    changed = SEED.read_text(encoding="utf-8").replace("\t1096\t28:49:53.5\t10,240", "\t1097\t28:49:53.5\t10,248")
    (year / "2024-02.txt").write_text(changed, encoding="utf-8")
    result = run("build", year, "--json")
    february = summary_rows(report_path(year))["2024-02"]
    assert february["reviewer"] == "佐藤" and february["close"] == "要再確認"
    close = next(m for m in json.loads(result.stdout)["months"] if m["month"] == "2024-02")["close"]
    assert close["state"] == "open" and close["changed"] == ["detail"]


def test_a_check_note_returns_when_its_check_comes_back(year):
    sign_off_february(year)
    (year / "invoices.csv").write_text(JANUARY_ONLY, encoding="utf-8")  # February's invoice check goes
    run("build", year, "-q")
    assert "2024-02" in summary_rows(report_path(year))
    assert "請求額" not in check_notes(report_path(year), "2024-02")
    assert any(EXPLANATION in line for line in carried_lines(report_path(year)))
    (year / "invoices.csv").write_text(BOTH_MONTHS, encoding="utf-8")
    run("build", year, "-q")
    assert check_notes(report_path(year), "2024-02")["請求額"] == EXPLANATION
    assert carried_lines(report_path(year)) == []


def test_a_carried_note_unlike_what_its_row_holds_now_stays_carried(year, tmp_path):
    sign_off_february(year)
    february_away(year, tmp_path)
    run("build", year, "-q")
    february_back(year, tmp_path)
    run("build", year, "-q")  # February is back, its notes in their place
    type_into(report_path(year), "2024-02", explanation="OCN から回答: 翌月調整")  # a new explanation typed
    run("build", year, "-q")
    assert summary_rows(report_path(year))["2024-02"]["explanation"] == "OCN から回答: 翌月調整"
    assert carried_lines(report_path(year)) == []  # the old text was restored, then typed over: the row wins


def test_a_report_that_kept_a_returned_months_notes_in_the_carried_area_gives_them_back(year, tmp_path):
    # what the earlier code left: February back in the summary with empty cells, its notes carried still
    sign_off_february(year)
    report = build(year, load(None))
    carried = (("", "2024-02", "explanation", "1円差はOCN回答待ち"), ("", "2024-02", "invoice", EXPLANATION))
    before = Prior(months={("", "2024-02"): PriorMonth(shown=Fingerprint("x", "y"))}, carried=carried)
    from recon.prior import _restored

    prior = _restored(dict(before.months), {}, before.carried, {})
    closed = apply(report, prior)
    february = next(m for m in closed.months if m.month == "2024-02")
    assert february.close.signoff.explanation == "1円差はOCN回答待ち"
    assert february.close.note_for("invoice") == EXPLANATION
    assert closed.carried == ()


def test_text_in_the_row_and_different_text_carried_are_both_kept():
    from recon.prior import _restored

    months = {("", "2024-02"): PriorMonth(explanation="今の説明")}
    carried = (("", "2024-02", "explanation", "前の説明"), ("", "2024-02", "reviewer", "佐藤"))
    prior = _restored(months, {}, carried, {})
    assert prior.months[("", "2024-02")].explanation == "今の説明"
    assert prior.months[("", "2024-02")].reviewer == "佐藤"
    assert prior.carried == (("", "2024-02", "explanation", "前の説明"),)


def test_a_sign_off_carried_back_without_its_inputs_recorded_stands_on_nothing():
    # a month gone whose sign-off no report recorded: recon cannot vouch for what it was given on
    from recon.prior import _restored

    carried = (("", "2024-02", "reviewer", "佐藤"), ("", "2024-02", "signed_on", "2024-03-15"))
    prior = _restored({}, {}, carried, {})
    month = prior.months[("", "2024-02")]
    assert (month.reviewer, month.signed_on, month.basis, month.shown) == ("佐藤", "2024-03-15", None, None)
