"""A local stand-in for the Hugging Face Hub, and a tiny HTTP forward proxy, for download tests.

The application downloads models through huggingface_hub's own code, and the tests have no
internet. ``FakeHub`` answers the few endpoints huggingface_hub 0.36 calls for a model
repository, with the headers its code reads (checked against its source, not guessed):

* ``GET /api/models/{repo_id}[/revision/{revision}]`` - ``HfApi.model_info`` and
  ``snapshot_download``. The revision arrives ``quote(..., safe="")``-encoded, so the path is
  split before it is unquoted. Like the real Hub, ``siblings`` carry ``size``, ``blobId`` and
  ``lfs`` only when the query asks for ``blobs=true`` (``files_metadata=True``).
* ``HEAD``/``GET /{repo_id}/resolve/{revision}/{path}`` - ``get_hf_file_metadata`` reads
  ``X-Repo-Commit``, then ``X-Linked-Etag`` before ``ETag`` and ``X-Linked-Size`` before
  ``Content-Length``; ``http_get`` resumes with ``Range: bytes=N-`` and reads the total from
  ``Content-Range``. No ``X-Xet-*`` header is sent, so hf_xet is never used.
* Errors carry ``X-Error-Code`` (``RepoNotFound``, ``RevisionNotFound``, ``EntryNotFound``)
  and a JSON ``{"error": ...}`` body: that is what ``hf_raise_for_status`` maps to its
  exception classes.

Files are hashed once, at ``start()``; a file at least ``lfs_min_size`` bytes long is served
as a Git LFS file (ETag = its sha256), a smaller one as a plain Git blob (ETag = its git
blob sha1). Tests steer the server with ``cut_next`` (a download cut off mid-file),
``throttle`` (a slow link, so a test can cancel mid-download) and ``fail_next``.

Both servers are stdlib ``ThreadingHTTPServer``s in a background thread. ``stop()`` shuts
down every open keep-alive connection and joins every handler thread, because the suite
fails a test that leaves a thread of its own running.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import logging
import re
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, unquote, urlsplit

log = logging.getLogger(__name__)

DEFAULT_COMMIT = "0123456789abcdef0123456789abcdef01234567"
_PIECE = 64 * 1024  # bytes per write of an unthrottled body
_LAST_MODIFIED = "2024-01-01T00:00:00.000Z"
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
# RFC 9110 section 7.6.1, plus the non-standard Proxy-Connection that clients still send.
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)


def hub_env(hub_url: str) -> dict[str, str]:
    """Environment for a child process that should download from ``hub_url``.

    Only useful for a process started after this: huggingface_hub reads ``HF_ENDPOINT`` once,
    at import. In this process pass ``endpoint=hub.url`` to its functions instead.
    """
    return {"HF_ENDPOINT": hub_url}


@dataclass
class RequestRecord:
    """One request the hub answered, recorded before its body is sent.

    ``bytes_sent`` grows just before each piece of the body goes to the socket, so a client
    that has read N bytes always finds ``bytes_sent >= N`` without waiting for the server.
    """

    method: str
    path: str  # the request target as sent, query string included
    range: str | None  # the Range header, or None
    status: int
    filename: str | None = None  # the repository path of a resolve request
    bytes_sent: int = 0
    client_port: int = 0  # the same port for requests that shared a kept-alive connection


@dataclass(frozen=True)
class _RepoFile:
    """A served file and the hashes the Hub would report for it."""

    local: Path
    size: int
    blob_id: str  # git blob sha1 of the content, or of the LFS pointer for an LFS file
    sha256: str | None  # set for an LFS file only
    pointer_size: int | None  # set for an LFS file only


class _StopServing(Exception):
    """Raised inside a handler to drop its connection at once (a cut or a shutdown)."""


def _git_blob_sha1(data: bytes) -> str:
    """The object id git gives a blob: sha1 over ``b"blob <len>\\0"`` and the content."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _hash_file(path: Path, lfs_min_size: int) -> _RepoFile:
    """Hash one file the way the Hub reports it: LFS files by sha256, others as git blobs."""
    size = path.stat().st_size
    if size < lfs_min_size:
        return _RepoFile(path, size, _git_blob_sha1(path.read_bytes()), None, None)
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while piece := f.read(1024 * 1024):
            digest.update(piece)
    sha256 = digest.hexdigest()
    # What git stores in place of the file (git-lfs spec v1); its blob id is the file's blobId.
    pointer = f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n"
    pointer_bytes = pointer.encode()
    return _RepoFile(path, size, _git_blob_sha1(pointer_bytes), sha256, len(pointer_bytes))


