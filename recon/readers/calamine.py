"""An .ods (LibreOffice's default) or .xls (Excel 97–2003) workbook → one Grid per sheet, through
python-calamine (the Rust calamine library: OpenDocument and the BIFF8 compound file).

calamine gives every number as a float and types a cell by its format: a duration as a timedelta
(or, in an .ods, the ISO 8601 text of its `office:time-value`, `PT28H49M53.5S`, past 24 hours), a
time of day as a time, a date as a date. Here, at the edge, they become what every Grid holds:
ints, Decimals, Durations in tenths of a second (rounded to the nearest tenth, never cut) and
datetimes. A file named .xls that is really a web page or tab-separated text (what many web systems
download as "Excel") is read as what it is."""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
import os
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from decimal import Decimal

from recon.durations import to_tenths
from recon.errors import ReadError
from recon.model import Cell, Duration, Grid, Uncalculated, Where
from recon.readers.limits import MAX_CELLS, too_many_cells

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file's signature (.xls)
ZIP = b"PK"  # .ods, and an .xlsx misnamed .xls
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # the stream of an encrypted OOXML workbook
_ISO_DURATION = re.compile(r"^(-)?P(?:(\d+)D)?T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d+))?S)?$")
_EPOCH = dt.datetime(1899, 12, 30)


def read(data: bytes, rel: str) -> tuple[list[Grid], str | None]:
    """Every sheet, every non-empty row, values typed; a web page or text named .xls as such."""
    if not data.startswith((OLE, ZIP)):
        return _not_really_a_workbook(data, rel)
    import python_calamine

    kind = "ods" if rel.lower().endswith(".ods") else "xls"
    uncalculated: dict[str, list[tuple[int, int, str]]] = {}
    if data.startswith(ZIP):
        if _check_zip(data, rel, kind):  # an .xlsx named .xls or .ods: read as what it is, by what it holds
            from recon.readers import xlsx

            return xlsx.read(data, rel)
        uncalculated = _ods_laid_out(data, rel)
    elif _ENCRYPTED in data:  # ECMA-376 Part 2 / MS-OFFCRYPTO: a password-protected .xlsx in a compound file
        raise ReadError(Where(rel), "password_free", found_as="password")
    else:
        _xls_laid_out(data, rel)
    try:
        with _rust_quiet():
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheets = [(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False))
                      for name in book.sheet_names]
    except python_calamine.PasswordError:
        raise ReadError(Where(rel), "password_free", found_as="password") from None
    except (python_calamine.CalamineError, ValueError, OverflowError) as e:
        raise ReadError(Where(rel), kind, f"{type(e).__name__}: {e}") from None
    except BaseException as e:
        # calamine panics on a few damaged files (a date past year 9999: "TimeDelta::milliseconds out
        # of bounds"); pyo3 raises that as PanicException, a BaseException so that it is not caught
        # by accident. It is a damaged file, not a bug of recon's: refused with what calamine said.
        if type(e).__module__ != "pyo3_runtime":
            raise
        raise ReadError(Where(rel), kind, f"{type(e).__name__}: {e}") from None
    return [Grid(tuple(_rows(_with_formulas(rows, uncalculated.get(name, ())), rel, name, kind)), name)
            for name, rows in sheets], None


@contextlib.contextmanager
def _rust_quiet():
    """Standard error closed to Rust while calamine reads: its panic hook writes the panic (and with
    RUST_BACKTRACE a whole backtrace) there, which would reach the user's console."""
    if sys.stderr is not None:
        sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no standard error at all (a windowed program): nothing to keep quiet
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _not_really_a_workbook(data: bytes, rel: str) -> tuple[list[Grid], str | None]:
    from recon.readers import html, text

    head = data[:4096].lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in head:  # Excel 2003's XML, not read: say so
        raise ReadError(Where(rel), "spreadsheetml", None)
    if b"<html" in head or b"<table" in head:
        return html.read(data, rel)
    return text.read(data, rel)


