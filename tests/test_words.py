"""The words of an error line: `{where}{expected}が必要です` in Japanese reads as a sentence only
when what is expected is a noun phrase, with any instruction inside brackets after it."""
from __future__ import annotations

import pytest

from recon import labels
from recon.model import Message


@pytest.mark.parametrize("key", sorted(labels.EXPECTED))
def test_what_is_expected_is_a_noun_phrase_in_japanese(key):
    japanese = labels.EXPECTED[key][0].rstrip()
    assert not japanese.endswith(("ください", "です", "ます", "。", "さい")), japanese


def test_an_instruction_stays_inside_its_brackets_in_the_error_line():
    line = labels.render(Message.of("read_error", where="7月.txt:2", expected="month_year", param_month="7"), "ja")
    assert line == ("7月.txt:2: 7月の年 (ファイル名を 2024-01.txt のようにするか、2024 という名前のフォルダに"
                    "置いてください)が必要です")
