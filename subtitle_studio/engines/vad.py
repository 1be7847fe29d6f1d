"""Speech detection with the Silero VAD model that ships inside faster-whisper (offline).

The audio is fed in blocks so memory stays flat however long the job is; the
model's recurrent state restarts at each block boundary, which costs nothing
measurable at five-minute blocks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np

from subtitle_studio.core.audio_store import SAMPLE_RATE, StoredAudio
from subtitle_studio.core.speech import SpeechMap

log = logging.getLogger(__name__)

WINDOW = 512  # samples per Silero frame at 16 kHz (32 ms)
BLOCK_FRAMES = 9375  # five minutes of frames per model call


def silero_speech_map(
    audio: StoredAudio,
    *,
    on_progress: Callable[[float], None] | None = None,
    check: Callable[[], None] | None = None,
) -> SpeechMap:
    from faster_whisper.vad import get_vad_model

    model = get_vad_model()
    block = WINDOW * BLOCK_FRAMES
    probs: list[np.ndarray] = []
    for start, samples in audio.blocks(block):
        if check is not None:
            check()
        if len(samples) % WINDOW:
            samples = np.pad(samples, (0, WINDOW - len(samples) % WINDOW))
        probs.append(np.asarray(model(samples), dtype=np.float32).reshape(-1))
        if on_progress is not None and audio.num_samples:
            on_progress(min(1.0, (start + block) / audio.num_samples))
    values = np.concatenate(probs) if probs else np.zeros(0, dtype=np.float32)
    return SpeechMap(frame_s=WINDOW / SAMPLE_RATE, probs=values)
