"""Report → the .xlsx an accountant opens, made from the template and saved byte-for-byte the same.

The template (`recon/templates/report.xlsx`, first made by scripts/make_template.py) holds the look.
Each kind of sheet has a prototype sheet there: row 1 is the styled header, row 2 the styled data
row (the summary's row 3 is the year-total row; the checks sheet has one data row per unit). This
module copies each column's style from those rows, puts in the words for the report's language and
the values, and colours status cells with the template's named styles `recon_*`.
"""
from __future__ import annotations

import os
import secrets
import unicodedata
import zipfile
from copy import copy
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.packaging.core import DocumentProperties
from openpyxl.packaging.custom import StringProperty
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook import Workbook
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from recon import labels, marker
from recon.errors import ReconError
from recon.labels import render, type_label, word
from recon.model import Check, Duration, FileRecord, Figures, MonthResult, Report, Where
from recon.values import format_duration

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "report.xlsx"
KINDS = ("summary", "type", "other", "discount", "checks", "sources")  # the template's sheets
PROTO_ROW = 2  # the styled data row of every prototype sheet; data is written from here down
TOTAL_PROTO_ROW = 3  # the summary's year-total row
CHECK_PROTO_ROWS = {"count": 2, "tenths": 3, "yen": 4}  # the checks sheet: one data row per unit
TENTHS_PER_DAY = 864_000
CENT = Decimal("0.01")
FIXED_TIME = datetime(2000, 1, 1)  # document timestamps: the same report gives the same bytes
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FORMULA_START = ("=", "+", "-", "@")  # text Excel would take for a formula when re-entered
STATUS_STYLE = {status: f"recon_{status}" for status in ("ok", "warning", "variance", "missing", "error")}
FILE_STATUS_STYLE = {"read": "recon_ok", "ignored": "recon_missing", "error": "recon_error"}
RESULT_STYLE = {True: "recon_ok", False: "recon_fail"}
FAIL_STYLE = "recon_fail"
SUMMED = ("count", "time", "charge", "discount_stated", "discount_recomputed", "expected", "invoiced",
          "variance")  # the summary columns the year-total row adds up
CHART_SIZE_CM = (22, 9)


@dataclass(frozen=True)
class _Row:
    """One row to write: values and named-style flags by column key, and its prototype row."""

    values: dict
    flags: dict = field(default_factory=dict)
    proto: int = PROTO_ROW


def write_workbook(report: Report, path: Path, template: Path | None = None) -> None:
    """Write the report as an .xlsx at `path`, styled by `template` (the bundled one by default)."""
    template = template or TEMPLATE
    wb = _open_template(template)
    lang = report.lang
    sheets = _arrange(wb, _template_sheets(wb, template), report, lang)
    _summary(sheets["summary"], report, lang)
    for type_id in labels.CALL_TYPES:
        _fill(sheets[type_id], "type", lang, _type_rows(report, type_id))
    if "other" in sheets:
        _fill(sheets["other"], "other", lang, _other_rows(report, lang))
    _fill(sheets["discount"], "discount", lang, [_discount_row(m) for m in report.months])
    _fill(sheets["checks"], "checks", lang, [_check_row(m, c, lang) for m in report.months for c in m.checks])
    _fill(sheets["sources"], "sources", lang, [_source_row(f, lang) for f in report.files])
    _stamp(wb)
    save(wb, path)


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


def _arrange(wb: Workbook, protos: dict[str, Worksheet], report: Report, lang: str) -> dict[str, Worksheet]:
    """The report's sheets by kind (a call type's by its id), copied from the prototypes, named
    for the language and in the SPEC's order. Named before they are filled: a chart refers to its
    data by sheet name. A sheet a company added to its template stays, after ours."""
    sheets = {"summary": protos["summary"]}
    sheets |= {type_id: _copy_sheet(wb, protos["type"]) for type_id in labels.CALL_TYPES}
    wb.remove(protos["type"])
    if _other_ids(report):
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


def _stamp(wb: Workbook) -> None:
    """Fixed document properties, and the marker by which recon knows its own reports."""
    wb.properties = DocumentProperties(creator="recon", created=FIXED_TIME, modified=FIXED_TIME)
    wb.custom_doc_props.props = [p for p in wb.custom_doc_props.props if p.name != marker.NAME]
    wb.custom_doc_props.append(StringProperty(name=marker.NAME, value=marker.VALUE))


