"""A text file of call records (CSV/TSV), read column-wise by polars: every value parsed and every
sum taken in the engine, a batch of BATCH_ROWS rows at a time, so memory is bounded by the batch
(and the engine's read-ahead), not the file.

polars scans the file itself (a Shift_JIS or UTF-16 one through a temporary UTF-8 copy), on every
core, and parses each column as it reads: the shape the file's first value has by a kernel
(strptime, a cast). A value that kernel leaves is read by the regular expressions below, in the
engine, on those rows alone (a date without its year, a zone, `\\1,234`, `15.5`, `+81 …`). What
neither reads goes to the Python parsers of `recon.calls`, row by row, which say where: a subtotal
or total row (told by its words, checked against the calls above it), and the values the engine
has no pattern for (`2分5秒`, full-width digits, a zero-width space a web copy leaves before each
cell). Those stay in Python because they are rare and Python reads a row for about 90 µs of CPU
where the engine takes 5 (100,000 rows of `2分5秒` against `0:02:05`): a file written so is read
right, twenty times slower. polars keeps a blank line as a row of empty cells, so a row's line is
the header's plus one plus its number.

polars rather than pyarrow or DuckDB: reading a year of three million calls and summing it by
month and type with every start, duration and charge parsed took 2.2 s of CPU with polars, 3.3 s
with DuckDB and 4.4 s with pyarrow (2 cores, whole processes, five rounds; benchmarks/calls.py
--engines).
"""
from __future__ import annotations

import codecs
import contextlib
import csv
import functools
import itertools
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import polars as pl

from recon.calls import (
    _DIALLED as calls_dialled,
    _FIRST_S,
    _LAST_S,
    _MONTH_NAMES,
    _YEARS,
    HEAD_BYTES,
    INTERNATIONAL,
    JAPAN,
    MAX_OTHER_COLUMNS,
    NO_READING,
    PREMIUM_PREFIXES,
    Columns,
    Layout,
    Reading,
    _add_rows,
    _python_row,
    _run,
    _Sums,
    _Total,
    _zone_offset,
    direction,
    is_yen,
    number_digits,
    type_from_label,
    type_from_number,
    zone_seconds,
)
from recon.errors import ReconError
from recon.model import Call, Where

PIECE_BYTES = 32 << 20  # what is turned into UTF-8 at a time
BATCH_ROWS = 250_000  # the rows one batch holds (about 17 MB of records)
_START_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")  # 19 characters each
_I64 = pl.Int64
# as number_digits dials them (its rules, in its order), in the engine's syntax for a group
_DIALLED = tuple((pattern, replacement.replace(r"\1", "${1}")) for pattern, replacement in calls_dialled)



class NotUtf8(Exception):
    """A file taken for UTF-8 by its first lines that is not (the rest is Shift_JIS)."""


def _named(pattern: str) -> str:
    """Every group of a pattern named, in order: (…) → (?P<g0>…), the field of the engine's match."""
    count = iter(range(100))
    return re.sub(r"(?<!\\)\((?!\?)", lambda m: f"(?P<g{next(count)}>", pattern)


_FAST_ZONE = r"(Z|UTC?|GMT|JST|[+-]\d{2}:?\d{2})"
_FAST_START = _named(r"^(?:(\d{4})[-/.年])?(\d{1,2})[-/.月](\d{1,2})日?[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
                     rf"\s*{_FAST_ZONE}?$")
_FAST_RFC2822 = _named(r"^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
                       rf"\s*{_FAST_ZONE}?$")
# a date with its year (2024/01/05, 20240105, 2024年1月5日), or without (01/05, 1月5日); a time of day
# after it (Excel's 2024/01/05 0:00) is not the call's when a time column stands beside
_FAST_DATE = _named(r"^(?:(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})|(\d{1,2})[-/.月](\d{1,2}))日?(?:[ T].*)?$")
_FAST_TIME = _named(rf"^(\d{{1,2}}):(\d{{2}})(?::(\d{{2}})(?:\.\d+)?)?\s*{_FAST_ZONE}?$")
_FAST_HMS = _named(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:\.(\d)0*)?$")
_FAST_SECONDS = _named(r"^(\d+)(?:\.(\d)0*)?$")
_FAST_CHARGE = _named(r"^(-?)[¥\\]?(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2})0*)?円?$")


