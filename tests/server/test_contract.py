"""The endpoint's wire contract, checked from outside: real jobs, real sockets, two SSE readers.

``httpx-sse`` and the hand-written parser in ``tests/support/sse_reader.py`` read the same
streams, so a framing mistake cannot hide behind one reader's leniency. The server's own
code is never used to decode what it sent.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from httpx_sse import ServerSentEvent, connect_sse

from subtitle_studio.core.bus import MODELS_CHANNEL, job_channel
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.server.endpoint import StudioServer
from tests.server.conftest import Endpoint, copy_media
from tests.support.sse_reader import (
    EventStreamParser,
    RawResponse,
    RawStream,
    SSEEvent,
    read_head,
    read_to_close,
    request_bytes,
)

JFK = "jfk.flac"
LJ = "en_ljspeech_LJ001-0001_to_0023_concat.flac"
TERMINAL = {"job_complete", "job_canceled", "job_failed"}
NEVER_DROPPED = {"connected", "fragment", "signal", "error"}
FRAME = re.compile(rb"id: (\d+)\nevent: ([a-z_]+)\ndata: ([^\r\n]*)\n\n")
MISSING_ID = "0123456789abcdef0123456789abcdef"


# -- helpers ---------------------------------------------------------------------------------


def poll(condition: Callable[[], bool], timeout: float, step: float = 0.005) -> bool:
    """True as soon as ``condition()`` holds, False if it never did within ``timeout``."""
    end = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() > end:
            return False
        time.sleep(step)


def post_job(client: httpx.Client, url: str, path: Path) -> str:
    answer = client.post(f"{url}/jobs", json={"path": str(path)})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    job_id = body["job_id"]
    assert body == {"job_id": job_id, "stream": f"/stream/{job_id}", "status": f"/status/{job_id}"}
    return job_id


def quiet_job(endpoint: Endpoint, tmp_path: Path) -> str:
    """A queued job nobody runs: its channel carries only what a test publishes (and pings)."""
    return endpoint.store.create(tmp_path / "quiet.flac", JobSettings()).id


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def raw_connect(port: int, *, rcvbuf: int | None = None) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf is not None:  # before connect, so the advertised window is small from the start
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.settimeout(10)
    sock.connect(("127.0.0.1", port))
    return sock


def exchange(port: int, request: bytes, timeout: float = 10) -> tuple[RawResponse, bytes]:
    """Send one hand-written request; the response head and its whole body."""
    deadline = time.monotonic() + timeout
    with raw_connect(port) as sock:
        sock.sendall(request)
        head = read_head(sock, deadline)
        body = head.rest + read_to_close(sock, deadline)
    return head, body


def open_raw_stream(
    port: int, target: str, *, headers: dict[str, str] | None = None, timeout: float = 10
) -> RawStream:
    sock = raw_connect(port)
    try:
        sock.sendall(request_bytes("GET", target, f"127.0.0.1:{port}", headers))
        return RawStream(sock, read_head(sock, time.monotonic() + timeout))
    except BaseException:
        sock.close()
        raise


def sse_payload(event: ServerSentEvent | SSEEvent) -> dict[str, Any]:
    """The event's JSON, checked against the framing rules: ``seq`` first and equal to ``id``."""
    data = json.loads(event.data)
    last_id = event.id if isinstance(event, ServerSentEvent) else event.last_event_id
    assert next(iter(data)) == "seq", f"seq is not the first key: {event.data}"
    assert str(data["seq"]) == last_id, f"id {last_id} but seq {data['seq']}"
    return data


def follow(events: Iterator[ServerSentEvent], timeout: float) -> list[ServerSentEvent]:
    """Everything up to the end of the stream; fails on an event after a terminal signal."""
    deadline = time.monotonic() + timeout
    seen: list[ServerSentEvent] = []
    for event in events:
        assert time.monotonic() < deadline, f"no end in {timeout} s: {[e.event for e in seen]}"
        if seen and seen[-1].event == "signal":
            assert json.loads(seen[-1].data)["code"] not in TERMINAL, (
                f"{event.event} came after the terminal signal {seen[-1].data}"
            )
        seen.append(event)
    return seen


