"""A saved web page → one Grid per <table>, each preceded by the page text above it (where the
month and the O50IP電話 title are). Row and column spans are laid out as Excel would show them.

The page is parsed into plain lxml.etree elements (lxml.html's element classes cost a Python call
for every element it hands out), and lxml's own iterators (in C) find the tables, the blocks of
text and the cells, rather than a walk over every element asking each for its ancestors."""
from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from recon.errors import ReadError
from recon.model import Cell, Grid, Where
from recon.months import is_month_label
from recon.readers.decode import decode
from recon.readers.limits import MAX_CELLS, too_many_cells

if TYPE_CHECKING:
    from lxml.etree import _Element

    from recon.readers import Parts

_Row = tuple[Cell, ...]  # a row of located cells

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "caption", "br", "tr", "section")
_OUTER = ("table", *_BLOCKS)
_SPACED = set(_OUTER)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def read(data: bytes, rel: str, parts: Parts | None = None) -> tuple[list[Grid], str]:
    """Decode (BOM, then <meta charset>, then UTF-8, then CP932) and lay out every table; then,
    with `parts` (readers.Parts), the tables of the pages it shows in frames, in their order."""
    grids, encoding, frames = _page(data, rel, None)
    if parts is not None:
        for src in frames:
            found = parts(src)
            if found is not None:
                grids.extend(_page(found[0], found[1], None)[0])  # one level: a frame's own frames are not
    return grids, encoding


def read_page(data: bytes, rel: str, declared: str | None) -> tuple[list[Grid], str]:
    """`read`, for a page whose container declares its charset (an .mhtml part's Content-Type):
    that is tried before the page's own <meta charset>."""
    grids, encoding, _ = _page(data, rel, declared)
    return grids, encoding


def _page(data: bytes, rel: str, declared: str | None) -> tuple[list[Grid], str, list[str]]:
    """A page's grids, its encoding, and the files it shows in frames (as its markup names them)."""
    etree, parser, text_of = _tools()
    m = _META_CHARSET.search(data[:4096])
    text, encoding = decode(data, rel, declared or (m.group(1).decode("ascii") if m else None))
    text = _XML_DECLARATION.sub("", text)  # lxml refuses a str with an encoding declaration
    if not text.strip():
        return [], encoding, []
    try:
        root = etree.fromstring(text, parser)
        if root is None:
            raise etree.ParserError("Document is empty")
    except (etree.ParserError, ValueError) as e:
        raise ReadError(Where(rel), "html", str(e)) from e
    deep = next((e for e in parser.error_log if "Excessive depth" in e.message), None)
    if deep is not None:  # libxml2 stops there and drops the rest of the page: say so, never "no table"
        raise ReadError(Where(rel, line=deep.line), "html_depth", None)
    _keep_selected_options(root)
    grids: list[Grid] = []
    preceding: list[_Row] = []
    wheres, budget = _Wheres(rel), [MAX_CELLS]
    inside: set[_Element] = set()  # blocks and tables inside a table already laid out
    label: tuple[_Row, ...] = ()  # the last row above that labels the usage month
    # (a table inside a table laid out, the label above it, the outer table's number)
    nested: list[tuple[_Element, tuple[_Row, ...], int]] = []
    numbers = {table: number for number, table in enumerate(root.iter("table"), start=1)}  # as a person counts them
    for element in root.iter(*_OUTER):  # in document order
        if element in inside:
            continue
        if element.tag == "table":
            inside.update(element.iter(*_OUTER))
            rows = tuple(preceding) + tuple(_table_rows(element, numbers[element], wheres, text_of, budget))
            grids.append(Grid(rows, f"table {len(grids) + 1}", label))
            label = _month_label(rows) or label
            nested.extend((inner, label, len(grids)) for inner in element.iter("table") if inner is not element)
            preceding = []
        else:
            line = _own_text(element, text_of)
            if line:
                preceding.append((Cell(line, wheres[element.sourceline]),))
    return grids + _nested_grids(nested, numbers, wheres, text_of, budget), encoding, _frames(root)


def _nested_grids(nested, numbers: dict, wheres: _Wheres, text_of, budget: list[int]) -> list[Grid]:
    """A grid for each table inside another's cell (a page laid out in tables, the detail in one of
    its cells), after the page's own: the outer table shows the inner one's text in a single cell.
    Each is preceded by the lines just above it in its cell (the O50IP電話 title), and knows the
    month the page labels above it."""
    grids = []
    for number, (table, label, outer) in enumerate(nested, start=1):
        if next(_rows(table), None) is None:
            continue
        title: list[_Row] = []
        for sibling in table.itersiblings(preceding=True):
            if isinstance(sibling.tag, str) and sibling.tag == "table":
                break
            line = _own_text(sibling, text_of) if isinstance(sibling.tag, str) else ""
            if line:
                title.insert(0, (Cell(line, wheres[sibling.sourceline]),))
            if len(title) == 3:
                break
        rows = tuple(title) + tuple(_table_rows(table, numbers[table], wheres, text_of, budget))
        grids.append(Grid(rows, f"table {number} inside table {outer}", label))
    return grids


