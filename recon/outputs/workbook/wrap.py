"""Text recon writes into a wrapping column, broken into lines where a reader breaks them.

Excel and LibreOffice wrap Japanese text between any two characters and English at spaces and
hyphens: a message came out as `を合` / `計に含めました`, `7,320` / `円`, `番号 050-` / `5555-0107`.
A sentence in a wrapping column (a message, a check's name, a note, an explanation) is therefore
broken here, between phrases, and written with its line breaks, so that no viewer has to wrap it:
each line fits the column by `rows._display_width`, and the row is exactly as many lines tall.

The phrases are BudouX's (Google's phrase segmenter, pure Python with the Japanese model it ships;
source: https://github.com/google/budoux): `未知の` / `通話種別` / `「ナビダイヤル」`, `合計に` /
`含めました`, `7,965 円で、` whole, never inside a word or an inflected verb (書き出して).
BudouX breaks Japanese only: recon adds what a column of recon's messages needs on top of it.
- A line may also break after a space (English, and the figures and names between Japanese
  phrases), except between a figure and its unit (`7,320 円`, `44 件`) and before a hiragana
  (`OCN に`): the unit and the particle stay with what they follow.
- Never inside a run of letters, digits and signs (a phone number, a file's place `2024-10.txt:3`,
  an amount), where BudouX may cut one (`202` / `4年11月16日`, `=HYPERLINK` / `("…")`), nor
  inside the counter か月, which BudouX cuts as `3か` / `月が`.
- A line never ends with an opening bracket nor starts with a closing one, a comma or a period
  (`(` / `最初`).
- A phrase wider than the whole column is broken between characters, as a viewer would.
The text without the added line breaks is the text as given (what is read back is read without
them).
"""
from __future__ import annotations

from functools import lru_cache
from itertools import accumulate, pairwise
from typing import TYPE_CHECKING

from recon.outputs.workbook.rows import _CHAR_WIDTHS, _display_width

if TYPE_CHECKING:
    from budoux import Parser

_OPENING = "([「『（【"  # a line never ends just after one …
_CLOSING = ".,:;!?%)]」』）】、。ー"  # … nor starts with one of these (nor with a long-vowel mark)


@lru_cache(maxsize=1)
def _parser() -> Parser:
    import budoux  # only the workbook breaks lines; its model is read once a process

    return budoux.load_default_japanese_parser()


def _hiragana(char: str) -> bool:
    """A hiragana: a particle or an inflection, which stays with the word before it."""
    return "\u3041" <= char <= "\u309f"


def _may_break(line: str, index: int) -> bool:
    """May a line break before `line[index]` (a phrase's or a word's start)? Not inside a run of
    letters, digits and signs nor inside か月, not between a figure and its unit or a word and its
    particle after a space, not after an opening bracket nor before a closing one, and never before
    a space (the spaces at a break stay at the end of the line before it)."""
    a, b = line[index - 1], line[index]
    if b.isspace() or a in _OPENING or b in _CLOSING:
        return False
    if a.isspace():
        before = line[index - 2] if index > 1 else ""
        return not _hiragana(b) and not (before.isdigit() and not b.isascii())
    if a + b in ("か月", "ヶ月", "カ月"):  # the counter of months: BudouX cuts `3か` / `月が`
        return False
    return not (a.isascii() and b.isascii())  # inside a run of letters, digits and signs


@lru_cache(maxsize=4096)
def pieces(line: str) -> tuple[str, ...]:
    """A line of text in the pieces a line may break between (their spaces kept at their ends):
    BudouX's phrases and the words after each space, joined where recon keeps them together."""
    starts = {index for index in range(1, len(line)) if line[index - 1].isspace()}
    if not line.isascii():  # English needs no phrases: it breaks at its spaces
        starts.update(accumulate(len(phrase) for phrase in _parser().parse(line)))
    cuts = [0, *sorted(index for index in starts if 0 < index < len(line) and _may_break(line, index)), len(line)]
    return tuple(line[start:end] for start, end in pairwise(cuts) if start < end)


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
