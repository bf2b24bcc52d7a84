"""An .xlsx workbook → one Grid per worksheet, read straight from the package's XML.

Only what a Grid needs is read: the sheet list and calendar (`xl/workbook.xml`), where each part is
(the relationships), the shared strings, which cell styles show dates or durations (`xl/styles.xml`)
and each worksheet's `<sheetData>`. Loading the workbook with openpyxl builds its whole model first
(styles, theme, properties) and cost five times as much on a pasted month. Its rules for what a cell
holds are kept: tests/test_xlsx_reader.py compares the two on every sample workbook, and shows the
few places where this reader differs on purpose.

Why not python-calamine, which reads .ods and .xls here: it reads some .xlsx wrongly, each case
shown by a test in tests/test_xlsx_reader.py. It lays a sheet out to its farthest cell reference, so
a file of a few kilobytes with a cell on row 1,500,000,000 makes it allocate 96 GB (Rust aborts the
process, past any except clause) and one with a cell in column XFD on 3,000 rows takes gigabytes; it
reads a formula never calculated (a web site's XlsxWriter or openpyxl download) as 0 or a blank, a
figure nobody stated. Of the 43 sample workbooks benchmarks/xlsx_readers.py compares, it reads 14
otherwise, or fails on them (those, ISO dates, `_x000D_` escapes, error values, dates past 9999 or
durations past its range, rows without numbers, a lying dimension, relative part names). Speed is
not the reason: in place of this reader (benchmarks/own_code.py, whole builds, paired) it made a
one-contract build no slower, one of 10 contracts 5% slower in CPU time and one of 400 contracts 4
to 5% slower.

Excel times become Durations here, at the edge: a day number is rounded to the nearest tenth of a
second, never truncated."""
from __future__ import annotations

import builtins
import datetime as dt
import io
import lzma
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from decimal import Decimal
from itertools import pairwise
from xml.etree.ElementTree import TreeBuilder
from xml.parsers import expat

from defusedxml import DefusedXmlException, DTDForbidden

from recon.errors import ReadError
from recon.model import Cell, Duration, Grid, Uncalculated, Where
from recon.readers.limits import MAX_CELLS, too_many_cells
from recon.values import days_to_tenths

# A pasted month is a few kilobytes. Anything that inflates past these is not a detail table but
# a zip bomb (or a sheet far larger than any month): refused before a byte of it is inflated.
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 200
# What a workbook's sheets are laid out from is what they hold: a row ends at its last cell with a
# value, whatever the <dimension> says, and rows missing between two are one empty row, whatever
# the row numbers say. The cells laid out (the blanks between a row's cells counted) are held to
# readers.MAX_CELLS a file.

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}"  # as expat names it
_R_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_RELATIONSHIP = "http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "/officeDocument"  # how the relationship types used here end
_SHARED_STRINGS = "/sharedStrings"
_STYLES = "/styles"
_ROW, _VALUE, _INLINE = _MAIN + "row", _MAIN + "v", _MAIN + "is"
_TEXT, _RUN, _DIMENSION, _SHEET_DATA = _MAIN + "t", _MAIN + "r", _MAIN + "dimension", _MAIN + "sheetData"
_STRING_ITEM = _MAIN + "si"
_FORMULA, _CALC = _MAIN + "f", _MAIN + "calcPr"

# Under a date or time format, day numbers below this hold durations, not dates: before 1901 in the
# usual 1900 calendar, and the same day numbers in the 1904 one (where openpyxl would make a time of
# 25 hours the date 1904-01-02).
_FIRST_DATE = 367
_EPOCHS = {False: dt.datetime(1899, 12, 30), True: dt.datetime(1904, 1, 1)}

# Number formats Excel builds in without writing them out: the ids that show dates and times, and
# of those the one that shows elapsed hours ([h]:mm:ss).
# The built-in date and time formats, and those of East Asian Excel (ja-JP: 31 yyyy"年"m"月"d"日",
# 32 h"時"mm"分", 33 h"時"mm"分"ss"秒" …), which Excel leaves out of styles.xml because the locale
# implies them; openpyxl knows only the first set and would read a 33-formatted time as a number.
_EAST_ASIAN_DATES = frozenset({*range(27, 37), *range(50, 59)})
_BUILTIN_DATES = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47}) | _EAST_ASIAN_DATES
_BUILTIN_DURATIONS = frozenset({46})

# openpyxl.styles.numbers' tests for a format code (copied: importing openpyxl costs ~140 ms, and
# more than this whole reader spends on a year of files). Only the first section counts; quoted
# text and [...] other than [h], [m], [s] are not date parts.
_NOT_DATE_PARTS = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_PART = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_ELAPSED = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.IGNORECASE)

_REFERENCE = re.compile(r"([A-Za-z]{1,3})([0-9]+)")  # B14
_LAST_CELL = re.compile(r"\$?([A-Za-z]{1,3})?\$?([0-9]+)?")  # of a range: F14, F or 14


def read(data: bytes, rel: str) -> tuple[list[Grid], None]:
    """Every worksheet, every non-empty row, values typed."""
    return read_sheets(data, rel, None), None


def read_sheets(data: bytes, rel: str, names: set[str] | None) -> list[Grid]:
    """The worksheets titled in `names` (every one when None), in the workbook's order."""
    with _opened(data, rel) as archive:
        package = _Package(archive, rel, data)
        book = _Book(package)
        return [_sheet(package, book, title, part) for title, part in book.sheets
                if names is None or title in names]


# read_values' `keep`: (sheet title, its first row) → (the columns wanted, those of them a kept row
# must hold something in), or None for every column.
Keep = Callable[[str, tuple], "tuple[set[int], set[int]] | None"]


