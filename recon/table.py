"""Find the detail table in a Grid by its header words, and read each row by the shape of its values.

The seed's 合計 row is shifted one column right, so a value's meaning comes from what it looks like:
in a row the values come as count, time, charge; the `h:mm:ss.f` duration is the time, the number
before it the count, the number after it the charge. Only a row without a duration falls back on
the header's columns.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal

import msgspec
from msgspec import Struct

from recon import labels, months
from recon.errors import ReconError
from recon.model import Cell, DetailTable, DiscountRow, Duration, Figures, Grid, Message, TypeRow, Uncalculated, Where
from recon.values import (
    ValueShapeError,
    as_duration,
    clean,
    looks_like_duration,
    looks_like_number,
    parse_count,
    parse_yen,
    plain_shape,
    plain_value,
    shown,
)

# What text cells looked like and read as: the same labels recur in every table, and a figure in
# the rows and columns of one (a count under its header, then as a number). Emptied when full.
_MEMO_SIZE = 65536
_SHAPES: dict[str, str | None] = {}
_PARSED: dict[str, dict[str, int]] = {"count": {}, "duration": {}, "yen": {}}  # expected → text → value
_UNKNOWN = "unknown"  # not looked at yet: no shape _SHAPES holds
_TITLE_ROWS_ABOVE = 3  # how far above the header the title lines (with the month) may stand
# A header cell's units, on a row of their own under the labels (a `<br>` in the page's header cell,
# a rowspan, Excel splitting a pasted cell at its line break): (時:分:秒), (円・税別), 円, (件) …
_UNITS = re.compile(r"^\(.*\)$|^\[.*\]$|^(?:単位:?|※)?[時間分秒円税別込抜件回・:/、,.hms]+$", re.IGNORECASE)


class _Header(Struct, frozen=True):
    row: int
    columns: dict[str, int]  # "label", "count", "time", "charge" → column index
    width: int
    where: Where
    first_value_column: int  # the leftmost of the count, time and charge columns
    translated: bool = False  # labelled in a browser's English translation of OCN's words

    def expected_at(self, column: int) -> str:
        for key, expected in (("count", "count"), ("time", "duration"), ("charge", "yen")):
            if self.columns[key] == column:
                return expected
        return "one_value"


def find_tables(grid: Grid) -> list[DetailTable]:
    """Every detail table in a grid, in order; empty when the grid holds none."""
    grid = _without_frame(grid)
    tables, start = [], 0
    for index, row in enumerate(grid.rows):
        if index < start or not (_mentions_tsu(row) or _mentions_call(row)):
            continue  # every header word holds 通 (call, translated): most rows end here
        header = _header(row, index) or _split_header(grid, index) or _translated_header(row, index)
        if header is None:
            continue
        (rows, stated, total_where, discount, notes), end = _read_table(grid, header)
        month = _month_above(grid.rows[start:index]) or _labelled_above(grid.above)
        tables.append(DetailTable(rows, stated, total_where, discount, header.where, month, notes))
        start = end
    return tables


_LETTERS = tuple(chr(c) for c in range(ord("A"), ord("Z") + 1))


def _without_frame(grid: Grid) -> Grid:
    """The grid without a spreadsheet's frame around it: Google Sheets' page (「ダウンロード → ウェブ
    ページ」, 「ウェブに公開」) numbers each row in a first column and heads the columns with their
    letters, and a page opened in Excel keeps them as cells. From its row of column letters (or
    the top), a first column counts as the frame when every row that holds something is numbered
    there in rising order; then it is left out, and the table read as the sheet shows it. What a
    page says above the frame (its title) stays as it is."""
    rows = grid.rows
    top, seen = None, 0
    for index, row in enumerate(rows):
        if row and _filled_cells(row):
            if _column_letters(row):
                top = index + 1
                break
            if not seen and _row_number(row[0].value) is not None:
                top = 0  # numbered from its first row: a frame without its letters
                break
            seen += 1
            if seen > _TITLE_ROWS_ABOVE:
                break
    if top is None:
        return grid  # most grids end here: a title or a header in the first column
    last, numbered = 0, 0
    for row in rows[top:]:
        if not (row and _filled_cells(row)):
            continue
        number = _row_number(row[0].value)
        if number is None or number <= last:
            return grid
        last, numbered = number, numbered + 1
    if numbered < 2:
        return grid
    letters = {c: text for c, cell in enumerate(rows[top - 1]) if (text := _text(cell))} if top else {}
    return Grid(rows[:top] + tuple(_in_frame(row, letters) for row in rows[top:]), grid.name)


def _in_frame(row: tuple[Cell, ...], letters: dict[int, str]) -> tuple[Cell, ...]:
    """A row of a page's frame without its number, each cell of a page's table placed as the frame
    shows it (`C14`: its column's letter, its row's number), where the person will look for it."""
    number = _row_number(row[0].value) if row else None
    if number is None or not letters or row[0].where.table is None:
        return row[1:]
    return tuple(Cell(cell.value, msgspec.structs.replace(cell.where, cell=f"{letters[c]}{number}"))
                 if c in letters else cell for c, cell in enumerate(row) if c)


def _row_number(value) -> int | None:
    """A row number in the frame's first column: a whole number, as text or typed."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value > 0 else None
    if isinstance(value, str):
        text = clean(value)
        return int(text) if text.isascii() and text.isdigit() and text[0] != "0" else None
    return None


