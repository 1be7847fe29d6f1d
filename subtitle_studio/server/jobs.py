"""Jobs that arrive over HTTP (``POST /jobs`` on ``subtitle-studio serve``), run in order.

One worker thread runs the queued jobs one after another with the same bus and
live-job registry as the endpoint, so a page can start a job and follow it.
"""

from __future__ import annotations

import logging
import queue
import threading
from pathlib import Path

from subtitle_studio.core.bus import EventBus
from subtitle_studio.core.control import JobControl
from subtitle_studio.core.engine_api import Engines
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.media_types import is_media_name
from subtitle_studio.core.output_paths import free_output_path
from subtitle_studio.core.pipeline import Pipeline
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.core.transcript import LiveJobs
from subtitle_studio.errors import MediaError, StudioError

log = logging.getLogger(__name__)


class BackgroundJobs:
    """A queue of jobs and the thread that runs them; ``stop()`` pauses the running one."""

    def __init__(
        self,
        store: JobStore,
        engines: Engines,
        bus: EventBus,
        live: LiveJobs,
        settings: JobSettings,
    ) -> None:
        self.store, self.engines, self.bus, self.live = store, engines, bus, live
        self.settings = settings
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._control = JobControl()
        self._finished: dict[str, threading.Event] = {}
        self._thread = threading.Thread(target=self._loop, name="subtitle-studio-http-jobs")
        self._thread.start()

    def submit(self, path: Path) -> str:
        """Queue a job for a local media file; its id. ``StudioError`` when refused."""
        if not path.is_file():
            raise MediaError(f"There is no file {path}.")
        if not is_media_name(path):
            raise MediaError(f"{path.name} is not a video or audio file this application reads.")
        target = free_output_path(path, self.settings.output_format, None)
        record = self.store.create(path, self.settings, output_path=target)
        self._finished[record.id] = threading.Event()
        self._queue.put(record.id)
        log.info("queued job %s for %s over HTTP", record.id, path)
        return record.id

    def wait(self, job_id: str, timeout: float | None = None) -> bool:
        """Wait until the job has run (done, failed, paused or canceled)."""
        event = self._finished.get(job_id)
        return event is not None and event.wait(timeout)

    def stop(self) -> None:
        """Pause the running job at once (it resumes later) and end the thread."""
        self._control.pause_now()
        self._queue.put(None)
        self._thread.join()

    def _loop(self) -> None:
        while (job_id := self._queue.get()) is not None:
            if self._control.pause_requested:
                continue  # stopping: leave the rest queued on disk
            try:
                Pipeline(
                    self.store,
                    job_id,
                    engines=self.engines,
                    bus=self.bus,
                    control=self._control,
                    live=self.live,
                ).run()
            except StudioError as exc:
                log.error("job %s could not run: %s", job_id, exc.message)
            except Exception:  # a bug must not end the queue
                log.exception("job %s failed unexpectedly", job_id)
            finally:
                self._finished[job_id].set()
