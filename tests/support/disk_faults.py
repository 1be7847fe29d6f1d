"""Disk faults for the reliability tests: a small real disk that can fill up or turn read-only.

``small_disk`` mounts a tmpfs of a given size and always unmounts it, however the test
ends. On it a test can fill every free byte, turn the disk read-only and back, or grow
it. Turning a disk read-only while a job holds files open for writing is refused by the
kernel ("mount point is busy"), so :meth:`SmallDisk.read_only` lays a read-only bind
mount of the disk over itself instead: every path opened from then on is read-only,
exactly what a program sees when its disk goes read-only under it.

Mounting needs root (CI runs as root). A test that cannot mount fails, never skips.

The command-line helpers follow a job run as a child process, as a user's shell would.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

LJ = "en_ljspeech_LJ001-0001_to_0023_concat.flac"
#: Short chunks so the LJ Speech clip (156 s) makes many chunks to inject a fault between.
MANY_CHUNKS = ["--chunk-length", "10", "--align-model", "none"]
FILLER = "filler.bin"
ERROR_PREFIX = "subtitle-studio: error:"


def _mount(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mount", *args], capture_output=True, text=True)


class SmallDisk:
    """A mounted tmpfs and the faults a test can inject into it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._layers = 0  # mounts stacked at ``path`` (the tmpfs, then read-only binds)

    def _run(self, *args: str) -> None:
        done = _mount(*args)
        if done.returncode != 0:
            pytest.fail(
                f"mount {' '.join(args)} failed ({done.stderr.strip()}); "
                "this test needs root and tmpfs"
            )

    def mount(self, size: str) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        self._run("-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(self.path))
        self._layers = 1

    def free_bytes(self) -> int:
        stats = os.statvfs(self.path)
        return stats.f_bavail * stats.f_frsize

    def fill(self, *growing: Path) -> Path:
        """Write a filler file until the disk is full; return it (delete it to free the space).

        A file that grows by appending (a log) can still take a few lines while its last
        block has room; each of ``growing`` is topped up with newlines to the end of that
        block, so its next line needs a new block, as it soon would for real.
        """
        filler = self.path / FILLER
        _append_until_full(filler, b"\0" * (1 << 16))
        for path in growing:
            _append_until_full(path, b"\n")
        return filler

    def unfill(self) -> None:
        (self.path / FILLER).unlink()

    def read_only(self) -> None:
        """Make every new write under the disk fail with "Read-only file system"."""
        self._run("--bind", str(self.path), str(self.path))
        self._layers += 1
        self._run("-o", "remount,ro,bind", str(self.path))

    def read_write(self) -> None:
        """Undo :meth:`read_only`."""
        assert self._layers > 1, "the disk is not read-only"
        self._unmount_one()

    def resize(self, size: str) -> None:
        """Grow (or shrink) the disk, as a user freeing space elsewhere would."""
        assert self._layers == 1, "resize a disk that is not read-only"
        self._run("-o", f"remount,size={size}", str(self.path))

    def _unmount_one(self) -> None:
        done = subprocess.run(["umount", str(self.path)], capture_output=True, text=True)
        if done.returncode != 0:  # still busy (a child that would not die): detach it
            subprocess.run(["umount", "-l", str(self.path)], capture_output=True, text=True)
        self._layers -= 1

    def unmount_all(self) -> None:
        while self._layers > 0:
            self._unmount_one()


def _append_until_full(path: Path, data: bytes) -> None:
    with open(path, "ab", buffering=0) as handle:
        try:
            while True:
                handle.write(data)
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise


@contextlib.contextmanager
def small_disk(path: Path, size: str) -> Iterator[SmallDisk]:
    """A tmpfs of ``size`` (``"8m"``, ``"300k"``) at ``path``, unmounted on the way out."""
    disk = SmallDisk(path)
    try:
        disk.mount(size)
        yield disk
    finally:
        disk.unmount_all()


# -- the command line, as a child process ---------------------------------------------------


def cli(*args: object, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "subtitle_studio", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=os.environ.copy(),
    )


def events_of(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def fragment_indices(events: list[dict[str, Any]]) -> list[int]:
    return [e["data"]["segment_index"] for e in events if e["event"] == "fragment"]


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(ERROR_PREFIX)]


class Following:
    """A job started on the command line with ``--events jsonl``, read as it runs.

    Used as a context manager so the child is always gone before a disk is unmounted.
    """

    def __init__(self, *args: object) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "subtitle_studio", *map(str, args), "--events", "jsonl"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
        )
        self.events: list[dict[str, Any]] = []
        self.stderr = ""

    def __enter__(self) -> Following:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.communicate(timeout=30)

    @property
    def job_id(self) -> str:
        return self.events[0]["data"]["job_id"]

    def until_fragments(self, count: int) -> None:
        """Read events until ``count`` fragments have arrived (fail if the job ends first)."""
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.events.append(json.loads(line))
            if len(fragment_indices(self.events)) >= count:
                return
        self.finish()
        pytest.fail(f"the job ended before {count} fragments: {self.stderr}")

    def finish(self, timeout: float = 120) -> int:
        """Wait for the job to end; keep the rest of its events and its stderr."""
        out, err = self.proc.communicate(timeout=timeout)
        self.events += events_of(out)
        self.stderr += err
        return self.proc.returncode


def job_files(folder: Path) -> dict[str, bytes]:
    """Every file of a job folder (the lock aside) and its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def run_reference(media: Path, home: Path, source: str, out: Path, *args: str) -> str:
    """An uninterrupted run of ``source`` in a home of its own; its subtitle text."""
    env = {**os.environ, "SUBTITLE_STUDIO_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-m", "subtitle_studio", "transcribe", media / source, *args, "-o", out],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return out.read_text(encoding="utf-8")