def read(path: Path, rel: str, layout: Layout, codec: str, keep: bool, reading: Reading = NO_READING) -> _Sums:
    """The file's sums, batch by batch in file order. NotUtf8 when a file taken for UTF-8 is not;
    ReconError at a row's line for a row of another width or a value no parser reads."""
    with _utf8(path, rel, layout, codec) as source:
        sums = _Sums(rel)
        try:
            scan = _scan(source, rel, layout)
            head = scan.head(50).select(_start_text(layout.columns).alias("start"), "duration").collect()
            forms = (_form_of(head["start"]), _duration_form(head["duration"]))
            plan = scan.with_columns(**_fast(layout.columns, *forms))
            plan = plan.with_columns(month_fixed=_month(pl.col("start_fixed")))
            for batch in plan.collect_batches(chunk_size=BATCH_ROWS):
                if batch.height:
                    _add_batch(sums, batch, _Rows(source, layout), keep, reading)
        except pl.exceptions.PolarsError as e:  # what the engine cannot split into rows (a quote left open)
            if "utf-8" in str(e) and codec in ("utf-8", "utf-8-sig"):
                raise NotUtf8() from None
            raise ReconError(Where(rel, line=layout.header_line), "text_rows", str(e).splitlines()[0][:200]) from None
    return sums


@contextlib.contextmanager
def _utf8(path: Path, rel: str, layout: Layout, codec: str) -> Iterator[Path]:
    """The file itself when it is UTF-8, else a temporary UTF-8 copy of it (Shift_JIS, UTF-16),
    made a piece at a time and removed after."""
    if codec in ("utf-8", "utf-8-sig"):
        yield path
        return
    decoder = codecs.getincrementaldecoder(codec)("strict")
    with tempfile.TemporaryDirectory(prefix="recon-") as folder:
        copy = Path(folder) / "calls.csv"
        with path.open("rb") as f, copy.open("wb") as out:
            try:
                while raw := f.read(PIECE_BYTES):
                    out.write(decoder.decode(raw).encode("utf-8"))
                out.write(decoder.decode(b"", final=True).encode("utf-8"))
            except UnicodeDecodeError:
                raise ReconError(Where(rel), "decodable", None, tried=layout.encoding) from None
        yield copy


def _scan(source: Path, rel: str, layout: Layout) -> pl.LazyFrame:
    """The rows after the header as text, one column a key (`c<i>` for the others, whose words a
    total row may hold), `wider` for a field past the row's width, and `record`, the row's number
    after the header (a blank line is a row of empty cells: the row's line is header + 1 + record)."""
    columns = layout.columns
    names = [f"c{i}" for i in range(columns.width)] + ["wider"]
    with source.open("rb") as f:
        head = f.read(HEAD_BYTES)
    scan = pl.scan_csv(source, has_header=False, skip_lines=layout.header_line, separator=layout.delimiter,
                       quote_char=None if layout.delimiter == "\t" and rel.lower().endswith(".txt") else '"',
                       eol_char="\r" if b"\n" not in head and b"\r" in head else "\n",  # CR alone: classic Mac
                       schema=dict.fromkeys(names, pl.String), empty_string_is_null=False, truncate_ragged_lines=True,
                       missing_columns="insert", extra_columns="ignore", raise_if_empty=False)
    wanted = set(columns.index.values())
    others = [f"c{i}" for i in range(columns.width) if i not in wanted][:MAX_OTHER_COLUMNS]
    return scan.with_row_index("record").select(
        pl.col("record").cast(_I64), *(pl.col(f"c{i}").alias(key) for key, i in columns.index.items()), *others,
        "wider")


