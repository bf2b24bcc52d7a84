"""Results → `ReportView`: every figure a person reads, decided once. Pure: no I/O, no words.

The workbook, the JSON and the console lay this out and compute nothing of their own, so a total,
an average or a change from the previous month is the same number wherever it is read. Money is
integer yen, durations integer tenths of a second, a charge per call a `Decimal` of two places;
`None` is a figure that does not exist (a month in error, a type the month did not have).
"""
from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from fractions import Fraction
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from msgspec import Struct

from recon import labels, months as month_math
from recon.costs import department_costs
from recon.journal import Journal, journal
from recon.model import (
    FINDING_RULES,
    STATUSES,
    Basis,
    Call,
    Check,
    Figures,
    FileRecord,
    Finding,
    Message,
    MonthResult,
    Report,
    SignOff,
    Status,
    suspected,
)
from recon.rounding import rounded

if TYPE_CHECKING:
    from recon.settings import Settings

RowKind = Literal["month", "company", "total", "invoiced"]  # invoiced: every invoice row's amount, added up
CloseWord = Literal["closed", "open", "stale"]
# Why a row is blank where figures would stand, or left out of a total: the words are labels.BLANK_WHY.
BlankWhy = Literal["no_detail", "error", "no_invoice", "no_row", "no_calls", "no_previous", "previous_error",
                   "previous_no_detail", "previous_no_row", "no_year_ago", "year_ago_error", "year_ago_no_detail",
                   "year_ago_no_row", "no_discount_row", "discount_absent"]


class SummaryRow(Struct, frozen=True):
    """A row of the summary: one (contract, month), a company month (every contract of that month
    added up) or the year total. On every row with an expected invoice, charge + 着割 (recomputed) +
    fees + tax = expected, and invoiced - expected = variance. A total row adds every column up over
    the same months (`summed`: those that have both an expected and an invoiced amount), so both
    hold on it too; `left_out` names the others, `left_out_why` says why each is left out, and
    `invoiced_all` is the invoiced amount of every row added up, those left out included."""

    kind: RowKind
    account: str
    month: str | None  # "2024-01"; None on the year total
    status: Status  # the month's, or the worst of the months added up
    close: CloseWord | None  # the month in the close; None on company and total rows
    count: int | None  # calls
    tenths: int | None  # call time, tenths of a second
    charge: int | None  # yen, tax excluded
    discount_stated: int | None  # 着割 as OCN stated it, yen (≤ 0)
    discount_recomputed: int | None  # 着割 recomputed, yen (≤ 0)
    expected: int | None  # expected invoice, yen, on the invoice row's tax basis
    invoiced: int | None  # yen, as written on the invoice row
    variance: int | None  # invoiced - expected, yen
    variance_failed: bool  # the invoice check failed (on a total: for one of its months)
    messages: tuple[Message, ...] = ()  # findings, not what went unchecked
    explanation: str | None = None
    reviewer: str | None = None
    signed_on: str | None = None  # as typed: an ISO date when it is one
    summed: tuple[str, ...] = ()  # total rows: the months (or contract months) added up
    left_out: tuple[str, ...] = ()  # total rows: the rows not added up …
    left_out_why: tuple[BlankWhy, ...] = ()  # … and why each: no_detail, error, no_invoice
    fees: int | None = None  # 基本料等 of the invoice row, yen, tax excluded (None without an expected invoice)
    tax: int | None = None  # consumption tax in the expected invoice, yen (0 on a 税別 row)
    basis: Basis | None = None  # the expected invoice's tax basis (month rows)
    lacks: tuple[str, ...] = ()  # a missing month: what it lacks, "detail" and/or "invoice"
    to_review: int = 0  # total rows: how many of its rows (added up or left out) are neither ok nor closed
    invoiced_all: int | None = None  # year total: every invoice row's amount, yen
    invoice_rows: int = 0  # year total: how many rows `invoiced_all` adds up
    fraud: tuple[str, ...] = ()  # the month's toll-fraud rules that block the close (off_hours …)

    @property
    def total_status(self) -> Literal["review", "ok"]:
        """A total row's own status, what its status cell says (a key of labels.TOTAL_STATUS):
        `review` while any of its rows is neither ok nor closed (3件要確認), else `ok` (すべて一致)."""
        return "review" if self.to_review else "ok"

    @property
    def suspected(self) -> bool:
        """The month is shown as a suspected toll fraud (不正の疑い): a finding that blocks the close
        (FRAUD_RULES) on a month whose figures stand (ok, warning, variance), which it explains.
        Its status id stays what it is (SPEC §4); a month in error or missing says that first."""
        return suspected(self.fraud, self.status)

    @property
    def look(self) -> Status:
        """The status whose colour the month's status cell wears: a suspected toll fraud blocks the
        close like a variance, and wears its colour, not a warning's."""
        return "variance" if self.suspected else self.status


