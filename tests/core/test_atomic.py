"""Crash-safe writes: a state file is always the old version or the new one, never torn."""

from __future__ import annotations

import errno
import json
import os
import tempfile
from pathlib import Path

import pytest

from subtitle_studio.core.atomic import (
    read_json,
    remove_stale_temporaries,
    write_bytes_atomic,
    write_json_atomic,
    write_text_atomic,
)
from subtitle_studio.errors import StorageError

OLD = {"version": 1, "status": "running", "percent": 12.5}
NEW = {"version": 1, "status": "paused", "percent": 40.0, "name": "Größe — 字幕"}


@pytest.fixture
def state_file(tmp_path: Path) -> Path:
    folder = tmp_path / "job"
    folder.mkdir()
    target = folder / "job.json"
    write_json_atomic(target, OLD)
    return target


def _fail_with(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


def test_write_replaces_content_and_leaves_only_the_target(state_file: Path) -> None:
    write_json_atomic(state_file, NEW)

    assert read_json(state_file) == NEW
    assert sorted(p.name for p in state_file.parent.iterdir()) == ["job.json"]


def test_non_ascii_text_is_written_as_utf8(state_file: Path) -> None:
    write_json_atomic(state_file, NEW)

    assert "Größe — 字幕" in state_file.read_text(encoding="utf-8")


def test_write_creates_a_new_file(tmp_path: Path) -> None:
    target = tmp_path / "edits.json"
    write_text_atomic(target, "héllo\n")
    write_bytes_atomic(tmp_path / "speech.npy", b"\x00\x01")

    assert target.read_text(encoding="utf-8") == "héllo\n"
    assert (tmp_path / "speech.npy").read_bytes() == b"\x00\x01"


@pytest.mark.parametrize("patched", ["replace", "fsync"])
def test_full_disk_raises_storage_error_and_keeps_the_old_file(
    state_file: Path, monkeypatch: pytest.MonkeyPatch, patched: str
) -> None:
    monkeypatch.setattr(os, patched, _fail_with(errno.ENOSPC))

    with pytest.raises(StorageError) as caught:
        write_json_atomic(state_file, NEW)

    monkeypatch.undo()
    assert "disk is full" in caught.value.message
    assert str(state_file) in caught.value.message
    assert read_json(state_file) == OLD
    assert sorted(p.name for p in state_file.parent.iterdir()) == ["job.json"]


def test_failure_while_writing_the_temporary_leaves_no_temporary(
    state_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fdopen = os.fdopen

    class FullFile:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[:3])
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: FullFile(real_fdopen(fd, mode)))

    with pytest.raises(StorageError, match="disk is full"):
        write_json_atomic(state_file, NEW)

    monkeypatch.undo()
    assert read_json(state_file) == OLD
    assert sorted(p.name for p in state_file.parent.iterdir()) == ["job.json"]


def test_read_only_disk_is_named(state_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "mkstemp", _fail_with(errno.EROFS))

    with pytest.raises(StorageError, match="read-only"):
        write_json_atomic(state_file, NEW)

    monkeypatch.undo()
    assert read_json(state_file) == OLD


def test_missing_folder_says_it_was_removed(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="removed"):
        write_json_atomic(tmp_path / "gone" / "job.json", NEW)


def test_values_that_are_not_json_fail_before_touching_the_file(state_file: Path) -> None:
    with pytest.raises(ValueError):
        write_json_atomic(state_file, {"percent": float("nan")})

    assert read_json(state_file) == OLD
    assert sorted(p.name for p in state_file.parent.iterdir()) == ["job.json"]


def test_written_json_is_complete_and_parsable(state_file: Path) -> None:
    rows = [{"id": f"0_{i}", "text": "x" * 100} for i in range(500)]
    write_json_atomic(state_file, {"rows": rows})

    assert json.loads(state_file.read_text(encoding="utf-8")) == {"rows": rows}


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, "disk is full"),
        (errno.EDQUOT, "disk is full"),
        (errno.EROFS, "read-only"),
        (errno.EACCES, "Permission denied"),
        (errno.EPERM, "Permission denied"),
        (errno.ENOENT, "removed"),
        (errno.EIO, os.strerror(errno.EIO)),
    ],
)
def test_storage_error_messages_name_cause_and_path(code: int, words: str) -> None:
    where = Path("/home/ann/My Videos/jobs/abc/job.json")
    error = StorageError.from_oserror(OSError(code, os.strerror(code)), where)

    assert words in error.message
    assert str(where) in error.message
    assert str(error) == error.message
    assert error.code == "storage_error"


def test_remove_stale_temporaries_keeps_live_files(tmp_path: Path) -> None:
    for name in ("job.json", ".job.json.abc123.tmp", ".checkpoint.json.x.tmp", "notes.tmp"):
        (tmp_path / name).write_text("x")

    remove_stale_temporaries(tmp_path)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["job.json", "notes.tmp"]


def test_remove_stale_temporaries_tolerates_a_missing_folder(tmp_path: Path) -> None:
    remove_stale_temporaries(tmp_path / "nope")  # no exception: nothing to clean
    assert not (tmp_path / "nope").exists()
