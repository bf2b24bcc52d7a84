"""Folder + settings → Report: discover, read, recognise, reconcile, in that order.

Each file is read once. A problem with one file is recorded against that file (and its month) and
the build goes on: one odd file never costs the accountant the other months. When the previous
year's folder sits beside this one, it is read the same way (never written) for its months as
history; nothing of it is reported again.
"""
from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

import msgspec
from msgspec import Struct

from recon import calls as call_records, files, months, readers
from recon.anomalies import review
from recon.discover import (
    SETTINGS_NAME,
    decoded,
    discover,
    months_named,
    page_parts,
    previous_year_folder,
    year_subfolders,
)
from recon.errors import ReconError
from recon.invoices import parse as parse_invoices
from recon.model import DetailTable, FileRecord, Grid, Message, MonthResult, Report, Source, Where
from recon.months import FiscalYear
from recon.numbers import parse_numbers
from recon.reconcile import MonthInputs, reconcile
from recon.settings import Settings, YearSettings, load
from recon.table import find_tables
from recon.workers import Workers

_log = logging.getLogger(__name__)
MAX_BYTES = 20 * 1024 * 1024  # no detail table or invoice list is anywhere near this
POOLED_BYTES = 1024 * 1024  # files up to this size may be read by a worker process


class _Read(Struct, frozen=True):
    """One source after reading: its record, and what it contributes to which month."""

    record: FileRecord
    tables: tuple[tuple[str, DetailTable], ...] = ()  # (month, table)
    invoices: tuple = ()
    errors: tuple[tuple[str, Message], ...] = ()  # (month, message) for months it damages
    calls: tuple = ()  # (month, CallMonth): per-call records
    calls_failed: bool = False  # per-call records in error: the months' tables stand, not tied out
    numbers: dict | None = None  # numbers.csv: number → (部門, 名前)


def build(folder: Path, settings: Settings, output: Path | None = None,
          progress: Callable[[int, int], None] | None = None, with_history: bool = True,
          workers: Workers | None = None, own_report: Path | None = None) -> Report:
    """Read every file in the year folder and reconcile every month, judged with the previous
    year's months as history when its folder sits beside this one (`with_history`). `workers`
    read a large folder's files in parallel; the Report is the same without them. Neither `output`
    (the workbook being written) nor `own_report` (the folder's own report, when that is elsewhere)
    is an input: neither is listed among the files."""
    year = months.folder_year(decoded(folder.resolve().name), settings.year.year, settings.year.start_month)
    sources, skipped = discover(folder, output, year, own_report)
    inputs: dict[tuple[str, str], MonthInputs] = {}
    directories: dict[str, dict] = {}  # account → numbers.csv
    records = list(skipped)
    failed_calls: set[str] = set()  # the paths of call records in error
    for source, result in zip(sources, _read_all(sources, workers, progress, settings.calls.timezone), strict=True):
        records.append(_flag_outside(result, year))
        if result.calls_failed:
            failed_calls.add(source.rel)
        for month, table in result.tables:
            inputs.setdefault((source.account, month), MonthInputs()).tables.append((source.rel, table))
        for row in result.invoices:
            inputs.setdefault((row.account, row.month), MonthInputs()).invoices.append(row)
        for month, message in result.errors:
            inputs.setdefault((source.account, month), MonthInputs()).errors.append(message)
        for month, found in result.calls:
            inputs.setdefault((source.account, month), MonthInputs()).calls.append(found)
        if result.numbers is not None:
            directories[source.account] = result.numbers
    _give_numbers(inputs, directories)
    records.sort(key=lambda r: r.path)
    _say_which_files(records, inputs, year, failed_calls)
    _say_unread_calls(records, inputs, year, failed_calls)
    history, history_notes = _history(folder, year, settings, workers) if with_history else ((), ())
    results = reconcile(inputs, settings, year.months if year else None)
    listed = {(m.account, m.month) for m in results}
    both = sorted({m.month for m in history if (m.account, m.month) in listed})
    history = tuple(m for m in history if (m.account, m.month) not in listed)  # this folder's copy wins
    results, patterns = review(results, settings, history)
    if both:  # a month of the previous year's folder found here too: this folder's copy is the one judged
        history_notes += (Message.of("history_overlap", months=tuple(both)),)
    notes = _contract_notes(records, inputs) + _year_notes(folder) + history_notes + tuple(patterns)
    return Report(decoded(folder.name), tuple(results), tuple(records), settings.report.lang, notes, history=history)


