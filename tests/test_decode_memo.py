"""A small file's text is decoded once for the sniff and the reader: what decode returns for the
same bytes again is what it returned the first time, and other bytes, paths or charsets are
decoded anew."""
from __future__ import annotations

import pytest

from recon.errors import ReadError
from recon.readers import decode as decoding


def test_the_same_small_bytes_decode_to_the_same_text_once():
    data = "明細\t通話数\n".encode("cp932")
    first = decoding.decode(data, "a.txt")
    assert decoding.decode(bytes(data), "a.txt") is first  # equal bytes, not only the same object
    assert first == ("明細\t通話数\n", "cp932")


@pytest.mark.parametrize("other", [
    ("a.txt", "明細\t通話時間\n".encode("cp932"), None),  # other bytes
    ("b.txt", "明細\t通話数\n".encode("cp932"), None),  # another file
    ("a.txt", "明細\t通話数\n".encode("cp932"), "euc-jp"),  # another declared charset
])
def test_other_bytes_paths_or_charsets_are_decoded_anew(other):
    rel, data, declared = other
    decoding.decode("明細\t通話数\n".encode("cp932"), "a.txt")
    assert decoding.decode(data, rel, declared) == decoding._decode(data, rel, declared)


def test_a_file_that_does_not_decode_raises_each_time():
    data = b"\x81\x7f\xff"
    for _ in range(2):
        with pytest.raises(ReadError):
            decoding.decode(data, "bad.txt")


def test_a_large_file_is_not_kept():
    data = ("通話数\t1\n" * 20000).encode("utf-8")
    small = decoding.decode(b"small", "s.txt")
    decoding.decode(data, "big.txt")
    assert decoding.decode(b"small", "s.txt") is small  # still the one kept