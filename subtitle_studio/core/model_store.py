"""Models on disk: what is there, whether it is whole, and the record that says so.

Each model lives in its own folder under ``<home>/models`` (``whisper/<name>`` or
``align/<language>``). Two hidden files tell its story:

- ``.download/plan.json`` while a download is unfinished: the remote files with their
  sizes and hashes, the pinned revision, and the last error. Partial files sit beside
  it as ``<name>.part`` so an interrupted download resumes where it stopped.
- ``.manifest.json`` once the model is whole: every file's size and hash (the Hub's
  sha256 for large files, its git blob sha1 for small ones, our own sha256 for an
  imported folder) and the size and modification time at which each file was last
  hashed. Start-up compares sizes and times only; a file is hashed again only when
  it changed, so launching never re-reads gigabytes.

A model counts as ready only with a manifest whose every file is present with the
recorded size (and hash, when the file changed). Nothing here touches the network.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from subtitle_studio.core import paths
from subtitle_studio.core.atomic import read_json, write_json_atomic
from subtitle_studio.core.model_catalog import WHISPER, CatalogEntry, required_local_files
from subtitle_studio.errors import Message, ModelError, StorageError, StudioError

log = logging.getLogger(__name__)

MANIFEST = ".manifest.json"
DOWNLOAD_DIR = ".download"
PLAN = "plan.json"
PART_SUFFIX = ".part"
MANIFEST_VERSION = 1

READY = "ready"
INCOMPLETE = "incomplete"
DOWNLOADING = "downloading"
MISSING = "missing"
FAILED = "failed"
STATES = (READY, INCOMPLETE, DOWNLOADING, MISSING, FAILED)

_HASH_BLOCK = 4 * 1024 * 1024
_HASHES = ("sha256", "git_sha1")
#: Larger than any file a file system can hold: a record saying so is damaged.
_MAX_FILE_SIZE = 2**63
#: A faster-whisper model.bin starts with CTranslate2's binary version, then the spec name.
_CT2_WHISPER_SPEC = b"WhisperSpec"


#: The longest file name (one path part) the common file systems take, in UTF-8 bytes.
_MAX_NAME_BYTES = 255


def is_safe_name(name: object) -> bool:
    """A model file's name as the Hub lists it (``model.bin``, ``sub/config.json``) that
    stays inside the model's folder on every system. A damaged record or a hostile
    mirror could name ``../../x``, an absolute path or something too long to open."""
    if not isinstance(name, str) or not name or "\0" in name or "\\" in name:
        return False
    parts = name.split("/")
    return not (
        name.startswith("/")
        or ":" in parts[0]  # a Windows drive (C:...)
        or any(part in ("", ".", "..") for part in parts)
        or any(len(part.encode("utf-8", "surrogatepass")) > _MAX_NAME_BYTES for part in parts)
    )


@dataclass(frozen=True)
class RemoteFile:
    """One file of a model as the server describes it."""

    name: str
    size: int
    url: str
    sha256: str | None = None  # the Hub's LFS hash
    git_sha1: str | None = None  # the Hub's git blob id, for files kept in git

    def __post_init__(self) -> None:
        if not is_safe_name(self.name):
            raise ValueError(f"{self.name!r} is not a file name a model folder can hold")

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "size": self.size,
            "url": self.url,
            "sha256": self.sha256,
            "git_sha1": self.git_sha1,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RemoteFile:
        if not isinstance(data, dict):
            raise TypeError("a file record is not an object")
        sha256, git_sha1 = data.get("sha256"), data.get("git_sha1")
        if not all(value is None or isinstance(value, str) for value in (sha256, git_sha1)):
            raise TypeError("a file hash is not text")
        name = data["name"]
        if not isinstance(name, str):
            raise TypeError("a file name is not text")
        size = int(data["size"])
        if not 0 <= size < _MAX_FILE_SIZE:
            raise ValueError(f"a file size of {size} bytes is impossible")
        return cls(name, size, str(data.get("url", "")), sha256, git_sha1)


@dataclass(frozen=True)
class DownloadPlan:
    """What a download fetches; saved so a resumed download asks for the same revision."""

    model_id: str
    revision: str
    files: tuple[RemoteFile, ...]

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {
            "model_id": self.model_id,
            "revision": self.revision,
            "files": [f.to_dict() for f in self.files],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DownloadPlan:
        return cls(
            str(data["model_id"]),
            str(data.get("revision", "")),
            tuple(RemoteFile.from_dict(f) for f in data["files"]),
        )


@dataclass(frozen=True)
class ModelStatus:
    """A model's state in plain words, as ``models list`` and the Models dialog show it."""

    model_id: str
    state: str
    #: English; a ``Message`` when the window can show it translated.
    detail: str = ""
    path: Path | None = None
    origin: str = ""  # "home", "bundled", "cache" (another program's download) or ""
    present_bytes: int = 0
    total_bytes: int | None = None
    missing: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "model_id": self.model_id,
            "state": self.state,
            "detail": self.detail,
            "path": str(self.path) if self.path else None,
            "origin": self.origin,
            "present_bytes": self.present_bytes,
            "total_bytes": self.total_bytes,
            "missing": list(self.missing),
        }


