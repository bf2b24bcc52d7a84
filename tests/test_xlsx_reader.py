"""The xlsx reader against the reader it replaced, openpyxl's read-only workbook with the old value
conversion: the same Grids (values, their types, their cells) for every workbook under tests/data/
and examples/ (a workbook dropped there is compared by itself), for workbooks built here part by
part, and for random ones. Where the two differ on purpose, a test below shows how and says why."""
from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import warnings
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recon import readers
from recon.errors import ReadError
from recon.model import Cell, Duration, Grid, Uncalculated, Where
from recon.readers import xlsx
from recon.values import days_to_tenths

ROOT = Path(__file__).parent.parent
SAMPLES = sorted(path for folder in ("tests/data", "examples") for path in (ROOT / folder).rglob("*.xlsx"))


# ── the oracle: the reader this one replaced, as it was ──────────────────────────────────────────

def openpyxl_grids(data: bytes, rel: str) -> list[Grid]:
    """openpyxl.load_workbook(read_only=True, data_only=True), each worksheet's values as the old
    reader converted them; but for a formula never calculated (no saved result, or a 0 or empty
    result in a workbook that asks to be recalculated on open), which has no value on purpose
    (SPEC §1.1) where openpyxl shows None or the placeholder: Uncalculated, with its formula."""
    with warnings.catch_warnings():  # openpyxl warns of what it shows as #VALUE!, of missing styles
        warnings.simplefilter("ignore", UserWarning)
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        recalculate = bool(formulas.calculation and formulas.calculation.fullCalcOnLoad)
        try:
            return [_old_grid(sheet.title, [_uncalculated(row, written, recalculate) for row, written in zip(
                sheet.iter_rows(values_only=True), formulas[sheet.title].iter_rows(values_only=True))], rel)
                for sheet in book.worksheets]
        finally:
            book.close()
            formulas.close()


def _uncalculated(row: tuple, written: tuple, recalculate: bool) -> tuple:
    return tuple(Uncalculated(f) if isinstance(f, str) and f.startswith("=") and f != v
                 and (v is None or (recalculate and v in _PLACEHOLDERS)) else v for v, f in zip(row, written))


# A saved result of 0 as openpyxl shows it, whatever the cell's number format.
_PLACEHOLDERS = (0, "", dt.time(0), dt.timedelta(0), dt.datetime(1899, 12, 30), dt.datetime(1904, 1, 1))


def _old_grid(title: str, raw_rows: list[tuple], rel: str) -> Grid:
    from openpyxl.utils import get_column_letter

    rows = []
    for r, row in enumerate(raw_rows, start=1):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            rows.append(())
            continue
        rows.append(tuple(
            Cell(_old_value(v), Where(rel, sheet=title, cell=f"{get_column_letter(c)}{r}"))
            for c, v in enumerate(row, start=1)
        ))
    return Grid(tuple(rows), title)


def _old_value(v):
    if v is None or isinstance(v, (str, Uncalculated)):
        return v
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return int(v) if v.is_integer() else Decimal(repr(v))
    if isinstance(v, dt.timedelta):
        return Duration(round(v / dt.timedelta(microseconds=100000)))
    if isinstance(v, dt.time):
        micro = ((v.hour * 60 + v.minute) * 60 + v.second) * 1_000_000 + v.microsecond
        return Duration(round(micro / 100000))
    if isinstance(v, dt.datetime):
        if v.year >= 1901:
            return v
        from openpyxl.utils.datetime import to_excel

        return Duration(days_to_tenths(to_excel(v)))
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day)
    return str(v)


def dump(grids: list[Grid]) -> list:
    """Grids as plain lists, each value with its type (== alone would take 1 for Decimal('1') or True).

    Laid out by what a sheet holds, on purpose (issue: bounded by content): a row ends at its last
    cell with a value, where openpyxl pads it to the sheet's <dimension>, and rows missing between
    two are one empty row, where openpyxl makes one for each number skipped. So both sides are
    compared without blank cells at a row's end, and with each run of empty rows as one."""
    def row_of(row) -> list:
        cells = [(type(c.value).__name__, c.value, str(c.where)) for c in row]
        while cells and cells[-1][1] is None:
            cells.pop()
        return cells

    def rows_of(grid: Grid) -> list:
        rows = []
        for row in map(row_of, grid.rows):
            if row or not rows or rows[-1]:
                rows.append(row)
        return rows
    return [(grid.name, rows_of(grid)) for grid in grids]


def assert_reads_as_openpyxl(data: bytes, rel: str = "book.xlsx") -> list[Grid]:
    grids, encoding = xlsx.read(data, rel)
    assert encoding is None
    assert dump(grids) == dump(openpyxl_grids(data, rel))
    return grids


# ── workbooks written part by part ──────────────────────────────────────────────────────────────

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"


