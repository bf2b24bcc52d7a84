"""One cell's text → a value (SPEC §1.1): one row per written form, the expected value beside it."""
from __future__ import annotations

import math
from decimal import Decimal

import pytest

from recon.values import (ValueShapeError, clean, days_to_tenths, format_duration, format_sen, format_yen,
                          looks_like_duration, looks_like_number, parse_count, parse_duration, parse_yen)

# The seed month's durations in tenths of a second.
SEED_GENERAL = ((28 * 60 + 49) * 60 + 53) * 10 + 5  # 28:49:53.5 = 103,793.5 s
SEED_STATED_TOTAL = ((119 * 60 + 54) * 60 + 23) * 10 + 5  # 119:54:23.5 = 431,663.5 s
SEED_TOTAL = ((109 * 60 + 54) * 60 + 23) * 10 + 5  # 109:54:23.5 = 395,663.5 s
SEED_DISCOUNT = 140_863 * 10  # 39:07:43.0 = 140,863 s (SPEC §2)


# ── clean ────────────────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("text, expected", [
    ("3016", "3016"),
    ("<b>3016</b>", "3016"),
    ("<b>合計</b>", "合計"),
    ("<td class='x'><b>119:54:23.5</b></td>", "119:54:23.5"),
    ("&nbsp;3016", "3016"),
    ("3016&nbsp;&nbsp;", "3016"),
    ("&amp;", "&"),
    ("１，０９６", "1,096"),
    ("２８：４９：５３．５", "28:49:53.5"),
    ("￥10,240", "¥10,240"),
    ("（１，１７４）", "(1,174)"),
    ("  1,096  ", "1,096"),
    ("\t1,096\r\n", "1,096"),
    ("\u3000一般通話\u3000", "一般通話"),
    ("通話時間  (時:分:秒)", "通話時間 (時:分:秒)"),
    ("PHS\u00a0通話", "PHS通話"),  # a no-break space is removed, as SPEC §1.1 lists it with the invisible ones
    ("", ""),
    ("   ", ""),
])
def test_clean_strips_tags_entities_width_and_stray_space(text, expected):
    assert clean(text) == expected


# ── parse_count ──────────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("text, expected", [
    ("1096", 1096),
    ("1,096", 1096),
    ("0", 0),
    ("3,016", 3016),
    ("1,234,567", 1_234_567),
    ("１０９６", 1096),
    ("１，０９６", 1096),
    ("1096件", 1096),
    ("1,096 件", 1096),
    ("1096回", 1096),
    ("１０９６回", 1096),
    ("<b>3016</b>", 3016),
    ("&nbsp;3016&nbsp;", 3016),
    ("  1096 ", 1096),
    ("\t3016\n", 3016),
])
def test_parse_count_reads_every_written_form(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", [
    "1O96",  # letter O
    "l096",  # letter l
    "12.5",  # a count is whole
    "1,096.0",
    "-5",  # a count is never negative
    "−5",
    "△5",
    "(5)",
    "1,0963",  # a misplaced thousands separator
    "10,24",
    "",
    "   ",
    "abc",
    "28:49:53.5",
    "¥1,096",
    "1096円",
])
def test_parse_count_rejects_what_is_not_a_whole_count(text):
    with pytest.raises(ValueShapeError) as e:
        parse_count(text)
    assert str(e.value) == "count"


# ── parse_yen ────────────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("text, expected", [
    ("10,240", 10240),
    ("10240", 10240),
    ("0", 0),
    ("130,090", 130090),
    ("１０，２４０", 10240),
    ("¥10,240", 10240),
    ("￥10,240", 10240),
    ("¥ 10,240", 10240),
    ("\\10,240", 10240),  # ¥ as CP932 text decodes to a backslash
    ("10,240円", 10240),
    ("10,240 円", 10240),
    ("１０，２４０円", 10240),
    ("¥10,240円", 10240),
    ("10,240.00", 10240),
    ("<b>10,240</b>", 10240),
    ("&nbsp;10,240", 10240),
    ("&yen;10,240", 10240),
    ("-1,174", -1174),
    ("−1,174", -1174),  # U+2212 MINUS SIGN
    ("－1,174", -1174),  # U+FF0D FULLWIDTH HYPHEN-MINUS
    ("–1,174", -1174),  # U+2013 EN DASH
    ("△1,174", -1174),
    ("△ 1,174", -1174),
    ("▲1,174", -1174),
    ("▲１，１７４", -1174),
    ("(1,174)", -1174),
    ("（１，１７４）", -1174),
    ("-¥1,174", -1174),
    ("(¥1,174)", -1174),
    ("-1,174円", -1174),
    ("-0", 0),
    ("¥-1,174", -1174),  # Excel's 通貨 format "¥"#,##0;"¥"-#,##0, as saved to CSV
    ("￥−1,174", -1174),
    ("\\-1,174", -1174),  # the same, in CP932
])
def test_parse_yen_reads_every_written_form(text, expected):
    assert parse_yen(text) == expected


