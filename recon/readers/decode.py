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


# A page's <meta charset> is believed only for the encodings Japanese pages are saved in; a page
# that declares utf-16 is UTF-8 (as the HTML standard says), and a western charset on a Japanese
# page is a mistake that would turn the table into gibberish and lose it.
_DECLARABLE = {"utf_8": "utf-8", "utf_16": "utf-8", "utf_16_le": "utf-8", "utf_16_be": "utf-8",
               "shift_jis": "cp932", "cp932": "cp932", "shift_jis_2004": "cp932", "shift_jisx0213": "cp932",
               "euc_jp": "euc_jp", "iso2022_jp": "iso2022_jp"}


def _candidates(declared: str | None) -> list[str]:
    """Encodings to try in order: a believable declared one, then UTF-8, then CP932 (Shift_JIS
    pages are really CP932: NEC and IBM extensions such as ①, ㈱, 髙)."""
    names = []
    if declared:
        try:
            name = _DECLARABLE.get(codecs.lookup(declared).name.replace("-", "_"))
        except LookupError:  # names Python does not know but Japanese pages use
            name = "cp932" if declared.lower() in ("windows-31j", "x-sjis", "ms_kanji", "csshiftjis") else None
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
