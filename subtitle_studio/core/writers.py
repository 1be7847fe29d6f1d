"""Subtitle files: SRT, WebVTT and a simple JSON, written atomically.

Writers never move times: the caller runs
:func:`~subtitle_studio.core.subtitle_rules.enforce_timing` first, so a file shows
exactly what the table showed. They do refuse a cue that ends before it starts
(``EditError``), because a player would drop or mis-show it silently.

Files are UTF-8 without a byte-order mark and with ``"\\n"`` line ends on every
system. Every current player and site (VLC, mpv, ffmpeg, browsers, YouTube) reads
LF-only SRT; WebVTT's specification allows it; a BOM, by contrast, still breaks
some SRT readers (the first index reads as ``"\\ufeff1"``). One byte-for-byte output
per input also keeps exports identical across Windows and Linux.

JSON schema (``version`` 1)::

    {"version": 1, "language": "en" | null,
     "cues": [{"index": 1, "start": 1.5, "end": 3.25, "text": "line one\\nline two"}]}

``index`` counts from 1 as in SRT; ``start`` and ``end`` are seconds rounded to the
millisecond; ``text`` keeps the line breaks.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path

from subtitle_studio.core.subtitle_rules import Cue
from subtitle_studio.core.timecode import format_srt, format_vtt, to_milliseconds
from subtitle_studio.errors import EditError, SettingsError, StorageError

logger = logging.getLogger(__name__)

JSON_SCHEMA_VERSION = 1
FORMATS = ("srt", "vtt", "json")
_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows would otherwise translate "\n"


def _lines(text: str) -> list[str]:
    """The cue's non-blank lines, right-trimmed. A blank line would end an SRT block
    (or a VTT cue) early, and the rest of the text would be lost to the player."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [line.rstrip() for line in lines if line.strip()]


def _checked(cues: Sequence[Cue]) -> list[tuple[int, int, list[str]]]:
    """(start ms, end ms, lines) for every cue with text; EditError for impossible times."""
    out = []
    for number, cue in enumerate(cues, 1):
        try:
            start, end = to_milliseconds(cue.start), to_milliseconds(cue.end)
        except EditError as exc:
            raise EditError("Subtitle {number}: {error}", number=number, error=exc) from exc
        if cue.end < cue.start:
            raise EditError(
                "Subtitle {number} ends ({end}) before it starts "
                "({start}); fix its times before exporting.",
                number=number,
                end=format_srt(cue.end),
                start=format_srt(cue.start),
            )
        lines = _lines(cue.text)
        if lines:
            out.append((start, end, lines))
        else:
            logger.debug("skipping subtitle %d: it has no text", number)
    return out


def to_srt(cues: Sequence[Cue]) -> str:
    """SubRip: numbered blocks from 1, ``HH:MM:SS,mmm --> HH:MM:SS,mmm``, text, blank line.

    Cues without text are left out (they would be an empty block) and the numbering
    stays continuous.
    """
    blocks = []
    for index, (start, end, lines) in enumerate(_checked(cues), 1):
        timing = f"{format_srt(start / 1000)} --> {format_srt(end / 1000)}"
        blocks.append(f"{index}\n{timing}\n" + "\n".join(lines) + "\n")
    return "\n".join(blocks)


def _vtt_escape(line: str) -> str:
    # In WebVTT cue text "<" opens a tag and "&" an entity; "-->" may not appear.
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(cues: Sequence[Cue]) -> str:
    """WebVTT: the ``WEBVTT`` header, then cues with ``HH:MM:SS.mmm`` times.

    Text is escaped so a line such as ``a < b & c`` shows as typed instead of being
    read as markup.
    """
    parts = ["WEBVTT\n"]
    for start, end, lines in _checked(cues):
        timing = f"{format_vtt(start / 1000)} --> {format_vtt(end / 1000)}"
        parts.append(f"{timing}\n" + "\n".join(_vtt_escape(line) for line in lines) + "\n")
    return "\n".join(parts)


def to_json(cues: Sequence[Cue], *, language: str | None = None) -> str:
    """The documented JSON form (see the module docstring), human-readable UTF-8."""
    document = {
        "version": JSON_SCHEMA_VERSION,
        "language": language,
        "cues": [
            {"index": index, "start": start / 1000, "end": end / 1000, "text": "\n".join(lines)}
            for index, (start, end, lines) in enumerate(_checked(cues), 1)
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


_RENDERERS: dict[str, Callable[[Sequence[Cue], str | None], str]] = {
    "srt": lambda cues, _language: to_srt(cues),
    "vtt": lambda cues, _language: to_vtt(cues),
    "json": lambda cues, language: to_json(cues, language=language),
}


def _normalise_format(fmt: str) -> str:
    key = str(fmt).strip().lower().lstrip(".")
    if key not in _RENDERERS:
        raise SettingsError(
            "Unknown subtitle format {fmt}; choose one of: {formats}.",
            fmt=f"{fmt!r}",
            formats=", ".join(FORMATS),
        )
    return key


def render(cues: Sequence[Cue], fmt: str, *, language: str | None = None) -> str:
    """The file text for ``fmt`` (``srt``, ``vtt`` or ``json``; case and a leading dot
    are ignored). An unknown format raises ``SettingsError``."""
    return _RENDERERS[_normalise_format(fmt)](cues, language)


def write_subtitles(
    path: Path, cues: Sequence[Cue], fmt: str, *, language: str | None = None
) -> Path:
    """Write the subtitle file atomically and return its path.

    The text is rendered first, so a bad cue or format raises before the disk is
    touched. It then goes to a temporary file in the same folder, is flushed and
    fsynced, and replaces ``path`` with ``os.replace``: a crash or a full disk
    leaves either the old file or the new one, never half a file. A file that
    already exists keeps its permissions. Disk problems raise ``StorageError``.
    """
    path = Path(path)
    data = render(cues, fmt, language=language).encode("utf-8")
    folder = path.parent
    if not folder.is_dir():
        raise StorageError(
            "The folder {folder} does not exist; choose another place to save.", folder=folder
        )
    # Only the start of the name: a name near the file system's 255-byte limit, valid
    # itself, would be too long with the temporary prefix and suffix around it.
    temp = folder / f".{path.name[:40]}.{secrets.token_hex(4)}.tmp"
    try:
        # 0o666 through the umask, like any new file the user saves (mkstemp's 0o600
        # would hide the subtitles from a media server running as another user).
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temp, path.stat().st_mode & 0o7777)
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise StorageError.from_oserror(exc, path) from exc
    _sync_folder(folder)
    logger.info("wrote %d bytes of %s subtitles to %s", len(data), fmt, path)
    return path


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows it (not on Windows)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
