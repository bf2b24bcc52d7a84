"""Write the messy inputs of tests/test_messy.py (run once; the outputs are committed beside it).

    .venv/bin/python tests/data/messy/make.py

Deterministic: no clock, no random module; .xlsx files get fixed document times and zip entry
times, so running it twice gives the same bytes. Inputs that are dangerous (a zip bomb, an XML
entity bomb) or must be made by recon itself (copies of its report) are built inside the tests.

Every detail table here is the seed month (seeds/000_27bc1b6c56106739.txt) with a correct 合計 row
(3,016 calls, 109:54:23.5, 130,090 yen) unless it says otherwise, so each reads to the same figures.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import struct
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

TITLE = "O50IP電話"
HEADER = ["明細", "通話種別", "通話数", "通話時間 (時:分:秒)", "通話料金 (円・税別)"]
SEED = [("一般通話", 1096, 1037935, 10240), ("国際通話", 600, 1980600, 96870), ("携帯通話", 330, 168450, 7680),
        ("IP通話", 480, 376350, 0), ("PHS通話", 510, 393300, 15300)]
INCOMING = (3016, 1408630, -1174)  # 着割: calls, tenths, stated discount


def hms(tenths: int) -> str:
    seconds, tenth = divmod(tenths, 10)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.{tenth}"


def rows_of(types=SEED, incoming=INCOMING) -> list[list[str]]:
    """The table as the page shows it: header, call types, a correct 合計, 着割."""
    out = [list(HEADER)]
    for i, (label, count, tenths, charge) in enumerate(types):
        out.append(["通話" if i == 0 else "", label, f"{count:,}", hms(tenths), f"{charge:,}"])
    total = [sum(t[k] for t in types) for k in (1, 2, 3)]
    out.append(["", "合計", f"{total[0]:,}", hms(total[1]), f"{total[2]:,}"])
    out.append(["着割", "着割対象通話", f"{incoming[0]:,}", hms(incoming[1]), f"{incoming[2]:,}"])
    return out


def tab_text(above: list[str], rows: list[list[str]], below: list[str] = (), newline: str = "\n") -> str:
    return newline.join([*above, *("\t".join(r) for r in rows), *below]) + newline


NOTE_BELOW = ["", "※「O50IP電話」の利用明細に関する注意事項や明細の見方についてはこちらをご確認ください。"]


# --------------------------------------------------------------------------- values/

def values_files() -> dict[str, bytes]:
    """The seed month in every dress SPEC §1.1 lists; each reads to the same figures."""
    fullwidth = """O50IP電話
ご利用月　２０２４年１月分
明細\t通話種別\t通話数\t通話時間 (時:分:秒)\t通話料金 (円・税別)
通話\t一般通話\t１，０９６件\t２８：４９：５３．５\t￥１０，２４０
\t国際通話\t６００件\t５５：０１：００．０\t￥９６，８７０
\t携帯通話\t３３０件\t４：４０：４５．０\t７，６８０円
\tＩＰ通話\t４８０件\t１０：２７：１５．０\t０円
\tＰＨＳ通話\t５１０件\t１０：５５：３０．０\t１５，３００円
\t合計\t３，０１６件\t１０９：５４：２３．５\t￥１３０，０９０
着割\t着割対象通話\t３，０１６件\t３９：０７：４３．０\t\u2212１，１７４
"""
    kanji_time = """O50IP電話
明細\t通話種別\t通話数\t通話時間 (時:分:秒)\t通話料金 (円・税別)
通話\t一般通話\t1,096回\t28時間49分53.5秒\t¥10,240
\t国際通話\t600回\t55時間01分00.0秒\t¥96,870
\t携帯通話\t330回\t4時間40分45秒\t¥7,680
\tIP通話\t480回\t10時間27分15秒\t¥0
\tPHS通話\t510回\t10時間55分30秒\t¥15,300
\t合計\t3,016回\t109時間54分23.5秒\t¥130,090
着割\t着割対象通話\t3,016回\t39時間07分43秒\t\u301c1,174
"""
    html_bits = """<h2>O50IP電話</h2>&nbsp;