def package(sheets: dict[str, str], strings: list[str] = (), formats: list[int | str] = (), *,
            date1904: bool = False, states: dict[str, str] | None = None, targets: dict[str, str] | None = None,
            parts: dict[str, bytes] | None = None) -> bytes:
    """A workbook from its XML. `sheets`: title → what is inside its <worksheet> (a <dimension>, the
    <sheetData>); `strings`: the inside of each shared <si>; `formats`: the number format of cell
    styles 1, 2, … (a built-in id, or a format code); `states`: title → hidden/veryHidden;
    `targets`: title → the relationship's Target (default worksheets/sheetN.xml); `parts`: more or
    replaced parts by path."""
    states, targets = states or {}, targets or {}
    sheet_list, relations, overrides = [], [], []
    files: dict[str, bytes] = {}
    for n, (title, body) in enumerate(sheets.items(), start=1):
        state = f' state="{states[title]}"' if title in states else ""
        sheet_list.append(f'<sheet name={quoteattr(title)} sheetId="{n}"{state} r:id="rId{n}"/>')
        relations.append(f'<Relationship Id="rId{n}" Type="{RELS}/worksheet" '
                         f'Target={quoteattr(targets.get(title, f"worksheets/sheet{n}.xml"))}/>')
        overrides.append(f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                         'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
        files[f"xl/worksheets/sheet{n}.xml"] = f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">{body}</worksheet>'.encode()
    relations.append(f'<Relationship Id="rIdStyles" Type="{RELS}/styles" Target="styles.xml"/>')
    if strings:
        relations.append(f'<Relationship Id="rIdStrings" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>')
        overrides.append('<Override PartName="/xl/sharedStrings.xml" '
                         'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
        items = "".join(f"<si>{item}</si>" for item in strings)
        files["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}" count="{len(strings)}">{items}</sst>'.encode()
    files["xl/styles.xml"] = styles_part(formats)
    calendar = '<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>"
    files["xl/workbook.xml"] = (f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}">{calendar}'
                                f'<sheets>{"".join(sheet_list)}</sheets></workbook>').encode()
    files["xl/_rels/workbook.xml.rels"] = f'<Relationships xmlns="{PACKAGE}">{"".join(relations)}</Relationships>'.encode()
    files["_rels/.rels"] = (f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
                            f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode()
    files["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f'{"".join(overrides)}</Types>').encode()
    files.update(parts or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def styles_part(formats: list[int | str]) -> bytes:
    """A styles part whose cell style 0 is General and 1, 2, … show `formats`."""
    custom = {f: 164 + i for i, f in enumerate(dict.fromkeys(f for f in formats if isinstance(f, str)))}
    number_formats = "".join(f'<numFmt numFmtId="{i}" formatCode={quoteattr(f)}/>' for f, i in custom.items())
    xfs = "".join(f'<xf numFmtId="{custom.get(f, f)}" fontId="0" fillId="0" borderId="0" xfId="0"/>' for f in formats)
    return (f'<styleSheet xmlns="{MAIN}"><numFmts>{number_formats}</numFmts>'
            '<fonts count="1"><font><sz val="11"/></font></fonts><fills count="1"><fill><patternFill/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
            f'<cellXfs><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>{xfs}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>').encode()


def rows(*cells_by_row: str, dimension: str | None = None) -> str:
    """A <sheetData> of <row r="1">, <row r="2">, … holding each argument's cells ("" for none)."""
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    body = "".join(f'<row r="{r}">{cells}</row>' for r, cells in enumerate(cells_by_row, start=1) if cells)
    return f"{head}<sheetData>{body}</sheetData>"


def number(ref: str, value, style: int = 0) -> str:
    return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>' if style else f'<c r="{ref}"><v>{value!r}</v></c>'


def tenths(t: int) -> float:
    """The day number Excel stores for a duration of t tenths of a second."""
    return t / 864000


# ── every sample workbook ────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_sample_workbook_reads_as_openpyxl_read_it(path):
    data = path.read_bytes()
    if readers.junk(data, path.suffix):
        pytest.skip(f"not a workbook ({readers.junk(data, path.suffix)}): recon ignores it")
    try:
        expected = openpyxl_grids(data, path.name)
    except zipfile.BadZipFile:
        with pytest.raises(ReadError, match="not a zip archive"):
            xlsx.read(data, path.name)
        return
    if _is_strict(data):  # openpyxl reads a Strict workbook as empty sheets: compared with its twin
        expected = openpyxl_grids(_as_transitional(data), path.name)
    assert dump(xlsx.read(data, path.name)[0]) == dump(expected)


def _is_strict(data: bytes) -> bool:
    try:
        return b"purl.oclc.org/ooxml" in zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")
    except (zipfile.BadZipFile, KeyError):
        return False


def _as_transitional(data: bytes) -> bytes:
    """A Strict Open XML workbook in the transitional namespaces, as openpyxl reads them."""
    return _rezip_all(data, lambda content: content
                      .replace(b"http://purl.oclc.org/ooxml/spreadsheetml/main", MAIN.encode())
                      .replace(b"http://purl.oclc.org/ooxml/officeDocument/relationships",
                               b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"))


def _rezip_all(data: bytes, change) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, change(source.read(name)))
    return out.getvalue()


def test_a_strict_workbook_reads_where_openpyxl_sees_empty_sheets():
    """Differs on purpose: Excel's 「Strict Open XML スプレッドシート」 names its parts in other
    namespaces; openpyxl finds no cell in them, this reader reads them as the transitional ones."""
    strict = [p for p in SAMPLES if p.read_bytes().startswith(b"PK") and _is_strict(p.read_bytes())]
    assert strict
    for path in strict:
        data = path.read_bytes()
        assert all(not any(row) for g in openpyxl_grids(data, path.name) for row in g.rows)
        assert dump(xlsx.read(data, path.name)[0]) == dump(openpyxl_grids(_as_transitional(data), path.name))


def test_the_samples_include_real_workbooks():
    assert len(SAMPLES) >= 10
    assert sum(1 for p in SAMPLES if p.read_bytes().startswith(b"PK")) >= 10


# ── workbooks openpyxl writes ────────────────────────────────────────────────────────────────────

def _written_by_openpyxl(epoch_1904: bool) -> bytes:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = openpyxl.Workbook()
    if epoch_1904:
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.title = "明細"
    sheet["B1"] = "2024年1月分"
    sheet["B2"] = dt.datetime(2024, 1, 31, 23, 59, 59)
    sheet["C2"] = dt.date(2024, 2, 29)
    sheet.append([None, "一般通話", 1096, dt.timedelta(seconds=103793.5), 10240, True, "#N/A"])
    sheet.append([None, "国際通話", 600, dt.timedelta(hours=55, seconds=0.5), -96870.5, False, "=SUM(C3:C4)"])
    sheet["D4"].number_format = "[h]:mm:ss.0"
    sheet["D3"].number_format = "[h]:mm:ss.0"
    sheet["B6"] = dt.time(12, 34, 56)
    sheet["C6"] = CellRichText(["太字 ", TextBlock(InlineFont(b=True), "bold")])
    sheet["H9"] = "   "  # a row of blanks
    sheet["J12"] = 0.1
    hidden = book.create_sheet("hidden")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "not shown, still read"
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=3, min_row=3, max_row=4))
    book.create_chartsheet("グラフ", 1).add_chart(chart)
    book.create_sheet("empty")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("epoch_1904", [False, True], ids=["1900", "1904"])
def test_a_workbook_openpyxl_wrote_reads_as_openpyxl_read_it(epoch_1904):
    grids = assert_reads_as_openpyxl(_written_by_openpyxl(epoch_1904))
    assert [g.name for g in grids] == ["明細", "hidden", "empty"]  # the chartsheet is no grid
    detail = grids[0]
    assert detail.rows[1][1].value == dt.datetime(2024, 1, 31, 23, 59, 59)
    assert detail.rows[2][3].value == Duration(1037935)
    assert str(detail.rows[2][3].where) == "book.xlsx:明細!D3"


# ── workbooks built part by part: each thing a sheet may hold ────────────────────────────────────

RICH = '<r><t xml:space="preserve">通話 </t></r><r><rPr><b/></rPr><t>明細</t></r>'
PHONETIC = '<t>一般通話</t><rPh sb="0" eb="2"><t>イッパン</t></rPh><phoneticPr fontId="1"/>'

BUILT = {
    "several sheets, sparse cells, no dimension": package({
        "first": rows('<c r="B1" t="s"><v>0</v></c><c r="E1"><v>7</v></c>', "", "", '<c r="C4"><v>1</v></c>'),
        "second": rows('<c r="A1"><v>2</v></c>', '<c r="F2" t="s"><v>0</v></c>'),
        "third": rows(),
    }, ["見出し"]),
    "shared strings: plain, rich text, spaces kept, phonetic guides, escapes": package({
        "s": rows(*(f'<c r="A{i}" t="s"><v>{i - 1}</v></c><c r="B{i}"><v>{i}</v></c>' for i in range(1, 9)),
                  dimension="A1:B8"),
    }, ["<t>plain</t>", RICH, '<t xml:space="preserve">  padded  </t>', PHONETIC, "<t>a_x005F_x000D_b_x000D_c</t>",
        "<t/>", "<t>   </t>", "<t>改行\nあり</t>"]),
    "inline strings, booleans, errors, formulas' cached values": package({
        "s": rows(f'<c r="A1" t="inlineStr"><is>{RICH}</is></c><c r="B1" t="inlineStr"><is><t>x</t></is></c>'
                  '<c r="C1" t="inlineStr"><is/></c><c r="D1" t="inlineStr"/>',
                  '<c r="A2" t="b"><v>1</v></c><c r="B2" t="b"><v>0</v></c><c r="C2" t="e"><v>#VALUE!</v></c>'
                  '<c r="D2" t="e"><v>#DIV/0!</v></c>',
                  '<c r="A3" t="str"><f>A1&amp;"x"</f><v>通話明細x</v></c><c r="B3"><f>SUM(1,2)</f><v>3</v></c>'
                  '<c r="C3"><f>NOW()</f></c><c r="D3"><v></v></c><c r="E3" t="str"><f>""</f><v></v></c>',
                  dimension="A1:E3"),
    }),
    "numbers": package({
        "s": rows('<c r="A1"><v>1096</v></c><c r="B1"><v>-1174</v></c><c r="C1"><v>0.1</v></c>'
                  '<c r="D1"><v>12.0</v></c><c r="E1"><v>1E3</v></c><c r="F1"><v>1.5e-3</v></c>'
                  '<c r="G1"><v>123456789012345</v></c><c r="H1"><v>-0.5</v></c><c r="I1"><v>1e+20</v></c>'
                  '<c r="J1" s="1"><v>10240.5</v></c><c r="K1" s="2"><v>3</v></c><c r="L1"><v>1e999</v></c>'),
    }, formats=[3, "0.0", "#,##0"]),
    "dates, built in and custom": package({
        "s": rows("".join([
            number("A1", 45292, 1), number("B1", 45292.75, 2), number("C1", 45322.999988426, 3),
            number("D1", 45292, 4), number("E1", 45292.5, 5), number("F1", 100, 3), number("G1", 2958465.9999, 3),
            number("H1", 2958466, 3), number("I1", 45350, 6), number("J1", 45351, 7),
            '<c r="K1" s="3"><v>1e999</v></c><c r="L1" s="3"><v>-1e999</v></c>'])),
    }, formats=[14, 22, "yyyy/m/d h:mm:ss", 'yyyy"年"m"月"', "[$-411]ggge年m月d日", "m/d/yyyy;@",
                'd" days"']),
    "durations and times": package({
        "s": rows("".join([
            number("A1", tenths(1037935), 1), number("B1", tenths(1980600), 2), number("C1", tenths(36000), 3),
            number("D1", tenths(1296000), 4), number("E1", tenths(4316635), 4), number("F1", tenths(915), 5),
            number("G1", tenths(12345), 6), number("H1", tenths(86400000), 4), number("I1", tenths(-36000), 1),
            number("J1", tenths(1234), 7), number("K1", tenths(1800), 8), number("L1", tenths(49 * 864000 + 5), 4),
            number("M1", 0, 4), number("N1", 1, 3), '<c r="O1" s="1"><v>1e999</v></c>'])),
    }, formats=["[h]:mm:ss.0", 46, 21, "h:mm:ss", 47, 45, "[mm]:ss", "[ss].0"]),
    "the 1904 calendar: dates, times and durations": package({
        "s": rows("".join([
            number("A1", 43830, 1), number("B1", 43830.25, 2), number("C1", tenths(40000), 3),
            number("D1", tenths(1037935), 4), number("E1", tenths(40000), 5)])),
    }, formats=[14, 22, "h:mm:ss", "[h]:mm:ss.0", 21], date1904=True),
    "ISO dates (t=d)": package({
        "s": rows('<c r="A1" t="d"><v>2024-03-01</v></c><c r="B1" t="d"><v>2024-03-01T10:20:30</v></c>'
                  '<c r="C1" t="d"><v>2024-03-01T10:20:30.5</v></c><c r="D1" t="d"><v>2024-03-01T10:20:30Z</v></c>'
                  '<c r="E1" t="d"><v>1899-12-31T10:00:00</v></c><c r="F1" t="d"><v>1899-12-30T01:02:03.4</v></c>'
                  '<c r="G1" t="d"><v>1900-01-05T06:00:00</v></c><c r="H1" t="d"><v>12:34:56</v></c>'
                  '<c r="I1" t="d"><v>1900-01-05</v></c><c r="J1" t="d"><v>2024-03-01T10:20:30+09:00</v></c>'),
    }),
    "hidden sheets are read": package({"shown": rows('<c r="A1"><v>1</v></c>'),
                                       "hidden": rows('<c r="A1"><v>2</v></c>'),
                                       "very hidden": rows('<c r="A1"><v>3</v></c>')},
                                      states={"hidden": "hidden", "very hidden": "veryHidden"}),
    "a dimension that lies: larger than the data": package({
        "s": rows('<c r="B2"><v>2</v></c>', "", dimension="A1:H40"),
        "columns": rows('<c r="B2"><v>2</v></c>', dimension="A:F"),
        "rows": rows('<c r="B2"><v>2</v></c>', '<c r="A3"><v>2</v></c>', dimension="3:9"),
    }),
    "rows and cells without r, out of order, repeated; lower-case references": package({
        "s": "<sheetData>"
             '<row><c><v>1</v></c><c><v>2</v></c><c r="E1"><v>5</v></c><c><v>6</v></c></row>'
             '<row r="3"><c r="b3"><v>3</v></c></row><row><c r="A4"><v>4</v></c></row>'
             '<row r="2"><c r="A2"><v>99</v></c></row><row r="4"><c r="A4"><v>98</v></c></row>'
             '<row r="6" spans="1:3" ht="20" customHeight="1"><c r="C6" s="0"><v>6</v></c><extLst/></row>'
             '<row r="7.0"><c r="A7"><v>7</v></c></row>'
             "</sheetData>",
    }),
    "relationship targets: absolute, relative, and a missing part": package({
        "absolute": rows('<c r="A1"><v>1</v></c>'), "relative": rows('<c r="A1"><v>2</v></c>'),
        "missing": rows('<c r="A1"><v>3</v></c>'),
    }, targets={"absolute": "/xl/worksheets/sheet1.xml", "relative": "./worksheets/../worksheets/sheet2.xml",
                "missing": "worksheets/nowhere.xml"}),
    "styles: an id past cellXfs, a custom format reusing a built-in id": package({
        "s": rows(number("A1", 45292, 9) + number("B1", 45292, 1) + number("C1", 45292.5, 2)),
    }, parts={"xl/styles.xml": (
        f'<styleSheet xmlns="{MAIN}"><numFmts><numFmt numFmtId="14" formatCode="0.00"/>'
        '<numFmt numFmtId="2" formatCode="yyyy-mm-dd"/></numFmts><fonts count="1"><font/></fonts>'
        '<fills count="1"><fill><patternFill/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="2"/></cellXfs></styleSheet>').encode()}),
    "blank rows: spaces and empty strings only": package({
        "s": rows('<c r="A1" t="inlineStr"><is><t>  </t></is></c><c r="B1" t="s"><v>0</v></c>',
                  '<c r="A2" t="inlineStr"><is><t>x</t></is></c><c r="C2" t="s"><v>0</v></c>'),
    }, ["<t></t>"]),
}


@pytest.mark.parametrize("data", BUILT.values(), ids=BUILT.keys())
def test_a_built_workbook_reads_as_openpyxl_read_it(data):
    assert_reads_as_openpyxl(data)


def test_what_the_built_workbooks_hold():
    """Spot checks that the comparisons above compare something."""
    grid = xlsx.read(BUILT["shared strings: plain, rich text, spaces kept, phonetic guides, escapes"], "b.xlsx")[0][0]
    assert [row[0].value for row in grid.rows if row] == [
        "plain", "通話 明細", "  padded  ", "一般通話", "a_x000D_b_x000D_c", "", "   ", "改行\nあり"]
    grid = xlsx.read(BUILT["durations and times"], "b.xlsx")[0][0]
    assert [c.value for c in grid.rows[0]][:5] == [Duration(1037935), Duration(1980600), Duration(36000),
                                                   Duration(1296000), Duration(4316635)]


def test_a_dimension_smaller_than_the_data_hides_no_row_or_cell():
    """openpyxl reads only what a sheet's <dimension> claims; a writer that understates it would
    make rows vanish without a word. Here every cell is read, each row as wide as its last cell."""
    data = package({"s": rows('<c r="A1"><v>1</v></c><c r="D1"><v>4</v></c>', '<c r="B2"><v>2</v></c>',
                              '<c r="C3"><v>3</v></c>', "", '<c r="A5"><v>5</v></c>', dimension="A1:B2")})
    grid = xlsx.read(data, "b.xlsx")[0][0]
    assert [[c.value for c in row] for row in grid.rows] == [
        [1, None, None, 4], [None, 2], [None, None, 3], [], [5]]
    assert str(grid.rows[2][2].where) == "b.xlsx:s!C3"


# ── random workbooks ────────────────────────────────────────────────────────────────────────────

FORMATS = [3, 14, 21, 22, 45, 46, 47, "[h]:mm:ss.0", "h:mm:ss", "yyyy/m/d", "0.0", '"h"0', "[mm]:ss"]
ELAPSED = {46, "[h]:mm:ss.0", "[mm]:ss"}
CLOCK_OR_CALENDAR = {14, 21, 22, 45, 47, "h:mm:ss", "yyyy/m/d"}
_styles = st.integers(0, len(FORMATS) + 1)  # 0 is General; the last is no style at all
_not_elapsed = st.sampled_from([0] + [i for i, f in enumerate(FORMATS, start=1) if f not in ELAPSED])
_xml_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from(" \t\n"),
                    max_size=12)
# Fractions of a day are tenths of a second as Excel stores them (openpyxl rounds other day numbers
# twice, see below), not from 60 to 61 days (openpyxl's 1900 leap day) and under 50,000 days (past
# that openpyxl's float microseconds slip). Day numbers before year 1 are left out: openpyxl shows
# them as #VALUE! under a date format, this reader as the Duration they are.
_numbers = st.one_of(
    st.integers(-600_000, 10**7),
    st.decimals(-50_000, 50_000, places=3, allow_nan=False, allow_infinity=False).map(float),
    st.integers(-10**7, 50_000 * 864000).map(tenths),
).filter(lambda days: not 60 <= days < 61)
_cells = st.one_of(
    st.tuples(st.just("n"), _numbers, _styles),
    st.tuples(st.just("n"), st.floats(367, 2_958_465, allow_nan=False), _not_elapsed),  # any date and time
    st.tuples(st.sampled_from(["s", "inlineStr", "str"]), _xml_text, st.just(0)),
    st.tuples(st.just("b"), st.booleans(), st.just(0)),
    st.tuples(st.just("e"), st.sampled_from(["#N/A", "#VALUE!", "#REF!"]), st.just(0)),
)


def _random_sheet(cells: dict[tuple[int, int], tuple], strings: list[str], dimension: str | None) -> str:
    by_row: dict[int, list[str]] = {}
    for (r, c), (kind, value, style) in sorted(cells.items()):
        ref = f"{xlsx._letters(c)}{r}"
        if kind == "n":
            xml = number(ref, value, style)
        elif kind == "s":
            strings.append(f'<t xml:space="preserve">{escape(value)}</t>')
            xml = f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>'
        elif kind == "inlineStr":
            xml = f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
        elif kind == "b":
            xml = f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        else:
            xml = f'<c r="{ref}" t="{kind}"><v>{escape(value)}</v></c>'
        by_row.setdefault(r, []).append(xml)
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    body = "".join(f'<row r="{r}">{"".join(xml)}</row>' for r, xml in sorted(by_row.items()))
    return f"{head}<sheetData>{body}</sheetData>"


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets=st.lists(st.dictionaries(st.tuples(st.integers(1, 25), st.integers(1, 9)), _cells, max_size=30),
                       min_size=1, max_size=3),
       # dimensions that hold the data: one that understates it is read in full here, not as openpyxl
       # does (test_a_dimension_smaller_than_the_data_hides_no_row_or_cell)
       dimensions=st.lists(st.one_of(st.none(), st.sampled_from(["A1:I25", "A1:Z99"])),
                           min_size=3, max_size=3),
       date1904=st.booleans())
def test_a_random_workbook_reads_as_openpyxl_read_it(sheets, dimensions, date1904):
    strings: list[str] = []
    bodies = {f"sheet {i}": _random_sheet(cells, strings, dimensions[i]) for i, cells in enumerate(sheets)}
    # In the 1904 calendar openpyxl makes a time of a day or more a date in 1904 (see below).
    formats = ["0.00" if date1904 and f in CLOCK_OR_CALENDAR else f for f in FORMATS]
    assert_reads_as_openpyxl(package(bodies, strings, formats, date1904=date1904))


def test_the_built_in_date_and_time_formats_are_openpyxls():
    from openpyxl.styles import numbers

    built_in = numbers.BUILTIN_FORMATS.items()
    assert xlsx._BUILTIN_DATES == {i for i, code in built_in if numbers.is_date_format(code)} | xlsx._EAST_ASIAN_DATES
    assert xlsx._BUILTIN_DURATIONS == {i for i, code in built_in if numbers.is_timedelta_format(code)}


@settings(max_examples=500, deadline=None, database=None)
@given(code=st.text(st.sampled_from('dmhysDMHYS0#.,:;"[]\\_ -/@$年月日時分秒AMPgeE'), max_size=16)
       | st.sampled_from(["[h]:mm:ss.0", "[H]:MM:SS", '"h"0', "[$-411]ggge年m月d日", "[Red]0.0", "mm:ss;@",
                          "[mm]:ss", "[ss].0", "h:mm;[h]:mm", r"0\h", "_h0", "General"]))
def test_a_format_code_is_a_date_or_a_duration_as_openpyxl_says(code):
    """The reader's copy of openpyxl's two tests (copied so that reading never imports openpyxl)."""
    from openpyxl.styles import numbers

    assert xlsx._is_date_format(code) == numbers.is_date_format(code)
    assert xlsx._is_elapsed_format(code) == numbers.is_timedelta_format(code)


# ── reading some sheets ──────────────────────────────────────────────────────────────────────────

def test_read_sheets_reads_only_the_sheets_named_in_workbook_order():
    data = BUILT["several sheets, sparse cells, no dimension"]
    every = xlsx.read(data, "b.xlsx")[0]
    assert xlsx.read_sheets(data, "b.xlsx", {"third", "first"}) == [every[0], every[2]]
    assert xlsx.read_sheets(data, "b.xlsx", {"nowhere"}) == []
    assert xlsx.read_sheets(data, "b.xlsx", None) == every


def test_reading_a_workbook_never_imports_openpyxl():
    """openpyxl costs ~140 ms to import (it brings numpy); a `recon check` of text and xlsx months
    no longer needs it at all."""
    program = ("import sys; from pathlib import Path; from recon.readers import xlsx; "
               f"xlsx.read(Path({str(ROOT / 'tests/data/seed/2024-01.xlsx')!r}).read_bytes(), 'x.xlsx'); "
               "print(sorted(m for m in sys.modules if m.split('.')[0] in ('openpyxl', 'numpy', 'lxml')))")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"


# ── where this reader differs from openpyxl on purpose ───────────────────────────────────────────

def test_a_duration_is_rounded_once_from_the_day_number():
    """2.1496 s is 2.1 s. openpyxl rounds a day number to the millisecond first (2.150 s), which the
    old reader then rounded to even, 2.2 s."""
    data = package({"s": rows(number("A1", 2.1496 / 86400, 1) + number("B1", 2.1496 / 86400, 2))},
                   formats=["[h]:mm:ss.0", "h:mm:ss.0"])
    assert [c.value for c in xlsx.read(data, "b.xlsx")[0][0].rows[0]] == [Duration(21), Duration(21)]
    assert [c.value for c in openpyxl_grids(data, "b.xlsx")[0].rows[0]] == [Duration(22), Duration(22)]


def test_a_time_of_a_day_or_more_is_a_duration_in_the_1904_calendar_too():
    """In a 1904 workbook openpyxl makes h:mm:ss 36:00:00 the date 1904-01-02 12:00, which no table
    can use; the same day number in a 1900 workbook was already a duration."""
    data = package({"s": rows(number("A1", 1.5, 1) + number("B1", 45.5, 2))}, formats=["h:mm:ss", "mm:ss"],
                   date1904=True)
    assert [c.value for c in xlsx.read(data, "b.xlsx")[0][0].rows[0]] == [Duration(1296000), Duration(39312000)]
    assert [c.value for c in openpyxl_grids(data, "b.xlsx")[0].rows[0]] == [
        dt.datetime(1904, 1, 2, 12), dt.datetime(1904, 2, 15, 12)]


def test_sixty_days_of_time_are_sixty_days():
    """openpyxl's 1900 leap-day correction turns a day number from 60 to 61 into 59.x days."""
    data = package({"s": rows(number("A1", 60.5, 1))}, formats=["h:mm:ss"])
    assert xlsx.read(data, "b.xlsx")[0][0].rows[0][0].value == Duration(days_to_tenths(60.5))
    assert openpyxl_grids(data, "b.xlsx")[0].rows[0][0].value == Duration(days_to_tenths(59.5))


# ── hostile and damaged workbooks ────────────────────────────────────────────────────────────────

SEED = (ROOT / "tests/data/seed/2024-01.xlsx").read_bytes()
DOCTYPE = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'


def _rezip(data: bytes, member: str, change) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            target.writestr(name, change(content) if name == member else content)
    return out.getvalue()


def _with_doctype(xml: bytes) -> bytes:
    return xml.replace(b"?>", b"?>" + DOCTYPE, 1) if xml.startswith(b"<?xml") else DOCTYPE + xml


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/sharedStrings.xml",
                                    "xl/styles.xml", "xl/_rels/workbook.xml.rels", "_rels/.rels"])