class TypeRow(Struct, frozen=True):
    """A row of a call type's sheet: one (contract, month) of one type (an unknown label is its own
    type). Figures are None where the month has no row of this type."""

    account: str
    month: str
    type_id: str  # "general" … or "other:<label as written>"
    count: int | None
    tenths: int | None  # tenths of a second
    charge: int | None  # yen
    avg_tenths: int | None  # time per call, tenths of a second, rounded half-up
    per_call: Decimal | None  # yen per call, two places, rounded half-up
    count_change: int | None  # 前月差: calls less the previous month's (across the year boundary
    charge_change: int | None  # 前月差: yen less the previous month's     when history was read)
    year_ago: Figures | None = None  # 前年同月: the same month a year earlier, from the history
    year_ago_count_change: int | None = None  # 前年同月差: calls less the year-ago month's
    year_ago_charge_change: int | None = None  # 前年同月差: yen less the year-ago month's
    blank: tuple[BlankWhy, ...] = ()  # why figures are blank: no_detail, error, no_row; no_calls (no average);
    # why a change is: the month before (or a year before) is not there, in error, without a table or this type


class DiscountRow(Struct, frozen=True):
    """A row of the 着割 sheet."""

    account: str
    month: str
    count: int | None  # incoming calls
    tenths: int | None  # incoming call time, tenths of a second
    stated: int | None  # yen (≤ 0)
    recomputed: int | None  # yen (≤ 0)
    difference: int | None  # stated - recomputed, yen
    failed: bool
    blank: tuple[BlankWhy, ...] = ()  # why figures are blank: no_detail, error, no_discount_row, discount_absent
    left_out: tuple[str, ...] = ()  # the total row: the months not added up …
    left_out_why: tuple[BlankWhy, ...] = ()  # … and why each


class CheckRow(Struct, frozen=True):
    """A row of the checks sheet: the check (its `unit` says what stated, recomputed and difference
    count: calls, tenths of a second or yen) and what the accountant typed beside it."""

    account: str
    month: str
    check: Check
    explanation: str | None


class FlaggedCall(Struct, frozen=True):
    """A row of the flagged-calls sheet (SPEC §7): a call the toll-fraud findings rest on, once,
    with every rule that flagged it; or (`count` over 1) every call of a number whose share of the
    month is a finding, added up. Per month and rule, the rows listed add up to its findings."""

    account: str
    month: str
    rules: tuple[str, ...]  # off_hours, burst, same_duration, new_destination (in that order); number_share
    start: datetime.datetime  # local time, as the records write it (the number's first call)
    calling: str  # the company's number, digits
    called: str  # the number called, digits ("" on a number's row)
    type_id: str  # "" on a number's row: calls of every type
    count: int  # 1 for a call; the number's calls on its row
    tenths: int  # tenths of a second
    charge: Decimal  # yen, to the sen, exact
    where: str  # file:line or sheet!cell of the call's record; the files on a number's row


class FindingTotal(Struct, frozen=True):
    """The findings of one rule in one month, added up as their calls are: calls and yen (to the
    sen), which the flagged rows of that rule add up to."""

    account: str
    month: str
    rule: str
    count: int
    charge: Decimal  # yen, exact


class CostRow(Struct, frozen=True):
    """A row of the cost sheet: one calling number, a 部門's subtotal, or the month's total. Charges
    in yen to the sen, exact, so the numbers add up to their 部門 and the 部門 to the month."""

    account: str
    month: str
    kind: Literal["number", "department", "month"]
    department: str  # "" for numbers numbers.csv does not list
    number: str  # "" on subtotal rows
    name: str
    count: int
    tenths: int  # tenths of a second
    charge: Decimal  # yen


