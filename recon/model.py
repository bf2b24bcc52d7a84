"""The plain values passed from one stage to the next. Durations are integer tenths of a second,
money is integer yen: nothing here holds a float."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

STATUSES = ("ok", "warning", "variance", "missing", "error")  # best to worst


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


CellValue = str | int | Decimal | Duration | None


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

    def same_figures(self, other: DetailTable) -> bool:
        """True when two tables state the same numbers (wherever they came from)."""
        key = lambda t: (
            [(r.type_id, r.count, r.tenths, r.charge) for r in t.rows],
            t.stated_total,
            t.discount and (t.discount.count, t.discount.tenths, t.discount.stated),
        )
        return key(self) == key(other)


@dataclass(frozen=True, slots=True)
class Source:
    """A file found in the year folder, and what discover made of it."""

    path: Path
    rel: str
    account: str
    kind: str  # "detail", "invoices", "settings"
    format: str  # "text", "csv", "xlsx", "html", "toml"
    month: str | None  # from the file name
    bare_month: int | None = None  # the name gives this month number, but nothing gives a year
    folders: tuple[str, ...] = ()  # the folders around it, nearest first (where a year may be)
    size: int = 0


@dataclass(frozen=True, slots=True)
class FileRecord:
    """A line of the Sources sheet / `files` in JSON: every file seen and what became of it."""

    path: str
    account: str
    month: str | None
    format: str | None
    encoding: str | None
    status: str  # read / ignored / error
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
    basis: str  # "excl" or "incl"
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
    unit: str
    where: Where | None


@dataclass(frozen=True, slots=True)
class DiscountResult:
    count: int | None
    tenths: int | None
    stated: int | None
    recomputed: int


@dataclass(frozen=True, slots=True)
class MonthResult:
    account: str
    month: str
    status: str
    sources: tuple[str, ...]
    rows: tuple[TypeRow, ...]
    total: Figures | None
    stated_total: Figures | None
    discount: DiscountResult | None
    expected_invoice: int | None
    invoice: InvoiceRow | None
    checks: tuple[Check, ...]
    messages: tuple[Message, ...]

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