def test_a_dtd_in_any_part_read_is_refused_as_an_xml_attack(member):
    data = BUILT["several sheets, sparse cells, no dimension"]
    with pytest.raises(ReadError) as caught:
        xlsx.read(_rezip(data, member, _with_doctype), "b.xlsx")
    assert (caught.value.expected, caught.value.found) == ("safe_xml", "DTDForbidden")


def test_a_dtd_in_another_encoding_is_refused_too():
    def utf16(xml: bytes) -> bytes:
        return ('<?xml version="1.0" encoding="UTF-16"?>' + _with_doctype(xml).decode()).encode("utf-16")
    with pytest.raises(ReadError) as caught:
        xlsx.read(_rezip(BUILT["several sheets, sparse cells, no dimension"], "xl/workbook.xml", utf16), "b.xlsx")
    assert caught.value.expected == "safe_xml"


def _corrupt_deflate(data: bytes, member: str) -> bytes:
    """The workbook with one member's compressed bytes overwritten (the zip directory still sound)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
    raw = bytearray(data)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start:start + 8] = b"\xff" * 8
    return bytes(raw)


def _zip_version(data: bytes, version: int) -> bytes:
    """The workbook with its zip directory saying the first part needs zip version `version` / 10."""
    raw = bytearray(data)
    raw[raw.find(b"PK\x01\x02") + 6] = version
    return bytes(raw)


SHEET = "xl/worksheets/sheet1.xml"
DAMAGED = [
    ("sheet cut short", lambda d: _rezip(d, SHEET, lambda c: c[: len(c) // 2]),
     "2024-01.xlsx: expected an Excel workbook (.xlsx), found 'xl/worksheets/sheet1.xml: "),
    ("a number that is none", lambda d: _rezip(d, SHEET, lambda c: c.replace(b"<v>1096</v>", b"<v>abc</v>")),
     "2024-01.xlsx:明細!D6: expected an Excel workbook (.xlsx), found 'cell value 'abc' ("),
    ("a cell reference past ZZZ", lambda d: _rezip(d, SHEET, lambda c: c.replace(b'r="D6"', b'r="ZZZZ6"')),
     "2024-01.xlsx:明細!ZZZZ6: expected an Excel workbook (.xlsx), found 'cell reference 'ZZZZ6''"),
    ("a row number that is none", lambda d: _rezip(d, SHEET, lambda c: c.replace(b'<row r="6"', b'<row r="six"')),
     "2024-01.xlsx: expected an Excel workbook (.xlsx), found 'row number 'six''"),
    ("a shared string that is not there", lambda d: _rezip(d, SHEET, lambda c: c.replace(
        b'<c r="B6" t="inlineStr"><is><t>', b'<c r="B6" t="s"><v>99</v><is><t>')),
     "2024-01.xlsx:明細!B6: expected an Excel workbook (.xlsx), found 'cell value '99' (shared string 99 of 0)'"),
    ("an entity never declared", lambda d: _rezip(d, "xl/workbook.xml", lambda c: c.replace(b'name="', b'name="&x;', 1)),
     "2024-01.xlsx: expected an Excel workbook (.xlsx), found 'xl/workbook.xml: undefined entity"),
    ("an unknown encoding", lambda d: _rezip(d, "xl/styles.xml", lambda c: b'<?xml version="1.0" encoding="x-nowhere"?>' + c),
     "2024-01.xlsx: expected an Excel workbook (.xlsx), found 'xl/styles.xml: unknown encoding"),
    ("a number format id that is none", lambda d: _rezip(d, "xl/styles.xml", lambda c: c.replace(b'numFmtId="3"', b'numFmtId="x"')),
     "2024-01.xlsx: expected an Excel workbook (.xlsx), found 'xl/styles.xml: number format id 'x''"),
    ("no workbook part", lambda d: _rezip(d, "_rels/.rels", lambda c: c.replace(b"xl/workbook.xml", b"xl/nowhere.xml")),
     "2024-01.xlsx: expected an Excel workbook (.xlsx), found 'no workbook part'"),
    ("a sheet with no relationship", lambda d: _rezip(d, "xl/workbook.xml", lambda c: c.replace(b'r:id="rId1"', b'r:id="rId9"')),
     "2024-01.xlsx: expected an Excel workbook (.xlsx), found 'no part for sheet 明細'"),
    ("a dimension that is none", lambda d: _rezip(d, SHEET, lambda c: c.replace(b'F14"/>', b'F14?"/>')),
     "2024-01.xlsx: expected an Excel workbook (.xlsx), found 'sheet dimension 'B1:F14?''"),
    ("a zip version no reader has", lambda d: _zip_version(d, 118),
     "2024-01.xlsx: expected an Excel workbook (.xlsx), found 'not a zip archive (zip file version 11.8)'"),
    ("deflated bytes that do not inflate", lambda d: _corrupt_deflate(d, SHEET),
     "2024-01.xlsx: expected an Excel workbook (.xlsx), found '"),
]


@pytest.mark.parametrize("name, damage, message", DAMAGED, ids=[d[0] for d in DAMAGED])
def test_a_damaged_workbook_is_a_read_error_saying_what_is_wrong(name, damage, message):
    data = damage(SEED)
    assert data != SEED
    with pytest.raises(ReadError) as caught:
        xlsx.read(data, "2024-01.xlsx")
    assert str(caught.value).startswith(message)


def test_a_time_in_a_japanese_locale_format_excel_does_not_write_out_is_a_duration():
    """Japanese Excel saves 4:40:45 typed as 4時40分45秒 with the built-in id 33 and no numFmt."""
    data = package({"s": rows(number("A1", tenths(168450), 1) + number("B1", 45292.0, 2))}, formats=[33, 31])
    grid = xlsx.read(data, "b.xlsx")[0][0]
    assert [c.value for c in grid.rows[0]] == [Duration(168450), dt.datetime(2024, 1, 1)]


# ── formulas: the result saved with them, or no value ───────────────────────────────────────────

def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _seed_sheet(**cells: str) -> str:
    """The seed's table at A1 (counts and yen as numbers, times as text), with cells replaced by ref."""
    lines = [["明細", "通話種別", "通話数", "通話時間", "通話料金"], ["通話", "一般通話", 1096, "28:49:53.5", 10240],
             ["", "国際通話", 600, "55:01:00.0", 96870], ["", "合計", 1696, "83:50:53.5", 107110],
             ["着割", "着割対象通話", 3016, "39:07:43.0", -1174]]
    body = []
    for r, line in enumerate(lines, start=1):
        row = []
        for c, value in zip("ABCDE", line):
            ref = f"{c}{r}"
            row.append(cells.get(ref) if ref in cells else
                       number(ref, value) if isinstance(value, int) else _inline(ref, value) if value else "")
        body.append(row)
    return rows(*["".join(row) for row in body])


