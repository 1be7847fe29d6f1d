"""The merge (SPEC §7): aligned rows plus the user's edits, the user's work first."""

from __future__ import annotations

import copy
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from subtitle_studio.core.edits import Edits
from subtitle_studio.core.merge import merge_rows

JOB = "9f" * 16


def urow(row_id: str, start: float, end: float, text: str) -> dict[str, Any]:
    return {"id": row_id, "start": start, "end": end, "text": text}


def arow(row_id: str, source: str, start: float, end: float, text: str) -> dict[str, Any]:
    return {
        "id": row_id,
        "start": start,
        "end": end,
        "text": text,
        "source_id": source,
        "words": [{"word": text.split()[0], "start": start, "end": start + 0.2}],
    }


UNALIGNED = [
    urow("0_0", 0.0, 9.0, " Hello there. How are you? Fine thanks."),
    urow("0_1", 9.0, 12.0, " Next line."),
    urow("1_0", 30.0, 34.0, " Another chunk."),
    urow("1_1", 34.0, 40.0, " Last words here."),
]
# Alignment split 0_0 into three rows and 1_1 into two; extra rows got fresh ids.
ALIGNED = [
    arow("0_0", "0_0", 0.4, 2.0, "Hello there."),
    arow("0_2", "0_0", 2.3, 4.1, "How are you?"),
    arow("0_3", "0_0", 4.5, 8.2, "Fine thanks."),
    arow("0_1", "0_1", 9.3, 11.6, "Next line."),
    arow("1_0", "1_0", 30.2, 33.7, "Another chunk."),
    arow("1_1", "1_1", 34.1, 36.0, "Last words"),
    arow("1_2", "1_1", 36.4, 39.5, "here."),
]


def by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out = {r["id"]: r for r in rows}
    assert len(out) == len(rows), "row ids must be unique"
    return out


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in rows]


def assert_sorted(rows: list[dict[str, Any]]) -> None:
    keys = [(r["start"], r["end"]) for r in rows]
    assert keys == sorted(keys), "rows must be in time order"


def plain(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "start": row["start"],
        "end": row["end"],
        "text": row["text"],
        "modified": False,
        "inserted": False,
        "changed": [],
        "realigned": False,
    }


# -- before alignment ---------------------------------------------------------------


def test_no_edits_gives_the_machine_rows_unflagged() -> None:
    merged = merge_rows(UNALIGNED, Edits(JOB), aligned=False)

    assert merged == [plain(r) for r in UNALIGNED]


def test_no_edits_on_aligned_rows_drops_internal_fields() -> None:
    merged = merge_rows(ALIGNED, Edits(JOB), aligned=True)

    assert merged == [plain(r) for r in ALIGNED]
    assert all("source_id" not in r and "words" not in r for r in merged)


def test_unaligned_text_edit_keeps_the_rough_times() -> None:
    edits = Edits(JOB)
    edits.modify(
        "0_1", text=" Next lime.", start=9.0, end=12.0, changed={"text"}, stage="unaligned"
    )

    row = by_id(merge_rows(UNALIGNED, edits, aligned=False))["0_1"]

    assert row == {
        "id": "0_1",
        "start": 9.0,
        "end": 12.0,
        "text": " Next lime.",
        "modified": True,
        "inserted": False,
        "changed": ["text"],
        "realigned": False,
    }


def test_unaligned_time_edit_keeps_user_times_and_text() -> None:
    edits = Edits(JOB)
    edits.modify(
        "1_0",
        text=" Another chunk.",
        start=29.5,
        end=33.0,
        changed={"start", "end"},
        stage="unaligned",
    )

    row = by_id(merge_rows(UNALIGNED, edits, aligned=False))["1_0"]

    assert (row["start"], row["end"], row["text"]) == (29.5, 33.0, " Another chunk.")
    assert row["modified"] and row["changed"] == ["end", "start"]


def test_unaligned_delete_and_insert() -> None:
    edits = Edits(JOB)
    edits.delete("0_1", "unaligned")
    edits.insert("ins-1", text="[laughs]", start=12.5, end=13.5)

    merged = merge_rows(UNALIGNED, edits, aligned=False)

    assert ids(merged) == ["0_0", "ins-1", "1_0", "1_1"]
    inserted = merged[1]
    assert inserted["inserted"] and inserted["modified"]
    assert (inserted["start"], inserted["end"], inserted["text"]) == (12.5, 13.5, "[laughs]")


