"""The job's decoded audio: 16 kHz mono 16-bit PCM in ``audio.wav``, decoded once.

The file is written in pieces as the decoder produces them (memory stays flat for
a three-hour video) under ``audio.wav.part`` and renamed only when complete, so a
present ``audio.wav`` always means "no need to decode again". Readers map the file
into memory and copy out only the stretch they need.
"""

from __future__ import annotations

import contextlib
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np

from subtitle_studio.core.atomic import fsync_dir
from subtitle_studio.errors import MediaError, StorageError

SAMPLE_RATE = 16000
AUDIO_FILE = "audio.wav"
_PART_SUFFIX = ".part"
_HEADER_BYTES = 44


def _header(num_samples: int) -> bytes:
    data_bytes = num_samples * 2
    return b"".join(
        [
            b"RIFF",
            struct.pack("<I", 36 + data_bytes),
            b"WAVE",
            b"fmt ",
            struct.pack("<IHHIIHH", 16, 1, 1, SAMPLE_RATE, SAMPLE_RATE * 2, 2, 16),
            b"data",
            struct.pack("<I", data_bytes),
        ]
    )


class AudioWriter:
    """Appends float samples in [-1, 1] as 16-bit PCM; ``commit`` makes the file live."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.part = path.with_name(path.name + _PART_SUFFIX)
        self.samples = 0
        try:
            self._file: BinaryIO | None = open(self.part, "wb")  # noqa: SIM115 - closed in commit/abort
            self._file.write(_header(0))
        except OSError as exc:
            raise StorageError.from_oserror(exc, self.part) from exc

    def write(self, samples: np.ndarray) -> None:
        assert self._file is not None
        pcm = np.clip(np.round(samples * 32768.0), -32768, 32767).astype("<i2")
        self.write_pcm16(pcm)

    def write_pcm16(self, pcm: np.ndarray) -> None:
        """Append samples that are already 16-bit integers (what the decoder gives)."""
        assert self._file is not None
        try:
            self._file.write(np.ascontiguousarray(pcm, dtype="<i2").tobytes())
        except OSError as exc:
            raise StorageError.from_oserror(exc, self.part) from exc
        self.samples += int(pcm.shape[0])

    def commit(self) -> StoredAudio:
        assert self._file is not None
        try:
            self._file.seek(0)
            self._file.write(_header(self.samples))
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self._file = None
            os.replace(self.part, self.path)
            fsync_dir(self.path.parent)
        except OSError as exc:
            raise StorageError.from_oserror(exc, self.path) from exc
        return StoredAudio(self.path)

    def abort(self) -> None:
        if self._file is not None:
            handle, self._file = self._file, None
            # Closing flushes the buffer, which fails again on a full disk; the file is
            # closed all the same, and that error must not hide the one that got us here.
            with contextlib.suppress(OSError):
                handle.close()
        with contextlib.suppress(OSError):
            self.part.unlink()


class StoredAudio:
    """Random access to the stored audio without loading it all."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            size = path.stat().st_size
            with open(path, "rb") as handle:
                header = handle.read(_HEADER_BYTES)
        except OSError as exc:
            raise StorageError(
                "The job's audio {path} cannot be read: {reason}.", path=path, reason=exc.strerror
            ) from exc
        if len(header) < _HEADER_BYTES or header[:4] != b"RIFF" or header[36:40] != b"data":
            raise MediaError(
                "The job's audio {path} is damaged; it will be decoded again.", path=path
            )
        declared = struct.unpack("<I", header[40:44])[0] // 2
        self.num_samples = min(declared, (size - _HEADER_BYTES) // 2)

    @property
    def duration(self) -> float:
        return self.num_samples / SAMPLE_RATE

    def read(self, start: int, end: int) -> np.ndarray:
        """Samples ``[start, end)`` as float32 in [-1, 1] (clipped to the audio).

        Each call reads just that stretch from the file. A memory map would be simpler,
        but every page it touches stays in the process's resident memory for the whole
        job, so a three-hour job would look (and be accounted) three hours big.
        """
        start = max(0, min(start, self.num_samples))
        end = max(start, min(end, self.num_samples))
        if end == start:
            return np.zeros(0, dtype=np.float32)
        try:
            with open(self.path, "rb") as handle:
                handle.seek(_HEADER_BYTES + 2 * start)
                data = handle.read(2 * (end - start))
        except OSError as exc:
            raise StorageError(
                "The job's audio {path} cannot be read: {reason}.",
                path=self.path,
                reason=exc.strerror,
            ) from exc
        return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0

    def read_seconds(self, start_s: float, end_s: float) -> np.ndarray:
        return self.read(int(round(start_s * SAMPLE_RATE)), int(round(end_s * SAMPLE_RATE)))

    def blocks(self, block_samples: int) -> Iterator[tuple[int, np.ndarray]]:
        """``(start_sample, samples)`` pieces covering the whole audio in order."""
        for start in range(0, self.num_samples, block_samples):
            yield start, self.read(start, start + block_samples)


def audio_path(folder: Path) -> Path:
    return folder / AUDIO_FILE


def open_stored_audio(folder: Path) -> StoredAudio | None:
    """The job's complete stored audio, or ``None`` if it was never fully decoded."""
    path = audio_path(folder)
    if not path.exists():
        return None
    try:
        return StoredAudio(path)
    except MediaError:
        return None
