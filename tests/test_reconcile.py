"""SPEC §2: totals, 着割, the expected invoice, each check id, each status, tolerances."""
from __future__ import annotations

from decimal import Decimal

import pytest

from recon.errors import ReconError
from recon.model import DetailTable, DiscountRow, Figures, InvoiceRow, TypeRow, Where
from recon.reconcile import MonthInputs, reconcile, reconcile_month, recompute_discount
from recon.settings import load

SETTINGS = load(None)
BAD_FILE = ReconError(Where("2024-01.txt", line=3), "count", "1O96").message()
W = Where("2024-01.txt", line=3)

# The seed month: (type, count, tenths, charge)
SEED_ROWS = [("general", 1096, 1037935, 10240), ("international", 600, 1980600, 96870),
             ("mobile", 330, 168450, 7680), ("ip", 480, 376350, 0), ("phs", 510, 393300, 15300)]


def table(rows=SEED_ROWS, stated=Figures(3016, 4316635, None), discount=(3016, 1408630, -1174),
          total_row=True) -> DetailTable:
    type_rows = tuple(TypeRow(t, t, c, s, y, W) for t, c, s, y in rows)
    disc = DiscountRow(*discount, Where("2024-01.txt", line=9)) if discount else None
    return DetailTable(type_rows, stated if total_row else Figures(), Where("2024-01.txt", line=8) if total_row else None,
                       disc, Where("2024-01.txt", line=2))


def invoice(amount=128916, basis="excl", fees=0, month="2024-01") -> InvoiceRow:
    return InvoiceRow("", month, amount, basis, fees, "", Where("invoices.csv", line=2))


def month(tbl=None, inv=None, errors=(), settings=SETTINGS, tables=None):
    inputs = MonthInputs(tables=tables if tables is not None else ([("2024-01.txt", tbl)] if tbl else []),
                         invoices=[inv] if inv else [], errors=list(errors))
    return reconcile_month("", "2024-01", inputs, settings)


def checks(result) -> dict:
    return {c.check: c for c in result.checks}


def test_seed_month_ties_out_but_for_the_stated_time():
    result = month(table(), invoice())
    assert result.total == Figures(3016, 3956635, 130090)
    assert result.discount.recomputed == -1174 and result.discount.stated == -1174
    assert result.expected_invoice == 128916 and result.invoice_variance == 0
    by_id = checks(result)
    assert by_id["total_duration"].ok is False
    assert by_id["total_duration"].difference == 360000  # 10 hours in tenths
    assert by_id["total_count"].ok and by_id["discount"].ok and by_id["invoice"].ok
    assert "total_charge" not in by_id  # stated charge absent: not performed
    assert any(m.key == "stated_absent" for m in result.messages)
    assert result.status == "warning"


def test_every_performed_check_is_listed_in_order():
    result = month(table(stated=Figures(3016, 3956635, 130090)), invoice())
    assert [c.check for c in result.checks] == ["total_count", "total_duration", "total_charge", "discount", "invoice"]
    assert result.status == "ok"


@pytest.mark.parametrize("tenths, discount", [
    (0, 0),          # no incoming time
    (599, 0),        # 59.9 s: not a full minute
    (600, -1),       # 60 s: one unit, 0.5 yen, half-up → 1
    (1199, -1),      # 119.9 s: still one unit
    (1200, -1),      # 120 s: two units, 1.0 yen
    (1800, -2),      # 180 s: three units, 1.5 → 2
    (1408630, -1174),  # the seed: 2,347 units → 1,173.5 → 1,174
])
def test_discount_counts_full_minutes_at_half_a_yen(tenths, discount):
    assert recompute_discount(tenths, 1_000_000, SETTINGS) == discount


def test_discount_never_exceeds_the_months_charges():
    assert recompute_discount(36000 * 10 * 10, 100, SETTINGS) == -100


def test_discount_cap_can_be_switched_off():
    settings = load(None, {"discount": {"cap": False}})
    assert recompute_discount(36000 * 10, 100, settings) == -300


@pytest.mark.parametrize("rounding, expected", [("half_up", -1174), ("floor", -1173), ("ceil", -1174)])
def test_discount_rounding_is_a_setting(rounding, expected):
    assert recompute_discount(1408630, 10**6, load(None, {"discount": {"rounding": rounding}})) == expected


def test_discount_rate_and_unit_are_settings():
    settings = load(None, {"discount": {"rate_yen": Decimal("1"), "unit_seconds": 30}})
    assert recompute_discount(900, 10**6, settings) == -3  # 90 s → three 30 s units at 1 yen


def test_no_discount_row_means_zero_and_no_discount_check():
    result = month(table(discount=None), invoice(130090))
    assert result.discount.recomputed == 0
    assert "discount" not in checks(result)
    assert any(m.key == "no_discount_row" for m in result.messages)
    assert result.expected_invoice == 130090


