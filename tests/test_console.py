"""The console summary lines up: every column as wide as its widest cell (recon/outputs/console.py)."""
from __future__ import annotations

import pytest

from recon import labels
from recon.outputs.console import _COLUMNS, _WIDTHS, _row, _shown_width, _widths

_WORDS = {key: ja for key, ja, _ in labels.HEADERS["summary"]}
HEADER = tuple(_WORDS[key] for key in _COLUMNS)  # Japanese: two columns a kanji

MONTH = ("拠点001/2024-01", "一致", "締め済", "3,016", "109:54:23.5", "¥130,090", "-1,174", "0", "0",
         "128,916", "128,916", "0")
TOTAL = ("年間合計", "1000件要確認", "-", "1,522,000", "87368:53:41.7", "¥35,649,507", "-1,174,000",
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


def test_a_name_beside_a_blank_status_runs_on_into_its_column_and_widens_nothing():
    invoiced = ("Invoiced, all rows", "", "-", "-", "-", "-", "-", "-", "-", "-", "211,108", "-")
    assert _widths([("2024-01", *MONTH[1:]), invoiced])[0] == _WIDTHS[0]
    line = _row(invoiced, _widths([invoiced]))
    assert line.startswith("Invoiced, all rows ") and line.endswith("211,108        -")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_normal_years_summary_fits_a_windows_console_and_each_line_adds_up(tmp_path, lang):
    """The example year (one contract, a month of each status) in a console of 120 columns under
    cp932, the last column left free (a line that fills it leaves a blank line after it): each row's
    charge + 着割 + fees + tax is its expected invoice, and invoiced - expected its variance."""
    import shutil
    from pathlib import Path

    from recon.outputs.console import summary
    from recon.pipeline import build
    from recon.settings import load
    from recon.view import view

    year = tmp_path / "2024"
    shutil.copytree(Path(__file__).parents[1] / "examples" / "2024", year)
    settings = load(None, {"report": {"lang": lang}})
    text = summary(view(build(year, settings), settings), "cp932")
    rows = [line for line in text.splitlines() if line[:4] in ("2024", "年間合計", "Year")]
    assert len(rows) == 13
    for line in text.splitlines()[:2] + rows:
        assert _shown_width(line) < 120, line
    for line in rows:
        cells = line.rsplit(maxsplit=8)[1:]  # charge, 着割, fees, tax, expected, invoiced, variance
        if "-" in cells:
            continue
        charge, discount, fees, tax, expected, invoiced, variance = (
            int(c.replace(",", "").replace("円", "")) for c in cells[1:])
        assert charge + discount + fees + tax == expected and invoiced - expected == variance, line


# ── recon check's last line: whole, true sentences for one month and for many ────────────────────

def _close(months: int, blocking: int, still_open: int, lang: str, contracts: tuple[str, ...] = ("",)) -> str:
    """close_line over `months` months of each of `contracts`, contract by contract: the first
    `blocking` block the close (errors), the next `still_open` are warnings not signed off, the rest
    closed."""
    from types import SimpleNamespace

    from recon.model import Close, SignOff
    from recon.outputs.console import close_line

    def month(i: int):
        status = "error" if i < blocking else "warning" if i < blocking + still_open else "ok"
        state = "closed" if status == "ok" else "open"
        account = contracts[i // months]
        return SimpleNamespace(account=account, month=f"2024-{i % months + 1:02d}", status=status, fraud=(),
                               close=Close(state, SignOff()))
    found = [month(i) for i in range(months * len(contracts))]
    rows = tuple(SimpleNamespace(kind="month", account=m.account, month=m.month, lacks=()) for m in found)
    view = SimpleNamespace(lang=lang, months=found, summary=rows, contract_count=len(contracts), month_count=months)
    return close_line(view, found[:blocking])


@pytest.mark.parametrize("months, blocking, still_open, ja, en", [
    (1, 0, 0, "締め: 完了。この1か月は締めを止めていません", "close: done, the 1 month does not block it"),
    (1, 0, 1, "締め: 完了。この1か月は注意で未了ですが、締めは止めません: 2024-01",
     "close: done, the 1 month is open as a warning, which does not block it: 2024-01"),
    (1, 1, 0, "締め: 未了。この1か月が締めを止めています: 2024-01 エラー",
     "close: not done, the 1 month blocks it: 2024-01 error"),
    (3, 0, 0, "締め: 完了。3か月のどれも締めを止めていません", "close: done, none of the 3 months blocks it"),
    (3, 0, 1, "締め: 完了。3か月のどれも締めを止めていません (うち注意の1か月が未了です: 2024-01)",
     "close: done, none of the 3 months blocks it (1 of them is open as a warning: 2024-01)"),
    (3, 0, 2, "締め: 完了。3か月のどれも締めを止めていません (うち注意の2か月が未了です: 2024-01、2024-02)",
     "close: done, none of the 3 months blocks it (2 of them are open as warnings: 2024-01, 2024-02)"),
    (2, 0, 2, "締め: 完了。2か月すべてが注意で未了ですが、締めは止めません: 2024-01、2024-02",
     "close: done, all 2 months are open as warnings, which do not block it: 2024-01, 2024-02"),
    (3, 1, 0, "締め: 未了。3か月のうち1か月が締めを止めています: 2024-01 エラー",
     "close: not done, 1 of 3 months blocks it: 2024-01 error"),
    (3, 1, 1, "締め: 未了。3か月のうち1か月が締めを止めています: 2024-01 エラー (ほかに注意の1か月が未了ですが、"
     "締めは止めません: 2024-02)",
     "close: not done, 1 of 3 months blocks it: 2024-01 error (1 more is open as a warning, which does not "
     "block it: 2024-02)"),
    (4, 2, 2, "締め: 未了。4か月のうち2か月が締めを止めています: 2024-01 エラー、2024-02 エラー (ほかに注意の2か月が"
     "未了ですが、締めは止めません: 2024-03、2024-04)",
     "close: not done, 2 of 4 months block it: 2024-01 error, 2024-02 error (2 more are open as warnings, "
     "which do not block it: 2024-03, 2024-04)"),
    (3, 3, 0, "締め: 未了。3か月すべてが締めを止めています: 2024-01 エラー、2024-02 エラー、2024-03 エラー",
     "close: not done, all 3 months block it: 2024-01 error, 2024-02 error, 2024-03 error"),
])
def test_the_close_line_counts_each_month_once_in_whole_sentences(months, blocking, still_open, ja, en):
    assert _close(months, blocking, still_open, "ja") == ja
    assert _close(months, blocking, still_open, "en") == en


BRANCHES = ("本社", "大阪支店", "名古屋営業所")


@pytest.mark.parametrize("blocking, still_open, ja, en", [
    (0, 0, "締め: 完了。3契約・3か月の9件のどれも締めを止めていません",
     "close: done, none of the 9 contract-months (3 contracts × 3 months) blocks it"),
    (0, 2, "締め: 完了。3契約・3か月の9件のどれも締めを止めていません "
     "(うち注意の2件が未了です: 本社/2024-01、本社/2024-02)",
     "close: done, none of the 9 contract-months (3 contracts × 3 months) blocks it (2 of them are open as "
     "warnings: 本社/2024-01, 本社/2024-02)"),
    (1, 0, "締め: 未了。3契約・3か月の9件のうち1件が締めを止めています: 本社/2024-01 エラー",
     "close: not done, 1 of 9 contract-months (3 contracts × 3 months) blocks it: 本社/2024-01 error"),
    (4, 1, "締め: 未了。3契約・3か月の9件のうち4件が締めを止めています: 本社/2024-01 エラー、本社/2024-02 エラー、"
     "本社/2024-03 エラー、大阪支店/2024-01 エラー (ほかに注意の1件が未了ですが、締めは止めません: 大阪支店/2024-02)",
     "close: not done, 4 of 9 contract-months (3 contracts × 3 months) block it: 本社/2024-01 error, "
     "本社/2024-02 error, 本社/2024-03 error, 大阪支店/2024-01 error (1 more is open as a warning, which does not "
     "block it: 大阪支店/2024-02)"),
    (9, 0, "締め: 未了。3契約・3か月の9件すべてが締めを止めています: " + "、".join(
        f"{b}/2024-0{m} エラー" for b in BRANCHES for m in (1, 2, 3)),
     "close: not done, all 9 contract-months (3 contracts × 3 months) block it: " + ", ".join(
        f"{b}/2024-0{m} error" for b in BRANCHES for m in (1, 2, 3))),
])
def test_with_several_contracts_the_close_line_counts_contract_months_not_calendar_months(blocking, still_open,
                                                                                          ja, en):
    """Three contracts of three months each are nine contract-months, never nine months."""
    assert _close(3, blocking, still_open, "ja", BRANCHES) == ja
    assert _close(3, blocking, still_open, "en", BRANCHES) == en


@pytest.mark.parametrize("count, contracts, months, ja, en", [
    (12, 1, 12, "12か月", "12 months"),
    (1, 1, 1, "1か月", "1 month"),
    (9, 3, 3, "3契約・3か月の9件", "9 contract-months (3 contracts × 3 months)"),
    (2, 2, 1, "2契約・1か月の2件", "2 contract-months (2 contracts × 1 month)"),
    (8, 3, 3, "3契約・3か月の8件", "8 contract-months (3 contracts over 3 months)"),  # one contract lacks a month
])
def test_the_months_of_a_year_in_words(count, contracts, months, ja, en):
    assert labels.contract_months_count(count, contracts, months, "ja") == ja
    assert labels.contract_months_count(count, contracts, months, "en") == en


def test_a_folder_of_no_month_prints_no_empty_table(tmp_path):
    """A scaffold with nothing in it yet: no header over no rows and no `0か月: -`; the close line
    says why nothing closes."""
    from click.testing import CliRunner

    from recon.cli import main

    folder = tmp_path / "2024"
    assert CliRunner().invoke(main, ["init", str(folder)]).exit_code == 0
    for lang, close in (("ja", "締め: 未了。月がひとつもありません"), ("en", "close: not done, no months found")):
        run = CliRunner().invoke(main, ["check", str(folder), "--lang", lang])
        lines = run.stdout.splitlines()
        assert run.exit_code == 1 and lines[-1] == close
        assert not any("利用月" in line or "Month" in line or "0か月" in line or "0 months" in line for line in lines)
