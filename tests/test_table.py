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


def test_type_row_without_a_charge_is_an_error():
    error = error_of(SEED.replace("\t10,240", "\t"))
    assert error.where.line == 3 and error.expected == "row_values"


def test_second_row_for_a_call_type_is_an_error():
    error = error_of(SEED.replace("\t国際通話", "\t一般通話"))
    assert error.where.line == 4


def test_header_without_rows_is_an_error():
    error = error_of("明細\t通話種別\t通話数\t通話時間\t通話料金\n")
    assert error.expected == "row_values"


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
