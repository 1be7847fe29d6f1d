"""Routing and framing decided from raw bytes: ids, Host names, origins, SSE frames."""

from __future__ import annotations

import json

import pytest

from subtitle_studio.core.bus import Event
from subtitle_studio.server.routing import is_loopback_host, loopback_origin, parse_route
from subtitle_studio.server.sse import frame_event

JOB = "0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize(
    ("target", "name", "job_id", "malformed"),
    [
        (f"/stream/{JOB}", "stream", JOB, False),
        (f"/stream/{JOB}?last=3", "stream", JOB, False),
        (f"/transcription-text/{JOB}", "transcription-text", JOB, False),
        (f"/status/{JOB}", "status", JOB, False),
        ("/jobs", "jobs", None, False),
        ("/events/models", "models", None, False),
        ("/stream/zz", "stream", None, True),
        (f"/stream/{JOB.upper()}", "stream", None, True),
        ("/stream/..%2F..%2Fetc%2Fpasswd", "stream", None, True),
        (f"/stream/{JOB}%00", "stream", None, True),
        (f"/stream/{JOB}/extra", "stream", None, True),
        ("/stream/", "stream", None, True),
        ("/", "", None, False),
        (f"/streams/{JOB}", "", None, False),
        ("/events/models/x", "", None, False),
    ],
)
def test_routes(target: str, name: str, job_id: str | None, malformed: bool) -> None:
    route = parse_route(target)
    assert (route.name, route.job_id, route.malformed) == (name, job_id, malformed)


@pytest.mark.parametrize(
    "host",
    ["localhost", "LOCALHOST:8765", "127.0.0.1", "127.0.0.1:80", "127.9.9.9", "[::1]", "[::1]:1"],
)
def test_loopback_hosts_are_accepted(host: str) -> None:
    assert is_loopback_host(host)


@pytest.mark.parametrize(
    "host",
    [
        None,
        "",
        "evil.example",
        "127.0.0.1.evil.example",
        "localhost.evil.example",
        "192.168.1.2",
        "0.0.0.0",
        "[::1",
        "[::1]x",
        "127.0.0.1:99999",
        "127.0.0.1:port",
    ],
)
def test_other_hosts_are_refused(host: str | None) -> None:
    assert not is_loopback_host(host)


def test_only_loopback_origins_are_echoed() -> None:
    assert loopback_origin("http://localhost:8000") == "http://localhost:8000"
    assert loopback_origin("http://127.0.0.1:5500") == "http://127.0.0.1:5500"
    assert loopback_origin("http://evil.example") is None
    assert loopback_origin("http://localhost.evil.example") is None
    assert loopback_origin("null") is None
    assert loopback_origin("http://localhost:8000/path") is None
    assert loopback_origin(None) is None


def test_a_frame_is_one_data_line_whatever_the_text() -> None:
    text = "line one\nline two\r\nthree\u2028four\u2029five\x00"
    event = Event("job:x", "fragment", 7, {"segments": [{"text": text}]}, 0.0)
    raw = frame_event(event).decode()
    assert raw.endswith("\n\n")
    lines = raw[:-2].split("\n")
    assert lines[:2] == ["id: 7", "event: fragment"]
    assert len(lines) == 3 and lines[2].startswith("data: ")
    assert "\u2028" not in raw and "\u2029" not in raw and "\r" not in raw
    data = json.loads(lines[2].removeprefix("data: "))
    assert data == {"seq": 7, "segments": [{"text": text}]}
