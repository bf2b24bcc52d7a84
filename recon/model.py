"""The plain values passed from one stage to the next. Durations are integer tenths of a second,
money is integer yen: nothing here holds a float."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from msgspec import Struct, field

from recon.rounding import rounded
from recon.tax import invoice_variance

if TYPE_CHECKING:
    from recon.months import FiscalYear

# The ids that travel between stages, each defined once; their words are in `labels`.
Status = Literal["ok", "warning", "variance", "missing", "error"]  # a month's, best to worst
STATUSES: tuple[Status, ...] = get_args(Status)
FileStatus = Literal["read", "ignored", "error"]
SourceKind = Literal["detail", "invoices", "settings", "numbers", "calls"]
Basis = Literal["excl", "incl"]  # 税区分 of an invoice row: tax excluded, tax included
CloseState = Literal["closed", "open"]
Unit = Literal["count", "tenths", "yen"]  # what a check's figures count
# a reader's (recon.readers.REGISTRY)
Format = Literal["text", "csv", "xlsx", "html", "mhtml", "ods", "xls", "webarchive"]


class Where(Struct, frozen=True):
    """A place in an input file: a text line, a sheet cell, or a cell of a page's table (`table`,
    its `row` and `column`, counted from 1 as laid out on screen, beside the line of its markup: a
    page saved on one line has every cell on line 1). `str` is the place in English, for
    programs; `labels.place` says it in the report's language."""

    path: str
    line: int | None = None
    sheet: str | None = None
    cell: str | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.cell:
            return f"{self.path}:{self.sheet}!{self.cell}" if self.sheet else f"{self.path}:{self.cell}"
        if self.table is not None:
            return f"{self.path}:{self.line} (table {self.table}, row {self.row}, column {self.column})"
        if self.line is not None:
            return f"{self.path}:{self.line}"
        return self.path


class Duration(Struct, frozen=True):
    """A duration a reader found already typed (an Excel time), in tenths of a second."""

    tenths: int


class Uncalculated(str):
    """A spreadsheet cell holding a formula that was never calculated: no saved result, or the
    placeholder 0 a library writes beside a request to recalculate on open (XlsxWriter). It has no
    value; its text is the formula (`=SUM(C3:C7)`), so that a message can quote it."""

    __slots__ = ()


# What a reader puts in a cell: text, a whole number, an exact decimal (a number with a fraction, as
# stored), a duration or a date a workbook typed, a formula without its value, or nothing.
CellValue = str | int | Decimal | Duration | dt.datetime | Uncalculated | None


class Cell(Struct, frozen=True):
    value: CellValue
    where: Where


class Grid(Struct, frozen=True):
    """What a reader makes of a file (or one sheet, or one HTML table): rows of located cells."""

    rows: tuple[tuple[Cell, ...], ...]
    name: str = ""
    # A page's rows above this table's own text that label the usage month (利用月 in an earlier
    # table or block): where a page's month comes from when the text just above says none.
    above: tuple[tuple[Cell, ...], ...] = ()


class Figures(Struct, frozen=True):
    """Count, duration and charge; an absent stated value is None, never zero."""

    count: int | None = None
    tenths: int | None = None
    charge: int | None = None


class TypeRow(Struct, frozen=True):
    """One call-type row of a detail table."""

    type_id: str  # "general" … or "other:<label as written>"
    label: str
    count: int
    tenths: int
    charge: int
    where: Where


class DiscountRow(Struct, frozen=True):
    """The 着割 row: incoming calls and the discount OCN applied (None when the cell is empty)."""

    count: int | None
    tenths: int | None
    stated: int | None
    where: Where


class DetailTable(Struct, frozen=True):
    """One month's detail table as found in a file."""

    rows: tuple[TypeRow, ...]
    stated_total: Figures
    total_where: Where | None
    discount: DiscountRow | None
    where: Where
    month_in_content: str | None = None
    notes: tuple[Message, ...] = ()  # what the month's messages say about how the table was read

    def figures(self) -> tuple:
        """The numbers the table states, without where they stood."""
        return ([(r.type_id, r.count, r.tenths, r.charge) for r in self.rows],
                (self.stated_total.count, self.stated_total.tenths, self.stated_total.charge),
                self.discount and (self.discount.count, self.discount.tenths, self.discount.stated))

    def same_figures(self, other: DetailTable) -> bool:
        """True when two tables state the same numbers (wherever they came from)."""
        return self.figures() == other.figures()


