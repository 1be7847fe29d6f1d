"""Hear and see the line: the waveform strip under the subtitle table, and playing a row.

``ListenPanel`` holds a :class:`WaveformView` and a :class:`SegmentPlayer` for the job the
window shows. Its peaks are loaded in a plain background thread (an editing document
whose media was never decoded is decoded into its job folder first, in the same thread)
and come back through a queued signal; a result for a job no longer shown is dropped.

The strip follows the document (a ``DocumentObserver`` schedules one cue refresh per
burst of changes), follows the table's selection, and turns a dragged boundary into the
same undoable ``EditRowCommand`` a typed time makes. "Play line" plays the selected row's
stretch of the job's ``audio.wav`` (the attached media while there is none); "Set start /
end from playhead" move the selected row's boundary to where playback last was (or where
the user clicked in the strip) as an ``edit_ops`` change on the undo stack.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QAbstractItemView, QLabel, QMenu, QVBoxLayout, QWidget

from subtitle_studio.core import edit_ops
from subtitle_studio.core.audio_store import SAMPLE_RATE, audio_path, open_stored_audio
from subtitle_studio.core.document import DocumentObserver, SubtitleDocument
from subtitle_studio.core.jobstore import JobRecord, JobStore
from subtitle_studio.core.waveform import Peaks, peaks_for_audio
from subtitle_studio.errors import EditError, StudioError
from subtitle_studio.gui.error_text import user_message
from subtitle_studio.gui.player import PlaybackBackend, SegmentPlayer
from subtitle_studio.gui.undo import ChangeCommand, EditRowCommand
from subtitle_studio.gui.waveform_view import WaveformView

log = logging.getLogger(__name__)

#: ``engines.extract``: (media, destination, on_progress, check) -> (StoredAudio, info).
Extract = Callable[[Path, Path, Callable[[float], None], Callable[[], None]], Any]
#: Called with a row id after an edit of the panel's, like the table model's editApplied.
ChangeListener = Callable[[str], None]
#: The panel decodes an editing document's media here, then renames it to ``audio.wav``
#: (a pipeline run extracting at the same time writes its own ``audio.wav.part``).
_LISTEN_AUDIO = "audio.listen.wav"
#: The view shown around the first cue when a job's peaks arrive (seconds).
_FIRST_VIEW_S = 10.0


class _CueFollower(DocumentObserver):
    """Tells the panel that the document changed; the panel refreshes once per burst."""

    def __init__(self, changed: Callable[[], None]) -> None:
        self._changed = changed

    def rows_inserted(self, first: int, last: int) -> None:
        self._changed()

    def rows_removed(self, first: int, last: int) -> None:
        self._changed()

    def rows_changed(self, first: int, last: int) -> None:
        self._changed()

    def reset_done(self) -> None:
        self._changed()


class ListenPanel(QWidget):
    """The waveform of the shown job with its cues, and the actions to play and time a row."""

    #: A refused action, for the window's banner.
    message = Signal(str)
    #: The peaks of the shown job arrived (or ``None``: no audio), in the GUI thread.
    peaksShown = Signal(object)
    # From the loading thread: (generation, Peaks | None, error text).
    _loaded = Signal(int, object, str)

    def __init__(
        self,
        store: JobStore,
        extract: Extract | None = None,
        *,
        backend: PlaybackBackend | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._extract = extract
        self.view = WaveformView(self)
        self.player = SegmentPlayer(backend, self)
        self.status = QLabel(self.tr("No job shown"), self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.view)

        self.record: JobRecord | None = None
        self.document: SubtitleDocument | None = None
        self.undo_stack: QUndoStack | None = None
        self._on_change: ChangeListener | None = None
        self._table: QAbstractItemView | None = None
        self._selection: QItemSelectionModel | None = None
        self._follower = _CueFollower(self._cues_changed)
        self._generation = 0
        self._thread: threading.Thread | None = None
        self._position: float | None = None  # the last playing position (or click)
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(0)
        self._refresh.timeout.connect(self.refresh_cues)

        self.act_play = self._action(self.tr("&Play line"), self.play_line, "Ctrl+P")
        self.act_set_start = self._action(
            self.tr("Set &start from playhead"), lambda: self.set_from_playhead("start"), "Ctrl+["
        )
        self.act_set_end = self._action(
            self.tr("Set &end from playhead"), lambda: self.set_from_playhead("end"), "Ctrl+]"
        )
        self.actions_list = [self.act_play, self.act_set_start, self.act_set_end]

        self._loaded.connect(self._on_loaded, Qt.ConnectionType.QueuedConnection)
        self.player.positionChanged.connect(self._on_position)
        self.player.failed.connect(self.message)
        self.view.boundaryMoved.connect(self._on_boundary_moved)
        self.view.seekRequested.connect(self._on_position)
        self.view.cueClicked.connect(self._select_row)
        self._set_enabled(False)

    def _action(self, text: str, slot: Callable[[], object], shortcut: str) -> QAction:
        act = QAction(text, self)
        act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        return act

    def fill_menu(self, menu: QMenu) -> None:
        for act in self.actions_list:
            menu.addAction(act)

    # -- wiring --------------------------------------------------------------------------
    def attach_table(self, table: QAbstractItemView) -> None:
        """Follow ``table``'s selection; Space in it (no editor open) plays the line."""
        self._table = table
        table.installEventFilter(self)

    def show_job(
        self,
        record: JobRecord | None,
        document: SubtitleDocument | None,
        undo_stack: QUndoStack | None,
        *,
        on_change: ChangeListener | None = None,
    ) -> None:
        """Show this job's waveform and cues (``None``: nothing shown)."""
        self.player.stop()
        if self.document is not None and self._follower in self.document.observers:
            self.document.observers.remove(self._follower)
        self.record, self.document, self.undo_stack = record, document, undo_stack
        self._on_change = on_change
        self._generation += 1
        self._position = None
        self.view.set_playhead(None)
        self.view.set_peaks(None)
        if document is not None:
            document.observers.append(self._follower)
        self.refresh_cues()
        self._follow_selection()
        if record is None:
            self.status.setText(self.tr("No job shown"))
            self._set_enabled(False)
            return
        if self._play_source() is None:
            self.status.setText(self.tr("No audio attached"))
            self._set_enabled(False)
            return
        self._set_enabled(True)
        self.status.setText(self.tr("Loading the waveform…"))
        folder = self.store.folder(record.id)
        media = self._media()
        decode = media if self._is_document() and open_stored_audio(folder) is None else None
        self._thread = threading.Thread(
            target=self._load,
            args=(self._generation, folder, decode),
            name=f"waveform-{record.id}",
            daemon=True,
        )
        self._thread.start()

    def wait_loaded(self, timeout: float = 30.0) -> None:
        """Wait for the loading thread (tests; closing)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def close_panel(self) -> None:
        self.player.stop()
        self._generation += 1
        self.wait_loaded(5.0)

    # -- loading (background thread) -----------------------------------------------------
    def _load(self, generation: int, folder: Path, decode: Path | None) -> None:
        peaks: Peaks | None = None
        error = ""
        try:
            if decode is not None and self._extract is not None:
                dest = folder / _LISTEN_AUDIO
                self._extract(decode, dest, lambda _fraction: None, lambda: None)
                if open_stored_audio(folder) is None:
                    os.replace(dest, audio_path(folder))
                else:
                    dest.unlink(missing_ok=True)
            stored = open_stored_audio(folder)
            if stored is not None:
                peaks = peaks_for_audio(stored, SAMPLE_RATE)
        except (StudioError, OSError) as exc:
            error = user_message(exc) if isinstance(exc, StudioError) else str(exc)
            log.warning("waveform of %s not loaded: %s", folder.name, error)
        except Exception as exc:  # a decoder failure must not kill the thread silently
            log.exception("waveform of %s not loaded", folder.name)
            error = str(exc)
        with contextlib.suppress(RuntimeError):  # the panel was deleted meanwhile
            self._loaded.emit(generation, peaks, error)

    @Slot(int, object, str)
    def _on_loaded(self, generation: int, peaks: object, error: str) -> None:
        if generation != self._generation:
            return
        shown = peaks if isinstance(peaks, Peaks) else None
        self.view.set_peaks(shown)
        if shown is not None:
            self.status.setText("")
            self.status.hide()
            selected = self.selected_row_id()
            if selected is not None:
                self.view.select(selected, reveal=True)
            else:
                first = self.view.cues()[0][1] if self.view.cues() else 0.0
                self.view.set_view(max(0.0, first - 1.0), max(0.0, first - 1.0) + _FIRST_VIEW_S)
        else:
            self.status.show()
            self.status.setText(
                self.tr("No waveform: {error}").format(error=error)
                if error
                else self.tr("No waveform yet")
            )
        self.peaksShown.emit(shown)

    # -- cues and selection --------------------------------------------------------------
    def _cues_changed(self) -> None:
        self._refresh.start()

    @Slot()
    def refresh_cues(self) -> None:
        rows = self.document.rows if self.document is not None else []
        self.view.set_cues([(row.id, row.start, row.end) for row in rows])
        self.view.select(self.selected_row_id(), reveal=False)

    def _follow_selection(self) -> None:
        selection = self._table.selectionModel() if self._table is not None else None
        if selection is self._selection:
            return
        if self._selection is not None:
            with contextlib.suppress(RuntimeError, TypeError):  # deleted with its model
                self._selection.currentRowChanged.disconnect(self._on_current_row)
        self._selection = selection
        if selection is not None:
            selection.currentRowChanged.connect(self._on_current_row)

    def _on_current_row(self, *_args: object) -> None:
        self.view.select(self.selected_row_id(), reveal=True)

    def selected_row_id(self) -> str | None:
        table = self._table
        if table is None or self.document is None or table.selectionModel() is None:
            return None
        index = table.selectionModel().currentIndex()
        rows = self.document.rows
        if not index.isValid() or not 0 <= index.row() < len(rows):
            return None
        return rows[index.row()].id

    @Slot(str)
    def _select_row(self, row_id: str) -> None:
        table = self._table
        position = self.document.position(row_id) if self.document is not None else None
        if table is None or table.model() is None or position is None:
            return
        index = table.model().index(position, 0)
        flags = QItemSelectionModel.SelectionFlag
        table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        table.scrollTo(index)

    # -- playing -------------------------------------------------------------------------
    def _is_document(self) -> bool:
        return self.record is not None and bool(self.record.document)

    def _media(self) -> Path | None:
        record = self.record
        if record is None:
            return None
        if record.document:
            media = record.document.get("media")
            return Path(media) if media else None
        return Path(record.source)

    def _play_source(self) -> Path | None:
        """The job's ``audio.wav`` if decoded, else the attached media; ``None``: no audio."""
        if self.record is None:
            return None
        stored = audio_path(self.store.folder(self.record.id))
        if stored.exists():
            return stored
        media = self._media()
        return media if media is not None and media.exists() else None

    @Slot()
    def play_line(self) -> None:
        row_id = self.selected_row_id()
        source = self._play_source()
        if row_id is None or self.document is None:
            self.message.emit(self.tr("Select a subtitle to play it."))
            return
        if source is None:
            self.message.emit(self.tr("This job has no audio attached."))
            return
        row = self.document.row(row_id)
        self.view.select(row_id, reveal=True)
        try:
            self.player.play_range(source, row.start, row.end)
        except ValueError as exc:
            self.message.emit(str(exc))

    @Slot(float)
    def _on_position(self, seconds: float) -> None:
        self._position = seconds
        self.view.set_playhead(seconds)

    def playhead(self) -> float | None:
        return self._position

    # -- timing edits ----------------------------------------------------------------------
    def set_from_playhead(self, which: Literal["start", "end"]) -> None:
        row_id = self.selected_row_id()
        if row_id is None or self.document is None or self.undo_stack is None:
            self.message.emit(self.tr("Select a subtitle first."))
            return
        if self._position is None:
            self.message.emit(
                self.tr("Play the line or click in the waveform to place the playhead.")
            )
            return
        try:
            change = edit_ops.set_row_time(self.document, row_id, which, self._position)
        except EditError as exc:
            self.message.emit(user_message(exc))
            return
        if change.changed:
            self.undo_stack.push(ChangeCommand(self.document, change, on_change=self._on_change))
            self._notify(row_id)

    @Slot(str, str, float)
    def _on_boundary_moved(self, row_id: str, which: str, seconds: float) -> None:
        """A dragged handle: the same undoable edit as typing the time in the table."""
        if self.document is None or self.undo_stack is None:
            return
        times = {"start": seconds} if which == "start" else {"end": seconds}
        try:
            command = EditRowCommand.create(
                self.document, row_id, **times, on_change=self._on_change
            )
        except EditError as exc:
            self.message.emit(user_message(exc))
            self.refresh_cues()  # put the dragged cue back where the row is
            return
        if command is not None:
            self.undo_stack.push(command)
            self._notify(row_id)

    def _notify(self, row_id: str) -> None:
        if self._on_change is not None:
            self._on_change(row_id)

    def _set_enabled(self, enabled: bool) -> None:
        for act in self.actions_list:
            act.setEnabled(enabled)

    # -- Space in the table ---------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self._table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Space
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and self._table.state() != QAbstractItemView.State.EditingState
            and self.act_play.isEnabled()
        ):
            # Space is a toggle, as in media players: a second press stops the line.
            if self.player.is_playing():
                self.player.stop()
            else:
                self.play_line()
            return True
        return super().eventFilter(watched, event)
