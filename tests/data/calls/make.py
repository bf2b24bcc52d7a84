"""Write the per-call records of tests/test_calls.py (run once; the outputs are committed beside it).

    .venv/bin/python tests/data/calls/make.py

Eight calls of March 2024 from three 050 numbers, written in every header form and encoding of
SPEC §7 (forms/), a year folder whose detail table ties out with them (year/2024/), and a file with
one malformed row (bad/). Deterministic: no clock, no random module, fixed .xlsx times.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (start, calling, called, tenths, charge as written): 一般 8 yen per 3 min, 携帯 16 yen per min,
# IP free, 国際 15 yen per 30 s, ナビダイヤル 10 yen per 20 s; two 一般 calls priced to the half yen.
CALLS = [
    (dt.datetime(2024, 3, 4, 9, 15, 0), "050-3000-0001", "03-5555-1234", 1250, "8"),
    (dt.datetime(2024, 3, 4, 10, 30, 10), "050-3000-0002", "090-1234-5678", 900, "32"),
    (dt.datetime(2024, 3, 5, 11, 0, 0), "050-3000-0002", "06-6666-7777", 3005, "15.5"),
    (dt.datetime(2024, 3, 5, 14, 20, 0), "050-3000-0001", "050-1111-2222", 6000, "0"),
    (dt.datetime(2024, 3, 6, 15, 0, 0), "050-3000-0002", "010-1-212-555-0100", 1800, "90"),
    (dt.datetime(2024, 3, 7, 16, 45, 30), "050-3000-0003", "080-9999-0000", 450, "16"),
    (dt.datetime(2024, 3, 8, 13, 10, 0), "050-3000-0001", "0570-000-123", 800, "40"),
    (dt.datetime(2024, 3, 11, 9, 5, 0), "050-3000-0002", "044-222-3333", 590, "8.50"),
]
TYPES = ["一般通話", "携帯通話", "一般通話", "IP通話", "国際通話", "携帯通話", "ナビダイヤル", "一般通話"]
# April's first days: records without a detail table for their month
APRIL = [(dt.datetime(2024, 4, 1, 10, 0, 0), "050-3000-0001", "03-5555-1234", 600, "8")]


def hms(tenths: int) -> str:
    s, t = divmod(tenths, 10)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" + (f".{t}" if t else "")


def seconds(tenths: int) -> str:
    return f"{tenths // 10}" + (f".{tenths % 10}" if tenths % 10 else "")


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str, delimiter: str = ",",
              above: list[str] = ()) -> None:
    buffer = io.StringIO(newline="")
    for line in above:
        buffer.write(line + "\r\n")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((codecs.BOM_UTF16_LE if encoding == "utf-16-le" else b"") + data)


def carrier_rows(calls, types=None):
    return [[f"{c[0]:%Y/%m/%d %H:%M:%S}", c[1], c[2], hms(c[3]), c[4]] + ([types[i]] if types else [])
            for i, c in enumerate(calls)]


def forms() -> None:
    folder = HERE / "forms"
    # the carrier's 通話明細 download: one start column, a type column, Excel's UTF-8 CSV
    write_csv(folder / "carrier_utf8.csv", ["通話開始日時", "利用番号", "通話先電話番号", "通話時間", "通話料金", "通話種別"],
              carrier_rows(CALLS, TYPES), "utf-8", above=["050IP電話 通話明細", "ご利用月 2024年3月", ""])
    # a PBX's log: date and time apart, seconds, no type (types from the number called), CP932
    write_csv(folder / "pbx_cp932.csv", ["日付", "開始時刻", "内線番号", "相手先番号", "通話時間(秒)", "料金(円)"],
              [[f"{c[0]:%Y/%m/%d}", f"{c[0]:%H:%M:%S}", c[1], c[2], seconds(c[3]), c[4]] for c in CALLS], "cp932")
    # Excel's 「Unicode テキスト」: UTF-16 LE with BOM, tabs; a router's words
    write_csv(folder / "router_utf16.txt", ["通話日", "通話開始時間", "発信番号", "着信番号", "通話時間", "金額"],
              [[f"{c[0]:%Y-%m-%d}", f"{c[0]:%H:%M:%S}", c[1], c[2], hms(c[3]), c[4]] for c in CALLS], "utf-16-le",
              delimiter="\t")
    # a cloud PBX in English, UTF-8 with BOM, ISO starts, +81 numbers, yen sign
    write_csv(folder / "english_bom.csv", ["Start Time", "From", "To", "Duration (s)", "Charge", "Type"],
              [[c[0].isoformat(), "+81" + c[1][1:], c[2] if c[2].startswith("010") else "+81 " + c[2][1:],
                seconds(c[3]), "¥" + c[4], t] for c, t in zip(CALLS, ["General", "Mobile", "General", "IP",
                                                                       "International", "Mobile", "ナビダイヤル",
                                                                       "General"])], "utf-8-sig")
    # pasted with full-width digits in places (a person typed them over)
    rows = carrier_rows(CALLS)
    rows[2][3] = "０：０５：００．５"
    rows[5][4] = "１６円"
    write_csv(folder / "fullwidth.tsv", ["通話開始日時", "自番号", "架電した番号", "通話時間", "見積額(円)"], rows, "utf-8",
              delimiter="\t")
    xlsx(folder / "calls.xlsx")


def xlsx(path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "通話明細"
    sheet.append(["2024年3月 通話明細"])
    sheet.append(["通話開始日時", "自番号", "架電した番号", "通話時間", "見積額(円)"])
    for start, calling, called, tenths, charge in CALLS:
        sheet.append([start, calling, called, dt.timedelta(seconds=tenths / 10), float(charge)])
        sheet.cell(sheet.max_row, 1).number_format = "yyyy/mm/dd hh:mm:ss"
        sheet.cell(sheet.max_row, 4).number_format = "[h]:mm:ss.0"
    book.properties.created = book.properties.modified = dt.datetime(2024, 4, 1)
    book.properties.creator = book.properties.lastModifiedBy = "経理部"
    from recon.report.workbook import save  # fixed zip times, as recon saves its reports

    save(book, path)


def table(calls, types) -> str:
    """The detail table the records add up to (as pasted from the page, 合計 shifted right)."""
    sums: dict[str, list] = {label: [0, 0, 0] for label in ("一般通話", "国際通話", "携帯通話", "IP通話", "PHS通話")}
    for call, label in zip(calls, types):
        total = sums.setdefault(label, [0, 0, 0])
        total[0] += 1
        total[1] += call[3]
        total[2] += int(Decimal(call[4]) * 100)
    lines = ["O50IP電話", "明細\t通話種別\t通話数\t通話時間 (時:分:秒)\t通話料金 (円・税別)"]
    for i, (label, (count, tenths, sen)) in enumerate(sums.items()):
        lines.append(f"{'通話' if i == 0 else ''}\t{label}\t{count}\t{hms(tenths)}\t{sen // 100:,}")
    count, tenths = sum(s[0] for s in sums.values()), sum(s[1] for s in sums.values())
    lines.append(f"\t合計\t\t{count}\t{hms(tenths)}")
    return "\n".join(lines) + "\n"


def year() -> None:
    folder = HERE / "year" / "2024"
    write_csv(folder / "通話明細_2024.csv", ["通話開始日時", "利用番号", "通話先電話番号", "通話時間", "通話料金", "通話種別"],
              carrier_rows(CALLS + APRIL, TYPES + ["一般通話"]), "utf-8")
    (folder / "2024-03.txt").write_text(table(CALLS, TYPES), encoding="utf-8")
    (folder / "invoices.csv").write_text("利用月,請求額\n2024-03,210\n", encoding="utf-8")
    (folder / "numbers.csv").write_text("番号,部門,名前\n050-3000-0001,総務部,山田\n050-3000-0002,営業部,佐藤\n",
                                        encoding="utf-8")


def bad() -> None:
    rows = carrier_rows(CALLS[:4])
    rows[1][3] = "約2分"  # line 4 (a title line, the header, then the calls): no duration
    write_csv(HERE / "bad" / "2024-03_calls.csv", ["通話開始日時", "利用番号", "通話先電話番号", "通話時間", "通話料金"],
              rows, "utf-8", above=["通話明細"])


if __name__ == "__main__":
    forms()
    year()
    bad()
