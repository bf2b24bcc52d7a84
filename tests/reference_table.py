"""Recognising a detail table as recon first wrote it: every cell cleaned, shaped and parsed through
the general readers of recon.values, each time it is asked. The reference recon/table.py (which
asks once per row and reads plain figures directly) is compared with, on every sample and on
generated grids (tests/test_table_reference.py). Kept unchanged, so that a difference is the new
code's."""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from recon import labels, months
from recon.errors import ReconError
from recon.model import Cell, DetailTable, DiscountRow, Duration, Figures, Grid, TypeRow, Where
from recon.values import (ValueShapeError, as_duration, clean, looks_like_duration, looks_like_number,
                          parse_count, parse_yen, shown)

_TITLE_ROWS_ABOVE = 3  # how far above the header the title lines (with the month) may stand
# A header cell's units, on a row of their own under the labels (a `<br>` in the page's header cell,
# a rowspan, Excel splitting a pasted cell at its line break): (時:分:秒), (円・税別), 円, (件) …
_UNITS = re.compile(r"^\(.*\)$|^\[.*\]$|^(?:単位:?|※)?[時間分秒円税別込抜件回・:/、,.hms]+$", re.IGNORECASE)


@dataclass(frozen=True)
class _Header:
    row: int
    columns: dict[str, int]  # "label", "count", "time", "charge" → column index
    width: int
    where: Where

    @property
    def first_value_column(self) -> int:
        return min(self.columns["count"], self.columns["time"], self.columns["charge"])

    def expected_at(self, column: int) -> str:
        for key, expected in (("count", "count"), ("time", "duration"), ("charge", "yen")):
            if self.columns[key] == column:
                return expected
        return "one_value"


def find_tables(grid: Grid) -> list[DetailTable]:
    """Every detail table in a grid, in order; empty when the grid holds none."""
    tables, start = [], 0
    for index, row in enumerate(grid.rows):
        if index < start:
            continue
        header = _header(row, index) or _split_header(grid, index)
        if header is None:
            continue
        table, end = _read_table(grid, header)
        month = _month_above(grid.rows[start:index])
        tables.append(DetailTable(table.rows, table.stated_total, table.total_where, table.discount,
                                  table.where, month))
        start = end
    return tables


def _text(cell: Cell) -> str:
    return clean(cell.value) if isinstance(cell.value, str) else ""


def _header(row: tuple[Cell, ...], index: int) -> _Header | None:
    if not any(isinstance(cell.value, str) and "通" in cell.value and _text(cell).startswith("通") for cell in row):
        return None  # every header word starts with 通 (NFKC leaves kanji alone): every other row ends here
    columns = {}
    for c, cell in enumerate(row):
        text = _text(cell).replace(" ", "")
        for key, word in labels.HEADER_WORDS.items():
            if text.startswith(word) and key not in columns:
                columns[key] = c
    if not {"count", "time", "charge"} <= columns.keys():
        return None
    columns.setdefault("label", min(columns.values()) - 1)
    width = max(c for c, cell in enumerate(row) if _text(cell)) + 1
    return _Header(index, columns, width, row[columns["count"]].where)


def _split_header(grid: Grid, index: int) -> _Header | None:
    """A header whose cells are split over this row and the next (`通話` above `時間 (時:分:秒)`, as
    Excel splits a pasted cell at its line break): the two rows read as one, column by column."""
    row = grid.rows[index]
    if index + 1 >= len(grid.rows) or not any(_starts_a_header_word(c) for c in row):
        return None  # a call-type row (一般通話 …) starts no header word: most rows end here
    below = grid.rows[index + 1]
    width = max(len(row), len(below))
    joined = tuple(Cell(_text_at(row, c) + _text_at(below, c), (row[c] if c < len(row) else below[c]).where)
                   for c in range(width))
    header = _header(joined, index + 1)
    if header is None or _header(below, index + 1) is not None:
        return None
    return header


def _starts_a_header_word(cell: Cell) -> bool:
    if not (isinstance(cell.value, str) and "通" in cell.value):
        return False
    text = _text(cell).replace(" ", "")
    return any(word.startswith(text) for word in labels.HEADER_WORDS.values())


def _text_at(row: tuple[Cell, ...], column: int) -> str:
    return _text(row[column]) if column < len(row) else ""