def _history(folder: Path, year: FiscalYear | None, settings: Settings,
             workers: Workers | None) -> tuple[tuple[MonthResult, ...], tuple[Message, ...]]:
    """The previous year's months before this year's first, read from its folder beside this one
    with its own recon.toml (or, without one, these settings less any `[year] year`), and a note
    saying so. A previous year whose settings cannot be read gives no history and a note why."""
    previous = previous_year_folder(folder, year)
    if previous is None or year is None:  # no year, no folder of the year before
        return (), ()
    own = previous / SETTINGS_NAME
    try:
        past = load(own) if own.is_file() else settings.model_copy(
            update={"year": YearSettings(start_month=settings.year.start_month)})
    except ReconError as e:
        return (), (Message.of("history_unread", folder=previous.name), e.message())
    first = year.months[0]
    found = tuple(m for m in build(previous, past, with_history=False, workers=workers).months if m.month < first)
    return found, (Message.of("history_from", folder=previous.name, months=len({m.month for m in found})),)


def _year_notes(folder: Path) -> tuple[Message, ...]:
    """Subfolders named like a year: not contracts, not read; said once."""
    years = year_subfolders(folder)
    return (Message.of("year_subfolders", folders=tuple(years), latest=folder / years[-1]),) if years else ()


def _flag_outside(result: _Read, year: FiscalYear | None) -> FileRecord:
    """A detail file read for a month outside the folder's year says so on its record."""
    record = result.record
    if year is None:
        return record
    outside = sorted({m for m, _ in result.tables if m not in year.months})
    if not outside or record.message is not None:
        return record
    message = Message.of("outside_year_file", months=tuple(outside), first=year.months[0], last=year.months[-1])
    return msgspec.structs.replace(record, message=message)


def _say_which_files(records: list[FileRecord], inputs: dict[tuple[str, str], MonthInputs],
                     year: FiscalYear | None, failed_calls: Collection[str] = ()) -> None:
    """A file named for a month and not read — ignored, or refused with an error before it gave a
    month (a month named alone where nothing gives the year) — is named in that month's messages,
    with why, where the month is listed (it has inputs, or lies between months that have), so that
    a month without its table points at the file the user meant."""
    spans = _spans(inputs)
    for record in records:
        if record.status == "read" or record.message is None or (record.status == "error" and record.month):
            continue  # a file in error for a known month already makes that month an error
        if record.message.key == "calls_extra" or record.path in failed_calls:
            continue  # said by _say_unread_calls
        span = spans.get(record.account)
        if span is None:
            continue
        for month in months_named(record, year, span):
            inputs.setdefault((record.account, month), MonthInputs()).unread.append(Message.of(
                "unread_for_month", because=record.message, file=record.path))


def _say_unread_calls(records: list[FileRecord], inputs: dict[tuple[str, str], MonthInputs],
                      year: FiscalYear | None, failed_calls: Collection[str] = ()) -> None:
    """Call records left unread, for want of the `calls` extra or for an error in them (the file
    is listed with its error; `failed_calls`, their paths): each month they stand for (the month
    the file's name gives; for a name that gives none, every listed month of its contract, as its
    calls may fall in any) says that its calls were neither tied out nor watched for toll fraud, and
    is a warning at least: not `ok`, closed and booked as if they had been. The month's table and
    its figures stand: the records are a check on the table, not its source."""
    spans = _spans(inputs)
    for record in records:
        span = spans.get(record.account)
        if record.message is None or span is None:
            continue
        if record.path in failed_calls:
            message = Message.of("calls_failed", because=record.message, file=record.path)
        elif record.message.key == "calls_extra":
            message = Message.of("calls_unread", file=record.path)
        else:
            continue
        named = months.month_from_name(PurePosixPath(record.path).stem, year) != (None, None)
        for month in months_named(record, year, span) if record.month or named else months.month_range(*span):
            inputs.setdefault((record.account, month), MonthInputs()).calls_unread.append(message)


