"""Settings editors: the defaults for new jobs, and the settings of a job being resumed.

The rules live in the core: ``JobSettings`` says which values are impossible and
``check_resume`` says which settings a resumed job may change (SPEC §4). These
widgets only collect values and show the core's answer, with its reasons, so the
window tells a user exactly what the command line and the HTTP endpoint would.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from html import escape
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from subtitle_studio.core.app_settings import NetworkPreference
from subtitle_studio.core.jobstore import JobRecord
from subtitle_studio.core.resume_rules import LANGUAGE_REASON, LOCKED_REASONS, check_resume
from subtitle_studio.core.settings import (
    COMPUTE_TYPES,
    DEVICES,
    OUTPUT_FORMATS,
    TASKS,
    JobSettings,
)
from subtitle_studio.engines.models import available_whisper_models
from subtitle_studio.errors import Message, SettingsError
from subtitle_studio.gui.error_text import user_message
from subtitle_studio.gui.network_settings import NetworkSection
from subtitle_studio.gui.rule_text import rule_text
from subtitle_studio.gui.theme import message_colour

log = logging.getLogger(__name__)

#: The texts below are English; widgets show them through ``_t`` (the "SettingsForm"
#: context), and tests compare them in English.
CHOOSE_FOLDER = QT_TRANSLATE_NOOP("SettingsForm", "Choose folder…")
#: What "auto" means in the model list: the pipeline's own rule (resolve_whisper_model).
AUTO_MODEL_HINT = QT_TRANSLATE_NOOP("SettingsForm", "auto picks the best ready model")
AUTO_MODEL_TIP = QT_TRANSLATE_NOOP(
    "SettingsForm",
    "auto: the best model that is ready on this computer, preferring an English-only "
    "model for English. Tools → Models… downloads more.",
)
LOCK = "🔒"
WARNING = "⚠"

#: Asks the user for a folder (the argument is the dialog title); ``None`` when canceled.
FolderChooser = Callable[[str], str | None]

LABELS: dict[str, str] = {
    "model": QT_TRANSLATE_NOOP("SettingsForm", "Model"),
    "language": QT_TRANSLATE_NOOP("SettingsForm", "Language"),
    "task": QT_TRANSLATE_NOOP("SettingsForm", "Task"),
    "device": QT_TRANSLATE_NOOP("SettingsForm", "Device"),
    "compute_type": QT_TRANSLATE_NOOP("SettingsForm", "Compute type"),
    "beam_size": QT_TRANSLATE_NOOP("SettingsForm", "Beam size"),
    "vad": QT_TRANSLATE_NOOP("SettingsForm", "Skip silence (VAD)"),
    "chunk_max_s": QT_TRANSLATE_NOOP("SettingsForm", "Chunk length"),
    "chunk_min_silence_ms": QT_TRANSLATE_NOOP("SettingsForm", "Minimum pause between chunks"),
    "word_timestamps": QT_TRANSLATE_NOOP("SettingsForm", "Word timestamps"),
    "align_model": QT_TRANSLATE_NOOP("SettingsForm", "Alignment model"),
    "output_format": QT_TRANSLATE_NOOP("SettingsForm", "Output format"),
    "threads": QT_TRANSLATE_NOOP("SettingsForm", "Threads"),
}

#: Common languages; a code saved by another client is added to the list when shown.
LANGUAGES: dict[str, str] = {
    "auto": QT_TRANSLATE_NOOP("SettingsForm", "Detect automatically"),
    "en": QT_TRANSLATE_NOOP("SettingsForm", "English"),
    "es": QT_TRANSLATE_NOOP("SettingsForm", "Spanish"),
    "fr": QT_TRANSLATE_NOOP("SettingsForm", "French"),
    "de": QT_TRANSLATE_NOOP("SettingsForm", "German"),
    "it": QT_TRANSLATE_NOOP("SettingsForm", "Italian"),
    "pt": QT_TRANSLATE_NOOP("SettingsForm", "Portuguese"),
    "nl": QT_TRANSLATE_NOOP("SettingsForm", "Dutch"),
    "ru": QT_TRANSLATE_NOOP("SettingsForm", "Russian"),
    "uk": QT_TRANSLATE_NOOP("SettingsForm", "Ukrainian"),
    "pl": QT_TRANSLATE_NOOP("SettingsForm", "Polish"),
    "tr": QT_TRANSLATE_NOOP("SettingsForm", "Turkish"),
    "ar": QT_TRANSLATE_NOOP("SettingsForm", "Arabic"),
    "hi": QT_TRANSLATE_NOOP("SettingsForm", "Hindi"),
    "ja": QT_TRANSLATE_NOOP("SettingsForm", "Japanese"),
    "ko": QT_TRANSLATE_NOOP("SettingsForm", "Korean"),
    "zh": QT_TRANSLATE_NOOP("SettingsForm", "Chinese"),
}
_TASK_LABELS = {
    "transcribe": QT_TRANSLATE_NOOP("SettingsForm", "Transcribe"),
    "translate": QT_TRANSLATE_NOOP("SettingsForm", "Translate to English"),
}
_DEVICE_LABELS = {
    "auto": QT_TRANSLATE_NOOP("SettingsForm", "Automatic"),
    "cpu": QT_TRANSLATE_NOOP("SettingsForm", "CPU"),
    "cuda": QT_TRANSLATE_NOOP("SettingsForm", "NVIDIA GPU (CUDA)"),
}
_FORMAT_LABELS = {
    "srt": QT_TRANSLATE_NOOP("SettingsForm", "SubRip (.srt)"),
    "vtt": QT_TRANSLATE_NOOP("SettingsForm", "WebVTT (.vtt)"),
    "json": QT_TRANSLATE_NOOP("SettingsForm", "JSON (.json)"),
}


def _t(text: str) -> str:
    """One of the English texts above in the window's language."""
    return QCoreApplication.translate("SettingsForm", text)


