"""Detail tables + invoice rows + settings → one MonthResult per (account, month). Pure: no I/O.

A new check is one function in CHECKS below plus its words in labels.CHECKS.
"""
from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from recon import fraud, labels, months as month_math
from recon.costs import number_costs
from recon.model import (CallMonth, Check, DetailTable, DiscountResult, Figures, Finding, Fingerprint, InvoiceRow,
                         Message, MonthResult, STATUSES, Where, sen_to_yen)
from recon.settings import Settings
from recon.values import format_duration, format_yen

_ROUNDING = {"floor": ROUND_FLOOR, "half_up": ROUND_HALF_UP, "ceil": ROUND_CEILING}
MONEY_CHECKS = ("total_charge", "discount", "invoice", "calls_charge")


@dataclass
class MonthInputs:
    """What the readers found for one (account, month)."""

    tables: list[tuple[str, DetailTable]] = field(default_factory=list)  # (file, table)
    invoices: list[InvoiceRow] = field(default_factory=list)
    errors: list[Message] = field(default_factory=list)
    calls: list[CallMonth] = field(default_factory=list)  # per-call records of the month, one per file
    numbers: dict[str, tuple[str, str]] = field(default_factory=dict)  # numbers.csv: number → (部門, 名前)


def reconcile(inputs: dict[tuple[str, str], MonthInputs], settings: Settings) -> list[MonthResult]:
    """Every month that has a table or an invoice, plus the gaps between, per account, in order."""
    results, by_account = [], {}
    for account, month in inputs:
        by_account.setdefault(account, []).append(month)
    for account, found in sorted(by_account.items()):
        found.sort()
        findings = fraud.watch([(m, merged_calls(inputs[(account, m)].calls)) for m in found
                                if inputs[(account, m)].calls], settings.calls)
        for month in month_math.month_range(found[0], found[-1]):
            results.append(reconcile_month(account, month, inputs.get((account, month), MonthInputs()),
                                           settings, findings.get(month, ())))
    return results


def reconcile_month(account: str, month: str, inputs: MonthInputs, settings: Settings,
                    findings: tuple[Finding, ...] = ()) -> MonthResult:
    """Totals, 着割, expected invoice, the checks and the status of one month."""
    messages = list(inputs.errors)
    calls = merged_calls(inputs.calls)
    call_data = _call_data(calls, findings, inputs, messages)
    error = bool(inputs.errors)
    table, sources, table_error = _one_table(inputs.tables, messages)
    sources += calls.sources if calls else ()
    invoice, invoice_error = _one_invoice(inputs.invoices, messages)
    error = error or table_error or invoice_error
    if table is None and not error:
        messages.append(Message.of("no_detail"))
    if invoice is None:
        messages.append(Message.of("no_invoice"))
    prints = fingerprint(table, invoice)
    if table is None:
        if calls is not None:
            messages.append(Message.of("calls_without_table", calls=f"{calls.count:,}",
                                       charge=format_yen(sen_to_yen(calls.sen))))
        return MonthResult(account, month, _status(error, True, [], False), tuple(sources), (), None,
                           None, None, None, invoice, (), tuple(messages), prints, **call_data)

    total = totals(table)
    discount = DiscountResult(
        table.discount.count if table.discount else None,
        table.discount.tenths if table.discount else None,
        table.discount.stated if table.discount else None,
        recompute_discount(table.discount.tenths if table.discount else None, total.charge, settings),
    )
    expected = expected_invoice(total.charge + discount.recomputed, invoice, settings)
    checks = [c for c in (
        _total_check("total_count", table.stated_total.count, total.count, "count", 0, table, messages),
        _total_check("total_duration", table.stated_total.tenths, total.tenths, "tenths",
                     int(settings.tolerance.seconds * 10), table, messages),
        _total_check("total_charge", table.stated_total.charge, total.charge, "yen",
                     settings.tolerance.yen, table, messages),
        _discount_check(table, discount, settings, messages),
        _invoice_check(invoice, expected, settings),
    ) if c is not None]
    for check in checks:
        if not check.ok:
            messages.append(_check_message(check))
    checks += calls_checks(table, calls, settings, messages)
    unknown = [r for r in table.rows if r.type_id.startswith("other:")]
    for row in unknown:
        messages.append(Message.of("unknown_type", label=row.label, where=str(row.where)))
    messages.sort(key=lambda m: m.is_info)  # findings first, then what was not checked
    warned = bool(unknown) or any(m.key == "duplicate_table" or m.key == "duplicate_invoice" for m in messages)
    warned = warned or bool(findings)
    status = _status(error, invoice is None, checks, warned)
    return MonthResult(account, month, status, tuple(sources), table.rows, total, table.stated_total,
                       discount, expected, invoice, tuple(checks), tuple(messages), prints, **call_data)


