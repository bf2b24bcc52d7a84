"""Pages as browsers and spreadsheet applications save them (SPEC §1): a page's companion folder,
Excel's 「Web ページ」 frameset, Safari's .webarchive, a page translated by the browser."""
from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

import pytest

from recon.discover import page_of
from recon.labels import render
from recon.pipeline import build
from recon.settings import load

DATA = Path(__file__).parent / "data"
SEED_PAGE = DATA / "seed" / "2024-01.html"
INVOICE = "利用月,請求額\n2024-01,128916\n"


def year_with(tmp_path: Path, files: dict[str, bytes | str]) -> Path:
    folder = tmp_path / "2024"
    for rel, content in {"invoices.csv": INVOICE, **files}.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / rel).write_bytes(data)
    return folder


def files_of(report) -> dict[str, tuple[str, str, str]]:
    return {f.path: (f.account, f.status, render(f.message, "en") if f.message else "") for f in report.files}


# ── a page's companion folder ────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("folder, page", [
    ("2024-01_files", "2024-01.html"),  # Chrome, Edge, Firefox
    ("2024-01.files", "2024-01.htm"),  # Excel's 「Web ページ」
    ("2024-01_FILES", "2024-01.HTM"),  # names on Windows match whatever their case
    ("2024-01-Dateien", "2024-01.html"),  # an older browser in German
])
def test_a_companion_folder_is_part_of_its_page_never_a_contract(tmp_path, folder, page):
    year = year_with(tmp_path, {page: SEED_PAGE.read_bytes(), f"{folder}/style.css": "td {}",
                                f"{folder}/saved_resource.html": "<table><tr><td>お知らせ</td></tr></table>",
                                f"{folder}/img/logo.png": b"\x89PNG\r\n"})
    report = build(year, load(None))
    files = files_of(report)
    for part in ("style.css", "saved_resource.html", "img/logo.png"):
        account, status, message = files[f"{folder}/{part}"]
        assert (account, status) == ("", "ignored") and f"part of the page {page}" in message
    assert [(m.account, m.month, m.status) for m in report.months] == [("", "2024-01", "warning")]
    assert not [n for n in report.notes if n.key.startswith("contract_")]


def test_a_companion_folder_inside_a_contract_belongs_to_that_contract(tmp_path):
    year = year_with(tmp_path, {"本社/2024-01.html": SEED_PAGE.read_bytes(), "本社/2024-01_files/a.css": "td {}",
                                "invoices.csv": "契約,利用月,請求額\n本社,2024-01,128916\n"})
    report = build(year, load(None))
    assert files_of(report)["本社/2024-01_files/a.css"][:2] == ("本社", "ignored")
    assert [(m.account, m.status) for m in report.months] == [("本社", "warning")]
    assert report.notes == ()


GSHEETS_PAGE = DATA / "field-cases" / "gsheets-html-download" / "2024" / "2024-01.html"


@pytest.mark.parametrize("resources", [
    {"resources/sheet.css": ".ritz .waffle {}"},  # Google Sheets' download, unzipped beside the page
    {"resources/sheet.css": "td {}", "resources/img/logo.PNG": b"\x89PNG\r\n", "resources/.DS_Store": b"\0"},
])
def test_google_sheets_resources_folder_beside_a_page_is_part_of_it_never_a_contract(tmp_path, resources):
    year = year_with(tmp_path, {"2024年1月分.html": GSHEETS_PAGE.read_bytes(), **resources})
    report = build(year, load(None))
    files = files_of(report)
    for rel in resources:
        account, status, message = files[rel]
        assert (account, status) == ("", "ignored") and "2024年1月分.html" in message, (rel, message)
    assert [(m.account, m.month, m.status) for m in report.months] == [("", "2024-01", "warning")]
    assert not [n for n in report.notes if n.key.startswith("contract_")]
    (record,) = [f for f in report.files if f.path == "resources/sheet.css"]
    assert render(record.message, "ja") == ("2024年1月分.html と一緒に保存されたファイル (スタイルや画像。"
                                            "Google スプレッドシートがページの横に保存するフォルダ): それだけでは読みません")