明細\t通話種別\t通話数\t通話時間 (時:分:秒)\t通話料金 (円・税別)
通話\t一般通話\t 1,096 \t28:49:53.5\t&yen;10,240
\t国際通話\t600&nbsp;\t 55:01:00.0 \t96,870\u3000
\t携帯通話\t<span class="num">330</span>\t4:40:45.0\t7&#44;680
\tIP通話\t480\t10:27:15.0\t<span>0</span>
\tPHS通話\t510\t10:55:30.0\t15,300&nbsp;円
\t<b>合計</b>\t<b>3,016</b>\t<b>109:54:23.5</b>\t<b>130,090</b>
着割\t着割対象通話\t3,016\t39:07:43.0\t\u30fc1,174
"""
    spaces = """O50IP電話
明細    通話種別        通話数      通話時間 (時:分:秒)    通話料金 (円・税別)
通話    一般通話         1,096        28:49:53.5            10,240
        国際通話           600        55:01:00.0            96,870
        携帯通話           330         4:40:45.0             7,680
        IP通話             480        10:27:15.0                 0
        PHS通話            510        10:55:30.0            15,300
        合計             3,016       109:54:23.5           130,090
着割    着割対象通話     3,016        39:07:43.0            △1,174
"""
    single_space = """O50IP電話
明細 通話種別 通話数 通話時間 (時:分:秒) 通話料金 (円・税別)
通話 一般通話 1,096 28:49:53.5 10,240
国際通話 600 55:01:00.0 96,870
携帯通話 330 4:40:45.0 7,680
IP通話 480 10:27:15.0 0
PHS通話 510 10:55:30.0 15,300
合計 3,016 109:54:23.5 130,090
着割 着割対象通話 3,016 39:07:43.0 ▲1,174
"""
    comma = io.StringIO()
    comma.write(TITLE + "\n")
    rows = rows_of()
    rows[-1][-1] = "(1,174)"
    csv.writer(comma, lineterminator="\n").writerows(rows)
    shifted = """O50IP電話
明細\t通話種別\t通話数\t通話時間 (時:分:秒)\t通話料金 (円・税別)\t
通話\t一般通話\t1,096\t28:49:53.5\t10,240\t

国際通話\t600\t55:01:00.0\t96,870
携帯通話\t330\t4:40:45.0\t7,680\t\t
\tIP通話\t480\t10:27:15.0\t0
PHS通話\t510\t10:55:30.0\t15,300

\t合計\t3,016\t109:54:23.5\t130,090
着割\t着割対象通話\t3,016\t39:07:43.0\t-1,174
"""
    entities = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>通話明細</title></head>
<body>
<h2>O50IP&#38651;&#35441;</h2>
<table border="1">
<tr><th>明細</th><th>通話種別</th><th>通話数</th>
<th>通話時間&nbsp;(時:分:秒)</th><th>通話料金&nbsp;(円・税別)</th></tr>
<tr><td rowspan="6">通話</td><td>一般通話</td><td><span class="num">1,096</span></td><td>28:49:53.5</td><td>&yen;10,240</td></tr>
<tr><td>国際通話</td><td>&nbsp;600&nbsp;</td><td>55:01:00.0</td><td>96&#x2c;870</td></tr>
<tr><td>携帯通話</td><td>330<!-- 件 --></td><td>4:40:45.0</td><td>7,680&#20870;</td></tr>
<tr><td>IP通話</td><td>480</td><td>10:27:15.0</td><td>0</td></tr>
<tr><td>PHS通話</td><td>510</td><td>10:55:30.0</td><td>&#xFF11;&#xFF15;,300</td></tr>
<tr><td><b>合計</b></td><td><b>3,016</b></td><td><b>109:54:23.5</b></td><td><b>130,090</b></td></tr>
<tr><td>着割</td><td>着割対象通話</td><td>3,016</td><td>39:07:43.0</td><td>&minus;1,174</td></tr>
</table>
</body></html>
"""
    return {
        "fullwidth_crlf.txt": fullwidth.replace("\n", "\r\n").encode("utf-8"),
        "kanji_time_cr.txt": kanji_time.replace("\n", "\r").encode("utf-8"),
        "html_bits.txt": html_bits.encode("utf-8"),
        "spaces.txt": spaces.encode("utf-8"),
        "single_space.txt": single_space.encode("utf-8"),
        "comma.txt": comma.getvalue().encode("utf-8"),
        "shifted_blank.txt": shifted.encode("utf-8"),
        "entities.html": entities.encode("utf-8"),
    }


