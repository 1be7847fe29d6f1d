"""The subtitle table's Qt model: a thin adapter over the core ``SubtitleDocument``.

The document stays the single source of truth and knows no Qt; this model only
translates. The document's observer hooks become ``beginInsertRows``/``endInsertRows``
and friends, so views keep their persistent indexes (current cell, selection, open
editor) while fragments stream in. Edits never write to the document directly: they
become ``QUndoCommand``s on the stack the window owns, so every change the user makes
through the table can be undone, and a refused edit leaves no trace.
"""

from __future__ import annotations

import logging
import weakref
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QUndoStack

from subtitle_studio.core.document import DocumentObserver, Row, SubtitleDocument
from subtitle_studio.core.subtitle_checks import Problem, RowFlags, check_rows
from subtitle_studio.core.subtitle_rules import LineRules
from subtitle_studio.core.timecode import format_display, parse_time, to_milliseconds
from subtitle_studio.errors import EditError
from subtitle_studio.gui.error_text import user_message
from subtitle_studio.gui.responsive import AllRolesAtOnce
from subtitle_studio.gui.undo import DeleteRowsCommand, EditRowCommand, InsertRowCommand

logger = logging.getLogger(__name__)

COL_INDEX, COL_START, COL_END, COL_DURATION, COL_CPS, COL_TEXT = range(6)
COLUMN_COUNT = 6
#: Translation context of the table's headers and tooltips (``headerData`` translates).
CONTEXT = "SubtitleTable"
#: English sources; shown through ``QCoreApplication.translate(CONTEXT, …)``.
HEADERS = (
    QT_TRANSLATE_NOOP("SubtitleTable", "#"),
    QT_TRANSLATE_NOOP("SubtitleTable", "Start"),
    QT_TRANSLATE_NOOP("SubtitleTable", "End"),
    QT_TRANSLATE_NOOP("SubtitleTable", "Duration"),
    QT_TRANSLATE_NOOP("SubtitleTable", "CPS"),
    QT_TRANSLATE_NOOP("SubtitleTable", "Text"),
)
HEADER_TIPS = (
    QT_TRANSLATE_NOOP("SubtitleTable", "Subtitle number; ✎ marks a subtitle you edited"),
    QT_TRANSLATE_NOOP("SubtitleTable", "When the subtitle appears (double-click to change)"),
    QT_TRANSLATE_NOOP("SubtitleTable", "When the subtitle disappears (double-click to change)"),
    QT_TRANSLATE_NOOP("SubtitleTable", "How long the subtitle stays on screen"),
    QT_TRANSLATE_NOOP("SubtitleTable", "Reading speed in characters per second"),
    QT_TRANSLATE_NOOP(
        "SubtitleTable",
        "The subtitle text (double-click to change; Shift+Enter for a new line)",
    ),
)
#: The names of a row's fields in "Edited by you: …", in ``_FIELD_ORDER``.
FIELD_NAMES = {
    "text": QT_TRANSLATE_NOOP("SubtitleTable", "text"),
    "start": QT_TRANSLATE_NOOP("SubtitleTable", "start"),
    "end": QT_TRANSLATE_NOOP("SubtitleTable", "end"),
}
EDITABLE_COLUMNS = frozenset({COL_START, COL_END, COL_TEXT})
MODIFIED_MARK = "✎"

Index = QModelIndex | QPersistentModelIndex

_USER = int(Qt.ItemDataRole.UserRole)
#: The row's stable id (``str``), e.g. ``"3_1"`` or ``"u1a2b…"`` for a row the user added.
ROW_ID_ROLE = _USER + 1
#: Whether the user changed the row (``bool``).
MODIFIED_ROLE = _USER + 2
#: The core ``Row`` itself, for code that needs several fields at once.
ROW_ROLE = _USER + 3

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
#: Low enough that text stays readable on the tint in light and dark palettes alike.
_MODIFIED_TINT_ALPHA = 48
_FIELD_ORDER = ("text", "start", "end")
_WARNING_ROLES = [Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole]
#: Which cell shows which check's warning (colour and tooltip).
_COLUMN_PROBLEMS = {
    COL_CPS: int(Problem.READING_SPEED),
    COL_TEXT: int(Problem.LINE_LENGTH | Problem.TOO_MANY_LINES),
    COL_START: int(Problem.BAD_TIMES),
    COL_END: int(Problem.OVERLAP | Problem.BAD_TIMES),
    COL_DURATION: int(Problem.TOO_SHORT | Problem.TOO_LONG | Problem.BAD_TIMES),
}