def _book(sheet: str, recalculate: bool) -> bytes:
    data = package({"明細": sheet})
    if not recalculate:
        return data
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/workbook.xml":
                content = content.replace(b"</workbook>", b'<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')
            target.writestr(name, content)
    return out.getvalue()


def _table(data: bytes):
    from recon.table import find_tables

    (grid,) = xlsx.read(data, "2024-01.xlsx")[0]
    (table,) = find_tables(grid)
    return table


@pytest.mark.parametrize("formula, recalculate", [
    ('<c r="C4"><f>SUM(C2:C3)</f></c>', False),  # openpyxl: no saved result
    ('<c r="C4"><f>SUM(C2:C3)</f><v></v></c>', False),
    ('<c r="C4"><f>SUM(C2:C3)</f><v>0</v></c>', True),  # XlsxWriter: 0, and recalculate on open
    ('<c r="C4"><f t="shared" ref="C4:E4" si="0">SUM(C2:C3)</f><v>0</v></c>', True),
])
def test_a_total_formula_never_calculated_is_absent_and_said_so(formula, recalculate):
    table = _table(_book(_seed_sheet(C4=formula), recalculate))
    assert (table.stated_total.count, table.stated_total.tenths, table.stated_total.charge) == (None, 3018535, 107110)
    (note,) = table.notes
    assert note.key == "stated_uncalculated" and dict(note.params) == {
        "where": Where("2024-01.xlsx", sheet="明細", cell="C4"), "row": "合計", "formula": "=SUM(C2:C3)"}


