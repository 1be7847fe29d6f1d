"""Preferences: the window's language and its light or dark appearance.

The choices are kept by ``core.app_settings`` (in the config folder). The theme shows
as soon as it is picked — Cancel puts the previous one back — because the palette can
change under open windows. The language applies at the next start: every window would
have to rebuild its texts to change it live, so the dialog says so instead.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from subtitle_studio.core.app_settings import (
    THEMES,
    UI_LANGUAGES,
    load_theme,
    load_ui_language,
    save_theme,
    save_ui_language,
)
from subtitle_studio.errors import StudioError
from subtitle_studio.gui.error_text import user_message
from subtitle_studio.gui.theme import apply_theme

log = logging.getLogger(__name__)

#: Each language named in itself, so a user who cannot read the current one finds theirs.
LANGUAGE_NAMES = {"en": "English", "zh_CN": "简体中文"}


class PreferencesDialog(QDialog):
    """Language and appearance; ``result_language``/``result_theme`` once accepted."""

    def __init__(
        self, parent: QWidget | None = None, *, language: str = "system", theme: str = "system"
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        self._initial_theme = theme

        self.language = QComboBox()
        self.language.addItem(self.tr("System"), "system")
        for code in UI_LANGUAGES[1:]:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setToolTip(self.tr("The language of the menus, dialogs and messages."))
        self.theme = QComboBox()
        theme_labels = {
            "system": self.tr("System"),
            "light": self.tr("Light"),
            "dark": self.tr("Dark"),
        }
        for scheme in THEMES:
            self.theme.addItem(theme_labels[scheme], scheme)
        self.theme.setToolTip(
            self.tr(
                "System follows the light or dark setting of your desktop, also when it changes."
            )
        )
        _select(self.language, language)
        _select(self.theme, theme)

        self.restart_note = QLabel(
            self.tr("A new language takes effect the next time Subtitle Studio starts.")
        )
        self.restart_note.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("&Language"), self.language)
        form.addRow(self.tr("&Appearance"), self.theme)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.restart_note)
        layout.addWidget(self.buttons)

        self.theme.currentIndexChanged.connect(self._preview_theme)

    def result_language(self) -> str:
        return str(self.language.currentData())

    def result_theme(self) -> str:
        return str(self.theme.currentData())

    @Slot()
    def _preview_theme(self) -> None:
        _apply(self.result_theme())

    def reject(self) -> None:
        if self.result_theme() != self._initial_theme:
            _apply(self._initial_theme)
        super().reject()


def _select(combo: QComboBox, value: str) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))


def _apply(scheme: str) -> None:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_theme(app, scheme)


def open_preferences(parent: QWidget, home: Path | None = None) -> PreferencesDialog:
    """Show the dialog (without blocking); save the choices when the user presses OK."""
    dialog = PreferencesDialog(parent, language=load_ui_language(home), theme=load_theme(home))

    def save() -> None:
        try:
            save_ui_language(dialog.result_language(), home)
            save_theme(dialog.result_theme(), home)
        except StudioError as exc:
            log.warning("could not save the preferences: %s", exc)
            QMessageBox.warning(
                parent,
                QCoreApplication.translate("PreferencesDialog", "Preferences were not saved"),
                user_message(exc),
            )

    dialog.accepted.connect(save)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def preferences_action(parent: QWidget, home: Path | None = None) -> QAction:
    """The "Preferences…" menu action (the application menu's Preferences on macOS)."""
    action = QAction(QCoreApplication.translate("PreferencesDialog", "&Preferences…"), parent)
    action.setObjectName("preferences")
    action.setMenuRole(QAction.MenuRole.PreferencesRole)
    action.setToolTip(QCoreApplication.translate("PreferencesDialog", "Language and appearance"))
    action.triggered.connect(lambda: open_preferences(parent, home))
    return action