# -- after alignment: edits made before it ---------------------------------------------


def test_text_edit_before_alignment_spans_all_aligned_rows_of_that_row() -> None:
    edits = Edits(JOB)
    edits.modify(
        "0_0",
        text=" Hello there. How are you? Fine, thanks!",
        start=0.0,
        end=9.0,
        changed={"text"},
        stage="unaligned",
    )

    merged = merge_rows(ALIGNED, edits, aligned=True)

    rows = by_id(merged)
    assert "0_2" not in rows and "0_3" not in rows
    row = rows["0_0"]
    assert row["text"] == " Hello there. How are you? Fine, thanks!"
    assert (row["start"], row["end"]) == (0.4, 8.2), "the aligner's times, spanning all pieces"
    assert row["modified"] and not row["inserted"] and row["changed"] == ["text"]
    # Everything else is the aligned version.
    assert ids(merged) == ["0_0", "0_1", "1_0", "1_1", "1_2"]
    for other in ALIGNED[3:]:
        assert rows[other["id"]] == plain(other)


def test_time_edit_before_alignment_keeps_user_times_and_text() -> None:
    edits = Edits(JOB)
    edits.modify(
        "1_1",
        text=" Last words here.",
        start=34.5,
        end=39.0,
        changed={"end", "start"},
        stage="unaligned",
    )

    rows = by_id(merge_rows(ALIGNED, edits, aligned=True))

    assert "1_2" not in rows
    assert rows["1_1"]["start"] == 34.5 and rows["1_1"]["end"] == 39.0
    assert rows["1_1"]["text"] == " Last words here."
    assert rows["1_1"]["modified"]


def test_deletion_before_alignment_removes_every_aligned_piece() -> None:
    edits = Edits(JOB)
    edits.delete("0_0", "unaligned")

    merged = merge_rows(ALIGNED, edits, aligned=True)

    assert ids(merged) == ["0_1", "1_0", "1_1", "1_2"]


def test_insertion_before_alignment_stays() -> None:
    edits = Edits(JOB)
    edits.insert("ins-1", text="[music]", start=20.0, end=25.0)

    merged = merge_rows(ALIGNED, edits, aligned=True)

    assert ids(merged) == ["0_0", "0_2", "0_3", "0_1", "ins-1", "1_0", "1_1", "1_2"]
    assert by_id(merged)["ins-1"]["inserted"]


def test_edited_row_that_the_aligner_dropped_is_kept() -> None:
    edits = Edits(JOB)
    edits.modify(
        "0_9", text=" I said this.", start=25.0, end=27.0, changed={"text"}, stage="unaligned"
    )

    merged = merge_rows(ALIGNED, edits, aligned=True)

    row = by_id(merged)["0_9"]
    assert (row["start"], row["end"], row["text"]) == (25.0, 27.0, " I said this.")
    assert row["modified"]
    assert ids(merged) == ["0_0", "0_2", "0_3", "0_1", "0_9", "1_0", "1_1", "1_2"]


def test_deleted_row_that_the_aligner_dropped_stays_deleted() -> None:
    edits = Edits(JOB)
    edits.delete("0_9", "unaligned")

    assert merge_rows(ALIGNED, edits, aligned=True) == [plain(r) for r in ALIGNED]


# -- after alignment: edits made on aligned rows -----------------------------------------


def test_edit_after_alignment_applies_to_exactly_that_row() -> None:
    edits = Edits(JOB)
    edits.modify("0_2", text="How are ya?", start=2.3, end=4.1, changed={"text"}, stage="aligned")

    merged = merge_rows(ALIGNED, edits, aligned=True)

    rows = by_id(merged)
    assert rows["0_2"]["text"] == "How are ya?" and rows["0_2"]["modified"]
    assert (rows["0_2"]["start"], rows["0_2"]["end"]) == (2.3, 4.1)
    assert rows["0_0"] == plain(ALIGNED[0])
    assert rows["0_3"] == plain(ALIGNED[2])
    assert len(merged) == len(ALIGNED)