def check_job_stream(named: list[tuple[str, dict[str, Any]]]) -> None:
    """The order rules of a whole job's stream, whichever reader produced ``named``."""
    names = [name for name, _ in named]
    assert names[0] == "connected", names[:5]
    assert names.count("connected") == 1
    seqs = [data["seq"] for _, data in named]
    assert all(a < b for a, b in zip(seqs, seqs[1:])), f"seq not strictly increasing: {seqs}"
    last_name, last = named[-1]
    assert (last_name, last["code"]) == ("signal", "job_complete"), named[-1]
    codes = [data["code"] for name, data in named if name == "signal"]
    assert codes == ["alignment_ready", "job_complete"], codes
    assert "error" not in names
    fragments = [data["segment_index"] for name, data in named if name == "fragment"]
    planned = [d["total"] for n, d in named if n == "progress" and d["phase"] == "transcribe"]
    assert planned and fragments == list(range(planned[-1])), (fragments, planned)
    progress = [data for name, data in named if name == "progress"]
    assert progress[-1]["percent"] == 100.0, progress[-1]
    last_progress = max(i for i, name in enumerate(names) if name == "progress")
    alignment = next(i for i, (n, d) in enumerate(named) if n == "signal")
    assert alignment < last_progress < len(names) - 1
    percents = [p["percent"] for p in progress]
    assert percents == sorted(percents), f"percent went back: {percents}"


# -- the parser this file relies on --------------------------------------------------------


def test_the_reference_parser_follows_the_whatwg_rules() -> None:
    """The second reader must itself be right, or test 2 proves nothing."""
    parser = EventStreamParser()
    wire = (
        b"\xef\xbb\xbf: hello\r\n\r\n"
        b"id: 7\revent: a\rdata: one\rdata:two\rdata\r\r"  # CR only; no space; field, no colon
        b"data:  spaced\r\nid: 8\x00x\r\n\r\n"  # only one space is dropped; NUL id ignored
        b"event: empty\n\n"  # no data: nothing dispatched, the event name resets
        b"retry: 1500\nfoo: bar\ndata: last\n"
    )
    events: list[SSEEvent] = []
    for i in range(len(wire)):  # byte by byte: CR at a chunk's end must wait for a LF
        events += parser.feed(wire[i : i + 1])
    assert parser.comments == ["hello"]
    assert [(e.event, e.data, e.last_event_id, e.data_lines) for e in events] == [
        ("a", "one\ntwo\n", "7", 3),
        ("message", " spaced", "7", 1),
    ]
    assert parser.retry == 1500
    assert parser.feed(b"\n")[0].data == "last"  # dispatched only on the blank line


# -- 1 and 2: a real job, two readers ------------------------------------------------------


def test_a_real_job_meets_the_contract_through_httpx_sse(
    endpoint: Endpoint, media: Path, tmp_path: Path
) -> None:
    """What a browser-like client relies on, from POST to the finished transcript."""
    copy = copy_media(media, JFK, tmp_path)
    url = endpoint.url
    with httpx.Client(timeout=30) as client:
        job_id = post_job(client, url, copy)
        with connect_sse(client, "GET", f"{url}/stream/{job_id}") as source:
            assert source.response.status_code == 200
            events = follow(source.iter_sse(), timeout=60)
        named = [(e.event, sse_payload(e)) for e in events]
        connected = named[0][1]
        assert connected["job_id"] == job_id
        assert {"status", "phase", "percent", "seq"} <= set(connected)
        check_job_stream(named)

        assert endpoint.jobs.wait(job_id, 10), "the job's run did not end after job_complete"
        with connect_sse(client, "GET", f"{url}/stream/{job_id}") as again:
            first = next(again.iter_sse())
        assert first.event == "connected"
        snapshot = sse_payload(first)
        assert (snapshot["job_id"], snapshot["status"], snapshot["percent"]) == (
            job_id,
            "done",
            100,
        )
        assert snapshot["seq"] >= named[-1][1]["seq"]

        text = client.get(f"{url}/transcription-text/{job_id}")
        assert text.status_code == 200
        body = text.json()
        assert body["source"] in {"memory", "aligned", "checkpoint", "none"}
        assert body["source"] == "aligned" and body["aligned"] is True
        assert body["job_id"] == job_id and body["segments"]
        assert "country" in " ".join(s["text"] for s in body["segments"]).lower()

        status = client.get(f"{url}/status/{job_id}").json()
        assert (status["id"], status["status"], status["percent"]) == (job_id, "done", 100)
        listed = {job["id"]: job for job in client.get(f"{url}/jobs").json()["jobs"]}
        assert listed[job_id]["status"] == "done" and listed[job_id]["name"]
    assert poll(lambda: endpoint.server.stream_count() == 0, 2)