def check_tooltip(flags: RowFlags) -> str:
    """A row's problems, one translated sentence each (``RowFlags.tooltip`` in English).

    The core's checks know no Qt, so their sentences are written again here, with the
    numbers formatted exactly as the core formats them and filled in after translation.
    """
    bits, rules, out = flags.bits, flags.rules, []
    if bits & Problem.BAD_TIMES:
        out.append(
            QCoreApplication.translate("SubtitleChecks", "Ends before it starts: fix its times.")
        )
    if bits & Problem.READING_SPEED:
        out.append(
            QCoreApplication.translate(
                "SubtitleChecks",
                "Too fast to read: {cps} characters per second (at most {max_cps}); "
                "shorten the text or lengthen the time.",
            ).format(cps=f"{flags.cps:.1f}", max_cps=f"{flags.max_cps:g}")
        )
    if bits & Problem.LINE_LENGTH:
        out.append(
            QCoreApplication.translate(
                "SubtitleChecks", "A line has {count} characters (at most {limit})."
            ).format(count=flags.longest_line, limit=flags.line_limit)
        )
    if bits & Problem.TOO_MANY_LINES:
        out.append(
            QCoreApplication.translate(
                "SubtitleChecks", "{lines} lines (at most {max_lines})."
            ).format(lines=flags.lines, max_lines=flags.max_lines)
        )
    if bits & Problem.TOO_SHORT:
        out.append(
            QCoreApplication.translate(
                "SubtitleChecks", "Shown for {duration} s, less than {limit} s."
            ).format(duration=f"{flags.duration:.3f}", limit=f"{rules.min_duration_s:g}")
        )
    if bits & Problem.TOO_LONG:
        out.append(
            QCoreApplication.translate(
                "SubtitleChecks", "Shown for {duration} s, more than {limit} s."
            ).format(duration=f"{flags.duration:.3f}", limit=f"{rules.max_duration_s:g}")
        )
    if bits & Problem.OVERLAP:
        out.append(
            QCoreApplication.translate(
                "SubtitleChecks", "Overlaps the next subtitle by {overlap} s."
            ).format(overlap=f"{flags.overlap:.3f}")
        )
    return "\n".join(out)


def _normal_text(value: Any) -> str:
    """Typed text as a subtitle holds it: no blank lines, no spaces around lines."""
    return "\n".join(line.strip() for line in str(value).splitlines() if line.strip())


class _Observer(DocumentObserver):
    """Forwards document hooks to the model without keeping it alive.

    The document outlives any one window's model; a weak reference (and a check that the
    C++ side still exists) means a model that was closed without ``detach()`` costs a
    no-op per change instead of a crash.
    """

    def __init__(self, model: SubtitleTableModel) -> None:
        self._model = weakref.ref(model)

    def _target(self) -> SubtitleTableModel | None:
        model = self._model()
        if model is None or not shiboken6.isValid(model):
            return None
        return model

    def rows_about_to_be_inserted(self, first: int, last: int) -> None:
        if model := self._target():
            model.beginInsertRows(QModelIndex(), first, last)

    def rows_inserted(self, first: int, last: int) -> None:
        if model := self._target():
            model._flags = None
            model.endInsertRows()
            model._renumbered_from(last + 1)

    def rows_about_to_be_removed(self, first: int, last: int) -> None:
        if model := self._target():
            model.beginRemoveRows(QModelIndex(), first, last)

    def rows_removed(self, first: int, last: int) -> None:
        if model := self._target():
            model._flags = None
            model.endRemoveRows()
            model._renumbered_from(first)

    def rows_changed(self, first: int, last: int) -> None:
        if model := self._target():
            model._flags = None
            model.dataChanged.emit(model.index(first, 0), model.index(last, COLUMN_COUNT - 1))
            if first > 0:  # the row above may overlap a changed row, or no longer
                above = model.index(first - 1, COL_END)
                model.dataChanged.emit(above, above, _WARNING_ROLES)

    def about_to_reset(self) -> None:
        if model := self._target():
            model.beginResetModel()

    def reset_done(self) -> None:
        if model := self._target():
            model._flags = None
            model.endResetModel()


