"""Hearing and seeing the selected line: Space and Ctrl+P play exactly that row, a dragged
boundary and "set from playhead" are undoable edits, and the strip shows the job's audio
and cues (an opened subtitle file's media is decoded for it)."""

from __future__ import annotations

import shutil
from enum import Enum
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest

from subtitle_studio.core.app_settings import load_defaults
from subtitle_studio.core.audio_store import SAMPLE_RATE, AudioWriter, audio_path
from subtitle_studio.core.document import SubtitleDocument
from subtitle_studio.core.jobstore import JobStore
from subtitle_studio.gui.listen_panel import ListenPanel
from subtitle_studio.gui.subtitle_model import COL_START, COL_TEXT, SubtitleTableModel
from subtitle_studio.gui.subtitle_view import SubtitleTableView

ROWS = [
    {"id": "0_0", "start": 0.5, "end": 1.25, "text": "one"},
    {"id": "0_1", "start": 1.5, "end": 2.75, "text": "two"},
    {"id": "0_2", "start": 3.0, "end": 4.5, "text": "three"},
]


class Status(Enum):
    LoadedMedia = 2


class FakeBackend:
    """A player that loads at once and records the seeks it is asked for."""

    def __init__(self) -> None:
        self.sources: list[str] = []
        self.seeks: list[int] = []
        self.pos = 0

    def setSource(self, source) -> None:
        self.sources.append(source.toLocalFile())

    def setPosition(self, position: int) -> None:
        self.seeks.append(position)
        self.pos = position

    def play(self) -> None: ...
    def pause(self) -> None: ...
    def stop(self) -> None: ...

    def position(self) -> int:
        return self.pos

    def mediaStatus(self) -> Status:
        return Status.LoadedMedia


class Setup:
    def __init__(self, qtbot, tmp_path: Path) -> None:
        self.store = JobStore()
        self.record = self.store.create(tmp_path / "talk.wav", load_defaults(self.store.home))
        folder = self.store.folder(self.record.id)
        writer = AudioWriter(audio_path(folder))
        t = np.arange(5 * SAMPLE_RATE) / SAMPLE_RATE
        writer.write((0.5 * np.sin(2 * np.pi * 220 * t)).astype(np.float32))
        writer.commit()
        self.document = SubtitleDocument(self.record.id)
        self.document.load(ROWS, aligned=True)
        self.undo = QUndoStack()
        self.model = SubtitleTableModel(self.document, self.undo)
        self.table = SubtitleTableView()
        self.table.setModel(self.model)
        self.backend = FakeBackend()
        self.panel = ListenPanel(self.store, backend=self.backend)
        self.panel.attach_table(self.table)
        self.applied: list[str] = []
        self.panel.show_job(self.record, self.document, self.undo, on_change=self.applied.append)
        qtbot.addWidget(self.table)
        qtbot.addWidget(self.panel)

    def select(self, position: int) -> None:
        index = self.model.index(position, COL_TEXT)
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)


@pytest.fixture
def setup(qtbot, tmp_path: Path):
    made = Setup(qtbot, tmp_path)
    qtbot.waitUntil(lambda: made.panel.view._peaks is not None, timeout=10_000)
    yield made
    made.panel.close_panel()


def test_space_and_ctrl_p_play_exactly_the_selected_row(qtbot, setup: Setup) -> None:
    setup.select(1)
    assert setup.panel.view.selected() == "0_1"
    setup.table.setFocus()
    QTest.keyClick(setup.table, Qt.Key.Key_Space)
    assert setup.backend.seeks == [1500]
    assert setup.panel.player.current_range() == (1.5, 2.75)
    assert setup.backend.sources == [str(audio_path(setup.store.folder(setup.record.id)))]

    setup.panel.player.stop()
    setup.select(2)
    setup.panel.act_play.trigger()  # Ctrl+P
    assert setup.backend.seeks == [1500, 3000]
    assert setup.panel.player.current_range() == (3.0, 4.5)
    setup.panel.player.stop()


def test_space_in_an_open_editor_types_a_space(qtbot, setup: Setup) -> None:
    setup.select(0)
    setup.table.edit(setup.model.index(0, COL_TEXT))
    assert setup.table.state() == setup.table.State.EditingState
    QTest.keyClick(setup.table, Qt.Key.Key_Space)
    assert setup.backend.seeks == []


def test_the_playhead_follows_playback(qtbot, setup: Setup) -> None:
    setup.select(0)
    setup.panel.play_line()
    setup.backend.pos = 900
    qtbot.waitUntil(lambda: (setup.panel.view.playhead() or 0) >= 0.9, timeout=2_000)
    setup.panel.player.stop()


