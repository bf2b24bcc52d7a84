"""The console summary lines up: every column as wide as its widest cell (recon/outputs/console.py)."""
from __future__ import annotations

from recon import labels
from recon.outputs.console import _COLUMNS, _WIDTHS, _row, _shown_width, _widths

HEADER = tuple(labels.CONSOLE_HEADERS[key][0] for key in _COLUMNS)  # Japanese: two columns a kanji

MONTH = ("拠点001/2024-01", "一致", "締め済", "3,016", "109:54:23.5", "¥130,090", "-1,174", "-1,174", "0", "0",
         "128,916", "128,916", "0")
TOTAL = ("年間合計", "1000件要確認", "-", "1,522,000", "87368:53:41.7", "¥35,649,507", "-1,174,000", "-1,174,000",
         "330,000", "1,234,567", "35,709,074", "34,709,074", "-1,000,000")


def _ends(line: str, widths: tuple[int, ...]) -> list[str]:
    """The text of each right-aligned column of `line`, cut at the column's end (display columns)."""
    shown = []
    for ch in line:  # one entry a display column: a kanji fills two
        shown.append(ch)
        shown.extend([""] * (_shown_width(ch) - 1))
    ends = [sum(widths[:k + 1]) for k in range(1, len(widths))]
    return ["".join(shown[:end]).split(" ")[-1] for end in ends]


def test_a_cell_wider_than_its_column_widens_the_column_for_every_row():
    widths = _widths([HEADER, MONTH, TOTAL])
    assert widths != _WIDTHS and all(w >= d for w, d in zip(widths, _WIDTHS, strict=True))
    for cells in (HEADER, MONTH, TOTAL):
        assert _ends(_row(cells, widths), widths) == list(cells[1:])


def test_cells_that_fit_keep_the_usual_widths():
    assert _widths([MONTH]) == (_shown_width(MONTH[0]), *_WIDTHS[1:])
    assert _widths([("2024-01", *MONTH[1:])]) == _WIDTHS