class _Rows:
    """Where a batch's rows stand in the file, and the raw line of one of them (for an error)."""

    def __init__(self, source: Path, layout: Layout):
        self.source, self.layout = source, layout

    def line(self, record: int) -> int:
        return self.layout.header_line + 1 + record

    def fields(self, record: int) -> int | None:
        """How many fields the csv module splits the row's line into (None: no such line)."""
        wanted = self.line(record)
        with self.source.open("rb") as f:
            raw = next(itertools.islice(f, wanted - 1, wanted), None)
        if raw is None:
            return None
        text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        if self.layout.delimiter == "\t" and '"' not in text:
            return len(text.split("\t"))
        try:
            return len(next(csv.reader([text], delimiter=self.layout.delimiter), []))
        except csv.Error:  # a CR inside the line, which the engine took as a character of its cell
            return None


# --------------------------------------------------------------------------- one batch


def _fast(columns: Columns, form: str | None, duration_form: str | None) -> dict[str, pl.Expr]:
    """The kernels every row goes through, evaluated by the engine as it reads (null: another
    shape, read by regular expression after)."""
    dialled = pl.col("called").str.replace_all("-", "", literal=True)
    return {"start_fixed": _fixed_start(_start_text(columns), form),
            "tenths_fixed": _fixed_duration(pl.col("duration"), duration_form),
            "sen_fixed": _fixed_charge(pl.col("charge")),
            "dialled": dialled,
            # digits as dialled in Japan already (0, then not 0): a cast tells digits five times faster than a pattern
            "as_dialled": (dialled.str.starts_with("0") & ~dialled.str.starts_with("00")
                           & dialled.cast(_I64, strict=False).is_not_null()),
            "blank": _all(pl.col(key) == "" for key in columns.index)}


def _add_batch(sums: _Sums, batch: pl.DataFrame, rows: _Rows, keep: bool, reading: Reading) -> None:
    """A batch's rows into the file's sums, in file order: the calls the engine reads summed by
    (month, type) and (month, number), the watched ones made Calls, the rest read by Python (or a
    located error), a total among them checked against the calls above it."""
    calls = _parsed(batch, rows.layout.columns, reading)
    engine, keys = _sum_into(sums, calls)
    _watched_into(sums, calls, keys, rows)
    if keep:
        sums.frames.append(calls.filter(pl.col("ym").is_not_null()).select(
            pl.from_epoch("start", "s").alias("start"), _as_digits(pl.col("calling")).alias("calling"), "called",
            pl.col("type").replace_strict({k: _type_of(k) for k in keys}, return_dtype=pl.String),
            "tenths", "sen", pl.lit(sums.rel).alias("file"),
            (pl.col("record") + rows.line(0)).cast(_I64).alias("line")))
    incoming = (0, 0, 0) if "direction" not in batch.columns else calls.filter(
        pl.col("ok") & pl.col("incoming")).select(pl.len(), pl.col("tenths").sum(), pl.col("sen").sum()).row(0)
    by_python = _slow_rows(sums, batch, calls, rows, keep, reading)
    sums.running = [a + b + c for a, b, c in zip(sums.running, [*engine, *incoming], by_python, strict=True)]


def _parsed(batch: pl.DataFrame, columns: Columns, reading: Reading) -> pl.DataFrame:
    """Per row: record, start (s since 1970, Japan time), tenths, sen, incoming, the number called
    (digits), type (its key: see _type_keys), calling (as written), and `ok` (the engine read it)
    or `skip` (a blank row)."""
    zoned, rewritten = _patched(batch, "start_fixed", lambda sub: _written_starts(sub, columns, reading))
    tenths, _ = _patched(batch, "tenths_fixed", _written_durations)
    sen, _ = _patched(batch, "sen_fixed", _written_charges)
    called = batch["dialled"] if batch["as_dialled"].all() else _called(batch["dialled"])
    incoming, known = _directions(batch.get_column("direction", default=None),
                                  batch.get_column("currency", default=None), batch.height)
    start = _in_japan(zoned["start"], zoned["offset"], reading)
    calls = pl.DataFrame({"record": batch["record"], "start": start, "tenths": tenths["tenths"], "sen": sen["sen"],
                          "incoming": incoming, "known": known, "called": called, "blank": batch["blank"],
                          "wider": batch["wider"] != ""})
    calling = batch.get_column("calling", default=None)
    # the month the engine took as it read, unless a start was read after or moved into Japan time
    month = batch["month_fixed"] if not rewritten and start is zoned["start"] else _month(pl.col("start"))
    return calls.with_columns(
        type=_type_keys(batch.get_column("type", default=None), called),
        calling=calling if calling is not None else pl.lit(""),
        ok=(pl.col("start").is_not_null() & pl.col("tenths").is_not_null() & pl.col("sen").is_not_null()
            & pl.col("known") & ~pl.col("wider")),
        skip=pl.col("blank") & ~pl.col("wider")).with_columns(
        ym=pl.when(pl.col("ok") & ~pl.col("incoming")).then(month))  # the month of a call counted (null: not counted)


