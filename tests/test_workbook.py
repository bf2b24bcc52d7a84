"""The workbook as an accountant opens it: sheets, cells, number formats, colours, print setup.

Each test builds the seed month (SPEC §2) through the pipeline, writes the workbook and reads it
back with openpyxl. `dump` renders a workbook as text for reviewers:

    .venv/bin/python -c "from tests.test_workbook import dump; print(dump('recon-2024.xlsx'))"
"""
from __future__ import annotations

import shutil
from decimal import Decimal
import difflib
import io
import os
import zipfile
from datetime import timedelta
from pathlib import Path

import msgspec
import openpyxl
import pytest
from hypothesis import given, settings, strategies as st
from openpyxl.styles import Color, Font, PatternFill
from openpyxl.utils import get_column_letter

from recon import labels, marker, signoff
from recon.errors import ReconError
from recon.model import Prior
from recon.pipeline import build
from recon.state import STATE_COLUMNS, STATE_SHEET
from recon.outputs.workbook import write_workbook
from recon.outputs.workbook.template import PROTOTYPE_ROWS, TEMPLATE

CHART_PROTO_ROWS = (PROTOTYPE_ROWS["summary"]["chart_header"], PROTOTYPE_ROWS["summary"]["chart_data"])
PROTO_ROW = PROTOTYPE_ROWS["summary"]["data"]
from recon.settings import load
from recon.view import view
from recon.values import format_duration

SEED_FILE = Path(__file__).parent / "data" / "seed" / "2024-01_table-only.txt"
SEED_TABLE = SEED_FILE.read_text(encoding="utf-8")
FORMULA_LABEL = '=HYPERLINK("http://x","y")'
# February: the seed plus a row OCN does not list, labelled like a formula, and a stated total
# time under the recomputed one (a negative duration difference).
FEBRUARY_TABLE = SEED_TABLE.replace(
    "\t<b>合計</b>", f"\t{FORMULA_LABEL}\t3\t0:01:00.0\t30\n\t<b>合計</b>").replace("119:54:23.5", "100:00:00.0")

SHEETS_JA = ["サマリー", "一般通話", "国際通話", "携帯通話", "IP通話", "PHS通話", "着割", "チェック", "仕訳", "取込ファイル"]
SHEETS_EN = ["Summary", "General", "International", "Mobile", "IP", "PHS", "Discount", "Checks", "Journal", "Sources"]
DURATION = "[h]:mm:ss.0"
SUMMARY_KEYS = [key for key, _, _ in labels.HEADERS["summary"]]
SUMMARY_LAST = get_column_letter(len(SUMMARY_KEYS))  # the summary table's last column
CHECKS_LAST = get_column_letter(len(labels.HEADERS["checks"]))


@pytest.fixture
def year(tmp_path: Path) -> Path:
    """A year folder holding the seed month and its invoice."""
    folder = tmp_path / "2024"
    folder.mkdir()
    (folder / "2024-01.txt").write_text(SEED_TABLE, encoding="utf-8")
    (folder / "invoices.csv").write_text("month,amount\n2024-01,128916\n", encoding="utf-8")
    return folder


@pytest.fixture
def formula_year(year: Path) -> Path:
    """The seed year plus a February whose table and file name look like formulas."""
    (year / "2024-02.txt").write_text(FEBRUARY_TABLE, encoding="utf-8")
    (year / "=1+2.txt").write_text("a memo, not a table", encoding="utf-8")
    return year


def written(folder: Path, lang: str = "ja", name: str = "report.xlsx") -> Path:
    """The report as `recon build` writes it where there is no previous report: every month with
    its close (締め), nothing typed yet."""
    report = msgspec.structs.replace(signoff.apply(build(folder, load(None)), Prior()), lang=lang)
    path = folder.parent / name
    write_workbook(view(report, load(None)), path)
    return path


def header(ws) -> list:
    """The header row's words, up to the table's last column (the chart's figures stand in hidden
    columns further right, lower down)."""
    words = [cell.value for cell in ws[1]]
    while words and words[-1] is None:
        words.pop()
    return words


def visible(wb) -> list:
    """The sheets a person sees: recon's very hidden state sheet is not one of the report's sheets."""
    return [ws for ws in wb.worksheets if ws.sheet_state == "visible"]


def column(ws, key: str, kind: str = "summary") -> str:
    """The letter of a column found by its header word (either language, from labels.HEADERS),
    so a reordering of the columns does not break the test that reads it."""
    words = next((ja, en) for k, ja, en in labels.HEADERS[kind] if k == key)
    [letter] = [cell.column_letter for cell in ws[1] if cell.value in words]
    return letter


def at(ws, key: str, row: int, kind: str = "summary"):
    """The cell of column `key` (found by its header word) in `row`."""
    return ws[f"{column(ws, key, kind)}{row}"]


