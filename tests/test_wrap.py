"""A text recon writes into a wrapping column is broken into lines where a reader breaks them
(recon/outputs/workbook/wrap.py): between BudouX's phrases and at spaces, never inside a number, a
phone number, a file's place or a Japanese word, each line within the column, and nothing but
line breaks added. Each rule recon adds on top of BudouX has a test that shows its case."""
from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings, strategies as st

from recon.outputs.workbook.rows import _display_width
from recon.outputs.workbook.wrap import _parser, broken, pieces

ROOM = 42  # the summary's メッセージ column (44 digits) less the margin DataRows keeps

# From the newcomer trial: each of these was cut mid-way in the rendered workbook.
WHOLE = ["050-5555-0107", "7,320 円", "8,211 円", "74 件", "含めました", "2024年11月16日", "2024-10.txt:3",
         "「2O8」でした", "含まれている", "(2024年9月分.txt:10)"]
MESSAGES = [
    "不正利用の疑い: 営業時間外・休日の国際/高額通話 44 件 7,320 円 (最初 2024年11月16日 02:05:19、番号 050-5555-0107)",
    "番号 050-5555-0107 がこの月の通話料金の 58% (8,211 円・74 件) を占めます",
    "未知の通話種別「ナビダイヤル」(2024年9月分.txt:10) を合計に含めました",
    "2024-10.txt:3: 通話数 (例: 1,096)が必要ですが「2O8」でした",
    "OCN に確認済み: 6 月開通の追加番号の基本料 330 円が 5 月分請求に含まれている",
    "possible toll fraud: 44 international/premium calls outside business hours or on a holiday, 7,320 yen "
    "(first 16 Nov 2024 02:05:19, number 050-5555-0107)",
]


@pytest.mark.parametrize("room", [ROOM, 30, 24])
@pytest.mark.parametrize("text", MESSAGES)
def test_no_word_number_or_place_is_cut_and_every_line_fits(text, room):
    lines = broken(text, room).split("\n")
    assert "".join(lines) == text
    assert all(_display_width(line.rstrip()) <= room for line in lines), lines
    for whole in WHOLE:
        if whole in text:
            assert any(whole in line for line in lines), (whole, lines)
    assert not any(re.search(r"\d$", line.rstrip()) and re.match(r"[円件]", following)
                   for line, following in itertools.pairwise(lines))


def test_a_text_that_fits_is_left_as_it_is_and_its_own_line_breaks_stay():
    assert broken("請求額 8,386 は見込額 8,056 より 330 多い", ROOM) == "請求額 8,386 は見込額 8,056 より 330 多い"
    assert broken("この月の明細がありません\nエラーの 2024-10 は合計に含めていません", ROOM).count("\n") == 1


def test_japanese_breaks_between_budoux_phrases_never_inside_a_word():
    """The phrases are BudouX's: a line ends after 、 or a particle, not inside an inflected verb
    (a rule of particles alone cut `仕訳してくださ` / `い` and `そろ` / `った行`)."""
    assert pieces("未知の通話種別「ナビダイヤル」を合計に含めました") == (
        "未知の", "通話種別", "「ナビダイヤル」を", "合計に", "含めました")
    assert broken("エラーの月です: 正しい明細・請求額を確かめてから仕訳してください", 24).split("\n") == [
        "エラーの月です: 正しい", "明細・請求額を確かめてから", "仕訳してください"]
    assert broken("通話数・通話時間・通話料金のそろった行が必要です", 30).split("\n") == [
        "通話数・通話時間・通話料金の", "そろった行が必要です"]


def test_an_english_sentence_breaks_at_its_spaces_each_space_kept_at_the_line_end():
    """BudouX breaks Japanese only: English, and the words between Japanese phrases, break at spaces."""
    text = "possible toll fraud: 44 international/premium calls outside business hours or on a holiday, 7,320 yen"
    assert _parser().parse(text) == [text]
    assert broken(text, 20).split("\n") == [
        "possible toll fraud: 44 ", "international/premium ", "calls outside business ", "hours or on a holiday, ",
        "7,320 yen"]
    assert pieces("通話料金 (国際通話)") == ("通話料金 ", "(国際通話)")  # one BudouX phrase, two pieces


def test_a_figure_and_its_unit_are_never_split_at_the_space_between_them():
    assert pieces("国際/高額通話 44 件 7,320 円 (最初") == ("国際/高額通話 ", "44 件 ", "7,320 円 ", "(最初")
    assert broken("通話 7,320 円", 9) == "通話 \n7,320 円"  # `通話 7,320 ` fits 9 digits, the unit goes with it
    assert broken("基本料 330 円が 5 月分請求に", 14).split("\n") == ["基本料 330 円が ", "5 月分請求に"]


def test_a_particle_after_a_space_stays_with_the_word_before_it():
    assert pieces("OCN に確認済み") == ("OCN に", "確認済み")
    assert broken("2024-01.txt のように書き出してください", 20).split("\n") == [
        "2024-01.txt のように", "書き出してください"]


def test_runs_of_letters_digits_and_signs_budoux_cuts_stay_whole():
    """BudouX cuts inside a date, a formula and a counter (`202` / `4年`, `=HYPERLINK` / `("`,
    `3か` / `月が`); recon keeps them whole, and a figure with the word that counts it."""
    for text, whole in [("(最初 2024年11月16日 02:05:19、", "2024年11月16日 "),
                        ('=HYPERLINK("#A1","通話明細へ")', '=HYPERLINK("#A1","'),
                        ("2024-01・2024-02のうち3か月が締めを止めています", "3か月が")]:
        assert whole not in _parser().parse(text)
        assert any(piece.startswith(whole) for piece in pieces(text)), pieces(text)
    assert "".join(_parser().parse("(202")) == "(202" and pieces("(最初 2024年") == ("(最初 ", "2024年")


