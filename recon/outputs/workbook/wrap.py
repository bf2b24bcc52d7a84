"""Text recon writes into a wrapping column, broken into lines where a reader breaks them.

Excel and LibreOffice wrap Japanese text between any two characters and English at spaces and
hyphens: a message came out as `を合` / `計に含めました`, `7,320` / `円`, `番号 050-` / `5555-0107`.
A sentence in a wrapping column (a message, a check's name, a note, an explanation) is therefore
broken here, between phrases, and written with its line breaks, so that no viewer has to wrap it:
each line fits the column by `rows._display_width`, and the row is exactly as many lines tall.

Where a line may break:
- after a particle (の, を, が, に, で …) where a word begins, after 、 and 。, before an opening
  bracket and after a closing one: between phrases, never inside a word (合計, 含めました,
  ナビダイヤル, 書き出して);
- at a space, except between a figure and its unit (`7,320 円`, `44 件`) and before a particle
  (`OCN に`): the unit and the particle stay with what they follow;
- never inside a run of letters, digits and signs (a phone number, a file's place `2024-10.txt:3`,
  an amount), nor between a digit and a kanji (2024年11月16日, 7月.txt).
A phrase wider than the whole column is broken between characters, as a viewer would. The text
without the added line breaks is the text as given (what is read back is read without them).

A phrase segmenter such as BudouX would find the same boundaries in these short sentences; this
rule keeps the core free of one more dependency for what the workbook shows.
"""
from __future__ import annotations

from functools import lru_cache

from recon.outputs.workbook.rows import _CHAR_WIDTHS, _display_width

_OPENING = "([「『（【"  # a line never ends just after one …
_CLOSING = ".,:;!?%)]」』）】、。ー"  # … nor starts with one of these (nor with a long-vowel mark)
_AFTER = "、。」』）】"  # a phrase ends after one of these
_PARTICLES = "のをがにはでともへやか"  # … and after one of these when a word follows


def _hiragana(char: str) -> bool:
    """A hiragana: a particle or an inflection, which stays with the word before it."""
    return "\u3041" <= char <= "\u309f"


def _boundary(a: str, b: str) -> bool:
    """May a line break between the characters `a` and `b`?"""
    if b.isspace():
        return False
    if a.isspace():
        return not _hiragana(b)  # a particle stays with the word before it (OCN に, 2024-01.txt のように)
    if b in _CLOSING or a in _OPENING:
        return False
    if a in _AFTER:
        return not _hiragana(b)  # 「2O8」でした: what follows a quote stays with it
    if b in _OPENING:
        return not a.isascii()  # =HYPERLINK("…"): a bracket inside a run of letters stays in it
    if a + b in ("か月", "カ月", "ヶ月"):  # a counter: 6か月
        return False
    # after a particle that ends a phrase, where a word begins: not after an inflection (書き出す)
    return a in _PARTICLES and not _hiragana(b) and not (b.isascii() and not b.isalnum())


def _glued(left: str, right: str) -> bool:
    """True when a break between `left` and `right` would split a figure from its unit: after a
    space, a figure and the word that counts it (`7,320 円`, `44 件`)."""
    return (len(left) > 1 and left[-1].isspace() and left[-2].isdigit() and not right[0].isascii()
            and not right[0].isspace())


@lru_cache(maxsize=4096)
def pieces(line: str) -> tuple[str, ...]:
    """A line of text in the pieces a line may break between (their spaces kept at their ends)."""
    out: list[str] = []
    start = 0
    for index in range(1, len(line)):
        if _boundary(line[index - 1], line[index]):
            piece = line[start:index]
            if out and _glued(out[-1], piece):
                out[-1] += piece
            else:
                out.append(piece)
            start = index
    piece = line[start:]
    if out and piece and _glued(out[-1], piece):
        out[-1] += piece
    elif piece:
        out.append(piece)
    return tuple(out)


def _width(text: str) -> int:
    return _display_width(text)


def _fitting(text: str, room: int) -> int:
    """How many characters of `text` fit a line `room` digits wide (one at least)."""
    tenths = 0
    for count, char in enumerate(text):
        tenths += _CHAR_WIDTHS[char]
        if tenths > room * 10:
            return max(count, 1)
    return len(text)


@lru_cache(maxsize=8192)
def broken(text: str, room: int) -> str:
    """`text` with a line break wherever its next piece would not fit a line `room` digits wide
    (its own line breaks kept). A break only adds the line break: the spaces at a break stay at
    the end of the line before it, so the text without the added breaks is the text as given."""
    if room <= 0:
        return text
    out: list[str] = []
    for given in text.split("\n"):
        if _width(given.rstrip()) <= room:  # most lines: nothing to break, no phrases to find
            out.append(given)
            continue
        line = ""
        for piece in pieces(given):
            if line.strip() and _width((line + piece).rstrip()) > room:
                bare = piece.lstrip()
                out.append(line + piece[:len(piece) - len(bare)])
                line = bare
            else:
                line += piece
            while _width(line.rstrip()) > room:  # a piece wider than the whole column
                cut = _fitting(line, room)
                out.append(line[:cut])
                line = line[cut:]
        out.append(line)
    return "\n".join(out)