def dump(path: Path | str) -> str:
    """The workbook as text: per sheet its view and print setup, then each non-empty cell with its
    value, number format, bold, named style and fill. A hidden sheet is one line with its state (its
    cells are recon's record, not the report's). Timestamps and ids are left out."""
    wb = openpyxl.load_workbook(path)
    lines = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            lines.append(f"== {ws.title} state={ws.sheet_state}")
            continue
        setup = ws.page_setup
        tab = ws.sheet_properties.tabColor
        lines.append(f"== {ws.title} freeze={ws.freeze_panes} filter={ws.auto_filter.ref} "
                     f"print={setup.orientation} fit={setup.fitToWidth}x{setup.fitToHeight} "
                     f"titles={ws.print_title_rows} area={ws.print_area or '-'} breaks={[b.id for b in ws.row_breaks.brk]} "
                     f"tab={tab.rgb if tab is not None else '-'} charts={len(ws._charts)}")
        lines.append("widths " + " ".join(f"{letter}={dimension.width:g}"
                                          for letter, dimension in sorted(ws.column_dimensions.items())))
        lines += [_dump_chart(chart) for chart in ws._charts]
        for row in ws.iter_rows():
            lines += [_dump_cell(cell) for cell in row if cell.value is not None]
    lines.append("== names")
    lines += [f"{name}\t{defined.attr_text}" for name, defined in sorted(wb.defined_names.items())]
    return "\n".join(lines) + "\n"


def _dump_chart(chart) -> str:
    """A chart as its kinds, and per series its data and colour."""
    parts = []
    for plot in (chart, *chart._charts[1:]) if chart._charts else (chart,):
        for series in plot.series:
            look = series.graphicalProperties
            fill = look.solidFill if look.solidFill is not None else look.line.solidFill
            colour = fill.srgbClr or fill.schemeClr.val if fill is not None else "-"
            parts.append(f"{plot.tagname}:{series.val.numRef.f}:{getattr(colour, 'val', colour)}")
    return "chart\t" + " ".join(parts)


def _dump_cell(cell) -> str:
    value = cell.value
    shown = format_duration(round(value.total_seconds() * 10)) if isinstance(value, timedelta) else repr(value)
    fill = cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else "-"
    bold = " bold" if cell.font.bold else ""
    style = f" style={cell.style}" if cell.style != "Normal" else ""
    return f"{cell.coordinate}\t{shown}\t[{cell.number_format}]{bold}{style} fill={fill}"


# --- sheets ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, names", [("ja", SHEETS_JA), ("en", SHEETS_EN)])
def test_sheets_are_named_for_the_language_in_spec_order(year, lang, names):
    assert [ws.title for ws in visible(openpyxl.load_workbook(written(year, lang)))] == names


def test_other_sheet_follows_the_ocn_types_when_an_unknown_type_is_present(formula_year):
    names = [ws.title for ws in visible(openpyxl.load_workbook(written(formula_year)))]
    assert names == SHEETS_JA[:6] + ["その他"] + SHEETS_JA[6:]


def test_summary_is_the_active_sheet(year):
    wb = openpyxl.load_workbook(written(year))
    assert wb.active.title == "サマリー"
    assert [ws.sheet_view.tabSelected for ws in visible(wb)] == [True] + [False] * (len(SHEETS_JA) - 1)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_recon_state_sheet_is_very_hidden_and_not_one_of_the_reports_sheets(year, lang):
    """recon's record of fingerprints and sign-offs is in the file, but no one sees it: Excel does
    not list a very hidden sheet under Unhide, and it is not among the report's sheets."""
    wb = openpyxl.load_workbook(written(year, lang))
    state = wb[STATE_SHEET]
    assert state.sheet_state == "veryHidden"
    assert wb.sheetnames == (SHEETS_JA if lang == "ja" else SHEETS_EN) + [STATE_SHEET]  # after ours
    assert state not in visible(wb) and len(visible(wb)) == len(SHEETS_JA)
    assert wb.active.title != STATE_SHEET and not state.sheet_view.tabSelected
    assert not [name for name, defined in wb.defined_names.items() if STATE_SHEET in defined.attr_text]
    rows = list(state.iter_rows(values_only=True))
    assert rows[0] == STATE_COLUMNS
    assert [row[:3] for row in rows[1:]] == [("month", None, "2024-01")]  # one record per month
    assert all(len(value) == 64 for value in rows[1][3:5])  # the fingerprint the report shows


# --- the summary ----------------------------------------------------------------------------------

def test_summary_january_shows_the_seed_figures(year):
    ws = openpyxl.load_workbook(written(year))["サマリー"]
    assert header(ws) == [ja for _, ja, _ in labels.HEADERS["summary"]]
    assert at(ws, "month", 2).value == "2024-01"
    assert at(ws, "count", 2).value == 3016
    assert at(ws, "time", 2).value.total_seconds() == pytest.approx(395663.5)
    assert at(ws, "time", 2).number_format == DURATION
    assert at(ws, "charge", 2).value == 130090 and "#,##0" in at(ws, "charge", 2).number_format
    assert at(ws, "discount_stated", 2).value == -1174 and at(ws, "discount_recomputed", 2).value == -1174
    assert [at(ws, key, 2).value for key in ("expected", "invoiced", "variance")] == [128916, 128916, 0]
    assert "#,##0" in at(ws, "variance", 2).number_format
    messages = at(ws, "messages", 2)
    assert "119:54:23.5" in messages.value and messages.data_type == "s"


def test_summary_close_columns_are_open_and_empty_for_the_accountant(year):
    """A warning month nobody has signed off is 未了; 説明, 確認者 and 確認日 wait for the accountant."""
    ws = openpyxl.load_workbook(written(year))["サマリー"]
    close = at(ws, "close", 2)
    assert close.value == "未了" and close.style == "recon_missing" and close.data_type == "s"
    assert [at(ws, key, 2).value for key in ("explanation", "reviewer", "signed_on")] == [None, None, None]
    assert at(ws, "explanation", 2).alignment.wrap_text
    assert at(ws, "signed_on", 2).number_format == "yyyy-mm-dd"
    assert at(ws, "close", 3).value is None  # the year total closes nothing


