"""The command line as a user and a script meet it: real processes, real model, real media."""

from __future__ import annotations

import hashlib
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
    text_renamed_as_video,
    truncated_copy,
    video_without_audio,
    without_read_override,
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


# -- bad input (SPEC §11): one parametrised matrix, easy to extend ------------------------


def _not_media(tmp: Path, media: Path) -> list:
    (tmp / "notes.txt").write_text("not media at all\n")
    return ["transcribe", tmp / "notes.txt"]


def _renamed_text(tmp: Path, media: Path) -> list:
    return ["transcribe", text_renamed_as_video(tmp / "holiday.mp4")]


def _no_audio(tmp: Path, media: Path) -> list:
    return ["transcribe", video_without_audio(tmp / "silent film.mp4")]


def _empty(tmp: Path, media: Path) -> list:
    (tmp / "empty.wav").write_bytes(b"")
    return ["transcribe", tmp / "empty.wav"]


def _truncated_flac(tmp: Path, media: Path) -> list:
    return ["transcribe", truncated_copy(media / LJ, tmp / "cut.flac")]


def _truncated_mp4(tmp: Path, media: Path) -> list:
    return ["transcribe", truncated_copy(media / "en_nasa_13013_video.mp4", tmp / "cut.mp4")]


def _missing(tmp: Path, media: Path) -> list:
    return ["transcribe", tmp / "nowhere" / "gone.mp4"]


def _folder(tmp: Path, media: Path) -> list:
    (tmp / "a folder.mp4").mkdir()
    return ["transcribe", tmp / "a folder.mp4"]


def _unreadable(tmp: Path, media: Path) -> list:
    path = copy_to(media / "jfk.flac", tmp / "locked.flac")
    path.chmod(0)
    return ["transcribe", path]


def _missing_model(tmp: Path, media: Path) -> list:
    return ["transcribe", media / "jfk.flac", "--model", "small", "-o", tmp / "x.srt"]


def _bad_setting(tmp: Path, media: Path) -> list:
    return ["transcribe", media / "jfk.flac", "--beam-size", "0", "-o", tmp / "x.srt"]


def _corrupt_checkpoint(tmp: Path, media: Path) -> list:
    store = JobStore()
    record = store.create(media / "jfk.flac", JobSettings(), output_path=tmp / "x.srt")
    (store.folder(record.id) / "checkpoint.json").write_text(
        '{"version": 1, "job_id": "', encoding="utf-8"
    )
    return ["resume", record.id]


def _future_job(tmp: Path, media: Path) -> list:
    store = JobStore()
    record = store.create(media / "jfk.flac", JobSettings())
    path = store.folder(record.id) / "job.json"
    path.write_text(path.read_text().replace('"version": 1', '"version": 99'), encoding="utf-8")
    return ["resume", record.id]


def _unknown_job(tmp: Path, media: Path) -> list:
    return ["resume", "0" * 32]


def _malformed_job_id(tmp: Path, media: Path) -> list:
    return ["resume", "../../etc"]


BAD_INPUTS = {
    "not media": (_not_media, "is not a media file"),
    "text renamed .mp4": (_renamed_text, "is not a media file"),
    "video without audio": (_no_audio, "has no audio track"),
    "zero bytes": (_empty, "is empty (0 bytes)"),
    "truncated flac": (_truncated_flac, "appears to be truncated"),
    "truncated mp4": (_truncated_mp4, "damaged or incomplete"),
    "missing file": (_missing, "was not found"),
    "folder": (_folder, "is a folder"),
    "unreadable file": (_unreadable, "permission denied"),
    "missing model": (_missing_model, "'small' is not on this computer"),
    "impossible setting": (_bad_setting, "beam size"),
    "corrupt checkpoint": (_corrupt_checkpoint, "checkpoint"),
    "job.json from the future": (_future_job, "newer Subtitle Studio"),
    "unknown job": (_unknown_job, "There is no job"),
    "malformed job id": (_malformed_job_id, "is not a job id"),
}


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != ".lock":
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_gets_a_clear_message_and_touches_nothing_else(
    case: str, tmp_path: Path, media: Path
) -> None:
    make, expected = BAD_INPUTS[case]
    store = JobStore()
    bystander = store.create(media / "jfk.flac", JobSettings(), output_path=tmp_path / "other.srt")
    (store.folder(bystander.id) / "edits.json").write_text('{"keep": "me"}')
    before = _tree_digest(store.folder(bystander.id))
    args = make(tmp_path, media)
    inputs = [a for a in args if isinstance(a, Path) and a.is_file()]
    input_digests = {
        p: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs if os.access(p, os.R_OK)
    }

    prefix = without_read_override() if case == "unreadable file" else None
    done = cli(*args, "--events", "jsonl", prefix=prefix)

    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    errors = [
        line for line in done.stderr.splitlines() if line.startswith("subtitle-studio: error:")
    ]
    assert len(errors) == 1, done.stderr
    assert expected in errors[0], errors[0]
    assert _tree_digest(store.folder(bystander.id)) == before, "another job was touched"
    for path, digest in input_digests.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, "the input was modified"
    events = events_of(done.stdout)
    if events:  # the job started: its failure was published as an error event
        error_events = [e for e in events if e["event"] == "error"]
        assert error_events and expected.lower() in error_events[0]["data"]["message"].lower()
    if case == "corrupt checkpoint":
        failed = [r for r in store.list() if r.id != bystander.id][0]
        assert failed.status == JobStatus.FAILED and "checkpoint" in failed.error["message"]
        assert (
            store.folder(failed.id) / "checkpoint.json"
        ).read_text() == '{"version": 1, "job_id": "'


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
