"""The data rows' fast paths against the exact ones they stand in for.

A row is written from a template made for its look and the types of its values; the general
path writes every cell one by one, as openpyxl would. Column widths are measured from each
column's extremes and distinct texts; the exact measure visits every cell. Hypothesis makes the
rows: every kind of value a sheet can hold, None, negatives, huge numbers, Decimals, text with
&<>" and control characters, text longer than a cell holds, formula-like text, dates.
"""
from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st
from lxml import etree
from openpyxl.utils.datetime import to_excel

from recon.model import Duration
from recon.outputs.workbook import _fill
from recon.outputs.workbook.rows import DataRows, _shown_width, cell_value
from recon.outputs.workbook.sheets import Row
from recon.outputs.workbook.template import TEMPLATE, open_template, prototype_sheets

KIND = "summary"  # flags, a total row's look, wrapped messages, a date column: every look a sheet has
KEYS = ("month", "status", "variance", "close", "count", "time", "charge", "invoiced", "messages",
        "explanation", "reviewer", "signed_on")
FLAGS = ({}, {"status": "recon_ok"}, {"status": "recon_warning", "variance": "recon_fail"}, {"close": "recon_missing"})

TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=30)  # any character, surrogates too
LONG_TEXT = st.sampled_from(["拠点" * 17_000, "a&b<c>" * 6_000, "  x\r\n" * 7_000])  # longer than a cell holds
VALUES = {
    "none": st.none(),
    "int": st.integers(-(10**20), 10**20),
    "float": st.floats(-1e9, 1e9),  # an Excel day number; nan and inf: see the test of their own
    "decimal": st.decimals(allow_nan=False, allow_infinity=False),
    "text": st.one_of(TEXT, st.sampled_from(["", " lead", "trail ", "=SUM(A1)", "-3", "+1", "@x", "a\"b'c",
                                             "&amp;", "<t>", "\r", "\x00\x07", "\ufffe", "拠点003"])),
    "long": LONG_TEXT,
    "date": st.dates(date(1900, 3, 1), date(2100, 1, 1)),
    "datetime": st.datetimes(datetime(1900, 3, 1), datetime(2100, 1, 1)),
    "duration": st.builds(Duration, st.integers(-(10**7), 10**8)),
}


@st.composite
def sheet_rows(draw) -> list[Row]:
    """Rows of a few patterns (the kind of value in each column), so that patterns repeat as on
    a real sheet and their templates are used; each value drawn anew."""
    patterns = draw(st.lists(st.tuples(*(st.sampled_from(list(VALUES)) for _ in KEYS)), min_size=1, max_size=3))
    rows = []
    for _ in range(draw(st.integers(1, 12))):
        pattern = draw(st.sampled_from(patterns))
        values = {key: draw(VALUES[kind]) for key, kind in zip(KEYS, pattern)}
        rows.append(Row(values, draw(st.sampled_from(FLAGS)), draw(st.sampled_from(["data", "total"]))))
    return rows


def _filled(rows: list[Row]) -> DataRows:
    """The summary sheet of a fresh template, its data rows measured as the writer measures them."""
    wb = open_template(TEMPLATE)
    ws = prototype_sheets(wb, TEMPLATE)[KIND]
    return _fill(ws, KIND, "ja", lambda: rows)


def _general(data: DataRows) -> bytes:
    """Every row written cell by cell, never from a template."""
    rows = (data._row_xml(number, look.columns, cells) for number, (look, cells) in enumerate(data._made, data.first))
    return "".join(rows).encode("utf-8")


@settings(max_examples=150, deadline=None)
@given(sheet_rows())
def test_fast_path_agrees_with_writing_cell_by_cell_on_any_rows(rows):
    fast, exact = _filled(rows), _filled(rows)
    assert b"".join(fast.xml()) == _general(exact)
    assert list(fast.ws.parent._cell_styles) == list(exact.ws.parent._cell_styles)  # ids in the same order


def test_rows_of_one_look_and_types_are_written_from_a_template():
    """The test above compares something: repeated rows of one pattern do take the template."""
    rows = [Row({"month": f"2024-{m:02d}", "count": m, "time": Duration(m * 10), "charge": Decimal("1.5")})
            for m in range(1, 13)]
    data = _filled(rows)
    data_xml = b"".join(data.xml())
    [look] = data._looks.values()
    assert [template for template in look.templates.values() if template]
    assert data_xml == _general(_filled(rows))


