"""The words of an error line: `{where}{expected}が必要です` in Japanese reads as a sentence only
when what is expected is a noun phrase; an instruction is written in brackets after it, and the
line says it as a sentence of its own after what was found."""
from __future__ import annotations

import pytest

from recon import labels
from recon.model import Message


@pytest.mark.parametrize("key", sorted(labels.EXPECTED))
def test_what_is_expected_is_a_noun_phrase_in_japanese(key):
    japanese = labels.EXPECTED[key][0].rstrip()
    assert not japanese.endswith(("ください", "です", "ます", "。", "さい")), japanese


def test_an_instruction_follows_the_error_line_as_a_sentence_of_its_own():
    line = labels.render(Message.of("read_error", where="7月.txt:2", expected="month_year", param_month="7"), "ja")
    assert line == "7月.txt:2: 7月の年が必要です。ファイル名を 2024-01.txt のようにするか、2024 という名前のフォルダに置いてください"


def test_what_was_found_stands_beside_what_was_expected_and_the_instruction_after_it():
    message = Message.of("read_error", where="2024-03.xlsx:明細!D7", expected="calculated", found="=96000+870")
    assert labels.render(message, "ja") == ("2024-03.xlsx:明細!D7: 計算済みの値が必要ですが「=96000+870」でした。"
                                            "この数式は一度も計算されていません。ファイルを Excel で開いて一度保存してください")
    assert labels.render(message, "en") == ("2024-03.xlsx:明細!D7: expected a calculated value, found '=96000+870' "
                                            "(this formula was never calculated: open the file in Excel and save it once)")


def test_an_example_stays_beside_what_is_expected():
    message = Message.of("read_error", where="2024-10.txt:3", expected="count", found="2O8")
    assert labels.render(message, "ja") == "2024-10.txt:3: 通話数 (例: 1,096)が必要ですが「2O8」でした"
