"""Align an opened subtitle file's own text to its media (issue 7, item 6).

An editing document (``core/subtitle_doc.py``) has text the user trusts and times that
may be off — shifted by a second and a half, say, because the file was made for
another cut of the video. "Align timings" runs the pipeline's align phase on that
text: :func:`prepare_alignment` writes a checkpoint whose chunks are all marked
transcribed with the document's rows, so the pipeline resumes straight into
extract (decode once) → align → srt and never transcribes; the existing runner
gives it progress, pause and resume.

Alignment models align a row within its own rough times, so they cannot repair a
file that is off by a second or more. :class:`DocumentAligner` first lets the
recogniser (faster-whisper, word times) listen to each chunk and matches the user's
words to the words heard, moving each row there; an installed alignment model then
refines the rows, and the pipeline's speech-edge snapping finishes them.
:func:`keep_rows` keeps one row per user row with the user's own text instead of
re-cutting lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher
from typing import Any

import numpy as np

from subtitle_studio.core.alignment import Piece, snap_rows
from subtitle_studio.core.checkpoint import (
    Checkpoint,
    ChunkResult,
    ChunkSpan,
    save_checkpoint,
)
from subtitle_studio.core.engine_api import Aligner, Check, Transcriber
from subtitle_studio.core.jobstore import JobRecord, JobStore
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.speech import SpeechEdges
from subtitle_studio.errors import JobError

#: Name recorded in ``aligned.json`` when no alignment model refined the matched rows.
MATCH_ALIGNER = "faster-whisper-word-match"
#: Rows are grouped into chunks of about this much time: the recogniser hears one
#: chunk at a time, so a pause or a crash loses at most one chunk's listening.
CHUNK_S = 120.0
#: Audio kept after the last row, for rows that belong later than written.
TAIL_S = 10.0
_WORD = re.compile(r"[^\w']+")


def can_align(record: JobRecord) -> bool:
    """Whether ``record`` is an editing document with media to align against."""
    document = getattr(record, "document", None)
    if not document:
        return False
    media = document.get("media")
    return bool(media) and str(record.source) != str(document.get("path"))


def plan_chunks(rows: Sequence[dict[str, Any]]) -> list[tuple[ChunkSpan, list[dict[str, Any]]]]:
    """Contiguous chunks over the rows, each about ``CHUNK_S`` long, with its rows.

    Chunks tile the time line from 0 (cut halfway between the last row of one and the
    first of the next) to ``TAIL_S`` after the last row, so every row's audio — even
    where the row belongs a little earlier or later than written — lies in a chunk.
    """
    ordered = sorted(rows, key=lambda r: (float(r["start"]), float(r["end"])))
    groups: list[list[dict[str, Any]]] = []
    for row in ordered:
        if groups and float(row["end"]) - float(groups[-1][0]["start"]) <= CHUNK_S:
            groups[-1].append(row)
        else:
            groups.append([row])
    plan: list[tuple[ChunkSpan, list[dict[str, Any]]]] = []
    start_ms = 0
    for i, group in enumerate(groups):
        if i + 1 < len(groups):
            cut = (max(float(r["end"]) for r in group) + float(groups[i + 1][0]["start"])) / 2
        else:
            cut = max(float(r["end"]) for r in group) + TAIL_S
        end_ms = max(start_ms + 1, int(round(cut * 1000)))
        plan.append((ChunkSpan(i, start_ms, end_ms), group))
        start_ms = end_ms
    return plan


def prepare_alignment(store: JobStore, job_id: str, rows: Sequence[dict[str, Any]]) -> JobRecord:
    """Set the document job up so that running it aligns ``rows`` (the user's current
    rows: text and times) and nothing else; returns the queued record.

    The subtitle file itself is never written by the run: the aligned times reach the
    file when the user saves.
    """
    record = store.get(job_id)
    if not can_align(record):
        raise JobError("Only a subtitle file with its video or audio beside it can be aligned.")
    usable = [
        {"id": str(r["id"]), "start": float(r["start"]), "end": float(r["end"]), "text": r["text"]}
        for r in rows
        if str(r.get("text", "")).strip() and float(r["end"]) > float(r["start"])
    ]
    if not usable:
        raise JobError("The subtitle file has no timed text to align.")
    settings = record.settings
    language = record.language or (settings.language if settings.language != "auto" else "und")
    plan = plan_chunks(usable)
    checkpoint = Checkpoint(
        job_id=job_id,
        segments=[span for span, _ in plan],
        original_settings=settings.to_dict(),
        phase="align",
        results={
            span.index: ChunkResult(span.index, language, "subtitle-file", group)
            for span, group in plan
        },
    )
    save_checkpoint(store.folder(job_id), checkpoint)
    record.language = language
    record.status = JobStatus.QUEUED
    record.phase = "align"
    record.percent = 0.0
    record.error = None
    record.output_path = None  # the run writes inside the job folder, never the user's file
    store.save(record)
    return record


def _tokens(text: str) -> list[str]:
    return [t for t in (_WORD.sub("", w.lower()) for w in text.split()) if t]


def match_rows(
    rows: Sequence[dict[str, Any]], heard: Sequence[dict[str, Any]]
) -> list[tuple[float, float]]:
    """New ``(start, end)`` for each row from the recogniser's word times.

    The rows' words are matched in order against the words heard (longest common
    runs, so recognition errors cost only the words they touch). A row whose first or
    last word was heard starts or ends at that word; otherwise it moves by the shift
    its matched words show, and a row with no word heard by the shift of the rows
    around it (their median).
    """
    mine: list[tuple[int, int, str]] = []  # (row, position in row, token)
    for r, row in enumerate(rows):
        mine.extend((r, k, tok) for k, tok in enumerate(_tokens(str(row["text"]))))
    words = [
        (tok, float(w["start"]), float(w["end"]))
        for w in heard
        for tok in _tokens(str(w.get("word", "")))[:1]
    ]
    matcher = SequenceMatcher(None, [t for *_, t in mine], [t for t, *_ in words], autojunk=False)
    hits: dict[int, list[tuple[int, float, float]]] = {}
    for block in matcher.get_matching_blocks():
        for n in range(block.size):
            r, k, _ = mine[block.a + n]
            _, start, end = words[block.b + n]
            hits.setdefault(r, []).append((k, start, end))
    counts = [len(_tokens(str(row["text"]))) for row in rows]
    shifts: dict[int, float] = {}
    for r, found in hits.items():
        row = rows[r]
        start, end = float(row["start"]), float(row["end"])
        step = (end - start) / max(1, counts[r])
        shifts[r] = float(np.median([s - (start + k * step) for k, s, _ in found]))
    overall = float(np.median(list(shifts.values()))) if shifts else 0.0
    out: list[tuple[float, float]] = []
    for r, row in enumerate(rows):
        shift = shifts.get(r, overall)
        start, end = float(row["start"]) + shift, float(row["end"]) + shift
        found = hits.get(r, [])
        if found and found[0][0] == 0:
            start = found[0][1]
        if found and found[-1][0] == counts[r] - 1:
            end = found[-1][2]
        if end <= start:
            end = start + max(0.3, float(row["end"]) - float(row["start"]))
        out.append((max(0.0, start), end))
    return out


class DocumentAligner:
    """The pipeline's aligner for an editing document.

    Alignment models align a row inside its own rough times, so a file shifted by a
    second or more needs its rows found first: the recogniser listens to the chunk
    with word times, the user's words are matched to the words heard
    (:func:`match_rows`), and the rows move there — the user's text is kept. When an
    alignment model (``inner``) is installed it then refines the moved rows.
    """

    def __init__(
        self,
        inner: Aligner | None,
        transcriber: Callable[[], Transcriber],
        *,
        language: str | None = None,
    ) -> None:
        self.inner = inner
        self._transcriber = transcriber
        self.language = language
        self.name = f"{inner.name}+{MATCH_ALIGNER}" if inner is not None else MATCH_ALIGNER
        #: Empty when no alignment model took part (``aligned.json`` then names none).
        self.model_name = inner.model_name if inner is not None else ""

    def align_chunk(
        self, audio: np.ndarray, offset_s: float, rows: Sequence[dict[str, Any]], check: Check
    ) -> list[Piece]:
        check()
        transcriber = self._transcriber()
        heard = transcriber.transcribe(
            audio,
            offset_s=offset_s,
            segment_index=0,
            language=self.language,
            task="transcribe",
            beam_size=1,
            word_timestamps=True,
            check=check,
        )
        words = [w for row in heard.rows for w in row.get("words") or []]
        times = match_rows(rows, words)
        moved = [{**r, "start": s, "end": e} for r, (s, e) in zip(rows, times)]
        if self.inner is not None:
            return list(self.inner.align_chunk(audio, offset_s, moved, check))
        return [Piece(r["id"], r["start"], r["end"], r["text"]) for r in moved]


def keep_rows(
    pieces: Sequence[Piece],
    texts: dict[str, str],
    *,
    edges: SpeechEdges | None = None,
) -> list[dict[str, Any]]:
    """One aligned row per user row: its own id and text, the span of its pieces."""
    spans: dict[str, list[float]] = {}
    words: dict[str, list[dict[str, Any]]] = {}
    for piece in pieces:
        span = spans.setdefault(piece.source_id, [piece.start, piece.end])
        span[0], span[1] = min(span[0], piece.start), max(span[1], piece.end)
        words.setdefault(piece.source_id, []).extend(piece.words)
    rows = [
        {
            "id": row_id,
            "start": round(start, 3),
            "end": round(end, 3),
            "text": texts.get(row_id, ""),
            "source_id": row_id,
            "words": words[row_id],
        }
        for row_id, (start, end) in spans.items()
        if end > start
    ]
    rows.sort(key=lambda r: (r["start"], r["end"]))
    if edges is not None:
        snap_rows(rows, edges)
    return rows
