"""The xlsx reader's fast paths agree with its exact ones: a small sheet read from a whole tree, parts
inflated straight from the archive, the workbook, relationships and styles remembered per content,
and recon's own sheets read back by their grammar. Each must give what the exact path gives (the
same values, or the same error) on every sample workbook, on built and damaged ones, on random
ones, and on recon's reports as recon, Excel-style editors and LibreOffice leave them. A sample
also reads as what it is: a zip archive as its sheets, anything else as the error that says so."""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recon import prior
from recon.errors import ReconError
from recon.commands import build
from recon.readers import xlsx

from test_xlsx_reader import BUILT, DAMAGED, SAMPLES, SEED, _random_sheet, package, _cells as random_cells

ROOT = Path(__file__).parent.parent

def _exact(work):
    """`work()` with every fast path off: sheets read row by row, parts through zipfile, nothing
    remembered, recon's sheets through the parser."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(xlsx, "_WHOLE_TREE", -1)
        patch.setattr(xlsx, "_inflated", lambda data, info: None)
        patch.setattr(xlsx._Package, "derived", lambda self, part, read: read(self, part, self.parse(part)))
        patch.setattr(xlsx, "_plain_rows", lambda *args, **kwargs: None)
        return _outcome(work)


def _outcome(work):
    try:
        return work()
    except ReconError as e:
        return ("error", type(e).__name__, str(e))


def _grids(data: bytes):
    return lambda: [(g.name, g.rows) for g in xlsx.read(data, "book.xlsx")[0]]


def _keep_all_but(title: str, header: tuple) -> tuple[set[int], set[int]]:
    """A `keep` that drops the second column of every sheet (the first row says how wide it is)."""
    return set(range(len(header) + 2)) - {1}, set()


def _keep_rows_with_the_first(title: str, header: tuple) -> tuple[set[int], set[int]]:
    """A `keep` of the first three columns of the rows that hold something in the first."""
    return {0, 1, 2}, {0}


def _values(data: bytes, keep):
    names = {"サマリー", "チェック", "recon_state"}
    grids = _exact(_grids(data))
    if not isinstance(grids, tuple):
        names |= {name for name, _ in grids}
    return lambda: xlsx.read_values(data, "book.xlsx", names, keep)


def assert_fast_is_exact(data: bytes):
    """The fast paths agree with the exact ones on the workbook's grids and on its values read with
    each `keep`; the grids (or the error) as read."""
    grids = _outcome(_grids(data))
    assert grids == _exact(_grids(data))
    for keep in (None, _keep_all_but, _keep_rows_with_the_first, prior._wanted_columns):
        assert _outcome(_values(data, keep)) == _exact(_values(data, keep))
    return grids


def _sheet_names(data: bytes) -> list[str]:
    """The sheets the workbook part names, in its order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return re.findall(r'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"', archive.read("xl/workbook.xml").decode())


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_fast_paths_agree_with_the_exact_reader_on_every_sample_workbook(path):
    data = path.read_bytes()
    grids = assert_fast_is_exact(data)
    if zipfile.is_zipfile(io.BytesIO(data)):
        assert [name for name, _ in grids] == _sheet_names(data) and any(rows for _, rows in grids)
    else:  # an Excel lock file, a file that only says .xlsx
        assert grids[0] == "error" and "not a zip archive" in grids[2]


@pytest.mark.parametrize("data", BUILT.values(), ids=BUILT.keys())
def test_fast_paths_agree_with_the_exact_reader_on_every_built_workbook(data):
    grids = assert_fast_is_exact(data)  # a sheet whose part is missing is not read
    names = [name for name, _ in grids]
    assert names and names == [name for name in _sheet_names(data) if name in names]


@pytest.mark.parametrize("name, damage, message", DAMAGED, ids=[d[0] for d in DAMAGED])
def test_fast_paths_agree_with_the_exact_reader_on_a_damaged_workbook(name, damage, message):
    data = damage(SEED)
    fast = _outcome(_grids(data))
    assert fast == _exact(_grids(data)) and fast[0] == "error"
    assert fast[2].startswith(message.replace("2024-01.xlsx", "book.xlsx", 1))


