"""The pause/cancel token shared by whoever controls a job and the pipeline running it.

The controller (the window, the CLI's Ctrl-C handler, the HTTP endpoint) only sets
flags; the pipeline decides where it is safe to stop: pause at the next chunk
boundary or between phases, cancel as soon as possible, even inside alignment.
"""

from __future__ import annotations

import threading

from subtitle_studio.errors import Cancelled, Paused


class JobControl:
    def __init__(self) -> None:
        self._pause = threading.Event()
        self._pause_now = threading.Event()
        self._cancel = threading.Event()

    def pause(self) -> None:
        self._pause.set()

    def pause_now(self) -> None:
        """Pause without waiting for the chunk boundary (the chunk in progress is redone)."""
        self._pause.set()
        self._pause_now.set()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def pause_requested(self) -> bool:
        return self._pause.is_set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def check_cancel(self) -> None:
        """Stop now for a cancel (or an immediate pause); call it often, also mid-phase."""
        if self._cancel.is_set():
            raise Cancelled("The job was canceled.")
        if self._pause_now.is_set():
            raise Paused("The job was paused.")

    def check_boundary(self) -> None:
        """At a safe boundary (between chunks or phases): stop for a cancel or a pause."""
        self.check_cancel()
        if self._pause.is_set():
            raise Paused("The job was paused.")
