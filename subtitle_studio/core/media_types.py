"""Which files the window accepts as media, decided by name before anything is created.

A dropped file that is obviously not media (a document, an image, a subtitle file)
is refused with a message and creates no job; a file with a media extension that
turns out to be damaged becomes a job that fails with the reason, like on the
command line.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

VIDEO_EXTENSIONS = frozenset(
    (
        ".mp4",
        ".m4v",
        ".mkv",
        ".mov",
        ".avi",
        ".webm",
        ".wmv",
        ".flv",
        ".mpg",
        ".mpeg",
        ".ts",
        ".mts",
        ".m2ts",
        ".3gp",
        ".ogv",
        ".vob",
        ".mxf",
    )
)
AUDIO_EXTENSIONS = frozenset(
    (
        ".mp3",
        ".wav",
        ".flac",
        ".m4a",
        ".aac",
        ".ogg",
        ".oga",
        ".opus",
        ".wma",
        ".aif",
        ".aiff",
        ".amr",
        ".ac3",
        ".mka",
    )
)
MEDIA_EXTENSIONS = VIDEO_EXTENSIONS | AUDIO_EXTENSIONS
#: Subtitle files the window opens for editing (not transcribed).
SUBTITLE_EXTENSIONS = frozenset((".srt", ".vtt", ".ass", ".ssa"))


def is_media_name(path: Path) -> bool:
    return path.suffix.lower() in MEDIA_EXTENSIONS


def is_subtitle_name(path: Path) -> bool:
    return path.suffix.lower() in SUBTITLE_EXTENSIONS


def expand_dropped(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """``(media, refused)`` for dropped paths: folders contribute their media files
    (recursively, sorted, hidden files skipped); anything else not media is refused."""
    media: list[Path] = []
    refused: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and is_media_name(p)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if found:
                media.extend(found)
            else:
                refused.append(path)
        elif is_media_name(path):
            media.append(path)
        else:
            refused.append(path)
    seen: set[Path] = set()
    unique = [p for p in media if not (p in seen or seen.add(p))]  # type: ignore[func-returns-value]
    return unique, refused