def read_values(data: bytes, rel: str, names: set[str], keep: Keep | None = None) -> dict[str, list[tuple]]:
    """The named worksheets as plain rows of values, without locations: for reading back recon's
    own report, where nothing needs a file:cell and a year of 400 contracts is 300,000 cells.

    `keep(title, header) -> (columns, needed) | None`, when given, is asked with each sheet's first
    row which columns (indexes from 0) are wanted: the first row is kept whole, each later row holds
    only those (None in the others, as wide as the last one kept), and is an empty tuple when they
    are all blank or when `needed` (some of those columns) is not empty and they are all blank.
    None keeps every column of every row."""
    with _opened(data, rel) as archive:
        package = _Package(archive, rel, data)
        book = _Book(package)
        values = {}
        for title, part in book.sheets:
            if title in names:
                place = _Place(rel, title)
                rows = _plain_rows(package, book, part, place, keep)
                values[title] = _exact_rows(package, book, part, place, keep) if rows is None else rows
        return values


def _exact_rows(package: _Package, book: _Book, part: str, place: _Place, keep: Keep | None) -> list[tuple]:
    """read_values' rows of one sheet, read row by row by the parser."""
    sheet = _SheetRows(book, place, located=False)
    package.parse(part, sheet.ended)
    rows = sheet.rows
    wanted = None if keep is None or not rows else keep(place.title, rows[0])
    if wanted is None:
        return rows
    columns, needed = wanted
    width = max(columns, default=-1) + 1
    kept: list[tuple] = [rows[0]]
    for row in rows[1:]:
        values = tuple(row[i] if i in columns and i < len(row) else None for i in range(width))
        empty = all(_blank(v) for v in values) or (needed and all(_blank(values[i]) for i in needed))
        kept.append(() if empty else values)
    return kept


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _opened(data: bytes, rel: str) -> zipfile.ZipFile:
    """The workbook's zip archive, once its directory shows no part would inflate too far."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as e:  # "zip file version 11.8"
        raise ReadError(Where(rel), "xlsx", found_as="not_zip", detail=str(e)) from None
    try:
        _check_inflation(archive.infolist(), data, rel)
    except ReadError:
        archive.close()
        raise
    return archive


def _check_inflation(entries: list[zipfile.ZipInfo], data: bytes, rel: str) -> None:
    """Refuse a workbook whose parts would inflate too far, from the zip directory alone."""
    total = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    if total > MAX_UNCOMPRESSED or total > MAX_RATIO * max(packed, 64 * 1024):
        raise ReadError(Where(rel), "inflation", found_as="inflated", total=f"{total:,}", packed=f"{len(data):,}",
                        limit=f"{MAX_UNCOMPRESSED:,}")


class _Package:
    """A workbook's zip archive: its parts read, and parsed with every DTD and entity refused."""

    def __init__(self, archive: zipfile.ZipFile, rel: str, data: bytes):
        self.archive = archive
        self.rel = rel
        self.data = data
        self.names = set(archive.namelist())

    def bytes(self, part: str) -> bytes:
        """A part's inflated bytes, no more than the zip directory declares (the inflation check is
        made on those sizes: a part that inflates further fails its CRC before it fills memory)."""
        try:
            info = self.archive.getinfo(part)
            inflated = _inflated(self.data, info)
            if inflated is not None:
                return inflated
            with self.archive.open(info) as member:
                return member.read(info.file_size)
        except KeyError:
            raise self.damaged(found_as="no_part", part=part) from None
        except zipfile.BadZipFile as e:
            raise ReadError(Where(self.rel), "xlsx", found_as="not_zip", detail=str(e)) from None
        except (zlib.error, lzma.LZMAError, EOFError, NotImplementedError, RuntimeError, OSError, ValueError) as e:
            raise self.damaged(f"{part}: {e}") from None

    def size(self, part: str) -> int:
        """A part's inflated size as the zip directory declares it."""
        try:
            return self.archive.getinfo(part).file_size
        except KeyError:
            raise self.damaged(found_as="no_part", part=part) from None

    def parse(self, part: str, ended=None):
        """A part's root element. `ended(end)`, when given, makes the parser's handler of each
        element's end from the tree builder's `end(tag) -> element`, so a part that grows with the
        data (a sheet, the strings) is read and cleared as it goes."""
        return self._parsed(part, self.bytes(part), ended)

    def derived(self, part: str, read):
        """`read(package, part, root)` of a part, worked out once for each distinct content (and
        folder) in this process: a year of one system's exports repeats the same relationships,
        workbook and styles parts 1,200 times. `read` returns an immutable value that depends on the
        part alone (it may raise, naming this workbook: an error is not remembered). A part is known
        by its compressed bytes, CRC and sizes, so a part met before is not even inflated (whatever
        reading those bytes gave the first time, it gives again); by its inflated bytes otherwise."""
        info = self.archive.getinfo(part)
        packed = _packed(self.data, info)
        data = self.bytes(part) if packed is None else None
        content = (packed, info.compress_type, info.CRC, info.file_size) if packed is not None else data
        key = (read, posixpath.dirname(part), content)
        found = _DERIVED.get(key)
        if found is None:
            found = read(self, part, self._parsed(part, self.bytes(part) if data is None else data))
            if len(_DERIVED) >= _DERIVED_KEPT:
                del _DERIVED[next(iter(_DERIVED))]  # the oldest
            _DERIVED[key] = found
        return found

    def _parsed(self, part: str, data: builtins.bytes, ended=None):
        try:
            return _parse(_transitional(data), ended)
        except DefusedXmlException as e:
            raise ReadError(Where(self.rel), "safe_xml", type(e).__name__) from None
        except (expat.ExpatError, LookupError) as e:  # LookupError: an unknown encoding
            raise self.damaged(f"{part}: {e}") from None

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type, part path) for the relationships of `part` ("" for the package)."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{name}.rels")
        if rels not in self.names:
            return {}
        return dict(self.derived(rels, _relationships))

    def damaged(self, found: str | None = None, *, found_as: str | None = None, **params: str) -> ReadError:
        """The workbook as damaged: what was found in a library's own words, or a key of labels.FOUND."""
        return ReadError(Where(self.rel), "xlsx", found, found_as=found_as, **params)


