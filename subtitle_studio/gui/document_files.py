"""File → Open subtitles…, Save and Save As… for editing documents (``core/subtitle_doc``).

An opened subtitle file is a job like any other in the list; its edits reach
``edits.json`` within a second of each change (the autosave). Save writes the
subtitle file itself, in the format and encoding it was opened with; the first
Save over the original file asks once. The dialogs are methods the tests replace.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from subtitle_studio.core.media_types import SUBTITLE_EXTENSIONS
from subtitle_studio.core.subtitle_doc import (
    find_document,
    needs_overwrite_confirmation,
    open_subtitle_file,
    save_document,
)
from subtitle_studio.errors import StudioError

if TYPE_CHECKING:
    from subtitle_studio.core.jobstore import JobRecord
    from subtitle_studio.gui.main_window import MainWindow

log = logging.getLogger(__name__)

AUTOSAVE_NOTE = (
    "Your changes are kept automatically as you type (they survive a crash); "
    "File → Save writes the subtitle file."
)
#: Problems listed in the banner when a file opens; the rest are counted.
SHOWN_PROBLEMS = 5


def describe_opened(record: JobRecord) -> str:
    """The banner shown when a subtitle file opens: encoding and malformed blocks."""
    document = record.document or {}
    encoding = document.get("encoding", "?") + (" with BOM" if document.get("bom") else "")
    name = Path(document.get("path", "")).name
    text = f"{name}: {document.get('format', '').upper()}, {encoding}."
    if document.get("media"):
        text += f" Media: {Path(document['media']).name}."
    problems = document.get("problems") or []
    if problems:
        lines = [f"line {line}: {message}" for line, message in problems[:SHOWN_PROBLEMS]]
        more = len(problems) - SHOWN_PROBLEMS
        text += f"\n{len(problems)} block(s) could not be read and were left out:\n"
        text += "\n".join(lines) + (f"\n… and {more} more" if more > 0 else "")
    return text


class DocumentFiles(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.act_open = QAction("Open s&ubtitles…", window)
        self.act_open.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.act_open.setToolTip("Open an SRT, WebVTT or ASS file to edit it")
        self.act_open.triggered.connect(self.open_dialog)
        self.act_save = QAction("&Save subtitles", window)
        self.act_save.setShortcut(QKeySequence.StandardKey.Save)
        self.act_save.setToolTip(AUTOSAVE_NOTE)
        self.act_save.triggered.connect(self.save)
        self.act_save_as = QAction("Save subtitles &as…", window)
        self.act_save_as.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.act_save_as.setToolTip("Save to another file, as SRT, WebVTT or ASS")
        self.act_save_as.triggered.connect(self.save_as)

    # -- questions (replaced in tests) ----------------------------------------------------
    def ask_open_paths(self) -> list[Path]:
        patterns = " ".join(f"*{ext}" for ext in sorted(SUBTITLE_EXTENSIONS))
        files, _ = QFileDialog.getOpenFileNames(
            self.window, "Open subtitles", "", f"Subtitles ({patterns});;All files (*)"
        )
        return [Path(f) for f in files]

    def ask_continue(self, name: str) -> bool:
        """True: continue the earlier document; False: start again from the file."""
        box = QMessageBox(QMessageBox.Icon.Question, "Open subtitles", "", parent=self.window)
        box.setText(f"You have edited {name} here before.")
        go_on = box.addButton("Continue where you left off", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Start again from the file", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is go_on

    def confirm_overwrite(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self.window,
            "Save subtitles",
            f"Replace the original file {path.name} with your edited subtitles?\n"
            "(Asked once for this file.)",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        return answer == QMessageBox.StandardButton.Save

    def ask_save_path(self, default: Path) -> Path | None:
        name, chosen = QFileDialog.getSaveFileName(
            self.window,
            "Save subtitles as",
            str(default),
            "SubRip (*.srt);;WebVTT (*.vtt);;Advanced SubStation Alpha (*.ass)",
        )
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() not in SUBTITLE_EXTENSIONS:
            path = path.with_suffix("." + chosen.rsplit("*.", 1)[-1].rstrip(")"))
        return path

    # -- opening ----------------------------------------------------------------------------
    @Slot()
    def open_dialog(self) -> None:
        paths = self.ask_open_paths()
        if paths:
            self.open_paths(paths)

    def open_paths(self, paths: list[Path]) -> list[str]:
        """Open subtitle files as editing documents; their job ids. The first is shown,
        with its encoding and any unreadable blocks in the banner."""
        window = self.window
        store = window.store
        opened: list[JobRecord] = []
        for path in paths:
            path = path.expanduser().absolute()
            start_again = False
            if find_document(store, path) is not None:
                start_again = not self.ask_continue(path.name)
            try:
                opened.append(open_subtitle_file(store, path, start_again=start_again))
            except StudioError as exc:
                window.prompts.show_error("Could not open the subtitles", exc.message)
        if opened:
            window.session.jobs_changed.emit()
            window.select_job(opened[0].id)
            window.show_banner(describe_opened(opened[0]))
            window.statusBar().showMessage(AUTOSAVE_NOTE, 10000)
        return [record.id for record in opened]

    # -- saving -----------------------------------------------------------------------------
    def _current(self) -> tuple[JobRecord, list] | None:
        window = self.window
        opened = window.session.documents.get(window.current_job or "")
        if opened is None:
            return None
        try:
            record = window.store.get(opened.job_id)
        except StudioError as exc:
            window.show_banner(exc.message)
            return None
        return record, list(opened.document.rows)

    @Slot()
    def save(self) -> Path | None:
        current = self._current()
        if current is None:
            return None
        record, rows = current
        if record.document is None:  # a transcription: its file is written by Export
            self.window.export_current()
            return None
        path = Path(record.document["path"])
        if needs_overwrite_confirmation(record) and not self.confirm_overwrite(path):
            return None
        return self._write(record, rows, None)

    @Slot()
    def save_as(self) -> Path | None:
        current = self._current()
        if current is None:
            return None
        record, rows = current
        default = Path(record.document["path"] if record.document else record.source)
        target = self.ask_save_path(default.with_suffix(default.suffix or ".srt"))
        if target is None:
            return None
        if record.document is None:
            self.window.show_banner("Use Export for a transcription job's subtitles.")
            return None
        return self._write(record, rows, target)

    def _write(self, record: JobRecord, rows: list, target: Path | None) -> Path | None:
        try:
            written = save_document(
                self.window.store, record, rows, path=target, overwrite_confirmed=True
            )
        except StudioError as exc:
            self.window.prompts.show_error("The subtitles were not saved", exc.message)
            return None
        self.window.statusBar().showMessage(f"Saved {len(rows)} subtitles to {written}", 10000)
        return written