# --- writing rows -------------------------------------------------------------------------------

def _fill(ws: Worksheet, kind: str, lang: str, rows: list[_Row], after: tuple[_Row, ...] = ()) -> int:
    """Header words, then the rows styled from the prototype rows; `after` rows are outside the
    filter. Returns the last row written."""
    keys = [key for key, _, _ in labels.HEADERS[kind]]
    styles = {proto: _column_styles(ws, keys, proto) for proto in {r.proto for r in (*rows, *after)}}
    for column, key in enumerate(keys, 1):
        ws.cell(1, column).value = _header_word(kind, key, lang)
    line_height = ws.row_dimensions[PROTO_ROW].height or ws.sheet_format.defaultRowHeight
    ws.delete_rows(PROTO_ROW, ws.max_row)
    for number, row in enumerate((*rows, *after), PROTO_ROW):
        _write_row(ws, number, keys, styles[row.proto], row)
        _fit_height(ws, number, len(keys), line_height)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{len(rows) + 1}"
    return len(rows) + len(after) + 1


def _column_styles(ws: Worksheet, keys: list[str], row: int) -> dict:
    return {key: copy(ws.cell(row, column)._style) for column, key in enumerate(keys, 1)}


def _write_row(ws: Worksheet, number: int, keys: list[str], styles: dict, row: _Row) -> None:
    for column, key in enumerate(keys, 1):
        cell = ws.cell(number, column)
        cell._style = copy(styles[key])
        if key in row.flags:
            _flag(cell, row.flags[key])
        _put(cell, row.values.get(key))


def _flag(cell, style_name: str) -> None:
    """Colour a cell with a named style, keeping its column's number format and alignment."""
    number_format, alignment = cell.number_format, copy(cell.alignment)
    cell.style = style_name
    cell.number_format, cell.alignment = number_format, alignment


def _fit_height(ws: Worksheet, number: int, columns: int, line_height: float) -> None:
    """Give a row with wrapped text room for all its lines (Excel does not grow rows on opening)."""
    lines = max((_lines(cell.value, ws.column_dimensions[cell.column_letter].width)
                 for cell in ws[number][:columns] if cell.alignment.wrap_text), default=1)
    ws.row_dimensions[number].height = lines * line_height if lines > 1 else None