@pytest.mark.parametrize("formula, recalculate, stated", [
    ('<c r="C4"><f>SUM(C2:C3)</f><v>1696</v></c>', False, 1696),  # Excel's saved result
    ('<c r="C4"><f>SUM(C2:C3)</f><v>1696</v></c>', True, 1696),  # a result the writer gave: not a placeholder
    ('<c r="C4"><f>C2*0</f><v>0</v></c>', False, 0),  # calculated to 0 by Excel: a stated 0
    ('<c r="C4"><v>0</v></c>', True, 0),  # a plain 0, in a workbook that asks to be recalculated
])
def test_a_formula_counts_with_the_result_saved_with_it(formula, recalculate, stated):
    table = _table(_book(_seed_sheet(C4=formula), recalculate))
    assert table.stated_total.count == stated and table.notes == ()


@pytest.mark.parametrize("ref", ["C2", "D3", "E2", "D5"])  # a call type's figures, and the 着割 time
def test_a_formula_never_calculated_where_a_figure_is_computed_from_is_an_error_at_its_cell(ref):
    from recon.errors import ReconError
    from recon.labels import render

    with pytest.raises(ReconError) as caught:
        _table(_book(_seed_sheet(**{ref: f'<c r="{ref}"><f>1+1</f><v>0</v></c>'}), True))
    line = render(caught.value.message(), "en")
    assert line.startswith(f"2024-01.xlsx:明細!{ref}: expected a calculated value") and "'=1+1'" in line
    assert "save it once" in line


