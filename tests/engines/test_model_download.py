"""Model downloads through huggingface_hub's real download code, against a local server
that answers like the Hub (tests/support/fake_hub.py) and serves the bundled tiny.en
files as the repository of ``tiny``: progress, resume after a cut and after a cancel,
repair, failure, proxy, mirror, and the rule of one download per model."""

from __future__ import annotations

import inspect
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import huggingface_hub
import pytest
from huggingface_hub import configure_http_backend

from subtitle_studio.core.app_settings import NetworkPreference
from subtitle_studio.core.bus import MODELS_CHANNEL, Event, EventBus
from subtitle_studio.core.model_manager import ModelManager
from subtitle_studio.core.model_store import INCOMPLETE, MANIFEST, READY
from subtitle_studio.engines import models as models_mod
from subtitle_studio.engines.model_download import PIECE_BYTES, hub_endpoint
from subtitle_studio.engines.models import (
    bundled_model_path,
    find_whisper_model,
    model_manager,
    resolve_whisper_model,
)
from subtitle_studio.errors import ModelError
from tests.support.fake_hub import FakeHub, ForwardProxy

REPO = "Systran/faster-whisper-tiny"  # the catalogue's "tiny", served from tiny.en's files
BUNDLED = bundled_model_path()
FILES = sorted(p.name for p in BUNDLED.iterdir() if p.is_file())
TOTAL = sum((BUNDLED / name).stat().st_size for name in FILES)
MODEL_BIN = (BUNDLED / "model.bin").stat().st_size


@pytest.fixture
def hub(tiny_hub: FakeHub) -> FakeHub:
    return tiny_hub


@pytest.fixture
def bus() -> Iterator[EventBus]:
    with EventBus(heartbeat_s=3600) as running:
        yield running


@pytest.fixture
def manager(hub: FakeHub, bus: EventBus) -> Iterator[ModelManager]:
    made = model_manager(bus, network=NetworkPreference(hub_endpoint=hub.url))
    yield made
    made.close()


def _finish(manager: ModelManager, model_id: str = "tiny", timeout: float = 120) -> None:
    job = manager.download(model_id)
    assert job.wait(timeout), "the download did not finish"
    assert job.error is None, job.error


class _Listener:
    """Reads the models channel as it happens (a drained queue keeps only the latest
    ``progress``, so the steps must be read live)."""

    def __init__(self, bus: EventBus) -> None:
        self.events: list[Event] = []
        self._sub = bus.subscribe(MODELS_CHANNEL)
        self._thread = threading.Thread(target=self._read, name="test-listener")
        self._thread.start()

    def _read(self) -> None:
        for event in self._sub:
            self.events.append(event)

    def close(self) -> list[Event]:
        self._sub.close()
        self._thread.join(5)
        return [e for e in self.events if e.name != "connected"]


def test_a_full_download_reports_progress_to_100_and_gives_a_loadable_model(
    manager: ModelManager, bus: EventBus, hub: FakeHub, studio_home: Path
) -> None:
    assert find_whisper_model("tiny") is None
    listener = _Listener(bus)
    _finish(manager)
    time.sleep(0.2)
    events = listener.close()
    progress = [e.data for e in events if e.name == "progress"]
    percents = [p["percent"] for p in progress]
    assert percents == sorted(percents) and percents[-1] == 100
    assert len(progress) >= 3 and any(0 < p < 100 for p in percents)
    assert progress[-1]["downloaded_bytes"] == progress[-1]["total_bytes"] == TOTAL
    assert {"model_id", "percent", "downloaded_bytes", "total_bytes"} <= set(progress[0])
    signals = [e.data for e in events if e.name == "signal"]
    assert [s["code"] for s in signals] == ["model_ready"]
    assert not [e for e in events if e.name == "error"]

    status = manager.status("tiny")
    assert (status.state, status.origin) == (READY, "home")
    folder = studio_home / "models" / "whisper" / "tiny"
    assert sorted(p.name for p in folder.iterdir()) == sorted([*FILES, MANIFEST])
    for name in FILES:
        assert (folder / name).read_bytes() == (BUNDLED / name).read_bytes()
    # The pinned commit, not "main", was asked for every file.
    assert all(hub.commit in r.path for r in hub.requests if r.filename)

    from faster_whisper import WhisperModel

    resolved = resolve_whisper_model("tiny")
    assert resolved.path == folder
    model = WhisperModel(str(resolved.path), device="cpu", compute_type="int8")
    assert model.model.is_multilingual is False  # it is tiny.en's file, loaded for real


