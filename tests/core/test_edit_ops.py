"""The table's edit operations, each with its undo and redo, on the core document."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from subtitle_studio.core.document import DocumentObserver, SubtitleDocument
from subtitle_studio.core.edit_ops import (
    Change,
    FindQuery,
    History,
    TextMatch,
    delete_rows,
    find_all,
    find_next,
    insert_row,
    join_rows,
    redo_change,
    replace_all,
    replace_match,
    row_at_time,
    set_row_time,
    shift_rows,
    split_row,
    undo_change,
)
from subtitle_studio.core.edits import Edits
from subtitle_studio.errors import EditError

JOB = "ab" * 16
MACHINE = [
    {"id": "0_0", "start": 1.0, "end": 3.0, "text": "The cat sat."},
    {"id": "0_1", "start": 4.0, "end": 6.0, "text": "The category was cats."},
    {"id": "0_2", "start": 6.2, "end": 8.0, "text": "你好世界，我们走吧"},
    {"id": "1_0", "start": 12.0, "end": 14.5, "text": "Concatenate the CAT"},
]


@pytest.fixture
def document() -> SubtitleDocument:
    doc = SubtitleDocument(JOB)
    doc.load(MACHINE, aligned=True)
    doc.edit("0_0", text="The cat sat down.")  # the user's earlier work must survive undo
    return doc


def snapshot(doc: SubtitleDocument) -> tuple[Any, ...]:
    return (list(doc.rows), doc.edits.to_dict(), [doc.position(r.id) for r in doc.rows])


def rows_of(doc: SubtitleDocument) -> list[tuple[float, float, str]]:
    return [(r.start, r.end, r.text) for r in doc.rows]


def check_undo_redo(doc: SubtitleDocument, operation: Callable[[], Change]) -> Change:
    """Apply, undo, redo: the document and its edits equal the original, then the result."""
    original = snapshot(doc)
    change = operation()
    result = snapshot(doc)
    assert change.changed
    undo_change(doc, change)
    assert snapshot(doc) == original
    redo_change(doc, change)
    assert snapshot(doc) == result
    return change


def check_refused(doc: SubtitleDocument, operation: Callable[[], Change], message: str) -> None:
    original = snapshot(doc)
    with pytest.raises(EditError, match=message):
        operation()
    assert snapshot(doc) == original


# -- insert ---------------------------------------------------------------------------------
def test_insert_after_fills_the_gap_up_to_two_seconds(document: SubtitleDocument) -> None:
    change = check_undo_redo(document, lambda: insert_row(document, "0_2", text="new"))
    (new_id,) = change.row_ids
    row = document.row(new_id)
    assert (row.start, row.end, row.text, row.inserted) == (8.0, 10.0, "new", True)
    assert document.position(new_id) == 3
    assert new_id in document.edits.inserted


def test_insert_after_in_a_small_gap_fills_it(document: SubtitleDocument) -> None:
    change = check_undo_redo(document, lambda: insert_row(document, "0_0"))
    row = document.row(change.row_ids[0])
    assert (row.start, row.end, document.position(row.id)) == (3.0, 4.0, 1)


def test_insert_after_with_no_gap_overlaps_the_next_row(document: SubtitleDocument) -> None:
    change = check_undo_redo(document, lambda: insert_row(document, "0_1"))
    row = document.row(change.row_ids[0])
    assert (row.start, row.end, document.position(row.id)) == (6.0, 8.0, 2)


def test_insert_before(document: SubtitleDocument) -> None:
    change = check_undo_redo(document, lambda: insert_row(document, "1_0", before=True))
    row = document.row(change.row_ids[0])
    assert (row.start, row.end, document.position(row.id)) == (10.0, 12.0, 3)
    first = insert_row(document, "0_0", before=True)
    assert (document.rows[0].id, document.rows[0].start, document.rows[0].end) == (
        first.row_ids[0],
        0.0,
        1.0,
    )
    assert document.rows[1].id == "0_0"


def test_insert_before_a_row_at_zero_is_refused(document: SubtitleDocument) -> None:
    doc = SubtitleDocument(JOB)
    doc.load([{"id": "0_0", "start": 0.0, "end": 1.0, "text": "x"}], aligned=True)
    check_refused(doc, lambda: insert_row(doc, "0_0", before=True), "no time before subtitle 1")


def test_insert_into_an_empty_document_and_after_the_last_row() -> None:
    doc = SubtitleDocument(JOB)
    change = check_undo_redo(doc, lambda: insert_row(doc, text="first"))
    assert rows_of(doc) == [(0.0, 2.0, "first")]
    insert_row(doc)
    assert rows_of(doc)[1][:2] == (2.0, 4.0)
    assert change.label == "Add subtitle at 0:00.000"


def test_insert_next_to_an_unknown_row_is_refused(document: SubtitleDocument) -> None:
    check_refused(document, lambda: insert_row(document, "9_9"), "There is no subtitle 9_9")


# -- delete ---------------------------------------------------------------------------------
def test_delete_several_rows(document: SubtitleDocument) -> None:
    change = check_undo_redo(document, lambda: delete_rows(document, ["1_0", "0_0", "0_2"]))
    assert [r.id for r in document.rows] == ["0_1"]
    assert set(document.edits.deleted) == {"0_0", "0_2", "1_0"}
    assert change.label == "Delete 3 subtitles"


def test_delete_with_one_unknown_row_deletes_nothing(document: SubtitleDocument) -> None:
    check_refused(document, lambda: delete_rows(document, ["0_1", "nope"]), "no subtitle nope")
    check_refused(document, lambda: delete_rows(document, []), "Select the subtitles")


def test_deleting_an_inserted_row_and_undoing_it(document: SubtitleDocument) -> None:
    new_id = insert_row(document, "1_0", text="mine").row_ids[0]
    check_undo_redo(document, lambda: delete_rows(document, [new_id]))
    assert new_id not in document.edits.inserted


# -- split ----------------------------------------------------------------------------------
def test_split_shares_the_time_by_characters(document: SubtitleDocument) -> None:
    # "The category" | "was cats." : 11 and 8 visible characters over 2 s.
    cursor = len("The category ")
    change = check_undo_redo(document, lambda: split_row(document, "0_1", cursor))
    first, second = document.row("0_1"), document.row(change.row_ids[1])
    assert (first.text, second.text) == ("The category", "was cats.")
    cut = 4.0 + 2.0 * 11 / 19
    assert first.start == 4.0 and second.end == 6.0
    assert first.end == pytest.approx(cut - 0.02, abs=0.001)
    assert second.start == pytest.approx(cut + 0.02, abs=0.001)
    assert second.start - first.end == pytest.approx(0.04)
    assert document.position(second.id) == 2
    assert change.label == "Split subtitle 2"


def test_split_cjk_text_at_the_cursor(document: SubtitleDocument) -> None:
    change = check_undo_redo(document, lambda: split_row(document, "0_2", 5, gap=0.0))
    first, second = document.row("0_2"), document.row(change.row_ids[1])
    assert (first.text, second.text) == ("你好世界，", "我们走吧")
    assert first.end == second.start == pytest.approx(6.2 + 1.8 * 5 / 9, abs=0.001)


@pytest.mark.parametrize("cursor", [0, -1, len("The cat sat down."), 999])
def test_split_at_the_edge_of_the_text_is_refused(document: SubtitleDocument, cursor: int) -> None:
    check_refused(document, lambda: split_row(document, "0_0", cursor), "cursor inside")


def test_a_row_too_short_to_split_is_refused() -> None:
    doc = SubtitleDocument(JOB)
    doc.load([{"id": "0_0", "start": 1.0, "end": 1.001, "text": "ab"}], aligned=True)
    check_refused(doc, lambda: split_row(doc, "0_0", 1), "too short to split")


# -- merge ----------------------------------------------------------------------------------
def test_merge_neighbours(document: SubtitleDocument) -> None:
    change = check_undo_redo(document, lambda: join_rows(document, ["0_2", "0_1", "0_0"]))
    assert rows_of(document) == [
        (1.0, 8.0, "The cat sat down.\nThe category was cats.\n你好世界，我们走吧"),
        (12.0, 14.5, "Concatenate the CAT"),
    ]
    assert change.label == "Merge subtitles 1–3"


def test_merge_refuses_rows_apart_or_alone(document: SubtitleDocument) -> None:
    check_refused(document, lambda: join_rows(document, ["0_0", "0_2"]), "next to each other")
    check_refused(document, lambda: join_rows(document, ["0_0"]), "two or more")


# -- shift ----------------------------------------------------------------------------------
def test_shift_all_rows(document: SubtitleDocument) -> None:
    before = rows_of(document)
    change = check_undo_redo(document, lambda: shift_rows(document, 1.1))
    assert rows_of(document) == [(round(a + 1.1, 3), round(b + 1.1, 3), t) for a, b, t in before]
    assert document.row("0_2").start == 7.3  # milliseconds, no float noise
    assert change.label == "Shift all subtitles by +1.100 s"


def test_shift_selected_rows_past_their_neighbours(document: SubtitleDocument) -> None:
    check_undo_redo(document, lambda: shift_rows(document, 7.0, ["0_0", "0_1"]))
    assert [r.id for r in document.rows] == ["0_2", "0_0", "0_1", "1_0"]
    assert document.row("0_0").changed == {"text", "start", "end"}


def test_a_shift_before_zero_is_refused_with_the_limit(document: SubtitleDocument) -> None:
    check_refused(document, lambda: shift_rows(document, -1.5), "back by at most 1.000 s")
    check_undo_redo(document, lambda: shift_rows(document, -1.0))
    assert document.rows[0].start == 0.0
    check_refused(document, lambda: shift_rows(document, float("nan")), "not a number")


def test_a_row_without_duration_from_a_file_blocks_a_shift_clearly() -> None:
    doc = SubtitleDocument(JOB)
    doc.load(
        [
            {"id": "0_0", "start": 1.0, "end": 2.0, "text": "fine"},
            {"id": "0_1", "start": 3.0, "end": 3.0, "text": "no time"},
        ],
        aligned=True,
    )
    check_refused(doc, lambda: shift_rows(doc, 1.0), "Subtitle 2 ends before it starts")
    check_undo_redo(doc, lambda: set_row_time(doc, "0_1", "end", 4.0))
    check_undo_redo(doc, lambda: shift_rows(doc, 1.0))


def test_a_zero_shift_changes_nothing(document: SubtitleDocument) -> None:
    original = snapshot(document)
    assert not shift_rows(document, 0.0).changed
    assert snapshot(document) == original


class Recorder(DocumentObserver):
    def __init__(self) -> None:
        self.calls: list[str] = []

    def rows_about_to_be_inserted(self, first: int, last: int) -> None:
        self.calls.append("insert")

    def rows_about_to_be_removed(self, first: int, last: int) -> None:
        self.calls.append("remove")

    def rows_changed(self, first: int, last: int) -> None:
        self.calls.append(f"changed {first}-{last}")


def test_shifting_two_thousand_rows_is_one_pass() -> None:
    doc = SubtitleDocument(JOB)
    doc.load(
        [{"id": f"0_{n}", "start": 2.0 * n, "end": 2.0 * n + 1, "text": "x"} for n in range(2000)],
        aligned=True,
    )
    recorder = Recorder()
    doc.observers.append(recorder)
    began = time.perf_counter()
    history = History(doc)
    history.push(shift_rows(doc, 0.5))
    history.undo()
    elapsed = time.perf_counter() - began
    assert recorder.calls == ["changed 0-1999", "changed 0-1999"]  # no row moved
    assert doc.rows[1999].start == 3998.0
    assert elapsed < 0.5


# -- times from the playhead -------------------------------------------------------------------
def test_set_start_and_end_from_the_playhead(document: SubtitleDocument) -> None:
    change = check_undo_redo(document, lambda: set_row_time(document, "0_1", "start", 3.5004))
    assert document.row("0_1").start == 3.5
    assert change.label == "Set the start of subtitle 2 to 0:03.500"
    check_undo_redo(document, lambda: set_row_time(document, "0_1", "end", 6.1))
    assert document.row("0_1").end == 6.1


def test_impossible_times_from_the_playhead_are_refused(document: SubtitleDocument) -> None:
    check_refused(document, lambda: set_row_time(document, "0_1", "start", 6.0), "set its end")
    check_refused(document, lambda: set_row_time(document, "0_1", "end", 3.0), "set its start")
    check_refused(document, lambda: set_row_time(document, "0_1", "start", -1.0), "negative")
    check_refused(
        document,
        lambda: set_row_time(document, "0_1", "middle", 5.0),  # type: ignore[arg-type]
        "neither",
    )


# -- find and replace ---------------------------------------------------------------------------
def found(doc: SubtitleDocument, query: FindQuery) -> list[tuple[int, str]]:
    return [
        (m.position, doc.rows[m.position].text[m.start : m.end]) for m in find_all(doc.rows, query)
    ]


def test_find_plain_whole_word_case_and_regex(document: SubtitleDocument) -> None:
    assert found(document, FindQuery("cat")) == [
        (0, "cat"),
        (1, "cat"),
        (1, "cat"),
        (3, "cat"),
        (3, "CAT"),
    ]
    assert found(document, FindQuery("cat", case_sensitive=True)) == [
        (0, "cat"),
        (1, "cat"),
        (1, "cat"),
        (3, "cat"),
    ]
    assert found(document, FindQuery("cat", whole_word=True)) == [(0, "cat"), (3, "CAT")]
    assert found(document, FindQuery(r"cats?\b", regex=True)) == [
        (0, "cat"),
        (1, "cats"),
        (3, "CAT"),
    ]
    assert found(document, FindQuery("世界")) == [(2, "世界")]
    assert found(document, FindQuery("a.", regex=False)) == []


def test_an_invalid_regex_or_an_empty_search_is_an_edit_error(document: SubtitleDocument) -> None:
    with pytest.raises(EditError, match="not a valid regular expression: .* at position 5"):
        find_all(document.rows, FindQuery("(cat[", regex=True))
    with pytest.raises(EditError, match="Type the text"):
        find_all(document.rows, FindQuery(""))
    check_refused(
        document,
        lambda: replace_all(document, FindQuery("(cat", regex=True), "x"),
        "not a valid regular expression",
    )
    check_refused(
        document,
        lambda: replace_all(document, FindQuery("(cat)", regex=True), r"\2"),
        "replacement",
    )


def test_find_next_wraps_around_both_ways(document: SubtitleDocument) -> None:
    query = FindQuery("cat", whole_word=True)
    first = find_next(document.rows, query)
    assert first == TextMatch("0_0", 0, 4, 7)
    second = find_next(document.rows, query, (first.position, first.end))
    assert second is not None and (second.position, second.start) == (3, 16)
    assert find_next(document.rows, query, (second.position, second.end)) == first
    assert find_next(document.rows, query, (first.position, first.start), backwards=True) == second
    assert find_next(document.rows, FindQuery("zebra")) is None


def test_replace_one_match(document: SubtitleDocument) -> None:
    query = FindQuery("cat", whole_word=True)
    match = find_next(document.rows, query, (1, 0))
    assert match is not None
    change = check_undo_redo(document, lambda: replace_match(document, match, query, "dog"))
    assert document.row("1_0").text == "Concatenate the dog"
    assert change.label == "Replace in subtitle 4"
    check_refused(document, lambda: replace_match(document, match, query, "dog"), "search again")


def test_replace_all_is_one_step(document: SubtitleDocument) -> None:
    query = FindQuery(r"\bcat(s?)\b", regex=True, case_sensitive=True)
    change = check_undo_redo(document, lambda: replace_all(document, query, r"dog\1"))
    assert [r.text for r in document.rows] == [
        "The dog sat down.",
        "The category was dogs.",
        "你好世界，我们走吧",
        "Concatenate the CAT",
    ]
    assert change.label == "Replace 2 × '\\\\bcat(s?)\\\\b' in 2 subtitles"
    assert not replace_all(document, FindQuery("zebra"), "x").changed


def test_replace_all_in_selected_rows_only(document: SubtitleDocument) -> None:
    replace_all(document, FindQuery("the"), "a", ["1_0"])
    assert document.row("1_0").text == "Concatenate a CAT"
    assert document.row("0_1").text == "The category was cats."


def test_a_replacement_is_plain_text_unless_regex(document: SubtitleDocument) -> None:
    replace_all(document, FindQuery("sat"), r"\1 & $0")
    assert document.row("0_0").text == r"The cat \1 & $0 down."


# -- go to a time ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("seconds", "position"),
    [(0.0, 0), (1.0, 0), (2.9, 0), (3.0, 1), (5.0, 1), (6.1, 2), (9.0, 3), (14.0, 3), (14.5, None)],
)
def test_row_at_time(document: SubtitleDocument, seconds: float, position: int | None) -> None:
    assert row_at_time(document.rows, seconds) == position


def test_row_at_time_in_an_empty_table() -> None:
    assert row_at_time([], 3.0) is None


# -- history --------------------------------------------------------------------------------------
def test_history_undoes_and_redoes_in_order(document: SubtitleDocument, tmp_path: Path) -> None:
    original = snapshot(document)
    history = History(document)
    history.push(split_row(document, "0_1", 4))
    history.push(join_rows(document, ["0_0", "0_1"]))
    history.push(shift_rows(document, 2.0))
    history.push(delete_rows(document, ["1_0"]))
    done = snapshot(document)
    assert history.undo_label == "Delete subtitle 4"
    while history.can_undo:
        history.undo()
    assert snapshot(document) == original
    assert history.redo_label == "Split subtitle 2"
    while history.can_redo:
        history.redo()
    assert snapshot(document) == done
    # The edits survive a save and a reload exactly.
    document.save_edits(tmp_path)
    assert Edits.load(tmp_path, JOB).to_dict() == document.edits.to_dict()


def test_a_new_change_clears_redo_and_an_empty_one_is_ignored(document: SubtitleDocument) -> None:
    history = History(document)
    history.push(shift_rows(document, 0.0))
    assert not history.can_undo
    history.push(insert_row(document, "0_0"))
    history.undo()
    assert history.can_redo
    history.push(delete_rows(document, ["0_0"]))
    assert not history.can_redo
    assert history.redo() is None
    history.clear()
    assert history.undo() is None
