"""The page reader lays out every page as the element-by-element reference does: the same cells
(value and location), the same grids and encoding, or the same error."""
from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reference_html
from recon.errors import ReconError
from recon.readers import html
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


def test_the_samples_are_there():
    assert sum(p.suffix in (".html", ".htm") for p in SAMPLES) >= 5 and len(SAMPLES) >= 100


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(DATA)))
def test_every_sample_lays_out_as_the_reference(path):
    _same(path.read_bytes())


# Nested tables, spans over spans, cells with markup inside, comments and blocks inside cells.
_NESTED = ["<table><tr><td>1<table><tr><td>inner</td></tr></table>2</td><td rowspan=\"2\">x</td></tr>",
           "<td><b>通話</b>数</td>", "<td><!-- c -->a<br>b</td>", "<th colspan=\"2\" rowspan=\"3\">",
           "<tbody>", "</tbody>", "<thead>", "<tfoot>", "<caption>利用月 2024年1月</caption>", "<li>",
           "<div><p>2024年1月<span>ご利用</span></p></div>", "<option>2024年2月</option>", "</select>"]


@FUZZ
@given(pieces=st.lists(st.one_of(st.sampled_from(_HTML_PIECES + _NESTED), _cell_text, st.sampled_from(SEPARATORS)),
                       max_size=80),
       encoding=st.sampled_from(_ENCODINGS), declared=st.sampled_from([None, "utf-8", "shift_jis"]))
def test_generated_pages_lay_out_as_the_reference(pieces, encoding, declared):
    _same(_encode("".join(pieces), encoding), declared)


@FUZZ
@given(rows=_mutated_seed(), spans=st.lists(st.sampled_from(['rowspan="2"', 'colspan="2"', 'rowspan="3" colspan="2"']),
                                           max_size=5), at=st.lists(st.integers(0, 60), max_size=5))
def test_mutated_seed_pages_with_spans_lay_out_as_the_reference(rows, spans, at):
    page = _as_html(rows)
    for span, position in zip(spans, at):
        cuts = [i for i in range(len(page)) if page.startswith("<td>", i)]
        if cuts:
            i = cuts[position % len(cuts)]
            page = page[:i] + f"<td {span}>" + page[i + 4:]
    _same(page.encode("utf-8"))
