"""The workbook as LibreOffice Calc shows it: the example year's report, converted with `soffice
--headless` to PDF (what prints) and to one CSV per sheet with the cells as shown (what the screen
shows), and read as a person reads it.

Skipped only when LibreOffice is not installed; `.ci/run` installs it (and poppler-utils, whose
pdftotext and pdfinfo read the PDF). To look at the pages yourself:

    .venv/bin/python scripts/render_summary.py   # docs/summary.png, the summary's first page
"""
from __future__ import annotations

import csv
import re
import secrets
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from recon import commands, labels
from recon.state import STATE_SHEET

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (soffice not on PATH): the workbook is not "
                            "checked as Calc shows it; on Debian: apt-get install libreoffice-calc-nogui")

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "2024"
TIMEOUT_S = 300  # a first run creates the LibreOffice profile, which takes a while on a slow machine
# Every sheet's columns and rows, written with each cell as it is displayed (token 9 "true").
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
ERROR_VALUES = ("#VALUE!", "#NAME?", "#REF!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:")
SHEETS = {"ja": ["サマリー", "一般通話", "国際通話", "携帯通話", "IP通話", "PHS通話", "その他", "着割", "チェック", "仕訳", "取込ファイル"],
          "en": ["Summary", "General", "International", "Mobile", "IP", "PHS", "Other", "Discount", "Checks", "Journal", "Sources"]}
KIND = {name: kind for kind, names in labels.SHEETS.items() for name in names}  # a call type's sheet: none


@dataclass
class Rendered:
    """What Calc shows of one workbook: each PDF page's text and size, and each sheet's cells (as
    Calc exports them: every sheet, the very hidden one too); `visible`, the sheets a person sees,
    in the workbook's order."""

    pages: list[str]
    sizes: list[tuple[float, float]]
    sheets: dict[str, list[list[str]]]
    visible: list[str]

    def pages_of(self, sheet: str) -> list[str]:
        """The pages of a sheet: each page's header line is its sheet's name (the template's &A)."""
        return [page for page in self.pages if page.strip().splitlines()[0].strip() == sheet]


@pytest.fixture(scope="module")
def profile():
    """A LibreOffice user profile of this run's own, so parallel runs never share one."""
    path = Path("/tmp") / f"lo-{secrets.token_hex(8)}"
    yield path.as_uri()
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def render(tmp_path_factory, profile):
    """lang → the example year's report in that language as Calc shows it (each made once)."""
    done: dict[str, Rendered] = {}

    def rendered_in(lang: str) -> Rendered:
        if lang not in done:
            done[lang] = _render(lang, tmp_path_factory.mktemp(f"render-{lang}"), profile)
        return done[lang]

    return rendered_in


@pytest.fixture(params=["ja", "en"])
def rendered(request, render) -> Rendered:
    return render(request.param)


@pytest.fixture
def english(render) -> Rendered:
    return render("en")


def _render(lang: str, work: Path, profile: str, example: Path = EXAMPLE, year: str = "") -> Rendered:
    """`example` (a year folder, or a folder holding `year`) built in `lang` as Calc shows it."""
    shutil.copytree(example, work / example.name, ignore=shutil.ignore_patterns("recon-*.xlsx"))
    folder = work / example.name / year
    _, workbook = commands.build(folder, output=work / "report.xlsx", lang=lang)
    pdf = _convert(workbook, "pdf", work / "pdf", profile) / "report.pdf"
    csv_dir = _convert(workbook, CSV_FILTER, work / "csv", profile)
    count = int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(pdf)), re.MULTILINE).group(1))
    info = _run("pdfinfo", "-f", "1", "-l", str(count), str(pdf))
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info, re.MULTILINE)
    pages = [_run("pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-") for n in range(1, count + 1)]
    sheets = {path.stem.removeprefix("report-"): _read_csv(path) for path in csv_dir.glob("report-*.csv")}
    book = openpyxl.load_workbook(workbook, read_only=True)
    try:
        visible = [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]
    finally:
        book.close()
    return Rendered(pages, [(float(w), float(h)) for w, h in sizes], sheets, visible)


def _convert(workbook: Path, target: str, outdir: Path, profile: str) -> Path:
    outdir.mkdir()
    _run(SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", target, "--outdir", str(outdir), str(workbook))
    return outdir


def _run(*command: str) -> str:
    done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, check=True)
    return done.stdout.decode("utf-8")


def _read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _header(rendered: Rendered, sheet: str) -> list[str]:
    """A sheet's header row up to the table's last column (the summary's chart figures stand in
    hidden columns further right, lower down)."""
    words = list(rendered.sheets[sheet][0])
    while words and not words[-1]:
        words.pop()
    return words


