"""One cell's text → a count, a duration in tenths of a second, or yen; and text made writable in
an encoding (`encodable`, for what recon prints).

People paste numbers in many dresses: full-width digits, ¥ and 円, △ for minus, HTML tags from the
web page. `clean` undresses them once; the parsers then accept one plain shape each.
"""
from __future__ import annotations

import functools
import html
import re
import unicodedata
from decimal import Decimal

from recon.durations import DurationError, parse_duration as parse_plain_duration, to_tenths
from recon.model import Duration

# Characters NFKC leaves alone but people use as a minus or a dash in numbers.
_MINUS = {"\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
          "\u2015": "-", "\uff0d": "-", "\u30fc": "-", "\u301c": "-", "\uff5e": "-", "~": "-"}
_TAG = re.compile(r"<[^<>]*>")
_SPACE = re.compile(r"\s+")

# What a web copy leaves in text that a person cannot see (SPEC §1.1): zero-width space, non-joiner
# and joiner, the left-to-right and right-to-left marks, word joiner and its invisible operators,
# U+FEFF inside a line, soft hyphen, Mongolian vowel separator. Removed before a cell is read.
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e"
_DROP_INVISIBLE = str.maketrans("", "", INVISIBLE)
# No-break spaces (U+00A0, the figure space U+2007, the narrow U+202F) are removed from a cell too:
# `10,240&nbsp;`, `1\u202f096` (a thousands separator in some locales). Not from a whole text, where
# a run of them may separate the columns of a space-aligned paste.
_NO_BREAK = str.maketrans("", "", "\u00a0\u2007\u202f")


def visible(text: str) -> str:
    """The text without the characters of INVISIBLE (a web copy's zero-width spaces and the like)."""
    if text.isascii():
        return text
    for ch in INVISIBLE:  # one search for each, in C: quicker than a character class over the text
        if ch in text:
            return text.translate(_DROP_INVISIBLE)
    return text


def shown(text: str) -> str:
    """A cell's text as a message quotes it: what a person cannot see (control characters, format
    characters such as U+200B, spaces other than the plain and the ideographic one) escaped as
    `\\u200b`, so `'7,680\\u200b'` says why the cell did not read."""
    return "".join(ch if ch in " \u3000" or unicodedata.category(ch)[0] not in "CZ" else _escaped(ch)
                   for ch in text)


def _escaped(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


@functools.lru_cache(maxsize=65536)  # the same labels and numbers recur in every month's table
def clean(text: str) -> str:
    """Strip tags and entities and invisible characters, fold width (NFKC), trim and fold white space."""
    if text.isascii() and "<" not in text and "&" not in text:
        return _SPACE.sub(" ", text).strip()  # NFKC leaves ASCII as it is, and it has nothing invisible
    return _clean(text)


def _clean(text: str) -> str:
    if "<" in text:
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", visible(text).translate(_NO_BREAK))).strip()


def _numeric(text: str) -> str:
    """`clean`, then the dashes people type as a minus become one (only in numbers: ー is a
    letter in ナビダイヤル's neighbours such as フリーダイヤル), the apostrophe an exporter puts
    before a figure is dropped (`_FORMULA_GUARD`), and so is a plus sign before it (`_PLUS`)."""
    text = clean(text)
    for odd, plain in _MINUS.items():
        if odd in text:
            text = text.replace(odd, plain)
    if text.startswith("'"):
        text = _FORMULA_GUARD.sub("", text)
    return _PLUS.sub("", text) if text.startswith("+") else text


# The apostrophe a spreadsheet or a web-table exporter writes before a cell that starts with = + - @
# so that a spreadsheet does not take it for a formula (`'-1,174`: tableExport's preventInjection,
# OWASP's advice on CSV injection), or that Excel keeps before a number typed as text. It marks how
# the cell was written, not what it says: one, before a figure, is not part of the figure.
_FORMULA_GUARD = re.compile(r"^'(?=[-+=@¥\\△▲(\d]|$)")
# A plus sign before a figure (`+10,240`, `+¥10,240`; after the guard, `'+10,240`) says it is positive,
# as some systems sign every amount: one, before a digit or the yen sign, is not part of the figure.
_PLUS = re.compile(r"^\+\s*(?=[\d¥\\])")
_NEGATIVE = re.compile(r"^(?:-|△|▲)\s*(.*)$|^\((.*)\)$")
_CURRENCY = re.compile(r"^[¥\\]\s*")  # ¥-1,174 as Excel's 通貨 format writes it
_YEN = re.compile(r"^(?:[¥\\]\s*)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.0+)?\s*(?:円)?$")
_COUNT = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)\s*(?:件|回|通話)?$")
_LONE_DASH = re.compile(r"^(?:[¥\\]\s*)?-$")  # zero as Excel's 会計 (accounting) format shows it: -, ¥-, \-
# What Excel's CSV writes for a duration shown as mm:ss.0: the minutes and seconds, hours lost.
_MINUTES_SECONDS = re.compile(r"^\d+:[0-5]\d\.\d+$")


class ValueShapeError(ValueError):
    """The text is not the kind of value asked for; the message is a key of labels.EXPECTED."""


def parse_count(text: str) -> int:
    """`1,096`, `1096件`, in full-width digits too → 1096. Counts are whole and never negative."""
    body = _numeric(text)
    if _LONE_DASH.match(body):
        return 0
    m = _COUNT.match(body)
    if not m:
        raise ValueShapeError("count")
    return int(m.group(1).replace(",", ""))


