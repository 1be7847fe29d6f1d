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
words to the words heard (:func:`match_rows`). A file's times are usually right
relative to each other and wrong as a whole — shifted, drifting with another frame
rate, or cut for another edit — so rows move by the line their neighbours' words
draw and keep the author's timing; only a row misplaced on its own moves to its own
words (and is then snapped to the speech edges). An installed alignment model then
refines every row, and the pipeline's speech-edge snapping finishes them.
:func:`keep_rows` keeps one row per user row with the user's own text instead of
re-cutting lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
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
#: Audio heard on each side of a chunk when aligning a document: its first and last
#: rows may belong seconds earlier or later than written, across the chunk's edge.
DOCUMENT_MARGIN_S = 10.0
_WORD = re.compile(r"[^\w']+")
#: Rows with evidence on each side of a row that decide its local shift.
NEIGHBOURS = 3
#: A row this far (seconds) from where its neighbours' shift puts it is misplaced on
#: its own and moves to its words heard, if at least ``MIN_WORDS`` of them were heard.
MISPLACED_S = 1.0
MIN_WORDS = 3
#: How far (seconds, mean) the line through a row's neighbours may miss their
#: evidence before a cut among them is assumed.
CUT_S = 0.4
#: The steepest drift followed (seconds per second): 25 fps against 23.976 is 0.043,
#: the largest a frame-rate mix-up makes.
MAX_DRIFT = 0.05
#: The shortest time (seconds) between two points whose difference counts as drift.
BASELINE_S = 10.0


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


def _row_evidence(
    rows: Sequence[dict[str, Any]], heard: Sequence[dict[str, Any]]
) -> dict[int, list[tuple[int, float, float]]]:
    """For each row, its words found among the words heard: ``(position, start, end)``.

    The rows' words are matched in order against the words heard (longest common runs,
    so recognition errors cost only the words they touch)."""
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
    return hits


def _evidence_points(
    row: dict[str, Any], count: int, found: list[tuple[int, float, float]]
) -> list[tuple[float, float]]:
    """``(time in the file, how far off it is)`` pairs for one row, from its words heard.

    Its first word's onset against its start and its last word's end against its end,
    when those words were heard: authors pad a cue before and after the voice by about
    as much, so the two cancel once a line runs through them. A row heard only in the
    middle gives one point: the median over its matched words of (middle of the word
    heard − middle of its share of the row, the row's time spread evenly over its words).
    """
    start, end = float(row["start"]), float(row["end"])
    points = []
    if found[0][0] == 0:
        points.append((start, found[0][1] - start))
    if found[-1][0] == count - 1:
        points.append((end, found[-1][2] - end))
    if not points:
        step = (end - start) / max(1, count)
        off = float(np.median([(s + e) / 2 - (start + (k + 0.5) * step) for k, s, e in found]))
        points.append(((start + end) / 2, off))
    return points


