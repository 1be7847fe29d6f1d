"""An endpoint over a real store, bus and pipeline, for the HTTP tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from subtitle_studio.core.bus import EventBus
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.core.transcript import LiveJobs, snapshot_provider
from subtitle_studio.engines.factory import LocalEngines
from subtitle_studio.server.endpoint import StudioServer
from subtitle_studio.server.jobs import BackgroundJobs

#: Many short chunks, the fallback aligner: a real job of a few seconds.
QUICK = JobSettings(chunk_max_s=10, align_model="none")
HEARTBEAT_S = 0.2


@dataclass
class Endpoint:
    server: StudioServer
    jobs: BackgroundJobs
    bus: EventBus
    store: JobStore
    live: LiveJobs

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="session")
def engines(tmp_path_factory: pytest.TempPathFactory) -> LocalEngines:
    return LocalEngines(tmp_path_factory.mktemp("engines-home"))


@pytest.fixture
def endpoint(engines: LocalEngines) -> Iterator[Endpoint]:
    """A started endpoint (heartbeat every 0.2 s) that accepts jobs; stopped afterwards."""
    store, live = JobStore(), LiveJobs()
    bus = EventBus(heartbeat_s=HEARTBEAT_S, snapshot=snapshot_provider(store, live))
    jobs = BackgroundJobs(store, engines, bus, live, QUICK)
    server = StudioServer(store, bus, live, submit=jobs.submit)
    server.start()
    try:
        yield Endpoint(server, jobs, bus, store, live)
    finally:
        server.stop()
        jobs.stop()
        bus.close()


def copy_media(media: Path, name: str, folder: Path) -> Path:
    """A copy of a shared recording (the job writes its subtitles beside it)."""
    target = folder / name
    target.write_bytes((media / name).read_bytes())
    return target
