"""A sheet's data rows, written into the sheet's XML as the workbook is saved, not held as cells.

A year of 400 contracts has about 620,000 data cells. As openpyxl `Cell`s each one costs some
10 µs to make, style and write, and all of them stay in memory until the save. Here a sheet's
data rows stay a recipe instead: a function that makes them from the report. It runs once,
as the sheet is filled: each row's cell values are worked out and measured (column widths and row
heights, which the sheet's XML states before its rows), and kept as a plain list until the sheet
is saved, each row then going straight into the zip entry. A cell is written as openpyxl writes
one (the style id it would give it, numbers as `<v>` in "%.16g", text as an inline string), but
in UTF-8 where openpyxl writes every other character as a reference. Most rows are filled into a
template made for their look and the types of their values; the first row of each, and any row
a template cannot hold, are written cell by cell (tests/test_workbook_rows.py holds the two
ways to the same bytes). Everything else on a sheet (the header, the notes, the chart and its
figures) stays openpyxl's; `SheetWriter` merges the two in row order.

What it buys (benchmarks/own_code.py, whole builds paired against openpyxl's own cells, docs/speed.md):
2% of a one-contract build, 27% at 10 contracts and 61% at 400, where the peak memory is 135 MB
against 254. It writes through openpyxl's private writer (`WorksheetWriter`, the cell and style
tables): tests/test_openpyxl_internals.py pins each private name it uses and fails by name on a
release that changes one.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from copy import copy
from datetime import date
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from typing import Protocol

from msgspec import Struct, field
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.dimensions import RowDimension, SheetDimension
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from recon.durations import TENTHS_PER_DAY
from recon.model import Duration
from recon.outputs.workbook.internals import book_of, set_style, style_of
from recon.values import format_duration

FORMULA_START = ("=", "+", "-", "@")  # text Excel would take for a formula when re-entered
# What a worksheet cannot hold: control characters (openpyxl refuses them) and what XML cannot
# carry at all (lxml refuses it); each becomes U+FFFD.
UNWRITABLE = re.compile(ILLEGAL_CHARACTERS_RE.pattern + "|[\ud800-\udfff\ufffe\uffff]")
MAX_TEXT = 32_767  # characters of a cell; openpyxl cuts longer text there
NUMBERS = (int, float, Decimal)  # written as <v>; not bool, which would be t="b"
# The columns of sentences (a month's messages, a check's name, a row's note, a finding, and the
# accountant's explanations): where such a column wraps, its text is broken into lines where a reader
# breaks them (wrap.py); an explanation is read back as typed (the state sheet keeps it so). Any
# other text (a call type's label from an input) is written as it is.
BROKEN_KEYS = frozenset(("messages", "check", "note", "rule", "explanation"))
CHUNK_ROWS = 500  # rows encoded and written to the zip entry at a time
# zlib's fastest level: at 400 contracts the workbook's 38 MB of XML deflate in a third of the
# time the default level (6) takes, to 5.5 MB instead of 4.0 MB.
DEFLATE_LEVEL = 1


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


class _Look(Struct):
    """A column's style in rows of one prototype and flag, and what measuring needs of it."""

    style: StyleArray
    wraps: bool
    factor: float  # how wide its digits are, in digits of the Normal font
    variants: dict = field(default_factory=dict)  # "quoted" / "dated" → the style that value needs
    texts: dict = field(default_factory=dict)  # a text → its cell's XML after the reference


class _RowLook(Struct):
    """The looks of a row's columns (rows of one prototype and flags share it), and the row
    templates made for it, by the types of the row's cell values."""

    columns: list[_Look]
    wrapping: tuple[int, ...]  # the columns whose text wraps
    templates: dict = field(default_factory=dict)  # types of the cell values → _Template, or None
    # What `DataRows.measure` notes of the rows of this look: the types of those written the general
    # way (the first of each), the columns where a plain text has stood, and those where only texts
    # with the quote prefix have stood so far.
    seen: set = field(default_factory=set)
    seen_plain: set = field(default_factory=set)
    quoted_only: set = field(default_factory=set)


