"""Fuzzing everything that reads input a user (or a damaged disk) controls (SPEC §11).

Nothing fed to these doors may raise anything but the project's own errors, and whatever a
loader accepts must be usable by what comes next (saved again, shown in the table, served
as JSON). The HTTP endpoint answers any bytes with a well-formed response (or closes the
connection on a request line with nothing in it) and keeps serving.

- typed times: ``parse_time``, the document edit behind it, and the table model's ``setData``;
- job files: ``checkpoint.json``, ``edits.json``, ``job.json``, ``aligned.json`` (and the
  transcript built from them), ``settings.json`` and ``JobSettings.from_dict``;
- models: ``.manifest.json`` and ``.download/plan.json`` through ``ModelStore.inspect``, and
  the JSON files of a folder offered for import;
- the endpoint: ``parse_route`` and the Host/Origin checks, then raw bytes on a socket.

There is no subtitle-file reader to fuzz: the application writes SRT/VTT/JSON, it never
imports them.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import json
import logging
import math
import os
import re
import socket
import time
import traceback
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from subtitle_studio.core.alignment import ALIGNED_FILE, AlignedDoc
from subtitle_studio.core.app_settings import (
    THEMES,
    UI_LANGUAGES,
    EndpointPreference,
    NetworkPreference,
    first_run_done,
    load_defaults,
    load_endpoint,
    load_network,
    load_theme,
    load_ui_language,
    save_endpoint,
    settings_path,
)
from subtitle_studio.core.bus import EventBus
from subtitle_studio.core.checkpoint import (
    CHECKPOINT_FILE,
    Checkpoint,
    ChunkResult,
    ChunkSpan,
    load_checkpoint,
)
from subtitle_studio.core.document import SubtitleDocument
from subtitle_studio.core.edits import EDITS_FILE, Edits, RowEdit
from subtitle_studio.core.jobstore import JOB_FILE, JobRecord, JobStore
from subtitle_studio.core.model_catalog import WHISPER_CATALOG, find_entry
from subtitle_studio.core.model_store import (
    DOWNLOAD_DIR,
    MANIFEST,
    PLAN,
    STATES,
    DownloadPlan,
    ModelStore,
    validate_folder,
)
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.settings import JobSettings, setting_names
from subtitle_studio.core.timecode import (
    MAX_TYPED_SECONDS,
    format_display,
    format_srt,
    format_vtt,
    parse_time,
    to_milliseconds,
)
from subtitle_studio.core.transcript import LiveJobs, current_transcript
from subtitle_studio.engines.factory import LocalEngines
from subtitle_studio.errors import (
    CheckpointError,
    EditError,
    JobError,
    ModelError,
    SettingsError,
    StorageError,
    StudioError,
)
from subtitle_studio.server.endpoint import StudioServer
from subtitle_studio.server.jobs import BackgroundJobs
from subtitle_studio.server.routing import (
    JOB_ROUTES,
    LOOPBACK_NAMES,
    is_loopback_host,
    loopback_origin,
    parse_route,
)
from tests.support.fuzz_strategies import (
    DIGIT_SETS,
    dump,
    file_bytes,
    json_scalars,
    json_values,
    mutated,
    typed_times,
)

JOB = "0123456789abcdef0123456789abcdef"
OTHER_JOB = "fedcba9876543210fedcba9876543210"

#: ``SUBTITLE_STUDIO_FUZZ_SCALE=20`` searches twenty times longer (a nightly or a hunt).
SCALE = int(os.environ.get("SUBTITLE_STUDIO_FUZZ_SCALE", "1"))
#: Unit targets: many cheap examples. Each test runs its examples inside its own body so
#: the per-test ``tmp_path`` is made once (files are rewritten for every example).
FUZZ = settings(
    max_examples=200 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
#: Every example opens a connection and a server thread.
SOCKET_FUZZ = settings(
    max_examples=100 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


# -- what valid files hold -------------------------------------------------------------------

UNALIGNED_ROWS = [
    {
        "id": "0_0",
        "start": 0.5,
        "end": 2.0,
        "text": "Hello there.",
        "words": [{"word": "Hello", "start": 0.5, "end": 1.0, "score": 0.9}],
    },
    {"id": "0_1", "start": 2.5, "end": 4.0, "text": "General Kenobi."},
    {"id": "1_0", "start": 31.0, "end": 33.5, "text": "You are a bold one."},
]
ALIGNED_ROWS = [
    {
        "id": "a0",
        "start": 0.52,
        "end": 1.1,
        "text": "Hello",
        "source_id": "0_0",
        "words": [{"word": "Hello", "start": 0.52, "end": 1.1, "score": 0.97}],
    },
    {"id": "a1", "start": 1.2, "end": 1.9, "text": "there.", "source_id": "0_0"},
    {"id": "a2", "start": 2.5, "end": 4.0, "text": "General Kenobi.", "source_id": "0_1"},
]


def _valid_checkpoint() -> dict[str, Any]:
    checkpoint = Checkpoint(
        JOB,
        [ChunkSpan(0, 0, 30_000), ChunkSpan(1, 30_000, 61_500)],
        JobSettings().to_dict(),
        results={
            0: ChunkResult(0, "en", "tiny.en", UNALIGNED_ROWS[:2]),
            1: ChunkResult(1, "en", "tiny.en", UNALIGNED_ROWS[2:]),
        },
    )
    return json.loads(checkpoint.encode())


def _valid_edits() -> dict[str, Any]:
    edits = Edits(JOB)
    edits.rows["0_0"] = RowEdit("Hello, there!", 0.5, 2.0, frozenset({"text"}), "unaligned")
    edits.rows["a2"] = RowEdit("General Kenobi!", 2.4, 4.1, frozenset({"start"}), "aligned")
    edits.deleted["0_1"] = "unaligned"
    edits.inserted["u0123456789ab"] = {"id": "u0123456789ab", "text": "Hm.", "start": 5, "end": 6}
    return edits.to_dict()


def _valid_record() -> JobRecord:
    return JobRecord(
        id=JOB,
        source="/media/talk.mp4",
        settings=JobSettings(),
        status=JobStatus.FAILED,
        phase="transcribe",
        percent=42.5,
        output_path="/media/talk.srt",
        language="en",
        media={"duration": 61.5, "fps": 25.0},
        error={"code": "media_error", "message": "The file is truncated."},
    )


def _valid_aligned() -> dict[str, Any]:
    return AlignedDoc(JOB, "en", "whisperx", ALIGNED_ROWS, model="align-en").to_dict()


def _valid_app_settings() -> dict[str, Any]:
    return {
        "schema": 2,
        "version": 1,
        "job_defaults": JobSettings(model="small", language="de").to_dict(),
        "ui": {"language": "zh_CN", "theme": "dark", "first_run_done": True},
        "endpoint": {"enabled": True, "port": 8765},
        "network": {
            "hub_endpoint": "https://hf-mirror.example",
            "proxy_mode": "manual",
            "proxy_url": "http://proxy.example:3128",
        },
    }


VALID_CHECKPOINT = _valid_checkpoint()
VALID_EDITS = _valid_edits()
VALID_JOB = _valid_record().to_dict()
VALID_ALIGNED = _valid_aligned()
VALID_APP_SETTINGS = _valid_app_settings()

#: Nesting deeper than Python's recursion limit: ``json`` raises ``RecursionError`` on it.
DEEP_JSON = [b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 50_000 + b"1" + b"}" * 50_000]


def _bent(valid: Any, old: str, new: str) -> bytes:
    """A valid file with one field's text replaced: the failures fuzzing found, kept."""
    text = dump(valid)
    assert old in text, old
    return text.replace(old, new, 1).encode()


