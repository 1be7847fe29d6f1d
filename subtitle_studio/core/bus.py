"""The in-process event bus: the pipeline publishes, any number of readers follow a channel.

One channel per job (``job:<id>``) plus ``models``. Every event on a channel takes the next
``seq`` of that channel, and seq assignment and delivery happen under the channel's lock, so each
subscriber sees strictly increasing seqs however many threads publish.

Publishing never waits for a reader: each subscription has a bounded queue. A newer ``progress``
or ``ping`` replaces an undelivered one of the same name (only the latest matters); a full queue
first sheds its ``progress``/``ping`` events, and a subscriber that still cannot keep up is
dropped and must resync. ``fragment``, ``signal`` and ``error`` events are never lost silently:
a reader either gets all of them or learns it was dropped. There is no replay: a new subscription
starts with ``connected`` (a snapshot plus the channel's current seq) and re-fetches the text.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

JOB_CHANNEL_PREFIX = "job:"
MODELS_CHANNEL = "models"
EVENT_NAMES = ("connected", "ping", "progress", "fragment", "signal", "error")
# Events a newer one of the same name supersedes, so a slow reader may lose the older ones.
DROPPABLE = frozenset({"progress", "ping"})
HEARTBEAT_THREAD_NAME = "subtitle-studio-bus-heartbeat"


def job_channel(job_id: str) -> str:
    """The channel that carries one job's events."""
    return f"{JOB_CHANNEL_PREFIX}{job_id}"


@dataclass(frozen=True, slots=True)
class Event:
    """One published event; ``published_at`` (monotonic) lets a benchmark measure delay."""

    channel: str
    name: str
    seq: int
    data: dict[str, Any]
    published_at: float

    def as_dict(self) -> dict[str, Any]:
        """The wire form (JSON lines, SSE ``data``); the channel is implied by the stream."""
        return {"event": self.name, "seq": self.seq, "data": self.data}


class SubscriptionClosed(Exception):
    """The subscription ended; ``dropped`` means it fell behind and the reader must resync."""

    def __init__(self, channel: str, *, dropped: bool = False) -> None:
        if dropped:
            message = f"dropped from {channel!r}: it fell behind; subscribe again and re-fetch"
        else:
            message = f"the subscription to {channel!r} is closed"
        super().__init__(message)
        self.channel = channel
        self.dropped = dropped


class _Channel:
    """A channel's seq counter and subscribers; an idle channel costs little more than an int."""

    __slots__ = ("lock", "seq", "subs")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seq = 0
        # Copy-on-write tuple: publish iterates it without copying, idle channels allocate nothing.
        self.subs: tuple[Subscription, ...] = ()

    def discard(self, sub: Subscription) -> None:
        with self.lock:
            self.subs = tuple(s for s in self.subs if s is not sub)


