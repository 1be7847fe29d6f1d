"""Waveform peaks: tone bursts with known amplitudes and places come out as the right
minima and maxima at every level, the cache round-trips, and a window picks the level
whose buckets fit a pixel."""

from __future__ import annotations

import numpy as np
import pytest

from subtitle_studio.core.audio_store import SAMPLE_RATE, AudioWriter, StoredAudio
from subtitle_studio.core.waveform import (
    CACHE_NAME,
    LEVEL_FACTOR,
    Peaks,
    compute_peaks,
    compute_peaks_from_blocks,
    peaks_for_audio,
)

RATE = 16000
DURATION_S = 12.0
# (start s, end s, amplitude): a 400 Hz sine peaks on a sample every 40 samples, so
# every 10 ms bucket inside a burst holds exactly +amplitude and -amplitude.
BURSTS = [(1.0, 2.0, 0.5), (3.0, 3.5, 0.25), (6.24, 9.0, 0.8)]


def tone_bursts() -> np.ndarray:
    t = np.arange(int(DURATION_S * RATE)) / RATE
    signal = np.zeros(t.size, dtype=np.float64)
    for start, end, amplitude in BURSTS:
        inside = (t >= start) & (t < end)
        signal[inside] = amplitude * np.sin(2 * np.pi * 400 * (t[inside] - start))
    return signal.astype(np.float32)


def expected_bucket(start_s: float, end_s: float) -> float:
    """The amplitude of the loudest burst overlapping ``[start_s, end_s)`` (0 for silence)."""
    overlapping = [a for s, e, a in BURSTS if s < end_s - 1e-9 and e > start_s + 1e-9]
    return max(overlapping, default=0.0)


@pytest.fixture(scope="module")
def peaks() -> Peaks:
    return compute_peaks(tone_bursts(), RATE)


def test_base_level_is_ten_millisecond_buckets(peaks: Peaks) -> None:
    assert peaks.bucket_samples == 160
    assert peaks.levels[0][0].size == 1200
    assert peaks.duration == DURATION_S


def test_every_level_matches_the_bursts(peaks: Peaks) -> None:
    assert len(peaks.levels) >= 4
    for level, (mins, maxs) in enumerate(peaks.levels):
        width = peaks.bucket_seconds(level)
        assert width == pytest.approx(0.01 * LEVEL_FACTOR**level)
        for j in range(mins.size):
            amplitude = expected_bucket(j * width, min((j + 1) * width, DURATION_S))
            assert maxs[j] == pytest.approx(amplitude, abs=1e-6), (level, j)
            assert mins[j] == pytest.approx(-amplitude, abs=1e-6), (level, j)


def test_burst_edges_fall_on_the_right_base_buckets(peaks: Peaks) -> None:
    mins, maxs = peaks.levels[0]
    assert maxs[99] == 0.0 and maxs[100] == pytest.approx(0.5)  # 0.99 s silent, 1.00 s loud
    assert maxs[199] == pytest.approx(0.5) and maxs[200] == 0.0
    assert maxs[623] == 0.0 and maxs[624] == pytest.approx(0.8)  # 6.24 s
    assert float(np.abs(mins[:100]).max()) == 0.0
    assert peaks.peak == pytest.approx(0.8)


def test_int16_input_is_scaled_like_the_stored_audio() -> None:
    pcm = np.round(tone_bursts() * 32768).clip(-32768, 32767).astype(np.int16)
    from_pcm = compute_peaks(pcm, RATE)
    from_float = compute_peaks(pcm.astype(np.float32) / 32768.0, RATE)
    for (a_min, a_max), (b_min, b_max) in zip(from_pcm.levels, from_float.levels):
        np.testing.assert_array_equal(a_min, b_min)
        np.testing.assert_array_equal(a_max, b_max)


def test_partial_last_bucket_is_kept() -> None:
    samples = np.zeros(160 * 5 + 7, dtype=np.float32)
    samples[-1] = 0.3
    peaks = compute_peaks(samples, RATE)
    assert peaks.levels[0][1].tolist()[-2:] == [0.0, pytest.approx(0.3)]
    assert peaks.levels[0][0].size == 6
    assert compute_peaks(np.zeros(0, dtype=np.float32), RATE).num_samples == 0


