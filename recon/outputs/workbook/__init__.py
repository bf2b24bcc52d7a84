"""ReportView → the .xlsx an accountant opens, made from the template and saved byte-for-byte the same.

The package: `template` (the bundled `templates/report.xlsx`, its prototype sheets and rows, the
named styles), `sheets` (a view row → a sheet's cells, and `SHEETS`, the table of sheets after the
summary), `chart` (the summary's chart and its figures), `rows` (data rows streamed into the
sheet XML as it is saved) and `save` (fixed times, atomic write). This module arranges the sheets,
fills each from its spec and saves.

Each kind of sheet has a prototype sheet in the template: row 1 is the styled header, row 2 the
styled data row (the summary's row 3 is the year-total row, row 4 a note about the whole folder,
rows 5 and 6 the chart-data block whose header fills are the chart's series colours; the checks
sheet has one data row per unit). Each column's style is copied from those rows, the words put in
for the report's language, and status cells and sheet tabs coloured with the template's named
styles `recon_*`. Page setup, widths, fonts and the other tabs' colours stay as the template has
them.
"""
from __future__ import annotations

from recon.outputs.workbook import without_numpy  # noqa: F401 - before any import of openpyxl: see there

# isort: split
from collections.abc import Callable, Iterable, Iterator
from copy import copy
from functools import partial
from itertools import chain
from pathlib import Path
from typing import NamedTuple

from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from recon import labels
from recon.labels import render, type_label, word
from recon.outputs.workbook.chart import add_chart, chart_block_styles
from recon.outputs.workbook.internals import set_style, style_of
from recon.outputs.workbook.rows import DataRows
from recon.outputs.workbook.save import save, stamp
from recon.outputs.workbook.sheets import (
    SHEETS,
    Row,
    carried_lines,
    define_name,
    header_lines,
    header_word,
    layout,
    put,
    summary_row,
    year_total,
)
from recon.outputs.workbook.template import (
    FAIL_STYLE,
    FILE_STATUS_STYLE,
    LOOK_ROLES,
    RESULT_STYLE,
    STATUS_STYLE,
    TEMPLATE,
    column_styles,
    copy_sheet,
    drop_row_names,
    line_height,
    open_template,
    plain_negatives,
    prototype_rows,
    prototype_sheets,
)
from recon.settings import Settings
from recon.state import STATE_COLUMNS, STATE_SHEET
from recon.view import ReportView, worst


class Sheet(NamedTuple):
    """A laid-out sheet: its data rows, and how to finish it once they are made."""

    ws: Worksheet
    data: DataRows
    finish: Callable[[DataRows], None]  # measure the rows, fit the widths, set the filter


def write(view: ReportView, path: Path, settings: Settings | None = None) -> None:
    """The workbook at `path`, styled by the settings' template (the bundled one by default)."""
    write_workbook(view, path, settings.report.template if settings else None)



def write_workbook(view: ReportView, path: Path, template: Path | None = None) -> None:
    """Write the report's view as an .xlsx at `path`, styled by `template` (the bundled one by default)."""
    template = template or TEMPLATE
    wb = open_template(template)
    lang = view.lang
    sheets = _arrange(wb, prototype_sheets(wb, template), view, lang)
    if lang != "ja":
        plain_negatives(wb)
    _colour_tabs(wb, sheets, view)
    laid = {}  # every sheet after the summary, laid out: its rows are made and measured below
    for key, ws in sheets.items():
        if key != "summary":
            spec = SHEETS[key]
            laid[key] = _lay_out(ws, spec.kind, lang, partial(spec.rows, view, key, lang), spec.after(view, key, lang),
                                 contracts=view.contracts and spec.contracts, year_ago=view.history)
    laid["state"] = _state_sheet(wb, view)
    data = [_summary(sheets["summary"], view, lang)]  # each sheet's rows, written as it is saved
    for sheet in laid.values():
        sheet.finish(sheet.data)
    for key, ws in sheets.items():
        define_name(ws, key, ws.auto_filter.ref)  # each sheet's table: header and rows
    stamp(wb)
    data += [sheet.data for sheet in laid.values()]
    save(wb, path, data)


