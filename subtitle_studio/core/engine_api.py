"""What the pipeline needs from its engines, as protocols.

The pipeline is plain Python and imports no engine; the real engines (PyAV,
Silero, faster-whisper, whisperX) live in ``subtitle_studio.engines`` and a test
may hand in fakes where speed demands it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from subtitle_studio.core.alignment import Piece
from subtitle_studio.core.audio_store import StoredAudio
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.core.speech import SpeechMap

Progress = Callable[[float], None]
Check = Callable[[], None]


class ChunkResultLike(Protocol):
    language: str
    rows: list[dict[str, Any]]


class Transcriber(Protocol):
    model_name: str

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        offset_s: float,
        segment_index: int,
        language: str | None,
        task: str,
        beam_size: int,
        word_timestamps: bool,
        check: Check | None,
    ) -> ChunkResultLike: ...


class Aligner(Protocol):
    name: str
    model_name: str

    def align_chunk(
        self, audio: np.ndarray, offset_s: float, rows: Sequence[dict[str, Any]], check: Check
    ) -> Sequence[Piece]: ...


class Engines(Protocol):
    def extract(
        self, source: Path, dest: Path, on_progress: Progress, check: Check
    ) -> tuple[StoredAudio, dict[str, Any]]: ...

    def speech_map(
        self, audio: StoredAudio, use_vad: bool, on_progress: Progress, check: Check
    ) -> SpeechMap: ...

    def resolve_model(self, setting: str, language: str) -> str:
        """The concrete model name (or folder) that ``auto`` or a name stands for."""
        ...

    def transcriber(self, settings: JobSettings) -> Transcriber: ...

    def aligner(self, settings: JobSettings, language: str) -> Aligner | None:
        """The alignment model for the language, or ``None`` for the fallback aligner."""
        ...
