"""The toll-fraud watch (SPEC §7): each rule fires on its pattern, and none on ordinary traffic."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from recon import fraud
from recon.cli import main
from recon.model import Call, CallMonth, Where
from recon.settings import CallSettings

RULE = CallSettings()
US, GB = "01012125550100", "0104420794600"
A, B, C = "05030000001", "05030000002", "05030000003"


def call(start: str, calling: str = A, called: str = US, tenths: int = 1800, sen: int = 9000,
         type_id: str = "international") -> Call:
    return Call(dt.datetime.fromisoformat(start), calling, called, type_id, tenths, sen, Where("calls.csv", line=2))


def month(*calls: Call, others: tuple = ()) -> CallMonth:
    """A month holding these watched calls (and domestic calls of `others`: (number, sen))."""
    by_number: dict[str, list[int]] = {}
    for c in calls:
        n = by_number.setdefault(c.calling, [0, 0, 0])
        n[0], n[1], n[2] = n[0] + 1, n[1] + c.tenths, n[2] + c.sen
    for number, sen in others:
        n = by_number.setdefault(number, [0, 0, 0])
        n[0], n[2] = n[0] + 1, n[2] + sen
    firsts = tuple((n, min((c.start for c in calls if c.calling == n), default=dt.datetime(2024, 3, 1)))
                   for n in sorted(by_number))
    return CallMonth(("calls.csv",), (), tuple((n, *v) for n, v in sorted(by_number.items())),
                     tuple(sorted(calls, key=lambda c: c.start)), firsts)


def business_month(ym: str = "2024-03", called: str = US) -> CallMonth:
    """Ordinary traffic: a few international calls a weekday in office hours from three numbers,
    durations all different, spread over the day."""
    calls = []
    day = dt.date.fromisoformat(ym + "-01")
    i = 0
    while day.strftime("%Y-%m") == ym:
        if day.weekday() < 5 and day not in fraud.japanese_holidays(day.year):
            for hour in (9, 11, 14, 17):
                i += 1
                calls.append(call(f"{day}T{hour:02d}:{(i * 7) % 60:02d}:00", (A, B, C)[i % 3], called,
                                  tenths=600 + i * 37 % 3000 + i, sen=4500 + i * 10))
        day += dt.timedelta(days=1)
    return month(*calls, others=((A, 300000), (B, 280000), (C, 310000)))


def test_ordinary_business_hours_traffic_raises_nothing():
    assert fraud.watch([("2024-02", business_month("2024-02")), ("2024-03", business_month("2024-03"))], RULE) == {}


@pytest.mark.parametrize("start, why", [
    ("2024-03-05T02:10:00", "night"), ("2024-03-05T20:00:00", "after hours"), ("2024-03-05T07:59:59", "before hours"),
    ("2024-03-09T11:00:00", "Saturday"), ("2024-03-10T11:00:00", "Sunday"), ("2024-03-20T11:00:00", "春分の日"),
    ("2024-05-06T11:00:00", "振替休日"), ("2024-12-30T11:00:00", "年末"), ("2025-01-02T11:00:00", "年始"),
])
def test_off_hours_international_calls_are_flagged(start, why):
    findings = fraud.off_hours((call("2024-03-05T10:00:00"), call(start)), RULE)
    assert [(f.rule, f.count, f.first_iso) for f in findings] == [("off_hours", 1, start)], why


def test_year_end_days_can_be_working_days():
    assert fraud.off_hours((call("2024-12-30T11:00:00"),), CallSettings(year_end=False)) == []


def test_business_hours_are_a_setting():
    assert fraud.off_hours((call("2024-03-05T21:00:00"),), CallSettings(business_end=22)) == []


def burst(n: int, minutes: float, calling: str = A) -> tuple[Call, ...]:
    start = dt.datetime(2024, 3, 5, 14, 0)
    step = dt.timedelta(minutes=minutes) / max(n - 1, 1)
    return tuple(call((start + step * i).isoformat(), calling, tenths=300 + i * 11) for i in range(n))


def test_a_burst_of_calls_from_one_number_is_one_finding():
    calls = burst(12, 9) + (call("2024-03-06T10:00:00"),)
    findings = fraud.bursts(calls, RULE)
    assert [(f.rule, f.count, f.charge, f.first_iso, f.numbers) for f in findings] == [
        ("burst", 12, 12 * 90, "2024-03-05T14:00:00", (A,))]
    assert findings[0].calls == calls[:12] and dict(findings[0].detail) == {"minutes": "9"}


def test_overlapping_windows_are_one_burst_that_says_how_long_it_lasted():
    calls = burst(30, 29)  # a call a minute for half an hour: every 10-minute window holds ten
    assert [(f.count, dict(f.detail)) for f in fraud.bursts(calls, RULE)] == [(30, {"minutes": "29"})]


@pytest.mark.parametrize("calls", [burst(9, 5), burst(10, 120), burst(5, 5, A) + burst(5, 5, B)],
                         ids=["nine calls", "ten over two hours", "five each from two numbers"])
def test_no_burst_below_the_threshold(calls):
    assert fraud.bursts(calls, RULE) == []


def test_repeated_identical_durations_from_one_number():
    same = tuple(call(f"2024-03-{d:02d}T10:00:00", tenths=590) for d in (4, 5, 6, 7, 8))
    findings = fraud.same_durations(same + (call("2024-03-11T10:00:00", tenths=600),), RULE)
    assert [(f.rule, f.count, dict(f.detail)) for f in findings] == [("same_duration", 5, {"duration": "0:00:59.0"})]


@pytest.mark.parametrize("calls", [
    tuple(call(f"2024-03-{d:02d}T10:00:00", tenths=590) for d in (4, 5, 6, 7)),
    tuple(call(f"2024-03-{d:02d}T10:00:00", calling=n, tenths=590) for d, n in zip((4, 5, 6, 7, 8), (A, B, C, A, B))),
], ids=["four", "five from three numbers"])
def test_no_same_duration_finding_below_the_threshold(calls):
    assert fraud.same_durations(calls, RULE) == []


def test_a_destination_country_never_called_before():
    before = month(call("2024-02-05T10:00:00"))
    now = month(call("2024-03-05T10:00:00"), call("2024-03-06T10:00:00", called=GB), call("2024-03-07T10:00:00", called=GB))
    found = fraud.watch([("2024-02", before), ("2024-03", now)], RULE)
    assert [(f.rule, f.count, dict(f.detail)) for f in found["2024-03"]] == [("new_destination", 2, {"country": "GB (+44)"})]


def test_the_first_month_of_records_is_not_judged_for_new_destinations():
    assert fraud.watch([("2024-03", month(call("2024-03-06T10:00:00", called=GB)))], RULE) == {}


@pytest.mark.parametrize("called, country", [
    ("01012125550100", "US (+1)"), ("0104420794600", "GB (+44)"), ("0108821234567", "+882"), ("010", "?"),
    ("01088612345678", "TW (+886)"),
])
def test_country_from_the_international_prefix(called, country):
    assert fraud.country(called) == country


def test_one_numbers_share_of_the_month():
    heavy = month(call("2024-03-05T10:00:00", calling=A, sen=500000), others=((B, 10000), (C, 10000)))
    findings = fraud.number_share(heavy, RULE)
    assert [(f.rule, f.numbers, f.charge, dict(f.detail)) for f in findings] == [
        ("number_share", (A,), 5000, {"share": "96"})]


def test_a_share_of_exactly_a_half_per_cent_is_rounded_up():
    # 5,000 yen of 8,000 (5,000 + 1,500 + 1,500) is 62.5 %: shown as 63, half up (to even would say 62)
    heavy = month(call("2024-03-05T10:00:00", calling=A, sen=500000), others=((B, 150000), (C, 150000)))
    assert [dict(f.detail) for f in fraud.number_share(heavy, RULE)] == [{"share": "63"}]


@pytest.mark.parametrize("calls", [
    month(call("2024-03-05T10:00:00", calling=A, sen=500000), others=((B, 10000),)),  # two numbers only
    month(call("2024-03-05T10:00:00", calling=A, sen=90000), others=((B, 1000), (C, 1000))),  # under 1,000 yen
    month(call("2024-03-05T10:00:00", calling=A, sen=40000), others=((B, 30000), (C, 30000))),  # 40 %
])
def test_no_share_finding_for_small_offices_small_sums_or_even_spread(calls):
    assert fraud.number_share(calls, RULE) == []


def test_a_planted_night_burst_reaches_the_month_and_the_json(tmp_path):
    folder = tmp_path / "2024"
    shutil.copytree(Path(__file__).parent / "data" / "calls" / "year" / "2024", folder)
    night = "".join(f"2024/03/16 02:{m // 2:02d}:{m % 2 * 30:02d},050-3000-0003,010-44-20-7946-0{m:03d},0:00:59,30,"
                    "国際通話\r\n" for m in range(12))  # a Saturday night: twelve calls in six minutes
    (folder / "night.csv").write_text("通話開始日時,利用番号,通話先電話番号,通話時間,通話料金,通話種別\r\n" + night,
                                      encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(folder), "--json"], catch_exceptions=False)
    march = json.loads(result.stdout)["months"][0]
    rules = {f["rule"]: f for f in march["findings"]}
    assert set(rules) == {"off_hours", "burst", "same_duration"}  # March is the first month: no new_destination
    assert rules["burst"] == {"rule": "burst", "calls": 12, "charge": 360, "first": "2024-03-16T02:00:00",
                              "numbers": ["05030000003"]}
    assert rules["off_hours"]["calls"] == 12 and rules["same_duration"]["calls"] == 12
    assert march["status"] == "variance"  # the table does not know these calls: calls_charge fails too
    assert any(m.startswith("possible toll fraud: 12 international/premium calls within 6 minutes") for m in
               march["messages"])


EXAMPLE = Path(__file__).resolve().parent.parent / "examples"


def test_the_example_records_tie_out_with_the_example_years_november_and_show_the_night_burst():
    from recon.pipeline import build
    from recon.settings import load

    assert (EXAMPLE / "calls" / "2024" / "2024-11.txt").read_bytes() == (EXAMPLE / "2024" / "2024-11.txt").read_bytes()
    november, = build(EXAMPLE / "calls" / "2024", load(None)).months
    assert all(c.ok for c in november.checks) and len([c for c in november.checks if c.check.startswith("calls_")]) == 15
    assert {f.rule: (f.count, f.numbers, f.first_iso) for f in november.findings if f.rule in ("burst", "off_hours")} == {
        "burst": (44, ("05055550107",), "2024-11-16T02:05:19"), "off_hours": (44, ("05055550107",), "2024-11-16T02:05:19")}
    assert november.status == "warning"


# --- a suspected toll fraud blocks the close (SPEC §4) ----------------------------------------------

def _calls_year(tmp_path: Path) -> Path:
    """The example year's November with its per-call records: the night burst, not yet looked at."""
    folder = tmp_path / "2024"
    shutil.copytree(EXAMPLE / "calls" / "2024", folder, ignore=shutil.ignore_patterns("recon-*.xlsx"))
    return folder


