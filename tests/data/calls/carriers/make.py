"""Write the carriers' and applications' call records of tests/test_calls.py (run once; the outputs
are committed beside it; README.md says what each form is based on).

    .venv/bin/python tests/data/calls/carriers/make.py

Eleven calls of January 2024 (Japan time) from three 050 numbers, each folder one form a carrier
or an application writes them in, with the detail table they add up to as that form writes them.
It imports nothing of recon: the files are written as the published descriptions say, and the
tables are summed here. Deterministic: no clock, no random module.

The calls are made so that a misreading shows: one falls on 2024-01-01 00:30 Japan time, which is
2023-12-31 in UTC; the international and premium-rate ones are in business hours in Japan time
and outside them in UTC (read as Japan time they would be flagged as toll fraud); the
international charges add up to 1,090.9 yen, which the table states as 1,090.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
UTC = dt.timedelta(hours=9)  # Japan time − UTC

# (start in Japan time, calling, called, seconds, charge in yen as an exact decimal, OCN's type)
CALLS = [
    (dt.datetime(2024, 1, 1, 0, 30), "050-3000-0001", "03-5555-1234", 180, "8", "一般通話"),
    (dt.datetime(2024, 1, 4, 10, 0), "050-3000-0002", "090-1234-5678", 90, "32", "携帯通話"),
    (dt.datetime(2024, 1, 5, 11, 0), "050-3000-0002", "06-6666-7777", 300, "15.5", "一般通話"),
    (dt.datetime(2024, 1, 9, 14, 20), "050-3000-0001", "050-1111-2222", 600, "0", "IP通話"),
    (dt.datetime(2024, 1, 10, 15, 0), "050-3000-0002", "010-1-212-555-0100", 800, "400.5", "国際通話"),
    (dt.datetime(2024, 1, 11, 16, 45, 30), "050-3000-0003", "080-9999-0000", 45, "16", "携帯通話"),
    (dt.datetime(2024, 1, 12, 13, 10), "050-3000-0001", "0570-000-123", 80, "40", "ナビダイヤル"),
    (dt.datetime(2024, 1, 15, 9, 5), "050-3000-0002", "044-222-3333", 59, "8.5", "一般通話"),
    (dt.datetime(2024, 1, 22, 10, 30), "050-3000-0003", "010-44-20-7946-0000", 780, "390.3", "国際通話"),
    (dt.datetime(2024, 1, 23, 11, 15), "050-3000-0001", "010-86-21-5555-0000", 600, "300.1", "国際通話"),
    (dt.datetime(2024, 1, 31, 18, 30), "050-3000-0001", "03-5555-1234", 120, "8", "一般通話"),
]
# calls to the company's numbers (only a log with a direction column holds them)
INCOMING = [
    (dt.datetime(2024, 1, 10, 11, 0), "03-3333-4444", "050-3000-0002", 300),
    (dt.datetime(2024, 1, 16, 9, 30), "090-8888-7777", "050-3000-0001", 125),
]
SHORT = {"一般通話": "一般", "携帯通話": "携帯", "国際通話": "国際", "IP通話": "IP", "ナビダイヤル": "ナビダイヤル"}
AREAS = {"03": "東京", "06": "大阪", "044": "川崎", "090": "携帯", "080": "携帯", "050": "IP電話", "010-1": "米国",
         "010-44": "英国", "010-86": "中国", "0570": "ナビダイヤル"}


def hms(seconds: int, tenth: bool = False) -> str:
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" + (".0" if tenth else "")


def e164(number: str) -> str:
    """A number as dialled from Japan → E.164 (+81 3 …, +1 212 …), as Twilio writes it."""
    digits = number.replace("-", "")
    return "+" + digits[3:] if digits.startswith("010") else "+81" + digits[1:]


def area(number: str) -> str:
    return next(name for prefix, name in sorted(AREAS.items(), key=lambda p: -len(p[0])) if number.startswith(prefix))


def rfc2822(moment: dt.datetime) -> str:
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return f"{days[moment.weekday()]}, {moment.day:02d} {months[moment.month - 1]} {moment:%Y %H:%M:%S} +0000"


def yen_sign(charge: Decimal) -> str:
    """`\\1,234.5` as a Shift_JIS statement writes a charge (0x5C is its yen sign)."""
    whole, _, fraction = f"{charge:,}".partition(".")
    return "\\" + whole + (f".{fraction.rstrip('0')}" if fraction.rstrip("0") else "")


def csv_text(header: list[str] | None, rows: list[list[str]], above: tuple[str, ...] = (), delimiter: str = ",",
             header_end: str = "") -> str:
    buffer = io.StringIO(newline="")
    for line in above:
        buffer.write(line + "\r\n")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if header is not None:
        buffer.write(delimiter.join(header) + header_end + "\r\n")
    writer.writerows(rows)
    return buffer.getvalue()


def table(calls: list[tuple[str, int, Decimal]]) -> str:
    """OCN's detail table of (type, seconds, charge) calls, as the page is pasted: charges in whole
    yen, cut down (a difference under a yen is rounding); 合計 shifted one column right."""
    sums: dict[str, list] = {label: [0, 0, Decimal(0)] for label in ("一般通話", "国際通話", "携帯通話", "IP通話",
                                                                        "PHS通話")}
    for label, seconds, charge in calls:
        total = sums.setdefault(label, [0, 0, Decimal(0)])
        total[0] += 1
        total[1] += seconds
        total[2] += charge
    lines = ["O50IP電話", "明細\t通話種別\t通話数\t通話時間 (時:分:秒)\t通話料金 (円・税別)"]
    for i, (label, (count, seconds, charge)) in enumerate(sums.items()):
        lines.append(f"{'通話' if i == 0 else ''}\t{label}\t{count}\t{hms(seconds, True)}\t{int(charge):,}")
    count, seconds = sum(s[0] for s in sums.values()), sum(s[1] for s in sums.values())
    lines.append(f"\t合計\t\t{count}\t{hms(seconds, True)}")
    return "\n".join(lines) + "\n"


def folder(name: str, records: str, text: str, encoding: str, calls: list, settings: str | None = None) -> None:
    year = HERE / name / "2024"
    year.mkdir(parents=True, exist_ok=True)
    (year / records).write_bytes((codecs.BOM_UTF8 if encoding == "utf-8-sig" else b"")
                                 + text.encode("utf-8" if encoding == "utf-8-sig" else encoding))
    (year / "2024-01.txt").write_text(table(calls), encoding="utf-8")
    if settings:
        (year / "recon.toml").write_text(settings, encoding="utf-8")


def every(charges=lambda c: Decimal(c)) -> list[tuple[str, int, Decimal]]:
    return [(call[5], call[3], charges(call[4])) for call in CALLS]


def ntt_com() -> None:
    """NTT Com's 通話明細 CSV: calls grouped by number, each group closed by a 電話番号計 line, the
    file by 組織計 and 合計 lines; the number in brackets, dates without a year, charges \\1,234."""
    header = ["組織名", "ご利用電話番号", "呼種別", "通話日", "通話開始時刻", "相手先番号", "地域名", "通話時間", "通話料",
              "案内番号(104)通話回数"]
    rows = []
    for number in sorted({c[1] for c in CALLS}):
        own = sorted((c for c in CALLS if c[1] == number), key=lambda c: c[0])
        bracketed = f"({number[:3]}){number[4:]}"
        for start, _, called, seconds, charge, label in own:
            rows.append(["株式会社サンプル", bracketed, SHORT[label], f"{start:%m/%d}", f"{start:%H:%M:%S}", called,
                         area(called), hms(seconds), yen_sign(Decimal(charge)), "0"])
        rows.append(["", "電話番号計", "", "", "", "", "", hms(sum(c[3] for c in own)),
                     yen_sign(sum(Decimal(c[4]) for c in own)), "0"])
    total = [hms(sum(c[3] for c in CALLS)), yen_sign(sum(Decimal(c[4]) for c in CALLS)), "0"]
    rows.append(["組織計", "", "", "", "", "", ""] + total)
    rows.append(["合計", "", "", "", "", "", ""] + total)
    folder("ntt-com", "通話明細_202401.csv", csv_text(header, rows), "cp932", every())


def ntt_date_time() -> None:
    """The statement form with the date in 通話開始日時 beside 通話開始時刻: 着信電話番号 masked
    (the last four digits ****), 呼種別 said only for ナビダイヤル, 通話料 as numeric(16,5)."""
    header = ["ご利用電話番号", "通話開始日時", "通話開始時刻", "着信電話番号", "地域名", "通話時間", "内線区分", "呼種別",
              "通話料", "案内番号(104)通話回数"]
    rows = []
    for start, calling, called, seconds, charge, label in CALLS:
        masked = called if called.startswith("010") else called[:-4] + "****"
        rows.append([calling.replace("-", ""), f"{start:%Y/%m/%d}", f"{start:%H:%M:%S}", masked, area(called),
                     hms(seconds).rjust(8, "0"), "外線", "ナビダイヤル" if label == "ナビダイヤル" else "",
                     f"{Decimal(charge):.5f}", "0"])
    folder("ntt-date-time", "通話明細_2024年1月分.csv", csv_text(header, rows), "cp932", every())


def iijmio(excel: bool = False) -> None:
    """IIJmio's 通話明細 CSV (Shift_JIS): a header one field shorter than its rows, which end with a
    comma; 通話年月日 YYYYMMDD beside 通話開始時刻; charges in whole yen (cut down here). Saved
    again by Excel (`excel`): numbers lose their leading 0 and the time its tenth."""
    header = ["お客様の電話番号", "通話先電話番号", "通話年月日", "通話開始時刻", "通話時間", "料金", "通話の種類",
              "ファミリー通話割引"]
    rows = []
    for start, calling, called, seconds, charge, _ in CALLS:
        calling, called = calling.replace("-", ""), called.replace("-", "")
        if excel:
            calling, called = calling.lstrip("0"), called.lstrip("0")
        rows.append([calling, called, f"{start:%Y%m%d}", f"{start:%H:%M:%S}",
                     hms(seconds) if excel else f"{hms(seconds).rjust(8, '0')}.0", str(int(Decimal(charge))), "",
                     "-", ""])
    name = "iijmio-excel" if excel else "iijmio"
    folder(name, "通話明細_202401.csv", csv_text(header, rows), "cp932", every(lambda c: Decimal(int(Decimal(c)))))


def twilio() -> None:
    """Twilio's call log: the Call resource's fields a column each; starts in UTC as RFC 2822;
    numbers E.164; Direction; Price negative (a debit) in the account's currency, JPY; calls to
    the company's numbers (inbound) and an attempt never answered (no price) among them."""
    header = ["Sid", "StartTime", "EndTime", "Duration", "From", "To", "Direction", "Status", "Price", "PriceUnit"]
    rows = []
    log = [(c[0], e164(c[1]), e164(c[2]), c[3], f"-{Decimal(c[4]):.3f}", "outbound-dial", "completed") for c in CALLS]
    log += [(start, e164(calling), e164(called), seconds, "-0.000", "inbound", "completed")
            for start, calling, called, seconds in INCOMING]
    log.append((dt.datetime(2024, 1, 17, 10, 0), e164("050-3000-0003"), e164("03-5555-1234"), 0, "", "outbound-dial",
                "no-answer"))
    for i, (start, calling, called, seconds, price, direction, status) in enumerate(sorted(log)):
        utc = start - UTC
        rows.append([f"CA{i:032x}", rfc2822(utc), rfc2822(utc + dt.timedelta(seconds=seconds)), str(seconds), calling,
                     called, direction, status, price, "JPY"])
    folder("twilio", "calls_2024-01.csv", csv_text(header, rows), "utf-8", every())