_DERIVED: dict[tuple, object] = {}  # (read, folder, a part's bytes) → what `read` made of them
_DERIVED_KEPT = 64


def _relationships(package: _Package, rels: str, root) -> tuple[tuple[str, tuple[str, str]], ...]:
    """(id, (type, part path)) of each relationship in a `_rels/*.rels` part, targets resolved
    from the folder the relationships belong to."""
    folder = posixpath.dirname(posixpath.dirname(rels))
    found = {}
    for relationship in root.iter(_RELATIONSHIP):
        if relationship.get("TargetMode") != "External":
            target = relationship.get("Target", "")
            path = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found[relationship.get("Id")] = (relationship.get("Type", ""), path)
    return tuple(found.items())


_LOCAL_HEADER = struct.Struct("<4s2xH18xHH")  # signature, flags, name and extra lengths (APPNOTE 4.3.7)
_NOT_PLAIN = 0x1 | 0x20 | 0x40  # encrypted, patched, strongly encrypted: left to zipfile, which refuses them


def _inflated(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A stored or deflated part straight from the archive's bytes, when its local header, sizes and
    CRC are all as the directory says; None for anything else, which zipfile then reads (or refuses
    with its own words). zipfile's reader costs more than the inflating, on a part of a few KB."""
    packed = _packed(data, info)
    if packed is None:
        return None
    if info.compress_type == zipfile.ZIP_STORED:
        inflated = packed
    else:
        inflater = zlib.decompressobj(-15)
        try:
            inflated = inflater.decompress(packed, info.file_size)
        except zlib.error:
            return None
        if not inflater.eof:
            return None
    if len(inflated) != info.file_size or zlib.crc32(inflated) != info.CRC:
        return None
    return inflated


def _packed(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A stored or deflated part's bytes as they are in the archive, when its local header is as the
    directory says; None for anything else."""
    if info.flag_bits & _NOT_PLAIN or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None
    start = info.header_offset
    if start < 0 or len(data) < start + _LOCAL_HEADER.size:
        return None
    signature, flags, name_length, extra_length = _LOCAL_HEADER.unpack_from(data, start)
    name_at = start + _LOCAL_HEADER.size
    try:
        name = info.orig_filename.encode("utf-8" if flags & 0x800 else "cp437")
    except UnicodeEncodeError:
        return None
    if signature != b"PK\x03\x04" or data[name_at:name_at + name_length] != name:
        return None
    begin = name_at + name_length + extra_length
    packed = data[begin:begin + info.compress_size]
    return packed if len(packed) == info.compress_size else None


# Excel's 「Strict Open XML スプレッドシート」 names the same elements in other namespaces (ECMA-376
# Part 1, §A.1 transitional vs strict; the package's own relationship namespace is the same in
# both). Renamed before parsing, the parts read as the transitional ones do.
_STRICT_NAMESPACES = (
    (b"http://purl.oclc.org/ooxml/spreadsheetml/main", b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
)


def _transitional(data: bytes) -> bytes:
    """A part of a Strict Open XML workbook with the transitional namespaces; others as they are."""
    if b"purl.oclc.org/ooxml/" not in data:
        return data
    for strict, transitional in _STRICT_NAMESPACES:
        data = data.replace(strict, transitional)
    return data


def _parse(data: bytes, ended=None):
    """XML → its root element, with expat wired straight to ElementTree's C TreeBuilder.

    Any DTD is refused, as defusedxml's forbid_dtd refuses it: at `<!DOCTYPE`, before expat reads a
    declaration in it, so no entity (a billion laughs, an external file) is ever declared. defusedxml's
    own parser hooks expat the same way but runs Python for every element, which was half the time
    of reading a workbook."""
    builder = TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.buffer_text = True
    parser.StartElementHandler = builder.start
    parser.CharacterDataHandler = builder.data
    parser.EndElementHandler = builder.end if ended is None else ended(builder.end)
    parser.Parse(data, True)
    return builder.close()


def _refuse_dtd(name, system_id, public_id, has_internal_subset):
    raise DTDForbidden(name, system_id, public_id)


class _Book:
    """What every sheet needs from the workbook: sheets in order, calendar, strings, date styles."""

    def __init__(self, package: _Package):
        workbook = _part_of(package.relationships(""), _OFFICE_DOCUMENT)
        if workbook is None or workbook not in package.names:
            raise package.damaged(found_as="no_workbook_part")
        listed, date1904, self.recalculate = package.derived(workbook, _workbook)
        parts = package.relationships(workbook)
        self.sheets = _sheets(package, listed, parts)
        self.cells_left = MAX_CELLS  # laid out so far, counted down (readers.MAX_CELLS)
        self.epoch = _EPOCHS[date1904]
        self.strings = _shared_strings(package, _part_of(parts, _SHARED_STRINGS))
        self.dates, self.durations = _date_styles(package, _part_of(parts, _STYLES))


def _workbook(package: _Package, part: str, root) -> tuple[tuple[tuple[str | None, str | None], ...], bool, bool]:
    """(name, relationship id) of each `<sheet>` in tab order, whether the workbook counts days
    from 1904, and whether it asks to be recalculated when opened (`<calcPr fullCalcOnLoad="1">`:
    what a library that cannot calculate writes, its formulas' saved results placeholders)."""
    properties = _child(root, _MAIN + "workbookPr")
    calculation = _child(root, _CALC)
    listed = tuple((sheet.get("name"), sheet.get(_R_ID)) for sheet in root.iter(_MAIN + "sheet"))
    return (listed, properties is not None and properties.get("date1904") in ("1", "true"),
            calculation is not None and calculation.get("fullCalcOnLoad") in ("1", "true"))


def _sheets(package: _Package, listed, parts: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    """(title, part) of each worksheet in tab order; chartsheets and sheets without a part are skipped,
    as openpyxl skips them."""
    found = []
    for title, relation in listed:
        if title is None:
            raise package.damaged(found_as="sheet_without_name")
        if not relation:
            continue
        if relation not in parts:
            raise package.damaged(found_as="no_sheet_part", sheet=title)
        kind, part = parts[relation]
        if part in package.names and "chartsheet" not in kind:
            found.append((title, part))
    return found


def _part_of(parts: dict[str, tuple[str, str]], kind: str) -> str | None:
    return next((path for type_, path in parts.values() if type_.endswith(kind)), None)


def _shared_strings(package: _Package, part: str | None) -> list[str]:
    """The shared string table. Like openpyxl, drops the `x005F_` of Excel's escaped underscore
    (`_x005F_x000D_` → `_x000D_`) and leaves other `_xHHHH_` escapes as written."""
    strings: list[str] = []
    if part is not None and part in package.names:
        package.parse(part, lambda end: lambda tag: _add_string(end(tag), strings))
    return strings


def _add_string(element, strings: list[str]) -> None:
    if element.tag == _STRING_ITEM:
        strings.append(_text(element).replace("x005F_", ""))
        element.clear()


def _text(item) -> str:
    """A string item's text: its plain `<t>`, then its rich-text runs' `<t>`; phonetic guides left out."""
    plain, runs = "", []
    for child in item:
        if child.tag == _TEXT:
            plain = child.text or ""
        elif child.tag == _RUN:
            runs.append(_child_text(child, _TEXT))
    return plain + "".join(runs)


def _date_styles(package: _Package, part: str | None) -> tuple[frozenset[int], frozenset[int]]:
    """Indexes of the cell styles (`cellXfs`) whose number format shows a date or time, and of
    those the ones showing elapsed time (`[h]:mm:ss`)."""
    if part is None or part not in package.names:
        return frozenset(), frozenset()
    return package.derived(part, _styles)


def _styles(package: _Package, part: str, root) -> tuple[frozenset[int], frozenset[int]]:
    try:
        custom = {_format_id(f.get("numFmtId")): f.get("formatCode", "") for f in _children(root, "numFmts", "numFmt")}
        formats = [_format_id(xf.get("numFmtId", "0")) for xf in _children(root, "cellXfs", "xf")]
    except ValueError as e:
        raise package.damaged(f"{part}: {e}") from None
    dates, durations = set(), set()
    for style, number_format in enumerate(formats):
        if number_format in custom:  # a custom format may reuse a built-in id
            code = custom[number_format]
            is_date, is_duration = _is_date_format(code), _is_elapsed_format(code)
        else:
            is_date, is_duration = number_format in _BUILTIN_DATES, number_format in _BUILTIN_DURATIONS
        if is_date:
            dates.add(style)
            if is_duration:
                durations.add(style)
    return frozenset(dates), frozenset(durations)


def _format_id(text: str | None) -> int:
    if text is None or not text.strip().isdigit():
        raise ValueError(f"number format id {text!r}")
    return int(text)


def _is_date_format(code: str) -> bool:
    return _DATE_PART.search(_NOT_DATE_PARTS.sub("", code.split(";", maxsplit=1)[0])) is not None


def _is_elapsed_format(code: str) -> bool:
    return _ELAPSED.search(code.split(";", maxsplit=1)[0]) is not None


# A sheet part up to this size is parsed to a whole tree first, with no Python call an element (a
# pasted month's sheet is a few kilobytes); a larger one is read row by row and cleared as it goes.
_WHOLE_TREE = 256 * 1024


def _sheet(package: _Package, book: _Book, title: str, part: str) -> Grid:
    """One worksheet as a Grid: rows by row number (an empty tuple for a blank or missing row)."""
    rows = _plain_rows(package, book, part, _Place(package.rel, title), None, located=True)
    if rows is not None:
        return Grid(tuple(rows), title)
    sheet = _SheetRows(book, _Place(package.rel, title))
    if not (package.size(part) <= _WHOLE_TREE and sheet.from_tree(_tree(package, part))):
        sheet = _SheetRows(book, _Place(package.rel, title))
        package.parse(part, sheet.ended)
    return Grid(tuple(sheet.rows), title)


def _tree(package: _Package, part: str, data: bytes | None = None):
    """A part's root element (of `data` when given, in its place), or None when it does not parse."""
    try:
        return package.parse(part) if data is None else package._parsed(part, data)
    except ReadError:
        return None


class _SheetRows:
    """A worksheet's rows, read as the parser ends each `<row>`.

    Each row is as wide as the sheet's `<dimension>` says, or wider where it holds cells beyond it:
    unlike openpyxl, a dimension that understates the sheet never hides a row or a cell."""

    def __init__(self, book: _Book, place: _Place, located: bool = True):
        self.book, self.place, self.located = book, place, located
        self.rows: list[tuple[Cell, ...]] = []
        self.number = 0  # the last <row>'s number
        self.kept = 0  # the number of the last row kept
        self.width: int | None = None
        self.last_row: int | None = None
        self.done = False

    def ended(self, end):
        """The parser's handler of an element's end (one Python call an element: a year's report
        has some 700,000 of them): a `<row>` is read and cleared, the dimension noted."""
        def handler(tag: str) -> None:
            element = end(tag)
            if tag == _ROW:
                if not self.done:
                    self.add(element)
                element.clear()
            elif tag == _DIMENSION:
                self.width, self.last_row = _dimension(element.get("ref", ""), self.place)
            elif tag == _SHEET_DATA:
                self.done = True
        return handler

    def from_tree(self, root) -> bool:
        """The rows of a part parsed whole, as `ended` would have read them; False (nothing read)
        when it did not parse (None) or is not shaped so that the two surely agree: then the part is
        read row by row, which raises its errors in the order they come."""
        if root is None:
            return False
        # One <sheetData>, a child of the root, holding every <row> and nothing else; every
        # <dimension> a child of the root: then the order of the elements' ends is the tree's order.
        sheet_data = [child for child in root if child.tag == _SHEET_DATA]
        rows = list(root.iter(_ROW))
        if (len(sheet_data) != 1 or sum(1 for _ in root.iter(_SHEET_DATA)) != 1
                or len(sheet_data[0]) != len(rows) or any(row.tag != _ROW for row in sheet_data[0])
                or sum(1 for child in root if child.tag == _DIMENSION) != sum(1 for _ in root.iter(_DIMENSION))):
            return False
        # In document order: dimensions before the rows set their width; those after are only checked.
        data_at = list(root).index(sheet_data[0])
        for position, child in enumerate(root):
            if child.tag == _DIMENSION and position < data_at:
                self.width, self.last_row = _dimension(child.get("ref", ""), self.place)
            elif child is sheet_data[0]:
                for row in rows:
                    self.add(row)
            elif child.tag == _DIMENSION:
                _dimension(child.get("ref", ""), self.place)
        return True

    def add(self, element) -> None:
        rows = self.rows
        self.number, cells = _row(element, self.book, self.place, self.number)
        if self.number <= self.kept:  # a row out of order or repeated is dropped, as in openpyxl
            return
        if self.number > self.kept + 1:
            rows.append(())  # the rows missing before it, however many its number says
        self.kept = self.number
        rows.append(_cells(cells, self.book, self.number, self.place, self.located))


class _Place:
    """Where a sheet's cells are: makes each cell's Where, and the ReadError for a damaged cell."""

    def __init__(self, rel: str, title: str):
        self.rel, self.title = rel, title

    def cell(self, column: int, row: int) -> Where:
        return Where(self.rel, sheet=self.title, cell=f"{_letters(column)}{row}")

    def cells(self, values: list, row: int) -> tuple[Cell, ...]:
        """A row's values from column A on, each with its Where (the same as `cell` makes)."""
        rel, title, number = self.rel, self.title, str(row)
        _letters(len(values))
        letters = _LETTERS
        return tuple([Cell(value, Where(rel, None, title, letters[column] + number))
                      for column, value in enumerate(values, 1)])

    def damaged(self, found_as: str, cell: str | None = None, **params: str) -> ReadError:
        """The sheet as damaged at `cell`: what was found a key of labels.FOUND, its blanks `params`."""
        return ReadError(Where(self.rel, sheet=self.title, cell=cell), "xlsx", found_as=found_as, **params)


def _row(element, book: _Book, place: _Place, previous: int) -> tuple[int, list[tuple[int, object]]]:
    """A `<row>`'s number and its (column, value) cells. A row or cell without its `r` follows the
    one before it."""
    number = previous + 1 if element.get("r") is None else _row_number(element.get("r"), place)
    cells, column = [], 0
    for cell in element:  # every child, as openpyxl reads them
        reference = cell.get("r")
        column = column + 1 if reference is None else _column(reference, place)
        try:
            cells.append((column, _value(cell, book)))
        except (ValueError, IndexError, OverflowError) as e:
            raise place.damaged("cell_value", reference, detail=f"{_child_text(cell, _VALUE)!r} ({e})") from None
    return number, cells


def _row_number(text: str, place: _Place) -> int:
    try:
        number = float(text)  # some writers put 3.0 (openpyxl reads it too)
    except ValueError:
        number = None
    if number is None or not number.is_integer():
        raise place.damaged("row_number", detail=repr(text))
    return int(number)


def _column(reference: str, place: _Place) -> int:
    letters = reference.rstrip("0123456789")
    column = _COLUMNS.get(letters) if len(letters) < len(reference) else None
    if column is None:
        match = _REFERENCE.fullmatch(reference)
        column = _column_number(match[1]) if match else 0
        if not 0 < column < 18279:  # A … ZZZ, as openpyxl allows
            raise place.damaged("cell_reference", reference, detail=repr(reference))
        _COLUMNS[letters] = column
    return column


_COLUMNS: dict[str, int] = {}  # the letters of a valid reference (B of B14) → its column number


def _cells(cells: list[tuple[int, object]], book: _Book, row: int, place: _Place, located: bool = True) -> tuple:
    """A row's cells from column A to its last cell with a value, gaps filled with empty cells; a
    row of nothing but blanks is an empty tuple. Unless `located`, the bare values. The cells laid
    out are counted against the workbook's MAX_CELLS (ReadError past it, before they are made)."""
    last = 0
    for column, value in cells:
        if column > last and value is not None:
            last = column
    book.cells_left -= last
    if book.cells_left < 0:
        raise too_many_cells(Where(place.rel, sheet=place.title, cell=f"{_letters(min(last, 18278))}{row}"))
    values: list[object] = [None] * last
    for column, value in cells:
        if column <= last:
            values[column - 1] = value
    for value in values:
        if value is not None and not (isinstance(value, str) and not value.strip()):
            break
    else:
        return ()
    return place.cells(values, row) if located else tuple(values)


def _dimension(reference: str, place: _Place) -> tuple[int | None, int | None]:
    """The last column and row of a `<dimension ref="B1:F14">` (`A:F` and `1:14` leave one open)."""
    match = _LAST_CELL.fullmatch(reference.rsplit(":", 1)[-1])
    if not match or not any(match.groups()):
        raise place.damaged("sheet_dimension", detail=repr(reference))
    letters, row = match.groups()
    return (_column_number(letters) if letters else None), (int(row) if row else None)


def _value(cell, book: _Book):
    """A `<c>`'s value as a Grid holds it: text, int, Decimal, Duration, datetime, Uncalculated or
    None. A formula counts with the result the spreadsheet application saved for it; without one,
    or with the 0 (or empty text) a library writes for a workbook that asks to be recalculated on
    open, it has no value (ECMA-376 Part 1, §18.3.1.40 f, §18.2.2 calcPr fullCalcOnLoad)."""
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        item = _child(cell, _INLINE)
        return None if item is None else _text(item)
    text = _child_text(cell, _VALUE)
    if len(cell) and (not text or (book.recalculate and text in ("0", "") and kind in ("n", "str"))):
        formula = _child(cell, _FORMULA)
        if formula is not None:
            return Uncalculated("=" + (formula.text or ""))
    return _typed(kind, text, cell.get("s"), book)


def _typed(kind: str, text: str, style: str | None, book: _Book):
    """The value of a cell of type `kind` other than an inline string, from its `<v>` text."""
    if not text:
        return None
    if kind == "n":
        return _number(text, style, book)
    if kind == "s":
        return _shared(text, book.strings)
    if kind == "b":
        return str(bool(int(text)))
    if kind == "d":
        return _iso(text)
    return text  # "str" (a formula's text), "e" (an error such as #VALUE!)


def _number(text: str, style: str | None, book: _Book):
    """A number cell: a Duration or a datetime when its style shows a time or a date, else an int,
    or a Decimal of exactly the float Excel stored."""
    number = float(text) if "." in text or "e" in text or "E" in text else int(text)
    style_id = int(style) if style else 0
    if style_id in book.dates:
        if style_id in book.durations or number < _FIRST_DATE:
            return _duration(number)
        return _date(number, book.epoch)
    if isinstance(number, int):
        return number
    return int(number) if number.is_integer() else Decimal(repr(number))


def _duration(days: float):
    try:
        return Duration(days_to_tenths(days))
    except OverflowError:
        return "#VALUE!"  # an infinite day number, shown as openpyxl shows it


def _date(days: float, epoch: dt.datetime):
    """A real date (a month label above the table): the day number in the workbook's calendar, to
    the millisecond as openpyxl reads it."""
    whole, fraction = divmod(days, 1)
    try:
        return epoch + dt.timedelta(days=whole, milliseconds=round(fraction * 86_400_000))
    except (OverflowError, ValueError):
        return "#VALUE!"  # past year 9999, or infinite: shown as openpyxl shows it


def _shared(text: str, strings: list[str]) -> str:
    index = int(text)
    if not 0 <= index < len(strings):
        raise ValueError(f"shared string {index} of {len(strings)}")
    return strings[index]


def _iso(text: str):
    """A `t="d"` cell: an ISO 8601 date, time, or date and time. A time, or a moment before 1901 (how
    Excel writes a duration as a date), is a Duration; anything later is a real date."""
    if "T" not in text and ":" not in text:
        day = dt.date.fromisoformat(text)  # a date alone is a date, whatever its year (as in openpyxl)
        return dt.datetime(day.year, day.month, day.day)
    if "T" in text:
        moment = dt.datetime.fromisoformat(text).replace(tzinfo=None)
    else:
        moment = dt.datetime.combine(_EPOCHS[False], dt.time.fromisoformat(text))
    if moment.year >= 1901:
        return moment
    since = moment - _EPOCHS[False]
    if 0 < since.days <= 60:  # Excel counts a 29 February 1900, which never was
        since -= dt.timedelta(days=1)
    return Duration(round(since / dt.timedelta(milliseconds=100)))


# ── recon's own sheets, read without the parser ─────────────────────────────────────────────────
# A report recon wrote is 16 MB of sheet XML for 400 contracts, and reading it back needs a few of
# its columns. Its <sheetData> is matched whole by _PLAIN_DATA, a grammar of exactly what recon's
# writer puts there: rows numbered in order, cells whose reference names their row, numbers, inline
# strings, formula text and errors, text with the five entities and decimal references to characters
# XML allows, nothing else (no comments, CDATA, prefixes, namespaces, shared strings, rich text, raw
# CR). What is around <sheetData> is parsed as usual. Anything else, a report re-saved by Excel or
# LibreOffice, is read by the parser. Every text the grammar accepts parses, and every value in it
# converts, so no error the parser would raise is missed in a column not read.

_CHAR = rb"[^<>&\x00-\x08\x0b\x0c\x0e-\x1f\r]"  # ">" written raw: not by recon, left to the parser
_CODE_POINT = (  # the decimal numbers of the characters XML 1.0 allows (§2.2 Char), no leading zero
    rb"[1-4][0-9]{4}|5[0-4][0-9]{3}|55[01][0-9]{2}|552[0-8][0-9]|5529[0-5]"  # 10000 … 55295 (kana, kanji) first
    rb"|9|10|13|3[2-9]|[4-9][0-9]|[1-9][0-9]{2,3}"  # 9, 10, 13, 32 … 9999
    rb"|5734[4-9]|573[5-9][0-9]|57[4-9][0-9]{2}|5[89][0-9]{3}|6[0-4][0-9]{3}|65[0-4][0-9]{2}"
    rb"|655[0-2][0-9]|6553[0-3]"  # 57344 … 65533
    rb"|6553[6-9]|655[4-9][0-9]|65[6-9][0-9]{2}|6[6-9][0-9]{3}|[7-9][0-9]{4}|[1-9][0-9]{5}"
    rb"|10[0-9]{5}|110[0-9]{4}|111[0-3][0-9]{3}|11140[0-9]{2}|111410[0-9]|111411[01]")  # 65536 … 1114111
_ENTITY = rb"&(?:#(?:" + _CODE_POINT + rb")|amp|lt|gt|quot|apos);"
_PLAIN_TEXT = _CHAR + rb"*+(?:" + _ENTITY + _CHAR + rb"*+)*+"
_PLAIN_NUMBER = rb"-?[0-9]{1,20}(?:\.[0-9]{1,20})?(?:[eE][-+]?[0-9]{1,3})?"  # int() and float() read it
_PLAIN_CELL_START = rb'<c r="[A-Z]{1,3}(?P=row)"(?: s="[0-9]{1,9}")?'
_PLAIN_CELL = (
    _PLAIN_CELL_START + rb'(?:(?: t="n")?(?:/>|>(?:<v>' + _PLAIN_NUMBER + rb"</v>)?</c>)"
    rb'| t="(?:str|e)"(?:/>|>(?:<v>' + _PLAIN_TEXT + rb"</v>)?</c>)"
    rb'| t="inlineStr"(?:/>|>(?:<is><t(?: xml:space="preserve")?>' + _PLAIN_TEXT + rb"</t></is>)?</c>))")
_PLAIN_DATA = re.compile(
    rb'(?:<row r="(?P<row>[1-9][0-9]{0,6})"(?: ht="[0-9]{1,4}(?:\.[0-9]{1,9})?")?(?: customHeight="1")?'
    rb"(?:/>|>(?:" + _PLAIN_CELL + rb")*+</row>))*+")
_PLAIN_ROW_NUMBER = re.compile(rb'<row r="([0-9]+)"')
_PLAIN_FIRST_ROW = re.compile(rb'<row r="1"[^>/]*(?:/>|>.*?</row>)', re.DOTALL)
# After a cell's reference: the rest of the cell (what its value is made from, once for each
# distinct one), then its style, type, <v> text, whether it has an <is>, and that string's text.
_PLAIN_VALUES = (rb'("(?: s="([0-9]+)")?(?: t="([A-Za-z]+)")?'
                 rb'(?:/>|>(?:<v>([^<]*)</v>|(<is>)<t[^>]*>([^<]*)</t></is>)?</c>))')
_PLAIN_ANY_CELL = re.compile(rb'<c r="([A-Z]+)([0-9]+)' + _PLAIN_VALUES)
_PLAIN_COLUMNS: dict[frozenset, re.Pattern] = {}  # column indexes → the pattern of their cells
_PLAIN_ENTITY = re.compile(r"&(#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_UTF8_DECLARED = re.compile(rb'<\?xml version="1\.0"(?: encoding="[Uu][Tt][Ff]-8")?(?: standalone="(?:yes|no)")?\s*\?>')


def _plain_rows(package: _Package, book: _Book, part: str, place: _Place, keep: Keep | None,
                located: bool = False) -> list[tuple] | None:
    """read_values' rows of a sheet written as recon writes (rows of located cells when `located`,
    as a Grid holds them), or None when the sheet is not written so."""
    data = _transitional(package.bytes(part))
    body = _plain_body(data)
    if body is None:
        return None
    start = data.index(b"<sheetData>") + len(b"<sheetData>")
    width = _skeleton_width(package, book, part, place, data[:start] + data[start + len(body):])
    if width is False:
        return None
    numbers = [int(n) for n in _PLAIN_ROW_NUMBER.findall(body)]
    if any(a >= b for a, b in pairwise(numbers)):
        return None  # out of order or repeated: the parser drops such a row
    at = _positions(numbers)
    rows: list[tuple] = [()] * (at[numbers[-1]] + 1 if numbers else 0)
    if not rows:
        return rows
    if keep is None:
        _plain_every_column(body, book, rows, at, place, located)
        return rows
    if numbers[0] == 1:
        first = _PLAIN_FIRST_ROW.match(body)
        if first is None:
            return None
        rows[0] = _cells(_plain_cells(first[0], book), book, 1, place, located=False)
    kept = keep(place.title, rows[0])
    if kept is None:
        _plain_every_column(body, book, rows, at, place, False)
    else:
        _plain_columns(body, book, *kept, rows, at)
    return rows


def _positions(numbers: list[int]) -> dict[int, int]:
    """Row number → its index among a sheet's rows laid out, rows missing between two being one
    empty row, as _SheetRows lays them out."""
    at, index, previous = {}, 0, 0
    for number in numbers:
        index += number > previous + 1
        at[number], index, previous = index, index + 1, number
    return at


_SKELETONS: dict[bytes, int | bool | None] = {}  # a sheet part with its <sheetData> emptied → its width
_SKELETONS_KEPT = 256


def _skeleton_width(package: _Package, book: _Book, part: str, place: _Place, skeleton: bytes) -> int | bool | None:
    """The width the dimension gives a sheet's rows, from the part with its <sheetData> emptied,
    parsed as usual; False when that does not parse or holds a row (then the parser reads the
    part). The same skeleton (a year of one system's exports) is parsed once; an error is raised
    each time."""
    found = _SKELETONS.get(skeleton)
    if found is None and skeleton not in _SKELETONS:
        sheet = _SheetRows(book, place, located=False)
        found = sheet.width if sheet.from_tree(_tree(package, part, skeleton)) and not sheet.rows else False
        if len(_SKELETONS) >= _SKELETONS_KEPT:
            del _SKELETONS[next(iter(_SKELETONS))]
        _SKELETONS[skeleton] = found
    return found


def _plain_body(data: bytes) -> bytes | None:
    """The content of a part's one <sheetData>, when it is all in _PLAIN_DATA's grammar."""
    if not (data.startswith(b"<worksheet ") or _UTF8_DECLARED.match(data)):
        return None  # another encoding, or a byte order mark: left to the parser
    # The first <sheetData> and the last </sheetData>: the grammar leaves no other inside, and the
    # part parsed without them (_skeleton_width) must hold exactly one sheetData.
    start, end = data.find(b"<sheetData>"), data.rfind(b"</sheetData>")
    if start < 0 or end < start:
        return None
    body = data[start + len(b"<sheetData>"):end]
    if not _PLAIN_DATA.fullmatch(body):  # (no raw ">" in text, so no "]]>" either)
        return None
    if not body.isascii():  # text as UTF-8: valid, and without U+FFFE or U+FFFF, not XML characters
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if b"\xef\xbf\xbe" in body or b"\xef\xbf\xbf" in body:
            return None
    return body


def _plain_cells(row: bytes, book: _Book) -> list[tuple[int, object]]:
    """(column, value) of every cell in a run of plain rows' XML."""
    return [(_column_number(found[0].decode()), _plain_value(found[3:], book))
            for found in _PLAIN_ANY_CELL.findall(row)]


_MADE: dict[tuple, dict[bytes, object]] = {}  # what a cell's value depends on → its XML → the value
_MADE_KEPT = 100_000


def _made(book: _Book) -> dict[bytes, object]:
    """The values already made from a cell's XML (after its reference) in workbooks with this
    book's date styles and calendar: a year of exports repeats its labels in every file."""
    if sum(map(len, _MADE.values())) > _MADE_KEPT:
        _MADE.clear()
    return _MADE.setdefault((book.dates, book.durations, book.epoch), {})


def _plain_value(found: tuple[bytes, ...], book: _Book):
    """A cell's value from _PLAIN_VALUES' groups after the first: as `_value` makes it."""
    style, kind, text, inline, inline_text = found
    if kind == b"inlineStr":
        return _unescaped(inline_text.decode()) if inline else None
    return _typed(kind.decode() or "n", _unescaped(text.decode()), style.decode() or None, book)


def _unescaped(text: str) -> str:
    return _PLAIN_ENTITY.sub(_character, text) if "&" in text else text


def _character(match: re.Match) -> str:
    name = match[1]
    return chr(int(name[1:])) if name[0] == "#" else _NAMED[name]


def _plain_every_column(body: bytes, book: _Book, rows: list[tuple], at: dict[int, int], place: _Place,
                        located: bool) -> None:
    """Every row in full, as the parser would read it (a row of cells located in `place`, or of values)."""
    made = _made(book)
    columns = _COLUMN_OF
    row: bytes | None = None
    cells: list[tuple[int, object]] = []
    for found in (found for chunk in _row_chunks(body) for found in _PLAIN_ANY_CELL.findall(chunk)):  # in row order
        if found[1] != row:
            if cells and row is not None:
                rows[at[int(row)]] = _cells(cells, book, int(row), place, located)
            row, cells = found[1], []
        value = made.get(found[2], made)
        if value is made:
            value = made[found[2]] = _plain_value(found[3:], book)
        column = columns.get(found[0])
        if column is None:
            column = columns[found[0]] = _column_number(found[0].decode())
        cells.append((column, value))
    if cells and row is not None:
        rows[at[int(row)]] = _cells(cells, book, int(row), place, located)


_CHUNK = 1 << 20


def _row_chunks(body: bytes):
    """A plain <sheetData>'s content in runs of whole rows of about _CHUNK bytes, so that the cells
    found at once stay few on a large sheet."""
    start = 0
    while start < len(body):
        end = body.find(b"<row ", start + _CHUNK)
        end = len(body) if end < 0 else end
        yield body[start:end]
        start = end


_COLUMN_OF: dict[bytes, int] = {}  # a plain cell reference's letters (A … ZZZ) → its column number


def _plain_columns(body: bytes, book: _Book, columns: set[int], needed: set[int], rows: list[tuple],
                   at: dict[int, int]) -> None:
    """The kept columns of every row but the first, the others None; with `needed`, only the rows
    holding something in one of those columns (read_values' `keep`)."""
    width = max(columns, default=-1) + 1
    kept: dict[bytes, list] = {}
    if needed:  # those columns first, then the rest of the rows they pick, row by row
        _plain_cells_of(body, book, needed, width, kept, blanks=False)
        kept = {number: values for number, values in kept.items() if not all(_blank(values[i]) for i in needed)}
        position = 0
        for number in sorted(kept, key=int):
            position = body.find(b'<row r="' + number + b'"', position)
            end = body.find(b"</row>", position)
            _plain_cells_of(body[position:end], book, columns - needed, width, kept)
    else:
        _plain_cells_of(body, book, columns, width, kept)
    kept.pop(b"1", None)  # the header, read whole
    for number, values in kept.items():
        for column in columns:  # the others are None
            if not _blank(values[column]):
                rows[at[int(number)]] = tuple(values)
                break


def _plain_cells_of(xml: bytes, book: _Book, columns, width: int, kept: dict[bytes, list],
                    blanks: bool = True) -> None:
    """Each cell of these columns in a run of plain rows, into its row's values (by row number as
    written), a row's values made `width` wide when it is first met; without `blanks`, a row is
    not begun by a blank cell."""
    made = _made(book)
    key = frozenset(columns)
    pattern = _PLAIN_COLUMNS.get(key)
    if pattern is None:
        letters = b"|".join(_letters(column + 1).encode() for column in sorted(key))
        pattern = _PLAIN_COLUMNS[key] = re.compile(rb'<c r="(' + letters + rb')([0-9]+)' + _PLAIN_VALUES)
    index = {_letters(column + 1).encode(): column for column in key}
    for found in (found for chunk in _row_chunks(xml) for found in pattern.findall(chunk)):
        letters, number = found[0], found[1]
        value = made.get(found[2], made)
        if value is made:
            value = made[found[2]] = _plain_value(found[3:], book)
        values = kept.get(number)
        if values is None:
            if not blanks and _blank(value):
                continue  # (a row met again is still written to: the last cell of a column wins)
            values = kept[number] = [None] * width
        values[index[letters]] = value


# ElementTree's find() reads "uri}name" (expat's names) as a path, so children are looked up by hand.

def _child(element, tag: str):
    """The first child with this tag, or None."""
    for child in element:
        if child.tag == tag:
            return child
    return None


def _child_text(element, tag: str) -> str:
    """The text of the first child with this tag ("" when there is none)."""
    child = _child(element, tag)
    return (child.text or "") if child is not None else ""


def _children(root, parent: str, tag: str) -> list:
    """The `tag` children of the root's `parent` child (spreadsheetml names without the namespace)."""
    holder = _child(root, _MAIN + parent)
    return [] if holder is None else [child for child in holder if child.tag == _MAIN + tag]


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


_LETTERS: list[str] = [""]


def _letters(column: int) -> str:
    """1 → A, 27 → AA."""
    while len(_LETTERS) <= column:
        number, letters = len(_LETTERS), ""
        while number:
            number, remainder = divmod(number - 1, 26)
            letters = chr(65 + remainder) + letters
        _LETTERS.append(letters)
    return _LETTERS[column]