def test_summary_time_is_an_excel_day_number(year):
    path = written(year)
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert f"<v>{3956635 / 864000!r}</v>" in xml


def test_status_word_is_coloured_by_its_named_style(year):
    ws = openpyxl.load_workbook(written(year))["サマリー"]
    status = at(ws, "status", 2)
    assert status.value == "注意"
    assert status.style == "recon_warning"
    assert status.fill.fgColor.rgb.endswith("FFEB9C")


def test_english_summary_uses_english_words(year):
    ws = openpyxl.load_workbook(written(year, "en"))["Summary"]
    assert header(ws) == [en for _, _, en in labels.HEADERS["summary"]]
    assert at(ws, "status", 1).value == "Status" and at(ws, "status", 2).value == "Warning"
    assert at(ws, "close", 1).value == "Close" and at(ws, "close", 2).value == "Open"
    assert at(ws, "month", 3).value == "Year total"


def test_year_total_row_is_bold_and_outside_the_filter(year):
    ws = openpyxl.load_workbook(written(year))["サマリー"]
    assert at(ws, "month", 3).value == "年間合計" and at(ws, "month", 3).font.bold
    assert at(ws, "count", 3).value == 3016 and at(ws, "charge", 3).value == 130090
    assert ws.auto_filter.ref == f"A1:{SUMMARY_LAST}2"


def test_summary_has_a_stacked_column_chart_of_charges_by_type(year):
    ws = openpyxl.load_workbook(written(year, "en"))["Summary"]
    [chart] = ws._charts
    assert (chart.type, chart.grouping, chart.overlap) == ("col", "stacked", 100)
    assert len(chart.series) == 5
    assert all(s.val.numRef.f.startswith("'Summary'!") for s in chart.series)  # the sheet's final name
    row, left = _chart_block(ws)
    assert [ws.cell(row + 1, left + i).value for i in range(6)] == \
        ["Month", "General", "International", "Mobile", "IP", "PHS"]


def _chart_block(ws) -> tuple[int, int]:
    """(row, column) of the chart-data block's title."""
    return next((cell.row, cell.column) for row in ws.iter_rows() for cell in row
                if cell.value in labels.CHART_DATA)


def test_chart_data_block_holds_the_monthly_charge_per_type_and_the_invoiced_amount(year):
    # the line is the invoice as call charges: 128,916 less its fees (0) and tax (0), its 着割
    # (−1,174) added back, is the bars' 130,090; the block is titled, hidden and not printed
    ws = openpyxl.load_workbook(written(year))["サマリー"]
    row, left = _chart_block(ws)
    assert ws.cell(row, left).value == labels.CHART_DATA[0]
    assert [ws.cell(row + 2, column).value for column in range(left, left + 7)] == \
        ["2024-01", 10240, 96870, 7680, 0, 15300, 130090]  # no その他: no column for it
    assert left > len(SUMMARY_KEYS) + 1  # right of the table, a column apart
    assert all(ws.column_dimensions[get_column_letter(column)].hidden for column in range(left, left + 7))
    assert not any(ws.row_dimensions[number].hidden for number in range(1, row + 3))  # its rows stay plain
    [chart] = ws._charts
    assert chart.visible_cells_only is False  # a hidden column's figures are drawn


def test_chart_draws_the_invoiced_amount_as_a_line_over_the_stacked_charges(year):
    ws = openpyxl.load_workbook(written(year, "en"))["Summary"]
    [chart] = ws._charts
    bar, line = chart._charts
    assert (bar.tagname, line.tagname) == ("barChart", "lineChart")
    assert len(bar.series) == 5 and len(line.series) == 1
    row, left = _chart_block(ws)
    invoiced = get_column_letter(left + 6)
    assert ws.cell(row + 1, left + 6).value == "Invoiced, as call charges"
    assert line.series[0].val.numRef.f == f"'Summary'!${invoiced}${row + 2}"
    assert line.series[0].tx.strRef.f == f"'Summary'!{invoiced}{row + 1}"


def test_chart_series_take_the_colours_of_the_templates_legend_row(year):
    wb = openpyxl.load_workbook(written(year))
    [chart] = wb["サマリー"]._charts
    bar, line = chart._charts
    colours = [s.graphicalProperties.solidFill.srgbClr for s in bar.series]
    legend = openpyxl.load_workbook(TEMPLATE)["サマリー"][CHART_PROTO_ROWS[0]]
    assert colours == [cell.fill.fgColor.rgb[-6:] for cell in legend[1:6]]
    assert line.series[0].graphicalProperties.line.solidFill.srgbClr == legend[7].fill.fgColor.rgb[-6:]


def test_chart_series_take_a_theme_colour_with_its_tint(year, tmp_path):
    wb = openpyxl.load_workbook(TEMPLATE)
    wb["サマリー"].cell(CHART_PROTO_ROWS[0], 2).fill = PatternFill("solid", fgColor=Color(theme=5, tint=0.4))
    template = tmp_path / "company.xlsx"
    wb.save(template)
    write_workbook(view(build(year, load(None)), load(None)), tmp_path / "out.xlsx", template)
    [chart] = openpyxl.load_workbook(tmp_path / "out.xlsx")["サマリー"]._charts
    scheme = chart._charts[0].series[0].graphicalProperties.solidFill.schemeClr
    assert (scheme.val, scheme.lumMod, scheme.lumOff) == ("accent2", 60000, 40000)


