"""Where exported subtitles go by default: beside the video, never over an existing file."""

from __future__ import annotations

import os
from pathlib import Path


def free_output_path(source: Path, fmt: str, folder: Path | None = None) -> Path | None:
    """``<stem>.<fmt>`` beside the source (or in ``folder``), never an existing file's name.

    ``None`` when that folder cannot be written: the subtitles then stay in the job folder.
    """
    where = folder or source.parent
    try:
        # Also respect a folder marked read-only for everyone: root could write there,
        # but whoever set the mode meant it to stay untouched.
        writable = os.access(where, os.W_OK) and bool(where.stat().st_mode & 0o222)
    except OSError:
        writable = False
    if not writable:
        return None
    candidate = where / f"{source.stem}.{fmt}"
    n = 2
    while candidate.exists():
        candidate = where / f"{source.stem} ({n}).{fmt}"
        n += 1
    return candidate
