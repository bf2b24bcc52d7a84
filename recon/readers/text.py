"""Pasted text, TSV and CSV → one Grid. A cell's location is the line where its record starts.

Every text input is split by the quoting rules of Excel's text exports (「テキスト (タブ区切り)」,
「Unicode テキスト」, CSV), whatever its extension: a cell that holds the separator, a quote or a
line break is written inside double quotes (`"10,240"`), a quote inside doubled. Text pasted from a
browser is not quoted, and a stray `"` in it must not swallow the lines after it, so a quote opens
a quoted cell only where it closes as one: before a separator or the end of a line, and, across
lines, only around text without a separator (a header cell with a line break; ten rows swallowed
by a lone quote hold separators)."""
from __future__ import annotations

import re
from itertools import repeat

from recon.model import Cell, Grid, Where
from recon.readers.decode import decode

_SPACES = re.compile(r"[ \u00a0]{2,}|\u3000+")
_ONE_SPACE = re.compile(r"[ \u00a0\u3000]+")
_LINE_END = re.compile(r"\r\n|\r|\n")  # only these: splitlines() would also split on \x0c, \u2028 …
_MAX_CELL_LINES = 10  # a quoted cell spans at most this many lines (a header cell spans two)


def read(data: bytes, rel: str) -> tuple[list[Grid], str]:
    """Decode, pick the delimiter, split into located rows."""
    text, encoding = decode(data, rel)
    return [Grid(tuple(_rows(text, rel)))], encoding


def _rows(text: str, rel: str):
    delimiter = _delimiter(text, comma_file=rel.lower().endswith(".csv"))
    if delimiter is None:
        yield from _space_rows(text, rel)
        return
    for start, fields in records(_LINE_END.split(text), delimiter):
        yield tuple(map(Cell, fields, repeat(Where(rel, start))))  # every cell where its record starts


def _delimiter(text: str, comma_file: bool) -> str | None:
    """Tab wherever there is one (a paste from the browser, Excel's text); comma for a .csv, or
    where the header line is comma-separated; else None: columns aligned with spaces."""
    if "\t" in text:
        return "\t"
    if comma_file:
        return ","
    header = next((line for line in _LINE_END.split(text) if "通話数" in line), "")
    return "," if "," in header else None


def records(lines: list[str], delimiter: str):
    """(line number where the record starts, its fields) for each record of the lines."""
    i = 0
    while i < len(lines):
        line = lines[i]
        if '"' not in line:
            yield i + 1, line.split(delimiter)
            i += 1
        else:
            fields, following = _quoted_record(lines, i, delimiter)
            yield i + 1, fields
            i = following


def _quoted_record(lines: list[str], i: int, delimiter: str) -> tuple[list[str], int]:
    """The fields of the record starting on line i, and the index of the line after it."""
    fields, line, pos = [], lines[i], 0
    while True:
        opening = _after_spaces(line, pos)  # `a, "10,240"`: some writers put a space before the quote
        if line.startswith('"', opening):
            closed = _quoted_field(lines, i, opening + 1, delimiter)
            if closed is not None:
                value, i, pos = closed
                fields.append(value)
                line = lines[i]
                if pos >= len(line):
                    return fields, i + 1
                pos += 1  # past the delimiter
                continue
        end = line.find(delimiter, pos)
        if end < 0:
            fields.append(line[pos:])
            return fields, i + 1
        fields.append(line[pos:end])
        pos = end + 1


def _quoted_field(lines: list[str], i: int, pos: int, delimiter: str) -> tuple[str, int, int] | None:
    """A quoted cell opened just before lines[i][pos]: (its text, the line and position just after
    its closing quote), or None when the quote closes no cell (then it is a character of the cell)."""
    pieces, first, line = [], i, lines[i]
    while True:
        q = line.find('"', pos)
        if q < 0:
            pieces.append(line[pos:] + "\n")
            i, pos = i + 1, 0
            if i >= len(lines) or i - first >= _MAX_CELL_LINES:
                return None
            line = lines[i]
            continue
        if line.startswith('"', q + 1):  # a doubled quote is one quote of the text
            pieces.append(line[pos:q + 1])
            pos = q + 2
            continue
        pieces.append(line[pos:q])
        end = _after_spaces(line, q + 1) if delimiter != " " else q + 1
        if end < len(line) and line[end] != delimiter:
            return None
        value = "".join(pieces)
        if i > first and delimiter in value:
            return None
        return value, i, end


def _after_spaces(line: str, pos: int) -> int:
    while pos < len(line) and line[pos] == " ":
        pos += 1
    return pos


def _space_rows(text: str, rel: str):
    """Columns separated by runs of spaces (or an ideographic space); where no line has such a
    run, by single spaces. Either way a value never holds a space: `1,096` and `28:49:53.5` don't."""
    lines = _LINE_END.split(text)
    split = _SPACES if any(_SPACES.search(line.strip()) for line in lines) else _ONE_SPACE
    for number, line in enumerate(lines, start=1):
        where = Where(rel, line=number)
        yield tuple([Cell(value, where) for value in split.split(line.strip()) if value != ""])