@pytest.mark.parametrize("contract", [
    {"resources/invoices.csv": "利用月,請求額\n2024-01,128916\n", "resources/sheet.css": "td {}"},
    {"resources/2024-01.txt": (DATA / "seed" / "2024-01.txt").read_bytes()},
])
def test_a_contract_folder_named_resources_with_tables_or_invoices_stays_a_contract(tmp_path, contract):
    year = year_with(tmp_path, {"2024年1月分.html": GSHEETS_PAGE.read_bytes(), **contract})
    report = build(year, load(None))
    assert "resources" in {m.account for m in report.months} | {f.account for f in report.files}
    assert all(f.account == "resources" for f in report.files if f.path.startswith("resources/"))


def test_a_resources_folder_without_a_page_beside_it_is_a_contract_folder_as_ever(tmp_path):
    year = year_with(tmp_path, {"2024-01.txt": (DATA / "seed" / "2024-01.txt").read_bytes(),
                                "resources/sheet.css": "td {}"})
    report = build(year, load(None))
    assert files_of(report)["resources/sheet.css"][0] == "resources"
    assert [n.key for n in report.notes] == ["contract_without_invoices"]


def test_a_companion_folder_without_its_page_is_listed_and_not_read(tmp_path):
    year = year_with(tmp_path, {"2024-01.txt": (DATA / "seed" / "2024-01.txt").read_bytes(),
                                "2024-02_files/saved_resource.html": SEED_PAGE.read_bytes()})
    report = build(year, load(None))
    account, status, message = files_of(report)["2024-02_files/saved_resource.html"]
    assert (account, status) == ("", "ignored") and "2024-02_files/" in message and "page is not here" in message
    assert [m.month for m in report.months] == ["2024-01"]
    assert not [n for n in report.notes if n.key.startswith("contract_")]


@pytest.mark.parametrize("rel, expected", [
    ("2024-01_files/a.css", "2024-01.html"),
    ("a/2024-01_files/b/c.js", "a/2024-01.html"),
    ("_files/a.css", None),  # a folder named by the suffix alone is no page's
    ("2024-01_files.csv", None),  # a file, not a folder
    ("本社/a.css", None),
])
def test_which_page_a_file_belongs_to(rel, expected):
    pages = {"2024-01.html": "2024-01.html", "a/2024-01.html": "a/2024-01.html"}
    found = page_of(PurePosixPath(rel), pages)
    assert (found[0] if found else None) == expected


# ── what a page shows in frames ──────────────────────────────────────────────────────────────────

FRAMESET = ('<html><head><meta name="Excel Workbook Frameset">{links}</head>'
            '<frameset rows="*,39"><frame src="{first}" name="frSheet"><frame src="2024-01.files/tabstrip.htm">'
            "</frameset></html>")


def test_excels_frameset_is_read_through_its_sheets(tmp_path):
    links = '<link id="shLink" href="2024-01.files/sheet001.htm"><link id="shLink" href="2024-01.files/sheet002.htm">'
    year = year_with(tmp_path, {
        "2024-01.htm": FRAMESET.format(links=links, first="2024-01.files/sheet001.htm"),
        "2024-01.files/sheet001.htm": "<table><tr><td>メモ</td></tr></table>",
        "2024-01.files/sheet002.htm": SEED_PAGE.read_bytes(),
        "2024-01.files/tabstrip.htm": "<table><tr><td>Sheet1</td><td>Sheet2</td></tr></table>"})
    report = build(year, load(None))
    (month,) = report.months
    assert (month.month, month.status, month.total.charge) == ("2024-01", "warning", 130090)
    assert str(month.rows[0].where).startswith("2024-01.files/sheet002.htm:")  # where the figure is
    assert files_of(report)["2024-01.htm"][1] == "read"


