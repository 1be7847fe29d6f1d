"""Times as files write them and as users type them into a time cell."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from subtitle_studio.core.timecode import (
    format_display,
    format_srt,
    format_vtt,
    parse_time,
    to_milliseconds,
)
from subtitle_studio.errors import EditError


@pytest.mark.parametrize(
    ("seconds", "srt", "vtt", "display"),
    [
        (0, "00:00:00,000", "00:00:00.000", "0:00.000"),
        (62.5, "00:01:02,500", "00:01:02.500", "1:02.500"),
        (3723.456, "01:02:03,456", "01:02:03.456", "1:02:03.456"),
        (1.0005, "00:00:01,001", "00:00:01.001", "0:01.001"),  # half up, as typed
        (59.9996, "00:01:00,000", "00:01:00.000", "1:00.000"),  # carries, never ",1000"
        (3599.9996, "01:00:00,000", "01:00:00.000", "1:00:00.000"),
        (0.0004, "00:00:00,000", "00:00:00.000", "0:00.000"),
        (360000, "100:00:00,000", "100:00:00.000", "100:00:00.000"),
    ],
)
def test_formats(seconds: float, srt: str, vtt: str, display: str) -> None:
    assert format_srt(seconds) == srt
    assert format_vtt(seconds) == vtt
    assert format_display(seconds) == display


@pytest.mark.parametrize("bad", [-0.001, -5, math.nan, math.inf, -math.inf])
def test_formatting_an_impossible_time_is_an_edit_error(bad: float) -> None:
    for fmt in (format_srt, format_vtt, format_display):
        with pytest.raises(EditError):
            fmt(bad)


@given(st.integers(min_value=0, max_value=100 * 3600 * 1000))
def test_every_millisecond_formats_without_a_1000_field(ms: int) -> None:
    text = format_srt(ms / 1000)
    assert to_milliseconds(ms / 1000) == ms
    assert int(text[-3:]) < 1000 and int(text[-6:-4]) < 60 and int(text[-9:-7]) < 60


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [
        ("01:02:03,456", 3723.456),
        ("01:02:03.456", 3723.456),
        ("1:02.5", 62.5),
        ("62.5", 62.5),
        ("62", 62.0),
        ("  0:05  ", 5.0),
        ("\t62,5\n", 62.5),  # a decimal comma, with stray whitespace
        ("１：０２．５", 62.5),  # full-width, as a CJK input method types it
        ("90:00", 5400.0),  # stopwatch minutes past the hour
        ("0.0005", 0.001),
        ("1.99999", 2.0),
        ("100:00:00", 360000.0),
        ("0", 0.0),
    ],
)
def test_parse_time_accepts_what_users_type(typed: str, seconds: float) -> None:
    assert parse_time(typed) == pytest.approx(seconds, abs=1e-9)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("-5", "negative"),
        ("-0:01.5", "negative"),
        ("abc", "not a time"),
        ("1:02:03:04", "Frame"),
        ("00:00:05:12", "Frame"),
        ("1:60", "Seconds"),
        ("1:60:00", "Minutes"),
        ("nan", "not a time"),
        ("inf", "not a time"),
        ("1e3", "not a time"),
        ("100:00:00.001", "100 hours"),
        ("360001", "100 hours"),
        ("9" * 5000, "100 hours"),
        ("1:02.", "not a time"),
        ("1::02", "not a time"),
        ("12 34", "not a time"),
        ("٣", "not a time"),  # an Arabic-Indic digit is not read as 3 behind the user's back
    ],
)
def test_parse_time_refuses_with_a_message_a_user_can_act_on(typed: str, reason: str) -> None:
    with pytest.raises(EditError) as caught:
        parse_time(typed)
    message = str(caught.value)
    assert reason.lower() in message.lower()
    assert "\n" not in message
    assert "1:02.500" in message  # an example of a valid time
    if typed.strip():
        assert repr(typed[:30])[1:-1][:10] in message  # names what was typed


def test_parse_time_reads_back_every_format() -> None:
    for seconds in (0, 0.001, 59.999, 61.25, 3599.999, 3600, 86399.5):
        for fmt in (format_srt, format_vtt, format_display):
            assert parse_time(fmt(seconds)) == pytest.approx(seconds, abs=1e-9), fmt


@given(st.text())
def test_parse_time_raises_only_edit_error_for_any_text(text: str) -> None:
    try:
        value = parse_time(text)
    except EditError as exc:
        assert "\n" not in str(exc)
    else:
        assert 0 <= value <= 100 * 3600


@given(st.text(alphabet="0123456789:.,- \t\u3000１：", max_size=24))
def test_parse_time_fuzz_near_valid_input(text: str) -> None:
    try:
        value = parse_time(text)
    except EditError:
        return
    assert math.isfinite(value) and 0 <= value <= 100 * 3600
    assert value == round(value, 3)


@given(st.integers(min_value=0, max_value=100 * 3600 * 1000))
def test_display_round_trips_through_parse(ms: int) -> None:
    assert round(parse_time(format_display(ms / 1000)) * 1000) == ms
