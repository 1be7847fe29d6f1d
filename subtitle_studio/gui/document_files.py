"""File → Open subtitles…, Save and Save As… for editing documents (``core/subtitle_doc``).

An opened subtitle file is a job like any other in the list; its edits reach
``edits.json`` within a second of each change (the autosave). Save writes the
subtitle file itself, in the format and encoding it was opened with; the first
Save over the original file asks once. The dialogs are methods the tests replace.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from subtitle_studio.core.media_types import SUBTITLE_EXTENSIONS
from subtitle_studio.core.subtitle_doc import (
    find_document,
    needs_overwrite_confirmation,
    open_subtitle_file,
    save_document,
)
from subtitle_studio.errors import StudioError
from subtitle_studio.gui.error_text import user_message

if TYPE_CHECKING:
    from subtitle_studio.core.jobstore import JobRecord
    from subtitle_studio.gui.main_window import MainWindow

log = logging.getLogger(__name__)

#: English source; shown through ``autosave_note()``.
AUTOSAVE_NOTE = QT_TRANSLATE_NOOP(
    "DocumentFiles",
    "Your changes are kept automatically as you type (they survive a crash); "
    "File → Save writes the subtitle file.",
)
#: Problems listed in the banner when a file opens; the rest are counted.
SHOWN_PROBLEMS = 5
#: The encodings "Save subtitles with encoding…" offers: (label, Python codec name).
SAVE_ENCODINGS = [
    (QT_TRANSLATE_NOOP("DocumentFiles", "UTF-8"), "utf-8"),
    (QT_TRANSLATE_NOOP("DocumentFiles", "UTF-8 with BOM"), "utf-8-sig"),
    (QT_TRANSLATE_NOOP("DocumentFiles", "UTF-16 (Unicode, with BOM)"), "utf-16"),
    (QT_TRANSLATE_NOOP("DocumentFiles", "GBK (Simplified Chinese)"), "gbk"),
    (QT_TRANSLATE_NOOP("DocumentFiles", "Big5 (Traditional Chinese)"), "big5"),
    (QT_TRANSLATE_NOOP("DocumentFiles", "Windows-1252 (Western European)"), "cp1252"),
]


def autosave_note() -> str:
    """The note on the autosave, in the window's language."""
    return QCoreApplication.translate("DocumentFiles", str(AUTOSAVE_NOTE))


def describe_opened(record: JobRecord) -> str:
    """The banner shown when a subtitle file opens: encoding and malformed blocks.

    Format and encoding names (SRT, UTF-8, BOM) are shown as they are in any language.
    """

    document = record.document or {}
    name = Path(document.get("path", "")).name
    file_format = document.get("format", "").upper()
    encoding = document.get("encoding", "?")
    if document.get("bom"):
        text = QCoreApplication.translate(
            "DocumentFiles", "{name}: {format}, {encoding} with BOM."
        ).format(name=name, format=file_format, encoding=encoding)
    else:
        text = QCoreApplication.translate("DocumentFiles", "{name}: {format}, {encoding}.").format(
            name=name, format=file_format, encoding=encoding
        )
    if document.get("media"):
        text += QCoreApplication.translate("DocumentFiles", " Media: {name}.").format(
            name=Path(document["media"]).name
        )
    problems = document.get("problems") or []
    if problems:
        lines = [
            QCoreApplication.translate("DocumentFiles", "line {line}: {message}").format(
                line=saved[0], message=_problem_text(saved)
            )
            for saved in problems[:SHOWN_PROBLEMS]
        ]
        more = len(problems) - SHOWN_PROBLEMS
        text += "\n" + QCoreApplication.translate(
            "DocumentFiles", "{count} block(s) could not be read and were left out:"
        ).format(count=len(problems))
        text += "\n" + "\n".join(lines)
        if more > 0:
            text += "\n" + QCoreApplication.translate("DocumentFiles", "… and {count} more").format(
                count=more
            )
    return text


def _problem_text(saved: list[Any]) -> str:
    """A saved ``FileProblem`` (``[line, message, template, params]``; documents opened by
    an earlier version lack the last two) in the window's language."""
    template, params = (saved[2], saved[3]) if len(saved) >= 4 else (None, None)
    return user_message({"message": saved[1], "template": template, "params": params})


