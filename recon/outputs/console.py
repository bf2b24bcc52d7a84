"""The per-month summary printed after a build or a check: one line a month, its findings below."""
from __future__ import annotations

import unicodedata
from collections import Counter
from typing import TextIO

from recon import labels
from recon.values import encodable, format_duration, format_yen
from recon.model import STATUSES, MonthResult
from recon.view import ReportView, SummaryRow

_COLUMNS = ("month", "status", "close", "calls", "call time", "charge", "着割 stated", "recomputed",
            "expected", "invoiced", "variance")
_WIDTHS = (10, 9, 8, 7, 13, 11, 12, 11, 10, 10, 9)


def write(view: ReportView, stream: TextIO, settings: object = None) -> None:
    """The summary on `stream`, in the stream's encoding (cp932 included)."""
    stream.write(summary(view, getattr(stream, "encoding", None) or "utf-8") + "\n")


def summary(view: ReportView, encoding: str = "utf-8") -> str:
    """The console text: a header, a line per month with its messages, the total, the file and
    status counts; every character writable in `encoding` (the terminal's or the redirect's)."""
    yen = _yen_sign(encoding)
    rows = [(row, _month_cells(row, yen)) for row in (*view.summary, *filter(None, [view.year_total]))]
    widths = _widths([cells for _, cells in rows])
    lines = [_row(_COLUMNS, widths)]
    for row, cells in rows:
        lines.append(_row(cells, widths))
        lines.extend(f"{'':>10}  {labels.render(m, 'en')}" for m in row.messages)
    lines.append("")
    lines.extend(labels.render(note, "en") for note in view.notes)
    lines.append(_status_counts(view))
    lines.append(_file_counts(view))
    problems = [f for f in view.files if f.status == "error"]
    lines.extend(f"  {labels.render(f.message, 'en')}" for f in problems if f.message)
    lines.extend(f"  {f.path}: {labels.render(f.message, 'en')}" for f in view.files  # SPEC §7, Install
                 if f.message is not None and f.message.key == "calls_extra")
    if view.workbook:
        lines.append(f"workbook: {view.workbook}")
    return encodable("\n".join(lines), encoding)


def close_line(report: ReportView, blocking: list[MonthResult]) -> str:
    """`recon check`'s last line: whether the close is done, which months block it and why, and
    which open months (warnings not signed off, which the close lets through without --strict)
    remain open in the workbook's 締め column."""
    if not report.months:
        return "close: not done, no months found"
    months = f"{len(report.months)} month{'s' if len(report.months) != 1 else ''}"
    blocked = {(m.account, m.month) for m in blocking}
    still_open = [m for m in report.months if (m.account, m.month) not in blocked
                  and (m.close is None or m.close.state != "closed")]
    one = len(still_open) == 1
    tail = (f" ({len(still_open)} more open as {'a warning, which does' if one else 'warnings, which do'} not "
            f"block it: {', '.join(_name(m) for m in still_open)})") if still_open else ""
    if not blocking:
        return f"close: done, none of the {months} blocks it{tail}"
    named = ", ".join(f"{_name(m)} {m.status}" for m in blocking)
    return f"close: not done, {len(blocking)} of {months} block it: {named}{tail}"


def _yen_sign(encoding: str) -> tuple[str, str]:
    """How a charge is marked: ¥130,090, or 130,090円 where ¥ cannot be written. cp932 (Japanese
    Windows) has no ¥ (U+00A5): its byte 0x5C is the backslash, which a Japanese font draws as ¥
    but an editor opening the log as UTF-8 shows as \\. 円 is in every Japanese encoding and
    means the same to every reader."""
    for sign in (("¥", ""), ("", "円")):
        if encodable("".join(sign), encoding) == "".join(sign):
            return sign
    return "", " yen"


def _widths(rows: list[tuple[str, ...]]) -> tuple[int, ...]:
    """Each column's width: its usual one, or as wide as its widest cell needs (a 1,000-contract
    year's total call time, 87368:53:41.7), a space before each right-aligned cell included."""
    widest = [max((_shown_width(cells[i]) for cells in rows), default=0) for i in range(len(_WIDTHS))]
    return (max(_WIDTHS[0], widest[0]), *(max(w, n + 1) for w, n in zip(_WIDTHS[1:], widest[1:], strict=True)))


def _row(cells, widths: tuple[int, ...]) -> str:
    first, *rest = cells
    return (first + " " * max(widths[0] - _shown_width(first), 0)
            + "".join(_right(c, w) for c, w in zip(rest, widths[1:], strict=True)).rstrip())


def _right(text: str, width: int) -> str:
    """Right-align in a terminal, where a kanji takes two columns."""
    return " " * max(width - _shown_width(text), 1) + text


def _shown_width(text: str) -> int:
    """Columns a terminal gives `text`: two for a kanji or a full-width character."""
    if text.isascii():  # most cells: figures, states and dashes
        return len(text)
    return len(text) + sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")


def _yen(value: int | None) -> str:
    return "-" if value is None else format_yen(value)


def _name(m: MonthResult) -> str:
    return f"{m.account}/{m.month}" if m.account else m.month


def _month_cells(row: SummaryRow, yen: tuple[str, str]) -> tuple[str, ...]:
    name = {"month": f"{row.account}/{row.month}" if row.account else row.month,
            "company": f"company/{row.month}", "total": "total"}[row.kind]
    return (
        name, row.status, {"stale": "review"}.get(row.close or "-", row.close or "-"),
        "-" if row.count is None else f"{row.count:,}",
        "-" if row.tenths is None else format_duration(row.tenths),
        "-" if row.charge is None else f"{yen[0]}{row.charge:,}{yen[1]}",
        _yen(row.discount_stated), _yen(row.discount_recomputed),
        _yen(row.expected), _yen(row.invoiced), _yen(row.variance),
    )


def _status_counts(report: ReportView) -> str:
    counts = Counter(m.status for m in report.months)
    parts = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s])
    return f"{len(report.months)} months: {parts or 'none'}"


def _file_counts(report: ReportView) -> str:
    counts = Counter(f.status for f in report.files)
    return f"{len(report.files)} files: " + ", ".join(
        f"{counts[s]} {s}" for s in ("read", "ignored", "error") if counts[s])
