"""Every question the window asks the user, in one object the tests can replace.

Keeping dialogs behind these methods keeps the window's logic testable without
clicking modal boxes, and keeps the wording in one place.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from subtitle_studio.core.media_types import MEDIA_EXTENSIONS


class Prompts:
    def __init__(self, parent: QWidget) -> None:
        self._parent = parent

    def resume_box(self, name: str) -> QMessageBox:
        """The question ``ask_resume`` asks (built apart so tests can read it unasked)."""
        return QMessageBox(
            QMessageBox.Icon.Question,
            QCoreApplication.translate("Prompts", "Unfinished job"),
            QCoreApplication.translate(
                "Prompts",
                "{name} already has an unfinished job.\n\n"
                "Resume it where it stopped? Choose No to start a new job from the beginning.",
            ).format(name=name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self._parent,
        )

    def ask_resume(self, name: str) -> bool:
        """A dropped file already has an unfinished job: continue it (True) or start over."""
        box = self.resume_box(name)
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.exec()
        return box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes

    def delete_box(self, name: str) -> QMessageBox:
        """The question ``confirm_delete`` asks; its "Delete" button is ``delete_button``.

        Qt has no standard Delete button, so it is one of ours (a destructive role).
        """
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("Prompts", "Delete job"),
            QCoreApplication.translate(
                "Prompts",
                "Delete the job for {name}, with its transcript and your corrections?\n"
                "Exported subtitle files are kept.",
            ).format(name=name),
            QMessageBox.StandardButton.Cancel,
            self._parent,
        )
        delete = box.addButton(
            QCoreApplication.translate("Prompts", "Delete"), QMessageBox.ButtonRole.DestructiveRole
        )
        delete.setObjectName("delete_button")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box

    def confirm_delete(self, name: str) -> bool:
        box = self.delete_box(name)
        box.exec()
        clicked = box.clickedButton()
        return clicked is not None and clicked.objectName() == "delete_button"

    def inform(self, title: str, message: str) -> None:
        QMessageBox.information(self._parent, title, message)

    def error_box(self, title: str, message: str, details: str = "") -> QMessageBox:
        """The box ``show_error`` shows; "Show Details…" reveals ``details``."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=self._parent)
        if details:
            box.setDetailedText(details)
        return box

    def show_error(self, title: str, message: str, details: str = "") -> None:
        self.error_box(title, message, details).exec()

    def ask_media_files(self) -> list[Path]:
        patterns = " ".join(f"*{ext}" for ext in sorted(MEDIA_EXTENSIONS))
        filters = QCoreApplication.translate(
            "Prompts", "Media files ({patterns});;All files (*)"
        ).format(patterns=patterns)
        files, _ = QFileDialog.getOpenFileNames(
            self._parent, QCoreApplication.translate("Prompts", "Open video or audio"), "", filters
        )
        return [Path(f) for f in files]

    def ask_export_path(self, default: Path) -> Path | None:
        """Where to export; the dialog itself asks before replacing an existing file."""
        name, _ = QFileDialog.getSaveFileName(
            self._parent,
            QCoreApplication.translate("Prompts", "Export subtitles"),
            str(default),
            QCoreApplication.translate("Prompts", "SubRip (*.srt);;WebVTT (*.vtt)"),
        )
        return Path(name) if name else None