# ── bounded by content: what calamine would build, worked out before it builds it ─────────────────
# calamine lays an .ods sheet out as a dense range (rows × columns, from A1 when asked, as here),
# a cell repeated (`table:number-columns-repeated`) or a row repeated (`number-rows-repeated`) as many
# times as it says, in native code that aborts the process when memory runs out. So the range each
# sheet would make is worked out first, from content.xml, read as a stream with every DTD refused,
# and a file past readers.MAX_CELLS is refused before calamine sees it.

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_VALUES = tuple(_OFFICE + a for a in ("value", "string-value", "date-value", "time-value", "boolean-value"))


class _OdsSizes:
    """Each sheet's extent as calamine lays it out, counted as content.xml streams by."""

    def __init__(self, rel: str):
        self.rel = rel
        self.depth = 0  # of table:table elements
        self.sheet = ""
        self.total = 0  # cells of the sheets done
        self.uncalculated: dict[str, list[tuple[int, int, str]]] = {}

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == _TABLE + "table":
            self.depth += 1
            if self.depth == 1:
                self.sheet = attributes.get(_TABLE + "name", "")
                self.row = 0  # the sheet row the next <table-row> starts at
                self.last_row = self.last_column = -1
        elif self.depth and tag == _TABLE + "table-row":
            self.repeats = _repeats(attributes.get(_TABLE + "number-rows-repeated"), self.rel)
            self.column = 0
        elif self.depth and tag in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
            repeats = _repeats(attributes.get(_TABLE + "number-columns-repeated"), self.rel)
            valued = attributes.get(_OFFICE + "value-type") == "string" or any(a in attributes for a in _VALUES)
            formula = attributes.get(_TABLE + "formula")
            if valued or formula:
                end = self.column + repeats - 1
                self.last_row = max(self.last_row, self.row + self.repeats - 1)
                self.last_column = max(self.last_column, end)
                self._check()
                if formula and not valued and len(self.uncalculated.get(self.sheet, ())) < 1000:
                    for row in range(self.row, self.row + min(self.repeats, 10)):
                        for column in range(self.column, min(end, self.column + 9) + 1):
                            self.uncalculated.setdefault(self.sheet, []).append((row, column, formula))
            self.column += repeats

    def end(self, tag: str) -> None:
        if tag == _TABLE + "table":
            self.depth -= 1
            if self.depth == 0:
                self.total += (self.last_row + 1) * (self.last_column + 1)
        elif self.depth and tag == _TABLE + "table-row":
            self.row += self.repeats

    def _check(self) -> None:
        rows, columns = self.last_row + 1, self.last_column + 1
        if self.total + rows * columns > MAX_CELLS:
            raise too_many_cells(Where(self.rel, sheet=self.sheet, cell=f"{_letters(min(columns, 18278))}{rows}"))


def _repeats(text: str | None, rel: str) -> int:
    if text is None:
        return 1
    try:
        return max(int(text), 1)
    except ValueError:
        raise ReadError(Where(rel), "ods", found_as="repeat_count", detail=repr(text)) from None


def _ods_laid_out(data: bytes, rel: str) -> dict[str, list[tuple[int, int, str]]]:
    """Refuse an .ods whose sheets calamine would lay out past MAX_CELLS; else the cells holding
    a formula without a saved result, by sheet: (row, column, formula), from 0."""
    from xml.parsers import expat

    from defusedxml import DTDForbidden

    sizes = _OdsSizes(rel)
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.StartElementHandler = sizes.start
    parser.EndElementHandler = sizes.end
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as content:
            parser.ParseFile(content)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError, RuntimeError,
            zlib.error) as e:
        raise ReadError(Where(rel), "ods", f"content.xml: {e}") from None
    except DTDForbidden:
        raise ReadError(Where(rel), "safe_xml", "DTDForbidden") from None
    except expat.ExpatError as e:
        raise ReadError(Where(rel), "ods", f"content.xml: {e}") from None
    return sizes.uncalculated