def test_a_raw_socket_reader_sees_the_same_stream_as_httpx_sse(
    endpoint: Endpoint, media: Path, tmp_path: Path
) -> None:
    """Exact headers and framing, and the same events for two readers of one job."""
    copy = copy_media(media, JFK, tmp_path)
    port = port_of(endpoint.url)
    with httpx.Client(timeout=30) as client:
        job_id = post_job(client, endpoint.url, copy)
        raw = open_raw_stream(port, f"/stream/{job_id}")
        with raw.sock:
            head = raw.response
            assert (head.status, head.reason) == (200, "OK")
            assert head.header("Content-Type") == "text/event-stream; charset=utf-8"
            assert head.header("Cache-Control") == "no-cache"
            assert head.header("X-Accel-Buffering") == "no"
            assert head.header("Connection") == "close"
            assert head.header("Content-Length") is None
            assert head.header("Transfer-Encoding") is None
            assert head.header("Access-Control-Allow-Origin") is None  # no Origin sent
            by_raw = raw.until("connected", time.monotonic() + 10)
            with connect_sse(client, "GET", f"{endpoint.url}/stream/{job_id}") as source:
                by_httpx = follow(source.iter_sse(), timeout=60)
            by_raw += raw.all(time.monotonic() + 10)
    assert raw.closed_by_server

    wire = bytes(raw.raw)
    assert wire.startswith(b": subtitle-studio\n\n"), wire[:40]
    assert raw.parser.comments == ["subtitle-studio"]
    frames = wire[len(b": subtitle-studio\n\n") :]
    matched = list(FRAME.finditer(frames))
    assert b"".join(m.group(0) for m in matched) == frames, "bytes outside id/event/data frames"
    assert len(matched) == len(by_raw)
    for event, match in zip(by_raw, matched):
        assert event.data_lines == 1 and len(event.id_fields) == 1
        assert (event.event, event.last_event_id) == (match[2].decode(), match[1].decode())

    raw_named = [(e.event, sse_payload(e)) for e in by_raw]
    httpx_named = [(e.event, sse_payload(e)) for e in by_httpx]
    check_job_stream(raw_named)
    check_job_stream(httpx_named)

    def kept(named: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
        return [(n, d) for n, d in named[1:] if n in NEVER_DROPPED]

    # Progress and pings may be coalesced per reader; nothing else may differ.
    assert kept(raw_named) == kept(httpx_named)
    assert raw_named[-1] == httpx_named[-1]


# -- 3: heartbeats while a chunk is transcribed --------------------------------------------


def test_heartbeats_arrive_while_a_chunk_is_being_transcribed(
    endpoint: Endpoint, media: Path, tmp_path: Path
) -> None:
    """A proxy or browser must see traffic during a long chunk, not only between chunks."""
    copy = copy_media(media, LJ, tmp_path)
    gaps: list[int] = []
    with httpx.Client(timeout=30) as client:
        job_id = post_job(client, endpoint.url, copy)
        with connect_sse(client, "GET", f"{endpoint.url}/stream/{job_id}") as source:
            pings: int | None = None  # None until the first transcribe event
            fragments = 0
            deadline = time.monotonic() + 60
            for event in source.iter_sse():
                assert time.monotonic() < deadline
                data = sse_payload(event)
                if event.event == "ping":
                    assert set(data) == {"seq", "ts"}
                    if pings is not None:
                        pings += 1
                elif event.event == "fragment" or (
                    event.event == "progress" and data["phase"] == "transcribe"
                ):
                    if pings is not None:
                        gaps.append(pings)
                    pings = 0
                    fragments += event.event == "fragment"
                    if fragments == 4:  # enough chunks seen; the fixture pauses the rest
                        break
                elif event.event == "signal" and data["code"] in TERMINAL:
                    break
    assert fragments == 4, f"the job ended after {fragments} fragments"
    assert max(gaps) >= 2, f"pings between transcribe events: {gaps}"


# -- 4: errors -------------------------------------------------------------------------------


def test_an_unknown_job_is_a_404_json_answer_before_any_stream(endpoint: Endpoint) -> None:
    """A client must not mistake an unknown id for an empty stream."""
    port = port_of(endpoint.url)
    for route in ("stream", "status", "transcription-text"):
        head, body = exchange(
            port, request_bytes("GET", f"/{route}/{MISSING_ID}", f"127.0.0.1:{port}")
        )
        assert head.status == 404, (route, head.status)
        assert head.header("Content-Type") == "application/json; charset=utf-8"
        assert int(head.header("Content-Length") or -1) == len(body)
        assert json.loads(body)["error"] == "unknown_job"
    assert endpoint.server.stream_count() == 0
    assert endpoint.bus.subscriber_count() == 0


@pytest.mark.parametrize(
    "target",
    [
        "/stream/zz",
        "/stream/..%2F..%2Fetc%2Fpasswd",
        "/stream/../../etc/passwd",
        f"/stream/{MISSING_ID.upper()}",
        f"/stream/{MISSING_ID}/",
        f"/status/{MISSING_ID[:-1]}",
        f"/transcription-text/{MISSING_ID}0",
    ],
)
def test_a_malformed_job_id_is_a_400(endpoint: Endpoint, target: str) -> None:
    """The id is checked on the raw path, so nothing encoded can reach the file system."""
    port = port_of(endpoint.url)
    head, body = exchange(port, request_bytes("GET", target, f"127.0.0.1:{port}"))
    assert head.status == 400, (target, head.status, body)
    assert head.header("Content-Type") == "application/json; charset=utf-8"
    assert json.loads(body)["error"] == "bad_job_id"


def test_the_sixth_stream_on_one_job_is_refused_and_a_freed_slot_is_reused(
    endpoint: Endpoint, tmp_path: Path
) -> None:
    """Five readers per job at most, counted by open streams, not by requests made."""
    job_id = quiet_job(endpoint, tmp_path)
    port = port_of(endpoint.url)
    streams = [open_raw_stream(port, f"/stream/{job_id}") for _ in range(5)]
    try:
        for stream in streams:
            assert stream.response.status == 200
            stream.until("connected", time.monotonic() + 10)
        assert endpoint.server.stream_count(job_id) == 5
        head, body = exchange(port, request_bytes("GET", f"/stream/{job_id}", f"localhost:{port}"))
        assert head.status == 429
        assert head.header("Content-Type") == "application/json; charset=utf-8"
        assert json.loads(body)["error"] == "too_many_streams"
        other = quiet_job(endpoint, tmp_path)  # the limit is per job
        with open_raw_stream(port, f"/stream/{other}").sock as sock:
            pass
        assert sock.fileno() == -1
        streams.pop().sock.close()
        assert poll(lambda: endpoint.server.stream_count(job_id) == 4, 0.5)
        again = open_raw_stream(port, f"/stream/{job_id}")
        streams.append(again)
        assert again.response.status == 200
        again.until("connected", time.monotonic() + 10)
    finally:
        for stream in streams:
            stream.sock.close()
    assert poll(lambda: endpoint.server.stream_count() == 0, 2)


@pytest.mark.parametrize(
    "host",
    ["evil.example", "127.0.0.1.evil.example", "localhost.evil.example", "evil.example:{port}"],
)
def test_a_foreign_host_header_is_a_403(endpoint: Endpoint, host: str, tmp_path: Path) -> None:
    """DNS rebinding: a page on another name that resolves here still names itself."""
    port = port_of(endpoint.url)
    job_id = quiet_job(endpoint, tmp_path)
    for method, target in (("GET", "/jobs"), ("GET", f"/stream/{job_id}"), ("POST", "/jobs")):
        head, body = exchange(port, request_bytes(method, target, host.format(port=port)))
        assert head.status == 403, (method, target, head.status)
        assert json.loads(body)["error"] == "forbidden_host"
    assert endpoint.server.stream_count() == 0


@pytest.mark.parametrize(
    "host", ["localhost:{port}", "127.0.0.1:{port}", "[::1]:{port}", "[::1]", "LOCALHOST"]
)
def test_a_loopback_host_header_is_accepted(endpoint: Endpoint, host: str) -> None:
    port = port_of(endpoint.url)
    head, body = exchange(port, request_bytes("GET", "/jobs", host.format(port=port)))
    assert head.status == 200, body
    assert json.loads(body) == {"jobs": []}


def test_cors_echoes_only_loopback_origins_and_never_a_wildcard(
    endpoint: Endpoint, tmp_path: Path
) -> None:
    """A page on another site must not read the transcript through the visitor's browser."""
    port = port_of(endpoint.url)
    job_id = quiet_job(endpoint, tmp_path)
    host = f"127.0.0.1:{port}"
    targets = [("GET", "/jobs"), ("GET", f"/status/{job_id}"), ("OPTIONS", f"/stream/{job_id}")]
    for method, target in targets:
        good = {"Origin": "http://localhost:8000"}
        head, _ = exchange(port, request_bytes(method, target, host, good))
        assert head.header("Access-Control-Allow-Origin") == "http://localhost:8000", target
        assert "Origin" in (head.header("Vary") or "")
        for origin in ("http://evil.example", "null", "http://localhost.evil.example"):
            head, _ = exchange(port, request_bytes(method, target, host, {"Origin": origin}))
            assert head.status in (200, 204), (target, head.status)
            assert head.header("Access-Control-Allow-Origin") is None, (target, origin)
    stream = open_raw_stream(port, f"/stream/{job_id}", headers={"Origin": "http://[::1]:3000"})
    with stream.sock:
        assert stream.response.header("Access-Control-Allow-Origin") == "http://[::1]:3000"
    with httpx.Client(timeout=10) as client:
        pre = client.options(
            f"{endpoint.url}/jobs",
            headers={"Origin": "http://127.0.0.1:5173", "Access-Control-Request-Method": "POST"},
        )
    assert pre.status_code == 204
    assert pre.headers["access-control-allow-origin"] == "http://127.0.0.1:5173"
    assert "POST" in pre.headers["access-control-allow-methods"]
    assert "*" not in pre.headers.get_list("access-control-allow-origin")


def test_post_jobs_refuses_what_it_cannot_run(endpoint: Endpoint, tmp_path: Path) -> None:
    """Each refusal is a 400 with a JSON reason, and no job is created."""
    notes = tmp_path / "notes.txt"
    notes.write_text("not audio")
    with httpx.Client(timeout=10) as client:
        url = f"{endpoint.url}/jobs"
        cases: list[tuple[str, httpx.Response]] = [
            ("bad_path", client.post(url, json={"path": "relative/jfk.flac"})),
            ("media_error", client.post(url, json={"path": str(tmp_path / "missing.flac")})),
            ("media_error", client.post(url, json={"path": str(notes)})),
            ("media_error", client.post(url, json={"path": str(tmp_path)})),
            ("bad_request", client.post(url, content=b"{not json")),
            ("bad_request", client.post(url, json={"file": "/x.flac"})),
            ("bad_request", client.post(url, json={"path": 5})),
            ("bad_request", client.post(url, json=["/x.flac"])),
            ("bad_request", client.post(url, content=b"")),
        ]
        for code, answer in cases:
            assert answer.status_code == 400, (code, answer.status_code, answer.text)
            assert answer.headers["content-type"] == "application/json; charset=utf-8"
            body = answer.json()
            assert set(body) == {"error", "message"} and body["message"]
            if code != "media_error":
                assert body["error"] == code, body
        assert client.get(f"{endpoint.url}/jobs").json() == {"jobs": []}


# -- 5 and 6: hang-ups -------------------------------------------------------------------------


def test_a_client_that_hangs_up_mid_stream_is_forgotten_at_once(
    endpoint: Endpoint, tmp_path: Path
) -> None:
    """The next heartbeat must not be what notices: the stream slot frees immediately."""
    job_id = quiet_job(endpoint, tmp_path)
    channel = job_channel(job_id)
    stream = open_raw_stream(port_of(endpoint.url), f"/stream/{job_id}")
    with stream.sock:
        stream.until("connected", time.monotonic() + 5)
        endpoint.bus.publish(channel, "fragment", {"segment_index": 0, "segments": []})
        stream.until("fragment", time.monotonic() + 5)
        assert endpoint.server.stream_count(job_id) == 1
        assert endpoint.bus.subscriber_count(channel) == 1
    assert poll(
        lambda: (
            endpoint.server.stream_count(job_id) == 0
            and endpoint.bus.subscriber_count(channel) == 0
        ),
        0.5,
    ), (endpoint.server.stream_count(job_id), endpoint.bus.subscriber_count(channel))


def test_a_thousand_connects_and_hang_ups_leave_nothing_behind(
    endpoint: Endpoint, tmp_path: Path
) -> None:
    """No stream count, subscription or thread may leak per connection."""
    job_id = quiet_job(endpoint, tmp_path)
    channel = job_channel(job_id)
    port = port_of(endpoint.url)
    request = request_bytes("GET", f"/stream/{job_id}", f"127.0.0.1:{port}")

    def cycle() -> None:
        with raw_connect(port) as sock:
            sock.sendall(request)
            buf = b""
            while b"event: connected\n" not in buf:
                chunk = sock.recv(4096)
                assert chunk, f"closed before connected: {buf!r}"
                buf += chunk
            assert buf.startswith(b"HTTP/1.1 200 ")

    cycle()  # the bus starts its heartbeat thread with the first subscription
    assert poll(lambda: endpoint.server.stream_count() == 0, 2)
    threads = threading.active_count()
    start = time.monotonic()
    for _ in range(1000):
        cycle()
    elapsed = time.monotonic() - start
    assert elapsed < 30, f"1,000 cycles took {elapsed:.1f} s"
    assert poll(
        lambda: (
            endpoint.server.stream_count() == 0
            and endpoint.bus.subscriber_count(channel) == 0
            and threading.active_count() <= threads
        ),
        3,
    ), (
        endpoint.server.stream_count(),
        endpoint.bus.subscriber_count(channel),
        threading.active_count() - threads,
    )


# -- 7: a slow client ------------------------------------------------------------------------


def _fragment(index: int, text: str) -> dict[str, Any]:
    return {
        "segment_index": index,
        "language": "en",
        "segments": [{"id": f"{index}_0", "text": text}],
    }


def test_a_client_that_never_reads_is_dropped_and_slows_no_one(
    endpoint: Endpoint, tmp_path: Path
) -> None:
    """With small per-client queues, a stalled reader is dropped while a live one gets all."""
    job_id = quiet_job(endpoint, tmp_path)
    channel = job_channel(job_id)
    bus = endpoint.bus
    server = StudioServer(endpoint.store, bus, endpoint.live, client_queue=16, write_timeout_s=1.0)
    url = server.start()
    slow = raw_connect(port_of(url), rcvbuf=1024)
    try:
        slow.sendall(request_bytes("GET", f"/stream/{job_id}", f"127.0.0.1:{port_of(url)}"))
        assert poll(lambda: bus.subscriber_count(channel) == 1, 2)
        text = "x" * 4000  # 12 MB in all: far more than the slow socket's buffers
        total, burst = 3000, 8  # bursts, as a pipeline publishes fragment + progress
        received: list[int] = []
        publish_s = worst = 0.0
        with (
            httpx.Client(timeout=10) as client,
            connect_sse(client, "GET", f"{url}/stream/{job_id}") as source,
        ):
            events = source.iter_sse()
            assert next(events).event == "connected"
            for start in range(0, total, burst):
                for index in range(start, start + burst):
                    began = time.perf_counter()
                    bus.publish(channel, "fragment", _fragment(index, text))
                    took = time.perf_counter() - began
                    publish_s, worst = publish_s + took, max(worst, took)
                while len(received) < start + burst:
                    event = next(events)
                    assert event.event in ("fragment", "ping"), event.data[:200]
                    if event.event == "fragment":
                        data = sse_payload(event)
                        assert data["segments"][0]["text"] == text
                        received.append(data["segment_index"])
            assert received == list(range(total))
            assert publish_s < 2 and worst < 0.1, (publish_s, worst)
            assert bus.subscriber_count(channel) == 1, "the stalled reader is still subscribed"
            assert poll(lambda: server.stream_count(job_id) == 1, 5), server.stream_count(job_id)
            bus.publish(channel, "signal", {"code": "job_complete", "message": "done"})
            rest = follow(events, timeout=10)
            assert [e.event for e in rest if e.event != "ping"] == ["signal"]
        assert poll(lambda: server.stream_count() == 0, 2)
    finally:
        slow.close()
        server.stop()
    assert bus.subscriber_count(channel) == 0


def test_a_burst_never_blocks_the_publisher_and_a_stalled_writer_times_out(
    endpoint: Endpoint, tmp_path: Path
) -> None:
    """With queues large enough for the burst, the write timeout is what ends the stall."""
    job_id = quiet_job(endpoint, tmp_path)
    channel = job_channel(job_id)
    bus = endpoint.bus
    total = 3000
    server = StudioServer(
        endpoint.store, bus, endpoint.live, client_queue=total + 100, write_timeout_s=1.0
    )
    url = server.start()
    slow = raw_connect(port_of(url), rcvbuf=1024)
    try:
        slow.sendall(request_bytes("GET", f"/stream/{job_id}", f"127.0.0.1:{port_of(url)}"))
        assert poll(lambda: bus.subscriber_count(channel) == 1, 2)
        with (
            httpx.Client(timeout=10) as client,
            connect_sse(client, "GET", f"{url}/stream/{job_id}") as source,
        ):
            events = source.iter_sse()
            assert next(events).event == "connected"
            text = "y" * 4000
            began = time.monotonic()
            for index in range(total):
                bus.publish(channel, "fragment", _fragment(index, text))
            bus.publish(channel, "signal", {"code": "job_complete", "message": "done"})
            publishing = time.monotonic() - began
            got = [sse_payload(e) for e in follow(events, timeout=30) if e.event == "fragment"]
        assert publishing < 2, f"publishing {total} events took {publishing:.2f} s"
        assert [d["segment_index"] for d in got] == list(range(total))
        assert all(d["segments"][0]["text"] == text for d in got)
        # The stalled writer gives up after write_timeout_s (1 s), not at the 10 s default.
        assert poll(lambda: server.stream_count(job_id) == 0, 3), server.stream_count(job_id)
        assert bus.subscriber_count(channel) == 0
    finally:
        slow.close()
        server.stop()


# -- 8: the models channel -------------------------------------------------------------------


def test_the_models_channel_streams_connected_then_published_progress(
    endpoint: Endpoint,
) -> None:
    """A page shows model downloads through the same framing as jobs."""
    with (
        httpx.Client(timeout=10) as client,
        connect_sse(client, "GET", f"{endpoint.url}/events/models") as source,
    ):
        assert source.response.headers["content-type"] == "text/event-stream; charset=utf-8"
        events = source.iter_sse()
        first = next(events)
        assert first.event == "connected"
        assert sse_payload(first) == {"seq": endpoint.bus.last_seq(MODELS_CHANNEL)}
        assert endpoint.server.stream_count("models") == 1
        sent = {"model": "tiny.en", "percent": 42.5, "message": "Downloading\u2028tiny.en"}
        published = endpoint.bus.publish(MODELS_CHANNEL, "progress", sent)
        for event in events:
            if event.event != "ping":
                break
        assert event.event == "progress"
        assert "\u2028" not in event.data  # escaped on the wire
        assert sse_payload(event) == {"seq": published.seq, **sent}
    assert poll(lambda: endpoint.server.stream_count("models") == 0, 0.5)
    assert endpoint.bus.subscriber_count(MODELS_CHANNEL) == 0


# -- server bugs found while writing these tests (strict xfail: they flip once fixed) -------


def test_a_reader_that_fell_behind_gets_a_resync_error_that_keeps_the_framing(
    endpoint: Endpoint, tmp_path: Path
) -> None:
    """Every frame promises ``seq`` first in data and equal to ``id``; the resync one too."""
    job_id = quiet_job(endpoint, tmp_path)
    channel = job_channel(job_id)
    server = StudioServer(endpoint.store, endpoint.bus, endpoint.live, client_queue=4)
    port = port_of(server.start())
    try:
        stream = open_raw_stream(port, f"/stream/{job_id}")
        with stream.sock:
            seen = stream.until("connected", time.monotonic() + 5)
            for index in range(200):  # unread: the writer blocks and the queue overflows
                endpoint.bus.publish(channel, "fragment", _fragment(index, "z" * 4000))
            seen += stream.all(time.monotonic() + 10)
        errors = [e for e in seen if e.event == "error"]
        assert errors and json.loads(errors[-1].data)["code"] == "resync"
        for event in seen:
            sse_payload(event)
        ids = [int(e.last_event_id) for e in seen]
        assert ids == sorted(ids), ids
    finally:
        server.stop()


def test_stop_returns_at_once_while_a_client_has_sent_half_a_request(
    endpoint: Endpoint,
) -> None:
    """stop() must not wait for a client that never finishes its request."""
    server = StudioServer(endpoint.store, endpoint.bus, endpoint.live)
    port = port_of(server.start())
    idle = raw_connect(port)
    idle.sendall(b"GET /jobs HTTP/1.1\r\n")  # the headers never end
    rescue = threading.Timer(4.0, idle.close)  # unblocks stop() if it hangs
    rescue.start()
    try:
        began = time.monotonic()
        server.stop()
        took = time.monotonic() - began
    finally:
        rescue.cancel()
        rescue.join()
        idle.close()
    assert took < 2, f"stop() waited {took:.1f} s for a client that never finished its request"
