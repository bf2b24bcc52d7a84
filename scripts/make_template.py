"""Write templates/report.xlsx, the look of every report (a developer tool).

The template holds styles, not data: one prototype sheet per kind of sheet, each with a styled
header row (row 1) and a styled prototype data row (row 2; the summary also has a year-total row 3,
a note row 4 and a chart-data block in rows 5–6 whose header fills colour the chart's series, and
the checks sheet one prototype row per unit). The writer copies each column's style from these rows, and
colours status cells and status tabs with the named styles `recon_*`. A company restyles the report by
editing the .xlsx in Excel; this script only makes the first version:

    .venv/bin/python scripts/make_template.py
"""
from __future__ import annotations

import datetime as dt
from copy import copy

from openpyxl import Workbook
from openpyxl.packaging.core import DocumentProperties
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import quote_sheetname
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.properties import PageSetupProperties

from recon import labels  # the header words shown in the template come from labels
from recon.model import Message
from recon.outputs.workbook.rows import _display_width
from recon.outputs.workbook.save import FIXED_TIME, save
from recon.outputs.workbook.sheets import header_lines
from recon.outputs.workbook.template import CHART_KEYS, PROTOTYPE_ROWS, ROW_NAME, TEMPLATE, rows_of

PROTO_ROW = rows_of("type")["data"]  # every sheet's first data row
TOTAL_PROTO_ROW = PROTOTYPE_ROWS["summary"]["total"]
NOTE_PROTO_ROW = PROTOTYPE_ROWS["summary"]["note"]
CHART_PROTO_ROWS = (PROTOTYPE_ROWS["summary"]["chart_header"], PROTOTYPE_ROWS["summary"]["chart_data"])
CHECK_PROTO_ROWS = {unit: PROTOTYPE_ROWS["checks"][unit] for unit in ("count", "tenths", "yen")}

FONT = "游ゴシック"
DURATION = "[h]:mm:ss.0"
YEN = '#,##0;[Red]"△"#,##0'
DISCOUNT = '#,##0;"△"#,##0'  # a discount is negative by nature: △ without the alarm of red
YEN_CHANGE = '+#,##0;[Red]"△"#,##0;0'
COUNT = "#,##0"
COUNT_CHANGE = '+#,##0;[Red]"△"#,##0;0'  # written like the yen change beside it
PER_CALL = "#,##0.00"
SEN = "#,##0.00;[Red]\"△\"#,##0.00"  # a charge of per-call records: yen to the sen
DATETIME = "yyyy-mm-dd hh:mm:ss"
TEXT = "@"
DATE = "yyyy-mm-dd"
# The checks columns whose format follows the unit: (stated and recomputed, difference).
FORMAT_OF_UNIT = {"count": (COUNT, COUNT), "tenths": (DURATION, DURATION), "yen": (DISCOUNT, YEN)}
FIGURES = ("stated", "recomputed", "difference")

# Per sheet kind, per column key: (width in characters, number format, wrap). Widths fit the largest
# figures a year can hold (9,999,999 yen, 9,999:59:59.9) so no viewer shows ###.
# The same month a year earlier, on the call-type sheets (shown only when history was read).
YEAR_AGO = {"year_ago_count": (12, COUNT, False), "year_ago_count_change": (12, COUNT_CHANGE, False),
            "year_ago_charge": (12, YEN, False), "year_ago_charge_change": (13, YEN_CHANGE, False)}
