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


def read(data: bytes, rel: str) -> tuple[list[Grid], None]:
    """Every worksheet, every non-empty row, values typed."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as e:
        raise ReadError(Where(rel), "xlsx", f"{type(e).__name__}: {e}") from e
    try:
        return [_grid(sheet, rel) for sheet in book.worksheets], None
    finally:
        book.close()


def _grid(sheet, rel: str) -> Grid:
    from openpyxl.utils import get_column_letter

    rows = []
    for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            rows.append(())
            continue
        rows.append(tuple(
            Cell(_value(v), Where(rel, sheet=sheet.title, cell=f"{get_column_letter(c)}{r}"))
            for c, v in enumerate(row, start=1)
        ))
    return Grid(tuple(rows), sheet.title)


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