def _sign_november(folder: Path, **typed: str) -> None:
    """Type into November's row of the folder's report, as the accountant does in Excel."""
    import openpyxl

    from recon import labels

    path = folder / "recon-2024.xlsx"
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    column = {ja: cell.column for cell in ws[1] for key, ja, _ in labels.HEADERS["summary"] if cell.value == ja}
    words = {key: ja for key, ja, _ in labels.HEADERS["summary"]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, column[words["month"]]).value == "2024-11")
    for key, value in typed.items():
        ws.cell(row, column[words[key]]).value = value
    book.save(path)


def test_check_exits_1_on_an_unreviewed_toll_fraud_and_0_once_it_is_explained_and_signed_off(tmp_path):
    folder = _calls_year(tmp_path)
    run = lambda *args: CliRunner().invoke(main, ["check", str(folder), *args], catch_exceptions=False)
    first = run("--lang", "en")
    assert first.exit_code == 1  # a warning, but a suspected toll fraud: not closed unseen
    assert first.stdout.splitlines()[-1] == (
        "close: not done, the 1 month blocks it: 2024-11 suspected toll fraud (off-hours international/premium "
        "calls, burst of calls) not yet explained and signed off")
    assert run().stdout.splitlines()[-1] == (
        "締め: 未了。この1か月が締めを止めています: 2024-11 不正利用の疑い (時間外・休日の国際/高額通話、"
        "短時間の連続発信) の説明と確認がありません")
    assert CliRunner().invoke(main, ["build", str(folder), "-q"]).exit_code == 0
    _sign_november(folder, explanation="050-5555-0107 の ID を停止、OCN に調査依頼済み")
    assert run().exit_code == 1  # explained, not yet signed off
    _sign_november(folder, reviewer="佐藤", signed_on="2024-12-05")
    done = run("--lang", "en")
    assert done.exit_code == 0 and done.stdout.splitlines()[-1] == "close: done, the 1 month does not block it"
    assert run("--strict").exit_code == 0  # closed: it passes --strict too


