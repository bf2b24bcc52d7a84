"""Readers: one module per input format, each `read(bytes, rel) -> (grids, encoding)`.

A new format is a new module here and one line in FORMATS.
"""
from __future__ import annotations

from importlib import import_module

from recon import marker

# suffix → (format name, reader module)
FORMATS: dict[str, tuple[str, str]] = {
    ".txt": ("text", "recon.readers.text"),
    ".tsv": ("text", "recon.readers.text"),
    ".csv": ("csv", "recon.readers.text"),
    ".xlsx": ("xlsx", "recon.readers.xlsx"),
    ".xlsm": ("xlsx", "recon.readers.xlsx"),
    ".html": ("html", "recon.readers.html"),
    ".htm": ("html", "recon.readers.html"),
    ".mhtml": ("mhtml", "recon.readers.mhtml"),
    ".mht": ("mhtml", "recon.readers.mhtml"),
    ".ods": ("ods", "recon.readers.calamine"),
    ".xls": ("xls", "recon.readers.calamine"),
}


def format_of(suffix: str) -> str | None:
    """The format name for a file suffix, or None when recon does not read it."""
    entry = FORMATS.get(suffix.lower())
    return entry[0] if entry else None


def junk(data: bytes, suffix: str) -> str | None:
    """Why a file is not what its name says (a key of labels.MESSAGES), or None when it may be.
    Such a file is ignored, not an error: it holds no table that someone meant recon to read."""
    if not data.strip():
        return "empty_file"
    kind = FORMATS[suffix.lower()][0]
    if kind == "xlsx":  # an .xls renamed .xlsx, or a workbook with a password (also a compound file), is read
        return None if data.startswith((b"PK", b"\xd0\xcf\x11\xe0")) else "not_a_workbook"
    if kind == "ods":
        if not data.startswith(b"PK"):
            return "not_a_workbook"
        return "own_report" if _marked_ods(data) else None
    if kind == "xls" and data.startswith((b"\xd0\xcf\x11\xe0", b"PK")):
        # a workbook (else a page or text that a web system named .xls, read as such); a recon report
        # saved again as .xls keeps the marker's name in its property set, written in a single-byte code page
        return "own_report" if marker.NAME.encode("ascii") in data else None
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        from recon.readers.decode import utf16_without_bom

        return None if utf16_without_bom(data) else "binary_file"
    return None


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


def read(data: bytes, rel: str, suffix: str):
    """Read a file's bytes with the reader its suffix names (an .xlsx that is a compound file with
    the .xls reader, which says what it is): (grids, encoding)."""
    name = FORMATS[suffix.lower()][1]
    if name == "recon.readers.xlsx" and data.startswith(b"\xd0\xcf\x11\xe0"):
        name = "recon.readers.calamine"
    return import_module(name).read(data, rel)