COLUMNS: dict[str, dict[str, tuple[float, str, bool]]] = {
    "summary": {
        "month": (14, TEXT, False), "status": (10, TEXT, False), "variance": (10, YEN, False),
        "close": (10, TEXT, False), "count": (13, COUNT, False),
        "time": (13, DURATION, False), "charge": (12, YEN, False), "discount_stated": (13, DISCOUNT, False),
        "discount_recomputed": (13, DISCOUNT, False), "fees": (10, YEN, False), "tax": (10, YEN, False),
        "expected": (12, YEN, False),
        "invoiced": (12, YEN, False), "explanation": (22, TEXT, True), "reviewer": (10, TEXT, False),
        "signed_on": (11, DATE, False), "messages": (44, TEXT, True),
    },
    "type": {
        "month": (14, TEXT, False), "count": (10, COUNT, False), "time": (13, DURATION, False),
        "charge": (12, YEN, False), "avg_time": (12, DURATION, False), "per_call": (15, PER_CALL, False),
        "count_change": (12, COUNT_CHANGE, False), "charge_change": (13, YEN_CHANGE, False),
        **YEAR_AGO, "note": (16, TEXT, False),
    },
    "other": {
        "month": (14, TEXT, False), "label": (22, TEXT, True), "count": (10, COUNT, False),
        "time": (13, DURATION, False), "charge": (12, YEN, False), "avg_time": (12, DURATION, False),
        "per_call": (15, PER_CALL, False), "count_change": (12, COUNT_CHANGE, False),
        "charge_change": (13, YEN_CHANGE, False), **YEAR_AGO, "note": (16, TEXT, False),
    },
    "discount": {
        "month": (14, TEXT, False), "count": (12, COUNT, False), "time": (13, DURATION, False),
        "stated": (13, DISCOUNT, False), "recomputed": (13, DISCOUNT, False), "difference": (11, YEN, False),
        "note": (16, TEXT, False),  # a short reason: widened to the longest, never broken
    },
    "checks": {
        "month": (14, TEXT, False), "check": (32, TEXT, True), "stated": (13, YEN, False),
        "recomputed": (13, YEN, False), "difference": (13, YEN, False), "result": (10, TEXT, False),
        "where": (26, TEXT, False), "explanation": (30, TEXT, True),
    },
    "journal": {
        "month": (10, TEXT, False), "date": (11, DATE, False), "side": (7, TEXT, False),
        "ledger": (12, TEXT, False), "amount": (12, YEN, False), "tax": (10, YEN, False),
        "category": (18, TEXT, False), "department": (12, TEXT, False), "vendor": (20, TEXT, False),
        "summary": (34, TEXT, False), "note": (34, TEXT, True),  # 摘要: one line, widened to the longest
    },
    "flagged": {
        "month": (10, TEXT, False), "rule": (38, TEXT, True), "start": (20, DATETIME, False),
        "calling": (14, TEXT, False), "called": (16, TEXT, False), "type": (12, TEXT, False),
        "count": (8, COUNT, False), "time": (11, DURATION, False), "charge": (10, SEN, False), "where": (30, TEXT, False),
    },
    "costs": {
        "month": (10, TEXT, False), "department": (16, TEXT, False), "number": (16, TEXT, False),
        "name": (16, TEXT, False), "count": (10, COUNT, False), "time": (13, DURATION, False),
        "charge": (14, SEN, False),
    },
    "sources": {
        "path": (30, TEXT, False), "month": (10, TEXT, False), "format": (9, TEXT, False),
        "encoding": (10, TEXT, False), "status": (9, TEXT, False), "reason": (50, TEXT, True),
        "sha256": (54, TEXT, False),
    },
}
# Sample values so the template, opened in Excel, shows what each prototype row looks like.
SAMPLES = {
    "summary": {"month": "2024-01", "status": labels.STATUS["warning"][0], "count": 3016, "time": 3956635 / 864000,
                "charge": 130090, "discount_stated": -1174, "discount_recomputed": -1174, "fees": 0, "tax": 0,
                "expected": 128916, "invoiced": 128916, "variance": 0, "close": labels.CLOSE["closed"][0],
                "explanation": None, "reviewer": None, "signed_on": None, "messages": "…"},
    "type": {"month": "2024-01", "count": 1096, "time": 1037935 / 864000, "charge": 10240,
             "avg_time": 947 / 864000, "per_call": 9.34, "count_change": 12, "charge_change": -120,
             "year_ago_count": 1080, "year_ago_count_change": 16, "year_ago_charge": 10100,
             "year_ago_charge_change": 140, "note": None},
    "other": {"month": "2024-01", "label": "ナビダイヤル", "count": 5, "time": 6000 / 864000,
              "charge": 300, "avg_time": 1200 / 864000, "per_call": 60, "count_change": 1,
              "charge_change": 40, "year_ago_count": 3, "year_ago_count_change": 2, "year_ago_charge": 180,
              "year_ago_charge_change": 120, "note": None},
    "discount": {"month": "2024-01", "count": 3016, "time": 1408630 / 864000, "stated": -1174,
                 "recomputed": -1174, "difference": 0, "note": None},
    "checks": {"month": "2024-01", "check": labels.CHECKS["total_count"][0], "stated": 3016,
               "recomputed": 3016, "difference": 0, "result": labels.RESULT[True][0], "where": "2024-01.txt:8",
               "explanation": None},
    "journal": {"month": "2024-01", "date": dt.date(2024, 1, 31), "side": labels.JOURNAL_SIDE["debit"][0],
                "ledger": "通信費", "amount": 35250, "tax": 3204, "category": labels.JOURNAL_CATEGORY["taxable"][0],
                "department": None, "vendor": "NTTコミュニケーションズ", "summary": "050IP電話 2024年1月分",
                "note": None},
    "flagged": {"month": "2024-11", "rule": labels.FINDING_WORDS["burst"][0],
                "start": dt.datetime(2024, 11, 16, 23, 41, 5), "calling": "05012345678", "called": "0106312345678",
                "type": labels.CALL_TYPES["international"][0], "count": 1, "time": 12 / 864000, "charge": 98.5,
                "where": "通話明細_2024-11.csv:212"},
    "costs": {"month": "2024-11", "department": "営業部", "number": "05012345678", "name": "山田",
              "count": 120, "time": 36000 / 864000, "charge": 1234.5},
    "sources": {"path": "2024-01.txt", "month": "2024-01", "format": labels.FORMATS["text"][0],
                "encoding": "utf-8", "status": labels.FILE_STATUS["read"][0], "reason": "",
                "sha256": "a41317d7b28ce71766bacebdebf2acc61d36323dc1cc9216f9bb9b2622d9337a"},
}
# Prototype cells shown in a status colour, so the named styles are seen where they are used.
SAMPLE_STYLE = {("summary", "status"): "recon_warning", ("summary", "close"): "recon_ok",
                ("checks", "result"): "recon_ok", ("sources", "status"): "recon_ok"}