class DocumentFiles(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.act_open = QAction(self.tr("Open s&ubtitles…"), window)
        self.act_open.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.act_open.setToolTip(self.tr("Open an SRT, WebVTT or ASS file to edit it"))
        self.act_open.triggered.connect(self.open_dialog)
        self.act_save = QAction(self.tr("&Save subtitles"), window)
        self.act_save.setShortcut(QKeySequence.StandardKey.Save)
        self.act_save.setToolTip(autosave_note())
        self.act_save.triggered.connect(self.save)
        self.act_save_as = QAction(self.tr("Save subtitles &as…"), window)
        self.act_save_as.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.act_save_as.setToolTip(self.tr("Save to another file, as SRT, WebVTT or ASS"))
        self.act_save_as.triggered.connect(self.save_as)
        self.act_save_encoding = QAction(self.tr("Save subtitles with &encoding…"), window)
        self.act_save_encoding.setToolTip(
            self.tr("Save to a file in the text encoding you choose (UTF-8, UTF-16, GBK, …)")
        )
        self.act_save_encoding.triggered.connect(self.save_with_encoding)

    # -- questions (replaced in tests) ----------------------------------------------------
    def ask_open_paths(self) -> list[Path]:
        patterns = " ".join(f"*{ext}" for ext in sorted(SUBTITLE_EXTENSIONS))
        files, _ = QFileDialog.getOpenFileNames(
            self.window,
            self.tr("Open subtitles"),
            "",
            self.tr("Subtitles ({patterns});;All files (*)").format(patterns=patterns),
        )
        return [Path(f) for f in files]

    def ask_continue(self, name: str) -> bool:
        """True: continue the earlier document; False: start again from the file."""
        box = QMessageBox(
            QMessageBox.Icon.Question, self.tr("Open subtitles"), "", parent=self.window
        )
        box.setText(self.tr("You have edited {name} here before.").format(name=name))
        box.setInformativeText(
            self.tr("Starting again reads the file anew and discards the edits made here.")
        )
        go_on = box.addButton(
            self.tr("Continue where you left off"), QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton(self.tr("Start again from the file"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is go_on

    def confirm_overwrite(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self.window,
            self.tr("Save subtitles"),
            self.tr(
                "Replace the original file {name} with your edited subtitles?\n"
                "(Asked once for this file.)"
            ).format(name=path.name),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        return answer == QMessageBox.StandardButton.Save

    def ask_save_path(self, default: Path) -> Path | None:
        name, chosen = QFileDialog.getSaveFileName(
            self.window,
            self.tr("Save subtitles as"),
            str(default),
            "SubRip (*.srt);;WebVTT (*.vtt);;Advanced SubStation Alpha (*.ass)",  # format names
        )
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() not in SUBTITLE_EXTENSIONS:
            path = path.with_suffix("." + chosen.rsplit("*.", 1)[-1].rstrip(")"))
        return path

    def ask_encoding(self, current: str) -> str | None:
        """The encoding to save in (a Python codec name), or ``None`` to cancel."""
        choices = [
            (QCoreApplication.translate("DocumentFiles", str(label)), codec)
            for label, codec in SAVE_ENCODINGS
        ]
        if current not in {codec for _, codec in choices}:
            choices.insert(0, (self.tr("{encoding} (as opened)").format(encoding=current), current))
        labels = [label for label, _ in choices]
        default = next((n for n, (_, codec) in enumerate(choices) if codec == current), 0)
        label, ok = QInputDialog.getItem(
            self.window,
            self.tr("Save subtitles with encoding"),
            self.tr("Text encoding:"),
            labels,
            default,
            False,
        )
        return dict(choices).get(label) if ok else None

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
            earlier = find_document(store, path)
            if earlier is not None:
                start_again = not self.ask_continue(path.name)
                if start_again:  # the core replaces it: the window lets go of it first
                    window.session.forget_document(earlier.id)
            try:
                opened.append(open_subtitle_file(store, path, start_again=start_again))
            except StudioError as exc:
                window.prompts.show_error(
                    self.tr("Could not open the subtitles"), user_message(exc)
                )
        if opened:
            window.session.jobs_changed.emit()
            window.select_job(opened[0].id)
            window.show_banner(describe_opened(opened[0]))
            window.statusBar().showMessage(autosave_note(), 10000)
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
            window.show_banner(user_message(exc))
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
        return self._save_elsewhere(ask_encoding=False)

    @Slot()
    def save_with_encoding(self) -> Path | None:
        """Save As, in a text encoding the user picks (Save then keeps that encoding)."""
        return self._save_elsewhere(ask_encoding=True)

    def _save_elsewhere(self, *, ask_encoding: bool) -> Path | None:
        """Save to a file the user picks (the file dialog asks before replacing one), in
        an encoding the user picks too when ``ask_encoding``."""
        current = self._current()
        if current is None:
            return None
        record, rows = current
        if record.document is None:
            self.window.show_banner(self.tr("Use Export for a transcription job's subtitles."))
            return None
        encoding = None
        if ask_encoding:
            encoding = self.ask_encoding(str(record.document.get("encoding", "utf-8")))
            if encoding is None:
                return None
        default = Path(record.document["path"])
        target = self.ask_save_path(default.with_suffix(default.suffix or ".srt"))
        if target is None:
            return None
        return self._write(record, rows, target, encoding)

    def _write(
        self, record: JobRecord, rows: list, target: Path | None, encoding: str | None = None
    ) -> Path | None:
        try:
            written = save_document(
                self.window.store,
                record,
                rows,
                path=target,
                encoding=encoding,
                overwrite_confirmed=True,
            )
        except StudioError as exc:
            self.window.prompts.show_error(
                self.tr("The subtitles were not saved"), user_message(exc)
            )
            return None
        self.window.statusBar().showMessage(
            self.tr("Saved {count} subtitles to {path}").format(count=len(rows), path=written),
            10000,
        )
        return written
