"""recon.tax: the expected invoice in its parts (SPEC §2), the variance (invoiced - expected), and an
invoiced amount split for the journal (SPEC §6). Every expected figure is worked out by hand beside
its row, from the seed month (SPEC §2: charges after 着割 128,916 yen, of which 国際通話 96,870)."""
from __future__ import annotations

import pytest

from recon.model import InvoiceRow, TypeRow, Where
from recon.settings import load
from recon.tax import InvoiceParts, exempt_charge, invoice_parts, invoice_split, invoice_variance

W = Where("2024-01.txt", line=3)
SEED_ROWS = (TypeRow("general", "一般通話", 1096, 1037935, 10240, W),
             TypeRow("international", "国際通話", 600, 1980600, 96870, W),
             TypeRow("mobile", "携帯通話", 330, 168450, 7680, W),
             TypeRow("ip", "IP通話", 480, 376350, 0, W),
             TypeRow("phs", "PHS通話", 510, 393300, 15300, W))
SEED_NET = 130090 - 1174  # total charge + recomputed 着割 = 128,916
SEED_EXEMPT = 96870


def settings(**tax):
    return load(None, {"tax": tax}) if tax else load(None)


def row(basis: str = "excl", fees: int = 0, amount: int = 0) -> InvoiceRow:
    return InvoiceRow("", "2024-01", amount, basis, fees, "", Where("invoices.csv", line=2))


# ── the expected invoice in its parts ────────────────────────────────────────────────────────────

@pytest.mark.parametrize("invoice, tax, exempt, parts", [
    # no invoice row, or a 税別 row: no tax; the fees are the row's
    (None, {}, SEED_EXEMPT, (128916, 0, 0)),
    (row("excl"), {}, SEED_EXEMPT, (128916, 0, 0)),
    (row("excl", fees=1100), {}, SEED_EXEMPT, (128916, 1100, 0)),
    # SPEC §2: 税込, taxable 128,916 - 96,870 = 32,046; * 1.10 = 35,250.6 → 35,250 (floor);
    # + 96,870 = 132,120 expected, so the tax is 132,120 - 128,916 = 3,204
    (row("incl"), {}, SEED_EXEMPT, (128916, 0, 3204)),
    # fees are taxed: (128,916 + 330 - 96,870) = 32,376; * 1.10 = 35,613.6 → 35,613; + 96,870 =
    # 132,483; less 129,246 before tax = 3,237
    (row("incl", fees=330), {}, SEED_EXEMPT, (128916, 330, 3237)),
    # [tax] rounding = "half_up": 35,250.6 → 35,251, tax 3,205; "ceil" the same here
    (row("incl"), {"rounding": "half_up"}, SEED_EXEMPT, (128916, 0, 3205)),
    (row("incl"), {"rounding": "ceil"}, SEED_EXEMPT, (128916, 0, 3205)),
    # [tax] international = "taxable" (exempt 0): 128,916 * 1.10 = 141,807.6 → 141,807, tax 12,891
    (row("incl"), {}, 0, (128916, 0, 12891)),
    # [tax] rate = 0.08: 32,046 * 1.08 = 34,609.68 → 34,609, tax 2,563
    (row("incl"), {"rate": "0.08"}, SEED_EXEMPT, (128916, 0, 2563)),
])
def test_invoice_parts_by_hand(invoice, tax, exempt, parts):
    found = invoice_parts(SEED_NET, invoice, settings(**tax), exempt)
    assert tuple(found) == parts
    assert found.expected == sum(parts)


def test_the_seed_month_with_a_tax_included_row_expects_132120():
    # SPEC §2: "taxable 128,916 - 96,870 = 32,046 → 35,250 + 96,870 = 132,120"
    assert invoice_parts(SEED_NET, row("incl"), settings(), SEED_EXEMPT).expected == 132120


def test_the_parts_are_named():
    assert invoice_parts(100, row("excl", fees=5), settings()) == InvoiceParts(charges=100, fees=5, tax=0)


# ── exempt_charge ────────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("international, expected", [
    ("exempt", 96870),  # the 国際通話 row's charge (消費税法 7条1項3号)
    ("taxable", 0),
])
def test_exempt_charge_is_the_international_charge_unless_taxed(international, expected):
    assert exempt_charge(SEED_ROWS, settings(international=international)) == expected


# ── invoice_variance ─────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("invoiced, expected, variance", [
    (128916, 128916, 0),  # the seed month ties out
    (130000, 128916, 1084),  # invoiced more than expected: positive
    (128000, 128916, -916),  # invoiced less: negative
    (0, 1174, -1174),
    (None, 128916, None),  # no invoice row
    (128916, None, None),  # no table, or a month in error
    (None, None, None),
])
def test_invoice_variance_is_invoiced_less_expected(invoiced, expected, variance):
    assert invoice_variance(invoiced, expected) == variance


# ── invoice_split (the journal, SPEC §6) ─────────────────────────────────────────────────────────

@pytest.mark.parametrize("amount, basis, tax, split", [
    # 税別 128,916: exempt 96,870; taxable 32,046 + floor(3,204.6) = 3,204 of tax → 35,250
    (128916, "excl", {}, (35250, 3204, 96870)),
    # 税込 132,120: exempt 96,870; 35,250 holds floor(35,250 * 0.1 / 1.1 = 3,204.54…) = 3,204
    (132120, "incl", {}, (35250, 3204, 96870)),
    # half_up: 3,204.6 → 3,205 on the 税別 row; 3,204.54… → 3,205 on the 税込 row
    (128916, "excl", {"rounding": "half_up"}, (35251, 3205, 96870)),
    (132120, "incl", {"rounding": "half_up"}, (35250, 3205, 96870)),
    # the international calls taxed: 税別 10,000 → 11,000 with 1,000 of tax, nothing exempt
    (10000, "excl", {"international": "taxable"}, (11000, 1000, 0)),
    # an invoiced amount under the international charge: all of it exempt, nothing taxable
    (50000, "excl", {}, (0, 0, 50000)),
])
def test_invoice_split_by_hand(amount, basis, tax, split):
    assert invoice_split(amount, basis, SEED_ROWS, settings(**tax)) == split


def test_invoice_split_never_takes_a_negative_international_charge_as_exempt():
    credit = (TypeRow("international", "国際通話", 1, 10, -500, W), TypeRow("general", "一般通話", 1, 10, 1500, W))
    assert invoice_split(1000, "excl", credit, settings()) == (1100, 100, 0)