# --------------------------------------------------------------------------- tables/

def tables_files() -> dict[str, bytes]:
    """Table shapes where a value or a row could be lost without a word."""
    # the 合計 row shifted one column right as in the seed, but this time with its charge, which
    # then stands right of the header's last column
    shifted_total = rows_of()
    shifted_total[-2] = ["", "<b>合計</b>", "", "<b>3,016</b>", "<b>109:54:23.5</b>", "<b>130,090</b>"]
    # a call type OCN lists with empty cells (no such calls this month), between two used ones
    blank_row = rows_of()
    blank_row.insert(3, ["", "ナビダイヤル", "", "", ""])
    return {
        "total_shifted_with_charge.txt": tab_text([TITLE], shifted_total, NOTE_BELOW).encode("utf-8"),
        "blank_unknown_row.txt": tab_text([TITLE], blank_row, NOTE_BELOW).encode("utf-8"),
    }


# --------------------------------------------------------------------------- encodings/

COMPANY = ["㈱髙橋商事 ①本社回線", "ご利用月 2024年1月"]  # ①, ㈱ and 髙 exist only in CP932, not JIS


def ncr(text: str) -> str:
    """Every non-ASCII character as an HTML character reference (&#36890;)."""
    return "".join(ch if ord(ch) < 128 else f"&#{ord(ch)};" for ch in text)


def encodings_files() -> dict[str, bytes]:
    plain = tab_text([TITLE, *COMPANY], rows_of(), NOTE_BELOW)
    crlf = plain.replace("\n", "\r\n")
    wave = tab_text([TITLE, *COMPANY], rows_of()).replace("-1,174", "〜1,174")
    # Half-width katakana pairs such as ﾃ｡ (C3 A1 in CP932) are also valid UTF-8 (á): a page whose
    # only raw non-ASCII bytes are such pairs decodes as UTF-8 without an error.
    katakana = "ﾃ｡ﾃ｡ﾃ｡ﾃ｡"
    table = "\n".join("<tr>" + "".join(f"<td>{ncr(c)}</td>" for c in r) + "</tr>" for r in rows_of())
    katakana_page = (f"<html><head><title>{katakana}</title></head><body>\n<p>{katakana} {ncr(TITLE)}</p>\n"
                     f"<table>\n{table}\n</table>\n<p>{katakana}</p>\n</body></html>\n")
    for line in katakana_page.encode("cp932").split(b"\n"):
        line.decode("utf-8")  # every byte of it is valid UTF-8 too: that is the trap
    sjis_rows = "\n".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows_of())
    sjis_page = f"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="Shift_JIS">
<title>ご利用料金／通話・通信明細 | OCN マイページ</title>
</head>
<body>
<p>ご契約者: ㈱髙橋商事 様 ①本社回線</p>
<p>利用月: 2024年1月</p>
<h2>{TITLE}</h2>
<table class="detail" border="1">
{sjis_rows}
</table>
<p>※ 金額は税別です。</p>
</body>
</html>
"""
    utf8_then_cp932 = plain.encode("utf-8") + "※ 請求書は別送".encode("cp932")[:-1] + b"\n"
    return {
        "utf8_bom.txt": codecs.BOM_UTF8 + plain.encode("utf-8"),
        "utf16le.txt": codecs.BOM_UTF16_LE + crlf.encode("utf-16-le"),
        "utf16be.txt": codecs.BOM_UTF16_BE + crlf.encode("utf-16-be"),
        "utf8.txt": plain.replace("\t10,240", "\t¥10,240").encode("utf-8"),
        "cp932.csv": excel_csv([[c] for c in COMPANY] + rows_of(), "cp932"),
        "sjis_meta.html": sjis_page.encode("cp932"),
        "katakana_cp932.html": katakana_page.encode("cp932"),
        "cp932_wavedash.txt": wave.encode("cp932"),
        "undecodable.txt": utf8_then_cp932,
    }


# --------------------------------------------------------------------------- .xlsx

FIXED_TIME = dt.datetime(2024, 2, 5, 9, 0, 0)


def workbook_bytes(book) -> bytes:
    """The workbook's bytes with fixed document and zip entry times."""
    book.properties.creator = book.properties.lastModifiedBy = "経理部"
    book.properties.created = book.properties.modified = FIXED_TIME
    from openpyxl.writer.excel import ExcelWriter

    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # not book.save(), which stamps the clock on `modified`
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 2, 5, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def paste_table(sheet, top: int, rows: list[list[str]], typed: bool = True, left: int = 2) -> None:
    """The table pasted at (top, left): counts and yen as numbers, times as day numbers."""
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            if not text:
                continue
            cell = sheet.cell(row=top + r, column=left + c)
            if not typed or r == 0 or c < 2 or not any(ch.isdigit() for ch in text):
                cell.value = text
            elif ":" in text:
                h, m, s = text.split(":")
                cell.value = (int(h) * 36000 + int(m) * 600 + round(float(s) * 10)) / 864000
                cell.number_format = "[h]:mm:ss.0"
            else:
                cell.value = int(text.replace(",", ""))
                cell.number_format = "#,##0"