class ChartMonth(Struct, frozen=True):
    """One month of the chart (the company's, when there are several contracts): the charge of each
    call type (key "other" for every unknown type) and the invoiced amount on the bars' basis: as
    call charges, the fees and tax it includes taken off and the 着割 it deducts added back
    (charge + variance), so the line meets the top of the bar where the month ties out. Yen."""

    month: str
    charges: tuple[tuple[str, int], ...]  # (chart key, yen), in CHART_TYPES order, types present only
    invoiced: int | None  # as call charges; None when the month lacks a table or an invoice
    blank: BlankWhy | None = None  # a month with no charges to draw: no_detail or error

    @property
    def stacked(self) -> int:
        """The height of the month's bar: its charges added up."""
        return sum(amount for _, amount in self.charges)


class Chart(Struct, frozen=True):
    """The summary's chart: the keys drawn, the months, and where the value axis stops so that one
    month far above the others does not flatten the rest (`axis_max` None: the application decides;
    the months over it are `clipped`, their bars cut at the top, their amounts said in the title)."""

    keys: tuple[str, ...]  # "general" … "other", then "invoiced"
    months: tuple[ChartMonth, ...]
    axis_max: int | None  # yen
    clipped: tuple[tuple[str, int], ...]  # (month, the bar's full height in yen)


class ReportView(Struct, frozen=True):
    """Everything a person reads in a report."""

    folder: str
    lang: str
    contracts: bool  # several contracts: a 契約 column on every sheet of months, company rows
    summary: tuple[SummaryRow, ...]  # the months, then the company months (several contracts)
    year_total: SummaryRow | None  # None when there is no month
    invoiced_all: SummaryRow | None  # under the year total: the invoiced amount of every invoice row
    types: dict[str, tuple[TypeRow, ...]]  # sheet key ("general" … "other") → its rows
    type_totals: dict[str, TypeRow]  # sheet key → its year total (account and month ""; no changes)
    discount: tuple[DiscountRow, ...]
    checks: tuple[CheckRow, ...]  # failing checks first
    files: tuple[FileRecord, ...]
    notes: tuple[Message, ...]  # findings about the folder as a whole
    carried: tuple[tuple[str, str, str, str], ...]  # (account, month, field or check id, text)
    carried_signoffs: tuple[tuple[str, str, SignOff], ...]  # (account, month, sign-off) of months gone
    chart: Chart
    months: tuple[MonthResult, ...]  # the results the rows were made from, in the same order
    workbook: str | None = None  # where the workbook was written; None for `check`
    history: bool = False  # the previous year was read: the type sheets show 前年同月
    journal: Journal | None = None  # the entries the close books (SPEC §6), and the months left out
    flagged: tuple[FlaggedCall, ...] = ()  # the calls the toll-fraud findings rest on
    costs: tuple[CostRow, ...] = ()  # charge by calling number and 部門, per month with records
    discount_total: DiscountRow | None = None  # the 着割 sheet's total (account and month "")
    finding_totals: tuple[FindingTotal, ...] = ()  # per month and rule, what the flagged rows add up to
    fiscal: bool = False  # the folder is a fiscal year (年度): its total is 年度合計
    contract_count: int = 0  # the contracts the months belong to (1 for a year of one contract)
    month_count: int = 0  # the usage months (利用月) among them: `months` holds contract_count × this at most


CHART_TYPES = (*labels.CALL_TYPES, "other")
CLIP_FACTOR = 4  # a month over this many times the median month is clipped on the chart
CLIP_HEADROOM = Decimal("1.5")  # the axis then stops at this many times the tallest other month


