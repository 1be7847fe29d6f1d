"""The Models dialog's table: one row per catalogue model, updated row by row from the
models channel, with a filter for alignment models and a progress bar that carries text."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from subtitle_studio.core.model_catalog import WHISPER, CatalogEntry
from subtitle_studio.core.model_store import (
    DOWNLOADING,
    FAILED,
    INCOMPLETE,
    MISSING,
    READY,
    ModelStatus,
    human_bytes,
)
from subtitle_studio.errors import Message
from subtitle_studio.gui.error_text import user_message
from subtitle_studio.gui.job_list import PERCENT_ROLE, ProgressDelegate  # None: no bar
from subtitle_studio.gui.responsive import AllRolesAtOnce

Index = QModelIndex | QPersistentModelIndex

MODEL_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_ROLE = Qt.ItemDataRole.UserRole + 2
KIND_ROLE = Qt.ItemDataRole.UserRole + 4

CHECKING = "checking"  # before the first status arrives
VERIFYING = "verifying"
IMPORTING = "importing"
#: A row whose model just finished downloading is re-read this often until the
#: manager has let go of the download (it publishes the outcome a moment before).
SETTLE_MS = 50
SETTLE_TRIES = 40


class Column(IntEnum):
    MODEL = 0
    KIND = 1
    LANGUAGES = 2
    SIZE = 3
    STATE = 4
    PROGRESS = 5


#: The translation context of the table's words (``translated`` looks them up).
CONTEXT = "ModelTable"
#: English sources: shown through ``translated()``.
HEADERS = (
    QT_TRANSLATE_NOOP("ModelTable", "Model"),
    QT_TRANSLATE_NOOP("ModelTable", "Kind"),
    QT_TRANSLATE_NOOP("ModelTable", "Languages"),
    QT_TRANSLATE_NOOP("ModelTable", "Size"),
    QT_TRANSLATE_NOOP("ModelTable", "State"),
    QT_TRANSLATE_NOOP("ModelTable", "Progress"),
)
KIND_WORDS = {
    WHISPER: QT_TRANSLATE_NOOP("ModelTable", "Transcription"),
    "align": QT_TRANSLATE_NOOP("ModelTable", "Alignment"),
}
ORIGIN_WORDS = {
    "home": QT_TRANSLATE_NOOP("ModelTable", "in Subtitle Studio's models folder"),
    "bundled": QT_TRANSLATE_NOOP("ModelTable", "bundled with the application"),
    "cache": QT_TRANSLATE_NOOP("ModelTable", "in another program's download cache"),
}
#: The states the core and this table name (``ModelStatus.state``, ``_Row.state``),
#: shown translated; the roles and the code keep the English names.
STATE_WORDS = {
    READY: QT_TRANSLATE_NOOP("ModelTable", "ready"),
    INCOMPLETE: QT_TRANSLATE_NOOP("ModelTable", "incomplete"),
    DOWNLOADING: QT_TRANSLATE_NOOP("ModelTable", "downloading"),
    MISSING: QT_TRANSLATE_NOOP("ModelTable", "missing"),
    FAILED: QT_TRANSLATE_NOOP("ModelTable", "failed"),
    CHECKING: QT_TRANSLATE_NOOP("ModelTable", "checking"),
    VERIFYING: QT_TRANSLATE_NOOP("ModelTable", "verifying"),
    IMPORTING: QT_TRANSLATE_NOOP("ModelTable", "importing"),
}


def translated(text: object) -> str:
    """One of this module's words (``HEADERS``, ``STATE_WORDS``…) in the window's language.

    ``object``: that is how ``QT_TRANSLATE_NOOP``, which marks them for Qt Linguist, is typed.
    """
    return QCoreApplication.translate(CONTEXT, str(text))


def state_word(state: str) -> str:
    """A model state ("ready", "missing"…) as the user reads it; unknown ones as they are."""
    word = STATE_WORDS.get(state)
    return translated(word) if word is not None else state


def origin_words(origin: str) -> str:
    """Where a model's files are ("bundled with the application"…); "" when unknown."""
    words = ORIGIN_WORDS.get(origin)
    return translated(words) if words is not None else ""


