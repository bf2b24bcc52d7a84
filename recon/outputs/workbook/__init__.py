"""ReportView → the .xlsx an accountant opens, made from the template and saved byte-for-byte the same.

The template (`templates/report.xlsx`, first made by scripts/make_template.py) holds the look.
Each kind of sheet has a prototype sheet there: row 1 is the styled header, row 2 the styled data
row (the summary's row 3 is the year-total row, row 4 a note about the whole folder, rows 5 and 6
the chart-data block whose header fills are the chart's series colours; the checks sheet has one data row per unit). This module copies
each column's style from those rows, puts in the words for the report's language and the values,
and colours status cells and sheet tabs with the template's named styles `recon_*`. Page setup,
widths, fonts and the other tabs' colours stay as the template has them. A sheet's data rows are
not openpyxl cells: `rows.py` measures them as the sheet is filled and writes them as it is saved.
"""
from __future__ import annotations

import os
from importlib.resources import files
import secrets
import zipfile
from collections.abc import Callable, Iterable, Iterator
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from itertools import chain
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.colors import ColorChoice, SchemeColor
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.packaging.core import DocumentProperties
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.utils import absolute_coordinate, get_column_letter, quote_sheetname
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from recon import labels, marker
from recon.errors import ReconError
from recon.labels import render, type_label, word
from recon.model import Duration, FileRecord, Where
from recon.state import STATE_COLUMNS, STATE_SHEET
from recon.outputs.workbook.rows import BookWriter, DataRows, cell_value, quoted
from recon.values import format_yen
from recon.settings import Settings
from recon.view import Chart, CheckRow, DiscountRow, ReportView, SummaryRow, TypeRow



def _bundled_template() -> Path:
    """`templates/report.xlsx`: shipped in the wheel as the package `recon.templates`; an editable
    install or a source checkout finds it at the top of the tree, where a company restyles it."""
    try:
        return Path(str(files("recon.templates").joinpath("report.xlsx")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[3] / "templates" / "report.xlsx"


TEMPLATE = _bundled_template()
KINDS = ("summary", "type", "other", "discount", "checks", "sources")  # the template's sheets
PROTO_ROW = 2  # the styled data row of every prototype sheet; data is written from here down
TOTAL_PROTO_ROW = 3  # the summary's year-total row
CHECK_PROTO_ROWS = {"count": 2, "tenths": 3, "yen": 4}  # the checks sheet: one data row per unit
PROTO_ROWS = {"summary": (PROTO_ROW, TOTAL_PROTO_ROW), "checks": tuple(CHECK_PROTO_ROWS.values())}  # others: PROTO_ROW
FIXED_TIME = datetime(2000, 1, 1)  # document timestamps: the same report gives the same bytes
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
STATUS_STYLE = {status: f"recon_{status}" for status in ("ok", "warning", "variance", "missing", "error")}
FILE_STATUS_STYLE = {"read": "recon_ok", "ignored": "recon_missing", "error": "recon_error"}
RESULT_STYLE = {True: "recon_ok", False: "recon_fail"}
FAIL_STYLE = "recon_fail"
CONTRACT_KINDS = ("summary", "type", "other", "discount", "checks")  # sheets with a 契約 column
CLOSE_STYLE = {"closed": "recon_ok", "open": "recon_missing", "stale": "recon_fail"}
NOTE_PROTO_ROW = 4  # the summary's note row: a finding about the whole folder, under the year total
# The summary's chart-data block in the template: a header row whose fills colour the chart's
# series (a legend a company restyles in Excel), and a data row.
CHART_PROTO_ROWS = (5, 6)
CHART_KEYS = ("month", *labels.CALL_TYPES, "other", "invoiced")
CHART_ROWS = 14  # the chart's height in rows of the sheet's default height
NAME_PREFIX = "recon_"  # workbook-scoped names of the key ranges: recon_summary, recon_year_total …
# A page's printable size, before margins, in points (portrait), by the page setup's paper size.
PAPER_POINTS = {1: (612, 792), 9: (595.3, 841.9)}  # Letter, A4
POINTS_PER_INCH = 72
# Excel's theme colour index → the chart's name for it (the first two pairs are swapped in cells).
THEME_COLOURS = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5",
                 "accent6", "hlink", "folHlink")


@dataclass(frozen=True)
class _Row:
    """One row to write: values and named-style flags by column key, and its prototype row."""

    values: dict
    flags: dict = field(default_factory=dict)
    proto: int = PROTO_ROW


def write(view: ReportView, path: Path, settings: Settings | None = None) -> None:
    """The workbook at `path`, styled by the settings' template (the bundled one by default)."""
    write_workbook(view, path, settings.report.template if settings else None)


def write_workbook(view: ReportView, path: Path, template: Path | None = None) -> None:
    """Write the report's view as an .xlsx at `path`, styled by `template` (the bundled one by default)."""
    template = template or TEMPLATE
    wb = _open_template(template)
    lang = view.lang
    sheets = _arrange(wb, _template_sheets(wb, template), view, lang)
    contracts = view.contracts
    if lang != "ja":
        _plain_negatives(wb)
    data = [_summary(sheets["summary"], view, lang)]  # each sheet's rows, written as it is saved
    for key, rows in view.types.items():
        kind = "other" if key == "other" else "type"
        data.append(_fill(sheets[key], kind, lang, partial(map, partial(_type_row, lang=lang), rows),
                          contracts=contracts))
    data.append(_fill(sheets["discount"], "discount", lang, partial(map, _discount_row, view.discount),
                      contracts=contracts))
    data.append(_fill(sheets["checks"], "checks", lang, partial(_check_rows, view, lang), contracts=contracts))
    data.append(_fill(sheets["sources"], "sources", lang, partial(_source_rows, view, lang)))
    for key, ws in sheets.items():
        _define_name(ws, key, ws.auto_filter.ref)  # each sheet's table: header and rows
    _colour_tabs(wb, sheets, view)
    data.append(_state_sheet(wb, view))
    _stamp(wb)
    save(wb, path, data)


def _plain_negatives(wb: Workbook) -> None:
    """The English workbook writes a negative as -1,174: the template's Japanese △ goes."""
    wb._number_formats = type(wb._number_formats)(
        [fmt.replace('"△"', "-").replace('"▲"', "-") for fmt in wb._number_formats])


# --- the template -------------------------------------------------------------------------------

def _open_template(template: Path) -> Workbook:
    try:
        return load_workbook(template)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError) as e:
        raise ReconError(Where(str(template)), "xlsx", type(e).__name__) from e