def test_a_whole_process_check_answers_the_same(tmp_path):
    import subprocess
    import sys

    folder = _calls_year(tmp_path)
    check = lambda: subprocess.run([sys.executable, "-m", "recon", "check", str(folder), "-q"],
                                   capture_output=True, timeout=120, check=False)
    assert check().returncode == 1
    assert subprocess.run([sys.executable, "-m", "recon", "build", str(folder), "-q"], timeout=120, check=False).returncode == 0
    _sign_november(folder, explanation="調査済み: 不正利用。ID 停止", reviewer="佐藤", signed_on="2024-12-05")
    assert check().returncode == 0


@pytest.mark.parametrize("rule, blocks", [("off_hours", True), ("burst", True), ("same_duration", True),
                                          ("new_destination", False), ("number_share", False)])
def test_only_the_rules_that_suspect_toll_fraud_block_a_warning(rule, blocks):
    from recon import signoff
    from recon.model import Close, Finding, MonthResult, SignOff

    finding = Finding.of_calls(rule, (call("2024-03-09T02:00:00"),))
    month = MonthResult(account="", month="2024-03", status="warning", sources=(), rows=(), total=None,
                        stated_total=None, discount=None, expected_invoice=None, invoice=None, checks=(),
                        messages=(), findings=(finding,), close=Close("open", SignOff()))
    assert signoff.passes(month, strict=False) is not blocks
    closed = MonthResult(**{**{f: getattr(month, f) for f in month.__struct_fields__},
                            "close": Close("closed", SignOff("explained", "佐藤", "2024-04-05"))})
    assert signoff.passes(closed, strict=False) and signoff.passes(closed, strict=True)


