"""The real engines behind the pipeline's ``Engines`` protocol.

Models are expensive to load, so one ``LocalEngines`` keeps the last loaded
transcription and alignment models and reuses them for the next job with the
same settings (the command line's ``transcribe a b c`` and the window's queue).
Heavy libraries are imported here, on first use, never at application start.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from subtitle_studio.core import paths
from subtitle_studio.core.alignment import Piece
from subtitle_studio.core.audio_store import StoredAudio
from subtitle_studio.core.engine_api import Check, Progress
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.core.speech import Loudness, SpeechMap
from subtitle_studio.engines import audio as audio_engine
from subtitle_studio.engines.models import (
    aligner_cache_dir,
    resolve_align_model,
    resolve_whisper_model,
)

log = logging.getLogger(__name__)


class _AlignerAdapter:
    """Presents the whisperX engine's pieces as core ``Piece`` rows."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine
        self.name = engine.name
        self.model_name = engine.model_name

    def align_chunk(
        self, audio: np.ndarray, offset_s: float, rows: Sequence[dict[str, Any]], check: Check
    ) -> list[Piece]:
        return [
            Piece(p.source_id, p.start, p.end, p.text, list(p.words))
            for p in self._engine.align_chunk(audio, offset_s, rows, check)
        ]


class LocalEngines:
    """PyAV, Silero VAD, faster-whisper and whisperX on this computer, offline."""

    def __init__(self, home: Path | None = None) -> None:
        self.home = home or paths.home_dir()
        self._lock = threading.Lock()
        self._transcriber_key: tuple[Any, ...] | None = None
        self._transcriber: Any = None
        self._aligner_key: tuple[Any, ...] | None = None
        self._aligner: Any = None

    def extract(
        self, source: Path, dest: Path, on_progress: Progress, check: Check
    ) -> tuple[StoredAudio, dict[str, Any]]:
        stored, info = audio_engine.extract(source, dest, on_progress=on_progress, check=check)
        return stored, info.to_dict()

    def speech_map(
        self, audio: StoredAudio, use_vad: bool, on_progress: Progress, check: Check
    ) -> SpeechMap:
        if use_vad:
            from subtitle_studio.engines.vad import silero_speech_map

            return silero_speech_map(audio, on_progress=on_progress, check=check)
        return Loudness.of(audio).speech_map()

    def resolve_model(self, setting: str, language: str) -> str:
        resolved = resolve_whisper_model(setting, language=language, home=self.home)
        return str(resolved.path) if resolved.origin == "folder" else resolved.name

    def transcriber(self, settings: JobSettings) -> Any:
        from subtitle_studio.engines.whisper import WhisperTranscriber

        resolved = resolve_whisper_model(settings.model, language=settings.language, home=self.home)
        key = (str(resolved.path), settings.device, settings.compute_type, settings.threads)
        with self._lock:
            if self._transcriber_key != key:
                self._transcriber = None  # free the old model before loading the next
                self._transcriber = WhisperTranscriber(
                    str(resolved.path),
                    settings.model,
                    device=settings.device,
                    compute_type=settings.compute_type,
                    threads=settings.threads,
                )
                self._transcriber_key = key
            return self._transcriber

    def aligner(self, settings: JobSettings, language: str) -> _AlignerAdapter | None:
        model_ref = resolve_align_model(settings.align_model, language, home=self.home)
        if model_ref is None:
            return None
        from subtitle_studio.engines.whisperx_align import WhisperXAligner

        device = settings.device if settings.device != "auto" else _torch_device()
        key = (model_ref, language, device)
        with self._lock:
            if self._aligner_key != key:
                self._aligner = None
                self._aligner = _AlignerAdapter(
                    WhisperXAligner(
                        model_ref,
                        language,
                        device=device,
                        data_dir=paths.data_dir(self.home),
                        cache_dir=aligner_cache_dir(model_ref, language, self.home),
                    )
                )
                self._aligner_key = key
            return self._aligner


def _torch_device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"
