"""The bad-input matrix (SPEC §11) as one table, shared by the command-line and window tests.

Each case builds what a user would feed the application and says what the user must
then read. A builder gets ``(tmp, media)`` (a scratch folder and the shared media
folder) and returns a :class:`Feed`: a file to transcribe, or a job prepared on disk to
resume (made with the home folder the test points ``SUBTITLE_STUDIO_HOME`` at). A new
case is one line in :data:`CASES`.

The answer differs by surface only where the surfaces differ: the command line runs
every file it is given, while the window refuses by name what is not media (the
``window`` outcome and, where needed, ``window_message`` say so).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from subtitle_studio.core.checkpoint import (
    Checkpoint,
    ChunkResult,
    ChunkSpan,
    load_checkpoint,
    save_checkpoint,
)
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.errors import StudioError
from tests.support.media_files import (
    copy_to,
    text_renamed_as_video,
    truncated_copy,
    video_without_audio,
)

LJ = "en_ljspeech_LJ001-0001_to_0023_concat.flac"
NASA = "en_nasa_13013_video.mp4"
SONNET = "en_librivox_shakespeare_sonnet001.mp3"
JFK = "jfk.flac"
#: The longest file name Linux, macOS and Windows file systems allow (in bytes).
NAME_MAX = 255

#: How the window answers a case:
#: ``failed``  the file becomes a job (or the prepared job is started) that fails readably;
#: ``refused`` the dropped path makes no job and a message says why;
#: ``banner``  the window says so above the table as it opens or shows the job;
#: ``done``    the input is valid and the job succeeds.
WindowOutcome = Literal["failed", "refused", "banner", "done"]


@dataclass(frozen=True)
class Feed:
    """What a case hands the application.

    ``file``: transcribe it (``subtitle-studio transcribe FILE``; dropped on the window).
    ``job_id``: a job prepared on disk (``subtitle-studio resume ID``; the window shows
    it and the user presses Start/Resume). ``options``: extra command-line options.
    ``edit``: window only, a value typed into the first row's cell of that column.
    """

    file: Path | None = None
    job_id: str | None = None
    options: tuple[str, ...] = ()
    edit: tuple[str, str] | None = None

    def cli_args(self) -> list[object]:
        if self.file is not None:
            return ["transcribe", self.file, *self.options]
        assert self.job_id is not None, "a case feeds a file or a job"
        return ["resume", self.job_id, *self.options]


@dataclass(frozen=True)
class Case:
    make: Callable[[Path, Path], Feed]
    #: What the user reads, or ``None`` for valid input that must succeed.
    message: str | None
    window: WindowOutcome | None = "failed"  # None: the window has no way to feed it
    window_message: str | None = None  # when the window words it differently
    cli: bool = True
    #: The file is unreadable by permissions, which only bind a process without
    #: root's override (see ``media_files.without_read_override``).
    unreadable: bool = False
    notes: str = field(default="", compare=False)

    @property
    def expected_in_window(self) -> str | None:
        return self.window_message or self.message


# -- builders ---------------------------------------------------------------------------


def not_media(tmp: Path, media: Path) -> Feed:
    (tmp / "notes.txt").write_text("not media at all\n")
    return Feed(file=tmp / "notes.txt")


def renamed_text(tmp: Path, media: Path) -> Feed:
    return Feed(file=text_renamed_as_video(tmp / "holiday.mp4"))


def no_audio(tmp: Path, media: Path) -> Feed:
    return Feed(file=video_without_audio(tmp / "silent film.mp4"))


def zero_bytes(tmp: Path, media: Path) -> Feed:
    (tmp / "empty.wav").write_bytes(b"")
    return Feed(file=tmp / "empty.wav")


def truncated(name: str, suffix: str) -> Callable[[Path, Path], Feed]:
    def make(tmp: Path, media: Path) -> Feed:
        return Feed(file=truncated_copy(media / name, tmp / f"cut{suffix}"))

    return make


def missing(tmp: Path, media: Path) -> Feed:
    return Feed(file=tmp / "nowhere" / "gone.mp4")


def folder(tmp: Path, media: Path) -> Feed:
    (tmp / "a folder.mp4").mkdir()
    return Feed(file=tmp / "a folder.mp4")


def unreadable(tmp: Path, media: Path) -> Feed:
    path = copy_to(media / JFK, tmp / "locked.flac")
    path.chmod(0)
    return Feed(file=path)


def long_path(tmp: Path, media: Path) -> Feed:
    """A file name as long as file systems allow, in folders nested past Windows' old
    260-character limit."""
    where = tmp
    for n in range(3):
        where = where / f"{n} Archive of recorded meetings, interviews and lectures {n}"
    stem = ("Recording of the quarterly all-hands meeting " * 6)[: NAME_MAX - len(".flac")]
    path = copy_to(media / JFK, where / f"{stem}.flac")
    assert len(path.name.encode()) == NAME_MAX and len(str(path)) > 260
    return Feed(file=path, options=("--align-model", "none"))


def non_ascii_path(tmp: Path, media: Path) -> Feed:
    path = copy_to(
        media / JFK, tmp / "Vidéos d'été — 日本語 🎬" / "Interview mit Jürgen, 北京 ☕.flac"
    )
    return Feed(file=path, options=("--align-model", "none"))


def missing_model(tmp: Path, media: Path) -> Feed:
    return Feed(file=copy_to(media / JFK, tmp / "jfk.flac"), options=("--model", "small"))


def bad_setting(tmp: Path, media: Path) -> Feed:
    return Feed(file=copy_to(media / JFK, tmp / "jfk.flac"), options=("--beam-size", "0"))


def _paused_job(tmp: Path, media: Path, *, chunk_done: bool) -> tuple[JobStore, str]:
    """A job that ran its first chunk of JFK's speech and was paused (as a window or a
    Ctrl-C leaves it): ``checkpoint.json`` holds the chunk plan and that chunk's row."""
    store = JobStore()
    source = copy_to(media / JFK, tmp / "speech.flac")
    settings = JobSettings(align_model="none", language="en")
    record = store.create(source, settings, output_path=tmp / "speech.srt")
    record.status, record.phase, record.percent, record.language = (
        JobStatus.PAUSED,
        "transcribe",
        80.0,
        "en",
    )
    store.save(record)
    checkpoint = Checkpoint(
        job_id=record.id,
        segments=[ChunkSpan(0, 0, 11_000)],
        original_settings=settings.to_dict(),
    )
    if chunk_done:
        text = " And so my fellow Americans, ask not what your country can do for you."
        row = {"id": "0_0", "start": 0.3, "end": 10.4, "text": text}
        checkpoint.results[0] = ChunkResult(0, "en", "tiny.en", [row])
    save_checkpoint(store.folder(record.id), checkpoint)
    return store, record.id