def month_rows(general: tuple[int, int, int]) -> list[list[str]]:
    return rows_of([("一般通話", *general), *SEED[1:]])


FEBRUARY = month_rows((1200, 1080000, 11200))  # 3,120 calls, 131,050 yen
MARCH = month_rows((1000, 900000, 9500))  # 2,920 calls, 129,350 yen


def book_of(sheets: dict[str, list[tuple[int, str, list[list[str]]]]], notes: bool = True) -> bytes:
    """A workbook: per sheet, (top row, title, table) pasted under their title; then a notes sheet."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, tables in sheets.items():
        sheet = book.create_sheet(name)
        for top, title, rows in tables:
            sheet.cell(row=top - 2, column=2, value=title)
            paste_table(sheet, top, rows)
    if notes:
        memo = book.create_sheet("メモ")
        memo["A1"] = "確認メモ: 請求書は翌月中旬に届く。届いたら invoices.csv に転記すること。"
    return workbook_bytes(book)


PLAIN_TITLE = f"{TITLE}ご利用明細"


def bad_cell(rows: list[list[str]], row: int, column: int, text: str) -> list[list[str]]:
    rows = [list(r) for r in rows]
    rows[row][column] = text
    return rows


def excel_csv(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def sheets_files() -> dict[str, bytes]:
    april_fixed = bad_cell(rows_of(), 4, 4, "7,690")  # the corrected table, pasted under the first
    april_fixed[-2][-1] = "130,100"
    return {
        # a sheet per month, each named 1月 … (the year from the folder), and a notes sheet
        "通話明細_2024.xlsx": book_of({"1月": [(4, PLAIN_TITLE, rows_of())], "2月": [(6, PLAIN_TITLE, FEBRUARY)],
                                      "3月": [(3, PLAIN_TITLE, MARCH)]}),
        # the same, the 8月 sheet holding a note typed over a charge
        "通話明細_2024下期.xlsx": book_of({"7月": [(4, PLAIN_TITLE, rows_of())],
                                         "8月": [(4, PLAIN_TITLE, bad_cell(rows_of(), 3, 4, "未確定"))],
                                         "9月": [(4, PLAIN_TITLE, MARCH)]}),
        # April pasted twice into one sheet: the first table, then a corrected one below it
        "2024-04.xlsx": book_of({"明細": [(4, "2024年4月分 O50IP電話ご利用明細", rows_of()),
                                          (16, "※訂正後", april_fixed)]}, notes=False),
        "invoices.csv": invoices(["2024-01", "2024-02", "2024-03", "2024-04", "2024-07", "2024-08", "2024-09"],
                                 {"2024-02": 129876, "2024-03": 128176, "2024-09": 128176}),
    }


def invoices(months: list[str], amounts: dict[str, int] | None = None) -> bytes:
    """invoices.csv as `recon init` writes it (UTF-8 with BOM), amounts that tie out."""
    amounts = amounts or {}
    lines = ["利用月,請求額,税区分,基本料等,備考"]
    lines += [f"{m},{amounts.get(m, 128916)},税別,0," for m in months]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


# --------------------------------------------------------------------------- files/

def png() -> bytes:
    """A 1×1 screenshot saved under a month's name."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


def noise(size: int, salt: bytes) -> bytes:
    out = b""
    while len(out) < size:
        out += hashlib.sha256(salt + len(out).to_bytes(4, "big")).digest()
    return out[:size]