# ------------------------------------------------------------------ hashing


def file_sha256(path: Path, check: Callable[[], None] | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(_HASH_BLOCK):
            digest.update(block)
            if check is not None:
                check()
    return digest.hexdigest()


def file_git_sha1(path: Path) -> str:
    """The git blob id of a file: how the Hub names files that are not in LFS."""
    digest = hashlib.sha1(b"blob %d\0" % path.stat().st_size)  # noqa: S324 - git's id, not security
    with path.open("rb") as stream:
        while block := stream.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def hash_matches(path: Path, sha256: str | None, git_sha1: str | None) -> bool:
    """Whether ``path`` has the expected hash (``True`` when no hash is known)."""
    if sha256:
        return file_sha256(path) == sha256.lower()
    if git_sha1:
        return file_git_sha1(path) == git_sha1.lower()
    return True


def _stat_key(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def human_bytes(count: int | None) -> str:
    if count is None:
        return Message("unknown size")
    size = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"


NOT_DOWNLOADED = Message("not downloaded")


def _needs_repair(missing: list[str], damaged: list[str]) -> Message:
    """What Repair will fetch again, named file by file."""
    missing_text, damaged_text = Message.joined(missing, ", "), Message.joined(damaged, ", ")
    if missing and damaged:
        return Message(
            "missing or short: {missing}; damaged (checksum differs): {damaged}. "
            "Repair downloads them again.",
            missing=missing_text,
            damaged=damaged_text,
        )
    if missing:
        return Message(
            "missing or short: {missing}. Repair downloads them again.", missing=missing_text
        )
    return Message(
        "damaged (checksum differs): {damaged}. Repair downloads them again.",
        damaged=damaged_text,
    )


def _saved_error(saved: object) -> str:
    """The reason a download failed, as ``save_plan`` kept it (an older version kept
    only the English message); "" when none was kept."""
    if isinstance(saved, dict) and isinstance(saved.get("template"), str):
        params = saved.get("params")
        if isinstance(params, dict):
            try:
                return Message.filled(saved["template"], params)
            except (KeyError, IndexError, ValueError):
                pass
        return str(saved.get("message") or "")
    return str(saved or "")


# ------------------------------------------------------------------ the store


class ModelStore:
    """The models folder of one home: status, manifests, plans, import and delete."""

    def __init__(self, home: Path | None = None) -> None:
        self.root = paths.models_dir(home)

    def folder(self, entry: CatalogEntry) -> Path:
        kind, name = entry.folder_parts
        return self.root / kind / name

    def download_dir(self, entry: CatalogEntry) -> Path:
        return self.folder(entry) / DOWNLOAD_DIR

    def part_path(self, entry: CatalogEntry, name: str) -> Path:
        return self.download_dir(entry) / (name.replace("/", "__") + PART_SUFFIX)

    # ------------------------------------------------------------ status

    def inspect(self, entry: CatalogEntry, *, deep: bool = False) -> ModelStatus:
        """The state of the model's own folder.

        ``deep`` hashes every file (``models verify``); otherwise only files whose
        size or modification time changed since they were last verified are hashed.
        """
        folder = self.folder(entry)
        manifest = self._read_manifest(folder)
        if manifest is not None:
            return self._check_manifest(entry, folder, manifest, deep=deep)
        plan_data = self._read(self.download_dir(entry) / PLAN)
        if plan_data is not None:
            return self._unfinished(entry, folder, plan_data)
        if folder.is_dir() and any(p.name not in (DOWNLOAD_DIR,) for p in folder.iterdir()):
            return ModelStatus(
                entry.model_id,
                INCOMPLETE,
                Message(
                    "files are present but were never checked; Repair downloads what is "
                    "missing or damaged"
                ),
                folder,
                "home",
            )
        return ModelStatus(entry.model_id, MISSING, NOT_DOWNLOADED, None, "")

    def verify(self, entry: CatalogEntry) -> ModelStatus:
        return self.inspect(entry, deep=True)

    def _check_manifest(
        self, entry: CatalogEntry, folder: Path, manifest: dict[str, Any], *, deep: bool
    ) -> ModelStatus:
        files = manifest.get("files", [])
        total = sum(int(f.get("size", 0)) for f in files)
        missing: list[str] = []
        damaged: list[str] = []
        present = 0
        changed = False
        for record in files:
            name = str(record["name"])
            path = folder / name
            size = int(record["size"])
            if not path.is_file():
                missing.append(name)
                continue
            actual = path.stat().st_size
            present += min(actual, size)
            if actual != size:
                missing.append(
                    Message(
                        "{name} ({present} of {size})",
                        name=name,
                        present=human_bytes(actual),
                        size=human_bytes(size),
                    )
                )
                continue
            if deep or record.get("verified") != _stat_key(path):
                if not hash_matches(path, record.get("sha256"), record.get("git_sha1")):
                    damaged.append(name)
                    continue
                record["verified"] = _stat_key(path)
                changed = True
        if changed and not missing and not damaged:
            manifest["verified_at"] = time.time()
            self._write_manifest(folder, manifest)
        if missing or damaged:
            return ModelStatus(
                entry.model_id,
                INCOMPLETE,
                _needs_repair(missing, damaged),
                folder,
                "home",
                present,
                total,
                tuple(missing + damaged),
            )
        size_text = human_bytes(total)
        detail = (
            Message("imported, {size}", size=size_text)
            if manifest.get("imported_from")
            else Message("downloaded, {size}", size=size_text)
        )
        return ModelStatus(entry.model_id, READY, detail, folder, "home", total, total)

    def _unfinished(
        self, entry: CatalogEntry, folder: Path, plan_data: dict[str, Any]
    ) -> ModelStatus:
        try:
            plan = DownloadPlan.from_dict(plan_data)
        except (KeyError, TypeError, ValueError):
            return ModelStatus(
                entry.model_id,
                INCOMPLETE,
                Message("an unfinished download; Repair starts it again"),
            )
        present = 0
        missing = []
        for remote in plan.files:
            done = folder / remote.name
            part = self.part_path(entry, remote.name)
            if done.is_file() and done.stat().st_size == remote.size:
                present += remote.size
                continue
            missing.append(remote.name)
            if part.is_file():
                present += min(part.stat().st_size, remote.size)
        error = _saved_error(plan_data.get("error"))
        if not plan.files:  # failed before the file list was known
            if error:
                return ModelStatus(entry.model_id, FAILED, error, folder, "home", 0, None)
            return ModelStatus(entry.model_id, MISSING, NOT_DOWNLOADED)
        present_text, total_text = human_bytes(present), human_bytes(plan.total_bytes)
        if error:
            return ModelStatus(
                entry.model_id,
                FAILED,
                Message(
                    "{error} ({present} of {total} downloaded; downloading again resumes)",
                    error=error,
                    present=present_text,
                    total=total_text,
                ),
                folder,
                "home",
                present,
                plan.total_bytes,
                tuple(missing),
            )
        return ModelStatus(
            entry.model_id,
            INCOMPLETE,
            Message(
                "download stopped: {present} of {total} downloaded; downloading again resumes",
                present=present_text,
                total=total_text,
            ),
            folder,
            "home",
            present,
            plan.total_bytes,
            tuple(missing),
        )

    # ------------------------------------------------------------ records

    def save_plan(
        self, entry: CatalogEntry, plan: DownloadPlan, error: StudioError | None = None
    ) -> None:
        data = plan.to_dict()
        if error is not None:
            data["error"] = error.to_dict()
        self._write(self.download_dir(entry) / PLAN, data)

    def load_plan(self, entry: CatalogEntry) -> DownloadPlan | None:
        """The saved plan of an unfinished download; ``None`` without one (or with only a
        failure recorded before the file list was known)."""
        data = self._read(self.download_dir(entry) / PLAN)
        try:
            plan = DownloadPlan.from_dict(data) if data is not None else None
        except (KeyError, TypeError, ValueError):
            return None
        return plan if plan is not None and plan.files else None

    def record_failure(self, entry: CatalogEntry, error: StudioError) -> None:
        """Remember why the last download failed (shown as ``failed``, with the reason),
        also when it failed before the file list was known."""
        plan = self.load_plan(entry) or DownloadPlan(entry.model_id, "", ())
        self.save_plan(entry, plan, error)

    def clear_failure(self, entry: CatalogEntry) -> None:
        plan = self.load_plan(entry)
        if plan is not None:
            self.save_plan(entry, plan)

    def complete_download(self, entry: CatalogEntry, plan: DownloadPlan) -> ModelStatus:
        """Write the manifest of a fully downloaded and hashed model and drop the plan."""
        folder = self.folder(entry)
        manifest = {
            "version": MANIFEST_VERSION,
            "model_id": entry.model_id,
            "kind": entry.kind,
            "repo": entry.repo,
            "revision": plan.revision,
            "completed_at": time.time(),
            "files": [
                {
                    "name": f.name,
                    "size": f.size,
                    "sha256": f.sha256,
                    "git_sha1": f.git_sha1,
                    "verified": _stat_key(folder / f.name),
                }
                for f in plan.files
            ],
        }
        self._write_manifest(folder, manifest)
        shutil.rmtree(self.download_dir(entry), ignore_errors=True)
        return self.inspect(entry)

    def delete(self, entry: CatalogEntry) -> None:
        folder = self.folder(entry)
        if not folder.exists():
            return
        # Rename first so a half-deleted folder never looks like a model.
        doomed = folder.with_name(f".deleting-{folder.name}-{uuid.uuid4().hex[:8]}")
        try:
            folder.rename(doomed)
        except OSError as exc:
            raise StorageError.from_oserror(exc, folder) from exc
        shutil.rmtree(doomed, ignore_errors=True)

    # ------------------------------------------------------------ import

    def import_folder(
        self, entry: CatalogEntry, source: Path, check: Callable[[], None] | None = None
    ) -> ModelStatus:
        """Validate ``source`` as ``entry``'s kind of model and copy it in.

        The copy is built under a temporary name and renamed into place, so an
        interrupted import leaves the previous state, never a half model.
        """
        names = validate_folder(entry, source)
        target = self.folder(entry)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = target.with_name(f".import-{target.name}-{uuid.uuid4().hex[:8]}")
        try:
            staging.mkdir()
            records = []
            for name in names:
                shutil.copyfile(source / name, staging / name)
                if check is not None:
                    check()
                records.append(
                    {
                        "name": name,
                        "size": (staging / name).stat().st_size,
                        "sha256": file_sha256(staging / name, check),
                        "git_sha1": None,
                        "verified": _stat_key(staging / name),
                    }
                )
            self._write_manifest(
                staging,
                {
                    "version": MANIFEST_VERSION,
                    "model_id": entry.model_id,
                    "kind": entry.kind,
                    "repo": entry.repo,
                    "revision": "",
                    "imported_from": str(source),
                    "completed_at": time.time(),
                    "files": records,
                },
            )
            if target.exists():
                self.delete(entry)
            staging.rename(target)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise StorageError.from_oserror(exc, target) from exc
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        log.info("imported %s from %s", entry.model_id, source)
        return self.inspect(entry)

    # ------------------------------------------------------------ files

    @staticmethod
    def _read(path: Path) -> dict[str, Any] | None:
        try:
            data = read_json(path)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable %s: %s", path, exc)
            return None
        return data if isinstance(data, dict) else None

    def _read_manifest(self, folder: Path) -> dict[str, Any] | None:
        data = self._read(folder / MANIFEST)
        if data is None or not isinstance(data.get("files"), list):
            return None
        if not all(_valid_record(record) for record in data["files"]):
            log.warning("ignoring the damaged %s", folder / MANIFEST)
            return None
        return data

    @staticmethod
    def _write(path: Path, data: dict[str, Any]) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_json_atomic(path, data)
        except OSError as exc:
            raise StorageError.from_oserror(exc, path) from exc

    def _write_manifest(self, folder: Path, manifest: dict[str, Any]) -> None:
        self._write(folder / MANIFEST, manifest)


def _valid_record(record: Any) -> bool:
    """A manifest's file record that ``_check_manifest`` can check."""
    return (
        isinstance(record, dict)
        and is_safe_name(record.get("name"))
        and type(record.get("size")) is int
        and 0 <= record["size"] < _MAX_FILE_SIZE
        and all(record.get(key) is None or isinstance(record[key], str) for key in _HASHES)
    )


def validate_folder(entry: CatalogEntry, source: Path) -> list[str]:
    """The files of ``source`` to import as ``entry``, or a ``ModelError`` saying why not."""
    if not source.is_dir():
        raise ModelError(
            "{source} is not a folder. Choose the folder that holds the model.", source=source
        )
    names = sorted(p.name for p in source.iterdir() if p.is_file() and not p.name.startswith("."))
    missing = required_local_files(entry, names)
    if missing:
        if entry.kind == WHISPER:
            raise ModelError(
                "{source} is not a complete faster-whisper model ({model_id}): "
                "it has no {missing}.",
                source=source,
                model_id=entry.model_id,
                missing=", ".join(missing),
            )
        raise ModelError(
            "{source} is not a complete alignment model for '{language}': it has no {missing}.",
            source=source,
            language=entry.languages[0],
            missing=", ".join(missing),
        )
    wanted = [n for n in names if entry.wants(n, names)]
    empty = [n for n in wanted if (source / n).stat().st_size == 0]
    if empty:
        raise ModelError(
            "{source} is broken: {empty} is empty (0 bytes).", source=source, empty=", ".join(empty)
        )
    for name in (n for n in wanted if n.endswith(".json")):
        try:
            json.loads((source / name).read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError) as exc:
            raise ModelError(
                "{source} is broken: {name} is not valid JSON ({error}).",
                source=source,
                name=name,
                error=exc,
            ) from exc
    if entry.kind == WHISPER:
        _check_whisper_weights(entry, source / "model.bin")
    return wanted


def _check_whisper_weights(entry: CatalogEntry, model_bin: Path) -> None:
    """Refuse a model.bin that is not a CTranslate2 Whisper model, or clearly another size."""
    with model_bin.open("rb") as stream:
        head = stream.read(64)
    if _CT2_WHISPER_SPEC not in head[:32]:
        raise ModelError(
            "{model_bin} is not a faster-whisper (CTranslate2) Whisper model. "
            "Convert it with ct2-transformers-converter, or download the model instead.",
            model_bin=model_bin,
        )
    size = model_bin.stat().st_size
    expected = entry.approx_bytes
    if expected and not 0.75 * expected <= size <= 1.25 * expected:
        raise ModelError(
            "{model_bin} is {size}, but {model_id}'s model.bin is about "
            "{expected}: this folder holds another model. "
            "Choose the matching model name.",
            model_bin=model_bin,
            size=human_bytes(size),
            model_id=entry.model_id,
            expected=human_bytes(expected),
        )


def guess_entry(catalog: Iterable[CatalogEntry], source: Path) -> CatalogEntry | None:
    """Which catalogue model a folder holds, from its name or a Hub cache path.

    ``faster-whisper-small``, ``small`` and ``…/models--Systran--faster-whisper-small/
    snapshots/<sha>`` all name ``small``. Returns ``None`` when nothing matches.
    """
    entries = list(catalog)
    for name in [source.name, *(p.name for p in source.parents)][:4]:
        for entry in entries:
            repo_name = entry.repo.split("/")[-1]
            cache_name = "models--" + entry.repo.replace("/", "--")
            if name in (entry.model_id, repo_name, cache_name):
                return entry
    return None
