"""Running jobs from the command line, one after another, with Ctrl-C as "pause".

The first Ctrl-C pauses at the next chunk boundary (nothing is lost); a second
one pauses at once, dropping only the chunk in progress. Either way the job is
saved as paused and the command to resume it is printed.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from subtitle_studio.cli.printers import JsonLinesPrinter, ProgressPrinter
from subtitle_studio.cli.serving import DEFAULT_HEARTBEAT_S, ServeOptions, wait_for_stop
from subtitle_studio.core.bus import EventBus, job_channel
from subtitle_studio.core.control import JobControl
from subtitle_studio.core.jobstore import JobRecord, JobStore
from subtitle_studio.core.output_paths import free_output_path
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.pipeline import Pipeline
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.core.transcript import LiveJobs, snapshot_provider
from subtitle_studio.engines.factory import LocalEngines
from subtitle_studio.errors import StudioError
from subtitle_studio.server.endpoint import StudioServer

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PAUSED = 130


class JobRunner:
    def __init__(
        self, store: JobStore, *, events: str | None = None, serve: ServeOptions | None = None
    ) -> None:
        self.store = store
        self.events = events
        self.serve = serve
        self.engines = LocalEngines(store.home)
        self.control = JobControl()
        self.live = LiveJobs()
        self._interrupts = 0

    def transcribe(self, files: list[Path], settings: JobSettings, output: Path | None) -> int:
        ids = []
        for file in files:
            source = file.expanduser().absolute()
            existing = self.store.find_unfinished(source)
            if existing is not None:
                sys.stderr.write(
                    f"note: {source.name} already has an unfinished job; to continue it "
                    f"instead, run: subtitle-studio resume {existing.id}\n"
                )
            if output is not None and not output.is_dir():
                target: Path | None = output
            else:
                target = free_output_path(source, settings.output_format, output)
            try:
                ids.append(self.store.create(source, settings, output_path=target).id)
            except StudioError as exc:
                sys.stderr.write(f"subtitle-studio: error: {exc.message}\n")
                return EXIT_FAILED
        return self.run_jobs(ids)

    def run_jobs(self, job_ids: list[str], *, redo_other_models: bool = False) -> int:
        worst = EXIT_OK
        snapshot = snapshot_provider(self.store, self.live)
        heartbeat = self.serve.heartbeat_s if self.serve else DEFAULT_HEARTBEAT_S
        with EventBus(heartbeat_s=heartbeat, snapshot=snapshot) as bus:
            server = self._start_server(bus)
            try:
                with self._sigint_pauses():
                    for job_id in job_ids:
                        if self.control.pause_requested:
                            sys.stderr.write(
                                f"not started: resume later with: subtitle-studio resume {job_id}\n"
                            )
                            continue
                        code = self._run_one(bus, job_id, redo_other_models)
                        worst = max(worst, code) if code != EXIT_PAUSED else EXIT_PAUSED
                if server is not None and not self.control.pause_requested:
                    sys.stderr.write(
                        f"The endpoint at {server.url} stays up for its clients; Ctrl-C stops it.\n"
                    )
                    wait_for_stop()
            finally:
                if server is not None:
                    server.stop()
        return worst

    def _start_server(self, bus: EventBus) -> StudioServer | None:
        if self.serve is None:
            return None
        server = StudioServer(
            self.store, bus, self.live, host=self.serve.host, port=self.serve.port
        )
        url = server.start()
        sys.stderr.write(f"HTTP endpoint: {url} (follow a job at {url}/stream/<job_id>)\n")
        return server

    def _run_one(self, bus: EventBus, job_id: str, redo_other_models: bool) -> int:
        record = self.store.get(job_id)
        channel = job_channel(job_id)
        followers = [JsonLinesPrinter(bus, channel)] if self.events == "jsonl" else []
        followers.append(ProgressPrinter(bus, channel, record.name))
        try:
            record = Pipeline(
                self.store,
                job_id,
                engines=self.engines,
                bus=bus,
                control=self.control,
                live=self.live,
                redo_other_models=redo_other_models,
            ).run()
        except StudioError as exc:
            sys.stderr.write(f"subtitle-studio: error: {exc.message}\n")
            return EXIT_FAILED
        finally:
            for follower in followers:
                follower.close()
        return self._report(record)

    def _report(self, record: JobRecord) -> int:
        if record.status == JobStatus.DONE:
            if self.events is None:
                sys.stdout.write(f"{record.output_path}\n")
            sys.stderr.write(f"{record.name}: done -> {record.output_path}\n")
            return EXIT_OK
        if record.status == JobStatus.PAUSED:
            sys.stderr.write(
                f"{record.name}: paused at {record.percent:.1f}%. Resume with: "
                f"subtitle-studio resume {record.id}\n"
            )
            return EXIT_PAUSED
        message = (record.error or {}).get("message", str(record.status))
        sys.stderr.write(f"subtitle-studio: error: {record.name}: {message}\n")
        return EXIT_FAILED

    @contextlib.contextmanager
    def _sigint_pauses(self) -> Iterator[None]:
        def handler(signum: int, frame: FrameType | None) -> None:
            self._interrupts += 1
            if self._interrupts == 1:
                self.control.pause()
                sys.stderr.write(
                    "\nPausing after the current chunk (press Ctrl-C again to pause at once)...\n"
                )
            else:
                self.control.pause_now()
                sys.stderr.write("\nPausing now...\n")

        try:
            previous = signal.signal(signal.SIGINT, handler)
        except ValueError:  # not the main thread (embedded use): no handler
            yield
            return
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)
