"""Errors carry an English template and its parameters, so the window can translate them,
while the CLI, the log and the HTTP endpoint keep the English message; a failed job
keeps both in job.json and in its ``error`` event."""

from __future__ import annotations

import copy
import errno
import json
import pickle
from pathlib import Path

import pytest

from subtitle_studio.core.atomic import json_problem, read_json
from subtitle_studio.core.bus import EventBus, job_channel
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.pipeline import Pipeline
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.errors import (
    CheckpointError,
    EditError,
    MediaError,
    Message,
    SettingsError,
    StorageError,
    StudioError,
)

NO_AUDIO = "{name} has no audio track, so there is nothing to transcribe."


def test_a_template_with_parameters_keeps_both_and_formats_the_english_message() -> None:
    exc = MediaError(NO_AUDIO, name=Path("holiday.mp4").name)
    assert exc.template == NO_AUDIO
    assert exc.params == {"name": "holiday.mp4"}
    assert exc.message == "holiday.mp4 has no audio track, so there is nothing to transcribe."
    assert str(exc) == exc.message and exc.args == (exc.message,)


def test_parameters_are_kept_as_the_strings_the_message_shows() -> None:
    where = Path("/tmp/jobs/abc/job.json")
    exc = EditError(
        "Subtitle {number} at {where}: {error}", number=7, where=where, error=OSError(5)
    )
    assert exc.params == {"number": "7", "where": str(where), "error": str(OSError(5))}
    assert all(isinstance(v, str) for v in exc.params.values())
    assert exc.message == f"Subtitle 7 at {where}: {OSError(5)}"


def test_a_plain_message_is_used_as_given_braces_included() -> None:
    exc = EditError("Use {braces} literally")  # no parameters: not a template to fill in
    assert exc.message == "Use {braces} literally" == exc.template
    assert exc.params == {}


def test_a_parameter_value_with_braces_is_not_formatted_again() -> None:
    exc = MediaError(NO_AUDIO, name="{weird}.mp4")
    assert exc.message.startswith("{weird}.mp4 has no audio")


def test_to_dict_is_what_a_failed_job_keeps() -> None:
    exc = MediaError(NO_AUDIO, name="a.mp4")
    assert exc.to_dict() == {
        "code": "media_error",
        "message": exc.message,
        "template": NO_AUDIO,
        "params": {"name": "a.mp4"},
    }
    # json round trip: a job record must stay plain JSON
    assert json.loads(json.dumps(exc.to_dict())) == exc.to_dict()


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (
            errno.ENOSPC,
            "The disk is full: could not write /x. Free some space, then resume the job.",
        ),
        (errno.EACCES, "Permission denied: could not write /x."),
        (errno.EIO, "Could not write /x: Input/output error."),
    ],
)
def test_storage_messages_are_templates_with_the_same_english(number: int, expected: str) -> None:
    exc = StorageError.from_oserror(OSError(number, "Input/output error"), "/x")
    assert exc.message == expected
    assert exc.params["where"] == "/x" and "{where}" in exc.template


def test_a_failure_with_its_template_survives_job_json(tmp_path: Path) -> None:
    store = JobStore(tmp_path / "jobs")
    record = store.create(tmp_path / "clip.mp4", JobSettings())
    record.status = JobStatus.FAILED
    record.error = MediaError(NO_AUDIO, name="clip.mp4").to_dict()
    store.save(record)
    again = store.get(record.id)
    assert again.error == record.error
    assert again.error is not None and again.error["params"] == {"name": "clip.mp4"}


def test_a_record_saved_before_templates_still_loads_with_its_message(tmp_path: Path) -> None:
    store = JobStore(tmp_path / "jobs")
    record = store.create(tmp_path / "clip.mp4", JobSettings())
    job_file = store.folder(record.id) / "job.json"
    data = json.loads(job_file.read_text("utf-8"))
    data["status"] = "failed"
    data["error"] = {"code": "media_error", "message": "clip.mp4 is empty."}
    job_file.write_text(json.dumps(data), "utf-8")
    assert store.get(record.id).error == {"code": "media_error", "message": "clip.mp4 is empty."}


