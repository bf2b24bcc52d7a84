"""Per-call records (通話明細, PBX and router call logs; SPEC §7) → one CallMonth per usage month.

A file is call records when a header row near its top names a start, a number called, a duration
and a charge (`labels.CALL_HEADER_WORDS`); a monthly detail table names none of the first two.
Records run to millions of rows (a year of a 400-number company is ten million), so a text file is
read column-wise in blocks with pyarrow's CSV reader, each column parsed by regular expression in
pyarrow (C++), and summed per block with pandas: memory is bounded by the block, not the file.
Values the fast path cannot read (full-width digits, 2024年1月5日) go to the same Python parsers
a workbook's cells go to, one row at a time; a row neither can read is a ReconError at its line.

Everything is an integer: starts in seconds, durations in tenths of a second, charges in
hundredths of a yen (sen), so a charge written 15.5 stays exactly 1,550 sen.

pandas and pyarrow are imported inside the functions that read records: a folder without call
records never loads them.
"""
from __future__ import annotations

import bisect
import codecs
import csv
import datetime as dt
import functools
import re
import unicodedata
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

from msgspec import Struct, field

from recon import labels
from recon.errors import ReconError
from recon.model import Call, CallMonth, Duration, Grid, Where
from recon.readers.decode import decode
from recon.values import clean

HEAD_BYTES = 65536  # where the header row must stand (title lines above it are allowed)
BLOCK_BYTES = 4 << 20  # one block of the text reader: about 60,000 calls (larger blocks read slower)
SCAN_BYTES = 16 << 20  # one piece of the scan for blank lines
WORKERS = 2  # threads that read the columns of blocks while pyarrow parses the next ones
PREMIUM_PREFIXES = ("0570", "0180", "0990")  # premium-rate services (ナビダイヤル, テレドーム, ダイヤルQ2)
INTERNATIONAL = "international"
_TYPE_PREFIXES = (("010", INTERNATIONAL), ("050", "ip"), ("070", "mobile"), ("080", "mobile"),
                  ("090", "mobile"))
_EPOCH = dt.datetime(1970, 1, 1)

# --------------------------------------------------------------------------- the header


class Columns(Struct, frozen=True):
    """Which column holds what: keys of labels.CALL_HEADER_WORDS → index; `seconds` when the
    duration column says its unit is seconds."""

    index: dict[str, int]
    width: int
    seconds: bool = False

    @property
    def start_key(self) -> str:
        return "start" if "start" in self.index else "time"

    @property
    def split_start(self) -> bool:
        """A date column beside a time column (else one column holds date and time)."""
        return "start" not in self.index and "date" in self.index


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
    return key, key == "duration" and (unit in labels.CALL_SECONDS_UNITS or words == "seconds" or words == "billsec")


def find_columns(cells: list[str]) -> Columns | None:
    """A header row of call records → its Columns; None when the row is not one."""
    index, seconds = {}, False
    for c, text in enumerate(cells):
        found = _column_key(text) if isinstance(text, str) and not _FIGURE.fullmatch(text) else None
        if found is None or found[0] in index:
            continue
        key = found[0]
        index[key] = c
        if key == "duration":
            seconds = found[1]
    has_start = "start" in index or "time" in index
    if not ({"called", "duration", "charge"} <= index.keys() and has_start):
        return None
    return Columns(index, len(cells), seconds)


class Layout(Struct, frozen=True):
    """A text file of call records: where its header is and how it is written."""

    columns: Columns
    header_line: int  # 1-based line of the header row
    delimiter: str
    encoding: str  # as recon names it (utf-8, utf-8-bom, cp932, utf-16-le …)

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
        columns = find_columns(_split_line(line, delimiter))
        if columns is not None:
            return Layout(columns, number, delimiter, encoding)
    return None


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


# --------------------------------------------------------------------------- one value, by Python

_START = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]+|$)"
                    r"(?:(\d{1,2})\s*[:時]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})(?:\.\d+)?\s*秒?|\s*分)?)?"
                    r"(?:\+09:?00|Z)?$")
_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIME = re.compile(r"^(\d{1,2})\s*[:時]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})(?:\.\d+)?\s*秒?|\s*分)?$")
_HMS = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:\.(\d)0*)?$")
_SECONDS = re.compile(r"^(\d+)(?:\.(\d)0*)?$")
_KANJI_DURATION = re.compile(r"^(?:(\d+)時間)?(?:(\d+)分)?(?:(\d+)(?:\.(\d)0*)?秒)?$")
_CHARGE = re.compile(r"^[¥\\]?(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2})0*)?(?:円)?$")


