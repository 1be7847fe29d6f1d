"""The pause/cancel token shared by whoever controls a job and the pipeline running it.

The controller (the window, the CLI's Ctrl-C handler, the HTTP endpoint) only sets
flags; the pipeline decides where it is safe to stop: pause at the next chunk
boundary or between phases, cancel as soon as possible, even inside alignment.

A window can also ask the pipeline to wait briefly after ``alignment_ready`` until
it has merged the aligned rows into its table (:meth:`JobControl.expect_merge`): the
merge is Python work in the GUI thread, and the srt phase that follows is Python work
too, so running both at once (they share the interpreter lock) would make the merge
take several times longer and the window stutter. Nobody waits when nobody asked.
"""

from __future__ import annotations

import threading
import time

from subtitle_studio.errors import Cancelled, Paused

#: The longest the pipeline waits for a window's merge after ``alignment_ready``.
MERGE_WAIT_S = 2.0


class JobControl:
    def __init__(self) -> None:
        self._pause = threading.Event()
        self._pause_now = threading.Event()
        self._cancel = threading.Event()
        self._merge_expected = False
        self._merged = threading.Event()

    def expect_merge(self) -> None:
        """A window will merge the aligned rows and call :meth:`merged` when done."""
        self._merge_expected = True

    def merged(self) -> None:
        self._merged.set()

    def wait_for_merge(self, timeout_s: float = MERGE_WAIT_S) -> None:
        """After ``alignment_ready``: give an expected merge the interpreter to itself
        (at most ``timeout_s``; a cancel or an immediate pause ends the wait)."""
        if not self._merge_expected:
            return
        deadline = time.monotonic() + timeout_s
        while not self._merged.wait(0.05):
            self.check_cancel()
            if time.monotonic() >= deadline:
                return

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
