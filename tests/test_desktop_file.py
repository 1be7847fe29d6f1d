"""The Linux launcher, resources/linux/subtitle-studio.desktop, is valid and complete.

Checked twice: by freedesktop's own validator (``desktop-file-validate``, Debian package
desktop-file-utils; the test fails, never skips, without it) and by a strict reading of
our own for what the validator cannot know: that it launches our command with the
files, names our icon, and opens the subtitle formats the window edits.
"""

from __future__ import annotations

import re
import shutil
import subprocess

from tests.conftest import REPO

DESKTOP = REPO / "resources" / "linux" / "subtitle-studio.desktop"
CJK = re.compile(r"[\u4e00-\u9fff]")


def read_entry() -> dict[str, str]:
    """The [Desktop Entry] group, strictly: one group, no duplicate keys, no stray lines."""
    lines = DESKTOP.read_text(encoding="utf-8").splitlines()
    assert lines and lines[0] == "[Desktop Entry]", "the file must start with [Desktop Entry]"
    entry: dict[str, str] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line or line.startswith("#"):
            continue
        assert not line.startswith("["), f"line {number}: only one group is expected"
        match = re.fullmatch(r"([A-Za-z0-9-]+(?:\[[A-Za-z_@.]+\])?)=(.*)", line)
        assert match, f"line {number} is not KEY=VALUE: {line!r}"
        key, value = match.groups()
        assert key not in entry, f"line {number}: {key} appears twice"
        assert value == value.strip(), f"line {number}: spaces around the value of {key}"
        entry[key] = value
    return entry


def test_freedesktop_validator_accepts_it() -> None:
    validator = shutil.which("desktop-file-validate")
    assert validator, (
        "desktop-file-validate is not installed (Debian: apt-get install desktop-file-utils)"
    )
    done = subprocess.run([validator, str(DESKTOP)], capture_output=True, text=True)
    # Warnings and hints count as failures too: the file should be clean.
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_it_launches_the_application_with_the_files() -> None:
    entry = read_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "subtitle-studio %F"  # the console script of pyproject.toml
    assert "subtitle-studio = " in (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert entry["Terminal"] == "false"
    assert entry["Icon"] == "subtitle-studio"
    # The icon name resolves in the hicolor theme we ship (copy resources/icons/hicolor).
    pngs = sorted((REPO / "resources" / "icons" / "hicolor").glob("*/apps/subtitle-studio.png"))
    assert len(pngs) >= 8
    categories = entry["Categories"].split(";")
    assert categories[:2] == ["AudioVideo", "Video"] and entry["Categories"].endswith(";")


def test_names_and_comments_are_in_english_and_chinese() -> None:
    entry = read_entry()
    assert entry["Name"] == "Subtitle Studio"
    for key in ("Name", "Comment", "GenericName", "Keywords"):
        assert entry[key] and not CJK.search(entry[key]), key
        chinese = entry[f"{key}[zh_CN]"]
        assert CJK.search(chinese), f"{key}[zh_CN] has no Chinese: {chinese!r}"


def test_it_opens_video_audio_and_the_subtitle_formats() -> None:
    value = read_entry()["MimeType"]
    assert value.endswith(";")
    types = value.rstrip(";").split(";")
    assert len(types) == len(set(types)), "a MIME type is listed twice"
    for mime in types:
        assert re.fullmatch(r"[a-z]+/[a-z0-9.+-]+", mime), mime
    # The subtitle files the window edits (.srt, .vtt, .ass/.ssa).
    assert {"application/x-subrip", "text/vtt", "text/x-ssa"} <= set(types)
    # The common media types.
    assert {"video/mp4", "video/x-matroska", "video/webm", "audio/mpeg", "audio/x-wav"} <= set(
        types
    )
    assert sum(t.startswith("video/") for t in types) >= 8
    assert sum(t.startswith("audio/") for t in types) >= 8
