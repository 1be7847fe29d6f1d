"""The line rules: wrapping, cue splitting and timing, as a viewer would notice them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from subtitle_studio.core.subtitle_rules import (
    DEFAULT_RULES,
    Cue,
    LineRules,
    Word,
    cue_text,
    enforce_timing,
    split_into_cues,
    words_to_cues,
    wrap_text,
)
from subtitle_studio.errors import EditError, SettingsError
from tests.support.srt_check import check_rules

PARAGRAPH = (
    "Printing, in the only sense with which we are at present concerned, differs from most "
    "if not from all the arts and crafts represented in the Exhibition in being comparatively "
    "modern. For although the Chinese took impressions from wood blocks engraved in relief for "
    "centuries before the woodcutters of the Netherlands, by a similar process, produced the "
    "block books, which were the immediate predecessors of the true printed book, the "
    "invention of movable metal letters in the middle of the fifteenth century may justly be "
    "considered as the invention of the art of printing. And it is worth mention in passing "
    "that, as an example of fine typography, the earliest book printed with movable types, the "
    "Gutenberg, or forty-two line Bible of about 1455, has never been surpassed."
)


def timed(text: str, *, pause_after_sentence: float = 0.4, gap: float = 0.05) -> list[Word]:
    """Words with plausible speech timing (longer words take longer), as whisper gives them."""
    words, t = [], 1.0
    for token in text.split():
        length = 0.12 + 0.045 * len(token)
        words.append(Word(" " + token, round(t, 3), round(t + length, 3)))
        t += length + (pause_after_sentence if token.endswith((".", "?", "!")) else gap)
    return words


def flat(cues: list[Cue]) -> list[str]:
    return " ".join(c.text.replace("\n", " ") for c in cues).split()


# --- LineRules ------------------------------------------------------------------------


def test_rules_defaults_and_gap() -> None:
    assert DEFAULT_RULES.min_gap_s == pytest.approx(0.04)
    assert LineRules(frame_rate=24.0, min_gap_frames=2).min_gap_s == pytest.approx(2 / 24)


@pytest.mark.parametrize(
    ("value", "limit"),
    [
        ("ja", 16),
        ("zh-CN", 16),
        ("ko", 16),
        ("yue", 16),
        ("en", 42),
        ("de", 42),
        (None, 42),
        ("Hello there, how are you?", 42),
        ("今天天气很好", 16),
        ("我用iPhone拍照", 16),  # a Latin brand name inside Chinese is still Chinese
        ("The word 禅 means meditation", 42),  # one kanji in English is still English
        ("안녕하세요 여러분", 16),
    ],
)
def test_line_limit_knows_cjk_languages_and_texts(value: str | None, limit: int) -> None:
    assert DEFAULT_RULES.line_limit(value) == limit


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_lines": 0},
        {"max_chars_per_line": 0},
        {"min_duration_s": 8.0},
        {"max_duration_s": 0.05, "min_duration_s": 0.0},
        {"frame_rate": 0},
        {"max_cps": float("nan")},
    ],
)
def test_impossible_rules_are_refused(kwargs: dict) -> None:
    with pytest.raises(SettingsError):
        LineRules(**kwargs)


# --- wrap_text --------------------------------------------------------------------------


def test_short_text_stays_on_one_line() -> None:
    assert wrap_text("  Hello   there,\nfriend. ") == "Hello there, friend."


def test_long_text_wraps_into_two_balanced_lines_without_breaking_words() -> None:
    text = "This is a fairly long sentence that should wrap into two balanced lines."
    top, bottom = wrap_text(text).split("\n")
    assert f"{top} {bottom}" == text
    assert len(top) <= 42 and len(bottom) <= 42
    assert abs(len(top) - len(bottom)) <= 8
    assert len(top) <= len(bottom) + 2  # bottom-heavy or even, as a subtitler prefers


def test_wrap_prefers_a_break_after_punctuation_when_nearly_balanced() -> None:
    text = "When the rain finally stopped, we walked home along the empty river."
    assert wrap_text(text).split("\n")[0] == "When the rain finally stopped,"


def test_wrap_prefers_a_break_before_a_conjunction_when_nearly_balanced() -> None:
    text = "I waited at the corner for a long time because the bus was late again"
    assert wrap_text(text).split("\n")[1] == "because the bus was late again"


def test_wrap_does_not_sacrifice_balance_for_a_far_comma() -> None:
    text = "Yes, I think that we should probably leave the house before it gets too late"
    top, bottom = wrap_text(text).split("\n")
    assert top != "Yes," and abs(len(top) - len(bottom)) <= 8


def test_cjk_sentence_wraps_at_16_characters_after_the_comma() -> None:
    lines = wrap_text("今天天气很好，我们一起去公园散步吧。").split("\n")
    assert lines == ["今天天气很好，", "我们一起去公园散步吧。"]
    assert all(len(line) <= 16 for line in lines)


def test_japanese_never_starts_a_line_with_closing_punctuation() -> None:
    text = "「こんにちは」と彼女は言った。駅まで一緒に歩きましょう、と。"
    lines = wrap_text(text).split("\n")
    assert "".join(lines) == text
    assert all(len(line) <= 16 for line in lines)
    for line in lines:
        assert line[0] not in "。、」』）？！ょっ", line
        assert line[-1] not in "「『（", line


def test_korean_wraps_at_spaces_within_the_cjk_limit() -> None:
    text = "안녕하세요 여러분 오늘은 날씨가 정말 좋습니다"
    lines = wrap_text(text).split("\n")
    assert " ".join(lines) == text
    assert all(len(line) <= 16 for line in lines)


def test_text_too_long_for_two_lines_keeps_all_words_on_more_lines() -> None:
    text = " ".join(["subtitle"] * 30)
    lines = wrap_text(text).split("\n")
    assert len(lines) > 2
    assert " ".join(lines) == text
    assert all(len(line) <= 42 for line in lines)


def test_a_single_overlong_word_is_never_cut() -> None:
    url = "https://example.com/a/very/long/path/that/does/not/fit/on/one/line"
    assert wrap_text(f"see {url} now").split("\n") == ["see", url, "now"] or url in wrap_text(
        f"see {url} now"
    ).split("\n")


def test_french_spacing_keeps_punctuation_with_its_word() -> None:
    lines = wrap_text("Vous venez ce soir au concert avec nous tous ? « Oui » dit-elle").split("\n")
    assert not any(line.startswith(("?", "»")) for line in lines)


# --- cue_text ---------------------------------------------------------------------------


def test_cue_text_joins_whisper_words() -> None:
    words = [Word(" Printing,", 0, 1), Word("  in ", 1, 2), Word(" the\tonly", 2, 3)]
    assert cue_text(words) == "Printing, in the only"


def test_cue_text_joins_cjk_without_spaces_and_keeps_latin_spacing() -> None:
    words = [Word("我们", 0, 1), Word("今天", 1, 2), Word("用", 2, 3), Word(" iPhone", 3, 4)]
    assert cue_text(words) == "我们今天用iPhone"


def test_cue_text_attaches_lone_punctuation_and_skips_empty_words() -> None:
    words = [Word("Hello", 0, 1), Word(",", 1, 1), Word("  ", 1, 1), Word("world", 1, 2)]
    assert cue_text(words + [Word("?", 2, 2)]) == "Hello, world?"


# --- split_into_cues --------------------------------------------------------------------


def test_paragraph_becomes_cues_that_follow_the_rules_and_keep_every_word() -> None:
    words = timed(PARAGRAPH)
    assert len(words) >= 120
    cues = words_to_cues(words)
    check_rules(cues, DEFAULT_RULES)
    assert flat(cues) == PARAGRAPH.split()
    assert 10 <= len(cues) <= 30


@pytest.mark.parametrize(
    "rules",
    [
        LineRules(max_lines=1, max_chars_per_line=32),
        LineRules(max_lines=3, max_chars_per_line=30, max_duration_s=5.0),
        LineRules(frame_rate=23.976, min_gap_frames=3, min_duration_s=1.2),
    ],
)
def test_other_rule_sets_are_honoured_end_to_end(rules: LineRules) -> None:
    cues = words_to_cues(timed(PARAGRAPH), rules)
    check_rules(cues, rules)
    assert flat(cues) == PARAGRAPH.split()
    assert max(len(c.text.split("\n")) for c in cues) == rules.max_lines


def test_chinese_pause_spaces_are_the_preferred_line_break() -> None:
    assert wrap_text("今天天气很好 我们一起去公园散步吧") == "今天天气很好\n我们一起去公园散步吧"


def test_groups_cover_all_words_in_order_and_fit() -> None:
    words = timed(PARAGRAPH)
    groups = split_into_cues(words)
    assert [w for g in groups for w in g] == words
    for group in groups:
        assert group[-1].end - group[0].start <= DEFAULT_RULES.max_duration_s
        assert len(wrap_text(cue_text(group)).split("\n")) <= 2


def test_cues_break_at_sentence_ends_and_lines_between_sentences() -> None:
    text = (
        "We should really leave before the storm arrives here tonight. The roads will flood "
        "again. Grab your coat and the keys. I will meet you at the car in five minutes."
    )
    cues = words_to_cues(timed(text))
    assert len(cues) >= 2
    for cue in cues:
        assert cue.text.endswith("."), [c.text for c in cues]  # no sentence runs on
        for line in cue.text.split("\n"):  # two short sentences share a cue line by line
            assert line.endswith(".") or ". " not in line, cue.text


def test_a_long_pause_is_preferred_over_an_arbitrary_break() -> None:
    first = timed("the old man walked slowly down to the quiet")
    shift = first[-1].end + 0.9 - 1.0  # the speaker stops for 0.9 s after "quiet"
    rest = timed("harbour every single morning to watch the fishing boats come back in")
    words = first + [Word(w.text, w.start + shift, w.end + shift) for w in rest]
    groups = split_into_cues(words)
    assert [len(g) for g in groups] == [len(first), len(rest)], [cue_text(g) for g in groups]


def test_a_break_after_a_comma_is_preferred_over_an_arbitrary_one() -> None:
    text = (
        "If you want to understand how this old machine works inside, you have to take "
        "it apart piece by piece"
    )
    groups = split_into_cues(timed(text, gap=0.02))
    assert len(groups) == 2
    assert cue_text(groups[0]).endswith("inside,")


def test_no_one_word_orphan_at_the_end() -> None:
    # One character too long for a cue; the comma makes "remember?" alone the cheapest cut.
    text = "My grandmother baked fresh bread every morning for the family during winter, remember?"
    groups = split_into_cues(timed(text))
    assert all(len(g) > 1 for g in groups), [cue_text(g) for g in groups]


def test_slow_speech_is_split_by_duration() -> None:
    words = [Word(f" w{i}", i * 1.0, i * 1.0 + 0.8) for i in range(20)]
    groups = split_into_cues(words)
    assert all(g[-1].end - g[0].start <= 7.0 for g in groups)
    assert [w for g in groups for w in g] == words


def test_a_word_longer_than_the_rules_is_its_own_cue() -> None:
    words = [Word(" Hi", 0.0, 0.3), Word(" Zzzz", 0.4, 9.0), Word(" there.", 9.1, 9.5)]
    groups = split_into_cues(words)
    assert [w for g in groups for w in g] == words
    assert [words[1]] in groups


def test_splitting_is_deterministic_and_handles_nothing() -> None:
    words = timed(PARAGRAPH)
    assert split_into_cues(words) == split_into_cues(list(words))
    assert split_into_cues([]) == [] and words_to_cues([]) == []


def test_cjk_words_become_cues_within_the_cjk_limit() -> None:
    text = "今天天气很好。我们一起去公园散步吧，然后去吃饭。明天还要早起上班，所以不能太晚回家。"
    words = [Word(ch, i * 0.25, i * 0.25 + 0.2) for i, ch in enumerate(text)]
    cues = words_to_cues(words)
    check_rules(cues, DEFAULT_RULES)
    assert "".join(c.text.replace("\n", "") for c in cues) == text
    assert all(len(line) <= 16 for c in cues for line in c.text.split("\n"))


def test_non_finite_word_times_are_refused() -> None:
    with pytest.raises(EditError):
        split_into_cues([Word("a", 0, float("nan"))])


# --- enforce_timing ---------------------------------------------------------------------


def test_overlapping_cues_are_trimmed_to_leave_a_frame() -> None:
    out = enforce_timing([Cue(0.0, 3.0, "one"), Cue(2.0, 4.0, "two")])
    assert out == [Cue(0.0, 1.96, "one"), Cue(2.0, 4.0, "two")]


def test_cues_come_out_sorted() -> None:
    out = enforce_timing([Cue(5.0, 6.0, "later"), Cue(1.0, 2.0, "sooner")])
    assert [c.text for c in out] == ["sooner", "later"]


def test_cues_starting_together_are_staggered_without_losing_text() -> None:
    out = enforce_timing([Cue(1.0, 3.0, "a"), Cue(1.0, 3.0, "b"), Cue(1.0, 3.0, "c")])
    check_rules(out, DEFAULT_RULES)
    assert [c.text for c in out] == ["a", "b", "c"]
    assert out[0].end - out[0].start >= 0.1
    assert out[-1].end == 3.0


def test_too_long_cue_is_cut_to_seven_seconds() -> None:
    assert enforce_timing([Cue(10.0, 30.0, "long")]) == [Cue(10.0, 17.0, "long")]


def test_short_cue_grows_into_silence_but_not_over_the_next_cue() -> None:
    out = enforce_timing([Cue(0.0, 0.2, "a"), Cue(5.0, 5.1, "b"), Cue(5.5, 6.5, "c")])
    assert out[0] == Cue(0.0, 0.7, "a")
    assert out[1] == Cue(5.0, 5.46, "b")  # stops a frame before "c"
    check_rules(out, DEFAULT_RULES)


def test_empty_cues_are_dropped_and_negative_times_clamped() -> None:
    out = enforce_timing([Cue(-1.0, 1.0, "x"), Cue(2.0, 3.0, "  \n "), Cue(4.0, 3.0, "y")])
    assert out == [Cue(0.0, 1.0, "x"), Cue(4.0, 4.7, "y")]


def test_times_are_rounded_to_milliseconds() -> None:
    out = enforce_timing([Cue(1.00049, 2.33333, "x")])
    assert (out[0].start, out[0].end) == (1.0, 2.333)


def test_custom_rules_are_honoured() -> None:
    rules = LineRules(max_duration_s=3.0, frame_rate=10.0, min_gap_frames=2)
    out = enforce_timing([Cue(0, 5, "a"), Cue(3.1, 4, "b")], rules)
    assert out == [Cue(0.0, 2.9, "a"), Cue(3.1, 4.0, "b")]


# --- property tests ---------------------------------------------------------------------

_LATIN = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC'-", min_size=1, max_size=18)
_PUNCT = st.sampled_from(["", "", "", ",", ".", "?", "!", ";", ":", "..."])
_LATIN_WORD = st.builds(lambda w, p: w + p, _LATIN, _PUNCT)
_CJK_WORD = st.text(
    alphabet="我们今天天气很好一起去公園散步こんにちは、。「」？", min_size=1, max_size=6
)


@st.composite
def word_sequences(draw: st.DrawFn) -> list[Word]:
    texts = draw(st.lists(st.one_of(_LATIN_WORD) if draw(st.booleans()) else _CJK_WORD,
                          min_size=0, max_size=80))  # fmt: skip
    words, t = [], draw(st.floats(0, 100))
    for text in texts:
        gap = draw(st.sampled_from([0.0, 0.0, 0.01, 0.05, 0.3, 0.8, 3.0]))
        length = (
            draw(st.floats(0.0, 9.0)) if draw(st.integers(0, 20)) == 0 else 0.05 + 0.05 * len(text)
        )
        start = t + gap
        lead = "" if text[0] > "\u3000" else " "
        words.append(Word(lead + text, start, start + length))
        t = start + length
    return words


@settings(max_examples=300, deadline=None)
@given(word_sequences())
def test_any_words_become_cues_that_pass_the_rules(words: list[Word]) -> None:
    groups = split_into_cues(words)
    assert [w for g in groups for w in g] == words
    cues = words_to_cues(words)
    check_rules(cues, DEFAULT_RULES)
    # Nothing lost, nothing reordered (whitespace aside: CJK wraps without spaces).
    shown = "".join("".join(c.text.split()) for c in cues)
    assert shown == "".join("".join(w.text.split()) for w in words)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(-5, 50), st.floats(-5, 50), st.text(max_size=5)), max_size=30))
def test_any_cues_come_out_playable(raw: list[tuple[float, float, str]]) -> None:
    out = enforce_timing([Cue(s, e, "x" + t) for s, e, t in raw])
    assert len(out) == len(raw)
    assert sorted(c.text for c in out) == sorted(("x" + t).strip() for _, _, t in raw)
    for cue in out:
        assert cue.end - cue.start <= 7.0 + 1e-9 and cue.start >= 0
    for a, b in zip(out, out[1:], strict=False):
        assert b.start - a.end >= 0.04 - 1e-9


def test_a_text_starting_like_a_language_tag_is_not_one() -> None:
    """Found by the property test above: "jA-AAA..." was read as the language "ja" and
    wrapped to the CJK limit of 16, giving a 3-line cue."""
    assert DEFAULT_RULES.line_limit("jA-AAA... A AA AA AAA AAA, AAAAA") == 42
    assert DEFAULT_RULES.line_limit("zh-Hant") == DEFAULT_RULES.line_limit("ja") == 16
    assert wrap_text("ja-nee is a name, not a language tag here") == (
        "ja-nee is a name, not a language tag here"
    )