def test_text_edit_after_alignment_takes_the_aligned_times() -> None:
    edits = Edits(JOB)
    # The user's copy of the times is stale (e.g. re-aligned since); text-only edits follow the row.
    edits.modify("0_1", text="Next line!", start=9.0, end=12.0, changed={"text"}, stage="aligned")

    row = by_id(merge_rows(ALIGNED, edits, aligned=True))["0_1"]

    assert (row["start"], row["end"], row["text"]) == (9.3, 11.6, "Next line!")


def test_time_edit_after_alignment_keeps_user_times() -> None:
    edits = Edits(JOB)
    edits.modify(
        "1_2", text="here.", start=36.0, end=40.0, changed={"start", "end"}, stage="aligned"
    )

    rows = by_id(merge_rows(ALIGNED, edits, aligned=True))

    assert (rows["1_2"]["start"], rows["1_2"]["end"]) == (36.0, 40.0)
    assert rows["1_1"] == plain(ALIGNED[5])


def test_deletion_after_alignment_removes_only_that_row() -> None:
    edits = Edits(JOB)
    edits.delete("0_0", "aligned")

    merged = merge_rows(ALIGNED, edits, aligned=True)

    assert ids(merged) == ["0_2", "0_3", "0_1", "1_0", "1_1", "1_2"]


def test_aligned_edits_do_not_touch_the_unaligned_view() -> None:
    """Before alignment arrives (or on a view of the unaligned rows), an aligned-stage
    deletion of an id that also exists unaligned removes it either way."""
    edits = Edits(JOB)
    edits.delete("0_1", "aligned")

    assert ids(merge_rows(UNALIGNED, edits, aligned=False)) == ["0_0", "1_0", "1_1"]


# -- whole-table properties --------------------------------------------------------------


def test_output_is_sorted_by_time_even_when_edits_move_rows() -> None:
    edits = Edits(JOB)
    edits.modify("1_2", text="here.", start=1.0, end=1.5, changed={"start", "end"}, stage="aligned")
    edits.insert("ins-1", text="first", start=0.0, end=0.3)

    merged = merge_rows(ALIGNED, edits, aligned=True)

    assert ids(merged)[:3] == ["ins-1", "0_0", "1_2"]
    assert_sorted(merged)


def test_output_is_sorted_by_time_without_edits() -> None:
    shuffled = [ALIGNED[4], ALIGNED[0], ALIGNED[6], ALIGNED[1], ALIGNED[3], ALIGNED[2], ALIGNED[5]]

    assert_sorted(merge_rows(shuffled, Edits(JOB), aligned=True))
    assert_sorted(merge_rows(list(reversed(UNALIGNED)), Edits(JOB), aligned=False))


def test_merge_mutates_neither_rows_nor_edits() -> None:
    rows = copy.deepcopy(ALIGNED)
    edits = Edits(JOB)
    edits.modify("0_0", text="x", start=0.0, end=9.0, changed={"text"}, stage="unaligned")
    edits.delete("1_2", "aligned")
    edits.insert("ins", text="y", start=20.0, end=21.0)
    before = edits.to_dict()

    first = merge_rows(rows, edits, aligned=True)
    first[0]["text"] = "scribbled on the result"
    second = merge_rows(rows, edits, aligned=True)

    assert rows == ALIGNED
    assert edits.to_dict() == before
    assert second[0]["text"] == "x"


def test_edits_survive_a_save_and_reload_before_the_merge(tmp_path) -> None:
    edits = Edits(JOB)
    edits.modify("0_0", text="Hi.", start=0.0, end=9.0, changed={"text"}, stage="unaligned")
    edits.modify("1_2", text="there.", start=36.4, end=39.5, changed={"text"}, stage="aligned")
    edits.delete("1_0", "aligned")
    edits.insert("ins", text="[music]", start=20.0, end=21.0)
    edits.save(tmp_path)

    reloaded = Edits.load(tmp_path, JOB)

    assert merge_rows(ALIGNED, reloaded, aligned=True) == merge_rows(ALIGNED, edits, aligned=True)


# -- invariants over generated jobs -----------------------------------------------------


