"""What is the current text of job X? (SPEC §6): memory > aligned.json > checkpoint.json."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.core.transcript import LiveJob, LiveJobs, current_transcript
from subtitle_studio.errors import JobError


def row(row_id: str, start: float, end: float, text: str) -> dict[str, Any]:
    return {"id": row_id, "start": start, "end": end, "text": text}


# -- LiveJob / LiveJobs -----------------------------------------------------------------


def test_live_job_orders_chunks_and_keeps_public_fields_only() -> None:
    live = LiveJob("a" * 32)
    live.add_chunk(1, "en", [row("1_0", 30.0, 32.0, " Second.") | {"words": [], "x": 1}])
    live.add_chunk(0, "en", [row("0_0", 0.0, 2.0, " First."), row("0_1", 2.0, 4.0, " Again.")])
    live.set_progress("transcribe", 40.5)

    snap = live.snapshot()

    assert [r["id"] for r in snap["segments"]] == ["0_0", "0_1", "1_0"]
    assert snap["segments"][2] == row("1_0", 30.0, 32.0, " Second.")
    assert snap["language"] == "en"
    assert snap["aligned"] is False
    assert snap["progress"] == {"phase": "transcribe", "percent": 40.5}
    assert "word_segments" not in snap


def test_a_redone_chunk_replaces_the_old_rows() -> None:
    live = LiveJob("a" * 32)
    live.add_chunk(0, "en", [row("0_0", 0.0, 2.0, " Old.")])
    live.add_chunk(0, "en", [row("0_0", 0.0, 2.0, " New.")])

    assert [r["text"] for r in live.snapshot()["segments"]] == [" New."]


def test_aligned_rows_replace_the_chunks() -> None:
    live = LiveJob("a" * 32)
    live.add_chunk(0, "en", [row("0_0", 0.0, 4.0, " Hello there.")])
    words = [{"word": "Hello", "start": 0.2, "end": 0.6}]
    live.set_aligned("en", [row("0_0", 0.2, 1.1, "Hello there.") | {"source_id": "0_0"}], words)

    snap = live.snapshot()

    assert snap["aligned"] is True
    # Aligned rows keep naming their unaligned row: the merge needs it for older edits.
    assert snap["segments"] == [row("0_0", 0.2, 1.1, "Hello there.") | {"source_id": "0_0"}]
    assert snap["word_segments"] == words


def test_later_changes_by_the_caller_do_not_leak_in() -> None:
    live = LiveJob("a" * 32)
    rows = [row("0_0", 0.0, 2.0, " First.")]
    words = [{"word": "First", "start": 0.0, "end": 0.5}]
    live.add_chunk(0, "en", rows)
    rows[0]["text"] = " changed by the pipeline afterwards"
    rows.append(row("0_1", 3.0, 4.0, " extra"))

    assert live.snapshot()["segments"] == [row("0_0", 0.0, 2.0, " First.")]

    live.set_aligned("en", [row("0_0", 0.0, 2.0, "First.")], words)
    words.append({"word": "extra", "start": 9.0, "end": 9.5})
    assert len(live.snapshot()["word_segments"]) == 1


@pytest.mark.parametrize("aligned", [False, True])
def test_a_reader_editing_its_snapshot_does_not_change_the_job(aligned: bool) -> None:
    """The window edits rows in place; another reader (the HTTP endpoint) must still see
    the machine's text. Snapshots are copies, not views of the live rows."""
    live = LiveJob("a" * 32)
    live.add_chunk(0, "en", [row("0_0", 0.0, 2.0, " First.")])
    if aligned:
        live.set_aligned(
            "en", [row("0_0", 0.1, 1.9, "First.")], [{"word": "First", "start": 0.1, "end": 0.6}]
        )

    mine = live.snapshot()
    mine["segments"][0]["text"] = "edited by the user"
    mine["segments"][0]["start"] = 99.0
    mine["segments"].append(row("x", 5.0, 6.0, "inserted"))
    mine["progress"]["percent"] = 100.0
    if aligned:
        mine["word_segments"][0]["word"] = "Furst"

    theirs = live.snapshot()
    assert theirs["segments"][0]["text"] in (" First.", "First.")
    assert theirs["segments"][0]["start"] in (0.0, 0.1)
    assert len(theirs["segments"]) == 1
    assert theirs["progress"] == {}
    if aligned:
        assert theirs["word_segments"][0]["word"] == "First"


