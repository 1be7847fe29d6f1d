"""An advisory lock file that tells a live job from one whose process died.

The running process holds an OS lock on ``<job>/.lock`` for as long as it runs.
The OS releases it when the process dies, however it dies (SIGKILL, power cut),
so "status says running but nobody holds the lock" means "interrupted" — without
trusting process ids, which get reused.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)


class FileLock:
    """A non-blocking exclusive lock on one file (separate instances conflict, even in-process)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; ``OSError`` if the file cannot be opened."""
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if _try_lock(fd):
            self._fd = fd
            return True
        os.close(fd)
        return False

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        _unlock(fd)
        os.close(fd)

    def held_elsewhere(self) -> bool:
        """True when another holder (another process or instance) has the lock now."""
        if self._fd is not None:
            return False
        probe = FileLock(self.path)
        try:
            if probe.try_acquire():
                probe.release()
                return False
        except OSError:
            # Cannot even open the lock file (read-only disk, removed folder):
            # nobody can be running a job there.
            return False
        return True