class _FailingEngines:
    """Engines whose audio extraction fails the way a test chooses."""

    def __init__(self, failure: Exception) -> None:
        self.failure = failure

    def resolve_model(self, model: str, language: str) -> str:
        return model

    def extract(self, *args: object, **kwargs: object) -> None:
        raise self.failure


def _run_failing(tmp_path: Path, failure: Exception):
    store = JobStore(tmp_path / "jobs")
    record = store.create(tmp_path / "clip.mp4", JobSettings())
    with EventBus(heartbeat_s=3600) as bus:
        sub = bus.subscribe(job_channel(record.id), max_queue=1000)
        result = Pipeline(store, record.id, engines=_FailingEngines(failure), bus=bus).run()  # type: ignore[arg-type]
        events = sub.drain()
        sub.close()
    return store, result, events


def test_a_failed_job_keeps_template_and_params_in_job_json_and_its_events(
    tmp_path: Path,
) -> None:
    store, result, events = _run_failing(tmp_path, MediaError(NO_AUDIO, name="clip.mp4"))
    assert result.status == JobStatus.FAILED
    saved = store.get(result.id).error
    assert saved == {
        "code": "media_error",
        "message": "clip.mp4 has no audio track, so there is nothing to transcribe.",
        "template": NO_AUDIO,
        "params": {"name": "clip.mp4"},
    }
    [error] = [e.data for e in events if e.name == "error"]
    assert error == saved
    [failed] = [e.data for e in events if e.name == "signal" and e.data["code"] == "job_failed"]
    assert failed["message"] == saved["message"]
    assert failed["template"] == NO_AUDIO and failed["params"] == {"name": "clip.mp4"}


def test_an_unexpected_failure_is_translatable_too(tmp_path: Path) -> None:
    store, result, _ = _run_failing(tmp_path, RuntimeError("boom"))
    saved = store.get(result.id).error
    assert saved is not None
    assert saved["code"] == "internal_error"
    assert saved["message"] == "Unexpected error: boom. The log has the details."
    assert saved["template"] == "Unexpected error: {error}. The log has the details."
    assert saved["params"] == {"error": "boom"}


def test_every_error_class_accepts_templates() -> None:
    for cls in [StudioError, *StudioError.__subclasses__()]:
        exc = cls("{a} and {b}", a=1, b="two")
        assert exc.message == "1 and two" and exc.code


def _failed_record(tmp_path: Path):
    store = JobStore(tmp_path / "jobs")
    record = store.create(tmp_path / "clip.mp4", JobSettings())
    record.status = JobStatus.FAILED
    record.phase, record.percent = "transcribe", 42.0
    record.error = MediaError(NO_AUDIO, name="clip.mp4").to_dict()
    return store, record


def test_failure_details_are_translated_by_the_function_the_window_gives(tmp_path: Path) -> None:
    from subtitle_studio.core.failure import failure_details

    store, record = _failed_record(tmp_path)
    chinese = {
        "Job: {job_id}": "任务：{job_id}",
        "Stopped in phase: {phase} at {percent} %": "停止于阶段：{phase}，进度 {percent}%",
        "The log has no lines about this job.": "日志中没有关于此任务的记录。",
        "Error code: {code}": "错误代码：{kode}",  # a broken translation reads in English
    }
    text = failure_details(
        record, store.folder(record.id), tmp_path / "no.log", lambda t: chinese.get(t, t)
    )
    assert f"任务：{record.id}" in text.splitlines()
    assert "停止于阶段：transcribe，进度 42%" in text
    assert "日志中没有关于此任务的记录。" in text
    assert "Error code: media_error" in text
    assert f"File: {record.source}" in text  # untranslated labels stay English


