"""Consumption tax on a phone bill, in one place (SPEC §2, §6). Pure; money in integer yen.

International calls are an export of a service (消費税法 7条1項3号, 国内と国外にわたる通信) and carry
no tax, so a bill splits into a taxable part and an exempt one. NTT bills compute the tax once per
invoice; the rounding is `[tax] rounding`.
"""
from __future__ import annotations

from collections.abc import Iterable

from recon.model import Basis, InvoiceRow, TypeRow
from recon.rounding import rounded
from recon.settings import Settings, TaxSettings


def exempt_charge(rows: Iterable[TypeRow], settings: Settings) -> int:
    """Yen of the month's charge outside consumption tax: its 国際通話 charge, unless
    `[tax] international = "taxable"`."""
    if settings.tax.international == "taxable":
        return 0
    return sum(row.charge for row in rows if row.type_id == "international")


def expected_invoice(net_charge: int, invoice: InvoiceRow | None, settings: Settings, exempt: int = 0) -> int:
    """Charges after 着割, plus the row's fixed fees, in yen; for a tax-included row the tax is
    added once, on the taxable part only: floor(max(expected − exempt, 0) × (1 + rate)) + exempt."""
    return sum(invoice_parts(net_charge, invoice, settings, exempt))


def invoice_parts(net_charge: int, invoice: InvoiceRow | None, settings: Settings, exempt: int = 0) -> tuple[int, int, int]:
    """The expected invoice in its parts (SPEC §2), yen: (charges after 着割, the row's fees, the
    consumption tax the row's basis adds), which add up to it. The tax is 0 for an `excl` row (or
    no row); for an `incl` row it is floor(max(net + fees − exempt, 0) × (1 + rate)) + exempt,
    less net + fees: the tax on the taxable part, international calls (`exempt`) bearing none."""
    fees = invoice.fees if invoice else 0
    before_tax = net_charge + fees
    if invoice is None or invoice.basis != "incl":
        return net_charge, fees, 0
    taxable = max(before_tax - exempt, 0)
    with_tax = rounded(taxable * (1 + settings.tax.rate), settings.tax.rounding) + exempt
    return net_charge, fees, with_tax - before_tax


def tax_split(base: int, basis: Basis, tax: TaxSettings) -> tuple[int, int]:
    """The taxable part of an invoiced amount (`base`: the amount less its exempt part, fees in it)
    as (the part tax included, the tax in it), yen (SPEC §6): an `excl` row adds
    round(base × rate), an `incl` row holds round(base × rate / (1 + rate))."""
    if basis == "incl":
        return base, rounded(base * tax.rate / (1 + tax.rate), tax.rounding)
    added = rounded(base * tax.rate, tax.rounding)
    return base + added, added


def invoice_split(amount: int, basis: Basis, rows: Iterable[TypeRow], settings: Settings) -> tuple[int, int, int]:
    """An invoiced amount as (taxable part tax included, the tax in it, the exempt part), yen; the
    exempt part is the month's international charge, never more than the amount."""
    exempt = min(max(exempt_charge(rows, settings), 0), amount)
    taxable, tax = tax_split(amount - exempt, basis, settings.tax)
    return taxable, tax, exempt
