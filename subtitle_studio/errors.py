"""The one exception hierarchy of Subtitle Studio.

Every error a user can meet is a ``StudioError`` whose message says what went
wrong and what to do about it, in one line, without a traceback. The ``code``
travels in ``error`` events so scripts and the window can tell failures apart.

    StudioError
    ├── MediaError          the input file cannot be used (not media, no audio, truncated…)
    ├── TranscriptionError  faster-whisper failed on a chunk
    ├── AlignmentError      the aligner failed
    ├── ModelError          a model is missing, incomplete or cannot be loaded
    ├── CheckpointError     a job's saved state is corrupt or from a newer version
    ├── JobError            the job does not exist or cannot do that now
    ├── SettingsError       a setting has an impossible value
    ├── EditError           a user edit is invalid (unparsable time, end before start)
    ├── SubtitleFileError   a subtitle file cannot be read or saved as asked
    └── StorageError        the disk is full, read-only or a file vanished

    Interrupted             the user asked the job to stop; not a failure
    ├── Cancelled
    └── Paused
"""

from __future__ import annotations

import errno
import os
from collections.abc import Mapping, Sequence
from typing import Any


class StudioError(Exception):
    """A failure with a message a user can act on.

    The message is given as an English template with named ``{placeholders}`` and the
    values to put in them: ``MediaError("{name} has no audio stream.", name=path.name)``.
    ``message`` is the English text (what the CLI, the log and the HTTP endpoint show);
    the window translates ``template`` and fills in ``params`` itself, so the core never
    needs Qt. Without parameters the template is the message, used as given.
    """

    code = "error"

    def __init__(self, template: str, /, **params: object) -> None:
        self.template = template
        #: Strings, so they survive JSON (job.json, events) and formatting never surprises;
        #: a ``Message`` (or another error, as one) stays one, so the window can translate it.
        self.params = _string_params(params)
        self.message = template.format(**self.params) if self.params else template
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    @property
    def text(self) -> Message:
        """The message as a ``Message``, for lists of reasons the window shows translated."""
        return Message.filled(self.template, self.params)

    def to_dict(self) -> dict[str, Any]:
        """What a job's record and ``error`` event keep, so it can be shown translated later."""
        return error_dict(self.code, self.message, self.template, self.params)


def error_dict(
    code: str, message: str, template: str | None = None, params: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The saved form of a failure: ``code`` and English ``message``, plus ``template`` and
    ``params`` (which records written before they existed lack)."""
    data: dict[str, Any] = {"code": code, "message": message}
    if template is not None:
        data["template"] = template
        data["params"] = dict(params or {})
    return data


class MediaError(StudioError):
    code = "media_error"


class TranscriptionError(StudioError):
    code = "transcription_error"


class AlignmentError(StudioError):
    code = "alignment_error"


class ModelError(StudioError):
    code = "model_error"


class CheckpointError(StudioError):
    code = "checkpoint_error"


class JobError(StudioError):
    code = "job_error"


class SettingsError(StudioError):
    code = "settings_error"


class EditError(StudioError):
    code = "edit_error"


class SubtitleFileError(StudioError):
    """An SRT, WebVTT or ASS file the user opens or saves: no subtitle in it, an unknown
    format, or text the chosen encoding cannot store."""

    code = "subtitle_file_error"


class StorageError(StudioError):
    code = "storage_error"

    @classmethod
    def from_oserror(cls, exc: OSError, path: os.PathLike[str] | str) -> StorageError:
        """Turn an ``OSError`` from writing job state into a message naming the cause."""
        where = os.fspath(path)
        if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
            return cls(
                "The disk is full: could not write {where}. Free some space, then resume the job.",
                where=where,
            )
        if exc.errno == errno.EROFS:
            return cls(
                "The disk is read-only: could not write {where}. "
                "Make it writable (or choose another folder), then resume the job.",
                where=where,
            )
        if exc.errno in (errno.EACCES, errno.EPERM):
            return cls("Permission denied: could not write {where}.", where=where)
        if exc.errno == errno.ENOENT:
            return cls(
                "A file or folder was removed while the job was using it: {where}.", where=where
            )
        return cls("Could not write {where}: {reason}.", where=where, reason=exc.strerror or exc)


def _string_params(params: Mapping[str, object]) -> dict[str, str]:
    """Every value as a string; a ``Message``, or a ``StudioError`` given as the reason for
    another, stays translatable."""
    return {name: _string(value) for name, value in params.items()}


def _string(value: object) -> str:
    if isinstance(value, Message):
        return value
    if isinstance(value, StudioError):
        return value.text
    return str(value)


class Message(str):
    """English text from the core that the window shows in its own language.

    It is the filled-in English string (so the CLI, the log, JSON and every ``str``
    operation use it unchanged) and it also keeps its ``template`` and ``params``, which
    ``gui/error_text.user_message`` translates like a ``StudioError``'s: a model's
    status detail, a line of an opened file that could not be read, a reason a setting
    is invalid. Built like an exception, ``Message("{name} is damaged.", name=...)``,
    so ``tools/error_strings.py`` checks and lists its template. Anything built from it
    (``+``, ``format``) is a plain ``str`` again and reads in English.
    """

    template: str
    params: dict[str, str]

    def __new__(cls, template: str, /, **params: object) -> Message:
        return cls.filled(template, params)

    @classmethod
    def filled(cls, template: str, params: Mapping[str, object]) -> Message:
        """``template`` filled with ``params`` (for templates that are not literals here)."""
        values = _string_params(params)
        self = str.__new__(cls, template.format(**values) if values else template)
        self.template = template
        self.params = values
        return self

    @classmethod
    def joined(cls, items: Sequence[str], separator: str = "; ") -> Message:
        """``items`` in one line; each one that is a ``Message`` is still translated."""
        names = [f"item{k}" for k in range(len(items))]
        template = separator.join("{" + name + "}" for name in names)
        return cls.filled(template, dict(zip(names, items, strict=True)))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message.filled, (self.template, self.params))


def translatable(template: str) -> str:
    """Mark a literal the window shows translated (the "Errors" context) though it is no
    exception's message, such as the labels of a failed job's details; returns it as is.

    ``tools/error_strings.py`` lists these for Qt Linguist beside the error templates.
    """
    return template


class Interrupted(Exception):  # noqa: N818 - a request, not an error
    """The user asked the running job to stop; its saved work is intact."""


class Cancelled(Interrupted):
    """The user canceled the job."""


class Paused(Interrupted):
    """The user paused the job; it resumes from its checkpoint."""
