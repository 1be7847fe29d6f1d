"""Downloading, repairing, importing and deleting models, with progress on the bus.

The manager owns the rules; the network is behind a small :class:`Fetcher` so the
rules can be exercised against a local server. A download:

1. takes the model's lock (one download per model at a time, across processes too);
2. reuses the saved plan, which pins the revision, so a resumed download asks for
   the same bytes; without one it asks the fetcher for the file list;
3. keeps each finished file whose size and hash match, so Repair fetches only what
   is missing or damaged;
4. appends to ``<name>.part`` from where it stopped, checks size and hash, renames;
5. writes the manifest last: only then is the model ``ready``.

Events on the ``models`` channel: ``progress`` ``{model_id, percent, downloaded_bytes,
total_bytes, bytes_per_second}``; ``signal`` ``model_ready`` or ``model_incomplete``
(canceled, with what was kept); ``error`` when a download fails.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, Protocol

from subtitle_studio.core import paths
from subtitle_studio.core.bus import MODELS_CHANNEL, EventBus
from subtitle_studio.core.locks import FileLock
from subtitle_studio.core.model_catalog import CatalogEntry, find_entry
from subtitle_studio.core.model_store import (
    DOWNLOADING,
    DownloadPlan,
    ModelStatus,
    ModelStore,
    RemoteFile,
    hash_matches,
    human_bytes,
)
from subtitle_studio.errors import Cancelled, Message, ModelError, StorageError, StudioError

log = logging.getLogger(__name__)

#: At most this many ``progress`` events a second per download (the last one always goes).
PROGRESS_INTERVAL_S = 0.1
_SPEED_WINDOW_S = 3.0


class Fetcher(Protocol):
    """The network side of a download (``engines.model_download.HubFetcher``)."""

    def plan(self, entry: CatalogEntry) -> DownloadPlan:
        """The files to fetch for ``entry``, with sizes, hashes and pinned URLs."""
        ...

    def fetch(
        self,
        remote: RemoteFile,
        stream: BinaryIO,
        resume_size: int,
        on_bytes: Callable[[int], None],
    ) -> None:
        """Append ``remote``'s bytes from ``resume_size`` on to ``stream``.

        ``on_bytes`` is called with each piece's length and may raise ``Cancelled``.
        """
        ...


@dataclass
class DownloadProgress:
    model_id: str
    downloaded_bytes: int = 0
    total_bytes: int = 0
    bytes_per_second: float = 0.0
    file: str = ""

    @property
    def percent(self) -> float:
        if self.total_bytes <= 0:
            return 0.0
        return round(min(100.0, 100.0 * self.downloaded_bytes / self.total_bytes), 1)

    def to_event(self) -> dict[str, object]:
        return {
            "model_id": self.model_id,
            "percent": self.percent,
            "downloaded_bytes": self.downloaded_bytes,
            "total_bytes": self.total_bytes,
            "bytes_per_second": round(self.bytes_per_second),
            "file": self.file,
        }


@dataclass
class Download:
    """One running download; ``wait()`` for its outcome."""

    entry: CatalogEntry
    progress: DownloadProgress
    cancel_event: threading.Event = field(default_factory=threading.Event)
    done_event: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    status: ModelStatus | None = None
    error: StudioError | None = None
    canceled: bool = False
    last_emit: float = 0.0

    def cancel(self) -> None:
        self.cancel_event.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self.done_event.wait(timeout)


class ModelManager:
    """Every model operation the window and the CLI offer, on one home folder."""

    def __init__(
        self,
        catalog: tuple[CatalogEntry, ...],
        fetcher_factory: Callable[[], Fetcher],
        *,
        bus: EventBus | None = None,
        home: Path | None = None,
        extra_status: Callable[[CatalogEntry, ModelStatus], ModelStatus] | None = None,
    ) -> None:
        """``extra_status`` may turn a ``missing`` model ready when it exists elsewhere
        (the bundled tiny.en, another program's Hugging Face cache)."""
        self.catalog = catalog
        self.store = ModelStore(home)
        self._home = home
        self._fetcher_factory = fetcher_factory
        self._bus = bus
        self._extra_status = extra_status
        self._lock = threading.Lock()
        self._active: dict[str, Download] = {}

    # ------------------------------------------------------------ lookups

    def entry(self, model_id: str) -> CatalogEntry:
        found = find_entry(self.catalog, model_id)
        if found is None:
            whisper = ", ".join(e.model_id for e in self.catalog if e.kind == "whisper")
            raise ModelError(
                "'{model_id}' is not a known model. Transcription models: {whisper}; "
                "alignment models are named align-<language>, e.g. align-fr.",
                model_id=model_id,
                whisper=whisper,
            )
        return found

    def status(self, model_id: str, *, deep: bool = False) -> ModelStatus:
        entry = self.entry(model_id)
        with self._lock:
            active = self._active.get(model_id)
        if active is not None:
            p = active.progress
            return ModelStatus(
                model_id,
                DOWNLOADING,
                Message(
                    "{percent}% of {total}, {speed}/s",
                    percent=f"{p.percent:.0f}",
                    total=human_bytes(p.total_bytes or None),
                    speed=human_bytes(int(p.bytes_per_second)),
                ),
                self.store.folder(entry),
                "home",
                p.downloaded_bytes,
                p.total_bytes or None,
            )
        status = self.store.inspect(entry, deep=deep)
        if self._extra_status is not None:
            status = self._extra_status(entry, status)
        if status.state != DOWNLOADING and self._downloading_elsewhere(entry):
            status = replace(
                status, state=DOWNLOADING, detail=Message("downloading in another window")
            )
        return status

    def statuses(self) -> list[ModelStatus]:
        return [self.status(e.model_id) for e in self.catalog]

    def active(self, model_id: str) -> Download | None:
        with self._lock:
            return self._active.get(model_id)

    # ------------------------------------------------------------ operations

    def download(self, model_id: str) -> Download:
        """Start (or join) the download of ``model_id`` in a background thread.

        Also the Repair action: files already present and intact are kept.
        """
        entry = self.entry(model_id)
        with self._lock:
            running = self._active.get(model_id)
            if running is not None:
                return running
            lock = self._lock_file(entry)
            try:
                lock.path.parent.mkdir(parents=True, exist_ok=True)
                taken = lock.try_acquire()
            except OSError as exc:
                raise StorageError.from_oserror(exc, lock.path) from exc
            if not taken:
                raise ModelError(
                    "{model_id} is already being downloaded by another Subtitle Studio "
                    "window or command. Wait for it to finish.",
                    model_id=model_id,
                )
            job = Download(entry, DownloadProgress(model_id))
            job.thread = threading.Thread(
                target=self._run, args=(job, lock), name=f"model-download-{model_id}", daemon=True
            )
            self._active[model_id] = job
        job.thread.start()
        return job

    def cancel(self, model_id: str) -> bool:
        job = self.active(model_id)
        if job is None:
            return False
        job.cancel()
        return True

    def verify(self, model_id: str) -> ModelStatus:
        """Hash every file against the record made at download or import (offline).

        The home folder's copy is judged on its own: a damaged download of tiny.en is
        reported even though the bundled copy keeps tiny.en usable.
        """
        entry = self.entry(model_id)
        if self.active(model_id) is None and self.store.folder(entry).exists():
            return self.store.verify(entry)
        return self.status(model_id, deep=True)

    def import_folder(self, model_id: str, source: Path) -> ModelStatus:
        entry = self.entry(model_id)
        self._refuse_while_downloading(entry, deleting=False)
        status = self.store.import_folder(entry, source)
        self._publish(
            "signal",
            {
                "code": "model_ready",
                "model_id": model_id,
                "message": f"{model_id} imported from {source}",
            },
        )
        return status

    def delete(self, model_id: str) -> None:
        entry = self.entry(model_id)
        self._refuse_while_downloading(entry, deleting=True)
        self.store.delete(entry)
        log.info("deleted model %s", model_id)

    def close(self, timeout: float = 10.0) -> None:
        """Cancel every download and wait for the threads (partial files are kept)."""
        with self._lock:
            jobs = list(self._active.values())
        for job in jobs:
            job.cancel()
        for job in jobs:
            if job.thread is not None:
                job.thread.join(timeout)

    # ------------------------------------------------------------ the download

    def _run(self, job: Download, lock: FileLock) -> None:
        """Download, then announce the outcome once the model is no longer marked as
        downloading, so a listener that asks for the status hears the new one."""
        entry = job.entry
        model_id = entry.model_id
        event: tuple[str, dict[str, object]]
        try:
            job.status = self._download(job)
            event = (
                "signal",
                {"code": "model_ready", "model_id": model_id, "message": f"{model_id} is ready"},
            )
        except Cancelled:
            job.canceled = True
            job.status = self.store.inspect(entry)
            kept = human_bytes(job.status.present_bytes)
            event = (
                "signal",
                {
                    "code": "model_incomplete",
                    "model_id": model_id,
                    "kept": kept,  # for the window to say it again in its language
                    "message": f"Download of {model_id} canceled; {kept} kept. "
                    "Download again to resume.",
                },
            )
        except StudioError as exc:
            event = self._fail(job, exc)
        except OSError as exc:
            event = self._fail(job, StorageError.from_oserror(exc, self.store.folder(entry)))
        except Exception as exc:  # noqa: BLE001 - any other failure is this download's
            log.exception("download of %s failed", model_id)
            event = self._fail(
                job,
                ModelError("Downloading {model_id} failed: {error}.", model_id=model_id, error=exc),
            )
        finally:
            with self._lock:
                self._active.pop(model_id, None)
            lock.release()
        try:
            self._publish(*event)
        finally:
            job.done_event.set()

    def _fail(self, job: Download, exc: StudioError) -> tuple[str, dict[str, object]]:
        job.error = exc
        try:
            self.store.record_failure(job.entry, exc)
        except StudioError:
            log.warning("could not record the failure of %s", job.entry.model_id)
        job.status = self.store.inspect(job.entry)
        return ("error", {**exc.to_dict(), "model_id": job.entry.model_id})

    def _download(self, job: Download) -> ModelStatus:
        entry = job.entry
        store = self.store
        folder = store.folder(entry)
        check = self._checker(job)
        self._emit(job, force=True)
        plan = store.load_plan(entry)
        if plan is None:
            plan = self._fetcher_factory().plan(entry)
        check()
        store.save_plan(entry, plan)  # also clears an earlier failure
        job.progress.total_bytes = plan.total_bytes
        fetcher = self._fetcher_factory()
        pending: list[RemoteFile] = []
        for remote in plan.files:
            done = folder / remote.name
            if done.is_file() and done.stat().st_size == remote.size:
                if hash_matches(done, remote.sha256, remote.git_sha1):
                    job.progress.downloaded_bytes += remote.size
                    continue
                log.warning(
                    "%s of %s is damaged; downloading it again", remote.name, entry.model_id
                )
            if done.exists():
                done.unlink()
            pending.append(remote)
            part = store.part_path(entry, remote.name)
            if part.is_file():
                if part.stat().st_size > remote.size:
                    part.unlink()
                else:
                    job.progress.downloaded_bytes += part.stat().st_size
        self._emit(job, force=True)
        for remote in pending:
            self._fetch_one(job, fetcher, remote, check)
        status = store.complete_download(entry, plan)
        if status.state != "ready":
            raise ModelError(
                "{model_id} was downloaded but is not usable: {detail}",
                model_id=entry.model_id,
                detail=status.detail,
            )
        job.progress.downloaded_bytes = plan.total_bytes
        self._emit(job, force=True)
        return status

    def _fetch_one(
        self, job: Download, fetcher: Fetcher, remote: RemoteFile, check: Callable[[], None]
    ) -> None:
        store = self.store
        entry = job.entry
        part = store.part_path(entry, remote.name)
        part.parent.mkdir(parents=True, exist_ok=True)
        job.progress.file = remote.name
        speed = _Speed()

        def on_bytes(count: int) -> None:
            job.progress.downloaded_bytes += count
            job.progress.bytes_per_second = speed.add(count)
            self._emit(job)
            check()

        with part.open("ab") as stream:
            resume = stream.tell()
            if resume:
                log.info("resuming %s of %s at %d bytes", remote.name, entry.model_id, resume)
            try:
                fetcher.fetch(remote, stream, resume, on_bytes)
            finally:
                stream.flush()
                os.fsync(stream.fileno())
        size = part.stat().st_size
        if size != remote.size:
            raise ModelError(
                "{name} of {model_id} arrived with {size} bytes instead of "
                "{expected}. Download again to resume.",
                name=remote.name,
                model_id=entry.model_id,
                size=size,
                expected=remote.size,
            )
        check()
        if not hash_matches(part, remote.sha256, remote.git_sha1):
            part.unlink()
            raise ModelError(
                "{name} of {model_id} arrived damaged (its checksum differs "
                "from the server's); a proxy or mirror may have altered it. Download again.",
                name=remote.name,
                model_id=entry.model_id,
            )
        target = store.folder(entry) / remote.name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(part, target)

    def _checker(self, job: Download) -> Callable[[], None]:
        def check() -> None:
            if job.cancel_event.is_set():
                raise Cancelled(f"download of {job.entry.model_id} canceled")

        return check

    def _emit(self, job: Download, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - job.last_emit < PROGRESS_INTERVAL_S:
            return
        job.last_emit = now
        self._publish("progress", job.progress.to_event())

    def _publish(self, name: str, data: dict[str, object]) -> None:
        if self._bus is not None:
            self._bus.publish(MODELS_CHANNEL, name, data)

    def _lock_file(self, entry: CatalogEntry) -> FileLock:
        kind, name = entry.folder_parts
        return FileLock(paths.models_dir(self._home) / ".locks" / f"{kind}-{name}.lock")

    def _downloading_elsewhere(self, entry: CatalogEntry) -> bool:
        """Whether another window or command holds this model's download lock.

        Probing a lock creates its file, so a model never downloaded (no lock file) is
        answered without touching the disk: listing 53 models must not write 53 files.
        """
        lock = self._lock_file(entry)
        return lock.path.exists() and lock.held_elsewhere()

    def _refuse_while_downloading(self, entry: CatalogEntry, *, deleting: bool) -> None:
        if self.active(entry.model_id) is None and not self._downloading_elsewhere(entry):
            return
        if deleting:
            raise ModelError(
                "{model_id} is being downloaded; cancel the download before you delete it.",
                model_id=entry.model_id,
            )
        raise ModelError(
            "{model_id} is being downloaded; cancel the download before you import over it.",
            model_id=entry.model_id,
        )


class _Speed:
    """Bytes per second over the last few seconds."""

    def __init__(self) -> None:
        self._samples: list[tuple[float, int]] = []

    def add(self, count: int) -> float:
        now = time.monotonic()
        self._samples.append((now, count))
        while self._samples and now - self._samples[0][0] > _SPEED_WINDOW_S:
            self._samples.pop(0)
        span = now - self._samples[0][0]
        if span <= 0.05:
            return 0.0
        return sum(c for _, c in self._samples[1:]) / span
