"""Where the speech is: a per-frame speech probability map over the job's audio.

The split phase computes it once (Silero VAD, or an energy detector when VAD is
off) and stores it beside the audio. Two consumers use it: chunk planning (cut in
pauses, never inside a word) and cue timing (a subtitle should appear when the
voice starts and leave when it stops, not when the recogniser guessed).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from subtitle_studio.core.atomic import write_bytes_atomic
from subtitle_studio.core.audio_store import SAMPLE_RATE, StoredAudio

SPEECH_FILE = "speech.npy"


@dataclass
class SpeechMap:
    """Speech probability (0..1) per frame of ``frame_s`` seconds, from time 0."""

    frame_s: float
    probs: np.ndarray
    threshold: float = 0.5
    neg_threshold: float = 0.35

    @property
    def duration(self) -> float:
        return len(self.probs) * self.frame_s

    def mask(self) -> np.ndarray:
        """Speech/non-speech per frame with hysteresis (enter at ``threshold``, leave below
        ``neg_threshold``), so a probability wobbling around one value does not flicker."""
        out = np.zeros(len(self.probs), dtype=bool)
        inside = False
        above = self.probs >= self.threshold
        below = self.probs < self.neg_threshold
        for i in range(len(self.probs)):
            inside = not below[i] if inside else bool(above[i])
            out[i] = inside
        return out

    def regions(
        self, min_silence_s: float = 0.3, min_speech_s: float = 0.1
    ) -> list[tuple[float, float]]:
        """Speech regions ``(start_s, end_s)``; pauses shorter than ``min_silence_s`` are
        bridged and blips shorter than ``min_speech_s`` are dropped."""
        mask = self.mask()
        if not mask.any():
            return []
        padded = np.concatenate([[False], mask, [False]])
        edges = np.flatnonzero(padded[1:] != padded[:-1])
        runs = list(zip(edges[::2], edges[1::2]))
        merged: list[list[int]] = []
        min_gap = min_silence_s / self.frame_s
        for start, end in runs:
            if merged and start - merged[-1][1] < min_gap:
                merged[-1][1] = int(end)
            else:
                merged.append([int(start), int(end)])
        min_len = min_speech_s / self.frame_s
        return [
            (round(s * self.frame_s, 3), round(e * self.frame_s, 3))
            for s, e in merged
            if e - s >= min_len
        ]

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        np.save(buffer, np.concatenate([[self.frame_s], self.probs.astype(np.float32)]))
        return buffer.getvalue()

    def save(self, path: Path) -> None:
        write_bytes_atomic(path, self.to_bytes())

    @classmethod
    def load(cls, path: Path) -> SpeechMap | None:
        """The saved map, or ``None`` if missing or unreadable (it can be recomputed)."""
        try:
            data = np.load(path, allow_pickle=False)
        except (OSError, ValueError, EOFError):
            return None
        if data.ndim != 1 or len(data) < 1 or not 0 < data[0] < 1:
            return None
        return cls(frame_s=float(data[0]), probs=data[1:].astype(np.float32))


class Loudness:
    """Short-term level (dB) of the audio in 10 ms frames.

    Speech probability says *whether* someone speaks; the level says *where exactly*
    it is quietest, which is where a chunk may be cut without cutting a word: the
    VAD's 32 ms frames can miss the soft tail of a word that the level still shows.
    """

    frame_s = 0.01

    def __init__(self, db: np.ndarray) -> None:
        self.db = db

    @classmethod
    def from_blocks(cls, blocks: Iterable[np.ndarray], sample_rate: int) -> Loudness:
        """``blocks`` yields consecutive float sample arrays (memory stays per block)."""
        frame = int(round(cls.frame_s * sample_rate))
        levels: list[np.ndarray] = []
        carry = np.zeros(0, dtype=np.float32)
        for block in blocks:
            data = np.concatenate([carry, block])
            usable = len(data) // frame * frame
            power = np.mean(data[:usable].astype(np.float64).reshape(-1, frame) ** 2, axis=1)
            levels.append(10 * np.log10(power + 1e-10))
            carry = data[usable:]
        if len(carry):
            levels.append(np.array([10 * np.log10(np.mean(carry.astype(np.float64) ** 2) + 1e-10)]))
        return cls(np.concatenate(levels).astype(np.float32) if levels else np.zeros(0, np.float32))

    @classmethod
    def of(cls, audio: StoredAudio) -> Loudness:
        """The level profile of a job's stored audio, read in five-minute blocks."""
        return cls.from_blocks((s for _, s in audio.blocks(SAMPLE_RATE * 300)), SAMPLE_RATE)

    def quietest(self, start_s: float, end_s: float, smooth_s: float = 0.05) -> float:
        """The centre of the quietest ``smooth_s`` stretch within ``[start_s, end_s]``.

        Averaging over 50 ms prefers a real gap between words over the brief closure
        inside a word (a stop consonant), which is shorter.
        """
        a = max(0, int(start_s / self.frame_s))
        b = min(len(self.db), int(np.ceil(end_s / self.frame_s)))
        if b - a < 1:
            return round((start_s + end_s) / 2, 3)
        width = max(1, min(b - a, int(round(smooth_s / self.frame_s))))
        window = np.convolve(self.db[a:b], np.ones(width) / width, mode="valid")
        best = int(np.argmin(window))
        return round((a + best + width / 2) * self.frame_s, 3)

    def speech_map(self) -> SpeechMap:
        """A speech map from level alone, for when VAD is off: a frame is speech when it
        rises well above the recording's noise floor (its 10th percentile level)."""
        if len(self.db) == 0:
            return SpeechMap(self.frame_s, np.zeros(0, dtype=np.float32))
        floor = float(np.percentile(self.db, 10))
        # Probability ramps from 0 at floor+6 dB to 1 at floor+18 dB.
        probs = np.clip((self.db - floor - 6.0) / 12.0, 0.0, 1.0).astype(np.float32)
        return SpeechMap(self.frame_s, probs)


