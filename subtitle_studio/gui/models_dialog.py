"""The Models dialog: every model the manager knows, its state, and live download progress.

The table is an adapter over the catalogue (one row per entry, never reset): a row
holds the entry, its last known ``ModelStatus`` and, while it downloads, the latest
progress event. Events reach it through a :class:`ModelEventBridge` and repaint only
the cells of the row they name. Slow work (verify, import, reading every status)
runs through :class:`BackgroundCalls`; downloads run in the manager's own threads.

:class:`ModelsService` is what the main window holds: the window's one manager
(built on first use with the window's bus, closed with the window), the dialog, and
the question asked when a job needs a model that is not on this computer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QObject,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from subtitle_studio.core.bus import EventBus
from subtitle_studio.core.model_catalog import WHISPER, CatalogEntry
from subtitle_studio.core.model_manager import ModelManager
from subtitle_studio.core.model_store import (
    DOWNLOADING,
    FAILED,
    INCOMPLETE,
    MISSING,
    READY,
    ModelStatus,
    guess_entry,
    human_bytes,
)
from subtitle_studio.errors import StudioError
from subtitle_studio.gui.error_text import user_message
from subtitle_studio.gui.models_bridge import BackgroundCalls, ModelEventBridge
from subtitle_studio.gui.models_table import (
    IMPORTING,
    MODEL_ID_ROLE,
    SETTLE_MS,
    SETTLE_TRIES,
    VERIFYING,
    Column,
    ModelFilter,
    ModelTableModel,
    ProgressTextDelegate,
    origin_words,
    state_word,
    status_detail,
)
from subtitle_studio.gui.theme import message_colour

log = logging.getLogger(__name__)


def _button(source: str) -> Any:
    """A dataclass field: a push button labelled ``source`` in the window's language."""
    return field(
        default_factory=lambda: QPushButton(QCoreApplication.translate("ModelsDialog", source))
    )


@dataclass
class _Buttons:
    """The dialog's buttons (their texts in the "ModelsDialog" translation context)."""

    download: QPushButton = _button(QT_TRANSLATE_NOOP("ModelsDialog", "&Download"))
    cancel: QPushButton = _button(QT_TRANSLATE_NOOP("ModelsDialog", "&Cancel download"))
    repair: QPushButton = _button(QT_TRANSLATE_NOOP("ModelsDialog", "&Repair"))
    verify: QPushButton = _button(QT_TRANSLATE_NOOP("ModelsDialog", "&Verify"))
    import_folder: QPushButton = _button(QT_TRANSLATE_NOOP("ModelsDialog", "&Import folder…"))
    delete: QPushButton = _button(QT_TRANSLATE_NOOP("ModelsDialog", "De&lete"))
    close: QPushButton = _button(QT_TRANSLATE_NOOP("ModelsDialog", "Close"))


