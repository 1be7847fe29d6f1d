"""Find and replace: a dialog that stays open beside the table (non-modal).

Find next selects the row of the next match (wrapping around), Replace replaces the
match found and finds the next, Replace all replaces every match as one undoable step.
An invalid regular expression is said in the dialog, not raised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
)

from subtitle_studio.core import edit_ops
from subtitle_studio.core.edit_ops import FindQuery, TextMatch
from subtitle_studio.errors import EditError
from subtitle_studio.gui.error_text import change_text, user_message

if TYPE_CHECKING:
    from subtitle_studio.gui.edit_actions import EditActions


class FindReplaceDialog(QDialog):
    def __init__(self, actions: EditActions) -> None:
        super().__init__(actions.window)
        self.actions = actions
        self.setWindowTitle(self.tr("Find and replace"))
        self.setModal(False)
        self.find_edit = QLineEdit(self)
        self.replace_edit = QLineEdit(self)
        self.whole_word = QCheckBox(self.tr("&Whole words"), self)
        self.regex = QCheckBox(self.tr("Regular e&xpression"), self)
        self.case = QCheckBox(self.tr("Match &case"), self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.find_button = QPushButton(self.tr("Find &next"), self)
        self.replace_button = QPushButton(self.tr("&Replace"), self)
        self.replace_all_button = QPushButton(self.tr("Replace &all"), self)
        self.find_button.setDefault(True)
        self.find_button.clicked.connect(self.find_next)
        self.replace_button.clicked.connect(self.replace)
        self.replace_all_button.clicked.connect(self.replace_all)
        for box in (self.find_edit, self.whole_word, self.regex, self.case):
            signal = box.textChanged if isinstance(box, QLineEdit) else box.toggled
            signal.connect(self._forget_match)

        options = QHBoxLayout()
        for box in (self.whole_word, self.regex, self.case):
            options.addWidget(box)
        buttons = QHBoxLayout()
        for button in (self.find_button, self.replace_button, self.replace_all_button):
            buttons.addWidget(button)
        form = QFormLayout(self)
        form.addRow(self.tr("Find:"), self.find_edit)
        form.addRow(self.tr("Replace with:"), self.replace_edit)
        form.addRow(options)
        form.addRow(buttons)
        form.addRow(self.message)
        self._match: TextMatch | None = None

    def query(self) -> FindQuery:
        return FindQuery(
            self.find_edit.text(),
            regex=self.regex.isChecked(),
            whole_word=self.whole_word.isChecked(),
            case_sensitive=self.case.isChecked(),
        )

    def _say(self, text: str) -> None:
        self.message.setText(text)

    @Slot()
    def _forget_match(self) -> None:
        self._match = None

    @Slot()
    def find_next(self, after: tuple[int, int] | None = None) -> TextMatch | None:
        opened = self.actions.opened()
        if opened is None:
            self._say(self.tr("Open a job or a subtitle file first."))
            return None
        if after is None and self._match is not None:
            after = (self._match.position, self._match.end)
        if after is None:
            current = self.actions.window.table.currentIndex()
            after = (current.row(), 0) if current.isValid() else None
        try:
            match = edit_ops.find_next(opened.document.rows, self.query(), after)
        except EditError as exc:
            self._say(user_message(exc))
            return None
        self._match = match
        if match is None:
            self._say(self.tr("Not found."))
            return None
        self.actions.select_rows([match.row_id])
        self._say(self.tr("Found in subtitle {number}.").format(number=match.position + 1))
        return match

    @Slot()
    def replace(self) -> None:
        """Replace the match found last (finding one first if there is none)."""
        match = self._match
        if match is None:
            self.find_next()
            return
        opened = self.actions.opened()
        if opened is None:
            return
        old_length = len(opened.document.row(match.row_id).text)
        query, replacement = self.query(), self.replace_edit.text()
        try:
            change = edit_ops.replace_match(opened.document, match, query, replacement)
        except EditError as exc:
            self._match = None
            self._say(user_message(exc))
            return
        self.actions.apply(lambda _opened: change)  # already applied: push it for undo
        grown = len(opened.document.row(match.row_id).text) - old_length
        self._match = None
        self.find_next(after=(match.position, match.end + grown))

    @Slot()
    def replace_all(self) -> None:
        query, replacement = self.query(), self.replace_edit.text()
        change = self.actions.apply(
            lambda opened: edit_ops.replace_all(opened.document, query, replacement)
        )
        self._match = None
        if change is None:
            try:
                query.compile()
            except EditError as exc:
                self._say(user_message(exc))
            return
        self._say(change_text(change) if change.changed else self.tr("Nothing to replace."))