def _arrange(wb: Workbook, protos: dict[str, Worksheet], view: ReportView, lang: str) -> dict[str, Worksheet]:
    """The report's sheets by kind (a call type's by its id), copied from the prototypes, named
    for the language and in the SPEC's order. Named before they are filled: a chart refers to its
    data by sheet name. A sheet a company added to its template stays, after ours."""
    sheets = {"summary": protos["summary"]}
    sheets |= {type_id: copy_sheet(wb, protos["type"]) for type_id in labels.CALL_TYPES}
    wb.remove(protos["type"])
    if "other" in view.types:
        sheets["other"] = protos["other"]
    else:
        wb.remove(protos["other"])
    sheets |= {kind: protos[kind] for kind in ("discount", "checks", "journal")}
    for kind, rows in (("flagged", view.flagged), ("costs", view.costs)):  # with per-call records only
        if rows:
            sheets[kind] = protos[kind]
        else:
            wb.remove(protos[kind])
    sheets["sources"] = protos["sources"]
    for key, ws in sheets.items():
        ws.title = type_label(key, lang) if key in labels.CALL_TYPES else word(labels.SHEETS, key, lang)
    ours = list(sheets.values())
    # in one step, openpyxl's private list of sheets (its move_sheet moves one at a time)
    wb._sheets = ours + [ws for ws in wb._sheets if ws not in ours]  # type: ignore[attr-defined]
    wb.active = 0
    for index, ws in enumerate(wb.worksheets):
        ws.sheet_view.tabSelected = index == 0
    return sheets



def _colour_tabs(wb: Workbook, sheets: dict[str, Worksheet], view: ReportView) -> None:
    """A sheet that flags rows wears its worst flag on its tab, in the fill of the template's named
    style: the summary its worst month status, the checks red when one fails (green when none),
    the discount and sources sheets only when something on them is wrong."""
    # the named styles themselves: openpyxl's private list (its named_styles are their names)
    fills = {style.name: style.fill for style in wb._named_styles}  # type: ignore[attr-defined]
    checks = [row.check for row in view.checks]
    tabs = {}
    months = [row.look for row in view.summary if row.kind == "month"]
    if months:  # as the months' status cells look: a suspected toll fraud as a variance
        tabs["summary"] = STATUS_STYLE[worst(months)]
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



def _fill(ws: Worksheet, kind: str, lang: str, rows: Callable[[], Iterable[Row]], after: tuple[Row, ...] = (),
          contracts: bool = False, year_ago: bool = False) -> DataRows:
    """A sheet laid out and its rows measured (`_lay_out`)."""
    sheet = _lay_out(ws, kind, lang, rows, after, contracts, year_ago)
    sheet.finish(sheet.data)
    return sheet.data



def _lay_out(ws: Worksheet, kind: str, lang: str, rows: Callable[[], Iterable[Row]], after: tuple[Row, ...] = (),
             contracts: bool = False, year_ago: bool = False) -> Sheet:
    """Header words, then the rows styled from the prototype rows; `after` rows are outside the
    filter. With several contracts a 契約 column comes first, styled like the month's. `rows`
    makes the rows anew at each call: when the sheet is finished, to measure them, and as the
    workbook is saved."""
    template_keys = [key for key, _, _ in labels.HEADERS[kind]]
    keys = layout(kind, contracts, year_ago)
    at = prototype_rows(ws, kind)
    styles = {role: column_styles(ws, template_keys, row) for role, row in at.items() if role in LOOK_ROLES}
    if keys != template_keys:
        _make_room(ws, keys, template_keys, styles)
    for column, key in enumerate(keys, 1):
        ws.cell(1, column).value = header_lines(header_word(kind, key, lang), lang)
    first = at["data"]
    line_height = ws.row_dimensions[first].height or ws.sheet_format.defaultRowHeight
    ws.delete_rows(first, ws.max_row)
    drop_row_names(ws)
    data = DataRows(ws, keys, styles, lambda: chain(rows(), after), first, line_height)
    return Sheet(ws, data, partial(_measured, columns=len(keys), after=len(after)))


def _measured(data: DataRows, columns: int, after: int) -> None:
    """A sheet's rows measured, its columns widened where a value would not fit, and its filter
    set over the header and the rows above the `after` rows."""
    data.measure()
    data.fit_widths()
    data.ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{data.last - after}"



