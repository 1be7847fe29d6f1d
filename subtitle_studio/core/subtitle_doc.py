"""Editing documents: a subtitle file opened for editing, stored like a finished job.

Opening ``film.srt`` creates a job (``status=done``, ``phase="srt"``) whose
``job.json`` carries a ``document`` record (path, format, encoding, BOM, line ends,
the file's problems, the media beside it) and whose ``aligned.json`` holds the
file's rows. Everything the window does with a job's subtitles then works as is:
the table, ``edits.json`` (saved within a second of each change: the document's
autosave, which survives a crash), undo, export, and ``current_transcript``.

A pristine copy of the opened file is kept in the job folder: it is where the ASS
styles and header come from when saving, however often the file itself has been
overwritten since (rows keep the ids they were given when the copy was read).

No Qt here; the window asks its questions (continue or start again, overwrite the
original) and calls these functions.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, cast

from subtitle_studio.core.alignment import AlignedDoc
from subtitle_studio.core.app_settings import load_defaults
from subtitle_studio.core.jobstore import JobRecord, JobStore
from subtitle_studio.core.media_types import MEDIA_EXTENSIONS
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.subtitle_files import (
    FORMATS,
    FileFormat,
    SubtitleTemplate,
    TimedText,
    read_subtitles,
    write_subtitles,
)
from subtitle_studio.core.subtitle_rules import CJK_RANGES
from subtitle_studio.errors import StorageError, StudioError, SubtitleFileError

log = logging.getLogger(__name__)

#: ``aligned.json``'s aligner for rows read from a file.
FILE_ALIGNER = "file"
#: The pristine copy of the opened file inside the job folder (its suffix follows).
ORIGINAL_STEM = "original"


def _same_path(a: str | Path, b: str | Path) -> bool:
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def media_beside(path: Path) -> Path | None:
    """A video or audio file with the subtitle file's stem in the same folder, if any
    (``film.srt`` → ``film.mp4``; also ``film.en.srt`` → ``film.mp4``)."""
    stems = [path.stem]
    if "." in path.stem:
        stems.append(path.stem.split(".", 1)[0])
    try:
        siblings = sorted(p for p in path.parent.iterdir() if p.is_file())
    except OSError:
        return None
    for stem in stems:
        for sibling in siblings:
            if sibling.stem == stem and sibling.suffix.lower() in MEDIA_EXTENSIONS:
                return sibling
    return None


def guess_language(texts: Iterable[str]) -> str | None:
    """``"zh"`` when CJK characters are most of the letters, else ``None`` (unknown)."""
    cjk = other = 0
    for text in texts:
        for char in text:
            if not char.isalpha():
                continue
            code = ord(char)
            if any(lo <= code <= hi for lo, hi in CJK_RANGES):
                cjk += 1
            else:
                other += 1
    return "zh" if cjk and cjk >= other else None


def _opened_from(record: JobRecord, path: Path) -> bool:
    """Whether the editing document ``record`` was opened from, or saves to, ``path``."""
    document = record.document or {}
    return _same_path(str(document.get("opened", document.get("path"))), path) or _same_path(
        str(document.get("path")), path
    )


def find_document(store: JobStore, path: Path) -> JobRecord | None:
    """The newest editing document opened from ``path``, or ``None``."""
    found = [r for r in store.list() if r.document is not None and _opened_from(r, path)]
    return found[-1] if found else None


def open_subtitle_file(store: JobStore, path: Path, *, start_again: bool = False) -> JobRecord:
    """The editing document of the subtitle file at ``path``.

    An existing document of the same file is returned as it is (the user's work goes on)
    unless ``start_again``; otherwise the file is read (``SubtitleFileError`` when it
    cannot be) and a new document is created from it. Starting again replaces the
    earlier documents of that file: once the new one exists they are deleted, so the
    job list does not keep a stale copy (one being aligned right now is kept).
    """
    path = Path(path).expanduser().absolute()
    earlier = [r for r in store.list() if r.document is not None and _opened_from(r, path)]
    if not start_again and earlier:
        return earlier[-1]
    opened = read_subtitles(path)
    media = media_beside(path)
    language = guess_language(row["text"] for row in opened.rows)
    record = store.create(media or path, load_defaults(store.home), output_path=path)
    folder = store.folder(record.id)
    original = folder / f"{ORIGINAL_STEM}{path.suffix.lower() or '.' + opened.format}"
    try:
        shutil.copyfile(path, original)
    except OSError as exc:
        store.delete(record.id)
        raise StorageError.from_oserror(exc, folder) from exc
    segments = [{**row, "source_id": row["id"]} for row in opened.rows]
    AlignedDoc(record.id, language or "", FILE_ALIGNER, segments).save(folder)
    record.status = JobStatus.DONE
    record.phase = "srt"
    record.percent = 100.0
    record.language = language
    record.document = {
        "path": str(path),
        "opened": str(path),
        "original": original.name,
        "format": opened.format,
        "encoding": opened.encoding,
        "bom": opened.bom,
        "newline": opened.newline,
        "problems": [p.saved() for p in opened.problems],
        "media": str(media) if media else None,
        "overwrite_confirmed": False,
    }
    store.save(record)
    log.info("opened %s for editing as job %s (%d rows)", path, record.id, len(segments))
    for stale in earlier:
        try:
            store.delete(stale.id)
            log.info("started %s again: its earlier document %s is deleted", path, stale.id)
        except StudioError as exc:
            log.warning("the earlier document %s of %s stays: %s", stale.id, path, exc)
    return record


def needs_overwrite_confirmation(record: JobRecord, path: Path | None = None) -> bool:
    """Saving to ``path`` (the document's own path when ``None``) would replace the file
    the document was opened from, and the user has not agreed to that yet."""
    document = record.document or {}
    target = path or Path(document["path"])
    return (
        _same_path(target, document.get("opened", document["path"]))
        and target.exists()
        and not document.get("overwrite_confirmed", False)
    )


def _template(store: JobStore, record: JobRecord, fmt: FileFormat) -> SubtitleTemplate | None:
    """The opened file's styles and header (ASS) or WebVTT header, when saving to a
    format of the same family."""
    document = record.document or {}
    source_format = document.get("format")
    same_family = (fmt in ("ass", "ssa")) == (source_format in ("ass", "ssa"))
    if not same_family or fmt == "srt":
        return None
    copy = store.folder(record.id) / str(document.get("original", ""))
    try:
        return read_subtitles(copy, format=source_format).template
    except SubtitleFileError as exc:
        log.warning("the styles of %s could not be read again: %s", copy, exc)
        return None


def save_document(
    store: JobStore,
    record: JobRecord,
    rows: Iterable[Mapping[str, Any] | TimedText],
    *,
    path: Path | None = None,
    format: FileFormat | None = None,
    encoding: str | None = None,
    overwrite_confirmed: bool = False,
) -> Path:
    """Write the document's rows to its file (or, Save As, to ``path`` in ``format``) in
    the encoding, BOM and line ends it was opened with, keeping ASS styles; the record
    then names the file saved. Returns the path written.

    ``SubtitleFileError`` for characters the encoding cannot store (nothing written)."""
    if record.document is None:
        raise SubtitleFileError("This job was not opened from a subtitle file.")
    document = dict(record.document)
    target = Path(path or document["path"]).expanduser().absolute()
    if format is None:
        suffix = target.suffix.lower().lstrip(".")
        same = _same_path(target, document["path"])
        format = document["format"] if same or suffix not in FORMATS else cast(FileFormat, suffix)
    if format not in FORMATS:
        raise SubtitleFileError(
            "{format} is not a subtitle format Subtitle Studio saves.", format=f"{format!r}"
        )
    chosen = encoding or document["encoding"]
    write_subtitles(
        target,
        rows,
        format=format,
        encoding=chosen,
        bom=bool(document.get("bom")) if encoding is None else False,
        newline=document.get("newline", "\n"),
        template=_template(store, record, format),
    )
    if overwrite_confirmed and _same_path(target, document.get("opened", document["path"])):
        document["overwrite_confirmed"] = True
    if not _same_path(target, document["path"]) or format != document["format"]:
        document.update(path=str(target), format=format)
    document["encoding"] = chosen
    if encoding is not None:  # a chosen encoding carries its own mark ("utf-8-sig", "utf-16")
        document["bom"] = False
    record.document = document
    record.output_path = str(target)
    store.save(record)
    log.info("saved %s as %s (%s)", target, format, chosen)
    return target
