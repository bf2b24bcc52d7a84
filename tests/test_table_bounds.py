"""Where a detail table ends (SPEC §1: the table sits "anywhere on any sheet, with titles and notes
around it"; "a bad value, a damaged row" is an error). A note typed below the table — in the label
column or a figure column, after a blank row or right under the 着割 or 合計 row — is no row of it;
a row with the table's labels, or figures among its rows, is, and a damaged one is an error.
The same in every form: pasted text, a workbook, a saved page, Google Sheets' page."""
from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from recon.errors import ReconError
from recon.labels import render
from recon.pipeline import build
from recon.readers import html, text
from recon.settings import load
from recon.table import find_tables

SEED_FILE = Path(__file__).parent / "data" / "seed" / "2024-01_table-only.txt"
SEED = SEED_FILE.read_text(encoding="utf-8")
SEED_ROWS = [[re.sub(r"</?b>", "", cell) for cell in line.split("\t")] for line in SEED.splitlines()]
SEED_FIGURES = ([("general", 1096, 1037935, 10240), ("international", 600, 1980600, 96870),
                 ("mobile", 330, 168450, 7680), ("ip", 480, 376350, 0), ("phs", 510, 393300, 15300)],
                (3016, 4316635, None), (3016, 1408630, -1174))


def tables_of(content: str):
    grids, _ = text.read(content.encode("utf-8"), "2024-01.txt")
    return [t for g in grids for t in find_tables(g)]


def error_of(content: str) -> ReconError:
    with pytest.raises(ReconError) as caught:
        tables_of(content)
    return caught.value


def _with(lines: list[str], after: str = "") -> str:
    """The seed table with `lines` put in after the line that holds `after` (the end: after none)."""
    rows = SEED.splitlines()
    at = next((i + 1 for i, line in enumerate(rows) if after and after in line), len(rows))
    return "\n".join(rows[:at] + lines + rows[at:]) + "\n"


# ── below the table: notes, not rows ─────────────────────────────────────────────────────────────

@pytest.mark.parametrize("note", [
    ["", "\t※メモ"],  # the label column, one blank row under 着割
    ["\t※メモ"],  # the label column, right under 着割
    ["", "", "", "", "", "", "", "\t\t確認済み 佐藤"],  # the count column, eight rows below
    ["", "\t\t\t\t※ 請求書と照合済み"],  # the charge column
    ["", "\t請求額\t\t\t128,916"],  # a figure the accountant noted under a label of their own
    ["", "\t確認日\t2024/02/05"],
    ["", "\t\t\t\t=SUM(E3:E7)"],  # a formula typed as text
    ["※ 金額は税別です", "作成 経理部"],  # prose at the left, as the page has it
])
def test_a_note_below_the_table_is_no_row_of_it(note):
    (table,) = tables_of(_with(note))
    assert table.figures() == SEED_FIGURES


def test_a_note_under_the_total_row_of_a_table_without_a_discount_row_is_no_row_of_it():
    content = "\n".join(line for line in SEED.splitlines() if "着割" not in line) + "\n\t※メモ 9/5 確認\n"
    (table,) = tables_of(content)
    assert len(table.rows) == 5 and table.stated_total.count == 3016 and table.discount is None


def test_a_second_table_below_a_note_is_read_as_its_own():
    tables = tables_of(_with(["", "\t※メモ", "", *SEED.splitlines()]))
    assert [t.figures() for t in tables] == [SEED_FIGURES, SEED_FIGURES]


# ── inside the table, or a row of it: still an error ─────────────────────────────────────────────

def test_a_note_between_the_call_type_rows_is_a_damaged_row_not_the_end_of_the_table():
    error = error_of(_with(["\t※メモ"], after="携帯通話"))
    assert (error.where.line, error.expected, error.found) == (6, "row_values", "※メモ")


def test_a_note_in_the_section_column_between_the_rows_is_no_quiet_end_of_the_table():
    error = error_of(_with(["※ここまで確認"], after="携帯通話"))
    assert error.where.line == 6  # the rows below it (IP, PHS, 合計, 着割) are never lost without a word


def test_a_note_in_a_figure_column_between_the_rows_is_an_error_there():
    error = error_of(_with(["\t\t確認済み"], after="国際通話"))
    assert (error.where.line, error.expected, error.found) == (5, "label", "確認済み")


def test_a_note_above_the_discount_row_is_inside_the_table():
    error = error_of(_with(["", "\t※メモ", ""], after="合計"))
    assert (error.where.line, error.expected) == (10, "row_values")


@pytest.mark.parametrize("row, expected", [
    ("\tPHS通話", "row_values"),  # a call type OCN lists, without its figures: a damaged row
    ("\tPHS通話\t510\t10:55:30.0", "row_values_missing"),
    ("\tPHS通話\t5l0\t10:55:30.0\t15,300", "count"),  # a garbled figure
])
def test_a_row_with_a_known_call_type_below_a_blank_row_is_the_tables_and_an_error_when_damaged(row, expected):
    content = "\n".join(line for line in SEED.splitlines() if "PHS" not in line) + f"\n\n{row}\n"
    error = error_of(content)
    assert (error.where.line, error.expected) == (10, expected)


def test_a_row_of_an_unknown_type_with_its_figures_below_the_table_is_counted_not_dropped():
    (table,) = tables_of(_with(["", "\tナビダイヤル\t12\t0:30:00.0\t1,200"]))
    assert table.rows[-1].type_id == "other:ナビダイヤル" and table.rows[-1].charge == 1200