class _Template(Struct):
    """A row as XML with holes for its values, to fill with `%`: first the row's start tag, then
    the value of each column that has one, in order. A text's hole takes its cell's XML after the
    reference (`texts`: column index and look), a date's its day number (`dates`); numbers are
    formatted as "%.16g", as openpyxl's `safe_string` formats them (but for one that is not
    finite, which it writes empty). The row number stands as ROW_NUMBER in every reference."""

    text: str
    values: Callable[[list], tuple]  # a row's values (its start tag appended) → the holes' values
    texts: tuple[tuple[int, _Look], ...]
    dates: tuple[int, ...]
    inexact: bool  # has a float or Decimal hole, which may be nan or inf


ROW_NUMBER = "\x00"  # in a template; no cell text holds it (`cell_value`)
_START = f'<row r="{ROW_NUMBER}">'  # a row's start tag, when it has no height of its own
TEMPLATE_TYPES = (type(None), str, int, float, Decimal, date)  # what a row template holds; else the general path
_AS_IS = frozenset((type(None), int, float, Decimal))  # cell values the cell holds as they are


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
        self.book = book_of(ws)
        self.first, self.last = first, first - 1
        self.line_height = line_height
        self.letters = [get_column_letter(column) for column in range(1, len(keys) + 1)]
        self.widest: list[dict[float, float]] = [{} for _ in keys]  # per column: font factor → widest shown width
        # the Normal font: Excel's unit of column width (the workbook's fonts: openpyxl's private list)
        self.normal = self.book._fonts[0].sz or 10  # type: ignore[attr-defined]
        self._looks: dict[tuple, _RowLook] = {}
        self._ids: dict[int, str] = {}  # id of a style array → the cell's s="…" attribute
        self._texts: dict[str, str] = {}  # a report's text → the text its cell holds
        self._quoted_texts: set[str] = set()  # the cells' texts that need the quote prefix
        self.used: dict[int, StyleArray] = {}  # id → every style the cells are written in, in order of first use
        self._lines: list[dict] = [{} for _ in keys]  # per column: a wrapped text → its lines
        self._room: dict[int, float] = {}  # a wrapping column → its width as the rows are measured
        # a wrapping column of recon's own text → its texts, each broken into lines (`_broken`)
        self._breaks: dict[int, dict[str, str]] = {index: {} for index, key in enumerate(keys) if key in BROKEN_KEYS}
        # row → the height `measure` gave a row the template gave none. Kept here, not as one of
        # openpyxl's row dimensions (13,000 objects at 400 contracts), and written as one would be.
        self.heights: dict[int, float] = {}
        self._height_attributes: dict[float, str] = {}
        self._made: list[tuple[_RowLook, tuple]] = []  # per row: its columns' looks, its cell values

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    def holds(self, row: int) -> bool:
        return self.first <= row <= self.last

    # --- measuring ----------------------------------------------------------------------------

    def measure(self) -> None:
        """Make the rows, once: keep each row's looks and cell values for `xml`, give a row whose
        wrapped text needs more lines its height, note the widest value of each column that does
        not wrap, and note the styles the rows' cells are written in (`used`)."""
        dims = self.ws.row_dimensions
        made = self._made = []
        self.used = {}
        self._ids = {}  # styles are known by their id(): none noted before (another process's) may stay
        number = self.first - 1
        keys, convert, line_height, texts = self.keys, self._cell_value, self.line_height, self._texts
        quoted_texts = self._quoted_texts
        for number, row in enumerate(self.rows(), self.first):
            look = self._looks_of(row)
            cells = tuple([value if type(value) in _AS_IS else texts.get(value) or convert(value)
                           for value in map(row.values.get, keys)])
            if look.wrapping:
                cells = self._broken(look, cells)
            made.append((look, cells))
            types = tuple(map(type, cells))
            if types not in look.seen:
                self._note_general(look, cells, types)
            elif look.quoted_only or (quoted_texts and not quoted_texts.isdisjoint(cells)):
                self._note_texts(look, cells)
            lines = self._lines_of(look, cells) if look.wrapping else 1
            if number in dims:  # a row the template gave a height
                dims[number].height = lines * line_height if lines > 1 else None
            elif lines > 1:
                self.heights[number] = lines * line_height
        self.last = number
        self._note_widths()

    def _note_general(self, look: _RowLook, cells: tuple, types: tuple) -> None:
        """The styles of a row `xml` writes the general way: the first of its look and types, and
        every row whose types no template holds (a date and time, say)."""
        if all(kind in TEMPLATE_TYPES for kind in types):
            look.seen.add(types)
        used = self.used
        for index, (column, value) in enumerate(zip(look.columns, cells, strict=True)):
            if type(value) is str:
                style = self._text_style(look, index, value)
            elif isinstance(value, date):
                style = self._dated(column, value)
            else:
                style = column.style
            used.setdefault(id(style), style)

    def _note_texts(self, look: _RowLook, cells: tuple) -> None:
        """The styles of a row's texts where one may be new: a text that needs the quote prefix,
        or a plain one in a column where only quoted texts stood so far."""
        used = self.used
        for index, value in enumerate(cells):
            if type(value) is str:
                style = self._text_style(look, index, value)
                used.setdefault(id(style), style)

    def _text_style(self, look: _RowLook, index: int, text: str) -> StyleArray:
        """The style a text of the look's column `index` is written in: with the quote prefix
        or plain."""
        if quoted(text):
            if index not in look.seen_plain:
                look.quoted_only.add(index)
            return self._quoted(look.columns[index])
        look.seen_plain.add(index)
        look.quoted_only.discard(index)
        return look.columns[index].style

    def register(self) -> None:
        """Number every style these rows are written in (openpyxl numbers a style when it first
        writes a cell in it), in the order `xml` would first write them: the row heights'
        dimensions, then the cells' styles in the order the rows first use them."""
        self._row_starts()
        for style in self.used.values():
            self._s(style)

    def _cell_value(self, value):
        """`cell_value`, each distinct text worked out once; a text that needs the quote prefix
        is noted (`_note_texts`)."""
        if type(value) is not str:
            value = cell_value(value)
            if type(value) is str and quoted(value):  # a negative duration, as signed text
                self._quoted_texts.add(value)
            return value
        text = self._texts.get(value)
        if text is None:
            text = self._texts[value] = cell_value(value)
            if quoted(text):
                self._quoted_texts.add(text)
        return text

    def _broken(self, look: _RowLook, cells: tuple) -> tuple:
        """The row's cells with recon's own text in a wrapping column broken into the lines it
        shows (wrap.broken), each text of a column broken once, a digit narrower than the column
        so that no viewer wraps a line again (BROKEN_KEYS; any other text as it is)."""
        from recon.outputs.workbook.wrap import broken

        values = list(cells)
        for index in look.wrapping:
            value, known = values[index], self._breaks.get(index)
            if type(value) is not str or known is None:
                continue
            text = known.get(value)
            if text is None:
                text = known[value] = broken(value, int(self._width(index)) - 2)
                if quoted(text):
                    self._quoted_texts.add(text)
            values[index] = text
        return tuple(values)

    def _lines_of(self, look: _RowLook, cells: tuple) -> int:
        """How many lines the row's wrapped text needs (each text of a column measured once)."""
        lines = 1
        for index in look.wrapping:
            value = cells[index]
            if value is not None:
                known = self._lines[index]
                count = known.get(value)
                if count is None:
                    room = self._room.get(index)
                    if room is None:
                        room = self._room[index] = self._width(index)
                    count = known[value] = _lines(value, room)
                lines = max(lines, count)
        return lines

    def _note_widths(self) -> None:
        """The widest shown value of each column that does not wrap, per font factor: a column
        of rows of one look at a time, its numbers by their extremes, its texts each once."""
        columns_of: dict[int, tuple[_RowLook, list[tuple]]] = {}
        for look, cells in self._made:
            columns_of.setdefault(id(look), (look, []))[1].append(cells)
        for look, rows in columns_of.values():
            for index, (column, values) in enumerate(zip(look.columns, zip(*rows, strict=True), strict=True)):
                if column.wraps:
                    continue
                width = _widest_shown([value for value in values if value is not None])
                if width is not None:
                    widest = self.widest[index]
                    widest[column.factor] = max(widest.get(column.factor, width), width)

    def fit_widths(self) -> None:
        """Widen a column where its widest value would not fit the template's width (a long
        contract name, a company's ten-million-yen year), so no viewer shows ###."""
        for index, by_factor in enumerate(self.widest):
            needed = max((width * factor for factor, width in by_factor.items()), default=0)
            if needed > self._width(index):
                self.ws.column_dimensions[self.letters[index]].width = round(needed + 1, 1)

    def _width(self, index: int) -> float:
        return self.ws.column_dimensions[self.letters[index]].width or 0

    def _looks_of(self, row) -> _RowLook:
        """Each column's look in a row of this prototype and these flags."""
        signature = (row.proto, tuple(row.flags.items()))
        look = self._looks.get(signature)
        if look is None:
            columns = [self._look(row.proto, key, row.flags.get(key)) for key in self.keys]
            wrapping = tuple(index for index, column in enumerate(columns) if column.wraps)
            look = self._looks[signature] = _RowLook(columns, wrapping)
        return look

    def _look(self, proto: str, key: str, flag: str | None) -> _Look:
        style = self.styles[proto][key]
        if flag:
            scratch = Cell(self.ws)  # type: ignore[call-arg]  # a cell apart from the sheet: the stubs want its place
            set_style(scratch, copy(style))
            _flag(scratch, flag)
            style = style_of(scratch)
        book = self.book  # its lists of fonts and alignments: openpyxl's private, as a style array indexes them
        font = book._fonts[style.fontId]  # type: ignore[attr-defined]
        factor = (font.sz or self.normal) / self.normal * (1.1 if font.b else 1)
        return _Look(style, bool(book._alignments[style.alignmentId].wrap_text), factor)  # type: ignore[attr-defined]

    # --- writing ------------------------------------------------------------------------------

    def xml(self) -> Iterator[bytes]:
        """The rows `measure` made, as the `<row>` elements openpyxl would write (text in UTF-8),
        a few hundred at a time. A row is made from its look's template for the types of its
        values; the first row of a look and types, and any row a template cannot write, the
        general way (`_row_xml`), which also gives each style its id in the order openpyxl would."""
        chunk = []
        starts = self._row_starts()
        for number, (look, cells) in enumerate(self._made, self.first):
            text = None
            types = tuple(map(type, cells))
            template = look.templates.get(types, False)
            if template:
                text = self._filled(template, number, cells, starts.get(number, _START))
            if text is None:
                text = self._row_xml(number, look.columns, cells)
                if template is False:
                    look.templates[types] = self._template(look.columns, types)
            chunk.append(text)
            if len(chunk) == CHUNK_ROWS:
                yield "".join(chunk).encode("utf-8")
                chunk = []
        if chunk:
            yield "".join(chunk).encode("utf-8")

    def _filled(self, template: _Template, number: int, cells: tuple, start: str) -> str | None:
        """A row's XML from its template after its `start` tag, or None when a number is not
        finite (openpyxl writes it empty)."""
        values = list(cells)
        for index, look in template.texts:
            text = values[index]
            values[index] = look.texts.get(text) or self._text(look, text)
        for index in template.dates:
            values[index] = to_excel(values[index], self.book.epoch)
        values.append(start)
        xml = template.text % template.values(values)
        if template.inexact and ("n</v>" in xml or "f</v>" in xml):  # nan, inf
            return None
        return xml.replace(ROW_NUMBER, str(number))

    def _template(self, looks: list[_Look], types: tuple[type, ...]) -> _Template | None:
        """The template of rows of these looks whose values have these types, or None when a
        type needs the general path (a bool, a datetime). Made once a row of them was written
        the general way, so that every style it names already has its id."""
        if not all(kind in TEMPLATE_TYPES for kind in types):
            return None
        parts, holes, texts, dates = ["%s"], [len(looks)], [], []  # the row's start tag first
        for index, (letter, look, kind) in enumerate(zip(self.letters, looks, types, strict=True)):
            cell = f'<c r="{letter}{ROW_NUMBER}"'
            if kind is type(None):
                if any(look.style):
                    parts.append(f'{cell}{self._s(look.style)} t="n"></c>')
                continue
            holes.append(index)
            if kind is str:
                parts.append(cell + "%s")
                texts.append((index, look))
                continue
            style = look.style
            if kind is date:
                dates.append(index)
                style = look.variants["dated"]  # made as the row before was written
            parts.append(f'{cell}{self._s(style)} t="n"><v>%.16g</v></c>')
        parts.append("</row>")
        pick = itemgetter(*holes)
        values = pick if len(holes) > 1 else lambda row: (pick(row),)
        return _Template("".join(parts), values, tuple(texts), tuple(dates), float in types or Decimal in types)

    def _row_start(self, number: int, reference: str | None = None) -> str:
        """A row's start tag, with the height the row has, if any."""
        height = self.heights.get(number)
        if height is not None:
            attributes = self._height_attributes.get(height)
            if attributes is None:
                attributes = self._height_attributes[height] = _attributes(RowDimension(self.ws, ht=height))
        else:
            dimension = self.ws.row_dimensions.get(number)
            attributes = _attributes(dimension) if dimension is not None else ""
        return f'<row r="{reference or number}"{attributes}>'

    def _row_starts(self) -> dict[int, str]:
        """The start tag of each row with a height, ROW_NUMBER for its number."""
        numbers = [number for number in self.ws.row_dimensions if self.holds(number)] + list(self.heights)
        return {number: self._row_start(number, ROW_NUMBER) for number in numbers}

    def _row_xml(self, number: int, looks: list[_Look], cells: tuple) -> str:
        """A row: a cell for each column that has a value or a style."""
        out = [self._row_start(number)]
        suffix = str(number)
        for letter, look, value in zip(self.letters, looks, cells, strict=True):
            if value is not None:
                out.append(self._cell(letter + suffix, look, value))
            elif any(look.style):
                out.append(f'<c r="{letter}{suffix}"{self._s(look.style)} t="n"></c>')
        out.append("</row>")
        return "".join(out)

    def _cell(self, reference: str, look: _Look, value) -> str:
        if type(value) is str:
            return f'<c r="{reference}"{self._text(look, value)}'
        if type(value) in NUMBERS:
            return f'<c r="{reference}"{self._s(look.style)} t="n"><v>{safe_string(value)}</v></c>'
        if isinstance(value, date):  # a sign-off's date, as a day number in a date format
            day = safe_string(to_excel(value, self.book.epoch))
            return f'<c r="{reference}"{self._s(self._dated(look, value))} t="n"><v>{day}</v></c>'
        raise TypeError(f"a cell cannot hold {value!r}")

    def _text(self, look: _Look, value: str) -> str:
        """A text cell's XML after its reference: its style, an inline string, the cell's end."""
        xml = look.texts.get(value)
        if xml is None:
            s = self._s(self._quoted(look) if quoted(value) else look.style)
            if not value:
                xml = f'{s} t="inlineStr"></c>'
            else:
                space = ' xml:space="preserve"' if value != value.strip() else ""
                xml = f'{s} t="inlineStr"><is><t{space}>{_escaped(value)}</t></is></c>'
            look.texts[value] = xml
        return xml

    def _s(self, style: StyleArray) -> str:
        """A cell's s="…": the id openpyxl gives a style when it first writes a cell in it (so the
        order of first use is kept), none for the default style."""
        attribute = self._ids.get(id(style))
        if attribute is None:
            styled = any(style)
            # the workbook's list of cell styles, openpyxl's private, numbers them as it writes its own cells
            number = self.book._cell_styles.add(style) if styled else None  # type: ignore[attr-defined]
            attribute = self._ids[id(style)] = f' s="{number}"' if styled else ""
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
            scratch = Cell(self.ws, style_array=copy(look.style))  # type: ignore[call-arg]  # as in _look
            scratch.value = value
            style = look.variants["dated"] = look.style if style_of(scratch) == look.style else style_of(scratch)
        return style


