"""find_tables (with its fast paths) agrees with the reference (the cell-by-cell first version, kept
in tests/reference_table.py) on every grid: the same tables, figures and locations, or the same
error. A sample grid is also read as its cells say: no table in a grid without a call type, and
every location a table or an error names is a cell of the grid."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reference_table
from recon import labels, readers, table as table_module
from recon.errors import ReconError
from recon.model import Cell, Duration, Grid, Uncalculated, Where
from recon.table import find_tables
from recon.values import clean
from test_fuzz import FUZZ, SEED_ROWS, TABLE_WORDS, VALUE_FORMS, _cell_text, _mutated_seed

DATA = Path(__file__).parent / "data"


def _found(find, grid: Grid):
    try:
        return find(grid)
    except ReconError as e:
        return "error", _said(e), e.where, _EXPECTED_SINCE.get(e.expected, e.expected), e.found, e.params


# What recon says since the reference was written (each with tests of its own in tests/test_table.py
# and tests/test_table_bounds.py): a damaged row is quoted as written and says which figures it
# lacks, a second row for a type names the first, a header without rows says so.
_EXPECTED_SINCE = {"row_values_missing": "row_values", "label_once": "label", "type_rows": "row_values"}


def _said(error: ReconError):
    """What an error says that the reference says too: where and what was expected, and what was
    found but for what the words of a damaged row say since."""
    if error.expected in ("row_values", "type_rows", *_EXPECTED_SINCE):
        return str(error.where)
    return str(error)


def _same(grid: Grid) -> None:
    ours = _found(find_tables, grid)
    if isinstance(ours, list) and any(n.key == "translated_labels" for t in ours for n in t.notes):
        assert _found(reference_table.find_tables, grid) == []  # a browser's translation: read since (test_pages)
        return
    if isinstance(ours, list):
        ours = [msgspec.structs.replace(table, notes=()) for table in ours]
    plain = _as_the_reference_reads(grid)
    theirs = _found(reference_table.find_tables, plain)
    while isinstance(ours, list) and isinstance(theirs, tuple) and _below(theirs[2], ours):
        # a note under a table, which the reference took for a damaged row: no row of it since
        plain = _blanked(plain, theirs[2])
        theirs = _found(reference_table.find_tables, plain)
    if isinstance(ours, tuple) and isinstance(theirs, list) and _inside(ours, theirs):
        return  # a note among a table's rows, where the reference ended the table: an error there since
    if isinstance(ours, tuple) and ours[1] == str(ours[2]) and ours[3] == "row_values" and ours[4] is None \
            and isinstance(theirs, tuple) and _row_of(theirs[2]) > _row_of(ours[2]):
        return  # a header whose first row is a note: no rows, where the reference took the note for one
    if isinstance(ours, tuple) and isinstance(theirs, tuple) and ours[1] == str(ours[2]) and ours[4] is not None \
            and theirs[4] == "no call-type rows under the header" and _row_of(ours[2]) > _row_of(theirs[2]):
        return  # a note with a row of the table's labels below it: inside the table, an error at the note since
    if isinstance(ours, tuple) and isinstance(theirs, tuple) and ours[1] == str(ours[2]):
        ours, theirs = ours[2:4], theirs[2:4]  # a damaged row, quoted as written since: where and what
    assert ours == theirs


def _row_of(where: Where | None) -> int:
    if where is None:
        return 0
    if where.line is not None:
        return where.line
    return int("".join(ch for ch in where.cell or "" if ch.isdigit()) or 0)


def _last_row(tables) -> int:
    return max((_row_of(w) for t in tables for w in (*(r.where for r in t.rows), t.total_where,
                                                   t.discount.where if t.discount else None)), default=0)


def _below(where: Where | None, tables) -> bool:
    """True when the reference's error stands below every row of the tables read now."""
    return bool(tables) and where is not None and _row_of(where) > _last_row(tables)


def _inside(ours: tuple, theirs: list) -> bool:
    """True when our error is a row the reference's last table ended at, with the table's rows below
    it: a note among the rows, an error since instead of the quiet end of the table."""
    return bool(theirs) and ours[3] in ("row_values", "label") and _row_of(ours[2]) > _last_row(theirs)


def _blanked(grid: Grid, where: Where) -> Grid:
    """The grid with the row of `where` left empty."""
    row = _row_of(where)
    return Grid(tuple(tuple(Cell(None, c.where) for c in cells) if cells and _row_of(cells[0].where) == row
                      else cells for cells in grid.rows), grid.name, grid.above)


def _as_the_reference_reads(grid: Grid) -> Grid:
    """The grid with what recon has learnt to read since the reference was written, made plain for
    it (each rule has tests of its own in tests/test_table.py): a spreadsheet's frame left out, a
    formula never calculated an empty cell (absent, where the table notes it)."""
    grid = table_module._without_frame(grid)
    if not any(type(c.value) is Uncalculated for row in grid.rows for c in row):
        return grid
    return Grid(tuple(tuple(Cell(None, c.where) if type(c.value) is Uncalculated else c for c in row)
                      for row in grid.rows), grid.name)


