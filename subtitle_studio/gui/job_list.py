"""The job list: a table model over the ``JobStore``, its progress delegate and its view.

The model is an adapter, not a store: ``refresh()`` re-reads ``job.json`` files and
applies the difference row by row (insert, move, remove, dataChanged), never a
reset, so the user's selection survives a rescan while a job runs. Live progress
arrives from the window's bridge through ``set_progress``/``set_status`` and names
the exact row that changed, because a long job reports progress many times a second.

``available_actions`` decides which actions a job offers (SPEC §3) as a pure
function, so the menu rules are tested without a window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
)
from PySide6.QtGui import QAction, QContextMenuEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from subtitle_studio.core.jobstore import JobRecord, JobStore
from subtitle_studio.core.phases import RESUMABLE, JobStatus
from subtitle_studio.gui.error_text import user_message
from subtitle_studio.gui.job_text import phase_text, status_text
from subtitle_studio.gui.responsive import AllRolesAtOnce

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex

JOB_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
PERCENT_ROLE = Qt.ItemDataRole.UserRole + 3
ERROR_ROLE = Qt.ItemDataRole.UserRole + 4


class Column(IntEnum):
    NAME = 0
    STATUS = 1
    PROGRESS = 2
    PHASE = 3
    TIME_LEFT = 4


def header_text(column: Column) -> str:
    """A column's title in the window's language (looked up when asked, not at import)."""
    texts = {
        Column.NAME: QCoreApplication.translate("JobList", "Name"),
        Column.STATUS: QCoreApplication.translate("JobList", "Status"),
        Column.PROGRESS: QCoreApplication.translate("JobList", "Progress"),
        Column.PHASE: QCoreApplication.translate("JobList", "Phase"),
        Column.TIME_LEFT: QCoreApplication.translate("JobList", "Time left"),
    }
    return texts[column]


def error_message(record: JobRecord) -> str | None:
    """The failure a user should read, for a failed job only (a stale error is not shown)."""
    if record.status != JobStatus.FAILED:
        return None
    message = user_message(record.error)
    return message or QCoreApplication.translate(
        "JobList", "The job failed without a message; see the log file."
    )


class JobListModel(AllRolesAtOnce, QAbstractTableModel):
    """One row per job, oldest first (the store's order)."""

    def __init__(self, store: JobStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._records: list[JobRecord] = []
        self._eta: dict[str, str] = {}
        #: Jobs whose ``job.json`` could not be read: ``(job_id, reason)``, for the window.
        self.broken: list[tuple[str, str]] = []

    # -- Qt model interface ------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(Column)
        ):
            return header_text(Column(section))
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        column = Column(index.column())
        if role == JOB_ID_ROLE:
            return record.id
        if role == STATUS_ROLE:
            return record.status
        if role == PERCENT_ROLE:
            return float(record.percent)
        if role == ERROR_ROLE:
            return error_message(record)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(record, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.PROGRESS:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, record: JobRecord, column: Column) -> str:
        if column == Column.NAME:
            return record.name
        if column == Column.STATUS:
            return status_text(record.status)
        if column == Column.PROGRESS:
            return f"{record.percent:.0f}%"
        if column == Column.PHASE:
            return phase_text(record.phase or "")
        return self._eta.get(record.id, "") if record.status == JobStatus.RUNNING else ""

    def _tooltip(self, record: JobRecord, column: Column) -> str | None:
        error = error_message(record)
        if column == Column.NAME:
            if not error:
                return record.source
            return QCoreApplication.translate("JobList", "{source}\n\nFailed: {error}").format(
                source=record.source, error=error
            )
        if column == Column.STATUS:
            if error:
                return error
            if record.status == JobStatus.INTERRUPTED:
                return QCoreApplication.translate(
                    "JobList", "The program running this job stopped; resume it to continue."
                )
        return None

    # -- lookups -----------------------------------------------------------------
    def job_id(self, row: int) -> str:
        return self._records[row].id

    def row_of(self, job_id: str) -> int:
        """The row of ``job_id``, or -1 when the list does not show it."""
        for row, record in enumerate(self._records):
            if record.id == job_id:
                return row
        return -1

    def record(self, job_id: str) -> JobRecord | None:
        row = self.row_of(job_id)
        return self._records[row] if row >= 0 else None

    # -- updates -----------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the store and apply the difference row by row (never a reset)."""
        fresh, self.broken = self._store.scan()
        wanted = {r.id for r in fresh}
        for row in range(len(self._records) - 1, -1, -1):
            if self._records[row].id not in wanted:
                self.beginRemoveRows(QModelIndex(), row, row)
                gone = self._records.pop(row)
                self._eta.pop(gone.id, None)
                self.endRemoveRows()
        for row, record in enumerate(fresh):
            current = self.row_of(record.id)
            if current == row:
                old = self._records[row]
                if record.status == old.status == JobStatus.RUNNING and record.phase == old.phase:
                    # The bridge's events are fresher than job.json: never step the bar back.
                    record.percent = max(record.percent, old.percent)
                if old.to_dict() != record.to_dict():
                    self._records[row] = record
                    self._row_changed(row)
            elif current > row:  # moved up (the store's order changed under us)
                self.beginMoveRows(QModelIndex(), current, current, QModelIndex(), row)
                self._records.insert(row, self._records.pop(current))
                self.endMoveRows()
                self._records[row] = record
                self._row_changed(row)
            else:
                self.beginInsertRows(QModelIndex(), row, row)
                self._records.insert(row, record)
                self.endInsertRows()

    def set_progress(self, job_id: str, phase: str, percent: float, eta_text: str = "") -> bool:
        """A progress event from the running job; only its row is repainted.

        Progress comes only from a running job, so it also marks the job running: a
        rescan at the moment the job started may have read job.json before the pipeline
        saved its new status. True when that changed the status.
        """
        row = self.row_of(job_id)
        if row < 0:
            log.debug("progress for job %s that the list does not show", job_id)
            return False
        record = self._records[row]
        record.phase = phase
        record.percent = float(percent)
        self._eta[job_id] = eta_text
        if record.status != JobStatus.RUNNING:
            record.status = JobStatus.RUNNING
            record.error = None
            self._row_changed(row)
            return True
        first, last = self.index(row, Column.PROGRESS), self.index(row, Column.TIME_LEFT)
        self.dataChanged.emit(first, last)
        return False

    def set_status(
        self, job_id: str, status: JobStatus | str, error_message: str | None = None
    ) -> None:
        """A status change from the running job (started, paused, failed, done…)."""
        row = self.row_of(job_id)
        if row < 0:
            log.debug("status for job %s that the list does not show", job_id)
            return
        record = self._records[row]
        record.status = JobStatus(status)
        if record.status == JobStatus.FAILED:
            record.error = {"code": "error", "message": error_message or ""}
        else:
            record.error = None
        if record.status != JobStatus.RUNNING:
            self._eta.pop(job_id, None)
        self._row_changed(row)

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))


