"""recon.toml and command-line overrides → one frozen, validated Settings."""
from __future__ import annotations

import re
import string
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from recon import files, labels
from recon.errors import SettingsError
from recon.model import Where
from recon.rounding import Rounding

S = TypeVar("S", bound=BaseModel)


class _Section(BaseModel):
    # Validators are built when a model first validates, not at import: a folder that sets nothing
    # never builds them (`load`), and its start is about 15 ms shorter.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, defer_build=True)


class DiscountSettings(_Section):
    rate_yen: Decimal = Field(Decimal("0.5"), ge=0)
    unit_seconds: int = Field(60, gt=0)
    rounding: Rounding = "half_up"
    cap: bool = True


class TaxSettings(_Section):
    rate: Decimal = Field(Decimal("0.10"), ge=0, le=1)
    rounding: Rounding = "floor"
    international: Literal["exempt", "taxable"] = "exempt"  # 国際通話: export-exempt (消費税法 7条1項3号)


class ToleranceSettings(_Section):
    yen: int = Field(0, ge=0)
    seconds: Decimal = Field(Decimal(0), ge=0, decimal_places=1)

    @property
    def tenths(self) -> int:
        """The time tolerance in tenths of a second, as durations are compared."""
        return int(self.seconds * 10)


class AnomalySettings(_Section):
    """When a call type's month departs from its own history (telecom expense audit)."""

    factor: Decimal = Field(Decimal(3), gt=1)  # a charge or count over factor × the trailing median
    history: int = Field(3, ge=1)  # months of history needed before a month is judged
    window: int = Field(6, ge=1)  # the trailing months the median is taken over
    min_yen: int = Field(1000, ge=0)  # smaller jumps in charge are not worth a flag
    min_calls: int = Field(30, ge=0)  # smaller jumps in calls are not worth a flag


class YearSettings(_Section):
    """Which twelve months the folder holds (SPEC §1.2); None: as its name says."""

    year: int | None = Field(None, ge=2000, le=2099)  # for a folder not named by its year
    start_month: int | None = Field(None, ge=1, le=12)  # the fiscal year's first month


# --- call records ---
class CallSettings(_Section):
    """The toll-fraud watch over per-call records (SPEC §7). Off-hours, bursts and identical
    durations look at international and premium-rate calls only: those are what stolen
    credentials are used for, and ordinary domestic traffic would drown them."""

    business_start: int = Field(8, ge=0, le=24)  # business hours start at this hour (local time)
    business_end: int = Field(20, ge=0, le=24)  # … and end at this hour; calls outside are off-hours
    year_end: bool = True  # 12/29–1/3 are closed days like weekends (行政機関の休日に関する法律 1条1項3号)
    burst_calls: int = Field(10, ge=2)  # a burst: this many calls from one number …
    burst_minutes: int = Field(10, ge=1)  # … starting within this many minutes
    same_duration_calls: int = Field(5, ge=2)  # this many calls from one number of one exact duration
    share: Decimal = Field(Decimal("0.5"), gt=0, le=1)  # one number's share of the month's charge over this
    share_min_numbers: int = Field(3, ge=2)  # judged only in months with at least this many numbers
    share_min_yen: int = Field(1000, ge=0)  # and only when that number's charge is at least this
    # The zone of starts a call log writes without one (a PBX or cloud PBX that logs UTC, `"UTC"`);
    # they are read as that zone's time and turned into Japan time. None: Japan time as written.
    timezone: str | None = None

    @field_validator("timezone")
    @classmethod
    def _real_zone(cls, name: str | None) -> str | None:
        """An IANA zone name (`UTC`, `Asia/Tokyo`, `America/New_York`), from the system's zone
        database or the tzdata package."""
        if name is None:
            return None
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise SettingValueError("timezone") from None
        return name


class ReportSettings(_Section):
    output: Path | None = None
    template: Path | None = None
    lang: Literal["ja", "en"] = "ja"


