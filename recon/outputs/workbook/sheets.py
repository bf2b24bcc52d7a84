"""The rows of each sheet: a view row → the cells a person reads, and the named-style flags that
colour them. Nothing is computed here: every figure comes from the view."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from copy import copy
from datetime import date

from msgspec import Struct, field
from openpyxl.utils import absolute_coordinate, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from recon import labels
from recon.journal import JournalEntry, LeftOut
from recon.labels import render, type_label, word
from recon.model import Check, Duration, FileRecord, Message
from recon.outputs.workbook.internals import book_of, set_style, style_of
from recon.outputs.workbook.rows import cell_value, quoted
from recon.outputs.workbook.template import (
    CLOSE_STYLE,
    FAIL_STYLE,
    FILE_STATUS_STYLE,
    RESULT_STYLE,
    STATUS_STYLE,
)
from recon.phone import shown_number
from recon.view import CheckRow, CostRow, DiscountRow, FlaggedCall, ReportView, SummaryRow, TypeRow

# the sheets with a 契約 column
CONTRACT_KINDS = ("summary", "type", "other", "discount", "checks", "journal", "flagged", "costs")



NAME_PREFIX = "recon_"  # workbook-scoped names of the key ranges: recon_summary, recon_year_total …



class Row(Struct, frozen=True):
    """One row to write: values and named-style flags by column key, and its prototype row."""

    values: dict
    flags: dict = field(default_factory=dict)
    proto: str = "data"  # the role of the template's prototype row the row takes its look from



def define_name(ws: Worksheet, key: str, cells: str) -> None:
    """A workbook-scoped name for a key range (`recon_summary`), so formulas and macros find it
    in either language."""
    name = NAME_PREFIX + key
    reference = f"{quote_sheetname(ws.title)}!{absolute_coordinate(cells)}"
    book_of(ws).defined_names[name] = DefinedName(name, attr_text=reference)



def layout(kind: str, contracts: bool, year_ago: bool = False) -> list[str]:
    """The column keys of a sheet: the template's, after a 契約 column when there are contracts;
    the same month a year earlier (前年同月) only when the previous year was read as history."""
    keys = [key for key, _, _ in labels.HEADERS[kind] if year_ago or not key.startswith("year_ago")]
    return ["account", *keys] if contracts and kind in CONTRACT_KINDS else keys



def put(cell, value) -> None:
    """A value into one of openpyxl's cells, as the data rows write theirs: text stays text, never
    a formula, not even after the cell is edited in Excel."""
    value = cell_value(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if quoted(value):
            set_style(cell, copy(style_of(cell)))  # it may be shared with other cells
            cell.quotePrefix = True



def carried_lines(view: ReportView, lang: str) -> list[str]:
    """Notes whose month or check this report no longer has, shown under the year total."""
    fields = {key: word_of((ja, en), lang) for key, ja, en in labels.HEADERS["summary"]}
    title = word_of(labels.CARRIED, lang)
    return [f"{title} {' '.join(filter(None, (account, month)))} "
            f"{fields.get(field) or labels.check_words(field, lang)}: {text}"
            for account, month, field, text in view.carried]



def summary_row(row: SummaryRow, lang: str) -> Row:
    """A month, a company month or the year total, as the summary's cells. Only a month has a
    close and a status of its own: an aggregate row never wears the closed colour, its status cell
    counts the rows that need a look, and it takes the total row's look."""
    values = {
        "account": row.account, "month": row.month, "count": row.count, "time": duration(row.tenths),
        "charge": row.charge, "discount_stated": row.discount_stated, "discount_recomputed": row.discount_recomputed,
        "fees": row.fees, "tax": row.tax, "expected": row.expected, "invoiced": row.invoiced,
        "variance": row.variance, "messages": "\n".join(render(message, lang) for message in row.messages) or None,
    }
    flags = {"variance": FAIL_STYLE} if row.variance_failed else {}
    if row.kind == "company":
        values["account"] = word_of(labels.COMPANY_TOTAL, lang)
    if row.kind != "month":
        if row.kind != "invoiced":
            values["status"] = labels.total_status_word(row.to_review, lang)
        return Row(values, flags, "total")
    values["status"] = labels.status_word(row.status, row.lacks, lang, row.suspected)
    flags["status"] = STATUS_STYLE[row.look]
    if row.close is not None:
        values |= {"close": word(labels.CLOSE, row.close, lang), "explanation": row.explanation,
                   "reviewer": row.reviewer, "signed_on": _date_or_text(row.signed_on or "")}
        flags["close"] = CLOSE_STYLE[row.close]
    return Row(values, flags)



def _date_or_text(text: str):
    """A date typed as a date goes back as a date (formatted by the template), anything else as text."""
    try:
        return date.fromisoformat(text) if len(text) == 10 else (text or None)
    except ValueError:
        return text



