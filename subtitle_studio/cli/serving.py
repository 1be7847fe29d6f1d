"""``subtitle-studio serve`` and ``transcribe --serve``: the HTTP endpoint from the command line.

``serve`` runs the endpoint and the jobs posted to it until Ctrl-C or SIGTERM.
``transcribe --serve`` runs its jobs with the endpoint beside them and keeps it up
afterwards, so a script can still pull the text, until it is interrupted.
"""

from __future__ import annotations

import signal
import sys
import threading
from dataclasses import dataclass
from types import FrameType

from subtitle_studio.core.bus import EventBus
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.core.transcript import LiveJobs, snapshot_provider
from subtitle_studio.engines.factory import LocalEngines
from subtitle_studio.server.endpoint import StudioServer
from subtitle_studio.server.jobs import BackgroundJobs

#: The port used unless the user names one (0 asks the system for a free one).
DEFAULT_PORT = 8765
DEFAULT_HEARTBEAT_S = 10.0


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    heartbeat_s: float = DEFAULT_HEARTBEAT_S


def serve(store: JobStore, options: ServeOptions, settings: JobSettings) -> int:
    """Run the endpoint, accepting ``POST /jobs``, until Ctrl-C or SIGTERM."""
    live = LiveJobs()
    snapshot = snapshot_provider(store, live)
    with EventBus(heartbeat_s=options.heartbeat_s, snapshot=snapshot) as bus:
        jobs = BackgroundJobs(store, LocalEngines(store.home), bus, live, settings)
        server = StudioServer(
            store, bus, live, host=options.host, port=options.port, submit=jobs.submit
        )
        try:
            url = server.start()
        except BaseException:
            jobs.stop()
            raise
        sys.stdout.write(f"Serving on {url} (Ctrl-C stops)\n")
        sys.stdout.flush()
        try:
            wait_for_stop()
        finally:
            sys.stderr.write("Stopping; a running job is paused and can be resumed.\n")
            server.stop()
            jobs.stop()
    return 0


def wait_for_stop() -> None:
    """Block until SIGINT or SIGTERM (the handlers are restored afterwards)."""
    stop = threading.Event()

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stop.wait(0.2):  # short waits: Python runs handlers between them
            pass
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