SHAPES = {  # sheets whose element ends do not come in tree order: read row by row
    "a row outside sheetData": '<extLst><row r="1"><c r="A1"><v>9</v></c></row></extLst>'
                               '<sheetData><row r="2"><c r="A2"><v>1</v></c></row></sheetData>',
    "a second sheetData": '<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
                          '<sheetData><row r="2"><c r="A2"><v>2</v></c></row></sheetData>',
    "a dimension after the data": '<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
                                  '<dimension ref="A1:C1"/>',
    "a dimension inside a row": '<sheetData><row r="1"><dimension ref="A1:E1"/><c r="A1"><v>1</v></c></row>'
                                '<row r="2"><c r="A2"><v>2</v></c></row></sheetData>',
    "a bad dimension after the data": '<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
                                      '<dimension ref="A1:?"/>',
    "a bad cell, then broken XML": '<sheetData><row r="1"><c r="A1"><v>x</v></c></row></sheetData><oops>',
}


@pytest.mark.parametrize("body", SHAPES.values(), ids=SHAPES.keys())
def test_fast_paths_agree_with_the_exact_reader_on_a_sheet_of_an_odd_shape(body):
    assert_fast_is_exact(package({"s": body}))


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets=st.lists(st.dictionaries(st.tuples(st.integers(1, 25), st.integers(1, 9)), random_cells, max_size=30),
                       min_size=1, max_size=3),
       dimension=st.one_of(st.none(), st.sampled_from(["A1:I25", "B2:C3", "A1:Z99"])),
       date1904=st.booleans())
def test_fast_paths_agree_with_the_exact_reader_on_a_random_built_workbook(sheets, dimension, date1904):
    strings: list[str] = []
    bodies = {f"sheet {i}": _random_sheet(cells, strings, dimension) for i, cells in enumerate(sheets)}
    assert_fast_is_exact(package(bodies, strings, ["[h]:mm:ss", "yyyy-mm-dd", "0.00"], date1904=date1904))


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12) | \
    st.sampled_from(["_x000D_", "a_x005F_x000D_b", "&amp;", "<b>", "通話", " padded ", "\t"])
_VALUE = st.one_of(
    st.none(), _TEXT, st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)).map(lambda d: d.replace(microsecond=0)),
    st.timedeltas(dt.timedelta(0), dt.timedelta(days=40)).map(lambda d: d - dt.timedelta(microseconds=d.microseconds)),
    st.sampled_from([Decimal("0.1"), "=1+1", "#N/A"]))


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.dictionaries(st.tuples(st.integers(1, 12), st.integers(1, 6)), _VALUE, max_size=25),
       formats=st.lists(st.sampled_from(["General", "[h]:mm:ss.0", "yyyy/m/d", "h:mm", "#,##0", "0.0"]),
                        min_size=6, max_size=6),
       date1904=st.booleans())
def test_fast_paths_agree_with_the_exact_reader_on_a_random_workbook_openpyxl_wrote(cells, formats, date1904):
    book = openpyxl.Workbook()
    book.epoch = openpyxl.utils.datetime.MAC_EPOCH if date1904 else openpyxl.utils.datetime.WINDOWS_EPOCH
    sheet = book.active
    for (r, c), value in cells.items():
        cell = sheet.cell(r, c, value=value)
        cell.number_format = formats[c - 1]
    out = io.BytesIO()
    book.save(out)
    assert_fast_is_exact(out.getvalue())


# ── recon's own reports, read back ───────────────────────────────────────────────────────────────

NOTE = "OCN に問い合わせ済み & <確認> \"1\" 円_x000D_調整"


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, bytes]:
    """The seed year's report as recon wrote it with notes and a sign-off carried, and as another
    writer would leave it."""
    folder = tmp_path_factory.mktemp("year") / "2024"
    folder.mkdir()
    for month in ("2024-01", "2024-02", "2024-03"):
        shutil.copy(ROOT / "tests/data/seed/2024-01.txt", folder / f"{month}.txt")
    (folder / "invoices.csv").write_text("month,amount\n2024-01,128916\n2024-02,128917\n", encoding="utf-8")
    out = folder / "recon-2024.xlsx"
    build(folder, output=out)
    book = openpyxl.load_workbook(out)  # an accountant's notes, saved by another writer (shared strings)
    summary, checks = book["サマリー"], book["チェック"]
    header = [c.value for c in summary[1]]
    summary.cell(2, header.index("説明") + 1, NOTE)
    summary.cell(2, header.index("確認者") + 1, "佐藤")
    summary.cell(2, header.index("確認日") + 1, dt.datetime(2024, 2, 20))
    checks.cell(3, [c.value for c in checks[1]].index("説明") + 1, "翌月調整\n二行目")
    book.save(out)
    edited = out.read_bytes()
    build(folder, output=out)  # recon carries them into a report of its own writing
    return {"recon": out.read_bytes(), "edited": edited, "utf-8": _as_utf8(out.read_bytes())}