@pytest.mark.parametrize("src", [
    "../2024-02.html",  # out of the page's folder
    "2024-01_files/../../secret.html",
    "/etc/passwd",
    "file:///etc/passwd",
    "https://example.invalid/2024-01_files/detail.html",
    "other_files/detail.html",  # another page's companion folder
    "detail.html",  # beside the page, not in its folder: a file of its own
])
def test_a_frame_outside_the_pages_own_folder_is_not_read(tmp_path, src):
    year = year_with(tmp_path, {"2024-01.html": f'<iframe src="{src}"></iframe>',
                                "2024-02.html": SEED_PAGE.read_bytes(), "2024-01_files/a.css": "",
                                "other_files/detail.html": SEED_PAGE.read_bytes(), "detail.html": "x"})
    report = build(year, load(None))
    assert files_of(report)["2024-01.html"][1:] == ("ignored", "no detail table in it")


def test_a_frame_that_is_a_pipe_or_too_large_is_not_waited_for(tmp_path, monkeypatch):
    import os

    from recon import discover

    year = year_with(tmp_path, {"2024-01.html": '<iframe src="2024-01_files/big.html"></iframe>'
                                                '<iframe src="2024-01_files/pipe.html"></iframe>',
                                "2024-01_files/big.html": SEED_PAGE.read_bytes()})
    os.mkfifo(year / "2024-01_files" / "pipe.html")
    monkeypatch.setattr(discover, "PART_BYTES", 100)
    parts = discover.page_parts(year / "2024-01.html", "2024-01.html")
    assert parts("2024-01_files/big.html") is None and parts("2024-01_files/pipe.html") is None
    monkeypatch.setattr(discover, "PART_BYTES", 1 << 20)
    assert parts("2024-01_files/big.html") == (SEED_PAGE.read_bytes(), "2024-01_files/big.html")
    assert parts("./2024-01_files/big%2Ehtml#top") == (SEED_PAGE.read_bytes(), "2024-01_files/big.html")


# ── a page's month: from its labels, else the file name, never from "table 4" ───────────────────

LAYOUT = "<table><tr><td>メニュー</td></tr></table>"
FORM = ('<table><tr><th>ご利用月</th><td><select name="month"><option value="202312">2023年12月</option>'
        '<option value="202401" selected>2024年1月</option><option value="202402">2024年2月</option>'
        "</select></td></tr></table>")


def _detail_table() -> str:
    page = SEED_PAGE.read_text(encoding="utf-8")
    start = page.index('<table class="detail"')
    return "<h2>O50IP電話</h2>" + page[start:page.index("</table>", start) + len("</table>")]


def test_a_pages_month_comes_from_its_label_in_an_earlier_table(tmp_path):
    page = f"<html><body>{LAYOUT}{FORM}{LAYOUT}<p>お知らせ</p>{_detail_table()}</body></html>"
    report = build(year_with(tmp_path, {"明細.html": page}), load(None))
    assert [(m.month, m.status) for m in report.months] == [("2024-01", "warning")]


def test_a_pages_fourth_table_is_never_taken_for_april(tmp_path):
    page = f"<html><body>{LAYOUT}{LAYOUT}{LAYOUT}{_detail_table()}</body></html>"
    report = build(year_with(tmp_path, {"明細.html": page}), load(None))
    (record,) = [f for f in report.files if f.path == "明細.html"]
    assert record.status == "error" and record.month is None
    assert "name the file like 2024-01" in render(record.message, "en")
    assert "2024-04" not in [m.month for m in report.months]


@pytest.mark.parametrize("sheet, month", [("Sheet 4", None), ("Table 4", None), ("04", None),
                                          ("1月", "2024-01"), ("2024年1月", "2024-01"), ("令和6年1月分", "2024-01")])
def test_a_workbooks_sheet_gives_a_month_only_where_its_name_says_one(tmp_path, sheet, month):
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = sheet
    for line in (DATA / "seed" / "2024-01_table-only.txt").read_text(encoding="utf-8").splitlines():
        book.active.append(line.split("\t"))
    out = io.BytesIO()
    book.save(out)
    report = build(year_with(tmp_path, {"明細.xlsx": out.getvalue()}), load(None))
    (record,) = [f for f in report.files if f.path == "明細.xlsx"]
    assert record.month == month
    assert record.status == ("read" if month else "error")