def _lines(value, width: float | None) -> int:
    """About how many lines a text takes in a column `width` digits wide (erring on more)."""
    if not isinstance(value, str) or not width:
        return 1
    room = max(1, int(width) - 1)
    return sum(max(1, -(-_display_width(line) // room)) for line in value.split("\n"))


def _display_width(text: str) -> int:
    """Width in digits: a wide (Japanese) character is about 1.8 digits of 游ゴシック."""
    return sum(18 if unicodedata.east_asian_width(char) in "WF" else 10 for char in text) // 10


def _put(cell, value) -> None:
    if isinstance(value, str):
        _put_text(cell, value)
    elif isinstance(value, Duration) and value.tenths < 0:
        _put_text(cell, format_duration(value.tenths))  # no viewer shows a negative time as a time
    elif isinstance(value, Duration):
        cell.value = value.tenths / TENTHS_PER_DAY  # the only float: Excel's day number, at the edge
    else:
        cell.value = value


def _put_text(cell, text: str) -> None:
    """Text stays text: never a formula, not even after the cell is edited in Excel."""
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True


# --- the summary --------------------------------------------------------------------------------

def _summary(ws: Worksheet, report: Report, lang: str) -> None:
    rows = [_summary_row(month, lang) for month in report.months]
    total = _Row(_year_total(rows, lang), proto=TOTAL_PROTO_ROW)
    keys = [key for key, _, _ in labels.HEADERS["summary"]]
    block_styles = {"header": copy(ws.cell(1, 1)._style), **_column_styles(ws, keys, PROTO_ROW)}
    last = _fill(ws, "summary", lang, rows, (total,))
    ws.row_breaks.append(Break(id=last))  # the chart prints on a page of its own, never split
    _chart(ws, report, lang, last + 2, block_styles)


def _summary_row(month: MonthResult, lang: str) -> _Row:
    total = month.total or Figures()
    discount = month.discount
    values = {
        "month": _month_label(month), "status": word(labels.STATUS, month.status, lang),
        "count": total.count, "time": _duration(total.tenths), "charge": total.charge,
        "discount_stated": discount.stated if discount else None,
        "discount_recomputed": discount.recomputed if discount else None,
        "expected": month.expected_invoice, "invoiced": month.invoiced,
        "variance": month.invoice_variance,
        "messages": "\n".join(render(message, lang) for message in month.messages),
    }
    flags = {"status": STATUS_STYLE[month.status]}
    if any(check.check == "invoice" and not check.ok for check in month.checks):
        flags["variance"] = FAIL_STYLE
    return _Row(values, flags)


def _year_total(rows: list[_Row], lang: str) -> dict:
    total = {"month": _word(labels.TOTAL_ROW, lang)}
    for key in SUMMED:
        present = [row.values[key] for row in rows if row.values[key] is not None]
        if present and isinstance(present[0], Duration):
            total[key] = Duration(sum(value.tenths for value in present))
        elif present:
            total[key] = sum(present)
    return total


def _chart(ws: Worksheet, report: Report, lang: str, top: int, styles: dict) -> None:
    """The monthly charge by call type: a data block under the table (styled like the table's
    header, month and charge cells) and a stacked column chart of it."""
    columns = [*labels.CALL_TYPES, *(["other"] if _other_ids(report) else [])]
    words = [_header_word("summary", "month", lang)]
    words += [_word(labels.OTHER, lang) if c == "other" else type_label(c, lang) for c in columns]
    ws.row_dimensions[top].height = ws.row_dimensions[1].height
    _block_row(ws, top, [(text, styles["header"]) for text in words])
    for number, month in enumerate(report.months, top + 1):
        charges = _charges_by_column(month)
        cells = [(charges.get(c), styles["charge"]) for c in columns]
        _block_row(ws, number, [(_month_label(month), styles["month"]), *cells])
    if report.months:
        chart = _bar_chart(ws, lang, top, len(report.months), len(columns))
        ws.add_chart(chart, f"A{top + len(report.months) + 2}")


def _block_row(ws: Worksheet, number: int, cells: list[tuple[object, object]]) -> None:
    for column, (value, style) in enumerate(cells, 1):
        ws.cell(number, column)._style = copy(style)
        _put(ws.cell(number, column), value)


def _charges_by_column(month: MonthResult) -> dict[str, int]:
    """Call type id (every unknown type together as "other") → the month's charge."""
    charges: dict[str, int] = {}
    for row in month.rows:
        column = "other" if row.type_id.startswith("other:") else row.type_id
        charges[column] = charges.get(column, 0) + row.charge
    return charges


def _bar_chart(ws: Worksheet, lang: str, top: int, months: int, series: int) -> BarChart:
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title = _word(labels.CHART_TITLE, lang)
    chart.y_axis.title = _word(labels.CHART_AXIS, lang)
    chart.y_axis.number_format = ws.cell(top + 1, 2).number_format  # the charge column's yen format
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides the axes otherwise
    chart.legend.position = "b"
    chart.add_data(Reference(ws, min_col=2, max_col=1 + series, min_row=top, max_row=top + months),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=top + months))
    chart.width, chart.height = CHART_SIZE_CM
    return chart


# --- the call-type sheets -----------------------------------------------------------------------

def _type_rows(report: Report, type_id: str) -> list[_Row]:
    """Every month, blank where the month has no row of this type."""
    figures = _figures_by_type(report)
    previous = _previous_months(report)
    rows = []
    for month in report.months:
        now = figures.get((month.account, month.month, type_id))
        before = figures.get((month.account, previous.get((month.account, month.month)), type_id))
        rows.append(_Row({"month": _month_label(month), **_type_values(now, before)}))
    return rows


def _other_rows(report: Report, lang: str) -> list[_Row]:
    """One row per month and unknown label, the label as written."""
    figures = _figures_by_type(report)
    previous = _previous_months(report)
    rows = []
    for month in report.months:
        for type_id in sorted({r.type_id for r in month.rows if r.type_id.startswith("other:")}):
            now = figures[(month.account, month.month, type_id)]
            before = figures.get((month.account, previous.get((month.account, month.month)), type_id))
            values = {"month": _month_label(month), "label": type_label(type_id, lang)}
            rows.append(_Row({**values, **_type_values(now, before)}))
    return rows


def _type_values(now: Figures | None, before: Figures | None) -> dict:
    if now is None:
        return {}
    return {
        "count": now.count, "time": Duration(now.tenths), "charge": now.charge,
        "avg_time": Duration(now.tenths // now.count) if now.count else None,
        "per_call": (Decimal(now.charge) / now.count).quantize(CENT, ROUND_HALF_UP) if now.count else None,
        "count_change": now.count - before.count if before else None,
        "charge_change": now.charge - before.charge if before else None,
    }


def _figures_by_type(report: Report) -> dict[tuple[str, str, str], Figures]:
    """(account, month, type id) → that month's figures for the type (rows of one type added up)."""
    sums: dict[tuple[str, str, str], Figures] = {}
    for month in report.months:
        for row in month.rows:
            key = (month.account, month.month, row.type_id)
            prior = sums.get(key, Figures(0, 0, 0))
            sums[key] = Figures(prior.count + row.count, prior.tenths + row.tenths, prior.charge + row.charge)
    return sums


def _previous_months(report: Report) -> dict[tuple[str, str], str]:
    """(account, month) → the month before it (reconcile lists every month of an account in order)."""
    return {(after.account, after.month): before.month
            for before, after in zip(report.months, report.months[1:]) if before.account == after.account}


def _other_ids(report: Report) -> list[str]:
    return sorted({r.type_id for m in report.months for r in m.rows if r.type_id.startswith("other:")})


# --- discount, checks, sources ------------------------------------------------------------------

def _discount_row(month: MonthResult) -> _Row:
    discount = month.discount
    values = {"month": _month_label(month)}
    if discount is not None:
        difference = None if discount.stated is None else discount.stated - discount.recomputed
        values |= {"count": discount.count, "time": _duration(discount.tenths), "stated": discount.stated,
                   "recomputed": discount.recomputed, "difference": difference}
    failed = any(check.check == "discount" and not check.ok for check in month.checks)
    return _Row(values, {"difference": FAIL_STYLE} if failed else {})


def _check_row(month: MonthResult, check: Check, lang: str) -> _Row:
    figure = Duration if check.unit == "tenths" else int
    values = {
        "month": _month_label(month), "check": word(labels.CHECKS, check.check, lang),
        "stated": figure(check.stated), "recomputed": figure(check.recomputed),
        "difference": figure(check.difference), "result": word(labels.RESULT, check.ok, lang),
        "where": str(check.where) if check.where else None,
    }
    flags = {"result": RESULT_STYLE[check.ok]} | ({} if check.ok else {"difference": FAIL_STYLE})
    return _Row(values, flags, CHECK_PROTO_ROWS[check.unit])


def _source_row(record: FileRecord, lang: str) -> _Row:
    values = {
        "path": record.path, "month": record.month,
        "format": word(labels.FORMATS, record.format, lang) if record.format else None,
        "encoding": record.encoding, "status": word(labels.FILE_STATUS, record.status, lang),
        "reason": render(record.message, lang) if record.message else None, "sha256": record.sha256,
    }
    return _Row(values, {"status": FILE_STATUS_STYLE[record.status]})


def _month_label(month: MonthResult) -> str:
    return f"{month.account} {month.month}" if month.account else month.month


def _duration(tenths: int | None) -> Duration | None:
    return None if tenths is None else Duration(tenths)


def _word(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "ja" else pair[1]


def _header_word(kind: str, key: str, lang: str) -> str:
    return next(_word((ja, en), lang) for k, ja, en in labels.HEADERS[kind] if k == key)


# --- saving -------------------------------------------------------------------------------------

class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry one date, so the same workbook always gives the same bytes."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        name = getattr(zinfo_or_arcname, "filename", zinfo_or_arcname)
        info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system, info.external_attr = 3, 0o644 << 16
        super().writestr(info, data)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        self.writestr(arcname or os.path.basename(filename), Path(filename).read_bytes())


def save(wb: Workbook, path: Path) -> None:
    """Write `wb` to `path` atomically (a temp file in the same folder, then a rename)."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temp, "xb") as handle, _FixedTimeZip(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            ExcelWriter(wb, archive).save()
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