def _fit_line(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """A robust straight line ``off = slope * t + intercept`` through ``points``.

    The slope is Siegel's repeated median over pairs at least ``BASELINE_S`` apart —
    for each point the median slope to the others, then the median of those — so rows
    that are misheard or misplaced (up to half) cannot tilt it, and the long baseline
    keeps a few tenths of a second of word-time noise from becoming a slope. It is
    capped at ``MAX_DRIFT``; points spanning less than three baselines give a level
    line (a few seconds cannot tell drift from noise). The intercept is the median one."""
    xs = [x for x, _ in points]
    if not xs or max(xs) - min(xs) < 3 * BASELINE_S:
        return 0.0, float(np.median([y for _, y in points])) if points else 0.0
    per_point = []
    for x1, y1 in points:
        slopes = [(y2 - y1) / (x2 - x1) for x2, y2 in points if abs(x2 - x1) >= BASELINE_S]
        if slopes:
            per_point.append(float(np.median(slopes)))
    slope = float(np.clip(np.median(per_point), -MAX_DRIFT, MAX_DRIFT)) if per_point else 0.0
    return slope, float(np.median([y - slope * x for x, y in points]))


def _local_line(r: int, points: dict[int, list[tuple[float, float]]]) -> tuple[float, float]:
    """How the rows around row ``r`` are off, as a line over time.

    The line is fitted to the ``NEIGHBOURS`` nearest rows with evidence on each side
    (``r`` included; more on one side where the other has fewer), which follows a
    shift and a drift (another frame rate). A file cut in two with different offsets
    (another edit of the video) bends no line: when the line misses its own points by
    more than ``CUT_S`` (mean), a cut lies among the rows, and row ``r`` takes the line
    through the side — before or after it — that its own evidence fits best.
    """
    before = sorted((i for i in points if i < r), reverse=True)
    after = sorted(i for i in points if i > r)
    # NEIGHBOURS on each side, or more on one side where the other runs out (a chunk's
    # first and last rows), so the line always spans about as much time.
    before, after = (
        before[: max(NEIGHBOURS, 2 * NEIGHBOURS - len(after))],
        after[: max(NEIGHBOURS, 2 * NEIGHBOURS - len(before))],
    )
    own = points.get(r, [])
    near = [p for i in [*before, *after] for p in points[i]] + own
    if not near:
        return 0.0, 0.0
    line = _fit_line(near)
    if not own or not before or not after or _miss(line, near, np.mean) <= CUT_S:
        return line
    sides = [_fit_line([p for i in side for p in points[i]]) for side in (before, after)]
    return min(sides, key=lambda side: _miss(side, own))


def _miss(
    line: tuple[float, float],
    points: Sequence[tuple[float, float]],
    average: Callable[[list[float]], Any] = np.median,
) -> float:
    """How far (seconds) ``points`` lie from ``line``: the median distance, or the
    ``average`` given (the mean lets a minority that the line misses count)."""
    return float(average([abs(y - line[0] * x - line[1]) for x, y in points]))


def match_rows(
    rows: Sequence[dict[str, Any]], heard: Sequence[dict[str, Any]]
) -> list[tuple[tuple[float, float], bool]]:
    """New ``(start, end)`` for each row from the recogniser's word times, and whether
    the row was moved on its own evidence (then its edges should be snapped to speech).

    A subtitle file's times are usually right relative to each other and off as a
    whole: shifted, drifting or cut. So each row's start and end move by the local
    line (:func:`_local_line`) and keep the author's timing — a cue that deliberately
    starts before the voice keeps doing so. Only a row that its own words heard place
    more than ``MISPLACED_S`` away from that line, on at least ``MIN_WORDS`` words,
    moves to those words.
    """
    hits = _row_evidence(rows, heard)
    counts = [len(_tokens(str(row["text"]))) for row in rows]
    points = {r: _evidence_points(rows[r], counts[r], found) for r, found in hits.items()}
    out: list[tuple[tuple[float, float], bool]] = []
    for r, row in enumerate(rows):
        start, end = float(row["start"]), float(row["end"])
        slope, intercept = _local_line(r, points)
        found = hits.get(r, [])
        misplaced = len(found) >= MIN_WORDS and all(
            abs(off - (slope * t + intercept)) > MISPLACED_S for t, off in points[r]
        )
        if not misplaced:
            new_start = start + slope * start + intercept
            new_end = end + slope * end + intercept
            out.append(((max(0.0, new_start), max(0.0, new_end)), False))
            continue
        own = float(np.mean([off for _, off in points[r]]))
        new_start, new_end = start + own, end + own
        if found[0][0] == 0:
            new_start = found[0][1]
        if found[-1][0] == counts[r] - 1:
            new_end = found[-1][2]
        if new_end <= new_start:
            new_end = new_start + max(0.3, end - start)
        out.append(((max(0.0, new_start), new_end), True))
    return out


class DocumentAligner:
    """The pipeline's aligner for an editing document.

    Alignment models align a row inside its own rough times, so a file shifted by a
    second or more needs its rows found first: the recogniser listens to the chunk
    with word times, the user's words are matched to the words heard and the rows
    move as :func:`match_rows` decides — the user's text is kept. When an alignment
    model (``inner``) is installed it then refines the moved rows.
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
        self._on_own: set[str] = set()

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
        moved = [{**r, "start": s, "end": e} for r, ((s, e), _) in zip(rows, times)]
        self._on_own.update(str(r["id"]) for r, (_, own) in zip(rows, times) if own)
        if self.inner is not None:
            return list(self.inner.align_chunk(audio, offset_s, moved, check))
        return [Piece(r["id"], r["start"], r["end"], r["text"]) for r in moved]

    def rows_to_snap(self) -> set[str] | None:
        """The rows whose edges the pipeline should snap to the speech: every row
        (``None``) when an alignment model timed them; otherwise only the rows moved on
        their own words heard — the others keep the author's timing, shifted."""
        return None if self.inner is not None else set(self._on_own)


def keep_rows(
    pieces: Sequence[Piece],
    texts: dict[str, str],
    *,
    edges: SpeechEdges | None = None,
    snap: Collection[str] | None = None,
) -> list[dict[str, Any]]:
    """One aligned row per user row: its own id and text, the span of its pieces; with
    ``edges``, the rows in ``snap`` (all rows when ``None``) snapped to the speech."""
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
        snap_rows(rows, edges, only=snap)
    return rows
