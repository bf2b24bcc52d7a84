"""What a month's phone bill should come to and what it did, in one place (SPEC §2, §4.1, §6). Pure;
money in integer yen.

- `invoice_parts`: the expected invoice in its parts (the charges after 着割, the invoice row's fixed
  fees, the consumption tax its basis adds), which add up to it (`InvoiceParts.expected`);
- `invoice_variance`: what was invoiced less what was expected;
- `invoice_split`: an invoiced amount as the journal books it (the taxable part with its tax, the
  exempt part).

International calls are an export of a service (消費税法 7条1項3号, 国内と国外にわたる通信) and carry
no tax, so a bill splits into a taxable part and an exempt one (`exempt_charge`). NTT bills compute
the tax once per invoice; the rounding is `[tax] rounding` (`recon.rounding`).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from recon.rounding import rounded

if TYPE_CHECKING:  # annotations only: recon.model asks this module for the variance
    from recon.model import Basis, InvoiceRow, TypeRow
    from recon.settings import Settings, TaxSettings


class InvoiceParts(NamedTuple):
    """The expected invoice of a month in its parts, yen, on the invoice row's basis."""

    charges: int  # the month's call charges after 着割 (recomputed), tax excluded
    fees: int  # the invoice row's fixed fees (基本料等), tax excluded; 0 without a row
    tax: int  # the consumption tax the row's basis adds: 0 on an `excl` row or without a row

    @property
    def expected(self) -> int:
        """The expected invoice: the parts added up."""
        return self.charges + self.fees + self.tax


def exempt_charge(rows: Iterable[TypeRow], settings: Settings) -> int:
    """Yen of the month's charge outside consumption tax: its 国際通話 charge, unless
    `[tax] international = "taxable"`."""
    if settings.tax.international == "taxable":
        return 0
    return sum(row.charge for row in rows if row.type_id == "international")


def invoice_parts(charges: int, invoice: InvoiceRow | None, settings: Settings, exempt: int = 0) -> InvoiceParts:
    """The expected invoice in its parts (SPEC §2), yen: `charges` is the month's call charges after
    着割, `exempt` the part of them outside the tax (`exempt_charge`). The tax is 0 for an `excl`
    row (or no row); for an `incl` row it is round(max(charges + fees - exempt, 0) * (1 + rate)) +
    exempt, less charges + fees: the tax on the taxable part, international calls bearing none.

    The seed month with an `incl` row of no fees: 128,916 - 96,870 = 32,046 taxable → 35,250 by
    floor + 96,870 = 132,120 expected, so the tax is 3,204.
    """
    fees = invoice.fees if invoice else 0
    if invoice is None or invoice.basis != "incl":
        return InvoiceParts(charges, fees, 0)
    before_tax = charges + fees
    taxable = max(before_tax - exempt, 0)
    with_tax = rounded(taxable * (1 + settings.tax.rate), settings.tax.rounding) + exempt
    return InvoiceParts(charges, fees, with_tax - before_tax)


def invoice_variance(invoiced: int | None, expected: int | None) -> int | None:
    """Invoiced - expected, yen (SPEC §2 `invoice` check, §4.1 `invoice_variance`): over 0 when OCN
    invoiced more than the detail table and the invoice row account for. None when either is absent
    (no invoice row; no table, or a month in error)."""
    if invoiced is None or expected is None:
        return None
    return invoiced - expected


def invoice_split(amount: int, basis: Basis, rows: Iterable[TypeRow], settings: Settings) -> tuple[int, int, int]:
    """An invoiced amount as (taxable part tax included, the tax in it, the exempt part), yen
    (SPEC §6); the exempt part is the month's international charge, never more than the amount. On
    an `excl` row the taxable part is the rest plus round(rest * rate); on an `incl` row it is the
    rest, holding round(rest * rate / (1 + rate)) of tax."""
    exempt = min(max(exempt_charge(rows, settings), 0), amount)
    taxable, tax = _taxable_and_tax(amount - exempt, basis, settings.tax)
    return taxable, tax, exempt


def _taxable_and_tax(base: int, basis: Basis, tax: TaxSettings) -> tuple[int, int]:
    """The taxable part of an invoiced amount (`base`: the amount less its exempt part, fees in it)
    as (the part tax included, the tax in it), yen."""
    if basis == "incl":
        return base, rounded(base * tax.rate / (1 + tax.rate), tax.rounding)
    added = rounded(base * tax.rate, tax.rounding)
    return base + added, added