def parse_start(value: object, time: object = None) -> dt.datetime | None:
    """A start cell (or a date cell and a time cell) → a datetime; None when it is no start."""
    if isinstance(value, dt.datetime) and time is None:
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, dt.date):
        day = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = clean(value)
        m = _START.match(text) or _DATE.match(text)
        if not m:
            return None
        parts = [int(g) if g else 0 for g in m.groups()] + [0, 0, 0]
        try:
            day = dt.datetime(*parts[:6])
        except ValueError:
            return None
    else:
        return None
    if time is None:
        return day
    seconds = parse_time_of_day(time)
    return None if seconds is None else day + dt.timedelta(seconds=seconds)


def parse_time_of_day(value: object) -> int | None:
    """`9:03:02`, a time cell or an Excel time (a Duration under a day) → seconds after midnight."""
    if isinstance(value, dt.time):
        return value.hour * 3600 + value.minute * 60 + value.second
    if isinstance(value, dt.datetime):
        return value.hour * 3600 + value.minute * 60 + value.second
    if isinstance(value, Duration):
        return value.tenths // 10 if 0 <= value.tenths < 864000 else None
    if isinstance(value, str):
        m = _TIME.match(clean(value))
        if m:
            h, mi, s = (int(g) if g else 0 for g in m.groups())
            if h < 24 and mi < 60 and s < 60:
                return h * 3600 + mi * 60 + s
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
    text = clean(value).replace(" ", "")
    m = _HMS.match(text)
    if m:
        h, mi, s, f = m.groups()
        if int(mi) < 60 and int(s) < 60:
            return ((int(h or 0) * 60 + int(mi)) * 60 + int(s)) * 10 + int(f or 0)
        return None
    m = _SECONDS.match(text) or (_KANJI_DURATION.match(text) if text else None)
    if not m or not any(m.groups()):
        return None
    if len(m.groups()) == 2:
        return int(m.group(1)) * 10 + int(m.group(2) or 0)
    h, mi, s, f = m.groups()
    return ((int(h or 0) * 60 + int(mi or 0)) * 60 + int(s or 0)) * 10 + int(f or 0)


def parse_sen(value: object) -> int | None:
    """`8`, `15.5`, `¥1,234`, `8.00円`, a number cell → hundredths of a yen, exactly; None if not."""
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
    m = _CHARGE.match(text)
    if not m:
        return None
    sign, whole, fraction = m.groups()
    sen = int(whole.replace(",", "")) * 100 + int((fraction or "").ljust(2, "0"))
    return -sen if sign else sen


def number_digits(value: object) -> str:
    """A phone number as written → digits: `03-1234-5678` → 0312345678, `+81 3 …` → 03…,
    `+1 …` → 0101… (dialled from Japan)."""
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return ""
    text = re.sub(r"[^0-9+*#]", "", unicodedata.normalize("NFKC", value))
    return _international(text)


def _international(text: str) -> str:
    if text.startswith("+81"):
        return "0" + text[3:]
    if text.startswith("+"):
        return "010" + text[1:]
    return text


def type_from_number(called: str) -> str:
    """The call type a number called gives (SPEC §7): 010 international, 070/080/090 mobile,
    050 IP, 0570 ナビダイヤル …, other 0AB… general; any other prefix its own type."""
    for prefix, name in labels.CALL_PREFIX_TYPES.items():
        if called.startswith(prefix):
            return f"other:{name}"
    for prefix, type_id in _TYPE_PREFIXES:
        if called.startswith(prefix):
            return type_id
    if re.match(r"0[1-9]", called) and not called.startswith(("020", "060")):
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
    return labels.CALL_TYPE_ALIASES.get(unicodedata.normalize("NFKC", text).replace(" ", "").casefold(),
                                        type_id)


def is_watched(type_id: str, called: str) -> bool:
    """International and premium-rate calls: what stolen credentials are used for."""
    return type_id == INTERNATIONAL or called.startswith(PREMIUM_PREFIXES)


# --------------------------------------------------------------------------- the sums


class _Sums(Struct):
    """What one file contributes to each month, gathered block by block."""

    rel: str
    by_type: dict[tuple[int, str], list[int]] = field(default_factory=dict)  # (yyyymm, type) → sums
    by_number: dict[tuple[int, str], list[int]] = field(default_factory=dict)  # (yyyymm, number)
    watched: dict[int, list[Call]] = field(default_factory=dict)
    firsts: dict[tuple[int, str], int] = field(default_factory=dict)  # (yyyymm, number) → first start (s)
    frames: list = field(default_factory=list)  # every call, when kept for recon.frames

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

    def months(self) -> dict[str, CallMonth]:
        """yyyy-mm → the file's CallMonth."""
        types, numbers, firsts = _by_month(self.by_type), _by_month(self.by_number), _by_month(self.firsts)
        out = {}
        for ym in sorted(types):
            watched = tuple(sorted(self.watched.get(ym, ()), key=lambda c: (c.start, c.where.line or 0)))
            out[f"{ym // 100}-{ym % 100:02d}"] = CallMonth(
                (self.rel,), tuple((k, *v) for k, v in types[ym]), tuple((k, *v) for k, v in numbers.get(ym, ())),
                watched, tuple((n, _EPOCH + dt.timedelta(seconds=t)) for n, t in firsts.get(ym, ())))
        return out