def _as_utf8(data: bytes) -> bytes:
    """The report with its sheets' character references written as the characters, in UTF-8."""
    def characters(xml: bytes) -> bytes:
        return re.sub(rb"&#([0-9]+);", lambda m: chr(int(m[1])).encode() if int(m[1]) > 127 else m[0], xml)
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, characters(content) if info.filename.startswith("xl/worksheets/") else content)
    return out.getvalue()


def _prior(data: bytes):
    return lambda: prior.read_prior(data, Path("recon-2024.xlsx"))


@pytest.mark.parametrize("kind", ["recon", "edited", "utf-8"])
def test_fast_paths_agree_with_the_exact_reader_on_a_report_read_back(reports, kind):
    fast = _outcome(_prior(reports[kind]))
    assert fast == _exact(_prior(reports[kind]))
    assert fast.months[("", "2024-01")].explanation == NOTE and fast.months[("", "2024-01")].reviewer == "佐藤"
    assert any(note == "翌月調整\n二行目" for note in fast.checks.values())
    assert_fast_is_exact(reports[kind])


@pytest.mark.parametrize("kind", ["recon", "utf-8", "edited"])  # openpyxl writes sheets as recon does
def test_recons_own_sheets_take_the_fast_path(reports, kind, monkeypatch):
    taken = []
    plain = xlsx._plain_rows
    monkeypatch.setattr(xlsx, "_plain_rows", lambda *a: taken.append(plain(*a) is not None) or plain(*a))
    prior.read_prior(reports[kind], Path("r.xlsx"))
    assert taken == [True, True, True]


@pytest.mark.parametrize("kind", ["recon", "utf-8"])
def test_a_report_read_in_runs_of_a_few_rows_reads_the_same(reports, kind, monkeypatch):
    monkeypatch.setattr(xlsx, "_CHUNK", 100)  # a row or two at a time
    assert _outcome(_prior(reports[kind])) == _exact(_prior(reports[kind]))
    assert _outcome(_grids(reports[kind])) == _exact(_grids(reports[kind]))
    assert _outcome(_values(reports[kind], _keep_all_but)) == _exact(_values(reports[kind], _keep_all_but))


def test_a_month_openpyxl_wrote_takes_the_fast_path_and_one_with_shared_strings_does_not(monkeypatch):
    taken = []
    plain = xlsx._plain_rows
    monkeypatch.setattr(xlsx, "_plain_rows", lambda *a, **k: taken.append(plain(*a, **k) is not None) or plain(*a, **k))
    xlsx.read(SEED, "2024-01.xlsx")  # written by openpyxl, as every sample is
    assert taken and all(taken)
    taken.clear()
    xlsx.read(BUILT["shared strings: plain, rich text, spaces kept, phonetic guides, escapes"], "b.xlsx")  # as Excel
    assert taken and not any(taken)


def _sheet_changed(data: bytes, change, sheet: str = "xl/worksheets/sheet1.xml") -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, change(content) if info.filename == sheet else content)
    return out.getvalue()


def _first(old: bytes, new: bytes):
    return lambda xml: xml.replace(old, new, 1)


HOSTILE = {
    "a comment": _first(b"<row ", b"<!-- x --><row "),
    "CDATA": _first(b"<t>", b"<t><![CDATA[<b>]]>"),
    "a DTD": lambda xml: b'<!DOCTYPE x [<!ENTITY a "b">]>' + xml,
    "an undefined entity": _first(b"<t>", b"<t>&nbsp;"),
    "a character XML forbids, as a reference": _first(b"<t>", b"<t>&#1;"),
    "a character XML forbids, raw": _first(b"<t>", b"<t>\x01"),
    "a hexadecimal reference": _first(b"<t>", b"<t>&#x41;"),
    "a carriage return": _first(b"<t>", b"<t>a\r\nb"),
    "a number that is none, in a column not read": _first(b"<v>", b"<v>1x"),
    "a cell naming another row": _first(b'<c r="A2"', b'<c r="A7"'),
    "rows out of order": lambda xml: xml.replace(b'<row r="2"', b'<row r="9"', 1),
    "a prefixed cell": lambda xml: xml.replace(b'<c r="A2"', b'<x:c xmlns:x="urn:x" r="A2"', 1).replace(
        b"</c>", b"</x:c>", 1) if b"</c>" in xml else xml,
    "a shared string": _first(b't="inlineStr"><is><t>', b't="s"><v>0</v><is><t>'),
    "another default namespace": _first(b'<row r="2"', b'<row xmlns="urn:x" r="2"'),
    "Latin-1 declared": lambda xml: b'<?xml version="1.0" encoding="ISO-8859-1"?>' + xml,
    "invalid UTF-8": _first(b"<t>", b"<t>\xff"),
    "a bad dimension": _first(b'<dimension ref="', b'<dimension ref="?'),
    "whitespace between rows": _first(b"</row>", b"</row>\n"),
    "a raw >": _first(b"<t>", b"<t>a>b"),
    "]]> in a text": _first(b"<t>", b"<t>]]>"),
    "U+FFFE in UTF-8": _first(b"<t>", "<t>\ufffe".encode()),
    "U+FFFF in UTF-8": _first(b"<t>", "<t>\uffff".encode()),
    "kanji in UTF-8": _first(b"<t>", "<t>漢字".encode()),
}


