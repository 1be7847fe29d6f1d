"""edits.json: the user's corrections, kept apart from machine output and never lost."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from subtitle_studio.core.edits import EDITS_FILE, EDITS_VERSION, Edits, RowEdit, check_times
from subtitle_studio.errors import CheckpointError, EditError

JOB = "12" * 16


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / JOB
    path.mkdir()
    return path


def sample() -> Edits:
    edits = Edits(JOB)
    edits.modify(
        "0_1", text="Hello, wörld.", start=1.0, end=2.5, changed={"text"}, stage="unaligned"
    )
    edits.modify("3_0", text="Timed", start=90.25, end=92.0, changed={"start"}, stage="aligned")
    edits.delete("1_2", "unaligned")
    edits.delete("4_7", "aligned")
    edits.insert("new-1", text="[music]", start=12.0, end=14.0)
    return edits


def write(folder: Path, data: Any) -> Path:
    where = folder / EDITS_FILE
    where.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return where


# -- recording edits ---------------------------------------------------------------


def test_new_edits_are_empty() -> None:
    assert Edits(JOB).empty
    assert not sample().empty


def test_modify_records_the_row_as_left_by_the_user() -> None:
    edits = sample()

    assert edits.rows["0_1"] == RowEdit("Hello, wörld.", 1.0, 2.5, frozenset({"text"}), "unaligned")


def test_modifying_again_accumulates_fields_and_keeps_the_first_stage() -> None:
    edits = Edits(JOB)
    edits.modify("0_1", text="A", start=1.0, end=2.0, changed={"text"}, stage="unaligned")
    edits.modify("0_1", text="A", start=1.2, end=2.0, changed={"start"}, stage="aligned")

    edit = edits.rows["0_1"]
    assert edit.changed == {"text", "start"}
    assert edit.stage == "unaligned", "the edit still addresses the unaligned row it began on"
    assert (edit.start, edit.end) == (1.2, 2.0)


def test_delete_forgets_an_earlier_modification() -> None:
    edits = sample()
    edits.delete("0_1", "unaligned")

    assert "0_1" not in edits.rows
    assert edits.deleted["0_1"] == "unaligned"


def test_modify_of_an_inserted_row_updates_the_insertion() -> None:
    edits = sample()
    edits.modify(
        "new-1", text="[applause]", start=12.5, end=13.0, changed={"text"}, stage="aligned"
    )

    assert edits.inserted["new-1"] == {
        "id": "new-1",
        "text": "[applause]",
        "start": 12.5,
        "end": 13.0,
    }
    assert "new-1" not in edits.rows


def test_delete_of_an_inserted_row_removes_it_entirely() -> None:
    edits = sample()
    edits.delete("new-1", "aligned")

    assert "new-1" not in edits.inserted
    assert "new-1" not in edits.deleted
    assert "new-1" not in edits.rows


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (5.0, 4.0, "end after it starts"),
        (5.0, 5.0, "end after it starts"),
        (-0.5, 1.0, "before the beginning"),
        (math.nan, 1.0, "not a time"),
        (1.0, math.nan, "not a time"),
        (1.0, math.inf, "not a time"),
        (-math.inf, 1.0, "not a time"),
        ("1.0", 2.0, "not a time"),
        (None, 2.0, "not a time"),
    ],
)
def test_impossible_times_are_refused_and_change_nothing(start: Any, end: Any, words: str) -> None:
    edits = sample()
    before = edits.to_dict()

    with pytest.raises(EditError, match=words):
        edits.modify("0_1", text="x", start=start, end=end, changed={"start"}, stage="unaligned")
    with pytest.raises(EditError, match=words):
        edits.modify("new-1", text="x", start=start, end=end, changed={"start"}, stage="aligned")
    with pytest.raises(EditError, match=words):
        edits.insert("new-2", text="x", start=start, end=end)

    assert edits.to_dict() == before


def test_check_times_accepts_integers_and_zero() -> None:
    check_times(0, 1)
    check_times(0.0, 0.001)


# -- saving and loading ----------------------------------------------------------------


def test_save_and_load_round_trip(folder: Path) -> None:
    edits = sample()
    edits.save(folder)

    loaded = Edits.load(folder, JOB)

    assert loaded == edits
    assert loaded.to_dict() == edits.to_dict()
    assert sorted(p.name for p in folder.iterdir()) == [EDITS_FILE]


def test_saved_file_layout(folder: Path) -> None:
    sample().save(folder)
    data = json.loads((folder / EDITS_FILE).read_text(encoding="utf-8"))

    assert data["version"] == EDITS_VERSION and data["job_id"] == JOB
    assert data["rows"]["0_1"] == {
        "text": "Hello, wörld.",
        "start": 1.0,
        "end": 2.5,
        "changed": ["text"],
        "stage": "unaligned",
    }
    assert data["deleted"] == {"1_2": "unaligned", "4_7": "aligned"}
    assert data["inserted"] == [{"id": "new-1", "text": "[music]", "start": 12.0, "end": 14.0}]


def test_no_file_means_no_edits(folder: Path) -> None:
    loaded = Edits.load(folder, JOB)
    assert loaded.empty and loaded.job_id == JOB


def _damage(case: str, data: dict[str, Any]) -> Any:
    if case == "not an object":
        return [data]
    if case == "another job":
        data["job_id"] = "34" * 16
    elif case == "version from the future":
        data["version"] = EDITS_VERSION + 1
    elif case == "unknown stage":
        data["rows"]["0_1"]["stage"] = "final"
    elif case == "row without stage":
        del data["rows"]["0_1"]["stage"]
    elif case == "row without text":
        del data["rows"]["0_1"]["text"]
    elif case == "row end before start":
        data["rows"]["0_1"]["end"] = 0.5
    elif case == "row time not a number":
        data["rows"]["0_1"]["start"] = "soon"
    elif case == "row time NaN":
        data["rows"]["0_1"]["start"] = "NaN"
    elif case == "changed not a list":
        data["rows"]["0_1"]["changed"] = 3
    elif case == "rows a list":
        data["rows"] = [data["rows"]["0_1"]]
    elif case == "deleted unknown stage":
        data["deleted"]["1_2"] = "gone"
    elif case == "deleted a list":
        data["deleted"] = ["1_2"]
    elif case == "inserted without id":
        del data["inserted"][0]["id"]
    elif case == "inserted end before start":
        data["inserted"][0]["end"] = 1.0
    elif case == "inserted not objects":
        data["inserted"] = ["new-1"]
    elif case == "version not a number":
        data["version"] = "one"
    else:  # pragma: no cover
        raise AssertionError(case)
    return data


DAMAGE = [
    "not an object",
    "another job",
    "version from the future",
    "unknown stage",
    "row without stage",
    "row without text",
    "row end before start",
    "row time not a number",
    "row time NaN",
    "changed not a list",
    "rows a list",
    "deleted unknown stage",
    "deleted a list",
    "inserted without id",
    "inserted end before start",
    "inserted not objects",
    "version not a number",
]


@pytest.mark.parametrize("case", DAMAGE)
def test_damaged_file_is_an_error_never_silently_empty(folder: Path, case: str) -> None:
    sample().save(folder)
    data = json.loads((folder / EDITS_FILE).read_text(encoding="utf-8"))
    where = write(folder, _damage(case, data))

    with pytest.raises(CheckpointError) as caught:
        Edits.load(folder, JOB)

    assert str(where) in caught.value.message
    # The user's file is left for them (or support) to recover.
    assert where.exists()


@pytest.mark.parametrize("text", ["", "{", '{"version": 1, "job_id": "', "nul\x00l", "\ufeff{}"])
def test_truncated_or_garbled_file_is_an_error(folder: Path, text: str) -> None:
    where = write(folder, text)

    with pytest.raises(CheckpointError, match="could not be read") as caught:
        Edits.load(folder, JOB)
    assert str(where) in caught.value.message


def test_future_version_asks_for_an_update(folder: Path) -> None:
    data = sample().to_dict()
    data["version"] = EDITS_VERSION + 1
    write(folder, data)

    with pytest.raises(CheckpointError, match="newer"):
        Edits.load(folder, JOB)


def test_older_file_without_optional_sections_loads(folder: Path) -> None:
    write(folder, {"version": 1, "job_id": JOB})

    assert Edits.load(folder, JOB).empty
