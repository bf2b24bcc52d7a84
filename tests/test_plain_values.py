"""The plain forms (`2,040`, `-295`, `7:45:28.7`) read by values.plain_shape and plain_value (the fast
path), without clean and NFKC: every text cell of every sample is a plain figure that the fast path
reads as the general reader does, a dressed figure that it leaves to the general reader, or a word
that neither reads as a figure; generated text is compared the same way, and texts worked out by
hand read as the arithmetic beside them says."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recon import readers, table
from recon.errors import ReconError
from recon.values import INVISIBLE, ValueShapeError, plain_shape, plain_value, visible
from test_fuzz import FUZZ, VALUE_FORMS

DATA = Path(__file__).parent / "data"
EXPECTED = ("count", "yen", "duration")


def _sample_texts() -> list[str]:
    texts = set(VALUE_FORMS)
    for path in sorted(DATA.rglob("*")):
        if not path.is_file() or readers.format_of(path.suffix) is None or readers.junk(path.read_bytes(), path.suffix):
            continue
        try:
            grids, _ = readers.read(path.read_bytes(), path.name, path.suffix)
        except ReconError:
            continue
        texts.update(c.value for g in grids for row in g.rows for c in row if isinstance(c.value, str))
    return sorted(texts)


SAMPLE_TEXTS = _sample_texts()


def _general(text: str, expected: str):
    """The general reader's verdict on a text read as `expected`: the value, or its ValueShapeError."""
    try:
        return table._general_value(text, expected)
    except ValueShapeError as e:
        return e


def _table_reads(text: str, expected: str):
    """What the table reader makes of a text cell (the fast path, else the general one)."""
    try:
        return table._parsed_text(text, expected)
    except ValueShapeError as e:
        return e


def _same_verdict(one, other) -> bool:
    """Two verdicts agree: the same value, or both refuse for the same reason."""
    if isinstance(one, ValueShapeError) or isinstance(other, ValueShapeError):
        return type(one) is type(other) and str(one) == str(other)
    return one == other


def _assert_fast_path_agrees_with_the_general_reader(text: str) -> None:
    """Where the fast path answers, it answers as the general reader; where it does not, it reads
    nothing of the text at all (then the general reader decides alone)."""
    shape = plain_shape(text)
    read = {expected: plain_value(text, expected) for expected in EXPECTED}
    if shape is None:
        assert read == dict.fromkeys(EXPECTED), text
        return
    assert shape == table._general_shape(text), text
    assert read["duration" if shape == "duration" else "yen"] is not None, text
    for expected, value in read.items():
        general = _general(text, expected)
        if value is None:  # a plain form of another kind: the general reader refuses it too
            assert isinstance(general, ValueShapeError), (text, expected, general)
        else:
            assert value == general, (text, expected)


# Every text cell of the samples is one of three: a figure in a plain form, which the fast path
# reads; a figure in some dress (full-width, ¥, 円, 時間分秒, spaces), which it leaves to the general
# reader; and not a figure at all (a label, a note, a date), which neither reads as one.
PLAIN_FIGURES = [t for t in SAMPLE_TEXTS if plain_shape(t) is not None]
DRESSED_FIGURES = [t for t in SAMPLE_TEXTS if plain_shape(t) is None and table._general_shape(t) is not None]
NOT_FIGURES = [t for t in SAMPLE_TEXTS if plain_shape(t) is None and table._general_shape(t) is None]


def test_the_samples_hold_figures_of_every_kind_and_words():
    assert len(PLAIN_FIGURES) >= 100 and sum(plain_shape(t) == "duration" for t in PLAIN_FIGURES) >= 20
    assert len(DRESSED_FIGURES) >= 50 and {table._general_shape(t) for t in DRESSED_FIGURES} == {"number", "duration"}
    assert len(NOT_FIGURES) >= 500 and {"一般通話", "着割対象通話", "通話料金 (円・税別)"} <= set(NOT_FIGURES)


@pytest.mark.parametrize("text", PLAIN_FIGURES)
def test_fast_path_agrees_with_the_general_reader_on_a_plain_sample_figure(text):
    _assert_fast_path_agrees_with_the_general_reader(text)
    shape = plain_shape(text)
    assert table._text_shape(text) == shape
    expected = "duration" if shape == "duration" else "yen"
    assert _table_reads(text, expected) == plain_value(text, expected) == _general(text, expected)


