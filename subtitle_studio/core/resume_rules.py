"""Which settings may change when a job resumes (SPEC §4) — one pure function.

The window, the command line and the HTTP endpoint all call ``check_resume`` and
show its answer, so a user sees the same reasons everywhere:

* locked: forced back to the original value, because the saved work depends on it
  (word timestamps, task, the detected language, the chunking parameters);
* allowed with a warning: the model (and the beam size), which change the text of
  the chunks still to come but not the shape of what is saved;
* free: device, compute type, threads, output format and the alignment model
  (alignment runs over the whole job at once, after the last chunk).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from subtitle_studio.core.settings import JobSettings, setting_names
from subtitle_studio.errors import Message, SettingsError

LOCKED_REASONS: dict[str, str] = {
    "word_timestamps": (
        "the saved chunks were transcribed with this choice; mixing would break alignment"
    ),
    "task": "mixing transcription and translation would give a transcript in two languages",
    "vad": "the chunk boundaries were made with this choice and are already saved",
    "chunk_max_s": "the chunk boundaries are already saved",
    "chunk_min_silence_ms": "the chunk boundaries are already saved",
}
LANGUAGE_REASON = "the language was detected on the first chunk and the whole job stays in it"
MODEL_WARNING = (
    "the remaining chunks will use {new} while the {done} chunk(s) already done used {old}; "
    "each chunk records its model, and you can redo the finished chunks with the new model "
    "(your edits are kept)"
)
BEAM_WARNING = "the remaining chunks will be decoded with beam size {new} instead of {old}"
ALIGN_DONE_WARNING = (
    "alignment already finished with {old}; the new alignment model is not used unless "
    "the job is aligned again"
)


@dataclass(frozen=True)
class Forced:
    setting: str
    requested: Any
    kept: Any
    reason: str


@dataclass(frozen=True)
class ResumeCheck:
    """The answer: ``settings`` is what the resumed job will run with (when valid)."""

    valid: bool
    settings: JobSettings | None
    forced: list[Forced] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: ``Message``s, which the window shows translated.
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "settings": self.settings.to_dict() if self.settings else None,
            "forced": [vars(f) for f in self.forced],
            "warnings": list(self.warnings),
            "errors": list(self.errors),
        }


def check_resume(
    original: JobSettings,
    requested: Mapping[str, Any],
    *,
    detected_language: str | None = None,
    chunks_done: int = 0,
    aligned: bool = False,
) -> ResumeCheck:
    """Validate the settings a user asks for when resuming a job.

    ``original`` is what the job started with (``original_settings`` of its
    checkpoint); ``requested`` holds only the settings the user wants to change.
    ``detected_language`` is the language fixed by the first chunk, if any.
    """
    errors: list[str] = []
    unknown = sorted(set(requested) - set(setting_names()))
    errors.extend(Message("unknown setting '{name}'", name=name) for name in unknown)

    values = original.to_dict()
    forced: list[Forced] = []
    warnings: list[str] = []
    for name, new in requested.items():
        if name in unknown:
            continue
        old = values[name]
        if new == old:
            continue
        if name in LOCKED_REASONS:
            forced.append(Forced(name, new, old, LOCKED_REASONS[name]))
        elif name == "language":
            # Free until the first chunk fixed it; a language chosen by hand is what the
            # first chunk was transcribed in, so ``detected_language`` covers it too.
            kept = detected_language
            if kept is not None and new != kept:
                forced.append(Forced(name, new, kept, LANGUAGE_REASON))
                values[name] = kept
            else:
                values[name] = new
        elif name == "model":
            if chunks_done:
                warnings.append(MODEL_WARNING.format(new=new, old=old, done=chunks_done))
            values[name] = new
        elif name == "beam_size":
            if chunks_done:
                warnings.append(BEAM_WARNING.format(new=new, old=old))
            values[name] = new
        elif name == "align_model":
            if aligned:
                warnings.append(ALIGN_DONE_WARNING.format(old=old))
            values[name] = new
        else:
            values[name] = new

    if detected_language and values["language"] == "auto":
        values["language"] = detected_language

    settings: JobSettings | None = None
    if not errors:
        try:
            settings = JobSettings.from_dict(values)
        except SettingsError as exc:
            errors.append(exc.text)
    return ResumeCheck(
        valid=not errors,
        settings=settings if not errors else None,
        forced=forced,
        warnings=warnings,
        errors=errors,
    )
