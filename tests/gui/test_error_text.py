"""The window shows a core error in its own language: the template is translated in the
"Errors" context and the parameters are filled in; anything that cannot be translated
safely shows the English message."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from subtitle_studio.errors import EditError, MediaError, Message, SettingsError
from subtitle_studio.gui.error_text import user_message

NO_AUDIO = "{name} has no audio track, so there is nothing to transcribe."
TOO_SHORT = "Subtitle {number} is too short to split."
SELECT = "Select the subtitles to delete."

INVALID = "Invalid settings: {problems}"
BEAM = "beam size must be a whole number from 1 to 20"
STOPPED = "download stopped: {present} of {total} downloaded; downloading again resumes"

TRANSLATIONS = {
    INVALID: "设置无效：{problems}",
    BEAM: "束宽必须是 1 到 20 之间的整数",
    STOPPED: "下载已中断：已下载 {present}，共 {total}；再次下载会从断点继续",
    NO_AUDIO: "{name} 没有音轨，因此没有可转录的内容。",
    TOO_SHORT: "第 {nummer} 条字幕太短，无法拆分。",  # a translator's typo in the placeholder
    SELECT: "请选择要删除的字幕。",
}


def _ts(translations: dict[str, str]) -> str:
    messages = "".join(
        f"<message><source>{escape(source)}</source>"
        f"<translation>{escape(text)}</translation></message>"
        for source, text in translations.items()
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="zh_CN">'
        f"<context><name>Errors</name>{messages}</context></TS>"
    )


@pytest.fixture
def chinese(qapp, tmp_path: Path) -> Iterator[QTranslator]:
    """A tiny Chinese catalogue compiled with PySide6's lrelease, installed for the test."""
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    assert lrelease.is_file(), f"{lrelease} is missing: install PySide6 (it ships lrelease)"
    ts, qm = tmp_path / "errors_zh_CN.ts", tmp_path / "errors_zh_CN.qm"
    ts.write_text(_ts(TRANSLATIONS), encoding="utf-8")
    done = subprocess.run(
        [str(lrelease), str(ts), "-qm", str(qm)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and qm.is_file(), done.stdout + done.stderr
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    yield translator
    QCoreApplication.removeTranslator(translator)


def test_an_exception_is_shown_in_chinese_with_its_parameters(chinese) -> None:
    exc = MediaError(NO_AUDIO, name="假期 video.mp4")
    assert user_message(exc) == "假期 video.mp4 没有音轨，因此没有可转录的内容。"
    assert exc.message.startswith("假期 video.mp4 has no audio")  # the English is untouched


def test_a_saved_failure_is_shown_in_chinese(chinese) -> None:
    saved = MediaError(NO_AUDIO, name="clip.mp4").to_dict()  # as job.json and events keep it
    assert user_message(saved) == "clip.mp4 没有音轨，因此没有可转录的内容。"


def test_a_plain_message_is_translated_without_formatting(chinese) -> None:
    assert user_message(EditError(SELECT)) == "请选择要删除的字幕。"


def test_a_record_saved_before_templates_shows_its_english_message(chinese) -> None:
    old = {"code": "media_error", "message": "clip.mp4 has no audio track, so nothing."}
    assert user_message(old) == old["message"]


def test_a_translation_with_wrong_placeholders_falls_back_to_english(chinese) -> None:
    exc = EditError(TOO_SHORT, number=3)
    assert user_message(exc) == "Subtitle 3 is too short to split."


def test_an_untranslated_template_shows_the_english_message(chinese) -> None:
    exc = EditError(
        "Subtitle {number} has an impossible time ({start}, {end}).", number=2, start=1, end=0
    )
    assert user_message(exc) == exc.message


def test_damaged_saved_parameters_fall_back_to_the_message(chinese) -> None:
    broken = {"code": "media_error", "message": "English.", "template": NO_AUDIO, "params": ["x"]}
    assert user_message(broken) == "English."
    missing = {"code": "media_error", "message": "English.", "template": NO_AUDIO, "params": {}}
    assert user_message(missing) == "English."  # never "{name}" on screen


def test_no_failure_gives_the_default(qapp) -> None:
    assert user_message(None, "The job failed.") == "The job failed."
    assert user_message({"code": "x"}, "The job failed.") == "The job failed."


def test_without_a_translator_the_english_message_is_shown(qapp) -> None:
    exc = MediaError(NO_AUDIO, name="clip.mp4")
    assert user_message(exc) == exc.message
    assert user_message(exc.to_dict()) == exc.message


def test_a_core_message_is_shown_in_chinese_with_its_values(chinese) -> None:
    detail = Message(STOPPED, present="30.0 MB", total="75.5 MB")
    assert user_message(detail) == "下载已中断：已下载 30.0 MB，共 75.5 MB；再次下载会从断点继续"
    assert user_message("plain text from elsewhere") == "plain text from elsewhere"


def test_a_reason_inside_a_message_is_translated_too(chinese) -> None:
    one = SettingsError(INVALID, problems=Message.joined([Message(BEAM)]))
    assert user_message(one) == "设置无效：束宽必须是 1 到 20 之间的整数"
    two = SettingsError(INVALID, problems=Message.joined([Message(BEAM), Message("new rule")]))
    assert user_message(two) == "设置无效：束宽必须是 1 到 20 之间的整数; new rule"
    # Saved to JSON the reason is a plain string: the sentence around it is still Chinese.
    assert user_message(json.loads(json.dumps(one.to_dict()))) == "设置无效：" + BEAM