def year_total(view: ReportView, lang: str) -> tuple[Row, ...]:
    """The year total (年度合計 for a fiscal year), then the invoiced amount of every invoice row;
    each labelled in the first column: the contract's when there is one."""
    if view.year_total is None:
        return ()
    label = "account" if view.contracts else "month"
    total = summary_row(view.year_total, lang)
    total.values[label] = total_word(view, lang)
    rows = [total]
    if view.invoiced_all is not None:
        every = summary_row(view.invoiced_all, lang)
        every.values[label] = word_of(labels.INVOICED_ALL_ROW, lang)
        rows.append(every)
    return tuple(rows)


def total_word(view: ReportView, lang: str) -> str:
    """The total row's label: 年間合計, or 年度合計 for a fiscal year's folder."""
    return word_of(labels.FISCAL_TOTAL_ROW if view.fiscal else labels.TOTAL_ROW, lang)



def type_row(row: TypeRow, lang: str) -> Row:
    """A month of one call type: blank figures where the month has no row of the type, and why."""
    values: dict[str, object] = {"account": row.account, "month": row.month,
                                 "note": labels.blank_words(row.blank, lang)}
    if row.type_id.startswith("other:"):
        values["label"] = type_label(row.type_id, lang)
    if row.count is not None:
        values |= {"count": row.count, "time": duration(row.tenths), "charge": row.charge,
                   "avg_time": duration(row.avg_tenths), "per_call": row.per_call,
                   "count_change": row.count_change, "charge_change": row.charge_change}
    if row.year_ago is not None:
        values |= {"year_ago_count": row.year_ago.count, "year_ago_charge": row.year_ago.charge,
                   "year_ago_count_change": row.year_ago_count_change,
                   "year_ago_charge_change": row.year_ago_charge_change}
    return Row(values)



def discount_row(row: DiscountRow, lang: str) -> Row:
    values = {"account": row.account, "month": row.month, "count": row.count, "time": duration(row.tenths),
              "stated": row.stated, "recomputed": row.recomputed, "difference": row.difference,
              "note": labels.blank_words(row.blank, lang)}
    return Row(values, {"difference": FAIL_STYLE} if row.failed else {})


def _discount_total(view: ReportView, key: str, lang: str) -> tuple[Row, ...]:
    """The 着割 sheet's total, labelled in the first column; its note names the months it leaves out."""
    total = view.discount_total
    if total is None:
        return ()
    row = discount_row(total, lang)
    row.values["account" if view.contracts else "month"] = total_word(view, lang)
    if total.left_out:
        left_out = labels.joined((f"{place} ({word(labels.BLANK_WHY, why, lang)})"
                                  for place, why in zip(total.left_out, total.left_out_why, strict=True)), lang)
        row.values["note"] = render(Message.of("discount_total_left_out", months=left_out), lang)
    return (Row(row.values, row.flags, "total"),)



def check_name(check: Check, lang: str) -> str:
    """A check in words; a per-type one (calls_*) with its call type: 通話明細の通話料金 (国際通話)."""
    return labels.check_words(check.key, lang)


def check_rows(view: ReportView, lang: str) -> Iterator[Row]:
    return (check_row(row, lang) for row in view.checks)



def check_row(row: CheckRow, lang: str) -> Row:
    check = row.check
    figure = Duration if check.unit == "tenths" else int
    values = {
        "account": row.account, "month": row.month, "check": check_name(check, lang),
        "stated": figure(check.stated), "recomputed": figure(check.recomputed),
        "difference": figure(check.difference), "result": word(labels.RESULT, check.ok, lang),
        "where": labels.place(check.where, lang) if check.where else None, "explanation": row.explanation,
    }
    flags = {"result": RESULT_STYLE[check.ok]} | ({} if check.ok else {"difference": FAIL_STYLE})
    return Row(values, flags, check.unit)



def source_rows(view: ReportView, lang: str) -> Iterator[Row]:
    return (source_row(record, lang) for record in view.files)



def source_row(record: FileRecord, lang: str) -> Row:
    values = {
        "path": record.path, "month": record.month,
        "format": word(labels.FORMATS, record.format, lang) if record.format else None,
        "encoding": record.encoding, "status": word(labels.FILE_STATUS, record.status, lang),
        "reason": render(record.message, lang) if record.message else None, "sha256": record.sha256,
    }
    return Row(values, {"status": FILE_STATUS_STYLE[record.status]})



def duration(tenths: int | None) -> Duration | None:
    return None if tenths is None else Duration(tenths)



