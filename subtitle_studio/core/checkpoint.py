"""``checkpoint.json``: the chunk plan and every transcribed chunk (SPEC §3).

Written atomically after the split and after every chunk, so a crash loses at
most the chunk being transcribed. Loading validates the structure strictly: a
corrupt checkpoint must fail the job with a reason, never resume into garbage.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from subtitle_studio.core.atomic import json_problem, read_json, write_text_atomic
from subtitle_studio.errors import CheckpointError

CHECKPOINT_VERSION = 1
CHECKPOINT_FILE = "checkpoint.json"


@dataclass(frozen=True)
class ChunkSpan:
    """A time range over the stored audio, cut at pauses."""

    index: int
    start_ms: int
    end_ms: int

    @property
    def start(self) -> float:
        return self.start_ms / 1000.0

    @property
    def end(self) -> float:
        return self.end_ms / 1000.0

    def to_dict(self) -> dict[str, int]:
        return {"index": self.index, "start_ms": self.start_ms, "end_ms": self.end_ms}


@dataclass(frozen=True)
class ChunkResult:
    """One transcribed chunk: its rows (global times) and the model that produced them."""

    segment_index: int
    language: str
    model: str
    segments: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "segment_index": self.segment_index,
            "language": self.language,
            "model": self.model,
            "segments": self.segments,
        }


@dataclass
class Checkpoint:
    job_id: str
    segments: list[ChunkSpan]
    original_settings: dict[str, Any]
    phase: str = "transcribe"
    results: dict[int, ChunkResult] = field(default_factory=dict)
    version: int = CHECKPOINT_VERSION
    #: Each result's JSON text, made once: a result never changes after it is stored
    #: (a redone chunk is a new object), so a save only encodes the new chunk.
    _encoded: dict[int, tuple[ChunkResult, str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def total_segments(self) -> int:
        return len(self.segments)

    @property
    def processed_indices(self) -> list[int]:
        return sorted(self.results)

    @property
    def complete(self) -> bool:
        return len(self.results) == len(self.segments)

    def pending(self) -> list[ChunkSpan]:
        return [s for s in self.segments if s.index not in self.results]

    def language(self) -> str | None:
        """The language fixed by the first transcribed chunk, if any."""
        for index in self.processed_indices:
            return self.results[index].language
        return None

    def rows(self) -> list[dict[str, Any]]:
        """All unaligned rows in time order (chunk order, then row order)."""
        out: list[dict[str, Any]] = []
        for index in self.processed_indices:
            out.extend(self.results[index].segments)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "job_id": self.job_id,
            "phase": self.phase,
            "total_segments": self.total_segments,
            "processed_indices": self.processed_indices,
            "segments": [s.to_dict() for s in self.segments],
            "unaligned_results": [self.results[i].to_dict() for i in self.processed_indices],
            "original_settings": self.original_settings,
        }

    def encode(self) -> str:
        """The file's text, one chunk per line; equal to ``json.dumps(self.to_dict())``
        as data.

        A save after every chunk must not cost more as the job grows: encoding the whole
        transcript each time made hour-long jobs spend tens of milliseconds per chunk
        holding the interpreter lock, long enough to make the window stutter. Only the
        new chunk is encoded here; the rest is joined from text made earlier.
        """
        results = ",\n".join(self._encoded_result(i) for i in self.processed_indices)
        fields = {
            "version": _dumps(self.version),
            "job_id": _dumps(self.job_id),
            "phase": _dumps(self.phase),
            "total_segments": _dumps(self.total_segments),
            "processed_indices": _dumps(self.processed_indices),
            "segments": _dumps([s.to_dict() for s in self.segments]),
            "unaligned_results": f"[\n{results}\n]" if results else "[]",
            "original_settings": _dumps(self.original_settings),
        }
        return "{" + ",\n".join(f"{_dumps(k)}: {v}" for k, v in fields.items()) + "}\n"

    def _encoded_result(self, index: int) -> str:
        result = self.results[index]
        cached = self._encoded.get(index)
        if cached is None or cached[0] is not result:
            cached = self._encoded[index] = (result, _dumps(result.to_dict()))
        return cached[1]

    @classmethod
    def from_dict(cls, data: Any, where: Path, job_id: str) -> Checkpoint:
        def bad(reason: str) -> CheckpointError:
            return CheckpointError(
                "The checkpoint {where} is corrupt ({reason}); the job cannot resume from it.",
                where=where,
                reason=reason,
            )

        if not isinstance(data, dict):
            raise bad("not a JSON object")
        version = data.get("version")
        if not isinstance(version, int):
            raise bad("no version")
        if version > CHECKPOINT_VERSION:
            raise CheckpointError(
                "The checkpoint {where} was written by a newer Subtitle Studio "
                "(format {version}); update the application to resume this job.",
                where=where,
                version=version,
            )
        if data.get("job_id") != job_id:
            raise bad("it belongs to another job")
        try:
            spans = [
                ChunkSpan(int(s["index"]), int(s["start_ms"]), int(s["end_ms"]))
                for s in data["segments"]
            ]
            results: dict[int, ChunkResult] = {}
            for item in data["unaligned_results"]:
                rows = item["segments"]
                if not isinstance(rows, list) or not all(_valid_row(r) for r in rows):
                    raise bad(f"chunk {item.get('segment_index')} has malformed rows")
                result = ChunkResult(
                    segment_index=int(item["segment_index"]),
                    language=str(item["language"]),
                    model=str(item.get("model", "unknown")),
                    segments=rows,
                )
                results[result.segment_index] = result
            settings = data["original_settings"]
            total = int(data["total_segments"])
            processed = sorted(int(i) for i in data["processed_indices"])
        except CheckpointError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise bad(f"{type(exc).__name__}: {exc}") from exc
        if [s.index for s in spans] != list(range(len(spans))) or total != len(spans):
            raise bad("the chunk list is inconsistent")
        if any(s.start_ms < 0 or s.start_ms >= s.end_ms for s in spans):
            raise bad("a chunk ends before it starts")
        if any(a.end_ms > b.start_ms for a, b in zip(spans, spans[1:])):
            raise bad("the chunks overlap")
        if processed != sorted(results) or any(not 0 <= i < total for i in processed):
            raise bad("processed chunks do not match the saved results")
        if not isinstance(settings, dict):
            raise bad("original settings missing")
        return cls(
            job_id=job_id,
            segments=spans,
            original_settings=settings,
            phase=str(data.get("phase", "transcribe")),
            results=results,
            version=version,
        )


def _valid_row(row: Any) -> bool:
    return (
        isinstance(row, dict)
        and isinstance(row.get("id"), str)
        and isinstance(row.get("text"), str)
        and isinstance(row.get("start"), (int, float))
        and isinstance(row.get("end"), (int, float))
    )


def checkpoint_path(folder: Path) -> Path:
    return folder / CHECKPOINT_FILE


def load_checkpoint(folder: Path, job_id: str) -> Checkpoint | None:
    """The saved checkpoint, ``None`` if there is none yet, ``CheckpointError`` if corrupt."""
    where = checkpoint_path(folder)
    try:
        data = read_json(where)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CheckpointError(
            "Could not read {where}: {reason}.", where=where, reason=exc.strerror or exc
        ) from exc
    except ValueError as exc:
        raise CheckpointError(
            "The checkpoint {where} is corrupt ({error}); the job cannot resume from it.",
            where=where,
            error=json_problem(exc),
        ) from exc
    return Checkpoint.from_dict(data, where, job_id)


def save_checkpoint(folder: Path, checkpoint: Checkpoint) -> None:
    write_text_atomic(checkpoint_path(folder), checkpoint.encode())


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)
