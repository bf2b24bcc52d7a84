"""Write our own variants of each field case's kind: another encoding, another position, another
format. Each is a folder like the eight copied cases (`2024/` and an `expected.txt`), so that each
kind, not each file, is tested.

    .venv/bin/python tests/data/field-cases/make_variants.py [CASE …]   # all, or only the cases named

The .xls and the .ods variants are converted from the seed workbook by LibreOffice
(`soffice --headless --convert-to`), as a user's LibreOffice saves them; everything else is written
here byte by byte. The output is committed; this script only says how it was made."""
from __future__ import annotations

import base64
import datetime as dt
import io
import quopri
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
SEED = HERE.parent / "seed"
STANDARD = (HERE / "strict-ooxml" / "expected.txt").read_text(encoding="utf-8")
FIGURES = STANDARD[STANDARD.index("What recon should report:"):STANDARD.index("(or, at the least")].rstrip() + "\n"
INVOICE = "利用月,請求額\n2024-01,128916\n"

HEADER = ["明細", "通話種別", "通話数", "通話時間 (時:分:秒)", "通話料金 (円・税別)"]
ROWS = [["通話", "一般通話", "1096", "28:49:53.5", "10,240"],
        ["", "国際通話", "600", "55:01:00.0", "96,870"],
        ["", "携帯通話", "330", "4:40:45.0", "7,680"],
        ["", "IP通話", "480", "10:27:15.0", "0"],
        ["", "PHS通話", "510", "10:55:30.0", "15,300"],
        ["", "合計", "", "3016", "119:54:23.5"],
        ["着割", "着割対象通話", "3016", "39:07:43.0", "-1,174"]]


ONLY: set[str] = set()  # the cases named on the command line; empty: all


def case(name: str, what: str, files: dict[str, bytes], encoding: str | None = None) -> None:
    if ONLY and name not in ONLY:
        return
    folder = HERE / name
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "2024").mkdir(parents=True)
    files.setdefault("invoices.csv", INVOICE.encode("utf-8"))
    for file_name, data in files.items():
        (folder / "2024" / file_name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "2024" / file_name).write_bytes(data)
    tail = f"file encoding: {encoding}\n" if encoding else ""
    (folder / "expected.txt").write_text(f"Case: {name}\nVariant: {what}\n\n{FIGURES}{tail}", encoding="utf-8")


def quoted(cell: str, delimiter: str) -> str:
    """A cell as Excel's text exports write it: in quotes where it holds the delimiter, a comma (the
    tab-separated saves too), a quote or a line break."""
    if delimiter in cell or "," in cell or '"' in cell or "\n" in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


def excel_text(rows: list[list[str]], delimiter: str, line_end: str = "\r\n") -> str:
    return "".join(delimiter.join(quoted(c, delimiter) for c in row) + line_end for row in rows)


def seed_rows() -> list[list[str]]:
    return [["O50IP電話", "", "", "", ""], HEADER] + [list(r) for r in ROWS]


def workbook(rows: list[list], name: str = "Sheet1", typed: bool = True) -> bytes:
    """The table at B2 of a new workbook: counts and yen as numbers and durations as [h]:mm:ss.0
    day numbers when `typed`, else every cell as the text given."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = name
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=2):
            cell = sheet.cell(r, c)
            cell.value = _typed(value) if typed else (value or None)
            if isinstance(cell.value, dt.timedelta):
                cell.number_format = "[h]:mm:ss.0"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _typed(value: str):
    if not value:
        return None
    if value.count(":") == 2 and value[0].isdigit():
        h, m, s = value.split(":")
        return dt.timedelta(hours=int(h), minutes=int(m), seconds=float(s))
    digits = value.replace(",", "")
    return int(digits) if digits.lstrip("-").isdigit() else value


def libreoffice(data: bytes, suffix: str, target: str) -> bytes:
    """The workbook converted by LibreOffice, as its Save As writes `target` (xls, ods)."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"book{suffix}"
        source.write_bytes(data)
        subprocess.run(["soffice", "--headless", "--convert-to", target, "--outdir", tmp, str(source)],
                       check=True, capture_output=True, timeout=120)
        return (Path(tmp) / f"book.{target}").read_bytes()