def fingerprint(table: DetailTable | None, invoice: InvoiceRow | None) -> Fingerprint:
    """What a sign-off stands on: the table's figures and the invoice row, not where they were."""
    detail = None if table is None else table.figures()
    billed = None if invoice is None else (invoice.amount, invoice.basis, invoice.fees)
    digest = lambda value: hashlib.sha256(repr(value).encode()).hexdigest()
    return Fingerprint(digest(detail), digest(billed))


def totals(table: DetailTable) -> Figures:
    """Count, duration and charge summed over every call-type row."""
    return Figures(sum(r.count for r in table.rows), sum(r.tenths for r in table.rows),
                   sum(r.charge for r in table.rows))


def round_yen(amount: Decimal, rounding: str) -> int:
    """A Decimal amount → whole yen by the named rounding (floor, half_up, ceil)."""
    return int(amount.quantize(Decimal(1), rounding=_ROUNDING[rounding]))


def recompute_discount(tenths: int | None, total_charge: int, settings: Settings) -> int:
    """着割: rate_yen for every full unit of incoming time, rounded, capped at the charges; ≤ 0."""
    if tenths is None:
        return 0
    rule = settings.discount
    units = max(tenths, 0) // (rule.unit_seconds * 10)
    amount = round_yen(units * rule.rate_yen, rule.rounding)
    if rule.cap:
        amount = min(amount, max(total_charge, 0))
    return -amount


def expected_invoice(net_charge: int, invoice: InvoiceRow | None, settings: Settings) -> int:
    """Charges after 着割, plus the row's fixed fees; tax added once for a tax-included row."""
    expected = net_charge + (invoice.fees if invoice else 0)
    if invoice is not None and invoice.basis == "incl":
        expected = round_yen(expected * (1 + settings.tax.rate), settings.tax.rounding)
    return expected


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
            messages.append(Message.of("conflicting_tables", first=first_file, second=other_file))
            error = True
    return first, sources, error


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


def _total_check(check_id: str, stated: int | None, recomputed: int, unit: str, tolerance: int,
                 table: DetailTable, messages: list[Message]) -> Check | None:
    if table.total_where is None:
        if check_id == "total_count":
            messages.append(Message.of("no_total_row"))
        return None
    if stated is None:
        messages.append(Message.of("stated_absent", what=unit, check=check_id))
        return None
    return _compare(check_id, stated, recomputed, unit, tolerance, table.total_where)


def _discount_check(table: DetailTable, discount: DiscountResult, settings: Settings,
                    messages: list[Message]) -> Check | None:
    if table.discount is None:
        messages.append(Message.of("no_discount_row"))
        return None
    if discount.stated is None:
        messages.append(Message.of("discount_absent"))
        return None
    return _compare("discount", discount.stated, discount.recomputed, "yen", settings.tolerance.yen,
                    table.discount.where)


def _invoice_check(invoice: InvoiceRow | None, expected: int, settings: Settings) -> Check | None:
    if invoice is None:
        return None
    return _compare("invoice", invoice.amount, expected, "yen", settings.tolerance.yen, invoice.where)


