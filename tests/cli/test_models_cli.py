"""``subtitle-studio models`` as a user and a script meet it: real processes downloading
through huggingface_hub from a local fake Hub (tests/support/fake_hub.py) that serves the
bundled tiny.en files, both as tiny.en and as ``tiny`` (which, unlike tiny.en, is not
always ready through the bundled copy)."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from subtitle_studio.engines.models import bundled_model_path
from tests.support.fake_hub import FakeHub

pytestmark = pytest.mark.slow

BUNDLED = bundled_model_path()
MODEL_FILES = sorted(p.name for p in BUNDLED.iterdir() if p.is_file())
PROGRESS = re.compile(r"^(?P<model>\S+): +(?P<percent>[\d.]+)%", re.MULTILINE)


@pytest.fixture
def env(tmp_path: Path, studio_home: Path) -> dict[str, str]:
    """The child's environment: this test's home, downloads allowed, no other cache."""
    child = os.environ.copy()
    assert child["SUBTITLE_STUDIO_HOME"] == str(studio_home)
    # The suite sets both; huggingface_hub goes offline on either, and downloads refuse then.
    child.pop("HF_HUB_OFFLINE", None)
    child.pop("TRANSFORMERS_OFFLINE", None)
    child["HF_HOME"] = str(tmp_path / "hf-home")  # a model another program cached must not count
    child.pop("HF_HUB_CACHE", None)
    return child


@pytest.fixture
def hub(env: dict[str, str]) -> Iterator[FakeHub]:
    repos = {
        "Systran/faster-whisper-tiny.en": BUNDLED,
        "Systran/faster-whisper-tiny": BUNDLED,
    }
    with FakeHub(repos) as running:
        env["HF_ENDPOINT"] = running.url
        yield running


def models(env: dict[str, str], *args: object, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "subtitle_studio", "models", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def listing(env: dict[str, str]) -> dict[str, dict[str, Any]]:
    done = models(env, "list", "--json")
    assert done.returncode == 0, done.stderr
    return {item["model_id"]: item for item in json.loads(done.stdout)}


def percents(stderr: str, model_id: str) -> list[float]:
    return [float(m["percent"]) for m in PROGRESS.finditer(stderr) if m["model"] == model_id]


def resolve_gets(hub: FakeHub, since: int = 0) -> list[str]:
    """The repository files fetched with GET since request number ``since``."""
    return [r.filename for r in hub.requests[since:] if r.method == "GET" and r.filename]


def copy_model(target: Path, *, skip: tuple[str, ...] = ()) -> Path:
    target.mkdir(parents=True)
    for name in MODEL_FILES:
        if name not in skip:
            shutil.copyfile(BUNDLED / name, target / name)
    return target


def no_traceback(done: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in done.stderr, done.stderr


# ------------------------------------------------------------------ list


def test_list_on_a_fresh_home_shows_the_bundled_model_ready_and_others_missing(
    env: dict[str, str],
) -> None:
    done = models(env, "list")
    assert done.returncode == 0, done.stderr
    rows = {line.split()[0]: line for line in done.stdout.splitlines()[1:] if line.strip()}
    assert re.search(r"\bready\b.*bundled", rows["tiny.en"])
    assert re.search(r"\bmissing\b", rows["small"])
    assert "484.0 MB" in rows["small"] and "99 languages" in rows["small"]
    assert not [name for name in rows if name.startswith("align-")]  # none is installed

    items = listing(env)
    assert (items["tiny.en"]["state"], items["tiny.en"]["origin"]) == ("ready", "bundled")
    assert items["tiny.en"]["home_state"] == "missing"
    assert items["small"]["state"] == "missing"
    assert items["small"]["repo"] == "Systran/faster-whisper-small"
    assert not [i for i in items.values() if i["kind"] == "align"]

    everything = models(env, "list", "--all", "--json")
    assert everything.returncode == 0, everything.stderr
    aligners = [i for i in json.loads(everything.stdout) if i["kind"] == "align"]
    assert aligners and {i["state"] for i in aligners} == {"missing"}


# ------------------------------------------------------------------ download


def test_download_shows_progress_to_100_and_gives_a_loadable_model(
    env: dict[str, str], hub: FakeHub, studio_home: Path
) -> None:
    done = models(env, "download", "tiny.en")
    assert done.returncode == 0, done.stderr
    steps = percents(done.stderr, "tiny.en")
    assert steps and steps == sorted(steps) and steps[0] < 100 and steps[-1] == 100.0, steps
    folder = studio_home / "models" / "whisper" / "tiny.en"
    assert f"tiny.en is ready ({folder})" in done.stdout
    assert sorted(resolve_gets(hub)) == MODEL_FILES

    item = listing(env)["tiny.en"]
    assert (item["state"], item["origin"], item["path"]) == ("ready", "home", str(folder))

    # Asked again, it says so and fetches nothing.
    before = len(hub.requests)
    again = models(env, "download", "tiny.en")
    assert again.returncode == 0, again.stderr
    assert "already ready" in again.stdout
    assert len(hub.requests) == before

    from faster_whisper import WhisperModel

    model = WhisperModel(str(folder), device="cpu", compute_type="int8")
    assert model.model.is_multilingual is False


def test_download_refuses_while_hf_hub_offline_is_set(
    env: dict[str, str], hub: FakeHub, studio_home: Path
) -> None:
    env["HF_HUB_OFFLINE"] = "1"
    done = models(env, "download", "tiny")
    assert done.returncode == 1
    assert "HF_HUB_OFFLINE" in done.stderr
    assert done.stderr.startswith("subtitle-studio: error: ")
    no_traceback(done)
    assert hub.requests == []
    assert listing(env)["tiny"]["state"] != "ready"


def test_download_of_an_unknown_model_is_a_usage_error(env: dict[str, str]) -> None:
    done = models(env, "download", "huge")
    assert done.returncode == 2
    assert "'huge' is not a known model" in done.stderr
    no_traceback(done)


def test_ctrl_c_keeps_the_partial_download_and_the_same_command_resumes_it(
    env: dict[str, str], hub: FakeHub, studio_home: Path
) -> None:
    hub.throttle(10_000_000)  # about eight seconds for the whole model
    proc = subprocess.Popen(
        [sys.executable, "-m", "subtitle_studio", "models", "download", "tiny"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stderr is not None
    reader = threading.Thread(target=lambda: [lines.put(x) for x in proc.stderr], name="stderr")
    reader.start()
    try:
        while True:  # until some of model.bin has arrived
            line = lines.get(timeout=30)
            step = PROGRESS.match(line)
            if step and float(step["percent"]) >= 5:
                break
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 130
    finally:
        proc.kill()
        proc.wait()
        reader.join(10)
    rest = "".join(lines.queue)
    assert "partial download" in rest and "was kept" in rest, rest
    assert "subtitle-studio models download tiny" in rest
    assert "Traceback" not in rest

    item = listing(env)["tiny"]
    assert (item["state"], item["origin"]) == ("incomplete", "home")
    assert 0 < item["present_bytes"] < item["total_bytes"]
    assert "resumes" in item["detail"]

    hub.throttle(None)
    fetched_before = len(hub.gets_of("model.bin"))
    done = models(env, "download", "tiny")
    assert done.returncode == 0, done.stderr
    resumed = hub.gets_of("model.bin")[fetched_before:]
    assert len(resumed) == 1
    assert resumed[0].range is not None and re.fullmatch(r"bytes=[1-9]\d*-", resumed[0].range)
    assert percents(done.stderr, "tiny")[0] > 0  # starts where it stopped
    item = listing(env)["tiny"]
    assert (item["state"], item["origin"]) == ("ready", "home")


# ------------------------------------------------------------------ verify and delete


def test_verify_finds_a_damaged_file_and_download_repairs_only_that_file(
    env: dict[str, str], hub: FakeHub, studio_home: Path
) -> None:
    assert models(env, "download", "tiny.en").returncode == 0
    folder = studio_home / "models" / "whisper" / "tiny.en"
    assert models(env, "verify", "tiny.en").returncode == 0

    model_bin = folder / "model.bin"
    size = model_bin.stat().st_size
    with model_bin.open("r+b") as stream:
        stream.seek(size // 2)
        stream.write(b"\xff" * 16)
    assert model_bin.stat().st_size == size

    for args in (("verify", "tiny.en"), ("verify",)):  # named, and every downloaded model
        done = models(env, *args)
        assert done.returncode == 1, done.stdout
        assert re.search(r"tiny\.en: incomplete .*damaged.*model\.bin", done.stdout), done.stdout
        assert "subtitle-studio models download tiny.en" in done.stdout

    since = len(hub.requests)
    repaired = models(env, "download", "tiny.en")
    assert repaired.returncode == 0, repaired.stderr
    assert resolve_gets(hub, since) == ["model.bin"]
    done = models(env, "verify")
    assert done.returncode == 0, done.stdout
    assert re.search(r"tiny\.en: ready", done.stdout)

    deleted = models(env, "delete", "tiny.en")
    assert deleted.returncode == 0, deleted.stderr
    assert not folder.exists()
    assert "bundled" in deleted.stdout  # the bundled copy stays usable
    item = listing(env)["tiny.en"]
    assert (item["state"], item["origin"]) == ("ready", "bundled")

    refused = models(env, "delete", "tiny.en")
    assert refused.returncode == 1
    assert "bundled with the application and cannot be deleted" in refused.stderr
    assert BUNDLED.joinpath("model.bin").is_file()


def test_verify_with_nothing_downloaded_and_of_a_missing_model(env: dict[str, str]) -> None:
    done = models(env, "verify")
    assert done.returncode == 0
    assert "nothing to verify" in done.stdout
    missing = models(env, "verify", "small")
    assert missing.returncode == 1
    assert "small: missing" in missing.stdout


# ------------------------------------------------------------------ import


def test_import_a_folder_named_after_the_model(
    env: dict[str, str], tmp_path: Path, studio_home: Path
) -> None:
    source = copy_model(tmp_path / "offline" / "faster-whisper-tiny.en")
    done = models(env, "import", source)
    assert done.returncode == 0, done.stderr
    assert "Imported tiny.en" in done.stdout
    item = listing(env)["tiny.en"]
    assert (item["state"], item["origin"]) == ("ready", "home")
    assert item["detail"].startswith("imported")
    assert (studio_home / "models" / "whisper" / "tiny.en" / "model.bin").is_file()


def test_import_refuses_broken_folders_with_the_reason(env: dict[str, str], tmp_path: Path) -> None:
    no_config = copy_model(tmp_path / "a" / "faster-whisper-tiny", skip=("config.json",))
    done = models(env, "import", no_config)
    assert done.returncode == 1
    assert "config.json" in done.stderr
    no_traceback(done)

    empty_weights = copy_model(tmp_path / "b" / "tiny", skip=("model.bin",))
    (empty_weights / "model.bin").write_bytes(b"")
    done = models(env, "import", empty_weights)
    assert done.returncode == 1
    assert "model.bin is empty" in done.stderr
    no_traceback(done)

    item = listing(env)["tiny"]
    assert item["state"] == "missing"  # nothing half-imported


def test_import_of_an_unguessable_folder_asks_for_the_name(
    env: dict[str, str], tmp_path: Path
) -> None:
    source = copy_model(tmp_path / "my-model")
    done = models(env, "import", source)
    assert done.returncode == 2
    assert "--name NAME" in done.stderr and "small" in done.stderr
    no_traceback(done)
    assert listing(env)["tiny"]["state"] == "missing"

    named = models(env, "import", source, "--name", "tiny")
    assert named.returncode == 0, named.stderr
    assert listing(env)["tiny"]["state"] == "ready"


# ------------------------------------------------------------------ transcribe


def test_transcribe_with_a_missing_model_names_the_download_command(
    env: dict[str, str], media: Path, tmp_path: Path
) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "subtitle_studio",
            "transcribe",
            media / "jfk.flac",
            "--model",
            "small",
            "--output",
            tmp_path / "jfk.srt",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode != 0
    assert "subtitle-studio models download small" in done.stderr
    no_traceback(done)
    assert not (tmp_path / "jfk.srt").exists()
