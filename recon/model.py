"""The plain values passed from one stage to the next. Durations are integer tenths of a second,
money is integer yen: nothing here holds a float."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    from recon.months import FiscalYear

# The ids that travel between stages, each defined once; their words are in `labels`.
Status = Literal["ok", "warning", "variance", "missing", "error"]  # a month's, best to worst
STATUSES: tuple[Status, ...] = get_args(Status)
FileStatus = Literal["read", "ignored", "error"]
SourceKind = Literal["detail", "invoices", "settings"]
Basis = Literal["excl", "incl"]  # 税区分 of an invoice row: tax excluded, tax included
CloseState = Literal["closed", "open"]
Unit = Literal["count", "tenths", "yen"]  # what a check's figures count
Format = Literal["text", "csv", "xlsx", "html", "mhtml", "ods", "xls"]  # a reader's (recon.readers.REGISTRY)


@dataclass(frozen=True, slots=True)
class Where:
    """A place in an input file: a text line, or a sheet cell."""

    path: str
    line: int | None = None
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        if self.cell:
            return f"{self.path}:{self.sheet}!{self.cell}" if self.sheet else f"{self.path}:{self.cell}"
        if self.line is not None:
            return f"{self.path}:{self.line}"
        return self.path


@dataclass(frozen=True, slots=True)
class Duration:
    """A duration a reader found already typed (an Excel time), in tenths of a second."""

    tenths: int


# What a reader puts in a cell: text, a whole number, an exact decimal (a number with a fraction, as
# stored), a duration or a date a workbook typed, or nothing.
CellValue = str | int | Decimal | Duration | dt.datetime | None


@dataclass(frozen=True, slots=True)
class Cell:
    value: CellValue
    where: Where


@dataclass(frozen=True, slots=True)
class Grid:
    """What a reader makes of a file (or one sheet, or one HTML table): rows of located cells."""

    rows: tuple[tuple[Cell, ...], ...]
    name: str = ""


@dataclass(frozen=True, slots=True)
class Figures:
    """Count, duration and charge; an absent stated value is None, never zero."""

    count: int | None = None
    tenths: int | None = None
    charge: int | None = None


@dataclass(frozen=True, slots=True)
class TypeRow:
    """One call-type row of a detail table."""

    type_id: str  # "general" … or "other:<label as written>"
    label: str
    count: int
    tenths: int
    charge: int
    where: Where


@dataclass(frozen=True, slots=True)
class DiscountRow:
    """The 着割 row: incoming calls and the discount OCN applied (None when the cell is empty)."""

    count: int | None
    tenths: int | None
    stated: int | None
    where: Where


@dataclass(frozen=True, slots=True)
class DetailTable:
    """One month's detail table as found in a file."""

    rows: tuple[TypeRow, ...]
    stated_total: Figures
    total_where: Where | None
    discount: DiscountRow | None
    where: Where
    month_in_content: str | None = None

    def figures(self) -> tuple:
        """The numbers the table states, without where they stood."""
        return ([(r.type_id, r.count, r.tenths, r.charge) for r in self.rows],
                (self.stated_total.count, self.stated_total.tenths, self.stated_total.charge),
                self.discount and (self.discount.count, self.discount.tenths, self.discount.stated))

    def same_figures(self, other: DetailTable) -> bool:
        """True when two tables state the same numbers (wherever they came from)."""
        return self.figures() == other.figures()


@dataclass(frozen=True, slots=True)
class Source:
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


@dataclass(frozen=True, slots=True)
class FileRecord:
    """A line of the Sources sheet / `files` in JSON: every file seen and what became of it."""

    path: str
    account: str
    month: str | None
    format: Format | Literal["toml"] | None
    encoding: str | None
    status: FileStatus
    message: Message | None
    sha256: str | None


# Messages that say what was not checked, rather than what is wrong.
INFO_KEYS = frozenset({"stated_absent", "no_total_row", "no_discount_row", "discount_absent"})


@dataclass(frozen=True, slots=True)
class Message:
    """A finding in words: a key of `labels.MESSAGES` and its parameters, rendered per language."""

    key: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def is_info(self) -> bool:
        return self.key in INFO_KEYS

    @classmethod
    def of(cls, key: str, **params: object) -> Message:
        return cls(key, tuple((k, str(v)) for k, v in sorted(params.items())))


