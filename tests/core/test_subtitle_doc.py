"""Opening a subtitle file for editing: a job like any other, saved back as it came."""

from __future__ import annotations

from pathlib import Path

import pytest

from subtitle_studio.core.document import SubtitleDocument
from subtitle_studio.core.edits import Edits
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.subtitle_doc import (
    find_document,
    needs_overwrite_confirmation,
    open_subtitle_file,
    save_document,
)
from subtitle_studio.core.subtitle_files import read_subtitles
from subtitle_studio.core.transcript import current_transcript
from subtitle_studio.errors import SubtitleFileError
from tests.support.media_files import copy_to

SRT = (
    "1\n00:00:01,000 --> 00:00:03,500\nHello there.\n\n"
    "2\n00:00:04,000 --> 00:00:06,000\nGeneral Kenobi.\n\n"
    "3\nthis block has no timing line\n\n"
    "4\n00:00:07,000 --> 00:00:09,250\nYou are a bold one.\n"
)


def _load(store: JobStore, job_id: str) -> SubtitleDocument:
    document = SubtitleDocument(job_id, edits=Edits.load(store.folder(job_id), job_id))
    transcript = current_transcript(store, job_id, words=False)
    document.load(transcript["segments"], aligned=transcript["aligned"])
    return document


def test_opened_srt_becomes_a_finished_job_with_its_media(tmp_path: Path, media: Path) -> None:
    store = JobStore()
    srt = tmp_path / "clip.srt"
    srt.write_text(SRT, encoding="utf-8")
    wav = copy_to(media / "en_librispeech_1995-1837-0001.wav", tmp_path / "clip.wav")

    record = open_subtitle_file(store, srt)

    assert record.status == JobStatus.DONE and record.phase == "srt" and record.percent == 100
    assert Path(record.source) == wav
    assert record.document is not None
    assert record.document["media"] == str(wav)
    assert record.document["format"] == "srt"
    assert record.document["encoding"] in ("utf-8", "ascii")
    assert [saved[0] for saved in record.document["problems"]] == [10]  # the untimed text
    # Kept with its template and values, so the window can show it in its own language.
    assert record.document["problems"][0][1:] == [
        "Subtitle 3: 'this block has no timing line' is not a timing line "
        "(expected 00:00:01,000 --> 00:00:02,500); that subtitle was skipped.",
        "Subtitle {number}: {line} is not a timing line "
        "(expected 00:00:01,000 --> 00:00:02,500); that subtitle was skipped.",
        {"number": "3", "line": "'this block has no timing line'"},
    ]
    # It survives a restart: the saved job.json carries the document.
    assert store.get(record.id).document == record.document
    transcript = current_transcript(store, record.id, words=False)
    assert [r["text"] for r in transcript["segments"]] == [
        "Hello there.",
        "General Kenobi.",
        "You are a bold one.",
    ]
    assert transcript["segments"][0]["start"] == 1.0
    assert transcript["segments"][2]["end"] == 9.25


def test_without_media_the_source_is_the_file_and_reopening_continues(tmp_path: Path) -> None:
    store = JobStore()
    srt = tmp_path / "alone.srt"
    srt.write_text(SRT, encoding="utf-8")

    record = open_subtitle_file(store, srt)

    assert Path(record.source) == srt and record.document["media"] is None
    assert open_subtitle_file(store, srt).id == record.id
    assert find_document(store, srt).id == record.id
    again = open_subtitle_file(store, srt, start_again=True)
    assert again.id != record.id
    assert find_document(store, srt).id == again.id
    # Starting again replaces the earlier document: the job list keeps no stale copy.
    assert [r.id for r in store.list() if r.document] == [again.id]


