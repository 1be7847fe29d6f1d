"""The checks beside each row: a table of cues with known problems gets exactly those flags."""

from __future__ import annotations

import time

import pytest

from subtitle_studio.core.document import Row
from subtitle_studio.core.subtitle_checks import Problem, RowFlags, check_rows, next_problem
from subtitle_studio.core.subtitle_rules import LineRules
from subtitle_studio.errors import SettingsError

P = Problem
# (start, end, text, expected problems); each row's next row matters for overlaps.
TABLE = [
    (0.0, 2.0, "A comfortable line.", P.NONE),  # 19 characters in 2 s: 9.5 cps
    (2.5, 3.5, "Far too many words for one second.", P.READING_SPEED),  # 34 cps
    (4.0, 7.5, "This single line is much longer than forty-two characters", P.LINE_LENGTH),
    (8.0, 8.5, "Hi.", P.TOO_SHORT),
    (9.0, 16.5, "A long pause.", P.TOO_LONG),
    (17.0, 19.0, "I overlap the next one.", P.OVERLAP),
    (18.5, 20.5, "one\ntwo\nthree", P.TOO_MANY_LINES),
    # 11 characters in 1 s: over the CJK limit (9) but under the Latin one (17).
    (21.0, 22.0, "你好，我们去哪里吃饭？", P.READING_SPEED),
    (23.0, 25.0, "今天天气很好。", P.NONE),
    (25.5, 26.5, "你好，我们今天一起去吃饭吧", P.READING_SPEED),  # 13 cps
    (27.0, 29.0, "这一行中文字幕实在是太长了超过十六个字", P.LINE_LENGTH | P.READING_SPEED),
    (29.5, 32.0, "我用iPhone拍了照片", P.NONE),  # a CJK line: 12 characters, 4.8 cps
    (32.5, 35.0, "<i>Styled</i> {\\an8}text, tags not counted", P.NONE),
    (35.5, 35.5, "Zero time.", P.BAD_TIMES),
    (36.0, 35.5, "Backwards.", P.BAD_TIMES),
    (40.0, 40.5, "Quick, too quick!", P.TOO_SHORT | P.READING_SPEED),
]


def rows(table: list[tuple[float, float, str, Problem]]) -> list[Row]:
    return [Row(f"0_{n}", start, end, text) for n, (start, end, text, _) in enumerate(table)]


def test_each_row_gets_exactly_its_problems() -> None:
    flags = check_rows(rows(TABLE))
    assert [f.problems for f in flags] == [expected for *_, expected in TABLE]


def test_the_limits_come_from_the_line_rules() -> None:
    loose = LineRules(max_cps=40.0, max_cps_cjk=20.0, max_chars_per_line=60, max_lines=3)
    flags = check_rows(rows(TABLE), loose)
    assert flags[1].problems == P.NONE  # 34 cps is fine at 40
    assert flags[2].problems == P.NONE  # 57 characters fit in 60
    assert flags[6].problems == P.NONE  # three lines allowed
    assert flags[9].problems == P.NONE  # 13 CJK cps is fine at 20
    with pytest.raises(SettingsError):
        LineRules(max_cps_cjk=0)


@pytest.mark.parametrize(
    "line",
    [
        "我用iPhone拍了照片",
        "I bought an iPhone 手机",
        "Hello。",
        "東京 Tokyo Tower is tall",
        "안녕하세요 여러분 반갑습니다",
        "「こんにちは」と言った",
        "Plain English only",
        "Ça va? Très bien.",
    ],
)
def test_a_line_is_cjk_exactly_when_the_export_thinks_so(line: str) -> None:
    # Limits that tell the two apart: the line fits the Latin limit only.
    rules = LineRules(max_chars_per_line=len(line), max_chars_per_line_cjk=len(line) - 1)
    export_says_cjk = rules.line_limit(line) == rules.max_chars_per_line_cjk
    (flags,) = check_rows([Row("0_0", 0.0, 100.0, line)], rules)
    assert bool(flags.bits & Problem.LINE_LENGTH) == export_says_cjk


def test_the_tooltip_says_what_is_wrong_and_by_how_much() -> None:
    flags = check_rows(rows(TABLE))
    assert flags[0].tooltip == "" and flags[0].ok
    assert flags[1].tooltip == (
        "Too fast to read: 34.0 characters per second (at most 17); "
        "shorten the text or lengthen the time."
    )
    assert flags[2].tooltip == "A line has 57 characters (at most 42)."
    assert flags[5].tooltip == "Overlaps the next subtitle by 0.500 s."
    assert flags[9].tooltip.startswith("Too fast to read: 13.0 characters per second (at most 9)")
    assert flags[10].tooltip.splitlines()[1] == "A line has 19 characters (at most 16)."
    assert flags[15].tooltip.splitlines()[1] == "Shown for 0.500 s, less than 0.7 s."
    assert flags[13].tooltip == "Ends before it starts: fix its times."


def test_next_problem_wraps_around() -> None:
    flags = [RowFlags(), RowFlags(bits=1), RowFlags(), RowFlags(bits=8), RowFlags()]
    assert next_problem(flags, -1) == 1
    assert next_problem(flags, 1) == 3
    assert next_problem(flags, 3) == 1  # wrapped
    assert next_problem(flags, 4) == 1
    assert next_problem(flags, 1, backwards=True) == 3  # wrapped backwards
    assert next_problem(flags, len(flags), backwards=True) == 3
    only = [RowFlags(), RowFlags(bits=2)]
    assert next_problem(only, 1) == 1  # the only problem is found again
    assert next_problem([RowFlags(), RowFlags()], 0) is None
    assert next_problem([], -1) is None


def test_two_thousand_rows_are_checked_in_well_under_ten_milliseconds() -> None:
    texts = [
        "Hello there, how are you doing today?",
        "I think we should go\nbefore it gets dark.",
        "<i>Yes.</i>",
        "你好，今天我们去哪里吃饭？",
        "我用iPhone拍照\n然后发给你",
        "這是一個非常非常長的句子，應該被標記出來吧",
    ]
    many = [Row(f"0_{n}", 2.0 * n, 2.0 * n + 1.8, texts[n % len(texts)]) for n in range(2000)]
    check_rows(many)
    best = min(_timed(many) for _ in range(5))
    assert best < 0.010


def _timed(many: list[Row]) -> float:
    began = time.perf_counter()
    check_rows(many)
    return time.perf_counter() - began