# --- the journal ---
# A text that starts with one of these is read as a formula by a spreadsheet that opens the CSV
# (OWASP, "CSV Injection": = + - @, a tab, a carriage return). Their full-width forms and a line
# feed are refused with them: no account, vendor or 摘要 starts with one.
FORMULA_STARTS = "=+-@\t\r\n＝＋－＠"


def starts_a_formula(text: str) -> bool:
    """True when `text`, past any leading spaces, starts with a character a spreadsheet reads as
    the start of a formula (`FORMULA_STARTS`)."""
    return text.lstrip(" \u3000")[:1] in tuple(FORMULA_STARTS)


def _not_a_formula(text: str) -> str:
    if starts_a_formula(text):
        raise SettingValueError("formula")
    return text


# A setting copied into a journal cell: never the start of a formula.
Cell = Annotated[str, AfterValidator(_not_a_formula)]

SUMMARY_FIELDS = ("year", "month")  # what the 摘要 template may fill in: the usage month's year and month
_SUMMARY_SPEC = re.compile(r"(0?[1-9])?d?")  # a width of at most 9, zero-padded or not: {month:02}


def summary_pieces(template: str) -> tuple[tuple[str, str | None, str], ...]:
    """The 摘要 template as (literal text, field or None, format spec) pieces, checked: a field is
    `{year}` or `{month}`, with at most a width (`{month:02}`), never an attribute, an index, a
    conversion or a nested field. ValueError saying what is wrong otherwise."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as e:
        raise SettingValueError("braces", error=e) from None
    pieces = []
    for literal, field, spec, conversion in parsed:
        if field is not None and (field not in SUMMARY_FIELDS or conversion or not _SUMMARY_SPEC.fullmatch(spec or "")):
            raw = "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise SettingValueError("summary_fields", raw=raw)
        pieces.append((literal, field, spec or ""))
    return tuple(pieces)


def fill_summary(template: str, year: int, month: int) -> str:
    """The 摘要 template with the usage month filled in: `050IP電話 {year}年{month}月分` → `050IP電話
    2024年1月分`. Only the fields `summary_pieces` allows are read; ValueError for any other."""
    values = {"year": year, "month": month}
    return "".join(literal + (format(values[field], spec) if field else "")
                   for literal, field, spec in summary_pieces(template))


class TaxCategories(_Section):
    """One product's names for the three tax categories of a journal line (SPEC §6); each product's
    defaults are names its importer takes as shipped (sources cited in recon/outputs/journal.py)."""

    taxable: Cell  # a qualified purchase at the standard rate (適格請求書)
    exempt: Cell = "対象外"  # outside the tax: the international calls (消費税法 7条1項3号)
    none: Cell = "対象外"  # the balance-sheet side (未払金)


class YayoiTaxCategories(TaxCategories):
    taxable: Cell = "課対仕入内10%適格"  # category + 内税 + 請求書区分 in one word (弥生 FAQ ida1430)


class FreeeTaxCategories(TaxCategories):
    taxable: Cell = "課対仕入10%"  # freee tax code 136 (developer.freee.co.jp/news/1434)


class MfTaxCategories(TaxCategories):
    taxable: Cell = "課税仕入 10%"  # マネーフォワード's 税区分 name; its インボイス column says 適格


class JournalSettings(_Section):
    """The journal entry (SPEC §6): accounts, vendor, summary, departments, tax-category names.
    Every text here is copied into the journal's cells, so none may start a formula (`Cell`)."""

    expense: Cell = Field("通信費", min_length=1)  # debit: the phone bill
    payable: Cell = Field("未払金", min_length=1)  # credit: what the company will pay
    # 取引先 (freee, MF; in 弥生's 摘要, which has no column for it). None: the carrier's name on the
    # entry's date (recon.journal.carrier_name: NTTコミュニケーションズ, NTTドコモビジネス from 2025-07).
    vendor: Cell | None = None
    summary: str = Field("050IP電話 {year}年{month}月分", min_length=1)  # 摘要; the contract follows it
    departments: dict[str, Cell] = {}  # contract (subfolder name) → 部門; "" is the top folder's
    yayoi: YayoiTaxCategories = Field(default_factory=YayoiTaxCategories)
    freee: FreeeTaxCategories = Field(default_factory=FreeeTaxCategories)
    mf: MfTaxCategories = Field(default_factory=MfTaxCategories)

    @field_validator("summary")
    @classmethod
    def _summary_fields(cls, text: str) -> str:
        _not_a_formula(fill_summary(text, 2024, 1))  # the fields are digits: the text before them decides
        return text


