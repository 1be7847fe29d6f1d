"""The event bus, with real threads: what a reader of a job's channel receives, and when."""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
from typing import Any

import pytest

from subtitle_studio.core.bus import (
    DROPPABLE,
    EVENT_NAMES,
    HEARTBEAT_THREAD_NAME,
    MODELS_CHANNEL,
    Event,
    EventBus,
    Subscription,
    SubscriptionClosed,
    job_channel,
)

JOB = job_channel("0123456789abcdef0123456789abcdef")


def fragment(i: int) -> dict[str, Any]:
    return {"segment_index": i, "language": "en", "segments": [{"id": f"{i}_0", "text": "hi"}]}


def progress(percent: float) -> dict[str, Any]:
    return {"phase": "transcribe", "percent": percent, "message": "", "processed": 0, "total": 1}


def heartbeat_running() -> bool:
    return any(t.name == HEARTBEAT_THREAD_NAME for t in threading.enumerate())


def names(events: list[Event]) -> list[str]:
    return [e.name for e in events]


def test_names_and_channels() -> None:
    assert job_channel("abc") == "job:abc"
    assert MODELS_CHANNEL == "models"
    assert set(EVENT_NAMES) == {"connected", "ping", "progress", "fragment", "signal", "error"}
    assert set(DROPPABLE) == {"progress", "ping"}


def test_connected_comes_first_with_the_snapshot_and_the_channel_seq() -> None:
    asked: list[str] = []

    def snapshot(channel: str) -> dict[str, Any]:
        asked.append(channel)
        return {"job_id": channel[4:], "status": "running", "phase": "transcribe", "percent": 40}

    with EventBus(snapshot=snapshot) as bus:
        for i in range(3):
            bus.publish(JOB, "fragment", fragment(i))
        with bus.subscribe(JOB) as sub:
            first = sub.get(timeout=1)
            assert first is not None
            assert first.name == "connected"
            assert first.seq == 3
            assert first.data == {
                "job_id": JOB[4:],
                "status": "running",
                "phase": "transcribe",
                "percent": 40,
                "seq": 3,
            }
            assert asked == [JOB]
            # No replay: only what is published after `connected` follows it.
            assert sub.get(timeout=0.05) is None
            published = bus.publish(JOB, "fragment", fragment(3))
            assert published.seq == 4
            assert sub.get(timeout=1) == published


def test_without_snapshot_connected_carries_only_the_seq() -> None:
    with EventBus() as bus, bus.subscribe(MODELS_CHANNEL) as sub:
        connected = sub.get(timeout=1)
        assert connected is not None
        assert (connected.name, connected.seq, connected.data) == ("connected", 0, {"seq": 0})


def test_an_event_published_while_the_snapshot_is_built_is_delivered() -> None:
    """A job that finishes while a reader connects must not leave the reader waiting forever."""

    def snapshot(channel: str) -> dict[str, Any]:
        # The pipeline thread publishes the last signal while the snapshot is being read.
        done = {"code": "job_complete", "message": "done"}
        publisher = threading.Thread(target=bus.publish, args=(channel, "signal", done))
        publisher.start()
        publisher.join(timeout=2)
        assert not publisher.is_alive(), "publish blocked while a snapshot was built"
        return {"status": "running"}

    with EventBus(snapshot=snapshot) as bus:
        bus.publish(JOB, "progress", progress(99))
        with bus.subscribe(JOB) as sub:
            received = sub.drain()
    assert names(received) == ["connected", "signal"]
    assert received[0].seq == 1
    assert received[0].data == {"status": "running", "seq": 1}
    assert received[1].seq == 2
    assert received[1].data["code"] == "job_complete"


