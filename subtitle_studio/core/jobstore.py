"""Jobs on disk (SPEC §3): one folder per job under ``<home>/jobs/<job_id>/``.

A job folder appears only together with its ``job.json``: it is built under a
hidden temporary name and renamed into place, so a crash never leaves a folder
that looks like a job but cannot be read. ``job.json`` is rewritten atomically
whenever the job's status, phase or percentage changes.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import re
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from subtitle_studio.core import paths
from subtitle_studio.core.atomic import fsync_dir, json_problem, read_json, write_json_atomic
from subtitle_studio.core.locks import FileLock
from subtitle_studio.core.phases import UNFINISHED, JobStatus
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.errors import CheckpointError, JobError, StorageError

log = logging.getLogger(__name__)

JOB_VERSION = 1
JOB_FILE = "job.json"
LOCK_FILE = ".lock"
_JOB_ID = re.compile(r"[0-9a-f]{32}")


def now_iso() -> str:
    # Microseconds: jobs created back to back (a dropped folder) must still sort in order.
    return datetime.now(UTC).isoformat(timespec="microseconds")


def is_job_id(text: str) -> bool:
    return bool(_JOB_ID.fullmatch(text))


@dataclass
class JobRecord:
    """What ``job.json`` holds. Mutable: the runner updates it and saves it."""

    id: str
    source: str
    settings: JobSettings
    status: JobStatus = JobStatus.QUEUED
    phase: str | None = None
    percent: float = 0.0
    output_path: str | None = None
    language: str | None = None
    media: dict[str, Any] | None = None
    #: ``StudioError.to_dict()``: code, English message and, since the window translates
    #: them, template and params (absent in records saved before).
    error: dict[str, Any] | None = None
    #: Set for an opened subtitle file (an editing document, ``core/subtitle_doc.py``):
    #: its path, format, encoding, BOM, line ends, problems and media beside it.
    document: dict[str, Any] | None = None
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)
    version: int = JOB_VERSION

    @property
    def name(self) -> str:
        return Path(self.source).name

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "id": self.id,
            "source": self.source,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "status": str(self.status),
            "phase": self.phase,
            "percent": self.percent,
            "settings": self.settings.to_dict(),
            "output_path": self.output_path,
            "language": self.language,
            "media": self.media,
            "error": self.error,
            "document": self.document,
        }

    @classmethod
    def from_dict(cls, data: Any, where: Path) -> JobRecord:
        if not isinstance(data, dict):
            raise CheckpointError(
                "{where} is not a job file; the job cannot be opened.", where=where
            )
        version = data.get("version")
        if not isinstance(version, int):
            raise CheckpointError("{where} has no version; the job file is corrupt.", where=where)
        if version > JOB_VERSION:
            raise CheckpointError(
                "{where} was written by a newer Subtitle Studio (job format {version}); "
                "update the application to open this job.",
                where=where,
                version=version,
            )
        try:
            percent = float(data.get("percent") or 0.0)
            if not math.isfinite(percent):
                raise ValueError(f"percent is {percent}")
            return cls(
                id=str(data["id"]),
                source=str(data["source"]),
                settings=JobSettings.from_dict(data["settings"]),
                status=JobStatus(data["status"]),
                phase=_optional(data, "phase", str),
                percent=percent,
                output_path=_optional(data, "output_path", str),
                language=_optional(data, "language", str),
                media=_optional(data, "media", dict),
                error=_optional(data, "error", dict),
                document=_optional(data, "document", dict),
                created_at=str(data.get("created_at") or now_iso()),
                updated_at=str(data.get("updated_at") or now_iso()),
                version=version,
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise CheckpointError(
                "{where} is corrupt ({error}); the job cannot be opened.", where=where, error=exc
            ) from exc
        except Exception as exc:  # SettingsError from saved settings
            raise CheckpointError(
                "{where} holds invalid settings: {error}", where=where, error=exc
            ) from exc


def _optional(data: dict[str, Any], key: str, kind: type) -> Any:
    """A field that may be missing or null, else of ``kind`` (the window relies on it)."""
    value = data.get(key)
    if value is not None and not isinstance(value, kind):
        raise TypeError(f"{key} should be a {kind.__name__}, not {type(value).__name__}")
    return value


class JobStore:
    """All jobs under one home folder. Cheap to create; holds no open files."""

    def __init__(self, home: Path | None = None) -> None:
        self.home = home or paths.home_dir()
        self.root = paths.jobs_dir(self.home)

    # -- paths -----------------------------------------------------------------
    def folder(self, job_id: str) -> Path:
        if not is_job_id(job_id):
            raise JobError(
                "'{job_id}' is not a job id (32 lowercase hexadecimal characters).", job_id=job_id
            )
        return self.root / job_id

    def lock_for(self, job_id: str) -> FileLock:
        return FileLock(self.folder(job_id) / LOCK_FILE)

    # -- create / read / write -------------------------------------------------
    def create(
        self, source: Path, settings: JobSettings, *, output_path: Path | None = None
    ) -> JobRecord:
        """Create a queued job; its folder appears atomically with ``job.json``."""
        job_id = uuid.uuid4().hex
        record = JobRecord(
            id=job_id,
            source=str(source),
            settings=settings,
            output_path=str(output_path) if output_path else None,
        )
        staging = self.root / f".new-{job_id}"
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            staging.mkdir()
            write_json_atomic(staging / JOB_FILE, record.to_dict())
            os.replace(staging, self.root / job_id)
            fsync_dir(self.root)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise StorageError.from_oserror(exc, self.root) from exc
        except StorageError:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        log.info("created job %s for %s", job_id, source)
        return record

    def save(self, record: JobRecord) -> None:
        record.updated_at = now_iso()
        write_json_atomic(self.folder(record.id) / JOB_FILE, record.to_dict())

    def get(self, job_id: str) -> JobRecord:
        """Load a job; a job found ``running`` with no live process is ``interrupted``."""
        folder = self.folder(job_id)
        where = folder / JOB_FILE
        try:
            data = read_json(where)
        except FileNotFoundError as exc:
            raise JobError("There is no job {job_id}.", job_id=job_id) from exc
        except OSError as exc:
            raise StorageError(
                "Could not read {where}: {reason}.", where=where, reason=exc.strerror or exc
            ) from exc
        except ValueError as exc:
            raise CheckpointError(
                "{where} is corrupt ({error}); the job cannot be opened.",
                where=where,
                error=json_problem(exc),
            ) from exc
        record = JobRecord.from_dict(data, where)
        if record.id != job_id:
            raise CheckpointError(
                "{where} names another job ({other_id}); it is corrupt.",
                where=where,
                other_id=f"{record.id[:40]!r}",
            )
        if record.status == JobStatus.RUNNING and not self.lock_for(job_id).held_elsewhere():
            record.status = JobStatus.INTERRUPTED
            with contextlib.suppress(StorageError):
                self._mark_interrupted(record)
        return record

    def _mark_interrupted(self, record: JobRecord) -> None:
        """Persist ``interrupted`` if we can take the lock (so no live runner is overwritten)."""
        lock = self.lock_for(record.id)
        try:
            if not lock.try_acquire():
                return
        except OSError:
            return
        try:
            self.save(record)
        finally:
            lock.release()

    def ids(self) -> list[str]:
        try:
            entries = list(self.root.iterdir())
        except FileNotFoundError:
            return []
        return sorted(e.name for e in entries if is_job_id(e.name) and e.is_dir())

    def scan(self) -> tuple[list[JobRecord], list[tuple[str, str]]]:
        """Every readable job (oldest first) and every unreadable one with the reason
        (a ``Message``, which the window shows translated)."""
        records: list[JobRecord] = []
        broken: list[tuple[str, str]] = []
        for job_id in self.ids():
            try:
                records.append(self.get(job_id))
            except (JobError, CheckpointError, StorageError) as exc:
                log.warning("cannot read job %s: %s", job_id, exc)
                broken.append((job_id, exc.text))
        records.sort(key=lambda r: r.created_at)
        return records, broken

    def list(self) -> list[JobRecord]:
        """Every readable job, oldest first; unreadable ones are logged and left alone."""
        return self.scan()[0]

    def find_unfinished(self, source: Path) -> JobRecord | None:
        """The newest unfinished job for the same file, to offer resuming it."""
        wanted = os.path.normcase(os.path.abspath(source))
        matches = [
            r
            for r in self.list()
            if r.status in UNFINISHED and os.path.normcase(os.path.abspath(r.source)) == wanted
        ]
        return matches[-1] if matches else None

    def delete(self, job_id: str) -> None:
        folder = self.folder(job_id)
        lock = self.lock_for(job_id)
        if lock.held_elsewhere():
            raise JobError(
                "Job {job_id} is running; pause or cancel it before deleting it.", job_id=job_id
            )
        trash = self.root / f".del-{job_id}"
        try:
            os.replace(folder, trash)
        except FileNotFoundError as exc:
            raise JobError("There is no job {job_id}.", job_id=job_id) from exc
        except OSError as exc:
            raise StorageError.from_oserror(exc, folder) from exc
        shutil.rmtree(trash, ignore_errors=True)

    def clean_staging(self) -> None:
        """Remove half-created or half-deleted job folders left by a crash."""
        with contextlib.suppress(FileNotFoundError):
            for entry in self.root.iterdir():
                if entry.name.startswith((".new-", ".del-")):
                    shutil.rmtree(entry, ignore_errors=True)
