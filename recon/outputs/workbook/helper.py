"""Some sheets of a large workbook, made by a helper process beside this one.

At 400 contracts the sheets take about a second to make, on one core while the other waits. Once
every sheet is laid out (headers, prototype styles, the recipe of its rows), a process forked from
this one makes the sheets of `LATER` (the checks sheet above all) while this one makes the others.

The one thing the two share is the numbering of styles: openpyxl numbers a style when it first
writes a cell in it, sheet after sheet. So the helper first measures its sheets and says which
styles their rows use; this process, once it has measured its own, numbers every style in the
order writing the sheets would (`rows.number_styles`) and hands the helper the numbered tables;
then both write their sheets at once, the helper's deflated as the archive deflates its parts, and
the archive takes each sheet in its place. A style the helper would number anew (none should be)
makes it give up. The workbook is the same, byte for byte, as one made in a single process
(tests/test_workbook_helper.py).

This process makes those sheets itself where a fork is not safe or not possible (Windows, macOS, a
thread running, polars loaded, RECON_WORKERS=1, no process to be had), for a small report, for a
sheet that holds what the helper cannot hand back (a chart, a picture, a comment, a link, a table,
a conditional format), and whenever the helper fails in any way. The helper never outlives this
process: `workers.beside` starts it so that it ends as this one ends, however that happens.
"""
from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from contextlib import suppress

from msgspec import Struct
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from recon import workers
from recon.outputs.workbook.rows import DEFLATE_LEVEL, DataRows, SheetWriter

LATER = ("checks", "journal", "state")  # the sheets a helper makes: about half the work
FROM_MONTHS = 1_000  # a report of fewer months (about 80 contracts) makes its sheets fast enough alone
# The workbook's tables of styles, each numbered in the order its entries were first needed.
TABLES = ("_cell_styles", "_fonts", "_fills", "_borders", "_number_formats", "_alignments", "_protections")


class Part(Struct, frozen=True):
    """A sheet's part of the archive, deflated: the raw deflate stream, the CRC-32 and size of the
    XML it holds."""

    deflated: bytes
    crc: int
    size: int


class Sheet(Struct):
    """A laid-out sheet: its data rows, and how to finish it once they are measured."""

    ws: Worksheet
    data: DataRows
    finish: Callable[[DataRows], None]  # measure the rows, fit the widths, set the filter

    @property
    def handed(self) -> bool:
        """Can a helper hand this sheet back as a part? Not when writing it gives the sheet
        relationships (a chart, a picture, a link, a table), comments or conditional formats,
        which the workbook keeps beside the sheet."""
        ws = self.ws
        return not (ws._charts or ws._images or ws._hyperlinks or ws._tables or ws.legacy_drawing
                    or ws.conditional_formatting or any(cell.comment for cell in ws._cells.values()))


class _Measured(Struct, frozen=True):
    """What the numbering of styles here needs of a sheet measured there."""

    last: int
    used: tuple  # the styles of its rows, in the order they first use them
    heights: dict[int, float]
    filter: str | None


class Helper:
    """The process making some sheets, seen from here: `measured()` once this process has measured
    its own sheets, `hand(wb)` once every style is numbered, `part(ws)` as the archive reaches each
    sheet. When the helper fails, its sheets are measured and written here instead."""

    def __init__(self, sheets: list[Sheet], process, connection):
        self.sheets = sheets
        self.wants = {sheet.ws for sheet in sheets}
        self._process, self._connection = process, connection
        self._parts: dict[Worksheet, Part] | None = None

    def measured(self) -> None:
        """The helper's sheets, as measured there, known here well enough to number their styles
        (their rows' extent, styles, heights and filters); measured here when the helper could
        not, or its style tables no longer extend these."""
        answer = self._receive("measured")
        if answer is None or not _extends(answer[1], self.sheets[0].ws.parent, exclude="_cell_styles"):
            self._take_back()
            return
        for sheet, measured in zip(self.sheets, answer[0], strict=True):
            data = sheet.data
            data.last, data.used, data.heights = measured.last, dict(enumerate(measured.used)), measured.heights
            sheet.ws.auto_filter.ref = measured.filter

    def hand(self, wb: Workbook) -> None:
        """Every style numbered: the helper writes its sheets now, with these numbers."""
        if self._connection is not None:
            try:
                self._connection.send(_tables(wb))
            except OSError:  # it is gone: its sheets are made here
                self._take_back()

    def part(self, ws: Worksheet) -> Part | None:
        """The sheet as the helper wrote it; None when it is to be written here (then measured)."""
        if self._parts is None:
            answer = self._receive("parts") if self._connection is not None else None
            if answer is None:
                self._take_back()
            self._parts = dict(zip((sheet.ws for sheet in self.sheets), answer or (), strict=False))
            self.stop()
        return self._parts.get(ws)

    def stop(self) -> None:
        """No more is asked of the helper: its end of the work is dropped and the process reaped."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            self._process.join(timeout=1)  # it ends as soon as its end of the connection is gone
            if self._process.is_alive():  # busy still (this process stopped early): not wanted
                self._process.kill()
                self._process.join()
            self._process = None

    def _take_back(self) -> None:
        """The helper's sheets measured here (to be written here), the helper stopped."""
        self.stop()
        self._parts = {}
        for sheet in self.sheets:
            sheet.finish(sheet.data)

    def _receive(self, kind: str):
        """The helper's answer of `kind`; None when it failed, gave up or died."""
        try:
            got, value = self._connection.recv()
        except (EOFError, OSError):
            return None
        return value if got == kind else None


