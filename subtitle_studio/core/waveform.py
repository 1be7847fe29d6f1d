"""The waveform's peaks: the audio's minimum and maximum per short bucket, at several scales.

Drawing a waveform straight from samples would touch 57.6 million of them to show an hour
on one screen. Instead the decoded audio is reduced once to the lowest and highest sample
of every 10 ms bucket (the base level), and that to coarser levels, each bucket covering
four of the level below (40 ms, 160 ms, 0.64 s, ...). Any visible range then comes from the
coarsest level whose buckets are no longer than a pixel, so a column is made of one to four
buckets whatever the zoom: drawing costs the width of the strip, not the length of the
audio.

The peaks are kept beside the job's ``audio.wav`` as ``waveform.npz`` (about 4 MB an hour)
and computed again only when that file is missing, damaged, from another version, or does
not match the audio's length.

Values are float32 in [-1, 1] (16-bit input is scaled by 1/32768, as ``audio_store`` reads
it). No Qt here: the GUI turns :meth:`Peaks.window` into pixels.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from subtitle_studio.core.atomic import write_bytes_atomic
from subtitle_studio.core.audio_store import StoredAudio
from subtitle_studio.errors import StorageError

logger = logging.getLogger(__name__)

#: Buckets per second at the base level (10 ms each).
BASE_BUCKETS_PER_SECOND = 100
#: How many buckets of one level make one bucket of the next.
LEVEL_FACTOR = 4
#: Levels stop once a level has this few buckets or fewer.
_SMALLEST_LEVEL = 8
CACHE_NAME = "waveform.npz"
CACHE_VERSION = 1
#: Samples read at a time from stored audio (a multiple of any sensible bucket size).
_BLOCK_BUCKETS = 6000


@dataclass(frozen=True, eq=False)
class Peaks:
    """Per-bucket minima and maxima of a mono signal, at the base resolution and coarser.

    ``levels[k]`` is ``(mins, maxs)`` with buckets of ``bucket_samples * LEVEL_FACTOR**k``
    samples; the last bucket of a level may be partial (it covers the end of the audio).
    """

    sample_rate: int
    num_samples: int
    bucket_samples: int
    levels: tuple[tuple[np.ndarray, np.ndarray], ...]

    @property
    def duration(self) -> float:
        return self.num_samples / self.sample_rate

    @property
    def peak(self) -> float:
        """The largest absolute sample value (0.0 for silence or no audio)."""
        if not self.levels or self.levels[-1][0].size == 0:
            return 0.0
        mins, maxs = self.levels[-1]
        return float(max(-mins.min(), maxs.max(), 0.0))

    def bucket_seconds(self, level: int) -> float:
        return self.bucket_samples * LEVEL_FACTOR**level / self.sample_rate

    def level_for(self, seconds_per_pixel: float) -> int:
        """The coarsest level whose buckets are no longer than a pixel (0 when zoomed in
        further than the base resolution)."""
        level = 0
        while level + 1 < len(self.levels) and self.bucket_seconds(
            level + 1
        ) <= seconds_per_pixel * (1 + 1e-9):
            level += 1
        return level

    def window(self, start_s: float, end_s: float, pixels: int) -> tuple[np.ndarray, np.ndarray]:
        """``(mins, maxs)``, one value per pixel column over ``[start_s, end_s)``.

        Column ``i`` covers ``[start_s + i*w, start_s + (i+1)*w)`` with ``w = (end_s -
        start_s) / pixels`` and takes the extremes of every bucket starting in it (at
        least the bucket it starts in). Columns outside the audio are NaN.
        """
        if pixels <= 0:
            empty = np.zeros(0, dtype=np.float32)
            return empty, empty.copy()
        span = end_s - start_s
        if span <= 0:
            raise ValueError(f"an empty time range: {start_s} to {end_s}")
        mins_out = np.full(pixels, np.nan, dtype=np.float32)
        maxs_out = np.full(pixels, np.nan, dtype=np.float32)
        if not self.levels or self.num_samples == 0:
            return mins_out, maxs_out
        per_pixel = span / pixels
        level = self.level_for(per_pixel)
        mins, maxs = self.levels[level]
        edges = start_s + np.arange(pixels + 1, dtype=np.float64) * per_pixel
        # Columns whose start lies inside the audio; the rest stay NaN.
        inside = (edges[:-1] >= 0.0) & (edges[:-1] < self.duration)
        if not inside.any():
            return mins_out, maxs_out
        first, last = (int(i) for i in np.flatnonzero(inside)[[0, -1]])
        # Bucket of each column edge, counted in samples so 1.0 s is bucket 100 exactly.
        bucket = self.bucket_samples * LEVEL_FACTOR**level
        edge_bucket = np.floor(edges[first : last + 2] * self.sample_rate / bucket + 1e-9)
        edge_bucket = np.clip(edge_bucket.astype(np.int64), 0, mins.size - 1)
        first_bucket = edge_bucket[:-1]
        stop_bucket = max(int(edge_bucket[-1]), int(first_bucket[-1]) + 1)
        if edges[last + 1] >= self.duration:
            stop_bucket = mins.size
        # reduceat over [idx[i], idx[i+1]); where idx[i+1] <= idx[i] it takes idx[i] alone,
        # which is what a column narrower than a bucket needs.
        offset = int(first_bucket[0])
        index = first_bucket - offset
        mins_out[first : last + 1] = np.minimum.reduceat(mins[offset:stop_bucket], index)
        maxs_out[first : last + 1] = np.maximum.reduceat(maxs[offset:stop_bucket], index)
        return mins_out, maxs_out

    # -- cache -------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """Write the peaks to ``path`` (``.npz``) atomically; ``StorageError`` on failure."""
        arrays: dict[str, Any] = {  # Any: numpy's stub types savez's **kwds as its flags
            "meta": np.array(
                [CACHE_VERSION, self.sample_rate, self.num_samples, self.bucket_samples],
                dtype=np.int64,
            )
        }
        for k, (mins, maxs) in enumerate(self.levels):
            arrays[f"min{k}"] = mins
            arrays[f"max{k}"] = maxs
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        write_bytes_atomic(path, buffer.getvalue())

    @classmethod
    def load(cls, path: Path) -> Peaks:
        """Read peaks written by :meth:`save`.

        ``OSError`` when the file cannot be read, ``ValueError`` when it is damaged or from
        another version (the caller computes the peaks again).
        """
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = data["meta"]
                if meta.shape != (4,) or int(meta[0]) != CACHE_VERSION:
                    raise ValueError(f"{path} is not a version {CACHE_VERSION} waveform cache")
                levels = []
                k = 0
                while f"min{k}" in data.files:
                    mins = np.asarray(data[f"min{k}"], dtype=np.float32)
                    maxs = np.asarray(data[f"max{k}"], dtype=np.float32)
                    if mins.shape != maxs.shape or mins.ndim != 1:
                        raise ValueError(f"{path} has mismatched peak arrays")
                    levels.append((mins, maxs))
                    k += 1
        except (KeyError, zipfile.BadZipFile, EOFError) as exc:
            raise ValueError(f"{path} is damaged: {exc}") from exc
        _, rate, num_samples, bucket = (int(v) for v in meta)
        peaks = cls(rate, num_samples, bucket, tuple(levels))
        expected = _bucket_count(num_samples, bucket)
        if rate <= 0 or bucket <= 0 or not levels or levels[0][0].size != expected:
            raise ValueError(f"{path} does not describe {num_samples} samples")
        return peaks


def _bucket_count(num_samples: int, bucket_samples: int) -> int:
    return -(-num_samples // bucket_samples)


def _bucket_samples(sample_rate: int) -> int:
    if sample_rate <= 0:
        raise ValueError(f"a sample rate must be positive, not {sample_rate}")
    return max(1, round(sample_rate / BASE_BUCKETS_PER_SECOND))


def _base_level(samples: np.ndarray, bucket: int) -> tuple[np.ndarray, np.ndarray]:
    """Min and max of each ``bucket`` samples, the last bucket possibly partial."""
    samples = np.asarray(samples)
    if samples.ndim != 1:
        raise ValueError(f"mono samples expected, got shape {samples.shape}")
    scale = 1.0 / 32768.0 if samples.dtype == np.int16 else 1.0
    whole = samples.size // bucket
    body = samples[: whole * bucket].reshape(whole, bucket)
    mins, maxs = body.min(axis=1), body.max(axis=1)
    if samples.size > whole * bucket:
        tail = samples[whole * bucket :]
        mins = np.append(mins, tail.min())
        maxs = np.append(maxs, tail.max())
    mins = mins.astype(np.float32) * np.float32(scale)
    maxs = maxs.astype(np.float32) * np.float32(scale)
    return mins, maxs


def _coarser(mins: np.ndarray, maxs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    pad = (-mins.size) % LEVEL_FACTOR
    if pad:
        mins = np.concatenate([mins, np.full(pad, np.inf, dtype=np.float32)])
        maxs = np.concatenate([maxs, np.full(pad, -np.inf, dtype=np.float32)])
    return (
        mins.reshape(-1, LEVEL_FACTOR).min(axis=1),
        maxs.reshape(-1, LEVEL_FACTOR).max(axis=1),
    )


def _build(
    sample_rate: int, num_samples: int, bucket: int, mins: np.ndarray, maxs: np.ndarray
) -> Peaks:
    levels = [(mins, maxs)]
    while levels[-1][0].size > _SMALLEST_LEVEL:
        levels.append(_coarser(*levels[-1]))
    return Peaks(sample_rate, num_samples, bucket, tuple(levels))


def compute_peaks(samples: np.ndarray, sample_rate: int) -> Peaks:
    """Peaks of a mono float (in [-1, 1]) or int16 signal, all levels."""
    bucket = _bucket_samples(sample_rate)
    samples = np.asarray(samples)
    if samples.size == 0:
        empty = np.zeros(0, dtype=np.float32)
        return Peaks(sample_rate, 0, bucket, ((empty, empty.copy()),))
    mins, maxs = _base_level(samples, bucket)
    return _build(sample_rate, int(samples.size), bucket, mins, maxs)


def compute_peaks_from_blocks(blocks: Iterable[np.ndarray], sample_rate: int) -> Peaks:
    """Peaks of a signal given in consecutive pieces, so a long file never sits in memory.

    Every piece but the last must be a whole number of base buckets long
    (``round(sample_rate / 100)`` samples).
    """
    bucket = _bucket_samples(sample_rate)
    mins_parts: list[np.ndarray] = []
    maxs_parts: list[np.ndarray] = []
    total = 0
    for block in blocks:
        if total % bucket:
            raise ValueError("only the last block may end inside a bucket")
        if block.size == 0:
            continue
        mins, maxs = _base_level(block, bucket)
        mins_parts.append(mins)
        maxs_parts.append(maxs)
        total += int(block.size)
    if total == 0:
        return compute_peaks(np.zeros(0, dtype=np.float32), sample_rate)
    return _build(
        sample_rate, total, bucket, np.concatenate(mins_parts), np.concatenate(maxs_parts)
    )


def cache_path(audio: StoredAudio) -> Path:
    return audio.path.with_name(CACHE_NAME)


def peaks_for_audio(audio: StoredAudio, sample_rate: int) -> Peaks:
    """The stored audio's peaks: from the cache beside it, else computed and cached.

    ``sample_rate`` is the stored audio's rate (``audio_store.SAMPLE_RATE``). A cache that
    cannot be written (full disk) is logged and skipped: the peaks are still returned.
    """
    path = cache_path(audio)
    try:
        peaks = Peaks.load(path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as exc:
        logger.info("Waveform cache not used (%s); computing it again", exc)
    else:
        if peaks.num_samples == audio.num_samples and peaks.sample_rate == sample_rate:
            return peaks
        logger.info("Waveform cache %s does not match the audio; computing it again", path)
    block = _bucket_samples(sample_rate) * _BLOCK_BUCKETS
    peaks = compute_peaks_from_blocks((samples for _, samples in audio.blocks(block)), sample_rate)
    try:
        peaks.save(path)
    except StorageError as exc:
        logger.warning("Waveform cache not saved: %s", exc)
    return peaks
