"""Recognising the detail table: header words, values by shape, the seed's shifted total row."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from recon.errors import ReconError
from recon.model import Cell, Duration, Figures, Grid, Where
from recon.readers import text
from recon.table import find_tables

SEED_FILE = Path(__file__).parent / "data" / "seed" / "2024-01_table-only.txt"
SEED = SEED_FILE.read_text(encoding="utf-8")


def tables_of(content: str, name: str = "2024-01.txt"):
    grids, _ = text.read(content.encode("utf-8"), name)
    return [t for g in grids for t in find_tables(g)]


def one(content: str):
    found = tables_of(content)
    assert len(found) == 1
    return found[0]


def error_of(content: str) -> ReconError:
    with pytest.raises(ReconError) as caught:
        tables_of(content)
    return caught.value


def test_shifted_total_row_reads_count_and_time():
    t = one(SEED)
    assert t.stated_total == Figures(3016, 4316635, None)
    assert str(t.total_where) == "2024-01.txt:8"


def test_seed_rows_in_order_with_their_lines():
    t = one(SEED)
    assert [(r.type_id, r.count, r.tenths, r.charge) for r in t.rows] == [
        ("general", 1096, 1037935, 10240), ("international", 600, 1980600, 96870),
        ("mobile", 330, 168450, 7680), ("ip", 480, 376350, 0), ("phs", 510, 393300, 15300)]
    assert [r.where.line for r in t.rows] == [3, 4, 5, 6, 7]


def test_discount_row_reads_incoming_calls_and_stated_discount():
    d = one(SEED).discount
    assert (d.count, d.tenths, d.stated) == (3016, 1408630, -1174)


def test_table_is_found_under_prose_and_ends_before_notes():
    content = "ご利用明細\n⑩ 下部にスクロールすると…\n\n" + SEED + "\n※「O50IP電話」の利用明細に関する注意事項 2024年1月\n"
    t = one(content)
    assert len(t.rows) == 5 and t.where.line == 5


def test_missing_total_row_leaves_stated_values_absent():
    t = one("\n".join(line for line in SEED.splitlines() if "合計" not in line))
    assert t.stated_total == Figures(None, None, None) and t.total_where is None


def test_total_row_in_its_own_columns_reads_all_three():
    t = one(SEED.replace("\t<b>合計</b>\t\t<b>3016</b>\t<b>119:54:23.5</b>", "\t合計\t3,016\t119:54:23.5\t130,090"))
    assert t.stated_total == Figures(3016, 4316635, 130090)


def test_total_row_without_a_duration_falls_back_on_columns():
    t = one(SEED.replace("\t<b>合計</b>\t\t<b>3016</b>\t<b>119:54:23.5</b>", "\t合計\t\t\t130,090"))
    assert t.stated_total == Figures(None, None, 130090)


@pytest.mark.parametrize("word", ["合計", "小計", "計", "総計"])
def test_total_row_words(word):
    assert one(SEED.replace("<b>合計</b>", word)).stated_total.count == 3016


def test_unknown_call_type_is_kept_as_written():
    t = one(SEED.replace("\tPHS通話\t510", "\tナビダイヤル\t2\t0:10:00.0\t400\n\tPHS通話\t510"))
    other = [r for r in t.rows if r.type_id.startswith("other:")]
    assert [(r.type_id, r.label, r.count) for r in other] == [("other:ナビダイヤル", "ナビダイヤル", 2)]


def test_050_title_spelled_with_a_zero_is_accepted():
    assert len(one(SEED.replace("O50IP電話", "050IP電話")).rows) == 5


def test_bad_value_names_line_and_expectation():
    error = error_of(SEED.replace("1096", "1O96"))
    assert str(error) == "2024-01.txt:3: expected a count such as 1,096, found '1O96'"


def test_bad_charge_names_the_charge():
    error = error_of(SEED.replace("96,870", "96.870,5"))
    assert error.where.line == 4 and error.expected == "yen"


def test_type_row_without_a_charge_is_an_error_quoting_the_row_as_written():
    error = error_of(SEED.replace("\t10,240", "\t"))
    assert (error.where.line, error.expected, error.found, error.params) == (
        3, "row_values_missing", "一般通話 1096 28:49:53.5", {"missing": ("yen",)})
    assert error.render("ja") == ("2024-01.txt:3: 通話数・通話時間・通話料金のそろった行が必要ですが"
                                  "「一般通話 1096 28:49:53.5」でした。この行には通話料金がありません")
    assert error.render("en") == ("2024-01.txt:3: expected a row with a count, a duration and a charge, "
                                  "found '一般通話 1096 28:49:53.5' (this one has no charge)")


def test_second_row_for_a_call_type_is_an_error_naming_the_first():
    error = error_of(SEED.replace("\t国際通話", "\t一般通話"))
    assert error.where.line == 4
    assert error.render("ja") == ("2024-01.txt:4: 通話種別ごとに1行が必要ですが「一般通話」でした。"
                                  "この種別の行は 2024-01.txt:3 にもあります")


def test_header_without_rows_is_an_error():
    error = error_of("明細\t通話種別\t通話数\t通話時間\t通話料金\n")
    assert (error.expected, error.found) == ("type_rows", None)


def test_text_without_a_header_holds_no_table():
    assert tables_of("2024年1月の通話は 3016 件でした。\n一般通話\t1096\t28:49:53.5\t10,240\n") == []


def test_month_in_a_label_above_the_table():
    assert one("ご利用月\t2024年01月\n" + SEED).month_in_content == "2024-01"


def test_month_in_the_title_line_above_the_table():
    assert one("2024年3月分 O50IP電話ご利用明細\n" + SEED).month_in_content == "2024-03"


def test_month_mentioned_far_above_is_not_the_tables_month():
    content = "2023年12月に契約しました。\n説明\n説明\n説明\n説明\n" + SEED
    assert one(content).month_in_content is None


def test_typed_cells_from_a_spreadsheet():
    w = lambda c: Where("2024-01.xlsx", sheet="明細", cell=c)
    row = lambda *values: tuple(Cell(v, w(f"A{i}")) for i, v in enumerate(values))
    grid = Grid((
        row("ご利用月", dt.datetime(2024, 1, 1)),
        row("明細", "通話種別", "通話数", "通話時間", "通話料金"),
        row("通話", "一般通話", 1096, Duration(1037935), 10240),
        row(None, "合計", None, 1096, Duration(1037935)),
    ))
    t = find_tables(grid)[0]
    assert t.rows[0].tenths == 1037935 and t.stated_total == Figures(1096, 1037935, None)
    assert t.month_in_content == "2024-01"


# ── headers as pages and pastes make them (SPEC §1.1) ────────────────────────────────────────────

HEADER_LINE = "明細\t通話種別\t通話数\t通話時間 (時:分:秒)\t通話料金 (円・税別)"
SEED_ROWS = [("general", 1096, 1037935, 10240), ("international", 600, 1980600, 96870),
             ("mobile", 330, 168450, 7680), ("ip", 480, 376350, 0), ("phs", 510, 393300, 15300)]


def _with_header(*header_lines: str) -> str:
    return SEED.replace(HEADER_LINE, "\n".join(header_lines))


def _reads_as_seed(content: str, name: str = "2024-01.txt"):
    (t,) = tables_of(content, name)
    assert [(r.type_id, r.count, r.tenths, r.charge) for r in t.rows] == SEED_ROWS
    assert t.stated_total == Figures(3016, 4316635, None)
    return t


@pytest.mark.parametrize("header", [
    ("明細\t通話種別\t通話数\t通話時間\t通話料金", "\t\t\t(時:分:秒)\t(円・税別)"),  # a <br> split by Excel
    ("明細\t通話種別\t通話数\t通話時間\t通話料金", "\t\t(件)\t(時:分:秒)\t(円)"),
    ("明細\t通話種別\t通話数\t通話時間\t通話料金", "\t\t\t（時：分：秒）\t（円・税別）"),  # full-width
    ("明細\t通話種別\t通話数\t通話時間\t通話料金", "\t\t\th:mm:ss\t単位:円"),
    ("明細\t通話種別\t通話数\t通話時間\t通話料金", "\t\t(通話数)\t(時間:分:秒)\t[円／税込]"),
    ("明細\t通話種別\t通話数\t通話時間\t通話料金", "明細\t通話種別\t\t(時:分:秒)\t(円・税別)"),  # a rowspan repeated
    ("\t\t通話数\t通話時間\t通話料金", "明細\t通話種別\t\t(時:分:秒)\t(円・税別)"),  # labels under the counts' row
    ("明細\t通話\t通話\t通話\t通話", "\t種別\t数\t時間 (時:分:秒)\t料金 (円・税別)"),  # words split at a line break
], ids=["units", "units-with-count", "full-width", "plain-units", "bracketed", "labels-again", "labels-below",
        "split-words"])
def test_a_header_over_two_rows_is_header(header):
    t = _reads_as_seed(_with_header(*header))
    assert str(t.rows[0].where) == "2024-01.txt:4"


def test_a_header_cell_with_a_line_break_is_one_cell():
    quoted = '明細\t通話種別\t通話数\t"通話時間\n(時:分:秒)"\t"通話料金\n(円・税別)"'
    t = _reads_as_seed(_with_header(quoted))
    assert str(t.where) == "2024-01.txt:2"  # the header's record starts on its first line …
    assert str(t.rows[0].where) == "2024-01.txt:5"  # … and the lines after it keep their numbers


def test_a_units_row_after_the_first_call_type_is_still_a_damaged_row():
    content = SEED.replace("\t国際通話\t600", "\t\t\t(時:分:秒)\t(円・税別)\n\t国際通話\t600")
    assert str(error_of(content)) == "2024-01.txt:4: expected a call-type label, found '(時:分:秒)'"


def test_an_unknown_type_alone_above_the_first_row_is_not_header():
    content = SEED.replace("通話\t一般通話", "\tナビダイヤル\t\t\t\n通話\t一般通話")
    error = error_of(content)
    assert str(error) == "2024-01.txt:3: expected a row with a count, a duration and a charge, found 'ナビダイヤル'"


# ── invisible characters and Excel's formats in a whole table ────────────────────────────────────

def test_invisible_characters_in_labels_figures_and_header_are_not_read():
    content = (SEED.replace("携帯通話\t330", "携帯\u200b通話\t330").replace("7,680", "7,680\u200b")
               .replace("-1,174", "-\ufeff1,174").replace("通話数", "通話\u2060数").replace("国際通話", "国際\u00ad通話"))
    t = _reads_as_seed(content)
    assert t.discount.stated == -1174


def test_a_message_about_a_cell_shows_its_invisible_characters_escaped():
    grid = Grid((
        (Cell("明細", Where("x.xlsx", "S", "A1")), Cell("通話種別", Where("x.xlsx", "S", "B1")),
         Cell("通話数", Where("x.xlsx", "S", "C1")), Cell("通話時間", Where("x.xlsx", "S", "D1")),
         Cell("通話料金", Where("x.xlsx", "S", "E1"))),
        (Cell("通話", Where("x.xlsx", "S", "A2")), Cell("一般通話", Where("x.xlsx", "S", "B2")),
         Cell(1096, Where("x.xlsx", "S", "C2")), Cell(Duration(1037935), Where("x.xlsx", "S", "D2")),
         Cell("10,24O\u200e\u0007", Where("x.xlsx", "S", "E2"))),
    ))
    with pytest.raises(ReconError) as caught:
        find_tables(grid)
    assert caught.value.found == "10,24O\\u200e\\u0007"


def test_accounting_zero_dash_reads_as_zero_in_any_column_form():
    content = SEED.replace("10:27:15.0\t0", "10:27:15.0\t ¥- ")
    t = _reads_as_seed(content)
    assert t.rows[3].charge == 0


@pytest.mark.parametrize("name, line", [("2024-01.csv", 3), ("2024-01.txt", 3)])
def test_minutes_and_seconds_in_the_time_column_say_the_hours_were_lost(name, line):
    content = SEED.replace("28:49:53.5", "49:53.5")
    if name.endswith(".csv"):
        content = content.replace("\t", ",").replace("10,240", '"10,240"').replace("96,870", '"96,870"') \
            .replace("7,680", '"7,680"').replace("15,300", '"15,300"').replace("-1,174", '"-1,174"')
    error = error_of_named(content, name)
    assert error.expected == "duration_hours_lost" and str(error.where) == f"{name}:{line}"
    assert "found '49:53.5'" in str(error) and "hours were lost" in str(error)


def error_of_named(content: str, name: str) -> ReconError:
    with pytest.raises(ReconError) as caught:
        tables_of(content, name)
    return caught.value


@pytest.mark.parametrize("label, month", [
    ("ご利用月\t令和6年1月", "2024-01"), ("利用月\tR6.1", "2024-01"), ("対象月：令和元年5月分", "2019-05"),
    ("ご利用月\tＲ６．１２", "2024-12"), ("利用月\t平成31年4月", "2019-04"),
])
def test_month_in_a_label_above_the_table_in_wareki(label, month):
    assert one(label + "\n" + SEED).month_in_content == month


def test_month_in_a_title_line_in_wareki():
    assert one("令和6年1月分 O50IP電話ご利用明細\n" + SEED).month_in_content == "2024-01"


# ── a spreadsheet's frame: row numbers and column letters around the table ──────────────────────

def _framed(numbers: list[str], letters: bool = True) -> str:
    lines = SEED.strip("\n").split("\n")
    framed = [f"{n}\t{line}" for n, line in zip(numbers, lines)]
    return ("\tA\tB\tC\tD\tE\n" if letters else "") + "\n".join(framed) + "\n"


@pytest.mark.parametrize("numbers, letters", [
    ([str(n) for n in range(1, 10)], True),
    ([str(n) for n in range(1, 10)], False),  # the numbers alone
    (["3", "4", "5", "7", "8", "9", "10", "11", "12"], True),  # rows hidden, the table lower down
])
def test_a_spreadsheets_row_numbers_and_column_letters_are_read_past(numbers, letters):
    framed = one(_framed(numbers, letters))
    plain = one(SEED)
    assert framed.figures() == plain.figures()
    assert framed.rows[0].label == "一般通話" and str(framed.rows[0].where) == f"2024-01.txt:{3 + letters}"


@pytest.mark.parametrize("numbers", [
    ["1", "2", "3", "4", "3", "6", "7", "8", "9"],  # not rising: a column of the table
    ["1", "2", "3", "", "5", "6", "7", "8", "9"],  # a row not numbered
    ["No.", "1", "2", "3", "4", "5", "6", "7", "8"],  # a column of its own, headed
])
def test_a_first_column_of_numbers_that_is_no_frame_is_part_of_the_table(numbers):
    with pytest.raises(ReconError):
        tables_of(_framed(numbers, letters=False))