def test_a_connection_cut_mid_file_resumes_without_fetching_the_first_part_again(
    manager: ModelManager, hub: FakeHub
) -> None:
    cut_at = 30_000_000
    hub.cut_next("model.bin", cut_at)
    _finish(manager)
    gets = hub.gets_of("model.bin")
    assert len(gets) == 2
    assert gets[0].range is None and gets[0].bytes_sent == cut_at
    # What arrived in whole pieces was kept; the second request starts there.
    kept = cut_at - cut_at % PIECE_BYTES
    assert gets[1].range == f"bytes={kept}-"
    assert gets[1].bytes_sent == MODEL_BIN - kept
    assert manager.status("tiny").state == READY


def test_a_canceled_download_is_not_ready_and_the_next_one_resumes(
    manager: ModelManager, hub: FakeHub, bus: EventBus, studio_home: Path
) -> None:
    hub.throttle(20_000_000)
    with bus.subscribe(MODELS_CHANNEL) as sub:
        job = manager.download("tiny")
        seen = 0
        while seen < 10_000_000:
            event = sub.get(timeout=30)
            assert event is not None, "no progress"
            if event.name == "progress" and event.data["file"] == "model.bin":
                seen = event.data["downloaded_bytes"]
        assert manager.cancel("tiny")
        assert job.wait(30)
        events = sub.drain()
    assert job.canceled and job.error is None
    codes = [e.data["code"] for e in events if e.name == "signal"]
    assert codes == ["model_incomplete"]
    folder = studio_home / "models" / "whisper" / "tiny"
    assert not (folder / MANIFEST).exists()
    assert not (folder / "model.bin").exists()
    status = manager.status("tiny")
    assert status.state == INCOMPLETE and "resumes" in status.detail
    assert find_whisper_model("tiny") is None
    with pytest.raises(ModelError, match="subtitle-studio models download tiny"):
        resolve_whisper_model("tiny")

    kept = manager.store.part_path(manager.entry("tiny"), "model.bin").stat().st_size
    assert 0 < kept < MODEL_BIN
    hub.throttle(None)
    _finish(manager)
    gets = hub.gets_of("model.bin")
    assert gets[-1].range == f"bytes={kept}-"
    assert gets[-1].bytes_sent == MODEL_BIN - kept
    assert manager.status("tiny").state == READY