def corrupt_checkpoint(tmp: Path, media: Path) -> Feed:
    store, job_id = _paused_job(tmp, media, chunk_done=True)
    (store.folder(job_id) / "checkpoint.json").write_text('{"version": 1, "job_id": "')
    return Feed(job_id=job_id)


def future_job(tmp: Path, media: Path) -> Feed:
    store, job_id = _paused_job(tmp, media, chunk_done=True)
    path = store.folder(job_id) / "job.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["version"] = 99
    path.write_text(json.dumps(data), encoding="utf-8")
    return Feed(job_id=job_id)


def edits_end_before_start(tmp: Path, media: Path) -> Feed:
    """``edits.json`` holding a row that ends before it starts (hand-edited, or written by
    another program): the user's corrections must neither be dropped nor written out."""
    store, job_id = _paused_job(tmp, media, chunk_done=True)
    edits = {
        "version": 1,
        "job_id": job_id,
        "rows": {
            "0_0": {
                "text": "Ask not.",
                "start": 5.0,
                "end": 2.0,
                "changed": ["end", "start", "text"],
                "stage": "unaligned",
            }
        },
        "deleted": {},
        "inserted": [],
    }
    (store.folder(job_id) / "edits.json").write_text(json.dumps(edits), encoding="utf-8")
    return Feed(job_id=job_id)