@pytest.mark.parametrize("text", DRESSED_FIGURES)
def test_fast_path_leaves_a_dressed_sample_figure_to_the_general_reader(text):
    shape = table._general_shape(text)
    assert shape in ("number", "duration")
    assert plain_shape(text) is None and all(plain_value(text, expected) is None for expected in EXPECTED)
    assert table._text_shape(text) == shape
    for expected in EXPECTED:
        assert _same_verdict(_table_reads(text, expected), _general(text, expected)), (text, expected)


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_neither_path_reads_a_sample_word_as_a_figure(text):
    assert plain_shape(text) is None and table._general_shape(text) is None and table._text_shape(text) is None
    for expected in EXPECTED:
        assert plain_value(text, expected) is None
        assert isinstance(_general(text, expected), ValueShapeError), (text, expected)
        assert isinstance(_table_reads(text, expected), ValueShapeError), (text, expected)


# Worked by hand: what each text is as a count, yen, or tenths of a second (ValueShapeError's key
# where it is not that kind). The plain forms go the fast way, the dressed ones the general way.
BY_HAND = [
    ("2,040", "count", 2040),
    ("2,040", "yen", 2040),
    ("-295", "yen", -295),
    ("-295", "count", "count"),  # a count is never negative
    ("0", "count", 0),
    ("1,000", "yen", 1000),
    ("12,34", "yen", "yen"),  # a group of two digits is no thousands separator
    ("7:45:28.7", "duration", 279287),  # (7 × 3600 + 45 × 60 + 28) s = 27,928 s → 279,280 + 7 tenths
    ("119:54:23.5", "duration", 4316635),  # (119 × 3600 + 54 × 60 + 23) s = 431,663 s → 4,316,630 + 5
    ("0:00:00", "duration", 0),
    ("7:45:28.7", "yen", "yen"),
    ("１，０９６", "count", 1096),  # full-width digits and comma
    ("1096件", "count", 1096),
    ("△1,174", "yen", -1174),
    ("(1,174)", "yen", -1174),
    ("−1,174", "yen", -1174),  # U+2212
    (" \\10,240 ", "yen", 10240),  # the yen sign of a Shift_JIS file, padded
    ("¥-", "yen", 0),  # Excel's accounting format writes zero so
    ("28時間49分53.5秒", "duration", 1037935),  # (28 × 3600 + 49 × 60 + 53) s = 103,793 s → 1,037,930 + 5
    ("２８：４９：５３．５", "duration", 1037935),
    ("0:00:53.55", "duration", "duration_tenths"),  # OCN never shows hundredths
    ("28:61:00", "duration", "duration"),  # 61 minutes
    ("49:53.5", "duration", "duration_hours_lost"),  # mm:ss.0 as Excel's CSV writes it
]


@pytest.mark.parametrize("text, expected, value", BY_HAND)
def test_a_text_reads_as_worked_out_by_hand(text, expected, value):
    read = _table_reads(text, expected)
    if isinstance(value, str):
        assert isinstance(read, ValueShapeError) and str(read) == value
    else:
        assert read == value
    assert _same_verdict(read, _general(text, expected))
    if plain_value(text, expected) is not None:
        assert plain_value(text, expected) == value


_figure_chars = st.text(st.sampled_from("0123456789,:.-  +()¥円件\u00a0\u200b１٣"), max_size=14)
_formatted = st.one_of(st.integers(-10**12, 10**12).map(lambda n: f"{n:,}"), st.integers(0, 10**9).map(str),
                       st.tuples(st.integers(0, 999), st.integers(0, 99), st.integers(0, 99), st.integers(0, 10))
                       .map(lambda t: f"{t[0]}:{t[1]:02d}:{t[2]:02d}" + (f".{t[3]}" if t[3] < 10 else "")))


@FUZZ
@given(text=st.one_of(_figure_chars, _formatted, st.text(max_size=10)))
def test_fast_path_agrees_with_the_general_reader_on_generated_text(text):
    _assert_fast_path_agrees_with_the_general_reader(text)


@FUZZ
@given(text=st.text(st.one_of(st.sampled_from(INVISIBLE + "a通 \u3000\u00a0"), st.characters()), max_size=20))
def test_visible_drops_exactly_the_invisible_characters(text):
    assert visible(text) == "".join(ch for ch in text if ch not in INVISIBLE)


@FUZZ
@given(text=st.one_of(st.text(st.characters(max_codepoint=127), max_size=20), st.text(max_size=20)))
def test_clean_reads_ascii_text_as_the_general_way_does(text):
    from recon import values

    assert values.clean.__wrapped__(text) == values._clean(text)
