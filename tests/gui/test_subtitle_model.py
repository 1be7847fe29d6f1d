"""The subtitle table model: rows follow the document, edits become undoable commands,
bad input is refused with a message, and Qt's model checker finds nothing wrong."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QIdentityProxyModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QUndoStack
from PySide6.QtTest import QAbstractItemModelTester

from subtitle_studio.core.document import Row, SubtitleDocument
from subtitle_studio.core.subtitle_rules import LineRules
from subtitle_studio.gui.subtitle_model import (
    COL_CPS,
    COL_DURATION,
    COL_END,
    COL_INDEX,
    COL_START,
    COL_TEXT,
    MODIFIED_ROLE,
    ROW_ID_ROLE,
    ROW_ROLE,
    SubtitleTableModel,
)

DISPLAY = Qt.ItemDataRole.DisplayRole


def fragment(segment: int, count: int = 3, *, base: float | None = None) -> list[dict[str, Any]]:
    """``count`` machine rows of one chunk, two seconds apart from ``base``."""
    start = segment * 10.0 if base is None else base
    return [
        {
            "id": f"{segment}_{n}",
            "start": start + 2 * n,
            "end": start + 2 * n + 1.5,
            "text": f"words {segment}.{n}",
        }
        for n in range(count)
    ]


@pytest.fixture
def document() -> SubtitleDocument:
    doc = SubtitleDocument("job-1")
    doc.add_fragment(1, fragment(1))
    doc.add_fragment(2, fragment(2))
    return doc


@pytest.fixture
def stack() -> QUndoStack:
    return QUndoStack()


@pytest.fixture
def model(document: SubtitleDocument, stack: QUndoStack) -> SubtitleTableModel:
    return SubtitleTableModel(document, stack)


def ids(model: SubtitleTableModel) -> list[str]:
    return [model.index(r, 0).data(ROW_ID_ROLE) for r in range(model.rowCount())]


def snapshot(document: SubtitleDocument) -> tuple[list[Row], dict[str, Any]]:
    return list(document.rows), document.edits.to_dict()


class RowIdentity(QIdentityProxyModel):
    """The model seen with column 0 showing the row id.

    Qt's model tester recognises "the same row" by column 0's text before and after an
    insert or removal; the ``#`` column shows positions, which rightly change for every
    row below. Through this proxy every structural signal of the real model is checked.
    """

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY) -> Any:
        if index.column() == COL_INDEX and role == DISPLAY:
            return super().data(index, ROW_ID_ROLE)
        return super().data(index, role)


# -- rows follow the document ------------------------------------------------------------
def test_rows_appear_in_time_order_as_fragments_arrive(model, document, qtbot) -> None:
    with qtbot.waitSignal(model.rowsInserted) as blocker:
        document.add_fragment(0, fragment(0, 1))
    assert blocker.args[1:] == [0, 0]
    assert model.rowCount() == 7
    assert ids(model) == ["0_0", "1_0", "1_1", "1_2", "2_0", "2_1", "2_2"]
    assert model.index(0, COL_TEXT).data() == "words 0.0"
    assert model.index(1, COL_INDEX).data() == "2"


def test_numbers_below_an_insertion_are_announced(model, document, qtbot) -> None:
    with qtbot.waitSignal(model.dataChanged) as blocker:
        document.add_fragment(0, fragment(0, 1))
    top, bottom = blocker.args[0], blocker.args[1]
    assert (top.row(), top.column(), bottom.row(), bottom.column()) == (1, 0, 6, 0)
    assert model.index(6, COL_INDEX).data() == "7"


def test_model_checker_on_a_model_with_rows(model, qtmodeltester, qtlog) -> None:
    qtmodeltester.check(model, force_py=True)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    assert not [r.message for r in qtlog.records if "FAIL" in r.message]


def test_model_checker_while_rows_are_added_removed_edited(
    model, document, stack, qtmodeltester, qtlog
) -> None:
    proxy = RowIdentity()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)
    tester = QAbstractItemModelTester(proxy, QAbstractItemModelTester.FailureReportingMode.Warning)
    document.add_fragment(0, fragment(0, 2))  # above every row
    document.add_fragment(5, fragment(5, 2))  # below
    document.add_fragment(1, fragment(1, 2, base=10.5))  # a chunk redone: replaced
    assert model.setData(model.index_of("2_1", COL_TEXT), "new words")
    assert model.setData(model.index_of("2_1", COL_END), "0:56")
    assert model.setData(model.index_of("2_1", COL_START), "0:55")  # moves down
    assert model.delete_rows(["0_1", "1_0"])
    assert model.insert_row(3.0, 4.0, "mine")
    while stack.canUndo():
        stack.undo()
    while stack.canRedo():
        stack.redo()
    document.load(fragment(1, 4), aligned=True)
    assert ids(model) == [row.id for row in document.rows] and model.rowCount() >= 4
    del tester
    assert not [r.message for r in qtlog.records if "FAIL" in r.message]


# -- what the cells show ---------------------------------------------------------------------
def test_display_edit_and_alignment_roles(model, document) -> None:
    document.add_fragment(9, [{"id": "9_0", "start": 3723.5, "end": 3725.85, "text": "Hi there"}])
    index = model.index_of("9_0", COL_START)
    row = index.row()
    assert model.index(row, COL_START).data() == "1:02:03.500"
    assert model.index(row, COL_END).data() == "1:02:05.850"
    assert model.index(row, COL_DURATION).data() == "2.35 s"
    assert model.index(row, COL_CPS).data() == "3.4"  # 8 characters / 2.35 s
    assert model.index(0, COL_START).data(Qt.ItemDataRole.EditRole) == "0:10.000"
    assert model.index(0, COL_TEXT).data(Qt.ItemDataRole.EditRole) == "words 1.0"
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    assert model.index(0, COL_START).data(Qt.ItemDataRole.TextAlignmentRole) == right
    assert model.index(0, COL_CPS).data(Qt.ItemDataRole.TextAlignmentRole) == right
    assert model.index(0, COL_TEXT).data(Qt.ItemDataRole.TextAlignmentRole) != right
    assert model.index(row, 0).data(ROW_ROLE) is document.row("9_0")
    assert model.headerData(COL_TEXT, Qt.Orientation.Horizontal) == "Text"


def test_only_times_and_text_are_editable(model) -> None:
    editable = Qt.ItemFlag.ItemIsEditable
    assert [bool(model.flags(model.index(0, c)) & editable) for c in range(6)] == [
        False,
        True,
        True,
        False,
        False,
        True,
    ]


def test_reading_speed_over_the_limit_is_flagged(model, document) -> None:
    long_text = "x" * 40  # 40 characters in 1.5 s: far above 17 per second
    document.add_fragment(9, [{"id": "9_0", "start": 95.0, "end": 96.5, "text": long_text}])
    fast = model.index_of("9_0", COL_CPS)
    slow = model.index(0, COL_CPS)
    assert model.rules.max_cps == LineRules().max_cps
    assert isinstance(fast.data(Qt.ItemDataRole.ForegroundRole), QColor)
    assert slow.data(Qt.ItemDataRole.ForegroundRole) is None
    assert "Too fast to read: 26.7" in fast.data(Qt.ItemDataRole.ToolTipRole)
    assert slow.data(Qt.ItemDataRole.ToolTipRole) is None


def test_edited_rows_get_a_tint_from_the_palette(model, qapp) -> None:
    index = model.index(1, COL_TEXT)
    assert index.data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.setData(index, "changed")
    tint = model.index(1, COL_CPS).data(Qt.ItemDataRole.BackgroundRole)
    highlight = QGuiApplication.palette().color(QPalette.ColorRole.Highlight)
    assert tint.rgb() == highlight.rgb()
    assert 0 < tint.alpha() < 100  # soft: the text stays readable in light and dark themes


# -- edits -------------------------------------------------------------------------------------
def test_text_edit_goes_through_the_undo_stack_and_marks_the_row(
    model, document, stack, qtbot
) -> None:
    index = model.index_of("1_1", COL_TEXT)
    applied: list[str] = []
    model.editApplied.connect(applied.append)
    with qtbot.waitSignal(model.dataChanged) as changed:
        assert model.setData(index, "  Hello\nworld ")
    assert applied == ["1_1"]  # once: pushing the applied command did not redo it
    top, bottom = changed.args[0], changed.args[1]
    assert (top.row(), bottom.row(), top.column(), bottom.column()) == (1, 1, 0, COL_TEXT)
    assert document.row("1_1").text == "Hello\nworld"
    assert stack.count() == 1 and stack.undoText() == "Edit subtitle 2 (text)"
    assert index.data(MODIFIED_ROLE) is True
    assert model.index(1, COL_INDEX).data() == "2 ✎"
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "Edited by you: text"
    edit = document.edits.rows["1_1"]
    assert (edit.text, edit.stage, edit.changed) == ("Hello\nworld", "unaligned", {"text"})
    assert model.index(0, COL_TEXT).data(MODIFIED_ROLE) is False


def test_time_edits_are_parsed_and_recorded_with_the_aligned_stage(model, document) -> None:
    document.load(fragment(1), aligned=True)
    assert model.setData(model.index_of("1_1", COL_START), "0:12.250")
    assert model.setData(model.index_of("1_1", COL_END), "13,9")
    row = document.row("1_1")
    assert (row.start, row.end) == (12.25, 13.9)
    edit = document.edits.rows["1_1"]
    assert (edit.stage, edit.changed) == ("aligned", {"start", "end"})
    tip = model.index_of("1_1", COL_TEXT).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "Edited by you: start, end"


def test_unchanged_commit_records_nothing(model, document, stack) -> None:
    document.add_fragment(9, [{"id": "9_0", "start": 95.12345, "end": 96.5, "text": " Hi"}])
    start = model.index_of("9_0", COL_START)
    text = model.index_of("9_0", COL_TEXT)
    assert model.setData(start, start.data(Qt.ItemDataRole.EditRole))
    assert model.setData(text, text.data(Qt.ItemDataRole.EditRole))
    assert stack.count() == 0 and document.edits.empty
    assert document.row("9_0").start == 95.12345


def test_undo_and_redo_restore_rows_and_edits_exactly(model, document, stack) -> None:
    before = snapshot(document)
    assert model.setData(model.index_of("1_1", COL_TEXT), "first fix")
    assert model.setData(model.index_of("1_1", COL_TEXT), "second fix")
    assert model.setData(model.index_of("2_0", COL_END), "0:21.900")
    assert model.setData(model.index_of("1_1", COL_END), "0:27")
    assert model.setData(model.index_of("1_1", COL_START), "0:21")  # moves below 2_0
    after = snapshot(document)
    assert ids(model) == ["1_0", "1_2", "2_0", "1_1", "2_1", "2_2"]
    for _ in range(5):
        stack.undo()
    assert snapshot(document) == before
    assert ids(model) == ["1_0", "1_1", "1_2", "2_0", "2_1", "2_2"]
    assert document.edits.to_dict() == before[1] and document.edits.empty
    for _ in range(5):
        stack.redo()
    assert snapshot(document) == after
    stack.undo()
    assert document.row("1_1").start == 12.0 and document.row("1_1").text == "second fix"
    assert document.edits.rows["1_1"].changed == {"text", "end"}
    assert document.edits.rows["1_1"].end == 27.0


def test_undo_and_redo_tell_the_window_which_row_changed(model, stack, qtbot) -> None:
    assert model.setData(model.index_of("1_1", COL_TEXT), "fixed")
    with qtbot.waitSignal(model.editApplied) as undone:
        stack.undo()
    assert undone.args == ["1_1"]


def test_delete_and_insert_undo(model, document, stack) -> None:
    before = snapshot(document)
    assert model.delete_rows(["1_1", "2_2"])
    assert ids(model) == ["1_0", "1_2", "2_0", "2_1"]
    assert document.edits.deleted == {"1_1": "unaligned", "2_2": "unaligned"}
    assert stack.undoText() == "Delete 2 subtitles"
    stack.undo()
    assert snapshot(document) == before

    row_id = model.insert_row(15.0, 16.0, "my own words")
    assert row_id is not None and ids(model)[3] == row_id
    assert document.edits.inserted[row_id]["text"] == "my own words"
    added = snapshot(document)
    stack.undo()
    assert snapshot(document) == before
    stack.redo()
    assert snapshot(document) == added and document.position(row_id) == 3


def test_undoing_a_delete_keeps_the_order_of_rows_that_start_together(model, document, stack):
    document.add_fragment(
        9,
        [
            {"id": "9_0", "start": 50.0, "end": 51.0, "text": "first"},
            {"id": "9_1", "start": 50.0, "end": 52.0, "text": "second"},
            {"id": "9_2", "start": 50.0, "end": 53.0, "text": "third"},
        ],
    )
    before = snapshot(document)
    assert model.delete_rows(["9_2", "9_1"])  # in the order the user picked them
    stack.undo()
    assert snapshot(document) == before


def test_undoing_the_delete_of_an_added_row_restores_edits_json_exactly(model, document, stack):
    first = model.insert_row(1.0, 2.0, "one")
    second = model.insert_row(3.0, 4.0, "two")
    assert first and second
    before = document.edits.to_dict()
    assert model.delete_rows([first])
    stack.undo()
    assert document.edits.to_dict() == before


def test_delete_of_an_unknown_row_changes_nothing(model, document, stack, qtbot) -> None:
    before = snapshot(document)
    with qtbot.waitSignal(model.editRefused) as refused:
        assert not model.delete_rows(["1_1", "nope"])
    assert "nope" in refused.args[0]
    assert snapshot(document) == before and stack.count() == 0


@pytest.mark.parametrize(
    ("column", "typed", "message"),
    [
        (COL_START, "abc", "That is not a time"),
        (COL_START, "1:75", "Seconds must be below 60"),
        (COL_END, "0:09", "must end after it starts"),  # row 1_0 starts at 0:10
        (COL_TEXT, " \n ", "needs some text"),
    ],
)
def test_bad_input_is_refused_with_a_message(
    model, document, stack, qtbot, column, typed, message
) -> None:
    before = snapshot(document)
    applied = []
    model.editApplied.connect(applied.append)
    with qtbot.waitSignal(model.editRefused) as refused:
        assert model.setData(model.index_of("1_0", column), typed) is False
    assert message in refused.args[0]
    assert snapshot(document) == before
    assert stack.count() == 0 and applied == [] and not document.dirty


def test_a_start_typed_past_the_end_moves_the_subtitle(model, document, stack) -> None:
    """Typing a later start than the end means "move it": the duration is kept."""
    row = document.row("1_0")
    duration = row.end - row.start
    assert model.setData(model.index_of("1_0", COL_START), "0:30")
    moved = document.row("1_0")
    assert (moved.start, round(moved.end - moved.start, 3)) == (30.0, round(duration, 3))
    stack.undo()
    assert (document.row("1_0").start, document.row("1_0").end) == (row.start, row.end)


def test_helpers_map_ids_and_indexes(model, document) -> None:
    index = model.index_of("2_1", COL_END)
    assert (index.row(), index.column()) == (4, COL_END)
    assert model.row_id(index) == "2_1"
    assert not model.index_of("missing").isValid()
    assert model.row_id(QModelIndex()) is None


def test_a_closed_model_stops_listening(document, stack) -> None:
    model = SubtitleTableModel(document, stack)
    other = SubtitleTableModel(document, stack)
    model.detach()
    document.add_fragment(7, fragment(7))
    assert model.rowCount() == 9 and other.rowCount() == 9
    assert len(document.observers) == 1
    del model, other  # an undetached model that is gone must not break the document
    document.add_fragment(8, fragment(8))
    assert len(document) == 12
