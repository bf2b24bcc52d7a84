"""Per-call records (通話明細, PBX and router call logs; SPEC §7) → one CallMonth per usage month.

A file is call records when a header row near its top names a start, a number called, a duration
and a charge (`labels.CALL_HEADER_WORDS`); a monthly detail table names none of the first two.
Records run to millions of rows (a year of a 400-number company is ten million), so a text file is
read by a columnar engine (polars, recon/calls_columnar.py): every value parsed and every sum taken
column by column, in batches, so memory is bounded by the batch, not the file. A value of no shape
the engine knows (2024年1月5日 written with a zero-width space, 2分5秒) goes to the same Python
parsers a workbook's cells go to, row by row; a row neither can read is a ReconError at its line.

Everything is an integer: starts in seconds, durations in tenths of a second, charges in
hundredths of a yen (sen), so a charge written 15.5 stays exactly 1,550 sen.

Starts are Japan time once read: a start written with its zone (`…Z`, `+00:00`, Twilio's
`Fri, 18 Oct 2019 16:02:00 +0000`) is turned into Japan time, and so is one written without, in
the zone `[calls] timezone` names (a PBX that logs UTC). A date written without its year (`09/15`,
`9月15日`, as carriers' statements write them) takes the year that puts it nearest the file's
usage month (`Reading`). Carriers' statements also hold rows that are not calls: subtotals
(電話番号計, 組織計) and totals (合計, a footer line), told by their words and their empty start; a
total is checked against the calls above it. With a direction column, incoming calls are counted
apart and never summed with the outgoing charges.

polars (and pandas, for recon.frames) is imported inside the functions that read records: a
folder without call records never loads it. It, pandas, numpy, and the holiday and phone-number
data of the toll-fraud watch come with the `calls` extra (SPEC §7, Install): without it,
`read_text` and `read_grid` raise `ExtraMissing` and the file is listed, not read, with one line
that names the extra.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import importlib.util
import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from msgspec import Struct, field, structs

from recon import durations, labels
from recon.errors import ReconError
from recon.model import Call, CallMonth, Duration, Grid, Message, Where
from recon.months import FiscalYear
from recon.readers.decode import decode
from recon.values import clean, format_duration, format_sen

HEAD_BYTES = 65536  # where the header row must stand (title lines above it are allowed)
PREMIUM_PREFIXES = ("0570", "0180", "0990")  # premium-rate services (ナビダイヤル, テレドーム, ダイヤルQ2)
INTERNATIONAL = "international"
_TYPE_PREFIXES = (("010", INTERNATIONAL), ("050", "ip"), ("070", "mobile"), ("080", "mobile"),
                  ("090", "mobile"))
_EPOCH = dt.datetime(1970, 1, 1)
JAPAN = 9 * 3600  # Japan time is UTC+9, without summer time
MAX_OTHER_COLUMNS = 64  # columns beside the wanted ones read for the words of a total row

# --------------------------------------------------------------------------- the extra

EXTRA_LIBRARIES = ("polars", "pandas", "numpy", "holidays", "phonenumbers")  # pyproject.toml's `calls`


class ExtraMissing(Exception):
    """Call records found, and the libraries that read them (the `calls` extra) not installed:
    `missing`, their import names."""

    def __init__(self, missing: tuple[str, ...]):
        self.missing = missing
        super().__init__(f"not installed: {', '.join(missing)}")


def missing_libraries() -> tuple[str, ...]:
    """The libraries of the `calls` extra that cannot be imported here, found without importing
    them; () when call records can be read."""
    return tuple(name for name in EXTRA_LIBRARIES if not _installed(name))


def _installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # a finder that refuses it; a module set to None in sys.modules
        return False


def _need_extra() -> None:
    missing = missing_libraries()
    if missing:
        raise ExtraMissing(missing)


# --------------------------------------------------------------------------- the header


class Columns(Struct, frozen=True):
    """Which column holds what: keys of labels.CALL_HEADER_WORDS → index; `seconds` when the
    duration column says its unit is seconds. `width` is the number of fields a row has."""

    index: dict[str, int]
    width: int
    seconds: bool = False

    @property
    def start_key(self) -> str:
        """The column of the start's time of day, or of the whole start."""
        return "time" if "time" in self.index else "start"

    @property
    def date_key(self) -> str | None:
        """The column of the start's date when the time of day has a column of its own: a date
        column, or a 通話開始日時 that holds the date alone beside 通話開始時刻."""
        if "time" not in self.index:
            return None
        return "date" if "date" in self.index else ("start" if "start" in self.index else None)

    @property
    def split_start(self) -> bool:
        """A date column beside a time column (else one column holds date and time)."""
        return self.date_key is not None

    def widened(self, by: int) -> Columns:
        return Columns(self.index, self.width + by, self.seconds)


_UNIT = re.compile(r"^(.*?)[(\[（【](.*)[)\]）】]$")


@functools.lru_cache(maxsize=4096)  # the same few header and table cells recur in every file
def _header_key(text: str) -> tuple[str, str]:
    """A header cell → (its words, its unit in brackets): `料金(円)` → (料金, 円)."""
    text = unicodedata.normalize("NFKC", text).replace(" ", "").replace("_", "").casefold()
    m = _UNIT.match(text)
    return (m.group(1), m.group(2)) if m else (text, "")


_WORD_KEYS = {word: key for key, words in labels.CALL_HEADER_WORDS.items() for word in words}