def test_blocks_give_the_same_peaks_as_the_whole(peaks: Peaks) -> None:
    signal = tone_bursts()
    block = 160 * 37
    pieces = (signal[i : i + block] for i in range(0, signal.size, block))
    again = compute_peaks_from_blocks(pieces, RATE)
    assert len(again.levels) == len(peaks.levels)
    for (a_min, a_max), (b_min, b_max) in zip(again.levels, peaks.levels):
        np.testing.assert_array_equal(a_min, b_min)
        np.testing.assert_array_equal(a_max, b_max)
    with pytest.raises(ValueError):
        compute_peaks_from_blocks([signal[:100], signal[100:400]], RATE)


def test_window_picks_the_coarsest_level_that_fits_a_pixel(peaks: Peaks) -> None:
    assert peaks.level_for(0.001) == 0
    assert peaks.level_for(0.0399) == 0
    assert peaks.level_for(0.04) == 1
    assert peaks.level_for(0.2) == 2  # 0.16 s buckets fit, 0.64 s do not
    assert peaks.level_for(1000.0) == len(peaks.levels) - 1


def test_window_columns_hold_the_bursts(peaks: Peaks) -> None:
    # 12 s over 300 px: 40 ms a column, one level-1 bucket each.
    mins, maxs = peaks.window(0.0, DURATION_S, 300)
    assert mins.shape == maxs.shape == (300,)
    for x in range(300):
        amplitude = expected_bucket(x * 0.04, (x + 1) * 0.04)
        assert maxs[x] == pytest.approx(amplitude, abs=1e-6), x
        assert mins[x] == pytest.approx(-amplitude, abs=1e-6), x
    # Zoomed in past the base level: every column repeats the bucket it lies in.
    mins, maxs = peaks.window(0.98, 1.02, 40)  # 1 ms a column
    assert maxs[:20].tolist() == [0.0] * 20
    assert maxs[20:] == pytest.approx([0.5] * 20)
    # An uneven zoom (2.5 buckets a column) still takes every bucket in a column.
    mins, maxs = peaks.window(1.9, 2.1, 8)
    assert maxs.tolist() == pytest.approx([0.5, 0.5, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0])


def test_window_outside_the_audio_is_nan(peaks: Peaks) -> None:
    mins, maxs = peaks.window(-1.0, 1.0, 200)
    assert np.isnan(maxs[:100]).all() and not np.isnan(maxs[100:]).any()
    mins, maxs = peaks.window(11.0, 13.0, 200)
    assert not np.isnan(maxs[:100]).any() and np.isnan(maxs[100:]).all()
    assert np.isnan(peaks.window(20.0, 30.0, 10)[0]).all()
    with pytest.raises(ValueError):
        peaks.window(5.0, 5.0, 10)


def test_cache_round_trip(tmp_path, peaks: Peaks) -> None:
    path = tmp_path / CACHE_NAME
    peaks.save(path)
    loaded = Peaks.load(path)
    assert (loaded.sample_rate, loaded.num_samples, loaded.bucket_samples) == (RATE, 192000, 160)
    assert len(loaded.levels) == len(peaks.levels)
    for (a_min, a_max), (b_min, b_max) in zip(loaded.levels, peaks.levels):
        np.testing.assert_array_equal(a_min, b_min)
        np.testing.assert_array_equal(a_max, b_max)
    assert [p.name for p in tmp_path.iterdir()] == [CACHE_NAME]  # no temporary left


def test_damaged_cache_is_refused(tmp_path) -> None:
    path = tmp_path / CACHE_NAME
    path.write_bytes(b"not a zip")
    with pytest.raises(ValueError):
        Peaks.load(path)


def test_stored_audio_peaks_are_cached_beside_it(tmp_path) -> None:
    writer = AudioWriter(tmp_path / "audio.wav")
    writer.write(tone_bursts())
    audio = writer.commit()
    first = peaks_for_audio(audio, SAMPLE_RATE)
    cache = tmp_path / CACHE_NAME
    assert cache.exists()
    assert first.levels[0][1][150] == pytest.approx(0.5, abs=1e-4)
    assert first.levels[0][1][250] == 0.0
    stamp = cache.stat().st_mtime_ns
    again = peaks_for_audio(StoredAudio(tmp_path / "audio.wav"), SAMPLE_RATE)
    assert cache.stat().st_mtime_ns == stamp  # read, not rewritten
    np.testing.assert_array_equal(again.levels[0][1], first.levels[0][1])
    # A cache for other audio (a different length) is replaced.
    compute_peaks(np.zeros(1600, dtype=np.float32), RATE).save(cache)
    third = peaks_for_audio(audio, SAMPLE_RATE)
    assert third.num_samples == audio.num_samples
    assert Peaks.load(cache).num_samples == audio.num_samples
