"""Hostile and messy input (issue #4): nothing lost, nothing let in, nothing crashes.

Each test puts files from tests/data/messy/ (see its README) into a year folder, runs the pipeline
or the CLI over it, and asserts what the accountant sees: every file's status and reason in
`--json` and on the Sources sheet, and every month's figures. Inputs that are dangerous (zip and
XML entity bombs) or that only recon can make (copies of its own report) are built here.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import struct
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from recon import pipeline, readers
from recon.cli import main
from recon.pipeline import build
from recon.outputs.json import document
from recon.settings import load
from recon.view import view

MESSY = Path(__file__).parent / "data" / "messy"
SEED_ROWS = [("general", 1096, 1037935, 10240), ("international", 600, 1980600, 96870),
             ("mobile", 330, 168450, 7680), ("ip", 480, 376350, 0), ("phs", 510, 393300, 15300)]
SEED_TOTAL = (3016, 3956635, 130090)
SEED_INVOICE = 128916
ALL_CHECKS = ["total_count", "total_duration", "total_charge", "discount", "invoice"]
MB = 1024 * 1024


# ── helpers ──────────────────────────────────────────────────────────────────────────────────────

def year_of(tmp_path: Path, folder: str | None = None, name: str = "2024") -> Path:
    """A year folder in tmp_path: a copy of tests/data/messy/<folder>, or empty."""
    year = tmp_path / name
    if folder:
        shutil.copytree(MESSY / folder, year)
    else:
        year.mkdir(parents=True)
    return year


def one_month(tmp_path: Path, sample: Path) -> Path:
    """A year folder holding one sample file as 2024-01, and January's invoice (the seed's)."""
    year = year_of(tmp_path)
    shutil.copy(sample, year / f"2024-01{sample.suffix}")
    (year / "invoices.csv").write_text(f"month,amount\n2024-01,{SEED_INVOICE}\n", encoding="utf-8")
    return year


def cli(*args):
    """The recon command in-process; stdout and stderr apart, exceptions kept on the result."""
    return CliRunner().invoke(main, [str(a) for a in args])


def build_json(year: Path, *options) -> dict:
    """`recon build YEAR --json`: the recon/1 document (stdout carries it alone)."""
    result = cli("build", year, "--json", *options)
    assert result.exit_code == 0, (result.output, result.exception)
    return json.loads(result.stdout)


def check_json(year: Path) -> dict:
    """`recon check YEAR --json`: the document (exit 1 only says some month does not tie out)."""
    result = cli("check", year, "--json")
    assert result.exit_code in (0, 1), (result.output, result.exception)
    return json.loads(result.stdout)


def files_of(doc: dict) -> dict[str, tuple[str, str | None]]:
    return {f["path"]: (f["status"], f["message"]) for f in doc["files"]}


def months_of(doc: dict) -> dict[str, dict]:
    return {m["month"]: m for m in doc["months"]}


def doc_message(report, path: str) -> str:
    """A file's reason as `--json` words it."""
    return next(f.message for f in document(view(report, load(None))).files if f.path == path)


def sources_sheet(workbook: Path) -> dict[str, tuple]:
    """The 取込ファイル sheet: path → (month, format, encoding, status, reason)."""
    ws = openpyxl.load_workbook(workbook)["取込ファイル"]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["ファイル", "利用月", "形式", "文字コード", "状態", "理由"]
    return {row[0]: tuple(row[1:6]) for row in ws.iter_rows(min_row=2, values_only=True) if row[0]}


def figures(month) -> tuple:
    """A MonthResult as (rows, total, stated total, discount stated and recomputed)."""
    rows = [(r.type_id, r.count, r.tenths, r.charge) for r in month.rows]
    total, stated, discount = month.total, month.stated_total, month.discount
    return (rows, (total.count, total.tenths, total.charge), (stated.count, stated.tenths, stated.charge),
            (discount.stated, discount.recomputed))