class Source(Struct, frozen=True):
    """A file found in the year folder, and what discover made of it."""

    path: Path
    rel: str
    account: str
    kind: SourceKind
    format: Format | Literal["toml"]
    month: str | None  # from the file name
    bare_month: int | None = None  # the name gives this month number, but nothing gives a year
    year: FiscalYear | None = None  # the year the folder holds: where a month named alone lands
    size: int = 0


class FileRecord(Struct, frozen=True):
    """A line of the Sources sheet / `files` in JSON: every file seen and what became of it."""

    path: str
    account: str
    month: str | None
    format: Format | Literal["toml"] | None
    encoding: str | None
    status: FileStatus
    message: Message | None
    sha256: str | None


# Messages that say what was not checked, rather than what is wrong: --json lists them, the summary
# does not (a table that never states a total charge would fill every row). A 合計 of formulas never
# calculated (stated_uncalculated) is no such message: the person has to open and save the file.
INFO_KEYS = frozenset({"stated_absent", "no_total_row", "no_discount_row", "discount_absent"})


# A message's parameter: text, a list (each item text, joined in the language's way: 、 or ", "),
# or a place in a file (put in the language's words: 表2の5行目・3列目).
Param = str | tuple[str, ...] | Where


def _param(value: object) -> Param:
    if isinstance(value, (str, Where)):
        return value
    if isinstance(value, (tuple, list)):
        return tuple(str(item) for item in value)
    return str(value)


class Message(Struct, frozen=True):
    """A finding in words: a key of `labels.MESSAGES` and its parameters, rendered per language."""

    key: str
    params: tuple[tuple[str, Param], ...] = ()
    because: Message | None = None  # a message this one quotes as its {reason}, put in the same words

    @property
    def is_info(self) -> bool:
        return self.key in INFO_KEYS

    @classmethod
    def of(cls, key: str, because: Message | None = None, **params: object) -> Message:
        return cls(key, tuple((k, _param(v)) for k, v in sorted(params.items())), because)


class InvoiceRow(Struct, frozen=True):
    account: str
    month: str
    amount: int
    basis: Basis
    fees: int
    note: str
    where: Where


class Check(Struct, frozen=True):
    """One comparison of a stated figure with the recomputed one. `unit` is count, tenths or yen."""

    check: str
    ok: bool
    stated: int
    recomputed: int
    difference: int
    unit: Unit
    where: Where | None
    type_id: str | None = None  # the call type a per-type check (calls_*) compares

    @property
    def key(self) -> str:
        """The check within its month, as explanations are keyed: its id, with its call type for a
        per-type one (`calls_charge:international`)."""
        return f"{self.check}:{self.type_id}" if self.type_id else self.check


class DiscountResult(Struct, frozen=True):
    count: int | None
    tenths: int | None
    stated: int | None
    recomputed: int


class Fingerprint(Struct, frozen=True):
    """SHA-256 of what a month was computed from: its detail table and its invoice row, each
    normalised (figures, not file bytes: re-saving a file the same does not change it)."""

    detail: str
    invoice: str

    @property
    def whole(self) -> str:
        import hashlib

        return hashlib.sha256(f"{self.detail}:{self.invoice}".encode()).hexdigest()


SIGNOFF_FIELDS = ("explanation", "reviewer", "signed_on")  # what the accountant types on the summary


class SignOff(Struct, frozen=True):
    """What the accountant wrote about a month in the previous report, and what it stands on."""

    explanation: str = ""
    reviewer: str = ""
    signed_on: str = ""
    basis: Fingerprint | None = None  # the inputs the sign-off was given on

    @property
    def signed(self) -> bool:
        return bool(self.reviewer and self.signed_on)


class PriorMonth(Struct, frozen=True):
    """One month as the previous report left it: what the accountant typed, what the report showed
    (`shown`) and the sign-off recon had recorded (`basis` and the reviewer and date it was given with)."""

    explanation: str = ""
    reviewer: str = ""
    signed_on: str = ""
    shown: Fingerprint | None = None
    basis: Fingerprint | None = None
    basis_reviewer: str = ""
    basis_signed_on: str = ""


