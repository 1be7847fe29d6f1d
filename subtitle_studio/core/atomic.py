"""Crash-safe file writes.

A job that survives a crash at any instant needs every state file to be either
the old version or the new one, never a torn mix: write a temporary file in the
same folder, flush, fsync, then rename over the target (atomic on POSIX and on
Windows via ``os.replace``), and fsync the folder so the rename itself is durable.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from subtitle_studio.errors import Message, StorageError


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically; raise ``StorageError`` on disk trouble."""
    folder = path.parent
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
        fsync_dir(folder)
    except OSError as exc:
        raise StorageError.from_oserror(exc, path) from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_json_atomic(path: Path, obj: Any) -> None:
    """Write ``obj`` as UTF-8 JSON atomically. Non-JSON values are a programming error."""
    text = json.dumps(obj, ensure_ascii=False, indent=1, allow_nan=False)
    write_text_atomic(path, text + "\n")


def read_json(path: Path) -> Any:
    """Read a JSON file; ``OSError`` and ``ValueError`` propagate for the caller to name.

    Our writer never emits NaN or infinities (``allow_nan=False``), so a file holding one
    (``NaN``, ``Infinity``, ``1e999``) is damaged; so is one nested past the recursion
    limit. Both are ``ValueError`` here, like any other unreadable JSON.
    """
    with open(path, encoding="utf-8") as handle:
        try:
            return json.load(handle, parse_float=_finite_float, parse_constant=_no_constant)
        except RecursionError as exc:
            raise ValueError("the JSON is nested too deeply") from exc


def json_problem(exc: Exception) -> str:
    """Why ``read_json`` failed, for a "corrupt" message: the place in the file for broken
    JSON and plain words for bad bytes, as a ``Message`` the window can translate (the
    decoder's own English otherwise)."""
    if isinstance(exc, json.JSONDecodeError):
        return Message(
            "not valid JSON at line {line}, column {column}", line=exc.lineno, column=exc.colno
        )
    if isinstance(exc, UnicodeDecodeError):
        return Message("not UTF-8 text at byte {offset}", offset=exc.start)
    return str(exc)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:20]} is out of range")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def remove_stale_temporaries(folder: Path) -> None:
    """Delete leftovers of writes that a crash interrupted (they are never the live file)."""
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            if entry.name.startswith(".") and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    entry.unlink()