def _compare(check_id: str, stated: int, recomputed: int, unit: str, tolerance: int,
             where: Where | None) -> Check:
    difference = stated - recomputed
    return Check(check_id, abs(difference) <= tolerance, stated, recomputed, difference, unit, where)


def format_figure(value: int, unit: str, tenth: bool = True) -> str:
    """A figure in the words of its unit: 3,016 / 109:54:23.5 / 130,090."""
    return format_duration(value, tenth) if unit == "tenths" else format_yen(value)


def _check_message(check: Check) -> Message:
    direction = "over" if check.difference > 0 else "under"
    prefix = "invoice" if check.check == "invoice" else "check"
    return Message.of(f"{prefix}_{direction}", check=check.check,
                      stated=format_figure(check.stated, check.unit),
                      recomputed=format_figure(check.recomputed, check.unit),
                      difference=format_figure(abs(check.difference), check.unit, tenth=False))


# --- call records ---
CALL_CHECKS = (("calls_count", "count", 1), ("calls_duration", "tenths", 2), ("calls_charge", "yen", 3))


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
    """A finding in words: the rule, its calls and yen, the first call, the numbers."""
    return Message.of(f"finding_{finding.rule}", calls=f"{finding.count:,}", charge=format_yen(finding.charge),
                      first=finding.first_iso, numbers=", ".join(finding.numbers) or "-", **dict(finding.detail))


def calls_checks(table: DetailTable, calls: CallMonth | None, settings: Settings,
                 messages: list[Message]) -> list[Check]:
    """calls_count, calls_duration, calls_charge per call type (SPEC §7): the table's row (stated)
    against the records' sums (recomputed), located at the table's row; a type only one side has
    is 0 on the other. Charges are compared in whole yen (the records' sen summed, then half up)."""
    if calls is None:
        return []
    rows = {r.type_id: r for r in table.rows}
    sums = {type_id: (count, tenths, sen) for type_id, count, tenths, sen in calls.by_type}
    tolerance = {"count": 0, "tenths": int(settings.tolerance.seconds * 10), "yen": settings.tolerance.yen}
    checks = []
    for type_id in sorted(rows.keys() | sums.keys(), key=_type_order):
        row = rows.get(type_id)
        count, tenths, sen = sums.get(type_id, (0, 0, 0))
        stated = (row.count, row.tenths, row.charge) if row else (0, 0, 0)
        label = row.label if row else _type_label(type_id)
        if sen % 100:
            messages.append(Message.of("calls_fraction", type=label, exact=format_sen(sen),
                                       charge=format_yen(sen_to_yen(sen))))
        for check_id, unit, index in CALL_CHECKS:
            recomputed = (count, tenths, sen_to_yen(sen))[index - 1]
            check = _compare(check_id, stated[index - 1], recomputed, unit, tolerance[unit],
                             row.where if row else table.where)
            check = dataclasses.replace(check, type_id=type_id)
            checks.append(check)
            if not check.ok:
                messages.append(_calls_message(check, label, count))
    return checks


def format_sen(sen: int) -> str:
    """Hundredths of a yen in yen: 1024050 → `10,240.5`."""
    whole, rest = divmod(abs(sen), 100)
    shown = f"{'-' if sen < 0 else ''}{whole:,}"
    return f"{shown}.{rest:02d}".rstrip("0") if rest else shown


def _type_order(type_id: str) -> tuple[int, str]:
    order = list(labels.CALL_TYPES)
    return (order.index(type_id), "") if type_id in order else (len(order), type_id)


def _type_label(type_id: str) -> str:
    return labels.type_label(type_id, "ja")


def _calls_message(check: Check, label: str, calls: int) -> Message:
    direction = "over" if check.difference > 0 else "under"
    return Message.of(f"calls_{direction}", type=label, what=check.unit, calls=f"{calls:,}",
                      stated=format_figure(check.stated, check.unit),
                      recomputed=format_figure(check.recomputed, check.unit),
                      difference=format_figure(abs(check.difference), check.unit, tenth=False))


def _status(error: bool, missing: bool, checks: list[Check], warned: bool) -> str:
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