class Prior(Struct, frozen=True):
    """What the previous report at the output path holds that a rebuild must not lose."""

    months: dict[tuple[str, str], PriorMonth] = field(default_factory=dict)  # (account, month)
    checks: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (account, month, check)
    carried: tuple[tuple[str, str, str, str], ...] = ()  # (account, month, field or check id, text)
    taken_from: str | None = None  # the folder's own report, when the notes come from it (SPEC §5.1)


class Close(Struct, frozen=True):
    """A month in the close: closed when ok, or explained, signed off and its inputs unchanged."""

    state: CloseState
    signoff: SignOff
    stale: tuple[str, ...] = ()  # what changed under a sign-off: "detail", "invoice"
    check_notes: tuple[tuple[str, str], ...] = ()  # (Check.key, explanation)

    def note_for(self, check: str) -> str:
        return dict(self.check_notes).get(check, "")


# --- call records ---


def sen_to_yen(sen: int) -> int:
    """Hundredths of a yen → whole yen, rounded half up (away from zero), like every shown figure."""
    return rounded(Fraction(sen, 100))


class Call(Struct, frozen=True):
    """One call of per-call records, kept because a rule looks at it (international, premium)."""

    start: dt.datetime  # Japan time (a start written with a zone, or in [calls] timezone, turned into it)
    calling: str  # the company's number, digits only ("" when the records have no such column)
    called: str  # the number called, digits only (+81 written as 0, + as 010)
    type_id: str
    tenths: int
    sen: int  # the charge in hundredths of a yen, exact
    where: Where


class CallMonth(Struct, frozen=True):
    """One (account, month) of per-call records, summed: all the tie-out, the watch and the cost
    by number need, never the calls themselves (but the watched ones)."""

    sources: tuple[str, ...]
    by_type: tuple[tuple[str, int, int, int], ...]  # (type_id, calls, tenths, sen), by type id
    by_number: tuple[tuple[str, int, int, int], ...]  # (calling number, calls, tenths, sen), by number
    watched: tuple[Call, ...]  # international and premium-rate calls, in start order
    firsts: tuple[tuple[str, dt.datetime], ...] = ()  # (calling number, its first call's start)

    @property
    def count(self) -> int:
        return sum(t[1] for t in self.by_type)

    @property
    def tenths(self) -> int:
        return sum(t[2] for t in self.by_type)

    @property
    def sen(self) -> int:
        return sum(t[3] for t in self.by_type)

    def merged(self, other: CallMonth) -> CallMonth:
        """Two files' records of the same month, added up."""
        return CallMonth(self.sources + other.sources, _add(self.by_type, other.by_type),
                         _add(self.by_number, other.by_number),
                         tuple(sorted(self.watched + other.watched, key=lambda c: (c.start, c.where.path,
                                                                                   c.where.line or 0))),
                         tuple(sorted({n: min(t for m, t in (*self.firsts, *other.firsts) if m == n)
                                       for n, _ in (*self.firsts, *other.firsts)}.items())))


def _add(a: tuple, b: tuple) -> tuple:
    sums: dict[str, list[int]] = {}
    for key, *figures in (*a, *b):
        total = sums.setdefault(key, [0, 0, 0])
        for i, value in enumerate(figures):
            total[i] += value
    return tuple((key, *sums[key]) for key in sorted(sums))


FINDING_RULES = ("off_hours", "burst", "same_duration", "new_destination", "number_share")
# The rules that suspect toll fraud: a month with one of these blocks the close until it is explained
# and signed off (SPEC §4: money may be leaking); the others stay warnings.
FRAUD_RULES = ("off_hours", "burst", "same_duration")