def word_of(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "ja" else pair[1]



def header_lines(words: str, lang: str) -> str:
    """A header as its cell shows it: Japanese words one a line (前年同月 / 通話料金), so the
    wrapping that Japanese allows between any two characters never breaks a word; English wraps
    at its spaces anyway."""
    return words.replace(" ", "\n") if lang == "ja" else words


def header_word(kind: str, key: str, lang: str) -> str:
    if key == "account":
        return word_of(labels.ACCOUNT, lang)
    return next(word_of((ja, en), lang) for k, ja, en in labels.HEADERS[kind] if k == key)



class SheetSpec(Struct, frozen=True):
    """A sheet of rows after the summary: its prototype in the template (whose header words are
    `labels.HEADERS[kind]`) and how its rows come from the view."""

    kind: str
    rows: Callable[[ReportView, str, str], Iterable[Row]]  # (view, sheet key, lang) → the sheet's rows
    contracts: bool = True  # with several contracts, a 契約 column comes first
    after: Callable[[ReportView, str, str], tuple[Row, ...]] = lambda view, key, lang: ()  # under the filter


def journal_rows(view: ReportView, lang: str) -> Iterator[Row]:
    """Each month as the year runs (its contracts in their order): an entry's lines as they will be
    booked (debits, then the credit), or the reason the journal leaves the month out; what
    `recon journal` writes, seen before it is imported."""
    journal = view.journal
    if journal is None:
        return
    order = {account: index for index, account in enumerate(dict.fromkeys(month.account for month in view.months))}

    def place(item: JournalEntry | LeftOut) -> tuple[str, int]:
        return item.month, order.get(item.account, len(order))

    items: list[JournalEntry | LeftOut] = [*journal.entries, *journal.left_out]
    for item in sorted(items, key=place):
        if not isinstance(item, JournalEntry):
            yield Row({"account": item.account, "month": item.month, "note": render(item.reason, lang)})
            continue
        for line in item.lines:
            yield Row({"account": item.account, "month": item.month, "date": item.date,
                       "side": word(labels.JOURNAL_SIDE, line.side, lang), "ledger": line.account,
                       "amount": line.amount, "tax": line.tax if line.category == "taxable" else None,
                       "category": word(labels.JOURNAL_CATEGORY, line.category, lang) or None,
                       "department": line.department or None, "vendor": line.vendor or None,
                       "summary": line.summary})


def flagged_row(row: FlaggedCall, lang: str) -> Row:
    """A call the toll-fraud findings rest on, with every rule that flagged it; or a number's calls,
    added up, whose share of the month is a finding."""
    return Row({"account": row.account, "month": row.month,
                "rule": "\n".join(word(labels.FINDING_WORDS, rule, lang) for rule in row.rules),  # a rule a line
                "start": row.start, "calling": shown_number(row.calling) or None,
                "called": shown_number(row.called) or None,
                "type": type_label(row.type_id, lang) if row.type_id else word_of(labels.EVERY_TYPE, lang),
                "count": row.count, "time": Duration(row.tenths), "charge": row.charge, "where": row.where})


def _finding_totals(view: ReportView, key: str, lang: str) -> tuple[Row, ...]:
    """Under the calls, outside the filter: each month's findings of a rule added up, which the
    rows listed with that rule add up to."""
    return tuple(Row({"account": total.account, "month": total.month,
                      "rule": word_of(labels.FINDING_TOTAL, lang).format(
                          rule=word(labels.FINDING_WORDS, total.rule, lang)),
                      "count": total.count, "charge": total.charge}, {}, "total")
                 for total in view.finding_totals)


def cost_row(row: CostRow, lang: str) -> Row:
    """A number's charge, or a subtotal (部門計, 月計) in the total row's look."""
    department = row.department or word_of(labels.NO_DEPARTMENT, lang)
    values = {"account": row.account, "month": row.month, "department": department,
              "number": word(labels.COST_TOTALS, row.kind, lang) if row.kind != "number" else shown_number(row.number),
              "name": row.name or None, "count": row.count, "time": Duration(row.tenths), "charge": row.charge}
    if row.kind == "month":
        values["department"] = None
    return Row(values, {}, "data" if row.kind == "number" else "total")


def _type_sheet(view: ReportView, key: str, lang: str) -> Iterator[Row]:
    return (type_row(row, lang) for row in view.types[key])


def _type_total(view: ReportView, key: str, lang: str) -> tuple[Row, ...]:
    """The year's total under a call type's months, labelled in the first column."""
    total = type_row(view.type_totals[key], lang)
    total.values["account" if view.contracts else "month"] = total_word(view, lang)
    return (Row(total.values, total.flags, "total"),)


SHEETS: dict[str, SheetSpec] = {
    **{type_id: SheetSpec("type", _type_sheet, after=_type_total) for type_id in labels.CALL_TYPES},
    "other": SheetSpec("other", _type_sheet, after=_type_total),
    "discount": SheetSpec("discount", lambda view, key, lang: (discount_row(row, lang) for row in view.discount),
                          after=_discount_total),
    "checks": SheetSpec("checks", lambda view, key, lang: check_rows(view, lang)),
    "journal": SheetSpec("journal", lambda view, key, lang: journal_rows(view, lang)),
    "flagged": SheetSpec("flagged", lambda view, key, lang: (flagged_row(row, lang) for row in view.flagged),
                         after=_finding_totals),
    "costs": SheetSpec("costs", lambda view, key, lang: (cost_row(row, lang) for row in view.costs)),
    "sources": SheetSpec("sources", lambda view, key, lang: source_rows(view, lang), contracts=False),
}