class ProgressDelegate(QStyledItemDelegate):
    """Draws the Progress column as a progress bar in the platform's own style.

    The percentage comes from ``PERCENT_ROLE`` (no bar when it is ``None``).
    """

    def bar_text(self, index: Index, percent: float) -> str:
        """The words on the bar; the job list shows the percentage."""
        return f"{percent:.0f}%"

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        percent = index.data(PERCENT_ROLE)
        if percent is None:
            super().paint(painter, option, index)
            return
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        # The item background first, so a selected row stays highlighted under the bar.
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget)
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(2, 2, -2, -2)
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        bar.direction = option.direction
        bar.palette = option.palette
        bar.fontMetrics = option.fontMetrics
        bar.minimum = 0
        bar.maximum = 100
        bar.progress = max(0, min(100, round(float(percent))))
        bar.text = self.bar_text(index, float(percent))
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, widget)


#: Gives the actions for a job's context menu; ``None`` entries become separators.
ActionProvider = Callable[[str], Sequence[QAction | None]]


class JobListView(QTableView):
    """The job table: whole-row single selection, progress bars, a context menu.

    The view owns no actions: the window supplies them per job through
    ``set_action_provider``, because only the window knows what is running.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._provider: ActionProvider | None = None
        self.progress_delegate = ProgressDelegate(self)
        self.setItemDelegateForColumn(Column.PROGRESS, self.progress_delegate)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.setWordWrap(False)
        self.horizontalHeader().setStretchLastSection(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    def setModel(self, model: QAbstractItemModel | None) -> None:  # noqa: N802 (Qt's name)
        super().setModel(model)
        # Room for the name; the others only as wide as what they show ("transcribe",
        # "about 12 min left").
        widths = {
            Column.NAME: 140,
            Column.STATUS: 80,
            Column.PROGRESS: 80,
            Column.PHASE: 80,
            Column.TIME_LEFT: 140,
        }
        for column, width in widths.items():
            self.setColumnWidth(column, width)

    def set_action_provider(self, provider: ActionProvider | None) -> None:
        self._provider = provider

    def job_model(self) -> JobListModel | None:
        model = self.model()
        return model if isinstance(model, JobListModel) else None

    def selected_job_id(self) -> str | None:
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        return rows[0].data(JOB_ID_ROLE) if rows else None

    def select_job(self, job_id: str) -> bool:
        model = self.job_model()
        row = model.row_of(job_id) if model else -1
        if row < 0:
            return False
        self.selectRow(row)
        return True

    def build_menu(self, pos: QPoint) -> QMenu | None:
        """The context menu for the row at ``pos`` (viewport coordinates), selecting it."""
        index = self.indexAt(pos)
        if not index.isValid() or self._provider is None:
            return None
        self.selectRow(index.row())
        job_id = index.data(JOB_ID_ROLE)
        menu = QMenu(self)
        for action in self._provider(job_id):
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        return menu if menu.actions() else None

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        # The scroll area hands us the viewport's event: ``pos()`` is in viewport coordinates.
        menu = self.build_menu(event.pos())
        if menu is None:
            event.ignore()
            return
        menu.exec(event.globalPos())
        menu.deleteLater()


# -- which actions a job offers -------------------------------------------------


class JobActions:
    """The names of the job actions; the window maps each to a ``QAction``."""

    START = "start"
    RESUME = "resume"
    PAUSE = "pause"
    CANCEL = "cancel"
    EXPORT = "export"
    OPEN_FOLDER = "open_folder"
    DELETE = "delete"
    ALL = frozenset({START, RESUME, PAUSE, CANCEL, EXPORT, OPEN_FOLDER, DELETE})


def available_actions(
    status: JobStatus,
    *,
    is_running_here: bool,
    queued_here: bool,
    has_transcript: bool = False,
) -> set[str]:
    """What a job offers now (SPEC §3).

    ``is_running_here``: this window's worker runs the job. ``queued_here``: the job
    waits in this window's queue. ``has_transcript``: it has a checkpoint with rows,
    so a partial subtitle file can be exported. A job ``running`` in another process
    can only be looked at: this window can neither pause nor delete it.
    """
    actions = {JobActions.OPEN_FOLDER}
    busy = is_running_here or queued_here
    if is_running_here:
        actions |= {JobActions.PAUSE, JobActions.CANCEL}
    elif queued_here:
        actions.add(JobActions.CANCEL)
    if not busy and status == JobStatus.QUEUED:
        actions.add(JobActions.START)
    if not busy and status in RESUMABLE:
        actions.add(JobActions.RESUME)
    if status == JobStatus.DONE or has_transcript:
        actions.add(JobActions.EXPORT)
    if not is_running_here and status != JobStatus.RUNNING:
        actions.add(JobActions.DELETE)
    return actions
