"""A real browser follows a real job through the endpoint, the way a web page would.

The other endpoint tests speak HTTP from Python; only a browser enforces CORS (the preflight
of a JSON ``POST /jobs``, ``Access-Control-Allow-Origin`` on the stream and the fetch) and
parses the SSE framing with its own ``EventSource``. So headless Chromium loads
``browser_page.html`` from a second local server on another port (another origin), and the page
starts the job, follows its stream, fetches the text on ``alignment_ready`` and posts all it saw
back to that server's ``/result``, where this test checks it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from subtitle_studio.core.checkpoint import load_checkpoint
from subtitle_studio.core.engine_api import Engines
from subtitle_studio.core.phases import JobStatus
from tests.server.conftest import Endpoint, copy_media

log = logging.getLogger(__name__)

CHROMIUM = Path("/usr/bin/chromium")
PAGE = Path(__file__).with_name("browser_page.html")
#: How long the page may take to report: a 2-chunk jfk job takes seconds, Chromium's start one.
RESULT_TIMEOUT_S = 90.0
#: How long the job waits for the page's stream before it runs anyway (and the test fails).
GATE_TIMEOUT_S = 60.0
#: How long Chromium's processes get to exit after SIGTERM before SIGKILL.
EXIT_GRACE_S = 5.0
JOB_ID = re.compile(r"^[0-9a-f]{32}$")


# -- the page's server ---------------------------------------------------------------------
class _PageServer(ThreadingHTTPServer):
    """Serves the page at ``/`` and takes its report at ``POST /result``."""

    daemon_threads = False  # server_close() joins the request threads: none outlives the test
    block_on_close = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _PageHandler)
        self.results: queue.Queue[dict[str, Any]] = queue.Queue()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _PageHandler(BaseHTTPRequestHandler):
    server: _PageServer
    timeout = 10.0  # a connection Chromium opens speculatively and never uses cannot hang on

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        if self.path.split("?", 1)[0] != "/":
            self._answer(HTTPStatus.NOT_FOUND, b"", "text/plain")
            return
        self._answer(HTTPStatus.OK, PAGE.read_bytes(), "text/html; charset=utf-8")

    def do_POST(self) -> None:  # noqa: N802
        if self.path != "/result":
            self._answer(HTTPStatus.NOT_FOUND, b"", "text/plain")
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.results.put(json.loads(body))
        self._answer(HTTPStatus.NO_CONTENT, b"", "text/plain")

    def _answer(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
        log.debug("page server: %s", format % args)


@contextlib.contextmanager
def page_server() -> Iterator[_PageServer]:
    """The page's server in a thread, shut down and joined on the way out."""
    server = _PageServer()
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="browser-page-server"
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# -- Chromium ------------------------------------------------------------------------------
@contextlib.contextmanager
def chromium(url: str, folder: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Headless Chromium on ``url`` in its own process group; all of it is gone afterwards.

    HOME points into ``folder`` too, so Chromium writes nothing outside it and every process
    it starts (crashpad's handlers leave the process group) names ``folder`` on its command
    line: that is how the clean-up finds stragglers, by pid, without touching anyone else's.
    """
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium package "
            "(the README's test command does)."
        )
    profile, home = folder / "profile", folder / "home"
    profile.mkdir()
    home.mkdir()
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        url,
    ]
    stderr = folder / "chromium.log"
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    with stderr.open("wb") as err:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=err,
            stderr=err,
            env=env,
            start_new_session=True,  # its own process group, to end it all at once
        )
    log.info("chromium %s started on %s", proc.pid, url)
    try:
        yield proc
    finally:
        _end_chromium(proc, folder)


def _end_chromium(proc: subprocess.Popen[bytes], folder: Path) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(EXIT_GRACE_S)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(EXIT_GRACE_S)
    left = _wait_gone(folder, EXIT_GRACE_S)
    for pid in left:
        log.warning("chromium process %s outlived its browser; killing it", pid)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    left = _wait_gone(folder, EXIT_GRACE_S)
    assert not left, f"Chromium processes survived SIGKILL: {left}"


def _wait_gone(folder: Path, timeout: float) -> list[int]:
    """Pids still running with ``folder`` on their command line after up to ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while (left := _processes_naming(str(folder))) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def _processes_naming(text: str) -> list[int]:
    needle = text.encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            cmdline = (entry / "cmdline").read_bytes()
            stat = (entry / "stat").read_text()
            zombie = stat.rsplit(")", 1)[-1].split()[0] == "Z"
            if needle in cmdline and not zombie:
                found.append(int(entry.name))
    return found


# -- holding the job back until the page listens -------------------------------------------
class _GatedEngines:
    """The real engines, but a job's first engine call waits until a stream subscribed.

    The page learns the job id from ``POST /jobs``, and the job starts at once, before the
    page's ``EventSource`` is open; the bus does not replay. Holding the job at its first step
    (after its opening ``progress``) until the bus has a subscriber makes the page see every
    ``fragment`` and both closing signals however slow the browser is, so the checks below can
    be exact instead of hoping that Chromium is quicker than the job.
    """

    def __init__(self, real: Engines, subscribed: Callable[[], bool]) -> None:
        self._real = real
        self._subscribed = subscribed
        self.released = threading.Event()  # set: stop waiting (the test is ending)
        self.waited_s: float | None = None
        self.timed_out = False

    def resolve_model(self, setting: str, language: str) -> str:
        start = time.monotonic()
        while not self._subscribed() and not self.released.is_set():
            if time.monotonic() - start > GATE_TIMEOUT_S:
                self.timed_out = True
                break
            time.sleep(0.01)
        self.waited_s = time.monotonic() - start
        log.info("job held %.2f s until the page's stream subscribed", self.waited_s)
        return self._real.resolve_model(setting, language)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


# -- the test ------------------------------------------------------------------------------
def test_browser_follows_a_job_over_cors(
    endpoint: Endpoint,
    media: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Chromium starts a jfk job from another origin, follows it to the end, gets the text."""
    caplog.set_level(logging.DEBUG, logger="subtitle_studio.server.handler")
    recording = copy_media(media, "jfk.flac", tmp_path)
    gate = _GatedEngines(endpoint.jobs.engines, lambda: endpoint.bus.subscriber_count() > 0)
    monkeypatch.setattr(endpoint.jobs, "engines", gate)
    browser_dir = tmp_path / "chromium"
    browser_dir.mkdir()

    started = time.monotonic()
    try:
        with page_server() as pages:
            query = urlencode({"endpoint": endpoint.url, "media": str(recording)})
            with chromium(f"{pages.origin}/?{query}", browser_dir) as proc:
                report = _wait_for_report(pages, proc, browser_dir / "chromium.log")
    finally:
        gate.released.set()
    log.info("the page reported after %.1f s", time.monotonic() - started)

    context = json.dumps(report, indent=1)[:6000]
    log.debug("the page's report: %s", json.dumps(report))
    assert not report["errors"], f"the page reported errors:\n{context}"
    assert not gate.timed_out, "the page's stream never subscribed"

    # Started from another origin: the preflight went through and the job was created.
    submit = report["submit"]
    assert submit["status"] == 201, context
    job_id = submit["body"]["job_id"]
    assert JOB_ID.match(job_id), context
    assert submit["body"]["stream"] == f"/stream/{job_id}", context
    requests = [r.getMessage() for r in caplog.records if r.name.endswith("server.handler")]
    assert any('"OPTIONS /jobs HTTP/1.1" 204' in m for m in requests), requests

    # The stream: opened with `connected`, in order, every fragment, the signals in order.
    events = report["events"]
    names = [e["name"] for e in events]
    assert names[0] == "connected", names
    assert events[0]["data"]["job_id"] == job_id, context
    seqs = [e["seq"] for e in events]
    assert all(a < b for a, b in zip(seqs, seqs[1:], strict=False)), seqs
    assert all(e["id"] == str(e["seq"]) for e in events), "id: and data.seq disagree"
    assert "error" not in names, context
    signals = [e["data"]["code"] for e in events if e["name"] == "signal"]
    assert signals.count("alignment_ready") == signals.count("job_complete") == 1, signals
    assert signals.index("alignment_ready") < signals.index("job_complete"), signals
    assert report["terminal"] == "job_complete"
    assert events[-1]["data"].get("code") == "job_complete", "the page closed the stream there"

    # The job waited for the stream, so the page saw one fragment per chunk, in order.
    fragments = [e["data"] for e in events if e["name"] == "fragment"]
    assert fragments, names
    assert endpoint.jobs.wait(job_id, 30), "the job did not finish"
    checkpoint = load_checkpoint(endpoint.store.folder(job_id), job_id)
    assert checkpoint is not None, "the finished job has no checkpoint"
    assert [f["segment_index"] for f in fragments] == checkpoint.processed_indices, names
    fragment_text = " ".join(s["text"] for f in fragments for s in f["segments"]).lower()
    assert "country" in fragment_text, fragment_text

    # The text fetched on alignment_ready: the live (or just saved) aligned segments.
    fetched = report["transcription"]
    assert fetched is not None, "the page never fetched /transcription-text"
    assert events[fetched["after_event"]]["data"].get("code") == "alignment_ready", context
    assert fetched["status"] == 200, context
    body = fetched["body"]
    assert body["job_id"] == job_id
    assert body["source"] in {"memory", "aligned"}, body["source"]
    assert body["aligned"] is True, context
    segments = body["segments"]
    assert segments, context
    assert all({"id", "start", "end", "text"} <= s.keys() for s in segments), segments
    text = " ".join(s["text"] for s in segments).lower()
    assert "country" in text, text

    assert endpoint.store.get(job_id).status == JobStatus.DONE


def _wait_for_report(
    pages: _PageServer, proc: subprocess.Popen[bytes], stderr: Path
) -> dict[str, Any]:
    """The page's report; fails with Chromium's log when it never comes or Chromium dies."""
    deadline = time.monotonic() + RESULT_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            return pages.results.get(timeout=0.25)
        except queue.Empty:
            pass
        if proc.poll() is not None:
            pytest.fail(f"Chromium exited ({proc.returncode}) early:\n{_tail(stderr)}")
    pytest.fail(f"no report from the page in {RESULT_TIMEOUT_S:.0f} s:\n{_tail(stderr)}")


def _tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
