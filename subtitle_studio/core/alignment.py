"""The align phase's core: from aligned pieces to subtitle rows, and ``aligned.json``.

An aligner (whisperX, or the fallback that uses faster-whisper's own word times)
turns each unaligned row into one or more *pieces* with word times. Here every
piece is cut into rows that obey the line rules, each row's start and end are
snapped to the voice, and ids stay stable: a row keeps the id of the unaligned
row it came from; extra rows get the next free ``<segment_index>_<n>``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from subtitle_studio.core.atomic import json_problem, read_json, write_json_atomic
from subtitle_studio.core.speech import SpeechEdges
from subtitle_studio.core.subtitle_rules import (
    DEFAULT_RULES,
    LineRules,
    Word,
    cue_text,
    split_into_cues,
)
from subtitle_studio.errors import CheckpointError

ALIGNED_FILE = "aligned.json"
FALLBACK_ALIGNER = "faster-whisper-word-timestamps"
_SENTENCE_END = re.compile(r"[.!?。！？…]['\"”’)]*$")


@dataclass(frozen=True)
class Piece:
    """Part of one unaligned row with word times (a sentence, usually)."""

    source_id: str
    start: float
    end: float
    text: str
    words: list[dict[str, Any]] = field(default_factory=list)


def fallback_pieces(rows: Iterable[dict[str, Any]]) -> list[Piece]:
    """The fallback aligner: faster-whisper's word times, one piece per sentence.

    Each piece is tightened to its first and last word. A row without word times
    (word timestamps off) stays one piece with its own times.
    """
    pieces: list[Piece] = []
    for row in rows:
        words = [w for w in row.get("words") or [] if str(w.get("word", "")).strip()]
        if not words:
            pieces.append(Piece(row["id"], float(row["start"]), float(row["end"]), row["text"]))
            continue
        sentence: list[dict[str, Any]] = []
        for word in words:
            sentence.append(word)
            if _SENTENCE_END.search(str(word["word"]).strip()):
                pieces.append(_piece(row["id"], sentence))
                sentence = []
        if sentence:
            pieces.append(_piece(row["id"], sentence))
    return pieces


def _piece(source_id: str, words: list[dict[str, Any]]) -> Piece:
    as_words = [Word(str(w["word"]), float(w["start"]), float(w["end"])) for w in words]
    return Piece(
        source_id=source_id,
        start=as_words[0].start,
        end=max(w.end for w in as_words),
        text=cue_text(as_words),
        words=[{"word": w.text.strip(), "start": w.start, "end": w.end} for w in as_words],
    )


def _words_of(piece: Piece) -> list[Word]:
    if piece.words:
        return [
            Word(" " + str(w["word"]).strip(), float(w["start"]), float(w["end"]))
            for w in piece.words
        ]
    # No word times: spread the words evenly so long rows can still be cut.
    tokens = piece.text.split()
    if not tokens:
        return []
    step = (piece.end - piece.start) / len(tokens)
    return [
        Word(" " + tok, piece.start + i * step, piece.start + (i + 1) * step)
        for i, tok in enumerate(tokens)
    ]


def build_rows(
    pieces: Sequence[Piece],
    *,
    rules: LineRules = DEFAULT_RULES,
    edges: SpeechEdges | None = None,
) -> list[dict[str, Any]]:
    """Rows ready for the table and the subtitle file, in time order, with stable ids."""
    next_n: dict[int, int] = {}
    for piece in pieces:
        seg, n = _split_id(piece.source_id)
        next_n[seg] = max(next_n.get(seg, 0), n + 1)

    rows: list[dict[str, Any]] = []
    used: set[str] = set()
    for piece in pieces:
        words = _words_of(piece)
        groups = split_into_cues(words, rules) if words else []
        for group in groups:
            text = cue_text(group)
            if not text:
                continue
            if piece.source_id not in used:
                row_id = piece.source_id
            else:
                seg, _ = _split_id(piece.source_id)
                row_id = f"{seg}_{next_n[seg]}"
                next_n[seg] += 1
            used.add(row_id)
            rows.append(
                {
                    "id": row_id,
                    "start": round(group[0].start, 3),
                    "end": round(max(w.end for w in group), 3),
                    "text": text,
                    "source_id": piece.source_id,
                    "words": [
                        {"word": w.text.strip(), "start": round(w.start, 3), "end": round(w.end, 3)}
                        for w in group
                    ],
                }
            )
    rows.sort(key=lambda r: (r["start"], r["end"]))
    if edges is not None:
        snap_rows(rows, edges)
    return rows


def snap_rows(
    rows: list[dict[str, Any]], edges: SpeechEdges, *, only: Collection[str] | None = None
) -> None:
    """Move each row's start/end to the speech onset/offset near its first/last word
    (only the rows whose ids are in ``only``, when given)."""
    prev_end = 0.0
    for i, row in enumerate(rows):
        if only is not None and row["id"] not in only:
            prev_end = row["end"]
            continue
        next_start = rows[i + 1]["start"] if i + 1 < len(rows) else float("inf")
        start = edges.snap_start(row["start"], prev_end, row["end"])
        end = edges.snap_end(row["end"], start, next_start)
        if end > start:
            row["start"], row["end"] = start, end
        prev_end = row["end"]


def _split_id(row_id: str) -> tuple[int, int]:
    seg, _, n = row_id.partition("_")
    try:
        return int(seg), int(n)
    except ValueError:
        return -1, 0


@dataclass
class AlignedDoc:
    """``aligned.json``: the aligned rows of a whole job and which aligner made them."""

    job_id: str
    language: str
    aligner: str
    segments: list[dict[str, Any]]
    model: str | None = None
    aligned_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    @property
    def word_segments(self) -> list[dict[str, Any]]:
        return [w for row in self.segments for w in row.get("words", [])]

    def to_dict(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "language": self.language,
            "aligner": self.aligner,
            "model": self.model,
            "aligned_at": self.aligned_at,
            "segments": self.segments,
            "word_segments": self.word_segments,
        }

    def save(self, folder: Path) -> None:
        write_json_atomic(folder / ALIGNED_FILE, self.to_dict())

    @classmethod
    def load(cls, folder: Path, job_id: str) -> AlignedDoc | None:
        where = folder / ALIGNED_FILE
        try:
            data = read_json(where)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise CheckpointError(
                "{where} is corrupt ({error}); the job will be aligned again.",
                where=where,
                error=json_problem(exc),
            ) from exc
        try:
            if data["job_id"] != job_id:
                raise ValueError("it belongs to another job")
            segments = data["segments"]
            if not isinstance(segments, list) or not all(_valid_row(r) for r in segments):
                raise ValueError("malformed rows")
            return cls(
                job_id=job_id,
                language=str(data["language"]),
                aligner=str(data["aligner"]),
                segments=segments,
                model=data.get("model"),
                aligned_at=str(data.get("aligned_at", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CheckpointError(
                "{where} is corrupt ({error}); the job will be aligned again.",
                where=where,
                error=exc,
            ) from exc


def _valid_row(row: Any) -> bool:
    """An aligned row the table can show and merge: typed ids, text and times."""
    return (
        isinstance(row, dict)
        and isinstance(row.get("id"), str)
        and isinstance(row.get("text"), str)
        and isinstance(row.get("start"), int | float)
        and isinstance(row.get("end"), int | float)
        and isinstance(row.get("source_id", ""), str)
        and isinstance(row.get("words", []), list)
        and all(isinstance(w, dict) for w in row.get("words", []))
    )