def test_figures_without_a_label_among_the_call_type_rows_are_an_error():
    error = error_of(_with(["\t\t330\t4:40:45.0\t7,680"], after="国際通話"))
    assert (error.where.line, error.expected) == (5, "label")


def test_an_unknown_label_right_under_the_call_type_rows_is_still_a_row():
    content = "\n".join(SEED.splitlines()[:7]) + "\n\tナビダイヤル\t12\n"
    error = error_of(content)
    assert (error.where.line, error.expected, error.found) == (8, "row_values_missing", "ナビダイヤル 12")


# ── the same in a workbook, a saved page and Google Sheets' page ─────────────────────────────────

def _year(tmp_path: Path, name: str, data: bytes) -> Path:
    folder = tmp_path / "2024"
    folder.mkdir()
    (folder / name).write_bytes(data)
    (folder / "invoices.csv").write_text("利用月,請求額\n2024-03,128916\n", encoding="utf-8")
    return folder


def _workbook(tmp_path: Path, notes: dict[str, str]) -> bytes:
    """The seed table at B4:F12 (its title in B4), typed as a person pastes it, with `notes`."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "明細"
    for r, row in enumerate(SEED_ROWS, start=4):
        for c, value in enumerate(row, start=2):
            if value:
                ws.cell(r, c, value)
    for ref, value in notes.items():
        ws[ref] = value
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path.read_bytes()


@pytest.mark.parametrize("notes", [{"C14": "※メモ"}, {"D20": "確認済み 佐藤"}, {"C13": "※メモ", "F16": "済"}])
def test_a_note_under_a_table_in_a_workbook_leaves_the_month_and_its_figures(tmp_path, notes):
    report = build(_year(tmp_path, "2024-03.xlsx", _workbook(tmp_path, notes)), load(None))
    (month,) = report.months
    assert (month.status, month.total.charge, month.discount.stated) == ("warning", 130090, -1174)


def test_a_damaged_row_in_a_workbook_is_an_error_at_its_cell(tmp_path):
    report = build(_year(tmp_path, "2024-03.xlsx", _workbook(tmp_path, {"D9": "48O"})), load(None))
    (month,) = report.months
    (record,) = [f for f in report.files if f.status == "error"]
    assert month.status == "error"
    assert render(record.message, "ja") == "2024-03.xlsx:明細!D9: 通話数 (例: 1,096)が必要ですが「48O」でした"


def _page(rows: list[list[str]], frame: bool = False, before: str = "") -> bytes:
    """A page on one line, as Google Sheets and many web systems save it: the rows as a table (after
    the markup `before`); with `frame`, Google Sheets' row numbers and column letters around them."""
    width = max(len(row) for row in rows)
    cells = ["".join(f"<td>{value}</td>" for value in row + [""] * (width - len(row))) for row in rows]
    if frame:
        letters = "".join(f"<th>{chr(65 + c)}</th>" for c in range(width))
        body = "".join(f"<tr><th>{n}</th>{row}</tr>" for n, row in enumerate(cells, start=1))
        table = f"<table><thead><tr><th></th>{letters}</tr></thead><tbody>{body}</tbody></table>"
    else:
        table = "<table>" + "".join(f"<tr>{row}</tr>" for row in cells) + "</table>"
    return f'<html><head><meta charset="utf-8"></head><body>{before}<p>2024年3月分</p>{table}</body></html>'.encode()


@pytest.mark.parametrize("frame", [False, True])
def test_a_note_three_rows_under_a_table_on_a_page_leaves_the_month(tmp_path, frame):
    rows = [*SEED_ROWS, [], [], ["", "", "", "", "※ 9/5 佐藤確認"]]
    report = build(_year(tmp_path, "2024年3月分.html", _page(rows, frame)), load(None))
    (month,) = report.months
    assert (month.status, month.total.charge) == ("warning", 130090)


def test_a_cell_of_a_page_on_one_line_is_named_by_its_table_row_and_column():
    rows = [[cell.replace("330", "33O") for cell in row] for row in SEED_ROWS]
    page = _page(rows, before="<table><tr><td>ご利用明細</td></tr></table>")
    (grid, *_), _ = html.read(page, "2024年3月分.html")
    with pytest.raises(ReconError) as caught:
        [t for g in html.read(page, "2024年3月分.html")[0] for t in find_tables(g)]
    error = caught.value
    assert render(error.message(), "ja") == ("2024年3月分.html:1 (表2の5行目・3列目): "
                                             "通話数 (例: 1,096)が必要ですが「33O」でした")
    assert str(error) == ("2024年3月分.html:1 (table 2, row 5, column 3): expected a count such as 1,096, "
                          "found '33O'")
    assert grid.rows[0][0].where.table == 1


def test_a_cell_of_google_sheets_page_is_named_as_its_frame_shows_it():
    rows = [[""], *(["", *row] for row in SEED_ROWS)]  # the table at B2, as a sheet keeps it
    rows[5][3] = "33O"
    with pytest.raises(ReconError) as caught:
        [t for g in html.read(_page(rows, frame=True), "2024年3月分.html")[0] for t in find_tables(g)]
    assert render(caught.value.message(), "ja") == "2024年3月分.html:D6: 通話数 (例: 1,096)が必要ですが「33O」でした"