@pytest.mark.parametrize("ref, absent", [("C5", "count"), ("E5", "stated")])
def test_the_stated_discount_or_its_count_as_a_formula_never_calculated_is_absent(ref, absent):
    table = _table(_book(_seed_sheet(**{ref: f'<c r="{ref}"><f>0-1174</f></c>'}), False))
    assert getattr(table.discount, absent) is None and table.discount.tenths == 1408630
    assert [n.key for n in table.notes] == ["stated_uncalculated"] and dict(table.notes[0].params)["row"] == "着割対象通話"


# ── why this reader and not python-calamine (recon/readers/xlsx.py's docstring) ────────────────
# The reader stays because python-calamine, which reads .ods and .xls here, reads some .xlsx
# wrongly: these tests show each case. One that starts failing means python-calamine has been
# fixed there: measure again (benchmarks/own_code.py) and say so in the docstring.

CALAMINE_CAP = 500 * 1024 * 1024  # bytes of address space, as tests/test_hostile.py gives a whole build


def _calamine_laid_out(data: bytes) -> subprocess.CompletedProcess:
    """python-calamine reading `data` (every sheet, from A1) in a process of its own, its memory
    capped; it prints the rows and columns it laid out."""
    import resource

    def capped() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (CALAMINE_CAP, CALAMINE_CAP))

    program = ("import io, sys, python_calamine\n"
               "book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(sys.stdin.buffer.read()))\n"
               "rows = [r for n in book.sheet_names for r in book.get_sheet_by_name(n).to_python(skip_empty_area=False)]\n"
               "print(len(rows), max(map(len, rows)))\n")
    return subprocess.run([sys.executable, "-c", program], input=data, capture_output=True, check=False,
                          preexec_fn=capped, timeout=120, env={"PATH": "/usr/bin:/bin"})