def _month(start: pl.Expr) -> pl.Expr:
    """yyyymm of a start (seconds since 1970)."""
    day = (start // 86400).cast(pl.Date)
    return day.dt.year().cast(_I64) * 100 + day.dt.month()


def _patched(batch: pl.DataFrame, fixed: str,
             written: Callable[[pl.DataFrame], pl.DataFrame]) -> tuple[dict[str, pl.Series], bool]:
    """The column a kernel read (`fixed`: start_fixed → start and offset, tenths_fixed → tenths,
    sen_fixed → sen), its nulls in rows not blank filled by `written` (a function of those rows →
    a frame of the same columns); and whether any was."""
    name = fixed.removesuffix("_fixed")
    values = {name: batch[fixed]}
    if name == "start":
        values["offset"] = pl.repeat(None, batch.height, dtype=_I64, eager=True)
    todo = batch.select(pl.arg_where(pl.col(fixed).is_null() & ~pl.col("blank"))).to_series()
    if not len(todo):
        return values, False
    found = written(batch[todo])
    return {c: values[c].clone().scatter(todo, found[c]) for c in values}, True


def _all(exprs: Iterable[pl.Expr]) -> pl.Expr:
    out = pl.lit(True)
    for e in exprs:
        out = out & e
    return out


def _sum_into(sums: _Sums, calls: pl.DataFrame) -> tuple[list[int], list[str]]:
    """The calls counted in a batch (those with a month), by (month, type) and (month, number)
    with each number's first start, both at once, each type and number as written judged once;
    returns their calls, tenths and sen, and the type keys the batch holds."""
    figures = [pl.len().alias("n"), pl.col("tenths").sum(), pl.col("sen").sum()]
    counted = calls.lazy().filter(pl.col("ym").is_not_null())
    by_type, by_number, signs = pl.collect_all([
        counted.group_by("ym", "type").agg(figures),
        counted.group_by("ym", "calling").agg(*figures, pl.col("start").min()),
        counted.select((pl.col("sen") > 0).any().alias("credit"), (pl.col("sen") < 0).any().alias("debit"))])
    whole, keys = [0, 0, 0], set()
    for ym, key, n, tenths, sen in by_type.iter_rows():
        sums.add(sums.by_type, (ym, _type_of(key)), n, tenths, sen)
        whole = [whole[0] + n, whole[1] + tenths, whole[2] + sen]
        keys.add(key)
    for ym, number, n, tenths, sen, first in by_number.iter_rows():
        sums.add(sums.by_number, (ym, _digits(number)), n, tenths, sen)
        sums.first((ym, _digits(number)), first)
    sums.signs |= {s for s, present in zip((1, -1), signs.row(0), strict=True) if present}
    return whole, sorted(keys)


def _watched_into(sums: _Sums, calls: pl.DataFrame, keys: list[str], rows: _Rows) -> None:
    """International and premium-rate calls, which the toll-fraud watch looks at one by one."""
    international = [k for k in keys if _type_of(k) == INTERNATIONAL]
    premium = pl.any_horizontal(*(pl.col("called").str.starts_with(p) for p in PREMIUM_PREFIXES))
    watched = calls.filter(pl.col("ym").is_not_null() & (pl.col("type").is_in(international) | premium)).select(
        pl.from_epoch("start", "s"), "calling", "called", "type", "tenths", "sen", "ym",
        pl.col("record") + rows.line(0))
    rel = sums.rel
    for start, number, called, key, tenths, sen, ym, line in zip(*(c.to_list() for c in watched.get_columns()),
                                                                 strict=True):
        sums.watched.setdefault(ym, []).append(Call(start, _digits(number), called, _type_of(key), tenths, sen,
                                                    Where(rel, line=line)))


def _slow_rows(sums: _Sums, batch: pl.DataFrame, calls: pl.DataFrame, rows: _Rows, keep: bool,
               reading: Reading) -> list[int]:
    """The rows the engine left, read by Python in file order (a total row checked against the
    calls above it); returns the figures of the calls read so (outgoing, then incoming)."""
    by_python = [0] * 6
    slow = calls.filter(~pl.col("ok") & ~pl.col("skip"))["record"]
    if not len(slow):
        return by_python
    first = batch["record"][0]
    counted, incoming = pl.col("ok") & ~pl.col("incoming"), pl.col("ok") & pl.col("incoming")
    figures = calls.select(*(pl.when(kind).then(value).otherwise(0).cast(_I64).alias(f"{k}{v}")
                             for k, kind in enumerate((counted, incoming))
                             for v, value in enumerate((pl.lit(1), pl.col("tenths"), pl.col("sen")))))
    at = (slow - first).to_list()
    before = figures.with_columns(pl.all().cum_sum() - pl.all())[at].rows()
    columns = rows.layout.columns
    keys = [key for key in columns.index if key in batch.columns]
    others = [name for name in batch.columns if name.startswith("c") and name[1:].isdigit()]
    found = []
    for record, i, above in zip(slow.to_list(), at, before, strict=True):
        where = Where(sums.rel, line=rows.line(record))
        cells = batch.row(i, named=True)
        if cells["wider"]:
            raise ReconError(where, "call_columns", _row_text(cells, keys, others), columns=columns.width)
        try:
            item = _python_row({key: cells[key] for key in keys}, columns, where, reading,
                               others=[cells[name] for name in others])
        except ReconError:
            if rows.fields(record) not in (None, columns.width):  # a row short of fields
                raise ReconError(where, "call_columns", _row_text(cells, keys, others),
                                 columns=columns.width) from None
            raise
        if isinstance(item, _Total):
            sums.total(item, [a + b + c for a, b, c in zip(sums.running, above, by_python, strict=True)])
        elif item is None:
            sums.unanswered += 1
        else:
            found.append(item)
            _run(by_python, item)
    _add_rows(sums, found, keep)
    return by_python


def _row_text(cells: dict, keys: list[str], others: list[str]) -> str:
    return ",".join(str(cells[k]) for k in [*keys, *others] if cells[k])[:60]


# --------------------------------------------------------------------------- values, by column


def _start_text(columns: Columns) -> pl.Expr:
    """The start as one text: its column, or the date and time columns joined by a space."""
    if columns.split_start:
        return pl.concat_str(pl.col(columns.date_key or ""), pl.lit(" "), pl.col(columns.start_key))
    return pl.col(columns.start_key)


def _form_of(sample: pl.Series) -> str | None:
    """The strptime form (of _START_FORMATS) of the first start written, if any."""
    import datetime as dt

    first = next((v for v in sample.to_list() if v), None)
    for form in _START_FORMATS:
        try:
            if first is not None and len(first) == 19:
                dt.datetime.strptime(first, form)
                return form
        except ValueError:
            continue
    return None


def _fixed_start(text: pl.Expr, form: str | None) -> pl.Expr:
    """Seconds since 1970 as written of a start of one fixed-width form (2024/01/05 09:03:02), by
    strptime, which refuses 2024/02/30 but would take :60 as the next minute (null: not this form)."""
    if form is None:
        return pl.lit(None, dtype=_I64)
    seconds = text.str.to_datetime(form, time_unit="ms", strict=False).dt.epoch("s")
    ok = (text.str.len_bytes() == 19) & ~text.str.ends_with(":60") & (seconds >= _FIRST_S) & (seconds < _LAST_S)
    return pl.when(ok).then(seconds)


def _group(match: pl.Expr, index: int, default: int = 0) -> pl.Expr:
    """Group `index` of a match as an integer (an empty or missing group: `default`)."""
    part = match.struct.field(f"g{index}")
    return pl.when(part.is_null() | (part == "")).then(default).otherwise(part.cast(_I64, strict=False))


def _written_starts(sub: pl.DataFrame, columns: Columns, reading: Reading) -> pl.DataFrame:
    """start (seconds as written, null: not read here) and offset (of a zone written, else null)
    per row, by regular expression: one start column (or RFC 2822, as Twilio writes), or a date
    column and a time column. A date written without its year takes the one `reading` gives."""
    if columns.split_start:
        date = pl.col(columns.date_key or "").str.extract_groups(_FAST_DATE)
        time = pl.col(columns.start_key).str.extract_groups(_FAST_TIME)
        parts = sub.select(
            y=_group(date, 0, -1), mo=pl.coalesce(pl.when(_group(date, 1, -1) >= 0).then(_group(date, 1)),
                                                  _group(date, 3)),
            d=pl.coalesce(pl.when(_group(date, 2, -1) >= 0).then(_group(date, 2)), _group(date, 4)),
            h=_group(time, 0), mi=_group(time, 1), s=_group(time, 2), zone=time.struct.field("g3"),
            matched=pl.col(columns.date_key or "").str.contains(_FAST_DATE)
            & pl.col(columns.start_key).str.contains(_FAST_TIME))
    else:
        text = pl.col(columns.start_key)
        start, rfc = text.str.extract_groups(_FAST_START), text.str.extract_groups(_FAST_RFC2822)
        month = rfc.struct.field("g1").str.to_lowercase().replace_strict(
            {name: i + 1 for i, name in enumerate(_MONTH_NAMES)}, default=0, return_dtype=_I64)
        as_rfc = ~text.str.contains(_FAST_START) & text.str.contains(_FAST_RFC2822) & (month > 0)
        pick = lambda ours, theirs: pl.when(as_rfc).then(theirs).otherwise(ours)  # noqa: E731
        parts = sub.select(
            y=pick(_group(start, 0, -1), _group(rfc, 2)), mo=pick(_group(start, 1), month),
            d=pick(_group(start, 2), _group(rfc, 0)), h=pick(_group(start, 3), _group(rfc, 3)),
            mi=pick(_group(start, 4), _group(rfc, 4)), s=pick(_group(start, 5), _group(rfc, 5)),
            zone=pick(start.struct.field("g6"), rfc.struct.field("g6")),
            matched=text.str.contains(_FAST_START) | as_rfc)
    parts = parts.with_columns(y=_fill_years(pl.col("y"), pl.col("mo"), pl.col("d"), reading))
    y, mo, d = pl.col("y"), pl.col("mo"), pl.col("d")
    valid = (pl.col("matched") & (mo >= 1) & (mo <= 12) & (d >= 1) & (d <= _month_days(y, mo.clip(1, 12)))
             & (pl.col("h") < 24) & (pl.col("mi") < 60) & (pl.col("s") < 60) & (y >= _YEARS[0]) & (y <= _YEARS[1]))
    zones = {z: zone_seconds(z) for z in parts["zone"].drop_nulls().unique().to_list() if z}
    return parts.select(
        start=pl.when(valid).then(_days(y, mo, d) * 86400 + pl.col("h") * 3600 + pl.col("mi") * 60 + pl.col("s")),
        offset=pl.when(valid).then(pl.col("zone").replace_strict(zones, default=None, return_dtype=_I64)))


def _fill_years(y: pl.Expr, mo: pl.Expr, d: pl.Expr, reading: Reading) -> pl.Expr:
    """Years per row, a missing one (-1) given by `reading`: the one of the year before, the same
    and the year after that puts the date nearest the usage month (Reading.year_of), else the
    folder's year; left -1 when nothing gives one."""
    missing = (y < 0) & (mo >= 1) & (mo <= 12)
    if reading.month is not None:
        year, usage = int(reading.month[:4]), int(reading.month[5:7])
        target = _days(pl.lit(year), pl.lit(usage), pl.lit(15))
        distance = [(_days(pl.lit(c), mo, pl.min_horizontal(d, _month_days(pl.lit(c), mo.clip(1, 12)))) - target).abs()
                    for c in (year - 1, year, year + 1)]
        nearest = (pl.when((distance[0] <= distance[1]) & (distance[0] <= distance[2])).then(year - 1)
                   .when(distance[1] <= distance[2]).then(year).otherwise(year + 1))
        return pl.when(missing).then(nearest).otherwise(y)
    if reading.year is not None:
        return pl.when(missing).then(reading.year.year + (mo < reading.year.start).cast(_I64)).otherwise(y)
    return y


def _days(y: pl.Expr, m: pl.Expr, d: pl.Expr) -> pl.Expr:
    """Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil)."""
    y = y - (m <= 2).cast(_I64)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * ((m + 9) % 12) + 2) // 5 + d - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