def test_a_template_without_the_chart_block_leaves_the_colours_to_the_application(year, tmp_path):
    wb = openpyxl.load_workbook(TEMPLATE)
    wb["サマリー"].delete_rows(4, 3)  # a template from before the note and chart-data rows
    template = tmp_path / "company.xlsx"
    wb.save(template)
    write_workbook(view(build(year, load(None)), load(None)), tmp_path / "out.xlsx", template)
    [chart] = openpyxl.load_workbook(tmp_path / "out.xlsx")["サマリー"]._charts
    assert [s.graphicalProperties.solidFill for s in chart._charts[0].series] == [None] * 5


def test_chart_prints_under_the_table_and_its_figures_do_not(year):
    ws = openpyxl.load_workbook(written(year))["サマリー"]
    [chart] = ws._charts
    assert (chart.anchor._from.row, chart.anchor._from.col) == (5, 0)  # row 6: under the two total rows
    assert chart.anchor.to.col == len(SUMMARY_KEYS)  # as wide as the table
    assert ws.print_area == f"'サマリー'!$A$1:${SUMMARY_LAST}${chart.anchor.to.row}"
    assert not ws.row_breaks.brk  # one month: the table and the chart share the first page


def test_chart_gets_a_page_of_its_own_when_the_table_is_long(year):
    invoices = "month,amount\n" + "".join(f"{y}-{m:02d},1\n" for y in range(2021, 2025) for m in range(1, 13))
    (year / "invoices.csv").write_text(invoices, encoding="utf-8")
    ws = openpyxl.load_workbook(written(year))["サマリー"]
    assert [b.id for b in ws.row_breaks.brk] == [51]  # after the total rows, under 48 months


def test_a_long_contract_name_widens_its_column_so_it_is_not_cut_off(tmp_path):
    contract = tmp_path / "2024" / "名古屋営業所第二営業部"
    contract.mkdir(parents=True)
    (contract / "2024-01.txt").write_text(SEED_TABLE, encoding="utf-8")
    (contract / "invoices.csv").write_text("month,amount\n2024-01,128916\n", encoding="utf-8")
    wb = openpyxl.load_workbook(written(tmp_path / "2024"))
    assert (wb["サマリー"]["A1"].value, wb["サマリー"]["B1"].value) == ("契約", "利用月")
    assert (wb["サマリー"]["A2"].value, wb["サマリー"]["B2"].value) == ("名古屋営業所第二営業部", "2024-01")
    assert wb["サマリー"].column_dimensions["A"].width >= 11 * 1.8
    assert wb["一般通話"].column_dimensions["A"].width == wb["サマリー"].column_dimensions["A"].width


def test_a_ten_million_yen_year_widens_its_columns_instead_of_showing_hashes(year):
    (year / "2024-01.txt").write_text(SEED_TABLE.replace("96,870", "99,996,870"), encoding="utf-8")
    ws = openpyxl.load_workbook(written(year))["サマリー"]
    charge = at(ws, "charge", 3)
    assert charge.value == 100_030_090 and charge.font.bold
    assert ws.column_dimensions[charge.column_letter].width >= len("100,030,090") * 1.1
    assert ws.column_dimensions[column(ws, "count")].width == 13  # the template's width where it suffices


# --- at a glance ----------------------------------------------------------------------------------

def test_year_total_counts_its_months_to_review_and_does_not_wear_a_status(formula_year):
    # February has no invoice: its row says what it lacks; the total does not read as missing
    ws = openpyxl.load_workbook(written(formula_year))["サマリー"]
    february = at(ws, "status", 3)
    assert (february.value, february.style) == ("請求なし", "recon_missing")
    status = at(ws, "status", 4)
    assert (at(ws, "month", 4).value, status.value) == ("年間合計", "2件要確認")
    assert status.style == "Normal" and status.fill.fgColor.rgb == at(ws, "charge", 4).fill.fgColor.rgb


def test_year_total_variance_is_flagged_when_a_month_does_not_tie_out(year):
    (year / "invoices.csv").write_text("month,amount\n2024-01,129000\n", encoding="utf-8")
    ws = openpyxl.load_workbook(written(year))["サマリー"]
    variance = at(ws, "variance", 3)
    assert variance.value == 84 and variance.style == "recon_fail"


def test_tabs_wear_the_status_colours_of_the_templates_named_styles(formula_year):
    wb = openpyxl.load_workbook(written(formula_year))
    fills = {style.name: style.fill.fgColor.rgb for style in wb._named_styles}
    assert wb["サマリー"].sheet_properties.tabColor.rgb == fills["recon_missing"]  # February has no invoice
    assert wb["チェック"].sheet_properties.tabColor.rgb == fills["recon_fail"]
    template = openpyxl.load_workbook(TEMPLATE)
    assert wb["一般通話"].sheet_properties.tabColor.rgb == template["通話種別"].sheet_properties.tabColor.rgb


def test_checks_tab_is_green_when_every_check_passes(year):
    (year / "2024-01.txt").write_text(SEED_TABLE.replace("119:54:23.5", "109:54:23.5"), encoding="utf-8")
    wb = openpyxl.load_workbook(written(year))
    ok = next(style.fill.fgColor.rgb for style in wb._named_styles if style.name == "recon_ok")
    assert wb["チェック"].sheet_properties.tabColor.rgb == ok
    assert wb["サマリー"].sheet_properties.tabColor.rgb == ok


