"""Which settings may change on resume (SPEC §4): locked, warned, free — one pure function."""

from __future__ import annotations

import copy
import json
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from subtitle_studio.core.resume_rules import (
    LANGUAGE_REASON,
    LOCKED_REASONS,
    ResumeCheck,
    check_resume,
)
from subtitle_studio.core.settings import JobSettings

ORIGINAL = JobSettings(
    model="small",
    language="auto",
    task="transcribe",
    device="cuda",
    compute_type="float16",
    beam_size=5,
    vad=True,
    chunk_max_s=30.0,
    chunk_min_silence_ms=300,
    word_timestamps=True,
    align_model="auto",
    output_format="srt",
    threads=4,
)

LOCKED_CHANGES: dict[str, Any] = {
    "word_timestamps": False,
    "task": "translate",
    "vad": False,
    "chunk_max_s": 45.0,
    "chunk_min_silence_ms": 500,
}
FREE_CHANGES: dict[str, Any] = {
    "device": "cpu",
    "compute_type": "int8",
    "threads": 8,
    "output_format": "vtt",
}


def forced_names(check: ResumeCheck) -> list[str]:
    return [f.setting for f in check.forced]


@pytest.mark.parametrize(("name", "new"), sorted(LOCKED_CHANGES.items()))
def test_locked_setting_is_forced_back_with_its_reason(name: str, new: Any) -> None:
    check = check_resume(ORIGINAL, {name: new}, chunks_done=3)

    assert check.valid and check.errors == []
    assert check.settings is not None
    assert getattr(check.settings, name) == getattr(ORIGINAL, name)
    assert len(check.forced) == 1
    forced = check.forced[0]
    assert (forced.setting, forced.requested, forced.kept) == (name, new, getattr(ORIGINAL, name))
    assert forced.reason == LOCKED_REASONS[name] and forced.reason


def test_locked_settings_are_forced_even_before_any_chunk_is_done() -> None:
    """The chunk plan is saved at the split, before the first chunk is transcribed."""
    check = check_resume(ORIGINAL, LOCKED_CHANGES, chunks_done=0)

    assert sorted(forced_names(check)) == sorted(LOCKED_CHANGES)
    assert check.settings == ORIGINAL


def test_all_locked_changes_at_once_are_each_reported() -> None:
    check = check_resume(ORIGINAL, {**LOCKED_CHANGES, **FREE_CHANGES}, chunks_done=2)

    assert sorted(forced_names(check)) == sorted(LOCKED_CHANGES)
    assert check.settings == ORIGINAL.replace(**FREE_CHANGES)
    assert check.warnings == []


def test_requesting_the_original_value_is_not_a_change() -> None:
    same = {name: getattr(ORIGINAL, name) for name in (*LOCKED_CHANGES, "model", "device")}

    check = check_resume(ORIGINAL, same, detected_language="en", chunks_done=4, aligned=True)

    assert check.valid and check.forced == [] and check.warnings == []


# -- language ---------------------------------------------------------------------


def test_detected_language_is_locked() -> None:
    check = check_resume(ORIGINAL, {"language": "de"}, detected_language="en", chunks_done=1)

    assert check.valid
    assert check.settings is not None and check.settings.language == "en"
    assert len(check.forced) == 1
    forced = check.forced[0]
    assert (forced.setting, forced.requested, forced.kept) == ("language", "de", "en")
    assert forced.reason == LANGUAGE_REASON


def test_detected_language_replaces_auto_without_a_message() -> None:
    check = check_resume(ORIGINAL, {}, detected_language="en", chunks_done=1)

    assert check.settings is not None and check.settings.language == "en"
    assert check.forced == [] and check.warnings == []


def test_asking_for_the_detected_language_is_fine() -> None:
    check = check_resume(ORIGINAL, {"language": "en"}, detected_language="en", chunks_done=1)

    assert check.forced == []
    assert check.settings is not None and check.settings.language == "en"