def view(report: Report, settings: Settings, workbook: str | None = None, every_month: bool = False) -> ReportView:
    """The report's figures, every one computed here once (`settings` for the tax basis and the
    journal's accounts); `workbook` is where the workbook goes, for the outputs that say so; the
    journal books the closed months (`every_month`: every month with a table and an invoice)."""
    months = report.months
    contracts = any(month.account for month in months)
    rows = tuple(month_row(month) for month in months)
    total = added_up(rows, "total", "", None) if rows else None
    year = month_math.folder_year(report.folder, settings.year.year, settings.year.start_month)
    return ReportView(
        folder=report.folder, lang=report.lang, contracts=contracts,
        summary=_beside_company(rows) if contracts else rows,
        year_total=total, invoiced_all=_invoiced_all(total, rows) if total else None,
        types=(types := _type_sheets(months, report.history)),
        type_totals={key: _type_total(key, rows) for key, rows in types.items()},
        discount=(discount := tuple(map(_discount_row, months))), discount_total=_discount_total(discount),
        checks=_check_rows(months), files=_in_month_order(report.files, months), notes=report.notes,
        carried=report.carried, carried_signoffs=report.carried_signoffs, chart=_chart(months, rows), months=months,
        workbook=workbook,
        history=bool(report.history), journal=journal(report, settings, every_month), flagged=_flagged(months),
        finding_totals=_finding_totals(months), costs=_costs(months),
        fiscal=year is not None and (year.start != 1 or year.form != "plain"),
        contract_count=len({month.account for month in months}), month_count=len({month.month for month in months}),
    )


def worst(statuses) -> Status:
    return max(statuses, key=STATUSES.index)


# --- the summary --------------------------------------------------------------------------------

def month_row(month: MonthResult) -> SummaryRow:
    """One month's summary row; a month in error keeps only its invoiced amount (reconcile gives it
    no figures: which copy is right is the user's call)."""
    total = month.total or Figures()
    discount = month.discount
    expected = month.expected_invoice
    close = month.close
    signoff = close.signoff if close else None
    lacks = () if month.status != "missing" else \
        tuple(what for what, absent in (("detail", month.total is None), ("invoice", month.invoice is None)) if absent)
    return SummaryRow(
        kind="month", account=month.account, month=month.month, status=month.status,
        close=None if close is None else ("stale" if close.stale else close.state),
        count=total.count, tenths=total.tenths, charge=total.charge,
        discount_stated=discount.stated if discount else None,
        discount_recomputed=discount.recomputed if discount else None,
        expected=expected, invoiced=month.invoiced,
        variance=month.invoice_variance,
        variance_failed=any(check.check == "invoice" and not check.ok for check in month.checks),
        messages=tuple(message for message in month.messages if not message.is_info),
        explanation=(signoff.explanation or None) if signoff else None,
        reviewer=(signoff.reviewer or None) if signoff else None,
        signed_on=(signoff.signed_on or None) if signoff else None,
        fees=month.fees, tax=month.tax, basis=month.basis, lacks=lacks, fraud=month.fraud,
    )


# The columns a total row adds up, over the same rows.
SUMMED = ("count", "tenths", "charge", "discount_stated", "discount_recomputed", "fees", "tax", "expected",
          "invoiced", "variance")


def added_up(rows: tuple[SummaryRow, ...], kind: RowKind, account: str, month: str | None) -> SummaryRow:
    """Rows added up column by column, every column over the same rows: those with both an expected
    and an invoiced amount. The others are named with the reason (`left_out_why`), in messages
    too; the invoiced amounts of every row are added up apart (`invoiced_all`)."""
    both = [row for row in rows if row.expected is not None and row.invoiced is not None]
    left = [row for row in rows if row.expected is None or row.invoiced is None]
    why = tuple(_left_out_why(row) for row in left)
    sums: dict[str, Any] = {name: _sum(getattr(row, name) for row in both) for name in SUMMED}  # int | None each
    return SummaryRow(
        kind=kind, account=account, month=month, status=worst(row.status for row in rows), close=None,
        **sums,
        variance_failed=any(row.variance_failed for row in rows),
        messages=_left_out_messages(left, why),
        summed=tuple(_place(row) for row in both), left_out=tuple(_place(row) for row in left),
        left_out_why=why, to_review=sum(row.status != "ok" and row.close != "closed" for row in rows),
        invoiced_all=_sum(row.invoiced for row in rows), invoice_rows=sum(row.invoiced is not None for row in rows),
    )


def _invoiced_all(total: SummaryRow, rows: tuple[SummaryRow, ...]) -> SummaryRow | None:
    """The year's invoiced amount over every invoice row, those the total leaves out included, so
    the year's bill ties to the ledger; None without an invoice row."""
    if total.invoiced_all is None:
        return None
    billed = [_place(row) for row in rows if row.invoiced is not None and _place(row) in total.left_out]
    message = Message.of("invoiced_all", rows_count=total.invoice_rows, months=tuple(billed)) if billed \
        else Message.of("invoiced_all_same", rows_count=total.invoice_rows)
    return SummaryRow(kind="invoiced", account="", month=None, status=total.status, close=None, count=None,
                      tenths=None, charge=None, discount_stated=None, discount_recomputed=None, expected=None,
                      invoiced=total.invoiced_all, variance=None, variance_failed=False, messages=(message,),
                      invoiced_all=total.invoiced_all, invoice_rows=total.invoice_rows)