def test_wrong_stated_discount_is_a_variance():
    result = month(table(discount=(3016, 1408630, -1000)), invoice())
    assert checks(result)["discount"].difference == 174
    assert result.status == "variance"


@pytest.mark.parametrize("stated, en, ja", [
    (-1173, "incoming-call discount: OCN gave 1 yen less discount (-1,173) than recomputed (-1,174)",
     "着割: 明細の着割 -1,173 は再計算 -1,174 より値引きが 1 円少ない"),
    (-1175, "incoming-call discount: OCN gave 1 yen more discount (-1,175) than recomputed (-1,174)",
     "着割: 明細の着割 -1,175 は再計算 -1,174 より値引きが 1 円多い"),
])
def test_a_discount_difference_says_which_way_it_runs(stated, en, ja):
    from recon.labels import render

    result = month(table(discount=(3016, 1408630, stated)), invoice(128917 + 1173 + stated))
    (message,) = [m for m in result.messages if m.key.startswith("discount_")]
    assert (render(message, "en"), render(message, "ja")) == (en, ja)


def test_tax_included_invoice_taxes_all_but_the_international_charge_once_and_floors():
    result = month(table(), invoice(132120, basis="incl"))
    # SPEC §2: taxable 128,916 − 96,870 = 32,046 → floor(35,250.6) = 35,250, + the exempt 96,870
    assert result.expected_invoice == 132120
    assert result.status == "warning"  # only the stated time is off


def test_international_calls_can_be_taxed_like_the_rest():
    settings = load(None, {"tax": {"international": "taxable"}})
    result = month(table(), invoice(141807, basis="incl"), settings=settings)
    assert result.expected_invoice == 141807  # floor(128,916 × 1.10) = floor(141,807.6)


def test_the_international_exemption_leaves_a_tax_excluded_invoice_alone():
    assert month(table(), invoice(128916)).expected_invoice == 128916


@pytest.mark.parametrize("rows, fees, expected", [
    ([("general", 10, 6000, 1000)], 0, 1100),                            # nothing exempt
    ([("general", 10, 6000, 1000), ("international", 1, 600, 15)], 0, 1115),  # 1,000 taxed, 15 not
    ([("international", 4, 2400, 500)], 0, 500),                         # all exempt: no tax at all
    ([("general", 10, 6000, 999), ("international", 1, 600, 15)], 330, 1476),  # floor(1,329 × 1.1) + 15
])
def test_only_the_taxable_part_bears_tax(rows, fees, expected):
    result = month(table(rows=rows, stated=Figures(), discount=None), invoice(expected, basis="incl", fees=fees))
    assert result.expected_invoice == expected and checks(result)["invoice"].ok


def test_the_taxable_part_is_never_negative():
    rows = [("general", 1, 600, 10), ("international", 4, 2400, 500)]
    result = month(table(rows=rows, stated=Figures(), discount=(5, 10**7, None)), invoice(1, basis="incl"))
    # 着割 of 510 capped at the charge: expected 0 before tax, taxable max(0 − 500, 0) = 0
    assert result.expected_invoice == 500


def test_tax_rounding_is_a_setting():
    settings = load(None, {"tax": {"rounding": "half_up"}})
    assert month(table(), invoice(132121, basis="incl"), settings=settings).expected_invoice == 132121


def test_fees_are_part_of_the_expected_invoice():
    result = month(table(), invoice(128916 + 1100, fees=1100))
    assert result.expected_invoice == 130016 and checks(result)["invoice"].ok


def test_invoice_off_by_one_yen_is_a_variance():
    result = month(table(), invoice(128917))
    assert checks(result)["invoice"].difference == 1
    assert result.status == "variance"


def test_yen_tolerance_lets_a_small_difference_pass():
    settings = load(None, {"tolerance": {"yen": 1}})
    result = month(table(), invoice(128917), settings=settings)
    assert checks(result)["invoice"].ok and checks(result)["invoice"].difference == 1


def test_seconds_tolerance_applies_to_the_duration_check():
    stated = Figures(3016, 3956635 + 5, None)  # half a second over
    assert not checks(month(table(stated=stated), invoice()))["total_duration"].ok
    settings = load(None, {"tolerance": {"seconds": Decimal("0.5")}})
    assert checks(month(table(stated=stated), invoice(), settings=settings))["total_duration"].ok


def test_wrong_stated_count_is_a_warning():
    result = month(table(stated=Figures(3015, 3956635, None)), invoice())
    assert checks(result)["total_count"].difference == -1
    assert result.status == "warning"


def test_wrong_stated_charge_is_a_variance():
    result = month(table(stated=Figures(3016, 3956635, 130000)), invoice())
    assert checks(result)["total_charge"].difference == -90
    assert result.status == "variance"


