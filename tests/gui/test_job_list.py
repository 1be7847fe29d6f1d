"""The job list: rows from the job store, live updates, the progress bar and the actions."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QColor, QContextMenuEvent
from PySide6.QtWidgets import QApplication

from subtitle_studio.core.jobstore import JobRecord, JobStore
from subtitle_studio.core.phases import JobStatus
from subtitle_studio.core.settings import JobSettings
from subtitle_studio.gui.job_list import (
    ERROR_ROLE,
    JOB_ID_ROLE,
    PERCENT_ROLE,
    STATUS_ROLE,
    Column,
    JobActions,
    JobListModel,
    JobListView,
    available_actions,
)

# The C++ model tester reports through qWarning: make any Qt warning fail the test.
pytestmark = pytest.mark.qt_log_level_fail("WARNING")

DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole


@pytest.fixture
def store() -> JobStore:
    return JobStore()


@pytest.fixture
def model(store: JobStore, qtmodeltester) -> JobListModel:
    jobs = JobListModel(store)
    qtmodeltester.check(jobs)
    return jobs


def make_job(store: JobStore, tmp_path: Path, name: str, **fields) -> JobRecord:
    record = store.create(tmp_path / "videos" / name, JobSettings())
    for key, value in fields.items():
        setattr(record, key, value)
    if fields:
        store.save(record)
    return record


def cell(model: JobListModel, job_id: str, column: Column, role=DISPLAY):
    return model.index(model.row_of(job_id), column).data(role)


def test_jobs_appear_with_name_status_and_percent(
    model: JobListModel, store: JobStore, tmp_path: Path
) -> None:
    first = make_job(store, tmp_path, "lecture.mp4")
    second = make_job(store, tmp_path, "interview.mkv", phase="transcribe", percent=42.4)
    model.refresh()

    assert model.rowCount() == 2
    assert [model.job_id(r) for r in range(2)] == [first.id, second.id]
    assert cell(model, first.id, Column.NAME) == "lecture.mp4"
    assert cell(model, first.id, Column.NAME, TOOLTIP) == str(tmp_path / "videos" / "lecture.mp4")
    assert cell(model, first.id, Column.STATUS) == "queued"
    assert cell(model, first.id, Column.STATUS, STATUS_ROLE) == JobStatus.QUEUED
    assert cell(model, second.id, Column.PROGRESS) == "42%"
    assert cell(model, second.id, Column.PROGRESS, PERCENT_ROLE) == pytest.approx(42.4)
    assert cell(model, second.id, Column.PHASE) == "transcribe"
    assert cell(model, second.id, Column.NAME, JOB_ID_ROLE) == second.id
    assert model.record(second.id).name == "interview.mkv"
    assert model.row_of("0" * 32) == -1 and model.record("0" * 32) is None
    assert model.headerData(Column.TIME_LEFT, Qt.Orientation.Horizontal) == "Time left"


@pytest.fixture
def runner_lock(store: JobStore):
    """Take a job's lock as a live runner in this process would; released at teardown."""
    taken = []

    def take(job_id: str) -> None:
        lock = store.lock_for(job_id)
        assert lock.try_acquire()
        taken.append(lock)

    yield take
    for lock in taken:
        lock.release()


def test_running_job_of_a_dead_process_shows_interrupted(
    model: JobListModel, store: JobStore, tmp_path: Path, runner_lock
) -> None:
    dead = make_job(store, tmp_path, "dead.mp4", status=JobStatus.RUNNING)
    live = make_job(store, tmp_path, "live.mp4", status=JobStatus.RUNNING)
    runner_lock(live.id)
    model.refresh()
    assert cell(model, dead.id, Column.STATUS) == "interrupted"
    assert cell(model, dead.id, Column.STATUS, STATUS_ROLE) == JobStatus.INTERRUPTED
    assert "resume" in cell(model, dead.id, Column.STATUS, TOOLTIP)
    assert cell(model, live.id, Column.STATUS) == "running"