def test_a_line_never_ends_with_an_opening_bracket_nor_starts_with_a_closing_one():
    assert "(" in _parser().parse("7,320 円 (最初 2024年11月16日")  # BudouX leaves `(` alone
    for line in broken("不正利用の疑い: 国際/高額通話 44 件 7,320 円 (最初 2024年11月16日、番号 050-5555-0107)",
                       12).split("\n"):
        assert not line.rstrip().endswith(("(", "「")) and not line.startswith((")", "、", "。", "」"))


def test_a_piece_wider_than_the_column_is_cut_between_characters():
    lines = broken("通話明細_" + "x" * 80 + ".csv", 20).split("\n")
    assert len(lines) > 2 and all(_display_width(line) <= 20 for line in lines)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("あいう漢字カナ 0123456789,.-:()「」、。abcXYZ円件\n"), max_size=120),
       st.integers(min_value=4, max_value=60))
def test_any_text_only_gains_line_breaks_and_its_lines_fit(text, room):
    out = broken(text, room)
    assert out.replace("\n", "") == text.replace("\n", "")
    assert all(_display_width(line.rstrip()) <= room or len(line.rstrip()) == 1 for line in out.split("\n"))


def test_the_workbooks_messages_are_written_in_the_lines_they_show_and_rows_are_as_tall(tmp_path):
    """The example year with per-call records: November's messages in the summary, broken as
    wrap.broken breaks them, never inside the number that made the calls; the row exactly as many
    lines tall; a check's name broken across lines still names its check when read back."""
    import shutil
    from pathlib import Path

    import openpyxl

    from recon.commands import build

    year = tmp_path / "2024"
    shutil.copytree(Path(__file__).parents[1] / "examples" / "calls" / "2024", year)
    _, path = build(year)
    book = openpyxl.load_workbook(path)
    summary = book.worksheets[0]
    headers = [c.value for c in summary[1]]
    row = next(r for r in range(2, summary.max_row + 1) if summary.cell(r, 1).value == "2024-11")
    text = summary.cell(row, headers.index("メッセージ") + 1).value
    lines = text.split("\n")
    assert len(lines) > 3 and any("050-5555-0107" in line for line in lines)
    assert summary.row_dimensions[row].height == len(lines) * summary.sheet_format.defaultRowHeight


def test_an_explanation_beside_a_check_whose_name_shows_on_two_lines_is_kept(tmp_path):
    """The name in the checks sheet is read back without the line breaks the workbook gave it."""
    import shutil
    from pathlib import Path

    import openpyxl

    from recon import labels
    from recon.commands import build

    year = tmp_path / "2024"
    shutil.copytree(Path(__file__).parents[1] / "examples" / "calls" / "2024", year)
    _, path = build(year)
    book = openpyxl.load_workbook(path)
    checks = book[labels.SHEETS["checks"][0]]
    headers = [c.value for c in checks[1]]
    name, note = headers.index("チェック項目") + 1, headers.index("説明") + 1
    row = next(r for r in range(2, checks.max_row + 1) if checks.cell(r, name).value == "通話明細の通話料金 (国際通話)")
    checks.cell(row, name).value = "通話明細の通話料金 \n(国際通話)"  # as a narrower column breaks it
    checks.cell(row, note).value = "OCN に確認済み"
    book.save(path)
    _, path = build(year)
    checks = openpyxl.load_workbook(path)[labels.SHEETS["checks"][0]]
    kept = {checks.cell(r, name).value: checks.cell(r, note).value for r in range(2, checks.max_row + 1)}
    assert kept["通話明細の通話料金 (国際通話)"] == "OCN に確認済み"


def test_an_explanation_is_shown_in_whole_phrases_and_read_back_as_typed(tmp_path):
    """The checks sheet's 説明 breaks at phrases (not `含まれてい` / `る`), and the next build reads
    the accountant's words as typed, not with the report's line breaks, however often it runs; a
    cell the accountant changed since is read as it is now."""
    import shutil
    from pathlib import Path

    import openpyxl

    from recon import labels
    from recon.commands import build

    typed = "OCN に確認済み: 6 月開通の追加番号の基本料 330 円が 5 月分請求に含まれている"
    year = tmp_path / "2024"
    shutil.copytree(Path(__file__).parents[1] / "examples" / "calls" / "2024", year)
    _, path = build(year)

    def cell_of(book):
        checks = book[labels.SHEETS["checks"][0]]
        headers = [c.value for c in checks[1]]
        row = next(r for r in range(2, checks.max_row + 1)
                   if checks.cell(r, headers.index("チェック項目") + 1).value == "請求額")
        return checks.cell(row, headers.index("説明") + 1)

    book = openpyxl.load_workbook(path)
    cell_of(book).value = typed
    book.save(path)
    for _ in range(2):
        view, path = build(year)
        shown = cell_of(openpyxl.load_workbook(path)).value
        assert "\n" in shown and shown.replace("\n", "") == typed
        assert any(line.endswith("含まれている") for line in shown.split("\n"))
        assert [row.explanation for row in view.checks if row.explanation] == [typed]
    book = openpyxl.load_workbook(path)
    cell_of(book).value = shown.replace("OCN", "NTT")  # changed by hand, its line breaks kept
    book.save(path)
    view, _ = build(year)
    assert [row.explanation for row in view.checks if row.explanation] == [shown.replace("OCN", "NTT")]
