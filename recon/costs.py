"""Cost by number and department (SPEC §7): numbers.csv (番号, 部門, 名前) and a month's per-call
records → the charge of each calling number and of each 部門, adding up to the month's charge."""
from __future__ import annotations

import unicodedata

from recon import labels
from recon.errors import ReconError
from recon.model import CallMonth, Grid, NumberCost, Where
from recon.values import clean

Directory = dict[str, tuple[str, str]]  # number (digits) → (部門, 名前)


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
        cell = lambda key: clean(str(row[columns[key]].value or "")) if key in columns and columns[key] < len(row) else ""
        number = digits(cell("number"))
        if number:
            out[number] = (cell("department"), cell("name"))
    return out


def number_costs(calls: CallMonth, directory: Directory) -> tuple[NumberCost, ...]:
    """Each calling number's calls, time and charge in the month, with its 部門 and name; by number."""
    return tuple(NumberCost(number, *directory.get(number, ("", "")), count, tenths, sen)
                 for number, count, tenths, sen in calls.by_number)


def department_costs(costs: tuple[NumberCost, ...]) -> tuple[tuple[str, int, int, int], ...]:
    """(部門, calls, tenths, sen) per department ("" for numbers numbers.csv does not list), by name;
    the sen add up to the month's call charge."""
    sums: dict[str, list[int]] = {}
    for cost in costs:
        total = sums.setdefault(cost.department, [0, 0, 0])
        total[0] += cost.count
        total[1] += cost.tenths
        total[2] += cost.sen
    return tuple((name, *sums[name]) for name in sorted(sums))
