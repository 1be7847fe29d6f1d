"""Undo and redo for the subtitle table: ``QUndoCommand``s over the document's own methods.

Each command does its work once, when it is created, through the document's public
methods (``edit``, ``delete``, ``insert``). An invalid edit therefore raises
``EditError`` *before* anything reaches the undo stack, so a refused edit can never
leave a command behind that undoes nothing or, worse, undoes something else.

Around that first change each command captures the complete ``RowState`` of every row it
touches, before and after. Undo and redo put those states back with
``SubtitleDocument.restore``, which rewrites the row *and* its record in ``edits.json``
exactly, so undo gives back the file the user had, not merely the text they saw.

Constructing a command applies it; push it with ``stack.push(cmd)``: the first
``redo()``, which ``QUndoStack.push`` calls, is a no-op.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from subtitle_studio.core.document import RowState, SubtitleDocument
from subtitle_studio.core.edit_ops import Change
from subtitle_studio.core.timecode import format_display
from subtitle_studio.errors import EditError
from subtitle_studio.gui.error_text import change_text

logger = logging.getLogger(__name__)

#: Called with a row id after an undo or redo changed that row's edits, so the window can
#: schedule saving ``edits.json`` and re-alignment exactly as for a fresh edit.
ChangeListener = Callable[[str], None]


def _number(document: SubtitleDocument, row_id: str) -> int:
    """The 1-based row number the user sees, for the command's text in the Edit menu."""
    position = document.position(row_id)
    return position + 1 if position is not None else 0


class _StateCommand(QUndoCommand):
    """Swaps captured row states in and out of the document.

    Restoring "after" states on redo (rather than calling the document method again)
    is what makes redo exact: an inserted row comes back with the same id, so later
    commands on the stack that name that id still find it.
    """

    def __init__(
        self,
        document: SubtitleDocument,
        before: Sequence[RowState],
        after: Sequence[RowState],
        text: str,
        on_change: ChangeListener | None,
    ) -> None:
        super().__init__(text)
        self._document = document
        self._before = tuple(before)
        self._after = tuple(after)
        self._on_change = on_change
        self._applied = True  # created applied: the stack's first redo() does nothing

    @property
    def row_ids(self) -> tuple[str, ...]:
        return tuple(state.row_id for state in self._after)

    @property
    def changed(self) -> bool:
        """False when applying changed nothing: such a command is not worth pushing."""
        return self._before != self._after

    def redo(self) -> None:
        if self._applied:
            return
        self._put(self._after)
        self._applied = True

    def undo(self) -> None:
        # In table order: the document re-inserts a row after any row with the same start,
        # so restoring top to bottom puts rows with equal starts back in their old order.
        self._put(self._before)
        self._applied = False

    def _put(self, states: Iterable[RowState]) -> None:
        changed = []
        for state in states:
            self._document.restore(state)
            changed.append(state.row_id)
        logger.debug("%s: restored %s", self.text(), changed)
        if self._on_change is not None:
            for row_id in changed:
                self._on_change(row_id)


class EditRowCommand(_StateCommand):
    """The user changed a row's text and/or times.

    Constructing it applies the edit; ``EditError`` (nothing changed, nothing to push)
    when the edit is invalid. ``changed`` is False when the new values equal the old.
    """

    def __init__(
        self,
        document: SubtitleDocument,
        row_id: str,
        text: str | None = None,
        start: float | None = None,
        end: float | None = None,
        *,
        on_change: ChangeListener | None = None,
    ) -> None:
        number = _number(document, row_id)
        before = document.state_of(row_id)
        if before.row is None:
            raise EditError("There is no subtitle {row_id}.", row_id=row_id)
        document.edit(row_id, text=text, start=start, end=end)
        after = document.state_of(row_id)
        text_changed = after.row is not None and after.row.text != before.row.text
        times_changed = after.row is not None and (after.row.start, after.row.end) != (
            before.row.start,
            before.row.end,
        )
        if text_changed and times_changed:
            label = QCoreApplication.translate("Undo", "Edit subtitle {number} (text and times)")
        elif text_changed:
            label = QCoreApplication.translate("Undo", "Edit subtitle {number} (text)")
        elif times_changed:
            label = QCoreApplication.translate("Undo", "Edit subtitle {number} (times)")
        else:
            label = QCoreApplication.translate("Undo", "Edit subtitle {number}")
        label = label.format(number=number)
        super().__init__(document, [before], [after], label, on_change)

    @classmethod
    def create(
        cls,
        document: SubtitleDocument,
        row_id: str,
        text: str | None = None,
        start: float | None = None,
        end: float | None = None,
        *,
        on_change: ChangeListener | None = None,
    ) -> EditRowCommand | None:
        """Apply the edit; the applied command, or ``None`` when nothing changed."""
        command = cls(document, row_id, text, start, end, on_change=on_change)
        return command if command.changed else None


class DeleteRowsCommand(_StateCommand):
    """The user deleted one or more rows; undo brings them and their edits back.

    All or nothing: if one id is unknown, the rows deleted so far come back and
    ``EditError`` is raised.
    """

    def __init__(
        self,
        document: SubtitleDocument,
        row_ids: Iterable[str],
        *,
        on_change: ChangeListener | None = None,
    ) -> None:
        ids = sorted(dict.fromkeys(row_ids), key=lambda row_id: _number(document, row_id))
        numbers = [_number(document, row_id) for row_id in ids]
        before: list[RowState] = []
        try:
            for row_id in ids:
                state = document.state_of(row_id)
                document.delete(row_id)
                before.append(state)
        except EditError:
            for state in before:
                document.restore(state)
            raise
        after = [document.state_of(row_id) for row_id in ids]
        if len(ids) == 1:
            label = QCoreApplication.translate("Undo", "Delete subtitle {number}")
        else:
            label = QCoreApplication.translate("Undo", "Delete {count} subtitles")
        label = label.format(number=numbers[0] if numbers else "", count=len(ids))
        super().__init__(document, before, after, label, on_change)


class InsertRowCommand(_StateCommand):
    """The user added a row of their own; ``EditError`` (nothing inserted) if its times
    are impossible."""

    def __init__(
        self,
        document: SubtitleDocument,
        start: float,
        end: float,
        text: str,
        *,
        on_change: ChangeListener | None = None,
    ) -> None:
        row = document.insert(start, end, text)
        before = RowState(row.id, None, None, None, None)
        after = document.state_of(row.id)
        label = QCoreApplication.translate("Undo", "Add subtitle at {time}").format(
            time=format_display(start)
        )
        super().__init__(document, [before], [after], label, on_change)

    @property
    def row_id(self) -> str:
        return self.row_ids[0]


class ChangeCommand(_StateCommand):
    """A change an operation of ``core/edit_ops`` has already applied (insert, split,
    merge, shift, replace…): undo restores its ``before`` states, redo its ``after``."""

    def __init__(
        self,
        document: SubtitleDocument,
        change: Change,
        *,
        on_change: ChangeListener | None = None,
    ) -> None:
        super().__init__(document, change.before, change.after, change_text(change), on_change)

    def _put(self, states: Iterable[RowState]) -> None:
        # Many rows at once (shifting every subtitle): one pass over the table.
        states = tuple(states)
        self._document.restore_many(states)
        if self._on_change is not None:
            for state in states:
                self._on_change(state.row_id)
