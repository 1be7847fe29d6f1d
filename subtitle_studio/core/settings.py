"""Job settings: one typed record, saved with each job and checked on resume.

The settings are frozen so a running pipeline holds a snapshot that nobody else
can mutate. ``SETTINGS_VERSION`` lets a later release migrate old jobs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from subtitle_studio.errors import Message, SettingsError

SETTINGS_VERSION = 1

DEVICES = ("auto", "cpu", "cuda")
COMPUTE_TYPES = (
    "auto",
    "default",
    "int8",
    "int8_float32",
    "int8_float16",
    "int8_bfloat16",
    "int16",
    "float16",
    "bfloat16",
    "float32",
)
TASKS = ("transcribe", "translate")
OUTPUT_FORMATS = ("srt", "vtt", "json")


@dataclass(frozen=True)
class JobSettings:
    """Everything that decides how a job runs.

    ``model`` and ``align_model`` may be ``"auto"``; the job resolves them to a
    concrete model when it starts, so a resumed job knows what produced its chunks.
    """

    model: str = "auto"
    language: str = "auto"
    task: str = "transcribe"
    device: str = "auto"
    compute_type: str = "auto"
    beam_size: int = 5
    vad: bool = True
    chunk_max_s: float = 30.0
    chunk_min_silence_ms: int = 300
    word_timestamps: bool = True
    align_model: str = "auto"
    output_format: str = "srt"
    threads: int = 0

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise SettingsError("Invalid settings: {problems}", problems=Message.joined(problems))

    def problems(self) -> list[Message]:
        """Human-readable reasons these values cannot work (empty when they can), as
        ``Message``s so the window can show them translated."""
        out: list[Message] = []
        if not isinstance(self.model, str) or not self.model.strip():
            out.append(Message("model must be a model name or folder"))
        if not isinstance(self.language, str) or not self.language.strip():
            out.append(Message("language must be a language code such as 'en', or 'auto'"))
        if self.task not in TASKS:
            out.append(Message("task must be one of {choices}", choices=", ".join(TASKS)))
        if self.device not in DEVICES:
            out.append(Message("device must be one of {choices}", choices=", ".join(DEVICES)))
        if self.compute_type not in COMPUTE_TYPES:
            out.append(
                Message("compute type must be one of {choices}", choices=", ".join(COMPUTE_TYPES))
            )
        if not isinstance(self.beam_size, int) or not 1 <= self.beam_size <= 20:
            out.append(Message("beam size must be a whole number from 1 to 20"))
        if not isinstance(self.chunk_max_s, (int, float)) or not 5 <= self.chunk_max_s <= 120:
            out.append(Message("chunk length must be between 5 and 120 seconds"))
        if (
            not isinstance(self.chunk_min_silence_ms, int)
            or not 50 <= self.chunk_min_silence_ms <= 3000
        ):
            out.append(Message("minimum pause must be between 50 and 3000 ms"))
        if self.output_format not in OUTPUT_FORMATS:
            out.append(
                Message("output format must be one of {choices}", choices=", ".join(OUTPUT_FORMATS))
            )
        if not isinstance(self.threads, int) or not 0 <= self.threads <= 256:
            out.append(Message("threads must be 0 (automatic) or a positive number"))
        if not isinstance(self.align_model, str) or not self.align_model.strip():
            out.append(Message("alignment model must be 'auto', 'none', a model name or a folder"))
        if not isinstance(self.vad, bool):
            out.append(Message("VAD must be true or false"))
        if not isinstance(self.word_timestamps, bool):
            out.append(Message("word timestamps must be true or false"))
        return out

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JobSettings:
        """Build from saved or user-given values; unknown names are an error, not ignored."""
        if not isinstance(data, Mapping):
            raise SettingsError(
                "Settings must be names with values, not {kind}.", kind=type(data).__name__
            )
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise SettingsError("Unknown setting(s): {unknown}", unknown=", ".join(unknown))
        try:
            return cls(**dict(data))
        except TypeError as exc:  # wrong types deep inside dataclass machinery
            raise SettingsError("Invalid settings: {error}", error=exc) from exc

    def replace(self, **changes: Any) -> JobSettings:
        return dataclasses.replace(self, **changes)


def setting_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(JobSettings))
