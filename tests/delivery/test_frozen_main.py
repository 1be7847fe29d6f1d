"""The frozen entry point's start-up guard, without building anything."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from subtitle_studio import frozen_main


def test_a_windowed_build_without_streams_writes_to_the_console_log(
    studio_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With console=False Windows gives no stdout/stderr; the first write must not raise."""
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    monkeypatch.setattr(sys, "stdin", None)
    frozen_main.guard_standard_streams()
    try:
        print("to stdout")
        sys.stderr.write("subtitle-studio: error: to stderr\n")
        assert sys.stdin.read() == ""
        log = studio_home / "logs" / frozen_main.CONSOLE_LOG
        assert log.read_text("utf-8") == "to stdout\nsubtitle-studio: error: to stderr\n"
    finally:
        sys.stdout.close()
        sys.stdin.close()


def test_a_console_keeps_its_streams(monkeypatch: pytest.MonkeyPatch, studio_home: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    frozen_main.guard_standard_streams()
    assert sys.stdout is out and sys.stderr is err
    assert not (studio_home / "logs").exists()


def test_an_unwritable_log_folder_falls_back_to_devnull(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", "utf-8")
    monkeypatch.setenv("SUBTITLE_STUDIO_HOME", str(blocker))
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    frozen_main.guard_standard_streams()
    try:
        print("dropped")
        assert sys.stdout.name == frozen_main.os.devnull
    finally:
        sys.stdout.close()