@dataclass(frozen=True, slots=True)
class InvoiceRow:
    account: str
    month: str
    amount: int
    basis: Basis
    fees: int
    note: str
    where: Where


@dataclass(frozen=True, slots=True)
class Check:
    """One comparison of a stated figure with the recomputed one. `unit` is count, tenths or yen."""

    check: str
    ok: bool
    stated: int
    recomputed: int
    difference: int
    unit: Unit
    where: Where | None


@dataclass(frozen=True, slots=True)
class DiscountResult:
    count: int | None
    tenths: int | None
    stated: int | None
    recomputed: int


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """SHA-256 of what a month was computed from: its detail table and its invoice row, each
    normalised (figures, not file bytes: re-saving a file the same does not change it)."""

    detail: str
    invoice: str

    @property
    def whole(self) -> str:
        import hashlib

        return hashlib.sha256(f"{self.detail}:{self.invoice}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class SignOff:
    """What the accountant wrote about a month in the previous report, and what it stands on."""

    explanation: str = ""
    reviewer: str = ""
    signed_on: str = ""
    basis: Fingerprint | None = None  # the inputs the sign-off was given on

    @property
    def signed(self) -> bool:
        return bool(self.reviewer and self.signed_on)


@dataclass(frozen=True, slots=True)
class PriorMonth:
    """One month as the previous report left it: what the accountant typed, what the report showed
    (`shown`) and the sign-off recon had recorded (`basis` and the reviewer and date it was given with)."""

    explanation: str = ""
    reviewer: str = ""
    signed_on: str = ""
    shown: Fingerprint | None = None
    basis: Fingerprint | None = None
    basis_reviewer: str = ""
    basis_signed_on: str = ""


@dataclass(frozen=True, slots=True)
class Prior:
    """What the previous report at the output path holds that a rebuild must not lose."""

    months: dict[tuple[str, str], PriorMonth] = field(default_factory=dict)  # (account, month)
    checks: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (account, month, check)
    carried: tuple[tuple[str, str, str, str], ...] = ()  # (account, month, field or check id, text)


@dataclass(frozen=True, slots=True)
class Close:
    """A month in the close: closed when ok, or explained, signed off and its inputs unchanged."""

    state: CloseState
    signoff: SignOff
    stale: tuple[str, ...] = ()  # what changed under a sign-off: "detail", "invoice"
    check_notes: tuple[tuple[str, str], ...] = ()  # (check id, explanation)

    def note_for(self, check: str) -> str:
        return dict(self.check_notes).get(check, "")


@dataclass(frozen=True, slots=True, kw_only=True)
class MonthResult:
    account: str
    month: str
    status: Status
    sources: tuple[str, ...]
    rows: tuple[TypeRow, ...]
    total: Figures | None
    stated_total: Figures | None
    discount: DiscountResult | None
    expected_invoice: int | None
    invoice: InvoiceRow | None
    checks: tuple[Check, ...]
    messages: tuple[Message, ...]
    fingerprint: Fingerprint = Fingerprint("", "")
    close: Close | None = None

    @property
    def invoiced(self) -> int | None:
        return self.invoice.amount if self.invoice else None

    @property
    def invoice_variance(self) -> int | None:
        if self.invoice is None or self.expected_invoice is None:
            return None
        return self.invoice.amount - self.expected_invoice


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a build found: the months and every file seen."""

    folder: str
    months: tuple[MonthResult, ...]
    files: tuple[FileRecord, ...]
    lang: str = "ja"
    notes: tuple[Message, ...] = ()  # findings about the folder as a whole (contracts)
    carried: tuple[tuple[str, str, str, str], ...] = ()  # notes whose month or check is gone:
    # (account, month, "explanation"/"reviewer"/"signed_on" or a check id, the text)
    history: tuple[MonthResult, ...] = ()  # the previous year's months (every contract, in order),
    # read from its folder beside this one (SPEC §1.2): the history anomalies were judged with, the
    # same month a year earlier (前年同月: `months.shift(month, -12)`) and the month before the
    # first. Never re-reported: not in `months`, its files not in `files`.