def test_many_publishers_and_readers_see_increasing_seqs_and_every_fragment() -> None:
    n_publishers, per_publisher, n_readers = 8, 2_000, 6
    with EventBus(max_queue=n_publishers * per_publisher + 10) as bus:
        subs = [bus.subscribe(JOB) for _ in range(n_readers)]
        received: list[list[Event]] = [[] for _ in subs]

        def read(sub: Subscription, into: list[Event]) -> None:
            into.extend(sub)  # iterates until the subscription is closed and drained

        def publish(worker: int, into: list[Event]) -> None:
            for i in range(per_publisher):
                if i % 3 == 0:
                    into.append(bus.publish(JOB, "progress", progress(i)))
                elif i % 50 == 1:
                    into.append(bus.publish(JOB, "signal", {"code": "alignment_ready"}))
                else:
                    into.append(bus.publish(JOB, "fragment", fragment(worker * 10_000 + i)))

        readers = [
            threading.Thread(target=read, args=a, daemon=True)
            for a in zip(subs, received, strict=True)
        ]
        published: list[list[Event]] = [[] for _ in range(n_publishers)]
        publishers = [
            threading.Thread(target=publish, args=(w, published[w])) for w in range(n_publishers)
        ]
        for t in readers + publishers:
            t.start()
        for t in publishers:
            t.join()
        for sub in subs:
            sub.close()
        for t in readers:
            t.join(timeout=10)
            assert not t.is_alive()

    everything = [e for events in published for e in events]
    # Seqs are handed out without gaps or duplicates across all publishing threads.
    assert sorted(e.seq for e in everything) == list(range(1, len(everything) + 1))
    must_arrive = {e.seq for e in everything if e.name not in DROPPABLE}
    for sub, events in zip(subs, received, strict=True):
        assert not sub.dropped
        assert events[0].name == "connected"
        seqs = [e.seq for e in events]
        assert all(a < b for a, b in itertools.pairwise(seqs)), "seq went backwards"
        assert {e.seq for e in events if e.name in ("fragment", "signal")} == must_arrive


def test_a_slow_reader_gets_only_the_latest_progress_and_every_fragment_in_order() -> None:
    with EventBus() as bus, bus.subscribe(JOB) as sub:
        bus.publish(JOB, "progress", progress(10))
        f0 = bus.publish(JOB, "fragment", fragment(0))
        bus.publish(JOB, "progress", progress(20))
        bus.publish(JOB, "ping", {"ts": 1.0})
        f1 = bus.publish(JOB, "fragment", fragment(1))
        bus.publish(JOB, "ping", {"ts": 2.0})
        last = bus.publish(JOB, "progress", progress(30))
        assert sub.pending == 5
        received = sub.drain()
        assert names(received) == ["connected", "fragment", "fragment", "ping", "progress"]
        assert received[1:3] == [f0, f1]
        assert received[3].data == {"ts": 2.0}
        assert received[4] == last

        # Coalescing only touches undelivered events: a progress already read is not replaced.
        p40 = bus.publish(JOB, "progress", progress(40))
        assert sub.get(timeout=1) == p40
        p50 = bus.publish(JOB, "progress", progress(50))
        assert sub.get(timeout=1) == p50


def test_progress_coalescing_keeps_memory_bounded() -> None:
    with EventBus(max_queue=10) as bus, bus.subscribe(JOB) as sub:
        f = bus.publish(JOB, "fragment", fragment(0))
        for i in range(10_000):
            bus.publish(JOB, "progress", progress(i / 100))
        assert len(sub._queue) <= 20
        assert sub.pending == 3
        received = sub.drain()
        assert names(received) == ["connected", "fragment", "progress"]
        assert received[1] == f
        assert received[2].data["percent"] == 99.99


def test_a_full_queue_sheds_progress_before_dropping_the_reader() -> None:
    with EventBus(max_queue=5) as bus, bus.subscribe(JOB) as sub:
        bus.publish(JOB, "fragment", fragment(1))
        bus.publish(JOB, "progress", progress(10))
        bus.publish(JOB, "fragment", fragment(2))
        bus.publish(JOB, "fragment", fragment(3))
        assert sub.pending == 5  # connected, f1, progress, f2, f3: full
        bus.publish(JOB, "fragment", fragment(4))
        assert not sub.dropped
        assert sub.pending == 5
        assert bus.subscriber_count(JOB) == 1

        bus.publish(JOB, "fragment", fragment(5))  # nothing left to shed
        assert sub.dropped and sub.closed
        assert bus.subscriber_count(JOB) == 0
        with pytest.raises(SubscriptionClosed) as info:
            sub.get(timeout=1)
        assert info.value.dropped
        with pytest.raises(SubscriptionClosed):
            sub.drain()


