"""Readers: one module per input format, each with `read(bytes, rel) -> (grids, encoding)`, and the
registry that says which format a file is.

A new format is a new module here and one `Entry` in REGISTRY: its id, its suffixes, its reader
module and its test for a file that only looks like the format. Its words live in
`labels.FORMATS`, and an entry whose id has none cannot be made.
"""
from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Protocol

from msgspec import Struct

from recon import labels, marker
from recon.model import Format, Grid


class Reader(Protocol):
    """A format's reader: a file's bytes and its path in the folder → its grids and the text
    encoding it was decoded from (None for a workbook). Raises ReadError, located, when it cannot."""

    def __call__(self, data: bytes, rel: str) -> tuple[list[Grid], str | None]: ...


class FramedReader(Protocol):
    """A reader of pages that may show other files in frames: `parts` gives it those files."""

    def __call__(self, data: bytes, rel: str, parts: Parts | None = None) -> tuple[list[Grid], str | None]: ...


def _not_text(data: bytes) -> str | None:
    """A text format's file that is binary (UTF-16 without its BOM is still text)."""
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        from recon.readers.decode import utf16_without_bom

        return None if utf16_without_bom(data) else "binary_file"
    return None


def _not_xlsx(data: bytes) -> str | None:
    """An .xlsx that is no zip, or a recon report (its marker); an .xls renamed .xlsx, or a workbook
    with a password (also a compound file), is read."""
    if data.startswith(b"PK"):
        return "own_report" if marker.is_recon_report(data) else None
    return None if data.startswith(b"\xd0\xcf\x11\xe0") else "not_a_workbook"


def _not_ods(data: bytes) -> str | None:
    """An .ods that is no zip, or a recon report saved again by LibreOffice as .ods."""
    if not data.startswith(b"PK"):
        return "not_a_workbook"
    return "own_report" if _marked_ods(data) else None


def _not_webarchive(data: bytes) -> str | None:
    """A .webarchive that is no property list (binary `bplist00`, or XML)."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return None if head.startswith((b"bplist0", b"<?xml", b"<plist", b"<!DOCTYPE plist")) else "not_a_webarchive"


def _not_xls(data: bytes) -> str | None:
    """A recon report saved again as .xls keeps the marker's name in its property set, in a
    single-byte code page; an .xls that is no workbook is a page or text a web system named .xls,
    read as such."""
    if data.startswith((b"\xd0\xcf\x11\xe0", b"PK")):
        return "own_report" if marker.NAME.encode("ascii") in data else None
    return _not_text(data)


class Entry(Struct, frozen=True):
    """A format recon reads. `junk` says why a file with one of its suffixes holds no table at all
    (a key of labels.MESSAGES), or None when it may."""

    format: Format
    suffixes: tuple[str, ...]
    module: str  # where its `read` (a Reader) lives; imported when a file of the format is read
    junk: Callable[[bytes], str | None] = _not_text
    framed: bool = False  # a page that may show other files in frames: its `read` takes `parts` too

    def __post_init__(self) -> None:
        if self.format not in labels.FORMATS:
            raise ValueError(f"format {self.format!r} has no words in labels.FORMATS")

    def reader(self) -> Reader:
        return import_module(self.module).read

    def framed_reader(self) -> FramedReader:
        return import_module(self.module).read


REGISTRY: tuple[Entry, ...] = (
    Entry("text", (".txt", ".tsv"), "recon.readers.text"),
    Entry("csv", (".csv",), "recon.readers.text"),
    Entry("xlsx", (".xlsx", ".xlsm"), "recon.readers.xlsx", _not_xlsx),
    Entry("html", (".html", ".htm"), "recon.readers.html", framed=True),
    Entry("mhtml", (".mhtml", ".mht"), "recon.readers.mhtml"),
    Entry("ods", (".ods",), "recon.readers.calamine", _not_ods),
    Entry("xls", (".xls",), "recon.readers.calamine", _not_xls),
    Entry("webarchive", (".webarchive",), "recon.readers.webarchive", _not_webarchive),
)
_BY_SUFFIX = {suffix: entry for entry in REGISTRY for suffix in entry.suffixes}
_BY_FORMAT = {entry.format: entry for entry in REGISTRY}


def format_of(suffix: str) -> Format | None:
    """The format for a file suffix, or None when recon does not read it."""
    entry = _BY_SUFFIX.get(suffix.lower())
    return entry.format if entry else None


def junk(data: bytes, suffix: str) -> str | None:
    """Why a file is not what its name says (a key of labels.MESSAGES), or None when it may be.
    Such a file is ignored, not an error: it holds no table that someone meant recon to read."""
    if not data.strip():
        return "empty_file"
    return _BY_SUFFIX[suffix.lower()].junk(data)


def _marked_ods(data: bytes) -> bool:
    """True when an .ods's meta.xml holds recon's marker (a report saved again by LibreOffice as
    .ods keeps it as `<meta:user-defined meta:name="recon.report">`)."""
    import io
    import zipfile
    import zlib

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("meta.xml")
            if info.file_size > 1_000_000:
                return False
            meta = archive.read(info)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError, RuntimeError,
            zlib.error):
        return False
    return f'meta:name="{marker.NAME}"'.encode("ascii") in meta


# A page's part: the bytes of a file a page shows in a frame (its path as the page names it, and
# that file's path in the year folder), or None where there is no such file beside the page.
Parts = Callable[[str], "tuple[bytes, str] | None"]


def read(data: bytes, rel: str, suffix: str, parts: Parts | None = None) -> tuple[list[Grid], str | None]:
    """Read a file's bytes with the reader its suffix names (an .xlsx that is a compound file with
    the .xls reader, which says what it is): (grids, encoding). `parts` gives a saved page the
    files it shows in frames (Excel's 「Web ページ」 frameset, a browser's saved iframes)."""
    entry = _BY_SUFFIX[suffix.lower()]
    if entry.format == "xlsx" and data.startswith(b"\xd0\xcf\x11\xe0"):
        entry = _BY_FORMAT["xls"]
    if entry.framed and parts is not None:
        return entry.framed_reader()(data, rel, parts)
    return entry.reader()(data, rel)
