"""Every number a person reads adds up on its own row (SPEC §2, §5): on every row of the summary,
the total rows included, 通話料金 + 着割(再計算) + 基本料等 + 消費税 = 請求見込額 and 請求額 − 請求見込額
= 差額; a total adds every column up over the same months; on the 着割 sheet, 着割(明細) − 着割(再計算)
= 差額, its total too. Read back from the saved workbook (the values a viewer shows) and from the
--json a program reads, for each example folder and for generated years."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from recon import labels
from recon.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SEED = (Path(__file__).parent / "data" / "seed" / "2024-01_table-only.txt").read_text(encoding="utf-8")
# (folder to copy, the year folder in it to build)
FOLDERS = {"2024": ("2024", ""), "company": ("company", "2024"), "archive": ("archive", "2024年度"),
           "calls": ("calls", "2024")}
PARTS = ("charge", "discount_recomputed", "fees", "tax")
TOTALS = {*labels.TOTAL_ROW, *labels.FISCAL_TOTAL_ROW}


def _build(folder: Path, *args: str) -> tuple[Path, dict]:
    """`recon build FOLDER` as a user runs it: the workbook it saved and the JSON it printed."""
    result = CliRunner().invoke(main, ["build", str(folder), "--json", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    return Path(document["workbook"]), document


def _summary_rows(path: Path) -> list[dict]:
    """The summary's table, by column key (found by the header's Japanese words), down to the year
    total and the row of every invoice under it (when there is an invoice)."""
    ws = openpyxl.load_workbook(path, data_only=True).worksheets[0]
    keys = {ja: key for key, ja, _ in labels.HEADERS["summary"]} | {labels.ACCOUNT[0]: "account"}
    columns = {keys[cell.value]: cell.column - 1 for cell in ws[1] if cell.value in keys}
    rows = [{key: values[index] for key, index in columns.items()} for values in ws.iter_rows(min_row=2, values_only=True)]
    end = next(index for index, row in enumerate(rows) if _kind(row) == "total") + 1
    return rows[:end + (end < len(rows) and _kind(rows[end]) == "invoiced")]


def _kind(row: dict) -> str:
    label = row.get("account") if "account" in row and row.get("account") in (
        *TOTALS, labels.INVOICED_ALL_ROW[0], labels.COMPANY_TOTAL[0]) else row["month"]
    if label in TOTALS:
        return "total"
    if label == labels.INVOICED_ALL_ROW[0]:
        return "invoiced"
    return "company" if label == labels.COMPANY_TOTAL[0] else "month"


def assert_summary_adds_up(path: Path) -> None:
    """Both identities on every row that has the figures; a row without them says why; each total
    row adds every column up over the same months, and 請求額合計 is every month's invoiced amount."""
    rows = _summary_rows(path)
    months = [row for row in rows if _kind(row) == "month"]
    assert months
    for row in rows:
        if row["expected"] is not None:
            assert sum(row[part] for part in PARTS) == row["expected"], row
        if row["variance"] is not None:
            assert row["invoiced"] - row["expected"] == row["variance"], row
        if _kind(row) == "month" and (row["expected"] is None or row["invoiced"] is None):
            assert row["messages"], row  # a blank figure says why on its row
    (total,) = [row for row in rows if _kind(row) == "total"]
    assert total["status"] not in {word for pair in labels.STATUS.values() for word in pair}
    _assert_added_up(total, months)
    for company in (row for row in rows if _kind(row) == "company"):
        _assert_added_up(company, [row for row in months if row["month"] == company["month"]])
    every = [row["invoiced"] for row in rows if _kind(row) == "invoiced"]
    invoiced = [row["invoiced"] for row in months if row["invoiced"] is not None]
    assert every == ([sum(invoiced)] if invoiced else [])  # every invoice row, labelled, under the total


def _assert_added_up(total: dict, rows: list[dict]) -> None:
    """Every column of `total` is the sum over the same rows: those with both amounts."""
    both = [row for row in rows if row["expected"] is not None and row["invoiced"] is not None]
    for key in ("count", "charge", "discount_recomputed", "fees", "tax", "expected", "invoiced", "variance"):
        assert total[key] == (sum(row[key] for row in both) if both else None), (key, total)
    if len(both) < len(rows):  # it says which months it leaves out
        assert total["messages"], total


def assert_discount_sheet_adds_up(path: Path) -> None:
    ws = openpyxl.load_workbook(path, data_only=True)[labels.SHEETS["discount"][0]]
    keys = {ja: key for key, ja, _ in labels.HEADERS["discount"]} | {labels.ACCOUNT[0]: "account"}
    columns = {keys[cell.value]: cell.column - 1 for cell in ws[1] if cell.value in keys}
    rows = [{key: values[index] for key, index in columns.items()} for values in ws.iter_rows(min_row=2, values_only=True)]
    *months, total = rows
    assert total[("account" if "account" in total else "month")] in TOTALS
    for row in rows:
        if row["difference"] is not None:
            assert row["stated"] - row["recomputed"] == row["difference"], row
        else:
            assert row["note"], row  # blank: it says why
    both = [row for row in months if row["stated"] is not None]
    for key in ("count", "stated", "recomputed", "difference"):
        assert total[key] == (sum(row[key] for row in both) if both else None), key


