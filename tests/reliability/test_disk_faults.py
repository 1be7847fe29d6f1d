"""Disk faults under a running job (issue 6): a full disk, a read-only disk, files removed.

Each test injects a real fault into a real file system (a small tmpfs, or files moved
away) while the command line runs a real job, then checks what a user would notice:
one clear line on stderr naming the problem, an ``error`` event, saved work intact,
and a resume that finishes with the same subtitles as a run that never met a fault.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from subtitle_studio.core import paths
from subtitle_studio.core.checkpoint import load_checkpoint
from subtitle_studio.core.edits import EDITS_FILE, Edits
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.phases import RESUMABLE, JobStatus
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.errors import StorageError
from tests.support.disk_faults import (
    LJ,
    MANY_CHUNKS,
    Following,
    cli,
    error_lines,
    events_of,
    fragment_indices,
    job_files,
    run_reference,
    small_disk,
)
from tests.support.srt_check import parse_srt

pytestmark = pytest.mark.slow

JFK = "jfk.flac"
DISK_FULL = "The disk is full: could not write"
READ_ONLY = "The disk is read-only: could not write"
REMOVED = "A file or folder was removed while the job was using it"
GONE_AUDIO = "audio.wav cannot be read: No such file or directory"


@pytest.fixture(scope="module")
def reference_lj(media: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    home = tmp_path_factory.mktemp("reference-lj")
    return run_reference(media, home / "home", LJ, home / "lj.srt", *MANY_CHUNKS)


@pytest.fixture(scope="module")
def reference_jfk(media: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    home = tmp_path_factory.mktemp("reference-jfk")
    return run_reference(media, home / "home", JFK, home / "jfk.srt", *MANY_CHUNKS)


def _use_home(monkeypatch: pytest.MonkeyPatch, home: Path) -> JobStore:
    monkeypatch.setenv("SUBTITLE_STUDIO_HOME", str(home))
    return JobStore()


def _assert_one_clear_error(code: int, stderr: str, expected: str) -> str:
    """A failed command: non-zero exit, no traceback, exactly one error line; return it."""
    assert code != 0, stderr
    assert "Traceback" not in stderr, stderr
    lines = error_lines(stderr)
    assert len(lines) == 1, stderr
    assert expected in lines[0], lines[0]
    return lines[0]


def _assert_error_event(events: list[dict], expected: str) -> None:
    errors = [e["data"] for e in events if e["event"] == "error"]
    assert len(errors) == 1, errors
    assert errors[0]["code"] == "storage_error"
    assert expected in errors[0]["message"]
    signals = [e["data"]["code"] for e in events if e["event"] == "signal"]
    assert signals[-1] == "job_failed", signals


def _assert_checkpoint_holds_the_announced_chunks(
    store: JobStore, job_id: str, events: list[dict]
) -> dict[int, dict]:
    """Every fragment announced before the fault is in the checkpoint, word for word
    (a chunk is saved before it is announced), and nothing else is; return the results."""
    checkpoint = load_checkpoint(store.folder(job_id), job_id)
    assert checkpoint is not None and not checkpoint.complete
    announced = {
        e["data"]["segment_index"]: [r["text"] for r in e["data"]["segments"]]
        for e in events
        if e["event"] == "fragment"
    }
    assert len(announced) >= 2
    assert checkpoint.processed_indices == sorted(announced)
    for index, texts in announced.items():
        assert [r["text"] for r in checkpoint.results[index].segments] == texts
    return {i: checkpoint.results[i].to_dict() for i in checkpoint.processed_indices}


def _resume_and_check(
    store: JobStore, job_id: str, saved: dict[int, dict], out: Path, reference: str
) -> list[dict]:
    """Resume: only the missing chunks are transcribed, the saved ones are kept as they
    were, and the subtitles equal the uninterrupted run's."""
    assert store.get(job_id).status in RESUMABLE
    resumed = cli("resume", job_id, "--events", "jsonl")
    assert resumed.returncode == 0, resumed.stderr
    events = events_of(resumed.stdout)
    redone = fragment_indices(events)
    assert sorted(redone) == sorted(set(redone)), "a chunk was transcribed twice"
    assert not set(redone) & set(saved), "a saved chunk was transcribed again"
    final = load_checkpoint(store.folder(job_id), job_id)
    assert final is not None and final.complete
    assert set(redone) == set(range(final.total_segments)) - set(saved)
    assert {i: final.results[i].to_dict() for i in saved} == saved
    assert store.get(job_id).status == JobStatus.DONE
    assert out.read_text(encoding="utf-8") == reference
    assert not [p for p in store.folder(job_id).iterdir() if p.name.endswith(".tmp")]
    return events


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- 1. the disk fills up while chunks are transcribed ----------------------------------------