@pytest.mark.parametrize("lang, note", [("ja", "フォルダ 本社/ の契約には請求行がありません"),
                                        ("en", "the contract of folder 本社/ has no invoice rows")])
def test_findings_about_the_whole_folder_sit_under_the_year_total(year, lang, note):
    contract = year / "本社"
    contract.mkdir()
    (contract / "2024-01.txt").write_text(SEED_TABLE, encoding="utf-8")
    ws = openpyxl.load_workbook(written(year, lang)).worksheets[0]
    total = next(row[0].row for row in ws.iter_rows() if row[0].value in ("年間合計", "Year total"))
    assert ws.cell(total + 1, 1).value == labels.INVOICED_ALL_ROW[lang == "en"]
    assert ws.cell(total + 2, 1).value == note
    assert ws.cell(total + 2, 1).data_type == "s" and not ws.cell(total + 2, 1).alignment.wrap_text
    [chart] = ws._charts
    assert chart.anchor._from.row == total + 3  # the chart after the note and a blank row (0-based)


def test_failing_checks_come_first_in_month_order(formula_year):
    ws = openpyxl.load_workbook(written(formula_year))["チェック"]
    rows = [(row[0].value, row[1].value, row[5].value) for row in ws.iter_rows(min_row=2)]
    assert rows[:3] == [("2024-01", "合計通話時間", "不一致"), ("2024-02", "合計通話数", "不一致"),
                        ("2024-02", "合計通話時間", "不一致")]
    assert {result for _, _, result in rows[3:]} == {"一致"}


@pytest.mark.parametrize("lang, sheet", [("ja", "サマリー"), ("en", "Summary")])
def test_key_ranges_have_workbook_names_in_either_language(year, lang, sheet):
    names = openpyxl.load_workbook(written(year, lang)).defined_names
    assert names["recon_summary"].attr_text == f"'{sheet}'!$A$1:${SUMMARY_LAST}$2"
    assert names["recon_year_total"].attr_text == f"'{sheet}'!$A$3:${SUMMARY_LAST}$3"
    assert names["recon_checks"].attr_text.endswith(f"!$A$1:${CHECKS_LAST}$5")
    assert all(name.localSheetId is None for name in names.values())


def test_type_sheet_changes_are_written_alike_for_calls_and_charge():
    wb = openpyxl.load_workbook(TEMPLATE)
    count_change, charge_change = (cell.number_format for cell in wb["通話種別"][PROTO_ROW][6:8])
    assert count_change.split(";")[1] == charge_change.split(";")[1] == '[Red]"△"#,##0'


# --- sheet setup ----------------------------------------------------------------------------------

def test_every_sheet_freezes_its_header_and_filters(formula_year):
    sheets = visible(openpyxl.load_workbook(written(formula_year)))
    assert len(sheets) >= 5 and sheets[0].title == "サマリー"
    for ws in sheets:
        assert ws.freeze_panes in ("A2", "B2", "C2"), ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title


def test_every_sheet_prints_landscape_one_page_wide_with_the_header_repeated(formula_year):
    sheets = visible(openpyxl.load_workbook(written(formula_year)))
    assert len(sheets) >= 5 and sheets[0].title == "サマリー"
    for ws in sheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows == "$1:$1", ws.title


# --- call types, discount, checks, sources --------------------------------------------------------

def test_type_sheet_row_has_averages_and_no_change_in_the_first_month(year):
    ws = openpyxl.load_workbook(written(year))["一般通話"]
    row = [c.value for c in ws[2]]
    assert row[:2] == ["2024-01", 1096]
    assert row[2].total_seconds() == pytest.approx(103793.5)
    assert row[3] == 10240
    assert row[4].total_seconds() == pytest.approx(94.7)  # 1,037,935 tenths // 1,096 calls
    assert row[5] == pytest.approx(9.34)
    assert row[6:] == [None, None, "前月なし"]  # the blank changes say why
    assert ws["C2"].number_format == ws["E2"].number_format == DURATION


def test_type_sheet_shows_the_change_from_the_previous_month(formula_year):
    ws = openpyxl.load_workbook(written(formula_year))["一般通話"]
    assert [c.value for c in ws[3]][6:] == [0, 0, None]


def test_discount_sheet_compares_stated_and_recomputed(year):
    ws = openpyxl.load_workbook(written(year))["着割"]
    row = [c.value for c in ws[2]]
    assert row[0:2] == ["2024-01", 3016]
    assert row[2].total_seconds() == pytest.approx(140863)
    assert row[3:] == [-1174, -1174, 0, None]
    total = [c.value for c in ws[3]]
    assert total[:2] == ["年間合計", 3016] and total[3:] == [-1174, -1174, 0, None]


def test_checks_sheet_formats_each_figure_by_its_unit_and_flags_failures(year):
    ws = openpyxl.load_workbook(written(year))["チェック"]
    rows = {row[1].value: row for row in ws.iter_rows(min_row=2)}
    assert list(rows) == ["合計通話時間", "合計通話数", "着割", "請求額"]  # the failing check first
    duration = rows["合計通話時間"]
    assert duration[4].value.total_seconds() == pytest.approx(36000)
    assert {c.number_format for c in duration[2:5]} == {DURATION}
    assert duration[5].value == "不一致" and duration[5].style == "recon_fail"
    assert duration[4].style == "recon_fail" and duration[4].number_format == DURATION
    assert duration[6].value == "2024-01.txt:8"
    assert rows["合計通話数"][2].number_format == "#,##0"
    assert "#,##0" in rows["着割"][2].number_format and rows["着割"][2].value == -1174
    assert rows["請求額"][5].value == "一致" and rows["請求額"][5].style == "recon_ok"