def _message(exc: StudioError) -> None:
    """A refusal a user can read: a non-empty one-line-or-more message, no repr soup."""
    assert isinstance(exc.message, str) and exc.message.strip()


def _dumpable(value: Any) -> None:
    """What the application writes or serves must encode as strict JSON (no NaN)."""
    json.dumps(value, allow_nan=False)


def _real(value: Any) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def _usable_row(row: Any) -> bool:
    return (
        isinstance(row, dict)
        and isinstance(row.get("id"), str)
        and isinstance(row.get("text"), str)
        and _real(row.get("start"))
        and _real(row.get("end"))
    )


def _shows(rows: list[dict[str, Any]], *, aligned: bool, edits: Edits | None = None) -> None:
    """The window can show these rows (merged with ``edits``): the table is in time order."""
    document = SubtitleDocument(JOB, edits=edits)
    document.load(rows, aligned=aligned)
    starts = [row.start for row in document.rows]
    assert starts == sorted(starts)


# -- 1. typed times -----------------------------------------------------------------------


@FUZZ
@given(typed_times)
@example("00:01:02,345")
@example("1:2:3.4")
@example("١٢")
@example("１２:３４")
@example("NaN")
@example("-1")
@example("9" * 5000)
def test_a_typed_time_is_read_or_refused_with_a_message(text: str) -> None:
    try:
        seconds = parse_time(text)
    except EditError as exc:
        _message(exc)
        assert "\n" not in exc.message  # shown in a status bar: one line
        return
    assert isinstance(seconds, float) and math.isfinite(seconds)
    assert 0 <= seconds <= MAX_TYPED_SECONDS
    assert to_milliseconds(seconds) == round(seconds * 1000)  # whole milliseconds
    assert parse_time(format_display(seconds)) == seconds  # the cell shows it back the same


