"""How much a file may make recon build, counted from what the file really holds.

A detail table is some fifty cells and a month of call records saved as a workbook a few hundred
thousand; a file that lays out more (cells a sheet's rows really hold, with the blanks between them;
an .ods cell repeated, a page's cell spanning columns) is refused, one line for that file, before
recon builds it: a few kilobytes may declare a sheet of billions of cells."""
from __future__ import annotations

from recon.errors import ReadError
from recon.model import Where

MAX_CELLS = 1_000_000  # cells a file may lay out, all its sheets or tables together


def too_many_cells(where: Where) -> ReadError:
    """The error for a file past MAX_CELLS, at the cell, row or line where it went past."""
    return ReadError(where, "cells", None, limit=f"{MAX_CELLS:,}")
