"""Inputs as real programs and real copy-and-paste write them, each folder one month with what an
accountant should get (tests/data/field-cases/README.md). A folder dropped there, with its `2024/`
and an `expected.txt` in the same words, is a test by itself."""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from recon.labels import render
from recon.pipeline import build
from recon.settings import load
from recon.values import parse_duration

CASES_DIR = Path(__file__).parent / "data" / "field-cases"
CASES = sorted(p for p in CASES_DIR.iterdir() if (p / "expected.txt").is_file())
_STANDARD = (CASES_DIR / "strict-ooxml" / "expected.txt").read_text(encoding="utf-8")
_SEED_TYPES = _STANDARD[_STANDARD.index("types: "):_STANDARD.index("total: ")]  # the seed's rows, in the same words


@dataclass(frozen=True)
class Expected:
    """What expected.txt says, in recon's units: counts, tenths of a second, yen."""

    month: str
    account: str
    types: dict[str, tuple[int, int, int]]  # label → (count, tenths, yen)
    total: tuple[int, int, int]
    stated: tuple[int | None, int | None, int | None]
    discount: tuple[int, int, int, int]  # count, tenths, stated, recomputed
    invoice: tuple[int, int, int]  # expected, invoiced, variance
    failing: list[str]
    status: str
    encoding: str | None
    calls: tuple[int, tuple[str, ...], bool] | None = None  # call records: calls, their months, tie out per type
    findings: tuple[str, ...] | None = None  # the toll-fraud watch's rules that flag the month (none: ())
    uncalculated: bool = False  # the 合計 row is formulas never calculated: absent, and the month says so


def _yen(text: str) -> int:
    return int(text.replace(",", "").replace("−", "-"))


def _seconds(text: str) -> int:
    return int(round(float(text.replace(",", "")) * 10))


def parse_expected(text: str) -> Expected:
    """The figures of an expected.txt (the words of the field cases' README)."""
    month, account = re.search(r'^month (\d{4}-\d{2}) \(account "(.*)"\)', text, re.M).groups()
    if re.search(r"^types and totals as the seed", text, re.M):  # in other words: the seed's rows
        text = _SEED_TYPES + text
    types = {label: (int(count), _seconds(seconds), _yen(yen)) for label, count, seconds, yen in re.findall(
        r"(\S+?) (\d+)(?: calls)? \d+:\d\d:\d\d\.\d \(([\d.,]+) s\) ([\d,]+)", text)}
    total = re.search(r"^(?:total|types and totals as the seed): ([\d,]+) calls, [\d:.]+ = ([\d.,]+) s, "
                      r"([\d,]+) yen", text, re.M).groups()
    uncalculated = re.search(r"^stated 合計: the row holds =SUM formulas that were never calculated", text, re.M)
    stated = (None, None, None) if uncalculated else re.search(
        r"^stated 合計: (?:(\d+) calls|count absent), (?:[\d:.]+ = ([\d.,]+) s|time absent), "
        r"(?:charge absent|([\d,]+) yen)", text, re.M).groups()
    discount = re.search(r"^着割: (\d+) calls, [\d:.]+ = ([\d.,]+) s, stated ([-\d,]+), recomputed ([-\d,]+)",
                         text, re.M).groups()
    invoice = re.search(r"^expected invoice ([\d,]+); invoiced ([\d,]+); variance ([-\d,]+)", text, re.M).groups()
    checks = re.search(r"^checks: (.*)$", text, re.M).group(1)
    encoding = re.search(r"^file encoding: (\S+)", text, re.M)
    calls = re.search(r"^call records: ([\d,]+) calls, all in (\d{4}-\d{2}); (per type they tie out)?", text, re.M)
    findings = re.search(r"^findings: (none|[\w, ]+?)(?: \(|$)", text, re.M)
    return Expected(
        month, account, types,
        (_yen(total[0]), _seconds(total[1]), _yen(total[2])),
        (int(stated[0]) if stated[0] else None, _seconds(stated[1]) if stated[1] else None,
         _yen(stated[2]) if stated[2] else None),
        (int(discount[0]), _seconds(discount[1]), _yen(discount[2]), _yen(discount[3])),
        tuple(_yen(v) for v in invoice),
        re.findall(r"(\w+) FAILS", checks),
        re.search(r"^status: (\w+)", text, re.M).group(1),
        encoding.group(1) if encoding else None,
        (_yen(calls.group(1)), (calls.group(2),), bool(calls.group(3))) if calls else None,
        (() if findings.group(1) == "none" else tuple(findings.group(1).split(", "))) if findings else None,
        bool(uncalculated),
    )


def test_the_expected_words_read_as_the_seed_month():
    expected = parse_expected((CASES_DIR / "strict-ooxml" / "expected.txt").read_text(encoding="utf-8"))
    assert expected.total == (3016, 3956635, 130090)
    assert expected.types["一般通話"] == (1096, parse_duration("28:49:53.5"), 10240)
    assert expected.stated == (3016, 4316635, None)
    assert (expected.failing, expected.status) == (["total_duration"], "warning")


