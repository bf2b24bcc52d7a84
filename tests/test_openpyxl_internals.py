"""The parts of openpyxl that are not its public API and that the workbook's writer builds on.

recon/outputs/workbook/rows.py writes the data rows into each sheet's XML itself, as openpyxl
would write them as cells, inside openpyxl's own writers (`openpyxl.worksheet._writer`,
`openpyxl.writer.excel`). It reaches names openpyxl may change in any release without notice (hence
the `<3.2` pin in pyproject.toml). Each test here imports exactly those names and asserts what it relies on,
so that on a new openpyxl release the first failure says which name moved and in which version,
instead of a workbook that opens wrong.
"""
from __future__ import annotations

import io
import zipfile
from copy import copy
from datetime import date

import openpyxl
from lxml import etree
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.packaging.relationship import RelationshipList
from openpyxl.styles import Font, NamedStyle
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils.datetime import to_excel
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook import Workbook
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.dimensions import RowDimension, SheetDimension
from openpyxl.writer.excel import ExcelWriter

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def pinned(holds: bool, what: str) -> None:
    """Fail, naming the installed openpyxl, when something the writer relies on no longer holds."""
    assert holds, (f"openpyxl {openpyxl.__version__} changed: {what}. recon/outputs/workbook/rows.py was "
                   "written against openpyxl 3.1 (pyproject.toml pins <3.2): adapt them, "
                   "or write the data rows as openpyxl cells (benchmarks/own_code.py measures that way)")


def _sheet_xml(ws, writer_class=WorksheetWriter) -> bytes:
    out = io.BytesIO()
    writer = writer_class(ws, out)
    writer.write()
    return out.getvalue()


def test_the_workbook_keeps_its_style_tables_as_indexed_lists_numbered_in_order_of_first_use():
    wb = Workbook()
    for name in ("_cell_styles", "_fonts", "_fills", "_borders", "_number_formats", "_alignments", "_protections"):
        pinned(isinstance(getattr(wb, name, None), IndexedList), f"Workbook.{name} is no longer an IndexedList")
    styles = wb._cell_styles
    first, second = StyleArray([1, 0, 0, 0, 0, 0, 0, 0, 0]), StyleArray([2, 0, 0, 0, 0, 0, 0, 0, 0])
    start = len(styles)
    numbers = [styles.add(first), styles.add(second), styles.add(copy(first))]
    pinned(numbers == [start, start + 1, start], "IndexedList.add no longer returns a style's number in order "
                                                 "of first use (an equal style its first number)")
    pinned(isinstance(styles._dict, dict) and styles._dict[second] == start + 1 and isinstance(styles.clean, bool),
           "IndexedList no longer finds its entries through `_dict` (and its flag `clean`)")
    pinned(wb._fonts[0].sz is not None and hasattr(wb._alignments[0], "wrap_text"),
           "Workbook._fonts[0] (the Normal font) or Workbook._alignments entries changed")


def test_a_cell_holds_its_style_as_a_style_array_of_ids():
    wb = Workbook()
    ws = wb.active
    cell = ws.cell(1, 1)
    pinned(not cell.has_style, "a new Cell has a style")
    cell.font = Font(b=True, sz=14)
    style = cell._style
    pinned(isinstance(style, StyleArray), "a styled Cell's `_style` is not a StyleArray")
    pinned(wb._fonts[style.fontId].b and wb._fonts[style.fontId].sz == 14,
           "StyleArray.fontId no longer indexes Workbook._fonts")
    quoted = copy(style)
    quoted.quotePrefix = True
    pinned(quoted != style and quoted.fontId == style.fontId, "StyleArray.quotePrefix is no longer a field")
    scratch = Cell(ws, style_array=copy(StyleArray()))
    scratch.value = date(2024, 4, 1)
    pinned(scratch.number_format == "yyyy-mm-dd" and scratch._style.numFmtId != 0,
           "a date put into an unformatted Cell no longer gets a date format in its `_style`")
    pinned(bool(ILLEGAL_CHARACTERS_RE.search("a\x07b")) and not ILLEGAL_CHARACTERS_RE.search("a\tb\n"),
           "openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE matches other characters")


def test_a_named_style_keeps_the_cells_number_format_when_put_back():
    """rows._flag: a named style's colours, the column's number format and alignment kept."""
    wb = Workbook()
    wb.add_named_style(NamedStyle("recon_test", font=Font(b=True)))
    cell = wb.active.cell(1, 1)
    cell.number_format = "#,##0"
    number_format = cell.number_format
    cell.style = "recon_test"
    cell.number_format = number_format
    pinned(cell.style == "recon_test" and cell.number_format == "#,##0" and cell.font.b,
           "a cell's `style` (a named style) and `number_format` no longer combine")


def test_the_worksheet_keeps_its_cells_and_parts_in_private_attributes():
    wb = Workbook()
    ws = wb.active
    ws.cell(3, 2).value = 1
    pinned(list(ws._cells) == [(3, 2)], "Worksheet._cells is no longer a dict keyed by (row, column)")
    for name, kind in (("_charts", list), ("_images", list), ("_hyperlinks", list), ("_comments", list)):
        pinned(isinstance(getattr(ws, name, None), kind), f"Worksheet.{name} is no longer a {kind.__name__}")
    pinned(hasattr(ws, "_tables") and hasattr(ws, "legacy_drawing") and hasattr(ws, "_drawing")
           and hasattr(ws, "_rels"), "Worksheet._tables, legacy_drawing, _drawing or _rels is gone")
    pinned(ws.path.startswith("/xl/worksheets/"), "Worksheet.path no longer names its part from the root")
    pinned(hasattr(ws.column_dimensions, "max_outline") and hasattr(ws.sheet_format, "outlineLevelCol"),
           "the columns' max_outline or the sheet format's outlineLevelCol is gone")


