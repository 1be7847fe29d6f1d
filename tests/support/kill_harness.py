"""Kill a real ``subtitle-studio`` process at chosen instants and look at what it left.

The child runs with ``--events jsonl``; a reader thread timestamps each event as it
arrives, so an instant can be "when phase X begins, plus d seconds", "after the k-th
fragment of this run, plus d seconds" or plainly "d seconds after the process started".
The child then gets SIGKILL: no handler, no ``finally``, no flush — the same as a
power cut as far as the process is concerned.

Where the kill landed is read from the events the child had printed before it died:
the phase of its last ``progress`` event (``start`` before the first one, ``done`` once
``job_complete`` was out). The printer thread lags the pipeline by a few milliseconds
at most, so a kill may have landed a little further on than it says, never earlier.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Where a kill can land, in the order a job passes through them.
LANDINGS = ("start", "extract", "split", "transcribe", "align", "srt", "done")
PHASES = LANDINGS[1:-1]
_EOF = object()


@dataclass(frozen=True)
class Trigger:
    """When to kill: ``delay`` seconds after the process starts (``kind='time'``), after
    the first progress event of ``phase`` (``'phase'``), or after this run's ``count``-th
    fragment (``'fragment'``)."""

    kind: str
    delay: float
    phase: str = ""
    count: int = 0

    @classmethod
    def after_start(cls, delay: float) -> Trigger:
        return cls("time", delay)

    @classmethod
    def in_phase(cls, phase: str, delay: float) -> Trigger:
        return cls("phase", delay, phase=phase)

    @classmethod
    def after_fragments(cls, count: int, delay: float) -> Trigger:
        return cls("fragment", delay, phase="transcribe", count=count)

    @property
    def aim(self) -> str:
        """The landing this trigger aims at (``start`` for a plain time from launch)."""
        return self.phase or "start"

    def describe(self) -> str:
        ms = f"+{self.delay * 1000:.0f} ms"
        if self.kind == "time":
            return f"{ms} after launch"
        if self.kind == "phase":
            return f"{self.phase} begins {ms}"
        return f"fragment #{self.count} of the run {ms}"

    def fires_on(self, event: dict[str, Any], fragments: int) -> bool:
        if self.kind == "phase":
            return event["event"] == "progress" and event["data"].get("phase") == self.phase
        if self.kind == "fragment":
            return event["event"] == "fragment" and fragments >= self.count
        return False


@dataclass
class ChildRun:
    """One child process: what it printed and how it ended."""

    argv: list[str]
    trigger: Trigger | None
    events: list[dict[str, Any]] = field(default_factory=list)
    killed: bool = False
    returncode: int | None = None
    elapsed: float = 0.0
    #: Seconds from launch to the kill (None when the child ended by itself).
    killed_at: float | None = None
    stderr_path: Path | None = None

    @property
    def landed(self) -> str:
        """The phase the child was in when it died (see the module docstring)."""
        phase = "start"
        for event in self.events:
            if event["event"] == "progress":
                phase = event["data"]["phase"]
            elif event["event"] == "signal" and event["data"]["code"] == "job_complete":
                return "done"
        return phase

    @property
    def fragments(self) -> list[int]:
        return [e["data"]["segment_index"] for e in self.events if e["event"] == "fragment"]

    def stderr_tail(self, chars: int = 2000) -> str:
        if self.stderr_path is None or not self.stderr_path.exists():
            return ""
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")[-chars:]


def _read_events(stream: Any, into: queue.Queue) -> None:
    """Put ``(arrival time, event)`` for each JSON line, then ``_EOF``.

    A line cut short by the kill (no line end) is dropped: it was never printed whole.
    """
    try:
        for line in stream:
            if not line.endswith("\n"):
                break
            if line.strip():
                try:
                    event = json.loads(line)
                except ValueError:  # not an event: keep it for the failure report
                    event = {"event": "text", "data": {"line": line}}
                into.put((time.monotonic(), event))
    finally:
        into.put((time.monotonic(), _EOF))


def run_child(
    args: list[str],
    *,
    env: dict[str, str],
    trigger: Trigger | None,
    stderr_path: Path,
    timeout: float = 300.0,
    cwd: Path | None = None,
) -> ChildRun:
    """Run ``python -m subtitle_studio ARGS``; SIGKILL it when ``trigger`` says so
    (never when ``trigger`` is None: then it runs to its end)."""
    argv = [sys.executable, "-m", "subtitle_studio", *args]
    run = ChildRun(argv, trigger, stderr_path=stderr_path)
    arrivals: queue.Queue = queue.Queue()
    with open(stderr_path, "w", encoding="utf-8") as stderr:
        started = time.monotonic()
        proc = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env, cwd=cwd
        )
        reader = threading.Thread(
            target=_read_events, args=(proc.stdout, arrivals), name="kill-harness-reader"
        )
        reader.start()
        try:
            deadline = _watch(proc, run, trigger, arrivals, started, started + timeout)
            if deadline is not None and proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                run.killed = True
                run.killed_at = time.monotonic() - started
            run.returncode = proc.wait(timeout=60)
        finally:
            if proc.poll() is None:  # the test itself failed: leave nothing running
                proc.kill()
                proc.wait()
            reader.join(timeout=60)
            assert proc.stdout is not None
            proc.stdout.close()
        run.elapsed = time.monotonic() - started
    # Whatever the child printed before it died is in the pipe: collect it all.
    while True:
        try:
            _, event = arrivals.get_nowait()
        except queue.Empty:
            break
        if event is _EOF:
            break
        run.events.append(event)
    return run


def _watch(
    proc: subprocess.Popen,
    run: ChildRun,
    trigger: Trigger | None,
    arrivals: queue.Queue,
    started: float,
    give_up: float,
) -> float | None:
    """Follow the events until the kill instant (returned) or the child's end (None)."""
    deadline = started + trigger.delay if trigger is not None and trigger.kind == "time" else None
    fragments = 0
    while True:
        now = time.monotonic()
        if deadline is not None and now >= deadline:
            return deadline
        if now >= give_up:
            raise AssertionError(f"{' '.join(run.argv)} still running after {give_up - started} s")
        wait = min(give_up, deadline if deadline is not None else give_up) - now
        try:
            arrived, event = arrivals.get(timeout=max(0.0, wait))
        except queue.Empty:
            continue
        if event is _EOF:
            return None
        run.events.append(event)
        if event["event"] == "fragment":
            fragments += 1
        if deadline is None and trigger is not None and trigger.fires_on(event, fragments):
            deadline = arrived + trigger.delay