@pytest.mark.parametrize("text", [
    "1O96",
    "12.5",  # no fractions of a yen
    "10,240.5",
    "1,0240",
    "",
    "  ",
    "abc",
    "28:49:53.5",
    "¥",
    "円",
    "--",  # zero is one dash; two are a rule drawn in the cell
    "△",
    "()",
    "1,174-",
])
def test_parse_yen_rejects_what_is_not_whole_yen(text):
    with pytest.raises(ValueShapeError) as e:
        parse_yen(text)
    assert str(e.value) == "yen"


# ── parse_duration (tenths of a second) ──────────────────────────────────────────────────────────

@pytest.mark.parametrize("text, expected", [
    ("28:49:53.5", SEED_GENERAL),
    ("２８：４９：５３．５", SEED_GENERAL),
    ("28時間49分53.5秒", SEED_GENERAL),
    ("２８時間４９分５３．５秒", SEED_GENERAL),
    ("28時間 49分 53.5秒", SEED_GENERAL),
    ("28 : 49 : 53.5", SEED_GENERAL),
    (" 28:49:53.5 ", SEED_GENERAL),
    ("&nbsp;28:49:53.5", SEED_GENERAL),
    ("<b>119:54:23.5</b>", SEED_STATED_TOTAL),  # hours over 24, wrapped in tags
    ("119:54:23.5", SEED_STATED_TOTAL),
    ("109:54:23.5", SEED_TOTAL),
    ("39:07:43.0", SEED_DISCOUNT),  # SPEC §2: 140,863 s
    ("39:07:43", SEED_DISCOUNT),
    ("55:01:00.0", 55 * 36000 + 600),
    ("4:40:45.0", ((4 * 60 + 40) * 60 + 45) * 10),
    ("1000:00:00", 1000 * 36000),
    ("0:00:00.0", 0),
    ("0:00:00", 0),
    ("0:00:00.1", 1),
    ("0:00:00.9", 9),
    ("0:00:53.50", 535),  # a trailing zero is not a finer digit
    ("1:2:3", ((1 * 60 + 2) * 60 + 3) * 10),
    ("28時間", 28 * 36000),
    ("49分", 49 * 600),
    ("53.5秒", 535),
    ("5秒", 50),
    ("1時間30秒", 36000 + 300),
    ("90秒", 900),  # the first unit written may be any size, as hours in h:mm:ss (recon.durations)
    ("75分", 75 * 600),
])
def test_parse_duration_reads_every_written_form_in_tenths(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text, key", [
    ("28:61:00", "duration"),  # 61 minutes
    ("28:00:60", "duration"),  # 60 seconds
    ("0:00:53.55", "duration_tenths"),  # finer than a tenth
    ("53.55秒", "duration_tenths"),
    ("0:00:53.05", "duration_tenths"),
    ("28:49", "duration"),  # h:mm or mm:ss? not a duration OCN writes
    ("28:49:53.", "duration"),
    ("-0:01:00", "duration"),
    ("1096", "duration"),
    ("", "duration"),
    ("  ", "duration"),
    ("abc", "duration"),
    ("時間", "duration"),
    ("1.2.3秒", "duration"),
    ("28:4x:53", "duration"),
    ("1時間75分", "duration"),  # after the first unit, minutes and seconds stay under 60
])
def test_parse_duration_rejects_what_is_not_a_duration(text, key):
    with pytest.raises(ValueShapeError) as e:
        parse_duration(text)
    assert str(e.value) == key


# ── looks_like_duration / looks_like_number ──────────────────────────────────────────────────────