def test_a_stalled_reader_is_dropped_without_slowing_the_publisher_or_other_readers() -> None:
    total, limit = 100_000, 200
    calls = {"stalled": 0}

    def on_stalled() -> None:
        calls["stalled"] += 1

    with EventBus() as bus:
        stalled = bus.subscribe(JOB, max_queue=limit, on_event=on_stalled)
        healthy = bus.subscribe(JOB, max_queue=total + 10)
        got: list[Event] = []
        reader = threading.Thread(target=lambda: got.extend(healthy), daemon=True)
        reader.start()

        deepest = 0
        started = time.monotonic()
        for i in range(total):
            bus.publish(JOB, "fragment", fragment(i))
            if i < 2 * limit:
                deepest = max(deepest, stalled.pending)
        elapsed = time.monotonic() - started
        healthy.close()
        reader.join(timeout=10)
        assert not reader.is_alive()

    assert elapsed < 5.0, f"publishing {total} events took {elapsed:.1f}s"
    assert deepest == limit
    assert stalled.dropped and stalled.pending == 0
    # connected plus limit-1 fragments were queued, then one call for the drop; none after.
    assert calls["stalled"] == limit + 1
    with pytest.raises(SubscriptionClosed) as info:
        stalled.get()
    assert info.value.dropped
    assert not healthy.dropped
    assert [e.data["segment_index"] for e in got[1:]] == list(range(total))


def test_heartbeat_pings_on_its_timer_while_idle_and_stops_on_close() -> None:
    bus = EventBus(heartbeat_s=0.05)
    idle = job_channel("idle")
    with bus:
        bus.publish(idle, "fragment", fragment(0))
        assert not heartbeat_running()  # started lazily, by the first subscription
        sub = bus.subscribe(JOB)
        assert heartbeat_running()
        events: list[Event] = []
        end = time.monotonic() + 0.5
        while time.monotonic() < end:
            event = sub.get(timeout=0.1)
            if event is not None:
                events.append(event)
        pings = [e for e in events if e.name == "ping"]
        assert 5 <= len(pings) <= 12
        assert all(abs(p.data["ts"] - time.time()) < 5 for p in pings)
        seqs = [e.seq for e in events]
        assert seqs == sorted(set(seqs))
        # A channel nobody follows is not pinged.
        assert bus.last_seq(idle) == 1
    assert not heartbeat_running()
    with pytest.raises(SubscriptionClosed):
        sub.get(timeout=1)


def test_heartbeat_keeps_its_timer_while_a_publisher_is_busy() -> None:
    stop = threading.Event()
    with EventBus(heartbeat_s=0.05) as bus, bus.subscribe(JOB) as sub:

        def busy() -> None:
            i = 0
            while not stop.is_set():
                bus.publish(JOB, "fragment", fragment(i))
                i += 1
                time.sleep(0.001)

        publisher = threading.Thread(target=busy)
        publisher.start()
        pings = 0
        end = time.monotonic() + 0.5
        while time.monotonic() < end:
            event = sub.get(timeout=0.1)
            pings += event is not None and event.name == "ping"
        stop.set()
        publisher.join()
    assert pings >= 5


def _blocked_reader(sub: Subscription, outcome: list[BaseException]) -> threading.Thread:
    def read() -> None:
        try:
            sub.get()  # blocks: nothing is queued
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=read, daemon=True)  # a broken close() must not hang pytest
    thread.start()
    return thread


@pytest.mark.parametrize("closer", ["subscription", "bus"])
def test_close_wakes_a_blocked_get(closer: str) -> None:
    with EventBus() as bus:
        sub = bus.subscribe(JOB)
        assert sub.get(timeout=1) is not None  # connected
        outcome: list[BaseException] = []
        reader = _blocked_reader(sub, outcome)
        time.sleep(0.1)
        assert reader.is_alive() and not outcome
        if closer == "subscription":
            sub.close()
        else:
            bus.close()
        reader.join(timeout=1)
        assert not reader.is_alive()
    assert len(outcome) == 1
    assert isinstance(outcome[0], SubscriptionClosed)
    assert not outcome[0].dropped
    assert bus.subscriber_count() == 0