def _spans(inputs: dict[tuple[str, str], MonthInputs]) -> dict[str, tuple[str, str]]:
    """Each contract's first and last month that has inputs."""
    spans: dict[str, tuple[str, str]] = {}
    for account, month in inputs:
        first, last = spans.get(account, (month, month))
        spans[account] = (min(first, month), max(last, month))
    return spans


def _contract_notes(records: list[FileRecord], inputs: dict[tuple[str, str], MonthInputs]) -> tuple[Message, ...]:
    """A contract's invoice rows without its folder, or its folder without invoice rows."""
    folders = {r.account for r in records if r.account}
    invoiced = {account for (account, _), found in inputs.items() if found.invoices}
    notes = [Message.of("contract_without_folder", account=a) for a in sorted(invoiced - folders - {""})]
    notes += [Message.of("contract_without_invoices", account=a) for a in sorted(folders - invoiced)]
    return tuple(notes)


def _read_all(sources: list[Source], workers: Workers | None,
              progress: Callable[[int, int], None] | None = None, zone: str | None = None) -> list[_Read]:
    """Each source read; the results in the sources' order. The files of a detail table's size are
    read by the workers (when there are enough of them), the larger ones here, meanwhile: call
    records are read in blocks, and what they give is too large to be worth sending from one process
    to another. The small files are read form by form (every text, then every workbook …): a year
    that mixes forms month by month reads a fifth faster so than in name order, as each reader's
    code and data stay in the processor's caches. `progress(done, total)` as files are done; `zone`
    is `[calls] timezone`, the zone of call records' starts written without one."""
    results: dict[int, _Read] = {}
    small = sorted((i for i, s in enumerate(sources) if s.size <= POOLED_BYTES), key=lambda i: sources[i].format)
    done = 0

    def note(index: int, result: _Read) -> None:
        nonlocal done
        results[index], done = result, done + 1
        if progress:
            progress(done, len(sources))

    read = functools.partial(_read_source, zone=zone)
    pooled = (workers.map if workers else map)(read, [sources[i] for i in small])  # the workers start here
    for index, source in enumerate(sources):  # the workers read while this process does
        if source.size > POOLED_BYTES:
            note(index, read(source))
    for index, result in zip(small, pooled, strict=True):
        note(index, result)
    return [results[index] for index in range(len(sources))]


def read_record(source: Source) -> FileRecord:
    """What the build makes of one source on its own: its FileRecord (read, ignored or error)."""
    return _read_source(source).record


def _read_source(source: Source, zone: str | None = None) -> _Read:
    text = source.kind == "detail" and source.format in ("text", "csv")
    reading = call_records.Reading(source.month, source.year, zone)  # what call records are read against
    if text and source.size > MAX_BYTES:
        layout = call_records.sniff(source.path, source.rel)
        if layout is not None:  # call records are read in blocks, whatever their size
            return _read_calls(source, layout, reading)
    try:
        if source.size > MAX_BYTES:  # refused before reading a byte of it
            raise ReconError(Where(source.rel), "size", found_as="bytes", size=f"{source.size:,}",
                             limit=f"{MAX_BYTES:,}")
        data = files.read_bytes(source.path, MAX_BYTES, Where(source.rel))  # a file grown since: still refused
    except OSError as e:
        return _failed(source, None, ReconError(Where(source.rel), "readable", e.strerror).message())
    except ReconError as e:
        return _failed(source, None, e.message())
    if text:  # a small file of call records is sniffed from the bytes already read
        layout = call_records.sniff_head(data, source.rel)
        if layout is not None:
            return _read_calls(source, layout, reading)
    digest = hashlib.sha256(data).hexdigest()
    try:
        if source.kind == "settings":
            return _Read(_record(source, None, "utf-8", "read", None, digest))
        if source.kind == "invoices":
            return _read_invoices(source, data, digest)
        if source.kind == "numbers":
            grids, encoding = readers.read(data, source.rel, source.path.suffix)
            return _Read(_record(source, None, encoding, "read", None, digest),
                         numbers=parse_numbers(grids, source.rel))
        return _read_detail(source, data, digest, reading)
    except ReconError as e:
        return _failed(source, digest, e.message(Where(source.rel)))
    except Exception as e:  # noqa: BLE001 - a bug must not cost the other months; it is reported
        _log.debug("internal error reading %s", source.rel, exc_info=True)  # shown with RECON_DEBUG=1
        return _failed(source, digest, Message.of("internal_error", error=f"{source.rel}: {type(e).__name__}: {e}"))


