"""The per-month summary printed after a build or a check, in the report's language: one line a
month, its findings below, the total rows, then what the year holds in whole sentences."""
from __future__ import annotations

import unicodedata
from collections import Counter
from typing import TYPE_CHECKING

from recon import labels
from recon.model import STATUSES, MonthResult
from recon.values import encodable, format_duration, format_yen
from recon.view import ReportView, SummaryRow

if TYPE_CHECKING:
    from recon.outputs import Stream

# The summary's figures that add up on their row: charge + 着割 (recomputed) + fees + tax = expected,
# invoiced - expected = variance. 着割 as OCN stated it adds nothing up: a month where it differs says
# so below its line, and the workbook has both. A normal year's lines fit a console of 120 columns.
_COLUMNS = ("month", "status", "close", "count", "time", "charge", "discount_recomputed",
            "fees", "tax", "expected", "invoiced", "variance")
_WIDTHS = (10, 9, 8, 7, 12, 11, 11, 7, 6, 10, 10, 9)


def write(view: ReportView, stream: Stream, settings: object = None) -> None:
    """The summary on `stream`, in the stream's encoding (cp932 included)."""
    stream.write(summary(view, getattr(stream, "encoding", None) or "utf-8") + "\n")


def summary(view: ReportView, encoding: str = "utf-8") -> str:
    """The console text: a header, a line per month with its messages, the total rows, the month and
    file counts; every character writable in `encoding` (the terminal's or the redirect's)."""
    lang = view.lang
    yen = _yen_sign(encoding, lang)
    shown = (*view.summary, *filter(None, [view.year_total, view.invoiced_all]))
    rows = [(row, _month_cells(row, view, yen)) for row in shown]
    lines = []
    if rows:  # a folder of no month has no table to head (its close line says why)
        header = _header(lang, _widths([cells for _, cells in rows]))
        widths = _widths([*header, *(cells for _, cells in rows)])
        lines = [_row(cells, widths) for cells in header]
        for row, cells in rows:
            lines.append(_row(cells, widths))
            lines.extend(f"{'':>10}  {labels.render(m, lang)}" for m in row.messages)
        lines.append("")
    lines.extend(labels.render(note, lang) for note in view.notes)
    if rows:
        lines.append(_status_counts(view))
    lines.append(_file_counts(view))
    problems = [f for f in view.files if f.status == "error"]
    lines.extend(f"  {labels.render(f.message, lang)}" for f in problems if f.message)
    lines.extend(f"  {f.path}: {labels.render(f.message, lang)}" for f in view.files  # SPEC §7, Install
                 if f.message is not None and f.message.key == "calls_extra")
    if view.workbook:
        lines.append(labels.word(labels.CONSOLE, "workbook", lang).format(path=view.workbook))
    return encodable("\n".join(lines), encoding)


def close_line(report: ReportView, blocking: list[MonthResult]) -> str:
    """`recon check`'s last line: whether the close is done, which months block it and why (a
    suspected toll fraud named as such), and which open months (warnings not signed off, which the
    close lets through without --strict) remain open in the workbook's 締め column."""
    lang = report.lang

    def said(key: str, **params: object) -> str:
        return labels.word(labels.CLOSE_LINE, key, lang).format(**params)

    if not report.months:
        return said("none")
    count = len(report.months)
    months = labels.contract_months_count(count, report.contract_count, report.month_count, lang)

    def part(n: int) -> str:
        return labels.contract_months_part(n, report.contract_count, lang)

    blocked = {(m.account, m.month) for m in blocking}
    still_open = [m for m in report.months if (m.account, m.month) not in blocked
                  and (m.close is None or m.close.state != "closed")]
    open_named = labels.joined((_name(m) for m in still_open), lang)
    if not blocking:
        if still_open and len(still_open) == count:
            return said("done_one_open" if count == 1 else "done_all_open", months=months, named=open_named)
        line = said("done_one" if count == 1 else "done", months=months)
        if still_open:
            line += said("done_open_one" if len(still_open) == 1 else "done_open", count=part(len(still_open)),
                         named=open_named)
        return line
    rows = {(row.account, row.month): row for row in report.summary if row.kind == "month"}
    named = labels.joined((_why_open(m, rows.get((m.account, m.month)), lang) for m in blocking), lang)
    key = ("blocked_the_one" if count == 1 else "blocked_all" if len(blocking) == count
           else "blocked_one" if len(blocking) == 1 else "blocked")
    line = said(key, count=part(len(blocking)), months=months, named=named)
    if still_open:
        line += said("open_one" if len(still_open) == 1 else "open", count=part(len(still_open)), named=open_named)
    return line


def _why_open(month: MonthResult, row: SummaryRow | None, lang: str) -> str:
    """A month that blocks the close and why: its status in words, or the suspected toll fraud."""
    if month.fraud and month.status in ("ok", "warning"):  # a variance says so first
        rules = labels.joined((_in_sentence(labels.word(labels.FINDING_WORDS, rule, lang), lang)
                               for rule in month.fraud), lang)
        return f"{_name(month)} " + labels.word(labels.CLOSE_LINE, "fraud", lang).format(rules=rules)
    word = labels.status_word(month.status, row.lacks if row else (), lang)
    return f"{_name(month)} {_in_sentence(word, lang)}"


def _in_sentence(word: str, lang: str) -> str:
    """A label as a sentence's words: English lower-cased (No table → no table; OK stays OK)."""
    return word if lang == "ja" or word.isupper() else word[0].lower() + word[1:]


