"""find_tables (with its fast paths) agrees with the reference (the cell-by-cell first version, kept
in tests/reference_table.py) on every grid: the same tables, figures and locations, or the same
error. A sample grid is also read as its cells say: no table in a grid without a call type, and
every location a table or an error names is a cell of the grid."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reference_table
from recon import labels, readers
from recon.errors import ReconError
from recon.model import Cell, Duration, Grid, Where
from recon.table import find_tables
from recon.values import clean
from test_fuzz import FUZZ, SEED_ROWS, TABLE_WORDS, VALUE_FORMS, _cell_text, _mutated_seed

DATA = Path(__file__).parent / "data"


def _found(find, grid: Grid):
    try:
        return find(grid)
    except ReconError as e:
        return "error", str(e), e.where, e.expected, e.found, e.params


def _same(grid: Grid) -> None:
    assert _found(find_tables, grid) == _found(reference_table.find_tables, grid)


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


def _names_a_call_type(grid: Grid) -> bool:
    return any(isinstance(c.value, str) and clean(c.value).replace(" ", "") in _CALL_TYPE_WORDS
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
    cells = {c.where for row in grid.rows for c in row}
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
