"""``/events/models`` carries a real model download's progress, as SSE."""

from __future__ import annotations

import threading

import httpx
from httpx_sse import connect_sse

from subtitle_studio.core.app_settings import NetworkPreference
from subtitle_studio.engines.models import model_manager
from tests.server.conftest import Endpoint
from tests.support.fake_hub import FakeHub


def test_a_download_streams_progress_and_ready_on_events_models(
    endpoint: Endpoint, tiny_hub: FakeHub
) -> None:
    tiny_hub.throttle(40_000_000)  # about two seconds: several progress steps
    manager = model_manager(endpoint.bus, network=NetworkPreference(hub_endpoint=tiny_hub.url))
    seen: list[tuple[str, dict]] = []
    opened = threading.Event()
    try:
        with (
            httpx.Client(timeout=30) as client,
            connect_sse(client, "GET", f"{endpoint.url}/events/models") as source,
        ):
            for event in source.iter_sse():
                if event.event == "connected":
                    manager.download("tiny")
                    opened.set()
                    continue
                if event.event == "ping":
                    continue
                seen.append((event.event, event.json()))
                if event.event in ("signal", "error"):
                    break
    finally:
        manager.close()
    assert opened.is_set()
    progress = [data for name, data in seen if name == "progress"]
    percents = [p["percent"] for p in progress]
    assert percents == sorted(percents) and percents[-1] == 100
    assert any(0 < p < 100 for p in percents)
    assert all(p["model_id"] == "tiny" for p in progress)
    assert progress[-1]["downloaded_bytes"] == progress[-1]["total_bytes"] > 70_000_000
    name, data = seen[-1]
    assert (name, data["code"], data["model_id"]) == ("signal", "model_ready", "tiny")
    seqs = [data["seq"] for _, data in seen]
    assert seqs == sorted(seqs)