def _calamine_version() -> str:
    from importlib.metadata import version

    return version("python-calamine")


@pytest.mark.skipif(sys.platform != "linux", reason="an address-space limit (RLIMIT_AS) as Linux sets it")
@pytest.mark.parametrize("make", ["xlsx_far_row", "xlsx_far_column"])
def test_python_calamine_lays_a_small_xlsx_out_by_its_cell_references_past_any_memory(make):
    """At most 30 KB whose cells name row 1,500,000,000, or column XFD on 3,000 rows: python-calamine
    allocates the whole range (96 GB for the first; Rust then aborts the process, which no except
    clause catches), where this reader lays out what the file holds, or refuses it in one line."""
    import hostile_files as hostile

    data = getattr(hostile, make)()
    assert len(data) < 30_000
    run = _calamine_laid_out(data)
    assert run.returncode != 0, (
        f"python-calamine {_calamine_version()} now lays out {make} within {CALAMINE_CAP:,} bytes "
        f"({run.stdout.decode().strip()} rows, columns): see recon/readers/xlsx.py's docstring")
    assert b"memory allocation" in run.stderr or b"MemoryError" in run.stderr
    if make == "xlsx_far_row":
        (grid,) = xlsx.read(data, "far.xlsx")[0]
        assert [[c.value for c in row] for row in grid.rows] == [[1], [], [2]]
    else:
        with pytest.raises(ReadError, match="1,000,000 cells"):
            xlsx.read(data, "far.xlsx")


@pytest.mark.parametrize("case, ref", [("xlsxwriter-formula-zero", "明細!C8"),
                                       ("openpyxl-formulas-without-results", "Sheet1!D9")])
def test_python_calamine_reads_a_formula_never_calculated_as_a_figure(case, ref):
    """A web site's download (XlsxWriter stores 0 as every formula's result; openpyxl stores none):
    python-calamine reads the 合計 as 0 or a blank, a figure nobody stated; this reader says the
    formula was never calculated (SPEC §1.1)."""
    import python_calamine

    data = (ROOT / "tests/data/field-cases" / case / "2024/2024-01.xlsx").read_bytes()
    sheet, cell = ref.split("!")
    row, column = int(cell[1:]) - 1, ord(cell[0]) - ord("A")
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    theirs = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)[row][column]
    assert theirs in (0, 0.0, ""), f"python-calamine {_calamine_version()} now reads {case} {ref} as {theirs!r}"
    (grid,) = [g for g in xlsx.read(data, "2024-01.xlsx")[0] if g.name == sheet]
    ours = grid.rows[row][column].value
    assert isinstance(ours, Uncalculated) and ours.startswith("=SUM(")
