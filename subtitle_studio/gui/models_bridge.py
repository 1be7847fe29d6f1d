"""How model work reaches the GUI thread: bus events and the results of slow calls.

Downloads run in the model manager's own threads and publish on the ``models``
channel. :class:`ModelEventBridge` does for that channel what ``EventBridge`` does
for jobs: the subscription's ``on_event`` hook (publishing thread) only emits a
wake-up signal, Qt queues it to this object's thread, and the subscription is
drained there and re-emitted as typed signals.

Verifying and importing a model hash gigabytes, so :class:`BackgroundCalls` runs
them in plain threads and hands each result back through a queued signal; the
callback always runs in the GUI thread, where it may touch widgets.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from subtitle_studio.core.bus import (
    MODELS_CHANNEL,
    Event,
    EventBus,
    Subscription,
    SubscriptionClosed,
)

log = logging.getLogger(__name__)

#: Downloads publish at most ten progress events a second each; this is ample.
MODELS_QUEUE = 5_000

#: Called in the GUI thread with (result, None) or (None, the exception raised).
Done = Callable[[Any, BaseException | None], None]


class ModelEventBridge(QObject):
    """Re-emits ``models`` channel events as Qt signals, in the GUI thread."""

    progress = Signal(str, object)  # model_id, {percent, downloaded_bytes, total_bytes, …}
    signal = Signal(str, object)  # model_id, {code: model_ready | model_incomplete, message}
    error = Signal(str, object)  # model_id, {code, message}
    resync = Signal()  # events were lost: statuses must be read again

    _wake = Signal()

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bus = bus
        self._pending = False
        self._pending_lock = threading.Lock()
        # Queued even from this thread: subscribe() itself wakes us, before it returns.
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)
        self._sub: Subscription | None = None
        self._sub = bus.subscribe(MODELS_CHANNEL, max_queue=MODELS_QUEUE, on_event=self._on_event)

    def close(self) -> None:
        """Stop listening (idempotent); events still queued are not delivered."""
        if self._sub is not None:
            self._sub.close()
            self._sub = None

    def _on_event(self) -> None:
        """Publishing thread: one queued wake-up per burst, however many events it holds."""
        with self._pending_lock:
            if self._pending:
                return
            self._pending = True
        self._wake.emit()

    @Slot()
    def _drain(self) -> None:
        with self._pending_lock:
            self._pending = False
        if self._sub is None:
            return
        try:
            events = self._sub.drain()
        except SubscriptionClosed as exc:
            if exc.dropped:
                log.warning("the Models dialog fell behind on model events; re-reading statuses")
                self._sub = self._bus.subscribe(
                    MODELS_CHANNEL, max_queue=MODELS_QUEUE, on_event=self._on_event
                )
                self.resync.emit()
            return
        for event in _latest_progress_only(events):
            self._emit(event)

    def _emit(self, event: Event) -> None:
        model_id = str(event.data.get("model_id", ""))
        if event.name == "progress":
            self.progress.emit(model_id, event.data)
        elif event.name == "signal":
            self.signal.emit(model_id, event.data)
        elif event.name == "error":
            self.error.emit(model_id, event.data)


def _latest_progress_only(events: list[Event]) -> list[Event]:
    """Keep, per model, only the last progress event of a batch (order otherwise kept):
    a row repainted once per drain is enough, and older numbers are stale anyway."""
    last: dict[str, int] = {}
    for position, event in enumerate(events):
        if event.name == "progress":
            last[str(event.data.get("model_id", ""))] = position
    return [
        event
        for position, event in enumerate(events)
        if event.name != "progress" or last[str(event.data.get("model_id", ""))] == position
    ]


class BackgroundCalls(QObject):
    """Runs blocking calls in plain threads; each result comes back as a queued signal."""

    _finished = Signal(object, object, object)  # done callback, result, exception

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threads: set[threading.Thread] = set()
        self._lock = threading.Lock()
        self._finished.connect(self._deliver)

    def run(self, name: str, work: Callable[[], Any], done: Done) -> None:
        """Call ``work()`` in a new thread; ``done(result, error)`` later in this thread."""

        def target() -> None:
            result: Any = None
            error: BaseException | None = None
            try:
                result = work()
            except Exception as exc:  # noqa: BLE001 - handed to the GUI thread to report
                error = exc
            try:
                self._finished.emit(done, result, error)
            except RuntimeError:  # the receiver is gone: the dialog was closed meanwhile
                log.debug("result of %s dropped: its window is gone", name)
            finally:
                with self._lock:
                    self._threads.discard(threading.current_thread())

        thread = threading.Thread(target=target, name=f"models-{name}", daemon=True)
        with self._lock:
            self._threads.add(thread)
        thread.start()

    def busy(self) -> bool:
        with self._lock:
            return bool(self._threads)

    def wait(self, timeout: float = 30.0) -> bool:
        """Join every running call; False when one is still running after ``timeout``."""
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout)
        alive = [t.name for t in threads if t.is_alive()]
        if alive:
            log.error("model operations still running after %.0f s: %s", timeout, alive)
        return not alive

    @Slot(object, object, object)
    def _deliver(self, done: Done, result: Any, error: BaseException | None) -> None:
        done(result, error)