def test_failed_job_shows_its_error_message(
    model: JobListModel, store: JobStore, tmp_path: Path
) -> None:
    message = "The file has no audio track; choose a file with sound."
    failed = make_job(
        store,
        tmp_path,
        "silent.mp4",
        status=JobStatus.FAILED,
        error={"code": "media_error", "message": message},
    )
    # A stale error on a job that later finished is not shown as a failure.
    done = make_job(
        store, tmp_path, "ok.mp4", status=JobStatus.DONE, error={"code": "x", "message": "old"}
    )
    model.refresh()

    assert cell(model, failed.id, Column.STATUS) == "failed"
    assert cell(model, failed.id, Column.NAME, ERROR_ROLE) == message
    assert message in cell(model, failed.id, Column.NAME, TOOLTIP)
    assert str(tmp_path / "videos" / "silent.mp4") in cell(model, failed.id, Column.NAME, TOOLTIP)
    assert cell(model, failed.id, Column.STATUS, TOOLTIP) == message
    assert cell(model, done.id, Column.NAME, ERROR_ROLE) is None
    assert "old" not in cell(model, done.id, Column.NAME, TOOLTIP)


def test_refresh_inserts_moves_and_removes_rows_without_reset(
    model: JobListModel, store: JobStore, tmp_path: Path, qtbot
) -> None:
    view = JobListView()
    qtbot.addWidget(view)
    view.setModel(model)
    resets: list[None] = []
    model.modelReset.connect(lambda: resets.append(None))

    kept = make_job(store, tmp_path, "kept.mp4")
    model.refresh()
    view.selectRow(0)
    assert view.selected_job_id() == kept.id

    # A job that sorts before the selected one (an older job appearing on disk).
    older = make_job(store, tmp_path, "older.mp4", created_at="2000-01-01T00:00:00+00:00")
    newer = make_job(store, tmp_path, "newer.mp4")
    model.refresh()
    assert [model.job_id(r) for r in range(3)] == [older.id, kept.id, newer.id]
    assert view.selected_job_id() == kept.id
    assert view.selectionModel().selectedRows()[0].row() == 1

    # The store's order changes under the list: the row moves and keeps the selection.
    kept.created_at = "1999-01-01T00:00:00+00:00"
    store.save(kept)
    model.refresh()
    assert [model.job_id(r) for r in range(3)] == [kept.id, older.id, newer.id]
    assert view.selected_job_id() == kept.id

    store.delete(older.id)
    model.refresh()
    assert [model.job_id(r) for r in range(2)] == [kept.id, newer.id]
    assert view.selected_job_id() == kept.id
    assert resets == []


def test_refresh_updates_a_changed_row_only(
    model: JobListModel, store: JobStore, tmp_path: Path
) -> None:
    first = make_job(store, tmp_path, "a.mp4")
    second = make_job(store, tmp_path, "b.mp4")
    model.refresh()
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda tl, br, roles: changed.append((tl.row(), br.row())))

    second.status = JobStatus.PAUSED
    second.percent = 30.0
    store.save(second)
    model.refresh()
    model.refresh()  # nothing new: no signal

    assert changed == [(1, 1)]
    assert cell(model, second.id, Column.STATUS) == "paused"
    assert cell(model, first.id, Column.STATUS) == "queued"