def _installed_models() -> list[str]:
    """Names of the models on this computer; a broken install must not stop the dialog."""
    try:
        return [m.name for m in available_whisper_models()]
    except Exception:  # noqa: BLE001 - any failure here only shortens a list
        log.warning("could not list the installed models", exc_info=True)
        return []


def _choose_folder_dialog(parent: QWidget, title: str) -> str | None:
    return QFileDialog.getExistingDirectory(parent, title) or None


class SettingsForm(QWidget):
    """Editors for the job settings a user sets; emits ``changed`` on every edit."""

    changed = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        models: Sequence[str] | None = None,
        choose_folder: FolderChooser | None = None,
    ) -> None:
        super().__init__(parent)
        self._choose_folder = choose_folder or (lambda title: _choose_folder_dialog(self, title))
        self._base = JobSettings()
        self._locked: dict[str, str] = {}
        self._previous_text: dict[str, str] = {}
        self._rounded: dict[str, tuple[float, float]] = {}  # shown value -> value set
        self._loading = False
        model_names = list(_installed_models() if models is None else models)

        self.editors: dict[str, QWidget] = {
            "model": self._folder_combo("model", ["auto", *model_names]),
            "language": self._data_combo(
                (code, _t(name) if code == "auto" else f"{_t(name)} ({code})")
                for code, name in LANGUAGES.items()
            ),
            "task": self._data_combo(
                (t, _t(_TASK_LABELS[t]) if t in _TASK_LABELS else t) for t in TASKS
            ),
            "device": self._data_combo(
                (d, _t(_DEVICE_LABELS[d]) if d in _DEVICE_LABELS else d) for d in DEVICES
            ),
            "compute_type": self._data_combo((c, c) for c in COMPUTE_TYPES),
            "beam_size": self._spin(1, 20),
            "vad": self._checkbox(),
            "chunk_max_s": self._seconds(),
            "word_timestamps": self._checkbox(),
            "align_model": self._folder_combo("align_model", ["auto", "none"]),
            "output_format": self._data_combo(
                (f, _t(_FORMAT_LABELS[f]) if f in _FORMAT_LABELS else f) for f in OUTPUT_FORMATS
            ),
            "threads": self._spin(0, 256, special=_t(_DEVICE_LABELS["auto"])),
        }
        self._labels: dict[str, QLabel] = {}
        form = QFormLayout()
        for name, editor in self.editors.items():
            label = QLabel(_t(LABELS[name]))
            label.setBuddy(editor)
            self._labels[name] = label
            form.addRow(label, editor)
            if name == "model":
                form.addRow("", self._auto_model_hint(editor))
        #: Why some settings cannot change, in words a user reads without hovering.
        self.locked_notes = QLabel()
        self.locked_notes.setWordWrap(True)
        self.locked_notes.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.locked_notes)
        self.set_settings(self._base)

    # -- editor factories --------------------------------------------------------
    @staticmethod
    def _auto_model_hint(combo: QWidget) -> QLabel:
        """Say under the model list what "auto" picks; the item keeps the value's own text."""
        if isinstance(combo, QComboBox) and combo.itemText(0) == "auto":
            combo.setItemData(0, _t(AUTO_MODEL_TIP), Qt.ItemDataRole.ToolTipRole)
        hint = QLabel(_t(AUTO_MODEL_HINT))
        hint.setToolTip(_t(AUTO_MODEL_TIP))
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # quieter than the values
        return hint

    def _data_combo(self, rows: Iterable[tuple[str, str]]) -> QComboBox:
        """A fixed list: the user reads a label, the settings get the value."""
        combo = QComboBox()
        for value, label in rows:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(self._emit_changed)
        return combo

    def _folder_combo(self, name: str, values: list[str]) -> QComboBox:
        """An editable list of names with a last entry that asks for a folder."""
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItems(values)
        combo.addItem(_t(CHOOSE_FOLDER))
        combo.editTextChanged.connect(lambda text: self._folder_text_changed(name, text))
        combo.activated.connect(lambda index: self._folder_activated(name, combo, index))
        return combo

    def _spin(self, low: int, high: int, *, special: str = "") -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        if special:
            spin.setSpecialValueText(special)
        spin.valueChanged.connect(self._emit_changed)
        return spin

    def _seconds(self) -> QDoubleSpinBox:
        # The range is JobSettings' own (5-120 s), so the spin box cannot hold a bad value.
        spin = QDoubleSpinBox()
        spin.setRange(5.0, 120.0)
        spin.setDecimals(1)
        spin.setSingleStep(5.0)
        spin.setSuffix(self.tr(" s"))
        spin.valueChanged.connect(self._emit_changed)
        return spin

    def _checkbox(self) -> QCheckBox:
        box = QCheckBox()
        box.toggled.connect(self._emit_changed)
        return box

    # -- folder choice -----------------------------------------------------------
    def _folder_text_changed(self, name: str, text: str) -> None:
        # Picking "Choose folder…" puts that text in the box for a moment; it is not a value.
        if text != _t(CHOOSE_FOLDER):
            self._previous_text[name] = text
            self._emit_changed()

    def _folder_activated(self, name: str, combo: QComboBox, index: int) -> None:
        if combo.itemText(index) != _t(CHOOSE_FOLDER):
            return
        folder = self._choose_folder(self.tr("{setting} folder").format(setting=_t(LABELS[name])))
        self._set_combo_text(combo, folder or self._previous_text.get(name, "auto"))

    @staticmethod
    def _set_combo_text(combo: QComboBox, text: str) -> None:
        index = combo.findText(text)
        if index < 0:
            index = combo.count() - 1  # before "Choose folder…"
            combo.insertItem(index, text)
        combo.setCurrentIndex(index)
        combo.setEditText(text)

    def _emit_changed(self, *_args: Any) -> None:
        if not self._loading:
            self.changed.emit()

    # -- values ------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """The editors' raw values, unchecked (``check_resume`` wants them as typed)."""
        out: dict[str, Any] = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QComboBox):
                out[name] = (
                    editor.currentText().strip() if editor.isEditable() else editor.currentData()
                )
            elif isinstance(editor, QCheckBox):
                out[name] = editor.isChecked()
            elif isinstance(editor, QDoubleSpinBox):
                # The box shows one decimal; an untouched 30.25 must not read as a change.
                shown, exact = self._rounded.get(name, (None, None))
                out[name] = exact if editor.value() == shown else editor.value()
            elif isinstance(editor, QSpinBox):
                out[name] = editor.value()
        return out

    def settings(self) -> JobSettings:
        """The edited settings; ``SettingsError`` with the reason for impossible values."""
        return JobSettings.from_dict({**self._base.to_dict(), **self.values()})

    def set_settings(self, settings: JobSettings) -> None:
        """Show ``settings``; fields without an editor are kept as they are."""
        self._base = settings
        self._loading = True
        try:
            for name, editor in self.editors.items():
                value = getattr(settings, name)
                if isinstance(editor, QComboBox) and editor.isEditable():
                    self._set_combo_text(editor, str(value))
                    self._previous_text[name] = str(value)
                elif isinstance(editor, QComboBox):
                    index = editor.findData(value)
                    if index < 0:  # a code saved by another client: show it, don't drop it
                        editor.addItem(str(value), value)
                        index = editor.count() - 1
                    editor.setCurrentIndex(index)
                elif isinstance(editor, QCheckBox):
                    editor.setChecked(bool(value))
                elif isinstance(editor, QDoubleSpinBox):
                    editor.setValue(value)
                    self._rounded[name] = (editor.value(), value)
                elif isinstance(editor, QSpinBox):
                    editor.setValue(value)
        finally:
            self._loading = False
        self.changed.emit()

    # -- locks -------------------------------------------------------------------
    def set_locked(self, name: str, reason: str) -> None:
        """Disable ``name``'s editor and say why, on hover and in plain sight."""
        self._locked[name] = reason
        editor = self.editors.get(name)
        if editor is not None:
            editor.setEnabled(False)
            editor.setToolTip(rule_text(reason))
            self._labels[name].setText(f"{LOCK} {_t(LABELS[name])}")
            self._labels[name].setToolTip(rule_text(reason))
        lines = [
            f"{LOCK} "
            + self.tr("{setting}: {reason}.").format(
                setting=_t(LABELS[n]) if n in LABELS else n, reason=rule_text(why)
            )
            for n, why in self._locked.items()
        ]
        self.locked_notes.setText("\n".join(lines))
        self.locked_notes.show()

    def locked(self) -> dict[str, str]:
        return dict(self._locked)