#: How far a cue start may move back to the onset of the speech it is in.
START_BACK_S = 0.6
#: How far a cue start sitting in silence may move forward to the next onset.
START_FORWARD_S = 1.0
#: How far a cue end inside speech may move forward to where that speech stops.
END_FORWARD_S = 0.5
#: How far a cue end hanging in silence may move back to where the speech stopped.
END_BACK_S = 1.5


class SpeechEdges:
    """Speech onsets and offsets at fine resolution, for snapping cue times to the voice.

    Recognisers place the first word early or late and let the last word hang on
    into the pause; a subtitle should appear when the voice starts and leave when
    it stops. A time inside continuous speech (a cue cut mid-sentence) stays put.
    """

    def __init__(self, regions: list[tuple[float, float]]) -> None:
        self.starts = np.array([s for s, _ in regions], dtype=np.float64)
        self.ends = np.array([e for _, e in regions], dtype=np.float64)

    @classmethod
    def from_map(cls, speech: SpeechMap) -> SpeechEdges:
        return cls(speech.regions(min_silence_s=0.12, min_speech_s=0.06))

    def _containing(self, t: float) -> int | None:
        i = int(np.searchsorted(self.starts, t, side="right")) - 1
        if i >= 0 and t <= self.ends[i]:
            return i
        return None

    def snap_start(self, t: float, lo: float, hi: float) -> float:
        """A better start for a cue whose first word the recogniser put at ``t``,
        kept within ``[lo, hi]`` (the previous cue's end and this cue's end)."""
        if len(self.starts) == 0:
            return t
        inside = self._containing(t)
        if inside is not None:
            onset = self.starts[inside]
            target = onset if t - onset <= START_BACK_S else t
        else:
            nxt = int(np.searchsorted(self.starts, t, side="right"))
            target = t
            if nxt < len(self.starts) and self.starts[nxt] - t <= START_FORWARD_S:
                target = self.starts[nxt]
        if target >= hi:
            return t
        return round(max(lo, float(target)), 3)

    def snap_end(self, t: float, lo: float, hi: float) -> float:
        """A better end for a cue whose last word the recogniser ended at ``t``,
        kept within ``[lo, hi]`` (this cue's start and the next cue's start)."""
        if len(self.starts) == 0:
            return t
        inside = self._containing(t)
        if inside is not None:
            offset = self.ends[inside]
            target = offset if offset - t <= END_FORWARD_S else t
        else:
            prev = int(np.searchsorted(self.ends, t, side="left")) - 1
            target = t
            if prev >= 0 and t - self.ends[prev] <= END_BACK_S:
                target = self.ends[prev]
        if target <= lo:
            return t
        return round(min(hi, float(target)), 3)
