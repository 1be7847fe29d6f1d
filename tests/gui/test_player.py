"""Playing the selected line: the player is asked for the line's start, and is paused once
its position passes the line's end. A fake backend stands in for audio hardware; the real
``QMediaPlayer`` is checked on a real file too."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl

from subtitle_studio.gui.player import EXTRAPOLATE_MAX_MS, SegmentPlayer


class Status(Enum):
    NoMedia = 0
    LoadingMedia = 1
    LoadedMedia = 2
    InvalidMedia = 3
    EndOfMedia = 4


class FakeBackend:
    """Records what it is asked; its position moves only when the test says so."""

    def __init__(self) -> None:
        self.sources: list[QUrl] = []
        self.seeks: list[int] = []
        self.calls: list[str] = []
        self.pos = 0
        self.status = Status.LoadedMedia

    def setSource(self, source: QUrl) -> None:
        self.sources.append(source)
        self.calls.append("setSource")

    def setPosition(self, position: int) -> None:
        self.seeks.append(position)
        self.pos = position
        self.calls.append(f"setPosition {position}")

    def play(self) -> None:
        self.calls.append("play")

    def pause(self) -> None:
        self.calls.append("pause")

    def stop(self) -> None:
        self.calls.append("stop")

    def position(self) -> int:
        return self.pos

    def mediaStatus(self) -> Status:
        return self.status


@pytest.fixture
def fake(qtbot) -> tuple[SegmentPlayer, FakeBackend]:
    backend = FakeBackend()
    player = SegmentPlayer(backend)
    yield player, backend
    player.stop()


def test_plays_from_the_start_and_pauses_past_the_end(qtbot, fake, tmp_path: Path) -> None:
    player, backend = fake
    media = tmp_path / "talk.wav"
    positions: list[float] = []
    player.positionChanged.connect(positions.append)
    player.play_range(media, 12.5, 14.0)
    assert backend.sources == [QUrl.fromLocalFile(str(media))]
    assert backend.seeks == [12500]
    assert backend.calls[-2:] == ["setPosition 12500", "play"]
    assert player.is_playing()

    backend.pos = 13000
    qtbot.wait(EXTRAPOLATE_MAX_MS * 2)  # the estimate never runs far past a report
    assert player.is_playing() and "pause" not in backend.calls
    assert positions and 13.0 <= positions[-1] < 14.0

    with qtbot.waitSignal(player.rangeFinished, timeout=2000):
        backend.pos = 14020
    assert backend.calls[-1] == "pause"
    assert not player.is_playing()
    assert positions[-1] == 14.0
    assert player.current_range() is None


def test_the_estimate_stops_on_time_between_reports(qtbot, fake, tmp_path: Path) -> None:
    """Reports come ~100 ms apart; the player ends the range from its own clock."""
    player, backend = fake
    player.play_range(tmp_path / "a.wav", 1.0, 1.1)
    backend.pos = 1010  # the stream moves
    with qtbot.waitSignal(player.rangeFinished, timeout=1000):
        pass
    assert backend.calls[-1] == "pause" and backend.pos == 1010


def test_a_range_past_the_end_of_the_file_ends_with_it(qtbot, fake, tmp_path: Path) -> None:
    player, backend = fake
    player.play_range(tmp_path / "a.wav", 10.0, 60.0)
    backend.pos = 10500
    qtbot.wait(50)
    assert player.is_playing()
    with qtbot.waitSignal(player.rangeFinished, timeout=1000):
        backend.status = Status.EndOfMedia
    assert backend.calls[-1] == "pause"


def test_same_source_is_not_set_again(qtbot, fake, tmp_path: Path) -> None:
    player, backend = fake
    media = tmp_path / "talk.wav"
    player.play_range(media, 1.0, 2.0)
    player.play_range(media, 5.0, 6.0)
    player.play_range(tmp_path / "other.wav", 0.0, 1.0)
    assert len(backend.sources) == 2
    assert backend.seeks == [1000, 5000, 0]
    assert player.current_range() == (0.0, 1.0)


def test_a_stale_position_past_the_end_does_not_end_the_new_range(
    qtbot, fake, tmp_path: Path
) -> None:
    player, backend = fake
    finished: list[bool] = []
    player.rangeFinished.connect(lambda: finished.append(True))
    backend.setPosition = lambda position: backend.seeks.append(position)  # seek lags
    backend.pos = 30000
    player.play_range(tmp_path / "talk.wav", 2.0, 3.0)
    qtbot.wait(100)
    assert not finished and player.is_playing()
    backend.pos = 2000
    qtbot.wait(50)
    backend.pos = 3000
    qtbot.waitUntil(lambda: bool(finished), timeout=2000)


def test_waits_for_the_media_to_load_before_seeking(qtbot, fake, tmp_path: Path) -> None:
    player, backend = fake
    backend.status = Status.LoadingMedia
    player.play_range(tmp_path / "talk.wav", 7.25, 8.0)
    qtbot.wait(60)
    assert backend.seeks == [] and "play" not in backend.calls
    backend.status = Status.LoadedMedia
    qtbot.waitUntil(lambda: backend.seeks == [7250], timeout=1000)
    assert "play" in backend.calls


def test_unplayable_media_is_reported(qtbot, fake, tmp_path: Path) -> None:
    player, backend = fake
    backend.status = Status.InvalidMedia
    with qtbot.waitSignal(player.failed, timeout=1000) as blocker:
        player.play_range(tmp_path / "broken.wav", 0.0, 1.0)
    assert "broken.wav" in blocker.args[0]
    assert backend.seeks == [] and not player.is_playing()


def test_stop_does_not_report_the_range_finished(qtbot, fake, tmp_path: Path) -> None:
    player, backend = fake
    finished: list[bool] = []
    player.rangeFinished.connect(lambda: finished.append(True))
    player.play_range(tmp_path / "talk.wav", 0.0, 1.0)
    player.stop()
    backend.pos = 5000
    qtbot.wait(60)
    assert not finished and backend.calls[-1] == "stop"
    with pytest.raises(ValueError):
        player.play_range(tmp_path / "talk.wav", 3.0, 3.0)


def test_real_media_player_loads_seeks_and_plays_a_range(qtbot, media: Path) -> None:
    """QtMultimedia's own player on a real file: loads, seeks and plays to the range's
    end (no audio device is needed: Qt then keeps time by the clock)."""
    from PySide6.QtMultimedia import QMediaPlayer

    player = SegmentPlayer()
    try:
        assert isinstance(player.backend, QMediaPlayer)
        positions: list[float] = []
        player.positionChanged.connect(positions.append)
        with qtbot.waitSignal(player.rangeFinished, timeout=15000):
            player.play_range(media / "jfk.flac", 2.0, 2.6)
        assert player.backend.mediaStatus() != QMediaPlayer.MediaStatus.InvalidMedia
        assert min(positions) >= 1.5 and max(positions) == pytest.approx(2.6)
        # Paused where the range ended (a little after, by Qt's clock), not back at 0.
        assert 2000 <= player.backend.position() <= 3500
        assert player.backend.playbackState() == QMediaPlayer.PlaybackState.PausedState
    finally:
        player.stop()
        player.deleteLater()
