"""The per-month summary printed after a build or a check: one line a month, its findings below."""
from __future__ import annotations

import unicodedata
from collections import Counter

from recon import labels
from recon.model import MonthResult, Report
from recon.values import format_duration, format_yen

_COLUMNS = ("month", "status", "close", "calls", "call time", "charge", "着割 stated", "recomputed",
            "expected", "invoiced", "variance")
_WIDTHS = (10, 9, 8, 7, 13, 11, 12, 11, 10, 10, 9)


def summary(report: Report, workbook: str | None) -> str:
    """The console text: a header, a line per month with its messages, the file and status counts."""
    lines = [_row(_COLUMNS)]
    for month in report.months:
        lines.append(_row(_month_cells(month)))
        lines.extend(f"{'':>10}  {labels.render(m, 'en')}" for m in month.messages if not m.is_info)
    lines.append("")
    lines.extend(labels.render(note, "en") for note in report.notes)
    lines.append(_status_counts(report))
    lines.append(_file_counts(report))
    problems = [f for f in report.files if f.status == "error"]
    lines.extend(f"  {labels.render(f.message, 'en')}" for f in problems if f.message)
    if workbook:
        lines.append(f"workbook: {workbook}")
    return "\n".join(lines)


def _row(cells) -> str:
    first, *rest = cells
    return f"{first:<{_WIDTHS[0]}}" + "".join(_right(c, w) for c, w in zip(rest, _WIDTHS[1:], strict=True)).rstrip()


def _right(text: str, width: int) -> str:
    """Right-align in a terminal, where a kanji takes two columns."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return " " * max(width - len(text) - wide, 1) + text


def _yen(value: int | None) -> str:
    return "-" if value is None else format_yen(value)


def _month_cells(m: MonthResult) -> tuple[str, ...]:
    name = f"{m.account}/{m.month}" if m.account else m.month
    total, d = m.total, m.discount
    close = "-" if m.close is None else ("stale" if m.close.stale else m.close.state)
    return (
        name, m.status, close,
        "-" if total is None else f"{total.count:,}",
        "-" if total is None else format_duration(total.tenths),
        "-" if total is None else f"¥{total.charge:,}",
        "-" if d is None else _yen(d.stated),
        "-" if d is None else _yen(d.recomputed),
        _yen(m.expected_invoice), _yen(m.invoiced), _yen(m.invoice_variance),
    )


def _status_counts(report: Report) -> str:
    counts = Counter(m.status for m in report.months)
    parts = ", ".join(f"{counts[s]} {s}" for s in ("ok", "warning", "variance", "missing", "error") if counts[s])
    return f"{len(report.months)} months: {parts or 'none'}"


def _file_counts(report: Report) -> str:
    counts = Counter(f.status for f in report.files)
    return f"{len(report.files)} files: " + ", ".join(
        f"{counts[s]} {s}" for s in ("read", "ignored", "error") if counts[s])