def _template_sheets(wb: Workbook, template: Path) -> dict[str, Worksheet]:
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


def _copy_sheet(wb: Workbook, proto: Worksheet) -> Worksheet:
    """A copy of a prototype sheet, with the view and print settings copy_worksheet leaves out."""
    ws = wb.copy_worksheet(proto)
    ws.views.sheetView[0] = copy(proto.sheet_view)
    ws.print_title_rows = proto.print_title_rows
    ws.HeaderFooter = copy(proto.HeaderFooter)
    ws.sheet_properties.tabColor = copy(proto.sheet_properties.tabColor)
    return ws


def _arrange(wb: Workbook, protos: dict[str, Worksheet], view: ReportView, lang: str) -> dict[str, Worksheet]:
    """The report's sheets by kind (a call type's by its id), copied from the prototypes, named
    for the language and in the SPEC's order. Named before they are filled: a chart refers to its
    data by sheet name. A sheet a company added to its template stays, after ours."""
    sheets = {"summary": protos["summary"]}
    sheets |= {type_id: _copy_sheet(wb, protos["type"]) for type_id in labels.CALL_TYPES}
    wb.remove(protos["type"])
    if "other" in view.types:
        sheets["other"] = protos["other"]
    else:
        wb.remove(protos["other"])
    sheets |= {kind: protos[kind] for kind in ("discount", "checks", "sources")}
    for key, ws in sheets.items():
        ws.title = type_label(key, lang) if key in labels.CALL_TYPES else word(labels.SHEETS, key, lang)
    ours = list(sheets.values())
    wb._sheets = ours + [ws for ws in wb._sheets if ws not in ours]
    wb.active = 0
    for index, ws in enumerate(wb.worksheets):
        ws.sheet_view.tabSelected = index == 0
    return sheets


