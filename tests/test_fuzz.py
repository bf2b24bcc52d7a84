"""Junk and damaged tables into every reader: the only exception that may come out is a ReconError.

Whatever a user drops into a year folder, recon reports it (SPEC §4: "No traceback ever reaches the
user for bad input"). Every test here is bounded (a few hundred examples, a few seconds) and writes
no example database (`database=None`): a failure is reproduced from the example it prints.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from recon.errors import ReconError
from recon.model import DetailTable
from recon.readers import read
from recon.table import find_tables
from recon.values import (days_to_tenths, format_duration, format_yen, parse_count, parse_duration,
                          parse_yen)

FUZZ = settings(max_examples=200, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW_FUZZ = settings(FUZZ, max_examples=100)  # each example writes and reads a workbook

TEXT_SUFFIXES = (".txt", ".tsv", ".csv", ".html")
SUFFIXES = TEXT_SUFFIXES + (".xlsx",)

# The seed month's table (seeds/000_27bc1b6c56106739.txt), from the title line to the 着割 row.
SEED_FILE = Path(__file__).parent / "data" / "seed" / "2024-01_table-only.txt"
SEED = SEED_FILE.read_text(encoding="utf-8").rstrip("\n")
SEED_ROWS = [line.split("\t") for line in SEED.split("\n")]
SEED_TYPES = [("general", 1096, 1037935, 10240), ("international", 600, 1980600, 96870),
              ("mobile", 330, 168450, 7680), ("ip", 480, 376350, 0), ("phs", 510, 393300, 15300)]


# ── what every reader must do ────────────────────────────────────────────────────────────────────

def _tables(data: bytes, suffix: str) -> list[DetailTable]:
    """Read like the pipeline does: the reader, then find_tables on every grid it made."""
    grids, _ = read(data, f"2024-01{suffix}", suffix)
    return [table for grid in grids for table in find_tables(grid)]


def _is_int(value: object) -> bool:
    return type(value) is int  # not bool, not float, not Decimal


def _assert_figures_are_ints(table: DetailTable) -> None:
    assert table.rows, "a table comes out only with call-type rows"
    for row in table.rows:
        assert _is_int(row.count) and _is_int(row.tenths) and _is_int(row.charge), row
        assert row.count >= 0 and row.tenths >= 0, row  # counts and call time are never negative
    stated = table.stated_total
    for value in (stated.count, stated.tenths, stated.charge):
        assert value is None or _is_int(value), stated
    assert (stated.count or 0) >= 0 and (stated.tenths or 0) >= 0, stated
    if table.discount is not None:
        for value in (table.discount.count, table.discount.tenths, table.discount.stated):
            assert value is None or _is_int(value), table.discount


def _event(name: str) -> None:
    """What became of an example, counted by `pytest --hypothesis-show-statistics`."""
    if currently_in_test_context():
        event(name)


def _read_or_recon_error(data: bytes, suffix: str) -> list[DetailTable]:
    """The contract under test: tables whose figures are ints, or a ReconError; nothing else."""
    try:
        tables = _tables(data, suffix)
    except ReconError as e:
        _event(f"ReconError: {e.expected}")
        return []
    _event(f"tables: {len(tables)}")
    for table in tables:
        _assert_figures_are_ints(table)
    return tables


# ── strategies ───────────────────────────────────────────────────────────────────────────────────

# Words and values from the detail table, in the dresses people paste them in.
TABLE_WORDS = [
    "O50IP電話", "050IP電話", "明細", "通話", "通話種別", "通話数", "通話時間 (時:分:秒)",
    "通話料金 (円・税別)", "一般通話", "国際通話", "携帯通話", "IP通話", "PHS通話", "ナビダイヤル",
    "合計", "小計", "計", "総計", "着割", "着割対象通話", "ご利用月", "2024年1月", "2024年1月分",
]
VALUE_FORMS = [
    "1096", "1,096", "１，０９６", "1096件", "1096回", "3016", "0", "-1", "12.5", "1O96",
    "10,240", "¥10,240", "￥10,240", "10,240円", "-1,174", "−1,174", "△1,174", "▲1,174", "(1,174)",
    "28:49:53.5", "２８：４９：５３．５", "28時間49分53.5秒", "119:54:23.5", "39:07:43.0", "28:61:00",
    "0:00:53.55", "1.2.3秒", "99999999999999999999", "9" * 400, "",
]
MARKUP = ["<b>", "</b>", "&nbsp;", "&amp;", "&#12354;", "&bogus;", "<", ">", "&"]
SEPARATORS = ["\t", ",", ";", '"', "'", " ", "  ", "\u3000", "\n", "\r\n", "\r", "\x00"]

_chars = st.characters(exclude_categories=("Cs",))
_cell_text = st.one_of(
    st.sampled_from(VALUE_FORMS),
    st.sampled_from(TABLE_WORDS),
    st.lists(st.one_of(st.sampled_from(MARKUP + VALUE_FORMS[:25]), st.text(_chars, max_size=3)),
             max_size=4).map("".join),
    st.text(_chars, max_size=8),
)
_text = st.lists(st.one_of(st.sampled_from(TABLE_WORDS + VALUE_FORMS + MARKUP + SEPARATORS),
                           st.text(_chars, max_size=6)), max_size=80).map("".join)

_ENCODINGS = ["utf-8", "utf-8-sig", "cp932", "utf-16", "utf-16-le", "utf-16-be"]
_TABLE_ENCODINGS = ["utf-8", "utf-8-sig", "cp932", "utf-16"]  # the ones SPEC §1 names


def _encode(text: str, encoding: str) -> bytes:
    """The text as a file in that encoding; where it cannot be (cp932), as UTF-8."""
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8")


# ── random bytes ─────────────────────────────────────────────────────────────────────────────────

_PREFIXES = [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"PK\x03\x04",
             b"<html><head><meta charset=\"shift_jis\"></head><body><table><tr><td>",
             b"<?xml version=\"1.0\" encoding=\"utf-8\"?>", "明細\t通話種別\t通話数\t通話時間\t通話料金\n".encode()]


@FUZZ
@given(prefix=st.sampled_from(_PREFIXES), junk=st.binary(max_size=2000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_into_any_reader_raise_only_recon_error(prefix, junk, suffix):
    _read_or_recon_error(prefix + junk, suffix)


# ── random text, in every encoding a user has ────────────────────────────────────────────────────

@FUZZ
@given(text=_text, encoding=st.sampled_from(_ENCODINGS), suffix=st.sampled_from(TEXT_SUFFIXES))
def test_random_text_into_text_readers_raises_only_recon_error(text, encoding, suffix):
    _read_or_recon_error(_encode(text, encoding), suffix)


@FUZZ
@given(lines=st.lists(st.lists(_cell_text, max_size=7), max_size=12),
       delimiter=st.sampled_from(["\t", ",", "  "]), encoding=st.sampled_from(_ENCODINGS),
       suffix=st.sampled_from((".txt", ".tsv", ".csv")))
def test_random_table_shaped_text_raises_only_recon_error(lines, delimiter, encoding, suffix):
    header = "明細\t通話種別\t通話数\t通話時間 (時:分:秒)\t通話料金 (円・税別)".replace("\t", delimiter)
    text = "\n".join([header] + [delimiter.join(cells) for cells in lines])
    _read_or_recon_error(_encode(text, encoding), suffix)


_HTML_PIECES = ["<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th>", "<td rowspan=\"2\">",
                "<td colspan=\"3\">", "<td rowspan=\"0\">", "<td colspan=\"x\">", "<td rowspan=\"99999\">",
                "<p>", "</p>", "<br>", "<div>", "<h2>", "<select><option>2023年12月</option>"
                "<option selected>2024年1月</option></select>", "<!--", "-->", "<script>", "</script>",
                "<?xml version=\"1.0\"?>", "<!DOCTYPE html>"]
# Declared charsets that are text encodings (the ones that are not are tested below).
_HTML_PIECES += [f'<meta charset="{name}">' for name in (
    "utf-8", "shift_jis", "x-sjis", "windows-31j", "euc-jp", "iso-2022-jp", "utf-16", "utf-32", "utf-7",
    "latin-1", "cp037", "no-such-charset")]


@FUZZ
@given(pieces=st.lists(st.one_of(st.sampled_from(_HTML_PIECES), _cell_text, st.sampled_from(SEPARATORS)),
                       max_size=80),
       encoding=st.sampled_from(_ENCODINGS))
def test_random_html_raises_only_recon_error(pieces, encoding):
    _read_or_recon_error(_encode("".join(pieces), encoding), ".html")


# ── mutated real tables ──────────────────────────────────────────────────────────────────────────

@st.composite
def _mutated_seed(draw) -> list[list[str]]:
    """The seed table after a few random edits, as rows of cell texts."""
    rows = [list(row) for row in SEED_ROWS]
    for _ in range(draw(st.integers(0, 6))):
        edit = draw(st.sampled_from(["replace", "delete", "swap", "tab", "drop", "duplicate"]))
        if not rows:
            rows.append([])
        r = draw(st.integers(0, len(rows) - 1))
        row = rows[r]
        c = draw(st.integers(0, len(row) - 1)) if row else 0
        if edit == "replace" and row:
            row[c] = draw(_cell_text)
        elif edit == "delete" and row:
            del row[c]
        elif edit == "swap" and row:
            r2 = draw(st.integers(0, len(rows) - 1))
            if rows[r2]:
                c2 = draw(st.integers(0, len(rows[r2]) - 1))
                row[c], rows[r2][c2] = rows[r2][c2], row[c]
        elif edit == "tab":
            row.insert(draw(st.integers(0, len(row))), "")
        elif edit == "drop":
            del rows[r]
        elif edit == "duplicate":
            rows.insert(r, list(row))
    return rows


def _as_text(rows: list[list[str]], newline: str = "\n") -> str:
    return newline.join("\t".join(row) for row in rows)


def _as_excel_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _as_html(rows: list[list[str]]) -> str:
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>\n" for row in rows)
    return ('<html><head><meta charset="utf-8"></head><body><p>2024年1月</p>'
            f"<table>\n{body}</table></body></html>")


@FUZZ
@given(rows=_mutated_seed(), encoding=st.sampled_from(_TABLE_ENCODINGS),
       newline=st.sampled_from(["\n", "\r\n"]),
       suffix=st.sampled_from((".txt", ".tsv", ".csv")))
def test_mutated_seed_text_gives_int_figures_or_recon_error(rows, encoding, newline, suffix):
    _read_or_recon_error(_encode(_as_text(rows, newline), encoding), suffix)


@FUZZ
@given(rows=_mutated_seed(), encoding=st.sampled_from(_TABLE_ENCODINGS))
def test_mutated_seed_saved_as_excel_csv_gives_int_figures_or_recon_error(rows, encoding):
    _read_or_recon_error(_encode(_as_excel_csv(rows), encoding), ".csv")


@FUZZ
@given(rows=_mutated_seed())
def test_mutated_seed_as_html_gives_int_figures_or_recon_error(rows):
    _read_or_recon_error(_as_html(rows).encode("utf-8"), ".html")


def _xlsx(rows: list[list[object]], number_formats: dict[tuple[int, int], str] | None = None) -> bytes:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "ご利用料金／通話・通信明細"
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row, start=2):
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)  # Excel cannot hold control characters
            if value is not None and value != "":
                cell = sheet.cell(r, c, value)
                if number_formats and (r - 3, c - 2) in number_formats:
                    cell.number_format = number_formats[(r - 3, c - 2)]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _typed(text: str) -> object:
    """A cell as someone typing it into Excel would leave it: numbers as numbers, times as times."""
    try:
        number = parse_yen(text)
        return number if abs(number) < 10**15 else text  # Excel keeps 15 digits; longer stays text
    except ValueError:
        pass
    try:
        return dt.timedelta(seconds=parse_duration(text) / 10)
    except ValueError:
        return text


@SLOW_FUZZ
@given(rows=_mutated_seed(), typed=st.booleans())
def test_mutated_seed_pasted_into_xlsx_gives_int_figures_or_recon_error(rows, typed):
    cells = [[_typed(cell) if typed else cell for cell in row] for row in rows]
    formats = {(r, c): "[h]:mm:ss.0" for r, row in enumerate(cells) for c, v in enumerate(row)
               if isinstance(v, dt.timedelta)}
    _read_or_recon_error(_xlsx(cells, formats), ".xlsx")


_excel_values = st.one_of(
    _cell_text,
    st.integers(-10**12, 10**12),
    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
    st.decimals(-10**6, 10**6, places=2, allow_nan=False, allow_infinity=False).map(float),
    st.timedeltas(dt.timedelta(days=-10), dt.timedelta(days=1000)),  # negative: never a call time
    st.times(),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1)),
    st.booleans(),
    st.none(),
)


_type_labels = st.sampled_from(["一般通話", "国際通話", "携帯通話", "IP通話", "PHS通話", "ナビダイヤル",
                                "<b>合計</b>", "着割対象通話"])


@SLOW_FUZZ
@given(rows=st.lists(st.tuples(
    _type_labels,
    st.one_of(st.integers(0, 10**6), _excel_values),  # count
    st.one_of(st.timedeltas(dt.timedelta(0), dt.timedelta(days=100)), _excel_values),  # time
    st.one_of(st.integers(-10**6, 10**6), _excel_values),  # charge
    st.lists(_excel_values, max_size=2),  # anything after it
), max_size=7))
def test_random_typed_cells_under_a_header_in_xlsx_give_int_figures_or_recon_error(rows):
    header = ["明細", "通話種別", "通話数", "通話時間 (時:分:秒)", "通話料金 (円・税別)"]
    cells = [[None, label, count, time, charge, *extra] for label, count, time, charge, extra in rows]
    formats = {(r, c): "[h]:mm:ss.0" for r, row in enumerate(cells, start=1) for c, v in enumerate(row)
               if isinstance(v, dt.timedelta)}
    _read_or_recon_error(_xlsx([header] + cells, formats), ".xlsx")


# The seed itself, in every dress the fuzzers use: proves the properties above are not vacuous.

def _seed_xlsx_typed() -> bytes:
    cells = [[_typed(cell) for cell in row] for row in SEED_ROWS]
    return _xlsx(cells, {(r, c): "[h]:mm:ss.0" for r, row in enumerate(cells) for c, v in enumerate(row)
                         if isinstance(v, dt.timedelta)})


@pytest.mark.parametrize("make, suffix", [
    (lambda: SEED.encode("utf-8"), ".txt"),
    (lambda: SEED.encode("cp932"), ".txt"),
    (lambda: SEED.encode("utf-16"), ".tsv"),
    (lambda: _as_excel_csv(SEED_ROWS).encode("utf-8-sig"), ".csv"),
    (lambda: _as_html(SEED_ROWS).encode("utf-8"), ".html"),
    (lambda: _xlsx(SEED_ROWS), ".xlsx"),
    (_seed_xlsx_typed, ".xlsx"),
], ids=["txt-utf8", "txt-cp932", "tsv-utf16", "csv-excel", "html", "xlsx-text", "xlsx-typed"])
def test_unmutated_seed_reads_as_the_seed_month(make, suffix):
    tables = _read_or_recon_error(make(), suffix)
    assert len(tables) == 1
    table = tables[0]
    assert [(r.type_id, r.count, r.tenths, r.charge) for r in table.rows] == SEED_TYPES
    stated = table.stated_total
    assert (stated.count, stated.tenths, stated.charge) == (3016, 4316635, None)  # 合計 states no charge
    assert table.discount is not None
    assert (table.discount.count, table.discount.tenths, table.discount.stated) == (3016, 1408630, -1174)


# ── round trips ──────────────────────────────────────────────────────────────────────────────────

_FULL_WIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "0123456789:.,"})


@FUZZ
@given(tenths=st.integers(0, 10**10))
def test_parse_duration_reads_back_format_duration(tenths):
    assert parse_duration(format_duration(tenths)) == tenths
    assert parse_duration(format_duration(tenths, tenth=False)) == tenths
    assert parse_duration(format_duration(tenths).translate(_FULL_WIDTH)) == tenths
    seconds, tenth = divmod(tenths, 10)
    kanji = f"{seconds // 3600}時間{seconds // 60 % 60}分{seconds % 60}.{tenth}秒"
    assert parse_duration(kanji) == tenths


@FUZZ
@given(yen=st.integers(-10**15, 10**15))
def test_parse_yen_reads_back_format_yen(yen):
    assert parse_yen(format_yen(yen)) == yen
    assert parse_yen(format_yen(yen).translate(_FULL_WIDTH)) == yen


@FUZZ
@given(yen=st.integers(1, 10**12),
       dress=st.sampled_from(["-{}", "−{}", "△{}", "▲{}", "({})", "-¥{}", "-{}円", "（{}）"]))
def test_parse_yen_reads_every_negative_dress(yen, dress):
    assert parse_yen(dress.format(format_yen(yen))) == -yen


@FUZZ
@given(count=st.integers(0, 10**12), suffix=st.sampled_from(["", "件", "回", " 件"]))
def test_parse_count_reads_back_a_formatted_count(count, suffix):
    assert parse_count(format_yen(count) + suffix) == count
    assert parse_count(str(count).translate(_FULL_WIDTH)) == count


@FUZZ
@given(tenths=st.integers(0, 10**9))
def test_days_to_tenths_reads_back_the_float_excel_stores(tenths):
    assert days_to_tenths(tenths / 864000) == tenths


# ── crashes the fuzzers found: bad input that escaped as something other than a ReconError ─────

@pytest.mark.parametrize("data, suffix", [
    (b"a\tb\n" + b"x" * 200_000, ".txt"),
    (b"a\tb\n" + b"x" * 200_000, ".tsv"),
    (b'a,"b\n' + b"x" * 200_000, ".csv"),
], ids=["txt-long-line", "tsv-long-line", "csv-open-quote"])
def test_a_field_over_the_csv_field_limit_is_a_recon_error(data, suffix):
    """Was csv.Error 'field larger than field limit (131072)' out of readers/text.py."""
    _read_or_recon_error(data, suffix)


@pytest.mark.parametrize("charset", ["base64", "hex", "rot13", "zlib", "bz2", "uu", "quopri", "undefined",
                                     "punycode"])
def test_a_meta_charset_that_is_no_text_encoding_is_a_recon_error(charset):
    """Was LookupError ('base64' is not a text encoding) or UnicodeError out of readers/decode.py."""
    page = (f'<html><head><meta charset="{charset}"></head>'
            "<body><table><tr><td>x</td></tr></table></body></html>")
    _read_or_recon_error(page.encode("ascii"), ".html")


def _rezip(data: bytes, member: str, change) -> bytes:
    """The workbook with one member's bytes changed, zipped again (so the zip itself is sound)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            target.writestr(name, change(content) if name == member else content)
    return out.getvalue()