def lock_file(user: str = "yamada") -> bytes:
    """What Excel leaves beside an open workbook: the user's name twice, padded, 165 bytes."""
    ansi = bytes([len(user)]) + user.encode("ascii").ljust(53, b" ")
    wide = bytes([len(user), 0]) + (user + " " * (54 - len(user))).encode("utf-16-le")
    return (ansi + wide)[:165]


def ds_store() -> bytes:
    return (b"\x00\x00\x00\x01Bud1" + b"\x00" * 6136)[:6148]


def old_xls() -> bytes:
    """The start of an OLE2 compound file, as Excel 97-2003 writes."""
    return (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
            + b"\x06\x00" + b"\x00" * 478)[:512] + b"\xff" * 512


def files_files() -> dict[str, bytes]:
    good = tab_text([TITLE], rows_of(), NOTE_BELOW).encode("utf-8")
    cut_row = tab_text([TITLE], rows_of()).replace("\t4:40:45.0\t7,680\n", "\t4:40:45.0\n")
    october = book_of({"明細": [(4, "2024年10月分 O50IP電話ご利用明細", bad_cell(rows_of(), 3, 4, "要確認"))]})
    july = book_of({"明細": [(4, "2024年7月分 O50IP電話ご利用明細", rows_of())]})
    memo = ("2024年9月分の請求書は10月中旬に届く予定。\n"
            "届いたら請求額を invoices.csv に転記すること。担当: 山田\n").encode()
    return {
        "2024-01.txt": good,
        "2024-02.csv": excel_csv([[TITLE], *rows_of()], "utf-8-sig"),
        "~$2024-01.xlsx": lock_file(),
        ".DS_Store": ds_store(),
        "2024-03.txt": b"",
        "2024-04.txt": png(),
        "2024-06.xlsx": noise(4096, b"2024-06"),
        "2024-07.xlsx": july[: len(july) // 2],
        "2024-08.xls": old_xls(),
        "2024-09.txt": cut_row.encode("utf-8"),
        "2024-10.xlsx": october,
        "メモ.txt": memo,
        "請求書_2024-05.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n",
        "invoices.csv": invoices([f"2024-{m:02d}" for m in range(1, 11)]),
    }


# --------------------------------------------------------------------------- months/

def months_files() -> dict[str, bytes]:
    def page(*above: str, rows=None) -> bytes:
        return tab_text([*above, TITLE], rows or rows_of(), NOTE_BELOW).encode("utf-8")

    return {
        # a phone number in the name (03, 1234, 5678) and O50: the month comes from the content
        "O50IP電話_03-1234-5678.txt": page("ご利用月 2024年2月"),
        # named March, labelled April
        "2024-03.txt": page("ご利用月 2024年4月"),
        # May twice: the file and Windows' copy of it
        "2024-05.txt": page("ご利用月 2024年5月"),
        "2024-05 - コピー.txt": page("ご利用月 2024年5月"),
        # June twice, with different figures (the second pasted after a correction)
        "2024-06.txt": page(rows=FEBRUARY),
        "2024_06.csv": excel_csv([[TITLE], *MARCH], "utf-8-sig"),
        # only a phone number: no month anywhere
        "050-1234-5678.txt": page(),
        "invoices.csv": invoices(["2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]),
    }


# --------------------------------------------------------------------------- the others

def other_files() -> dict[str, bytes]:
    november = book_of({"明細": [(4, "2024年11月分 O50IP電話ご利用明細", rows_of())]})
    formula = rows_of()
    formula.insert(6, ["", '=HYPERLINK("http://example.com","x")', "3", "0:01:00.0", "30"])
    formula[-2] = ["", "合計", "3,019", hms(3956635 + 600), "130,120"]
    return {
        "not_a_report/recon-2024.xlsx": november,
        "formula/hyperlink.txt": tab_text([TITLE, "ご利用月 2024年2月"], formula).encode("utf-8"),
    }


def main() -> None:
    groups = {"values": values_files(), "tables": tables_files(), "encodings": encodings_files(),
              "sheets": sheets_files(), "files": files_files(), "months": months_files(), ".": other_files()}
    for folder, files in groups.items():
        for name, data in files.items():
            path = HERE / folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


if __name__ == "__main__":
    main()