def _left_out_why(row: SummaryRow) -> BlankWhy:
    """Why a row is not added up: a month in error, one without a table, or one without an invoice."""
    if row.status == "error":
        return "error"
    return "no_detail" if row.expected is None else "no_invoice"


def _left_out_messages(left: list[SummaryRow], why: tuple[BlankWhy, ...]) -> tuple[Message, ...]:
    """One message a reason, naming the rows a total leaves out for it."""
    placed = [(_place(row), said) for row, said in zip(left, why, strict=True)]
    return tuple(Message.of(f"total_left_out_{reason}",
                            months=tuple(place for place, said in placed if said == reason))
                 for reason in ("no_detail", "error", "no_invoice") if reason in why)


def _place(row: SummaryRow) -> str:
    return _place_of(row.account, str(row.month))


def _sum(values) -> int | None:
    """The values added up; None when none of them exists."""
    present = [value for value in values if value is not None]
    return sum(present) if present else None


def _beside_company(rows: tuple[SummaryRow, ...]) -> tuple[SummaryRow, ...]:
    """With several contracts, month by month: each contract's row of the month (in the contracts'
    order), then the company's month, every contract's row of it added up (会社計)."""
    by_month: dict[str, list[SummaryRow]] = {}
    for row in rows:
        by_month.setdefault(str(row.month), []).append(row)
    return tuple(row for month in sorted(by_month)
                 for row in (*by_month[month], added_up(tuple(by_month[month]), "company", "", month)))


# --- the call-type sheets -----------------------------------------------------------------------

def _type_sheets(months: tuple[MonthResult, ...], history: tuple[MonthResult, ...]) -> dict[str, tuple[TypeRow, ...]]:
    """Every known type's sheet lists every month; the その他 sheet, when there is an unknown type,
    one row per month and unknown label that has one. With the previous year as history, the first
    month's change is from the history's last month, and each row has its month a year earlier."""
    figures = figures_by_type(months + history)
    previous = previous_months(months, history)
    before = [previous.get((month.account, month.month)) for month in months]
    then = [month_math.shift(month.month, -12) for month in months] if history else [None] * len(months)
    results = {(month.account, month.month): month for month in (*history, *months)}
    row = partial(_type_row, figures=figures, results=results)
    sheets = {type_id: tuple(map(partial(row, type_id=type_id), months, before, then))
              for type_id in labels.CALL_TYPES}
    unknown: dict[tuple[str, str], set[str]] = {}  # (account, month) → its unknown types, found once
    for account, month, type_id in figures:
        if type_id.startswith("other:"):
            unknown.setdefault((account, month), set()).add(type_id)
    others = tuple(row(month, earlier, year_ago, type_id)
                   for month, earlier, year_ago in zip(months, before, then, strict=True)
                   for type_id in sorted(unknown.get((month.account, month.month), ())))
    if others:
        sheets["other"] = others
    return sheets


def _type_row(month: MonthResult, before: str | None, year_ago: str | None, type_id: str, figures: dict,
              results: dict[tuple[str, str], MonthResult]) -> TypeRow:
    """One month of one type; `before` the month its change is from, `year_ago` the month a year
    earlier (None: no history was read); `results` every month read, this year's and the history's,
    by (account, month). A blank figure says why: no row, no calls (no average), and of a change,
    why the month it is from has no figures."""
    now = figures.get((month.account, month.month, type_id))
    then = figures.get((month.account, year_ago, type_id)) if year_ago else None
    missed = (_why_absent("year_ago", results.get((month.account, year_ago))),) if year_ago and then is None else ()
    if now is None:
        why: BlankWhy = "error" if month.status == "error" else "no_detail" if month.total is None else "no_row"
        return TypeRow(month.account, month.month, type_id, None, None, None, None, None, None, None, then,
                       blank=(why, *missed))
    prior = figures.get((month.account, before, type_id)) if before else None
    unchanged = () if prior else (_why_absent("previous", results.get((month.account, before))) if before
                                  else "no_previous",)
    return TypeRow(
        month.account, month.month, type_id, now.count, now.tenths, now.charge,
        avg_tenths=average(now.tenths, now.count), per_call=per_call(now.charge, now.count),
        count_change=now.count - prior.count if prior else None,
        charge_change=now.charge - prior.charge if prior else None,
        year_ago=then,
        year_ago_count_change=now.count - then.count if then else None,
        year_ago_charge_change=now.charge - then.charge if then else None,
        blank=(*(() if now.count else ("no_calls",)), *unchanged, *missed),
    )