CENTERED = {"status", "result", "close"}  # a status word sits in the middle of its coloured cell
SMALL = {"sha256"}  # 64 hex digits on one line
BOLD = 1.1  # a header's bold characters are about a tenth wider than the Normal font's
PADDING = 1.5  # digits of a cell's margins and border
LINE_HEIGHT = 16.5  # one line of 10 pt 游ゴシック; the writer multiplies it for wrapped text
HEADER_HEIGHT = 42  # three lines: the English headers wrap in the narrow figure columns
FREEZE = {"summary": "B2", "type": "B2", "other": "C2", "discount": "B2", "checks": "B2", "journal": "B2",
          "flagged": "B2", "costs": "B2", "sources": "B2"}
TAB = {"summary": "1F4E78", "type": "2E75B6", "other": "2E75B6", "discount": "548235",
       "checks": "C65911", "journal": "806000", "flagged": "C00000", "costs": "2E75B6", "sources": "7F7F7F"}
# The chart's series, by the summary's chart-data block: (header fill = series colour, header text).
SERIES_LOOK = {"general": ("2E75B6", "FFFFFF"), "international": ("ED7D31", "FFFFFF"),
               "mobile": ("70AD47", "FFFFFF"), "ip": ("FFC000", "000000"), "phs": ("7030A0", "FFFFFF"),
               "other": ("A5A5A5", "000000"), "invoiced": ("262626", "FFFFFF")}
CHART_SAMPLE = {"month": "2024-01", "general": 10240, "international": 96870, "mobile": 7680, "ip": 0,
                "phs": 15300, "other": 620, "invoiced": 128916}

