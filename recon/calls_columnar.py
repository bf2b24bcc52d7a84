"""A text file of call records (CSV/TSV), read column-wise by polars: every value parsed and every
sum taken in the engine, a piece of PIECE_BYTES at a time, so memory is bounded by the piece, not
the file.

Each piece of whole lines (made UTF-8 first where the file is Shift_JIS or UTF-16) is one
`polars.read_csv` on every core, and its columns are parsed by expressions: the shapes machines
write by kernels (strptime, split, cast), a value those leave by the regular expressions below
(on those rows alone), and what neither reads — a subtotal or total row, a value of no known
shape — by the Python parsers of `recon.calls`, row by row, which say where. polars keeps blank
lines as rows of empty cells, so a row's line is the piece's first line plus its number.

polars rather than pyarrow or DuckDB: reading a year of three million calls and summing it by
month and type with every start, duration and charge parsed took 2.2 s of CPU with polars, 3.3 s
with DuckDB and 4.4 s with pyarrow (2 cores, whole processes, five rounds; README, Speed).
"""
from __future__ import annotations

import codecs
import csv
import functools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import polars as pl

from recon.calls import (
    _FIRST_S,
    _LAST_S,
    _MONTH_NAMES,
    _YEARS,
    INTERNATIONAL,
    JAPAN,
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

PIECE_BYTES = 32 << 20  # one piece: about 450,000 calls
_START_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")  # 19 characters each
_I64 = pl.Int64
# as number_digits dials them (its rules, in its order), in the engine's syntax for a group
_DIALLED = ((r"^\+810?", "0"), (r"^00810?", "0"), (r"^\+", "010"), (r"^81([\d*]{9,10})$", "0${1}"),
            (r"^([1-9][\d*]{8,9})$", "0${1}"), (r"^(10[\d*]{10,})$", "0${1}"))



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
    """The file's sums, piece by piece in file order. _NotUtf8 when a file taken for UTF-8 is not;
    ReconError at a row's line for a row of another width or a value no parser reads."""
    columns = layout.columns
    names = [f"c{i}" for i in range(columns.width)] + ["wider"]  # `wider`: a field past the row's width
    header = layout.delimiter.join(names).encode() + b"\n"
    read_columns = [f"c{i}" for i in sorted(set(columns.index.values()))] + ["wider"]
    quote = None if layout.delimiter == "\t" and rel.lower().endswith(".txt") else '"'
    sums = _Sums(rel)
    for data, first_line in _pieces(path, rel, layout, codec):
        try:
            frame = pl.read_csv(header + data, columns=read_columns, separator=layout.delimiter, quote_char=quote,
                                schema={n: pl.String for n in names}, empty_string_is_null=False,
                                truncate_ragged_lines=True, raise_if_empty=False)
        except pl.exceptions.ComputeError as e:
            if "utf-8" in str(e) and codec in ("utf-8", "utf-8-sig"):
                raise NotUtf8() from None
            raise ReconError(Where(rel, line=first_line), "text_rows", str(e).splitlines()[0][:200]) from None
        if frame.height:
            _add_piece(sums, frame, _Piece(data, first_line, layout, quote), keep, reading)
    return sums


def _pieces(path: Path, rel: str, layout: Layout, codec: str) -> Iterator[tuple[bytes, int]]:
    """(UTF-8 bytes of whole lines, the file line of the first) after the header, about
    PIECE_BYTES at a time."""
    decoder = None if codec in ("utf-8", "utf-8-sig") else codecs.getincrementaldecoder(codec)("strict")
    skip, line, carry, cr_only = layout.header_line, layout.header_line + 1, b"", None
    with path.open("rb") as f:
        while raw := f.read(PIECE_BYTES):
            try:
                piece = decoder.decode(raw).encode("utf-8") if decoder else raw
            except UnicodeDecodeError:
                raise ReconError(Where(rel), "decodable", None, tried=layout.encoding) from None
            if cr_only is None:
                cr_only = b"\n" not in piece and b"\r" in piece  # lines ended by CR alone (classic Mac)
            data = carry + (piece.replace(b"\r", b"\n") if cr_only else piece)
            while skip and (end := data.find(b"\n")) >= 0:
                data, skip = data[end + 1:], skip - 1
            end = data.rfind(b"\n")
            if skip or end < 0:
                carry = data
                continue
            yield data[:end + 1], line
            line += data.count(b"\n", 0, end + 1)
            carry = data[end + 1:]
    if carry.strip() and not skip:
        yield carry + b"\n", line


class _Piece:
    """A piece's bytes and its first line: the raw line of a row that Python reads."""

    def __init__(self, data: bytes, first_line: int, layout: Layout, quote: str | None):
        self.data, self.first_line, self.layout, self.quote = data, first_line, layout, quote
        self._lines: list[bytes] | None = None

    def cells(self, record: int) -> list[str]:
        """Every cell of a row, as the csv module splits its line."""
        if self._lines is None:
            self._lines = self.data.split(b"\n")
        text = self._lines[record].decode("utf-8", errors="replace").rstrip("\r")
        if self.quote is None:
            return text.split(self.layout.delimiter)
        try:
            return next(csv.reader([text], delimiter=self.layout.delimiter), [])
        except csv.Error:  # a CR inside a line, which the engine took as a character of its cell
            return next(csv.reader([text.replace("\r", " ")], delimiter=self.layout.delimiter), [])


# --------------------------------------------------------------------------- one piece


def _add_piece(sums: _Sums, frame: pl.DataFrame, piece: _Piece, keep: bool, reading: Reading) -> None:
    """A piece's rows into the file's sums, in file order: the calls the engine reads summed by
    (month, type) and (month, number), the watched ones made Calls, the rest read by Python (or a
    located error), a total among them checked against the calls above it."""
    calls = _parsed(frame, piece.layout.columns, reading)
    counted = calls.filter(pl.col("ok") & ~pl.col("incoming")).with_columns(
        ym=(pl.from_epoch("start", "s").dt.year().cast(_I64) * 100 + pl.from_epoch("start", "s").dt.month()))
    _sum_into(sums, counted)
    _watched_into(sums, counted, piece.first_line)
    if keep:
        sums.frames.append(counted.select(
            pl.from_epoch("start", "s").alias("start"), "calling", "called", "type", "tenths", "sen",
            pl.lit(sums.rel).alias("file"), (pl.col("record") + piece.first_line).cast(_I64).alias("line")))
    _slow_rows(sums, calls, piece, keep, reading)


def _parsed(frame: pl.DataFrame, columns: Columns, reading: Reading) -> pl.DataFrame:
    """Per row: record (in the piece), start (s since 1970, Japan time), tenths, sen, incoming, the
    numbers (digits), type, and `ok` (the engine read it) or `skip` (a blank row). The forms
    machines write by kernels, in one pass on every core; a value they leave by regular expression."""
    frame = frame.select(*(pl.col(f"c{i}").alias(key) for key, i in columns.index.items()), "wider")
    text = _start_text(columns)
    fast = frame.lazy().select(
        start=_fixed_start(text, _form_of(frame.head(50).select(text).to_series())),
        tenths=_fixed_duration(pl.col("duration")), sen=_fixed_charge(pl.col("charge")),
        called=pl.col("called").str.replace_all("-", "", literal=True),
        blank=_all(pl.col(key) == "" for key in columns.index), wider=pl.col("wider") != "").collect()
    zoned = _patched(fast, frame, "start", lambda sub: _written_starts(sub, columns, reading))
    tenths = _patched(fast, frame, "tenths", _written_durations)["tenths"]
    sen = _patched(fast, frame, "sen", _written_charges)["sen"]
    called = _called(fast["called"])
    incoming, known = _directions(frame.get_column("direction", default=None),
                                  frame.get_column("currency", default=None), frame.height)
    calls = pl.DataFrame({"start": _in_japan(zoned["start"], zoned["offset"], reading), "tenths": tenths, "sen": sen,
                          "incoming": incoming, "known": known, "called": called, "blank": fast["blank"],
                          "wider": fast["wider"]})
    return calls.with_columns(
        record=pl.int_range(0, frame.height, dtype=_I64),
        type=_types(frame.get_column("type", default=None), called),
        calling=_calling(frame.get_column("calling", default=None), frame.height),
        ok=(pl.col("start").is_not_null() & pl.col("tenths").is_not_null() & pl.col("sen").is_not_null()
            & pl.col("known") & ~pl.col("wider")),
        skip=pl.col("blank") & ~pl.col("wider"))


def _patched(fast: pl.DataFrame, frame: pl.DataFrame, name: str, written) -> pl.DataFrame:
    """Column `name` of `fast` (with `offset`, for starts), its nulls in rows not blank filled by
    `written` (a function of those rows of `frame` → a frame of the same columns)."""
    values = fast.select(name, offset=pl.lit(None, dtype=_I64)) if name == "start" else fast.select(name)
    todo = fast.select(pl.arg_where(pl.col(name).is_null() & ~pl.col("blank"))).to_series()
    if not len(todo):
        return values
    found = written(frame[todo])
    return pl.DataFrame({c: values[c].scatter(todo, found[c]) for c in values.columns})


def _all(exprs: Iterable[pl.Expr]) -> pl.Expr:
    out = pl.lit(True)
    for e in exprs:
        out = out & e
    return out


def _sum_into(sums: _Sums, counted: pl.DataFrame) -> None:
    """The calls of a piece, by (month, type) and (month, number) with each number's first start."""
    figures = [pl.len().alias("n"), pl.col("tenths").sum(), pl.col("sen").sum()]
    for ym, type_id, n, tenths, sen in counted.group_by("ym", "type").agg(figures).iter_rows():
        sums.add(sums.by_type, (ym, type_id), n, tenths, sen)
    for ym, number, n, tenths, sen, first in counted.group_by("ym", "calling").agg(
            [*figures, pl.col("start").min()]).iter_rows():
        sums.add(sums.by_number, (ym, number), n, tenths, sen)
        sums.first((ym, number), first)
    signs = counted.select((pl.col("sen") > 0).any().alias("credit"), (pl.col("sen") < 0).any().alias("debit")).row(0)
    sums.signs |= {s for s, present in zip((1, -1), signs, strict=True) if present}


def _watched_into(sums: _Sums, counted: pl.DataFrame, first_line: int) -> None:
    """International and premium-rate calls, which the toll-fraud watch looks at one by one."""
    premium = pl.any_horizontal(*(pl.col("called").str.starts_with(p) for p in PREMIUM_PREFIXES))
    watched = counted.filter((pl.col("type") == INTERNATIONAL) | premium).select(
        pl.from_epoch("start", "s"), "calling", "called", "type", "tenths", "sen", "ym", pl.col("record") + first_line)
    rel = sums.rel
    for start, number, called, type_id, tenths, sen, ym, line in watched.iter_rows():
        sums.watched.setdefault(ym, []).append(Call(start, number, called, type_id, tenths, sen, Where(rel, line=line)))


def _slow_rows(sums: _Sums, calls: pl.DataFrame, piece: _Piece, keep: bool, reading: Reading) -> None:
    """The rows the engine left, read by Python in file order (a total row checked against the
    calls above it); then the piece's sums added to the running ones (outgoing, then incoming)."""
    counted, incoming = pl.col("ok") & ~pl.col("incoming"), pl.col("ok") & pl.col("incoming")
    figures = calls.select(*(pl.when(kind).then(value).otherwise(0).cast(_I64).alias(f"{k}{v}")
                             for k, kind in enumerate((counted, incoming))
                             for v, value in enumerate((pl.lit(1), pl.col("tenths"), pl.col("sen")))))
    start, by_python, rows = list(sums.running), [0] * 6, []
    slow = calls.filter(~pl.col("ok") & ~pl.col("skip"))["record"].to_list()
    if slow:
        before = figures.with_columns(pl.all().cum_sum() - pl.all())[slow].rows()
        columns = piece.layout.columns
        wanted = set(columns.index.values())
        for record, above in zip(slow, before, strict=True):
            cells = piece.cells(record)
            where = Where(sums.rel, line=piece.first_line + record)
            if len(cells) != columns.width:
                raise ReconError(where, "call_columns", piece.layout.delimiter.join(cells)[:60],
                                 columns=columns.width)
            item = _python_row({key: cells[c] for key, c in columns.index.items()}, columns, where, reading,
                               others=[cell for c, cell in enumerate(cells) if c not in wanted])
            if isinstance(item, _Total):
                sums.total(item, [a + b + c for a, b, c in zip(start, above, by_python, strict=True)])
            elif item is None:
                sums.unanswered += 1
            else:
                rows.append(item)
                _run(by_python, item)
        _add_rows(sums, rows, keep)
    totals = figures.sum().row(0)
    sums.running = [a + b + c for a, b, c in zip(start, totals, by_python, strict=True)]


# --------------------------------------------------------------------------- values, by column


def _start_text(columns: Columns) -> pl.Expr:
    """The start as one text: its column, or the date and time columns joined by a space."""
    if columns.split_start:
        return pl.concat_str(pl.col(columns.date_key), pl.lit(" "), pl.col(columns.start_key))
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
        date = pl.col(columns.date_key).str.extract_groups(_FAST_DATE)
        time = pl.col(columns.start_key).str.extract_groups(_FAST_TIME)
        parts = sub.select(
            y=_group(date, 0, -1), mo=pl.coalesce(pl.when(_group(date, 1, -1) >= 0).then(_group(date, 1)),
                                                  _group(date, 3)),
            d=pl.coalesce(pl.when(_group(date, 2, -1) >= 0).then(_group(date, 2)), _group(date, 4)),
            h=_group(time, 0), mi=_group(time, 1), s=_group(time, 2), zone=time.struct.field("g3"),
            matched=pl.col(columns.date_key).str.contains(_FAST_DATE)
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


def _fixed_duration(text: pl.Expr) -> pl.Expr:
    """Tenths of h:mm:ss under a day, by strptime (which would take :60 as the next minute), or of
    whole seconds, by a cast (null: another shape)."""
    of_day = text.str.to_time("%H:%M:%S", strict=False)
    whole = text.cast(_I64, strict=False)
    return (pl.when(of_day.is_not_null() & ~text.str.ends_with(":60")).then(of_day.cast(_I64) // 100_000_000)
            .when(~text.str.starts_with("+") & (whole >= 0)).then(whole * 10))


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


def _types(labels_column: pl.Series | None, called: pl.Series) -> pl.Series:
    """The type id per row: from the type column where it says, else from the number called
    (its first four digits and its length decide)."""
    from_label = (_mapped(labels_column, lambda v: type_from_label(v) if v else None, pl.String)
                  if labels_column is not None else pl.repeat(None, len(called), dtype=pl.String, eager=True))
    if not from_label.null_count():
        return from_label
    shape = pl.select(pl.concat_str(pl.lit(called).str.slice(0, 4), pl.lit(":"),
                                    pl.lit(called).str.len_chars().cast(pl.String))).to_series()
    by_number = _mapped(shape, lambda k: type_from_number(k.split(":")[0].ljust(int(k.split(":")[1]), "0")),
                        pl.String)
    return from_label.fill_null(by_number)


@functools.lru_cache(maxsize=4096)
def _digits(written: str) -> str:
    """number_digits, once per number as written (every piece of a file holds the same few)."""
    return number_digits(written)


def _calling(column: pl.Series | None, rows: int) -> pl.Series:
    """The company's numbers (digits; "" without the column): a company has few, each normalised once."""
    if column is None:
        return pl.repeat("", rows, dtype=pl.String, eager=True)
    return _mapped(column, _digits, pl.String)