class ModelsDialog(QDialog):
    """Download, cancel, repair, verify, import and delete models; non-modal."""

    def __init__(self, manager: ModelManager, bus: EventBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Models"))
        self.setModal(False)
        self.resize(860, 480)
        self.manager = manager
        self.model = ModelTableModel(manager.catalog, self)
        self.filter = ModelFilter(self)
        self.filter.setSourceModel(self.model)
        self.bridge = ModelEventBridge(bus, self)
        self.calls = BackgroundCalls(self)
        self._settling: dict[str, int] = {}
        self._refreshing = False

        self.show_alignment = QCheckBox(self.tr("Show alignment models"))
        self.show_alignment.setToolTip(
            self.tr(
                "Alignment models sharpen subtitle timing, one per language. Jobs use the one for "
                "their language when it is here, and word timestamps otherwise."
            )
        )
        self.view = QTableView(self)
        self.view.setModel(self.filter)
        self.view.setItemDelegateForColumn(Column.PROGRESS, ProgressTextDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in zip(Column, (130, 100, 110, 80, 90), strict=False):
            self.view.setColumnWidth(column, width)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = _Buttons()

        row = QHBoxLayout()
        for button in (
            self.buttons.download,
            self.buttons.cancel,
            self.buttons.repair,
            self.buttons.verify,
            self.buttons.import_folder,
            self.buttons.delete,
        ):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.buttons.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.show_alignment)
        layout.addWidget(self.view)
        layout.addWidget(self.status_label)
        layout.addLayout(row)

        self.buttons.repair.setToolTip(
            self.tr("Download what is missing or damaged; intact files stay.")
        )
        self.buttons.verify.setToolTip(self.tr("Check every file against its recorded checksum."))
        self.show_alignment.toggled.connect(self.filter.set_show_alignment)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.dataChanged.connect(self._update_buttons)
        self.filter.layoutChanged.connect(self._update_buttons)
        self.buttons.download.clicked.connect(lambda: self._on_selected(self.download))
        self.buttons.repair.clicked.connect(lambda: self._on_selected(self.download))
        self.buttons.cancel.clicked.connect(lambda: self._on_selected(self.cancel))
        self.buttons.verify.clicked.connect(lambda: self._on_selected(self.verify))
        self.buttons.delete.clicked.connect(lambda: self._on_selected(self.delete))
        self.buttons.import_folder.clicked.connect(self.import_folder)
        self.buttons.close.clicked.connect(self.close)
        self.bridge.progress.connect(self._on_progress)
        self.bridge.signal.connect(self._on_outcome)
        self.bridge.error.connect(self._on_error)
        self.bridge.resync.connect(self.refresh)
        self._update_buttons()
        self.refresh()

    # -- what the user acts on ---------------------------------------------------------
    def selected_model(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].data(MODEL_ID_ROLE) if rows else None

    def select_model(self, model_id: str) -> None:
        """Select and show ``model_id``'s row (turning on alignment models if need be)."""
        source = self.model.row_of(model_id)
        if source < 0:
            return
        index = self.filter.mapFromSource(self.model.index(source, 0))
        if not index.isValid():
            self.show_alignment.setChecked(True)
            index = self.filter.mapFromSource(self.model.index(source, 0))
        self.view.selectRow(index.row())
        self.view.scrollTo(index)

    def _on_selected(self, action: Any) -> None:
        model_id = self.selected_model()
        if model_id is not None:
            action(model_id)

    def _update_buttons(self, *_args: Any) -> None:
        model_id = self.selected_model()
        row = self.model.row(model_id) if model_id else None
        state = row.state if row is not None else ""
        origin = row.status.origin if row is not None and row.status is not None else ""
        b = self.buttons
        b.download.setEnabled(state == MISSING)
        b.repair.setEnabled(state in (INCOMPLETE, FAILED))
        b.cancel.setEnabled(
            state == DOWNLOADING and self.manager.active(model_id or "") is not None
        )
        b.verify.setEnabled(state in (READY, INCOMPLETE))
        deletable = origin == "home" and state in (READY, INCOMPLETE, FAILED)
        b.delete.setEnabled(deletable)
        b.delete.setToolTip(
            self.tr("Remove the model's files from Subtitle Studio's models folder.")
            if origin not in ("bundled", "cache")
            else self.tr(
                "This model is not in Subtitle Studio's models folder ({where}); "
                "it cannot be deleted here."
            ).format(where=origin_words(origin))
        )

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        colour = message_colour("error", self.palette())
        self.status_label.setStyleSheet(f"color: {colour};" if error else "")

    # -- operations ----------------------------------------------------------------------
    def download(self, model_id: str) -> None:
        """Start (or resume, or repair) a download; progress arrives through the bridge."""
        try:
            self.manager.download(model_id)
        except StudioError as exc:
            self.model.set_error(model_id, user_message(exc))
            self._say(user_message(exc), error=True)
            return
        self._settling.pop(model_id, None)
        self.model.set_progress(model_id, {"model_id": model_id, "percent": 0.0})
        self._say(self.tr("Downloading {model_id}…").format(model_id=model_id))

    def cancel(self, model_id: str) -> None:
        if self.manager.cancel(model_id):
            self._say(self.tr("Canceling the download of {model_id}…").format(model_id=model_id))

    def verify(self, model_id: str) -> None:
        self.model.set_busy(model_id, VERIFYING)
        self._say(self.tr("Verifying {model_id}: reading every file…").format(model_id=model_id))
        self.calls.run(
            f"verify-{model_id}",
            lambda: self.manager.verify(model_id),
            lambda status, error: self._verified(model_id, status, error),
        )

    def _verified(
        self, model_id: str, status: ModelStatus | None, error: BaseException | None
    ) -> None:
        self.model.set_busy(model_id, "")
        if status is None:
            self._report_failure(
                self.tr("Could not verify {model_id}").format(model_id=model_id), error
            )
            return
        self.model.set_status(model_id, status)
        if status.state == READY:
            self._say(
                self.tr("{model_id} is ready: {detail}.").format(
                    model_id=model_id, detail=status_detail(status.detail)
                )
            )
        else:
            self._say(
                self.tr("{model_id} is {state}: {detail}").format(
                    model_id=model_id,
                    state=state_word(status.state),
                    detail=status_detail(status.detail),
                ),
                error=True,
            )

    def import_folder(self) -> None:
        """Ask for a folder and which model it holds, then copy and check it in the background."""
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Choose the folder that holds the model")
        )
        if not chosen:
            return
        source = Path(chosen)
        ids = self.model.model_ids()
        guess = guess_entry(self.manager.catalog, source)
        preferred = guess.model_id if guess is not None else self.selected_model()
        current = ids.index(preferred) if preferred in ids else 0
        name, ok = QInputDialog.getItem(
            self,
            self.tr("Import model"),
            self.tr("Which model does {folder} hold?").format(folder=source.name),
            ids,
            current,
            False,
        )
        if not ok or name not in ids:
            return
        self.model.set_busy(name, IMPORTING)
        self._say(
            self.tr("Importing {model_id} from {folder}: copying and checking the files…").format(
                model_id=name, folder=source
            )
        )
        self.calls.run(
            f"import-{name}",
            lambda: self.manager.import_folder(name, source),
            lambda status, error: self._imported(name, source, status, error),
        )

    def _imported(
        self, model_id: str, source: Path, status: ModelStatus | None, error: BaseException | None
    ) -> None:
        self.model.set_busy(model_id, "")
        if status is None:
            self._report_failure(
                self.tr("Nothing was imported from {folder}").format(folder=source), error
            )
            return
        self.model.set_status(model_id, status)
        self.select_model(model_id)
        self._say(
            self.tr("Imported {model_id} from {folder}.").format(model_id=model_id, folder=source)
        )

    def delete(self, model_id: str) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Delete model"),
            self.tr(
                "Delete {model_id} from this computer? Jobs that use it need it downloaded again."
            ).format(model_id=model_id),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.manager.delete(model_id)
            self.model.set_status(model_id, self.manager.status(model_id))
        except StudioError as exc:
            self._say(user_message(exc), error=True)
            return
        self._say(self.tr("Deleted {model_id}.").format(model_id=model_id))

    def refresh(self) -> None:
        """Read every model's state again, off the GUI thread (a changed file is hashed)."""
        if self._refreshing:
            return
        self._refreshing = True
        versions = self.model.versions()
        self.calls.run(
            "statuses", self.manager.statuses, lambda s, e: self._refreshed(s, e, versions)
        )

    def _refreshed(
        self,
        statuses: list[ModelStatus] | None,
        error: BaseException | None,
        versions: dict[str, int],
    ) -> None:
        self._refreshing = False
        if statuses is None:
            self._report_failure(self.tr("Could not read the models folder"), error)
            return
        self.model.set_statuses(statuses, versions)

    def _report_failure(self, what: str, error: BaseException | None) -> None:
        if isinstance(error, StudioError):
            self._say(
                self.tr("{what}: {message}").format(what=what, message=user_message(error)),
                error=True,
            )
            return
        log.error("%s", what, exc_info=error)
        self._say(
            self.tr("{what}: unexpected error ({error}). The log file has the details.").format(
                what=what, error=error
            ),
            error=True,
        )

    # -- events from the manager -------------------------------------------------------
    @Slot(str, object)
    def _on_progress(self, model_id: str, data: dict[str, Any]) -> None:
        if model_id not in self._settling:
            self.model.set_progress(model_id, data)

    @Slot(str, object)
    def _on_outcome(self, model_id: str, data: dict[str, Any]) -> None:
        self._say(self._outcome_text(model_id, data))
        self._settle(model_id)

    @Slot(str, object)
    def _on_error(self, model_id: str, data: dict[str, Any]) -> None:
        message = user_message(data, self.tr("The download failed."))
        self.model.set_error(model_id, message)
        self._say(message, error=True)
        self._settle(model_id)

    def _outcome_text(self, model_id: str, data: dict[str, Any]) -> str:
        """The manager's word on a finished download, in the window's language when the
        event is one this dialog can write again (its English message is exactly what the
        manager writes for it); the English message otherwise."""
        message = str(data.get("message", ""))
        if message == f"{model_id} is ready":
            return self.tr("{model_id} is ready").format(model_id=model_id)
        kept = str(data.get("kept", ""))
        if message == f"Download of {model_id} canceled; {kept} kept. Download again to resume.":
            return self.tr(
                "Download of {model_id} canceled; {kept} kept. Download again to resume."
            ).format(model_id=model_id, kept=kept)
        return message

    def _settle(self, model_id: str) -> None:
        """Show the model's state once its download has ended.

        The manager publishes the outcome just before it lets go of the download; until
        then ``status()`` still says downloading, so look again shortly.
        """
        if self.model.row(model_id) is None:
            return
        tries = self._settling.get(model_id, SETTLE_TRIES)
        status = self.manager.status(model_id)
        if status.state == DOWNLOADING and tries > 0:
            self._settling[model_id] = tries - 1
            QTimer.singleShot(SETTLE_MS, self, lambda: self._settle(model_id))
            return
        self._settling.pop(model_id, None)
        self.model.set_status(model_id, status, keep_error=True)

    def shutdown(self) -> None:
        """Stop listening and wait for verify/import threads (the window is closing)."""
        self.bridge.close()
        self.calls.wait()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if event.spontaneous():
            return
        self.refresh()  # a model may have arrived from the command line meanwhile


