"""Follow a job's events from the command line: JSON lines for scripts, progress for people.

Each printer consumes its own bus subscription on a thread, so the pipeline never
waits for a terminal or a pipe.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
from typing import TextIO

from subtitle_studio.core.bus import Event, EventBus, Subscription, SubscriptionClosed


class _Follower:
    """Consumes one subscription on a thread until stopped and drained."""

    def __init__(self, bus: EventBus, channel: str, name: str) -> None:
        # Big enough that a pipe read slowly by a script never drops a fragment.
        self._sub: Subscription = bus.subscribe(channel, max_queue=100_000)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        try:
            while True:
                event = self._sub.get(timeout=0.1)
                if event is not None:
                    self.handle(event)
                elif self._stop.is_set():
                    return
        except SubscriptionClosed:
            return

    def handle(self, event: Event) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def close(self) -> None:
        """Print everything published so far, then stop."""
        self._stop.set()
        self._thread.join()
        self._sub.close()


class JsonLinesPrinter(_Follower):
    """Every bus event of the job as one JSON line: ``{"event", "seq", "data"}``."""

    def __init__(self, bus: EventBus, channel: str, out: TextIO | None = None) -> None:
        self._out = out or sys.stdout
        self._closed_pipe = False
        super().__init__(bus, channel, "subtitle-studio-jsonl")

    def handle(self, event: Event) -> None:
        if self._closed_pipe:
            return
        try:
            self._out.write(json.dumps(event.as_dict(), ensure_ascii=False) + "\n")
            self._out.flush()
        except BrokenPipeError:
            # The reader went away (``| head``); the job goes on, quietly.
            self._closed_pipe = True
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), self._out.fileno())


class ProgressPrinter(_Follower):
    """One line per phase change and at most one progress line a second, on stderr."""

    def __init__(self, bus: EventBus, channel: str, label: str, out: TextIO | None = None) -> None:
        self._out = out or sys.stderr
        self._label = label
        self._phase: str | None = None
        self._last = 0.0
        super().__init__(bus, channel, "subtitle-studio-progress")

    def handle(self, event: Event) -> None:
        if event.name == "progress":
            data = event.data
            now = time.monotonic()
            if data["phase"] != self._phase or now - self._last >= 1.0 or data["percent"] >= 100:
                self._phase = data["phase"]
                self._last = now
                line = f"{data['percent']:5.1f}% {data['phase']:<10} {data['message']}"
                self._out.write(f"{self._label}: {line}\n")
                self._out.flush()
        elif event.name == "signal" and event.data.get("code") == "alignment_ready":
            self._out.write(f"{self._label}: {event.data['message']}\n")
            self._out.flush()
