"""The plain forms (`2,040`, `-295`, `7:45:28.7`) read by values.plain_shape and plain_value, without
clean and NFKC, as the general readers read them: on every text cell of every sample and on
generated text."""
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
    try:
        return table._general_value(text, expected)
    except ValueShapeError as e:
        return e


def _assert_plain_reads_as_general(text: str) -> None:
    shape = plain_shape(text)
    if shape is not None:
        assert shape == table._general_shape(text), text
    for expected in EXPECTED:
        value = plain_value(text, expected)
        if value is not None:
            assert value == _general(text, expected), (text, expected)


def test_the_samples_hold_plain_figures():
    plain = [t for t in SAMPLE_TEXTS if plain_shape(t)]
    assert len(plain) >= 100 and any(plain_shape(t) == "duration" for t in plain)


@pytest.mark.parametrize("text", SAMPLE_TEXTS)
def test_every_sample_cell_reads_plainly_as_in_general(text):
    _assert_plain_reads_as_general(text)


_figure_chars = st.text(st.sampled_from("0123456789,:.-  +()¥円件\u00a0\u200b１٣"), max_size=14)
_formatted = st.one_of(st.integers(-10**12, 10**12).map(lambda n: f"{n:,}"), st.integers(0, 10**9).map(str),
                       st.tuples(st.integers(0, 999), st.integers(0, 99), st.integers(0, 99), st.integers(0, 10))
                       .map(lambda t: f"{t[0]}:{t[1]:02d}:{t[2]:02d}" + (f".{t[3]}" if t[3] < 10 else "")))


@FUZZ
@given(text=st.one_of(_figure_chars, _formatted, st.text(max_size=10)))
def test_generated_text_reads_plainly_as_in_general(text):
    _assert_plain_reads_as_general(text)


@FUZZ
@given(text=st.text(st.one_of(st.sampled_from(INVISIBLE + "a通 \u3000\u00a0"), st.characters()), max_size=20))
def test_visible_drops_exactly_the_invisible_characters(text):
    assert visible(text) == "".join(ch for ch in text if ch not in INVISIBLE)


@FUZZ
@given(text=st.one_of(st.text(st.characters(max_codepoint=127), max_size=20), st.text(max_size=20)))
def test_clean_reads_ascii_text_as_the_general_way_does(text):
    from recon import values

    assert values.clean.__wrapped__(text) == values._clean(text)
