"""A sheet's data rows, written into the sheet's XML as the workbook is saved, not held as cells.

A year of 400 contracts has about 580,000 data cells. As openpyxl `Cell`s each one costs some
10 µs to make, style and write, and all of them stay in memory until the save. Here a sheet's
data rows stay a recipe instead: a function that makes them from the report. It runs once,
as the sheet is filled: each row's cell values are worked out and measured (column widths and row
heights, which the sheet's XML states before its rows), and kept as a plain list until the sheet
is saved, each row then going straight into the zip entry. A cell is written exactly as openpyxl writes one (the style id it would give it,
numbers as `<v>`, text as an inline string in ASCII with character references), so the workbook
is the same, byte for byte, as if the rows had been cells. Everything else on a sheet (the
header, the notes, the chart and its figures) stays openpyxl's; `SheetWriter` merges the two in
row order.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from copy import copy
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from recon.model import Duration
from recon.values import format_duration

TENTHS_PER_DAY = 864_000
FORMULA_START = ("=", "+", "-", "@")  # text Excel would take for a formula when re-entered
# What a worksheet cannot hold: control characters (openpyxl refuses them) and what XML cannot
# carry at all (lxml refuses it); each becomes U+FFFD.
UNWRITABLE = re.compile(ILLEGAL_CHARACTERS_RE.pattern + "|[\ud800-\udfff\ufffe\uffff]")
MAX_TEXT = 32_767  # characters of a cell; openpyxl cuts longer text there
NUMBERS = (int, float, Decimal)  # written as <v>; not bool, which would be t="b"
CHUNK_ROWS = 500  # rows encoded and written to the zip entry at a time


def cell_value(value):
    """A report value as its cell holds it: text without what a worksheet cannot hold, a
    duration as Excel's day number (a negative one as signed text: no viewer shows a negative
    time), anything else as it is."""
    if isinstance(value, str):
        return UNWRITABLE.sub("\ufffd", value)[:MAX_TEXT]
    if isinstance(value, Duration):
        # the only float: Excel's day number, at the edge
        return format_duration(value.tenths) if value.tenths < 0 else value.tenths / TENTHS_PER_DAY
    return value


def quoted(text: str) -> bool:
    """Does a text need Excel's quote prefix to stay text when the cell is edited?"""
    return text.startswith(FORMULA_START)


@dataclass
class _Look:
    """A column's style in rows of one prototype and flag, and what measuring needs of it."""

    style: StyleArray
    wraps: bool
    factor: float  # how wide its digits are, in digits of the Normal font
    variants: dict = field(default_factory=dict)  # "quoted" / "dated" → the style that value needs