def start(sheets: Iterable[Sheet], months: int) -> Helper | None:
    """A helper for those of `sheets` it can hand back, for a report of `months` months, when
    there are enough of them and a process can be forked; None otherwise."""
    sheets = [sheet for sheet in sheets if sheet.handed]
    if months < FROM_MONTHS or not sheets:
        return None
    started = workers.beside(_help, sheets)
    return Helper(sheets, *started) if started else None


def _help(connection, sheets: list[Sheet]) -> None:
    """The helper process: whatever happens here, the workbook is made (by the other process, when
    not here), and nothing is printed."""
    try:
        _make(connection, sheets)
    except (EOFError, OSError):  # the workbook no longer wants the sheets
        pass
    except Exception as e:  # noqa: BLE001 - whatever goes wrong here, the workbook makes these sheets itself
        with suppress(OSError):
            connection.send(("failed", f"{type(e).__name__}: {e}"))
    finally:
        connection.close()


def _make(connection, sheets: list[Sheet]) -> None:
    """Measure the sheets and say what numbering their styles needs, wait for the numbered style
    tables, write the sheets and hand back their parts."""
    wb = sheets[0].ws.parent
    for sheet in sheets:
        sheet.finish(sheet.data)
    measured = [_Measured(s.data.last, tuple(s.data.used.values()), s.data.heights, s.ws.auto_filter.ref)
                for s in sheets]
    connection.send(("measured", (measured, _tables(wb, exclude="_cell_styles"))))
    tables = connection.recv()
    if not _extends(tables, wb):
        connection.send(("gave up", None))
        return
    _restore(wb, tables)
    parts = [_part(sheet) for sheet in sheets]
    if _tables(wb) != tables:  # a style numbered anew: these parts would not match the workbook's
        connection.send(("gave up", None))
        return
    connection.send(("parts", parts))


def _tables(wb: Workbook, exclude: str = "") -> dict[str, tuple]:
    """The workbook's style tables as they stand: each one's entries, and how it finds them."""
    return {name: (list(table), dict(table._dict), table.clean) for name in TABLES if name != exclude
            for table in (getattr(wb, name),)}


def _extends(tables: dict[str, tuple], wb: Workbook, exclude: str = "") -> bool:
    """Does each of `tables` begin with the entries of the workbook's own (so that every style
    made here keeps its number there)?"""
    for name, (theirs, _, _) in tables.items():
        ours = list(getattr(wb, name))
        if name != exclude and theirs[:len(ours)] != ours:
            return False
    return True


def _restore(wb: Workbook, tables: dict[str, tuple]) -> None:
    """The workbook's style tables made to stand as `tables` (entries and lookup alike), so that
    every style is numbered as the other process numbers it."""
    for name, (entries, lookup, clean) in tables.items():
        table = getattr(wb, name)
        del table[:]
        list.extend(table, entries)
        table._dict, table.clean = lookup, clean


def _part(sheet: Sheet) -> Part:
    """A sheet written as the archive would write it, deflated as it deflates its parts."""
    ws = sheet.ws
    ws._drawing = SpreadsheetDrawing()
    out = _Deflating()
    writer = SheetWriter(ws, out, sheet.data)
    writer.write()
    if writer._rels or ws._comments:
        raise ValueError(f"{ws.title}: a sheet with relationships cannot be handed back")
    return out.part()


class _Deflating:
    """A file that keeps what is written to it deflated, with its CRC-32 and size."""

    def __init__(self):
        self._compressor = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)  # as zipfile makes it
        self._chunks: list[bytes] = []
        self._crc = 0
        self._size = 0

    def write(self, data) -> int:
        self._crc = zlib.crc32(data, self._crc)
        self._size += len(data)
        self._chunks.append(self._compressor.compress(data))
        return len(data)

    def part(self) -> Part:
        self._chunks.append(self._compressor.flush())
        return Part(b"".join(self._chunks), self._crc, self._size)
