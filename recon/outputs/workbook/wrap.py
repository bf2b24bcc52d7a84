"""Text recon writes into a wrapping column, broken into lines where a reader breaks them.

Excel and LibreOffice wrap Japanese text between any two characters and English at spaces and
hyphens: a message came out as `を合` / `計に含めました`, `7,320` / `円`, `番号 050-` / `5555-0107`.
A text recon wrote itself (a message, a check's name, a note) is therefore broken here, at
phrase boundaries, and written with its line breaks, so that no viewer has to wrap it: each line
fits the column by `rows._display_width`, and the row is exactly as many lines tall.

Where a line may break:
- between Japanese phrases, as BudouX (Google's phrase segmenter, the model it ships) finds them:
  after a particle (の, を, が …), never inside a word;
- at a space, except between a figure and its unit (`7,320 円`, `44 件`): the unit stays with it;
- never inside a run of letters, digits and signs (a phone number, a file's place `2024-10.txt:3`,
  a date, an amount), which BudouX alone would split (`202` / `4年`).
A phrase wider than the whole column is broken between characters, as a viewer would. The text
without the added line breaks is the text as given (the checks sheet's names are read back).
"""
from __future__ import annotations

import re
from functools import lru_cache

from recon.outputs.workbook.rows import _CHAR_WIDTHS, _display_width

_SPACE_PIECES = re.compile(r"\S+\s*|\s+")  # a word and the spaces after it


@lru_cache(maxsize=1)
def _parser():
    import budoux  # only the workbook breaks lines

    return budoux.load_default_japanese_parser()


_OPENING = "([「『（【"  # a line never ends just after one …
_CLOSING = ".,:;!?%)]」』）】、。"  # … nor starts with one of these


def _glued(left: str, right: str) -> bool:
    """True when a break between `left` and `right` would split what reads as one: a run of
    letters, digits and signs (BudouX splits `2024年` as `202` / `4年`), a figure and, after a
    space, its unit (`7,320 円`), a bracket and what it opens, a word and the sign after it."""
    if not left or not right:
        return False
    a, b = left[-1], right[0]
    if a in _OPENING or b in _CLOSING:
        return True
    if not a.isspace() and not b.isspace() and a.isascii() and b.isascii():
        return True
    return a.isspace() and len(left) > 1 and left[-2].isdigit() and not b.isascii() and not b.isspace()


@lru_cache(maxsize=4096)
def pieces(line: str) -> tuple[str, ...]:
    """A line of text in the pieces a line may break between (their spaces kept at their ends)."""
    phrases = [line] if line.isascii() else _parser().parse(line) or [line]
    split: list[str] = []
    for phrase in phrases:
        split.extend(_SPACE_PIECES.findall(phrase))
    out: list[str] = []
    for piece in split:
        if out and _glued(out[-1], piece):
            out[-1] += piece
        else:
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