def test_set_progress_changes_exactly_that_row(
    model: JobListModel, store: JobStore, tmp_path: Path, runner_lock
) -> None:
    jobs = [make_job(store, tmp_path, f"{n}.mp4", status=JobStatus.RUNNING) for n in "abc"]
    runner_lock(jobs[1].id)
    model.refresh()
    assert cell(model, jobs[1].id, Column.STATUS) == "running"
    emitted: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda tl, br, roles: emitted.append((tl.row(), tl.column(), br.row(), br.column()))
    )

    model.set_progress(jobs[1].id, "transcribe", 37.5, "about 3 min left")

    assert emitted and all(top == bottom == 1 for top, _, bottom, _ in emitted)
    assert emitted[0][1] <= Column.PROGRESS and emitted[0][3] >= Column.TIME_LEFT
    assert cell(model, jobs[1].id, Column.PROGRESS, PERCENT_ROLE) == 37.5
    assert cell(model, jobs[1].id, Column.PHASE) == "transcribe"
    assert cell(model, jobs[1].id, Column.TIME_LEFT) == "about 3 min left"
    assert cell(model, jobs[0].id, Column.PROGRESS, PERCENT_ROLE) == 0.0
    assert cell(model, jobs[2].id, Column.TIME_LEFT) == ""

    model.set_progress("f" * 32, "transcribe", 10.0, "")  # unknown job: ignored
    assert len(emitted) == 1

    # A rescan reading an older job.json (the runner saves less often) keeps the live bar.
    on_disk = store.get(jobs[1].id)
    on_disk.phase, on_disk.percent = "transcribe", 20.0
    store.save(on_disk)
    model.refresh()
    assert cell(model, jobs[1].id, Column.PROGRESS, PERCENT_ROLE) == 37.5


def test_progress_marks_a_job_running_that_a_rescan_read_as_queued(
    model: JobListModel, store: JobStore, tmp_path: Path
) -> None:
    """The list rescans when a job starts, maybe before the pipeline has saved "running"."""
    job = make_job(store, tmp_path, "a.mp4")
    model.refresh()
    assert cell(model, job.id, Column.STATUS) == "queued"
    assert model.set_progress(job.id, "extract", 1.0, "") is True
    assert cell(model, job.id, Column.STATUS) == "running"
    assert model.set_progress(job.id, "extract", 2.0, "") is False


def test_set_status_failed_then_resumed(
    model: JobListModel, store: JobStore, tmp_path: Path
) -> None:
    job = make_job(store, tmp_path, "a.mp4")
    model.refresh()
    rows: list[int] = []
    model.dataChanged.connect(lambda tl, br, roles: rows.append(tl.row()))

    model.set_status(job.id, "failed", "Out of memory on the GPU; choose the CPU.")
    assert cell(model, job.id, Column.STATUS) == "failed"
    assert (
        cell(model, job.id, Column.NAME, ERROR_ROLE) == "Out of memory on the GPU; choose the CPU."
    )

    model.set_status(job.id, JobStatus.RUNNING)
    assert cell(model, job.id, Column.STATUS) == "running"
    assert cell(model, job.id, Column.NAME, ERROR_ROLE) is None
    assert rows == [0, 0]


def test_progress_delegate_paints_a_bar(
    model: JobListModel, store: JobStore, tmp_path: Path, qtbot
) -> None:
    empty = make_job(store, tmp_path, "empty.mp4")
    full = make_job(store, tmp_path, "full.mp4", percent=100.0)
    model.refresh()
    view = JobListView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(700, 200)
    view.setColumnWidth(Column.PROGRESS, 200)
    view.selectRow(1)

    image = view.grab().toImage()
    assert not image.isNull()

    def filled_share(job_id: str) -> float:
        """Share of the cell's pixels that differ from its corner (the background)."""
        rect = view.visualRect(model.index(model.row_of(job_id), Column.PROGRESS))
        rect.translate(view.viewport().pos())
        background = QColor(image.pixel(rect.left() + 1, rect.top() + 1))
        inner = rect.adjusted(4, 4, -4, -4)
        pixels = [
            QColor(image.pixel(x, y))
            for x in range(inner.left(), inner.right())
            for y in (inner.center().y() - 3, inner.center().y() + 3)
        ]
        return sum(p != background for p in pixels) / len(pixels)

    # A full bar covers the cell; text alone ("0%") covers a small part of it.
    assert filled_share(full.id) > 0.6
    assert filled_share(empty.id) < 0.4