STRICT = [(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
          (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
           b"http://purl.oclc.org/ooxml/officeDocument/relationships")]


def strict(data: bytes) -> bytes:
    """A transitional workbook with the Strict namespaces, as Excel's Strict Open XML save names them."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            for transitional, strict_ns in STRICT:
                content = content.replace(transitional, strict_ns)
            content = content.replace(b"<workbook ", b'<workbook conformance="strict" ', 1)
            target.writestr(name, content)
    return out.getvalue()


def mhtml(page: bytes, charset: str | None, encoding: str) -> bytes:
    """A page saved as one file (Chrome's 「ウェブページ、1 つのファイル」): a multipart/related message."""
    body = quopri.encodestring(page) if encoding == "quoted-printable" else base64.encodebytes(page)
    content_type = f"text/html; charset={charset}" if charset else "text/html"
    head = ("From: <Saved by Blink>\r\nSnapshot-Content-Location: https://mypage.example.ocn.ne.jp/bill/detail\r\n"
            "Subject: =?utf-8?Q?=E3=81=94=E5=88=A9=E7=94=A8=E6=96=99=E9=87=91?=\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="----MultipartBoundary--x1----"\r\n\r\n\r\n'
            "------MultipartBoundary--x1----\r\n"
            f"Content-Type: {content_type}\r\nContent-ID: <frame-0@mhtml.blink>\r\n"
            f"Content-Transfer-Encoding: {encoding}\r\nContent-Location: https://mypage.example.ocn.ne.jp/bill/detail\r\n\r\n")
    css = ("\r\n------MultipartBoundary--x1----\r\nContent-Type: text/css\r\nContent-Transfer-Encoding: quoted-printable\r\n"
           "Content-Location: cid:css-1@mhtml.blink\r\n\r\ntd.num { text-align: right; }\r\n"
           "\r\n------MultipartBoundary--x1------\r\n")
    return head.encode("ascii") + body.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") + css.encode("ascii")


def html_page(rows: list[list[str]], header: str) -> str:
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>\n" for row in rows)
    return (f'<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8"><title>明細</title></head>\n<body>\n'
            f"<h2>O50IP電話</h2>\n<table>\n{header}{body}</table>\n</body></html>\n")


def main() -> None:
    # Excel's text exports: another encoding, another separator, a header cell with a line break
    split_header = [HEADER[:3] + ["通話時間\n(時:分:秒)", "通話料金\n(円・税別)"]]
    case("excel-tab-text-cp932-quoted", "Excel 「テキスト (タブ区切り)」 on Japanese Windows: CP932, tabs, CRLF, "
         "cells with a comma quoted, header cells with a line break (Alt+Enter) quoted, .txt as Excel names it",
         {"2024-01.txt": excel_text([["O50IP電話"]] + split_header + ROWS, "\t").encode("cp932")}, "cp932")
    case("csv-utf8-bom-multiline-header", "Excel 「CSV UTF-8」: BOM, commas, a note with doubled quotes above, "
         "header cells with a line break quoted",
         {"2024-01.csv": ("\ufeff" + excel_text([['メモ: "至急" 確認'], ["O50IP電話"]] + split_header + ROWS, ","))
          .encode("utf-8")}, "utf-8-bom")
    stray = [["※「O50IP電話」の\"ご利用明細\t"], ["O50IP電話"], HEADER] + [list(r) for r in ROWS]
    stray[2 + 1][0] = '"通話'
    case("paste-stray-quote", "a page pasted into Notepad with stray double quotes (a title, the 明細 cell): "
         "no quoted cell, nothing swallowed",
         {"2024-01.txt": "".join("\t".join(r) + "\n" for r in stray).encode("utf-8")}, "utf-8")

    # invisible characters: another format, another position
    rows = [list(r) for r in ROWS]
    rows[2][1] = "携帯&#8203;通話"
    rows[0][2] = "1,&#xFEFF;096"
    rows[1][3] = "55:01:00.0&#x2060;"
    rows[4][4] = "15,300&nbsp;"
    header = "<tr>" + "".join(f"<th>{h}</th>" for h in HEADER[:4] + ["通話&shy;料金 (円・税別)"]) + "</tr>\n"
    case("invisible-html", "a saved page with a zero-width space in a label, U+FEFF in a count, a word joiner "
         "after a time, a no-break space after a charge, a soft hyphen in a header",
         {"2024-01.html": html_page(rows, header).encode("utf-8")})
    text_rows = [["O50IP電話", "", "", "", ""], HEADER] + [list(r) for r in ROWS]
    text_rows[2 + 2][1] = "携帯\u200b通話"
    text_rows[2 + 2][4] = "7,680\u200b"
    text_rows[2 + 6][4] = "-\ufeff1,174"
    case("invisible-xlsx-text-cells", "a web copy pasted into Excel as text cells: U+200B in a label and after "
         "an amount, U+FEFF inside the discount", {"2024-01.xlsx": workbook(text_rows, typed=False)})
    nbsp = [["O50IP電話"], HEADER] + [list(r) for r in ROWS]
    nbsp[2][1] = "一般\u200c通話"
    nbsp[3][2] = "\u00a0600\u00a0"
    nbsp[4][3] = "4:40:45.0\u202f"
    case("utf16-without-bom", "a page copied into a tool that saves UTF-16 without its BOM (a script's or an "
         "export's Unicode text): tabs, CRLF", {"2024-01.txt": (SEED / "2024-01.txt").read_text(encoding="utf-8")
                                                .replace("\n", "\r\n").encode("utf-16-le")}, "utf-16-le")
    case("nbsp-utf16-text", "Excel 「Unicode テキスト」 of a web copy: UTF-16 LE, a zero-width non-joiner in "
         "a label, no-break spaces around a count and after a time",
         {"2024-01.txt": ("\ufeff" + excel_text(nbsp, "\t")).encode("utf-16-le")}, "utf-16-le")

    # headers as pages and pastes make them
    units = [["O50IP電話"], HEADER[:3] + ["通話時間", "通話料金"], ["", "", "", "(時:分:秒)", "(円・税別)"]] + ROWS
    case("text-units-row", "the page pasted into Excel, which split each <br> header cell into two rows, "
         "then saved as 「テキスト (タブ区切り)」: a units row under the labels",
         {"2024-01.txt": excel_text(units, "\t").encode("cp932")}, "cp932")
    case("xlsx-units-row", "the same paste kept as .xlsx: units on a row of their own, typed values",
         {"2024-01.xlsx": workbook(units)})
    words = [["O50IP電話"], ["明細", "通話", "通話", "通話", "通話"],
             ["", "種別", "数", "時間 (時:分:秒)", "料金 (円・税別)"]] + ROWS
    case("csv-split-header-words", "a header whose words Excel split at a line break: 通話 above 種別, 数, 時間, 料金",
         {"2024-01.csv": excel_text(words, ",").encode("utf-8")}, "utf-8")

    # Excel's accounting format: zero as a dash, in other encodings and formats
    dash = [list(r) for r in ROWS]
    dash[3][4] = " ¥- "
    dash = [[f" ¥{c} " if i == 4 and c and c[0].isdigit() and r[1] != "合計" else c for i, c in enumerate(r)]
            for r in dash]
    case("accounting-dash-utf8-yen", "Excel 「CSV UTF-8」 of an accounting-format column: ' ¥10,240 ', zero ' ¥- '",
         {"2024-01.csv": excel_text([["O50IP電話"], HEADER] + dash, ",").encode("utf-8-sig")}, "utf-8-bom")
    paste = [list(r) for r in ROWS]
    paste[3][4] = "－"
    case("accounting-dash-fullwidth-paste", "a paste where IP通話's charge shows as a full-width dash －",
         {"2024-01.txt": "".join("\t".join(r) + "\n" for r in [["O50IP電話"], HEADER] + paste).encode("utf-8")})
    text_dash = [["O50IP電話"], HEADER] + [list(r) for r in ROWS]
    text_dash[2 + 3][4] = "\\-"
    case("accounting-dash-xlsx-text", "an accounting CSV opened again in Excel and saved as .xlsx: zero the text '\\-'",
         {"2024-01.xlsx": workbook(text_dash)})

    # formats
    seed_book = (SEED / "2024-01.xlsx").read_bytes()
    case("xls-libreoffice-97", "the seed workbook saved by LibreOffice as Excel 97-2003 (.xls): a title "
         "above the table, durations past 24 h with tenths", {"2024-01.xls": libreoffice(seed_book, ".xlsx", "xls")})
    case("ods-converted-seed-workbook", "the seed workbook saved by LibreOffice as .ods: the table at B5 under "
         "a title that names the month, a second sheet of notes", {"2024-01.ods": libreoffice(seed_book, ".xlsx", "ods")})
    case("strict-ooxml-shared-strings", "a Strict Open XML workbook with shared strings and [h]:mm:ss.0 styles "
         "(openpyxl's workbook in the Strict namespaces)", {"2024-01.xlsx": strict(workbook(seed_rows()))})
    page = (SEED / "2024-01.html").read_bytes()
    case("mhtml-quoted-printable", "the OCN page saved by Chrome or Edge as one file (.mhtml, quoted-printable)",
         {"2024-01.mhtml": mhtml(page, None, "quoted-printable")})
    sjis = (SEED / "2024-01_sjis.html").read_bytes()
    case("mht-base64-shift-jis", "the Shift_JIS page saved as .mht, base64 with the charset in the part's header",
         {"2024-01.mht": mhtml(sjis, "shift_jis", "base64")})

    # months everywhere
    case("wareki-file-name", "the detail named 令和6年1月分.txt, the invoice month written R6.1",
         {"令和6年1月分.txt": (SEED / "2024-01_table-only.txt").read_bytes(),
          "invoices.csv": "利用月,請求額\nR6.1,128916\n".encode("utf-8")})
    content = "ご利用月\t令和6年1月\n" + (SEED / "2024-01_table-only.txt").read_text(encoding="utf-8")
    case("wareki-content-label", "a file named without a month: ご利用月 令和6年1月 above the table; the invoice "
         "month 令和6年1月分 in CP932", {"明細.txt": content.encode("utf-8"),
                                  "invoices.csv": "利用月,請求額\n令和6年1月分,128916\n".encode("cp932")})
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["利用月", "請求額"])
    sheet.append([dt.datetime(2024, 1, 1), 128916])
    sheet["A2"].number_format = 'yyyy"年"m"月"'
    out = io.BytesIO()
    book.save(out)
    case("invoice-xlsx-date", "invoices.xlsx where Excel made the typed 2024/1 a date (yyyy年m月)",
         {"2024-01.txt": (SEED / "2024-01.txt").read_bytes(), "invoices.xlsx": out.getvalue()})

    formula_guards()
    spreadsheet_frames()
    companion_folders()
    formulas()
    web_archives()
    translated_pages()


def formula_guards() -> None:
    """An exporter's or a spreadsheet's apostrophe before a figure (tableexport-injection-csv's kind)."""
    rows = [list(r) for r in ROWS]
    rows = [[f"'{c}" if i >= 2 and c else c for i, c in enumerate(r)] for r in rows]
    case("formula-guard-every-figure-cp932", "an export that put the apostrophe before every figure, not only "
         "the negative one (Excel's mark of a number kept as text): CP932, commas, CRLF",
         {"2024-01.csv": excel_text([["O50IP電話"], HEADER] + rows, ",").encode("cp932")}, "cp932")
    text = [["O50IP電話"], HEADER] + [list(r) for r in ROWS]
    text[-1][4] = "'-1,174"
    case("formula-guard-xlsx-text", "the guarded CSV opened in Excel and saved as .xlsx: the 着割 amount is the "
         "text '-1,174 in a cell", {"2024-01.xlsx": workbook(text, typed=False)})
    tabbed = [list(r) for r in ROWS]
    tabbed[-1][4] = "\t-1,174"
    case("formula-guard-tab-tsv", "an exporter that guards with a tab before the minus (OWASP's other advice), "
         "the cell quoted in a tab-separated file",
         {"2024-01.tsv": excel_text([["O50IP電話"], HEADER] + tabbed, "\t").encode("utf-8")}, "utf-8")


def waffle(rows: list[list[str]], numbers: list[int], letters: int, handle_after: int | None = None,
           freeze_after: int | None = None) -> str:
    """A sheet as Google Sheets writes it into a page: a row of column letters, each row opened by
    its number in a <th>; a frozen row or column adds a row or a column of empty handle cells."""
    handle = '<td class="freezebar-cell freezebar-vertical-handle"></td>'
    head = ('<thead><tr><th class="row-header freezebar-origin-ltr"></th>'
            + "".join(f'<th id="0C{i}" style="width:100px;" class="column-headers-background">{chr(65 + i)}</th>'
                      + (handle if handle_after == i else "") for i in range(letters)) + "</tr></thead>")
    body = []
    for number, row in zip(numbers, rows):
        cells = "".join(f'<td class="s{1 if c[:1].isdigit() else 0}" dir="ltr">{c}</td>' if c else '<td class="s0"></td>'
                        + "" for c in row)
        if handle_after is not None:
            parts = cells.split("</td>")
            cells = "</td>".join(parts[:handle_after + 1]) + "</td>" + handle + "</td>".join(parts[handle_after + 1:])
        body.append(f'<tr style="height: 20px"><th id="0R{number - 1}" style="height: 20px;" '
                    f'class="row-headers-background"><div class="row-header-wrapper" style="line-height: 20px">'
                    f"{number}</div></th>{cells}</tr>")
        if freeze_after == number:
            body.append('<tr><th style="height:3px;" class="freezebar-cell freezebar-horizontal-handle"></th>'
                        + '<td class="freezebar-cell freezebar-horizontal-handle"></td>' * letters + "</tr>")
    return (f'<div class="ritz grid-container" dir="ltr"><table class="waffle" cellspacing="0" cellpadding="0">'
            f'{head}<tbody>{"".join(body)}</tbody></table></div>')


def spreadsheet_frames() -> None:
    """Row numbers and column letters around the table (gsheets-html-download's kind)."""
    rows = seed_rows()
    page = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>OCN 明細 - Google ドライブ</title></head><body>'
            '<div id="top"><div id="doc-title"><span class="name">OCN 明細</span></div></div>\n'
            '<div id="sheets-viewport"><div id="0" style="position:relative;" dir="ltr">'
            + waffle(rows, list(range(1, len(rows) + 1)), 5, freeze_after=2)
            + '</div></div>\n<div id="footer">Google スプレッドシートで公開 – 不正行為を報告 – 5 分ごとに自動更新</div>'
            "</body></html>\n")
    case("gsheets-published-to-web", "a Google sheet 「ウェブに公開」 and saved from the browser: the document's title "
         "above the frame, a frozen header (a row of empty handle cells under row 2), a footer below",
         {"2024-01.html": page.encode("utf-8")})
    shifted = [["メモ: 1月分"], [], *[[""] + r for r in rows]]
    numbers = [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12]  # row 9 hidden
    page = ('<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            + waffle([r + [""] * (6 - len(r)) for r in shifted], numbers, 6, handle_after=0) + "\n")
    case("gsheets-download-table-at-b3", "Google Sheets' download of a sheet whose table starts at B3 under a note, "
         "a row hidden (the numbers skip 9) and column A frozen (a column of handle cells)",
         {"2024-01.html": page.encode("utf-8")})
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([None, "A", "B", "C", "D", "E"])
    for number, row in enumerate(rows, start=1):
        sheet.append([number] + [_typed(c) for c in row])
        for cell in sheet[number + 1]:
            if isinstance(cell.value, dt.timedelta):
                cell.number_format = "[h]:mm:ss.0"
    out = io.BytesIO()
    book.save(out)
    case("gsheets-page-saved-as-xlsx", "Google Sheets' downloaded page opened in Excel and saved as .xlsx: the row "
         "numbers are numbers in column A, the column letters a row of text above", {"2024-01.xlsx": out.getvalue()})


EXCEL_HEAD = ('<html xmlns:v="urn:schemas-microsoft-com:vml"\r\nxmlns:o="urn:schemas-microsoft-com:office:office"\r\n'
              'xmlns:x="urn:schemas-microsoft-com:office:excel"\r\nxmlns="http://www.w3.org/TR/REC-html40">\r\n\r\n<head>\r\n')


def excel_sheet(rows: list[list[str]], main: str) -> str:
    """A sheet as Excel's 「Web ページ」 writes it into `….files/sheet00N.htm`."""
    body = []
    for row in rows:
        cells = []
        for cell in row + [""] * (5 - len(row)):
            if cell.count(":") == 2:
                cells.append(f'  <td class=xl66 align=right x:num>{cell}</td>')
            elif cell.replace(",", "").lstrip("-").isdigit():
                cells.append(f'  <td align=right x:num>{cell}</td>')
            else:
                cells.append(f"  <td>{cell}</td>" if cell else "  <td></td>")
        body.append(" <tr height=18 style='height:13.5pt'>\r\n" + "\r\n".join(cells) + "\r\n </tr>")
    return (EXCEL_HEAD + '<meta http-equiv=Content-Type content="text/html; charset=shift_jis">\r\n'
            '<meta name=ProgId content=Excel.Sheet>\r\n<meta name=Generator content="Microsoft Excel 15">\r\n'
            f'<link id=Main-File rel=Main-File href="../{main}">\r\n<link rel=File-List href=filelist.xml>\r\n'
            "<link rel=Stylesheet href=stylesheet.css>\r\n<style>\r\n<!--table\r\n\t{mso-displayed-decimal-separator:\"\\.\";}\r\n"
            ".xl66\r\n\t{mso-number-format:\"\\[h\\]\\:mm\\:ss\\.0\";}\r\n-->\r\n</style>\r\n</head>\r\n\r\n"
            '<body link="#0563C1" vlink="#954F72">\r\n\r\n<table border=0 cellpadding=0 cellspacing=0 width=500 '
            "style='border-collapse:\r\n collapse;table-layout:fixed;width:375pt'>\r\n <col width=72 span=5 style='width:54pt'>\r\n"
            + "\r\n".join(body) + "\r\n <![if supportMisalignedColumns]>\r\n <tr height=0 style='display:none'>\r\n"
            + "  <td width=72 style='width:54pt'></td>\r\n" * 5 + " </tr>\r\n <![endif]>\r\n</table>\r\n\r\n</body>\r\n\r\n</html>\r\n")


def excel_frameset(name: str, sheets: list[str]) -> str:
    """Excel's 「Web ページ」 of a workbook of several sheets: `name.htm`, a frameset naming each sheet."""
    links = "".join(f'<link id="shLink" href="{name}.files/sheet{i:03d}.htm">\r\n' for i in range(1, len(sheets) + 1))
    tabs = "".join(f' c_rgszSh[{i}] = "{sheet}";\r\n' for i, sheet in enumerate(sheets))
    return (EXCEL_HEAD + '<meta name="Excel Workbook Frameset">\r\n<meta http-equiv=Content-Type content="text/html; '
            'charset=shift_jis">\r\n<meta name=ProgId content=Excel.Sheet>\r\n<meta name=Generator content="Microsoft '
            f'Excel 15">\r\n<link rel=File-List href="{name}.files/filelist.xml">\r\n<![if !supportTabStrip]>\r\n{links}'
            '\r\n<link id="shLink">\r\n\r\n<script language="JavaScript">\r\n<!--\r\n'
            f" var c_lTabs={len(sheets)};\r\n\r\n var c_rgszSh=new Array(c_lTabs);\r\n{tabs}//-->\r\n</script>\r\n"
            "<![endif]>\r\n</head>\r\n\r\n<frameset rows=\"*,39\" border=0 width=0 frameborder=no framespacing=0>\r\n"
            f' <frame src="{name}.files/sheet001.htm" name="frSheet">\r\n'
            f' <frame src="{name}.files/tabstrip.htm" name="frTabs" marginwidth=0 marginheight=0>\r\n <noframes>\r\n'
            "  <body>\r\n   <p>このページはフレームを使用しています。このページを表示するには、フレームをサポートしているブラウザが"
            "必要です。</p>\r\n  </body>\r\n </noframes>\r\n</frameset>\r\n</html>\r\n")


def excel_tabstrip(sheets: list[str]) -> str:
    tabs = "".join(f'<td bgcolor="#FFFFFF" nowrap><b><small><small>&nbsp;<a href="sheet{i:03d}.htm" target="frSheet">'
                   f'<font face="游ゴシック" color="#000000">{sheet}</font></a>&nbsp;</small></small></b></td>'
                   for i, sheet in enumerate(sheets, start=1))
    return ('<html>\r\n<head>\r\n<meta http-equiv=Content-Type content="text/html; charset=shift_jis">\r\n'
            '<meta name=ProgId content=Excel.Sheet>\r\n<link id=Main-File rel=Main-File href="../2024-01.htm">\r\n'
            f'</head>\r\n<body topmargin=0 leftmargin=0 bgcolor="#808080">\r\n<table border=0 cellspacing=1><tr>{tabs}'
            "</tr></table>\r\n</body>\r\n</html>\r\n")


def companion_folders() -> None:
    """A page and the folder saved beside it (chrome-webpage-complete's kind)."""
    sheets = ["明細", "メモ"]
    filelist = ('<xml xmlns:o="urn:schemas-microsoft-com:office:office">\r\n <o:MainFile HRef="../2024-01.htm"/>\r\n'
                + "".join(f' <o:File HRef="sheet{i:03d}.htm"/>\r\n' for i in (1, 2))
                + ' <o:File HRef="tabstrip.htm"/>\r\n <o:File HRef="stylesheet.css"/>\r\n <o:File HRef="filelist.xml"/>\r\n</xml>')
    case("excel-web-page-frameset", "Excel's 「Web ページ」 save of a workbook of two sheets on Japanese Windows: "
         "2024-01.htm is a frameset (Shift_JIS); the sheets are 2024-01.files/sheet001.htm and sheet002.htm, "
         "beside the tab strip, a style sheet and the file list",
         {"2024-01.htm": excel_frameset("2024-01", sheets).encode("cp932"),
          "2024-01.files/sheet001.htm": excel_sheet(seed_rows(), "2024-01.htm").encode("cp932"),
          "2024-01.files/sheet002.htm": excel_sheet([["確認メモ"], ["請求書と照合済み"]], "2024-01.htm").encode("cp932"),
          "2024-01.files/tabstrip.htm": excel_tabstrip(sheets).encode("cp932"),
          "2024-01.files/stylesheet.css": b"tr\r\n\t{mso-height-source:auto;}\r\n",
          "2024-01.files/filelist.xml": filelist.encode("ascii")})
    single = excel_sheet(seed_rows(), "2024-01.htm").replace(
        '<link id=Main-File rel=Main-File href="../2024-01.htm">\r\n<link rel=File-List href=filelist.xml>\r\n'
        "<link rel=Stylesheet href=stylesheet.css>",
        '<link rel=File-List href="2024-01.files/filelist.xml">\r\n<link rel=Stylesheet href="2024-01.files/stylesheet.css">')
    case("excel-web-page-one-sheet", "Excel's 「Web ページ」 save of the one sheet (「選択: シート」): the table in "
         "2024-01.htm itself (Shift_JIS), its style sheet and file list in 2024-01.files/",
         {"2024-01.htm": single.encode("cp932"),
          "2024-01.files/stylesheet.css": b"tr\r\n\t{mso-height-source:auto;}\r\n",
          "2024-01.files/filelist.xml": b'<xml xmlns:o="urn:schemas-microsoft-com:office:office">\r\n'
                                        b' <o:MainFile HRef="../2024-01.htm"/>\r\n</xml>'})
    detail = (SEED / "2024-01_sjis.html").read_bytes()
    page = ('<!DOCTYPE html>\n<!-- saved from url=(0047)https://example.invalid/mypage/bill/index.html -->\n'
            '<html lang="ja"><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
            "<title>ご利用料金／通話・通信明細</title>\n"
            '<link rel="stylesheet" href="./2024-01_files/common.css"></head>\n<body>\n'
            '<h2>ご利用料金</h2>\n<iframe src="./2024-01_files/ad.html" title="お知らせ"></iframe>\n'
            '<iframe src="./2024-01_files/detail.html" title="明細" width="100%"></iframe>\n'
            '<iframe src="https://ads.example.invalid/x.html"></iframe>\n</body></html>\n')
    case("firefox-webpage-complete-iframe", "Firefox's 「ウェブページ、完全」 of a page that shows the detail in an "
         "iframe (Shift_JIS): the table is in 2024-01_files/detail.html, beside an advertisement's frame and "
         "the page's style sheet",
         {"2024-01.html": page.encode("cp932"), "2024-01_files/detail.html": detail,
          "2024-01_files/ad.html": "<html><body><table><tr><td>キャンペーン</td></tr></table></body></html>".encode("cp932"),
          "2024-01_files/common.css": b"td { padding: 2px; }\n"})


def formula_book(total: list, recalculate_on_open: bool, results: dict[str, str] | None = None) -> bytes:
    """The seed's table in a workbook whose 合計 row holds formulas: as openpyxl writes them (no saved
    result); with `recalculate_on_open`, as XlsxWriter does (a saved result of 0 and a request to
    recalculate on open); with `results`, as Excel saves them (each formula's calculated result)."""
    rows = seed_rows()
    rows[7] = total
    book = openpyxl.load_workbook(io.BytesIO(workbook(rows)))
    for cell in book.active[9]:
        if isinstance(cell.value, str) and cell.value.startswith("=SUM(E"):
            cell.number_format = "[h]:mm:ss.0"  # the time column's total, shown as the times above it
    out = io.BytesIO()
    book.save(out)
    if results is None and not recalculate_on_open:
        return out.getvalue()
    source, out = zipfile.ZipFile(io.BytesIO(out.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/workbook.xml" and recalculate_on_open:
                content = content.replace(b"</workbook>", b'<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')
            if name.startswith("xl/worksheets/"):
                for formula, result in (results or {}).items():
                    content = content.replace(f"<f>{formula}</f><v></v>".encode(), f"<f>{formula}</f><v>{result}</v>".encode())
                content = content.replace(b"<v></v>", b"<v>0</v>")
            target.writestr(name, content)
    return out.getvalue()


def formulas() -> None:
    """A 合計 row of formulas, calculated or not (xlsxwriter-formula-zero's kind)."""
    sums = ["", "合計", "=SUM(D4:D8)", "=SUM(E4:E8)", "=SUM(F4:F8)"]
    never = FIGURES.replace("stated 合計: 3016 calls, 119:54:23.5 = 431,663.5 s, charge absent (null)",
                            "stated 合計: the row holds =SUM formulas that were never calculated (absent, with a message)")
    never = never.replace("checks: total_count ok; total_duration FAILS by +36,000.0 s (10:00:00); discount ok; invoice ok",
                          "checks: total_count, total_duration, total_charge not performed; discount ok; invoice ok")
    never = never.replace("status: warning (only OCN's stated time is off)", "status: ok (the table ties out)")
    for name, what, data in (
            ("openpyxl-formulas-without-results", "a workbook written by openpyxl whose 合計 row is =SUM formulas: "
             "no saved result at all (the cells' <v> empty), no request to recalculate", formula_book(sums, False)),
            ("xlsxwriter-formula-zero-shifted", "a workbook written as XlsxWriter writes (saved results 0, "
             "fullCalcOnLoad) whose 合計 formulas stand one column right, as OCN's page shifts them",
             formula_book(["", "合計", "", "=SUM(D4:D8)", "=SUM(E4:E8)"], True))):
        case(name, what, {"2024-01.xlsx": data})
        if not ONLY or name in ONLY:
            (HERE / name / "expected.txt").write_text(f"Case: {name}\nVariant: {what}\n\n{never}", encoding="utf-8")
    calculated = FIGURES.replace("stated 合計: 3016 calls, 119:54:23.5 = 431,663.5 s, charge absent (null)",
                                 "stated 合計: 3016 calls, 109:54:23.5 = 395,663.5 s, 130,090 yen")
    calculated = calculated.replace(
        "checks: total_count ok; total_duration FAILS by +36,000.0 s (10:00:00); discount ok; invoice ok",
        "checks: total_count ok; total_duration ok; total_charge ok; discount ok; invoice ok")
    calculated = calculated.replace("status: warning (only OCN's stated time is off)", "status: ok")
    name = "excel-calculated-formulas"
    results = {"SUM(D4:D8)": "3016", "SUM(E4:E8)": "4.579438657407407", "SUM(F4:F8)": "130090"}
    case(name, "a 合計 row of =SUM formulas with the results Excel saves beside them (written here as Excel "
         "writes them): the saved results count", {"2024-01.xlsx": formula_book(sums, False, results)})
    if not ONLY or name in ONLY:
        (HERE / name / "expected.txt").write_text(f"Case: {name}\nVariant: the results Excel saved\n\n{calculated}",
                                                  encoding="utf-8")


def web_archive(page: bytes, charset: str, frames: list[dict] = ()) -> dict:
    """A page as Safari archives it: WebKit's WebMainResource, its resources and its frames."""
    archive = {"WebMainResource": {"WebResourceData": page, "WebResourceFrameName": "",
                                   "WebResourceMIMEType": "text/html", "WebResourceTextEncodingName": charset,
                                   "WebResourceURL": "https://example.invalid/mypage/bill/detail.html"},
               "WebSubresources": [{"WebResourceData": b"td.num { text-align: right; }", "WebResourceMIMEType": "text/css",
                                    "WebResourceURL": "https://example.invalid/mypage/common.css"}]}
    if frames:
        archive["WebSubframeArchives"] = list(frames)
    return archive


def web_archives() -> None:
    """Safari's 「Web アーカイブ」 (.webarchive): a property list holding the page."""
    import plistlib

    sjis = (SEED / "2024-01_sjis.html").read_bytes()
    case("safari-webarchive-shift-jis", "Safari's 「Web アーカイブ」 of the Shift_JIS page: a binary property list whose "
         "WebMainResource holds the page's bytes and names their encoding",
         {"2024-01.webarchive": plistlib.dumps(web_archive(sjis, "Shift_JIS"), fmt=plistlib.FMT_BINARY)})
    outer = ('<html><head><meta charset="utf-8"></head><body><h1>ご利用料金</h1>'
             '<iframe src="https://example.invalid/mypage/bill/frame.html"></iframe></body></html>').encode("utf-8")
    frame = web_archive((SEED / "2024-01.html").read_bytes(), "UTF-8")
    case("safari-webarchive-xml-frame", "a Web Archive written as an XML property list (as a script or an older "
         "Safari writes it) whose page shows the detail in a frame: WebSubframeArchives",
         {"2024-01.webarchive": plistlib.dumps(web_archive(outer, "UTF-8", [frame]), fmt=plistlib.FMT_XML)})


def translated_pages() -> None:
    """The OCN page shown translated by the browser, then copied or saved (SPEC §1.1)."""
    google = [["O50 IP phone"], ["Details", "Call type", "Number of calls", "Call time (hours:minutes:seconds)",
                                 "Call charges (yen, excluding tax)"],
              ["Call", "General call", "1096", "28:49:53.5", "10,240"], ["", "International call", "600", "55:01:00.0", "96,870"],
              ["", "Mobile call", "330", "4:40:45.0", "7,680"], ["", "IP call", "480", "10:27:15.0", "0"],
              ["", "PHS call", "510", "10:55:30.0", "15,300"], ["", "total", "", "3016", "119:54:23.5"],
              ["Incoming call discount", "Calls eligible for incoming call discount", "3016", "39:07:43.0", "-1,174"]]
    case("translated-page-copied-chrome", "the page shown translated by Chrome (Google Translate, Japanese to English) "
         "and copied into Notepad: English labels, the figures as OCN wrote them",
         {"2024-01.txt": "".join("\t".join(r) + "\r\n" for r in google).encode("utf-8")}, "utf-8")
    wrap = lambda text: (f'<font style="vertical-align: inherit;"><font style="vertical-align: inherit;">{text}'
                         "</font></font>") if text and not text[0].isdigit() and text[0] != "-" else text
    edge = [["Statement", "Type of call", "Number of Calls", "Talk Time (Hours:Minutes:Seconds)", "Call Rates (Yen, Tax Excluded)"],
            ["Calls", "Regular calls", "1096", "28:49:53.5", "10,240"], ["", "International calls", "600", "55:01:00.0", "96,870"],
            ["", "Mobile phone calls", "330", "4:40:45.0", "7,680"], ["", "IP calls", "480", "10:27:15.0", "0"],
            ["", "PHS calls", "510", "10:55:30.0", "15,300"], ["", "<b>Total</b>", "", "<b>3016</b>", "<b>119:54:23.5</b>"],
            ["Incoming discount", "Calls subject to the incoming discount", "3016", "39:07:43.0", "-1,174"]]
    header = "<tr>" + "".join(f"<th>{wrap(h)}</th>" for h in edge[0]) + "</tr>\n"
    page = html_page([[wrap(c) for c in r] for r in edge[1:]], header).replace(
        '<html lang="ja">', '<html lang="en" class="translated-ltr">').replace("O50IP電話", wrap("O50 IP Phone"))
    case("translated-page-saved-edge", "the page saved while shown translated into English (each text wrapped in the "
         "translator's <font> elements), in another translation's words: Statement, Type of call, Talk Time, "
         "Call Rates, Regular calls, Mobile phone calls, Incoming discount", {"2024-01.html": page.encode("utf-8")})


if __name__ == "__main__":
    import sys

    ONLY.update(sys.argv[1:])
    main()