def test_save_round_trip_keeps_text_and_times_and_asks_once(tmp_path: Path) -> None:
    store = JobStore()
    srt = tmp_path / "talk.srt"
    srt.write_text(SRT.replace("\n", "\r\n"), encoding="utf-8")
    record = open_subtitle_file(store, srt)
    document = _load(store, record.id)
    document.edit(document.rows[1].id, text="General Kenobi!", start=4.2)
    document.save_edits(store.folder(record.id))

    assert needs_overwrite_confirmation(record)
    save_document(store, record, document.rows, overwrite_confirmed=True)

    assert not needs_overwrite_confirmation(store.get(record.id))
    assert b"\r\n" in srt.read_bytes()  # the line ends it came with
    saved = read_subtitles(srt)
    assert [(r["start"], r["end"], r["text"]) for r in saved.rows] == [
        (1.0, 3.5, "Hello there."),
        (4.2, 6.0, "General Kenobi!"),
        (7.0, 9.25, "You are a bold one."),
    ]
    # Reopening continues with the edits, not from the saved file.
    reopened = open_subtitle_file(store, srt)
    assert reopened.id == record.id
    assert _load(store, reopened.id).rows[1].text == "General Kenobi!"


def test_save_as_changes_path_and_format(tmp_path: Path) -> None:
    store = JobStore()
    srt = tmp_path / "talk.srt"
    srt.write_text(SRT, encoding="utf-8")
    record = open_subtitle_file(store, srt)
    document = _load(store, record.id)

    target = save_document(store, record, document.rows, path=tmp_path / "talk.vtt")

    assert target.read_text(encoding="utf-8").startswith("WEBVTT")
    saved = store.get(record.id).document
    assert saved["path"] == str(target) and saved["format"] == "vtt"
    assert srt.read_text(encoding="utf-8") == SRT  # the original is untouched
    assert not needs_overwrite_confirmation(store.get(record.id))  # not the original


def test_cjk_file_keeps_its_legacy_encoding(tmp_path: Path) -> None:
    store = JobStore()
    srt = tmp_path / "zh.srt"
    text = (
        "1\n00:00:00,500 --> 00:00:02,000\n今天天气很好。\n\n"
        "2\n00:00:02,500 --> 00:00:04,000\n我们去公园散步吧。\n"
    )
    srt.write_bytes(text.encode("gbk"))
    record = open_subtitle_file(store, srt)
    encoding = record.document["encoding"]
    assert encoding.replace("-", "").lower() in ("gbk", "gb18030", "gb2312")
    assert record.language == "zh"
    document = _load(store, record.id)
    document.edit(document.rows[0].id, text="今天天气不错。")

    save_document(store, record, document.rows)

    data = srt.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert "今天天气不错。" in data.decode(encoding)
    # A character the encoding cannot store is refused, and nothing is written.
    document.edit(document.rows[1].id, text="🙂")
    with pytest.raises(SubtitleFileError):
        save_document(store, record, document.rows)
    assert srt.read_bytes() == data


def test_ass_styles_survive_saving(tmp_path: Path) -> None:
    store = JobStore()
    ass = tmp_path / "styled.ass"
    ass.write_text(
        "[Script Info]\nScriptType: v4.00+\nPlayResX: 640\nPlayResY: 360\n\n"
        "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
        "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, "
        "Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, "
        "MarginV, Encoding\n"
        "Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,"
        "100,100,0,0,1,2,2,2,10,10,10,1\n"
        "Style: Sign,Georgia,28,&H0000FFFF,&H000000FF,&H00000000,&H00000000,1,0,0,0,"
        "100,100,0,0,1,2,2,8,10,10,10,1\n\n"
        "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, "
        "Effect, Text\n"
        "Dialogue: 0,0:00:01.00,0:00:03.00,Default,,0,0,0,,First line\n"
        "Dialogue: 0,0:00:04.00,0:00:06.00,Sign,,0,0,0,,A sign\n",
        encoding="utf-8",
    )
    record = open_subtitle_file(store, ass)
    document = _load(store, record.id)
    document.delete(document.rows[0].id)
    save_document(store, record, document.rows)
    save_document(store, store.get(record.id), document.rows)  # saving twice changes nothing

    written = ass.read_text(encoding="utf-8")
    assert "Style: Sign,Georgia" in written
    assert "Sign,,0,0,0,,A sign" in written
    assert "First line" not in written