# A cell of ASCII digits and the marks between them (182, 7:45:28.7, 2,040, 2024/01/05 9:03) names
# no column: every header word has a letter. Such cells, the most of a table's, are passed by.
_FIGURE = re.compile(r"[0-9,.:/ -]*")
# The runs between a line's delimiters that hold a character other than a figure's or a quote. A
# cell that names a column holds one (its word has letters), so a header has at least four of them,
# quoted or not: a quoted cell spans runs of its own, and its text is in them.
_WORDY = {d: re.compile(f'[^{d}]*[^0-9,.:/ \\-"{d}][^{d}]*') for d in ("\t", ",")}


@functools.lru_cache(maxsize=4096)
def _column_key(text: str) -> tuple[str, bool] | None:
    """A header cell → (its key of labels.CALL_HEADER_WORDS, whether it says its unit is seconds),
    or None when it names no column."""
    words, unit = _header_key(text)
    key = _WORD_KEYS.get(words)
    if key is None:
        return None
    return key, key == "duration" and (unit in labels.CALL_SECONDS_UNITS or words in labels.CALL_SECONDS_WORDS)


def _keys(cells: list) -> tuple[dict[str, int], bool]:
    """The columns a row's cells name (the first cell naming a key is that key's), and whether the
    duration is in seconds."""
    index, seconds = {}, False
    for c, text in enumerate(cells):
        found = _column_key(text) if isinstance(text, str) and not _FIGURE.fullmatch(text) else None
        if found is None or found[0] in index:
            continue
        index[found[0]] = c
        if found[0] == "duration":
            seconds = found[1]
    return index, seconds


def find_columns(cells: list[str]) -> Columns | None:
    """A header row of call records → its Columns; None when the row is not one."""
    index, seconds = _keys(cells)
    has_start = "start" in index or "time" in index
    if not ({"called", "duration", "charge"} <= index.keys() and has_start):
        return None
    return Columns(index, len(cells), seconds)


def near_header(cells: list) -> bool:
    """A row that names three columns of call records or more, among them a start and a number,
    without being a whole header: a file of call records recon cannot read (a router's log
    without charges), never a monthly table (which names neither start nor number)."""
    index, _ = _keys(cells)
    return (len(index) >= 3 and bool(index.keys() & {"start", "time", "date"})
            and bool(index.keys() & {"calling", "called"}) and find_columns(cells) is None)


class Layout(Struct, frozen=True):
    """A text file of call records: where its header is and how it is written."""

    columns: Columns
    header_line: int  # 1-based line of the header row
    delimiter: str
    encoding: str  # as recon names it (utf-8, utf-8-bom, cp932, utf-16-le …)
    title: str = ""  # the lines above the header (a statement's title, its usage month)

    @property
    def codec(self) -> str:
        return {"utf-8-bom": "utf-8-sig", "utf-16-le": "utf-16", "utf-16-be": "utf-16"}.get(self.encoding,
                                                                                          self.encoding)


def sniff(path: Path, rel: str) -> Layout | None:
    """The Layout of a text file whose first lines hold a call-records header, else None.
    Reads at most HEAD_BYTES; never raises for a file that is something else."""
    try:
        with path.open("rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError:
        return None
    return sniff_head(head, rel)


_LINE_END = re.compile(r"\r\n|\r|\n")


def sniff_head(head: bytes, rel: str) -> Layout | None:
    """`sniff`, for the first HEAD_BYTES of a file already read (or all of it, when shorter)."""
    try:
        text, encoding = decode(_whole_lines(head[:HEAD_BYTES]), rel)
    except ReconError:
        return None
    lines = _LINE_END.split(text, 50)[:50]
    for number, line in enumerate(lines, start=1):
        delimiter = "\t" if "\t" in line else ","
        if line.count(delimiter) < 3:  # a start, a number called, a duration and a charge at least
            continue
        if len(_WORDY[delimiter].findall(line)) < 4:
            continue  # fewer than four cells with a letter: no header (a table's row, a call's)
        header = _split_line(line, delimiter)
        columns = find_columns(header)
        if columns is not None:
            columns = _as_rows_are(columns, header, lines[number:], delimiter)
            return Layout(columns, number, delimiter, encoding, "\n".join(lines[:number - 1]))
    return None


def _as_rows_are(columns: Columns, header: list[str], after: list[str], delimiter: str) -> Columns:
    """The header's Columns as wide as the rows under it: a header one field shorter than its
    rows, whose rows end with a delimiter (IIJmio's 通話明細 CSV), or one field longer, ending with
    an empty field itself, is read as wide as its rows."""
    first = next((line for line in after if line.strip()), None)
    if first is None:
        return columns
    fields = _split_line(first, delimiter)
    if len(fields) == columns.width + 1 and not fields[-1].strip():
        return columns.widened(1)
    if len(fields) == columns.width - 1 and not header[-1].strip() and max(columns.index.values()) < len(fields):
        return columns.widened(-1)
    return columns


def _split_line(line: str, delimiter: str) -> list[str]:
    """One line's cells as the csv module splits them; without a quote (or a NUL) to mind, by
    str.split, which gives the same cells."""
    if line and '"' not in line and "\x00" not in line:
        return line.split(delimiter)
    return next(csv.reader([line], delimiter=delimiter), [])


def _whole_lines(head: bytes) -> bytes:
    """The head cut after its last line end, so that no character is cut in two."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        le = head.startswith(codecs.BOM_UTF16_LE)
        end = max(head.rfind(b"\n\x00" if le else b"\x00\n"), 0)
        end -= end % 2
        return head[:end + 2] if end else head[:len(head) - len(head) % 2]
    end = head.rfind(b"\n")
    return head[:end + 1] if end > 0 and len(head) == HEAD_BYTES else head


def unreadable_header(grids: list[Grid]) -> ReconError | None:
    """An error at the row of a sheet or text that names call-records columns without naming all
    that recon needs (`near_header`); None when no row does."""
    for grid in grids:
        for row in grid.rows[:50]:
            cells = [c.value if isinstance(c.value, str) else "" for c in row]
            if near_header(cells):
                named = ", ".join(clean(c) for c in cells if clean(c))
                return ReconError(row[0].where, "call_header", named)
    return None


# --------------------------------------------------------------------------- what a file is read against


class Reading(Struct, frozen=True):
    """What a file of call records is read against (SPEC §7): the usage month it is named for
    (`yyyy-mm`), else the months of the year folder it sits in, which give a date written
    without its year (`09/15`) its year; and `zone` (`[calls] timezone`), the zone of starts
    written without one. None of them: dates need their year, starts are Japan time as written."""

    month: str | None = None
    year: FiscalYear | None = None
    zone: str | None = None

    def anchored(self, title: str) -> Reading:
        """This reading, with the usage month a statement's title lines label (`ご利用月 2024年3月`)
        when the file's name gives none."""
        if self.month is not None or not title:
            return self
        from recon.months import is_month_label, month_in_text

        for line in title.splitlines():
            month = month_in_text(line) if is_month_label(line) else None
            if month:
                return Reading(month, self.year, self.zone)
        return self

    def year_of(self, month: int, day: int) -> int | None:
        """The year of a date written without one: the one that puts it nearest the usage
        month (12/31 in a January file is the December before), else the one in which the
        folder's year holds it; None when nothing gives a year."""
        if self.month is not None:
            year, usage = int(self.month[:4]), int(self.month[5:7])
            target = dt.date(year, usage, 15).toordinal()
            return min((year - 1, year, year + 1), key=lambda y: abs(_ordinal(y, month, day) - target))
        if self.year is not None:
            return self.year.year + (month < self.year.start)
        return None


NO_READING = Reading()


def _ordinal(year: int, month: int, day: int) -> int:
    """Day number of a date, the day clipped into its month (2/30 is judged as the month's end, 0 as its first)."""
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, max(1, min(day, last))).toordinal()