def _header(lang: str, widths: tuple[int, ...]) -> list[tuple[str, ...]]:
    """The header line, in the words of the summary sheet's headers; a header wider than its
    column's figures is written on two lines (Discount / (recomputed), 着割 / (再計算)), so that
    it widens no column. One line (a tuple of cells) when every header fits."""
    words = {key: (ja, en) for key, ja, en in labels.HEADERS["summary"]}
    split = [("", labels.word(words, _COLUMNS[0], lang))]
    split += [_two_lines(labels.word(words, key, lang), width) for key, width in zip(_COLUMNS[1:], widths[1:],
                                                                                     strict=True)]
    top, bottom = zip(*split, strict=True)
    return [top, bottom] if any(top) else [bottom]


def _two_lines(words: str, width: int) -> tuple[str, str]:
    """("", words) when the words fit a right-aligned column of `width` (a space before them);
    else the words broken at the space or before the bracket that leaves the narrower lines."""
    if _shown_width(words) < width:
        return "", words
    breaks = [(words[:i].rstrip(), words[i:].lstrip()) for i in range(1, len(words))
              if words[i] == "(" or (words[i] == " " and words[i - 1] != " ")]
    best = min(breaks, key=lambda pair: max(map(_shown_width, pair)), default=("", words))
    return best if max(map(_shown_width, best)) < _shown_width(words) else ("", words)


def _yen_sign(encoding: str, lang: str) -> tuple[str, str]:
    """How a charge is marked: ¥130,090, or in Japanese 130,090円 where ¥ cannot be written.
    cp932 (Japanese Windows) has no ¥ (U+00A5): its byte 0x5C is the backslash, which a Japanese
    font draws as ¥ but an editor opening the log as UTF-8 shows as \\. 円 is in every Japanese
    encoding and means the same to every Japanese reader; an English line then marks the charge
    no more than its other amounts in yen."""
    if encodable("¥", encoding) == "¥":
        return "¥", ""
    return ("", "円") if lang == "ja" and encodable("円", encoding) == "円" else ("", "")


def _widths(rows: list[tuple[str, ...]]) -> tuple[int, ...]:
    """Each column's width: its usual one, or as wide as its widest cell needs (a 1,000-contract
    year's total call time, 87368:53:41.7; a Japanese header), a space before each right-aligned
    cell included. A name whose status is blank (Invoiced, all rows) may run on into the status
    column, and widens the first column only past both."""
    widest = [max((_shown_width(cells[i]) for cells in rows), default=0) for i in range(1, len(_WIDTHS))]
    widths = tuple(max(w, n + 1) for w, n in zip(_WIDTHS[1:], widest, strict=True))
    first = max((_shown_width(cells[0]) - (0 if cells[1] else widths[0] - 1) for cells in rows), default=0)
    return max(_WIDTHS[0], first), *widths


def _row(cells, widths: tuple[int, ...]) -> str:
    first, *rest = cells
    room, rest_widths = widths[0], widths[1:]
    if rest and not rest[0]:  # a blank status: the name may run on into its column
        room, rest, rest_widths = room + rest_widths[0], rest[1:], rest_widths[1:]
    return (first + " " * max(room - _shown_width(first), 0)
            + "".join(_right(c, w) for c, w in zip(rest, rest_widths, strict=True)).rstrip())


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


def _month_cells(row: SummaryRow, view: ReportView, yen: tuple[str, str]) -> tuple[str, ...]:
    lang = view.lang
    if row.kind == "month":
        name = f"{row.account}/{row.month}" if row.account else str(row.month)
        status = labels.status_word(row.status, row.lacks, lang, row.suspected)
    else:
        total = labels.FISCAL_TOTAL_ROW if view.fiscal else labels.TOTAL_ROW
        name = {"company": f"{labels.word(labels.CONSOLE, 'company', lang)}/{row.month}",
                "total": total[lang != "ja"], "invoiced": labels.INVOICED_ALL_ROW[lang != "ja"]}[row.kind]
        status = "" if row.kind == "invoiced" else labels.total_status_word(row.to_review, lang)
    return (
        name, status, labels.word(labels.CLOSE, row.close, lang) if row.close else "-",
        "-" if row.count is None else f"{row.count:,}",
        "-" if row.tenths is None else format_duration(row.tenths),
        "-" if row.charge is None else f"{yen[0]}{row.charge:,}{yen[1]}",
        _yen(row.discount_recomputed), _yen(row.fees), _yen(row.tax),
        _yen(row.expected), _yen(row.invoiced), _yen(row.variance),
    )


def _status_counts(report: ReportView) -> str:
    """How many months of each status, in the workbook's words, worst last: 12か月: 一致 6、注意 3 …"""
    lang = report.lang
    counts = Counter((STATUSES.index(row.look), labels.status_word(row.status, row.lacks, lang, row.suspected))
                     for row in report.summary if row.kind == "month")
    parts = labels.joined((f"{word} {counts[key]}" for key in sorted(counts) for word in key[1:]), lang)
    months = labels.contract_months_count(len(report.months), report.contract_count, report.month_count, lang)
    return labels.word(labels.CONSOLE, "months", lang).format(months=months, counts=parts or "-")


def _file_counts(report: ReportView) -> str:
    """How many files were seen, and what became of them: 15 files: read 11, ignored 3, error 1."""
    lang = report.lang
    counts = Counter(f.status for f in report.files)
    parts = labels.joined((f"{labels.word(labels.FILE_STATUS, status, lang)} {counts[status]}"
                           for status in ("read", "ignored", "error") if counts[status]), lang)
    return labels.word(labels.CONSOLE, "files", lang).format(files=labels.files_count(len(report.files), lang),
                                                             counts=parts or "-")
