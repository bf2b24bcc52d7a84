"""Patterns across months, after each month is reconciled on its own. Pure: no I/O.

- A call type whose charge or count jumps far above its own recent months (international calls
  several times their trailing median are the classic sign of toll fraud on a hijacked 050 line),
  or charges on a type that is normally zero: a warning on that month.
  The months before come from the previous year's folder too, when it sits beside this one.
- Invoices that tie out only when moved one month back: the invoice list was typed by billing
  month (請求月) instead of usage month (利用月). Said once, plainly, for the contract.
"""
from __future__ import annotations

import itertools
from decimal import Decimal

import msgspec

from recon.model import Message, MonthResult, TypeRow
from recon.settings import AnomalySettings, Settings
from recon.tax import invoice_variance
from recon.values import format_yen

MEASURES = (("charge", "yen"), ("count", "calls"))


def review(results: list[MonthResult], settings: Settings,
           history: tuple[MonthResult, ...] = ()) -> tuple[list[MonthResult], list[Message]]:
    """The months with anomaly warnings added, and notes about the year as a whole.

    `history`, the previous year's months (SPEC §1.2, an archive of years), is where each
    contract's trailing months start: its first months are judged against the year before.
    """
    flagged: list[MonthResult] = []
    earlier_by_account: dict[str, list[MonthResult]] = {}  # per contract, its months so far that have a table, in order
    sums = _Sums()
    for month in sorted(history, key=lambda m: m.month):
        if month.total:
            earlier_by_account.setdefault(month.account, []).append(month)
    for month in results:
        earlier = earlier_by_account.setdefault(month.account, [])
        flagged.append(_with_anomalies(month, earlier[-settings.anomaly.window:], settings.anomaly, sums))
        if month.total:
            earlier.append(month)
    return flagged, _shift_hints(flagged, settings.tolerance.yen)


class _Sums:
    """Each month's measures added up per call type, worked out once a month (a month is the
    history of the next `window` months)."""

    def __init__(self) -> None:
        self._by_month: dict[int, dict[tuple[str, str], int]] = {}

    def of(self, month: MonthResult) -> dict[tuple[str, str], int]:
        """(measure, type id) → the month's sum; a type it does not list is absent (0)."""
        found = self._by_month.get(id(month))
        if found is None:
            found = {}
            for row in month.rows:
                for name, _ in MEASURES:
                    found[name, row.type_id] = found.get((name, row.type_id), 0) + getattr(row, name)
            self._by_month[id(month)] = found
        return found


def _with_anomalies(month: MonthResult, history: list[MonthResult], rule: AnomalySettings, sums: _Sums) -> MonthResult:
    if not month.rows or len(history) < rule.history:
        return month
    past = [sums.of(m) for m in history]
    found = [message for row in month.rows if (message := _row_anomaly(row, past, rule))]
    if not found:
        return month
    status = "warning" if month.status == "ok" else month.status
    return msgspec.structs.replace(month, status=status, messages=month.messages + tuple(found))


def _row_anomaly(row: TypeRow, history: list[dict[tuple[str, str], int]], rule: AnomalySettings) -> Message | None:
    """The first measure (charge, then calls) of a row that departs from its history (each earlier
    month's sums by measure and type), if any."""
    for measure, unit in MEASURES:
        now = getattr(row, measure)
        key = (measure, row.type_id)
        past = [sums.get(key, 0) for sums in history]
        twice = _twice_median(past)  # in whole numbers: most rows are judged without a Decimal
        floor = rule.min_yen if measure == "charge" else rule.min_calls
        if 2 * now - twice < 2 * max(floor, 1):
            continue
        typical = Decimal(twice) / 2
        shown = format_yen(now) if measure == "charge" else f"{now:,}"
        if typical == 0:
            return Message.of("anomaly_new", type=row.type_id, what=unit, now=shown, months=len(past))
        if now > rule.factor * typical:
            return Message.of("anomaly_spike", type=row.type_id, what=unit, now=shown,
                              times=f"{now / typical:.1f}", months=len(past))
    return None


def median(values: list[int]) -> Decimal:
    """The exact median of whole numbers (a half where the count is even)."""
    return Decimal(_twice_median(values)) / 2


def _twice_median(values: list[int]) -> int:
    """Twice the median of whole numbers, a whole number."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return 2 * ordered[middle] if len(ordered) % 2 else ordered[middle - 1] + ordered[middle]


def _shift_hints(results: list[MonthResult], tolerance: int) -> list[Message]:
    """A contract whose invoices tie out only one month later than their detail tables."""
    notes: list[Message] = []
    by_account: dict[str, list[MonthResult]] = {}
    for month in results:
        by_account.setdefault(month.account, []).append(month)
    for account, months in sorted(by_account.items()):
        as_typed = sum(1 for m in months if _ties(m.expected_invoice, m.invoiced, tolerance))
        shifted = sum(1 for before, after in itertools.pairwise(months)
                      if _ties(before.expected_invoice, after.invoiced, tolerance))
        if shifted >= 2 and shifted > 2 * as_typed:
            notes.append(Message.of("invoices_shifted", account=account, shifted=shifted,
                                    typed=as_typed, months=len(months)))
    return notes


def _ties(expected: int | None, invoiced: int | None, tolerance: int) -> bool:
    variance = invoice_variance(invoiced, expected)
    return variance is not None and abs(variance) <= tolerance