def test_the_call_records_words_read_as_asserted():
    expected = parse_expected((CASES_DIR / "calls-footer-total" / "expected.txt").read_text(encoding="utf-8"))
    assert (expected.calls, expected.findings, expected.encoding) == ((3016, ("2024-01",), True), (), "cp932")
    assert parse_expected((CASES_DIR / "strict-ooxml" / "expected.txt").read_text(encoding="utf-8")).calls is None


def test_the_expected_words_of_a_total_row_of_formulas_read_as_absent():
    expected = parse_expected((CASES_DIR / "xlsxwriter-formula-zero" / "expected.txt").read_text(encoding="utf-8"))
    assert expected.types["PHS通話"] == (510, parse_duration("10:55:30.0"), 15300) and len(expected.types) == 5
    assert (expected.total, expected.stated, expected.uncalculated) == ((3016, 3956635, 130090), (None,) * 3, True)
    assert (expected.failing, expected.status) == ([], "ok")


def test_every_kind_of_the_issue_has_a_case():
    names = {case.name for case in CASES}
    assert {"excel-unicode-text-quoted", "strict-ooxml", "zwsp-web-copy", "feff-inside-amount",
            "html-two-row-header", "accounting-zero-dash-csv", "ods-libreoffice-default",
            "wareki-invoice-month", "gsheets-html-download", "tableexport-injection-csv", "xlsxwriter-formula-zero",
            "chrome-webpage-complete", "calls-footer-total"} <= names
    assert len(names) > 8  # and variants of each kind of our own


def _part_of_a_page(record) -> bool:
    """A file of a page's companion folder (`2024-01_files/`), listed as the page's and not read alone."""
    return record.status == "ignored" and record.message is not None and record.message.key == "part_of_page"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_each_field_case_reads_as_its_expected_month(case, tmp_path):
    expected = parse_expected((case / "expected.txt").read_text(encoding="utf-8"))
    folder = tmp_path / "2024"
    shutil.copytree(case / "2024", folder)
    report = build(folder, load(None))
    unread = [f"{f.path}: {f.status} {render(f.message, 'en') if f.message else ''}"
              for f in report.files if f.status != "read" and not _part_of_a_page(f)]
    assert unread == []
    assert [n.key for n in report.notes if n.key.startswith("contract_")] == []  # a companion folder is none
    (month,) = [m for m in report.months if (m.account, m.month) == (expected.account, expected.month)]
    assert {r.label: (r.count, r.tenths, r.charge) for r in month.rows} == expected.types
    assert (month.total.count, month.total.tenths, month.total.charge) == expected.total
    assert (month.stated_total.count, month.stated_total.tenths, month.stated_total.charge) == expected.stated
    d = month.discount
    assert (d.count, d.tenths, d.stated, d.recomputed) == expected.discount
    assert (month.expected_invoice, month.invoiced, month.invoice_variance) == expected.invoice
    assert [c.check for c in month.checks if not c.ok] == expected.failing
    assert month.status == expected.status
    if expected.calls is not None:  # the case is about its call records: they are the file it names
        count, months, tie_out = expected.calls
        assert (month.calls.count, tuple(m.month for m in report.months if m.calls)) == (count, months)
        call_checks = [c for c in month.checks if c.check.startswith("calls_")]
        assert call_checks and all(c.ok for c in call_checks) == tie_out
    if expected.findings is not None:
        assert tuple(f.rule for f in month.findings) == expected.findings
    said = [m for m in month.messages if m.key == "stated_uncalculated"]
    assert len(said) == expected.uncalculated and all("Excel" in render(m, "en") for m in said)
    if expected.encoding:
        named = set(month.calls.sources) if expected.calls is not None else None
        (detail,) = [f for f in report.files if f.month == expected.month and (named is None or f.path in named)]
        assert detail.encoding == expected.encoding


def test_a_total_row_of_formulas_never_calculated_is_said_where_the_months_messages_are(tmp_path):
    """SPEC §1.1: the month's messages say so (open and save the file in Excel once): on the console
    and in the workbook's メッセージ, where a person reads them, not only in --json."""
    import openpyxl
    from click.testing import CliRunner

    from recon.cli import main

    folder = tmp_path / "2024"
    shutil.copytree(CASES_DIR / "xlsxwriter-formula-zero" / "2024", folder)
    said = "2024-01.xlsx:明細!C8: 合計行の数式 (=SUM(C3:C7) など) は計算されていないため"
    console = CliRunner().invoke(main, ["build", str(folder)])
    assert console.exit_code == 0 and said in console.stdout
    english = CliRunner().invoke(main, ["check", str(folder), "--lang", "en"])
    assert "holds formulas never calculated" in english.stdout
    summary = openpyxl.load_workbook(folder / "recon-2024.xlsx")["サマリー"]
    messages = [str(cell.value) for row in summary.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any(said in text.replace("\n", "") for text in messages)  # shown broken into lines