def _why_absent(which: Literal["previous", "year_ago"], month: MonthResult | None) -> BlankWhy:
    """Why the month a change is from (the month before, or a year before) has no figures of the
    type: it was not read, it is in error, it has no table, or its table has no row of the type."""
    if month is None:
        return "no_previous" if which == "previous" else "no_year_ago"
    if month.status == "error":
        return "previous_error" if which == "previous" else "year_ago_error"
    if month.total is None:
        return "previous_no_detail" if which == "previous" else "year_ago_no_detail"
    return "previous_no_row" if which == "previous" else "year_ago_no_row"


def _type_total(key: str, rows: tuple[TypeRow, ...]) -> TypeRow:
    """A call-type sheet's rows added up; the average and the charge per call over the year's calls."""
    shown = [row for row in rows if row.count is not None]
    count, tenths, charge = (sum(getattr(row, name) for row in shown) for name in ("count", "tenths", "charge"))
    if not shown:
        return TypeRow("", "", key, None, None, None, None, None, None, None)
    return TypeRow("", "", key, count, tenths, charge, avg_tenths=average(tenths, count),
                   per_call=per_call(charge, count), count_change=None, charge_change=None,
                   blank=() if count else ("no_calls",))


def average(total: int, count: int) -> int | None:
    """`total` (tenths of a second, or yen) per call, rounded half-up; None for no calls.
    764 s over 3 calls is 254.67 s → 2,546.67 tenths → 2,547 tenths (0:04:14.7)."""
    return rounded(Fraction(total, count)) if count else None


def per_call(charge: int, count: int) -> Decimal | None:
    """Yen per call, two places, rounded half-up; None for no calls."""
    if not count:
        return None
    cents = Decimal(rounded(Fraction(charge * 100, count))).scaleb(-2)  # 1,200 sen → 12.00, as quantize writes it
    return cents.copy_negate() if not cents and (charge < 0) != (count < 0) else cents  # -0.001 → -0.00


def figures_by_type(months: tuple[MonthResult, ...]) -> dict[tuple[str, str, str], Figures]:
    """(account, month, type id) → that month's figures for the type (rows of one type added up).
    A month in error has none: reconcile gives it no rows."""
    sums: dict[tuple[str, str, str], tuple[int, int, int]] = {}
    for month in months:
        account, name = month.account, month.month
        for row in month.rows:
            key = (account, name, row.type_id)
            count, tenths, charge = sums.get(key, (0, 0, 0))
            sums[key] = (count + row.count, tenths + row.tenths, charge + row.charge)
    return {key: Figures(*figures) for key, figures in sums.items()}


def previous_months(months: tuple[MonthResult, ...],
                    history: tuple[MonthResult, ...] = ()) -> dict[tuple[str, str], str]:
    """(account, month) → the month before it (reconcile lists every month of an account in order);
    an account's first month → the history's month before it, when the history has it."""
    before = {(after.account, after.month): prior.month
              for prior, after in itertools.pairwise(months) if prior.account == after.account}
    had = {(month.account, month.month) for month in history}
    for month in months:
        key = (month.account, month.month)
        last = month_math.shift(month.month, -1)
        if key not in before and (month.account, last) in had:
            before[key] = last
    return before


# --- discount and checks ------------------------------------------------------------------------

def _discount_row(month: MonthResult) -> DiscountRow:
    discount = month.discount
    failed = any(check.check == "discount" and not check.ok for check in month.checks)
    if discount is None:
        why: BlankWhy = "error" if month.status == "error" else "no_detail"
        return DiscountRow(month.account, month.month, None, None, None, None, None, failed, blank=(why,))
    difference = None if discount.stated is None else discount.stated - discount.recomputed
    blank: tuple[BlankWhy, ...] = ()
    if discount.count is None and discount.tenths is None and discount.stated is None:
        blank = ("no_discount_row",)
    elif discount.stated is None:
        blank = ("discount_absent",)
    return DiscountRow(month.account, month.month, discount.count, discount.tenths, discount.stated,
                       discount.recomputed, difference, failed, blank)


