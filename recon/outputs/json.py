"""The `recon/1` JSON document. The pydantic models below are the schema: other programs read this,
so fields may be added but none may change meaning."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, TextIO, overload

from pydantic import BaseModel, ConfigDict
from pydantic_core import PydanticSerializationError

from recon import labels
from recon.model import Check, Figures, FileRecord, MonthResult
from recon.view import ReportView, SummaryRow

SCHEMA = "recon/1"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TypeFigures(_Strict):
    label: str
    count: int
    duration_s: float
    charge: int


class Totals(_Strict):
    count: int | None
    duration_s: float | None
    charge: int | None


class Discount(_Strict):
    count: int | None
    duration_s: float | None
    stated: int | None
    recomputed: int


class CheckOut(_Strict):
    check: str
    ok: bool
    stated: int | float
    recomputed: int | float
    difference: int | float
    where: str | None
    explanation: str | None
    type: str | None = None  # the call type a per-type check (calls_*) compares


class CloseOut(_Strict):
    """The month in the close: `closed` when ok, or explained, signed off and unchanged since."""

    state: str
    stale: bool
    changed: list[str]
    explanation: str | None
    reviewer: str | None
    signed_on: str | None
    fingerprint: str


class FindingOut(_Strict):
    """A toll-fraud finding (SPEC §7): calls and yen it rests on, the first call, the numbers."""

    rule: str
    calls: int
    charge: int
    first: str
    numbers: list[str]


class MonthOut(_Strict):
    account: str
    month: str
    status: str
    sources: list[str]
    types: dict[str, TypeFigures]
    total: Totals | None
    stated_total: Totals | None
    discount: Discount | None
    # The parts of expected_invoice besides total.charge and discount.recomputed (SPEC §2, §4.1), which
    # add up to it: the invoice row's fees (yen, tax excluded), the basis of expected_invoice (the
    # row's; "excl" without one) and the consumption tax that basis adds (0 for "excl"); null, as
    # expected_invoice is, for a month without a table or in error.
    fees: int | None
    basis: str | None
    tax: int | None
    expected_invoice: int | None
    invoiced: int | None
    invoice_variance: int | None
    checks: list[CheckOut]
    messages: list[str]
    close: CloseOut | None
    findings: list[FindingOut] = []


class TotalOut(_Strict):
    """A total row of the summary: every figure adds up the months in `summed` (those with both an
    expected and an invoiced amount), so charge + discount_recomputed + fees + tax = expected_invoice
    and invoiced - expected_invoice = invoice_variance; `left_out` lists the others and
    `left_out_why` why each (no_detail, error, no_invoice). A total has no status of its own: its
    `status` says what the console and the workbook show in its status cell, `review` while
    `to_review` rows are neither ok nor closed (3件要確認), else `ok` (すべて一致); `worst_status` is
    the worst status among its rows; `invoiced_all` adds up the invoiced amount of every row,
    those left out included (`invoice_rows` of them)."""

    account: str
    month: str | None
    status: Literal["ok", "review"]
    count: int | None
    duration_s: float | None
    charge: int | None
    discount_stated: int | None
    discount_recomputed: int | None
    expected_invoice: int | None
    invoiced: int | None
    invoice_variance: int | None
    summed: list[str]
    left_out: list[str]
    fees: int | None
    tax: int | None
    left_out_why: list[str]
    to_review: int
    worst_status: str
    invoiced_all: int | None
    invoice_rows: int


class Totals_(_Strict):
    year: TotalOut | None
    company: list[TotalOut]


class FileOut(_Strict):
    path: str
    account: str
    month: str | None
    format: str | None
    encoding: str | None
    status: str
    message: str | None
    sha256: str | None


class Document(_Strict):
    schema_: str
    folder: str
    workbook: str | None
    months: list[MonthOut]
    files: list[FileOut]
    notes: list[str]
    totals: Totals_

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              alias_generator=lambda name: "schema" if name == "schema_" else name)


@overload
def seconds(tenths: int) -> float: ...
@overload
def seconds(tenths: None) -> None: ...
def seconds(tenths: int | None) -> float | None:
    """Tenths → seconds for JSON. n/10 as a float prints as exactly the decimal n/10 (shortest
    round-trip repr), so `395663.5` reaches the reader digit for digit."""
    return None if tenths is None else tenths / 10


def document(view: ReportView) -> Document:
    """The whole report as a `recon/1` document."""
    return _skeleton(view, months=[_month(m) for m in view.months], files=[_file(f) for f in view.files])


def _skeleton(view: ReportView, months: list[MonthOut], files: list[FileOut]) -> Document:
    company = [_total(row) for row in view.summary if row.kind == "company"]
    return Document(schema_=SCHEMA, folder=view.folder, workbook=view.workbook, months=months, files=files,
                    notes=[labels.render(n, "en") for n in view.notes],
                    totals=Totals_(year=_total(view.year_total) if view.year_total else None, company=company))


def pieces(view: ReportView, encoding: str = "utf-8") -> Iterator[str]:
    """The document as JSON text, in pieces: each month and each file is made, encoded and let go
    of in turn, so the memory the text takes is one month's, not the report's (a year of 400
    contracts is 13 MB of it). Joined, the pieces are the text of `document(view)`, laid out with an
    indent of one as pydantic lays it out. Where `encoding` (a cp932 console) cannot write a
    character of a piece, that piece is written with \\u escapes instead: the same JSON to any
    reader. A file name whose bytes no encoding decodes (Python holds them as lone surrogates,
    which JSON cannot carry) is written as the console shows it, each such byte as `\\udcff`."""
    frame = _text(_skeleton(view, [], []), encoding)
    head, rest = frame.split(_EMPTY.format(name="months"), 1)
    middle, tail = rest.split(_EMPTY.format(name="files"), 1)
    yield head
    yield from _items("months", (_month(m) for m in view.months), encoding)
    yield middle
    yield from _items("files", (_file(f) for f in view.files), encoding)
    yield tail


_EMPTY = '\n "{name}": [],'  # how a list of no items stands in the skeleton, at the document's first level


def _items(name: str, items: Iterator[BaseModel], encoding: str) -> Iterator[str]:
    """`"name": [...]` with each item's text indented two spaces, as in the whole document."""
    yield f'\n "{name}": ['
    separator = "\n"
    for item in items:
        yield separator + "\n".join("  " + line for line in _text(item, encoding).split("\n"))
        separator = ",\n"
    yield ("\n ]," if separator != "\n" else "],")