def _month_label(rows) -> tuple:
    """The last row among `rows` with a cell that labels the usage month (ご利用月 2024年1月), as
    rows for a later table's `above`; () when none does."""
    for row in reversed(rows):
        if any(isinstance(cell.value, str) and "月" in cell.value and is_month_label(cell.value) for cell in row):
            return (row,)
    return ()


def _frames(root) -> list[str]:
    """What a page shows in frames, in order: Excel's 「Web ページ」 names every sheet of its frameset
    in a `<link id="shLink">` (its <frame> shows only the first); a browser's page, its <frame>s
    and <iframe>s."""
    sheets = [link.get("href") for link in root.iter("link") if link.get("id") == "shLink"]
    found = sheets if any(sheets) else [frame.get("src") for frame in root.iter("frame", "iframe")]
    return list(dict.fromkeys(src.strip() for src in found if src and src.strip()))


@functools.cache
def _tools():
    """lxml, imported and its parser and XPaths compiled on the first page read: (etree, its HTML
    parser, the XPath string(): an element's text and its descendants', as lxml.html's
    text_content; an element without children is its own .text, read without an XPath evaluation)."""
    from lxml import etree

    return etree, etree.HTMLParser(huge_tree=True), etree.XPath("string()", smart_strings=False)


class _Wheres(dict):
    """One Where per line of the page, made when first asked for (a row's cells share theirs)."""

    def __init__(self, rel: str):
        super().__init__()
        self.rel = rel

    def __missing__(self, line: int | None) -> Where:
        where = self[line] = Where(self.rel, line=line)
        return where


def _keep_selected_options(root) -> None:
    """A saved page's <select> shows its chosen option only (the 利用月 drop-down lists them all)."""
    for select in root.iter("select"):
        options = list(select.iter("option"))
        chosen = [o for o in options if o.get("selected") is not None] or options[:1]
        for option in options:
            if option not in chosen:
                _drop_tree(option)


def _drop_tree(element) -> None:
    """Remove an element and what it holds, keeping the text after it (lxml.html's drop_tree)."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + element.tail
        else:
            previous.tail = (previous.tail or "") + element.tail
    parent.remove(element)


def _own_text(element, text_of) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag in _SPACED:
            parts.append(" ")
        elif isinstance(child.tag, str):
            parts.append((child.text or "") if len(child) == 0 else text_of(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _table_rows(table, number: int, wheres: _Wheres, text_of, budget: list[int]):
    """Rows of located cells, with rowspan/colspan cells taking the space they take on screen; each
    cell is at its line and at its place in the table (the page's `number`th table, its row and
    column as laid out, from 1), which a page saved on one line needs to be found. The cells laid
    out, a span's blanks counted, are held to `budget` (readers.MAX_CELLS a page, counted down): a
    few kilobytes of cells spanning a thousand columns each would lay out billions."""
    pending: dict[int, int] = {}  # column → rows still covered by a rowspan from above
    rel = wheres.rel
    for row_number, tr in enumerate(_rows(table), start=1):
        row: list[Cell] = []
        column, where = 0, None
        for td in tr.iterchildren("td", "th"):
            if pending:
                column = _skip_covered(row, pending, column, wheres[tr.sourceline])
            where = Where(rel, td.sourceline, table=number, row=row_number, column=column + 1)
            row.append(Cell((td.text or "") if len(td) == 0 else text_of(td), where))
            rowspan, colspan = td.get("rowspan"), td.get("colspan")
            span_across = _span(colspan) if colspan is not None else 1
            if len(row) + span_across > budget[0]:
                raise too_many_cells(where)
            if span_across > 1:
                blank = Cell("", where)
                row.extend(blank for _ in range(span_across - 1))
            if rowspan is not None and (span_down := _span(rowspan)) > 1:
                for c in range(column, column + span_across):
                    pending[c] = span_down - 1
            column += span_across
        if pending:
            _skip_covered(row, pending, column, wheres[tr.sourceline], to_end=True)
        budget[0] -= len(row)
        if budget[0] < 0:
            raise too_many_cells(wheres[tr.sourceline])
        yield tuple(row)


def _rows(table):
    """The table's <tr>s, not those of a table inside one of its cells."""
    nested = [t for t in table.iter("table") if t is not table]
    if not nested:
        return table.iter("tr")
    theirs = {tr for t in nested for tr in t.iter("tr")}
    return (tr for tr in table.iter("tr") if tr not in theirs)


def _skip_covered(row, pending, column, where, to_end=False):
    """Blank cells for the columns a rowspan from above covers, from `column` on (with `to_end`, up
    to the last such column); `pending` loses a column once its span is used up."""
    last = max(pending) if to_end else -1
    while column in pending or column <= last:
        if column in pending:
            pending[column] -= 1
            if not pending[column]:
                del pending[column]
        row.append(Cell("", where))
        column += 1
    return column


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1