def _discount_total(rows: tuple[DiscountRow, ...]) -> DiscountRow | None:
    """The 着割 sheet's rows added up over the same months: those with a stated and a recomputed
    discount, so stated - recomputed = difference on the total too; the others are named."""
    if not rows:
        return None
    both = [row for row in rows if row.stated is not None]
    return DiscountRow("", "", _sum(row.count for row in both), _sum(row.tenths for row in both),
                       _sum(row.stated for row in both), _sum(row.recomputed for row in both),
                       _sum(row.difference for row in both), any(row.failed for row in rows),
                       left_out=tuple(_place_of(row.account, row.month) for row in rows if row.stated is None),
                       left_out_why=tuple(row.blank[0] for row in rows if row.stated is None))


def _place_of(account: str, month: str) -> str:
    return f"{account} {month}" if account else month


def _check_rows(months: tuple[MonthResult, ...]) -> tuple[CheckRow, ...]:
    """Failing checks first, then the rest; each in month and check order."""
    rows = [CheckRow(month.account, month.month, check,
                     (month.close.note_for(check.key) or None) if month.close else None)
            for month in months for check in month.checks]
    return tuple(sorted(rows, key=lambda row: row.check.ok))


# --- per-call records -----------------------------------------------------------------------------

def _flagged(months: tuple[MonthResult, ...]) -> tuple[FlaggedCall, ...]:
    """Per month: each call a finding rests on, once, with every rule that flagged it, in start
    order; then each number whose share of the month is a finding, its calls of every type added up."""
    rows: list[FlaggedCall] = []
    for month in months:
        calls: dict[tuple, tuple[Call, set[str]]] = {}  # a call (by its start and its record) → its rules
        for finding in month.findings:
            if finding.rule != "number_share":
                for call in finding.calls:
                    where = call.where
                    key = (call.start, where.path, where.line or 0, where.sheet or "", where.cell or "")
                    calls.setdefault(key, (call, set()))[1].add(finding.rule)
        for key in sorted(calls):
            call, rules = calls[key]
            rows.append(FlaggedCall(month.account, month.month, tuple(rule for rule in FINDING_RULES if rule in rules),
                                    call.start, call.calling, call.called, call.type_id, 1, call.tenths,
                                    _yen_of(call.sen), str(call.where)))
        rows += [_number_row(month, finding) for finding in month.findings if finding.rule == "number_share"]
    return tuple(rows)


def _number_row(month: MonthResult, finding: Finding) -> FlaggedCall:
    """A number whose share of the month is a finding: all its calls, every type, added up."""
    (number,) = finding.numbers
    tenths = next((t for n, _, t, _ in month.calls.by_number if n == number), 0) if month.calls else 0
    sources = ", ".join(month.calls.sources) if month.calls else ""
    return FlaggedCall(month.account, month.month, ("number_share",), finding.first, number, "", "",
                       finding.count, tenths, _yen_of(finding.sen), sources)


def _finding_totals(months: tuple[MonthResult, ...]) -> tuple[FindingTotal, ...]:
    """Per month, each rule's findings added up (calls and yen), in the rules' order."""
    totals = []
    for month in months:
        for rule in FINDING_RULES:
            found = [finding for finding in month.findings if finding.rule == rule]
            if found:
                totals.append(FindingTotal(month.account, month.month, rule, sum(f.count for f in found),
                                           _yen_of(sum(f.sen for f in found))))
    return tuple(totals)


def _in_month_order(files: tuple[FileRecord, ...], months: tuple[MonthResult, ...]) -> tuple[FileRecord, ...]:
    """Every file seen, as the year runs: the files of each month (its contracts in their order),
    then those of no month (invoices, settings, what was skipped), each group by path."""
    order = {account: index for index, account in enumerate(dict.fromkeys(month.account for month in months))}
    return tuple(sorted(files, key=lambda record: (record.month is None, record.month or "",
                                                   order.get(record.account, len(order)), record.path)))


