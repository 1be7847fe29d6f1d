"""The "Align timings" action: fit an opened subtitle file's times to its media.

The document's current rows (the user's text and times, edits included) are handed to
``core.document_align.prepare_alignment``, which queues the job so that running it
aligns them and never transcribes; the job then starts through the session's queue like
any other, so progress, pause and resume work as usual. When ``alignment_ready``
arrives the window's merge takes the aligned times, the user's own edits first. The
run never writes the user's subtitle file: the new times reach it on Save.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction

from subtitle_studio.core.document_align import can_align, prepare_alignment
from subtitle_studio.errors import StudioError
from subtitle_studio.gui.error_text import user_message

if TYPE_CHECKING:
    from subtitle_studio.gui.main_window import MainWindow

log = logging.getLogger(__name__)


class AlignDocument(QObject):
    """Owns the action; ``update`` enables it for an idle editing document with media."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.act_align = QAction(self.tr("Align &timings"), window)
        self.act_align.setToolTip(
            self.tr("Fit this subtitle file's times to the speech in its video or audio")
        )
        self.act_align.triggered.connect(self.align)
        self.act_align.setEnabled(False)

    def _job(self) -> str | None:
        return self.window.current_job

    def update(self) -> None:
        self.act_align.setEnabled(self._can_align(self._job()))

    def _can_align(self, job_id: str | None) -> bool:
        if job_id is None:
            return False
        queue = self.window.session.queue
        if queue.running_id == job_id or job_id in queue.waiting_ids:
            return False
        record = self.window.jobs.record(job_id)
        return record is not None and can_align(record)

    @Slot()
    def align(self) -> None:
        window = self.window
        job_id = self._job()
        if not self._can_align(job_id):
            return
        assert job_id is not None
        session = window.session
        try:
            record = window.store.get(job_id)
            if not window.models.ready_to_start(record.settings.model, record.settings.language):
                return  # the download was offered; the document stays as it is
            opened = session.document(job_id)
            session.save_edits()
            rows = [
                {"id": row.id, "start": row.start, "end": row.end, "text": row.text}
                for row in opened.document.rows
            ]
            prepare_alignment(window.store, job_id, rows)
        except StudioError as exc:
            window.show_banner(user_message(exc))
            return
        log.info("aligning the timings of document %s (%d rows)", job_id, len(rows))
        window.jobs.refresh()
        session.start(job_id)
        self.update()