@FUZZ
@given(
    st.integers(0, MAX_TYPED_SECONDS * 1000),
    st.sampled_from([format_srt, format_vtt, format_display]),
)
def test_every_formatted_time_reads_back_exactly(millis: int, fmt: Any) -> None:
    seconds = millis / 1000
    assert parse_time(fmt(seconds)) == seconds
    assert to_milliseconds(parse_time(fmt(seconds))) == millis


@FUZZ
@given(st.one_of(st.floats(), st.text(max_size=30), st.none()))
def test_to_milliseconds_takes_any_float_or_refuses_it(value: Any) -> None:
    try:
        millis = to_milliseconds(value)
    except EditError as exc:
        _message(exc)
        return
    assert isinstance(millis, int) and millis >= 0


def _document() -> SubtitleDocument:
    document = SubtitleDocument(JOB)
    document.load([dict(r) for r in UNALIGNED_ROWS], aligned=False)
    return document


def _check_document(document: SubtitleDocument) -> None:
    for row in document.rows:
        assert math.isfinite(row.start) and math.isfinite(row.end)
        assert 0 <= row.start < row.end
    assert [r.start for r in document.rows] == sorted(r.start for r in document.rows)
    _dumpable(document.edits.to_dict())


@FUZZ
@given(typed_times, st.sampled_from(["start", "end"]), st.integers(0, len(UNALIGNED_ROWS) - 1))
def test_a_typed_time_edits_the_document_or_is_refused(text: str, field: str, row: int) -> None:
    document = _document()
    before = [(r.id, r.start, r.end, r.text) for r in document.rows]
    row_id = document.rows[row].id
    try:
        document.edit(row_id, **{field: parse_time(text)})
    except EditError as exc:
        _message(exc)
        assert [(r.id, r.start, r.end, r.text) for r in document.rows] == before
        return
    _check_document(document)