def status_detail(detail: str) -> str:
    """A status detail from the core in the window's language: a ``Message`` is
    translated with its numbers filled in; a plain one is looked up in this table's context."""
    if isinstance(detail, Message):
        return user_message(detail)
    return translated(detail) if detail else detail


@dataclass
class _Row:
    entry: CatalogEntry
    status: ModelStatus | None = None
    progress: dict[str, Any] | None = None  # the latest progress event while downloading
    error: str = ""  # the last failure's message, until the next attempt
    busy: str = ""  # VERIFYING or IMPORTING while that runs
    version: int = 0  # bumped on every change, so a stale full refresh is not applied

    @property
    def state(self) -> str:
        if self.busy:
            return self.busy
        if self.error and (self.status is None or self.status.state != READY):
            return FAILED
        if self.progress is not None:
            return DOWNLOADING
        return self.status.state if self.status is not None else CHECKING

    @property
    def total_bytes(self) -> int | None:
        if self.progress and self.progress.get("total_bytes"):
            return int(self.progress["total_bytes"])
        if self.status is not None and self.status.total_bytes:
            return self.status.total_bytes
        return self.entry.approx_bytes

    def percent(self) -> float | None:
        state = self.state
        if state == DOWNLOADING and self.progress is not None:
            return float(self.progress.get("percent", 0.0))
        if state == READY:
            return 100.0
        status = self.status
        if status is not None and status.total_bytes and status.present_bytes:
            return min(100.0, 100.0 * status.present_bytes / status.total_bytes)
        return None

    def progress_text(self) -> str:
        percent = self.percent()
        if percent is None:
            return ""
        shown = f"{int(percent)}%"  # 99.9 is not done: never round up to 100
        if self.state == DOWNLOADING and self.progress is not None:
            done = int(self.progress.get("downloaded_bytes", 0))
            total = int(self.progress.get("total_bytes", 0))
            if not total:
                return QCoreApplication.translate("ModelTable", "starting…")
            speed = int(self.progress.get("bytes_per_second", 0))
            if speed:
                return QCoreApplication.translate(
                    "ModelTable", "{percent} · {done} of {total} · {speed}/s"
                ).format(
                    percent=shown,
                    done=human_bytes(done),
                    total=human_bytes(total),
                    speed=human_bytes(speed),
                )
            return QCoreApplication.translate("ModelTable", "{percent} · {done} of {total}").format(
                percent=shown, done=human_bytes(done), total=human_bytes(total)
            )
        status = self.status
        if self.state != READY and status is not None and status.total_bytes:
            return QCoreApplication.translate("ModelTable", "{percent} · {done} of {total}").format(
                percent=shown,
                done=human_bytes(status.present_bytes),
                total=human_bytes(status.total_bytes),
            )
        return shown

    def tooltip(self) -> str:
        if self.error and self.state == FAILED:
            return self.error
        if self.status is None:
            return QCoreApplication.translate("ModelTable", "Checking what is on this computer…")
        return status_detail(self.status.detail) or state_word(self.status.state)


