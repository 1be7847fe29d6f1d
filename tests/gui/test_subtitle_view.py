"""The subtitle table view: the user's place (cursor, selection, scroll, open editor)
survives rows arriving, rows moving and the whole table being reloaded."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QPlainTextEdit

from subtitle_studio.core.document import SubtitleDocument
from subtitle_studio.gui.subtitle_model import (
    COL_CPS,
    COL_END,
    COL_START,
    COL_TEXT,
    SubtitleTableModel,
)
from subtitle_studio.gui.subtitle_view import SubtitleTableView, VisibleState

ROWS_PER_CHUNK = 5


def chunk(segment: int, count: int = ROWS_PER_CHUNK) -> list[dict[str, Any]]:
    """Rows of chunk ``segment``: it covers ten seconds from ``10 * segment``."""
    return [
        {
            "id": f"{segment}_{n}",
            "start": segment * 10.0 + 2 * n,
            "end": segment * 10.0 + 2 * n + 1.5,
            "text": f"chunk {segment} line {n}",
        }
        for n in range(count)
    ]


def build(qtbot, chunks: range) -> tuple[SubtitleTableView, SubtitleTableModel]:
    document = SubtitleDocument("job-1")
    for segment in chunks:
        document.add_fragment(segment, chunk(segment))
    stack = QUndoStack()
    model = SubtitleTableModel(document, stack)
    view = SubtitleTableView()
    view.setModel(model)
    qtbot.addWidget(view)
    view.resize(900, 420)
    view.show()
    qtbot.waitExposed(view)
    return view, model


@pytest.fixture
def small(qtbot) -> tuple[SubtitleTableView, SubtitleTableModel]:
    return build(qtbot, range(2, 6))  # 20 rows, 20 s to 60 s: room for rows before 20 s


@pytest.fixture
def big(qtbot) -> tuple[SubtitleTableView, SubtitleTableModel]:
    return build(qtbot, range(2, 102))  # 500 rows


def current_id(view: SubtitleTableView, model: SubtitleTableModel) -> str | None:
    return model.row_id(view.currentIndex())


def selected_ids(view: SubtitleTableView, model: SubtitleTableModel) -> list[str]:
    rows = sorted(view.selectionModel().selectedRows(), key=lambda i: i.row())
    return [model.row_id(i) for i in rows]


def select(view: SubtitleTableView, model: SubtitleTableModel, *row_ids: str) -> None:
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row_id in row_ids:
        view.selectionModel().select(model.index_of(row_id, 0), flags)
    view.selectionModel().setCurrentIndex(
        model.index_of(row_ids[-1], COL_TEXT), QItemSelectionModel.SelectionFlag.NoUpdate
    )


def top_row(view: SubtitleTableView, model: SubtitleTableModel) -> tuple[str | None, int]:
    row = view.rowAt(0)
    return model.row_id(model.index(row, 0)), view.rowViewportPosition(row)


def text_editor(view: SubtitleTableView) -> QPlainTextEdit:
    found = view.text_delegate.open_editor()
    assert found is not None and view.is_editing()
    assert isinstance(found[0], QPlainTextEdit) and found[0].isVisible()
    return found[0]


def test_the_table_is_set_up_for_subtitle_work(small) -> None:
    view, model = small
    assert view.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows
    assert view.alternatingRowColors() and view.wordWrap()
    assert view.horizontalHeader().sectionResizeMode(COL_TEXT) == QHeaderView.ResizeMode.Stretch
    assert view.columnWidth(COL_TEXT) > 2 * view.columnWidth(COL_START)
    assert view.verticalHeader().isHidden()
    assert view.rowHeight(0) < 3 * view.fontMetrics().lineSpacing()
    assert view.itemDelegateForColumn(COL_START) is view.time_delegate
    assert view.itemDelegateForColumn(COL_TEXT) is view.text_delegate


# -- live rows ------------------------------------------------------------------------------
def test_rows_arriving_keep_the_current_row_and_selection(small) -> None:
    view, model = small
    select(view, model, "3_1", "3_2")
    model.document.add_fragment(0, chunk(0))  # five rows above
    model.document.add_fragment(9, chunk(9))  # five rows below
    assert model.rowCount() == 30
    assert current_id(view, model) == "3_2" and view.currentIndex().column() == COL_TEXT
    assert selected_ids(view, model) == ["3_1", "3_2"]


def test_an_open_editor_stays_on_its_row_while_rows_arrive(small, qtbot) -> None:
    view, model = small
    index = model.index_of("3_1", COL_TEXT)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = text_editor(view)
    qtbot.keyClicks(editor, " and more")
    model.document.add_fragment(0, chunk(0))  # rows arrive above the edited one
    model.document.add_fragment(1, chunk(1))
    assert text_editor(view) is editor
    assert model.row_id(view.text_delegate.open_editor()[1]) == "3_1"
    assert editor.toPlainText() == "chunk 3 line 1 and more"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert not view.is_editing()
    assert model.document.row("3_1").text == "chunk 3 line 1 and more"
    assert model.index(6, COL_TEXT).data() == "chunk 1 line 1"  # what took its old place
    assert set(model.document.edits.rows) == {"3_1"}
    assert current_id(view, model) == "3_1"


def test_rows_inserted_above_the_viewport_do_not_move_the_text(big) -> None:
    view, model = big
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2 + 7)  # mid-document, the top row partly scrolled off
    before_top, before_value = top_row(view, model), bar.value()
    assert before_top[1] < 0
    model.document.add_fragment(0, chunk(0, 3))  # three rows at the very top
    assert top_row(view, model) == before_top
    assert bar.value() == before_value + 3 * view.rowHeight(0)


def test_rows_inserted_below_the_viewport_leave_the_scroll_alone(big) -> None:
    view, model = big
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    before_top, before_value = top_row(view, model), bar.value()
    model.document.add_fragment(150, chunk(150))
    assert model.rowCount() == 505
    assert bar.value() == before_value and top_row(view, model) == before_top


def test_rows_removed_above_the_viewport_do_not_move_the_text(big) -> None:
    view, model = big
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    before_top, before_value = top_row(view, model), bar.value()
    assert model.delete_rows(["2_0", "2_1"])
    assert top_row(view, model) == before_top
    assert bar.value() == before_value - 2 * view.rowHeight(0)


def test_new_rows_do_not_scroll_the_table_to_them(big) -> None:
    view, model = big
    bar = view.verticalScrollBar()
    bar.setValue(0)
    view.setCurrentIndex(model.index(0, COL_TEXT))
    model.document.add_fragment(150, chunk(150))
    assert bar.value() == 0 and top_row(view, model) == ("2_0", 0)


# -- rows that move -------------------------------------------------------------------------
def test_a_row_whose_start_is_edited_moves_and_stays_current(small, qtbot) -> None:
    view, model = small
    select(view, model, "2_1")
    assert model.setData(model.index_of("2_1", COL_END), "0:47")
    assert model.setData(model.index_of("2_1", COL_START), "0:45.500")
    assert model.index_of("2_1", 0).row() == 12  # after 4_2 (44 s)
    assert current_id(view, model) == "2_1" and selected_ids(view, model) == ["2_1"]
    model.undo_stack.undo()  # back up to its old place: still the user's row
    assert model.index_of("2_1", 0).row() == 1
    assert current_id(view, model) == "2_1" and selected_ids(view, model) == ["2_1"]


def test_an_open_editor_follows_its_row_when_the_row_moves(small, qtbot) -> None:
    view, model = small
    document = model.document
    assert model.setData(model.index_of("2_1", COL_TEXT), "corrected")
    index = model.index_of("2_1", COL_TEXT)
    view.setCurrentIndex(index)
    view.edit(index)
    qtbot.keyClicks(text_editor(view), " again")
    assert document.set_realigned_times("2_1", 30.2, 31.0)  # re-alignment moves the row
    editor = text_editor(view)
    assert model.row_id(view.text_delegate.open_editor()[1]) == "2_1"
    assert editor.toPlainText() == "corrected again"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert document.row("2_1").text == "corrected again"
    assert document.position("2_1") == 5


def test_a_deleted_row_does_not_come_back_as_current_later(small, qtbot) -> None:
    view, model = small
    select(view, model, "2_1")
    assert model.delete_rows(["2_1"])
    view.setCurrentIndex(model.index_of("4_0", COL_TEXT))
    QCoreApplication.processEvents()  # one event-loop turn: the delete is finished
    model.undo_stack.undo()
    assert current_id(view, model) == "4_0"


# -- whole-table reloads ------------------------------------------------------------------
def test_a_reload_keeps_current_selection_top_row_and_editor(big, qtbot) -> None:
    view, model = big
    bar = view.verticalScrollBar()
    select(view, model, "30_0", "40_1")
    bar.setValue(bar.maximum() // 3 + 5)
    top = top_row(view, model)
    state = view.visible_state()
    rows = [row for segment in range(2, 102) for row in chunk(segment)]
    model.document.load(rows, aligned=True)  # the alignment merge: a model reset
    assert view.visible_state() == state
    assert current_id(view, model) == "40_1" and selected_ids(view, model) == ["30_0", "40_1"]
    assert top_row(view, model) == top


def test_restore_visible_state_puts_back_what_it_captured(big) -> None:
    view, model = big
    bar = view.verticalScrollBar()
    select(view, model, "30_0", "30_2")
    bar.setValue(2000)
    state = view.visible_state()
    assert state.current_id == "30_2" and state.selected_ids == ("30_0", "30_2")
    view.clearSelection()
    view.setCurrentIndex(model.index(0, COL_CPS))
    bar.setValue(0)
    view.restore_visible_state(state)
    assert view.visible_state() == state
    assert bar.value() == 2000
    assert view.currentIndex().column() == COL_TEXT
    view.restore_visible_state(VisibleState(current_id="gone", selected_ids=("gone",)))
    assert selected_ids(view, model) == []


def test_an_open_editor_survives_a_reload(small, qtbot) -> None:
    view, model = small
    index = model.index_of("3_3", COL_TEXT)
    view.setCurrentIndex(index)
    view.edit(index)
    qtbot.keyClicks(text_editor(view), "!")
    model.document.load([row for s in range(2, 6) for row in chunk(s)], aligned=True)
    editor = text_editor(view)
    assert editor.toPlainText() == "chunk 3 line 3!"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert model.document.row("3_3").text == "chunk 3 line 3!"


# -- editors --------------------------------------------------------------------------------
def test_text_editor_keys(small, qtbot) -> None:
    view, model = small
    index = model.index_of("2_0", COL_TEXT)
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_Return)  # Enter opens the editor
    editor = text_editor(view)
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(editor, "second line")
    assert view.is_editing()  # Shift+Enter did not commit
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not view.is_editing()
    assert model.document.row("2_0").text == "chunk 2 line 0\nsecond line"

    qtbot.keyClick(view, Qt.Key.Key_F2)
    qtbot.keyClicks(text_editor(view), " never kept")
    qtbot.keyClick(text_editor(view), Qt.Key.Key_Escape)
    assert not view.is_editing()
    assert model.document.row("2_0").text == "chunk 2 line 0\nsecond line"
    assert model.undo_stack.count() == 1


def test_enter_on_a_read_only_cell_edits_the_text(small, qtbot) -> None:
    view, model = small
    view.setCurrentIndex(model.index_of("2_2", COL_CPS))
    qtbot.keyClick(view, Qt.Key.Key_Enter)
    text_editor(view)
    assert view.currentIndex() == model.index_of("2_2", COL_TEXT)


def test_time_editor_hands_the_typed_time_to_the_model(small, qtbot) -> None:
    view, model = small
    refused: list[str] = []
    model.editRefused.connect(refused.append)
    index = model.index_of("2_0", COL_END)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.time_delegate.open_editor()[0]
    assert isinstance(editor, QLineEdit) and editor.text() == "0:21.500"
    editor.selectAll()
    qtbot.keyClicks(editor, "0:21.8")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert model.document.row("2_0").end == 21.8 and refused == []
    view.edit(index)
    editor = view.time_delegate.open_editor()[0]
    editor.selectAll()
    qtbot.keyClicks(editor, "0:19")  # before its start
    with qtbot.waitSignal(model.editRefused):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert model.document.row("2_0").end == 21.8


def test_typing_survives_a_change_to_the_edited_row(small, qtbot) -> None:
    view, model = small
    assert model.setData(model.index_of("2_1", COL_TEXT), "corrected")
    index = model.index_of("2_1", COL_TEXT)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = text_editor(view)
    qtbot.keyClicks(editor, " more")
    assert model.document.set_realigned_times("2_1", 22.0, 23.9)  # same start: no move
    assert text_editor(view) is editor and editor.toPlainText() == "corrected more"
    assert model.index_of("2_1", COL_END).data() == "0:23.900"


def test_switching_documents_leaves_the_old_one_alone(small, big) -> None:
    view, model = small
    other_view, other = big
    other_view.setModel(None)
    view.setModel(other)
    assert view.model() is other and view.horizontalHeader().count() == 6
    QCoreApplication.processEvents()  # the view lays out the new rows
    bar = view.verticalScrollBar()
    bar.setValue(1000)
    model.document.add_fragment(0, chunk(0))  # the job no longer shown keeps streaming
    assert bar.value() == 1000
    other.document.add_fragment(0, chunk(0))  # the shown one still keeps its place
    assert bar.value() == 1000 + 5 * view.rowHeight(0)
    view.setModel(None)
    other.document.add_fragment(1, chunk(1))
    assert view.visible_state() == VisibleState()


def test_committing_a_start_that_moves_the_row_closes_the_editor(small, qtbot) -> None:
    view, model = small
    assert model.setData(model.index_of("2_1", COL_END), "0:47")
    select(view, model, "2_0", "2_1")
    index = model.index_of("2_1", COL_START)
    view.edit(index)
    editor = view.time_delegate.open_editor()[0]
    editor.selectAll()
    qtbot.keyClicks(editor, "0:45.5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert model.document.position("2_1") == 12
    assert not view.is_editing() and view.time_delegate.open_editor() is None
    assert current_id(view, model) == "2_1"
    assert selected_ids(view, model) == ["2_0", "2_1"]
