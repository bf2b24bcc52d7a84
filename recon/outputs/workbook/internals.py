"""What the workbook writer reads and sets of openpyxl beyond what its types (types-openpyxl)
describe: a cell's style array, and a sheet's workbook as never absent.

A cell's `_style` is openpyxl's own: the indices of its font, fill, border, alignment, protection
and number format in the workbook's lists. Copying it styles a cell as another in one step, as
openpyxl's own copy of a worksheet does; openpyxl is held below 3.2 (pyproject.toml). The other
private parts the writer uses say so where they are used.
"""
from __future__ import annotations

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet


def book_of(ws: Worksheet) -> Workbook:
    """The workbook `ws` belongs to. openpyxl types it as optional, for a sheet made on its own;
    every sheet recon writes is made by its workbook."""
    book = ws.parent
    if book is None:
        raise ValueError(f"the sheet {ws.title!r} belongs to no workbook")
    return book


def style_of(cell: Cell | MergedCell) -> StyleArray:
    """The cell's style array (openpyxl's own, shared with other cells: copy it to change it)."""
    return cell._style  # type: ignore[union-attr]  # a slot of StyleableObject that the stubs leave out


def set_style(cell: Cell | MergedCell, style: StyleArray) -> None:
    """Style the cell by `style` (a style array the cell then owns)."""
    cell._style = style  # type: ignore[union-attr]  # a slot of StyleableObject that the stubs leave out