def _column_letters(row: tuple[Cell, ...]) -> bool:
    """True for the frame's row of column letters: A, B, C … in order (blanks between, where a
    frozen column's handle stands), the first cell (the frame's corner) blank."""
    if _text(row[0]):
        return False
    letters = [text for cell in row[1:] if (text := _text(cell))]
    return len(letters) >= 2 and tuple(letters) == _LETTERS[:len(letters)]


def _text(cell: Cell) -> str:
    return clean(cell.value) if isinstance(cell.value, str) else ""


def _mentions_tsu(row: tuple[Cell, ...]) -> bool:
    """True when a text cell holds 通, as every header word (and every call type) does."""
    for cell in row:
        value = cell.value
        if isinstance(value, str) and "通" in value:
            return True
    return False


def _mentions_call(row: tuple[Cell, ...]) -> bool:
    """True when a text cell holds "call" in any case, as a translated header does."""
    for cell in row:
        value = cell.value
        if isinstance(value, str) and ("all" in value or "ALL" in value):
            return True
    return False


def _translated_header(row: tuple[Cell, ...], index: int) -> _Header | None:
    """A header in a browser's English translation (Call type, Number of calls, Call time, Call
    charges): read as OCN's, its rows by the translations of OCN's labels."""
    columns = {}
    for c, cell in enumerate(row):
        if isinstance(cell.value, str):
            key = labels.translated_key(cell.value)
            for name, words in labels.TRANSLATED_HEADER_WORDS.items():
                if key in words and name not in columns:
                    columns[name] = c
                    break
    if not {"count", "time", "charge"} <= columns.keys():
        return None
    columns.setdefault("label", min(columns.values()) - 1)
    width = max(c for c, cell in enumerate(row) if _text(cell)) + 1
    first_value_column = min(columns["count"], columns["time"], columns["charge"])
    return _Header(index, columns, width, row[columns["count"]].where, first_value_column, translated=True)


def _opens_header(row: tuple[Cell, ...]) -> bool:
    """True when a text cell starts with 通, as every header word does (NFKC leaves kanji alone)."""
    for cell in row:
        value = cell.value
        if isinstance(value, str) and "通" in value and clean(value).startswith("通"):
            return True
    return False


def _header(row: tuple[Cell, ...], index: int) -> _Header | None:
    if not _opens_header(row):
        return None  # most rows end here
    columns = {}
    for c, cell in enumerate(row):
        if isinstance(cell.value, str):
            for key in _header_keys(cell.value):
                if key not in columns:
                    columns[key] = c
    if not {"count", "time", "charge"} <= columns.keys():
        return None
    columns.setdefault("label", min(columns.values()) - 1)
    width = max(c for c, cell in enumerate(row) if _text(cell)) + 1
    first_value_column = min(columns["count"], columns["time"], columns["charge"])
    return _Header(index, columns, width, row[columns["count"]].where, first_value_column)


