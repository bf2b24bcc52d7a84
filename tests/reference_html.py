"""The page layout as recon first wrote it, element by element through lxml.html: the reference the
reader (recon/readers/html.py, which walks the page with lxml.etree's own iterators) is compared
with, on every sample and on generated pages (tests/test_html_layout.py). Kept unchanged, so that
a difference is the new reader's."""
from __future__ import annotations

import re

from recon.errors import ReadError
from recon.model import Cell, Grid, Where
from recon.readers.decode import decode

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "caption", "br", "tr", "section"}


def read(data: bytes, rel: str) -> tuple[list[Grid], str]:
    """Decode (BOM, then <meta charset>, then UTF-8, then CP932) and lay out every table."""
    return read_page(data, rel, None)


def read_page(data: bytes, rel: str, declared: str | None) -> tuple[list[Grid], str]:
    """`read`, for a page whose container declares its charset (an .mhtml part's Content-Type):
    that is tried before the page's own <meta charset>."""
    import lxml.etree
    import lxml.html

    m = _META_CHARSET.search(data[:4096])
    text, encoding = decode(data, rel, declared or (m.group(1).decode("ascii") if m else None))
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses a str with an encoding declaration
    if not text.strip():
        return [], encoding
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as e:
        raise ReadError(Where(rel), "html", str(e)) from e
    _keep_selected_options(root)
    grids, preceding = [], []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "table":
            if _inside_table(element):
                continue
            grids.append(Grid(tuple(preceding) + tuple(_table_rows(element, rel)), f"table {len(grids) + 1}"))
            preceding = []
        elif element.tag in _BLOCKS and not _inside_table(element):
            line = _own_text(element)
            if line:
                preceding.append((Cell(line, Where(rel, line=element.sourceline)),))
    return grids, encoding


def _keep_selected_options(root) -> None:
    """A saved page's <select> shows its chosen option only (the 利用月 drop-down lists them all)."""
    for select in root.iter("select"):
        options = list(select.iter("option"))
        chosen = [o for o in options if o.get("selected") is not None] or options[:1]
        for option in options:
            if option not in chosen:
                option.drop_tree()


def _inside_table(element) -> bool:
    return any(a.tag == "table" for a in element.iterancestors())


def _own_text(element) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag in _BLOCKS | {"table"}:
            parts.append(" ")
        elif isinstance(child.tag, str):
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _table_rows(table, rel: str):
    """Rows of located cells, with rowspan/colspan cells taking the space they take on screen."""
    pending: dict[int, int] = {}  # column → rows still covered by a rowspan from above
    for tr in table.iter("tr"):
        if next((a for a in tr.iterancestors() if a.tag == "table"), None) is not table:
            continue
        row, column = [], 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                continue
            column = _skip_covered(row, pending, column, rel, tr.sourceline)
            span_down, span_across = _span(td.get("rowspan")), _span(td.get("colspan"))
            row.append(Cell(td.text_content(), Where(rel, line=td.sourceline)))
            for _ in range(span_across - 1):
                row.append(Cell("", Where(rel, line=td.sourceline)))
            for c in range(column, column + span_across):
                if span_down > 1:
                    pending[c] = span_down - 1
            column += span_across
        _skip_covered(row, pending, column, rel, tr.sourceline, to_end=True)
        yield tuple(row)


def _skip_covered(row, pending, column, rel, line, to_end=False):
    while pending.get(column, 0) > 0 or (to_end and any(c >= column and n > 0 for c, n in pending.items())):
        if pending.get(column, 0) > 0:
            pending[column] -= 1
        row.append(Cell("", Where(rel, line=line)))
        column += 1
    return column


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1