def _parse_range(header: str | None, total: int) -> tuple[int, int] | None | str:
    """The inclusive byte span a Range header asks for.

    Returns None to serve the whole file (no header, or a form this server ignores, such as
    several ranges, which RFC 9110 lets a server ignore), or ``"unsatisfiable"``.
    """
    if header is None:
        return None
    match = _RANGE.match(header.strip())
    if not match or match.group(1) == match.group(2) == "":
        return None
    first, last = match.groups()
    if first == "":  # suffix form: the last N bytes
        length = int(last)
        if length == 0:
            return "unsatisfiable"
        return max(0, total - length), total - 1
    start = int(first)
    end = total - 1 if last == "" else min(int(last), total - 1)
    if start >= total or start > end:
        return "unsatisfiable"
    return start, end


class _Server(ThreadingHTTPServer):
    """A ThreadingHTTPServer that can close its open connections and join its threads.

    ``block_on_close`` makes ``server_close()`` join every handler thread; a keep-alive
    handler waits in ``readline`` for the client's next request, so ``stop()`` first shuts
    down the open sockets to wake it.
    """

    daemon_threads = True  # never hold up interpreter exit, even after a failed stop()
    block_on_close = True

    def __init__(self, handler: type[BaseHTTPRequestHandler], owner: Any) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.owner = owner
        self.stopping = threading.Event()
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_open_connections(self) -> None:
        with self._open_lock:
            open_sockets = list(self._open)
        for sock in open_sockets:
            with contextlib.suppress(OSError):  # already gone
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-body is normal here (cancelled downloads); keep stderr quiet.
        log.debug("connection from %s ended with an error", client_address, exc_info=True)


