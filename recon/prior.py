"""The previous report, read as an input: what an accountant typed into it (説明, 確認者, 確認日 on the
summary, 説明 on the checks sheet) and what recon recorded there (the hidden state sheet).

Columns are found by their header words in either language, sheets by the names recon gave them,
so a report re-saved in Excel or LibreOffice, or built in the other language, still reads.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from recon import labels
from recon.errors import ReconError
from recon.model import SIGNOFF_FIELDS, Fingerprint, Prior, PriorMonth, Where
from recon.readers.xlsx import read_values
from recon.state import STATE_COLUMNS, STATE_SHEET

_MONTH = re.compile(r"^\d{4}-\d{2}$")


def read_prior(data: bytes, path: Path) -> Prior:
    """The notes and sign-offs of a recon report; a located error when it cannot be read."""
    wanted = {*labels.SHEETS["summary"], *labels.SHEETS["checks"], STATE_SHEET}  # not the call types
    try:
        sheets = read_values(data, path.name, wanted, _wanted_columns)
    except ReconError as e:
        raise ReconError(Where(str(path)), "prior_report", str(e)) from None
    state = sheets.get(STATE_SHEET, [])
    recorded = {(row[1] or "", row[2]): row for row in state[1:] if len(row) >= 3 and row[0] == "month"}
    typed = {(account, month, field): text for account, month, field, text in _carried(state, "typed")}
    months = _months(_sheet(sheets, "summary"), recorded, typed)
    return _restored(months, _check_notes(_sheet(sheets, "checks"), typed), _carried(state), recorded)


# What is read of each sheet besides its header row: the columns a note or a sign-off is keyed by
# and held in, and those of which a row must hold one to be read (every month of the summary; the
# checks that have a note); the state sheet whole.
_READ = {**dict.fromkeys(labels.SHEETS["summary"], (("account", "month", "explanation", "reviewer", "signed_on"), ())),
         **dict.fromkeys(labels.SHEETS["checks"], (("account", "month", "check", "explanation"), ("explanation",)))}


def _wanted_columns(title: str, header: tuple) -> tuple[set[int], set[int]] | None:
    """The indexes of the columns read from a sheet with this header row, and of those a row must
    hold something in (None: every column of every row)."""
    if title not in _READ:
        return None
    kind = "summary" if title in labels.SHEETS["summary"] else "checks"
    col = _columns([header], kind)
    read, needed = _READ[title]
    return {col[key] for key in read if key in col}, {col[key] for key in needed if key in col}


def _sheet(sheets: dict[str, list[tuple]], kind: str) -> list[tuple]:
    return next((sheets[name] for name in labels.SHEETS[kind] if name in sheets), [])


def _columns(rows: list[tuple], kind: str) -> dict[str, int]:
    """Column key → index, from the header row's words in either language."""
    words = {word: key for key, ja, en in labels.HEADERS[kind] for word in (ja, en)}
    words |= dict.fromkeys(labels.ACCOUNT, "account")
    header = rows[0] if rows else ()
    return {words[str(v)]: i for i, v in enumerate(header) if str(v) in words}


def _text(row: tuple, column: int | None) -> str:
    if column is None or column >= len(row) or row[column] is None:
        return ""
    value = row[column]
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time() else value.isoformat(sep=" ")
    return str(value).strip()


def _place(row: tuple, col: dict[str, int]) -> tuple[str, str] | None:
    """(account, month) of a row, or None for a total or a note row. The contract has a column of
    its own when there are several."""
    month = _text(row, col.get("month"))
    if not _MONTH.match(month):
        return None
    return _text(row, col.get("account")), month


def _unbroken(text: str) -> str:
    """A text without its line breaks (a viewer that saves the file again may turn a carriage
    return into a line feed)."""
    return text.replace("\r", "").replace("\n", "")


def _as_typed(shown: str, typed: str | None) -> str:
    """An explanation as the accountant typed it: the text the state sheet recorded where the cell
    differs from it only by the line breaks the report broke it into, else the cell as it is now."""
    if typed is not None and _unbroken(shown) == _unbroken(typed).strip():
        return typed
    return shown


