"""Shared test set-up: an isolated home folder per test, offline model hubs, real media.

Qt is told to draw offscreen before anything imports it. Every test gets its own
``SUBTITLE_STUDIO_HOME`` so no test can see another's jobs.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
MEDIA = REPO.parent / "shared" / "media"
# Threads that third-party libraries start once per process and keep.
_LIBRARY_THREADS = ("tqdm", "ThreadPoolExecutor-", "Dummy-")
# "Dummy-N" are Qt's own threads that once ran Python code; tests/gui checks QThreads itself.


@pytest.fixture(autouse=True)
def studio_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the application's home folder at a fresh temporary folder."""
    home = tmp_path / "studio-home"
    monkeypatch.setenv("SUBTITLE_STUDIO_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def media() -> Path:
    """The shared folder of real speech recordings.

    A test that needs it fails (never skips) when it is missing: CI always has it.
    """
    assert MEDIA.is_dir(), f"the shared media folder is missing: {MEDIA}"
    return MEDIA


@pytest.fixture(autouse=True)
def no_dangling_threads():
    """Fail a test that leaves a thread of its own running."""
    before = set(threading.enumerate())
    yield
    end = time.monotonic() + 5.0
    while True:
        extra = [
            t
            for t in threading.enumerate()
            if t not in before and t.is_alive() and not t.name.startswith(_LIBRARY_THREADS)
        ]
        if not extra or time.monotonic() > end:
            break
        time.sleep(0.05)
    assert not extra, f"threads left running: {[t.name for t in extra]}"


from tests.support.tiny_wav2vec2 import tiny_align_model  # noqa: E402,F401 - session fixture


@pytest.fixture
def hub_online(monkeypatch: pytest.MonkeyPatch):
    """Let huggingface_hub make requests despite HF_HUB_OFFLINE=1 (for a local fake hub).

    The flag is read into ``constants`` at import and decides which adapter each cached
    session mounts, so sessions are rebuilt on the way in and out; the session factory a
    model download installs is put back too, so the rest of the suite stays offline.
    """
    import huggingface_hub
    from huggingface_hub import configure_http_backend
    from huggingface_hub.utils import reset_sessions

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    reset_sessions()
    yield
    configure_http_backend()
    reset_sessions()


@pytest.fixture
def tiny_hub(hub_online: None):
    """A local hub serving the bundled tiny.en files as ``Systran/faster-whisper-tiny``
    (the catalogue's ``tiny``, which unlike tiny.en is not always ready)."""
    from subtitle_studio.engines.models import bundled_model_path
    from tests.support.fake_hub import FakeHub

    with FakeHub({"Systran/faster-whisper-tiny": bundled_model_path()}) as hub:
        yield hub
