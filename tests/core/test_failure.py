"""The details shown for a failed job: its own log lines, tracebacks included, nobody else's."""

from __future__ import annotations

from pathlib import Path

from subtitle_studio.core.failure import failure_details, job_log_lines
from subtitle_studio.core.jobstore import JobRecord
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.settings import JobSettings

JOB = "0123456789abcdef0123456789abcdef"
OTHER = "fedcba9876543210fedcba9876543210"


def write_log(path: Path) -> Path:
    path.write_text(
        f"2026-11-28 10:00:00,001 INFO subtitle_studio.core.pipeline: job {JOB} started\n"
        f"2026-11-28 10:00:01,002 INFO subtitle_studio.core.pipeline: job {OTHER} started\n"
        f"2026-11-28 10:00:02,003 ERROR subtitle_studio.core.pipeline: job {JOB} failed oddly\n"
        "Traceback (most recent call last):\n"
        '  File "pipeline.py", line 1, in run\n'
        "ZeroDivisionError: division by zero\n"
        f"2026-11-28 10:00:03,004 ERROR subtitle_studio.core.pipeline: job {OTHER} failed: no\n"
        "Traceback (most recent call last):\n"
        "KeyError: 'other'\n",
        encoding="utf-8",
    )
    return path


def test_the_jobs_lines_and_their_tracebacks_only(tmp_path: Path) -> None:
    lines = job_log_lines(write_log(tmp_path / "app.log"), JOB)
    assert len(lines) == 5
    assert lines[0].endswith(f"job {JOB} started")
    assert lines[-1] == "ZeroDivisionError: division by zero"
    assert not any(OTHER in line or "KeyError" in line for line in lines)


def test_only_the_latest_lines_are_kept(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text(
        "".join(f"2026-11-28 10:00:{i:02d},000 INFO x: job {JOB} step {i}\n" for i in range(60))
    )
    lines = job_log_lines(log, JOB, limit=10)
    assert [line.rsplit(" ", 1)[1] for line in lines] == [str(i) for i in range(50, 60)]


def test_a_missing_log_is_said_plainly(tmp_path: Path) -> None:
    record = JobRecord(
        id=JOB,
        source="/videos/a.mp4",
        settings=JobSettings(),
        status=JobStatus.FAILED,
        phase="transcribe",
        percent=42.4,
        error={"code": "model_missing", "message": "The model is missing."},
    )
    text = failure_details(record, tmp_path / "jobs" / JOB, tmp_path / "no.log")
    assert "Error code: model_missing" in text
    assert "Stopped in phase: transcribe at 42 %" in text
    assert "The log has no lines about this job." in text


def test_details_quote_the_log(tmp_path: Path) -> None:
    record = JobRecord(id=JOB, source="/videos/a.mp4", settings=JobSettings())
    text = failure_details(record, tmp_path, write_log(tmp_path / "app.log"))
    assert "From the log:" in text and "ZeroDivisionError" in text
    assert "Error code: unknown" in text and "Stopped in phase: not started" in text