# --------------------------------------------------------------------------- one value, by Python

_ZONE = r"(Z|UTC?|GMT|JST|[+-]\d{2}:?\d{2})"
_START = re.compile(r"^(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]+|$)"
                    r"(?:(\d{1,2})\s*[:時]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})(?:\.\d+)?\s*秒?|\s*分)?)?"
                    rf"\s*{_ZONE}?$")
# RFC 2822, as Twilio writes its call starts: `Fri, 18 Oct 2019 16:02:00 +0000`
_RFC2822 = re.compile(r"^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
                      rf"\s*{_ZONE}?$")
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIME = re.compile(r"^(\d{1,2})\s*[:時]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})(?:\.\d+)?\s*秒?|\s*分)?"
                   rf"\s*{_ZONE}?$")
# yen to the sen: `8`, `15.5`, `¥1,234`, `\1,234` (a Shift_JIS file's yen sign is 0x5C, a backslash
# once decoded), `-\16`, `\-16`, `8円`; a lone dash (`-`, `\-`) is Excel's accounting zero
_CHARGE = re.compile(r"^(-?)[¥\\]?(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2})0*)?(?:円)?$")
_DASH_ZERO = re.compile(r"^[¥\\]?-$")


_YEARS = (1900, 2199)  # the years a call can start in (a zone's hours never take it out of datetime's range)
_FIRST_S, _LAST_S = ((dt.datetime(y, 1, 1) - _EPOCH) // dt.timedelta(seconds=1) for y in (_YEARS[0], _YEARS[1] + 1))


class _NoYear(Exception):
    """A date written without its year, in a file whose usage month nothing gives."""


def zone_seconds(zone: str) -> int:
    """A written zone → its offset from UTC in seconds: `Z`, `UTC`, `GMT` 0, `JST` 9 h, `+09:00`."""
    zone = zone.upper()
    if zone in ("Z", "UT", "UTC", "GMT"):
        return 0
    if zone == "JST":
        return JAPAN
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)


@functools.lru_cache(maxsize=8)
def _zone_info(name: str):
    import zoneinfo

    return zoneinfo.ZoneInfo(name)


@functools.lru_cache(maxsize=1 << 16)
def _zone_offset(name: str, hour: int) -> int:
    """The UTC offset (seconds) of zone `name` at a local hour (hours since 1970 as written)."""
    offset = _zone_info(name).utcoffset(_EPOCH + dt.timedelta(hours=hour))
    return int(offset.total_seconds())


