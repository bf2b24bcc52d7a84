"""find_tables recognises every grid as the reference (the cell-by-cell first version, kept in
tests/reference_table.py) does: the same tables, figures and locations, or the same error."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reference_table
from recon import readers, table as table_module
from recon.errors import ReconError
from recon.model import Cell, Duration, Grid, Uncalculated, Where
from recon.table import find_tables
from test_fuzz import FUZZ, SEED_ROWS, TABLE_WORDS, VALUE_FORMS, _cell_text, _mutated_seed

DATA = Path(__file__).parent / "data"


def _found(find, grid: Grid):
    try:
        return find(grid)
    except ReconError as e:
        return "error", str(e), e.where, e.expected, e.found, e.params


def _same(grid: Grid) -> None:
    ours = _found(find_tables, grid)
    if isinstance(ours, list) and any(n.key == "translated_labels" for t in ours for n in t.notes):
        assert _found(reference_table.find_tables, grid) == []  # a browser's translation: read since (test_pages)
        return
    if isinstance(ours, list):
        ours = [msgspec.structs.replace(table, notes=()) for table in ours]
    assert ours == _found(reference_table.find_tables, _as_the_reference_reads(grid))


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


def test_the_samples_are_there():
    assert len(SAMPLE_GRIDS) >= 100


@pytest.mark.parametrize("grid", [g for _, g in SAMPLE_GRIDS], ids=[name for name, _ in SAMPLE_GRIDS])
def test_every_sample_grid_is_recognised_as_by_the_reference(grid):
    _same(grid)


def _grid(rows: list[list[object]]) -> Grid:
    return Grid(tuple(tuple(Cell(v, Where("x.xlsx", sheet="S", cell=f"{chr(65 + c)}{r}")) for c, v in enumerate(row))
                      for r, row in enumerate(rows, start=1)))


# What a workbook reader puts in a cell besides text: ints, exact decimals, typed durations, dates.
_typed = st.one_of(st.none(), st.integers(-10**7, 10**7), st.decimals(-10**6, 10**6, places=2, allow_nan=False),
                   st.integers(-10, 10**8).map(Duration), st.datetimes(dt.datetime(2023, 1, 1), dt.datetime(2025, 12, 31)))
_cell = st.one_of(_cell_text, st.sampled_from(TABLE_WORDS + VALUE_FORMS), _typed)


@FUZZ
@given(rows=_mutated_seed(), extra=st.lists(st.tuples(st.integers(0, 12), st.integers(0, 6), _cell), max_size=6))
def test_mutated_seed_grids_are_recognised_as_by_the_reference(rows, extra):
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
def test_random_grids_under_a_header_are_recognised_as_by_the_reference(rows, header_at, split):
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