@functools.lru_cache(maxsize=4096)  # the header's cells are the same in every file
def _header_keys(value: str) -> tuple[str, ...]:
    """The keys of labels.HEADER_WORDS whose word a text cell starts with."""
    text = clean(value).replace(" ", "")
    return tuple(key for key, word in labels.HEADER_WORDS.items() if text.startswith(word))


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


def _header_rest(filled: list[tuple[int, Cell]], translated: bool = False) -> bool:
    """True for a row under the header whose filled cells hold only its labels or units (no value,
    no call type)."""
    return bool(filled) and all(isinstance(cell.value, str) and (_labels_or_units(cell.value) or (
        translated and labels.translated_key(cell.value) in labels.TRANSLATED_HEADER_LABELS)) for _, cell in filled)


@functools.lru_cache(maxsize=4096)  # the same few words under every header
def _labels_or_units(value: str) -> bool:
    text = clean(value).replace(" ", "")
    return bool(_UNITS.match(text) or text in labels.HEADER_LABELS
                or any(text.startswith(word) for word in labels.HEADER_WORDS.values()))


def _read_table(grid: Grid, header: _Header):
    """The table under a header: ((its type rows, stated total, where the total is, discount row),
    the index of the grid row after it).

    The table ends where its rows end (SPEC §1: titles and notes around it). A row is the table's
    when it says so: a label the table uses (a call type OCN lists, 合計, 着割), or figures under the
    call-type rows. A row of text alone, or of figures without a duration under an unknown label
    once a blank row or the 合計 or 着割 row has passed, is a note around the table, and the table
    ends above it; unless a row with the table's labels comes after it (a call type, or a 合計 or
    着割 row the table does not have yet): then it stands inside the table, where it is a damaged
    row (an error at its cell), never the quiet end of the table."""
    rows: list[TypeRow] = []
    type_ids: dict[str, Where] = {}
    total, total_where, discount, notes = None, None, None, []
    end = len(grid.rows)
    closed = False  # a blank row, the 合計 or the 着割 row has passed: figures alone no longer say "table"
    below: list[tuple[int, str]] | None = None  # (index, kind) of the rows with the table's labels below
    for index in range(header.row + 1, len(grid.rows)):
        row = grid.rows[index]
        filled = _filled_cells(row)
        if not filled:
            closed = closed or bool(rows) or total is not None or discount is not None
            continue
        if _opens_header(row) and _header(row, index) is not None:
            end = index
            break
        if not rows and total is None and discount is None and _header_rest(filled, header.translated):
            continue
        kind, figures, duration = _signs(filled, header)
        if kind is None and (not figures or (closed and not duration)):
            if below is None:
                below = _labelled_rows(grid, index + 1, header)
            if not any(i > index and (k == "type" or (k == "total" and total is None)
                                      or (k == "discount" and discount is None)) for i, k in below):
                end = index  # a note around the table: the table ended above it
                break
        kind, label, figures, where = _read_row(filled, header)
        if len(figures) > 3:  # formulas never calculated in a stated row: absent, and said so
            figures, formula = figures[:3], figures[3]
            notes.append(Message.of("stated_uncalculated", where=formula.where, row=label,
                                    formula=_shown(formula.value)))
        if kind == "total":
            total, total_where = Figures(*figures), where
            closed = True
        elif kind == "discount":
            count, tenths, stated = figures
            discount = DiscountRow(count, tenths, stated, where)
            closed = True
        else:
            rows.append(_type_row(label, figures, where, type_ids, header.translated, filled))
    if not rows:
        raise ReconError(header.where, "type_rows", None)
    stated = total if total is not None else Figures()
    if header.translated:
        notes.insert(0, Message.of("translated_labels", where=header.where))
    return (tuple(rows), stated, total_where, discount, tuple(notes)), end


_FIGURE_SHAPES = ("number", "duration", "formula")


