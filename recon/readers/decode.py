"""Bytes → text for the few encodings our users have: a BOM decides, else strict UTF-8, else CP932.

The text comes back without the invisible characters a web copy leaves (values.INVISIBLE), so that
no reader splits, unquotes or labels by a character a person cannot see."""
from __future__ import annotations

import codecs
import functools
import re

from recon.errors import ReadError
from recon.model import Where
from recon.values import visible

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


_MEMO_BYTES = 65536  # calls.HEAD_BYTES: a file this small is sniffed whole, then read


def decode(data: bytes, rel: str, declared: str | None = None) -> tuple[str, str]:
    """Return (text without invisible characters, encoding name). `declared` (an HTML meta
    charset) is tried after a BOM. A small file's text is kept until another is decoded: the sniff for
    call records and then the reader decode the same bytes one after the other."""
    if len(data) <= _MEMO_BYTES:
        return _decode_kept(data, rel, declared)
    return _decode_visible(data, rel, declared)


@functools.lru_cache(maxsize=1)
def _decode_kept(data: bytes, rel: str, declared: str | None) -> tuple[str, str]:
    """`_decode_visible` of a small file, kept until the next small file is decoded."""
    return _decode_visible(data, rel, declared)


def _decode_visible(data: bytes, rel: str, declared: str | None) -> tuple[str, str]:
    text, encoding = _decode(data, rel, declared)
    return visible(text), encoding


def _decode(data: bytes, rel: str, declared: str | None) -> tuple[str, str]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _strict(data, name, rel, [name]), _display(name, data)
    unmarked = utf16_without_bom(data)
    if unmarked:
        return _strict(data, unmarked, rel, [unmarked]), unmarked
    tried, doubtful = [], None
    for name in _candidates(declared):
        tried.append(name)
        try:
            text = data.decode(name)
        except UnicodeError:
            continue
        if name == "utf-8" and _unlikely_utf8(text):
            doubtful = doubtful or (text, name)
            continue
        return text, _display(name, data)
    if doubtful:
        return doubtful[0], _display(doubtful[1], data)
    raise ReadError(Where(rel), "decodable", None, tried=tuple(tried))


def utf16_without_bom(data: bytes) -> str | None:
    """`utf-16-le` or `utf-16-be` for UTF-16 text written without its BOM (some exports and scripts
    do), else None. Told by the NUL bytes: the high byte of every ASCII character (digits, tabs,
    line ends) on one side of each pair and hardly any on the other; it must then decode to text."""
    head = data[:4096]
    if len(head) < 8 or b"\x00" not in head:
        return None
    head = head[: len(head) // 2 * 2]
    even, odd = head[0::2].count(0), head[1::2].count(0)  # a kanji such as 一 (U+4E00) has a NUL too
    if odd >= 8 and even * 10 <= odd:
        name = "utf-16-le"
    elif even >= 8 and odd * 10 <= even:
        name = "utf-16-be"
    else:
        return None
    try:
        text = head.decode(name, errors="strict") if len(data) <= 4096 else data[:4096].decode(name, "ignore")
    except UnicodeDecodeError:
        return None
    return name if not any(ch < " " and ch not in "\t\r\n" for ch in text) else None


# What CP932 half-width katakana (ｱ-ﾝ, ｡) bytes turn into when they happen to be valid UTF-8:
# letters of U+0080–U+07FF (á, ¡, Greek, Cyrillic …), which no OCN table holds. A few symbols of
# that range do appear in Japanese pages and are not held against a text.
_FINE_SYMBOLS = set("\u00a0¥©®°±×÷·§¶")


_TWO_BYTE = re.compile("[\u0080-\u07ff]")


def _unlikely_utf8(text: str) -> bool:
    """True when a UTF-8 reading of Japanese text holds characters that say it is really CP932."""
    return any(ch not in _FINE_SYMBOLS for ch in _TWO_BYTE.findall(text))


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
        raise ReadError(Where(rel), "decodable", None, tried=tuple(tried)) from e


def _display(name: str, data: bytes) -> str:
    if name == "utf-8-sig":
        return "utf-8-bom"
    if name == "utf-16":
        return "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
    return name.replace("_", "-")