def _lang(rendered: Rendered) -> str:
    return "ja" if "サマリー" in rendered.sheets else "en"


def _row(rendered: Rendered, sheet: str, *first: str) -> list[str]:
    """The first row of a sheet whose first cells are `first` (on the summary: the table's, not
    the chart's figures under it)."""
    return next(row for row in rendered.sheets[sheet] if row[:len(first)] == list(first))


def _cells(rendered: Rendered, sheet: str, row: list[str], *keys: str) -> list[str]:
    """The cells of `row` under the columns `keys`, each found by its header word (labels.HEADERS),
    so a reordering of the columns does not break the test that reads them."""
    header = rendered.sheets[sheet][0]
    words = {key: _word((ja, en), _lang(rendered)) for key, ja, en in labels.HEADERS[KIND.get(sheet, "type")]}
    return [row[header.index(words[key])] for key in keys]


# --- what the screen shows ------------------------------------------------------------------------

def test_every_sheet_is_there_in_order(rendered):
    lang = _lang(rendered)
    assert rendered.visible == SHEETS[lang]
    assert sorted(rendered.sheets) == sorted(SHEETS[lang] + [STATE_SHEET])  # Calc keeps the hidden one
    assert [page.strip().splitlines()[0].strip() for page in rendered.pages] == \
        [sheet for sheet in SHEETS[lang] for _ in rendered.pages_of(sheet)]  # and does not print it


def test_january_shows_the_seed_figures_as_an_accountant_writes_them(rendered):
    lang = _lang(rendered)
    summary = SHEETS[lang][0]
    status = labels.word(labels.STATUS, "warning", lang)
    row = _row(rendered, summary, "2024-01")
    keys = ("status", "count", "time", "charge", "discount_stated", "discount_recomputed", "expected",
            "invoiced", "variance", "close")
    minus = {"ja": "△", "en": "-"}[lang]  # the English workbook writes negatives as -1,174
    assert _cells(rendered, summary, row, *keys) == \
        [status, "3,016", "109:54:23.5", "130,090", f"{minus}1,174", f"{minus}1,174", "128,916", "128,916", "0",
         labels.word(labels.CLOSE, "open", lang)]
    assert _cells(rendered, summary, row, "explanation", "reviewer", "signed_on") == ["", "", ""]


def test_may_shows_its_variance(rendered):
    summary = SHEETS[_lang(rendered)][0]
    row = _row(rendered, summary, "2024-05")
    assert _cells(rendered, summary, row, "status", "variance") == \
        [labels.word(labels.STATUS, "variance", _lang(rendered)), "330"]
    assert _cells(rendered, summary, row, "expected", "invoiced", "variance") == ["8,056", "8,386", "330"]


def test_year_total_counts_the_months_to_review_and_adds_up_on_its_row(rendered):
    lang = _lang(rendered)
    summary = SHEETS[lang][0]
    row = _row(rendered, summary, _word(labels.TOTAL_ROW, lang))
    # not a status of its own: the months neither ok nor closed (here without the folder's report,
    # so May's variance is not signed off either)
    assert _cells(rendered, summary, row, "status") == [labels.total_status_word(6, lang)]
    # November's international calls are ten times the usual since the example was remade (the anomaly)
    assert _cells(rendered, summary, row, "count", "time", "charge") == ["6,016", "279:12:34.3", "202,218"]
    minus = {"ja": "△", "en": "-"}[lang]
    assert _cells(rendered, summary, row, "discount_recomputed", "fees", "tax", "expected", "invoiced", "variance") \
        == [f"{minus}4,020", "1,650", "813", "200,661", "200,991", "330"]  # 202,218 − 4,020 + 1,650 + 813
    every = _row(rendered, summary, _word(labels.INVOICED_ALL_ROW, lang))
    assert _cells(rendered, summary, every, "invoiced") == ["211,108"]  # August and October too


def test_month_over_month_changes_use_one_sign_for_calls_and_charge(rendered):
    general = SHEETS[_lang(rendered)][1]
    minus = {"ja": "△", "en": "-"}[_lang(rendered)]
    assert _row(rendered, general, "2024-02")[6:8] == [f"{minus}914", f"{minus}8,112"]
    assert _row(rendered, general, "2024-03")[6:8] == ["+32", "+320"]
    assert _row(rendered, general, "2024-01")[6:8] == ["", ""]  # no month before


def test_failing_checks_come_first(rendered):
    lang = _lang(rendered)
    checks = rendered.sheets[SHEETS[lang][8]][1:]
    mismatch = labels.word(labels.RESULT, False, lang)
    results = [row[5] for row in checks]
    assert results[:2] == [mismatch, mismatch] and mismatch not in results[2:]
    assert checks[0][:5] == ["2024-01", labels.word(labels.CHECKS, "total_duration", lang),
                             "119:54:23.5", "109:54:23.5", "10:00:00.0"]
    assert checks[0][6] == "2024-01.txt:17"


