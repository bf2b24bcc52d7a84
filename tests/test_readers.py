"""Every reader gives the same seed month. A file dropped into tests/data/seed/ is a test by itself."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from recon import readers
from recon.errors import ReadError
from recon.model import Figures
from decimal import Decimal
from recon.pipeline import build
from recon.settings import load
from recon.table import find_tables

SEED_DIR = Path(__file__).parent / "data" / "seed"
FIELD_CASES = Path(__file__).parent / "data" / "field-cases"
SEED_FILES = sorted(p for p in SEED_DIR.iterdir() if readers.format_of(p.suffix))
SEED_ROWS = [("general", 1096, 1037935, 10240), ("international", 600, 1980600, 96870),
             ("mobile", 330, 168450, 7680), ("ip", 480, 376350, 0), ("phs", 510, 393300, 15300)]
ENCODINGS = {"2024-01.txt": "utf-8", "2024-01_utf8bom.csv": "utf-8-bom", "2024-01_cp932.csv": "cp932",
             "2024-01_utf16.txt": "utf-16-le", "2024-01_sjis.html": "cp932", "2024-01.xlsx": None}


def tables(path: Path):
    grids, encoding = readers.read(path.read_bytes(), path.name, path.suffix)
    return [t for g in grids for t in find_tables(g)], encoding


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_every_form_of_the_seed_month_reads_the_same_table(path):
    found, _ = tables(path)
    assert len(found) == 1
    table = found[0]
    assert [(r.type_id, r.count, r.tenths, r.charge) for r in table.rows] == SEED_ROWS
    assert table.stated_total == Figures(3016, 4316635, None)
    assert (table.discount.count, table.discount.tenths, table.discount.stated) == (3016, 1408630, -1174)


@pytest.mark.parametrize("name, encoding", ENCODINGS.items())
def test_encoding_is_recognised_and_reported(name, encoding):
    assert tables(SEED_DIR / name)[1] == encoding


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_every_form_reconciles_to_the_same_month(path, tmp_path):
    folder = tmp_path / "2024"
    folder.mkdir()
    shutil.copy(path, folder / f"2024-01{path.suffix}")
    (folder / "invoices.csv").write_text("month,amount\n2024-01,128916\n", encoding="utf-8")
    (month,) = build(folder, load(None)).months
    failed = [c.check for c in month.checks if not c.ok]
    assert (month.status, month.total, month.discount.recomputed, month.expected_invoice, failed) == (
        "warning", Figures(3016, 3956635, 130090), -1174, 128916, ["total_duration"])


def test_locations_point_at_the_source_line_or_cell():
    text_table = tables(SEED_DIR / "2024-01.txt")[0][0]
    assert str(text_table.rows[0].where).startswith("2024-01.txt:")
    xlsx_table = tables(SEED_DIR / "2024-01.xlsx")[0][0]
    assert "!" in str(xlsx_table.rows[0].where)  # 2024-01.xlsx:Sheet!C6


def test_html_takes_the_selected_month_from_the_drop_down():
    table = tables(SEED_DIR / "2024-01.html")[0][0]
    assert table.month_in_content == "2024-01"


def test_undecodable_bytes_name_the_encodings_tried():
    with pytest.raises(ReadError) as caught:
        readers.read(b"\x81\x20\xff\xfe\xfd" * 10, "2024-01.txt", ".txt")
    assert "utf-8, cp932" in str(caught.value)


def test_damaged_xlsx_is_a_read_error():
    with pytest.raises(ReadError) as caught:
        readers.read(b"PK\x03\x04 not really a zip", "2024-01.xlsx", ".xlsx")
    assert str(caught.value).startswith("2024-01.xlsx: expected an Excel workbook")


@pytest.mark.parametrize("charset", ["utf-16", "iso-8859-1", "windows-1252", "base64", "nonsense"])
def test_a_wrong_meta_charset_does_not_lose_a_utf8_page(charset):
    page = (SEED_DIR / "2024-01.html").read_bytes().replace(b'charset="utf-8"', f'charset="{charset}"'.encode())
    assert f'charset="{charset}"'.encode() in page
    grids, encoding = readers.read(page, "2024-01.html", ".html")
    assert encoding == "utf-8" and len([t for g in grids for t in find_tables(g)]) == 1


@pytest.mark.parametrize("charset", ["Shift_JIS", "windows-31j", "x-sjis", "cp932"])
def test_shift_jis_page_names_read_as_cp932(charset):
    page = (SEED_DIR / "2024-01_sjis.html").read_bytes().replace(b'charset="Shift_JIS"', f'charset="{charset}"'.encode())
    grids, encoding = readers.read(page, "2024-01.html", ".html")
    assert encoding == "cp932" and len([t for g in grids for t in find_tables(g)]) == 1


# ── every text input by Excel's quoting rules, a pasted stray quote as a character ───────────────

from recon.readers.text import records  # noqa: E402


@pytest.mark.parametrize("lines, expected", [
    (['a\t"10,240"\tc'], [(1, ["a", "10,240", "c"])]),
    (['"a""b"\tc'], [(1, ['a"b', "c"])]),  # a doubled quote is one quote
    (['a\t""\tb'], [(1, ["a", "", "b"])]),
    (['a\t"x', 'y"\tz', "next"], [(1, ["a", "x\ny", "z"]), (3, ["next"])]),  # a line break in a quoted cell
    (['"通話時間', '(時:分:秒)"'], [(1, ["通話時間\n(時:分:秒)"])]),
    (['a\t"stray\tb', "c\td\t\"q\""], [(1, ["a", '"stray', "b"]), (2, ["c", "d", "q"])]),  # nothing swallowed
    (['x\t5"\ty'], [(1, ["x", '5"', "y"])]),  # a quote inside a cell is a character
    (['"unclosed'], [(1, ['"unclosed'])]),
    (['"a"b\tc'], [(1, ['"a"b', "c"])]),  # text after the closing quote: the quote was no quoting
    (['※「O50IP電話」の"ご利用明細', "明細\t通話種別"], [(1, ['※「O50IP電話」の"ご利用明細']), (2, ["明細", "通話種別"])]),
    (['"open'] + ["line"] * 20 + ['close"'], [(1, ['"open'])] + [(n, ["line"]) for n in range(2, 22)] + [(22, ['close"'])]),
])
def test_text_records_follow_excels_quoting_and_keep_a_stray_quote(lines, expected):
    assert list(records(lines, "\t")) == expected


def test_a_comma_csv_with_a_quoted_comma_and_a_quoted_line_break():
    rows = list(records(['明細,"通話時間', '(時:分:秒)","10,240"', "次,行"], ","))
    assert rows == [(1, ["明細", "通話時間\n(時:分:秒)", "10,240"]), (3, ["次", "行"])]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp932", "utf-8"])
def test_excels_quoted_text_save_reads_the_seed_month_in_any_encoding(encoding):
    lines = (SEED_DIR / "2024-01_table-only.txt").read_text(encoding="utf-8").splitlines()
    quoted = "\r\n".join("\t".join(f'"{c}"' if "," in c else c for c in line.split("\t")) for line in lines)
    grids, _ = readers.read(quoted.encode(encoding), "2024-01.txt", ".txt")
    (table,) = find_tables(grids[0])
    assert [(r.type_id, r.count, r.tenths, r.charge) for r in table.rows] == SEED_ROWS


# ── formats read through python-calamine: .ods and .xls ─────────────────────────────────────────

import datetime as dt  # noqa: E402
import io  # noqa: E402
import zipfile  # noqa: E402

from recon.model import Duration  # noqa: E402
from recon.readers import calamine  # noqa: E402


def ods(cells: str) -> bytes:
    """A minimal OpenDocument spreadsheet whose one table holds `cells` (table-row elements)."""
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
               f'<office:body><office:spreadsheet><table:table table:name="明細">{cells}</table:table>'
               "</office:spreadsheet></office:body></office:document-content>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        book.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest xmlns:manifest='
                      '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                      'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                      '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                      "</manifest:manifest>")
        book.writestr("content.xml", content)
    return out.getvalue()


def _time(value: str) -> str:
    return f'<table:table-cell office:value-type="time" office:time-value="{value}"><text:p>x</text:p></table:table-cell>'


def test_an_ods_keeps_the_tenths_of_durations_under_and_over_a_day():
    book = ods("<table:table-row>" + _time("PT28H49M53.5S") + _time("PT04H40M45.5S") + _time("PT00H00M00.1S")
               + '<table:table-cell office:value-type="float" office:value="1096"><text:p>1,096</text:p></table:table-cell>'
               + '<table:table-cell office:value-type="float" office:value="0.5"><text:p>0.5</text:p></table:table-cell>'
               + '<table:table-cell office:value-type="date" office:date-value="2024-01-31"><text:p>d</text:p></table:table-cell>'
               + "</table:table-row>")
    (grid,), encoding = readers.read(book, "2024-01.ods", ".ods")
    values = [c.value for c in grid.rows[0]]
    assert values == [Duration(1037935), Duration(168455), Duration(1), 1096, Decimal("0.5"), dt.datetime(2024, 1, 31)]
    assert (grid.name, str(grid.rows[0][1].where), encoding) == ("明細", "2024-01.ods:明細!B1", None)


@pytest.mark.parametrize("text, tenths", [
    ("PT28H49M53.5S", 1037935), ("PT55H01M00S", 1980600), ("P1DT4H0M0S", 1008000), ("PT0S", 0), ("-PT1H", -36000),
    ("PT45.25S", 453),
])
def test_an_iso_duration_of_an_ods_time_value(text, tenths):
    assert calamine._iso_duration(text) == Duration(tenths)


@pytest.mark.parametrize("text", ["P", "PT", "Plain text", "PTA", "P1Y2M"])
def test_text_that_is_no_iso_duration_stays_text(text):
    assert calamine._iso_duration(text) is None


@pytest.mark.parametrize("data, reason", [
    (b"not a zip", "not_a_workbook"), (b"", "empty_file"), (b"PK\x03\x04", None),
])
def test_an_ods_that_is_no_zip_is_ignored(data, reason):
    assert readers.junk(data, ".ods") == reason


def test_a_damaged_ods_is_a_read_error_naming_the_format():
    with pytest.raises(ReadError) as caught:
        readers.read(b"PK\x03\x04 damaged", "2024-01.ods", ".ods")
    assert str(caught.value).startswith("2024-01.ods: expected an OpenDocument spreadsheet (.ods), found")


def test_a_damaged_xls_is_a_read_error_naming_the_format():
    with pytest.raises(ReadError) as caught:
        readers.read(calamine.OLE + b"\x00" * 504, "2024-01.xls", ".xls")
    assert str(caught.value).startswith("2024-01.xls: expected an Excel 97-2003 workbook (.xls), found")


def test_a_calamine_panic_is_a_read_error_not_a_crash(monkeypatch):
    import python_calamine

    class PanicException(BaseException):  # how pyo3 raises a Rust panic
        __module__ = "pyo3_runtime"

    def panicking(_):
        raise PanicException("TimeDelta::milliseconds out of bounds")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", panicking)
    with pytest.raises(ReadError) as caught:
        readers.read((FIELD_CASES / "xls-libreoffice-97" / "2024" / "2024-01.xls").read_bytes(), "2024-01.xls", ".xls")
    assert "PanicException" in str(caught.value)


def test_an_xlsx_named_xls_is_read_as_an_xlsx_by_what_it_holds():
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = -1e300  # a date no calendar holds: calamine panicked on it
    book.active["A1"].number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    (grid,), _ = readers.read(out.getvalue(), "2024-01.xls", ".xls")
    assert [type(c.value) for c in grid.rows[0]] == [Duration]  # as the .xlsx reader reads that day number


@pytest.mark.parametrize("name", ["2024-01.html", "2024-01_sjis.html", "2024-01.txt", "2024-01_utf16.txt",
                                  "2024-01_cp932.csv"])
def test_an_xls_that_is_really_a_page_or_text_reads_as_what_it_is(name):
    data = (SEED_DIR / name).read_bytes()
    assert readers.junk(data, ".xls") is None
    grids, _ = readers.read(data, "2024-01.xls", ".xls")
    (table,) = [t for g in grids for t in find_tables(g)]
    assert [(r.type_id, r.count, r.tenths, r.charge) for r in table.rows] == SEED_ROWS


def test_the_registry_names_every_format_read():
    assert {s: readers.format_of(s) for s in (".ods", ".xls", ".XLS", ".mhtml", ".mht", ".xlsx")} == {
        ".ods": "ods", ".xls": "xls", ".XLS": "xls", ".mhtml": "mhtml", ".mht": "mhtml", ".xlsx": "xlsx"}


# ── Strict Open XML and .mhtml ───────────────────────────────────────────────────────────────────

def _strict(data: bytes) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = (source.read(name)
                       .replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                                b"http://purl.oclc.org/ooxml/spreadsheetml/main")
                       .replace(b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                                b"http://purl.oclc.org/ooxml/officeDocument/relationships"))
            target.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize("name", ["2024-01.xlsx", "2024-01_textcells.xlsx"])
def test_a_strict_open_xml_workbook_reads_as_its_transitional_twin(name):
    data = (SEED_DIR / name).read_bytes()
    strict = _strict(data)
    assert b"purl.oclc.org" in zipfile.ZipFile(io.BytesIO(strict)).read("xl/workbook.xml")
    assert readers.read(strict, name, ".xlsx") == readers.read(data, name, ".xlsx")


def _mhtml(page: bytes, header: str, body: bytes) -> bytes:
    return (b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="B"\r\n\r\n--B\r\n'
            + header.encode() + b"\r\n\r\n" + body + b"\r\n--B\r\nContent-Type: image/png\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--B--\r\n")


@pytest.mark.parametrize("name, header, encode", [
    ("2024-01.html", "Content-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable",
     __import__("quopri").encodestring),
    ("2024-01_sjis.html", "Content-Type: text/html; charset=Shift_JIS\r\nContent-Transfer-Encoding: base64",
     __import__("base64").encodebytes),
    ("2024-01.html", "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit", lambda b: b),
])
def test_a_page_saved_as_one_file_reads_as_the_page(name, header, encode):
    page = (SEED_DIR / name).read_bytes()
    grids, encoding = readers.read(_mhtml(page, header, encode(page)), "2024-01.mhtml", ".mhtml")
    (table,) = [t for g in grids for t in find_tables(g)]
    assert [(r.type_id, r.count, r.tenths, r.charge) for r in table.rows] == SEED_ROWS
    assert table.month_in_content == "2024-01"
    assert encoding == ("cp932" if "sjis" in name else "utf-8")


def test_an_mhtml_without_a_page_is_a_read_error_naming_its_parts():
    data = b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="B"\r\n\r\n--B\r\nContent-Type: image/png\r\n\r\nx\r\n--B--\r\n'
    with pytest.raises(ReadError) as caught:
        readers.read(data, "2024-01.mhtml", ".mhtml")
    assert str(caught.value) == ("2024-01.mhtml: expected a web page saved as one file (.mhtml), "
                                 "found 'parts image/png, multipart/related'")


REPORT_COPIES = Path(__file__).parent / "data" / "report-copies"


@pytest.mark.parametrize("name", ["recon-2024.ods", "recon-2024.xls"])
def test_a_report_saved_again_as_ods_or_xls_is_recons_own_and_ignored(name, tmp_path):
    data = (REPORT_COPIES / name).read_bytes()
    assert readers.junk(data, Path(name).suffix) == "own_report"
    folder = tmp_path / "2024"
    folder.mkdir()
    shutil.copy(SEED_DIR / "2024-01.txt", folder / "2024-01.txt")
    shutil.copy(REPORT_COPIES / name, folder / f"2024-01 - コピー{Path(name).suffix}")
    report = build(folder, load(None))
    assert {f.path: (f.status, f.message.key if f.message else None) for f in report.files} == {
        "2024-01.txt": ("read", None), f"2024-01 - コピー{Path(name).suffix}": ("ignored", "own_report")}


@pytest.mark.parametrize("path", sorted((Path(__file__).parent / "data" / "field-cases").rglob("*.od[s]"))
                         + sorted((Path(__file__).parent / "data" / "field-cases").rglob("*.xls")), ids=lambda p: p.name)
def test_a_workbook_of_a_person_is_not_taken_for_a_report(path):
    assert readers.junk(path.read_bytes(), path.suffix) is None


@pytest.mark.parametrize("line, fields", [
    ('a, "10,240" ,c', ["a", "10,240", "c"]),  # spaces around a quoted cell, as some writers put them
    ('a,"x" y,z', ["a", '"x" y', "z"]),
])
def test_spaces_around_a_quoted_csv_cell(line, fields):
    assert list(records([line], ",")) == [(1, fields)]


def test_an_xls_renamed_xlsx_reads_as_the_workbook_it_is():
    data = (Path(__file__).parent / "data" / "field-cases" / "xls-libreoffice-97" / "2024" / "2024-01.xls").read_bytes()
    assert readers.junk(data, ".xlsx") is None
    grids, _ = readers.read(data, "2024-01.xlsx", ".xlsx")
    (table,) = [t for g in grids for t in find_tables(g)]
    assert [(r.type_id, r.count, r.tenths, r.charge) for r in table.rows] == SEED_ROWS


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_a_workbook_with_a_password_says_to_remove_it(suffix):
    # an encrypted OOXML workbook is a compound file holding an EncryptedPackage stream (MS-OFFCRYPTO)
    data = calamine.OLE + b"\x00" * 120 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 400
    with pytest.raises(ReadError) as caught:
        readers.read(data, f"2024-01{suffix}", suffix)
    assert str(caught.value) == (f"2024-01{suffix}: expected a workbook without a password: remove the password "
                                 "in Excel and save it again, found 'a workbook opened only with a password'")


def test_an_excel_2003_xml_spreadsheet_named_xls_says_what_it_is_and_what_to_do():
    data = (b'<?xml version="1.0"?>\r\n<?mso-application progid="Excel.Sheet"?>\r\n'
            b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
            b'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Sheet1"><Table>'
            b'<Row><Cell><Data ss:Type="String">x</Data></Cell></Row></Table></Worksheet></Workbook>')
    with pytest.raises(ReadError) as caught:
        readers.read(data, "2024-01.xls", ".xls")
    assert str(caught.value) == ("2024-01.xls: expected an Excel workbook, not an Excel 2003 XML spreadsheet: "
                                 "open it in Excel and save it as .xlsx")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_its_bom_is_text_not_a_binary_file(encoding):
    data = (SEED_DIR / "2024-01_table-only.txt").read_text(encoding="utf-8").encode(encoding)
    assert readers.junk(data, ".txt") is None
    (table,), found = tables_of_bytes(data)
    assert found == encoding and [(r.type_id, r.count, r.tenths, r.charge) for r in table.rows] == SEED_ROWS


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, b"\x00" * 64, b"a\x00b\x00\x01\x00" * 20])
def test_bytes_with_nuls_that_are_no_utf16_text_stay_binary(data):
    assert readers.junk(data, ".txt") == "binary_file"


def tables_of_bytes(data: bytes):
    grids, encoding = readers.read(data, "2024-01.txt", ".txt")
    return [t for g in grids for t in find_tables(g)], encoding


def test_a_format_cannot_be_registered_without_its_words():
    from recon.readers import Entry

    with pytest.raises(ValueError, match="labels.FORMATS"):
        Entry("numbers", (".numbers",), "recon.readers.numbers")  # type: ignore[arg-type]


def test_every_registered_format_has_words_and_a_reader():
    from recon import labels
    from recon.readers import REGISTRY

    for entry in REGISTRY:
        assert entry.format in labels.FORMATS and callable(entry.reader())
    suffixes = [suffix for entry in REGISTRY for suffix in entry.suffixes]
    assert len(suffixes) == len(set(suffixes))  # a suffix is claimed by one format only


def test_an_ods_formula_without_a_saved_value_has_none():
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    import hostile_files
    import test_fuzz

    def row(*cells: str) -> str:
        return "<table:table-row>" + "".join(cells) + "</table:table-row>"

    def text(value: str) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'

    def number(value: int) -> str:
        return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'

    sheet = (row(text("明細"), text("通話種別"), text("通話数"), text("通話時間"), text("通話料金"))
             + row(text("通話"), text("一般通話"), number(1096), text("28:49:53.5"), number(10240))
             + row("<table:table-cell/>", text("合計"), '<table:table-cell table:formula="of:=SUM([.C2])"/>',
                   text("28:49:53.5"), number(10240)))
    data = test_fuzz._with_content(hostile_files.ods_repeated(), sheet)
    (grid,), _ = readers.read(data, "2024-01.ods", ".ods")
    assert grid.rows[2][2].value == "=SUM([.C2])" and type(grid.rows[2][2].value).__name__ == "Uncalculated"
    (table,) = find_tables(grid)
    assert table.stated_total.count is None and [n.key for n in table.notes] == ["stated_uncalculated"]