def parse_yen(text: str) -> int:
    """`10,240`, `¥10,240`, `10,240円`, `-1,174`, `△1,174`, `▲1,174`, `(1,174)` → whole yen; a lone
    dash (`-`, `¥-`, `\\-`: how Excel's accounting format writes zero) → 0."""
    body, sign = _CURRENCY.sub("", _numeric(text)), 1
    if body.startswith("+"):  # ¥+10,240: the sign after the currency
        body = _PLUS.sub("", body)
    if _LONE_DASH.match(body):
        return 0
    m = _NEGATIVE.match(body)
    if m:
        body, sign = (m.group(1) if m.group(1) is not None else m.group(2)).strip(), -1
    m = _YEN.match(body)
    if not m:
        raise ValueShapeError("yen")
    return sign * int(m.group(1).replace(",", ""))


def parse_duration(text: str) -> int:
    """`28:49:53.5`, `28時間49分53.5秒`, in full-width digits and colons too → tenths of a second
    (1,037,935), as `recon.durations` reads them once the cell is cleaned; a lone dash → 0; minutes
    and seconds alone (`49:53.5`) are the error `duration_hours_lost`."""
    body = _numeric(text).replace(" ", "")
    if _LONE_DASH.match(body):
        return 0  # no calls of the type, as Excel's accounting format shows a zero
    if _MINUTES_SECONDS.match(body):
        raise ValueShapeError("duration_hours_lost")
    try:
        return parse_plain_duration(body)
    except DurationError as e:
        raise ValueShapeError(str(e)) from None


def looks_like_duration(text: str) -> bool:
    """True for text shaped like a duration (h:mm:ss or 時間分秒), valid or not."""
    body = _FORMULA_GUARD.sub("", clean(text)).replace(" ", "")
    body = _PLUS.sub("", body) if body.startswith("+") else body
    return bool(re.match(r"^\d+:\d+:\d+(?:\.\d+)?$", body) or _MINUTES_SECONDS.match(body)) or bool(
        body and re.match(r"^(?:\d+時間)?(?:\d+分)?(?:[\d.]+秒)?$", body) and re.search(r"\d", body))


def looks_like_number(text: str) -> bool:
    """True for text that reads as a count or a yen amount."""
    try:
        parse_yen(text)
    except ValueShapeError:
        try:
            parse_count(text)
        except ValueShapeError:
            return False
    return True


# The plain forms most cells are written in (`2,040`, `-295`, `7:45:28.7`): ASCII, so that clean
# and NFKC leave them as they are, and read here without them. Anything else goes the general way.
_PLAIN_COUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+", re.ASCII)
_PLAIN_YEN = re.compile(r"-?(\d{1,3}(?:,\d{3})+|\d+)", re.ASCII)
_PLAIN_HMS = re.compile(r"(\d+):([0-5]\d):([0-5]\d)(?:\.(\d))?", re.ASCII)


def plain_shape(text: str) -> str | None:
    """"number" or "duration" for a cell in a plain form, as looks_like_number and
    looks_like_duration would say; None when the text is in no plain form (then ask them)."""
    if _PLAIN_YEN.fullmatch(text):
        return "number"
    return "duration" if _PLAIN_HMS.fullmatch(text) else None


def plain_value(text: str, expected: str) -> int | None:
    """A cell in a plain form read as `expected` ("count", "yen", "duration" in tenths), as
    parse_count, parse_yen and parse_duration read it; None when it is in no plain form of that
    kind (then they decide, and say why it does not read)."""
    if expected == "duration":
        return parse_plain_duration(text) if _PLAIN_HMS.fullmatch(text) else None
    m = (_PLAIN_COUNT if expected == "count" else _PLAIN_YEN).fullmatch(text)
    return int(text.replace(",", "")) if m else None


def days_to_tenths(days: float | Decimal) -> int:
    """An Excel day number (a float at the reader's edge, taken as the decimal it prints as) → the
    nearest tenth of a second, a half up (`durations.to_tenths`): 1.2013136574074074 → 1,037,935."""
    exact = days if isinstance(days, Decimal) else Decimal(repr(days))
    return to_tenths(exact * 86400)


def format_duration(tenths: int, tenth: bool = True) -> str:
    """1,037,935 tenths → `28:49:53.5`; negative durations keep their sign. With `tenth=False` a
    whole number of seconds drops its `.0` (a difference of `10:00:00`)."""
    sign = "-" if tenths < 0 else ""
    tenths = abs(tenths)
    seconds, tenths_digit = divmod(tenths, 10)
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    text = f"{sign}{hours}:{minute:02d}:{second:02d}"
    return text if not tenth and not tenths_digit else f"{text}.{tenths_digit}"


def format_yen(yen: int) -> str:
    """130090 → `130,090`; -1174 → `-1,174`."""
    return f"{yen:,}"


def format_sen(sen: int) -> str:
    """Hundredths of a yen in yen as written, exact: 1024050 → `10,240.5`, 1550 → `15.5`,
    -1205 → `-12.05`, 13009000 → `130,090`."""
    whole, rest = divmod(abs(sen), 100)
    shown = f"{'-' if sen < 0 else ''}{whole:,}"
    return f"{shown}.{rest:02d}".rstrip("0") if rest else shown


def as_duration(value: object) -> Duration:
    """Typed or text cell value → Duration, or ValueShapeError."""
    if isinstance(value, Duration):
        return value
    if isinstance(value, str):
        return Duration(parse_duration(value))
    raise ValueShapeError("duration")


def encodable(text: str, encoding: str) -> str:
    """`text` with any character `encoding` cannot write shown as its escape (`\\u2264`), so that
    printing never fails and the person still sees which character it was."""
    try:
        text.encode(encoding)
        return text
    except UnicodeEncodeError:
        return text.encode(encoding, "backslashreplace").decode(encoding)
    except LookupError:  # an encoding Python does not know: write what any terminal can
        return text.encode("ascii", "backslashreplace").decode("ascii")