def _by_month(table: dict) -> dict[int, list]:
    """{(yyyymm, key): value} → {yyyymm: [(key, value) …] by key}."""
    out: dict[int, list] = {}
    for (ym, key), value in sorted(table.items()):
        out.setdefault(ym, []).append((key, value))
    return out


class Records(Struct, frozen=True):
    """A file of call records as read: its months, its encoding, and (kept on request) every call
    as a pandas DataFrame."""

    months: dict[str, CallMonth]
    encoding: str | None
    frame: object = None


# --------------------------------------------------------------------------- a workbook's sheet


def find_in_grid(grid: Grid) -> tuple[int, Columns] | None:
    """(row index, Columns) of a call-records header among a sheet's first rows."""
    for index, row in enumerate(grid.rows[:50]):
        columns = find_columns([c.value if isinstance(c.value, str) else "" for c in row])
        if columns is not None:
            return index, columns
    return None


def read_grid(grid: Grid, rel: str, found: tuple[int, Columns], keep: bool = False) -> Records:
    """A sheet of call records (an .xlsx): every row after the header, read by Python."""
    index, columns = found
    sums = _Sums(rel)
    rows = []
    for row in grid.rows[index + 1:]:
        cells = {key: (row[c].value if c < len(row) else None) for key, c in columns.index.items()}
        if all(v is None or (isinstance(v, str) and not clean(v)) for v in cells.values()):
            continue
        places = {key: row[c].where for key, c in columns.index.items() if c < len(row)}
        rows.append(_python_row(cells, columns, places.get("called") or row[0].where, places))
    _add_rows(sums, rows, keep)
    return Records(sums.months(), None, _concat(sums.frames) if keep else None)


class _Row(Struct, frozen=True):
    start: dt.datetime
    calling: str
    called: str
    type_id: str
    tenths: int
    sen: int
    where: Where


def _python_row(cells: dict[str, object], columns: Columns, where: Where,
                places: dict[str, Where] | None = None) -> _Row:
    """One call's cells → a _Row; a cell that is not what its column holds is a located error (at
    the row's line, or the cell itself in a workbook: `places`)."""
    at = lambda key: (places or {}).get(key, where)
    if columns.split_start:
        start = parse_start(cells["date"], cells[columns.start_key])
    else:
        start = parse_start(cells[columns.start_key])
    if start is None:
        raise ReconError(at(columns.start_key), "call_start", _shown(cells.get("date"), cells[columns.start_key]))
    tenths = parse_duration(cells["duration"])
    if tenths is None:
        raise ReconError(at("duration"), "call_duration", _shown(cells["duration"]))
    sen = parse_sen(cells["charge"])
    if sen is None:
        raise ReconError(at("charge"), "call_charge", _shown(cells["charge"]))
    called = number_digits(cells["called"])
    type_id = type_from_label(cells["type"]) if isinstance(cells.get("type"), str) else None
    return _Row(start, number_digits(cells.get("calling")), called, type_id or type_from_number(called),
                tenths, sen, where)


def _shown(*values: object) -> str:
    text = " ".join(str(v) for v in values if v is not None)
    return text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text


def _add_rows(sums: _Sums, rows: list[_Row], keep: bool) -> None:
    """Rows read one by one (a sheet, or the rows the fast path left) → the sums."""
    for r in rows:
        ym = r.start.year * 100 + r.start.month
        sums.add(sums.by_type, (ym, r.type_id), 1, r.tenths, r.sen)
        sums.add(sums.by_number, (ym, r.calling), 1, r.tenths, r.sen)
        sums.first((ym, r.calling), int((r.start - _EPOCH).total_seconds()))
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
    frame = pd.concat(frames, ignore_index=True)
    return frame.sort_values(["start", "file", "line"], kind="stable", ignore_index=True)


# --------------------------------------------------------------------------- a text file, column-wise


