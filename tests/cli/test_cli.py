"""The command line as a user and a script meet it: real processes, real model, real media."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from subtitle_studio.core.checkpoint import load_checkpoint
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.settings import JobSettings
from tests.support.media_files import (
    copy_to,
)
from tests.support.srt_check import parse_srt

pytestmark = pytest.mark.slow

LJ = "en_ljspeech_LJ001-0001_to_0023_concat.flac"
#: Short chunks so the LJ Speech clip (156 s) makes many chunks to kill between.
MANY_CHUNKS = ["--chunk-length", "10", "--align-model", "none"]


def cli(
    *args: object, prefix: list[str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    command = [*(prefix or []), sys.executable, "-m", "subtitle_studio", *map(str, args)]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, env=os.environ.copy()
    )


def events_of(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def start_following(*args: object) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "subtitle_studio", *map(str, args), "--events", "jsonl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )


def read_until_fragments(proc: subprocess.Popen, count: int) -> tuple[str, list[dict]]:
    """Read JSON lines until ``count`` fragments arrived; return the job id and the events."""
    seen: list[dict] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        event = json.loads(line)
        seen.append(event)
        if sum(e["event"] == "fragment" for e in seen) >= count:
            break
    job_id = seen[0]["data"]["job_id"]
    return job_id, seen


@pytest.fixture(scope="module")
def reference_srt(media: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """An uninterrupted run with the same settings, in a home of its own."""
    home = tmp_path_factory.mktemp("reference-home")
    out = home / "reference.srt"
    env = {**os.environ, "SUBTITLE_STUDIO_HOME": str(home)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "subtitle_studio",
            "transcribe",
            media / LJ,
            *MANY_CHUNKS,
            "-o",
            out,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return out.read_text(encoding="utf-8")


def test_transcribe_writes_subtitles_beside_the_video(tmp_path: Path, media: Path) -> None:
    video = copy_to(media / "en_nasa_13013_video.mp4", tmp_path / "films" / "Webb telescope é.mp4")
    (tmp_path / "films" / "Webb telescope é.srt").write_text("someone else's file\n")
    done = cli("transcribe", video)
    assert done.returncode == 0, done.stderr
    output = tmp_path / "films" / "Webb telescope é (2).srt"
    assert done.stdout.strip() == str(output)
    assert (tmp_path / "films" / "Webb telescope é.srt").read_text() == "someone else's file\n"
    cues = parse_srt(output.read_text(encoding="utf-8"))
    assert cues and "telescope" in " ".join(c[3] for c in cues).lower()
    assert "Traceback" not in done.stderr


def test_events_jsonl_follow_the_whole_job(tmp_path: Path, media: Path) -> None:
    done = cli(
        "transcribe",
        media / "jfk.flac",
        "-o",
        tmp_path / "jfk.vtt",
        "--format",
        "vtt",
        "--events",
        "jsonl",
    )
    assert done.returncode == 0, done.stderr
    events = events_of(done.stdout)
    assert events[0]["event"] == "connected"
    assert set(events[0]["data"]) >= {"job_id", "status", "phase", "percent", "seq"}
    seqs = [e["seq"] for e in events[1:]]
    assert seqs == sorted(set(seqs))
    names = [e["event"] for e in events]
    assert "fragment" in names
    codes = [e["data"]["code"] for e in events if e["event"] == "signal"]
    assert codes == ["alignment_ready", "job_complete"]
    progress = [e["data"]["percent"] for e in events if e["event"] == "progress"]
    assert progress[-1] == 100 and progress == sorted(progress)
    assert (tmp_path / "jfk.vtt").read_text().startswith("WEBVTT")


def test_jobs_lists_status_and_percent(tmp_path: Path, media: Path) -> None:
    assert cli("transcribe", media / "jfk.flac", "-o", tmp_path / "a.srt").returncode == 0
    listing = cli("jobs", "--json")
    assert listing.returncode == 0
    jobs = json.loads(listing.stdout)
    assert len(jobs) == 1 and jobs[0]["status"] == "done" and jobs[0]["percent"] == 100
    assert jobs[0]["output_path"] == str(tmp_path / "a.srt")
    human = cli("jobs")
    assert jobs[0]["id"] in human.stdout and "done" in human.stdout


def test_sigkill_mid_job_then_resume_redoes_no_chunk(
    tmp_path: Path, media: Path, reference_srt: str
) -> None:
    proc = start_following("transcribe", media / LJ, *MANY_CHUNKS, "-o", tmp_path / "out.srt")
    job_id, _ = read_until_fragments(proc, 4)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    store = JobStore()
    assert store.get(job_id).status == JobStatus.INTERRUPTED
    listing = json.loads(cli("jobs", "--json").stdout)
    assert [(j["id"], j["status"], j["resumable"]) for j in listing] == [
        (job_id, "interrupted", True)
    ]
    checkpoint = load_checkpoint(store.folder(job_id), job_id)
    done_before = set(checkpoint.processed_indices)
    assert len(done_before) >= 4 and not checkpoint.complete

    audio = store.folder(job_id) / "audio.wav"
    decoded = (audio.stat().st_ino, audio.stat().st_mtime_ns)
    resumed = cli("resume", job_id, "--events", "jsonl")
    assert resumed.returncode == 0, resumed.stderr
    fragments = [
        e["data"]["segment_index"] for e in events_of(resumed.stdout) if e["event"] == "fragment"
    ]
    assert len(fragments) == len(set(fragments)), "a chunk was transcribed twice"
    assert set(fragments) == set(range(checkpoint.total_segments)) - done_before
    # Resume does not decode again: the stored audio is the very file of the first run.
    assert (audio.stat().st_ino, audio.stat().st_mtime_ns) == decoded
    assert (tmp_path / "out.srt").read_text(encoding="utf-8") == reference_srt


def test_ctrl_c_pauses_cleanly_and_says_how_to_resume(
    tmp_path: Path, media: Path, reference_srt: str
) -> None:
    proc = start_following("transcribe", media / LJ, *MANY_CHUNKS, "-o", tmp_path / "out.srt")
    job_id, _ = read_until_fragments(proc, 2)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert f"subtitle-studio resume {job_id}" in err
    assert "Traceback" not in err
    events = events_of(out)
    assert events[-1]["event"] == "signal" and events[-1]["data"]["code"] == "job_paused"
    assert JobStore().get(job_id).status == JobStatus.PAUSED

    resumed = cli("resume", job_id)
    assert resumed.returncode == 0, resumed.stderr
    assert (tmp_path / "out.srt").read_text(encoding="utf-8") == reference_srt


def test_resume_reports_what_it_forced_and_warned(tmp_path: Path, media: Path) -> None:
    proc = start_following("transcribe", media / LJ, *MANY_CHUNKS, "-o", tmp_path / "out.srt")
    job_id, _ = read_until_fragments(proc, 2)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)
    resumed = cli(
        "resume", job_id, "--no-word-timestamps", "--chunk-length", "20", "--language", "fr",
        "--model", "tiny.en", "--threads", "1",
    )  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    for setting in ("word_timestamps", "chunk_max_s", "language"):
        assert f"note: {setting} stays" in resumed.stderr
    record = JobStore().get(job_id)
    assert record.settings.word_timestamps is True and record.settings.chunk_max_s == 10
    assert record.settings.language == "en" and record.settings.threads == 1


def test_leftovers_of_a_crash_are_cleaned_up(tmp_path: Path, media: Path) -> None:
    store = JobStore()
    record = store.create(media / "jfk.flac", JobSettings(), output_path=tmp_path / "jfk.srt")
    half_created = store.root / f".new-{'a' * 32}"
    half_created.mkdir()
    torn_write = store.folder(record.id) / ".checkpoint.json.x1y2.tmp"
    torn_write.write_text('{"version": 1, "jo')
    assert cli("jobs").returncode == 0
    assert not half_created.exists()
    assert cli("resume", record.id).returncode == 0
    assert not torn_write.exists()
    assert store.get(record.id).status == JobStatus.DONE


def test_a_read_only_folder_is_never_written_to(tmp_path: Path, media: Path) -> None:
    """Subtitles for a video in a read-only folder stay in the job folder (even for root)."""
    folder = tmp_path / "archive"
    video = copy_to(media / "jfk.flac", folder / "jfk.flac")
    folder.chmod(0o555)
    try:
        done = cli("transcribe", video)
    finally:
        folder.chmod(0o755)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["jfk.flac"]
    output = Path(done.stdout.strip())
    assert output.name == "subtitles.srt" and output.is_file()
    assert JobStore().root in output.parents