def test_asking_for_auto_again_keeps_the_detected_language() -> None:
    original = ORIGINAL.replace(language="fr")
    check = check_resume(original, {"language": "auto"}, detected_language="fr", chunks_done=1)

    assert check.settings is not None and check.settings.language == "fr"
    assert forced_names(check) == ["language"]


def test_language_is_free_until_it_is_detected() -> None:
    check = check_resume(ORIGINAL, {"language": "de"}, detected_language=None, chunks_done=0)

    assert check.forced == []
    assert check.settings is not None and check.settings.language == "de"


# -- the model: allowed with a warning -------------------------------------------


def test_model_change_after_chunks_is_allowed_with_a_warning() -> None:
    check = check_resume(ORIGINAL, {"model": "large-v3"}, chunks_done=12)

    assert check.valid and check.forced == []
    assert check.settings is not None and check.settings.model == "large-v3"
    assert len(check.warnings) == 1
    warning = check.warnings[0]
    assert "large-v3" in warning and "small" in warning and "12" in warning
    assert "redo" in warning and "edits are kept" in warning


def test_model_change_before_any_chunk_is_silent() -> None:
    check = check_resume(ORIGINAL, {"model": "large-v3"}, chunks_done=0)

    assert check.settings is not None and check.settings.model == "large-v3"
    assert check.warnings == [] and check.forced == []


def test_beam_size_change_after_chunks_warns() -> None:
    check = check_resume(ORIGINAL, {"beam_size": 1}, chunks_done=2)

    assert check.settings is not None and check.settings.beam_size == 1
    assert len(check.warnings) == 1 and "1" in check.warnings[0] and "5" in check.warnings[0]


def test_alignment_model_change_warns_only_once_aligned() -> None:
    before = check_resume(ORIGINAL, {"align_model": "none"}, chunks_done=9, aligned=False)
    after = check_resume(ORIGINAL, {"align_model": "none"}, chunks_done=9, aligned=True)

    assert before.warnings == [] and after.settings is not None
    assert after.settings.align_model == "none"
    assert len(after.warnings) == 1 and "alignment" in after.warnings[0]


# -- free settings ------------------------------------------------------------------


@pytest.mark.parametrize(("name", "new"), sorted(FREE_CHANGES.items()))
def test_free_setting_changes_silently(name: str, new: Any) -> None:
    check = check_resume(ORIGINAL, {name: new}, detected_language="en", chunks_done=5, aligned=True)

    assert check.valid
    assert check.forced == [] and check.warnings == [] and check.errors == []
    assert check.settings is not None and getattr(check.settings, name) == new


# -- invalid input ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("device", "tpu"),
        ("compute_type", "int3"),
        ("threads", -1),
        ("output_format", "docx"),
        ("beam_size", 0),
        ("model", "   "),
        ("align_model", ""),
    ],
)
def test_invalid_value_is_an_error(name: str, bad: Any) -> None:
    check = check_resume(ORIGINAL, {name: bad}, chunks_done=1)

    assert not check.valid
    assert check.settings is None
    assert len(check.errors) == 1 and check.errors[0]


def test_unknown_setting_names_are_errors() -> None:
    check = check_resume(ORIGINAL, {"modle": "large-v3", "gpu": True, "device": "cpu"})

    assert not check.valid and check.settings is None
    assert check.errors == ["unknown setting 'gpu'", "unknown setting 'modle'"]


def test_errors_and_forced_are_reported_together() -> None:
    check = check_resume(ORIGINAL, {"task": "translate", "device": "tpu"})

    assert not check.valid
    assert forced_names(check) == ["task"]
    assert check.errors and "device" in check.errors[0]


# -- the answer as data ---------------------------------------------------------------


