"""The call-records sniff's shortcuts: a line without quotes split by str.split as the csv module
splits it, figure cells passed by because they name no column, and the head of bytes already read
sniffed as the file is."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from recon import calls, labels
from test_fuzz import FUZZ

DATA = Path(__file__).parent / "data"
TEXT_SAMPLES = sorted(p for p in DATA.rglob("*") if p.is_file() and p.suffix.lower() in (".txt", ".tsv", ".csv"))


# The text samples that are per-call records (a header of call-record columns in their first lines);
# every other text sample is a detail table, an invoice list, numbers.csv, a memo or junk.
CALL_RECORDS = {"calls/bad/2024-03_calls.csv", "calls/forms/carrier_utf8.csv", "calls/forms/english_bom.csv",
                "calls/forms/fullwidth.tsv", "calls/forms/pbx_cp932.csv", "calls/forms/router_utf16.txt",
                "calls/year/2024/通話明細_2024.csv", "journal/hostile-numbers/2024/通話明細_2024.csv",
                # carriers' statements and PBXs' logs (the router's log names no charge: not call records)
                "calls/carriers/cloud-pbx-utc-unsaid/2024/call_log_2024-01.csv",
                "calls/carriers/cloud-pbx-utc/2024/call_log_2024-01.csv",
                "calls/carriers/iijmio-excel/2024/通話明細_202401.csv", "calls/carriers/iijmio/2024/通話明細_202401.csv",
                "calls/carriers/ntt-com/2024/通話明細_202401.csv", "calls/carriers/ntt-date-time/2024/通話明細_2024年1月分.csv",
                "calls/carriers/twilio/2024/calls_2024-01.csv", "field-cases/calls-footer-total/2024/通話明細_202401.csv"}


def test_the_samples_hold_call_records_and_tables():
    names = {str(p.relative_to(DATA)) for p in TEXT_SAMPLES}
    assert len(TEXT_SAMPLES) >= 100 and CALL_RECORDS <= names


@pytest.mark.parametrize("path", TEXT_SAMPLES, ids=lambda p: str(p.relative_to(DATA)))
def test_a_sample_sniffs_from_the_bytes_read_as_from_the_file(path):
    layout = calls.sniff_head(path.read_bytes(), path.name)
    assert layout == calls.sniff(path, path.name)
    if str(path.relative_to(DATA)) in CALL_RECORDS:
        assert layout is not None and {"called", "duration", "charge"} <= set(layout.columns.index)
        assert "start" in layout.columns.index or {"date", "time"} <= set(layout.columns.index)
    else:
        assert layout is None, "call records: add the sample to CALL_RECORDS"


def test_a_long_file_is_sniffed_from_its_head_only(tmp_path):
    header = "通話開始日時,相手先番号,通話時間,通話料金\n"
    row = "2024/01/05 10:00:00,0312345678,0:03:00,8\n"
    data = ((row * 3000) + header + row).encode("utf-8")  # the header far below the first 64 KiB
    path = tmp_path / "calls.csv"
    path.write_bytes(data)
    assert calls.sniff_head(data, "calls.csv") is None and calls.sniff(path, "calls.csv") is None
    data = (header + row * 3000).encode("utf-8")
    path.write_bytes(data)
    assert calls.sniff_head(data, "calls.csv") == calls.sniff(path, "calls.csv") is not None


@FUZZ
@given(line=st.text(st.sampled_from('ab,\t" 1:\x00\u3000通'), max_size=30), delimiter=st.sampled_from([",", "\t"]))
def test_a_line_splits_as_the_csv_module_splits_it(line, delimiter):
    assert calls._split_line(line, delimiter) == next(csv.reader([line], delimiter=delimiter), [])


def test_no_header_word_looks_like_a_figure():
    words = [w for ws in labels.CALL_HEADER_WORDS.values() for w in ws]
    assert words and not [w for w in words if calls._FIGURE.fullmatch(w)]


@FUZZ
@given(text=st.text(st.sampled_from("0123456789,.:/ -"), max_size=20))
def test_a_figure_cell_names_no_column(text):
    assert calls._FIGURE.fullmatch(text) and calls._column_key.__wrapped__(text) is None


_HEADER_CELLS = [w for ws in labels.CALL_HEADER_WORDS.values() for w in ws] + [
    "通話時間(秒)", "料金(円)", '"通話先番号"', '"相手先,番号"', "Ｄｕｒａｔｉｏｎ", "call_time", " to ", '"a""b"']
_ANY_CELL = st.one_of(st.sampled_from(_HEADER_CELLS), st.text(st.sampled_from('0123456789,.:/ -"'), max_size=6),
                      st.text(max_size=4))


_KEY_WORDS = {k: st.sampled_from(ws) for k, ws in labels.CALL_HEADER_WORDS.items()}
_DRESS = st.sampled_from(["{}", '"{}"', "{}(秒)", '"{}(円,税込)"', " {} ", "{}_"])


@st.composite
def _header_cells(draw) -> list[str]:
    """A call-records header's four cells, dressed (quoted, with a unit), among other cells."""
    words = [draw(_KEY_WORDS[k]) for k in (draw(st.sampled_from(["start", "time"])), "called", "duration", "charge")]
    cells = [draw(_DRESS).format(w) for w in words] + draw(st.lists(_ANY_CELL, max_size=5))
    return draw(st.permutations(cells))


@pytest.mark.parametrize("name", sorted(CALL_RECORDS))
def test_the_header_line_of_every_call_records_sample_has_four_wordy_runs(name):
    path = DATA / name
    layout = calls.sniff(path, path.name)
    text = path.read_bytes().decode(layout.codec)
    line = text.splitlines()[layout.header_line - 1]
    header = calls.find_columns(calls._split_line(line, layout.delimiter))
    assert header is not None and (header.index, header.seconds) == (layout.columns.index, layout.columns.seconds)
    assert layout.columns.width >= header.width  # a header one field short is read as wide as its rows
    assert len(calls._WORDY[layout.delimiter].findall(line)) >= 4, line


@FUZZ
@given(cells=st.one_of(_header_cells(), st.lists(_ANY_CELL, min_size=3, max_size=9)),
       delimiter=st.sampled_from([",", "\t"]))
def test_a_header_line_always_has_four_wordy_runs(cells, delimiter):
    line = delimiter.join(cells).replace("\r", " ").replace("\n", " ")  # the sniff's lines hold no line end
    if calls.find_columns(calls._split_line(line, delimiter)) is not None:
        event("a header")
        assert len(calls._WORDY[delimiter].findall(line)) >= 4, line