SEED_FIGURES = (SEED_ROWS, SEED_TOTAL, SEED_TOTAL, (-1174, -1174))


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under folder (hidden ones too): sha256 and modification time."""
    return {path.relative_to(folder).as_posix(): (hashlib.sha256(path.read_bytes()).hexdigest(),
                                                  path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


def rezip(source: bytes, target: Path, member: str, write, zip64: bool = True) -> None:
    """Copy a workbook into `target`, with `write(handle, original bytes)` writing `member`."""
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename == member:
                with new.open(member, "w", force_zip64=zip64) as handle:
                    write(handle, old.read(member))
            else:
                new.writestr(info, old.read(info.filename))


NOVEMBER_XLSX = MESSY / "not_a_report" / "recon-2024.xlsx"  # a person's workbook: one table on 明細


# ── every problem in one run ─────────────────────────────────────────────────────────────────────

@pytest.fixture(scope="module")
def messy_year(tmp_path_factory):
    """files/ built once, its report then copied in twice (as Windows names a copy, and renamed
    like a month), and built again: the JSON of the second build and its workbook."""
    year = year_of(tmp_path_factory.mktemp("messy"), "files")
    assert cli("build", year, "-q").exit_code == 0
    shutil.copy(year / "recon-2024.xlsx", year / "recon-2024 - コピー.xlsx")
    shutil.copy(year / "recon-2024.xlsx", year / "2024-05.xlsx")
    return year, build_json(year)


MESSY_FILES = {  # path → status, reason (--json, English)
    ".DS_Store": ("ignored", "a hidden file"),
    "2024-01.txt": ("read", None),
    "2024-02.csv": ("read", None),
    "2024-03.txt": ("ignored", "an empty file"),
    "2024-04.txt": ("ignored", "a binary file, not text"),
    "2024-05.xlsx": ("ignored", "a recon report"),
    "2024-06.xlsx": ("ignored", "not an Excel workbook (not a zip archive)"),
    "2024-07.xlsx": ("error", ("2024-07.xlsx: expected an Excel workbook (.xlsx), found 'not a zip archive "
                               "(File is not a zip file)'")),
    "2024-08.xls": ("error", ("2024-08.xls: expected an Excel 97-2003 workbook (.xls), "
                              "found 'CalamineError: Cannot detect file format'")),
    "2024-09.txt": ("error", ("2024-09.txt:5: expected a row with a count, a duration and a charge, "
                              "found '携帯通話 330 4:40:45.0' (this one has no charge)")),
    "2024-10.xlsx": ("error", "2024-10.xlsx:明細!F7: expected a yen amount such as 10,240, found '要確認'"),
    "invoices.csv": ("read", None),
    "recon-2024 - コピー.xlsx": ("ignored", "a recon report"),
    "~$2024-01.xlsx": ("ignored", "an Excel lock file"),
    "メモ.txt": ("ignored", "no detail table in it"),
    "請求書_2024-05.pdf": ("ignored", "not a format recon reads (.pdf)"),
}
MESSY_SOURCES = {  # path → status, reason (取込ファイル sheet, Japanese)
    ".DS_Store": ("対象外", "隠しファイル"),
    "2024-01.txt": ("読込済", None),
    "2024-02.csv": ("読込済", None),
    "2024-03.txt": ("対象外", "空のファイル"),
    "2024-04.txt": ("対象外", "テキストではないファイル (バイナリ)"),
    "2024-05.xlsx": ("対象外", "recon のレポート"),
    "2024-06.xlsx": ("対象外", "Excel ブックではないファイル (zip ではない)"),
    "2024-07.xlsx": ("エラー", ("2024-07.xlsx: Excel ブック (.xlsx)が必要ですが「zip ではないファイル "
                              "(File is not a zip file)」でした")),
    "2024-08.xls": ("エラー", "2024-08.xls: Excel 97-2003 ブック (.xls)が必要ですが「CalamineError: Cannot detect file format」でした"),
    "2024-09.txt": ("エラー", ("2024-09.txt:5: 通話数・通話時間・通話料金のそろった行が必要ですが"
                              "「携帯通話 330 4:40:45.0」でした。この行には通話料金がありません")),
    "2024-10.xlsx": ("エラー", "2024-10.xlsx:明細!F7: 円の金額 (例: 10,240)が必要ですが「要確認」でした"),
    "invoices.csv": ("読込済", None),
    "recon-2024 - コピー.xlsx": ("対象外", "recon のレポート"),
    "~$2024-01.xlsx": ("対象外", "Excel のロックファイル"),
    "メモ.txt": ("対象外", "明細の表がありません"),
    "請求書_2024-05.pdf": ("対象外", "recon が読まない形式 (.pdf)"),
}


def test_every_file_of_a_messy_year_is_listed_with_its_status_and_reason(messy_year):
    _, doc = messy_year
    assert files_of(doc) == MESSY_FILES  # the report being written is not listed; everything else is


def test_the_sources_sheet_lists_every_file_with_its_status_and_reason_in_japanese(messy_year):
    year, _ = messy_year
    sheet = sources_sheet(year / "recon-2024.xlsx")
    assert {path: (row[3], row[4]) for path, row in sheet.items()} == MESSY_SOURCES


def test_the_sources_sheet_names_the_month_format_and_encoding_of_what_was_read(messy_year):
    year, _ = messy_year
    sheet = sources_sheet(year / "recon-2024.xlsx")
    assert sheet["2024-01.txt"][:3] == ("2024-01", "テキスト", "utf-8")
    assert sheet["2024-02.csv"][:3] == ("2024-02", "CSV", "utf-8-bom")
    assert sheet["2024-10.xlsx"][:2] == ("2024-10", "Excel")


def test_the_good_months_of_a_messy_year_still_reconcile(messy_year):
    _, doc = messy_year
    months = months_of(doc)
    assert {m: months[m]["status"] for m in months} == {
        "2024-01": "ok", "2024-02": "ok", "2024-03": "missing", "2024-04": "missing", "2024-05": "missing",
        "2024-06": "missing", "2024-07": "error", "2024-08": "error", "2024-09": "error", "2024-10": "error",
    }
    for good in ("2024-01", "2024-02"):
        month = months[good]
        assert month["total"] == {"count": 3016, "duration_s": 395663.5, "charge": 130090}
        assert [(c["check"], c["ok"]) for c in month["checks"]] == [(c, True) for c in ALL_CHECKS]
        assert len(month["types"]) == 5


def test_a_bad_file_makes_its_month_an_error_that_says_where(messy_year):
    _, doc = messy_year
    months = months_of(doc)
    for month, path in (("2024-07", "2024-07.xlsx"), ("2024-09", "2024-09.txt"), ("2024-10", "2024-10.xlsx")):
        assert MESSY_FILES[path][1] in months[month]["messages"], month
        assert months[month]["types"] == {}, month  # no half-read table


# ── values ───────────────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("sample", sorted((MESSY / "values").iterdir()), ids=lambda p: p.name)
def test_every_written_form_of_a_value_reads_as_the_seed_month(sample, tmp_path):
    report = build(one_month(tmp_path, sample), load(None))
    (record, _) = report.files
    assert (record.status, record.message) == ("read", None)
    (month,) = report.months
    assert figures(month) == SEED_FIGURES
    assert [(c.check, c.ok) for c in month.checks] == [(c, True) for c in ALL_CHECKS]
    assert month.status == "ok"


def test_a_shifted_total_row_keeps_its_charge(tmp_path):
    report = build(one_month(tmp_path, MESSY / "tables" / "total_shifted_with_charge.txt"), load(None))
    (month,) = report.months
    assert month.stated_total.charge == 130090
    assert [c.check for c in month.checks] == ALL_CHECKS


def test_a_blank_row_of_an_unknown_type_does_not_silently_end_the_table(tmp_path):
    report = build(one_month(tmp_path, MESSY / "tables" / "blank_unknown_row.txt"), load(None))
    (record, _) = report.files
    (month,) = report.months
    # the row is a damaged call-type row: an error naming its line, not the quiet end of the table
    assert (record.status, month.status) == ("error", "error")
    assert doc_message(report, "2024-01.txt") == (
        "2024-01.txt:5: expected a row with a count, a duration and a charge, found 'ナビダイヤル'")


# ── encodings ────────────────────────────────────────────────────────────────────────────────────

ENCODINGS = {"utf8_bom.txt": "utf-8-bom", "utf16le.txt": "utf-16-le", "utf16be.txt": "utf-16-be",
             "utf8.txt": "utf-8", "cp932.csv": "cp932", "sjis_meta.html": "cp932",
             "katakana_cp932.html": "cp932", "cp932_wavedash.txt": "cp932"}
@pytest.mark.parametrize("name, encoding", ENCODINGS.items())
def test_each_encoding_is_named_and_loses_no_row(name, encoding, tmp_path):
    report = build(one_month(tmp_path, MESSY / "encodings" / name), load(None))
    (record, _) = report.files
    assert (record.status, record.encoding, record.message) == ("read", encoding, None)
    (month,) = report.months
    assert len(month.rows) == 5
    assert figures(month) == SEED_FIGURES and month.status == "ok"


@pytest.mark.parametrize("name, text", [
    ("cp932.csv", "㈱髙橋商事 ①本社回線"),
    ("sjis_meta.html", "ご契約者: ㈱髙橋商事 様 ①本社回線"),
    ("katakana_cp932.html", "ﾃ｡ﾃ｡ﾃ｡ﾃ｡ O50IP電話"),
    ("utf8.txt", "㈱髙橋商事 ①本社回線"),
])
def test_cp932_only_characters_and_half_width_katakana_come_through_decoding(name, text):
    path = MESSY / "encodings" / name
    grids, _ = readers.read(path.read_bytes(), f"2024-01{path.suffix}", path.suffix)
    cells = [cell.value for grid in grids for row in grid.rows for cell in row]
    assert text in cells


def test_undecodable_bytes_are_an_error_naming_the_encodings_tried(tmp_path):
    doc = check_json(one_month(tmp_path, MESSY / "encodings" / "undecodable.txt"))
    assert files_of(doc)["2024-01.txt"] == (
        "error", "2024-01.txt: expected text in UTF-8, UTF-16 or CP932 (tried utf-8, cp932)")
    (month,) = doc["months"]
    assert (month["status"], month["types"]) == ("error", {})


# ── files ────────────────────────────────────────────────────────────────────────────────────────

def test_a_report_resaved_by_a_spreadsheet_and_renamed_like_a_month_is_still_ignored(tmp_path):
    """The marker, not the name: the report opened, annotated and saved again (as Excel keeps custom
    properties), then renamed 2024-05.xlsx, is still recon's own report."""
    year = one_month(tmp_path, MESSY / "files" / "2024-01.txt")
    assert cli("build", year, "-q").exit_code == 0
    book = openpyxl.load_workbook(year / "recon-2024.xlsx")
    book["サマリー"]["A40"] = "確認済み 山田"
    book.save(year / "2024-05.xlsx")
    doc = build_json(year)
    assert files_of(doc)["2024-05.xlsx"] == ("ignored", "a recon report")
    assert list(months_of(doc)) == ["2024-01"]