def _signs(filled: list[tuple[int, Cell]], header: _Header) -> tuple[str | None, bool, bool]:
    """What says a row is the table's, read as _split_row reads it but never raising: the kind its
    label names (type, total, discount; None for a label the table does not use, or none), whether
    it holds a figure (a number, a duration, a formula) and whether one is a duration."""
    first, width = header.first_value_column, header.width
    words: list[str] = []
    figures = duration = False
    for c, cell in filled:
        value = cell.value
        shape = _text_shape(value) if isinstance(value, str) else _value_shape(value)
        if shape is None and type(value) is Uncalculated:
            shape = "formula"
        if shape in _FIGURE_SHAPES:
            figures = True
            duration = duration or shape == "duration"
        elif c < first and c < width and isinstance(value, str) and not figures:
            words.append(_text(cell))
    label = words[-1] if words else ""
    if not label:
        return None, figures, duration
    kind = _translated_kind(label, words) if header.translated else _kind(label, "着割" in words)
    return kind, figures, duration


def _labelled_rows(grid: Grid, start: int, header: _Header) -> list[tuple[int, str]]:
    """(index, kind) of each row from `start` to the next header (or the grid's end) whose label is
    one the table uses: a call type, 合計 or 着割."""
    found = []
    for index in range(start, len(grid.rows)):
        row = grid.rows[index]
        filled = _filled_cells(row)
        if not filled:
            continue
        if _opens_header(row) and _header(row, index) is not None:
            break
        kind = _signs(filled, header)[0]
        if kind is not None:
            found.append((index, kind))
    return found


def _filled_cells(row: tuple[Cell, ...]) -> list[tuple[int, Cell]]:
    """(column, cell) for the cells of a row that hold something: a value, or text that is more
    than markup and white space."""
    return [(c, cell) for c, cell in enumerate(row)
            if (value := cell.value) is not None and (not isinstance(value, str) or clean(value))]


_type_id = functools.lru_cache(maxsize=1024)(labels.type_id_for)  # the same few labels in every table


def _type_row(label: str, figures: tuple, where: Where, seen: dict[str, Where], translated: bool,
              filled: list[tuple[int, Cell]]) -> TypeRow:
    """A call-type row; `seen` holds the type ids of the table's rows so far (and where each is),
    and gets this one's. In a translated table a label must be a known translation of one of OCN's
    types. A row without one of its figures is an error that quotes the row as written (`filled`)."""
    type_id = _translated_type(label, where) if translated else _type_id(label)
    if type_id in seen:
        raise ReconError(where, "label_once", label, first=seen[type_id])
    count, tenths, charge = figures
    if count is None or tenths is None or charge is None:
        missing = [name for name, value in (("count", count), ("tenths", tenths), ("yen", charge)) if value is None]
        if len(missing) == 3:
            raise ReconError(where, "row_values", _written(filled, label))
        raise ReconError(where, "row_values_missing", _written(filled, label), missing=tuple(missing))
    seen[type_id] = where
    if translated:  # the row is OCN's, whatever the translator made of its label
        label = labels.CALL_TYPES[type_id][0]
    return TypeRow(type_id, label, count, tenths, charge, where)


def _translated_type(label: str, where: Where) -> str:
    key = labels.translated_key(label)
    found = next((type_id for type_id, words in labels.TRANSLATED_TYPES.items() if key in words), None)
    if found is None:
        raise ReconError(where, "label_translated", label)
    return found


def _read_row(filled: list[tuple[int, Cell]], header: _Header):
    """A table row's filled cells → (kind, label, figures, where).

    Cells left of the first value column hold the label (the last text there is the call type, an
    earlier one the section, 通話 or 着割); cells from it on hold values. A row without a figure is
    a damaged row of its label (its figures missing, an error where the call-type row is made), or,
    without a label, an error at its first cell.
    """
    labels_part, values = _split_row(filled, header)
    words = [_text(cell) for _, cell in labels_part]
    label = words[-1] if words else ""
    kind = _translated_kind(label, words) if header.translated else _kind(label, "着割" in words)
    if labels_part and (not values or all(shape == "formula" for _, _, shape in values)):  # no figure written
        figures = _figures(values, header, kind or "type") if values else _NO_FIGURES
        return kind or "type", label, figures, labels_part[-1][1].where
    where = values[0][1].where
    if not label:
        raise ReconError(where, "label", _shown(values[0][1].value))
    return kind or "type", label, _figures(values, header, kind or "type"), where


