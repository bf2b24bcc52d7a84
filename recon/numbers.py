"""numbers.csv (番号, 部門, 名前) recognised in a reader's grids by its header words (SPEC §7): the
directory that cost by number and department maps each calling number through."""
from __future__ import annotations

import unicodedata

from recon import labels
from recon.errors import ReconError
from recon.model import Grid, Where
from recon.values import clean

Directory = dict[str, tuple[str, str]]  # number (digits) → (部門, 名前); what cost by number maps through


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").casefold()


_WORDS = {_key(word): key for key, words in labels.NUMBERS_HEADER_WORDS.items() for word in words}


def parse_numbers(grids: list[Grid], rel: str) -> Directory:
    """numbers.csv's rows → {number: (department, name)}; no header row is a located error."""
    from recon.calls import number_digits

    for grid in grids:
        for index, row in enumerate(grid.rows):
            columns = {}
            for c, cell in enumerate(row):
                key = _WORDS.get(_key(cell.value)) if isinstance(cell.value, str) else None
                if key and key not in columns:
                    columns[key] = c
            if {"number", "department"} <= columns.keys():
                return _rows(grid.rows[index + 1:], columns, number_digits)
    raise ReconError(Where(rel, line=1), "numbers_header", None)


def _rows(rows, columns: dict[str, int], digits) -> Directory:
    out: Directory = {}
    for row in rows:
        number = digits(_text(row, columns, "number"))
        if number:
            out[number] = (_text(row, columns, "department"), _text(row, columns, "name"))
    return out


def _text(row, columns: dict[str, int], key: str) -> str:
    """The row's text in the column of `key`, cleaned; empty where the row has no such column."""
    at = columns.get(key)
    return clean(str(row[at].value or "")) if at is not None and at < len(row) else ""