@pytest.mark.parametrize("change", HOSTILE.values(), ids=HOSTILE.keys())
def test_fast_paths_agree_with_the_exact_reader_on_a_report_changed_as_the_grammar_does_not_cover(reports, change):
    data = _sheet_changed(reports["recon"], change)
    assert data != reports["recon"]
    assert _outcome(_prior(data)) == _exact(_prior(data))
    assert _outcome(_values(data, prior._wanted_columns)) == _exact(_values(data, prior._wanted_columns))


TWICE = {  # the checks sheet's 説明 (column H: one contract) of a row written twice: the last one counts
    "a note, then a blank": lambda xml: re.sub(rb'(?s)(<c r="H3"[^>]*>.*?</c>)', rb'\1<c r="H3" s="9" t="n"></c>', xml,
                                               count=1),
    "a blank, then a note": lambda xml: re.sub(rb'(?s)(<c r="H2"[^>]*>.*?</c>)',
                                               rb'\1<c r="H2" t="inlineStr"><is><t>late</t></is></c>', xml, count=1),
}


@pytest.mark.parametrize("change", TWICE.values(), ids=TWICE.keys())
def test_a_cell_written_twice_reads_as_its_last_fast_too(reports, change):
    with zipfile.ZipFile(io.BytesIO(reports["recon"])) as archive:
        parts = dict(xlsx._Book(xlsx._Package(archive, "r.xlsx", reports["recon"])).sheets)
    data = _sheet_changed(reports["recon"], change, parts["チェック"])
    assert data != reports["recon"]
    fast = _outcome(_prior(data))
    assert fast == _exact(_prior(data)) and fast.checks != _outcome(_prior(reports["recon"])).checks


def test_a_bad_number_in_a_column_not_read_is_still_an_error(reports):
    data = _sheet_changed(reports["recon"], _first(b"<v>", b"<v>1x"))
    assert _outcome(_prior(data))[0] == "error"


def test_the_grammar_allows_exactly_the_characters_xml_allows():
    pattern = re.compile(xlsx._CODE_POINT)
    allowed = {9, 10, 13, *range(0x20, 0xD800), *range(0xE000, 0xFFFE), *range(0x10000, 0x110000)}
    wrong = [n for n in range(0, 0x110000 + 100) if (pattern.fullmatch(str(n).encode()) is not None) != (n in allowed)]
    assert wrong == []
    assert pattern.fullmatch(b"065") is None  # a leading zero is left to the parser


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_a_report_resaved_by_libreoffice_reads_back_the_same_notes_and_sign_offs(reports, tmp_path):
    source = tmp_path / "in" / "recon-2024.xlsx"
    source.parent.mkdir()
    source.write_bytes(reports["recon"])
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "xlsx", "--outdir", str(tmp_path / "out"), str(source)], check=True, capture_output=True, timeout=180)
    resaved = (tmp_path / "out" / "recon-2024.xlsx").read_bytes()
    before, after = _outcome(_prior(reports["recon"])), _outcome(_prior(resaved))
    assert after == _exact(_prior(resaved))
    assert after.checks == before.checks
    # LibreOffice reads the `_x000D_` recon wrote as written as Excel's escape of a CR, and saves the CR.
    assert {k: (m.explanation, m.reviewer, m.signed_on) for k, m in after.months.items()} == \
        {k: (m.explanation.replace("_x000D_", "\r"), m.reviewer, m.signed_on) for k, m in before.months.items()}
