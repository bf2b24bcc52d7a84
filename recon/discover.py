"""Walk a year folder: the files to read (detail tables, invoices, settings) and the ones to skip.

Files directly in the folder belong to the account ""; each subfolder is one contract's account,
except a subfolder named like a year (`2023`, `2023年度`), which is a year of its own and is not
read (SPEC §1.2). The previous year's folder is found beside this one.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path, PurePosixPath

from recon import marker, months, readers
from recon.model import FileRecord, Message, Source
from recon.months import FiscalYear

INVOICE_NAMES = {"invoices.csv", "invoices.xlsx", "invoices.ods", "invoices.xls"}  # any sheet format read
SETTINGS_NAME = "recon.toml"
NUMBERS_NAMES = {"numbers.csv", "numbers.xlsx"}  # --- call records: 番号 → 部門, 名前 (SPEC §7)


def discover(folder: Path, output: Path | None, year: FiscalYear | None = None) -> tuple[list[Source], list[FileRecord]]:
    """Every file under `folder` (sorted by path), split into sources and skipped records; `year`,
    the year the folder holds, places a month named alone.

    `output`, the workbook being written, is not an input and is not listed.
    """
    sources, skipped = [], []
    skip_output = output.resolve() if output else None
    for path in sorted(_files(folder), key=lambda p: decoded(p.relative_to(folder).as_posix())):
        rel_path = PurePosixPath(decoded(path.relative_to(folder).as_posix()))
        if skip_output is not None and path.resolve() == skip_output:
            continue
        rel = rel_path.as_posix()
        account = rel_path.parts[0] if len(rel_path.parts) > 1 else ""
        reason = _skip_reason(rel_path)
        if reason:
            skipped.append(FileRecord(rel, account, None, None, None, "ignored", reason, None))
            continue
        sources.append(_source(path, rel_path, account, year))
    return sources, skipped


def year_subfolders(folder: Path) -> list[str]:
    """The subfolders (at any depth, as `a/b`) named like a year: years of their own, never read."""
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*")
                  if path.is_dir() and months.named_year(decoded(path.name)) is not None
                  and not _passed_over(path.relative_to(folder).parts[:-1]))


def previous_year_folder(folder: Path, year: FiscalYear | None) -> Path | None:
    """The folder beside `folder` that holds the year before (same naming form, year − 1:
    `2023年度` beside `2024年度`, `令和元年度` beside `令和2年度`), or None."""
    if year is None or year.form == "settings":
        return None
    here = folder.resolve()
    try:
        siblings = sorted(here.parent.iterdir(), key=lambda p: p.name)
    except OSError:  # a parent folder that cannot be listed has no year beside this one to offer
        return None
    wanted = year.previous()
    for sibling in siblings:
        named = months.named_year(decoded(sibling.name))
        if sibling.is_dir() and sibling != here and named is not None \
                and (named.form, named.year) == (wanted.form, wanted.year):
            return sibling
    return None


def decoded(name: str) -> str:
    """A file name as it was typed. Under a locale that is not UTF-8 (LC_ALL=C in a cron job or a
    container) Python decodes the UTF-8 bytes of 2024年1月分.txt into escapes, and the month would
    drop out: names are UTF-8 on every system recon's users have (Windows and macOS always), so
    bytes that are valid UTF-8 are read as UTF-8. The path a file is opened by is left as it was."""
    if sys.getfilesystemencoding().lower().replace("-", "") == "utf8":
        return name
    try:
        return os.fsencode(name).decode("utf-8")
    except UnicodeDecodeError:
        return name


def _files(folder: Path):
    for path in folder.rglob("*"):
        if path.is_file() and not _passed_over(path.relative_to(folder).parts[:-1]):
            yield path


def _passed_over(folders: tuple[str, ...]) -> bool:
    """A hidden folder, or a year folder inside this one, is not read."""
    return any(p.startswith(".") or months.named_year(decoded(p)) is not None for p in folders)


def _skip_reason(rel_path: PurePosixPath) -> Message | None:
    name = rel_path.name
    if name.startswith("~$"):
        return Message.of("lock_file")
    if name.startswith("."):
        return Message.of("hidden_file")
    if marker.is_journal_name(name):
        return Message.of("own_journal")
    if name.lower() == SETTINGS_NAME and len(rel_path.parts) > 1:
        return Message.of("not_a_format", suffix=f"{SETTINGS_NAME} in a subfolder")
    if name.lower() not in INVOICE_NAMES | NUMBERS_NAMES and name.lower() != SETTINGS_NAME \
            and readers.format_of(rel_path.suffix) is None:
        return Message.of("not_a_format", suffix=rel_path.suffix or name)
    return None


def _source(path: Path, rel_path: PurePosixPath, account: str, year: FiscalYear | None) -> Source:
    name = rel_path.name.lower()
    size = path.stat().st_size
    if name == SETTINGS_NAME:
        return Source(path, rel_path.as_posix(), account, "settings", "toml", None, size=size)
    fmt = readers.format_of(rel_path.suffix)
    if name in INVOICE_NAMES:
        return Source(path, rel_path.as_posix(), account, "invoices", fmt, None, size=size)
    if name in NUMBERS_NAMES:
        return Source(path, rel_path.as_posix(), account, "numbers", fmt, None, size=size)
    month, bare = months.month_from_name(rel_path.stem, year)
    return Source(path, rel_path.as_posix(), account, "detail", fmt, month, bare, year, size)


def month_of_skipped(record: FileRecord, year: FiscalYear | None) -> str | None:
    """The month a skipped file's name gives (`2024-01.pdf`), so that a month without its table can
    say which file was there; None for lock and hidden files, which stand for no month's table."""
    if record.message is None or record.message.key in ("lock_file", "hidden_file"):
        return None
    return months.month_from_name(PurePosixPath(record.path).stem, year)[0]