@st.composite
def job_with_edits(
    draw: st.DrawFn, after_alignment: bool = True
) -> tuple[list, list, Edits, dict[str, Any]]:
    """Unaligned rows grouped in chunks, their aligned pieces (ids as alignment makes
    them), and a random set of edits made before (and, if asked, after) alignment."""
    unaligned: list[dict[str, Any]] = []
    aligned: list[dict[str, Any]] = []
    t = 0.0
    for chunk in range(draw(st.integers(1, 5))):
        rows_here = draw(st.integers(1, 3))
        next_n = rows_here
        for n in range(rows_here):
            t += draw(st.integers(0, 3)) * 0.5
            pieces = draw(st.integers(0, 3))  # 0: the aligner found no speech here
            uid = f"{chunk}_{n}"
            unaligned.append(urow(uid, t, t + max(pieces, 1), f" row {uid}"))
            for p in range(pieces):
                if p == 0:
                    aid = uid
                else:
                    aid, next_n = f"{chunk}_{next_n}", next_n + 1
                aligned.append(arow(aid, uid, t + p + 0.1, t + p + 0.9, f"piece {aid}"))
            t += max(pieces, 1)
    aligned.sort(key=lambda r: (r["start"], r["end"]))

    edits = Edits(JOB)
    plan: dict[str, Any] = {"group": {}, "row": {}, "inserted": []}
    for row in unaligned:
        action = draw(st.sampled_from(["none", "none", "text", "times", "delete"]))
        if action == "text":
            edits.modify(
                row["id"],
                text="U" + row["id"],
                start=row["start"],
                end=row["end"],
                changed={"text"},
                stage="unaligned",
            )
        elif action == "times":
            start = draw(st.integers(0, 400)) / 10
            edits.modify(
                row["id"],
                text=row["text"],
                start=start,
                end=start + 0.7,
                changed={"start", "end"},
                stage="unaligned",
            )
        elif action == "delete":
            edits.delete(row["id"], "unaligned")
        plan["group"][row["id"]] = action
    for row in aligned:
        if plan["group"][row["source_id"]] != "none":
            continue  # the table shows that group as one row; it has no aligned rows to edit
        if not after_alignment:
            plan["row"][row["id"]] = "none"
            continue
        action = draw(st.sampled_from(["none", "none", "none", "text", "times", "delete"]))
        if action == "text":
            edits.modify(
                row["id"],
                text="A" + row["id"],
                start=row["start"],
                end=row["end"],
                changed={"text"},
                stage="aligned",
            )
        elif action == "times":
            start = draw(st.integers(0, 400)) / 10
            edits.modify(
                row["id"],
                text=row["text"],
                start=start,
                end=start + 0.3,
                changed={"start"},
                stage="aligned",
            )
        elif action == "delete":
            edits.delete(row["id"], "aligned")
        plan["row"][row["id"]] = action
    for k in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, 400)) / 10
        edits.insert(f"ins-{k}", text=f"inserted {k}", start=start, end=start + 1)
        plan["inserted"].append(f"ins-{k}")
    if draw(st.booleans()):
        delete_inserted = plan["inserted"][:1]
        for row_id in delete_inserted:
            edits.delete(row_id, "aligned")
            plan["inserted"].remove(row_id)
    return unaligned, aligned, edits, plan


@settings(max_examples=300, deadline=None)
@given(job_with_edits())
def test_merge_invariants_after_alignment(case) -> None:
    unaligned, aligned, edits, plan = case
    before = edits.to_dict()

    merged = merge_rows(aligned, edits, aligned=True)

    assert edits.to_dict() == before
    assert_sorted(merged)
    rows = by_id(merged)
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in aligned:
        groups.setdefault(row["source_id"], []).append(row)
    expected_ids = set(plan["inserted"])
    for uid, action in plan["group"].items():
        group = groups.get(uid, [])
        if action == "delete":
            assert not {r["id"] for r in group} & set(rows), f"deleted {uid} came back"
        elif action in ("text", "times"):
            edit = edits.rows[uid]
            row = rows[uid]
            assert row["text"] == edit.text and row["modified"] and not row["inserted"]
            if action == "times" or not group:
                assert (row["start"], row["end"]) == (edit.start, edit.end)
            else:
                assert row["start"] == min(r["start"] for r in group)
                assert row["end"] == max(r["end"] for r in group)
            assert not {r["id"] for r in group if r["id"] != uid} & set(rows)
            expected_ids.add(uid)
        else:
            for piece in group:
                action_here = plan["row"][piece["id"]]
                if action_here == "delete":
                    assert piece["id"] not in rows
                    continue
                expected_ids.add(piece["id"])
                row = rows[piece["id"]]
                if action_here == "none":
                    assert row == plain(piece)
                else:
                    edit = edits.rows[piece["id"]]
                    assert row["text"] == edit.text and row["modified"]
                    times = (
                        (edit.start, edit.end)
                        if action_here == "times"
                        else (piece["start"], piece["end"])
                    )
                    assert (row["start"], row["end"]) == times
    for row_id in plan["inserted"]:
        assert rows[row_id]["inserted"] and rows[row_id]["modified"]
    assert set(rows) == expected_ids, "a row was lost or appeared from nowhere"