def test_concurrent_writers_and_readers_see_consistent_snapshots() -> None:
    live = LiveJob("a" * 32)
    chunks = 200
    errors: list[BaseException] = []
    done = threading.Event()

    def write() -> None:
        try:
            for i in range(chunks):
                live.add_chunk(i, "en", [row(f"{i}_0", i * 2.0, i * 2.0 + 1, f" {i}")])
                live.set_progress("transcribe", i / chunks * 70)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            done.set()

    def read() -> None:
        try:
            while not done.is_set():
                snap = live.snapshot()
                starts = [r["start"] for r in snap["segments"]]
                assert starts == sorted(starts)
                # Chunks arrive in order, so a snapshot is always a prefix.
                assert [r["id"] for r in snap["segments"]] == [f"{i}_0" for i in range(len(starts))]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, name="writer")] + [
        threading.Thread(target=read, name=f"reader-{i}") for i in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert not errors, errors
    assert len(live.snapshot()["segments"]) == chunks


def test_live_jobs_registry() -> None:
    jobs = LiveJobs()
    first = jobs.register("a" * 32)

    assert jobs.get("a" * 32) is first
    assert jobs.get("b" * 32) is None
    second = jobs.register("a" * 32)
    assert jobs.get("a" * 32) is second, "a resumed run replaces the old live job"
    jobs.unregister("a" * 32)
    jobs.unregister("a" * 32)
    assert jobs.get("a" * 32) is None


def test_live_jobs_registry_from_many_threads() -> None:
    jobs = LiveJobs()
    ids = [f"{i:032x}" for i in range(64)]

    def register(chunk: list[str]) -> None:
        for job_id in chunk:
            jobs.register(job_id).add_chunk(0, "en", [row("0_0", 0.0, 1.0, job_id)])

    threads = [
        threading.Thread(target=register, args=(ids[i::4],), name=f"reg-{i}") for i in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    for job_id in ids:
        live = jobs.get(job_id)
        assert live is not None and live.snapshot()["segments"][0]["text"] == job_id


# -- current_transcript --------------------------------------------------------------------


@pytest.fixture
def store() -> JobStore:
    return JobStore()


@pytest.fixture
def job_id(store: JobStore, tmp_path: Path) -> str:
    record = store.create(tmp_path / "talk.mp4", JobSettings())
    record.status = JobStatus.PAUSED
    record.phase = "transcribe"
    record.percent = 38.5
    store.save(record)
    return record.id


def write_checkpoint(store: JobStore, job_id: str, done: int = 2) -> None:
    """A checkpoint.json as SPEC §3 lays it out, written by hand."""
    results = [
        {
            "segment_index": 0,
            "language": "de",
            "model": "tiny",
            "segments": [
                {"id": "0_0", "start": 0.5, "end": 3.0, "text": " Guten Tag.", "words": []},
                {"id": "0_1", "start": 3.2, "end": 6.0, "text": " Wie geht's?"},
            ],
        },
        {
            "segment_index": 1,
            "language": "de",
            "model": "tiny",
            "segments": [{"id": "1_0", "start": 30.0, "end": 33.0, "text": " Gut."}],
        },
    ][:done]
    data = {
        "version": 1,
        "job_id": job_id,
        "phase": "transcribe",
        "total_segments": 3,
        "processed_indices": [r["segment_index"] for r in results],
        "segments": [
            {"index": 0, "start_ms": 0, "end_ms": 29_750},
            {"index": 1, "start_ms": 29_750, "end_ms": 58_000},
            {"index": 2, "start_ms": 58_000, "end_ms": 70_000},
        ],
        "unaligned_results": results,
        "original_settings": JobSettings().to_dict(),
    }
    (store.folder(job_id) / "checkpoint.json").write_text(json.dumps(data), encoding="utf-8")


ALIGNED_ROWS = [
    {
        "id": "0_0",
        "start": 0.6,
        "end": 1.4,
        "text": "Guten Tag.",
        "source_id": "0_0",
        "words": [
            {"word": "Guten", "start": 0.6, "end": 0.9},
            {"word": "Tag.", "start": 1.0, "end": 1.4},
        ],
    },
    {
        "id": "0_1",
        "start": 3.3,
        "end": 4.2,
        "text": "Wie geht's?",
        "source_id": "0_1",
        "words": [{"word": "Wie", "start": 3.3, "end": 3.5}],
    },
]


def write_aligned(store: JobStore, job_id: str, text: str | None = None) -> None:
    """An aligned.json as SPEC §3 lays it out, written by hand."""
    data = {
        "job_id": job_id,
        "language": "de",
        "aligner": "wav2vec2-de",
        "aligned_at": "2024-06-01T10:00:00+00:00",
        "segments": ALIGNED_ROWS,
        "word_segments": [w for r in ALIGNED_ROWS for w in r["words"]],
    }
    where = store.folder(job_id) / "aligned.json"
    where.write_text(text if text is not None else json.dumps(data), encoding="utf-8")


PROGRESS = {"status": "paused", "phase": "transcribe", "percent": 38.5}


def test_nothing_transcribed_yet(store: JobStore, job_id: str) -> None:
    result = current_transcript(store, job_id, LiveJobs())

    assert result == {
        "job_id": job_id,
        "source": "none",
        "aligned": False,
        "language": None,
        "segments": [],
        "progress": PROGRESS,
    }


def test_checkpoint_with_no_chunk_done_is_none(store: JobStore, job_id: str) -> None:
    write_checkpoint(store, job_id, done=0)

    assert current_transcript(store, job_id)["source"] == "none"


def test_checkpoint_rows_when_nothing_better(store: JobStore, job_id: str) -> None:
    write_checkpoint(store, job_id)

    result = current_transcript(store, job_id, LiveJobs())

    assert result["source"] == "checkpoint"
    assert result["language"] == "de"
    assert result["segments"] == [
        row("0_0", 0.5, 3.0, " Guten Tag."),
        row("0_1", 3.2, 6.0, " Wie geht's?"),
        row("1_0", 30.0, 33.0, " Gut."),
    ]
    assert result["progress"] == PROGRESS
    assert result["aligned"] is False
    assert "word_segments" not in result
    json.dumps(result)


def test_aligned_beats_checkpoint(store: JobStore, job_id: str) -> None:
    write_checkpoint(store, job_id)
    write_aligned(store, job_id)

    result = current_transcript(store, job_id)

    assert result["source"] == "aligned"
    assert result["language"] == "de"
    assert [{k: v for k, v in r.items() if k != "source_id"} for r in result["segments"]] == [
        row("0_0", 0.6, 1.4, "Guten Tag."),
        row("0_1", 3.3, 4.2, "Wie geht's?"),
    ]
    assert all("source_id" in r for r in result["segments"])
    assert [w["word"] for w in result["word_segments"]] == ["Guten", "Tag.", "Wie"]
    assert result["aligned"] is True
    json.dumps(result)

    without_words = current_transcript(store, job_id, words=False)
    assert "word_segments" not in without_words
    assert without_words["aligned"] is True
    assert without_words["segments"] == result["segments"]


def test_memory_beats_everything(store: JobStore, job_id: str) -> None:
    write_checkpoint(store, job_id)
    write_aligned(store, job_id)
    live = LiveJobs()
    running = live.register(job_id)
    running.add_chunk(0, "fr", [row("0_0", 0.0, 2.0, " Bonjour.")])
    running.set_progress("transcribe", 12.0)

    result = current_transcript(store, job_id, live)

    assert result["source"] == "memory"
    assert result["language"] == "fr"
    assert result["segments"] == [row("0_0", 0.0, 2.0, " Bonjour.")]
    assert result["progress"]["percent"] == 12.0
    assert result["progress"]["status"] == "paused"
    assert result["aligned"] is False
    assert "word_segments" not in result


def test_memory_after_alignment_carries_words(store: JobStore, job_id: str) -> None:
    live = LiveJobs()
    running = live.register(job_id)
    running.set_aligned("de", ALIGNED_ROWS, [{"word": "Guten", "start": 0.6, "end": 0.9}])

    result = current_transcript(store, job_id, live)

    assert result["source"] == "memory"
    assert result["segments"][0] | {"source_id": None} == row("0_0", 0.6, 1.4, "Guten Tag.") | {
        "source_id": None
    }
    assert result["word_segments"] == [{"word": "Guten", "start": 0.6, "end": 0.9}]
    assert result["aligned"] is True

    without_words = current_transcript(store, job_id, live, words=False)
    assert without_words["aligned"] is True and "word_segments" not in without_words
    assert without_words["segments"] == result["segments"]


def test_memory_of_another_job_is_not_used(store: JobStore, job_id: str) -> None:
    write_checkpoint(store, job_id)
    live = LiveJobs()
    live.register("e" * 32).add_chunk(0, "fr", [row("0_0", 0.0, 2.0, " Bonjour.")])

    assert current_transcript(store, job_id, live)["source"] == "checkpoint"


def test_finished_run_falls_back_to_disk(store: JobStore, job_id: str) -> None:
    write_aligned(store, job_id)
    live = LiveJobs()
    live.register(job_id)
    live.unregister(job_id)

    assert current_transcript(store, job_id, live)["source"] == "aligned"


@pytest.mark.parametrize(
    "text",
    [
        "",
        '{"job_id": "',
        '{"job_id": "' + "0" * 32 + '", "language": "de", "aligner": "x", "segments": []}',
        '{"language": "de", "aligner": "x", "segments": []}',
        "[]",
    ],
    ids=["empty", "truncated", "another job", "no job id", "not an object"],
)
def test_corrupt_aligned_falls_back_to_checkpoint(store: JobStore, job_id: str, text: str) -> None:
    write_checkpoint(store, job_id)
    write_aligned(store, job_id, text)

    result = current_transcript(store, job_id)

    assert result["source"] == "checkpoint"
    assert len(result["segments"]) == 3


def test_aligned_rows_missing_fields_fall_back(store: JobStore, job_id: str) -> None:
    write_checkpoint(store, job_id)
    broken = json.dumps(
        {
            "job_id": job_id,
            "language": "de",
            "aligner": "x",
            "segments": [{"id": "0_0", "start": 0.6, "text": "no end"}],
        }
    )
    write_aligned(store, job_id, broken)

    assert current_transcript(store, job_id)["source"] == "checkpoint"


def test_corrupt_aligned_and_corrupt_checkpoint_is_none(store: JobStore, job_id: str) -> None:
    write_aligned(store, job_id, "{")
    (store.folder(job_id) / "checkpoint.json").write_text('{"version": 1', encoding="utf-8")

    result = current_transcript(store, job_id)

    assert result["source"] == "none" and result["segments"] == []


def test_unknown_job_is_a_job_error(store: JobStore) -> None:
    with pytest.raises(JobError):
        current_transcript(store, "0" * 32, LiveJobs())
    with pytest.raises(JobError):
        current_transcript(store, "not-a-job")
