"""The words of an error line: `{where}{expected}が必要です` in Japanese reads as a sentence only
when what is expected is a noun phrase; an instruction is written in brackets after it, and the
line says it as a sentence of its own after what was found."""
from __future__ import annotations

import pickle
import re

import pytest

from recon import labels
from recon.errors import ReadError, ReconError
from recon.model import Message, Where


@pytest.mark.parametrize("key", sorted(labels.EXPECTED))
def test_what_is_expected_is_a_noun_phrase_in_japanese(key):
    japanese = labels.EXPECTED[key][0].rstrip()
    assert not japanese.endswith(("ください", "です", "ます", "。", "さい")), japanese


def test_an_instruction_follows_the_error_line_as_a_sentence_of_its_own():
    line = labels.render(Message.of("read_error", where="7月.txt:2", expected="month_year", param_month="7"), "ja")
    assert line == "7月.txt:2: 7月の年が必要です。ファイル名を 2024-01.txt のようにするか、2024 という名前のフォルダに置いてください"


def test_a_formula_never_calculated_is_said_as_a_sentence_about_it_in_japanese():
    message = Message.of("read_error", where="2024-03.xlsx:明細!D7", expected="calculated", found="=96000+870")
    assert labels.render(message, "ja") == ("2024-03.xlsx:明細!D7: 数式「=96000+870」は一度も計算されていないため、"
                                            "値がありません。ファイルを Excel で開いて一度保存してください")
    assert labels.render(message, "en") == ("2024-03.xlsx:明細!D7: expected a calculated value, found '=96000+870' "
                                            "(this formula was never calculated: open the file in Excel and save it once)")


def test_an_example_stays_beside_what_is_expected():
    message = Message.of("read_error", where="2024-10.txt:3", expected="count", found="2O8")
    assert labels.render(message, "ja") == "2024-10.txt:3: 通話数 (例: 1,096)が必要ですが「2O8」でした"


# Names of a file's parts and formats, written as the file writes them, not English words.
_NAMES = ("WebMainResource", "text/html", "MIME", "zip", "workbook", "Web ページ")


@pytest.mark.parametrize("key", sorted(labels.FOUND))
def test_what_recon_says_it_found_is_in_the_words_of_the_message(key):
    """A reader's own description of what it found (not a cell's text, not a library's words) is put
    in the message's language: no `not a zip archive` or `1,234 bytes` inside a Japanese line."""
    japanese = labels.FOUND[key][0]
    for name in _NAMES:
        japanese = japanese.replace(name, "")
    assert not re.search(r"[A-Za-z]{2,}", re.sub(r"\{\w+\}", "", japanese)), japanese


def test_an_oversized_file_is_said_in_bytes_of_the_messages_language_and_survives_a_worker():
    error = ReconError(Where("2024-01.txt"), "size", found_as="bytes", size="70,000,000", limit="67,108,864")
    assert error.render("ja") == "2024-01.txt: 67,108,864 バイト以下のファイルが必要ですが「70,000,000 バイト」でした"
    assert error.render("en") == "2024-01.txt: expected a file of at most 67,108,864 bytes, found '70,000,000 bytes'"
    assert error.found == "70,000,000 bytes"
    again = pickle.loads(pickle.dumps(error))
    assert again.render("ja") == error.render("ja") and again.found_as == "bytes"


def test_a_file_that_is_no_zip_archive_is_said_in_japanese_with_the_librarys_words_in_brackets(tmp_path):
    from recon.readers import xlsx

    with pytest.raises(ReadError) as raised:
        xlsx.read(b"PK\x03\x04 damaged", "2024-07.xlsx")
    line = raised.value.render("ja")
    assert line.startswith("2024-07.xlsx: Excel ブック (.xlsx)が必要ですが「zip ではないファイル (")
    assert "not a zip archive" not in line and "not a zip archive (" in raised.value.render("en")


@pytest.mark.parametrize("check, ja, en", [
    (("count", 330, 840, -510), "国際通話: 明細の通話数 330 は通話明細の 840 通話より 510 少ない",
     "International: the table's 330 calls are 510 fewer than the call records' 840"),
    (("yen", 7680, 7000, 680), "国際通話: 明細の通話料金 7,680 は通話明細 (840 通話) の 7,000 より 680 多い",
     "International: the table's charge 7,680 is over the call records' 7,000 (840 calls) by 680"),
])
def test_a_tie_out_of_call_records_says_each_figure_once(check, ja, en):
    from recon.model import Check
    from recon.reconcile import _calls_message

    unit, stated, recomputed, difference = check
    made = Check("calls_count", False, stated, recomputed, difference, unit, Where("2024-03.txt", line=5),
                 "international")
    message = _calls_message(made, 840)
    assert labels.render(message, "ja") == ja and labels.render(message, "en") == en


def test_a_list_in_a_message_is_joined_as_each_language_lists(tmp_path):
    import shutil
    from pathlib import Path

    from click.testing import CliRunner

    from recon.cli import main

    year = tmp_path / "2024"
    year.mkdir()
    shutil.copy(Path(__file__).parent / "data" / "seed" / "2024-01.txt", year / "2024-01.txt")
    for month in ("02", "03"):
        (year / f"2024-{month}.txt").write_text("通話種別\t通話数\t通話時間\t通話料金\n一般通話\t2O8\t1:00:00.0\t100\n",
                                                encoding="utf-8")
    (year / "invoices.csv").write_text("利用月,請求額\n2024-01,128916\n2024-02,100\n2024-03,100\n", encoding="utf-8")
    said = {lang: CliRunner().invoke(main, ["check", str(year), "--lang", lang]).stdout for lang in ("ja", "en")}
    assert "エラーの 2024-02、2024-03 は合計に含めていません" in said["ja"]
    assert "2024-02, 2024-03" in said["en"] and "2024-02、" not in said["en"]


@pytest.mark.parametrize(("count", "english", "japanese"), [
    (1, "wrote 1 journal entry to j.csv (freee会計)", "j.csv に 1 件の仕訳を書き出しました (freee会計)"),
    (2, "wrote 2 journal entries to j.csv (freee会計)", "j.csv に 2 件の仕訳を書き出しました (freee会計)"),
    (1200, "wrote 1,200 journal entries to j.csv (freee会計)", "j.csv に 1,200 件の仕訳を書き出しました (freee会計)"),
])
def test_the_journal_counts_its_entries_in_whole_sentences(count, english, japanese):
    said = Message.of("journal_written", path="j.csv", entries_count=count, product="freee会計")
    assert (labels.render(said, "en"), labels.render(said, "ja")) == (english, japanese)