def _message_label(color: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {color};")
    label.hide()
    return label


def _show_lines(label: QLabel, marker: str, lines: Sequence[str]) -> None:
    label.setText("\n".join(f"{marker} {line}" for line in lines))
    label.setVisible(bool(lines))


class _SettingsDialog(QDialog):
    """A settings form above a red error line and OK/Cancel; OK is off while invalid."""

    def __init__(
        self,
        parent: QWidget | None,
        models: Sequence[str] | None,
        choose_folder: FolderChooser | None,
    ) -> None:
        super().__init__(parent)
        self.form = SettingsForm(self, models=models, choose_folder=choose_folder)
        self.errors = _message_label(message_colour("error"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _lay_out(self, *widgets: QWidget) -> None:
        layout = QVBoxLayout(self)
        for widget in widgets:
            layout.addWidget(widget)
        layout.addWidget(self.buttons)

    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _show_errors(self, errors: Sequence[str]) -> None:
        """``errors``: already translated, or ``Message``s from the core (translated here)."""
        _show_lines(self.errors, "✖", [user_message(error) for error in errors])
        self.ok_button().setEnabled(not errors)


class DefaultSettingsDialog(_SettingsDialog):
    """Edits the settings new jobs start with, and (given ``network``) how models download."""

    def __init__(
        self,
        settings: JobSettings,
        parent: QWidget | None = None,
        *,
        models: Sequence[str] | None = None,
        choose_folder: FolderChooser | None = None,
        network: NetworkPreference | None = None,
    ) -> None:
        super().__init__(parent, models, choose_folder)
        self.setWindowTitle(self.tr("Default settings for new jobs"))
        self._result = settings
        self.network: NetworkSection | None = None
        self._network_result = network
        if network is not None:
            self.network = NetworkSection(self)
            self.network.set_preference(network)
            self.network.changed.connect(self._validate)
            self._lay_out(self.form, self.network, self.errors)
        else:
            self._lay_out(self.form, self.errors)
        self.form.changed.connect(self._validate)
        self.form.set_settings(settings)

    def _validate(self) -> JobSettings | None:
        errors: list[str] = []
        settings = None
        try:
            settings = self.form.settings()
        except SettingsError as exc:
            errors.append(user_message(exc))
        if self.network is not None:
            errors.extend(self.network.problems())
        self._show_errors(errors)
        return None if errors else settings

    def accept(self) -> None:
        settings = self._validate()
        if settings is None:
            return
        self._result = settings
        if self.network is not None:
            self._network_result = self.network.preference()
        super().accept()

    def result_settings(self) -> JobSettings:
        return self._result

    def result_network(self) -> NetworkPreference:
        """The accepted network preference (the one given when there is no section)."""
        if self._network_result is None:
            raise SettingsError("This dialog was opened without the model download settings.")
        return self._network_result


class ResumeDialog(_SettingsDialog):
    """Asks how to resume a job, showing what ``check_resume`` forces, warns and refuses."""

    def __init__(
        self,
        record: JobRecord,
        *,
        detected_language: str | None,
        chunks_done: int,
        aligned: bool,
        parent: QWidget | None = None,
        models: Sequence[str] | None = None,
        choose_folder: FolderChooser | None = None,
    ) -> None:
        super().__init__(parent, models, choose_folder)
        self.setWindowTitle(self.tr("Resume {name}").format(name=record.name))
        self._record = record
        self._detected = detected_language
        self._chunks_done = chunks_done
        self._aligned = aligned

        if detected_language and aligned:
            done = self.tr(
                "{count} chunk(s) already transcribed; language detected: {language}; "
                "alignment finished."
            )
        elif detected_language:
            done = self.tr("{count} chunk(s) already transcribed; language detected: {language}.")
        elif aligned:
            done = self.tr("{count} chunk(s) already transcribed; alignment finished.")
        else:
            done = self.tr("{count} chunk(s) already transcribed.")
        done = done.format(count=chunks_done, language=escape(detected_language or ""))
        summary = QLabel(f"<b>{escape(record.name)}</b><br>{done}")
        summary.setWordWrap(True)
        summary.setToolTip(record.source)

        shown = record.settings
        if detected_language:
            shown = shown.replace(language=detected_language)
        self.form.set_settings(shown)
        for name, reason in LOCKED_REASONS.items():
            self.form.set_locked(name, reason)
        if detected_language:
            self.form.set_locked("language", LANGUAGE_REASON)

        self.warnings = _message_label(message_colour("warning"))
        self.redo_box = QCheckBox(self.tr("Also redo the finished chunks with the new model"))
        self.redo_box.setToolTip(self.tr("Your own edits to those chunks are kept."))
        self.redo_box.hide()
        self.ok_button().setText(self.tr("Resume"))
        self._lay_out(summary, self.form, self.warnings, self.errors, self.redo_box)
        self.form.changed.connect(self._recheck)
        self._recheck()

    def changes(self) -> dict[str, Any]:
        """The settings the user asks to change, as ``check_resume`` wants them."""
        original = self._record.settings.to_dict()
        return {k: v for k, v in self.form.values().items() if v != original[k]}

    def _recheck(self) -> None:
        changes = self.changes()
        self._check = check_resume(
            self._record.settings,
            changes,
            detected_language=self._detected,
            chunks_done=self._chunks_done,
            aligned=self._aligned,
        )
        forced = [
            self.tr("{setting} stays {value}: {reason}").format(
                setting=_t(LABELS[f.setting]) if f.setting in LABELS else f.setting,
                value=repr(f.kept),
                reason=rule_text(f.reason),
            )
            for f in self._check.forced
        ]
        warnings = [rule_text(w) for w in self._check.warnings]
        _show_lines(self.warnings, WARNING, [*forced, *warnings])
        self._show_errors(self._check.errors)
        self.redo_box.setVisible("model" in changes and self._chunks_done > 0)
        log.debug("resume check for %s: %s", self._record.id, self._check.to_dict())

    def accept(self) -> None:
        self._recheck()
        if not self._check.valid:
            return
        super().accept()

    def result_settings(self) -> JobSettings:
        """The settings the resumed job runs with: locked ones forced to the record's."""
        if self._check.settings is None:
            raise SettingsError(
                "Invalid settings: {problems}", problems=Message.joined(self._check.errors)
            )
        return self._check.settings

    def redo_finished(self) -> bool:
        return not self.redo_box.isHidden() and self.redo_box.isChecked()
