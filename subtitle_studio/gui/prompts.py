"""Every question the window asks the user, in one object the tests can replace.

Keeping dialogs behind these methods keeps the window's logic testable without
clicking modal boxes, and keeps the wording in one place.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from subtitle_studio.core.media_types import MEDIA_EXTENSIONS


class Prompts:
    def __init__(self, parent: QWidget) -> None:
        self._parent = parent

    def ask_resume(self, name: str) -> bool:
        """A dropped file already has an unfinished job: continue it (True) or start over."""
        answer = QMessageBox.question(
            self._parent,
            "Unfinished job",
            f"{name} already has an unfinished job.\n\n"
            "Resume it where it stopped? Choose No to start a new job from the beginning.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def confirm_delete(self, name: str) -> bool:
        answer = QMessageBox.warning(
            self._parent,
            "Delete job",
            f"Delete the job for {name}, with its transcript and your corrections?\n"
            "Exported subtitle files are kept.",
            QMessageBox.StandardButton.Delete | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Delete

    def inform(self, title: str, message: str) -> None:
        QMessageBox.information(self._parent, title, message)

    def show_error(self, title: str, message: str, details: str = "") -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=self._parent)
        if details:
            box.setDetailedText(details)
        box.exec()

    def ask_media_files(self) -> list[Path]:
        patterns = " ".join(f"*{ext}" for ext in sorted(MEDIA_EXTENSIONS))
        files, _ = QFileDialog.getOpenFileNames(
            self._parent, "Open video or audio", "", f"Media files ({patterns});;All files (*)"
        )
        return [Path(f) for f in files]

    def ask_export_path(self, default: Path) -> Path | None:
        """Where to export; the dialog itself asks before replacing an existing file."""
        name, _ = QFileDialog.getSaveFileName(
            self._parent,
            "Export subtitles",
            str(default),
            "SubRip (*.srt);;WebVTT (*.vtt)",
        )
        return Path(name) if name else None
