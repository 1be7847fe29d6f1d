"""checkpoint.json: what survives a crash, and strict refusal of anything corrupt."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from subtitle_studio.core.checkpoint import (
    CHECKPOINT_FILE,
    CHECKPOINT_VERSION,
    Checkpoint,
    ChunkResult,
    ChunkSpan,
    load_checkpoint,
    save_checkpoint,
)
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.errors import CheckpointError

JOB = "ab" * 16
OTHER_JOB = "cd" * 16


def row(row_id: str, start: float, end: float, text: str, **extra: Any) -> dict[str, Any]:
    return {"id": row_id, "start": start, "end": end, "text": text, **extra}


def sample() -> Checkpoint:
    spans = [ChunkSpan(0, 0, 29_500), ChunkSpan(1, 29_500, 58_000), ChunkSpan(2, 61_000, 80_250)]
    checkpoint = Checkpoint(
        job_id=JOB, segments=spans, original_settings=JobSettings(model="tiny.en").to_dict()
    )
    # Results added out of order, as a resumed run might (chunk 2 before chunk 0 is not
    # possible in practice, but nothing may depend on insertion order).
    checkpoint.results[1] = ChunkResult(
        1,
        "en",
        "tiny.en",
        [
            row("1_0", 30.0, 33.5, " Second chunk.", words=[{"word": "Second", "start": 30.0}]),
            row("1_1", 34.0, 40.0, " More of it."),
        ],
    )
    checkpoint.results[0] = ChunkResult(
        0, "en", "small", [row("0_0", 0.5, 4.0, " Hello there."), row("0_1", 4.2, 9.0, " Héllo.")]
    )
    return checkpoint


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / JOB
    path.mkdir()
    return path


def saved_dict(folder: Path) -> dict[str, Any]:
    save_checkpoint(folder, sample())
    return json.loads((folder / CHECKPOINT_FILE).read_text(encoding="utf-8"))


def write(folder: Path, data: Any) -> Path:
    where = folder / CHECKPOINT_FILE
    where.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return where


# -- round trip and queries ------------------------------------------------------


def test_round_trip(folder: Path) -> None:
    original = sample()
    save_checkpoint(folder, original)

    loaded = load_checkpoint(folder, JOB)

    assert loaded is not None
    assert loaded == original
    assert loaded.to_dict() == original.to_dict()
    assert loaded.results[0].model == "small" and loaded.results[1].model == "tiny.en"
    assert loaded.rows()[2]["words"] == [{"word": "Second", "start": 30.0}]


def test_saving_encodes_only_new_chunks_and_stays_equal_to_the_data(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is the checkpoint's data after every save, including a redone chunk, while
    each stored chunk is encoded once (saving must not cost more as a long job grows)."""
    encoded: list[int] = []
    plain_to_dict = ChunkResult.to_dict

    def counting_to_dict(self: ChunkResult) -> dict[str, Any]:
        encoded.append(self.segment_index)
        return plain_to_dict(self)

    monkeypatch.setattr(ChunkResult, "to_dict", counting_to_dict)
    checkpoint = sample()
    save_checkpoint(folder, checkpoint)
    save_checkpoint(folder, checkpoint)
    assert sorted(encoded) == [0, 1]
    checkpoint.results[2] = ChunkResult(2, "en", "tiny.en", [row("2_0", 62.0, 64.0, " «Trois»")])
    save_checkpoint(folder, checkpoint)
    assert sorted(encoded) == [0, 1, 2]
    checkpoint.results[0] = ChunkResult(0, "en", "tiny.en", [row("0_0", 0.6, 4.0, " Redone.")])
    save_checkpoint(folder, checkpoint)
    assert sorted(encoded) == [0, 0, 1, 2]

    encoded.clear()
    text = (folder / CHECKPOINT_FILE).read_text(encoding="utf-8")
    assert json.loads(text) == checkpoint.to_dict()
    assert "«Trois»" in text  # readable, not escaped
    assert load_checkpoint(folder, JOB) == checkpoint


def test_an_empty_checkpoint_encodes_too(folder: Path) -> None:
    empty = Checkpoint(job_id=JOB, segments=[ChunkSpan(0, 0, 1000)], original_settings={})
    save_checkpoint(folder, empty)
    assert json.loads((folder / CHECKPOINT_FILE).read_text())["unaligned_results"] == []
    assert load_checkpoint(folder, JOB) == empty