class Finding(Struct, frozen=True):
    """A toll-fraud finding (SPEC §7): the rule, how many calls for how much, from when, the
    company numbers they came from, the calls it rests on (those the month keeps: international
    and premium ones), and what the message says beside (country, duration, share)."""

    rule: str  # one of FINDING_RULES
    count: int
    sen: int
    first: dt.datetime
    numbers: tuple[str, ...]
    calls: tuple[Call, ...]
    detail: tuple[tuple[str, str], ...] = ()

    @property
    def charge(self) -> int:
        """Whole yen, half up."""
        return sen_to_yen(self.sen)

    @property
    def first_iso(self) -> str:
        """The first call's start, ISO 8601 (local time, as the records write it)."""
        return self.first.isoformat()

    @classmethod
    def of_calls(cls, rule: str, calls: tuple[Call, ...], **detail: object) -> Finding:
        """A finding that rests on exactly these calls."""
        return cls(rule, len(calls), sum(c.sen for c in calls), min(c.start for c in calls),
                   tuple(sorted({c.calling for c in calls})), calls,
                   tuple((k, str(v)) for k, v in sorted(detail.items())))


class NumberCost(Struct, frozen=True):
    """One calling number's calls in a month, with its 部門 and name from numbers.csv ("" if unlisted)."""

    number: str
    department: str
    name: str
    count: int
    tenths: int
    sen: int


def suspected(fraud: tuple[str, ...], status: str) -> bool:
    """A month is shown as a suspected toll fraud (不正の疑い) when a finding that blocks the close
    (`fraud`: its FRAUD_RULES) stands on figures that stand (ok, warning, variance)."""
    return bool(fraud) and status in ("ok", "warning", "variance")


class MonthResult(Struct, frozen=True, kw_only=True):
    account: str
    month: str
    status: Status
    sources: tuple[str, ...]
    rows: tuple[TypeRow, ...]
    total: Figures | None
    stated_total: Figures | None
    discount: DiscountResult | None
    expected_invoice: int | None  # yen, on the invoice row's basis: total charge + 着割 + fees + tax
    invoice: InvoiceRow | None
    checks: tuple[Check, ...]
    messages: tuple[Message, ...]
    fingerprint: Fingerprint = Fingerprint("", "")
    # The parts of the expected invoice besides the charges and 着割 (SPEC §2), None with it: the
    # invoice row's fixed fees (基本料等, yen, tax excluded; 0 without a row), the basis of the
    # expected invoice (the row's; `excl` without one) and the consumption tax that basis adds (yen;
    # 0 on an `excl` row).
    fees: int | None = None
    basis: Basis | None = None
    tax: int | None = None
    close: Close | None = None
    calls: CallMonth | None = None  # the month's per-call records, aggregated (SPEC §7)
    findings: tuple[Finding, ...] = ()  # the toll-fraud watch's findings
    costs: tuple[NumberCost, ...] = ()  # charge per calling number (with its 部門), adds up to calls

    @property
    def invoiced(self) -> int | None:
        return self.invoice.amount if self.invoice else None

    @property
    def fraud(self) -> tuple[str, ...]:
        """The rules of its findings that suspect toll fraud (FRAUD_RULES), each once, in that order."""
        found = {finding.rule for finding in self.findings}
        return tuple(rule for rule in FRAUD_RULES if rule in found)

    @property
    def suspected(self) -> bool:
        """Shown as a suspected toll fraud (不正の疑い): a finding that blocks the close (FRAUD_RULES)
        on a month whose figures stand (ok, warning, variance), which it explains. Its status id
        stays what it is (SPEC §4); a month in error or missing says that first."""
        return suspected(self.fraud, self.status)

    @property
    def invoice_variance(self) -> int | None:
        return invoice_variance(self.invoiced, self.expected_invoice)


class Report(Struct, frozen=True):
    """Everything a build found: the months and every file seen."""

    folder: str
    months: tuple[MonthResult, ...]
    files: tuple[FileRecord, ...]
    lang: str = "ja"
    notes: tuple[Message, ...] = ()  # findings about the folder as a whole (contracts)
    carried: tuple[tuple[str, str, str, str], ...] = ()  # notes whose month or check is gone:
    # (account, month, "explanation"/"reviewer"/"signed_on" or a check id, the text)
    carried_signoffs: tuple[tuple[str, str, SignOff], ...] = ()  # (account, month, its sign-off) of a
    # month that is gone: the inputs its sign-off was given on, kept so that it stands again on its return
    history: tuple[MonthResult, ...] = ()  # the previous year's months (every contract, in order),
    # read from its folder beside this one (SPEC §1.2): the history anomalies were judged with, the
    # same month a year earlier (前年同月: `months.shift(month, -12)`) and the month before the
    # first. Never re-reported: not in `months`, its files not in `files`.
