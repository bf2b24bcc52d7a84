"""Pasted text, TSV and CSV → one Grid. A cell's location is the line where its record starts."""
from __future__ import annotations

import csv
import io
import re

from recon.errors import ReadError
from recon.model import Cell, Grid, Where
from recon.readers.decode import decode

_SPACES = re.compile(r"[ \u00a0]{2,}|\u3000+")
_ONE_SPACE = re.compile(r"[ \u00a0\u3000]+")


def read(data: bytes, rel: str) -> tuple[list[Grid], str]:
    """Decode, pick the delimiter, split into located rows."""
    text, encoding = decode(data, rel)
    excel_saved = not rel.lower().endswith(".txt")
    return [Grid(tuple(_rows(text, rel, excel_saved)))], encoding


def _rows(text: str, rel: str, excel_saved: bool):
    delimiter = _delimiter(text, comma_file=rel.lower().endswith(".csv"))
    if delimiter is None:
        yield from _space_rows(text, rel)
        return
    # Excel quotes fields when it saves; text pasted from a browser has no quoting, and a stray
    # quote must not swallow the lines after it.
    quoting = csv.QUOTE_MINIMAL if excel_saved or delimiter == "," else csv.QUOTE_NONE
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting, strict=False)
    start = 1
    try:
        for record in reader:
            where = Where(rel, line=start)
            yield tuple(Cell(value, where) for value in record)
            start = reader.line_num + 1
    except csv.Error as e:  # a line (or an open quote) longer than the csv module's field limit
        raise ReadError(Where(rel, line=start), "text_rows", str(e)) from None


def _delimiter(text: str, comma_file: bool) -> str | None:
    """Tab wherever there is one (a paste from the browser, Excel's text); comma for a .csv, or
    where the header line is comma-separated; else None: columns aligned with spaces."""
    if "\t" in text:
        return "\t"
    if comma_file:
        return ","
    header = next((line for line in _LINE_END.split(text) if "通話数" in line), "")
    return "," if "," in header else None


_LINE_END = re.compile(r"\r\n|\r|\n")  # only these: splitlines() would also split on \x0c, \u2028 …


def _space_rows(text: str, rel: str):
    """Columns separated by runs of spaces (or an ideographic space); where no line has such a
    run, by single spaces. Either way a value never holds a space: `1,096` and `28:49:53.5` don't."""
    lines = _LINE_END.split(text)
    split = _SPACES if any(_SPACES.search(line.strip()) for line in lines) else _ONE_SPACE
    for number, line in enumerate(lines, start=1):
        where = Where(rel, line=number)
        yield tuple(Cell(value, where) for value in split.split(line.strip()) if value != "")