def _failed(source: Source, digest: str | None, message: Message) -> _Read:
    errors = ((source.month, message),) if source.month else ()
    return _Read(_record(source, source.month, None, "error", message, digest), errors=errors)


def _record(source: Source, month, encoding, status, message, digest) -> FileRecord:
    return FileRecord(source.rel, source.account, month, source.format, encoding, status, message, digest)


def _read_invoices(source: Source, data: bytes, digest: str) -> _Read:
    grids, encoding = readers.read(data, source.rel, source.path.suffix)
    rows, row_errors = parse_invoices(grids, source.rel, source.account)
    errors = tuple((month, e.message()) for month, e in row_errors if month)
    unplaced = [e for month, e in row_errors if not month]
    status, message = "read", None
    if row_errors:
        status = "error"
        message = (unplaced or [e for _, e in row_errors])[0].message()
    record = _record(source, None, encoding, status, message, digest)
    return _Read(record, invoices=tuple(rows), errors=errors)


def _read_detail(source: Source, data: bytes, digest: str, reading=None) -> _Read:
    """A file's tables, each with its month. A workbook may hold a month a sheet; a bad sheet is an
    error for its month while the other sheets are still read."""
    junk = readers.junk(data, source.path.suffix)
    if junk:
        return _Read(_record(source, source.month, None, "ignored", Message.of(junk), digest))
    grids, encoding = readers.read(data, source.rel, source.path.suffix, page_parts(source.path, source.rel))
    found: list[tuple[Grid, DetailTable]] = []
    problems: list[tuple[str | None, ReconError]] = []
    for grid in grids:
        try:
            found.extend((grid, table) for table in find_tables(grid))
        except ReconError as e:
            problems.append((_grid_month(source, grid) or source.month, e))
    if not found and not problems:
        sheet = next(((g, f) for g in grids if (f := call_records.find_in_grid(g))), None)
        if sheet is not None:
            try:
                records = call_records.read_grid(sheet[0], source.rel, sheet[1],
                                                 reading=reading or call_records.NO_READING)
            except call_records.ExtraMissing:
                return _calls_unread(source, encoding, digest)
            except ReconError as e:
                return _calls_failed(source, digest, e.message(Where(source.rel)))
            return _calls_read(source, records, digest)
        unreadable = call_records.unreadable_header(grids)  # call records without a column recon needs
        if unreadable is not None:
            return _failed(source, digest, unreadable.message())
        return _Read(_record(source, source.month, encoding, "ignored", Message.of("no_table"), digest))
    tables = []
    for grid, table in found:
        try:
            tables.append((_month(source, grid, table, single=len(found) == 1), table))
        except ReconError as e:  # name and content disagree: an error for both months
            content = e.params.get("content")
            named = {source.month, content if isinstance(content, str) else None}
            problems.extend((m, e) for m in sorted(named, key=str))
    tables, duplicates = _one_table_per_month(tables, problems)
    covered = sorted({m for m, _ in tables} | {m for m, _ in problems if m})
    errors = tuple((m, e.message()) for m, e in problems if m)
    status, message = ("error", problems[0][1].message()) if problems else ("read", duplicates)
    record = _record(source, ", ".join(covered) or None, encoding, status, message, digest)
    return _Read(record, tables=tuple(tables), errors=errors)