@settings(max_examples=200, deadline=None)
@given(job_with_edits(after_alignment=False))
def test_merge_invariants_before_alignment(case) -> None:
    unaligned, _, edits, plan = case

    merged = merge_rows(unaligned, edits, aligned=False)

    assert_sorted(merged)
    rows = by_id(merged)
    expected = set(plan["inserted"])
    for row in unaligned:
        action = plan["group"][row["id"]]
        if action == "delete":
            assert row["id"] not in rows
        elif action == "none":
            expected.add(row["id"])
            assert rows[row["id"]] == plain(row)
        else:
            expected.add(row["id"])
            edit = edits.rows[row["id"]]
            assert rows[row["id"]]["text"] == edit.text
            assert (rows[row["id"]]["start"], rows[row["id"]]["end"]) == (
                (edit.start, edit.end) if action == "times" else (row["start"], row["end"])
            )
    assert set(rows) == expected


# -- scale ---------------------------------------------------------------------------------


@pytest.mark.timeout(30)
def test_large_merge_finishes() -> None:
    """10,000 rows and 500 edits: catches an accidental quadratic merge, not a benchmark."""
    aligned = []
    for i in range(5000):
        uid = f"{i // 10}_{i % 10}"
        aligned.append(arow(uid, uid, i * 2.0, i * 2.0 + 0.9, f"a {uid}"))
        aligned.append(arow(f"{i // 10}_{10 + i % 10}", uid, i * 2.0 + 1.0, i * 2.0 + 1.9, "b"))
    edits = Edits(JOB)
    for k in range(0, 5000, 10):  # 500 edits of four kinds
        uid = f"{k // 10}_{k % 10}"
        kind = (k // 10) % 4
        if kind == 0:
            edits.modify(
                uid,
                text="fixed",
                start=k * 2.0,
                end=k * 2.0 + 2,
                changed={"text"},
                stage="unaligned",
            )
        elif kind == 1:
            edits.delete(uid, "unaligned")
        elif kind == 2:
            edits.modify(
                uid,
                text="fixed",
                start=k * 2.0,
                end=k * 2.0 + 0.5,
                changed={"start"},
                stage="aligned",
            )
        else:
            edits.insert(f"ins-{k}", text="new", start=k * 2.0 + 1.95, end=k * 2.0 + 1.99)

    began = time.perf_counter()
    merged = merge_rows(aligned, edits, aligned=True)
    elapsed = time.perf_counter() - began

    # 125 groups merged to one row (-125), 125 groups deleted (-250), 125 inserted (+125).
    assert len(merged) == 10_000 - 125 - 250 + 125
    assert_sorted(merged)
    assert elapsed < 5.0, f"merging 10,000 rows took {elapsed:.1f} s: something is quadratic"


def test_times_found_for_the_users_text_beat_the_machine_times() -> None:
    """After a text edit is re-aligned against its own audio, those times stick (through a
    new alignment too); a later edit of the times by the user wins over them."""
    edits = Edits(JOB)
    edits.modify("0_1", text=" Next lime.", start=9.0, end=12.0, changed={"text"}, stage="aligned")
    assert edits.set_realigned("0_1", 9.4, 11.2)

    row = by_id(merge_rows(ALIGNED, edits, aligned=True))["0_1"]
    assert (row["start"], row["end"], row["realigned"]) == (9.4, 11.2, True)

    edits.modify("0_1", text=" Next lime.", start=9.5, end=11.0, changed={"start"}, stage="aligned")
    assert not edits.set_realigned("0_1", 1.0, 2.0), "the user's own times are never replaced"
    row = by_id(merge_rows(ALIGNED, edits, aligned=True))["0_1"]
    assert (row["start"], row["end"]) == (9.5, 11.0)