class ModelTableModel(AllRolesAtOnce, QAbstractTableModel):
    """One row per catalogue entry, in catalogue order (best transcription model first)."""

    def __init__(self, catalog: tuple[CatalogEntry, ...], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows = [_Row(entry) for entry in catalog]
        self._by_id = {row.entry.model_id: n for n, row in enumerate(self._rows)}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return translated(HEADERS[section]) if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == MODEL_ID_ROLE:
            return row.entry.model_id
        if role == STATE_ROLE:
            return row.state
        if role == KIND_ROLE:
            return row.entry.kind
        if role == PERCENT_ROLE:
            return row.percent() if column == Column.PROGRESS else None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        return None

    @staticmethod
    def _display(row: _Row, column: Column) -> str:
        entry = row.entry
        if column == Column.MODEL:
            return entry.model_id
        if column == Column.KIND:
            kind = KIND_WORDS.get(entry.kind)
            return translated(kind) if kind is not None else entry.kind
        if column == Column.LANGUAGES:
            return entry.language_label
        if column == Column.SIZE:
            total = row.total_bytes
            return (
                human_bytes(total) if total else QCoreApplication.translate("ModelTable", "unknown")
            )
        if column == Column.STATE:
            return state_word(row.state)
        return row.progress_text()

    @staticmethod
    def _tooltip(row: _Row, column: Column) -> str | None:
        if column == Column.MODEL:
            lines = [user_message(row.entry.note) or row.entry.repo]
            status = row.status
            if status is not None and status.path is not None:
                where = origin_words(status.origin)
                lines.append(f"{status.path}" + (f" ({where})" if where else ""))
            return "\n".join(lines)
        if column in (Column.STATE, Column.PROGRESS):
            return row.tooltip()
        return None

    # -- lookups ---------------------------------------------------------------------
    def row_of(self, model_id: str) -> int:
        return self._by_id.get(model_id, -1)

    def row(self, model_id: str) -> _Row | None:
        n = self._by_id.get(model_id)
        return self._rows[n] if n is not None else None

    def model_ids(self) -> list[str]:
        return [row.entry.model_id for row in self._rows]

    def versions(self) -> dict[str, int]:
        return {row.entry.model_id: row.version for row in self._rows}

    # -- updates (each repaints only the row it names) ----------------------------------
    def _changed(self, model_id: str, **values: Any) -> None:
        n = self._by_id.get(model_id)
        if n is None:
            return
        row = self._rows[n]
        for name, value in values.items():
            setattr(row, name, value)
        row.version += 1
        self.dataChanged.emit(self.index(n, Column.SIZE), self.index(n, Column.PROGRESS))

    def set_status(self, model_id: str, status: ModelStatus, *, keep_error: bool = False) -> None:
        """The manager's word on the model; ends the live progress unless still downloading."""
        row = self.row(model_id)
        if row is None:
            return
        progress = row.progress if status.state == DOWNLOADING else None
        error = row.error if keep_error and status.state != READY else ""
        self._changed(model_id, status=status, progress=progress, error=error)

    def set_statuses(self, statuses: list[ModelStatus], versions: dict[str, int]) -> None:
        """A full refresh, skipping rows that changed since it was asked for."""
        for status in statuses:
            row = self.row(status.model_id)
            if row is not None and row.version == versions.get(status.model_id):
                self.set_status(status.model_id, status, keep_error=True)

    def set_progress(self, model_id: str, data: dict[str, Any]) -> None:
        self._changed(model_id, progress=dict(data), error="")

    def set_error(self, model_id: str, message: str) -> None:
        self._changed(model_id, error=message)

    def set_busy(self, model_id: str, busy: str) -> None:
        self._changed(model_id, busy=busy)


class ModelFilter(QSortFilterProxyModel):
    """Transcription models always; alignment models only when asked, or when present."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._show_alignment = False

    def show_alignment(self) -> bool:
        return self._show_alignment

    def set_show_alignment(self, on: bool) -> None:
        self.beginFilterChange()
        self._show_alignment = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        index = self.sourceModel().index(source_row, 0, source_parent)
        if index.data(KIND_ROLE) == WHISPER or self._show_alignment:
            return True
        return index.data(STATE_ROLE) != MISSING


class ProgressTextDelegate(ProgressDelegate):
    """A progress bar carrying the cell's own text ("42% · 31.5 MB of 75.5 MB · 3.2 MB/s")."""

    def bar_text(self, index: Index, percent: float) -> str:
        return str(index.data(Qt.ItemDataRole.DisplayRole) or "")