def _costs(months: tuple[MonthResult, ...]) -> tuple[CostRow, ...]:
    """Per month with records: each 部門's numbers, then the 部門's subtotal; last the month's total."""
    rows: list[CostRow] = []
    for month in months:
        if not month.costs:
            continue
        for department, count, tenths, sen in sorted(department_costs(month.costs), key=lambda d: d[0] == ""):
            rows += [CostRow(month.account, month.month, "number", cost.department, cost.number, cost.name,
                             cost.count, cost.tenths, _yen_of(cost.sen))
                     for cost in month.costs if cost.department == department]
            rows.append(CostRow(month.account, month.month, "department", department, "", "", count, tenths,
                                _yen_of(sen)))
        rows.append(CostRow(month.account, month.month, "month", "", "", "", sum(c.count for c in month.costs),
                            sum(c.tenths for c in month.costs), _yen_of(sum(c.sen for c in month.costs))))
    return tuple(rows)


def _yen_of(sen: int) -> Decimal:
    """Hundredths of a yen as yen, exact."""
    return Decimal(sen) / 100


# --- the chart ----------------------------------------------------------------------------------

def _chart(months: tuple[MonthResult, ...], rows: tuple[SummaryRow, ...]) -> Chart:
    """The bars: each month's charge by call type (every contract's); the line: its invoiced amount
    as call charges (charge + variance), where every contract with a table has an invoice."""
    by_month: dict[str, dict[str, int]] = {}
    for month in months:
        charges = by_month.setdefault(month.month, {})
        for row in month.rows:
            key = "other" if row.type_id.startswith("other:") else row.type_id
            charges[key] = charges.get(key, 0) + row.charge
    rows_of: dict[str, list[SummaryRow]] = {}
    for summary in rows:
        rows_of.setdefault(str(summary.month), []).append(summary)
    present = {key for charges in by_month.values() for key in charges}
    keys = tuple(key for key in CHART_TYPES if key in labels.CALL_TYPES or key in present)
    chart_months = tuple(
        ChartMonth(month, tuple((key, by_month[month][key]) for key in keys if key in by_month[month]),
                   _as_charges(rows_of[month]), _blank(rows_of[month]))
        for month in sorted(by_month))
    axis_max, clipped = _axis(chart_months)
    return Chart((*keys, "invoiced"), chart_months, axis_max, clipped)


def _as_charges(rows: list[SummaryRow]) -> int | None:
    """The month's invoiced amount on the bars' basis: charge + variance (the invoice less its fees
    and tax, its 着割 added back), over every row with a table; None unless each has an invoice."""
    total, drawn = 0, False
    for row in rows:
        if row.charge is None:
            continue
        if row.variance is None:
            return None
        total, drawn = total + row.charge + row.variance, True
    return total if drawn else None


def _blank(rows: list[SummaryRow]) -> BlankWhy | None:
    """Why a month has no bar: no row with a table, one in error (or none with a table)."""
    if any(row.charge is not None for row in rows):
        return None
    return "error" if any(row.status == "error" for row in rows) else "no_detail"


def _axis(months: tuple[ChartMonth, ...]) -> tuple[int | None, tuple[tuple[str, int], ...]]:
    """Where the value axis stops: at the application's choice, unless a month stands more than
    CLIP_FACTOR times above the median month; then at CLIP_HEADROOM * the tallest of the others,
    rounded up to a round figure, and those months are clipped."""
    heights = sorted(max(m.stacked, m.invoiced or 0) for m in months)
    if len(heights) < 3 or heights[len(heights) // 2] <= 0:
        return None, ()
    median = heights[len(heights) // 2]
    tall = [m for m in months if max(m.stacked, m.invoiced or 0) > CLIP_FACTOR * median]
    if not tall:
        return None, ()
    rest = max(max(m.stacked, m.invoiced or 0) for m in months if m not in tall)
    axis = _round_up(int(Decimal(rest) * CLIP_HEADROOM))
    return axis, tuple((m.month, max(m.stacked, m.invoiced or 0)) for m in tall)


def _round_up(amount: int) -> int:
    """Up to a round figure: two significant digits (13,600 → 14,000)."""
    step = 10 ** max(len(str(amount)) - 2, 0)
    return rounded(Fraction(amount, step), "ceil") * step
