"""The page reader (its fast path) agrees with the element-by-element reference reader on every page:
the same cells (value and location), the same grids and encoding, or the same error. A sample also
lays out as its bytes say: a grid for a page with a table, none for text without one, an error for
bytes in no encoding of SPEC §1."""
from __future__ import annotations

import re
from pathlib import Path

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reference_html
from recon.errors import ReconError
from recon.readers import html
from recon.readers.decode import decode
from test_fuzz import _HTML_PIECES, FUZZ, SEPARATORS, _cell_text, _encode, _ENCODINGS, _mutated_seed, _as_html

DATA = Path(__file__).parent / "data"
# Every sample read as a page: the pages themselves, and every text file (lxml makes a page of any text).
SAMPLES = sorted(p for p in DATA.rglob("*") if p.is_file() and p.suffix.lower() in (
    ".html", ".htm", ".txt", ".tsv", ".csv", ".xls"))


def _layout(reader, data: bytes, declared: str | None = None):
    try:
        grids, encoding = reader(data, "2024-01.html", declared)
    except ReconError as e:
        return "error", str(e)
    # a table inside another's cell is also laid out on its own since (test_pages): not the reference's;
    # a cell knows its table, row and column since (test_pages): the reference's cells, their line
    return [(g.name, [[(c.value, str(msgspec.structs.replace(c.where, table=None, row=None, column=None)))
                       for c in row] for row in g.rows]) for g in grids
            if " inside table " not in g.name], encoding


def _same(data: bytes, declared: str | None = None) -> None:
    assert _layout(html.read_page, data, declared) == _layout(reference_html.read_page, data, declared)


def _expected_kind(data: bytes) -> str:
    """What a sample lays out as: "error" (bytes in no encoding of SPEC §1), "grids" (a page that
    holds a table), "none" (text without a table: lxml makes a page of it, with no grid)."""
    try:
        text, _ = decode(data, "2024-01.html")
    except ReconError:
        return "error"
    return "grids" if re.search(r"<table[\s>]", text, re.IGNORECASE) else "none"


def test_the_samples_are_there():
    assert sum(p.suffix in (".html", ".htm") for p in SAMPLES) >= 5 and len(SAMPLES) >= 100
    kinds = [_expected_kind(p.read_bytes()) for p in SAMPLES]
    assert kinds.count("grids") >= 5 and kinds.count("error") >= 2 and kinds.count("none") >= 50


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(DATA)))
def test_page_reader_agrees_with_the_reference_reader_on_every_sample(path):
    data = path.read_bytes()
    _same(data)
    laid_out, kind = _layout(html.read_page, data), _expected_kind(data)
    if kind == "error":
        assert laid_out[0] == "error" and "expected text in UTF-8, UTF-16 or CP932" in laid_out[1]
    elif kind == "none":
        assert laid_out[0] == []
    else:
        grids, _ = laid_out
        assert grids and all(rows for _, rows in grids)
        assert all(where.startswith("2024-01.html:") for _, rows in grids for row in rows for _, where in row)


# Nested tables, spans over spans, cells with markup inside, comments and blocks inside cells.
_NESTED = ["<table><tr><td>1<table><tr><td>inner</td></tr></table>2</td><td rowspan=\"2\">x</td></tr>",
           "<td><b>通話</b>数</td>", "<td><!-- c -->a<br>b</td>", "<th colspan=\"2\" rowspan=\"3\">",
           "<tbody>", "</tbody>", "<thead>", "<tfoot>", "<caption>利用月 2024年1月</caption>", "<li>",
           "<div><p>2024年1月<span>ご利用</span></p></div>", "<option>2024年2月</option>", "</select>"]


@FUZZ
@given(pieces=st.lists(st.one_of(st.sampled_from(_HTML_PIECES + _NESTED), _cell_text, st.sampled_from(SEPARATORS)),
                       max_size=80),
       encoding=st.sampled_from(_ENCODINGS), declared=st.sampled_from([None, "utf-8", "shift_jis"]))
def test_page_reader_agrees_with_the_reference_reader_on_generated_pages(pieces, encoding, declared):
    _same(_encode("".join(pieces), encoding), declared)


@FUZZ
@given(rows=_mutated_seed(), spans=st.lists(st.sampled_from(['rowspan="2"', 'colspan="2"', 'rowspan="3" colspan="2"']),
                                           max_size=5), at=st.lists(st.integers(0, 60), max_size=5))
def test_page_reader_agrees_with_the_reference_reader_on_mutated_seed_pages_with_spans(rows, spans, at):
    page = _as_html(rows)
    for span, position in zip(spans, at):
        cuts = [i for i in range(len(page)) if page.startswith("<td>", i)]
        if cuts:
            i = cuts[position % len(cuts)]
            page = page[:i] + f"<td {span}>" + page[i + 4:]
    _same(page.encode("utf-8"))
