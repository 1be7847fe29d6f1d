"""What a user (or the person they ask for help) needs to know about a failed job.

The job list shows the one-line message; this gathers the rest behind "Error
details": where the job stopped, where its files are, and the log lines the job
wrote, tracebacks included, so a bug report can be made without hunting for the log.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from pathlib import Path

from subtitle_studio.core.jobstore import JobRecord
from subtitle_studio.errors import translatable

#: A log record (``paths.LOG_FORMAT``) starts with its time stamp; other lines continue
#: the one before (a traceback).
_RECORD_START = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")

#: At most this many log lines are shown (the latest).
MAX_LOG_LINES = 40


def failure_details(
    record: JobRecord,
    job_folder: Path,
    log_file: Path,
    translate: Callable[[str], str] = lambda template: template,
) -> str:
    """Plain text for the details pane of a failed job's message.

    ``translate`` turns each English label template into the window's language (the
    core has no Qt); a translation that does not fit its parameters reads in English.
    """

    def line(template: str, **params: object) -> str:
        values = {name: str(value) for name, value in params.items()}
        try:
            return translate(template).format(**values)
        except (KeyError, IndexError, ValueError):
            return template.format(**values)

    error = record.error or {}
    percent = f"{record.percent:.0f}"
    lines = [
        line(translatable("Job: {job_id}"), job_id=record.id),
        line(translatable("File: {source}"), source=record.source),
        line(translatable("Error code: {code}"), code=error.get("code", "unknown")),
        line(
            translatable("Stopped in phase: {phase} at {percent} %"),
            phase=record.phase,
            percent=percent,
        )
        if record.phase
        else line(translatable("Stopped in phase: not started at {percent} %"), percent=percent),
        line(translatable("Job folder: {folder}"), folder=job_folder),
        line(translatable("Log file: {log_file}"), log_file=log_file),
    ]
    log_lines = job_log_lines(log_file, record.id)
    if log_lines:
        lines += ["", translate(translatable("From the log:")), *log_lines]
    else:
        lines += ["", translate(translatable("The log has no lines about this job."))]
    return "\n".join(lines)


def job_log_lines(log_file: Path, job_id: str, limit: int = MAX_LOG_LINES) -> list[str]:
    """The latest log records that name the job, with their continuation lines."""
    kept: deque[str] = deque(maxlen=limit)
    try:
        with log_file.open(encoding="utf-8", errors="replace") as handle:
            following = False
            for raw in handle:
                line = raw.rstrip("\n")
                if _RECORD_START.match(line):
                    following = job_id in line
                if following:
                    kept.append(line)
    except OSError:
        return []
    return list(kept)
