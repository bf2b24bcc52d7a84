"""Detail tables + invoice rows + settings → one MonthResult per (account, month). Pure: no I/O.

A new check is one function in CHECKS below plus its words in labels.CHECKS: it reads the month's
figures (`Month`) and returns its Check (None: not performed) and the messages that say why not.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable

import msgspec
from msgspec import Struct, field

from recon import fraud, labels, months as month_math
from recon.costs import number_costs
from recon.model import (
    STATUSES,
    CallMonth,
    Check,
    DetailTable,
    DiscountResult,
    Figures,
    Finding,
    Fingerprint,
    InvoiceRow,
    Message,
    MonthResult,
    Status,
    Unit,
    Where,
    sen_to_yen,
)
from recon.phone import shown_number
from recon.rounding import rounded
from recon.settings import Settings
from recon.tax import exempt_charge, invoice_parts
from recon.values import format_duration, format_sen, format_yen


class MonthInputs(Struct):
    """What the readers found for one (account, month)."""

    tables: list[tuple[str, DetailTable]] = field(default_factory=list)  # (file, table)
    invoices: list[InvoiceRow] = field(default_factory=list)
    errors: list[Message] = field(default_factory=list)
    unread: list[Message] = field(default_factory=list)  # files named for the month, not read, and why
    calls_unread: list[Message] = field(default_factory=list)  # call records not read (no `calls` extra) or in error
    calls: list[CallMonth] = field(default_factory=list)  # per-call records of the month, one per file
    numbers: dict[str, tuple[str, str]] = field(default_factory=dict)  # numbers.csv: number → (部門, 名前)


def reconcile(inputs: dict[tuple[str, str], MonthInputs], settings: Settings,
              year: tuple[str, ...] | None = None) -> list[MonthResult]:
    """Every month that has a table or an invoice, plus the gaps between, per account, in order.

    `year`, the months the folder holds (None: not known): gaps are filled inside it only, and a
    month outside it is reconciled on its own and flagged (SPEC §1.2).
    """
    results: list[MonthResult] = []
    by_account: dict[str, list[str]] = {}
    for account, month in inputs:
        by_account.setdefault(account, []).append(month)
    for account in contract_order(inputs):
        found = by_account[account]
        inside = sorted(m for m in found if year is None or m in year)
        listed = month_math.month_range(inside[0], inside[-1]) if inside else []
        found.sort()
        recorded = [(m, calls) for m in found if (calls := merged_calls(inputs[(account, m)].calls)) is not None]
        findings = fraud.watch(recorded, settings.calls)
        for month in sorted({*listed, *found}):
            results.append(reconcile_month(account, month, inputs.get((account, month), MonthInputs()),
                                           settings, year, findings.get(month, ())))
    return results


def contract_order(inputs: dict[tuple[str, str], MonthInputs]) -> list[str]:
    """The contracts in the order the user keeps them: as one invoice file lists several of them
    (its rows' order), then the others by name (each folder its own invoices.csv, or none)."""
    first: dict[str, tuple[str, int]] = {}  # account → (invoice file, its first row's position there)
    accounts_of: dict[str, set[str]] = {}  # invoice file → the accounts it lists
    for (account, _), found in inputs.items():
        for row in found.invoices:
            place = (row.where.path, _position(row.where))
            accounts_of.setdefault(place[0], set()).add(account)
            if account not in first or place < first[account]:
                first[account] = place
    shared = sorted(path for path, accounts in accounts_of.items() if len(accounts) > 1)

    def key(account: str) -> tuple:
        place = first.get(account)
        if place and place[0] in shared:
            return (0, shared.index(place[0]), place[1], account)
        return (1, 0, 0, account)

    return sorted({account for account, _ in inputs}, key=key)


def _position(where: Where) -> int:
    """A row's place in its file: its line, or the row of its cell (`A12` → 12)."""
    if where.line is not None:
        return where.line
    digits = "".join(ch for ch in where.cell or "" if ch.isdigit())
    return int(digits) if digits else 0


def reconcile_month(account: str, month: str, inputs: MonthInputs, settings: Settings,
                    year: tuple[str, ...] | None = None, findings: tuple[Finding, ...] = ()) -> MonthResult:
    """Totals, 着割, expected invoice, the checks and the status of one month; a month outside
    `year` (the months the folder holds) is a warning at least, and so is a month with a finding
    of the toll-fraud watch (`findings`, over its per-call records) or with call records left
    unread for want of the `calls` extra or in error (`inputs.calls_unread`: the calls are then not
    tied out)."""
    outside = year is not None and month not in year
    messages = [Message.of("outside_year", month=month, first=year[0], last=year[-1])] if year and outside else []
    messages += inputs.errors
    messages += inputs.calls_unread
    calls = merged_calls(inputs.calls)
    call_data = _call_data(calls, findings, inputs, messages)
    error = bool(inputs.errors)
    table, sources, table_error = _one_table(inputs.tables, messages)
    sources += calls.sources if calls else ()
    invoice, invoice_error = _one_invoice(inputs.invoices, messages)
    error = error or table_error or invoice_error
    if table is None and not error:
        messages.append(Message.of("no_detail"))
        messages.extend(inputs.unread)
    if invoice is None:
        messages.append(Message.of("no_invoice"))
    prints = fingerprint(table, invoice, calls)
    if table is None or error:  # which copy is right is the user's call: no figures as the month's
        if table is None and calls is not None:
            messages.append(Message.of("calls_without_table", calls=f"{calls.count:,}",
                                       charge=format_yen(sen_to_yen(calls.sen))))
        return MonthResult(account=account, month=month, status=_status(error, True, [], False),
                           sources=tuple(sources), rows=(), total=None, stated_total=None, discount=None,
                           expected_invoice=None, invoice=invoice, checks=(), messages=tuple(messages),
                           fingerprint=prints, **call_data)

    count, tenths, charge = totals(table)
    total = Figures(count, tenths, charge)
    discount = DiscountResult(
        table.discount.count if table.discount else None,
        table.discount.tenths if table.discount else None,
        table.discount.stated if table.discount else None,
        recompute_discount(table.discount.tenths if table.discount else None, charge, settings),
    )
    parts = invoice_parts(charge + discount.recomputed, invoice, settings, exempt_charge(table.rows, settings))
    expected = parts.expected
    # call records in error or not read: what was read of them is not the month's calls, not tied out
    figures = Month(table, total, discount, invoice, expected, None if inputs.calls_unread else calls)
    messages.extend(table.notes)  # how the table was read (a 合計 of formulas never calculated)
    checks: list[Check] = []
    for run in CHECKS.values():
        found, said = run(figures, settings)
        checks.extend(found)
        messages.extend(said)
    unknown = [r for r in table.rows if r.type_id.startswith("other:")]
    for row in unknown:
        messages.append(Message.of("unknown_type", label=row.label, where=str(row.where)))
    messages.sort(key=lambda m: m.is_info)  # findings first, then what was not checked
    warned = outside or bool(unknown) or bool(findings) or bool(inputs.calls_unread) \
        or any(m.key in ("duplicate_table", "duplicate_invoice") for m in messages)
    status = _status(error, invoice is None, checks, warned)
    return MonthResult(account=account, month=month, status=status, sources=tuple(sources), rows=table.rows,
                       total=total, stated_total=table.stated_total, discount=discount,
                       expected_invoice=expected, invoice=invoice, checks=tuple(checks),
                       messages=tuple(messages), fingerprint=prints, fees=parts.fees,
                       basis=invoice.basis if invoice else "excl", tax=parts.tax, **call_data)


def fingerprint(table: DetailTable | None, invoice: InvoiceRow | None, calls: CallMonth | None = None) -> Fingerprint:
    """What a sign-off stands on: the table's figures and the invoice row, not where they were; with
    per-call records, their sums per type and number too, so that records that change (new calls,
    a new finding) void the sign-off. A month without records keeps the fingerprint it had."""
    detail = None if table is None else table.figures()
    if calls is not None:
        detail = (detail, calls.by_type, calls.by_number)
    billed = None if invoice is None else (invoice.amount, invoice.basis, invoice.fees)
    return Fingerprint(_digest(detail), _digest(billed))


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def totals(table: DetailTable) -> tuple[int, int, int]:
    """Count, duration (tenths of a second) and charge (yen) summed over every call-type row."""
    return (sum(r.count for r in table.rows), sum(r.tenths for r in table.rows),
            sum(r.charge for r in table.rows))


def recompute_discount(tenths: int | None, total_charge: int, settings: Settings) -> int:
    """着割: rate_yen for every full unit of incoming time, rounded, capped at the charges; ≤ 0."""
    if tenths is None:
        return 0
    rule = settings.discount
    units = max(tenths, 0) // (rule.unit_seconds * 10)
    amount = rounded(units * rule.rate_yen, rule.rounding)
    if rule.cap:
        amount = min(amount, max(total_charge, 0))
    return -amount


def _one_table(tables: list[tuple[str, DetailTable]], messages: list[Message]):
    """The month's table: identical copies count once (warning), different ones are an error."""
    if not tables:
        return None, [], False
    first_file, first = tables[0]
    sources, error = [first_file], False
    for other_file, other in tables[1:]:
        sources.append(other_file)
        if first.same_figures(other):
            messages.append(Message.of("duplicate_table", first=first_file, second=other_file))
        else:
            messages.append(_conflict(first_file, first, other_file, other))
            error = True
    return first, sources, error


def _conflict(first_file: str, first: DetailTable, other_file: str, other: DetailTable) -> Message:
    """Two different tables for one month, and the first call-type figure in which they differ
    (the accountant decides which copy is right: this is where to look)."""
    ours = {row.type_id: row for row in first.rows}
    theirs = {row.type_id: row for row in other.rows}
    for type_id in sorted(ours.keys() | theirs.keys()):
        a, b = ours.get(type_id), theirs.get(type_id)
        for field_name, unit in (("count", "count"), ("tenths", "tenths"), ("charge", "yen")):
            one, two = (getattr(row, field_name) if row else None for row in (a, b))
            if one != two:
                shown = ["-" if value is None else format_figure(value, unit) for value in (one, two)]
                return Message.of("conflicting_figure", first=first_file, second=other_file, type=type_id,
                                  what=unit, one=shown[0], other=shown[1])
    return Message.of("conflicting_tables", first=first_file, second=other_file)  # totals or 着割 differ


def _one_invoice(rows: list[InvoiceRow], messages: list[Message]):
    if not rows:
        return None, False
    first, error = rows[0], False
    for other in rows[1:]:
        same = (other.amount, other.basis, other.fees) == (first.amount, first.basis, first.fees)
        key = "duplicate_invoice" if same else "conflicting_invoices"
        messages.append(Message.of(key, first=str(first.where), second=str(other.where)))
        error = error or not same
    return first, error


class Month(Struct, frozen=True):
    """What the checks read: one month's table, its recomputed figures, its invoice row and its
    per-call records."""

    table: DetailTable
    total: Figures  # recomputed: count, tenths of a second, yen
    discount: DiscountResult  # yen
    invoice: InvoiceRow | None
    expected: int  # yen, on the invoice row's basis
    calls: CallMonth | None = None


# An entry's checks (none: not performed) and its messages: why one was not performed, or what failed.
CheckResult = tuple[tuple[Check, ...], tuple[Message, ...]]


def _judged(check: Check) -> CheckResult:
    """One performed check, and its message when it fails."""
    return (check,), () if check.ok else (_check_message(check),)


def _stated_total(check_id: str, field_name: str, unit: Unit, tolerance: Callable[[Settings], int]):
    """A check of one figure of OCN's 合計 row against the recomputed total."""

    def run(month: Month, settings: Settings) -> CheckResult:
        table = month.table
        if table.total_where is None:  # said once, by the first of these checks
            return (), (Message.of("no_total_row"),) if check_id == "total_count" else ()
        stated = getattr(table.stated_total, field_name)
        if stated is None:
            return (), (Message.of("stated_absent", what=unit, check=check_id),)
        recomputed = getattr(month.total, field_name)
        return _judged(_compare(check_id, stated, recomputed, unit, tolerance(settings), table.total_where))

    return run


def _discount_check(month: Month, settings: Settings) -> CheckResult:
    """OCN's 着割 against the recomputed one."""
    stated = month.table.discount
    if stated is None:
        return (), (Message.of("no_discount_row"),)
    if month.discount.stated is None:
        return (), (Message.of("discount_absent"),)
    return _judged(_compare("discount", month.discount.stated, month.discount.recomputed, "yen",
                            settings.tolerance.yen, stated.where))


def _invoice_check(month: Month, settings: Settings) -> CheckResult:
    """What OCN invoiced against the expected invoice; not performed without an invoice row."""
    if month.invoice is None:
        return (), ()
    return _judged(_compare("invoice", month.invoice.amount, month.expected, "yen", settings.tolerance.yen,
                            month.invoice.where))


def _calls_checks(month: Month, settings: Settings) -> CheckResult:
    """calls_count, calls_duration, calls_charge per call type against the per-call records."""
    messages: list[Message] = []
    checks = calls_checks(month.table, month.calls, settings, messages)
    return tuple(checks), tuple(messages)


# The checks of a month, in the order they are listed (ids are the JSON's and labels.CHECKS'; the
# per-call ones, one per call type, are calls_count, calls_duration and calls_charge).
CHECKS: dict[str, Callable[[Month, Settings], CheckResult]] = {
    "total_count": _stated_total("total_count", "count", "count", lambda settings: 0),
    "total_duration": _stated_total("total_duration", "tenths", "tenths",
                                    lambda settings: settings.tolerance.tenths),
    "total_charge": _stated_total("total_charge", "charge", "yen", lambda settings: settings.tolerance.yen),
    "discount": _discount_check,
    "invoice": _invoice_check,
    "calls": _calls_checks,
}
# A failure of these is a variance; of the others, a warning.
MONEY_CHECKS = ("total_charge", "discount", "invoice", "calls_charge")


def _compare(check_id: str, stated: int, recomputed: int, unit: Unit, tolerance: int,
             where: Where | None) -> Check:
    difference = stated - recomputed
    return Check(check_id, abs(difference) <= tolerance, stated, recomputed, difference, unit, where)


def format_figure(value: int, unit: str, tenth: bool = True) -> str:
    """A figure in the words of its unit: 3,016 / 109:54:23.5 / 130,090."""
    return format_duration(value, tenth) if unit == "tenths" else format_yen(value)


def _check_message(check: Check) -> Message:
    direction = "over" if check.difference > 0 else "under"
    prefix = "invoice" if check.check == "invoice" else "check"
    if check.check == "discount":  # a discount is negative: a stated figure over it is less discount
        prefix, direction = "discount", "less" if check.difference > 0 else "more"
    return Message.of(f"{prefix}_{direction}", check=check.check,
                      stated=format_figure(check.stated, check.unit),
                      recomputed=format_figure(check.recomputed, check.unit),
                      difference=format_figure(abs(check.difference), check.unit, tenth=False))


# --- call records ---
CALL_CHECKS: tuple[tuple[str, Unit, int], ...] = (
    ("calls_count", "count", 1), ("calls_duration", "tenths", 2), ("calls_charge", "yen", 3))


def merged_calls(found: list[CallMonth]) -> CallMonth | None:
    """A month's per-call records from every file, added up (None when there are none)."""
    if not found:
        return None
    merged = found[0]
    for other in found[1:]:
        merged = merged.merged(other)
    return merged


def _call_data(calls: CallMonth | None, findings: tuple[Finding, ...], inputs: MonthInputs,
               messages: list[Message]) -> dict:
    """The MonthResult fields of per-call records; each finding also becomes a message."""
    if calls is None:
        return {}
    for finding in findings:
        messages.append(finding_message(finding))
    return {"calls": calls, "findings": findings, "costs": number_costs(calls, inputs.numbers)}


def finding_message(finding: Finding) -> Message:
    """A finding in words: the rule, its calls and yen, the first call, the numbers (a list, which
    each language names as it does: 番号 050-…、03-…; number 050-… or numbers 050-…, 03-…)."""
    return Message.of(f"finding_{finding.rule}", None, calls=f"{finding.count:,}", charge=format_yen(finding.charge),
                      since=finding.first_iso, numbers=tuple(map(shown_number, finding.numbers)),
                      **dict(finding.detail))


def calls_checks(table: DetailTable, calls: CallMonth | None, settings: Settings,
                 messages: list[Message]) -> list[Check]:
    """calls_count, calls_duration, calls_charge per call type (SPEC §7): the table's row (stated)
    against the records' sums (recomputed), located at the table's row; a type only one side has
    is 0 on the other. Charges are compared in whole yen: the records' sen summed exactly, then
    rounded as the table rounded them where that is within a yen (down or up: a difference under
    one yen is rounding), else half up."""
    if calls is None:
        return []
    rows = {r.type_id: r for r in table.rows}
    sums = {type_id: (count, tenths, sen) for type_id, count, tenths, sen in calls.by_type}
    tolerance = {"count": 0, "tenths": settings.tolerance.tenths, "yen": settings.tolerance.yen}
    checks = []
    for type_id in sorted(rows.keys() | sums.keys(), key=_type_order):
        row = rows.get(type_id)
        count, tenths, sen = sums.get(type_id, (0, 0, 0))
        stated = (row.count, row.tenths, row.charge) if row else (0, 0, 0)
        yen = stated[2] if abs(stated[2] * 100 - sen) < 100 else sen_to_yen(sen)
        if sen % 100:
            messages.append(Message.of("calls_fraction", type=type_id, exact=format_sen(sen),
                                       charge=format_yen(yen)))
        for check_id, unit, index in CALL_CHECKS:
            recomputed = (count, tenths, yen)[index - 1]
            check = _compare(check_id, stated[index - 1], recomputed, unit, tolerance[unit],
                             row.where if row else table.where)
            check = msgspec.structs.replace(check, type_id=type_id)
            checks.append(check)
            if not check.ok:
                messages.append(_calls_message(check, count))
    return checks


def _type_order(type_id: str) -> tuple[int, str]:
    order = list(labels.CALL_TYPES)
    return (order.index(type_id), "") if type_id in order else (len(order), type_id)


def _calls_message(check: Check, calls: int) -> Message:
    direction = "over" if check.difference > 0 else "under"
    if check.unit == "count":  # the records' count is their calls: said once (通話明細の 840 通話)
        direction += "_count"
    return Message.of(f"calls_{direction}", type=check.type_id, what=check.unit, calls=f"{calls:,}",
                      stated=format_figure(check.stated, check.unit),
                      recomputed=format_figure(check.recomputed, check.unit),
                      difference=format_figure(abs(check.difference), check.unit, tenth=False))


def _status(error: bool, missing: bool, checks: list[Check], warned: bool) -> Status:
    if error:
        return "error"
    if missing:
        return "missing"
    failed = {c.check for c in checks if not c.ok}
    if failed & set(MONEY_CHECKS):
        return "variance"
    if failed or warned:
        return "warning"
    return STATUSES[0]
