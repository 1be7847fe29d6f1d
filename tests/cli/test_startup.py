"""Start-up stays light: the command line and the core load no heavy engine library."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("torch", "whisperx", "faster_whisper", "ctranslate2", "transformers", "PySide6")


def test_importing_the_command_line_loads_no_engine_library() -> None:
    probe = (
        "import sys, subtitle_studio.cli.main, subtitle_studio.core.pipeline; "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"loaded at start-up: {done.stdout.strip()}"


def test_help_and_version_work() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "subtitle_studio", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and "transcribe" in done.stdout and "resume" in done.stdout