class DataRows:
    """One sheet's data rows, from row `first` down: each cell styled from its column's prototype
    (a flagged cell in the named style, worked out once per column and flag). `measure` makes
    the rows, once, for heights and widths, and keeps each row's looks and cell values; `xml`
    writes those as the sheet is saved. A row is anything with `values` and named-style `flags` by
    column key and `proto`, the role of the template row it takes its look from ("data", "total",
    a unit of the checks sheet); `styles` holds each role's column styles."""

    def __init__(self, ws: Worksheet, keys: list[str], styles: dict[str, dict[str, StyleArray]],
                 rows: Callable[[], Iterable], first: int, line_height: float):
        self.ws, self.keys, self.styles, self.rows = ws, keys, styles, rows
        self.first, self.last = first, first - 1
        self.line_height = line_height
        self.letters = [get_column_letter(column) for column in range(1, len(keys) + 1)]
        self.widest: list[dict[float, object]] = [{} for _ in keys]  # per column: font factor → widest value
        self.normal = ws.parent._fonts[0].sz or 10  # the Normal font: Excel's unit of column width
        self._looks: dict[tuple, list[_Look]] = {}
        self._ids: dict[int, str] = {}  # id of a style array → the cell's s="…" attribute
        self._made: list[tuple[list[_Look], tuple]] = []  # per row: its columns' looks, its cell values

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    def holds(self, row: int) -> bool:
        return self.first <= row <= self.last

    # --- measuring ----------------------------------------------------------------------------

    def measure(self) -> None:
        """Make the rows, once: keep each row's looks and cell values for `xml`, give a row whose
        wrapped text needs more lines its height, and note the widest value of each column that
        does not wrap."""
        dims = self.ws.row_dimensions
        made = self._made = []
        number = self.first - 1
        keys = self.keys
        for number, row in enumerate(self.rows(), self.first):
            looks = self._looks_of(row)
            values = row.values
            cells = tuple(None if (value := values.get(key)) is None else cell_value(value) for key in keys)
            made.append((looks, cells))
            lines = 1
            for index, (look, value) in enumerate(zip(looks, cells)):
                if value is None:
                    continue
                widest = self.widest[index]
                if look.wraps:
                    lines = max(lines, _lines(value, self._width(index)))
                elif look.factor not in widest or _wider(value, widest[look.factor]):
                    widest[look.factor] = value
            if lines > 1 or number in dims:  # in dims: a row the template gave a height
                dims[number].height = lines * self.line_height if lines > 1 else None
        self.last = number

    def fit_widths(self) -> None:
        """Widen a column where its widest value would not fit the template's width (a long
        contract name, a company's ten-million-yen year), so no viewer shows ###."""
        for index, by_factor in enumerate(self.widest):
            needed = max((_shown_width(value) * factor for factor, value in by_factor.items()), default=0)
            if needed > self._width(index):
                self.ws.column_dimensions[self.letters[index]].width = round(needed + 1, 1)

    def _width(self, index: int) -> float:
        return self.ws.column_dimensions[self.letters[index]].width or 0

    def _looks_of(self, row) -> list[_Look]:
        """Each column's look in a row of this prototype and these flags."""
        signature = (row.proto, tuple(row.flags.items()))
        looks = self._looks.get(signature)
        if looks is None:
            looks = self._looks[signature] = [self._look(row.proto, key, row.flags.get(key)) for key in self.keys]
        return looks

    def _look(self, proto: str, key: str, flag: str | None) -> _Look:
        style = self.styles[proto][key]
        if flag:
            scratch = Cell(self.ws)
            scratch._style = copy(style)
            _flag(scratch, flag)
            style = scratch._style
        book = self.ws.parent
        font = book._fonts[style.fontId]
        factor = (font.sz or self.normal) / self.normal * (1.1 if font.b else 1)
        return _Look(style, bool(book._alignments[style.alignmentId].wrap_text), factor)

    # --- writing ------------------------------------------------------------------------------

    def xml(self) -> Iterator[bytes]:
        """The rows `measure` made, as the `<row>` elements openpyxl would write, a few hundred at a time."""
        chunk = []
        for number, (looks, cells) in enumerate(self._made, self.first):
            chunk.append(self._row_xml(number, looks, cells))
            if len(chunk) == CHUNK_ROWS:
                yield "".join(chunk).encode("ascii", "xmlcharrefreplace")
                chunk = []
        if chunk:
            yield "".join(chunk).encode("ascii", "xmlcharrefreplace")

    def _row_xml(self, number: int, looks: list[_Look], cells: tuple) -> str:
        """A row: a cell for each column that has a value or a style."""
        dimension = self.ws.row_dimensions.get(number)
        attributes = "".join(f' {name}="{text}"' for name, text in dimension) if dimension is not None else ""
        out = [f'<row r="{number}"{attributes}>']
        suffix = str(number)
        for letter, look, value in zip(self.letters, looks, cells):
            if value is not None:
                out.append(self._cell(letter + suffix, look, value))
            elif any(look.style):
                out.append(f'<c r="{letter}{suffix}"{self._s(look.style)} t="n"></c>')
        out.append("</row>")
        return "".join(out)

    def _cell(self, reference: str, look: _Look, value) -> str:
        if type(value) is str:
            s = self._s(self._quoted(look) if quoted(value) else look.style)
            if not value:
                return f'<c r="{reference}"{s} t="inlineStr"></c>'
            space = ' xml:space="preserve"' if value != value.strip() else ""
            return f'<c r="{reference}"{s} t="inlineStr"><is><t{space}>{_escaped(value)}</t></is></c>'
        if type(value) in NUMBERS:
            return f'<c r="{reference}"{self._s(look.style)} t="n"><v>{safe_string(value)}</v></c>'
        if isinstance(value, date):  # a sign-off's date, as a day number in a date format
            day = safe_string(to_excel(value, self.ws.parent.epoch))
            return f'<c r="{reference}"{self._s(self._dated(look, value))} t="n"><v>{day}</v></c>'
        raise TypeError(f"a cell cannot hold {value!r}")

    def _s(self, style: StyleArray) -> str:
        """A cell's s="…": the id openpyxl gives a style when it first writes a cell in it (so the
        order of first use is kept), none for the default style."""
        attribute = self._ids.get(id(style))
        if attribute is None:
            styled = any(style)
            attribute = self._ids[id(style)] = f' s="{self.ws.parent._cell_styles.add(style)}"' if styled else ""
        return attribute

    @staticmethod
    def _quoted(look: _Look) -> StyleArray:
        """The look's style with the quote prefix, which keeps a formula-like text a text."""
        style = look.variants.get("quoted")
        if style is None:
            style = look.variants["quoted"] = copy(look.style)
            style.quotePrefix = True
        return style

    def _dated(self, look: _Look, value: date) -> StyleArray:
        """The look's style, or a date format in it if it has none (as openpyxl gives a date)."""
        style = look.variants.get("dated")
        if style is None:
            scratch = Cell(self.ws, style_array=copy(look.style))
            scratch.value = value
            style = look.variants["dated"] = look.style if scratch._style == look.style else scratch._style
        return style