SHEET_KIND = {ja: kind for kind, (ja, _) in labels.SHEETS.items()}
GRID = Side(style="thin", color="BFBFBF")
CELL_BORDER = Border(left=GRID, right=GRID, top=GRID, bottom=GRID)
HEADER = {"font": Font(name=FONT, size=10, bold=True, color="FFFFFF"),
          "fill": PatternFill("solid", fgColor="1F4E78"),
          "border": Border(left=GRID, right=GRID, top=GRID, bottom=Side(style="medium", color="1F4E78")),
          "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True)}
# Status colours: (fill, text colour, bold). Text colours are dark enough to read on their fill.
STATUS_LOOK = {
    "recon_ok": ("C6EFCE", "006100", False),
    "recon_warning": ("FFEB9C", "7F6000", False),
    "recon_variance": ("F8CBAD", "9C0006", True),
    "recon_missing": ("D9D9D9", "404040", False),
    "recon_error": ("C00000", "FFFFFF", True),
    "recon_fail": ("F8CBAD", "9C0006", True),  # a failing check's result, a variance that matters
}


def main() -> None:
    """Build the template workbook and save it deterministically."""
    wb = Workbook()
    wb.remove(wb.active)
    _normal_font(wb)
    _named_styles(wb)
    for kind, columns in COLUMNS.items():
        _prototype_sheet(wb, kind, columns)
    wb.properties = DocumentProperties(creator="recon", created=FIXED_TIME, modified=FIXED_TIME)
    save(wb, TEMPLATE)
    print(TEMPLATE)


def _normal_font(wb: Workbook) -> None:
    """The Normal style (blank cells, Excel's column-width unit) uses the tables' font."""
    font = Font(name=FONT, size=10)
    wb._fonts = IndexedList([font])
    wb._named_styles["Normal"].font = font


def _named_styles(wb: Workbook) -> None:
    for name, (fill, color, bold) in STATUS_LOOK.items():
        wb.add_named_style(NamedStyle(
            name=name, font=Font(name=FONT, size=10, bold=bold, color=color),
            fill=PatternFill("solid", fgColor=fill), border=CELL_BORDER,
            alignment=Alignment(horizontal="center", vertical="top")))


def _prototype_sheet(wb: Workbook, kind: str, columns: dict[str, tuple[float, str, bool]]) -> None:
    ws = wb.create_sheet(labels.SHEETS[kind][0])
    words = {key: ja for key, ja, _ in labels.HEADERS[kind]}
    sample = SAMPLES[kind]
    for column, (key, (width, number_format, wrap)) in enumerate(columns.items(), 1):
        letter = ws.cell(1, column).column_letter
        ws.column_dimensions[letter].width = max(width, word_room(kind, key))
        _header_cell(ws.cell(1, column), header_lines(words[key], "ja"))
        _data_cell(ws.cell(PROTO_ROW, column), sample[key], number_format, wrap)
        _column_look(ws.cell(PROTO_ROW, column), key)
    ws.row_dimensions[1].height = HEADER_HEIGHT
    ws.row_dimensions[PROTO_ROW].height = LINE_HEIGHT
    if kind in ("summary", "costs", "type", "other", "discount", "flagged"):
        _total_row(ws, columns)
    if kind == "checks":
        _unit_rows(ws, columns)
    if kind == "summary":
        _note(ws.cell(NOTE_PROTO_ROW, 1))
        _chart_block(ws)
    _sheet_setup(ws, kind)
    _name_rows(ws, kind)


def word_room(kind: str, key: str) -> float:
    """The width a column needs so that no word of its header, in either language, is broken: the
    widest word (Japanese ones stand one a line, `header_lines`; English wraps at its spaces) in the
    header's bold, with the cell's padding. Widths are in digits of the Normal font, as Excel's."""
    [(ja, en)] = [(ja, en) for k, ja, en in labels.HEADERS[kind] if k == key]
    widest = max(_display_width(word) for word in (*ja.split(), *en.split()))
    return round(widest * BOLD + PADDING, 1)


def _name_rows(ws, kind: str) -> None:
    """Each prototype row under the name of its role, which is how the writer finds it."""
    for role, row in rows_of(kind).items():
        name = ROW_NAME + role
        ws.defined_names[name] = DefinedName(name, attr_text=f"{quote_sheetname(ws.title)}!${row}:${row}")


def _header_cell(cell, text: str) -> None:
    cell.value = text
    for attribute, value in HEADER.items():
        setattr(cell, attribute, value)


def _data_cell(cell, value, number_format: str, wrap: bool) -> None:
    cell.value = value
    cell.number_format = number_format
    cell.font = Font(name=FONT, size=10)
    cell.border = CELL_BORDER
    cell.alignment = Alignment(vertical="top", wrap_text=wrap,
                               horizontal="right" if number_format != TEXT else None)


def _column_look(cell, key: str) -> None:
    kind = SHEET_KIND[cell.parent.title]
    if (kind, key) in SAMPLE_STYLE:
        number_format = cell.number_format
        cell.style = SAMPLE_STYLE[kind, key]
        cell.number_format = number_format
    if key in CENTERED:
        cell.alignment = Alignment(horizontal="center", vertical="top")
    if key in SMALL:
        cell.font = Font(name=FONT, size=8)


def _total_row(ws, columns: dict) -> None:
    """Row 3 of the summary: the year total, bold under a double rule."""
    top = Side(style="double", color="1F4E78")
    for column, key in enumerate(columns, 1):
        proto = ws.cell(PROTO_ROW, column)
        cell = ws.cell(TOTAL_PROTO_ROW, column)
        cell.value = labels.TOTAL_ROW[0] if key == "month" else (proto.value if key != "status" else None)
        cell.number_format = proto.number_format
        cell.font = Font(name=FONT, size=10, bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.border = Border(left=GRID, right=GRID, top=top, bottom=GRID)
        cell.alignment = copy(proto.alignment)


def _note(cell) -> None:
    """A finding about the whole folder, on one line that runs on over the empty cells beside it."""
    cell.value = labels.render(Message.of("contract_without_invoices", account="大阪支店"), "ja")
    cell.font = Font(name=FONT, size=10, color=STATUS_LOOK["recon_warning"][1])
    cell.alignment = Alignment(vertical="top", wrap_text=False)


def _chart_block(ws) -> None:
    """The summary's chart-data block: each series' header cell is filled in its chart colour."""
    header, data = CHART_PROTO_ROWS
    ws.row_dimensions[header].height = HEADER_HEIGHT
    for column, key in enumerate(CHART_KEYS, 1):
        if key == "month":
            _header_cell(ws.cell(header, column), labels.HEADERS["summary"][0][1])
            _data_cell(ws.cell(data, column), CHART_SAMPLE[key], TEXT, False)
            continue
        fill, text = SERIES_LOOK[key]
        cell = ws.cell(header, column)
        _header_cell(cell, _series_word(key))
        cell.fill = PatternFill("solid", fgColor=fill)
        cell.font = Font(name=FONT, size=10, bold=True, color=text)
        _data_cell(ws.cell(data, column), CHART_SAMPLE[key], YEN, False)


def _series_word(key: str) -> str:
    if key in labels.CALL_TYPES:
        return labels.CALL_TYPES[key][0]
    if key == "other":
        return labels.OTHER[0]
    return next(ja for k, ja, _ in labels.HEADERS["summary"] if k == key)


def _unit_rows(ws, columns: dict[str, tuple[float, str, bool]]) -> None:
    """The checks sheet has one prototype row per unit: its figures columns differ in format."""
    figures = {"count": (labels.CHECKS["total_count"][0], 3016, 3016, 0),
               "tenths": (labels.CHECKS["total_duration"][0], 4316635 / 864000, 3956635 / 864000, 360000 / 864000),
               "yen": (labels.CHECKS["discount"][0], -1174, -1174, 0)}
    sample = SAMPLES["checks"]
    for unit, row in CHECK_PROTO_ROWS.items():
        values = {**sample, **dict(zip(("check", *FIGURES), figures[unit]))}
        for column, (key, (_, number_format, wrap)) in enumerate(columns.items(), 1):
            if key in FIGURES:
                number_format = FORMAT_OF_UNIT[unit][key == "difference"]
            _data_cell(ws.cell(row, column), values[key], number_format, wrap)
            _column_look(ws.cell(row, column), key)


def _sheet_setup(ws, kind: str) -> None:
    ws.freeze_panes = FREEZE[kind]
    ws.sheet_properties.tabColor = TAB[kind]
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddHeader.left.text = "&A"
    ws.oddFooter.center.text = "&P / &N"
    ws.sheet_view.zoomScale = 100
    ws.sheet_format.defaultRowHeight = LINE_HEIGHT  # the same row height in every application
    ws.sheet_format.customHeight = True


if __name__ == "__main__":
    main()
