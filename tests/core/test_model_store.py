"""The model store's rules, on small generated files: what counts as ready, what start-up
hashes, what verify catches, and which folders import refuses."""

from __future__ import annotations

import hashlib
import json
import os
import struct
from pathlib import Path

import pytest

from subtitle_studio.core import model_store as store_mod
from subtitle_studio.core.model_catalog import (
    WHISPER_CATALOG,
    build_catalog,
    find_entry,
)
from subtitle_studio.core.model_store import (
    FAILED,
    INCOMPLETE,
    MISSING,
    READY,
    DownloadPlan,
    ModelStore,
    RemoteFile,
    file_git_sha1,
    guess_entry,
    validate_folder,
)
from subtitle_studio.errors import Message, ModelError

TINY = find_entry(WHISPER_CATALOG, "tiny")
assert TINY is not None


def _fake_whisper_folder(folder: Path, model_bytes: int = 75_000_000) -> Path:
    """A folder shaped like a faster-whisper model (a sparse model.bin of the right size)."""
    folder.mkdir(parents=True)
    head = struct.pack("<IH", 6, 12) + b"WhisperSpec\0"
    with (folder / "model.bin").open("wb") as stream:
        stream.write(head)
        stream.truncate(model_bytes)
    (folder / "config.json").write_text(json.dumps({"lang_ids": [1, 2]}))
    (folder / "tokenizer.json").write_text("{}")
    (folder / "vocabulary.txt").write_text("a\nb\n")
    return folder


def _complete(store: ModelStore, folder: Path, names: list[str]) -> None:
    files = []
    for name in names:
        data = (folder / name).read_bytes()
        files.append(
            RemoteFile(name, len(data), f"http://x/{name}", sha256=hashlib.sha256(data).hexdigest())
        )
    store.complete_download(TINY, DownloadPlan("tiny", "abc", tuple(files)))


def _small_model(store: ModelStore) -> Path:
    folder = store.folder(TINY)
    folder.mkdir(parents=True)
    (folder / "model.bin").write_bytes(os.urandom(50_000))
    (folder / "config.json").write_text("{}")
    _complete(store, folder, ["model.bin", "config.json"])
    return folder


def test_a_model_is_missing_until_something_is_there(tmp_path: Path) -> None:
    assert ModelStore(tmp_path).inspect(TINY).state == MISSING


def test_a_completed_download_is_ready_and_start_up_does_not_hash_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ModelStore(tmp_path)
    _small_model(store)
    hashed: list[Path] = []
    real = store_mod.file_sha256
    monkeypatch.setattr(store_mod, "file_sha256", lambda p, c=None: hashed.append(p) or real(p))
    status = store.inspect(TINY)
    assert status.state == READY
    assert status.present_bytes == status.total_bytes == 50_002
    assert hashed == []  # unchanged size and time: nothing re-read
    assert store.verify(TINY).state == READY
    assert len(hashed) == 2  # verify reads everything


