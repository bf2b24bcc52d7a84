"""The template: the bundled report.xlsx, its prototype sheets and rows, and the named styles the
workbook colours cells with. Everything a company restyles lives in the template, not here."""
from __future__ import annotations

import re
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
from recon.outputs.workbook.internals import style_of


def _bundled_template() -> Path:
    """`templates/report.xlsx`: shipped in the wheel as the package `recon.templates`; an editable
    install or a source checkout finds it at the top of the tree, where a company restyles it."""
    try:
        return Path(str(files("recon.templates").joinpath("report.xlsx")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[3] / "templates" / "report.xlsx"


TEMPLATE = _bundled_template()


# the template's sheets
KINDS = ("summary", "type", "other", "discount", "checks", "journal", "flagged", "costs", "sources")


# The template's prototype rows by role. Each stands under a sheet-scoped name `recon_row_<role>`,
# which is what the writer reads, so a row a company moves in Excel keeps its role;
# scripts/make_template.py puts them at these rows. A data row takes its look from the row of its
# role: "data" (every sheet's first row, where its data is written from), the summary's "total",
# the checks sheet's one row per unit; "note" and the chart-data block are the summary's too.
PROTOTYPE_ROWS: dict[str, dict[str, int]] = {
    "summary": {"data": 2, "total": 3, "note": 4, "chart_header": 5, "chart_data": 6},
    "checks": {"data": 2, "count": 2, "tenths": 3, "yen": 4},
    "costs": {"data": 2, "total": 3},  # a number's row; a 部門's or the month's total
    "type": {"data": 2, "total": 3},  # a month of one call type; the year's total
    "other": {"data": 2, "total": 3},
    "discount": {"data": 2, "total": 3},  # a month's 着割; the year's total
    "flagged": {"data": 2, "total": 3},  # a flagged call; a month's findings of one rule, added up
}
DEFAULT_ROWS = {"data": 2}
LOOK_ROLES = ("data", "total", "count", "tenths", "yen")
ROW_NAME = "recon_row_"
_ROW_OF_NAME = re.compile(r"!\$?[A-Z]{0,3}\$?(\d+)")


def rows_of(kind: str) -> dict[str, int]:
    """Role → row of a kind's prototype rows, where the template maker puts them."""
    return PROTOTYPE_ROWS.get(kind, DEFAULT_ROWS)


def prototype_rows(ws: Worksheet, kind: str) -> dict[str, int]:
    """Role → row number of a prototype sheet, read from its `recon_row_<role>` names; a
    ReconError naming the sheet when a row the kind's data takes its look from has none."""
    found = {}
    for name, defined in ws.defined_names.items():
        place = _ROW_OF_NAME.search(defined.attr_text or "")
        if name.startswith(ROW_NAME) and place:
            found[name.removeprefix(ROW_NAME)] = int(place.group(1))
    for role in rows_of(kind):
        if role in LOOK_ROLES and role not in found:
            raise ReconError(Where(ws.title), "template_row", None, name=ROW_NAME + role, sheet=ws.title)
    return found


def drop_row_names(ws: Worksheet) -> None:
    """The prototype rows' names go once the rows are read: the report's rows are data."""
    for name in [name for name in ws.defined_names if name.startswith(ROW_NAME)]:
        del ws.defined_names[name]


STATUS_STYLE = {status: f"recon_{status}" for status in ("ok", "warning", "variance", "missing", "error")}


FILE_STATUS_STYLE = {"read": "recon_ok", "ignored": "recon_missing", "error": "recon_error"}


RESULT_STYLE = {True: "recon_ok", False: "recon_fail"}


FAIL_STYLE = "recon_fail"


CLOSE_STYLE = {"closed": "recon_ok", "open": "recon_missing", "stale": "recon_fail"}


CHART_KEYS = ("month", *labels.CALL_TYPES, "other", "invoiced")


def plain_negatives(wb: Workbook) -> None:
    """The English workbook writes a negative as -1,174: the template's Japanese △ goes."""
    # the workbook's number formats, which its cell styles index: openpyxl's private list
    formats = wb._number_formats  # type: ignore[attr-defined]
    wb._number_formats = type(formats)(  # type: ignore[attr-defined]
        [fmt.replace('"△"', "-").replace('"▲"', "-") for fmt in formats])


def open_template(template: Path) -> Workbook:
    try:
        return load_workbook(template)
    except FileNotFoundError as e:  # `[report] template` naming a file that is not there
        raise ReconError(Where(str(template)), "existing_file", None) from e
    except OSError as e:
        raise ReconError(Where(str(template)), "xlsx", e.strerror or None) from e
    except (zipfile.BadZipFile, InvalidFileException, KeyError) as e:
        raise ReconError(Where(str(template)), "xlsx", None, found_as="not_zip", detail=str(e)[:60]) from e


def prototype_sheets(wb: Workbook, template: Path) -> dict[str, Worksheet]:
    """The prototype sheet of each kind, found by its Japanese or English name; the template must
    also hold every named style the report colours cells with."""
    needed = {*STATUS_STYLE.values(), *FILE_STATUS_STYLE.values(), *RESULT_STYLE.values(), FAIL_STYLE}
    for style in sorted(needed - set(wb.named_styles)):
        raise ReconError(Where(str(template)), "template_style", None, style=style)
    sheets: dict[str, Worksheet] = {}
    for kind in KINDS:
        found = [ws for ws in wb.worksheets if isinstance(ws, Worksheet) and ws.title in labels.SHEETS[kind]]
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
    for name, defined in proto.defined_names.items():  # its prototype rows' names
        ws.defined_names[name] = copy(defined)
    return ws


def column_styles(ws: Worksheet, keys: list[str], row: int) -> dict:
    return {key: copy(style_of(ws.cell(row, column))) for column, key in enumerate(keys, 1)}


def line_height(ws: Worksheet) -> float:
    """The height of a row of one line: the template sets it as the sheet's default."""
    return ws.sheet_format.defaultRowHeight

