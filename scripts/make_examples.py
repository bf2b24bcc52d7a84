"""Write the input data files: tests/data/seed/ (the seed month in every form), examples/2024/,
examples/company/2024/ and examples/archive/ (two fiscal years).

    .venv/bin/python scripts/make_examples.py

Deterministic: no clock, a fixed-seed generator of our own (not `random`, whose algorithms may
change), and .xlsx files written with fixed zip timestamps and document properties, so running it
twice gives byte-identical files.

Figures follow OCN's rates closely enough to look real: 一般通話 8 yen per 3 minutes, 携帯通話 16 yen
per minute, IP通話 free, 国際通話 15 yen per 30 s, PHS通話 10 yen a call plus 10 yen a minute,
ナビダイヤル 10 yen per 20 s; each call is charged on its own and the month is the sum. 着割 follows
SPEC §2: 0.5 yen per full 60 s of incoming time, half up, capped at the month's charges.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "tests" / "data" / "seed"
YEAR_DIR = ROOT / "examples" / "2024"

TITLE = "O50IP電話"
HEADER = ["明細", "通話種別", "通話数", "通話時間 (時:分:秒)", "通話料金 (円・税別)"]


# --------------------------------------------------------------------------- the figures


@dataclass
class Month:
    """One month's detail table as OCN shows it (stated values may be wrong on purpose)."""

    ym: str  # "2024-01"
    rows: list[tuple[str, int, int, int]]  # (label, count, tenths, charge), in screen order
    stated_count: int | None
    stated_tenths: int | None
    incoming: tuple[int, int] | None  # 着割対象通話: (count, tenths)
    stated_discount: int | None
    typed: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) → text as typed

    @property
    def year(self) -> int:
        return int(self.ym[:4])

    @property
    def number(self) -> int:
        return int(self.ym[5:])

    @property
    def charge(self) -> int:
        return sum(r[3] for r in self.rows)

    @property
    def discount(self) -> int:
        """The 着割 recomputed by SPEC §2 (what the stated discount should be)."""
        if self.incoming is None:
            return 0
        units = self.incoming[1] // 600
        return -min((units + 1) // 2, self.charge)  # units × 0.5, half up


SEED = Month(
    "2024-01",
    [("一般通話", 1096, 1037935, 10240), ("国際通話", 600, 1980600, 96870),
     ("携帯通話", 330, 168450, 7680), ("IP通話", 480, 376350, 0), ("PHS通話", 510, 393300, 15300)],
    stated_count=3016,
    stated_tenths=4316635,  # 119:54:23.5, ten hours over the true 109:54:23.5
    incoming=(3016, 1408630),
    stated_discount=-1174,
)
SEED_INVOICE = 128916


class Rng:
    """A 64-bit LCG (Knuth's MMIX constants): the same numbers on every Python."""

    def __init__(self, seed: int) -> None:
        self.state = seed

    def between(self, low: int, high: int) -> int:
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % 2**64
        return low + (self.state >> 33) % (high - low + 1)


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


# label → (shortest, longest call in tenths, charge of one call from its tenths)
RATES = {
    "一般通話": (100, 3000, lambda t: 8 * _ceil_div(t, 1800)),
    "国際通話": (300, 6000, lambda t: 15 * _ceil_div(t, 300)),
    "携帯通話": (100, 3600, lambda t: 16 * _ceil_div(t, 600)),
    "IP通話": (200, 9000, lambda t: 0),
    "PHS通話": (150, 2400, lambda t: 10 + 10 * _ceil_div(t, 600)),
    "ナビダイヤル": (300, 2400, lambda t: 10 * _ceil_div(t, 200)),
}
INCOMING = (50, 3000)

# month → calls per type (一般, 国際, 携帯, IP, PHS), incoming calls, and extra rows
CALLS = {
    2: ((182, 3, 64, 41, 2), 236, {}),
    3: ((214, 5, 71, 38, 1), 262, {}),
    4: ((197, 2, 58, 45, 3), 241, {}),
    5: ((226, 4, 83, 52, 0), 275, {}),
    6: ((188, 6, 69, 47, 2), 250, {}),
    7: ((173, 2, 61, 39, 1), 219, {}),
    8: ((121, 1, 40, 22, 0), 148, {}),
    9: ((205, 3, 77, 44, 2), 268, {"ナビダイヤル": 9}),
    10: ((208, 4, 66, 50, 1), 255, {}),
    11: ((219, 48, 72, 43, 2), 270, {}),  # international calls ten times the usual: an anomaly
    12: ((241, 7, 90, 56, 3), 301, {}),
}


def generated(number: int, salt: int = 0, scale: tuple[int, int] = (1, 1), year: int = 2024,
              calls: dict = CALLS) -> Month:
    """A small office's month: every call drawn and charged on its own, the month summed.
    Another `salt` and `scale` (numerator, denominator of the call counts) give another office,
    another `calls` table (month → counts as in CALLS) another pattern of months."""
    rng = Rng(2024_00 + number + salt * 1000)
    counts, incoming_calls, extra = calls[number]
    counts = tuple(c * scale[0] // scale[1] for c in counts)
    incoming_calls = incoming_calls * scale[0] // scale[1]
    labels = ["一般通話", "国際通話", "携帯通話", "IP通話", "PHS通話", *extra]
    rows = []
    for label, calls in zip(labels, [*counts, *extra.values()]):
        low, high, price = RATES[label]
        tenths = [rng.between(low, high) for _ in range(calls)]
        rows.append((label, calls, sum(tenths), sum(price(t) for t in tenths)))
    incoming_tenths = sum(rng.between(*INCOMING) for _ in range(incoming_calls))
    month = Month(f"{year}-{number:02d}", rows, sum(r[1] for r in rows), sum(r[2] for r in rows),
                  (incoming_calls, incoming_tenths), None)
    month.stated_discount = month.discount
    return month


# --------------------------------------------------------------------------- how values are written


def hms(tenths: int) -> str:
    """1037935 → 28:49:53.5, as OCN shows it (hours unpadded, always a tenth)."""
    seconds, tenth = divmod(tenths, 10)
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours}:{minute:02d}:{second:02d}.{tenth}"


def yen(amount: int) -> str:
    return f"{amount:,}"


_FULL = str.maketrans("0123456789,:.-", "０１２３４５６７８９，：．－")


def full(text: str) -> str:
    return text.translate(_FULL)


def table_rows(m: Month, bold: bool = True, style: str = "plain") -> list[list[str]]:
    """The table as screen rows of five cells, 合計 shifted one column right as OCN shows it.

    style "plain" is the page's text; "full" is full-width digits, ￥ on charges, △ for minus.
    """
    def count(n: int) -> str:
        return full(str(n)) if style == "full" else str(n)

    def time(t: int) -> str:
        return full(hms(t)) if style == "full" else hms(t)

    def money(a: int) -> str:
        if style != "full":
            return yen(a)
        return "△" + full(yen(-a)) if a < 0 else "￥" + full(yen(a))

    def b(text: str) -> str:
        return f"<b>{text}</b>" if bold and text else text

    out = [[TITLE, "", "", "", ""], list(HEADER)]
    for i, (label, calls, tenths, charge) in enumerate(m.rows):
        cells = ["通話" if i == 0 else "", label, count(calls), time(tenths), money(charge)]
        for (row, column), text in m.typed.items():
            if row == i:
                cells[column] = text
        out.append(cells)
    out.append(["", b("合計"), "",
                b(count(m.stated_count)) if m.stated_count is not None else "",
                b(time(m.stated_tenths)) if m.stated_tenths is not None else ""])
    if m.incoming is not None:
        out.append(["着割", "着割対象通話", count(m.incoming[0]), time(m.incoming[1]),
                    money(m.stated_discount) if m.stated_discount is not None else ""])
    return out


# --------------------------------------------------------------------------- pasted text

PROSE_ABOVE = [
    "⑩ 下部にスクロールすると「O50IP 電話」のご利用料金が表示されますので、内容をご確認ください。",
    "",
    "●電話利用明細画面について",
    "",
    "※メンテナンス等により、ご利用できない場合があります。",
    "",
    "※デザインや種別は変更になる可能性があります。",
    "",
    " ",
]
PROSE_BELOW = [
    "",
    "※「O50IP電話」の利用明細に関する注意事項や明細の見方についてはこちらをご確認ください。  ",
    " ※「O50plus」の請求をOCNに合算しているお客さまの場合でも、利用明細はO50plusアプリからのみ閲覧可能です。",
]


def pasted(m: Month, above: list[str] = PROSE_ABOVE, below: list[str] = PROSE_BELOW,
           style: str = "plain", newline: str = "\n") -> bytes:
    """The page copied from the browser into Notepad: prose, the tab-separated table, prose."""
    lines = [*above, *("\t".join(row) for row in table_rows(m, style=style)), *below]
    return (newline.join(lines) + newline).encode("utf-8")


# --------------------------------------------------------------------------- saved from Excel


def excel_csv(m: Month, encoding: str, bold: bool = False) -> bytes:
    """The pasted table saved by Excel as CSV: commas, quotes where a field has one, CRLF."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(table_rows(m, bold=bold))
    return buffer.getvalue().encode(encoding)


def excel_unicode_text(m: Month) -> bytes:
    """Excel's 「Unicode テキスト」: UTF-16 LE with a BOM, tab-separated, CRLF."""
    text = "".join("\t".join(row) + "\r\n" for row in table_rows(m, bold=False))
    return b"\xff\xfe" + text.encode("utf-16-le")


# --------------------------------------------------------------------------- .xlsx

FIXED_TIME = dt.datetime(2024, 2, 5, 9, 0, 0)


def save_xlsx(book, path: Path) -> None:
    """Saved as recon saves its reports (fixed zip times), so the bytes never depend on the clock."""
    from recon.outputs.workbook.save import save

    book.properties.creator = "経理部"
    book.properties.lastModifiedBy = "経理部"
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    path.parent.mkdir(parents=True, exist_ok=True)
    save(book, path)


def xlsx(m: Month, path: Path, text_cells: bool = False) -> None:
    """The table pasted at B4 under a title row, a note under it, and a second sheet of notes.

    Typed cells: counts and yen as numbers (#,##0), durations as day numbers ([h]:mm:ss.0);
    with `text_cells` every value is the text the page shows.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "明細"
    sheet["B1"] = f"{m.year}年{m.number}月分 {TITLE}ご利用明細"
    sheet["B1"].font = Font(bold=True, size=14)
    first = 4
    rows = table_rows(m, bold=False)
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            cell = sheet.cell(row=first + r, column=2 + c)
            if not text:
                continue
            if text_cells or r < 2 or c < 2:
                cell.value = text
                if r >= 2 and c >= 2:
                    cell.number_format = "@"
                continue
            if ":" in text:
                h, mnt, s = text.split(":")
                sec, tenth = s.split(".")
                tenths = ((int(h) * 60 + int(mnt)) * 60 + int(sec)) * 10 + int(tenth)
                cell.value = tenths / 864000
                cell.number_format = "[h]:mm:ss.0"
            else:
                cell.value = int(text.replace(",", ""))
                cell.number_format = "#,##0"
    note_row = first + len(rows) + 1
    sheet.cell(row=note_row, column=2,
               value="※OCNマイページの画面から貼り付け。合計欄の位置と空欄は画面のまま。")
    for column, width in zip("ABCDEF", (3, 8, 16, 10, 20, 20)):
        sheet.column_dimensions[column].width = width
    notes = book.create_sheet("メモ")
    notes["A1"] = "確認メモ"
    notes["A2"] = "請求書は翌月中旬に届く。届いたら請求額を invoices.csv に転記すること。"
    notes["A3"] = "不明点はOCNテクニカルサポートへ問い合わせ。"
    notes.column_dimensions["A"].width = 70
    save_xlsx(book, path)


# --------------------------------------------------------------------------- saved web page


def html_page(m: Month, charset: str) -> bytes:
    """The OCN マイページ detail screen saved from the browser: navigation and contact tables, the
    利用月 drop-down, the detail table (明細 spanning its rows, 合計 shifted and bold), notes."""
    encoding = "cp932" if charset.lower() == "shift_jis" else "utf-8"
    shown = [(m.year + (m.number - k - 1) // 12, (m.number - k - 1) % 12 + 1) for k in range(6)]
    options = "\n".join(
        f'        <option value="{y}{n:02d}"{" selected" if (y, n) == (m.year, m.number) else ""}>'
        f"{y}年{n:02d}月</option>" for y, n in shown)
    rows = table_rows(m)
    body = []
    for i, (label, calls, tenths, charge) in enumerate(m.rows):
        first = '<td rowspan="%d">通話</td>' % (len(m.rows) + 1) if i == 0 else ""
        body.append(f"      <tr>{first}<td>{label}</td><td class=\"num\">{rows[2 + i][2]}</td>"
                    f"<td class=\"num\">{rows[2 + i][3]}</td><td class=\"num\">{rows[2 + i][4]}</td></tr>")
    total = rows[2 + len(m.rows)]
    body.append(f"      <tr><td>{total[1]}</td><td>&nbsp;</td><td class=\"num\">{total[3]}</td>"
                f"<td class=\"num\">{total[4]}</td></tr>")
    if m.incoming is not None:
        d = rows[3 + len(m.rows)]
        body.append(f"      <tr><td>着割</td><td>着割対象通話</td><td class=\"num\">{d[2]}</td>"
                    f"<td class=\"num\">{d[3]}</td><td class=\"num\">{d[4]}</td></tr>")
    page = f"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="{charset}">
<title>ご利用料金／通話・通信明細 | OCN マイページ</title>
<style>td.num {{ text-align: right; }} .detail th {{ background: #e8eef7; }}</style>
</head>
<body>
<table class="gnav">
  <tr><td><a href="#">マイページトップ</a></td><td><a href="#">ご契約内容</a></td><td><a href="#">ご利用料金&amp;明細</a></td><td><a href="#">お手続き</a></td><td><a href="#">ログアウト</a></td></tr>
</table>
<h1>ご利用料金／通話・通信明細</h1>
<p>お客さまのご利用料金と通話・通信明細を表示しています。</p>
<table class="contact">
  <tr><th>お問い合わせ</th><td>OCNテクニカルサポート&nbsp;（受付時間&nbsp;10:00～19:00&nbsp;日曜・祝日・年末年始を除く）</td></tr>
</table>
<form action="#" method="get">
  <div class="month">
    <label for="ym">利用月</label>
    <select id="ym" name="ym">
{options}
    </select>
    <input type="submit" value="表示">
  </div>
</form>
<h2>{TITLE}</h2>
<table class="detail" border="1">
  <thead>
    <tr><th>明細</th><th>通話種別</th><th>通話数</th><th>通話時間 (時:分:秒)</th><th>通話料金 (円・税別)</th></tr>
  </thead>
  <tbody>
{chr(10).join(body)}
  </tbody>
</table>
<p>※「{TITLE}」の利用明細に関する注意事項や明細の見方については<a href="#">こちら</a>をご確認ください。</p>
<p>※「O50plus」の請求をOCNに合算しているお客さまの場合でも、利用明細はO50plusアプリからのみ閲覧可能です。</p>
<p>&copy; NTT Communications Corporation</p>
</body>
</html>
"""
    return page.encode(encoding)


# --------------------------------------------------------------------------- the files


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def seed_files() -> None:
    d = SEED_DIR
    write(d / "2024-01.txt", pasted(SEED))
    write(d / "2024-01_crlf.txt", pasted(SEED, newline="\r\n"))
    write(d / "2024-01_utf8.csv", excel_csv(SEED, "utf-8", bold=True))
    write(d / "2024-01_utf8bom.csv", excel_csv(SEED, "utf-8-sig"))
    write(d / "2024-01_cp932.csv", excel_csv(SEED, "cp932"))
    write(d / "2024-01_utf16.txt", excel_unicode_text(SEED))
    write(d / "2024-01_fullwidth.txt", pasted(SEED, style="full"))
    xlsx(SEED, d / "2024-01.xlsx")
    xlsx(SEED, d / "2024-01_textcells.xlsx", text_cells=True)
    write(d / "2024-01.html", html_page(SEED, "utf-8"))
    write(d / "2024-01_sjis.html", html_page(SEED, "Shift_JIS"))


FEES_FROM_JUNE = 330  # a second 050 number from June: its monthly fee is on the invoice


def year_files() -> None:
    d = YEAR_DIR
    months = {1: SEED, **{n: generated(n) for n in CALLS}}
    # October: one count typed with the letter O for a zero.
    october = months[10]
    october.typed[(0, 2)] = str(october.rows[0][1]).replace("0", "O", 1)

    write(d / "2024-01.txt", pasted(months[1]))
    write(d / "2024-02.csv", excel_csv(months[2], "cp932"))
    write(d / "2024-03.txt", pasted(months[3], above=[], below=[]))
    xlsx(months[4], d / "2024-04.xlsx")
    write(d / "2024年5月分.txt", pasted(months[5], above=["利用月\t2024年05月", ""], below=[]))
    write(d / "2024-06.html", html_page(months[6], "utf-8"))
    write(d / "7月.txt", pasted(months[7], above=[], below=PROSE_BELOW))
    write(d / "2024年9月分.txt", pasted(months[9], above=["利用月\t2024年09月", ""]))
    write(d / "2024-10.txt", pasted(months[10], above=[], below=[]))
    write(d / "2024-11.txt", pasted(months[11], above=["ご利用月：2024年11月", ""], below=[],
                                    newline="\r\n"))
    write(d / "2024年12月分.txt", pasted(months[12], above=[], below=PROSE_BELOW))
    write(d / "メモ.txt", (
        "2024年 050IP電話 明細の保存メモ\n"
        "\n"
        "・毎月5日頃にOCNマイページで前月分の明細を開き、表をコピーしてこのフォルダに保存する。\n"
        "・2024年8月分は夏季休暇中で保存し忘れ。マイページでは過去分が見られなくなったため、請求書の金額のみ。\n"
        "・6月から050番号を1つ追加（月額330円、請求書の基本料等に含まれる）。\n"
        "・5月分の請求額が明細の計算と合わない。OCNに問い合わせ中。\n"
    ).encode("utf-8"))
    write(d / "請求書_2024-03.pdf", b"%PDF-1.4\n%%EOF\n")

    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow(["利用月", "請求額", "税区分", "基本料等", "備考"])
    for n, m in sorted(months.items()):
        fees = FEES_FROM_JUNE if n >= 6 else 0
        expected = m.charge + m.discount + fees
        basis, note = "税別", f"{n + 1 if n < 12 else 1}月請求分"
        if n == 1:
            assert expected == SEED_INVOICE
        if n == 5:
            expected += 330
            note += "・明細と330円差・問合せ中"
        if n == 8:
            note += "・明細未保存"
        if n == 12:  # SPEC §2: 国際通話 is export-exempt, the rest bears 10 %, floored once
            exempt = sum(charge for label, _, _, charge in m.rows if label == "国際通話")
            expected, basis = (expected - exempt) * 11 // 10 + exempt, "税込"
        out.writerow([f"2024年{n}月", yen(expected), basis, yen(fees), note])
    write(d / "invoices.csv", buffer.getvalue().encode("utf-8-sig"))


COMPANY_DIR = ROOT / "examples" / "company" / "2024"
# contract → (salt, scale of its call counts, how it saves its months)
CONTRACTS = {"本社": (1, (3, 1), "text"), "大阪支店": (2, (1, 1), "csv"), "名古屋営業所": (3, (1, 2), "xlsx")}


def company_files() -> None:
    """A company with three contracts, a folder each, one invoices.csv with a 契約 column.
    大阪支店's March invoice is one yen over: only that contract-month is a variance."""
    out_rows = []
    for contract, (salt, scale, form) in CONTRACTS.items():
        d = COMPANY_DIR / contract
        for n in (2, 3, 4):
            m = generated(n, salt, scale)
            if form == "text":
                write(d / f"{m.ym}.txt", pasted(m, above=[], below=[]))
            elif form == "csv":
                write(d / f"{n}月.csv", excel_csv(m, "cp932"))
            else:
                xlsx(m, d / f"{m.ym}.xlsx")
            expected = m.charge + m.discount + (1 if (contract, n) == ("大阪支店", 3) else 0)
            out_rows.append([contract, m.ym, yen(expected), "税別"])
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow(["契約", "利用月", "請求額", "税区分"])
    out.writerows(out_rows)
    write(COMPANY_DIR / "invoices.csv", buffer.getvalue().encode("utf-8-sig"))


ARCHIVE_DIR = ROOT / "examples" / "archive"
# A company whose fiscal year (年度) runs April to March, one folder per year side by side. Month →
# calls per type (一般, 国際, 携帯, IP, PHS), incoming calls, extra rows: the same office every year.
ARCHIVE_CALLS = {
    4: ((152, 4, 48, 30, 1), 190, {}),
    5: ((168, 3, 55, 34, 2), 204, {}),
    6: ((160, 5, 51, 29, 0), 197, {}),
    7: ((149, 2, 47, 31, 1), 185, {}),
    8: ((102, 3, 33, 18, 0), 126, {}),
    9: ((171, 4, 58, 35, 2), 210, {}),
    10: ((165, 6, 53, 33, 1), 201, {}),
    11: ((174, 3, 56, 36, 1), 214, {}),
    12: ((181, 5, 62, 38, 2), 223, {}),
    1: ((139, 4, 44, 27, 1), 172, {}),
    2: ((158, 3, 50, 32, 0), 193, {}),
    3: ((177, 5, 57, 37, 2), 218, {}),
}
# April 2024, the first month of 2024年度: international calls nine times the usual. Only the
# months of 2023年度 beside it show that; on its own the year has no month before April to judge by.
ARCHIVE_SPIKE = {(2024, 4): ((152, 36, 48, 30, 1), 190, {})}
# How 2024年度 saves its months: mostly pasted text named by the month alone, a few other forms.
ARCHIVE_NAMES_2024 = {6: "2024-06.csv", 10: "10月.xlsx", 1: "2025年1月分.txt"}


def archive_files() -> None:
    """Two fiscal years, 2023年度 (2023-04 … 2024-03) and 2024年度 (2024-04 … 2025-03), each with
    its months and an invoices.csv that ties out; no recon.toml (年度 starts in April by default)."""
    for fiscal, salt in ((2023, 10), (2024, 11)):
        d = ARCHIVE_DIR / f"{fiscal}年度"
        rows = []
        for n in (*range(4, 13), *range(1, 4)):
            year = fiscal + (n < 4)
            calls = {n: ARCHIVE_SPIKE.get((year, n), ARCHIVE_CALLS[n])}
            m = generated(n, salt, year=year, calls=calls)
            name = ARCHIVE_NAMES_2024.get(n, f"{n}月.txt") if fiscal == 2024 else f"{n}月.txt"
            if name.endswith(".csv"):
                write(d / name, excel_csv(m, "cp932"))
            elif name.endswith(".xlsx"):
                xlsx(m, d / name)
            else:
                write(d / name, pasted(m, above=[], below=[]))
            rows.append([m.ym, yen(m.charge + m.discount), "税別", "0", f"{n % 12 + 1}月請求分"])
        buffer = io.StringIO()
        out = csv.writer(buffer, lineterminator="\r\n")
        out.writerow(["利用月", "請求額", "税区分", "基本料等", "備考"])
        out.writerows(rows)
        write(d / "invoices.csv", buffer.getvalue().encode("utf-8-sig"))


def signed_off_report() -> None:
    """The example year's report as the accountant left it after the May close: May's 330 yen
    variance explained (on the checks sheet and the summary) and signed off. Rebuilt by recon
    itself, so `recon build examples/2024` reproduces it byte for byte."""
    import openpyxl

    from recon import commands, labels

    _, path = commands.build(YEAR_DIR)
    book = openpyxl.load_workbook(path)
    summary, checks = book[labels.SHEETS["summary"][0]], book[labels.SHEETS["checks"][0]]
    _type(summary, "summary", {"month": "2024-05"}, {
        "explanation": "追加番号の基本料 330 円が 5 月分に先行計上 (OCN 回答 6/18)",
        "reviewer": "佐藤", "signed_on": dt.datetime(2024, 6, 20)})
    _type(checks, "checks", {"month": "2024-05", "check": labels.CHECKS["invoice"][0]}, {
        "explanation": "OCN に確認済み: 6 月開通の追加番号の基本料 330 円が 5 月分請求に含まれている"})
    book.save(path)
    commands.build(YEAR_DIR)


def _type(sheet, kind: str, where: dict[str, str], values: dict) -> None:
    """Type into the row whose cells match `where`, in the columns named by their headers."""
    from recon import labels

    column = {ja: i + 1 for i, (_, ja, _) in enumerate(labels.HEADERS[kind])}
    key = {k: ja for k, ja, _ in labels.HEADERS[kind]}
    for row in range(2, sheet.max_row + 1):
        if all(sheet.cell(row, column[key[k]]).value == v for k, v in where.items()):
            for k, v in values.items():
                sheet.cell(row, column[key[k]]).value = v
            return
    raise SystemExit(f"no row {where} on {sheet.title}")


def main() -> None:
    seed_files()
    year_files()
    company_files()
    archive_files()
    signed_off_report()


if __name__ == "__main__":
    main()