def test_typing_into_the_table_never_raises(qapp: Any) -> None:
    """The real door: ``SubtitleTableModel.setData`` with whatever an editor delivers."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QUndoStack

    from subtitle_studio.gui.subtitle_model import COL_END, COL_START, COL_TEXT
    from subtitle_studio.gui.subtitle_model import SubtitleTableModel as Model

    values = st.one_of(
        typed_times,
        st.integers(-(2**63), 2**63 - 1),  # what a Qt variant can hold
        st.floats(),
        st.none(),
        st.booleans(),
    )

    @FUZZ
    @given(values, st.sampled_from([COL_START, COL_END, COL_TEXT]), st.integers(0, 2))
    def check(value: Any, column: int, row: int) -> None:
        document = _document()
        before = [(r.id, r.start, r.end, r.text) for r in document.rows]
        stack = QUndoStack()
        model = Model(document, stack)
        refused: list[str] = []
        model.editRefused.connect(refused.append)
        accepted = model.setData(model.index(row, column), value, Qt.ItemDataRole.EditRole)
        assert accepted is not bool(refused)
        assert all(message.strip() for message in refused)
        _check_document(document)
        while stack.canUndo():
            stack.undo()
        assert [(r.id, r.start, r.end, r.text) for r in document.rows] == before
        model.deleteLater()
        stack.deleteLater()

    check()


# -- 2. job files ---------------------------------------------------------------------------


def test_a_damaged_checkpoint_is_refused_or_resumable(tmp_path: Path) -> None:
    @FUZZ
    @given(file_bytes(VALID_CHECKPOINT))
    @example(_bent(VALID_CHECKPOINT, '"total_segments": 2', '"total_segments": 1e999'))
    @example(_bent(VALID_CHECKPOINT, '"model": "auto"', '"model": NaN'))
    def check(data: bytes) -> None:
        (tmp_path / CHECKPOINT_FILE).write_bytes(data)
        try:
            checkpoint = load_checkpoint(tmp_path, JOB)
        except CheckpointError as exc:
            _message(exc)
            return
        assert checkpoint is not None
        json.loads(checkpoint.encode())  # the next chunk can save it again
        _dumpable(checkpoint.to_dict())
        assert all(_usable_row(r) for r in checkpoint.rows())
        assert 0 <= len(checkpoint.results) <= checkpoint.total_segments
        _shows(checkpoint.rows(), aligned=False)

    check()


def test_damaged_edits_are_refused_never_dropped(tmp_path: Path) -> None:
    @FUZZ
    @given(file_bytes(VALID_EDITS))
    def check(data: bytes) -> None:
        (tmp_path / EDITS_FILE).write_bytes(data)
        try:
            edits = Edits.load(tmp_path, JOB)
        except CheckpointError as exc:
            _message(exc)
            return
        _dumpable(edits.to_dict())  # saved again after the next edit
        _shows([dict(r) for r in UNALIGNED_ROWS], aligned=False, edits=edits)
        _shows([dict(r) for r in ALIGNED_ROWS], aligned=True, edits=edits)

    check()


def _check_record(record: JobRecord) -> None:
    """The loaded record has the types the window, the CLI and the endpoint rely on."""
    assert record.id == JOB
    assert isinstance(record.source, str)
    assert isinstance(record.status, JobStatus)
    assert isinstance(record.settings, JobSettings)
    assert isinstance(record.percent, float) and math.isfinite(record.percent)
    for text in (record.phase, record.output_path, record.language):
        assert text is None or isinstance(text, str)
    for mapping in (record.media, record.error):
        assert mapping is None or isinstance(mapping, dict)
    _dumpable(record.to_dict())


def test_a_damaged_job_file_is_refused_or_usable(tmp_path: Path) -> None:
    store = JobStore(tmp_path)
    folder = store.root / JOB
    folder.mkdir(parents=True)

    @FUZZ
    @given(file_bytes(VALID_JOB))
    @example(_bent(VALID_JOB, f'"id": "{JOB}"', '"id": 32'))
    @example(_bent(VALID_JOB, '"percent": 42.5', '"percent": "nan"'))
    @example(_bent(VALID_JOB, '"error": {', '"error": "boom", "e": {'))
    def check(data: bytes) -> None:
        (folder / JOB_FILE).write_bytes(data)
        try:
            record = store.get(JOB)
        except (CheckpointError, StorageError, JobError) as exc:
            _message(exc)
            records, broken = store.scan()  # the job list shows it as unreadable
            assert not records and [job_id for job_id, _ in broken] == [JOB]
            return
        _check_record(record)
        assert [r.id for r in store.list()] == [JOB]

    check()


def test_a_damaged_aligned_file_is_refused_or_usable(tmp_path: Path) -> None:
    edits = Edits.load(_written(tmp_path / "edits", EDITS_FILE, VALID_EDITS), JOB)

    @FUZZ
    @given(file_bytes(VALID_ALIGNED))
    @example(_bent(VALID_ALIGNED, '"source_id": "0_0"', '"source_id": ["0_0"]'))
    @example(_bent(VALID_ALIGNED, '"start": 0.52', '"start": "0.52"'))
    def check(data: bytes) -> None:
        (tmp_path / ALIGNED_FILE).write_bytes(data)
        try:
            aligned = AlignedDoc.load(tmp_path, JOB)
        except CheckpointError as exc:
            _message(exc)
            return
        assert aligned is not None
        _dumpable(aligned.to_dict())
        assert all(_usable_row(r) for r in aligned.segments)
        _shows(aligned.segments, aligned=True)
        _shows(aligned.segments, aligned=True, edits=edits)

    check()


def _written(folder: Path, name: str, doc: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(doc), encoding="utf-8")
    return folder


def _maybe_file(valid: Any) -> st.SearchStrategy[bytes | None]:
    return st.one_of(st.none(), st.just(dump(valid).encode()), file_bytes(valid))


def test_the_transcript_of_a_damaged_job_is_served_and_shown(tmp_path: Path) -> None:
    """``/transcription-text`` and the window both start from ``current_transcript``."""
    store = JobStore(tmp_path)
    folder = _written(store.root / JOB, JOB_FILE, VALID_JOB)

    @FUZZ
    @given(_maybe_file(VALID_ALIGNED), _maybe_file(VALID_CHECKPOINT))
    def check(aligned: bytes | None, checkpoint: bytes | None) -> None:
        for name, data in ((ALIGNED_FILE, aligned), (CHECKPOINT_FILE, checkpoint)):
            if data is None:
                (folder / name).unlink(missing_ok=True)
            else:
                (folder / name).write_bytes(data)
        try:
            served = current_transcript(store, JOB, LiveJobs())
            shown = current_transcript(store, JOB, words=False)
        except StudioError as exc:
            _message(exc)
            return
        _dumpable(served)
        assert all(_usable_row(r) for r in shown["segments"])
        _shows(shown["segments"], aligned=shown["aligned"])

    check()


def test_app_settings_never_stop_the_application(tmp_path: Path) -> None:
    @FUZZ
    @given(file_bytes(VALID_APP_SETTINGS))
    @example(_bent(VALID_APP_SETTINGS, '"version": 1', '"version": NaN'))
    def check(data: bytes) -> None:
        settings_path(tmp_path).parent.mkdir(exist_ok=True)
        settings_path(tmp_path).write_bytes(data)
        assert isinstance(load_defaults(tmp_path), JobSettings)
        endpoint = load_endpoint(tmp_path)
        assert isinstance(endpoint.enabled, bool) and 0 <= endpoint.port < 65536
        network = load_network(tmp_path)
        assert isinstance(network, NetworkPreference) and not network.problems()
        assert load_ui_language(tmp_path) in UI_LANGUAGES and load_theme(tmp_path) in THEMES
        assert isinstance(first_run_done(tmp_path), bool)
        # The user then changes a preference: it is saved and read back.
        save_endpoint(EndpointPreference(True, 9000), tmp_path)
        assert load_endpoint(tmp_path) == EndpointPreference(True, 9000)

    check()


def _parsed(doc: Any) -> Any:
    """``doc`` as it comes back from a JSON file (``assume``-d away when it cannot)."""
    try:
        return json.loads(dump(doc))
    except ValueError:
        assume(False)


@FUZZ
@given(
    st.one_of(
        mutated(JobSettings().to_dict(), max_changes=4),
        st.dictionaries(st.sampled_from(setting_names()), json_scalars, max_size=6),
        json_values,
    )
)
def test_saved_job_settings_are_valid_or_refused(doc: Any) -> None:
    data = _parsed(doc)
    try:
        job_settings = JobSettings.from_dict(data)
    except SettingsError as exc:
        _message(exc)
        return
    assert job_settings.problems() == []
    _dumpable(job_settings.to_dict())
    assert JobSettings.from_dict(json.loads(json.dumps(job_settings.to_dict()))) == job_settings


# -- 3. models on disk -------------------------------------------------------------------------

TINY = find_entry(WHISPER_CATALOG, "tiny.en")
MODEL_FILES = {
    "config.json": b'{"alignment_heads": [[1, 0]]}\n',
    "model.bin": b"\x06\x00\x00\x00WhisperSpec\x00" + bytes(64),
    "vocabulary.txt": b"hello\nthere\n",
}


def _valid_manifest() -> dict[str, Any]:
    files = []
    for name, data in MODEL_FILES.items():
        git_sha1 = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # noqa: S324
        files.append(
            {
                "name": name,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest() if name == "model.bin" else None,
                "git_sha1": None if name == "model.bin" else git_sha1,
                "verified": [len(data), 0],
            }
        )
    return {
        "version": 1,
        "model_id": "tiny.en",
        "kind": "whisper",
        "repo": "Systran/faster-whisper-tiny.en",
        "revision": "d90ca5fe",
        "completed_at": 1_700_000_000.5,
        "files": files,
    }


def _valid_plan() -> dict[str, Any]:
    files = [
        {"name": name, "size": len(data), "url": f"https://hub.example/{name}", "sha256": None}
        for name, data in MODEL_FILES.items()
    ]
    files.append({"name": "tokenizer.json", "size": 2_000_000, "url": "", "git_sha1": "ab" * 20})
    return {"model_id": "tiny.en", "revision": "d90ca5fe", "files": files, "error": "timed out"}


def test_a_damaged_model_record_gives_a_status(tmp_path: Path) -> None:
    assert TINY is not None
    store = ModelStore(tmp_path)
    folder = store.folder(TINY)
    download = folder / DOWNLOAD_DIR

    @FUZZ
    @given(_maybe_file(_valid_manifest()), _maybe_file(_valid_plan()), st.booleans())
    @example(_bent(_valid_manifest(), '"sha256": null', '"sha256": 7'), None, False)
    @example(_bent(_valid_manifest(), '"version": 1', '"version": Infinity'), None, False)
    @example(None, _bent(_valid_plan(), '"files": [{', '"files": [[], {'), False)
    def check(manifest: bytes | None, plan: bytes | None, deep: bool) -> None:
        download.mkdir(parents=True, exist_ok=True)
        for name, data in MODEL_FILES.items():
            (folder / name).write_bytes(data)
        (download / "tokenizer.json.part").write_bytes(b"{" * 100)
        for path, data in ((folder / MANIFEST, manifest), (download / PLAN, plan)):
            if data is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(data)
        try:
            status = store.inspect(TINY, deep=deep)
            plan_read = store.load_plan(TINY)
        except StudioError as exc:
            _message(exc)
            return
        assert status.state in STATES
        _dumpable(status.to_dict())  # `models list --json` and the models channel
        assert plan_read is None or isinstance(plan_read, DownloadPlan)
        if plan_read is not None:
            assert isinstance(plan_read.total_bytes, int)

    check()


def test_a_folder_offered_for_import_is_refused_with_a_reason(tmp_path: Path) -> None:
    """Its JSON files are whatever the user has; the weights here are too small for
    tiny.en, so every outcome is a ``ModelError`` naming what is wrong."""
    assert TINY is not None
    source = tmp_path / "faster-whisper-tiny.en"
    source.mkdir()
    (source / "model.bin").write_bytes(MODEL_FILES["model.bin"])

    @FUZZ
    @given(
        file_bytes({"alignment_heads": [[1, 0]], "lang_ids": [50259]}),
        file_bytes({"model": {"vocab": {"hello": 0}}}),
    )
    def check(config: bytes, tokenizer: bytes) -> None:
        (source / "config.json").write_bytes(config)
        (source / "tokenizer.json").write_bytes(tokenizer)
        with pytest.raises(ModelError) as caught:
            validate_folder(TINY, source)
        _message(caught.value)

    (source / "vocabulary.txt").write_bytes(MODEL_FILES["vocabulary.txt"])
    check()
    (source / "tokenizer.json").write_bytes(b"{}")
    for data in DEEP_JSON:
        (source / "config.json").write_bytes(data)
        with pytest.raises(ModelError, match="not valid JSON"):
            validate_folder(TINY, source)


@pytest.mark.parametrize("data", DEEP_JSON, ids=["array", "object"])
def test_deeply_nested_json_is_a_damaged_file(tmp_path: Path, data: bytes) -> None:
    """Nesting past the recursion limit makes ``json`` raise ``RecursionError``; every
    reader must take it as a damaged file like any other."""
    store = JobStore(tmp_path)
    folder = store.root / JOB
    folder.mkdir(parents=True)
    for name in (JOB_FILE, CHECKPOINT_FILE, EDITS_FILE, ALIGNED_FILE):
        (folder / name).write_bytes(data)
    settings_path(tmp_path).parent.mkdir()
    settings_path(tmp_path).write_bytes(data)
    with pytest.raises(CheckpointError):
        store.get(JOB)
    assert store.scan()[1][0][0] == JOB
    for load in (load_checkpoint, Edits.load, AlignedDoc.load):
        with pytest.raises(CheckpointError):
            load(folder, JOB)
    assert load_defaults(tmp_path) == JobSettings()
    assert load_endpoint(tmp_path) == EndpointPreference()
    assert load_network(tmp_path) == NetworkPreference()
    assert TINY is not None
    models = ModelStore(tmp_path)
    (models.folder(TINY) / DOWNLOAD_DIR).mkdir(parents=True)
    (models.folder(TINY) / MANIFEST).write_bytes(data)
    (models.download_dir(TINY) / PLAN).write_bytes(data)
    assert models.inspect(TINY).state in STATES


# -- 4. the HTTP endpoint: routes and names --------------------------------------------------

ROUTE_NAMES = {"", "jobs", "models", *JOB_ROUTES}
targets = st.one_of(
    st.text(),
    st.builds(
        lambda route, rest: f"/{route}/{rest}",
        st.sampled_from([*JOB_ROUTES, "jobs", "events", "events/models"]),
        st.one_of(
            st.text(),
            st.just(JOB),
            st.text(alphabet="0123456789abcdefABCDEF%./?#\x00", max_size=40),
        ),
    ),
)


@FUZZ
@given(targets)
@example(f"/stream/{JOB}?x=1#y")
@example("/status/..%2F..%2Fetc%2Fpasswd")
def test_any_target_has_a_route_or_none(target: str) -> None:
    route = parse_route(target)
    assert route.name in ROUTE_NAMES
    assert route.job_id is None or (re.fullmatch("[0-9a-f]{32}", route.job_id) is not None)
    assert not (route.malformed and route.job_id is not None)


def _names_this_computer(header: str) -> bool:
    """An independent reading: a loopback name or address, maybe with an ASCII port."""
    host = header.strip().lower()
    candidates = [host]
    with_port = re.fullmatch(r"(.*):([0-9]{1,5})", host, re.ASCII)
    if with_port and 0 < int(with_port[2]) < 65536:
        candidates.append(with_port[1])
    for name in candidates:
        if name.startswith("[") and name.endswith("]"):
            name = name[1:-1]
        if name in LOOPBACK_NAMES:
            return True
        with contextlib.suppress(ValueError):
            if ipaddress.ip_address(name).is_loopback:
                return True
    return False


host_names = st.sampled_from(
    ["localhost", "LocalHost.", "127.0.0.1", "127.1.2.3", "[::1]", "::1", "evil.example", "0x7f.1"]
)
ports = st.one_of(
    st.text(max_size=6),
    st.builds(
        lambda digits, number: "".join(digits[int(c)] for c in str(number)),
        st.sampled_from(DIGIT_SETS),
        st.integers(0, 99_999),
    ),
)
hosts = st.one_of(
    st.text(),
    st.builds(lambda name, port: f"{name}:{port}", host_names, ports),
    st.builds(lambda name, text: name + text, host_names, st.text(max_size=5)),
)


@FUZZ
@given(st.one_of(st.none(), hosts))
@example("localhost:²")
@example("127.0.0.1:٨٠")
def test_the_host_check_answers_and_lets_in_only_this_computer(host: str | None) -> None:
    allowed = is_loopback_host(host)
    assert isinstance(allowed, bool)
    if allowed:
        assert host is not None and _names_this_computer(host)


@FUZZ
@given(
    st.one_of(
        st.none(),
        st.text(),
        st.builds(lambda s, h: f"{s}://{h}", st.sampled_from(["http", "https", "ftp", ""]), hosts),
    )
)
@example("http://localhost:³")
def test_the_origin_check_answers_and_echoes_only_this_computer(origin: str | None) -> None:
    allowed = loopback_origin(origin)
    assert allowed is None or allowed == origin


# -- 4b. the HTTP endpoint on a socket ---------------------------------------------------------

METHODS = [b"GET", b"POST", b"OPTIONS", b"HEAD", b"PUT", b"DELETE", b"get", b"PRI", b"GET\x00"]
TARGETS = [
    b"/jobs",
    b"/jobs/",
    b"/events/models",
    b"/status/" + JOB.encode(),
    b"/transcription-text/" + JOB.encode(),
    b"/stream/" + JOB.encode(),
    b"/status/" + OTHER_JOB.encode(),
    b"/stream/..%2F..%2Fetc%2Fpasswd",
    b"/status/" + JOB.encode() + b"%00",
    b"/status/%zz%",
    b"//jobs",
    b"*",
    b"http://localhost/jobs",
    b"/\xff\xfe\x00",
    b"/" + b"a" * 70_000,
]
VERSIONS = [b"HTTP/1.1", b"HTTP/1.0", b"HTTP/2.0", b"HTTP/1.\xb2", b"HTTP/1.1.1", b"HTTX/1", b""]
HOST_VALUES = [
    b"localhost",
    b"127.0.0.1:8765",
    b"[::1]",
    b"localhost:\xb2",  # "²" once read as ISO-8859-1, as http.server reads headers
    b"localhost:\xd9\xa8",
    b"evil.example",
    b"",
    b"\xff\xfe",
    b"localhost\x00",
]
LENGTHS = [b"0", b"-1", b"5", b"12", b"99999999999999999999", b"1e3", b"\xb2", b" 7 ", b"0x10"]
header_lines = st.one_of(
    st.tuples(st.just(b"Host"), st.sampled_from(HOST_VALUES) | st.binary(max_size=30)),
    st.tuples(st.just(b"Content-Length"), st.sampled_from(LENGTHS) | st.binary(max_size=10)),
    st.tuples(
        st.sampled_from([b"Origin", b"Connection", b"Expect", b"Transfer-Encoding"]),
        st.sampled_from([b"http://localhost", b"close", b"100-continue", b"chunked", b"\x00"]),
    ),
    st.tuples(st.binary(max_size=20), st.binary(max_size=40)),
)
bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: dump({"path": v}).encode()),
    st.sampled_from(
        [
            b'{"path": "/no/such/file.mp4"}',
            b'{"path": "relative.mp4"}',
            b'{"path": "/\\u0000.mp4"}',
            b"[" * 40_000,
            b'{"path": ' * 5_000,
        ]
    ),
)


@st.composite
def requests(draw: st.DrawFn) -> bytes:
    """A request shaped like HTTP with any part bent, or plain bytes."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=500))
    method = draw(st.sampled_from(METHODS) | st.binary(max_size=8))
    target = draw(st.sampled_from(TARGETS) | st.text(max_size=60).map(str.encode))
    version = draw(st.sampled_from(VERSIONS))
    line = b" ".join(part for part in (method, target, version) if part)
    headers = draw(st.lists(header_lines, max_size=5))
    if draw(st.booleans()):
        headers.insert(0, (b"Host", b"localhost"))
    if draw(st.integers(0, 19)) == 0:
        headers += [(b"X-Many", b"1")] * 101
    body = draw(bodies)
    if draw(st.booleans()):
        headers.append((b"Content-Length", str(len(body)).encode()))
    head = b"".join(name + b": " + value + b"\r\n" for name, value in headers)
    return line + b"\r\n" + head + b"\r\n" + body


