"""An .xlsx workbook → one Grid per sheet. Excel times become Durations here, at the edge: a day
number is rounded to the nearest tenth of a second, never truncated."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

from recon.errors import ReadError
from recon.model import Cell, Duration, Grid, Where
from recon.values import days_to_tenths

_TENTHS_PER_DAY = 864000


# A pasted month is a few kilobytes. Anything that inflates past these is not a detail table but
# a zip bomb (or a sheet far larger than any month): refused before openpyxl inflates a byte of it.
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 200


def read(data: bytes, rel: str) -> tuple[list[Grid], None]:
    """Every worksheet, every non-empty row, values typed."""
    _check_inflation(data, rel)
    return [_grid(title, rows, rel) for title, rows in _raw_sheets(data, rel)], None


def _check_inflation(data: bytes, rel: str) -> None:
    """Refuse a workbook whose parts would inflate too far, from the zip directory alone."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise ReadError(Where(rel), "xlsx", f"not a zip archive ({e})") from None
    total = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    if total > MAX_UNCOMPRESSED or total > MAX_RATIO * max(packed, 64 * 1024):
        raise ReadError(Where(rel), "inflation", f"{total:,} bytes from {len(data):,}",
                        limit=f"{MAX_UNCOMPRESSED:,}")


def _raw_sheets(data: bytes, rel: str) -> list[tuple[str, list[tuple]]]:
    """(title, rows of raw values) per worksheet. openpyxl parses lazily and a damaged part can
    raise almost anything from deep inside it (lxml, zlib, KeyError …): all of it means a damaged
    workbook, so it is caught here, around openpyxl alone, and nowhere else."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return [(sheet.title, list(sheet.iter_rows(values_only=True))) for sheet in book.worksheets]
        finally:
            book.close()
    except zipfile.BadZipFile as e:
        raise ReadError(Where(rel), "xlsx", f"not a zip archive ({e})") from None
    except Exception as e:  # noqa: BLE001 - see the docstring: only openpyxl runs in this block
        if _refused_xml(e):
            raise ReadError(Where(rel), "safe_xml", type(_refused_xml(e)).__name__) from None
        raise ReadError(Where(rel), "xlsx", f"{type(e).__name__}: {e}") from None


def _refused_xml(error: BaseException):
    """The XML attack defusedxml refused (entities, external references), however deep openpyxl
    wrapped it; None when the workbook is only damaged."""
    from defusedxml import DefusedXmlException

    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DefusedXmlException):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


def _grid(title: str, raw_rows: list[tuple], rel: str) -> Grid:
    from openpyxl.utils import get_column_letter

    rows = []
    for r, row in enumerate(raw_rows, start=1):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            rows.append(())
            continue
        rows.append(tuple(
            Cell(_value(v), Where(rel, sheet=title, cell=f"{get_column_letter(c)}{r}"))
            for c, v in enumerate(row, start=1)
        ))
    return Grid(tuple(rows), title)


def _value(v):
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return int(v) if v.is_integer() else Decimal(repr(v))
    if isinstance(v, dt.timedelta):
        return Duration(round(v / dt.timedelta(microseconds=100000)))
    if isinstance(v, dt.time):
        micro = ((v.hour * 60 + v.minute) * 60 + v.second) * 1_000_000 + v.microsecond
        return Duration(round(micro / 100000))
    if isinstance(v, dt.datetime):
        if v.year >= 1901:
            return v  # a real date (a month label above the table), not a duration
        from openpyxl.utils.datetime import to_excel

        return Duration(days_to_tenths(to_excel(v)))
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day)
    return str(v)