def test_dragging_a_boundary_edits_the_row_and_undo_restores_it(qtbot, setup: Setup) -> None:
    setup.select(1)
    setup.panel.view.boundaryMoved.emit("0_1", "start", 1.8)
    row = setup.document.row("0_1")
    assert (row.start, row.end) == (1.8, 2.75)
    assert row.modified
    assert setup.applied == ["0_1"]
    assert setup.model.index(1, COL_START).data() != "00:01.500"
    qtbot.waitUntil(lambda: setup.panel.view.cue("0_1") == (1.8, 2.75), timeout=1_000)
    setup.undo.undo()
    assert (setup.document.row("0_1").start, setup.document.row("0_1").end) == (1.5, 2.75)
    assert not setup.document.row("0_1").modified
    qtbot.waitUntil(lambda: setup.panel.view.cue("0_1") == (1.5, 2.75), timeout=1_000)
    setup.undo.redo()
    assert setup.document.row("0_1").start == 1.8


def test_an_impossible_drag_is_refused_and_put_back(qtbot, setup: Setup) -> None:
    messages: list[str] = []
    setup.panel.message.connect(messages.append)
    setup.panel.view.boundaryMoved.emit("0_1", "end", 1.0)  # before its start
    assert (setup.document.row("0_1").start, setup.document.row("0_1").end) == (1.5, 2.75)
    assert messages and setup.undo.count() == 0
    assert setup.panel.view.cue("0_1") == (1.5, 2.75)


def test_set_start_and_end_from_the_playhead_and_undo(qtbot, setup: Setup) -> None:
    setup.select(2)
    setup.panel.view.seekRequested.emit(3.2)  # a click in the strip places the playhead
    setup.panel.act_set_start.trigger()
    assert setup.document.row("0_2").start == 3.2
    setup.panel.view.seekRequested.emit(4.0)
    setup.panel.act_set_end.trigger()
    assert (setup.document.row("0_2").start, setup.document.row("0_2").end) == (3.2, 4.0)
    assert setup.undo.count() == 2
    setup.undo.undo()
    setup.undo.undo()
    assert (setup.document.row("0_2").start, setup.document.row("0_2").end) == (3.0, 4.5)


def test_the_strip_follows_document_changes(qtbot, setup: Setup) -> None:
    assert [cue[0] for cue in setup.panel.view.cues()] == ["0_0", "0_1", "0_2"]
    setup.model.setData(setup.model.index(0, COL_START), "00:00.700")
    qtbot.waitUntil(lambda: setup.panel.view.cue("0_0") == (0.7, 1.25), timeout=1_000)
    setup.model.delete_rows(["0_1"])
    qtbot.waitUntil(lambda: setup.panel.view.cue("0_1") is None, timeout=1_000)


def test_no_media_means_no_audio_actions(qtbot, tmp_path: Path) -> None:
    store = JobStore()
    record = store.create(tmp_path / "gone.mp4", load_defaults(store.home))
    panel = ListenPanel(store, backend=FakeBackend())
    qtbot.addWidget(panel)
    document = SubtitleDocument(record.id)
    document.load(ROWS, aligned=True)
    panel.show_job(record, document, QUndoStack())
    assert panel.status.text() == "No audio attached"
    assert not panel.act_play.isEnabled()
    assert not panel.act_set_start.isEnabled()
    assert len(panel.view.cues()) == 3


def test_an_opened_subtitle_file_gets_its_media_decoded_for_the_waveform(
    make_window, qtbot, tmp_path: Path, media: Path
) -> None:
    from subtitle_studio.core.subtitle_doc import open_subtitle_file

    shutil.copyfile(media / "jfk.flac", tmp_path / "speech.flac")
    srt = tmp_path / "speech.srt"
    srt.write_text("1\n00:00:00,300 --> 00:00:02,500\nAnd so my fellow Americans\n\n")
    window = make_window()
    record = open_subtitle_file(window.store, srt)
    window.select_job(record.id)
    panel = window.listen
    qtbot.waitUntil(lambda: panel.view._peaks is not None, timeout=60_000)
    peaks = panel.view._peaks
    assert 10.5 < peaks.duration < 11.5  # jfk.flac is 11 s
    assert peaks.peak > 0.1
    assert audio_path(window.store.folder(record.id)).exists()
    assert [cue[1:] for cue in panel.view.cues()] == [(0.3, 2.5)]
    assert panel.act_play.isEnabled()


def test_space_again_stops_the_line(qtbot, setup: Setup) -> None:
    setup.select(1)
    setup.table.setFocus()
    QTest.keyClick(setup.table, Qt.Key.Key_Space)
    assert setup.panel.player.is_playing()
    QTest.keyClick(setup.table, Qt.Key.Key_Space)
    assert not setup.panel.player.is_playing()
    assert setup.backend.seeks == [1500]  # stopped, not started again