def _refuse_dtd(name, system_id, public_id, has_internal_subset):
    from defusedxml import DTDForbidden

    raise DTDForbidden(name, system_id, public_id)


def _with_formulas(rows: list[list], uncalculated) -> list[list]:
    """calamine's rows with each cell that holds a formula without a saved result Uncalculated."""
    for row, column, formula in uncalculated:
        if row < len(rows) and column < len(rows[row]) and rows[row][column] in ("", None):
            rows[row][column] = Uncalculated(formula.split(":", 1)[-1] if formula.startswith("of:") else formula)
    return rows


# An .xls is a compound file (MS-CFB) whose Workbook stream is a run of BIFF8 records (MS-XLS); each
# record of a cell names its row and column, and calamine lays each sheet out from A1 to the last
# cell any record names (65,536 rows by 256 columns at most: 16.7 million cells, from a file of a
# few kilobytes). The records are walked first, in Python, and the file refused past MAX_CELLS.
_U16, _U32 = struct.Struct("<H"), struct.Struct("<I")
_FREE, _END = 0xFFFFFFFF, 0xFFFFFFFE
_CELL_RECORDS = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0201, 0x0205, 0x0204, 0x00D6, 0x0406}  # row, column first
_SPAN_RECORDS = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first column … last column
_BOF, _EOF = 0x0809, 0x000A


def _xls_laid_out(data: bytes, rel: str) -> None:
    """Refuse an .xls whose sheets calamine would lay out past MAX_CELLS."""
    try:
        stream = _workbook_stream(data)
    except (struct.error, ValueError, IndexError) as e:
        raise ReadError(Where(rel), "xls", found_as="compound_file", detail=str(e)) from None
    if stream is None:
        return  # no Workbook stream: calamine says what the file is
    total, last_row, last_column, position = 0, -1, -1, 0
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        record = stream[position + 4:position + 4 + length]
        position += 4 + length
        if kind == _BOF:
            last_row = last_column = -1
        elif kind == _EOF:
            total += (last_row + 1) * (last_column + 1)
            last_row = last_column = -1
        elif (kind in _CELL_RECORDS and len(record) >= 4) or (kind in _SPAN_RECORDS and len(record) >= 6):
            row, column = _U16.unpack_from(record, 0)[0], _U16.unpack_from(record, 2)[0]
            if kind in _SPAN_RECORDS:
                column = max(column, _U16.unpack_from(record, len(record) - 2)[0])
            last_row, last_column = max(last_row, row), max(last_column, column)
            if total + (last_row + 1) * (last_column + 1) > MAX_CELLS:
                raise too_many_cells(Where(rel, cell=f"{_letters(min(last_column + 1, 18278))}{last_row + 1}"))


