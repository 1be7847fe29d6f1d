"""The job's decoded audio: written in pieces, live only when complete, read in stretches."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

import numpy as np
import pytest

from subtitle_studio.core.audio_store import (
    AUDIO_FILE,
    SAMPLE_RATE,
    AudioWriter,
    StoredAudio,
    audio_path,
    open_stored_audio,
)
from subtitle_studio.errors import MediaError, StorageError


def ramp(n: int) -> np.ndarray:
    """Distinct 16-bit values, so an off-by-one read shows."""
    return (np.arange(n, dtype=np.int64) % 65536 - 32768).astype(np.int16)


def stored(folder: Path, pcm: np.ndarray) -> StoredAudio:
    writer = AudioWriter(audio_path(folder))
    for i in range(0, len(pcm), 7000):
        writer.write_pcm16(pcm[i : i + 7000])
    return writer.commit()


def test_committed_file_is_a_valid_wav(tmp_path: Path) -> None:
    pcm = ramp(3 * SAMPLE_RATE + 17)
    stored(tmp_path, pcm)

    with wave.open(str(tmp_path / AUDIO_FILE), "rb") as wav:
        assert wav.getnchannels() == 1
        assert wav.getsampwidth() == 2
        assert wav.getframerate() == SAMPLE_RATE
        assert wav.getnframes() == len(pcm)
        frames = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    np.testing.assert_array_equal(frames, pcm)


def test_commit_renames_the_partial_file(tmp_path: Path) -> None:
    writer = AudioWriter(tmp_path / AUDIO_FILE)
    writer.write(np.zeros(100, np.float32))

    assert [p.name for p in tmp_path.iterdir()] == [AUDIO_FILE + ".part"]
    assert open_stored_audio(tmp_path) is None, "a partial decode must not count as stored"

    audio = writer.commit()

    assert [p.name for p in tmp_path.iterdir()] == [AUDIO_FILE]
    assert audio.num_samples == 100
    assert open_stored_audio(tmp_path) is not None


def test_abort_removes_the_partial_file(tmp_path: Path) -> None:
    writer = AudioWriter(tmp_path / AUDIO_FILE)
    writer.write(np.ones(1000, np.float32) * 0.1)

    writer.abort()
    writer.abort()  # twice is harmless

    assert list(tmp_path.iterdir()) == []
    assert open_stored_audio(tmp_path) is None


def test_float_samples_are_scaled_and_clipped(tmp_path: Path) -> None:
    writer = AudioWriter(tmp_path / AUDIO_FILE)
    writer.write(np.array([0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -3.0, 1 / 32768], np.float32))
    writer.commit()

    with wave.open(str(tmp_path / AUDIO_FILE), "rb") as wav:
        values = np.frombuffer(wav.readframes(8), dtype="<i2").tolist()
    assert values == [0, 16384, -16384, 32767, -32768, 32767, -32768, 1]


def test_read_returns_float32_of_the_right_stretch(tmp_path: Path) -> None:
    pcm = ramp(2 * SAMPLE_RATE)
    audio = stored(tmp_path, pcm)

    part = audio.read(1000, 1500)

    assert part.dtype == np.float32
    assert len(part) == 500
    np.testing.assert_array_equal(part, pcm[1000:1500].astype(np.float32) / 32768.0)
    assert audio.duration == 2.0


def test_read_is_clipped_to_the_audio(tmp_path: Path) -> None:
    pcm = ramp(1000)
    audio = stored(tmp_path, pcm)

    assert len(audio.read(-50, 10)) == 10
    assert len(audio.read(990, 5000)) == 10
    assert len(audio.read(2000, 3000)) == 0
    assert len(audio.read(500, 400)) == 0


def test_read_returns_a_copy(tmp_path: Path) -> None:
    audio = stored(tmp_path, ramp(1000))
    part = audio.read(0, 10)
    part[:] = 0.0

    assert audio.read(0, 10)[1] != 0.0


def test_read_seconds(tmp_path: Path) -> None:
    pcm = ramp(3 * SAMPLE_RATE)
    audio = stored(tmp_path, pcm)

    part = audio.read_seconds(1.25, 2.0)

    assert len(part) == int(0.75 * SAMPLE_RATE)
    assert part[0] == pcm[int(1.25 * SAMPLE_RATE)] / 32768.0
    assert len(audio.read_seconds(2.5, 10.0)) == SAMPLE_RATE // 2


def test_blocks_cover_the_audio_in_order(tmp_path: Path) -> None:
    pcm = ramp(10_000)
    audio = stored(tmp_path, pcm)

    blocks = list(audio.blocks(3000))

    assert [start for start, _ in blocks] == [0, 3000, 6000, 9000]
    assert [len(b) for _, b in blocks] == [3000, 3000, 3000, 1000]
    assert all(b.dtype == np.float32 for _, b in blocks)
    np.testing.assert_array_equal(
        np.concatenate([b for _, b in blocks]), pcm.astype(np.float32) / 32768.0
    )


def test_empty_audio(tmp_path: Path) -> None:
    audio = AudioWriter(tmp_path / AUDIO_FILE).commit()

    assert audio.num_samples == 0 and audio.duration == 0.0
    assert len(audio.read(0, 100)) == 0
    assert list(audio.blocks(1000)) == []


def test_file_cut_short_reads_only_what_is_there(tmp_path: Path) -> None:
    pcm = ramp(4000)
    stored(tmp_path, pcm)
    path = tmp_path / AUDIO_FILE
    path.write_bytes(path.read_bytes()[: 44 + 2 * 2500 + 1])  # declared 4000, 2500.5 present

    audio = open_stored_audio(tmp_path)

    assert audio is not None and audio.num_samples == 2500
    np.testing.assert_array_equal(audio.read(0, 5000), pcm[:2500].astype(np.float32) / 32768.0)


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b"",
        lambda b: b[:20],
        lambda b: b"RIFX" + b[4:],
        lambda b: b[:36] + b"LIST" + b[40:],
        lambda b: b"\x00" * len(b),
    ],
    ids=["empty", "cut header", "wrong magic", "no data chunk", "zeroed"],
)
def test_damaged_header_is_not_stored_audio(tmp_path: Path, damage) -> None:
    stored(tmp_path, ramp(1000))
    path = tmp_path / AUDIO_FILE
    path.write_bytes(damage(path.read_bytes()))

    assert open_stored_audio(tmp_path) is None
    with pytest.raises(MediaError, match="damaged"):
        StoredAudio(path)


def test_no_audio_yet(tmp_path: Path) -> None:
    assert open_stored_audio(tmp_path) is None


def test_header_sizes_match_the_data(tmp_path: Path) -> None:
    stored(tmp_path, ramp(1234))
    header = (tmp_path / AUDIO_FILE).read_bytes()[:44]

    assert struct.unpack("<I", header[4:8])[0] == 36 + 2 * 1234
    assert struct.unpack("<I", header[40:44])[0] == 2 * 1234


def test_writer_in_a_missing_folder_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="removed"):
        AudioWriter(tmp_path / "gone" / AUDIO_FILE)