def _month_days(y: pl.Expr, m: pl.Expr) -> pl.Expr:
    """The days of month m (1 to 12) of year y."""
    return _days(y + (m == 12).cast(_I64), m % 12 + 1, pl.lit(1)) - _days(y, m, pl.lit(1))


def _in_japan(local: pl.Series, offset: pl.Series, reading: Reading) -> pl.Series:
    """Starts as written → Japan time: those written with a zone by its offset, the others by the
    zone `reading` names (each hour's offset found once), else as written."""
    if reading.zone:
        hours = local // 3600
        named = {h: _zone_offset(reading.zone, h) for h in hours.drop_nulls().unique().to_list()}
        offset = offset.fill_null(hours.replace_strict(named, default=None, return_dtype=_I64))
    if offset.null_count() == len(offset):
        return local
    both = pl.DataFrame({"local": local, "offset": offset})
    return both.select(pl.col("local") + JAPAN - pl.col("offset").fill_null(JAPAN)).to_series()


def _fixed_duration(text: pl.Expr, form: str | None) -> pl.Expr:
    """Tenths of h:mm:ss under a day, by strptime (which would take :60 as the next minute), or of
    whole seconds, by a cast: whichever `form` the file's first duration has, so that the other,
    which would fail on every row, is never tried (null: another shape)."""
    if form == "hms":
        of_day = text.str.to_time("%H:%M:%S", strict=False)
        return pl.when(of_day.is_not_null() & ~text.str.ends_with(":60")).then(of_day.cast(_I64) // 100_000_000)
    if form == "seconds":
        whole = text.cast(_I64, strict=False)
        return pl.when(~text.str.starts_with("+") & (whole >= 0)).then(whole * 10)
    return pl.lit(None, dtype=_I64)


def _duration_form(sample: pl.Series) -> str | None:
    """`hms` or `seconds`, the shape of the first duration written; None for another."""
    first = next((v for v in sample.to_list() if v), "")
    return "hms" if re.fullmatch(r"\d+:\d\d:\d\d", first) else "seconds" if re.fullmatch(r"\d+", first) else None


def _written_durations(sub: pl.DataFrame) -> pl.DataFrame:
    """Tenths of h:mm:ss.f, mm:ss and seconds.f, by regular expression (null: none of these)."""
    text = pl.col("duration")
    hms, secs = text.str.extract_groups(_FAST_HMS), text.str.extract_groups(_FAST_SECONDS)
    return sub.select(tenths=pl.when(text.str.contains(_FAST_HMS) & (_group(hms, 1) < 60) & (_group(hms, 2) < 60))
                      .then(((_group(hms, 0) * 60 + _group(hms, 1)) * 60 + _group(hms, 2)) * 10 + _group(hms, 3))
                      .when(text.str.contains(_FAST_SECONDS)).then(_group(secs, 0) * 10 + _group(secs, 1)))


def _fixed_charge(text: pl.Expr) -> pl.Expr:
    """Hundredths of a yen of a charge in whole yen, by a cast (null: another shape)."""
    return pl.when(~text.str.starts_with("+")).then(text.cast(_I64, strict=False) * 100)


def _written_charges(sub: pl.DataFrame) -> pl.DataFrame:
    """Hundredths of a yen of `15.5`, `1,234`, `¥8`, `\\1,234`, `-\\16`, `8円`, `-` (Excel's
    accounting zero), exactly, by regular expression (null: none of these)."""
    text = pl.col("charge")
    m = text.str.extract_groups(_FAST_CHARGE)
    yen = m.struct.field("g2").str.replace_all(",", "", literal=True).cast(_I64, strict=False)
    fraction = pl.concat_str(m.struct.field("g3").fill_null(""), pl.lit("00")).str.slice(0, 2).cast(_I64)
    minus = [m.struct.field(f"g{i}") == "-" for i in (0, 1)]
    value = yen * 100 + fraction
    return sub.select(sen=pl.when(text.str.contains(r"^[¥\\]?-$")).then(0)
                      .when(text.str.contains(_FAST_CHARGE) & ~(minus[0] & minus[1]))
                      .then(pl.when(minus[0] | minus[1]).then(-value).otherwise(value)))


def _called(column: pl.Series) -> pl.Series:
    """Numbers called → digits as dialled from Japan: only `-` to drop in the usual case, else
    number_digits' rules (NFKC, marks dropped, +81 and 0081 as 0, + as 010, a lost leading 0)."""
    digits = column.str.replace_all("-", "", literal=True)
    if digits.str.contains(r"^0(?:[1-9][0-9]*)?$").all():
        return digits
    if not digits.str.contains(r"^[\x00-\x7f]*$").all():
        digits = digits.str.normalize("NFKC")
    digits = digits.str.replace_all(r"[^0-9+*#]", "")
    for pattern, replacement in _DIALLED:
        digits = digits.str.replace(pattern, replacement)
    return digits


def _mapped(column: pl.Series, judge, dtype) -> pl.Series:
    """Each distinct value of a column judged once by a Python function, the verdicts per row."""
    verdicts = {value: judge(value) for value in column.unique().to_list()}
    return column.replace_strict(verdicts, default=None, return_dtype=dtype)


def _directions(direction_column: pl.Series | None, currency_column: pl.Series | None,
                rows: int) -> tuple[pl.Series, pl.Series]:
    """(incoming, known) per row: a direction column's incoming (and internal) calls; and the rows
    whose direction and currency are words recon knows (else read by Python, which says where)."""
    incoming, known = pl.repeat(False, rows, eager=True), pl.repeat(True, rows, eager=True)
    if direction_column is not None:
        said = _mapped(direction_column, direction, pl.Boolean)
        incoming, known = said.fill_null(False), said.is_not_null()
    if currency_column is not None:
        known = known & _mapped(currency_column, is_yen, pl.Boolean)
    return incoming, known


def _type_keys(labels_column: pl.Series | None, called: pl.Series) -> pl.Series:
    """What decides each row's type, for _type_of: its label where the type column says one, else
    NUL, the number's first four digits, a colon and its length."""
    shape = lambda: pl.concat_str(pl.lit("\0"), pl.lit(called).str.slice(0, 4), pl.lit(":"),  # noqa: E731
                                  pl.lit(called).str.len_chars().cast(pl.String))
    if labels_column is None:
        return pl.select(shape()).to_series()
    unsaid = [v for v in labels_column.unique().to_list() if type_from_label(v) is None]
    if not unsaid:
        return labels_column
    return pl.select(pl.when(pl.lit(labels_column).is_in(unsaid)).then(shape())
                     .otherwise(pl.lit(labels_column))).to_series()


_SHAPE = re.compile(r"\0(.{0,4}):(\d+)", re.DOTALL)


@functools.lru_cache(maxsize=4096)
def _type_of(key: str) -> str:
    """A type key (_type_keys) → its type id, each key judged once."""
    shape = _SHAPE.fullmatch(key)
    if shape:
        return type_from_number(shape.group(1).ljust(int(shape.group(2)), "0"))
    return type_from_label(key) or type_from_number("")


@functools.lru_cache(maxsize=4096)
def _digits(written: str) -> str:
    """number_digits, once per number as written (every piece of a file holds the same few)."""
    return number_digits(written)


def _as_digits(column: pl.Expr) -> pl.Expr:
    """The company's numbers as written → digits, each distinct one normalised once."""
    return column.map_batches(lambda c: c.replace_strict({v: _digits(v) for v in c.unique().to_list()},
                                                         return_dtype=pl.String), return_dtype=pl.String)