def _in_japan(local: dt.datetime, offset: int | None, reading: Reading) -> dt.datetime:
    """A start as written (with the offset of the zone it was written with, if any) → Japan time."""
    if offset is None and reading.zone:
        offset = _zone_offset(reading.zone, int((local - _EPOCH).total_seconds()) // 3600)
    if offset is None or offset == JAPAN:
        return local
    return local + dt.timedelta(seconds=JAPAN - offset)


def parse_start(value: object, time: object = None, reading: Reading = NO_READING) -> dt.datetime | None:
    """A start cell (or a date cell and a time cell) → a datetime in Japan time; None when it is
    no start (or a date without its year that `reading` cannot place)."""
    try:
        return _start(value, time, reading)
    except _NoYear:
        return None


def _start(value: object, time: object, reading: Reading) -> dt.datetime | None:
    """parse_start; a date without its year that nothing places raises _NoYear."""
    if isinstance(value, dt.date) and not _YEARS[0] <= value.year <= _YEARS[1]:
        return None
    if isinstance(value, dt.datetime) and time is None:
        return _in_japan(value.replace(tzinfo=None, microsecond=0), None, reading)
    if isinstance(value, dt.date):
        day, offset = dt.datetime(value.year, value.month, value.day), None
    elif isinstance(value, str):
        found = _start_text(clean(value), reading)
        if found is None:
            return None
        day, offset = found
        if time is not None:  # the date column of a date and a time: its own time, if any, is not the call's
            day = day.replace(hour=0, minute=0, second=0)
    else:
        return None
    if time is None:
        return _in_japan(day, offset, reading)
    of_day = _time_of_day(time)
    if of_day is None:
        return None
    seconds, time_offset = of_day
    return _in_japan(day + dt.timedelta(seconds=seconds), time_offset if time_offset is not None else offset,
                     reading)


def _start_text(text: str, reading: Reading) -> tuple[dt.datetime, int | None] | None:
    """A written start → (the start as written, the offset of the zone written with it)."""
    year: int | None
    m = _START.match(text)
    if m:
        year, month, day, h, mi, s = (int(g) if g else None for g in m.groups()[:6])
        zone = m.group(7)
    else:
        m = _RFC2822.match(text)
        if m and m.group(2).lower() in _MONTH_NAMES:
            day, year, h, mi, s = (int(g) if g else 0 for g in m.group(1, 3, 4, 5, 6))
            month, zone = _MONTH_NAMES.index(m.group(2).lower()) + 1, m.group(7)
        else:
            m = _DATE.match(text)
            if not m:
                return None
            (year, month, day), h, mi, s, zone = (int(g) for g in m.groups()), 0, 0, 0, None
    if month is None or day is None:  # both are in every pattern; for the type checker
        return None
    if year is None:
        if not 1 <= month <= 12:
            return None
        year = reading.year_of(month, day)
        if year is None:
            raise _NoYear()
    if not _YEARS[0] <= year <= _YEARS[1]:
        return None
    try:
        start = dt.datetime(year, month, day, h or 0, mi or 0, s or 0)
    except ValueError:
        return None
    return start, (zone_seconds(zone) if zone else None)


def parse_time_of_day(value: object) -> int | None:
    """`9:03:02`, a time cell or an Excel time (a Duration under a day) → seconds after midnight."""
    found = _time_of_day(value)
    return None if found is None else found[0]


def _time_of_day(value: object) -> tuple[int, int | None] | None:
    """A time cell → (seconds after midnight, the offset of a zone written with it)."""
    if isinstance(value, (dt.time, dt.datetime)):
        return value.hour * 3600 + value.minute * 60 + value.second, None
    if isinstance(value, Duration):
        return (value.tenths // 10, None) if 0 <= value.tenths < 864000 else None
    if isinstance(value, str):
        m = _TIME.match(clean(value))
        if m:
            h, mi, s = (int(g) if g else 0 for g in m.groups()[:3])
            if h < 24 and mi < 60 and s < 60:
                return h * 3600 + mi * 60 + s, (zone_seconds(m.group(4)) if m.group(4) else None)
    return None


def parse_duration(value: object) -> int | None:
    """`0:02:05`, `2:05`, `125` (seconds), `125.5`, `2分5秒`, a Duration cell → tenths; None if not."""
    if isinstance(value, Duration):
        return value.tenths
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value * 10 if value >= 0 else None
    if isinstance(value, Decimal):
        tenths = value * 10
        return int(tenths) if tenths >= 0 and tenths == tenths.to_integral_value() else None
    if not isinstance(value, str):
        return None
    try:
        return durations.parse_duration(clean(value).replace(" ", ""), short=True)
    except durations.DurationError:
        return None


def parse_sen(value: object) -> int | None:
    """`8`, `15.5`, `¥1,234`, `\\1,234`, `8.00円`, `-`, a number cell → hundredths of a yen, exactly;
    None if not."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value * 100
    if isinstance(value, Decimal):
        sen = value * 100
        return int(sen) if sen == sen.to_integral_value() else None
    if not isinstance(value, str):
        return None
    text = clean(value).replace(" ", "")
    for odd in ("\u2212", "\uff0d", "▲", "△"):
        text = text.replace(odd, "-")
    if _DASH_ZERO.match(text):
        return 0
    m = _CHARGE.match(text)
    if not m or (m.group(1) and m.group(2)):
        return None
    before, after, whole, fraction = m.groups()
    whole_sen = int(whole.replace(",", "")) * 100 + int((fraction or "").ljust(2, "0"))
    return -whole_sen if before or after else whole_sen


# A number as written → as dialled from Japan, in this order: +81 (or 0081) is 0 (`+81 (0)3` too),
# any other + is 010; a Japanese number written without its leading 0 gets it back (Excel drops it
# when a column of numbers is opened as figures): 81 and 9 to 10 digits (E.164 without its +), 9 to 10
# digits (03-1234-5678 as 312345678, 090… as 90…), 010 and 10 digits or more as 10…
_DIALLED = ((r"^\+810?", "0"), (r"^00810?", "0"), (r"^\+", "010"), (r"^81([\d*]{9,10})$", r"0\1"),
            (r"^([1-9][\d*]{8,9})$", r"0\1"), (r"^(10[\d*]{10,})$", r"0\1"))
_DIALLED_PY = tuple((re.compile(p), r.replace(r"\1", r"\g<1>")) for p, r in _DIALLED)


def number_digits(value: object) -> str:
    """A phone number as written → digits as dialled from Japan: `03-1234-5678`, `(03)1234-5678`
    → 0312345678; `+81 3 …`, `0081 3 …`, `81 3 …`, `3-1234-5678` → 03…; `+1 …` → 0101…; masked
    digits stay (`03-1234-****` → 031234****)."""
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return ""
    text = re.sub(r"[^0-9+*#]", "", unicodedata.normalize("NFKC", value))
    for pattern, replacement in _DIALLED_PY:
        text = pattern.sub(replacement, text)
    return text


def type_from_number(called: str) -> str:
    """The call type a number called gives (SPEC §7): 010 international, 070/080/090 mobile,
    050 IP, 0570 ナビダイヤル …, other 0AB… general, a local number without its area code (5 to 8
    digits, as statements write 市内 calls) general; any other prefix its own type. A masked
    number (03-1234-****) is typed by its prefix."""
    for prefix, name in labels.CALL_PREFIX_TYPES.items():
        if called.startswith(prefix):
            return f"other:{name}"
    for prefix, type_id in _TYPE_PREFIXES:
        if called.startswith(prefix):
            return type_id
    if re.match(r"0[1-9]", called) and not called.startswith(("020", "060")):
        return "general"
    if re.fullmatch(r"[1-9][\d*]{4,7}", called):
        return "general"
    return f"other:{called[:3] or '?'}"


def type_from_label(label: str) -> str | None:
    """A call-type cell → a type id (`国際` is international); None for a blank cell."""
    text = clean(label)
    if not text:
        return None
    type_id = labels.type_id_for(text)
    if not type_id.startswith("other:"):
        return type_id
    return labels.CALL_TYPE_ALIASES.get(_word(text), type_id)


def _word(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").casefold()


_OUTGOING = frozenset(_word(w) for w in labels.CALL_OUTGOING_WORDS)
_INCOMING = frozenset(_word(w) for w in labels.CALL_INCOMING_WORDS)
_YEN = frozenset(_word(w) for w in labels.CALL_YEN_WORDS) | {""}


def direction(value: object) -> bool | None:
    """A direction cell → True for an incoming (or internal) call, False for an outgoing one; None
    for a word that says neither."""
    text = _word(clean(value)) if isinstance(value, str) else ""
    if text in _INCOMING:
        return True
    if text in _OUTGOING:
        return False
    return None


def is_yen(value: object) -> bool:
    """A currency cell that says yen (JPY, 円) or nothing."""
    return value is None or (isinstance(value, str) and _word(clean(value)) in _YEN)


_BRACKETS = re.compile(r"[(（\[【<＜][^)）\]】>＞]*[)）\]】>＞]")


def _label(text: str) -> str:
    """A cell's words without marks, and without a bracketed note after them: `【合計】`,
    `合計(税抜)`, `*** Sub-total ***` are 合計, 合計, subtotal."""
    text = _word(clean(text))
    words = re.sub(r"[\W_]", "", _BRACKETS.sub("", text))
    return words or re.sub(r"[\W_]", "", text)


_TOTALS = frozenset(_label(w) for w in labels.CALL_TOTAL_WORDS)
_SUBTOTALS = frozenset(_label(w) for w in labels.CALL_SUBTOTAL_WORDS)


# a total's word with the number of calls after it: `合計 3,016件`, `Total: 3016 calls`
_COUNTED = re.compile(r"(?P<word>.*?\D)[\s:]*(?P<count>\d{1,3}(?:,\d{3})+|\d+)\s*(?:件|通話|calls?)?", re.IGNORECASE)


def _counted(cell: str) -> tuple[str, int | None]:
    """A cell's words and the count written after them: `合計 3,016件` → (`合計`, 3016); a cell
    without a count → (the cell, None)."""
    text = clean(cell)
    found = _COUNTED.fullmatch(text)
    return (found["word"], int(found["count"].replace(",", ""))) if found else (text, None)


def total_kind(cells) -> str | None:
    """"total" for a row whose cells name it a total (合計, 総計, Total), "subtotal" for one named
    by a word ending in 計 (小計, 電話番号計, 組織計) or Subtotal; None for any other row. A word's
    brackets and marks do not count (`【合計】`, `合計(税抜)`, `*** 小計 ***`), nor a count of calls
    after it (`合計 3,016件`)."""
    kind = None
    for cell in cells:
        if not isinstance(cell, str) or not cell:
            continue
        text = _label(cell)
        if text not in _TOTALS:
            text = _label(_counted(cell)[0])
        if text in _TOTALS:
            return "total"
        if text in _SUBTOTALS or (text.endswith("計") and len(text) <= 12 and not re.search(r"\d", text)):
            kind = "subtotal"
    return kind


def stated_count(cells) -> int | None:
    """The number of calls a total row states beside its word (`合計 3,016件`), None if it states none."""
    for cell in cells:
        if isinstance(cell, str) and cell:
            text, count = _counted(cell)
            if count is not None and _label(text) in _TOTALS:
                return count
    return None


def is_watched(type_id: str, called: str) -> bool:
    """International and premium-rate calls: what stolen credentials are used for."""
    return type_id == INTERNATIONAL or called.startswith(PREMIUM_PREFIXES)


# --------------------------------------------------------------------------- the sums


class _Total(Struct, frozen=True):
    """A row among the calls that is a subtotal or a total, with the figures it states."""

    grand: bool  # a total (合計), checked against the calls above it; else a subtotal, passed over
    tenths: int | None
    sen: int | None
    written: str  # its figures as written
    where: Where
    count: int | None = None  # the number of calls it states, if any
    # a line of figures alone (no start, no word): a total only as the file's last line, agreeing with
    # its calls; else this error (its missing start)
    unlabelled: ReconError | None = None


class _Sums(Struct):
    """What one file contributes to each month, gathered block by block."""

    rel: str
    by_type: dict[tuple[int, str], list[int]] = field(default_factory=dict)  # (yyyymm, type) → sums
    by_number: dict[tuple[int, str], list[int]] = field(default_factory=dict)  # (yyyymm, number)
    watched: dict[int, list[Call]] = field(default_factory=dict)
    firsts: dict[tuple[int, str], int] = field(default_factory=dict)  # (yyyymm, number) → first start (s)
    frames: list = field(default_factory=list)  # every call, when kept for recon.frames
    # calls, tenths, sen of the outgoing calls read so far, then of the incoming ones, in file order
    running: list[int] = field(default_factory=lambda: [0] * 6)
    section: list[int] = field(default_factory=lambda: [0] * 6)  # `running` at the last total line
    agreed: list[int] = field(default_factory=list)  # lines of the total lines that agree with their calls
    passed: int = 0  # subtotal lines, and total lines that state no figure
    unanswered: int = 0  # attempts that never connected: no time, no charge written
    # an unlabelled sum line that agreed with its calls, and `running` there: calls after it make it an error
    sum_line: tuple[list[int], ReconError] | None = None
    signs: set[int] = field(default_factory=set)  # the signs (-1, 1) of the charges read

    def add(self, table: dict[tuple[int, str], list[int]], key: tuple[int, str], count: int, tenths: int,
            sen: int) -> None:
        sums = table.setdefault(key, [0, 0, 0])
        sums[0] += count
        sums[1] += tenths
        sums[2] += sen

    def first(self, key: tuple[int, str], start_s: int) -> None:
        known = self.firsts.get(key)
        if known is None or start_s < known:
            self.firsts[key] = start_s

    def total(self, total: _Total, before: list[int]) -> None:
        """A subtotal or total line, `before` the running sums of the calls above it. A total is
        the calls' since the last total (outgoing ones, or all with the incoming): time within a
        second and charge within a yen (what rounding takes), else a located error."""
        if not total.grand or (total.tenths is None and total.sen is None and total.count is None):
            self.passed += 1
            return
        since = [b - s for b, s in zip(before, self.section, strict=True)]
        outgoing, every = since[:3], [since[i] + since[i + 3] for i in range(3)]
        if self.sum_line is not None:  # a call or a total after an unlabelled sum line: it was a row
            raise self.sum_line[1]
        sums = {"calls": f"{outgoing[0]:,}", "duration": format_duration(outgoing[1]),
                "charge": format_sen(outgoing[2])}
        if total.unlabelled is not None:  # its missing start, and what would have made it the total
            error = total.unlabelled
            total = structs.replace(total, unlabelled=ReconError(error.where, "call_sum_line", error.found, **sums))
        if not any(_agrees(total, figures) for figures in (outgoing, every)):
            raise total.unlabelled or ReconError(total.where, "call_total", total.written, **sums)
        if total.unlabelled is not None:
            self.sum_line = (list(before), total.unlabelled)
        self.section = list(before)
        self.agreed.append(total.where.line or int(re.sub(r"\D", "", total.where.cell or "0") or 0))

    def finish(self) -> None:
        """Raises the error of an unlabelled sum line that calls follow: it was not the file's total."""
        if self.sum_line is not None and self.running != self.sum_line[0]:
            raise self.sum_line[1]

    def months(self) -> dict[str, CallMonth]:
        """yyyy-mm → the file's CallMonth."""
        flip = -1 if self.debits else 1
        types, numbers, firsts = _by_month(self.by_type), _by_month(self.by_number), _by_month(self.firsts)
        out = {}
        for ym in sorted(types):
            watched = sorted(self.watched.get(ym, ()), key=lambda c: (c.start, c.where.line or 0))
            if flip < 0:
                watched = [_flipped(c) for c in watched]
            out[f"{ym // 100}-{ym % 100:02d}"] = CallMonth(
                (self.rel,), tuple((k, v[0], v[1], flip * v[2]) for k, v in types[ym]),
                tuple((k, v[0], v[1], flip * v[2]) for k, v in numbers.get(ym, ())),
                tuple(watched), tuple((n, _EPOCH + dt.timedelta(seconds=t)) for n, t in firsts.get(ym, ())))
        return out

    @property
    def debits(self) -> bool:
        """Charges written as debits: some negative, none positive (Twilio's prices, -0.100)."""
        return self.signs == {-1}

    def notes(self) -> Message | None:
        """What the file held besides its calls, in words (None: calls alone)."""
        notes: list[tuple[str, dict[str, object]]] = []
        if self.agreed:
            notes.append(("calls_total_agreed", {"lines": tuple(str(line) for line in self.agreed)}))
        if self.passed:
            notes.append(("calls_subtotals", {"rows": f"{self.passed:,}"}))
        if self.running[3]:
            notes.append(("calls_incoming", {"calls": f"{self.running[3]:,}",
                                             "duration": format_duration(self.running[4])}))
        if self.unanswered:
            notes.append(("calls_unanswered", {"calls": f"{self.unanswered:,}"}))
        if self.debits:
            notes.append(("calls_debits", {}))
        message = None
        for key, params in reversed(notes):
            message = Message.of(f"{key}_and" if message else key, because=message, **params)
        return message


def _agrees(total: _Total, figures: list[int]) -> bool:
    return ((total.count is None or total.count == figures[0])
            and (total.tenths is None or abs(total.tenths - figures[1]) < 10)
            and (total.sen is None or abs(total.sen - figures[2]) < 100))


def _flipped(call: Call) -> Call:
    return Call(call.start, call.calling, call.called, call.type_id, call.tenths, -call.sen, call.where)


def _by_month(table: dict) -> dict[int, list]:
    """{(yyyymm, key): value} → {yyyymm: [(key, value) …] by key}."""
    out: dict[int, list] = {}
    for (ym, key), value in sorted(table.items()):
        out.setdefault(ym, []).append((key, value))
    return out


class Records(Struct, frozen=True):
    """A file of call records as read: its months, its encoding, what it held besides its calls
    (`note`: totals, incoming calls …), and (kept on request) every outgoing call as a pandas
    DataFrame."""

    months: dict[str, CallMonth]
    encoding: str | None
    frame: object = None
    note: Message | None = None


def _records(sums: _Sums, encoding: str | None, keep: bool) -> Records:
    sums.finish()
    frame = None
    if keep:
        frame = _concat(sums.frames)
        if sums.debits:
            frame["sen"] = -frame["sen"]
    return Records(sums.months(), encoding, frame, sums.notes())


# --------------------------------------------------------------------------- a workbook's sheet


def find_in_grid(grid: Grid) -> tuple[int, Columns] | None:
    """(row index, Columns) of a call-records header among a sheet's first rows."""
    for index, row in enumerate(grid.rows[:50]):
        columns = find_columns([c.value if isinstance(c.value, str) else "" for c in row])
        if columns is not None:
            return index, columns
    return None


def read_grid(grid: Grid, rel: str, found: tuple[int, Columns], keep: bool = False,
              reading: Reading = NO_READING) -> Records:
    """A sheet of call records (an .xlsx): every row after the header, read by Python.
    ExtraMissing without the `calls` extra."""
    _need_extra()
    index, columns = found
    title = "\n".join(" ".join(str(c.value) for c in row if c.value is not None) for row in grid.rows[:index])
    reading = reading.anchored(title)
    sums = _Sums(rel)
    rows = []
    wanted = set(columns.index.values())
    for row in grid.rows[index + 1:]:
        cells = {key: (row[c].value if c < len(row) else None) for key, c in columns.index.items()}
        if all(v is None or (isinstance(v, str) and not clean(v)) for v in cells.values()):
            continue
        places = {key: row[c].where for key, c in columns.index.items() if c < len(row)}
        others = [cell.value for c, cell in enumerate(row) if c not in wanted]
        item = _python_row(cells, columns, places.get("called") or row[0].where, reading, places, others)
        if isinstance(item, _Total):
            sums.total(item, sums.running)
        elif item is None:
            sums.unanswered += 1
        else:
            rows.append(item)
            _run(sums.running, item)
    _add_rows(sums, rows, keep)
    return _records(sums, None, keep)


def _run(running: list[int], row: _Row) -> None:
    """A call into the running sums (outgoing, or incoming)."""
    at = 3 if row.incoming else 0
    running[at] += 1
    running[at + 1] += row.tenths
    running[at + 2] += row.sen


class _Row(Struct, frozen=True):
    start: dt.datetime
    calling: str
    called: str
    type_id: str
    tenths: int
    sen: int
    where: Where
    incoming: bool = False


def _python_row(cells: Mapping[str, object], columns: Columns, where: Where, reading: Reading = NO_READING,
                places: dict[str, Where] | None = None, others: Sequence[object] = ()) -> _Row | _Total | None:
    """One row's cells → a call (_Row), a subtotal or total row (_Total: no start, and a word
    that names it, among `others` cells too), or None for an attempt that never connected (no
    time, no charge). A cell that is not what its column holds is a located error (at the row's
    line, or the cell itself in a workbook: `places`)."""
    def at(key: str) -> Where:
        return (places or {}).get(key, where)

    date_key, start_key = columns.date_key, columns.start_key
    try:
        start = _start(cells[date_key], cells[start_key], reading) if date_key else _start(cells[start_key], None,
                                                                                           reading)
    except _NoYear:
        raise ReconError(at(date_key or start_key), "call_year",
                         _shown(cells.get(date_key) if date_key else None, cells[start_key])) from None
    if start is None:
        kind = total_kind([*cells.values(), *others])
        if kind is not None:
            return _total_row(cells, kind == "total", at("charge"), stated_count([*cells.values(), *others]))
        error = ReconError(at(start_key), "call_start", _shown(cells.get(date_key) if date_key else None,
                                                               cells[start_key]))
        sum_line = _sum_line(cells, others, at("charge"), error)
        if sum_line is None:
            raise error
        return sum_line
    tenths = parse_duration(cells["duration"])
    if tenths is None:
        raise ReconError(at("duration"), "call_duration", _shown(cells["duration"]))
    if tenths == 0 and _blank(cells["charge"]):
        return None
    sen = parse_sen(cells["charge"])
    if sen is None:
        raise ReconError(at("charge"), "call_charge", _shown(cells["charge"]))
    incoming = direction(cells["direction"]) if "direction" in cells else False
    if incoming is None:
        raise ReconError(at("direction"), "call_direction", _shown(cells["direction"]))
    if "currency" in cells and not is_yen(cells["currency"]):
        raise ReconError(at("currency"), "call_currency", _shown(cells["currency"]))
    called = number_digits(cells["called"])
    label = cells.get("type")
    type_id = type_from_label(label) if isinstance(label, str) else None
    return _Row(start, number_digits(cells.get("calling")), called, type_id or type_from_number(called),
                tenths, sen, where, incoming)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not clean(value))


def _total_row(cells: Mapping[str, object], grand: bool, where: Where, count: int | None = None,
               unlabelled: ReconError | None = None) -> _Total:
    """A total row's figures: its time and charge where they are readable (None where not)."""
    duration, charge = cells.get("duration"), cells.get("charge")
    written = " ".join(str(v) for v in (None if count is None else f"{count:,}", duration, charge) if not _blank(v))
    return _Total(grand, parse_duration(duration), parse_sen(charge), _shown(written), where, count, unlabelled)


_FIGURES = ("duration", "charge")
_STARTS = ("start", "date", "time")


def _sum_line(cells: Mapping[str, object], others: Sequence[object], where: Where,
              error: ReconError) -> _Total | None:
    """A row of figures alone: no start, no word; a time or a charge (or both) that read as such,
    and in any other cell nothing but one count of calls (`,,,,130090,`, `,3016,,109:54:23.5,,`).
    A total line if it is the file's last and its figures are its calls' sums (_Sums says);
    `error` otherwise. None for a row of anything else."""
    if any(not _blank(cells.get(key)) for key in _STARTS):
        return None
    figures = [cells.get(key) for key in _FIGURES]
    if all(_blank(v) for v in figures) or any(not _blank(v) and parse(v) is None
                                              for v, parse in zip(figures, (parse_duration, parse_sen), strict=True)):
        return None
    counts = {_count(v) for v in [*(v for k, v in cells.items() if k not in _FIGURES), *others] if not _blank(v)}
    if None in counts or len(counts) > 1:
        return None
    return _total_row(cells, True, where, counts.pop() if counts else None, unlabelled=error)


def _count(value: object) -> int | None:
    """A count of calls as a cell holds it: 3016, `3,016`, `3,016件`; None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        found = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+)\s*(?:件|通話|calls?)?", clean(value), re.IGNORECASE)
        return int(found[1].replace(",", "")) if found else None
    return None


def _shown(*values: object) -> str:
    text = " ".join(str(v) for v in values if v is not None)
    return text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text


def _add_rows(sums: _Sums, rows: list[_Row], keep: bool) -> None:
    """Rows read one by one (a sheet, or the rows the fast path left) → the sums. Incoming calls
    are counted in the running sums only: never with the outgoing charges."""
    rows = [r for r in rows if not r.incoming]
    for r in rows:
        ym = r.start.year * 100 + r.start.month
        sums.add(sums.by_type, (ym, r.type_id), 1, r.tenths, r.sen)
        sums.add(sums.by_number, (ym, r.calling), 1, r.tenths, r.sen)
        sums.first((ym, r.calling), int((r.start - _EPOCH).total_seconds()))
        if r.sen:
            sums.signs.add(1 if r.sen > 0 else -1)
        if is_watched(r.type_id, r.called):
            sums.watched.setdefault(ym, []).append(Call(r.start, r.calling, r.called, r.type_id, r.tenths,
                                                        r.sen, r.where))
    if keep and rows:
        import pandas as pd

        sums.frames.append(pd.DataFrame({
            "start": pd.to_datetime([r.start for r in rows]).astype("datetime64[s]"),
            "calling": [r.calling for r in rows], "called": [r.called for r in rows],
            "type": [r.type_id for r in rows],
            "tenths": pd.array([r.tenths for r in rows], dtype="int64"),
            "sen": pd.array([r.sen for r in rows], dtype="int64"),
            "file": sums.rel, "line": pd.array([r.where.line or 0 for r in rows], dtype="int64"),
        }))


def empty_frame():
    """The calls DataFrame of no calls: its columns and their types."""
    import pandas as pd

    return pd.DataFrame({"start": pd.Series([], dtype="datetime64[s]"), "calling": pd.Series([], dtype=str),
                         "called": pd.Series([], dtype=str), "type": pd.Series([], dtype=str),
                         "tenths": pd.Series([], dtype="int64"), "sen": pd.Series([], dtype="int64"),
                         "file": pd.Series([], dtype=str), "line": pd.Series([], dtype="int64")})


def _concat(frames: list):
    import pandas as pd

    if not frames:
        return empty_frame()
    frame = pd.concat([f if isinstance(f, pd.DataFrame) else _pandas(f) for f in frames], ignore_index=True)
    return frame.sort_values(["start", "file", "line"], kind="stable", ignore_index=True)


def _pandas(frame):
    """The engine's calls (a polars DataFrame of empty_frame's columns) as pandas'."""
    import numpy as np
    import pandas as pd

    data = {name: frame[name].to_numpy() for name in frame.columns}
    data["start"] = data["start"].astype("datetime64[s]")
    for name in ("calling", "called", "type", "file"):
        data[name] = np.asarray(data[name], dtype=object)
    return pd.DataFrame(data)


# --------------------------------------------------------------------------- a text file, column-wise


def read_text(path: Path, rel: str, layout: Layout, keep: bool = False, reading: Reading = NO_READING) -> Records:
    """A CSV/TSV of call records, read column-wise by the engine (recon.calls_columnar): the
    months it covers, summed. ExtraMissing without the `calls` extra."""
    _need_extra()
    from recon import calls_columnar

    reading = reading.anchored(layout.title)
    try:
        sums = calls_columnar.read(path, rel, layout, layout.codec, keep, reading)
        encoding = layout.encoding
    except calls_columnar.NotUtf8:  # the head was plain ASCII, the rest is Shift_JIS
        sums = calls_columnar.read(path, rel, layout, "cp932", keep, reading)
        encoding = "cp932"
    return _records(sums, encoding, keep)
