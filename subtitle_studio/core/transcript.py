"""What is the current text of job X? (SPEC §6)

One answer for the window, the HTTP endpoint and the command line, from the best
source available: the running job's memory, then ``aligned.json``, then
``checkpoint.json``, else nothing. Events carry only small payloads; anyone who
connects late or reconnects pulls the full text from here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from subtitle_studio.core.alignment import AlignedDoc
from subtitle_studio.core.bus import JOB_CHANNEL_PREFIX
from subtitle_studio.core.checkpoint import load_checkpoint
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.errors import CheckpointError, StudioError


def _public(row: dict[str, Any]) -> dict[str, Any]:
    """A row as readers get it; aligned rows also name the unaligned row they came from,
    which the merge needs to apply edits made before alignment."""
    out = {"id": row["id"], "start": row["start"], "end": row["end"], "text": row["text"]}
    if "source_id" in row:
        out["source_id"] = row["source_id"]
    return out


class LiveJob:
    """The in-memory transcript of a running job, written by the pipeline thread and
    read from any other thread (hence the lock and the copies)."""

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        self._lock = threading.Lock()
        self._chunks: dict[int, list[dict[str, Any]]] = {}
        self._aligned: list[dict[str, Any]] | None = None
        self._words: list[dict[str, Any]] = []
        self._language: str | None = None
        self._progress: dict[str, Any] = {}

    def add_chunk(self, index: int, language: str, rows: list[dict[str, Any]]) -> None:
        with self._lock:
            self._chunks[index] = [_public(r) for r in rows]  # copies: the caller keeps its rows
            self._language = language

    def set_aligned(
        self, language: str, rows: list[dict[str, Any]], words: list[dict[str, Any]]
    ) -> None:
        with self._lock:
            self._aligned = [_public(r) for r in rows]
            self._words = [dict(w) for w in words]
            self._language = language

    def set_progress(self, phase: str, percent: float) -> None:
        with self._lock:
            self._progress = {"phase": phase, "percent": percent}

    def snapshot(self, *, words: bool = True) -> dict[str, Any]:
        """A copy of what the job has so far; ``words=False`` leaves out the word list (an
        hour holds some 10,000 words: the window, merging rows, has no use for them)."""
        with self._lock:
            out: dict[str, Any] = {"language": self._language, "progress": dict(self._progress)}
            if self._aligned is not None:
                out["segments"] = [dict(r) for r in self._aligned]
                if words:
                    out["word_segments"] = [dict(w) for w in self._words]
                out["aligned"] = True
            else:
                out["segments"] = [dict(r) for i in sorted(self._chunks) for r in self._chunks[i]]
                out["aligned"] = False
            return out


class LiveJobs:
    """The registry of running jobs in this process (passed in, never global)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[str, LiveJob] = {}

    def register(self, job_id: str) -> LiveJob:
        with self._lock:
            live = self._jobs[job_id] = LiveJob(job_id)
            return live

    def unregister(self, job_id: str) -> None:
        with self._lock:
            self._jobs.pop(job_id, None)

    def get(self, job_id: str) -> LiveJob | None:
        with self._lock:
            return self._jobs.get(job_id)


def current_transcript(
    store: JobStore, job_id: str, live: LiveJobs | None = None, *, words: bool = True
) -> dict[str, Any]:
    """``{job_id, source, aligned, language, segments, word_segments?, progress}``;
    ``source`` is ``memory``, ``aligned``, ``checkpoint`` or ``none``; ``aligned`` says
    whether the segments are aligned ones. ``word_segments`` come with aligned segments
    unless ``words`` is false. Raises ``JobError`` for an unknown job."""
    record = store.get(job_id)
    progress = {"status": str(record.status), "phase": record.phase, "percent": record.percent}
    running = live.get(job_id) if live is not None else None
    if running is not None:
        snap = running.snapshot(words=words)
        result = {
            "job_id": job_id,
            "source": "memory",
            "aligned": snap["aligned"],
            "language": snap["language"] or record.language,
            "segments": snap["segments"],
            "progress": {**progress, **snap["progress"]},
        }
        if snap["aligned"] and words:
            result["word_segments"] = snap["word_segments"]
        return result

    folder = store.folder(job_id)
    try:
        aligned = AlignedDoc.load(folder, job_id)
    except CheckpointError:
        aligned = None
    if aligned is not None:
        result = {
            "job_id": job_id,
            "source": "aligned",
            "aligned": True,
            "language": aligned.language,
            "segments": [_public(r) for r in aligned.segments],
            "progress": progress,
        }
        if words:
            result["word_segments"] = aligned.word_segments
        return result
    try:
        checkpoint = load_checkpoint(folder, job_id)
    except CheckpointError:
        checkpoint = None
    if checkpoint is not None and checkpoint.results:
        return {
            "job_id": job_id,
            "source": "checkpoint",
            "aligned": False,
            "language": checkpoint.language(),
            "segments": [_public(r) for r in checkpoint.rows()],
            "progress": progress,
        }
    return {
        "job_id": job_id,
        "source": "none",
        "aligned": False,
        "language": record.language,
        "segments": [],
        "progress": progress,
    }


def snapshot_provider(
    store: JobStore, live: LiveJobs | None = None
) -> Callable[[str], dict[str, Any]]:
    """The bus's ``connected`` snapshot for a channel: ``{job_id, status, phase, percent}``
    of a job channel (live progress when the job runs here), ``{}`` for other channels."""

    def snapshot(channel: str) -> dict[str, Any]:
        if not channel.startswith(JOB_CHANNEL_PREFIX):
            return {}
        job_id = channel.removeprefix(JOB_CHANNEL_PREFIX)
        try:
            record = store.get(job_id)
        except StudioError:
            return {"job_id": job_id, "status": "unknown", "phase": None, "percent": 0.0}
        out = {
            "job_id": job_id,
            "status": str(record.status),
            "phase": record.phase,
            "percent": record.percent,
        }
        running = live.get(job_id) if live is not None else None
        if running is not None:
            out.update(running.snapshot()["progress"])
        return out

    return snapshot