@pytest.mark.parametrize("text, expected", [
    ("28:49:53.5", True),
    ("<b>119:54:23.5</b>", True),
    ("２８：４９：５３．５", True),
    ("28時間49分53.5秒", True),
    ("28時間", True),
    ("5秒", True),
    ("28:61:00", True),  # shaped like a duration, even if it is not a valid one
    ("0:00:53.55", True),
    ("1096", False),
    ("10,240", False),
    ("-1,174", False),
    ("12.5", False),
    ("28:49", False),
    ("秒", False),
    ("abc", False),
    ("", False),
    ("通話時間 (時:分:秒)", False),
])
def test_looks_like_duration_by_shape(text, expected):
    assert looks_like_duration(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("1096", True),
    ("1,096件", True),
    ("１，０９６", True),
    ("<b>3016</b>", True),
    ("10,240", True),
    ("¥10,240", True),
    ("10,240円", True),
    ("-1,174", True),
    ("−1,174", True),
    ("△1,174", True),
    ("▲1,174", True),
    ("(1,174)", True),
    ("0", True),
    ("12.5", False),
    ("1O96", False),
    ("28:49:53.5", False),
    ("abc", False),
    ("", False),
    ("一般通話", False),
])
def test_looks_like_number_for_counts_and_yen(text, expected):
    assert looks_like_number(text) is expected


# ── days_to_tenths (an Excel day number → tenths, rounded, never truncated) ─────────────────────

def _excel_days(tenths: int) -> float:
    """The float Excel stores for a duration (days)."""
    return tenths / 864000


@pytest.mark.parametrize("days, expected", [
    (1037935 / 864000, SEED_GENERAL),  # the float days of 28:49:53.5
    ((28 * 3600 + 49 * 60 + 53.5) / 86400, SEED_GENERAL),  # the same, computed in seconds
    (math.nextafter(1037935 / 864000, 0), SEED_GENERAL),  # a hair below
    (math.nextafter(1037935 / 864000, 2), SEED_GENERAL),  # a hair above
    (_excel_days(SEED_STATED_TOTAL), SEED_STATED_TOTAL),
    (_excel_days(SEED_DISCOUNT), SEED_DISCOUNT),
    (1 / 864000, 1),  # one tenth
    (math.nextafter(1 / 864000, 0), 1),  # a hair below a tenth is still a tenth
    (0.99999999 / 864000, 1),
    ((1037935 - 0.0001) / 864000, SEED_GENERAL),
    ((1037935 - 0.4) / 864000, SEED_GENERAL),  # nearest, not floor
    ((1037935 + 0.4) / 864000, SEED_GENERAL),  # nearest, not ceiling
    (1.0, 864000),
    (1, 864000),
    (0.0, 0),
    (41.5, 41 * 864000 + 432000),
    (Decimal("1.2013136574074074074074074074"), SEED_GENERAL),  # typed float | Decimal
    (Decimal("0.5"), 432000),
    (0.000046875, 41),  # 4.05 s, a float that is exactly 40.5 tenths: half up to 41 (half to even gave 40)
    (0.000015625, 14),  # 1.35 s, exactly 13.5 tenths → 14
])
def test_days_to_tenths_rounds_to_the_nearest_tenth(days, expected):
    assert days_to_tenths(days) == expected


def test_days_to_tenths_of_every_tenth_in_a_minute_round_trips():
    got = [days_to_tenths(t / 864000) for t in range(SEED_GENERAL, SEED_GENERAL + 600)]
    assert got == list(range(SEED_GENERAL, SEED_GENERAL + 600))


# ── format_duration / format_yen ─────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("tenths, tenth, expected", [
    (SEED_GENERAL, True, "28:49:53.5"),
    (SEED_GENERAL, False, "28:49:53.5"),  # a tenth is never dropped
    (SEED_STATED_TOTAL, True, "119:54:23.5"),
    (SEED_TOTAL, True, "109:54:23.5"),
    (SEED_DISCOUNT, True, "39:07:43.0"),
    (SEED_DISCOUNT, False, "39:07:43"),
    (360000, True, "10:00:00.0"),
    (360000, False, "10:00:00"),
    (0, True, "0:00:00.0"),
    (0, False, "0:00:00"),
    (5, True, "0:00:00.5"),
    (5, False, "0:00:00.5"),
    (600, True, "0:01:00.0"),
    (1000 * 36000, True, "1000:00:00.0"),
    (-360000, True, "-10:00:00.0"),  # a difference keeps its sign
    (-360000, False, "-10:00:00"),
    (-5, True, "-0:00:00.5"),
])
def test_format_duration_shows_hours_minutes_seconds_and_tenth(tenths, tenth, expected):
    assert format_duration(tenths, tenth) == expected