def test_a_truncated_file_is_found_and_repair_fetches_only_that_file(
    manager: ModelManager, hub: FakeHub, studio_home: Path
) -> None:
    _finish(manager)
    model_bin = studio_home / "models" / "whisper" / "tiny" / "model.bin"
    with model_bin.open("r+b") as stream:
        stream.truncate(MODEL_BIN // 2)
    status = manager.status("tiny")
    assert status.state == INCOMPLETE and "model.bin" in status.detail
    assert find_whisper_model("tiny") is None

    before = len(hub.requests)
    _finish(manager)  # Repair is a download that keeps intact files
    repaired = [r for r in hub.requests[before:] if r.method == "GET" and r.filename]
    assert [r.filename for r in repaired] == ["model.bin"]
    assert manager.status("tiny").state == READY
    assert model_bin.read_bytes() == (BUNDLED / "model.bin").read_bytes()


def test_a_file_damaged_in_place_fails_verify_and_is_repaired(
    manager: ModelManager, hub: FakeHub, studio_home: Path
) -> None:
    _finish(manager)
    model_bin = studio_home / "models" / "whisper" / "tiny" / "model.bin"
    with model_bin.open("r+b") as stream:
        stream.seek(MODEL_BIN // 3)
        stream.write(b"\xff" * 16)
    status = manager.verify("tiny")
    assert status.state == INCOMPLETE and "damaged" in status.detail
    _finish(manager)
    assert manager.verify("tiny").state == READY


def test_a_server_error_is_reported_then_the_download_can_be_tried_again(
    manager: ModelManager, hub: FakeHub, bus: EventBus
) -> None:
    hub.fail_next("model.bin", 404)
    with bus.subscribe(MODELS_CHANNEL) as sub:
        job = manager.download("tiny")
        assert job.wait(60)
        events = sub.drain()
    assert job.error is not None
    errors = [e.data for e in events if e.name == "error"]
    assert len(errors) == 1 and errors[0]["model_id"] == "tiny"
    assert "model.bin was not found on 127.0.0.1" in errors[0]["message"]
    status = manager.status("tiny")
    assert status.state == "failed" and "not found" in status.detail
    _finish(manager)
    assert manager.status("tiny").state == READY


def test_downloads_go_through_a_manual_proxy(hub: FakeHub, bus: EventBus) -> None:
    with ForwardProxy() as proxy:
        manager = model_manager(
            bus,
            network=NetworkPreference(
                hub_endpoint=hub.url, proxy_mode="manual", proxy_url=proxy.url
            ),
        )
        try:
            _finish(manager)
        finally:
            manager.close()
        seen = list(proxy.seen)
    assert any("/api/models/" + REPO in url for url in seen)
    assert any(url.endswith("/model.bin") for url in seen)


def test_the_mirror_comes_from_settings_then_hf_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "https://mirror.example/")
    assert hub_endpoint(NetworkPreference()) == "https://mirror.example"
    assert hub_endpoint(NetworkPreference(hub_endpoint="http://a.b")) == "http://a.b"
    monkeypatch.delenv("HF_ENDPOINT")
    assert hub_endpoint(NetworkPreference()) == "https://huggingface.co"


def test_one_download_per_model_at_a_time(
    manager: ModelManager, hub: FakeHub, bus: EventBus
) -> None:
    hub.throttle(10_000_000)
    first = manager.download("tiny")
    assert manager.download("tiny") is first
    other = model_manager(bus, network=NetworkPreference(hub_endpoint=hub.url))
    with pytest.raises(ModelError, match="already being downloaded"):
        other.download("tiny")
    assert other.status("tiny").state == "downloading"
    with pytest.raises(ModelError, match="cancel the download"):
        other.delete("tiny")
    manager.cancel("tiny")
    assert first.wait(30)


def test_downloads_refuse_while_hf_hub_offline_is_set(
    bus: EventBus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    manager = model_manager(bus, network=NetworkPreference(hub_endpoint="http://127.0.0.1:9"))
    try:
        job = manager.download("tiny")
        assert job.wait(30)
    finally:
        manager.close()
        configure_http_backend()
    assert job.error is not None and "HF_HUB_OFFLINE" in job.error.message


def test_an_imported_copy_of_a_real_model_is_ready_and_used(
    tmp_path: Path, studio_home: Path
) -> None:
    source = tmp_path / "faster-whisper-tiny"
    shutil.copytree(BUNDLED, source)
    manager = model_manager()
    status = manager.import_folder("tiny", source)
    assert status.state == READY
    assert resolve_whisper_model("tiny").path == studio_home / "models" / "whisper" / "tiny"
    (source / "model.bin").write_bytes(b"")
    with pytest.raises(ModelError, match="model.bin is empty"):
        manager.import_folder("small", source)
    assert manager.status("small").state == "missing"


def test_the_bundled_model_is_always_ready() -> None:
    status = model_manager().status("tiny.en")
    assert (status.state, status.origin) == (READY, "bundled")


def test_http_get_still_takes_our_progress_object() -> None:
    """The fetcher counts and cancels through ``http_get``'s ``_tqdm_bar``; a
    huggingface_hub without it must fail here, not silently lose cancel."""
    from huggingface_hub.file_download import http_get

    assert "_tqdm_bar" in inspect.signature(http_get).parameters
    assert models_mod.catalog()[0].model_id == "large-v3"


def test_verify_judges_a_downloaded_tiny_en_on_its_own(
    bus: EventBus, studio_home: Path, tmp_path: Path
) -> None:
    """tiny.en stays usable through the bundled copy, but a damaged download of it is
    still reported by verify and in the listed detail."""
    source = tmp_path / "faster-whisper-tiny.en"
    shutil.copytree(BUNDLED, source)
    manager = model_manager(bus)
    manager.import_folder("tiny.en", source)
    model_bin = studio_home / "models" / "whisper" / "tiny.en" / "model.bin"
    with model_bin.open("r+b") as stream:
        stream.seek(1000)
        stream.write(b"\x00" * 8)
    assert manager.verify("tiny.en").state == INCOMPLETE
    listed = manager.status("tiny.en")
    assert (listed.state, listed.origin) == (READY, "bundled")
    assert "downloaded copy is incomplete" in listed.detail
