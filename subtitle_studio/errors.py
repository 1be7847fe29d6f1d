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


class StudioError(Exception):
    """A failure with a message a user can act on."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


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
            text = (
                f"The disk is full: could not write {where}. Free some space, then resume the job."
            )
        elif exc.errno == errno.EROFS:
            text = (
                f"The disk is read-only: could not write {where}. "
                "Make it writable (or choose another folder), then resume the job."
            )
        elif exc.errno in (errno.EACCES, errno.EPERM):
            text = f"Permission denied: could not write {where}."
        elif exc.errno == errno.ENOENT:
            text = f"A file or folder was removed while the job was using it: {where}."
        else:
            text = f"Could not write {where}: {exc.strerror or exc}."
        return cls(text)


class Interrupted(Exception):  # noqa: N818 - a request, not an error
    """The user asked the running job to stop; its saved work is intact."""


class Cancelled(Interrupted):
    """The user canceled the job."""


class Paused(Interrupted):
    """The user paused the job; it resumes from its checkpoint."""