@pytest.mark.parametrize("yen, expected", [
    (0, "0"),
    (999, "999"),
    (1000, "1,000"),
    (10240, "10,240"),
    (130090, "130,090"),
    (1234567, "1,234,567"),
    (-1174, "-1,174"),
    (-999, "-999"),
])
def test_format_yen_uses_thousands_separators_and_a_minus(yen, expected):
    assert format_yen(yen) == expected


@pytest.mark.parametrize("sen, expected", [
    (0, "0"),
    (800, "8"),  # whole yen drop the point
    (1550, "15.5"),  # 15.50 yen: the trailing zero goes
    (1505, "15.05"),
    (1024050, "10,240.5"),
    (13009000, "130,090"),
    (-1205, "-12.05"),
    (-5, "-0.05"),  # under a yen, the minus kept
    (1, "0.01"),
])
def test_format_sen_writes_hundredths_of_a_yen_as_yen_exactly(sen, expected):
    assert format_sen(sen) == expected


# ── what a web copy and Excel's formats leave in a cell (SPEC §1.1) ──────────────────────────────

from recon.values import shown, visible  # noqa: E402


@pytest.mark.parametrize("text, expected", [
    ("携帯\u200b通話", "携帯通話"),  # zero-width space
    ("一般\u200c通話", "一般通話"),  # zero-width non-joiner
    ("IP\u200d通話", "IP通話"),  # zero-width joiner
    ("PHS\u2060通話", "PHS通話"),  # word joiner
    ("国際\ufeff通話", "国際通話"),  # U+FEFF inside a line
    ("通話\u00ad料金", "通話料金"),  # soft hyphen
    ("\u200e合計\u200f", "合計"),  # left-to-right and right-to-left marks
    ("\u00a0着割\u00a0", "着割"),  # no-break spaces are spaces, trimmed
])
def test_clean_removes_what_a_person_cannot_see(text, expected):
    assert clean(text) == expected


@pytest.mark.parametrize("text, parse, expected", [
    ("7,680\u200b", parse_yen, 7680),
    ("-\ufeff1,174", parse_yen, -1174),
    ("\u200b10,240", parse_yen, 10240),
    ("1,\u2060096", parse_count, 1096),
    ("10,240\u00a0", parse_yen, 10240),
    ("\u00a0600", parse_count, 600),
    ("28:49:53.5\u200b", parse_duration, SEED_GENERAL),
    ("28:\u00ad49:53.5", parse_duration, SEED_GENERAL),
    ("4:40:45.0\u202f", parse_duration, 168450),
    ("1\u202f096", parse_count, 1096),  # a narrow no-break space as a thousands separator
    ("10\u00a0240\u00a0円", parse_yen, 10240),
])
def test_an_invisible_character_anywhere_in_a_figure_is_not_read(text, parse, expected):
    assert parse(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("7,680\u200b", "7,680\\u200b"),
    ("-\ufeff1,174", "-\\ufeff1,174"),
    ("a\tb", "a\\u0009b"),
    ("x\u00a0y", "x\\u00a0y"),
    ("携帯 通話　IP", "携帯 通話　IP"),  # a space and an ideographic space are seen
    ("¥10,240", "¥10,240"),
])
def test_a_message_shows_an_invisible_character_escaped(text, expected):
    assert shown(text) == expected


def test_visible_leaves_text_without_invisible_characters_as_it_is():
    text = "通話料金 (円・税別)"
    assert visible(text) is text and visible("a\u200bb") == "ab"


@pytest.mark.parametrize("text", ["-", " - ", "－", "‐", "‑", "−", "―", "–", "—", "¥-", "￥-", " \\- ", "¥ -", "\\-", " ¥-   "])
def test_a_lone_dash_is_zero_as_excels_accounting_format_writes_it(text):
    assert parse_yen(text) == 0
    assert parse_count(text) == 0
    assert looks_like_number(text)


