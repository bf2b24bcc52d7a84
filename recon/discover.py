"""Walk a year folder: the files to read (detail tables, invoices, settings) and the ones to skip.

Files directly in the folder belong to the account ""; each subfolder is one contract's account,
except a subfolder named like a year (`2023`, `2023年度`), which is a year of its own and is not
read (SPEC §1.2). The previous year's folder is found beside this one.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path, PurePosixPath
from stat import S_ISDIR, S_ISREG

from recon import marker, months, readers
from recon.model import FileRecord, Message, Source
from recon.months import FiscalYear

INVOICE_NAMES = {"invoices.csv", "invoices.xlsx", "invoices.ods", "invoices.xls"}  # any sheet format read
SETTINGS_NAME = "recon.toml"
NUMBERS_NAMES = {"numbers.csv", "numbers.xlsx"}  # --- call records: 番号 → 部門, 名前 (SPEC §7)


# The folder a browser or Excel saves beside a page (「Web ページ、完全」, 「Web ページ」) for what the page
# shows: its name is the page's followed by one of these, the suffixes Windows keeps with their page
# as "connected files" (Chrome, Edge and Firefox write `_files`, Excel `.files`; older browsers the
# word of their language). Matched without regard to case.
COMPANION_SUFFIXES = ("_files", ".files", "_file", "-dateien", "_fichiers", "_archivos", "_arquivos", "_bestanden",
                      "-filer", "_filer", "_pliki", "_soubory", "_tiedostot", "_elemei", "_dosyalar", "_datoteke",
                      "_fajlovi", "_failid", "_fails", "_ficheiros", "_fitxers", "_bylos")
PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".mhtml", ".mht")
# The folder Google Sheets' 「ダウンロード → ウェブページ」 zip holds beside its page (`resources/sheet.css`):
# part of the page when it sits beside one and holds what a page shows (styles, scripts, images,
# fonts, pages), and nothing a contract has (a table, invoices); a person's folder of that name
# with a month's files in it stays a contract.
RESOURCE_FOLDERS = ("resources",)
RESOURCE_SUFFIXES = (".css", ".js", ".map", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".ico",
                     ".woff", ".woff2", ".ttf", ".otf", ".eot", *PAGE_SUFFIXES)
_SYSTEM_FILES = ("thumbs.db", "desktop.ini")  # what Windows leaves in any folder


def discover(folder: Path, output: Path | None, year: FiscalYear | None = None,
             own_report: Path | None = None) -> tuple[list[Source], list[FileRecord]]:
    """Every file under `folder` (sorted by path), split into sources and skipped records; `year`,
    the year the folder holds, places a month named alone.

    `output`, the workbook being written, is not an input and is not listed; nor is `own_report`,
    the folder's own report when the workbook goes elsewhere (`build -o`), so that every command
    lists the same files of a folder. A page's companion
    folder (`2024-01_files/` beside `2024-01.html`) is part of that page, not a contract: its files
    are listed as the page's, with the page's account, and not read on their own.
    """
    sources, skipped = [], []
    recons = {identity for path in (output, own_report) if (identity := _identity(path)) is not None}
    found = sorted(_files(folder))
    pages = {rel.lower(): rel for rel, _, _ in found if PurePosixPath(rel).suffix.lower() in PAGE_SUFFIXES}
    resources = resource_folders([rel for rel, _, _ in found], pages)
    for rel, path, stat in found:
        if (stat.st_dev, stat.st_ino) in recons:
            continue
        rel_path = PurePosixPath(rel)
        account = rel_path.parts[0] if len(rel_path.parts) > 1 else ""
        companion = page_of(rel_path, pages) or resources_of(rel_path, resources)
        if companion is not None:
            owner, message = companion
            owner_account = PurePosixPath(owner).parts[0] if len(PurePosixPath(owner).parts) > 1 else ""
            skipped.append(FileRecord(rel, owner_account, None, None, None, "ignored", message, None))
            continue
        reason = _skip_reason(rel_path) if S_ISREG(stat.st_mode) else Message.of("not_regular_file")
        source = _source(path, rel_path, account, year, stat.st_size) if reason is None else reason
        if isinstance(source, Message):
            skipped.append(FileRecord(rel, account, None, None, None, "ignored", source, None))
            continue
        sources.append(source)
    return sources, skipped


def page_of(rel_path: PurePosixPath, pages: dict[str, str]) -> tuple[str, Message] | None:
    """For a file inside a page's companion folder: the page's path in the year folder (or the path
    it would have, when the page is not there) and the message the file is listed with; None for
    any other file. `pages` maps the lower-cased paths of the pages found to their paths."""
    parts = rel_path.parts
    for depth in range(len(parts) - 1):
        name = parts[depth]
        suffix = next((s for s in COMPANION_SUFFIXES if name.lower().endswith(s) and len(name) > len(s)), None)
        if suffix is None:
            continue
        stem = "/".join((*parts[:depth], name[:-len(suffix)]))
        page = next((pages[key] for ext in PAGE_SUFFIXES if (key := (stem + ext).lower()) in pages), None)
        if page is not None:
            return page, Message.of("part_of_page", page=page)
        return stem + ".html", Message.of("page_missing", folder="/".join(parts[:depth + 1]) + "/")
    return None


def resource_folders(rels: list[str], pages: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """The folders named like a page's resources (RESOURCE_FOLDERS) that sit beside a page and hold
    only what a page shows → the pages beside them, by path; `rels` are the paths of every file
    found, `pages` as page_of takes them."""
    beside: dict[str, list[str]] = {}
    for page in pages.values():
        beside.setdefault(str(PurePosixPath(page).parent).lower(), []).append(page)
    held: dict[str, bool] = {}  # a candidate folder → whether everything under it is a page's
    for rel in rels:
        parts = PurePosixPath(rel).parts
        for depth, name in enumerate(parts[:-1]):
            if name.lower() in RESOURCE_FOLDERS:
                folder = "/".join(parts[:depth + 1])
                held[folder] = held.get(folder, True) and _a_page_resource(parts[-1])
    return {folder: tuple(sorted(beside[parent])) for folder, only in held.items()
            if only and (parent := str(PurePosixPath(folder).parent).lower()) in beside}


def _a_page_resource(name: str) -> bool:
    lower = name.lower()
    return lower.startswith(".") or lower in _SYSTEM_FILES or lower.endswith(RESOURCE_SUFFIXES)


def resources_of(rel_path: PurePosixPath, folders: dict[str, tuple[str, ...]]) -> tuple[str, Message] | None:
    """For a file inside a page's resources folder (resource_folders): the page it belongs to (the
    first beside it) and the message the file is listed with; None for any other file."""
    parts = rel_path.parts
    for depth in range(len(parts) - 1):
        pages = folders.get("/".join(parts[:depth + 1]))
        if pages:
            return pages[0], Message.of("page_resources", pages=pages)
    return None


PART_BYTES = 20 * 1024 * 1024  # a page's part is held to the size of any file read (pipeline.MAX_BYTES)


def page_parts(path: Path, rel: str):
    """The page at `path` (`rel` in the year folder) → readers.Parts: a file it shows in a frame,
    as the page names it (`2024-01.files/sheet001.htm`), read when it lies in the page's own
    companion folder and is a regular file of at most PART_BYTES; None for anything else (a web
    address, a path out of the folder, a device or a pipe, a file too large)."""
    def part(src: str) -> tuple[bytes, str] | None:
        target = _local(src)
        if target is None or not _is_companion(target.parts[0], PurePosixPath(rel).stem):
            return None
        file = path.parent.joinpath(*target.parts)
        try:
            if not file.resolve().is_relative_to(path.parent.joinpath(target.parts[0]).resolve()):
                return None
            data = _regular_bytes(file, PART_BYTES)
        except (OSError, ValueError):
            return None
        return None if data is None else (data, (PurePosixPath(rel).parent / target).as_posix())
    return part


def _local(src: str) -> PurePosixPath | None:
    """A frame's `src` as a relative path below the page's folder, or None (a web address, an
    absolute path, a way out through `..`)."""
    from urllib.parse import unquote, urlsplit

    try:
        url = urlsplit(src)
    except ValueError:
        return None
    if url.scheme or url.netloc or not url.path:
        return None
    target = PurePosixPath(unquote(url.path).replace("\\", "/"))
    parts = tuple(p for p in target.parts if p != ".")
    if target.is_absolute() or ".." in parts or len(parts) < 2:
        return None
    return PurePosixPath(*parts)


def _is_companion(name: str, stem: str) -> bool:
    return any(name.lower() == (stem + suffix).lower() for suffix in COMPANION_SUFFIXES)


def _regular_bytes(file: Path, limit: int) -> bytes | None:
    """A regular file's bytes, at most `limit` of them (None for a larger file, a device or a pipe:
    opened without waiting, and asked what it is once open)."""
    import stat

    fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        data = f.read(limit + 1)
    return data if len(data) <= limit else None


def _identity(path: Path | None) -> tuple[int, int] | None:
    """The file a path names (device, inode: what os.path.samefile compares), None when none is there."""
    try:
        stat = os.stat(path) if path is not None else None
    except (OSError, ValueError):
        return None
    return (stat.st_dev, stat.st_ino) if stat else None


def year_subfolders(folder: Path) -> list[str]:
    """The subfolders (at any depth, as `a/b`) named like a year: years of their own, never read."""
    found, pending = [], [(folder, "")]
    while pending:
        here, rel = pending.pop()
        for entry in _entries(here):
            if not _is_dir(entry):
                continue
            below = f"{rel}{entry.name}"
            if months.named_year(decoded(entry.name)) is not None:
                found.append(below)  # a year of its own: nothing under it is looked at
            elif not entry.name.startswith(".") and not entry.is_symlink():
                pending.append((Path(entry.path), below + "/"))
    return sorted(found)


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
    """(path relative to the folder as typed, path, its stat) of every file under `folder`, each
    stat taken once; a hidden folder, or a year folder inside this one, is not entered. Links to
    folders are not followed (as Path.rglob does not); links to files are read."""
    pending = [(folder, "")]
    while pending:
        here, rel = pending.pop()
        for entry in _entries(here):
            name = decoded(entry.name)
            if entry.is_dir(follow_symlinks=False):
                if not (name.startswith(".") or months.named_year(name) is not None):
                    pending.append((Path(entry.path), f"{rel}{name}/"))
                continue
            try:
                status = entry.stat()
            except OSError:  # gone since the folder was listed, or a link to nowhere
                continue
            if not S_ISDIR(status.st_mode):  # a link to a folder is not followed
                yield f"{rel}{name}", Path(entry.path), status  # a FIFO or a device too: listed, never opened


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _entries(folder: Path) -> list[os.DirEntry]:
    """A folder's entries; none when it cannot be listed (as Path.rglob passes over it)."""
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError:
        return []


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
    return None