def _exchange(port: int, request: bytes, deadline_s: float = 8.0) -> tuple[bytes, bool]:
    """Send ``request``, close our side, read until the server closes; (answer, reset)."""
    answer = b""
    with socket.create_connection(("127.0.0.1", port), timeout=deadline_s) as sock:
        with contextlib.suppress(OSError):  # it may answer (414, 431) and close early
            sock.sendall(request)
            sock.shutdown(socket.SHUT_WR)
        end = time.monotonic() + deadline_s
        while True:
            assert time.monotonic() < end, f"no end of the answer after {deadline_s} s"
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                return answer, True
            except TimeoutError:
                pytest.fail(f"the server hung on {request[:200]!r}")
            if not chunk:
                return answer, False
            answer += chunk
            if b"\r\n\r\n" in answer and b"text/event-stream" in answer.partition(b"\r\n\r\n")[0]:
                return answer, False  # a stream: its head is the answer


def _first_line(request: bytes) -> list[str]:
    """The request line as http.server splits it."""
    return str(request[:65537].split(b"\n", 1)[0], "iso-8859-1").rstrip("\r\n").split()


#: Statuses http.server itself gives for requests it cannot take: an unknown method and
#: HTTP/2+; both are what RFC 9110 prescribes. Anything else must be below 500.
STDLIB_5XX = {501, 505}