def _sample_grids() -> list[tuple[str, Grid]]:
    grids = []
    for path in sorted(DATA.rglob("*")):
        if not path.is_file() or readers.format_of(path.suffix) is None:
            continue
        data = path.read_bytes()
        if readers.junk(data, path.suffix):
            continue
        try:
            found, _ = readers.read(data, path.name, path.suffix)
        except ReconError:
            continue
        grids += [(f"{path.relative_to(DATA)} {g.name}", g) for g in found]
    return grids


SAMPLE_GRIDS = _sample_grids()


_CALL_TYPE_WORDS = {words[0] for words in labels.CALL_TYPES.values()}


# OCN's labels as a browser's translation gives them (Mobile call …), which the reader reads too
_TRANSLATED_WORDS = {word for words in labels.TRANSLATED_TYPES.values() for word in words}


def _names_a_call_type(grid: Grid) -> bool:
    return any(isinstance(c.value, str) and (clean(c.value).replace(" ", "") in _CALL_TYPE_WORDS
                                             or labels.translated_key(c.value) in _TRANSLATED_WORDS)
               for row in grid.rows for c in row)


def test_the_samples_are_there():
    assert len(SAMPLE_GRIDS) >= 100
    found = [_found(find_tables, g) for _, g in SAMPLE_GRIDS]
    assert sum(bool(f) and f[0] != "error" for f in found) >= 50 and sum(f == [] for f in found) >= 50
    assert sum(bool(f) and f[0] == "error" for f in found) >= 2


@pytest.mark.parametrize("grid", [g for _, g in SAMPLE_GRIDS], ids=[name for name, _ in SAMPLE_GRIDS])
def test_find_tables_agrees_with_the_reference_on_every_sample_grid(grid):
    _same(grid)
    found = _found(find_tables, grid)
    # the cells as the table finder sees them: a spreadsheet's frame around the table (Google Sheets'
    # row numbers and column letters) read past, each cell then named as the spreadsheet names it
    cells = {c.where for g in (grid, table_module._without_frame(grid)) for row in g.rows for c in row}
    if not _names_a_call_type(grid):
        assert found == []
    elif found and found[0] == "error":
        assert found[2] in cells
    for table in found if found and found[0] != "error" else ():
        assert table.rows and table.where in cells
        assert {row.where for row in table.rows} <= cells
        assert table.total_where is None or table.total_where in cells
        assert table.discount is None or table.discount.where in cells


def _grid(rows: list[list[object]]) -> Grid:
    return Grid(tuple(tuple(Cell(v, Where("x.xlsx", sheet="S", cell=f"{chr(65 + c)}{r}")) for c, v in enumerate(row))
                      for r, row in enumerate(rows, start=1)))


# What a workbook reader puts in a cell besides text: ints, exact decimals, typed durations, dates.
_typed = st.one_of(st.none(), st.integers(-10**7, 10**7), st.decimals(-10**6, 10**6, places=2, allow_nan=False),
                   st.integers(-10, 10**8).map(Duration), st.datetimes(dt.datetime(2023, 1, 1), dt.datetime(2025, 12, 31)))
_cell = st.one_of(_cell_text, st.sampled_from(TABLE_WORDS + VALUE_FORMS), _typed)


@FUZZ
@given(rows=_mutated_seed(), extra=st.lists(st.tuples(st.integers(0, 12), st.integers(0, 6), _cell), max_size=6))
def test_find_tables_agrees_with_the_reference_on_mutated_seed_grids(rows, extra):
    cells: list[list[object]] = [list(r) for r in rows]
    for r, c, value in extra:  # typed values and text put anywhere
        if r < len(cells):
            row = cells[r]
            row.extend([None] * (c + 1 - len(row)))
            row[c] = value
    _same(_grid(cells))


@FUZZ
@given(rows=st.lists(st.lists(_cell, max_size=7), max_size=12), header_at=st.integers(0, 3),
       split=st.booleans())
def test_find_tables_agrees_with_the_reference_on_random_grids_under_a_header(rows, header_at, split):
    header = list(SEED_ROWS[1]) if not split else None
    rows = list(rows)
    if split:  # a header split over two rows, as Excel splits a pasted cell at its line break
        rows[header_at:header_at] = [["明細", "通話種別", "通話数", "通話", "通話"],
                                     ["", "", "", "時間 (時:分:秒)", "料金 (円・税別)"]]
    else:
        rows.insert(min(header_at, len(rows)), header)
    _same(_grid(rows))


def test_the_seed_grid_is_a_table_for_both():
    grid = _grid([list(r) for r in SEED_ROWS])
    assert find_tables(grid) and find_tables(grid) == reference_table.find_tables(grid)


def test_a_note_above_a_bare_call_type_under_the_header_is_the_error_the_reference_calls_no_rows():
    _same(_grid([list(SEED_ROWS[1]), ["O50IP電話"], ["一般通話"]]))
