"""A WHATWG event-stream parser and a raw-socket HTTP reader, independent of the server's code.

The tests read the endpoint's streams through this (besides ``httpx-sse``) so the wire format
is checked by a second, separately written reader: line ends ``\\r\\n``, ``\\r`` and ``\\n``,
comments, fields without a colon, one optional space after the colon, several ``data`` lines
joined by ``\\n``, dispatch on a blank line, and an ``id`` holding NUL ignored (HTML Living
Standard, "Server-sent events", "Interpreting an event stream").
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class SSEEvent:
    """One dispatched event; ``data_lines`` counts the ``data`` fields that built it."""

    event: str
    data: str
    last_event_id: str
    data_lines: int
    id_fields: list[str] = field(default_factory=list)


class EventStreamParser:
    """Feed bytes as they arrive; get back the events completed by them."""

    def __init__(self) -> None:
        self._pending = b""
        self._first = True
        self._data: list[str] = []
        self._event = ""
        self._id_fields: list[str] = []
        self.last_event_id = ""
        self.retry: int | None = None
        self.comments: list[str] = []

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        self._pending += chunk
        if self._first and len(self._pending) >= 3:
            if self._pending.startswith(b"\xef\xbb\xbf"):  # one leading BOM is dropped
                self._pending = self._pending[3:]
            self._first = False
        events: list[SSEEvent] = []
        for line in self._lines():
            event = self._line(line)
            if event is not None:
                events.append(event)
        return events

    def _lines(self) -> Iterator[str]:
        buf = self._pending
        start = 0
        i = 0
        while i < len(buf):
            byte = buf[i]
            if byte == 0x0A:  # LF
                yield buf[start:i].decode("utf-8", "replace")
                i += 1
                start = i
            elif byte == 0x0D:  # CR, maybe followed by LF
                if i + 1 == len(buf):
                    break  # the LF may come in the next chunk
                yield buf[start:i].decode("utf-8", "replace")
                i += 2 if buf[i + 1] == 0x0A else 1
                start = i
            else:
                i += 1
        self._pending = buf[start:]

    def _line(self, line: str) -> SSEEvent | None:
        if line == "":
            return self._dispatch()
        if line.startswith(":"):
            self.comments.append(line[1:].removeprefix(" "))
            return None
        name, colon, value = line.partition(":")
        if colon:
            value = value.removeprefix(" ")
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id":
            self._id_fields.append(value)
            if "\0" not in value:
                self.last_event_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self.retry = int(value)
        return None  # any other field is ignored

    def _dispatch(self) -> SSEEvent | None:
        data, name, ids = self._data, self._event, self._id_fields
        self._data, self._event, self._id_fields = [], "", []
        if not data:
            return None
        return SSEEvent(name or "message", "\n".join(data), self.last_event_id, len(data), ids)


@dataclass
class RawResponse:
    """A response head read off a socket, and the body bytes that came with it."""

    status: int
    reason: str
    headers: list[tuple[str, str]]
    rest: bytes

    def header(self, name: str) -> str | None:
        values = self.all(name)
        assert len(values) <= 1, f"{name} sent {len(values)} times: {values}"
        return values[0] if values else None

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]


def request_bytes(
    method: str, target: str, host: str, extra: dict[str, str] | None = None
) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}"]
    lines += [f"{k}: {v}" for k, v in (extra or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def read_head(sock: socket.socket, deadline: float) -> RawResponse:
    """Read up to the blank line after the headers."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"closed before the end of the headers: {buf!r}")
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    version, code, reason = status_line.split(" ", 2)
    assert version == "HTTP/1.1", status_line
    headers = []
    for line in lines:
        name, _, value = line.partition(":")
        headers.append((name, value.strip()))
    return RawResponse(int(code), reason, headers, rest)


def read_to_close(sock: socket.socket, deadline: float) -> bytes:
    """Everything until the server closes the connection."""
    chunks = []
    while True:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


class RawStream:
    """An SSE response read through a plain socket and :class:`EventStreamParser`."""

    def __init__(self, sock: socket.socket, response: RawResponse) -> None:
        self.sock = sock
        self.response = response
        self.parser = EventStreamParser()
        self.raw = bytearray(response.rest)
        self._queued = self.parser.feed(response.rest)
        self.closed_by_server = False

    def next_event(self, deadline: float) -> SSEEvent | None:
        """The next event, or None once the server has closed the stream."""
        while not self._queued:
            if self.closed_by_server:
                return None
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            chunk = self.sock.recv(65536)
            if not chunk:
                self.closed_by_server = True  # an unfinished event is dropped
                continue
            self.raw += chunk
            self._queued = self.parser.feed(chunk)
        return self._queued.pop(0)

    def until(self, name: str, deadline: float) -> list[SSEEvent]:
        """Events up to and including the first called ``name``."""
        seen = []
        while (event := self.next_event(deadline)) is not None:
            seen.append(event)
            if event.event == name:
                return seen
        raise AssertionError(f"stream ended before {name!r}: {[e.event for e in seen]}")

    def all(self, deadline: float) -> list[SSEEvent]:
        """Every event until the server closes the stream."""
        seen = []
        while (event := self.next_event(deadline)) is not None:
            seen.append(event)
        return seen