@pytest.mark.parametrize("values", [
    {"messages": float("nan")}, {"messages": float("-inf")}, {"explanation": Decimal("NaN")},
    {"invoiced": Decimal("Infinity")}, {"charge": Decimal("-Infinity")},
])
def test_a_number_that_is_not_finite_is_written_empty_as_openpyxl_writes_it(values):
    rows = [Row({"month": f"2024-{m:02d}", "count": m} | values) for m in range(1, 4)]
    fast = b"".join(_filled(rows).xml())
    assert fast == _general(_filled(rows))
    assert fast.count(b"<v></v>") == 3


def _exact_widest(data: DataRows) -> list[dict[float, float]]:
    """Each column's widest shown value per font factor, every cell visited."""
    widest = [{} for _ in data.keys]
    for look, cells in data._made:
        for index, (column, value) in enumerate(zip(look.columns, cells)):
            if value is not None and not column.wraps:
                known = widest[index].get(column.factor)
                widest[index][column.factor] = max(_shown_width(value), known if known is not None else 0)
    return widest


@settings(max_examples=150, deadline=None)
@given(sheet_rows())
def test_fast_path_agrees_with_measuring_every_cell_on_column_widths(rows):
    data = _filled(rows)
    assert data.widest == _exact_widest(data)


@settings(max_examples=60, deadline=None)
@given(sheet_rows())
def test_written_rows_are_well_formed_xml_that_parses_back_to_their_values(rows):
    data = _filled(rows)
    xml = b"<sheetData>" + b"".join(data.xml()) + b"</sheetData>"
    parsed = {cell.get("r"): cell for cell in etree.fromstring(xml).iter("c")}  # raises unless well-formed
    for number, (look, cells) in enumerate(data._made, data.first):
        for letter, value in zip(data.letters, cells):
            cell = parsed.pop(f"{letter}{number}", None)
            if value is None:
                continue
            if isinstance(value, str):
                assert cell.get("t") == "inlineStr"
                assert "".join(cell.itertext()) == value
            else:
                assert cell.get("t") == "n"
                assert cell.findtext("v") == _number_text(value, data)
    assert all(cell.find("v") is None and cell.find("is") is None for cell in parsed.values())  # styled, empty


def _number_text(value, data: DataRows) -> str:
    """A number as openpyxl writes it; a date as its day number."""
    if isinstance(value, date):
        value = to_excel(value, data.ws.parent.epoch)
    return "" if not math.isfinite(value) else "%.16g" % value


def test_text_is_written_as_utf8_with_only_what_xml_needs_escaped():
    data = _filled([Row({"month": "拠点003 & <b>", "messages": "a\r\nb"})])
    xml = b"".join(data.xml()).decode("utf-8")
    assert "拠点003 &amp; &lt;b&gt;" in xml
    assert "a&#13;\nb" in xml
    assert cell_value("\x07\ud800") == "\ufffd\ufffd"


# ── text from an input, put into a single cell (titles, notes, the chart's table) ────────────────

FORMULA_LIKE = ["=1+2", '=HYPERLINK("http://example.com","x")', "+81 3 1234 5678", "-1,174", "@SUM(A1)"]


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_put_writes_formula_like_text_as_text_with_the_quote_prefix(text, tmp_path):
    import zipfile

    import openpyxl

    from recon.outputs.workbook.sheets import put

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["B1"].value = "neighbour"  # a cell in the default style, which the quoted one must not change
    put(sheet["A1"], text)
    assert (sheet["A1"].value, sheet["A1"].data_type, sheet["A1"].quotePrefix) == (text, "s", True)
    assert not sheet["B1"].quotePrefix
    book.save(tmp_path / "book.xlsx")
    with zipfile.ZipFile(tmp_path / "book.xlsx") as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    again = openpyxl.load_workbook(tmp_path / "book.xlsx").active["A1"]
    assert (again.value, again.data_type, again.quotePrefix) == (text, "s", True)


@pytest.mark.parametrize("text", ["a=b", " =1", "1-2", "通話"])
def test_put_writes_other_text_without_the_quote_prefix(text):
    import openpyxl

    from recon.outputs.workbook.sheets import put

    cell = openpyxl.Workbook().active["A1"]
    put(cell, text)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", False)
