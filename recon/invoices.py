"""invoices.csv / invoices.xlsx → InvoiceRows. The header row is found by its words, in English or
Japanese; each bad row is its own error, so one typo costs one month, not the year."""
from __future__ import annotations

import datetime as dt
import unicodedata
from typing import TypeGuard

from recon import months
from recon.errors import ReconError
from recon.model import Basis, Cell, Grid, InvoiceRow, Where
from recon.values import ValueShapeError, clean, parse_yen, shown

# column id → header words that name it (compared without spaces, case-folded, NFKC)
COLUMNS: dict[str, tuple[str, ...]] = {
    "month": ("month", "利用月", "ご利用月", "対象月"),
    "amount": ("amount", "請求額", "ご請求額", "請求金額"),
    "basis": ("basis", "税区分"),
    "fees": ("fees", "基本料等", "基本料"),
    "note": ("note", "備考", "メモ"),
    "account": ("account", "契約", "契約名"),
}
_BASIS: dict[str, Basis] = {"excl": "excl", "税別": "excl", "税抜": "excl", "": "excl", "incl": "incl", "税込": "incl"}


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").casefold()


_WORDS = {_key(w): column for column, words in COLUMNS.items() for w in words}


def parse(grids: list[Grid], rel: str, account: str) -> tuple[list[InvoiceRow], list[tuple[str | None, ReconError]]]:
    """Rows of the first grid with a header; errors come with the month they belong to (if known)."""
    for grid in grids:
        for index, row in enumerate(grid.rows):
            columns = _header(row)
            if columns:
                return _rows(grid.rows[index + 1:], columns, account)
    first = next((c for g in grids for r in g.rows for c in r), None)
    where = first.where if first else None

    raise ReconError(where or Where(rel), "invoice_header", None)


def _header(row: tuple[Cell, ...]) -> dict[str, int] | None:
    columns = {}
    for c, cell in enumerate(row):
        if isinstance(cell.value, str):
            column = _WORDS.get(_key(clean(cell.value)))
            if column and column not in columns:
                columns[column] = c
    return columns if {"month", "amount"} <= columns.keys() else None


def _rows(rows, columns: dict[str, int], default_account: str):
    found, errors = [], []
    for row in rows:
        cells = {name: row[c] for name, c in columns.items() if c < len(row)}
        if not _filled(cells.get("amount")):
            continue  # a month not invoiced yet (as `recon init` writes them): that month is missing
        month = None
        try:
            month = _month(cells.get("month"))
            found.append(InvoiceRow(
                account=_text(cells.get("account")) or default_account,
                month=month,
                amount=_yen(cells.get("amount"), required=True),
                basis=_basis(cells.get("basis")),
                fees=_yen(cells.get("fees"), required=False),
                note=_text(cells.get("note")),
                where=row[0].where,
            ))
        except ReconError as e:
            errors.append((month, e))
    return found, errors


def _filled(cell: Cell | None) -> TypeGuard[Cell]:
    return cell is not None and cell.value is not None and (not isinstance(cell.value, str) or bool(clean(cell.value)))


def _text(cell: Cell | None) -> str:
    return clean(str(cell.value)) if _filled(cell) else ""


# Excel's day numbers of 2000-01-01 and 2099-12-31: a month typed `2024/1` that Excel made a date,
# then shown as General, is its day number (45292 for 2024-01-01) in the month column.
_FIRST_SERIAL, _LAST_SERIAL = 36526, 73050
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _month(cell: Cell | None) -> str:
    """The usage month of an invoice row: text in any form months.month_in_text reads (和暦 too),
    or a date (or Excel day number) that Excel made of a typed month."""
    value = cell.value if cell is not None else None
    if isinstance(value, dt.date):  # datetime too
        return months.month_of_date(value)
    if isinstance(value, int) and _FIRST_SERIAL <= value <= _LAST_SERIAL:
        return months.month_of_date(_EXCEL_EPOCH + dt.timedelta(days=value))
    month = months.month_in_text(_text(cell)) if _filled(cell) else None
    if month is None:
        raise ReconError(cell.where if cell else None, "invoice_month", shown(_text(cell)))
    return month


def _yen(cell: Cell | None, required: bool) -> int:
    if _filled(cell):
        if isinstance(cell.value, int):
            return cell.value
        try:
            return parse_yen(str(cell.value))
        except ValueShapeError:
            raise ReconError(cell.where, "yen", shown(str(cell.value))) from None
    if required:
        raise ReconError(cell.where if cell else None, "yen", "")
    return 0


def _basis(cell: Cell | None) -> Basis:
    text = _text(cell).casefold()
    if text not in _BASIS:
        raise ReconError(cell.where if cell else None, "basis", shown(_text(cell)))
    return _BASIS[text]
