"""Aligning an opened subtitle file's own text to its media (issue 7, item 6)."""

from __future__ import annotations

import shutil
import statistics
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from subtitle_studio.core.alignment import AlignedDoc, Piece
from subtitle_studio.core.bus import EventBus, job_channel
from subtitle_studio.core.checkpoint import load_checkpoint
from subtitle_studio.core.document_align import (
    MATCH_ALIGNER,
    DocumentAligner,
    keep_rows,
    match_rows,
    plan_chunks,
    prepare_alignment,
)
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.pipeline import Pipeline
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.engines.factory import LocalEngines
from subtitle_studio.errors import JobError
from tests.support.srt_check import parse_srt

STEM = "en_ljspeech_LJ001-0001_to_0023_concat"
SHIFT_S = 1.5


def _stamp(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3_600_000:02}:{ms // 60_000 % 60:02}:{ms // 1000 % 60:02},{ms % 1000:03}"


def _reference(media: Path) -> list[dict[str, Any]]:
    return [
        {"id": f"0_{i}", "start": start, "end": end, "text": text}
        for i, (_, start, end, text) in enumerate(
            parse_srt((media / f"{STEM}.srt").read_text(encoding="utf-8"))
        )
    ]


def _open_document(store: JobStore, srt: Path, media_file: Path, rows: list[dict[str, Any]]):
    """The opened file as a job: through ``core.subtitle_doc`` when it exists, else by
    hand in the same shape (record with ``document``, the rows in ``aligned.json``)."""
    srt.write_text(
        "\n".join(
            f"{i + 1}\n{_stamp(r['start'])} --> {_stamp(r['end'])}\n{r['text']}\n"
            for i, r in enumerate(rows)
        ),
        encoding="utf-8",
    )
    try:
        from subtitle_studio.core import subtitle_doc  # type: ignore[attr-defined]

        return subtitle_doc.open_subtitle_file(store, srt)
    except (ImportError, AttributeError):
        pass
    record = store.create(media_file, JobSettings(align_model="none"))
    record.status = JobStatus.DONE
    record.document = {
        "path": str(srt),
        "format": "srt",
        "encoding": "utf-8",
        "bom": False,
        "newline": "\n",
        "problems": [],
        "media": str(media_file),
    }
    store.save(record)
    AlignedDoc(record.id, "en", "file", [{**r, "source_id": r["id"]} for r in rows]).save(
        store.folder(record.id)
    )
    return record


def _shift(start: float, end: float) -> tuple[float, float]:
    """The issue's case: every time 1.5 s late."""
    return start + SHIFT_S, end + SHIFT_S


def _drift(start: float, end: float) -> tuple[float, float]:
    """Made for a 23.976 fps cut and played at 25 fps: late by 4 % more every second."""
    return start * 25 / 23.976 + 0.4, end * 25 / 23.976 + 0.4


def _cut(start: float, end: float) -> tuple[float, float]:
    """Another edit of the video: cues 1.5 s late before 80 s, 1 s early after it."""
    delta = SHIFT_S if start < 80.0 else -1.0
    return start + delta, end + delta


@pytest.mark.slow
@pytest.mark.parametrize("mistime", [_shift, _drift, _cut], ids=["shift", "drift", "cut"])
def test_aligning_a_mistimed_srt_brings_every_onset_back(
    tmp_path: Path, media: Path, capsys: pytest.CaptureFixture[str], mistime
) -> None:
    reference = _reference(media)
    shifted = [
        dict(zip(("start", "end"), mistime(r["start"], r["end"]), strict=True)) for r in reference
    ]
    shifted = [{**r, **times} for r, times in zip(reference, shifted)]
    media_file = tmp_path / f"{STEM}.flac"
    shutil.copyfile(media / f"{STEM}.flac", media_file)
    srt = tmp_path / f"{STEM}.srt"
    store = JobStore()
    record = _open_document(store, srt, media_file, shifted)
    record = store.get(record.id)
    settings = record.settings.replace(align_model="none")
    record.settings = settings
    store.save(record)
    text_before = {r["id"]: r["text"] for r in shifted}

    prepare_alignment(store, record.id, shifted)
    assert store.get(record.id).status == JobStatus.QUEUED
    with EventBus(heartbeat_s=3600) as bus:
        sub = bus.subscribe(job_channel(record.id), max_queue=100_000)
        done = Pipeline(store, record.id, engines=LocalEngines(), bus=bus).run()
        events = sub.drain()
        sub.close()

    assert done.status == JobStatus.DONE, done.error
    assert not [e for e in events if e.name == "fragment"], "the text must not be transcribed"
    codes = [e.data["code"] for e in events if e.name == "signal"]
    assert codes[-2:] == ["alignment_ready", "job_complete"]
    aligned = AlignedDoc.load(store.folder(record.id), record.id)
    assert aligned is not None and aligned.aligner == MATCH_ALIGNER
    assert [r["id"] for r in aligned.segments] == [r["id"] for r in reference]
    assert {r["id"]: r["text"] for r in aligned.segments} == text_before
    assert Path(done.output_path or "").parent == store.folder(record.id)
    first = _stamp(shifted[0]["start"])
    assert srt.read_text(encoding="utf-8").startswith(f"1\n{first}")  # user's file untouched

    signed = [a["start"] - r["start"] for a, r in zip(aligned.segments, reference)]
    errors = [abs(e) for e in signed]
    with capsys.disabled():
        print(
            f"\nonset error after aligning ({mistime.__doc__}): median "
            f"{statistics.median(errors):.3f} s, max {max(errors):.3f} s; signed per cue "
            f"{[round(e, 2) for e in signed]}"
        )
    # Issue 7's bar: every cue's onset back within 0.3 s of the reference.
    assert max(errors) <= 0.3, signed


def test_prepare_marks_every_chunk_done_so_nothing_is_transcribed(tmp_path: Path) -> None:
    store = JobStore()
    media_file = tmp_path / "film.mkv"
    media_file.write_bytes(b"\0")
    rows = [
        {"id": f"0_{i}", "start": 10.0 * i, "end": 10.0 * i + 4, "text": f"line {i}"}
        for i in range(30)
    ]
    record = _open_document(store, tmp_path / "film.srt", media_file, rows)
    prepare_alignment(store, record.id, rows)
    checkpoint = load_checkpoint(store.folder(record.id), record.id)
    assert checkpoint is not None and checkpoint.complete and checkpoint.phase == "align"
    assert [r["id"] for r in checkpoint.rows()] == [r["id"] for r in rows]
    assert checkpoint.total_segments == 3  # about two minutes of rows per chunk
    assert checkpoint.segments[-1].end >= rows[-1]["end"] + 5


def test_a_file_without_media_cannot_be_aligned(tmp_path: Path) -> None:
    store = JobStore()
    srt = tmp_path / "alone.srt"
    rows = [{"id": "0_0", "start": 0.0, "end": 1.0, "text": "hi"}]
    record = _open_document(store, srt, srt, rows)
    if record.document and record.document.get("media"):
        record.document = {**record.document, "media": None}
        store.save(record)
    with pytest.raises(JobError):
        prepare_alignment(store, record.id, rows)


def test_rows_move_together_and_keep_the_authors_timing() -> None:
    rows = [
        {"id": "0_0", "start": 2.0, "end": 4.0, "text": "Hello there, world."},
        {"id": "0_1", "start": 5.0, "end": 6.0, "text": "Zzz qqq."},
        {"id": "0_2", "start": 7.0, "end": 9.0, "text": "Good morning again"},
    ]
    heard = [
        {"word": " hello", "start": 0.5, "end": 0.9},
        {"word": " their", "start": 0.9, "end": 1.2},
        {"word": " world.", "start": 1.2, "end": 2.4},
        {"word": " um", "start": 3.0, "end": 3.2},
        {"word": " good", "start": 5.6, "end": 5.9},
        {"word": " morning", "start": 5.9, "end": 6.4},
        {"word": " again", "start": 6.4, "end": 7.3},
    ]
    times = match_rows(rows, heard)
    # The evidence says 1.5, 1.6, 1.4 and 1.7 s early: every row, heard or not, moves
    # by the median (1.55 s) and keeps its length and its gaps.
    for (start, end), row in zip((t for t, _ in times), rows):
        assert start == pytest.approx(row["start"] - 1.55)
        assert end == pytest.approx(row["end"] - 1.55)
    assert not any(own for _, own in times)


def _spoken(rows: list[dict[str, Any]], late=lambda r, t: 0.0) -> list[dict[str, Any]]:
    """Words heard for ``rows``: each row's words spread over its times, minus 1 s (the
    file is 1 s late), plus ``late(row, time in the file)`` seconds."""
    words = []
    for r, row in enumerate(rows):
        tokens = row["text"].split()
        step = (row["end"] - row["start"]) / len(tokens)
        for k, token in enumerate(tokens):
            start, end = row["start"] + k * step, row["start"] + (k + 1) * step
            words.append(
                {"word": token, "start": start - 1 + late(r, start), "end": end - 1 + late(r, end)}
            )
    return words


def test_a_row_misplaced_on_its_own_moves_to_its_words_and_is_marked() -> None:
    rows = [
        {"id": f"0_{i}", "start": 10.0 * i + 2, "end": 10.0 * i + 5, "text": f"row {i} says w{i}"}
        for i in range(8)
    ]
    times = match_rows(rows, _spoken(rows, lambda r, t: 3.0 if r == 3 else 0.0))
    for r, ((start, end), own) in enumerate(times):
        expected = rows[r]["start"] - 1.0 + (3.0 if r == 3 else 0.0)
        assert start == pytest.approx(expected, abs=0.01), r
        assert end - start == pytest.approx(3.0, abs=0.01), r
        assert own == (r == 3), r


def test_a_drift_is_followed_and_a_cut_splits_the_rows_between_two_shifts() -> None:
    rows = [
        {"id": f"0_{i}", "start": 8.0 * i + 3, "end": 8.0 * i + 6, "text": f"cue {i} has words"}
        for i in range(16)
    ]
    times = match_rows(rows, _spoken(rows, lambda r, t: -0.04 * t))  # 4 % fast, 1 s late
    for r, ((start, end), own) in enumerate(times):
        assert start == pytest.approx(rows[r]["start"] * 0.96 - 1.0, abs=0.02), r
        assert end == pytest.approx(rows[r]["end"] * 0.96 - 1.0, abs=0.02), r
        assert not own
    # from row 8 on, 1.5 s early instead of 1 s late
    times = match_rows(rows, _spoken(rows, lambda r, t: 2.5 if r >= 8 else 0.0))
    for r, ((start, _end), _own) in enumerate(times):
        assert start == pytest.approx(rows[r]["start"] - 1.0 + (2.5 if r >= 8 else 0), abs=0.02), r


def test_chunks_tile_the_time_line_and_keep_rows_in_order() -> None:
    rows = [{"id": f"0_{i}", "start": 50.0 * i, "end": 50.0 * i + 3, "text": "x"} for i in range(7)]
    plan = plan_chunks(rows)
    spans = [span for span, _ in plan]
    assert spans[0].start_ms == 0
    assert all(a.end_ms == b.start_ms for a, b in zip(spans, spans[1:]))
    assert [r["id"] for _, group in plan for r in group] == [r["id"] for r in rows]


def test_keep_rows_keeps_one_row_per_user_row_with_its_text() -> None:
    pieces = [Piece("0_0", 1.0, 2.0, "a."), Piece("0_0", 2.1, 3.0, "b"), Piece("0_1", 3.5, 4, "c")]
    rows = keep_rows(pieces, {"0_0": "A. B", "0_1": "C"})
    assert [(r["id"], r["start"], r["end"], r["text"]) for r in rows] == [
        ("0_0", 1.0, 3.0, "A. B"),
        ("0_1", 3.5, 4.0, "C"),
    ]


def test_document_aligner_hands_found_rows_to_the_real_aligner() -> None:
    seen: list[list[dict[str, Any]]] = []

    class Heard:
        language = "en"
        rows = [{"words": [{"word": "one", "start": 1.0, "end": 1.4}]}]

    class Recogniser:
        model_name = "tiny.en"

        def transcribe(self, audio, **_kwargs):
            return Heard()

    class Inner:
        name = "whisperx"
        model_name = "m"

        def align_chunk(self, audio, offset_s, rows, check):
            seen.append(list(rows))
            return []

    aligner = DocumentAligner(Inner(), Recogniser)
    rows = [{"id": "0_0", "start": 2.5, "end": 3.0, "text": "One"}]
    aligner.align_chunk(np.zeros(16_000 * 4, dtype=np.float32), 0.0, rows, lambda: None)
    assert aligner.name == f"whisperx+{MATCH_ALIGNER}"
    # heard 1.5 s early at its start, 1.6 s at its end: moved by 1.55 s
    assert (seen[0][0]["start"], seen[0][0]["end"]) == pytest.approx((0.95, 1.45))
    assert aligner.rows_to_snap() is None  # the alignment model timed every row