def test_context_menu_uses_the_windows_actions(
    model: JobListModel, store: JobStore, tmp_path: Path, qtbot
) -> None:
    jobs = [make_job(store, tmp_path, f"{n}.mp4") for n in "ab"]
    model.refresh()
    view = JobListView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(600, 200)
    asked: list[str] = []
    pause, delete = QAction("Pause", view), QAction("Delete", view)

    def provider(job_id: str) -> list[QAction | None]:
        asked.append(job_id)
        return [pause, None, delete]

    view.set_action_provider(provider)
    menu = view.build_menu(view.visualRect(model.index(1, Column.NAME)).center())
    assert menu is not None
    qtbot.addWidget(menu)
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == ["Pause", "Delete"]
    assert asked == [jobs[1].id]
    assert view.selected_job_id() == jobs[1].id  # right-click selects the row
    assert view.build_menu(view.viewport().rect().bottomRight()) is None  # empty area
    assert view.select_job(jobs[0].id) and view.selected_job_id() == jobs[0].id
    assert not view.select_job("e" * 32)

    # A real right-click on the second row asks for that job's actions; an empty
    # list opens no menu (so the test does not block in QMenu.exec).
    view.set_action_provider(lambda job_id: asked.append(job_id) or [])
    pos = view.visualRect(model.index(1, Column.PHASE)).center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    assert asked == [jobs[1].id, jobs[1].id]


def test_view_is_single_row_selection(model: JobListModel, qtbot) -> None:
    view = JobListView()
    qtbot.addWidget(view)
    view.setModel(model)
    assert view.selectionBehavior() == view.SelectionBehavior.SelectRows
    assert view.selectionMode() == view.SelectionMode.SingleSelection
    assert view.itemDelegateForColumn(Column.PROGRESS) is view.progress_delegate
    assert model.rowCount(model.index(0, 0)) == 0 and model.data(QModelIndex()) is None


ALL = JobActions.ALL
S = JobStatus


@pytest.mark.parametrize(
    ("status", "running_here", "queued_here", "transcript", "expected"),
    [
        (S.QUEUED, False, False, False, {"start", "open_folder", "delete"}),
        (S.QUEUED, False, True, False, {"cancel", "open_folder", "delete"}),
        (S.RUNNING, True, False, True, {"pause", "cancel", "export", "open_folder"}),
        (S.RUNNING, True, False, False, {"pause", "cancel", "open_folder"}),
        # Running in another process: look, export what exists, nothing else.
        (S.RUNNING, False, False, True, {"export", "open_folder"}),
        (S.PAUSED, False, False, True, {"resume", "export", "open_folder", "delete"}),
        (S.PAUSED, False, True, True, {"cancel", "export", "open_folder", "delete"}),
        (S.INTERRUPTED, False, False, False, {"resume", "open_folder", "delete"}),
        (S.FAILED, False, False, True, {"resume", "export", "open_folder", "delete"}),
        (S.FAILED, False, False, False, {"resume", "open_folder", "delete"}),
        (S.CANCELED, False, False, True, {"export", "open_folder", "delete"}),
        (S.CANCELED, False, False, False, {"open_folder", "delete"}),
        (S.DONE, False, False, False, {"export", "open_folder", "delete"}),
    ],
)
def test_available_actions(status, running_here, queued_here, transcript, expected) -> None:
    got = available_actions(
        status, is_running_here=running_here, queued_here=queued_here, has_transcript=transcript
    )
    assert got == expected
    assert got <= ALL


def test_every_status_offers_open_folder_and_running_never_offers_delete() -> None:
    for status in JobStatus:
        for here in (False, True):
            got = available_actions(status, is_running_here=here, queued_here=False)
            assert JobActions.OPEN_FOLDER in got
            if here or status == JobStatus.RUNNING:
                assert JobActions.DELETE not in got