class SubtitleTableModel(AllRolesAtOnce, QAbstractTableModel):
    """Rows of a ``SubtitleDocument`` as a table; edits go through ``undo_stack``."""

    #: A typed value was refused; the message says why and how to type it.
    editRefused = Signal(str)
    #: A row's edits changed (edit, insert, delete, undo, redo): time to save edits.json
    #: and perhaps re-align the row. The row may no longer exist (deleted).
    editApplied = Signal(str)

    def __init__(
        self,
        document: SubtitleDocument,
        undo_stack: QUndoStack,
        parent: QObject | None = None,
        rules: LineRules | None = None,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._undo_stack = undo_stack
        self._rules = rules or LineRules()
        #: ``check_rows`` of the document, recomputed on first use after a change.
        self._flags: list[RowFlags] | None = None
        self._observer = _Observer(self)
        document.observers.append(self._observer)

    # -- wiring --------------------------------------------------------------------
    @property
    def document(self) -> SubtitleDocument:
        return self._document

    @property
    def undo_stack(self) -> QUndoStack:
        return self._undo_stack

    @property
    def rules(self) -> LineRules:
        return self._rules

    def detach(self) -> None:
        """Stop listening to the document (the window closes this job's table)."""
        if self._observer in self._document.observers:
            self._document.observers.remove(self._observer)

    def _renumbered_from(self, first: int) -> None:
        """Rows from ``first`` on changed position, so their ``#`` changed: say so exactly."""
        last = len(self._document) - 1
        if first <= last:
            top, bottom = self.index(first, COL_INDEX), self.index(last, COL_INDEX)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole])

    # -- helpers for the window and the view ----------------------------------------
    def row_id(self, index: Index) -> str | None:
        """The id of the row ``index`` points at, or ``None`` for an invalid index."""
        if not index.isValid() or not 0 <= index.row() < len(self._document):
            return None
        return self._document.rows[index.row()].id

    def index_of(self, row_id: str, column: int = COL_TEXT) -> QModelIndex:
        """The index of ``row_id`` in ``column``; invalid if the row is not (or no longer) here."""
        position = self._document.position(row_id)
        if position is None:
            return QModelIndex()
        return self.index(position, column)

    def flags_of_rows(self) -> list[RowFlags]:
        """Every row's checks (``core/subtitle_checks``), in table order."""
        if self._flags is None or len(self._flags) != len(self._document):
            self._flags = check_rows(self._document.rows, self._rules)
        return self._flags

    def row_flags(self, position: int) -> RowFlags:
        return self.flags_of_rows()[position]

    def row_at(self, index: Index) -> Row | None:
        if not index.isValid() or not 0 <= index.row() < len(self._document):
            return None
        return self._document.rows[index.row()]

    # -- shape ------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._document)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < COLUMN_COUNT:
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate(CONTEXT, str(HEADERS[section]))
            if role == Qt.ItemDataRole.ToolTipRole:
                return QCoreApplication.translate(CONTEXT, str(HEADER_TIPS[section]))
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _LEFT if section == COL_TEXT else _RIGHT
            return None
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
        if index.column() in EDITABLE_COLUMNS:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # -- reading ------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, index.row(), column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(row, index.row(), column)
        if role == ROW_ID_ROLE:
            return row.id
        if role == MODIFIED_ROLE:
            return row.modified
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, index.row())
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._modified_tint() if row.modified else None
        if role == Qt.ItemDataRole.ForegroundRole:
            bits = _COLUMN_PROBLEMS.get(column, 0)
            warn = bits and self.row_flags(index.row()).bits & bits
            return self._warning_color() if warn else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if column == COL_TEXT else _RIGHT
        return None

    def _display(self, row: Row, position: int, column: int) -> str:
        if column == COL_INDEX:
            return f"{position + 1} {MODIFIED_MARK}" if row.modified else str(position + 1)
        if column == COL_START:
            return format_display(row.start)
        if column == COL_END:
            return format_display(row.end)
        if column == COL_DURATION:
            return f"{row.duration:.2f} s"
        if column == COL_CPS:
            return f"{row.cps:.1f}"
        return row.text

    def _edit_value(self, row: Row, position: int, column: int) -> Any:
        """What an editor starts from: times as typed (``parse_time`` reads them back)."""
        if column == COL_START:
            return format_display(row.start)
        if column == COL_END:
            return format_display(row.end)
        if column == COL_TEXT:
            return row.text
        if column == COL_INDEX:
            return position + 1
        if column == COL_DURATION:
            return row.duration
        return row.cps

    def _tooltip(self, row: Row, position: int) -> str | None:
        notes = []
        if row.inserted:
            notes.append(QCoreApplication.translate("SubtitleTable", "Added by you"))
        elif row.modified:
            fields = [
                QCoreApplication.translate(CONTEXT, str(FIELD_NAMES[name]))
                for name in _FIELD_ORDER
                if name in row.changed
            ]
            if fields:
                separator = QCoreApplication.translate("SubtitleTable", ", ")
                notes.append(
                    QCoreApplication.translate("SubtitleTable", "Edited by you: {fields}").format(
                        fields=separator.join(fields)
                    )
                )
            else:
                notes.append(QCoreApplication.translate("SubtitleTable", "Edited by you"))
        if row.realigned:
            notes.append(
                QCoreApplication.translate(
                    "SubtitleTable", "The times were re-aligned to your text"
                )
            )
        flags = self.row_flags(position)
        if flags.bits:
            notes.append(check_tooltip(flags))
        return "\n".join(notes) if notes else None

    @staticmethod
    def _palette() -> QPalette:
        # Read at paint time, so switching between light and dark follows at once.
        return QGuiApplication.palette()

    def _modified_tint(self) -> QColor:
        color = QColor(self._palette().color(QPalette.ColorRole.Highlight))
        color.setAlpha(_MODIFIED_TINT_ALPHA)
        return color

    def _warning_color(self) -> QColor:
        dark = self._palette().color(QPalette.ColorRole.Base).lightness() < 128
        return QColor("#ff8a65") if dark else QColor("#c62828")

    # -- writing --------------------------------------------------------------------------
    def setData(
        self,
        index: Index,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        """Turn a typed value into an undoable edit; refuse bad input with a message."""
        row = self.row_at(index)
        if row is None or role != Qt.ItemDataRole.EditRole:
            return False
        column = index.column()
        if column not in EDITABLE_COLUMNS:
            return False
        try:
            if column == COL_TEXT:
                text = _normal_text(value)
                if text == _normal_text(row.text):
                    return True  # committed unchanged: not an edit of the user's
                if not text:
                    raise EditError(
                        "A subtitle needs some text; to remove it, delete the row instead."
                    )
                changes: dict[str, Any] = {"text": text}
            else:
                key = "start" if column == COL_START else "end"
                seconds = self._seconds(value)
                if to_milliseconds(seconds) == to_milliseconds(getattr(row, key)):
                    return True  # the cell shows milliseconds; unchanged means unchanged
                changes = {key: seconds}
                if key == "start" and seconds >= row.end:
                    # A start typed past the end moves the subtitle, keeping its duration.
                    changes["end"] = round(seconds + row.duration, 3)
            command = EditRowCommand.create(
                self._document, row.id, **changes, on_change=self.editApplied.emit
            )
        except EditError as exc:
            logger.info("edit of %s refused: %s", row.id, exc)
            self.editRefused.emit(user_message(exc))
            return False
        if command is not None:
            self._undo_stack.push(command)
            self.editApplied.emit(row.id)
        return True

    @staticmethod
    def _seconds(value: Any) -> float:
        if isinstance(value, str):
            return parse_time(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise EditError("Cannot read {value} as a time: type it like 1:02.500.", value=f"{value!r}")

    def delete_rows(self, row_ids: list[str]) -> bool:
        """Delete rows as one undoable step; False (and ``editRefused``) if refused."""
        try:
            command = DeleteRowsCommand(self._document, row_ids, on_change=self.editApplied.emit)
        except EditError as exc:
            self.editRefused.emit(user_message(exc))
            return False
        if not command.changed:
            return False
        self._undo_stack.push(command)
        for row_id in command.row_ids:
            self.editApplied.emit(row_id)
        return True

    def insert_row(self, start: float, end: float, text: str) -> str | None:
        """Add a row of the user's own as one undoable step; its id, or ``None`` if refused."""
        try:
            command = InsertRowCommand(
                self._document, start, end, text, on_change=self.editApplied.emit
            )
        except EditError as exc:
            self.editRefused.emit(user_message(exc))
            return None
        self._undo_stack.push(command)
        self.editApplied.emit(command.row_id)
        return command.row_id