# ── Safari's .webarchive ─────────────────────────────────────────────────────────────────────────

def _archive(page: bytes, **main) -> dict:
    return {"WebMainResource": {"WebResourceData": page, "WebResourceMIMEType": "text/html",
                                "WebResourceTextEncodingName": "UTF-8", **main}}


@pytest.mark.parametrize("fmt", ["FMT_BINARY", "FMT_XML"])
def test_a_web_archive_reads_as_its_page(fmt):
    import plistlib

    from recon import readers

    data = plistlib.dumps(_archive(SEED_PAGE.read_bytes()), fmt=getattr(plistlib, fmt))
    assert readers.format_of(".webarchive") == "webarchive" and readers.junk(data, ".webarchive") is None
    grids, encoding = readers.read(data, "2024-01.webarchive", ".webarchive")
    from recon.table import find_tables

    (table,) = [t for g in grids for t in find_tables(g)]
    assert (sum(r.charge for r in table.rows), table.month_in_content, encoding) == (130090, "2024-01", "utf-8")


def _nested(depth: int) -> bytes:
    """A binary property list of arrays nested `depth` deep (each object refers to the next)."""
    import struct

    objects = [b"\xa1" + struct.pack(">H", i + 1) for i in range(depth)] + [b"\x10\x01"]
    offsets, body = [], b"bplist00"
    for obj in objects:
        offsets.append(len(body))
        body += obj
    table = b"".join(struct.pack(">I", o) for o in offsets)
    trailer = struct.pack(">6xBBQQQ", 4, 2, len(objects), 0, len(body))
    return body + table + trailer


@pytest.mark.parametrize("data, found", [
    (b"bplist00\x00\x01damaged", "InvalidFileException"),
    (b'<?xml version="1.0"?><!DOCTYPE plist [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
     b"<plist><dict><key>WebMainResource</key><string>&b;</string></dict></plist>", "InvalidFileException"),
    (None, "RecursionError"),  # arrays nested past any page
    (b'<?xml version="1.0"?><plist version="1.0"><dict><key>WebMainResource</key><dict><key>WebResourceData</key>'
     b"<data>iVBORw0KGgo=</data><key>WebResourceMIMEType</key><string>image/png</string></dict></dict></plist>",
     "a saved image/png, not a page"),
    (b'<?xml version="1.0"?><plist version="1.0"><array><integer>1</integer></array></plist>', "no WebMainResource"),
])
def test_a_damaged_or_hostile_web_archive_is_one_line(data, found):
    from recon import readers
    from recon.errors import ReadError

    data = _nested(5000) if data is None else data
    with pytest.raises(ReadError) as caught:
        readers.read(data, "2024-01.webarchive", ".webarchive")
    line = str(caught.value)
    assert line.startswith("2024-01.webarchive: expected a page saved by Safari") and found in line and "\n" not in line


def test_a_web_archive_that_is_no_property_list_is_ignored_with_the_reason():
    from recon import readers

    assert readers.junk(b"PK\x03\x04 a zip", ".webarchive") == "not_a_webarchive"
    assert readers.junk(b"\xef\xbb\xbf<?xml version='1.0'?><plist/>", ".webarchive") is None


# ── a page translated by the browser ─────────────────────────────────────────────────────────────

TRANSLATED = ("Details\tCall type\tNumber of calls\tCall time (hours:minutes:seconds)\tCall charges (yen, excluding tax)\n"
              "Call\tGeneral call\t1096\t28:49:53.5\t10,240\n\tInternational call\t600\t55:01:00.0\t96,870\n"
              "\t{mobile}\t330\t4:40:45.0\t7,680\n\tTotal\t\t2026\t88:31:38.5\n"
              "Incoming call discount\tCalls eligible for incoming call discount\t3016\t39:07:43.0\t-1,174\n")