def test_a_file_changed_in_place_is_hashed_and_reported_damaged(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    folder = _small_model(store)
    with (folder / "model.bin").open("r+b") as stream:
        stream.seek(20_000)
        stream.write(b"\0\1\2\3")
    status = store.inspect(TINY)  # the time changed, so the quick check hashes it
    assert status.state == INCOMPLETE
    assert "damaged" in status.detail and "model.bin" in status.detail


def test_a_touched_but_unchanged_file_stays_ready_and_is_remembered(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    folder = _small_model(store)
    os.utime(folder / "model.bin", ns=(1, 1))
    assert store.inspect(TINY).state == READY
    manifest = json.loads((folder / store_mod.MANIFEST).read_text())
    record = next(f for f in manifest["files"] if f["name"] == "model.bin")
    assert record["verified"] == [50_000, 1]


def test_a_truncated_or_removed_file_makes_the_model_incomplete(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    folder = _small_model(store)
    with (folder / "model.bin").open("r+b") as stream:
        stream.truncate(10_000)
    status = store.inspect(TINY)
    assert status.state == INCOMPLETE
    assert status.missing and status.missing[0].startswith("model.bin")
    (folder / "config.json").unlink()
    assert "config.json" in store.inspect(TINY).detail


def test_an_unfinished_download_says_how_far_it_got_and_a_failure_says_why(
    tmp_path: Path,
) -> None:
    store = ModelStore(tmp_path)
    plan = DownloadPlan(
        "tiny", "abc", (RemoteFile("model.bin", 1000, "u"), RemoteFile("config.json", 10, "u"))
    )
    store.save_plan(TINY, plan)
    store.part_path(TINY, "model.bin").write_bytes(b"x" * 400)
    status = store.inspect(TINY)
    assert status.state == INCOMPLETE
    assert status.present_bytes == 400 and status.total_bytes == 1010
    store.record_failure(TINY, ModelError("Could not reach {host}", host="hub.example"))
    failed = store.inspect(TINY)
    assert failed.state == FAILED and "Could not reach hub.example" in failed.detail
    assert failed.detail == (
        "Could not reach hub.example (400 B of 1.0 KB downloaded; downloading again resumes)"
    )
    # The reason keeps its template, so the window can show the whole detail translated.
    assert isinstance(failed.detail, Message)
    reason = failed.detail.params["error"]
    assert isinstance(reason, Message) and reason.template == "Could not reach {host}"
    store.clear_failure(TINY)
    assert store.inspect(TINY).state == INCOMPLETE


def test_a_failure_recorded_by_an_older_version_is_still_shown(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    plan = DownloadPlan("tiny", "abc", (RemoteFile("model.bin", 1000, "u"),))
    store.save_plan(TINY, plan)
    saved = store.download_dir(TINY) / store_mod.PLAN
    data = json.loads(saved.read_text(encoding="utf-8"))
    saved.write_text(json.dumps({**data, "error": "Could not reach the server"}), "utf-8")
    failed = store.inspect(TINY)
    assert failed.state == FAILED
    assert str(failed.detail).startswith("Could not reach the server (0 B of 1.0 KB downloaded")


def test_files_without_a_record_are_not_ready(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    _fake_whisper_folder(store.folder(TINY))
    assert store.inspect(TINY).state == INCOMPLETE


def test_import_copies_hashes_and_makes_the_model_ready(tmp_path: Path) -> None:
    source = _fake_whisper_folder(tmp_path / "faster-whisper-tiny")
    (source / "README.md").write_text("not needed")
    store = ModelStore(tmp_path / "home")
    status = store.import_folder(TINY, source)
    assert status.state == READY
    copied = sorted(p.name for p in store.folder(TINY).iterdir())
    assert copied == [
        store_mod.MANIFEST,
        "config.json",
        "model.bin",
        "tokenizer.json",
        "vocabulary.txt",
    ]
    assert store.verify(TINY).state == READY
    assert not [p for p in store.folder(TINY).parent.iterdir() if p.name.startswith(".import")]


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda f: (f / "config.json").unlink(), "no config.json"),
        (lambda f: (f / "vocabulary.txt").unlink(), "vocabulary.txt or vocabulary.json"),
        (lambda f: (f / "config.json").write_text("{not json"), "not valid JSON"),
        (lambda f: (f / "tokenizer.json").write_text(""), "tokenizer.json is empty"),
        (lambda f: (f / "model.bin").write_bytes(b"PK\3\4" * 100), "not a faster-whisper"),
        (
            lambda f: (f / "model.bin").open("r+b").truncate(484_000_000),
            "holds another model",
        ),
    ],
)
def test_import_refuses_a_broken_folder_with_the_reason(
    tmp_path: Path, damage, reason: str
) -> None:
    source = _fake_whisper_folder(tmp_path / "tiny")
    damage(source)
    store = ModelStore(tmp_path / "home")
    with pytest.raises(ModelError, match=reason):
        store.import_folder(TINY, source)
    assert store.inspect(TINY).state == MISSING


def test_import_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"x")
    with pytest.raises(ModelError, match="not a folder"):
        validate_folder(TINY, tmp_path / "model.bin")


def test_delete_removes_the_whole_folder(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    _small_model(store)
    store.delete(TINY)
    assert store.inspect(TINY).state == MISSING
    assert list(store.folder(TINY).parent.iterdir()) == []


def test_guess_entry_reads_folder_names_and_hub_cache_paths(tmp_path: Path) -> None:
    catalog = WHISPER_CATALOG
    assert guess_entry(catalog, tmp_path / "small.en").model_id == "small.en"  # type: ignore[union-attr]
    assert guess_entry(catalog, tmp_path / "faster-whisper-base").model_id == "base"  # type: ignore[union-attr]
    snapshot = tmp_path / "models--Systran--faster-whisper-medium" / "snapshots" / "abc123"
    assert guess_entry(catalog, snapshot).model_id == "medium"  # type: ignore[union-attr]
    assert guess_entry(catalog, tmp_path / "my-model") is None


def test_git_blob_id_matches_git(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"hello\n")
    # `printf 'hello\n' | git hash-object --stdin`
    assert file_git_sha1(tmp_path / "f") == "ce013625030ba8dba906f756967f9e9ca394464a"


def test_catalog_has_the_issue_models_and_one_aligner_per_language() -> None:
    catalog = build_catalog(
        {
            "en": ("torchaudio", "WAV2VEC2_ASR_BASE_960H"),
            "ja": ("huggingface", "jonatasgrosman/wav2vec2-large-xlsr-53-japanese"),
            "xx": ("torchaudio", "SOME_UNKNOWN_BUNDLE"),
        }
    )
    names = [e.model_id for e in catalog]
    for wanted in (
        "tiny",
        "tiny.en",
        "base",
        "base.en",
        "small",
        "small.en",
        "medium",
        "medium.en",
        "large-v2",
        "large-v3",
        "large-v3-turbo",
        "distil-large-v3",
    ):
        assert wanted in names
    assert names[-2:] == ["align-en", "align-ja"]  # the unknown bundle is left out
    english = find_entry(catalog, "align-en")
    assert english is not None and english.checkpoint.endswith(".pth")


def test_aligner_download_takes_one_copy_of_the_weights() -> None:
    entry = build_catalog({"ja": ("huggingface", "x/y")})[-1]
    files = ["config.json", "model.safetensors", "pytorch_model.bin", "vocab.json", "tf_model.h5"]
    assert [f for f in files if entry.wants(f, files)] == [
        "config.json",
        "model.safetensors",
        "vocab.json",
    ]


def test_a_failure_before_the_file_list_is_known_is_remembered_but_not_a_plan(
    tmp_path: Path,
) -> None:
    store = ModelStore(tmp_path)
    store.record_failure(TINY, ModelError("huggingface.co could not be reached"))
    status = store.inspect(TINY)
    assert status.state == FAILED and "could not be reached" in status.detail
    assert store.load_plan(TINY) is None  # the next download asks for the file list again


def test_listing_models_writes_no_lock_files(tmp_path: Path) -> None:
    """Asking every model's state must not create a lock file per model."""
    from subtitle_studio.core.model_manager import ModelManager

    manager = ModelManager(WHISPER_CATALOG, lambda: None, home=tmp_path)  # type: ignore[arg-type,return-value]
    (tmp_path / "models" / ".locks").mkdir(parents=True)
    assert all(s.state == MISSING for s in manager.statuses())
    assert list((tmp_path / "models" / ".locks").iterdir()) == []


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("model.bin", True),
        ("sub/config.json", True),
        ("../model.bin", False),
        ("sub/../../x", False),
        ("/etc/passwd", False),
        ("C:/x", False),
        ("a\\b", False),
        ("a//b", False),
        ("", False),
        ("x" * 256, False),
        ("x" * 255, True),
        ("nul\0byte", False),
        ({"name": "model.bin"}, False),
    ],
)
def test_only_names_that_stay_inside_the_model_folder_are_safe(name: object, safe: bool) -> None:
    assert store_mod.is_safe_name(name) is safe