def test_a_month_of_suspected_toll_fraud_says_so_where_its_status_is_shown(tmp_path):
    """Its status stays `warning` (SPEC §4's ids are fixed), but a person reads why it blocks the close:
    不正の疑い on the console's status column, the summary's status cell (in the colour of a month that
    blocks the close like a variance, not a warning's yellow) and the months' counts."""
    import openpyxl

    folder = _calls_year(tmp_path)

    def run(*args):
        return CliRunner().invoke(main, [*args], catch_exceptions=False)

    def november(lines: list[str]) -> str:
        return next(line for line in lines if line.startswith("2024-11"))

    japanese = run("build", str(folder)).stdout.splitlines()
    assert november(japanese).split()[:3] == ["2024-11", "不正の疑い", "未了"]
    assert "1か月: 不正の疑い 1" in japanese
    english = run("check", str(folder), "--lang", "en").stdout.splitlines()
    assert "Suspected fraud" in november(english)
    summary = openpyxl.load_workbook(folder / "recon-2024.xlsx").worksheets[0]
    (cell,) = [c for row in summary.iter_rows() for c in row if c.value == "不正の疑い"]
    assert cell.style == "recon_variance"
    document = json.loads(run("check", str(folder), "--json").stdout)
    assert document["months"][0]["status"] == "warning"  # the id a script reads does not change
    _sign_november(folder, explanation="050-5555-0107 の ID を停止", reviewer="佐藤", signed_on="2024-12-05")
    signed = run("check", str(folder)).stdout.splitlines()
    assert november(signed).split()[:3] == ["2024-11", "不正の疑い", "締め済"]  # still what it was; reviewed and closed


def test_the_journal_says_a_month_of_suspected_toll_fraud_is_left_out_as_such(tmp_path):
    """Not `締めていません (注意)`: the month's status id is a warning, but what keeps it out of the
    journal is the suspected toll fraud, in the words its status cell shows."""
    folder = _calls_year(tmp_path)
    run = CliRunner().invoke(main, ["journal", str(folder), "--format", "freee", "-o", str(tmp_path / "j.csv")],
                             catch_exceptions=False)
    assert "2024-11 仕訳から除外: 締めていません (不正の疑い)" in run.output
    english = CliRunner().invoke(main, ["journal", str(folder), "--format", "freee", "--lang", "en",
                                        "-o", str(tmp_path / "j.csv")], catch_exceptions=False)
    assert "not closed (Suspected fraud)" in english.output