def _text(model: BaseModel, encoding: str) -> str:
    """One model's JSON text, indent one; \\u escapes where `encoding` cannot write a character."""
    import json

    try:
        text = model.model_dump_json(by_alias=True, indent=1)
    except PydanticSerializationError:
        text = json.dumps(_shown(model.model_dump(mode="json", by_alias=True)), ensure_ascii=False, indent=1)
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        text = json.dumps(json.loads(text), ensure_ascii=True, indent=1)
    return text


def to_json(view: ReportView, encoding: str = "utf-8") -> str:
    """The document as one JSON text (see `pieces`)."""
    return "".join(pieces(view, encoding))


def _shown(value):
    """A dumped document with every lone surrogate in its texts escaped as the console escapes it
    (`values.encodable`: `\\udcff`), keys included."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {_shown(k): _shown(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shown(v) for v in value]
    return value


def write(view: ReportView, stream: TextIO, settings: object = None) -> None:
    """The document on `stream`, one JSON text and a line end, in the stream's encoding, a piece
    at a time."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    for piece in pieces(view, encoding):
        stream.write(piece)
    stream.write("\n")


def _total(row: SummaryRow) -> TotalOut:
    return TotalOut(account=row.account, month=row.month, status=row.total_status,
                    worst_status=row.status, count=row.count,
                    duration_s=seconds(row.tenths), charge=row.charge, discount_stated=row.discount_stated,
                    discount_recomputed=row.discount_recomputed, expected_invoice=row.expected,
                    invoiced=row.invoiced, invoice_variance=row.variance, summed=list(row.summed),
                    left_out=list(row.left_out), fees=row.fees, tax=row.tax, left_out_why=list(row.left_out_why),
                    to_review=row.to_review, invoiced_all=row.invoiced_all, invoice_rows=row.invoice_rows)


def _totals(figures: Figures | None) -> Totals | None:
    if figures is None:
        return None
    return Totals(count=figures.count, duration_s=seconds(figures.tenths), charge=figures.charge)


def _check(check: Check, month: MonthResult) -> CheckOut:
    def scale(value: int) -> int | float:
        return seconds(value) if check.unit == "tenths" else value

    note = month.close.note_for(check.key) if month.close else ""
    return CheckOut(check=check.check, ok=check.ok, stated=scale(check.stated),
                    recomputed=scale(check.recomputed), difference=scale(check.difference),
                    where=str(check.where) if check.where else None, explanation=note or None,
                    type=check.type_id)


def _close(month: MonthResult) -> CloseOut | None:
    close = month.close
    if close is None:
        return None
    s = close.signoff
    return CloseOut(state=close.state, stale=bool(close.stale), changed=list(close.stale),
                    explanation=s.explanation or None, reviewer=s.reviewer or None,
                    signed_on=s.signed_on or None, fingerprint=month.fingerprint.whole)


def _month(m: MonthResult) -> MonthOut:
    d = m.discount
    return MonthOut(
        account=m.account, month=m.month, status=m.status, sources=list(m.sources),
        types={r.type_id: TypeFigures(label=r.label, count=r.count, duration_s=seconds(r.tenths),
                                      charge=r.charge) for r in m.rows},
        total=_totals(m.total), stated_total=_totals(m.stated_total),
        discount=None if d is None else Discount(count=d.count, duration_s=seconds(d.tenths),
                                                 stated=d.stated, recomputed=d.recomputed),
        expected_invoice=m.expected_invoice, invoiced=m.invoiced, invoice_variance=m.invoice_variance,
        checks=[_check(c, m) for c in m.checks],
        messages=[labels.render(x, "en") for x in m.messages],
        close=_close(m),
        findings=[FindingOut(rule=f.rule, calls=f.count, charge=f.charge, first=f.first_iso, numbers=list(f.numbers))
                  for f in m.findings],
        fees=m.fees, basis=m.basis, tax=m.tax,
    )


def _file(f: FileRecord) -> FileOut:
    return FileOut(path=f.path, account=f.account, month=f.month, format=f.format, encoding=f.encoding,
                   status=f.status, message=labels.render(f.message, "en") if f.message else None,
                   sha256=f.sha256)