def test_a_workbook_named_like_the_report_elsewhere_is_read_as_input(tmp_path):
    year = year_of(tmp_path, "not_a_report")
    doc = build_json(year, "-o", tmp_path / "report.xlsx")
    assert files_of(doc) == {"recon-2024.xlsx": ("read", None)}
    (month,) = doc["months"]
    assert (month["month"], month["sources"], len(month["types"])) == ("2024-11", ["recon-2024.xlsx"], 5)
    assert month["total"] == {"count": 3016, "duration_s": 395663.5, "charge": 130090}


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_a_workbook_at_the_output_path_that_holds_a_table_is_an_input_and_never_overwritten(tmp_path, force):
    year = year_of(tmp_path, "not_a_report")
    before = snapshot(year)
    result = cli("build", year, *force, "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "this is the detail table for 2024-11, an input; recon never writes over an input" in result.stderr
    japanese = cli("build", year, *force)
    assert "これは2024-11 の明細 (入力)です。入力は上書きしません" in japanese.stderr
    assert snapshot(year) == before


@pytest.fixture(scope="module")
def sheets_doc(tmp_path_factory):
    return check_json(year_of(tmp_path_factory.mktemp("sheets"), "sheets"))


def test_a_sheet_per_month_reads_each_month(sheets_doc):
    months = months_of(sheets_doc)
    assert files_of(sheets_doc)["通話明細_2024.xlsx"] == ("read", None)
    got = {m: (months[m]["status"], months[m]["total"]["count"], months[m]["total"]["charge"])
           for m in ("2024-01", "2024-02", "2024-03")}
    assert got == {"2024-01": ("ok", 3016, 130090), "2024-02": ("ok", 3120, 131050),
                   "2024-03": ("ok", 2920, 129350)}
    record = next(f for f in sheets_doc["files"] if f["path"] == "通話明細_2024.xlsx")
    assert record["month"] == "2024-01, 2024-02, 2024-03"


def test_two_different_tables_for_a_month_in_one_file_are_an_error_naming_both_places(sheets_doc):
    message = "2024-04.xlsx:明細!D16: expected one detail table per file (another at 2024-04.xlsx:明細!D4)"
    assert files_of(sheets_doc)["2024-04.xlsx"] == ("error", message)
    april = months_of(sheets_doc)["2024-04"]
    assert april["status"] == "error" and message in april["messages"]


def test_one_bad_sheet_costs_only_its_month(sheets_doc):
    message = "通話明細_2024下期.xlsx:8月!F7: expected a yen amount such as 10,240, found '未確定'"
    assert files_of(sheets_doc)["通話明細_2024下期.xlsx"] == ("error", message)
    months = months_of(sheets_doc)
    assert {m: months[m]["status"] for m in ("2024-07", "2024-08", "2024-09")} == {
        "2024-07": "ok", "2024-08": "error", "2024-09": "ok"}
    assert months["2024-08"]["messages"] == [message]
    assert months["2024-09"]["total"]["count"] == 2920


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "MAX_BYTES", 4096)
    year = one_month(tmp_path, MESSY / "files" / "2024-01.txt")
    page = (MESSY / "files" / "2024-01.txt").read_bytes()
    (year / "2024-02.txt").write_bytes(page + "※ 明細の見方についてはこちらをご確認ください。\n".encode() * 100)
    size = (year / "2024-02.txt").stat().st_size
    report = build(year, load(None))
    big = next(f for f in report.files if f.path == "2024-02.txt")
    assert big.status == "error"
    assert doc_message(report, "2024-02.txt") == (
        f"2024-02.txt: expected a file of at most 4,096 bytes, found '{size:,} bytes'")
    assert big.sha256 is None  # refused before a byte of it was read
    assert {m.month: m.status for m in report.months} == {"2024-01": "ok", "2024-02": "error"}