def assert_json_adds_up(document: dict) -> None:
    """The same over --json: each month's parts, each total row's, and the sums."""
    for month in document["months"]:
        if month["expected_invoice"] is None:
            assert (month["fees"], month["tax"], month["basis"]) == (None, None, None), month["month"]
            continue
        parts = month["total"]["charge"] + month["discount"]["recomputed"] + month["fees"] + month["tax"]
        assert parts == month["expected_invoice"], month["month"]
        assert month["tax"] == 0 or month["basis"] == "incl"
        if month["invoiced"] is not None:
            assert month["invoiced"] - month["expected_invoice"] == month["invoice_variance"], month["month"]
    totals = document["totals"]
    for total in (totals["year"], *totals["company"]):
        if total["expected_invoice"] is None:
            assert total["summed"] == []
            continue
        parts = total["charge"] + total["discount_recomputed"] + total["fees"] + total["tax"]
        assert parts == total["expected_invoice"] and \
            total["invoiced"] - total["expected_invoice"] == total["invoice_variance"]
        assert len(total["left_out"]) == len(total["left_out_why"])
    year = totals["year"]
    both = [m for m in document["months"] if m["expected_invoice"] is not None and m["invoiced"] is not None]
    assert year["charge"] == (sum(m["total"]["charge"] for m in both) if both else None)
    assert year["fees"] == (sum(m["fees"] for m in both) if both else None)
    assert year["invoiced_all"] == (sum(m["invoiced"] for m in document["months"] if m["invoiced"] is not None)
                                    if any(m["invoiced"] is not None for m in document["months"]) else None)


@pytest.mark.parametrize("example", sorted(FOLDERS))
def test_each_example_adds_up_on_every_row_of_its_workbook_and_its_json(example, tmp_path):
    copied, year = FOLDERS[example]
    shutil.copytree(EXAMPLES / copied, tmp_path / copied)
    workbook, document = _build(tmp_path / copied / year)
    assert_summary_adds_up(workbook)
    assert_discount_sheet_adds_up(workbook)
    assert_json_adds_up(document)


def test_the_example_years_totals_are_those_the_issue_found_apart(tmp_path):
    # 202,218 − 4,020 + 1,650 (基本料等, June to December) + 813 (December's tax) = 200,661
    shutil.copytree(EXAMPLES / "2024", tmp_path / "2024")
    workbook, document = _build(tmp_path / "2024")
    total = next(row for row in _summary_rows(workbook) if _kind(row) == "total")
    assert [total[key] for key in (*PARTS, "expected", "invoiced", "variance")] == \
        [202218, -4020, 1650, 813, 200661, 200991, 330]
    december = next(m for m in document["months"] if m["month"] == "2024-12")
    assert (december["fees"], december["basis"], december["tax"], december["expected_invoice"]) == \
        (330, "incl", 813, 10235)  # 9,468 − 376 + 330 + 813


# --- generated years ------------------------------------------------------------------------------

def _table(charge: int, international: int, incoming: str) -> str:
    return ("明細\t通話種別\t通話数\t通話時間\t通話料金\n"
            f"通話\t一般通話\t10\t0:30:00.0\t{charge}\n"
            f"\t国際通話\t2\t0:02:00.0\t{international}\n"
            f"着割\t着割対象通話\t5\t{incoming}\t\n")


MONTH = st.fixed_dictionaries({
    "table": st.booleans(), "invoice": st.booleans(), "charge": st.integers(0, 20000),
    "international": st.integers(0, 5000), "incoming": st.sampled_from(["0:00:59.0", "1:00:00.0", "10:30:00.0"]),
    "fees": st.sampled_from([0, 330, 1100]), "basis": st.sampled_from(["税別", "税込"]), "off": st.integers(-5, 5),
})


@hsettings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(MONTH, min_size=1, max_size=12))
def test_a_generated_year_adds_up_on_every_row(tmp_path_factory, months):
    """Fees, 税込 months, months without a table or an invoice, invoices off by a few yen."""
    folder = tmp_path_factory.mktemp("year") / "2024"
    folder.mkdir()
    invoices = ["利用月,請求額,税区分,基本料等"]
    for number, month in enumerate(months, 1):
        if month["table"]:
            (folder / f"2024-{number:02d}.txt").write_text(
                _table(month["charge"], month["international"], month["incoming"]), encoding="utf-8")
        if month["invoice"]:
            amount = max(month["charge"] + month["international"] + month["fees"] + month["off"], 0)
            invoices.append(f"2024-{number:02d},{amount},{month['basis']},{month['fees']}")
    (folder / "invoices.csv").write_text("\n".join(invoices) + "\n", encoding="utf-8")
    if not any(m["table"] or m["invoice"] for m in months):
        return  # no month at all: nothing to add up
    workbook, document = _build(folder, "-q")
    assert_summary_adds_up(workbook)
    assert_discount_sheet_adds_up(workbook)
    assert_json_adds_up(document)
