"""Readers: one module per input format, each `read(bytes, rel) -> (grids, encoding)`.

A new format is a new module here and one line in FORMATS.
"""
from __future__ import annotations

from importlib import import_module

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
    if kind == "xlsx":
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            return "old_xls"
        return None if data.startswith(b"PK") else "not_a_workbook"
    if kind == "ods":
        return None if data.startswith(b"PK") else "not_a_workbook"
    if kind == "xls" and data.startswith((b"\xd0\xcf\x11\xe0", b"PK")):
        return None  # a workbook; else a page or text that a web system named .xls, read as such
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary_file"
    return None


def read(data: bytes, rel: str, suffix: str):
    """Read a file's bytes with the reader its suffix names: (grids, encoding)."""
    module = import_module(FORMATS[suffix.lower()][1])
    return module.read(data, rel)