def _colour_tabs(wb: Workbook, sheets: dict[str, Worksheet], view: ReportView) -> None:
    """A sheet that flags rows wears its worst flag on its tab, in the fill of the template's named
    style: the summary its worst month status, the checks red when one fails (green when none),
    the discount and sources sheets only when something on them is wrong."""
    fills = {style.name: style.fill for style in wb._named_styles}
    checks = [row.check for row in view.checks]
    tabs = {}
    if view.year_total:
        tabs["summary"] = STATUS_STYLE[view.year_total.status]
    if checks:
        tabs["checks"] = RESULT_STYLE[all(check.ok for check in checks)]
    if any(check.check == "discount" and not check.ok for check in checks):
        tabs["discount"] = FAIL_STYLE
    if any(record.status == "error" for record in view.files):
        tabs["sources"] = FILE_STATUS_STYLE["error"]
    for key, style in tabs.items():
        fill = fills[style]
        if fill.fill_type == "solid":
            sheets[key].sheet_properties.tabColor = copy(fill.fgColor)


def _define_name(ws: Worksheet, key: str, cells: str) -> None:
    """A workbook-scoped name for a key range (`recon_summary`), so formulas and macros find it
    in either language."""
    name = NAME_PREFIX + key
    ws.parent.defined_names[name] = DefinedName(name, attr_text=f"{quote_sheetname(ws.title)}!{absolute_coordinate(cells)}")


def _stamp(wb: Workbook) -> None:
    """Fixed document properties, and the marker by which recon knows its own reports."""
    wb.properties = DocumentProperties(creator="recon", created=FIXED_TIME, modified=FIXED_TIME)
    wb.custom_doc_props.props = [p for p in wb.custom_doc_props.props if p.name != marker.NAME]
    wb.custom_doc_props.append(StringProperty(name=marker.NAME, value=marker.VALUE))


# --- writing rows -------------------------------------------------------------------------------

def _fill(ws: Worksheet, kind: str, lang: str, rows: Callable[[], Iterable[_Row]], after: tuple[_Row, ...] = (),
          contracts: bool = False) -> DataRows:
    """Header words, then the rows styled from the prototype rows; `after` rows are outside the
    filter. With several contracts a 契約 column comes first, styled like the month's. `rows`
    makes the rows anew at each call: here, to measure them, and as the workbook is saved."""
    template_keys = [key for key, _, _ in labels.HEADERS[kind]]
    keys = _layout(kind, contracts)
    styles = {proto: _column_styles(ws, template_keys, proto) for proto in PROTO_ROWS.get(kind, (PROTO_ROW,))}
    if keys != template_keys:
        _make_room(ws, keys, template_keys, styles)
    for column, key in enumerate(keys, 1):
        ws.cell(1, column).value = _header_word(kind, key, lang)
    line_height = ws.row_dimensions[PROTO_ROW].height or ws.sheet_format.defaultRowHeight
    ws.delete_rows(PROTO_ROW, ws.max_row)
    data = DataRows(ws, keys, styles, lambda: chain(rows(), after), PROTO_ROW, line_height)
    data.measure()
    data.fit_widths()
    ws.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{data.last - len(after)}"
    return data


def _layout(kind: str, contracts: bool) -> list[str]:
    """The column keys of a sheet: the template's, after a 契約 column when there are contracts."""
    keys = [key for key, _, _ in labels.HEADERS[kind]]
    return ["account", *keys] if contracts and kind in CONTRACT_KINDS else keys


def _make_room(ws: Worksheet, keys: list[str], template_keys: list[str], styles: dict) -> None:
    """Lay the template's columns out under `keys`: widths and styles follow their key, the 契約
    column borrows the month column's, and the frozen panes move right with the columns."""
    widths = {key: ws.column_dimensions[get_column_letter(i)].width for i, key in enumerate(template_keys, 1)}
    headers = _column_styles(ws, template_keys, 1)
    widths["account"], headers["account"] = widths["month"], headers["month"]
    for column, key in enumerate(keys, 1):
        ws.column_dimensions[get_column_letter(column)].width = widths[key]
        ws.cell(1, column)._style = copy(headers[key])
    for by_key in styles.values():
        by_key["account"] = copy(by_key["month"])
    if ws.freeze_panes:
        cell = ws[ws.freeze_panes]
        ws.freeze_panes = ws.cell(cell.row, cell.column + len(keys) - len(template_keys))