def test_disk_full_mid_transcription_stops_with_a_clear_message_and_resumes(
    tmp_path: Path, media: Path, monkeypatch: pytest.MonkeyPatch, reference_lj: str
) -> None:
    out = tmp_path / "lj.srt"  # on the big disk: only the home folder runs out of space
    with small_disk(tmp_path / "disk", "8m") as disk:
        store = _use_home(monkeypatch, disk.path / "home")
        with Following("transcribe", media / LJ, *MANY_CHUNKS, "-o", out) as job:
            job.until_fragments(2)
            disk.fill(paths.log_file())
            code = job.finish()
        _assert_one_clear_error(code, job.stderr, DISK_FULL)
        _assert_error_event(job.events, DISK_FULL)
        folder = store.folder(job.job_id)
        saved = _assert_checkpoint_holds_the_announced_chunks(store, job.job_id, job.events)
        assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")], "a torn write"
        assert json.loads((folder / "job.json").read_text())["id"] == job.job_id
        assert not out.exists()

        disk.unfill()
        _resume_and_check(store, job.job_id, saved, out, reference_lj)


# -- 2. the disk is too small from the start --------------------------------------------------


def test_audio_that_does_not_fit_fails_cleanly_and_touches_nothing_else(
    tmp_path: Path, media: Path, monkeypatch: pytest.MonkeyPatch, reference_jfk: str
) -> None:
    out = tmp_path / "jfk.srt"
    with small_disk(tmp_path / "disk", "200k") as disk:  # jfk decodes to 352 kB
        store = _use_home(monkeypatch, disk.path / "home")
        bystander = store.create(media / LJ, JobSettings(), output_path=tmp_path / "other.srt")
        Edits(bystander.id).save(store.folder(bystander.id))
        other_before = job_files(store.folder(bystander.id))
        source_before = _digest(media / JFK)

        done = cli("transcribe", media / JFK, *MANY_CHUNKS, "-o", out, "--events", "jsonl")
        line = _assert_one_clear_error(done.returncode, done.stderr, DISK_FULL)
        assert "audio.wav" in line, line
        events = events_of(done.stdout)
        _assert_error_event(events, DISK_FULL)
        assert not fragment_indices(events)

        (record,) = [r for r in store.list() if r.id != bystander.id]
        assert record.status == JobStatus.FAILED
        assert DISK_FULL in record.error["message"]
        # No half-decoded audio is left to pass for the real thing, nor any temporary file.
        assert sorted(job_files(store.folder(record.id))) == ["job.json"]
        assert job_files(store.folder(bystander.id)) == other_before
        assert _digest(media / JFK) == source_before
        assert not out.exists()
        assert disk.free_bytes() > 100_000, "the failed decode's space was not given back"

        disk.resize("4m")  # the user makes room
        resumed = cli("resume", record.id)
        assert resumed.returncode == 0, resumed.stderr
        assert out.read_text(encoding="utf-8") == reference_jfk
        assert job_files(store.folder(bystander.id)) == other_before


