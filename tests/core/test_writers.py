"""Subtitle files as players and users meet them: SRT, WebVTT, JSON, written atomically."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from subtitle_studio.core import writers
from subtitle_studio.core.subtitle_rules import DEFAULT_RULES, Cue, Word, words_to_cues
from subtitle_studio.core.writers import render, to_json, to_srt, to_vtt, write_subtitles
from subtitle_studio.errors import EditError, SettingsError, StorageError
from tests.support.srt_check import check_rules, parse_srt

CUES = [
    Cue(1.0, 2.5, "Hello there."),
    Cue(3.0, 5.123, "Two lines\nof text"),
    Cue(3600.0, 3601.0005, "Ünïcödé ✓ 今天"),
]


def test_srt_has_numbered_blocks_and_round_trips() -> None:
    text = to_srt(CUES)
    assert text.startswith("1\n00:00:01,000 --> 00:00:02,500\nHello there.\n\n2\n")
    assert parse_srt(text) == [
        (1, 1.0, 2.5, "Hello there."),
        (2, 3.0, 5.123, "Two lines\nof text"),
        (3, 3600.0, 3601.001, "Ünïcödé ✓ 今天"),
    ]


def test_srt_of_nothing_is_empty() -> None:
    assert to_srt([]) == "" and parse_srt("") == []


def test_blank_lines_inside_a_cue_cannot_end_the_block() -> None:
    text = to_srt([Cue(0, 1, "first\n\n  \nsecond  \r\nthird"), Cue(2, 3, "next")])
    blocks = parse_srt(text)
    assert blocks[0][3] == "first\nsecond\nthird"
    assert blocks[1] == (2, 2.0, 3.0, "next")


def test_cues_without_text_are_left_out_and_numbering_stays_continuous() -> None:
    text = to_srt([Cue(0, 1, "a"), Cue(1.5, 2, " \n "), Cue(3, 4, "b")])
    assert [(i, t) for i, _, _, t in parse_srt(text)] == [(1, "a"), (2, "b")]


def test_writers_do_not_move_times() -> None:
    cues = [Cue(0.0, 3.0, "overlaps"), Cue(2.0, 4.0, "the next one")]
    assert [(s, e) for _, s, e, _ in parse_srt(to_srt(cues))] == [(0.0, 3.0), (2.0, 4.0)]


@pytest.mark.parametrize("fmt", ["srt", "vtt", "json"])
def test_end_before_start_is_refused(fmt: str) -> None:
    with pytest.raises(EditError, match="Subtitle 2 ends"):
        render([Cue(0, 1, "ok"), Cue(5.0, 4.0, "backwards")], fmt)


@pytest.mark.parametrize("fmt", ["srt", "vtt", "json"])
def test_negative_or_impossible_times_are_refused(fmt: str) -> None:
    for bad in (Cue(-1.0, 1.0, "x"), Cue(0.0, float("nan"), "x")):
        with pytest.raises(EditError, match="Subtitle 1"):
            render([bad], fmt)


def test_vtt_has_header_dot_times_and_escaped_text() -> None:
    text = to_vtt([Cue(1.0, 2.0, "a < b & c --> d"), Cue(3.0, 4.25, "x\n\ny")])
    assert text == (
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:02.000\na &lt; b &amp; c --&gt; d\n\n"
        "00:00:03.000 --> 00:00:04.250\nx\ny\n"
    )
    assert to_vtt([]) == "WEBVTT\n"


def test_json_follows_the_documented_schema() -> None:
    data = json.loads(to_json(CUES, language="en"))
    assert data["version"] == 1 and data["language"] == "en"
    assert data["cues"][1] == {"index": 2, "start": 3.0, "end": 5.123, "text": "Two lines\nof text"}
    assert data["cues"][2]["end"] == 3601.001
    assert json.loads(to_json([]))["language"] is None


def test_render_dispatches_and_refuses_unknown_formats() -> None:
    assert render(CUES, "SRT") == to_srt(CUES)
    assert render(CUES, ".vtt") == to_vtt(CUES)
    assert json.loads(render(CUES, "json", language="fr"))["language"] == "fr"
    with pytest.raises(SettingsError, match="ass"):
        render(CUES, "ass")


def test_pipeline_output_passes_the_strict_checker() -> None:
    words, t = [], 0.0
    for i in range(200):
        token = ("word" * (1 + i % 3)) + ("." if i % 11 == 10 else "")
        words.append(Word(" " + token, t, t + 0.3))
        t += 0.35
    cues = words_to_cues(words)
    parsed = parse_srt(to_srt(cues))
    assert len(parsed) == len(cues)
    check_rules(parsed, DEFAULT_RULES)


def test_checker_catches_what_a_player_would_trip_on() -> None:
    good = "1\n00:00:01,000 --> 00:00:02,000\nHi\n"
    parse_srt(good)
    for bad in (
        "\ufeff" + good,
        good.replace("\n", "\r\n"),
        good.replace("1\n", "2\n", 1),
        good.replace(",000 -->", ".000 -->"),
        good.replace("Hi", " "),
        good + "\n\n",
        good + "\n2\n00:00:03,000 --> 00:00:02,000\nBack\n",
    ):
        with pytest.raises(AssertionError):
            parse_srt(bad)
    with pytest.raises(AssertionError, match="lines"):
        check_rules([Cue(0, 1, "a\nb\nc")], DEFAULT_RULES)
    with pytest.raises(AssertionError, match="chars"):
        check_rules([Cue(0, 1, "x" * 43)], DEFAULT_RULES)
    with pytest.raises(AssertionError, match="chars"):
        check_rules([Cue(0, 1, "今" * 17)], DEFAULT_RULES)
    with pytest.raises(AssertionError, match="longer"):
        check_rules([Cue(0, 7.5, "a")], DEFAULT_RULES)
    with pytest.raises(AssertionError, match="after the previous"):
        check_rules([Cue(0, 1, "a"), Cue(1.02, 2, "b")], DEFAULT_RULES)


# --- write_subtitles --------------------------------------------------------------------


def test_write_creates_utf8_lf_file_in_a_folder_with_spaces_and_accents(tmp_path: Path) -> None:
    folder = tmp_path / "mes vidéos 字幕"
    folder.mkdir()
    path = write_subtitles(folder / "clip 1.srt", CUES, "srt")
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    assert parse_srt(raw.decode("utf-8"))[2][3] == "Ünïcödé ✓ 今天"
    assert sorted(p.name for p in folder.iterdir()) == ["clip 1.srt"]  # no temporary left


def test_write_replaces_an_existing_file_and_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "out.vtt"
    path.write_text("old")
    os.chmod(path, 0o640)
    write_subtitles(path, CUES, "vtt")
    assert path.read_text(encoding="utf-8").startswith("WEBVTT\n")
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o640


def test_a_new_file_is_readable_like_any_saved_file(tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    path = write_subtitles(tmp_path / "new.srt", CUES, "srt")
    umask = os.umask(0o022)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_bad_cue_leaves_the_old_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "out.srt"
    path.write_text("previous export")
    with pytest.raises(EditError):
        write_subtitles(path, [Cue(2, 1, "backwards")], "srt")
    with pytest.raises(SettingsError):
        write_subtitles(path, CUES, "docx")
    assert path.read_text() == "previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["out.srt"]


def test_a_full_disk_is_a_storage_error_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "out.srt"
    path.write_text("previous export")

    def no_space(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writers.os, "fsync", no_space)
    with pytest.raises(StorageError, match="full"):
        write_subtitles(path, CUES, "srt")
    assert path.read_text() == "previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["out.srt"]


def test_a_missing_folder_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="does not exist"):
        write_subtitles(tmp_path / "gone" / "out.srt", CUES, "srt")


def test_json_file_records_the_language(tmp_path: Path) -> None:
    path = write_subtitles(tmp_path / "out.json", CUES, "json", language="de")
    assert json.loads(path.read_text(encoding="utf-8"))["language"] == "de"