def test_close_unsubscribes_at_once_but_leaves_queued_events_readable() -> None:
    with EventBus() as bus:
        sub = bus.subscribe(JOB)
        kept = bus.publish(JOB, "fragment", fragment(0))
        sub.close()
        sub.close()  # idempotent
        assert sub.closed and not sub.dropped
        assert bus.subscriber_count(JOB) == 0
        bus.publish(JOB, "fragment", fragment(1))
        assert names(list(sub)) == ["connected", "fragment"]
        with pytest.raises(SubscriptionClosed):
            sub.get_nowait()
    assert kept.seq == 1
    with pytest.raises(RuntimeError):
        bus.subscribe(JOB)
    assert bus.publish(JOB, "fragment", fragment(2)).seq == 3  # a finishing pipeline may publish


def test_iterating_a_dropped_subscription_raises() -> None:
    with EventBus(max_queue=2) as bus, bus.subscribe(JOB) as sub:
        bus.publish(JOB, "fragment", fragment(0))
        bus.publish(JOB, "fragment", fragment(1))
        with pytest.raises(SubscriptionClosed) as info:
            list(sub)
        assert info.value.dropped


def test_on_event_is_called_per_queued_event_outside_the_bus_locks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls = 0
    seen: list[str] = []
    holder: list[Subscription] = []
    # No context manager here: closing a deadlocked bus would hang instead of failing.
    bus = EventBus()

    def on_event() -> None:
        nonlocal calls
        calls += 1
        if not holder:
            return  # the call for `connected`, made before subscribe() returns
        # Reading and publishing from here would deadlock if a bus lock were held.
        try:
            event = holder[0].get_nowait()
        except SubscriptionClosed:
            seen.append("closed")
            return
        assert event is not None
        seen.append(event.name)
        if event.name == "fragment":
            bus.publish(JOB, "progress", progress(50))

    def follow() -> None:
        sub = bus.subscribe(JOB, on_event=on_event)
        assert sub.get_nowait() is not None  # connected
        holder.append(sub)
        bus.publish(JOB, "fragment", fragment(0))
        sub.close()

    worker = threading.Thread(target=follow, daemon=True)
    worker.start()
    worker.join(timeout=2)
    assert not worker.is_alive(), "on_event deadlocked against the bus"
    bus.close()
    assert seen == ["fragment", "progress", "closed"]
    assert calls == 4

    def explode() -> None:
        raise ZeroDivisionError("a broken callback")

    with EventBus() as bus, caplog.at_level(logging.ERROR):
        boom = bus.subscribe(JOB, on_event=explode)  # the call for connected raises too
        assert bus.publish(JOB, "fragment", fragment(0)).seq == 1
        assert names(boom.drain()) == ["connected", "fragment"]
        boom.close()
    assert "on_event callback" in caplog.text


def test_channels_are_independent() -> None:
    a, b = job_channel("a"), job_channel("b")
    with EventBus() as bus:
        bus.publish(b, "fragment", fragment(0))  # no one listens: only the counter moves
        assert bus.last_seq(b) == 1
        assert bus.last_seq(a) == 0
        with bus.subscribe(a) as sub_a, bus.subscribe(b) as sub_b:
            assert bus.subscriber_count(a) == 1
            assert bus.subscriber_count() == 2
            for i in range(3):
                bus.publish(a, "fragment", fragment(i))
            bus.publish(b, "signal", {"code": "job_paused", "message": "paused"})
            got_a, got_b = sub_a.drain(), sub_b.drain()
        assert [(e.channel, e.seq) for e in got_a] == [(a, 0), (a, 1), (a, 2), (a, 3)]
        assert [(e.channel, e.seq) for e in got_b] == [(b, 1), (b, 2)]
        assert bus.subscriber_count() == 0


def test_event_wire_form_and_rejected_names() -> None:
    with EventBus() as bus:
        event = bus.publish(JOB, "error", {"code": "media_error", "message": "no audio"})
        assert json.loads(json.dumps(event.as_dict())) == {
            "event": "error",
            "seq": 1,
            "data": {"code": "media_error", "message": "no audio"},
        }
        for bad in ("connected", "finished"):
            with pytest.raises(ValueError):
                bus.publish(JOB, bad, {})
        assert bus.last_seq(JOB) == 1