def test_to_dict_is_json_for_every_kind_of_answer() -> None:
    answers = [
        check_resume(
            ORIGINAL,
            {**LOCKED_CHANGES, "model": "tiny", "language": "de", "device": "cpu"},
            detected_language="en",
            chunks_done=3,
            aligned=True,
        ),
        check_resume(ORIGINAL, {"nope": 1, "device": "tpu"}),
    ]
    for check in answers:
        data = json.loads(json.dumps(check.to_dict()))
        assert set(data) == {"valid", "settings", "forced", "warnings", "errors"}
        assert data["valid"] == check.valid

    good = json.loads(json.dumps(answers[0].to_dict()))
    assert good["settings"]["language"] == "en"
    assert {f["setting"] for f in good["forced"]} == {*LOCKED_CHANGES, "language"}
    assert all(set(f) == {"setting", "requested", "kept", "reason"} for f in good["forced"])
    assert json.loads(json.dumps(answers[1].to_dict()))["settings"] is None


def test_inputs_are_not_mutated_and_answers_repeat() -> None:
    requested = {**LOCKED_CHANGES, "model": "tiny", "language": "de", "device": "cpu"}
    before = copy.deepcopy(requested)
    original_dict = ORIGINAL.to_dict()

    first = check_resume(ORIGINAL, requested, detected_language="en", chunks_done=3)
    second = check_resume(ORIGINAL, requested, detected_language="en", chunks_done=3)

    assert requested == before
    assert ORIGINAL.to_dict() == original_dict
    assert first == second
    assert first.to_dict() == second.to_dict()


def test_read_only_mapping_is_accepted() -> None:
    check = check_resume(ORIGINAL, MappingProxyType({"device": "cpu"}))
    assert check.valid and check.settings is not None and check.settings.device == "cpu"


# -- properties over any request ------------------------------------------------------

VALUES: dict[str, st.SearchStrategy[Any]] = {
    "model": st.sampled_from(["tiny", "small", "large-v3", "/models/my-model"]),
    "language": st.sampled_from(["auto", "en", "de", "fr"]),
    "task": st.sampled_from(["transcribe", "translate"]),
    "device": st.sampled_from(["auto", "cpu", "cuda"]),
    "compute_type": st.sampled_from(["auto", "int8", "float16", "float32"]),
    "beam_size": st.integers(1, 20),
    "vad": st.booleans(),
    "chunk_max_s": st.sampled_from([10.0, 30.0, 60.0]),
    "chunk_min_silence_ms": st.sampled_from([100, 300, 1000]),
    "word_timestamps": st.booleans(),
    "align_model": st.sampled_from(["auto", "none", "wav2vec2-base"]),
    "output_format": st.sampled_from(["srt", "vtt", "json"]),
    "threads": st.integers(0, 16),
}
FREE = ("device", "compute_type", "threads", "output_format", "model", "beam_size", "align_model")


@given(
    requested=st.fixed_dictionaries({}, optional=VALUES),
    detected=st.sampled_from([None, "en", "de"]),
    chunks_done=st.integers(0, 50),
    aligned=st.booleans(),
)
def test_any_valid_request_keeps_the_saved_work_consistent(
    requested: dict[str, Any], detected: str | None, chunks_done: int, aligned: bool
) -> None:
    check = check_resume(
        ORIGINAL, requested, detected_language=detected, chunks_done=chunks_done, aligned=aligned
    )

    assert check.valid and check.errors == []
    settings = check.settings
    assert settings is not None
    for name in LOCKED_REASONS:
        assert getattr(settings, name) == getattr(ORIGINAL, name)
    for name in FREE:
        assert getattr(settings, name) == requested.get(name, getattr(ORIGINAL, name))
    if detected:
        assert settings.language == detected
    # Everything forced is reported, and only what differed from the request.
    for forced in check.forced:
        assert requested[forced.setting] == forced.requested != forced.kept
        assert getattr(settings, forced.setting) == forced.kept
    for name, value in requested.items():
        if name == "language" and value == "auto":
            continue  # "auto" means "whatever was detected": resolving it is not forcing
        if getattr(settings, name) != value:
            assert name in forced_names(check), f"{name} changed without telling the user"
    if not chunks_done:
        assert check.warnings == [] or (aligned and "align_model" in requested)
