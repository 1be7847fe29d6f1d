"""Answering a connection: the routes, the JSON answers and the event streams.

A stream follows the event bus like the window does: it is a bus subscription with a
bounded queue, so a slow client never slows the job or another client. Publishing
wakes the connection's thread through a socket pair, and the same ``select`` watches
the client's socket, so an event goes out at once and a client that hangs up is
noticed at once (not at the next heartbeat).
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import select
import socket
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

from subtitle_studio.core.bus import MODELS_CHANNEL, Subscription, SubscriptionClosed, job_channel
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.transcript import current_transcript
from subtitle_studio.errors import JobError, StudioError
from subtitle_studio.server.routing import is_loopback_host, loopback_origin, parse_route
from subtitle_studio.server.sse import comment, frame, frame_event

if TYPE_CHECKING:
    from subtitle_studio.server.endpoint import StudioServer

log = logging.getLogger(__name__)

#: A client that takes longer than this to send its request is disconnected.
REQUEST_TIMEOUT_S = 10.0
#: Signals after which a job's stream ends.
TERMINAL_SIGNALS = frozenset({"job_complete", "job_canceled", "job_failed"})
#: The largest ``POST /jobs`` body read.
MAX_BODY = 64 * 1024


class ConnectionServer(ThreadingHTTPServer):
    """One thread per connection, joined on close; carries the endpoint for its handlers."""

    daemon_threads = False  # server_close() joins them: nothing outlives stop()
    block_on_close = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type, studio: StudioServer) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.studio = studio
        super().__init__(address, handler)


class RequestHandler(BaseHTTPRequestHandler):
    """Answers one connection: a JSON answer, or a stream until it ends."""

    server: ConnectionServer
    protocol_version = "HTTP/1.1"
    # A request line without a version is not taken as HTTP/0.9 (whose answers have no
    # status line): garbage and bare "GET /x" get a real "HTTP/1.1 400"/JSON answer.
    default_request_version = "HTTP/1.0"
    server_version = "SubtitleStudio"
    sys_version = ""
    timeout = REQUEST_TIMEOUT_S  # reading the request; a stream sets its own write timeout

    def setup(self) -> None:
        super().setup()
        if not self.server.studio._track(self.connection, add=True):
            # Accepted while stop() runs, after it shut the others down: end it too.
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.studio._track(self.connection, add=False)

    # -- dispatch ----------------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        studio = self.server.studio
        if not self._host_allowed():
            return
        route = parse_route(self.path)
        if route.malformed:
            self._json(HTTPStatus.BAD_REQUEST, _error("bad_job_id", "A job id is 32 hex digits."))
            return
        if route.name == "jobs":
            records, _broken = studio.store.scan()
            self._json(HTTPStatus.OK, {"jobs": [self._status(r.id, r) for r in records]})
        elif route.name == "models":
            self._stream(MODELS_CHANNEL, "models")
        elif route.name and route.job_id is not None:
            job_id = route.job_id
            try:
                record = studio.store.get(job_id)
            except JobError:
                self._json(HTTPStatus.NOT_FOUND, _error("unknown_job", f"No job {job_id}."))
                return
            except StudioError as exc:
                self._json(HTTPStatus.INTERNAL_SERVER_ERROR, _error(exc.code, exc.message))
                return
            if route.name == "stream":
                self._stream(job_channel(job_id), job_id)
            elif route.name == "status":
                self._json(HTTPStatus.OK, self._status(job_id, record))
            else:
                try:
                    text = current_transcript(studio.store, job_id, studio.live)
                except StudioError as exc:
                    self._json(HTTPStatus.INTERNAL_SERVER_ERROR, _error(exc.code, exc.message))
                    return
                self._json(HTTPStatus.OK, text)
        else:
            self._json(HTTPStatus.NOT_FOUND, _error("not_found", "No such route."))

    def do_POST(self) -> None:  # noqa: N802
        studio = self.server.studio
        if not self._host_allowed():
            return
        if parse_route(self.path).name != "jobs":
            self._json(HTTPStatus.NOT_FOUND, _error("not_found", "Only /jobs accepts POST."))
            return
        if not _is_loopback_peer(self.client_address[0]):
            self._json(HTTPStatus.FORBIDDEN, _error("forbidden", "Jobs come from this computer."))
            return
        if studio.submit is None:
            self._json(
                HTTPStatus.METHOD_NOT_ALLOWED,
                _error("no_queue", "This endpoint takes no jobs; run `subtitle-studio serve`."),
            )
            return
        path = self._read_path()
        if path is None:
            return
        try:
            job_id = studio.submit(path)
        except StudioError as exc:
            self._json(HTTPStatus.BAD_REQUEST, _error(exc.code, exc.message))
            return
        self._json(
            HTTPStatus.CREATED,
            {"job_id": job_id, "stream": f"/stream/{job_id}", "status": f"/status/{job_id}"},
        )

    def do_OPTIONS(self) -> None:  # noqa: N802 (a browser's CORS preflight)
        if not self._host_allowed():
            return
        self.send_response(HTTPStatus.NO_CONTENT)
        self._cors_headers()
        self.send_header("Access-Control-Allow-Methods", "GET, POST")
        self.send_header("Access-Control-Allow-Headers", "Content-Type")
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    # -- answers -----------------------------------------------------------------------
    def _status(self, job_id: str, record: Any) -> dict[str, Any]:
        studio = self.server.studio
        status = record.to_dict()
        running = studio.live.get(job_id) if studio.live is not None else None
        if running is not None and record.status == JobStatus.RUNNING:
            status.update(running.snapshot(words=False)["progress"])  # fresher than job.json
        status["name"] = record.name
        return status

    def _read_path(self) -> Path | None:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            self._json(HTTPStatus.BAD_REQUEST, _error("bad_request", 'Send JSON: {"path": …}.'))
            return None
        try:
            body = json.loads(self.rfile.read(length))
            path = Path(body["path"])
        except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: deep nesting
            self._json(HTTPStatus.BAD_REQUEST, _error("bad_request", 'Send JSON: {"path": …}.'))
            return None
        if not path.is_absolute():
            self._json(HTTPStatus.BAD_REQUEST, _error("bad_path", "Give an absolute file path."))
            return None
        return path

    def _json(self, status: HTTPStatus, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False, allow_nan=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self._cors_headers()
        self.end_headers()
        self.wfile.write(data)
        self.close_connection = True

    def _host_allowed(self) -> bool:
        if is_loopback_host(self.headers.get("Host")):
            return True
        self._json(HTTPStatus.FORBIDDEN, _error("forbidden_host", "Use localhost or 127.0.0.1."))
        return False

    def _cors_headers(self) -> None:
        origin = loopback_origin(self.headers.get("Origin"))
        if origin is not None:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")

    # -- streaming ---------------------------------------------------------------------
    def _stream(self, channel: str, key: str) -> None:
        studio = self.server.studio
        if not studio._claim_stream(key):
            limit = studio.max_streams_per_job
            self._json(
                HTTPStatus.TOO_MANY_REQUESTS,
                _error("too_many_streams", f"At most {limit} streams follow one job."),
            )
            return
        conn = self.connection
        # Frames go out as they are written, not held back waiting for the client's
        # acknowledgement of the previous packet (Nagle's algorithm): that cost ~40 ms.
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        wake_r, wake_w = socket.socketpair()
        wake_r.setblocking(False)
        wake_w.setblocking(False)

        def wake() -> None:  # the publisher's thread: never blocks
            with contextlib.suppress(OSError):  # already awake (buffer full) or closing
                wake_w.send(b"\0")

        sub: Subscription | None = None
        try:
            sub = studio.bus.subscribe(channel, max_queue=studio.client_queue, on_event=wake)
            conn.settimeout(studio.write_timeout_s)
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("X-Accel-Buffering", "no")
            self.send_header("Connection", "close")
            self._cors_headers()
            self.end_headers()
            self.wfile.write(comment("subtitle-studio"))
            self.wfile.flush()
            self._pump(sub, conn, wake_r)
        except (OSError, ValueError) as exc:  # the client went away mid-write
            log.debug("stream %s ended: %s", channel, exc)
        finally:
            if sub is not None:
                sub.close()
            wake_r.close()
            wake_w.close()
            studio._release_stream(key)
            self.close_connection = True

    def _pump(self, sub: Subscription, conn: socket.socket, wake_r: socket.socket) -> None:
        """Write events as they come until a terminal signal, a hang-up or shutdown."""
        studio = self.server.studio
        while not studio.stopping.is_set():
            try:
                events = sub.drain()
            except SubscriptionClosed:  # fell behind: tell it (if it still reads) and end
                # Numbered as the channel's latest event: after all this client saw.
                seq = studio.bus.last_seq(sub.channel)
                payload = {"seq": seq, "code": "resync", "message": _RESYNC}
                self.wfile.write(frame("error", seq, payload))
                return
            frames = []
            ended = False
            for event in events:
                frames.append(frame_event(event))
                if event.name == "signal" and event.data.get("code") in TERMINAL_SIGNALS:
                    ended = True
                    break
            if frames:
                self.wfile.write(b"".join(frames))  # one send for a burst
            if ended:
                return
            if not events and sub.closed:
                return  # the bus closed
            readable, _, _ = select.select([conn, wake_r], [], [], 1.0)
            if conn in readable and not _still_there(conn):
                return
            if wake_r in readable:
                try:
                    while wake_r.recv(4096):
                        pass
                except BlockingIOError:
                    pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
        log.debug("%s %s", self.address_string(), format % args)


_RESYNC = "This client fell behind; reconnect and fetch /transcription-text."


def _still_there(conn: socket.socket) -> bool:
    """After ``select`` said readable: False when the client hung up."""
    try:
        data = conn.recv(4096, socket.MSG_DONTWAIT)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return bool(data)  # b"" is an orderly hang-up; anything else is ignored


def _is_loopback_peer(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": code, "message": message}
