"""Write examples/calls/2024/: November 2024 of the example year with its per-call records.

    .venv/bin/python scripts/make_call_examples.py

The example year's November table (examples/2024/2024-11.txt, copied byte for byte) is the sum
of calls that scripts/make_examples.py draws one by one; this script draws the same calls with the
same generator, so the records tie out with the table to the call, the tenth and the yen. It then
gives each call a start, a calling number and a number called: office hours on working days for
most, and for 44 of the 48 international calls (the month's anomaly in examples/2024) a night
burst from one number on Saturday 16 November, to countries the office never calls, as stolen
050 credentials are used. Deterministic: the example generator's own LCG, no clock.
"""
from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR = ROOT / "examples" / "2024"
TARGET = ROOT / "examples" / "calls" / "2024"
MONTH = 11

# the office's numbers: (number, 部門, 名前); the last one is not in numbers.csv
NUMBERS = [("050-5555-0101", "総務部", "代表"), ("050-5555-0102", "総務部", "田中"),
           ("050-5555-0103", "営業部", "佐藤"), ("050-5555-0104", "営業部", "鈴木"),
           ("050-5555-0105", "営業部", "高橋"), ("050-5555-0106", "開発部", "伊藤"),
           ("050-5555-0107", "開発部", "渡辺"), ("050-5555-0108", "", "")]
STOLEN = "050-5555-0107"  # whose SIP credentials leaked
BURST_START = dt.datetime(2024, 11, 16, 2, 5, 0)  # a Saturday night
BUSINESS_ABROAD = ["010-1-212-555-{:04d}", "010-86-21-5555-{:04d}"]  # New York, Shanghai: customers
FRAUD_ABROAD = ["010-882-16-{:06d}", "010-53-7-{:06d}", "010-370-5-{:06d}"]  # satellite, Cuba, Lithuania
DOMESTIC = {"一般通話": "03-{:04d}-{:04d}", "携帯通話": "090-{:04d}-{:04d}", "IP通話": "050-{:04d}-{:04d}",
            "PHS通話": "070-{:04d}-{:04d}"}
HEADER = ["通話開始日時", "利用番号", "通話先電話番号", "通話時間", "通話料金", "通話種別"]


def _examples():
    spec = importlib.util.spec_from_file_location("make_examples", ROOT / "scripts" / "make_examples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def drawn(ex) -> list[tuple[str, int, int]]:
    """(type label, tenths, yen) of each of November's calls, drawn as make_examples.generated()
    draws them (same generator, same order); checked against the month it makes."""
    rng = ex.Rng(2024_00 + MONTH)
    counts, _, extra = ex.CALLS[MONTH]
    labels = ["一般通話", "国際通話", "携帯通話", "IP通話", "PHS通話", *extra]
    calls = []
    for label, count in zip(labels, [*counts, *extra.values()]):
        low, high, price = ex.RATES[label]
        for _ in range(count):
            tenths = rng.between(low, high)
            calls.append((label, tenths, price(tenths)))
    month = ex.generated(MONTH)
    sums = [(label, sum(1 for c in calls if c[0] == label), sum(c[1] for c in calls if c[0] == label),
             sum(c[2] for c in calls if c[0] == label)) for label in labels]
    assert sums == [tuple(r) for r in month.rows], "the draws no longer match make_examples.generated()"
    return calls


def working_days(ex) -> list[dt.date]:
    """November 2024's weekdays that are not public holidays (11/4 is 文化の日's 振替休日)."""
    day, days = dt.date(2024, MONTH, 1), []
    while day.month == MONTH:
        if day.weekday() < 5 and day != dt.date(2024, 11, 4):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def records(ex) -> list[list[str]]:
    rng = ex.Rng(2024_11_16)
    days = working_days(ex)
    rows = []
    international = 0
    for label, tenths, charge in drawn(ex):
        if label == "国際通話":
            international += 1
        if label == "国際通話" and international > 4:
            number = STOLEN
            start = BURST_START + dt.timedelta(seconds=48 * (international - 5) + rng.between(0, 20))
            called = FRAUD_ABROAD[international % 3].format(rng.between(0, 999999))
        else:
            number = NUMBERS[rng.between(0, len(NUMBERS) - 1)][0]
            day = days[rng.between(0, len(days) - 1)]
            start = dt.datetime.combine(day, dt.time(9)) + dt.timedelta(seconds=rng.between(0, 8 * 3600))
            pattern = BUSINESS_ABROAD[international % 2] if label == "国際通話" else DOMESTIC[label]
            called = pattern.format(rng.between(0, 9999), rng.between(0, 9999)) if "{:04d}-{:04d}" in pattern \
                else pattern.format(rng.between(0, 9999))
        rows.append([start, number, called, ex.hms(tenths), str(charge), label])
    rows.sort(key=lambda r: (r[0], r[1]))
    return [[f"{r[0]:%Y/%m/%d %H:%M:%S}", *r[1:]] for r in rows]


def main() -> None:
    ex = _examples()
    TARGET.mkdir(parents=True, exist_ok=True)
    ex.write(TARGET / "2024-11.txt", (YEAR / "2024-11.txt").read_bytes())
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow(HEADER)
    out.writerows(records(ex))
    ex.write(TARGET / "通話明細_2024-11.csv", buffer.getvalue().encode("utf-8-sig"))  # Excel's CSV UTF-8
    numbers = "番号,部門,名前\r\n" + "".join(f"{n},{d},{name}\r\n" for n, d, name in NUMBERS if d)
    ex.write(TARGET / "numbers.csv", numbers.encode("utf-8-sig"))
    november = next(line for line in (YEAR / "invoices.csv").read_text(encoding="utf-8-sig").splitlines()
                    if line.startswith(f"2024年{MONTH}月"))
    ex.write(TARGET / "invoices.csv", ("利用月,請求額,税区分,基本料等,備考\r\n" + november + "\r\n").encode("utf-8-sig"))


if __name__ == "__main__":
    main()
