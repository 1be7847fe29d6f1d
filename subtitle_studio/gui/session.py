"""What the window does, without the widgets: jobs, documents, events, saving.

The session owns the store, the bus and its bridge, the run queue and the
re-alignment service, and one open document per job the user has looked at
(with its undo stack). Widgets call its methods and listen to its signals;
everything here runs in the GUI thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QUndoStack

from subtitle_studio.core.app_settings import load_defaults
from subtitle_studio.core.bus import EventBus
from subtitle_studio.core.document import SubtitleDocument
from subtitle_studio.core.edits import Edits
from subtitle_studio.core.engine_api import Engines
from subtitle_studio.core.eta import RemainingTime
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.media_types import expand_dropped
from subtitle_studio.core.output_paths import free_output_path
from subtitle_studio.core.realign import RealignRequest
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.core.subtitle_rules import DEFAULT_RULES, finish_cues
from subtitle_studio.core.transcript import LiveJobs, current_transcript, snapshot_provider
from subtitle_studio.core.writers import write_subtitles
from subtitle_studio.errors import StudioError
from subtitle_studio.gui.bridge import EventBridge
from subtitle_studio.gui.error_text import user_message
from subtitle_studio.gui.job_queue import JobQueue
from subtitle_studio.gui.job_text import remaining_text
from subtitle_studio.gui.prompts import Prompts
from subtitle_studio.gui.realign_service import RealignService
from subtitle_studio.gui.responsive import settle_heap
from subtitle_studio.gui.subtitle_model import SubtitleTableModel
from subtitle_studio.server.endpoint import StudioServer

log = logging.getLogger(__name__)

#: After merging a job's alignment the window keeps the interpreter to itself this long
#: (repainting the table and the job list) before the pipeline's srt phase, which is
#: Python work too, competes for it (see JobControl.expect_merge). Measured with
#: bench/bench_gui.py: released at once, the srt phase's start stalled the window for
#: 45-80 ms; released after 100 ms, it no longer shows among the stalls.
MERGE_SETTLE_MS = 100

#: Edits reach ``edits.json`` this soon after the last change (the promise is a second).
SAVE_DELAY_MS = 300
TERMINAL = {"job_complete": "done", "job_paused": "paused", "job_canceled": "canceled"}


@dataclass
class JobDocument:
    job_id: str
    document: SubtitleDocument
    undo: QUndoStack
    model: SubtitleTableModel
    eta: RemainingTime = field(default_factory=RemainingTime)
    alignment_pending: bool = False


class StudioSession(QObject):
    jobs_changed = Signal()
    job_progress = Signal(str, str, float, str)  # job_id, phase, percent, time-left text
    job_status = Signal(str, str, str)  # job_id, status, error message ("" if none)
    alignment_ready = Signal(str)  # job_id: the window applies it when no editor is open
    message = Signal(str)
    refused = Signal(str)

    def __init__(
        self,
        store: JobStore,
        engines: Engines,
        prompts: Prompts,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.engines = engines
        self.prompts = prompts
        self.live = LiveJobs()
        self.bus = EventBus(snapshot=snapshot_provider(store, self.live))
        self.bridge = EventBridge(self.bus, self)
        self.queue = JobQueue(store, engines, self.bus, self.live, self)
        self.realign = RealignService(store, engines, self)
        self.documents: dict[str, JobDocument] = {}
        self.endpoint: StudioServer | None = None
        self._closed = False
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_edits)

        self.bridge.progress.connect(self._on_progress)
        self.bridge.fragment.connect(self._on_fragment)
        self.bridge.signal.connect(self._on_signal)
        self.bridge.error.connect(self._on_error)
        self.bridge.resync.connect(self._on_resync)
        self.queue.finished.connect(self._on_finished)
        self.queue.crashed.connect(lambda job_id, msg: self.job_status.emit(job_id, "failed", msg))
        self.queue.changed.connect(self.jobs_changed)
        self.queue.started.connect(lambda job_id: self.job_status.emit(job_id, "running", ""))
        self.realign.result.connect(self._on_realigned)
        store.clean_staging()

    # -- documents ---------------------------------------------------------------------
    def document(self, job_id: str) -> JobDocument:
        """The job's document, loaded on first use: transcript + the user's edits."""
        if job_id in self.documents:
            return self.documents[job_id]
        folder = self.store.folder(job_id)
        edits = Edits.load(folder, job_id)
        document = SubtitleDocument(job_id, edits=edits)
        undo = QUndoStack(self)
        model = SubtitleTableModel(document, undo, self)
        model.editApplied.connect(lambda row_id, j=job_id: self._on_edit(j, row_id))
        model.editRefused.connect(self.refused)
        undo.indexChanged.connect(lambda _index: self.save_edits_soon())
        opened = self.documents[job_id] = JobDocument(job_id, document, undo, model)
        self._load_transcript(opened)
        self.bridge.follow(job_id)
        return opened

    def _load_transcript(self, opened: JobDocument) -> None:
        transcript = current_transcript(self.store, opened.job_id, self.live, words=False)
        aligned = transcript["aligned"]
        opened.document.language = transcript.get("language")
        opened.document.load(transcript["segments"], aligned=aligned)

    def apply_alignment(self, job_id: str) -> None:
        """Merge the aligned transcript into the document, the user's work first."""
        opened = self.documents.get(job_id)
        if opened is None:
            return
        opened.alignment_pending = False
        transcript = current_transcript(self.store, job_id, self.live, words=False)
        opened.document.language = transcript.get("language")
        opened.document.apply_alignment(transcript["segments"])
        for row in opened.document.rows:
            if "text" in row.changed and not row.changed & {"start", "end"} and not row.realigned:
                self._request_realign(opened, row.id)

    # -- adding and running jobs ---------------------------------------------------------
    def add_paths(self, paths: list[Path]) -> list[str]:
        """Queue jobs for dropped or opened files; refuse what is not media, offer to resume
        an unfinished job of the same file. Returns the job ids queued."""
        media, refused = expand_dropped(paths)
        if refused:
            names = "\n".join(p.name for p in refused[:10])
            if len(refused) > 10:
                more = self.tr("{names}\n… and {count} more").format(
                    names=names, count=len(refused) - 10
                )
                names = more
            self.prompts.inform(
                self.tr("Not a video or audio file"),
                self.tr(
                    "These were not added (only video and audio files can be transcribed):\n{names}"
                ).format(names=names),
            )
        queued = []
        defaults = load_defaults(self.store.home)
        for path in media:
            source = path.expanduser().absolute()
            existing = self.store.find_unfinished(source)
            if existing is not None and self.prompts.ask_resume(source.name):
                job_id = existing.id
            else:
                try:
                    output = free_output_path(source, defaults.output_format)
                    job_id = self.store.create(source, defaults, output_path=output).id
                except StudioError as exc:
                    self.prompts.show_error(self.tr("Could not add the file"), user_message(exc))
                    continue
            queued.append(job_id)
        self.jobs_changed.emit()
        for job_id in queued:
            self.start(job_id)
        return queued

    def start(self, job_id: str, *, redo_other_models: bool = False) -> None:
        self.bridge.follow(job_id)
        self.queue.enqueue(job_id, redo_other_models=redo_other_models)

    def resume(self, job_id: str, settings: JobSettings, *, redo_finished: bool) -> None:
        """Resume with settings already checked by the resume dialog (``check_resume``)."""
        record = self.store.get(job_id)
        record.settings = settings
        self.store.save(record)
        self.start(job_id, redo_other_models=redo_finished)

    def pause(self, job_id: str) -> None:
        self.queue.pause(job_id)
        self.message.emit(self.tr("Pausing after the current chunk…"))

    def cancel(self, job_id: str) -> None:
        self.queue.cancel(job_id)

    def forget_document(self, job_id: str) -> None:
        """Drop a job's open document unsaved and stop following it: the job is about
        to be deleted (or replaced by a fresh copy of its subtitle file)."""
        opened = self.documents.pop(job_id, None)
        if opened is not None:
            opened.document.dirty = False
        self.bridge.unfollow(job_id)

    def delete(self, job_id: str) -> bool:
        record = self.store.get(job_id)
        if not self.prompts.confirm_delete(record.name):
            return False
        self.queue.cancel(job_id)
        self.forget_document(job_id)
        self.store.delete(job_id)
        self.jobs_changed.emit()
        return True

    def export(self, job_id: str) -> Path | None:
        """Export the table (aligned rows merged with edits) where the user chooses."""
        record = self.store.get(job_id)
        opened = self.document(job_id)
        source = Path(record.source)
        fmt = record.settings.output_format if record.settings.output_format != "json" else "srt"
        default = free_output_path(source, fmt)
        if default is None:
            default = Path.home() / f"{source.stem}.srt"
        target = self.prompts.ask_export_path(default)
        if target is None:
            return None
        fmt = "vtt" if target.suffix.lower() == ".vtt" else "srt"
        cues = finish_cues(opened.document.to_cues(), DEFAULT_RULES)
        try:
            write_subtitles(target, cues, fmt, language=opened.document.language)
        except StudioError as exc:
            self.prompts.show_error(self.tr("Export failed"), user_message(exc))
            return None
        self.message.emit(
            self.tr("Exported {count} subtitles to {path}").format(count=len(cues), path=target)
        )
        return target

    # -- saving --------------------------------------------------------------------------
    def save_edits_soon(self) -> None:
        """Save within ``SAVE_DELAY_MS`` of the last change (a burst of edits saves once)."""
        if not self._closed:
            self._save_timer.start()

    @Slot()
    def save_edits(self) -> None:
        for opened in self.documents.values():
            if opened.document.dirty:
                try:
                    opened.document.save_edits(self.store.folder(opened.job_id))
                except StudioError as exc:
                    text = self.tr("Your edits could not be saved: {error}")
                    self.refused.emit(text.format(error=user_message(exc)))

    def shutdown(self) -> None:
        """Pause the running job, stop the threads, save every edit. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._save_timer.stop()
        self.stop_endpoint()
        self.queue.shutdown()
        self.realign.shutdown()
        self.save_edits()
        self.bridge.close()
        self.bus.close()

    # -- the local HTTP endpoint (SPEC §8) --------------------------------------------------
    def start_endpoint(self, port: int) -> str:
        """Serve this window's jobs on 127.0.0.1 (the same bus the table follows); the URL.
        ``StudioError`` (port taken) leaves it off."""
        if self.endpoint is None:
            endpoint = StudioServer(self.store, self.bus, self.live, port=port)
            endpoint.start()
            self.endpoint = endpoint
        return self.endpoint.url

    def stop_endpoint(self) -> None:
        if self.endpoint is not None:
            self.endpoint.stop()
            self.endpoint = None

    # -- events from the pipeline ----------------------------------------------------------
    def _on_edit(self, job_id: str, row_id: str) -> None:
        self.save_edits_soon()
        opened = self.documents[job_id]
        position = opened.document.position(row_id)
        if opened.document.aligned and position is not None:
            row = opened.document.rows[position]
            if "text" in row.changed and not row.changed & {"start", "end"}:
                self._request_realign(opened, row_id)

    def _request_realign(self, opened: JobDocument, row_id: str) -> None:
        document = opened.document
        position = document.position(row_id)
        if position is None:
            return
        row = document.rows[position]
        lower = document.rows[position - 1].end if position > 0 else 0.0
        upper = document.rows[position + 1].start if position + 1 < len(document) else float("inf")
        try:
            record = self.store.get(opened.job_id)
        except StudioError:
            return
        language = document.language or record.language or "en"
        request = RealignRequest(row.id, row.text, row.start, row.end, lower, upper)
        self.realign.request(opened.job_id, request, record.settings, language)

    @Slot(str, str, float, float)
    def _on_realigned(self, job_id: str, row_id: str, start: float, end: float) -> None:
        opened = self.documents.get(job_id)
        if opened is not None and opened.document.set_realigned_times(row_id, start, end):
            self.save_edits_soon()

    @Slot(str, object)
    def _on_progress(self, job_id: str, data: dict[str, Any]) -> None:
        opened = self.documents.get(job_id)
        eta_text = ""
        if opened is not None:
            opened.eta.update(data["phase"], data["percent"])
            eta_text = remaining_text(opened.eta.seconds_left())
        self.job_progress.emit(job_id, data["phase"], data["percent"], eta_text)

    @Slot(str, object)
    def _on_fragment(self, job_id: str, data: dict[str, Any]) -> None:
        settle_heap("transcriber loaded")  # its libraries and model stay loaded from now on
        opened = self.documents.get(job_id)
        if opened is not None:
            opened.document.language = data.get("language") or opened.document.language
            opened.document.add_fragment(data["segment_index"], data["segments"])

    @Slot(str, object)
    def _on_signal(self, job_id: str, data: dict[str, Any]) -> None:
        code = data.get("code")
        if code == "alignment_ready":
            # The pipeline waits for merged() before its srt phase (at most 2 s); the
            # settle time matters only when there is a table to repaint.
            settle_ms = 0
            if job_id in self.documents:
                self.documents[job_id].alignment_pending = True
                self.alignment_ready.emit(job_id)  # merged now unless an editor is open
                settle_ms = MERGE_SETTLE_MS
            QTimer.singleShot(settle_ms, lambda: self.queue.merged(job_id))
        elif code in TERMINAL:
            self.job_status.emit(job_id, TERMINAL[code], "")
            self.message.emit(self._finished_text(code, data))
        elif code == "job_failed":
            self.job_status.emit(job_id, "failed", user_message(data))

    @Slot(str, object)
    def _on_error(self, job_id: str, data: dict[str, Any]) -> None:
        self.message.emit(user_message(data, self.tr("The job failed.")))

    def _finished_text(self, code: str, data: dict[str, Any]) -> str:
        """The status-bar line for a job that stopped: the pipeline's message is English,
        so the window says it in its own words (the English ones are the same)."""
        message = str(data.get("message", ""))
        output = str(data.get("output", ""))
        if code == "job_paused":
            return self.tr("Paused; resume to continue where it stopped.")
        if code == "job_canceled":
            return self.tr("Canceled; the work done so far is kept.")
        if not output:
            return message
        if message.startswith("No speech was found"):
            return self.tr("No speech was found; the subtitle file {path} is empty.").format(
                path=output
            )
        return self.tr("Subtitles written to {path}").format(path=output)

    @Slot(str)
    def _on_resync(self, job_id: str) -> None:
        opened = self.documents.get(job_id)
        if opened is not None:
            self._load_transcript(opened)

    @Slot(str, object)
    def _on_finished(self, job_id: str, record: Any) -> None:
        self.save_edits()
        self.jobs_changed.emit()