def _split_row(filled: list[tuple[int, Cell]], header: _Header):
    """Label cells (column, cell), then value cells (column, cell, its shape: "duration", "number"
    or None). Left of the header's first value column a cell is a label unless it looks like a
    value (a row pasted without its empty 明細 cell is shifted left); from that column on every
    cell is a value, so a mistyped one is an error there, not a label."""
    labels_part, values = [], []
    first, width = header.first_value_column, header.width
    for c, cell in filled:
        value = cell.value
        if isinstance(value, str):
            shape = _SHAPES.get(value, _UNKNOWN)
            if shape == _UNKNOWN:
                shape = _text_shape(value)
        else:
            shape = _value_shape(value)
        if shape is None and type(value) is Uncalculated:
            shape = "formula"
        if c >= width and shape is None:
            continue  # right of the table, only a value counts (a shifted row's last); text is a note
        if c >= first or shape is not None:
            values.append((c, cell, shape))
        elif values:
            raise ReconError(cell.where, header.expected_at(c), _shown(cell.value))
        elif not isinstance(cell.value, str):
            raise ReconError(cell.where, "label", _shown(cell.value))
        else:
            labels_part.append((c, cell))
    return labels_part, values


def _value_shape(v) -> str | None:
    """What a cell's value looks like: "duration", "number", or None (a label, a note, a date)."""
    if isinstance(v, str):
        return _text_shape(v)
    if isinstance(v, Duration):
        return "duration"
    return "number" if isinstance(v, (int, Decimal)) else None


def _text_shape(text: str) -> str | None:
    """What a text cell looks like: "duration", "number", or None (a label, a note)."""
    shape = _SHAPES.get(text, _UNKNOWN)
    if shape == _UNKNOWN:
        if len(_SHAPES) >= _MEMO_SIZE:
            _SHAPES.clear()
        shape = _SHAPES[text] = plain_shape(text) or _general_shape(text)
    return shape


def _general_shape(text: str) -> str | None:
    if looks_like_duration(text):
        return "duration"
    return "number" if looks_like_number(text) else None


@functools.lru_cache(maxsize=1024)
def _kind(label: str, discount_section: bool) -> str | None:
    key = label.replace(" ", "")
    if key in labels.TOTAL_WORDS:
        return "total"
    if key in labels.DISCOUNT_WORDS or discount_section:
        return "discount"
    if not _type_id(label).startswith("other:"):
        return "type"
    return None


def _translated_kind(label: str, words: list[str]) -> str | None:
    key = labels.translated_key(label)
    if key in labels.TRANSLATED_TOTAL_WORDS:
        return "total"
    if any(w in labels.translated_key(word) for word in words for w in labels.TRANSLATED_DISCOUNT_WORDS):
        return "discount"
    if any(key in words_ for words_ in labels.TRANSLATED_TYPES.values()):
        return "type"
    return None


_NO_FIGURES = (None, None, None)


def _figures(shapes: list[tuple[int, Cell, str | None]], header: _Header, kind: str) -> tuple:
    """(count, tenths, charge) from a row's value cells, None where absent: by shape where a
    duration shows the order. A formula never calculated has no value: in a call-type row, or
    for the 着割 row's time (which the discount is worked out from), it is an error at its cell; a
    stated figure of the 合計 or 着割 row it stands for is absent, and the first such cell follows
    the three figures (for the note that says so)."""
    formulas = [(c, cell) for c, cell, shape in shapes if shape == "formula"]
    if formulas:
        for c, cell in formulas:
            if kind == "type" or (kind == "discount" and header.expected_at(c) == "duration"):
                raise ReconError(cell.where, "calculated", _shown(cell.value))
        rest = [entry for entry in shapes if entry[2] != "formula"]
        return (*_figures(rest, header, kind), formulas[0][1]) if rest else (*_NO_FIGURES, formulas[0][1])
    for c, cell, shape in shapes:
        if shape is None:
            raise ReconError(cell.where, header.expected_at(c), _shown(cell.value))
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
        return count, _parse(shapes[i][1], "duration"), charge
    found = {}
    for c, cell, _ in shapes:
        expected = header.expected_at(c)
        if expected == "one_value":
            raise ReconError(cell.where, "one_value", _shown(cell.value))
        found[expected] = _parse(cell, expected)
    return found.get("count"), found.get("duration"), found.get("yen")