def _make_room(ws: Worksheet, keys: list[str], template_keys: list[str], styles: dict) -> None:
    """Lay the template's columns out under `keys`: widths and styles follow their key, the 契約
    column borrows the month column's, and the frozen panes move right with the columns."""
    widths = {key: ws.column_dimensions[get_column_letter(i)].width for i, key in enumerate(template_keys, 1)}
    headers = column_styles(ws, template_keys, 1)
    widths["account"], headers["account"] = widths["month"], headers["month"]
    for column, key in enumerate(keys, 1):
        ws.column_dimensions[get_column_letter(column)].width = widths[key]
        set_style(ws.cell(1, column), copy(headers[key]))
    for column in range(len(keys) + 1, len(template_keys) + 1):  # a column this report does not have
        ws.cell(1, column).value, ws.cell(1, column).style = None, "Normal"
        ws.column_dimensions.pop(get_column_letter(column), None)
    for by_key in styles.values():
        by_key["account"] = copy(by_key["month"])
    if ws.freeze_panes and "account" in keys and "account" not in template_keys:
        cell = ws[ws.freeze_panes]
        ws.freeze_panes = ws.cell(cell.row, cell.column + 1).coordinate



def _summary(ws: Worksheet, view: ReportView, lang: str) -> DataRows:
    rows = [summary_row(row, lang) for row in view.summary]
    at = prototype_rows(ws, "summary")  # read before _fill clears the prototype rows
    block = chart_block_styles(ws, at)
    note = copy(style_of(ws.cell(at["note"], 1))) if "note" in at else StyleArray()
    after = year_total(view, lang) if view.year_total else ()
    data = _fill(ws, "summary", lang, lambda: rows, after, view.contracts)
    last = data.last
    span = len(layout("summary", view.contracts))
    total = last - len(after) + 1
    define_name(ws, "year_total", f"A{total}:{get_column_letter(span)}{total}")
    lines = [render(message, lang) for message in view.notes] + carried_lines(view, lang)
    for number, line in enumerate(lines, last + 1):
        set_style(ws.cell(number, 1), copy(note))
        put(ws.cell(number, 1), line)
    if view.chart.months:
        add_chart(ws, view.chart, lang, last + len(lines), block, span, data.heights)
    return data



def _state_sheet(wb: Workbook, view: ReportView) -> Sheet:
    """What the next build needs to know and a person does not: per month the fingerprint the
    report shows and the one its sign-off was given on; the carried notes. Very hidden, and
    unstyled: its columns keep openpyxl's width."""
    ws = wb.create_sheet(STATE_SHEET)
    ws.sheet_state = "veryHidden"
    ws.append(STATE_COLUMNS)
    unstyled = {"data": {key: StyleArray() for key in STATE_COLUMNS}}
    data = DataRows(ws, list(STATE_COLUMNS), unstyled, partial(_state_rows, view), 2, line_height(ws))
    return Sheet(ws, data, DataRows.measure)



def _state_rows(view: ReportView) -> Iterator[Row]:
    for month in view.months:
        signoff = month.close.signoff if month.close else None
        basis = signoff.basis if signoff and signoff.signed else None
        given = (basis.detail, basis.invoice, signoff.reviewer, signoff.signed_on) if signoff and basis else (None,) * 4
        yield Row(dict(zip(STATE_COLUMNS, (
            "month", month.account, month.month, month.fingerprint.detail, month.fingerprint.invoice, *given),
            strict=True)))
    for account, gone, carried in view.carried_signoffs:  # a month gone: its sign-off, shown nowhere
        if carried.basis is None:  # carried only with the inputs it was given on (signoff.py)
            continue
        yield Row(dict(zip(STATE_COLUMNS, ("month", account, gone, None, None, carried.basis.detail,
                                           carried.basis.invoice, carried.reviewer, carried.signed_on), strict=True)))
    for row in view.carried:
        yield Row(dict(zip(STATE_COLUMNS, ("carried", *row), strict=False)))  # the columns after its text stay empty
    # each explanation as typed: the summary and checks sheets show it broken into lines
    typed = [(row.account, row.month, "explanation", row.explanation) for row in view.summary
             if row.kind == "month" and row.explanation]
    typed += [(row.account, row.month, row.check.key, row.explanation) for row in view.checks if row.explanation]
    for place in typed:
        yield Row(dict(zip(STATE_COLUMNS, ("typed", *place), strict=False)))