def test_negative_duration_difference_is_shown_as_signed_text(formula_year):
    ws = openpyxl.load_workbook(written(formula_year))["チェック"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "2024-02" and r[1].value == "合計通話時間")
    assert row[4].value == "-9:55:23.5" and row[4].data_type == "s"


def test_sources_sheet_lists_every_file_with_its_status(year):
    (year / "memo.pdf").write_bytes(b"%PDF")
    ws = openpyxl.load_workbook(written(year))["取込ファイル"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == ["2024-01.txt", "invoices.csv", "memo.pdf"]
    assert rows[0][1:5] == ["2024-01", "テキスト", "utf-8", "読込済"]
    assert len(rows[0][6]) == 64
    assert rows[2][4:6] == ["対象外", "recon が読まない形式 (.pdf)"]
    assert ws["E2"].style == "recon_ok" and ws["E4"].style == "recon_missing"


# --- text from input files ------------------------------------------------------------------------

def test_text_that_looks_like_a_formula_stays_text_on_every_sheet(formula_year):
    path = written(formula_year)
    wb = openpyxl.load_workbook(path)
    found = {ws.title: [c for row in ws.iter_rows() for c in row
                        if isinstance(c.value, str) and ("HYPERLINK" in c.value or c.value.startswith("=1+2"))]
             for ws in wb.worksheets}
    assert found["その他"][0].value == FORMULA_LABEL
    assert any(FORMULA_LABEL in c.value for c in found["サマリー"])  # in the month's messages
    assert found["取込ファイル"][0].value == "=1+2.txt"
    assert all(c.data_type == "s" for cells in found.values() for c in cells)
    assert all(c.quotePrefix for cells in found.values() for c in cells if c.value.startswith("="))
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any("<f>" in archive.read(name).decode() for name in sheets)


# --- the file -------------------------------------------------------------------------------------

def test_workbook_carries_the_recon_marker(year):
    assert marker.is_recon_report(written(year).read_bytes())


def test_same_report_gives_the_same_bytes(formula_year):
    first = written(formula_year, name="first.xlsx").read_bytes()
    second = written(formula_year, name="second.xlsx").read_bytes()
    assert first == second


def test_write_replaces_the_file_and_leaves_no_temporary_file(year):
    path = year.parent / "report.xlsx"
    path.write_bytes(b"an older report")
    written(year)
    assert zipfile.is_zipfile(io.BytesIO(path.read_bytes()))
    assert sorted(p.name for p in year.parent.iterdir()) == ["2024", "report.xlsx"]


def test_template_without_a_required_sheet_is_a_located_error(year, tmp_path):
    wb = openpyxl.load_workbook(TEMPLATE)
    wb.remove(wb["着割"])
    template = tmp_path / "company.xlsx"
    wb.save(template)
    report = build(year, load(None))
    with pytest.raises(ReconError) as caught:
        write_workbook(view(report, load(None)), tmp_path / "out.xlsx", template)
    assert caught.value.expected == "template_sheet"
    assert caught.value.params == {"sheet": "着割"}
    assert str(template) in str(caught.value)
    assert not (tmp_path / "out.xlsx").exists()


def test_a_restyled_template_restyles_every_sheet_of_the_report(formula_year, tmp_path):
    """A company changes its copy of the template in Excel (here with openpyxl): another header
    fill and font, another warning colour. The report shows them, and no code changed."""
    wb = openpyxl.load_workbook(TEMPLATE)
    for ws in wb.worksheets:
        for cell in ws[1]:
            cell.fill = PatternFill("solid", fgColor="FF00B050")
            cell.font = Font(name="Meiryo", size=11, bold=True, color="FF000000")
    warning = next(style for style in wb._named_styles if style.name == "recon_warning")
    warning.fill = PatternFill("solid", fgColor="FFFFC000")
    template = tmp_path / "company.xlsx"
    wb.save(template)
    report = build(formula_year, load(None))
    write_workbook(view(report, load(None)), tmp_path / "out.xlsx", template)
    out = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert len(visible(out)) == len(SHEETS_JA) + 1
    for ws in visible(out):
        for cell in ws[1][:len(header(ws))]:
            assert cell.value, (ws.title, cell.coordinate)
            assert (cell.fill.fgColor.rgb, cell.font.name, cell.font.sz) == ("FF00B050", "Meiryo", 11), ws.title
    assert at(out["サマリー"], "status", 2).fill.fgColor.rgb == "FFFFC000"  # January's 注意


def test_template_that_is_not_a_workbook_is_a_located_error(year, tmp_path):
    template = tmp_path / "company.xlsx"
    template.write_text("not a workbook")
    with pytest.raises(ReconError) as caught:
        write_workbook(view(build(year, load(None)), load(None)), tmp_path / "out.xlsx", template)
    assert caught.value.expected == "xlsx"


def test_dump_shows_what_a_reviewer_needs(year):
    text = dump(written(year))
    letter = {key: get_column_letter(number) for number, key in enumerate(SUMMARY_KEYS, 1)}
    assert (f"== サマリー freeze=B2 filter=A1:{SUMMARY_LAST}2 print=landscape fit=1x0 titles=$1:$1 "
            f"area='サマリー'!$A$1:${SUMMARY_LAST}$19 breaks=[] tab=00FFEB9C charts=1") in text
    assert f"recon_year_total\t'サマリー'!$A$3:${SUMMARY_LAST}$3" in text
    assert f"{letter['status']}2\t'注意'\t[@] style=recon_warning fill=00FFEB9C" in text
    assert f"{letter['close']}2\t'未了'\t[@] style=recon_missing fill=00D9D9D9" in text
    assert f"{letter['time']}2\t109:54:23.5\t[[h]:mm:ss.0] fill=-" in text
    assert f"\n== {STATE_SHEET} state=veryHidden\n" in text  # one line, none of its cells
    assert "shown_detail" not in text and "'month'" not in text


def test_template_without_a_required_style_is_a_located_error(year, tmp_path):
    wb = openpyxl.load_workbook(TEMPLATE)
    wb._named_styles = type(wb._named_styles)([s for s in wb._named_styles if s.name != "recon_variance"])
    template = tmp_path / "company.xlsx"
    wb.save(template)
    with pytest.raises(ReconError) as caught:
        write_workbook(view(build(year, load(None)), load(None)), tmp_path / "out.xlsx", template)
    assert caught.value.expected == "template_style"
    assert caught.value.params == {"style": "recon_variance"}


GOLDEN = Path(__file__).parent / "data" / "golden"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_workbook_matches_its_golden_dump(formula_year, lang):
    """The whole workbook as text, kept in tests/data/golden/ so a reviewer sees every change as a
    diff. RECON_UPDATE_GOLDEN=1 rewrites the goldens on purpose; a missing golden fails."""
    text = dump(written(formula_year, lang))
    golden = GOLDEN / f"seed-{lang}.txt"
    if os.environ.get("RECON_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run with RECON_UPDATE_GOLDEN=1 and review it"
    expected = golden.read_text(encoding="utf-8")
    diff = "\n".join(difflib.unified_diff(expected.splitlines(), text.splitlines(), "golden", "now", lineterm=""))
    assert text == expected, diff


def test_the_journal_sheet_shows_the_entry_that_will_be_booked(tmp_path):
    # the seed month with OCN's stated time corrected: ok, so closed, so booked (SPEC §6)
    folder = tmp_path / "2024"
    folder.mkdir()
    (folder / "2024-01.txt").write_text(SEED_TABLE.replace("119:54:23.5", "109:54:23.5"), encoding="utf-8")
    (folder / "invoices.csv").write_text("month,amount\n2024-01,128916\n", encoding="utf-8")
    path = tmp_path / "out.xlsx"
    write_workbook(view(signoff.apply(build(folder, load(None)), Prior()), load(None)), path)
    ws = openpyxl.load_workbook(path)["仕訳"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_col=7)]
    assert [(r[2], r[3], r[4], r[5], r[6]) for r in rows] == [
        ("借方", "通信費", 35250, 3204, "課税仕入 (適格)"),
        ("借方", "通信費", 96870, None, "対象外"),
        ("貸方", "未払金", 132120, None, None)]
    assert {r[1].date().isoformat() for r in rows} == {"2024-01-31"}


def _generated_year(folder: Path, months: list[tuple[int, int | None, bool, str]]) -> None:
    """A year of (charge, invoiced or None, has a table, basis) per month, several contracts when asked."""
    folder.mkdir(parents=True)
    invoices = "month,amount,basis\n"
    for number, (charge, invoiced, has_table, basis) in enumerate(months, 1):
        if has_table:
            (folder / f"2024-{number:02d}.txt").write_text(
                "明細\t通話種別\t通話数\t通話時間\t通話料金\n"
                f"通話\t一般通話\t10\t0:10:00.0\t{charge}\n\t国際通話\t1\t0:01:00.0\t{charge // 3}\n"
                f"着割\t着割対象通話\t5\t0:{number:02d}:00.0\t\n", encoding="utf-8")
        if invoiced is not None:
            invoices += f"2024-{number:02d},{invoiced},{basis}\n"
    (folder / "invoices.csv").write_text(invoices, encoding="utf-8")


@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 90_000), st.one_of(st.none(), st.integers(0, 120_000)), st.booleans(),
                          st.sampled_from(["excl", "incl"])), min_size=1, max_size=12))