def _escaped(text: str) -> str:
    """Text as lxml writes it in an element (before the ASCII encoding makes the rest references)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


# --- measuring ----------------------------------------------------------------------------------

def _wider(value, than) -> bool:
    """Would `value` show wider than `than`? Cheap for numbers (most cells): compare magnitudes."""
    kind = type(value)
    if kind is type(than) and (kind in NUMBERS or issubclass(kind, NUMBERS)):
        return abs(value) > abs(than)
    return _shown_width(value) > _shown_width(than)


def _flag(cell, style_name: str) -> None:
    """Colour a cell with a named style, keeping its column's number format and alignment."""
    number_format, alignment = cell.number_format, copy(cell.alignment)
    cell.style = style_name
    cell.number_format, cell.alignment = number_format, alignment


def _shown_width(value) -> float:
    """About how many digits wide a cell's value shows (thousands separators and a sign included)."""
    if isinstance(value, str):
        return _display_width(value)
    if isinstance(value, float):  # a duration, as Excel's day number
        return len(format_duration(round(value * TENTHS_PER_DAY)))
    if isinstance(value, Decimal):
        return len(f"{abs(value):,.2f}") + 1
    if isinstance(value, int):
        return len(f"{abs(value):,}") + 1
    return 0


def _lines(value, width: float | None) -> int:
    """About how many lines a text takes in a column `width` digits wide (erring on more)."""
    if not isinstance(value, str) or not width:
        return 1
    room = max(1, int(width) - 1)
    return sum(max(1, -(-_display_width(line) // room)) for line in value.split("\n"))


@lru_cache(maxsize=4096)  # most texts of a column repeat: months, contracts, words
def _display_width(text: str) -> int:
    """Width in digits: a wide (Japanese) character is about 1.8 digits of 游ゴシック, a letter
    or a space about 0.9 (the digits are the widest of the narrow characters)."""
    if text.isascii():  # no ASCII character is wide
        return len(text) * 9 // 10
    return sum(18 if unicodedata.east_asian_width(char) in "WF" else 9 for char in text) // 10


# --- saving -------------------------------------------------------------------------------------

class SheetWriter(WorksheetWriter):
    """openpyxl's writer of a worksheet, into `out` as it goes, with the sheet's data rows in
    their place among the rows openpyxl holds (the header above them; notes and the chart's
    figures below)."""

    def __init__(self, ws: Worksheet, out, data: DataRows | None):
        self.data = data
        super().__init__(ws, out)

    def write_dimensions(self):
        """The used range, the data rows' cells included."""
        if self.data is None or not self.data.count:
            return super().write_dimensions()
        rows = [self.data.first, self.data.last, *(row for row, _ in self.ws._cells)]
        columns = [1, len(self.data.keys), *(column for _, column in self.ws._cells)]
        used = f"{get_column_letter(min(columns))}{min(rows)}:{get_column_letter(max(columns))}{max(rows)}"
        self.xf.send(SheetDimension(used).to_tree())

    def write_rows(self):
        if self.data is None:
            return super().write_rows()
        xf = self.xf.send(True)
        with xf.element("sheetData"):
            pending = True
            for number, cells in self.rows():
                if pending and number >= self.data.first:
                    self._write_data(xf)
                    pending = False
                if self.data.holds(number):  # a row openpyxl knows only by its height
                    if cells:
                        raise ValueError(f"{self.ws.title}: a cell of row {number} is among the data rows")
                    continue
                self.write_row(xf, cells, number)
            if pending:
                self._write_data(xf)
        self.xf.send(None)

    def _write_data(self, xf) -> None:
        # What lxml's writer holds goes out first, then the rows into the same file. openpyxl
        # writes with lxml whenever it is installed, and recon requires it.
        xf.flush()
        for chunk in self.data.xml():
            self.out.write(chunk)


class BookWriter(ExcelWriter):
    """openpyxl's writer of a workbook, each worksheet written straight into its zip entry, with
    its data rows when it has some."""

    def __init__(self, wb, archive, data: Iterable[DataRows]):
        super().__init__(wb, archive)
        self.data = {rows.ws: rows for rows in data}

    def write_worksheet(self, ws):
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        with self._archive.open(ws.path[1:], "w") as out:
            writer = SheetWriter(ws, out, self.data.get(ws))
            writer.write()
        ws._rels = writer._rels
        self.manifest.append(ws)