# --- call records ---
def _read_calls(source: Source, layout, reading) -> _Read:
    """A text file of per-call records: read in blocks (no size limit), hashed as a stream beside
    (hashlib lets go of the GIL: the digest of 700 MB costs no wall time)."""
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            digest = pool.submit(_file_digest, source.path)
            try:
                records = call_records.read_text(source.path, source.rel, layout, reading=reading)
            except call_records.ExtraMissing:
                return _calls_unread(source, layout.encoding, digest.result())
            return _calls_read(source, records, digest.result())
    except OSError as e:
        return _calls_failed(source, None, ReconError(Where(source.rel), "readable", e.strerror).message())
    except ReconError as e:
        return _calls_failed(source, None, e.message(Where(source.rel)))
    except Exception as e:  # noqa: BLE001 - a bug must not cost the other months; it is reported
        _log.debug("internal error reading %s", source.rel, exc_info=True)  # shown with RECON_DEBUG=1
        return _calls_failed(source, None,
                             Message.of("internal_error", error=f"{source.rel}: {type(e).__name__}: {e}"))


def _calls_failed(source: Source, digest: str | None, message: Message) -> _Read:
    """Call records in error: the file is listed with its error, and no month is an error for it
    (its months' tables stand; each says its calls were not tied out: _say_unread_calls)."""
    return _Read(_record(source, source.month, None, "error", message, digest), calls_failed=True)


def _file_digest(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _calls_read(source: Source, records, digest: str) -> _Read:
    covered = ", ".join(records.months) or None
    record = _record(source, covered, records.encoding, "read", records.note, digest)
    return _Read(record, calls=tuple(records.months.items()))


def _calls_unread(source: Source, encoding: str | None, digest: str) -> _Read:
    """Call records without the `calls` extra (SPEC §7, Install): listed, not read, with the line
    that names the extra; the months' tables are reconciled without them."""
    return _Read(_record(source, source.month, encoding, "ignored", Message.of("calls_extra"), digest))


def _give_numbers(inputs: dict[tuple[str, str], MonthInputs], directories: dict[str, dict]) -> None:
    """Each month with call records gets its contract's numbers.csv (else the year folder's)."""
    for (account, _), found in inputs.items():
        if found.calls:
            found.numbers = directories.get(account, directories.get("", {}))


def _one_table_per_month(tables, problems):
    """Tables of one file by month: a repeated identical table counts once; a different one for
    the same month is a problem naming both places."""
    kept: dict[str, DetailTable] = {}
    duplicate = None
    for month, table in tables:
        first = kept.setdefault(month, table)
        if first is table:
            continue
        if first.same_figures(table):
            duplicate = Message.of("duplicate_table", first=str(first.where), second=str(table.where))
        else:
            problems.append((month, ReconError(table.where, "one_table", None, other=str(first.where))))
    return sorted(kept.items()), duplicate


def _grid_month(source: Source, grid) -> str | None:
    """The month a sheet's name gives (`1月`, `2024-01`), a month alone placed in the folder's year."""
    return months.month_from_sheet_name(grid.name, source.year) if grid.name else None


def _month(source: Source, grid, table: DetailTable, single: bool) -> str:
    """A table's usage month: the file name's (for a file of one table), else the content's, else
    the sheet name's. Name and content that disagree are an error naming both."""
    content = table.month_in_content or _grid_month(source, grid)
    if source.month and content and source.month != content:
        raise ReconError(table.where, "month_agree", None, name=source.month, content=content)
    month = source.month if single and source.month else content or source.month
    if month:
        return month
    if source.bare_month:
        raise ReconError(table.where, "month_year", None, month=source.bare_month)
    raise ReconError(table.where, "month", None)