def cloud_pbx(zone_said: bool) -> None:
    """A cloud PBX's call log in English, UTF-8 with BOM: start_time in UTC (ISO 8601 with Z when
    `zone_said`, else without, which `[calls] timezone = "UTC"` tells), from, to, direction,
    duration_sec, cost to the tenth of a yen; incoming calls among them."""
    header = ["start_time", "from", "to", "direction", "duration_sec", "cost"]
    log = [(c[0], c[1], c[2], "outbound", c[3], c[4]) for c in CALLS]
    log += [(start, calling, called, "inbound", seconds, "0") for start, calling, called, seconds in INCOMING]
    rows = [[f"{start - UTC:%Y-%m-%dT%H:%M:%S}" + ("Z" if zone_said else ""), calling, called, direction, str(seconds),
             charge] for start, calling, called, direction, seconds, charge in sorted(log)]
    if zone_said:
        folder("cloud-pbx-utc", "call_log_2024-01.csv", csv_text(header, rows), "utf-8-sig", every())
    else:
        rows = [[row[0].replace("T", " ")] + row[1:] for row in rows]
        folder("cloud-pbx-utc-unsaid", "call_log_2024-01.csv", csv_text(header, rows), "utf-8-sig", every(),
               "[calls]\ntimezone = \"UTC\"  # the PBX logs UTC without saying so\n")


def router() -> None:
    """A home-gateway router's 通話ログ (ひかり電話): times, numbers and 発着信種別, no charge. recon
    cannot tie it out: an error at its header line, not a file passed over."""
    header = ["表示番号", "発着信日時", "通話開始日時", "通話切断日時", "装置内電話番号", "発着信種別", "内線番号", "相手先電話番号"]
    rows = [[str(i + 1), f"{c[0]:%Y/%m/%d %H:%M:%S}", f"{c[0]:%Y/%m/%d %H:%M:%S}",
             f"{c[0] + dt.timedelta(seconds=c[3]):%Y/%m/%d %H:%M:%S}", c[1], "外線発信", "1", c[2]]
            for i, c in enumerate(CALLS)]
    folder("router-log", "通話ログ_202401.csv", csv_text(header, rows), "cp932", every())


if __name__ == "__main__":
    ntt_com()
    ntt_date_time()
    iijmio()
    iijmio(excel=True)
    twilio()
    cloud_pbx(zone_said=True)
    cloud_pbx(zone_said=False)
    router()