class _BackgroundServer:
    """Runs a ``_Server`` in a named background thread; start/stop and context manager."""

    _handler: type[BaseHTTPRequestHandler]
    _thread_name = "http-server"

    def __init__(self) -> None:
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._server is not None:
            raise RuntimeError(f"{type(self).__name__} already started")
        self._server = _Server(self._handler, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"{self._thread_name}-{self._server.server_address[1]}",
        )
        self._thread.start()
        log.debug("%s listening on %s", type(self).__name__, self.url)

    def stop(self) -> None:
        """Stop accepting, drop open connections and join every thread; safe to call twice."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.stopping.set()  # wakes throttled handlers
        server.shutdown()
        thread.join()
        server.close_open_connections()
        server.server_close()  # joins the handler threads (block_on_close)
        self._server = self._thread = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not running")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class _QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 handler (keep-alive) that logs through ``logging`` instead of stderr."""

    protocol_version = "HTTP/1.1"
    timeout = 60  # a forgotten client cannot pin a handler thread forever
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def _drain_body(self) -> bytes:
        """Read the request body so the next request on this connection parses cleanly."""
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _drop_connection(self) -> None:
        """Close the socket now: the client sees the body end early."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        raise _StopServing

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except _StopServing:
            self.close_connection = True
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away mid-response


class _HubHandler(_QuietHandler):
    """Answers the Hub endpoints for ``FakeHub``; all state lives on the hub."""

    def do_GET(self) -> None:
        self._drain_body()
        self._route(head=False)

    def do_HEAD(self) -> None:
        self._drain_body()
        self._route(head=True)

    def _route(self, *, head: bool) -> None:
        hub: FakeHub = self.server.owner
        raw_path, _, query = self.path.partition("?")
        if raw_path.startswith("/api/models/"):
            self._model_info(hub, raw_path[len("/api/models/") :], query, head=head)
        elif "/resolve/" in raw_path:
            repo_part, _, rest = raw_path.lstrip("/").partition("/resolve/")
            revision, _, file_part = rest.partition("/")
            self._resolve(hub, unquote(repo_part), unquote(revision), unquote(file_part), head)
        else:
            self._error(hub, 404, None, "Not Found", head=head)

    # -- /api/models -----------------------------------------------------------------------

    def _model_info(self, hub: FakeHub, raw: str, query: str, *, head: bool) -> None:
        repo_part, _, revision_part = raw.partition("/revision/")
        repo_id, revision = unquote(repo_part), unquote(revision_part) or "main"
        if repo_id not in hub._files:
            self._error(hub, 404, "RepoNotFound", "Repository not found", head=head)
            return
        if not hub._knows_revision(revision):
            self._error(hub, 404, "RevisionNotFound", f"Invalid rev id: {revision}", head=head)
            return
        blobs = parse_qs(query).get("blobs", ["false"])[-1].lower() == "true"
        body = json.dumps(hub._model_info(repo_id, blobs=blobs)).encode()
        record = hub._record(self, 200)
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            record.bytes_sent = len(body)
            self.wfile.write(body)

    # -- /{repo_id}/resolve/{revision}/{path} ----------------------------------------------

    def _resolve(
        self, hub: FakeHub, repo_id: str, revision: str, filename: str, head: bool
    ) -> None:
        files = hub._files.get(repo_id)
        if files is None:
            self._error(hub, 404, "RepoNotFound", "Repository not found", head=head)
            return
        if not hub._knows_revision(revision):
            self._error(hub, 404, "RevisionNotFound", f"Invalid rev id: {revision}", head=head)
            return
        entry = files.get(filename)
        if entry is None:
            # The Hub names the commit even for a missing file; huggingface_hub caches that.
            self._error(
                hub,
                404,
                "EntryNotFound",
                f"{filename} does not exist",
                head=head,
                filename=filename,
                extra={"X-Repo-Commit": hub.commit},
            )
            return
        failure = hub._take(hub._failures, filename)
        if failure is not None:
            self._error(hub, failure, None, "Injected failure", head=head, filename=filename)
            return

        span = _parse_range(self.headers.get("Range"), entry.size)
        if span == "unsatisfiable":
            self._error(
                hub,
                416,
                None,
                "Range Not Satisfiable",
                head=head,
                filename=filename,
                extra={"Content-Range": f"bytes */{entry.size}"},
            )
            return
        start, end = span if isinstance(span, tuple) else (0, entry.size - 1)
        status = 206 if isinstance(span, tuple) else 200
        cut = None if head else hub._take(hub._cuts, filename)

        record = hub._record(self, status, filename=filename)
        self.send_response(status)
        self.send_header("X-Repo-Commit", hub.commit)
        etag = f'"{entry.sha256 or entry.blob_id}"'
        self.send_header("ETag", etag)
        if entry.sha256 is not None:  # what the real Hub adds for an LFS file
            self.send_header("X-Linked-Etag", etag)
            self.send_header("X-Linked-Size", str(entry.size))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(end - start + 1))
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{entry.size}")
        self.end_headers()
        if not head:
            self._send_file(hub, entry.local, start, end - start + 1, record, cut)

    def _send_file(
        self,
        hub: FakeHub,
        path: Path,
        offset: int,
        length: int,
        record: RequestRecord,
        cut: int | None,
    ) -> None:
        """Stream ``length`` bytes from ``offset``, throttled and cut as the hub was told."""
        budget = length if cut is None else min(cut, length)
        began = time.monotonic()
        with path.open("rb") as f:
            f.seek(offset)
            while record.bytes_sent < budget:
                rate = hub._rate
                piece_size = _PIECE if rate is None else max(1, min(16 * 1024, rate // 50))
                piece = f.read(min(piece_size, budget - record.bytes_sent))
                if not piece:
                    break  # the file shrank under us; the client sees a short body
                if rate is not None:  # wait until this piece is due, so N bytes take N/rate s
                    due = (record.bytes_sent + len(piece)) / rate - (time.monotonic() - began)
                    if due > 0 and self.server.stopping.wait(due):
                        self._drop_connection()
                record.bytes_sent += len(piece)
                try:
                    self.wfile.write(piece)
                except OSError:
                    record.bytes_sent -= len(piece)
                    raise
        if cut is not None and record.bytes_sent < length:
            log.debug("cutting %s after %d bytes", path.name, record.bytes_sent)
            self._drop_connection()

    # -- shared ----------------------------------------------------------------------------

    def _error(
        self,
        hub: FakeHub,
        status: int,
        code: str | None,
        message: str,
        *,
        head: bool,
        filename: str | None = None,
        extra: dict[str, str] | None = None,
    ) -> None:
        """An error shaped as ``hf_raise_for_status`` reads it: X-Error-Code and JSON body."""
        body = json.dumps({"error": message}).encode()
        record = hub._record(self, status, filename=filename)
        self.send_response(status)
        if code is not None:
            self.send_header("X-Error-Code", code)
            self.send_header("X-Error-Message", message)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            record.bytes_sent = len(body)
            self.wfile.write(body)


class FakeHub(_BackgroundServer):
    """A local Hugging Face Hub serving model repositories from folders.

    ``repos`` maps a repo id such as ``"Systran/faster-whisper-tiny.en"`` to the folder
    whose files (subfolders included, as ``a/b.txt``) are the repository's files at
    ``commit``. Revision ``"main"`` and the commit itself are known; any other is not.
    """

    _handler = _HubHandler
    _thread_name = "fake-hub"

    def __init__(
        self,
        repos: dict[str, Path],
        *,
        commit: str = DEFAULT_COMMIT,
        lfs_min_size: int = 10_000_000 // 10,
    ) -> None:
        super().__init__()
        self.repos = {repo_id: Path(folder) for repo_id, folder in repos.items()}
        self.commit = commit
        self.lfs_min_size = lfs_min_size
        self._files: dict[str, dict[str, _RepoFile]] = {}
        self._lock = threading.Lock()
        self._records: list[RequestRecord] = []
        self._cuts: dict[str, int] = {}
        self._failures: dict[str, int] = {}
        self._rate: int | None = None

    def start(self) -> None:
        """Hash every file (once: a file changed afterwards is served with stale hashes), serve."""
        if not self._files:
            self._files = {
                repo_id: {
                    path.relative_to(folder).as_posix(): _hash_file(path, self.lfs_min_size)
                    for path in sorted(folder.rglob("*"))
                    if path.is_file()
                }
                for repo_id, folder in self.repos.items()
            }
        super().start()

    # -- what tests read -------------------------------------------------------------------

    @property
    def requests(self) -> list[RequestRecord]:
        """A snapshot of every request answered so far, oldest first."""
        with self._lock:
            return list(self._records)

    def gets_of(self, filename: str) -> list[RequestRecord]:
        """The GET requests of one repository file, oldest first."""
        return [r for r in self.requests if r.method == "GET" and r.filename == filename]

    # -- what tests steer ------------------------------------------------------------------

    def cut_next(self, filename: str, after_bytes: int) -> None:
        """Make the next GET of ``filename`` send ``after_bytes`` body bytes, then hang up.

        The count is of this response's body, so it applies after any Range. The headers
        still promise the full length: the client sees a truncated body.
        """
        with self._lock:
            self._cuts[filename] = after_bytes

    def throttle(self, bytes_per_second: int | None) -> None:
        """Slow every GET body to about this rate (None: full speed); read live per piece."""
        if bytes_per_second is not None and bytes_per_second <= 0:
            raise ValueError("bytes_per_second must be positive or None")
        self._rate = bytes_per_second

    def fail_next(self, filename: str, status: int) -> None:
        """Answer the next HEAD or GET of ``filename`` with ``status`` and a JSON error.

        huggingface_hub retries 500, 502, 503 and 504 itself (``http_backoff``, from 1 s),
        so one such failure only delays a download.
        """
        with self._lock:
            self._failures[filename] = status

    # -- used by the handler ---------------------------------------------------------------

    def _knows_revision(self, revision: str) -> bool:
        return revision in ("main", self.commit)

    def _take(self, pending: dict[str, int], filename: str) -> int | None:
        with self._lock:
            return pending.pop(filename, None)

    def _record(
        self, handler: BaseHTTPRequestHandler, status: int, *, filename: str | None = None
    ) -> RequestRecord:
        record = RequestRecord(
            method=handler.command,
            path=handler.path,
            range=handler.headers.get("Range"),
            status=status,
            filename=filename,
            client_port=handler.client_address[1],
        )
        with self._lock:
            self._records.append(record)
        return record

    def _model_info(self, repo_id: str, *, blobs: bool) -> dict[str, Any]:
        """The JSON of ``GET /api/models/{repo_id}``, trimmed to fields the client parses."""
        siblings: list[dict[str, Any]] = []
        for name, entry in self._files[repo_id].items():
            sibling: dict[str, Any] = {"rfilename": name}
            if blobs:
                sibling["blobId"] = entry.blob_id
                sibling["size"] = entry.size
                if entry.sha256 is not None:
                    sibling["lfs"] = {
                        "sha256": entry.sha256,
                        "size": entry.size,
                        "pointerSize": entry.pointer_size,
                    }
            siblings.append(sibling)
        author = repo_id.partition("/")[0] if "/" in repo_id else None
        return {
            "_id": hashlib.sha1(repo_id.encode()).hexdigest()[:24],
            "id": repo_id,
            "modelId": repo_id,
            "author": author,
            "sha": self.commit,
            "lastModified": _LAST_MODIFIED,
            "createdAt": _LAST_MODIFIED,
            "private": False,
            "disabled": False,
            "gated": False,
            "downloads": 0,
            "likes": 0,
            "tags": [],
            "library_name": None,
            "siblings": siblings,
            "spaces": [],
            "usedStorage": sum(entry.size for entry in self._files[repo_id].values()),
        }


class _ProxyHandler(_QuietHandler):
    """Forwards absolute-URI requests to plain-http origins and streams the answer back."""

    def do_GET(self) -> None:
        self._forward()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    def _forward(self) -> None:
        proxy: ForwardProxy = self.server.owner
        body = self._drain_body()
        target = urlsplit(self.path)
        if target.scheme != "http" or not target.hostname:
            self._plain(400, "only absolute http:// URLs are proxied")
            return
        proxy._saw(self.path)

        upstream = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=60)
        try:
            path = target.path or "/"
            if target.query:
                path += "?" + target.query
            try:
                upstream.putrequest(self.command, path, skip_host=True, skip_accept_encoding=True)
                for name, value in self._end_to_end(self.headers):
                    upstream.putheader(name, value)
                upstream.endheaders(body or None)
                response = upstream.getresponse()
            except (OSError, http.client.HTTPException) as error:
                log.debug("proxy could not reach %s: %s", self.path, error)
                self._plain(502, f"proxy could not reach origin: {error}")
                return
            try:
                self._relay(response)
            except (OSError, http.client.HTTPException):
                self._drop_connection()  # either side failed mid-body: pass the cut on
        finally:
            upstream.close()

    def _relay(self, response: http.client.HTTPResponse) -> None:
        """Send the origin's status, end-to-end headers and body, piece by piece as it comes."""
        length = response.getheader("Content-Length")
        has_body = self.command != "HEAD" and response.status not in (204, 304)
        self.send_response(response.status, response.reason)
        for name, value in self._end_to_end(response.headers):
            self.send_header(name, value)
        if has_body and length is None:
            # The origin sent chunks; without a length the end of our body is the close.
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if not has_body:
            return
        remaining = None if length is None else int(length)
        while remaining is None or remaining > 0:
            piece = response.read(_PIECE if remaining is None else min(_PIECE, remaining))
            if not piece:
                break
            self.wfile.write(piece)
            if remaining is not None:
                remaining -= len(piece)
        if remaining:
            self._drop_connection()  # the origin's body ended early: so does ours

    @staticmethod
    def _end_to_end(headers: Any) -> list[tuple[str, str]]:
        """Headers minus hop-by-hop ones, including any the Connection header names."""
        named = {
            token.strip().lower()
            for value in headers.get_all("Connection") or []
            for token in value.split(",")
        }
        return [
            (name, value)
            for name, value in headers.items()
            if name.lower() not in _HOP_BY_HOP and name.lower() not in named
        ]

    def _plain(self, status: int, message: str) -> None:
        body = message.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class ForwardProxy(_BackgroundServer):
    """A minimal HTTP forward proxy (absolute URIs, plain http, no CONNECT).

    Request bodies must come with a Content-Length (no chunked uploads); responses of any
    kind, 206 included, stream back as they arrive, and an origin that hangs up mid-body
    makes the proxy hang up too, so a cut still reaches the client.

    It lets a test prove that downloads honour a configured proxy: ``seen`` lists every
    absolute URL it forwarded.
    """

    _handler = _ProxyHandler
    _thread_name = "forward-proxy"

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._seen: list[str] = []

    @property
    def seen(self) -> list[str]:
        """A snapshot of the absolute URLs forwarded so far, oldest first."""
        with self._lock:
            return list(self._seen)

    def _saw(self, url: str) -> None:
        with self._lock:
            self._seen.append(url)
