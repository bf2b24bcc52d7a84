"""The template: the bundled report.xlsx, its prototype sheets and rows, and the named styles the
workbook colours cells with. Everything a company restyles lives in the template, not here."""
from __future__ import annotations

import zipfile
from copy import copy
from importlib.resources import files
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from recon import labels
from recon.errors import ReconError
from recon.model import Where


def _bundled_template() -> Path:
    """`templates/report.xlsx`: shipped in the wheel as the package `recon.templates`; an editable
    install or a source checkout finds it at the top of the tree, where a company restyles it."""
    try:
        return Path(str(files("recon.templates").joinpath("report.xlsx")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[3] / "templates" / "report.xlsx"



TEMPLATE = _bundled_template()



KINDS = ("summary", "type", "other", "discount", "checks", "journal", "sources")  # the template's sheets



PROTO_ROW = 2  # the styled data row of every prototype sheet; data is written from here down



TOTAL_PROTO_ROW = 3  # the summary's year-total row



CHECK_PROTO_ROWS = {"count": 2, "tenths": 3, "yen": 4}  # the checks sheet: one data row per unit



PROTO_ROWS = {"summary": (PROTO_ROW, TOTAL_PROTO_ROW), "checks": tuple(CHECK_PROTO_ROWS.values())}  # others: PROTO_ROW



STATUS_STYLE = {status: f"recon_{status}" for status in ("ok", "warning", "variance", "missing", "error")}



FILE_STATUS_STYLE = {"read": "recon_ok", "ignored": "recon_missing", "error": "recon_error"}



RESULT_STYLE = {True: "recon_ok", False: "recon_fail"}



FAIL_STYLE = "recon_fail"



CLOSE_STYLE = {"closed": "recon_ok", "open": "recon_missing", "stale": "recon_fail"}



NOTE_PROTO_ROW = 4  # the summary's note row: a finding about the whole folder, under the year total



# The summary's chart-data block in the template: a header row whose fills colour the chart's
# series (a legend a company restyles in Excel), and a data row.
CHART_PROTO_ROWS = (5, 6)



CHART_KEYS = ("month", *labels.CALL_TYPES, "other", "invoiced")



def plain_negatives(wb: Workbook) -> None:
    """The English workbook writes a negative as -1,174: the template's Japanese △ goes."""
    wb._number_formats = type(wb._number_formats)(
        [fmt.replace('"△"', "-").replace('"▲"', "-") for fmt in wb._number_formats])



def open_template(template: Path) -> Workbook:
    try:
        return load_workbook(template)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError) as e:
        raise ReconError(Where(str(template)), "xlsx", type(e).__name__) from e



def prototype_sheets(wb: Workbook, template: Path) -> dict[str, Worksheet]:
    """The prototype sheet of each kind, found by its Japanese or English name; the template must
    also hold every named style the report colours cells with."""
    needed = {*STATUS_STYLE.values(), *FILE_STATUS_STYLE.values(), *RESULT_STYLE.values(), FAIL_STYLE}
    for style in sorted(needed - set(wb.named_styles)):
        raise ReconError(Where(str(template)), "template_style", None, style=style)
    sheets = {}
    for kind in KINDS:
        found = [ws for ws in wb.worksheets if ws.title in labels.SHEETS[kind]]
        if not found:
            raise ReconError(Where(str(template)), "template_sheet", None, sheet=labels.SHEETS[kind][0])
        sheets[kind] = found[0]
    return sheets



def copy_sheet(wb: Workbook, proto: Worksheet) -> Worksheet:
    """A copy of a prototype sheet, with the view and print settings copy_worksheet leaves out."""
    ws = wb.copy_worksheet(proto)
    ws.views.sheetView[0] = copy(proto.sheet_view)
    ws.print_title_rows = proto.print_title_rows
    ws.HeaderFooter = copy(proto.HeaderFooter)
    ws.sheet_properties.tabColor = copy(proto.sheet_properties.tabColor)
    return ws



def column_styles(ws: Worksheet, keys: list[str], row: int) -> dict:
    return {key: copy(ws.cell(row, column)._style) for column, key in enumerate(keys, 1)}



def line_height(ws: Worksheet) -> float:
    """The height of a row of one line: the template sets it as the sheet's default."""
    return ws.sheet_format.defaultRowHeight