def _translated(mobile: str = "Mobile call"):
    from recon.readers import text
    from recon.table import find_tables

    (grid,), _ = text.read(TRANSLATED.format(mobile=mobile).encode("utf-8"), "2024-01.txt")
    return find_tables(grid)


@pytest.mark.parametrize("mobile", ["Mobile call", "Mobile calls", "Cell phone call", "mobile phone calls"])
def test_a_translated_table_reads_by_the_known_translations_and_says_so(mobile):
    (table,) = _translated(mobile)
    assert [(r.type_id, r.label, r.count) for r in table.rows] == [
        ("general", "一般通話", 1096), ("international", "国際通話", 600), ("mobile", "携帯通話", 330)]
    assert (table.stated_total.count, table.discount.stated) == (2026, -1174)
    (note,) = table.notes
    assert note.key == "translated_labels" and "translation off" in render(note, "en")


@pytest.mark.parametrize("mobile", ["Carrying call", "Portable call", "Navi Dial"])
def test_a_translated_label_no_translation_of_ocns_is_an_error_at_its_cell_saying_what_to_do(mobile):
    from recon.errors import ReconError

    with pytest.raises(ReconError) as caught:
        _translated(mobile)
    line = render(caught.value.message(), "en")
    assert line.startswith("2024-01.txt:4: expected one of OCN's call types") and "translation turned off" in line
    assert mobile in line


def test_english_call_records_are_no_translated_table():
    from recon.readers import text
    from recon.table import find_tables

    (grid,), _ = text.read(b"start,from,to,duration,charge\n2024-01-05 09:03:02,0501234567,0312345678,125,8\n",
                           "calls.csv")
    assert find_tables(grid) == []


# ── pages nested deep ────────────────────────────────────────────────────────────────────────────

def _seed_detail() -> str:
    return _detail_table()


@pytest.mark.parametrize("page", [
    "<table><tr><td>メニュー</td><td>{detail}</td></tr></table>",  # a page laid out in a table
    "<table><tr><td>" * 60 + "{detail}" + "</td></tr></table>" * 60,
    "<div>" * 1000 + "{detail}" + "</div>" * 1000,  # past libxml2's usual 256 levels
])
def test_a_table_nested_in_a_page_is_read_to_its_real_table(page):
    from recon.readers import html
    from recon.table import find_tables

    grids, _ = html.read(page.format(detail=_seed_detail()).encode("utf-8"), "2024-01.html")
    (table,) = [t for g in grids for t in find_tables(g)]
    assert sum(r.charge for r in table.rows) == 130090


def test_a_page_nested_deeper_than_can_be_read_is_refused_in_one_line():
    from recon.errors import ReadError
    from recon.readers import html

    with pytest.raises(ReadError) as caught:
        html.read(("<div>" * 5000 + _seed_detail() + "</div>" * 5000).encode("utf-8"), "2024-01.html")
    assert "nested too deep" in str(caught.value) and "\n" not in str(caught.value)


def _mhtml(depth: int) -> bytes:
    parts = b"Content-Type: text/html; charset=utf-8\r\n\r\n" + SEED_PAGE.read_bytes()
    for i in range(depth):
        boundary = f"b{i}".encode()
        parts = (b'Content-Type: multipart/related; boundary="' + boundary + b'"\r\n\r\n--' + boundary + b"\r\n"
                 + parts + b"\r\n--" + boundary + b"--\r\n")
    return b"MIME-Version: 1.0\r\n" + parts


def test_a_page_saved_as_one_file_nested_a_few_parts_deep_is_read_and_deeper_refused():
    from recon.errors import ReadError
    from recon.readers import mhtml
    from recon.table import find_tables

    grids, _ = mhtml.read(_mhtml(3), "2024-01.mhtml")
    assert len([t for g in grids for t in find_tables(g)]) == 1
    with pytest.raises(ReadError) as caught:
        mhtml.read(_mhtml(5000), "2024-01.mhtml")
    assert "at most 64 nested parts" in str(caught.value)