def _header_rest(row: tuple[Cell, ...]) -> bool:
    """True for a row under the header that holds only its labels or units (no value, no call type)."""
    texts = [_text(cell).replace(" ", "") for cell in row if _filled(cell)]
    return bool(texts) and all(isinstance(cell.value, str) for cell in row if _filled(cell)) and all(
        _UNITS.match(text) or text in labels.HEADER_LABELS
        or any(text.startswith(word) for word in labels.HEADER_WORDS.values()) for text in texts)


def _read_table(grid: Grid, header: _Header) -> tuple[DetailTable, int]:
    rows: list[TypeRow] = []
    total, total_where, discount = None, None, None
    end = len(grid.rows)
    for index in range(header.row + 1, len(grid.rows)):
        row = grid.rows[index]
        if not any(_filled(c) for c in row):
            continue
        if _header(row, index) is not None:
            end = index
            break
        if not rows and total is None and discount is None and _header_rest(row):
            continue
        parsed = _read_row(row, header)
        if parsed is None:
            end = index
            break
        kind, label, figures, where = parsed
        if kind == "total":
            total, total_where = figures, where
        elif kind == "discount":
            discount = DiscountRow(figures.count, figures.tenths, figures.charge, where)
        else:
            rows.append(_type_row(label, figures, where, rows))
    if not rows:
        raise ReconError(header.where, "row_values", "no call-type rows under the header")
    stated = total if total is not None else Figures()
    return DetailTable(tuple(rows), stated, total_where, discount, header.where), end


def _filled(cell: Cell) -> bool:
    return cell.value is not None and (not isinstance(cell.value, str) or bool(clean(cell.value)))


def _type_row(label: str, figures: Figures, where: Where, seen: list[TypeRow]) -> TypeRow:
    type_id = labels.type_id_for(label)
    if any(r.type_id == type_id for r in seen):
        raise ReconError(where, "label", f"{label} (a second row for it)")
    missing = [name for name, value in (("count", figures.count), ("time", figures.tenths),
                                        ("charge", figures.charge)) if value is None]
    if missing:
        raise ReconError(where, "row_values", f"{label} without {', '.join(missing)}")
    return TypeRow(type_id, label, figures.count, figures.tenths, figures.charge, where)


def _read_row(row: tuple[Cell, ...], header: _Header):
    """A table row → (kind, label, figures, where), or None when the row is not part of the table.

    Cells left of the first value column hold the label (the last text there is the call type, an
    earlier one the section, 通話 or 着割); cells from it on hold values.
    """
    labels_part, values = _split_row(row, header)
    words = [_text(cell) for _, cell in labels_part]
    label = words[-1] if words else ""
    kind = _kind(label, set(words))
    if not values:
        # a call-type label alone in its column is a damaged row; a note or a title ends the table
        alone_in_type_column = [c for c, _ in labels_part] == [header.columns["label"]]
        if kind is None and not alone_in_type_column:
            return None
        return kind or "type", label, Figures(), labels_part[-1][1].where
    where = values[0][1].where
    if not label:
        raise ReconError(where, "label", _shown(values[0][1].value))
    return kind or "type", label, _figures(values, header), where


def _split_row(row: tuple[Cell, ...], header: _Header) -> tuple[list[tuple[int, Cell]], list[tuple[int, Cell]]]:
    """Label cells, then value cells. Left of the header's first value column a cell is a label
    unless it looks like a value (a row pasted without its empty 明細 cell is shifted left); from
    that column on every cell is a value, so a mistyped one is an error there, not a label."""
    labels_part, values = [], []
    for c, cell in enumerate(row):
        if not _filled(cell) or (c >= header.width and not _looks_like_value(cell)):
            continue  # right of the table, only a value counts (a shifted row's last); text is a note
        if c >= header.first_value_column or _looks_like_value(cell):
            values.append((c, cell))
        elif values:
            raise ReconError(cell.where, header.expected_at(c), _shown(cell.value))
        elif not isinstance(cell.value, str):
            raise ReconError(cell.where, "label", _shown(cell.value))
        else:
            labels_part.append((c, cell))
    return labels_part, values


def _looks_like_value(cell: Cell) -> bool:
    v = cell.value
    if isinstance(v, (Duration, int, Decimal)):
        return True
    return isinstance(v, str) and _text_shape(v) is not None


@functools.lru_cache(maxsize=4096)  # the same figures and labels recur in every month's table
def _text_shape(text: str) -> str | None:
    """What a text cell looks like: "duration", "number", or None (a label, a note)."""
    if looks_like_duration(text):
        return "duration"
    return "number" if looks_like_number(text) else None