class Settings(_Section):
    discount: DiscountSettings = Field(default_factory=DiscountSettings)
    tax: TaxSettings = Field(default_factory=TaxSettings)
    tolerance: ToleranceSettings = Field(default_factory=ToleranceSettings)
    anomaly: AnomalySettings = Field(default_factory=AnomalySettings)
    year: YearSettings = Field(default_factory=YearSettings)
    report: ReportSettings = Field(default_factory=ReportSettings)
    journal: JournalSettings = Field(default_factory=JournalSettings)
    calls: CallSettings = Field(default_factory=CallSettings)


SETTINGS_BYTES = 1024 * 1024  # a recon.toml is a page of text: a file this large is not one
# The numbers a setting may hold: under 10^15 (what Excel shows exactly) and no finer than 10^-15.
# Beyond them a value is a slip or an attack (rate = 1e400), and the arithmetic of money, exact to
# 28 digits, would fail on it far from the key.
NUMBER_DIGITS = 15
NESTING = 10  # no setting nests deeper than a section, a table in it and its value


def load(path: Path | None, overrides: dict | None = None) -> Settings:
    """Read a recon.toml (or nothing), apply `overrides` ({"report": {"lang": "en"}}), validate.
    SettingsError naming the key for a bad value, a number too large or too fine, values nested
    too deep; ReconError for a settings file that is not a regular file or is over SETTINGS_BYTES."""
    data: dict = {}
    where = Where(path.name) if path else Where("options")
    if path is not None:
        data = _parsed(path, where)
        _resolve_paths(data, path.parent)
    for section, values in (overrides or {}).items():
        data.setdefault(section, {})
        if isinstance(data[section], dict):
            data[section].update({k: v for k, v in values.items() if v is not None})
    if all(section in Settings.__pydantic_fields__ and values == {} for section, values in data.items()):
        return defaults(Settings)  # nothing set: what validating it would give, made without validators
    try:
        return Settings.model_validate(data)
    except ValidationError as e:
        raise _one_line(e, where) from None


def _parsed(path: Path, where: Where) -> dict:
    """The settings file's TOML, every number exact (Decimal), every number and nesting bounded."""
    try:
        text = files.read_bytes(path, SETTINGS_BYTES, where).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise SettingsError(where, "setting_utf8", None, error=e) from e
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(where, "setting_toml", None, error=e) from e
    except (ValueError, ArithmeticError, RecursionError) as e:  # a number past Python's, nesting past its stack
        line = _failing_line(text)
        raise SettingsError(Where(where.path, line=line + 1), _too_deep_or_large(e), None,
                            key=_key_at(text, line), digits=NUMBER_DIGITS, nesting=NESTING) from None
    _bounded(data, where)
    return data


def _bounded(data: dict, where: Where) -> None:
    """SettingsError naming the first key (in the file's order) of a number past NUMBER_DIGITS
    either side of the point or of values nested deeper than NESTING."""
    pending: list[tuple[tuple[str, ...], object]] = [((), data)]
    while pending:
        key, value = pending.pop()
        if len(key) > NESTING:
            raise SettingsError(where, "setting_depth", None, key=_dotted(key[:NESTING]), nesting=NESTING)
        if isinstance(value, dict):
            pending.extend(reversed([((*key, str(k)), v) for k, v in value.items()]))
        elif isinstance(value, list):
            pending.extend(reversed([((*key, f"[{i}]"), v) for i, v in enumerate(value)]))
        elif not _within(value):
            raise SettingsError(where, "setting_number", str(value), key=_dotted(key), digits=NUMBER_DIGITS)


def _too_deep_or_large(error: Exception) -> str:
    return "setting_depth" if isinstance(error, RecursionError) else "setting_number"