def _check_answer(request: bytes, answer: bytes, reset: bool) -> None:
    words = _first_line(request)
    if not words:
        assert answer == b"", "a blank request line gets no answer"
        return
    if not answer:
        assert reset, f"closed without an answer: {request[:200]!r}"
        return
    while True:
        head, _, body = answer.partition(b"\r\n\r\n")
        status_line = head.split(b"\r\n", 1)[0]
        match = re.fullmatch(rb"HTTP/1\.[01] ([1-5][0-9][0-9]) [^\r\n]*", status_line)
        assert match, f"not an HTTP status line: {status_line[:100]!r} for {request[:200]!r}"
        status = int(match[1])
        if status != 100:
            break
        answer = body  # "100 Continue", then the real answer
    assert status < 500 or status in STDLIB_5XX, f"{status} for {request[:300]!r}"
    lengths = [
        line.split(b":", 1)[1].strip()
        for line in head.split(b"\r\n")[1:]
        if line.lower().startswith(b"content-length:")
    ]
    if lengths and not reset and words[0] != "HEAD":  # HEAD: a length, never a body
        assert int(lengths[0]) == len(body), f"Content-Length says {lengths[0]!r}"


def test_the_endpoint_answers_any_bytes_and_keeps_serving(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = JobStore(tmp_path)
    record = store.create(Path("/media/talk.mp4"), JobSettings())
    bus, live = EventBus(heartbeat_s=60), LiveJobs()
    jobs = BackgroundJobs(store, LocalEngines(tmp_path), bus, live, JobSettings())
    server = StudioServer(store, bus, live, submit=jobs.submit)
    crashes: list[str] = []
    caplog.set_level(logging.WARNING)
    try:
        server.start()
        assert server._httpd is not None
        # socketserver prints a handler's exception to stderr; count it as the crash it is.
        server._httpd.handle_error = lambda request, address: crashes.append(  # type: ignore[method-assign]
            traceback.format_exc()
        )

        @SOCKET_FUZZ
        @given(requests())
        @example(b"GET /jobs HTTP/1.1\r\nHost: localhost:\xb2\r\n\r\n")
        @example(b"GET /jobs HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost:\xb9\r\n\r\n")
        @example(
            b"POST /jobs HTTP/1.1\r\nHost: localhost\r\nContent-Length: 40000\r\n\r\n"
            + b"[" * 40_000
        )
        @example(b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n")
        @example(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")  # a TLS hello
        @example(b"\r\n")
        def check(request: bytes) -> None:
            crashes.clear()  # each example answers for its own request
            answer, reset = _exchange(server.port, request)
            assert not crashes, crashes[-1]
            _check_answer(request, answer, reset)

        check()
        with urllib.request.urlopen(f"{server.url}/jobs", timeout=10) as answer:
            assert answer.status == 200
            assert [job["id"] for job in json.load(answer)["jobs"]] == [record.id]
        with urllib.request.urlopen(f"{server.url}/status/{record.id}", timeout=10) as answer:
            assert answer.status == 200
    finally:
        server.stop()
        jobs.stop()
        bus.close()
    assert not crashes, crashes[-1]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]