def test_a_full_disk_before_the_job_starts_leaves_no_half_made_job(
    tmp_path: Path, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with small_disk(tmp_path / "disk", "1m") as disk:
        store = _use_home(monkeypatch, disk.path / "home")
        bystander = store.create(media / LJ, JobSettings())
        other_before = job_files(store.folder(bystander.id))
        disk.fill()

        done = cli("transcribe", media / JFK, *MANY_CHUNKS, "-o", tmp_path / "jfk.srt")
        _assert_one_clear_error(done.returncode, done.stderr, DISK_FULL)
        # Only the bystander is there: no job folder, no staging folder from the attempt.
        assert sorted(p.name for p in store.root.iterdir()) == [bystander.id]
        assert job_files(store.folder(bystander.id)) == other_before
        listing = cli("jobs", "--json")
        assert listing.returncode == 0, listing.stderr
        assert [j["id"] for j in json.loads(listing.stdout)] == [bystander.id]


# -- 3. the disk turns read-only under the job ------------------------------------------------


def test_read_only_home_mid_job_stops_cleanly_and_resumes(
    tmp_path: Path, media: Path, monkeypatch: pytest.MonkeyPatch, reference_lj: str
) -> None:
    out = tmp_path / "lj.srt"
    with small_disk(tmp_path / "disk", "16m") as disk:
        store = _use_home(monkeypatch, disk.path / "home")
        with Following("transcribe", media / LJ, *MANY_CHUNKS, "-o", out) as job:
            job.until_fragments(2)
            disk.read_only()
            folder = store.folder(job.job_id)
            frozen = job_files(folder)  # nothing can change these files from now on
            code = job.finish()
        _assert_one_clear_error(code, job.stderr, READ_ONLY)
        _assert_error_event(job.events, READ_ONLY)
        after = job_files(folder)
        assert {k: v for k, v in after.items() if not k.endswith(".tmp")} == frozen
        saved = _assert_checkpoint_holds_the_announced_chunks(store, job.job_id, job.events)
        assert not out.exists()

        disk.read_write()
        _resume_and_check(store, job.job_id, saved, out, reference_lj)


# -- 4. files removed under the running job ---------------------------------------------------


def test_stored_audio_deleted_mid_job_fails_clearly_and_resume_decodes_again(
    tmp_path: Path, media: Path, studio_home: Path, reference_lj: str
) -> None:
    """A user "cleaning up" the big audio file in the app's data folder mid-job."""
    out = tmp_path / "lj.srt"
    store = JobStore()
    with Following("transcribe", media / LJ, *MANY_CHUNKS, "-o", out) as job:
        job.until_fragments(2)
        (store.folder(job.job_id) / "audio.wav").unlink()
        code = job.finish()
    _assert_one_clear_error(code, job.stderr, GONE_AUDIO)
    errors = [e["data"] for e in job.events if e["event"] == "error"]
    assert [e["code"] for e in errors] == ["storage_error"]
    record = store.get(job.job_id)
    assert record.status == JobStatus.FAILED and "audio.wav" in record.error["message"]
    saved = _assert_checkpoint_holds_the_announced_chunks(store, job.job_id, job.events)

    events = _resume_and_check(store, job.job_id, saved, out, reference_lj)
    messages = [e["data"]["message"] for e in events if e["event"] == "progress"]
    assert "Audio extracted" in messages, "resume did not decode the missing audio again"
    assert (store.folder(job.job_id) / "audio.wav").is_file()


def test_job_folder_moved_to_the_trash_mid_job_fails_clearly(
    tmp_path: Path, media: Path, studio_home: Path
) -> None:
    """The user drags the whole job folder to the trash while the job runs."""
    out = tmp_path / "lj.srt"
    store = JobStore()
    trash = tmp_path / "Trash"
    trash.mkdir()
    with Following("transcribe", media / LJ, *MANY_CHUNKS, "-o", out) as job:
        job.until_fragments(2)
        os.replace(store.folder(job.job_id), trash / job.job_id)
        shutil.rmtree(trash / job.job_id, ignore_errors=True)
        code = job.finish()
    # The next write says the folder was removed; if the job reads the next chunk's
    # audio first (a narrow window after a chunk is saved), that read says so instead.
    line = _assert_one_clear_error(code, job.stderr, "")
    assert REMOVED in line or GONE_AUDIO in line, line
    _assert_error_event(job.events, REMOVED if REMOVED in line else GONE_AUDIO)
    assert not store.folder(job.job_id).exists(), "the job folder came back half made"
    assert not out.exists()

    listing = cli("jobs", "--json")
    assert listing.returncode == 0 and json.loads(listing.stdout) == [], listing.stdout
    resumed = cli("resume", job.job_id)
    _assert_one_clear_error(resumed.returncode, resumed.stderr, f"There is no job {job.job_id}")


# -- 5. the user's edits survive a full or read-only disk -------------------------------------


def test_saving_edits_on_a_full_or_read_only_disk_keeps_the_saved_edits(
    tmp_path: Path, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with small_disk(tmp_path / "disk", "1m") as disk:
        store = _use_home(monkeypatch, disk.path / "home")
        record = store.create(media / JFK, JobSettings())
        folder = store.folder(record.id)
        edits = Edits(record.id)
        edits.modify("0_0", text="Ask not", start=0.5, end=2.0, changed={"text"}, stage="unaligned")
        edits.delete("0_1", "unaligned")
        edits.save(folder)
        saved = (folder / EDITS_FILE).read_bytes()

        disk.fill()
        edits.insert("1_x", text="my own line", start=9.0, end=10.0)
        with pytest.raises(StorageError, match="The disk is full") as full:
            edits.save(folder)
        assert str(folder / EDITS_FILE) in str(full.value)
        assert (folder / EDITS_FILE).read_bytes() == saved
        assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
        disk.unfill()

        disk.read_only()
        with pytest.raises(StorageError, match="The disk is read-only") as read_only:
            edits.save(folder)
        assert str(folder / EDITS_FILE) in str(read_only.value)
        assert (folder / EDITS_FILE).read_bytes() == saved
        on_disk = Edits.load(folder, record.id)
        assert set(on_disk.rows) == {"0_0"} and set(on_disk.deleted) == {"0_1"}
        assert not on_disk.inserted
        disk.read_write()

        edits.save(folder)  # with the fault gone, the newest edits save
        assert set(Edits.load(folder, record.id).inserted) == {"1_x"}


# -- 6. the output file cannot be written ------------------------------------------------------


def test_read_only_output_folder_names_the_path_and_resume_writes_it(
    tmp_path: Path, media: Path, studio_home: Path, reference_jfk: str
) -> None:
    """Advisory locks do not stop writes on Linux, so "the subtitle file cannot be
    written" is an output folder on a read-only disk (a mounted share, a locked card)."""
    store = JobStore()
    with small_disk(tmp_path / "exports", "1m") as disk:
        out = disk.path / "jfk.srt"
        disk.read_only()
        done = cli("transcribe", media / JFK, *MANY_CHUNKS, "-o", out, "--events", "jsonl")
        line = _assert_one_clear_error(done.returncode, done.stderr, READ_ONLY)
        assert str(out) in line, line
        _assert_error_event(events_of(done.stdout), READ_ONLY)

        (record,) = store.list()
        assert record.status == JobStatus.FAILED and record.output_path == str(out)
        folder = store.folder(record.id)
        kept = job_files(folder)
        assert kept["subtitles.srt"].decode() == reference_jfk  # the work is all there
        assert parse_srt(reference_jfk)

        disk.read_write()
        resumed = cli("resume", record.id, "--events", "jsonl")
        assert resumed.returncode == 0, resumed.stderr
        assert not fragment_indices(events_of(resumed.stdout)), "resume transcribed again"
        assert out.read_text(encoding="utf-8") == reference_jfk
        assert job_files(folder)["aligned.json"] == kept["aligned.json"], "aligned again"
