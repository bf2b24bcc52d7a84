"""Walk a year folder: the files to read (detail tables, invoices, settings) and the ones to skip.

Files directly in the folder belong to the account ""; each subfolder is one contract's account.
"""
from __future__ import annotations

from pathlib import Path

from recon import months, readers
from recon.model import FileRecord, Message, Source

INVOICE_NAMES = {"invoices.csv", "invoices.xlsx"}
SETTINGS_NAME = "recon.toml"
NUMBERS_NAMES = {"numbers.csv", "numbers.xlsx"}  # --- call records: 番号 → 部門, 名前 (SPEC §7)


def discover(folder: Path, output: Path | None) -> tuple[list[Source], list[FileRecord]]:
    """Every file under `folder` (sorted by path), split into sources and skipped records.

    `output`, the workbook being written, is not an input and is not listed.
    """
    sources, skipped = [], []
    skip_output = output.resolve() if output else None
    for path in sorted(_files(folder), key=lambda p: p.relative_to(folder).as_posix()):
        rel_path = path.relative_to(folder)
        if skip_output is not None and path.resolve() == skip_output:
            continue
        rel = rel_path.as_posix()
        account = rel_path.parts[0] if len(rel_path.parts) > 1 else ""
        reason = _skip_reason(rel_path)
        if reason:
            skipped.append(FileRecord(rel, account, None, None, None, "ignored", reason, None))
            continue
        sources.append(_source(path, rel_path, folder, account))
    return sources, skipped


def _files(folder: Path):
    for path in folder.rglob("*"):
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts[:-1]):
            yield path


def _skip_reason(rel_path: Path) -> Message | None:
    name = rel_path.name
    if name.startswith("~$"):
        return Message.of("lock_file")
    if name.startswith("."):
        return Message.of("hidden_file")
    if name.lower() == SETTINGS_NAME and len(rel_path.parts) > 1:
        return Message.of("not_a_format", suffix=f"{SETTINGS_NAME} in a subfolder")
    if rel_path.suffix.lower() == ".xls":
        return Message.of("old_xls")
    if name.lower() not in INVOICE_NAMES | NUMBERS_NAMES and name.lower() != SETTINGS_NAME \
            and readers.format_of(rel_path.suffix) is None:
        return Message.of("not_a_format", suffix=rel_path.suffix or name)
    return None


def _source(path: Path, rel_path: Path, folder: Path, account: str) -> Source:
    name = rel_path.name.lower()
    size = path.stat().st_size
    if name == SETTINGS_NAME:
        return Source(path, rel_path.as_posix(), account, "settings", "toml", None, size=size)
    fmt = readers.format_of(rel_path.suffix)
    if name in INVOICE_NAMES:
        return Source(path, rel_path.as_posix(), account, "invoices", fmt, None, size=size)
    if name in NUMBERS_NAMES:
        return Source(path, rel_path.as_posix(), account, "numbers", fmt, None, size=size)
    folders = (*reversed(rel_path.parts[:-1]), folder.resolve().name)
    month, bare = months.month_from_name(rel_path.stem, list(folders))
    return Source(path, rel_path.as_posix(), account, "detail", fmt, month, bare, folders, size)
