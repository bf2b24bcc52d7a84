"""Folder + settings → Report: discover, read, recognise, reconcile, in that order.

Each file is read once. A problem with one file is recorded against that file (and its month) and
the build goes on: one odd file never costs the accountant the other months.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from recon import readers
from recon.discover import discover
from recon.errors import ReconError
from recon.invoices import parse as parse_invoices
from recon.model import DetailTable, FileRecord, Message, Report, Source, Where
from recon.reconcile import MonthInputs, reconcile
from recon.settings import Settings
from recon.table import find_tables

MAX_BYTES = 20 * 1024 * 1024  # no detail table or invoice list is anywhere near this


@dataclass(frozen=True)
class _Read:
    """One source after reading: its record, and what it contributes to which month."""

    record: FileRecord
    tables: tuple[tuple[str, DetailTable], ...] = ()  # (month, table)
    invoices: tuple = ()
    errors: tuple[tuple[str, Message], ...] = ()  # (month, message) for months it damages


def build(folder: Path, settings: Settings, output: Path | None = None,
          progress: Callable[[int, int], None] | None = None) -> Report:
    """Read every file in the year folder and reconcile every month."""
    sources, skipped = discover(folder, output)
    inputs: dict[tuple[str, str], MonthInputs] = {}
    records = list(skipped)
    for done, source in enumerate(sources, start=1):
        result = _read_source(source)
        if progress:
            progress(done, len(sources))
        records.append(result.record)
        for month, table in result.tables:
            inputs.setdefault((source.account, month), MonthInputs()).tables.append((source.rel, table))
        for row in result.invoices:
            inputs.setdefault((row.account, row.month), MonthInputs()).invoices.append(row)
        for month, message in result.errors:
            inputs.setdefault((source.account, month), MonthInputs()).errors.append(message)
    records.sort(key=lambda r: r.path)
    months = reconcile(inputs, settings)
    return Report(folder.name, tuple(months), tuple(records), settings.report.lang)


def _read_source(source: Source) -> _Read:
    try:
        data = source.path.read_bytes()
    except OSError as e:
        return _failed(source, None, ReconError(Where(source.rel), "readable", e.strerror).message())
    digest = hashlib.sha256(data).hexdigest()
    try:
        if source.kind == "settings":
            return _Read(_record(source, None, "utf-8", "read", None, digest))
        if len(data) > MAX_BYTES:
            raise ReconError(None, "size", f"{len(data):,} bytes", limit=f"{MAX_BYTES:,}")
        if source.kind == "invoices":
            return _read_invoices(source, data, digest)
        return _read_detail(source, data, digest)
    except ReconError as e:
        return _failed(source, digest, e.message(Where(source.rel)))
    except Exception as e:  # noqa: BLE001 - a bug must not cost the other months; it is reported
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


def _read_detail(source: Source, data: bytes, digest: str) -> _Read:
    if not data.strip():
        return _Read(_record(source, source.month, None, "ignored", Message.of("empty_file"), digest))
    grids, encoding = readers.read(data, source.rel, source.path.suffix)
    tables = [t for grid in grids for t in find_tables(grid)]
    if not tables:
        return _Read(_record(source, source.month, encoding, "ignored", Message.of("no_table"), digest))
    table = tables[0]
    for other in tables[1:]:
        if not table.same_figures(other):
            raise ReconError(other.where, "one_table", None, other=str(table.where))
    month = _month(source, table)
    return _Read(_record(source, month, encoding, "read", None, digest), tables=((month, table),))


def _month(source: Source, table: DetailTable) -> str:
    content = table.month_in_content
    if source.month and content and source.month != content:
        raise ReconError(table.where, "month_agree", None, name=source.month, content=content)
    month = source.month or content
    if month:
        return month
    if source.bare_month:
        raise ReconError(table.where, "month_year", None, month=source.bare_month)
    raise ReconError(table.where, "month", None)
