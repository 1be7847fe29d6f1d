"""The main window: the job list on the left, the live subtitle table on the right.

Widgets and actions only; what they do lives in ``StudioSession``. Dropping files
anywhere on the window queues them. Closing the window pauses the running job so
it resumes on the next start.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from subtitle_studio.core import paths
from subtitle_studio.core.app_settings import (
    load_defaults,
    load_endpoint,
    load_network,
    save_defaults,
    save_endpoint,
    save_network,
)
from subtitle_studio.core.checkpoint import load_checkpoint
from subtitle_studio.core.engine_api import Engines
from subtitle_studio.core.failure import failure_details
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.media_types import is_subtitle_name
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.errors import ModelError, StudioError
from subtitle_studio.gui.align_document import AlignDocument
from subtitle_studio.gui.document_files import DocumentFiles
from subtitle_studio.gui.edit_actions import EditActions
from subtitle_studio.gui.error_text import translated, user_message
from subtitle_studio.gui.job_list import (
    JobListModel,
    JobListView,
    available_actions,
    error_message,
)
from subtitle_studio.gui.job_text import phase_text, status_text
from subtitle_studio.gui.listen_panel import ListenPanel
from subtitle_studio.gui.models_dialog import ModelsService
from subtitle_studio.gui.preferences_dialog import preferences_action
from subtitle_studio.gui.prompts import Prompts
from subtitle_studio.gui.session import StudioSession
from subtitle_studio.gui.settings_dialog import DefaultSettingsDialog, ResumeDialog
from subtitle_studio.gui.subtitle_view import SubtitleTableView
from subtitle_studio.gui.toolbar import build_toolbar

log = logging.getLogger(__name__)

#: A refused edit stays visible this long above the table.
BANNER_MS = 6000


class MainWindow(QMainWindow):
    def __init__(self, store: JobStore, engines: Engines) -> None:
        super().__init__()
        self.setWindowTitle("Subtitle Studio")
        self.setAcceptDrops(True)
        self.resize(1200, 720)
        self.prompts = Prompts(self)
        self.session = StudioSession(store, engines, self.prompts, self)
        self.store = store
        self.current_job: str | None = None
        self.undo_group = QUndoGroup(self)
        self.models = ModelsService(self.session.bus, store.home, self)

        self.jobs = JobListModel(store, self)
        self.job_view = JobListView(self)
        self.job_view.setModel(self.jobs)
        self.table = SubtitleTableView(self)
        self.listen = ListenPanel(store, self.session.engines.extract, parent=self)
        self.listen.attach_table(self.table)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel { padding: 6px; border-radius: 4px;"
            " background: palette(highlight); color: palette(highlighted-text); }"
        )
        self.banner.hide()
        self._banner_timer = QTimer(self)
        self._banner_timer.setSingleShot(True)
        self._banner_timer.timeout.connect(self.banner.hide)
        self.title = QLabel(self.tr("Drop video or audio files here to transcribe them."), self)

        right = QWidget(self)
        layout = QVBoxLayout(right)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addWidget(self.table)
        layout.addWidget(self.listen)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.job_view)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([520, 680])
        self.setCentralWidget(splitter)

        self.endpoint_label = QLabel(self)
        self.endpoint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.endpoint_label.hide()
        self._make_actions()
        self.toolbar = build_toolbar(self)
        self._wire()
        self.jobs.refresh()
        self.statusBar().addPermanentWidget(self.endpoint_label)
        self.statusBar().showMessage(self.tr("Ready"))
        if self.jobs.broken:
            self._report_unreadable_jobs()
        if load_endpoint().enabled:
            self.act_endpoint.setChecked(True)
            self.toggle_endpoint()

    # -- actions ---------------------------------------------------------------------
    def _make_actions(self) -> None:
        def action(text: str, slot, shortcut: QKeySequence | str | None = None) -> QAction:
            act = QAction(text, self)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            return act

        self.act_open = action(
            self.tr("&Open video or audio…"), self.open_files, QKeySequence.StandardKey.Open
        )
        self.act_export = action(self.tr("&Export subtitles…"), self.export_current, "Ctrl+E")
        self.act_settings = action(self.tr("Default &settings…"), self.edit_defaults)
        self.act_quit = action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        self.act_undo = self.undo_group.createUndoAction(self, self.tr("&Undo"))
        self.act_undo.setShortcut(QKeySequence("Ctrl+Z"))
        self.act_redo = self.undo_group.createRedoAction(self, self.tr("&Redo"))
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.edit_actions = EditActions(self)
        self.document_files = DocumentFiles(self)
        self.act_delete_row = self.edit_actions.act_delete
        self.act_insert_row = self.edit_actions.act_insert_after
        self.act_start = action(self.tr("&Start / Resume"), self.start_selected, "Ctrl+R")
        self.act_pause = action(self.tr("&Pause"), self.pause_selected)
        self.act_cancel = action(self.tr("&Cancel"), self.cancel_selected)
        self.act_folder = action(self.tr("Open &folder"), self.open_folder)
        self.act_delete_job = action(self.tr("De&lete job…"), self.delete_selected)
        self.act_details = action(self.tr("Error &details…"), self.show_error_details)
        self.act_endpoint = action(self.tr("Local &HTTP endpoint"), self.toggle_endpoint)
        self.act_endpoint.setCheckable(True)
        self.act_endpoint.setToolTip(
            self.tr("Stream this window's jobs as Server-Sent Events on 127.0.0.1 (off by default)")
        )
        self.act_models = action(self.tr("&Models…"), self.models.show_dialog)
        self.act_models.setToolTip(self.tr("Download, repair, verify, import and delete models"))
        self.job_actions = {
            "start": self.act_start,
            "resume": self.act_start,
            "pause": self.act_pause,
            "cancel": self.act_cancel,
            "export": self.act_export,
            "open_folder": self.act_folder,
            "delete": self.act_delete_job,
        }

        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("&File"))
        files = self.document_files
        for act in (
            self.act_open,
            files.act_open,
            files.act_save,
            files.act_save_as,
            files.act_save_encoding,
        ):
            file_menu.addAction(act)
        file_menu.addSeparator()
        for act in (self.act_export, self.act_settings, self.act_endpoint):
            file_menu.addAction(act)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit_menu = menu.addMenu(self.tr("&Edit"))
        for act in (self.act_undo, self.act_redo):
            edit_menu.addAction(act)
        self.edit_actions.fill_menu(edit_menu)
        job_menu = menu.addMenu(self.tr("&Job"))
        for act in (
            self.act_start,
            self.act_pause,
            self.act_cancel,
            self.act_folder,
            self.act_details,
            self.act_delete_job,
        ):
            job_menu.addAction(act)
        self.listen.fill_menu(menu.addMenu(self.tr("&Audio")))
        self.align_document = AlignDocument(self)
        job_menu.addAction(self.align_document.act_align)
        tools_menu = menu.addMenu(self.tr("&Tools"))
        tools_menu.addAction(self.act_models)
        tools_menu.addAction(preferences_action(self, self.store.home))
        self.job_view.set_action_provider(self._context_actions)

    def _context_actions(self, job_id: str) -> list[QAction | None]:
        self._update_actions()
        return [
            self.act_start,
            self.act_pause,
            self.act_cancel,
            None,
            self.act_export,
            self.act_folder,
            self.act_details,
            None,
            self.act_delete_job,
        ]

    def _wire(self) -> None:
        s = self.session
        s.jobs_changed.connect(self._on_jobs_changed)
        s.job_progress.connect(self._on_progress)
        s.job_status.connect(self._on_status)
        s.alignment_ready.connect(self._on_alignment_ready)
        s.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        s.refused.connect(self.show_banner)
        self.listen.message.connect(self.show_banner)
        self.job_view.selectionModel().selectionChanged.connect(self._on_job_selected)
        self.table.editorClosed.connect(self._apply_pending_alignment)

    # -- drag and drop ---------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)

    def add_files(self, paths: list[Path]) -> list[str]:
        """Queue media for transcription; open subtitle files for editing instead."""
        subtitles = [p for p in paths if is_subtitle_name(p) and p.is_file()]
        others = [p for p in paths if p not in subtitles]
        opened = self.document_files.open_paths(subtitles) if subtitles else []
        queued = self.session.add_paths(others) if others or not opened else []
        if queued:
            self.select_job(queued[0])
        return opened + queued

    @Slot()
    def open_files(self) -> None:
        files = self.prompts.ask_media_files()
        if files:
            self.add_files(files)

    # -- jobs --------------------------------------------------------------------------
    def select_job(self, job_id: str) -> None:
        self.jobs.refresh()
        row = self.jobs.row_of(job_id)
        if row >= 0:
            self.job_view.selectionModel().select(
                self.jobs.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def show_job(self, job_id: str | None) -> None:
        """Show a job's subtitles in the table (opening its document on first use)."""
        self.session.save_edits()
        self.current_job = job_id
        if job_id is None:
            self.table.setModel(None)
            self.listen.show_job(None, None, None)
            self.title.setText(self.tr("Drop video or audio files here to transcribe them."))
            return
        try:
            opened = self.session.document(job_id)
        except StudioError as exc:
            self.show_banner(user_message(exc))
            return
        self.table.setModel(opened.model)
        self.undo_group.addStack(opened.undo)
        self.undo_group.setActiveStack(opened.undo)
        self.listen.show_job(
            self.jobs.record(job_id),
            opened.document,
            opened.undo,
            on_change=opened.model.editApplied.emit,
        )
        self._show_title(job_id)
        self._update_actions()

    def _show_title(self, job_id: str) -> None:
        record = self.jobs.record(job_id)
        if record is None:
            self.title.setText(job_id)
            return
        self.title.setText(
            self.tr("<b>{name}</b> — {status}").format(
                name=record.name, status=status_text(record.status)
            )
        )

    @Slot()
    def _on_job_selected(self) -> None:
        job_id = self.selected_job()
        if job_id != self.current_job:
            self.show_job(job_id)
        self._update_actions()

    def selected_job(self) -> str | None:
        rows = self.job_view.selectionModel().selectedRows()
        return self.jobs.job_id(rows[0].row()) if rows else None

    def _update_actions(self) -> None:
        job_id = self.selected_job()
        allowed: set[str] = set()
        failed = False
        if job_id is not None and (record := self.jobs.record(job_id)) is not None:
            failed = error_message(record) is not None
            folder = self.store.folder(job_id)
            has_text = (folder / "checkpoint.json").exists() or job_id in self.session.documents
            allowed = available_actions(
                record.status,
                is_running_here=self.session.queue.running_id == job_id,
                queued_here=job_id in self.session.queue.waiting_ids,
                has_transcript=has_text,
            )
        for name, act in self.job_actions.items():
            act.setEnabled(
                name in allowed or (act is self.act_start and bool({"start", "resume"} & allowed))
            )
        self.act_details.setEnabled(failed)
        self.align_document.update()

    @Slot()
    def toggle_endpoint(self) -> None:
        """Start or stop the HTTP endpoint as the menu item says; remember the choice."""
        preference = load_endpoint()
        on = self.act_endpoint.isChecked()
        if on:
            try:
                url = self.session.start_endpoint(preference.port)
            except StudioError as exc:
                self.act_endpoint.setChecked(False)
                self.prompts.show_error(self.tr("HTTP endpoint"), user_message(exc))
                return
            self.endpoint_label.setText(self.tr("Endpoint: {url}").format(url=url))
            self.endpoint_label.setToolTip(
                self.tr("Follow a job at {url}/stream/<job id>").format(url=url)
            )
        else:
            self.session.stop_endpoint()
        self.endpoint_label.setVisible(on)
        if on != preference.enabled:
            save_endpoint(replace(preference, enabled=on))

    @Slot()
    def show_error_details(self) -> None:
        """The failed job's message, with where it stopped and its log lines as details."""
        job_id = self.selected_job()
        if job_id is None:
            return
        try:
            record = self.store.get(job_id)  # the saved record has the error's code
        except StudioError:
            record = self.jobs.record(job_id)
        message = error_message(record) if record is not None else None
        if record is None or message is None:
            return
        details = failure_details(
            record, self.store.folder(record.id), paths.log_file(), translated
        )
        self.prompts.show_error(self.tr("{name} failed").format(name=record.name), message, details)

    @Slot()
    def start_selected(self) -> None:
        job_id = self.selected_job()
        if job_id is None:
            return
        record = self.store.get(job_id)
        if not self.models.ready_to_start(record.settings.model, record.settings.language):
            return  # the user was offered the download; the job stays as it is
        if record.status == JobStatus.QUEUED:
            self.session.start(job_id)
            return
        try:
            checkpoint = load_checkpoint(self.store.folder(job_id), job_id)
        except StudioError:
            checkpoint = None
        dialog = ResumeDialog(
            record,
            detected_language=(checkpoint.language() if checkpoint else None) or record.language,
            chunks_done=len(checkpoint.results) if checkpoint else 0,
            aligned=bool(checkpoint and checkpoint.phase in ("srt", "done")),
            parent=self,
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.session.resume(
                job_id, dialog.result_settings(), redo_finished=dialog.redo_finished()
            )

    @Slot()
    def pause_selected(self) -> None:
        if (job_id := self.selected_job()) is not None:
            self.session.pause(job_id)

    @Slot()
    def cancel_selected(self) -> None:
        if (job_id := self.selected_job()) is not None:
            self.session.cancel(job_id)

    @Slot()
    def delete_selected(self) -> None:
        job_id = self.selected_job()
        if job_id is not None and self.session.delete(job_id):
            if self.current_job == job_id:
                self.show_job(None)
            self.jobs.refresh()

    @Slot()
    def export_current(self) -> None:
        job_id = self.selected_job() or self.current_job
        if job_id is not None:
            self.session.export(job_id)

    @Slot()
    def open_folder(self) -> None:
        job_id = self.selected_job()
        if job_id is None:
            return
        record = self.store.get(job_id)
        folder = (
            Path(record.output_path).parent if record.output_path else self.store.folder(job_id)
        )
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    @Slot()
    def edit_defaults(self) -> None:
        home = self.store.home
        dialog = DefaultSettingsDialog(load_defaults(home), self, network=load_network(home))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            save_defaults(dialog.result_settings(), home)
            try:
                save_network(dialog.result_network(), home)
            except StudioError as exc:
                self.prompts.show_error(
                    self.tr("Model download settings were not saved"), user_message(exc)
                )

    # -- rows (gui/edit_actions.py) ------------------------------------------------------
    @Slot()
    def delete_rows(self) -> None:
        self.edit_actions.delete_rows()

    @Slot()
    def insert_row(self) -> None:
        self.edit_actions.insert_after()

    # -- events ------------------------------------------------------------------------
    @Slot()
    def _on_jobs_changed(self) -> None:
        self.jobs.refresh()
        self._update_actions()

    @Slot(str, str, float, str)
    def _on_progress(self, job_id: str, phase: str, percent: float, eta: str) -> None:
        if self.jobs.set_progress(job_id, phase, percent, eta):
            self._on_status_shown(job_id)
        if job_id == self.current_job:
            text = self.tr("{phase} {percent}%").format(
                phase=phase_text(phase), percent=f"{percent:.0f}"
            )
            if eta:
                text = self.tr("{progress} — {time_left}").format(progress=text, time_left=eta)
            self.statusBar().showMessage(text)

    @Slot(str, str, str)
    def _on_status(self, job_id: str, status: str, error: str) -> None:
        self.jobs.set_status(job_id, status, error or None)
        if job_id == self.current_job and error:
            self.show_banner(
                self.tr("{error}\n(Job → Error details… says more.)").format(error=error)
            )
        self._on_status_shown(job_id)
        if status == "failed":
            self._offer_missing_model(job_id)

    def _offer_missing_model(self, job_id: str) -> None:
        """A job that stopped for want of a model offers its download (after this event)."""
        try:
            record = self.store.get(job_id)
        except StudioError:
            return
        if (record.error or {}).get("code") == ModelError.code:
            settings = record.settings
            QTimer.singleShot(
                0, self, lambda: self.models.offer_after_failure(settings.model, settings.language)
            )

    def _on_status_shown(self, job_id: str) -> None:
        if job_id == self.current_job:
            self._show_title(job_id)
        self._update_actions()

    @Slot(str)
    def _on_alignment_ready(self, job_id: str) -> None:
        if job_id != self.current_job:
            self.session.apply_alignment(job_id)
        elif not self.table.is_editing():
            self._merge_keeping_view(job_id)
        # else: applied when the open editor closes (_apply_pending_alignment)

    @Slot()
    def _apply_pending_alignment(self) -> None:
        opened = self.session.documents.get(self.current_job or "")
        if opened is not None and opened.alignment_pending:
            QTimer.singleShot(0, lambda: self._merge_keeping_view(opened.job_id))

    def _merge_keeping_view(self, job_id: str) -> None:
        if self.table.is_editing():
            return
        state = self.table.visible_state()
        self.session.apply_alignment(job_id)
        self.table.restore_visible_state(state)

    def _report_unreadable_jobs(self) -> None:
        """A job whose job.json cannot be read (damaged, or from a newer version) is not
        listed; the user is told why instead of finding it silently gone."""
        count = len(self.jobs.broken)
        _, reason = self.jobs.broken[0]
        if count > 1:
            text = self.tr(
                "A job could not be opened and is not listed: {reason}\n"
                "(and {count} more; the log file names them)"
            )
        else:
            text = self.tr("A job could not be opened and is not listed: {reason}")
        self.show_banner(text.format(reason=user_message(reason), count=count - 1))

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()
        self._banner_timer.start(BANNER_MS)

    def closeEvent(self, event: QCloseEvent) -> None:
        running = self.session.queue.running_id
        if running is not None:
            self.statusBar().showMessage(self.tr("Pausing the running job…"))
        self.models.close()
        self.listen.close_panel()
        self.session.shutdown()
        event.accept()