# ── security ─────────────────────────────────────────────────────────────────────────────────────

LAUGHS = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10)) + b"]>\n")


# Where the entity is used: the sheet's title cell, or the workbook's first sheet name.
ENTITY_USE = {"xl/worksheets/sheet1.xml": (rb"<t>[^<]*</t>", b"<t>&lol9;</t>"),
              "xl/workbook.xml": (rb' name="[^"]*"', b' name="&lol9;"')}


def _entity_bomb(target: Path, member: str) -> None:
    """November's workbook with a billion-laughs DOCTYPE on one part, its entity used in it."""
    pattern, use = ENTITY_USE[member]

    def write(handle, xml: bytes) -> None:
        xml = xml.split(b"?>", 1)[-1] if xml.startswith(b"<?xml") else xml
        used = re.sub(pattern, use, xml, count=1)
        assert used != xml
        handle.write(LAUGHS + used)
    rezip(NOVEMBER_XLSX.read_bytes(), target, member, write)


ENTITY_PARTS = list(ENTITY_USE)


def _build_measured(year: Path):
    tracemalloc.start()
    try:
        report = build(year, load(None))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return report, peak


@pytest.mark.parametrize("member", ENTITY_PARTS)
def test_an_xml_entity_bomb_is_refused_in_bounded_memory(member, tmp_path):
    year = one_month(tmp_path, MESSY / "files" / "2024-01.txt")
    _entity_bomb(year / "2024-02.xlsx", member)
    report, peak = _build_measured(year)
    bomb = next(f for f in report.files if f.path == "2024-02.xlsx")
    assert bomb.status == "error"
    assert doc_message(report, "2024-02.xlsx").startswith("2024-02.xlsx: expected a")
    assert peak < 50 * MB
    assert {m.month: m.status for m in report.months} == {"2024-01": "ok", "2024-02": "error"}