def typed_end_before_start(tmp: Path, media: Path) -> Feed:
    """In the table, the first row (0.3–10.4 s) gets an end time typed before its start."""
    _, job_id = _paused_job(tmp, media, chunk_done=True)
    return Feed(job_id=job_id, edit=("end", "0:00.100"))


def unknown_job(tmp: Path, media: Path) -> Feed:
    return Feed(job_id="0" * 32)


def malformed_job_id(tmp: Path, media: Path) -> Feed:
    return Feed(job_id="../../etc")


CASES: dict[str, Case] = {
    "not media": Case(not_media, "is not a media file", "refused", "notes.txt"),
    "text renamed .mp4": Case(renamed_text, "is not a media file"),
    "video without audio": Case(no_audio, "has no audio track"),
    "zero bytes": Case(zero_bytes, "is empty (0 bytes)"),
    "truncated flac": Case(truncated(LJ, ".flac"), "appears to be truncated"),
    "truncated mp3": Case(truncated(SONNET, ".mp3"), "appears to be truncated"),
    "truncated mp4": Case(truncated(NASA, ".mp4"), "damaged or incomplete"),
    "missing file": Case(missing, "was not found"),
    "folder": Case(folder, "is a folder", "refused", "a folder.mp4"),
    "unreadable file": Case(unreadable, "permission denied", unreadable=True),
    "very long path": Case(long_path, None, "done"),
    "non-ASCII path": Case(non_ascii_path, None, "done"),
    "missing model": Case(missing_model, "'small' is not on this computer", window=None),
    "impossible setting": Case(bad_setting, "beam size", window=None),
    "corrupt checkpoint": Case(corrupt_checkpoint, "checkpoint"),
    "job.json from the future": Case(future_job, "newer Subtitle Studio", "banner"),
    "edits.json end before start": Case(edits_end_before_start, "must end after it starts"),
    "typed end before start": Case(
        typed_end_before_start, "must end after it starts", "banner", cli=False
    ),
    "unknown job": Case(unknown_job, "There is no job", window=None),
    "malformed job id": Case(malformed_job_id, "is not a job id", window=None),
}


def cli_cases() -> list[str]:
    return [name for name, case in CASES.items() if case.cli]


def window_cases() -> list[str]:
    return [name for name, case in CASES.items() if case.window is not None]


# -- what must not change ---------------------------------------------------------------


def tree_digest(folder: Path) -> str:
    """One hash over every file's name and bytes under ``folder`` (lock files aside)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != ".lock":
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


#: The bystander's own subtitle, inserted by its user: it must reach its subtitle file.
BYSTANDER_LINE = "[the bystander's own line]"


def bystander_job(tmp: Path, media: Path) -> tuple[JobStore, str, str]:
    """Another job, queued with an edit of its user's, and the digest its folder must keep."""
    store = JobStore()
    record = store.create(media / JFK, JobSettings(), output_path=tmp / "other.srt")
    edits = {
        "version": 1,
        "job_id": record.id,
        "rows": {},
        "deleted": {},
        "inserted": [{"id": "new-1", "text": BYSTANDER_LINE, "start": 11.0, "end": 12.0}],
    }
    (store.folder(record.id) / "edits.json").write_text(json.dumps(edits), encoding="utf-8")
    return store, record.id, tree_digest(store.folder(record.id))


def saved_work(store: JobStore, job_id: str) -> dict[str, object]:
    """A job's saved work as comparable values, to prove a failure lost or changed none.

    The user's edits byte for byte; the checkpoint's transcribed rows (its phase may
    move on); and any state file this version cannot read byte for byte, since
    rewriting it (a newer version's ``job.json``, a damaged checkpoint) would lose it.
    """
    folder = store.folder(job_id)
    work: dict[str, object] = {}
    if (folder / "edits.json").exists():
        work["edits.json"] = (folder / "edits.json").read_bytes()
    if (folder / "checkpoint.json").exists():
        try:
            checkpoint = load_checkpoint(folder, job_id)
            work["checkpoint rows"] = checkpoint.rows() if checkpoint else None
        except StudioError:
            work["checkpoint.json"] = (folder / "checkpoint.json").read_bytes()
    try:
        store.get(job_id)
    except StudioError:
        work["job.json"] = (folder / "job.json").read_bytes()
    return work
