"""The Edit menu's row operations: insert, delete, split, merge, shift, find and replace,
go to a time, next problem.

Each action runs one operation of ``core/edit_ops`` on the shown document and pushes
its ``Change`` on the job's undo stack as a ``ChangeCommand``, so Ctrl+Z takes it back;
a refused operation (``EditError``) changes nothing and says why in the banner.
Questions (the shift offset, the time to go to) are methods the tests replace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QInputDialog,
    QMenu,
    QPlainTextEdit,
)

from subtitle_studio.core import edit_ops
from subtitle_studio.core.edit_ops import Change
from subtitle_studio.core.subtitle_checks import next_problem
from subtitle_studio.core.timecode import parse_time
from subtitle_studio.errors import EditError
from subtitle_studio.gui.error_text import change_text, user_message
from subtitle_studio.gui.find_replace import FindReplaceDialog
from subtitle_studio.gui.subtitle_model import check_tooltip
from subtitle_studio.gui.undo import ChangeCommand

if TYPE_CHECKING:
    from subtitle_studio.gui.main_window import MainWindow
    from subtitle_studio.gui.session import JobDocument

log = logging.getLogger(__name__)


def split_point(text: str) -> int:
    """Where a row splits without an editor's cursor: the space nearest the middle
    (the middle itself for text without spaces, such as Chinese)."""
    middle = len(text) // 2
    spaces = [i for i, char in enumerate(text) if char.isspace()]
    return min(spaces, key=lambda i: abs(i - middle)) if spaces else middle


def _same_place(typed: str, cursor: int, saved: str) -> int:
    """``cursor`` in the editor's ``typed`` text, moved to the same place in ``saved``
    (the text as the table keeps it: blank lines and spaces around lines removed)."""
    wanted = sum(1 for char in typed[:cursor] if not char.isspace())
    seen = 0
    for i, char in enumerate(saved):
        if seen == wanted:
            return i
        if not char.isspace():
            seen += 1
    return len(saved)


class EditActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.find_dialog: FindReplaceDialog | None = None

        def action(text: str, slot: Callable[[], None], shortcut: str, tip: str) -> QAction:
            act = QAction(text, window)
            act.setShortcut(QKeySequence(shortcut))
            act.setToolTip(tip)
            act.triggered.connect(slot)
            return act

        self.act_insert_before = action(
            self.tr("Insert subtitle &before"),
            self.insert_before,
            "Ctrl+Shift+Ins",
            self.tr("Add a row above"),
        )
        self.act_insert_after = action(
            self.tr("&Insert subtitle after"),
            self.insert_after,
            "Ctrl+Ins",
            self.tr("Add a row below"),
        )
        self.act_delete = action(
            self.tr("&Delete subtitles"),
            self.delete_rows,
            "Ctrl+Del",
            self.tr("Delete the selected rows"),
        )
        self.act_split = action(
            self.tr("S&plit at cursor"),
            self.split,
            "Ctrl+Shift+B",
            self.tr("Split the row at the text cursor (or at the space nearest its middle)"),
        )
        self.act_merge = action(
            self.tr("&Merge subtitles"),
            self.merge,
            "Ctrl+M",
            self.tr("Merge the selected neighbouring rows"),
        )
        self.act_shift = action(
            self.tr("S&hift times…"),
            self.shift_times,
            "Ctrl+Shift+H",
            self.tr("Move all or the selected rows"),
        )
        self.act_find = action(
            self.tr("&Find and replace…"),
            self.find_replace,
            "Ctrl+F",
            self.tr("Find and replace text"),
        )
        self.act_goto = action(
            self.tr("&Go to time…"),
            self.go_to_time,
            "Ctrl+G",
            self.tr("Select the row showing at a time"),
        )
        self.act_next_problem = action(
            self.tr("&Next problem"),
            self.next_problem,
            "F8",
            self.tr("Select the next row with a warning"),
        )

    def fill_menu(self, menu: QMenu) -> None:
        for group in (
            (self.act_insert_before, self.act_insert_after, self.act_delete),
            (self.act_split, self.act_merge, self.act_shift),
            (self.act_find, self.act_goto, self.act_next_problem),
        ):
            menu.addSeparator()
            for act in group:
                menu.addAction(act)

    # -- the shown document ------------------------------------------------------------
    def opened(self) -> JobDocument | None:
        return self.window.session.documents.get(self.window.current_job or "")

    def selected_ids(self, opened: JobDocument) -> list[str]:
        selection = self.window.table.selectionModel()
        if selection is None:
            return []
        indexes = selection.selectedRows() or (
            [selection.currentIndex()] if selection.currentIndex().isValid() else []
        )
        ids = [opened.model.row_id(index) for index in indexes]
        return [row_id for row_id in ids if row_id is not None]

    def select_rows(self, row_ids: list[str]) -> None:
        opened = self.opened()
        selection = self.window.table.selectionModel()
        if opened is None or selection is None:
            return
        indexes = [opened.model.index_of(row_id, 0) for row_id in row_ids]
        indexes = [index for index in indexes if index.isValid()]
        if not indexes:
            return
        flags = QItemSelectionModel.SelectionFlag
        selection.setCurrentIndex(indexes[0], flags.ClearAndSelect | flags.Rows)
        for index in indexes[1:]:
            selection.select(index, flags.Select | flags.Rows)
        self.window.table.scrollTo(indexes[0])

    def apply(self, operation: Callable[[JobDocument], Change]) -> Change | None:
        """Run ``operation`` on the shown document and push its change; a refusal goes
        to the banner. The changed rows end up selected."""
        opened = self.opened()
        if opened is None:
            return None
        try:
            change = operation(opened)
        except EditError as exc:
            self.window.show_banner(user_message(exc))
            return None
        if not change.changed:
            return change
        model = opened.model
        opened.undo.push(ChangeCommand(opened.document, change, on_change=model.editApplied.emit))
        for row_id in change.row_ids:
            model.editApplied.emit(row_id)
        self.window.session.save_edits_soon()
        shown = [s.row_id for s in change.after if s.row is not None]
        self.select_rows(shown)
        self.window.statusBar().showMessage(change_text(change), 5000)
        return change

    # -- operations ----------------------------------------------------------------------
    @Slot()
    def insert_before(self) -> None:
        self._insert(before=True)

    @Slot()
    def insert_after(self) -> None:
        self._insert(before=False)

    def _insert(self, *, before: bool) -> None:
        def run(opened: JobDocument) -> Change:
            ids = self.selected_ids(opened)
            anchor = (ids[0] if before else ids[-1]) if ids else None
            if anchor is None and before and len(opened.document):
                anchor = opened.document.rows[0].id
            return edit_ops.insert_row(opened.document, anchor, before=before)

        self.apply(run)

    @Slot()
    def delete_rows(self) -> None:
        self.apply(lambda opened: edit_ops.delete_rows(opened.document, self.selected_ids(opened)))

    @Slot()
    def merge(self) -> None:
        self.apply(lambda opened: edit_ops.join_rows(opened.document, self.selected_ids(opened)))

    @Slot()
    def split(self) -> None:
        table = self.window.table
        row_id: str | None = None
        cursor = 0
        found = table.text_delegate.open_editor()
        opened = self.opened()
        if opened is not None and found is not None and table.is_editing():
            editor, index = found
            row_id = opened.model.row_id(index)
            assert isinstance(editor, QPlainTextEdit)
            typed, cursor = editor.toPlainText(), editor.textCursor().position()
            table.text_delegate.commitData.emit(editor)  # keep what was typed, then split
            table.text_delegate.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            if row_id is not None and opened.document.position(row_id) is not None:
                cursor = _same_place(typed, cursor, opened.document.row(row_id).text)

        def run(opened: JobDocument) -> Change:
            nonlocal row_id, cursor
            if row_id is None:
                ids = self.selected_ids(opened)
                if len(ids) != 1:
                    raise EditError("Select one subtitle to split.")
                row_id = ids[0]
                cursor = split_point(opened.document.row(row_id).text)
            return edit_ops.split_row(opened.document, row_id, cursor)

        self.apply(run)

    def ask_shift(self, has_selection: bool) -> tuple[float, bool] | None:
        """The offset in seconds and whether only the selected rows move; ``None``: cancel."""
        dialog = QDialog(self.window)
        dialog.setWindowTitle(self.tr("Shift times"))
        offset = QDoubleSpinBox(dialog)
        offset.setRange(-36000.0, 36000.0)
        offset.setDecimals(3)
        offset.setSingleStep(0.1)
        offset.setSuffix(self.tr(" s"))
        only = QCheckBox(self.tr("Only the selected subtitles"), dialog)
        only.setEnabled(has_selection)
        only.setChecked(has_selection)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form = QFormLayout(dialog)
        form.addRow(self.tr("Move by (negative: earlier)"), offset)
        form.addRow(only)
        form.addRow(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return offset.value(), only.isChecked()

    @Slot()
    def shift_times(self) -> None:
        opened = self.opened()
        if opened is None:
            return
        selected = self.selected_ids(opened)
        answer = self.ask_shift(len(selected) > 1)
        if answer is None:
            return
        offset, only_selected = answer
        rows = selected if only_selected else None
        self.apply(lambda opened: edit_ops.shift_rows(opened.document, offset, rows))

    def ask_time(self) -> str | None:
        text, ok = QInputDialog.getText(
            self.window, self.tr("Go to time"), self.tr("Time (like 1:02.500 or 62.5):")
        )
        return text if ok and text.strip() else None

    @Slot()
    def go_to_time(self) -> None:
        opened = self.opened()
        typed = self.ask_time() if opened is not None else None
        if opened is None or typed is None:
            return
        try:
            seconds = parse_time(typed)
        except EditError as exc:
            self.window.show_banner(user_message(exc))
            return
        position = edit_ops.row_at_time(opened.document.rows, seconds)
        if position is None:
            self.window.show_banner(
                self.tr("No subtitle shows at or after {time}.").format(time=typed.strip())
            )
            return
        self.select_rows([opened.document.rows[position].id])

    @Slot()
    def next_problem(self) -> None:
        opened = self.opened()
        if opened is None:
            return
        current = self.window.table.currentIndex()
        position = next_problem(
            opened.model.flags_of_rows(), current.row() if current.isValid() else -1
        )
        if position is None:
            self.window.statusBar().showMessage(self.tr("No subtitle has a problem."), 5000)
            return
        self.select_rows([opened.document.rows[position].id])
        tip = check_tooltip(opened.model.row_flags(position))
        self.window.statusBar().showMessage(
            self.tr("Subtitle {number}: {problems}").format(number=position + 1, problems=tip),
            10000,
        )

    @Slot()
    def find_replace(self) -> None:
        if self.find_dialog is None:
            self.find_dialog = FindReplaceDialog(self)
        self.find_dialog.show()
        self.find_dialog.raise_()
        self.find_dialog.activateWindow()
