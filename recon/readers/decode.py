"""Bytes → text for the few encodings our users have: a BOM decides, else strict UTF-8, else CP932."""
from __future__ import annotations

import codecs

from recon.errors import ReadError
from recon.model import Where

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, rel: str, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding name). `declared` (an HTML meta charset) is tried after a BOM."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _strict(data, name, rel, [name]), _display(name, data)
    tried = []
    for name in _candidates(declared):
        tried.append(name)
        try:
            return data.decode(name), _display(name, data)
        except UnicodeError:
            continue
    raise ReadError(Where(rel), "decodable", None, tried=", ".join(tried))


def _candidates(declared: str | None) -> list[str]:
    names = []
    if declared:
        try:
            info = codecs.lookup(declared)
            # base64, rot13, zlib … are codecs too, but not text encodings a page can be in
            name = info.name if info._is_text_encoding and info.name not in ("undefined", "punycode") else None
        except LookupError:
            name = None
        # Shift_JIS pages are really CP932 (NEC and IBM extensions: ①, ㈱, 髙).
        if name in ("shift_jis", "shift_jis_2004", "shift_jisx0213", "euc_jp") and name != "euc_jp":
            name = "cp932"
        if name:
            names.append(name)
    for name in ("utf-8", "cp932"):
        if name not in names:
            names.append(name)
    return names


def _strict(data: bytes, name: str, rel: str, tried: list[str]) -> str:
    try:
        return data.decode(name)
    except UnicodeDecodeError as e:
        raise ReadError(Where(rel), "decodable", None, tried=", ".join(tried)) from e


def _display(name: str, data: bytes) -> str:
    if name == "utf-8-sig":
        return "utf-8-bom"
    if name == "utf-16":
        return "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
    return name.replace("_", "-")