def test_every_saved_row_reads_invoiced_less_expected_as_its_variance(tmp_path_factory, months):
    folder = tmp_path_factory.mktemp("gen") / "2024"
    _generated_year(folder, months)
    path = folder.parent / "out.xlsx"
    write_workbook(view(build(folder, load(None)), load(None)), path)
    ws = openpyxl.load_workbook(path)["サマリー"]
    column = {cell.value: cell.column - 1 for cell in ws[1]}
    checked = 0
    for row in ws.iter_rows(min_row=2, values_only=True):  # the months, then the year total
        expected, invoiced, variance = (row[column[name]] for name in ("請求見込額", "請求額", "差額"))
        if variance is not None:
            assert invoiced - expected == variance, row
            checked += 1
        if row[0] == labels.TOTAL_ROW[0]:
            break
    assert checked >= 1 or not any(m[1] is not None and m[2] for m in months)


def test_the_template_rows_are_found_by_their_names_not_their_numbers(year, tmp_path):
    from openpyxl.workbook.defined_name import DefinedName

    wb = openpyxl.load_workbook(TEMPLATE)
    summary = wb["サマリー"]
    # the year-total row's name moved onto the data row: the total then wears the data row's look
    summary.defined_names["recon_row_total"] = DefinedName("recon_row_total", attr_text="'サマリー'!$2:$2")
    template = tmp_path / "moved.xlsx"
    wb.save(template)
    out = tmp_path / "out.xlsx"
    write_workbook(view(build(year, load(None)), load(None)), out, template)
    total = openpyxl.load_workbook(out)["サマリー"]["E3"]
    assert total.value == 3016 and not total.font.bold
    assert not openpyxl.load_workbook(out)["サマリー"].defined_names  # the prototype names stay in the template