def _attributes(dimension: RowDimension) -> str:
    """A row dimension as the attributes openpyxl writes in its row's start tag."""
    return "".join(f' {name}="{text}"' for name, text in dimension)


def _escaped(text: str) -> str:
    """Text as lxml writes it in an element: &, <, > as entities, a carriage return as a reference
    (a raw one would read back as a line feed). What XML cannot hold is gone already (`cell_value`)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


# --- measuring ----------------------------------------------------------------------------------

def _widest_shown(values: list) -> float | None:
    """The widest any of `values` shows (None for none). Numbers of one type show widest at an
    extreme (their width grows with their magnitude, a negative one's sign with it), so only the
    extremes are measured; each distinct text once."""
    if not values:
        return None
    kinds = set(map(type, values))
    kind = kinds.pop() if len(kinds) == 1 else None
    if kind is str:
        return max(map(_display_width, set(values)))
    if kind in NUMBERS:
        return max(_shown_width(min(values)), _shown_width(max(values)))
    return max(_shown_width(value) for _, value in set(zip(map(type, values), values, strict=True)))  # 1 and 1.0 apart


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
    if value.isascii() and "\n" not in value:  # a file's place, a month: one line of narrow characters
        return max(1, -(-(len(value) * 9 // 10) // room))
    return sum(max(1, -(-_display_width(line) // room)) for line in value.split("\n"))


class _CharWidths(dict):
    """A character → its width in tenths of a digit, each character looked up once."""

    def __missing__(self, char: str) -> int:
        width = self[char] = 18 if unicodedata.east_asian_width(char) in "WF" else 9
        return width


_CHAR_WIDTHS = _CharWidths()


@lru_cache(maxsize=4096)  # most texts of a column repeat: months, contracts, words
def _display_width(text: str) -> int:
    """Width in digits: a wide (Japanese) character is about 1.8 digits of 游ゴシック, a letter
    or a space about 0.9 (the digits are the widest of the narrow characters)."""
    if text.isascii():  # no ASCII character is wide
        return len(text) * 9 // 10
    return sum(map(_CHAR_WIDTHS.__getitem__, text)) // 10


# --- saving -------------------------------------------------------------------------------------

class Out(Protocol):
    """Where a sheet's XML goes: a zip entry, or a file that deflates or keeps nothing."""

    def write(self, data: bytes, /) -> object: ...


class SheetWriter(WorksheetWriter):
    """openpyxl's writer of a worksheet, into `out` as it goes, with the sheet's data rows in
    their place among the rows openpyxl holds (the header above them; notes and the chart's
    figures below). The data rows' styles are numbered before the first is written."""

    ws: Worksheet  # never a write-only one

    def __init__(self, ws: Worksheet, out: Out, data: DataRows | None):
        self.data = data
        self.sink = out
        # lxml's writer writes to anything with write(); the stubs want a close() it never calls
        super().__init__(ws, out)  # type: ignore[arg-type]

    def write_dimensions(self):
        """The used range, the data rows' cells included."""
        if self.data is None or not self.data.count:
            return super().write_dimensions()
        rows = [self.data.first, self.data.last, *(row for row, _ in self.ws._cells)]
        columns = [1, len(self.data.keys), *(column for _, column in self.ws._cells)]
        used = f"{get_column_letter(min(columns))}{min(rows)}:{get_column_letter(max(columns))}{max(rows)}"
        self.xf.send(SheetDimension(used).to_tree())

    def write_rows(self):
        data = self.data
        if data is None:
            return super().write_rows()
        xf = self.xf.send(True)
        if xf is None:
            raise ValueError(f"{self.ws.title}: openpyxl's writer gave no XML stream")
        with xf.element("sheetData"):
            pending = True
            for number, cells in self.rows():
                if pending and number >= data.first:
                    self._write_data(xf, data)
                    pending = False
                if data.holds(number):  # a row openpyxl knows only by its height
                    if cells:
                        raise ValueError(f"{self.ws.title}: a cell of row {number} is among the data rows")
                    continue
                self.write_row(xf, cells, number)
            if pending:
                self._write_data(xf, data)
        self.xf.send(None)

    def _write_data(self, xf, data: DataRows) -> None:
        # What lxml's writer holds goes out first, then the rows into the same file. openpyxl
        # writes with lxml whenever it is installed, and recon requires it.
        data.register()
        xf.flush()
        for chunk in data.xml():
            self.sink.write(chunk)


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
        archive = self._archive  # type: ignore[attr-defined]  # the zip openpyxl's writer writes into, its own
        with archive.open(ws.path[1:], "w") as out:
            writer = SheetWriter(ws, out, self.data.get(ws))
            writer.write()
        ws._rels = writer._rels  # type: ignore[attr-defined]  # the relationships the writer met, its own
        self.manifest.append(ws)