def test_missing_total_row_makes_every_stated_total_absent():
    result = month(table(total_row=False), invoice())
    assert not {"total_count", "total_duration", "total_charge"} & checks(result).keys()
    assert result.status == "ok"
    assert any(m.key == "no_total_row" for m in result.messages)


def test_no_invoice_is_missing():
    result = month(table(), None)
    assert result.status == "missing" and result.invoice_variance is None
    assert "invoice" not in checks(result)


def test_no_table_is_missing():
    result = month(None, invoice())
    assert result.status == "missing" and result.total is None


def test_a_file_error_makes_the_month_an_error():
    result = month(table(), invoice(), errors=[BAD_FILE])
    assert result.status == "error"


def test_a_month_in_error_shows_no_figures_as_its_own_but_the_invoiced_amount():
    result = month(table(), invoice(), errors=[BAD_FILE])
    assert (result.total, result.stated_total, result.discount, result.expected_invoice) == (None,) * 4
    assert (result.rows, result.checks, result.invoice_variance) == ((), (), None)
    assert result.invoiced == 128916 and result.messages == (BAD_FILE,)


def test_unknown_call_type_is_counted_and_warned():
    rows = SEED_ROWS + [("other:ナビダイヤル", 2, 1200, 40)]
    result = month(table(rows=rows, stated=Figures(3018, None, None)), invoice(128956))
    assert result.total.count == 3018 and result.total.charge == 130130
    assert result.status == "warning"
    assert any(m.key == "unknown_type" for m in result.messages)


def test_identical_tables_count_once_with_a_warning():
    t = table(stated=Figures(3016, 3956635, None))
    result = month(tables=[("2024-01.txt", t), ("2024-01.csv", t)], inv=invoice())
    assert result.total.count == 3016 and result.status == "warning"
    assert result.sources == ("2024-01.txt", "2024-01.csv")


def test_different_tables_for_one_month_are_an_error_naming_both():
    other = table(rows=SEED_ROWS[:-1])
    result = month(tables=[("2024-01.txt", table()), ("2024-01.csv", other)], inv=invoice())
    assert result.status == "error"
    conflict = next(m for m in result.messages if m.key == "conflicting_figure")
    assert dict(conflict.params) == {"first": "2024-01.txt", "second": "2024-01.csv", "type": "phs",
                                     "what": "count", "one": "510", "other": "-"}
    assert (result.total, result.discount, result.expected_invoice, result.rows) == (None, None, None, ())
    assert result.invoiced == 128916 and result.sources == ("2024-01.txt", "2024-01.csv")


def test_conflicting_invoice_rows_are_an_error():
    inputs = MonthInputs(tables=[("a", table())], invoices=[invoice(), invoice(1)])
    assert reconcile_month("", "2024-01", inputs, SETTINGS).status == "error"


def test_agreeing_invoice_rows_count_once_with_a_warning():
    inputs = MonthInputs(tables=[("a", table())], invoices=[invoice(), invoice()])
    result = reconcile_month("", "2024-01", inputs, SETTINGS)
    assert result.status == "warning" and result.invoiced == 128916


def test_months_cover_the_gaps_between_first_and_last():
    inputs = {("", "2024-01"): MonthInputs(tables=[("a", table())], invoices=[invoice()]),
              ("", "2024-04"): MonthInputs(invoices=[invoice(month="2024-04")])}
    results = reconcile(inputs, SETTINGS)
    assert [r.month for r in results] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert [r.status for r in results] == ["warning", "missing", "missing", "missing"]


def test_worst_status_wins():
    result = month(table(stated=Figures(3000, 1, 1)), invoice(1), errors=[BAD_FILE])
    assert result.status == "error"


def test_every_check_in_the_table_has_its_words_and_a_stable_id():
    from recon import labels
    from recon.reconcile import CHECKS, MONEY_CHECKS

    assert list(CHECKS) == ["total_count", "total_duration", "total_charge", "discount", "invoice", "calls"]
    ids = {"total_count", "total_duration", "total_charge", "discount", "invoice",
           "calls_count", "calls_duration", "calls_charge"}  # "calls" makes one of each per call type
    assert ids <= set(labels.CHECKS) and set(MONEY_CHECKS) <= ids


def test_two_copies_differing_in_one_charge_say_which_figure_differs():
    from recon import labels

    changed = [(t, c, s, 10250 if t == "general" else y) for t, c, s, y in SEED_ROWS]
    result = month(tables=[("2024-01.txt", table()), ("2024-01 - コピー.txt", table(rows=changed))], inv=invoice())
    conflict = next(m for m in result.messages if m.key == "conflicting_figure")
    assert labels.render(conflict, "ja").endswith("(一般通話の通話料金: 10,240 と 10,250)")
    assert labels.render(conflict, "en").endswith("(General charge: 10,240 and 10,250)")