def test_failure_details_in_english_are_as_before(tmp_path: Path) -> None:
    from subtitle_studio.core.failure import failure_details

    store, record = _failed_record(tmp_path)
    record.phase = None
    text = failure_details(record, store.folder(record.id), tmp_path / "no.log")
    assert text.splitlines()[:4] == [
        f"Job: {record.id}",
        f"File: {record.source}",
        "Error code: media_error",
        "Stopped in phase: not started at 42 %",
    ]


# ------------------------------------------------------------------ Message


def test_a_message_is_its_english_text_and_keeps_its_template() -> None:
    text = Message("downloaded, {size}", size="75.5 MB")
    assert text == "downloaded, 75.5 MB" and isinstance(text, str)
    assert (text.template, text.params) == ("downloaded, {size}", {"size": "75.5 MB"})
    assert json.dumps({"detail": text}) == '{"detail": "downloaded, 75.5 MB"}'
    assert Message("a {brace} kept as it is") == "a {brace} kept as it is"
    assert type(text + "!") is str  # anything built from it is plain English again


def test_a_message_survives_pickling_and_copying_with_its_template() -> None:
    text = Message("{name} ({present} of {size})", name="model.bin", present="1 B", size="2 B")
    for copied in (pickle.loads(pickle.dumps(text)), copy.deepcopy(text)):
        assert isinstance(copied, Message) and copied == text
        assert (copied.template, copied.params) == (text.template, text.params)


def test_joined_messages_keep_each_item_translatable() -> None:
    one = Message("model must be a model name or folder")
    joined = Message.joined([one, "plain text"])
    assert joined == "model must be a model name or folder; plain text"
    assert joined.params["item0"] is one and joined.params["item1"] == "plain text"
    assert Message.joined([]) == ""


def test_an_error_keeps_a_message_parameter_and_gives_its_own_text() -> None:
    reason = Message("beam size must be a whole number from 1 to 20")
    exc = SettingsError("Invalid settings: {problems}", problems=reason)
    assert exc.params["problems"] is reason
    assert exc.message == "Invalid settings: beam size must be a whole number from 1 to 20"
    text = exc.text
    assert isinstance(text, Message) and text == exc.message
    assert text.template == exc.template and text.params == exc.params
    assert MediaError("{n} files", n=3).params == {"n": "3"}  # other values become strings


def test_invalid_job_settings_name_each_problem_as_a_message() -> None:
    with pytest.raises(SettingsError) as caught:
        JobSettings(beam_size=0, task="sing")
    problems = caught.value.params["problems"]
    assert isinstance(problems, Message)
    assert [p.template for p in problems.params.values()] == [
        "task must be one of {choices}",
        "beam size must be a whole number from 1 to 20",
    ]
    assert caught.value.message == (
        "Invalid settings: task must be one of transcribe, translate; "
        "beam size must be a whole number from 1 to 20"
    )


def test_an_error_given_as_the_reason_for_another_stays_translatable() -> None:
    inner = SettingsError("Unknown setting(s): {unknown}", unknown="colour")
    outer = CheckpointError(
        "{where} holds invalid settings: {error}", where="job.json", error=inner
    )
    reason = outer.params["error"]
    assert isinstance(reason, Message) and reason.template == inner.template
    assert outer.message == "job.json holds invalid settings: Unknown setting(s): colour"


def test_a_damaged_json_file_is_described_in_translatable_words(tmp_path: Path) -> None:
    broken = tmp_path / "job.json"
    broken.write_text('{"version": 1, "id": ', encoding="utf-8")
    with pytest.raises(ValueError) as caught:
        read_json(broken)
    problem = json_problem(caught.value)
    assert problem == "not valid JSON at line 1, column 22"
    assert isinstance(problem, Message)
    broken.write_bytes(b'{"text": "\xff"}')
    with pytest.raises(ValueError) as caught:
        read_json(broken)
    assert json_problem(caught.value) == "not UTF-8 text at byte 10"
    assert json_problem(ValueError("the JSON is nested too deeply")) == (
        "the JSON is nested too deeply"
    )