class ModelsService(QObject):
    """The window's models: one manager (built on first use), the dialog, the questions.

    The manager is built lazily so opening the window never reads the models folder,
    and closed with the window so no download thread outlives it (what arrived is
    kept; downloading again resumes).
    """

    def __init__(self, bus: EventBus, home: Path | None, parent: QWidget) -> None:
        super().__init__(parent)
        self._bus = bus
        self._home = home
        self._window = parent
        self._manager: ModelManager | None = None
        self.dialog: ModelsDialog | None = None
        self._asking: set[str] = set()

    def manager(self) -> ModelManager:
        if self._manager is None:
            from subtitle_studio.engines.models import model_manager

            # No network preference given: the fetcher reads the saved one per download.
            self._manager = model_manager(self._bus, home=self._home)
        return self._manager

    @Slot()
    def show_dialog(self) -> ModelsDialog:
        if self.dialog is None:
            self.dialog = ModelsDialog(self.manager(), self._bus, self._window)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def download(self, model_id: str) -> None:
        """Open the dialog on ``model_id`` and start downloading it."""
        dialog = self.show_dialog()
        dialog.select_model(model_id)
        dialog.download(model_id)

    # -- a job that needs a model that is not here ----------------------------------------
    def missing_model(self, setting: str, language: str) -> CatalogEntry | None:
        """The catalogue model ``setting`` names when it is not ready to use, else None.

        Only catalogue names are answered: "auto" and folders are the pipeline's to judge
        (it fails the job with a message that says what is wrong).
        """
        from subtitle_studio.engines.models import resolve_whisper_model

        try:
            resolve_whisper_model(setting, language=language, home=self._home)
        except StudioError:
            entry = next((e for e in self.manager().catalog if e.model_id == setting), None)
            return entry if entry is not None and entry.kind == WHISPER else None
        return None

    def ready_to_start(self, setting: str, language: str) -> bool:
        """Before the user starts a job: True when its model is here; otherwise offer the
        download and return False (the job is left as it was, to start once it is here)."""
        entry = self.missing_model(setting, language)
        if entry is None:
            return True
        self._offer(
            entry, self.tr("The job was not started; start it again once the download is done.")
        )
        return False

    def offer_after_failure(self, setting: str, language: str) -> None:
        """A job stopped because its model is missing: offer to download it."""
        entry = self.missing_model(setting, language)
        if entry is not None:
            self._offer(entry, self.tr("Resume the job once the download is done."))

    def _offer(self, entry: CatalogEntry, after: str) -> None:
        model_id = entry.model_id
        if model_id in self._asking:  # several jobs failing at once ask once
            return
        manager = self.manager()
        status = manager.status(model_id)
        if status.state == DOWNLOADING:
            self.show_dialog().select_model(model_id)
            return
        size = user_message(human_bytes(status.total_bytes or entry.approx_bytes))
        if status.state != MISSING:
            question = self.tr(
                "The model {model_id} is only partly downloaded ({size}). Download it now?"
            )
        else:
            question = self.tr("The model {model_id} is not downloaded ({size}). Download it now?")
        text = question.format(model_id=model_id, size=size) + "\n\n" + after
        self._asking.add(model_id)
        try:
            answer = QMessageBox.question(
                self._window,
                self.tr("Model not downloaded"),
                text,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
        finally:
            self._asking.discard(model_id)
        if answer == QMessageBox.StandardButton.Yes:
            self.download(model_id)

    def close(self) -> None:
        """Cancel downloads and wait for every model thread; safe to call twice."""
        if self.dialog is not None:
            self.dialog.shutdown()
        if self._manager is not None:
            self._manager.close()