def _months(summary: list[tuple], recorded: dict[tuple[str, str], tuple],
            typed_notes: dict[tuple[str, str, str], str]) -> dict[tuple[str, str], PriorMonth]:
    col = _columns(summary, "summary")
    months = {}
    for row in summary[1:]:
        key = _place(row, col)
        if key is None:
            break  # the year total: below it are notes and the chart's figures, not months
        if key[0] in labels.COMPANY_TOTAL:
            continue  # the company's months are sums, nobody signs them
        typed = {field: _text(row, col.get(field)) for field in ("explanation", "reviewer", "signed_on")}
        typed["explanation"] = _as_typed(typed["explanation"], typed_notes.get((*key, "explanation")))
        months[key] = _prior_month(typed, recorded.get(key))
    return months


def _prior_month(typed: dict[str, str], state: tuple | None, shown_with: bool = True) -> PriorMonth:
    """A month as the previous report left it; `shown_with`: the typed sign-off stood beside what
    the report showed (not when it was carried there from a month that was gone)."""
    explanation, reviewer, signed_on = typed["explanation"], typed["reviewer"], typed["signed_on"]
    if state is None:
        return PriorMonth(explanation, reviewer, signed_on)
    values = dict(zip(STATE_COLUMNS, (*state, *[None] * len(STATE_COLUMNS)), strict=False))
    shown = Fingerprint(values["shown_detail"] or "", values["shown_invoice"] or "") if shown_with else None
    basis = Fingerprint(values["basis_detail"], values["basis_invoice"]) if values["basis_detail"] else None
    return PriorMonth(explanation, reviewer, signed_on, shown=shown, basis=basis,
                      basis_reviewer=values["basis_reviewer"] or "", basis_signed_on=values["basis_signed_on"] or "")


def _check_notes(checks: list[tuple], typed: dict[tuple[str, str, str], str]) -> dict[tuple[str, str, str], str]:
    col = _columns(checks, "checks")
    notes = {}
    for row in checks[1:]:
        note = _text(row, col.get("explanation"))
        if not note:
            continue  # most rows: looked at no further
        # the check's name as written before its lines were broken (wrap.broken only adds line breaks)
        key, check = _place(row, col), labels.check_key(_text(row, col.get("check")).replace("\n", ""))
        if key and check:
            notes[(*key, check)] = _as_typed(note, typed.get((*key, check)))
    return notes


def _restored(months: dict[tuple[str, str], PriorMonth], checks: dict[tuple[str, str, str], str],
              carried: tuple[tuple[str, str, str, str], ...], recorded: dict[tuple[str, str], tuple]) -> Prior:
    """The notes and sign-offs carried (their month or check was gone for a build) back in their
    place: a month's fields where its row left them empty, a check's note where it has none; a month
    still gone is a month of the Prior again, with the sign-off recorded for it, to be carried on
    or restored (`signoff.apply`). A carried text that differs from what its row holds now stays
    carried: never lost. A sign-off carried back stands on the inputs recorded with it, else none."""
    typed = {key: {field: getattr(month, field) for field in SIGNOFF_FIELDS} for key, month in months.items()}
    restored: set[tuple[str, str]] = set()
    kept = []
    for account, month, field, text in carried:
        key = (account, month)
        if field in SIGNOFF_FIELDS:
            fields = typed.setdefault(key, dict.fromkeys(SIGNOFF_FIELDS, ""))
            now = fields[field]
            if not now:
                fields[field] = text
                restored.add(key)
        else:
            now = checks.setdefault((*key, field), text)
        if now and now != text:
            kept.append((account, month, field, text))
    for key in restored:
        old, fields = months.get(key), typed[key]
        signed_here = old is not None and (old.reviewer, old.signed_on) == (fields["reviewer"], fields["signed_on"])
        months[key] = _prior_month(fields, recorded.get(key), shown_with=signed_here)
    return Prior(months, checks, tuple(kept))


def _carried(state: list[tuple], kind: str = "carried") -> tuple[tuple[str, str, str, str], ...]:
    """The state sheet's rows of a kind laid out as a carried note: (account, month, field, text)."""
    return tuple((row[1] or "", row[2] or "", row[3] or "", row[4] or "")
                 for row in state[1:] if row and row[0] == kind and len(row) >= 5 and row[4])