def test_a_plan_or_manifest_naming_a_file_outside_the_folder_is_refused(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    with pytest.raises(ValueError):
        RemoteFile("../../outside.bin", 10, "u")
    store.save_plan(TINY, DownloadPlan("tiny", "abc", (RemoteFile("model.bin", 10, "u"),)))
    saved = store.download_dir(TINY) / store_mod.PLAN
    data = json.loads(saved.read_text(encoding="utf-8"))
    data["files"][0]["name"] = {"not": "a name"}  # what a damaged plan.json held (fuzz test)
    saved.write_text(json.dumps(data), encoding="utf-8")
    assert store.load_plan(TINY) is None
    assert store.inspect(TINY).state == INCOMPLETE  # "an unfinished download; Repair…"
    data["files"][0]["name"] = "x" * 5000
    saved.write_text(json.dumps(data), encoding="utf-8")
    assert store.inspect(TINY).state == INCOMPLETE
    downloaded = ModelStore(tmp_path / "other")
    folder = _small_model(downloaded)
    assert downloaded.inspect(TINY).state == READY
    manifest = json.loads((folder / store_mod.MANIFEST).read_text())
    manifest["files"][0]["name"] = "../../outside.bin"
    (folder / store_mod.MANIFEST).write_text(json.dumps(manifest))
    assert downloaded.inspect(TINY).state != READY  # the damaged manifest is not trusted