def _kind(label: str, words: set[str]) -> str | None:
    key = label.replace(" ", "")
    if key in labels.TOTAL_WORDS:
        return "total"
    if key in labels.DISCOUNT_WORDS or "着割" in words:
        return "discount"
    if not labels.type_id_for(label).startswith("other:"):
        return "type"
    return None


def _figures(values: list[tuple[int, Cell]], header: _Header) -> Figures:
    """Count, time and charge from a row's value cells: by shape where a duration shows the order."""
    shapes = [(c, cell, _shape(cell, header, c)) for c, cell in values]
    durations = [i for i, (_, _, shape) in enumerate(shapes) if shape == "duration"]
    if len(durations) > 1:
        c, cell, _ = shapes[durations[1]]
        raise ReconError(cell.where, "one_value", _shown(cell.value))
    if durations:
        i = durations[0]
        before, after = shapes[:i], shapes[i + 1:]
        extra = before[:-1] + after[1:]
        if extra:
            raise ReconError(extra[0][1].where, "one_value", _shown(extra[0][1].value))
        count = _parse(before[0][1], "count") if before else None
        charge = _parse(after[0][1], "yen") if after else None
        return Figures(count, _parse(shapes[i][1], "duration"), charge)
    found = {}
    for c, cell, _ in shapes:
        expected = header.expected_at(c)
        if expected == "one_value":
            raise ReconError(cell.where, "one_value", _shown(cell.value))
        found[expected] = _parse(cell, expected)
    return Figures(found.get("count"), found.get("duration"), found.get("yen"))


def _shape(cell: Cell, header: _Header, column: int) -> str:
    v = cell.value
    if isinstance(v, Duration):
        return "duration"
    if isinstance(v, (int, Decimal)):
        return "number"
    if isinstance(v, str):
        shape = _text_shape(v)
        if shape is not None:
            return shape
    raise ReconError(cell.where, header.expected_at(column), _shown(v))


def _parse(cell: Cell, expected: str) -> int:
    v = cell.value
    try:
        if isinstance(v, str):
            return _parsed_text(v, expected)
        if expected == "duration":
            tenths = as_duration(v).tenths
            if tenths < 0:
                raise ValueShapeError(expected)
            return tenths
        if isinstance(v, Decimal) or isinstance(v, Duration):
            raise ValueShapeError(expected)
        if isinstance(v, int):
            if expected == "count" and v < 0:
                raise ValueShapeError(expected)
            return v
        return parse_count(v) if expected == "count" else parse_yen(v)
    except ValueShapeError as e:
        raise ReconError(cell.where, str(e), _shown(v)) from None


@functools.lru_cache(maxsize=4096)
def _parsed_text(text: str, expected: str) -> int:
    """A text cell read as `expected` ("count", "duration" in tenths, "yen"); ValueShapeError."""
    if expected == "duration":
        tenths = as_duration(text).tenths
        if tenths < 0:
            raise ValueShapeError(expected)
        return tenths
    return parse_count(text) if expected == "count" else parse_yen(text)


def _shown(value) -> str:
    """A cell's value as a message quotes it, with what a person cannot see escaped."""
    if isinstance(value, Duration):
        from recon.values import format_duration

        return format_duration(value.tenths)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return shown(str(value))


def _month_above(rows: tuple[tuple[Cell, ...], ...]) -> str | None:
    """The usage month written above a table: a 利用月 label, else the title lines just above it."""
    for row in rows:
        month = _labelled_month(row)
        if month:
            return month
    title = [r for r in rows if any(_filled(c) for c in r)][-_TITLE_ROWS_ABOVE:]
    for row in title:
        for cell in row:
            if isinstance(cell.value, str):
                month = months.month_in_text(clean(cell.value))
                if month:
                    return month
    return None


def _labelled_month(row: tuple[Cell, ...]) -> str | None:
    for i, cell in enumerate(row):
        if not (isinstance(cell.value, str) and months.is_month_label(cell.value)):
            continue
        month = months.month_in_text(clean(cell.value))
        if month:
            return month
        for later in row[i + 1:]:
            if isinstance(later.value, dt.datetime):
                return months.month_of_date(later.value)
            if isinstance(later.value, str) and later.value.strip():
                return months.month_in_text(clean(later.value))
    return None