def test_the_worksheet_writer_writes_the_rows_between_the_dimension_and_the_tail():
    """rows.SheetWriter overrides `write_dimensions` and `write_rows`, sends its own elements through
    `xf` and writes its rows to `out` after flushing the element writer."""
    wb = Workbook()
    ws = wb.active
    ws.cell(1, 1).value = "header"
    ws.row_dimensions[4].height = 30
    calls = []

    class Recording(WorksheetWriter):
        def write_dimensions(self):
            calls.append("dimensions")
            self.xf.send(SheetDimension("A1:C9").to_tree())

        def write_rows(self):
            calls.append("rows")
            pinned(self.ws is ws and hasattr(self.out, "write") and isinstance(self._rels, RelationshipList),
                   "WorksheetWriter no longer keeps `ws`, `out` and `_rels`")
            pinned(self.rows() == [(1, [ws.cell(1, 1)]), (4, [])],
                   "WorksheetWriter.rows() no longer gives (row, cells) in order, a row with a height and no "
                   "cell included")
            xf = self.xf.send(True)
            with xf.element("sheetData"):
                for number, cells in self.rows():
                    if number == 1:
                        self.write_row(xf, cells, number)
                xf.flush()
                self.out.write(b'<row r="2"><c r="A2" t="n"><v>7</v></c></row>')
            self.xf.send(None)

    root = etree.fromstring(_sheet_xml(ws, Recording))
    pinned(calls == ["dimensions", "rows"], "WorksheetWriter.write() no longer calls write_dimensions, then write_rows")
    pinned(root.find(f"{MAIN}dimension").get("ref") == "A1:C9", "an element sent through `xf` is not written")
    rows = root.find(f"{MAIN}sheetData").findall(f"{MAIN}row")
    pinned([r.get("r") for r in rows] == ["1", "2"] and rows[1].find(f"{MAIN}c/{MAIN}v").text == "7",
           "what is written to `out` after `xf.flush()` no longer lands where the element writer stood")


def test_a_cell_is_written_as_the_data_rows_write_theirs():
    """The bytes rows.py writes for a cell, the way openpyxl writes the same cell: style number in
    order of first use, t="n" with the number as safe_string gives it, text as an inline string."""
    wb = Workbook()
    ws = wb.active
    bold = wb.active.cell(1, 1)
    bold.font = Font(b=True)
    style = bold._style
    bold.value = 1234567.125
    ws.cell(1, 2).value = "拠点 & <1>"
    ws.cell(1, 3)._style = copy(style)
    ws.cell(1, 4).value = date(2024, 4, 1)
    number = wb._cell_styles.add(style)
    xml = _sheet_xml(ws).decode("utf-8")
    expected = (f'<c r="A1" s="{number}" t="n"><v>{safe_string(1234567.125)}</v></c>',
                '<c r="B1" t="inlineStr"><is><t>',
                f'<c r="C1" s="{number}" t="n"></c>')
    for part in expected:
        pinned(part in xml, f"openpyxl writes a cell otherwise than {part!r} (its sheet: {xml[:600]!r})")
    pinned(f"<v>{safe_string(to_excel(date(2024, 4, 1), wb.epoch))}</v>" in xml,
           "a date is no longer written as its day number from openpyxl.utils.datetime.to_excel")


def test_a_row_dimension_gives_the_attributes_of_its_rows_start_tag():
    wb = Workbook()
    ws = wb.active
    attributes = dict(RowDimension(ws, ht=27.75))
    pinned(attributes == {"ht": "27.75", "customHeight": "1"},
           f"iterating a RowDimension gives {attributes}, no longer its row's attributes")
    ws.row_dimensions[2].height = 27.75
    pinned('<row r="2" ht="27.75" customHeight="1"' in _sheet_xml(ws).decode("utf-8"),
           "a row with a height no longer starts as the RowDimension's attributes say")


def test_the_workbook_writer_writes_each_worksheet_through_write_worksheet():
    """rows.BookWriter overrides `write_worksheet`, writes into `_archive` and appends to `manifest`."""
    wb = Workbook()
    wb.active.cell(1, 1).value = 1
    wb.create_sheet("second")
    written = []

    class Recording(ExcelWriter):
        def write_worksheet(self, ws):
            pinned(self._archive is archive, "ExcelWriter no longer keeps its zip file as `_archive`")
            written.append(ws.title)
            ws._drawing = SpreadsheetDrawing()
            ws._drawing.charts, ws._drawing.images = ws._charts, ws._images
            with self._archive.open(ws.path[1:], "w") as out:
                writer = WorksheetWriter(ws, out)
                writer.write()
            ws._rels = writer._rels
            self.manifest.append(ws)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        Recording(wb, archive).save()
    pinned(written == ["Sheet", "second"],
           "ExcelWriter.save() no longer writes each sheet by write_worksheet, in order")
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    pinned(book.sheetnames == ["Sheet", "second"] and book["Sheet"]["A1"].value == 1,
           "a workbook whose sheets are written this way no longer opens")


def test_the_row_writer_uses_no_other_private_name_of_openpyxl():
    """A new private name in rows.py is pinned here too: this list is what it imports."""
    import ast
    from pathlib import Path

    source = Path(__file__).parent.parent / "recon" / "outputs" / "workbook" / "rows.py"
    private = sorted({node.module for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
                      if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("openpyxl")
                      and any(part.startswith("_") for part in node.module.split("."))})
    assert private == ["openpyxl.worksheet._writer"]
