"""The settings form, the defaults dialog and the resume dialog (SPEC §4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox, QDialog

from subtitle_studio.core.jobstore import JobRecord, JobStore
from subtitle_studio.core.resume_rules import LANGUAGE_REASON, LOCKED_REASONS, check_resume
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.errors import SettingsError
from subtitle_studio.gui.settings_dialog import (
    CHOOSE_FOLDER,
    LOCK,
    DefaultSettingsDialog,
    ResumeDialog,
    SettingsForm,
)

CUSTOM = JobSettings(
    model="small",
    language="eu",  # not in the short list: must survive anyway
    task="translate",
    device="cpu",
    compute_type="int8",
    beam_size=3,
    vad=False,
    chunk_max_s=45.5,
    chunk_min_silence_ms=700,  # no editor: kept as given
    word_timestamps=False,
    align_model="/models/wav2vec2-fr",
    output_format="vtt",
    threads=4,
)


def combo(form: SettingsForm, name: str) -> QComboBox:
    editor = form.editors[name]
    assert isinstance(editor, QComboBox)
    return editor


def type_text(form: SettingsForm, name: str, text: str) -> None:
    combo(form, name).setEditText(text)


def test_form_round_trips_settings(qtbot) -> None:
    form = SettingsForm(models=["tiny.en"])
    qtbot.addWidget(form)
    assert form.settings() == JobSettings()
    form.set_settings(CUSTOM)
    assert form.settings() == CUSTOM
    form.set_settings(JobSettings())
    assert form.settings() == JobSettings()
    # A value finer than the editor shows (set from the command line) is kept exactly.
    fine = CUSTOM.replace(chunk_max_s=30.25)
    form.set_settings(fine)
    assert form.settings() == fine
    form.editors["chunk_max_s"].setValue(40.0)
    assert form.settings().chunk_max_s == 40.0


def test_form_lists_installed_models_and_asks_for_a_folder(qtbot) -> None:
    asked: list[str] = []
    answer: list[str | None] = ["/data/my-model"]

    def choose(title: str) -> str | None:
        asked.append(title)
        return answer[0]

    form = SettingsForm(choose_folder=choose)
    qtbot.addWidget(form)
    model = combo(form, "model")
    items = [model.itemText(i) for i in range(model.count())]
    assert items[0] == "auto" and items[-1] == CHOOSE_FOLDER
    assert "tiny.en" in items  # the bundled model is always installed

    with qtbot.waitSignal(form.changed):
        model.activated.emit(model.count() - 1)
    assert asked and form.settings().model == "/data/my-model"

    answer[0] = None  # the user cancels the folder dialog: the value stays
    model.setCurrentIndex(model.count() - 1)
    model.activated.emit(model.count() - 1)
    assert form.settings().model == "/data/my-model"


def test_form_rejects_an_impossible_value(qtbot) -> None:
    form = SettingsForm(models=[])
    qtbot.addWidget(form)
    type_text(form, "model", "   ")
    with pytest.raises(SettingsError, match="model must be a model name or folder"):
        form.settings()


def test_locked_setting_is_disabled_and_says_why(qtbot) -> None:
    form = SettingsForm(models=[])
    qtbot.addWidget(form)
    form.show()
    reason = "the chunk boundaries are already saved"
    form.set_locked("chunk_max_s", reason)

    assert not form.editors["chunk_max_s"].isEnabled()
    assert form.editors["chunk_max_s"].toolTip() == reason
    assert form.editors["beam_size"].isEnabled()
    assert form.locked_notes.isVisible()
    assert reason in form.locked_notes.text() and LOCK in form.locked_notes.text()
    assert form.locked() == {"chunk_max_s": reason}


def test_default_dialog_disables_ok_while_invalid(qtbot) -> None:
    dialog = DefaultSettingsDialog(JobSettings(), models=["tiny.en"])
    qtbot.addWidget(dialog)
    assert dialog.ok_button().isEnabled()

    type_text(dialog.form, "model", "")
    assert not dialog.ok_button().isEnabled()
    assert "model must be a model name or folder" in dialog.errors.text()
    assert not dialog.errors.isHidden()

    type_text(dialog.form, "model", "tiny.en")
    combo(dialog.form, "output_format").setCurrentIndex(1)
    assert dialog.ok_button().isEnabled() and dialog.errors.isHidden()
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.result_settings() == JobSettings(model="tiny.en", output_format="vtt")


# -- resume ---------------------------------------------------------------------


@pytest.fixture
def record(tmp_path: Path) -> JobRecord:
    return JobStore().create(tmp_path / "talk.mp4", JobSettings(model="tiny.en", beam_size=5))


def resume_dialog(qtbot, record: JobRecord, *, chunks_done: int = 3, **kw) -> ResumeDialog:
    kw.setdefault("detected_language", "en")
    dialog = ResumeDialog(
        record, chunks_done=chunks_done, aligned=kw.pop("aligned", False), models=["tiny.en"], **kw
    )
    qtbot.addWidget(dialog)
    return dialog


def test_resume_locks_settings_with_visible_reasons(qtbot, record: JobRecord) -> None:
    dialog = resume_dialog(qtbot, record)
    dialog.show()
    notes = dialog.form.locked_notes
    assert notes.isVisible()
    for name in ("word_timestamps", "task", "vad", "chunk_max_s"):
        assert not dialog.form.editors[name].isEnabled(), name
        assert LOCKED_REASONS[name] in notes.text()
    assert not dialog.form.editors["language"].isEnabled()
    assert LANGUAGE_REASON in notes.text()
    assert combo(dialog.form, "language").currentData() == "en"
    for name in ("model", "device", "compute_type", "threads", "output_format"):
        assert dialog.form.editors[name].isEnabled(), name
    assert dialog.ok_button().isEnabled()
    assert dialog.warnings.isHidden() and dialog.redo_box.isHidden()


def test_resume_language_is_free_until_detected(qtbot, record: JobRecord) -> None:
    dialog = resume_dialog(qtbot, record, chunks_done=0, detected_language=None)
    assert dialog.form.editors["language"].isEnabled()
    assert LANGUAGE_REASON not in dialog.form.locked_notes.text()
    language = combo(dialog.form, "language")
    language.setCurrentIndex(language.findData("fr"))
    assert dialog.result_settings().language == "fr"


def test_resume_model_change_warns_and_offers_redo(qtbot, record: JobRecord) -> None:
    dialog = resume_dialog(qtbot, record, chunks_done=3)
    type_text(dialog.form, "model", "base.en")

    expected = check_resume(
        record.settings, {"model": "base.en"}, detected_language="en", chunks_done=3
    ).warnings
    assert expected and expected[0] in dialog.warnings.text()
    assert not dialog.warnings.isHidden()
    assert not dialog.redo_box.isHidden()
    assert dialog.ok_button().isEnabled()

    dialog.redo_box.setChecked(True)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.redo_finished()
    assert dialog.result_settings().model == "base.en"

    # Back to the original model: no warning, no redo offer.
    type_text(dialog.form, "model", "tiny.en")
    assert dialog.warnings.isHidden() and dialog.redo_box.isHidden()
    assert not dialog.redo_finished()


def test_resume_model_change_with_no_chunks_done_offers_no_redo(qtbot, record: JobRecord) -> None:
    dialog = resume_dialog(qtbot, record, chunks_done=0)
    type_text(dialog.form, "model", "base.en")
    assert dialog.redo_box.isHidden()
    assert dialog.warnings.isHidden()
    assert dialog.result_settings().model == "base.en"


def test_resume_impossible_value_disables_ok(qtbot, record: JobRecord) -> None:
    dialog = resume_dialog(qtbot, record)
    type_text(dialog.form, "model", "  ")

    assert not dialog.ok_button().isEnabled()
    assert "model must be a model name or folder" in dialog.errors.text()
    assert not dialog.errors.isHidden()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    with pytest.raises(SettingsError):
        dialog.result_settings()

    type_text(dialog.form, "model", "tiny.en")
    assert dialog.ok_button().isEnabled() and dialog.errors.isHidden()


def test_resume_result_forces_locked_values(qtbot, record: JobRecord) -> None:
    dialog = resume_dialog(qtbot, record, aligned=True)
    combo(dialog.form, "align_model").setEditText("none")
    expected = check_resume(record.settings, {"align_model": "none"}, aligned=True).warnings
    assert expected and expected[0] in dialog.warnings.text()
    # Even if a locked editor's value changes (it is disabled, so only code can do it),
    # the result keeps the record's value and says so.
    dialog.form.editors["word_timestamps"].setChecked(False)
    combo(dialog.form, "device").setCurrentIndex(combo(dialog.form, "device").findData("cpu"))
    dialog.form.editors["threads"].setValue(2)

    assert LOCKED_REASONS["word_timestamps"] in dialog.warnings.text()
    result = dialog.result_settings()
    assert result.word_timestamps is True
    assert result.language == "en"  # the detected language replaces "auto"
    assert result.device == "cpu" and result.threads == 2
    assert result.model == record.settings.model
    assert result.chunk_max_s == record.settings.chunk_max_s