def _workbook_stream(data: bytes) -> bytes | None:
    """The Workbook (or BIFF5's Book) stream of a compound file (MS-CFB §2): None when it has none.
    Every chain is followed at most as far as the file has sectors, and never round in a circle."""
    sector = 1 << _U16.unpack_from(data, 0x1E)[0]
    if sector not in (512, 4096):
        raise ValueError(f"sector size {sector}")
    sectors = (len(data) - 512) // sector + 1

    def at(index: int) -> bytes:
        return data[512 + index * sector:512 + (index + 1) * sector]

    difat = [_U32.unpack_from(data, 0x4C + 4 * i)[0] for i in range(109)]
    following, seen = _U32.unpack_from(data, 0x44)[0], set()
    while following < sectors and following not in seen:
        seen.add(following)
        block = at(following)
        difat += [_U32.unpack_from(block, 4 * i)[0] for i in range(len(block) // 4 - 1)]
        following = _U32.unpack_from(block, len(block) - 4)[0] if len(block) >= 4 else _END
    fat = b"".join(at(i) for i in dict.fromkeys(difat) if i < sectors)
    fat_entries = len(fat) // 4

    def chain(start: int, table: bytes, entries: int, read: Callable[[int], bytes]) -> bytes:
        parts: list[bytes] = []
        seen: set[int] = set()
        while start < entries and start not in seen and len(seen) <= sectors * (sector // 64):
            seen.add(start)
            parts.append(read(start))
            start = _U32.unpack_from(table, 4 * start)[0]
        return b"".join(parts)

    directory = chain(_U32.unpack_from(data, 0x30)[0], fat, fat_entries, at)
    entries = [directory[i:i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        return None
    root = entries[0]
    for entry in entries:
        name = entry[:min(_U16.unpack_from(entry, 0x40)[0], 64)].decode("utf-16-le", "replace").rstrip("\x00")
        if entry[0x42] == 2 and name in ("Workbook", "Book"):
            break
    else:
        return None
    start, size = _U32.unpack_from(entry, 0x74)[0], _U32.unpack_from(entry, 0x78)[0]
    if size >= _U32.unpack_from(data, 0x38)[0]:  # a stream of the usual sectors
        return chain(start, fat, fat_entries, at)[:size]
    mini = chain(_U32.unpack_from(root, 0x74)[0], fat, fat_entries, at)
    table = chain(_U32.unpack_from(data, 0x3C)[0], fat, fat_entries, at)
    return chain(start, table, len(table) // 4, lambda i: mini[i * 64:(i + 1) * 64])[:size]


def _check_zip(data: bytes, rel: str, kind: str) -> bool:
    """Refuse a zip whose parts would inflate too far, from its directory alone (as for .xlsx);
    True when it is an Office Open XML workbook (an .xlsx under another name)."""
    from recon.readers.xlsx import _check_inflation

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_inflation(archive.infolist(), data, rel)
            return "content.xml" not in archive.NameToInfo and "[Content_Types].xml" in archive.NameToInfo
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as e:
        raise ReadError(Where(rel), kind, found_as="not_zip", detail=str(e)) from None


def _rows(rows: list[list], rel: str, sheet: str, kind: str):
    """Located rows from A1 on; a row of nothing but blanks is an empty tuple."""
    for number, values in enumerate(rows, start=1):
        typed = [_value(v, rel, sheet, number, column, kind) for column, v in enumerate(values, start=1)]
        if all(v is None for v in typed):
            yield ()
        else:
            yield tuple(Cell(v, Where(rel, sheet=sheet, cell=f"{_letters(column)}{number}"))
                        for column, v in enumerate(typed, start=1))


def _value(value, rel: str, sheet: str, row: int, column: int, kind: str):
    """One calamine value → text, int, Decimal, Duration, datetime or None."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ReadError(Where(rel, sheet=sheet, cell=f"{_letters(column)}{row}"), kind, repr(value))
        return int(value) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        if type(value) is Uncalculated:
            return value
        return (_iso_duration(value) or value) if value else None
    if isinstance(value, dt.timedelta):
        return Duration(to_tenths(value))  # its microseconds come from a float: to the nearest tenth
    if isinstance(value, dt.time):
        return Duration(to_tenths(dt.timedelta(hours=value.hour, minutes=value.minute, seconds=value.second,
                                              microseconds=value.microsecond)))
    if isinstance(value, dt.datetime):
        return Duration(to_tenths(value - _EPOCH)) if value.year < 1901 else value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return None if value is None else str(value)


def _iso_duration(text: str) -> Duration | None:
    """`PT28H49M53.5S` (an .ods time-value past 24 hours, as calamine hands it on) → a Duration."""
    if not text.startswith(("P", "-P")):
        return None
    m = _ISO_DURATION.match(text)
    if not m or not any(m.groups()[1:]):
        return None
    sign, days, hours, minutes, seconds, fraction = m.groups()
    whole = ((int(days or 0) * 24 + int(hours or 0)) * 60 + int(minutes or 0)) * 60 + int(seconds or 0)
    total = to_tenths(Decimal(f"{whole}.{fraction or 0}"))  # the seconds' fraction to the nearest tenth, half up
    return Duration(-total if sign else total)


def _letters(column: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
