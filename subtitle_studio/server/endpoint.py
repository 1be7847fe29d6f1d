"""The local HTTP endpoint (SPEC §8): standard library server, one thread per connection.

:class:`StudioServer` owns the listening socket, the stream limits and the open
connections; :mod:`subtitle_studio.server.handler` answers each connection.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Callable
from pathlib import Path

from subtitle_studio.core.bus import (
    EventBus,
)
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.transcript import LiveJobs
from subtitle_studio.errors import StudioError
from subtitle_studio.server.handler import ConnectionServer, RequestHandler

log = logging.getLogger(__name__)

#: More streams than this on one job are refused with 429.
MAX_STREAMS_PER_JOB = 5
#: Events queued for one client before it counts as unable to keep up.
CLIENT_QUEUE = 256
#: A client that accepts nothing for this long is disconnected.
WRITE_TIMEOUT_S = 10.0

#: Called with a local media file for ``POST /jobs``; returns the new job's id.
Submit = Callable[[Path], str]


class StudioServer:
    """The endpoint over one store, bus and set of live jobs; ``start()`` runs it."""

    def __init__(
        self,
        store: JobStore,
        bus: EventBus,
        live: LiveJobs | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        submit: Submit | None = None,
        max_streams_per_job: int = MAX_STREAMS_PER_JOB,
        client_queue: int = CLIENT_QUEUE,
        write_timeout_s: float = WRITE_TIMEOUT_S,
    ) -> None:
        self.store = store
        self.bus = bus
        self.live = live
        self.submit = submit
        self.max_streams_per_job = max_streams_per_job
        self.client_queue = client_queue
        self.write_timeout_s = write_timeout_s
        self._host, self._port = host, port
        self._httpd: ConnectionServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._streams: dict[str, int] = {}
        self._connections: set[socket.socket] = set()
        self.stopping = threading.Event()

    # -- life --------------------------------------------------------------------------
    def start(self) -> str:
        """Bind and serve in a background thread; the URL (with the real port when 0)."""
        try:
            httpd = ConnectionServer((self._host, self._port), RequestHandler, self)
        except OSError as exc:
            raise StudioError(
                f"Could not start the HTTP endpoint on {self._host}:{self._port}: "
                f"{exc.strerror or exc}. Choose another port."
            ) from exc
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.2},
            name="subtitle-studio-http",
            daemon=True,
        )
        self._thread.start()
        log.info("HTTP endpoint at %s", self.url)
        return self.url

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the endpoint is not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        host = self._host if ":" not in self._host else f"[{self._host}]"
        return f"http://{host}:{self.port}"

    def stop(self) -> None:
        """Stop accepting, end every stream at once and wait for the connection threads."""
        httpd = self._httpd
        if httpd is None:
            return
        with self._lock:  # a connection tracked after this sees `stopping` (setup())
            self.stopping.set()
        httpd.shutdown()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:  # threads blocked reading or writing wake up now
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        httpd.server_close()  # joins the connection threads
        if self._thread is not None:
            self._thread.join()
        self._httpd = self._thread = None

    def __enter__(self) -> StudioServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- bookkeeping -------------------------------------------------------------------
    def stream_count(self, key: str | None = None) -> int:
        """Open streams on ``key`` (a job id or ``models``), or on all."""
        with self._lock:
            return self._streams.get(key, 0) if key is not None else sum(self._streams.values())

    def _claim_stream(self, key: str) -> bool:
        with self._lock:
            if self._streams.get(key, 0) >= self.max_streams_per_job:
                return False
            self._streams[key] = self._streams.get(key, 0) + 1
            return True

    def _release_stream(self, key: str) -> None:
        with self._lock:
            left = self._streams.get(key, 0) - 1
            if left > 0:
                self._streams[key] = left
            else:
                self._streams.pop(key, None)

    def _track(self, conn: socket.socket, *, add: bool) -> bool:
        """Note a connection opening or closing; False when it opens during ``stop()``."""
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)
            return not self.stopping.is_set()