def read_text(path: Path, rel: str, layout: Layout, keep: bool = False) -> Records:
    """A CSV/TSV of call records, block by block: the months it covers, summed."""
    import pyarrow as pa

    try:
        sums = _read_blocks(path, rel, layout, layout.codec, keep)
        encoding = layout.encoding
    except _NotUtf8:  # the head was plain ASCII, the rest is Shift_JIS
        sums = _read_blocks(path, rel, layout, "cp932", keep)
        encoding = "cp932"
    except pa.ArrowInvalid as e:
        raise ReconError(Where(rel, line=layout.header_line), "text_rows", str(e)[:200]) from None
    except UnicodeDecodeError:  # a byte the file's encoding (from its first lines) does not have
        raise ReconError(Where(rel), "decodable", None, tried=layout.encoding) from None
    return Records(sums.months(), encoding, _concat(sums.frames) if keep else None)


class _NotUtf8(Exception):
    pass


def _read_blocks(path: Path, rel: str, layout: Layout, codec: str, keep: bool) -> _Sums:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    columns = layout.columns
    names = [f"c{i}" for i in range(columns.width)]
    wanted = sorted({names[i] for i in columns.index.values()})
    bad: list[str] = []

    def invalid(row) -> str:
        bad.append(row.text)
        return "error"

    options = pacsv.ReadOptions(skip_rows=layout.header_line, column_names=names, block_size=BLOCK_BYTES,
                                encoding="utf8" if codec in ("utf-8", "utf-8-sig") else codec)
    parse = pacsv.ParseOptions(delimiter=layout.delimiter, invalid_row_handler=invalid,
                               quote_char=False if layout.delimiter == "\t" and rel.lower().endswith(".txt")
                               else '"')
    convert = pacsv.ConvertOptions(column_types={n: pa.string() for n in names}, include_columns=wanted,
                                   strings_can_be_null=False, quoted_strings_can_be_null=False)
    sums, lines, done = _Sums(rel), _Lines(path, rel, layout), 0
    try:
        reader = pacsv.open_csv(str(path), read_options=options, parse_options=parse, convert_options=convert)
        # pyarrow parses the next block (without the GIL) while a worker reads the columns of the
        # last ones (pyarrow kernels, without the GIL too); blocks are added up in file order.
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            lines.scan_in(pool)  # numpy lets go of the GIL: the scan runs beside the reading
            pending: deque = deque()
            for batch in reader:
                pending.append((done, pool.submit(_parse_block, batch, columns, keep)))
                done += batch.num_rows
                while len(pending) > WORKERS + 1:
                    offset, block = pending.popleft()
                    _add_block(sums, block.result(), lines, offset, keep)
            while pending:
                offset, block = pending.popleft()
                _add_block(sums, block.result(), lines, offset, keep)
    except pa.ArrowInvalid as e:
        if bad:
            raise ReconError(lines.of_text(bad[0]), "call_columns", bad[0][:60], columns=columns.width) from None
        if "UTF8" in str(e) and codec in ("utf-8", "utf-8-sig"):
            raise _NotUtf8() from None
        raise
    return sums