def _parse(cell: Cell, expected: str) -> int:
    v = cell.value
    try:
        if isinstance(v, str):
            return _parsed_text(v, expected)
        if expected == "duration":
            return _tenths(v)
        if isinstance(v, (Decimal, Duration)):
            raise ValueShapeError(expected)
        if isinstance(v, int):
            if expected == "count" and v < 0:
                raise ValueShapeError(expected)
            return v
        raise ValueShapeError(expected)  # a date or an empty cell is no figure
    except ValueShapeError as e:
        raise ReconError(cell.where, str(e), _shown(v)) from None


def _parsed_text(text: str, expected: str) -> int:
    """A text cell read as `expected` ("count", "duration" in tenths, "yen"); ValueShapeError."""
    memo = _PARSED[expected]
    value = memo.get(text)
    if value is None:
        value = plain_value(text, expected)
        if value is None:
            value = _general_value(text, expected)
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        memo[text] = value
    return value


def _general_value(text: str, expected: str) -> int:
    if expected == "duration":
        return _tenths(text)
    return parse_count(text) if expected == "count" else parse_yen(text)


def _tenths(value: object) -> int:
    """A time cell (a Duration or text) → tenths of a second; a call time is never negative."""
    tenths = as_duration(value).tenths
    if tenths < 0:
        raise ValueShapeError("duration")
    return tenths


def _written(filled: list[tuple[int, Cell]], label: str = "") -> str:
    """A row's cells as written from its call-type label on (the section word before it, 通話,
    left out), one space between, for a message that quotes the row."""
    start = next((i for i, (_, cell) in enumerate(filled) if isinstance(cell.value, str) and _text(cell) == label), 0)
    return " ".join(_shown(cell.value) for _, cell in filled[start:])


def _shown(value) -> str:
    """A cell's value as a message quotes it, with what a person cannot see escaped."""
    if isinstance(value, Duration):
        from recon.values import format_duration

        return format_duration(value.tenths)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return shown(str(value))


# Title lines and month labels recur from month to month.
_month_in_text = functools.lru_cache(maxsize=4096)(months.month_in_text)
_is_month_label = functools.lru_cache(maxsize=4096)(months.is_month_label)


def _month_above(rows: tuple[tuple[Cell, ...], ...]) -> str | None:
    """The usage month written above a table: a 利用月 label, else the title lines just above it."""
    for row in rows:
        month = _labelled_month(row)
        if month:
            return month
    title: list[tuple[Cell, ...]] = []
    for row in reversed(rows):
        if len(title) == _TITLE_ROWS_ABOVE:
            break
        if _filled_cells(row):
            title.insert(0, row)
    for row in title:
        for cell in row:
            if isinstance(cell.value, str):
                month = _month_in_text(clean(cell.value))
                if month:
                    return month
    return None


def _labelled_above(rows: tuple[tuple[Cell, ...], ...]) -> str | None:
    """The month a page labels above the text just over its table (利用月 in an earlier table)."""
    return next((month for row in rows if (month := _labelled_month(row))), None)


def _labelled_month(row: tuple[Cell, ...]) -> str | None:
    for i, cell in enumerate(row):
        if not (isinstance(cell.value, str) and _is_month_label(cell.value)):
            continue
        month = _month_in_text(clean(cell.value))
        if month:
            return month
        for later in row[i + 1:]:
            if isinstance(later.value, dt.datetime):
                return months.month_of_date(later.value)
            if isinstance(later.value, str) and later.value.strip():
                return _month_in_text(clean(later.value))
    return None