def test_no_cell_shows_an_error_value(rendered):
    shown = [cell for rows in rendered.sheets.values() for row in rows for cell in row] + rendered.pages
    assert not [text for text in shown if any(error in text for error in ERROR_VALUES)]


# --- what prints ----------------------------------------------------------------------------------

def test_no_column_is_too_narrow_for_its_figures(rendered):
    assert not [page for page in rendered.pages if "###" in page]


def test_every_page_is_landscape(rendered):
    assert rendered.sizes and all(width > height for width, height in rendered.sizes)


def test_every_sheet_fits_its_page_width_with_the_header_on_every_page(rendered):
    """A sheet wider than its page would print its last columns on pages of their own, without the
    first column: every page shows the first column's header, and each sheet's first page its
    last column's header."""
    lang = _lang(rendered)
    for sheet in SHEETS[lang]:
        pages = rendered.pages_of(sheet)
        header = _header(rendered, sheet)
        assert pages, sheet
        for page in pages:
            assert _words(header[0]) <= _words(page), (sheet, header[0])
        assert _words(header[-1]) <= _words(pages[0]), (sheet, header[-1])


def test_summary_fits_its_page_width_with_the_close_columns(rendered):
    """The close columns (締め, 説明, 確認者, 確認日) widen the summary: it still prints one page wide,
    every page showing the first column's header and the close columns' headers."""
    lang = _lang(rendered)
    summary = SHEETS[lang][0]
    pages = rendered.pages_of(summary)
    assert _header(rendered, summary) == [_word((ja, en), lang) for _, ja, en in labels.HEADERS["summary"]]
    headers = {key: _word((ja, en), lang) for key, ja, en in labels.HEADERS["summary"]}
    assert pages
    for page in pages:
        for key in ("month", "close", "explanation", "reviewer", "signed_on", "messages"):
            assert _words(headers[key]) <= _words(page), (summary, key)
    assert ({"締め", "説明"} if lang == "ja" else {"Close", "Explanation"}) <= _words(pages[0])


def test_sheets_with_a_year_of_rows_print_on_one_page(rendered):
    """Every sheet but the summary (next test) and the checks (a row per check, several pages)."""
    lang = _lang(rendered)
    one_page = [sheet for sheet in SHEETS[lang] if KIND.get(sheet) not in ("checks", "summary")]
    assert {sheet: len(rendered.pages_of(sheet)) for sheet in one_page} == {sheet: 1 for sheet in one_page}


def test_summary_with_a_year_of_rows_prints_the_table_and_the_chart_on_one_page(rendered):
    assert len(rendered.pages_of(SHEETS[_lang(rendered)][0])) == 1


def test_summary_page_shows_the_table_and_the_chart_with_the_invoiced_line(rendered):
    """The table and the chart on the summary's pages (that they are one page: the test above)."""
    lang = _lang(rendered)
    page = "\n".join(rendered.pages_of(SHEETS[lang][0]))
    assert _word(labels.CHART_TITLE, lang) in page
    invoiced = _word(labels.CHART_INVOICED, lang)
    [legend] = [line for line in page.splitlines() if _words(labels.type_label("general", lang)) <= _words(line)]
    assert _words(invoiced) <= _words(legend)  # the line's entry, beside the call types'
    assert {"ja": "△1,174", "en": "-1,174"}[lang] in page and "109:54:23.5" in page


def test_no_word_of_a_header_or_a_files_place_is_broken_by_its_column(rendered):
    """A header's words, a check's file and line and a file's path each stand whole on the printed
    page: a column too narrow would break one mid-way (前年同月 通話料／金, 明細!／E11)."""
    _assert_no_word_broken(rendered)
    places = {row[6] for row in rendered.sheets[SHEETS[_lang(rendered)][8]][1:]}
    assert {"2024-04.xlsx:明細!E11", "2024-01.txt:17"} <= places


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("example, year", [("archive", "2024年度"), ("company", "2024")])
def test_no_word_is_broken_in_the_other_examples_either(example, year, lang, tmp_path, profile):
    """The archive's 前年同月 columns, the company's contracts (名古屋営業所/2024-02.xlsx:明細!E11 on the
    checks sheet, 050IP電話 2024年2月分 名古屋営業所 国際通話 as the 仕訳's 摘要)."""
    rendered = _render(lang, tmp_path, profile, EXAMPLE.parent / example, year)
    _assert_no_word_broken(rendered)
    sheets = {KIND.get(name): name for name in rendered.visible}
    journal = rendered.sheets[sheets["journal"]]
    summaries = {row[_header(rendered, sheets["journal"]).index(_word(("摘要", "Description"), lang))]
                 for row in journal[1:]}
    printed = set().union(*map(_words, rendered.pages_of(sheets["journal"])))
    assert summaries and all(_words(text) <= printed for text in summaries if text)


