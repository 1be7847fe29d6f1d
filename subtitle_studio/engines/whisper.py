"""The transcribe phase's engine: faster-whisper on one chunk at a time.

Chunks are already cut at pauses, so faster-whisper runs without its own VAD
filter; its timestamps are chunk-local and made global here. Cancellation is
checked between decoded segments, so a cancel never waits for a whole chunk.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from subtitle_studio.errors import ModelError, TranscriptionError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChunkTranscript:
    language: str
    language_probability: float
    rows: list[dict[str, Any]]


def _device(device: str) -> str:
    if device != "auto":
        return device
    try:
        import ctranslate2

        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    except Exception:  # noqa: BLE001 - any failure to probe CUDA means CPU
        return "cpu"


def _compute_type(compute_type: str, device: str) -> str:
    if compute_type != "auto":
        return compute_type
    return "float16" if device == "cuda" else "int8"


class WhisperTranscriber:
    """A loaded faster-whisper model. Loading is the slow part: keep one per job."""

    def __init__(
        self,
        model_path: str,
        model_name: str,
        *,
        device: str = "auto",
        compute_type: str = "auto",
        threads: int = 0,
    ) -> None:
        from faster_whisper import WhisperModel

        self.model_name = model_name
        self.device = _device(device)
        self.compute_type = _compute_type(compute_type, self.device)
        try:
            self._model = WhisperModel(
                model_path,
                device=self.device,
                compute_type=self.compute_type,
                cpu_threads=threads,
                local_files_only=True,
            )
        except Exception as exc:  # ctranslate2 raises RuntimeError/ValueError variants
            raise ModelError(
                "The transcription model '{model_name}' could not be loaded on {device} "
                "({error}). Choose another model, device or compute type.",
                model_name=model_name,
                device=self.device,
                error=exc,
            ) from exc
        self.is_multilingual = bool(self._model.model.is_multilingual)
        log.info(
            "loaded %s on %s (%s, %d threads)",
            model_name,
            self.device,
            self.compute_type,
            threads or os.cpu_count() or 1,
        )

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        offset_s: float,
        segment_index: int,
        language: str | None,
        task: str = "transcribe",
        beam_size: int = 5,
        word_timestamps: bool = True,
        check: Callable[[], None] | None = None,
    ) -> ChunkTranscript:
        """Transcribe one chunk; row ids are ``<segment_index>_<n>`` and times are global."""
        if not self.is_multilingual and language not in (None, "en"):
            raise TranscriptionError(
                "The model '{model_name}' only knows English but the job's language is "
                "'{language}'. Choose a multilingual model (one without '.en').",
                model_name=self.model_name,
                language=language,
            )
        try:
            segments, info = self._model.transcribe(
                audio,
                language=language if self.is_multilingual else "en",
                task=task,
                beam_size=beam_size,
                word_timestamps=word_timestamps,
                vad_filter=False,
            )
            rows: list[dict[str, Any]] = []
            for segment in segments:
                if check is not None:
                    check()
                text = segment.text.strip()
                if not text:
                    continue
                row: dict[str, Any] = {
                    "id": f"{segment_index}_{len(rows)}",
                    "start": _t(segment.start + offset_s),
                    "end": _t(segment.end + offset_s),
                    "text": text,
                }
                if word_timestamps and segment.words:
                    row["words"] = [
                        {
                            "word": w.word,
                            "start": _t(w.start + offset_s),
                            "end": _t(w.end + offset_s),
                            "probability": round(float(w.probability), 3),
                        }
                        for w in segment.words
                    ]
                rows.append(row)
        except (ModelError, TranscriptionError):
            raise
        except RuntimeError as exc:
            raise TranscriptionError(
                "Transcription failed on chunk {segment_index}: {error}",
                segment_index=segment_index,
                error=exc,
            ) from exc
        return ChunkTranscript(
            language=str(info.language),
            language_probability=float(info.language_probability),
            rows=rows,
        )


def _t(value: float) -> float:
    return round(float(value), 3)