@pytest.mark.parametrize("text, expected", [
    (" \\10,240 ", 10240), (" ¥10,240 ", 10240), (" \\-1,174 ", -1174), ("-¥1,174", -1174), ("(¥1,174)", -1174),
])
def test_accounting_format_amounts_read(text, expected):
    assert parse_yen(text) == expected


@pytest.mark.parametrize("text", ["49:53.5", "40:45.0", "27:15.0", "４９：５３．５"])
def test_minutes_and_seconds_alone_say_the_hours_were_lost(text):
    assert looks_like_duration(text)
    with pytest.raises(ValueShapeError) as caught:
        parse_duration(text)
    assert str(caught.value) == "duration_hours_lost"


def test_the_hours_lost_message_says_how_to_save_the_file():
    from recon.errors import ReconError
    from recon.model import Where

    message = str(ReconError(Where("2024-01.csv", line=3), "duration_hours_lost", "49:53.5"))
    assert message.startswith("2024-01.csv:3: expected a duration with its hours")
    assert "hours were lost" in message and "[h]:mm:ss.0" in message and ".xlsx" in message


@pytest.mark.parametrize("text", ["-", " ¥- ", "－"])
def test_a_lone_dash_in_the_time_column_is_no_time(text):
    assert parse_duration(text) == 0


# ── an exporter's formula guard ──────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("text, parse, expected", [
    ("'-1,174", parse_yen, -1174),  # tableExport's preventInjection before a cell starting with -
    ("'−1,174", parse_yen, -1174),
    ("＇－１，１７４", parse_yen, -1174),  # the full-width apostrophe, folded by NFKC
    ("'¥-1,174", parse_yen, -1174),
    ("'△1,174", parse_yen, -1174),
    ("'(1,174)", parse_yen, -1174),
    ("'10,240", parse_yen, 10240),  # Excel's apostrophe before a number kept as text
    ("'1096", parse_count, 1096),
    ("'28:49:53.5", parse_duration, 1037935),
    ("'-", parse_yen, 0),
])
def test_the_apostrophe_an_exporter_puts_before_a_figure_is_not_part_of_it(text, parse, expected):
    assert parse(text) == expected
    assert looks_like_duration(text) if parse is parse_duration else looks_like_number(text)


@pytest.mark.parametrize("text, parse", [
    ("''-1,174", parse_yen),  # one apostrophe is the guard; a second is a character of the cell
    ("'", parse_yen),
    ("1,174'", parse_yen),
    ("-'1,174", parse_yen),
    ("'1096'", parse_count),
    ("'abc", parse_count),
])
def test_an_apostrophe_anywhere_else_still_does_not_read(text, parse):
    with pytest.raises(ValueShapeError):
        parse(text)


# ── a plus sign before a figure ──────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("text, parse, expected", [
    ("+10,240", parse_yen, 10240),  # a positive figure, as some systems sign every amount
    ("＋１０，２４０", parse_yen, 10240),  # the full-width plus, folded by NFKC
    ("'+10,240", parse_yen, 10240),  # tableExport's guard before a cell starting with +
    ('+¥10,240', parse_yen, 10240),
    ("¥+10,240", parse_yen, 10240),
    ("+ 10,240 円", parse_yen, 10240),
    ("+1,096", parse_count, 1096),
    ("'+1096件", parse_count, 1096),
    ("+28:49:53.5", parse_duration, 1037935),
    ("'+28:49:53.5", parse_duration, 1037935),
    ("+0", parse_yen, 0),
])
def test_a_leading_plus_is_a_positive_figure(text, parse, expected):
    assert parse(text) == expected
    assert looks_like_duration(text) if parse is parse_duration else looks_like_number(text)


@pytest.mark.parametrize("text, parse", [
    ("++10,240", parse_yen),  # one sign is a sign; a second is a typing slip
    ("+-10,240", parse_yen),
    ("-+10,240", parse_yen),
    ("+", parse_yen),
    ("10,240+", parse_yen),
    ("+(1,174)", parse_yen),
    ("1+096", parse_count),
])
def test_a_plus_anywhere_else_still_does_not_read(text, parse):
    with pytest.raises(ValueShapeError):
        parse(text)