@pytest.mark.parametrize("member", ENTITY_PARTS)
def test_an_xml_entity_bomb_is_refused_with_a_reason_that_names_entities(member, tmp_path):
    year = one_month(tmp_path, MESSY / "files" / "2024-01.txt")
    _entity_bomb(year / "2024-02.xlsx", member)
    assert "entit" in doc_message(build(year, load(None)), "2024-02.xlsx").lower()


def _zip_bomb(target: Path, megabytes: int, zip64: bool = True) -> None:
    """November's workbook whose sheet part ends in `megabytes` of spaces (white space after the
    root element is well-formed XML): a few hundred KB on disk."""
    spaces = b" " * MB

    def write(handle, xml: bytes) -> None:
        handle.write(xml)
        for _ in range(megabytes):
            handle.write(spaces)
    rezip(NOVEMBER_XLSX.read_bytes(), target, "xl/worksheets/sheet1.xml", write, zip64)


@pytest.mark.parametrize("megabytes", [300, 40], ids=["300MB-over-the-size-limit", "40MB-over-the-ratio"])
def test_a_zip_bomb_is_refused_from_its_directory_in_bounded_memory(megabytes, tmp_path, monkeypatch):
    year = one_month(tmp_path, MESSY / "files" / "2024-01.txt")
    _zip_bomb(year / "2024-02.xlsx", megabytes)
    size = (year / "2024-02.xlsx").stat().st_size
    with zipfile.ZipFile(year / "2024-02.xlsx") as archive:
        inflated = sum(info.file_size for info in archive.infolist())
    assert inflated > megabytes * MB and size < megabytes * MB / 500
    opened, real_open = [], zipfile.ZipFile.open

    def recording_open(archive, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(archive, name, *args, **kwargs)
    monkeypatch.setattr(zipfile.ZipFile, "open", recording_open)
    report, peak = _build_measured(year)
    assert doc_message(report, "2024-02.xlsx") == (
        "2024-02.xlsx: expected a workbook that inflates to at most 104,857,600 bytes "
        f"(this looks like a zip bomb), found '{inflated:,} bytes from {size:,}'")
    assert "xl/worksheets/sheet1.xml" not in opened  # not a byte of the bomb was inflated
    assert peak < 50 * MB
    assert {m.month: m.status for m in report.months} == {"2024-01": "ok", "2024-02": "error"}


def _understate(path: Path, member: str, size: int) -> None:
    """Make the zip's local header and central directory both say `member` inflates to `size`."""
    raw = bytearray(path.read_bytes())
    entry = raw.find(b"PK\x01\x02")
    while raw[entry + 46:entry + 46 + struct.unpack_from("<H", raw, entry + 28)[0]] != member.encode():
        entry = raw.find(b"PK\x01\x02", entry + 4)
    local = struct.unpack_from("<I", raw, entry + 42)[0]
    struct.pack_into("<I", raw, entry + 24, size)
    struct.pack_into("<I", raw, local + 22, size)
    path.write_bytes(bytes(raw))


def test_a_zip_bomb_whose_directory_understates_it_is_refused_as_damaged_in_bounded_memory(tmp_path):
    year = one_month(tmp_path, MESSY / "files" / "2024-01.txt")
    _zip_bomb(year / "2024-02.xlsx", 100, zip64=False)
    with zipfile.ZipFile(NOVEMBER_XLSX) as archive:
        honest = archive.getinfo("xl/worksheets/sheet1.xml").file_size
    _understate(year / "2024-02.xlsx", "xl/worksheets/sheet1.xml", honest)
    with zipfile.ZipFile(year / "2024-02.xlsx") as archive:
        assert sum(info.file_size for info in archive.infolist()) < MB  # the directory check is passed
    report, peak = _build_measured(year)
    assert doc_message(report, "2024-02.xlsx").startswith(
        "2024-02.xlsx: expected an Excel workbook (.xlsx), found 'not a zip archive (Bad CRC-32")
    assert peak < 50 * MB
    assert {m.month: m.status for m in report.months} == {"2024-01": "ok", "2024-02": "error"}


FORMULA_LABEL = '=HYPERLINK("http://example.com","x")'
FORMULA_NAME = '=HYPERLINK("http:\\\\example.com","x").txt'  # a name cannot hold a slash


def test_a_formula_from_an_input_lands_as_plain_text_on_every_sheet(tmp_path):
    year = one_month(tmp_path, MESSY / "files" / "2024-01.txt")
    shutil.copy(MESSY / "formula" / "hyperlink.txt", year / FORMULA_NAME)
    (year / "invoices.csv").write_text("month,amount\n2024-01,128916\n2024-02,128946\n", encoding="utf-8")
    doc = build_json(year)
    assert months_of(doc)["2024-02"]["types"][f"other:{FORMULA_LABEL}"]["count"] == 3
    path = year / "recon-2024.xlsx"
    book = openpyxl.load_workbook(path)
    found = {}
    for ws in book.worksheets:
        for cell in (c for row in ws.iter_rows() for c in row):
            if isinstance(cell.value, str) and "HYPERLINK" in cell.value:
                found.setdefault(ws.title, []).append(cell)
                assert cell.data_type == "s", (ws.title, cell.coordinate)
                text = cell.value.replace("\n", "")  # a message, as it reads without its line breaks
                assert FORMULA_LABEL in text or FORMULA_NAME in text, (ws.title, cell.value)
                assert cell.quotePrefix or not cell.value.startswith("="), (ws.title, cell.coordinate)
    assert set(found) == {"サマリー", "その他", "チェック", "取込ファイル"}
    assert [c.value for c in found["その他"]] == [FORMULA_LABEL]
    assert [c.value for c in found["取込ファイル"]] == [FORMULA_NAME]
    assert all(c.value.startswith(f"{FORMULA_NAME}:") for c in found["チェック"])
    assert any(FORMULA_LABEL in c.value and FORMULA_NAME in c.value for c in found["サマリー"])
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name


# ── month logic ──────────────────────────────────────────────────────────────────────────────────

@pytest.fixture(scope="module")
def months_doc(tmp_path_factory):
    return check_json(year_of(tmp_path_factory.mktemp("months"), "months"))


def test_phone_number_digits_are_not_a_month(months_doc):
    files = {f["path"]: f for f in months_doc["files"]}
    phone = files["O50IP電話_03-1234-5678.txt"]
    assert (phone["month"], phone["status"]) == ("2024-02", "read")  # from ご利用月, not from 03
    assert months_of(months_doc)["2024-02"]["status"] == "ok"
    no_month = files["050-1234-5678.txt"]
    assert (no_month["month"], no_month["status"], no_month["message"]) == (None, "error", (
        "050-1234-5678.txt:2: expected a usage month: name the file like 2024-01.txt "
        "or write ご利用月 2024年1月 above the table"))


def test_name_and_content_that_disagree_are_an_error_naming_both_months(months_doc):
    message = "2024-03.txt:3: expected the month in the name (2024-03) and in the content (2024-04) to agree"
    assert files_of(months_doc)["2024-03.txt"] == ("error", message)
    months = months_of(months_doc)
    for month in ("2024-03", "2024-04"):
        assert (months[month]["status"], months[month]["messages"]) == ("error", [message]), month


def test_two_identical_tables_for_a_month_count_once_with_a_warning(months_doc):
    may = months_of(months_doc)["2024-05"]
    assert (may["status"], may["sources"]) == ("warning", ["2024-05 - コピー.txt", "2024-05.txt"])
    assert may["total"] == {"count": 3016, "duration_s": 395663.5, "charge": 130090}
    assert may["messages"] == ["2024-05 - コピー.txt and 2024-05.txt hold the same table: counted once"]
    assert [(c["check"], c["ok"]) for c in may["checks"]] == [(c, True) for c in ALL_CHECKS]


def test_two_different_tables_for_a_month_are_an_error_naming_both_files(months_doc):
    june = months_of(months_doc)["2024-06"]
    assert (june["status"], june["sources"]) == ("error", ["2024-06.txt", "2024_06.csv"])
    assert any(m.startswith("2024-06.txt and 2024_06.csv hold different tables for this month")
               for m in june["messages"])


# ── no data lost ─────────────────────────────────────────────────────────────────────────────────

def test_two_builds_change_no_input_and_give_the_same_json_and_bytes(tmp_path):
    year = year_of(tmp_path, "files")
    inputs = snapshot(year)
    first = build_json(year)
    first_bytes = (year / "recon-2024.xlsx").read_bytes()
    second = build_json(year)  # now over the folder that holds the first report
    after = snapshot(year)
    assert set(after) == set(inputs) | {"recon-2024.xlsx"}  # the report, and no temp file
    assert {path: after[path] for path in inputs} == inputs
    assert second == first
    assert (year / "recon-2024.xlsx").read_bytes() == first_bytes


def _locked(source, target):
    raise PermissionError(13, "The process cannot access the file because it is being used by another "
                              "process", str(target))


def test_a_report_that_cannot_be_replaced_stays_as_it_was_with_no_temp_file(tmp_path, monkeypatch):
    year = year_of(tmp_path, "files")
    assert cli("build", year, "-q").exit_code == 0
    before = snapshot(year)
    monkeypatch.setattr(os, "replace", _locked)  # Windows, with the report open in Excel
    cli("build", year, "-q")
    assert snapshot(year) == before


def test_a_report_that_cannot_be_replaced_is_one_line_and_exit_2(tmp_path, monkeypatch):
    year = year_of(tmp_path, "files")
    assert cli("build", year, "-q").exit_code == 0
    monkeypatch.setattr(os, "replace", _locked)
    result = cli("build", year, "-q")
    assert result.exit_code == 2, result.exception
    assert result.stderr.count("\n") == 1 and "recon-2024.xlsx" in result.stderr


# ── say which file: a month without its table names the file that was there ──────────────────────

def _year_with_unread_files(tmp_path: Path) -> Path:
    year = one_month(tmp_path, Path(__file__).parent / "data" / "seed" / "2024-01.txt")
    (year / "invoices.csv").write_text("month,amount\n2024-01,128916\n2024-02,1\n2024-03,1\n2024-05,1\n",
                                       encoding="utf-8")
    (year / "2024-02.pdf").write_bytes(b"%PDF-1.4 invoice")
    (year / "2024-03.txt").write_text("memo: call OCN about 2024-03\n", encoding="utf-8")
    (year / "2024-04.numbers").write_bytes(b"PK\x03\x04")
    (year / "~$2024-05.xlsx").write_bytes(b"lock")  # a lock file stands for no month's table
    (year / "2024-12.pdf").write_bytes(b"%PDF")  # outside the months listed: no month is made for it
    return year


UNREAD = {
    "2024-02": ["no detail table for this month",
                "2024-02.pdf, named for this month, was not read: not a format recon reads (.pdf)"],
    "2024-03": ["no detail table for this month",
                "2024-03.txt, named for this month, was not read: no detail table in it"],
    "2024-04": ["no detail table for this month",  # the file says why there is none, then the invoice
                "2024-04.numbers, named for this month, was not read: not a format recon reads (.numbers)",
                "no invoiced amount for this month (invoices.csv)"],
    "2024-05": ["no detail table for this month"],
}


def test_a_missing_month_names_the_file_named_for_it_and_why_it_was_not_read(tmp_path):
    doc = build_json(_year_with_unread_files(tmp_path))
    months = {m["month"]: m for m in doc["months"]}
    assert list(months) == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    assert {m: months[m]["messages"] for m in UNREAD} == UNREAD
    assert {m: months[m]["status"] for m in UNREAD} == dict.fromkeys(UNREAD, "missing")


def test_the_console_names_the_unread_file_too(tmp_path):
    result = cli("check", _year_with_unread_files(tmp_path), "--lang", "en")
    assert "2024-02.pdf, named for this month, was not read: not a format recon reads (.pdf)" in result.stdout


def test_the_workbook_names_the_unread_file_in_japanese(tmp_path):
    year = _year_with_unread_files(tmp_path)
    cli("build", year)
    sheet = openpyxl.load_workbook(year / "recon-2024.xlsx").worksheets[0]
    text = "\n".join(str(c.value).replace("\n", "") for row in sheet.iter_rows() for c in row if c.value)
    assert "2024-03.txt はこの月のファイル名ですが、読みませんでした: 明細の表がありません" in text


def test_an_unread_file_of_a_month_with_its_table_is_not_a_message(tmp_path):
    year = one_month(tmp_path, Path(__file__).parent / "data" / "seed" / "2024-01.txt")
    (year / "2024-01.pdf").write_bytes(b"%PDF")
    (month,) = build(year, load(None)).months
    assert all(m.key != "unread_for_month" for m in month.messages)


def test_a_missing_month_names_the_file_for_it_that_gave_no_year(tmp_path):
    folder = tmp_path / "会社"  # not named by a year: 2月.txt cannot be placed
    folder.mkdir()
    shutil.copy(Path(__file__).parent / "data" / "seed" / "2024-01_table-only.txt", folder / "2月.txt")
    (folder / "invoices.csv").write_text("month,amount\n2024-02,128916\n", encoding="utf-8")
    (month,) = build(folder, load(None)).months
    assert month.status == "missing"
    (named,) = [m for m in month.messages if m.key == "unread_for_month"]
    assert dict(named.params)["file"] == "2月.txt"
    from recon import labels

    assert "expected a year for month 2" in labels.render(named, "en")