def _assert_no_word_broken(rendered: Rendered) -> None:
    """Every header word of every sheet, and every check's place and file's path, whole on its pages."""
    for sheet in rendered.visible:
        printed = set().union(*map(_words, rendered.pages_of(sheet)))
        for cell in _header(rendered, sheet):
            assert _words(cell) <= printed, (sheet, cell)
        kind = KIND.get(sheet)
        if kind in ("checks", "sources"):
            header = _header(rendered, sheet)
            column = header.index(_word(next((ja, en) for key, ja, en in labels.HEADERS[kind]
                                             if key in ("where", "path")), _lang(rendered)))
            places = {row[column] for row in rendered.sheets[sheet][1:] if len(row) > column and row[column]}
            assert places and not {place for place in places if not _words(place) <= printed}, sheet


def test_each_line_of_a_message_or_an_explanation_prints_as_the_workbook_broke_it(rendered):
    """The summary's メッセージ and 説明 and the checks' 説明 are written in the lines they show: each
    prints whole on one line of the page, the viewer wrapping none of them again (which would cut a
    word, a phone number or an amount and its 円 mid-way, as it did: を合 / 計に含めました)."""
    lang = _lang(rendered)
    squeezed = [" ".join(line.split()) for page in rendered.pages for line in page.splitlines()]
    cells = [cell for sheet in (SHEETS[lang][0], SHEETS[lang][8]) for row in rendered.sheets[sheet][1:]
             for cell in row if isinstance(cell, str) and "\n" in cell]
    lines = [" ".join(line.split()) for cell in cells for line in cell.split("\n") if line.strip()]
    assert len(lines) > 10
    for line in lines:
        assert any(line in printed for printed in squeezed), line


def test_the_chart_names_a_month_without_a_table_and_the_full_amount_of_a_cut_bar(rendered):
    lang = _lang(rendered)
    page = _words("\n".join(rendered.pages_of(SHEETS[lang][0])))
    assert _words(labels.word(labels.BLANK_WHY, "no_detail", lang)) <= page  # 2024-08: no bar, said why
    assert _words(labels.word(labels.BLANK_WHY, "error", lang)) <= page  # 2024-10
    assert _words(_word(labels.CHART_CLIPPED, lang).format(amount="130,090")) <= page  # January, cut
    assert _word(labels.CHART_DATA, lang) not in "\n".join(rendered.pages)  # the chart's figures: not printed


# --- English --------------------------------------------------------------------------------------

@pytest.mark.parametrize("sheet", SHEETS["en"])
def test_english_headers_are_the_english_labels(english, sheet):
    header = _header(english, sheet)
    kind = KIND.get(sheet, "type")
    # the example year has no previous year beside it: no 前年同月 columns
    assert header == [en for key, _, en in labels.HEADERS[kind] if not key.startswith("year_ago")]


def test_english_words_in_the_cells_recon_writes(english):
    sheets = english.sheets
    written = {cell for row in sheets["Summary"][1:] for cell in _cells(english, "Summary", row, "status", "close")}
    written |= {row[5] for row in sheets["Checks"][1:]}
    written |= {row[1] for row in sheets["Checks"][1:]} | {row[2] for row in sheets["Sources"][1:]}
    written |= {row[4] for row in sheets["Sources"][1:]}
    assert not [text for text in written if _has_japanese(text)]
    reasons = {row[0]: row[5] for row in sheets["Sources"][1:]}
    assert reasons["請求書_2024-03.pdf"] == "not a format recon reads (.pdf)"
    assert reasons["2024-10.txt"] == "2024-10.txt:3: expected a count such as 1,096, found '2O8'"
    [messages] = _cells(english, "Summary", _row(english, "Summary", "2024-01"), "messages")
    # broken into the lines it shows: nothing but the line breaks added
    assert "stated 119:54:23.5 is over the recomputed 109:54:23.5 by 10:00:00" in messages.replace("\n", "")
    assert "the table states no total charge" not in messages  # what was not checked stays in the JSON


def _word(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "ja" else pair[1]


def _words(text: str) -> set[str]:
    """The words of a page; brackets apart, as the PDF's text sets them apart around kanji."""
    return set(re.sub(r"([()（）])", r" \1 ", text).split())


def _has_japanese(text: str) -> bool:
    return any(unicodedata.east_asian_width(char) in "WF" for char in text)