_SEED_XLSX = None


def _seed_xlsx() -> bytes:
    global _SEED_XLSX
    if _SEED_XLSX is None:
        _SEED_XLSX = _seed_xlsx_typed()
    return _SEED_XLSX


@pytest.mark.parametrize("member, change", [
    ("xl/worksheets/sheet1.xml", lambda c: c[: len(c) // 2]),
    ("xl/worksheets/sheet1.xml", lambda c: c.replace(b"<sheetData>", b"<sheetData><row r='x'>")),
    ("xl/worksheets/sheet1.xml", lambda c: c.replace(b'r="B3"', b'r="ZZZZZZ3"')),
    ("xl/worksheets/sheet1.xml", lambda c: c.replace(b"<v>1096</v>", b"<v>abc</v>")),
    ("xl/workbook.xml", lambda c: c[: len(c) // 2]),
    ("xl/styles.xml", lambda c: b"junk"),
    ("[Content_Types].xml", lambda c: b"junk"),
], ids=["sheet-truncated", "sheet-bad-row", "sheet-bad-ref", "sheet-bad-number", "workbook-truncated",
        "styles-junk", "content-types-junk"])
def test_a_damaged_xlsx_part_is_a_recon_error(member, change):
    """Was xml ParseError / lxml XMLSyntaxError / ValueError out of openpyxl, through readers/xlsx.py
    (some at load, some while iterating a read-only sheet's rows)."""
    _read_or_recon_error(_rezip(_seed_xlsx(), member, change), ".xlsx")


@SLOW_FUZZ
@given(member=st.sampled_from(["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml"]),
       cut=st.floats(0.05, 0.95), junk=st.binary(max_size=20))
def test_a_damaged_xlsx_part_cut_anywhere_is_a_recon_error(member, cut, junk):
    _read_or_recon_error(_rezip(_seed_xlsx(), member, lambda c: c[: int(len(c) * cut)] + junk), ".xlsx")


def test_a_negative_duration_in_xlsx_is_a_recon_error():
    """Was a call-type row with negative time, where the same row as text (-0:01:00) is rejected."""
    rows = [["明細", "通話種別", "通話数", "通話時間", "通話料金"],
            ["通話", "一般通話", 1096, dt.timedelta(hours=-1), 10240]]
    with pytest.raises(ReconError):
        _tables(_xlsx(rows, {(1, 3): "[h]:mm:ss"}), ".xlsx")


# ── mutations that must not change the month: invisible characters, quoting, split headers ──────
# (SPEC §1, §1.1) Each property reads the seed after the mutation and asserts the seed's figures.

_INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e"]


def _assert_seed(tables: list[DetailTable]) -> None:
    assert len(tables) == 1
    (table,) = tables
    assert [(r.type_id, r.count, r.tenths, r.charge) for r in table.rows] == SEED_TYPES
    assert (table.stated_total.count, table.stated_total.tenths, table.stated_total.charge) == (3016, 4316635, None)
    assert (table.discount.count, table.discount.tenths, table.discount.stated) == (3016, 1408630, -1174)


@st.composite
def _with_invisible(draw) -> list[list[str]]:
    """The seed with invisible characters put anywhere inside its cells: labels, header, figures."""
    rows = [list(row) for row in SEED_ROWS]
    for _ in range(draw(st.integers(1, 12))):
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, len(rows[r]) - 1))
        cell = rows[r][c]
        at = draw(st.integers(0, len(cell)))
        rows[r][c] = cell[:at] + draw(st.sampled_from(_INVISIBLE)) + cell[at:]
    return rows


def _as_formats(rows: list[list[str]], form: str) -> tuple[bytes, str]:
    if form == "csv":
        return _as_excel_csv(rows).encode("utf-8-sig"), ".csv"
    if form == "html":
        return _as_html(rows).encode("utf-8"), ".html"
    if form == "xlsx":
        return _xlsx(rows), ".xlsx"
    if form == "utf16":
        return _as_text(rows, "\r\n").encode("utf-16"), ".txt"
    return _as_text(rows).encode("utf-8"), ".txt"


@FUZZ
@given(rows=_with_invisible(), form=st.sampled_from(["text", "utf16", "csv", "html", "xlsx"]))
def test_invisible_characters_anywhere_leave_the_seed_month(rows, form):
    _assert_seed(_tables(*_as_formats(rows, form)))


def _quote(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


@FUZZ
@given(data=st.data(), delimiter=st.sampled_from(["\t", ","]), encoding=st.sampled_from(_TABLE_ENCODINGS),
       newline=st.sampled_from(["\n", "\r\n"]), suffix=st.sampled_from([".txt", ".tsv", ".csv"]))
def test_excels_quoting_of_any_cells_leaves_the_seed_month(data, delimiter, encoding, newline, suffix):
    """Excel quotes what holds a separator; other tools quote every cell: any cell may be quoted."""
    rows = []
    for row in SEED_ROWS:
        cells = [c.replace("<b>", "").replace("</b>", "") for c in row]
        rows.append([_quote(c) if delimiter in c or data.draw(st.booleans()) else c for c in cells])
    text = newline.join(delimiter.join(row) for row in rows)
    _assert_seed(_tables(_encode(text, encoding), suffix))


@FUZZ
@given(data=st.data(), suffix=st.sampled_from([".txt", ".tsv"]), encoding=st.sampled_from(_TABLE_ENCODINGS))
def test_stray_quotes_in_a_pasted_page_leave_the_seed_month(data, suffix, encoding):
    """A page pasted into Notepad is not quoted: a quote in the title, a note or the 明細 column is a
    character, and swallows no line after it."""
    rows = [list(row) for row in SEED_ROWS]
    rows.insert(0, [data.draw(st.sampled_from(['※「注意"', '"', 'メモ "未確認', '""', '"a"b']))])
    for r in data.draw(st.lists(st.integers(0, len(rows) - 1), max_size=6)):
        at = data.draw(st.integers(0, len(rows[r][0])))
        rows[r][0] = rows[r][0][:at] + '"' + rows[r][0][at:] if r == 0 or at == 0 else rows[r][0]
    _assert_seed(_tables(_encode(_as_text(rows), encoding), suffix))


_HEADER_SPLITS = [
    [["明細", "通話種別", "通話数", "通話時間", "通話料金"], ["", "", "", "(時:分:秒)", "(円・税別)"]],
    [["明細", "通話種別", "通話数", "通話時間", "通話料金"], ["明細", "通話種別", "", "(時:分:秒)", "(円・税別)"]],
    [["明細", "通話", "通話", "通話", "通話"], ["", "種別", "数", "時間 (時:分:秒)", "料金 (円・税別)"]],
    [["", "", "通話数", "通話時間", "通話料金"], ["明細", "通話種別", "(件)", "(時:分:秒)", "(円)"]],
    [["明細", "通話種別", "通話数", "通話時間\n(時:分:秒)", "通話料金\n(円・税別)"]],
]


@FUZZ
@given(split=st.sampled_from(_HEADER_SPLITS), form=st.sampled_from(["text", "utf16", "csv", "html", "xlsx"]),
       invisible=st.booleans())
def test_a_header_split_as_pages_and_pastes_split_it_leaves_the_seed_month(split, form, invisible):
    header = [[c + ("\u200b" if invisible and c else "") for c in row] for row in split]
    rows = [SEED_ROWS[0]] + header + [list(r) for r in SEED_ROWS[2:]]
    if form in ("text", "utf16") and len(split) == 1:  # a line break in a text cell is quoted, as Excel writes it
        rows[1] = [_quote(c) if "\n" in c else c for c in rows[1]]
    _assert_seed(_tables(*_as_formats(rows, form)))


_WORKBOOK_PREFIXES = [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"PK\x03\x04", b"<html><table><tr><td>",
                      b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="B"\r\n\r\n--B\r\n'
                      b"Content-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"]


@FUZZ
@given(prefix=st.sampled_from(_WORKBOOK_PREFIXES), junk=st.binary(max_size=2000),
       suffix=st.sampled_from([".ods", ".xls", ".mhtml"]))
def test_random_bytes_into_the_new_formats_raise_only_recon_error(prefix, junk, suffix):
    _read_or_recon_error(prefix + junk, suffix)


@SLOW_FUZZ
@given(data=st.data())
def test_a_damaged_ods_raises_only_recon_error(data):
    """The field case's .ods with one part's bytes cut or changed, zipped again."""
    book = (Path(__file__).parent / "data" / "field-cases" / "ods-libreoffice-default" / "2024" / "2024-01.ods").read_bytes()
    member = data.draw(st.sampled_from(["content.xml", "styles.xml", "META-INF/manifest.xml", "mimetype"]))

    def change(content: bytes) -> bytes:
        at = data.draw(st.integers(0, len(content)))
        return content[:at] + data.draw(st.binary(max_size=20)) + content[at + data.draw(st.integers(0, 40)):]

    _read_or_recon_error(_rezip(book, member, change), ".ods")


# ── files whose declared sizes and spans lie (bounded by content) ───────────────────────────────
# The readers lay a file out by what it holds; past readers.MAX_CELLS (lowered here, so that each
# example stays small) a file is a ReconError. Whatever a file declares, what comes out is at most
# that many cells, and nothing else is raised.

SMALL_LIMIT = 5_000


def _laid_out(data: bytes, suffix: str) -> int | None:
    """Cells the reader made of the file, with MAX_CELLS at SMALL_LIMIT (None: it raised a
    ReconError); find_tables runs on them."""
    from recon.readers import calamine, html, xlsx

    with pytest.MonkeyPatch.context() as patch:
        for module in (calamine, html, xlsx):
            patch.setattr(module, "MAX_CELLS", SMALL_LIMIT)
        try:
            grids, _ = read(data, f"2024-01{suffix}", suffix)
            for grid in grids:
                find_tables(grid)
        except ReconError:
            return None
    return sum(len(row) for grid in grids for row in grid.rows)


_column_letters = st.one_of(st.sampled_from(["A", "B", "E", "Z", "AA", "XFD", "ZZZ", "XFE"]),
                            st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=4))
_row_numbers = st.one_of(st.integers(1, 20), st.integers(1, 2**31 + 5), st.sampled_from([1048576, 1048577, 1_500_000_000]))


@SLOW_FUZZ
@given(cells=st.lists(st.tuples(_column_letters, _row_numbers, st.one_of(st.none(), st.integers(-5, 10**6))),
                      max_size=40),
       dimension=st.one_of(st.none(), st.sampled_from(["A1:XFD1048576", "A1:XFD1", "A:XFD", "1:1048576", "A1"]),
                           st.builds(lambda c, r: f"A1:{c}{r}", _column_letters, _row_numbers)))
def test_a_workbook_whose_dimension_and_references_lie_lays_out_only_what_it_holds(cells, dimension):
    import hostile_files

    rows: dict[int, list[str]] = {}
    for letters, number, value in cells:
        content = "" if value is None else f"<v>{value}</v>"
        rows.setdefault(number, []).append(f'<c r="{letters}{number}">{content}</c>')
    data = hostile_files.xlsx("".join(f'<row r="{n}">{"".join(c)}</row>' for n, c in sorted(rows.items())),
                              dimension=dimension)
    found = _laid_out(data, ".xlsx")
    assert found is None or found <= SMALL_LIMIT


@SLOW_FUZZ
@given(rows=st.lists(st.tuples(st.integers(1, 2**31), st.lists(st.tuples(st.integers(1, 2**31), st.booleans()),
                                                                max_size=5)), max_size=6))
def test_an_ods_whose_repeats_lie_lays_out_only_what_it_holds(rows):
    import hostile_files

    body = "".join(
        f'<table:table-row table:number-rows-repeated="{down}">'
        + "".join(f'<table:table-cell table:number-columns-repeated="{across}"'
                  + (' office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>' if valued
                     else "/>") for across, valued in cells) + "</table:table-row>" for down, cells in rows)
    data = hostile_files.ods_repeated().replace(
        b'<table:table-row table:number-rows-repeated="4000"><table:table-cell table:number-columns-repeated="16384" '
        b'office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>', b"")
    data = _with_content(data, body)
    found = _laid_out(data, ".ods")
    assert found is None or found <= SMALL_LIMIT


def _with_content(ods: bytes, rows: str) -> bytes:
    """The .ods with its one sheet's rows replaced."""
    source, out = zipfile.ZipFile(io.BytesIO(ods)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "content.xml":
                head, tail = content.split(b'<table:table table:name="Sheet1">')
                content = head + b'<table:table table:name="Sheet1">' + rows.encode() + tail[tail.index(b"</table:table>"):]
            target.writestr(info, content)
    return out.getvalue()


_spans = st.one_of(st.none(), st.integers(-3, 70000).map(str), st.sampled_from(["1000", "65534", "0", "x", "1e9", ""]))


@FUZZ
@given(rows=st.lists(st.lists(st.tuples(_spans, _spans), max_size=8), max_size=12))
def test_a_page_whose_spans_lie_lays_out_at_most_the_limit(rows):
    def cell(colspan, rowspan):
        attributes = "".join(f' {name}="{value}"' for name, value in (("colspan", colspan), ("rowspan", rowspan))
                             if value is not None)
        return f"<td{attributes}>1</td>"
    page = "<table>" + "".join("<tr>" + "".join(cell(*c) for c in row) + "</tr>" for row in rows) + "</table>"
    found = _laid_out(page.encode("ascii"), ".html")
    assert found is None or found <= SMALL_LIMIT
