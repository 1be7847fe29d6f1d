"""Where the speech is: speech maps, loudness, and snapping cue times to the voice."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from subtitle_studio.core.audio_store import SAMPLE_RATE, AudioWriter
from subtitle_studio.core.speech import (
    END_BACK_S,
    END_FORWARD_S,
    START_BACK_S,
    START_FORWARD_S,
    Loudness,
    SpeechEdges,
    SpeechMap,
)

FRAME = 0.032


def speech_map(probs: list[float], frame_s: float = 0.1) -> SpeechMap:
    return SpeechMap(frame_s, np.array(probs, dtype=np.float32))


# -- SpeechMap ---------------------------------------------------------------------------


def test_mask_uses_hysteresis() -> None:
    # enter at >= 0.5, stay while >= 0.35
    probs = [0.4, 0.6, 0.4, 0.36, 0.34, 0.45, 0.49, 0.5, 0.35, 0.1]

    mask = speech_map(probs).mask()

    assert mask.tolist() == [False, True, True, True, False, False, False, True, True, False]


def test_wobbling_probability_does_not_flicker() -> None:
    probs = [0.9] + [0.45, 0.55] * 20 + [0.0]

    regions = speech_map(probs).regions(min_silence_s=0.0, min_speech_s=0.0)

    assert regions == [(0.0, 4.1)]


def test_regions_in_seconds() -> None:
    probs = [0.0] * 5 + [0.9] * 10 + [0.0] * 10 + [0.8] * 5 + [0.0] * 2

    assert speech_map(probs).regions() == [(0.5, 1.5), (2.5, 3.0)]
    assert speech_map(probs).duration == pytest.approx(3.2)


def test_short_pauses_are_bridged_long_ones_kept() -> None:
    # speech 1 s, pause 0.2 s, speech 1 s, pause 0.4 s, speech 1 s
    probs = [0.9] * 10 + [0.0] * 2 + [0.9] * 10 + [0.0] * 4 + [0.9] * 10

    assert speech_map(probs).regions(min_silence_s=0.3) == [(0.0, 2.2), (2.6, 3.6)]
    assert speech_map(probs).regions(min_silence_s=0.5) == [(0.0, 3.6)]
    assert len(speech_map(probs).regions(min_silence_s=0.1)) == 3


def test_short_blips_are_dropped() -> None:
    probs = [0.0] * 10 + [0.9] + [0.0] * 10 + [0.9] * 5 + [0.0] * 10

    assert speech_map(probs).regions(min_speech_s=0.2) == [(2.1, 2.6)]
    assert speech_map(probs).regions(min_speech_s=0.1) == [(1.0, 1.1), (2.1, 2.6)]


def test_blips_close_to_speech_are_bridged_first() -> None:
    probs = [0.9] + [0.0] * 2 + [0.9] * 10

    assert speech_map(probs).regions(min_silence_s=0.3, min_speech_s=0.5) == [(0.0, 1.3)]


def test_silence_has_no_regions() -> None:
    assert speech_map([0.1] * 50).regions() == []
    assert speech_map([]).regions() == []
    assert speech_map([]).mask().tolist() == []


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    original = SpeechMap(FRAME, rng.random(5000).astype(np.float32))
    where = tmp_path / "speech.npy"

    original.save(where)
    loaded = SpeechMap.load(where)

    assert loaded is not None
    assert loaded.frame_s == FRAME
    assert loaded.probs.dtype == np.float32
    np.testing.assert_array_equal(loaded.probs, original.probs)
    assert loaded.regions() == original.regions()
    assert [p.name for p in tmp_path.iterdir()] == ["speech.npy"]


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


GARBAGE = {
    "empty file": b"",
    "text": b"this is not a speech map",
    "cut header": _npy(np.arange(50, dtype=np.float64))[:30],
    "cut data": _npy(np.arange(50, dtype=np.float64))[:-40],
    "two-dimensional": _npy(np.zeros((3, 3))),
    "no values": _npy(np.zeros(0)),
    "frame length zero": _npy(np.array([0.0, 0.5, 0.5])),
    "frame length NaN": _npy(np.array([np.nan, 0.5])),
    "pickled object": b"\x80\x04\x95",
}


@pytest.mark.parametrize("case", sorted(GARBAGE))
def test_unreadable_map_loads_as_none(tmp_path: Path, case: str) -> None:
    where = tmp_path / "speech.npy"
    where.write_bytes(GARBAGE[case])

    assert SpeechMap.load(where) is None


def test_missing_map_loads_as_none(tmp_path: Path) -> None:
    assert SpeechMap.load(tmp_path / "speech.npy") is None


# -- Loudness ----------------------------------------------------------------------------


def noisy(seconds: float, level: float, rng: np.random.Generator) -> np.ndarray:
    return (rng.standard_normal(int(seconds * SAMPLE_RATE)) * level).astype(np.float32)


def test_quietest_finds_a_planted_quiet_stretch() -> None:
    rng = np.random.default_rng(1)
    signal = np.concatenate(
        [noisy(2.0, 0.2, rng), noisy(0.08, 0.002, rng), noisy(1.92, 0.2, rng)]
    )  # quiet from 2.00 to 2.08 s
    loudness = Loudness.from_blocks([signal], SAMPLE_RATE)

    point = loudness.quietest(1.0, 3.5)

    assert 2.0 <= point <= 2.08


def test_quietest_prefers_a_real_gap_over_a_brief_dip() -> None:
    rng = np.random.default_rng(2)
    signal = np.concatenate(
        [
            noisy(0.5, 0.2, rng),
            noisy(0.02, 0.005, rng),  # 20 ms closure inside a word: the quietest frames
            noisy(0.48, 0.2, rng),
            noisy(0.06, 0.01, rng),  # 60 ms gap between words: a little louder, but longer
            noisy(0.94, 0.2, rng),
        ]
    )
    loudness = Loudness.from_blocks([signal], SAMPLE_RATE)

    point = loudness.quietest(0.2, 1.8)

    assert 1.0 <= point <= 1.06, f"cut at {point} s, expected inside the gap at 1.00–1.06 s"
    # The dip really is the quietest single frame: only the 50 ms smoothing avoids it.
    assert 0.5 <= loudness.quietest(0.2, 1.8, smooth_s=0.01) <= 0.52


def test_quietest_stays_within_the_range() -> None:
    rng = np.random.default_rng(3)
    signal = np.concatenate([noisy(1.0, 0.001, rng), noisy(2.0, 0.3, rng)])
    loudness = Loudness.from_blocks([signal], SAMPLE_RATE)

    point = loudness.quietest(1.5, 2.5)  # the quiet part (0–1 s) is outside

    assert 1.5 <= point <= 2.5


def test_quietest_on_a_range_beyond_the_audio_is_its_middle() -> None:
    loudness = Loudness(np.zeros(100, np.float32))  # 1 s

    assert loudness.quietest(5.0, 6.0) == 5.5


def test_loudness_is_the_same_whatever_the_block_size() -> None:
    rng = np.random.default_rng(4)
    signal = noisy(3.0, 0.1, rng)
    whole = Loudness.from_blocks([signal], SAMPLE_RATE).db
    pieces = [signal[i : i + 1234] for i in range(0, len(signal), 1234)]

    in_blocks = Loudness.from_blocks(pieces, SAMPLE_RATE).db

    np.testing.assert_allclose(in_blocks, whole, atol=1e-4)
    assert len(whole) == 300


def test_loudness_levels_in_decibels() -> None:
    tone = 0.5 * np.sin(2 * np.pi * 440 * np.arange(SAMPLE_RATE) / SAMPLE_RATE)
    db = Loudness.from_blocks([np.zeros(SAMPLE_RATE // 2), tone], SAMPLE_RATE).db

    assert np.all(db[:50] < -90)
    assert np.median(db[60:]) == pytest.approx(10 * np.log10(0.125), abs=0.2)


def test_loudness_of_no_audio() -> None:
    assert len(Loudness.from_blocks([], SAMPLE_RATE).db) == 0
    assert Loudness.from_blocks([], SAMPLE_RATE).speech_map().regions() == []


def tone_bursts(rng: np.random.Generator) -> np.ndarray:
    t = np.arange(int(0.5 * SAMPLE_RATE)) / SAMPLE_RATE
    burst = (0.3 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)
    hush = lambda: noisy(0.5, 0.001, rng)  # noqa: E731
    return np.concatenate([hush(), burst, hush(), burst, hush(), hush()])


def test_speech_map_from_level_finds_tone_bursts() -> None:
    loudness = Loudness.from_blocks([tone_bursts(np.random.default_rng(5))], SAMPLE_RATE)

    regions = loudness.speech_map().regions()

    assert len(regions) == 2
    for (start, end), (want_start, want_end) in zip(regions, [(0.5, 1.0), (1.5, 2.0)]):
        assert start == pytest.approx(want_start, abs=0.02)
        assert end == pytest.approx(want_end, abs=0.02)


def test_loudness_of_stored_audio(tmp_path: Path) -> None:
    writer = AudioWriter(tmp_path / "audio.wav")
    writer.write(tone_bursts(np.random.default_rng(6)))
    audio = writer.commit()

    regions = Loudness.of(audio).speech_map().regions()

    assert [(round(s, 1), round(e, 1)) for s, e in regions] == [(0.5, 1.0), (1.5, 2.0)]


# -- SpeechEdges ---------------------------------------------------------------------------

EDGES = SpeechEdges([(1.0, 2.0), (3.0, 5.0), (8.0, 9.0)])


def test_early_start_in_silence_moves_forward_to_the_onset() -> None:
    assert EDGES.snap_start(0.5, lo=0.0, hi=2.0) == 1.0
    assert EDGES.snap_start(2.4, lo=2.0, hi=5.0) == 3.0


def test_start_long_before_any_speech_stays() -> None:
    assert EDGES.snap_start(6.5, lo=5.0, hi=9.0) == 6.5  # next onset 1.5 s away
    assert START_FORWARD_S < 8.0 - 6.5, "the case assumes the next onset is out of reach"


def test_late_start_inside_speech_moves_back_to_the_onset() -> None:
    assert EDGES.snap_start(3.4, lo=2.0, hi=5.0) == 3.0
    assert EDGES.snap_start(3.0 + START_BACK_S - 0.01, lo=2.0, hi=5.0) == 3.0


def test_start_mid_sentence_stays() -> None:
    assert EDGES.snap_start(4.0, lo=2.0, hi=5.0) == 4.0
    assert EDGES.snap_start(3.0 + START_BACK_S + 0.01, lo=2.0, hi=5.0) == 3.61


def test_start_never_goes_before_the_previous_cue() -> None:
    assert EDGES.snap_start(3.4, lo=3.2, hi=5.0) == 3.2


def test_start_never_reaches_the_cue_end() -> None:
    assert EDGES.snap_start(0.5, lo=0.0, hi=0.9) == 0.5  # onset 1.0 is past this cue's end
    assert EDGES.snap_start(0.5, lo=0.0, hi=1.0) == 0.5


def test_hanging_end_moves_back_to_the_offset() -> None:
    assert EDGES.snap_end(5.8, lo=3.0, hi=8.0) == 5.0
    assert EDGES.snap_end(5.0 + END_BACK_S - 0.01, lo=3.0, hi=8.0) == 5.0


def test_end_long_after_speech_stays() -> None:
    assert EDGES.snap_end(7.0, lo=3.0, hi=8.0) == 7.0  # 2 s after the offset


def test_early_end_inside_speech_extends_to_the_offset() -> None:
    assert EDGES.snap_end(4.7, lo=3.0, hi=8.0) == 5.0
    assert EDGES.snap_end(5.0 - END_FORWARD_S + 0.01, lo=3.0, hi=8.0) == 5.0


def test_end_mid_sentence_stays() -> None:
    assert EDGES.snap_end(3.5, lo=3.0, hi=8.0) == 3.5
    assert EDGES.snap_end(5.0 - END_FORWARD_S - 0.01, lo=3.0, hi=8.0) == 4.49


def test_end_never_passes_the_next_cue() -> None:
    assert EDGES.snap_end(4.7, lo=3.0, hi=4.9) == 4.9


def test_end_never_reaches_the_cue_start() -> None:
    assert EDGES.snap_end(5.8, lo=5.2, hi=8.0) == 5.8
    assert EDGES.snap_end(5.8, lo=5.0, hi=8.0) == 5.8


def test_no_speech_known_leaves_times_alone() -> None:
    edges = SpeechEdges([])
    assert edges.snap_start(1.234, 0.0, 5.0) == 1.234
    assert edges.snap_end(1.234, 0.0, 5.0) == 1.234


def test_edges_from_a_speech_map_keep_short_pauses() -> None:
    # 32 ms frames: speech 0.32–1.28 s, a 160 ms pause, speech 1.44–2.24 s.
    probs = [0.0] * 10 + [0.9] * 30 + [0.0] * 5 + [0.9] * 25 + [0.0] * 10
    edges = SpeechEdges.from_map(speech_map(probs, FRAME))

    assert edges.starts.tolist() == pytest.approx([0.32, 1.44])
    assert edges.ends.tolist() == pytest.approx([1.28, 2.24])
    assert edges.snap_end(1.4, lo=0.5, hi=3.0) == 1.28