def test_file_follows_the_documented_layout(folder: Path) -> None:
    data = saved_dict(folder)

    assert data["version"] == CHECKPOINT_VERSION
    assert data["job_id"] == JOB
    assert data["phase"] == "transcribe"
    assert data["total_segments"] == 3
    assert data["processed_indices"] == [0, 1]
    assert data["segments"][2] == {"index": 2, "start_ms": 61_000, "end_ms": 80_250}
    assert [r["segment_index"] for r in data["unaligned_results"]] == [0, 1]
    assert data["unaligned_results"][0]["language"] == "en"
    assert data["unaligned_results"][0]["segments"][0]["id"] == "0_0"
    assert data["original_settings"]["model"] == "tiny.en"


def test_no_checkpoint_yet_is_none(folder: Path) -> None:
    assert load_checkpoint(folder, JOB) is None


def test_pending_lists_unprocessed_chunks_in_order() -> None:
    checkpoint = sample()

    assert [s.index for s in checkpoint.pending()] == [2]
    assert not checkpoint.complete
    checkpoint.results[2] = ChunkResult(2, "en", "tiny.en", [])
    assert checkpoint.pending() == []
    assert checkpoint.complete
    del checkpoint.results[0]
    assert [s.index for s in checkpoint.pending()] == [0]


def test_pending_of_a_fresh_plan_is_every_chunk() -> None:
    checkpoint = Checkpoint(JOB, [ChunkSpan(i, i * 1000, i * 1000 + 900) for i in range(4)], {})

    assert [s.index for s in checkpoint.pending()] == [0, 1, 2, 3]
    assert checkpoint.language() is None
    assert checkpoint.rows() == []


def test_language_is_the_first_chunks_language() -> None:
    checkpoint = sample()
    checkpoint.results[1] = ChunkResult(1, "de", "tiny", [])
    checkpoint.results[0] = ChunkResult(0, "fr", "tiny", [])

    assert checkpoint.language() == "fr"


def test_language_after_a_redo_comes_from_the_lowest_done_chunk() -> None:
    checkpoint = sample()
    del checkpoint.results[0]

    assert checkpoint.language() == "en"
    assert checkpoint.processed_indices == [1]


def test_rows_are_in_chunk_order_then_row_order() -> None:
    assert [r["id"] for r in sample().rows()] == ["0_0", "0_1", "1_0", "1_1"]


def test_chunk_span_seconds() -> None:
    span = ChunkSpan(3, 61_250, 90_000)
    assert (span.start, span.end) == (61.25, 90.0)


def test_model_defaults_to_unknown_in_older_files(folder: Path) -> None:
    data = saved_dict(folder)
    for item in data["unaligned_results"]:
        del item["model"]
    write(folder, data)

    loaded = load_checkpoint(folder, JOB)

    assert loaded is not None and {r.model for r in loaded.results.values()} == {"unknown"}


# -- corruption ------------------------------------------------------------------


def _mutate(case: str, data: dict[str, Any]) -> Any:
    data = copy.deepcopy(data)
    if case == "not an object":
        return [data]
    if case == "no version":
        del data["version"]
    elif case == "version not a number":
        data["version"] = "1"
    elif case == "wrong job":
        data["job_id"] = OTHER_JOB
    elif case == "no job id":
        del data["job_id"]
    elif case == "overlapping chunks":
        data["segments"][1]["start_ms"] = 29_000
    elif case == "chunk ending before it starts":
        data["segments"][1]["end_ms"] = data["segments"][1]["start_ms"]
    elif case == "last chunk ending before it starts":
        data["segments"][2]["end_ms"] = data["segments"][2]["start_ms"] - 1000
    elif case == "chunk indices out of order":
        data["segments"][0]["index"], data["segments"][1]["index"] = 1, 0
    elif case == "total does not match chunks":
        data["total_segments"] = 4
    elif case == "processed without result":
        data["processed_indices"] = [0, 1, 2]
    elif case == "result not listed as processed":
        data["processed_indices"] = [0]
    elif case == "processed index beyond the plan":
        data["unaligned_results"][1]["segment_index"] = 7
        data["processed_indices"] = [0, 7]
    elif case == "negative processed index":
        data["unaligned_results"][1]["segment_index"] = -1
        data["processed_indices"] = [-1, 0]
    elif case == "row missing text":
        del data["unaligned_results"][0]["segments"][1]["text"]
    elif case == "row missing id":
        del data["unaligned_results"][1]["segments"][0]["id"]
    elif case == "row start not a number":
        data["unaligned_results"][0]["segments"][0]["start"] = "0.5"
    elif case == "row missing end":
        del data["unaligned_results"][0]["segments"][0]["end"]
    elif case == "row not an object":
        data["unaligned_results"][0]["segments"][0] = "hello"
    elif case == "rows not a list":
        data["unaligned_results"][0]["segments"] = {"0_0": "hello"}
    elif case == "result missing language":
        del data["unaligned_results"][0]["language"]
    elif case == "chunk missing end":
        del data["segments"][0]["end_ms"]
    elif case == "chunk time not a number":
        data["segments"][0]["end_ms"] = "soon"
    elif case == "no chunk list":
        del data["segments"]
    elif case == "no results":
        del data["unaligned_results"]
    elif case == "settings not an object":
        data["original_settings"] = "tiny.en"
    elif case == "no settings":
        del data["original_settings"]
    else:  # pragma: no cover - a typo in the parameter list
        raise AssertionError(case)
    return data