def _within(value: object) -> bool:
    """A number within NUMBER_DIGITS either side of the point (anything else is for the validators)."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return True
    if isinstance(value, int):
        return abs(value) < 10**NUMBER_DIGITS
    _, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or not value:  # not finite: the validators say that a setting is finite
        return True
    finest = exponent + len(digits) - len("".join(map(str, digits)).rstrip("0"))  # its last non-zero digit's place
    return value.adjusted() < NUMBER_DIGITS and finest >= -NUMBER_DIGITS


def _dotted(key: tuple[str, ...]) -> str:
    return ".".join(key).replace(".[", "[")


def _failing_line(text: str) -> int:
    """The first line (from 0) by which the TOML fails in Python itself rather than as TOML (the
    first prefix of lines that fails so): where the number or the nesting is."""
    lines = text.splitlines(keepends=True)
    low, high = 0, len(lines) - 1
    while low < high:
        middle = (low + high) // 2
        try:
            tomllib.loads("".join(lines[:middle + 1]), parse_float=Decimal)
            low = middle + 1
        except tomllib.TOMLDecodeError:
            low = middle + 1
        except (ValueError, ArithmeticError, RecursionError):
            high = middle
    return low


_TABLE_LINE = re.compile(r"\s*\[\[?\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?")
_KEY_LINE = re.compile(r"\s*([^=#\[\]{}]+?)\s*=")


def _key_at(text: str, line: int) -> str:
    """The key (with its table's name) whose value stands on `line`, or began on a line above it."""
    table = key = ""
    for current in text.splitlines()[:line + 1]:
        if (header := _TABLE_LINE.fullmatch(current)) is not None:
            table, key = header.group(1), ""
        elif (assigned := _KEY_LINE.match(current)) is not None:
            key = assigned.group(1)
    return ".".join(part.replace('"', "").replace("'", "").strip() for part in (table, key) if part) or "the file"


def defaults(model: type[S]) -> S:
    """`model` as validating nothing makes it (`model.model_validate({})`: every field its default,
    none counted as set), made without building its validators. Defaults are not validated either
    way (pydantic's `validate_default` is off)."""
    sections = {name: defaults(field.default_factory) for name, field in model.__pydantic_fields__.items()
                if isinstance(field.default_factory, type) and issubclass(field.default_factory, _Section)}
    return model.model_construct(_fields_set=set(), **sections)


def _resolve_paths(data: dict, base: Path) -> None:
    report = data.get("report")
    if isinstance(report, dict):
        for key in ("output", "template"):
            if isinstance(report.get(key), str):
                report[key] = str(base / report[key])


def _one_line(error: ValidationError, where: Where) -> SettingsError:
    """pydantic's first complaint as one line naming the key, in each language's words: an unknown
    key, or a value and what the key takes (labels.SETTING_REASONS; pydantic's words where it has none)."""
    first = error.errors()[0]
    key = ".".join(str(p) for p in first["loc"])
    if first["type"] == "extra_forbidden":
        return SettingsError(where, "setting_known", _printable(key))
    found = first.get("input")
    context = first.get("ctx") or {}
    raised = context.get("error")
    english = first["msg"].lower()
    reason: str | None
    if isinstance(raised, SettingValueError):  # a validator's own words
        english = str(raised)
        reason, params = raised.key, raised.params
    else:
        reason = first["type"] if first["type"] in labels.SETTING_REASONS else labels.SETTING_KINDS.get(first["type"])
        params = {name: str(value) for name, value in context.items()}
        if "expected" in params:  # a literal's choices: 'floor', 'half_up' or 'ceil'
            params["choices"] = "・".join(re.findall(r"'[^']*'", params["expected"])) or params["expected"]
    japanese = labels.SETTING_REASONS[reason][0].format(**params) if reason else english
    japanese = f" {japanese}" if japanese[:1].isascii() else japanese  # には 'floor'… / には整数
    return SettingsError(where, "setting_value", None if isinstance(found, dict) else _printable(str(found)),
                         key=key, reason_ja=japanese, reason_en=english)


class SettingValueError(ValueError):
    """A validator's refusal of a value: `key` of labels.SETTING_REASONS, its `params`; its text is
    the English words (pydantic's message)."""

    def __init__(self, key: str, **params: object):
        self.key = key
        self.params = {name: str(value) for name, value in params.items()}
        super().__init__(labels.SETTING_REASONS[key][1].format(**self.params))


def _printable(text: str) -> str:
    """`text` with its control characters escaped (a tab as \\t), so the error stays one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def defaults_toml(year: int | None = None, start_month: int | None = None) -> str:
    """The defaults as a commented recon.toml, for `recon init`; a `year` or `start_month` given is
    written as a setting, not a comment."""
    year_lines = "".join(f"{key} = {value}\n" for key, value in (("year", year), ("start_month", start_month))
                         if value is not None)
    return _DEFAULTS.replace("[year]\n", f"[year]\n{year_lines}")


_DEFAULTS = """\
# recon settings: every key is optional; these are the defaults (or, where the default depends on
# the folder, an example of the setting).

[discount]              # 着割 (incoming-call discount)
# rate_yen = 0.5        # yen per full unit of incoming call time
# unit_seconds = 60
# rounding = "half_up"  # floor | half_up | ceil
# cap = true            # never more than the month's call charges

[tax]                   # for invoice rows with basis incl (税込)
# rate = 0.10
# rounding = "floor"
# international = "exempt"     # exempt | taxable: 国際通話 is outside consumption tax (消費税法 7条1項3号)

[tolerance]             # a check passes when |stated - recomputed| <= tolerance
# yen = 0
# seconds = 0

[anomaly]               # a call type's month far from its own recent months
# factor = 3            # over factor x the median of the trailing months
# history = 3           # months of history needed before judging
# window = 6            # trailing months the median is taken over
# min_yen = 1000        # jumps in charge smaller than this are not flagged
# min_calls = 30        # jumps in calls smaller than this are not flagged

[year]
# year = 2024           # example: for a folder not named by its year (2024, 2024年度, FY2024, 令和6年度 are)
# start_month = 4       # the fiscal year's first month: 年度 folders start in April unless set;
                        # a plain 2024 is January to December unless set
[calls]                 # toll-fraud watch over per-call records (通話明細)
# business_start = 8    # business hours, local time: international and premium calls
# business_end = 20     # outside them, at weekends or on holidays are flagged
# year_end = true       # 12/29-1/3 count as holidays
# burst_calls = 10      # a burst: this many international/premium calls from one number
# burst_minutes = 10    # within this many minutes
# same_duration_calls = 5  # this many from one number of one identical duration
# share = 0.5           # one number over this share of the month's charge
# share_min_numbers = 3 # judged in months with at least this many numbers
# share_min_yen = 1000  # and when that number's charge is at least this
# timezone = "UTC"      # a call log that writes its starts in UTC without saying so (read as Japan time else)

[report]
# output = "recon-2024.xlsx"   # example, relative to this file's folder (default: recon- and the folder's name)
# template = "my-template.xlsx"   # example (default: the bundled template)
# lang = "ja"                  # ja | en

[journal]               # recon journal: the entries for 弥生会計, freee, マネーフォワード
# expense = "通信費"            # debit account
# payable = "未払金"            # credit account
# vendor = "NTTコミュニケーションズ"   # 取引先; unset: the carrier's name on the entry's date
                                #   (NTTコミュニケーションズ, NTTドコモビジネス from 2025-07)
# summary = "050IP電話 {year}年{month}月分"   # 摘要; the contract is added after it;
                                #   {year} and {month} only, {month:02} for 01

# [journal.departments]         # contract (subfolder) → 部門, as named in the accounting software
# "本社" = "本社"

# [journal.yayoi]               # tax-category names: also [journal.freee] and [journal.mf]
# taxable = "課対仕入内10%適格"  # freee: "課対仕入10%", mf: "課税仕入 10%"
# exempt = "対象外"             # international calls (outside the tax)
# none = "対象外"               # the credit 未払金
"""
