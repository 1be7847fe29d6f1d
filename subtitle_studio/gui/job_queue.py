"""Jobs run one at a time, each in a QThread, in the order they were queued.

The worker object lives in its own thread and only calls ``Pipeline.run``; the
window talks to it through the job's ``JobControl`` (pause, cancel) and hears back
through the bus (progress) and the worker's ``finished`` signal. Shutting down
asks for a pause and waits: ``terminate()`` is never the normal path.
"""

from __future__ import annotations

import contextlib
import logging
import weakref

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

from subtitle_studio.core.bus import EventBus
from subtitle_studio.core.control import JobControl
from subtitle_studio.core.engine_api import Engines
from subtitle_studio.core.jobstore import JobRecord, JobStore
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.pipeline import Pipeline
from subtitle_studio.core.transcript import LiveJobs
from subtitle_studio.errors import StudioError
from subtitle_studio.gui.error_text import user_message

log = logging.getLogger(__name__)

#: Every pipeline thread this process started, so tests can prove none is left running.
THREADS: weakref.WeakSet[QThread] = weakref.WeakSet()


class PipelineWorker(QObject):
    """Runs one job's pipeline; lives in a worker thread."""

    finished = Signal(str, object)  # job_id, JobRecord or None
    crashed = Signal(str, str)  # job_id, message (the job could not even start)

    def __init__(self, pipeline: Pipeline) -> None:
        super().__init__()
        self._pipeline = pipeline

    @Slot()
    def run(self) -> None:
        job_id = self._pipeline.job_id
        try:
            record = self._pipeline.run()
        except StudioError as exc:
            self.crashed.emit(job_id, user_message(exc))
            self.finished.emit(job_id, None)
            return
        except Exception as exc:  # a bug; the job itself stays resumable
            log.exception("pipeline for %s crashed", job_id)
            text = QCoreApplication.translate("JobQueue", "Unexpected error: {error}")
            self.crashed.emit(job_id, text.format(error=exc))
            self.finished.emit(job_id, None)
            return
        self.finished.emit(job_id, record)


class JobQueue(QObject):
    """The window's run queue: one running job, the others waiting in order."""

    started = Signal(str)
    finished = Signal(str, object)  # job_id, JobRecord | None
    crashed = Signal(str, str)
    changed = Signal()

    def __init__(
        self,
        store: JobStore,
        engines: Engines,
        bus: EventBus,
        live: LiveJobs,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._engines = engines
        self._bus = bus
        self._live = live
        self._waiting: list[tuple[str, bool]] = []
        self._running: str | None = None
        self._control: JobControl | None = None
        self._thread: QThread | None = None
        self._worker: PipelineWorker | None = None

    # -- what is queued --------------------------------------------------------------
    @property
    def running_id(self) -> str | None:
        return self._running

    @property
    def waiting_ids(self) -> list[str]:
        return [job_id for job_id, _ in self._waiting]

    def is_busy(self) -> bool:
        return self._running is not None or bool(self._waiting)

    # -- commands from the window ------------------------------------------------------
    def enqueue(self, job_id: str, *, redo_other_models: bool = False) -> None:
        if job_id == self._running or job_id in self.waiting_ids:
            return
        self._waiting.append((job_id, redo_other_models))
        self.changed.emit()
        self._start_next()

    def pause(self, job_id: str) -> None:
        """Pause at the next chunk boundary (a waiting job just leaves the queue)."""
        if job_id == self._running and self._control is not None:
            self._control.pause()
        else:
            self._drop_waiting(job_id)

    def cancel(self, job_id: str) -> None:
        """Cancel now, even during alignment; a waiting job is marked canceled."""
        if job_id == self._running and self._control is not None:
            self._control.cancel()
            return
        if self._drop_waiting(job_id):
            try:
                record = self._store.get(job_id)
                record.status = JobStatus.CANCELED
                self._store.save(record)
            except StudioError as exc:
                log.warning("could not mark %s canceled: %s", job_id, exc)
            self.finished.emit(job_id, None)

    def merged(self, job_id: str) -> None:
        """The window has merged the running job's alignment: its srt phase may go on."""
        if job_id == self._running and self._control is not None:
            self._control.merged()

    def shutdown(self, timeout_ms: int = 60_000) -> bool:
        """Stop for the application's exit: drop the waiting jobs, pause the running one
        at once (the chunk in progress is redone on resume) and wait for its thread."""
        self._waiting.clear()
        if self._control is not None:
            self._control.pause_now()
        thread = self._thread
        if thread is None:
            return True
        done = thread.wait(timeout_ms)
        if not done:
            log.error("the pipeline thread did not stop within %d ms", timeout_ms)
        return done

    # -- running ---------------------------------------------------------------------
    def _drop_waiting(self, job_id: str) -> bool:
        before = len(self._waiting)
        self._waiting = [(j, r) for j, r in self._waiting if j != job_id]
        if len(self._waiting) != before:
            self.changed.emit()
            return True
        return False

    def _start_next(self) -> None:
        if self._running is not None or not self._waiting:
            return
        job_id, redo = self._waiting.pop(0)
        self._running = job_id
        self._control = JobControl()
        self._control.expect_merge()  # the session calls merged() after alignment_ready
        pipeline = Pipeline(
            self._store,
            job_id,
            engines=self._engines,
            bus=self._bus,
            control=self._control,
            live=self._live,
            redo_other_models=redo,
        )
        thread = QThread()
        thread.setObjectName(f"pipeline-{job_id[:8]}")
        worker = PipelineWorker(pipeline)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # quit() is thread-safe; calling it directly in the worker thread lets the thread
        # end without a round trip through the GUI thread's event loop.
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.finished.connect(self._on_finished)
        worker.crashed.connect(self.crashed)
        thread.finished.connect(worker.deleteLater)
        thread.finished.connect(thread.deleteLater)
        self._thread, self._worker = thread, worker
        THREADS.add(thread)
        thread.start()
        self.started.emit(job_id)
        self.changed.emit()

    @Slot(str, object)
    def _on_finished(self, job_id: str, record: JobRecord | None) -> None:
        if self._thread is not None:
            # quit() was already called: this is brief. After a shutdown wait the thread
            # may already be deleted.
            with contextlib.suppress(RuntimeError):
                self._thread.wait()
        self._running = None
        self._control = None
        self._thread = self._worker = None
        self.finished.emit(job_id, record)
        self.changed.emit()
        self._start_next()