def _source(path: Path, rel_path: PurePosixPath, account: str, year: FiscalYear | None,
            size: int) -> Source | Message:
    """A file not skipped as it is found, as an input; or why it is not one (a format recon does
    not read)."""
    name = rel_path.name.lower()
    if name == SETTINGS_NAME:
        return Source(path, rel_path.as_posix(), account, "settings", "toml", None, size=size)
    fmt = readers.format_of(rel_path.suffix)
    if fmt is None:  # the names of invoices and numbers files all end as a format read
        return Message.of("not_a_format", suffix=rel_path.suffix or rel_path.name)
    if name in INVOICE_NAMES:
        return Source(path, rel_path.as_posix(), account, "invoices", fmt, None, size=size)
    if name in NUMBERS_NAMES:
        return Source(path, rel_path.as_posix(), account, "numbers", fmt, None, size=size)
    month, bare = months.month_from_name(rel_path.stem, year)
    return Source(path, rel_path.as_posix(), account, "detail", fmt, month, bare, year, size)


def months_named(record: FileRecord, year: FiscalYear | None, span: tuple[str, str]) -> list[str]:
    """The months within `span` (first, last) that a file not read stands for by its name, so that a
    month without its table can say which file was there: the month it names (`2024-01.pdf`), or,
    for a month named alone with no year to place it (`2月.csv`), each month of that number. None
    for lock and hidden files, which stand for no month's table."""
    if record.message is not None and record.message.key in ("lock_file", "hidden_file"):
        return []
    month, number = months.month_from_name(PurePosixPath(record.path).stem, year)
    month = record.month or month
    if month:
        return [month] if span[0] <= month <= span[1] else []
    return [m for m in months.month_range(*span) if number and months.year_and_month(m)[1] == number]
