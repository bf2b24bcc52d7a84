"""Patterns across months: a call type far above its own history, and invoices typed by billing month."""
from __future__ import annotations

from decimal import Decimal

import pytest

from recon.anomalies import median, review
from recon.model import DetailTable, Figures, InvoiceRow, TypeRow, Where
from recon.reconcile import MonthInputs, reconcile
from recon.settings import load

SETTINGS = load(None)
W = Where("x.txt", line=1)


def month_table(international: int, general: int = 5000, navi: int | None = None) -> DetailTable:
    rows = [TypeRow("general", "一般通話", 200, 360000, general, W),
            TypeRow("international", "国際通話", max(international // 100, 1), 6000, international, W)]
    if navi is not None:
        rows.append(TypeRow("other:ナビダイヤル", "ナビダイヤル", 40, 24000, navi, W))
    return DetailTable(tuple(rows), Figures(), None, None, W)


def year(charges: list[int], navi: dict[int, int] | None = None, invoice_shift: int = 0):
    inputs = {}
    for number, charge in enumerate(charges, start=1):
        table = month_table(charge, navi=(navi or {}).get(number))
        expected = sum(r.charge for r in table.rows)
        inputs.setdefault(("", f"2024-{number:02d}"), MonthInputs()).tables.append(("x.txt", table))
        invoiced_month = f"2024-{number + invoice_shift:02d}"
        inputs.setdefault(("", invoiced_month), MonthInputs()).invoices.append(
            InvoiceRow("", invoiced_month, expected, "excl", 0, "", Where("invoices.csv", line=number + 1)))
    return review(reconcile(inputs, SETTINGS), SETTINGS)


def anomalies(result) -> list[tuple[str, str, str]]:
    return [(m.month, x.key, dict(x.params)["type"]) for m in result for x in m.messages if x.key.startswith("anomaly")]


def test_an_international_spike_is_a_warning_on_its_month_only():
    months, notes = year([600, 450, 700, 520, 9000, 610])
    assert anomalies(months) == [("2024-05", "anomaly_spike", "international")]
    may = months[4]
    assert may.status == "warning"
    spike = next(x for x in may.messages if x.key == "anomaly_spike")
    # the median of 600, 450, 700, 520 is (520 + 600) / 2 = 560; 9,000 / 560 = 16.07 → 16.1 times
    assert dict(spike.params)["times"] == "16.1"
    assert dict(spike.params)["now"] == "9,000" and dict(spike.params)["months"] == "4"
    assert all(m.status == "ok" for m in months if m.month != "2024-05") and notes == []


def test_no_judgement_before_enough_history():
    months, _ = year([100, 9000, 9000])
    assert anomalies(months) == []


def test_small_jumps_are_not_flagged():
    months, _ = year([100, 120, 110, 900])  # 8 times the median, but only 790 yen more
    assert anomalies(months) == []


def test_charges_on_a_type_that_is_normally_zero():
    months, _ = year([600, 600, 600, 600], navi={4: 4000})
    assert ("2024-04", "anomaly_new", "other:ナビダイヤル") in anomalies(months)


def test_thresholds_are_settings():
    settings = load(None, {"anomaly": {"factor": Decimal(20)}})
    inputs = {("", f"2024-{n:02d}"): MonthInputs(tables=[("x", month_table(c))]) for n, c in
              enumerate([600, 450, 700, 520, 9000], start=1)}
    months, _ = review(reconcile(inputs, settings), settings)
    assert anomalies(months) == []


def test_invoices_typed_by_billing_month_get_one_plain_hint():
    months, notes = year([600, 650, 700, 720, 680, 710], invoice_shift=1)
    assert [n.key for n in notes] == ["invoices_shifted"]
    assert dict(notes[0].params)["shifted"] == "6"
    assert sum(m.status == "variance" for m in months) == 5  # the invoices still do not tie out as typed


def test_invoices_by_usage_month_get_no_hint():
    _, notes = year([600, 650, 700, 720, 680, 710])
    assert notes == []


@pytest.mark.parametrize("values, expected", [([3], 3), ([1, 9, 5], 5), ([1, 2], Decimal("1.5")), ([4, 0, 0, 4], 2)])
def test_median_is_exact(values, expected):
    assert median(values) == expected


def test_an_anomaly_names_its_call_type_in_the_report_language():
    from recon import labels
    from recon.model import Message

    spike = Message.of("anomaly_spike", type="international", what="yen", now="7,965", months=6, times="10.5")
    assert labels.render(spike, "en").startswith("International")
    assert labels.render(spike, "ja").startswith("国際通話")
    navi = Message.of("anomaly_new", type="other:ナビダイヤル", what="yen", now="300", months=6)
    assert "ナビダイヤル" in labels.render(navi, "en")