class _Lines:
    """Record number → file line. pyarrow skips blank lines, so a record's line is the header's
    plus its number plus the blank lines before it. Those are found once, the first time a line is
    asked for, by a scan of the bytes (C speed), not by reading the file again as text."""

    def __init__(self, path: Path, rel: str, layout: Layout):
        self.path, self.rel, self.layout = path, rel, layout
        self.columns = layout.columns
        self._blanks: list[int] | None = None  # per blank line after the header: records before it
        self._scanning = None  # the scan's future, when it runs in a thread

    def scan_in(self, pool) -> None:
        """Start the scan for blank lines in `pool` (before any line is asked for)."""
        self._scanning = pool.submit(self._scan)

    def _ready(self) -> list[int]:
        if self._blanks is None:
            self._blanks = self._scanning.result() if self._scanning else self._scan()
        return self._blanks

    def of(self, record: int) -> int:
        self._ready()
        return self.layout.header_line + 1 + record + bisect.bisect_right(self._blanks, record)

    def where(self, record: int) -> Where:
        return Where(self.rel, line=self.of(record))

    def of_many(self, records) -> list[int]:
        """The lines of many records (a numpy array of record numbers) at once."""
        import numpy as np

        self._ready()
        shift = np.searchsorted(np.asarray(self._blanks, dtype="int64"), records, side="right")
        return (self.layout.header_line + 1 + records + shift).tolist()

    def _chunks(self):
        """The file in pieces of bytes in which b"\n" ends a line (UTF-16 re-encoded as UTF-8),
        so that memory stays bounded however large the file."""
        decoder = codecs.getincrementaldecoder("utf-16")("replace") if self.layout.codec == "utf-16" else None
        with self.path.open("rb") as f:
            while piece := f.read(SCAN_BYTES):
                yield decoder.decode(piece).encode("utf-8") if decoder else piece

    def _scan(self) -> list[int]:
        """Per blank line after the header: the number of records before it. Vectorised: the
        line ends of a piece by numpy, a blank line where two are one byte apart (or two, with a
        CR between). A piece is kept from its last line end on, which opens the next one."""
        import numpy as np

        blanks: list[int] = []
        before, carry = 0, b""  # line ends before carry[0]; the piece's part after its last one
        for piece in self._chunks():
            data = carry + piece
            text = np.frombuffer(data, dtype=np.uint8)
            ends = np.flatnonzero(text == 10)
            if len(ends) == 0:
                carry = data
                continue
            gaps = np.diff(ends)
            blank = (gaps == 1) | ((gaps == 2) & (text[ends[:-1] + 1] == 13))
            for i in np.flatnonzero(blank).tolist():
                blank_line = before + i + 2  # the line after the (i+1)-th line end
                if blank_line > self.layout.header_line:
                    blanks.append(blank_line - self.layout.header_line - 1 - len(blanks))
            before += len(ends) - 1
            carry = data[ends[-1]:]
        return blanks

    def of_text(self, text: str) -> Where:
        """Where a row that pyarrow quotes by its text stands (the first line after the header)."""
        codec = self.layout.codec if self.layout.codec == "cp932" else "utf-8"
        wanted = b"\n" + text.encode(codec, errors="replace")
        line, tail = 1, b""
        for piece in self._chunks():
            data = tail + piece
            at = data.find(wanted)
            while at >= 0:
                found = line + data.count(b"\n", 0, at + 1)
                if found > self.layout.header_line:
                    return Where(self.rel, line=found)
                at = data.find(wanted, at + 1)
            keep = min(len(data), len(wanted))
            line += data.count(b"\n", 0, len(data) - keep)
            tail = data[len(data) - keep:]
        return Where(self.rel, line=self.layout.header_line)


def _named(pattern: str) -> str:
    """pyarrow's extract_regex wants every group named: (…) → (?P<g0>…), in order."""
    count = iter(range(100))
    return re.sub(r"(?<!\\)\((?!\?)", lambda m: f"(?P<g{next(count)}>", pattern)


