"""The subtitle table's view: a ``QTableView`` that never loses the user's place.

Fragments arrive while the user reads and edits. Qt already keeps the current cell,
the selection and an open editor on their rows through persistent indexes; this view
adds what Qt does not do:

- the scroll position stays on the same rows when rows are inserted or removed above
  the viewport (Qt keeps the pixel offset, so the text would slide under the reader);
- a row that moves (its start was edited, or undone) stays current and selected, and an
  editor open on it stays open with what was typed: the document moves a row by
  removing and re-inserting it, which Qt would treat as a deletion;
- around a whole-table reset (the alignment merge) the current row, the selection, the
  top row and an open editor are put back by row id.

The cell editors (``TimeDelegate``, ``TextDelegate``) hand typed strings to the model,
which parses them and refuses bad input.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from subtitle_studio.gui.subtitle_model import (
    COL_CPS,
    COL_DURATION,
    COL_END,
    COL_INDEX,
    COL_START,
    COL_TEXT,
    COLUMN_COUNT,
    EDITABLE_COLUMNS,
    SubtitleTableModel,
)

logger = logging.getLogger(__name__)

AnyIndex = QModelIndex | QPersistentModelIndex
_SELECT_ROWS = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows


# -- editors -------------------------------------------------------------------------------
class _TrackingDelegate(QStyledItemDelegate):
    """Remembers its open editor and row, so the view can carry the user's typing over
    when the row moves or the table is reloaded.

    ``setEditorData`` leaves an editor the user has typed in alone: a view refreshes an
    open editor on every ``dataChanged`` covering its cell (a live fragment, re-aligned
    times), which would otherwise wipe half-typed words.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._editor: QWidget | None = None
        self._index = QPersistentModelIndex()
        self._committing = False

    def open_editor(self) -> tuple[QWidget, QPersistentModelIndex] | None:
        """The open editor and its cell; ``None`` when none is open or it is being
        committed (a committed edit that moves its row must not reopen the editor)."""
        if self._editor is None or not self._index.isValid() or self._committing:
            return None
        return self._editor, self._index

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        """Hand the typed string to the model, which parses it or refuses it."""
        self._committing = True
        try:
            model.setData(index, self.editor_text(editor), Qt.ItemDataRole.EditRole)
        finally:
            self._committing = False

    def _track(self, editor: QWidget, index: AnyIndex) -> QWidget:
        self._editor, self._index = editor, QPersistentModelIndex(index)
        return editor

    def release(self, editor: QWidget) -> None:
        """Unhook an editor the view is dropping, so its late focus-out cannot commit or
        close the editor that replaces it (QAbstractItemView unhooks only its default
        delegate from an editor whose row was removed or reset)."""
        editor.removeEventFilter(self)
        if editor is self._editor:
            self._editor, self._index = None, QPersistentModelIndex()

    def destroyEditor(self, editor: QWidget, index: AnyIndex) -> None:
        self.release(editor)
        super().destroyEditor(editor, index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self._editor:
            return False  # an editor already dropped: nothing of it may reach the model
        if event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            # Enter commits at once (Qt would queue it for a line edit and leave it to a
            # text box); Shift+Enter breaks the line in the text box.
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                if shift and isinstance(watched, QPlainTextEdit):
                    watched.insertPlainText("\n")
                    return True
                self.commitData.emit(watched)
                self.closeEditor.emit(watched, QAbstractItemDelegate.EndEditHint.NoHint)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.closeEditor.emit(watched, QAbstractItemDelegate.EndEditHint.RevertModelCache)
                return True
        return super().eventFilter(watched, event)

    def editor_text(self, editor: QWidget) -> str:
        raise NotImplementedError

    def set_editor_text(self, editor: QWidget, text: str) -> None:
        raise NotImplementedError


class TimeDelegate(_TrackingDelegate):
    """A one-line editor for Start and End, starting from the time as the cell shows it."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        editor = QLineEdit(parent)
        editor.setFrame(False)
        editor.setPlaceholderText("1:02.500")
        editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return self._track(editor, index)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QLineEdit)
        if not editor.isModified():
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.selectAll()

    def editor_text(self, editor: QWidget) -> str:
        assert isinstance(editor, QLineEdit)
        return editor.text()

    def set_editor_text(self, editor: QWidget, text: str) -> None:
        assert isinstance(editor, QLineEdit)
        editor.setText(text)
        editor.setModified(True)


class TextDelegate(_TrackingDelegate):
    """A multi-line editor for the text: Enter or Ctrl+Enter commits, Shift+Enter starts a
    new line, Escape cancels, Tab moves on. A two-line subtitle is edited as two lines."""

    #: Lines the editor shows at least, so a two-line subtitle and the caret both fit.
    EDITOR_LINES = 3

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        editor = QPlainTextEdit(parent)
        editor.setTabChangesFocus(True)
        return self._track(editor, index)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QPlainTextEdit)
        if not editor.document().isModified():
            editor.setPlainText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.moveCursor(QTextCursor.MoveOperation.End)
            editor.document().setModified(False)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> None:
        rect = option.rect
        needed = editor.fontMetrics().lineSpacing() * self.EDITOR_LINES + 8
        editor.setGeometry(rect.x(), rect.y(), rect.width(), max(rect.height(), needed))

    def editor_text(self, editor: QWidget) -> str:
        assert isinstance(editor, QPlainTextEdit)
        return editor.toPlainText()

    def set_editor_text(self, editor: QWidget, text: str) -> None:
        assert isinstance(editor, QPlainTextEdit)
        editor.setPlainText(text)
        editor.moveCursor(QTextCursor.MoveOperation.End)
        editor.document().setModified(True)


# -- the view ------------------------------------------------------------------------------
@dataclass(frozen=True)
class VisibleState:
    """Where the user is, by row id, so it survives a reset that renews every index."""

    current_id: str | None = None
    current_column: int = COL_TEXT
    selected_ids: tuple[str, ...] = ()
    top_id: str | None = None
    #: Where the top row's upper edge sits in the viewport (0 or negative pixels).
    top_offset: int = 0


@dataclass
class _Carried:
    """A row leaving the table that may come straight back (a move): what to put back."""

    current_column: int | None = None
    selected: bool = False
    #: For the current row: the whole selection, which Qt resets when the current row goes.
    selection: tuple[str, ...] = ()
    editor_column: int | None = None
    editor_text: str | None = None


class SubtitleTableView(QTableView):
    """The subtitle table, configured for reading and correcting subtitles."""

    #: An editor closed (committed or canceled): a good moment for deferred work.
    editorClosed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.time_delegate = TimeDelegate(self)
        self.text_delegate = TextDelegate(self)
        self._anchor: tuple[str, int] | None = None
        self._carried: dict[str, _Carried] = {}
        self._reset_state: VisibleState | None = None
        self._reset_editor: tuple[str, int, str] | None = None
        self._model: SubtitleTableModel | None = None

        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setItemDelegateForColumn(COL_START, self.time_delegate)
        self.setItemDelegateForColumn(COL_END, self.time_delegate)
        self.setItemDelegateForColumn(COL_TEXT, self.text_delegate)
        rows = self.verticalHeader()
        rows.hide()  # the "#" column numbers the rows
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # Two lines of text: a subtitle's usual size, compact enough to read many at once.
        rows.setDefaultSectionSize(self.fontMetrics().lineSpacing() * 2 + 6)
        self.doubleClicked.connect(self._on_double_clicked)

    # -- model wiring ----------------------------------------------------------------
    def setModel(self, model: QAbstractItemModel | None) -> None:
        old = self._model
        if old is not None and old is not model:
            old.rowsAboutToBeInserted.disconnect(self._before_insert)
            old.rowsInserted.disconnect(self._after_insert)
            old.rowsRemoved.disconnect(self._after_remove)
            old.modelAboutToBeReset.disconnect(self._before_reset)
            old.modelReset.disconnect(self._after_reset)
        old_selection = self.selectionModel()
        super().setModel(model)
        if old_selection is not None and old_selection is not self.selectionModel():
            old_selection.deleteLater()  # Qt leaves the old one to whoever set the model
        self._model = model if isinstance(model, SubtitleTableModel) else None
        self._anchor, self._carried = None, {}
        if self._model is None or self._model is old:
            return
        # Connected after QTableView's own connections, so the header has laid out the
        # new rows by the time these run.
        self._model.rowsAboutToBeInserted.connect(self._before_insert)
        self._model.rowsInserted.connect(self._after_insert)
        self._model.rowsRemoved.connect(self._after_remove)
        self._model.modelAboutToBeReset.connect(self._before_reset)
        self._model.modelReset.connect(self._after_reset)
        self._size_columns()

    def _size_columns(self) -> None:
        header = self.horizontalHeader()
        metrics = self.fontMetrics()
        pad = 4 * metrics.horizontalAdvance(" ") + 8
        widths = {
            COL_INDEX: metrics.horizontalAdvance("0000 ✎"),
            COL_START: metrics.horizontalAdvance("0:00:00.000"),
            COL_END: metrics.horizontalAdvance("0:00:00.000"),
            COL_DURATION: metrics.horizontalAdvance("00.00 s"),
            COL_CPS: metrics.horizontalAdvance("00.0"),
        }
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(column, width + pad)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)

    # -- public --------------------------------------------------------------------------
    def is_editing(self) -> bool:
        return self.state() == QAbstractItemView.State.EditingState

    def visible_state(self) -> VisibleState:
        """The current row, the selection and the top row, by id."""
        model = self._model
        if model is None:
            return VisibleState()
        current = self.currentIndex()
        selected = tuple(
            row_id
            for index in self.selectionModel().selectedRows()
            if (row_id := model.row_id(index)) is not None
        )
        top = self.rowAt(0)
        return VisibleState(
            current_id=model.row_id(current),
            current_column=current.column() if current.isValid() else COL_TEXT,
            selected_ids=selected,
            top_id=model.row_id(model.index(top, 0)) if top >= 0 else None,
            top_offset=self.rowViewportPosition(top) if top >= 0 else 0,
        )

    def restore_visible_state(self, state: VisibleState) -> None:
        """Put back what ``visible_state`` captured, for the rows that still exist."""
        model = self._model
        if model is None:
            return
        self._select_ids(state.selected_ids)
        current = (
            model.index_of(state.current_id, state.current_column) if state.current_id else None
        )
        if current is not None and current.isValid():
            self.selectionModel().setCurrentIndex(
                current, QItemSelectionModel.SelectionFlag.NoUpdate
            )
        if state.top_id is not None:
            self._scroll_to(state.top_id, state.top_offset)

    def _select_ids(self, row_ids: tuple[str, ...]) -> None:
        """Select exactly these rows (those that exist)."""
        model = self._model
        assert model is not None
        selection = QItemSelection()
        for row_id in row_ids:
            index = model.index_of(row_id, 0)
            if index.isValid():
                selection.select(index, model.index(index.row(), COLUMN_COUNT - 1))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.selectionModel().select(selection, flags | QItemSelectionModel.SelectionFlag.Rows)

    # -- keeping the rows under the reader -----------------------------------------------
    def _top_anchor(self, skip_first: int = -1, skip_last: int = -2) -> tuple[str, int] | None:
        """The top visible row's id and viewport offset; if that row is about to be
        removed, the first row after the removed ones, placed where they began."""
        model = self._model
        top = self.rowAt(0)
        if model is None or top < 0:
            return None
        offset = self.rowViewportPosition(top)
        if skip_first <= top <= skip_last:
            offset = self.rowViewportPosition(skip_first)
            top = skip_last + 1
            if top >= model.rowCount():
                return None
        row_id = model.row_id(model.index(top, 0))
        return (row_id, offset) if row_id is not None else None

    def _scroll_to(self, row_id: str, offset: int) -> None:
        model = self._model
        index = model.index_of(row_id, 0) if model is not None else QModelIndex()
        if not index.isValid():
            return
        self.updateGeometries()  # the scroll range must already include new rows
        target = self.verticalHeader().sectionPosition(index.row()) - offset
        self.verticalScrollBar().setValue(target)

    def _before_insert(self, parent: QModelIndex, first: int, last: int) -> None:
        self._anchor = self._top_anchor()

    def _after_insert(self, parent: QModelIndex, first: int, last: int) -> None:
        self._restore_anchor()
        if self._carried:
            self._bring_back(first, last)

    def rowsAboutToBeRemoved(self, parent: QModelIndex, start: int, end: int) -> None:
        # Runs before Qt drops the removed rows from the selection and closes their editor.
        self._anchor = self._top_anchor(start, end)
        self._remember_leaving(start, end)
        super().rowsAboutToBeRemoved(parent, start, end)

    def _after_remove(self, parent: QModelIndex, first: int, last: int) -> None:
        self._restore_anchor()

    def _restore_anchor(self) -> None:
        anchor, self._anchor = self._anchor, None
        if anchor is not None:
            self._scroll_to(*anchor)

    # -- rows that move (removed, then at once inserted again) -----------------------------
    def _open_editor(self) -> tuple[_TrackingDelegate, QWidget, QPersistentModelIndex] | None:
        for delegate in (self.text_delegate, self.time_delegate):
            found = delegate.open_editor()
            if found is not None and self.is_editing():
                return delegate, found[0], found[1]
        return None

    def _remember_leaving(self, first: int, last: int) -> None:
        model = self._model
        if model is None:
            return
        current = self.currentIndex()
        selected = {index.row() for index in self.selectionModel().selectedRows()}
        editing = self._open_editor()
        for row in range(first, last + 1):
            row_id = model.row_id(model.index(row, 0))
            if row_id is None:
                continue
            carried = _Carried(selected=row in selected)
            if current.row() == row:
                carried.current_column = current.column()
                carried.selection = self.visible_state().selected_ids
            if editing is not None and editing[2].row() == row:
                delegate, editor, index = editing
                carried.editor_column = index.column()
                carried.editor_text = delegate.editor_text(editor)
            if carried != _Carried():
                if not self._carried:
                    # Moves finish within one document call; forget at the next turn.
                    QTimer.singleShot(0, self._carried.clear)
                self._carried[row_id] = carried

    def _bring_back(self, first: int, last: int) -> None:
        model = self._model
        assert model is not None
        for row in range(first, last + 1):
            row_id = model.row_id(model.index(row, 0))
            carried = self._carried.pop(row_id, None) if row_id is not None else None
            if carried is None:
                continue
            if carried.selected:
                self.selectionModel().select(model.index(row, 0), _SELECT_ROWS)
            if carried.current_column is not None:
                self._select_ids(carried.selection)
                self.selectionModel().setCurrentIndex(
                    model.index(row, carried.current_column),
                    QItemSelectionModel.SelectionFlag.NoUpdate,
                )
            if carried.editor_column is not None and carried.editor_text is not None:
                self._reopen_editor(row_id, carried.editor_column, carried.editor_text)

    def _reopen_editor(self, row_id: str, column: int, text: str) -> None:
        model = self._model
        index = model.index_of(row_id, column) if model is not None else QModelIndex()
        if not index.isValid():
            return
        self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.edit(index)
        editing = self._open_editor()
        if editing is not None and editing[2] == index:
            editing[0].set_editor_text(editing[1], text)
            logger.debug("kept the open editor on %s across a change of rows", row_id)

    # -- resets ---------------------------------------------------------------------------
    def _before_reset(self) -> None:
        self._reset_state = self.visible_state()
        editing = self._open_editor()
        model = self._model
        self._reset_editor = None
        if editing is not None and model is not None:
            delegate, editor, index = editing
            row_id = model.row_id(index)
            if row_id is not None:
                self._reset_editor = (row_id, index.column(), delegate.editor_text(editor))
            delegate.release(editor)

    def _after_reset(self) -> None:
        state, self._reset_state = self._reset_state, None
        editor, self._reset_editor = self._reset_editor, None
        self._carried.clear()
        if state is not None:
            self.restore_visible_state(state)
        if editor is not None:
            self._reopen_editor(*editor)

    # -- editing by keyboard and mouse ---------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2)
        if event.key() in keys and not self.is_editing() and self.currentIndex().isValid():
            self._edit_row(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)

    def _on_double_clicked(self, index: QModelIndex) -> None:
        # A double-click on a cell that cannot be edited (#, Duration, CPS) edits the text.
        if index.isValid() and index.column() not in EDITABLE_COLUMNS and not self.is_editing():
            self._edit_row(index)

    def _edit_row(self, index: QModelIndex) -> None:
        if index.column() not in EDITABLE_COLUMNS:
            index = index.siblingAtColumn(COL_TEXT)
            self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.edit(index)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        self.editorClosed.emit()
