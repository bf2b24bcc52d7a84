"""Report + settings → the journal entries (仕訳) that book each month's phone bill (SPEC §6). Pure.

One compound entry per (contract, usage month), dated the last day of the usage month:

    debit  通信費  the taxable part, tax included, with its tax   (a qualified 10% purchase)
    debit  通信費  the international calls                        (outside the tax)
    credit 未払金  their sum: what the company will pay

International calls are export-exempt (消費税法 7条1項3号: 国内と国外にわたる通信), so the tax falls on
the rest of the bill only, fixed fees included. An `excl` invoice row states the bill before tax:
taxable = invoiced - exempt, tax = round(taxable * rate). An `incl` row states it with tax:
taxable = invoiced - exempt (tax included), tax = round(taxable * rate / (1 + rate)). The rounding is
`[tax] rounding` (floor by default, as NTT bills). Every entry balances to the yen by construction:
the credit is the sum of the debits. The 取引先 is `[journal] vendor`, else the carrier's name on the
entry's date (`carrier_name`). Words live in the product layouts (`recon/outputs/journal.py`)
and in `labels`; this module speaks in ids.
"""
from __future__ import annotations

import datetime
from typing import Literal

from msgspec import Struct

from recon import labels
from recon.model import Basis, Message, MonthResult, Report
from recon.months import last_day, year_and_month
from recon.settings import JournalSettings, Settings, fill_summary
from recon.tax import invoice_split

Side = Literal["debit", "credit"]
# The tax category of a line, named per product in [journal.yayoi|freee|mf]:
# taxable = a qualified purchase at the standard rate, exempt = outside the tax, none = the 未払金 side.
TaxCategory = Literal["taxable", "exempt", "none"]


class JournalLine(Struct, frozen=True):
    """One side of one account in an entry. Yen; `amount` includes `tax`, which is 0 outside the tax."""

    side: Side
    account: str  # 勘定科目 as named in the settings (通信費, 未払金)
    amount: int  # yen, tax included
    tax: int  # yen of consumption tax inside `amount`
    category: TaxCategory
    department: str  # 部門 ("" when the contract has none)
    vendor: str  # 取引先
    summary: str  # 摘要: the entry's text, then `part`
    part: str = ""  # the words at the end of `summary` that tell this line from the entry's others (国際通話)


class JournalEntry(Struct, frozen=True):
    """The compound entry of one (contract, usage month); every figure in yen."""

    account: str  # the contract ("" for the top folder)
    month: str  # usage month, YYYY-MM
    date: datetime.date  # the last day of the usage month
    basis: Basis  # the invoice row's 税区分
    invoiced: int  # the amount as written on the invoice row
    taxable: int  # the taxable part, tax included (fees are in it)
    tax: int  # the consumption tax inside `taxable`
    exempt: int  # the international calls, outside the tax
    lines: tuple[JournalLine, ...]  # debits first, then the credit

    @property
    def payable(self) -> int:
        """What the company will pay: the credit."""
        return sum(line.amount for line in self.lines if line.side == "credit")

    @property
    def debits(self) -> tuple[JournalLine, ...]:
        return tuple(line for line in self.lines if line.side == "debit")

    @property
    def credits(self) -> tuple[JournalLine, ...]:
        return tuple(line for line in self.lines if line.side == "credit")


class LeftOut(Struct, frozen=True):
    """A month the journal does not book, and why (a key of `labels.MESSAGES`)."""

    account: str
    month: str
    reason: Message


class Journal(Struct, frozen=True):
    """The entries in (contract, month) order, and the months left out in the same order."""

    entries: tuple[JournalEntry, ...]
    left_out: tuple[LeftOut, ...]


def journal(report: Report, settings: Settings, every_month: bool = False) -> Journal:
    """The closed months of `report` as entries (`every_month`: every month with a detail table and
    an invoiced amount, closed or not); the others as LeftOut with the reason."""
    entries, left_out = [], []
    for month in sorted(report.months, key=lambda m: (m.account, m.month)):
        reason = _why_not(month, every_month)
        if reason is None:
            entries.append(entry(month, settings))
        else:
            left_out.append(LeftOut(month.account, month.month, reason))
    return Journal(tuple(entries), tuple(left_out))


def _why_not(month: MonthResult, every_month: bool) -> Message | None:
    """None when the month is to be booked, else the reason it is not."""
    if month.status == "error":
        return Message.of("journal_error")
    if not month.rows:
        return Message.of("journal_no_detail")
    if month.invoice is None:
        return Message.of("journal_no_invoice")
    if month.invoice.amount <= 0:
        return Message.of("journal_not_positive", amount=f"{month.invoice.amount:,}")
    closed = month.close is not None and month.close.state == "closed"
    if not (closed or every_month):
        return Message.of("journal_open", status="suspected" if month.suspected else month.status)
    return None


def entry(month: MonthResult, settings: Settings) -> JournalEntry:
    """The entry of one month that has a detail table and a positive invoiced amount."""
    invoice = month.invoice
    assert invoice is not None and month.rows, "entry() needs a detail table and an invoice row"
    taxable, tax, exempt = invoice_split(invoice.amount, invoice.basis, month.rows, settings)
    lines = _lines(month, settings.journal, taxable, tax, exempt)
    return JournalEntry(month.account, month.month, last_day(month.month), invoice.basis, invoice.amount,
                        taxable, tax, exempt, lines)


def _lines(month: MonthResult, config: JournalSettings, taxable: int, tax: int, exempt: int) -> tuple[JournalLine, ...]:
    """Debit the taxable and the exempt part (a part of 0 yen is no line), credit their sum."""
    summary = summary_text(config.summary, month.month, month.account)
    department = config.departments.get(month.account, "")
    vendor = config.vendor if config.vendor is not None else carrier_name(last_day(month.month))
    international = labels.CALL_TYPES["international"][0]

    def line(side: Side, account: str, amount: int, tax: int, category: TaxCategory, part: str = "") -> JournalLine:
        text = f"{summary} {part}" if part else summary
        return JournalLine(side, account, amount, tax, category, department, vendor, text, part)

    debits = [line("debit", config.expense, taxable, tax, "taxable"),
              line("debit", config.expense, exempt, 0, "exempt", international)]
    debits = [d for d in debits if d.amount]
    credit = line("credit", config.payable, taxable + exempt, 0, "none")
    return (*debits, credit)


def summary_text(template: str, month: str, account: str) -> str:
    """`050IP電話 2024年1月分`, then the contract when there is one. The template fills in `{year}`
    and `{month}` only (`settings.fill_summary`; ValueError for anything else)."""
    text = fill_summary(template, *year_and_month(month))
    return f"{text} {account}" if account else text


# The carrier's name as its invoices give it, from the day it took that name. NTT Communications
# (NTTコミュニケーションズ株式会社) became NTTドコモビジネス株式会社 on 2025-07-01, with NTT's own change of
# name (日本電信電話 → NTT): NTT's announcement of 2025-05-09, reported by Kyodo (岐阜新聞
# https://www.gifu-np.co.jp/articles/-/537990). The 取引先 is the name without 株式会社, short enough to
# lead 弥生's 64-byte 摘要.
CARRIER_NAMES: tuple[tuple[datetime.date, str], ...] = (
    (datetime.date(2025, 7, 1), "NTTドコモビジネス"),
    (datetime.date.min, "NTTコミュニケーションズ"),
)


def carrier_name(on: datetime.date) -> str:
    """The carrier's name on the day `on` (the entry's date): the default 取引先."""
    return next(name for since, name in CARRIER_NAMES if on >= since)
