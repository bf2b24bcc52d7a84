"""Every rule of SPEC §2, §6 and §7 on figures worked out by hand: the arithmetic beside each
expected value is the SPEC's rule applied with pencil and paper, not what the code printed. The
edges are where a rule changes its answer: exactly at a threshold, a limit, a boundary hour."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from recon import fraud
from recon.anomalies import review
from recon.errors import ReconError
from recon.journal import entry
from recon.model import (Call, CallMonth, Close, DetailTable, DiscountRow, Figures, Finding, InvoiceRow, Message,
                         MonthResult, SignOff, TypeRow, Where, sen_to_yen)
from recon.reconcile import (MonthInputs, calls_checks, finding_message, fingerprint, recompute_discount, reconcile,
                             reconcile_month)
from recon.settings import CallSettings, load
from recon.tax import _taxable_and_tax as tax_split
from recon.tax import exempt_charge, invoice_parts, invoice_split


def expected_invoice(charges: int, invoice_row: InvoiceRow | None, settings, exempt: int = 0) -> int:
    """The expected invoice (SPEC §2): the sum of tax.invoice_parts."""
    return invoice_parts(charges, invoice_row, settings, exempt).expected

SETTINGS = load(None)
W = Where("2024-01.txt", line=3)
TOTAL_AT, DISCOUNT_AT = Where("2024-01.txt", line=8), Where("2024-01.txt", line=9)

# The seed month (SPEC §1.1): type, count, tenths of a second, yen.
SEED = (("general", 1096, 1037935, 10240),  # 28:49:53.5 = 103,793.5 s
        ("international", 600, 1980600, 96870),  # 55:01:00.0 = 198,060 s
        ("mobile", 330, 168450, 7680),  # 4:40:45.0 = 16,845 s
        ("ip", 480, 376350, 0),  # 10:27:15.0 = 37,635 s
        ("phs", 510, 393300, 15300))  # 10:55:30.0 = 39,330 s
SEED_DISCOUNT = (3016, 1408630, -1174)  # 39:07:43.0 = 140,863 s
SEED_ROWS = tuple(TypeRow(t, t, c, s, y, W) for t, c, s, y in SEED)


def table(rows=SEED, stated=(3016, 3956635, 130090), discount=SEED_DISCOUNT) -> DetailTable:
    return DetailTable(tuple(TypeRow(t, t, c, s, y, W) for t, c, s, y in rows),
                       Figures(*stated) if stated else Figures(), TOTAL_AT if stated else None,
                       DiscountRow(*discount, DISCOUNT_AT) if discount else None, Where("2024-01.txt", line=2))


def invoice(amount: int, basis: str = "excl", fees: int = 0, month: str = "2024-01") -> InvoiceRow:
    return InvoiceRow("", month, amount, basis, fees, "", Where("invoices.csv", line=2))


def month(tbl: DetailTable | None = None, inv: InvoiceRow | None = None, settings=SETTINGS, *,
          tables: list | None = None, errors=()) -> MonthResult:
    inputs = MonthInputs(tables=tables if tables is not None else [("2024-01.txt", tbl)] if tbl else [],
                         invoices=[inv] if inv else [], errors=list(errors))
    return reconcile_month("", "2024-01", inputs, settings)


def check(result: MonthResult, name: str):
    return next(c for c in result.checks if c.check == name)


# ── 着割 (SPEC §2): units = floor(seconds / 60), discount = -round_half_up(units × 0.5), capped ────

@pytest.mark.parametrize("tenths, charge, discount", [
    (1408630, 130090, -1174),  # 140,863 s // 60 = 2,347 units (2,347 × 60 = 140,820; 43 s left) × 0.5 = 1,173.5 → 1,174
    (1408000, 130090, -1173),  # 140,800 s // 60 = 2,346 units × 0.5 = 1,173.0 → 1,173
    (599, 1000, 0),  # 59.9 s: no full minute
    (600, 1000, -1),  # 60 s = 1 unit × 0.5 = 0.5 → half up 1
    (1799, 1000, -1),  # 179.9 s = 2 units × 0.5 = 1.0 → 1
    (1800, 1000, -2),  # 180 s = 3 units × 0.5 = 1.5 → 2
    (120000, 1000, -100),  # 12,000 s // 60 = 200 units × 0.5 = 100.0 → 100
])
def test_discount_units_and_half_up(tenths, charge, discount):
    assert recompute_discount(tenths, charge, SETTINGS) == discount


@pytest.mark.parametrize("tenths, charge, discount", [
    (1200000, 800, -800),  # 120,000 s = 2,000 units × 0.5 = 1,000 > the month's 800 yen → capped at 800
    (1200000, 1000, -1000),  # exactly the month's charge: 1,000 = 1,000, the cap changes nothing
    (1200000, 1001, -1000),  # one yen under the cap: 1,000
    (1200000, 0, 0),  # no charges: nothing to discount
    (1200000, -300, 0),  # a negative month (a refund row): the cap is the charge, and never below 0 yen
])
def test_discount_cap(tenths, charge, discount):
    assert recompute_discount(tenths, charge, SETTINGS) == discount


def test_discount_cap_off_leaves_the_discount_whole_even_on_a_negative_month():
    settings = load(None, {"discount": {"cap": False}})
    assert recompute_discount(1200000, -300, settings) == -1000  # 2,000 units × 0.5, no cap


def test_discount_settings_rate_unit_rounding():
    settings = load(None, {"discount": {"rate_yen": Decimal("0.3"), "unit_seconds": 30, "rounding": "ceil"}})
    # 100 s // 30 = 3 units × 0.3 = 0.9 → ceil 1
    assert recompute_discount(1000, 1000, settings) == -1
    settings = load(None, {"discount": {"rate_yen": Decimal("0.3"), "unit_seconds": 30, "rounding": "floor"}})
    # 119.9 s // 30 = 3 units (not 4: 120 s would be) × 0.3 = 0.9 → floor 0
    assert recompute_discount(1199, 1000, settings) == 0


def test_negative_month_gets_no_discount_and_its_invoice_is_its_charge():
    rows = (("general", 3, 1800, 200), ("other:返金", 1, 0, -500))  # 200 − 500 = −300 yen
    result = month(table(rows, stated=None, discount=(3, 1200000, 0)), invoice(-300))
    assert result.total.charge == -300
    assert result.discount.recomputed == 0  # capped at max(−300, 0) = 0, never a positive discount
    assert result.expected_invoice == -300  # −300 + 0 + 0 fees
    assert check(result, "discount").ok and check(result, "invoice").ok


# ── the expected invoice (SPEC §2): charge + 着割 + fees (+ tax on the taxable part) ───────────────

def test_seed_month_excl_and_its_checks():
    result = month(table(stated=(3016, 4316635, None)), invoice(128916))
    # 10,240 + 96,870 + 7,680 + 0 + 15,300 = 130,090; 1,096 + 600 + 330 + 480 + 510 = 3,016 calls
    # 103,793.5 + 198,060 + 16,845 + 37,635 + 39,330 = 395,663.5 s
    assert result.total == Figures(3016, 3956635, 130090)
    assert result.expected_invoice == 128916  # 130,090 − 1,174
    assert check(result, "total_duration").difference == 360000  # 431,663.5 − 395,663.5 = 36,000 s
    assert result.status == "warning"


@pytest.mark.parametrize("inv, expected", [
    (invoice(128916), 128916),  # 130,090 − 1,174 + 0, before tax
    (invoice(130016, fees=1100), 130016),  # 130,090 − 1,174 + 1,100
    # SPEC's example: taxable 128,916 − 96,870 = 32,046 × 1.10 = 35,250.6 → floor 35,250; + 96,870 = 132,120
    (invoice(132120, "incl"), 132120),
    # with fees: 128,916 + 1,100 = 130,016 − 96,870 = 33,146 × 1.10 = 36,460.6 → 36,460; + 96,870 = 133,330
    (invoice(133330, "incl", fees=1100), 133330),
])
def test_expected_invoice_of_the_seed_month(inv, expected):
    result = month(table(), inv)
    assert result.expected_invoice == expected
    assert check(result, "invoice").difference == inv.amount - expected == 0


@pytest.mark.parametrize("overrides, expected", [
    # 32,046 × 1.10 = 35,250.6 → half up 35,251; + 96,870 = 132,121
    ({"tax": {"rounding": "half_up"}}, 132121),
    # 32,046 × 1.08 = 34,609.68 → floor 34,609; + 96,870 = 131,479
    ({"tax": {"rate": Decimal("0.08")}}, 131479),
    # international taxed too: 128,916 × 1.10 = 141,807.6 → floor 141,807
    ({"tax": {"international": "taxable"}}, 141807),
])
def test_expected_invoice_tax_settings(overrides, expected):
    assert month(table(), invoice(1, "incl"), load(None, overrides)).expected_invoice == expected


def test_the_taxable_part_is_never_negative():
    # 300 + 5,000 − 1,000 discount = 4,300; exempt 5,000 → taxable max(4,300 − 5,000, 0) = 0;
    # floor(0 × 1.10) + 5,000 = 5,000
    assert expected_invoice(4300, invoice(1, "incl"), SETTINGS, exempt=5000) == 5000
    # the same month before tax: 4,300 (no tax on an excl row)
    assert expected_invoice(4300, invoice(1), SETTINGS, exempt=5000) == 4300


def test_expected_invoice_without_an_invoice_row_is_the_net_charge():
    assert expected_invoice(128916, None, SETTINGS, exempt=96870) == 128916


def test_expected_invoice_with_nothing_exempt_taxes_it_all():
    # 100 × 1.10 = 110: with no exempt part named, none is assumed
    assert expected_invoice(100, invoice(1, "incl"), SETTINGS) == 110
    # 10 × 1.10 = 11 (with 1 yen exempt it would be floor(9 × 1.10) + 1 = 10)
    taxable = load(None, {"tax": {"international": "taxable"}})
    assert exempt_charge(SEED_ROWS, taxable) == 0 and exempt_charge(SEED_ROWS, SETTINGS) == 96870
    assert expected_invoice(10, invoice(1, "incl"), taxable, exempt_charge(SEED_ROWS, taxable)) == 11


# ── tolerances (SPEC §2): passes when |stated − recomputed| ≤ tolerance ───────────────────────────

@pytest.mark.parametrize("yen, invoiced, ok", [
    (0, 128916, True), (0, 128917, False), (0, 128915, False),  # tolerance 0: exact only
    (2, 128918, True), (2, 128914, True),  # |±2| ≤ 2
    (2, 128919, False), (2, 128913, False),  # |±3| > 2
])
def test_invoice_tolerance_edges(yen, invoiced, ok):
    result = month(table(), invoice(invoiced), load(None, {"tolerance": {"yen": yen}}))
    assert check(result, "invoice").ok is ok and check(result, "invoice").difference == invoiced - 128916
    assert result.status == ("ok" if ok else "variance")


@pytest.mark.parametrize("seconds, stated_tenths, ok", [
    ("0", 3956635, True), ("0", 3956636, False),  # 0.1 s over, tolerance 0
    ("0.5", 3956640, True), ("0.5", 3956630, True),  # ±0.5 s = ±5 tenths ≤ 0.5 s
    ("0.5", 3956641, False), ("0.5", 3956629, False),  # ±0.6 s
])
def test_duration_tolerance_edges(seconds, stated_tenths, ok):
    result = month(table(stated=(3016, stated_tenths, 130090)), invoice(128916),
                   load(None, {"tolerance": {"seconds": Decimal(seconds)}}))
    assert check(result, "total_duration").ok is ok
    assert result.status == ("ok" if ok else "warning")  # time is no money: a warning at worst


def test_the_yen_tolerance_covers_the_stated_charge_and_discount_but_never_the_count():
    settings = load(None, {"tolerance": {"yen": 1, "seconds": Decimal(1)}})
    result = month(table(stated=(3017, 3956635, 130091), discount=(3016, 1408630, -1175)), invoice(128916), settings)
    # 130,091 − 130,090 = 1 ≤ 1; −1,175 − (−1,174) = −1, |−1| ≤ 1
    assert check(result, "total_charge").ok and check(result, "discount").ok
    assert not check(result, "total_count").ok  # 3,017 − 3,016 = 1 call: counts are exact
    assert result.status == "warning"


# ── month status (SPEC §2): error > missing > variance > warning > ok ──────────────────────────────

BAD_FILE = [ReconError(Where("2024-01.txt", line=3), "count", "1O96").message()]


@pytest.mark.parametrize("case, status", [
    ("everything ties out", "ok"),
    ("only the stated time is off", "warning"),
    ("an unknown call type, all else ties out", "warning"),
    ("the invoice is off and the time too", "variance"),
    ("the stated discount is off", "variance"),
    ("the stated charge is off", "variance"),
    ("no invoice row, and the stated charge is off", "missing"),
    ("no detail table", "missing"),
    ("two different tables, no invoice row", "error"),
    ("a file that cannot be read, and the invoice off", "error"),
])
def test_month_status_precedence(case, status):
    tied = dict(stated=(3016, 3956635, 130090))
    results = {
        "everything ties out": lambda: month(table(**tied), invoice(128916)),
        "only the stated time is off": lambda: month(table(stated=(3016, 3956636, 130090)), invoice(128916)),
        "an unknown call type, all else ties out": lambda: month(
            table(SEED + (("other:ナビダイヤル", 1, 10, 0),), stated=(3017, 3956645, 130090)), invoice(128916)),
        "the invoice is off and the time too": lambda: month(table(stated=(3016, 3956636, 130090)), invoice(128917)),
        "the stated discount is off": lambda: month(table(discount=(3016, 1408630, -1173), **tied), invoice(128916)),
        "the stated charge is off": lambda: month(table(stated=(3016, 3956635, 130091)), invoice(128916)),
        "no invoice row, and the stated charge is off": lambda: month(table(stated=(3016, 3956635, 130091))),
        "no detail table": lambda: month(None, invoice(128916)),
        "two different tables, no invoice row": lambda: month(tables=[
            ("a.txt", table(**tied)), ("b.txt", table(SEED[:4] + (("phs", 510, 393300, 15301),), **tied))]),
        "a file that cannot be read, and the invoice off": lambda: month(table(**tied), invoice(1), errors=BAD_FILE),
    }
    result = results[case]()
    assert result.status == status, case
    if status == "error":  # no figures shown as the month's
        assert (result.total, result.discount, result.expected_invoice) == (None, None, None)


FISCAL_2024 = tuple(f"{y}-{m:02d}" for y, m in [(2024, m) for m in range(4, 13)] + [(2025, m) for m in (1, 2, 3)])


def test_a_month_outside_the_folders_year_is_reconciled_and_flagged():
    inputs = MonthInputs(tables=[("2024-01.txt", table())], invoices=[invoice(128916)])
    outside = reconcile_month("", "2024-03", inputs, SETTINGS, FISCAL_2024)  # 2024年度 runs 2024-04 … 2025-03
    assert outside.status == "warning" and outside.expected_invoice == 128916
    assert [(m.key, dict(m.params)) for m in outside.messages if m.key == "outside_year"] == [
        ("outside_year", {"month": "2024-03", "first": "2024-04", "last": "2025-03"})]
    inside = reconcile_month("", "2024-04", MonthInputs(tables=[("2024-04.txt", table())], invoices=[invoice(128916)]),
                             SETTINGS, FISCAL_2024)
    assert inside.status == "ok" and "outside_year" not in keys_of(inside)
    assert reconcile_month("", "2024-03", inputs, SETTINGS).status == "ok"  # the year not known: nothing outside it


def test_a_months_messages_keep_every_finding_and_take_nothing_from_its_inputs():
    errors = list(BAD_FILE)
    inputs = MonthInputs(tables=[("2024-01.txt", table())], invoices=[invoice(128916)], errors=errors)
    result = reconcile_month("", "2024-03", inputs, SETTINGS, FISCAL_2024)
    assert result.status == "error" and keys_of(result)[:2] == ["outside_year", BAD_FILE[0].key]
    assert errors == BAD_FILE  # the inputs' list is not the month's


def test_a_month_without_a_table_says_so_unless_a_file_of_it_is_in_error():
    only_invoice = month(None, invoice(128916))
    assert only_invoice.status == "missing" and "no_detail" in keys_of(only_invoice)
    in_error = month(None, invoice(128916), errors=BAD_FILE)
    assert in_error.status == "error" and "no_detail" not in keys_of(in_error)
    with_table = month(table(), None)
    assert "no_detail" not in keys_of(with_table) and "no_invoice" in keys_of(with_table)


def test_per_call_records_without_numbers_csv_are_costed_by_number():
    calls = CallMonth(("calls.csv",), (("general", 2, 1200, 1024000),), (("0312345678", 2, 1200, 1024000),), ())
    result = reconcile_month("", "2024-01", MonthInputs(tables=[("2024-01.txt", table(
        (("general", 2, 1200, 10240),), stated=None, discount=None))], calls=[calls]), SETTINGS)
    assert [(c.number, c.department, c.sen) for c in result.costs] == [("0312345678", "", 1024000)]


def keys_of(result: MonthResult) -> list[str]:
    return [m.key for m in result.messages]


# ── anomalies: a jump of at least min_yen (min_calls) to more than factor × the trailing median ───

def anomaly_messages(charges: list[int], settings=SETTINGS, calls: list[int] | None = None,
                     history: tuple[MonthResult, ...] = ()) -> list[tuple[str, str, dict]]:
    """(month, anomaly key, its params) of months with one international row of these charges (and
    call counts, default 1) and a constant general row."""
    inputs = {}
    for number, (charge, count) in enumerate(zip(charges, calls or [1] * len(charges)), start=1):
        rows = (("general", 100, 60000, 5000), ("international", count, 600, charge))
        inputs[("", f"2024-{number:02d}")] = MonthInputs(tables=[("x.txt", table(rows, stated=None, discount=None))])
    months, _ = review(reconcile(inputs, settings), settings, history)
    return [(m.month, x.key, dict(x.params)) for m in months for x in m.messages if x.key.startswith("anomaly")]


def anomaly_year(charges: list[int], settings=SETTINGS, calls: list[int] | None = None) -> list[tuple[str, str]]:
    """Months with one international row of these charges (and call counts, default 1) and a
    constant general row; the (month, anomaly key) found."""
    return [(month, key) for month, key, _ in anomaly_messages(charges, settings, calls)]


@pytest.mark.parametrize("charges, found", [
    # median of 600, 600, 600 = 600; factor 3 → over 1,800; jump floor 1,000 yen
    ([600, 600, 600, 1800], []),  # exactly 3 × 600: not over it
    ([600, 600, 600, 1801], [("2024-04", "anomaly_spike")]),  # 1,801 > 1,800 and 1,801 − 600 = 1,201 ≥ 1,000
    # median 400: 3 × 400 = 1,200, so the jump floor decides
    ([400, 400, 400, 1399], []),  # 1,399 − 400 = 999 < 1,000
    ([400, 400, 400, 1400], [("2024-04", "anomaly_spike")]),  # 1,400 − 400 = 1,000: exactly the floor
    # a type normally zero: new charges of at least the floor
    ([0, 0, 0, 999], []),
    ([0, 0, 0, 1000], [("2024-04", "anomaly_new")]),
    # history: three months needed before a month is judged
    ([600, 600, 9000], []),
    ([600, 600, 600, 9000], [("2024-04", "anomaly_spike")]),
    # even count of months: the median of 400, 400, 800, 800 = (400 + 800) / 2 = 600; 3 × 600 = 1,800
    ([400, 800, 400, 800, 1800], []),
    ([400, 800, 400, 800, 1801], [("2024-05", "anomaly_spike")]),
])
def test_anomaly_thresholds(charges, found):
    assert anomaly_year(charges) == found


def test_anomaly_median_is_over_the_trailing_window_only():
    # window 6: July is judged against Jan–Jun = 100 × 6 → the median 100, 3 × 100 = 300
    # but with window 2: against May, June = 2,000, 2,000 → the median 2,000, so 2,500 is ordinary
    charges = [100, 100, 100, 100, 2000, 2000, 2500]
    assert ("2024-07", "anomaly_spike") in anomaly_year(charges)
    assert ("2024-07", "anomaly_spike") not in anomaly_year(charges, load(None, {"anomaly": {"window": 2}}))


@pytest.mark.parametrize("calls, found", [
    # charges stay 600; calls median 10, factor 3 → over 30 calls; jump floor 30 calls
    ([10, 10, 10, 39], []),  # 39 − 10 = 29 < 30
    ([10, 10, 10, 40], [("2024-04", "anomaly_spike")]),  # 40 − 10 = 30 ≥ 30 and 40 > 3 × 10
    ([20, 20, 20, 60], []),  # 60 − 20 = 40 ≥ 30 but 60 = 3 × 20, not over
])
def test_anomaly_on_the_count_of_calls(calls, found):
    assert anomaly_year([600, 600, 600, 600], calls=calls) == found


def test_an_anomaly_says_its_measure_its_figure_and_how_many_times_the_median():
    ((_, key, params),) = anomaly_messages([600, 600, 600, 1801])
    assert (key, params["what"], params["now"], params["months"]) == ("anomaly_spike", "yen", "1,801", "3")
    assert params["times"] == "3.0"  # 1,801 / 600 = 3.0016… → 3.0
    ((_, key, params),) = anomaly_messages([600, 600, 600, 600], calls=[10, 10, 10, 1040])
    assert (key, params["what"], params["now"], params["times"]) == ("anomaly_spike", "calls", "1,040", "104.0")


def test_a_type_normally_zero_is_new_from_one_yen_when_the_floor_is_zero():
    settings = load(None, {"anomaly": {"min_yen": 0}})
    # median 0; the jump floor max(0, 1) = 1 yen: 1 yen − 0 ≥ 1
    assert [(m, k) for m, k, _ in anomaly_messages([0, 0, 0, 1], settings)] == [("2024-04", "anomaly_new")]
    assert anomaly_messages([0, 0, 0, 0], settings) == []


def test_the_previous_years_months_are_history_in_month_order():
    earlier = {("", f"2023-{n:02d}"): MonthInputs(tables=[("x.txt", table(
        (("general", 100, 60000, 5000), ("international", 1, 600, charge)), stated=None, discount=None))])
        for n, charge in zip((10, 11, 12), (600, 600, 5000))}
    history = tuple(reversed(reconcile(earlier, SETTINGS)))  # handed over in any order
    # January 2024 against 2023-10..12 (600, 600, 5,000): the median 600, 3 × 600 = 1,800 < 2,000
    found = anomaly_messages([2000], history=history)
    assert [(m, k, p["months"]) for m, k, p in found] == [("2024-01", "anomaly_spike", "3")]
    # window 2: against 2023-11, 2023-12 (600, 5,000) in month order, the median 2,800: no spike
    assert anomaly_messages([2000], load(None, {"anomaly": {"window": 2}}), history=history) == []


def shift_hint(charges: list[int], invoiced: dict[int, int]) -> dict | None:
    """The invoices_shifted note of months with these charges (expected = charge: no discount or
    fees) and these invoice rows (month number → amount)."""
    inputs = {}
    for number, charge in enumerate(charges, start=1):
        rows = (("general", 1, 600, charge),)
        inputs[("", f"2024-{number:02d}")] = MonthInputs(tables=[("x.txt", table(rows, stated=None, discount=None))])
    for number, amount in invoiced.items():
        inputs[("", f"2024-{number:02d}")].invoices.append(invoice(amount, month=f"2024-{number:02d}"))
    _, notes = review(reconcile(inputs, SETTINGS), SETTINGS)
    found = [dict(n.params) for n in notes if n.key == "invoices_shifted"]
    return found[0] if found else None


@pytest.mark.parametrize("charges, invoiced, hint", [
    # two months tie out one month later (Feb holds Jan's 1,000, Mar Feb's 2,000), none as typed: 2 ≥ 2, 2 > 0
    ([1000, 2000, 3000], {2: 1000, 3: 2000}, ("2", "0", "3")),
    # one month shifted is no pattern: 1 < 2
    ([1000, 2000, 3000], {2: 1000}, None),
    # two shifted and one as typed (Apr 4,000): 2 > 2 × 1 fails
    ([1000, 2000, 3000, 4000], {2: 1000, 3: 2000, 4: 4000}, None),
    # three shifted and one as typed: 3 > 2 × 1
    ([1000, 2000, 3000, 4000, 5000], {2: 1000, 3: 2000, 4: 3000, 5: 5000}, ("3", "1", "5")),
    # two shifted, three as typed: 2 > 6 fails
    ([1000, 2000, 2000, 2000, 2000], {2: 1000, 3: 2000, 4: 2000, 5: 2000}, None),
])
def test_invoices_shifted_by_a_month(charges, invoiced, hint):
    found = shift_hint(charges, invoiced)
    assert (None if found is None else (found["shifted"], found["typed"], found["months"])) == hint


# ── per-call records (SPEC §7) ───────────────────────────────────────────────────────────────────

US = "01012125550100"
A, B = "05030000001", "05030000002"


def call(start: str, calling: str = A, tenths: int = 300, sen: int = 9000, called: str = US) -> Call:
    return Call(dt.datetime.fromisoformat(start), calling, called, "international", tenths, sen,
                Where("calls.csv", line=2))


def calls_at(*starts: str) -> tuple[Call, ...]:
    return tuple(call(s, tenths=300 + i) for i, s in enumerate(starts))


def every(start: str, n: int, seconds: int) -> tuple[str, ...]:
    first = dt.datetime.fromisoformat(start)
    return tuple((first + dt.timedelta(seconds=seconds * i)).isoformat() for i in range(n))


# bursts: burst_calls (10) calls from one number starting within burst_minutes (10)
@pytest.mark.parametrize("starts, found", [
    # 10 calls, the last 9 × 60 s = 9 min after the first … and exactly 10 min: still within
    (every("2024-03-05T14:00:00", 10, 60), [10]),
    (every("2024-03-05T14:00:00", 9, 60) + ("2024-03-05T14:10:00",), [10]),  # 14:10:00 − 14:00:00 = 10 min
    (every("2024-03-05T14:00:00", 9, 60) + ("2024-03-05T14:10:01",), []),  # 10 min 1 s: not within
    (every("2024-03-05T14:00:00", 9, 10), []),  # nine calls in 80 s: one short of ten
])
def test_burst_window_at_its_limit(starts, found):
    assert [f.count for f in fraud.bursts(calls_at(*starts), CallSettings())] == found


def test_bursts_of_two_numbers_apart_and_together():
    a = calls_at(*every("2024-03-05T14:00:00", 10, 60))  # 14:00–14:09 from A
    b = tuple(call(s, calling=B, tenths=400 + i) for i, s in enumerate(every("2024-03-05T14:00:30", 10, 60)))
    found = fraud.bursts(a + b, CallSettings())
    assert [(f.numbers, f.count) for f in found] == [((A,), 10), ((B,), 10)]


def test_a_burst_between_ordinary_calls_is_those_calls_only():
    before = ("2024-03-05T09:00:00", "2024-03-05T11:00:00")  # not in any window of ten
    after = ("2024-03-05T14:40:00",)  # 31 minutes after the burst's last call
    found = fraud.bursts(calls_at(*before, *every("2024-03-05T14:00:00", 10, 60), *after), CallSettings())
    assert [(f.count, f.first_iso, dict(f.detail)) for f in found] == [(10, "2024-03-05T14:00:00", {"minutes": "9"})]


def test_calls_two_minutes_apart_all_day_are_no_burst():
    # any 10 minutes hold at most 6 calls (0, 2, 4, 6, 8, 10 min): the window slides over 200 calls
    assert fraud.bursts(calls_at(*every("2024-03-05T08:00:00", 200, 120)), CallSettings()) == []


def test_two_bursts_exactly_a_window_apart_are_one_and_more_apart_are_two():
    first = every("2024-03-05T14:00:00", 10, 60)  # 14:00–14:09
    # 14:19:00 is exactly 10 minutes after 14:09:00: within one window, so one burst of 20 calls,
    # 14:00:00–14:28:00 = 28 minutes
    found = fraud.bursts(calls_at(*first, *every("2024-03-05T14:19:00", 10, 60)), CallSettings())
    assert [(f.count, dict(f.detail)) for f in found] == [(20, {"minutes": "28"})]
    # 14:19:01: more than a window apart, two bursts of 9 minutes each
    found = fraud.bursts(calls_at(*first, *every("2024-03-05T14:19:01", 10, 60)), CallSettings())
    assert [(f.count, dict(f.detail)) for f in found] == [(10, {"minutes": "9"}), (10, {"minutes": "9"})]


def test_a_burst_says_its_minutes_rounded_up():
    # 11 calls 61 s apart: 10 × 61 s = 610 s = 10 min 10 s → 11 minutes
    (found,) = fraud.bursts(calls_at(*every("2024-03-05T14:00:00", 11, 61)), CallSettings(burst_minutes=11))
    assert (found.count, dict(found.detail)) == (11, {"minutes": "11"})


def test_burst_limits_are_settings():
    rule = CallSettings(burst_calls=3, burst_minutes=1)
    # 3 calls within 60 s: 14:00:00, 14:00:30, 14:01:00 → one burst of 3 lasting 1 minute
    (found,) = fraud.bursts(calls_at("2024-03-05T14:00:00", "2024-03-05T14:00:30", "2024-03-05T14:01:00"), rule)
    assert (found.count, dict(found.detail)) == (3, {"minutes": "1"})
    assert fraud.bursts(calls_at("2024-03-05T14:00:00", "2024-03-05T14:00:30", "2024-03-05T14:01:01"), rule) == []


@pytest.mark.parametrize("n, rule, found", [
    (5, CallSettings(), [5]),  # same_duration_calls = 5: exactly five calls of 0:00:30.0
    (4, CallSettings(), []),
    (3, CallSettings(same_duration_calls=3), [3]),
    (2, CallSettings(same_duration_calls=3), []),
])
def test_same_duration_at_exactly_n(n, rule, found):
    calls = tuple(call(f"2024-03-{4 + d:02d}T10:00:00", tenths=300) for d in range(n))
    calls += (call("2024-03-15T10:00:00", tenths=301),)  # one tenth longer: another duration
    assert [f.count for f in fraud.same_durations(calls, rule)] == found


def test_same_duration_counts_per_number():
    calls = tuple(call(f"2024-03-{4 + d:02d}T10:00:00", calling=(A, B)[d % 2], tenths=300) for d in range(8))
    assert fraud.same_durations(calls, CallSettings()) == []  # four from A, four from B


def _numbers(*sen_by_number: tuple[str, int]) -> CallMonth:
    """A month whose calling numbers were charged these sen, one call each."""
    first = dt.datetime(2024, 3, 4, 10, 0)
    return CallMonth(("calls.csv",), (("general", len(sen_by_number), 600 * len(sen_by_number),
                                      sum(sen for _, sen in sen_by_number)),),
                     tuple(sorted((number, 1, 600, sen) for number, sen in sen_by_number)), (),
                     tuple(sorted((number, first) for number, _ in sen_by_number if number)))


@pytest.mark.parametrize("by_number, found", [
    # share 0.5: over half of the month's charge. 200,001 sen of 400,001 = 50.0001 % → shown 50
    ((("A", 200001), ("B", 100000), ("C", 100000)), [("A", "50")]),
    ((("A", 200000), ("B", 100000), ("C", 100000)), []),  # exactly half: not over
    # at least 1,000 yen (100,000 sen): 100,000 of 160,000 = 62.5 % → 63 (half up)
    ((("A", 100000), ("B", 30000), ("C", 30000)), [("A", "63")]),
    ((("A", 99999), ("B", 30000), ("C", 30000)), []),  # 999.99 yen
    # judged in a month of at least 3 numbers: 2 are too few, and calls without a number are none
    ((("A", 300000), ("B", 100000)), []),
    ((("A", 300000), ("B", 100000), ("", 100000)), []),
    # but their charge is the month's: 300,000 of 500,000 = 60 %
    ((("A", 300000), ("B", 100000), ("C", 1), ("", 99999)), [("A", "60")]),
])
def test_number_share_edges(by_number, found):
    findings = fraud.number_share(_numbers(*by_number), CallSettings())
    assert [(f.numbers[0], dict(f.detail)["share"]) for f in findings] == found
    for finding in findings:
        assert finding.sen == dict(by_number)[finding.numbers[0]] and finding.count == 1


def test_number_share_without_a_floor_judges_a_month_of_one_sen():
    # share_min_yen 0: 1 sen of 1 sen is 100 % of the month, over half
    rule = CallSettings(share_min_yen=0)
    (found,) = fraud.number_share(_numbers(("A", 1), ("B", 0), ("C", 0)), rule)
    assert (found.numbers, dict(found.detail)) == (("A",), {"share": "100"})
    assert fraud.number_share(_numbers(("A", 0), ("B", 0), ("C", 0)), rule) == []  # nothing charged


def test_number_share_of_a_month_whose_credits_cancel_its_charges_is_none():
    # 1,000 yen charged and 1,000 yen credited: the month is 0 yen, of which no number has a share
    assert fraud.number_share(_numbers(("A", 100000), ("B", -100000), ("C", 0)), CallSettings()) == []
    assert fraud.number_share(_numbers(("A", 100000), ("B", -100001), ("C", 0)), CallSettings()) == []  # below 0


def test_number_share_lists_the_numbers_own_watched_calls():
    month = _numbers(("A", 300000), ("B", 100000), ("C", 100000))
    own, other = call("2024-03-05T10:00:00", calling="A"), call("2024-03-05T11:00:00", calling="B")
    month = CallMonth(month.sources, month.by_type, month.by_number, (own, other), month.firsts)
    (found,) = fraud.number_share(month, CallSettings())
    assert found.calls == (own,) and found.first == dt.datetime(2024, 3, 4, 10, 0)


def test_a_destination_is_new_against_all_the_months_before():
    uk, fr = "0104420794600", "0103314000000"
    months = [("2024-01", _watched(call("2024-01-09T10:00:00"), call("2024-01-09T11:00:00", called=uk))),
              ("2024-02", _watched(call("2024-02-06T10:00:00"), call("2024-02-06T11:00:00", called=fr),
                                   call("2024-02-10T11:00:00"))),  # a Saturday
              ("2024-03", _watched(call("2024-03-05T10:00:00", called=uk)))]  # the UK is known from January
    found = fraud.watch(months, CallSettings())
    assert {m: [(f.rule, f.count, dict(f.detail)) for f in fs] for m, fs in found.items()} == {
        "2024-02": [("off_hours", 1, {}), ("new_destination", 1, {"country": "FR (+33)"})]}


@pytest.mark.parametrize("called, country", [
    ("01012125550100", "US (+1)"), ("01016135550100", "CA (+1)"),  # +1 split by the area code
    ("0104420794600", "GB (+44)"), ("0108821234567", "+882"),  # +882: international networks, no country
    ("0109991234567", "?"),  # +999 is no country code at all
])
def test_the_country_of_a_number_dialled_from_japan(called, country):
    assert fraud.country(called) == country


def _watched(*calls: Call) -> CallMonth:
    return CallMonth(("calls.csv",), (), (), calls, ())


OFFICE = CallSettings(business_start=9, business_end=18)


@pytest.mark.parametrize("start, rule, business", [
    # 2024-03-05 is a Tuesday
    ("2024-03-05T08:59:59", OFFICE, False), ("2024-03-05T09:00:00", OFFICE, True),
    ("2024-03-05T17:59:59", OFFICE, True), ("2024-03-05T18:00:00", OFFICE, False),
    # the defaults: 8 to 20 o'clock
    ("2024-03-05T07:59:59", CallSettings(), False), ("2024-03-05T08:00:00", CallSettings(), True),
    ("2024-03-05T19:59:59", CallSettings(), True), ("2024-03-05T20:00:00", CallSettings(), False),
    # weekends: 2024-03-08 Friday, 09 Saturday, 10 Sunday, 11 Monday
    ("2024-03-08T12:00:00", CallSettings(), True), ("2024-03-09T12:00:00", CallSettings(), False),
    ("2024-03-10T12:00:00", CallSettings(), False), ("2024-03-11T12:00:00", CallSettings(), True),
    # public holidays: 2024-02-12 振替休日 (建国記念の日 fell on a Sunday), 2024-09-23 振替休日 (秋分の日 on
    # Sunday 9/22), 2024-11-04 振替休日 (文化の日 on Sunday 11/3), 2024-07-15 海の日 (3rd Monday of July)
    ("2024-02-12T12:00:00", CallSettings(), False), ("2024-02-13T12:00:00", CallSettings(), True),
    ("2024-09-23T12:00:00", CallSettings(), False), ("2024-11-04T12:00:00", CallSettings(), False),
    ("2024-07-15T12:00:00", CallSettings(), False), ("2024-07-16T12:00:00", CallSettings(), True),
    # 2026-09-22 国民の休日: a Tuesday between 敬老の日 (9/21) and 秋分の日 (9/23)
    ("2026-09-22T12:00:00", CallSettings(), False),
    # 12/29–1/3 are no public holidays: business days unless [calls] year_end (the default) closes them
    ("2025-12-29T12:00:00", CallSettings(year_end=False), True),  # Monday
    ("2024-12-31T12:00:00", CallSettings(year_end=False), True),  # Tuesday
    ("2025-01-02T12:00:00", CallSettings(year_end=False), True),  # Thursday
    ("2025-01-01T12:00:00", CallSettings(year_end=False), False),  # 元日 is a public holiday
    ("2025-12-29T12:00:00", CallSettings(), False), ("2026-01-02T12:00:00", CallSettings(), False),
    ("2025-12-26T12:00:00", CallSettings(), True),  # Friday before
    ("2026-01-05T12:00:00", CallSettings(), True),  # Monday after
    ("2023-12-28T12:00:00", CallSettings(), True), ("2024-01-04T12:00:00", CallSettings(), True),  # Thursdays
    ("2024-12-29T12:00:00", CallSettings(), False), ("2024-01-03T12:00:00", CallSettings(), False),
])
def test_business_time_boundaries(start, rule, business):
    assert fraud.is_business_time(dt.datetime.fromisoformat(start), rule) is business
    assert [f.count for f in fraud.off_hours((call(start),), rule)] == ([] if business else [1])


def test_the_year_end_days_are_no_public_holidays():
    for year in (2024, 2025, 2026):
        found = fraud.japanese_holidays(year)
        assert dt.date(year, 1, 1) in found  # 元日
        assert not {dt.date(year, 12, d) for d in (28, 29, 30, 31)} & found
        assert not {dt.date(year, 1, d) for d in (2, 3, 4)} & found
    # 2023-01-01 was a Sunday: 1/2 was its 振替休日, a public holiday of that year only
    assert dt.date(2023, 1, 2) in fraud.japanese_holidays(2023)
    assert dt.date(2023, 1, 3) not in fraud.japanese_holidays(2023)


# per-call charges: hundredths of a yen, summed exactly, shown half up
@pytest.mark.parametrize("sen, yen", [
    (1024049, 10240),  # 10,240.49 → 10,240
    (1024050, 10241),  # 10,240.50 → 10,241: a half goes up
    (1024099, 10241), (50, 1), (49, 0), (0, 0),
    (-150, -2), (-149, -1),  # half away from zero, as every shown figure
])
def test_sen_to_yen_rounds_half_up(sen, yen):
    assert sen_to_yen(sen) == yen


def _records(*by_type: tuple[str, int, int, int]) -> CallMonth:
    return CallMonth(("calls.csv",), tuple(by_type), (), ())


def _calls_check(stated_charge: int, sen: int, settings=SETTINGS):
    tbl = table((("general", 2, 1200, stated_charge),), stated=None, discount=None)
    messages: list = []
    found = {c.check: c for c in calls_checks(tbl, _records(("general", 2, 1200, sen)), settings, messages)}
    return found["calls_charge"], [m.key for m in messages]


@pytest.mark.parametrize("stated, sen, recomputed, ok", [
    (10241, 1024050, 10241, True),  # 10,240.50 → 10,241 = the table's 10,241
    (10240, 1024049, 10240, True),  # 10,240.49 → 10,240
    (10240, 1024000, 10240, True),  # whole yen
    (10240, 1023960, 10240, True),  # 10,239.60 → 10,240: 0.40 yen short, rounding
    (10239, 1024000, 10240, False),  # a whole yen apart: a variance
    (10242, 1024050, 10241, False),  # 10,242 − 10,240.50 = 1.50
])
def test_per_call_charges_are_summed_exactly_and_compared_half_up(stated, sen, recomputed, ok):
    found, messages = _calls_check(stated, sen)
    assert (found.stated, found.recomputed, found.ok) == (stated, recomputed, ok)
    assert ("calls_fraction" in messages) is (sen % 100 != 0)  # the exact sum is said when it has sen


@pytest.mark.parametrize("stated, sen", [  # SPEC §7: against the table's whole yen, under one yen is rounding
    (10240, 1023940),  # 10,240 − 10,239.40 = 0.60 yen short: under one yen
    (10240, 1023901),  # 0.99 yen short
    (10240, 1024050),  # 10,240.50 − 10,240 = 0.50 yen over (a carrier that cuts the fraction)
    (10240, 1024099),  # 0.99 yen over
])
def test_a_per_call_shortfall_under_one_yen_is_rounding(stated, sen):
    found, _ = _calls_check(stated, sen)
    assert found.ok


@pytest.mark.parametrize("stated, sen", [(10240, 1024100), (10240, 1023900)])  # one whole yen apart
def test_a_per_call_difference_of_a_whole_yen_is_a_variance(stated, sen):
    found, _ = _calls_check(stated, sen)
    assert not found.ok


# ── what a month says: the figures in its messages, its copies, its fingerprint (SPEC §2, §7) ─────

def said(result: MonthResult, key: str) -> list[dict[str, str]]:
    return [dict(m.params) for m in result.messages if m.key == key]


@pytest.mark.parametrize("stated_tenths, invoiced, key, params", [
    # the invoice 1 yen over and under the expected 128,916 (the seed month)
    (3956635, 128917, "invoice_over", {"stated": "128,917", "recomputed": "128,916", "difference": "1"}),
    (3956635, 128915, "invoice_under", {"stated": "128,915", "recomputed": "128,916", "difference": "1"}),
    # the stated time against the rows' 3,956,635 tenths = 395,663.5 s = 109 h 54 min 23.5 s:
    # 3,956,640 is 0.5 s over; 3,956,625 is 1.0 s under, a whole second written without its .0
    (3956640, 128916, "check_over", {"stated": "109:54:24.0", "recomputed": "109:54:23.5", "difference": "0:00:00.5"}),
    (3956625, 128916, "check_under", {"stated": "109:54:22.5", "recomputed": "109:54:23.5", "difference": "0:00:01"}),
])
def test_a_failed_check_says_its_figures_in_their_units(stated_tenths, invoiced, key, params):
    result = month(table(stated=(3016, stated_tenths, 130090)), invoice(invoiced))
    check_id = "invoice" if key.startswith("invoice") else "total_duration"
    assert said(result, key) == [{"check": check_id, **params}]


def test_a_stated_discount_off_says_less_or_more_discount():
    # stated -1,173 against the recomputed -1,174: one yen less discount than the rule gives
    result = month(table(discount=(3016, 1408630, -1173)), invoice(128916))
    assert said(result, "discount_less") == [
        {"check": "discount", "stated": "-1,173", "recomputed": "-1,174", "difference": "1"}]


def test_a_table_without_a_total_row_says_so_once_and_a_discount_row_without_an_amount_too():
    result = month(table(stated=None, discount=(3016, 1408630, None)), invoice(128916))
    assert keys_of(result).count("no_total_row") == 1
    assert keys_of(result).count("discount_absent") == 1
    assert [c.check for c in result.checks] == ["invoice"]  # nothing else could be checked


def test_two_copies_of_an_invoice_row_warn_and_two_different_ones_are_an_error():
    same = reconcile_month("", "2024-01", MonthInputs(tables=[("2024-01.txt", table())],
                                                      invoices=[invoice(128916), invoice(128916)]), SETTINGS)
    assert same.status == "warning" and same.expected_invoice == 128916  # it ties out, said twice
    assert said(same, "duplicate_invoice") == [{"first": "invoices.csv:2", "second": "invoices.csv:2"}]
    assert "conflicting_invoices" not in keys_of(same)
    other = reconcile_month("", "2024-01", MonthInputs(tables=[("2024-01.txt", table())],
                                                       invoices=[invoice(128916), invoice(128917)]), SETTINGS)
    assert other.status == "error" and "duplicate_invoice" not in keys_of(other)
    assert said(other, "conflicting_invoices") == [{"first": "invoices.csv:2", "second": "invoices.csv:2"}]


def test_two_different_tables_say_the_first_figure_that_differs_in_its_unit():
    # international 1,980,600 tenths (55:01:00.0) in one copy, 1,980,610 (55:01:01.0) in the other
    longer = (*SEED[:1], ("international", 600, 1980610, 96870), *SEED[2:])
    result = month(tables=[("a.txt", table()), ("b.txt", table(longer))])
    assert result.status == "error"
    assert said(result, "conflicting_figure") == [{"first": "a.txt", "second": "b.txt", "type": "international",
                                                   "what": "tenths", "one": "55:01:00.0", "other": "55:01:01.0"}]
    # the rows alike, only the stated 着割 differs: the tables do
    other_discount = month(tables=[("a.txt", table()), ("b.txt", table(discount=(3016, 1408630, -1173)))])
    assert other_discount.status == "error" and "conflicting_figure" not in keys_of(other_discount)
    assert said(other_discount, "conflicting_tables") == [{"first": "a.txt", "second": "b.txt"}]


def test_a_sign_offs_fingerprint_changes_with_the_table_and_with_the_invoice_row():
    signed = fingerprint(table(), invoice(128916))
    assert fingerprint(table(), invoice(128916)) == signed  # the same figures, the same fingerprint
    assert fingerprint(None, invoice(128916)).detail != signed.detail
    assert fingerprint(table(discount=(3016, 1408630, -1173)), invoice(128916)).detail != signed.detail
    assert fingerprint(table(), None).invoice != signed.invoice
    other_amount = fingerprint(table(), invoice(128917))
    assert other_amount.invoice != signed.invoice and other_amount.detail == signed.detail


def test_per_call_records_without_a_table_say_their_calls_and_yen():
    calls = _records(("general", 1096, 1037935, 1024050))  # 10,240.50 yen -> 10,241, half up
    result = reconcile_month("", "2024-01", MonthInputs(invoices=[invoice(128916)], calls=[calls]), SETTINGS)
    assert result.status == "missing"
    assert said(result, "calls_without_table") == [{"calls": "1,096", "charge": "10,241"}]


def test_the_records_of_several_files_are_added_up_before_they_are_compared():
    # a.csv: 1 call, 60.0 s, 5,120.00 yen; b.csv: 2 calls, 120.0 s, 10,240.00 yen -> 3 calls, 180.0 s, 15,360 yen
    files = [CallMonth((name,), (("general", n, 600 * n, 512000 * n),), (), ()) for name, n in (("a.csv", 1),
                                                                                                ("b.csv", 2))]
    tbl = table((("general", 3, 1800, 15360), ("mobile", 0, 0, 0)), stated=None, discount=None)
    result = reconcile_month("", "2024-01", MonthInputs(tables=[("2024-01.txt", tbl)], calls=files), SETTINGS)
    calls_checks_found = [(c.check, c.type_id, c.ok) for c in result.checks if c.check.startswith("calls_")]
    assert calls_checks_found == [(check, type_id, True) for type_id in ("general", "mobile")
                                  for check in ("calls_count", "calls_duration", "calls_charge")]
    assert {"a.csv", "b.csv"} <= set(result.sources)
    assert "calls_fraction" not in keys_of(result)  # no type has a fraction of a yen, mobile has none at all


@pytest.mark.parametrize("stated, recorded, key, params", [
    # the table's 1,096 calls against 1,095 recorded: one over (a count is said once: calls_over_count)
    (("general", 1096, 1200, 10240), ("general", 1095, 1200, 1024000), "calls_over_count",
     {"what": "count", "stated": "1,096", "recomputed": "1,095", "difference": "1", "calls": "1,095"}),
    # the table's 120.0 s against 121.0 s recorded: a whole second under, written without its .0
    (("general", 1096, 1200, 10240), ("general", 1096, 1210, 1024000), "calls_under",
     {"what": "tenths", "stated": "0:02:00.0", "recomputed": "0:02:01.0", "difference": "0:00:01", "calls": "1,096"}),
])
def test_a_per_call_difference_says_its_type_and_figures(stated, recorded, key, params):
    messages: list[Message] = []
    calls_checks(table((stated,), stated=None, discount=None), _records(recorded), SETTINGS, messages)
    assert [(m.key, dict(m.params)) for m in messages] == [(key, {"type": "general", **params})]


@pytest.mark.parametrize("sen, exact, charge", [
    (1023940, "10,239.4", "10,239"),  # 1,023,940 sen = 10,239 yen 40 sen: the trailing 0 is dropped
    (1024005, "10,240.05", "10,240"),
    (-150, "-1.5", "-2"),  # a credit of 1.50 yen: half away from zero
])
def test_a_sum_with_a_fraction_of_a_yen_is_said_exactly(sen, exact, charge):
    messages: list[Message] = []
    calls_checks(table((("general", 2, 1200, int(charge.replace(",", ""))),), stated=None, discount=None),
                 _records(("general", 2, 1200, sen)), SETTINGS, messages)
    assert [(m.key, dict(m.params)) for m in messages] == [
        ("calls_fraction", {"type": "general", "exact": exact, "charge": charge})]


@pytest.mark.parametrize("numbers, shown", [(("0312345678", "0312345679"), ("03-1234-5678", "03-1234-5679")),
                                            ((), ())])
def test_a_findings_message_says_its_calls_yen_start_and_numbers(numbers, shown):
    # 1,200 calls for 12,345.50 yen -> 12,346, half up
    found = Finding("burst", 1200, 1234550, dt.datetime(2024, 1, 5, 2, 0), numbers, (), (("minutes", "3"),))
    message = finding_message(found)
    assert (message.key, dict(message.params)) == ("finding_burst", {
        "calls": "1,200", "charge": "12,346", "since": "2024-01-05T02:00:00", "numbers": shown, "minutes": "3"})


# ── the journal's tax split (SPEC §6): excl adds floor(taxable × rate), incl holds floor(x × r / (1 + r)) ──

@pytest.mark.parametrize("base, basis, expected", [
    (32046, "excl", (35250, 3204)),  # 32,046 × 0.10 = 3,204.6 → 3,204; 32,046 + 3,204 = 35,250
    (35250, "incl", (35250, 3204)),  # 35,250 × 0.10 / 1.10 = 3,204.54… → 3,204
    (55, "incl", (55, 5)),  # 55 × 0.10 / 1.10 = 5 exactly
    (54, "incl", (54, 4)),  # 54 / 11 = 4.90… → 4
    (9, "excl", (9, 0)),  # 0.9 → 0
    (10, "excl", (11, 1)),  # 1.0 → 1
    (0, "excl", (0, 0)),
])
def test_tax_split_floors(base, basis, expected):
    assert tax_split(base, basis, SETTINGS.tax) == expected


def test_tax_split_rounding_is_the_tax_setting():
    settings = load(None, {"tax": {"rounding": "half_up"}})
    assert tax_split(32046, "excl", settings.tax) == (35251, 3205)  # 3,204.6 → 3,205
    assert tax_split(35250, "incl", settings.tax) == (35250, 3205)  # 3,204.54… → 3,205
    assert tax_split(54, "incl", load(None, {"tax": {"rounding": "ceil"}}).tax) == (54, 5)  # 4.90… → 5


@pytest.mark.parametrize("amount, basis, split", [
    (128916, "excl", (35250, 3204, 96870)),  # 128,916 − 96,870 = 32,046; + floor(3,204.6)
    (132120, "incl", (35250, 3204, 96870)),  # 132,120 − 96,870 = 35,250, floor(35,250 / 11) = 3,204
    (50000, "excl", (0, 0, 50000)),  # less than the international calls: all of it exempt, no tax
])
def test_invoice_split_of_the_seed_month(amount, basis, split):
    assert invoice_split(amount, basis, SEED_ROWS, SETTINGS) == split


def test_journal_entry_of_the_seed_month_balances_by_hand():
    month_result = MonthResult(account="", month="2024-01", status="ok", sources=(), rows=SEED_ROWS, total=None,
                               stated_total=None, discount=None, expected_invoice=None,
                               invoice=invoice(128916), checks=(), messages=(), close=Close("closed", SignOff()))
    booked = entry(month_result, SETTINGS)
    assert [(line.side, line.amount, line.tax) for line in booked.lines] == [
        ("debit", 35250, 3204),  # 32,046 + 3,204
        ("debit", 96870, 0),  # 国際通話, outside the tax
        ("credit", 132120, 0),  # 35,250 + 96,870: what the company pays
    ]
    assert booked.date == dt.date(2024, 1, 31)


@pytest.mark.parametrize("amount, booked", [(1, True), (0, False), (-1174, False)])
def test_only_a_positive_invoiced_amount_is_booked(amount, booked):
    from recon.journal import journal
    from recon.model import Report

    result = MonthResult(account="", month="2024-01", status="ok", sources=(), rows=SEED_ROWS, total=None,
                         stated_total=None, discount=None, expected_invoice=None, invoice=invoice(amount),
                         checks=(), messages=(), close=Close("closed", SignOff()))
    found = journal(Report("2024", (result,), ()), SETTINGS)
    assert len(found.entries) == int(booked)
    if booked:  # 1 yen, all of it exempt (less than the 96,870 yen of international calls)
        assert [(line.side, line.amount) for line in found.entries[0].lines] == [("debit", 1), ("credit", 1)]
    else:
        (left,) = found.left_out
        assert (left.reason.key, dict(left.reason.params)) == ("journal_not_positive", {"amount": f"{amount:,}"})


def test_journal_records_are_values_that_cannot_change():
    from recon.journal import Journal, LeftOut, journal
    from recon.model import Report

    result = MonthResult(account="", month="2024-01", status="ok", sources=(), rows=SEED_ROWS, total=None,
                         stated_total=None, discount=None, expected_invoice=None, invoice=invoice(128916),
                         checks=(), messages=(), close=Close("closed", SignOff()))
    found = journal(Report("2024", (result,), ()), SETTINGS)
    left = LeftOut("", "2024-02", Message.of("journal_no_invoice"))
    for record in (found, found.entries[0], found.entries[0].lines[0], left, Journal((), (left,))):
        with pytest.raises(AttributeError):
            record.account = "x"
        assert hash(record) == hash(record)


# ── values: the dashes people type as a minus, what a person cannot see ──────────────────────────

@pytest.mark.parametrize("dash", ["-", "\u2212", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015",
                                  "\uff0d", "\u30fc", "\u301c", "\uff5e", "~"])
def test_every_dash_people_type_is_a_minus(dash):
    from recon.values import parse_yen

    assert parse_yen(f"{dash}1,174") == -1174  # whatever the dash, the discount of the seed


@pytest.mark.parametrize("text, seen", [
    ("携帯\u200b通話", "携帯通話"), ("7,680\u200c\u200d", "7,680"), ("\ufeff1,096\u2060", "1,096"),
    ("ソフト\u00adハイフン", "ソフトハイフン"), ("XX\u200eYY\u200fZ", "XXYYZ"),  # every other letter stays
])
def test_visible_drops_what_a_person_cannot_see_and_keeps_the_rest(text, seen):
    from recon.values import visible

    assert visible(text) == seen


@pytest.mark.parametrize("text, quoted", [
    ("7,680\u200b", "7,680\\u200b"), ("a\tb", "a\\u0009b"), ("全角\u3000空白 と半角", "全角\u3000空白 と半角"),
    ("tag\U000e0001", "tag\\U000e0001"),  # a format character past U+FFFF: eight hex digits
])
def test_shown_escapes_what_a_person_cannot_see(text, quoted):
    from recon.values import shown

    assert shown(text) == quoted


@pytest.mark.parametrize("text", ["28時間 49分 53.5秒", "28 : 49 : 53.5", " 28:49:53.5 "])
def test_a_duration_with_spaces_looks_like_one_and_reads(text):
    from recon.values import looks_like_duration, parse_duration

    assert looks_like_duration(text) and parse_duration(text) == 1037935  # (28 × 3600 + 49 × 60 + 53) × 10 + 5


@pytest.mark.parametrize("tenths, tenth, text", [
    (1037935, True, "28:49:53.5"), (36000, True, "1:00:00.0"), (36000, False, "1:00:00"),
    (36005, False, "1:00:00.5"), (-15, True, "-0:00:01.5"), (4316635, True, "119:54:23.5"),
])
def test_format_duration(tenths, tenth, text):
    from recon.values import format_duration

    assert format_duration(tenths, tenth) == text
    if tenth:
        assert format_duration(tenths) == text  # a tenth is shown unless asked not to


def test_as_duration_takes_text_and_durations_only():
    from recon.model import Duration
    from recon.values import ValueShapeError, as_duration

    assert as_duration("0:01:00") == Duration(600) and as_duration(Duration(5)) == Duration(5)
    with pytest.raises(ValueShapeError) as caught:
        as_duration(Decimal("0.5"))
    assert str(caught.value) == "duration"


@pytest.mark.parametrize("encoding, written", [
    ("utf-8", "通話≤"), ("cp932", "通話\\u2264"),  # ≤ has no place in cp932
    ("no-such-encoding", "\\u901a\\u8a71\\u2264"),  # an encoding Python does not know: ASCII
])
def test_encodable_escapes_what_the_encoding_cannot_write(encoding, written):
    from recon.values import encodable

    assert encodable("通話≤", encoding) == written