def _column_styles(ws: Worksheet, keys: list[str], row: int) -> dict:
    return {key: copy(ws.cell(row, column)._style) for column, key in enumerate(keys, 1)}


def _put(cell, value) -> None:
    """A value into one of openpyxl's cells, as the data rows write theirs: text stays text, never
    a formula, not even after the cell is edited in Excel."""
    value = cell_value(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if quoted(value):
            cell._style = copy(cell._style)  # it may be shared with other cells
            cell.quotePrefix = True


# --- the summary --------------------------------------------------------------------------------

def _summary(ws: Worksheet, view: ReportView, lang: str) -> DataRows:
    rows = [_summary_row(row, lang) for row in view.summary]
    block = _chart_block_styles(ws)  # read before _fill clears the prototype rows
    note = copy(ws.cell(NOTE_PROTO_ROW, 1)._style)
    after = (_year_total(view, lang),) if view.year_total else ()
    data = _fill(ws, "summary", lang, lambda: rows, after, view.contracts)
    last = data.last
    span = len(_layout("summary", view.contracts))
    _define_name(ws, "year_total", f"A{last}:{get_column_letter(span)}{last}")
    lines = [render(message, lang) for message in view.notes] + _carried_lines(view, lang)
    for number, line in enumerate(lines, last + 1):
        ws.cell(number, 1)._style = copy(note)
        _put(ws.cell(number, 1), line)
    if view.chart.months:
        _chart(ws, view.chart, lang, last + len(lines), block, span)
    return data


def _carried_lines(view: ReportView, lang: str) -> list[str]:
    """Notes whose month or check this report no longer has, shown under the year total."""
    fields = {key: _word((ja, en), lang) for key, ja, en in labels.HEADERS["summary"]}
    title = _word(labels.CARRIED, lang)
    return [f"{title} {' '.join(filter(None, (account, month)))} "
            f"{fields.get(field) or word(labels.CHECKS, field, lang)}: {text}"
            for account, month, field, text in view.carried]


def _state_sheet(wb: Workbook, view: ReportView) -> DataRows:
    """What the next build needs to know and a person does not: per month the fingerprint the
    report shows and the one its sign-off was given on; the carried notes. Very hidden, and
    unstyled: its columns keep openpyxl's width."""
    ws = wb.create_sheet(STATE_SHEET)
    ws.sheet_state = "veryHidden"
    ws.append(STATE_COLUMNS)
    unstyled = {PROTO_ROW: {key: StyleArray() for key in STATE_COLUMNS}}
    data = DataRows(ws, list(STATE_COLUMNS), unstyled, partial(_state_rows, view), PROTO_ROW, _line_height(ws))
    data.measure()
    return data


def _state_rows(view: ReportView) -> Iterator[_Row]:
    for month in view.months:
        signoff = month.close.signoff if month.close else None
        basis = signoff.basis if signoff and signoff.signed else None
        yield _Row(dict(zip(STATE_COLUMNS, (
            "month", month.account, month.month, month.fingerprint.detail, month.fingerprint.invoice,
            basis.detail if basis else None, basis.invoice if basis else None,
            signoff.reviewer if basis else None, signoff.signed_on if basis else None))))
    for row in view.carried:
        yield _Row(dict(zip(STATE_COLUMNS, ("carried", *row))))


def _summary_row(row: SummaryRow, lang: str) -> _Row:
    """A month, a company month or the year total, as the summary's cells. Only a month has a
    close: an aggregate row never wears the closed colour, and takes the total row's look."""
    values = {
        "account": row.account, "month": row.month, "status": word(labels.STATUS, row.status, lang),
        "count": row.count, "time": _duration(row.tenths), "charge": row.charge,
        "discount_stated": row.discount_stated, "discount_recomputed": row.discount_recomputed,
        "expected": row.expected, "invoiced": row.invoiced, "variance": row.variance,
        "messages": "\n".join(render(message, lang) for message in row.messages) or None,
    }
    flags = {"status": STATUS_STYLE[row.status]}
    if row.variance_failed:
        flags["variance"] = FAIL_STYLE
    if row.kind == "company":
        values["account"] = _word(labels.COMPANY_TOTAL, lang)
    if row.kind != "month":
        return _Row(values, flags, TOTAL_PROTO_ROW)
    if row.close is not None:
        values |= {"close": word(labels.CLOSE, row.close, lang), "explanation": row.explanation,
                   "reviewer": row.reviewer, "signed_on": _date_or_text(row.signed_on or "")}
        flags["close"] = CLOSE_STYLE[row.close]
    return _Row(values, flags)


def _date_or_text(text: str):
    """A date typed as a date goes back as a date (formatted by the template), anything else as text."""
    try:
        return date.fromisoformat(text) if len(text) == 10 else (text or None)
    except ValueError:
        return text


def _year_total(view: ReportView, lang: str) -> _Row:
    """The year total; its label stands in the first column: the contract's when there is one."""
    total = _summary_row(view.year_total, lang)
    total.values["account" if view.contracts else "month"] = _word(labels.TOTAL_ROW, lang)
    return total


def _chart_block_styles(ws: Worksheet) -> dict[str, tuple]:
    """The chart-data block's (header style, data style, series colour) per column key."""
    header, data = CHART_PROTO_ROWS
    return {key: (copy(ws.cell(header, column)._style), copy(ws.cell(data, column)._style),
                  _chart_colour(ws.cell(header, column).fill))
            for column, key in enumerate(CHART_KEYS, 1)}


def _chart(ws: Worksheet, chart_view: Chart, lang: str, table_end: int, block: dict, span: int) -> None:
    """Under the table: a chart of the monthly charge by call type (stacked columns) with the
    invoiced amount tax excluded (a line), and under the chart the block of figures it draws, which
    is not printed. The chart prints on the table's page when both fit, else on a page of its own."""
    top = table_end + 2
    data_top = top + CHART_ROWS + 1
    keys = list(chart_view.keys)
    months = len(chart_view.months)
    _chart_block(ws, chart_view, lang, data_top, block)
    for row in range(top, top + CHART_ROWS):
        ws.row_dimensions[row].height = _line_height(ws)
    chart = _bar_chart(ws, chart_view, lang, data_top, block)
    chart.anchor = TwoCellAnchor(_from=AnchorMarker(col=0, row=top - 1),
                                 to=AnchorMarker(col=span, row=top - 1 + CHART_ROWS))
    ws.add_chart(chart)
    bottom = top + CHART_ROWS - 1
    ws.print_area = f"A1:{get_column_letter(span)}{bottom}"
    if not _fits_one_page(ws, bottom, span):
        ws.row_breaks.append(Break(id=table_end))
    _define_name(ws, "chart_data", f"A{data_top}:{get_column_letter(len(keys) + 1)}{data_top + months}")


def _chart_block(ws: Worksheet, chart_view: Chart, lang: str, top: int, block: dict) -> None:
    """The figures the chart draws: per month, the charge of each call type and the invoiced amount."""
    keys = ["month", *chart_view.keys]
    ws.row_dimensions[top].height = ws.row_dimensions[1].height
    _block_row(ws, top, [(_chart_word(key, lang), block[key][0]) for key in keys])
    for number, month in enumerate(chart_view.months, top + 1):
        values = {"month": month.month, "invoiced": month.invoiced, **dict(month.charges)}
        _block_row(ws, number, [(values.get(key), block[key][1]) for key in keys])


def _chart_word(key: str, lang: str) -> str:
    if key in labels.CALL_TYPES:
        return type_label(key, lang)
    if key == "other":
        return _word(labels.OTHER, lang)
    if key == "invoiced":
        return _word(labels.CHART_INVOICED, lang)
    return _header_word("summary", key, lang)


def _block_row(ws: Worksheet, number: int, cells: list[tuple[object, object]]) -> None:
    for column, (value, style) in enumerate(cells, 1):
        ws.cell(number, column)._style = copy(style)
        _put(ws.cell(number, column), value)


def _bar_chart(ws: Worksheet, chart_view: Chart, lang: str, top: int, block: dict) -> BarChart:
    """Stacked columns of the call types' charges, and the invoiced amount as a line over them;
    each series in the colour of its header cell in the template's chart-data block. A month far
    above the others is cut at the axis' top, and the title gives its full amount."""
    keys = chart_view.keys
    months = len(chart_view.months)
    types, invoiced = len(keys) - 1, len(keys) + 1
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title = _chart_title(chart_view, lang)
    chart.y_axis.title = _word(labels.CHART_AXIS, lang)
    chart.y_axis.number_format = ws.cell(top + 1, 2).number_format  # the block's yen format
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides the axes otherwise
    if chart_view.axis_max is not None:
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, chart_view.axis_max
    chart.legend.position = "b"
    categories = Reference(ws, min_col=1, min_row=top + 1, max_row=top + months)
    chart.add_data(Reference(ws, min_col=2, max_col=1 + types, min_row=top, max_row=top + months),
                   titles_from_data=True)
    chart.set_categories(categories)
    line = LineChart()
    line.add_data(Reference(ws, min_col=invoiced, min_row=top, max_row=top + months), titles_from_data=True)
    line.set_categories(categories)
    for series, key in zip(chart.series, keys[:-1]):
        _colour_series(series, block[key][2], line=False)
    for series in line.series:
        series.marker.symbol = "circle"
        series.smooth = False
        _colour_series(series, block["invoiced"][2], line=True)
    chart += line
    return chart


def _chart_title(chart_view: Chart, lang: str) -> str:
    title = _word(labels.CHART_TITLE, lang)
    if not chart_view.clipped:
        return title
    clipped = ", ".join(f"{month} {format_yen(amount)}" for month, amount in chart_view.clipped)
    return f"{title} " + _word(labels.CHART_CLIPPED, lang).format(months=clipped)


def _colour_series(series, colour: ColorChoice | None, line: bool) -> None:
    """Give a series the template's colour; without one the application picks."""
    if colour is None:
        return
    if line:
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.width = 28575  # 2.25 pt, in EMU
        series.marker.graphicalProperties = _marker_look(colour)
    else:
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour


def _marker_look(colour: ColorChoice) -> GraphicalProperties:
    look = GraphicalProperties(solidFill=colour)
    look.line.solidFill = colour
    return look


def _chart_colour(fill) -> ColorChoice | None:
    """A cell fill's colour as a chart colour: RGB, a theme colour (with its tint) or a legacy
    palette index; None when the cell is not filled."""
    colour = fill.fgColor
    if fill.fill_type != "solid" or colour is None:
        return None
    if colour.type == "rgb" and isinstance(colour.rgb, str):
        return ColorChoice(srgbClr=colour.rgb[-6:])
    if colour.type == "indexed" and colour.indexed < len(COLOR_INDEX):
        return ColorChoice(srgbClr=COLOR_INDEX[colour.indexed][-6:])
    if colour.type == "theme" and colour.theme < len(THEME_COLOURS):
        return ColorChoice(schemeClr=_tinted(SchemeColor(val=THEME_COLOURS[colour.theme]), colour.tint))
    return None


def _tinted(scheme: SchemeColor, tint: float) -> SchemeColor:
    """Excel's tint of a theme colour, as the luminance modulation a chart colour takes."""
    if tint > 0:
        scheme.lumMod, scheme.lumOff = round((1 - tint) * 100_000), round(tint * 100_000)
    elif tint < 0:
        scheme.lumMod = round((1 + tint) * 100_000)
    return scheme


def _line_height(ws: Worksheet) -> float:
    """The height of a row of one line: the template sets it as the sheet's default."""
    return ws.sheet_format.defaultRowHeight


def _fits_one_page(ws: Worksheet, bottom: int, columns: int) -> bool:
    """About whether rows 1..bottom, printed one page wide, fit on one page (erring on no)."""
    setup, margins = ws.page_setup, ws.page_margins
    width, height = PAPER_POINTS.get(int(setup.paperSize or 9), PAPER_POINTS[9])
    if setup.orientation == "landscape":
        width, height = height, width
    room_width = width - (margins.left + margins.right) * POINTS_PER_INCH
    room_height = height - (margins.top + margins.bottom) * POINTS_PER_INCH
    table_width = sum(_column_points(ws, column) for column in range(1, columns + 1))
    scale = min(1.0, room_width / table_width)
    rows = sum(ws.row_dimensions[row].height or _line_height(ws) for row in range(1, bottom + 1))
    return rows * scale <= room_height * 0.95


def _column_points(ws: Worksheet, column: int) -> float:
    """A column's width in points: Excel's width unit is a digit of the Normal font (about 7 px)."""
    width = ws.column_dimensions[get_column_letter(column)].width or ws.sheet_format.baseColWidth + 0.43
    return (width * 7 + 5) * 0.75


# --- the call-type sheets -----------------------------------------------------------------------

def _type_row(row: TypeRow, lang: str) -> _Row:
    """A month of one call type: blank figures where the month has no row of the type."""
    values = {"account": row.account, "month": row.month}
    if row.type_id.startswith("other:"):
        values["label"] = type_label(row.type_id, lang)
    if row.count is not None:
        values |= {"count": row.count, "time": Duration(row.tenths), "charge": row.charge,
                   "avg_time": _duration(row.avg_tenths), "per_call": row.per_call,
                   "count_change": row.count_change, "charge_change": row.charge_change}
    return _Row(values)


# --- discount, checks, sources ------------------------------------------------------------------

def _discount_row(row: DiscountRow) -> _Row:
    values = {"account": row.account, "month": row.month, "count": row.count, "time": _duration(row.tenths),
              "stated": row.stated, "recomputed": row.recomputed, "difference": row.difference}
    return _Row(values, {"difference": FAIL_STYLE} if row.failed else {})


def _check_rows(view: ReportView, lang: str) -> Iterator[_Row]:
    return (_check_row(row, lang) for row in view.checks)


def _check_row(row: CheckRow, lang: str) -> _Row:
    check = row.check
    figure = Duration if check.unit == "tenths" else int
    values = {
        "account": row.account, "month": row.month, "check": word(labels.CHECKS, check.check, lang),
        "stated": figure(check.stated), "recomputed": figure(check.recomputed),
        "difference": figure(check.difference), "result": word(labels.RESULT, check.ok, lang),
        "where": str(check.where) if check.where else None, "explanation": row.explanation,
    }
    flags = {"result": RESULT_STYLE[check.ok]} | ({} if check.ok else {"difference": FAIL_STYLE})
    return _Row(values, flags, CHECK_PROTO_ROWS[check.unit])


def _source_rows(view: ReportView, lang: str) -> Iterator[_Row]:
    return (_source_row(record, lang) for record in view.files)


def _source_row(record: FileRecord, lang: str) -> _Row:
    values = {
        "path": record.path, "month": record.month,
        "format": word(labels.FORMATS, record.format, lang) if record.format else None,
        "encoding": record.encoding, "status": word(labels.FILE_STATUS, record.status, lang),
        "reason": render(record.message, lang) if record.message else None, "sha256": record.sha256,
    }
    return _Row(values, {"status": FILE_STATUS_STYLE[record.status]})


def _duration(tenths: int | None) -> Duration | None:
    return None if tenths is None else Duration(tenths)


def _word(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "ja" else pair[1]


def _header_word(kind: str, key: str, lang: str) -> str:
    if key == "account":
        return _word(labels.ACCOUNT, lang)
    return next(_word((ja, en), lang) for k, ja, en in labels.HEADERS[kind] if k == key)


# --- saving -------------------------------------------------------------------------------------

class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry one date, so the same workbook always gives the same bytes."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        super().writestr(self._entry(getattr(zinfo_or_arcname, "filename", zinfo_or_arcname)), data)

    def open(self, name, mode="r", pwd=None, *, force_zip64=False):
        """An entry opened by name to be written (a sheet, as it is written) takes the fixed date too."""
        if mode == "w" and isinstance(name, str):
            name = self._entry(name)
        return super().open(name, mode, pwd, force_zip64=force_zip64)

    @staticmethod
    def _entry(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system, info.external_attr = 3, 0o644 << 16
        return info


def save(wb: Workbook, path: Path, data: Iterable[DataRows] = ()) -> None:
    """Write `wb` to `path` atomically (a temp file in the same folder, then a rename), each sheet's
    `data` rows in their place."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temp, "xb") as handle, _FixedTimeZip(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            BookWriter(wb, archive, data).save()
        os.replace(temp, path)
    except OSError as e:  # the report open in Excel (Windows locks it), a read-only folder …
        raise ReconError(Where(str(path)), "writable", e.strerror or type(e).__name__) from None
    finally:
        temp.unlink(missing_ok=True)