_FAST_START = _named(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\+09:?00|Z)?$")
_FAST_DATE = _named(r"^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})$")
_FAST_TIME = _named(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$")
_FAST_HMS = _named(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:\.(\d)0*)?$")
_FAST_SECONDS = _named(r"^(\d+)(?:\.(\d)0*)?$")
_FAST_CHARGE = _named(r"^[¥\\]?(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2})0*)?円?$")


class _Block(Struct):
    """One block of rows read column-wise: its sums, and the rows the sums need one by one."""

    by_type: list  # ((yyyymm, type id), calls, tenths, sen)
    by_number: list  # ((yyyymm, number), calls, tenths, sen, first start)
    watched: list  # (record in block, start s, yyyymm, number, called, type id, tenths, sen)
    slow: dict  # key → raw cells of the rows no fast path reads, and "record" → their numbers
    frame: object = None  # every call of the block (kept for recon.frames), lines still to place


def _parse_block(batch, columns: Columns, keep: bool) -> _Block:
    """One block of rows: parsed column-wise and summed; pure arrays, no Python per row (but for
    the watched calls, and the rows the fast paths cannot read)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    col = {key: _combined(batch.column(f"c{i}")) for key, i in columns.index.items()}
    start_s, ym, ok = _fast_starts(col, columns)
    tenths, ok_d = _fast_durations(col["duration"])
    sen, ok_c = _fast_charges(col["charge"])
    called = _called(col["called"])
    ok = ok & ok_d & ok_c
    slow = np.flatnonzero(~ok)
    if len(slow):  # rows no fast path reads: blank rows are skipped, the rest read by Python
        slow = slow[~_blank_rows({k: v.take(pa.array(slow)) for k, v in col.items()})]

    type_names, type_codes = _types(col.get("type"), called)
    number_names, number_codes = _calling(col.get("calling"), batch.num_rows)

    keep_rows = np.flatnonzero(ok)
    table = pa.table({"ym": ym[keep_rows], "type": type_codes[keep_rows], "number": number_codes[keep_rows],
                      "tenths": tenths[keep_rows], "sen": sen[keep_rows], "start": start_s[keep_rows]})
    by_type = [((m, type_names[t]), n, t_sum, s_sum) for m, t, n, t_sum, s_sum in _grouped(table, "type")]
    by_number = [((m, number_names[k]), n, t_sum, s_sum, first)
                 for m, k, n, t_sum, s_sum, first in _grouped(table, "number", first=True)]

    watched_types = [i for i, name in enumerate(type_names) if name == INTERNATIONAL]
    premium = pc.starts_with(called, PREMIUM_PREFIXES[0])
    for prefix in PREMIUM_PREFIXES[1:]:
        premium = pc.or_(premium, pc.starts_with(called, prefix))
    rows = np.flatnonzero((np.isin(type_codes, watched_types) | _np(premium)) & ok)
    watched = list(zip(rows.tolist(), start_s[rows].tolist(), ym[rows].tolist(),
                       [number_names[c] for c in number_codes[rows]], called.take(pa.array(rows)).to_pylist(),
                       [type_names[c] for c in type_codes[rows]], tenths[rows].tolist(), sen[rows].tolist()))
    raw = {key: col[key].take(pa.array(slow)).to_pylist() for key in col} if len(slow) else {}
    raw["record"] = slow.tolist()
    kept = None
    if keep:
        import pandas as pd

        kept = pd.DataFrame({
            "start": start_s[keep_rows].astype("datetime64[s]"),
            "calling": np.asarray(number_names, dtype=object)[number_codes[keep_rows]],
            "called": np.asarray(called.to_pylist(), dtype=object)[keep_rows],
            "type": np.asarray(type_names, dtype=object)[type_codes[keep_rows]],
            "tenths": tenths[keep_rows], "sen": sen[keep_rows], "record": keep_rows})
    return _Block(by_type, by_number, watched, raw, kept)


def _add_block(sums: _Sums, block: _Block, lines: _Lines, offset: int, keep: bool) -> None:
    """A parsed block into the file's sums, in file order: records placed on their lines, the
    watched calls made Calls, the rows the fast paths left read by Python (or a located error)."""
    import numpy as np

    for key, count, tenths, sen in block.by_type:
        sums.add(sums.by_type, key, count, tenths, sen)
    for key, count, tenths, sen, first in block.by_number:
        sums.add(sums.by_number, key, count, tenths, sen)
        sums.first(key, first)
    places = lines.of_many(np.array([w[0] for w in block.watched], dtype="int64") + offset) if block.watched else []
    for (_, start_s, ym, number, called, type_id, tenths, sen), line in zip(block.watched, places):
        sums.watched.setdefault(ym, []).append(Call(_EPOCH + dt.timedelta(seconds=start_s), number, called, type_id,
                                                    tenths, sen, Where(sums.rel, line=line)))
    if keep:
        frame = block.frame
        frame["file"] = sums.rel
        frame["line"] = np.asarray(lines.of_many(frame.pop("record").to_numpy() + offset), dtype="int64")
        sums.frames.append(frame)
    records = block.slow.pop("record")
    if records:
        rows = [_python_row({k: v[j] for k, v in block.slow.items()}, lines.columns, lines.where(offset + i))
                for j, i in enumerate(records)]
        _add_rows(sums, rows, keep)


def _grouped(table, key: str, first: bool = False):
    """(yyyymm, key, calls, tenths, sen[, first start]) per (month, key) of a block, as Python
    ints. pyarrow's group_by rather than pandas': on a block of 60,000 calls it takes 0.022 µs a
    call against 0.145 (benchmarks/calls.py: 1.2 s of 8 at ten million), and it sums int64 exactly."""
    aggregates = [("sen", "count"), ("tenths", "sum"), ("sen", "sum")] + ([("start", "min")] if first else [])
    out = table.group_by(["ym", key], use_threads=False).aggregate(aggregates)
    names = ["ym", key, "sen_count", "tenths_sum", "sen_sum"] + (["start_min"] if first else [])
    return zip(*(out.column(name).to_pylist() for name in names))


def _np(array):
    """An arrow array (or one-chunk column) → numpy; a copy only where arrow must make one."""
    array = array.combine_chunks() if hasattr(array, "combine_chunks") else array
    return array.to_numpy(zero_copy_only=False)


def _combined(column):
    return column.combine_chunks() if hasattr(column, "combine_chunks") else column


# The fast paths: each reads the shape machines write with one pyarrow kernel (strptime, split,
# cast); a block with other shapes falls back on the regular expressions below, and a row neither
# reads goes to Python. Regular expressions cost three to five times a kernel.
_START_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")  # 19 characters each


def _fast_starts(col: dict, columns: Columns):
    """(seconds since 1970 in local time, yyyymm, readable) per row. A block of fixed-width starts
    (2024/01/05 09:03:02) in one format by strptime; since strptime rolls 2024/02/30 over into
    March and :60 into the next minute, each day and second is checked against its digits. Any
    other block by regular expression."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    text = col[columns.start_key]
    if columns.split_start:
        text = pc.binary_join_element_wise(col["date"], text, " ")
    parsed = None
    if len(text) and pc.min_max(pc.utf8_length(text)).as_py() == {"min": 19, "max": 19}:
        for form in _START_FORMATS:
            parsed = pc.strptime(text, format=form, unit="s", error_is_null=True)
            if parsed.null_count == 0:
                break
            parsed = None
    if parsed is not None:
        seconds = _np(parsed.cast(pa.int64())).copy()  # rows the regex reads are written in
        digits = lambda at: _np(pc.cast(pc.utf8_slice_codeunits(text, at, at + 2), pa.int64()))
        ok = (digits(8) == _np(pc.day(parsed))) & (digits(17) < 60)
    else:
        seconds, ok = np.zeros(len(text), dtype="int64"), np.zeros(len(text), dtype=bool)
    if not ok.all():
        y, mo, d, second_of_day, by_regex = _starts(col, columns)
        use = by_regex & ~ok
        seconds[use] = (_days(y, mo, d) * 86400 + second_of_day)[use]
        ok |= use
    months = seconds.astype("datetime64[s]").astype("datetime64[M]").astype("int64")
    return seconds, (months // 12 + 1970) * 100 + months % 12 + 1, ok


def _fast_durations(column):
    """Tenths per row: h:mm:ss or whole seconds by one split or cast; other shapes by regex."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        parts = pc.split_pattern(column, ":")
        if pc.min_max(pc.list_value_length(parts)).as_py() == {"min": 3, "max": 3}:
            hms = _np(pc.cast(pc.list_flatten(parts), pa.int64())).reshape(-1, 3)
            ok = (hms >= 0).all(axis=1) & (hms[:, 1] < 60) & (hms[:, 2] < 60)
            return ((hms[:, 0] * 60 + hms[:, 1]) * 60 + hms[:, 2]) * 10, ok
        whole = _np(pc.cast(column, pa.int64()))
        return whole * 10, whole >= 0
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return _durations(column)


def _fast_charges(column):
    """Sen per row: whole yen by one cast, yen to the sen by an exact decimal cast; else regex."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        return _np(pc.cast(column, pa.int64())) * 100, np.ones(len(column), dtype=bool)
    except pa.ArrowInvalid:
        pass
    if not pc.all(pc.match_substring_regex(column, r"^-?\d+(\.\d{1,2})?$")).as_py():
        return _charges(column)  # 1e3, +5 and the like: the same judgement as parse_sen, row by row
    try:
        exact = pc.cast(column, pa.decimal128(18, 2))  # refuses a third decimal rather than round it
        return _np(pc.cast(pc.multiply(exact, pa.scalar(100, pa.decimal128(3, 0))), pa.int64())), \
            np.ones(len(column), dtype=bool)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return _charges(column)


def _called(column):
    """Numbers called → digits: only `-` to drop in the usual case, see _numbers otherwise."""
    import pyarrow.compute as pc

    digits = pc.replace_substring(column, "-", "")
    if not pc.all(pc.ascii_is_decimal(digits)).as_py():
        if not pc.all(pc.string_is_ascii(digits)).as_py():
            digits = pc.utf8_normalize(digits, "NFKC")
        digits = _numbers(digits)
    return digits


def _calling(column, rows: int):
    """(numbers, a code per row): a company has few numbers, so each is normalised once."""
    import numpy as np
    import pyarrow.compute as pc

    if column is None:
        return [""], np.zeros(rows, dtype="int32")
    encoded = pc.dictionary_encode(column)
    digits = [_digits(written) for written in encoded.dictionary.to_pylist()]
    names = sorted(set(digits))
    code = {name: i for i, name in enumerate(names)}
    return names, np.array([code[d] for d in digits], dtype="int32")[encoded.indices.to_numpy(zero_copy_only=False)]


@functools.lru_cache(maxsize=4096)
def _digits(written: str) -> str:
    """number_digits, once per number as written (every block of a file holds the same few)."""
    return number_digits(written)


def _ints(match, index: int, default: int = 0):
    """Group `index` of a regex match struct → int64 numpy (a missing group → default)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    part = pc.struct_field(match, [index])
    part = pc.if_else(pc.equal(part, ""), str(default), part)
    part = pc.fill_null(part, str(default))
    return _np(pc.cast(part, pa.int64()))


def _matched(match):
    import pyarrow.compute as pc

    return _np(pc.is_valid(match))


def _starts(col: dict, columns: Columns):
    """(year, month, day, second of the day, readable) per row, from one column or date + time."""
    import numpy as np
    import pyarrow.compute as pc

    if columns.split_start:
        date = pc.extract_regex(col["date"], _FAST_DATE)
        time = pc.extract_regex(col[columns.start_key], _FAST_TIME)
        y, mo, d = (_ints(date, i) for i in range(3))
        h, mi, s = (_ints(time, i) for i in range(3))
        ok = _matched(date) & _matched(time)
    else:
        start = pc.extract_regex(col[columns.start_key], _FAST_START)
        y, mo, d, h, mi, s = (_ints(start, i) for i in range(6))
        ok = _matched(start)
    valid = (mo >= 1) & (mo <= 12) & (d >= 1) & (d <= _month_days(y, mo)) & (h < 24) & (mi < 60) & (s < 60)
    ok = ok & valid
    return (np.where(ok, y, 1970), np.where(ok, mo, 1), np.where(ok, d, 1), np.where(ok, h * 3600 + mi * 60 + s, 0),
            ok)


def _month_days(y, mo):
    import numpy as np

    days = np.array([31, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(mo, 0, 12)]
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    return days + ((mo == 2) & leap)


def _days(y, m, d):
    """Days since 1970-01-01 of each civil date (H. Hinnant's days_from_civil), vectorised."""
    y = y - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (m > 2) * -3 + (m <= 2) * 9) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _durations(column):
    """Tenths of a second per row, from h:mm:ss(.f), mm:ss or seconds (the shape decides)."""
    import numpy as np
    import pyarrow.compute as pc

    hms = pc.extract_regex(column, _FAST_HMS)
    secs = pc.extract_regex(column, _FAST_SECONDS)
    h, mi, s, f = (_ints(hms, i) for i in range(4))
    whole, tenth = _ints(secs, 0), _ints(secs, 1)
    is_hms, is_secs = _matched(hms), _matched(secs)
    tenths = np.where(is_hms, ((h * 60 + mi) * 60 + s) * 10 + f, whole * 10 + tenth)
    ok = (is_hms & (mi < 60) & (s < 60)) | is_secs
    return tenths.astype("int64"), ok


def _charges(column):
    """Hundredths of a yen per row: `8`, `15.5`, `1,234`, `¥8`, `8円` (exact, no float)."""
    import numpy as np
    import pyarrow.compute as pc

    m = pc.extract_regex(column, _FAST_CHARGE)
    whole = pc.replace_substring(pc.fill_null(pc.struct_field(m, [1]), "0"), ",", "")
    whole = _np(pc.cast(pc.if_else(pc.equal(whole, ""), "0", whole), "int64"))
    fraction = pc.fill_null(pc.struct_field(m, [2]), "")
    fraction = pc.utf8_slice_codeunits(pc.binary_join_element_wise(fraction, "00", ""), 0, 2)
    sen = whole * 100 + _np(pc.cast(fraction, "int64"))
    negative = _np(pc.fill_null(pc.equal(pc.struct_field(m, [0]), "-"), False))
    return np.where(negative, -sen, sen).astype("int64"), _matched(m)


def _numbers(column):
    """Phone numbers → digits, +81 as 0 and + as 010 (see number_digits)."""
    import pyarrow.compute as pc

    digits = pc.replace_substring_regex(column, r"[^0-9+*#]", "")
    digits = pc.replace_substring_regex(digits, r"^\+81", "0")
    return pc.replace_substring_regex(digits, r"^\+", "010")


def _blank_rows(col: dict):
    """Rows whose every wanted cell is empty (a row of commas): skipped like a blank line."""
    import pyarrow.compute as pc

    blank = None
    for column in col.values():
        empty = _np(pc.equal(pc.utf8_length(column), 0))
        blank = empty if blank is None else blank & empty
    return blank


def _types(labels_column, called):
    """(type ids, a code per row): from the type column where it says, else the number called."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    names: list[str] = []
    codes = np.full(len(called), -1, dtype="int32")
    if labels_column is not None:
        encoded = pc.dictionary_encode(labels_column)
        ids = [type_from_label(v) for v in encoded.dictionary.to_pylist()]
        lookup = np.array([_code(names, i) if i else -1 for i in ids] or [-1], dtype="int32")
        codes = lookup[encoded.indices.to_numpy(zero_copy_only=False)]
    todo = np.flatnonzero(codes < 0)
    if len(todo):
        prefixes = pc.utf8_slice_codeunits(called.take(pa.array(todo)), 0, 4).to_pylist()
        cache: dict[str, int] = {}
        codes[todo] = [cache.setdefault(p, _code(names, type_from_number(p))) for p in prefixes]
    return names, codes


def _code(names: list[str], type_id: str) -> int:
    if type_id not in names:
        names.append(type_id)
    return names.index(type_id)
