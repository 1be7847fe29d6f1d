"""The window as a user meets it: drop files, watch rows arrive, fix them while the machine
works, and find every fix again after alignment and after reopening the application."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from subtitle_studio.core.alignment import AlignedDoc
from subtitle_studio.core.app_settings import save_defaults
from subtitle_studio.core.checkpoint import load_checkpoint
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.gui import main_window as main_window_module
from subtitle_studio.gui.subtitle_model import COL_END, COL_START, COL_TEXT, MODIFIED_ROLE
from tests.gui.conftest import AcceptingDialog
from tests.support.media_files import copy_to

LJ = "en_ljspeech_LJ001-0001_to_0023_concat.flac"
#: Short chunks: many fragments, and time to edit between them.
MANY_CHUNKS = JobSettings(chunk_max_s=10, align_model="none")


def drop(window, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)


def wait_status(qtbot, window, job_id: str, status: JobStatus, timeout: int = 120_000) -> None:
    qtbot.waitUntil(
        lambda: (
            window.session.queue.running_id != job_id and window.store.get(job_id).status == status
        ),
        timeout=timeout,
    )


def test_dropping_media_creates_jobs_and_refuses_the_rest(
    make_window, qtbot, tmp_path: Path, media: Path
) -> None:
    window = make_window()
    folder = tmp_path / "holiday"
    copy_to(media / "jfk.flac", folder / "speech.flac")
    copy_to(media / "en_nasa_13013_video.mp4", folder / "sub" / "clip.mp4")
    (folder / "notes.txt").write_text("not media")
    notes = tmp_path / "letter.pdf"
    notes.write_bytes(b"%PDF-1.4")

    drop(window, [folder, notes])

    records = window.store.list()
    assert sorted(Path(r.source).name for r in records) == ["clip.mp4", "speech.flac"]
    assert window.prompts.informed and "letter.pdf" in window.prompts.informed[0][1]
    assert "notes.txt" not in window.prompts.informed[0][1]  # inside a dropped folder: skipped
    queued = [window.session.queue.running_id, *window.session.queue.waiting_ids]
    assert sorted(queued) == sorted(r.id for r in records)
    for record in records:
        wait_status(qtbot, window, record.id, JobStatus.DONE)
    assert window.session.queue.running_id is None


def test_dropping_only_unsupported_files_creates_nothing(make_window, tmp_path: Path) -> None:
    window = make_window()
    (tmp_path / "a.docx").write_bytes(b"PK")
    (tmp_path / "b.pdf").write_bytes(b"%PDF")  # (a dropped .srt opens for editing)
    drop(window, [tmp_path / "a.docx", tmp_path / "b.pdf"])
    assert window.store.list() == []
    assert len(window.prompts.informed) == 1


def test_dropping_a_file_with_an_unfinished_job_offers_to_resume_it(
    make_window, qtbot, tmp_path: Path, media: Path
) -> None:
    video = copy_to(media / "jfk.flac", tmp_path / "speech.flac")
    earlier = JobStore().create(video, JobSettings(align_model="none"))
    window = make_window()
    window.prompts.resume_answer = True
    drop(window, [video])
    assert window.prompts.asked_resume == ["speech.flac"]
    assert [r.id for r in window.store.list()] == [earlier.id], "no second job"
    wait_status(qtbot, window, earlier.id, JobStatus.DONE)

    window.prompts.resume_answer = False
    other = JobStore().create(video, JobSettings(align_model="none"))
    drop(window, [video])
    assert len(window.store.list()) == 3, "starting over makes a new job"
    for record in window.store.list():
        if record.id != earlier.id and record.id != other.id:
            wait_status(qtbot, window, record.id, JobStatus.DONE)


def test_edits_during_transcription_survive_alignment_and_reopening(
    make_window, qtbot, tmp_path: Path, media: Path
) -> None:
    save_defaults(MANY_CHUNKS)
    window = make_window()
    [job_id] = window.add_files([copy_to(media / LJ, tmp_path / "printing.flac")])
    opened = window.session.document(job_id)
    model, document = opened.model, opened.document
    assert window.table.model() is model

    # Rows appear while the job runs.
    qtbot.waitUntil(lambda: len(document) >= 4, timeout=120_000)
    assert window.session.queue.running_id == job_id
    text_row, time_row = document.rows[0].id, document.rows[2].id
    first = model.index(0, COL_TEXT)
    assert model.setData(
        first, "Printing, in the only sense we care about,", Qt.ItemDataRole.EditRole
    )
    times_index = model.index(document.position(time_row), COL_START)
    new_start = round(document.row(time_row).start + 0.25, 3)
    assert model.setData(times_index, f"{new_start:.3f}", Qt.ItemDataRole.EditRole)
    new_end = round(document.row(time_row).end - 0.25, 3)
    assert model.setData(
        model.index(document.position(time_row), COL_END),
        f"{new_end:.3f}",
        Qt.ItemDataRole.EditRole,
    )
    # Saved to edits.json within a second.
    edits_file = window.store.folder(job_id) / "edits.json"
    qtbot.waitUntil(
        lambda: edits_file.exists() and time_row in edits_file.read_text(), timeout=1000
    )

    wait_status(qtbot, window, job_id, JobStatus.DONE, timeout=180_000)
    qtbot.waitUntil(lambda: document.aligned, timeout=10_000)

    aligned = AlignedDoc.load(window.store.folder(job_id), job_id)
    assert aligned is not None
    edited = document.row(text_row)
    assert edited.text == "Printing, in the only sense we care about,"
    assert edited.modified and model.index(document.position(text_row), 0).data(MODIFIED_ROLE)
    pieces = [r for r in aligned.segments if r["source_id"] == text_row]
    span = (min(r["start"] for r in pieces), max(r["end"] for r in pieces))
    assert (edited.start, edited.end) == span or edited.realigned, "aligned times (or re-aligned)"
    moved = document.row(time_row)
    assert (moved.start, moved.end) == (new_start, new_end) and moved.modified
    untouched = [r for r in document.rows if not r.modified]
    by_id = {r["id"]: r for r in aligned.segments}
    assert untouched and all(
        (r.start, r.end) == (by_id[r.id]["start"], by_id[r.id]["end"]) for r in untouched
    )

    window.close()
    reopened = make_window()
    reopened.select_job(job_id)
    again = reopened.session.document(job_id).document
    assert again.row(text_row).text == edited.text and again.row(text_row).modified
    assert (again.row(time_row).start, again.row(time_row).end) == (new_start, new_end)


def start_long_job(make_window, qtbot, tmp_path: Path, media: Path, rows: int = 3):
    """A window running a job of many short chunks, once ``rows`` rows are shown."""
    save_defaults(MANY_CHUNKS)
    window = make_window()
    [job_id] = window.add_files([copy_to(media / LJ, tmp_path / "printing.flac")])
    document = window.session.document(job_id).document
    qtbot.waitUntil(lambda: len(document) >= rows, timeout=120_000)
    return window, job_id


def test_pause_and_resume_from_the_job_list(
    make_window, qtbot, tmp_path: Path, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, job_id = start_long_job(make_window, qtbot, tmp_path, media)
    window.select_job(job_id)
    window.pause_selected()
    wait_status(qtbot, window, job_id, JobStatus.PAUSED)
    done_before = set(load_checkpoint(window.store.folder(job_id), job_id).processed_indices)
    assert window.jobs.record(job_id).status == JobStatus.PAUSED

    monkeypatch.setattr(main_window_module, "ResumeDialog", AcceptingDialog)
    fragments: list[int] = []
    window.session.bridge.fragment.connect(lambda j, data: fragments.append(data["segment_index"]))
    window.start_selected()
    wait_status(qtbot, window, job_id, JobStatus.DONE, timeout=180_000)
    assert fragments and not set(fragments) & done_before, "finished chunks were not redone"


def test_a_job_killed_with_its_process_shows_interrupted_and_resumes(
    make_window, qtbot, tmp_path: Path, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = copy_to(media / LJ, tmp_path / "printing.flac")
    proc = subprocess.Popen(
        [sys.executable, "-m", "subtitle_studio", "transcribe", source, "--chunk-length", "10",
         "--align-model", "none", "--events", "jsonl", "-o", tmp_path / "out.srt"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=os.environ.copy(),
    )  # fmt: skip
    events = (json.loads(line) for line in proc.stdout)
    job_id = next(events)["data"]["job_id"]  # the first event is `connected`
    for event in events:
        if event["event"] == "fragment" and event["data"]["segment_index"] >= 2:
            break
    proc.kill()
    proc.wait(timeout=30)

    window = make_window()
    assert window.jobs.record(job_id).status == JobStatus.INTERRUPTED
    window.select_job(job_id)
    assert len(window.session.document(job_id).document) > 0, "the checkpoint's rows are shown"

    monkeypatch.setattr(main_window_module, "ResumeDialog", AcceptingDialog)
    window.start_selected()
    wait_status(qtbot, window, job_id, JobStatus.DONE, timeout=180_000)
    assert (tmp_path / "out.srt").exists()


def launch_application(source: Path) -> subprocess.Popen:
    """``subtitle-studio FILE`` as "Open with" runs it, offscreen."""
    return subprocess.Popen(
        [sys.executable, "-m", "subtitle_studio", str(source)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip


def test_sigterm_closes_the_window_and_pauses_the_running_job(tmp_path: Path, media: Path) -> None:
    """``subtitle-studio FILE`` starts the file at once; SIGTERM closes cleanly, pausing it."""
    source = copy_to(media / LJ, tmp_path / "printing.flac")
    save_defaults(MANY_CHUNKS)
    proc = launch_application(source)
    store = JobStore()
    deadline = time.monotonic() + 120
    job_id = None
    while time.monotonic() < deadline:
        records = store.list()
        if records:
            job_id = records[0].id
            checkpoint = load_checkpoint(store.folder(job_id), job_id)
            if checkpoint is not None and len(checkpoint.results) >= 2:
                break
        time.sleep(0.2)
    assert job_id is not None, "the file given on the command line was not started"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert store.get(job_id).status == JobStatus.PAUSED


def test_closing_the_window_pauses_the_job_and_the_next_start_resumes_it(
    make_window, qtbot, tmp_path: Path, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, job_id = start_long_job(make_window, qtbot, tmp_path, media)
    window.close()
    assert window.store.get(job_id).status == JobStatus.PAUSED
    done = len(load_checkpoint(window.store.folder(job_id), job_id).results)

    reopened = make_window()
    assert reopened.jobs.record(job_id).status == JobStatus.PAUSED
    reopened.select_job(job_id)
    monkeypatch.setattr(main_window_module, "ResumeDialog", AcceptingDialog)
    reopened.start_selected()
    wait_status(qtbot, reopened, job_id, JobStatus.DONE, timeout=180_000)
    checkpoint = load_checkpoint(reopened.store.folder(job_id), job_id)
    assert checkpoint.complete and done < checkpoint.total_segments


def test_cancel_from_the_window(make_window, qtbot, tmp_path: Path, media: Path) -> None:
    window, job_id = start_long_job(make_window, qtbot, tmp_path, media, rows=2)
    window.select_job(job_id)
    assert window.act_cancel.isEnabled()
    window.cancel_selected()
    wait_status(qtbot, window, job_id, JobStatus.CANCELED)
    assert window.jobs.record(job_id).status == JobStatus.CANCELED
    assert (window.store.folder(job_id) / "checkpoint.json").exists(), "the work done is kept"


def test_export_never_overwrites_and_delete_asks_first(
    make_window, qtbot, tmp_path: Path, media: Path
) -> None:
    save_defaults(JobSettings(align_model="none"))
    window = make_window()
    video = copy_to(media / "jfk.flac", tmp_path / "speech.flac")
    [job_id] = window.add_files([video])
    wait_status(qtbot, window, job_id, JobStatus.DONE)
    opened = window.session.document(job_id)
    qtbot.waitUntil(lambda: opened.document.aligned and len(opened.document) > 0, timeout=10_000)
    # The job wrote speech.srt beside the video; the export proposes a free name.
    proposed: list[Path] = []
    window.prompts.ask_export_path = lambda default: (
        proposed.append(default) or tmp_path / "mine.vtt"
    )
    window.select_job(job_id)
    assert window.act_export.isEnabled()
    window.export_current()
    assert proposed == [tmp_path / "speech (2).srt"]
    assert (tmp_path / "mine.vtt").read_text().startswith("WEBVTT")

    window.prompts.delete_answer = False
    window.delete_selected()
    assert window.store.list(), "nothing is deleted without confirmation"
    window.prompts.delete_answer = True
    window.delete_selected()
    assert window.store.list() == []
    assert (tmp_path / "speech.srt").exists(), "exported files are kept"


def test_a_corrected_row_is_realigned_against_its_own_audio(
    make_window, qtbot, tmp_path: Path, media: Path, tiny_align_model: Path
) -> None:
    """After alignment, a text correction is aligned again with the job's alignment model;
    the new times are saved and survive a new merge."""
    save_defaults(JobSettings(align_model=str(tiny_align_model)))
    window = make_window()
    [job_id] = window.add_files([copy_to(media / "jfk.flac", tmp_path / "speech.flac")])
    wait_status(qtbot, window, job_id, JobStatus.DONE)
    opened = window.session.document(job_id)
    document, model = opened.document, opened.model
    qtbot.waitUntil(lambda: document.aligned, timeout=10_000)
    row = document.rows[-1]
    corrected = "Ask what YOU can do for your country!"
    assert corrected != row.text
    assert model.setData(model.index(len(document) - 1, COL_TEXT), corrected)
    qtbot.waitUntil(lambda: document.row(row.id).realigned, timeout=60_000)
    realigned = document.row(row.id)
    assert realigned.modified and "text" in realigned.changed
    assert 0 <= realigned.start < realigned.end <= 11.01
    edits_file = window.store.folder(job_id) / "edits.json"
    qtbot.waitUntil(
        lambda: edits_file.exists() and '"realigned": true' in edits_file.read_text(),
        timeout=2_000,
    )
    window.session.apply_alignment(job_id)  # the merge again: the re-aligned times stay
    again = document.row(row.id)
    assert (again.text, again.start, again.end) == (corrected, realigned.start, realigned.end)


def test_the_window_stays_open_after_its_files_are_done(tmp_path: Path, media: Path) -> None:
    source = copy_to(media / "jfk.flac", tmp_path / "speech.flac")
    save_defaults(JobSettings(align_model="none"))
    proc = launch_application(source)
    store = JobStore()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        records = store.list()
        if records and records[0].status == JobStatus.DONE:
            break
        time.sleep(0.2)
    assert store.list() and store.list()[0].status == JobStatus.DONE
    time.sleep(1.0)
    assert proc.poll() is None, "the window closed by itself"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err


def test_a_failed_job_says_why_with_details(make_window, qtbot, tmp_path: Path) -> None:
    """A file with a video's name but text inside fails readably; the details name the
    error code, the phase it stopped in and where the job's files and log are."""
    fake = tmp_path / "holiday.mp4"
    fake.write_text("this is not a video")
    window = make_window()
    [job_id] = window.add_files([fake])
    wait_status(qtbot, window, job_id, JobStatus.FAILED)
    window.select_job(job_id)
    qtbot.waitUntil(window.act_details.isEnabled, timeout=2_000)
    window.show_error_details()
    [(title, message)] = window.prompts.errors
    assert title == "holiday.mp4 failed"
    assert "holiday.mp4" in message and "Traceback" not in message
    [details] = window.prompts.error_details
    record = window.store.get(job_id)
    assert f"Error code: {record.error['code']}" in details
    assert "Stopped in phase: extract" in details
    assert str(window.store.folder(job_id)) in details
    assert "Log file: " in details