CORRUPTIONS = [
    "not an object",
    "no version",
    "version not a number",
    "wrong job",
    "no job id",
    "overlapping chunks",
    "chunk ending before it starts",
    "last chunk ending before it starts",
    "chunk indices out of order",
    "total does not match chunks",
    "processed without result",
    "result not listed as processed",
    "processed index beyond the plan",
    "negative processed index",
    "row missing text",
    "row missing id",
    "row start not a number",
    "row missing end",
    "row not an object",
    "rows not a list",
    "result missing language",
    "chunk missing end",
    "chunk time not a number",
    "no chunk list",
    "no results",
    "settings not an object",
    "no settings",
]


@pytest.mark.parametrize("case", CORRUPTIONS)
def test_corrupt_checkpoint_names_the_file(folder: Path, case: str) -> None:
    where = write(folder, _mutate(case, saved_dict(folder)))

    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(folder, JOB)

    message = caught.value.message
    assert str(where) in message
    assert "corrupt" in message


def test_from_dict_names_the_file_it_was_given(tmp_path: Path) -> None:
    where = tmp_path / "elsewhere" / CHECKPOINT_FILE
    with pytest.raises(CheckpointError) as caught:
        Checkpoint.from_dict({"version": 1, "job_id": OTHER_JOB}, where, JOB)
    assert str(where) in caught.value.message
    assert "another job" in caught.value.message


@pytest.mark.parametrize("cut", [0, 1, 40, -2])
def test_truncated_json_text_names_the_file(folder: Path, cut: int) -> None:
    text = json.dumps(saved_dict(folder))
    where = write(folder, text[:cut] if cut >= 0 else text[:cut])

    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(folder, JOB)

    assert str(where) in caught.value.message
    assert "corrupt" in caught.value.message


def test_invalid_utf8_is_corrupt(folder: Path) -> None:
    (folder / CHECKPOINT_FILE).write_bytes(b'{"version": 1, "job_id": "\xff\xfe"}')

    with pytest.raises(CheckpointError, match="corrupt"):
        load_checkpoint(folder, JOB)


def test_checkpoint_from_a_newer_version_asks_for_an_update(folder: Path) -> None:
    data = saved_dict(folder)
    data["version"] = CHECKPOINT_VERSION + 1
    data["segments"] = "a shape this version cannot read"
    where = write(folder, data)

    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(folder, JOB)

    message = caught.value.message
    assert str(where) in message
    assert "newer" in message and "update" in message


def test_unreadable_checkpoint_is_a_checkpoint_error(folder: Path) -> None:
    (folder / CHECKPOINT_FILE).mkdir()  # reading a folder fails with an OSError

    with pytest.raises(CheckpointError, match="Could not read"):
        load_checkpoint(folder, JOB)


def test_a_corrupt_checkpoint_is_left_on_disk(folder: Path) -> None:
    where = write(folder, '{"version": 1, "job_')

    with pytest.raises(CheckpointError):
        load_checkpoint(folder, JOB)

    assert where.read_text(encoding="utf-8") == '{"version": 1, "job_'