def test_a_template_without_its_row_names_is_one_clear_error(year, tmp_path):
    wb = openpyxl.load_workbook(TEMPLATE)
    del wb["チェック"].defined_names["recon_row_yen"]
    template = tmp_path / "old.xlsx"
    wb.save(template)
    with pytest.raises(ReconError) as error:
        write_workbook(view(build(year, load(None)), load(None)), tmp_path / "out.xlsx", template)
    assert "recon_row_yen" in str(error.value) and "チェック" in str(error.value)


def test_the_cost_sheet_adds_up_to_each_department_and_to_the_month(tmp_path):
    folder = tmp_path / "2024"
    shutil.copytree(Path(__file__).parent / "data" / "calls" / "year" / "2024", folder)
    out = tmp_path / "out.xlsx"
    report = view(build(folder, load(None)), load(None))
    write_workbook(report, out)
    wb = openpyxl.load_workbook(out)
    assert "番号・部門別" in wb.sheetnames
    rows = [[c.value for c in row] for row in wb["番号・部門別"].iter_rows(min_row=2)]
    departments, running, months = [], Decimal(0), 0
    for month, department, number, name, count, time, charge in rows:
        if number == "部門計":
            assert Decimal(str(charge)) == running
            departments.append(running)
            running = Decimal(0)
        elif number == "月計":
            assert Decimal(str(charge)) == sum(departments)
            (calls,) = [m for m in report.months if m.month == month]
            assert Decimal(calls.calls.sen) / 100 == Decimal(str(charge))
            departments, months = [], months + 1
        else:
            running += Decimal(str(charge))
    assert months >= 1


def test_the_flagged_calls_sheet_lists_each_call_once_and_each_finding_adds_up_to_its_rows(tmp_path):
    folder = tmp_path / "2024"
    shutil.copytree(Path(__file__).parents[1] / "examples" / "calls" / "2024", folder)
    for report in folder.glob("recon-*.xlsx"):
        report.unlink()
    out = tmp_path / "out.xlsx"
    report = view(build(folder, load(None)), load(None))
    write_workbook(report, out)
    ws = openpyxl.load_workbook(out)["不正利用の疑い"]
    keys = [key for key, _, _ in labels.HEADERS["flagged"]]
    rows = [dict(zip(keys, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]
    listed = [row for row in rows if row["start"] is not None]  # under the filter: the calls, a number's row
    totals = rows[len(listed):]  # under them: each rule's findings, added up
    assert ws.auto_filter.ref == f"A1:{get_column_letter(len(keys))}{len(listed) + 1}"
    calls = [row for row in listed if row["count"] == 1]
    assert len(calls) == len({row["where"] for row in calls}) == 44  # the night burst, each call once
    assert all(row["where"].startswith("通話明細_2024-11.csv:") and row["calling"] == "050-5555-0107" for row in calls)
    words = {rule: labels.FINDING_WORDS[rule][0] for rule in labels.FINDING_WORDS}
    assert {row["rule"] for row in calls} == {f"{words['off_hours']}\n{words['burst']}"}  # both rules, one a line
    (number,) = [row for row in listed if row["count"] != 1]  # 58 % of the month: all its 74 calls, every type
    assert (number["rule"], number["calling"], number["type"], number["count"], number["charge"]) == \
        (words["number_share"], "050-5555-0107", "全種別", 74, 8211)
    (november,) = report.months
    for finding in november.findings:
        mine = [row for row in listed if words[finding.rule] in row["rule"].split("\n")]
        assert (sum(row["count"] for row in mine), sum(Decimal(str(row["charge"])) for row in mine)) == \
            (finding.count, Decimal(finding.sen) / 100), finding.rule
    assert [(row["rule"], row["count"], row["charge"]) for row in totals] == [
        (f"{words['off_hours']} 計", 44, 7320), (f"{words['burst']} 計", 44, 7320), (f"{words['number_share']} 計", 74, 8211)]


def test_a_blank_on_the_example_years_type_sheets_says_why(tmp_path):
    """May's PHS row holds 0 calls (no average: 通話なし); October is an error, so November's change
    is from a month in error (前月エラー), never 前月なし: October is there."""
    folder = tmp_path / "2024"
    shutil.copytree(Path(__file__).parents[1] / "examples" / "2024", folder)
    (folder / "recon-2024.xlsx").unlink()
    wb = openpyxl.load_workbook(written(folder))
    for sheet, month, note in (("PHS通話", "2024-05", "通話なし"), ("一般通話", "2024-11", "前月エラー"),
                               ("国際通話", "2024-09", "前月明細なし"), ("一般通話", "2024-01", "前月なし")):
        ws = wb[sheet]
        (row,) = [r for r in ws.iter_rows(values_only=True) if r[0] == month]
        assert row[-1] == note, (sheet, month, row)
    phs = {r[0]: r for r in wb["PHS通話"].iter_rows(values_only=True)}
    assert phs["2024-05"][1] == 0 and phs["2024-05"][4:6] == (None, None)