# -- what a killed job leaves on disk ------------------------------------------------------


def unparsable_json(folder: Path) -> list[str]:
    """Every ``*.json`` under ``folder`` that does not parse, with the reason."""
    bad = []
    for path in sorted(folder.rglob("*.json")):
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            bad.append(f"{path.relative_to(folder)}: {exc}")
    return bad


def half_job_folders(jobs_root: Path) -> list[str]:
    """Job-named folders without a ``job.json`` (SPEC §3 says none may ever appear)."""
    if not jobs_root.is_dir():
        return []
    return sorted(
        entry.name
        for entry in jobs_root.iterdir()
        if entry.is_dir() and not entry.name.startswith(".") and not (entry / "job.json").exists()
    )


def leftovers(jobs_root: Path) -> list[str]:
    """Staging folders and temporary files a finished run should have cleared."""
    if not jobs_root.is_dir():
        return []
    found = [e.name for e in jobs_root.iterdir() if e.name.startswith((".new-", ".del-"))]
    found += [str(p.relative_to(jobs_root)) for p in jobs_root.rglob("*.tmp")]
    return sorted(found)


def environment(home: Path) -> dict[str, str]:
    """The child's environment: this one, with its own home folder."""
    return {**os.environ, "SUBTITLE_STUDIO_HOME": str(home)}
