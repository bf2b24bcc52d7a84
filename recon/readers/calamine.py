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
import os
import re
import sys
import zipfile
from decimal import Decimal

from recon.errors import ReadError
from recon.model import Cell, Duration, Grid, Where

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file's signature (.xls)
ZIP = b"PK"  # .ods, and an .xlsx misnamed .xls
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # the stream of an encrypted OOXML workbook
_ISO_DURATION = re.compile(r"^(-)?P(?:(\d+)D)?T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d+))?S)?$")
_EPOCH = dt.datetime(1899, 12, 30)
_TENTH = dt.timedelta(milliseconds=100)


def read(data: bytes, rel: str) -> tuple[list[Grid], str | None]:
    """Every sheet, every non-empty row, values typed; a web page or text named .xls as such."""
    if not data.startswith((OLE, ZIP)):
        return _not_really_a_workbook(data, rel)
    import python_calamine

    kind = "ods" if rel.lower().endswith(".ods") else "xls"
    if data.startswith(ZIP):
        _check_zip(data, rel, kind)
    elif _ENCRYPTED in data:  # ECMA-376 Part 2 / MS-OFFCRYPTO: a password-protected .xlsx in a compound file
        raise ReadError(Where(rel), "password_free", "a workbook opened only with a password")
    try:
        with _rust_quiet():
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheets = [(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False))
                      for name in book.sheet_names]
    except python_calamine.PasswordError:
        raise ReadError(Where(rel), "password_free", "a workbook opened only with a password") from None
    except (python_calamine.CalamineError, ValueError, OverflowError) as e:
        raise ReadError(Where(rel), kind, f"{type(e).__name__}: {e}") from None
    except BaseException as e:
        # calamine panics on a few damaged files (a date past year 9999: "TimeDelta::milliseconds out
        # of bounds"); pyo3 raises that as PanicException, a BaseException so that it is not caught
        # by accident. It is a damaged file, not a bug of recon's: refused with what calamine said.
        if type(e).__module__ != "pyo3_runtime":
            raise
        raise ReadError(Where(rel), kind, f"{type(e).__name__}: {e}") from None
    return [Grid(tuple(_rows(rows, rel, name, kind)), name) for name, rows in sheets], None


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


def _check_zip(data: bytes, rel: str, kind: str) -> None:
    """Refuse a zip whose parts would inflate too far, from its directory alone (as for .xlsx)."""
    from recon.readers.xlsx import _check_inflation

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_inflation(archive.infolist(), data, rel)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as e:
        raise ReadError(Where(rel), kind, f"not a zip archive ({e})") from None


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
        if value != value or value in (float("inf"), float("-inf")):
            raise ReadError(Where(rel, sheet=sheet, cell=f"{_letters(column)}{row}"), kind, repr(value))
        return int(value) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return (_iso_duration(value) or value) if value else None
    if isinstance(value, dt.timedelta):
        return Duration(_tenths(value))
    if isinstance(value, dt.time):
        return Duration(_tenths(dt.timedelta(hours=value.hour, minutes=value.minute, seconds=value.second,
                                              microseconds=value.microsecond)))
    if isinstance(value, dt.datetime):
        return Duration(_tenths(value - _EPOCH)) if value.year < 1901 else value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return None if value is None else str(value)


def _tenths(span: dt.timedelta) -> int:
    """A timedelta → the nearest tenth of a second (calamine's microseconds come from a float)."""
    return (span + _TENTH / 2) // _TENTH


def _iso_duration(text: str) -> Duration | None:
    """`PT28H49M53.5S` (an .ods time-value past 24 hours, as calamine hands it on) → a Duration."""
    if not text.startswith(("P", "-P")):
        return None
    m = _ISO_DURATION.match(text)
    if not m or not any(m.groups()[1:]):
        return None
    sign, days, hours, minutes, seconds, fraction = m.groups()
    total = (((int(days or 0) * 24 + int(hours or 0)) * 60 + int(minutes or 0)) * 60 + int(seconds or 0)) * 10
    if fraction:  # the seconds' fraction to the nearest tenth, half up, in integers
        digits = len(fraction)
        total += (int(fraction) * 2 + 10 ** (digits - 1)) // (2 * 10 ** (digits - 1))
    return Duration(-total if sign else total)


def _letters(column: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
