"""Per-call records (SPEC §7): every header form and encoding, values by shape, types from prefixes,
exact sums, the tie-out against the detail table, cost by number and department, located errors."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from recon import calls, readers
from recon.costs import department_costs
from recon.model import Duration
from recon.months import FiscalYear
from recon.pipeline import build
from recon.settings import load

DATA = Path(__file__).parent / "data" / "calls"
FORMS = sorted((DATA / "forms").iterdir())
YEAR = DATA / "year" / "2024"
SETTINGS = load(None)

# The eight March calls of tests/data/calls/make.py, summed: (type, calls, tenths, sen)
MARCH = (("general", 3, 4845, 3200), ("international", 1, 1800, 9000), ("ip", 1, 6000, 0),
         ("mobile", 2, 1350, 4800), ("other:ナビダイヤル", 1, 800, 4000))
BY_NUMBER = (("05030000001", 3, 8050, 4800), ("05030000002", 4, 6295, 14600), ("05030000003", 1, 450, 1600))


def read(path: Path) -> calls.Records:
    if path.suffix == ".xlsx":
        grid = readers.read(path.read_bytes(), path.name, path.suffix)[0][0]
        return calls.read_grid(grid, path.name, calls.find_in_grid(grid))
    return calls.read_text(path, path.name, calls.sniff(path, path.name))


@pytest.mark.parametrize("path", [p for p in FORMS if p.suffix != ".py"], ids=lambda p: p.name)
def test_every_header_form_and_encoding_reads_to_the_same_sums(path):
    month = read(path).months["2024-03"]
    assert month.by_type == MARCH
    assert month.by_number == BY_NUMBER
    assert [c.called for c in month.watched] == ["01012125550100", "0570000123"]


@pytest.mark.parametrize("name, encoding", [("carrier_utf8.csv", "utf-8"), ("pbx_cp932.csv", "cp932"),
                                            ("router_utf16.txt", "utf-16-le"), ("english_bom.csv", "utf-8-bom")])
def test_the_encoding_is_recognised_and_reported(name, encoding):
    assert read(DATA / "forms" / name).encoding == encoding


@pytest.mark.parametrize("header, expected", [
    (["通話開始日時", "利用番号", "通話先電話番号", "通話時間", "通話料金", "通話種別"],
     {"start": 0, "calling": 1, "called": 2, "duration": 3, "charge": 4, "type": 5}),
    (["日付", "開始時刻", "内線番号", "相手先番号", "通話時間(秒)", "料金(円)"],
     {"date": 0, "time": 1, "calling": 2, "called": 3, "duration": 4, "charge": 5}),
    (["通話日", "通話開始時間", "通話終了時間", "発信元番号", "着信番号", "通話時間", "金額"],
     {"date": 0, "time": 1, "calling": 3, "called": 4, "duration": 5, "charge": 6}),
    (["通話開始時間", "自番号", "架電した番号", "通話時間", "見積額(円)"],
     {"time": 0, "calling": 1, "called": 2, "duration": 3, "charge": 4}),
    (["Start Time", "From", "To", "Duration (s)", "Charge", "Type"],
     {"start": 0, "calling": 1, "called": 2, "duration": 3, "charge": 4, "type": 5}),
])
def test_header_words_find_the_columns(header, expected):
    assert calls.find_columns(header).index == expected


@pytest.mark.parametrize("header", [
    ["明細", "通話種別", "通話数", "通話時間 (時:分:秒)", "通話料金 (円・税別)"],  # the monthly detail table
    ["利用月", "請求額", "税区分"],
    ["通話開始日時", "相手先番号", "通話時間"],  # no charge
])
def test_a_detail_table_or_invoice_header_is_not_call_records(header):
    assert calls.find_columns(header) is None


def test_seconds_header_is_recognised():
    assert calls.find_columns(["日付", "開始時刻", "相手先番号", "通話時間(秒)", "料金(円)"]).seconds
    assert not calls.find_columns(["日付", "開始時刻", "相手先番号", "通話時間", "料金(円)"]).seconds


@pytest.mark.parametrize("written, tenths", [
    ("0:02:05", 1250), ("0:00:30.5", 305), ("1:02:03.4", 37234), ("2:05", 1250), ("125", 1250),
    ("125.5", 1255), ("30.50", 305), ("２分５秒", 1250), ("０：０２：０５", 1250), (Duration(1250), 1250),
    (125, 1250), (Decimal("30.5"), 305), ("約2分", None), ("0:61:00", None), ("-5", None), ("", None),
])
def test_durations_by_shape(written, tenths):
    assert calls.parse_duration(written) == tenths


@pytest.mark.parametrize("written, sen", [
    ("8", 800), ("15.5", 1550), ("8.50", 850), ("0.05", 5), ("1,234", 123400), ("¥8", 800), ("8円", 800),
    ("-16", -1600), ("▲16", -1600), (Decimal("15.5"), 1550), (8, 800), ("8.125", None), ("八円", None),
])
def test_charges_are_exact_hundredths_of_a_yen(written, sen):
    assert calls.parse_sen(written) == sen


@pytest.mark.parametrize("written, start", [
    ("2024/3/4 9:15:00", dt.datetime(2024, 3, 4, 9, 15)), ("2024-03-04T09:15:00+09:00", dt.datetime(2024, 3, 4, 9, 15)),
    ("2024/03/04 09:15", dt.datetime(2024, 3, 4, 9, 15)), ("2024年3月4日 9時15分", dt.datetime(2024, 3, 4, 9, 15)),
    ("2024/02/30 09:15", None), ("昨日", None),
])
def test_starts_by_shape(written, start):
    assert calls.parse_start(written) == start


def test_a_date_beside_a_time_makes_the_start():
    assert calls.parse_start("2024/03/04", "9:15:30") == dt.datetime(2024, 3, 4, 9, 15, 30)
    assert calls.parse_start(dt.date(2024, 3, 4), Duration(333000)) == dt.datetime(2024, 3, 4, 9, 15)


@pytest.mark.parametrize("called, type_id", [
    ("0101212555010", "international"), ("09012345678", "mobile"), ("08012345678", "mobile"),
    ("07012345678", "mobile"), ("05011112222", "ip"), ("0312345678", "general"), ("0662345678", "general"),
    ("0570000123", "other:ナビダイヤル"), ("0120123456", "other:フリーダイヤル"), ("0990123456", "other:ダイヤルQ2"),
    ("0201234567", "other:020"), ("117", "other:117"), ("", "other:?"),
])
def test_types_from_the_number_called(called, type_id):
    assert calls.type_from_number(called) == type_id


@pytest.mark.parametrize("written, digits", [
    ("03-5555-1234", "0355551234"), ("+81 3-5555-1234", "0355551234"), ("+1 212 555 0100", "01012125550100"),
    ("(03)5555-1234", "0355551234"), ("０３５５５５１２３４", "0355551234"),
])
def test_numbers_are_digits_as_dialled_from_japan(written, digits):
    assert calls.number_digits(written) == digits


@pytest.mark.parametrize("label, type_id", [("国際通話", "international"), ("国際", "international"),
                                            ("International", "international"), ("携帯", "mobile"),
                                            ("ナビダイヤル", "other:ナビダイヤル"), ("", None)])
def test_type_column_words(label, type_id):
    assert calls.type_from_label(label) == type_id


def test_records_spanning_months_are_split_by_the_start(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text("通話開始日時,相手先番号,通話時間,通話料金\n2024/01/31 23:59:59,0312345678,0:03:00,8\n"
                    "2024/02/01 00:00:00,0312345678,0:03:00.5,16\n", encoding="utf-8")
    months = read(path).months
    assert {m: c.by_type for m, c in months.items()} == {"2024-01": (("general", 1, 1800, 800),),
                                                         "2024-02": (("general", 1, 1805, 1600),)}


def test_a_malformed_row_is_an_error_at_its_line():
    report = build(DATA / "bad", SETTINGS)
    record = next(f for f in report.files if f.path == "2024-03_calls.csv")
    assert record.status == "error"
    from recon.labels import render
    assert render(record.message, "en") == ("2024-03_calls.csv:4: expected a call duration such as 0:02:05 "
                                            "(or 125 seconds), found '約2分'")


def test_a_blank_line_does_not_shift_the_lines_after_it(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text("通話開始日時,相手先番号,通話時間,通話料金\n2024/01/05 10:00:00,0101234567,0:03:00,90\n\n"
                    "2024/01/05 11:00:00,0101234567,0:03:00,90\n2024/01/05 12:00:00,0101234567,0:03:00,x\n",
                    encoding="utf-8")
    month = None
    with pytest.raises(calls.ReconError) as error:
        month = read(path)
    assert str(error.value.where) == "calls.csv:5" and month is None
    path.write_text(path.read_text(encoding="utf-8").replace(",x", ",90"), encoding="utf-8")
    assert [c.where.line for c in read(path).months["2024-01"].watched] == [2, 4, 5]



# --------------------------------------------------------------------------- the tie-out


def month(report, ym):
    return next(m for m in report.months if m.month == ym)


def test_records_that_add_up_to_the_table_tie_out():
    march = month(build(YEAR, SETTINGS), "2024-03")
    call_checks = [c for c in march.checks if c.check.startswith("calls_")]
    assert len(call_checks) == 3 * 6  # three checks for each of the table's six types
    assert all(c.ok for c in call_checks)
    assert {(c.type_id, c.check): c.stated for c in call_checks}[("general", "calls_charge")] == 32
    assert march.status == "warning"  # ナビダイヤル is an unknown type of the table, nothing else


def planted(tmp_path, old: str, new: str) -> Path:
    folder = tmp_path / "2024"
    shutil.copytree(YEAR, folder)
    table = folder / "2024-03.txt"
    text = table.read_text(encoding="utf-8")
    assert old in text
    table.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def test_a_charge_difference_is_a_variance_naming_type_calls_and_yen(tmp_path):
    folder = planted(tmp_path, "国際通話\t1\t0:03:00\t90", "国際通話\t1\t0:03:00\t100")
    (folder / "invoices.csv").write_text("利用月,請求額\n2024-03,220\n", encoding="utf-8")
    march = month(build(folder, SETTINGS), "2024-03")
    failed = [c for c in march.checks if not c.ok]
    assert [(c.check, c.type_id, c.stated, c.recomputed, c.difference, str(c.where)) for c in failed] == [
        ("calls_charge", "international", 100, 90, 10, "2024-03.txt:4")]
    assert march.status == "variance"
    from recon.labels import render
    assert "International: the table's charge 100 is over the call records' 90 (1 calls) by 10" in \
        [render(m, "en") for m in march.messages]


@pytest.mark.parametrize("old, new, check", [
    ("携帯通話\t2\t0:02:15\t48", "携帯通話\t3\t0:02:15\t48", "calls_count"),
    ("携帯通話\t2\t0:02:15\t48", "携帯通話\t2\t0:03:15\t48", "calls_duration"),
])
def test_a_count_or_time_difference_is_a_warning(tmp_path, old, new, check):
    folder = planted(tmp_path, old, new)
    text = (folder / "2024-03.txt").read_text(encoding="utf-8")
    (folder / "2024-03.txt").write_text(text.rsplit("\t合計", 1)[0], encoding="utf-8")  # no 合計 to disagree
    march = month(build(folder, SETTINGS), "2024-03")
    assert [(c.check, c.type_id) for c in march.checks if not c.ok] == [(check, "mobile")]
    assert march.status == "warning"


def test_a_type_the_table_lacks_is_compared_with_zero(tmp_path):
    folder = planted(tmp_path, "\tナビダイヤル\t1\t0:01:20\t40\n", "")
    march = month(build(folder, SETTINGS), "2024-03")
    failed = {(c.check, c.type_id): (c.stated, c.recomputed) for c in march.checks
              if not c.ok and c.check.startswith("calls_")}
    assert failed == {("calls_count", "other:ナビダイヤル"): (0, 1), ("calls_duration", "other:ナビダイヤル"): (0, 800),
                      ("calls_charge", "other:ナビダイヤル"): (0, 40)}


def test_a_month_with_records_and_no_table_is_reported():
    april = month(build(YEAR, SETTINGS), "2024-04")
    assert april.status == "missing"
    assert [m.key for m in april.messages if m.key == "calls_without_table"] == ["calls_without_table"]
    assert april.calls.by_type == (("general", 1, 600, 800),)


def test_the_records_file_is_listed_with_its_months_and_encoding():
    record = next(f for f in build(YEAR, SETTINGS).files if f.path == "通話明細_2024.csv")
    assert (record.status, record.month, record.encoding, record.format) == ("read", "2024-03, 2024-04", "utf-8", "csv")


def test_a_workbook_of_records_in_the_folder_is_read_as_records(tmp_path):
    folder = tmp_path / "2024"
    shutil.copytree(YEAR, folder)
    (folder / "通話明細_2024.csv").unlink()
    shutil.copy(DATA / "forms" / "calls.xlsx", folder / "calls.xlsx")
    march = month(build(folder, SETTINGS), "2024-03")
    assert march.calls.by_type == MARCH and all(c.ok for c in march.checks if c.check.startswith("calls_"))


# --------------------------------------------------------------------------- cost by number and department


def test_cost_by_number_and_department_adds_up_to_the_month():
    march = month(build(YEAR, SETTINGS), "2024-03")
    assert [(c.number, c.department, c.name, c.sen) for c in march.costs] == [
        ("05030000001", "総務部", "山田", 4800), ("05030000002", "営業部", "佐藤", 14600), ("05030000003", "", "", 1600)]
    departments = department_costs(march.costs)
    assert departments == (("", 1, 450, 1600), ("営業部", 4, 6295, 14600), ("総務部", 3, 8050, 4800))
    assert sum(d[3] for d in departments) == march.calls.sen == sum(r.charge for r in march.rows) * 100


# --------------------------------------------------------------------------- the outputs


def test_json_months_carry_findings(tmp_path):
    from click.testing import CliRunner

    from recon.cli import main

    result = CliRunner().invoke(main, ["check", str(YEAR), "--json"], catch_exceptions=False)
    document = json.loads(result.stdout)
    assert [m["findings"] for m in document["months"]] == [[], []]


def test_a_folder_without_call_records_never_imports_pandas():
    code = ("import sys; from pathlib import Path; from recon.pipeline import build; from recon.settings import load;"
            "build(Path('examples/2024'), load(None));"
            "print(sorted(m for m in ('pandas', 'polars', 'pyarrow', 'numpy', 'holidays', 'phonenumbers') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- for notebooks


def test_frames_give_months_checks_and_calls_with_integer_columns():
    import recon

    found = recon.frames(YEAR)
    assert list(found.months["month"]) == ["2024-03", "2024-04"]
    assert str(found.months["calls_sen"].dtype) == "Int64" and list(found.months["calls_sen"]) == [21000, 800]
    assert found.months["charge"].isna().tolist() == [False, True]  # April has no table: missing, not 0
    calls_charge = found.checks[(found.checks["check"] == "calls_charge")]
    assert dict(zip(calls_charge["type"], calls_charge["stated"])) == {
        "general": 32, "international": 90, "mobile": 48, "ip": 0, "phs": 0, "other:ナビダイヤル": 40}
    assert {str(found.checks[c].dtype) for c in ("stated", "recomputed", "difference")} == {"int64"}
    assert len(found.calls) == 9 and found.calls["sen"].sum() == 21800
    assert {c: str(found.calls[c].dtype) for c in ("start", "tenths", "sen", "line")} == {
        "start": "datetime64[s]", "tenths": "int64", "sen": "int64", "line": "int64"}
    assert list(found.calls["line"][:3]) == [2, 3, 4]


def test_frames_of_a_folder_without_records_has_an_empty_calls_frame():
    import recon

    found = recon.frames(Path(__file__).resolve().parent.parent / "examples" / "2024")
    assert len(found.calls) == 0 and str(found.calls["sen"].dtype) == "int64" and len(found.months) == 12


@pytest.mark.parametrize("rows", [1, 2, 3, 7, 64, 100_000])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_lines_stay_right_across_the_batches_of_the_engine(tmp_path, monkeypatch, rows, newline):
    from recon import calls_columnar

    monkeypatch.setattr(calls_columnar, "BATCH_ROWS", rows)
    lines = ["通話開始日時,相手先番号,通話時間,通話料金"]
    lines += ["" if i % 7 in (2, 3) or i % 11 == 0 else f"2024/01/05 10:00:00,0101234567,0:03:00,{i}" for i in range(80)]
    path = tmp_path / "calls.csv"
    path.write_bytes((newline.join(lines) + newline).encode("utf-8"))
    expected = [n for n, line in enumerate(lines, start=1) if line and n > 1]
    assert [c.where.line for c in read(path).months["2024-01"].watched] == expected



# --------------------------------------------------------------------------- damaged records


from hypothesis import HealthCheck, given, settings as hypothesis_settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

CARRIER = (DATA / "forms" / "carrier_utf8.csv").read_text(encoding="utf-8")
JUNK = st.text(alphabet="0123456789:./-,¥円 ０１：\"\t\n\r秒分時間abcé\u200b\x00", max_size=12)


@hypothesis_settings(max_examples=150, deadline=None, database=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.tuples(st.integers(0, len(CARRIER)), st.integers(0, 6), JUNK), max_size=4),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp932", "utf-16"]))
def test_damaged_records_give_sums_or_a_located_error(tmp_path, cuts, encoding):
    text = CARRIER
    for at, drop, junk in cuts:
        text = text[:at] + junk + text[at + drop:]
    path = tmp_path / "calls.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    layout = calls.sniff(path, "calls.csv")
    if layout is None:
        return  # no header left: not call records, the pipeline reads it as anything else
    try:
        records = calls.read_text(path, "calls.csv", layout)
    except calls.ReconError as error:
        assert error.where is not None and error.where.path == "calls.csv"
        return
    for month in records.months.values():
        for _, count, tenths, sen in month.by_type + month.by_number:
            assert type(count) is int and type(tenths) is int and type(sen) is int and count > 0 and tenths >= 0


def test_a_bad_cell_of_a_workbook_is_an_error_at_that_cell(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "通話明細"
    sheet.append(["通話開始日時", "相手先番号", "通話時間", "通話料金"])
    sheet.append([dt.datetime(2024, 3, 4, 9, 15), "0312345678", "0:03:00", 8])
    sheet.append([dt.datetime(2024, 3, 4, 9, 20), "0312345678", "0:03:00", "八円"])
    book.save(tmp_path / "calls.xlsx")
    with pytest.raises(calls.ReconError) as error:
        read(tmp_path / "calls.xlsx")
    assert str(error.value.where) == "calls.xlsx:通話明細!D3"


def test_no_detail_table_or_invoice_file_of_the_samples_is_taken_for_call_records():
    root = Path(__file__).parent / "data"
    samples = [p for folder in ("seed", "messy") for p in (root / folder).rglob("*")
               if p.suffix.lower() in (".txt", ".tsv", ".csv")]
    samples += list((root.parent.parent / "examples" / "2024").glob("*.*"))
    assert len(samples) > 20
    assert [p.name for p in samples if p.suffix.lower() in (".txt", ".tsv", ".csv") and calls.sniff(p, p.name)] == []


def test_a_byte_the_encoding_lacks_far_down_the_file_is_a_read_error(tmp_path):
    path = tmp_path / "calls.csv"
    rows = "通話開始日時,相手先番号,通話時間,通話料金,通話種別\n" + "2024/01/05 10:00:00,0312345678,0:03:00,8,一般通話\n" * 3000
    path.write_bytes(rows.encode("cp932") + b"2024/01/05 10:00:00,0312345678,0:03:00,8,\x81\x7f\xff\n")
    layout = calls.sniff(path, "calls.csv")
    assert layout.encoding == "cp932"
    with pytest.raises(calls.ReconError) as error:
        calls.read_text(path, "calls.csv", layout)
    assert (str(error.value.where), error.value.expected) == ("calls.csv", "decodable")


def test_an_ascii_head_over_a_shift_jis_body_is_read_as_cp932(tmp_path):
    path = tmp_path / "calls.csv"
    head = "start,to,duration (s),charge\n" + "2024/01/05 10:00:00,0312345678,180,8\n" * 3000
    path.write_bytes(head.encode("ascii") + "2024/01/05 11:00:00,0312345678,180,８\n".encode("cp932"))
    records = read(path)
    assert records.encoding == "cp932" and records.months["2024-01"].by_type == (("general", 3001, 1800 * 3001,
                                                                                    800 * 3001),)


def test_call_records_that_change_void_the_sign_off_of_their_month(tmp_path):
    from recon.reconcile import fingerprint
    from recon.model import CallMonth

    one = CallMonth(("a.csv",), (("general", 10, 600, 8000),), (("0501", 10, 600, 8000),), ())
    other = CallMonth(("a.csv",), (("general", 11, 610, 8800),), (("0501", 11, 610, 8800),), ())
    assert fingerprint(None, None, one).detail != fingerprint(None, None, other).detail
    assert fingerprint(None, None, None) == fingerprint(None, None)  # a month without records: as before


def test_an_explanation_on_one_call_types_check_stays_on_that_type(tmp_path):
    import shutil

    import openpyxl
    from click.testing import CliRunner

    from recon.cli import main

    folder = tmp_path / "2024"
    shutil.copytree(Path(__file__).parent / "data" / "calls" / "year" / "2024", folder)
    assert CliRunner().invoke(main, ["build", str(folder), "-q"]).exit_code == 0
    report = folder / "recon-2024.xlsx"
    book = openpyxl.load_workbook(report)
    sheet = book["チェック"]
    header = [c.value for c in sheet[1]]
    name, note = header.index("チェック項目"), header.index("説明")
    rows = [r for r in sheet.iter_rows(min_row=2) if r[name].value == "通話明細の通話料金 (国際通話)"]
    assert rows, "the checks sheet names the per-type check with its call type"
    rows[0][note].value = "国際通話は翌月請求分を含む"
    book.save(report)
    assert CliRunner().invoke(main, ["build", str(folder), "-q"]).exit_code == 0
    again = openpyxl.load_workbook(report)["チェック"]
    notes = {r[name].value: r[note].value for r in again.iter_rows(min_row=2) if r[note].value}
    assert notes == {"通話明細の通話料金 (国際通話)": "国際通話は翌月請求分を含む"}


def test_a_per_type_checks_words_read_back_to_its_key():
    from recon import labels

    for key in ("calls_charge:international", "calls_count:other:ナビダイヤル", "invoice"):
        for lang in ("ja", "en"):
            assert labels.check_key(labels.check_words(key, lang)) == key


# A malformed second call row → the key of what was expected, located at line 3 (SPEC §7: exact
# values, never rounded or rolled over; the same verdict whichever path reads the block).
BAD_CALL_ROWS = [
    ("2024/02/30 09:00:00,0312345678,0:03:00,8", "call_start"),  # no such day
    ("2024/01/05 09:00:60,0312345678,0:03:00,8", "call_start"),
    ("2024/01/05 25:00:00,0312345678,0:03:00,8", "call_start"),
    ("2024/01/05 10:10:00,0312345678,0:03:00,8.125", "call_charge"),  # a third decimal
    ("2024/01/05 10:10:00,0312345678,0:03:00,1e3", "call_charge"),
    ("2024/01/05 10:10:00,0312345678,0:03:00,+5", "call_charge"),
    ("2024/01/05 10:10:00,0312345678,0:03:00", "call_columns"),  # a row of the wrong width
]


@pytest.mark.parametrize("row, expected", BAD_CALL_ROWS)
def test_a_malformed_call_row_is_an_error_at_its_line(tmp_path, row, expected):
    path = tmp_path / "calls.csv"
    path.write_text(f"通話開始日時,相手先番号,通話時間,通話料金\n2024/01/05 10:00:00,0312345678,0:03:00,8.5\n{row}\n",
                    encoding="utf-8")
    with pytest.raises(calls.ReconError) as error:
        read(path)
    assert (str(error.value.where), error.value.expected) == ("calls.csv:3", expected)


# --------------------------------------------------------------------------- as carriers and PBXs write them
# tests/data/calls/carriers/: one folder per form (README.md there says what each is based on), the
# same eleven January calls with the table they add up to; written by its make.py, not by recon.

CARRIERS = DATA / "carriers"
FORM_NAMES = sorted(p.name for p in CARRIERS.iterdir() if (p / "2024").is_dir() and p.name != "router-log")
# the table every form ties out with: (type, calls, tenths, yen)
JANUARY = {"general": (4, 6590, 40), "international": (3, 21800, 1090), "mobile": (2, 1350, 48), "ip": (1, 6000, 0),
           "other:ナビダイヤル": (1, 800, 40)}


def carrier(name: str, tmp_path: Path | None = None):
    folder = CARRIERS / name / "2024"
    if tmp_path is not None:
        folder = shutil.copytree(folder, tmp_path / "2024")
    settings = load(folder / "recon.toml") if (folder / "recon.toml").is_file() else SETTINGS
    return build(folder, settings)


@pytest.mark.parametrize("name", FORM_NAMES)
def test_each_form_ties_out_per_type_with_its_table_and_raises_no_finding(name):
    report = carrier(name)
    assert [(f.path, f.status) for f in report.files if f.status != "read"] == []
    (january,) = report.months  # every call in January, Japan time: none in December 2023
    assert january.month == "2024-01" and january.findings == ()
    assert {t: (c, tenths) for t, c, tenths, _ in january.calls.by_type} == {t: v[:2] for t, v in JANUARY.items()}
    call_checks = {(c.check, c.type_id): c for c in january.checks if c.check.startswith("calls_")}
    assert {k for k, c in call_checks.items() if not c.ok} == set()
    whole_yen = name.startswith("iijmio")  # IIJmio bills each call in whole yen: 15.5 and 8.5 are 15 and 8
    charges = {t: v[2] - (whole_yen and t == "general") for t, v in JANUARY.items()}
    assert {t: call_checks[("calls_charge", t)].stated for t in JANUARY} == charges
    assert january.calls.count == 11


@pytest.mark.parametrize("name, note", [
    ("ntt-com", ("the total line (line 17) agrees with the calls above it; subtotal and total lines not counted "
                 "as calls: 4")),
    ("twilio", ("incoming calls kept out of the outgoing charges: 2 (0:07:05.0); attempts without time or charge "
                "(never connected) not counted as calls: 1; charges are written as debits (negative): their "
                "amounts are taken as the charges")),
    ("cloud-pbx-utc", "incoming calls kept out of the outgoing charges: 2 (0:07:05.0)"),
    ("iijmio", None),
])
def test_what_a_file_held_besides_its_calls_is_said_on_its_record(name, note):
    from recon.labels import render

    (record,) = [f for f in carrier(name).files if f.path not in ("2024-01.txt", "recon.toml")]
    assert (render(record.message, "en") if record.message else None) == note
    if record.message:  # in Japanese too, one sentence a note
        japanese = render(record.message, "ja")
        assert "{" not in japanese and japanese.count("。") == note.count("; ")


@pytest.mark.parametrize("name, encoding", [("ntt-com", "cp932"), ("ntt-date-time", "cp932"), ("iijmio", "cp932"),
                                            ("twilio", "utf-8"), ("cloud-pbx-utc", "utf-8-bom")])
def test_each_form_is_read_in_its_encoding(name, encoding):
    (record,) = [f for f in carrier(name).files if f.path not in ("2024-01.txt", "recon.toml")]
    assert record.encoding == encoding


def test_a_utc_log_read_as_japan_time_would_misplace_new_year_and_flag_business_hours(tmp_path):
    """What `[calls] timezone` is for: without it, the same log falls partly into December and its
    international calls at 15:00 Japan time (06:00 UTC) look like night-time toll fraud."""
    report = carrier("cloud-pbx-utc-unsaid", tmp_path)
    assert [m.month for m in report.months] == ["2024-01"]
    (tmp_path / "2024" / "recon.toml").unlink()
    wrong = build(tmp_path / "2024", SETTINGS)
    assert [m.month for m in wrong.months] == ["2023-12", "2024-01"]
    january = month(wrong, "2024-01")
    assert "off_hours" in {f.rule for f in january.findings}
    assert any(not c.ok for c in january.checks if c.check == "calls_count")


def test_a_router_log_without_charges_is_an_error_at_its_header():
    from recon.labels import render

    report = carrier("router-log")
    (record,) = [f for f in report.files if f.path == "通話ログ_202401.csv"]
    assert record.status == "error"
    assert render(record.message, "en").startswith("通話ログ_202401.csv:1: expected a call-records header naming a "
                                                   "start, the number called, a duration and a charge, found '表示番号")
    assert report.months[0].status == "error"


@pytest.mark.parametrize("stated, ok, recomputed", [
    ("1,090", True, 1090),  # 1,090.9 cut down: rounding
    ("1,091", True, 1091),  # rounded up: rounding too
    ("1,092", False, 1091),  # 1.1 yen over the exact sum: a variance against the sum half up
    ("1,089", False, 1091),
])
def test_a_charge_under_a_yen_from_the_exact_sum_is_rounding(tmp_path, stated, ok, recomputed):
    folder = shutil.copytree(CARRIERS / "twilio" / "2024", tmp_path / "2024")
    table = folder / "2024-01.txt"
    table.write_text(table.read_text(encoding="utf-8").replace("0:36:20.0\t1,090", f"0:36:20.0\t{stated}"),
                     encoding="utf-8")
    check = next(c for c in month(build(folder, SETTINGS), "2024-01").checks
                 if (c.check, c.type_id) == ("calls_charge", "international"))
    assert (check.ok, check.recomputed) == (ok, recomputed)


# --------------------------------------------------------------------------- carriers' values, one by one


@pytest.mark.parametrize("written, sen", [
    ("\\1,234", 123400), ("\\8", 800), ("\\15.5", 1550), ("-\\16", -1600), ("\\-16", -1600), ("¥1,234.5", 123450),
    ("-", 0), ("\\-", 0), ("¥-", 0), ("15.50000", 1550), ("-0.100", -10), ("-\\-16", None), ("\\\\16", None),
])
def test_charges_as_statements_write_them(written, sen):
    assert calls.parse_sen(written) == sen


JANUARY_2024 = calls.Reading("2024-01")


@pytest.mark.parametrize("written, reading, start", [
    ("2024-01-01T00:30:00+09:00", calls.NO_READING, dt.datetime(2024, 1, 1, 0, 30)),
    ("2023-12-31T15:30:00Z", calls.NO_READING, dt.datetime(2024, 1, 1, 0, 30)),
    ("2023-12-31T15:30:00.000Z", calls.NO_READING, dt.datetime(2024, 1, 1, 0, 30)),
    ("2023-12-31 15:30:00 +00:00", calls.NO_READING, dt.datetime(2024, 1, 1, 0, 30)),
    ("2023-12-31T10:30:00-0500", calls.NO_READING, dt.datetime(2024, 1, 1, 0, 30)),
    ("2023-12-31 15:30:00 UTC", calls.NO_READING, dt.datetime(2024, 1, 1, 0, 30)),
    ("2024-01-01 00:30:00 JST", calls.NO_READING, dt.datetime(2024, 1, 1, 0, 30)),
    ("Sun, 31 Dec 2023 15:30:00 +0000", calls.NO_READING, dt.datetime(2024, 1, 1, 0, 30)),
    ("31 Dec 2023 15:30:00 GMT", calls.NO_READING, dt.datetime(2024, 1, 1, 0, 30)),
    ("2023-12-31 15:30:00", calls.Reading(zone="UTC"), dt.datetime(2024, 1, 1, 0, 30)),
    ("2023-12-31 10:30:00", calls.Reading(zone="America/New_York"), dt.datetime(2024, 1, 1, 0, 30)),
    ("2024-07-01 10:30:00", calls.Reading(zone="America/New_York"), dt.datetime(2024, 7, 1, 23, 30)),  # summer time
    ("2023-12-31T15:30:00Z", calls.Reading(zone="America/New_York"), dt.datetime(2024, 1, 1, 0, 30)),  # said wins
    ("12/31 23:10", JANUARY_2024, dt.datetime(2023, 12, 31, 23, 10)),  # the December before a January
    ("01/02 09:00:00", calls.Reading("2024-12"), dt.datetime(2025, 1, 2, 9)),
    ("9月15日 10:00", calls.Reading("2024-09"), dt.datetime(2024, 9, 15, 10)),
    ("07/15 10:00", JANUARY_2024, dt.datetime(2024, 7, 15, 10)),  # half a year away: the nearer
    ("03/05 10:00", calls.Reading(year=FiscalYear(2024, 4, "nendo")), dt.datetime(2025, 3, 5, 10)),
    ("12/31 23:10", calls.NO_READING, None),  # nothing gives its year
    ("02/30 10:00", JANUARY_2024, None), ("13/01 10:00", JANUARY_2024, None),
])
def test_starts_with_a_zone_or_without_a_year(written, reading, start):
    assert calls.parse_start(written, reading=reading) == start


@pytest.mark.parametrize("date, time, start", [
    ("2024/01/05", "09:03:02", dt.datetime(2024, 1, 5, 9, 3, 2)), ("20240105", "9:03:02", dt.datetime(2024, 1, 5, 9, 3, 2)),
    ("2024/01/05 0:00:00", "09:03:02", dt.datetime(2024, 1, 5, 9, 3, 2)),  # a date Excel gave a time: not the call's
    ("01/05", "09:03:02", dt.datetime(2024, 1, 5, 9, 3, 2)), ("1月5日", "9:03", dt.datetime(2024, 1, 5, 9, 3)),
    ("2024/01/05", "00:03:02Z", dt.datetime(2024, 1, 5, 9, 3, 2)),
])
def test_a_date_beside_a_time_with_or_without_its_year(date, time, start):
    assert calls.parse_start(date, time, JANUARY_2024) == start


@pytest.mark.parametrize("written, digits", [
    ("(050)1234-5678", "05012345678"), ("(03)1234-5678", "0312345678"), ("03-1234-****", "031234****"),
    ("090-****-1234", "090****1234"), ("+81 (0)3 1234 5678", "0312345678"), ("0081-3-1234-5678", "0312345678"),
    ("81312345678", "0312345678"), ("815012345678", "05012345678"), ("312345678", "0312345678"),
    ("9012345678", "09012345678"), ("5030000001", "05030000001"), ("1012125550100", "01012125550100"),
    ("+12125550100", "01012125550100"), ("12345678", "12345678"), ("117", "117"),
])
def test_numbers_in_brackets_masked_e164_or_without_their_leading_zero(written, digits):
    assert calls.number_digits(written) == digits


@pytest.mark.parametrize("called, type_id", [
    ("031234****", "general"), ("090****1234", "mobile"), ("0101212****", "international"), ("12345678", "general"),
    ("2345", "other:234"), ("****1234", "other:***"),
])
def test_masked_and_local_numbers_are_typed_by_their_prefix(called, type_id):
    assert calls.type_from_number(called) == type_id


@pytest.mark.parametrize("cells, kind", [
    (["合計", "", "109:54:23.5"], "total"), (["【合計】"], "total"), (["合計(税抜)"], "total"), (["Total"], "total"),
    (["Grand Total:"], "total"), (["", "電話番号計"], "subtotal"), (["組織計"], "subtotal"), (["*** 小計 ***"], "subtotal"),
    (["Sub-total"], "subtotal"), (["計算", "050-1234-5678"], None), (["", ""], None), ([None, 12], None),
])
def test_subtotal_and_total_rows_by_their_words(cells, kind):
    assert calls.total_kind(cells) == kind


@pytest.mark.parametrize("written, incoming", [
    ("発信", False), ("着信", True), ("外線発信", False), ("外線着信", True), ("内線通話", True), ("outbound-dial", False),
    ("outbound-api", False), ("Inbound", True), ("trunking-originating", True), ("OUTGOING", False), ("転送", None),
    ("", None),
])
def test_direction_words(written, incoming):
    assert calls.direction(written) is incoming


@pytest.mark.parametrize("header, index, seconds", [
    (["ご利用電話番号", "通話開始日時", "通話開始時刻", "着信電話番号", "地域名", "通話時間", "内線区分", "呼種別", "通話料"],
     {"calling": 0, "start": 1, "time": 2, "called": 3, "duration": 5, "type": 7, "charge": 8}, False),
    (["お客様の電話番号", "通話先電話番号", "通話年月日", "通話開始時刻", "通話時間", "料金", "通話の種類"],
     {"calling": 0, "called": 1, "date": 2, "time": 3, "duration": 4, "charge": 5, "type": 6}, False),
    (["start_time", "from", "to", "direction", "duration_sec", "cost"],
     {"start": 0, "calling": 1, "called": 2, "direction": 3, "duration": 4, "charge": 5}, True),
    (["StartTime", "Duration", "From", "To", "Direction", "Price", "PriceUnit"],
     {"start": 0, "duration": 1, "calling": 2, "called": 3, "direction": 4, "charge": 5, "currency": 6}, False),
    (["電話番号", "通話日", "開始時刻", "相手先電話番号", "通話時間（秒）", "通話料金額(¥)"],
     {"calling": 0, "date": 1, "time": 2, "called": 3, "duration": 4, "charge": 5}, True),
])
def test_carriers_header_words(header, index, seconds):
    columns = calls.find_columns(header)
    assert (columns.index, columns.seconds) == (index, seconds)


def test_a_start_column_that_holds_the_date_beside_a_time_column_is_the_date():
    columns = calls.find_columns(["ご利用電話番号", "通話開始日時", "通話開始時刻", "着信電話番号", "通話時間", "通話料"])
    assert (columns.date_key, columns.start_key, columns.split_start) == ("start", "time", True)
    alone = calls.find_columns(["通話開始日時", "着信電話番号", "通話時間", "通話料"])
    assert (alone.date_key, alone.start_key, alone.split_start) == (None, "start", False)


# --------------------------------------------------------------------------- carriers' files, read whole


def written(tmp_path, text: str, name: str = "calls.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def read_as(path: Path, reading=calls.NO_READING) -> calls.Records:
    return calls.read_text(path, path.name, calls.sniff(path, path.name), reading=reading)


# One January statement in the shapes each path reads: the engine's (polars kernels, regular
# expressions) and Python's, which a zero-width space before every cell forces (a web copy's).
STATEMENT = ("ご利用電話番号,通話開始日時,通話開始時刻,着信電話番号,通話時間,通話料,発着信区分\r\n"
             "(050)3000-0001,12/31,23:10:00,03-1234-****,0:03:00,\"\\1,234\",発信\r\n"
             "(050)3000-0001,01/02,09:00:00,+1 212 555 0100,0:01:00,\\90.5,発信\r\n"
             "(050)3000-0001,01/03,10:00:00,312345678,0:02:00,\\8,着信\r\n"
             ",電話番号計,,,0:04:00,\"\\1,324.5\",\r\n"
             "合計,,,,0:04:00,\"\\1,324.5\",\r\n")


@pytest.mark.parametrize("slow", [False, True])
def test_a_statement_reads_the_same_by_either_path(tmp_path, slow):
    text = STATEMENT
    if slow:
        text = "\r\n".join([text.split("\r\n")[0]] + [",".join("\u200b" + c if c and not c.startswith('"') else c
                                                               for c in line.split(","))
                                                      for line in text.split("\r\n")[1:]])
    records = read_as(written(tmp_path, text, encoding="utf-8" if slow else "cp932"), JANUARY_2024)
    assert {m: c.by_type for m, c in records.months.items()} == {
        "2023-12": (("general", 1, 1800, 123400),), "2024-01": (("international", 1, 600, 9050),)}
    assert records.months["2024-01"].watched[0].start == dt.datetime(2024, 1, 2, 9)
    from recon.labels import render
    assert render(records.note, "en") == ("the total line (line 6) agrees with the calls above it; subtotal and total "
                                          "lines not counted as calls: 1; incoming calls kept out of the outgoing "
                                          "charges: 1 (0:02:00.0)")


def test_a_total_that_is_not_its_calls_sum_is_an_error_at_its_line(tmp_path):
    path = written(tmp_path, STATEMENT.replace('合計,,,,0:04:00,"\\1,324.5"', '合計,,,,0:04:00,"\\1,334.5"'),
                   encoding="cp932")
    with pytest.raises(calls.ReconError) as error:
        read_as(path, JANUARY_2024)
    assert error.value.render("en") == ("calls.csv:6: expected a total line equal to the calls above it (2 calls, "
                                        "0:04:00.0, 1,324.5 yen), found '0:04:00 \\1,334.5'")


def test_a_total_within_a_second_and_a_yen_is_rounding(tmp_path):
    path = written(tmp_path, STATEMENT.replace('合計,,,,0:04:00,"\\1,324.5"', '合計,,,,0:04:00,"\\1,324"'),
                   encoding="cp932")
    assert read_as(path, JANUARY_2024).note.key == "calls_total_agreed_and"


def test_each_total_is_checked_against_the_calls_since_the_last(tmp_path):
    rows = ["通話開始日時,相手先番号,通話時間,通話料金"]
    for day in (5, 6):
        rows += [f"2024/01/0{day} 10:00:00,0312345678,0:03:00,8", f"2024/01/0{day} 11:00:00,0312345678,0:03:00,8",
                 "合計,,0:06:00,16"]
    records = read_as(written(tmp_path, "\n".join(rows) + "\n"))
    assert records.months["2024-01"].by_type == (("general", 4, 7200, 3200),)
    assert dict(records.note.params) == {"lines": ("4", "7")}


def test_a_date_without_its_year_that_nothing_places_is_an_error_that_says_what_to_do(tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    written(folder, STATEMENT, encoding="cp932")
    report = build(folder, SETTINGS)
    (record,) = report.files
    from recon.labels import render
    assert render(record.message, "en").startswith("calls.csv:2: expected a call date with its year such as "
                                                   "2024/09/15; a date without one (09/15) is read when the file is "
                                                   "named by its usage month")


def test_a_statement_named_by_its_month_or_titled_with_it_places_its_dates(tmp_path):
    folder = tmp_path / "2024"
    folder.mkdir()
    written(folder, STATEMENT, "通話明細_202401.csv", "cp932")
    written(folder, "ご利用月: 2024年2月\r\n" + STATEMENT.replace("12/31", "02/01").replace("01/0", "02/0"), "明細.csv",
            "cp932")
    report = build(folder, SETTINGS)
    assert {m.month: m.calls.count for m in report.months if m.calls} == {"2023-12": 1, "2024-01": 1, "2024-02": 2}


@pytest.mark.parametrize("header, row", [
    ("通話開始日時,相手先番号,通話時間,通話料金", "2024/01/05 10:00:00,0312345678,0:03:00,8,"),  # rows end with a comma
    ("通話開始日時,相手先番号,通話時間,通話料金,", "2024/01/05 10:00:00,0312345678,0:03:00,8"),  # the header does
])
def test_a_header_one_field_off_its_rows_is_read_as_wide_as_its_rows(tmp_path, header, row):
    records = read_as(written(tmp_path, f"{header}\n{row}\n{row}\n"))
    assert records.months["2024-01"].by_type == (("general", 2, 3600, 1600),)


@pytest.mark.parametrize("row, expected", [
    ("2024-01-05T01:00:00Z,0312345678,outbound,180,8,USD", "call_currency"),
    ("2024-01-05T01:00:00Z,0312345678,forwarded,180,8,JPY", "call_direction"),
    ("2024-01-05T01:00:00Z,0312345678,,180,8,JPY", "call_direction"),
    ("2024-01-05T01:00:00Z,0312345678,outbound,180,,JPY", "call_charge"),  # a connected call without a charge
])
def test_a_currency_or_direction_recon_cannot_take_is_an_error_at_its_line(tmp_path, row, expected):
    path = written(tmp_path, f"start_time,to,direction,duration,price,price_unit\n"
                             f"2024-01-05T00:00:00Z,0312345678,outbound,180,8,JPY\n{row}\n")
    with pytest.raises(calls.ReconError) as error:
        read_as(path)
    assert (str(error.value.where), error.value.expected) == ("calls.csv:3", expected)


def test_charges_of_both_signs_are_not_taken_for_debits(tmp_path):
    path = written(tmp_path, "通話開始日時,相手先番号,通話時間,通話料金\n2024/01/05 10:00:00,0312345678,0:03:00,8\n"
                             "2024/01/05 11:00:00,0312345678,0:03:00,-3\n")
    records = read_as(path)
    assert records.months["2024-01"].by_type == (("general", 2, 3600, 500),) and records.note is None


def test_a_workbook_statement_checks_its_total_and_places_its_dates(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ご利用月", "2024年1月"])
    sheet.append(["ご利用電話番号", "通話日", "通話開始時刻", "着信電話番号", "通話時間", "通話料"])
    sheet.append(["05030000001", "12/31", "23:10:00", "0312341234", "0:03:00", 8])
    sheet.append(["05030000001", "01/02", "09:00:00", "0101212555", "0:01:00", 90.5])
    sheet.append(["合計", None, None, None, "0:04:00", 98])
    book.save(tmp_path / "calls.xlsx")
    records = read(tmp_path / "calls.xlsx")
    assert {m: c.count for m, c in records.months.items()} == {"2023-12": 1, "2024-01": 1}
    assert dict(records.note.params) == {"lines": ("5",)}
    sheet["F5"] = 100
    book.save(tmp_path / "calls.xlsx")
    with pytest.raises(calls.ReconError) as error:
        read(tmp_path / "calls.xlsx")
    assert (str(error.value.where), error.value.expected) == ("calls.xlsx:Sheet!F5", "call_total")


@pytest.mark.parametrize("zone, ok", [("UTC", True), ("Asia/Tokyo", True), ("America/New_York", True),
                                      ("Mars/Olympus", False), ("../../etc/passwd", False), ("", False)])
def test_calls_timezone_setting_names_a_real_zone(tmp_path, zone, ok):
    from recon.errors import SettingsError

    (tmp_path / "recon.toml").write_text(f'[calls]\ntimezone = "{zone}"\n', encoding="utf-8")
    if ok:
        assert load(tmp_path / "recon.toml").calls.timezone == zone
    else:
        with pytest.raises(SettingsError, match="calls.timezone"):
            load(tmp_path / "recon.toml")


@hypothesis_settings(max_examples=120, deadline=None, database=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.tuples(st.integers(0, len(STATEMENT)), st.integers(0, 6), JUNK), max_size=4),
       zone=st.sampled_from([None, "UTC", "America/New_York"]))
def test_a_damaged_statement_gives_sums_or_a_located_error(tmp_path, cuts, zone):
    text = STATEMENT
    for at, drop, junk in cuts:
        text = text[:at] + junk + text[at + drop:]
    path = tmp_path / "calls.csv"
    path.write_bytes(text.encode("cp932", errors="replace"))
    layout = calls.sniff(path, "calls.csv")
    if layout is None:
        return
    try:
        records = calls.read_text(path, "calls.csv", layout, reading=calls.Reading("2024-01", zone=zone))
    except calls.ReconError as error:
        assert error.where is not None and error.where.path == "calls.csv"
        return
    for month in records.months.values():
        assert all(type(v) is int for row in month.by_type + month.by_number for v in row[1:])


# --------------------------------------------------------------------------- a total line of another shape
FOUR_CALLS = ["通話開始日時,相手先番号,通話時間,通話料金"] + [f"2024/01/0{day} 10:00:00,0312345678,0:03:00,8"
                                                           for day in (5, 6, 7, 8)]


@pytest.mark.parametrize("slow", [False, True])
@pytest.mark.parametrize("footer", ['"合計 4件",,0:12:00,32', '"合計 4件",,,', '"Total: 4 calls",,0:12:00,',
                                    '"合計\u30004件",,,32'])
def test_a_total_with_its_count_of_calls_is_a_total_line(tmp_path, footer, slow):
    rows = [*FOUR_CALLS, "", footer]
    if slow:  # a zero-width space before each value: the rows are read by Python
        rows = [rows[0], *(",".join(('"\u200b' + c[1:] if c.startswith('"') else "\u200b" + c) if c else c
                                    for c in row.split(",")) for row in rows[1:])]
    records = read_as(written(tmp_path, "\n".join(rows) + "\n"))
    assert records.months["2024-01"].by_type == (("general", 4, 7200, 3200),)
    assert records.note.key == "calls_total_agreed" and dict(records.note.params) == {"lines": ("7",)}


def test_a_total_whose_count_is_not_its_calls_is_an_error_at_its_line(tmp_path):
    with pytest.raises(calls.ReconError) as error:
        read_as(written(tmp_path, "\n".join([*FOUR_CALLS, '"合計 5件",,0:12:00,32']) + "\n"))
    assert error.value.render("en") == ("calls.csv:6: expected a total line equal to the calls above it (4 calls, "
                                        "0:12:00.0, 32 yen), found '5 0:12:00 32'")


@pytest.mark.parametrize("footer", [",,,32", ",,0:12:00,", ",,0:12:00,32", ",4,0:12:00,32", ",,0:12:00.0,32.0"])
def test_a_last_line_of_figures_equal_to_the_calls_sums_is_the_total(tmp_path, footer):
    records = read_as(written(tmp_path, "\n".join([*FOUR_CALLS, footer]) + "\n"))
    assert records.months["2024-01"].by_type == (("general", 4, 7200, 3200),)
    assert dict(records.note.params) == {"lines": ("6",)}


@pytest.mark.parametrize("rows, line, expected", [
    ([*FOUR_CALLS, ",,,33"], 6, "call_sum_line"),  # not the calls' sum
    ([*FOUR_CALLS, ",,0:12:01,32", "2024/01/09 10:00:00,0312345678,0:03:00,8"], 6, "call_sum_line"),  # calls after it
    ([*FOUR_CALLS, ",,,32", "2024/01/09 10:00:00,0312345678,0:00:00,8"], 6, "call_sum_line"),
    ([*FOUR_CALLS, ",,,32", ",,,0"], 6, "call_sum_line"),  # a second line of figures
    ([*FOUR_CALLS, ",,,32", "合計,,,32"], 6, "call_sum_line"),
    ([*FOUR_CALLS, ",3,,32"], 6, "call_sum_line"),  # a count that is not the calls'
    ([*FOUR_CALLS, ",x,,32"], 6, "call_start"),  # another cell that is no count: no line of figures
])
def test_a_line_of_figures_that_is_not_the_files_total_is_a_row_without_its_start(tmp_path, rows, line, expected):
    with pytest.raises(calls.ReconError) as error:
        read_as(written(tmp_path, "\n".join(rows) + "\n"))
    assert (str(error.value.where), error.value.expected) == (f"calls.csv:{line}", expected)


def test_a_blank_cell_is_named_blank_not_quoted_as_nothing(tmp_path):
    with pytest.raises(calls.ReconError) as error:
        read_as(written(tmp_path, "\n".join([*FOUR_CALLS, ",,,33"]) + "\n"))
    english, japanese = error.value.render("en"), error.value.render("ja")
    assert english == ("calls.csv:6: expected a call start such as 2024/01/05 09:03:02, found blank (a line of "
                       "figures alone is read as the total when it is the file's last and equals the calls above "
                       "it: 4 calls, 0:12:00.0, 32 yen)")
    assert "が必要ですが空欄でした。" in japanese and "「」" not in japanese
    assert calls.ReconError(None, "call_start", "0:03:00").render("ja").endswith("が必要ですが「0:03:00」でした")


def test_a_sum_line_at_the_foot_of_a_workbook_sheet_is_its_total(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in FOUR_CALLS:
        sheet.append(row.split(","))
    sheet.append([None, None, None, 32])
    book.save(tmp_path / "calls.xlsx")
    records = read(tmp_path / "calls.xlsx")
    assert records.months["2024-01"].by_type == (("general", 4, 7200, 3200),)
    assert records.note.key == "calls_total_agreed"


# --------------------------------------------------------------------------- a file of records in error
FOOTER_CASE = Path(__file__).parent / "data" / "field-cases" / "calls-footer-total" / "2024"
FOOTER = "合計,,,109:54:23.5,130090,"


def footer_case(tmp_path, footer: str) -> Path:
    folder = shutil.copytree(FOOTER_CASE, tmp_path / "2024")
    path = folder / "通話明細_202401.csv"
    text = path.read_bytes().decode("cp932")
    assert FOOTER in text
    path.write_bytes(text.replace(FOOTER, footer).encode("cp932"))
    return folder


@pytest.mark.parametrize("footer", ['"合計 3,016件",,,109:54:23.5,"\\130,090",', ",,,,130090,",
                                    ",,,109:54:23.5,130090,"])
def test_the_footer_total_forms_are_read_and_tie_out(tmp_path, footer):
    report = build(footer_case(tmp_path, footer), SETTINGS)
    assert [(f.path, f.status) for f in report.files if f.status != "read"] == []
    (january,) = report.months
    call_checks = [c for c in january.checks if c.check.startswith("calls_")]
    assert len(call_checks) == 15 and all(c.ok for c in call_checks)
    assert january.status == "warning"  # OCN's stated time alone is off (expected.txt)


@pytest.mark.parametrize("footer, found", [
    ("合計,,,109:54:23.5,130100,", "found '109:54:23.5 130100'"),  # ten yen off
    (",,,,130100,", "found blank"),  # a line of figures that is not the sum
])
def test_records_in_error_leave_the_months_table_and_say_its_calls_were_not_tied_out(tmp_path, footer, found):
    from recon.labels import render

    report = build(footer_case(tmp_path, footer), SETTINGS)
    (record,) = [f for f in report.files if f.status != "read"]
    assert (record.path, record.status) == ("通話明細_202401.csv", "error")
    assert render(record.message, "en").startswith("通話明細_202401.csv:3019: expected")
    assert found in render(record.message, "en")
    (january,) = report.months
    assert january.status == "warning"  # not an error: the table's figures stand
    assert (january.total.count, january.total.charge, january.expected_invoice) == (3016, 130090, 128916)
    assert [c.check for c in january.checks if c.check.startswith("calls_")] == []  # not tied out
    said = [render(m, "en") for m in january.messages if m.key == "calls_failed"]
    assert said == [f"通話明細_202401.csv has an error, so its call records were neither tied out nor watched for "
                    f"toll fraud (the table's figures stand): {render(record.message, 'en')}"]


def test_records_in_error_beside_good_ones_are_not_tied_out_in_part(tmp_path):
    folder = footer_case(tmp_path, FOOTER)
    good = (folder / "通話明細_202401.csv").read_bytes().decode("cp932").splitlines()
    (folder / "通話明細_202401_b.csv").write_bytes(("\r\n".join([good[0], good[1], "x,y"]) + "\r\n").encode("cp932"))
    report = build(folder, SETTINGS)
    assert [(f.path, f.status) for f in report.files if f.status != "read"] == [("通話明細_202401_b.csv", "error")]
    (january,) = report.months
    assert january.status == "warning" and january.calls.count == 3016  # the good file's calls are read …
    assert [c.check for c in january.checks if c.check.startswith("calls_")] == []  # … and not tied out alone
    assert [m.key for m in january.messages].count("calls_failed") == 1


@pytest.mark.parametrize("text, tenths", [
    ("0:02:05", 1250), ("2:05", 1250), ("125", 1250), ("125.5", 1255), ("2分5秒", 1250),
    ("75:00", 45000),  # m:ss, its first unit any size, as recon.durations reads every duration
    ("0:00:53.55", None), ("0:61:00", None), ("2:5:0:0", None), ("", None),
])
def test_a_call_records_duration_is_read_by_the_rule_every_duration_is_read_by(text, tenths):
    assert calls.parse_duration(text) == tenths
