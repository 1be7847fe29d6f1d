"""The one place where bus events enter the GUI thread (SPEC §5).

The pipeline publishes from its worker thread. Each followed channel has a bus
subscription whose ``on_event`` hook (called in the publishing thread) only
emits a wake-up signal; Qt queues it to this object's thread, where the
subscription is drained and every event is re-emitted as a typed Qt signal.
Widgets connect to those signals and never see a bus or a thread.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from subtitle_studio.core.bus import EventBus, Subscription, SubscriptionClosed, job_channel

log = logging.getLogger(__name__)

#: Generous: the GUI thread drains in bursts, and a dropped subscriber must resync.
GUI_QUEUE = 50_000


class EventBridge(QObject):
    """Re-emits bus events of followed jobs as Qt signals, in the GUI thread."""

    connected = Signal(str, object)  # job_id, snapshot
    progress = Signal(str, object)  # job_id, {phase, percent, message, processed, total}
    fragment = Signal(str, object)  # job_id, {segment_index, language, segments}
    signal = Signal(str, object)  # job_id, {code, message, ...}
    error = Signal(str, object)  # job_id, {code, message}
    resync = Signal(str)  # job_id: the subscription fell behind; pull the text again

    _wake = Signal(str)

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bus = bus
        self._subs: dict[str, Subscription] = {}
        self._pending: set[str] = set()
        self._pending_lock = threading.Lock()
        self._wake.connect(self._drain)

    def follow(self, job_id: str) -> None:
        """Start re-emitting the events of ``job_id`` (idempotent)."""
        if job_id in self._subs:
            return
        self._subs[job_id] = self._bus.subscribe(
            job_channel(job_id), max_queue=GUI_QUEUE, on_event=lambda: self._on_event(job_id)
        )

    def unfollow(self, job_id: str) -> None:
        sub = self._subs.pop(job_id, None)
        if sub is not None:
            sub.close()

    def close(self) -> None:
        for job_id in list(self._subs):
            self.unfollow(job_id)

    def _on_event(self, job_id: str) -> None:
        """Publishing thread: coalesce wake-ups so a burst costs one queued call."""
        with self._pending_lock:
            if job_id in self._pending:
                return
            self._pending.add(job_id)
        self._wake.emit(job_id)

    @Slot(str)
    def _drain(self, job_id: str) -> None:
        with self._pending_lock:
            self._pending.discard(job_id)
        sub = self._subs.get(job_id)
        if sub is None:
            return
        try:
            events = sub.drain()
        except SubscriptionClosed as exc:
            if exc.dropped:
                log.warning("the window fell behind on job %s; re-fetching its text", job_id)
                del self._subs[job_id]
                self.follow(job_id)
                self.resync.emit(job_id)
            return
        for event in events:
            self._emit(job_id, event.name, event.data)

    def _emit(self, job_id: str, name: str, data: dict[str, Any]) -> None:
        if name == "connected":
            self.connected.emit(job_id, data)
        elif name == "progress":
            self.progress.emit(job_id, data)
        elif name == "fragment":
            self.fragment.emit(job_id, data)
        elif name == "signal":
            self.signal.emit(job_id, data)
        elif name == "error":
            self.error.emit(job_id, data)