class Subscription:
    """A reader's view of one channel: a bounded queue filled by publishers, read by ``get``."""

    def __init__(
        self, channel: str, state: _Channel, max_queue: int, on_event: Callable[[], None] | None
    ) -> None:
        self.channel = channel
        self._state = state
        self._max = max_queue
        self._on_event = on_event
        # A plain Lock: nothing may call back into a subscription while holding its lock.
        self._cond = threading.Condition(threading.Lock())
        self._queue: deque[Event] = deque()
        # Superseded progress/ping stay in the deque until popped or compacted (O(1) publish);
        # _latest names the live one of each droppable name, _stale counts the superseded ones.
        self._latest: dict[str, Event] = {}
        self._stale = 0
        self._ready = False  # becomes True once `connected` is queued at the front
        # Written only under _cond; read freely. `dropped` implies `closed`.
        self.closed = False
        self.dropped = False

    @property
    def pending(self) -> int:
        """How many events are queued for this reader now."""
        with self._cond:
            return len(self._queue) - self._stale

    def get(self, timeout: float | None = None) -> Event | None:
        """The next event, waiting up to ``timeout`` seconds; ``None`` if none came.

        Raises ``SubscriptionClosed`` once closed and drained, or at once when dropped.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while True:
                if self.dropped:
                    raise SubscriptionClosed(self.channel, dropped=True)
                event = self._pop()
                if event is not None:
                    return event
                if self.closed:
                    raise SubscriptionClosed(self.channel)
                if deadline is None:
                    self._cond.wait()
                else:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return None
                    self._cond.wait(remaining)

    def get_nowait(self) -> Event | None:
        """The next event if one is queued, else ``None``; raises like ``get``."""
        return self.get(timeout=0)

    def drain(self) -> list[Event]:
        """Everything queued now, without waiting (an SSE writer flushes it in one go)."""
        with self._cond:
            if self.dropped:
                raise SubscriptionClosed(self.channel, dropped=True)
            events = []
            while (event := self._pop()) is not None:
                events.append(event)
            return events

    def __iter__(self) -> Iterator[Event]:
        """Yield events until closed; a dropped subscription raises so the reader resyncs."""
        while True:
            try:
                event = self.get()
            except SubscriptionClosed as exc:
                if exc.dropped:
                    raise
                return
            if event is not None:
                yield event

    def close(self) -> None:
        """Unsubscribe now; events already queued can still be read. Idempotent."""
        self._state.discard(self)
        if self._mark_closed():
            self._notify()

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- called by the bus ---------------------------------------------------------------

    def _pop(self) -> Event | None:
        """Take the next live event, skipping superseded ones. Caller holds ``_cond``."""
        while self._queue:
            event = self._queue.popleft()
            if event.name in DROPPABLE:
                if self._latest.get(event.name) is not event:
                    self._stale -= 1
                    continue
                del self._latest[event.name]
            return event
        return None

    def _compact(self, *, keep_droppable: bool) -> None:
        """Remove superseded events, or every droppable one. Caller holds ``_cond``."""
        if keep_droppable:
            live = [e for e in self._queue if self._latest.get(e.name, e) is e]
        else:
            live = [e for e in self._queue if e.name not in DROPPABLE]
            self._latest.clear()
        self._queue = deque(live)
        self._stale = 0

    def _offer(self, event: Event) -> tuple[bool, bool]:
        """Queue ``event`` under the channel lock: (still subscribed, call on_event)."""
        with self._cond:
            if self.closed:
                return False, False
            if len(self._queue) >= 2 * self._max:
                self._compact(keep_droppable=True)  # bounds memory; amortised O(1)
            if event.name in DROPPABLE and event.name in self._latest:
                self._stale += 1  # the queued one is superseded; the count of live ones holds
            else:
                # Until `connected` is queued, keep a slot free for it.
                limit = self._max if self._ready else self._max - 1
                if len(self._queue) - self._stale >= limit:
                    self._compact(keep_droppable=False)
                    if len(self._queue) >= limit:  # only events a reader must not lose
                        self.dropped = self.closed = True
                        self._queue.clear()
                        self._latest.clear()
                        self._stale = 0
                        self._cond.notify_all()
                        return False, self._ready
            self._queue.append(event)
            if event.name in DROPPABLE:
                self._latest[event.name] = event
            self._cond.notify_all()
            return True, self._ready

    def _connect(self, event: Event) -> None:
        """Put ``connected`` ahead of anything published since the subscription was made."""
        with self._cond:
            if not self.closed:
                self._queue.appendleft(event)
                self._cond.notify_all()
            self._ready = True
        self._notify()

    def _mark_closed(self) -> bool:
        """Close once; True when this call closed it and ``on_event`` should be told."""
        with self._cond:
            if self.closed:
                return False
            self.closed = True
            self._cond.notify_all()
            return self._ready

    def _notify(self) -> None:
        """Call ``on_event`` outside every bus lock; a failing callback must not hurt publishers."""
        if self._on_event is None:
            return
        try:
            self._on_event()
        except Exception:
            log.exception("on_event callback for %s failed", self.channel)


class EventBus:
    """Thread-safe publish/subscribe with per-channel seqs and a heartbeat ``ping``."""

    def __init__(
        self,
        *,
        heartbeat_s: float = 10.0,
        max_queue: int = 1000,
        snapshot: Callable[[str], dict[str, Any]] | None = None,
    ) -> None:
        if heartbeat_s <= 0:
            raise ValueError(f"heartbeat_s must be positive, not {heartbeat_s}")
        if max_queue < 1:
            raise ValueError(f"max_queue must be at least 1, not {max_queue}")
        self._heartbeat_s = heartbeat_s
        self._max_queue = max_queue
        self._snapshot = snapshot
        self._lock = threading.Lock()  # guards _channels' membership, _closed and _thread
        self._channels: dict[str, _Channel] = {}
        self._closed = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _channel(self, channel: str) -> _Channel:
        state = self._channels.get(channel)
        if state is None:
            with self._lock:
                state = self._channels.setdefault(channel, _Channel())
        return state

    def publish(self, channel: str, name: str, data: dict[str, Any]) -> Event:
        """Publish at once to every subscriber of ``channel``; never waits for a reader.

        ``data`` is copied (shallowly); keep payloads small. Publishing after ``close()``
        still numbers the event but reaches no one, so a pipeline can finish its run.
        """
        if name not in EVENT_NAMES or name == "connected":
            raise ValueError(f"cannot publish an event named {name!r}")
        state = self._channel(channel)
        wake: list[Subscription] = []
        gone: list[Subscription] = []
        with state.lock:
            state.seq += 1
            event = Event(channel, name, state.seq, dict(data), time.monotonic())
            for sub in state.subs:
                kept, notify = sub._offer(event)
                if not kept:
                    gone.append(sub)
                if notify:
                    wake.append(sub)
            if gone:
                state.subs = tuple(s for s in state.subs if s not in gone)
        for sub in gone:
            if sub.dropped:
                log.warning("dropped a subscriber to %s: it fell behind", channel)
        for sub in wake:
            sub._notify()
        return event

    def subscribe(
        self,
        channel: str,
        *,
        max_queue: int | None = None,
        on_event: Callable[[], None] | None = None,
    ) -> Subscription:
        """Follow ``channel``; the first event is ``connected`` with the snapshot and seq.

        The subscriber is registered before the snapshot is built (outside the lock, so a
        snapshot that takes job locks cannot deadlock with a publisher): everything after the
        ``connected`` seq is delivered, and the snapshot is at least as new as that seq.
        """
        size = self._max_queue if max_queue is None else max_queue
        if size < 1:
            raise ValueError(f"max_queue must be at least 1, not {size}")
        state = self._channel(channel)
        sub = Subscription(channel, state, size, on_event)
        with self._lock:
            if self._closed:
                raise RuntimeError("the event bus is closed")
            with state.lock:
                last = state.seq
                state.subs = (*state.subs, sub)
            self._start_heartbeat()
        try:
            data = dict(self._snapshot(channel)) if self._snapshot is not None else {}
        except BaseException:
            sub.close()
            raise
        data["seq"] = last
        sub._connect(Event(channel, "connected", last, data, time.monotonic()))
        return sub

    def subscriber_count(self, channel: str | None = None) -> int:
        """Live subscribers of ``channel``, or of every channel."""
        if channel is not None:
            state = self._channels.get(channel)
            return 0 if state is None else len(state.subs)
        with self._lock:
            states = list(self._channels.values())
        return sum(len(state.subs) for state in states)

    def last_seq(self, channel: str) -> int:
        """The seq of the latest event on ``channel`` (0 before the first)."""
        state = self._channels.get(channel)
        return 0 if state is None else state.seq

    def close(self) -> None:
        """Stop the heartbeat (and wait for it) and close every subscription. Idempotent."""
        with self._lock:
            self._closed = True
            thread, self._thread = self._thread, None
            self._stop.set()
            states = list(self._channels.values())
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        for state in states:
            with state.lock:
                subs, state.subs = state.subs, ()
            for sub in subs:
                if sub._mark_closed():
                    sub._notify()

    def __enter__(self) -> EventBus:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _start_heartbeat(self) -> None:
        """Start the ping thread with the first subscription. Caller holds ``_lock``."""
        if self._thread is None and not self._closed:
            # Daemon so a forgotten close() cannot keep the process alive; close() joins it.
            self._thread = threading.Thread(
                target=self._beat, name=HEARTBEAT_THREAD_NAME, daemon=True
            )
            self._thread.start()

    def _beat(self) -> None:
        """Ping every channel that has readers on a fixed timer, busy or not."""
        next_at = time.monotonic() + self._heartbeat_s
        while not self._stop.wait(max(0.0, next_at - time.monotonic())):
            now = time.monotonic()
            next_at += self._heartbeat_s
            if next_at < now:  # fell behind (suspended laptop): resume the beat, don't burst
                next_at = now + self._heartbeat_s
            with self._lock:
                channels = [name for name, state in self._channels.items() if state.subs]
            for channel in channels:
                try:
                    self.publish(channel, "ping", {"ts": time.time()})
                except Exception:
                    log.exception("heartbeat on %s failed", channel)
