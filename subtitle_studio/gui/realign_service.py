"""Re-aligning corrected rows in the background (SPEC §7, "better still").

Requests are handled one after another by a worker thread; each result comes back
as a Qt signal, which Qt queues to the GUI thread, where the window applies it to
the document (unless the user has set that row's times by hand meanwhile: the
document refuses then). The worker is a plain Python thread with a queue: it owns
no Qt object, so nothing Qt-side lives in it when it ends.
"""

from __future__ import annotations

import logging
import queue
import threading

from PySide6.QtCore import QObject, Signal

from subtitle_studio.core.audio_store import open_stored_audio
from subtitle_studio.core.engine_api import Engines
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.realign import RealignRequest, realign_times
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.core.speech import SPEECH_FILE, SpeechEdges, SpeechMap
from subtitle_studio.errors import Cancelled, StudioError

log = logging.getLogger(__name__)

_Work = tuple[str, RealignRequest, JobSettings, str]


class RealignService(QObject):
    """Runs re-alignments one after another in a thread of their own."""

    result = Signal(str, str, float, float)  # job_id, row_id, start, end

    def __init__(self, store: JobStore, engines: Engines, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._engines = engines
        self._requests: queue.Queue[_Work | None] = queue.Queue()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="subtitle-studio-realign")
        self._thread.start()

    def request(
        self, job_id: str, request: RealignRequest, settings: JobSettings, language: str
    ) -> None:
        if not self._stopping.is_set():
            self._requests.put((job_id, request, settings, language))

    def shutdown(self, timeout_s: float = 30.0) -> None:
        """Stop after the current request (an alignment in progress is interrupted)."""
        self._stopping.set()
        self._requests.put(None)
        self._thread.join(timeout_s)
        if self._thread.is_alive():
            log.error("the re-alignment thread did not stop within %.0f s", timeout_s)

    def _check(self) -> None:
        if self._stopping.is_set():
            raise Cancelled("shutting down")

    def _loop(self) -> None:
        while (work := self._requests.get()) is not None:
            if self._stopping.is_set():
                return
            job_id, request, settings, language = work
            try:
                times = self._realign(job_id, request, settings, language)
            except Cancelled:
                return
            except StudioError as exc:
                log.warning("could not re-align row %s of %s: %s", request.row_id, job_id, exc)
                continue
            except Exception:  # a bug must not kill the thread: later requests still run
                log.exception("re-aligning row %s of %s failed", request.row_id, job_id)
                continue
            if times is not None:
                self.result.emit(job_id, request.row_id, times[0], times[1])

    def _realign(
        self, job_id: str, request: RealignRequest, settings: JobSettings, language: str
    ) -> tuple[float, float] | None:
        folder = self._store.folder(job_id)
        audio = open_stored_audio(folder)
        if audio is None:
            return None
        aligner = None
        try:
            aligner = self._engines.aligner(settings, language)
        except StudioError as exc:
            log.info("re-aligning with speech edges only: %s", exc)
        speech = SpeechMap.load(folder / SPEECH_FILE)
        edges = SpeechEdges.from_map(speech) if speech is not None else None
        return realign_times(request, audio, aligner=aligner, edges=edges, check=self._check)
